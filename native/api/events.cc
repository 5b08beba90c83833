// Server events (hooks): SubscribeToServerEvent, IsSubEventSupported and the dispatch the
// engine uses to fire an event to every listening module, with Valkey's payload structs.
//
// Listeners live per host, in subscription order (one per module and event). TypeScript
// fires events through the addon's fireServerEvent (src/modules/server-events.ts) and learns
// which events have listeners through key op 1300, so an event nobody listens to costs no
// crossing. ModuleChange is fired from the loader; EventLoop from api/eventloop.cc.
#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../host/context.h"
#include "../host/events.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/clock.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace vmhost {

namespace {

/** One subscription: module `module` listens to `event.id` with `callback`. */
struct Listener {
    Module *module;
    ValkeyModuleEvent event;
    ValkeyModuleEventCallback callback;
};

/** Listeners by host (JS thread only). */
std::unordered_map<Host *, std::vector<Listener>> g_listeners;

/** Data-structure version per event id (Valkey's table): 1 for events with a payload
 *  struct, UINT64_MAX for the others (any dataver is accepted). */
constexpr uint64_t kAny = UINT64_MAX;
const uint64_t kEventVersions[_VALKEYMODULE_EVENT_NEXT] = {
    1,     // REPLICATION_ROLE_CHANGED (ValkeyModuleReplicationInfoV1)
    kAny,  // PERSISTENCE
    1,     // FLUSHDB (ValkeyModuleFlushInfoV1)
    kAny,  // LOADING
    1,     // CLIENT_CHANGE (ValkeyModuleClientInfoV1)
    kAny,  // SHUTDOWN
    kAny,  // REPLICA_CHANGE
    kAny,  // PRIMARY_LINK_CHANGE
    1,     // CRON_LOOP (ValkeyModuleCronLoopV1)
    1,     // MODULE_CHANGE (ValkeyModuleModuleChangeV1)
    1,     // LOADING_PROGRESS (ValkeyModuleLoadingProgressV1)
    1,     // SWAPDB (ValkeyModuleSwapDbInfoV1)
    kAny,  // REPL_BACKUP (retired)
    kAny,  // FORK_CHILD
    kAny,  // REPL_ASYNC_LOAD
    kAny,  // EVENTLOOP
    kAny,  // CONFIG
    1,     // KEY (ValkeyModuleKeyInfoV1)
};

/** The env every host shares (the JS thread's), for scopes opened from loop callbacks. */
napi_env g_env = nullptr;
napi_async_context g_async = nullptr;

/** Hosts that loaded at least one module (module_of_function lookups). */
std::mutex g_hosts_mu;
std::unordered_set<Host *> g_hosts;

/** Key op: tell TypeScript the bit set of events with listeners. */
constexpr int EOP_MASK = 1300;

}  // namespace

// --- scopes ----------------------------------------------------------------------------------

void events_remember_env(napi_env env) {
    if (g_env || !env) return;
    g_env = env;
    napi_handle_scope hs;
    if (napi_open_handle_scope(env, &hs) != napi_ok) return;
    napi_value name;
    napi_create_string_utf8(env, "vmhost:loop", NAPI_AUTO_LENGTH, &name);
    if (napi_async_init(env, nullptr, name, &g_async) != napi_ok) g_async = nullptr;
    napi_close_handle_scope(env, hs);
}

LoopCallbackScope::LoopCallbackScope(Host *h, bool fromLoop) {
    if (!fromLoop) return;
    env_ = h ? static_cast<napi_env>(h->env) : g_env;
    if (!env_) return;
    if (napi_open_handle_scope(env_, &hs_) != napi_ok) {
        hs_ = nullptr;
        env_ = nullptr;
        return;
    }
    if (g_async) {
        napi_value resource;
        napi_create_object(env_, &resource);
        if (napi_open_callback_scope(env_, resource, g_async, &cs_) != napi_ok) cs_ = nullptr;
    }
}

