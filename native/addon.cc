// The N-API surface TypeScript calls (typed in src/modules/native.ts).
//
//   new NativeHost({ log, commandExists })  one per Engine
//   host.loadModule(path, args)             -> module summary, or null (reason logged)
//   host.unloadModule(name)                 -> "" or Valkey's reason
//   host.modules()                          -> module summaries
//   host.moduleCommands(name)               -> command descriptions (COMMAND INFO data)
//   host.setArgBuffer(buf)                  the packed-argument block calls read from
//   host.call(id, argc, clientId, resp, db, flags) -> tape length (negative: refresh view)
//   host.tapeBuffer()                       -> Buffer over the reply tape
//   host.getKeys(id, argc, channels)        -> Int32Array [pos, flags, ...] or null
//   host.moduleType(op, ...)                module data types (host/modtype.h)
//   apiTable()                              -> [area, name, implemented, reason][]
#include <napi.h>

#include <vector>

#include "api/table.h"
#include "host/blocked.h"
#include "host/clock.h"
#include "host/command_meta.h"
#include "host/context.h"
#include "host/events.h"
#include "host/gil.h"
#include "host/host.h"
#include "host/jsbytes.h"
#include "host/loader.h"
#include "host/modtype.h"
#include "host/vmstring.h"

using namespace vmhost;

namespace vmhost {
size_t command_filters_count(const Module *m);  // api/filters.cc
}

namespace {

class HostWrap : public Napi::ObjectWrap<HostWrap> {
public:
    static Napi::Function Define(Napi::Env env) {
        return DefineClass(env, "NativeHost",
                           {
                               InstanceMethod("loadModule", &HostWrap::LoadModule),
                               InstanceMethod("unloadModule", &HostWrap::UnloadModule),
                               InstanceMethod("modules", &HostWrap::Modules),
                               InstanceMethod("moduleCommands", &HostWrap::ModuleCommands),
                               InstanceMethod("setArgBuffer", &HostWrap::SetArgBuffer),
                               InstanceMethod("call", &HostWrap::Call),
                               InstanceMethod("tapeBuffer", &HostWrap::TapeBuffer),
                               InstanceMethod("getKeys", &HostWrap::GetKeys),
                               InstanceMethod("setServerFlags", &HostWrap::SetServerFlags),
                               InstanceMethod("setVerbosity", &HostWrap::SetVerbosity),
                               InstanceMethod("moduleType", &HostWrap::ModuleType),
                               InstanceMethod("fireServerEvent", &HostWrap::FireServerEvent),
                               InstanceMethod("blocked", &HostWrap::Blocked),
                           });
    }

    explicit HostWrap(const Napi::CallbackInfo &info) : Napi::ObjectWrap<HostWrap>(info), host_(info.Env()) {
        if (info.Length() > 0 && info[0].IsObject()) {
            Napi::Object hooks = info[0].As<Napi::Object>();
            if (hooks.Get("log").IsFunction()) host_.logHook = Napi::Persistent(hooks.Get("log").As<Napi::Function>());
            if (hooks.Get("commandExists").IsFunction())
                host_.commandExistsHook = Napi::Persistent(hooks.Get("commandExists").As<Napi::Function>());
            if (hooks.Get("key").IsFunction()) host_.keyHook = Napi::Persistent(hooks.Get("key").As<Napi::Function>());
            if (hooks.Get("call").IsFunction()) host_.callHook = Napi::Persistent(hooks.Get("call").As<Napi::Function>());
        }
    }

    ~HostWrap() override {
        events_host_gone(&host_);
        blocked_host_destroy(&host_);
        type_table_drop(&host_);
        // Modules stay mapped until process exit unless unloaded: their code may still be
        // referenced by pointers the engine handed out.
    }

private:
    Napi::Value LoadModule(const Napi::CallbackInfo &info) {
        Napi::Env env = info.Env();
        std::string path = info[0].As<Napi::String>().Utf8Value();
        std::vector<std::string> args;
        if (info.Length() > 1 && info[1].IsArray()) {
            Napi::Array a = info[1].As<Napi::Array>();
            for (uint32_t i = 0; i < a.Length(); i++) args.push_back(js_to_bytes(env, a.Get(i)));
        }
        Module *m = load_module(&host_, path, args);
        if (!m) return env.Null();
        return describeModule(env, m);
    }

    Napi::Value UnloadModule(const Napi::CallbackInfo &info) {
        std::string reason = unload_module(&host_, info[0].As<Napi::String>().Utf8Value());
        return Napi::String::New(info.Env(), reason);
    }

    Napi::Value Modules(const Napi::CallbackInfo &info) {
        Napi::Env env = info.Env();
        Napi::Array out = Napi::Array::New(env, host_.modules.size());
        for (size_t i = 0; i < host_.modules.size(); i++) out.Set(i, describeModule(env, host_.modules[i]));
        return out;
    }

