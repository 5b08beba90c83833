// THE table: every API of the module API reference, by area, mapped to its
// implementation or to nothing (with the reason). GetApi answers from here, under both
// the "ValkeyModule_" and the "RedisModule_" name, and `vmhost apis` / engine.apiCoverage()
// count from here. Nothing else decides whether an API exists.
//
//   API(area, Name)           implemented by VM_Name (extern "C", native/api/<area>.cc)
//   NONE(area, Name, reason)  GetApi answers ERR, so the module's pointer stays NULL and
//                             RMAPI_FUNC_SUPPORTED(ValkeyModule_Name) is false
#include "table.h"

#include <cstring>
#include <string>
#include <unordered_map>

#define VMHOST_API_LIST(API, NONE) \
    API("memory", Alloc) \
    API("memory", TryAlloc) \
    API("memory", Calloc) \
    API("memory", TryCalloc) \
    API("memory", Realloc) \
    API("memory", TryRealloc) \
    API("memory", Free) \
    API("memory", Strdup) \
    API("memory", PoolAlloc) \
    API("commands", IsKeysPositionRequest) \
    API("commands", KeyAtPosWithFlags) \
    API("commands", KeyAtPos) \
    API("commands", IsChannelsPositionRequest) \
    API("commands", ChannelAtPosWithFlags) \
    API("commands", CreateCommand) \
    API("commands", GetCommand) \
    API("commands", CreateSubcommand) \
    API("commands", AddACLCategory) \
    API("commands", SetCommandACLCategories) \
    API("commands", SetCommandInfo) \
    NONE("commands", UpdateRuntimeArgs, "module configs and CONFIG REWRITE land with issue 8") \
    API("module-info", IsModuleNameBusy) \
    API("module-info", Milliseconds) \
    API("module-info", MonotonicMicroseconds) \
    API("module-info", Microseconds) \
    API("module-info", CachedMicroseconds) \
    NONE("module-info", BlockedClientMeasureTimeStart, "blocked clients land with issue 7") \
    NONE("module-info", BlockedClientMeasureTimeEnd, "blocked clients land with issue 7") \
    NONE("module-info", Yield, "needs re-entrant event processing (issue 7)") \
    API("module-info", SetModuleOptions) \
    API("module-info", SignalModifiedKey) \
    API("automemory", AutoMemory) \
    API("strings", CreateString) \
    API("strings", CreateStringPrintf) \
    API("strings", CreateStringFromLongLong) \
    API("strings", CreateStringFromULongLong) \
    API("strings", CreateStringFromDouble) \
    API("strings", CreateStringFromLongDouble) \
    API("strings", CreateStringFromString) \
    API("strings", CreateStringFromStreamID) \
    API("strings", FreeString) \
    API("strings", RetainString) \
    API("strings", HoldString) \
    API("strings", StringPtrLen) \
    API("strings", StringToLongLong) \
    API("strings", StringToULongLong) \
    API("strings", StringToDouble) \
    API("strings", StringToLongDouble) \
    API("strings", StringToStreamID) \
    API("strings", StringCompare) \
    API("strings", StringAppendBuffer) \
    API("strings", TrimStringAllocation) \
    API("replies", WrongArity) \
    API("replies", ReplyWithLongLong) \
    API("replies", ReplyWithError) \
    API("replies", ReplyWithErrorFormat) \
    API("replies", ReplyWithSimpleString) \
    API("replies", ReplyWithArray) \
    API("replies", ReplyWithMap) \
    API("replies", ReplyWithSet) \
    API("replies", ReplyWithAttribute) \
    API("replies", ReplyWithNullArray) \
    API("replies", ReplyWithEmptyArray) \
    API("replies", ReplySetArrayLength) \
    API("replies", ReplySetMapLength) \
    API("replies", ReplySetSetLength) \
    API("replies", ReplySetAttributeLength) \
    API("replies", ReplyWithStringBuffer) \
    API("replies", ReplyWithCString) \
    API("replies", ReplyWithString) \
    API("replies", ReplyWithEmptyString) \
    API("replies", ReplyWithVerbatimStringType) \
    API("replies", ReplyWithVerbatimString) \
    API("replies", ReplyWithNull) \
    API("replies", ReplyWithBool) \
    API("replies", ReplyWithCallReply) \
    API("replies", ReplyWithDouble) \
    API("replies", ReplyWithBigNumber) \
    API("replies", ReplyWithLongDouble) \
    API("replication", Replicate) \
    API("replication", ReplicateVerbatim) \
    API("keys", GetClientId) \
    API("keys", GetClientUserNameById) \
    API("keys", MustObeyClient) \
    API("keys", GetClientInfoById) \
    API("keys", GetClientNameById) \
    API("keys", SetClientNameById) \
    API("keys", PublishMessage) \
    API("keys", PublishMessageShard) \
    API("keys", GetSelectedDb) \
    API("keys", GetContextFlags) \
    API("keys", AvoidReplicaTraffic) \
    API("keys", SelectDb) \
    API("keys", KeyExists) \
    API("keys", OpenKey) \
    API("keys", GetOpenKeyModesAll) \
    API("keys", CloseKey) \
    API("keys", KeyType) \
    API("keys", ValueLength) \
    API("keys", DeleteKey) \
    API("keys", UnlinkKey) \
    API("keys", GetExpire) \
    API("keys", SetExpire) \
    API("keys", GetAbsExpire) \
    API("keys", SetAbsExpire) \
    API("keys", ResetDataset) \
    API("keys", DbSize) \
    API("keys", RandomKey) \
    NONE("keys", GetKeyNameFromOptCtx, "key option contexts come with module data types (issue 6)") \
    NONE("keys", GetToKeyNameFromOptCtx, "key option contexts come with module data types (issue 6)") \
    NONE("keys", GetDbIdFromOptCtx, "key option contexts come with module data types (issue 6)") \
    NONE("keys", GetToDbIdFromOptCtx, "key option contexts come with module data types (issue 6)") \
    API("keys-string", StringSet) \
    API("keys-string", StringDMA) \
    API("keys-string", StringTruncate) \
    API("keys-list", ListPush) \
    API("keys-list", ListPop) \
    API("keys-list", ListGet) \
    API("keys-list", ListSet) \
    API("keys-list", ListInsert) \
    API("keys-list", ListDelete) \
    API("keys-zset", ZsetAdd) \
    API("keys-zset", ZsetIncrby) \
    API("keys-zset", ZsetRem) \
    API("keys-zset", ZsetScore) \
    API("keys-zset-iterator", ZsetRangeStop) \
    API("keys-zset-iterator", ZsetRangeEndReached) \
    API("keys-zset-iterator", ZsetFirstInScoreRange) \
    API("keys-zset-iterator", ZsetLastInScoreRange) \
    API("keys-zset-iterator", ZsetFirstInLexRange) \
    API("keys-zset-iterator", ZsetLastInLexRange) \
    API("keys-zset-iterator", ZsetRangeCurrentElement) \
    API("keys-zset-iterator", ZsetRangeNext) \
    API("keys-zset-iterator", ZsetRangePrev) \
    API("keys-hash", HashSet) \
    API("keys-hash", HashGet) \
    API("keys-stream", StreamAdd) \
    API("keys-stream", StreamDelete) \
    API("keys-stream", StreamIteratorStart) \
    API("keys-stream", StreamIteratorStop) \
    API("keys-stream", StreamIteratorNextID) \
    API("keys-stream", StreamIteratorNextField) \
    API("keys-stream", StreamIteratorDelete) \
    API("keys-stream", StreamTrimByLength) \
    API("keys-stream", StreamTrimByID) \
    API("call", FreeCallReply) \
    API("call", CallReplyType) \
    API("call", CallReplyLength) \
    API("call", CallReplyArrayElement) \
    API("call", CallReplyInteger) \
    API("call", CallReplyDouble) \
    API("call", CallReplyBigNumber) \
    API("call", CallReplyVerbatim) \
    API("call", CallReplyBool) \
    API("call", CallReplySetElement) \
    API("call", CallReplyMapElement) \
    API("call", CallReplyAttribute) \
    API("call", CallReplyAttributeElement) \
    NONE("call", CallReplyPromiseSetUnblockHandler, "promise replies (Call with K on a command that blocks) land with blocked clients (issue 7)") \
    NONE("call", CallReplyPromiseAbort, "promise replies (Call with K on a command that blocks) land with blocked clients (issue 7)") \
    API("call", CallReplyStringPtr) \
    API("call", CreateStringFromCallReply) \
    API("call", SetContextUser) \
    API("call", Call) \
    API("call", CallReplyProto) \
    NONE("datatypes", CreateDataType, "module data types land with issue 6") \
    NONE("datatypes", ModuleTypeSetValue, "module data types land with issue 6") \
    NONE("datatypes", ModuleTypeGetType, "module data types land with issue 6") \
    NONE("datatypes", ModuleTypeGetValue, "module data types land with issue 6") \
    NONE("rdb-io", IsIOError, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveUnsigned, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadUnsigned, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveSigned, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadSigned, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveString, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveStringBuffer, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadString, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadStringBuffer, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveDouble, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadDouble, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveFloat, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadFloat, "RDB IO lands with issue 6") \
    NONE("rdb-io", SaveLongDouble, "RDB IO lands with issue 6") \
    NONE("rdb-io", LoadLongDouble, "RDB IO lands with issue 6") \
    NONE("digest", DigestAddStringBuffer, "digests land with issue 6") \
    NONE("digest", DigestAddLongLong, "digests land with issue 6") \
    NONE("digest", DigestEndSequence, "digests land with issue 6") \
    NONE("digest", LoadDataTypeFromStringEncver, "digests land with issue 6") \
    NONE("digest", LoadDataTypeFromString, "digests land with issue 6") \
    NONE("digest", SaveDataTypeToString, "digests land with issue 6") \
    NONE("digest", GetKeyNameFromDigest, "digests land with issue 6") \
    NONE("digest", GetDbIdFromDigest, "digests land with issue 6") \
    NONE("aof", EmitAOF, "AOF rewrite lands with issue 6") \
    NONE("io-context", GetKeyNameFromIO, "RDB IO contexts land with issue 6") \
    API("io-context", GetKeyNameFromModuleKey) \
    API("io-context", GetDbIdFromModuleKey) \
    NONE("io-context", GetDbIdFromIO, "RDB IO contexts land with issue 6") \
    API("logging", Log) \
    API("logging", LogIOError) \
    API("logging", _Assert) \
    API("logging", LatencyAddSample) \
    NONE("blocking", RegisterAuthCallback, "module auth lands with issue 8") \
    NONE("blocking", BlockClient, "blocked clients land with issue 7") \
    NONE("blocking", BlockClientOnAuth, "blocked clients land with issue 7") \
    NONE("blocking", BlockClientGetPrivateData, "blocked clients land with issue 7") \
    NONE("blocking", BlockClientSetPrivateData, "blocked clients land with issue 7") \
    NONE("blocking", BlockClientOnKeys, "blocked clients land with issue 7") \
    NONE("blocking", BlockClientOnKeysWithFlags, "blocked clients land with issue 7") \
    NONE("blocking", SignalKeyAsReady, "blocked clients land with issue 7") \
    NONE("blocking", UnblockClient, "blocked clients land with issue 7") \
    NONE("blocking", AbortBlock, "blocked clients land with issue 7") \
    NONE("blocking", SetDisconnectCallback, "blocked clients land with issue 7") \
    NONE("blocking", IsBlockedReplyRequest, "blocked clients land with issue 7") \
    NONE("blocking", IsBlockedTimeoutRequest, "blocked clients land with issue 7") \
    NONE("blocking", GetBlockedClientPrivateData, "blocked clients land with issue 7") \
    NONE("blocking", GetBlockedClientReadyKey, "blocked clients land with issue 7") \
    NONE("blocking", GetBlockedClientHandle, "blocked clients land with issue 7") \
    NONE("blocking", BlockedClientDisconnected, "blocked clients land with issue 7") \
    NONE("thread-safe", GetThreadSafeContext, "thread-safe contexts land with issue 7") \
    NONE("thread-safe", GetDetachedThreadSafeContext, "thread-safe contexts land with issue 7") \
    NONE("thread-safe", FreeThreadSafeContext, "thread-safe contexts land with issue 7") \
    NONE("thread-safe", ThreadSafeContextLock, "thread-safe contexts land with issue 7") \
    NONE("thread-safe", ThreadSafeContextTryLock, "thread-safe contexts land with issue 7") \
    NONE("thread-safe", ThreadSafeContextUnlock, "thread-safe contexts land with issue 7") \
    NONE("notifications", SubscribeToKeyspaceEvents, "keyspace notifications land with issue 8") \
    NONE("notifications", AddPostNotificationJob, "keyspace notifications land with issue 8") \
    NONE("notifications", GetNotifyKeyspaceEvents, "keyspace notifications land with issue 8") \
    NONE("notifications", NotifyKeyspaceEvent, "keyspace notifications land with issue 8") \
    API("cluster", RegisterClusterMessageReceiver) \
    API("cluster", SendClusterMessage) \
    API("cluster", GetClusterNodesList) \
    API("cluster", FreeClusterNodesList) \
    API("cluster", GetMyClusterID) \
    API("cluster", GetClusterSize) \
    API("cluster", GetClusterNodeInfo) \
    API("cluster", GetClusterNodeInfoForClient) \
    API("cluster", SetClusterFlags) \
    API("cluster", ClusterKeySlot) \
    API("cluster", ClusterCanonicalKeyNameInSlot) \
    NONE("timers", CreateTimer, "timers land with issue 7") \
    NONE("timers", StopTimer, "timers land with issue 7") \
    NONE("timers", GetTimerInfo, "timers land with issue 7") \
    NONE("eventloop", EventLoopAdd, "event loop integration lands with issue 7") \
    NONE("eventloop", EventLoopDel, "event loop integration lands with issue 7") \
    NONE("eventloop", EventLoopAddOneShot, "event loop integration lands with issue 7") \
    API("acl", CreateModuleUser) \
    API("acl", FreeModuleUser) \
    API("acl", SetModuleUserACL) \
    API("acl", SetModuleUserACLString) \
    API("acl", GetModuleUserACLString) \
    API("acl", GetCurrentUserName) \
    API("acl", GetModuleUserFromUserName) \
    API("acl", ACLCheckCommandPermissions) \
    API("acl", ACLCheckKeyPermissions) \
    API("acl", ACLCheckChannelPermissions) \
    API("acl", ACLAddLogEntry) \
    API("acl", ACLAddLogEntryByUserName) \
    API("acl", AuthenticateClientWithUser) \
    API("acl", AuthenticateClientWithACLUser) \
    API("acl", DeauthenticateAndCloseClient) \
    API("acl", RedactClientCommandArgument) \
    API("acl", GetClientCertificate) \
    API("dict", CreateDict) \
    API("dict", FreeDict) \
    API("dict", DictSize) \
    API("dict", DictSetC) \
    API("dict", DictReplaceC) \
    API("dict", DictSet) \
    API("dict", DictReplace) \
    API("dict", DictGetC) \
    API("dict", DictGet) \
    API("dict", DictDelC) \
    API("dict", DictDel) \
    API("dict", DictIteratorStartC) \
    API("dict", DictIteratorStart) \
    API("dict", DictIteratorStop) \
    API("dict", DictIteratorReseekC) \
    API("dict", DictIteratorReseek) \
    API("dict", DictNextC) \
    API("dict", DictPrevC) \
    API("dict", DictNext) \
    API("dict", DictPrev) \
    API("dict", DictCompareC) \
    API("dict", DictCompare) \
    API("info", InfoAddSection) \
    API("info", InfoBeginDictField) \
    API("info", InfoEndDictField) \
    API("info", InfoAddFieldString) \
    API("info", InfoAddFieldCString) \
    API("info", InfoAddFieldDouble) \
    API("info", InfoAddFieldLongLong) \
    API("info", InfoAddFieldULongLong) \
    API("info", RegisterInfoFunc) \
    API("info", GetServerInfo) \
    API("info", FreeServerInfo) \
    API("info", ServerInfoGetField) \
    API("info", ServerInfoGetFieldC) \
    API("info", ServerInfoGetFieldSigned) \
    API("info", ServerInfoGetFieldUnsigned) \
    API("info", ServerInfoGetFieldDouble) \
    API("utility", GetRandomBytes) \
    API("utility", GetRandomHexChars) \
    API("shared-api", ExportSharedAPI) \
    API("shared-api", GetSharedAPI) \
    API("command-filter", RegisterCommandFilter) \
    API("command-filter", UnregisterCommandFilter) \
    API("command-filter", CommandFilterArgsCount) \
    API("command-filter", CommandFilterArgGet) \
    API("command-filter", CommandFilterArgInsert) \
    API("command-filter", CommandFilterArgReplace) \
    API("command-filter", CommandFilterArgDelete) \
    API("command-filter", CommandFilterGetClientId) \
    API("command-filter", MallocSize) \
    API("command-filter", MallocUsableSize) \
    API("command-filter", MallocSizeString) \
    API("command-filter", MallocSizeDict) \
    API("command-filter", GetUsedMemoryRatio) \
    API("scan", ScanCursorCreate) \
    API("scan", ScanCursorRestart) \
    API("scan", ScanCursorDestroy) \
    API("scan", Scan) \
    API("scan", ScanKey) \
    NONE("fork", Fork, "fork() of a V8 process cannot give the child the keyspace") \
    NONE("fork", SendChildHeartbeat, "fork() of a V8 process cannot give the child the keyspace") \
    NONE("fork", ExitFromChild, "fork() of a V8 process cannot give the child the keyspace") \
    NONE("fork", KillForkChild, "fork() of a V8 process cannot give the child the keyspace") \
    NONE("server-events", SubscribeToServerEvent, "server events land with issue 7") \
    NONE("server-events", IsSubEventSupported, "server events land with issue 7") \
    API("configs", RegisterStringConfig) \
    API("configs", RegisterBoolConfig) \
    API("configs", RegisterEnumConfig) \
    API("configs", RegisterNumericConfig) \
    API("configs", LoadConfigs) \
    NONE("rdb", RdbStreamCreateFromFile, "whole-dataset RDB lands with issue 6") \
    NONE("rdb", RdbStreamFree, "whole-dataset RDB lands with issue 6") \
    NONE("rdb", RdbLoad, "whole-dataset RDB lands with issue 6") \
    NONE("rdb", RdbSave, "whole-dataset RDB lands with issue 6") \
    NONE("rdb", RegisterScriptingEngine, "this host has no scripting engines") \
    NONE("rdb", UnregisterScriptingEngine, "this host has no scripting engines") \
    NONE("rdb", GetFunctionExecutionState, "this host has no scripting engines") \
    API("eviction", SetLRU) \
    API("eviction", GetLRU) \
    API("eviction", SetLFU) \
    API("eviction", GetLFU) \
    API("misc", GetModuleOptionsAll) \
    API("misc", GetContextFlagsAll) \
    API("misc", GetKeyspaceNotificationFlagsAll) \
    API("misc", GetServerVersion) \
    API("misc", GetTypeMethodVersion) \
    NONE("misc", ModuleTypeReplaceValue, "lands with issue 8") \
    API("misc", GetCommandKeysWithFlags) \
    API("misc", GetCommandKeys) \
    API("misc", GetCurrentCommandName) \
    API("defrag", RegisterDefragFunc) \
    API("defrag", DefragShouldStop) \
    API("defrag", DefragCursorSet) \
    API("defrag", DefragCursorGet) \
    API("defrag", DefragAlloc) \
    API("defrag", DefragValkeyModuleString) \
    API("defrag", GetKeyNameFromDefragCtx) \
    API("defrag", GetDbIdFromDefragCtx) \
    API("module-info", SetModuleAttribs) \
    NONE("replies", ReplySetPushLength, "declared by the header but never registered by Valkey") \

