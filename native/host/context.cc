// Context lifecycle: creation, AutoMemory bookkeeping, end-of-callback cleanup.
#include "context.h"

#include <algorithm>

#include "dict.h"
#include "host.h"
#include "memory.h"
#include "vmstring.h"
#include "key.h"
#include "call_reply.h"

// Defined in api/info.cc (C linkage).
extern "C" void VM_FreeServerInfo(ValkeyModuleCtx *ctx, ValkeyModuleServerInfoData *data);

namespace vmhost {

void ctx_init(ValkeyModuleCtx *ctx, Host *host, Module *module, uint32_t flags) {
    ctx->getapifuncptr = reinterpret_cast<void *>(&vmhost_get_api);
    ctx->host = host;
    ctx->module = module;
    ctx->flags = flags;
}

void ctx_auto_add(ValkeyModuleCtx *ctx, AutoKind kind, void *ptr) {
    if (!ctx || !(ctx->flags & CTX_AUTO_MEMORY) || !ptr) return;
    ctx->autoMemory.push_back({kind, ptr});
}

void ctx_auto_forget(ValkeyModuleCtx *ctx, AutoKind kind, void *ptr) {
    if (!ctx || !(ctx->flags & CTX_AUTO_MEMORY)) return;
    auto &v = ctx->autoMemory;
    // Most frees are of recent objects: search from the end.
    for (size_t i = v.size(); i-- > 0;) {
        if (v[i].ptr == ptr && v[i].kind == kind) {
            v[i].ptr = nullptr;
            return;
        }
    }
}

/** Releases everything AutoMemory tracked, in creation order. */
static void auto_release(ValkeyModuleCtx *ctx) {
    // Take the list first: releasing must not record new entries into it.
    std::vector<AutoEntry> entries;
    entries.swap(ctx->autoMemory);
    uint32_t saved = ctx->flags;
    ctx->flags &= ~CTX_AUTO_MEMORY;
    for (const AutoEntry &e : entries) {
        if (!e.ptr) continue;
        switch (e.kind) {
            case AutoKind::String: vmstr_decref(static_cast<ValkeyModuleString *>(e.ptr)); break;
            case AutoKind::Dict: dict_free(static_cast<ValkeyModuleDict *>(e.ptr)); break;
            case AutoKind::Key: key_close(static_cast<ValkeyModuleKey *>(e.ptr)); break;
            case AutoKind::CallReply: callreply_free(static_cast<ValkeyModuleCallReply *>(e.ptr)); break;
            case AutoKind::ServerInfo: VM_FreeServerInfo(nullptr, static_cast<ValkeyModuleServerInfoData *>(e.ptr)); break;
        }
    }
    ctx->flags = saved;
}

void ctx_finish(ValkeyModuleCtx *ctx) {
    if (!ctx->autoMemory.empty()) auto_release(ctx);
    if (ctx->pool) pool_release(ctx->pool);
    if (ctx->tape && ctx->tape->pendingPostponed() > 0) {
        if (ctx->host) {
            ctx->host->logf(LL_WARNING,
                            "API misuse detected in module %s: ValkeyModule_ReplyWith*(VALKEYMODULE_POSTPONED_LEN) "
                            "not matched by the same number of ValkeyModule_SetReply*Len() calls.",
                            ctx->module ? ctx->module->name.c_str() : "<unknown>");
        }
        ctx->tape->closeAllPostponed();
    }
}

}  // namespace vmhost
