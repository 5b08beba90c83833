// The event loop API: EventLoopAdd / EventLoopDel (file descriptors watched with uv_poll on
// Node's loop), EventLoopAddOneShot (a queue drained on the JS thread after a uv_async
// wake-up; callable from any thread), the EventLoop server event (BEFORE_SLEEP from a
// uv_prepare hook, AFTER_SLEEP from a uv_check hook) and Yield.
//
// Like Valkey's `ae` registrations these are process-wide: the callbacks take no context.
// Each callback runs on the JS thread under the global lock in an engine execution unit of
// the host whose module owns the function (found from the function's address).
#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../host/context.h"
#include "../host/events.h"
#include "../host/host.h"
#include "../host/key.h"

using namespace vmhost;

namespace vmhost {

namespace {

/** Valkey sizes its event loop at maxclients + CONFIG_FDSET_INCR (CONFIG_MIN_RESERVED_FDS 32
 *  + 96); an fd at or above that is out of range. */
constexpr int kFdsetIncr = 32 + 96;
constexpr int kDefaultMaxclients = 10000;
constexpr int EOP_MAXCLIENTS = 1301;  // () -> maxclients (src/modules/server-events.ts)

/** One watched fd: a read and a write callback sharing one user_data, as in Valkey. */
struct FdEvent {
    int fd = -1;
    int mask = 0;  // VALKEYMODULE_EVENTLOOP_* currently watched
    ValkeyModuleEventLoopFunc rFunc = nullptr;
    ValkeyModuleEventLoopFunc wFunc = nullptr;
    void *userData = nullptr;
    uv_poll_t *poll = nullptr;
};

std::unordered_map<int, FdEvent *> g_fds;

struct OneShot {
    ValkeyModuleEventLoopOneShotFunc func;
    void *data;
};
std::mutex g_oneshot_mu;
std::deque<OneShot> g_oneshots;
uv_async_t *g_async = nullptr;

uv_prepare_t *g_prepare = nullptr;
uv_check_t *g_check = nullptr;

std::thread::id g_js_thread;
bool g_js_thread_known = false;

bool on_js() {
#ifdef VMHOST_HAVE_GIL
    return on_js_thread();
#else
    return g_js_thread_known && std::this_thread::get_id() == g_js_thread;
#endif
}

/** The fd limit (maxclients + 128); maxclients asked from the engine when possible. */
int setsize() {
    int maxclients = kDefaultMaxclients;
    Host *h = g_current_host;
    if (h && on_js() && !h->keyHook.IsEmpty()) {
        Napi::HandleScope scope(h->env);
        Napi::Value v = key_op(h, EOP_MAXCLIENTS, 0, nullptr);
        if (v.IsNumber()) maxclients = v.As<Napi::Number>().Int32Value();
    }
    return maxclients + kFdsetIncr;
}

int uv_events_of(int mask) {
    int e = 0;
    if (mask & VALKEYMODULE_EVENTLOOP_READABLE) e |= UV_READABLE;
    if (mask & VALKEYMODULE_EVENTLOOP_WRITABLE) e |= UV_WRITABLE;
    return e;
}

void free_fd_event(FdEvent *e) {
    if (e->poll) {
        uv_poll_stop(e->poll);
        e->poll->data = nullptr;
        uv_close(reinterpret_cast<uv_handle_t *>(e->poll), [](uv_handle_t *h) { delete reinterpret_cast<uv_poll_t *>(h); });
    }
    delete e;
}

/** Calls the fd's callbacks for the fired mask (read first, then write if still wanted). */
void dispatch_fd(int fd, int fired, bool fromLoop) {
    auto it = g_fds.find(fd);
    if (it == g_fds.end()) return;
    FdEvent *e = it->second;
    fired &= e->mask;
    if (!fired) return;
    LoopCallbackScope js(nullptr, fromLoop);
    if ((fired & VALKEYMODULE_EVENTLOOP_READABLE) && e->rFunc) {
        ValkeyModuleEventLoopFunc f = e->rFunc;
        void *ud = e->userData;
        ModuleUnitScope unit(module_of_function(reinterpret_cast<const void *>(f)).host);
        f(fd, ud, fired);
    }
    // The read callback may have deleted or changed the registration.
    it = g_fds.find(fd);
    if (it == g_fds.end()) return;
    e = it->second;
    if ((fired & VALKEYMODULE_EVENTLOOP_WRITABLE) && (e->mask & VALKEYMODULE_EVENTLOOP_WRITABLE) && e->wFunc) {
        ValkeyModuleEventLoopFunc f = e->wFunc;
        void *ud = e->userData;
        ModuleUnitScope unit(module_of_function(reinterpret_cast<const void *>(f)).host);
        f(fd, ud, fired);
    }
}

void on_poll(uv_poll_t *p, int status, int events) {
    if (!p->data) return;
    int fd = static_cast<int>(reinterpret_cast<intptr_t>(p->data)) - 1;
    int fired = 0;
    if (status < 0) {
        fired = VALKEYMODULE_EVENTLOOP_READABLE | VALKEYMODULE_EVENTLOOP_WRITABLE;  // errors wake both, as epoll
    } else {
        if (events & (UV_READABLE | UV_DISCONNECT)) fired |= VALKEYMODULE_EVENTLOOP_READABLE;
        if (events & UV_WRITABLE) fired |= VALKEYMODULE_EVENTLOOP_WRITABLE;
    }
    dispatch_fd(fd, fired, true);
}

void on_async(uv_async_t *) { eventloop_run_oneshots(true); }

void fire_sleep_event(uint64_t sub) { events_fire_all_hosts(VALKEYMODULE_EVENT_EVENTLOOP, sub); }

void on_prepare(uv_prepare_t *) { fire_sleep_event(VALKEYMODULE_SUBEVENT_EVENTLOOP_BEFORE_SLEEP); }
void on_check(uv_check_t *) { fire_sleep_event(VALKEYMODULE_SUBEVENT_EVENTLOOP_AFTER_SLEEP); }

}  // namespace

void yield_serve_clients(ValkeyModuleCtx *ctx, int flags, const char *busy_reply);  // api/yield.cc

void eventloop_init(uv_loop_t *loop) {
    if (g_async || !loop) return;
    g_js_thread = std::this_thread::get_id();
    g_js_thread_known = true;
    g_async = new uv_async_t;
    uv_async_init(loop, g_async, on_async);
    uv_unref(reinterpret_cast<uv_handle_t *>(g_async));
}

int eventloop_run_oneshots(bool fromLoop) {
    int ran = 0;
    std::unique_lock<std::mutex> lk(g_oneshot_mu);
    while (!g_oneshots.empty()) {
        OneShot o = g_oneshots.front();
        g_oneshots.pop_front();
        // Unlocked while the callback runs: it may queue another one-shot.
        lk.unlock();
        {
            LoopCallbackScope js(nullptr, fromLoop);
            ModuleUnitScope unit(module_of_function(reinterpret_cast<const void *>(o.func)).host);
            o.func(o.data);
        }
        ran++;
        lk.lock();
    }
    return ran;
}

void eventloop_forget(Host *h, Module *m) {
    (void)h;
    if (!m || !m->handle) return;
    for (auto it = g_fds.begin(); it != g_fds.end();) {
        FdEvent *e = it->second;
        bool mine = (e->rFunc && module_of_function(reinterpret_cast<const void *>(e->rFunc)).module == m) ||
                    (e->wFunc && module_of_function(reinterpret_cast<const void *>(e->wFunc)).module == m);
        if (mine) {
            free_fd_event(e);
            it = g_fds.erase(it);
        } else {
            ++it;
        }
    }
    std::lock_guard<std::mutex> g(g_oneshot_mu);
    for (auto it = g_oneshots.begin(); it != g_oneshots.end();) {
        if (module_of_function(reinterpret_cast<const void *>(it->func)).module == m) it = g_oneshots.erase(it);
        else ++it;
    }
}

void eventloop_sleep_hooks(bool on) {
    if (on) {
        uv_loop_t *loop = events_loop(g_current_host);
        if (!g_prepare) {
            g_prepare = new uv_prepare_t;
            uv_prepare_init(loop, g_prepare);
            uv_unref(reinterpret_cast<uv_handle_t *>(g_prepare));
            g_check = new uv_check_t;
            uv_check_init(loop, g_check);
            uv_unref(reinterpret_cast<uv_handle_t *>(g_check));
        }
        uv_prepare_start(g_prepare, on_prepare);
        uv_check_start(g_check, on_check);
    } else if (g_prepare) {
        uv_prepare_stop(g_prepare);
        uv_check_stop(g_check);
    }
}

}  // namespace vmhost

