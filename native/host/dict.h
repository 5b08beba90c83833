// ValkeyModuleDict: the module API's sorted dictionary of binary keys to void* values,
// and its iterator. Valkey backs it with a radix tree; a std::map with byte-wise key
// order gives the same ordering and seek semantics. Pure native code: module threads use
// dicts without the GIL (synchronising access among themselves, as with Valkey). Nodes
// and keys come from the accounted vm_* allocator, so they count in used_memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "../../include/valkeymodule.h"
#include "memory.h"

namespace vmhost {

/** A std allocator over vm_malloc/vm_free (counted in used_memory). */
template <typename T>
struct VmAllocator {
    using value_type = T;
    VmAllocator() noexcept = default;
    template <typename U>
    VmAllocator(const VmAllocator<U> &) noexcept {}
    T *allocate(size_t n) { return static_cast<T *>(vm_malloc(n * sizeof(T))); }
    void deallocate(T *p, size_t) noexcept { vm_free(p); }
    template <typename U>
    bool operator==(const VmAllocator<U> &) const noexcept { return true; }
    template <typename U>
    bool operator!=(const VmAllocator<U> &) const noexcept { return false; }
};

/** A dict key: bytes compared as unsigned char (char_traits<char>), i.e. memcmp order. */
using DictKey = std::basic_string<char, std::char_traits<char>, VmAllocator<char>>;
/** std::less<> lets lookups take a std::string_view without building a key. */
using DictMap = std::map<DictKey, void *, std::less<>, VmAllocator<std::pair<const DictKey, void *>>>;

}  // namespace vmhost

struct ValkeyModuleDict {
    vmhost::DictMap map;
    /** Bumped by every insertion and deletion, so iterators notice structural changes and
     *  find their place again by key instead of following a node that may be gone. */
    uint64_t version = 0;
};

struct ValkeyModuleDictIter {
    ValkeyModuleDict *dict = nullptr;
    vmhost::DictMap::iterator cur;  // trusted only while version == dict->version
    uint64_t version = 0;
    vmhost::DictKey key;      // the current element's key (what NextC returns, what Compare uses)
    bool eof = true;          // no current element: Next/Prev return NULL until a reseek
    bool justSeeked = false;  // the next Next/Prev returns the seeked element itself
};

namespace vmhost {

/** Frees a dict (not the values it points to). Used by FreeDict and AutoMemory. */
void dict_free(ValkeyModuleDict *d);
/** Bytes the dict's own structures take (not its keys' and values' allocations). */
size_t dict_overhead(const ValkeyModuleDict *d);

}  // namespace vmhost
