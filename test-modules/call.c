/* call: ValkeyModule_Call and the CallReply accessors.
 *
 * <mods> is a string of Call modifiers ("-" for none); the command line follows and is
 * passed with the `v` format after them.
 *
 *   CALL.FWD <mods> <cmd> [args...]      Call, then ReplyWithCallReply; a NULL reply answers
 *                                        "-NULL <errno name>", a refused forward
 *                                        "-REFUSED ReplyWithCallReply".
 *   CALL.DESCRIBE <mods> <cmd> [args...] the reply tree, walked with every accessor, as text
 *   CALL.PROTO <mods> <cmd> [args...]    CallReplyProto as a bulk string
 *   CALL.STR <mods> <cmd> [args...]      CreateStringFromCallReply (or "-NULL")
 *   CALL.ERRNO <mods> <cmd> [args...]    the errno name of a NULL reply, or "OK <type>"
 *   CALL.FORMATS <key>                   RPUSH with c, s, b, l and v arguments, then LRANGE
 *   CALL.BADFMT <mods>                   Call(ctx, "PING", "<mods>Z"): an unknown format char
 *   CALL.AUTO <key>                      AutoMemory: replies left to the context to free
 *   CALL.NESTED <key>                    writes replies, calls CALL.FWD (a module command)
 *                                        through Call in the middle, forwards it, writes more
 *   CALL.WRONGTYPES                      accessors on replies of the wrong type
 *   CALL.ELEMENTS                        array/set/map element accessors out of range
 *   CALL.ATTRIB                          DEBUG PROTOCOL attrib with `3`: attribute accessors
 *                                        and the RESP3-to-RESP2 refusal
 *   CALL.FLAGS                           GetContextFlags (the DENY_BLOCKING bit is 1<<21)
 *   CALL.PING                            replies PONG (a module command to call)
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static const char *errno_name(int e) {
    switch (e) {
        case EBADF: return "EBADF";
        case EINVAL: return "EINVAL";
        case ENOENT: return "ENOENT";
        case EPERM: return "EPERM";
        case EROFS: return "EROFS";
        case ENETDOWN: return "ENETDOWN";
        case ENOTSUP: return "ENOTSUP";
        case EACCES: return "EACCES";
        case ENOSPC: return "ENOSPC";
        case ESPIPE: return "ESPIPE";
        case 0: return "0";
        default: return "OTHER";
    }
}

/* The format for <mods> followed by `v`. */
static void make_fmt(ValkeyModuleString *mods, char *fmt, size_t size) {
    const char *m = ValkeyModule_StringPtrLen(mods, NULL);
    if (!strcmp(m, "-")) m = "";
    snprintf(fmt, size, "%sv", m);
}

static ValkeyModuleCallReply *do_call(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    char fmt[64];
    make_fmt(argv[1], fmt, sizeof(fmt));
    const char *cmd = ValkeyModule_StringPtrLen(argv[2], NULL);
    errno = 0;
    return ValkeyModule_Call(ctx, cmd, fmt, argv + 3, (size_t)(argc - 3));
}

static int reply_null(ValkeyModuleCtx *ctx) {
    char buf[64];
    snprintf(buf, sizeof(buf), "NULL %s", errno_name(errno));
    return ValkeyModule_ReplyWithError(ctx, buf);
}

static int fwd_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = do_call(ctx, argv, argc);
    if (!r) return reply_null(ctx);
    if (ValkeyModule_ReplyWithCallReply(ctx, r) != VALKEYMODULE_OK)
        ValkeyModule_ReplyWithError(ctx, "REFUSED ReplyWithCallReply");
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

/* ---- describing a reply with the accessors ---- */

typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

