// Accounted native allocation (see memory.h): thin wrappers over the C allocator that add
// and subtract each block's usable size in one process-wide atomic counter. Every
// function here is safe on any thread; nothing touches V8.
#include "memory.h"

#include <malloc.h>

#include "memory_limits.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace vmhost {

std::atomic<int64_t> g_used_memory{0};

namespace {

/** Requests this large are refused outright, like Valkey's allocator does: no real
 *  system can satisfy them, and refusing early avoids size arithmetic overflowing. */
constexpr size_t kMaxRequest = SIZE_MAX / 2;

inline void count_add(void *p) {
    g_used_memory.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
}

inline void count_sub(void *p) {
    g_used_memory.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
}

/** The server's reaction to an allocation it cannot satisfy: report and abort. */
[[noreturn]] void out_of_memory(size_t n) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", n);
    fflush(stderr);
    abort();
}

}  // namespace

void *vm_try_malloc(size_t n) {
    if (n >= kMaxRequest) return nullptr;
    void *p = malloc(n);
    if (p) count_add(p);
    return p;
}

void *vm_try_calloc(size_t nmemb, size_t size) {
    if (size != 0 && nmemb > kMaxRequest / size) return nullptr;
    void *p = calloc(nmemb, size);
    if (p) count_add(p);
    return p;
}

void *vm_try_realloc(void *p, size_t n) {
    if (p == nullptr) return vm_try_malloc(n);
    if (n == 0) {
        // realloc to zero bytes frees the block (as the server's allocator does).
        vm_free(p);
        return nullptr;
    }
    if (n >= kMaxRequest) return nullptr;
    size_t old = malloc_usable_size(p);
    void *q = realloc(p, n);
    if (!q) return nullptr;  // the old block is still valid and still counted
    int64_t delta = static_cast<int64_t>(malloc_usable_size(q)) - static_cast<int64_t>(old);
    g_used_memory.fetch_add(delta, std::memory_order_relaxed);
    return q;
}

void *vm_malloc(size_t n) {
    void *p = vm_try_malloc(n);
    if (!p) out_of_memory(n);
    return p;
}

void *vm_calloc(size_t nmemb, size_t size) {
    void *p = vm_try_calloc(nmemb, size);
    if (!p) out_of_memory(nmemb * size);
    return p;
}

void *vm_realloc(void *p, size_t n) {
    void *q = vm_try_realloc(p, n);
    if (!q && n != 0) out_of_memory(n);
    return q;
}

void vm_free(void *p) {
    if (!p) return;
    count_sub(p);
    free(p);
}

size_t vm_usable_size(void *p) { return p ? malloc_usable_size(p) : 0; }

// ---------------------------------------------------------------------------------------
// Limits (memory_limits.h)

namespace {
std::atomic<uint64_t> g_maxmemory{0};
std::atomic<uint64_t> g_engine_used{0};
}  // namespace

void set_maxmemory(uint64_t bytes) { g_maxmemory.store(bytes, std::memory_order_relaxed); }
uint64_t maxmemory() { return g_maxmemory.load(std::memory_order_relaxed); }
void set_engine_used_memory(uint64_t bytes) { g_engine_used.store(bytes, std::memory_order_relaxed); }

uint64_t used_memory() {
    int64_t native = g_used_memory.load(std::memory_order_relaxed);
    return (native > 0 ? static_cast<uint64_t>(native) : 0) + g_engine_used.load(std::memory_order_relaxed);
}

float used_memory_ratio() {
    uint64_t limit = maxmemory();
    if (limit == 0) return 0.0f;
    return static_cast<float>(used_memory()) / static_cast<float>(limit);
}

// ---------------------------------------------------------------------------------------
// PoolAlloc arena. `pool` (ValkeyModuleCtx::pool) points at the newest block; blocks form
// a singly linked list through their headers and are all freed at the end of a callback.

struct PoolBlock {
    PoolBlock *next;
    size_t size;  // bytes of payload after the header
    size_t used;  // bytes handed out (including alignment padding)
    // payload follows; the header is 24 bytes, so the payload is word aligned
};
static_assert(sizeof(PoolBlock) % alignof(void *) == 0, "pool payload must stay word aligned");

namespace {
constexpr size_t kPoolBlockMin = 8 * 1024;  // payload of a fresh block, unless more is asked
}  // namespace

void *pool_alloc(void *&pool, size_t bytes) {
    if (bytes == 0) return nullptr;
    // Word alignment for requests of at least a word; smaller requests are aligned to the
    // power of two that holds them (3 bytes -> 4, 2 -> 2, 1 -> 1).
    size_t align = alignof(void *);
    while (align / 2 >= bytes) align /= 2;

    auto *b = static_cast<PoolBlock *>(pool);
    if (b) {
        size_t start = (b->used + align - 1) & ~(align - 1);
        if (start <= b->size && b->size - start >= bytes) {
            b->used = start + bytes;
            return reinterpret_cast<char *>(b + 1) + start;
        }
    }
    size_t payload = bytes > kPoolBlockMin ? bytes : kPoolBlockMin;
    auto *nb = static_cast<PoolBlock *>(vm_malloc(sizeof(PoolBlock) + payload));
    nb->next = b;
    nb->size = payload;
    nb->used = bytes;
    pool = nb;
    return nb + 1;
}

void pool_release(void *&pool) {
    auto *b = static_cast<PoolBlock *>(pool);
    while (b) {
        PoolBlock *next = b->next;
        vm_free(b);
        b = next;
    }
    pool = nullptr;
}

}  // namespace vmhost
