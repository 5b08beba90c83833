// Client introspection for modules: names, ACL users, connection information, argument
// redaction. The clients live in the TypeScript engine; each call is one crossing into the
// key bridge (ops 700-799, served by src/modules/key-ops-clients.ts).
#include <algorithm>
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

namespace {

enum ClientOp {
    COP_GET_NAME = 700,     // (a: id) -> name, or null
    COP_SET_NAME = 701,     // (a: id, b: name) -> 0 ok, 1 unknown client, 2 invalid name
    COP_GET_USER = 702,     // (a: id) -> user name, or null (unknown client)
    COP_CLIENT_INFO = 703,  // (a: id) -> [flags, addr, port, db], or null
    COP_REDACT = 704,       // (a: id, b: argv position) -> recorded?
};

Host *host_of(ValkeyModuleCtx *ctx) { return ctx && ctx->host ? ctx->host : g_current_host; }

/** Runs a client op with a numeric client id (and an optional second argument). */
Napi::Value client_op(Host *h, int op, uint64_t id, Napi::Value b = Napi::Value()) {
    return key_op(h, op, 0, nullptr, Napi::Number::New(h->env, static_cast<double>(id)), b);
}

/** A string result of a client op as a new module string (AutoMemory-tracked), or NULL. */
ValkeyModuleString *string_result(ValkeyModuleCtx *ctx, Host *h, Napi::Value v) {
    if (!v.IsString()) return nullptr;
    std::string s = js_to_bytes(h->env, v);
    return VM_CreateString(ctx, s.data(), s.size());
}

}  // namespace

/** The name of client `id` (a new string), or NULL when the client does not exist or has
 *  no name. */
extern "C" ValkeyModuleString *VM_GetClientNameById(ValkeyModuleCtx *ctx, uint64_t id) {
    Host *h = host_of(ctx);
    if (!h) return nullptr;
    Napi::HandleScope scope(h->env);
    return string_result(ctx, h, client_op(h, COP_GET_NAME, id));
}

/** CLIENT SETNAME for client `id`: ERR with errno ENOENT (no such client) or EINVAL
 *  (characters CLIENT SETNAME refuses). */
extern "C" int VM_SetClientNameById(uint64_t id, ValkeyModuleString *name) {
    Host *h = g_current_host;
    if (!h || !name) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    Napi::HandleScope scope(h->env);
    Napi::Value r = client_op(h, COP_SET_NAME, id, js_key_value(h->env, name));
    int code = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : 1;
    if (code == 0) return VALKEYMODULE_OK;
    errno = code == 1 ? ENOENT : EINVAL;
    return VALKEYMODULE_ERR;
}

/** The ACL user of client `id` (a new string); NULL with errno ENOENT when the client does
 *  not exist. */
extern "C" ValkeyModuleString *VM_GetClientUserNameById(ValkeyModuleCtx *ctx, uint64_t id) {
    Host *h = host_of(ctx);
    if (!h) {
        errno = ENOENT;
        return nullptr;
    }
    Napi::HandleScope scope(h->env);
    ValkeyModuleString *s = string_result(ctx, h, client_op(h, COP_GET_USER, id));
    if (!s) errno = ENOENT;
    return s;
}

/** The ACL user of the context's client (a new string); NULL with errno EINVAL without a
 *  client. */
extern "C" ValkeyModuleString *VM_GetCurrentUserName(ValkeyModuleCtx *ctx) {
    if (!ctx || ctx->client.id == 0 || !ctx->host) {
        errno = EINVAL;
        return nullptr;
    }
    Napi::HandleScope scope(ctx->host->env);
    ValkeyModuleString *s = string_result(ctx, ctx->host, client_op(ctx->host, COP_GET_USER, ctx->client.id));
    if (!s) errno = EINVAL;
    return s;
}

/** OK when client `id` exists, filling a ValkeyModuleClientInfoV1 when `ci` is given; ERR
 *  for an unknown client or a structure version other than 1. */
extern "C" int VM_GetClientInfoById(void *ci, uint64_t id) {
    Host *h = g_current_host;
    if (!h) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(h->env);
    Napi::Value r = client_op(h, COP_CLIENT_INFO, id);
    if (!r.IsArray()) return VALKEYMODULE_ERR;
    if (!ci) return VALKEYMODULE_OK;
    uint64_t version = static_cast<uint64_t *>(ci)[0];
    if (version != 1) return VALKEYMODULE_ERR;
    auto *info = static_cast<ValkeyModuleClientInfoV1 *>(ci);
    memset(info, 0, sizeof(*info));
    info->version = version;
    Napi::Array a = r.As<Napi::Array>();
    info->flags = static_cast<uint64_t>(a.Get(0u).As<Napi::Number>().Int64Value());
    info->id = id;
    std::string addr = js_to_bytes(h->env, a.Get(1u));
    size_t n = std::min(addr.size(), sizeof(info->addr) - 1);
    memcpy(info->addr, addr.data(), n);
    info->port = static_cast<uint16_t>(a.Get(2u).As<Napi::Number>().Uint32Value());
    info->db = static_cast<uint16_t>(a.Get(3u).As<Napi::Number>().Uint32Value());
    return VALKEYMODULE_OK;
}

/** 1 for commands from the primary or the AOF; this host has neither yet, so 0. */
extern "C" int VM_MustObeyClient(ValkeyModuleCtx *ctx) {
    (void)ctx;
    return 0;
}

/** Marks argument `pos` of the running command as redacted (SLOWLOG, MONITOR); ERR for the
 *  command name (0) or a position outside the arguments. */
extern "C" int VM_RedactClientCommandArgument(ValkeyModuleCtx *ctx, int pos) {
    if (!ctx || !ctx->host || ctx->client.id == 0 || pos <= 0 || pos >= ctx->argc) return VALKEYMODULE_ERR;
    Napi::HandleScope scope(ctx->host->env);
    Napi::Value r = client_op(ctx->host, COP_REDACT, ctx->client.id, Napi::Number::New(ctx->host->env, pos));
    return r.IsBoolean() && r.As<Napi::Boolean>().Value() ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** The client's X.509 certificate in PEM; this host has no TLS, so always NULL. */
extern "C" ValkeyModuleString *VM_GetClientCertificate(ValkeyModuleCtx *ctx, uint64_t client_id) {
    (void)ctx;
    (void)client_id;
    return nullptr;
}
