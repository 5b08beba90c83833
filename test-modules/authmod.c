/* Test module for module authentication (test/moduleauth.test.ts).
 *
 *   authmod.register <kind>   registers an auth callback:
 *       plain     user "foo": password "allow" authenticates as foo; "deny" adds an ACL LOG
 *                 entry (object "Module Auth") and denies with "Auth denied by Misc Module.";
 *                 "badblock" calls BlockClient (refused during auth); else not handled
 *       blocking  blocks every attempt (BlockClientOnAuth); a thread sleeps (authmod.delay) and
 *                 releases it: "block_allow" authenticates as the user, "block_deny" denies
 *                 like plain's deny, "block_abort" uses AbortBlock, anything else is not
 *                 handled by the reply callback
 *       first     password "who": denies with "first"
 *       second    password "who": denies with "second"
 *       plainerr  password "dash": denies with "-CUSTOM own code"
 *   authmod.blockonauth       BlockClientOnAuth outside authentication (NULL and an error)
 *   authmod.freed             how many times free_privdata ran
 *   authmod.delay <ms>        how long the blocking callback's thread sleeps (default 20)
 *
 * OnLoad with the argument "plain" registers a plain callback at once.
 */
#include "valkeymodule.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long freed_count;
static long long delay_ms = 20;

static int is(ValkeyModuleString *s, const char *what) {
    size_t len;
    const char *p = ValkeyModule_StringPtrLen(s, &len);
    return len == strlen(what) && memcmp(p, what, len) == 0;
}

static int deny(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString **err) {
    ValkeyModuleString *log = ValkeyModule_CreateString(ctx, "Module Auth", 11);
    ValkeyModule_ACLAddLogEntryByUserName(ctx, username, log, VALKEYMODULE_ACL_LOG_AUTH);
    ValkeyModule_FreeString(ctx, log);
    const char *msg = "Auth denied by Misc Module.";
    *err = ValkeyModule_CreateString(ctx, msg, strlen(msg));
    return VALKEYMODULE_AUTH_HANDLED;
}

static int plain_cb(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString *password,
                    ValkeyModuleString **err) {
    if (!is(username, "foo")) return VALKEYMODULE_AUTH_NOT_HANDLED;
    if (is(password, "allow")) {
        ValkeyModule_AuthenticateClientWithACLUser(ctx, "foo", 3, NULL, NULL, NULL);
        return VALKEYMODULE_AUTH_HANDLED;
    }
    if (is(password, "deny")) return deny(ctx, username, err);
    if (is(password, "badblock")) {
        ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, NULL, NULL, NULL, 0);
        if (bc) ValkeyModule_AbortBlock(bc);
        return VALKEYMODULE_AUTH_HANDLED;
    }
    return VALKEYMODULE_AUTH_NOT_HANDLED;
}

static int first_cb(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString *password,
                    ValkeyModuleString **err) {
    (void)username;
    if (!is(password, "who")) return VALKEYMODULE_AUTH_NOT_HANDLED;
    *err = ValkeyModule_CreateString(ctx, "first", 5);
    return VALKEYMODULE_AUTH_HANDLED;
}

static int second_cb(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString *password,
                     ValkeyModuleString **err) {
    (void)username;
    if (!is(password, "who")) return VALKEYMODULE_AUTH_NOT_HANDLED;
    *err = ValkeyModule_CreateString(ctx, "second", 6);
    return VALKEYMODULE_AUTH_HANDLED;
}

static int plainerr_cb(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString *password,
                       ValkeyModuleString **err) {
    (void)username;
    if (!is(password, "dash")) return VALKEYMODULE_AUTH_NOT_HANDLED;
    *err = ValkeyModule_CreateString(ctx, "-CUSTOM own code", 16);
    return VALKEYMODULE_AUTH_HANDLED;
}

/* Blocking: the thread's verdict travels as privdata. */
enum { V_ALLOW = 1, V_DENY, V_NEXT };

#define MAXWORKERS 256
static pthread_t workers[MAXWORKERS];
static int nworkers;

