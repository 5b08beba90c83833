/* cmdfilter: command filters.
 *
 * OnLoad registers filter A (flags from argv[0] if given: "noself" sets CMDFILTER_NOSELF):
 *   - SET k v            -> SET k v-filtered      (ArgReplace of the last argument)
 *   - CF.ECHO args...    -> CF.ECHO @<client id> args... then deletes every "drop" argument
 *                           (ArgInsert at 1, ArgDelete)
 *   - CF.RENAME args...  -> CF.ECHO renamed args...  (ArgReplace of the command name, ArgInsert)
 *   - CF.KILL            -> every argument deleted
 * and records the last command name it saw.
 *
 * Commands:
 *   CF.ECHO args...        replies with its arguments (after filtering)
 *   CF.CALLSET k v         ValkeyModule_Call("SET", k, v): its reply
 *   CF.LAST                the last command name filter A saw
 *   CF.CHECKS              an array of 1/0 for the out-of-range edge cases, run by filter B
 *                          (registered now, unregistered by CF.UNREGB)
 *   CF.UNREG               UnregisterCommandFilter(A): OK or ERR; then again (ERR expected)
 *   CF2.UNREGOTHER         (loaded with "other", as "cmdfilter2") unregisters cmdfilter's filter A: ERR
 *   CF.REREG               registers filter A again (OK)
 */
#include <string.h>
#include <strings.h>

#include "valkeymodule.h"

static ValkeyModuleCommandFilter *filterA;
static char last[64];
static int checks[8];
static int checksRan;

static int is(ValkeyModuleString *s, const char *name) {
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(s, &len);
    return len == strlen(name) && strncasecmp(p, name, len) == 0;
}

static void filter_a(ValkeyModuleCommandFilterCtx *fctx) {
    int argc = ValkeyModule_CommandFilterArgsCount(fctx);
    ValkeyModuleString *cmd = ValkeyModule_CommandFilterArgGet(fctx, 0);
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(cmd, &len);
    if (len >= sizeof(last)) len = sizeof(last) - 1;
    memcpy(last, p, len);
    last[len] = '\0';
    if (is(cmd, "set") && argc == 3) {
        ValkeyModuleString *v = ValkeyModule_CommandFilterArgGet(fctx, 2);
        ValkeyModuleString *nv = ValkeyModule_CreateStringFromString(NULL, v);
        ValkeyModule_StringAppendBuffer(NULL, nv, "-filtered", 9);
        ValkeyModule_CommandFilterArgReplace(fctx, 2, nv);
    } else if (is(cmd, "cf.echo")) {
        ValkeyModule_CommandFilterArgInsert(fctx, 1,
            ValkeyModule_CreateStringPrintf(NULL, "@%llu", ValkeyModule_CommandFilterGetClientId(fctx)));
        for (int i = ValkeyModule_CommandFilterArgsCount(fctx) - 1; i > 1; i--)
            if (is(ValkeyModule_CommandFilterArgGet(fctx, i), "drop")) ValkeyModule_CommandFilterArgDelete(fctx, i);
    } else if (is(cmd, "cf.rename")) {
        ValkeyModule_CommandFilterArgReplace(fctx, 0, ValkeyModule_CreateString(NULL, "CF.ECHO", 7));
        ValkeyModule_CommandFilterArgInsert(fctx, 1, ValkeyModule_CreateString(NULL, "renamed", 7));
    } else if (is(cmd, "cf.kill")) {
        while (ValkeyModule_CommandFilterArgsCount(fctx) > 0) ValkeyModule_CommandFilterArgDelete(fctx, 0);
    }
}

/* Filter B: edge cases on CF.CHECKS only (it runs after A: registration order). */
static void filter_b(ValkeyModuleCommandFilterCtx *fctx) {
    if (!is(ValkeyModule_CommandFilterArgGet(fctx, 0), "cf.checks")) return;
    int argc = ValkeyModule_CommandFilterArgsCount(fctx);
    ValkeyModuleString *s = ValkeyModule_CreateString(NULL, "x", 1);
    checks[0] = argc == 1;
    checks[1] = ValkeyModule_CommandFilterArgGet(fctx, 1) == NULL;
    checks[2] = ValkeyModule_CommandFilterArgGet(fctx, -1) == NULL;
    checks[3] = ValkeyModule_CommandFilterArgInsert(fctx, 2, s) == VALKEYMODULE_ERR;
    checks[4] = ValkeyModule_CommandFilterArgReplace(fctx, 1, s) == VALKEYMODULE_ERR;
    checks[5] = ValkeyModule_CommandFilterArgDelete(fctx, 1) == VALKEYMODULE_ERR;
    checks[6] = ValkeyModule_CommandFilterArgDelete(fctx, -1) == VALKEYMODULE_ERR;
    /* Append at pos == argc is allowed; the server now owns s. */
    checks[7] = ValkeyModule_CommandFilterArgInsert(fctx, 1, s) == VALKEYMODULE_OK;
    checksRan = 1;
}

