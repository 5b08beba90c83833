/* datatype: a module data type ("vmtest-dt", encver 1) using every type callback, and
 * commands to drive and inspect it.
 *
 * A value is {num, str}. Layouts: encver 1 saves Signed num, String str, Double num/2,
 * Float 1.5, LongDouble num+0.25, Unsigned strlen; encver 0 (the old layout) saved only
 * Signed num and String str. rdb_load reads either.
 *
 *   DT.SET key num str       ModuleTypeSetValue -> OK (WRONGTYPE for a non-module key of
 *                            another type)
 *   DT.GET key               [num, str] or nil; WRONGTYPE when the key holds another type
 *   DT.RO key                opens the key READ only and tries ModuleTypeSetValue -> 1 if ERR
 *   DT.REPLACE key num str   ModuleTypeReplaceValue -> the old num (the old value is freed
 *                            by the command itself, so it counts as a free)
 *   DT.STATS                 [frees, unlinks, copies, aux_before, aux_after, aux_loads]
 *   DT.RESET                 zeroes the counters
 *   DT.SETAUX n              the value aux_save2 saves (0: aux_save2 saves nothing)
 *   DT.LASTIO                [key name seen by rdb_save/rdb_load (nil when unknown), its db,
 *                            key seen by digest, its db, key/db seen by unlink2,
 *                            key/tokey/db/todb seen by copy2]
 *   DT.DUMP key              SaveDataTypeToString of the key's value
 *   DT.RESTORE key payload encver   LoadDataTypeFromStringEncver -> OK, or "ERR Invalid payload"
 *   DT.CREATECHECKS          what CreateDataType answered in OnLoad for invalid arguments (1 =
 *                            NULL as expected), and 1 if a call outside OnLoad returned NULL
 *   DT.TYPEOK key            1 when ModuleTypeGetType(key) is our type
 *   DT.LONGDOUBLE key        the long double saved/loaded through DUMP/RESTORE of the key is
 *                            compared: replies the loaded long double as a string
 *
 * num 4242: rdb_save calls EmitAOF (outside an AOF rewrite: ignored); num 4343: aof_rewrite
 * first emits an unknown command (the rewrite of the value fails).
 *
 * OnLoad argument "noio": do not set HANDLE_IO_ERRORS; "fail": OnLoad fails after
 * CreateDataType succeeded; "second": loads as module "datatype2" (whose CreateDataType of
 * the same name fails while "datatype" is loaded, failing its OnLoad).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

typedef struct {
    long long num;
    char *str;
    size_t len;
    long double ld;
} DtValue;

static ValkeyModuleType *DtType;
static long long frees, unlinks, copies, aux_before = -1, aux_after = -1, aux_loads, aux_value;
static char last_io_key[128];
static int last_io_has_key, last_io_db = -2;
static char last_digest_key[128];
static int last_digest_db = -2;
static char last_unlink_key[128];
static int last_unlink_db = -2;
static char last_copy_from[128], last_copy_to[128];
static int last_copy_from_db = -2, last_copy_to_db = -2;
static int create_checks[8];
static int create_checks_n;
static ValkeyModuleCtx *late_ctx_unused;

static DtValue *dt_new(long long num, const char *s, size_t len) {
    DtValue *v = ValkeyModule_Alloc(sizeof(*v));
    v->num = num;
    v->str = ValkeyModule_Alloc(len + 1);
    memcpy(v->str, s, len);
    v->str[len] = 0;
    v->len = len;
    v->ld = (long double)num + 0.25L;
    return v;
}

static void dt_free(void *p) {
    DtValue *v = p;
    frees++;
    ValkeyModule_Free(v->str);
    ValkeyModule_Free(v);
}

static void copy_name(char *dst, const ValkeyModuleString *s) {
    size_t n = 0;
    const char *p = s ? ValkeyModule_StringPtrLen(s, &n) : "";
    if (n > 127) n = 127;
    memcpy(dst, p, n);
    dst[n] = 0;
}

static void note_io(ValkeyModuleIO *io) {
    const ValkeyModuleString *k = ValkeyModule_GetKeyNameFromIO(io);
    last_io_has_key = k != NULL;
    copy_name(last_io_key, k);
    last_io_db = ValkeyModule_GetDbIdFromIO(io);
}

static void *dt_rdb_load(ValkeyModuleIO *io, int encver) {
    note_io(io);
    if (encver > 1) return NULL;
    long long num = ValkeyModule_LoadSigned(io);
    size_t len = 0;
    char *s = ValkeyModule_LoadStringBuffer(io, &len);
    if (ValkeyModule_IsIOError(io)) {
        if (s) ValkeyModule_Free(s);
        return NULL;
    }
    DtValue *v = dt_new(num, s, len);
    ValkeyModule_Free(s);
    if (encver == 1) {
        double d = ValkeyModule_LoadDouble(io);
        float f = ValkeyModule_LoadFloat(io);
        long double ld = ValkeyModule_LoadLongDouble(io);
        uint64_t ulen = ValkeyModule_LoadUnsigned(io);
        if (ValkeyModule_IsIOError(io) || d != (double)num / 2 || f != 1.5f || ulen != len) {
            frees--; /* not a value the keyspace ever held */
            dt_free(v);
            return NULL;
        }
        v->ld = ld;
    }
    return v;
}

