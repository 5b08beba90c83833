/* Test module for module blocked clients and thread-safe contexts (test/blocking-*.test.ts).
 *
 *   blk.thread <ms>          blocks; a thread sleeps <ms>, replies "t1" "t2" through the
 *                            handle's thread-safe context, then UnblockClient(privdata "cb");
 *                            the reply callback opens a 3-array ["cb", then the thread's two]
 *   blk.threadto <ms> <to>   same with a timeout of <to> ms (timeout callback: +TIMEOUT)
 *   blk.hold <to>            blocks (timeout <to> ms, 0 none) until blk.release
 *   blk.release [text]       releases the held handle (privdata "released" or text)
 *   blk.abort                blocks, AbortBlock, then replies -ERR aborted
 *   blk.disc                 blocks forever; the disconnect callback releases the handle
 *   blk.nested <ms>          like blk.thread (no thread replies) but the reply callback calls
 *                            BlockClient again
 *   blk.keys <key> <to> [deleted]  BlockClientOnKeys(WithFlags UNBLOCK_DELETED)
 *   blk.signal <key>         SignalKeyAsReady
 *   blk.unblockkeys          UnblockClient on the last key-blocked handle (timeout path)
 *   blk.log <text>           logs <text> through a detached thread-safe context
 *   blk.stats                [freed, last free saw BlockedClientDisconnected, timeouts,
 *                             disconnects, replies, measured]
 *   blk.reset                zeroes the stats
 */
#include "valkeymodule.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long st_freed, st_lastdisc, st_timeouts, st_disconnects, st_replies, st_measured;
static ValkeyModuleBlockedClient *held;
static ValkeyModuleBlockedClient *keysbc;

static void free_priv(ValkeyModuleCtx *ctx, void *p) {
    st_freed++;
    st_lastdisc = ValkeyModule_BlockedClientDisconnected(ctx);
    free(p);
}

static int reply_cb(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    st_replies++;
    if (!ValkeyModule_IsBlockedReplyRequest(ctx) || ValkeyModule_IsBlockedTimeoutRequest(ctx))
        return ValkeyModule_ReplyWithError(ctx, "ERR not a reply request");
    if (ValkeyModule_GetBlockedClientHandle(ctx) == NULL) return ValkeyModule_ReplyWithError(ctx, "ERR no handle");
    const char *p = ValkeyModule_GetBlockedClientPrivateData(ctx);
    ValkeyModule_ReplyWithArray(ctx, 3);
    return ValkeyModule_ReplyWithSimpleString(ctx, p ? p : "(null)");
}

static int timeout_cb(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    st_timeouts++;
    if (!ValkeyModule_IsBlockedTimeoutRequest(ctx)) return ValkeyModule_ReplyWithError(ctx, "ERR not a timeout");
    return ValkeyModule_ReplyWithSimpleString(ctx, "TIMEOUT");
}

struct job {
    ValkeyModuleBlockedClient *bc;
    long long ms;
    int quiet; /* no thread-safe replies */
};

#define MAXWORKERS 1024
static pthread_t workers[MAXWORKERS];
static int nworkers;

static void *worker(void *arg) {
    struct job *j = arg;
    ValkeyModule_BlockedClientMeasureTimeStart(j->bc);
    usleep((useconds_t)(j->ms * 1000));
    if (!j->quiet) {
        ValkeyModuleCtx *ts = ValkeyModule_GetThreadSafeContext(j->bc);
        ValkeyModule_ReplyWithSimpleString(ts, "t1");
        ValkeyModule_ReplyWithSimpleString(ts, "t2");
        ValkeyModule_FreeThreadSafeContext(ts);
    }
    if (ValkeyModule_BlockedClientMeasureTimeEnd(j->bc) == VALKEYMODULE_OK) st_measured++;
    ValkeyModule_UnblockClient(j->bc, strdup("cb"));
    free(j);
    return NULL;
}

