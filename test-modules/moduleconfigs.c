/* moduleconfigs: one module config of each type.
 *
 *   moduleconfigs.string   string, default "secret"; the set callback rejects "rejectme"
 *   moduleconfigs.bool     bool, default yes
 *   moduleconfigs.enum     enum with BITFLAGS (none=0 one=1 two=2 four=4), default one
 *   moduleconfigs.memory   numeric with MEMORY, default 1024, range [-1, 1073741824]; its apply
 *                          callback fails for 666
 *   moduleconfigs.frozen   string with IMMUTABLE | HIDDEN, default "ice", no apply callback
 * string and bool share one apply callback and privdata (de-duplicated per CONFIG SET); enum
 * and memory have their own.
 *
 *   MODCFG.STATE      [string, bool, enum, memory, shared applies, enum applies, memory applies,
 *                      last name a callback saw]
 *   MODCFG.CHECKS     return codes and errno seen in OnLoad: [bad name rc, errno == EINVAL,
 *                      duplicate rc, errno == EALREADY, bad flags rc, errno == EINVAL]
 *   MODCFG.LATE       registers a config outside OnLoad: [rc, errno == EBUSY, LoadConfigs rc]
 *
 * Module arguments: "noload" skips LoadConfigs (the module is then unloaded). */
#include <errno.h>
#include <string.h>

#include "valkeymodule.h"

static ValkeyModuleString *str_val = NULL;
static int bool_val = 0, enum_val = 0;
static long long mem_val = 0;
static long long shared_applies = 0, enum_applies = 0, mem_applies = 0;
static char last_name[64] = "";
static long long checks[6];
static int shared_priv, enum_priv, mem_priv;

static void seen(const char *name) {
    strncpy(last_name, name, sizeof last_name - 1);
}

static ValkeyModuleString *get_string(const char *name, void *privdata) {
    VALKEYMODULE_NOT_USED(privdata);
    seen(name);
    return str_val;
}

static int set_string(const char *name, ValkeyModuleString *val, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(privdata);
    seen(name);
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(val, &len);
    if (len == 8 && memcmp(p, "rejectme", 8) == 0) {
        *err = ValkeyModule_CreateString(NULL, "Rejected value", 14);
        return VALKEYMODULE_ERR;
    }
    if (str_val) ValkeyModule_FreeString(NULL, str_val);
    ValkeyModule_RetainString(NULL, val);
    str_val = val;
    return VALKEYMODULE_OK;
}

static ValkeyModuleString *frozen_val = NULL;

static ValkeyModuleString *get_frozen(const char *name, void *privdata) {
    VALKEYMODULE_NOT_USED(name);
    VALKEYMODULE_NOT_USED(privdata);
    return frozen_val;
}

static int set_frozen(const char *name, ValkeyModuleString *val, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(name);
    VALKEYMODULE_NOT_USED(privdata);
    VALKEYMODULE_NOT_USED(err);
    if (frozen_val) ValkeyModule_FreeString(NULL, frozen_val);
    ValkeyModule_RetainString(NULL, val);
    frozen_val = val;
    return VALKEYMODULE_OK;
}

static int get_bool(const char *name, void *privdata) {
    VALKEYMODULE_NOT_USED(privdata);
    seen(name);
    return bool_val;
}

static int set_bool(const char *name, int val, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(privdata);
    VALKEYMODULE_NOT_USED(err);
    seen(name);
    bool_val = val;
    return VALKEYMODULE_OK;
}

static int get_enum(const char *name, void *privdata) {
    VALKEYMODULE_NOT_USED(privdata);
    seen(name);
    return enum_val;
}

static int set_enum(const char *name, int val, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(privdata);
    VALKEYMODULE_NOT_USED(err);
    seen(name);
    enum_val = val;
    return VALKEYMODULE_OK;
}

static long long get_mem(const char *name, void *privdata) {
    VALKEYMODULE_NOT_USED(privdata);
    seen(name);
    return mem_val;
}

static int set_mem(const char *name, long long val, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(privdata);
    VALKEYMODULE_NOT_USED(err);
    seen(name);
    mem_val = val;
    return VALKEYMODULE_OK;
}

static int apply_shared(ValkeyModuleCtx *ctx, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(ctx);
    VALKEYMODULE_NOT_USED(err);
    if (privdata == &shared_priv) shared_applies++;
    return VALKEYMODULE_OK;
}

static int apply_enum(ValkeyModuleCtx *ctx, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(ctx);
    VALKEYMODULE_NOT_USED(err);
    if (privdata == &enum_priv) enum_applies++;
    return VALKEYMODULE_OK;
}