static void describe(Buf *b, ValkeyModuleCallReply *r) {
    char tmp[128];
    ValkeyModuleCallReply *attr = ValkeyModule_CallReplyAttribute(r);
    if (attr) {
        puts_(b, "attr");
        describe(b, attr);
        puts_(b, "->");
    }
    size_t len;
    const char *s;
    switch (ValkeyModule_CallReplyType(r)) {
        case VALKEYMODULE_REPLY_STRING:
            s = ValkeyModule_CallReplyStringPtr(r, &len);
            puts_(b, "string(");
            put(b, s, len);
            puts_(b, ")");
            break;
        case VALKEYMODULE_REPLY_ERROR:
            s = ValkeyModule_CallReplyStringPtr(r, &len);
            puts_(b, "error(");
            put(b, s, len);
            puts_(b, ")");
            break;
        case VALKEYMODULE_REPLY_INTEGER:
            snprintf(tmp, sizeof(tmp), "int(%lld)", ValkeyModule_CallReplyInteger(r));
            puts_(b, tmp);
            break;
        case VALKEYMODULE_REPLY_NULL: puts_(b, "null"); break;
        case VALKEYMODULE_REPLY_BOOL:
            snprintf(tmp, sizeof(tmp), "bool(%d)", ValkeyModule_CallReplyBool(r));
            puts_(b, tmp);
            break;
        case VALKEYMODULE_REPLY_DOUBLE:
            snprintf(tmp, sizeof(tmp), "double(%.17g)", ValkeyModule_CallReplyDouble(r));
            puts_(b, tmp);
            break;
        case VALKEYMODULE_REPLY_BIG_NUMBER:
            s = ValkeyModule_CallReplyBigNumber(r, &len);
            puts_(b, "bignum(");
            put(b, s, len);
            puts_(b, ")");
            break;
        case VALKEYMODULE_REPLY_VERBATIM_STRING: {
            const char *format;
            s = ValkeyModule_CallReplyVerbatim(r, &len, &format);
            puts_(b, "verbatim(");
            put(b, format, 3);
            puts_(b, ":");
            put(b, s, len);
            puts_(b, ")");
            break;
        }
        case VALKEYMODULE_REPLY_ARRAY:
        case VALKEYMODULE_REPLY_SET: {
            int isset = ValkeyModule_CallReplyType(r) == VALKEYMODULE_REPLY_SET;
            size_t n = ValkeyModule_CallReplyLength(r);
            snprintf(tmp, sizeof(tmp), "%s(%zu)[", isset ? "set" : "array", n);
            puts_(b, tmp);
            for (size_t i = 0; i < n; i++) {
                if (i) puts_(b, ",");
                describe(b, isset ? ValkeyModule_CallReplySetElement(r, i) : ValkeyModule_CallReplyArrayElement(r, i));
            }
            puts_(b, "]");
            break;
        }
        case VALKEYMODULE_REPLY_MAP:
        case VALKEYMODULE_REPLY_ATTRIBUTE: {
            int ismap = ValkeyModule_CallReplyType(r) == VALKEYMODULE_REPLY_MAP;
            size_t n = ValkeyModule_CallReplyLength(r);
            snprintf(tmp, sizeof(tmp), "%s(%zu){", ismap ? "map" : "attribute", n);
            puts_(b, tmp);
            for (size_t i = 0; i < n; i++) {
                ValkeyModuleCallReply *k = NULL, *v = NULL;
                int rc = ismap ? ValkeyModule_CallReplyMapElement(r, i, &k, &v)
                               : ValkeyModule_CallReplyAttributeElement(r, i, &k, &v);
                if (rc != VALKEYMODULE_OK) {
                    puts_(b, "!ERR");
                    continue;
                }
                if (i) puts_(b, ",");
                describe(b, k);
                puts_(b, ":");
                describe(b, v);
            }
            puts_(b, "}");
            break;
        }
        default: puts_(b, "unknown"); break;
    }
}

static int describe_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = do_call(ctx, argv, argc);
    if (!r) return reply_null(ctx);
    Buf b = {0};
    describe(&b, r);
    ValkeyModule_ReplyWithStringBuffer(ctx, b.p, b.len);
    free(b.p);
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int proto_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = do_call(ctx, argv, argc);
    if (!r) return reply_null(ctx);
    size_t len;
    const char *p = ValkeyModule_CallReplyProto(r, &len);
    ValkeyModule_ReplyWithStringBuffer(ctx, p, len);
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int str_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = do_call(ctx, argv, argc);
    if (!r) return reply_null(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromCallReply(r);
    if (s) {
        ValkeyModule_ReplyWithString(ctx, s);
        ValkeyModule_FreeString(ctx, s);
    } else {
        ValkeyModule_ReplyWithError(ctx, "NULL");
    }
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int errno_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *r = do_call(ctx, argv, argc);
    char buf[64];
    if (!r) {
        snprintf(buf, sizeof(buf), "%s", errno_name(errno));
    } else {
        snprintf(buf, sizeof(buf), "OK %d %s", ValkeyModule_CallReplyType(r), errno_name(errno));
        ValkeyModule_FreeCallReply(r);
    }
    return ValkeyModule_ReplyWithSimpleString(ctx, buf);
}

