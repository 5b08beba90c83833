// Module command metadata: what COMMAND INFO / COMMAND DOCS / COMMAND GETKEYS need to know
// about a module command, computed from what CreateCommand, SetCommandInfo and
// SetCommandACLCategories stored on it (native/api/commands.cc), plus the host-wide ACL
// category table and the CreateCommand flag words.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "host.h"

namespace vmhost {

/**
 * The JS description of a module command (and, recursively, its subcommands):
 *
 *   { id, name, fullname, arity,
 *     flags: string[]          COMMAND INFO flag words, in Valkey's order (write readonly denyoom
 *                              module admin pubsub noscript blocking loading stale skip_monitor
 *                              skip_slowlog fast no_auth no_mandatory_keys movablekeys allow_busy;
 *                              may-replicate, no-cluster and the *-api words are not shown, as Valkey)
 *     createFlags: string[]    the CreateCommand words that were given (write, deny-oom, getkeys-api, ...)
 *     firstkey, lastkey, keystep   COMMAND INFO's legacy triple (derived from the key specs)
 *     aclCategories: string[]  '@'-prefixed category names as COMMAND INFO shows them
 *                              ('@write', '@slow'), in category-table order
 *     tips: string[]
 *     keySpecs: object[]       COMMAND INFO key-spec maps: { notes?, flags: string[],
 *                              begin_search: {type:'index',spec:{index}} | {type:'keyword',spec:{keyword,startfrom}}
 *                                            | {type:'unknown',spec:{}},
 *                              find_keys: {type:'range',spec:{lastkey,keystep,limit}}
 *                                         | {type:'keynum',spec:{keynumidx,firstkey,keystep}}
 *                                         | {type:'unknown',spec:{}} }
 *     subcommands: object[]
 *     summary?, complexity?, since?   only when SetCommandInfo gave them
 *     history: [since, changes][]     hasHistory: whether SetCommandInfo gave a history array
 *     args: object[]                  hasArgs: whether SetCommandInfo gave an args array
 *                                     each arg is COMMAND DOCS' map, keys present exactly when
 *                                     Valkey emits them, in its order: { name, type, key_spec_index?,
 *                                     token?, summary?, since?, deprecated_since?, flags? (non-empty),
 *                                     arguments? (oneof/block), display_text? (all other types;
 *                                     defaults to name) }
 *     module: string, container: boolean (no function: subcommands only) }
 *
 * Optional keys are absent (not undefined) when not set, so a map can be emitted by walking
 * the object's keys. Text that came from the module (names, summaries, tokens, ...) is a
 * one-byte (latin1) JS string, one char per byte, like every byte string in the engine.
 */
Napi::Object describeCommand(Napi::Env env, const ValkeyModuleCommand *cmd);

/**
 * Key (channels=false) or channel (channels=true) positions of `cmd` for argv[0..argc)
 * (argv[0] is the command name; for a subcommand, the container's name). Keys: from the key
 * specs when they are reliable (some spec is a real key and none has VARIABLE_FLAGS), else by
 * calling the command in position-request mode when it has getkeys-api (no reply is made).
 * Channels: only getchannels-api commands. Positions are argv indexes; flags are
 * VALKEYMODULE_CMD_KEY_* or VALKEYMODULE_CMD_CHANNEL_* bits. Returns false when the command
 * has no keys (channels) mechanism at all (COMMAND GETKEYS: "The command has no key
 * arguments"); true with an empty `out` means none were found for these arguments.
 * The caller checks arity first, as COMMAND GETKEYS does.
 */
bool collectPositions(Host *host, ValkeyModuleCommand *cmd, int argc, ValkeyModuleString **argv, bool channels,
                      std::vector<KeyPos> &out);

/** COMMAND INFO's (first key, last key, step) and movablekeys, as Valkey derives them from
 *  the key specs (gluing consecutive index+range specs of step 1). */
struct LegacyRange {
    int firstkey = 0, lastkey = 0, keystep = 0;
    bool movablekeys = false;
};
LegacyRange legacyRange(const ValkeyModuleCommand *cmd);

/** COMMAND INFO words of VALKEYMODULE_CMD_KEY_* bits (RO RW OW RM access update insert delete
 *  not_key incomplete variable_flags). */
std::vector<const char *> keyFlagWords(uint64_t flags);
/** Words of VALKEYMODULE_CMD_CHANNEL_* bits (pattern publish subscribe unsubscribe). */
std::vector<const char *> channelFlagWords(uint64_t flags);

/** Parses CreateCommand's strflags (space-separated, case-insensitive words; NULL = none)
 *  into CMD_* bits. False on an unknown word or an empty word (two spaces in a row, a
 *  leading/trailing space), as Valkey. "random" is accepted and ignored. */
bool parseCommandFlags(const char *strflags, uint64_t &flags);

/** Valkey's core ACL categories, in table order. */
const std::vector<std::string> &coreAclCategories();
/** Every ACL category of the host: core ones, then those added by loaded modules (load
 *  order) and by the module now loading. */
std::vector<std::string> aclCategories(const Host *host);
/** Table index of a category (case-insensitive), or -1. `canonical` gets its spelling. */
int aclCategoryIndex(const Host *host, const std::string &name, std::string *canonical = nullptr);
/** Valkey's limit on the number of ACL categories (core + added). */
constexpr size_t kMaxAclCategories = 64;

}  // namespace vmhost
