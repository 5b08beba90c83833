/* replies: one command per Reply API (and the API's edge cases), so tests can assert the
 * exact replies in RESP2 and RESP3.
 *
 *   REPLY.LL <n>                 ReplyWithLongLong(strtoll(n))
 *   REPLY.DOUBLE <d>             ReplyWithDouble(strtod(d)) ("nan", "inf" allowed)
 *   REPLY.LONGDOUBLE <ld>        ReplyWithLongDouble(strtold(ld))
 *   REPLY.SIMPLE <s>             ReplyWithSimpleString(s)
 *   REPLY.ERR <msg>              ReplyWithError(msg)
 *   REPLY.ERRFMT <s> <n>         ReplyWithErrorFormat(ctx, "ERR bad %s: %d", s, n)
 *   REPLY.ARITY                  WrongArity (any argument count)
 *   REPLY.CONTAINER ARITY        a subcommand replying WrongArity ("reply.container|arity")
 *   REPLY.STRING <s>             ReplyWithString(argv[1])
 *   REPLY.BUFFER                 ReplyWithStringBuffer of 5 bytes "a\0b\r\n"
 *   REPLY.CSTRING <s>            ReplyWithCString(s)
 *   REPLY.CSTRINGNULL            ReplyWithCString(NULL)
 *   REPLY.EMPTYSTRING            ReplyWithEmptyString
 *   REPLY.NULL                   ReplyWithNull
 *   REPLY.NULLARRAY              ReplyWithNullArray
 *   REPLY.EMPTY                  ReplyWithEmptyArray
 *   REPLY.BOOL <0|1>             ReplyWithBool
 *   REPLY.BIGNUM <digits>        ReplyWithBigNumber
 *   REPLY.VERBATIM <text>        ReplyWithVerbatimString
 *   REPLY.VERBATIMTYPE <t> <ext> ReplyWithVerbatimStringType
 *   REPLY.ARRAY                  [1, "two", [3.5, null]]
 *   REPLY.MAP                    {"a": 1, "b": 2.5}
 *   REPLY.SET                    {"x", "y", "z"} as a set
 *   REPLY.POSTPONED <depth>      nested postponed arrays: [1, [2, [3 ...]]]
 *   REPLY.POSTPONEDMAP <n>       a postponed map of n pairs "k<i>" -> i
 *   REPLY.POSTPONEDSET <n>       a postponed set of the integers 0..n-1
 *   REPLY.ATTRIBUTE              ReplyWithAttribute(ctx, 1) + {"meta": 42} when it succeeds,
 *                                then the integer it returned (0 OK, 1 ERR)
 *   REPLY.ATTRPOSTPONED          [postponed attribute {"a": 1, "b": 2}, then "value"] in an
 *                                array of 1
 *   REPLY.MISUSE                 a postponed array of 2 elements whose length is never set
 *   REPLY.SETLENGTHALONE         ReplySetArrayLength without a postponed array, then +OK
 *   REPLY.ALL                    one of every type in one postponed array
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static const char *arg(ValkeyModuleString *s) { return ValkeyModule_StringPtrLen(s, NULL); }

static int ll_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, strtoll(arg(argv[1]), NULL, 10));
}

static int double_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithDouble(ctx, strtod(arg(argv[1]), NULL));
}

static int longdouble_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongDouble(ctx, strtold(arg(argv[1]), NULL));
}

static int simple_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithSimpleString(ctx, arg(argv[1]));
}

static int err_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithError(ctx, arg(argv[1]));
}

static int errfmt_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithErrorFormat(ctx, "ERR bad %s: %d", arg(argv[1]), atoi(arg(argv[2])));
}

static int arity_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_WrongArity(ctx);
}

static int string_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithString(ctx, argv[1]);
}

static int buffer_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithStringBuffer(ctx, "a\0b\r\n", 5);
}

static int cstring_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithCString(ctx, arg(argv[1]));
}

static int cstringnull_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithCString(ctx, NULL);
}

static int emptystring_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithEmptyString(ctx);
}

static int null_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithNull(ctx);
}

static int nullarray_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithNullArray(ctx);
}

static int empty_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithEmptyArray(ctx);
}

static int bool_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithBool(ctx, atoi(arg(argv[1])));
}

static int bignum_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    size_t len;
    const char *s = ValkeyModule_StringPtrLen(argv[1], &len);
    return ValkeyModule_ReplyWithBigNumber(ctx, s, len);
}

static int verbatim_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    size_t len;
    const char *s = ValkeyModule_StringPtrLen(argv[1], &len);
    return ValkeyModule_ReplyWithVerbatimString(ctx, s, len);
}

static int verbatimtype_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    size_t len;
    const char *s = ValkeyModule_StringPtrLen(argv[1], &len);
    return ValkeyModule_ReplyWithVerbatimStringType(ctx, s, len, arg(argv[2]));
}

static int array_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, 1);
    ValkeyModule_ReplyWithCString(ctx, "two");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithDouble(ctx, 3.5);
    ValkeyModule_ReplyWithNull(ctx);
    return VALKEYMODULE_OK;
}

static int map_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithMap(ctx, 2);
    ValkeyModule_ReplyWithCString(ctx, "a");
    ValkeyModule_ReplyWithLongLong(ctx, 1);
    ValkeyModule_ReplyWithCString(ctx, "b");
    ValkeyModule_ReplyWithDouble(ctx, 2.5);
    return VALKEYMODULE_OK;
}

static int set_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithSet(ctx, 3);
    ValkeyModule_ReplyWithCString(ctx, "x");
    ValkeyModule_ReplyWithCString(ctx, "y");
    ValkeyModule_ReplyWithCString(ctx, "z");
    return VALKEYMODULE_OK;
}

static void postponed_level(ValkeyModuleCtx *ctx, long level, long depth) {
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    ValkeyModule_ReplyWithLongLong(ctx, level);
    long n = 1;
    if (level < depth) {
        postponed_level(ctx, level + 1, depth);
        n++;
    }
    ValkeyModule_ReplySetArrayLength(ctx, n);
}

static int postponed_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    postponed_level(ctx, 1, strtol(arg(argv[1]), NULL, 10));
    return VALKEYMODULE_OK;
}

static int postponedmap_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long n = strtol(arg(argv[1]), NULL, 10);
    ValkeyModule_ReplyWithMap(ctx, VALKEYMODULE_POSTPONED_LEN);
    for (long i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof(key), "k%ld", i);
        ValkeyModule_ReplyWithCString(ctx, key);
        ValkeyModule_ReplyWithLongLong(ctx, i);
    }
    ValkeyModule_ReplySetMapLength(ctx, n);
    return VALKEYMODULE_OK;
}

static int postponedset_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long n = strtol(arg(argv[1]), NULL, 10);
    ValkeyModule_ReplyWithSet(ctx, VALKEYMODULE_POSTPONED_LEN);
    for (long i = 0; i < n; i++) ValkeyModule_ReplyWithLongLong(ctx, i);
    ValkeyModule_ReplySetSetLength(ctx, n);
    return VALKEYMODULE_OK;
}

static int attribute_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    int ret = ValkeyModule_ReplyWithAttribute(ctx, 1);
    if (ret == VALKEYMODULE_OK) {
        ValkeyModule_ReplyWithCString(ctx, "meta");
        ValkeyModule_ReplyWithLongLong(ctx, 42);
    }
    return ValkeyModule_ReplyWithLongLong(ctx, ret);
}

static int attrpostponed_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 1);
    if (ValkeyModule_ReplyWithAttribute(ctx, VALKEYMODULE_POSTPONED_LEN) == VALKEYMODULE_OK) {
        ValkeyModule_ReplyWithCString(ctx, "a");
        ValkeyModule_ReplyWithLongLong(ctx, 1);
        ValkeyModule_ReplyWithCString(ctx, "b");
        ValkeyModule_ReplyWithLongLong(ctx, 2);
        ValkeyModule_ReplySetAttributeLength(ctx, 2);
    } else {
        /* RESP2: must be a no-op (no warning, no effect on other postponed lengths) */
        ValkeyModule_ReplySetAttributeLength(ctx, 2);
    }
    ValkeyModule_ReplyWithCString(ctx, "value");
    return VALKEYMODULE_OK;
}

