// Blocking clients and thread-safe contexts: BlockClient and its variants, UnblockClient
// (any thread), AbortBlock, the callback-context accessors, SignalKeyAsReady, background
// time measurement, and GetThreadSafeContext / GetDetachedThreadSafeContext /
// FreeThreadSafeContext. The handle's life cycle lives in host/blocked.cc.
#include <cstring>

#include "../../include/valkeymodule.h"
#include "../host/blocked.h"
#include "../host/clock.h"
#include "../host/context.h"
#include "../host/host.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

/** Key bridge op of SignalKeyAsReady (src/modules/key-ops-blocking.ts). */
constexpr int KOP_SIGNAL_READY = 1010;

}  // namespace

/** Blocks the client running the command until UnblockClient (or the timeout, `timeout_ms`
 *  0 = none). Returns the handle. Inside MULTI/Lua, from a reply callback, or with an
 *  overflowing timeout the client is not blocked: it gets Valkey's error and the handle,
 *  born aborted, must still be released with UnblockClient/AbortBlock. */
extern "C" ValkeyModuleBlockedClient *VM_BlockClient(ValkeyModuleCtx *ctx, ValkeyModuleCmdFunc reply_callback,
                                                     ValkeyModuleCmdFunc timeout_callback,
                                                     void (*free_privdata)(ValkeyModuleCtx *, void *),
                                                     long long timeout_ms) {
    return bc_create(ctx, reply_callback, nullptr, timeout_callback, free_privdata, timeout_ms, nullptr, 0, nullptr, 0);
}

/** Blocks the client until one of `keys` is signalled ready and reply_callback returns OK
 *  for it (the callback runs again on each signal; ERR keeps waiting). `privdata` is
 *  available to the callbacks. */
extern "C" ValkeyModuleBlockedClient *VM_BlockClientOnKeys(ValkeyModuleCtx *ctx, ValkeyModuleCmdFunc reply_callback,
                                                           ValkeyModuleCmdFunc timeout_callback,
                                                           void (*free_privdata)(ValkeyModuleCtx *, void *),
                                                           long long timeout_ms, ValkeyModuleString **keys, int numkeys,
                                                           void *privdata) {
    return bc_create(ctx, reply_callback, nullptr, timeout_callback, free_privdata, timeout_ms, keys, numkeys, privdata,
                     0);
}

/** BlockClientOnKeys with flags: VALKEYMODULE_BLOCK_UNBLOCK_DELETED also wakes the client
 *  when a waited key is deleted. */
extern "C" ValkeyModuleBlockedClient *VM_BlockClientOnKeysWithFlags(
    ValkeyModuleCtx *ctx, ValkeyModuleCmdFunc reply_callback, ValkeyModuleCmdFunc timeout_callback,
    void (*free_privdata)(ValkeyModuleCtx *, void *), long long timeout_ms, ValkeyModuleString **keys, int numkeys,
    void *privdata, int flags) {
    return bc_create(ctx, reply_callback, nullptr, timeout_callback, free_privdata, timeout_ms, keys, numkeys, privdata,
                     flags);
}

/** Signals that `key` (in the context client's database) may now serve clients blocked on
 *  it (BlockClientOnKeys); they are served after the current command. */
extern "C" void VM_SignalKeyAsReady(ValkeyModuleCtx *ctx, ValkeyModuleString *key) {
    Host *host = ctx->host ? ctx->host : g_current_host;
    if (!host || !key) return;
    key_op(host, KOP_SIGNAL_READY, ctx->client.db, key);
}

/** Releases a handle: the reply callback then runs on the JS thread with `privdata`
 *  (GetBlockedClientPrivateData), followed by free_privdata. Safe from any thread. For a
 *  client blocked on keys it runs the timeout callback instead (JS thread only) and fails
 *  with ERR when there is none. Returns OK. */
extern "C" int VM_UnblockClient(ValkeyModuleBlockedClient *bc, void *privdata) {
    if (bc->onKeys) {
        if (!bc->timeoutCallback) return VALKEYMODULE_ERR;
        if (bc->unblocked.load()) return VALKEYMODULE_OK;
        if (bc->hasClient) {
            // Valkey runs the timeout callback here, its replies going where a thread-safe
            // context's go (they reach the client when the handle is drained).
            ValkeyModuleCtx ctx;
            ctx_init(&ctx, bc->host, bc->module, CTX_BLOCKED_TIMEOUT | CTX_THREAD_SAFE);
            ctx.client.id = bc->clientId;
            ctx.client.resp = bc->resp;
            ctx.client.db = bc->db;
            ctx.tape = &bc->replies;
            ctx.command = bc->command;
            ctx.argc = static_cast<int>(bc->argv.size());
            ctx.argv = bc->argv.data();
            ctx.blocked = bc;
            ctx.blockedPrivdata = bc->privdata;
            {
                CurrentHostScope scope(bc->host);
                bc->timeoutCallback(&ctx, bc->argv.data(), ctx.argc);
                ctx_finish(&ctx);
            }
            bc->disconnectCallback = nullptr;
        }
    } else {
        bc->privdata = privdata;
    }
    bc->unblocked = true;
    bc_queue(bc);
    return VALKEYMODULE_OK;
}

