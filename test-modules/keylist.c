/* keylist: the list key API (ListPush, ListPop, ListGet, ListSet, ListInsert, ListDelete).
 *
 * <mode> opens the key: "r" READ, "w" WRITE, "rw" READ|WRITE, or "null" to pass a NULL key
 * handle. An element argument "__NULL__" passes a NULL string. Failures reply errno by name
 * (errno is cleared before each call, so "" means the call left it alone).
 *
 *   KL.PUSH <key> <mode> HEAD|TAIL <ele>...   pushes each element, stopping at the first
 *                                             failure: ["OK" | "ERR", errno]
 *   KL.POP <key> <mode> HEAD|TAIL             [element | nil, errno]
 *   KL.GET <key> <mode> <index>               [element | nil, errno]
 *   KL.SET <key> <mode> <index> <ele>         ["OK" | "ERR", errno]
 *   KL.INSERT <key> <mode> <index> <ele>      ["OK" | "ERR", errno]
 *   KL.DELETE <key> <mode> <index>            ["OK" | "ERR", errno]
 *   KL.ITER <key>                             every element by ListGet 0..n-1, then -1..-n
 *   KL.SCRIPT <key> <step>...                 steps on one READ|WRITE handle, one reply each:
 *                                             ins <i> <v> | set <i> <v> | del <i> (OK or errno),
 *                                             get <i> | push H|T <v> | pop H|T (element or errno),
 *                                             len (ValueLength), type (KeyType)
 *   KL.DRAIN <key> HEAD|TAIL                  pops until ENOTSUP; [popped..., KeyType after]
 *   KL.AUTO <key> on|off                      AutoMemory on or off; ListGet(0) and ListPop
 *                                             (HEAD) results are retained and appended to:
 *                                             appending works only when RetainString took a
 *                                             tracked string out of AutoMemory.
 *                                             [get, get appended?, pop, pop appended?]
 *   KL.DMA <key>                              StringDMA (write) a string key, uppercase it,
 *                                             then ListPush on the same handle:
 *                                             ["OK" | "ERR", errno]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "valkeymodule.h"

static const char *errno_name(int e) {
    switch (e) {
        case 0: return "";
        case EINVAL: return "EINVAL";
        case ENOTSUP: return "ENOTSUP";
        case EBADF: return "EBADF";
        case EDOM: return "EDOM";
        case ENOENT: return "ENOENT";
        default: return "E?";
    }
}

/* Opens argv[1] with the mode named by argv[2]; *isnull is set for "null". */
static ValkeyModuleKey *open_mode(ValkeyModuleCtx *ctx, ValkeyModuleString **argv) {
    const char *m = ValkeyModule_StringPtrLen(argv[2], NULL);
    int mode = 0;
    if (!strcasecmp(m, "null")) return NULL;
    if (strchr(m, 'r')) mode |= VALKEYMODULE_READ;
    if (strchr(m, 'w')) mode |= VALKEYMODULE_WRITE;
    return ValkeyModule_OpenKey(ctx, argv[1], mode);
}

static ValkeyModuleString *arg_or_null(ValkeyModuleString *s) {
    return strcmp(ValkeyModule_StringPtrLen(s, NULL), "__NULL__") ? s : NULL;
}

static int where_of(ValkeyModuleString *s) {
    const char *w = ValkeyModule_StringPtrLen(s, NULL);
    return (w[0] == 'h' || w[0] == 'H') ? VALKEYMODULE_LIST_HEAD : VALKEYMODULE_LIST_TAIL;
}

static int parse_index(ValkeyModuleString *s, long *index) {
    long long v;
    if (ValkeyModule_StringToLongLong(s, &v) != VALKEYMODULE_OK) return 0;
    *index = (long)v;
    return 1;
}

static int reply_status(ValkeyModuleCtx *ctx, int rc, int err) {
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithSimpleString(ctx, errno_name(err));
    return VALKEYMODULE_OK;
}

static int reply_element(ValkeyModuleCtx *ctx, ValkeyModuleString *s, int err) {
    ValkeyModule_ReplyWithArray(ctx, 2);
    if (s) {
        ValkeyModule_ReplyWithString(ctx, s);
        ValkeyModule_FreeString(ctx, s);
    } else {
        ValkeyModule_ReplyWithNull(ctx);
    }
    ValkeyModule_ReplyWithSimpleString(ctx, errno_name(err));
    return VALKEYMODULE_OK;
}

