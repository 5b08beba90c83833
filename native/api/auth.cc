// Module authentication: RegisterAuthCallback and BlockClientOnAuth.
//
// AUTH and HELLO AUTH (src/server/acl.ts) first ask the modules' auth callbacks, most
// recently registered first. TypeScript drives the chain through the addon's
// blocked(op, ...) method (ops 20-22, forwarded here by host/blocked.cc):
//
//   20 (clientId, resp, db, jsFlags, user, pass, resumeSeq)
//        runs the callbacks in order (only those registered before `resumeSeq` when it is
//        not 0) until one handles the attempt. Returns
//          [1]                          none handled it (password authentication follows)
//          [0, err or null, tape or null]  one handled it: authenticated or denied (`err`
//                                       the module's error text, `tape` replies its context
//                                       produced, e.g. a refused BlockClient)
//          [3, handle id, seq]          it blocked the client (BlockClientOnAuth)
//   21 (id, clientId, resp, db, jsFlags, user, pass)
//        the module released an auth handle: runs its auth reply callback, frees privdata
//        and the handle; returns [0, ...] or [1] as op 20 does
//   22 (fn) sets the function the unblock drain calls with a released auth handle's id;
//           it returns true when it took the handle (and ran op 21 for it)
//
// Whether a handled attempt authenticated the client is TypeScript's to see (the module
// authenticates through AuthenticateClientWith*, which changes the client's user there).
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "../../include/valkeymodule.h"
#include "../host/blocked.h"
#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

/** Key bridge op telling TypeScript that module auth callbacks exist (key-ops-auth.ts). */
constexpr int KOP_AUTH_REGISTERED = 1050;

/** Results of ops 20 and 21 (first element). */
constexpr int AUTH_RESULT_HANDLED = VALKEYMODULE_AUTH_HANDLED;
constexpr int AUTH_RESULT_NOT_HANDLED = VALKEYMODULE_AUTH_NOT_HANDLED;
constexpr int AUTH_RESULT_BLOCKED = 3;

/** One registered callback; `seq` orders registrations (higher = more recent). */
struct AuthEntry {
    Module *module;
    ValkeyModuleAuthCallback cb;
    uint64_t seq;
};

/** A host's auth callbacks (oldest first) and the drain hook. JS thread only. */
struct AuthHost {
    std::vector<AuthEntry> list;
    uint64_t nextSeq = 1;
    bool announced = false;  // TypeScript was told (KOP_AUTH_REGISTERED)
    Napi::FunctionReference hook;
};

std::unordered_map<Host *, AuthHost> g_auth;

/** The attempt whose callback is running (BlockClientOnAuth records its handle here). */
struct Attempt {
    uint64_t clientId = 0;
    ValkeyModuleBlockedClient *blocked = nullptr;
};
Attempt *g_attempt = nullptr;

/** The client a chain runs for, as TypeScript passes it. */
struct ClientArgs {
    uint64_t id;
    int resp;
    int db;
    uint32_t jsFlags;
};

ClientArgs client_args(const Napi::CallbackInfo &info, size_t at) {
    ClientArgs c;
    c.id = static_cast<uint64_t>(info[at].As<Napi::Number>().Int64Value());
    c.resp = info[at + 1].As<Napi::Number>().Int32Value();
    c.db = info[at + 2].As<Napi::Number>().Int32Value();
    c.jsFlags = info[at + 3].As<Napi::Number>().Uint32Value();
    return c;
}

/** What one callback run produced. */
struct RunResult {
    int rc = AUTH_RESULT_NOT_HANDLED;
    bool hasErr = false;
    std::string err;
    std::string tape;
    ValkeyModuleBlockedClient *blocked = nullptr;
};

