// Dictionary API: a sorted map of binary keys to pointers with a bidirectional iterator.
//
// Iterator model (as the server's radix-tree iterator behaves): a seek selects an element
// (or none: end of iteration); the first Next/Prev after a seek returns that element, and
// each later Next/Prev moves one step from the element returned last and returns the new
// one. Past either end the iterator stays at end of iteration until it is reseeked.
// Compare tests the element selected now (the one returned last, or the seeked one).
// The dict may be modified while an iterator is open: the iterator then continues from
// the key it returned last (as if reseeked there), never from freed memory.
#include <cstring>
#include <new>
#include <string_view>

#include "../../include/valkeymodule.h"
#include "../host/context.h"
#include "../host/dict.h"
#include "../host/memory.h"
#include "../host/vmstring.h"

using vmhost::AutoKind;
using vmhost::DictKey;
using vmhost::DictMap;

namespace {

std::string_view view(const void *key, size_t len) {
    return len ? std::string_view(static_cast<const char *>(key), len) : std::string_view();
}

std::string_view view(const ValkeyModuleString *s) { return std::string_view(s->ptr, s->len); }

/** Seek operators. */
enum class SeekOp { First, Last, Gt, Ge, Lt, Le, Eq, Invalid };

/** Reads a seek operator: "^", "$", ">", ">=", "<", "<=", "==" (a lone "=" is equality
 *  too, as the server reads only what it needs). */
SeekOp parse_seek(const char *op) {
    if (!op) return SeekOp::Invalid;
    switch (op[0]) {
        case '^': return SeekOp::First;
        case '$': return SeekOp::Last;
        case '>': return op[1] == '=' ? SeekOp::Ge : SeekOp::Gt;
        case '<': return op[1] == '=' ? SeekOp::Le : SeekOp::Lt;
        case '=': return SeekOp::Eq;
        default: return SeekOp::Invalid;
    }
}

/** Positions `di` by `op` and `key`. Returns true when an element was selected. */
bool seek(ValkeyModuleDictIter *di, const char *op, std::string_view key) {
    DictMap &m = di->dict->map;
    di->version = di->dict->version;
    di->justSeeked = true;
    di->eof = true;
    auto it = m.end();
    switch (parse_seek(op)) {
        case SeekOp::First: it = m.begin(); break;
        case SeekOp::Last:
            if (!m.empty()) it = std::prev(m.end());
            break;
        case SeekOp::Gt: it = m.upper_bound(key); break;
        case SeekOp::Ge: it = m.lower_bound(key); break;
        case SeekOp::Lt:
            it = m.lower_bound(key);
            it = it == m.begin() ? m.end() : std::prev(it);
            break;
        case SeekOp::Le:
            it = m.upper_bound(key);
            it = it == m.begin() ? m.end() : std::prev(it);
            break;
        case SeekOp::Eq: it = m.find(key); break;
        case SeekOp::Invalid: break;
    }
    if (it == m.end()) return false;
    di->cur = it;
    di->key = it->first;
    di->eof = false;
    return true;
}

/** One Next (forward) or Prev step. Returns true with di->cur/di->key set to the element
 *  to return, false at end of iteration. */
bool step(ValkeyModuleDictIter *di, bool forward) {
    if (di->eof) return false;
    DictMap &m = di->dict->map;
    std::string_view cur(di->key.data(), di->key.size());
    bool stale = di->version != di->dict->version;
    auto it = m.end();
    if (di->justSeeked) {
        di->justSeeked = false;
        if (!stale) return true;
        // The dict changed since the seek: take the nearest element in the direction of
        // travel, the seeked one itself if it is still there.
        if (forward) {
            it = m.lower_bound(cur);
        } else {
            it = m.upper_bound(cur);
            it = it == m.begin() ? m.end() : std::prev(it);
        }
    } else if (forward) {
        it = stale ? m.upper_bound(cur) : std::next(di->cur);
    } else if (stale) {
        it = m.lower_bound(cur);
        it = it == m.begin() ? m.end() : std::prev(it);
    } else {
        it = di->cur == m.begin() ? m.end() : std::prev(di->cur);
    }
    di->version = di->dict->version;
    if (it == m.end()) {
        di->eof = true;
        return false;
    }
    di->cur = it;
    di->key = it->first;
    return true;
}

/** Compares the iterator's current key with `key` by `op` (">", ">=", "<", "<=", "==").
 *  False at end of iteration or for any other operator. */
bool compare(ValkeyModuleDictIter *di, const char *op, std::string_view key) {
    if (di->eof || !op || op[0] == '\0') return false;
    bool eq = op[0] == '=' || op[1] == '=';
    bool gt = op[0] == '>';
    bool lt = op[0] == '<';
    if (!gt && !lt && op[1] != '=') return false;  // "^", "$", "=" and junk are not comparisons
    std::string_view cur(di->key.data(), di->key.size());
    int c = cur.compare(key);
    if (!gt && !lt) return c == 0;
    if (c == 0) return eq;
    return c > 0 ? gt : lt;
}

bool insert(ValkeyModuleDict *d, std::string_view key, void *ptr, bool replace) {
    auto it = d->map.lower_bound(key);
    if (it != d->map.end() && std::string_view(it->first.data(), it->first.size()) == key) {
        if (!replace) return false;
        it->second = ptr;  // same node: iterators stay valid
        return true;
    }
    d->map.emplace_hint(it, DictKey(key.data(), key.size()), ptr);
    d->version++;
    return true;
}

void *get(ValkeyModuleDict *d, std::string_view key, int *nokey) {
    auto it = d->map.find(key);
    if (nokey) *nokey = it == d->map.end();
    return it == d->map.end() ? nullptr : it->second;
}

int del(ValkeyModuleDict *d, std::string_view key, void *oldval) {
    auto it = d->map.find(key);
    if (it == d->map.end()) return VALKEYMODULE_ERR;
    if (oldval) *static_cast<void **>(oldval) = it->second;
    d->map.erase(it);
    d->version++;
    return VALKEYMODULE_OK;
}

ValkeyModuleDictIter *iter_start(ValkeyModuleDict *d, const char *op, std::string_view key) {
    auto *di = new (vmhost::vm_malloc(sizeof(ValkeyModuleDictIter))) ValkeyModuleDictIter;
    di->dict = d;
    seek(di, op, key);
    return di;
}

/** A new string for the iterator's current key, registered for ctx's AutoMemory. */
ValkeyModuleString *key_string(ValkeyModuleCtx *ctx, const ValkeyModuleDictIter *di) {
    ValkeyModuleString *s = vmhost::vmstr_new(di->key.data(), di->key.size());
    if (ctx) vmhost::ctx_auto_add(ctx, AutoKind::String, s);
    return s;
}

}  // namespace

