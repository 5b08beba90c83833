/* notify: module keyspace notifications (SubscribeToKeyspaceEvents, NotifyKeyspaceEvent,
 * GetNotifyKeyspaceEvents, AddPostNotificationJob).
 *
 * Load arguments: "nested" sets VALKEYMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS.
 *
 * Subscriptions made in OnLoad:
 *   counter   ALL | KEY_MISS | NEW | LOADED: counts events by name, remembers the last one
 *             (type, event, key, selected db of its context); on a LOADED event it tries
 *             AddPostNotificationJob and counts the refusal
 *   writer    STRING: for a key starting with "watched:", queues a post-notification job
 *             that runs Call("INCR", "!", "jobcount:<key>") in the event's database
 *   nester    HASH: for a key starting with "nest:", runs Call("HINCRBY", "nestcount:<key>",
 *             "n", 1) from inside the callback (no `!`), which raises a hash event of its own;
 *             counts its own invocations
 *
 * Commands:
 *   NOTIFY.COUNT <event>        how many events of that name the counter saw
 *   NOTIFY.LAST                 [type, event, key, db] of the counter's last event
 *   NOTIFY.NESTED               how many times the nester ran
 *   NOTIFY.CLEAR                resets the counters
 *   NOTIFY.FIRE <type> <event> <key>   NotifyKeyspaceEvent: OK or ERR
 *   NOTIFY.FLAGS                GetNotifyKeyspaceEvents()
 *   NOTIFY.JOB <key>            AddPostNotificationJob now (INCR key with `!` when it runs):
 *                               1 when queued, 0 when refused; the job's privdata is freed
 *   NOTIFY.JOBSTATS             [jobs run, privdata freed, jobs refused on LOADED events]
 *   NOTIFY.SUBSCRIBE            one more subscription from a command (counts GENERIC events
 *                               under the name "extra:<event>")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

#define MAX_EVENTS 64

static struct {
    char name[32];
    long long count;
} events[MAX_EVENTS];
static int nevents = 0;

static int last_type = 0;
static char last_event[64];
static char last_key[256];
static int last_db = -1;
static long long nested_runs = 0;
static long long jobs_run = 0;
static long long pd_freed = 0;
static long long jobs_refused = 0;

static void incr_job(ValkeyModuleCtx *ctx, void *pd);
static void free_pd(void *pd);

static void count_event(const char *name) {
    for (int i = 0; i < nevents; i++) {
        if (!strcmp(events[i].name, name)) {
            events[i].count++;
            return;
        }
    }
    if (nevents == MAX_EVENTS) return;
    snprintf(events[nevents].name, sizeof(events[nevents].name), "%s", name);
    events[nevents].count = 1;
    nevents++;
}

static int counter_cb(ValkeyModuleCtx *ctx, int type, const char *event, ValkeyModuleString *key) {
    count_event(event);
    last_type = type;
    snprintf(last_event, sizeof(last_event), "%s", event);
    size_t len;
    const char *k = ValkeyModule_StringPtrLen(key, &len);
    if (len >= sizeof(last_key)) len = sizeof(last_key) - 1;
    memcpy(last_key, k, len);
    last_key[len] = '\0';
    last_db = ValkeyModule_GetSelectedDb(ctx);
    if (type == VALKEYMODULE_NOTIFY_LOADED) {
        /* Jobs are refused while loading. */
        ValkeyModuleString *target = ValkeyModule_CreateString(NULL, "jobcount:loaded", 15);
        if (ValkeyModule_AddPostNotificationJob(ctx, incr_job, target, free_pd) != VALKEYMODULE_OK) {
            jobs_refused++;
            ValkeyModule_FreeString(NULL, target);
        }
    }
    return VALKEYMODULE_OK;
}

static void free_pd(void *pd) {
    pd_freed++;
    ValkeyModule_FreeString(NULL, pd);
}

/* A post-notification job: INCR (propagated) of the key it was given. */
static void incr_job(ValkeyModuleCtx *ctx, void *pd) {
    jobs_run++;
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "INCR", "s!", (ValkeyModuleString *)pd);
    if (r) ValkeyModule_FreeCallReply(r);
}

static int writer_cb(ValkeyModuleCtx *ctx, int type, const char *event, ValkeyModuleString *key) {
    VALKEYMODULE_NOT_USED(type);
    VALKEYMODULE_NOT_USED(event);
    size_t len;
    const char *k = ValkeyModule_StringPtrLen(key, &len);
    if (len < 8 || strncmp(k, "watched:", 8) != 0) return VALKEYMODULE_OK;
    ValkeyModuleString *target = ValkeyModule_CreateStringPrintf(NULL, "jobcount:%.*s", (int)len, k);
    if (ValkeyModule_AddPostNotificationJob(ctx, incr_job, target, free_pd) != VALKEYMODULE_OK)
        ValkeyModule_FreeString(NULL, target);
    return VALKEYMODULE_OK;
}

