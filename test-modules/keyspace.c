/* keyspace: the generic low-level key API and the string key API.
 *
 *   KS.OPEN <key> <modes...>     OpenKey with READ/WRITE/NOTOUCH/NONOTIFY/NOSTATS/NOEXPIRE/NOEFFECTS;
 *                                replies the key type, or -1 for a NULL handle
 *   KS.TYPE <key> | KS.LEN <key> | KS.EXISTS <key>
 *   KS.DEL <key> | KS.UNLINK <key> | KS.DELRO <key>   (replies OK/ERR as 0/1)
 *   KS.GETEXPIRE <key> | KS.GETABSEXPIRE <key> | KS.SETEXPIRE <key> <ms> | KS.SETABSEXPIRE <key> <ms>
 *   KS.SELECT <db>   SelectDb then GetSelectedDb (or the error code)
 *   KS.DBSIZE | KS.RANDOMKEY | KS.RESET
 *   KS.NAME <key>    GetKeyNameFromModuleKey and GetDbIdFromModuleKey
 *   KS.SET <key> <value> | KS.SETRO <key> <value>
 *   KS.DMAREAD <key> | KS.DMAUPPER <key> | KS.TRUNCATE <key> <len>
 *   KS.LRU <key> [idle] | KS.LFU <key> [freq]
 *   KS.SIGNAL <key>
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "valkeymodule.h"

static int parse_modes(ValkeyModuleString **argv, int from, int argc) {
    int mode = 0;
    for (int i = from; i < argc; i++) {
        const char *m = ValkeyModule_StringPtrLen(argv[i], NULL);
        if (!strcasecmp(m, "READ")) mode |= VALKEYMODULE_READ;
        else if (!strcasecmp(m, "WRITE")) mode |= VALKEYMODULE_WRITE;
        else if (!strcasecmp(m, "NOTOUCH")) mode |= VALKEYMODULE_OPEN_KEY_NOTOUCH;
        else if (!strcasecmp(m, "NONOTIFY")) mode |= VALKEYMODULE_OPEN_KEY_NONOTIFY;
        else if (!strcasecmp(m, "NOSTATS")) mode |= VALKEYMODULE_OPEN_KEY_NOSTATS;
        else if (!strcasecmp(m, "NOEXPIRE")) mode |= VALKEYMODULE_OPEN_KEY_NOEXPIRE;
        else if (!strcasecmp(m, "NOEFFECTS")) mode |= VALKEYMODULE_OPEN_KEY_NOEFFECTS;
    }
    return mode;
}

static int open_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], parse_modes(argv, 2, argc));
    if (!k) return ValkeyModule_ReplyWithLongLong(ctx, -1);
    int t = ValkeyModule_KeyType(k);
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, t);
}

static int type_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    int t = ValkeyModule_KeyType(k); /* NULL handle: EMPTY */
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, t);
}

static int len_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    size_t n = ValkeyModule_ValueLength(k);
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)n);
}

static int exists_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_KeyExists(ctx, argv[1]));
}

static int del_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int mode, int unlink) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], mode);
    if (!k) return ValkeyModule_ReplyWithLongLong(ctx, -1);
    int rc = unlink ? ValkeyModule_UnlinkKey(k) : ValkeyModule_DeleteKey(k);
    int t = ValkeyModule_KeyType(k);
    ValkeyModule_CloseKey(k);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, rc);
    return ValkeyModule_ReplyWithLongLong(ctx, t);
}
static int del_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return del_generic(c, v, n, VALKEYMODULE_WRITE, 0); }
static int unlink_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return del_generic(c, v, n, VALKEYMODULE_WRITE, 1); }
static int delro_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return del_generic(c, v, n, VALKEYMODULE_READ, 0); }

static int getexpire_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int abs) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    mstime_t t = abs ? ValkeyModule_GetAbsExpire(k) : ValkeyModule_GetExpire(k);
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, t);
}
static int getexpire_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return getexpire_generic(c, v, n, 0); }
static int getabsexpire_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return getexpire_generic(c, v, n, 1); }

static int setexpire_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int abs, int mode) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long ms;
    if (ValkeyModule_StringToLongLong(argv[2], &ms) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR bad ms");
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], mode);
    int rc = abs ? ValkeyModule_SetAbsExpire(k, ms) : ValkeyModule_SetExpire(k, ms);
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, rc);
}
static int setexpire_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return setexpire_generic(c, v, n, 0, VALKEYMODULE_WRITE); }
static int setabsexpire_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return setexpire_generic(c, v, n, 1, VALKEYMODULE_WRITE); }
static int setexpirero_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return setexpire_generic(c, v, n, 0, VALKEYMODULE_READ); }

static int select_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long db;
    ValkeyModule_StringToLongLong(argv[1], &db);
    if (ValkeyModule_SelectDb(ctx, (int)db) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR select failed");
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetSelectedDb(ctx));
}

static int dbsize_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_DbSize(ctx));
}

