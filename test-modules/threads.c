/* threads: module threads using the engine under the global lock.
 *
 *   THREADS.WORK <key> <counter>   starts a detached thread that, holding the lock, runs
 *                                  INCR <counter>, SET <key> from-thread (both with "!"), opens <key> and
 *                                  appends its length with the key API (HSET <key>:h through
 *                                  HashSet, on a second key), logs "thread work done" at
 *                                  notice level, unlocks; then (a second locked session)
 *                                  SET <key>:done <the INCR reply>. Replies OK at once.
 *   THREADS.UNLOCKED <key>         a detached thread runs SET <key> unlocked-ok without
 *                                  taking the lock (undefined in Valkey; the host still
 *                                  serves it safely), then SET <key>:done 1 (also unlocked)
 *   THREADS.TRYBUSY                starts a thread that TryLocks while this command runs
 *                                  (the JS thread holds the lock), waits for it and replies
 *                                  [TryLock result (0 OK / 1 ERR), errno == EBUSY]
 *   THREADS.TRYFREE <key>          a detached thread TryLocks until it succeeds (the JS
 *                                  thread is idle between commands), then SET <key> <tries>
 *   THREADS.SELFLOCK               the command thread calls Lock / TryLock / Unlock on its
 *                                  own context: [TryLock result, errno == EBUSY] and no hang
 *   THREADS.STRESS <n> <iters> <key>  n detached threads, each iters x (Lock, Call INCR <key>,
 *                                  check the integer reply, Unlock); replies OK at once
 *   THREADS.STRESSSTATUS           [threads finished, bad replies seen]
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "valkeymodule.h"

static ValkeyModuleCtx *g_detached; /* one detached context for logging and calls */

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static char *dup_arg(ValkeyModuleString *s) {
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(s, &len);
    char *out = malloc(len + 1);
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

static int start_detached(void *(*fn)(void *), void *arg) {
    pthread_t t;
    if (pthread_create(&t, NULL, fn, arg) != 0) return -1;
    pthread_detach(t);
    return 0;
}

/* ---- THREADS.WORK -------------------------------------------------------------------- */

struct work {
    char *key;
    char *counter;
};

static void *work_thread(void *arg) {
    struct work *w = arg;
    ValkeyModuleCtx *ctx = ValkeyModule_GetThreadSafeContext(NULL);
    ValkeyModule_SelectDb(ctx, 0);
    long long n = -1;

    ValkeyModule_ThreadSafeContextLock(ctx);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "INCR", "!c", w->counter);
    if (r && ValkeyModule_CallReplyType(r) == VALKEYMODULE_REPLY_INTEGER) n = ValkeyModule_CallReplyInteger(r);
    if (r) ValkeyModule_FreeCallReply(r);
    r = ValkeyModule_Call(ctx, "SET", "!cc", w->key, "from-thread");
    if (r) ValkeyModule_FreeCallReply(r);
    /* The key API: append the value's length to it. */
    ValkeyModuleString *kname = ValkeyModule_CreateString(ctx, w->key, strlen(w->key));
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, kname, VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    size_t len = ValkeyModule_ValueLength(k);
    ValkeyModuleString *v = ValkeyModule_CreateStringPrintf(ctx, "from-thread:%zu", len);
    ValkeyModule_StringSet(k, v);
    ValkeyModule_CloseKey(k);
    ValkeyModule_FreeString(ctx, v);
    /* A variadic key API. */
    ValkeyModuleString *hname = ValkeyModule_CreateStringPrintf(ctx, "%s:h", w->key);
    k = ValkeyModule_OpenKey(ctx, hname, VALKEYMODULE_WRITE);
    ValkeyModule_HashSet(k, VALKEYMODULE_HASH_CFIELDS, "f1", kname, "f2", kname, NULL);
    ValkeyModule_CloseKey(k);
    ValkeyModule_FreeString(ctx, hname);
    ValkeyModule_FreeString(ctx, kname);
    ValkeyModule_Log(g_detached, "notice", "thread work done %s", w->key);
    ValkeyModule_ThreadSafeContextUnlock(ctx);

    ValkeyModule_ThreadSafeContextLock(ctx);
    char done[512];
    snprintf(done, sizeof(done), "%s:done", w->key);
    r = ValkeyModule_Call(ctx, "SET", "cl", done, n);
    if (r) ValkeyModule_FreeCallReply(r);
    ValkeyModule_ThreadSafeContextUnlock(ctx);

    ValkeyModule_FreeThreadSafeContext(ctx);
    free(w->key);
    free(w->counter);
    free(w);
    return NULL;
}

static int work_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    struct work *w = malloc(sizeof(*w));
    w->key = dup_arg(argv[1]);
    w->counter = dup_arg(argv[2]);
    if (start_detached(work_thread, w) != 0) return ValkeyModule_ReplyWithError(ctx, "ERR thread");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

/* ---- THREADS.UNLOCKED ---------------------------------------------------------------- */

static void *unlocked_thread(void *arg) {
    char *key = arg;
    ValkeyModuleCtx *ctx = ValkeyModule_GetThreadSafeContext(NULL);
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "SET", "cc", key, "unlocked-ok");
    if (r) ValkeyModule_FreeCallReply(r);
    char done[512];
    snprintf(done, sizeof(done), "%s:done", key);
    r = ValkeyModule_Call(ctx, "SET", "cc", done, "1");
    if (r) ValkeyModule_FreeCallReply(r);
    ValkeyModule_FreeThreadSafeContext(ctx);
    free(key);
    return NULL;
}

