// Module blocked clients: handle creation, the unblocked queue and its JS-thread drain,
// and the timeout / disconnect / key-ready paths TypeScript drives (see blocked.h).
#include "blocked.h"

#include <climits>
#include <cstring>

#include "clock.h"
#include "gil.h"
#include "jsbytes.h"

namespace vmhost {

namespace {

/** The thread-safe function's JS-thread side: drains the host's queue. A null env means the
 *  function is being torn down with the host: nothing to do. */
void tsfn_call_js(napi_env env, napi_value, void *context, void *) {
    BlockedHost *b = static_cast<BlockedHost *>(context);
    if (env == nullptr || b->host == nullptr) return;
    bc_drain(b->host);
}

/** The thread-safe function is gone (released with the host, or closed by Node at exit,
 *  which may happen before the host's own finalizer): forget it, and free the state when
 *  the host already went. */
void tsfn_finalize(napi_env, void *data, void *) {
    BlockedHost *b = static_cast<BlockedHost *>(data);
    b->tsfn = nullptr;
    if (b->host == nullptr) delete b;
}

/** Keeps the event loop alive while handles live (a blocked `await engine.call()` must not
 *  let Node exit), and lets it go when none are left. JS thread only. */
void update_loop_ref(Host *host, BlockedHost &b) {
    bool want = !b.live.empty();
    if (want == b.tsfnRef || !b.tsfn) return;
    if (want)
        napi_ref_threadsafe_function(host->env, b.tsfn);
    else
        napi_unref_threadsafe_function(host->env, b.tsfn);
    b.tsfnRef = want;
}

/** Appends one complete tape's bytes to `out`. */
void append_tape(std::string &out, ReplyTape &t) {
    if (t.pendingPostponed() > 0) t.closeAllPostponed();
    out.append(reinterpret_cast<const char *>(t.data()), t.size());
}

/** Runs a command-shaped callback (reply or timeout) of a handle; returns its status. */
int run_cmd_callback(ValkeyModuleBlockedClient *bc, ValkeyModuleCmdFunc fn, uint32_t flags, ReplyTape *tape,
                     ValkeyModuleString *readyKey) {
    ValkeyModuleCtx ctx;
    ctx_init(&ctx, bc->host, bc->module, flags);
    if (bc->hasClient) ctx.client.id = bc->clientId;
    ctx.client.resp = bc->resp;
    ctx.client.db = bc->db;
    ctx.client.jsFlags = bc->jsFlags;
    ctx.tape = tape;
    ctx.command = bc->command;
    ctx.argc = static_cast<int>(bc->argv.size());
    ctx.argv = bc->argv.data();
    ctx.blocked = bc;
    ctx.blockedPrivdata = bc->privdata;
    ctx.blockedReadyKey = readyKey;
    set_cached_time_us(-1);
    int rc;
    {
        CurrentHostScope scope(bc->host);
        rc = fn(&ctx, bc->argv.data(), ctx.argc);
        ctx_finish(&ctx);
    }
    return rc;
}

/** Calls free_privdata when there is privdata to free (Valkey's rule). */
void free_privdata(ValkeyModuleBlockedClient *bc) {
    if (!bc->privdata || !bc->freePrivdata) return;
    ValkeyModuleCtx ctx;
    ctx_init(&ctx, bc->host, bc->module, bc->hasClient ? 0u : static_cast<uint32_t>(CTX_BLOCKED_DISCONNECTED));
    if (bc->hasClient) ctx.client.id = bc->clientId;
    ctx.client.resp = bc->resp;
    ctx.client.db = bc->db;
    ctx.blockedPrivdata = bc->privdata;
    {
        CurrentHostScope scope(bc->host);
        bc->freePrivdata(&ctx, bc->privdata);
        ctx_finish(&ctx);
    }
}

/** Releases a handle: out of the live table and its module's count, memory freed. */
void bc_free(ValkeyModuleBlockedClient *bc) {
    Host *host = bc->host;
    BlockedHost &b = *host->blocked;
    b.live.erase(bc->id);
    if (b.state[0] == static_cast<int32_t>(bc->id)) b.state[0] = 0;
    update_loop_ref(host, b);
    if (bc->module) bc->module->blockedClients--;
    for (ValkeyModuleString *s : bc->argv) vmstr_decref(s);
    delete bc;
}

/** The client leaves the handle (Valkey's unblockClientFromModule after a timeout,
 *  disconnect or CLIENT UNBLOCK): a handle blocked on keys is released now (the module is
 *  not expected to call UnblockClient for it); any other waits for UnblockClient. */
void leave(ValkeyModuleBlockedClient *bc) {
    bc->jsBlocked = false;
    bool release = bc->onKeys && !bc->unblocked.load();
    bc->hasClient = false;
    if (release) {
        bc->unblocked = true;
        bc_queue(bc);
    }
}

}  // namespace

BlockedHost &blocked_of(Host *host) {
    if (!host->blocked) {
        BlockedHost *b = new BlockedHost();
        b->host = host;
        host->blocked = b;
        napi_value name;
        napi_create_string_utf8(host->env, "vmhost-unblocked", NAPI_AUTO_LENGTH, &name);
        if (napi_create_threadsafe_function(host->env, nullptr, nullptr, name, 0, 1, b, tsfn_finalize, b,
                                            tsfn_call_js, &b->tsfn) == napi_ok) {
            napi_unref_threadsafe_function(host->env, b->tsfn);
        } else {
            b->tsfn = nullptr;
        }
    }
    return *host->blocked;
}

void blocked_host_destroy(Host *host) {
    BlockedHost *b = host->blocked;
    if (!b) return;
    // Live handles may still be referenced by module threads: they are left allocated.
    b->hook.Reset();
    host->blocked = nullptr;
    b->host = nullptr;
    if (b->tsfn)
        napi_release_threadsafe_function(b->tsfn, napi_tsfn_abort);  // tsfn_finalize frees b
    else
        delete b;
}

void blocked_set_hook(Host *host, Napi::Function fn) {
    blocked_of(host).hook = Napi::Persistent(fn);
}

ValkeyModuleBlockedClient *bc_find(Host *host, uint32_t id) {
    if (!host->blocked) return nullptr;
    auto it = host->blocked->live.find(id);
    return it == host->blocked->live.end() ? nullptr : it->second;
}

ValkeyModuleBlockedClient *bc_create(ValkeyModuleCtx *ctx, ValkeyModuleCmdFunc reply, ValkeyModuleAuthCallback authReply,
                                     ValkeyModuleCmdFunc timeout, void (*freePrivdata)(ValkeyModuleCtx *, void *),
                                     long long timeoutMs, ValkeyModuleString **keys, int numkeys, void *privdata,
                                     int flags) {
    Host *host = ctx->host ? ctx->host : g_current_host;
    BlockedHost &b = blocked_of(host);
    auto *bc = new ValkeyModuleBlockedClient();
    bc->host = host;
    bc->module = ctx->module;
    if (b.nextId == 0 || b.nextId > INT32_MAX) b.nextId = 1;
    bc->id = b.nextId++;
    b.live[bc->id] = bc;
    update_loop_ref(host, b);
    if (bc->module) bc->module->blockedClients++;
    bc->replyCallback = reply;
    bc->authReplyCallback = authReply;
    bc->timeoutCallback = timeout;
    bc->freePrivdata = freePrivdata;
    bc->privdata = privdata;
    bc->clientId = ctx->client.id;
    bc->resp = ctx->client.resp;
    bc->db = ctx->client.db;
    bc->jsFlags = ctx->client.jsFlags;
    bc->command = ctx->command;
    for (int i = 0; i < ctx->argc; i++) {
        vmstr_incref(ctx->argv[i]);
        bc->argv.push_back(ctx->argv[i]);
    }
    bc->onKeys = keys != nullptr;
    bc->onAuth = authReply != nullptr;
    bc->unblockDeleted = (flags & VALKEYMODULE_BLOCK_UNBLOCK_DELETED) != 0;
    for (int i = 0; keys && i < numkeys; i++) bc->keys.emplace_back(keys[i]->ptr, keys[i]->len);

    ReplyTape *tape = ctx->tape;
    auto error = [tape](const char *msg) {
        if (tape) tape->addError(msg, std::strlen(msg));
    };
    const bool lua = (ctx->client.jsFlags & VALKEYMODULE_CTX_FLAGS_LUA) != 0;
    const bool multi = (ctx->client.jsFlags & VALKEYMODULE_CTX_FLAGS_MULTI) != 0;
    // Only a command the engine dispatched at top level for a real client can block it; a
    // command run through ValkeyModule_Call has no client to block (the handle is born aborted).
    const bool topLevel = (ctx->flags & CTX_COMMAND) && host->dispatchDepth == 1 && tape == &host->tape &&
                          ctx->client.id != 0;
    // A command run through ValkeyModule_Call blocks the call's fake client when the call used
    // `K` (the caller gets a PROMISE, src/modules/call-bridge.ts); without `K` it may not block.
    const bool inCall = (ctx->flags & CTX_COMMAND) && host->dispatchDepth > 1 &&
                        tape == &host->tapeAt(host->dispatchDepth - 1) && ctx->client.id != 0;
    const bool denied = (ctx->client.jsFlags & VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING) != 0;
    if (timeoutMs != 0) {
        long long now = now_ms();
        if (timeoutMs > LLONG_MAX - now) {
            error("ERR timeout is out of range");  // now + timeout would overflow
            return bc;
        }
        // A negative timeout lies in the past: it fires at once (never 0, which means none).
        bc->deadline = now + timeoutMs > 0 ? now + timeoutMs : 1;
    }
    if (lua || multi) {
        error(lua ? "ERR Blocking module command called from Lua script"
                  : "ERR Blocking module command called from transaction");
    } else if (ctx->flags & CTX_BLOCKED_REPLY) {
        error("ERR Blocking module command called from a Reply callback context");
    } else if (ctx->flags & CTX_MODULE_AUTH) {
        // An auth callback blocks its client only through BlockClientOnAuth (api/auth.cc).
        if (!authReply)
            error("ERR Clients undergoing module based authentication can only be blocked on auth");
        else if (denied)
            error("ERR Blocking module command called from ValkeyModule_Call without the K flag");
        else
            bc->hasClient = true;
    } else if (inCall && denied) {
        error("ERR Blocking module command called from ValkeyModule_Call without the K flag");
    } else if (topLevel || inCall) {
        // A second BlockClient in the same command replaces the first (which then has no client).
        if (b.state[0] != 0) {
            ValkeyModuleBlockedClient *prev = bc_find(host, static_cast<uint32_t>(b.state[0]));
            if (prev) prev->hasClient = false;
        }
        bc->hasClient = true;
        b.state[0] = static_cast<int32_t>(bc->id);
    }
    return bc;
}

void bc_queue(ValkeyModuleBlockedClient *bc) {
    BlockedHost *b = bc->host->blocked;
    bool wake;
    {
        std::lock_guard<std::mutex> lock(b->mu);
        if (bc->queued) return;
        bc->queued = true;
        wake = b->queue.empty();
        b->queue.push_back(bc);
    }
    if (wake && b->tsfn) napi_call_threadsafe_function(b->tsfn, nullptr, napi_tsfn_nonblocking);
}

void bc_drain(Host *host) {
    BlockedHost *b = host->blocked;
    if (!b) return;
    Napi::Env env = host->env;
    Napi::HandleScope hs(env);
    // Callbacks run as one engine execution unit (lock held, propagation wrapped, ready keys
    // served at the end), like any module code run outside a command.
    EngineUnitScope unit(host);
    for (;;) {
        ValkeyModuleBlockedClient *bc;
        {
            std::lock_guard<std::mutex> lock(b->mu);
            if (b->queue.empty()) break;
            bc = b->queue.front();
            b->queue.erase(b->queue.begin());
            bc->queued = false;
        }
        // A module auth handle whose client waits goes back to the auth chain (api/auth.cc).
        if (bc->onAuth && auth_take_released(bc)) continue;
        // The client blocked on keys already got its reply callback when a key was ready.
        ReplyTape tape;
        unsigned long long replyUs = 0;
        if (bc->hasClient && !bc->onKeys && bc->replyCallback) {
            unsigned long long t0 = monotonic_us();
            run_cmd_callback(bc, bc->replyCallback, CTX_BLOCKED_REPLY, &tape, nullptr);
            replyUs = monotonic_us() - t0;
        }
        free_privdata(bc);
        if (bc->hasClient && bc->jsBlocked && !b->hook.IsEmpty()) {
            // The callback's replies first, then what thread-safe contexts accumulated.
            std::string out;
            append_tape(out, tape);
            append_tape(out, bc->replies);
            uint32_t id = bc->id;
            bc->jsBlocked = false;
            bc->hasClient = false;
            try {
                // Third argument: the command's execution time while blocked (us), background
                // measurements plus the reply callback, as Valkey's updateStatsOnUnblock adds.
                b->hook.Call({Napi::Number::New(env, id),
                              Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t *>(out.data()), out.size()),
                              Napi::Number::New(env, static_cast<double>(bc->bgDuration + replyUs))});
            } catch (const Napi::Error &e) {
                host->logf(LL_WARNING, "blocked client unblock hook failed: %s", e.Message().c_str());
            }
        }
        bc_free(bc);
    }
}