static int push_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 5) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = open_mode(ctx, argv);
    int where = where_of(argv[3]);
    int rc = VALKEYMODULE_OK, err = 0;
    for (int i = 4; i < argc && rc == VALKEYMODULE_OK; i++) {
        errno = 0;
        rc = ValkeyModule_ListPush(k, where, arg_or_null(argv[i]));
        err = errno;
    }
    ValkeyModule_CloseKey(k);
    return reply_status(ctx, rc, err);
}

static int pop_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = open_mode(ctx, argv);
    errno = 0;
    ValkeyModuleString *s = ValkeyModule_ListPop(k, where_of(argv[3]));
    int err = errno;
    ValkeyModule_CloseKey(k);
    return reply_element(ctx, s, err);
}

static int get_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long index;
    if (!parse_index(argv[3], &index)) return ValkeyModule_ReplyWithError(ctx, "ERR bad index");
    ValkeyModuleKey *k = open_mode(ctx, argv);
    errno = 0;
    ValkeyModuleString *s = ValkeyModule_ListGet(k, index);
    int err = errno;
    ValkeyModule_CloseKey(k);
    return reply_element(ctx, s, err);
}

static int set_or_insert(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int insert) {
    if (argc != 5) return ValkeyModule_WrongArity(ctx);
    long index;
    if (!parse_index(argv[3], &index)) return ValkeyModule_ReplyWithError(ctx, "ERR bad index");
    ValkeyModuleKey *k = open_mode(ctx, argv);
    errno = 0;
    int rc = insert ? ValkeyModule_ListInsert(k, index, arg_or_null(argv[4]))
                    : ValkeyModule_ListSet(k, index, arg_or_null(argv[4]));
    int err = errno;
    ValkeyModule_CloseKey(k);
    return reply_status(ctx, rc, err);
}

static int set_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    return set_or_insert(ctx, argv, argc, 0);
}

static int insert_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    return set_or_insert(ctx, argv, argc, 1);
}

static int delete_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long index;
    if (!parse_index(argv[3], &index)) return ValkeyModule_ReplyWithError(ctx, "ERR bad index");
    ValkeyModuleKey *k = open_mode(ctx, argv);
    errno = 0;
    int rc = ValkeyModule_ListDelete(k, index);
    int err = errno;
    ValkeyModule_CloseKey(k);
    return reply_status(ctx, rc, err);
}

static int iter_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    long n = (long)ValkeyModule_ValueLength(k);
    ValkeyModule_ReplyWithArray(ctx, 2 * n);
    for (long i = 0; i < n; i++) {
        ValkeyModuleString *s = ValkeyModule_ListGet(k, i);
        ValkeyModule_ReplyWithString(ctx, s);
        ValkeyModule_FreeString(ctx, s);
    }
    for (long i = -1; i >= -n; i--) {
        ValkeyModuleString *s = ValkeyModule_ListGet(k, i);
        ValkeyModule_ReplyWithString(ctx, s);
        ValkeyModule_FreeString(ctx, s);
    }
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

/* Runs a script of operations on one READ|WRITE handle; each step adds its result. */
static int script_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    long n = 0;
    int i = 2;
    while (i < argc) {
        const char *op = ValkeyModule_StringPtrLen(argv[i], NULL);
        long index = 0;
        int rc;
        ValkeyModuleString *s;
        if (!strcasecmp(op, "ins") && i + 2 < argc && parse_index(argv[i + 1], &index)) {
            rc = ValkeyModule_ListInsert(k, index, argv[i + 2]);
            ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : errno_name(errno));
            i += 3;
        } else if (!strcasecmp(op, "set") && i + 2 < argc && parse_index(argv[i + 1], &index)) {
            rc = ValkeyModule_ListSet(k, index, argv[i + 2]);
            ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : errno_name(errno));
            i += 3;
        } else if (!strcasecmp(op, "del") && i + 1 < argc && parse_index(argv[i + 1], &index)) {
            rc = ValkeyModule_ListDelete(k, index);
            ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : errno_name(errno));
            i += 2;
        } else if (!strcasecmp(op, "get") && i + 1 < argc && parse_index(argv[i + 1], &index)) {
            s = ValkeyModule_ListGet(k, index);
            if (s) ValkeyModule_ReplyWithString(ctx, s);
            else ValkeyModule_ReplyWithSimpleString(ctx, errno_name(errno));
            ValkeyModule_FreeString(ctx, s);
            i += 2;
        } else if (!strcasecmp(op, "push") && i + 2 < argc) {
            rc = ValkeyModule_ListPush(k, where_of(argv[i + 1]), argv[i + 2]);
            ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : errno_name(errno));
            i += 3;
        } else if (!strcasecmp(op, "pop") && i + 1 < argc) {
            s = ValkeyModule_ListPop(k, where_of(argv[i + 1]));
            if (s) ValkeyModule_ReplyWithString(ctx, s);
            else ValkeyModule_ReplyWithSimpleString(ctx, errno_name(errno));
            ValkeyModule_FreeString(ctx, s);
            i += 2;
        } else if (!strcasecmp(op, "len")) {
            ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_ValueLength(k));
            i += 1;
        } else if (!strcasecmp(op, "type")) {
            ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_KeyType(k));
            i += 1;
        } else {
            ValkeyModule_ReplyWithError(ctx, "ERR bad script");
            n++;
            break;
        }
        n++;
    }
    ValkeyModule_ReplySetArrayLength(ctx, n);
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

