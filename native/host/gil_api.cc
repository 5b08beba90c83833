// GetApi's trampolines: API calls made on module threads run on the JS thread.
//
// Every API with a fixed parameter list gets a trampoline generated from its type in
// include/valkeymodule.h: on the JS thread it calls the implementation straight away; on
// any other thread it marshals the whole call (gil.h run_on_js) and waits, carrying errno
// back. APIs that are safe on any thread (memory, strings, replies into a context's tape,
// call-reply accessors, dicts, clocks, the lock itself, UnblockClient...) are handed out
// unwrapped. The variadic APIs that reach the engine (Call, Replicate, HashSet, HashGet,
// Log, LogIOError) have hand-written wrappers that collect their arguments first.
//
// This file includes the header in module mode (for the API pointer types only: the
// pointers are declared `extern` and never used).
#undef VALKEYMODULE_CORE
#define VALKEYMODULE_API extern
#include "../../include/valkeymodule.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "gil.h"

namespace vmhost {
namespace {

#define VMHOST_GIL_FIXED_APIS(X) \
    X(GetApi) X(Alloc) X(TryAlloc) X(Calloc) \
    X(TryCalloc) X(Realloc) X(TryRealloc) X(Free) \
    X(Strdup) X(PoolAlloc) X(IsKeysPositionRequest) X(KeyAtPosWithFlags) \
    X(KeyAtPos) X(IsChannelsPositionRequest) X(ChannelAtPosWithFlags) X(CreateCommand) \
    X(GetCommand) X(CreateSubcommand) X(AddACLCategory) X(SetCommandACLCategories) \
    X(SetCommandInfo) X(UpdateRuntimeArgs) X(IsModuleNameBusy) X(Milliseconds) \
    X(MonotonicMicroseconds) X(Microseconds) X(CachedMicroseconds) X(BlockedClientMeasureTimeStart) \
    X(BlockedClientMeasureTimeEnd) X(Yield) X(SetModuleOptions) X(SignalModifiedKey) \
    X(SetModuleAttribs) X(AutoMemory) X(CreateString) X(CreateStringFromLongLong) \
    X(CreateStringFromULongLong) X(CreateStringFromDouble) X(CreateStringFromLongDouble) X(CreateStringFromString) \
    X(CreateStringFromStreamID) X(FreeString) X(RetainString) X(HoldString) \
    X(StringPtrLen) X(StringToLongLong) X(StringToULongLong) X(StringToDouble) \
    X(StringToLongDouble) X(StringToStreamID) X(StringCompare) X(StringAppendBuffer) \
    X(TrimStringAllocation) X(WrongArity) X(ReplyWithLongLong) X(ReplyWithError) \
    X(ReplyWithSimpleString) X(ReplyWithArray) X(ReplyWithMap) X(ReplyWithSet) \
    X(ReplyWithAttribute) X(ReplyWithNullArray) X(ReplyWithEmptyArray) X(ReplySetArrayLength) \
    X(ReplySetMapLength) X(ReplySetSetLength) X(ReplySetAttributeLength) X(ReplyWithStringBuffer) \
    X(ReplyWithCString) X(ReplyWithString) X(ReplyWithEmptyString) X(ReplyWithVerbatimStringType) \
    X(ReplyWithVerbatimString) X(ReplyWithNull) X(ReplyWithBool) X(ReplyWithCallReply) \
    X(ReplyWithDouble) X(ReplyWithBigNumber) X(ReplyWithLongDouble) X(ReplySetPushLength) \
    X(ReplicateVerbatim) X(GetClientId) X(GetClientUserNameById) X(MustObeyClient) \
    X(GetClientInfoById) X(GetClientNameById) X(SetClientNameById) X(PublishMessage) \
    X(PublishMessageShard) X(GetSelectedDb) X(GetContextFlags) X(AvoidReplicaTraffic) \
    X(SelectDb) X(KeyExists) X(OpenKey) X(GetOpenKeyModesAll) \
    X(CloseKey) X(KeyType) X(ValueLength) X(DeleteKey) \
    X(UnlinkKey) X(GetExpire) X(SetExpire) X(GetAbsExpire) \
    X(SetAbsExpire) X(ResetDataset) X(DbSize) X(RandomKey) \
    X(GetKeyNameFromOptCtx) X(GetToKeyNameFromOptCtx) X(GetDbIdFromOptCtx) X(GetToDbIdFromOptCtx) \
    X(StringSet) X(StringDMA) X(StringTruncate) X(ListPush) \
    X(ListPop) X(ListGet) X(ListSet) X(ListInsert) \
    X(ListDelete) X(ZsetAdd) X(ZsetIncrby) X(ZsetRem) \
    X(ZsetScore) X(ZsetRangeStop) X(ZsetRangeEndReached) X(ZsetFirstInScoreRange) \
    X(ZsetLastInScoreRange) X(ZsetFirstInLexRange) X(ZsetLastInLexRange) X(ZsetRangeCurrentElement) \
    X(ZsetRangeNext) X(ZsetRangePrev) X(StreamAdd) X(StreamDelete) \
    X(StreamIteratorStart) X(StreamIteratorStop) X(StreamIteratorNextID) X(StreamIteratorNextField) \
    X(StreamIteratorDelete) X(StreamTrimByLength) X(StreamTrimByID) X(FreeCallReply) \
    X(CallReplyType) X(CallReplyLength) X(CallReplyArrayElement) X(CallReplyInteger) \
    X(CallReplyDouble) X(CallReplyBigNumber) X(CallReplyVerbatim) X(CallReplyBool) \
    X(CallReplySetElement) X(CallReplyMapElement) X(CallReplyAttribute) X(CallReplyAttributeElement) \
    X(CallReplyPromiseSetUnblockHandler) X(CallReplyPromiseAbort) X(CallReplyStringPtr) X(CreateStringFromCallReply) \
    X(SetContextUser) X(CallReplyProto) X(CreateDataType) X(ModuleTypeSetValue) \
    X(ModuleTypeGetType) X(ModuleTypeGetValue) X(IsIOError) X(SaveUnsigned) \
    X(LoadUnsigned) X(SaveSigned) X(LoadSigned) X(SaveString) \
    X(SaveStringBuffer) X(LoadString) X(LoadStringBuffer) X(SaveDouble) \
    X(LoadDouble) X(SaveFloat) X(LoadFloat) X(SaveLongDouble) \
    X(LoadLongDouble) X(DigestAddStringBuffer) X(DigestAddLongLong) X(DigestEndSequence) \
    X(LoadDataTypeFromStringEncver) X(LoadDataTypeFromString) X(SaveDataTypeToString) X(GetKeyNameFromDigest) \
    X(GetDbIdFromDigest) X(GetKeyNameFromIO) X(GetKeyNameFromModuleKey) X(GetDbIdFromModuleKey) \
    X(GetDbIdFromIO) X(_Assert) X(LatencyAddSample) X(RegisterAuthCallback) \
    X(BlockClient) X(BlockClientOnAuth) X(BlockClientGetPrivateData) X(BlockClientSetPrivateData) \
    X(BlockClientOnKeys) X(BlockClientOnKeysWithFlags) X(SignalKeyAsReady) X(UnblockClient) \
    X(AbortBlock) X(SetDisconnectCallback) X(IsBlockedReplyRequest) X(IsBlockedTimeoutRequest) \
    X(GetBlockedClientPrivateData) X(GetBlockedClientReadyKey) X(GetBlockedClientHandle) X(BlockedClientDisconnected) \
    X(GetThreadSafeContext) X(GetDetachedThreadSafeContext) X(FreeThreadSafeContext) X(ThreadSafeContextLock) \
    X(ThreadSafeContextTryLock) X(ThreadSafeContextUnlock) X(SubscribeToKeyspaceEvents) X(AddPostNotificationJob) \
    X(GetNotifyKeyspaceEvents) X(NotifyKeyspaceEvent) X(RegisterClusterMessageReceiver) X(SendClusterMessage) \
    X(GetClusterNodesList) X(FreeClusterNodesList) X(GetMyClusterID) X(GetClusterSize) \
    X(GetClusterNodeInfo) X(GetClusterNodeInfoForClient) X(SetClusterFlags) X(ClusterKeySlot) \
    X(ClusterCanonicalKeyNameInSlot) X(CreateTimer) X(StopTimer) X(GetTimerInfo) \
    X(EventLoopAdd) X(EventLoopDel) X(EventLoopAddOneShot) X(CreateModuleUser) \
    X(FreeModuleUser) X(SetModuleUserACL) X(SetModuleUserACLString) X(GetModuleUserACLString) \
    X(GetCurrentUserName) X(GetModuleUserFromUserName) X(ACLCheckCommandPermissions) X(ACLCheckKeyPermissions) \
    X(ACLCheckChannelPermissions) X(ACLAddLogEntry) X(ACLAddLogEntryByUserName) X(AuthenticateClientWithUser) \
    X(AuthenticateClientWithACLUser) X(DeauthenticateAndCloseClient) X(RedactClientCommandArgument) X(GetClientCertificate) \
    X(CreateDict) X(FreeDict) X(DictSize) X(DictSetC) \
    X(DictReplaceC) X(DictSet) X(DictReplace) X(DictGetC) \
    X(DictGet) X(DictDelC) X(DictDel) X(DictIteratorStartC) \
    X(DictIteratorStart) X(DictIteratorStop) X(DictIteratorReseekC) X(DictIteratorReseek) \
    X(DictNextC) X(DictPrevC) X(DictNext) X(DictPrev) \
    X(DictCompareC) X(DictCompare) X(InfoAddSection) X(InfoBeginDictField) \
    X(InfoEndDictField) X(InfoAddFieldString) X(InfoAddFieldCString) X(InfoAddFieldDouble) \
    X(InfoAddFieldLongLong) X(InfoAddFieldULongLong) X(RegisterInfoFunc) X(GetServerInfo) \
    X(FreeServerInfo) X(ServerInfoGetField) X(ServerInfoGetFieldC) X(ServerInfoGetFieldSigned) \
    X(ServerInfoGetFieldUnsigned) X(ServerInfoGetFieldDouble) X(GetRandomBytes) X(GetRandomHexChars) \
    X(ExportSharedAPI) X(GetSharedAPI) X(RegisterCommandFilter) X(UnregisterCommandFilter) \
    X(CommandFilterArgsCount) X(CommandFilterArgGet) X(CommandFilterArgInsert) X(CommandFilterArgReplace) \
    X(CommandFilterArgDelete) X(CommandFilterGetClientId) X(MallocSize) X(MallocUsableSize) \
    X(MallocSizeString) X(MallocSizeDict) X(GetUsedMemoryRatio) X(ScanCursorCreate) \
    X(ScanCursorRestart) X(ScanCursorDestroy) X(Scan) X(ScanKey) \
    X(Fork) X(SendChildHeartbeat) X(ExitFromChild) X(KillForkChild) \
    X(SubscribeToServerEvent) X(IsSubEventSupported) X(RegisterStringConfig) X(RegisterBoolConfig) \
    X(RegisterEnumConfig) X(RegisterNumericConfig) X(LoadConfigs) X(RdbStreamCreateFromFile) \
    X(RdbStreamFree) X(RdbLoad) X(RdbSave) X(RegisterScriptingEngine) \
    X(UnregisterScriptingEngine) X(GetFunctionExecutionState) X(SetLRU) X(GetLRU) \
    X(SetLFU) X(GetLFU) X(GetModuleOptionsAll) X(GetContextFlagsAll) \
    X(GetKeyspaceNotificationFlagsAll) X(GetServerVersion) X(GetTypeMethodVersion) X(ModuleTypeReplaceValue) \
    X(GetCommandKeysWithFlags) X(GetCommandKeys) X(GetCurrentCommandName) X(RegisterDefragFunc) \
    X(DefragShouldStop) X(DefragCursorSet) X(DefragCursorGet) X(DefragAlloc) \
    X(DefragValkeyModuleString) X(GetKeyNameFromDefragCtx) X(GetDbIdFromDefragCtx) \

// Index of each fixed-parameter API in g_impl.
enum ApiIndex {
#define VMHOST_GIL_ENUM(n) IDX_##n,
    VMHOST_GIL_FIXED_APIS(VMHOST_GIL_ENUM)
#undef VMHOST_GIL_ENUM
    IDX_COUNT
};

/** The implementations the trampolines call (filled in by gil_wrap_api). */
void *g_impl[IDX_COUNT];

// The engine a call is for, from its first argument when that is a context or a key.
inline Host *host_hint(ValkeyModuleCtx *c) { return gil_host_of_ctx(c); }
inline Host *host_hint(ValkeyModuleKey *k) { return gil_host_of_key(k); }
template <typename T>
inline Host *host_hint(T) { return nullptr; }
inline Host *first_host() { return nullptr; }
template <typename A0, typename... Rest>
inline Host *first_host(A0 a0, Rest...) { return host_hint(a0); }

template <typename Sig>
struct Tramp;

template <typename R, typename... A>
struct Tramp<R (*)(A...)> {
    template <int I>
    static R call(A... a) {
        auto impl = reinterpret_cast<R (*)(A...)>(g_impl[I]);
        if (on_js_thread()) return impl(a...);
        int err = 0;
        if constexpr (std::is_void_v<R>) {
            run_on_js_fn(first_host(a...), [&] {
                errno = 0;
                impl(a...);
                err = errno;
            });
            if (err) errno = err;
        } else {
            R r{};
            run_on_js_fn(first_host(a...), [&] {
                errno = 0;
                r = impl(a...);
                err = errno;
            });
            if (err) errno = err;
            return r;
        }
    }
};

// ---------------------------------------------------------------------------------------
// Variadic APIs: their extra arguments are collected (all are pointer / integer sized) and
// passed on to the implementation, on the JS thread, with a call of the right arity.
// ---------------------------------------------------------------------------------------

constexpr size_t kMaxExtra = 96;  // extra arguments a forwarded variadic call may carry

template <typename R, typename P1, typename P2, typename P3, size_t... Is>
R call_with(void *fn, P1 a, P2 b, P3 c, const uint64_t *x, std::index_sequence<Is...>) {
    return reinterpret_cast<R (*)(P1, P2, P3, ...)>(fn)(a, b, c, x[Is]...);
}

template <typename R, typename P1, typename P2, typename P3, size_t... Ns>
R call_n(void *fn, P1 a, P2 b, P3 c, const uint64_t *x, size_t n, std::index_sequence<Ns...>) {
    using Fn = R (*)(void *, P1, P2, P3, const uint64_t *);
    static const Fn table[] = {
        [](void *f, P1 a1, P2 b1, P3 c1, const uint64_t *x1) {
            return call_with<R, P1, P2, P3>(f, a1, b1, c1, x1, std::make_index_sequence<Ns>());
        }...};
    return table[n](fn, a, b, c, x);
}

template <typename R, typename P1, typename P2, typename P3>
R forward(void *fn, P1 a, P2 b, P3 c, const uint64_t *x, size_t n) {
    return call_n<R, P1, P2, P3>(fn, a, b, c, x, n, std::make_index_sequence<kMaxExtra + 1>());
}

/** Collects the arguments a Call / Replicate format string consumes; false when too many. */
bool collect_format(const char *fmt, va_list ap, uint64_t *x, size_t &n) {
    n = 0;
    for (const char *p = fmt; p && *p; p++) {
        int take = 0;
        switch (*p) {
            case 'c': case 's': case 'l': take = 1; break;
            case 'b': case 'v': take = 2; break;
            default: break;
        }
        for (int i = 0; i < take; i++) {
            if (n == kMaxExtra) return false;
            x[n++] = va_arg(ap, uint64_t);
        }
    }
    return true;
}

/** Collects HashSet/HashGet's (field, value) pairs up to the NULL field; false when too many. */
bool collect_pairs(va_list ap, uint64_t *x, size_t &n) {
    n = 0;
    for (;;) {
        if (n + 1 > kMaxExtra) return false;
        uint64_t field = va_arg(ap, uint64_t);
        x[n++] = field;
        if (field == 0) return true;
        if (n + 1 > kMaxExtra) return false;
        x[n++] = va_arg(ap, uint64_t);
    }
}

void *g_call, *g_replicate, *g_hashset, *g_hashget, *g_log, *g_logioerror;

/** Runs `f` on the JS thread (directly when already there), carrying errno back. */
template <typename F>
void on_js_with_errno(Host *h, F &&f) {
    if (on_js_thread()) {
        f();
        return;
    }
    int err = 0;
    run_on_js_fn(h, [&] {
        errno = 0;
        f();
        err = errno;
    });
    if (err) errno = err;
}

ValkeyModuleCallReply *call_tramp(ValkeyModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    uint64_t x[kMaxExtra];
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    bool ok = collect_format(fmt, ap, x, n);
    va_end(ap);
    if (!ok) {
        errno = EINVAL;
        return nullptr;
    }
    ValkeyModuleCallReply *r = nullptr;
    on_js_with_errno(gil_host_of_ctx(ctx), [&] {
        r = forward<ValkeyModuleCallReply *>(g_call, ctx, cmdname, fmt, x, n);
    });
    return r;
}

int replicate_tramp(ValkeyModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    uint64_t x[kMaxExtra];
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    bool ok = collect_format(fmt, ap, x, n);
    va_end(ap);
    if (!ok) return VALKEYMODULE_ERR;
    int r = VALKEYMODULE_ERR;
    on_js_with_errno(gil_host_of_ctx(ctx), [&] { r = forward<int>(g_replicate, ctx, cmdname, fmt, x, n); });
    return r;
}

/** HashSet / HashGet: (key, flags, field, value-or-out, ..., NULL). */
int hash_forward(void *impl, ValkeyModuleKey *key, int flags, va_list ap) {
    uint64_t x[kMaxExtra + 1];
    size_t n;
    if (!collect_pairs(ap, x + 1, n)) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    // The first pair's field is a fixed parameter of the forwarded call.
    void *first = reinterpret_cast<void *>(static_cast<uintptr_t>(x[1]));
    int r = VALKEYMODULE_ERR;
    on_js_with_errno(gil_host_of_key(key), [&] { r = forward<int>(impl, key, flags, first, x + 2, n - 1); });
    return r;
}

/** The HashSet (Impl = &g_hashset) and HashGet (&g_hashget) trampolines. */
template <void **Impl>
int hash_tramp(ValkeyModuleKey *key, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    int r = hash_forward(*Impl, key, flags, ap);
    va_end(ap);
    return r;
}

/** Formats a printf-style message (any length). */
std::string vformat(const char *fmt, va_list ap) {
    char buf[512];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(buf, sizeof(buf), fmt, copy);
    va_end(copy);
    if (n < 0) return std::string();
    if (static_cast<size_t>(n) < sizeof(buf)) return std::string(buf, n);
    std::string big(static_cast<size_t>(n), '\0');
    vsnprintf(&big[0], big.size() + 1, fmt, ap);
    return big;
}

void log_tramp(ValkeyModuleCtx *ctx, const char *level, const char *fmt, ...) {
    if (!fmt) return;
    va_list ap;
    va_start(ap, fmt);
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    auto impl = reinterpret_cast<void (*)(ValkeyModuleCtx *, const char *, const char *, ...)>(g_log);
    if (on_js_thread()) {
        impl(ctx, level, "%s", msg.c_str());
        return;
    }
    // Logging never waits for the JS thread (which may be waiting for this thread).
    gil_post_log(g_log, ctx, level, msg.c_str());
}

void *g_get_ts_ctx, *g_get_detached_ts_ctx, *g_free_ts_ctx;

/** Makes a thread-safe context without the engine (any thread may, lock or not). */
ValkeyModuleCtx *get_ts_ctx_tramp(ValkeyModuleBlockedClient *bc) {
    auto impl = reinterpret_cast<ValkeyModuleCtx *(*)(ValkeyModuleBlockedClient *)>(g_get_ts_ctx);
    ValkeyModuleCtx *ctx = impl(bc);
    if (!on_js_thread()) gil_ts_ctx_fix_host(ctx);
    return ctx;
}

ValkeyModuleCtx *get_detached_ts_ctx_tramp(ValkeyModuleCtx *parent) {
    auto impl = reinterpret_cast<ValkeyModuleCtx *(*)(ValkeyModuleCtx *)>(g_get_detached_ts_ctx);
    ValkeyModuleCtx *ctx = impl(parent);
    if (!on_js_thread()) gil_ts_ctx_fix_host(ctx);
    return ctx;
}

/** Frees a thread-safe context on the calling thread unless closing its keys needs the engine. */
void free_ts_ctx_tramp(ValkeyModuleCtx *ctx) {
    auto impl = reinterpret_cast<void (*)(ValkeyModuleCtx *)>(g_free_ts_ctx);
    if (on_js_thread() || !gil_ctx_needs_js(ctx)) {
        impl(ctx);
        return;
    }
    run_on_js_fn(gil_host_of_ctx(ctx), [&] { impl(ctx); });
}

void logioerror_tramp(ValkeyModuleIO *io, const char *level, const char *fmt, ...) {
    if (!fmt) return;
    va_list ap;
    va_start(ap, fmt);
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    auto impl = reinterpret_cast<void (*)(ValkeyModuleIO *, const char *, const char *, ...)>(g_logioerror);
    on_js_with_errno(nullptr, [&] { impl(io, level, "%s", msg.c_str()); });
}

/** APIs handed out unwrapped: safe on any thread (native state only, or thread-safe by
 *  contract), or only valid inside callbacks that run on the JS thread anyway. */
const std::unordered_set<std::string> &direct_apis() {
    static const std::unordered_set<std::string> s = {
        // memory
        "Alloc", "TryAlloc", "Calloc", "TryCalloc", "Realloc", "TryRealloc", "Free", "Strdup", "PoolAlloc",
        "MallocSize", "MallocUsableSize", "MallocSizeString", "MallocSizeDict",
        // strings
        "CreateString", "CreateStringPrintf", "CreateStringFromLongLong", "CreateStringFromULongLong",
        "CreateStringFromDouble", "CreateStringFromLongDouble", "CreateStringFromString",
        "CreateStringFromStreamID", "FreeString", "RetainString", "HoldString", "StringPtrLen",
        "StringToLongLong", "StringToULongLong", "StringToDouble", "StringToLongDouble", "StringToStreamID",
        "StringCompare", "StringAppendBuffer", "TrimStringAllocation",
        // replies into a context's tape (a blocked client's thread-safe context needs no lock)
        "WrongArity", "ReplyWithLongLong", "ReplyWithError", "ReplyWithErrorFormat", "ReplyWithSimpleString",
        "ReplyWithArray", "ReplyWithMap", "ReplyWithSet", "ReplyWithAttribute", "ReplyWithNullArray",
        "ReplyWithEmptyArray", "ReplySetArrayLength", "ReplySetMapLength", "ReplySetSetLength",
        "ReplySetAttributeLength", "ReplySetPushLength", "ReplyWithStringBuffer", "ReplyWithCString",
        "ReplyWithString", "ReplyWithEmptyString", "ReplyWithVerbatimStringType", "ReplyWithVerbatimString",
        "ReplyWithNull", "ReplyWithBool", "ReplyWithDouble", "ReplyWithBigNumber", "ReplyWithLongDouble",
        // call replies (native copies)
        "FreeCallReply", "CallReplyType", "CallReplyLength", "CallReplyArrayElement", "CallReplyInteger",
        "CallReplyDouble", "CallReplyBigNumber", "CallReplyVerbatim", "CallReplyBool", "CallReplySetElement",
        "CallReplyMapElement", "CallReplyAttribute", "CallReplyAttributeElement", "CallReplyStringPtr",
        "CreateStringFromCallReply", "CallReplyProto",
        // dicts
        "CreateDict", "FreeDict", "DictSize", "DictSetC", "DictReplaceC", "DictSet", "DictReplace", "DictGetC",
        "DictGet", "DictDelC", "DictDel", "DictIteratorStartC", "DictIteratorStart", "DictIteratorStop",
        "DictIteratorReseekC", "DictIteratorReseek", "DictNextC", "DictPrevC", "DictNext", "DictPrev",
        "DictCompareC", "DictCompare",
        // clocks, constants, randomness
        "AutoMemory", "Milliseconds", "MonotonicMicroseconds", "Microseconds", "CachedMicroseconds",
        "GetRandomBytes", "GetRandomHexChars", "GetModuleOptionsAll", "GetContextFlagsAll",
        "GetKeyspaceNotificationFlagsAll", "GetServerVersion", "GetTypeMethodVersion", "GetOpenKeyModesAll",
        // the lock itself, and what is thread-safe by contract
        "ThreadSafeContextLock", "ThreadSafeContextTryLock", "ThreadSafeContextUnlock", "UnblockClient",
        "AbortBlock", "BlockedClientMeasureTimeStart", "BlockedClientMeasureTimeEnd", "EventLoopAddOneShot",
        // RDB / digest / AOF-rewrite IO: only valid inside type callbacks (JS thread)
        "IsIOError", "SaveUnsigned", "LoadUnsigned", "SaveSigned", "LoadSigned", "SaveString",
        "SaveStringBuffer", "LoadString", "LoadStringBuffer", "SaveDouble", "LoadDouble", "SaveFloat",
        "LoadFloat", "SaveLongDouble", "LoadLongDouble", "DigestAddStringBuffer", "DigestAddLongLong",
        "DigestEndSequence", "EmitAOF",
    };
    return s;
}

struct Entry {
    int index;        // into g_impl, -1 for the variadic wrappers
    void *tramp;
    void **slot;      // variadic wrappers: where the implementation goes
};

const std::unordered_map<std::string, Entry> &trampolines() {
    static const std::unordered_map<std::string, Entry> m = [] {
        std::unordered_map<std::string, Entry> t;
#define VMHOST_GIL_ENTRY(n) \
    t.emplace(#n, Entry{IDX_##n, reinterpret_cast<void *>(&Tramp<decltype(ValkeyModule_##n)>::template call<IDX_##n>), nullptr});
        VMHOST_GIL_FIXED_APIS(VMHOST_GIL_ENTRY)
#undef VMHOST_GIL_ENTRY
        t.emplace("Call", Entry{-1, reinterpret_cast<void *>(&call_tramp), &g_call});
        t.emplace("Replicate", Entry{-1, reinterpret_cast<void *>(&replicate_tramp), &g_replicate});
        t.emplace("HashSet", Entry{-1, reinterpret_cast<void *>(&hash_tramp<&g_hashset>), &g_hashset});
        t.emplace("HashGet", Entry{-1, reinterpret_cast<void *>(&hash_tramp<&g_hashget>), &g_hashget});
        t.emplace("Log", Entry{-1, reinterpret_cast<void *>(&log_tramp), &g_log});
        t.emplace("LogIOError", Entry{-1, reinterpret_cast<void *>(&logioerror_tramp), &g_logioerror});
        t["GetThreadSafeContext"] = Entry{-1, reinterpret_cast<void *>(&get_ts_ctx_tramp), &g_get_ts_ctx};
        t["GetDetachedThreadSafeContext"] =
            Entry{-1, reinterpret_cast<void *>(&get_detached_ts_ctx_tramp), &g_get_detached_ts_ctx};
        t["FreeThreadSafeContext"] = Entry{-1, reinterpret_cast<void *>(&free_ts_ctx_tramp), &g_free_ts_ctx};
        return t;
    }();
    return m;
}

}  // namespace

void *gil_wrap_api(const char *name, void *fn) {
    if (!name || !fn) return fn;
    const char *bare = name;
    if (strncmp(name, "ValkeyModule_", 13) == 0)
        bare = name + 13;
    else if (strncmp(name, "RedisModule_", 12) == 0)
        bare = name + 12;
    std::string key(bare);
    if (direct_apis().count(key)) return fn;
    const auto &t = trampolines();
    auto it = t.find(key);
    if (it == t.end()) return fn;
    const Entry &e = it->second;
    if (e.index >= 0)
        g_impl[e.index] = fn;
    else
        *e.slot = fn;
    return e.tramp;
}

}  // namespace vmhost
