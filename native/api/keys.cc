// The generic low-level key API and the string key API, over the TypeScript keyspace.
//
// A key handle names a key in a database; every operation is one call into the engine's
// key bridge (src/modules/key-bridge.ts), which applies Valkey's semantics (lazy expiry,
// stats, LRU, notifications where Valkey emits them). The low-level API itself emits no
// keyspace notifications, as in Valkey.
#include <cerrno>
#include <cstring>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/memory.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace vmhost {

/** A ValkeyModuleString as a one-byte JS string. */
Napi::Value js_key_value(Napi::Env env, const ValkeyModuleString *s) { return bytes_to_js(env, s->ptr, s->len); }

Napi::Value key_op(Host *host, int op, int db, const ValkeyModuleString *key, Napi::Value a, Napi::Value b) {
    Napi::Env env = host->env;
    if (host->keyHook.IsEmpty()) return env.Undefined();
    napi_value args[5];
    args[0] = Napi::Number::New(env, op);
    args[1] = Napi::Number::New(env, db);
    args[2] = key ? js_key_value(env, key) : env.Null();
    args[3] = a.IsEmpty() ? env.Undefined() : a;
    args[4] = b.IsEmpty() ? env.Undefined() : b;
    napi_value result;
    if (napi_call_function(env, env.Undefined(), host->keyHook.Value(), 5, args, &result) != napi_ok) {
        // A JS exception inside the bridge is an engine bug: log it, keep the module alive.
        napi_value exc;
        napi_get_and_clear_last_exception(env, &exc);
        Napi::Value ev(env, exc);
        host->logf(LL_WARNING, "key bridge failed: %s", ev.ToString().Utf8Value().c_str());
        return env.Undefined();
    }
    return Napi::Value(env, result);
}

void key_flush_dma(ValkeyModuleKey *key) {
    if (!key->dma) return;
    if (key->dmaWritable) {
        Host *h = key->ctx->host;
        Napi::HandleScope scope(h->env);
        key_op(h, KOP_STRING_REPLACE, key->db, key->name, bytes_to_js(h->env, key->dma, key->dmaLen));
    }
    vm_free(key->dma);
    key->dma = nullptr;
    key->dmaLen = 0;
    key->dmaWritable = false;
}

void key_close(ValkeyModuleKey *key) {
    if (!key) return;
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    key_flush_dma(key);
    if (key->zsetIter) zset_iter_release(key);
    if (key->streamIter) stream_iter_release(key);
    if ((key->mode & VALKEYMODULE_WRITE) && key->ctx->module &&
        !(key->ctx->module->options & VALKEYMODULE_OPTION_NO_IMPLICIT_SIGNAL_MODIFIED))
        key_op(h, KOP_SIGNAL, key->db, key->name);
    vmstr_decref(key->name);
    delete key;
}

}  // namespace vmhost

namespace {

/** Every operation on a handle first writes back an outstanding DMA buffer. */
inline void touch(ValkeyModuleKey *key) {
    if (key->dma) key_flush_dma(key);
}

inline int to_int(const Napi::Value &v, int dflt = 0) {
    return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : dflt;
}

inline double to_num(const Napi::Value &v, double dflt = 0) {
    return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : dflt;
}

inline bool writable(const ValkeyModuleKey *key) { return key && (key->mode & VALKEYMODULE_WRITE); }

/** The value is about to be replaced or deleted: a DMA buffer and iterators no longer apply. */
inline void drop_state(ValkeyModuleKey *key) {
    if (key->dma) {
        vm_free(key->dma);
        key->dma = nullptr;
    }
    if (key->zsetIter) zset_iter_release(key);
    if (key->streamIter) stream_iter_release(key);
}

}  // namespace