static int start_thread(ValkeyModuleCtx *ctx, ValkeyModuleBlockedClient *bc, long long ms, int quiet) {
    struct job *j = malloc(sizeof(*j));
    j->bc = bc;
    j->ms = ms;
    j->quiet = quiet;
    pthread_t t;
    if (nworkers == MAXWORKERS || pthread_create(&t, NULL, worker, j) != 0) {
        free(j);
        ValkeyModule_AbortBlock(bc);
        return ValkeyModule_ReplyWithError(ctx, "ERR can't start thread");
    }
    /* joined in OnUnload: a worker still returning from this .so must not outlive dlclose */
    workers[nworkers++] = t;
    return VALKEYMODULE_OK;
}

static int cmd_thread(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long ms;
    if (ValkeyModule_StringToLongLong(argv[1], &ms) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR ms");
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, reply_cb, timeout_cb, free_priv, 0);
    return start_thread(ctx, bc, ms, 0);
}

static int cmd_threadto(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long ms, to;
    ValkeyModule_StringToLongLong(argv[1], &ms);
    ValkeyModule_StringToLongLong(argv[2], &to);
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, reply_cb, timeout_cb, free_priv, to);
    return start_thread(ctx, bc, ms, 0);
}

static int hold_reply(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    st_replies++;
    const char *p = ValkeyModule_GetBlockedClientPrivateData(ctx);
    return ValkeyModule_ReplyWithSimpleString(ctx, p ? p : "(null)");
}

static int cmd_hold(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (held) return ValkeyModule_ReplyWithError(ctx, "ERR already holding");
    long long to;
    ValkeyModule_StringToLongLong(argv[1], &to);
    held = ValkeyModule_BlockClient(ctx, hold_reply, timeout_cb, free_priv, to);
    return VALKEYMODULE_OK;
}

static int cmd_release(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (!held) return ValkeyModule_ReplyWithError(ctx, "ERR nothing held");
    const char *text = argc > 1 ? ValkeyModule_StringPtrLen(argv[1], NULL) : "released";
    ValkeyModule_UnblockClient(held, strdup(text));
    held = NULL;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int cmd_abort(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, reply_cb, timeout_cb, free_priv, 0);
    ValkeyModule_AbortBlock(bc);
    return ValkeyModule_ReplyWithError(ctx, "ERR aborted");
}

static void on_disconnect(ValkeyModuleCtx *ctx, ValkeyModuleBlockedClient *bc) {
    (void)ctx;
    st_disconnects++;
    ValkeyModule_UnblockClient(bc, NULL);
}

static int cmd_disc(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, reply_cb, timeout_cb, free_priv, 0);
    ValkeyModule_BlockClientSetPrivateData(bc, strdup("disc"));
    ValkeyModule_SetDisconnectCallback(bc, on_disconnect);
    return VALKEYMODULE_OK;
}

static int nested_reply(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, reply_cb, timeout_cb, NULL, 0);
    ValkeyModule_AbortBlock(bc);
    return VALKEYMODULE_OK;
}

static int cmd_nested(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long ms;
    ValkeyModule_StringToLongLong(argv[1], &ms);
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, nested_reply, timeout_cb, free_priv, 0);
    return start_thread(ctx, bc, ms, 1);
}

/* Reply callback of blk.keys: a list serves with its length, a string "go" serves, a missing
 * key (UNBLOCK_DELETED) serves with "deleted"; anything else replies (dropped) and waits. */
static int keys_reply(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleString *name = ValkeyModule_GetBlockedClientReadyKey(ctx);
    if (!name) return ValkeyModule_ReplyWithError(ctx, "ERR no ready key");
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, name, VALKEYMODULE_READ);
    int type = ValkeyModule_KeyType(k);
    int served = 0;
    if (type == VALKEYMODULE_KEYTYPE_LIST) {
        ValkeyModule_ReplyWithArray(ctx, 2);
        ValkeyModule_ReplyWithString(ctx, name);
        ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_ValueLength(k));
        served = 1;
    } else if (type == VALKEYMODULE_KEYTYPE_STRING) {
        size_t len;
        const char *v = ValkeyModule_StringDMA(k, &len, VALKEYMODULE_READ);
        if (len == 2 && memcmp(v, "go", 2) == 0) {
            ValkeyModule_ReplyWithArray(ctx, 2);
            ValkeyModule_ReplyWithString(ctx, name);
            ValkeyModule_ReplyWithSimpleString(ctx, "go");
            served = 1;
        }
    } else if (type == VALKEYMODULE_KEYTYPE_EMPTY) {
        ValkeyModule_ReplyWithSimpleString(ctx, "deleted");
        served = 1;
    }
    ValkeyModule_CloseKey(k);
    if (served) {
        st_replies++;
        keysbc = NULL;
        return VALKEYMODULE_OK;
    }
    ValkeyModule_ReplyWithSimpleString(ctx, "dropped");
    return VALKEYMODULE_ERR;
}

