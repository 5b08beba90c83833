// Module configs: Register{String,Bool,Enum,Numeric}Config and LoadConfigs.
//
// A module config lives in the module (get/set/apply callbacks); the engine's parameter
// table (src/engine/config.ts) gets one entry per config through the configs bridge
// (src/modules/key-ops-configs.ts). The engine parses and validates CONFIG SET values and
// calls back into this file through one JS function per host ("moduleConfig") to run the
// module's callbacks with typed values.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

constexpr int KOP_CFG_REGISTER = 850;   // (descriptor, accessor fn) -> registers `module.name`
constexpr int KOP_CFG_QUEUED = 851;     // (module name) -> [[full name, value]...] queued values (consumed)
constexpr int KOP_CFG_UNREGISTER = 852; // (full name) -> drops the parameter

enum CfgType { CFG_BOOL = 0, CFG_NUMERIC = 1, CFG_STRING = 2, CFG_ENUM = 3 };

/** One registered module config. */
struct ModConfig {
    Host *host = nullptr;
    Module *module = nullptr;
    std::string name;      // as registered (without the module prefix): callbacks get this
    std::string fullname;  // "<module>.<name>"
    int type = CFG_STRING;
    unsigned int flags = 0;
    void *privdata = nullptr;
    void *getfn = nullptr;
    void *setfn = nullptr;
    ValkeyModuleConfigApplyFunc applyfn = nullptr;
};

std::vector<ModConfig *> g_configs;
std::vector<Module *> g_loaded;  // modules whose LoadConfigs ran
std::map<Host *, Napi::FunctionReference> g_accessors;

ModConfig *find_config(Host *h, const std::string &fullname) {
    for (ModConfig *c : g_configs)
        if (c->host == h && c->fullname == fullname) return c;
    return nullptr;
}

/** Takes a callback's error string (freed here); "" when it gave none. */
std::string take_err(ValkeyModuleString *err) {
    if (!err) return "";
    std::string s(err->ptr, err->len);
    vmstr_decref(err);
    return s;
}

/** Runs the set callback with a typed value given as text (bool/enum/numeric: decimal). */
bool run_set(ModConfig *c, const std::string &value, std::string *err) {
    ValkeyModuleString *e = nullptr;
    int rc;
    CurrentHostScope scope(c->host);
    const char *name = c->name.c_str();
    switch (c->type) {
        case CFG_BOOL:
            rc = reinterpret_cast<ValkeyModuleConfigSetBoolFunc>(c->setfn)(name, value == "1" ? 1 : 0, c->privdata, &e);
            break;
        case CFG_ENUM:
            rc = reinterpret_cast<ValkeyModuleConfigSetEnumFunc>(c->setfn)(name, static_cast<int>(strtol(value.c_str(), nullptr, 10)),
                                                                            c->privdata, &e);
            break;
        case CFG_NUMERIC:
            rc = reinterpret_cast<ValkeyModuleConfigSetNumericFunc>(c->setfn)(name, strtoll(value.c_str(), nullptr, 10), c->privdata, &e);
            break;
        default: {
            ValkeyModuleString *s = vmstr_new(value.data(), value.size());
            rc = reinterpret_cast<ValkeyModuleConfigSetStringFunc>(c->setfn)(name, s, c->privdata, &e);
            vmstr_decref(s);
            break;
        }
    }
    *err = take_err(e);
    return rc == VALKEYMODULE_OK;
}

/** Runs the apply callback of a config (if any). */
bool run_apply(ModConfig *c, std::string *err) {
    if (!c->applyfn) return true;
    ValkeyModuleString *e = nullptr;
    ValkeyModuleCtx ctx;
    ctx_init(&ctx, c->host, c->module, 0);
    int rc;
    {
        CurrentHostScope scope(c->host);
        rc = c->applyfn(&ctx, c->privdata, &e);
    }
    ctx_finish(&ctx);
    *err = take_err(e);
    return rc == VALKEYMODULE_OK;
}