static int apply_mem(ValkeyModuleCtx *ctx, void *privdata, ValkeyModuleString **err) {
    VALKEYMODULE_NOT_USED(ctx);
    if (privdata == &mem_priv) mem_applies++;
    if (mem_val == 666) {
        *err = ValkeyModule_CreateString(NULL, "Apply failed", 12);
        return VALKEYMODULE_ERR;
    }
    return VALKEYMODULE_OK;
}

static int state_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 8);
    if (str_val)
        ValkeyModule_ReplyWithString(ctx, str_val);
    else
        ValkeyModule_ReplyWithNull(ctx);
    ValkeyModule_ReplyWithLongLong(ctx, bool_val);
    ValkeyModule_ReplyWithLongLong(ctx, enum_val);
    ValkeyModule_ReplyWithLongLong(ctx, mem_val);
    ValkeyModule_ReplyWithLongLong(ctx, shared_applies);
    ValkeyModule_ReplyWithLongLong(ctx, enum_applies);
    ValkeyModule_ReplyWithLongLong(ctx, mem_applies);
    ValkeyModule_ReplyWithCString(ctx, last_name);
    return VALKEYMODULE_OK;
}

static int checks_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 6);
    for (int i = 0; i < 6; i++) ValkeyModule_ReplyWithLongLong(ctx, checks[i]);
    return VALKEYMODULE_OK;
}

static int late_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    errno = 0;
    int rc = ValkeyModule_RegisterBoolConfig(ctx, "late", 0, VALKEYMODULE_CONFIG_DEFAULT, get_bool, set_bool, NULL, NULL);
    int busy = errno == EBUSY;
    int lrc = ValkeyModule_LoadConfigs(ctx);
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, rc);
    ValkeyModule_ReplyWithLongLong(ctx, busy);
    ValkeyModule_ReplyWithLongLong(ctx, lrc);
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "moduleconfigs", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    int load = 1;
    for (int i = 0; i < argc; i++) {
        size_t len;
        const char *a = ValkeyModule_StringPtrLen(argv[i], &len);
        if (len == 6 && memcmp(a, "noload", 6) == 0) load = 0;
    }
    if (ValkeyModule_RegisterStringConfig(ctx, "string", "secret", VALKEYMODULE_CONFIG_DEFAULT, get_string, set_string,
                                          apply_shared, &shared_priv) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_RegisterBoolConfig(ctx, "bool", 1, VALKEYMODULE_CONFIG_DEFAULT, get_bool, set_bool, apply_shared,
                                        &shared_priv) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    const char *names[] = {"none", "one", "two", "four"};
    const int vals[] = {0, 1, 2, 4};
    if (ValkeyModule_RegisterEnumConfig(ctx, "enum", 1, VALKEYMODULE_CONFIG_BITFLAGS, names, vals, 4, get_enum, set_enum,
                                        apply_enum, &enum_priv) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_RegisterNumericConfig(ctx, "memory", 1024, VALKEYMODULE_CONFIG_MEMORY, -1, 1073741824, get_mem,
                                           set_mem, apply_mem, &mem_priv) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_RegisterStringConfig(ctx, "frozen", "ice", VALKEYMODULE_CONFIG_IMMUTABLE | VALKEYMODULE_CONFIG_HIDDEN,
                                          get_frozen, set_frozen, NULL, NULL) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    errno = 0;
    checks[0] = ValkeyModule_RegisterBoolConfig(ctx, "bad_name", 0, VALKEYMODULE_CONFIG_DEFAULT, get_bool, set_bool, NULL, NULL);
    checks[1] = errno == EINVAL;
    errno = 0;
    checks[2] = ValkeyModule_RegisterBoolConfig(ctx, "string", 0, VALKEYMODULE_CONFIG_DEFAULT, get_bool, set_bool, NULL, NULL);
    checks[3] = errno == EALREADY;
    errno = 0;
    checks[4] = ValkeyModule_RegisterBoolConfig(ctx, "flagged", 0, VALKEYMODULE_CONFIG_MEMORY, get_bool, set_bool, NULL, NULL);
    checks[5] = errno == EINVAL;
    if (load && ValkeyModule_LoadConfigs(ctx) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "modcfg.state", state_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "modcfg.checks", checks_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "modcfg.late", late_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnUnload(ValkeyModuleCtx *ctx) {
    VALKEYMODULE_NOT_USED(ctx);
    if (str_val) ValkeyModule_FreeString(NULL, str_val);
    str_val = NULL;
    if (frozen_val) ValkeyModule_FreeString(NULL, frozen_val);
    frozen_val = NULL;
    return VALKEYMODULE_OK;
}
