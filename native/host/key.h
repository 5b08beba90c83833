// ValkeyModuleKey: a module's handle on one key of the TypeScript keyspace.
//
// The value itself stays in TypeScript; each key API call is one crossing into the
// engine's key bridge (src/modules/key-bridge.ts). StringDMA hands the module a native
// copy of a string value that is written back before the key is next used or closed.
#pragma once
#include <string>

#include "context.h"
#include "host.h"
#include "vmstring.h"

struct ValkeyModuleKey {
    ValkeyModuleCtx *ctx = nullptr;
    int db = 0;
    ValkeyModuleString *name = nullptr;  // retained
    int mode = 0;                        // VALKEYMODULE_READ/WRITE | OPEN_KEY_* flags
    // StringDMA state: a native copy of the value, written back when dirty.
    char *dma = nullptr;
    size_t dmaLen = 0;
    bool dmaWritable = false;
    // Iterator state of the typed APIs (owned by api/keys_zset.cc and api/keys_stream.cc).
    void *zsetIter = nullptr;
    void *streamIter = nullptr;
};

namespace vmhost {

/** Key bridge operations (the first argument of Host::keyOp; mirrored in key-bridge.ts). */
enum KeyOp {
    KOP_OPEN = 0,           // (db, key, mode) -> key type (0: missing)
    KOP_TYPE = 1,           // (db, key) -> key type
    KOP_LENGTH = 2,         // (db, key) -> length
    KOP_DELETE = 3,         // (db, key) -> deleted?
    KOP_UNLINK = 4,         // (db, key) -> deleted?
    KOP_GET_EXPIRE = 5,     // (db, key) -> absolute ms or -1
    KOP_SET_EXPIRE = 6,     // (db, key, absolute ms or -1) -> ok?
    KOP_STRING_GET = 7,     // (db, key) -> latin1 string or null
    KOP_STRING_SET = 8,     // (db, key, value) -> replaces the key (TTL dropped)
    KOP_STRING_REPLACE = 9, // (db, key, value) -> new bytes of an existing string (TTL kept)
    KOP_DBSIZE = 10,        // (db) -> keys
    KOP_RANDOMKEY = 11,     // (db) -> key or null
    KOP_RESET = 12,         // (async) -> flush every database
    KOP_SIGNAL = 13,        // (db, key) -> signal modified
    KOP_SELECT = 14,        // (clientId, db) -> ok?
    KOP_GET_LRU = 15,       // (db, key) -> idle ms, or -1 under an LFU policy; -2 when missing
    KOP_SET_LRU = 16,       // (db, key, idle ms) -> ok?
    KOP_GET_LFU = 17,       // (db, key) -> freq, or -1 under an LRU policy; -2 when missing
    KOP_SET_LFU = 18,       // (db, key, freq) -> ok?
    KOP_EXISTS = 19,        // (db, key) -> exists? (no LRU touch, no stats)
    KOP_NOW = 20,           // () -> the engine's current time in ms
};

/** Runs a key bridge operation on the JS thread; returns the JS result (undefined when the
 *  host has no bridge). */
Napi::Value key_op(Host *host, int op, int db, const ValkeyModuleString *key, Napi::Value a = Napi::Value(),
                   Napi::Value b = Napi::Value());

/** A ValkeyModuleString as a one-byte JS string. */
Napi::Value js_key_value(Napi::Env env, const ValkeyModuleString *s);

/** Writes a pending DMA buffer back to the keyspace and drops it. */
void key_flush_dma(ValkeyModuleKey *key);

/** Other API areas use op numbers 100-199 (lists), 200-299 (hashes), 300-399 (sorted sets),
 *  400-499 (streams), 500-599 (INFO, publish, latency), 600-699 (scan, cluster) and 700-799
 *  (clients, shared APIs), defined in their own files; src/modules/key-ops-<area>.ts serves
 *  them. key_op's key argument may be NULL for operations without a key. */

/** Releases a handle's sorted-set iterator (api/keys_zset.cc). */
void zset_iter_release(ValkeyModuleKey *key);
/** Releases a handle's stream iterator (api/keys_stream.cc). */
void stream_iter_release(ValkeyModuleKey *key);

/** Closes a key handle (CloseKey without the AutoMemory bookkeeping). */
void key_close(ValkeyModuleKey *key);

}  // namespace vmhost
