/* keyhash: the hash key API (HashSet and HashGet, variadic).
 *
 * <mode> opens the key: "r" READ, "w" WRITE, "rw" READ|WRITE, or "null" for a NULL handle.
 * <flags> is a comma-separated list of NONE, NX, XX, CFIELDS, EXISTS, COUNT_ALL, or BAD (an
 * unknown flag bit). Values "__DEL__" pass VALKEYMODULE_HASH_DELETE and "__NULL__" a NULL
 * value. With CFIELDS the fields are passed as C strings. Up to 4 pairs per call (one
 * variadic call each). errno is cleared before each call and replied by name.
 *
 *   KH.SET <key> <mode> <flags> [<field> <value>]...  [count, errno]
 *   KH.GET <key> <mode> <flags> <field>...            [rc, per field: value | nil | 0/1 |
 *                                                      "untouched" (output not written)]
 *   KH.AUTO <key> on|off <field>                       AutoMemory on or off: HashGet's
 *                                                      result is retained and appended to
 *                                                      (works only if it was tracked):
 *                                                      [value, appended?]
 *   KH.MANY <key> <n>                                  HashSet of fields f0..f<n-1> (value
 *                                                      v<i>) in calls of 4 pairs on one
 *                                                      handle; replies the summed count
 */
#include <errno.h>
#include <stdio.h>
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

static ValkeyModuleKey *open_mode(ValkeyModuleCtx *ctx, ValkeyModuleString *key, ValkeyModuleString *modearg) {
    const char *m = ValkeyModule_StringPtrLen(modearg, NULL);
    int mode = 0;
    if (!strcasecmp(m, "null")) return NULL;
    if (strchr(m, 'r')) mode |= VALKEYMODULE_READ;
    if (strchr(m, 'w')) mode |= VALKEYMODULE_WRITE;
    return ValkeyModule_OpenKey(ctx, key, mode);
}

static int parse_flags(ValkeyModuleString *s) {
    char buf[128];
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(s, &len);
    if (len >= sizeof(buf)) len = sizeof(buf) - 1;
    memcpy(buf, p, len);
    buf[len] = 0;
    int flags = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcasecmp(tok, "NX")) flags |= VALKEYMODULE_HASH_NX;
        else if (!strcasecmp(tok, "XX")) flags |= VALKEYMODULE_HASH_XX;
        else if (!strcasecmp(tok, "CFIELDS")) flags |= VALKEYMODULE_HASH_CFIELDS;
        else if (!strcasecmp(tok, "EXISTS")) flags |= VALKEYMODULE_HASH_EXISTS;
        else if (!strcasecmp(tok, "COUNT_ALL")) flags |= VALKEYMODULE_HASH_COUNT_ALL;
        else if (!strcasecmp(tok, "BAD")) flags |= 1 << 10;
    }
    return flags;
}

/* A field argument as passed to the API: the string itself or, with CFIELDS, its bytes. */
static void *field_arg(ValkeyModuleString *s, int flags) {
    if (flags & VALKEYMODULE_HASH_CFIELDS) return (void *)ValkeyModule_StringPtrLen(s, NULL);
    return s;
}

static ValkeyModuleString *value_arg(ValkeyModuleString *s) {
    const char *p = ValkeyModule_StringPtrLen(s, NULL);
    if (!strcmp(p, "__DEL__")) return VALKEYMODULE_HASH_DELETE;
    if (!strcmp(p, "__NULL__")) return NULL;
    return s;
}

/* One variadic HashSet call with npairs (0-4) pairs from f[] and v[]. */
static int hash_set(ValkeyModuleKey *k, int flags, int npairs, void **f, ValkeyModuleString **v) {
    switch (npairs) {
        case 0: return ValkeyModule_HashSet(k, flags, NULL);
        case 1: return ValkeyModule_HashSet(k, flags, f[0], v[0], NULL);
        case 2: return ValkeyModule_HashSet(k, flags, f[0], v[0], f[1], v[1], NULL);
        case 3: return ValkeyModule_HashSet(k, flags, f[0], v[0], f[1], v[1], f[2], v[2], NULL);
        default: return ValkeyModule_HashSet(k, flags, f[0], v[0], f[1], v[1], f[2], v[2], f[3], v[3], NULL);
    }
}

/* One variadic HashGet call with n (1-4) fields and their output pointers. */
static int hash_get(ValkeyModuleKey *k, int flags, int n, void **f, void **out) {
    switch (n) {
        case 1: return ValkeyModule_HashGet(k, flags, f[0], out[0], NULL);
        case 2: return ValkeyModule_HashGet(k, flags, f[0], out[0], f[1], out[1], NULL);
        case 3: return ValkeyModule_HashGet(k, flags, f[0], out[0], f[1], out[1], f[2], out[2], NULL);
        default: return ValkeyModule_HashGet(k, flags, f[0], out[0], f[1], out[1], f[2], out[2], f[3], out[3], NULL);
    }
}