static int misuse_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    ValkeyModule_ReplyWithLongLong(ctx, 1);
    ValkeyModule_ReplyWithLongLong(ctx, 2);
    return VALKEYMODULE_OK; /* length never set */
}

static int setlengthalone_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplySetArrayLength(ctx, 3);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int all_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    long n = 0;
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    ValkeyModule_ReplyWithSimpleString(ctx, "OK"), n++;
    ValkeyModule_ReplyWithError(ctx, "ERR inner"), n++;
    ValkeyModule_ReplyWithLongLong(ctx, -9223372036854775807LL - 1), n++;
    ValkeyModule_ReplyWithStringBuffer(ctx, "bulk", 4), n++;
    ValkeyModule_ReplyWithNull(ctx), n++;
    ValkeyModule_ReplyWithNullArray(ctx), n++;
    ValkeyModule_ReplyWithEmptyArray(ctx), n++;
    ValkeyModule_ReplyWithBool(ctx, 1), n++;
    ValkeyModule_ReplyWithDouble(ctx, -0.5), n++;
    ValkeyModule_ReplyWithBigNumber(ctx, "-99999999999999999999", 21), n++;
    ValkeyModule_ReplyWithVerbatimStringType(ctx, "# t", 3, "mkd"), n++;
    ValkeyModule_ReplyWithLongDouble(ctx, 0.1L), n++;
    ValkeyModule_ReplyWithMap(ctx, 1), n++;
    ValkeyModule_ReplyWithCString(ctx, "k");
    ValkeyModule_ReplyWithSet(ctx, VALKEYMODULE_POSTPONED_LEN);
    ValkeyModule_ReplyWithLongLong(ctx, 7);
    ValkeyModule_ReplySetSetLength(ctx, 1);
    ValkeyModule_ReplySetArrayLength(ctx, n);
    return VALKEYMODULE_OK;
}