void bc_release(ValkeyModuleBlockedClient *bc) {
    free_privdata(bc);
    bc_free(bc);
}

void bc_timeout(ValkeyModuleBlockedClient *bc, std::string &out) {
    // Already released by UnblockClient: it is served by the drain, not the timeout.
    if (!bc->unblocked.load() && bc->timeoutCallback && bc->hasClient) {
        ReplyTape tape;
        run_cmd_callback(bc, bc->timeoutCallback, CTX_BLOCKED_TIMEOUT, &tape, nullptr);
        append_tape(out, tape);
    }
    // A timeout is not a disconnection: the disconnect callback does not run.
    bc->disconnectCallback = nullptr;
    leave(bc);
}

void bc_client_gone(ValkeyModuleBlockedClient *bc, bool runDisconnect) {
    if (runDisconnect && bc->disconnectCallback) {
        ValkeyModuleDisconnectFunc cb = bc->disconnectCallback;
        ValkeyModuleCtx ctx;
        ctx_init(&ctx, bc->host, bc->module, 0);
        ctx.client.id = bc->clientId;
        ctx.client.resp = bc->resp;
        ctx.client.db = bc->db;
        ctx.blockedPrivdata = bc->privdata;
        {
            CurrentHostScope scope(bc->host);
            cb(&ctx, bc);
            ctx_finish(&ctx);
        }
    }
    leave(bc);
}

