// Host: per-Engine state, logging and the command dispatch vector.
#include "host.h"

#include "gil.h"

#include <cstdarg>
#include <cstdio>
#include <strings.h>
#include <thread>

namespace vmhost {

Host *g_current_host = nullptr;

Host::Host(Napi::Env e) : env(e) {
    gil_host_created(this);
}

Host::~Host() {
    gil_host_destroyed(this);
    for (ValkeyModuleCommand *c : commands_) delete c;
}

void Host::log(int level, const std::string &msg) {
    if (!on_js_thread()) {
        // A module thread: the line is handed to the JS logger (without waiting for it: the
        // JS thread may be waiting for this thread).
        struct Line {
            Host *host;
            int level;
            std::string msg;
        };
        post_to_js(
            this, [](void *p) { auto *l = static_cast<Line *>(p); l->host->log(l->level, l->msg); },
            new Line{this, level, msg}, [](void *p) { delete static_cast<Line *>(p); });
        return;
    }
    if (logHook.IsEmpty()) {
        fprintf(stderr, "%s\n", msg.c_str());
        return;
    }
    Napi::HandleScope scope(env);
    try {
        logHook.Call({Napi::Number::New(env, level), Napi::String::New(env, msg)});
    } catch (const Napi::Error &) {
        // A failing logger must not take the module down with it.
    }
}

void Host::logf(int level, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (static_cast<size_t>(n) < sizeof(buf)) {
        log(level, std::string(buf, n));
        return;
    }
    std::string big(n, '\0');
    va_start(ap, fmt);
    vsnprintf(&big[0], n + 1, fmt, ap);
    va_end(ap);
    log(level, big);
}

Module *Host::findModule(const std::string &name) const {
    for (Module *m : modules)
        if (strcasecmp(m->name.c_str(), name.c_str()) == 0) return m;
    return nullptr;
}

bool Host::commandExists(const std::string &fullname) {
    // Commands of the module being loaded are not in the engine's table yet.
    if (loading) {
        for (ValkeyModuleCommand *c : loading->commands)
            if (strcasecmp(c->fullname.c_str(), fullname.c_str()) == 0) return true;
    }
    for (Module *m : modules)
        for (ValkeyModuleCommand *c : m->commands)
            if (strcasecmp(c->fullname.c_str(), fullname.c_str()) == 0) return true;
    if (commandExistsHook.IsEmpty()) return false;
    if (!on_js_thread()) {
        bool exists = false;
        run_on_js_fn(this, [&] { exists = commandExists(fullname); });
        return exists;
    }
    Napi::HandleScope scope(env);
    try {
        Napi::Value v = commandExistsHook.Call({Napi::String::New(env, fullname)});
        return v.ToBoolean().Value();
    } catch (const Napi::Error &) {
        return false;
    }
}

uint32_t Host::addCommand(ValkeyModuleCommand *cmd) {
    cmd->id = static_cast<uint32_t>(commands_.size());
    commands_.push_back(cmd);
    return cmd->id;
}

void Host::removeCommand(ValkeyModuleCommand *cmd) {
    for (ValkeyModuleCommand *sub : cmd->subcommands) removeCommand(sub);
    cmd->subcommands.clear();
    if (cmd->id < commands_.size() && commands_[cmd->id] == cmd) commands_[cmd->id] = nullptr;
    delete cmd;
}

}  // namespace vmhost
