// Module ACL users and permission checks. The users live in the TypeScript ACL engine
// (src/server/acl.ts); a ValkeyModuleUser is a handle on one of them, and each call is one
// crossing into the key bridge (ops 900-999, served by src/modules/key-ops-acl.ts).
#include <cerrno>
#include <cstring>
#include <string>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

extern "C" ValkeyModuleString *VM_CreateString(ValkeyModuleCtx *ctx, const char *ptr, size_t len);

/** A module's handle on an ACL user (created by CreateModuleUser or
 *  GetModuleUserFromUserName). */
struct ValkeyModuleUser {
    Host *host;
    double handle;  // the bridge's handle number
};

/** The bridge handle number of a module user (for VM_Call with a context user). */
double vmhost_user_handle(const ValkeyModuleUser *user) { return user ? user->handle : 0; }

namespace {

enum AclOp {
    AOP_CREATE = 900,         // (a: name) -> handle
    AOP_FREE = 901,           // (a: handle) -> freed?
    AOP_SET_ONE = 902,        // (a: handle, b: rule) -> null, or the error text
    AOP_SET_STRING = 903,     // (a: handle, b: rules) -> null, or the error text
    AOP_GET_STRING = 904,     // (a: handle) -> the rules as ACL LIST shows them
    AOP_FROM_NAME = 905,      // (a: user name) -> handle, or 0 when there is no such user
    AOP_CHECK_CMD = 906,      // (a: handle, b: argv) -> 0 ok, 1 no such command, 2 denied
    AOP_CHECK_KEY = 907,      // (key, a: handle, b: key-spec flags) -> allowed?
    AOP_CHECK_CHANNEL = 908,  // (key: channel, a: handle, b: is pattern) -> allowed?
    AOP_LOG = 909,            // (key: object, a: client id, b: [reason, handle or name]) -> ok
    AOP_AUTH = 910,           // (a: client id, b: [handle or name, callback or null]) -> ok?
    AOP_DEAUTH_CLOSE = 911,   // (a: client id) -> ok? (false: no such client)
};

// The ACL engine's denial reasons (ACL_DENIED_* in src/server/acl.ts).
constexpr int DENIED_CMD = 1, DENIED_KEY = 2, DENIED_AUTH = 3, DENIED_CHANNEL = 4;

Napi::Value handle_of(const ValkeyModuleUser *u) { return Napi::Number::New(u->host->env, u->handle); }

/** A new module handle for a bridge handle number (NULL for 0). */
ValkeyModuleUser *wrap(Host *h, Napi::Value v) {
    double n = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : 0;
    if (n == 0) return nullptr;
    return new ValkeyModuleUser{h, n};
}

/** The ACL engine's reason for a module log reason (0: invalid). */
int denied_reason(ValkeyModuleACLLogEntryReason r) {
    switch (r) {
        case VALKEYMODULE_ACL_LOG_AUTH: return DENIED_AUTH;
        case VALKEYMODULE_ACL_LOG_CMD: return DENIED_CMD;
        case VALKEYMODULE_ACL_LOG_KEY: return DENIED_KEY;
        case VALKEYMODULE_ACL_LOG_CHANNEL: return DENIED_CHANNEL;
    }
    return 0;
}

/** Adds an ACL LOG entry (context "module") for the ctx's client. */
int add_log(ValkeyModuleCtx *ctx, Host *h, Napi::Value who, ValkeyModuleString *object,
            ValkeyModuleACLLogEntryReason reason) {
    int r = denied_reason(reason);
    if (r == 0 || !object) return VALKEYMODULE_ERR;
    Napi::Array b = Napi::Array::New(h->env, 2);
    b.Set(0u, Napi::Number::New(h->env, r));
    b.Set(1u, who);
    uint64_t id = ctx ? ctx->client.id : 0;
    Napi::Value v = key_op(h, AOP_LOG, 0, object, Napi::Number::New(h->env, static_cast<double>(id)), b);
    return v.ToBoolean().Value() ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** Authenticates the ctx's client as `who` (a handle or a user name), arming `callback`. */
int authenticate(ValkeyModuleCtx *ctx, Napi::Value who, ValkeyModuleUserChangedFunc callback, void *privdata,
                 uint64_t *client_id) {
    Host *h = ctx->host;
    Napi::Env env = h->env;
    Napi::Value cb = env.Null();
    if (callback) {
        // fired by the engine (once) when the client's user changes again
        cb = Napi::Function::New(env, [callback, privdata](const Napi::CallbackInfo &info) {
            double id = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
            callback(static_cast<uint64_t>(id), privdata);
        });
    }
    Napi::Array b = Napi::Array::New(env, 2);
    b.Set(0u, who);
    b.Set(1u, cb);
    Napi::Value v = key_op(h, AOP_AUTH, 0, nullptr, Napi::Number::New(env, static_cast<double>(ctx->client.id)), b);
    if (!v.ToBoolean().Value()) return VALKEYMODULE_ERR;
    if (client_id) *client_id = ctx->client.id;
    return VALKEYMODULE_OK;
}

}  // namespace

/** A new ACL user that only the module knows (ACL LIST/USERS do not show it): off, with no
 *  permissions, until rules are set. Free it with FreeModuleUser. */
extern "C" ValkeyModuleUser *VM_CreateModuleUser(const char *name) {
    Host *h = g_current_host;
    if (!h || !name) return nullptr;
    Napi::HandleScope scope(h->env);
    return wrap(h, key_op(h, AOP_CREATE, 0, nullptr, bytes_to_js(h->env, name, strlen(name))));
}

/** Frees a user handle. A user CreateModuleUser made is deleted (its clients are
 *  disconnected); a handle from GetModuleUserFromUserName leaves the ACL user alone. */
extern "C" int VM_FreeModuleUser(ValkeyModuleUser *user) {
    if (!user) return VALKEYMODULE_ERR;
    {
        Napi::HandleScope scope(user->host->env);
        key_op(user->host, AOP_FREE, 0, nullptr, handle_of(user));
    }
    delete user;
    return VALKEYMODULE_OK;
}

/** Applies one ACL rule (ACL SETUSER syntax) to the user; ERR when it is invalid. */
extern "C" int VM_SetModuleUserACL(ValkeyModuleUser *user, const char *acl) {
    if (!user || !acl) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(user->host->env);
    Napi::Value v = key_op(user->host, AOP_SET_ONE, 0, nullptr, handle_of(user),
                           bytes_to_js(user->host->env, acl, strlen(acl)));
    return v.IsString() ? VALKEYMODULE_ERR : VALKEYMODULE_OK;
}

/** Applies a full rule string (space separated, all or nothing). On ERR, `*error` (when
 *  given) receives the error text as a new string (AutoMemory-tracked when ctx is given). */
extern "C" int VM_SetModuleUserACLString(ValkeyModuleCtx *ctx, ValkeyModuleUser *user, const char *acl,
                                         ValkeyModuleString **error) {
    if (!user || !acl) return VALKEYMODULE_ERR;
    Host *h = user->host;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, AOP_SET_STRING, 0, nullptr, handle_of(user), bytes_to_js(h->env, acl, strlen(acl)));
    if (!v.IsString()) return VALKEYMODULE_OK;
    if (error) {
        std::string s = js_to_bytes(h->env, v);
        *error = VM_CreateString(ctx, s.data(), s.size());
    }
    return VALKEYMODULE_ERR;
}