namespace vmhost {

void dict_free(ValkeyModuleDict *d) {
    if (!d) return;
    d->~ValkeyModuleDict();
    vm_free(d);
}

size_t dict_overhead(const ValkeyModuleDict *d) {
    // One tree node per key: the node header (three links and a colour) plus the key
    // object and the value pointer, rounded up as the allocator rounds small blocks.
    constexpr size_t kNode = 4 * sizeof(void *) + sizeof(DictKey) + sizeof(void *);
    constexpr size_t kNodeRounded = (kNode + 15) & ~static_cast<size_t>(15);
    return sizeof(ValkeyModuleDict) + d->map.size() * kNodeRounded;
}

}  // namespace vmhost

/** Creates an empty dict. With a ctx it is released by AutoMemory when the callback
 *  returns (if enabled), so keep a NULL ctx for dicts that outlive the callback. */
extern "C" ValkeyModuleDict *VM_CreateDict(ValkeyModuleCtx *ctx) {
    auto *d = new (vmhost::vm_malloc(sizeof(ValkeyModuleDict))) ValkeyModuleDict;
    if (ctx) vmhost::ctx_auto_add(ctx, AutoKind::Dict, d);
    return d;
}

/** Frees a dict (not the values it points to). Pass the ctx it was created with, so
 *  AutoMemory forgets it. */
extern "C" void VM_FreeDict(ValkeyModuleCtx *ctx, ValkeyModuleDict *d) {
    if (!d) return;
    if (ctx) vmhost::ctx_auto_forget(ctx, AutoKind::Dict, d);
    vmhost::dict_free(d);
}

/** The number of keys in the dict. */
extern "C" uint64_t VM_DictSize(ValkeyModuleDict *d) { return d->map.size(); }

