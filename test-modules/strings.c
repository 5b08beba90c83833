/* strings: exercises every ValkeyModuleString API and replies the results, so tests can
 * assert exact values.
 *
 *   STR.ECHO <s>                 s back (ReplyWithString)
 *   STR.FROMLL <n>               CreateStringFromLongLong of n (parsed with strtoll)
 *   STR.TOLL <s>                 StringToLongLong -> integer, or "ERR invalid"
 *   STR.TOULL <s>                StringToULongLong -> CreateStringFromULongLong text, or "ERR invalid"
 *   STR.TODOUBLE <s>             StringToDouble -> CreateStringFromDouble text, or "ERR invalid"
 *   STR.TOLD <s>                 StringToLongDouble -> CreateStringFromLongDouble(ld, 0), or "ERR invalid"
 *   STR.FMTDOUBLE <s>            CreateStringFromDouble(strtod(s)) (libc parse: nan, inf allowed)
 *   STR.FMTLD <s> <human>        CreateStringFromLongDouble(strtold(s), human)
 *   STR.PRINTF                   CreateStringPrintf with a fixed format
 *   STR.PRINTFLONG <n>           CreateStringPrintf producing n characters
 *   STR.STREAMID <s>             StringToStreamID -> CreateStringFromStreamID text, or "ERR invalid"
 *   STR.MKSTREAMID <ms> <seq>    CreateStringFromStreamID
 *   STR.COMPARE <a> <b>          StringCompare
 *   STR.APPEND <s> <a>...        a copy of s with each a appended (StringAppendBuffer)
 *   STR.APPENDSHARED <s>         [append to a retained string, append to a held string,
 *                                 append after both extra refs are dropped]: return codes
 *   STR.GROW <n>                 appends n pieces "0123456789" to "x", trims, replies the string
 *   STR.COPY <s>                 [copy with "!" appended, original]: CreateStringFromString
 *   STR.RETAIN <s> / STR.RETAINED   RetainString an argument; read it in a later command
 *   STR.HOLD <s> / STR.HELD         HoldString an argument; read it in a later command
 *   STR.RELEASE                  frees what RETAIN/HOLD/AUTO kept
 *   STR.AUTO <s>                 AutoMemory: leaves strings to AutoMemory, retains one
 *                                (appendable), replies it; STR.AUTOKEPT reads it later
 *   STR.PTRLENNULL               StringPtrLen(NULL) -> [text, len]
 *   STR.PTRLEN <s>               [StringPtrLen length, strlen of the pointer]
 *   STR.THREADS <n>              4 threads create/append/free n strings each and retain and
 *                                free one shared string; replies whether its refcount is 1 again
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static ValkeyModuleString *g_retained = NULL;
static ValkeyModuleString *g_held = NULL;
static ValkeyModuleString *g_autokept = NULL;

static int invalid(ValkeyModuleCtx *ctx) { return ValkeyModule_ReplyWithError(ctx, "ERR invalid"); }

static int echo_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithString(ctx, argv[1]);
}

static int fromll_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long v = strtoll(ValkeyModule_StringPtrLen(argv[1], NULL), NULL, 10);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromLongLong(ctx, v);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int toll_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long v = 777;
    if (ValkeyModule_StringToLongLong(argv[1], &v) != VALKEYMODULE_OK) {
        if (v != 777) return ValkeyModule_ReplyWithError(ctx, "ERR output written on failure");
        return invalid(ctx);
    }
    return ValkeyModule_ReplyWithLongLong(ctx, v);
}

static int toull_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    unsigned long long v;
    if (ValkeyModule_StringToULongLong(argv[1], &v) != VALKEYMODULE_OK) return invalid(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromULongLong(NULL, v);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int todouble_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    double d;
    if (ValkeyModule_StringToDouble(argv[1], &d) != VALKEYMODULE_OK) return invalid(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromDouble(ctx, d);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int told_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long double ld;
    if (ValkeyModule_StringToLongDouble(argv[1], &ld) != VALKEYMODULE_OK) return invalid(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromLongDouble(ctx, ld, 0);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int fmtdouble_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    double d = strtod(ValkeyModule_StringPtrLen(argv[1], NULL), NULL);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromDouble(NULL, d);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int fmtld_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long double ld = strtold(ValkeyModule_StringPtrLen(argv[1], NULL), NULL);
    int human = atoi(ValkeyModule_StringPtrLen(argv[2], NULL));
    ValkeyModuleString *s = ValkeyModule_CreateStringFromLongDouble(NULL, ld, human);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int printf_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringPrintf(ctx, "%s|%d|%05.1f|%lld|%c|%%|%x", "abc", -42, 3.14159,
                                                            1234567890123LL, 'z', 255);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int printflong_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long n;
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 1) return invalid(ctx);
    /* n-1 zeros then a 7, built by the formatter's zero padding */
    ValkeyModuleString *s = ValkeyModule_CreateStringPrintf(ctx, "%0*d", (int)n, 7);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int streamid_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleStreamID id;
    if (ValkeyModule_StringToStreamID(argv[1], &id) != VALKEYMODULE_OK) return invalid(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromStreamID(ctx, &id);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int mkstreamid_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleStreamID id;
    unsigned long long ms, seq;
    if (ValkeyModule_StringToULongLong(argv[1], &ms) != VALKEYMODULE_OK ||
        ValkeyModule_StringToULongLong(argv[2], &seq) != VALKEYMODULE_OK)
        return invalid(ctx);
    id.ms = ms;
    id.seq = seq;
    ValkeyModuleString *s = ValkeyModule_CreateStringFromStreamID(NULL, &id);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int compare_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_StringCompare(argv[1], argv[2]));
}

