// Commands API: registering module commands and subcommands, their metadata (command info,
// ACL categories) and the key / channel position requests of getkeys-api and
// getchannels-api commands.
#include <strings.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../host/command_meta.h"
#include "../host/context.h"
#include "../host/host.h"

using namespace vmhost;

namespace {

/** Command and subcommand names may not contain these bytes. */
bool validCommandName(const char *name) { return name && !strpbrk(name, " \r\n|@=,"); }

/** Splits at every single space, keeping empty pieces; "" gives nothing (Valkey's split). */
std::vector<std::string> splitSpaces(const char *s) {
    std::vector<std::string> out;
    if (!s || !*s) return out;
    const char *p = s;
    for (;;) {
        const char *sp = strchr(p, ' ');
        if (!sp) {
            out.emplace_back(p);
            return out;
        }
        out.emplace_back(p, static_cast<size_t>(sp - p));
        p = sp + 1;
    }
}

/** The key spec CreateCommand's (firstkey, lastkey, keystep) stands for. */
CommandKeySpec legacyKeySpec(int firstkey, int lastkey, int keystep, uint64_t flags) {
    CommandKeySpec ks;
    ks.flags = VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_ACCESS | VALKEYMODULE_CMD_KEY_UPDATE;
    if (flags & CMD_GETKEYS_API) ks.flags |= VALKEYMODULE_CMD_KEY_VARIABLE_FLAGS;
    ks.bsType = VALKEYMODULE_KSPEC_BS_INDEX;
    ks.bsIndex = firstkey;
    ks.fkType = VALKEYMODULE_KSPEC_FK_RANGE;
    ks.fkLastkey = lastkey < 0 ? lastkey : lastkey - firstkey;
    ks.fkKeystep = keystep;
    ks.fkLimit = 0;
    return ks;
}

/** A new command record (not yet registered anywhere). */
ValkeyModuleCommand *newCommand(Module *m, const char *name, std::string fullname, ValkeyModuleCmdFunc func,
                                uint64_t flags, int firstkey, int lastkey, int keystep) {
    ValkeyModuleCommand *cmd = new ValkeyModuleCommand();
    cmd->module = m;
    cmd->name = name;
    cmd->fullname = std::move(fullname);
    cmd->func = func;
    cmd->flags = flags;
    cmd->firstkey = firstkey;
    cmd->lastkey = lastkey;
    cmd->keystep = keystep;
    if (firstkey != 0) cmd->keySpecs.push_back(legacyKeySpec(firstkey, lastkey, keystep, flags));
    return cmd;
}

bool sameName(const std::string &a, const char *b) { return strcasecmp(a.c_str(), b) == 0; }

ValkeyModuleCommand *findIn(const std::vector<ValkeyModuleCommand *> &v, const char *name) {
    for (ValkeyModuleCommand *c : v)
        if (sameName(c->name, name)) return c;
    return nullptr;
}

Host *hostOf(const ValkeyModuleCommand *cmd) {
    if (cmd && cmd->module && cmd->module->host) return cmd->module->host;
    return g_current_host;
}

// ---- SetCommandInfo: reading the module's arrays with the module's strides ----

/** True when `field` of struct T lies inside an element of `stride` bytes. */
#define VMHOST_HAS_FIELD(T, field, stride) (offsetof(T, field) + sizeof(static_cast<T *>(nullptr)->field) <= (stride))

template <typename T>
const T *elementAt(const void *base, size_t stride, size_t i) {
    return reinterpret_cast<const T *>(static_cast<const char *>(base) + stride * i);
}

/** Everything SetCommandInfo would store, parsed and validated before anything is stored. */
struct ParsedInfo {
    std::vector<std::pair<std::string, std::string>> history;
    std::vector<CommandKeySpec> keySpecs;
    std::vector<CommandArg> args;
};

class InfoParser {
public:
    InfoParser(Host *host, const ValkeyModuleCommandInfoVersion *v) : host_(host), v_(v) {}

