/* commands: exercises the Commands API (test/commands.test.ts).
 *
 * OnLoad registers commands with every flag word, containers and subcommands, command info
 * (history, tips, key specs, args with subargs, an arity), ACL categories, and a set of
 * calls that must fail. Every registration call's return code (and errno when it failed)
 * is recorded and replied by CMDS.RESULTS as [label, code, errno-name] triples.
 *
 * Module arguments: "fillcats" also adds ACL categories until AddACLCategory refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "valkeymodule.h"

#define MAX_RESULTS 128

static struct {
    const char *label;
    int rc;
    int err;
} results[MAX_RESULTS];
static int nresults = 0;

static void record(const char *label, int rc, int err) {
    if (nresults < MAX_RESULTS) {
        results[nresults].label = label;
        results[nresults].rc = rc;
        results[nresults].err = err;
        nresults++;
    }
}

/* Runs a registration call and records its code, with errno when it failed. */
#define REC(label, call)                                             \
    do {                                                             \
        errno = 0;                                                   \
        int rc_ = (call);                                            \
        record(label, rc_, rc_ == VALKEYMODULE_ERR ? errno : 0);     \
    } while (0)

static const char *errname(int e) {
    switch (e) {
        case 0: return "";
        case EINVAL: return "EINVAL";
        case EEXIST: return "EEXIST";
        case EBUSY: return "EBUSY";
        case ENOMEM: return "ENOMEM";
        case ENOENT: return "ENOENT";
        default: return "OTHER";
    }
}

static ValkeyModuleCommand *container_cmd, *sub1_cmd, *info_cmd, *name_cmd;

/* ---- command implementations ---- */

/* Replies the running command's full name. */
static int name_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    const char *name = ValkeyModule_GetCurrentCommandName(ctx);
    if (!name) return ValkeyModule_ReplyWithNull(ctx);
    return ValkeyModule_ReplyWithCString(ctx, name);
}

/* Replies [name, argc]. */
static int name_argc_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithCString(ctx, ValkeyModule_GetCurrentCommandName(ctx));
    return ValkeyModule_ReplyWithLongLong(ctx, argc);
}

static int results_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, nresults);
    for (int i = 0; i < nresults; i++) {
        ValkeyModule_ReplyWithArray(ctx, 3);
        ValkeyModule_ReplyWithCString(ctx, results[i].label);
        ValkeyModule_ReplyWithLongLong(ctx, results[i].rc);
        ValkeyModule_ReplyWithCString(ctx, errname(results[i].err));
    }
    return VALKEYMODULE_OK;
}

/* CMDS.GETCMD name: 1 when GetCommand finds `name` among this module's commands. */
static int getcmd_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    const char *name = ValkeyModule_StringPtrLen(argv[1], NULL);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetCommand(ctx, name) != NULL);
}

/* CMDS.LATE: registration calls after OnLoad, which must all fail. Replies [code, errno]
 * pairs. */
static int late_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    int rc[4], err[4];
    errno = 0;
    rc[0] = ValkeyModule_CreateCommand(ctx, "cmds.late2", name_command, "", 0, 0, 0);
    err[0] = rc[0] ? errno : 0;
    errno = 0;
    rc[1] = ValkeyModule_CreateSubcommand(container_cmd, "late", name_command, "", 0, 0, 0);
    err[1] = rc[1] ? errno : 0;
    errno = 0;
    rc[2] = ValkeyModule_SetCommandACLCategories(name_cmd, "read");
    err[2] = rc[2] ? errno : 0;
    errno = 0;
    rc[3] = ValkeyModule_AddACLCategory(ctx, "latecat");
    err[3] = rc[3] ? errno : 0;
    ValkeyModule_ReplyWithArray(ctx, 8);
    for (int i = 0; i < 4; i++) {
        ValkeyModule_ReplyWithLongLong(ctx, rc[i]);
        ValkeyModule_ReplyWithCString(ctx, errname(err[i]));
    }
    return VALKEYMODULE_OK;
}

