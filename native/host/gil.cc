// The global lock and the module-thread -> JS-thread request bridge (see gil.h).
//
// State (all under Gil::m):
//   owner     NONE, JS (the JS thread, or an unlock hand-off the JS thread finishes) or
//             THREAD (module thread `holder`)
//   queue     requests from module threads, served FIFO by the JS thread
//   jsWaiting the JS thread waits for the lock: module threads let it go first
//   jsServing the JS thread is in a serve loop (no uv_async wake-up needed)
// JS-thread-only: jsDepth (re-entrant lock depth, also counting "running a request on the
// holder's behalf"), unitHosts (engines whose execution unit the holder's session opened).
//
// Why this cannot deadlock:
//  1. A module thread waits for exactly two things: the lock (cvLock) and its own request
//     (cvDone). It never holds Gil::m while running module or engine code.
//  2. The JS thread never waits without serving: in gil_js_acquire and in the uv_async
//     callback it sleeps on cvJs only while the queue is empty, and every enqueue notifies
//     cvJs (and sends the async wake-up when the JS thread is not in a serve loop).
//  3. A request is only waited for by its sender. The lock holder's request is served either
//     by the JS thread already parked in gil_js_acquire / the serve loop, or by the async
//     callback, which the event loop runs as soon as the JS thread is idle. The JS thread is
//     never inside a command while a module thread holds the lock (commands hold the lock),
//     so "idle" arrives. Engine code a request runs on the JS thread sees jsDepth > 0 and
//     re-enters the lock without waiting (the holder is waiting for it, not competing).
//  4. The lock holder therefore always progresses, eventually unlocks, and the next waiter
//     (the JS thread first) gets the lock. The JS thread releases the lock at the end of
//     every command / unit; it never waits for a module thread while it holds the lock
//     (unless module code itself does so, which deadlocks Valkey as well).
#include "gil.h"

#include <uv.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "context.h"
#include "host.h"
#include "key.h"

