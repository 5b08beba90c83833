/* helloworld: the smallest useful Valkey module, and our getting-started example.
 *
 *   HELLOWORLD.RAND             a random integer
 *   HELLOWORLD.ECHO <msg>       replies msg back
 *   HELLOWORLD.SUM <n> [n ...]  the sum of the integers
 *   HELLOWORLD.REVERSE <a>...   the arguments in reverse order, as an array
 *   HELLOWORLD.INFO             a map describing the module (an array in RESP2)
 *
 * Build by hand:  cc -shared -fPIC -I include -o helloworld.so test-modules/helloworld.c
 */
#include <stdlib.h>

#include "valkeymodule.h"

static int rand_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, rand());
}

static int echo_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithString(ctx, argv[1]);
}

static int sum_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    long long total = 0;
    for (int i = 1; i < argc; i++) {
        long long v;
        if (ValkeyModule_StringToLongLong(argv[i], &v) != VALKEYMODULE_OK)
            return ValkeyModule_ReplyWithError(ctx, "ERR value is not an integer or out of range");
        total += v;
    }
    return ValkeyModule_ReplyWithLongLong(ctx, total);
}

static int reverse_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    ValkeyModule_ReplyWithArray(ctx, argc - 1);
    for (int i = argc - 1; i >= 1; i--) ValkeyModule_ReplyWithString(ctx, argv[i]);
    return VALKEYMODULE_OK;
}

static int info_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithMap(ctx, 2);
    ValkeyModule_ReplyWithCString(ctx, "name");
    ValkeyModule_ReplyWithCString(ctx, "helloworld");
    ValkeyModule_ReplyWithCString(ctx, "commands");
    ValkeyModule_ReplyWithLongLong(ctx, 5);
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "helloworld", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "helloworld.rand", rand_command, "readonly random fast", 0, 0, 0) ==
        VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "helloworld.echo", echo_command, "readonly fast", 0, 0, 0) ==
        VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "helloworld.sum", sum_command, "readonly fast", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "helloworld.reverse", reverse_command, "readonly fast", 0, 0, 0) ==
        VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "helloworld.info", info_command, "readonly fast", 0, 0, 0) ==
        VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
