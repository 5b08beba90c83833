/* dict: exercises the dictionary API on one module-global dict (created with a NULL ctx,
 * so it lives across commands). Values are Alloc'ed copies of the value argument.
 *
 *   DICT.SET <k> <v> / DICT.SETC <k> <v>          -> return code (0 OK, 1 ERR)
 *   DICT.REPLACE <k> <v> / DICT.REPLACEC <k> <v>  -> return code
 *   DICT.GET <k> / DICT.GETC <k>                   -> [nokey, value or null]
 *   DICT.DEL <k> / DICT.DELC <k>                   -> [return code, old value or null]
 *   DICT.SIZE                                      -> DictSize
 *   DICT.CLEAR                                     -> frees the dict and starts a new one
 *   DICT.WALK <op> <key> <step>...   DictIteratorStartC, then per step:
 *       n -> DictNextC key (null at the end)     p -> DictPrevC key
 *       r:<op>:<key> -> DictIteratorReseekC code  c:<op>:<key> -> DictCompareC code
 *       d:<key> -> DictDelC code                  s:<key> -> DictSetC code (value "new")
 *       v -> the value of the element returned last (NextC/PrevC dataptr)
 *   DICT.WALKS <op> <key> <step>...  the same with the ValkeyModuleString variants
 *       (DictIteratorStart, DictNext, DictPrev, DictIteratorReseek, DictCompare), keys
 *       from DictNext/DictPrev left to AutoMemory
 *   DICT.RANGE <start> <end>   keys in [start, end]: seek ">=" start, NextC while
 *                              DictCompareC("<=", end) holds
 *   DICT.HEX                   every key in order, as lowercase hex (binary keys)
 *   DICT.AUTO <n>              AutoMemory: a ctx dict with n keys, iterated with DictNext,
 *                              nothing freed explicitly -> [size, keys seen]
 *   DICT.FREECTX               a ctx dict freed explicitly with FreeDict(ctx) under AutoMemory -> OK
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static ValkeyModuleDict *g_dict = NULL;

static char *dupval(ValkeyModuleString *s) {
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(s, &len);
    char *v = ValkeyModule_Alloc(len + 1);
    memcpy(v, p, len + 1);
    return v;
}

static void reply_value(ValkeyModuleCtx *ctx, void *v) {
    if (v)
        ValkeyModule_ReplyWithCString(ctx, v);
    else
        ValkeyModule_ReplyWithNull(ctx);
}

static int set_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int replace, int cvariant) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    size_t klen;
    const char *k = ValkeyModule_StringPtrLen(argv[1], &klen);
    char *v = dupval(argv[2]);
    int nokey;
    void *old = ValkeyModule_DictGetC(g_dict, (void *)k, klen, &nokey);
    int rc;
    if (replace)
        rc = cvariant ? ValkeyModule_DictReplaceC(g_dict, (void *)k, klen, v) : ValkeyModule_DictReplace(g_dict, argv[1], v);
    else
        rc = cvariant ? ValkeyModule_DictSetC(g_dict, (void *)k, klen, v) : ValkeyModule_DictSet(g_dict, argv[1], v);
    if (rc == VALKEYMODULE_OK) {
        if (!nokey) ValkeyModule_Free(old); /* replaced */
    } else {
        ValkeyModule_Free(v); /* not stored */
    }
    return ValkeyModule_ReplyWithLongLong(ctx, rc);
}

static int set_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return set_generic(c, v, n, 0, 0); }
static int setc_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return set_generic(c, v, n, 0, 1); }
static int replace_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return set_generic(c, v, n, 1, 0); }
static int replacec_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return set_generic(c, v, n, 1, 1); }

static int get_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int cvariant) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    size_t klen;
    const char *k = ValkeyModule_StringPtrLen(argv[1], &klen);
    int nokey = -1;
    void *v = cvariant ? ValkeyModule_DictGetC(g_dict, (void *)k, klen, &nokey) : ValkeyModule_DictGet(g_dict, argv[1], &nokey);
    /* a NULL nokey pointer is allowed */
    void *v2 = cvariant ? ValkeyModule_DictGetC(g_dict, (void *)k, klen, NULL) : ValkeyModule_DictGet(g_dict, argv[1], NULL);
    if (v != v2) return ValkeyModule_ReplyWithError(ctx, "ERR inconsistent get");
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, nokey);
    reply_value(ctx, v);
    return VALKEYMODULE_OK;
}

static int get_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return get_generic(c, v, n, 0); }
static int getc_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return get_generic(c, v, n, 1); }