namespace vmhost {

volatile int32_t g_gil_used = 0;

namespace {

struct Request {
    void (*fn)(void *) = nullptr;
    void *arg = nullptr;
    Host *host = nullptr;
    void (*cleanup)(void *) = nullptr;  // posted requests: frees arg after the run
    bool posted = false;      // nobody waits: deleted once run
    bool fromHolder = false;  // the sender held the lock when it sent the request
    bool endUnit = false;     // the unlock hand-off: close the units, then free the lock
    bool done = false;
    bool ran = false;
};

enum class Owner { NONE, JS, THREAD };

struct Gil {
    std::mutex m;
    std::condition_variable cvLock;  // module threads waiting for the lock
    std::condition_variable cvDone;  // module threads waiting for their request
    std::condition_variable cvJs;    // the JS thread waiting for requests / a free lock
    Owner owner = Owner::NONE;
    std::thread::id holder;
    bool unitOpen = false;           // the holder's session opened engine units
    int jsWaiting = 0;
    bool jsServing = false;
    int lockWaiters = 0;
    bool shutdown = false;
    std::deque<Request *> queue;
    uv_async_t *async = nullptr;
    napi_env env = nullptr;
    napi_async_context asyncCtx = nullptr;
    Host *sessionHost = nullptr;     // last engine the holder's session used (JS thread)
};

// Never destroyed: module threads may still be waiting on it while the process exits.
Gil &gil() {
    static Gil *g = new Gil();
    return *g;
}

std::thread::id g_js_thread_id;
bool g_js_thread_known = false;
int jsDepth = 0;                    // JS thread only
std::vector<Host *> liveHosts;      // JS thread only: engines, creation order
std::vector<Host *> unitHosts;      // JS thread only

void mark_used() {
    if (!g_gil_used) __atomic_store_n(&g_gil_used, 1, __ATOMIC_RELEASE);
}

void wake_js() {
    Gil &g = gil();
    if (g.async) uv_async_send(g.async);
}

/** Opens the execution unit of `h` for the holder's session (JS thread). */
void open_unit(Host *h) {
    for (Host *x : unitHosts)
        if (x == h) return;
    unitHosts.push_back(h);
    {
        std::lock_guard<std::mutex> lk(gil().m);
        gil().unitOpen = true;
    }
    Napi::HandleScope scope(h->env);
    key_op(h, KOP_UNIT_BEGIN, 0, nullptr);
}

/** Closes every unit the holder's session opened (JS thread). */
void close_units() {
    std::vector<Host *> hosts;
    hosts.swap(unitHosts);
    for (Host *h : hosts) {
        CurrentHostScope cur(h);
        Napi::HandleScope scope(h->env);
        key_op(h, KOP_UNIT_END, 0, nullptr);
    }
}

/** Runs one request on the JS thread (Gil::m not held). */
void execute(Request *r) {
    jsDepth++;  // engine code below re-enters the lock without waiting
    try {
        if (r->endUnit) {
            close_units();
            gil().sessionHost = nullptr;
        } else {
            Host *h = r->host;
            if (!h && r->fromHolder) h = gil().sessionHost;
            if (!h && !liveHosts.empty()) h = liveHosts.back();
            if (r->fromHolder && h) {
                gil().sessionHost = h;
                open_unit(h);
            }
            CurrentHostScope cur(h ? h : g_current_host);
            if (h) {
                Napi::HandleScope scope(h->env);
                r->fn(r->arg);
            } else {
                r->fn(r->arg);
            }
        }
        r->ran = true;
    } catch (...) {
        // A JS exception escaping an API call is an engine bug; the caller gets no result.
    }
    jsDepth--;
}

/**
 * The JS thread's serve loop (called with `lk` held): runs queued requests until `stop()`
 * holds with an empty queue. Requests of a thread that does not hold the lock (undefined in
 * Valkey) run as their own unit when the lock is free, else inside the holder's session.
 */
template <typename Stop>
void serve(std::unique_lock<std::mutex> &lk, Stop stop) {
    Gil &g = gil();
    bool wasServing = g.jsServing;
    g.jsServing = true;
    for (;;) {
        if (!g.queue.empty()) {
            Request *r = g.queue.front();
            g.queue.pop_front();
            bool standalone = !r->fromHolder && !r->endUnit && g.owner == Owner::NONE;
            if (standalone) g.owner = Owner::JS;
            lk.unlock();
            if (standalone) {
                // Not under anyone's lock: the JS thread takes it (owner set above) and runs
                // the call as a unit of its own.
                Host *h = r->host;
                jsDepth++;
                if (h) {
                    Napi::HandleScope scope(h->env);
                    key_op(h, KOP_UNIT_BEGIN, 0, nullptr);
                }
                execute(r);
                if (h) {
                    Napi::HandleScope scope(h->env);
                    key_op(h, KOP_UNIT_END, 0, nullptr);
                }
                jsDepth--;
            } else {
                execute(r);
            }
            lk.lock();
            if (standalone || r->endUnit) {
                g.owner = Owner::NONE;
                g.unitOpen = false;
                g.cvLock.notify_one();
            }
            if (r->endUnit) {
                delete r;
            } else if (r->posted) {
                lk.unlock();
                if (r->cleanup) r->cleanup(r->arg);
                delete r;
                lk.lock();
            } else {
                r->done = true;
                g.cvDone.notify_all();
            }
            continue;
        }
        if (stop() || g.shutdown) break;
        g.cvJs.wait(lk);
    }
    g.jsServing = wasServing;
}

void on_async(uv_async_t *) {
    Gil &g = gil();
    if (!g.env) return;
    napi_handle_scope hs;
    if (napi_open_handle_scope(g.env, &hs) != napi_ok) return;
    napi_callback_scope cs = nullptr;
    napi_value resource;
    napi_create_object(g.env, &resource);
    napi_open_callback_scope(g.env, resource, g.asyncCtx, &cs);
    {
        std::unique_lock<std::mutex> lk(g.m);
        // Serve while a module thread holds the lock (the JS thread is "parked waiting for
        // the GIL"); return to the event loop once it is free.
        serve(lk, [&] { return g.owner != Owner::THREAD; });
    }
    if (cs) napi_close_callback_scope(g.env, cs);
    napi_close_handle_scope(g.env, hs);
}

void on_env_cleanup(void *) {
    Gil &g = gil();
    std::lock_guard<std::mutex> lk(g.m);
    g.shutdown = true;
    for (Request *r : g.queue) {
        if (r->endUnit || r->posted) {
            delete r;  // a posted request's arg leaks: the process is going away
        } else {
            r->done = true;
        }
    }
    g.queue.clear();
    g.cvDone.notify_all();
    g.cvLock.notify_all();
    if (g.async) {
        uv_close(reinterpret_cast<uv_handle_t *>(g.async), [](uv_handle_t *h) { delete reinterpret_cast<uv_async_t *>(h); });
        g.async = nullptr;
    }
    if (g.asyncCtx) {
        napi_async_destroy(g.env, g.asyncCtx);
        g.asyncCtx = nullptr;
    }
    g.env = nullptr;
}

}  // namespace

bool on_js_thread() {
    return g_js_thread_known && std::this_thread::get_id() == g_js_thread_id;
}

void gil_init(napi_env env) {
    Gil &g = gil();
    if (g.env) return;
    g_js_thread_id = std::this_thread::get_id();
    g_js_thread_known = true;
    g.env = env;
    uv_loop_t *loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    if (loop) {
        g.async = new uv_async_t();
        uv_async_init(loop, g.async, on_async);
        // Never keeps Node alive: a waiting module thread does not block process exit.
        uv_unref(reinterpret_cast<uv_handle_t *>(g.async));
    }
    napi_value name;
    napi_create_string_utf8(env, "vmhost.gil", NAPI_AUTO_LENGTH, &name);
    napi_async_init(env, nullptr, name, &g.asyncCtx);
    napi_add_env_cleanup_hook(env, on_env_cleanup, nullptr);
}

void gil_js_acquire() {
    if (jsDepth++ > 0) return;
    Gil &g = gil();
    std::unique_lock<std::mutex> lk(g.m);
    if (g.owner != Owner::NONE && !g.shutdown) {
        g.jsWaiting++;
        serve(lk, [&] { return g.owner == Owner::NONE; });
        g.jsWaiting--;
    }
    g.owner = Owner::JS;
}

void gil_js_release() {
    if (jsDepth <= 0) return;
    if (--jsDepth > 0) return;
    Gil &g = gil();
    bool pending;
    {
        std::lock_guard<std::mutex> lk(g.m);
        g.owner = Owner::NONE;
        if (g.lockWaiters) g.cvLock.notify_one();
        pending = !g.queue.empty();
    }
    // Requests of threads that do not hold the lock wait for a free lock: serve them now.
    if (pending) wake_js();
}

EngineUnitScope::EngineUnitScope(Host *h) : host(h) {
    bool outer = jsDepth == 0;
    gil_js_acquire();
    if (outer && h) {
        opened = true;
        Napi::HandleScope scope(h->env);
        key_op(h, KOP_UNIT_BEGIN, 0, nullptr);
    }
}

EngineUnitScope::~EngineUnitScope() {
    if (opened) {
        Napi::HandleScope scope(host->env);
        key_op(host, KOP_UNIT_END, 0, nullptr);
    }
    gil_js_release();
}

void gil_thread_lock() {
    if (on_js_thread()) {
        gil_js_acquire();
        return;
    }
    mark_used();
    Gil &g = gil();
    std::unique_lock<std::mutex> lk(g.m);
    g.lockWaiters++;
    g.cvLock.wait(lk, [&] { return g.shutdown || (g.owner == Owner::NONE && g.jsWaiting == 0); });
    g.lockWaiters--;
    if (g.shutdown) return;
    g.owner = Owner::THREAD;
    g.holder = std::this_thread::get_id();
    g.unitOpen = false;
}

bool gil_thread_trylock() {
    if (on_js_thread()) {
        // The JS thread holding the lock finds it busy, as a second pthread_mutex_trylock would.
        if (jsDepth > 0) return false;
        gil_js_acquire();
        return true;
    }
    mark_used();
    Gil &g = gil();
    std::lock_guard<std::mutex> lk(g.m);
    if (g.shutdown || g.owner != Owner::NONE || g.jsWaiting) return false;
    g.owner = Owner::THREAD;
    g.holder = std::this_thread::get_id();
    g.unitOpen = false;
    return true;
}

void gil_thread_unlock() {
    if (on_js_thread()) {
        gil_js_release();
        return;
    }
    Gil &g = gil();
    bool wake = false;
    {
        std::lock_guard<std::mutex> lk(g.m);
        if (g.owner != Owner::THREAD || g.holder != std::this_thread::get_id()) return;
        g.holder = std::thread::id();
        if (g.unitOpen && !g.shutdown) {
            // Hand the lock to the JS thread: it closes the units (propagation, ready keys)
            // and then frees the lock; this thread does not wait for it.
            g.owner = Owner::JS;
            Request *r = new Request();
            r->endUnit = true;
            g.queue.push_back(r);
            g.cvJs.notify_one();
            wake = !g.jsServing;
        } else {
            g.owner = Owner::NONE;
            g.unitOpen = false;
            if (g.lockWaiters) g.cvLock.notify_one();
            g.cvJs.notify_one();
        }
    }
    if (wake) wake_js();
}

bool run_on_js(Host *host, void (*fn)(void *), void *arg) {
    if (on_js_thread()) {
        fn(arg);
        return true;
    }
    mark_used();
    Gil &g = gil();
    Request r;
    r.fn = fn;
    r.arg = arg;
    r.host = host;
    bool wake;
    {
        std::unique_lock<std::mutex> lk(g.m);
        if (g.shutdown || !g.env) return false;
        r.fromHolder = g.owner == Owner::THREAD && g.holder == std::this_thread::get_id();
        g.queue.push_back(&r);
        g.cvJs.notify_one();
        wake = !g.jsServing;
    }
    if (wake) wake_js();
    std::unique_lock<std::mutex> lk(g.m);
    g.cvDone.wait(lk, [&] { return r.done; });
    return r.ran;
}

void post_to_js(Host *host, void (*fn)(void *), void *arg, void (*done)(void *)) {
    if (on_js_thread()) {
        fn(arg);
        if (done) done(arg);
        return;
    }
    mark_used();
    Gil &g = gil();
    Request *r = new Request();
    r->fn = fn;
    r->arg = arg;
    r->cleanup = done;
    r->host = host;
    r->posted = true;
    bool wake;
    {
        std::lock_guard<std::mutex> lk(g.m);
        if (g.shutdown || !g.env) {
            delete r;
            if (done) done(arg);
            return;
        }
        r->fromHolder = g.owner == Owner::THREAD && g.holder == std::this_thread::get_id();
        g.queue.push_back(r);
        g.cvJs.notify_one();
        wake = !g.jsServing;
    }
    if (wake) wake_js();
}

void gil_post_log(void *impl, const void *p, const char *level, const char *msg) {
    const ValkeyModuleCtx *ctx = static_cast<const ValkeyModuleCtx *>(p);
    struct Line {
        void *impl;
        Host *host;
        Module *module;
        std::string level;
        bool hasLevel;
        std::string msg;
    };
    auto *l = new Line{impl, ctx ? ctx->host : nullptr, ctx ? ctx->module : nullptr, level ? level : "", level != nullptr,
                       msg ? msg : ""};
    post_to_js(
        l->host,
        [](void *q) {
            auto *line = static_cast<Line *>(q);
            using LogFn = void (*)(ValkeyModuleCtx *, const char *, const char *, ...);
            ValkeyModuleCtx tmp;
            ctx_init(&tmp, line->host, line->module, 0);
            reinterpret_cast<LogFn>(line->impl)(line->host ? &tmp : nullptr, line->hasLevel ? line->level.c_str() : nullptr,
                                                "%s", line->msg.c_str());
            ctx_finish(&tmp);
        },
        l, [](void *q) { delete static_cast<Line *>(q); });
}

std::atomic<Host *> g_default_host{nullptr};

Host *gil_default_host() { return g_default_host.load(std::memory_order_acquire); }

void gil_ts_ctx_fix_host(void *p) {
    ValkeyModuleCtx *ctx = static_cast<ValkeyModuleCtx *>(p);
    if (ctx && !ctx->host) ctx->host = gil_default_host();
}

bool gil_ctx_needs_js(const void *p) {
    const ValkeyModuleCtx *ctx = static_cast<const ValkeyModuleCtx *>(p);
    if (!ctx) return false;
    for (const AutoEntry &e : ctx->autoMemory)
        if (e.ptr && e.kind == AutoKind::Key) return true;
    return false;
}

void gil_host_created(Host *h) {
    liveHosts.push_back(h);
    g_default_host.store(h, std::memory_order_release);
}

void gil_host_destroyed(Host *h) {
    for (size_t i = 0; i < liveHosts.size(); i++)
        if (liveHosts[i] == h) liveHosts.erase(liveHosts.begin() + static_cast<long>(i--));
    for (size_t i = 0; i < unitHosts.size(); i++)
        if (unitHosts[i] == h) unitHosts.erase(unitHosts.begin() + static_cast<long>(i--));
    if (gil().sessionHost == h) gil().sessionHost = nullptr;
    g_default_host.store(liveHosts.empty() ? nullptr : liveHosts.back(), std::memory_order_release);
}

Host *gil_host_of_ctx(const void *ctx) {
    return ctx ? static_cast<const ValkeyModuleCtx *>(ctx)->host : nullptr;
}

Host *gil_host_of_key(const void *key) {
    const ValkeyModuleKey *k = static_cast<const ValkeyModuleKey *>(key);
    return k && k->ctx ? k->ctx->host : nullptr;
}

}  // namespace vmhost
