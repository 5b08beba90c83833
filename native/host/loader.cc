// Module loading: dlopen, OnLoad, failure rollback, OnUnload and cleanup.
#include "loader.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include "context.h"
#include "modtype.h"
#include "events.h"
#include "vmstring.h"

namespace vmhost {

namespace {

typedef int (*OnLoadFn)(ValkeyModuleCtx *, ValkeyModuleString **, int);
typedef int (*OnUnloadFn)(ValkeyModuleCtx *);

/** Real paths of shared objects currently open in this process -> how many times. dlopen
 *  of the same file twice returns the same handle (shared globals), so a second Engine
 *  loading the same .so gets a private copy instead. */
std::map<std::string, int> g_open_paths;

/** Copies `src` to a fresh temporary file and returns its path ("" on failure). */
std::string private_copy(const std::string &src) {
    char tmpl[] = "/tmp/vmhost-module-XXXXXX";
    int out = mkstemp(tmpl);
    if (out < 0) return "";
    int in = open(src.c_str(), O_RDONLY);
    struct stat st;
    bool ok = in >= 0 && fstat(in, &st) == 0;
    off_t off = 0;
    while (ok && off < st.st_size) {
        ssize_t n = sendfile(out, in, &off, st.st_size - off);
        if (n <= 0) ok = false;
    }
    if (in >= 0) close(in);
    fchmod(out, 0700);
    close(out);
    if (!ok) {
        unlink(tmpl);
        return "";
    }
    return tmpl;
}

struct OpenResult {
    void *handle = nullptr;
    std::string realPath;
};

/** dlopen with RTLD_NOW|RTLD_LOCAL, giving each load of the same file its own instance. */
OpenResult open_shared_object(const std::string &path) {
    OpenResult r;
    char real[PATH_MAX];
    r.realPath = realpath(path.c_str(), real) ? std::string(real) : path;
    if (g_open_paths[r.realPath] > 0) {
        std::string copy = private_copy(r.realPath);
        if (!copy.empty()) {
            r.handle = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
            unlink(copy.c_str());
            if (r.handle) g_open_paths[r.realPath]++;
            return r;
        }
    }
    r.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (r.handle) g_open_paths[r.realPath]++;
    return r;
}

void close_shared_object(void *handle, const std::string &realPath) {
    if (!handle) return;
    dlclose(handle);
    auto it = g_open_paths.find(realPath);
    if (it != g_open_paths.end() && --it->second <= 0) g_open_paths.erase(it);
}

std::map<void *, std::string> g_handle_paths;  // dlopen handle -> the real path it counts under

}  // namespace

bool module_configs_missing_load(Module *m);  // api/configs.cc
void module_configs_forget(Module *m);        // api/configs.cc

void command_filters_forget(Module *m);  // api/filters.cc
void notifications_forget(Host *h, Module *m);  // api/notifications.cc
void auth_callbacks_forget(Host *host, Module *m);  // api/auth.cc

void release_module(Host *host, Module *m) {
    events_module_forget(host, m);  // server events, timers, fd events, one-shots
    shared_api_forget(m);
    command_filters_forget(m);
    notifications_forget(host, m);
    auth_callbacks_forget(host, m);
    module_configs_forget(m);
    module_types_forget(host, m);  // only a failed OnLoad gets here with types
    for (ValkeyModuleCommand *c : m->commands) host->removeCommand(c);
    m->commands.clear();
    for (ValkeyModuleString *s : m->args) vmstr_decref(s);
    m->args.clear();
    delete m;
}

Module *load_module(Host *host, const std::string &path, const std::vector<std::string> &args) {
    const char *cpath = path.c_str();
    struct stat st;
    if (stat(cpath, &st) == 0) {
        // Best effort, as Valkey: a file nobody may execute is refused before dlopen.
        if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
            host->logf(LL_WARNING, "Module %s failed to load: It does not have execute permissions.", cpath);
            return nullptr;
        }
    }
    OpenResult opened = open_shared_object(path);
    if (!opened.handle) {
        const char *err = dlerror();
        host->logf(LL_WARNING, "Module %s failed to load: %s", cpath, err ? err : "unknown error");
        return nullptr;
    }
    void *handle = opened.handle;
    OnLoadFn onload = reinterpret_cast<OnLoadFn>(dlsym(handle, "ValkeyModule_OnLoad"));
    if (!onload) {
        onload = reinterpret_cast<OnLoadFn>(dlsym(handle, "RedisModule_OnLoad"));
        if (onload) host->logf(LL_VERBOSE, "Legacy Redis Module %s found", cpath);
    }
    if (!onload) {
        close_shared_object(handle, opened.realPath);
        host->logf(LL_WARNING,
                   "Module %s does not export ValkeyModule_OnLoad() or RedisModule_OnLoad() symbol. "
                   "Module not loaded.",
                   cpath);
        return nullptr;
    }

