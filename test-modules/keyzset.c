/* keyzset: the sorted set key API, driven by a small script of operations on one handle.
 *
 *   KZ.DO <key> <R|W|RW|NULL> <op> [args] <op> [args] ...
 *
 * opens <key> (NULL: no handle at all, to check NULL handling) and runs the operations in
 * order on the same handle, replying one string per operation:
 *
 *   add <score> <member> <flags>     ZsetAdd (flags: - or XX|NX|GT|LT joined by |)
 *                                    -> "OK <outflags>" | "ERR <flags after the call>"
 *   addnf <score> <member>           ZsetAdd with a NULL flags pointer -> "OK" | "ERR"
 *   incr <score> <member> <flags>    ZsetIncrby -> "OK <outflags> <newscore|->" | "ERR <flags> <newscore|->"
 *   incrnf <score> <member>          ZsetIncrby with NULL flags and newscore -> "OK" | "ERR"
 *   rem <member>                     ZsetRem -> "OK <deleted>" | "ERR <deleted untouched: ->"
 *   remnd <member>                   ZsetRem with a NULL deleted pointer -> "OK" | "ERR"
 *   score <member>                   ZsetScore -> "<score>" | "ERR"
 *   fs|ls <min> <max> <minex> <maxex>  First/LastInScoreRange -> "OK" | "ERR"
 *   fl|ll <min> <max>                First/LastInLexRange -> "OK" | "ERR"
 *   cur                              ZsetRangeCurrentElement -> "<member> <score>" | "NULL"
 *   curns                            the same with a NULL score pointer -> "<member>" | "NULL"
 *   next | prev | end                ZsetRangeNext / Prev / EndReached -> "<int>"
 *   stop                             ZsetRangeStop -> "OK"
 *   walk | rwalk                     while !EndReached: cur, then Next (walk) or Prev (rwalk)
 *                                    -> "<member> <score>,<member> <score>,..." ("" when none)
 *   type | len                       KeyType / ValueLength -> "<int>"
 *   close                            CloseKey (later operations get a NULL handle) -> "OK"
 *
 * Scores are parsed with strtod ("inf", "-inf", "nan" work) and printed with %.17g.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "valkeymodule.h"

static double parse_score(ValkeyModuleString *s) {
    return strtod(ValkeyModule_StringPtrLen(s, NULL), NULL);
}

static int parse_flags(ValkeyModuleString *s) {
    const char *p = ValkeyModule_StringPtrLen(s, NULL);
    int f = 0;
    if (strstr(p, "XX")) f |= VALKEYMODULE_ZADD_XX;
    if (strstr(p, "NX")) f |= VALKEYMODULE_ZADD_NX;
    if (strstr(p, "GT")) f |= VALKEYMODULE_ZADD_GT;
    if (strstr(p, "LT")) f |= VALKEYMODULE_ZADD_LT;
    return f;
}

static int reply_fmt(ValkeyModuleCtx *ctx, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ValkeyModule_ReplyWithStringBuffer(ctx, buf, strlen(buf));
}

static void fmt_score(char *out, size_t n, double d) {
    if (isinf(d)) snprintf(out, n, "%s", d > 0 ? "inf" : "-inf");
    else snprintf(out, n, "%.17g", d);
}

/* A growing reply buffer (binary-safe). */
struct buf {
    char data[8192];
    size_t len;
};

static void buf_add(struct buf *b, const char *p, size_t len) {
    if (b->len + len > sizeof b->data) len = sizeof b->data - b->len;
    memcpy(b->data + b->len, p, len);
    b->len += len;
}

/* Appends "<member> <score>" of the current element to b (comma-separated); returns 0 when
 * there is none. */
static int append_current(ValkeyModuleKey *k, struct buf *b) {
    double score = 0;
    ValkeyModuleString *ele = ValkeyModule_ZsetRangeCurrentElement(k, &score);
    if (!ele) return 0;
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(ele, &len);
    char sc[64];
    fmt_score(sc, sizeof sc, score);
    if (b->len) buf_add(b, ",", 1);
    buf_add(b, p, len);
    buf_add(b, " ", 1);
    buf_add(b, sc, strlen(sc));
    return 1;
}