static void dt_rdb_save(ValkeyModuleIO *io, void *value) {
    DtValue *v = value;
    note_io(io);
    if (v->num == 4242) ValkeyModule_EmitAOF(io, "DT.SET", "c", "x"); /* not in an AOF rewrite: ignored */
    ValkeyModule_SaveSigned(io, v->num);
    ValkeyModule_SaveStringBuffer(io, v->str, v->len);
    ValkeyModule_SaveDouble(io, (double)v->num / 2);
    ValkeyModule_SaveFloat(io, 1.5f);
    ValkeyModule_SaveLongDouble(io, v->ld);
    ValkeyModule_SaveUnsigned(io, v->len);
}

static void dt_aof_rewrite(ValkeyModuleIO *aof, ValkeyModuleString *key, void *value) {
    DtValue *v = value;
    if (v->num == 4343) ValkeyModule_EmitAOF(aof, "NO.SUCH.CMD", "c", "x"); /* fails the rewrite */
    ValkeyModule_EmitAOF(aof, "DT.SET", "slb", key, v->num, v->str, v->len);
}

static size_t dt_mem_usage(const void *value) {
    const DtValue *v = value;
    return sizeof(*v) + v->len;
}

static size_t dt_mem_usage2(ValkeyModuleKeyOptCtx *ctx, const void *value, size_t sample_size) {
    (void)ctx;
    (void)sample_size;
    const DtValue *v = value;
    return 1000 + v->len;
}

static void dt_digest(ValkeyModuleDigest *md, void *value) {
    DtValue *v = value;
    copy_name(last_digest_key, ValkeyModule_GetKeyNameFromDigest(md));
    last_digest_db = ValkeyModule_GetDbIdFromDigest(md);
    ValkeyModule_DigestAddLongLong(md, v->num);
    ValkeyModule_DigestAddStringBuffer(md, v->str, v->len);
    ValkeyModule_DigestEndSequence(md);
}

static int dt_aux_load(ValkeyModuleIO *io, int encver, int when) {
    (void)encver;
    long long n = ValkeyModule_LoadSigned(io);
    if (ValkeyModule_IsIOError(io)) return VALKEYMODULE_ERR;
    aux_loads++;
    if (when == VALKEYMODULE_AUX_BEFORE_RDB) aux_before = n;
    else aux_after = n;
    return VALKEYMODULE_OK;
}

static void dt_aux_save(ValkeyModuleIO *io, int when) {
    /* never used: aux_save2 takes precedence */
    ValkeyModule_SaveSigned(io, -when);
}

static void dt_aux_save2(ValkeyModuleIO *io, int when) {
    if (aux_value == 0) return;
    ValkeyModule_SaveSigned(io, aux_value * 10 + when);
}

static size_t dt_free_effort(ValkeyModuleString *key, const void *value) {
    (void)key;
    return ((const DtValue *)value)->len;
}

static size_t dt_free_effort2(ValkeyModuleKeyOptCtx *ctx, const void *value) {
    (void)ctx;
    return ((const DtValue *)value)->len;
}

static void dt_unlink(ValkeyModuleString *key, const void *value) {
    (void)key;
    (void)value;
    unlinks += 1000; /* never used: unlink2 takes precedence */
}

