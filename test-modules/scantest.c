/* scantest: the scan API (Scan, ScanKey and their cursors), the cluster API of a server not
 * in cluster mode, and the defrag API of a host that never defragments.
 *
 *   SC.SCAN <db> none|del|add|null   Scans database <db>: per key "name:type" (KeyType of
 *                                    the handle) or "name:null" for a NULL handle. "del"
 *                                    deletes each key from its callback, "add" adds a key
 *                                    "new:<name>" per key seen, "null" is none but replies
 *                                    whether ScanCursorRestart rescans. Reply: [batches
 *                                    that returned 1, errno after the last call, errno of
 *                                    one more call on the finished cursor, keys...]
 *   SC.SCANKEY <key> none|del|null   ScanKey over <key> (READ, or WRITE for del; "null"
 *                                    passes a NULL handle). "del" removes each element from
 *                                    its callback (HDEL/SREM/ZREM). Reply: [batches that
 *                                    returned 1, errno after the last call, errno of one
 *                                    more call, field, value|nil, ...]
 *   SC.RESTART <key>                 ScanKey to the end, restart the cursor, scan again:
 *                                    [elements first pass, elements second pass]
 *   SC.CLUSTER                       [GetMyClusterID is NULL, GetClusterSize,
 *                                    GetClusterNodesList is NULL, numnodes, GetClusterNodeInfo,
 *                                    GetClusterNodeInfoForClient, SendClusterMessage (to all),
 *                                    SendClusterMessage (to a node), port untouched]
 *   SC.DEFRAG                        [RegisterDefragFunc, DefragShouldStop, DefragCursorSet,
 *                                    DefragCursorGet, cursor untouched, DefragAlloc is NULL,
 *                                    DefragValkeyModuleString returns NULL (-1: not offered),
 *                                    GetKeyNameFromDefragCtx is NULL, GetDbIdFromDefragCtx]
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "valkeymodule.h"

static const char *errno_name(int e) {
    switch (e) {
        case 0: return "";
        case EINVAL: return "EINVAL";
        case ENOENT: return "ENOENT";
        default: return "E?";
    }
}

typedef struct {
    ValkeyModuleCtx *ctx;
    ValkeyModuleString *items[4096];
    int n;
    int mode; /* 0 none, 1 del, 2 add */
    const char *delcmd;
    ValkeyModuleString *key;
} Acc;

static void add_item(Acc *a, ValkeyModuleString *s) {
    if (a->n < 4096) a->items[a->n++] = s;
    else ValkeyModule_FreeString(a->ctx, s);
}

static const char *type_name(int t) {
    switch (t) {
        case VALKEYMODULE_KEYTYPE_EMPTY: return "empty";
        case VALKEYMODULE_KEYTYPE_STRING: return "string";
        case VALKEYMODULE_KEYTYPE_LIST: return "list";
        case VALKEYMODULE_KEYTYPE_HASH: return "hash";
        case VALKEYMODULE_KEYTYPE_SET: return "set";
        case VALKEYMODULE_KEYTYPE_ZSET: return "zset";
        default: return "other";
    }
}

static void scan_cb(ValkeyModuleCtx *ctx, ValkeyModuleString *keyname, ValkeyModuleKey *key, void *privdata) {
    Acc *a = privdata;
    size_t len;
    const char *name = ValkeyModule_StringPtrLen(keyname, &len);
    ValkeyModuleString *s = ValkeyModule_CreateStringPrintf(ctx, "%.*s:%s", (int)len, name,
                                                            key ? type_name(ValkeyModule_KeyType(key)) : "null");
    add_item(a, s);
    if (a->mode == 1) {
        ValkeyModuleKey *w = ValkeyModule_OpenKey(ctx, keyname, VALKEYMODULE_WRITE);
        ValkeyModule_DeleteKey(w);
        ValkeyModule_CloseKey(w);
    } else if (a->mode == 2 && strncmp(name, "new:", 4) != 0) {
        ValkeyModuleString *nk = ValkeyModule_CreateStringPrintf(ctx, "new:%.*s", (int)len, name);
        ValkeyModuleKey *w = ValkeyModule_OpenKey(ctx, nk, VALKEYMODULE_WRITE);
        ValkeyModule_StringSet(w, nk);
        ValkeyModule_CloseKey(w);
        ValkeyModule_FreeString(ctx, nk);
    }
}