static int append_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromString(NULL, argv[1]);
    for (int i = 2; i < argc; i++) {
        size_t len;
        const char *p = ValkeyModule_StringPtrLen(argv[i], &len);
        if (ValkeyModule_StringAppendBuffer(ctx, s, p, len) != VALKEYMODULE_OK) {
            ValkeyModule_FreeString(NULL, s);
            return ValkeyModule_ReplyWithError(ctx, "ERR append failed");
        }
    }
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int appendshared_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromString(NULL, argv[1]);
    ValkeyModule_RetainString(NULL, s);
    int retained = ValkeyModule_StringAppendBuffer(ctx, s, "r", 1);
    ValkeyModule_FreeString(NULL, s);
    ValkeyModuleString *h = ValkeyModule_HoldString(NULL, s);
    int held = ValkeyModule_StringAppendBuffer(ctx, h, "h", 1);
    ValkeyModule_FreeString(NULL, h);
    int alone = ValkeyModule_StringAppendBuffer(ctx, s, "!", 1);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, retained);
    ValkeyModule_ReplyWithLongLong(ctx, held);
    ValkeyModule_ReplyWithLongLong(ctx, alone);
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int grow_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long n;
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 0) return invalid(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateString(NULL, "x", 1);
    for (long long i = 0; i < n; i++) ValkeyModule_StringAppendBuffer(ctx, s, "0123456789", 10);
    /* append a piece of the string to itself: the source may move while growing */
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(s, &len);
    ValkeyModule_StringAppendBuffer(ctx, s, p, len > 5 ? 5 : len);
    ValkeyModule_TrimStringAllocation(s);
    p = ValkeyModule_StringPtrLen(s, &len);
    if (p[len] != '\0') {
        ValkeyModule_FreeString(NULL, s);
        return ValkeyModule_ReplyWithError(ctx, "ERR not NUL-terminated");
    }
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(NULL, s);
    return VALKEYMODULE_OK;
}

static int copy_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleString *c = ValkeyModule_CreateStringFromString(ctx, argv[1]);
    if (c == argv[1]) return ValkeyModule_ReplyWithError(ctx, "ERR not a copy");
    if (ValkeyModule_StringAppendBuffer(ctx, c, "!", 1) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR append failed");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithString(ctx, c);
    ValkeyModule_ReplyWithString(ctx, argv[1]);
    ValkeyModule_FreeString(ctx, c);
    return VALKEYMODULE_OK;
}

static int retain_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (g_retained) ValkeyModule_FreeString(NULL, g_retained);
    ValkeyModule_RetainString(NULL, argv[1]);
    g_retained = argv[1];
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int retained_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    if (!g_retained) return ValkeyModule_ReplyWithNull(ctx);
    return ValkeyModule_ReplyWithString(ctx, g_retained);
}

static int hold_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (g_held) ValkeyModule_FreeString(NULL, g_held);
    g_held = ValkeyModule_HoldString(NULL, argv[1]);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int held_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    if (!g_held) return ValkeyModule_ReplyWithNull(ctx);
    return ValkeyModule_ReplyWithString(ctx, g_held);
}

static int release_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    if (g_retained) ValkeyModule_FreeString(NULL, g_retained);
    if (g_held) ValkeyModule_FreeString(NULL, g_held);
    if (g_autokept) ValkeyModule_FreeString(NULL, g_autokept);
    g_retained = g_held = g_autokept = NULL;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int auto_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_AutoMemory(ctx);
    /* left to AutoMemory */
    ValkeyModule_CreateString(ctx, "leak?", 5);
    ValkeyModule_CreateStringPrintf(ctx, "%d", 42);
    ValkeyModule_CreateStringFromLongLong(ctx, 1);
    ValkeyModule_CreateStringFromString(ctx, argv[1]);
    /* freed explicitly while AutoMemory is on: must not be released twice */
    ValkeyModuleString *f = ValkeyModule_CreateString(ctx, "freed", 5);
    ValkeyModule_FreeString(ctx, f);
    /* held twice through AutoMemory: each reference released once */
    ValkeyModuleString *a = ValkeyModule_CreateString(ctx, "held", 4);
    ValkeyModuleString *b = ValkeyModule_HoldString(ctx, a);
    if (a != b) return ValkeyModule_ReplyWithError(ctx, "ERR hold copied");
    /* holding an argument with AutoMemory: the extra reference is released at the end */
    ValkeyModule_HoldString(ctx, argv[1]);
    /* retained: taken out of AutoMemory, so its refcount stays 1 and it can grow */
    ValkeyModuleString *k = ValkeyModule_CreateStringFromString(ctx, argv[1]);
    ValkeyModule_RetainString(ctx, k);
    if (ValkeyModule_StringAppendBuffer(ctx, k, "+kept", 5) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR retained string is shared");
    if (g_autokept) ValkeyModule_FreeString(NULL, g_autokept);
    g_autokept = k;
    return ValkeyModule_ReplyWithString(ctx, k);
}

