/* Whole-dataset RDB from a module: RDBS.SAVE <file> <flags> and RDBS.LOAD <file> <flags>
 * create an RDB stream for the file, call RdbSave / RdbLoad and free the stream. They reply
 * OK, or "ERR errno=<n>" with the errno the API left. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "valkeymodule.h"

static int run(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int load) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long flags;
    if (ValkeyModule_StringToLongLong(argv[2], &flags) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad flags");
    ValkeyModuleRdbStream *s = ValkeyModule_RdbStreamCreateFromFile(ValkeyModule_StringPtrLen(argv[1], NULL));
    errno = 0;
    int rc = load ? ValkeyModule_RdbLoad(ctx, s, (int)flags) : ValkeyModule_RdbSave(ctx, s, (int)flags);
    int err = errno;
    ValkeyModule_RdbStreamFree(s);
    if (rc == VALKEYMODULE_OK) return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
    char buf[64];
    snprintf(buf, sizeof buf, "ERR errno=%d", err);
    return ValkeyModule_ReplyWithError(ctx, buf);
}

static int SaveCmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    return run(ctx, argv, argc, 0);
}

static int LoadCmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    return run(ctx, argv, argc, 1);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (ValkeyModule_Init(ctx, "rdbstream", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "rdbs.save", SaveCmd, "admin", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "rdbs.load", LoadCmd, "admin write", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
