// INFO for and from modules, module pub/sub, latency samples.
//
// A module's INFO callback (RegisterInfoFunc) is run by a JS function this file hands to
// the engine (src/modules/key-ops-misc.ts), which INFO calls for `INFO modules`,
// `INFO everything` and `INFO <module or section name>`. The Info* APIs build Valkey's
// text: sections `# <module>_<section>`, fields `<module>_<field>:<value>`, dict fields
// `<module>_<name>:a=1,b=2`. GetServerInfo parses the engine's INFO text into a field map.
#include <cctype>
#include <cerrno>
#include <cmath>
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

/** A parsed INFO reply: field name -> value (the first occurrence wins, as in Valkey). */
struct ValkeyModuleServerInfoData {
    std::map<std::string, std::string> fields;
};

/** What an INFO callback writes into. */
struct ValkeyModuleInfoCtx {
    Module *module = nullptr;
    const std::vector<std::string> *requested = nullptr;  // nullptr: every section
    std::string *out = nullptr;                           // the sections so far
    bool inSection = false;
    bool inDictField = false;
};

extern "C" int VM_InfoEndDictField(ValkeyModuleInfoCtx *ctx);

namespace {

// Op numbers of this area (served by src/modules/key-ops-misc.ts).
constexpr int KOP_PUBLISH = 500;          // (channel, message) -> receivers
constexpr int KOP_PUBLISH_SHARD = 501;    // (channel, message) -> receivers
constexpr int KOP_AVOID_REPLICA = 502;    // () -> paused for replica traffic?
constexpr int KOP_LATENCY_SAMPLE = 503;   // (event, ms) -> sampled?
constexpr int KOP_INFO_TEXT = 504;        // (section or null) -> INFO text
constexpr int KOP_INFO_RENDERER = 505;    // (fn) -> installs the module INFO renderer

/** A registered INFO callback (the module pointer and name identify a loaded module). */
struct InfoFunc {
    Host *host;
    Module *module;
    std::string name;
    ValkeyModuleInfoFunc cb;
};

std::vector<InfoFunc> g_info_funcs;
std::vector<Host *> g_renderer_hosts;  // hosts whose engine has the renderer installed

bool module_loaded(Host *h, Module *m) {
    for (Module *x : h->modules)
        if (x == m) return true;
    return false;
}

/** Valkey's getSafeInfoString: ':', '\r', '\n' and '#' become '_'. */
std::string safe_info(const char *s) {
    std::string r(s ? s : "");
    for (char &c : r)
        if (c == ':' || c == '\r' || c == '\n' || c == '#') c = '_';
    return r;
}

bool lower_eq(const std::string &a, const std::string &b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool requested(const ValkeyModuleInfoCtx *ctx, const std::string &name) {
    for (const std::string &r : *ctx->requested)
        if (lower_eq(r, name)) return true;
    return false;
}

/** The module INFO renderer: (requested section names or null) -> array of section texts. */
Napi::Value render_module_info(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Host *h = static_cast<Host *>(info.Data());
    std::vector<std::string> names;
    bool all = info.Length() < 1 || !info[0].IsArray();
    if (!all) {
        Napi::Array arr = info[0].As<Napi::Array>();
        for (uint32_t i = 0; i < arr.Length(); i++) {
            Napi::Value v = arr.Get(i);
            if (v.IsString()) names.push_back(js_to_bytes(env, v));
        }
    }
    Napi::Array result = Napi::Array::New(env);
    uint32_t n = 0;
    // Copy first: a callback may (in theory) register further callbacks.
    std::vector<InfoFunc> funcs;
    for (const InfoFunc &f : g_info_funcs)
        if (f.host == h && module_loaded(h, f.module) && f.module->name == f.name) funcs.push_back(f);
    for (const InfoFunc &f : funcs) {
        std::string text;
        ValkeyModuleInfoCtx ictx;
        ictx.module = f.module;
        ictx.requested = all ? nullptr : &names;
        ictx.out = &text;
        {
            CurrentHostScope scope(h);
            f.cb(&ictx, 0);
        }
        if (ictx.inDictField) VM_InfoEndDictField(&ictx);
        // Each section becomes one element: INFO joins sections with a blank line.
        size_t start = 0;
        while (start < text.size()) {
            size_t next = text.find("\r\n# ", start);
            size_t end = next == std::string::npos ? text.size() : next + 2;
            result.Set(n++, bytes_to_js(env, text.data() + start, end - start));
            start = end;
        }
    }
    return result;
}

/** Installs the renderer in the host's engine once. */
void ensure_renderer(Host *h) {
    for (Host *x : g_renderer_hosts)
        if (x == h) return;
    Napi::HandleScope scope(h->env);
    Napi::Function fn = Napi::Function::New(h->env, render_module_info, "moduleInfo", h);
    key_op(h, KOP_INFO_RENDERER, 0, nullptr, fn);
    g_renderer_hosts.push_back(h);
}

/** Valkey's string2ll: an optional '-', no leading zeros or spaces, no overflow. */
bool strict_ll(const std::string &s, long long *out) {
    if (s.empty() || s.size() > 20) return false;
    if (s == "0") {
        *out = 0;
        return true;
    }
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i >= s.size() || s[i] < '1' || s[i] > '9') return false;
    unsigned long long v = 0;
    for (; i < s.size(); i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        unsigned long long d = static_cast<unsigned long long>(s[i] - '0');
        if (v > (18446744073709551615ULL - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > 9223372036854775808ULL) return false;
        *out = v == 9223372036854775808ULL ? INT64_MIN : -static_cast<long long>(v);
    } else {
        if (v > 9223372036854775807ULL) return false;
        *out = static_cast<long long>(v);
    }
    return true;
}

const std::string *find_field(ValkeyModuleServerInfoData *data, const char *field) {
    if (!data || !field) return nullptr;
    auto it = data->fields.find(field);
    return it == data->fields.end() ? nullptr : &it->second;
}

int publish(ValkeyModuleCtx *ctx, int op, ValkeyModuleString *channel, ValkeyModuleString *message) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (!h || !channel || !message) return 0;
    Napi::HandleScope scope(h->env);
    Napi::Value v = key_op(h, op, 0, nullptr, js_key_value(h->env, channel), js_key_value(h->env, message));
    return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : 0;
}

}  // namespace

