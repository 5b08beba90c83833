// The global lock (Valkey's "GIL") and the bridge that lets module threads use the engine.
//
// Only the JS thread may touch TypeScript state (and V8). The lock has Valkey's meaning:
// whoever holds it may use the engine. The JS thread holds it while it runs commands,
// timers and events (re-entrantly, with a depth counter) and leaves it free while idle; a
// module thread takes it with ThreadSafeContextLock. An API call that needs the engine made
// on a module thread is *marshalled*: queued as a request, the JS thread is woken (uv_async)
// and runs the call on the module thread's behalf while that thread waits for the result.
// Calls a module thread makes under the lock form one engine execution unit (propagated as
// one MULTI/EXEC when they write more than once), closed by ThreadSafeContextUnlock.
//
// See gil.cc for the state machine and why it cannot deadlock.
#pragma once
#include <node_api.h>

#include <cstdarg>
#include <cstdint>

namespace vmhost {

class Host;

/** True on the JS thread (the thread that loaded the addon). */
bool on_js_thread();

/** JS thread: takes the global lock (re-entrant on the JS thread). While a module thread holds
 *  the lock this waits, serving that thread's engine requests meanwhile. */
void gil_js_acquire();
/** JS thread: releases one level of gil_js_acquire; the outermost release frees the lock. */
void gil_js_release();

/** RAII form of gil_js_acquire / gil_js_release. */
struct JsLockScope {
    JsLockScope() { gil_js_acquire(); }
    ~JsLockScope() { gil_js_release(); }
    JsLockScope(const JsLockScope &) = delete;
    JsLockScope &operator=(const JsLockScope &) = delete;
};

/**
 * Module code running on the JS thread outside a command (a timer, a server event, a
 * blocked-client callback, a one-shot event): holds the lock and opens an engine execution
 * unit (time frozen, propagation wrapped in MULTI/EXEC when needed, ready keys served at the
 * end). Nested inside a running command or unit it only takes the lock (re-entrantly).
 */
struct EngineUnitScope {
    explicit EngineUnitScope(Host *h);
    ~EngineUnitScope();
    EngineUnitScope(const EngineUnitScope &) = delete;
    EngineUnitScope &operator=(const EngineUnitScope &) = delete;
    Host *host;
    bool opened = false;  // this scope called the engine's beginUnit
};

/** Key bridge operations of the lock (src/modules/key-ops-units.ts). */
enum UnitOp {
    KOP_UNIT_BEGIN = 1000,  // () -> engine.beginUnit()
    KOP_UNIT_END = 1001,    // () -> engine.endUnit()
};

/** Module thread (ThreadSafeContextLock): blocks until the lock is free, then holds it. On the
 *  JS thread it is gil_js_acquire (re-entrant: it never deadlocks the JS thread). */
void gil_thread_lock();
/** ThreadSafeContextTryLock: true when the lock was taken, false (errno EBUSY) when busy. */
bool gil_thread_trylock();
/** ThreadSafeContextUnlock: ends the execution unit the thread's calls opened (on the JS
 *  thread) and frees the lock. No-op when the calling thread does not hold it. */
void gil_thread_unlock();

/**
 * Runs fn(arg) on the JS thread on behalf of the calling thread and waits for it: directly
 * when called on the JS thread, else as a marshalled request. `host` (may be null) is the
 * engine the call is for: it becomes g_current_host while fn runs and, when the caller holds
 * the lock, its execution unit is opened. Returns false when fn could not run (the addon is
 * shutting down); fn's results are then left untouched.
 */
bool run_on_js(Host *host, void (*fn)(void *), void *arg);

/** Same, for any callable. */
template <typename F>
bool run_on_js_fn(Host *host, F &&f) {
    return run_on_js(host, [](void *p) { (*static_cast<F *>(p))(); }, &f);
}

/** Queues fn(arg) to run on the JS thread and returns at once (fire and forget: logging from
 *  module threads, which must not wait for a JS thread that may be waiting for them). `done`
 *  (may be null) runs after fn, on the JS thread, to free arg. Runs inline on the JS thread. */
void post_to_js(Host *host, void (*fn)(void *), void *arg, void (*done)(void *));

/** A thread-safe context made on a module thread with no engine in sight (GetThreadSafeContext
 *  (NULL) while the JS thread is idle) belongs to the most recent live engine. */
Host *gil_default_host();

/** A thread-safe context made on a module thread: gives it the default engine when it got none. */
void gil_ts_ctx_fix_host(void *ctx);

/** Whether releasing this context's AutoMemory needs the engine (open keys). */
bool gil_ctx_needs_js(const void *ctx);

/** ValkeyModule_Log from a module thread: posts `impl(ctx', level, "%s", msg)` to the JS thread,
 *  ctx' a temporary context of ctx's engine and module (ctx itself may be gone by then). */
void gil_post_log(void *impl, const void *ctx, const char *level, const char *msg);

/** ValkeyModule_Log / LogIOError with a va_list (api/logging.cc), for the JS-thread path of
 *  their trampolines: a line below the loglevel is dropped without being formatted. */
void log_ctx_v(const void *ctx, const char *level, const char *fmt, va_list ap);
void log_io_v(const void *io, const char *level, const char *fmt, va_list ap);

/** Addon start (JS thread): records the JS thread, creates the (unref'd) wake-up handle and
 *  registers the shutdown hook. Safe to call more than once. */
void gil_init(napi_env env);

/** Set once any module thread used the lock or the bridge; TypeScript reads it (one int32)
 *  to decide whether top-level commands must take the lock. */
extern volatile int32_t g_gil_used;

/** GetApi, for an API row of kind API (native/api/table_list.h): the pointer to hand a module
 *  for `name` ("ValkeyModule_X"/"RedisModule_X") implemented by `fn`, a trampoline that
 *  marshals calls made on module threads to the JS thread. ANY rows never come here; an
 *  unknown name gets `fn` back. */
void *gil_wrap_api(const char *name, void *fn);

/** Host construction / destruction (host.cc): a marshalled call with no context of its own
 *  (GetThreadSafeContext(NULL) on a module thread) is for the most recent live engine. */
void gil_host_created(Host *h);
void gil_host_destroyed(Host *h);

/** The engine (host) a context / key belongs to (gil.cc; used by the trampolines). */
Host *gil_host_of_ctx(const void *ctx);
Host *gil_host_of_key(const void *key);

}  // namespace vmhost
