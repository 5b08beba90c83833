/* Timers and the event loop API.
 *
 *   TIMER.CREATE <ms> <tag>   -> timer id; the callback logs "fired <tag> db=<selected db>"
 *                                and INCRs key timer:count in that db
 *   TIMER.STOP <id>           -> the tag the timer carried, or an error
 *   TIMER.INFO <id>           -> [remaining ms, tag], or an error
 *   EL.SANITY                 -> OK, or the first argument check that failed
 *   EL.PIPE                   -> watches a pipe's read end; a thread writes "hello" to it
 *                                after 20 ms; the fd callback logs "read hello main=1"
 *   EL.WRITABLE               -> watches a pipe's write end for WRITABLE; logs "writable"
 *   EL.ONESHOT                -> a thread queues a one-shot that logs "oneshot data main=1"
 *   EL.YIELD                  -> queues a one-shot, calls Yield, replies whether it ran
 *   TL.LOG / TL.CLEAR         -> the log of everything above
 */
#include "valkeymodule.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXLOG 256
static char *logv[MAXLOG];
static int logn = 0;
static pthread_mutex_t logmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t main_thread;

static void addlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void addlog(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&logmu);
    if (logn < MAXLOG) logv[logn++] = strdup(buf);
    pthread_mutex_unlock(&logmu);
}

static void timerCallback(ValkeyModuleCtx *ctx, void *data) {
    char *tag = data;
    addlog("fired %s db=%d", tag, ValkeyModule_GetSelectedDb(ctx));
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "INCR", "c", "timer:count");
    if (r) ValkeyModule_FreeCallReply(r);
    ValkeyModule_Free(tag);
}

static int cmdCreate(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long ms;
    if (ValkeyModule_StringToLongLong(argv[1], &ms) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR bad ms");
    size_t len;
    const char *tag = ValkeyModule_StringPtrLen(argv[2], &len);
    char *copy = ValkeyModule_Alloc(len + 1);
    memcpy(copy, tag, len + 1);
    ValkeyModuleTimerID id = ValkeyModule_CreateTimer(ctx, ms, timerCallback, copy);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)id);
}