extern "C" {

/** Publishes a message to a channel; returns the number of clients that received it. */
int VM_PublishMessage(ValkeyModuleCtx *ctx, ValkeyModuleString *channel, ValkeyModuleString *message) {
    return publish(ctx, KOP_PUBLISH, channel, message);
}

/** Publishes a message to a shard channel; returns the number of clients that received it. */
int VM_PublishMessageShard(ValkeyModuleCtx *ctx, ValkeyModuleString *channel, ValkeyModuleString *message) {
    return publish(ctx, KOP_PUBLISH_SHARD, channel, message);
}

/** 1 while clients are paused (CLIENT PAUSE), when replicas should not get new traffic. */
int VM_AvoidReplicaTraffic(void) {
    Host *h = g_current_host;
    if (!h) return 0;
    Napi::HandleScope scope(h->env);
    return key_op(h, KOP_AVOID_REPLICA, 0, nullptr).ToBoolean().Value() ? 1 : 0;
}

/** Adds a sample to the latency monitor's `event` when it reaches latency-monitor-threshold. */
void VM_LatencyAddSample(const char *event, mstime_t latency) {
    Host *h = g_current_host;
    if (!h || !event) return;
    Napi::HandleScope scope(h->env);
    key_op(h, KOP_LATENCY_SAMPLE, 0, nullptr, bytes_to_js(h->env, event, strlen(event)),
           Napi::Number::New(h->env, static_cast<double>(latency)));
}

/** Registers the module's INFO callback (replacing an earlier one). */
int VM_RegisterInfoFunc(ValkeyModuleCtx *ctx, ValkeyModuleInfoFunc cb) {
    if (!ctx || !ctx->module || !ctx->host) return VALKEYMODULE_ERR;
    Host *h = ctx->host;
    for (auto it = g_info_funcs.begin(); it != g_info_funcs.end();) {
        if (it->host == h && (it->module == ctx->module || !module_loaded(h, it->module)))
            it = g_info_funcs.erase(it);
        else
            ++it;
    }
    if (cb) g_info_funcs.push_back({h, ctx->module, ctx->module->name, cb});
    ensure_renderer(h);
    return VALKEYMODULE_OK;
}

/** Starts a section `<module>_<name>` (just `<module>` for NULL or ""). ERR when this
 *  section was not asked for: its fields are then dropped. */
int VM_InfoAddSection(ValkeyModuleInfoCtx *ctx, const char *name) {
    if (!ctx) return VALKEYMODULE_ERR;
    std::string full = ctx->module->name;
    if (name && *name) full += std::string("_") + name;
    if (ctx->inDictField) VM_InfoEndDictField(ctx);
    if (ctx->requested && !requested(ctx, full) && !requested(ctx, ctx->module->name)) {
        ctx->inSection = false;
        return VALKEYMODULE_ERR;
    }
    ctx->out->append("# ").append(full).append("\r\n");
    ctx->inSection = true;
    return VALKEYMODULE_OK;
}

/** Starts a dict field `<module>_<name>:` whose fields follow as k=v pairs. */
int VM_InfoBeginDictField(ValkeyModuleInfoCtx *ctx, const char *name) {
    if (!ctx || !ctx->inSection || !name) return VALKEYMODULE_ERR;
    if (ctx->inDictField) VM_InfoEndDictField(ctx);
    ctx->out->append(safe_info(ctx->module->name.c_str())).append("_").append(safe_info(name)).append(":");
    ctx->inDictField = true;
    return VALKEYMODULE_OK;
}

/** Ends a dict field. ERR when none is open. */
int VM_InfoEndDictField(ValkeyModuleInfoCtx *ctx) {
    if (!ctx || !ctx->inDictField) return VALKEYMODULE_ERR;
    if (!ctx->out->empty() && ctx->out->back() == ',') ctx->out->pop_back();
    ctx->out->append("\r\n");
    ctx->inDictField = false;
    return VALKEYMODULE_OK;
}

}  // extern "C"

