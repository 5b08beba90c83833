// String objects API: creating, converting, comparing and refcounting ValkeyModuleString.
//
// Strings are pure native objects (host/vmstring.h): every function here may run on a
// module thread without the GIL. With a context, new strings are registered for
// AutoMemory (a no-op unless the module enabled it); a NULL context means the module
// manages the string itself.
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../../include/valkeymodule.h"
#include "../host/context.h"
#include "../host/memory.h"
#include "../host/vmstring.h"

using vmhost::AutoKind;

namespace {

/** Wraps a freshly made string for the caller: registers it for AutoMemory when a
 *  context is given. */
ValkeyModuleString *adopt(ValkeyModuleCtx *ctx, ValkeyModuleString *s) {
    if (ctx) vmhost::ctx_auto_add(ctx, AutoKind::String, s);
    return s;
}

/** True when `s` is a pending AutoMemory entry of `ctx`. */
bool auto_tracked(ValkeyModuleCtx *ctx, const ValkeyModuleString *s) {
    if (!ctx || !(ctx->flags & vmhost::CTX_AUTO_MEMORY)) return false;
    for (const vmhost::AutoEntry &e : ctx->autoMemory)
        if (e.kind == AutoKind::String && e.ptr == s) return true;
    return false;
}

// ---------------------------------------------------------------------------------------
// Number parsing with the server's rules.

/** Parses a strict signed 64-bit decimal: an optional '-', then "0" alone or a digit 1-9
 *  followed by digits; nothing else (no spaces, no '+', no leading zeros, no "-0"), and
 *  the value must fit. Returns false otherwise. */
bool parse_ll(const char *s, size_t len, long long *out) {
    if (len == 0 || len > 20) return false;  // 20 = "-9223372036854775808"
    if (len == 1 && s[0] == '0') {
        *out = 0;
        return true;
    }
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-') {
        neg = true;
        i = 1;
        if (len == 1) return false;
    }
    if (s[i] < '1' || s[i] > '9') return false;
    unsigned long long v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        unsigned d = static_cast<unsigned>(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > static_cast<unsigned long long>(LLONG_MAX) + 1) return false;
        *out = v == static_cast<unsigned long long>(LLONG_MAX) + 1 ? LLONG_MIN : -static_cast<long long>(v);
    } else {
        if (v > static_cast<unsigned long long>(LLONG_MAX)) return false;
        *out = static_cast<long long>(v);
    }
    return true;
}

/** The server's unsigned parse of a NUL-terminated string: the strict signed parse first
 *  (negative values are refused), and when that fails a plain strtoull that must consume
 *  the whole, non-empty string without overflow. strtoull is more lenient than the
 *  strict form (it takes leading blanks, '+' and leading zeros): the server behaves the
 *  same way. */
bool parse_ull(const char *s, unsigned long long *out) {
    long long ll;
    if (parse_ll(s, strlen(s), &ll)) {
        if (ll < 0) return false;
        *out = static_cast<unsigned long long>(ll);
        return true;
    }
    if (*s == '\0') return false;
    errno = 0;
    char *end = nullptr;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == EINVAL || errno == ERANGE || *end != '\0') return false;
    *out = v;
    return true;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

/** Strict double parse: the whole string, no leading blank, no NaN, and no overflow or
 *  underflow to zero. Needs s[len] == '\0' (every ValkeyModuleString has it). */
bool parse_double(const char *s, size_t len, double *out) {
    if (len == 0 || is_space(s[0])) return false;
    errno = 0;
    char *end = nullptr;
    double v = strtod(s, &end);
    if (static_cast<size_t>(end - s) != len) return false;
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0.0)) return false;
    if (std::isnan(v)) return false;
    *out = v;
    return true;
}

