// Command filters: module callbacks that see (and may rewrite) every command line before the
// engine looks the command up.
//
// The filters live here, per host, in registration order. While a host has at least one,
// the engine holds a hook (src/modules/key-ops-filters.ts) that, for each command, makes ONE
// call into run_filters below with the command line; every filter edits the same native
// argv and the new command line goes back to JS (or undefined when nothing changed).
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

struct ValkeyModuleCommandFilter {
    Module *module = nullptr;
    Host *host = nullptr;
    ValkeyModuleCommandFilterFunc callback = nullptr;
    int flags = 0;
};

struct ValkeyModuleCommandFilterCtx {
    std::vector<ValkeyModuleString *> argv;  // one reference each, owned by the filter run
    uint64_t clientId = 0;
    bool changed = false;                    // a filter inserted, replaced or deleted
};

namespace {

// Bridge operations (served by src/modules/key-ops-filters.ts).
constexpr int FOP_INSTALL = 800;    // (a: runner function) -> installs the engine hook
constexpr int FOP_UNINSTALL = 801;  // () -> removes the engine hook

/** Each host's filters, in registration order. */
std::unordered_map<Host *, std::vector<ValkeyModuleCommandFilter *>> g_filters;

/** Runs a host's filters over one command line: (clientId, fromModuleCall, argv) -> the new
 *  argv, or undefined when no filter changed it. */
Napi::Value run_filters(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Host *h = static_cast<Host *>(info.Data());
    auto it = g_filters.find(h);
    if (it == g_filters.end() || it->second.empty()) return env.Undefined();
    ValkeyModuleCommandFilterCtx fctx;
    fctx.clientId = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
    // info[1] (whether a module's Call runs it) is not needed: NOSELF asks which module.
    napi_value arr = info[2];
    uint32_t n = 0;
    napi_get_array_length(env, arr, &n);
    fctx.argv.reserve(n + 2);
    for (uint32_t i = 0; i < n; i++) {
        napi_value e;
        napi_get_element(env, arr, i, &e);
        std::string arg = js_to_bytes(env, e);
        fctx.argv.push_back(vmstr_new(arg.data(), arg.size()));
    }
    {
        CurrentHostScope scope(h);
        // By index, looked up again each time: a filter may (through a thread-safe context)
        // unregister filters.
        for (size_t i = 0;; i++) {
            it = g_filters.find(h);
            if (it == g_filters.end() || i >= it->second.size()) break;
            ValkeyModuleCommandFilter *f = it->second[i];
            // NOSELF: skipped while the registering module's own ValkeyModule_Call runs.
            if ((f->flags & VALKEYMODULE_CMDFILTER_NOSELF) && f->module && f->module->inCall > 0) continue;
            f->callback(&fctx);
        }
    }
    Napi::Value result = env.Undefined();
    if (fctx.changed) {
        napi_value out;
        napi_create_array_with_length(env, fctx.argv.size(), &out);
        for (size_t i = 0; i < fctx.argv.size(); i++) {
            const ValkeyModuleString *arg = fctx.argv[i];
            napi_set_element(env, out, static_cast<uint32_t>(i), bytes_to_js(env, arg->ptr, arg->len));
        }
        result = Napi::Value(env, out);
    }
    for (ValkeyModuleString *s : fctx.argv) vmstr_decref(s);
    return result;
}

/** Removes `f` from its host's list (uninstalling the engine hook when none is left) and
 *  frees it. */
void remove_filter(std::vector<ValkeyModuleCommandFilter *> &list, size_t i) {
    Host *h = list[i]->host;
    delete list[i];
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
    if (list.empty()) {
        g_filters.erase(h);
        Napi::HandleScope scope(h->env);
        key_op(h, FOP_UNINSTALL, 0, nullptr);
    }
}

}  // namespace

namespace vmhost {

/** Drops every filter of a module that goes away (called by release_module). */
/** How many command filters module `m` has registered (INFO modules `filters=`). */
size_t command_filters_count(const Module *m) {
    size_t n = 0;
    for (const auto &entry : g_filters)
        for (const ValkeyModuleCommandFilter *f : entry.second)
            if (f->module == m) n++;
    return n;
}

void command_filters_forget(Module *m) {
    for (auto hit = g_filters.begin(); hit != g_filters.end();) {
        std::vector<ValkeyModuleCommandFilter *> &list = hit->second;
        Host *h = hit->first;
        for (size_t i = list.size(); i-- > 0;)
            if (list[i]->module == m) {
                delete list[i];
                list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
            }
        if (list.empty()) {
            hit = g_filters.erase(hit);
            Napi::HandleScope scope(h->env);
            key_op(h, FOP_UNINSTALL, 0, nullptr);
        } else {
            ++hit;
        }
    }
}

}  // namespace vmhost

