// Module command metadata: JS descriptions (COMMAND INFO / DOCS data), key and channel
// positions (COMMAND GETKEYS), the ACL category table and the CreateCommand flag words.
#include "command_meta.h"

#include <strings.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "jsbytes.h"

namespace vmhost {

namespace {

struct FlagName {
    uint64_t bit;
    const char *word;
};

// CreateCommand's strflags words. "random" maps to nothing (deprecated, accepted silently);
// "no-commandlog" is the newer spelling of "no-slowlog".
const FlagName kCreateWords[] = {
    {CMD_WRITE, "write"},
    {CMD_READONLY, "readonly"},
    {CMD_ADMIN, "admin"},
    {CMD_DENY_OOM, "deny-oom"},
    {CMD_DENY_SCRIPT, "deny-script"},
    {CMD_ALLOW_LOADING, "allow-loading"},
    {CMD_PUBSUB, "pubsub"},
    {0, "random"},
    {CMD_BLOCKING, "blocking"},
    {CMD_ALLOW_STALE, "allow-stale"},
    {CMD_NO_MONITOR, "no-monitor"},
    {CMD_NO_SLOWLOG, "no-slowlog"},
    {CMD_NO_SLOWLOG, "no-commandlog"},
    {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no-auth"},
    {CMD_MAY_REPLICATE, "may-replicate"},
    {CMD_GETKEYS_API, "getkeys-api"},
    {CMD_GETCHANNELS_API, "getchannels-api"},
    {CMD_NO_CLUSTER, "no-cluster"},
    {CMD_NO_MANDATORY_KEYS, "no-mandatory-keys"},
    {CMD_ALLOW_BUSY, "allow-busy"},
};

// Pseudo bits for COMMAND INFO words that are not CreateCommand words.
constexpr uint64_t kInfoModule = 1ull << 62;
constexpr uint64_t kInfoMovable = 1ull << 63;

// COMMAND INFO flag words in the order Valkey replies them. may_replicate is not shown
// (Valkey hides it on purpose); no-cluster and the *-api words have no COMMAND INFO word.
const FlagName kInfoWords[] = {
    {CMD_WRITE, "write"},
    {CMD_READONLY, "readonly"},
    {CMD_DENY_OOM, "denyoom"},
    {kInfoModule, "module"},
    {CMD_ADMIN, "admin"},
    {CMD_PUBSUB, "pubsub"},
    {CMD_DENY_SCRIPT, "noscript"},
    {CMD_BLOCKING, "blocking"},
    {CMD_ALLOW_LOADING, "loading"},
    {CMD_ALLOW_STALE, "stale"},
    {CMD_NO_MONITOR, "skip_monitor"},
    {CMD_NO_SLOWLOG, "skip_slowlog"},
    {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no_auth"},
    {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys"},
    {kInfoMovable, "movablekeys"},
    {CMD_ALLOW_BUSY, "allow_busy"},
};

const FlagName kKeyWords[] = {
    {VALKEYMODULE_CMD_KEY_RO, "RO"},
    {VALKEYMODULE_CMD_KEY_RW, "RW"},
    {VALKEYMODULE_CMD_KEY_OW, "OW"},
    {VALKEYMODULE_CMD_KEY_RM, "RM"},
    {VALKEYMODULE_CMD_KEY_ACCESS, "access"},
    {VALKEYMODULE_CMD_KEY_UPDATE, "update"},
    {VALKEYMODULE_CMD_KEY_INSERT, "insert"},
    {VALKEYMODULE_CMD_KEY_DELETE, "delete"},
    {VALKEYMODULE_CMD_KEY_NOT_KEY, "not_key"},
    {VALKEYMODULE_CMD_KEY_INCOMPLETE, "incomplete"},
    {VALKEYMODULE_CMD_KEY_VARIABLE_FLAGS, "variable_flags"},
};

const FlagName kChannelWords[] = {
    {VALKEYMODULE_CMD_CHANNEL_PATTERN, "pattern"},
    {VALKEYMODULE_CMD_CHANNEL_PUBLISH, "publish"},
    {VALKEYMODULE_CMD_CHANNEL_SUBSCRIBE, "subscribe"},
    {VALKEYMODULE_CMD_CHANNEL_UNSUBSCRIBE, "unsubscribe"},
};

const FlagName kArgFlagWords[] = {
    {VALKEYMODULE_CMD_ARG_OPTIONAL, "optional"},
    {VALKEYMODULE_CMD_ARG_MULTIPLE, "multiple"},
    {VALKEYMODULE_CMD_ARG_MULTIPLE_TOKEN, "multiple_token"},
};

const char *const kArgTypeNames[] = {"string",    "integer",    "double", "key",  "pattern",
                                     "unix-time", "pure-token", "oneof",  "block"};

/** A std::string as a one-byte JS string (the engine's byte strings). */
Napi::Value bytes(Napi::Env env, const std::string &s) { return bytes_to_js(env, s.data(), s.size()); }

template <size_t N>
std::vector<const char *> wordsOf(const FlagName (&table)[N], uint64_t bits) {
    std::vector<const char *> out;
    for (const FlagName &f : table)
        if (f.bit && (bits & f.bit)) out.push_back(f.word);
    return out;
}

Napi::Array stringArray(Napi::Env env, const std::vector<const char *> &words) {
    Napi::Array a = Napi::Array::New(env, words.size());
    for (size_t i = 0; i < words.size(); i++) a.Set(static_cast<uint32_t>(i), Napi::String::New(env, words[i]));
    return a;
}

Napi::Array stringArray(Napi::Env env, const std::vector<std::string> &words) {
    Napi::Array a = Napi::Array::New(env, words.size());
    for (size_t i = 0; i < words.size(); i++) a.Set(static_cast<uint32_t>(i), bytes(env, words[i]));
    return a;
}

/** A map {type, spec} as COMMAND INFO shows begin_search / find_keys. */
Napi::Object typedSpec(Napi::Env env, const char *type, Napi::Object spec) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", type);
    o.Set("spec", spec);
    return o;
}

Napi::Object describeKeySpec(Napi::Env env, const CommandKeySpec &ks) {
    Napi::Object o = Napi::Object::New(env);
    if (ks.notes) o.Set("notes", bytes(env, *ks.notes));
    o.Set("flags", stringArray(env, keyFlagWords(ks.flags)));

    Napi::Object bs = Napi::Object::New(env);
    if (ks.bsType == VALKEYMODULE_KSPEC_BS_INDEX) {
        bs.Set("index", ks.bsIndex);
        o.Set("begin_search", typedSpec(env, "index", bs));
    } else if (ks.bsType == VALKEYMODULE_KSPEC_BS_KEYWORD) {
        bs.Set("keyword", bytes(env, ks.bsKeyword));
        bs.Set("startfrom", ks.bsStartfrom);
        o.Set("begin_search", typedSpec(env, "keyword", bs));
    } else {
        o.Set("begin_search", typedSpec(env, "unknown", bs));
    }

    Napi::Object fk = Napi::Object::New(env);
    if (ks.fkType == VALKEYMODULE_KSPEC_FK_RANGE) {
        fk.Set("lastkey", ks.fkLastkey);
        fk.Set("keystep", ks.fkKeystep);
        fk.Set("limit", ks.fkLimit);
        o.Set("find_keys", typedSpec(env, "range", fk));
    } else if (ks.fkType == VALKEYMODULE_KSPEC_FK_KEYNUM) {
        fk.Set("keynumidx", ks.fkKeynumidx);
        fk.Set("firstkey", ks.fkFirstkey);
        fk.Set("keystep", ks.fkKeystep);
        o.Set("find_keys", typedSpec(env, "keynum", fk));
    } else {
        o.Set("find_keys", typedSpec(env, "unknown", fk));
    }
    return o;
}

Napi::Array describeArgs(Napi::Env env, const std::vector<CommandArg> &args);

Napi::Object describeArg(Napi::Env env, const CommandArg &a) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", bytes(env, a.name));
    o.Set("type", a.type >= 0 && a.type <= VALKEYMODULE_ARG_TYPE_BLOCK ? kArgTypeNames[a.type] : "string");
    if (a.keySpecIndex != -1) o.Set("key_spec_index", a.keySpecIndex);
    if (a.token) o.Set("token", bytes(env, *a.token));
    if (a.summary) o.Set("summary", bytes(env, *a.summary));
    if (a.since) o.Set("since", bytes(env, *a.since));
    if (a.deprecatedSince) o.Set("deprecated_since", bytes(env, *a.deprecatedSince));
    if (a.flags) o.Set("flags", stringArray(env, wordsOf(kArgFlagWords, static_cast<uint64_t>(a.flags))));
    if (a.type == VALKEYMODULE_ARG_TYPE_ONEOF || a.type == VALKEYMODULE_ARG_TYPE_BLOCK) {
        o.Set("arguments", describeArgs(env, a.subargs));
    } else {
        o.Set("display_text", bytes(env, a.displayText ? *a.displayText : a.name));
    }
    return o;
}

Napi::Array describeArgs(Napi::Env env, const std::vector<CommandArg> &args) {
    Napi::Array out = Napi::Array::New(env, args.size());
    for (size_t i = 0; i < args.size(); i++) out.Set(static_cast<uint32_t>(i), describeArg(env, args[i]));
    return out;
}

/** Valkey's strict integer parse (no spaces, no '+', no leading zeros, no "-0"). */
bool parseStrictLL(const char *p, size_t n, long long &out) {
    if (n == 0 || n > 20) return false;
    if (n == 1 && p[0] == '0') {
        out = 0;
        return true;
    }
    size_t i = 0;
    bool neg = false;
    if (p[0] == '-') {
        neg = true;
        i = 1;
        if (n == 1) return false;
    }
    if (p[i] < '1' || p[i] > '9') return false;
    unsigned long long v = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return false;
        unsigned d = static_cast<unsigned>(p[i] - '0');
        if (v > (ULLONG_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > static_cast<unsigned long long>(LLONG_MAX) + 1) return false;
        out = v == static_cast<unsigned long long>(LLONG_MAX) + 1 ? LLONG_MIN : -static_cast<long long>(v);
    } else {
        if (v > static_cast<unsigned long long>(LLONG_MAX)) return false;
        out = static_cast<long long>(v);
    }
    return true;
}

bool argEqualsNoCase(const ValkeyModuleString *s, const std::string &word) {
    return s->len == word.size() && strncasecmp(s->ptr, word.c_str(), word.size()) == 0;
}

/**
 * Key positions from the key specs (Valkey's default search: NOT_KEY specs skipped). Returns
 * false when a spec cannot be evaluated (unknown begin/find type, a bad key count, out of
 * range positions, or an INCOMPLETE spec); `out` is then cleared.
 */
bool keysFromSpecs(const ValkeyModuleCommand *cmd, int argc, ValkeyModuleString **argv, std::vector<KeyPos> &out) {
    for (const CommandKeySpec &ks : cmd->keySpecs) {
        if (ks.flags & VALKEYMODULE_CMD_KEY_NOT_KEY) continue;
        int first = 0;
        if (ks.bsType == VALKEYMODULE_KSPEC_BS_INDEX) {
            first = ks.bsIndex;
        } else if (ks.bsType == VALKEYMODULE_KSPEC_BS_KEYWORD) {
            // Search from startfrom towards the end (or, when negative, from argc+startfrom
            // towards the start); the stop index itself is not examined.
            bool forward = ks.bsStartfrom > 0;
            int from = forward ? ks.bsStartfrom : argc + ks.bsStartfrom;
            int stop = forward ? argc - 1 : 1;
            int dir = from <= stop ? 1 : -1;
            for (int i = from; i != stop; i += dir) {
                if (i >= argc || i < 1) break;
                if (argEqualsNoCase(argv[i], ks.bsKeyword)) {
                    first = i + 1;
                    break;
                }
            }
            if (!first) continue;  // keyword absent: this spec yields no keys
        } else {
            out.clear();
            return false;
        }

        int last, step;
        if (ks.fkType == VALKEYMODULE_KSPEC_FK_RANGE) {
            step = ks.fkKeystep;
            if (ks.fkLastkey >= 0) {
                last = first + ks.fkLastkey;
            } else if (!ks.fkLimit) {
                last = argc + ks.fkLastkey;
            } else {
                last = first + ((argc - first) / ks.fkLimit + ks.fkLastkey);
            }
        } else if (ks.fkType == VALKEYMODULE_KSPEC_FK_KEYNUM) {
            step = ks.fkKeystep;
            int idx = first + ks.fkKeynumidx;
            long long numkeys;
            if (idx < 0 || idx >= argc || !parseStrictLL(argv[idx]->ptr, argv[idx]->len, numkeys) || numkeys < 0 ||
                numkeys > INT_MAX) {
                out.clear();
                return false;
            }
            first += ks.fkFirstkey;
            last = first + static_cast<int>(numkeys) - 1;
        } else {
            out.clear();
            return false;
        }

        if (last >= argc || last < first || first >= argc || first < 0 || step <= 0) {
            out.clear();
            return false;
        }
        for (int i = first; i <= last; i += step) out.push_back({i, static_cast<int>(ks.flags)});
        if (ks.flags & VALKEYMODULE_CMD_KEY_INCOMPLETE) {
            out.clear();
            return false;
        }
    }
    return true;
}

}  // namespace

std::vector<const char *> keyFlagWords(uint64_t flags) { return wordsOf(kKeyWords, flags); }

std::vector<const char *> channelFlagWords(uint64_t flags) { return wordsOf(kChannelWords, flags); }

bool parseCommandFlags(const char *strflags, uint64_t &flags) {
    flags = 0;
    if (!strflags || !*strflags) return true;
    const char *p = strflags;
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? static_cast<size_t>(sp - p) : strlen(p);
        bool known = false;
        for (const FlagName &f : kCreateWords) {
            if (strlen(f.word) == n && strncasecmp(f.word, p, n) == 0) {
                flags |= f.bit;
                known = true;
                break;
            }
        }
        if (!known) return false;  // includes the empty word between two spaces
        if (!sp) return true;
        p = sp + 1;
    }
}

const std::vector<std::string> &coreAclCategories() {
    static const std::vector<std::string> core = {
        "keyspace", "read",  "write", "set",      "sortedset", "list",       "hash",
        "string",   "bitmap", "hyperloglog", "geo", "stream",   "pubsub",     "admin",
        "fast",     "slow",  "blocking",    "dangerous", "connection", "transaction", "scripting"};
    return core;
}

std::vector<std::string> aclCategories(const Host *host) {
    std::vector<std::string> all = coreAclCategories();
    if (!host) return all;
    for (const Module *m : host->modules)
        if (m != host->loading) all.insert(all.end(), m->aclCategories.begin(), m->aclCategories.end());
    if (host->loading) all.insert(all.end(), host->loading->aclCategories.begin(), host->loading->aclCategories.end());
    return all;
}

int aclCategoryIndex(const Host *host, const std::string &name, std::string *canonical) {
    std::vector<std::string> all = aclCategories(host);
    for (size_t i = 0; i < all.size(); i++) {
        if (strcasecmp(all[i].c_str(), name.c_str()) == 0) {
            if (canonical) *canonical = all[i];
            return static_cast<int>(i);
        }
    }
    return -1;
}

LegacyRange legacyRange(const ValkeyModuleCommand *cmd) {
    LegacyRange r;
    if (cmd->flags & CMD_GETKEYS_API) r.movablekeys = true;
    const std::vector<CommandKeySpec> &specs = cmd->keySpecs;
    if (specs.empty()) return r;

    auto isRange = [](const CommandKeySpec &s) {
        return s.bsType == VALKEYMODULE_KSPEC_BS_INDEX && s.fkType == VALKEYMODULE_KSPEC_FK_RANGE;
    };
    if (specs.size() == 1 && isRange(specs[0])) {
        const CommandKeySpec &s = specs[0];
        r.firstkey = s.bsIndex;
        r.lastkey = s.fkLastkey >= 0 ? s.fkLastkey + s.bsIndex : s.fkLastkey;
        r.keystep = s.fkKeystep;
        if (s.flags & VALKEYMODULE_CMD_KEY_INCOMPLETE) r.movablekeys = true;
        return r;
    }

    // Several specs: glue consecutive plain (step 1) index+range specs; anything else makes
    // the command movablekeys. Negative last keys (counted from the end) outrank positive ones.
    int first = 0, last = 0, prevLast = 0;
    for (const CommandKeySpec &s : specs) {
        if (!isRange(s)) {
            r.movablekeys = true;
            continue;
        }
        if (s.fkKeystep != 1 || (prevLast && prevLast != s.bsIndex - 1)) {
            r.movablekeys = true;
            continue;
        }
        if (s.flags & VALKEYMODULE_CMD_KEY_INCOMPLETE) r.movablekeys = true;
        if (!first) first = s.bsIndex;
        int abs = s.fkLastkey >= 0 ? s.fkLastkey + s.bsIndex : s.fkLastkey;
        if (!last || static_cast<unsigned>(abs) > static_cast<unsigned>(last)) last = abs;
        prevLast = abs;
    }
    if (!first) {
        r.movablekeys = true;
        return r;
    }
    r.firstkey = first;
    r.lastkey = last;
    r.keystep = 1;
    return r;
}

Napi::Object describeCommand(Napi::Env env, const ValkeyModuleCommand *cmd) {
    Napi::Object o = Napi::Object::New(env);
    LegacyRange lr = legacyRange(cmd);

    o.Set("id", Napi::Number::New(env, cmd->id));
    o.Set("name", bytes(env, cmd->name));
    o.Set("fullname", bytes(env, cmd->fullname));
    o.Set("arity", cmd->arity);
    uint64_t infoBits = cmd->flags | kInfoModule | (lr.movablekeys ? kInfoMovable : 0);
    o.Set("flags", stringArray(env, wordsOf(kInfoWords, infoBits)));
    std::vector<const char *> created;
    for (const FlagName &f : kCreateWords)
        if (f.bit && (cmd->flags & f.bit) && strcmp(f.word, "no-commandlog") != 0) created.push_back(f.word);
    o.Set("createFlags", stringArray(env, created));
    o.Set("firstkey", lr.firstkey);
    o.Set("lastkey", lr.lastkey);
    o.Set("keystep", lr.keystep);
    std::vector<std::string> cats;
    for (const std::string &c : cmd->aclCategories) cats.push_back("@" + c);
    o.Set("aclCategories", stringArray(env, cats));
    o.Set("tips", stringArray(env, cmd->tips));

    Napi::Array specs = Napi::Array::New(env, cmd->keySpecs.size());
    for (size_t i = 0; i < cmd->keySpecs.size(); i++)
        specs.Set(static_cast<uint32_t>(i), describeKeySpec(env, cmd->keySpecs[i]));
    o.Set("keySpecs", specs);

    Napi::Array subs = Napi::Array::New(env, cmd->subcommands.size());
    for (size_t i = 0; i < cmd->subcommands.size(); i++)
        subs.Set(static_cast<uint32_t>(i), describeCommand(env, cmd->subcommands[i]));
    o.Set("subcommands", subs);

    if (cmd->summary) o.Set("summary", bytes(env, *cmd->summary));
    if (cmd->complexity) o.Set("complexity", bytes(env, *cmd->complexity));
    if (cmd->since) o.Set("since", bytes(env, *cmd->since));

    Napi::Array history = Napi::Array::New(env, cmd->history.size());
    for (size_t i = 0; i < cmd->history.size(); i++) {
        Napi::Array entry = Napi::Array::New(env, 2);
        entry.Set(0u, bytes(env, cmd->history[i].first));
        entry.Set(1u, bytes(env, cmd->history[i].second));
        history.Set(static_cast<uint32_t>(i), entry);
    }
    o.Set("history", history);
    o.Set("hasHistory", cmd->hasHistory);
    o.Set("args", describeArgs(env, cmd->args));
    o.Set("hasArgs", cmd->hasArgs);
    o.Set("module", bytes(env, cmd->module ? cmd->module->name : std::string()));
    o.Set("container", cmd->func == nullptr);
    return o;
}

bool collectPositions(Host *host, ValkeyModuleCommand *cmd, int argc, ValkeyModuleString **argv, bool channels,
                      std::vector<KeyPos> &out) {
    out.clear();
    bool viaApi;
    if (channels) {
        if (!(cmd->flags & CMD_GETCHANNELS_API)) return false;
        viaApi = true;
    } else {
        bool realKeySpec = false, variableFlags = false;
        for (const CommandKeySpec &ks : cmd->keySpecs) {
            if (!(ks.flags & VALKEYMODULE_CMD_KEY_NOT_KEY)) realKeySpec = true;
            if (ks.flags & VALKEYMODULE_CMD_KEY_VARIABLE_FLAGS) variableFlags = true;
        }
        bool getkeysApi = (cmd->flags & CMD_GETKEYS_API) != 0;
        if (!realKeySpec && !getkeysApi) return false;
        // Key specs are preferred when their flags can be trusted; a spec that cannot be
        // evaluated falls back to the getkeys-api, or to no keys at all.
        if (realKeySpec && !variableFlags && keysFromSpecs(cmd, argc, argv, out)) return true;
        if (!getkeysApi) {
            out.clear();
            return true;
        }
        viaApi = true;
    }
    if (!viaApi || !cmd->func) return true;

    ValkeyModuleCtx ctx;
    ctx_init(&ctx, host, cmd->module, channels ? CTX_CHANNELS_POS_REQUEST : CTX_KEYS_POS_REQUEST);
    ctx.tape = nullptr;  // any reply the command makes in this mode is dropped
    ctx.command = cmd;
    ctx.positions = &out;
    ctx.argc = argc;
    ctx.argv = argv;
    {
        CurrentHostScope scope(host);
        cmd->func(&ctx, argv, argc);
        ctx_finish(&ctx);
    }
    // Positions past the arguments would index nothing: drop them.
    out.erase(std::remove_if(out.begin(), out.end(), [argc](const KeyPos &k) { return k.pos >= argc; }), out.end());
    return true;
}

}  // namespace vmhost
