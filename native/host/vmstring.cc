// ValkeyModuleString storage (see vmstring.h).
//
// A new string is one allocation: the header followed by its bytes and a NUL
// (VMSTR_INLINE, ptr == inline_bytes(s)). When an append outgrows that block the bytes
// move to a separate heap block and the flag is cleared; the header never moves, so the
// module's pointer stays valid. All memory comes from the accounted vm_* allocator.
// The refcount is atomic: module threads create, retain and free strings without a lock.
#include "vmstring.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "memory.h"

namespace vmhost {

namespace {

inline char *inline_bytes(ValkeyModuleString *s) { return reinterpret_cast<char *>(s + 1); }

/** Allocates a header with room for `len` bytes plus the NUL right after it. */
ValkeyModuleString *alloc_inline(size_t len) {
    void *block = vm_malloc(sizeof(ValkeyModuleString) + len + 1);
    auto *s = new (block) ValkeyModuleString;
    s->refcount.store(1, std::memory_order_relaxed);
    s->flags = VMSTR_INLINE;
    s->len = len;
    // The allocator may have given more than asked: the slack is usable by appends.
    s->cap = vm_usable_size(block) - sizeof(ValkeyModuleString);
    s->ptr = inline_bytes(s);
    s->ptr[len] = '\0';
    return s;
}

}  // namespace

ValkeyModuleString *vmstr_new(const char *p, size_t len) {
    ValkeyModuleString *s = alloc_inline(len);
    if (len) memcpy(s->ptr, p, len);
    return s;
}

ValkeyModuleString *vmstr_new_uninit(size_t len) { return alloc_inline(len); }

void vmstr_decref(ValkeyModuleString *s) {
    if (s->refcount.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    if (s->ptr != inline_bytes(s)) vm_free(s->ptr);
    s->~ValkeyModuleString();
    vm_free(s);
}

void vmstr_append(ValkeyModuleString *s, const char *p, size_t len) {
    if (len == 0) return;
    size_t need = s->len + len + 1;
    if (need > s->cap) {
        // Appending part of the string to itself: find the source again after moving.
        if (p >= s->ptr && p < s->ptr + s->len) {
            size_t off = static_cast<size_t>(p - s->ptr);
            std::string copy(s->ptr + off, len);
            vmstr_append(s, copy.data(), copy.size());
            return;
        }
        // Grow greedily like sds: double small strings, add 1 MiB to large ones.
        constexpr size_t kStep = 1024 * 1024;
        size_t want = need < kStep ? need * 2 : need + kStep;
        if (s->ptr == inline_bytes(s)) {
            auto *heap = static_cast<char *>(vm_malloc(want));
            memcpy(heap, s->ptr, s->len);
            s->ptr = heap;
            s->flags &= ~static_cast<uint32_t>(VMSTR_INLINE);
        } else {
            s->ptr = static_cast<char *>(vm_realloc(s->ptr, want));
        }
        s->cap = vm_usable_size(s->ptr);
    }
    memmove(s->ptr + s->len, p, len);
    s->len += len;
    s->ptr[s->len] = '\0';
}

}  // namespace vmhost