/** The current value as text (bool 1/0, numeric/enum decimal, string bytes). */
std::string run_get(ModConfig *c) {
    CurrentHostScope scope(c->host);
    const char *name = c->name.c_str();
    switch (c->type) {
        case CFG_BOOL:
            return reinterpret_cast<ValkeyModuleConfigGetBoolFunc>(c->getfn)(name, c->privdata) ? "1" : "0";
        case CFG_ENUM:
            return std::to_string(reinterpret_cast<ValkeyModuleConfigGetEnumFunc>(c->getfn)(name, c->privdata));
        case CFG_NUMERIC:
            return std::to_string(reinterpret_cast<ValkeyModuleConfigGetNumericFunc>(c->getfn)(name, c->privdata));
        default: {
            ValkeyModuleString *s = reinterpret_cast<ValkeyModuleConfigGetStringFunc>(c->getfn)(name, c->privdata);
            return s ? std::string(s->ptr, s->len) : std::string();
        }
    }
}

/** The accessor the engine calls: (fullname, action, value) with action "get" -> text,
 *  "set" -> error text or null, "apply" -> error text or null, "applykey" -> a dedup key
 *  (applyfn + privdata) or null when the config has no apply callback. */
Napi::Value accessor(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Host *h = static_cast<Host *>(info.Data());
    if (info.Length() < 2) return env.Null();
    ModConfig *c = find_config(h, js_to_bytes(env, info[0]));
    if (!c) return env.Null();
    std::string action = info[1].As<Napi::String>().Utf8Value();
    if (action == "get") {
        std::string v = run_get(c);
        return bytes_to_js(env, v.data(), v.size());
    }
    if (action == "applykey") {
        if (!c->applyfn) return env.Null();
        char buf[64];
        snprintf(buf, sizeof buf, "%p/%p", reinterpret_cast<void *>(c->applyfn), c->privdata);
        return Napi::String::New(env, buf);
    }
    std::string err;
    bool ok;
    if (action == "set") {
        std::string v = info.Length() > 2 ? js_to_bytes(env, info[2]) : std::string();
        ok = run_set(c, v, &err);
    } else {
        ok = run_apply(c, &err);
    }
    if (ok) return env.Null();
    return bytes_to_js(env, err.data(), err.size());
}

Napi::Value accessor_of(Host *h) {
    auto it = g_accessors.find(h);
    if (it == g_accessors.end()) {
        Napi::Function fn = Napi::Function::New(h->env, accessor, "moduleConfig", h);
        it = g_accessors.emplace(h, Napi::Persistent(fn)).first;
    }
    return it->second.Value();
}

bool valid_name(const char *name) {
    if (!name || !*name) return false;
    for (const char *p = name; *p; p++)
        if (!isalnum(static_cast<unsigned char>(*p)) && *p != '-') return false;
    return true;
}

/** The checks every Register*Config makes; returns the new config or null with errno set. */
ModConfig *begin_register(ValkeyModuleCtx *ctx, const char *name, unsigned int flags, int type) {
    if (!ctx || !ctx->module || !ctx->host || !(ctx->flags & CTX_ON_LOAD) || !ctx->module->onLoad) {
        errno = EBUSY;
        return nullptr;
    }
    unsigned int known = VALKEYMODULE_CONFIG_IMMUTABLE | VALKEYMODULE_CONFIG_SENSITIVE | VALKEYMODULE_CONFIG_HIDDEN |
                         VALKEYMODULE_CONFIG_PROTECTED | VALKEYMODULE_CONFIG_DENY_LOADING |
                         VALKEYMODULE_CONFIG_MEMORY | VALKEYMODULE_CONFIG_BITFLAGS;
    if ((flags & ~known) || ((flags & VALKEYMODULE_CONFIG_MEMORY) && type != CFG_NUMERIC) ||
        ((flags & VALKEYMODULE_CONFIG_BITFLAGS) && type != CFG_ENUM) || !valid_name(name)) {
        errno = EINVAL;
        return nullptr;
    }
    std::string full = ctx->module->name + "." + name;
    if (find_config(ctx->host, full)) {
        ctx->host->logf(LL_WARNING, "Configuration by the name: %s already registered", full.c_str());
        errno = EALREADY;
        return nullptr;
    }
    ModConfig *c = new ModConfig;
    c->host = ctx->host;
    c->module = ctx->module;
    c->name = name;
    c->fullname = full;
    c->type = type;
    c->flags = flags;
    return c;
}

