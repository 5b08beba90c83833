/*
 * ABI check for include/valkeymodule.h.
 *
 * Verifies struct sizes and field offsets and the value of every constant that
 * must match Valkey's valkeymodule.h (x86-64 / LP64 figures). Prints one line
 * per failed check, then "N passed, N failed"; exits 1 if anything failed.
 *
 * Builds as C (module view) and as C++ with -DVALKEYMODULE_CORE (host view),
 * so both sides of the ABI are checked against the same numbers.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../../include/valkeymodule.h"

static int passed, failed;

static void check_int(const char *what, long long got, long long want) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: got %lld, want %lld\n", what, got, want);
    }
}

static void check_str(const char *what, const char *got, const char *want) {
    if (strcmp(got, want) == 0) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: got \"%s\", want \"%s\"\n", what, got, want);
    }
}

#define EQ(expr, want) check_int(#expr, (long long)(expr), (long long)(want))
#define SIZE(T, n) check_int("sizeof(" #T ")", (long long)sizeof(T), (long long)(n))
#define OFF(T, f, n) check_int("offsetof(" #T ", " #f ")", (long long)offsetof(T, f), (long long)(n))

static void check_structs(void) {
    /* Plain pointer-sized pieces the rest relies on. */
    SIZE(void *, 8);
    SIZE(long, 8);
    SIZE(ValkeyModuleTimerID, 8);
    SIZE(mstime_t, 8);
    SIZE(ustime_t, 8);

    /* ValkeyModuleEvent, passed by value. */
    SIZE(ValkeyModuleEvent, 16);
    OFF(ValkeyModuleEvent, id, 0);
    OFF(ValkeyModuleEvent, dataver, 8);

    /* StreamID. */
    SIZE(ValkeyModuleStreamID, 16);
    OFF(ValkeyModuleStreamID, ms, 0);
    OFF(ValkeyModuleStreamID, seq, 8);

    /* Type methods, v1..v5. */
    SIZE(ValkeyModuleTypeMethods, 152);
    OFF(ValkeyModuleTypeMethods, version, 0);
    OFF(ValkeyModuleTypeMethods, rdb_load, 8);
    OFF(ValkeyModuleTypeMethods, rdb_save, 16);
    OFF(ValkeyModuleTypeMethods, aof_rewrite, 24);
    OFF(ValkeyModuleTypeMethods, mem_usage, 32);
    OFF(ValkeyModuleTypeMethods, digest, 40);
    OFF(ValkeyModuleTypeMethods, free, 48);
    OFF(ValkeyModuleTypeMethods, aux_load, 56);
    OFF(ValkeyModuleTypeMethods, aux_save, 64);
    OFF(ValkeyModuleTypeMethods, aux_save_triggers, 72);
    OFF(ValkeyModuleTypeMethods, free_effort, 80);
    OFF(ValkeyModuleTypeMethods, unlink, 88);
    OFF(ValkeyModuleTypeMethods, copy, 96);
    OFF(ValkeyModuleTypeMethods, defrag, 104);
    OFF(ValkeyModuleTypeMethods, mem_usage2, 112);
    OFF(ValkeyModuleTypeMethods, free_effort2, 120);
    OFF(ValkeyModuleTypeMethods, unlink2, 128);
    OFF(ValkeyModuleTypeMethods, copy2, 136);
    OFF(ValkeyModuleTypeMethods, aux_save2, 144);
    SIZE(((ValkeyModuleTypeMethods *)0)->aux_save_triggers, 4);

    /* Command info. */
    SIZE(ValkeyModuleCommandInfo, 72);
    OFF(ValkeyModuleCommandInfo, version, 0);
    OFF(ValkeyModuleCommandInfo, summary, 8);
    OFF(ValkeyModuleCommandInfo, complexity, 16);
    OFF(ValkeyModuleCommandInfo, since, 24);
    OFF(ValkeyModuleCommandInfo, history, 32);
    OFF(ValkeyModuleCommandInfo, tips, 40);
    OFF(ValkeyModuleCommandInfo, arity, 48);
    OFF(ValkeyModuleCommandInfo, key_specs, 56);
    OFF(ValkeyModuleCommandInfo, args, 64);

    SIZE(ValkeyModuleCommandInfoVersion, 32);
    OFF(ValkeyModuleCommandInfoVersion, version, 0);
    OFF(ValkeyModuleCommandInfoVersion, sizeof_historyentry, 8);
    OFF(ValkeyModuleCommandInfoVersion, sizeof_keyspec, 16);
    OFF(ValkeyModuleCommandInfoVersion, sizeof_arg, 24);
    EQ(ValkeyModule_CurrentCommandInfoVersion.version, 1);
    EQ(ValkeyModule_CurrentCommandInfoVersion.sizeof_historyentry, 16);
    EQ(ValkeyModule_CurrentCommandInfoVersion.sizeof_keyspec, 56);
    EQ(ValkeyModule_CurrentCommandInfoVersion.sizeof_arg, 72);
    EQ(VALKEYMODULE_COMMAND_INFO_VERSION == &ValkeyModule_CurrentCommandInfoVersion, 1);
    EQ(VALKEYMODULE_CURRENT_COMMAND_INFO_VERSION == &ValkeyModule_CurrentCommandInfoVersion, 1);

    SIZE(ValkeyModuleCommandHistoryEntry, 16);
    OFF(ValkeyModuleCommandHistoryEntry, since, 0);
    OFF(ValkeyModuleCommandHistoryEntry, changes, 8);

    SIZE(ValkeyModuleCommandKeySpec, 56);
    OFF(ValkeyModuleCommandKeySpec, notes, 0);
    OFF(ValkeyModuleCommandKeySpec, flags, 8);
    OFF(ValkeyModuleCommandKeySpec, begin_search_type, 16);
    OFF(ValkeyModuleCommandKeySpec, bs, 24);
    OFF(ValkeyModuleCommandKeySpec, bs.index.pos, 24);
    OFF(ValkeyModuleCommandKeySpec, bs.keyword.keyword, 24);
    OFF(ValkeyModuleCommandKeySpec, bs.keyword.startfrom, 32);
    OFF(ValkeyModuleCommandKeySpec, find_keys_type, 40);
    OFF(ValkeyModuleCommandKeySpec, fk, 44);
    OFF(ValkeyModuleCommandKeySpec, fk.range.lastkey, 44);
    OFF(ValkeyModuleCommandKeySpec, fk.range.keystep, 48);
    OFF(ValkeyModuleCommandKeySpec, fk.range.limit, 52);
    OFF(ValkeyModuleCommandKeySpec, fk.keynum.keynumidx, 44);
    OFF(ValkeyModuleCommandKeySpec, fk.keynum.firstkey, 48);
    OFF(ValkeyModuleCommandKeySpec, fk.keynum.keystep, 52);
    SIZE(((ValkeyModuleCommandKeySpec *)0)->flags, 8);
    SIZE(((ValkeyModuleCommandKeySpec *)0)->begin_search_type, 4);
    SIZE(((ValkeyModuleCommandKeySpec *)0)->find_keys_type, 4);

    SIZE(ValkeyModuleCommandArg, 72);
    OFF(ValkeyModuleCommandArg, name, 0);
    OFF(ValkeyModuleCommandArg, type, 8);
    OFF(ValkeyModuleCommandArg, key_spec_index, 12);
    OFF(ValkeyModuleCommandArg, token, 16);
    OFF(ValkeyModuleCommandArg, summary, 24);
    OFF(ValkeyModuleCommandArg, since, 32);
    OFF(ValkeyModuleCommandArg, flags, 40);
    OFF(ValkeyModuleCommandArg, deprecated_since, 48);
    OFF(ValkeyModuleCommandArg, subargs, 56);
    OFF(ValkeyModuleCommandArg, display_text, 64);

    /* Enums travel as int. */
    SIZE(ValkeyModuleCommandArgType, 4);
    SIZE(ValkeyModuleKeySpecBeginSearchType, 4);
    SIZE(ValkeyModuleKeySpecFindKeysType, 4);
    SIZE(ValkeyModuleACLLogEntryReason, 4);

    /* Client info (also ClientChange event data). */
    SIZE(ValkeyModuleClientInfoV1, 80);
    SIZE(ValkeyModuleClientInfo, 80);
    OFF(ValkeyModuleClientInfoV1, version, 0);
    OFF(ValkeyModuleClientInfoV1, flags, 8);
    OFF(ValkeyModuleClientInfoV1, id, 16);
    OFF(ValkeyModuleClientInfoV1, addr, 24);
    OFF(ValkeyModuleClientInfoV1, port, 70);
    OFF(ValkeyModuleClientInfoV1, db, 72);
    SIZE(((ValkeyModuleClientInfoV1 *)0)->addr, 46);

    /* Event data. */
    SIZE(ValkeyModuleReplicationInfoV1, 64);
    SIZE(ValkeyModuleReplicationInfo, 64);
    OFF(ValkeyModuleReplicationInfoV1, version, 0);
    OFF(ValkeyModuleReplicationInfoV1, primary, 8);
    OFF(ValkeyModuleReplicationInfoV1, primary_host, 16);
    OFF(ValkeyModuleReplicationInfoV1, primary_port, 24);
    OFF(ValkeyModuleReplicationInfoV1, replid1, 32);
    OFF(ValkeyModuleReplicationInfoV1, replid2, 40);
    OFF(ValkeyModuleReplicationInfoV1, repl1_offset, 48);
    OFF(ValkeyModuleReplicationInfoV1, repl2_offset, 56);

    SIZE(ValkeyModuleFlushInfoV1, 16);
    SIZE(ValkeyModuleFlushInfo, 16);
    OFF(ValkeyModuleFlushInfoV1, version, 0);
    OFF(ValkeyModuleFlushInfoV1, sync, 8);
    OFF(ValkeyModuleFlushInfoV1, dbnum, 12);

    SIZE(ValkeyModuleModuleChangeV1, 24);
    SIZE(ValkeyModuleModuleChange, 24);
    OFF(ValkeyModuleModuleChangeV1, version, 0);
    OFF(ValkeyModuleModuleChangeV1, module_name, 8);
    OFF(ValkeyModuleModuleChangeV1, module_version, 16);

    SIZE(ValkeyModuleConfigChangeV1, 24);
    SIZE(ValkeyModuleConfigChange, 24);
    OFF(ValkeyModuleConfigChangeV1, version, 0);
    OFF(ValkeyModuleConfigChangeV1, num_changes, 8);
    OFF(ValkeyModuleConfigChangeV1, config_names, 16);

    SIZE(ValkeyModuleCronLoopV1, 16);
    SIZE(ValkeyModuleCronLoop, 16);
    OFF(ValkeyModuleCronLoopV1, version, 0);
    OFF(ValkeyModuleCronLoopV1, hz, 8);

    SIZE(ValkeyModuleLoadingProgressV1, 16);
    SIZE(ValkeyModuleLoadingProgress, 16);
    OFF(ValkeyModuleLoadingProgressV1, version, 0);
    OFF(ValkeyModuleLoadingProgressV1, hz, 8);
    OFF(ValkeyModuleLoadingProgressV1, progress, 12);

    SIZE(ValkeyModuleSwapDbInfoV1, 16);
    SIZE(ValkeyModuleSwapDbInfo, 16);
    OFF(ValkeyModuleSwapDbInfoV1, version, 0);
    OFF(ValkeyModuleSwapDbInfoV1, dbnum_first, 8);
    OFF(ValkeyModuleSwapDbInfoV1, dbnum_second, 12);

    SIZE(ValkeyModuleKeyInfoV1, 16);
    SIZE(ValkeyModuleKeyInfo, 16);
    OFF(ValkeyModuleKeyInfoV1, version, 0);
    OFF(ValkeyModuleKeyInfoV1, key, 8);
}