bool bc_serve_key(ValkeyModuleBlockedClient *bc, const std::string &key, std::string &out) {
    if (bc->unblocked.load() || !bc->hasClient || !bc->replyCallback) return false;
    ValkeyModuleString *k = vmstr_new(key.data(), key.size());
    ReplyTape tape;
    int rc = run_cmd_callback(bc, bc->replyCallback, CTX_BLOCKED_REPLY, &tape, k);
    vmstr_decref(k);
    // ERR: keep waiting; what the callback replied is dropped.
    if (rc != VALKEYMODULE_OK) return false;
    bc->unblocked = true;
    append_tape(out, tape);
    append_tape(out, bc->replies);
    bc->jsBlocked = false;
    free_privdata(bc);
    bc_free(bc);
    return true;
}

Napi::Value blocked_method(Host *host, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    int op = info[0].As<Napi::Number>().Int32Value();
    BlockedHost &b = blocked_of(host);
    auto bufferOf = [&env](const std::string &s) {
        return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t *>(s.data()), s.size());
    };
    switch (op) {
        case 0: {
            Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, b.state, sizeof(b.state), [](Napi::Env, void *) {});
            return Napi::Int32Array::New(env, 2, ab, 0);
        }
        case 1:
            blocked_set_hook(host, info[1].As<Napi::Function>());
            return env.Undefined();
        case 20:
        case 21:
        case 22:
            return auth_method(host, info);
        case 6: {
            std::string name = info[1].As<Napi::String>().Utf8Value();
            Module *m = host->findModule(name);
            return Napi::Number::New(env, m ? m->blockedClients : 0);
        }
        default:
            break;
    }
    ValkeyModuleBlockedClient *bc = bc_find(host, info[1].As<Napi::Number>().Uint32Value());
    if (!bc) return env.Null();
    switch (op) {
        case 2: {
            bc->jsBlocked = bc->hasClient;
            Napi::Array keys = Napi::Array::New(env, bc->keys.size());
            for (size_t i = 0; i < bc->keys.size(); i++)
                keys.Set(static_cast<uint32_t>(i), bytes_to_js(env, bc->keys[i].data(), bc->keys[i].size()));
            Napi::Array out = Napi::Array::New(env, 3);
            out.Set(0u, Napi::Number::New(env, static_cast<double>(bc->deadline)));
            out.Set(1u, keys);
            out.Set(2u, Napi::Number::New(env, (bc->onKeys ? 1 : 0) | (bc->unblockDeleted ? 2 : 0) |
                                                   (bc->timeoutCallback ? 4 : 0)));
            return out;
        }
        case 3: {
            std::string out;
            bc_timeout(bc, out);
            return bufferOf(out);
        }
        case 4: {
            std::string out;
            std::string key = js_to_bytes(env, info[2]);
            if (!bc_serve_key(bc, key, out)) return env.Null();
            return bufferOf(out);
        }
        case 5:
            bc_client_gone(bc, info[2].ToBoolean().Value());
            return env.Undefined();
        case 7:
            return Napi::Number::New(env, static_cast<double>(bc->bgDuration));
        default:
            return env.Undefined();
    }
}

}  // namespace vmhost