static int cmdStop(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long id;
    ValkeyModule_StringToLongLong(argv[1], &id);
    void *data = NULL;
    if (ValkeyModule_StopTimer(ctx, (ValkeyModuleTimerID)id, &data) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR no such timer");
    ValkeyModule_ReplyWithCString(ctx, data);
    ValkeyModule_Free(data);
    return VALKEYMODULE_OK;
}

static int cmdInfo(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long id;
    ValkeyModule_StringToLongLong(argv[1], &id);
    void *data = NULL;
    uint64_t remaining = 0;
    if (ValkeyModule_GetTimerInfo(ctx, (ValkeyModuleTimerID)id, &remaining, &data) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR no such timer");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)remaining);
    ValkeyModule_ReplyWithCString(ctx, data);
    return VALKEYMODULE_OK;
}

/* ---- event loop ---- */

static void dummy(int fd, void *ud, int mask) {
    (void)fd;
    (void)ud;
    (void)mask;
}

static int cmdSanity(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    int fds[2];
    if (pipe(fds) < 0) return ValkeyModule_ReplyWithError(ctx, "ERR pipe");
    const char *err = NULL;
    if (ValkeyModule_EventLoopAdd(fds[0], 9999999, dummy, NULL) == VALKEYMODULE_OK || errno != EINVAL) err = "bad mask add";
    else if (ValkeyModule_EventLoopAdd(-1, VALKEYMODULE_EVENTLOOP_READABLE, dummy, NULL) == VALKEYMODULE_OK || errno != ERANGE) err = "fd -1 add";
    else if (ValkeyModule_EventLoopAdd(99999999, VALKEYMODULE_EVENTLOOP_READABLE, dummy, NULL) == VALKEYMODULE_OK || errno != ERANGE) err = "big fd add";
    else if (ValkeyModule_EventLoopAdd(10127, VALKEYMODULE_EVENTLOOP_READABLE, NULL, NULL) == VALKEYMODULE_OK || errno != EINVAL) err = "fd 10127 is in range: NULL func must be EINVAL";
    else if (ValkeyModule_EventLoopAdd(10128, VALKEYMODULE_EVENTLOOP_READABLE, dummy, NULL) == VALKEYMODULE_OK || errno != ERANGE) err = "fd 10128 add";
    else if (ValkeyModule_EventLoopAdd(fds[0], VALKEYMODULE_EVENTLOOP_READABLE, NULL, NULL) == VALKEYMODULE_OK || errno != EINVAL) err = "null func add";
    else if (ValkeyModule_EventLoopDel(fds[0], VALKEYMODULE_EVENTLOOP_READABLE) != VALKEYMODULE_OK || errno != 0) err = "del unregistered";
    else if (ValkeyModule_EventLoopDel(fds[0], 9999999) == VALKEYMODULE_OK || errno != EINVAL) err = "bad mask del";
    else if (ValkeyModule_EventLoopDel(-1, VALKEYMODULE_EVENTLOOP_READABLE) == VALKEYMODULE_OK || errno != ERANGE) err = "fd -1 del";
    else if (ValkeyModule_EventLoopDel(99999999, VALKEYMODULE_EVENTLOOP_READABLE) == VALKEYMODULE_OK || errno != ERANGE) err = "big fd del";
    else if (ValkeyModule_EventLoopAdd(fds[0], VALKEYMODULE_EVENTLOOP_READABLE, dummy, NULL) != VALKEYMODULE_OK || errno != 0) err = "add";
    else if (ValkeyModule_EventLoopAdd(fds[0], VALKEYMODULE_EVENTLOOP_READABLE, dummy, NULL) != VALKEYMODULE_OK || errno != 0) err = "add twice";
    else if (ValkeyModule_EventLoopDel(fds[0], VALKEYMODULE_EVENTLOOP_READABLE) != VALKEYMODULE_OK || errno != 0) err = "del";
    else if (ValkeyModule_EventLoopAddOneShot(NULL, NULL) == VALKEYMODULE_OK || errno != EINVAL) err = "null oneshot";
    close(fds[0]);
    close(fds[1]);
    if (err) return ValkeyModule_ReplyWithErrorFormat(ctx, "ERR %s", err);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int pipefds[2];

static void onReadable(int fd, void *ud, int mask) {
    char buf[64];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0) n = 0;
    buf[n] = 0;
    addlog("read %s ud=%s mask=%d main=%d", buf, (char *)ud, mask, pthread_equal(pthread_self(), main_thread) ? 1 : 0);
    ValkeyModule_EventLoopDel(fd, VALKEYMODULE_EVENTLOOP_READABLE);
    close(pipefds[0]);
    close(pipefds[1]);
}

static void *writerThread(void *arg) {
    (void)arg;
    usleep(20000);
    if (write(pipefds[1], "hello", 5) != 5) addlog("write failed");
    return NULL;
}

static int cmdPipe(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (pipe(pipefds) < 0) return ValkeyModule_ReplyWithError(ctx, "ERR pipe");
    fcntl(pipefds[0], F_SETFL, O_NONBLOCK);
    if (ValkeyModule_EventLoopAdd(pipefds[0], VALKEYMODULE_EVENTLOOP_READABLE, onReadable, "rd") != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR add");
    pthread_t t;
    pthread_create(&t, NULL, writerThread, NULL);
    pthread_detach(t);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int wfds[2];

static void onWritable(int fd, void *ud, int mask) {
    addlog("writable ud=%s mask=%d", (char *)ud, mask);
    ValkeyModule_EventLoopDel(fd, VALKEYMODULE_EVENTLOOP_WRITABLE);
    close(wfds[0]);
    close(wfds[1]);
}

static int cmdWritable(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (pipe(wfds) < 0) return ValkeyModule_ReplyWithError(ctx, "ERR pipe");
    if (ValkeyModule_EventLoopAdd(wfds[1], VALKEYMODULE_EVENTLOOP_WRITABLE, onWritable, "wr") != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR add");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static void oneshot(void *data) {
    addlog("oneshot %s main=%d", (char *)data, pthread_equal(pthread_self(), main_thread) ? 1 : 0);
}

static void *oneshotThread(void *arg) {
    (void)arg;
    usleep(10000);
    ValkeyModule_EventLoopAddOneShot(oneshot, "data");
    return NULL;
}

static int cmdOneShot(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    pthread_t t;
    pthread_create(&t, NULL, oneshotThread, NULL);
    pthread_detach(t);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int yielded = 0;
static void yieldShot(void *data) {
    (void)data;
    yielded = 1;
}

static int cmdYield(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    yielded = 0;
    ValkeyModule_EventLoopAddOneShot(yieldShot, NULL);
    int before = yielded;
    ValkeyModule_Yield(ctx, VALKEYMODULE_YIELD_FLAG_CLIENTS, "module busy");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, before);
    ValkeyModule_ReplyWithLongLong(ctx, yielded);
    return VALKEYMODULE_OK;
}

static int cmdLog(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    pthread_mutex_lock(&logmu);
    ValkeyModule_ReplyWithArray(ctx, logn);
    for (int i = 0; i < logn; i++) ValkeyModule_ReplyWithCString(ctx, logv[i]);
    pthread_mutex_unlock(&logmu);
    return VALKEYMODULE_OK;
}

static int cmdClear(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    pthread_mutex_lock(&logmu);
    for (int i = 0; i < logn; i++) free(logv[i]);
    logn = 0;
    pthread_mutex_unlock(&logmu);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "timers", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    main_thread = pthread_self();
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
    } cmds[] = {{"timer.create", cmdCreate}, {"timer.stop", cmdStop}, {"timer.info", cmdInfo},
                {"el.sanity", cmdSanity},   {"el.pipe", cmdPipe},     {"el.writable", cmdWritable},
                {"el.oneshot", cmdOneShot}, {"el.yield", cmdYield},   {"tl.log", cmdLog},
                {"tl.clear", cmdClear}};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, "", 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