    bool history(const ValkeyModuleCommandHistoryEntry *h, ParsedInfo &out) {
        using E = ValkeyModuleCommandHistoryEntry;
        size_t stride = v_->sizeof_historyentry;
        if (!VMHOST_HAS_FIELD(E, since, stride)) return fail("history entry size %zu is too small", stride);
        for (size_t j = 0;; j++) {
            const E *e = elementAt<E>(h, stride, j);
            if (!e->since) return true;
            const char *changes = VMHOST_HAS_FIELD(E, changes, stride) ? e->changes : nullptr;
            if (!changes) return fail("history[%zu].changes missing", j);
            out.history.emplace_back(e->since, changes);
        }
    }

    bool keySpecs(const ValkeyModuleCommandKeySpec *specs, ParsedInfo &out) {
        using K = ValkeyModuleCommandKeySpec;
        size_t stride = v_->sizeof_keyspec;
        if (!VMHOST_HAS_FIELD(K, begin_search_type, stride)) return fail("key spec size %zu is too small", stride);
        const uint64_t access = VALKEYMODULE_CMD_KEY_RO | VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_OW |
                                VALKEYMODULE_CMD_KEY_RM;
        const uint64_t writes = VALKEYMODULE_CMD_KEY_INSERT | VALKEYMODULE_CMD_KEY_DELETE | VALKEYMODULE_CMD_KEY_UPDATE;
        for (size_t j = 0;; j++) {
            const K *k = elementAt<K>(specs, stride, j);
            int bs = static_cast<int>(k->begin_search_type);
            if (bs == VALKEYMODULE_KSPEC_BS_INVALID) return true;
            CommandKeySpec ks;
            uint64_t flags = VMHOST_HAS_FIELD(K, flags, stride) ? k->flags : 0;
            if (!oneBit(flags & access))
                return fail("key_specs[%zu].flags: exactly one of RO, RW, OW, RM is required", j);
            if ((flags & writes) && !oneBit(flags & writes))
                return fail("key_specs[%zu].flags: INSERT, DELETE and UPDATE exclude each other", j);
            ks.flags = flags & (VALKEYMODULE_CMD_KEY_VARIABLE_FLAGS * 2 - 1);
            if (VMHOST_HAS_FIELD(K, notes, stride) && k->notes) ks.notes = k->notes;
            switch (bs) {
                case VALKEYMODULE_KSPEC_BS_UNKNOWN:
                    ks.bsType = bs;
                    break;
                case VALKEYMODULE_KSPEC_BS_INDEX:
                    ks.bsType = bs;
                    ks.bsIndex = VMHOST_HAS_FIELD(K, bs.index.pos, stride) ? k->bs.index.pos : 0;
                    break;
                case VALKEYMODULE_KSPEC_BS_KEYWORD: {
                    const char *kw = VMHOST_HAS_FIELD(K, bs.keyword.keyword, stride) ? k->bs.keyword.keyword : nullptr;
                    if (!kw)
                        return fail("key_specs[%zu].bs.keyword.keyword is required with a KEYWORD begin search", j);
                    ks.bsType = bs;
                    ks.bsKeyword = kw;
                    ks.bsStartfrom = VMHOST_HAS_FIELD(K, bs.keyword.startfrom, stride) ? k->bs.keyword.startfrom : 0;
                    break;
                }
                default:
                    return fail("key_specs[%zu].begin_search_type: invalid value %d", j, bs);
            }
            int fk = VMHOST_HAS_FIELD(K, find_keys_type, stride) ? static_cast<int>(k->find_keys_type) : 0;
            bool hasFk = VMHOST_HAS_FIELD(K, fk, stride);
            switch (fk) {
                case VALKEYMODULE_KSPEC_FK_OMITTED:  // one key: the range {0, 1, 0}
                    ks.fkType = VALKEYMODULE_KSPEC_FK_RANGE;
                    ks.fkLastkey = 0;
                    ks.fkKeystep = 1;
                    ks.fkLimit = 0;
                    break;
                case VALKEYMODULE_KSPEC_FK_UNKNOWN:
                    ks.fkType = fk;
                    break;
                case VALKEYMODULE_KSPEC_FK_RANGE:
                    ks.fkType = fk;
                    if (hasFk) {
                        ks.fkLastkey = k->fk.range.lastkey;
                        ks.fkKeystep = k->fk.range.keystep;
                        ks.fkLimit = k->fk.range.limit;
                    }
                    break;
                case VALKEYMODULE_KSPEC_FK_KEYNUM:
                    ks.fkType = fk;
                    if (hasFk) {
                        ks.fkKeynumidx = k->fk.keynum.keynumidx;
                        ks.fkFirstkey = k->fk.keynum.firstkey;
                        ks.fkKeystep = k->fk.keynum.keystep;
                    }
                    break;
                default:
                    return fail("key_specs[%zu].find_keys_type: invalid value %d", j, fk);
            }
            out.keySpecs.push_back(std::move(ks));
        }
    }

