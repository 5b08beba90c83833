/* forker: the Fork API (Fork, SendChildHeartbeat, ExitFromChild, KillForkChild).
 *
 *   FORKER.FORK <file> <exitcode> [<gofile>]
 *        forks; the child writes "child <exitcode>" to <file>, then (with <gofile>) waits
 *        until <gofile> exists (at most ~20 s), then ExitFromChild(exitcode). Replies the
 *        child's pid, or an error "ERR fork failed: <errno text>" when Fork returns -1
 *   FORKER.DONE     [done handler calls, last exitcode, last bysignal, last user data tag]
 *   FORKER.KILL <pid>   KillForkChild: OK or ERR
 *   FORKER.HEARTBEAT    SendChildHeartbeat(0.5) from the parent (a no-op): OK
 *   FORKER.EXIT         ExitFromChild in the parent: 1 when refused (ERR)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "valkeymodule.h"

static long long done_calls = 0;
static long long last_exitcode = 0;
static long long last_bysignal = 0;
static long long last_tag = 0;
static long long next_tag = 0;

static void done_handler(int exitcode, int bysignal, void *user_data) {
    done_calls++;
    last_exitcode = exitcode;
    last_bysignal = bysignal;
    last_tag = (long long)(intptr_t)user_data;
}

static int fork_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 3 && argc != 4) return ValkeyModule_WrongArity(ctx);
    long long code;
    if (ValkeyModule_StringToLongLong(argv[2], &code) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR bad exit code");
    /* Copy what the child needs before forking: it must not call engine APIs. */
    char file[512], gofile[512];
    snprintf(file, sizeof(file), "%s", ValkeyModule_StringPtrLen(argv[1], NULL));
    gofile[0] = '\0';
    if (argc == 4) snprintf(gofile, sizeof(gofile), "%s", ValkeyModule_StringPtrLen(argv[3], NULL));
    next_tag++;
    int pid = ValkeyModule_Fork(done_handler, (void *)(intptr_t)next_tag);
    if (pid == 0) {
        /* Child: plain C only. */
        int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            char line[64];
            int n = snprintf(line, sizeof(line), "child %lld", code);
            if (write(fd, line, (size_t)n) < 0) code = 99;
            close(fd);
        }
        if (gofile[0]) {
            for (int i = 0; i < 20000 && access(gofile, F_OK) != 0; i++) usleep(1000);
        }
        ValkeyModule_ExitFromChild((int)code);
        _exit(98); /* not reached */
    }
    if (pid < 0) {
        char err[128];
        snprintf(err, sizeof(err), "ERR fork failed: %s", strerror(errno));
        return ValkeyModule_ReplyWithError(ctx, err);
    }
    return ValkeyModule_ReplyWithLongLong(ctx, pid);
}

static int done_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, done_calls);
    ValkeyModule_ReplyWithLongLong(ctx, last_exitcode);
    ValkeyModule_ReplyWithLongLong(ctx, last_bysignal);
    return ValkeyModule_ReplyWithLongLong(ctx, last_tag);
}

static int kill_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    long long pid;
    if (ValkeyModule_StringToLongLong(argv[1], &pid) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR bad pid");
    if (ValkeyModule_KillForkChild((int)pid) != VALKEYMODULE_OK) return ValkeyModule_ReplyWithError(ctx, "ERR kill failed");
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int heartbeat_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    ValkeyModule_SendChildHeartbeat(0.5);
    return ValkeyModule_ReplyWithSimpleString(ctx, "OK");
}

static int exit_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_ExitFromChild(3) == VALKEYMODULE_ERR);
}

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "forker", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "forker.fork", fork_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "forker.done", done_cmd, "readonly", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "forker.kill", kill_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "forker.heartbeat", heartbeat_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR)
        return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "forker.exit", exit_cmd, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