static int set_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 4 || (argc - 4) % 2 != 0 || argc > 12) return ValkeyModule_WrongArity(ctx);
    int flags = parse_flags(argv[3]);
    int npairs = (argc - 4) / 2;
    void *f[4];
    ValkeyModuleString *v[4];
    for (int i = 0; i < npairs; i++) {
        f[i] = field_arg(argv[4 + 2 * i], flags);
        v[i] = value_arg(argv[5 + 2 * i]);
    }
    ValkeyModuleKey *k = open_mode(ctx, argv[1], argv[2]);
    errno = 0;
    int count = hash_set(k, flags, npairs, f, v);
    int err = errno;
    ValkeyModule_CloseKey(k);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, count);
    ValkeyModule_ReplyWithSimpleString(ctx, errno_name(err));
    return VALKEYMODULE_OK;
}

static int get_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 5 || argc > 8) return ValkeyModule_WrongArity(ctx);
    int flags = parse_flags(argv[3]);
    int n = argc - 4;
    void *f[4];
    void *out[4];
    /* sentinels show which outputs the call wrote */
    static char untouched_buf[1];
    ValkeyModuleString *const untouched = (ValkeyModuleString *)untouched_buf;
    ValkeyModuleString *vals[4];
    int exists[4];
    for (int i = 0; i < n; i++) {
        f[i] = field_arg(argv[4 + i], flags);
        vals[i] = untouched;
        exists[i] = -7;
        out[i] = (flags & VALKEYMODULE_HASH_EXISTS) ? (void *)&exists[i] : (void *)&vals[i];
    }
    ValkeyModuleKey *k = open_mode(ctx, argv[1], argv[2]);
    int rc = hash_get(k, flags, n, f, out);
    ValkeyModule_CloseKey(k);
    ValkeyModule_ReplyWithArray(ctx, n + 1);
    ValkeyModule_ReplyWithSimpleString(ctx, rc == VALKEYMODULE_OK ? "OK" : "ERR");
    for (int i = 0; i < n; i++) {
        if (flags & VALKEYMODULE_HASH_EXISTS) {
            if (exists[i] == -7) ValkeyModule_ReplyWithSimpleString(ctx, "untouched");
            else ValkeyModule_ReplyWithLongLong(ctx, exists[i]);
        } else if (vals[i] == untouched) {
            ValkeyModule_ReplyWithSimpleString(ctx, "untouched");
        } else if (vals[i] == NULL) {
            ValkeyModule_ReplyWithNull(ctx);
        } else {
            ValkeyModule_ReplyWithString(ctx, vals[i]);
            ValkeyModule_FreeString(ctx, vals[i]);
        }
    }
    return VALKEYMODULE_OK;
}

static int auto_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    int on = !strcasecmp(ValkeyModule_StringPtrLen(argv[2], NULL), "on");
    if (on) ValkeyModule_AutoMemory(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    ValkeyModuleString *v = NULL;
    ValkeyModule_HashGet(k, VALKEYMODULE_HASH_NONE, argv[3], &v, NULL);
    if (!v) return ValkeyModule_ReplyWithError(ctx, "ERR no field");
    ValkeyModule_RetainString(ctx, v);
    int appended = ValkeyModule_StringAppendBuffer(ctx, v, "+", 1) == VALKEYMODULE_OK;
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithString(ctx, v);
    ValkeyModule_ReplyWithLongLong(ctx, appended);
    ValkeyModule_FreeString(NULL, v);
    if (!on) ValkeyModule_FreeString(NULL, v);
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

static int many_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long n;
    if (ValkeyModule_StringToLongLong(argv[2], &n) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR n");
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_WRITE);
    long long total = 0;
    for (long long i = 0; i < n; i += 4) {
        void *f[4];
        ValkeyModuleString *v[4];
        int m = 0;
        for (; m < 4 && i + m < n; m++) {
            f[m] = ValkeyModule_CreateStringPrintf(ctx, "f%lld", i + m);
            v[m] = ValkeyModule_CreateStringPrintf(ctx, "v%lld", i + m);
        }
        total += hash_set(k, VALKEYMODULE_HASH_COUNT_ALL, m, f, v);
        for (int j = 0; j < m; j++) {
            ValkeyModule_FreeString(ctx, f[j]);
            ValkeyModule_FreeString(ctx, v[j]);
        }
    }
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, total);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "keyhash", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "kh.set", set_cmd, "write", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "kh.get", get_cmd, "readonly", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "kh.auto", auto_cmd, "readonly", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "kh.many", many_cmd, "write", 1, 1, 1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