static int formats_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleString *s = ValkeyModule_CreateString(ctx, "str\0ing", 7);
    ValkeyModuleString *vec[2] = {ValkeyModule_CreateString(ctx, "v1", 2), ValkeyModule_CreateString(ctx, "v2", 2)};
    ValkeyModuleCallReply *r =
        ValkeyModule_Call(ctx, "RPUSH", "scsblv", argv[1], "cstr", s, "buf\0fer", (size_t)7, -1234567890123LL, vec, (size_t)2);
    ValkeyModule_FreeString(ctx, s);
    ValkeyModule_FreeString(ctx, vec[0]);
    ValkeyModule_FreeString(ctx, vec[1]);
    if (!r) return reply_null(ctx);
    ValkeyModule_FreeCallReply(r);
    r = ValkeyModule_Call(ctx, "LRANGE", "scc", argv[1], "0", "-1");
    ValkeyModule_ReplyWithCallReply(ctx, r);
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int badfmt_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    char fmt[64];
    const char *m = ValkeyModule_StringPtrLen(argv[1], NULL);
    if (!strcmp(m, "-")) m = "";
    snprintf(fmt, sizeof(fmt), "%sZ", m);
    errno = 0;
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "PING", fmt);
    if (r) {
        ValkeyModule_ReplyWithCallReply(ctx, r);
        ValkeyModule_FreeCallReply(r);
        return VALKEYMODULE_OK;
    }
    return ValkeyModule_ReplyWithSimpleString(ctx, errno_name(errno));
}

static int auto_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_AutoMemory(ctx);
    ValkeyModuleCallReply *r = NULL;
    for (int i = 0; i < 10; i++) r = ValkeyModule_Call(ctx, "INCR", "s", argv[1]);
    /* One freed explicitly (AutoMemory must forget it), the others left to the context. */
    ValkeyModuleCallReply *e = ValkeyModule_Call(ctx, "GET", "s", argv[1]);
    ValkeyModule_FreeCallReply(e);
    ValkeyModuleString *s = ValkeyModule_CreateStringFromCallReply(r); /* freed by AutoMemory too */
    return ValkeyModule_ReplyWithString(ctx, s);
}

static int nested_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    ValkeyModule_ReplyWithSimpleString(ctx, "before");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, 1);
    /* The nested module command writes its own replies while ours are half done. */
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "CALL.FWD", "ccs", "!", "INCR", argv[1]);
    ValkeyModuleCallReply *r2 = ValkeyModule_Call(ctx, "CALL.NESTED2", "s", argv[1]);
    ValkeyModule_ReplyWithCallReply(ctx, r);
    ValkeyModule_ReplyWithCallReply(ctx, r2);
    ValkeyModule_ReplyWithSimpleString(ctx, "after");
    ValkeyModule_ReplySetArrayLength(ctx, 4);
    ValkeyModule_FreeCallReply(r);
    ValkeyModule_FreeCallReply(r2);
    return VALKEYMODULE_OK;
}

/* Two levels down: a module command that itself calls a module command. */
static int nested2_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithMap(ctx, 1);
    ValkeyModule_ReplyWithSimpleString(ctx, "inner");
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "CALL.FWD", "ccs", "-", "GET", argv[1]);
    ValkeyModule_ReplyWithCallReply(ctx, r);
    ValkeyModule_FreeCallReply(r);
    return VALKEYMODULE_OK;
}