static int reply_acc(ValkeyModuleCtx *ctx, Acc *a, long long batches, int e1, int e2, int pairs) {
    ValkeyModule_ReplyWithArray(ctx, 3 + a->n);
    ValkeyModule_ReplyWithLongLong(ctx, batches);
    ValkeyModule_ReplyWithSimpleString(ctx, errno_name(e1));
    ValkeyModule_ReplyWithSimpleString(ctx, errno_name(e2));
    for (int i = 0; i < a->n; i++) {
        if (a->items[i]) {
            ValkeyModule_ReplyWithString(ctx, a->items[i]);
            ValkeyModule_FreeString(ctx, a->items[i]);
        } else {
            ValkeyModule_ReplyWithNull(ctx);
        }
    }
    (void)pairs;
    return VALKEYMODULE_OK;
}

static int cmd_scan(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    long long db;
    if (ValkeyModule_StringToLongLong(argv[1], &db) != VALKEYMODULE_OK || ValkeyModule_SelectDb(ctx, (int)db) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad db");
    const char *m = ValkeyModule_StringPtrLen(argv[2], NULL);
    static Acc a;
    memset(&a, 0, sizeof(a));
    a.ctx = ctx;
    a.mode = !strcasecmp(m, "del") ? 1 : !strcasecmp(m, "add") ? 2 : 0;
    ValkeyModuleScanCursor *c = ValkeyModule_ScanCursorCreate();
    long long batches = 0;
    errno = 12345;
    while (ValkeyModule_Scan(ctx, c, scan_cb, &a)) batches++;
    int e1 = errno;
    int more = ValkeyModule_Scan(ctx, c, scan_cb, &a);
    int e2 = more ? -1 : errno;
    if (!strcasecmp(m, "null")) {
        /* After a restart the whole database is reported again. */
        int before = a.n;
        ValkeyModule_ScanCursorRestart(c);
        while (ValkeyModule_Scan(ctx, c, scan_cb, &a)) {
        }
        int again = a.n - before;
        for (int i = before; i < a.n; i++) ValkeyModule_FreeString(ctx, a.items[i]);
        a.n = before;
        ValkeyModule_ScanCursorDestroy(c);
        if (again != before) return ValkeyModule_ReplyWithError(ctx, "ERR restart did not rescan");
    } else {
        ValkeyModule_ScanCursorDestroy(c);
    }
    return reply_acc(ctx, &a, batches, e1, e2, 0);
}

static void scankey_cb(ValkeyModuleKey *key, ValkeyModuleString *field, ValkeyModuleString *value, void *privdata) {
    Acc *a = privdata;
    (void)key;
    ValkeyModule_RetainString(a->ctx, field);
    add_item(a, field);
    if (value) ValkeyModule_RetainString(a->ctx, value);
    add_item(a, value);
    if (a->mode == 1) {
        ValkeyModuleCallReply *r = ValkeyModule_Call(a->ctx, a->delcmd, "ss", a->key, field);
        if (r) ValkeyModule_FreeCallReply(r);
    }
}

static int cmd_scankey(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    const char *m = ValkeyModule_StringPtrLen(argv[2], NULL);
    static Acc a;
    memset(&a, 0, sizeof(a));
    a.ctx = ctx;
    a.key = argv[1];
    a.mode = !strcasecmp(m, "del") ? 1 : 0;
    ValkeyModuleKey *key = NULL;
    if (strcasecmp(m, "null")) key = ValkeyModule_OpenKey(ctx, argv[1], a.mode ? VALKEYMODULE_WRITE : VALKEYMODULE_READ);
    int t = ValkeyModule_KeyType(key);
    a.delcmd = t == VALKEYMODULE_KEYTYPE_HASH ? "HDEL" : t == VALKEYMODULE_KEYTYPE_SET ? "SREM" : "ZREM";
    ValkeyModuleScanCursor *c = ValkeyModule_ScanCursorCreate();
    long long batches = 0;
    errno = 12345;
    while (ValkeyModule_ScanKey(key, c, scankey_cb, &a)) batches++;
    int e1 = errno;
    int more = ValkeyModule_ScanKey(key, c, scankey_cb, &a);
    int e2 = more ? -1 : errno;
    ValkeyModule_ScanCursorDestroy(c);
    if (key) ValkeyModule_CloseKey(key);
    return reply_acc(ctx, &a, batches, e1, e2, 1);
}

static void count_cb(ValkeyModuleKey *key, ValkeyModuleString *field, ValkeyModuleString *value, void *privdata) {
    (void)key;
    (void)field;
    (void)value;
    (*(long long *)privdata)++;
}

static int cmd_restart(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleKey *key = ValkeyModule_OpenKey(ctx, argv[1], VALKEYMODULE_READ);
    ValkeyModuleScanCursor *c = ValkeyModule_ScanCursorCreate();
    long long first = 0, second = 0;
    while (ValkeyModule_ScanKey(key, c, count_cb, &first)) {
    }
    ValkeyModule_ScanCursorRestart(c);
    while (ValkeyModule_ScanKey(key, c, count_cb, &second)) {
    }
    ValkeyModule_ScanCursorDestroy(c);
    ValkeyModule_CloseKey(key);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, first);
    ValkeyModule_ReplyWithLongLong(ctx, second);
    return VALKEYMODULE_OK;
}