/** Releases a handle without running any callback (the client gets no further reply).
 *  Returns what UnblockClient returns. */
extern "C" int VM_AbortBlock(ValkeyModuleBlockedClient *bc) {
    bc->replyCallback = nullptr;
    bc->disconnectCallback = nullptr;
    bc->authReplyCallback = nullptr;
    return VM_UnblockClient(bc, nullptr);
}

/** Sets the callback run when the blocked client disconnects (not on timeout, not when the
 *  module unblocks it). The module should release the handle from it. */
extern "C" void VM_SetDisconnectCallback(ValkeyModuleBlockedClient *bc, ValkeyModuleDisconnectFunc callback) {
    bc->disconnectCallback = callback;
}

/** True inside a blocked client's reply callback. */
extern "C" int VM_IsBlockedReplyRequest(ValkeyModuleCtx *ctx) { return (ctx->flags & CTX_BLOCKED_REPLY) != 0; }

/** True inside a blocked client's timeout callback. */
extern "C" int VM_IsBlockedTimeoutRequest(ValkeyModuleCtx *ctx) { return (ctx->flags & CTX_BLOCKED_TIMEOUT) != 0; }

/** The privdata of the blocked client a reply/timeout/free callback runs for (NULL otherwise). */
extern "C" void *VM_GetBlockedClientPrivateData(ValkeyModuleCtx *ctx) { return ctx->blockedPrivdata; }

/** Inside a reply callback of BlockClientOnKeys: the key that was signalled ready (NULL otherwise). */
extern "C" ValkeyModuleString *VM_GetBlockedClientReadyKey(ValkeyModuleCtx *ctx) { return ctx->blockedReadyKey; }

/** The handle of the blocked client a reply/timeout callback (or thread-safe context) belongs to. */
extern "C" ValkeyModuleBlockedClient *VM_GetBlockedClientHandle(ValkeyModuleCtx *ctx) { return ctx->blocked; }

/** True inside free_privdata when the client left before it was unblocked (disconnect or timeout). */
extern "C" int VM_BlockedClientDisconnected(ValkeyModuleCtx *ctx) {
    return (ctx->flags & CTX_BLOCKED_DISCONNECTED) != 0;
}

/** The handle's privdata (BlockClientOnKeys' privdata or what SetPrivateData stored). */
extern "C" void *VM_BlockClientGetPrivateData(ValkeyModuleBlockedClient *blocked_client) {
    return blocked_client->privdata;
}

/** Replaces the handle's privdata. */
extern "C" void VM_BlockClientSetPrivateData(ValkeyModuleBlockedClient *blocked_client, void *private_data) {
    blocked_client->privdata = private_data;
}

/** Starts measuring background work for the blocked command (added to its duration). Returns OK. */
extern "C" int VM_BlockedClientMeasureTimeStart(ValkeyModuleBlockedClient *bc) {
    bc->bgStart = monotonic_us();
    if (bc->bgStart == 0) bc->bgStart = 1;
    return VALKEYMODULE_OK;
}

/** Ends a measurement started by MeasureTimeStart. Returns ERR when none was started. */
extern "C" int VM_BlockedClientMeasureTimeEnd(ValkeyModuleBlockedClient *bc) {
    if (bc->bgStart == 0) return VALKEYMODULE_ERR;
    bc->bgDuration += monotonic_us() - bc->bgStart;
    bc->bgStart = 0;
    return VALKEYMODULE_OK;
}

// ---------------------------------------------------------------------------------------
// Thread-safe contexts

/** A context usable from any thread. Bound to a blocked client, its Reply* calls accumulate
 *  in the handle's private reply buffer (no lock needed) and reach the client when it is
 *  unblocked; other calls need ThreadSafeContextLock. With NULL it has no module identity. */
extern "C" ValkeyModuleCtx *VM_GetThreadSafeContext(ValkeyModuleBlockedClient *bc) {
    auto *ctx = new ValkeyModuleCtx();
    Host *host = bc ? bc->host : g_current_host;
    ctx_init(ctx, host, bc ? bc->module : nullptr, CTX_THREAD_SAFE);
    if (bc) {
        ctx->blocked = bc;
        ctx->tape = &bc->replies;
        if (bc->hasClient) ctx->client.id = bc->clientId;
        ctx->client.resp = bc->resp;
        ctx->client.db = bc->db;
    }
    return ctx;
}

/** A thread-safe context not bound to any client that keeps `ctx`'s module (log prefixes,
 *  ownership of what it creates). Lives until FreeThreadSafeContext. */
extern "C" ValkeyModuleCtx *VM_GetDetachedThreadSafeContext(ValkeyModuleCtx *ctx) {
    auto *out = new ValkeyModuleCtx();
    ctx_init(out, ctx->host ? ctx->host : g_current_host, ctx->module, CTX_THREAD_SAFE);
    return out;
}

/** Releases a thread-safe context (its AutoMemory objects too). */
extern "C" void VM_FreeThreadSafeContext(ValkeyModuleCtx *ctx) {
    if (!ctx) return;
    ctx_finish(ctx);
    delete ctx;
}