static int drain_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    int where = where_of(argv[2]);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    long n = 0;
    for (;;) {
        errno = 0;
        ValkeyModuleString *s = ValkeyModule_ListPop(k, where);
        if (!s) {
            if (errno != ENOTSUP) return ValkeyModule_ReplyWithError(ctx, "ERR unexpected errno");
            break;
        }
        ValkeyModule_ReplyWithString(ctx, s);
        ValkeyModule_FreeString(ctx, s);
        n++;
    }
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_KeyType(k));
    ValkeyModule_ReplySetArrayLength(ctx, n + 1);
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

/* Whether `s` can be appended to after RetainString: only when it was AutoMemory-tracked
 * (RetainString then just untracks it and its refcount stays 1). */
static int retained_appendable(ValkeyModuleCtx *ctx, ValkeyModuleString *s) {
    ValkeyModule_RetainString(ctx, s);
    return ValkeyModule_StringAppendBuffer(ctx, s, "+", 1) == VALKEYMODULE_OK;
}

static int auto_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    int on = !strcasecmp(ValkeyModule_StringPtrLen(argv[2], NULL), "on");
    if (on) ValkeyModule_AutoMemory(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    ValkeyModuleString *g = ValkeyModule_ListGet(k, 0);
    ValkeyModuleString *p = ValkeyModule_ListPop(k, VALKEYMODULE_LIST_HEAD);
    if (!g || !p) return ValkeyModule_ReplyWithError(ctx, "ERR empty");
    int ga = retained_appendable(ctx, g);
    int pa = retained_appendable(ctx, p);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithString(ctx, g);
    ValkeyModule_ReplyWithLongLong(ctx, ga);
    ValkeyModule_ReplyWithString(ctx, p);
    ValkeyModule_ReplyWithLongLong(ctx, pa);
    /* retained: one reference when it was tracked, two otherwise */
    ValkeyModule_FreeString(NULL, g);
    ValkeyModule_FreeString(NULL, p);
    if (!on) {
        ValkeyModule_FreeString(NULL, g);
        ValkeyModule_FreeString(NULL, p);
    }
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

static int dma_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    size_t len = 0;
    char *p = ValkeyModule_StringDMA(k, &len, VALKEYMODULE_WRITE);
    if (!p) return ValkeyModule_ReplyWithError(ctx, "ERR not a string");
    for (size_t i = 0; i < len; i++)
        if (p[i] >= 'a' && p[i] <= 'z') p[i] = (char)(p[i] - 'a' + 'A');
    ValkeyModuleString *e = ValkeyModule_CreateString(ctx, "e", 1);
    errno = 0;
    int rc = ValkeyModule_ListPush(k, VALKEYMODULE_LIST_TAIL, e);
    int err = errno;
    ValkeyModule_FreeString(ctx, e);
    ValkeyModule_CloseKey(k);
    return reply_status(ctx, rc, err);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "keylist", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"kl.push", push_cmd, "write"},     {"kl.pop", pop_cmd, "write"},
        {"kl.get", get_cmd, "readonly"},    {"kl.set", set_cmd, "write"},
        {"kl.insert", insert_cmd, "write"}, {"kl.delete", delete_cmd, "write"},
        {"kl.iter", iter_cmd, "readonly"},  {"kl.script", script_cmd, "write"},
        {"kl.drain", drain_cmd, "write"},   {"kl.auto", auto_cmd, "write"},
        {"kl.dma", dma_cmd, "write"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 1, 1, 1) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
