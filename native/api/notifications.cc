// Keyspace notifications for modules: SubscribeToKeyspaceEvents, NotifyKeyspaceEvent,
// GetNotifyKeyspaceEvents and AddPostNotificationJob.
//
// Subscribers live here, per host, in subscription order. While a host has at least one,
// the engine holds a keyspace-event hook (src/modules/key-ops-notify.ts) that hands every
// event to run_notifications below in ONE call; the engine fires module subscribers before
// the pub/sub channels and whatever notify-keyspace-events says, inside an execution unit
// (what callbacks propagate joins the command's MULTI/EXEC).
//
// A subscriber is not called again while its own callback runs (an event its callback
// causes is not delivered to it) unless its module set
// VALKEYMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS.
//
// Post-notification jobs wait in a per-host FIFO; the engine drains it when the outermost
// execution unit ends, before the unit's effects are propagated (jobs added by jobs run in
// the same drain).
#include <algorithm>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// Bridge operations (served by src/modules/key-ops-notify.ts).
constexpr int NOP_INSTALL = 1400;    // (a: runner) -> installs the engine's keyspace-event hook
constexpr int NOP_UNINSTALL = 1401;  // () -> removes it
constexpr int NOP_POST_JOB = 1402;   // (a: drain) -> false while loading; else drain runs at unit end
constexpr int NOP_NOTIFY = 1403;     // (db, key, a: type, b: event) -> engine.notify
constexpr int NOP_GET_FLAGS = 1404;  // () -> notify-keyspace-events bit mask

/** The event classes a subscription mask is matched against (K and E are channel choices). */
constexpr int KS_CHANNEL_BITS = VALKEYMODULE_NOTIFY_KEYSPACE | VALKEYMODULE_NOTIFY_KEYEVENT;

struct Subscriber {
    Module *module = nullptr;
    int mask = 0;
    ValkeyModuleNotificationFunc callback = nullptr;
    bool active = false;  // its callback is running now
};

struct PostJob {
    Module *module = nullptr;
    ValkeyModulePostNotificationJobFunc callback = nullptr;
    void *pd = nullptr;
    void (*freePd)(void *) = nullptr;
    int db = 0;
};

struct HostState {
    std::vector<Subscriber *> subscribers;
    std::deque<PostJob> jobs;
    bool installed = false;
    bool draining = false;
};

std::unordered_map<Host *, HostState> g_state;

/** Runs a host's subscribers for one event: (type, event, key, db). */
Napi::Value run_notifications(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Host *h = static_cast<Host *>(info.Data());
    auto it = g_state.find(h);
    if (it == g_state.end() || it->second.subscribers.empty()) return env.Undefined();
    int type = info[0].As<Napi::Number>().Int32Value() & ~KS_CHANNEL_BITS;
    int db = info[3].As<Napi::Number>().Int32Value();
    std::string event = js_to_bytes(env, info[1]);
    std::string keybuf = js_to_bytes(env, info[2]);
    ValkeyModuleString *key = vmstr_new(keybuf.data(), keybuf.size());
    CurrentHostScope scope(h);
    // By index, looked up again each time: a callback may subscribe more.
    for (size_t i = 0;; i++) {
        it = g_state.find(h);
        if (it == g_state.end() || i >= it->second.subscribers.size()) break;
        Subscriber *sub = it->second.subscribers[i];
        if (!(sub->mask & type)) continue;
        if (sub->active && !(sub->module->options & VALKEYMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS)) continue;
        ValkeyModuleCtx ctx;
        ctx_init(&ctx, h, sub->module, 0);
        ctx.client.db = db;
        bool wasActive = sub->active;
        sub->active = true;
        sub->callback(&ctx, type, event.c_str(), key);
        sub->active = wasActive;
        ctx_finish(&ctx);
    }
    vmstr_decref(key);
    return env.Undefined();
}

/** Runs the host's queued post-notification jobs, oldest first, until none is left. */
Napi::Value run_post_jobs(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Host *h = static_cast<Host *>(info.Data());
    auto it = g_state.find(h);
    if (it == g_state.end() || it->second.draining) return env.Undefined();
    it->second.draining = true;
    CurrentHostScope scope(h);
    for (;;) {
        it = g_state.find(h);
        if (it == g_state.end() || it->second.jobs.empty()) break;
        PostJob job = it->second.jobs.front();
        it->second.jobs.pop_front();
        ValkeyModuleCtx ctx;
        ctx_init(&ctx, h, job.module, 0);
        ctx.client.db = job.db;
        job.callback(&ctx, job.pd);
        if (job.freePd) job.freePd(job.pd);
        ctx_finish(&ctx);
    }
    it = g_state.find(h);
    if (it != g_state.end()) it->second.draining = false;
    return env.Undefined();
}

/** Drops the engine hook when the host has no subscriber left. */
void maybe_uninstall(Host *h, HostState &st) {
    if (!st.subscribers.empty() || !st.installed) return;
    st.installed = false;
    Napi::HandleScope scope(h->env);
    key_op(h, NOP_UNINSTALL, 0, nullptr);
}

}  // namespace