/** Hands a new config to the engine's parameter table. */
int finish_register(ModConfig *c, Napi::Object desc) {
    Host *h = c->host;
    desc.Set("name", bytes_to_js(h->env, c->fullname.data(), c->fullname.size()));
    desc.Set("type", Napi::Number::New(h->env, c->type));
    desc.Set("flags", Napi::Number::New(h->env, c->flags));
    g_configs.push_back(c);
    key_op(h, KOP_CFG_REGISTER, 0, nullptr, desc, accessor_of(h));
    return VALKEYMODULE_OK;
}

}  // namespace

namespace vmhost {

/** Whether a module registered configs but never called LoadConfigs (loader: it is then
 *  unloaded after OnLoad). */
bool module_configs_missing_load(Module *m) {
    for (Module *x : g_loaded)
        if (x == m) return false;
    for (ModConfig *c : g_configs)
        if (c->module == m) return true;
    return false;
}

/** Drops a module's configs from the engine and from here (module release). */
void module_configs_forget(Module *m) {
    for (size_t i = 0; i < g_configs.size();) {
        ModConfig *c = g_configs[i];
        if (c->module != m) {
            i++;
            continue;
        }
        {
            Napi::HandleScope scope(c->host->env);
            key_op(c->host, KOP_CFG_UNREGISTER, 0, nullptr,
                   bytes_to_js(c->host->env, c->fullname.data(), c->fullname.size()));
        }
        g_configs.erase(g_configs.begin() + static_cast<long>(i));
        delete c;
    }
    for (size_t i = 0; i < g_loaded.size();) {
        if (g_loaded[i] == m)
            g_loaded.erase(g_loaded.begin() + static_cast<long>(i));
        else
            i++;
    }
}

}  // namespace vmhost