/** Watches `fd` for `mask` (READABLE 1, WRITABLE 2, or both) and calls `func(fd, user_data,
 *  fired_mask)` on the JS thread when it is ready. Adding again adds to the watched mask
 *  (the user_data is replaced). ERR with errno ERANGE for fd < 0 or >= maxclients + 128,
 *  EINVAL for a NULL func or unknown mask bits; errno 0 on success. */
extern "C" int VM_EventLoopAdd(int fd, int mask, ValkeyModuleEventLoopFunc func, void *user_data) {
    if (fd < 0 || fd >= setsize()) {
        errno = ERANGE;
        return VALKEYMODULE_ERR;
    }
    if (!func || (mask & ~(VALKEYMODULE_EVENTLOOP_READABLE | VALKEYMODULE_EVENTLOOP_WRITABLE))) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    FdEvent *e;
    auto it = g_fds.find(fd);
    bool fresh = it == g_fds.end();
    if (fresh) {
        e = new FdEvent();
        e->fd = fd;
        e->poll = new uv_poll_t;
        int rc = uv_poll_init(events_loop(g_current_host), e->poll, fd);
        if (rc != 0) {
            delete e->poll;
            e->poll = nullptr;
            delete e;
            errno = -rc;
            return VALKEYMODULE_ERR;
        }
        e->poll->data = reinterpret_cast<void *>(static_cast<intptr_t>(fd) + 1);
    } else {
        e = it->second;
    }
    int newMask = e->mask | mask;
    if (newMask != 0) {
        int rc = uv_poll_start(e->poll, uv_events_of(newMask), on_poll);
        if (rc != 0) {
            if (fresh) free_fd_event(e);
            errno = -rc;
            return VALKEYMODULE_ERR;
        }
    }
    e->mask = newMask;
    e->userData = user_data;
    if (mask & VALKEYMODULE_EVENTLOOP_READABLE) e->rFunc = func;
    if (mask & VALKEYMODULE_EVENTLOOP_WRITABLE) e->wFunc = func;
    if (fresh) g_fds[fd] = e;
    errno = 0;
    return VALKEYMODULE_OK;
}