static void check_events(void) {
    /* Event ids and the ValkeyModuleEvent_* values (all data version 1). */
#define EVENT(var, idv)                      \
    EQ(ValkeyModuleEvent_##var.id, idv);     \
    EQ(ValkeyModuleEvent_##var.dataver, 1)
    EVENT(ReplicationRoleChanged, 0);
    EVENT(Persistence, 1);
    EVENT(FlushDB, 2);
    EVENT(Loading, 3);
    EVENT(ClientChange, 4);
    EVENT(Shutdown, 5);
    EVENT(ReplicaChange, 6);
    EVENT(PrimaryLinkChange, 7);
    EVENT(CronLoop, 8);
    EVENT(ModuleChange, 9);
    EVENT(LoadingProgress, 10);
    EVENT(SwapDB, 11);
    EVENT(ForkChild, 13);
    EVENT(ReplAsyncLoad, 14);
    EVENT(EventLoop, 15);
    EVENT(Config, 16);
    EVENT(Key, 17);
#undef EVENT
    EQ(VALKEYMODULE_EVENT_REPLICATION_ROLE_CHANGED, 0);
    EQ(VALKEYMODULE_EVENT_PERSISTENCE, 1);
    EQ(VALKEYMODULE_EVENT_FLUSHDB, 2);
    EQ(VALKEYMODULE_EVENT_LOADING, 3);
    EQ(VALKEYMODULE_EVENT_CLIENT_CHANGE, 4);
    EQ(VALKEYMODULE_EVENT_SHUTDOWN, 5);
    EQ(VALKEYMODULE_EVENT_REPLICA_CHANGE, 6);
    EQ(VALKEYMODULE_EVENT_PRIMARY_LINK_CHANGE, 7);
    EQ(VALKEYMODULE_EVENT_CRON_LOOP, 8);
    EQ(VALKEYMODULE_EVENT_MODULE_CHANGE, 9);
    EQ(VALKEYMODULE_EVENT_LOADING_PROGRESS, 10);
    EQ(VALKEYMODULE_EVENT_SWAPDB, 11);
    EQ(VALKEYMODULE_EVENT_REPL_BACKUP, 12);
    EQ(VALKEYMODULE_EVENT_FORK_CHILD, 13);
    EQ(VALKEYMODULE_EVENT_REPL_ASYNC_LOAD, 14);
    EQ(VALKEYMODULE_EVENT_EVENTLOOP, 15);
    EQ(VALKEYMODULE_EVENT_CONFIG, 16);
    EQ(VALKEYMODULE_EVENT_KEY, 17);
    EQ(_VALKEYMODULE_EVENT_NEXT, 18);

    /* Subevents. */
    EQ(VALKEYMODULE_EVENT_REPLROLECHANGED_NOW_PRIMARY, 0);
    EQ(VALKEYMODULE_EVENT_REPLROLECHANGED_NOW_REPLICA, 1);
    EQ(_VALKEYMODULE_EVENT_REPLROLECHANGED_NEXT, 2);
    EQ(VALKEYMODULE_SUBEVENT_PERSISTENCE_RDB_START, 0);
    EQ(VALKEYMODULE_SUBEVENT_PERSISTENCE_AOF_START, 1);
    EQ(VALKEYMODULE_SUBEVENT_PERSISTENCE_SYNC_RDB_START, 2);
    EQ(VALKEYMODULE_SUBEVENT_PERSISTENCE_ENDED, 3);
    EQ(VALKEYMODULE_SUBEVENT_PERSISTENCE_FAILED, 4);
    EQ(VALKEYMODULE_SUBEVENT_PERSISTENCE_SYNC_AOF_START, 5);
    EQ(_VALKEYMODULE_SUBEVENT_PERSISTENCE_NEXT, 6);
    EQ(VALKEYMODULE_SUBEVENT_FLUSHDB_START, 0);
    EQ(VALKEYMODULE_SUBEVENT_FLUSHDB_END, 1);
    EQ(_VALKEYMODULE_SUBEVENT_FLUSHDB_NEXT, 2);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_RDB_START, 0);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_AOF_START, 1);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_REPL_START, 2);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_ENDED, 3);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_FAILED, 4);
    EQ(_VALKEYMODULE_SUBEVENT_LOADING_NEXT, 5);
    EQ(VALKEYMODULE_SUBEVENT_CLIENT_CHANGE_CONNECTED, 0);
    EQ(VALKEYMODULE_SUBEVENT_CLIENT_CHANGE_DISCONNECTED, 1);
    EQ(_VALKEYMODULE_SUBEVENT_CLIENT_CHANGE_NEXT, 2);
    EQ(_VALKEYMODULE_SUBEVENT_SHUTDOWN_NEXT, 0);
    EQ(VALKEYMODULE_SUBEVENT_REPLICA_CHANGE_ONLINE, 0);
    EQ(VALKEYMODULE_SUBEVENT_REPLICA_CHANGE_OFFLINE, 1);
    EQ(_VALKEYMODULE_SUBEVENT_REPLICA_CHANGE_NEXT, 2);
    EQ(VALKEYMODULE_SUBEVENT_PRIMARY_LINK_UP, 0);
    EQ(VALKEYMODULE_SUBEVENT_PRIMARY_LINK_DOWN, 1);
    EQ(_VALKEYMODULE_SUBEVENT_PRIMARY_NEXT, 2);
    EQ(_VALKEYMODULE_SUBEVENT_CRON_LOOP_NEXT, 0);
    EQ(VALKEYMODULE_SUBEVENT_MODULE_LOADED, 0);
    EQ(VALKEYMODULE_SUBEVENT_MODULE_UNLOADED, 1);
    EQ(_VALKEYMODULE_SUBEVENT_MODULE_NEXT, 2);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_PROGRESS_RDB, 0);
    EQ(VALKEYMODULE_SUBEVENT_LOADING_PROGRESS_AOF, 1);
    EQ(_VALKEYMODULE_SUBEVENT_LOADING_PROGRESS_NEXT, 2);
    EQ(_VALKEYMODULE_SUBEVENT_SWAPDB_NEXT, 0);
    EQ(VALKEYMODULE_SUBEVENT_FORK_CHILD_BORN, 0);
    EQ(VALKEYMODULE_SUBEVENT_FORK_CHILD_DIED, 1);
    EQ(_VALKEYMODULE_SUBEVENT_FORK_CHILD_NEXT, 2);
    EQ(VALKEYMODULE_SUBEVENT_REPL_ASYNC_LOAD_STARTED, 0);
    EQ(VALKEYMODULE_SUBEVENT_REPL_ASYNC_LOAD_ABORTED, 1);
    EQ(VALKEYMODULE_SUBEVENT_REPL_ASYNC_LOAD_COMPLETED, 2);
    EQ(_VALKEYMODULE_SUBEVENT_REPL_ASYNC_LOAD_NEXT, 3);
    EQ(VALKEYMODULE_SUBEVENT_EVENTLOOP_BEFORE_SLEEP, 0);
    EQ(VALKEYMODULE_SUBEVENT_EVENTLOOP_AFTER_SLEEP, 1);
    EQ(_VALKEYMODULE_SUBEVENT_EVENTLOOP_NEXT, 2);
    EQ(VALKEYMODULE_SUBEVENT_CONFIG_CHANGE, 0);
    EQ(_VALKEYMODULE_SUBEVENT_CONFIG_NEXT, 1);
    EQ(VALKEYMODULE_SUBEVENT_KEY_DELETED, 0);
    EQ(VALKEYMODULE_SUBEVENT_KEY_EXPIRED, 1);
    EQ(VALKEYMODULE_SUBEVENT_KEY_EVICTED, 2);
    EQ(VALKEYMODULE_SUBEVENT_KEY_OVERWRITTEN, 3);
    EQ(_VALKEYMODULE_SUBEVENT_KEY_NEXT, 4);
}

