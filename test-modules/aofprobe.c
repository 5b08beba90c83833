/* Test module for what module commands see while the AOF is replayed (test/polish.test.ts).
 *
 *   probe.ctx <key>   stores "<context flags> <client id> <IsAOFClient>" in <key> (a string)
 *                     and replies the same text; replicated verbatim so the AOF replays it
 */
#include "valkeymodule.h"

#include <stdio.h>
#include <string.h>

static int cmd_ctx(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    unsigned long long id = ValkeyModule_GetClientId(ctx);
    char buf[96];
    int n = snprintf(buf, sizeof(buf), "%d %llu %d", ValkeyModule_GetContextFlags(ctx), id,
                     ValkeyModule_IsAOFClient(id) ? 1 : 0);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_WRITE);
    ValkeyModuleString *val = ValkeyModule_CreateString(ctx, buf, (size_t)n);
    ValkeyModule_StringSet(key, val);
    ValkeyModule_FreeString(ctx, val);
    ValkeyModule_CloseKey(key);
    ValkeyModule_ReplicateVerbatim(ctx);
    return ValkeyModule_ReplyWithStringBuffer(ctx, buf, (size_t)n);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (ValkeyModule_Init(ctx, "aofprobe", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "probe.ctx", cmd_ctx, "write", 1, 1, 1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