    std::vector<ValkeyModuleString *> argv;
    argv.reserve(args.size());
    for (const std::string &a : args) argv.push_back(vmstr_new(a.data(), a.size()));

    ValkeyModuleCtx ctx;
    events_register_host(host);
    ctx_init(&ctx, host, nullptr, CTX_ON_LOAD);
    int status;
    {
        CurrentHostScope scope(host);
        status = onload(&ctx, argv.data(), static_cast<int>(argv.size()));
    }
    Module *m = ctx.module;
    ctx_finish(&ctx);
    host->loading = nullptr;

    if (status == VALKEYMODULE_ERR || !m) {
        if (m) {
            release_module(host, m);
            close_shared_object(handle, opened.realPath);
            host->logf(LL_WARNING, "Module %s initialization failed. Module not loaded", cpath);
        } else {
            close_shared_object(handle, opened.realPath);
            host->logf(LL_WARNING, status == VALKEYMODULE_ERR
                                       ? "Module %s initialization failed. Module name is busy."
                                       : "Module %s did not call ValkeyModule_Init. Module not loaded",
                       cpath);
        }
        for (ValkeyModuleString *s : argv) vmstr_decref(s);
        return nullptr;
    }
    if (module_configs_missing_load(m)) {
        host->logf(LL_WARNING, "Module Configurations were not set, likely a missing LoadConfigs call. Unloading the module.");
        release_module(host, m);
        close_shared_object(handle, opened.realPath);
        for (ValkeyModuleString *s : argv) vmstr_decref(s);
        return nullptr;
    }

    m->onLoad = false;
    m->handle = handle;
    m->path = path;
    m->args = std::move(argv);  // our references move to the module (MODULE LIST args)
    g_handle_paths[handle] = opened.realPath;
    host->modules.push_back(m);
    host->logf(LL_NOTICE, "Module '%s' loaded from %s", m->name.c_str(), cpath);
    events_module_change(host, m, VALKEYMODULE_SUBEVENT_MODULE_LOADED);
    return m;
}

std::string unload_module(Host *host, const std::string &name) {
    Module *m = host->findModule(name);
    if (!m) return "no such module with that name";
    if (module_has_types(m)) {
        errno = EBUSY;
        return "the module exports one or more module-side data types, can't unload";
    }
    if (shared_api_in_use(m)) {
        errno = EBUSY;
        return "the module exports APIs used by other modules. Please unload them first and try again";
    }
    if (m->blockedClients > 0) {
        errno = EBUSY;
        return "the module has blocked clients. Please wait for them to be unblocked and try again";
    }
    if (timers_held_by(host, m)) {
        errno = EBUSY;
        return "the module holds timer that is not fired. Please stop the timer or wait until it fires.";
    }

    OnUnloadFn onunload = reinterpret_cast<OnUnloadFn>(dlsym(m->handle, "ValkeyModule_OnUnload"));
    if (!onunload) onunload = reinterpret_cast<OnUnloadFn>(dlsym(m->handle, "RedisModule_OnUnload"));
    if (onunload) {
        ValkeyModuleCtx ctx;
        ctx_init(&ctx, host, m, 0);
        int status;
        {
            CurrentHostScope scope(host);
            status = onunload(&ctx);
        }
        ctx_finish(&ctx);
        if (status == VALKEYMODULE_ERR) {
            host->logf(LL_WARNING, "Module %s OnUnload failed.  Unload canceled.", m->name.c_str());
            errno = ECANCELED;
            return "operation not possible.";
        }
    }

    std::string modName = m->name;
    void *handle = m->handle;
    host->modules.erase(std::find(host->modules.begin(), host->modules.end(), m));
    events_module_change(host, m, VALKEYMODULE_SUBEVENT_MODULE_UNLOADED);
    release_module(host, m);
    std::string real = g_handle_paths[handle];
    g_handle_paths.erase(handle);
    close_shared_object(handle, real);
    host->logf(LL_NOTICE, "Module %s unloaded", modName.c_str());
    return "";
}

}  // namespace vmhost
