// Heap allocation API: accounted allocation (counted in used_memory), the per-callback
// pool, allocator size queries and the used-memory ratio. Everything except PoolAlloc is
// safe on any thread without the GIL.
#include <cstring>

#include "../../include/valkeymodule.h"
#include "../host/context.h"
#include "../host/dict.h"
#include "../host/memory.h"
#include "../host/memory_limits.h"
#include "../host/vmstring.h"

/** Allocates `bytes` like malloc, counted in used_memory. Returns the block; aborts the
 *  process when memory is exhausted (the server's OOM panic). */
extern "C" void *VM_Alloc(size_t bytes) { return vmhost::vm_malloc(bytes); }

/** Like Alloc, but returns NULL instead of aborting when the allocation fails. */
extern "C" void *VM_TryAlloc(size_t bytes) { return vmhost::vm_try_malloc(bytes); }

/** Allocates nmemb * size zeroed bytes like calloc, counted. Aborts when memory is
 *  exhausted or the size overflows. */
extern "C" void *VM_Calloc(size_t nmemb, size_t size) { return vmhost::vm_calloc(nmemb, size); }

/** Like Calloc, but returns NULL instead of aborting. */
extern "C" void *VM_TryCalloc(size_t nmemb, size_t size) { return vmhost::vm_try_calloc(nmemb, size); }

/** Resizes a block from Alloc like realloc (NULL ptr allocates; 0 bytes frees and returns
 *  NULL). Aborts when memory is exhausted. */
extern "C" void *VM_Realloc(void *ptr, size_t bytes) { return vmhost::vm_realloc(ptr, bytes); }

/** Like Realloc, but returns NULL (leaving the old block valid) instead of aborting. */
extern "C" void *VM_TryRealloc(void *ptr, size_t bytes) { return vmhost::vm_try_realloc(ptr, bytes); }

/** Frees a block from Alloc/Calloc/Realloc/Strdup; NULL is ignored. */
extern "C" void VM_Free(void *ptr) { vmhost::vm_free(ptr); }

/** Duplicates a NUL-terminated string into memory from Alloc. Aborts on OOM. */
extern "C" char *VM_Strdup(const char *str) {
    size_t n = strlen(str) + 1;
    char *p = static_cast<char *>(vmhost::vm_malloc(n));
    memcpy(p, str, n);
    return p;
}

/** Returns `bytes` of memory freed automatically when the callback returns: word aligned
 *  for requests of a word or more, otherwise aligned to the next power of two. Returns
 *  NULL for 0 bytes (or without a context). */
extern "C" void *VM_PoolAlloc(ValkeyModuleCtx *ctx, size_t bytes) {
    if (!ctx) return nullptr;
    return vmhost::pool_alloc(ctx->pool, bytes);
}

/** The allocator's size for a block from Alloc/Realloc (may exceed the size asked). */
extern "C" size_t VM_MallocSize(void *ptr) { return vmhost::vm_usable_size(ptr); }

/** The usable size of a block from Alloc/Realloc: every byte of it may be used. */
extern "C" size_t VM_MallocUsableSize(void *ptr) { return vmhost::vm_usable_size(ptr); }

/** The memory a string takes: its object plus a separate byte buffer if it has one. */
extern "C" size_t VM_MallocSizeString(ValkeyModuleString *str) {
    if (!str) return 0;
    // Shared read-only strings may not come from the allocator: estimate them.
    if (str->flags & vmhost::VMSTR_SHARED_RO) return sizeof(ValkeyModuleString) + str->cap;
    size_t n = vmhost::vm_usable_size(str);
    if (str->ptr != reinterpret_cast<char *>(str + 1)) n += vmhost::vm_usable_size(str->ptr);
    return n;
}

/** The memory a dict's own structures take, excluding its keys' and values' memory. */
extern "C" size_t VM_MallocSizeDict(ValkeyModuleDict *dict) {
    if (!dict) return 0;
    return vmhost::dict_overhead(dict);
}

/** used_memory / maxmemory: 0 when there is no limit, 1 at the limit, more above it. */
extern "C" float VM_GetUsedMemoryRatio(void) { return vmhost::used_memory_ratio(); }
