// Fork: a child process for module work (Fork, SendChildHeartbeat, ExitFromChild, KillForkChild).
//
// fork(2) of a Node process gives a child that has only the forking thread: V8, libuv's
// threads and the TypeScript keyspace are unusable there. The child may run the module's
// own C code only (write files, compute, then ExitFromChild); it must not call module APIs
// that need the engine (keys, Call, replies...).
//
// One module child exists at a time in the whole process (as one per server in Valkey). The
// parent reaps it with a libuv timer polling waitpid(pid, WNOHANG) and calls the done
// handler on the JS thread as an engine unit. The child sends its copy-on-write size (the
// Private_Dirty total of its mappings) through a pipe when it exits with ExitFromChild;
// INFO persistence shows it as module_fork_last_cow_size.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <cstdint>
#include <cstring>

#include "../host/context.h"
#include "../host/events.h"
#include "../host/host.h"
#include "../host/key.h"

using namespace vmhost;

namespace {

// Bridge operations (served by src/modules/key-ops-fork.ts through the 1400 area).
constexpr int FKOP_STARTED = 1450;  // (a: fork duration in us) -> a child started
constexpr int FKOP_ENDED = 1451;    // (a: copy-on-write bytes, -1 unknown) -> the child is gone

/** Valkey's exit code of a child stopped by SIGUSR1 through its handler. */
constexpr int CHILD_NOERROR_RETVAL = 255;
/** How often the parent looks for the child's exit (Valkey checks from its cron). */
constexpr uint64_t REAP_INTERVAL_MS = 10;

struct ForkState {
    pid_t pid = -1;
    Host *host = nullptr;
    ValkeyModuleForkDoneHandler done = nullptr;
    void *userData = nullptr;
    uv_timer_t *timer = nullptr;
    int cowFd = -1;  // parent: read end of the child-info pipe
};

ForkState g_fork;
/** In the child: the write end of the child-info pipe (-1 in the parent). */
int g_child_info_fd = -1;

long long ustime() {
    struct timeval tv;
    gettimeofday(&tv, nullptr);
    return static_cast<long long>(tv.tv_sec) * 1000000 + tv.tv_usec;
}

/** Tells the engine of `h` about the child (INFO persistence / stats). */
void tell_engine(Host *h, int op, double value) {
    if (!h) return;
    Napi::HandleScope scope(h->env);
    key_op(h, op, 0, nullptr, Napi::Number::New(h->env, value));
}

/** The host to talk to about the child: the done handler's module's host when the handler
 *  lives in a loaded module (the forking host otherwise, when there is no handler). */
Host *live_host() {
    if (g_fork.done) return module_of_function(reinterpret_cast<const void *>(g_fork.done)).host;
    return g_fork.host;
}

/** Reads the copy-on-write size the child sent (-1 when it sent nothing). */
long long read_cow() {
    if (g_fork.cowFd < 0) return -1;
    long long v = -1;
    ssize_t n = read(g_fork.cowFd, &v, sizeof(v));
    return n == static_cast<ssize_t>(sizeof(v)) ? v : -1;
}

/** Forgets the child: stops the reap timer, closes the pipe, tells the engine. */
void reset_child_state(Host *h, long long cow) {
    if (g_fork.timer) {
        uv_timer_stop(g_fork.timer);
        uv_close(reinterpret_cast<uv_handle_t *>(g_fork.timer),
                 [](uv_handle_t *t) { delete reinterpret_cast<uv_timer_t *>(t); });
        g_fork.timer = nullptr;
    }
    if (g_fork.cowFd >= 0) close(g_fork.cowFd);
    g_fork = ForkState();
    tell_engine(h, FKOP_ENDED, static_cast<double>(cow));
    // resetChildState: the ForkChild DIED event, after the done handler.
    if (h) events_fire(h, VALKEYMODULE_EVENT_FORK_CHILD, VALKEYMODULE_SUBEVENT_FORK_CHILD_DIED, nullptr);
}

void on_reap_timer(uv_timer_t *) {
    if (g_fork.pid <= 0) return;
    int status = 0;
    pid_t r = waitpid(g_fork.pid, &status, WNOHANG);
    if (r == 0) return;
    int exitcode = -1, bysignal = 0;
    if (r == g_fork.pid) {
        exitcode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (WIFSIGNALED(status)) bysignal = WTERMSIG(status);
        // A child that caught SIGUSR1 and exited: reported as killed by it, as Valkey does.
        if (exitcode == CHILD_NOERROR_RETVAL) {
            bysignal = SIGUSR1;
            exitcode = 1;
        }
    }
    Host *h = live_host();
    long long cow = (!bysignal && exitcode == 0) ? read_cow() : -1;
    LoopCallbackScope js(h, true);
    if (h) {
        h->logf(LL_NOTICE, "Module fork exited pid: %ld, retcode: %d, bysignal: %d", static_cast<long>(g_fork.pid),
                exitcode, bysignal);
    }
    ValkeyModuleForkDoneHandler done = g_fork.done;
    void *ud = g_fork.userData;
    if (done && h) {
        ModuleUnitScope unit(h);
        done(exitcode, bysignal, ud);
    }
    reset_child_state(h, cow);
}

/** Sum of Private_Dirty over the process's mappings, in bytes (async-signal-safe: open and
 *  read only); -1 when /proc cannot tell. */
long long private_dirty_bytes() {
    int fd = open("/proc/self/smaps_rollup", O_RDONLY);
    if (fd < 0) return -1;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char *p = strstr(buf, "Private_Dirty:");
    if (!p) return -1;
    p += 14;
    while (*p == ' ' || *p == '\t') p++;
    long long kb = 0;
    while (*p >= '0' && *p <= '9') kb = kb * 10 + (*p++ - '0');
    return kb * 1024;
}

}  // namespace