static int randomkey_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModuleString *k = ValkeyModule_RandomKey(ctx);
    if (!k) return ValkeyModule_ReplyWithNull(ctx);
    ValkeyModule_ReplyWithString(ctx, k);
    ValkeyModule_FreeString(ctx, k);
    return VALKEYMODULE_OK;
}

static int reset_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ResetDataset(0, 0);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int name_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_WRITE);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithString(ctx, (ValkeyModuleString *)ValkeyModule_GetKeyNameFromModuleKey(k));
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetDbIdFromModuleKey(k));
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

static int set_generic(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int mode) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], mode);
    int rc = ValkeyModule_StringSet(k, argv[2]);
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, rc);
}
static int set_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return set_generic(c, v, n, VALKEYMODULE_WRITE); }
static int setro_cmd(ValkeyModuleCtx *c, ValkeyModuleString **v, int n) { return set_generic(c, v, n, VALKEYMODULE_READ); }

static int dmaread_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    if (!k) return ValkeyModule_ReplyWithNull(ctx);
    size_t len;
    char *p = ValkeyModule_StringDMA(k, &len, VALKEYMODULE_READ);
    if (!p) {
        ValkeyModule_CloseKey(k);
        return ValkeyModule_ReplyWithError(ctx, "ERR not a string");
    }
    ValkeyModule_ReplyWithStringBuffer(ctx, p, len);
    ValkeyModule_CloseKey(k);
    return VALKEYMODULE_OK;
}

static int dmaupper_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_AutoMemory(ctx); /* the handle is closed by AutoMemory: write-back at the end */
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_WRITE);
    size_t len;
    char *p = ValkeyModule_StringDMA(k, &len, VALKEYMODULE_WRITE);
    if (!p) return ValkeyModule_ReplyWithError(ctx, "ERR not a string");
    for (size_t i = 0; i < len; i++) p[i] = (char)toupper((unsigned char)p[i]);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_ValueLength(k));
}

static int truncate_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long n;
    ValkeyModule_StringToLongLong(argv[2], &n);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_WRITE);
    int rc = ValkeyModule_StringTruncate(k, (size_t)n);
    ValkeyModule_CloseKey(k);
    return ValkeyModule_ReplyWithLongLong(ctx, rc);
}

static int lru_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2 && argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_OPEN_KEY_NOTOUCH);
    int rc = VALKEYMODULE_OK;
    if (argc == 3) {
        long long idle;
        ValkeyModule_StringToLongLong(argv[2], &idle);
        rc = ValkeyModule_SetLRU(k, idle);
    }
    mstime_t idle = 0;
    int grc = ValkeyModule_GetLRU(k, &idle);
    ValkeyModule_CloseKey(k);
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, rc);
    ValkeyModule_ReplyWithLongLong(ctx, grc);
    return ValkeyModule_ReplyWithLongLong(ctx, idle);
}

static int lfu_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2 && argc != 3) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *k = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ | VALKEYMODULE_OPEN_KEY_NOTOUCH);
    int rc = VALKEYMODULE_OK;
    if (argc == 3) {
        long long f;
        ValkeyModule_StringToLongLong(argv[2], &f);
        rc = ValkeyModule_SetLFU(k, f);
    }
    long long freq = 0;
    int grc = ValkeyModule_GetLFU(k, &freq);
    ValkeyModule_CloseKey(k);
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, rc);
    ValkeyModule_ReplyWithLongLong(ctx, grc);
    return ValkeyModule_ReplyWithLongLong(ctx, freq);
}

static int signal_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_SignalModifiedKey(ctx, argv[1]));
}

#define REG(name, fn, flags)                                                                        \
    if (ValkeyModule_CreateCommand(ctx, name, fn, flags, 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "keyspace", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    REG("ks.open", open_cmd, "write");
    REG("ks.type", type_cmd, "readonly");
    REG("ks.len", len_cmd, "readonly");
    REG("ks.exists", exists_cmd, "readonly");
    REG("ks.del", del_cmd, "write");
    REG("ks.unlink", unlink_cmd, "write");
    REG("ks.delro", delro_cmd, "write");
    REG("ks.getexpire", getexpire_cmd, "readonly");
    REG("ks.getabsexpire", getabsexpire_cmd, "readonly");
    REG("ks.setexpire", setexpire_cmd, "write");
    REG("ks.setabsexpire", setabsexpire_cmd, "write");
    REG("ks.setexpirero", setexpirero_cmd, "write");
    REG("ks.select", select_cmd, "");
    REG("ks.dbsize", dbsize_cmd, "readonly");
    REG("ks.randomkey", randomkey_cmd, "readonly");
    REG("ks.reset", reset_cmd, "write");
    REG("ks.name", name_cmd, "write");
    REG("ks.set", set_cmd, "write");
    REG("ks.setro", setro_cmd, "write");
    REG("ks.dmaread", dmaread_cmd, "readonly");
    REG("ks.dmaupper", dmaupper_cmd, "write");
    REG("ks.truncate", truncate_cmd, "write");
    REG("ks.lru", lru_cmd, "write");
    REG("ks.lfu", lfu_cmd, "write");
    REG("ks.signal", signal_cmd, "write");
    return VALKEYMODULE_OK;
}
