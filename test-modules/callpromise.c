/*
 * callpromise: ValkeyModule_Call of commands that block, and PROMISE call replies.
 *
 *   CP.CALL cmd args...        Call without K ("Ev"): the reply, or "NULL reply returned".
 *   CP.ASYNC cmd args...       Call with K (unless the context may not block): a plain reply
 *                              is forwarded; a PROMISE blocks this client, and the unblock
 *                              handler forwards the command's reply and unblocks it.
 *   CP.FORGET cmd args...      Call with K: "Blocked" for a PROMISE (freed at once, no
 *                              handler: fire and forget), else the reply.
 *   CP.TYPE cmd args...        Call with K: the reply type (PROMISE is 12), the promise left
 *                              to complete without a handler.
 *   CP.ABORT cmd args...       Call with K; for a PROMISE: sets a handler with private data,
 *                              aborts, aborts again. Replies [first abort == OK, private data
 *                              returned, second abort == OK, handler calls so far].
 *   CP.HANDLED                 how many times the CP.ABORT handler ran (must stay 0).
 *   CP.ASYNCSET key cmd args...  CP.ASYNC whose unblock handler also runs SET key <popped
 *                              reply type> through Call from the handler's context.
 *   CP.BLOCK                   a module blocking command: BlockClient until CP.RELEASE.
 *   CP.RELEASE value           unblocks the client blocked by CP.BLOCK; it replies `value`.
 *   CP.FLAGS                   the context flags (DENY_BLOCKING is 1<<21).
 */
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static int abort_handler_calls = 0;
static ValkeyModuleBlockedClient *held = NULL;

/* ------------------------------------------------------------------------------------- */

static int cp_call(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    const char *cmd = ValkeyModule_StringPtrLen(argv[1], NULL);
    ValkeyModuleCallReply *rep = ValkeyModule_Call(ctx, cmd, "Ev", argv + 2, (size_t)argc - 2);
    if (!rep) return ValkeyModule_ReplyWithError(ctx, "NULL reply returned");
    ValkeyModule_ReplyWithCallReply(ctx, rep);
    ValkeyModule_FreeCallReply(rep);
    return VALKEYMODULE_OK;
}

/* The promise reply is the blocked client's private data: freed with it. */
static void async_free_pd(ValkeyModuleCtx *ctx, void *pd) {
    VALKEYMODULE_NOT_USED(ctx);
    ValkeyModule_FreeCallReply(pd);
}

/* The client went away: abort the command it waits for. */
static void async_disconnect(ValkeyModuleCtx *ctx, ValkeyModuleBlockedClient *bc) {
    VALKEYMODULE_NOT_USED(ctx);
    ValkeyModuleCallReply *rep = ValkeyModule_BlockClientGetPrivateData(bc);
    ValkeyModule_CallReplyPromiseAbort(rep, NULL);
    ValkeyModule_AbortBlock(bc);
}

/* The called command completed: forward its reply to the blocked client. */
static void async_on_unblocked(ValkeyModuleCtx *ctx, ValkeyModuleCallReply *reply, void *pd) {
    VALKEYMODULE_NOT_USED(ctx);
    ValkeyModuleBlockedClient *bc = pd;
    ValkeyModuleCtx *bctx = ValkeyModule_GetThreadSafeContext(bc);
    ValkeyModule_ReplyWithCallReply(bctx, reply);
    ValkeyModule_FreeCallReply(reply);
    ValkeyModule_FreeThreadSafeContext(bctx);
    ValkeyModule_UnblockClient(bc, ValkeyModule_BlockClientGetPrivateData(bc));
}

/* Private data of CP.ASYNCSET: the client and the key the handler writes. */
typedef struct {
    ValkeyModuleBlockedClient *bc;
    ValkeyModuleString *key;
    ValkeyModuleCallReply *promise;
} AsyncSet;

static void asyncset_free_pd(ValkeyModuleCtx *ctx, void *pd) {
    AsyncSet *as = pd;
    ValkeyModule_FreeCallReply(as->promise);
    ValkeyModule_FreeString(ctx, as->key);
    ValkeyModule_Free(as);
}

