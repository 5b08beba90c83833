/* Server events: subscribes to every event and records what each callback saw (payload
 * fields, the context's selected db and client, the Key event's read-only key) in a log
 * that HOOKS.LOG returns. CronLoop and EventLoop only count (they fire constantly). */
#include "valkeymodule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAXLOG 256
static char *logv[MAXLOG];
static int logn = 0;
static long long cron_count = 0;
static int cron_hz = 0;
static long long before_sleep = 0, after_sleep = 0;

static void addlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void addlog(const char *fmt, ...) {
    if (logn >= MAXLOG) return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    logv[logn++] = ValkeyModule_Strdup(buf);
}

static void onEvent(ValkeyModuleCtx *ctx, ValkeyModuleEvent e, uint64_t sub, void *data) {
    switch (e.id) {
    case VALKEYMODULE_EVENT_FLUSHDB: {
        ValkeyModuleFlushInfoV1 *fi = data;
        addlog("flushdb sub=%d sync=%d dbnum=%d ctxdb=%d size=%llu ver=%d", (int)sub, fi->sync, fi->dbnum,
               ValkeyModule_GetSelectedDb(ctx), ValkeyModule_DbSize(ctx), (int)fi->version);
        break;
    }
    case VALKEYMODULE_EVENT_CLIENT_CHANGE: {
        ValkeyModuleClientInfoV1 *ci = data;
        addlog("client sub=%d id=%llu addr=%s port=%d db=%d ctxid=%llu ver=%d", (int)sub, (unsigned long long)ci->id,
               ci->addr, ci->port, ci->db, (unsigned long long)ValkeyModule_GetClientId(ctx), (int)ci->version);
        break;
    }
    case VALKEYMODULE_EVENT_SHUTDOWN: addlog("shutdown"); break;
    case VALKEYMODULE_EVENT_CRON_LOOP: {
        ValkeyModuleCronLoopV1 *cl = data;
        cron_count++;
        cron_hz = cl->hz;
        break;
    }
    case VALKEYMODULE_EVENT_MODULE_CHANGE: {
        ValkeyModuleModuleChangeV1 *mc = data;
        addlog("module sub=%d name=%s ver=%d", (int)sub, mc->module_name, mc->module_version);
        break;
    }
    case VALKEYMODULE_EVENT_SWAPDB: {
        ValkeyModuleSwapDbInfoV1 *si = data;
        addlog("swapdb %d %d", si->dbnum_first, si->dbnum_second);
        break;
    }
    case VALKEYMODULE_EVENT_CONFIG: {
        ValkeyModuleConfigChangeV1 *cc = data;
        char buf[400] = "";
        for (uint32_t i = 0; i < cc->num_changes; i++) {
            strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
            strncat(buf, cc->config_names[i], sizeof(buf) - strlen(buf) - 1);
        }
        addlog("config n=%u%s", cc->num_changes, buf);
        break;
    }
    case VALKEYMODULE_EVENT_KEY: {
        ValkeyModuleKeyInfoV1 *ki = data;
        ValkeyModuleKey *key = ki->key;
        const ValkeyModuleString *name = ValkeyModule_GetKeyNameFromModuleKey(key);
        size_t nlen;
        const char *n = ValkeyModule_StringPtrLen(name, &nlen);
        int type = ValkeyModule_KeyType(key);
        char val[64] = "";
        if (type == VALKEYMODULE_KEYTYPE_STRING) {
            size_t vlen;
            char *p = ValkeyModule_StringDMA(key, &vlen, VALKEYMODULE_READ);
            snprintf(val, sizeof(val), " str=%.*s", (int)(vlen > 40 ? 40 : vlen), p ? p : "");
        }
        addlog("key sub=%d name=%.*s type=%d len=%zu ctxdb=%d%s", (int)sub, (int)nlen, n, type,
               ValkeyModule_ValueLength(key), ValkeyModule_GetSelectedDb(ctx), val);
        break;
    }
    case VALKEYMODULE_EVENT_EVENTLOOP:
        if (sub == VALKEYMODULE_SUBEVENT_EVENTLOOP_BEFORE_SLEEP) before_sleep++;
        else after_sleep++;
        break;
    case VALKEYMODULE_EVENT_LOADING: addlog("loading sub=%d", (int)sub); break;
    case VALKEYMODULE_EVENT_PERSISTENCE: addlog("persistence sub=%d", (int)sub); break;
    case VALKEYMODULE_EVENT_FORK_CHILD: addlog("forkchild sub=%d", (int)sub); break;
    case VALKEYMODULE_EVENT_LOADING_PROGRESS: {
        ValkeyModuleLoadingProgressV1 *lp = data;
        addlog("loadingprogress sub=%d hz=%d progress=%d", (int)sub, lp->hz, lp->progress);
        break;
    }
    default: addlog("event %llu sub=%d", (unsigned long long)e.id, (int)sub); break;
    }
}