/** Runs an auth callback (or an auth reply callback) of `module` for the client. */
RunResult run_callback(Host *host, Module *module, ValkeyModuleAuthCallback cb, const ClientArgs &c,
                       const std::string &user, const std::string &pass, uint32_t flags,
                       ValkeyModuleBlockedClient *bc) {
    RunResult out;
    ReplyTape tape;
    ValkeyModuleCtx ctx;
    ctx_init(&ctx, host, module, CTX_MODULE_AUTH | flags);
    ctx.client.id = c.id;
    ctx.client.resp = c.resp;
    ctx.client.db = c.db;
    ctx.client.jsFlags = c.jsFlags;
    ctx.tape = &tape;
    if (bc) {
        ctx.blocked = bc;
        ctx.blockedPrivdata = bc->privdata;
    }
    ValkeyModuleString *u = vmstr_new(user.data(), user.size());
    ValkeyModuleString *p = vmstr_new(pass.data(), pass.size());
    ValkeyModuleString *err = nullptr;
    Attempt attempt;
    attempt.clientId = c.id;
    Attempt *saved = g_attempt;
    g_attempt = &attempt;
    {
        CurrentHostScope scope(host);
        out.rc = cb(&ctx, u, p, &err);
        if (err) {
            out.hasErr = true;
            out.err.assign(err->ptr, err->len);
            // The server owns `err`: released once, whether or not AutoMemory tracks it.
            ctx_auto_forget(&ctx, AutoKind::String, err);
            vmstr_decref(err);
        }
        ctx_finish(&ctx);
    }
    g_attempt = saved;
    vmstr_decref(u);
    vmstr_decref(p);
    if (tape.pendingPostponed() > 0) tape.closeAllPostponed();
    out.tape.assign(reinterpret_cast<const char *>(tape.data()), tape.size());
    out.blocked = attempt.blocked;
    return out;
}

/** [0, err, tape] or [1] for a finished callback. */
Napi::Value result_value(Napi::Env env, const RunResult &r) {
    if (r.rc != AUTH_RESULT_HANDLED) {
        Napi::Array a = Napi::Array::New(env, 1);
        a.Set(0u, Napi::Number::New(env, AUTH_RESULT_NOT_HANDLED));
        return a;
    }
    Napi::Array a = Napi::Array::New(env, 3);
    a.Set(0u, Napi::Number::New(env, AUTH_RESULT_HANDLED));
    a.Set(1u, r.hasErr ? bytes_to_js(env, r.err.data(), r.err.size()) : env.Null());
    a.Set(2u, r.tape.empty() ? env.Null()
                             : Napi::Value(Napi::Buffer<uint8_t>::Copy(
                                   env, reinterpret_cast<const uint8_t *>(r.tape.data()), r.tape.size())));
    return a;
}

/** Op 20: the chain of callbacks. */
Napi::Value run_chain(Host *host, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    ClientArgs c = client_args(info, 1);
    std::string user = js_to_bytes(env, info[5]);
    std::string pass = js_to_bytes(env, info[6]);
    uint64_t resume = static_cast<uint64_t>(info[7].As<Napi::Number>().Int64Value());
    auto it = g_auth.find(host);
    if (it != g_auth.end()) {
        // A copy: a callback may register more callbacks (they are not tried this time).
        std::vector<AuthEntry> list = it->second.list;
        for (size_t i = list.size(); i-- > 0;) {
            const AuthEntry &e = list[i];
            if (resume != 0 && e.seq >= resume) continue;
            RunResult r = run_callback(host, e.module, e.cb, c, user, pass, 0, nullptr);
            if (r.blocked) {
                r.blocked->jsBlocked = true;  // TypeScript blocks the client right after
                Napi::Array a = Napi::Array::New(env, 3);
                a.Set(0u, Napi::Number::New(env, AUTH_RESULT_BLOCKED));
                a.Set(1u, Napi::Number::New(env, r.blocked->id));
                a.Set(2u, Napi::Number::New(env, static_cast<double>(e.seq)));
                return a;
            }
            if (r.rc == AUTH_RESULT_HANDLED) return result_value(env, r);
        }
    }
    Napi::Array a = Napi::Array::New(env, 1);
    a.Set(0u, Napi::Number::New(env, AUTH_RESULT_NOT_HANDLED));
    return a;
}

/** Op 21: the auth reply callback of a released handle, then the handle is freed. */
Napi::Value run_reply(Host *host, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    ValkeyModuleBlockedClient *bc = bc_find(host, info[1].As<Napi::Number>().Uint32Value());
    RunResult r;
    if (!bc) return result_value(env, r);
    ClientArgs c = client_args(info, 2);
    std::string user = js_to_bytes(env, info[6]);
    std::string pass = js_to_bytes(env, info[7]);
    // AbortBlock cleared the callback: the attempt goes on as not handled.
    if (bc->authReplyCallback)
        r = run_callback(host, bc->module, bc->authReplyCallback, c, user, pass, CTX_BLOCKED_REPLY, bc);
    bc_release(bc);
    return result_value(env, r);
}

}  // namespace