static void asyncset_on_unblocked(ValkeyModuleCtx *ctx, ValkeyModuleCallReply *reply, void *pd) {
    AsyncSet *as = pd;
    /* The handler's own context can run commands (in the blocked command's database). */
    ValkeyModuleCallReply *r = ValkeyModule_Call(ctx, "SET", "!sl", as->key, (long long)ValkeyModule_CallReplyType(reply));
    if (r) ValkeyModule_FreeCallReply(r);
    ValkeyModuleCtx *bctx = ValkeyModule_GetThreadSafeContext(as->bc);
    ValkeyModule_ReplyWithCallReply(bctx, reply);
    ValkeyModule_FreeCallReply(reply);
    ValkeyModule_FreeThreadSafeContext(bctx);
    ValkeyModule_UnblockClient(as->bc, as);
}

static int cp_async(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    const char *fmt = (ValkeyModule_GetContextFlags(ctx) & VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING) ? "Ev!" : "KEv!";
    const char *cmd = ValkeyModule_StringPtrLen(argv[1], NULL);
    ValkeyModuleCallReply *rep = ValkeyModule_Call(ctx, cmd, fmt, argv + 2, (size_t)argc - 2);
    if (!rep) return ValkeyModule_ReplyWithError(ctx, "NULL reply returned");
    if (ValkeyModule_CallReplyType(rep) != VALKEYMODULE_REPLY_PROMISE) {
        ValkeyModule_ReplyWithCallReply(ctx, rep);
        ValkeyModule_FreeCallReply(rep);
        return VALKEYMODULE_OK;
    }
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, NULL, NULL, async_free_pd, 0);
    ValkeyModule_SetDisconnectCallback(bc, async_disconnect);
    ValkeyModule_BlockClientSetPrivateData(bc, rep);
    ValkeyModule_CallReplyPromiseSetUnblockHandler(rep, async_on_unblocked, bc);
    return VALKEYMODULE_OK;
}

static int cp_asyncset(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 3) return ValkeyModule_WrongArity(ctx);
    const char *cmd = ValkeyModule_StringPtrLen(argv[2], NULL);
    ValkeyModuleCallReply *rep = ValkeyModule_Call(ctx, cmd, "KEv!", argv + 3, (size_t)argc - 3);
    if (!rep) return ValkeyModule_ReplyWithError(ctx, "NULL reply returned");
    if (ValkeyModule_CallReplyType(rep) != VALKEYMODULE_REPLY_PROMISE) {
        ValkeyModule_ReplyWithCallReply(ctx, rep);
        ValkeyModule_FreeCallReply(rep);
        return VALKEYMODULE_OK;
    }
    AsyncSet *as = ValkeyModule_Alloc(sizeof(*as));
    as->bc = ValkeyModule_BlockClient(ctx, NULL, NULL, asyncset_free_pd, 0);
    as->key = ValkeyModule_HoldString(NULL, argv[1]);
    as->promise = rep;
    ValkeyModule_CallReplyPromiseSetUnblockHandler(rep, asyncset_on_unblocked, as);
    return VALKEYMODULE_OK;
}

static int cp_forget(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    const char *cmd = ValkeyModule_StringPtrLen(argv[1], NULL);
    ValkeyModuleCallReply *rep = ValkeyModule_Call(ctx, cmd, "!KEv", argv + 2, (size_t)argc - 2);
    if (!rep) return ValkeyModule_ReplyWithError(ctx, "NULL reply returned");
    if (ValkeyModule_CallReplyType(rep) != VALKEYMODULE_REPLY_PROMISE)
        ValkeyModule_ReplyWithCallReply(ctx, rep);
    else
        ValkeyModule_ReplyWithSimpleString(ctx, "Blocked");
    ValkeyModule_FreeCallReply(rep);
    return VALKEYMODULE_OK;
}