struct job {
    ValkeyModuleBlockedClient *bc;
    int verdict; /* 0: abort */
};

static void *worker(void *arg) {
    struct job *j = arg;
    usleep((useconds_t)(delay_ms * 1000));
    if (j->verdict == 0) {
        ValkeyModule_AbortBlock(j->bc);
    } else {
        int *v = malloc(sizeof(int));
        *v = j->verdict;
        ValkeyModule_UnblockClient(j->bc, v);
    }
    free(j);
    return NULL;
}

static void free_verdict(ValkeyModuleCtx *ctx, void *p) {
    (void)ctx;
    freed_count++;
    free(p);
}

static int blocking_reply(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString *password,
                          ValkeyModuleString **err) {
    (void)password;
    int *v = ValkeyModule_GetBlockedClientPrivateData(ctx);
    if (!v || *v == V_NEXT) return VALKEYMODULE_AUTH_NOT_HANDLED;
    if (*v == V_ALLOW) {
        size_t len;
        const char *name = ValkeyModule_StringPtrLen(username, &len);
        ValkeyModule_AuthenticateClientWithACLUser(ctx, name, len, NULL, NULL, NULL);
        return VALKEYMODULE_AUTH_HANDLED;
    }
    return deny(ctx, username, err);
}

static int blocking_cb(ValkeyModuleCtx *ctx, ValkeyModuleString *username, ValkeyModuleString *password,
                       ValkeyModuleString **err) {
    (void)username;
    (void)err;
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClientOnAuth(ctx, blocking_reply, free_verdict);
    if (!bc) return VALKEYMODULE_AUTH_HANDLED;
    struct job *j = malloc(sizeof(*j));
    j->bc = bc;
    j->verdict = is(password, "block_allow") ? V_ALLOW
                 : is(password, "block_deny") ? V_DENY
                 : is(password, "block_abort") ? 0
                                               : V_NEXT;
    pthread_t tid;
    if (nworkers == MAXWORKERS || pthread_create(&tid, NULL, worker, j) != 0) {
        ValkeyModule_AbortBlock(bc);
        free(j);
        return VALKEYMODULE_AUTH_HANDLED;
    }
    /* joined in OnUnload: a worker still returning from this .so must not outlive dlclose */
    workers[nworkers++] = tid;
    return VALKEYMODULE_AUTH_HANDLED;
}

static int register_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleAuthCallback cb = is(argv[1], "plain")      ? plain_cb
                                  : is(argv[1], "blocking") ? blocking_cb
                                  : is(argv[1], "first")    ? first_cb
                                  : is(argv[1], "second")   ? second_cb
                                  : is(argv[1], "plainerr") ? plainerr_cb
                                                            : NULL;
    if (!cb) return ValkeyModule_ReplyWithError(ctx, "ERR unknown kind");
    ValkeyModule_RegisterAuthCallback(ctx, cb);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int blockonauth_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClientOnAuth(ctx, blocking_reply, free_verdict);
    /* NULL: the client already got the error reply. */
    if (bc) ValkeyModule_ReplyWithError(ctx, "ERR unexpectedly blocked");
    return VALKEYMODULE_OK;
}

static int freed_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return ValkeyModule_ReplyWithLongLong(ctx, freed_count);
}

static int delay_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long ms;
    if (ValkeyModule_StringToLongLong(argv[1], &ms) != VALKEYMODULE_OK || ms < 0)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid delay");
    delay_ms = ms;
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (ValkeyModule_Init(ctx, "authmod", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "authmod.register", register_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "authmod.blockonauth", blockonauth_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "authmod.freed", freed_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "authmod.delay", delay_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (argc >= 1 && is(argv[0], "plain")) ValkeyModule_RegisterAuthCallback(ctx, plain_cb);
    return VALKEYMODULE_OK;
}

int ValkeyModule_OnUnload(ValkeyModuleCtx *ctx) {
    (void)ctx;
    for (int i = 0; i < nworkers; i++) pthread_join(workers[i], NULL);
    nworkers = 0;
    return VALKEYMODULE_OK;
}
