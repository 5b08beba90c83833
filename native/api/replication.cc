// Commands replication API: ValkeyModule_Replicate and ValkeyModule_ReplicateVerbatim.
//
// Both hand a command line to the engine's propagation stream (src/engine/propagation.ts,
// through the call bridge): inside a command or another execution unit it is emitted with the
// unit's other effects (wrapped in MULTI/EXEC when there are several, in the order they
// happened); outside any unit it is emitted at once.
#include <cerrno>
#include <cstring>

#include "../host/call_reply.h"
#include "../host/context.h"
#include "../host/host.h"
#include "../host/vmstring.h"

using namespace vmhost;

extern "C" {

/** Propagates `cmdname` with the arguments of a Call-style format to AOF and replicas (`A`
 *  leaves AOF out, `R` the replicas). ERR for an invalid format or an unknown command. */
int VM_Replicate(ValkeyModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    if (!ctx || !ctx->host || !cmdname || !fmt) return VALKEYMODULE_ERR;
    CallArgs args;
    int flags = 0;
    va_list ap;
    va_start(ap, fmt);
    bool ok = callargs_from_format(cmdname, fmt, ap, args, flags);
    va_end(ap);
    if (!ok) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    Napi::Value r = call_bridge(h, COP_REPLICATE, args, flags, ctx->client.id, ctx->client.db, 0);
    return r.IsBoolean() && r.As<Napi::Boolean>().Value() ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}

/** Propagates the running command exactly as the client sent it (no MULTI/EXEC of its own).
 *  Always OK. */
int VM_ReplicateVerbatim(ValkeyModuleCtx *ctx) {
    if (!ctx || !ctx->host) return VALKEYMODULE_OK;
    CallArgs args;
    for (int i = 0; i < ctx->argc; i++) args.push(ctx->argv[i]->ptr, ctx->argv[i]->len);
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    call_bridge(h, COP_VERBATIM, args, 0, ctx->client.id, ctx->client.db, 0);
    return VALKEYMODULE_OK;
}

}  // extern "C"