extern "C" {

/** Registers a filter run before every command (client, ValkeyModule_Call) in registration
 *  order. VALKEYMODULE_CMDFILTER_NOSELF skips commands run while the registering
 *  module's own ValkeyModule_Call runs (other modules' calls are still filtered). NULL without a
 *  module context or callback. */
ValkeyModuleCommandFilter *VM_RegisterCommandFilter(ValkeyModuleCtx *ctx, ValkeyModuleCommandFilterFunc callback,
                                                     int flags) {
    if (!ctx || !ctx->module || !ctx->host || !callback) return nullptr;
    Host *h = ctx->host;
    std::vector<ValkeyModuleCommandFilter *> &list = g_filters[h];
    // Filters left behind by a host that went away (same address) are dropped.
    for (size_t i = list.size(); i-- > 0;) {
        Module *m = list[i]->module;
        if (m != h->loading && std::find(h->modules.begin(), h->modules.end(), m) == h->modules.end()) {
            delete list[i];
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    auto *f = new ValkeyModuleCommandFilter;
    f->module = ctx->module;
    f->host = h;
    f->callback = callback;
    f->flags = flags;
    list.push_back(f);
    {
        // Idempotent on the JS side: the hook is installed once per engine.
        Napi::HandleScope scope(h->env);
        Napi::Function runner = Napi::Function::New(h->env, run_filters, "commandFilters", h);
        key_op(h, FOP_INSTALL, 0, nullptr, runner);
    }
    return f;
}

/** Unregisters a filter of the calling module; ERR for an unknown filter or one another
 *  module registered. */
int VM_UnregisterCommandFilter(ValkeyModuleCtx *ctx, ValkeyModuleCommandFilter *filter) {
    if (!ctx || !ctx->host || !filter) return VALKEYMODULE_ERR;
    auto hit = g_filters.find(ctx->host);
    if (hit == g_filters.end()) return VALKEYMODULE_ERR;
    std::vector<ValkeyModuleCommandFilter *> &list = hit->second;
    auto it = std::find(list.begin(), list.end(), filter);
    if (it == list.end() || (*it)->module != ctx->module) return VALKEYMODULE_ERR;
    remove_filter(list, static_cast<size_t>(it - list.begin()));
    return VALKEYMODULE_OK;
}

/** The number of arguments of the filtered command, the command name included. */
int VM_CommandFilterArgsCount(ValkeyModuleCommandFilterCtx *fctx) {
    return fctx ? static_cast<int>(fctx->argv.size()) : 0;
}

/** Argument `pos` (0: the command name), borrowed; NULL when out of range. */
ValkeyModuleString *VM_CommandFilterArgGet(ValkeyModuleCommandFilterCtx *fctx, int pos) {
    if (!fctx || pos < 0 || static_cast<size_t>(pos) >= fctx->argv.size()) return nullptr;
    return fctx->argv[static_cast<size_t>(pos)];
}

/** Inserts `arg` before position `pos` (pos == count appends); the server takes over the
 *  module's reference. ERR when pos is out of range. */
int VM_CommandFilterArgInsert(ValkeyModuleCommandFilterCtx *fctx, int pos, ValkeyModuleString *arg) {
    if (!fctx || !arg || pos < 0 || static_cast<size_t>(pos) > fctx->argv.size()) return VALKEYMODULE_ERR;
    fctx->argv.insert(fctx->argv.begin() + pos, arg);
    fctx->changed = true;
    return VALKEYMODULE_OK;
}

/** Replaces argument `pos` with `arg` (the server takes over the module's reference and drops
 *  the old argument). ERR when pos is out of range. */
int VM_CommandFilterArgReplace(ValkeyModuleCommandFilterCtx *fctx, int pos, ValkeyModuleString *arg) {
    if (!fctx || !arg || pos < 0 || static_cast<size_t>(pos) >= fctx->argv.size()) return VALKEYMODULE_ERR;
    vmstr_decref(fctx->argv[static_cast<size_t>(pos)]);
    fctx->argv[static_cast<size_t>(pos)] = arg;
    fctx->changed = true;
    return VALKEYMODULE_OK;
}

/** Deletes argument `pos`. ERR when pos is out of range. */
int VM_CommandFilterArgDelete(ValkeyModuleCommandFilterCtx *fctx, int pos) {
    if (!fctx || pos < 0 || static_cast<size_t>(pos) >= fctx->argv.size()) return VALKEYMODULE_ERR;
    vmstr_decref(fctx->argv[static_cast<size_t>(pos)]);
    fctx->argv.erase(fctx->argv.begin() + pos);
    fctx->changed = true;
    return VALKEYMODULE_OK;
}

/** The id of the client that issued the filtered command. */
unsigned long long VM_CommandFilterGetClientId(ValkeyModuleCommandFilterCtx *fctx) {
    return fctx ? fctx->clientId : 0;
}

}  // extern "C"