/** The same rules for long double (at most 5 KiB of text, as the server accepts). */
bool parse_long_double(const char *s, size_t len, long double *out) {
    constexpr size_t kMaxChars = 5 * 1024;
    if (len == 0 || len >= kMaxChars || is_space(s[0])) return false;
    errno = 0;
    char *end = nullptr;
    long double v = strtold(s, &end);
    if (static_cast<size_t>(end - s) != len) return false;
    if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0.0L)) return false;
    if (errno == EINVAL || std::isnan(v)) return false;
    *out = v;
    return true;
}

// ---------------------------------------------------------------------------------------
// Number formatting with the server's rules.

/** Formats a double as the server's d2string does: "nan", "inf"/"-inf", "0"/"-0",
 *  integral values (|v| <= 2^62) as integers, everything else as the shortest digits that
 *  read back to the same double, laid out like this:
 *    - a whole number with few enough trailing zeros: plain digits ("6917529027641082000");
 *    - a fraction whose exponent is small: plain decimal ("0.0001", "3.14");
 *    - otherwise scientific, exponent without padding ("1e+19", "1.5e-7").
 *  Returns the length written to buf (at least 32 bytes). */
size_t format_double(double d, char *buf) {
    if (std::isnan(d)) return static_cast<size_t>(snprintf(buf, 32, "nan"));
    if (std::isinf(d)) return static_cast<size_t>(snprintf(buf, 32, "%s", d < 0 ? "-inf" : "inf"));
    if (d == 0) return static_cast<size_t>(snprintf(buf, 32, "%s", std::signbit(d) ? "-0" : "0"));
    constexpr double kIntLimit = static_cast<double>(LLONG_MAX / 2);
    if (d >= -kIntLimit && d <= kIntLimit) {
        long long ll = static_cast<long long>(d);
        if (static_cast<double>(ll) == d) return static_cast<size_t>(snprintf(buf, 32, "%lld", ll));
    }

    // Shortest round-trip digits, in scientific form: [-]d[.ddd]e(+|-)XX
    char sci[40];
    auto res = std::to_chars(sci, sci + sizeof(sci), d, std::chars_format::scientific);
    *res.ptr = '\0';
    const char *p = sci;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    char digits[24];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[nd++] = *p;
    int e10 = *p == 'e' ? atoi(p + 1) : 0;  // decimal exponent of the first digit
    int k = e10 - (nd - 1);                  // value = digits * 10^k
    int aexp = e10 < 0 ? -e10 : e10;

    size_t n = 0;
    if (neg) buf[n++] = '-';
    if (k >= 0 && aexp < nd + 7) {
        memcpy(buf + n, digits, nd);
        n += nd;
        memset(buf + n, '0', k);
        n += k;
    } else if (k < 0 && (k > -7 || aexp < 4)) {
        int intDigits = nd + k;  // digits before the decimal point
        if (intDigits <= 0) {
            buf[n++] = '0';
            buf[n++] = '.';
            memset(buf + n, '0', -intDigits);
            n += -intDigits;
            memcpy(buf + n, digits, nd);
            n += nd;
        } else {
            memcpy(buf + n, digits, intDigits);
            n += intDigits;
            buf[n++] = '.';
            memcpy(buf + n, digits + intDigits, nd - intDigits);
            n += nd - intDigits;
        }
    } else {
        buf[n++] = digits[0];
        if (nd > 1) {
            buf[n++] = '.';
            memcpy(buf + n, digits + 1, nd - 1);
            n += nd - 1;
        }
        n += static_cast<size_t>(snprintf(buf + n, 16, "e%c%d", e10 < 0 ? '-' : '+', aexp));
    }
    buf[n] = '\0';
    return n;
}

/** Formats a long double as the server's ld2string does. Human-friendly: "%.17Lf" with
 *  trailing zeros (and a then trailing '.') removed, and "-0" shown as "0"; otherwise
 *  "%.17Lg". Infinities are "inf"/"-inf" and NaN is "nan" in both modes. */
