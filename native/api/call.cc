// Calling commands from modules: ValkeyModule_Call and the CallReply accessors.
//
// Call builds the command line natively from its format and crosses into the engine once
// (src/modules/call-bridge.ts): the bridge runs Valkey's checks and the command on a fake
// client and hands the reply back as RESP bytes, parsed here into a CallReply tree
// (host/call_reply.h). Refusals come back as an errno code and, with `E`, an error reply.
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "../host/call_reply.h"
#include "../host/context.h"
#include "../host/events.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/vmstring.h"

using namespace vmhost;

/** The bridge handle number of a module user (api/acl.cc). */
double vmhost_user_handle(const ValkeyModuleUser *user);

namespace {

/** A call whose ACL user (for `C`) is the context's user: the user's bridge handle goes
 *  first, the command line after it (served by call-bridge.ts). */
constexpr int COP_CALL_AS_USER = 4;

/** The errno of a bridge refusal code (CALL_E* in call-bridge.ts). */
int errno_of(int code) {
    switch (code) {
        case 1: return ENOENT;
        case 2: return EINVAL;
        case 3: return ENOTSUP;
        case 4: return ESPIPE;
        case 5: return ENOSPC;
        case 6: return EACCES;
        default: return EINVAL;
    }
}

/** A reply built from a JS latin1 string or Buffer holding RESP bytes. */
ValkeyModuleCallReply *reply_from(Napi::Env env, const Napi::Value &v, ValkeyModuleCtx *ctx) {
    if (v.IsBuffer()) {
        Napi::Buffer<char> b = v.As<Napi::Buffer<char>>();
        return callreply_create(b.Data(), b.Length(), ctx);
    }
    if (v.IsString()) {
        std::string s = js_to_bytes(env, v);
        return callreply_create(s.data(), s.size(), ctx);
    }
    return nullptr;
}

/** Error messages (latin1 strings) of a JS array, for deferred error statistics. */
std::vector<std::string> *errors_from(Napi::Env env, const Napi::Value &v) {
    if (!v.IsArray()) return nullptr;
    Napi::Array a = v.As<Napi::Array>();
    if (a.Length() == 0) return nullptr;
    auto *out = new std::vector<std::string>();
    for (uint32_t i = 0; i < a.Length(); i++) {
        out->push_back(js_to_bytes(env, a.Get(i)));
    }
    return out;
}

/** The i-th element of a collection reply of type `type`, or NULL. */
ValkeyModuleCallReply *element(ValkeyModuleCallReply *reply, int type, size_t idx) {
    if (!reply || reply->type != type || idx >= reply->len || idx >= reply->nelements) return nullptr;
    return &reply->elements[idx];
}

/** The idx-th key/value pair of a map or attribute reply. */
int pair(ValkeyModuleCallReply *reply, int type, size_t idx, ValkeyModuleCallReply **key, ValkeyModuleCallReply **val) {
    if (!reply || reply->type != type || idx >= reply->len || 2 * idx + 1 >= reply->nelements) return VALKEYMODULE_ERR;
    if (key) *key = &reply->elements[2 * idx];
    if (val) *val = &reply->elements[2 * idx + 1];
    return VALKEYMODULE_OK;
}

/**
 * The JS side reports a promise's completion here, once: (reply Buffer, db) when the blocked
 * command completed, (null) when it went away without a reply. The unblock handler (if set
 * and not aborted) runs as the calling module, in an engine execution unit, on a context
 * without a client that uses the blocked command's database, with a reply it owns.
 */
Napi::Value promise_settled(const Napi::CallbackInfo &info) {
    auto *p = static_cast<CallPromise *>(info.Data());
    Napi::Env env = info.Env();
    if (!p->settled && p->handler && info.Length() > 0 && info[0].IsBuffer()) {
        p->settled = true;
        Host *h = p->host;
        Napi::Buffer<char> b = info[0].As<Napi::Buffer<char>>();
        int db = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : 0;
        ValkeyModuleCallReply *reply = callreply_create(b.Data(), b.Length(), nullptr);
        Module *m = p->module;
        ModuleUnitScope unit(h);
        ValkeyModuleCtx ctx;
        ctx_init(&ctx, h, m, 0);
        ctx.client.db = db;
        if (m) m->inCall++;
        p->handler(&ctx, reply, p->privdata);
        if (m) m->inCall--;
        ctx_finish(&ctx);
    }
    p->settled = true;
    callpromise_unref(p);  // the JS side's reference
    return env.Undefined();
}

/** A PROMISE reply for bridge promise `id`: the JS side gets the function it settles it with. */
ValkeyModuleCallReply *promise_reply(Host *h, ValkeyModuleCtx *ctx, double id) {
    auto *p = new CallPromise();
    p->host = h;
    p->module = ctx->module;
    p->id = id;
    Napi::Env env = h->env;
    Napi::Function fn = Napi::Function::New(env, promise_settled, "callPromiseSettled", p);
    Napi::Value ok = call_bridge_value(h, COP_PROMISE_BIND, id, fn);
    if (!ok.IsBoolean() || !ok.As<Napi::Boolean>().Value()) {
        // The bridge knows no such promise (it cannot happen unless the bridge failed).
        p->settled = true;
        p->refs--;
    }
    return callreply_create_promise(p, ctx);
}

}  // namespace

