// THE table: every API of the module API reference, by area, mapped to its
// implementation or to nothing (with the reason). GetApi answers from here, under both
// the "ValkeyModule_" and the "RedisModule_" name, and `vmhost apis` / engine.apiCoverage()
// count from here. Nothing else decides whether an API exists.
//
//   API(area, Name)           implemented by VM_Name (extern "C", native/api/<area>.cc)
//   NONE(area, Name, reason)  GetApi answers ERR, so the module's pointer stays NULL and
//                             RMAPI_FUNC_SUPPORTED(ValkeyModule_Name) is false
#include "table.h"

#include "../host/gil.h"

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
    API("commands", UpdateRuntimeArgs) \
    API("module-info", IsModuleNameBusy) \
    API("module-info", Milliseconds) \
    API("module-info", MonotonicMicroseconds) \
    API("module-info", Microseconds) \
    API("module-info", CachedMicroseconds) \
    API("module-info", BlockedClientMeasureTimeStart) \
    API("module-info", BlockedClientMeasureTimeEnd) \
    API("module-info", Yield) \
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
    API("keys", GetKeyNameFromOptCtx) \
    API("keys", GetToKeyNameFromOptCtx) \
    API("keys", GetDbIdFromOptCtx) \
    API("keys", GetToDbIdFromOptCtx) \
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
    API("call", CallReplyPromiseSetUnblockHandler) \
    API("call", CallReplyPromiseAbort) \
    API("call", CallReplyStringPtr) \
    API("call", CreateStringFromCallReply) \
    API("call", SetContextUser) \
    API("call", Call) \
    API("call", CallReplyProto) \
    API("datatypes", CreateDataType) \
    API("datatypes", ModuleTypeSetValue) \
    API("datatypes", ModuleTypeGetType) \
    API("datatypes", ModuleTypeGetValue) \
    API("rdb-io", IsIOError) \
    API("rdb-io", SaveUnsigned) \
    API("rdb-io", LoadUnsigned) \
    API("rdb-io", SaveSigned) \
    API("rdb-io", LoadSigned) \
    API("rdb-io", SaveString) \
    API("rdb-io", SaveStringBuffer) \
    API("rdb-io", LoadString) \
    API("rdb-io", LoadStringBuffer) \
    API("rdb-io", SaveDouble) \
    API("rdb-io", LoadDouble) \
    API("rdb-io", SaveFloat) \
    API("rdb-io", LoadFloat) \
    API("rdb-io", SaveLongDouble) \
    API("rdb-io", LoadLongDouble) \
    API("digest", DigestAddStringBuffer) \
    API("digest", DigestAddLongLong) \
    API("digest", DigestEndSequence) \
    API("digest", LoadDataTypeFromStringEncver) \
    API("digest", LoadDataTypeFromString) \
    API("digest", SaveDataTypeToString) \
    API("digest", GetKeyNameFromDigest) \
    API("digest", GetDbIdFromDigest) \
    API("aof", EmitAOF) \
    API("io-context", GetKeyNameFromIO) \
    API("io-context", GetKeyNameFromModuleKey) \
    API("io-context", GetDbIdFromModuleKey) \
    API("io-context", GetDbIdFromIO) \
    API("logging", Log) \
    API("logging", LogIOError) \
    API("logging", _Assert) \
    API("logging", LatencyAddSample) \
    API("blocking", RegisterAuthCallback) \
    API("blocking", BlockClient) \
    API("blocking", BlockClientOnAuth) \
    API("blocking", BlockClientGetPrivateData) \
    API("blocking", BlockClientSetPrivateData) \
    API("blocking", BlockClientOnKeys) \
    API("blocking", BlockClientOnKeysWithFlags) \
    API("blocking", SignalKeyAsReady) \
    API("blocking", UnblockClient) \
    API("blocking", AbortBlock) \
    API("blocking", SetDisconnectCallback) \
    API("blocking", IsBlockedReplyRequest) \
    API("blocking", IsBlockedTimeoutRequest) \
    API("blocking", GetBlockedClientPrivateData) \
    API("blocking", GetBlockedClientReadyKey) \
    API("blocking", GetBlockedClientHandle) \
    API("blocking", BlockedClientDisconnected) \
    API("thread-safe", GetThreadSafeContext) \
    API("thread-safe", GetDetachedThreadSafeContext) \
    API("thread-safe", FreeThreadSafeContext) \
    API("thread-safe", ThreadSafeContextLock) \
    API("thread-safe", ThreadSafeContextTryLock) \
    API("thread-safe", ThreadSafeContextUnlock) \
    API("notifications", SubscribeToKeyspaceEvents) \
    API("notifications", AddPostNotificationJob) \
    API("notifications", GetNotifyKeyspaceEvents) \
    API("notifications", NotifyKeyspaceEvent) \
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
    API("timers", CreateTimer) \
    API("timers", StopTimer) \
    API("timers", GetTimerInfo) \
    API("eventloop", EventLoopAdd) \
    API("eventloop", EventLoopDel) \
    API("eventloop", EventLoopAddOneShot) \
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
    API("fork", Fork) \
    API("fork", SendChildHeartbeat) \
    API("fork", ExitFromChild) \
    API("fork", KillForkChild) \
    API("server-events", SubscribeToServerEvent) \
    API("server-events", IsSubEventSupported) \
    API("configs", RegisterStringConfig) \
    API("configs", RegisterBoolConfig) \
    API("configs", RegisterEnumConfig) \
    API("configs", RegisterNumericConfig) \
    API("configs", LoadConfigs) \
    API("rdb", RdbStreamCreateFromFile) \
    API("rdb", RdbStreamFree) \
    API("rdb", RdbLoad) \
    API("rdb", RdbSave) \
    NONE("scripting", RegisterScriptingEngine, "no scripting engines: EVAL and FUNCTION have no engine a module could register with") \
    NONE("scripting", UnregisterScriptingEngine, "no scripting engines: EVAL and FUNCTION have no engine a module could register with") \
    NONE("scripting", GetFunctionExecutionState, "no scripting engines: EVAL and FUNCTION have no engine a module could register with") \
    API("eviction", SetLRU) \
    API("eviction", GetLRU) \
    API("eviction", SetLFU) \
    API("eviction", GetLFU) \
    API("misc", GetModuleOptionsAll) \
    API("misc", GetContextFlagsAll) \
    API("misc", GetKeyspaceNotificationFlagsAll) \
    API("misc", GetServerVersion) \
    API("misc", GetTypeMethodVersion) \
    API("misc", ModuleTypeReplaceValue) \
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
    // Module threads reach the engine through the trampolines of host/gil_api.cc.
    *static_cast<void **>(targetPtrPtr) = gil_wrap_api(name, fn);
    return VALKEYMODULE_OK;
}

}  // namespace vmhost