/* CMDS.GETKEYS arg...: getkeys-api. In a keys request: "RO x" reports x read-only (with
 * KeyAtPosWithFlags), any argument starting with 'k' is a key (KeyAtPos); positions 0 and
 * -1 are reported too (and must be ignored). Run normally it replies the request flags. */
static int getkeys_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_IsKeysPositionRequest(ctx)) {
        ValkeyModule_KeyAtPos(ctx, 0);
        ValkeyModule_KeyAtPos(ctx, -1);
        for (int i = 1; i < argc; i++) {
            size_t len;
            const char *s = ValkeyModule_StringPtrLen(argv[i], &len);
            if (len == 2 && !strcmp(s, "RO") && i + 1 < argc) {
                ValkeyModule_KeyAtPosWithFlags(ctx, i + 1, VALKEYMODULE_CMD_KEY_RO | VALKEYMODULE_CMD_KEY_ACCESS);
                i++;
            } else if (len > 0 && s[0] == 'k') {
                ValkeyModule_KeyAtPos(ctx, i);
            }
        }
        /* Replies made during a position request go nowhere. */
        return ValkeyModule_ReplyWithSimpleString(ctx, "IGNORED");
    }
    /* Outside a request these do nothing. */
    ValkeyModule_KeyAtPos(ctx, 1);
    ValkeyModule_ChannelAtPosWithFlags(ctx, 1, VALKEYMODULE_CMD_CHANNEL_PUBLISH);
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_IsKeysPositionRequest(ctx));
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_IsChannelsPositionRequest(ctx));
}

/* CMDS.CHANNELS (mode channel)...: getchannels-api; mode is sub, psub, pub or unsub. */
static int channels_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_IsChannelsPositionRequest(ctx)) {
        for (int i = 1; i + 1 < argc; i += 2) {
            const char *mode = ValkeyModule_StringPtrLen(argv[i], NULL);
            int flags = 0;
            if (!strcmp(mode, "sub")) flags = VALKEYMODULE_CMD_CHANNEL_SUBSCRIBE;
            else if (!strcmp(mode, "psub")) flags = VALKEYMODULE_CMD_CHANNEL_SUBSCRIBE | VALKEYMODULE_CMD_CHANNEL_PATTERN;
            else if (!strcmp(mode, "pub")) flags = VALKEYMODULE_CMD_CHANNEL_PUBLISH;
            else if (!strcmp(mode, "unsub")) flags = VALKEYMODULE_CMD_CHANNEL_UNSUBSCRIBE;
            ValkeyModule_ChannelAtPosWithFlags(ctx, i + 1, flags);
        }
        /* Keys are not being asked for: ignored. */
        ValkeyModule_KeyAtPos(ctx, 1);
        return VALKEYMODULE_OK;
    }
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

/* ---- command info ---- */

static ValkeyModuleCommandHistoryEntry info_history[] = {
    {"1.1.0", "Added the STORE option."},
    {"1.2.0", "Added the KEYS option."},
    {0},
};

