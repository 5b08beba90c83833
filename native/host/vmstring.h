// ValkeyModuleString: the refcounted, binary-safe, NUL-terminated byte string that
// modules create, retain and free, possibly on their own threads. Pure native code;
// never touches V8.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

struct ValkeyModuleString {
    std::atomic<int32_t> refcount;  // 1 when created; freed when it drops to 0
    uint32_t flags;                 // VMSTR_* bits
    size_t len;                     // bytes, not counting the trailing NUL
    size_t cap;                     // bytes available at ptr (>= len + 1)
    char *ptr;                      // NUL-terminated; points at inline storage or a heap block
    // inline storage follows when VMSTR_INLINE is set
};

namespace vmhost {

enum : uint32_t {
    VMSTR_INLINE = 1,      // bytes live right after the header (single allocation)
    VMSTR_ARGV = 2,        // a command argument owned by the host (not appendable)
    VMSTR_SHARED_RO = 4,   // shared, read-only: RetainString on it must not be attempted
};

/** A new string with refcount 1 holding a copy of p[0..len); never fails (aborts on OOM). */
ValkeyModuleString *vmstr_new(const char *p, size_t len);
/** A new string with refcount 1 and `len` uninitialised bytes (caller fills them). */
ValkeyModuleString *vmstr_new_uninit(size_t len);
/** Adds a reference. */
inline void vmstr_incref(ValkeyModuleString *s) { s->refcount.fetch_add(1, std::memory_order_relaxed); }
/** Drops a reference; frees the string when it was the last one. */
void vmstr_decref(ValkeyModuleString *s);
/** Appends bytes, growing the buffer (moves inline bytes to the heap when needed). */
void vmstr_append(ValkeyModuleString *s, const char *p, size_t len);

}  // namespace vmhost