    Napi::Value ModuleCommands(const Napi::CallbackInfo &info) {
        Napi::Env env = info.Env();
        Module *m = host_.findModule(info[0].As<Napi::String>().Utf8Value());
        if (!m) return env.Null();
        Napi::Array out = Napi::Array::New(env, m->commands.size());
        for (size_t i = 0; i < m->commands.size(); i++) out.Set(i, describeCommand(env, m->commands[i]));
        return out;
    }

    Napi::Value SetArgBuffer(const Napi::CallbackInfo &info) {
        Napi::Buffer<uint8_t> b = info[0].As<Napi::Buffer<uint8_t>>();
        argRef_ = Napi::Persistent(b);
        argData_ = b.Data();
        argCap_ = b.Length();
        return info.Env().Undefined();
    }

    /** Unpacks argc arguments from the arg buffer ([u32 len]*argc then the bytes). */
    void unpackArgs(int argc, std::vector<ValkeyModuleString *> &argv) {
        const uint8_t *lens = argData_;
        const uint8_t *p = argData_ + 4 * static_cast<size_t>(argc);
        argv.resize(argc);
        for (int i = 0; i < argc; i++) {
            uint32_t n;
            memcpy(&n, lens + 4 * i, 4);
            argv[i] = vmstr_new(reinterpret_cast<const char *>(p), n);
            argv[i]->flags |= VMSTR_ARGV;
            p += n;
        }
    }

    /** Runs module command `id` for a client; replies land on the tape. Returns the tape
     *  length, or -(length)-1 when the tape moved and tapeBuffer() must be fetched again.
     *  A command nested in another one (run through ValkeyModule_Call) writes to a tape of
     *  its own and gets its bytes back as a Buffer. */
    Napi::Value Call(const Napi::CallbackInfo &info) {
        Napi::Env env = info.Env();
        uint32_t id = info[0].As<Napi::Number>().Uint32Value();
        int argc = info[1].As<Napi::Number>().Int32Value();
        ValkeyModuleCommand *cmd = host_.command(id);
        const int depth = host_.dispatchDepth;
        ReplyTape &tape = host_.tapeAt(depth);
        tape.reset();
        uint32_t gen = tape.generation();
        if (!cmd || !cmd->func) {
            static const char kMsg[] = "ERR command is not available";
            tape.addError(kMsg, sizeof(kMsg) - 1);
        } else {
            // Borrow the scratch vector; a nested call (a module command running another
            // through the engine) finds it empty and uses its own.
            std::vector<ValkeyModuleString *> argv;
            argv.swap(argvScratch_);
            unpackArgs(argc, argv);
            ValkeyModuleCtx ctx;
            ctx_init(&ctx, &host_, cmd->module, CTX_COMMAND);
            ctx.client.id = static_cast<uint64_t>(info[2].As<Napi::Number>().Int64Value());
            ctx.client.resp = info[3].As<Napi::Number>().Int32Value();
            ctx.client.db = info[4].As<Napi::Number>().Int32Value();
            ctx.client.jsFlags = info[5].As<Napi::Number>().Uint32Value();
            ctx.tape = &tape;
            ctx.command = cmd;
            ctx.argc = argc;
            ctx.argv = argv.data();
            set_cached_time_us(-1);
            {
                CurrentHostScope scope(&host_);
                JsLockScope lock;  // module code runs holding the global lock (re-entrant)
                host_.dispatchDepth = depth + 1;
                cmd->func(&ctx, argv.data(), argc);
                ctx_finish(&ctx);
                host_.dispatchDepth = depth;
            }
            for (ValkeyModuleString *s : argv) vmstr_decref(s);
            argv.clear();
            argvScratch_.swap(argv);
        }
        if (depth > 0) return Napi::Buffer<uint8_t>::Copy(env, tape.data(), tape.size());
        double len = static_cast<double>(tape.size());
        if (tape.generation() != gen) len = -len - 1;
        return Napi::Number::New(env, len);
    }

    Napi::Value TapeBuffer(const Napi::CallbackInfo &info) {
        Napi::Env env = info.Env();
        if (host_.tape.capacity() == 0) host_.tape.addNull(), host_.tape.reset();
        // An external view over native memory: valid until the tape reallocates, which
        // call() reports; the memory is owned (and freed) by the tape.
        return Napi::Buffer<uint8_t>::New(env, const_cast<uint8_t *>(host_.tape.data()), host_.tape.capacity(),
                                          [](Napi::Env, uint8_t *) {});
    }

    /** Key (or channel) positions of module command `id` for the packed arguments. */
    Napi::Value GetKeys(const Napi::CallbackInfo &info) {
        Napi::Env env = info.Env();
        uint32_t id = info[0].As<Napi::Number>().Uint32Value();
        int argc = info[1].As<Napi::Number>().Int32Value();
        bool channels = info.Length() > 2 && info[2].ToBoolean().Value();
        ValkeyModuleCommand *cmd = host_.command(id);
        if (!cmd) return env.Null();
        std::vector<ValkeyModuleString *> argv;
        unpackArgs(argc, argv);
        std::vector<KeyPos> out;
        bool ok;
        {
            CurrentHostScope scope(&host_);
            ok = collectPositions(&host_, cmd, argc, argv.data(), channels, out);
        }
        for (ValkeyModuleString *s : argv) vmstr_decref(s);
        if (!ok) return env.Null();
        Napi::Int32Array arr = Napi::Int32Array::New(env, out.size() * 2);
        for (size_t i = 0; i < out.size(); i++) {
            arr[2 * i] = out[i].pos;
            arr[2 * i + 1] = out[i].flags;
        }
        return arr;
    }