static ValkeyModuleCommandKeySpec info_keyspecs[] = {
    {.notes = "the source key",
     .flags = VALKEYMODULE_CMD_KEY_RO | VALKEYMODULE_CMD_KEY_ACCESS,
     .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX,
     .bs.index.pos = 1,
     .find_keys_type = VALKEYMODULE_KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {.flags = VALKEYMODULE_CMD_KEY_OW | VALKEYMODULE_CMD_KEY_UPDATE,
     .begin_search_type = VALKEYMODULE_KSPEC_BS_KEYWORD,
     .bs.keyword = {"STORE", 2},
     .find_keys_type = VALKEYMODULE_KSPEC_FK_OMITTED},
    {.flags = VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_INSERT,
     .begin_search_type = VALKEYMODULE_KSPEC_BS_KEYWORD,
     .bs.keyword = {"KEYS", -1},
     .find_keys_type = VALKEYMODULE_KSPEC_FK_KEYNUM,
     .fk.keynum = {0, 1, 1}},
    {0},
};

static ValkeyModuleCommandArg info_mode_args[] = {
    {.name = "nx", .type = VALKEYMODULE_ARG_TYPE_PURE_TOKEN, .token = "NX"},
    {.name = "xx", .type = VALKEYMODULE_ARG_TYPE_PURE_TOKEN, .token = "XX", .since = "1.1.0"},
    {0},
};

static ValkeyModuleCommandArg info_keys_args[] = {
    {.name = "numkeys", .type = VALKEYMODULE_ARG_TYPE_INTEGER},
    {.name = "key", .type = VALKEYMODULE_ARG_TYPE_KEY, .key_spec_index = 2, .flags = VALKEYMODULE_CMD_ARG_MULTIPLE},
    {0},
};

static ValkeyModuleCommandArg info_args[] = {
    {.name = "src", .type = VALKEYMODULE_ARG_TYPE_KEY, .key_spec_index = 0, .summary = "where to read"},
    {.name = "mode", .type = VALKEYMODULE_ARG_TYPE_ONEOF, .flags = VALKEYMODULE_CMD_ARG_OPTIONAL, .subargs = info_mode_args},
    {.name = "dst",
     .type = VALKEYMODULE_ARG_TYPE_KEY,
     .key_spec_index = 1,
     .token = "STORE",
     .flags = VALKEYMODULE_CMD_ARG_OPTIONAL,
     .display_text = "destination"},
    {.name = "keys",
     .type = VALKEYMODULE_ARG_TYPE_BLOCK,
     .token = "KEYS",
     .flags = VALKEYMODULE_CMD_ARG_OPTIONAL,
     .since = "1.2.0",
     .subargs = info_keys_args},
    {.name = "pattern",
     .type = VALKEYMODULE_ARG_TYPE_PATTERN,
     .token = "MATCH",
     .flags = VALKEYMODULE_CMD_ARG_OPTIONAL | VALKEYMODULE_CMD_ARG_MULTIPLE_TOKEN,
     .deprecated_since = "1.3.0"},
    {.name = "when", .type = VALKEYMODULE_ARG_TYPE_UNIX_TIME, .flags = VALKEYMODULE_CMD_ARG_OPTIONAL, .token = "AT"},
    {.name = "ratio", .type = VALKEYMODULE_ARG_TYPE_DOUBLE, .flags = VALKEYMODULE_CMD_ARG_OPTIONAL, .token = "RATIO"},
    {.name = "label", .type = VALKEYMODULE_ARG_TYPE_STRING, .key_spec_index = -1, .flags = VALKEYMODULE_CMD_ARG_OPTIONAL | VALKEYMODULE_CMD_ARG_MULTIPLE},
    {0},
};

static ValkeyModuleCommandInfo info_info = {
    .version = VALKEYMODULE_COMMAND_INFO_VERSION,
    .summary = "Copies things around",
    .complexity = "O(N)",
    .since = "1.0.0",
    .history = info_history,
    .tips = "nondeterministic_output request_policy:all_shards",
    .arity = -2,
    .key_specs = info_keyspecs,
    .args = info_args,
};

/* The same kind of data, laid out with strides bigger than this header's structs: the host
 * must walk the arrays with the strides the version gives. */
typedef struct {
    ValkeyModuleCommandHistoryEntry e;
    char pad[24];
} BigHistory;
typedef struct {
    ValkeyModuleCommandKeySpec k;
    char pad[40];
} BigKeySpec;
typedef struct {
    ValkeyModuleCommandArg a;
    char pad[56];
} BigArg;

static const ValkeyModuleCommandInfoVersion big_version = {1, sizeof(BigHistory), sizeof(BigKeySpec), sizeof(BigArg)};

static BigHistory big_history[3];
static BigKeySpec big_keyspecs[3];
static BigArg big_subargs[3];
static BigArg big_args[3];

static void fill_big(void) {
    memset(big_history, 0x5a, sizeof(big_history));
    memset(big_keyspecs, 0x5a, sizeof(big_keyspecs));
    memset(big_subargs, 0x5a, sizeof(big_subargs));
    memset(big_args, 0x5a, sizeof(big_args));
    big_history[0].e = (ValkeyModuleCommandHistoryEntry){"2.0.0", "first change"};
    big_history[1].e = (ValkeyModuleCommandHistoryEntry){"2.1.0", "second change"};
    big_history[2].e = (ValkeyModuleCommandHistoryEntry){0};
    big_keyspecs[0].k = (ValkeyModuleCommandKeySpec){.flags = VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_DELETE,
                                                     .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX,
                                                     .bs.index.pos = 1,
                                                     .find_keys_type = VALKEYMODULE_KSPEC_FK_RANGE,
                                                     .fk.range = {-1, 2, 0}};
    big_keyspecs[1].k = (ValkeyModuleCommandKeySpec){.notes = "unknowable",
                                                     .flags = VALKEYMODULE_CMD_KEY_RM | VALKEYMODULE_CMD_KEY_NOT_KEY,
                                                     .begin_search_type = VALKEYMODULE_KSPEC_BS_UNKNOWN,
                                                     .find_keys_type = VALKEYMODULE_KSPEC_FK_UNKNOWN};
    big_keyspecs[2].k = (ValkeyModuleCommandKeySpec){0};
    big_subargs[0].a = (ValkeyModuleCommandArg){.name = "key", .type = VALKEYMODULE_ARG_TYPE_KEY, .key_spec_index = 0};
    big_subargs[1].a = (ValkeyModuleCommandArg){.name = "value", .type = VALKEYMODULE_ARG_TYPE_STRING};
    big_subargs[2].a = (ValkeyModuleCommandArg){0};
    big_args[0].a = (ValkeyModuleCommandArg){.name = "pair",
                                             .type = VALKEYMODULE_ARG_TYPE_BLOCK,
                                             .flags = VALKEYMODULE_CMD_ARG_MULTIPLE,
                                             .subargs = (ValkeyModuleCommandArg *)big_subargs};
    big_args[1].a = (ValkeyModuleCommandArg){.name = "force", .type = VALKEYMODULE_ARG_TYPE_PURE_TOKEN, .token = "FORCE", .flags = VALKEYMODULE_CMD_ARG_OPTIONAL};
    big_args[2].a = (ValkeyModuleCommandArg){0};
}

/* Invalid infos: each must fail with EINVAL and leave the command untouched. */
static ValkeyModuleCommandHistoryEntry bad_history[] = {{"1.0.0", NULL}, {0}};
static ValkeyModuleCommandKeySpec bad_ks_two_access[] = {
    {.flags = VALKEYMODULE_CMD_KEY_RO | VALKEYMODULE_CMD_KEY_RW, .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX, .bs.index.pos = 1},
    {0}};
static ValkeyModuleCommandKeySpec bad_ks_no_access[] = {
    {.flags = VALKEYMODULE_CMD_KEY_ACCESS, .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX, .bs.index.pos = 1},
    {0}};
static ValkeyModuleCommandKeySpec bad_ks_two_writes[] = {
    {.flags = VALKEYMODULE_CMD_KEY_RW | VALKEYMODULE_CMD_KEY_INSERT | VALKEYMODULE_CMD_KEY_DELETE,
     .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX,
     .bs.index.pos = 1},
    {0}};
static ValkeyModuleCommandKeySpec bad_ks_no_keyword[] = {
    {.flags = VALKEYMODULE_CMD_KEY_RO, .begin_search_type = VALKEYMODULE_KSPEC_BS_KEYWORD, .bs.keyword = {NULL, 1}},
    {0}};
static ValkeyModuleCommandKeySpec bad_ks_bs_type[] = {
    {.flags = VALKEYMODULE_CMD_KEY_RO, .begin_search_type = (ValkeyModuleKeySpecBeginSearchType)7},
    {0}};
static ValkeyModuleCommandKeySpec bad_ks_fk_type[] = {
    {.flags = VALKEYMODULE_CMD_KEY_RO,
     .begin_search_type = VALKEYMODULE_KSPEC_BS_INDEX,
     .bs.index.pos = 1,
     .find_keys_type = (ValkeyModuleKeySpecFindKeysType)9},
    {0}};
static ValkeyModuleCommandArg bad_arg_type[] = {{.name = "a", .type = (ValkeyModuleCommandArgType)42}, {0}};
static ValkeyModuleCommandArg bad_arg_token[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_PURE_TOKEN}, {0}};
static ValkeyModuleCommandArg bad_arg_keyidx[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_KEY, .key_spec_index = -1}, {0}};
static ValkeyModuleCommandArg bad_arg_keyidx2[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_STRING, .key_spec_index = 2}, {0}};
static ValkeyModuleCommandArg bad_arg_flags[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_STRING, .flags = 8}, {0}};
static ValkeyModuleCommandArg bad_arg_nosub[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_ONEOF}, {0}};
static ValkeyModuleCommandArg some_subargs[] = {{.name = "x", .type = VALKEYMODULE_ARG_TYPE_STRING}, {0}};
static ValkeyModuleCommandArg bad_arg_sub[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_STRING, .subargs = some_subargs}, {0}};
static ValkeyModuleCommandArg bad_subarg[] = {{.name = "y", .type = VALKEYMODULE_ARG_TYPE_PURE_TOKEN}, {0}};
static ValkeyModuleCommandArg bad_arg_deep[] = {{.name = "a", .type = VALKEYMODULE_ARG_TYPE_BLOCK, .subargs = bad_subarg}, {0}};

