// The host: one per Engine. Owns the loaded modules, their commands and the reply tape
// the TypeScript side reads. Everything here runs on the JS thread.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "../../include/valkeymodule.h"
#include "context.h"
#include "tape.h"
#include "vmstring.h"

namespace vmhost {

class Host;

/** A loaded (or loading) module. */
struct Module {
    std::string name;
    int ver = 0;
    int apiver = 0;
    void *handle = nullptr;                   // dlopen handle
    std::string path;                         // the path MODULE LOAD was given
    std::vector<ValkeyModuleString *> args;   // OnLoad argv, kept (with a reference) for MODULE LIST
    uint64_t options = 0;                     // VALKEYMODULE_OPTIONS_*
    std::vector<struct ValkeyModuleCommand *> commands;  // top-level commands, registration order
    std::vector<std::string> aclCategories;   // categories added with AddACLCategory
    bool onLoad = false;                      // true while OnLoad runs
    Host *host = nullptr;
    std::vector<Module *> usingApisOf;        // exporters whose shared APIs this module got
    std::vector<Module *> apiUsers;           // modules that got one of this module's shared APIs
    int inCall = 0;                           // ValkeyModule_Calls of this module now running (NOSELF filters)
    int blockedClients = 0;                   // live ValkeyModuleBlockedClient handles (unload refusal)
};

/** Shared APIs (api/shared.cc): whether other modules use an API `m` exports, and the
 *  cleanup of `m`'s exports and uses when it goes away. */
bool shared_api_in_use(const Module *m);
void shared_api_forget(Module *m);

/** One key spec of a module command, as SetCommandInfo gave it (or as CreateCommand's
 *  firstkey/lastkey/keystep triple implies). An omitted find_keys (FK_OMITTED) is stored as
 *  the range {lastkey 0, keystep 1, limit 0} it stands for, as Valkey does. */
struct CommandKeySpec {
    std::optional<std::string> notes;
    uint64_t flags = 0;          // VALKEYMODULE_CMD_KEY_* bits
    int bsType = VALKEYMODULE_KSPEC_BS_UNKNOWN;   // VALKEYMODULE_KSPEC_BS_UNKNOWN/INDEX/KEYWORD
    int bsIndex = 0;             // BS_INDEX: argv index of the search start
    std::string bsKeyword;       // BS_KEYWORD: the token keys follow
    int bsStartfrom = 0;         // BS_KEYWORD: where the search starts (negative: from the end, backwards)
    int fkType = VALKEYMODULE_KSPEC_FK_UNKNOWN;   // VALKEYMODULE_KSPEC_FK_UNKNOWN/RANGE/KEYNUM
    int fkLastkey = 0, fkKeystep = 0, fkLimit = 0;       // FK_RANGE
    int fkKeynumidx = 0, fkFirstkey = 0;                 // FK_KEYNUM (with fkKeystep)
};

/** One argument of a module command (SetCommandInfo), with its sub-arguments. */
struct CommandArg {
    std::string name;
    int type = VALKEYMODULE_ARG_TYPE_STRING;  // VALKEYMODULE_ARG_TYPE_*
    int keySpecIndex = -1;                    // only for KEY arguments, -1 otherwise
    std::optional<std::string> token, summary, since, deprecatedSince, displayText;
    int flags = 0;                            // VALKEYMODULE_CMD_ARG_*
    std::vector<CommandArg> subargs;          // ONEOF / BLOCK only
};

}  // namespace vmhost

/** A module command (top level or subcommand). */
struct ValkeyModuleCommand {
    vmhost::Module *module = nullptr;
    std::string name;          // as registered (case kept), e.g. "subcmd"
    std::string fullname;      // "parent|sub" or "cmd" as registered (case kept): errors, GetCurrentCommandName
    ValkeyModuleCmdFunc func = nullptr;  // nullptr for a container command
    int arity = -1;            // -1 (-2 for containers and subcommands) unless SetCommandInfo gave one
    uint64_t flags = 0;        // vmhost::CMD_* bits
    int firstkey = 0, lastkey = 0, keystep = 0;  // as CreateCommand got them (COMMAND INFO: see command_meta.h)
    ValkeyModuleCommand *parent = nullptr;
    std::vector<ValkeyModuleCommand *> subcommands;
    uint32_t id = 0;           // index in Host::commands_, the id TypeScript dispatches with
    // SetCommandInfo data (native/api/commands.cc); an unset optional / false flag = not given
    std::optional<std::string> summary, complexity, since;
    bool hasHistory = false;
    std::vector<std::pair<std::string, std::string>> history;  // (since, changes)
    bool hasTips = false;
    std::vector<std::string> tips;     // the tips string split at each space
    bool hasArgs = false;
    std::vector<vmhost::CommandArg> args;
    // Key specs: the legacy one from CreateCommand's triple (when firstkey != 0), replaced
    // wholesale by SetCommandInfo's key_specs when it has some.
    std::vector<vmhost::CommandKeySpec> keySpecs;
    // SetCommandACLCategories: category names (canonical spelling), in category-table order
    std::vector<std::string> aclCategories;
};