static int cmd_echo(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    ValkeyModule_ReplyWithArray(ctx, argc - 1);
    for (int i = 1; i < argc; i++) ValkeyModule_ReplyWithString(ctx, argv[i]);
    return VALKEYMODULE_OK;
}

static int cmd_callset(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "SET", "ss", argv[1], argv[2]);
    if (!r) return ValkeyModule_ReplyWithError(ctx, "ERR call failed");
    ValkeyModule_ReplyWithCallReply(ctx, r);
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int cmd_last(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return ValkeyModule_ReplyWithCString(ctx, last);
}

static int cmd_checks(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    if (!checksRan) return ValkeyModule_ReplyWithError(ctx, "ERR filter B did not run");
    ValkeyModule_ReplyWithArray(ctx, 9);
    for (int i = 0; i < 8; i++) ValkeyModule_ReplyWithLongLong(ctx, checks[i]);
    ValkeyModule_ReplyWithLongLong(ctx, argc); /* 2: the appended "x" */
    checksRan = 0;
    return VALKEYMODULE_OK;
}

static int cmd_unreg(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    int first = ValkeyModule_UnregisterCommandFilter(ctx, filterA);
    int second = ValkeyModule_UnregisterCommandFilter(ctx, filterA);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithCString(ctx, first == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithCString(ctx, second == VALKEYMODULE_OK ? "OK" : "ERR");
    return VALKEYMODULE_OK;
}

static int cmd_rereg(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    filterA = ValkeyModule_RegisterCommandFilter(ctx, filter_a, 0);
    return filterA ? ValkeyModule_ReplyWithSimpleString(ctx, "OK") : ValkeyModule_ReplyWithError(ctx, "ERR");
}

/* Shared with a second instance loaded as "cmdfilter2": the first module's filter pointer. */
static int cmd_unregother(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleCommandFilter *f = ValkeyModule_GetSharedAPI(ctx, "cmdfilter.filterA");
    if (!f) return ValkeyModule_ReplyWithError(ctx, "ERR no filter");
    return ValkeyModule_ReplyWithCString(ctx,
        ValkeyModule_UnregisterCommandFilter(ctx, f) == VALKEYMODULE_OK ? "OK" : "ERR");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    /* The name depends on the argument: fetch StringPtrLen before Init (as Init does). */
    int (*getapi)(const char *, void *) = (int (*)(const char *, void *))(unsigned long)((void **)ctx)[0];
    getapi("ValkeyModule_StringPtrLen", (void *)&ValkeyModule_StringPtrLen);
    int other = argc > 0 && is(argv[0], "other");
    if (ValkeyModule_Init(ctx, other ? "cmdfilter2" : "cmdfilter", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (other) {
        /* The unregistering module is not the owner: ERR. */
        return ValkeyModule_CreateCommand(ctx, "cf2.unregother", cmd_unregother, "", 0, 0, 0);
    }
    int flags = 0;
    if (argc > 0 && is(argv[0], "noself")) flags = VALKEYMODULE_CMDFILTER_NOSELF;
    filterA = ValkeyModule_RegisterCommandFilter(ctx, filter_a, flags);
    if (!filterA || !ValkeyModule_RegisterCommandFilter(ctx, filter_b, 0)) return VALKEYMODULE_ERR;
    ValkeyModule_ExportSharedAPI(ctx, "cmdfilter.filterA", filterA);
    if (ValkeyModule_CreateCommand(ctx, "cf.echo", cmd_echo, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cf.callset", cmd_callset, "write", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cf.last", cmd_last, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cf.checks", cmd_checks, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cf.unreg", cmd_unreg, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cf.rereg", cmd_rereg, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
