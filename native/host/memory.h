// Accounted native allocation shared by the module API and the host.
//
// Every byte a module allocates through ValkeyModule_Alloc and friends, and every
// ValkeyModuleString, is counted in one process-wide atomic so INFO can report it
// (used_memory) and maxmemory can be honoured. Safe to call from any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <atomic>

namespace vmhost {

/** Bytes currently allocated through vm_* (usable sizes, as malloc_usable_size reports). */
extern std::atomic<int64_t> g_used_memory;

/** malloc that counts; returns nullptr only when the system is out of memory. */
void *vm_try_malloc(size_t n);
/** calloc that counts; nullptr on failure or overflow. */
void *vm_try_calloc(size_t nmemb, size_t size);
/** realloc that counts; nullptr on failure (the old block is untouched). */
void *vm_try_realloc(void *p, size_t n);
/** Like vm_try_malloc but aborts the process (Valkey's OOM panic) on failure. */
void *vm_malloc(size_t n);
void *vm_calloc(size_t nmemb, size_t size);
void *vm_realloc(void *p, size_t n);
/** Frees memory from vm_*; nullptr is ignored. */
void vm_free(void *p);
/** Usable size of a block from vm_* (0 for nullptr). */
size_t vm_usable_size(void *p);

}  // namespace vmhost

namespace vmhost {
/** Frees every block ValkeyModule_PoolAlloc handed out for one callback and resets `pool`. */
void pool_release(void *&pool);
}  // namespace vmhost