static int unlocked_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (start_detached(unlocked_thread, dup_arg(argv[1])) != 0) return ValkeyModule_ReplyWithError(ctx, "ERR thread");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

/* ---- THREADS.TRYBUSY / TRYFREE / SELFLOCK -------------------------------------------- */

struct tryres {
    int ret;
    int err;
};

static void *trybusy_thread(void *arg) {
    struct tryres *res = arg;
    ValkeyModuleCtx *ctx = ValkeyModule_GetThreadSafeContext(NULL);
    errno = 0;
    res->ret = ValkeyModule_ThreadSafeContextTryLock(ctx);
    res->err = errno;
    if (res->ret == VALKEYMODULE_OK) ValkeyModule_ThreadSafeContextUnlock(ctx);
    ValkeyModule_FreeThreadSafeContext(ctx);
    return NULL;
}

static int trybusy_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    struct tryres res = {-1, 0};
    pthread_t t;
    if (pthread_create(&t, NULL, trybusy_thread, &res) != 0) return ValkeyModule_ReplyWithError(ctx, "ERR thread");
    pthread_join(t, NULL); /* the command "sleeps in C" while the thread tries */
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, res.ret);
    ValkeyModule_ReplyWithLongLong(ctx, res.err == EBUSY);
    return VALKEYMODULE_OK;
}

static void *tryfree_thread(void *arg) {
    char *key = arg;
    ValkeyModuleCtx *ctx = ValkeyModule_GetThreadSafeContext(NULL);
    long long tries = 0;
    for (;;) {
        tries++;
        if (ValkeyModule_ThreadSafeContextTryLock(ctx) == VALKEYMODULE_OK) break;
        sleep_ms(1);
    }
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "SET", "cl", key, tries);
    if (r) ValkeyModule_FreeCallReply(r);
    ValkeyModule_ThreadSafeContextUnlock(ctx);
    ValkeyModule_FreeThreadSafeContext(ctx);
    free(key);
    return NULL;
}

static int tryfree_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (start_detached(tryfree_thread, dup_arg(argv[1])) != 0) return ValkeyModule_ReplyWithError(ctx, "ERR thread");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int selflock_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCtx *ts = ValkeyModule_GetDetachedThreadSafeContext(ctx);
    ValkeyModule_ThreadSafeContextLock(ts);
    errno = 0;
    int ret = ValkeyModule_ThreadSafeContextTryLock(ts);
    int busy = errno == EBUSY;
    if (ret == VALKEYMODULE_OK) ValkeyModule_ThreadSafeContextUnlock(ts);
    ValkeyModule_ThreadSafeContextUnlock(ts);
    ValkeyModule_FreeThreadSafeContext(ts);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, ret);
    ValkeyModule_ReplyWithLongLong(ctx, busy);
    return VALKEYMODULE_OK;
}

/* ---- THREADS.STRESS ------------------------------------------------------------------ */

static int g_stress_finished;
static int g_stress_bad;
static pthread_mutex_t g_stress_mu = PTHREAD_MUTEX_INITIALIZER;

struct stress {
    long long iters;
    char *key;
};

static void *stress_thread(void *arg) {
    struct stress *s = arg;
    ValkeyModuleCtx *ctx = ValkeyModule_GetThreadSafeContext(NULL);
    int bad = 0;
    long long last = 0;
    for (long long i = 0; i < s->iters; i++) {
        ValkeyModule_ThreadSafeContextLock(ctx);
        ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "INCR", "c", s->key);
        if (!r || ValkeyModule_CallReplyType(r) != VALKEYMODULE_REPLY_INTEGER) {
            bad++;
        } else {
            long long v = ValkeyModule_CallReplyInteger(r);
            if (v <= last) bad++; /* the counter only grows */
            last = v;
        }
        if (r) ValkeyModule_FreeCallReply(r);
        ValkeyModule_ThreadSafeContextUnlock(ctx);
    }
    ValkeyModule_FreeThreadSafeContext(ctx);
    pthread_mutex_lock(&g_stress_mu);
    g_stress_finished++;
    g_stress_bad += bad;
    pthread_mutex_unlock(&g_stress_mu);
    free(s->key);
    free(s);
    return NULL;
}

static int stress_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long long n, iters;
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 1 ||
        ValkeyModule_StringToLongLong(argv[2], &iters) != VALKEYMODULE_OK || iters < 0)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad numbers");
    pthread_mutex_lock(&g_stress_mu);
    g_stress_finished = 0;
    g_stress_bad = 0;
    pthread_mutex_unlock(&g_stress_mu);
    for (long long i = 0; i < n; i++) {
        struct stress *s = malloc(sizeof(*s));
        s->iters = iters;
        s->key = dup_arg(argv[3]);
        if (start_detached(stress_thread, s) != 0) return ValkeyModule_ReplyWithError(ctx, "ERR thread");
    }
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int stressstatus_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    pthread_mutex_lock(&g_stress_mu);
    int f = g_stress_finished, b = g_stress_bad;
    pthread_mutex_unlock(&g_stress_mu);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, f);
    ValkeyModule_ReplyWithLongLong(ctx, b);
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "threads", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    g_detached = ValkeyModule_GetDetachedThreadSafeContext(ctx);
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"threads.work", work_cmd, "write"},
        {"threads.unlocked", unlocked_cmd, "write"},
        {"threads.trybusy", trybusy_cmd, ""},
        {"threads.tryfree", tryfree_cmd, "write"},
        {"threads.selflock", selflock_cmd, ""},
        {"threads.stress", stress_cmd, "write"},
        {"threads.stressstatus", stressstatus_cmd, ""},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