    bool args(const ValkeyModuleCommandArg *list, std::vector<CommandArg> &out, int depth = 0) {
        using A = ValkeyModuleCommandArg;
        size_t stride = v_->sizeof_arg;
        if (!VMHOST_HAS_FIELD(A, type, stride)) return fail("argument size %zu is too small", stride);
        if (depth > 64) return fail("arguments nest too deeply");
        for (size_t j = 0;; j++) {
            const A *a = elementAt<A>(list, stride, j);
            if (!a->name) return true;
            CommandArg arg;
            arg.name = a->name;
            int type = static_cast<int>(a->type);
            if (type < VALKEYMODULE_ARG_TYPE_STRING || type > VALKEYMODULE_ARG_TYPE_BLOCK)
                return fail("Argument \"%s\": undefined type %d", a->name, type);
            arg.type = type;
            const char *token = VMHOST_HAS_FIELD(A, token, stride) ? a->token : nullptr;
            if (type == VALKEYMODULE_ARG_TYPE_PURE_TOKEN && !token)
                return fail("Argument \"%s\": a token is required with type PURE_TOKEN", a->name);
            int ksi = VMHOST_HAS_FIELD(A, key_spec_index, stride) ? a->key_spec_index : -1;
            if (type == VALKEYMODULE_ARG_TYPE_KEY) {
                if (ksi < 0) return fail("Argument \"%s\": key_spec_index is required with type KEY", a->name);
                arg.keySpecIndex = ksi;
            } else if (ksi != -1 && ksi != 0) {  // 0: the field was simply left out
                return fail("Argument \"%s\": key_spec_index given but the type is not KEY", a->name);
            }
            int flags = VMHOST_HAS_FIELD(A, flags, stride) ? a->flags : 0;
            if (flags & ~(_VALKEYMODULE_CMD_ARG_NEXT - 1)) return fail("Argument \"%s\": invalid flags", a->name);
            arg.flags = flags;
            if (token) arg.token = token;
            if (VMHOST_HAS_FIELD(A, summary, stride) && a->summary) arg.summary = a->summary;
            if (VMHOST_HAS_FIELD(A, since, stride) && a->since) arg.since = a->since;
            if (VMHOST_HAS_FIELD(A, deprecated_since, stride) && a->deprecated_since)
                arg.deprecatedSince = a->deprecated_since;
            if (VMHOST_HAS_FIELD(A, display_text, stride) && a->display_text) arg.displayText = a->display_text;
            const A *sub = VMHOST_HAS_FIELD(A, subargs, stride) ? a->subargs : nullptr;
            if (type == VALKEYMODULE_ARG_TYPE_ONEOF || type == VALKEYMODULE_ARG_TYPE_BLOCK) {
                if (!sub) return fail("Argument \"%s\": subargs are required with type ONEOF or BLOCK", a->name);
                if (!this->args(sub, arg.subargs, depth + 1)) return false;
            } else if (sub) {
                return fail("Argument \"%s\": subargs given but the type is neither ONEOF nor BLOCK", a->name);
            }
            out.push_back(std::move(arg));
        }
    }