namespace vmhost {

/** Forgets a module's auth callbacks (unload). */
void auth_callbacks_forget(Host *host, Module *m) {
    auto it = g_auth.find(host);
    if (it == g_auth.end()) return;
    auto &list = it->second.list;
    for (size_t i = 0; i < list.size();) {
        if (list[i].module == m)
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        else
            i++;
    }
}

bool auth_take_released(ValkeyModuleBlockedClient *bc) {
    if (!bc->hasClient || !bc->jsBlocked) return false;
    auto it = g_auth.find(bc->host);
    if (it == g_auth.end() || it->second.hook.IsEmpty()) return false;
    bc->jsBlocked = false;
    Napi::Env env = bc->host->env;
    uint32_t id = bc->id;
    try {
        Napi::Value took = it->second.hook.Call({Napi::Number::New(env, id)});
        if (took.ToBoolean().Value()) return true;
    } catch (const Napi::Error &e) {
        bc->host->logf(LL_WARNING, "module auth unblock hook failed: %s", e.Message().c_str());
        // The hook runs op 21 (which frees the handle) before anything that may throw.
        return bc_find(bc->host, id) == nullptr;
    }
    return bc_find(bc->host, id) == nullptr;
}

Napi::Value auth_method(Host *host, const Napi::CallbackInfo &info) {
    int op = info[0].As<Napi::Number>().Int32Value();
    switch (op) {
        case 20:
            return run_chain(host, info);
        case 21:
            return run_reply(host, info);
        case 22:
            g_auth[host].hook = Napi::Persistent(info[1].As<Napi::Function>());
            return info.Env().Undefined();
        default:
            return info.Env().Undefined();
    }
}

}  // namespace vmhost

/** Registers a callback AUTH and HELLO AUTH try before password authentication (the most
 *  recently registered first). It returns VALKEYMODULE_AUTH_HANDLED after authenticating the
 *  client (AuthenticateClientWith*), after denying it (optionally setting `*err`, which the
 *  server frees) or after BlockClientOnAuth; or VALKEYMODULE_AUTH_NOT_HANDLED to let the
 *  next callback (or the password) decide. Removed when the module unloads. */
extern "C" void VM_RegisterAuthCallback(ValkeyModuleCtx *ctx, ValkeyModuleAuthCallback cb) {
    Host *host = ctx && ctx->host ? ctx->host : g_current_host;
    if (!host || !cb || !ctx->module) return;
    AuthHost &a = g_auth[host];
    a.list.push_back(AuthEntry{ctx->module, cb, a.nextSeq++});
    if (!a.announced) {
        a.announced = true;
        Napi::HandleScope scope(host->env);
        key_op(host, KOP_AUTH_REGISTERED, 0, nullptr);
    }
}

/** Inside an auth callback: blocks the client's AUTH / HELLO until UnblockClient (from any
 *  thread); `reply_callback` then decides the attempt as an auth callback would (it may also
 *  return NOT_HANDLED to go on with the next callback), and `free_privdata` frees what
 *  UnblockClient passed. Outside module authentication the client gets an error reply and
 *  NULL is returned; inside MULTI or a reply callback the handle is born aborted (and the
 *  AUTH gets Valkey's error), as with BlockClient. */
extern "C" ValkeyModuleBlockedClient *VM_BlockClientOnAuth(ValkeyModuleCtx *ctx, ValkeyModuleAuthCallback reply_callback,
                                                           void (*free_privdata)(ValkeyModuleCtx *, void *)) {
    if (!(ctx->flags & CTX_MODULE_AUTH) || !g_attempt || g_attempt->clientId != ctx->client.id) {
        static const char msg[] =
            "ERR Module blocking client on auth when not currently undergoing module authentication";
        if (ctx->tape) ctx->tape->addError(msg, sizeof(msg) - 1);
        return nullptr;
    }
    ValkeyModuleBlockedClient *bc =
        bc_create(ctx, nullptr, reply_callback, nullptr, free_privdata, 0, nullptr, 0, nullptr, 0);
    if (bc->hasClient) g_attempt->blocked = bc;
    return bc;
}