static int wrongtypes_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *s = ValkeyModule_Call(ctx, "ECHO", "c", "hello");
    ValkeyModuleCallReply *i = ValkeyModule_Call(ctx, "STRLEN", "c", "nokey");
    size_t len = 99;
    int ok = 1;
    ok &= ValkeyModule_CallReplyInteger(s) == LLONG_MIN;
    ok &= ValkeyModule_CallReplyDouble(s) == (double)LLONG_MIN;
    ok &= ValkeyModule_CallReplyBool(s) == INT_MIN;
    ok &= ValkeyModule_CallReplyBigNumber(s, &len) == NULL;
    ok &= ValkeyModule_CallReplyVerbatim(s, &len, NULL) == NULL;
    ok &= ValkeyModule_CallReplyArrayElement(s, 0) == NULL;
    ok &= ValkeyModule_CallReplySetElement(s, 0) == NULL;
    ok &= ValkeyModule_CallReplyMapElement(s, 0, NULL, NULL) == VALKEYMODULE_ERR;
    ok &= ValkeyModule_CallReplyAttributeElement(s, 0, NULL, NULL) == VALKEYMODULE_ERR;
    ok &= ValkeyModule_CallReplyAttribute(s) == NULL;
    ok &= ValkeyModule_CallReplyStringPtr(i, &len) == NULL;
    ok &= ValkeyModule_CallReplyLength(i) == 0;
    ok &= ValkeyModule_CallReplyLength(s) == 5;
    ok &= ValkeyModule_CallReplyStringPtr(s, NULL) != NULL; /* len may be NULL */
    ok &= ValkeyModule_CallReplyType(NULL) == VALKEYMODULE_REPLY_UNKNOWN;
    ok &= ValkeyModule_CallReplyInteger(i) == 0;
    ValkeyModuleString *str = ValkeyModule_CreateStringFromCallReply(i);
    ok &= str != NULL && !strcmp(ValkeyModule_StringPtrLen(str, NULL), "0");
    if (str) ValkeyModule_FreeString(ctx, str);
    ValkeyModuleCallReply *a = ValkeyModule_Call(ctx, "LRANGE", "ccc", "nokey", "0", "-1");
    ok &= ValkeyModule_CreateStringFromCallReply(a) == NULL;
    ok &= ValkeyModule_CallReplyType(a) == VALKEYMODULE_REPLY_ARRAY && ValkeyModule_CallReplyLength(a) == 0;
    /* Freeing a nested reply is a no-op; freeing the root frees everything. */
    ValkeyModule_FreeCallReply(s);
    ValkeyModule_FreeCallReply(i);
    ValkeyModule_FreeCallReply(a);
    return ValkeyModule_ReplyWithSimpleString(ctx, ok ? "OK" : "FAIL");
}

static int elements_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    int ok = 1;
    ValkeyModuleCallReply *arr = ValkeyModule_Call(ctx, "DEBUG", "3cc", "PROTOCOL", "array");
    ValkeyModuleCallReply *set = ValkeyModule_Call(ctx, "DEBUG", "3cc", "PROTOCOL", "set");
    ValkeyModuleCallReply *map = ValkeyModule_Call(ctx, "DEBUG", "3cc", "PROTOCOL", "map");
    ok &= ValkeyModule_CallReplyArrayElement(arr, 2) != NULL;
    ok &= ValkeyModule_CallReplyArrayElement(arr, 3) == NULL;
    ok &= ValkeyModule_CallReplySetElement(arr, 0) == NULL; /* an array is not a set */
    ok &= ValkeyModule_CallReplySetElement(set, 2) != NULL;
    ok &= ValkeyModule_CallReplySetElement(set, 3) == NULL;
    ok &= ValkeyModule_CallReplyArrayElement(set, 0) == NULL;
    ValkeyModuleCallReply *k = NULL, *v = NULL;
    ok &= ValkeyModule_CallReplyMapElement(map, 2, &k, &v) == VALKEYMODULE_OK;
    ok &= ValkeyModule_CallReplyInteger(k) == 2 && ValkeyModule_CallReplyBool(v) == 0;
    ok &= ValkeyModule_CallReplyMapElement(map, 1, NULL, &v) == VALKEYMODULE_OK && ValkeyModule_CallReplyBool(v) == 1;
    ok &= ValkeyModule_CallReplyMapElement(map, 3, &k, &v) == VALKEYMODULE_ERR;
    ok &= ValkeyModule_CallReplyAttributeElement(map, 0, &k, &v) == VALKEYMODULE_ERR;
    ok &= ValkeyModule_CallReplyLength(map) == 3;
    /* A nested reply's protocol is its own span. */
    size_t len;
    const char *p = ValkeyModule_CallReplyProto(ValkeyModule_CallReplyArrayElement(arr, 1), &len);
    ok &= len == 4 && !memcmp(p, ":1\r\n", 4);
    ValkeyModule_FreeCallReply(arr);
    ValkeyModule_FreeCallReply(set);
    ValkeyModule_FreeCallReply(map);
    return ValkeyModule_ReplyWithSimpleString(ctx, ok ? "OK" : "FAIL");
}