static int do_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_AutoMemory(ctx);
    const char *m = ValkeyModule_StringPtrLen(argv[2], NULL);
    int mode = 0;
    if (strchr(m, 'R')) mode |= VALKEYMODULE_READ;
    if (strchr(m, 'W')) mode |= VALKEYMODULE_WRITE;
    ValkeyModuleKey *k = strcmp(m, "NULL") ? ValkeyModule_OpenKey(ctx, argv[1], mode) : NULL;
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    long replies = 0;
    char sc[64];
    for (int i = 3; i < argc; replies++) {
        const char *op = ValkeyModule_StringPtrLen(argv[i++], NULL);
        int left = argc - i;
        if (!strcmp(op, "add") && left >= 3) {
            int flags = parse_flags(argv[i + 2]);
            int rc = ValkeyModule_ZsetAdd(k, parse_score(argv[i]), argv[i + 1], &flags);
            reply_fmt(ctx, "%s %d", rc == VALKEYMODULE_OK ? "OK" : "ERR", flags);
            i += 3;
        } else if (!strcmp(op, "addnf") && left >= 2) {
            int rc = ValkeyModule_ZsetAdd(k, parse_score(argv[i]), argv[i + 1], NULL);
            reply_fmt(ctx, "%s", rc == VALKEYMODULE_OK ? "OK" : "ERR");
            i += 2;
        } else if (!strcmp(op, "incr") && left >= 3) {
            int flags = parse_flags(argv[i + 2]);
            double ns = NAN;
            int rc = ValkeyModule_ZsetIncrby(k, parse_score(argv[i]), argv[i + 1], &flags, &ns);
            if (isnan(ns)) strcpy(sc, "-");
            else fmt_score(sc, sizeof sc, ns);
            reply_fmt(ctx, "%s %d %s", rc == VALKEYMODULE_OK ? "OK" : "ERR", flags, sc);
            i += 3;
        } else if (!strcmp(op, "incrnf") && left >= 2) {
            int rc = ValkeyModule_ZsetIncrby(k, parse_score(argv[i]), argv[i + 1], NULL, NULL);
            reply_fmt(ctx, "%s", rc == VALKEYMODULE_OK ? "OK" : "ERR");
            i += 2;
        } else if (!strcmp(op, "rem") && left >= 1) {
            int deleted = -1;
            int rc = ValkeyModule_ZsetRem(k, argv[i], &deleted);
            if (deleted < 0) reply_fmt(ctx, "%s -", rc == VALKEYMODULE_OK ? "OK" : "ERR");
            else reply_fmt(ctx, "%s %d", rc == VALKEYMODULE_OK ? "OK" : "ERR", deleted);
            i += 1;
        } else if (!strcmp(op, "remnd") && left >= 1) {
            int rc = ValkeyModule_ZsetRem(k, argv[i], NULL);
            reply_fmt(ctx, "%s", rc == VALKEYMODULE_OK ? "OK" : "ERR");
            i += 1;
        } else if (!strcmp(op, "score") && left >= 1) {
            double s = 0;
            if (ValkeyModule_ZsetScore(k, argv[i], &s) == VALKEYMODULE_OK) {
                fmt_score(sc, sizeof sc, s);
                reply_fmt(ctx, "%s", sc);
            } else {
                reply_fmt(ctx, "ERR");
            }
            i += 1;
        } else if ((!strcmp(op, "fs") || !strcmp(op, "ls")) && left >= 4) {
            double min = parse_score(argv[i]), max = parse_score(argv[i + 1]);
            int minex = atoi(ValkeyModule_StringPtrLen(argv[i + 2], NULL));
            int maxex = atoi(ValkeyModule_StringPtrLen(argv[i + 3], NULL));
            int rc = op[0] == 'f' ? ValkeyModule_ZsetFirstInScoreRange(k, min, max, minex, maxex)
                                  : ValkeyModule_ZsetLastInScoreRange(k, min, max, minex, maxex);
            reply_fmt(ctx, "%s", rc == VALKEYMODULE_OK ? "OK" : "ERR");
            i += 4;
        } else if ((!strcmp(op, "fl") || !strcmp(op, "ll")) && left >= 2) {
            int rc = op[0] == 'f' ? ValkeyModule_ZsetFirstInLexRange(k, argv[i], argv[i + 1])
                                  : ValkeyModule_ZsetLastInLexRange(k, argv[i], argv[i + 1]);
            reply_fmt(ctx, "%s", rc == VALKEYMODULE_OK ? "OK" : "ERR");
            i += 2;
        } else if (!strcmp(op, "cur")) {
            struct buf b = {.len = 0};
            if (append_current(k, &b)) ValkeyModule_ReplyWithStringBuffer(ctx, b.data, b.len);
            else reply_fmt(ctx, "NULL");
        } else if (!strcmp(op, "curns")) {
            ValkeyModuleString *ele = ValkeyModule_ZsetRangeCurrentElement(k, NULL);
            if (ele) ValkeyModule_ReplyWithString(ctx, ele);
            else reply_fmt(ctx, "NULL");
        } else if (!strcmp(op, "next")) {
            reply_fmt(ctx, "%d", ValkeyModule_ZsetRangeNext(k));
        } else if (!strcmp(op, "prev")) {
            reply_fmt(ctx, "%d", ValkeyModule_ZsetRangePrev(k));
        } else if (!strcmp(op, "end")) {
            reply_fmt(ctx, "%d", ValkeyModule_ZsetRangeEndReached(k));
        } else if (!strcmp(op, "stop")) {
            ValkeyModule_ZsetRangeStop(k);
            reply_fmt(ctx, "OK");
        } else if (!strcmp(op, "walk") || !strcmp(op, "rwalk")) {
            struct buf b = {.len = 0};
            int guard = 0;
            while (!ValkeyModule_ZsetRangeEndReached(k) && guard++ < 1000) {
                append_current(k, &b);
                if (op[0] == 'w') ValkeyModule_ZsetRangeNext(k);
                else ValkeyModule_ZsetRangePrev(k);
            }
            ValkeyModule_ReplyWithStringBuffer(ctx, b.data, b.len);
        } else if (!strcmp(op, "type")) {
            reply_fmt(ctx, "%d", ValkeyModule_KeyType(k));
        } else if (!strcmp(op, "len")) {
            reply_fmt(ctx, "%d", (int)ValkeyModule_ValueLength(k));
        } else if (!strcmp(op, "close")) {
            ValkeyModule_CloseKey(k);
            k = NULL;
            reply_fmt(ctx, "OK");
        } else {
            ValkeyModule_ReplyWithError(ctx, "ERR unknown op or missing arguments");
            break;
        }
    }
    ValkeyModule_ReplySetArrayLength(ctx, replies);
    if (k) ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

/* KZ.SUM <key> <min> <max>: sums the scores of a score range without AutoMemory, freeing each
 * element explicitly (the pattern of helloworld's HELLO.ZSUMRANGE). */
static int sum_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    if (ValkeyModule_ZsetFirstInScoreRange(k, parse_score(argv[2]), parse_score(argv[3]), 0, 0) != VALKEYMODULE_OK) {
        ValkeyModule_CloseKey(k);
        return ValkeyModule_ReplyWithError(ctx, "ERR not a sorted set");
    }
    double sum = 0;
    long long n = 0;
    while (!ValkeyModule_ZsetRangeEndReached(k)) {
        double s;
        ValkeyModuleString *ele = ValkeyModule_ZsetRangeCurrentElement(k, &s);
        ValkeyModule_FreeString(ctx, ele);
        sum += s;
        n++;
        ValkeyModule_ZsetRangeNext(k);
    }
    ValkeyModule_ZsetRangeStop(k);
    ValkeyModule_CloseKey(k);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, n);
    return ValkeyModule_ReplyWithDouble(ctx, sum);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "keyzset", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "kz.do", do_cmd, "write", 1, 1, 1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "kz.sum", sum_cmd, "readonly", 1, 1, 1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
