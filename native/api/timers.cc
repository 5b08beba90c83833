// Module timers: CreateTimer, StopTimer, GetTimerInfo.
//
// As in Valkey, a timer's id is its expiry time (UNIX microseconds, bumped by one while
// taken), timers are kept ordered by id, and one loop timer (a libuv timer on Node's loop)
// is armed for the earliest. Each callback runs on the JS thread with a temporary context of
// its module that selects the database the creating client had, under the global lock in an
// engine execution unit. The libuv timer is unref'd: pending module timers alone do not keep
// an embedding process alive (a vmhost server is kept alive by its listening sockets).
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "../host/clock.h"
#include "../host/context.h"
#include "../host/events.h"
#include "../host/host.h"

using namespace vmhost;

namespace vmhost {

namespace {

struct Timer {
    Module *module;
    ValkeyModuleTimerProc callback;
    void *data;
    int dbid;
};

/** One host's timers and the libuv timer that wakes them. */
struct HostTimers {
    Host *host = nullptr;
    std::map<uint64_t, Timer> timers;  // by id (= expiry in UNIX us)
    uv_timer_t *uv = nullptr;
    bool running = false;              // inside the fire loop (re-arming waits until it ends)
};

std::unordered_map<Host *, HostTimers *> g_timers;

HostTimers *state(Host *h, bool create) {
    auto it = g_timers.find(h);
    if (it != g_timers.end()) return it->second;
    if (!create) return nullptr;
    auto *s = new HostTimers();
    s->host = h;
    g_timers[h] = s;
    return s;
}

void on_uv_timer(uv_timer_t *t);

/** Arms (or disarms) the loop timer for the earliest module timer. */
void rearm(HostTimers *s) {
    if (s->running) return;
    if (s->timers.empty()) {
        if (s->uv) uv_timer_stop(s->uv);
        return;
    }
    if (!s->uv) {
        s->uv = new uv_timer_t;
        uv_timer_init(events_loop(s->host), s->uv);
        uv_unref(reinterpret_cast<uv_handle_t *>(s->uv));
    }
    s->uv->data = s;
    long long wait_us = static_cast<long long>(s->timers.begin()->first) - now_us();
    uint64_t ms = wait_us <= 0 ? 0 : static_cast<uint64_t>((wait_us + 999) / 1000);
    uv_update_time(s->uv->loop);
    uv_timer_start(s->uv, on_uv_timer, ms, 0);
}

void on_uv_timer(uv_timer_t *t) {
    auto *s = static_cast<HostTimers *>(t->data);
    if (!s) return;
    timers_run_due(s->host, true);
}

}  // namespace

int timers_run_due(Host *h, bool fromLoop) {
    HostTimers *s = state(h, false);
    if (!s || s->running) return 0;
    int ran = 0;
    s->running = true;
    {
        LoopCallbackScope js(h, fromLoop);
        for (;;) {
            auto it = s->timers.begin();
            if (it == s->timers.end()) break;
            if (static_cast<long long>(it->first) > now_us()) break;
            Timer t = it->second;
            s->timers.erase(it);  // gone before the callback runs (it may create a new one)
            ModuleUnitScope unit(h);
            ValkeyModuleCtx ctx;
            ctx_init(&ctx, h, t.module, 0);
            ctx.client.db = t.dbid;
            t.callback(&ctx, t.data);
            ctx_finish(&ctx);
            ran++;
            // The host may have been torn down by the callback (engine dropped): stop.
            if (g_timers.find(h) == g_timers.end()) return ran;
        }
    }
    s->running = false;
    rearm(s);
    return ran;
}

bool timers_held_by(Host *h, Module *m) {
    HostTimers *s = state(h, false);
    if (!s) return false;
    for (auto &kv : s->timers)
        if (kv.second.module == m) return true;
    return false;
}

void timers_forget(Host *h, Module *m) {
    HostTimers *s = state(h, false);
    if (!s) return;
    for (auto it = s->timers.begin(); it != s->timers.end();) {
        if (it->second.module == m) it = s->timers.erase(it);
        else ++it;
    }
    rearm(s);
}

void timers_host_gone(Host *h) {
    HostTimers *s = state(h, false);
    if (!s) return;
    g_timers.erase(h);
    if (s->uv) {
        uv_timer_stop(s->uv);
        s->uv->data = nullptr;
        uv_close(reinterpret_cast<uv_handle_t *>(s->uv), [](uv_handle_t *hd) { delete reinterpret_cast<uv_timer_t *>(hd); });
    }
    delete s;
}

}  // namespace vmhost

/** Creates a one-shot timer firing `callback(ctx, data)` after `period` ms on the JS thread.
 *  Returns its id (the expiry time in UNIX microseconds, unique). */
extern "C" ValkeyModuleTimerID VM_CreateTimer(ValkeyModuleCtx *ctx, long long period, ValkeyModuleTimerProc callback,
                                              void *data) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (!h) return 0;
    events_remember_env(h->env);
    HostTimers *s = state(h, true);
    Timer t{ctx ? ctx->module : nullptr, callback, data, ctx ? ctx->client.db : 0};
    uint64_t id = static_cast<uint64_t>(now_us() + period * 1000);
    while (s->timers.count(id)) id++;
    s->timers.emplace(id, t);
    rearm(s);
    return id;
}

/** Stops a timer of the context's module; `*data` gets its data pointer. ERR when there is
 *  no such live timer or it belongs to another module. */
extern "C" int VM_StopTimer(ValkeyModuleCtx *ctx, ValkeyModuleTimerID id, void **data) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    HostTimers *s = h ? state(h, false) : nullptr;
    if (!s) return VALKEYMODULE_ERR;
    auto it = s->timers.find(id);
    if (it == s->timers.end() || it->second.module != ctx->module) return VALKEYMODULE_ERR;
    if (data) *data = it->second.data;
    s->timers.erase(it);
    rearm(s);
    return VALKEYMODULE_OK;
}

/** Remaining ms (rounded down, 0 when due) and data pointer of a live timer of the
 *  context's module; ERR for an unknown timer or another module's. */
extern "C" int VM_GetTimerInfo(ValkeyModuleCtx *ctx, ValkeyModuleTimerID id, uint64_t *remaining, void **data) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    HostTimers *s = h ? state(h, false) : nullptr;
    if (!s) return VALKEYMODULE_ERR;
    auto it = s->timers.find(id);
    if (it == s->timers.end() || it->second.module != ctx->module) return VALKEYMODULE_ERR;
    if (remaining) {
        long long rem = static_cast<long long>(id) - now_us();
        if (rem < 0) rem = 0;
        *remaining = static_cast<uint64_t>(rem / 1000);
    }
    if (data) *data = it->second.data;
    return VALKEYMODULE_OK;
}