static int attrib_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleCallReply *reply = ValkeyModule_Call(ctx, "DEBUG", "3cc", "PROTOCOL", "attrib");
    int ok = ValkeyModule_CallReplyType(reply) == VALKEYMODULE_REPLY_STRING;
    int resp3 = (ValkeyModule_GetContextFlags(ctx) & VALKEYMODULE_CTX_FLAGS_RESP3) != 0;
    size_t len;
    const char *s = ValkeyModule_CallReplyStringPtr(reply, &len);
    ok &= len == strlen("Some real reply following the attribute") && !memcmp(s, "Some real reply following the attribute", len);
    ValkeyModuleCallReply *attr = ValkeyModule_CallReplyAttribute(reply);
    ok &= attr && ValkeyModule_CallReplyType(attr) == VALKEYMODULE_REPLY_ATTRIBUTE;
    ok &= ValkeyModule_CallReplyLength(attr) == 1;
    ValkeyModuleCallReply *k = NULL, *v = NULL;
    ok &= ValkeyModule_CallReplyAttributeElement(attr, 0, &k, &v) == VALKEYMODULE_OK;
    ok &= ValkeyModule_CallReplyAttributeElement(attr, 1, &k, &v) == VALKEYMODULE_ERR;
    s = ValkeyModule_CallReplyStringPtr(k, &len);
    ok &= len == 14 && !memcmp(s, "key-popularity", 14);
    ok &= ValkeyModule_CallReplyType(v) == VALKEYMODULE_REPLY_ARRAY && ValkeyModule_CallReplyLength(v) == 2;
    ok &= ValkeyModule_CallReplyInteger(ValkeyModule_CallReplyArrayElement(v, 1)) == 90;
    /* RESP2 client: both the attributed string and the attribute are refused. */
    int rc1 = ValkeyModule_ReplyWithCallReply(ctx, attr);
    int rc2 = ValkeyModule_ReplyWithCallReply(ctx, reply);
    if (resp3) {
        ok &= rc1 == VALKEYMODULE_OK && rc2 == VALKEYMODULE_OK;
    } else {
        ok &= rc1 == VALKEYMODULE_ERR && rc2 == VALKEYMODULE_ERR;
        ValkeyModule_ReplyWithSimpleString(ctx, "refused");
        ValkeyModule_ReplyWithSimpleString(ctx, "refused");
    }
    ValkeyModule_FreeCallReply(reply);
    return ValkeyModule_ReplyWithSimpleString(ctx, ok ? "OK" : "FAIL");
}

static int flags_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetContextFlags(ctx) & VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING);
}

static int ping_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithSimpleString(ctx, "PONG");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "call", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"call.fwd", fwd_cmd, "write"},
        {"call.describe", describe_cmd, "write"},
        {"call.proto", proto_cmd, "write"},
        {"call.str", str_cmd, "write"},
        {"call.errno", errno_cmd, "write"},
        {"call.formats", formats_cmd, "write"},
        {"call.badfmt", badfmt_cmd, "readonly"},
        {"call.auto", auto_cmd, "write"},
        {"call.nested", nested_cmd, "write"},
        {"call.nested2", nested2_cmd, "write"},
        {"call.wrongtypes", wrongtypes_cmd, "readonly"},
        {"call.elements", elements_cmd, "readonly"},
        {"call.attrib", attrib_cmd, "readonly"},
        {"call.flags", flags_cmd, "readonly"},
        {"call.ping", ping_cmd, "readonly deny-script"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