extern "C" {

/**
 * Forks the process. In the child it returns 0: the child has a copy of the memory but only
 * the calling thread, so it must run nothing but the module's own C code (no API that needs
 * the engine) and end with ExitFromChild. In the parent it returns the child's pid and later
 * calls `cb(exitcode, bysignal, user_data)` on the JS thread when the child exits (not when
 * KillForkChild stopped it). Returns -1 with errno EEXIST while a module child already runs
 * (Valkey logs "Can't fork for module: File exists"), or -1 with fork's errno.
 */
int VM_Fork(ValkeyModuleForkDoneHandler cb, void *user_data) {
    Host *h = g_current_host;
    if (g_fork.pid > 0) {
        errno = EEXIST;
        if (h) h->logf(LL_WARNING, "Can't fork for module: %s", strerror(errno));
        return -1;
    }
    int fds[2] = {-1, -1};
    if (pipe(fds) != 0) fds[0] = fds[1] = -1;
    // The child must die of KillForkChild's SIGUSR1 even when it comes at once: the signals
    // stay blocked across fork until the child has dropped Node's handlers.
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGUSR1);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    long long start = ustime();
    pid_t pid = fork();
    if (pid == 0) {
        // Child: Node's handlers are useless here.
        signal(SIGUSR1, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        pthread_sigmask(SIG_UNBLOCK, &sigs, nullptr);
        if (fds[0] >= 0) close(fds[0]);
        g_child_info_fd = fds[1];
        return 0;
    }
    int forkErrno = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) {
        int e = forkErrno;
        if (fds[0] >= 0) close(fds[0]);
        if (fds[1] >= 0) close(fds[1]);
        if (h) h->logf(LL_WARNING, "Can't fork for module: %s", strerror(e));
        errno = e;
        return -1;
    }
    if (fds[1] >= 0) close(fds[1]);
    if (fds[0] >= 0) fcntl(fds[0], F_SETFL, O_NONBLOCK);
    g_fork.pid = pid;
    g_fork.host = h;
    g_fork.done = cb;
    g_fork.userData = user_data;
    g_fork.cowFd = fds[0];
    if (h) {
        h->logf(LL_VERBOSE, "Module fork started pid: %ld ", static_cast<long>(pid));
        tell_engine(h, FKOP_STARTED, static_cast<double>(ustime() - start));
        events_fire(h, VALKEYMODULE_EVENT_FORK_CHILD, VALKEYMODULE_SUBEVENT_FORK_CHILD_BORN, nullptr);
        uv_loop_t *loop = events_loop(h);
        if (loop) {
            g_fork.timer = new uv_timer_t;
            uv_timer_init(loop, g_fork.timer);
            uv_timer_start(g_fork.timer, on_reap_timer, REAP_INTERVAL_MS, REAP_INTERVAL_MS);
            // The child does not keep Node alive by itself.
            uv_unref(reinterpret_cast<uv_handle_t *>(g_fork.timer));
        }
    }
    return pid;
}

/** Progress report of a child (0..1). Valkey shows it as INFO current_fork_perc; this host
 *  has no channel for it, so it does nothing. */
void VM_SendChildHeartbeat(double progress) { (void)progress; }

/** In the child: reports the copy-on-write size to the parent and ends the process with
 *  `retcode` (_exit: no atexit handlers, no flushing of the parent's stdio buffers). ERR
 *  when called in a process that is not a module child. */
int VM_ExitFromChild(int retcode) {
    if (g_child_info_fd < 0) return VALKEYMODULE_ERR;
    long long cow = private_dirty_bytes();
    ssize_t w = write(g_child_info_fd, &cow, sizeof(cow));
    (void)w;
    _exit(retcode);
}

/** Kills the running module child `child_pid` with SIGUSR1 and waits for it; its done
 *  handler is not called. ERR when no module child runs or the pid is not its. */
int VM_KillForkChild(int child_pid) {
    if (g_fork.pid <= 0 || g_fork.pid != child_pid) return VALKEYMODULE_ERR;
    Host *h = live_host();
    if (h) h->logf(LL_VERBOSE, "Killing running module fork child: %ld", static_cast<long>(g_fork.pid));
    if (kill(g_fork.pid, SIGUSR1) != -1) {
        int status;
        while (waitpid(g_fork.pid, &status, 0) != g_fork.pid && errno == EINTR) {
        }
    }
    reset_child_state(h, -1);
    return VALKEYMODULE_OK;
}

}  // extern "C"