    Napi::Value SetServerFlags(const Napi::CallbackInfo &info) {
        host_.serverFlags = info[0].As<Napi::Number>().Uint32Value();
        return info.Env().Undefined();
    }

    /** Module blocked clients: blocked(op, ...) (see host/blocked.h, blocked_method). */
    Napi::Value Blocked(const Napi::CallbackInfo &info) { return blocked_method(&host_, info); }

    /** fireServerEvent(id, subevent, ...payload): see src/modules/server-events.ts. */
    Napi::Value FireServerEvent(const Napi::CallbackInfo &info) { return events_fire_js(&host_, info); }

    Napi::Value SetVerbosity(const Napi::CallbackInfo &info) {
        host_.verbosity = info[0].As<Napi::Number>().Int32Value();
        return info.Env().Undefined();
    }

    /** Module data type operations (host/modtype.h, src/modules/module-types.ts). */
    Napi::Value ModuleType(const Napi::CallbackInfo &info) { return modtype_napi(&host_, info); }

    Napi::Object describeModule(Napi::Env env, Module *m) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("name", Napi::String::New(env, m->name));
        o.Set("ver", Napi::Number::New(env, m->ver));
        o.Set("apiver", Napi::Number::New(env, m->apiver));
        o.Set("path", Napi::String::New(env, m->path));
        Napi::Array args = Napi::Array::New(env, m->args.size());
        for (size_t i = 0; i < m->args.size(); i++) args.Set(i, bytes_to_js(env, m->args[i]->ptr, m->args[i]->len));
        o.Set("args", args);
        o.Set("options", Napi::Number::New(env, static_cast<double>(m->options)));
        o.Set("filters", Napi::Number::New(env, static_cast<double>(command_filters_count(m))));
        // Shared-API links (INFO modules usedby=[..] / using=[..]), in the order they were made.
        Napi::Array usedby = Napi::Array::New(env, m->apiUsers.size());
        for (size_t i = 0; i < m->apiUsers.size(); i++) usedby.Set(i, Napi::String::New(env, m->apiUsers[i]->name));
        o.Set("usedby", usedby);
        Napi::Array usingMods = Napi::Array::New(env, m->usingApisOf.size());
        for (size_t i = 0; i < m->usingApisOf.size(); i++) usingMods.Set(i, Napi::String::New(env, m->usingApisOf[i]->name));
        o.Set("using", usingMods);
        Napi::Array cmds = Napi::Array::New(env, m->commands.size());
        for (size_t i = 0; i < m->commands.size(); i++) cmds.Set(i, describeCommand(env, m->commands[i]));
        o.Set("commands", cmds);
        return o;
    }

    Host host_;
    Napi::Reference<Napi::Buffer<uint8_t>> argRef_;
    uint8_t *argData_ = nullptr;
    size_t argCap_ = 0;
    std::vector<ValkeyModuleString *> argvScratch_;
};

Napi::Value ApiTable(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env, kApiTableSize);
    for (size_t i = 0; i < kApiTableSize; i++) {
        const ApiRow &r = kApiTable[i];
        Napi::Array row = Napi::Array::New(env, 4);
        row.Set(0u, Napi::String::New(env, r.area));
        row.Set(1u, Napi::String::New(env, r.name));
        row.Set(2u, Napi::Boolean::New(env, r.fn != nullptr));
        row.Set(3u, r.reason ? Napi::Value(Napi::String::New(env, r.reason)) : env.Null());
        out.Set(i, row);
    }
    return out;
}

/** gilAcquire() / gilRelease(): the JS thread takes / releases the global lock around a
 *  top-level command (re-entrant); gilState() is an Int32Array whose [0] turns 1 once module
 *  threads used the lock, so commands only pay for the lock when it matters. */
Napi::Value GilAcquire(const Napi::CallbackInfo &info) {
    gil_js_acquire();
    return info.Env().Undefined();
}

Napi::Value GilRelease(const Napi::CallbackInfo &info) {
    gil_js_release();
    return info.Env().Undefined();
}

Napi::Value GilState(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    void *p = const_cast<int32_t *>(&g_gil_used);
    Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, p, sizeof(int32_t), [](Napi::Env, void *) {});
    return Napi::Int32Array::New(env, 1, ab, 0);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
    gil_init(env);
    exports.Set("NativeHost", HostWrap::Define(env));
    exports.Set("apiTable", Napi::Function::New(env, ApiTable));
    exports.Set("gilAcquire", Napi::Function::New(env, GilAcquire));
    exports.Set("gilRelease", Napi::Function::New(env, GilRelease));
    exports.Set("gilState", Napi::Function::New(env, GilState));
    return exports;
}

}  // namespace

NODE_API_MODULE(vmhost, Init)