static int cmd_keys(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3 && argc != 4) return ValkeyModule_WrongArity(ctx);
    long long to;
    ValkeyModule_StringToLongLong(argv[2], &to);
    int flags = argc == 4 ? VALKEYMODULE_BLOCK_UNBLOCK_DELETED : VALKEYMODULE_BLOCK_UNBLOCK_DEFAULT;
    const char *kn = ValkeyModule_StringPtrLen(argv[1], NULL);
    keysbc = ValkeyModule_BlockClientOnKeysWithFlags(ctx, keys_reply, timeout_cb, free_priv, to, &argv[1], 1,
                                                     strdup(kn), flags);
    return VALKEYMODULE_OK;
}

static int cmd_signal(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_SignalKeyAsReady(ctx, argv[1]);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int cmd_unblockkeys(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (!keysbc) return ValkeyModule_ReplyWithError(ctx, "ERR no key-blocked client");
    int rc = ValkeyModule_UnblockClient(keysbc, NULL);
    keysbc = NULL;
    return ValkeyModule_ReplyWithLongLong(ctx, rc);
}

static int cmd_log(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCtx *d = ValkeyModule_GetDetachedThreadSafeContext(ctx);
    ValkeyModule_Log(d, "warning", "%s", ValkeyModule_StringPtrLen(argv[1], NULL));
    ValkeyModule_FreeThreadSafeContext(d);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int cmd_stats(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModule_ReplyWithArray(ctx, 6);
    ValkeyModule_ReplyWithLongLong(ctx, st_freed);
    ValkeyModule_ReplyWithLongLong(ctx, st_lastdisc);
    ValkeyModule_ReplyWithLongLong(ctx, st_timeouts);
    ValkeyModule_ReplyWithLongLong(ctx, st_disconnects);
    ValkeyModule_ReplyWithLongLong(ctx, st_replies);
    return ValkeyModule_ReplyWithLongLong(ctx, st_measured);
}

static int cmd_reset(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    st_freed = st_lastdisc = st_timeouts = st_disconnects = st_replies = st_measured = 0;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (ValkeyModule_Init(ctx, "blocking", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
        int first, last, step;
    } cmds[] = {
        {"blk.thread", cmd_thread, "", 0, 0, 0},
        {"blk.threadto", cmd_threadto, "", 0, 0, 0},
        {"blk.hold", cmd_hold, "", 0, 0, 0},
        {"blk.release", cmd_release, "", 0, 0, 0},
        {"blk.abort", cmd_abort, "", 0, 0, 0},
        {"blk.disc", cmd_disc, "", 0, 0, 0},
        {"blk.nested", cmd_nested, "", 0, 0, 0},
        {"blk.keys", cmd_keys, "readonly", 1, 1, 1},
        {"blk.signal", cmd_signal, "", 1, 1, 1},
        {"blk.unblockkeys", cmd_unblockkeys, "", 0, 0, 0},
        {"blk.log", cmd_log, "", 0, 0, 0},
        {"blk.stats", cmd_stats, "", 0, 0, 0},
        {"blk.reset", cmd_reset, "", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].first, cmds[i].last,
                                       cmds[i].step) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    }
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnUnload(ValkeyModuleCtx *ctx) {
    (void)ctx;
    for (int i = 0; i < nworkers; i++) pthread_join(workers[i], NULL);
    nworkers = 0;
    return VALKEYMODULE_OK;
}