std::string format_long_double(long double v, bool human) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (std::isnan(v)) return "nan";
    char buf[5 * 1024];  // "%.17Lf" of the largest long double needs about 4950 bytes
    int n = snprintf(buf, sizeof(buf), human ? "%.17Lf" : "%.17Lg", v);
    if (n < 0 || static_cast<size_t>(n) + 1 > sizeof(buf)) return std::string();
    size_t len = static_cast<size_t>(n);
    if (human) {
        if (memchr(buf, '.', len)) {
            while (len > 0 && buf[len - 1] == '0') len--;
            if (len > 0 && buf[len - 1] == '.') len--;
        }
        if (len == 2 && buf[0] == '-' && buf[1] == '0') {
            buf[0] = '0';
            len = 1;
        }
    }
    return std::string(buf, len);
}

}  // namespace

/** Creates a string holding a copy of ptr[0..len). Returns the new string (refcount 1),
 *  registered for AutoMemory when ctx is given; never fails. */
extern "C" ValkeyModuleString *VM_CreateString(ValkeyModuleCtx *ctx, const char *ptr, size_t len) {
    return adopt(ctx, vmhost::vmstr_new(ptr, len));
}

/** Creates a string from a printf format and its arguments. Returns the new string;
 *  never fails (a format error gives an empty string). */
extern "C" ValkeyModuleString *VM_CreateStringPrintf(ValkeyModuleCtx *ctx, const char *fmt, ...) {
    char small[256];
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    ValkeyModuleString *s;
    if (n < 0) {
        s = vmhost::vmstr_new("", 0);
    } else if (static_cast<size_t>(n) < sizeof(small)) {
        s = vmhost::vmstr_new(small, static_cast<size_t>(n));
    } else {
        s = vmhost::vmstr_new_uninit(static_cast<size_t>(n));
        vsnprintf(s->ptr, static_cast<size_t>(n) + 1, fmt, ap2);
    }
    va_end(ap2);
    return adopt(ctx, s);
}

/** Creates the decimal text of a signed 64-bit integer. Never fails. */
extern "C" ValkeyModuleString *VM_CreateStringFromLongLong(ValkeyModuleCtx *ctx, long long ll) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lld", ll);
    return adopt(ctx, vmhost::vmstr_new(buf, static_cast<size_t>(n)));
}

/** Creates the decimal text of an unsigned 64-bit integer. Never fails. */
extern "C" ValkeyModuleString *VM_CreateStringFromULongLong(ValkeyModuleCtx *ctx, unsigned long long ull) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%llu", ull);
    return adopt(ctx, vmhost::vmstr_new(buf, static_cast<size_t>(n)));
}

/** Creates the text of a double, formatted exactly as the server formats doubles
 *  (shortest round-trip digits; "inf", "-inf", "nan", "-0" spelled out). Never fails. */
extern "C" ValkeyModuleString *VM_CreateStringFromDouble(ValkeyModuleCtx *ctx, double d) {
    char buf[64];
    size_t n = format_double(d, buf);
    return adopt(ctx, vmhost::vmstr_new(buf, n));
}

/** Creates the text of a long double: with humanfriendly, fixed notation with 17 decimals
 *  and trailing zeros trimmed (INCRBYFLOAT style); otherwise "%.17Lg". Never fails. */
extern "C" ValkeyModuleString *VM_CreateStringFromLongDouble(ValkeyModuleCtx *ctx, long double ld, int humanfriendly) {
    std::string text = format_long_double(ld, humanfriendly != 0);
    return adopt(ctx, vmhost::vmstr_new(text.data(), text.size()));
}

/** Creates an independent copy of `str` (always a new object, so it can be appended to).
 *  Never fails. */
extern "C" ValkeyModuleString *VM_CreateStringFromString(ValkeyModuleCtx *ctx, const ValkeyModuleString *str) {
    return adopt(ctx, vmhost::vmstr_new(str->ptr, str->len));
}