static int set_bad_info(ValkeyModuleCommand *cmd, const ValkeyModuleCommandInfoVersion *version,
                        ValkeyModuleCommandHistoryEntry *history, ValkeyModuleCommandKeySpec *specs,
                        ValkeyModuleCommandArg *args) {
    ValkeyModuleCommandInfo info = {
        .version = version, .summary = "bad", .history = history, .key_specs = specs, .args = args};
    return ValkeyModule_SetCommandInfo(cmd, &info);
}

/* ---- flag words ---- */

static const char *flag_words[] = {
    "write",     "readonly",   "admin",         "deny-oom",       "deny-script", "allow-loading",
    "pubsub",    "random",     "allow-stale",   "no-monitor",     "no-slowlog",  "no-commandlog",
    "fast",      "no-auth",    "may-replicate", "getkeys-api",    "no-cluster",  "no-mandatory-keys",
    "allow-busy", "getchannels-api", "blocking", NULL};

static char flag_cmd_names[32][48];

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "commands", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    nresults = 0;

    record("name in onload is null", ValkeyModule_GetCurrentCommandName(ctx) == NULL, 0);

    /* One command per flag word, and one with all of them in mixed case. */
    for (int i = 0; flag_words[i]; i++) {
        snprintf(flag_cmd_names[i], sizeof(flag_cmd_names[i]), "cmds.f.%s", flag_words[i]);
        REC(flag_cmd_names[i], ValkeyModule_CreateCommand(ctx, flag_cmd_names[i], name_command, flag_words[i], 0, 0, 0));
    }
    REC("allflags",
        ValkeyModule_CreateCommand(ctx, "cmds.allflags", name_command,
                                   "WRITE Readonly admin DENY-OOM deny-script allow-loading pubsub random "
                                   "allow-stale no-monitor no-slowlog fast no-auth may-replicate getkeys-api "
                                   "no-cluster no-mandatory-keys allow-busy getchannels-api Blocking",
                                   0, 0, 0));
    REC("noflags", ValkeyModule_CreateCommand(ctx, "cmds.noflags", name_command, NULL, 0, 0, 0));

    /* Bad flags and names: refused, nothing registered. */
    REC("unknown flag", ValkeyModule_CreateCommand(ctx, "cmds.badflag", name_command, "write bogus", 0, 0, 0));
    REC("double space", ValkeyModule_CreateCommand(ctx, "cmds.badflag2", name_command, "write  fast", 0, 0, 0));
    REC("trailing space", ValkeyModule_CreateCommand(ctx, "cmds.badflag3", name_command, "fast ", 0, 0, 0));
    REC("name space", ValkeyModule_CreateCommand(ctx, "cmds bad", name_command, "", 0, 0, 0));
    REC("name bar", ValkeyModule_CreateCommand(ctx, "cmds|bad", name_command, "", 0, 0, 0));
    REC("name at", ValkeyModule_CreateCommand(ctx, "cmds@bad", name_command, "", 0, 0, 0));
    REC("name equals", ValkeyModule_CreateCommand(ctx, "cmds=bad", name_command, "", 0, 0, 0));
    REC("name comma", ValkeyModule_CreateCommand(ctx, "cmds,bad", name_command, "", 0, 0, 0));
    REC("name newline", ValkeyModule_CreateCommand(ctx, "cmds\nbad", name_command, "", 0, 0, 0));
    REC("name cr", ValkeyModule_CreateCommand(ctx, "cmds\rbad", name_command, "", 0, 0, 0));

    /* Names. */
    REC("cmds.name", ValkeyModule_CreateCommand(ctx, "cmds.name", name_command, "fast", 0, 0, 0));
    REC("duplicate", ValkeyModule_CreateCommand(ctx, "CMDS.NAME", name_command, "fast", 0, 0, 0));
    REC("core name", ValkeyModule_CreateCommand(ctx, "PING", name_command, "fast", 0, 0, 0));
    REC("mixed case", ValkeyModule_CreateCommand(ctx, "Cmds.MixedCase", name_argc_command, "", 0, 0, 0));
    REC("results", ValkeyModule_CreateCommand(ctx, "cmds.results", results_command, "", 0, 0, 0));
    REC("getcmd", ValkeyModule_CreateCommand(ctx, "cmds.getcmd", getcmd_command, "", 0, 0, 0));
    REC("late", ValkeyModule_CreateCommand(ctx, "cmds.late", late_command, "", 0, 0, 0));
    name_cmd = ValkeyModule_GetCommand(ctx, "cmds.name");

    /* Legacy key triples. */
    REC("legacy", ValkeyModule_CreateCommand(ctx, "cmds.legacy", name_command, "write", 1, -1, 2));
    REC("legacy2", ValkeyModule_CreateCommand(ctx, "cmds.legacy2", name_command, "readonly", 2, 3, 1));

    /* getkeys-api / getchannels-api. */
    REC("getkeys", ValkeyModule_CreateCommand(ctx, "cmds.getkeys", getkeys_command, "getkeys-api", 0, 0, 0));
    REC("getkeys2", ValkeyModule_CreateCommand(ctx, "cmds.getkeys2", getkeys_command, "getkeys-api", 1, 1, 1));
    REC("channels", ValkeyModule_CreateCommand(ctx, "cmds.channels", channels_command, "getchannels-api", 0, 0, 0));

    /* Containers and subcommands. */
    REC("container", ValkeyModule_CreateCommand(ctx, "cmds.container", NULL, "", 0, 0, 0));
    container_cmd = ValkeyModule_GetCommand(ctx, "cmds.container");
    record("getcommand own", container_cmd != NULL, 0);
    record("getcommand other case", ValkeyModule_GetCommand(ctx, "CMDS.Container") == container_cmd, 0);
    record("getcommand unknown", ValkeyModule_GetCommand(ctx, "cmds.nosuch") != NULL, 0);
    record("getcommand core", ValkeyModule_GetCommand(ctx, "ping") != NULL, 0);
    REC("sub1", ValkeyModule_CreateSubcommand(container_cmd, "sub1", name_argc_command, "readonly fast", 0, 0, 0));
    REC("sub2", ValkeyModule_CreateSubcommand(container_cmd, "SUB2", name_argc_command, "write", 2, 2, 1));
    sub1_cmd = ValkeyModule_GetCommand(ctx, "cmds.container|SUB1");
    record("getcommand sub", sub1_cmd != NULL, 0);
    record("getcommand sub deeper", ValkeyModule_GetCommand(ctx, "cmds.container|sub1|x") != NULL, 0);
    REC("sub duplicate", ValkeyModule_CreateSubcommand(container_cmd, "Sub1", name_argc_command, "", 0, 0, 0));
    REC("sub nested", ValkeyModule_CreateSubcommand(sub1_cmd, "deep", name_argc_command, "", 0, 0, 0));
    REC("sub of non-container", ValkeyModule_CreateSubcommand(name_cmd, "x", name_argc_command, "", 0, 0, 0));
    REC("sub bad name", ValkeyModule_CreateSubcommand(container_cmd, "a b", name_argc_command, "", 0, 0, 0));
    REC("sub bad flag", ValkeyModule_CreateSubcommand(container_cmd, "sub3", name_argc_command, "nope", 0, 0, 0));
    REC("sub acl", ValkeyModule_SetCommandACLCategories(ValkeyModule_GetCommand(ctx, "cmds.container|sub2"), "write"));
    ValkeyModuleCommandInfo sub2_info = {.version = VALKEYMODULE_COMMAND_INFO_VERSION, .arity = 3};
    REC("sub2 arity", ValkeyModule_SetCommandInfo(ValkeyModule_GetCommand(ctx, "cmds.container|sub2"), &sub2_info));

    /* Command info. */
    REC("info create", ValkeyModule_CreateCommand(ctx, "cmds.info", name_argc_command, "readonly", 1, 1, 1));
    info_cmd = ValkeyModule_GetCommand(ctx, "cmds.info");
    REC("info set", ValkeyModule_SetCommandInfo(info_cmd, &info_info));
    REC("info again", ValkeyModule_SetCommandInfo(info_cmd, &info_info));

    REC("stride create", ValkeyModule_CreateCommand(ctx, "cmds.stride", name_command, "write", 0, 0, 0));
    fill_big();
    ValkeyModuleCommandInfo stride_info = {
        .version = &big_version,
        .history = (ValkeyModuleCommandHistoryEntry *)big_history,
        .key_specs = (ValkeyModuleCommandKeySpec *)big_keyspecs,
        .args = (ValkeyModuleCommandArg *)big_args,
    };
    REC("stride set", ValkeyModule_SetCommandInfo(ValkeyModule_GetCommand(ctx, "cmds.stride"), &stride_info));

    ValkeyModuleCommandInfo arity_info = {.version = VALKEYMODULE_COMMAND_INFO_VERSION, .arity = 2};
    REC("mixed arity", ValkeyModule_SetCommandInfo(ValkeyModule_GetCommand(ctx, "cmds.mixedcase"), &arity_info));

    REC("badinfo create", ValkeyModule_CreateCommand(ctx, "cmds.badinfo", name_command, "", 1, 1, 1));
    ValkeyModuleCommand *bad = ValkeyModule_GetCommand(ctx, "cmds.badinfo");
    const ValkeyModuleCommandInfoVersion *v = VALKEYMODULE_COMMAND_INFO_VERSION;
    REC("bad no version", set_bad_info(bad, NULL, NULL, NULL, NULL));
    REC("bad history", set_bad_info(bad, v, bad_history, NULL, NULL));
    REC("bad two access flags", set_bad_info(bad, v, NULL, bad_ks_two_access, NULL));
    REC("bad no access flag", set_bad_info(bad, v, NULL, bad_ks_no_access, NULL));
    REC("bad two write flags", set_bad_info(bad, v, NULL, bad_ks_two_writes, NULL));
    REC("bad no keyword", set_bad_info(bad, v, NULL, bad_ks_no_keyword, NULL));
    REC("bad bs type", set_bad_info(bad, v, NULL, bad_ks_bs_type, NULL));
    REC("bad fk type", set_bad_info(bad, v, NULL, bad_ks_fk_type, NULL));
    REC("bad arg type", set_bad_info(bad, v, NULL, NULL, bad_arg_type));
    REC("bad pure token", set_bad_info(bad, v, NULL, NULL, bad_arg_token));
    REC("bad key index", set_bad_info(bad, v, NULL, NULL, bad_arg_keyidx));
    REC("bad key index on string", set_bad_info(bad, v, NULL, NULL, bad_arg_keyidx2));
    REC("bad arg flags", set_bad_info(bad, v, NULL, NULL, bad_arg_flags));
    REC("bad oneof without subargs", set_bad_info(bad, v, NULL, NULL, bad_arg_nosub));
    REC("bad subargs on string", set_bad_info(bad, v, NULL, NULL, bad_arg_sub));
    REC("bad subarg", set_bad_info(bad, v, NULL, NULL, bad_arg_deep));
    /* Nothing was stored: an arity alone is accepted, and does not count as info being set. */
    ValkeyModuleCommandInfo arity3 = {.version = v, .arity = 3};
    REC("badinfo arity", ValkeyModule_SetCommandInfo(bad, &arity3));
    ValkeyModuleCommandInfo summary_only = {.version = v, .summary = "finally"};
    REC("badinfo summary", ValkeyModule_SetCommandInfo(bad, &summary_only));
    REC("badinfo again", ValkeyModule_SetCommandInfo(bad, &summary_only));

    /* ACL categories. */
    REC("acl create", ValkeyModule_CreateCommand(ctx, "cmds.acl", name_command, "write", 0, 0, 0));
    REC("acl set", ValkeyModule_SetCommandACLCategories(ValkeyModule_GetCommand(ctx, "cmds.acl"), "Slow write slow"));
    REC("addcat", ValkeyModule_AddACLCategory(ctx, "cmds-cat_1"));
    REC("addcat duplicate", ValkeyModule_AddACLCategory(ctx, "CMDS-CAT_1"));
    REC("addcat core", ValkeyModule_AddACLCategory(ctx, "read"));
    REC("addcat space", ValkeyModule_AddACLCategory(ctx, "bad cat"));
    REC("addcat bang", ValkeyModule_AddACLCategory(ctx, "bad!"));
    REC("addcat empty", ValkeyModule_AddACLCategory(ctx, ""));
    REC("acl2 create", ValkeyModule_CreateCommand(ctx, "cmds.acl2", name_command, "", 0, 0, 0));
    REC("acl2 set", ValkeyModule_SetCommandACLCategories(ValkeyModule_GetCommand(ctx, "cmds.acl2"), "cmds-cat_1 READ"));
    REC("acl3 create", ValkeyModule_CreateCommand(ctx, "cmds.acl3", name_command, "", 0, 0, 0));
    REC("acl3 unknown", ValkeyModule_SetCommandACLCategories(ValkeyModule_GetCommand(ctx, "cmds.acl3"), "write nosuch"));

    if (argc > 0 && !strcmp(ValkeyModule_StringPtrLen(argv[0], NULL), "fillcats")) {
        static char names[80][16];
        int added = 0, rc = VALKEYMODULE_OK, err = 0;
        for (int i = 0; i < 80 && rc == VALKEYMODULE_OK; i++) {
            snprintf(names[i], sizeof(names[i]), "fill%d", i);
            errno = 0;
            rc = ValkeyModule_AddACLCategory(ctx, names[i]);
            if (rc == VALKEYMODULE_OK) added++;
            else err = errno;
        }
        record("fillcats added", added, 0);
        record("fillcats last", rc, err);
    }
    return VALKEYMODULE_OK;
}