/** The user's rules as ACL LIST shows them (a new string the caller frees). */
extern "C" ValkeyModuleString *VM_GetModuleUserACLString(ValkeyModuleUser *user) {
    if (!user) return nullptr;
    Host *h = user->host;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, AOP_GET_STRING, 0, nullptr, handle_of(user));
    if (!v.IsString()) return nullptr;
    std::string s = js_to_bytes(h->env, v);
    return VM_CreateString(nullptr, s.data(), s.size());
}

/** A handle on the existing ACL user `name`, or NULL when there is none. Free it with
 *  FreeModuleUser (which leaves the ACL user in place). */
extern "C" ValkeyModuleUser *VM_GetModuleUserFromUserName(ValkeyModuleString *name) {
    Host *h = g_current_host;
    if (!h || !name) return nullptr;
    Napi::HandleScope scope(h->env);
    return wrap(h, key_op(h, AOP_FROM_NAME, 0, nullptr, js_key_value(h->env, name)));
}

/** Whether the user may run the command argv[0..argc-1]: OK, or ERR with errno ENOENT (no
 *  such command) or EACCES (denied). */
extern "C" int VM_ACLCheckCommandPermissions(ValkeyModuleUser *user, ValkeyModuleString **argv, int argc) {
    if (!user || !argv || argc <= 0) {
        errno = ENOENT;
        return VALKEYMODULE_ERR;
    }
    Host *h = user->host;
    Napi::HandleScope scope(h->env);
    Napi::Array a = Napi::Array::New(h->env, static_cast<size_t>(argc));
    for (int i = 0; i < argc; i++) a.Set(static_cast<uint32_t>(i), js_key_value(h->env, argv[i]));
    Napi::Value v = key_op(h, AOP_CHECK_CMD, 0, nullptr, handle_of(user), a);
    int r = v.IsNumber() ? v.As<Napi::Number>().Int32Value() : 1;
    if (r == 0) return VALKEYMODULE_OK;
    errno = r == 1 ? ENOENT : EACCES;
    return VALKEYMODULE_ERR;
}

/** Whether the user may use `key` as the flags say (VALKEYMODULE_CMD_KEY_ACCESS, _INSERT,
 *  _DELETE, _UPDATE): OK, or ERR with errno EINVAL (other flags) or EACCES. */