extern "C" {

/** Runs a command (see the reference for the format and modifiers) and returns its reply,
 *  or NULL with errno set: EBADF (bad format), ENOENT (no such command), EINVAL (arity),
 *  ENOTSUP (`C` without a user), ESPIPE (script mode), ENOSPC (OOM with `M`, write with
 *  `W`), EACCES (ACL with `C`). With `E` the refusal is also an error reply; with `D` a call
 *  that passes every check returns NULL without running. */
ValkeyModuleCallReply *VM_Call(ValkeyModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    if (!ctx || !ctx->host || !cmdname || !fmt) {
        errno = EINVAL;
        return nullptr;
    }
    Host *h = ctx->host;
    CallArgs args;
    int flags = 0;
    va_list ap;
    va_start(ap, fmt);
    bool ok = callargs_from_format(cmdname, fmt, ap, args, flags);
    va_end(ap);
    Napi::HandleScope scope(h->env);
    if (!ok) {
        // As Valkey: a `C` call from a context without a user fails on that first.
        if ((flags & ARGV_RUN_AS_USER) && ctx->client.id == 0 && !ctx->user) {
            errno = ENOTSUP;
            if (flags & ARGV_CALL_REPLIES_AS_ERRORS) {
                static const char kMsg[] =
                    "-ERR cannot run as user, no user directly attached to context or context's client\r\n";
                return callreply_create(kMsg, sizeof(kMsg) - 1, ctx);
            }
            return nullptr;
        }
        errno = EBADF;
        return nullptr;
    }
    int resp = 2;
    if (flags & ARGV_RESP_3)
        resp = 3;
    else if (flags & ARGV_RESP_AUTO)
        resp = ctx->client.resp;
    if (ctx->flags & CTX_THREAD_SAFE) flags |= CALL_THREAD_SAFE;

    Napi::Env env = h->env;
    // While the call runs, the calling module's NOSELF command filters stay out of it.
    Module *m = ctx->module;
    if (m) m->inCall++;
    Napi::Value r;
    if (ctx->user) {
        // The context user replaces the client's user for `C` (the handle rides in front).
        char num[32];
        int n = std::snprintf(num, sizeof(num), "%.0f", vmhost_user_handle(ctx->user));
        CallArgs withUser;
        withUser.push(num, static_cast<size_t>(n));
        for (size_t i = 0; i < args.size(); i++) withUser.push(args[i].first, args[i].second);
        r = call_bridge(h, COP_CALL_AS_USER, withUser, flags, ctx->client.id, ctx->client.db, resp);
    } else {
        r = call_bridge(h, COP_CALL, args, flags, ctx->client.id, ctx->client.db, resp);
    }
    if (m) m->inCall--;
    if (r.IsBuffer()) return reply_from(env, r, ctx);
    if (r.IsNumber()) return promise_reply(h, ctx, r.As<Napi::Number>().DoubleValue());  // blocked (`K`)
    if (r.IsNull()) return nullptr;  // a dry run that passed
    if (r.IsArray()) {
        Napi::Array a = r.As<Napi::Array>();
        int code = a.Get(0u).As<Napi::Number>().Int32Value();
        Napi::Value bytes = a.Get(1u);
        ValkeyModuleCallReply *reply = reply_from(env, bytes, ctx);
        if (reply) reply->errors = errors_from(env, a.Get(2u));
        if (code != 0) errno = errno_of(code);
        return reply;
    }
    errno = EINVAL;
    return nullptr;
}

/** Sets the ACL user ValkeyModule_Call with the `C` flag checks permissions as, instead of
 *  the context's client's user (NULL: back to the client's user). The module keeps the
 *  user alive while the context may use it. */
void VM_SetContextUser(ValkeyModuleCtx *ctx, const ValkeyModuleUser *user) {
    if (ctx) ctx->user = user;
}

/** Frees a reply returned by Call and everything in it; nested replies are ignored. */
void VM_FreeCallReply(ValkeyModuleCallReply *reply) {
    if (!reply || reply->root != reply) return;
    if (reply->ctx) ctx_auto_forget(reply->ctx, AutoKind::CallReply, reply);
    callreply_free(reply);
}

/** The reply's type (VALKEYMODULE_REPLY_*); UNKNOWN for NULL. */
int VM_CallReplyType(ValkeyModuleCallReply *reply) {
    return reply ? reply->type : VALKEYMODULE_REPLY_UNKNOWN;
}

/** Length of a string or error (bytes), array or set (elements), map or attribute (pairs);
 *  0 for other types. */
size_t VM_CallReplyLength(ValkeyModuleCallReply *reply) {
    if (!reply) return 0;
    switch (reply->type) {
        case VALKEYMODULE_REPLY_STRING:
        case VALKEYMODULE_REPLY_ERROR:
        case VALKEYMODULE_REPLY_ARRAY:
        case VALKEYMODULE_REPLY_SET:
        case VALKEYMODULE_REPLY_MAP:
        case VALKEYMODULE_REPLY_ATTRIBUTE:
            return reply->len;
        default:
            return 0;
    }
}

/** The idx-th element of an array reply; NULL for another type or an index out of range. */
ValkeyModuleCallReply *VM_CallReplyArrayElement(ValkeyModuleCallReply *reply, size_t idx) {
    return element(reply, VALKEYMODULE_REPLY_ARRAY, idx);
}

/** The value of an integer reply; LLONG_MIN for another type. */
long long VM_CallReplyInteger(ValkeyModuleCallReply *reply) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_INTEGER) return LLONG_MIN;
    return reply->ll;
}

