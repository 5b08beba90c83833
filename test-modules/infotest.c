/* infotest: module INFO sections, GetServerInfo, module pub/sub, latency samples.
 *
 *   INFOTEST.PUB <channel> <msg>    PublishMessage receivers
 *   INFOTEST.SPUB <channel> <msg>   PublishMessageShard receivers
 *   INFOTEST.AVOID                  AvoidReplicaTraffic
 *   INFOTEST.LATENCY <event> <ms>   LatencyAddSample, replies OK
 *   INFOTEST.FIELD <section|""> <field>
 *        [GetFieldC (null when absent), GetField (null when absent),
 *         Signed, its err (0 OK / 1 ERR), Unsigned, err, Double (as %.17g), err]
 *        ("" selects NULL: the default sections)
 *   INFOTEST.RCS    return codes the last INFO callback saw:
 *        [field before any section, EndDictField with none open, field in a skipped section,
 *         BeginDictField in a skipped section, InfoAddSection of the skipped section]
 *
 * INFO callback sections: infotest (fields global, dict open left open), infotest_stats
 * (calls, big, ratio, name, dict stats, skipped section rc recorded), infotest_extra. */
#include <stdio.h>
#include <string.h>

#include "valkeymodule.h"

static int rc_pre = -9, rc_end_none = -9, rc_skipped_field = -9, rc_skipped_dict = -9, rc_skipped_section = -9;

static void info_cb(ValkeyModuleInfoCtx *ctx, int for_crash_report) {
    VALKEYMODULE_NOT_USED(for_crash_report);
    rc_pre = ValkeyModule_InfoAddFieldCString(ctx, "early", "x");
    rc_end_none = ValkeyModule_InfoEndDictField(ctx);
    int r = ValkeyModule_InfoAddSection(ctx, "");
    if (r == VALKEYMODULE_OK) {
        ValkeyModule_InfoAddFieldCString(ctx, "global", "yes");
        ValkeyModule_InfoBeginDictField(ctx, "open");
        ValkeyModule_InfoAddFieldLongLong(ctx, "x", 1);
    }
    r = ValkeyModule_InfoAddSection(ctx, "stats");
    if (r == VALKEYMODULE_OK) {
        ValkeyModule_InfoAddFieldLongLong(ctx, "calls", -5);
        ValkeyModule_InfoAddFieldULongLong(ctx, "big", 18446744073709551615ULL);
        ValkeyModule_InfoAddFieldDouble(ctx, "ratio", 0.1);
        ValkeyModuleString *s = ValkeyModule_CreateString(NULL, "abc", 3);
        ValkeyModule_InfoAddFieldString(ctx, "name", s);
        ValkeyModule_FreeString(NULL, s);
        ValkeyModule_InfoBeginDictField(ctx, "dict");
        ValkeyModule_InfoAddFieldLongLong(ctx, "a", 1);
        ValkeyModule_InfoAddFieldCString(ctx, "b", "x");
        ValkeyModule_InfoAddFieldDouble(ctx, "c", 2.5);
        ValkeyModule_InfoEndDictField(ctx);
        ValkeyModule_InfoAddFieldCString(ctx, "text", "not a number");
    } else {
        rc_skipped_section = r;
        rc_skipped_field = ValkeyModule_InfoAddFieldCString(ctx, "calls", "1");
        rc_skipped_dict = ValkeyModule_InfoBeginDictField(ctx, "dict");
    }
    r = ValkeyModule_InfoAddSection(ctx, "extra");
    if (r == VALKEYMODULE_OK) ValkeyModule_InfoAddFieldULongLong(ctx, "n", 7);
}

static int pub_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_PublishMessage(ctx, argv[1], argv[2]));
}

static int spub_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_PublishMessageShard(ctx, argv[1], argv[2]));
}

static int avoid_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_AvoidReplicaTraffic());
}

static int latency_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long ms;
    if (ValkeyModule_StringToLongLong(argv[2], &ms) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad ms");
    ValkeyModule_LatencyAddSample(ValkeyModule_StringPtrLen(argv[1], NULL), ms);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int field_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    size_t slen;
    const char *section = ValkeyModule_StringPtrLen(argv[1], &slen);
    const char *field = ValkeyModule_StringPtrLen(argv[2], NULL);
    ValkeyModuleServerInfoData *data = ValkeyModule_GetServerInfo(ctx, slen ? section : NULL);
    if (!data) return ValkeyModule_ReplyWithError(ctx, "ERR no data");
    ValkeyModule_ReplyWithArray(ctx, 8);
    const char *c = ValkeyModule_ServerInfoGetFieldC(data, field);
    if (c) ValkeyModule_ReplyWithCString(ctx, c);
    else ValkeyModule_ReplyWithNull(ctx);
    ValkeyModuleString *s = ValkeyModule_ServerInfoGetField(ctx, data, field);
    if (s) {
        ValkeyModule_ReplyWithString(ctx, s);
        ValkeyModule_FreeString(ctx, s);
    } else {
        ValkeyModule_ReplyWithNull(ctx);
    }
    int err = 42;
    long long ll = ValkeyModule_ServerInfoGetFieldSigned(data, field, &err);
    ValkeyModule_ReplyWithLongLong(ctx, ll);
    ValkeyModule_ReplyWithLongLong(ctx, err == VALKEYMODULE_OK ? 0 : err == VALKEYMODULE_ERR ? 1 : err);
    err = 42;
    unsigned long long ull = ValkeyModule_ServerInfoGetFieldUnsigned(data, field, &err);
    char buf[64];
    snprintf(buf, sizeof(buf), "%llu", ull);
    ValkeyModule_ReplyWithCString(ctx, buf);
    ValkeyModule_ReplyWithLongLong(ctx, err == VALKEYMODULE_OK ? 0 : err == VALKEYMODULE_ERR ? 1 : err);
    err = 42;
    double d = ValkeyModule_ServerInfoGetFieldDouble(data, field, &err);
    snprintf(buf, sizeof(buf), "%.17g", d);
    ValkeyModule_ReplyWithCString(ctx, buf);
    ValkeyModule_ReplyWithLongLong(ctx, err == VALKEYMODULE_OK ? 0 : err == VALKEYMODULE_ERR ? 1 : err);
    ValkeyModule_FreeServerInfo(ctx, data);
    return VALKEYMODULE_OK;
}

static int rcs_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, 5);
    ValkeyModule_ReplyWithLongLong(ctx, rc_pre);
    ValkeyModule_ReplyWithLongLong(ctx, rc_end_none);
    ValkeyModule_ReplyWithLongLong(ctx, rc_skipped_field);
    ValkeyModule_ReplyWithLongLong(ctx, rc_skipped_dict);
    ValkeyModule_ReplyWithLongLong(ctx, rc_skipped_section);
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "infotest", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_RegisterInfoFunc(ctx, info_cb) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"infotest.pub", pub_cmd, "pubsub"},        {"infotest.spub", spub_cmd, "pubsub"},
        {"infotest.avoid", avoid_cmd, "fast"},      {"infotest.latency", latency_cmd, "fast"},
        {"infotest.field", field_cmd, "readonly"},  {"infotest.rcs", rcs_cmd, "fast"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
