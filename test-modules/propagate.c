/* propagate: ValkeyModule_Replicate, ValkeyModule_ReplicateVerbatim and Call's `!`/`A`/`R`.
 *
 * <mods> is a string of format modifiers ("-" for none); the command line follows and is
 * passed with the `v` format after them.
 *
 *   PROP.SIMPLE                  Replicate INCR counter-1, INCR counter-2
 *   PROP.MIXED                   Call(! INCR using-call), Replicate counter-1 and counter-2,
 *                                Call(! INCR after-call)
 *   PROP.INCR <key>              Call(INCR key) without `!`, then ReplicateVerbatim
 *   PROP.VERBATIM [args...]      ReplicateVerbatim only
 *   PROP.CALL <mods> <cmd> ...   Call with the modifiers, reply forwarded
 *   PROP.REPLICATE <mods> <cmd> ...  Replicate with the modifiers: OK, or -ERR when refused
 *   PROP.BADREPLICATE            Replicate of an unknown command and with a bad format: both ERR
 *   PROP.SELECT <db> <key>       SelectDb(db), Call(! INCR key), back to the first db,
 *                                Call(! INCR key)
 *   PROP.SILENT <key>            Call(INCR key) without `!` and a key API write: nothing propagates
 */
#include <string.h>

#include "valkeymodule.h"

static void make_fmt(ValkeyModuleString *mods, char *fmt, size_t size) {
    const char *m = ValkeyModule_StringPtrLen(mods, NULL);
    if (!strcmp(m, "-")) m = "";
    size_t n = strlen(m);
    if (n + 2 > size) n = size - 2;
    memcpy(fmt, m, n);
    fmt[n] = 'v';
    fmt[n + 1] = '\0';
}

static int simple_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_Replicate(ctx, "INCR", "c", "counter-1");
    ValkeyModule_Replicate(ctx, "INCR", "c", "counter-2");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int mixed_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "INCR", "c!", "using-call");
    ValkeyModule_FreeCallReply(r);
    ValkeyModule_Replicate(ctx, "INCR", "c", "counter-1");
    ValkeyModule_Replicate(ctx, "INCR", "c", "counter-2");
    r = ValkeyModule_Call(ctx, "INCR", "c!", "after-call");
    ValkeyModule_FreeCallReply(r);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int incr_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "INCR", "s", argv[1]);
    ValkeyModule_ReplyWithCallReply(ctx, r);
    ValkeyModule_FreeCallReply(r);
    ValkeyModule_ReplicateVerbatim(ctx);
    return VALKEYMODULE_OK;
}

static int verbatim_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    int rc = ValkeyModule_ReplicateVerbatim(ctx);
    return ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : "ERR");
}

static int call_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    char fmt[64];
    make_fmt(argv[1], fmt, sizeof(fmt));
    ValkeyModuleCallReply *r =
        ValkeyModule_Call(ctx, ValkeyModule_StringPtrLen(argv[2], NULL), fmt, argv + 3, (size_t)(argc - 3));
    if (!r) return ValkeyModule_ReplyWithError(ctx, "ERR Call failed");
    ValkeyModule_ReplyWithCallReply(ctx, r);
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int replicate_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    char fmt[64];
    make_fmt(argv[1], fmt, sizeof(fmt));
    int rc = ValkeyModule_Replicate(ctx, ValkeyModule_StringPtrLen(argv[2], NULL), fmt, argv + 3, (size_t)(argc - 3));
    if (rc != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR Replicate failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int badreplicate_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    int a = ValkeyModule_Replicate(ctx, "NOSUCHCOMMAND", "c", "x");
    int b = ValkeyModule_Replicate(ctx, "INCR", "cZ", "x");
    int c = ValkeyModule_Replicate(ctx, "config|set", "cc", "maxmemory", "0"); /* container|sub is a command */
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, a);
    ValkeyModule_ReplyWithLongLong(ctx, b);
    return ValkeyModule_ReplyWithLongLong(ctx, c);
}

static int select_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long db;
    if (ValkeyModule_StringToLongLong(argv[1], &db) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR db");
    int orig = ValkeyModule_GetSelectedDb(ctx);
    ValkeyModule_SelectDb(ctx, (int)db);
    ValkeyModule_FreeCallReply(ValkeyModule_Call(ctx, "INCR", "s!", argv[2]));
    ValkeyModule_SelectDb(ctx, orig);
    ValkeyModule_FreeCallReply(ValkeyModule_Call(ctx, "INCR", "s!", argv[2]));
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int silent_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_FreeCallReply(ValkeyModule_Call(ctx, "INCR", "s", argv[1]));
    ValkeyModuleString *k = ValkeyModule_CreateStringPrintf(ctx, "%s-keyapi", ValkeyModule_StringPtrLen(argv[1], NULL));
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, k, VALKEYMODULE_WRITE);
    ValkeyModuleString *v = ValkeyModule_CreateString(ctx, "x", 1);
    ValkeyModule_StringSet(key, v);
    ValkeyModule_CloseKey(key);
    ValkeyModule_FreeString(ctx, v);
    ValkeyModule_FreeString(ctx, k);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "propagate", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
    } cmds[] = {
        {"prop.simple", simple_cmd},       {"prop.mixed", mixed_cmd},   {"prop.incr", incr_cmd},
        {"prop.verbatim", verbatim_cmd},   {"prop.call", call_cmd},     {"prop.replicate", replicate_cmd},
        {"prop.badreplicate", badreplicate_cmd}, {"prop.select", select_cmd}, {"prop.silent", silent_cmd},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, "write", 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