    /** Logs why the info is invalid (Valkey logs a warning) and returns false. */
    bool fail(const char *fmt, ...) __attribute__((format(printf, 2, 3))) {
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        if (host_) host_->logf(LL_WARNING, "Invalid command info: %s", buf);
        return false;
    }

private:
    static bool oneBit(uint64_t x) { return x && !(x & (x - 1)); }
    Host *host_;
    const ValkeyModuleCommandInfoVersion *v_;
};

}  // namespace

extern "C" {

/** Non-zero when the command runs only to report its key positions (getkeys-api). */
int VM_IsKeysPositionRequest(ValkeyModuleCtx *ctx) {
    return ctx && (ctx->flags & CTX_KEYS_POS_REQUEST) ? 1 : 0;
}

/** Reports argv[pos] as a key with VALKEYMODULE_CMD_KEY_* flags during a keys position
 *  request. Ignored outside one, and for pos <= 0. */
void VM_KeyAtPosWithFlags(ValkeyModuleCtx *ctx, int pos, int flags) {
    if (!ctx || !(ctx->flags & CTX_KEYS_POS_REQUEST) || !ctx->positions) return;
    if (pos <= 0) return;
    int known = static_cast<int>(VALKEYMODULE_CMD_KEY_VARIABLE_FLAGS * 2 - 1);
    ctx->positions->push_back({pos, flags & known});
}

/** Reports argv[pos] as a key (deprecated form): its flags are RW, ACCESS and UPDATE. */
void VM_KeyAtPos(ValkeyModuleCtx *ctx, int pos) {
    VM_KeyAtPosWithFlags(ctx, pos,
                         static_cast<int>(VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_ACCESS |
                                          VALKEYMODULE_CMD_KEY_UPDATE));
}

/** Non-zero when the command runs only to report its channel positions (getchannels-api). */
int VM_IsChannelsPositionRequest(ValkeyModuleCtx *ctx) {
    return ctx && (ctx->flags & CTX_CHANNELS_POS_REQUEST) ? 1 : 0;
}

/** Reports argv[pos] as a channel with VALKEYMODULE_CMD_CHANNEL_* flags during a channels
 *  position request. Ignored outside one, and for pos <= 0. */
void VM_ChannelAtPosWithFlags(ValkeyModuleCtx *ctx, int pos, int flags) {
    if (!ctx || !(ctx->flags & CTX_CHANNELS_POS_REQUEST) || !ctx->positions) return;
    if (pos <= 0) return;
    int known = static_cast<int>(VALKEYMODULE_CMD_CHANNEL_PATTERN | VALKEYMODULE_CMD_CHANNEL_PUBLISH |
                                 VALKEYMODULE_CMD_CHANNEL_SUBSCRIBE | VALKEYMODULE_CMD_CHANNEL_UNSUBSCRIBE);
    ctx->positions->push_back({pos, flags & known});
}

/**
 * Registers command `name` (case kept; looked up case-insensitively) handled by `cmdfunc`
 * (NULL: a container for subcommands). `strflags` is a space-separated list of flag words;
 * firstkey/lastkey/keystep give the key positions (0,0,0: none; a negative lastkey counts
 * from the end). Arity is -1 (-2 for a container) until SetCommandInfo sets one.
 * Returns ERR outside OnLoad, for an unknown flag word, a name containing space, CR, LF,
 * '|', '@', '=' or ',', or a name that is already a command; OK otherwise.
 */
int VM_CreateCommand(ValkeyModuleCtx *ctx, const char *name, ValkeyModuleCmdFunc cmdfunc, const char *strflags,
                     int firstkey, int lastkey, int keystep) {
    if (!ctx || !ctx->module || !ctx->host || !(ctx->flags & CTX_ON_LOAD) || !ctx->module->onLoad)
        return VALKEYMODULE_ERR;
    uint64_t flags;
    if (!parseCommandFlags(strflags, flags)) return VALKEYMODULE_ERR;
    if (!validCommandName(name)) return VALKEYMODULE_ERR;
    if (ctx->host->commandExists(name)) return VALKEYMODULE_ERR;

    ValkeyModuleCommand *cmd = newCommand(ctx->module, name, name, cmdfunc, flags, firstkey, lastkey, keystep);
    cmd->arity = cmdfunc ? -1 : -2;
    ctx->host->addCommand(cmd);
    ctx->module->commands.push_back(cmd);
    return VALKEYMODULE_OK;
}

/**
 * The calling module's command called `name` (any case; "container|sub" finds a
 * subcommand), or NULL when there is no such command or it belongs to another module or
 * to the server.
 */
ValkeyModuleCommand *VM_GetCommand(ValkeyModuleCtx *ctx, const char *name) {
    if (!ctx || !ctx->module || !name) return nullptr;
    const char *bar = strchr(name, '|');
    if (!bar) return findIn(ctx->module->commands, name);
    if (strchr(bar + 1, '|')) return nullptr;  // only one level of subcommands exists
    std::string parent(name, static_cast<size_t>(bar - name));
    ValkeyModuleCommand *p = findIn(ctx->module->commands, parent.c_str());
    return p ? findIn(p->subcommands, bar + 1) : nullptr;
}

/**
 * Registers subcommand `name` of the container `parent` (a command of the same module made
 * with a NULL cmdfunc); its full name is "parent|name". Flags and key positions as
 * CreateCommand (positions count from the container's name); arity defaults to -2.
 * Returns ERR outside the module's OnLoad, for bad flags or name, when `parent` has a
 * function or is itself a subcommand, or when it already has a subcommand of that name.
 */
int VM_CreateSubcommand(ValkeyModuleCommand *parent, const char *name, ValkeyModuleCmdFunc cmdfunc,
                        const char *strflags, int firstkey, int lastkey, int keystep) {
    if (!parent || !parent->module || !parent->module->onLoad) return VALKEYMODULE_ERR;
    uint64_t flags;
    if (!parseCommandFlags(strflags, flags)) return VALKEYMODULE_ERR;
    if (parent->parent) return VALKEYMODULE_ERR;
    if (parent->func) return VALKEYMODULE_ERR;
    if (!validCommandName(name)) return VALKEYMODULE_ERR;
    if (findIn(parent->subcommands, name)) return VALKEYMODULE_ERR;
    Host *host = hostOf(parent);
    if (!host) return VALKEYMODULE_ERR;

    ValkeyModuleCommand *cmd =
        newCommand(parent->module, name, parent->fullname + "|" + name, cmdfunc, flags, firstkey, lastkey, keystep);
    cmd->arity = -2;
    cmd->parent = parent;
    host->addCommand(cmd);
    parent->subcommands.push_back(cmd);
    return VALKEYMODULE_OK;
}

/**
 * Adds ACL category `name` for every module's commands to use. OnLoad only.
 * Returns ERR with errno EINVAL (outside OnLoad, or a name that is empty or has characters
 * other than letters, digits, '_' and '-'), EBUSY (the category exists, any case) or ENOMEM
 * (64 categories already); OK otherwise.
 */
int VM_AddACLCategory(ValkeyModuleCtx *ctx, const char *name) {
    if (!ctx || !ctx->module || !(ctx->flags & CTX_ON_LOAD) || !ctx->module->onLoad) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    if (!name || !*name) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
            errno = EINVAL;
            return VALKEYMODULE_ERR;
        }
    }
    Host *host = ctx->host ? ctx->host : ctx->module->host;
    if (aclCategoryIndex(host, name) >= 0) {
        errno = EBUSY;
        return VALKEYMODULE_ERR;
    }
    if (aclCategories(host).size() >= kMaxAclCategories) {
        errno = ENOMEM;
        return VALKEYMODULE_ERR;
    }
    ctx->module->aclCategories.emplace_back(name);
    return VALKEYMODULE_OK;
}

