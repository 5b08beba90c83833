/* misc: clocks, random data, version and capability masks, cluster key slots.
 *
 *   MISC.TIME            [Milliseconds, Microseconds, CachedMicroseconds, MonotonicMicroseconds]
 *   MISC.CACHED          [CachedMicroseconds before and after a 3 ms sleep] (the same value
 *                        within one command when the host caches the command's start time)
 *   MISC.MONO            MonotonicMicroseconds after a 2 ms sleep minus before
 *   MISC.RANDBYTES <n>   n bytes from GetRandomBytes (bulk), or "ERR overrun" if the call
 *                        wrote past n bytes
 *   MISC.RANDHEX <n>     n chars from GetRandomHexChars, or "ERR overrun"
 *   MISC.VERSION         [GetServerVersion, GetTypeMethodVersion, GetModuleOptionsAll,
 *                         GetContextFlagsAll, GetKeyspaceNotificationFlagsAll, GetOpenKeyModesAll]
 *   MISC.KEYSLOT <key>   ClusterKeySlot
 *   MISC.CANON <slot>    ClusterCanonicalKeyNameInSlot (null for NULL)
 *   MISC.CANONALL        [slots whose canonical name maps back to the slot, longest name length]
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "valkeymodule.h"

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static int time_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_Milliseconds());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_Microseconds());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_CachedMicroseconds());
    ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_MonotonicMicroseconds());
    return VALKEYMODULE_OK;
}

static int cached_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    long long a = ValkeyModule_CachedMicroseconds();
    sleep_ms(3);
    long long b = ValkeyModule_CachedMicroseconds();
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, a);
    ValkeyModule_ReplyWithLongLong(ctx, b);
    return VALKEYMODULE_OK;
}

static int mono_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    uint64_t a = ValkeyModule_MonotonicMicroseconds();
    sleep_ms(2);
    uint64_t b = ValkeyModule_MonotonicMicroseconds();
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)(b - a));
}

#define CANARY 8

static int randbytes_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 0)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid");
    unsigned char *buf = ValkeyModule_Alloc((size_t)n + CANARY);
    memset(buf, 0xEE, (size_t)n + CANARY);
    ValkeyModule_GetRandomBytes(buf, (size_t)n);
    for (int i = 0; i < CANARY; i++)
        if (buf[n + i] != 0xEE) {
            ValkeyModule_Free(buf);
            return ValkeyModule_ReplyWithError(ctx, "ERR overrun");
        }
    ValkeyModule_ReplyWithStringBuffer(ctx, (const char *)buf, (size_t)n);
    ValkeyModule_Free(buf);
    return VALKEYMODULE_OK;
}

static int randhex_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (ValkeyModule_StringToLongLong(argv[1], &n) != VALKEYMODULE_OK || n < 0)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid");
    char *buf = ValkeyModule_Alloc((size_t)n + CANARY);
    memset(buf, 'Z', (size_t)n + CANARY);
    ValkeyModule_GetRandomHexChars(buf, (size_t)n);
    for (int i = 0; i < CANARY; i++)
        if (buf[n + i] != 'Z') {
            ValkeyModule_Free(buf);
            return ValkeyModule_ReplyWithError(ctx, "ERR overrun");
        }
    ValkeyModule_ReplyWithStringBuffer(ctx, buf, (size_t)n);
    ValkeyModule_Free(buf);
    return VALKEYMODULE_OK;
}

static int version_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, 6);
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetServerVersion());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetTypeMethodVersion());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetModuleOptionsAll());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetContextFlagsAll());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetKeyspaceNotificationFlagsAll());
    ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_GetOpenKeyModesAll());
    return VALKEYMODULE_OK;
}

static int keyslot_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, ValkeyModule_ClusterKeySlot(argv[1]));
}

static int canon_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long slot;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (ValkeyModule_StringToLongLong(argv[1], &slot) != VALKEYMODULE_OK)
        return ValkeyModule_ReplyWithError(ctx, "ERR invalid");
    const char *name = ValkeyModule_ClusterCanonicalKeyNameInSlot((unsigned int)slot);
    if (!name) return ValkeyModule_ReplyWithNull(ctx);
    return ValkeyModule_ReplyWithCString(ctx, name);
}

static int canonall_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    long long good = 0, longest = 0;
    for (unsigned int slot = 0; slot < 16384; slot++) {
        const char *name = ValkeyModule_ClusterCanonicalKeyNameInSlot(slot);
        if (!name) continue;
        size_t len = strlen(name);
        if ((long long)len > longest) longest = (long long)len;
        ValkeyModuleString *s = ValkeyModule_CreateString(NULL, name, len);
        if (ValkeyModule_ClusterKeySlot(s) == slot) good++;
        ValkeyModule_FreeString(NULL, s);
    }
    ValkeyModule_ReplyWithArray(ctx, 2);
    ValkeyModule_ReplyWithLongLong(ctx, good);
    ValkeyModule_ReplyWithLongLong(ctx, longest);
    return VALKEYMODULE_OK;
}

#define CMD(name, fn)                                                                                \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "fast", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "misc", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    CMD("misc.time", time_cmd);
    CMD("misc.cached", cached_cmd);
    CMD("misc.mono", mono_cmd);
    CMD("misc.randbytes", randbytes_cmd);
    CMD("misc.randhex", randhex_cmd);
    CMD("misc.version", version_cmd);
    CMD("misc.keyslot", keyslot_cmd);
    CMD("misc.canon", canon_cmd);
    CMD("misc.canonall", canonall_cmd);
    return VALKEYMODULE_OK;
}
