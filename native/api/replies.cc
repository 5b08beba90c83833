// Reply APIs: every ValkeyModule_Reply* call appends one record to the context's reply
// tape (host/tape.h). Nothing here touches V8; TypeScript decodes the tape once after the
// callback returns, into RESP2, RESP3 or JS values, applying the protocol's conversions.
//
// A context without a tape (no client to answer, e.g. a timer) drops replies and still
// returns VALKEYMODULE_OK, as Valkey does for a context without a reply client.
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

/** Valkey's ld2string buffer size (MAX_LONG_DOUBLE_CHARS); "%.17Lf" of the largest
 *  x87 long double (~1.19e4932) needs about 4,950 bytes, so it always fits. */
constexpr size_t kLongDoubleChars = 5 * 1024;

/** Records an error whose text is `p[0..n)`, the bytes that follow '-' on the wire.
 *  As Valkey's error formatting does: CR and LF at the end are removed, any other CR or
 *  LF becomes a space (a reply line cannot contain them). */
void add_error_text(ReplyTape *tape, const char *p, size_t n) {
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
    if (!std::memchr(p, '\r', n) && !std::memchr(p, '\n', n)) {
        tape->addError(p, n);
        return;
    }
    std::string s(p, n);
    for (char &c : s)
        if (c == '\r' || c == '\n') c = ' ';
    tape->addError(s.data(), s.size());
}

/** printf into a std::string (no size limit). */
std::string vformat(const char *fmt, va_list ap) {
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = std::vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0) return std::string();
    if (static_cast<size_t>(n) < sizeof(small)) return std::string(small, static_cast<size_t>(n));
    std::string out(static_cast<size_t>(n), '\0');
    std::vsnprintf(&out[0], out.size() + 1, fmt, ap);
    return out;
}

int open_collection(ValkeyModuleCtx *ctx, long len, char type) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    // VALKEYMODULE_POSTPONED_LEN (-1): the length comes later from ReplySet*Length.
    tape->openAggregate(type, len);
    return VALKEYMODULE_OK;
}

void set_collection_length(ValkeyModuleCtx *ctx, long len) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return;
    if (tape->setPostponedLength(len)) return;
    Host *host = ctx->host ? ctx->host : g_current_host;
    if (!host) return;
    host->logf(LL_WARNING,
               "API misuse detected in module %s: ValkeyModule_ReplySet*Length() called without previous "
               "ValkeyModule_ReplyWith*(ctx,VALKEYMODULE_POSTPONED_LEN) call.",
               ctx->module ? ctx->module->name.c_str() : "");
}

/** Valkey's "human friendly" long double text: "%.17Lf", trailing zeros of the fraction
 *  and a bare '.' removed, "-0" written as "0"; inf, -inf and nan spelled so. Returns the
 *  length written into buf (which must hold kLongDoubleChars bytes). */
size_t long_double_text(char *buf, long double ld) {
    if (std::isinf(ld)) {
        const char *s = ld > 0 ? "inf" : "-inf";
        size_t n = std::strlen(s);
        std::memcpy(buf, s, n + 1);
        return n;
    }
    if (std::isnan(ld)) {
        std::memcpy(buf, "nan", 4);
        return 3;
    }
    int w = std::snprintf(buf, kLongDoubleChars, "%.17Lf", ld);
    if (w < 0 || static_cast<size_t>(w) + 1 > kLongDoubleChars) {
        buf[0] = '\0';
        return 0;
    }
    size_t n = static_cast<size_t>(w);
    if (std::memchr(buf, '.', n)) {
        while (n > 0 && buf[n - 1] == '0') n--;
        if (n > 0 && buf[n - 1] == '.') n--;
    }
    if (n == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        n = 1;
    }
    buf[n] = '\0';
    return n;
}

}  // namespace

extern "C" {

/** Replies `-ERR wrong number of arguments for '<name>' command`, where name is the
 *  running command's full name as registered ("parent|sub" for a subcommand). Returns
 *  VALKEYMODULE_OK. */
int VM_WrongArity(ValkeyModuleCtx *ctx) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    std::string name;
    if (ctx->command)
        name = ctx->command->fullname;
    else if (ctx->argc > 0 && ctx->argv && ctx->argv[0])
        name.assign(ctx->argv[0]->ptr, ctx->argv[0]->len);
    std::string msg = "ERR wrong number of arguments for '" + name + "' command";
    add_error_text(tape, msg.data(), msg.size());
    return VALKEYMODULE_OK;
}