/** Creates the text "<ms>-<seq>" of a stream ID. Never fails. */
extern "C" ValkeyModuleString *VM_CreateStringFromStreamID(ValkeyModuleCtx *ctx, const ValkeyModuleStreamID *id) {
    char buf[48];
    int n = snprintf(buf, sizeof(buf), "%llu-%llu", static_cast<unsigned long long>(id->ms),
                     static_cast<unsigned long long>(id->seq));
    return adopt(ctx, vmhost::vmstr_new(buf, static_cast<size_t>(n)));
}

/** Drops one reference to `str`, freeing it with the last one. With a ctx, an AutoMemory
 *  entry for it is removed (so it is not released twice). Shared read-only strings the
 *  host lends to callbacks are never freed here. */
extern "C" void VM_FreeString(ValkeyModuleCtx *ctx, ValkeyModuleString *str) {
    if (!str) return;
    if (ctx) vmhost::ctx_auto_forget(ctx, AutoKind::String, str);
    if (str->flags & vmhost::VMSTR_SHARED_RO) return;
    vmhost::vmstr_decref(str);
}

/** Makes `str` need one more FreeString before it is really freed. When the string is
 *  pending in ctx's AutoMemory, it is taken out of AutoMemory instead (its refcount stays
 *  1, so it can still be appended to). Retaining a shared read-only string the host lent
 *  for one callback is a programming error and panics, as the server does; use HoldString
 *  for those. */
extern "C" void VM_RetainString(ValkeyModuleCtx *ctx, ValkeyModuleString *str) {
    if (auto_tracked(ctx, str)) {
        vmhost::ctx_auto_forget(ctx, AutoKind::String, str);
        return;
    }
    if (str->flags & vmhost::VMSTR_SHARED_RO) {
        fprintf(stderr, "ValkeyModule_RetainString: you tried to retain a string the server lent for one "
                        "callback; use ValkeyModule_HoldString instead\n");
        fflush(stderr);
        abort();
    }
    vmhost::vmstr_incref(str);
}

/** Returns a string the caller owns with the same contents as `str`: `str` itself with
 *  one more reference, or a copy when `str` is a shared read-only string. With a ctx the
 *  result is also registered for AutoMemory. Never fails. */
extern "C" ValkeyModuleString *VM_HoldString(ValkeyModuleCtx *ctx, ValkeyModuleString *str) {
    if (str->flags & vmhost::VMSTR_SHARED_RO) return VM_CreateStringFromString(ctx, str);
    vmhost::vmstr_incref(str);
    return adopt(ctx, str);
}

/** Returns the string's bytes (NUL-terminated, read-only) and stores its length in *len
 *  when len is not NULL. A NULL string gives the literal
 *  "(NULL string reply referenced in module)". */
extern "C" const char *VM_StringPtrLen(const ValkeyModuleString *str, size_t *len) {
    if (!str) {
        static const char kNull[] = "(NULL string reply referenced in module)";
        if (len) *len = sizeof(kNull) - 1;
        return kNull;
    }
    if (len) *len = str->len;
    return str->ptr;
}

/** Parses the whole string as a strict signed 64-bit integer into *ll. Returns OK, or
 *  ERR (leaving *ll alone) for anything else: spaces, '+', leading zeros, "-0", overflow. */
extern "C" int VM_StringToLongLong(const ValkeyModuleString *str, long long *ll) {
    if (!str) return VALKEYMODULE_ERR;
    long long v;
    if (!parse_ll(str->ptr, str->len, &v)) return VALKEYMODULE_ERR;
    *ll = v;
    return VALKEYMODULE_OK;
}

/** Parses the string as an unsigned 64-bit integer into *ull with the server's rules
 *  (strict form, then strtoull over the whole text). Returns OK, or ERR for negative
 *  values, junk, an empty string or overflow. */
extern "C" int VM_StringToULongLong(const ValkeyModuleString *str, unsigned long long *ull) {
    if (!str) return VALKEYMODULE_ERR;
    unsigned long long v;
    if (!parse_ull(str->ptr, &v)) return VALKEYMODULE_ERR;
    *ull = v;
    return VALKEYMODULE_OK;
}