static void dt_unlink2(ValkeyModuleKeyOptCtx *ctx, const void *value) {
    (void)value;
    unlinks++;
    copy_name(last_unlink_key, ValkeyModule_GetKeyNameFromOptCtx(ctx));
    last_unlink_db = ValkeyModule_GetDbIdFromOptCtx(ctx);
}

static void *dt_copy(ValkeyModuleString *fromkey, ValkeyModuleString *tokey, const void *value) {
    (void)fromkey;
    (void)tokey;
    (void)value;
    return NULL; /* never used: copy2 takes precedence */
}

static void *dt_copy2(ValkeyModuleKeyOptCtx *ctx, const void *value) {
    const DtValue *v = value;
    copy_name(last_copy_from, ValkeyModule_GetKeyNameFromOptCtx(ctx));
    copy_name(last_copy_to, ValkeyModule_GetToKeyNameFromOptCtx(ctx));
    last_copy_from_db = ValkeyModule_GetDbIdFromOptCtx(ctx);
    last_copy_to_db = ValkeyModule_GetToDbIdFromOptCtx(ctx);
    if (v->num == -1) return NULL; /* refuses to copy */
    copies++;
    DtValue *c = dt_new(v->num, v->str, v->len);
    c->ld = v->ld;
    return c;
}

static int dt_defrag(ValkeyModuleDefragCtx *ctx, ValkeyModuleString *key, void **value) {
    (void)ctx;
    (void)key;
    (void)value;
    return 0;
}

/* --- commands --- */

static int set_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long long num;
    if (ValkeyModule_StringToLongLong(argv[2], &num) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid num");
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    int type = ValkeyModule_KeyType(key);
    if (type != VALKEYMODULE_KEYTYPE_EMPTY && ValkeyModule_ModuleTypeGetType(key) != DtType) {
        ValkeyModule_CloseKey(key);
        return ValkeyModule_ReplyWithError(ctx, VALKEYMODULE_ERRORMSG_WRONGTYPE);
    }
    size_t len;
    const char *s = ValkeyModule_StringPtrLen(argv[3], &len);
    ValkeyModule_ModuleTypeSetValue(key, DtType, dt_new(num, s, len));
    ValkeyModule_CloseKey(key);
    ValkeyModule_ReplicateVerbatim(ctx);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int get_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    if (!key) return ValkeyModule_ReplyWithNull(ctx);
    if (ValkeyModule_KeyType(key) != VALKEYMODULE_KEYTYPE_MODULE || ValkeyModule_ModuleTypeGetType(key) != DtType) {
        ValkeyModule_CloseKey(key);
        return ValkeyModule_ReplyWithError(ctx, VALKEYMODULE_ERRORMSG_WRONGTYPE);
    }
    DtValue *v = ValkeyModule_ModuleTypeGetValue(key);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, v->num);
    ValkeyModule_ReplyWithStringBuffer(ctx, v->str, v->len);
    ValkeyModule_CloseKey(key);
    return VALKEYMODULE_OK;
}

static int ro_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    if (!key) return ValkeyModule_ReplyWithNull(ctx);
    DtValue *v = dt_new(1, "x", 1);
    int r = ValkeyModule_ModuleTypeSetValue(key, DtType, v);
    if (r == VALKEYMODULE_ERR) {
        frees--;
        dt_free(v);
    }
    ValkeyModule_CloseKey(key);
    return ValkeyModule_ReplyWithLongLong(ctx, r == VALKEYMODULE_ERR);
}

static int replace_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long long num;
    if (ValkeyModule_StringToLongLong(argv[2], &num) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid num");
    size_t len;
    const char *s = ValkeyModule_StringPtrLen(argv[3], &len);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    DtValue *nv = dt_new(num, s, len);
    void *old = NULL;
    if (ValkeyModule_ModuleTypeReplaceValue(key, DtType, nv, &old) != VALKEYMODULE_OK) {
        frees--;
        dt_free(nv);
        ValkeyModule_CloseKey(key);
        return ValkeyModule_ReplyWithError(ctx, "ERR replace failed");
    }
    long long oldnum = ((DtValue *)old)->num;
    dt_free(old);
    ValkeyModule_CloseKey(key);
    return ValkeyModule_ReplyWithLongLong(ctx, oldnum);
}