static int cp_type(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    const char *cmd = ValkeyModule_StringPtrLen(argv[1], NULL);
    ValkeyModuleCallReply *rep = ValkeyModule_Call(ctx, cmd, "KEv", argv + 2, (size_t)argc - 2);
    if (!rep) return ValkeyModule_ReplyWithError(ctx, "NULL reply returned");
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_CallReplyType(rep));
    ValkeyModule_FreeCallReply(rep);
    return VALKEYMODULE_OK;
}

static void abort_on_unblocked(ValkeyModuleCtx *ctx, ValkeyModuleCallReply *reply, void *pd) {
    VALKEYMODULE_NOT_USED(ctx);
    VALKEYMODULE_NOT_USED(pd);
    abort_handler_calls++;
    ValkeyModule_FreeCallReply(reply);
}

static int cp_abort(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    const char *cmd = ValkeyModule_StringPtrLen(argv[1], NULL);
    ValkeyModuleCallReply *rep = ValkeyModule_Call(ctx, cmd, "KEv", argv + 2, (size_t)argc - 2);
    if (!rep) return ValkeyModule_ReplyWithError(ctx, "NULL reply returned");
    if (ValkeyModule_CallReplyType(rep) != VALKEYMODULE_REPLY_PROMISE) {
        ValkeyModule_ReplyWithCallReply(ctx, rep);
        ValkeyModule_FreeCallReply(rep);
        return VALKEYMODULE_OK;
    }
    static int marker;
    ValkeyModule_CallReplyPromiseSetUnblockHandler(rep, abort_on_unblocked, &marker);
    void *pd = NULL;
    int first = ValkeyModule_CallReplyPromiseAbort(rep, &pd);
    void *pd2 = NULL;
    int second = ValkeyModule_CallReplyPromiseAbort(rep, &pd2);
    ValkeyModule_FreeCallReply(rep);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, first == VALKEYMODULE_OK);
    ValkeyModule_ReplyWithLongLong(ctx, pd == &marker);
    ValkeyModule_ReplyWithLongLong(ctx, second == VALKEYMODULE_OK);
    ValkeyModule_ReplyWithLongLong(ctx, abort_handler_calls);
    return VALKEYMODULE_OK;
}

static int cp_handled(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, abort_handler_calls);
}

/* ------------------------------------------------------------------------------------- */

static int block_reply(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModuleString *v = ValkeyModule_GetBlockedClientPrivateData(ctx);
    return ValkeyModule_ReplyWithString(ctx, v);
}

static void block_free(ValkeyModuleCtx *ctx, void *pd) {
    ValkeyModule_FreeString(ctx, pd);
}

static int cp_block(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModuleBlockedClient *bc = ValkeyModule_BlockClient(ctx, block_reply, NULL, block_free, 0);
    /* Born aborted (MULTI, a call without K...): the error was replied; release it now. */
    if (held == NULL) held = bc;
    else ValkeyModule_AbortBlock(bc);
    return VALKEYMODULE_OK;
}

static int cp_release(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!held) return ValkeyModule_ReplyWithError(ctx, "ERR nothing blocked");
    ValkeyModuleBlockedClient *bc = held;
    held = NULL;
    ValkeyModule_UnblockClient(bc, ValkeyModule_HoldString(NULL, argv[1]));
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int cp_flags(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetContextFlags(ctx));
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "callpromise", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    struct {
        const char *name;
        ValkeyModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"cp.call", cp_call, ""},         {"cp.async", cp_async, ""},     {"cp.asyncset", cp_asyncset, ""},
        {"cp.forget", cp_forget, ""},     {"cp.type", cp_type, ""},       {"cp.abort", cp_abort, ""},
        {"cp.handled", cp_handled, ""},   {"cp.block", cp_block, ""},     {"cp.release", cp_release, ""},
        {"cp.flags", cp_flags, ""},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (ValkeyModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == VALKEYMODULE_ERR)
            return VALKEYMODULE_ERR;
    }
    return VALKEYMODULE_OK;
}
