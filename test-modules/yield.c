/* ValkeyModule_Yield during a long command.
 *
 *   YIELD.UNTIL <startedfile> <stopfile> <flags> [busy_reply]
 *       creates <startedfile>, then loops (sleeping 1 ms per round, at most 20 s) calling
 *       Yield(ctx, flags, busy_reply or NULL) until <stopfile> exists; sets key
 *       yield:done to the number of rounds and replies "OK".
 *   YIELD.NOOP   (allow-busy) -> "NOOP"
 */
#include "valkeymodule.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int exists(const char *path) { return access(path, F_OK) == 0; }

static int YieldUntil_Cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4 && argc != 5) return ValkeyModule_WrongArity(ctx);
    const char *started = ValkeyModule_StringPtrLen(argv[1], NULL);
    const char *stop = ValkeyModule_StringPtrLen(argv[2], NULL);
    long long flags;
    if (ValkeyModule_StringToLongLong(argv[3], &flags) != VALKEYMODULE_OK) {
        return ValkeyModule_ReplyWithError(ctx, "ERR bad flags");
    }
    const char *busy = argc == 5 ? ValkeyModule_StringPtrLen(argv[4], NULL) : NULL;
    int fd = open(started, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) close(fd);
    long long rounds = 0;
    while (!exists(stop) && rounds < 20000) {
        usleep(1000);
        ValkeyModule_Yield(ctx, (int)flags, busy);
        rounds++;
    }
    ValkeyModuleString *name = ValkeyModule_CreateString(ctx, "yield:done", 10);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, name, VALKEYMODULE_WRITE);
    ValkeyModuleString *val = ValkeyModule_CreateStringFromLongLong(ctx, rounds);
    ValkeyModule_StringSet(key, val);
    ValkeyModule_CloseKey(key);
    ValkeyModule_FreeString(ctx, val);
    ValkeyModule_FreeString(ctx, name);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int YieldNoop_Cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return ValkeyModule_ReplyWithSimpleString(ctx, "NOOP");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (ValkeyModule_Init(ctx, "yield", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "yield.until", YieldUntil_Cmd, "write", 0, 0, 0) == VALKEYMODULE_ERR) {
        return VALKEYMODULE_ERR;
    }
    if (ValkeyModule_CreateCommand(ctx, "yield.noop", YieldNoop_Cmd, "allow-busy fast", 0, 0, 0) == VALKEYMODULE_ERR) {
        return VALKEYMODULE_ERR;
    }
    return VALKEYMODULE_OK;
}