/**
 * Sets the ACL categories of a command (or subcommand) from a space-separated list of
 * category names (any case; core categories and those added with AddACLCategory by any
 * module). OnLoad only. Returns ERR (errno ENOENT, and a warning logged) when a name is not
 * a category, leaving the command's categories unchanged.
 */
int VM_SetCommandACLCategories(ValkeyModuleCommand *command, const char *aclflags) {
    if (!command || !command->module || !command->module->onLoad) return VALKEYMODULE_ERR;
    Host *host = hostOf(command);
    std::vector<std::pair<int, std::string>> found;
    for (const std::string &word : splitSpaces(aclflags)) {
        std::string canonical;
        int idx = aclCategoryIndex(host, word, &canonical);
        if (idx < 0) {
            if (host) host->logf(LL_WARNING, "Unrecognized categories flag %s on module load", word.c_str());
            errno = ENOENT;
            return VALKEYMODULE_ERR;
        }
        found.emplace_back(idx, canonical);
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    command->aclCategories.clear();
    for (auto &f : found) command->aclCategories.push_back(std::move(f.second));
    return VALKEYMODULE_OK;
}

/**
 * Sets a command's documentation and key specs (see ValkeyModuleCommandInfo). The history,
 * key_specs and args arrays (and subargs) are walked with the strides in info->version, so
 * modules built with other header versions work. A non-zero arity replaces the command's;
 * key_specs replace the ones CreateCommand's key triple implied.
 * Returns ERR with errno EINVAL for invalid info (no version, a history entry without
 * changes, bad key-spec flags or types, bad argument types, tokens, key_spec_index, flags or
 * subargs), logging a warning that says what is wrong; ERR with EEXIST when info was already
 * set; OK otherwise.
 */
int VM_SetCommandInfo(ValkeyModuleCommand *command, const ValkeyModuleCommandInfo *info) {
    Host *host = hostOf(command);
    if (!command || !info) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    if (!info->version) {
        if (host) host->logf(LL_WARNING, "Invalid command info: version missing");
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    InfoParser parser(host, info->version);
    ParsedInfo parsed;
    if ((info->history && !parser.history(info->history, parsed)) ||
        (info->key_specs && !parser.keySpecs(info->key_specs, parsed)) ||
        (info->args && !parser.args(info->args, parsed.args))) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }

    // Info counts as set once any of these is; a lone index+range key spec (what the legacy
    // key triple produces) does not count, as in Valkey.
    const std::vector<CommandKeySpec> &ks = command->keySpecs;
    bool legacyOnly = ks.empty() || (ks.size() == 1 && ks[0].bsType == VALKEYMODULE_KSPEC_BS_INDEX &&
                                     ks[0].fkType == VALKEYMODULE_KSPEC_FK_RANGE);
    if (command->summary || command->complexity || command->since || command->hasHistory || command->hasTips ||
        command->hasArgs || !legacyOnly) {
        errno = EEXIST;
        return VALKEYMODULE_ERR;
    }

    if (info->summary) command->summary = info->summary;
    if (info->complexity) command->complexity = info->complexity;
    if (info->since) command->since = info->since;
    if (info->history) {
        command->hasHistory = true;
        command->history = std::move(parsed.history);
    }
    if (info->tips && *info->tips) {
        command->hasTips = true;
        command->tips = splitSpaces(info->tips);
    }
    if (info->arity) command->arity = info->arity;
    if (info->key_specs) command->keySpecs = std::move(parsed.keySpecs);
    if (info->args) {
        command->hasArgs = true;
        command->args = std::move(parsed.args);
    }
    return VALKEYMODULE_OK;
}

/** The full name ("cmd" or "container|sub", as registered) of the command running in
 *  `ctx`, or NULL outside a command. */
const char *VM_GetCurrentCommandName(ValkeyModuleCtx *ctx) {
    if (!ctx || !ctx->command) return nullptr;
    return ctx->command->fullname.c_str();
}

}  // extern "C"