LoopCallbackScope::~LoopCallbackScope() {
    if (!env_) return;
    bool pending = false;
    napi_is_exception_pending(env_, &pending);
    if (pending) {
        // Nothing above us can take a JS exception: log it and carry on.
        napi_value exc;
        napi_get_and_clear_last_exception(env_, &exc);
        fprintf(stderr, "vmhost: exception in a loop callback was dropped\n");
    }
    if (cs_) napi_close_callback_scope(env_, cs_);
    napi_close_handle_scope(env_, hs_);
}

ModuleUnitScope::ModuleUnitScope(Host *h) : current_(h) {
#ifdef VMHOST_HAVE_GIL
    if (h) unit_.emplace(h);
    else lock_.emplace();
#endif
    set_cached_time_us(-1);
}

ModuleUnitScope::~ModuleUnitScope() {}

uv_loop_t *events_loop(Host *h) {
    uv_loop_t *loop = nullptr;
    napi_env env = h ? static_cast<napi_env>(h->env) : g_env;
    if (env) {
        events_remember_env(env);
        napi_get_uv_event_loop(env, &loop);
    }
    return loop ? loop : uv_default_loop();
}

// --- host registry ---------------------------------------------------------------------------

void events_register_host(Host *h) {
    events_remember_env(h->env);
    eventloop_init(events_loop(h));
    std::lock_guard<std::mutex> g(g_hosts_mu);
    g_hosts.insert(h);
}

void events_fire_all_hosts(uint64_t id, uint64_t sub) {
    std::vector<Host *> hosts;
    for (auto &kv : g_listeners)
        for (const Listener &l : kv.second)
            if (l.event.id == id) {
                hosts.push_back(kv.first);
                break;
            }
    EventExtra extra;
    extra.fromLoop = true;
    for (Host *h : hosts)
        if (g_listeners.count(h)) events_fire(h, id, sub, nullptr, &extra);
}

ModuleRef module_of_function(const void *fn) {
    ModuleRef r;
    Dl_info info;
    struct link_map *lm = nullptr;
    if (!fn || !dladdr1(fn, &info, reinterpret_cast<void **>(&lm), RTLD_DL_LINKMAP) || !lm) return r;
    std::lock_guard<std::mutex> g(g_hosts_mu);
    for (Host *h : g_hosts) {
        auto check = [&](Module *m) {
            if (!m || !m->handle) return false;
            struct link_map *mlm = nullptr;
            if (dlinfo(m->handle, RTLD_DI_LINKMAP, &mlm) != 0 || mlm != lm) return false;
            r.host = h;
            r.module = m;
            return true;
        };
        for (Module *m : h->modules)
            if (check(m)) return r;
    }
    return r;
}

// --- dispatch --------------------------------------------------------------------------------

bool events_has_listener(Host *h, uint64_t id) {
    auto it = g_listeners.find(h);
    if (it == g_listeners.end()) return false;
    for (const Listener &l : it->second)
        if (l.event.id == id) return true;
    return false;
}

void events_publish_mask(Host *h) {
    uint64_t mask = 0;
    bool loop = false;
    auto it = g_listeners.find(h);
    if (it != g_listeners.end())
        for (const Listener &l : it->second) mask |= 1ull << l.event.id;
    for (auto &kv : g_listeners)
        for (const Listener &l : kv.second)
            if (l.event.id == VALKEYMODULE_EVENT_EVENTLOOP) loop = true;
    eventloop_sleep_hooks(loop);
    if (!h || h->keyHook.IsEmpty()) return;
    Napi::HandleScope scope(h->env);
    key_op(h, EOP_MASK, 0, nullptr, Napi::Number::New(h->env, static_cast<double>(mask)));
}