static const ValkeyModuleEvent *eventById(int id) {
    static const ValkeyModuleEvent *all[] = {
        &ValkeyModuleEvent_ReplicationRoleChanged, &ValkeyModuleEvent_Persistence, &ValkeyModuleEvent_FlushDB,
        &ValkeyModuleEvent_Loading, &ValkeyModuleEvent_ClientChange, &ValkeyModuleEvent_Shutdown,
        &ValkeyModuleEvent_ReplicaChange, &ValkeyModuleEvent_PrimaryLinkChange, &ValkeyModuleEvent_CronLoop,
        &ValkeyModuleEvent_ModuleChange, &ValkeyModuleEvent_LoadingProgress, &ValkeyModuleEvent_SwapDB,
        NULL, &ValkeyModuleEvent_ForkChild, &ValkeyModuleEvent_ReplAsyncLoad, &ValkeyModuleEvent_EventLoop,
        &ValkeyModuleEvent_Config, &ValkeyModuleEvent_Key};
    if (id < 0 || id >= 18) return NULL;
    return all[id];
}

/* HOOKS.LOG: the recorded events, oldest first. */
static int cmdLog(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, logn);
    for (int i = 0; i < logn; i++) ValkeyModule_ReplyWithCString(ctx, logv[i]);
    return VALKEYMODULE_OK;
}

/* HOOKS.CLEAR: empties the log. */
static int cmdClear(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    for (int i = 0; i < logn; i++) ValkeyModule_Free(logv[i]);
    logn = 0;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

/* HOOKS.COUNTERS: [cron ticks, last cron hz, before-sleep count, after-sleep count]. */
static int cmdCounters(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, cron_count);
    ValkeyModule_ReplyWithLongLong(ctx, cron_hz);
    ValkeyModule_ReplyWithLongLong(ctx, before_sleep);
    ValkeyModule_ReplyWithLongLong(ctx, after_sleep);
    return VALKEYMODULE_OK;
}

/* HOOKS.SUB <id> <0|1>: subscribes (1) or unsubscribes (0, NULL callback); replies the
 * status (0 OK, 1 ERR). */
static int cmdSub(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long id, on;
    ValkeyModule_StringToLongLong(argv[1], &id);
    ValkeyModule_StringToLongLong(argv[2], &on);
    ValkeyModuleEvent e = {(uint64_t)id, 1};
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_SubscribeToServerEvent(ctx, e, on ? onEvent : NULL));
}

/* HOOKS.PROBE: subscription edge cases and IsSubEventSupported:
 * [unknown id 18, FlushDB dataver 2, Shutdown dataver 2, then for every id 0..17 the number of
 *  supported subevents among 0..7]. */
static int cmdProbe(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 3 + 18);
    ValkeyModuleEvent bad = {18, 1};
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_SubscribeToServerEvent(ctx, bad, onEvent));
    ValkeyModuleEvent flush2 = {VALKEYMODULE_EVENT_FLUSHDB, 2};
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_SubscribeToServerEvent(ctx, flush2, onEvent));
    ValkeyModuleEvent shut2 = {VALKEYMODULE_EVENT_SHUTDOWN, 2};
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_SubscribeToServerEvent(ctx, shut2, onEvent));
    for (int id = 0; id < 18; id++) {
        ValkeyModuleEvent e = {(uint64_t)id, 1};
        int n = 0;
        for (int s = 0; s < 8; s++) n += ValkeyModule_IsSubEventSupported(e, s) ? 1 : 0;
        ValkeyModule_ReplyWithLongLong(ctx, n);
    }
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (ValkeyModule_Init(ctx, "hooks", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    /* With an argument "noloop" the EventLoop event is left out. */
    int noloop = argc > 0;
    for (int id = 0; id < 18; id++) {
        const ValkeyModuleEvent *e = eventById(id);
        if (!e) continue;
        if (noloop && id == VALKEYMODULE_EVENT_EVENTLOOP) continue;
        if (ValkeyModule_SubscribeToServerEvent(ctx, *e, onEvent) != VALKEYMODULE_OK) return VALKEYMODULE_ERR;
    }
    if (ValkeyModule_CreateCommand(ctx, "hooks.log", cmdLog, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "hooks.clear", cmdClear, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "hooks.counters", cmdCounters, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "hooks.sub", cmdSub, "", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "hooks.probe", cmdProbe, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