extern "C" int VM_ACLCheckKeyPermissions(ValkeyModuleUser *user, ValkeyModuleString *key, int flags) {
    const int allowed = VALKEYMODULE_CMD_KEY_ACCESS | VALKEYMODULE_CMD_KEY_INSERT | VALKEYMODULE_CMD_KEY_DELETE |
                        VALKEYMODULE_CMD_KEY_UPDATE;
    if ((flags & allowed) != flags || !user || !key) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    Host *h = user->host;
    Napi::HandleScope scope(h->env);
    // the module key flags have the key-spec flag values the engine checks
    Napi::Value v = key_op(h, AOP_CHECK_KEY, 0, key, handle_of(user), Napi::Number::New(h->env, flags));
    if (v.ToBoolean().Value()) return VALKEYMODULE_OK;
    errno = EACCES;
    return VALKEYMODULE_ERR;
}

/** Whether the user may use channel `ch` as the flags say (VALKEYMODULE_CMD_CHANNEL_PUBLISH,
 *  _SUBSCRIBE, _UNSUBSCRIBE, _PATTERN; with _PATTERN `ch` is a pattern matched literally).
 *  Unsubscribing is always allowed. ERR with errno EINVAL (other flags) or EACCES. */
extern "C" int VM_ACLCheckChannelPermissions(ValkeyModuleUser *user, ValkeyModuleString *ch, int flags) {
    const int allowed = VALKEYMODULE_CMD_CHANNEL_PUBLISH | VALKEYMODULE_CMD_CHANNEL_SUBSCRIBE |
                        VALKEYMODULE_CMD_CHANNEL_UNSUBSCRIBE | VALKEYMODULE_CMD_CHANNEL_PATTERN;
    if ((flags & allowed) != flags || !user || !ch) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    if (flags & VALKEYMODULE_CMD_CHANNEL_UNSUBSCRIBE) return VALKEYMODULE_OK;
    Host *h = user->host;
    Napi::HandleScope scope(h->env);
    bool pattern = (flags & VALKEYMODULE_CMD_CHANNEL_PATTERN) != 0;
    Napi::Value v = key_op(h, AOP_CHECK_CHANNEL, 0, ch, handle_of(user), Napi::Boolean::New(h->env, pattern));
    if (v.ToBoolean().Value()) return VALKEYMODULE_OK;
    errno = EACCES;
    return VALKEYMODULE_ERR;
}

/** Adds an ACL LOG entry (context "module") about `object` for the user; ERR for an
 *  unknown reason. */
extern "C" int VM_ACLAddLogEntry(ValkeyModuleCtx *ctx, ValkeyModuleUser *user, ValkeyModuleString *object,
                                 ValkeyModuleACLLogEntryReason reason) {
    if (!user) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(user->host->env);
    return add_log(ctx, user->host, handle_of(user), object, reason);
}

/** As ACLAddLogEntry, naming the user (which need not exist). */
extern "C" int VM_ACLAddLogEntryByUserName(ValkeyModuleCtx *ctx, ValkeyModuleString *username,
                                           ValkeyModuleString *object, ValkeyModuleACLLogEntryReason reason) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (!h || !username) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(h->env);
    return add_log(ctx, h, js_key_value(h->env, username), object, reason);
}

/** Authenticates the ctx's client as the user (the previous user-changed callback fires).
 *  `callback` (optional) is called with the client id and `privdata` once, when the client's
 *  user changes later (AUTH, RESET, another module authentication, the user's deletion, the
 *  client closing). The client id goes to `*client_id` when given. ERR when the user is
 *  disabled or the context has no client. */
extern "C" int VM_AuthenticateClientWithUser(ValkeyModuleCtx *ctx, ValkeyModuleUser *module_user,
                                             ValkeyModuleUserChangedFunc callback, void *privdata,
                                             uint64_t *client_id) {
    if (!ctx || !ctx->host || ctx->client.id == 0 || !module_user) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(ctx->host->env);
    return authenticate(ctx, handle_of(module_user), callback, privdata, client_id);
}

/** As AuthenticateClientWithUser, with the ACL user named `name` (`len` bytes); ERR also when
 *  there is no such user. */
extern "C" int VM_AuthenticateClientWithACLUser(ValkeyModuleCtx *ctx, const char *name, size_t len,
                                                ValkeyModuleUserChangedFunc callback, void *privdata,
                                                uint64_t *client_id) {
    if (!ctx || !ctx->host || ctx->client.id == 0 || !name) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(ctx->host->env);
    return authenticate(ctx, bytes_to_js(ctx->host->env, name, len), callback, privdata, client_id);
}

/** Deauthenticates client `client_id` (back to the default user, not authenticated) and
 *  closes it after the current command (an embedded client stays open, deauthenticated).
 *  ERR when there is no such client. */
extern "C" int VM_DeauthenticateAndCloseClient(ValkeyModuleCtx *ctx, uint64_t client_id) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (!h) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, AOP_DEAUTH_CLOSE, 0, nullptr, Napi::Number::New(h->env, static_cast<double>(client_id)));
    return v.ToBoolean().Value() ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}