static int autokept_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    if (!g_autokept) return ValkeyModule_ReplyWithNull(ctx);
    return ValkeyModule_ReplyWithString(ctx, g_autokept);
}

static int ptrlennull_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    size_t len = 0;
    const char *p = ValkeyModule_StringPtrLen(NULL, &len);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithCString(ctx, p);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)len);
    return VALKEYMODULE_OK;
}

static int ptrlen_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    size_t len = 0;
    const char *p = ValkeyModule_StringPtrLen(argv[1], &len);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)len);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)strlen(p));
    return VALKEYMODULE_OK;
}

typedef struct {
    long long n;
    ValkeyModuleString *shared;
    int ok;
} ThreadArg;

static void *string_worker(void *arg) {
    ThreadArg *t = arg;
    t->ok = 1;
    for (long long i = 0; i < t->n; i++) {
        ValkeyModuleString *s = ValkeyModule_CreateStringPrintf(NULL, "item-%lld", i);
        if (ValkeyModule_StringAppendBuffer(NULL, s, "-tail", 5) != VALKEYMODULE_OK) t->ok = 0;
        ValkeyModuleString *c = ValkeyModule_CreateStringFromString(NULL, s);
        if (ValkeyModule_StringCompare(s, c) != 0) t->ok = 0;
        ValkeyModule_FreeString(NULL, c);
        ValkeyModule_FreeString(NULL, s);
        ValkeyModule_RetainString(NULL, t->shared);
        ValkeyModuleString *h = ValkeyModule_HoldString(NULL, t->shared);
        ValkeyModule_FreeString(NULL, h);
        ValkeyModule_FreeString(NULL, t->shared);
    }
    return NULL;
}

static int threads_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long n;
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 0) return invalid(ctx);
    ValkeyModuleString *shared = ValkeyModule_CreateString(NULL, "shared", 6);
    pthread_t tids[4];
    ThreadArg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].n = n;
        args[i].shared = shared;
        args[i].ok = 0;
        pthread_create(&tids[i], NULL, string_worker, &args[i]);
    }
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        pthread_join(tids[i], NULL);
        ok &= args[i].ok;
    }
    /* every thread gave back what it took: the string is unshared again */
    int unshared = ValkeyModule_StringAppendBuffer(ctx, shared, "!", 1) == VALKEYMODULE_OK;
    ValkeyModule_FreeString(NULL, shared);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, ok);
    ValkeyModule_ReplyWithLongLong(ctx, unshared);
    return VALKEYMODULE_OK;
}

#define CMD(name, fn)                                                                                \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "fast", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "strings", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    CMD("str.echo", echo_cmd);
    CMD("str.fromll", fromll_cmd);
    CMD("str.toll", toll_cmd);
    CMD("str.toull", toull_cmd);
    CMD("str.todouble", todouble_cmd);
    CMD("str.told", told_cmd);
    CMD("str.fmtdouble", fmtdouble_cmd);
    CMD("str.fmtld", fmtld_cmd);
    CMD("str.printf", printf_cmd);
    CMD("str.printflong", printflong_cmd);
    CMD("str.streamid", streamid_cmd);
    CMD("str.mkstreamid", mkstreamid_cmd);
    CMD("str.compare", compare_cmd);
    CMD("str.append", append_cmd);
    CMD("str.appendshared", appendshared_cmd);
    CMD("str.grow", grow_cmd);
    CMD("str.copy", copy_cmd);
    CMD("str.retain", retain_cmd);
    CMD("str.retained", retained_cmd);
    CMD("str.hold", hold_cmd);
    CMD("str.held", held_cmd);
    CMD("str.release", release_cmd);
    CMD("str.auto", auto_cmd);
    CMD("str.autokept", autokept_cmd);
    CMD("str.ptrlennull", ptrlennull_cmd);
    CMD("str.ptrlen", ptrlen_cmd);
    CMD("str.threads", threads_cmd);
    return VALKEYMODULE_OK;
}