#define CMD(name, fn)                                                                                \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "fast", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "replies", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    CMD("reply.ll", ll_cmd);
    CMD("reply.double", double_cmd);
    CMD("reply.longdouble", longdouble_cmd);
    CMD("reply.simple", simple_cmd);
    CMD("reply.err", err_cmd);
    CMD("reply.errfmt", errfmt_cmd);
    CMD("reply.arity", arity_cmd);
    CMD("reply.string", string_cmd);
    CMD("reply.buffer", buffer_cmd);
    CMD("reply.cstring", cstring_cmd);
    CMD("reply.cstringnull", cstringnull_cmd);
    CMD("reply.emptystring", emptystring_cmd);
    CMD("reply.null", null_cmd);
    CMD("reply.nullarray", nullarray_cmd);
    CMD("reply.empty", empty_cmd);
    CMD("reply.bool", bool_cmd);
    CMD("reply.bignum", bignum_cmd);
    CMD("reply.verbatim", verbatim_cmd);
    CMD("reply.verbatimtype", verbatimtype_cmd);
    CMD("reply.array", array_cmd);
    CMD("reply.map", map_cmd);
    CMD("reply.set", set_cmd);
    CMD("reply.postponed", postponed_cmd);
    CMD("reply.postponedmap", postponedmap_cmd);
    CMD("reply.postponedset", postponedset_cmd);
    CMD("reply.attribute", attribute_cmd);
    CMD("reply.attrpostponed", attrpostponed_cmd);
    CMD("reply.misuse", misuse_cmd);
    CMD("reply.setlengthalone", setlengthalone_cmd);
    CMD("reply.all", all_cmd);

    /* A container command whose subcommand replies WrongArity: the error cites the full
     * name "reply.container|arity". */
    if (ValkeyModule_CreateCommand(ctx, "reply.container", NULL, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    ValkeyModuleCommand *parent = ValkeyModule_GetCommand(ctx, "reply.container");
    if (!parent) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateSubcommand(parent, "arity", arity_cmd, "fast", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
