// The list key API: ListPush, ListPop, ListGet, ListSet, ListInsert and ListDelete over the
// TypeScript keyspace (src/modules/key-ops-list.ts), one key bridge call each.
//
// Arguments that need no keyspace (a NULL key or element) fail here with EINVAL; the bridge
// answers the rest with a status that becomes errno: wrong type (ENOTSUP), handle not open
// in the needed mode (EBADF), index out of range (EDOM). Elements cross as one-byte JS
// strings, so they stay binary-safe.
#include <cerrno>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// Op numbers, mirrored in src/modules/key-ops-list.ts.
enum ListOp {
    LOP_PUSH = 100,    // a: element, b: (tail ? 1 : 0) | (writable ? 2 : 0) -> status
    LOP_POP = 101,     // a: 0 head / 1 tail, b: writable -> element or status
    LOP_GET = 102,     // a: index, b: readable -> element or status
    LOP_SET = 103,     // a: element, b: [index, writable] -> status
    LOP_INSERT = 104,  // a: element, b: [index, writable] -> status
    LOP_DELETE = 105,  // a: index, b: writable -> status
};

// Statuses the bridge returns.
enum ListStatus { ST_OK = 0, ST_NOTSUP = 1, ST_BADF = 2, ST_DOM = 3 };

/** Maps a bridge result that is not an element to VALKEYMODULE_OK/ERR, setting errno. */
int status_result(const Napi::Value &v) {
    int st = v.IsNumber() ? v.As<Napi::Number>().Int32Value() : ST_NOTSUP;
    switch (st) {
        case ST_OK:
            return VALKEYMODULE_OK;
        case ST_BADF:
            errno = EBADF;
            break;
        case ST_DOM:
            errno = EDOM;
            break;
        default:
            errno = ENOTSUP;
            break;
    }
    return VALKEYMODULE_ERR;
}

/** A bridge result as a new module string (AutoMemory-tracked when the context has it), or
 *  NULL with errno set from its status. */
ValkeyModuleString *element_result(ValkeyModuleKey *key, const Napi::Value &v) {
    if (!v.IsString()) {
        status_result(v);
        return nullptr;
    }
    napi_env env = key->ctx->host->env;
    size_t len = 0;
    napi_get_value_string_latin1(env, v, nullptr, 0, &len);
    ValkeyModuleString *s = vmstr_new_uninit(len);
    napi_get_value_string_latin1(env, v, s->ptr, len + 1, &len);
    ctx_auto_add(key->ctx, AutoKind::String, s);
    return s;
}

inline bool has_mode(const ValkeyModuleKey *key, int mode) { return (key->mode & mode) != 0; }

/** Any operation on a handle first writes back a pending StringDMA buffer. */
inline void flush(ValkeyModuleKey *key) {
    if (key->dma) key_flush_dma(key);
}

inline Napi::Value num(Napi::Env env, long v) { return Napi::Number::New(env, static_cast<double>(v)); }

/** [index, writable] for the ops that need an index and an element. */
Napi::Value index_and_mode(Napi::Env env, long index, bool writable) {
    Napi::Array arr = Napi::Array::New(env, 2);
    arr.Set(uint32_t(0), num(env, index));
    arr.Set(uint32_t(1), Napi::Boolean::New(env, writable));
    return arr;
}

}  // namespace

extern "C" {

/** Pushes `ele` at the head or tail (`where`: VALKEYMODULE_LIST_HEAD / _TAIL) of the list,
 *  creating it on an empty key. Returns OK, or ERR with errno EINVAL (NULL key or element),
 *  ENOTSUP (not a list) or EBADF (not open for writing). */
int VM_ListPush(ValkeyModuleKey *key, int where, ValkeyModuleString *ele) {
    if (!key || !ele) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    flush(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    int flags = (where == VALKEYMODULE_LIST_HEAD ? 0 : 1) | (has_mode(key, VALKEYMODULE_WRITE) ? 2 : 0);
    return status_result(key_op(h, LOP_PUSH, key->db, key->name, js_key_value(h->env, ele),
                                Napi::Number::New(h->env, flags)));
}

/** Pops the head or tail element; popping the last one deletes the key. Returns a new
 *  string (AutoMemory-tracked when enabled), or NULL with errno EINVAL (NULL key), ENOTSUP
 *  (empty key or not a list) or EBADF (not open for writing). */
ValkeyModuleString *VM_ListPop(ValkeyModuleKey *key, int where) {
    if (!key) {
        errno = EINVAL;
        return nullptr;
    }
    flush(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, LOP_POP, key->db, key->name,
                           Napi::Number::New(h->env, where == VALKEYMODULE_LIST_HEAD ? 0 : 1),
                           Napi::Boolean::New(h->env, has_mode(key, VALKEYMODULE_WRITE)));
    return element_result(key, v);
}

/** The element at `index` (negative counts from the tail), like LINDEX, as a new string
 *  (AutoMemory-tracked when enabled); NULL with errno EINVAL (NULL key), ENOTSUP (empty key
 *  or not a list), EBADF (not open for reading) or EDOM (index out of range). */
ValkeyModuleString *VM_ListGet(ValkeyModuleKey *key, long index) {
    if (!key) {
        errno = EINVAL;
        return nullptr;
    }
    flush(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, LOP_GET, key->db, key->name, num(h->env, index),
                           Napi::Boolean::New(h->env, has_mode(key, VALKEYMODULE_READ)));
    return element_result(key, v);
}

/** Replaces the element at `index` (negative counts from the tail). Returns OK, or ERR
 *  with errno EINVAL (NULL key or value), ENOTSUP (empty key or not a list), EBADF (not
 *  open for writing) or EDOM (index out of range). */
int VM_ListSet(ValkeyModuleKey *key, long index, ValkeyModuleString *value) {
    if (!key || !value) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    flush(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    return status_result(key_op(h, LOP_SET, key->db, key->name, js_key_value(h->env, value),
                                index_and_mode(h->env, index, has_mode(key, VALKEYMODULE_WRITE))));
}

/** Inserts `value` so that it ends up at `index`: before the element at a non-negative
 *  index, after the one at a negative index; index = length (or -1) appends, 0 (or
 *  -length-1) prepends, and an empty key takes index 0 or -1 (creating the list). Returns
 *  OK, or ERR with errno EINVAL (NULL key or value), ENOTSUP (not a list, or an empty key
 *  with another index), EBADF (not open for writing) or EDOM (index out of range). */
int VM_ListInsert(ValkeyModuleKey *key, long index, ValkeyModuleString *value) {
    if (!key || !value) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    flush(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    return status_result(key_op(h, LOP_INSERT, key->db, key->name, js_key_value(h->env, value),
                                index_and_mode(h->env, index, has_mode(key, VALKEYMODULE_WRITE))));
}

/** Removes the element at `index` (negative counts from the tail); removing the last one
 *  deletes the key. Returns OK, or ERR with errno EINVAL (NULL key), ENOTSUP (empty key or
 *  not a list), EBADF (not open for writing) or EDOM (index out of range). */
int VM_ListDelete(ValkeyModuleKey *key, long index) {
    if (!key) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    flush(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    return status_result(key_op(h, LOP_DELETE, key->db, key->name, num(h->env, index),
                                Napi::Boolean::New(h->env, has_mode(key, VALKEYMODULE_WRITE))));
}

}  // extern "C"
