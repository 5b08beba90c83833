// Main-loop services for modules: server events (api/events.cc), timers (api/timers.cc) and
// the event loop (api/eventloop.cc), all mapped onto Node's libuv loop.
//
// Module code that runs from a libuv callback (a timer, an fd event, a one-shot, the
// EventLoop before/after-sleep hooks) has no JavaScript on the stack: LoopCallbackScope opens
// the N-API handle and callback scopes it needs, and ModuleUnitScope takes the global lock
// and opens an engine execution unit (native/host/gil.h) around each module callback.
#pragma once
#include <uv.h>

#include <cstdint>
#include <optional>
#include <string>

#include "context.h"
#include "host.h"

#if __has_include("gil.h")
#include "gil.h"
#define VMHOST_HAVE_GIL 1
#endif

namespace vmhost {

/** Opens what N-API needs to run JavaScript from a bare libuv callback (a handle scope and
 *  a callback scope, so promise jobs and nextTicks run when it closes). Does nothing when
 *  `fromLoop` is false (the caller is already inside a JS call). */
class LoopCallbackScope {
public:
    LoopCallbackScope(Host *h, bool fromLoop);
    ~LoopCallbackScope();
    LoopCallbackScope(const LoopCallbackScope &) = delete;
    LoopCallbackScope &operator=(const LoopCallbackScope &) = delete;

private:
    napi_env env_ = nullptr;
    napi_handle_scope hs_ = nullptr;
    napi_callback_scope cs_ = nullptr;
};

/** Around one module callback run on the JS thread outside a command: the current host,
 *  the global lock and an engine execution unit (gil.h's EngineUnitScope), and a fresh
 *  cached time. Works with a NULL host (only the lock is taken then). */
class ModuleUnitScope {
public:
    explicit ModuleUnitScope(Host *h);
    ~ModuleUnitScope();
    ModuleUnitScope(const ModuleUnitScope &) = delete;
    ModuleUnitScope &operator=(const ModuleUnitScope &) = delete;

private:
    CurrentHostScope current_;
#ifdef VMHOST_HAVE_GIL
    std::optional<EngineUnitScope> unit_;   // with a host
    std::optional<JsLockScope> lock_;       // without one
#endif
};

/** Node's libuv loop (the one the JS thread runs). Call on the JS thread. */
uv_loop_t *events_loop(Host *h);
/** Remembers the env (first call on the JS thread) so loop callbacks can open scopes. */
void events_remember_env(napi_env env);

// --- server events (api/events.cc) ---------------------------------------------------------

/** Extra information some events carry (see events_fire). */
struct EventExtra {
    ClientState client;              // ClientChange: the real client (id, db, resp)
    bool hasClient = false;
    Module *skip = nullptr;          // ModuleChange: the module that changed (not told)
    int selectDb = -1;               // FlushDB / Key: the database the ctx selects (-1: none)
    ValkeyModuleString *key = nullptr;  // Key: the key name (the event opens it read-only)
    bool fromLoop = false;           // fired from a libuv callback (no JS on the stack)
};

/** Calls every listener of event `id` on host `h` (in subscription order) with a temporary
 *  context of its module, the event by value, `sub` and `data` (a payload struct, or NULL).
 *  For Key events `data` is ignored: a ValkeyModuleKeyInfoV1 over a read-only key opened on
 *  extra->key is passed. Returns the number of callbacks run. */
int events_fire(Host *h, uint64_t id, uint64_t sub, void *data, const EventExtra *extra = nullptr);
/** The addon's fireServerEvent(id, subevent, ...payload): builds the event's payload struct
 *  from the JS values (see src/modules/server-events.ts) and fires it. Returns the number of
 *  callbacks run. */
Napi::Value events_fire_js(Host *h, const Napi::CallbackInfo &info);
/** Whether some module of `h` listens to event `id`. */
bool events_has_listener(Host *h, uint64_t id);
/** ModuleChange LOADED/UNLOADED for `m` to the other modules of `h`. */
void events_module_change(Host *h, Module *m, uint64_t sub);
/** Drops everything `m` registered here: event subscriptions, timers, fd events and queued
 *  one-shots whose function lives in `m`'s shared object. Called when `m` goes away. */
void events_module_forget(Host *h, Module *m);
/** The host is being destroyed: stops its timers and hooks, frees their state. */
void events_host_gone(Host *h);
/** Tells TypeScript which events have listeners (a bit per id; key op 1300). */
void events_publish_mask(Host *h);

// --- timers (api/timers.cc) ----------------------------------------------------------------

/** True when `m` has a timer that has not fired yet (MODULE UNLOAD refuses then). */
bool timers_held_by(Host *h, Module *m);
/** Removes `m`'s timers (failed OnLoad / unload cleanup). */
void timers_forget(Host *h, Module *m);
/** Host teardown: stops and frees the host's timer state. */
void timers_host_gone(Host *h);
/** Runs the timers that are due now (also used by Yield); returns how many ran. */
int timers_run_due(Host *h, bool fromLoop);

// --- event loop (api/eventloop.cc) ---------------------------------------------------------

/** Runs queued one-shot events now (also used by Yield); returns how many ran. */
int eventloop_run_oneshots(bool fromLoop);
/** Removes fd events and queued one-shots whose callbacks live in `m`'s shared object. */
void eventloop_forget(Host *h, Module *m);
/** Starts or stops the before/after-sleep hooks (EventLoop event listeners exist or not). */
void eventloop_sleep_hooks(bool on);
/** The module (and its host) whose shared object contains `fn`, or {nullptr, nullptr}. */
struct ModuleRef {
    Host *host = nullptr;
    Module *module = nullptr;
};
ModuleRef module_of_function(const void *fn);
/** Registers a host for module_of_function lookups and prepares the process-wide loop
 *  handles (JS thread; the loader calls it before every OnLoad). */
void events_register_host(Host *h);
/** Creates the one-shot wake-up handle on `loop` (JS thread, once). */
void eventloop_init(uv_loop_t *loop);
/** Fires event `id` on every host that has listeners for it, from a loop callback. */
void events_fire_all_hosts(uint64_t id, uint64_t sub);

}  // namespace vmhost