int events_fire(Host *h, uint64_t id, uint64_t sub, void *data, const EventExtra *extra) {
    auto it = g_listeners.find(h);
    if (it == g_listeners.end()) return 0;
    // A callback may subscribe or unsubscribe: walk a snapshot, re-checking each listener.
    std::vector<Listener> snapshot;
    for (const Listener &l : it->second)
        if (l.event.id == id) snapshot.push_back(l);
    if (snapshot.empty()) return 0;
    LoopCallbackScope js(h, extra && extra->fromLoop);
    int ran = 0;
    for (const Listener &l : snapshot) {
        auto cur = g_listeners.find(h);
        if (cur == g_listeners.end()) break;
        bool live = false;
        for (const Listener &x : cur->second)
            if (x.module == l.module && x.event.id == id && x.callback == l.callback) live = true;
        if (!live) continue;
        if (extra && extra->skip == l.module) continue;  // ModuleChange: not to the module itself

        ModuleUnitScope unit(h);
        ValkeyModuleCtx ctx;
        ctx_init(&ctx, h, l.module, 0);
        if (extra && extra->hasClient) {
            ctx.client = extra->client;
        } else {
            ctx.client.id = 0;
            ctx.client.db = extra && extra->selectDb >= 0 ? extra->selectDb : 0;
        }
        void *payload = data;
        ValkeyModuleKey *key = nullptr;
        ValkeyModuleKeyInfoV1 ki;
        if (id == VALKEYMODULE_EVENT_KEY && extra && extra->key) {
            key = new ValkeyModuleKey();
            key->ctx = &ctx;
            key->db = ctx.client.db;
            key->name = extra->key;
            vmstr_incref(key->name);
            key->mode = VALKEYMODULE_READ;
            ki.version = VALKEYMODULE_KEYINFO_VERSION;
            ki.key = key;
            payload = &ki;
        }
        l.callback(&ctx, l.event, sub, payload);
        if (key) key_close(key);
        ctx_finish(&ctx);
        ran++;
    }
    return ran;
}

void events_module_change(Host *h, Module *m, uint64_t sub) {
    events_register_host(h);
    if (!events_has_listener(h, VALKEYMODULE_EVENT_MODULE_CHANGE)) return;
    ValkeyModuleModuleChangeV1 mc;
    memset(&mc, 0, sizeof(mc));
    mc.version = VALKEYMODULE_MODULE_CHANGE_VERSION;
    mc.module_name = m->name.c_str();
    mc.module_version = m->ver;
    EventExtra extra;
    extra.skip = m;
    events_fire(h, VALKEYMODULE_EVENT_MODULE_CHANGE, sub, &mc, &extra);
}

void events_module_forget(Host *h, Module *m) {
    auto it = g_listeners.find(h);
    bool changed = false;
    if (it != g_listeners.end()) {
        auto &v = it->second;
        size_t before = v.size();
        v.erase(std::remove_if(v.begin(), v.end(), [m](const Listener &l) { return l.module == m; }), v.end());
        changed = v.size() != before;
        if (v.empty()) g_listeners.erase(it);
    }
    timers_forget(h, m);
    eventloop_forget(h, m);
    if (changed) events_publish_mask(h);
}

void events_host_gone(Host *h) {
    g_listeners.erase(h);
    {
        std::lock_guard<std::mutex> g(g_hosts_mu);
        g_hosts.erase(h);
    }
    timers_host_gone(h);
    bool loop = false;
    for (auto &kv : g_listeners)
        for (const Listener &l : kv.second)
            if (l.event.id == VALKEYMODULE_EVENT_EVENTLOOP) loop = true;
    eventloop_sleep_hooks(loop);
}

}  // namespace vmhost

/** Subscribes the context's module to a server event (a NULL callback unsubscribes; a new
 *  callback replaces the old one). ERR without a module, for an unknown event id (>= 18) or
 *  a data version newer than the host's for that event. */
extern "C" int VM_SubscribeToServerEvent(ValkeyModuleCtx *ctx, ValkeyModuleEvent event, ValkeyModuleEventCallback callback) {
    if (!ctx || !ctx->module || !ctx->host) return VALKEYMODULE_ERR;
    if (event.id >= _VALKEYMODULE_EVENT_NEXT) return VALKEYMODULE_ERR;
    if (event.dataver > kEventVersions[event.id]) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    events_remember_env(h->env);
    auto &v = g_listeners[h];
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (it->module == ctx->module && it->event.id == event.id) {
            if (callback) {
                it->callback = callback;
            } else {
                v.erase(it);
                if (v.empty()) g_listeners.erase(h);
                events_publish_mask(h);
            }
            return VALKEYMODULE_OK;
        }
    }
    if (!callback) {
        if (v.empty()) g_listeners.erase(h);
        return VALKEYMODULE_OK;
    }
    v.push_back({ctx->module, event, callback});
    events_publish_mask(h);
    return VALKEYMODULE_OK;
}

