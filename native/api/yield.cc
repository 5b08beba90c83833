// The client-serving half of ValkeyModule_Yield (VM_Yield itself is in api/eventloop.cc).
//
// When a long module command yields with VALKEYMODULE_YIELD_FLAG_CLIENTS and has run longer
// than busy-reply-threshold (or a dataset is loading), the engine is told to refuse other
// clients' commands (-BUSY, or -LOADING while loading; src/modules/key-ops-yield.ts) and
// Node's libuv loop is run once without waiting, from inside the native call, so sockets
// are read and those clients answered. Like Valkey's processEventsWhileBlocked, only I/O is
// processed: timers, immediates and the prepare/check/idle hooks are paused meanwhile (no
// active expiry, module timers or JS timers run in the middle of a command).
#include <uv.h>

#include <vector>

#include "../host/context.h"
#include "../host/events.h"
#include "../host/host.h"
#include "../host/key.h"

using namespace vmhost;

namespace vmhost {

namespace {

constexpr int YOP_BEGIN = 1500;  // (clientId, flags, busy_reply) -> true: run the loop now
constexpr int YOP_END = 1501;    // () -> the nested run is over

/** A handle paused for the nested run, and what restarts it. */
struct Paused {
    uv_handle_t *handle;
    uint64_t due;     // timers: absolute loop time of expiry
    uint64_t repeat;  // timers: repeat interval
};

void collect_active(uv_handle_t *h, void *arg) {
    if (!uv_is_active(h) || uv_is_closing(h)) return;
    uv_handle_type t = uv_handle_get_type(h);
    if (t != UV_TIMER && t != UV_CHECK && t != UV_PREPARE && t != UV_IDLE) return;
    auto *out = static_cast<std::vector<Paused> *>(arg);
    Paused p{h, 0, 0};
    if (t == UV_TIMER) {
        auto *tm = reinterpret_cast<uv_timer_t *>(h);
        p.due = uv_now(uv_handle_get_loop(h)) + uv_timer_get_due_in(tm);
        p.repeat = uv_timer_get_repeat(tm);
    }
    out->push_back(p);
}

/** Stops every active timer, check, prepare and idle handle of `loop`; returns them. */
std::vector<Paused> pause_non_io(uv_loop_t *loop) {
    std::vector<Paused> paused;
    uv_walk(loop, collect_active, &paused);
    for (Paused &p : paused) {
        switch (uv_handle_get_type(p.handle)) {
            case UV_TIMER: uv_timer_stop(reinterpret_cast<uv_timer_t *>(p.handle)); break;
            case UV_CHECK: uv_check_stop(reinterpret_cast<uv_check_t *>(p.handle)); break;
            case UV_PREPARE: uv_prepare_stop(reinterpret_cast<uv_prepare_t *>(p.handle)); break;
            case UV_IDLE: uv_idle_stop(reinterpret_cast<uv_idle_t *>(p.handle)); break;
            default: break;
        }
    }
    return paused;
}

/** Restarts what pause_non_io stopped, unless the nested run restarted or closed it. A timer
 *  keeps its original expiry (one already due fires on the next loop iteration). */
void resume_non_io(uv_loop_t *loop, std::vector<Paused> &paused) {
    uint64_t now = uv_now(loop);
    for (Paused &p : paused) {
        uv_handle_t *h = p.handle;
        if (uv_is_closing(h) || uv_is_active(h)) continue;
        switch (uv_handle_get_type(h)) {
            case UV_TIMER: {
                auto *tm = reinterpret_cast<uv_timer_t *>(h);
                uv_timer_start(tm, tm->timer_cb, p.due > now ? p.due - now : 0, p.repeat);
                break;
            }
            case UV_CHECK: {
                auto *c = reinterpret_cast<uv_check_t *>(h);
                uv_check_start(c, c->check_cb);
                break;
            }
            case UV_PREPARE: {
                auto *c = reinterpret_cast<uv_prepare_t *>(h);
                uv_prepare_start(c, c->prepare_cb);
                break;
            }
            case UV_IDLE: {
                auto *c = reinterpret_cast<uv_idle_t *>(h);
                uv_idle_start(c, c->idle_cb);
                break;
            }
            default: break;
        }
    }
}

}  // namespace

/** Serves other clients during a yield when the engine says it is time (see the file
 *  comment). JS thread only; not re-entrant (VM_Yield's nesting guard). */
void yield_serve_clients(ValkeyModuleCtx *ctx, int flags, const char *busy_reply) {
    Host *h = (ctx && ctx->host) ? ctx->host : g_current_host;
    if (!h || h->keyHook.IsEmpty()) return;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value reply = env.Undefined();
    if (busy_reply) {
        napi_value s;
        if (napi_create_string_latin1(env, busy_reply, NAPI_AUTO_LENGTH, &s) == napi_ok) reply = Napi::Value(env, s);
    }
    int clientId = ctx ? static_cast<int>(ctx->client.id) : 0;
    Napi::Value go = key_op(h, YOP_BEGIN, clientId, nullptr, Napi::Number::New(env, flags), reply);
    if (!go.IsBoolean() || !go.As<Napi::Boolean>().Value()) return;
    uv_loop_t *loop = events_loop(h);
    // libuv's fd-invalidation slots of an outer uv__io_poll (we may be inside its callback
    // loop): a nested poll overwrites and clears them, so they are put back afterwards.
    uv__io_t *slot0 = loop->watchers ? loop->watchers[loop->nwatchers] : nullptr;
    uv__io_t *slot1 = loop->watchers ? loop->watchers[loop->nwatchers + 1] : nullptr;
    std::vector<Paused> paused = pause_non_io(loop);
    uv_run(loop, UV_RUN_NOWAIT);
    resume_non_io(loop, paused);
    if (loop->watchers) {
        loop->watchers[loop->nwatchers] = slot0;
        loop->watchers[loop->nwatchers + 1] = slot1;
    }
    key_op(h, YOP_END, 0, nullptr);
}

}  // namespace vmhost