namespace vmhost {

/** Command flag bits, one per CreateCommand strflags word (order of Valkey's list). */
enum : uint64_t {
    CMD_WRITE = 1ull << 0,
    CMD_READONLY = 1ull << 1,
    CMD_ADMIN = 1ull << 2,
    CMD_DENY_OOM = 1ull << 3,
    CMD_DENY_SCRIPT = 1ull << 4,
    CMD_ALLOW_LOADING = 1ull << 5,
    CMD_PUBSUB = 1ull << 6,
    CMD_RANDOM = 1ull << 7,
    CMD_BLOCKING = 1ull << 8,
    CMD_ALLOW_STALE = 1ull << 9,
    CMD_NO_MONITOR = 1ull << 10,
    CMD_NO_SLOWLOG = 1ull << 11,
    CMD_FAST = 1ull << 12,
    CMD_NO_AUTH = 1ull << 13,
    CMD_MAY_REPLICATE = 1ull << 14,
    CMD_GETKEYS_API = 1ull << 15,
    CMD_GETCHANNELS_API = 1ull << 16,
    CMD_NO_CLUSTER = 1ull << 17,
    CMD_NO_MANDATORY_KEYS = 1ull << 18,
    CMD_ALLOW_BUSY = 1ull << 19,
};

/** Valkey log levels (LL_*). */
enum LogLevel { LL_DEBUG = 0, LL_VERBOSE = 1, LL_NOTICE = 2, LL_WARNING = 3 };

class Host {
public:
    explicit Host(Napi::Env env);
    ~Host();

    /** Writes a line to the engine's log (through the JS log hook), Valkey-style. */
    void log(int level, const std::string &msg);
    void logf(int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

    /** Looks a loaded module up by name (case-insensitive, as Valkey); nullptr when absent. */
    Module *findModule(const std::string &name) const;
    /** True when a core or module command (full name, any case) already exists. */
    bool commandExists(const std::string &fullname);
    /** Adds a command to the dispatch vector and returns its id. */
    uint32_t addCommand(ValkeyModuleCommand *cmd);
    /** Removes (and frees) a command and its subcommands from the dispatch vector. */
    void removeCommand(ValkeyModuleCommand *cmd);
    ValkeyModuleCommand *command(uint32_t id) const { return id < commands_.size() ? commands_[id] : nullptr; }

    std::vector<Module *> modules;        // loaded modules, load order
    Module *loading = nullptr;            // the module whose OnLoad is running
    ReplyTape tape;                       // the tape TypeScript reads after each command
    uint32_t serverFlags = 0;             // VALKEYMODULE_CTX_FLAGS_* that hold for every context
    int verbosity = LL_NOTICE;            // log lines below this level are dropped

    // JS hooks (set by the addon)
    Napi::FunctionReference logHook;            // (level: number, line: string) => void
    Napi::FunctionReference commandExistsHook;  // (fullname: string) => boolean
    Napi::FunctionReference keyHook;            // (op, db, key, a, b) => any (key-bridge.ts)
    Napi::FunctionReference callHook;           // (op, argv, flags, clientId, db, resp) => any (call-bridge.ts)
    Napi::Env env;

    // Nested dispatch (ValkeyModule_Call running a module command from inside another one):
    // the outer command is still writing its replies to `tape`, so a nested command gets a
    // tape of its own, one per nesting level.
    int dispatchDepth = 0;                      // module commands running right now
    std::vector<std::unique_ptr<ReplyTape>> nestedTapes;  // [depth - 1]
    ReplyTape &tapeAt(int depth) {
        if (depth == 0) return tape;
        while (nestedTapes.size() < static_cast<size_t>(depth)) nestedTapes.push_back(std::make_unique<ReplyTape>());
        return *nestedTapes[depth - 1];
    }

    struct BlockedHost *blocked = nullptr;      // module blocked clients (host/blocked.h), created on first use

private:
    std::vector<ValkeyModuleCommand *> commands_;  // by id; nullptr where removed
};

/** The host whose JS thread is running module code right now (set around every callback). */
extern Host *g_current_host;

/** RAII: makes `h` the current host for the scope. */
struct CurrentHostScope {
    Host *prev;
    explicit CurrentHostScope(Host *h) : prev(g_current_host) { g_current_host = h; }
    ~CurrentHostScope() { g_current_host = prev; }
};

}  // namespace vmhost
