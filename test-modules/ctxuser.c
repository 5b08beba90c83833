/* ctxuser: the context user (ValkeyModule_SetContextUser) and NOSELF command filters of
 * another module.
 *
 * Commands:
 *   CU.CALLAS name flags cmd args...   runs cmd through ValkeyModule_Call with format
 *                                      "<flags>v" as the existing ACL user `name`
 *                                      (SetContextUser); "-" for no modifiers
 *   CU.CALLMOD rules flags cmd args... the same as a new module user with ACL `rules`
 *   CU.CALLRESET name cmd args...      sets the user `name`, then resets the context user
 *                                      (NULL) and runs cmd with "CEv": the client's user
 *   CU.CALLSET k v                     ValkeyModule_Call("SET", k, v): its reply
 * A call's reply is forwarded; a refusal or error reply is [errno name, error text].
 */
#include <errno.h>
#include <string.h>

#include "valkeymodule.h"

static const char *errno_name(int e) {
    switch (e) {
        case 0: return "0";
        case EACCES: return "EACCES";
        case ENOTSUP: return "ENOTSUP";
        case ENOENT: return "ENOENT";
        case EINVAL: return "EINVAL";
        default: return "OTHER";
    }
}

/* Runs argv[0..argc) as a command with "<flags>v" and replies with the outcome. */
static int run(ValkeyModuleCtx *ctx, const char *flags, ValkeyModuleString **argv, int argc) {
    char fmt[16];
    size_t n = strcmp(flags, "-") == 0 ? 0 : strlen(flags);
    if (n > sizeof(fmt) - 2) return ValkeyModule_ReplyWithError(ctx, "ERR flags too long");
    memcpy(fmt, flags, n);
    fmt[n] = 'v';
    fmt[n + 1] = '\0';
    errno = 0;
    const char *cmd = ValkeyModule_StringPtrLen(argv[0], NULL);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, cmd, fmt, argv + 1, (size_t)(argc - 1));
    int e = errno;
    if (r && ValkeyModule_CallReplyType(r) != VALKEYMODULE_REPLY_ERROR) {
        ValkeyModule_ReplyWithCallReply(ctx, r);
        ValkeyModule_FreeCallReply(r);
        return VALKEYMODULE_OK;
    }
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithCString(ctx, errno_name(e));
    if (r) {
        size_t len;
        const char *p = ValkeyModule_CallReplyStringPtr(r, &len);
        ValkeyModule_ReplyWithStringBuffer(ctx, p, len);
        ValkeyModule_FreeCallReply(r);
    } else {
        ValkeyModule_ReplyWithNull(ctx);
    }
    return VALKEYMODULE_OK;
}

static int cmd_callas(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 4) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleUser *u = ValkeyModule_GetModuleUserFromUserName(argv[1]);
    if (!u) return ValkeyModule_ReplyWithError(ctx, "ERR no such user");
    ValkeyModule_SetContextUser(ctx, u);
    run(ctx, ValkeyModule_StringPtrLen(argv[2], NULL), argv + 3, argc - 3);
    ValkeyModule_SetContextUser(ctx, NULL);
    ValkeyModule_FreeModuleUser(u);
    return VALKEYMODULE_OK;
}

static int cmd_callmod(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 4) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleUser *u = ValkeyModule_CreateModuleUser("cu-mod");
    ValkeyModuleString *err = NULL;
    if (ValkeyModule_SetModuleUserACLString(ctx, u, ValkeyModule_StringPtrLen(argv[1], NULL), &err) ==
        VALKEYMODULE_ERR) {
        ValkeyModule_FreeModuleUser(u);
        if (err) {
            ValkeyModule_ReplyWithString(ctx, err);
            ValkeyModule_FreeString(ctx, err);
            return VALKEYMODULE_OK;
        }
        return ValkeyModule_ReplyWithError(ctx, "ERR bad rules");
    }
    ValkeyModule_SetContextUser(ctx, u);
    run(ctx, ValkeyModule_StringPtrLen(argv[2], NULL), argv + 3, argc - 3);
    ValkeyModule_SetContextUser(ctx, NULL);
    ValkeyModule_FreeModuleUser(u);
    return VALKEYMODULE_OK;
}

static int cmd_callreset(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleUser *u = ValkeyModule_GetModuleUserFromUserName(argv[1]);
    if (!u) return ValkeyModule_ReplyWithError(ctx, "ERR no such user");
    ValkeyModule_SetContextUser(ctx, u);
    ValkeyModule_SetContextUser(ctx, NULL);
    run(ctx, "CE", argv + 2, argc - 2);
    ValkeyModule_FreeModuleUser(u);
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

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (ValkeyModule_Init(ctx, "ctxuser", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "cu.callas", cmd_callas, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cu.callmod", cmd_callmod, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cu.callreset", cmd_callreset, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "cu.callset", cmd_callset, "write", 1, 1, 1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