static void check_constants(void) {
    /* Status and auth results. */
    EQ(VALKEYMODULE_OK, 0);
    EQ(VALKEYMODULE_ERR, 1);
    EQ(VALKEYMODULE_AUTH_HANDLED, 0);
    EQ(VALKEYMODULE_AUTH_NOT_HANDLED, 1);

    /* Versions. */
    EQ(VALKEYMODULE_APIVER_1, 1);
    EQ(VALKEYMODULE_TYPE_METHOD_VERSION, 5);
    EQ(VALKEYMODULE_CLIENTINFO_VERSION, 1);
    EQ(VALKEYMODULE_REPLICATIONINFO_VERSION, 1);
    EQ(VALKEYMODULE_FLUSHINFO_VERSION, 1);
    EQ(VALKEYMODULE_MODULE_CHANGE_VERSION, 1);
    EQ(VALKEYMODULE_CONFIGCHANGE_VERSION, 1);
    EQ(VALKEYMODULE_CRON_LOOP_VERSION, 1);
    EQ(VALKEYMODULE_LOADING_PROGRESS_VERSION, 1);
    EQ(VALKEYMODULE_SWAPDBINFO_VERSION, 1);
    EQ(VALKEYMODULE_KEYINFO_VERSION, 1);

    /* Key open modes. */
    EQ(VALKEYMODULE_READ, 1);
    EQ(VALKEYMODULE_WRITE, 2);
    EQ(VALKEYMODULE_OPEN_KEY_NOTOUCH, 1 << 16);
    EQ(VALKEYMODULE_OPEN_KEY_NONOTIFY, 1 << 17);
    EQ(VALKEYMODULE_OPEN_KEY_NOSTATS, 1 << 18);
    EQ(VALKEYMODULE_OPEN_KEY_NOEXPIRE, 1 << 19);
    EQ(VALKEYMODULE_OPEN_KEY_NOEFFECTS, 1 << 20);
    EQ(_VALKEYMODULE_OPEN_KEY_ALL, 0x1F0003);
    EQ(VALKEYMODULE_LIST_HEAD, 0);
    EQ(VALKEYMODULE_LIST_TAIL, 1);

    /* Key types. */
    EQ(VALKEYMODULE_KEYTYPE_EMPTY, 0);
    EQ(VALKEYMODULE_KEYTYPE_STRING, 1);
    EQ(VALKEYMODULE_KEYTYPE_LIST, 2);
    EQ(VALKEYMODULE_KEYTYPE_HASH, 3);
    EQ(VALKEYMODULE_KEYTYPE_SET, 4);
    EQ(VALKEYMODULE_KEYTYPE_ZSET, 5);
    EQ(VALKEYMODULE_KEYTYPE_MODULE, 6);
    EQ(VALKEYMODULE_KEYTYPE_STREAM, 7);

    /* Reply types. */
    EQ(VALKEYMODULE_REPLY_UNKNOWN, -1);
    EQ(VALKEYMODULE_REPLY_STRING, 0);
    EQ(VALKEYMODULE_REPLY_ERROR, 1);
    EQ(VALKEYMODULE_REPLY_INTEGER, 2);
    EQ(VALKEYMODULE_REPLY_ARRAY, 3);
    EQ(VALKEYMODULE_REPLY_NULL, 4);
    EQ(VALKEYMODULE_REPLY_MAP, 5);
    EQ(VALKEYMODULE_REPLY_SET, 6);
    EQ(VALKEYMODULE_REPLY_BOOL, 7);
    EQ(VALKEYMODULE_REPLY_DOUBLE, 8);
    EQ(VALKEYMODULE_REPLY_BIG_NUMBER, 9);
    EQ(VALKEYMODULE_REPLY_VERBATIM_STRING, 10);
    EQ(VALKEYMODULE_REPLY_ATTRIBUTE, 11);
    EQ(VALKEYMODULE_REPLY_PROMISE, 12);

    EQ(VALKEYMODULE_POSTPONED_LEN, -1);
    EQ(VALKEYMODULE_POSTPONED_ARRAY_LEN, -1);
    EQ(VALKEYMODULE_NO_EXPIRE, -1);

    /* Sorted sets and hashes. */
    EQ(VALKEYMODULE_ZADD_XX, 1);
    EQ(VALKEYMODULE_ZADD_NX, 2);
    EQ(VALKEYMODULE_ZADD_ADDED, 4);
    EQ(VALKEYMODULE_ZADD_UPDATED, 8);
    EQ(VALKEYMODULE_ZADD_NOP, 16);
    EQ(VALKEYMODULE_ZADD_GT, 32);
    EQ(VALKEYMODULE_ZADD_LT, 64);
    EQ(VALKEYMODULE_HASH_NONE, 0);
    EQ(VALKEYMODULE_HASH_NX, 1);
    EQ(VALKEYMODULE_HASH_XX, 2);
    EQ(VALKEYMODULE_HASH_CFIELDS, 4);
    EQ(VALKEYMODULE_HASH_EXISTS, 8);
    EQ(VALKEYMODULE_HASH_COUNT_ALL, 16);
    EQ((long)VALKEYMODULE_HASH_DELETE, 1);

    /* Context flags. */
    EQ(VALKEYMODULE_CTX_FLAGS_LUA, 1 << 0);
    EQ(VALKEYMODULE_CTX_FLAGS_MULTI, 1 << 1);
    EQ(VALKEYMODULE_CTX_FLAGS_PRIMARY, 1 << 2);
    EQ(VALKEYMODULE_CTX_FLAGS_REPLICA, 1 << 3);
    EQ(VALKEYMODULE_CTX_FLAGS_READONLY, 1 << 4);
    EQ(VALKEYMODULE_CTX_FLAGS_CLUSTER, 1 << 5);
    EQ(VALKEYMODULE_CTX_FLAGS_AOF, 1 << 6);
    EQ(VALKEYMODULE_CTX_FLAGS_RDB, 1 << 7);
    EQ(VALKEYMODULE_CTX_FLAGS_MAXMEMORY, 1 << 8);
    EQ(VALKEYMODULE_CTX_FLAGS_EVICT, 1 << 9);
    EQ(VALKEYMODULE_CTX_FLAGS_OOM, 1 << 10);
    EQ(VALKEYMODULE_CTX_FLAGS_OOM_WARNING, 1 << 11);
    EQ(VALKEYMODULE_CTX_FLAGS_REPLICATED, 1 << 12);
    EQ(VALKEYMODULE_CTX_FLAGS_LOADING, 1 << 13);
    EQ(VALKEYMODULE_CTX_FLAGS_REPLICA_IS_STALE, 1 << 14);
    EQ(VALKEYMODULE_CTX_FLAGS_REPLICA_IS_CONNECTING, 1 << 15);
    EQ(VALKEYMODULE_CTX_FLAGS_REPLICA_IS_TRANSFERRING, 1 << 16);
    EQ(VALKEYMODULE_CTX_FLAGS_REPLICA_IS_ONLINE, 1 << 17);
    EQ(VALKEYMODULE_CTX_FLAGS_ACTIVE_CHILD, 1 << 18);
    EQ(VALKEYMODULE_CTX_FLAGS_MULTI_DIRTY, 1 << 19);
    EQ(VALKEYMODULE_CTX_FLAGS_IS_CHILD, 1 << 20);
    EQ(VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING, 1 << 21);
    EQ(VALKEYMODULE_CTX_FLAGS_RESP3, 1 << 22);
    EQ(VALKEYMODULE_CTX_FLAGS_ASYNC_LOADING, 1 << 23);
    EQ(VALKEYMODULE_CTX_FLAGS_SERVER_STARTUP, 1 << 24);
    EQ(_VALKEYMODULE_CTX_FLAGS_NEXT, 1 << 25);
    EQ(_VALKEYMODULE_CTX_FLAGS_NEXT - 1, 0x1FFFFFF);

    /* Keyspace notifications. */
    EQ(VALKEYMODULE_NOTIFY_KEYSPACE, 1);
    EQ(VALKEYMODULE_NOTIFY_KEYEVENT, 2);
    EQ(VALKEYMODULE_NOTIFY_GENERIC, 4);
    EQ(VALKEYMODULE_NOTIFY_STRING, 8);
    EQ(VALKEYMODULE_NOTIFY_LIST, 16);
    EQ(VALKEYMODULE_NOTIFY_SET, 32);
    EQ(VALKEYMODULE_NOTIFY_HASH, 64);
    EQ(VALKEYMODULE_NOTIFY_ZSET, 128);
    EQ(VALKEYMODULE_NOTIFY_EXPIRED, 256);
    EQ(VALKEYMODULE_NOTIFY_EVICTED, 512);
    EQ(VALKEYMODULE_NOTIFY_STREAM, 1024);
    EQ(VALKEYMODULE_NOTIFY_KEY_MISS, 2048);
    EQ(VALKEYMODULE_NOTIFY_LOADED, 4096);
    EQ(VALKEYMODULE_NOTIFY_MODULE, 8192);
    EQ(VALKEYMODULE_NOTIFY_NEW, 16384);
    EQ(_VALKEYMODULE_NOTIFY_NEXT, 1 << 15);
    EQ(_VALKEYMODULE_NOTIFY_NEXT - 1, 0x7FFF);
    EQ(VALKEYMODULE_NOTIFY_ALL, 10236);
    EQ(VALKEYMODULE_NOTIFY_ALL, 0x27FC);

    check_str("VALKEYMODULE_ERRORMSG_WRONGTYPE", VALKEYMODULE_ERRORMSG_WRONGTYPE,
              "WRONGTYPE Operation against a key holding the wrong kind of value");

    /* Module configs. */
    EQ(VALKEYMODULE_CONFIG_DEFAULT, 0);
    EQ(VALKEYMODULE_CONFIG_IMMUTABLE, 1);
    EQ(VALKEYMODULE_CONFIG_SENSITIVE, 2);
    EQ(VALKEYMODULE_CONFIG_HIDDEN, 16);
    EQ(VALKEYMODULE_CONFIG_PROTECTED, 32);
    EQ(VALKEYMODULE_CONFIG_DENY_LOADING, 64);
    EQ(VALKEYMODULE_CONFIG_MEMORY, 128);
    EQ(VALKEYMODULE_CONFIG_BITFLAGS, 256);
    EQ(sizeof(VALKEYMODULE_CONFIG_BITFLAGS), 8);

    /* Streams. */
    EQ(VALKEYMODULE_STREAM_ADD_AUTOID, 1);
    EQ(VALKEYMODULE_STREAM_ITERATOR_EXCLUSIVE, 1);
    EQ(VALKEYMODULE_STREAM_ITERATOR_REVERSE, 2);
    EQ(VALKEYMODULE_STREAM_TRIM_APPROX, 1);

    /* Module options and misc flags. */
    EQ(VALKEYMODULE_OPTIONS_HANDLE_IO_ERRORS, 1);
    EQ(VALKEYMODULE_OPTION_NO_IMPLICIT_SIGNAL_MODIFIED, 2);
    EQ(VALKEYMODULE_OPTIONS_HANDLE_REPL_ASYNC_LOAD, 4);
    EQ(VALKEYMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS, 8);
    EQ(_VALKEYMODULE_OPTIONS_FLAGS_NEXT - 1, 0xF);
    EQ(VALKEYMODULE_CMDFILTER_NOSELF, 1);
    EQ(VALKEYMODULE_BLOCK_UNBLOCK_DEFAULT, 0);
    EQ(VALKEYMODULE_BLOCK_UNBLOCK_DELETED, 1);
    EQ(VALKEYMODULE_YIELD_FLAG_NONE, 1);
    EQ(VALKEYMODULE_YIELD_FLAG_CLIENTS, 2);
    EQ(VALKEYMODULE_EVENTLOOP_READABLE, 1);
    EQ(VALKEYMODULE_EVENTLOOP_WRITABLE, 2);
    EQ(VALKEYMODULE_AUX_BEFORE_RDB, 1);
    EQ(VALKEYMODULE_AUX_AFTER_RDB, 2);

    /* Cluster. */
    EQ(VALKEYMODULE_NODE_ID_LEN, 40);
    EQ(VALKEYMODULE_NODE_MYSELF, 1);
    EQ(VALKEYMODULE_NODE_PRIMARY, 2);
    EQ(VALKEYMODULE_NODE_REPLICA, 4);
    EQ(VALKEYMODULE_NODE_PFAIL, 8);
    EQ(VALKEYMODULE_NODE_FAIL, 16);
    EQ(VALKEYMODULE_NODE_NOFAILOVER, 32);
    EQ(VALKEYMODULE_CLUSTER_FLAG_NONE, 0);
    EQ(VALKEYMODULE_CLUSTER_FLAG_NO_FAILOVER, 2);
    EQ(VALKEYMODULE_CLUSTER_FLAG_NO_REDIRECTION, 4);

    /* ACL log reasons. */
    EQ(VALKEYMODULE_ACL_LOG_AUTH, 0);
    EQ(VALKEYMODULE_ACL_LOG_CMD, 1);
    EQ(VALKEYMODULE_ACL_LOG_KEY, 2);
    EQ(VALKEYMODULE_ACL_LOG_CHANNEL, 3);

    /* Log levels. */
    check_str("VALKEYMODULE_LOGLEVEL_DEBUG", VALKEYMODULE_LOGLEVEL_DEBUG, "debug");
    check_str("VALKEYMODULE_LOGLEVEL_VERBOSE", VALKEYMODULE_LOGLEVEL_VERBOSE, "verbose");
    check_str("VALKEYMODULE_LOGLEVEL_NOTICE", VALKEYMODULE_LOGLEVEL_NOTICE, "notice");
    check_str("VALKEYMODULE_LOGLEVEL_WARNING", VALKEYMODULE_LOGLEVEL_WARNING, "warning");

    /* Key specs, channels, command args. */
    EQ(VALKEYMODULE_KSPEC_BS_INVALID, 0);
    EQ(VALKEYMODULE_KSPEC_BS_UNKNOWN, 1);
    EQ(VALKEYMODULE_KSPEC_BS_INDEX, 2);
    EQ(VALKEYMODULE_KSPEC_BS_KEYWORD, 3);
    EQ(VALKEYMODULE_KSPEC_FK_OMITTED, 0);
    EQ(VALKEYMODULE_KSPEC_FK_UNKNOWN, 1);
    EQ(VALKEYMODULE_KSPEC_FK_RANGE, 2);
    EQ(VALKEYMODULE_KSPEC_FK_KEYNUM, 3);
    EQ(VALKEYMODULE_CMD_KEY_RO, 1);
    EQ(VALKEYMODULE_CMD_KEY_RW, 2);
    EQ(VALKEYMODULE_CMD_KEY_OW, 4);
    EQ(VALKEYMODULE_CMD_KEY_RM, 8);
    EQ(VALKEYMODULE_CMD_KEY_ACCESS, 16);
    EQ(VALKEYMODULE_CMD_KEY_UPDATE, 32);
    EQ(VALKEYMODULE_CMD_KEY_INSERT, 64);
    EQ(VALKEYMODULE_CMD_KEY_DELETE, 128);
    EQ(VALKEYMODULE_CMD_KEY_NOT_KEY, 256);
    EQ(VALKEYMODULE_CMD_KEY_INCOMPLETE, 512);
    EQ(VALKEYMODULE_CMD_KEY_VARIABLE_FLAGS, 1024);
    EQ(VALKEYMODULE_CMD_CHANNEL_PATTERN, 1);
    EQ(VALKEYMODULE_CMD_CHANNEL_PUBLISH, 2);
    EQ(VALKEYMODULE_CMD_CHANNEL_SUBSCRIBE, 4);
    EQ(VALKEYMODULE_CMD_CHANNEL_UNSUBSCRIBE, 8);
    EQ(VALKEYMODULE_ARG_TYPE_STRING, 0);
    EQ(VALKEYMODULE_ARG_TYPE_INTEGER, 1);
    EQ(VALKEYMODULE_ARG_TYPE_DOUBLE, 2);
    EQ(VALKEYMODULE_ARG_TYPE_KEY, 3);
    EQ(VALKEYMODULE_ARG_TYPE_PATTERN, 4);
    EQ(VALKEYMODULE_ARG_TYPE_UNIX_TIME, 5);
    EQ(VALKEYMODULE_ARG_TYPE_PURE_TOKEN, 6);
    EQ(VALKEYMODULE_ARG_TYPE_ONEOF, 7);
    EQ(VALKEYMODULE_ARG_TYPE_BLOCK, 8);
    EQ(VALKEYMODULE_CMD_ARG_NONE, 0);
    EQ(VALKEYMODULE_CMD_ARG_OPTIONAL, 1);
    EQ(VALKEYMODULE_CMD_ARG_MULTIPLE, 2);
    EQ(VALKEYMODULE_CMD_ARG_MULTIPLE_TOKEN, 4);

    /* Client info flags. */
    EQ(VALKEYMODULE_CLIENTINFO_FLAG_SSL, 1);
    EQ(VALKEYMODULE_CLIENTINFO_FLAG_PUBSUB, 2);
    EQ(VALKEYMODULE_CLIENTINFO_FLAG_BLOCKED, 4);
    EQ(VALKEYMODULE_CLIENTINFO_FLAG_TRACKING, 8);
    EQ(VALKEYMODULE_CLIENTINFO_FLAG_UNIXSOCKET, 16);
    EQ(VALKEYMODULE_CLIENTINFO_FLAG_MULTI, 32);

    /* Infinities and the AOF client id. */
    EQ(VALKEYMODULE_POSITIVE_INFINITE > 1e308, 1);
    EQ(VALKEYMODULE_NEGATIVE_INFINITE < -1e308, 1);
    EQ(ValkeyModule_IsAOFClient(UINT64_MAX), 1);
    EQ(ValkeyModule_IsAOFClient((uint64_t)1), 0);
}

#ifndef __cplusplus
/* Module view only: the initializer macro (designated initializers are C). */
static void check_module_view(void) {
    ValkeyModuleClientInfoV1 ci = VALKEYMODULE_CLIENTINFO_INITIALIZER_V1;
    EQ(ci.version, 1);
    EQ(ci.id, 0);
}
#endif

int main(void) {
    check_structs();
    check_events();
    check_constants();
#ifndef __cplusplus
    check_module_view();
#endif
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