/** Non-zero when `subevent` exists for `event` (below the event's _NEXT value); zero for an
 *  unknown event. */
extern "C" int VM_IsSubEventSupported(ValkeyModuleEvent event, int64_t subevent) {
    switch (event.id) {
        case VALKEYMODULE_EVENT_REPLICATION_ROLE_CHANGED: return subevent < _VALKEYMODULE_EVENT_REPLROLECHANGED_NEXT;
        case VALKEYMODULE_EVENT_PERSISTENCE: return subevent < _VALKEYMODULE_SUBEVENT_PERSISTENCE_NEXT;
        case VALKEYMODULE_EVENT_FLUSHDB: return subevent < _VALKEYMODULE_SUBEVENT_FLUSHDB_NEXT;
        case VALKEYMODULE_EVENT_LOADING: return subevent < _VALKEYMODULE_SUBEVENT_LOADING_NEXT;
        case VALKEYMODULE_EVENT_CLIENT_CHANGE: return subevent < _VALKEYMODULE_SUBEVENT_CLIENT_CHANGE_NEXT;
        case VALKEYMODULE_EVENT_SHUTDOWN: return subevent < _VALKEYMODULE_SUBEVENT_SHUTDOWN_NEXT;
        // Valkey compares ReplicaChange against the ReplicationRoleChanged bound (both 2).
        case VALKEYMODULE_EVENT_REPLICA_CHANGE: return subevent < _VALKEYMODULE_EVENT_REPLROLECHANGED_NEXT;
        case VALKEYMODULE_EVENT_PRIMARY_LINK_CHANGE: return subevent < _VALKEYMODULE_SUBEVENT_PRIMARY_NEXT;
        case VALKEYMODULE_EVENT_CRON_LOOP: return subevent < _VALKEYMODULE_SUBEVENT_CRON_LOOP_NEXT;
        case VALKEYMODULE_EVENT_MODULE_CHANGE: return subevent < _VALKEYMODULE_SUBEVENT_MODULE_NEXT;
        case VALKEYMODULE_EVENT_LOADING_PROGRESS: return subevent < _VALKEYMODULE_SUBEVENT_LOADING_PROGRESS_NEXT;
        case VALKEYMODULE_EVENT_SWAPDB: return subevent < _VALKEYMODULE_SUBEVENT_SWAPDB_NEXT;
        case VALKEYMODULE_EVENT_REPL_ASYNC_LOAD: return subevent < _VALKEYMODULE_SUBEVENT_REPL_ASYNC_LOAD_NEXT;
        case VALKEYMODULE_EVENT_FORK_CHILD: return subevent < _VALKEYMODULE_SUBEVENT_FORK_CHILD_NEXT;
        case VALKEYMODULE_EVENT_EVENTLOOP: return subevent < _VALKEYMODULE_SUBEVENT_EVENTLOOP_NEXT;
        case VALKEYMODULE_EVENT_CONFIG: return subevent < _VALKEYMODULE_SUBEVENT_CONFIG_NEXT;
        case VALKEYMODULE_EVENT_KEY: return subevent < _VALKEYMODULE_SUBEVENT_KEY_NEXT;
        default: return 0;
    }
}

