/* cmdkeys: GetCommandKeys / GetCommandKeysWithFlags.
 *
 * Registers:
 *   CK.KEYS <command> [arg ...]    GetCommandKeysWithFlags on the command line: an array of
 *                                  [position, flags] pairs, "ERR ENOENT" / "ERR EINVAL", or
 *                                  the simple string NOKEYS when NULL with errno 0
 *   CK.POS <command> [arg ...]     GetCommandKeys: an array of positions (same errors)
 *   CK.GET <key>                   a module command with a legacy key range (1, 1, 1)
 *   CK.TWO <a> <x> <b>             a module command with the key spec "keys at 1 and 3" (RO)
 */
#include <errno.h>
#include <string.h>

#include "valkeymodule.h"

static int reply_failure(ValkeyModuleCtx *ctx) {
    if (errno == ENOENT) return ValkeyModule_ReplyWithError(ctx, "ERR ENOENT");
    if (errno == EINVAL) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (errno == 0) return ValkeyModule_ReplyWithSimpleString(ctx, "NOKEYS");
    return ValkeyModule_ReplyWithError(ctx, "ERR other errno");
}

static int keys_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    int n = -1, *flags = NULL;
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    errno = 12345;
    int *keys = ValkeyModule_GetCommandKeysWithFlags(ctx, argv + 1, argc - 1, &n, &flags);
    if (!keys) return reply_failure(ctx);
    ValkeyModule_ReplyWithArray(ctx, n);
    for (int i = 0; i < n; i++) {
        ValkeyModule_ReplyWithArray(ctx, 2);
        ValkeyModule_ReplyWithLongLong(ctx, keys[i]);
        ValkeyModule_ReplyWithLongLong(ctx, flags[i]);
    }
    ValkeyModule_Free(keys);
    ValkeyModule_Free(flags);
    return VALKEYMODULE_OK;
}

static int pos_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    int n = -1;
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    errno = 12345;
    int *keys = ValkeyModule_GetCommandKeys(ctx, argv + 1, argc - 1, &n);
    if (!keys) return reply_failure(ctx);
    ValkeyModule_ReplyWithArray(ctx, n);
    for (int i = 0; i < n; i++) ValkeyModule_ReplyWithLongLong(ctx, keys[i]);
    ValkeyModule_Free(keys);
    return VALKEYMODULE_OK;
}

static int ok_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "cmdkeys", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "ck.keys", keys_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "ck.pos", pos_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "ck.get", ok_cmd, "readonly", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "ck.two", ok_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    ValkeyModuleCommand *two = ValkeyModule_GetCommand(ctx, "ck.two");
    ValkeyModuleCommandKeySpec specs[] = {
        {.flags = VALKEYMODULE_CMD_KEY_RO | VALKEYMODULE_CMD_KEY_ACCESS,
         .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX,
         .bs.index.pos = 1,
         .find_keys_type = VALKEYMODULE_KSPEC_FK_RANGE,
         .fk.range = {0, 1, 0}},
        {.flags = VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_INSERT,
         .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX,
         .bs.index.pos = 3,
         .find_keys_type = VALKEYMODULE_KSPEC_FK_RANGE,
         .fk.range = {0, 1, 0}},
        {0}};
    ValkeyModuleCommandInfo info = {.version = VALKEYMODULE_COMMAND_INFO_VERSION, .arity = 4, .key_specs = specs};
    if (ValkeyModule_SetCommandInfo(two, &info) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
