/* lifecycle: identity, options, context flags, client ids, logging, AutoMemory and assert.
 *
 *   LC.CLIENTID               GetClientId
 *   LC.FLAGS                  GetContextFlags
 *   LC.NULLFLAGS              GetContextFlags(NULL)
 *   LC.OPTIONS                the options set in OnLoad, and GetModuleOptionsAll
 *   LC.BUSY <name>            IsModuleNameBusy
 *   LC.LOG <level> <msg>      Log at a level
 *   LC.LOGNULL <msg>          Log with a NULL context
 *   LC.AUTOKEEP <s>           AutoMemory: creates a copy, retains it past the callback
 *   LC.AUTOGET                replies the retained copy (proves AutoMemory left it alive)
 *   LC.AUTOFREE               AutoMemory plus an explicit FreeString (no double free)
 *   LC.ASSERT                 ValkeyModule_Assert on a false expression (ends the process)
 *   LC.NAME                   GetCurrentCommandName
 */
#include <string.h>

#include "valkeymodule.h"

static ValkeyModuleString *kept = NULL;

static int clientid_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_GetClientId(ctx));
}

static int flags_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetContextFlags(ctx));
}

static int nullflags_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetContextFlags(NULL));
}

static int options_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 1);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetModuleOptionsAll());
}

static int busy_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_IsModuleNameBusy(ValkeyModule_StringPtrLen(argv[1], NULL)));
}

static int log_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_Log(ctx, ValkeyModule_StringPtrLen(argv[1], NULL), "msg=%s n=%d", ValkeyModule_StringPtrLen(argv[2], NULL),
                     42);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int lognull_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_Log(NULL, "warning", "%s", ValkeyModule_StringPtrLen(argv[1], NULL));
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int autokeep_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_AutoMemory(ctx);
    ValkeyModuleString *copy = ValkeyModule_CreateStringFromString(ctx, argv[1]);
    ValkeyModule_StringAppendBuffer(ctx, copy, "!", 1);
    /* Unused temporaries: released by AutoMemory. */
    for (int i = 0; i < 100; i++) ValkeyModule_CreateStringPrintf(ctx, "tmp-%d", i);
    if (kept) ValkeyModule_FreeString(NULL, kept);
    ValkeyModule_RetainString(ctx, copy);
    kept = copy;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int autoget_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (!kept) return ValkeyModule_ReplyWithNull(ctx);
    return ValkeyModule_ReplyWithString(ctx, kept);
}

static int autofree_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_AutoMemory(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateString(ctx, "abc", 3);
    ValkeyModule_FreeString(ctx, s);
    ValkeyModuleString *t = ValkeyModule_CreateString(ctx, "def", 3);
    return ValkeyModule_ReplyWithString(ctx, t);
}

static int assert_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    ValkeyModule_Assert(argc == 2);
    return ValkeyModule_ReplyWithSimpleString(ctx, "still alive");
}

static int name_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithCString(ctx, ValkeyModule_GetCurrentCommandName(ctx));
}

#define REG(name, fn)                                                                          \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "lifecycle", 7, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    /* Init's busy check sees our own name only once we are registered. */
    ValkeyModule_SetModuleOptions(ctx, VALKEYMODULE_OPTIONS_HANDLE_IO_ERRORS |
                                           VALKEYMODULE_OPTION_NO_IMPLICIT_SIGNAL_MODIFIED);
    ValkeyModule_Log(ctx, "notice", "loaded with %d args", argc);
    REG("lc.clientid", clientid_cmd);
    REG("lc.flags", flags_cmd);
    REG("lc.nullflags", nullflags_cmd);
    REG("lc.options", options_cmd);
    REG("lc.busy", busy_cmd);
    REG("lc.log", log_cmd);
    REG("lc.lognull", lognull_cmd);
    REG("lc.autokeep", autokeep_cmd);
    REG("lc.autoget", autoget_cmd);
    REG("lc.autofree", autofree_cmd);
    REG("lc.assert", assert_cmd);
    REG("LC.Name", name_cmd);
    return VALKEYMODULE_OK;
}