static int cmd_cluster(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    size_t numnodes = 77;
    char **ids = ValkeyModule_GetClusterNodesList(ctx, &numnodes);
    char node[VALKEYMODULE_NODE_ID_LEN + 1];
    memset(node, 'a', VALKEYMODULE_NODE_ID_LEN);
    node[VALKEYMODULE_NODE_ID_LEN] = 0;
    char ip[VALKEYMODULE_NODE_ID_LEN], primary[VALKEYMODULE_NODE_ID_LEN];
    int port = -7, flags = -7;
    int info = ValkeyModule_GetClusterNodeInfo(ctx, node, ip, primary, &port, &flags);
    int info2 = ValkeyModule_GetClusterNodeInfoForClient(ctx, ValkeyModule_GetClientId(ctx), node, ip, primary, &port, &flags);
    ValkeyModule_SetClusterFlags(ctx, VALKEYMODULE_CLUSTER_FLAG_NO_FAILOVER);
    ValkeyModule_RegisterClusterMessageReceiver(ctx, 1, NULL);
    int send_all = ValkeyModule_SendClusterMessage(ctx, NULL, 1, "hi", 2);
    int send_one = ValkeyModule_SendClusterMessage(ctx, node, 1, "hi", 2);
    ValkeyModule_FreeClusterNodesList(ids);
    ValkeyModule_ReplyWithArray(ctx, 9);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetMyClusterID() == NULL);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_GetClusterSize());
    ValkeyModule_ReplyWithLongLong(ctx, ids == NULL);
    ValkeyModule_ReplyWithLongLong(ctx, (long long)numnodes);
    ValkeyModule_ReplyWithSimpleString(ctx, info == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithSimpleString(ctx, info2 == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithSimpleString(ctx, send_all == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithSimpleString(ctx, send_one == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithLongLong(ctx, port == -7 && flags == -7);
    return VALKEYMODULE_OK;
}

static void global_defrag(ValkeyModuleDefragCtx *ctx) { (void)ctx; }

static int cmd_defrag(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    int reg = ValkeyModule_RegisterDefragFunc(ctx, global_defrag);
    unsigned long cursor = 42;
    void *block = ValkeyModule_Alloc(16);
    ValkeyModule_ReplyWithArray(ctx, 9);
    ValkeyModule_ReplyWithSimpleString(ctx, reg == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_DefragShouldStop(NULL));
    ValkeyModule_ReplyWithSimpleString(ctx, ValkeyModule_DefragCursorSet(NULL, 5) == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithSimpleString(ctx, ValkeyModule_DefragCursorGet(NULL, &cursor) == VALKEYMODULE_OK ? "OK" : "ERR");
    ValkeyModule_ReplyWithLongLong(ctx, (long long)cursor);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_DefragAlloc(NULL, block) == NULL);
    /* Not offered yet (GetApi lacks Redis's RedisModule_DefragRedisModuleString name): -1. */
    if (ValkeyModule_DefragValkeyModuleString)
        ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_DefragValkeyModuleString(NULL, argv[0]) == NULL);
    else
        ValkeyModule_ReplyWithLongLong(ctx, -1);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetKeyNameFromDefragCtx(NULL) == NULL);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetDbIdFromDefragCtx(NULL));
    ValkeyModule_Free(block);
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (ValkeyModule_Init(ctx, "scantest", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "sc.scan", cmd_scan, "write", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "sc.scankey", cmd_scankey, "write", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "sc.restart", cmd_restart, "readonly", 1, 1, 1) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "sc.cluster", cmd_cluster, "readonly", 0, 0, 0) == VALKEYMODULE_ERR ||
        ValkeyModule_CreateCommand(ctx, "sc.defrag", cmd_defrag, "readonly", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