extern "C" {

/** Opens a key of the selected database. READ on a missing key returns NULL; WRITE returns a
 *  handle on an empty key that later writes create. Lazy expiry, stats and the LRU clock
 *  apply unless NOEXPIRE / NOSTATS / NOTOUCH (NOEFFECTS: none of them) is given. */
ValkeyModuleKey *VM_OpenKey(ValkeyModuleCtx *ctx, ValkeyModuleString *keyname, int mode) {
    if (!ctx || !ctx->host || !keyname) return nullptr;
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    if (mode & VALKEYMODULE_OPEN_KEY_NOEFFECTS)
        mode |= VALKEYMODULE_OPEN_KEY_NOTOUCH | VALKEYMODULE_OPEN_KEY_NONOTIFY | VALKEYMODULE_OPEN_KEY_NOSTATS |
                VALKEYMODULE_OPEN_KEY_NOEXPIRE;
    int type = to_int(key_op(h, KOP_OPEN, ctx->client.db, keyname, Napi::Number::New(h->env, mode)));
    if (type == VALKEYMODULE_KEYTYPE_EMPTY && !(mode & VALKEYMODULE_WRITE)) return nullptr;
    ValkeyModuleKey *key = new ValkeyModuleKey();
    key->ctx = ctx;
    key->db = ctx->client.db;
    key->name = keyname;
    vmstr_incref(keyname);
    key->mode = mode;
    ctx_auto_add(ctx, AutoKind::Key, key);
    return key;
}

/** Closes a key handle (NULL is fine). A key opened for writing signals a modification
 *  (WATCH) unless the module set NO_IMPLICIT_SIGNAL_MODIFIED. */
void VM_CloseKey(ValkeyModuleKey *key) {
    if (!key) return;
    ctx_auto_forget(key->ctx, AutoKind::Key, key);
    key_close(key);
}

/** The key's type (VALKEYMODULE_KEYTYPE_*); EMPTY for NULL or a missing key. */
int VM_KeyType(ValkeyModuleKey *key) {
    if (!key) return VALKEYMODULE_KEYTYPE_EMPTY;
    touch(key);
    Napi::HandleScope scope(key->ctx->host->env);
    return to_int(key_op(key->ctx->host, KOP_TYPE, key->db, key->name));
}

/** String length, or element count of an aggregate; 0 for NULL or an empty key. */
size_t VM_ValueLength(ValkeyModuleKey *key) {
    if (!key) return 0;
    if (key->dma) return key->dmaLen;
    Napi::HandleScope scope(key->ctx->host->env);
    return static_cast<size_t>(to_num(key_op(key->ctx->host, KOP_LENGTH, key->db, key->name)));
}

/** Deletes the key (write handles only); the handle then acts as an empty key. */
int VM_DeleteKey(ValkeyModuleKey *key) {
    if (!writable(key)) return VALKEYMODULE_ERR;
    drop_state(key);
    Napi::HandleScope scope(key->ctx->host->env);
    key_op(key->ctx->host, KOP_DELETE, key->db, key->name);
    return VALKEYMODULE_OK;
}

/** Like DeleteKey (values are reclaimed by the garbage collector either way). */
int VM_UnlinkKey(ValkeyModuleKey *key) {
    if (!writable(key)) return VALKEYMODULE_ERR;
    drop_state(key);
    Napi::HandleScope scope(key->ctx->host->env);
    key_op(key->ctx->host, KOP_UNLINK, key->db, key->name);
    return VALKEYMODULE_OK;
}

/** Remaining TTL in ms, or VALKEYMODULE_NO_EXPIRE for no TTL / an empty key. */
mstime_t VM_GetExpire(ValkeyModuleKey *key) {
    if (!key) return VALKEYMODULE_NO_EXPIRE;
    touch(key);
    Napi::HandleScope scope(key->ctx->host->env);
    double abs = to_num(key_op(key->ctx->host, KOP_GET_EXPIRE, key->db, key->name), -1);
    if (abs < 0) return VALKEYMODULE_NO_EXPIRE;
    double now = to_num(key_op(key->ctx->host, KOP_NOW, 0, nullptr), 0);
    double ttl = abs - now;
    return ttl < 0 ? 0 : static_cast<mstime_t>(ttl);
}

/** Absolute expiry (Unix ms), or VALKEYMODULE_NO_EXPIRE. */
mstime_t VM_GetAbsExpire(ValkeyModuleKey *key) {
    if (!key) return VALKEYMODULE_NO_EXPIRE;
    touch(key);
    Napi::HandleScope scope(key->ctx->host->env);
    double abs = to_num(key_op(key->ctx->host, KOP_GET_EXPIRE, key->db, key->name), -1);
    return abs < 0 ? VALKEYMODULE_NO_EXPIRE : static_cast<mstime_t>(abs);
}

static int set_expire(ValkeyModuleKey *key, mstime_t expire, bool relative) {
    if (!writable(key) || (expire < 0 && expire != VALKEYMODULE_NO_EXPIRE)) return VALKEYMODULE_ERR;
    touch(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    double when = -1;
    if (expire != VALKEYMODULE_NO_EXPIRE) {
        when = static_cast<double>(expire);
        if (relative) when += to_num(key_op(h, KOP_NOW, 0, nullptr), 0);
    }
    Napi::Value ok = key_op(h, KOP_SET_EXPIRE, key->db, key->name, Napi::Number::New(h->env, when));
    return ok.ToBoolean().Value() ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** Sets a TTL in ms (NO_EXPIRE removes it). ERR unless open for writing and not empty. */
int VM_SetExpire(ValkeyModuleKey *key, mstime_t expire) { return set_expire(key, expire, true); }

/** Sets an absolute expiry in Unix ms (NO_EXPIRE removes it); ERR as SetExpire. */
int VM_SetAbsExpire(ValkeyModuleKey *key, mstime_t expire) { return set_expire(key, expire, false); }

/** Like FLUSHALL: empties every database (`restart_aof` is accepted; there is no AOF yet). */
void VM_ResetDataset(int restart_aof, int async) {
    Host *h = g_current_host;
    if (!h) return;
    Napi::HandleScope scope(h->env);
    key_op(h, KOP_RESET, 0, nullptr, Napi::Boolean::New(h->env, async != 0));
}

/** Keys in the context's selected database. */
unsigned long long VM_DbSize(ValkeyModuleCtx *ctx) {
    if (!ctx || !ctx->host) return 0;
    Napi::HandleScope scope(ctx->host->env);
    return static_cast<unsigned long long>(to_num(key_op(ctx->host, KOP_DBSIZE, ctx->client.db, nullptr)));
}

/** A random key name of the selected database (a new string, AutoMemory-tracked), or NULL. */
ValkeyModuleString *VM_RandomKey(ValkeyModuleCtx *ctx) {
    if (!ctx || !ctx->host) return nullptr;
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, KOP_RANDOMKEY, ctx->client.db, nullptr);
    if (!v.IsString()) return nullptr;
    size_t len = 0;
    napi_get_value_string_latin1(h->env, v, nullptr, 0, &len);
    ValkeyModuleString *s = vmstr_new_uninit(len);
    napi_get_value_string_latin1(h->env, v, s->ptr, len + 1, &len);
    ctx_auto_add(ctx, AutoKind::String, s);
    return s;
}

/** Whether the key exists, without touching its LRU or the hit/miss stats. */
int VM_KeyExists(ValkeyModuleCtx *ctx, ValkeyModuleString *keyname) {
    if (!ctx || !ctx->host || !keyname) return 0;
    Napi::HandleScope scope(ctx->host->env);
    return key_op(ctx->host, KOP_EXISTS, ctx->client.db, keyname).ToBoolean().Value() ? 1 : 0;
}

/** The database of the context's client. */
int VM_GetSelectedDb(ValkeyModuleCtx *ctx) { return ctx ? ctx->client.db : 0; }

/** Selects a database for the rest of the callback and, as Valkey, for the client after it.
 *  ERR when out of range. */
int VM_SelectDb(ValkeyModuleCtx *ctx, int newid) {
    if (!ctx || !ctx->host) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    Napi::Value ok = key_op(h, KOP_SELECT, newid, nullptr, Napi::Number::New(h->env, static_cast<double>(ctx->client.id)));
    if (!ok.ToBoolean().Value()) return VALKEYMODULE_ERR;
    ctx->client.db = newid;
    return VALKEYMODULE_OK;
}

/** Signals that a key changed (WATCH, client tracking); no keyspace event. */
int VM_SignalModifiedKey(ValkeyModuleCtx *ctx, ValkeyModuleString *keyname) {
    if (!ctx || !ctx->host || !keyname) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(ctx->host->env);
    key_op(ctx->host, KOP_SIGNAL, ctx->client.db, keyname);
    return VALKEYMODULE_OK;
}

/** The name the handle was opened with (owned by the handle; do not free). */
const ValkeyModuleString *VM_GetKeyNameFromModuleKey(ValkeyModuleKey *key) { return key ? key->name : nullptr; }

/** The database the handle was opened in; -1 for NULL. */
int VM_GetDbIdFromModuleKey(ValkeyModuleKey *key) { return key ? key->db : -1; }

/** Sets the key's idle time (LRU). ERR for an empty key or under an LFU maxmemory-policy. */
int VM_SetLRU(ValkeyModuleKey *key, mstime_t lru_idle) {
    if (!key) return VALKEYMODULE_ERR;
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    return key_op(h, KOP_SET_LRU, key->db, key->name, Napi::Number::New(h->env, static_cast<double>(lru_idle)))
                   .ToBoolean()
                   .Value()
               ? VALKEYMODULE_OK
               : VALKEYMODULE_ERR;
}

/** The key's idle time in ms (-1 under an LFU policy). ERR for an empty key. */
int VM_GetLRU(ValkeyModuleKey *key, mstime_t *lru_idle) {
    if (lru_idle) *lru_idle = -1;
    if (!key) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(key->ctx->host->env);
    double v = to_num(key_op(key->ctx->host, KOP_GET_LRU, key->db, key->name), -2);
    if (v == -2) return VALKEYMODULE_ERR;
    if (lru_idle) *lru_idle = static_cast<mstime_t>(v);
    return VALKEYMODULE_OK;
}

/** Sets the key's LFU counter (0-255). ERR for an empty key or under an LRU policy. */
int VM_SetLFU(ValkeyModuleKey *key, long long lfu_freq) {
    if (!key) return VALKEYMODULE_ERR;
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    return key_op(h, KOP_SET_LFU, key->db, key->name, Napi::Number::New(h->env, static_cast<double>(lfu_freq)))
                   .ToBoolean()
                   .Value()
               ? VALKEYMODULE_OK
               : VALKEYMODULE_ERR;
}

/** The key's LFU counter (-1 under an LRU policy). ERR for an empty key. */
int VM_GetLFU(ValkeyModuleKey *key, long long *lfu_freq) {
    if (lfu_freq) *lfu_freq = -1;
    if (!key) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(key->ctx->host->env);
    double v = to_num(key_op(key->ctx->host, KOP_GET_LFU, key->db, key->name), -2);
    if (v == -2) return VALKEYMODULE_ERR;
    if (lfu_freq) *lfu_freq = static_cast<long long>(v);
    return VALKEYMODULE_OK;
}

// ---- String type ----------------------------------------------------------------------

/** Replaces the key's value (any type) with a string; the TTL is dropped. Write handles only. */
int VM_StringSet(ValkeyModuleKey *key, ValkeyModuleString *str) {
    if (!writable(key) || !str) return VALKEYMODULE_ERR;
    drop_state(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    key_op(h, KOP_STRING_SET, key->db, key->name, vmhost::js_key_value(h->env, str));
    return VALKEYMODULE_OK;
}

/** Direct access to a string value: a pointer to its bytes and their count, valid until the
 *  next operation on the handle or its close, when (in WRITE mode) changes are written back.
 *  An empty key gives a zero-length buffer; another type gives NULL. */
char *VM_StringDMA(ValkeyModuleKey *key, size_t *len, int mode) {
    static char empty[1] = {0};
    if (!key) return nullptr;
    if (key->dma) {
        if (mode & VALKEYMODULE_WRITE) key->dmaWritable = key->dmaWritable || writable(key);
        if (len) *len = key->dmaLen;
        return key->dma;
    }
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    int type = to_int(key_op(h, KOP_TYPE, key->db, key->name));
    if (type == VALKEYMODULE_KEYTYPE_EMPTY) {
        if (len) *len = 0;
        return empty;
    }
    if (type != VALKEYMODULE_KEYTYPE_STRING) return nullptr;
    Napi::Value v = key_op(h, KOP_STRING_GET, key->db, key->name);
    size_t n = 0;
    napi_get_value_string_latin1(h->env, v, nullptr, 0, &n);
    key->dma = static_cast<char *>(vm_malloc(n + 1));
    napi_get_value_string_latin1(h->env, v, key->dma, n + 1, &n);
    key->dmaLen = n;
    key->dmaWritable = (mode & VALKEYMODULE_WRITE) && writable(key);
    if (len) *len = n;
    return key->dma;
}

/** Resizes a string value, padding with zero bytes; creates the key when empty and
 *  newlen > 0. ERR for another type, a read-only handle or more than 512 MB. */
int VM_StringTruncate(ValkeyModuleKey *key, size_t newlen) {
    if (!writable(key)) return VALKEYMODULE_ERR;
    if (newlen > 512ull * 1024 * 1024) return VALKEYMODULE_ERR;
    touch(key);
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    int type = to_int(key_op(h, KOP_TYPE, key->db, key->name));
    if (type != VALKEYMODULE_KEYTYPE_EMPTY && type != VALKEYMODULE_KEYTYPE_STRING) return VALKEYMODULE_ERR;
    if (type == VALKEYMODULE_KEYTYPE_EMPTY && newlen == 0) return VALKEYMODULE_OK;
    std::string cur;
    if (type == VALKEYMODULE_KEYTYPE_STRING) {
        cur = js_to_bytes(h->env, key_op(h, KOP_STRING_GET, key->db, key->name));
    }
    cur.resize(newlen, '\0');
    key_op(h, type == VALKEYMODULE_KEYTYPE_EMPTY ? KOP_STRING_SET : KOP_STRING_REPLACE, key->db, key->name,
           bytes_to_js(h->env, cur.data(), cur.size()));
    return VALKEYMODULE_OK;
}

}  // extern "C"