/** The value of a double reply; LLONG_MIN (as a double) for another type. */
double VM_CallReplyDouble(ValkeyModuleCallReply *reply) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_DOUBLE) return static_cast<double>(LLONG_MIN);
    return reply->d;
}

/** The digits of a big number reply and their count; NULL for another type. */
const char *VM_CallReplyBigNumber(ValkeyModuleCallReply *reply, size_t *len) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_BIG_NUMBER) return nullptr;
    if (len) *len = reply->len;
    return reply->str;
}

/** The text of a verbatim string reply, its length and (optionally) its 3-byte format
 *  (not NUL-terminated); NULL for another type. */
const char *VM_CallReplyVerbatim(ValkeyModuleCallReply *reply, size_t *len, const char **format) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_VERBATIM_STRING) return nullptr;
    if (len) *len = reply->len;
    if (format) *format = reply->format;
    return reply->str;
}

/** 1 or 0 for a boolean reply; INT_MIN for another type. */
int VM_CallReplyBool(ValkeyModuleCallReply *reply) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_BOOL) return INT_MIN;
    return static_cast<int>(reply->ll);
}

/** The idx-th element of a set reply; NULL for another type or an index out of range. */
ValkeyModuleCallReply *VM_CallReplySetElement(ValkeyModuleCallReply *reply, size_t idx) {
    return element(reply, VALKEYMODULE_REPLY_SET, idx);
}

/** The idx-th key and value of a map reply (either pointer may be NULL); ERR for another
 *  type or an index out of range. */
int VM_CallReplyMapElement(ValkeyModuleCallReply *reply, size_t idx, ValkeyModuleCallReply **key,
                           ValkeyModuleCallReply **val) {
    return pair(reply, VALKEYMODULE_REPLY_MAP, idx, key, val);
}

/** The RESP3 attribute that came with a reply, or NULL. */
ValkeyModuleCallReply *VM_CallReplyAttribute(ValkeyModuleCallReply *reply) {
    return reply ? reply->attribute : nullptr;
}

/** The idx-th key and value of an attribute reply (either pointer may be NULL); ERR for
 *  another type or an index out of range. */
int VM_CallReplyAttributeElement(ValkeyModuleCallReply *reply, size_t idx, ValkeyModuleCallReply **key,
                                 ValkeyModuleCallReply **val) {
    return pair(reply, VALKEYMODULE_REPLY_ATTRIBUTE, idx, key, val);
}

/** The bytes of a string or error reply (the error without its '-') and their count; NULL
 *  for another type. `len` may be NULL. */
const char *VM_CallReplyStringPtr(ValkeyModuleCallReply *reply, size_t *len) {
    if (!reply || (reply->type != VALKEYMODULE_REPLY_STRING && reply->type != VALKEYMODULE_REPLY_ERROR)) return nullptr;
    if (len) *len = reply->len;
    return reply->str;
}