/** Adds key -> ptr. Returns OK, or ERR (nothing changed) when the key already exists. */
extern "C" int VM_DictSetC(ValkeyModuleDict *d, void *key, size_t keylen, void *ptr) {
    return insert(d, view(key, keylen), ptr, false) ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** Sets key -> ptr, replacing the value of an existing key. Returns OK (always). */
extern "C" int VM_DictReplaceC(ValkeyModuleDict *d, void *key, size_t keylen, void *ptr) {
    insert(d, view(key, keylen), ptr, true);
    return VALKEYMODULE_OK;
}

/** DictSetC with the key as a string. */
extern "C" int VM_DictSet(ValkeyModuleDict *d, ValkeyModuleString *key, void *ptr) {
    return insert(d, view(key), ptr, false) ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** DictReplaceC with the key as a string. */
extern "C" int VM_DictReplace(ValkeyModuleDict *d, ValkeyModuleString *key, void *ptr) {
    insert(d, view(key), ptr, true);
    return VALKEYMODULE_OK;
}

/** Returns the value stored at key, or NULL when absent (or when NULL was stored);
 *  *nokey, when given, is set to 1 if the key is absent and 0 otherwise. */
extern "C" void *VM_DictGetC(ValkeyModuleDict *d, void *key, size_t keylen, int *nokey) {
    return get(d, view(key, keylen), nokey);
}

/** DictGetC with the key as a string. */
extern "C" void *VM_DictGet(ValkeyModuleDict *d, ValkeyModuleString *key, int *nokey) {
    return get(d, view(key), nokey);
}

/** Removes key. Returns OK and stores the old value at *(void **)oldval (when oldval is
 *  not NULL), or ERR when the key does not exist. */
extern "C" int VM_DictDelC(ValkeyModuleDict *d, void *key, size_t keylen, void *oldval) {
    return del(d, view(key, keylen), oldval);
}

/** DictDelC with the key as a string. */
extern "C" int VM_DictDel(ValkeyModuleDict *d, ValkeyModuleString *key, void *oldval) {
    return del(d, view(key), oldval);
}

/** Creates an iterator positioned by op ("^", "$", ">", ">=", "<", "<=", "==") and key
 *  (unused for "^" and "$"). When no element qualifies, the first Next/Prev returns NULL.
 *  Must be released with DictIteratorStop. */
extern "C" ValkeyModuleDictIter *VM_DictIteratorStartC(ValkeyModuleDict *d, const char *op, void *key, size_t keylen) {
    return iter_start(d, op, view(key, keylen));
}

/** DictIteratorStartC with the key as a string. */
extern "C" ValkeyModuleDictIter *VM_DictIteratorStart(ValkeyModuleDict *d, const char *op, ValkeyModuleString *key) {
    return iter_start(d, op, key ? view(key) : std::string_view());
}

/** Releases an iterator. */
extern "C" void VM_DictIteratorStop(ValkeyModuleDictIter *di) {
    if (!di) return;
    di->~ValkeyModuleDictIter();
    vmhost::vm_free(di);
}

/** Repositions an iterator like DictIteratorStartC. Returns OK when an element was
 *  selected, ERR when none qualifies or the operator is invalid. */
extern "C" int VM_DictIteratorReseekC(ValkeyModuleDictIter *di, const char *op, void *key, size_t keylen) {
    return seek(di, op, view(key, keylen)) ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** DictIteratorReseekC with the key as a string. */
extern "C" int VM_DictIteratorReseek(ValkeyModuleDictIter *di, const char *op, ValkeyModuleString *key) {
    return seek(di, op, key ? view(key) : std::string_view()) ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** Returns the next element's key (an internal buffer valid until the next step or
 *  DictIteratorStop), setting *keylen and *dataptr when given; NULL at the end. */
extern "C" void *VM_DictNextC(ValkeyModuleDictIter *di, size_t *keylen, void **dataptr) {
    if (!step(di, true)) return nullptr;
    if (keylen) *keylen = di->key.size();
    if (dataptr) *dataptr = di->cur->second;
    return di->key.data();
}

/** Like DictNextC, stepping to the previous (lexicographically smaller) element. */
extern "C" void *VM_DictPrevC(ValkeyModuleDictIter *di, size_t *keylen, void **dataptr) {
    if (!step(di, false)) return nullptr;
    if (keylen) *keylen = di->key.size();
    if (dataptr) *dataptr = di->cur->second;
    return di->key.data();
}

/** Like DictNextC but returns the key as a new string (AutoMemory of ctx when given;
 *  otherwise the caller frees it); NULL at the end. */
extern "C" ValkeyModuleString *VM_DictNext(ValkeyModuleCtx *ctx, ValkeyModuleDictIter *di, void **dataptr) {
    if (!step(di, true)) return nullptr;
    if (dataptr) *dataptr = di->cur->second;
    return key_string(ctx, di);
}

/** Like DictNext, stepping to the previous element. */
extern "C" ValkeyModuleString *VM_DictPrev(ValkeyModuleCtx *ctx, ValkeyModuleDictIter *di, void **dataptr) {
    if (!step(di, false)) return nullptr;
    if (dataptr) *dataptr = di->cur->second;
    return key_string(ctx, di);
}

/** Tests the iterator's current element against key with op (">", ">=", "<", "<=",
 *  "=="). Returns OK when it holds, ERR when it does not, for another operator, or at the
 *  end of iteration. */
extern "C" int VM_DictCompareC(ValkeyModuleDictIter *di, const char *op, void *key, size_t keylen) {
    return compare(di, op, view(key, keylen)) ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** DictCompareC with the key as a string. */
extern "C" int VM_DictCompare(ValkeyModuleDictIter *di, const char *op, ValkeyModuleString *key) {
    return compare(di, op, view(key)) ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}
