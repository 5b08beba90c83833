/* aclmodule: module ACL users and permission checks.
 *
 * Users are kept in 8 slots; every command replies "ERR EINVAL" for a bad or empty slot.
 *   ACLM.CREATE <slot> <name>           CreateModuleUser
 *   ACLM.FROMNAME <slot> <name>         GetModuleUserFromUserName: OK, or null when NULL
 *   ACLM.FREE <slot>                    FreeModuleUser
 *   ACLM.SET <slot> <rule>              SetModuleUserACL: OK or "ERR failed"
 *   ACLM.SETSTR <slot> <rules>          SetModuleUserACLString: OK, or [0, error text]
 *   ACLM.SETSTRNOERR <slot> <rules>     SetModuleUserACLString without the error argument
 *   ACLM.GETSTR <slot>                  GetModuleUserACLString
 *   ACLM.CHECKCMD <slot> <arg>...       ACLCheckCommandPermissions: OK, "ERR ENOENT", "ERR EACCES"
 *   ACLM.CHECKKEY <slot> <key> <flags>  ACLCheckKeyPermissions: OK, "ERR EACCES", "ERR EINVAL"
 *   ACLM.CHECKCH <slot> <ch> <flags>    ACLCheckChannelPermissions: the same
 *   ACLM.LOG <slot> <object> <reason>   ACLAddLogEntry: OK or "ERR failed"
 *   ACLM.LOGBYNAME <name> <obj> <reason> ACLAddLogEntryByUserName: OK or "ERR failed"
 *   ACLM.AUTH <slot> [CB]               AuthenticateClientWithUser (CB: with the callback): the
 *                                       client id, or "ERR failed"
 *   ACLM.AUTHNAME <name> [CB]           AuthenticateClientWithACLUser: the same
 *   ACLM.CHANGED                        client ids the callback got so far (cleared), each
 *                                       negated when privdata was wrong
 *   ACLM.DEAUTH <id>                    DeauthenticateAndCloseClient: OK or "ERR failed"
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "valkeymodule.h"

#define SLOTS 8
static ValkeyModuleUser *users[SLOTS];

/* The slot named by argv[1] (-1 when invalid); `filled`: it must hold a user. */
static int slot_of(ValkeyModuleString *s, int filled) {
    long long v;
    if (ValkeyModule_StringToLongLong(s, &v) != VALKEYMODULE_OK || v < 0 || v >= SLOTS) return -1;
    if (filled && !users[v]) return -1;
    return (int)v;
}

static int reply_errno(ValkeyModuleCtx *ctx) {
    if (errno == ENOENT) return ValkeyModule_ReplyWithError(ctx, "ERR ENOENT");
    if (errno == EACCES) return ValkeyModule_ReplyWithError(ctx, "ERR EACCES");
    if (errno == EINVAL) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    return ValkeyModule_ReplyWithError(ctx, "ERR other errno");
}

static int create_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 0);
    if (s < 0 || users[s]) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    users[s] = ValkeyModule_CreateModuleUser(ValkeyModule_StringPtrLen(argv[2], NULL));
    return users[s] ? ValkeyModule_ReplyWithSimpleString(ctx, "OK") : ValkeyModule_ReplyWithNull(ctx);
}

static int fromname_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 0);
    if (s < 0 || users[s]) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    users[s] = ValkeyModule_GetModuleUserFromUserName(argv[2]);
    return users[s] ? ValkeyModule_ReplyWithSimpleString(ctx, "OK") : ValkeyModule_ReplyWithNull(ctx);
}

static int free_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    int r = ValkeyModule_FreeModuleUser(users[s]);
    users[s] = NULL;
    return r == VALKEYMODULE_OK ? ValkeyModule_ReplyWithSimpleString(ctx, "OK")
                                : ValkeyModule_ReplyWithError(ctx, "ERR failed");
}

static int set_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (ValkeyModule_SetModuleUserACL(users[s], ValkeyModule_StringPtrLen(argv[2], NULL)) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int setstr_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    ValkeyModuleString *err = NULL;
    if (ValkeyModule_SetModuleUserACLString(ctx, users[s], ValkeyModule_StringPtrLen(argv[2], NULL), &err) ==
        VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, 0);
    if (err) {
        ValkeyModule_ReplyWithString(ctx, err);
        ValkeyModule_FreeString(ctx, err);
    } else {
        ValkeyModule_ReplyWithNull(ctx);
    }
    return VALKEYMODULE_OK;
}