static int stats_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModule_ReplyWithArray(ctx, 6);
    ValkeyModule_ReplyWithLongLong(ctx, frees);
    ValkeyModule_ReplyWithLongLong(ctx, unlinks);
    ValkeyModule_ReplyWithLongLong(ctx, copies);
    ValkeyModule_ReplyWithLongLong(ctx, aux_before);
    ValkeyModule_ReplyWithLongLong(ctx, aux_after);
    ValkeyModule_ReplyWithLongLong(ctx, aux_loads);
    return VALKEYMODULE_OK;
}

static int reset_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    frees = unlinks = copies = aux_loads = 0;
    aux_before = aux_after = -1;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int setaux_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_StringToLongLong(argv[1], &aux_value);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static void reply_name(ValkeyModuleCtx *ctx, const char *s, int present) {
    if (present) ValkeyModule_ReplyWithCString(ctx, s);
    else ValkeyModule_ReplyWithNull(ctx);
}

static int lastio_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModule_ReplyWithArray(ctx, 10);
    reply_name(ctx, last_io_key, last_io_has_key);
    ValkeyModule_ReplyWithLongLong(ctx, last_io_db);
    ValkeyModule_ReplyWithCString(ctx, last_digest_key);
    ValkeyModule_ReplyWithLongLong(ctx, last_digest_db);
    ValkeyModule_ReplyWithCString(ctx, last_unlink_key);
    ValkeyModule_ReplyWithLongLong(ctx, last_unlink_db);
    ValkeyModule_ReplyWithCString(ctx, last_copy_from);
    ValkeyModule_ReplyWithCString(ctx, last_copy_to);
    ValkeyModule_ReplyWithLongLong(ctx, last_copy_from_db);
    ValkeyModule_ReplyWithLongLong(ctx, last_copy_to_db);
    return VALKEYMODULE_OK;
}

static int dump_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    if (!key || ValkeyModule_ModuleTypeGetType(key) != DtType) {
        if (key) ValkeyModule_CloseKey(key);
        return ValkeyModule_ReplyWithNull(ctx);
    }
    ValkeyModuleString *s = ValkeyModule_SaveDataTypeToString(ctx, ValkeyModule_ModuleTypeGetValue(key), DtType);
    ValkeyModule_CloseKey(key);
    if (!s) return ValkeyModule_ReplyWithError(ctx, "ERR save failed");
    ValkeyModule_ReplyWithString(ctx, s);
    ValkeyModule_FreeString(ctx, s);
    return VALKEYMODULE_OK;
}

static int restore_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 4) return ValkeyModule_WrongArity(ctx);
    long long encver;
    if (ValkeyModule_StringToLongLong(argv[3], &encver) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid encver");
    DtValue *v = ValkeyModule_LoadDataTypeFromStringEncver(argv[2], DtType, (int)encver);
    if (!v) return ValkeyModule_ReplyWithError(ctx, "ERR Invalid payload");
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_WRITE);
    ValkeyModule_ModuleTypeSetValue(key, DtType, v);
    ValkeyModule_CloseKey(key);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int createchecks_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleTypeMethods tm = {.version = VALKEYMODULE_TYPE_METHOD_VERSION, .rdb_load = dt_rdb_load,
                                  .rdb_save = dt_rdb_save, .free = dt_free};
    /* outside OnLoad: NULL */
    int late = ValkeyModule_CreateDataType(ctx, "vmlate-dt", 0, &tm) == NULL;
    ValkeyModule_ReplyWithArray(ctx, create_checks_n + 1);
    for (int i = 0; i < create_checks_n; i++) ValkeyModule_ReplyWithLongLong(ctx, create_checks[i]);
    ValkeyModule_ReplyWithLongLong(ctx, late);
    return VALKEYMODULE_OK;
}

static int typeok_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    int ok = key && ValkeyModule_ModuleTypeGetType(key) == DtType && ValkeyModule_KeyType(key) == VALKEYMODULE_KEYTYPE_MODULE;
    if (key) ValkeyModule_CloseKey(key);
    return ValkeyModule_ReplyWithLongLong(ctx, ok);
}

static int longdouble_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    if (!key || ValkeyModule_ModuleTypeGetType(key) != DtType) {
        if (key) ValkeyModule_CloseKey(key);
        return ValkeyModule_ReplyWithNull(ctx);
    }
    DtValue *v = ValkeyModule_ModuleTypeGetValue(key);
    ValkeyModule_CloseKey(key);
    return ValkeyModule_ReplyWithLongDouble(ctx, v->ld);
}