/** Replies with the integer `ll` (`:ll`). Always returns VALKEYMODULE_OK. */
int VM_ReplyWithLongLong(ValkeyModuleCtx *ctx, long long ll) {
    if (ctx->tape) ctx->tape->addInt(ll);
    return VALKEYMODULE_OK;
}

/** Replies with the error `err`, which must start with its code ("ERR ...", "WRONGTYPE
 *  ..."): the wire shows '-' followed by err verbatim, with trailing CR/LF removed and
 *  other CR/LF turned into spaces. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithError(ValkeyModuleCtx *ctx, const char *err) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    if (!err) err = "(null)";  // what printf's "%s" makes of NULL in Valkey's formatting
    add_error_text(tape, err, std::strlen(err));
    return VALKEYMODULE_OK;
}

/** Like VM_ReplyWithError with a printf-style format (which must start with the error
 *  code). Always returns VALKEYMODULE_OK. */
int VM_ReplyWithErrorFormat(ValkeyModuleCtx *ctx, const char *fmt, ...) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    va_list ap;
    va_start(ap, fmt);
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    add_error_text(tape, msg.data(), msg.size());
    return VALKEYMODULE_OK;
}

/** Replies with the simple string `msg` (`+msg`), sent as given: it must not contain CR
 *  or LF. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithSimpleString(ValkeyModuleCtx *ctx, const char *msg) {
    if (ctx->tape) ctx->tape->addSimple(msg ? msg : "", msg ? std::strlen(msg) : 0);
    return VALKEYMODULE_OK;
}

/** Starts an array of `len` elements; the next `len` replies are its elements. With
 *  VALKEYMODULE_POSTPONED_LEN the length is set later by VM_ReplySetArrayLength. Always
 *  returns VALKEYMODULE_OK. */
int VM_ReplyWithArray(ValkeyModuleCtx *ctx, long len) { return open_collection(ctx, len, '*'); }

/** Starts a map of `len` pairs (2*len replies follow: key, value, ...). RESP2 clients
 *  receive a flat array of 2*len elements. VALKEYMODULE_POSTPONED_LEN defers the length
 *  to VM_ReplySetMapLength. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithMap(ValkeyModuleCtx *ctx, long len) { return open_collection(ctx, len, '%'); }

/** Starts a set of `len` elements (an array for RESP2 clients). VALKEYMODULE_POSTPONED_LEN
 *  defers the length to VM_ReplySetSetLength. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithSet(ValkeyModuleCtx *ctx, long len) { return open_collection(ctx, len, '~'); }

/** Starts an attribute of `len` pairs annotating the reply that follows them (RESP3
 *  only). Returns VALKEYMODULE_ERR and writes nothing when the client speaks RESP2,
 *  otherwise VALKEYMODULE_OK. VALKEYMODULE_POSTPONED_LEN defers the length to
 *  VM_ReplySetAttributeLength. */
int VM_ReplyWithAttribute(ValkeyModuleCtx *ctx, long len) {
    if (ctx->client.resp == 2) return VALKEYMODULE_ERR;
    return open_collection(ctx, len, '|');
}

/** Replies with a null array: `*-1` in RESP2, `_` (plain null) in RESP3. Always returns
 *  VALKEYMODULE_OK. */
int VM_ReplyWithNullArray(ValkeyModuleCtx *ctx) {
    if (ctx->tape) ctx->tape->addNullArray();
    return VALKEYMODULE_OK;
}

/** Replies with an empty array (`*0`). Always returns VALKEYMODULE_OK. */
int VM_ReplyWithEmptyArray(ValkeyModuleCtx *ctx) { return open_collection(ctx, 0, '*'); }

/** Sets the length of the most recent aggregate opened with VALKEYMODULE_POSTPONED_LEN
 *  and not yet given one. Without such an aggregate it only logs Valkey's API-misuse
 *  warning. */
void VM_ReplySetArrayLength(ValkeyModuleCtx *ctx, long len) { set_collection_length(ctx, len); }

/** Like VM_ReplySetArrayLength for a postponed map: `len` counts pairs. */
void VM_ReplySetMapLength(ValkeyModuleCtx *ctx, long len) { set_collection_length(ctx, len); }

/** Like VM_ReplySetArrayLength for a postponed set. */
void VM_ReplySetSetLength(ValkeyModuleCtx *ctx, long len) { set_collection_length(ctx, len); }

/** Like VM_ReplySetMapLength for a postponed attribute. Does nothing for a RESP2 client
 *  (VM_ReplyWithAttribute refused to open one). */
