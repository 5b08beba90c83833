// ValkeyModuleCallReply: the reply of a ValkeyModule_Call, as a tree read natively.
//
// The engine hands the reply back as RESP bytes (RESP2 or RESP3, whatever the call asked
// for); they are copied once into the root's buffer and parsed into nodes whose strings
// point into that buffer. Only the root (what Call returned) is freed; every node keeps the
// span of protocol it was parsed from (CallReplyProto, ReplyWithCallReply).
#pragma once
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <napi.h>

#include "../../include/valkeymodule.h"

namespace vmhost {
class Host;
struct Module;
struct CallPromise;
}

struct ValkeyModuleCallReply {
    int type = VALKEYMODULE_REPLY_UNKNOWN;
    uint32_t flags = 0;                  // vmhost::CR_* bits
    const char *proto = nullptr;         // this reply's protocol bytes (inside the root buffer)
    size_t protoLen = 0;
    size_t len = 0;                      // string/error bytes; array/set elements; map/attribute pairs
    const char *str = nullptr;           // string, error, big number or verbatim text
    const char *format = nullptr;        // verbatim format (3 bytes, not NUL-terminated)
    long long ll = 0;                    // integer, or boolean (0/1)
    double d = 0;                        // double
    ValkeyModuleCallReply *elements = nullptr;  // children (len, or 2 * len for map/attribute)
    size_t nelements = 0;
    ValkeyModuleCallReply *attribute = nullptr; // the RESP3 attribute that preceded it
    ValkeyModuleCallReply *root = nullptr;      // the reply Call returned
    // Root only:
    char *buffer = nullptr;              // copy of the protocol (allocated with the root node)
    ValkeyModuleCtx *ctx = nullptr;      // the AutoMemory context that tracks it (or null)
    std::vector<std::string> *errors = nullptr;  // error replies whose statistics are deferred
    vmhost::CallPromise *promise = nullptr;      // a PROMISE reply's shared state (Call with `K`)
};

namespace vmhost {

enum : uint32_t {
    CR_RESP3 = 1u << 0,  // this reply or one inside it is RESP3-only (ReplyWithCallReply to RESP2 fails)
};

/** Format modifier flags (Valkey's VALKEYMODULE_ARGV_* values; mirrored in call-bridge.ts). */
enum : int {
    ARGV_REPLICATE = 1 << 0,
    ARGV_NO_AOF = 1 << 1,
    ARGV_NO_REPLICAS = 1 << 2,
    ARGV_RESP_3 = 1 << 3,
    ARGV_RESP_AUTO = 1 << 4,
    ARGV_RUN_AS_USER = 1 << 5,
    ARGV_SCRIPT_MODE = 1 << 6,
    ARGV_NO_WRITES = 1 << 7,
    ARGV_CALL_REPLIES_AS_ERRORS = 1 << 8,
    ARGV_RESPECT_DENY_OOM = 1 << 9,
    ARGV_DRY_RUN = 1 << 10,
    ARGV_ALLOW_BLOCK = 1 << 11,
    ARGV_REPLY_EXACT = 1 << 12,
    CALL_THREAD_SAFE = 1 << 16,  // not a modifier: the calling context is thread-safe
};

/** Call bridge operations (mirrored in call-bridge.ts). */
enum CallOp {
    COP_CALL = 0,
    COP_REPLICATE = 1,
    COP_VERBATIM = 2,
    COP_COUNT_ERRORS = 3,
    COP_PROMISE_BIND = 5,   // (id, resolve function): where a promise's completion goes
    COP_PROMISE_ABORT = 6,  // (id) -> true when the blocked command was aborted
};

/**
 * What a PROMISE reply stands for: a command that Call (with `K`) left blocked on a fake
 * client. Shared by the reply object and the JS side (which reports the completion once);
 * freed when both let go, so the module may free the reply before the command completes.
 */
struct CallPromise {
    Host *host = nullptr;
    Module *module = nullptr;            // the calling module (the handler runs as it)
    double id = 0;                       // the bridge's promise id
    ValkeyModuleOnUnblocked handler = nullptr;
    void *privdata = nullptr;
    bool settled = false;                // completed or aborted: no handler call any more
    int refs = 2;                        // the reply object + the JS side
};

/** Drops one reference of a promise (frees it at zero). */
void callpromise_unref(CallPromise *p);

/** A command line built from a Call/Replicate format: byte ranges that stay valid while the
 *  CallArgs lives (numbers are rendered into `numbers`). */
struct CallArgs {
    using Arg = std::pair<const char *, size_t>;
    /** Appends one argument (the first kInline stay in the object: no allocation). */
    void push(const char *p, size_t n) {
        if (count_ < kInline) {
            inline_[count_] = Arg(p, n);
        } else {
            if (heap_.empty()) heap_.assign(inline_, inline_ + kInline);
            heap_.emplace_back(p, n);
        }
        count_++;
    }
    size_t size() const { return count_; }
    const Arg &operator[](size_t i) const { return count_ <= kInline ? inline_[i] : heap_[i]; }
    std::vector<std::string> numbers;  // reserved up front: never reallocated while args point in

private:
    static constexpr size_t kInline = 8;
    Arg inline_[kInline];
    std::vector<Arg> heap_;
    size_t count_ = 0;
};

/**
 * Builds argv from `cmdname` and the format (`c s b l v` take arguments; `! A R 3 0 C S W M
 * E D K X` are modifiers, collected in `flags`). Returns false on an unknown format character
 * (flags then hold the modifiers seen before it).
 */
bool callargs_from_format(const char *cmdname, const char *fmt, va_list ap, CallArgs &out, int &flags);

/** One call into the JS call bridge (host->callHook); undefined when there is no bridge or
 *  it failed (logged). */
Napi::Value call_bridge(Host *host, int op, const CallArgs &args, int flags, uint64_t clientId, int db, int resp);

/** Parses RESP bytes (copied) into a new root reply; `ctx` is the AutoMemory context to
 *  register with (null: none). */
ValkeyModuleCallReply *callreply_create(const char *bytes, size_t len, ValkeyModuleCtx *ctx);

/** A new root reply of type PROMISE for `p` (AutoMemory-registered like any reply). */
ValkeyModuleCallReply *callreply_create_promise(CallPromise *p, ValkeyModuleCtx *ctx);

/** One call into the JS call bridge with a value argument (COP_PROMISE_*): (op, 0, id, 0,
 *  0, value). Undefined when there is no bridge or it failed. */
Napi::Value call_bridge_value(Host *host, int op, double id, napi_value value);

/** Frees a root reply and everything in it (no-op for a nested reply). */
void callreply_free(ValkeyModuleCallReply *reply);

}  // namespace vmhost
