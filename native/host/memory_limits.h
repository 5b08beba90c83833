// The memory limit the module API reports against, and the PoolAlloc arena.
//
// `maxmemory` is owned by the engine's configuration; the engine pushes its value here
// (0 = no limit) so GetUsedMemoryRatio can answer on any thread without crossing into JS.
// The used-memory figure is g_used_memory (memory.h) plus whatever the engine reports
// with set_engine_used_memory for memory the native counter cannot see (the keyspace).
#pragma once
#include <cstddef>
#include <cstdint>

namespace vmhost {

/** Sets the maxmemory limit in bytes (0: no limit). Any thread. */
void set_maxmemory(uint64_t bytes);
/** The current maxmemory limit in bytes (0: no limit). */
uint64_t maxmemory();
/** Sets the bytes used outside the vm_* allocator (e.g. the TypeScript keyspace) that
 *  count towards used memory. Defaults to 0. Any thread. */
void set_engine_used_memory(uint64_t bytes);
/** Used memory as the module API reports it: vm_* bytes plus the engine's share. */
uint64_t used_memory();
/** used_memory() / maxmemory(), or 0 when there is no limit. */
float used_memory_ratio();

/** Hands out `bytes` from the PoolAlloc arena rooted at `pool` (a context's pool field):
 *  word aligned for requests of a word or more, otherwise aligned to the next power of
 *  two. nullptr for 0 bytes. The memory lives until pool_release (memory.h). */
void *pool_alloc(void *&pool, size_t bytes);

}  // namespace vmhost
