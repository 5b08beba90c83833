/* keystream: the stream key API, driven by a small script of operations on one handle.
 *
 *   KX.DO <key> <R|W|RW|NULL> <op> [args] <op> [args] ...
 *
 * opens <key> (NULL: no handle at all) and runs the operations in order on the same
 * handle, replying one string per operation. Failures reply "ERR <errno name>".
 *
 *   add <id|*> <nfields> <field> <value> ...   StreamAdd (* = AUTOID) -> "OK <id>"
 *   addauto0 <nfields> <field> <value> ...     StreamAdd AUTOID with a NULL id -> "OK"
 *   addnoid <nfields> ...                      no AUTOID and a NULL id -> "ERR EINVAL"
 *   addnoargv <nfields>                        argv NULL -> "ERR EINVAL" (unless nfields is 0)
 *   del <id>                                   StreamDelete -> "OK"
 *   delnull                                    StreamDelete with a NULL id
 *   start <flags> <start|-> <end|+>            StreamIteratorStart (flags: -, EX, REV, EX|REV,
 *                                              BAD) -> "OK"
 *   stop                                       StreamIteratorStop -> "OK"
 *   nextid                                     StreamIteratorNextID -> "OK <id> <numfields>"
 *   nextid0                                    the same with NULL id and numfields -> "OK"
 *   field                                      StreamIteratorNextField -> "OK <field> <value>"
 *   field0                                     the same with NULL pointers -> "OK"
 *   idel                                       StreamIteratorDelete -> "OK"
 *   all                                        NextID/NextField until ENOENT ->
 *                                              "<id> f=v f=v,<id> ..." ("" when none)
 *   trimlen <flags> <len>                      StreamTrimByLength (flags: -, APPROX, BAD) -> "<n>"
 *   trimid <flags> <id>                        StreamTrimByID -> "<n>"; trimidnull: NULL id
 *   type | len                                 KeyType / ValueLength -> "<int>"
 *
 * IDs are "<ms>-<seq>" with unsigned 64-bit parts ("max" stands for the largest value).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static const char *errname(int e) {
    switch (e) {
        case EINVAL: return "EINVAL";
        case ENOTSUP: return "ENOTSUP";
        case EBADF: return "EBADF";
        case ENOENT: return "ENOENT";
        case EDOM: return "EDOM";
        case EFBIG: return "EFBIG";
        case ERANGE: return "ERANGE";
        default: return "E?";
    }
}

static uint64_t parse_u64(const char *p, char **end) {
    if (!strncmp(p, "max", 3)) {
        *end = (char *)p + 3;
        return UINT64_MAX;
    }
    return strtoull(p, end, 10);
}

static void parse_id(ValkeyModuleString *s, ValkeyModuleStreamID *id) {
    const char *p = ValkeyModule_StringPtrLen(s, NULL);
    char *end;
    id->ms = parse_u64(p, &end);
    id->seq = *end == '-' ? parse_u64(end + 1, &end) : 0;
}

static void fmt_id(char *out, size_t n, const ValkeyModuleStreamID *id) {
    snprintf(out, n, "%" PRIu64 "-%" PRIu64, id->ms, id->seq);
}

static int reply_fmt(ValkeyModuleCtx *ctx, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ValkeyModule_ReplyWithStringBuffer(ctx, buf, strlen(buf));
}

static int reply_rc(ValkeyModuleCtx *ctx, int rc) {
    if (rc == VALKEYMODULE_OK) return reply_fmt(ctx, "OK");
    return reply_fmt(ctx, "ERR %s", errname(errno));
}

static long nfields_at(ValkeyModuleString **argv, int i) {
    return atol(ValkeyModule_StringPtrLen(argv[i], NULL));
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
    char ids[128];
    for (int i = 3; i < argc; replies++) {
        const char *op = ValkeyModule_StringPtrLen(argv[i++], NULL);
        int left = argc - i;
        errno = 0;
        if (!strcmp(op, "add") && left >= 2) {
            const char *idtext = ValkeyModule_StringPtrLen(argv[i], NULL);
            long n = nfields_at(argv, i + 1);
            if (left < 2 + 2 * n) break;
            ValkeyModuleStreamID id = {0, 0};
            int flags = 0;
            if (!strcmp(idtext, "*")) flags = VALKEYMODULE_STREAM_ADD_AUTOID;
            else parse_id(argv[i], &id);
            int rc = ValkeyModule_StreamAdd(k, flags, &id, argv + i + 2, n);
            if (rc == VALKEYMODULE_OK) {
                fmt_id(ids, sizeof ids, &id);
                reply_fmt(ctx, "OK %s", ids);
            } else {
                reply_rc(ctx, rc);
            }
            i += 2 + 2 * n;
        } else if ((!strcmp(op, "addauto0") || !strcmp(op, "addnoid")) && left >= 1) {
            long n = nfields_at(argv, i);
            if (left < 1 + 2 * n) break;
            int flags = op[3] == 'a' ? VALKEYMODULE_STREAM_ADD_AUTOID : 0;
            reply_rc(ctx, ValkeyModule_StreamAdd(k, flags, NULL, argv + i + 1, n));
            i += 1 + 2 * n;
        } else if (!strcmp(op, "addnoargv") && left >= 1) {
            ValkeyModuleStreamID id = {0, 0};
            int rc = ValkeyModule_StreamAdd(k, VALKEYMODULE_STREAM_ADD_AUTOID, &id, NULL, nfields_at(argv, i));
            if (rc == VALKEYMODULE_OK) {
                fmt_id(ids, sizeof ids, &id);
                reply_fmt(ctx, "OK %s", ids);
            } else {
                reply_rc(ctx, rc);
            }
            i += 1;
        } else if (!strcmp(op, "del") && left >= 1) {
            ValkeyModuleStreamID id;
            parse_id(argv[i], &id);
            reply_rc(ctx, ValkeyModule_StreamDelete(k, &id));
            i += 1;
        } else if (!strcmp(op, "delnull")) {
            reply_rc(ctx, ValkeyModule_StreamDelete(k, NULL));
        } else if (!strcmp(op, "start") && left >= 3) {
            const char *f = ValkeyModule_StringPtrLen(argv[i], NULL);
            int flags = 0;
            if (strstr(f, "EX")) flags |= VALKEYMODULE_STREAM_ITERATOR_EXCLUSIVE;
            if (strstr(f, "REV")) flags |= VALKEYMODULE_STREAM_ITERATOR_REVERSE;
            if (strstr(f, "BAD")) flags |= 4;
            ValkeyModuleStreamID s, e;
            const char *st = ValkeyModule_StringPtrLen(argv[i + 1], NULL);
            const char *en = ValkeyModule_StringPtrLen(argv[i + 2], NULL);
            if (strcmp(st, "-")) parse_id(argv[i + 1], &s);
            if (strcmp(en, "+")) parse_id(argv[i + 2], &e);
            reply_rc(ctx, ValkeyModule_StreamIteratorStart(k, flags, strcmp(st, "-") ? &s : NULL, strcmp(en, "+") ? &e : NULL));
            i += 3;
        } else if (!strcmp(op, "stop")) {
            reply_rc(ctx, ValkeyModule_StreamIteratorStop(k));
        } else if (!strcmp(op, "nextid")) {
            ValkeyModuleStreamID id;
            long n;
            int rc = ValkeyModule_StreamIteratorNextID(k, &id, &n);
            if (rc == VALKEYMODULE_OK) {
                fmt_id(ids, sizeof ids, &id);
                reply_fmt(ctx, "OK %s %ld", ids, n);
            } else {
                reply_rc(ctx, rc);
            }
        } else if (!strcmp(op, "nextid0")) {
            reply_rc(ctx, ValkeyModule_StreamIteratorNextID(k, NULL, NULL));
        } else if (!strcmp(op, "field")) {
            ValkeyModuleString *f, *v;
            int rc = ValkeyModule_StreamIteratorNextField(k, &f, &v);
            if (rc == VALKEYMODULE_OK) {
                reply_fmt(ctx, "OK %s %s", ValkeyModule_StringPtrLen(f, NULL), ValkeyModule_StringPtrLen(v, NULL));
            } else {
                reply_rc(ctx, rc);
            }
        } else if (!strcmp(op, "field0")) {
            reply_rc(ctx, ValkeyModule_StreamIteratorNextField(k, NULL, NULL));
        } else if (!strcmp(op, "idel")) {
            reply_rc(ctx, ValkeyModule_StreamIteratorDelete(k));
        } else if (!strcmp(op, "all")) {
            char out[8192] = "";
            size_t used = 0;
            ValkeyModuleStreamID id;
            long n;
            while (ValkeyModule_StreamIteratorNextID(k, &id, &n) == VALKEYMODULE_OK) {
                fmt_id(ids, sizeof ids, &id);
                used += snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", ids);
                ValkeyModuleString *f, *v;
                while (ValkeyModule_StreamIteratorNextField(k, &f, &v) == VALKEYMODULE_OK) {
                    used += snprintf(out + used, sizeof out - used, " %s=%s", ValkeyModule_StringPtrLen(f, NULL),
                                     ValkeyModule_StringPtrLen(v, NULL));
                    ValkeyModule_FreeString(ctx, f);
                    ValkeyModule_FreeString(ctx, v);
                }
                if (used >= sizeof out) used = sizeof out - 1;
            }
            ValkeyModule_ReplyWithStringBuffer(ctx, out, used);
        } else if ((!strcmp(op, "trimlen") || !strcmp(op, "trimid") || !strcmp(op, "trimidnull")) && left >= 1) {
            const char *f = ValkeyModule_StringPtrLen(argv[i], NULL);
            int flags = 0;
            if (strstr(f, "APPROX")) flags |= VALKEYMODULE_STREAM_TRIM_APPROX;
            if (strstr(f, "BAD")) flags |= 2;
            long long r;
            if (!strcmp(op, "trimlen")) {
                if (left < 2) break;
                r = ValkeyModule_StreamTrimByLength(k, flags, strtoll(ValkeyModule_StringPtrLen(argv[i + 1], NULL), NULL, 10));
                i += 2;
            } else if (!strcmp(op, "trimid")) {
                if (left < 2) break;
                ValkeyModuleStreamID id;
                parse_id(argv[i + 1], &id);
                r = ValkeyModule_StreamTrimByID(k, flags, &id);
                i += 2;
            } else {
                r = ValkeyModule_StreamTrimByID(k, flags, NULL);
                i += 1;
            }
            if (r >= 0) reply_fmt(ctx, "%lld", r);
            else reply_fmt(ctx, "%lld %s", r, errname(errno));
        } else if (!strcmp(op, "type")) {
            reply_fmt(ctx, "%d", ValkeyModule_KeyType(k));
        } else if (!strcmp(op, "len")) {
            reply_fmt(ctx, "%d", (int)ValkeyModule_ValueLength(k));
        } else {
            ValkeyModule_ReplyWithError(ctx, "ERR unknown op or missing arguments");
            replies++;
            break;
        }
    }
    ValkeyModule_ReplySetArrayLength(ctx, replies);
    if (k) ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

/* KX.COPY <src> <dst>: copies every entry of src to dst with the same IDs, reading with an
 * iterator and writing with StreamAdd, without AutoMemory (strings freed explicitly). Replies
 * the number of entries copied, or an error naming the errno. */
