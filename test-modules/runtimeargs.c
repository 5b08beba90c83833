/* runtimeargs: ValkeyModule_UpdateRuntimeArgs.
 *
 *   RTARGS.SET [arg ...]   replaces the module's load arguments with the given ones: OK
 */
#include "valkeymodule.h"

static int set_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_UpdateRuntimeArgs(ctx, argv + 1, argc - 1) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR update failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "runtimeargs", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "rtargs.set", set_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