namespace {

int add_field(ValkeyModuleInfoCtx *ctx, const char *field, const std::string &value) {
    if (!ctx || !ctx->inSection || !field) return VALKEYMODULE_ERR;
    if (ctx->inDictField) {
        ctx->out->append(field).append("=").append(value).append(",");
        return VALKEYMODULE_OK;
    }
    ctx->out->append(ctx->module->name).append("_").append(field).append(":").append(value).append("\r\n");
    return VALKEYMODULE_OK;
}

}  // namespace

extern "C" {

/** Adds a field with a string value. ERR outside a section. */
int VM_InfoAddFieldString(ValkeyModuleInfoCtx *ctx, const char *field, ValkeyModuleString *value) {
    if (!value) return VALKEYMODULE_ERR;
    return add_field(ctx, field, std::string(value->ptr, value->len));
}

/** Adds a field with a C string value. ERR outside a section. */
int VM_InfoAddFieldCString(ValkeyModuleInfoCtx *ctx, const char *field, const char *value) {
    return add_field(ctx, field, value ? value : "");
}

/** Adds a field with a double value (%.17g). ERR outside a section. */
int VM_InfoAddFieldDouble(ValkeyModuleInfoCtx *ctx, const char *field, double value) {
    char buf[64];
    snprintf(buf, sizeof(buf), "%.17g", value);
    return add_field(ctx, field, buf);
}

/** Adds a field with a signed integer value. ERR outside a section. */
int VM_InfoAddFieldLongLong(ValkeyModuleInfoCtx *ctx, const char *field, long long value) {
    return add_field(ctx, field, std::to_string(value));
}

/** Adds a field with an unsigned integer value. ERR outside a section. */
int VM_InfoAddFieldULongLong(ValkeyModuleInfoCtx *ctx, const char *field, unsigned long long value) {
    return add_field(ctx, field, std::to_string(value));
}

/** The fields of an INFO section (NULL: the default sections), as INFO would print them.
 *  Free with FreeServerInfo. */
ValkeyModuleServerInfoData *VM_GetServerInfo(ValkeyModuleCtx *ctx, const char *section) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (!h) return nullptr;
    Napi::HandleScope scope(h->env);
    Napi::Value sec = section ? bytes_to_js(h->env, section, strlen(section)) : h->env.Null();
    Napi::Value v = key_op(h, KOP_INFO_TEXT, 0, nullptr, sec);
    auto *data = new ValkeyModuleServerInfoData();
    if (ctx) ctx_auto_add(ctx, AutoKind::ServerInfo, data);
    if (!v.IsString()) return data;
    std::string text = js_to_bytes(h->env, v);
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t eol = text.find("\r\n", pos);
        if (eol == std::string::npos) eol = text.size();
        std::string line = text.substr(pos, eol - pos);
        pos = eol + 2;
        if (line.empty() || line[0] == '#') continue;
        size_t sep = line.find(':');
        if (sep == std::string::npos) continue;
        data->fields.emplace(line.substr(0, sep), line.substr(sep + 1));
    }
    return data;
}

