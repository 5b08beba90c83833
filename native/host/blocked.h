// Module blocked clients: the ValkeyModuleBlockedClient handle, its private reply tape
// (what thread-safe contexts bound to it write), and the per-host queue of handles that
// UnblockClient released, drained on the JS thread.
//
// Lifecycle, as Valkey's module.c has it:
//   BlockClient            the handle is created and counted in its module (unload refusal);
//                          a command running at top level reports it through the host's
//                          block state so TypeScript blocks the client (blocked-bridge.ts)
//   UnblockClient (any thread) / AbortBlock
//                          the handle is queued and the JS loop is woken (thread-safe function)
//   drain (JS thread)      reply callback (only while the client is still there and not
//                          blocked on keys), free_privdata, then the reply: the callback's
//                          replies followed by the thread-safe contexts' replies; the handle is freed
//   timeout / CLIENT UNBLOCK / disconnect
//                          the client leaves the handle (timeout callback or disconnect
//                          callback first); a handle not blocked on keys stays alive until the
//                          module calls UnblockClient (Valkey's contract)
//   key ready              the reply callback runs with the ready key; OK serves and releases
#pragma once
#include <napi.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "../../include/valkeymodule.h"
#include "context.h"
#include "host.h"
#include "tape.h"
#include "vmstring.h"

struct ValkeyModuleBlockedClient {
    vmhost::Host *host = nullptr;
    vmhost::Module *module = nullptr;
    uint32_t id = 0;                 // handle id TypeScript knows it by
    // The client: false for an already aborted handle (MULTI, reply callback context,
    // timeout out of range, nested call) and once the client left (timeout, disconnect).
    bool hasClient = false;
    bool jsBlocked = false;          // TypeScript blocked the client on this handle
    uint64_t clientId = 0;
    int resp = 2;
    int db = 0;
    uint32_t jsFlags = 0;
    ValkeyModuleCommand *command = nullptr;
    std::vector<ValkeyModuleString *> argv;  // the blocked command's arguments (retained)
    ValkeyModuleCmdFunc replyCallback = nullptr;
    ValkeyModuleCmdFunc timeoutCallback = nullptr;
    ValkeyModuleAuthCallback authReplyCallback = nullptr;
    void (*freePrivdata)(ValkeyModuleCtx *, void *) = nullptr;
    ValkeyModuleDisconnectFunc disconnectCallback = nullptr;
    void *privdata = nullptr;
    vmhost::ReplyTape replies;       // thread-safe contexts' replies, glued after the callback's
    bool onKeys = false;             // BlockClientOnKeys
    bool onAuth = false;             // BlockClientOnAuth (released to api/auth.cc, not replied here)
    bool unblockDeleted = false;     // VALKEYMODULE_BLOCK_UNBLOCK_DELETED
    std::vector<std::string> keys;   // keys waited on (byte strings)
    long long deadline = 0;          // absolute ms (wall clock), 0: no timeout
    std::atomic<bool> unblocked{false};  // UnblockClient/AbortBlock already queued it
    bool queued = false;             // in the host's unblocked queue (guarded by its mutex)
    uint64_t bgStart = 0;            // BlockedClientMeasureTimeStart (monotonic us), 0: not running
    uint64_t bgDuration = 0;         // accumulated background time (us)
};