static int del_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int cvariant) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    size_t klen;
    const char *k = ValkeyModule_StringPtrLen(argv[1], &klen);
    void *old = NULL;
    int rc = cvariant ? ValkeyModule_DictDelC(g_dict, (void *)k, klen, &old) : ValkeyModule_DictDel(g_dict, argv[1], &old);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, rc);
    reply_value(ctx, old);
    ValkeyModule_Free(old);
    return VALKEYMODULE_OK;
}

static int del_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return del_generic(c, v, n, 0); }
static int delc_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return del_generic(c, v, n, 1); }

static int size_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_DictSize(g_dict));
}

static void free_all(ValkeyModuleDict *d) {
    ValkeyModuleDictIter *it = ValkeyModule_DictIteratorStartC(d, "^", NULL, 0);
    void *v;
    while (ValkeyModule_DictNextC(it, NULL, &v)) ValkeyModule_Free(v);
    ValkeyModule_DictIteratorStop(it);
}

static int clear_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    free_all(g_dict);
    ValkeyModule_FreeDict(NULL, g_dict);
    g_dict = ValkeyModule_CreateDict(NULL);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

/* Splits "x:<op>:<key>" into op (NUL-terminated copy in opbuf) and key. */
static int split_op(const char *step, size_t steplen, char *opbuf, const char **key, size_t *keylen) {
    const char *p = step + 2;
    const char *colon = memchr(p, ':', steplen - 2);
    if (!colon || colon - p >= 8) return 0;
    memcpy(opbuf, p, (size_t)(colon - p));
    opbuf[colon - p] = '\0';
    *key = colon + 1;
    *keylen = steplen - (size_t)(colon + 1 - step);
    return 1;
}

static int walk_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int strvariant) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    if (strvariant) ValkeyModule_AutoMemory(ctx);
    const char *op = ValkeyModule_StringPtrLen(argv[1], NULL);
    size_t klen;
    const char *k = ValkeyModule_StringPtrLen(argv[2], &klen);
    ValkeyModuleDictIter *it = strvariant ? ValkeyModule_DictIteratorStart(g_dict, op, argv[2])
                                          : ValkeyModule_DictIteratorStartC(g_dict, op, (void *)k, klen);
    void *lastval = NULL;
    ValkeyModule_ReplyWithArray(ctx, argc - 3);
    for (int i = 3; i < argc; i++) {
        size_t slen;
        const char *s = ValkeyModule_StringPtrLen(argv[i], &slen);
        char opbuf[8];
        const char *key;
        size_t keylen;
        if (s[0] == 'n' || s[0] == 'p') {
            int next = s[0] == 'n';
            if (strvariant) {
                ValkeyModuleString *ks = next ? ValkeyModule_DictNext(ctx, it, &lastval) : ValkeyModule_DictPrev(ctx, it, &lastval);
                if (ks)
                    ValkeyModule_ReplyWithString(ctx, ks);
                else
                    ValkeyModule_ReplyWithNull(ctx);
            } else {
                size_t len = 0;
                char *kp = next ? ValkeyModule_DictNextC(it, &len, &lastval) : ValkeyModule_DictPrevC(it, &len, &lastval);
                if (kp)
                    ValkeyModule_ReplyWithStringBuffer(ctx, kp, len);
                else
                    ValkeyModule_ReplyWithNull(ctx);
            }
        } else if ((s[0] == 'r' || s[0] == 'c') && split_op(s, slen, opbuf, &key, &keylen)) {
            int rc;
            if (strvariant) {
                ValkeyModuleString *ks = ValkeyModule_CreateString(ctx, key, keylen);
                rc = s[0] == 'r' ? ValkeyModule_DictIteratorReseek(it, opbuf, ks) : ValkeyModule_DictCompare(it, opbuf, ks);
            } else {
                rc = s[0] == 'r' ? ValkeyModule_DictIteratorReseekC(it, opbuf, (void *)key, keylen)
                                 : ValkeyModule_DictCompareC(it, opbuf, (void *)key, keylen);
            }
            ValkeyModule_ReplyWithLongLong(ctx, rc);
        } else if (s[0] == 'd' && slen >= 2) {
            void *old = NULL;
            int rc = ValkeyModule_DictDelC(g_dict, (void *)(s + 2), slen - 2, &old);
            if (rc == VALKEYMODULE_OK) ValkeyModule_Free(old);
            ValkeyModule_ReplyWithLongLong(ctx, rc);
        } else if (s[0] == 's' && slen >= 2) {
            char *v = ValkeyModule_Strdup("new");
            int rc = ValkeyModule_DictSetC(g_dict, (void *)(s + 2), slen - 2, v);
            if (rc != VALKEYMODULE_OK) ValkeyModule_Free(v);
            ValkeyModule_ReplyWithLongLong(ctx, rc);
        } else if (s[0] == 'v') {
            reply_value(ctx, lastval);
        } else {
            ValkeyModule_ReplyWithError(ctx, "ERR bad step");
        }
    }
    ValkeyModule_DictIteratorStop(it);
    return VALKEYMODULE_OK;
}