#define CMD(name, fn, flags, first)                                                               \
    if (ValkeyModule_CreateCommand(ctx, name, fn, flags, first, first, first) == VALKEYMODULE_ERR) \
        return VALKEYMODULE_ERR;

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)late_ctx_unused;
    /* "second": another module registering the same type name (CreateDataType must fail).
     * The name is needed before Init fills the API, so StringPtrLen is fetched as Init would. */
    int (*getapi)(const char *, void *) = (int (*)(const char *, void *))((void **)ctx)[0];
    getapi(VALKEYMODULE_API_NAME_PREFIX "StringPtrLen", (void *)&ValkeyModule_StringPtrLen);
    int second = argc > 0 && strcmp(ValkeyModule_StringPtrLen(argv[0], NULL), "second") == 0;
    if (ValkeyModule_Init(ctx, second ? "datatype2" : "datatype", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    int noio = argc > 0 && strcmp(ValkeyModule_StringPtrLen(argv[0], NULL), "noio") == 0;
    if (!noio) ValkeyModule_SetModuleOptions(ctx, VALKEYMODULE_OPTIONS_HANDLE_IO_ERRORS);

    ValkeyModuleTypeMethods tm = {
        .version = VALKEYMODULE_TYPE_METHOD_VERSION,
        .rdb_load = dt_rdb_load,
        .rdb_save = dt_rdb_save,
        .aof_rewrite = dt_aof_rewrite,
        .mem_usage = dt_mem_usage,
        .digest = dt_digest,
        .free = dt_free,
        .aux_load = dt_aux_load,
        .aux_save = dt_aux_save,
        .aux_save_triggers = VALKEYMODULE_AUX_BEFORE_RDB | VALKEYMODULE_AUX_AFTER_RDB,
        .free_effort = dt_free_effort,
        .unlink = dt_unlink,
        .copy = dt_copy,
        .defrag = dt_defrag,
        .mem_usage2 = dt_mem_usage2,
        .free_effort2 = dt_free_effort2,
        .unlink2 = dt_unlink2,
        .copy2 = dt_copy2,
        .aux_save2 = dt_aux_save2,
    };

    /* invalid registrations: each must give NULL */
    create_checks_n = 0;
    create_checks[create_checks_n++] = ValkeyModule_CreateDataType(ctx, "short-dt", 0, &tm) == NULL;
    create_checks[create_checks_n++] = ValkeyModule_CreateDataType(ctx, "bad!chars", 0, &tm) == NULL;
    create_checks[create_checks_n++] = ValkeyModule_CreateDataType(ctx, "vmtest-d2", 1024, &tm) == NULL;
    create_checks[create_checks_n++] = ValkeyModule_CreateDataType(ctx, "AAAAAAAAA", 0, &tm) == NULL;
    ValkeyModuleTypeMethods v0 = {.version = 0, .rdb_load = dt_rdb_load, .rdb_save = dt_rdb_save};
    create_checks[create_checks_n++] = ValkeyModule_CreateDataType(ctx, "vmtest-d3", 0, &v0) == NULL;

    DtType = ValkeyModule_CreateDataType(ctx, "vmtest-dt", 1, &tm);
    if (DtType == NULL) return VALKEYMODULE_ERR;
    /* "fail": fail OnLoad after registering the type (the host must forget it) */
    if (argc > 0 && strcmp(ValkeyModule_StringPtrLen(argv[0], NULL), "fail") == 0) return VALKEYMODULE_ERR;

    CMD("dt.set", set_cmd, "write deny-oom", 1);
    CMD("dt.get", get_cmd, "readonly", 1);
    CMD("dt.ro", ro_cmd, "write", 1);
    CMD("dt.replace", replace_cmd, "write", 1);
    CMD("dt.stats", stats_cmd, "readonly", 0);
    CMD("dt.reset", reset_cmd, "readonly", 0);
    CMD("dt.setaux", setaux_cmd, "readonly", 0);
    CMD("dt.lastio", lastio_cmd, "readonly", 0);
    CMD("dt.dump", dump_cmd, "readonly", 1);
    CMD("dt.restore", restore_cmd, "write", 1);
    CMD("dt.createchecks", createchecks_cmd, "readonly", 0);
    CMD("dt.typeok", typeok_cmd, "readonly", 1);
    CMD("dt.longdouble", longdouble_cmd, "readonly", 1);
    return VALKEYMODULE_OK;
}