namespace vmhost {

/** Per-host blocked-client state. Everything but the queue is JS-thread only. */
struct BlockedHost {
    std::unordered_map<uint32_t, ValkeyModuleBlockedClient *> live;  // by id
    uint32_t nextId = 1;
    // Read by TypeScript after each top-level module command (an Int32Array over it):
    // [0] the id of the handle the command blocked its client on, 0 for none.
    int32_t state[2] = {0, 0};
    std::mutex mu;                                  // guards queue
    std::vector<ValkeyModuleBlockedClient *> queue; // released by UnblockClient, FIFO
    napi_threadsafe_function tsfn = nullptr;        // wakes the JS thread to drain
    bool tsfnRef = false;                           // keeps the loop alive while handles live
    Napi::FunctionReference hook;                   // (id, tape Buffer, us) => void: unblock with reply
    Host *host = nullptr;                           // owner; null once the host is gone
};

/** The host's blocked-client state (created on first use). */
BlockedHost &blocked_of(Host *host);
/** Releases the host's blocked-client state (host teardown). */
void blocked_host_destroy(Host *host);
/** Sets the JS function that unblocks a client with its reply (blocked-bridge.ts). */
void blocked_set_hook(Host *host, Napi::Function fn);

/** Creates a handle for the client of `ctx` (BlockClient / BlockClientOnKeys / OnAuth). */
ValkeyModuleBlockedClient *bc_create(ValkeyModuleCtx *ctx, ValkeyModuleCmdFunc reply, ValkeyModuleAuthCallback authReply,
                                     ValkeyModuleCmdFunc timeout, void (*freePrivdata)(ValkeyModuleCtx *, void *),
                                     long long timeoutMs, ValkeyModuleString **keys, int numkeys, void *privdata,
                                     int flags);
/** Queues a released handle and wakes the JS thread (any thread). */
void bc_queue(ValkeyModuleBlockedClient *bc);
/** Looks a live handle up by id (JS thread). */
ValkeyModuleBlockedClient *bc_find(Host *host, uint32_t id);

/** Timeout (or CLIENT UNBLOCK TIMEOUT): runs the timeout callback; `out` gets its reply tape. */
void bc_timeout(ValkeyModuleBlockedClient *bc, std::string &out);
/** The client left (disconnect, CLIENT UNBLOCK ERROR, CLIENT KILL): disconnect callback, then
 *  the handle loses its client. */
void bc_client_gone(ValkeyModuleBlockedClient *bc, bool runDisconnect);
/** A waited key is ready: runs the reply callback with it. Returns true (`out` then holds the
 *  reply tape and the handle is released) when it served the client; false keeps waiting. */
bool bc_serve_key(ValkeyModuleBlockedClient *bc, const std::string &key, std::string &out);
/** Serves the queue of released handles (JS thread). */
void bc_drain(Host *host);
/** Frees privdata (free_privdata) and the handle itself (JS thread). */
void bc_release(ValkeyModuleBlockedClient *bc);

// Module authentication (api/auth.cc).
/** A released BlockClientOnAuth handle whose client waits: hands it to TypeScript's auth
 *  chain. True when the handle was taken (and freed); false leaves it to the drain. */
bool auth_take_released(ValkeyModuleBlockedClient *bc);
/** The addon's blocked() ops 20-22 (module authentication, see api/auth.cc). */
Napi::Value auth_method(Host *host, const Napi::CallbackInfo &info);
/** Forgets a module's auth callbacks (unload). */
void auth_callbacks_forget(Host *host, Module *m);

/** The addon's `blocked(op, ...)` method (native/addon.cc forwards to it):
 *    0 ()               -> Int32Array over the block state
 *    1 (hook)           sets the unblock hook
 *    2 (id)             -> [deadline ms, keys[], flags] (flags: 1 on keys, 2 unblock on delete,
 *                          4 has a timeout callback) and marks the client blocked in TypeScript; null if gone
 *    3 (id)             timeout: -> Buffer (the timeout callback's reply tape)
 *    4 (id, key)        key ready: -> Buffer (served) or null (keep waiting)
 *    5 (id, disconnect) the client left (disconnect: run the disconnect callback)
 *    6 (name)           -> live handles of a module (tests)
 *    7 (id)             -> background time measured so far (us, MeasureTimeStart/End)
 *    20-22              module authentication (api/auth.cc)
 *  The unblock hook is called (id, reply tape, execution us: background time + reply callback). */
Napi::Value blocked_method(Host *host, const Napi::CallbackInfo &info);

}  // namespace vmhost
