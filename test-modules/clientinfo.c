/* clientinfo: client introspection and shared APIs.
 *
 * Loaded without arguments it is "clientinfo", exports the shared API "clientinfo.double"
 * and registers:
 *   CI.MYID                 GetClientId
 *   CI.NAME <id>            GetClientNameById (null for NULL)
 *   CI.SETNAME <id> <name>  SetClientNameById: OK, or "ERR ENOENT" / "ERR EINVAL"
 *   CI.USER <id>            GetClientUserNameById, or "ERR ENOENT"
 *   CI.CURUSER              GetCurrentUserName
 *   CI.INFO <id> [version]  GetClientInfoById: [flags, id, addr, port, db], or "ERR failed"
 *   CI.EXISTS <id>          GetClientInfoById(NULL, id): 1 or 0
 *   CI.MUSTOBEY             MustObeyClient
 *   CI.CERT <id>            GetClientCertificate (null for NULL)
 *   CI.REDACT <pos>...      RedactClientCommandArgument per position: array of 1 (OK) / 0 (ERR)
 *   CI.EXPORTAGAIN          ExportSharedAPI of the taken name again: 1 (OK) or 0 (ERR)
 *
 * Loaded with an argument ("user") it is "clientinfouser" and registers:
 *   CIUSER.DOUBLE <n>       GetSharedAPI("clientinfo.double")(n), or "ERR no api"
 *   CIUSER.MISSING          GetSharedAPI of an unknown name: 1 when NULL
 */
#include <errno.h>
#include <string.h>

#include "valkeymodule.h"

static long long double_it(long long n) { return n * 2; }

static int parse_id(ValkeyModuleString *s, unsigned long long *id) {
    long long v;
    if (ValkeyModule_StringToLongLong(s, &v) != VALKEYMODULE_OK) return 0;
    *id = (unsigned long long)v;
    return 1;
}

static int reply_errno(ValkeyModuleCtx *ctx) {
    if (errno == ENOENT) return ValkeyModule_ReplyWithError(ctx, "ERR ENOENT");
    if (errno == EINVAL) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (errno == ENOTSUP) return ValkeyModule_ReplyWithError(ctx, "ERR ENOTSUP");
    return ValkeyModule_ReplyWithError(ctx, "ERR other errno");
}

static int reply_string_or_null(ValkeyModuleCtx *ctx, ValkeyModuleString *s) {
    if (!s) return ValkeyModule_ReplyWithNull(ctx);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int myid_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_GetClientId(ctx));
}

static int name_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    unsigned long long id;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!parse_id(argv[1], &id)) return ValkeyModule_ReplyWithError(ctx, "ERR bad id");
    return reply_string_or_null(ctx, ValkeyModule_GetClientNameById(ctx, id));
}

static int setname_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    unsigned long long id;
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    if (!parse_id(argv[1], &id)) return ValkeyModule_ReplyWithError(ctx, "ERR bad id");
    errno = 0;
    if (ValkeyModule_SetClientNameById(id, argv[2]) == VALKEYMODULE_OK) return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
    return reply_errno(ctx);
}

static int user_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    unsigned long long id;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!parse_id(argv[1], &id)) return ValkeyModule_ReplyWithError(ctx, "ERR bad id");
    errno = 0;
    ValkeyModuleString *s = ValkeyModule_GetClientUserNameById(ctx, id);
    if (!s) return reply_errno(ctx);
    return reply_string_or_null(ctx, s);
}

static int curuser_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    errno = 0;
    ValkeyModuleString *s = ValkeyModule_GetCurrentUserName(ctx);
    if (!s) return reply_errno(ctx);
    return reply_string_or_null(ctx, s);
}

static int info_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    unsigned long long id;
    long long version = 1;
    if (argc != 2 && argc != 3) return ValkeyModule_WrongArity(ctx);
    if (!parse_id(argv[1], &id)) return ValkeyModule_ReplyWithError(ctx, "ERR bad id");
    if (argc == 3 && ValkeyModule_StringToLongLong(argv[2], &version) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad version");
    ValkeyModuleClientInfoV1 ci;
    memset(&ci, 0x55, sizeof(ci));
    ci.version = (uint64_t)version;
    if (ValkeyModule_GetClientInfoById(&ci, id) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    ValkeyModule_ReplyWithArray(ctx, 5);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)ci.flags);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)ci.id);
    ValkeyModule_ReplyWithStringBuffer(ctx, ci.addr, strnlen(ci.addr, sizeof(ci.addr)));
    ValkeyModule_ReplyWithLongLong(ctx, ci.port);
    ValkeyModule_ReplyWithLongLong(ctx, ci.db);
    return VALKEYMODULE_OK;
}

static int exists_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    unsigned long long id;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!parse_id(argv[1], &id)) return ValkeyModule_ReplyWithError(ctx, "ERR bad id");
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetClientInfoById(NULL, id) == VALKEYMODULE_OK);
}

static int mustobey_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_MustObeyClient(ctx));
}

static int cert_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    unsigned long long id;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!parse_id(argv[1], &id)) return ValkeyModule_ReplyWithError(ctx, "ERR bad id");
    return reply_string_or_null(ctx, ValkeyModule_GetClientCertificate(ctx, id));
}

static int redact_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, argc - 1);
    for (int i = 1; i < argc; i++) {
        long long pos;
        if (ValkeyModule_StringToLongLong(argv[i], &pos) != VALKEYMODULE_OK) pos = 0;
        ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_RedactClientCommandArgument(ctx, (int)pos) == VALKEYMODULE_OK);
    }
    return VALKEYMODULE_OK;
}

static int exportagain_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_ExportSharedAPI(ctx, "clientinfo.double", (void *)double_it) == VALKEYMODULE_OK);
}

static int user_double_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR bad n");
    long long (*fn)(long long) = (long long (*)(long long))ValkeyModule_GetSharedAPI(ctx, "clientinfo.double");
    if (!fn) return ValkeyModule_ReplyWithError(ctx, "ERR no api");
    return ValkeyModule_ReplyWithLongLong(ctx, fn(n));
}

static int user_missing_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetSharedAPI(ctx, "clientinfo.nosuchapi") == NULL);
}

#define CMD(name, fn, flags)                                                                     \
    if (ValkeyModule_CreateCommand(ctx, name, fn, flags, 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    /* The API pointers exist only after Init, so any argument selects the user role. */
    int user = argc >= 1;
    VALKEYMODULE_NOT_USED(argv);
    if (ValkeyModule_Init(ctx, user ? "clientinfouser" : "clientinfo", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (user) {
        CMD("ciuser.double", user_double_cmd, "readonly");
        CMD("ciuser.missing", user_missing_cmd, "readonly");
        return VALKEYMODULE_OK;
    }
    if (ValkeyModule_ExportSharedAPI(ctx, "clientinfo.double", (void *)double_it) != VALKEYMODULE_OK) return VALKEYMODULE_ERR;
    CMD("ci.myid", myid_cmd, "readonly");
    CMD("ci.name", name_cmd, "readonly");
    CMD("ci.setname", setname_cmd, "readonly");
    CMD("ci.user", user_cmd, "readonly");
    CMD("ci.curuser", curuser_cmd, "readonly");
    CMD("ci.info", info_cmd, "readonly");
    CMD("ci.exists", exists_cmd, "readonly");
    CMD("ci.mustobey", mustobey_cmd, "readonly");
    CMD("ci.cert", cert_cmd, "readonly");
    CMD("ci.redact", redact_cmd, "readonly");
    CMD("ci.exportagain", exportagain_cmd, "readonly");
    return VALKEYMODULE_OK;
}