static int walk_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return walk_generic(c, v, n, 0); }
static int walks_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return walk_generic(c, v, n, 1); }

static int range_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    size_t slen, elen;
    const char *start = ValkeyModule_StringPtrLen(argv[1], &slen);
    const char *end = ValkeyModule_StringPtrLen(argv[2], &elen);
    ValkeyModuleDictIter *it = ValkeyModule_DictIteratorStartC(g_dict, ">=", (void *)start, slen);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    long n = 0;
    char *k;
    size_t klen;
    while ((k = ValkeyModule_DictNextC(it, &klen, NULL)) != NULL) {
        if (ValkeyModule_DictCompareC(it, "<=", (void *)end, elen) != VALKEYMODULE_OK) break;
        ValkeyModule_ReplyWithStringBuffer(ctx, k, klen);
        n++;
    }
    ValkeyModule_DictIteratorStop(it);
    ValkeyModule_ReplySetArrayLength(ctx, n);
    return VALKEYMODULE_OK;
}

static int hex_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleDictIter *it = ValkeyModule_DictIteratorStartC(g_dict, "^", NULL, 0);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    long n = 0;
    unsigned char *k;
    size_t klen;
    while ((k = ValkeyModule_DictNextC(it, &klen, NULL)) != NULL) {
        char buf[256];
        size_t o = 0;
        for (size_t i = 0; i < klen && o + 3 < sizeof(buf); i++) o += (size_t)snprintf(buf + o, 3, "%02x", k[i]);
        ValkeyModule_ReplyWithStringBuffer(ctx, buf, o);
        n++;
    }
    ValkeyModule_DictIteratorStop(it);
    ValkeyModule_ReplySetArrayLength(ctx, n);
    return VALKEYMODULE_OK;
}

static int auto_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 0)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid");
    ValkeyModule_AutoMemory(ctx);
    ValkeyModuleDict *d = ValkeyModule_CreateDict(ctx);
    for (long long i = 0; i < n; i++) {
        ValkeyModuleString *k = ValkeyModule_CreateStringPrintf(ctx, "k%05lld", i);
        ValkeyModule_DictSet(d, k, NULL);
    }
    ValkeyModuleDictIter *it = ValkeyModule_DictIteratorStart(d, "^", NULL);
    long long seen = 0;
    ValkeyModuleString *prev = NULL;
    ValkeyModuleString *k;
    while ((k = ValkeyModule_DictNext(ctx, it, NULL)) != NULL) {
        if (prev && ValkeyModule_StringCompare(prev, k) >= 0) seen = -1000000;
        prev = k;
        seen++;
    }
    ValkeyModule_DictIteratorStop(it);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_DictSize(d));
    ValkeyModule_ReplyWithLongLong(ctx, seen);
    return VALKEYMODULE_OK;
}

static int freectx_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_AutoMemory(ctx);
    ValkeyModuleDict *d = ValkeyModule_CreateDict(ctx);
    ValkeyModule_DictSetC(d, "a", 1, NULL);
    ValkeyModule_FreeDict(ctx, d); /* AutoMemory must not free it again */
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

#define CMD(name, fn)                                                                                \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "fast", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "dict", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    g_dict = ValkeyModule_CreateDict(NULL);
    CMD("dict.set", set_cmd);
    CMD("dict.setc", setc_cmd);
    CMD("dict.replace", replace_cmd);
    CMD("dict.replacec", replacec_cmd);
    CMD("dict.get", get_cmd);
    CMD("dict.getc", getc_cmd);
    CMD("dict.del", del_cmd);
    CMD("dict.delc", delc_cmd);
    CMD("dict.size", size_cmd);
    CMD("dict.clear", clear_cmd);
    CMD("dict.walk", walk_cmd);
    CMD("dict.walks", walks_cmd);
    CMD("dict.range", range_cmd);
    CMD("dict.hex", hex_cmd);
    CMD("dict.auto", auto_cmd);
    CMD("dict.freectx", freectx_cmd);
    return VALKEYMODULE_OK;
}
