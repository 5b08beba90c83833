// The defrag API of a host without active defragmentation: the engine's values live in the
// JavaScript heap and module allocations are never moved, so defrag callbacks are recorded
// but never run, and the calls a callback could make answer as "nothing to do".
#include <mutex>
#include <unordered_map>

#include "../host/context.h"

namespace {

std::mutex g_defrag_mu;
/** The global defrag callback registered by each module (kept; never invoked). */
std::unordered_map<const vmhost::Module *, ValkeyModuleDefragFunc> g_defrag_funcs;

}  // namespace

extern "C" {

/** Records the module's global defrag callback; VALKEYMODULE_OK. It is never called, as
 *  this host never defragments. */
int VM_RegisterDefragFunc(ValkeyModuleCtx *ctx, ValkeyModuleDefragFunc cb) {
    if (!ctx || !ctx->module) return VALKEYMODULE_ERR;
    std::lock_guard<std::mutex> lock(g_defrag_mu);
    g_defrag_funcs[ctx->module] = cb;
    return VALKEYMODULE_OK;
}

/** Whether a defrag callback should stop: 0, there is never a time budget to exceed. */
int VM_DefragShouldStop(ValkeyModuleDefragCtx *ctx) {
    (void)ctx;
    return 0;
}

/** Stores a late-defrag cursor: VALKEYMODULE_ERR, no late defrag ever runs. */
int VM_DefragCursorSet(ValkeyModuleDefragCtx *ctx, unsigned long cursor) {
    (void)ctx;
    (void)cursor;
    return VALKEYMODULE_ERR;
}

/** Fetches a late-defrag cursor: VALKEYMODULE_ERR (the cursor is not written). */
int VM_DefragCursorGet(ValkeyModuleDefragCtx *ctx, unsigned long *cursor) {
    (void)ctx;
    (void)cursor;
    return VALKEYMODULE_ERR;
}

/** Moves an allocation: NULL, defragmentation is never necessary (ptr stays valid). */
void *VM_DefragAlloc(ValkeyModuleDefragCtx *ctx, void *ptr) {
    (void)ctx;
    (void)ptr;
    return nullptr;
}

/** Moves a string: NULL, defragmentation is never necessary (str stays valid). */
ValkeyModuleString *VM_DefragValkeyModuleString(ValkeyModuleDefragCtx *ctx, ValkeyModuleString *str) {
    (void)ctx;
    (void)str;
    return nullptr;
}

/** The name of the key being defragmented: NULL, none is. */
const ValkeyModuleString *VM_GetKeyNameFromDefragCtx(ValkeyModuleDefragCtx *ctx) {
    (void)ctx;
    return nullptr;
}

/** The database of the key being defragmented: -1, none is. */
int VM_GetDbIdFromDefragCtx(ValkeyModuleDefragCtx *ctx) {
    (void)ctx;
    return -1;
}

}  // extern "C"
