// ValkeyModuleCtx: the context every module callback receives.
//
// Its first machine word is the GetApi function pointer: the header's inline
// ValkeyModule_Init reads ((void **)ctx)[0], so every context we create starts with it.
// The rest is private to the host.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../../include/valkeymodule.h"
#include "tape.h"

namespace vmhost {

struct Module;
class Host;

/** What a context may carry for a client (the connection a command runs for). */
struct ClientState {
    uint64_t id = 0;      // 0: no client
    int resp = 2;         // 2 or 3
    int db = 0;           // selected database
    uint32_t jsFlags = 0; // VALKEYMODULE_CTX_FLAGS_* the engine computed for this client
};

/** Context flag bits (private). */
enum : uint32_t {
    CTX_AUTO_MEMORY = 1u << 0,
    CTX_KEYS_POS_REQUEST = 1u << 1,
    CTX_CHANNELS_POS_REQUEST = 1u << 2,
    CTX_THREAD_SAFE = 1u << 3,
    CTX_BLOCKED_REPLY = 1u << 4,
    CTX_BLOCKED_TIMEOUT = 1u << 5,
    CTX_ON_LOAD = 1u << 6,       // inside OnLoad: registration APIs are allowed
    CTX_COMMAND = 1u << 7,       // inside a command callback
    CTX_BLOCKED_DISCONNECTED = 1u << 8,  // free_privdata of a handle whose client left (BlockedClientDisconnected)
    CTX_MODULE_AUTH = 1u << 14,  // an auth callback or auth reply callback (api/auth.cc)
};

/** Kinds of objects AutoMemory releases when the callback returns. */
enum class AutoKind : uint8_t { String, Key, CallReply, Dict, ServerInfo };

struct AutoEntry {
    AutoKind kind;
    void *ptr;
};

/** One position collected in a keys/channels position request. */
struct KeyPos {
    int pos;
    int flags;
};

}  // namespace vmhost

struct ValkeyModuleCtx {
    void *getapifuncptr;                 // MUST be first: read by ValkeyModule_Init
    vmhost::Module *module = nullptr;    // set by SetModuleAttribs during OnLoad
    vmhost::Host *host = nullptr;
    uint32_t flags = 0;                  // vmhost::CTX_*
    vmhost::ClientState client;          // the client the callback runs for (id 0: none)
    vmhost::ReplyTape *tape = nullptr;   // where Reply* go; nullptr: replies are dropped
    struct ValkeyModuleCommand *command = nullptr;  // the running command, if any
    std::vector<vmhost::AutoEntry> autoMemory;
    void *pool = nullptr;                // PoolAlloc blocks (freed at the end of the callback)
    std::vector<vmhost::KeyPos> *positions = nullptr;  // keys/channels position request result
    int argc = 0;
    ValkeyModuleString **argv = nullptr;
    const ValkeyModuleUser *user = nullptr;  // SetContextUser: the `C` user of Call (else the client's)
    // Blocked-client callbacks and thread-safe contexts (host/blocked.h)
    struct ValkeyModuleBlockedClient *blocked = nullptr;  // GetBlockedClientHandle / the bc a TS ctx is bound to
    void *blockedPrivdata = nullptr;                      // GetBlockedClientPrivateData
    ValkeyModuleString *blockedReadyKey = nullptr;        // GetBlockedClientReadyKey
};

namespace vmhost {

/** Prepares a context on the stack (or heap) for a callback of `module` on `host`. */
void ctx_init(ValkeyModuleCtx *ctx, Host *host, Module *module, uint32_t flags);
/** Ends the callback: releases AutoMemory objects and the pool, closes postponed replies
 *  left open (logging Valkey's API-misuse warning). The context can then be discarded. */
void ctx_finish(ValkeyModuleCtx *ctx);
/** Registers an object for AutoMemory release (no-op unless CTX_AUTO_MEMORY is set). */
void ctx_auto_add(ValkeyModuleCtx *ctx, AutoKind kind, void *ptr);
/** Forgets an object the module freed explicitly (no-op when absent). */
void ctx_auto_forget(ValkeyModuleCtx *ctx, AutoKind kind, void *ptr);

/** The GetApi function every context's first word points to. */
extern "C" int vmhost_get_api(const char *name, void *targetPtrPtr);

}  // namespace vmhost