/** Parses the whole string as a double into *d. Returns OK, or ERR for an empty string,
 *  leading or trailing junk or spaces, NaN, or a value out of range. */
extern "C" int VM_StringToDouble(const ValkeyModuleString *str, double *d) {
    if (!str) return VALKEYMODULE_ERR;
    double v;
    if (!parse_double(str->ptr, str->len, &v)) return VALKEYMODULE_ERR;
    *d = v;
    return VALKEYMODULE_OK;
}

/** Parses the whole string as a long double into *ld; the same rules as StringToDouble.
 *  Returns OK or ERR. */
extern "C" int VM_StringToLongDouble(const ValkeyModuleString *str, long double *ld) {
    if (!str) return VALKEYMODULE_ERR;
    long double v;
    if (!parse_long_double(str->ptr, str->len, &v)) return VALKEYMODULE_ERR;
    *ld = v;
    return VALKEYMODULE_OK;
}

/** Parses a stream ID into *id: "<ms>-<seq>", "<ms>" (seq 0), "-" (0-0) or "+" (the
 *  largest ID). Returns OK, or ERR when the text is not an ID (or is over 127 bytes). */
extern "C" int VM_StringToStreamID(const ValkeyModuleString *str, ValkeyModuleStreamID *id) {
    if (!str || str->len > 127) return VALKEYMODULE_ERR;
    char buf[128];
    memcpy(buf, str->ptr, str->len);
    buf[str->len] = '\0';
    if (str->len == 1 && (buf[0] == '-' || buf[0] == '+')) {
        unsigned long long v = buf[0] == '-' ? 0 : ULLONG_MAX;
        id->ms = v;
        id->seq = v;
        return VALKEYMODULE_OK;
    }
    unsigned long long ms, seq = 0;
    char *dash = strchr(buf, '-');
    if (dash) {
        *dash = '\0';
        if (!parse_ull(dash + 1, &seq)) return VALKEYMODULE_ERR;
    }
    if (!parse_ull(buf, &ms)) return VALKEYMODULE_ERR;
    id->ms = ms;
    id->seq = seq;
    return VALKEYMODULE_OK;
}

/** Compares two strings as byte blobs (memcmp, then the shorter first). Returns -1, 0
 *  or 1. */
extern "C" int VM_StringCompare(const ValkeyModuleString *a, const ValkeyModuleString *b) {
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->ptr, b->ptr, n) : 0;
    if (c != 0) return c < 0 ? -1 : 1;
    if (a->len == b->len) return 0;
    return a->len < b->len ? -1 : 1;
}

/** Appends buf[0..len) to `str` in place. Returns OK, or ERR (nothing changed) when the
 *  string is referenced more than once, is a command argument, or is a shared read-only
 *  string. */
extern "C" int VM_StringAppendBuffer(ValkeyModuleCtx *ctx, ValkeyModuleString *str, const char *buf, size_t len) {
    if (!str) return VALKEYMODULE_ERR;
    if (str->refcount.load(std::memory_order_acquire) != 1) return VALKEYMODULE_ERR;
    if (str->flags & (vmhost::VMSTR_ARGV | vmhost::VMSTR_SHARED_RO)) return VALKEYMODULE_ERR;
    vmhost::vmstr_append(str, buf, len);
    return VALKEYMODULE_OK;
}

/** Gives back spare capacity left by appends (bytes moved to a separate block shrink to
 *  their length). Not thread safe: no other thread may use the string meanwhile. */
extern "C" void VM_TrimStringAllocation(ValkeyModuleString *str) {
    if (!str || (str->flags & vmhost::VMSTR_SHARED_RO)) return;
    if (str->ptr == reinterpret_cast<char *>(str + 1)) return;  // inline: one block, nothing to trim
    if (str->cap <= str->len + 1) return;
    char *p = static_cast<char *>(vmhost::vm_try_realloc(str->ptr, str->len + 1));
    if (!p) return;
    str->ptr = p;
    str->cap = vmhost::vm_usable_size(p);
}