namespace vmhost {

/** Forgets everything module `m` registered here (its subscriptions and pending jobs, whose
 *  private data is freed with their free callback). Called when `m` goes away. */
void notifications_forget(Host *h, Module *m) {
    auto it = g_state.find(h);
    if (it == g_state.end()) return;
    HostState &st = it->second;
    for (size_t i = st.subscribers.size(); i-- > 0;) {
        if (st.subscribers[i]->module != m) continue;
        delete st.subscribers[i];
        st.subscribers.erase(st.subscribers.begin() + static_cast<std::ptrdiff_t>(i));
    }
    for (auto j = st.jobs.begin(); j != st.jobs.end();) {
        if (j->module == m) {
            if (j->freePd) j->freePd(j->pd);
            j = st.jobs.erase(j);
        } else {
            ++j;
        }
    }
    maybe_uninstall(h, st);
}

/** Number of keyspace subscriptions module `m` holds (diagnostics). */
size_t notifications_count(Host *h, const Module *m) {
    auto it = g_state.find(h);
    if (it == g_state.end()) return 0;
    size_t n = 0;
    for (const Subscriber *s : it->second.subscribers)
        if (s->module == m) n++;
    return n;
}

}  // namespace vmhost

extern "C" {

/**
 * Subscribes the calling module to keyspace events of the classes in `types`
 * (VALKEYMODULE_NOTIFY_* bits; KEY_MISS, NEW and LOADED only when asked for by name, ALL
 * does not include them). The callback runs synchronously where the event happens, with a
 * context whose selected database is the event's, whatever notify-keyspace-events says. It
 * must not reply; writes belong in a post-notification job. OK, or ERR without a module
 * context or callback.
 */
int VM_SubscribeToKeyspaceEvents(ValkeyModuleCtx *ctx, int types, ValkeyModuleNotificationFunc callback) {
    if (!ctx || !ctx->module || !ctx->host || !callback) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    HostState &st = g_state[h];
    // Subscriptions left behind by a host that went away (same address) are dropped.
    for (size_t i = st.subscribers.size(); i-- > 0;) {
        Module *m = st.subscribers[i]->module;
        if (m != h->loading && std::find(h->modules.begin(), h->modules.end(), m) == h->modules.end()) {
            delete st.subscribers[i];
            st.subscribers.erase(st.subscribers.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    auto *sub = new Subscriber;
    sub->module = ctx->module;
    sub->mask = types;
    sub->callback = callback;
    st.subscribers.push_back(sub);
    if (!st.installed) {
        st.installed = true;
        Napi::HandleScope scope(h->env);
        Napi::Function runner = Napi::Function::New(h->env, run_notifications, "moduleKeyspaceEvents", h);
        key_op(h, NOP_INSTALL, 0, nullptr, runner);
    }
    return VALKEYMODULE_OK;
}

/**
 * Schedules `callback(ctx, privdata)` to run once the current execution unit (the command,
 * or the notification's unit) has finished its work and before its effects are propagated,
 * so what the job writes is replicated in the same MULTI/EXEC. The job's context selects the
 * database of the context that added it. `free_privdata` (optional) runs after the job. ERR
 * while the engine is loading a dataset (nothing is queued and privdata stays the caller's).
 */
int VM_AddPostNotificationJob(ValkeyModuleCtx *ctx, ValkeyModulePostNotificationJobFunc callback, void *privdata,
                              void (*free_privdata)(void *)) {
    if (!ctx || !ctx->host || !callback) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    HostState &st = g_state[h];
    PostJob job;
    job.module = ctx->module;
    job.callback = callback;
    job.pd = privdata;
    job.freePd = free_privdata;
    job.db = ctx->client.db;
    st.jobs.push_back(job);
    Napi::HandleScope scope(h->env);
    Napi::Function drain = Napi::Function::New(h->env, run_post_jobs, "postNotificationJobs", h);
    Napi::Value ok = key_op(h, NOP_POST_JOB, 0, nullptr, drain);
    if (!ok.IsBoolean() || !ok.As<Napi::Boolean>().Value()) {
        // Refused (loading): take the job back without running or freeing anything. The
        // deque may have been drained meanwhile only if the job was accepted.
        auto it = g_state.find(h);
        if (it != g_state.end() && !it->second.jobs.empty()) it->second.jobs.pop_back();
        return VALKEYMODULE_ERR;
    }
    return VALKEYMODULE_OK;
}

/** The notify-keyspace-events configuration as a VALKEYMODULE_NOTIFY_* bit mask (0 outside a
 *  host callback). */
int VM_GetNotifyKeyspaceEvents(void) {
    Host *h = g_current_host;
    if (!h) return 0;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, NOP_GET_FLAGS, 0, nullptr);
    return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : 0;
}

/**
 * Fires a keyspace event of class `type` named `event` about `key` in the context's selected
 * database, exactly as a core command would: module subscribers of that class, then the
 * `__keyspace@<db>__:<key>` / `__keyevent@<db>__:<event>` channels when
 * notify-keyspace-events enables the class. ERR without a context, event or key.
 */
int VM_NotifyKeyspaceEvent(ValkeyModuleCtx *ctx, int type, const char *event, ValkeyModuleString *key) {
    if (!ctx || !ctx->host || !event || !key) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    key_op(h, NOP_NOTIFY, ctx->client.db, key, Napi::Number::New(h->env, type),
           bytes_to_js(h->env, event, strlen(event)));
    return VALKEYMODULE_OK;
}

}  // extern "C"