namespace vmhost {

namespace {

int32_t js_int(const Napi::Value &v) { return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : 0; }

}  // namespace

Napi::Value events_fire_js(Host *h, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    uint64_t id = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
    uint64_t sub = static_cast<uint64_t>(info[1].As<Napi::Number>().Int64Value());
    if (!events_has_listener(h, id)) return Napi::Number::New(env, 0);
    EventExtra extra;
    int ran = 0;
    switch (id) {
        case VALKEYMODULE_EVENT_FLUSHDB: {
            ValkeyModuleFlushInfoV1 fi;
            memset(&fi, 0, sizeof(fi));
            fi.version = VALKEYMODULE_FLUSHINFO_VERSION;
            fi.sync = js_int(info[2]);
            fi.dbnum = js_int(info[3]);
            if (fi.dbnum != -1) extra.selectDb = fi.dbnum;
            ran = events_fire(h, id, sub, &fi, &extra);
            break;
        }
        case VALKEYMODULE_EVENT_CLIENT_CHANGE: {
            // [id, flags, addr, port, db, resp]
            Napi::Array a = info[2].As<Napi::Array>();
            ValkeyModuleClientInfoV1 ci;
            memset(&ci, 0, sizeof(ci));
            ci.version = VALKEYMODULE_CLIENTINFO_VERSION;
            ci.id = static_cast<uint64_t>(a.Get(0u).As<Napi::Number>().Int64Value());
            ci.flags = static_cast<uint64_t>(a.Get(1u).As<Napi::Number>().Int64Value());
            std::string addr = js_to_bytes(env, a.Get(2u));
            memcpy(ci.addr, addr.data(), std::min(addr.size(), sizeof(ci.addr) - 1));
            ci.port = static_cast<uint16_t>(js_int(a.Get(3u)));
            ci.db = static_cast<uint16_t>(js_int(a.Get(4u)));
            extra.hasClient = true;
            extra.client.id = ci.id;
            extra.client.db = ci.db;
            extra.client.resp = js_int(a.Get(5u)) == 3 ? 3 : 2;
            ran = events_fire(h, id, sub, &ci, &extra);
            break;
        }
        case VALKEYMODULE_EVENT_CRON_LOOP: {
            ValkeyModuleCronLoopV1 cl;
            memset(&cl, 0, sizeof(cl));
            cl.version = VALKEYMODULE_CRON_LOOP_VERSION;
            cl.hz = js_int(info[2]);
            ran = events_fire(h, id, sub, &cl, &extra);
            break;
        }
        case VALKEYMODULE_EVENT_LOADING_PROGRESS: {
            ValkeyModuleLoadingProgressV1 lp;
            memset(&lp, 0, sizeof(lp));
            lp.version = VALKEYMODULE_LOADING_PROGRESS_VERSION;
            lp.hz = js_int(info[2]);
            lp.progress = js_int(info[3]);
            ran = events_fire(h, id, sub, &lp, &extra);
            break;
        }
        case VALKEYMODULE_EVENT_SWAPDB: {
            ValkeyModuleSwapDbInfoV1 si;
            memset(&si, 0, sizeof(si));
            si.version = VALKEYMODULE_SWAPDBINFO_VERSION;
            si.dbnum_first = js_int(info[2]);
            si.dbnum_second = js_int(info[3]);
            ran = events_fire(h, id, sub, &si, &extra);
            break;
        }
        case VALKEYMODULE_EVENT_CONFIG: {
            Napi::Array a = info[2].As<Napi::Array>();
            std::vector<std::string> names;
            for (uint32_t i = 0; i < a.Length(); i++) names.push_back(js_to_bytes(env, a.Get(i)));
            std::vector<const char *> ptrs;
            for (const std::string &n : names) ptrs.push_back(n.c_str());
            ValkeyModuleConfigChangeV1 cc;
            memset(&cc, 0, sizeof(cc));
            cc.version = VALKEYMODULE_CONFIGCHANGE_VERSION;
            cc.num_changes = static_cast<uint32_t>(ptrs.size());
            cc.config_names = ptrs.data();
            ran = events_fire(h, id, sub, &cc, &extra);
            break;
        }
        case VALKEYMODULE_EVENT_KEY: {
            extra.selectDb = js_int(info[2]);
            std::string key = js_to_bytes(env, info[3]);
            extra.key = vmstr_new(key.data(), key.size());
            ran = events_fire(h, id, sub, nullptr, &extra);
            vmstr_decref(extra.key);
            break;
        }
        case VALKEYMODULE_EVENT_REPLICATION_ROLE_CHANGED:
        case VALKEYMODULE_EVENT_MODULE_CHANGE:
        case VALKEYMODULE_EVENT_REPL_BACKUP:
            // Carry structs this host builds itself (or never fires): not fired from JS.
            ran = 0;
            break;
        default:
            if (id < _VALKEYMODULE_EVENT_NEXT) ran = events_fire(h, id, sub, nullptr, &extra);
            break;
    }
    return Napi::Number::New(env, ran);
}

}  // namespace vmhost