extern "C" {

/** Registers a string config `<module>.<name>` (OnLoad only). */
int VM_RegisterStringConfig(ValkeyModuleCtx *ctx, const char *name, const char *default_val, unsigned int flags,
                            ValkeyModuleConfigGetStringFunc getfn, ValkeyModuleConfigSetStringFunc setfn,
                            ValkeyModuleConfigApplyFunc applyfn, void *privdata) {
    ModConfig *c = begin_register(ctx, name, flags, CFG_STRING);
    if (!c) return VALKEYMODULE_ERR;
    c->getfn = reinterpret_cast<void *>(getfn);
    c->setfn = reinterpret_cast<void *>(setfn);
    c->applyfn = applyfn;
    c->privdata = privdata;
    Napi::HandleScope scope(ctx->host->env);
    Napi::Object d = Napi::Object::New(ctx->host->env);
    d.Set("def", default_val ? bytes_to_js(ctx->host->env, default_val, strlen(default_val)) : ctx->host->env.Null());
    return finish_register(c, d);
}

/** Registers a bool config `<module>.<name>` (OnLoad only). */
int VM_RegisterBoolConfig(ValkeyModuleCtx *ctx, const char *name, int default_val, unsigned int flags,
                          ValkeyModuleConfigGetBoolFunc getfn, ValkeyModuleConfigSetBoolFunc setfn,
                          ValkeyModuleConfigApplyFunc applyfn, void *privdata) {
    ModConfig *c = begin_register(ctx, name, flags, CFG_BOOL);
    if (!c) return VALKEYMODULE_ERR;
    c->getfn = reinterpret_cast<void *>(getfn);
    c->setfn = reinterpret_cast<void *>(setfn);
    c->applyfn = applyfn;
    c->privdata = privdata;
    Napi::HandleScope scope(ctx->host->env);
    Napi::Object d = Napi::Object::New(ctx->host->env);
    d.Set("def", Napi::String::New(ctx->host->env, default_val ? "yes" : "no"));
    return finish_register(c, d);
}

/** Registers an enum config `<module>.<name>` (OnLoad only); BITFLAGS combines values. */
int VM_RegisterEnumConfig(ValkeyModuleCtx *ctx, const char *name, int default_val, unsigned int flags,
                          const char **enum_values, const int *int_values, int num_enum_vals,
                          ValkeyModuleConfigGetEnumFunc getfn, ValkeyModuleConfigSetEnumFunc setfn,
                          ValkeyModuleConfigApplyFunc applyfn, void *privdata) {
    ModConfig *c = begin_register(ctx, name, flags, CFG_ENUM);
    if (!c) return VALKEYMODULE_ERR;
    c->getfn = reinterpret_cast<void *>(getfn);
    c->setfn = reinterpret_cast<void *>(setfn);
    c->applyfn = applyfn;
    c->privdata = privdata;
    Napi::Env env = ctx->host->env;
    Napi::HandleScope scope(env);
    Napi::Object d = Napi::Object::New(env);
    Napi::Array names = Napi::Array::New(env);
    Napi::Array vals = Napi::Array::New(env);
    for (int i = 0; i < num_enum_vals; i++) {
        names.Set(static_cast<uint32_t>(i), bytes_to_js(env, enum_values[i], strlen(enum_values[i])));
        vals.Set(static_cast<uint32_t>(i), Napi::Number::New(env, int_values[i]));
    }
    d.Set("enumNames", names);
    d.Set("enumValues", vals);
    d.Set("def", Napi::Number::New(env, default_val));
    return finish_register(c, d);
}

/** Registers a numeric config `<module>.<name>` within [min, max] (OnLoad only). */
int VM_RegisterNumericConfig(ValkeyModuleCtx *ctx, const char *name, long long default_val, unsigned int flags,
                             long long min, long long max, ValkeyModuleConfigGetNumericFunc getfn,
                             ValkeyModuleConfigSetNumericFunc setfn, ValkeyModuleConfigApplyFunc applyfn,
                             void *privdata) {
    ModConfig *c = begin_register(ctx, name, flags, CFG_NUMERIC);
    if (!c) return VALKEYMODULE_ERR;
    c->getfn = reinterpret_cast<void *>(getfn);
    c->setfn = reinterpret_cast<void *>(setfn);
    c->applyfn = applyfn;
    c->privdata = privdata;
    Napi::Env env = ctx->host->env;
    Napi::HandleScope scope(env);
    Napi::Object d = Napi::Object::New(env);
    d.Set("def", Napi::String::New(env, std::to_string(default_val)));
    d.Set("min", Napi::String::New(env, std::to_string(min)));
    d.Set("max", Napi::String::New(env, std::to_string(max)));
    return finish_register(c, d);
}

/** Applies the values queued for this module's configs (MODULE LOADEX CONFIG, the config
 *  file), else their defaults, through the set callbacks, then the apply callbacks (OnLoad
 *  only). The engine side does the parsing and the calls (key-ops-configs.ts). */
int VM_LoadConfigs(ValkeyModuleCtx *ctx) {
    if (!ctx || !ctx->module || !ctx->host || !(ctx->flags & CTX_ON_LOAD) || !ctx->module->onLoad) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    Napi::HandleScope scope(h->env);
    const std::string &mod = ctx->module->name;
    Napi::Value r = key_op(h, KOP_CFG_QUEUED, 0, nullptr, bytes_to_js(h->env, mod.data(), mod.size()));
    g_loaded.push_back(ctx->module);
    if (r.IsArray()) {
        Napi::Array a = r.As<Napi::Array>();
        std::string name = js_to_bytes(h->env, a.Get(0u));
        std::string err = js_to_bytes(h->env, a.Get(1u));
        h->logf(LL_WARNING, "Issue during loading of configuration %s : %s", name.c_str(), err.c_str());
        return VALKEYMODULE_ERR;
    }
    return VALKEYMODULE_OK;
}

}  // extern "C"