/** A new string holding a string, error or integer reply (AutoMemory-tracked when the reply
 *  is); NULL for another type. */
ValkeyModuleString *VM_CreateStringFromCallReply(ValkeyModuleCallReply *reply) {
    if (!reply) return nullptr;
    ValkeyModuleString *s = nullptr;
    switch (reply->type) {
        case VALKEYMODULE_REPLY_STRING:
        case VALKEYMODULE_REPLY_ERROR:
            s = vmstr_new(reply->str, reply->len);
            break;
        case VALKEYMODULE_REPLY_INTEGER: {
            char buf[32];
            int n = std::snprintf(buf, sizeof(buf), "%lld", reply->ll);
            s = vmstr_new(buf, static_cast<size_t>(n));
            break;
        }
        default:
            return nullptr;
    }
    ValkeyModuleCtx *ctx = reply->root ? reply->root->ctx : nullptr;
    if (ctx) ctx_auto_add(ctx, AutoKind::String, s);
    return s;
}

/** The protocol bytes the reply was parsed from, and their count. */
const char *VM_CallReplyProto(ValkeyModuleCallReply *reply, size_t *len) {
    if (!reply) {
        if (len) *len = 0;
        return nullptr;
    }
    if (len) *len = reply->protoLen;
    return reply->proto;
}

/** Sets the function called (with the command's reply, which the handler then owns, and
 *  `private_data`) when the blocked command of a PROMISE reply completes. Set it right after
 *  Call, before the lock is released; without one the command still runs and its reply is
 *  dropped. No-op for a reply of another type. */
void VM_CallReplyPromiseSetUnblockHandler(ValkeyModuleCallReply *reply, ValkeyModuleOnUnblocked on_unblock,
                                          void *private_data) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_PROMISE || !reply->promise) return;
    reply->promise->handler = on_unblock;
    reply->promise->privdata = private_data;
}

/** Aborts the blocked command of a PROMISE reply: OK when it was still blocked (it is
 *  unblocked without a reply, the handler will not run, and `private_data`, when not NULL,
 *  gets the handler's private data back to release it); ERR when it already completed or
 *  was aborted, or for a reply of another type. */
int VM_CallReplyPromiseAbort(ValkeyModuleCallReply *reply, void **private_data) {
    if (!reply || reply->type != VALKEYMODULE_REPLY_PROMISE || !reply->promise) return VALKEYMODULE_ERR;
    CallPromise *p = reply->promise;
    if (p->settled || !p->host) return VALKEYMODULE_ERR;
    Host *h = p->host;
    Napi::HandleScope scope(h->env);
    p->refs++;  // the abort may settle it (and drop the JS side's reference) on the way
    Napi::Value r = call_bridge_value(h, COP_PROMISE_ABORT, p->id, h->env.Undefined());
    bool aborted = r.IsBoolean() && r.As<Napi::Boolean>().Value() && !p->settled;
    if (aborted) {
        if (private_data) *private_data = p->privdata;
        p->handler = nullptr;
        p->privdata = nullptr;
        p->settled = true;
        callpromise_unref(p);  // the JS side let go of it (it never calls back after an abort)
    }
    callpromise_unref(p);
    return aborted ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** Replies exactly what a Call returned. ERR when the reply is (or contains) RESP3-only
 *  data and the client speaks RESP2; OK (nothing sent) when the context has no client. */
int VM_ReplyWithCallReply(ValkeyModuleCtx *ctx, ValkeyModuleCallReply *reply) {
    if (!ctx || !reply) return VALKEYMODULE_ERR;
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    if (ctx->client.resp == 2 && (reply->flags & CR_RESP3)) return VALKEYMODULE_ERR;
    if (reply->type == VALKEYMODULE_REPLY_ERROR && reply->root == reply) {
        // A top-level error is recorded as an error: it is this command's error reply too,
        // and its statistics (deferred by Call) are counted now.
        tape->addError(reply->str, reply->len);
        return VALKEYMODULE_OK;
    }
    tape->addRaw(reply->proto, reply->protoLen);
    if (reply->root == reply && reply->errors && !reply->errors->empty() && ctx->host) {
        // Errors inside the reply: their statistics were deferred until now.
        Host *h = ctx->host;
        Napi::HandleScope scope(h->env);
        CallArgs msgs;
        for (const std::string &e : *reply->errors) msgs.push(e.data(), e.size());
        call_bridge(h, COP_COUNT_ERRORS, msgs, 0, 0, 0, 0);
    }
    return VALKEYMODULE_OK;
}

}  // extern "C"
