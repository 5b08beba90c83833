// Module lifecycle and identity: the calls the header's inline ValkeyModule_Init makes,
// module options, AutoMemory, and what a context knows about its client.
#include <cstring>
#include <string>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/vmstring.h"

using namespace vmhost;

extern "C" {

/** Creates the module record {name, ver, apiver} during OnLoad and binds it to the context.
 *  Called by ValkeyModule_Init. A no-op when the context already has a module. */
void VM_SetModuleAttribs(ValkeyModuleCtx *ctx, const char *name, int ver, int apiver) {
    if (!ctx || ctx->module || !ctx->host) return;
    Module *m = new Module();
    m->name = name ? name : "";
    m->ver = ver;
    m->apiver = apiver;
    m->onLoad = true;
    m->host = ctx->host;
    ctx->module = m;
    ctx->host->loading = m;
}

/** Returns non-zero when a module with this name (case-insensitive) is already loaded on
 *  the engine running the caller. ValkeyModule_Init then fails. */
int VM_IsModuleNameBusy(const char *name) {
    Host *h = g_current_host;
    if (!h || !name) return 0;
    return h->findModule(name) != nullptr;
}

/** Sets the module's option bits (VALKEYMODULE_OPTIONS_*); unknown bits are kept as given. */
void VM_SetModuleOptions(ValkeyModuleCtx *ctx, int options) {
    if (ctx && ctx->module) ctx->module->options = static_cast<unsigned>(options);
}

/** Replaces the arguments the module is said to have been loaded with: MODULE LIST shows
 *  them and CONFIG REWRITE writes them on the module's loadmodule line. The strings are
 *  retained (the caller keeps its own references). Always OK with a module context. */
int VM_UpdateRuntimeArgs(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (!ctx || !ctx->module) return VALKEYMODULE_ERR;
    Module *m = ctx->module;
    std::vector<ValkeyModuleString *> fresh;
    for (int i = 0; i < argc; i++) {
        if (!argv || !argv[i]) continue;
        vmstr_incref(argv[i]);
        fresh.push_back(argv[i]);
    }
    for (ValkeyModuleString *s : m->args) vmstr_decref(s);
    m->args.swap(fresh);
    return VALKEYMODULE_OK;
}

/** Enables automatic memory management for this callback: strings, keys, call replies and
 *  dicts the module creates with this context are released when the callback returns. */
void VM_AutoMemory(ValkeyModuleCtx *ctx) {
    if (ctx) ctx->flags |= CTX_AUTO_MEMORY;
}

/** The id of the client the context runs for; 0 when it has none (OnLoad, timers,
 *  detached contexts). */
unsigned long long VM_GetClientId(ValkeyModuleCtx *ctx) {
    return ctx ? ctx->client.id : 0;
}

/** The VALKEYMODULE_CTX_FLAGS_* that describe the context now: its client's (MULTI, RESP3,
 *  DENY_BLOCKING...) and the server's (PRIMARY, LOADING, MAXMEMORY...). A NULL context
 *  reports only server flags. */
int VM_GetContextFlags(ValkeyModuleCtx *ctx) {
    Host *h = ctx ? ctx->host : g_current_host;
    int flags = h ? static_cast<int>(h->serverFlags) : VALKEYMODULE_CTX_FLAGS_PRIMARY;
    if (ctx && ctx->client.id != 0) {
        flags |= static_cast<int>(ctx->client.jsFlags);
        if (ctx->client.resp == 3) flags |= VALKEYMODULE_CTX_FLAGS_RESP3;
    }
    return flags;
}

}  // extern "C"