// Implementations have C linkage; their exact types live in include/valkeymodule.h. Here
// only their addresses are needed, so each is declared as a plain function.
#define VMHOST_DECLARE(area, name) extern "C" void VM_##name(void);
#define VMHOST_SKIP(area, name, reason)
VMHOST_API_LIST(VMHOST_DECLARE, VMHOST_SKIP)

namespace vmhost {

#define VMHOST_ROW_API(area, name) {area, #name, reinterpret_cast<void *>(&VM_##name), nullptr},
#define VMHOST_ROW_NONE(area, name, reason) {area, #name, nullptr, reason},
const ApiRow kApiTable[] = {VMHOST_API_LIST(VMHOST_ROW_API, VMHOST_ROW_NONE)};
const size_t kApiTableSize = sizeof(kApiTable) / sizeof(kApiTable[0]);

namespace {
/** Both lookup names of every implemented API -> its address. Built on first use. */
const std::unordered_map<std::string, void *> &lookup() {
    static const std::unordered_map<std::string, void *> map = [] {
        std::unordered_map<std::string, void *> m;
        for (const ApiRow &row : kApiTable) {
            if (!row.fn) continue;
            m.emplace(std::string("ValkeyModule_") + row.name, row.fn);
            m.emplace(std::string("RedisModule_") + row.name, row.fn);
        }
        return m;
    }();
    return map;
}
}  // namespace

void *api_lookup(const char *name) {
    const auto &m = lookup();
    auto it = m.find(name);
    return it == m.end() ? nullptr : it->second;
}

/** GetApi: writes the implementation's address to *targetPtrPtr and returns OK, or returns
 *  ERR and leaves the target untouched for an unknown or unimplemented name. */
extern "C" int vmhost_get_api(const char *name, void *targetPtrPtr) {
    void *fn = name ? api_lookup(name) : nullptr;
    if (!fn) return VALKEYMODULE_ERR;
    *static_cast<void **>(targetPtrPtr) = fn;
    return VALKEYMODULE_OK;
}

}  // namespace vmhost
