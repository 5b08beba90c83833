/* loadfail: one source, several broken or unusual modules chosen with -D flags, for the
 * loading and unloading tests.
 *
 *   (none)              a good module "loadfail" with LOADFAIL.PING, args kept
 *   -DMODNAME=\"x\"     the module's name
 *   -DNO_ONLOAD         exports no OnLoad symbol at all
 *   -DFAIL_ONLOAD       registers a command, then OnLoad returns ERR
 *   -DNO_INIT           OnLoad returns OK without calling ValkeyModule_Init
 *   -DCONFLICT=\"cmd\"  tries to register `cmd` (already taken) and fails OnLoad when refused
 *   -DUNLOAD_VETO       OnUnload returns ERR until LOADFAIL.ALLOWUNLOAD was called
 *   -DCHECK_ARGS        OnLoad fails unless it got exactly the arguments "a" and "b"
 */
#include <string.h>

#include "valkeymodule.h"

#ifndef MODNAME
#define MODNAME "loadfail"
#endif

static int allow_unload = 0;

static int ping_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithSimpleString(ctx, "PONG");
}

static int allow_unload_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    allow_unload = 1;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

#ifndef NO_ONLOAD
int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
#ifdef NO_INIT
    VALKEYMODULE_NOT_USED(ctx);
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return VALKEYMODULE_OK;
#else
    if (ValkeyModule_Init(ctx, MODNAME, 3, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
#ifdef CHECK_ARGS
    if (argc != 2) return VALKEYMODULE_ERR;
    if (strcmp(ValkeyModule_StringPtrLen(argv[0], NULL), "a") || strcmp(ValkeyModule_StringPtrLen(argv[1], NULL), "b"))
        return VALKEYMODULE_ERR;
#else
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
#endif
    if (ValkeyModule_CreateCommand(ctx, MODNAME ".ping", ping_command, "fast", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, MODNAME ".allowunload", allow_unload_command, "", 0, 0, 0) ==
        VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
#ifdef CONFLICT
    if (ValkeyModule_CreateCommand(ctx, CONFLICT, ping_command, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
#endif
#ifdef FAIL_ONLOAD
    return VALKEYMODULE_ERR;
#endif
    return VALKEYMODULE_OK;
#endif
}
#else
int not_an_entry_point(void) { return 0; }
#endif

#ifdef UNLOAD_VETO
int ValkeyModule_OnUnload(ValkeyModuleCtx *ctx) {
    VALKEYMODULE_NOT_USED(ctx);
    return allow_unload ? VALKEYMODULE_OK : VALKEYMODULE_ERR;
}
#endif