void VM_ReplySetAttributeLength(ValkeyModuleCtx *ctx, long len) {
    if (ctx->client.resp == 2) return;
    set_collection_length(ctx, len);
}

/** Replies with the bulk string buf[0..len). Always returns VALKEYMODULE_OK. */
int VM_ReplyWithStringBuffer(ValkeyModuleCtx *ctx, const char *buf, size_t len) {
    if (ctx->tape) ctx->tape->addBulk(buf, buf ? len : 0);
    return VALKEYMODULE_OK;
}

/** Replies with the NUL-terminated `buf` as a bulk string (a NULL buf replies null).
 *  Always returns VALKEYMODULE_OK. */
int VM_ReplyWithCString(ValkeyModuleCtx *ctx, const char *buf) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    if (buf)
        tape->addBulk(buf, std::strlen(buf));
    else
        tape->addNull();
    return VALKEYMODULE_OK;
}

/** Replies with the bytes of `str` as a bulk string (a NULL str replies null). Always
 *  returns VALKEYMODULE_OK. */
int VM_ReplyWithString(ValkeyModuleCtx *ctx, ValkeyModuleString *str) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    if (str)
        tape->addBulk(str->ptr, str->len);
    else
        tape->addNull();
    return VALKEYMODULE_OK;
}

/** Replies with an empty bulk string (`$0`). Always returns VALKEYMODULE_OK. */
int VM_ReplyWithEmptyString(ValkeyModuleCtx *ctx) {
    if (ctx->tape) ctx->tape->addBulk("", 0);
    return VALKEYMODULE_OK;
}

/** Replies with a verbatim string of type `ext` (3 characters, e.g. "txt", "mkd"; a
 *  shorter ext is padded with spaces): RESP3 `=len ext:text`, RESP2 a bulk string of
 *  the text. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithVerbatimStringType(ValkeyModuleCtx *ctx, const char *buf, size_t len, const char *ext) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    char fmt[3] = {' ', ' ', ' '};
    for (int i = 0; ext && i < 3 && ext[i]; i++) fmt[i] = ext[i];
    tape->addVerbatim(fmt, buf, buf ? len : 0);
    return VALKEYMODULE_OK;
}

/** VM_ReplyWithVerbatimStringType with the type "txt". Always returns VALKEYMODULE_OK. */
int VM_ReplyWithVerbatimString(ValkeyModuleCtx *ctx, const char *buf, size_t len) {
    return VM_ReplyWithVerbatimStringType(ctx, buf, len, "txt");
}

/** Replies with null: `$-1` in RESP2, `_` in RESP3. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithNull(ValkeyModuleCtx *ctx) {
    if (ctx->tape) ctx->tape->addNull();
    return VALKEYMODULE_OK;
}

/** Replies with a boolean: RESP3 `#t`/`#f`, RESP2 the integer `:1`/`:0`. Always returns
 *  VALKEYMODULE_OK. */
int VM_ReplyWithBool(ValkeyModuleCtx *ctx, int b) {
    if (ctx->tape) ctx->tape->addBool(b != 0);
    return VALKEYMODULE_OK;
}

/** Replies with the double `d`: RESP3 `,d`, RESP2 a bulk string of the same text
 *  (Valkey's shortest round-trip formatting; inf, -inf and nan spelled so). Always
 *  returns VALKEYMODULE_OK. */
int VM_ReplyWithDouble(ValkeyModuleCtx *ctx, double d) {
    if (ctx->tape) ctx->tape->addDouble(d);
    return VALKEYMODULE_OK;
}

/** Replies with the big number given as `len` decimal characters (not validated): RESP3
 *  `(digits`, RESP2 a bulk string. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithBigNumber(ValkeyModuleCtx *ctx, const char *bignum, size_t len) {
    if (ctx->tape) ctx->tape->addBigNumber(bignum, bignum ? len : 0);
    return VALKEYMODULE_OK;
}

/** Replies with the long double `ld` in Valkey's human-friendly text ("%.17Lf" without
 *  trailing zeros, e.g. 0.1L -> "0.1", 1e-17L -> "0.00000000000000001"): RESP3 sends it
 *  as a double (`,text`), RESP2 as a bulk string. Always returns VALKEYMODULE_OK. */
int VM_ReplyWithLongDouble(ValkeyModuleCtx *ctx, long double ld) {
    ReplyTape *tape = ctx->tape;
    if (!tape) return VALKEYMODULE_OK;
    char buf[kLongDoubleChars];
    size_t n = long_double_text(buf, ld);
    tape->addDoubleText(buf, n);
    return VALKEYMODULE_OK;
}

}  // extern "C"
