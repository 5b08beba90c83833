// The scan API: iterating the keys of the selected database (Scan) and the elements of a
// hash, set or sorted set (ScanKey).
//
// A cursor carries the engine's cursor number between calls; each call fetches one batch
// through the key bridge (src/modules/key-ops-scan.ts), whose live iterators report every
// element present for the whole iteration, then runs the module's callback per element.
#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

struct ValkeyModuleScanCursor {
    uint64_t cursor = 0;  // the engine's cursor number (0: start over)
    bool done = false;
};

namespace {

// Op numbers served by src/modules/key-ops-scan.ts
constexpr int SOP_SCAN = 600;      // (db, null, cursor, count) -> [next cursor, key, ...]
constexpr int SOP_SCAN_KEY = 601;  // (db, key, cursor, count) -> [next, hasValues, field, value?, ...] or -1

constexpr int SCAN_BATCH = 10;  // elements per call, like SCAN's default COUNT

/** One batch as native strings: the next cursor and the elements. */
bool fetch(Napi::Value r, uint64_t &next, std::vector<std::string> &items, size_t first) {
    if (!r.IsArray()) return false;
    Napi::Env env = r.Env();
    Napi::Array a = r.As<Napi::Array>();
    uint32_t n = a.Length();
    if (n < first) return false;
    Napi::Value c = a.Get(uint32_t(0));
    next = c.IsNumber() ? static_cast<uint64_t>(c.As<Napi::Number>().DoubleValue()) : 0;
    if (first > 1) items.push_back(a.Get(uint32_t(1)).ToBoolean().Value() ? "1" : "0");
    for (uint32_t i = static_cast<uint32_t>(first); i < n; i++) items.push_back(js_to_bytes(env, a.Get(i)));
    return true;
}

}  // namespace

extern "C" {

/** A new cursor for Scan or ScanKey, at the start. */
ValkeyModuleScanCursor *VM_ScanCursorCreate(void) { return new ValkeyModuleScanCursor(); }

/** Puts a cursor back at the start: the next call scans everything again. */
void VM_ScanCursorRestart(ValkeyModuleScanCursor *cursor) {
    if (!cursor) return;
    cursor->cursor = 0;
    cursor->done = false;
}

/** Frees a cursor (NULL is fine). */
void VM_ScanCursorDestroy(ValkeyModuleScanCursor *cursor) { delete cursor; }

/** Scans one batch of the selected database, calling fn(ctx, keyname, key, privdata) per
 *  key; key is a READ handle (or NULL when the key went away during the batch) owned by the
 *  caller. Returns 1 while keys remain, 0 at the end; 0 with errno ENOENT on a finished
 *  cursor. */
int VM_Scan(ValkeyModuleCtx *ctx, ValkeyModuleScanCursor *cursor, ValkeyModuleScanCB fn, void *privdata) {
    if (!ctx || !ctx->host || !cursor || !fn) {
        errno = EINVAL;
        return 0;
    }
    if (cursor->done) {
        errno = ENOENT;
        return 0;
    }
    Host *h = ctx->host;
    int db = ctx->client.db;
    uint64_t next = 0;
    std::vector<std::string> keys;
    {
        Napi::HandleScope scope(h->env);
        Napi::Value r = key_op(h, SOP_SCAN, db, nullptr, Napi::Number::New(h->env, static_cast<double>(cursor->cursor)),
                               Napi::Number::New(h->env, SCAN_BATCH));
        if (!fetch(r, next, keys, 1)) next = 0;
    }
    for (const std::string &k : keys) {
        ValkeyModuleString *name = vmstr_new(k.data(), k.size());
        bool exists;
        {
            Napi::HandleScope scope(h->env);
            exists = key_op(h, KOP_EXISTS, db, name).ToBoolean().Value();
        }
        ValkeyModuleKey *key = nullptr;
        if (exists) {
            key = new ValkeyModuleKey();
            key->ctx = ctx;
            key->db = db;
            key->name = name;
            vmstr_incref(name);
            key->mode = VALKEYMODULE_READ;
        }
        fn(ctx, name, key, privdata);
        if (key) key_close(key);
        vmstr_decref(name);
    }
    cursor->cursor = next;
    errno = 0;
    if (next == 0) {
        cursor->done = true;
        return 0;
    }
    return 1;
}

/** Scans one batch of a hash (field, value), set (member, NULL) or sorted set (member,
 *  score as a string) key, calling fn(key, field, value, privdata) per element. Returns 1
 *  while elements remain, 0 at the end; 0 with errno EINVAL for a NULL handle, an empty key
 *  or another type, else ENOENT on a finished cursor. Deleting the current element from the
 *  callback is safe. */
int VM_ScanKey(ValkeyModuleKey *key, ValkeyModuleScanCursor *cursor, ValkeyModuleScanKeyCB fn, void *privdata) {
    if (!key || !cursor || !fn) {
        errno = EINVAL;
        return 0;
    }
    Host *h = key->ctx->host;
    if (key->dma) key_flush_dma(key);
    if (cursor->done) {
        // As in Valkey, a key of the wrong type is reported before a finished cursor.
        Napi::HandleScope scope(h->env);
        Napi::Value t = key_op(h, KOP_TYPE, key->db, key->name);
        int type = t.IsNumber() ? t.As<Napi::Number>().Int32Value() : VALKEYMODULE_KEYTYPE_EMPTY;
        bool scannable = type == VALKEYMODULE_KEYTYPE_HASH || type == VALKEYMODULE_KEYTYPE_SET ||
                         type == VALKEYMODULE_KEYTYPE_ZSET;
        errno = scannable ? ENOENT : EINVAL;
        return 0;
    }
    uint64_t next = 0;
    std::vector<std::string> items;
    {
        Napi::HandleScope scope(h->env);
        Napi::Value r = key_op(h, SOP_SCAN_KEY, key->db, key->name,
                               Napi::Number::New(h->env, static_cast<double>(cursor->cursor)),
                               Napi::Number::New(h->env, SCAN_BATCH));
        if (!fetch(r, next, items, 2)) {
            errno = EINVAL;
            return 0;
        }
    }
    bool pairs = items[0] == "1";
    for (size_t i = 1; i < items.size(); i += pairs ? 2 : 1) {
        ValkeyModuleString *field = vmstr_new(items[i].data(), items[i].size());
        ValkeyModuleString *value = nullptr;
        if (pairs && i + 1 < items.size()) value = vmstr_new(items[i + 1].data(), items[i + 1].size());
        fn(key, field, value, privdata);
        vmstr_decref(field);
        if (value) vmstr_decref(value);
    }
    cursor->cursor = next;
    errno = 0;
    if (next == 0) {
        cursor->done = true;
        return 0;
    }
    return 1;
}

}  // extern "C"
