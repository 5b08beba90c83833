// Shared APIs: named function pointers one module exports and others look up.
//
// The registry is per host (one server). GetSharedAPI records who uses whose API, so an
// exporter whose APIs are in use cannot be unloaded (native/host/loader.cc), as in Valkey.
#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "../host/context.h"
#include "../host/host.h"

using namespace vmhost;

namespace {

struct SharedApi {
    void *func;
    Module *module;  // the exporter
};

/** Every host's shared APIs, by name. */
std::unordered_map<const Host *, std::map<std::string, SharedApi>> g_shared;

void erase_from(std::vector<Module *> &v, const Module *m) {
    v.erase(std::remove(v.begin(), v.end(), m), v.end());
}

}  // namespace

namespace vmhost {

bool shared_api_in_use(const Module *m) { return !m->apiUsers.empty(); }

void shared_api_forget(Module *m) {
    for (auto it = g_shared.begin(); it != g_shared.end();) {
        auto &apis = it->second;
        for (auto a = apis.begin(); a != apis.end();) {
            if (a->second.module == m) a = apis.erase(a);
            else ++a;
        }
        if (apis.empty()) it = g_shared.erase(it);
        else ++it;
    }
    for (Module *exporter : m->usingApisOf) erase_from(exporter->apiUsers, m);
    m->usingApisOf.clear();
    for (Module *user : m->apiUsers) erase_from(user->usingApisOf, m);
    m->apiUsers.clear();
}

}  // namespace vmhost

/** Exports `func` under `apiname` for other modules; ERR (nothing done) when the name is
 *  already taken. */
extern "C" int VM_ExportSharedAPI(ValkeyModuleCtx *ctx, const char *apiname, void *func) {
    if (!ctx || !ctx->module || !apiname) return VALKEYMODULE_ERR;
    auto &apis = g_shared[ctx->host];
    if (!apis.emplace(apiname, SharedApi{func, ctx->module}).second) return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}

/** The pointer exported under `apiname`, or NULL; records that the calling module uses the
 *  exporter (which then cannot be unloaded before it). */
extern "C" void *VM_GetSharedAPI(ValkeyModuleCtx *ctx, const char *apiname) {
    if (!ctx || !apiname) return nullptr;
    auto it = g_shared.find(ctx->host);
    if (it == g_shared.end()) return nullptr;
    auto a = it->second.find(apiname);
    if (a == it->second.end()) return nullptr;
    Module *exporter = a->second.module;
    Module *user = ctx->module;
    if (user && std::find(exporter->apiUsers.begin(), exporter->apiUsers.end(), user) == exporter->apiUsers.end()) {
        exporter->apiUsers.push_back(user);
        user->usingApisOf.push_back(exporter);
    }
    return a->second.func;
}