/** Frees what GetServerInfo returned. */
void VM_FreeServerInfo(ValkeyModuleCtx *ctx, ValkeyModuleServerInfoData *data) {
    if (!data) return;
    if (ctx) ctx_auto_forget(ctx, AutoKind::ServerInfo, data);
    delete data;
}

/** A field's value as a new string (AutoMemory-tracked), or NULL when absent. */
ValkeyModuleString *VM_ServerInfoGetField(ValkeyModuleCtx *ctx, ValkeyModuleServerInfoData *data,
                                          const char *field) {
    const std::string *v = find_field(data, field);
    if (!v) return nullptr;
    ValkeyModuleString *s = vmstr_new(v->data(), v->size());
    if (ctx) ctx_auto_add(ctx, AutoKind::String, s);
    return s;
}

/** A field's value as a C string owned by `data`, or NULL when absent. */
const char *VM_ServerInfoGetFieldC(ValkeyModuleServerInfoData *data, const char *field) {
    const std::string *v = find_field(data, field);
    return v ? v->c_str() : nullptr;
}

/** A field's value as a signed integer; *out_err is ERR when absent or not an integer. */
long long VM_ServerInfoGetFieldSigned(ValkeyModuleServerInfoData *data, const char *field, int *out_err) {
    const std::string *v = find_field(data, field);
    long long ll = 0;
    if (!v || !strict_ll(*v, &ll)) {
        if (out_err) *out_err = VALKEYMODULE_ERR;
        return 0;
    }
    if (out_err) *out_err = VALKEYMODULE_OK;
    return ll;
}

/** A field's value as an unsigned integer; *out_err is ERR when absent or not one. */
unsigned long long VM_ServerInfoGetFieldUnsigned(ValkeyModuleServerInfoData *data, const char *field, int *out_err) {
    const std::string *v = find_field(data, field);
    unsigned long long ull = 0;
    bool ok = false;
    if (v) {
        long long ll;
        if (strict_ll(*v, &ll)) {
            ok = ll >= 0;
            ull = static_cast<unsigned long long>(ll);
        } else if (!v->empty()) {
            errno = 0;
            char *end = nullptr;
            ull = strtoull(v->c_str(), &end, 10);
            ok = errno != EINVAL && errno != ERANGE && *end == '\0';
        }
    }
    if (!ok) {
        if (out_err) *out_err = VALKEYMODULE_ERR;
        return 0;
    }
    if (out_err) *out_err = VALKEYMODULE_OK;
    return ull;
}

/** A field's value as a double; *out_err is ERR when absent or not a number. */
double VM_ServerInfoGetFieldDouble(ValkeyModuleServerInfoData *data, const char *field, int *out_err) {
    const std::string *v = find_field(data, field);
    double d = 0;
    bool ok = false;
    if (v && !v->empty() && !isspace(static_cast<unsigned char>((*v)[0]))) {
        errno = 0;
        char *end = nullptr;
        d = strtod(v->c_str(), &end);
        ok = *end == '\0' && !(errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL || std::fpclassify(d) == FP_ZERO)) &&
             !std::isnan(d);
    }
    if (!ok) {
        if (out_err) *out_err = VALKEYMODULE_ERR;
        return 0;
    }
    if (out_err) *out_err = VALKEYMODULE_OK;
    return d;
}

}  // extern "C"