static int nester_cb(ValkeyModuleCtx *ctx, int type, const char *event, ValkeyModuleString *key) {
    VALKEYMODULE_NOT_USED(type);
    VALKEYMODULE_NOT_USED(event);
    nested_runs++;
    size_t len;
    const char *k = ValkeyModule_StringPtrLen(key, &len);
    if (len < 5 || strncmp(k, "nest:", 5) != 0) return VALKEYMODULE_OK;
    char target[300];
    snprintf(target, sizeof(target), "nestcount:%.*s", (int)len, k);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "HINCRBY", "ccc", target, "n", "1");
    if (r) ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int extra_cb(ValkeyModuleCtx *ctx, int type, const char *event, ValkeyModuleString *key) {
    VALKEYMODULE_NOT_USED(ctx);
    VALKEYMODULE_NOT_USED(type);
    VALKEYMODULE_NOT_USED(key);
    char name[40];
    snprintf(name, sizeof(name), "extra:%s", event);
    count_event(name);
    return VALKEYMODULE_OK;
}

static int count_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    const char *name = ValkeyModule_StringPtrLen(argv[1], NULL);
    for (int i = 0; i < nevents; i++)
        if (!strcmp(events[i].name, name)) return ValkeyModule_ReplyWithLongLong(ctx, events[i].count);
    return ValkeyModule_ReplyWithLongLong(ctx, 0);
}

static int last_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, last_type);
    ValkeyModule_ReplyWithCString(ctx, last_event);
    ValkeyModule_ReplyWithCString(ctx, last_key);
    return ValkeyModule_ReplyWithLongLong(ctx, last_db);
}

static int nested_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, nested_runs);
}

static int clear_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    nevents = 0;
    nested_runs = 0;
    jobs_run = 0;
    pd_freed = 0;
    jobs_refused = 0;
    last_type = 0;
    last_event[0] = '\0';
    last_key[0] = '\0';
    last_db = -1;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int fire_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long long type;
    if (ValkeyModule_StringToLongLong(argv[1], &type) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad type");
    const char *event = ValkeyModule_StringPtrLen(argv[2], NULL);
    if (ValkeyModule_NotifyKeyspaceEvent(ctx, (int)type, event, argv[3]) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR notify failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int flags_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetNotifyKeyspaceEvents());
}

static int job_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleString *target = ValkeyModule_CreateStringFromString(NULL, argv[1]);
    int ok = ValkeyModule_AddPostNotificationJob(ctx, incr_job, target, free_pd) == VALKEYMODULE_OK;
    if (!ok) ValkeyModule_FreeString(NULL, target);
    return ValkeyModule_ReplyWithLongLong(ctx, ok);
}

static int jobstats_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, jobs_run);
    ValkeyModule_ReplyWithLongLong(ctx, pd_freed);
    return ValkeyModule_ReplyWithLongLong(ctx, jobs_refused);
}

static int subscribe_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_SubscribeToKeyspaceEvents(ctx, VALKEYMODULE_NOTIFY_GENERIC, extra_cb) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR subscribe failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "notify", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(ValkeyModule_StringPtrLen(argv[i], NULL), "nested"))
            ValkeyModule_SetModuleOptions(ctx, VALKEYMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS);
    }
    if (ValkeyModule_SubscribeToKeyspaceEvents(ctx,
                                               VALKEYMODULE_NOTIFY_ALL | VALKEYMODULE_NOTIFY_KEY_MISS |
                                                   VALKEYMODULE_NOTIFY_NEW | VALKEYMODULE_NOTIFY_LOADED,
                                               counter_cb) != VALKEYMODULE_OK)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_SubscribeToKeyspaceEvents(ctx, VALKEYMODULE_NOTIFY_STRING, writer_cb) != VALKEYMODULE_OK)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_SubscribeToKeyspaceEvents(ctx, VALKEYMODULE_NOTIFY_HASH, nester_cb) != VALKEYMODULE_OK)
        return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"notify.count", count_cmd, "readonly"},     {"notify.last", last_cmd, "readonly"},
        {"notify.nested", nested_cmd, "readonly"},   {"notify.clear", clear_cmd, ""},
        {"notify.fire", fire_cmd, "write"},          {"notify.flags", flags_cmd, "readonly"},
        {"notify.job", job_cmd, "write"},            {"notify.jobstats", jobstats_cmd, "readonly"},
        {"notify.subscribe", subscribe_cmd, ""},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
