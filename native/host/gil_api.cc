// GetApi's trampolines: API calls made on module threads run on the JS thread.
//
// The rows of native/api/table_list.h decide: every API(...) row (an engine API) gets a
// trampoline here, ANY(...) rows are handed out unwrapped by table.cc, NONE(...) rows are
// not handed out at all. No other list of API names is kept here.
//
// An API(...) row with a fixed parameter list gets a trampoline generated from its type in
// include/valkeymodule.h: on the JS thread it calls the implementation straight away; on
// any other thread it marshals the whole call (gil.h run_on_js) and waits, carrying errno
// back. Variadic API(...) rows (Call, Replicate, HashSet, HashGet, Log, LogIOError) and the
// thread-safe-context constructors/destructor have hand-written wrappers below, attached to
// their row with VMHOST_GIL_HAND; a variadic row without one does not compile.
//
// This file includes the header in module mode (for the API pointer types only: the
// pointers are declared `extern` and never used).
#undef VALKEYMODULE_CORE
#define VALKEYMODULE_API extern
#include "../../include/valkeymodule.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "gil.h"
#include "../api/table_list.h"

namespace vmhost {
namespace {

#define VMHOST_GIL_SKIP_ANY(area, n)
#define VMHOST_GIL_SKIP_NONE(area, n, reason)

// Index of each API(...) row's implementation in g_impl.
enum ApiIndex {
#define VMHOST_GIL_ENUM(area, n) IDX_##n,
    VMHOST_API_LIST(VMHOST_GIL_ENUM, VMHOST_GIL_SKIP_ANY, VMHOST_GIL_SKIP_NONE)
#undef VMHOST_GIL_ENUM
    IDX_COUNT
};

/** The implementations the trampolines call (filled in by gil_wrap_api). */
void *g_impl[IDX_COUNT];

// The engine a call is for, from its first argument when that is a context or a key.
inline Host *host_hint(ValkeyModuleCtx *c) { return gil_host_of_ctx(c); }
inline Host *host_hint(ValkeyModuleKey *k) { return gil_host_of_key(k); }
template <typename T>
inline Host *host_hint(T) { return nullptr; }
inline Host *first_host() { return nullptr; }
template <typename A0, typename... Rest>
inline Host *first_host(A0 a0, Rest...) { return host_hint(a0); }

/** Whether an API pointer type takes variable arguments. */
template <typename Sig>
struct IsVariadic : std::false_type {};
template <typename R, typename... A>
struct IsVariadic<R (*)(A..., ...)> : std::true_type {};

/** The generated trampoline of a fixed-parameter API (undefined for variadic types). */
template <typename Sig>
struct Tramp;

template <typename R, typename... A>
struct Tramp<R (*)(A...)> {
    template <int I>
    static R call(A... a) {
        auto impl = reinterpret_cast<R (*)(A...)>(g_impl[I]);
        if (on_js_thread()) return impl(a...);
        int err = 0;
        if constexpr (std::is_void_v<R>) {
            run_on_js_fn(first_host(a...), [&] {
                errno = 0;
                impl(a...);
                err = errno;
            });
            if (err) errno = err;
        } else {
            R r{};
            run_on_js_fn(first_host(a...), [&] {
                errno = 0;
                r = impl(a...);
                err = errno;
            });
            if (err) errno = err;
            return r;
        }
    }
};

// ---------------------------------------------------------------------------------------
// Variadic APIs: their extra arguments are collected (all are pointer / integer sized) and
// passed on to the implementation, on the JS thread, with a call of the right arity.
// ---------------------------------------------------------------------------------------

constexpr size_t kMaxExtra = 96;  // extra arguments a forwarded variadic call may carry

template <typename R, typename P1, typename P2, typename P3, size_t... Is>
R call_with(void *fn, P1 a, P2 b, P3 c, const uint64_t *x, std::index_sequence<Is...>) {
    return reinterpret_cast<R (*)(P1, P2, P3, ...)>(fn)(a, b, c, x[Is]...);
}

template <typename R, typename P1, typename P2, typename P3, size_t... Ns>
R call_n(void *fn, P1 a, P2 b, P3 c, const uint64_t *x, size_t n, std::index_sequence<Ns...>) {
    using Fn = R (*)(void *, P1, P2, P3, const uint64_t *);
    static const Fn table[] = {
        [](void *f, P1 a1, P2 b1, P3 c1, const uint64_t *x1) {
            return call_with<R, P1, P2, P3>(f, a1, b1, c1, x1, std::make_index_sequence<Ns>());
        }...};
    return table[n](fn, a, b, c, x);
}

template <typename R, typename P1, typename P2, typename P3>
R forward(void *fn, P1 a, P2 b, P3 c, const uint64_t *x, size_t n) {
    return call_n<R, P1, P2, P3>(fn, a, b, c, x, n, std::make_index_sequence<kMaxExtra + 1>());
}

/** Collects the arguments a Call / Replicate format string consumes; false when too many. */
bool collect_format(const char *fmt, va_list ap, uint64_t *x, size_t &n) {
    n = 0;
    for (const char *p = fmt; p && *p; p++) {
        int take = 0;
        switch (*p) {
            case 'c': case 's': case 'l': take = 1; break;
            case 'b': case 'v': take = 2; break;
            default: break;
        }
        for (int i = 0; i < take; i++) {
            if (n == kMaxExtra) return false;
            x[n++] = va_arg(ap, uint64_t);
        }
    }
    return true;
}

/** Collects HashSet/HashGet's (field, value) pairs up to the NULL field; false when too many. */
bool collect_pairs(va_list ap, uint64_t *x, size_t &n) {
    n = 0;
    for (;;) {
        if (n + 1 > kMaxExtra) return false;
        uint64_t field = va_arg(ap, uint64_t);
        x[n++] = field;
        if (field == 0) return true;
        if (n + 1 > kMaxExtra) return false;
        x[n++] = va_arg(ap, uint64_t);
    }
}

/** Runs `f` on the JS thread (directly when already there), carrying errno back. */
template <typename F>
void on_js_with_errno(Host *h, F &&f) {
    if (on_js_thread()) {
        f();
        return;
    }
    int err = 0;
    run_on_js_fn(h, [&] {
        errno = 0;
        f();
        err = errno;
    });
    if (err) errno = err;
}

ValkeyModuleCallReply *call_tramp(ValkeyModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    uint64_t x[kMaxExtra];
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    bool ok = collect_format(fmt, ap, x, n);
    va_end(ap);
    if (!ok) {
        errno = EINVAL;
        return nullptr;
    }
    ValkeyModuleCallReply *r = nullptr;
    on_js_with_errno(gil_host_of_ctx(ctx), [&] {
        r = forward<ValkeyModuleCallReply *>(g_impl[IDX_Call], ctx, cmdname, fmt, x, n);
    });
    return r;
}

int replicate_tramp(ValkeyModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    uint64_t x[kMaxExtra];
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    bool ok = collect_format(fmt, ap, x, n);
    va_end(ap);
    if (!ok) return VALKEYMODULE_ERR;
    int r = VALKEYMODULE_ERR;
    on_js_with_errno(gil_host_of_ctx(ctx), [&] { r = forward<int>(g_impl[IDX_Replicate], ctx, cmdname, fmt, x, n); });
    return r;
}

/** HashSet / HashGet: (key, flags, field, value-or-out, ..., NULL). */
int hash_forward(void *impl, ValkeyModuleKey *key, int flags, va_list ap) {
    uint64_t x[kMaxExtra + 1];
    size_t n;
    if (!collect_pairs(ap, x + 1, n)) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    // The first pair's field is a fixed parameter of the forwarded call.
    void *first = reinterpret_cast<void *>(static_cast<uintptr_t>(x[1]));
    int r = VALKEYMODULE_ERR;
    on_js_with_errno(gil_host_of_key(key), [&] { r = forward<int>(impl, key, flags, first, x + 2, n - 1); });
    return r;
}

/** The HashSet (I = IDX_HashSet) and HashGet (IDX_HashGet) trampolines. */
template <int I>
int hash_tramp(ValkeyModuleKey *key, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    int r = hash_forward(g_impl[I], key, flags, ap);
    va_end(ap);
    return r;
}

/** Formats a printf-style message (any length). */
std::string vformat(const char *fmt, va_list ap) {
    char buf[512];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(buf, sizeof(buf), fmt, copy);
    va_end(copy);
    if (n < 0) return std::string();
    if (static_cast<size_t>(n) < sizeof(buf)) return std::string(buf, n);
    std::string big(static_cast<size_t>(n), '\0');
    vsnprintf(&big[0], big.size() + 1, fmt, ap);
    return big;
}

void log_tramp(ValkeyModuleCtx *ctx, const char *level, const char *fmt, ...) {
    if (!fmt) return;
    va_list ap;
    va_start(ap, fmt);
    if (on_js_thread()) {
        log_ctx_v(ctx, level, fmt, ap);  // formatted (or dropped by loglevel) once, in place
        va_end(ap);
        return;
    }
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    // Logging never waits for the JS thread (which may be waiting for this thread).
    gil_post_log(g_impl[IDX_Log], ctx, level, msg.c_str());
}

/** Makes a thread-safe context without the engine (any thread may, lock or not). */
ValkeyModuleCtx *get_ts_ctx_tramp(ValkeyModuleBlockedClient *bc) {
    auto impl = reinterpret_cast<ValkeyModuleCtx *(*)(ValkeyModuleBlockedClient *)>(g_impl[IDX_GetThreadSafeContext]);
    ValkeyModuleCtx *ctx = impl(bc);
    if (!on_js_thread()) gil_ts_ctx_fix_host(ctx);
    return ctx;
}

ValkeyModuleCtx *get_detached_ts_ctx_tramp(ValkeyModuleCtx *parent) {
    auto impl = reinterpret_cast<ValkeyModuleCtx *(*)(ValkeyModuleCtx *)>(g_impl[IDX_GetDetachedThreadSafeContext]);
    ValkeyModuleCtx *ctx = impl(parent);
    if (!on_js_thread()) gil_ts_ctx_fix_host(ctx);
    return ctx;
}

/** Frees a thread-safe context on the calling thread unless closing its keys needs the engine. */
void free_ts_ctx_tramp(ValkeyModuleCtx *ctx) {
    auto impl = reinterpret_cast<void (*)(ValkeyModuleCtx *)>(g_impl[IDX_FreeThreadSafeContext]);
    if (on_js_thread() || !gil_ctx_needs_js(ctx)) {
        impl(ctx);
        return;
    }
    run_on_js_fn(gil_host_of_ctx(ctx), [&] { impl(ctx); });
}

void logioerror_tramp(ValkeyModuleIO *io, const char *level, const char *fmt, ...) {
    if (!fmt) return;
    va_list ap;
    va_start(ap, fmt);
    if (on_js_thread()) {
        log_io_v(io, level, fmt, ap);
        va_end(ap);
        return;
    }
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    auto impl = reinterpret_cast<void (*)(ValkeyModuleIO *, const char *, const char *, ...)>(g_impl[IDX_LogIOError]);
    on_js_with_errno(nullptr, [&] { impl(io, level, "%s", msg.c_str()); });
}

// Hand-written wrappers, each attached to its API(...) row: Hand<IDX_Name>::tramp() is what
// GetApi hands out instead of a generated trampoline.
template <int I>
struct Hand {
    static constexpr bool kWritten = false;
};
#define VMHOST_GIL_HAND(name, wrapper)                                              \
    template <>                                                                     \
    struct Hand<IDX_##name> {                                                       \
        static constexpr bool kWritten = true;                                      \
        static void *tramp() { return reinterpret_cast<void *>(&wrapper); }         \
    };
VMHOST_GIL_HAND(Call, call_tramp)
VMHOST_GIL_HAND(Replicate, replicate_tramp)
VMHOST_GIL_HAND(HashSet, hash_tramp<IDX_HashSet>)
VMHOST_GIL_HAND(HashGet, hash_tramp<IDX_HashGet>)
VMHOST_GIL_HAND(Log, log_tramp)
VMHOST_GIL_HAND(LogIOError, logioerror_tramp)
VMHOST_GIL_HAND(GetThreadSafeContext, get_ts_ctx_tramp)
VMHOST_GIL_HAND(GetDetachedThreadSafeContext, get_detached_ts_ctx_tramp)
VMHOST_GIL_HAND(FreeThreadSafeContext, free_ts_ctx_tramp)
#undef VMHOST_GIL_HAND

/** The trampoline of API(...) row I, whose pointer type is Sig: its hand-written wrapper, or
 *  the one generated from Sig. */
template <int I, typename Sig>
void *tramp_for() {
    if constexpr (Hand<I>::kWritten) {
        return Hand<I>::tramp();
    } else {
        static_assert(!IsVariadic<Sig>::value,
                      "a variadic API(...) row needs a hand-written wrapper (VMHOST_GIL_HAND) in gil_api.cc, "
                      "or is an ANY(...) row");
        return reinterpret_cast<void *>(&Tramp<Sig>::template call<I>);
    }
}

struct Entry {
    int index;    // into g_impl
    void *tramp;  // what GetApi hands out
};

/** Every API(...) row's name -> its trampoline. Built on first use. */
const std::unordered_map<std::string, Entry> &trampolines() {
    static const std::unordered_map<std::string, Entry> m = [] {
        std::unordered_map<std::string, Entry> t;
#define VMHOST_GIL_ENTRY(area, n) t.emplace(#n, Entry{IDX_##n, tramp_for<IDX_##n, decltype(ValkeyModule_##n)>()});
        VMHOST_API_LIST(VMHOST_GIL_ENTRY, VMHOST_GIL_SKIP_ANY, VMHOST_GIL_SKIP_NONE)
#undef VMHOST_GIL_ENTRY
        return t;
    }();
    return m;
}

}  // namespace

void *gil_wrap_api(const char *name, void *fn) {
    if (!name || !fn) return fn;
    const char *bare = name;
    if (strncmp(name, "ValkeyModule_", 13) == 0)
        bare = name + 13;
    else if (strncmp(name, "RedisModule_", 12) == 0)
        bare = name + 12;
    const auto &t = trampolines();
    auto it = t.find(bare);
    if (it == t.end()) return fn;  // not an API(...) row: nothing to marshal
    g_impl[it->second.index] = fn;
    return it->second.tramp;
}

}  // namespace vmhost
