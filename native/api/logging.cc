// Logging: ValkeyModule_Log, LogIOError and the _Assert behind ValkeyModule_Assert.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <unistd.h>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/io.h"

using namespace vmhost;

namespace {

constexpr size_t kLogMaxLen = 1024;  // Valkey truncates a log line to this size

int parse_level(const char *levelstr) {
    if (!levelstr) return LL_VERBOSE;
    if (!strcasecmp(levelstr, "debug")) return LL_DEBUG;
    if (!strcasecmp(levelstr, "verbose")) return LL_VERBOSE;
    if (!strcasecmp(levelstr, "notice")) return LL_NOTICE;
    if (!strcasecmp(levelstr, "warning")) return LL_WARNING;
    return LL_VERBOSE;  // an unknown level logs as verbose
}

/** Formats "<module> message" and hands it to the host's log. */
void log_raw(Host *host, Module *module, const char *levelstr, const char *fmt, va_list ap) {
    if (!host) host = g_current_host;
    int level = parse_level(levelstr);
    if (host && level < host->verbosity) return;
    char msg[kLogMaxLen];
    int n = snprintf(msg, sizeof(msg), "<%s> ", module ? module->name.c_str() : "module");
    if (n < 0) return;
    if (static_cast<size_t>(n) < sizeof(msg)) vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    if (host)
        host->log(level, msg);
    else
        fprintf(stderr, "%s\n", msg);
}

}  // namespace

namespace vmhost {

void log_ctx_v(const void *c, const char *levelstr, const char *fmt, va_list ap) {
    auto *ctx = static_cast<const ValkeyModuleCtx *>(c);
    log_raw(ctx ? ctx->host : nullptr, ctx ? ctx->module : nullptr, levelstr, fmt, ap);
}

void log_io_v(const void *i, const char *levelstr, const char *fmt, va_list ap) {
    Module *m = i ? static_cast<const ValkeyModuleIO *>(i)->module : nullptr;
    log_raw(m ? m->host : nullptr, m, levelstr, fmt, ap);
}

}  // namespace vmhost

extern "C" {

/** Writes a printf-style message to the server log at `levelstr` ("debug", "verbose",
 *  "notice", "warning"; anything else is verbose) as "<module> message". Lines below the
 *  configured loglevel are dropped; a line is cut at 1024 bytes. */
void VM_Log(ValkeyModuleCtx *ctx, const char *levelstr, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_ctx_v(ctx, levelstr, fmt, ap);
    va_end(ap);
}

/** Like VM_Log, from inside an RDB/AOF callback: the module is the one owning the type. */
void VM_LogIOError(ValkeyModuleIO *io, const char *levelstr, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    log_io_v(io, levelstr, fmt, ap);
    va_end(ap);
}

/** Backs ValkeyModule_Assert: logs Valkey's assertion report and terminates the process
 *  (the macro's own exit(1) is never reached). */
void VM__Assert(const char *estr, const char *file, int line) {
    Host *h = g_current_host;
    char buf[kLogMaxLen];
    snprintf(buf, sizeof(buf), "==> %s:%d '%s' is not true", file ? file : "?", line, estr ? estr : "?");
    // Straight to stderr as well: the process is about to end, buffered logs may be lost.
    fprintf(stderr, "=== ASSERTION FAILED ===\n%s\n", buf);
    fflush(stderr);
    if (h) {
        h->log(LL_WARNING, "=== ASSERTION FAILED ===");
        h->log(LL_WARNING, buf);
    }
    _exit(1);
}

}  // extern "C"