/** Stops watching `fd` for `mask`; when nothing is left the registration is dropped.
 *  Deleting an fd that is not watched is OK. ERR with errno ERANGE (fd out of range) or
 *  EINVAL (unknown mask bits); errno 0 on success. */
extern "C" int VM_EventLoopDel(int fd, int mask) {
    if (fd < 0 || fd >= setsize()) {
        errno = ERANGE;
        return VALKEYMODULE_ERR;
    }
    if (mask & ~(VALKEYMODULE_EVENTLOOP_READABLE | VALKEYMODULE_EVENTLOOP_WRITABLE)) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    auto it = g_fds.find(fd);
    if (it != g_fds.end()) {
        FdEvent *e = it->second;
        e->mask &= ~mask;
        if (e->mask == 0) {
            free_fd_event(e);
            g_fds.erase(it);
        } else {
            uv_poll_start(e->poll, uv_events_of(e->mask), on_poll);
        }
    }
    errno = 0;
    return VALKEYMODULE_OK;
}

/** Queues `func(user_data)` to run once on the JS thread; callable from any thread. ERR
 *  with errno EINVAL for a NULL func; errno 0 on success. */
extern "C" int VM_EventLoopAddOneShot(ValkeyModuleEventLoopOneShotFunc func, void *user_data) {
    if (!func) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    {
        std::lock_guard<std::mutex> g(g_oneshot_mu);
        g_oneshots.push_back({func, user_data});
    }
    if (g_async) uv_async_send(g_async);
    errno = 0;
    return VALKEYMODULE_OK;
}

/** Lets the host do background work during a long module command. On the JS thread it runs
 *  queued one-shot events and the callbacks of module fds that are ready now; with
 *  VALKEYMODULE_YIELD_FLAG_CLIENTS, once the command has run longer than busy-reply-threshold
 *  (or while a dataset loads), it also serves other clients, who get `-BUSY <busy_reply>`
 *  (Valkey's default text when NULL) or -LOADING, allow-busy core commands still running
 *  (api/yield.cc). Nested calls and calls off the JS thread do nothing. */
extern "C" void VM_Yield(ValkeyModuleCtx *ctx, int flags, const char *busy_reply) {
    static int nesting = 0;
    if (nesting || !on_js()) return;
    nesting++;
    eventloop_run_oneshots(false);
    if (!g_fds.empty()) {
        std::vector<struct pollfd> pfds;
        for (auto &kv : g_fds) {
            short ev = 0;
            if (kv.second->mask & VALKEYMODULE_EVENTLOOP_READABLE) ev |= POLLIN;
            if (kv.second->mask & VALKEYMODULE_EVENTLOOP_WRITABLE) ev |= POLLOUT;
            pfds.push_back({kv.first, ev, 0});
        }
        if (poll(pfds.data(), pfds.size(), 0) > 0) {
            for (const struct pollfd &p : pfds) {
                int fired = 0;
                if (p.revents & (POLLIN | POLLHUP | POLLERR)) fired |= VALKEYMODULE_EVENTLOOP_READABLE;
                if (p.revents & (POLLOUT | POLLERR)) fired |= VALKEYMODULE_EVENTLOOP_WRITABLE;
                if (fired) dispatch_fd(p.fd, fired, false);
            }
        }
    }
    yield_serve_clients(ctx, flags, busy_reply);
    nesting--;
}