static int setstrnoerr_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (ValkeyModule_SetModuleUserACLString(NULL, users[s], ValkeyModule_StringPtrLen(argv[2], NULL), NULL) !=
        VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int getstr_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    ValkeyModuleString *str = ValkeyModule_GetModuleUserACLString(users[s]);
    if (!str) return ValkeyModule_ReplyWithNull(ctx);
    ValkeyModule_ReplyWithString(ctx, str);
    ValkeyModule_FreeString(NULL, str);
    return VALKEYMODULE_OK;
}

static int checkcmd_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    errno = 0;
    if (ValkeyModule_ACLCheckCommandPermissions(users[s], argv + 2, argc - 2) == VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
    return reply_errno(ctx);
}

static int checkkey_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    long long flags;
    if (s < 0 || ValkeyModule_StringToLongLong(argv[3], &flags) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    errno = 0;
    if (ValkeyModule_ACLCheckKeyPermissions(users[s], argv[2], (int)flags) == VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
    return reply_errno(ctx);
}

static int checkch_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    long long flags;
    if (s < 0 || ValkeyModule_StringToLongLong(argv[3], &flags) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    errno = 0;
    if (ValkeyModule_ACLCheckChannelPermissions(users[s], argv[2], (int)flags) == VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
    return reply_errno(ctx);
}

static int log_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    long long reason;
    if (s < 0 || ValkeyModule_StringToLongLong(argv[3], &reason) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (ValkeyModule_ACLAddLogEntry(ctx, users[s], argv[2], (ValkeyModuleACLLogEntryReason)reason) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int logbyname_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long long reason;
    if (ValkeyModule_StringToLongLong(argv[3], &reason) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (ValkeyModule_ACLAddLogEntryByUserName(ctx, argv[1], argv[2], (ValkeyModuleACLLogEntryReason)reason) !=
        VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static long long changed[64];
static int nchanged;
static int marker;

static void user_changed(uint64_t id, void *privdata) {
    if (nchanged < 64) changed[nchanged++] = privdata == &marker ? (long long)id : -(long long)id;
}

static int wants_cb(ValkeyModuleString **argv, int argc, int at) {
    return argc > at && strcasecmp(ValkeyModule_StringPtrLen(argv[at], NULL), "cb") == 0;
}

static int reply_auth(ValkeyModuleCtx *ctx, int r, uint64_t id) {
    if (r != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)id);
}

static int auth_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2 || argc > 3) return ValkeyModule_WrongArity(ctx);
    int s = slot_of(argv[1], 1);
    if (s < 0) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    uint64_t id = 0;
    int cb = wants_cb(argv, argc, 2);
    int r = ValkeyModule_AuthenticateClientWithUser(ctx, users[s], cb ? user_changed : NULL, &marker, &id);
    return reply_auth(ctx, r, id);
}

static int authname_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2 || argc > 3) return ValkeyModule_WrongArity(ctx);
    size_t len;
    const char *name = ValkeyModule_StringPtrLen(argv[1], &len);
    uint64_t id = 0;
    int cb = wants_cb(argv, argc, 2);
    int r = ValkeyModule_AuthenticateClientWithACLUser(ctx, name, len, cb ? user_changed : NULL, &marker, &id);
    return reply_auth(ctx, r, id);
}

static int changed_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, nchanged);
    for (int i = 0; i < nchanged; i++) ValkeyModule_ReplyWithLongLong(ctx, changed[i]);
    nchanged = 0;
    return VALKEYMODULE_OK;
}

static int deauth_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long id;
    if (ValkeyModule_StringToLongLong(argv[1], &id) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR EINVAL");
    if (ValkeyModule_DeauthenticateAndCloseClient(ctx, (uint64_t)id) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

#define CMD(name, fn)                                                                                  \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "aclmodule", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    CMD("aclm.create", create_cmd);
    CMD("aclm.fromname", fromname_cmd);
    CMD("aclm.free", free_cmd);
    CMD("aclm.set", set_cmd);
    CMD("aclm.setstr", setstr_cmd);
    CMD("aclm.setstrnoerr", setstrnoerr_cmd);
    CMD("aclm.getstr", getstr_cmd);
    CMD("aclm.checkcmd", checkcmd_cmd);
    CMD("aclm.checkkey", checkkey_cmd);
    CMD("aclm.checkch", checkch_cmd);
    CMD("aclm.log", log_cmd);
    CMD("aclm.logbyname", logbyname_cmd);
    CMD("aclm.auth", auth_cmd);
    CMD("aclm.authname", authname_cmd);
    CMD("aclm.changed", changed_cmd);
    CMD("aclm.deauth", deauth_cmd);
    return VALKEYMODULE_OK;
}