static int copy_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *src = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    ValkeyModuleKey *dst = ValkeyModule_OpenKey(ctx, argv[2], VALKEYMODULE_WRITE);
    if (ValkeyModule_StreamIteratorStart(src, 0, NULL, NULL) != VALKEYMODULE_OK) {
        ValkeyModule_CloseKey(src);
        ValkeyModule_CloseKey(dst);
        return ValkeyModule_ReplyWithErrorFormat(ctx, "ERR start: %s", errname(errno));
    }
    long long copied = 0;
    ValkeyModuleStreamID id;
    long n;
    while (ValkeyModule_StreamIteratorNextID(src, &id, &n) == VALKEYMODULE_OK) {
        ValkeyModuleString **fv = ValkeyModule_Alloc(sizeof(*fv) * (size_t)(2 * n + 1));
        for (long j = 0; j < n; j++) ValkeyModule_StreamIteratorNextField(src, &fv[2 * j], &fv[2 * j + 1]);
        int rc = ValkeyModule_StreamAdd(dst, 0, &id, fv, n);
        for (long j = 0; j < 2 * n; j++) ValkeyModule_FreeString(ctx, fv[j]);
        ValkeyModule_Free(fv);
        if (rc != VALKEYMODULE_OK) break;
        copied++;
    }
    ValkeyModule_StreamIteratorStop(src);
    ValkeyModule_CloseKey(src);
    ValkeyModule_CloseKey(dst);
    return ValkeyModule_ReplyWithLongLong(ctx, copied);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "keystream", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "kx.do", do_cmd, "write", 1, 1, 1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "kx.copy", copy_cmd, "write", 1, 2, 1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
