/* commands_other: a second module for the Commands API tests (test/commands.test.ts).
 *
 * OnLoad registers OTHER.GETCMD and OTHER.RESULTS, puts OTHER.RESULTS in the ACL category
 * "cmds-cat_1" (added by the "commands" module, when it is loaded), then registers
 * CMDS.Name - a name the "commands" module already has. When that is refused, OnLoad
 * returns ERR, so the load fails. With the argument "noclash" the clashing registration is
 * skipped and the module loads.
 */
#include <errno.h>
#include <string.h>

#include "valkeymodule.h"

static int acl_rc = -1, acl_errno = 0;

/* OTHER.GETCMD name: 1 when GetCommand finds `name` among this module's commands. */
static int getcmd_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    const char *name = ValkeyModule_StringPtrLen(argv[1], NULL);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetCommand(ctx, name) != NULL);
}

/* OTHER.RESULTS: [code, errno] of SetCommandACLCategories(OTHER.RESULTS, "cmds-cat_1"). */
static int results_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, acl_rc);
    return ValkeyModule_ReplyWithLongLong(ctx, acl_errno);
}

static int ping_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithSimpleString(ctx, "PONG");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "commands_other", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "other.getcmd", getcmd_command, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "other.results", results_command, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    errno = 0;
    acl_rc = ValkeyModule_SetCommandACLCategories(ValkeyModule_GetCommand(ctx, "other.results"), "cmds-cat_1");
    acl_errno = acl_rc == VALKEYMODULE_ERR ? errno : 0;

    int noclash = argc > 0 && !strcmp(ValkeyModule_StringPtrLen(argv[0], NULL), "noclash");
    if (!noclash && ValkeyModule_CreateCommand(ctx, "CMDS.Name", ping_command, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
