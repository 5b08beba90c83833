/* memory: exercises the heap allocation API and replies checkable results.
 *
 *   MEM.ALLOC <n>        Alloc n bytes -> [MallocSize >= n, MallocUsableSize == MallocSize,
 *                        all n bytes writable]
 *   MEM.CALLOC <n> <m>   Calloc -> 1 when all n*m bytes are zero (TryCalloc too)
 *   MEM.REALLOC          grows and shrinks a block with Realloc/TryRealloc, checking contents
 *   MEM.TRY              [TryAlloc(huge), TryCalloc(overflowing), TryRealloc(p, huge)] as
 *                        1 when NULL was returned; the old block of TryRealloc stays usable
 *   MEM.STRDUP <s>       Strdup of the argument's text
 *   MEM.POOL <n>...      PoolAlloc each n; per request 1 when the pointer has the promised
 *                        alignment (word for n >= word, else the next power of two), -1 when
 *                        NULL was returned
 *   MEM.POOLBIG <n>      PoolAlloc of n bytes, filled and checked -> 1
 *   MEM.SIZESTR <s>      MallocSizeString of the argument
 *   MEM.SIZEDICT <n>     MallocSizeDict of a dict with n keys
 *   MEM.RATIO            GetUsedMemoryRatio scaled by 1e6 (an integer)
 *   MEM.THREADS <n>      4 threads Alloc/Realloc/Free n blocks each -> 1
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkeymodule.h"

static int invalid(ValkeyModuleCtx *ctx) { return ValkeyModule_ReplyWithError(ctx, "ERR invalid"); }

static int getll(ValkeyModuleString *s, long long *v) {
    return ValkeyModule_StringToLongLong(s, v) == VALKEYMODULE_OK && *v >= 0;
}

static int alloc_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!getll(argv[1], &n)) return invalid(ctx);
    unsigned char *p = ValkeyModule_Alloc((size_t)n);
    memset(p, 0xAB, (size_t)n);
    int ok = 1;
    for (long long i = 0; i < n; i++) ok &= p[i] == 0xAB;
    size_t size = ValkeyModule_MallocSize(p);
    size_t usable = ValkeyModule_MallocUsableSize(p);
    ValkeyModule_Free(p);
    ValkeyModule_ReplyWithArray(ctx, 3);
    ValkeyModule_ReplyWithLongLong(ctx, size >= (size_t)n);
    ValkeyModule_ReplyWithLongLong(ctx, usable == size);
    ValkeyModule_ReplyWithLongLong(ctx, ok);
    return VALKEYMODULE_OK;
}

static int calloc_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n, m;
    if (argc != 3) return ValkeyModule_WrongArity(ctx);
    if (!getll(argv[1], &n) || !getll(argv[2], &m)) return invalid(ctx);
    unsigned char *p = ValkeyModule_Calloc((size_t)n, (size_t)m);
    unsigned char *q = ValkeyModule_TryCalloc((size_t)n, (size_t)m);
    int ok = p != NULL && q != NULL;
    for (long long i = 0; ok && i < n * m; i++) ok &= p[i] == 0 && q[i] == 0;
    ValkeyModule_Free(p);
    ValkeyModule_Free(q);
    return ValkeyModule_ReplyWithLongLong(ctx, ok);
}

static int realloc_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    unsigned char *p = ValkeyModule_Realloc(NULL, 16); /* NULL pointer: allocates */
    for (int i = 0; i < 16; i++) p[i] = (unsigned char)i;
    p = ValkeyModule_Realloc(p, 1 << 20);
    int ok = 1;
    for (int i = 0; i < 16; i++) ok &= p[i] == i;
    p[(1 << 20) - 1] = 0x5A;
    ok &= ValkeyModule_MallocSize(p) >= (1 << 20);
    p = ValkeyModule_TryRealloc(p, 8);
    ok &= p != NULL;
    for (int i = 0; ok && i < 8; i++) ok &= p[i] == i;
    ValkeyModule_Free(p);
    ValkeyModule_Free(NULL); /* ignored */
    return ValkeyModule_ReplyWithLongLong(ctx, ok);
}

static int try_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    size_t huge = SIZE_MAX - 4096;
    void *a = ValkeyModule_TryAlloc(huge);
    void *c = ValkeyModule_TryCalloc((size_t)1 << 40, (size_t)1 << 40); /* overflows size_t */
    char *p = ValkeyModule_Alloc(32);
    strcpy(p, "still here");
    void *r = ValkeyModule_TryRealloc(p, huge);
    int intact = r == NULL && strcmp(p, "still here") == 0;
    ValkeyModule_Free(p);
    ValkeyModule_ReplyWithArray(ctx, 4);
    ValkeyModule_ReplyWithLongLong(ctx, a == NULL);
    ValkeyModule_ReplyWithLongLong(ctx, c == NULL);
    ValkeyModule_ReplyWithLongLong(ctx, r == NULL);
    ValkeyModule_ReplyWithLongLong(ctx, intact);
    return VALKEYMODULE_OK;
}

static int strdup_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    const char *src = ValkeyModule_StringPtrLen(argv[1], NULL);
    char *d = ValkeyModule_Strdup(src);
    if (d == src) return ValkeyModule_ReplyWithError(ctx, "ERR not a copy");
    ValkeyModule_ReplyWithCString(ctx, d);
    ValkeyModule_Free(d);
    return VALKEYMODULE_OK;
}

static int pool_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc < 2) return ValkeyModule_WrongArity(ctx);
    ValkeyModule_ReplyWithArray(ctx, argc - 1);
    for (int i = 1; i < argc; i++) {
        long long n;
        if (!getll(argv[i], &n)) return invalid(ctx);
        char *p = ValkeyModule_PoolAlloc(ctx, (size_t)n);
        if (!p) {
            ValkeyModule_ReplyWithLongLong(ctx, -1);
            continue;
        }
        size_t align = sizeof(void *);
        while (align / 2 >= (size_t)n) align /= 2;
        memset(p, 'x', (size_t)n);
        ValkeyModule_ReplyWithLongLong(ctx, ((uintptr_t)p % align) == 0);
    }
    return VALKEYMODULE_OK;
}

static int poolbig_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!getll(argv[1], &n) || n == 0) return invalid(ctx);
    unsigned char *a = ValkeyModule_PoolAlloc(ctx, (size_t)n);
    unsigned char *b = ValkeyModule_PoolAlloc(ctx, 16);
    memset(a, 0x11, (size_t)n);
    memset(b, 0x22, 16);
    int ok = a != b;
    for (long long i = 0; i < n; i++) ok &= a[i] == 0x11;
    for (int i = 0; i < 16; i++) ok &= b[i] == 0x22;
    return ValkeyModule_ReplyWithLongLong(ctx, ok);
}

static int sizestr_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)ValkeyModule_MallocSizeString(argv[1]));
}

static int sizedict_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!getll(argv[1], &n)) return invalid(ctx);
    ValkeyModuleDict *d = ValkeyModule_CreateDict(NULL);
    for (long long i = 0; i < n; i++) {
        char key[32];
        int len = snprintf(key, sizeof(key), "key:%lld", i);
        ValkeyModule_DictSetC(d, key, (size_t)len, NULL);
    }
    size_t size = ValkeyModule_MallocSizeDict(d);
    ValkeyModule_FreeDict(NULL, d);
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)size);
}

static int ratio_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    if (argc != 1) return ValkeyModule_WrongArity(ctx);
    float r = ValkeyModule_GetUsedMemoryRatio();
    return ValkeyModule_ReplyWithLongLong(ctx, (long long)(r * 1e6f));
}

static void *alloc_worker(void *arg) {
    long long n = *(long long *)arg;
    int *ok = ValkeyModule_Alloc(sizeof(int));
    *ok = 1;
    for (long long i = 0; i < n; i++) {
        size_t sz = (size_t)(i % 200) + 1;
        unsigned char *p = ValkeyModule_Alloc(sz);
        memset(p, (int)(i & 0xFF), sz);
        p = ValkeyModule_Realloc(p, sz * 3);
        for (size_t j = 0; j < sz; j++) *ok &= p[j] == (unsigned char)(i & 0xFF);
        ValkeyModule_Free(p);
        char *s = ValkeyModule_Strdup("thread");
        ValkeyModule_Free(s);
    }
    return ok;
}

static int threads_cmd(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    long long n;
    if (argc != 2) return ValkeyModule_WrongArity(ctx);
    if (!getll(argv[1], &n)) return invalid(ctx);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, alloc_worker, &n);
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        void *res;
        pthread_join(t[i], &res);
        ok &= *(int *)res;
        ValkeyModule_Free(res);
    }
    return ValkeyModule_ReplyWithLongLong(ctx, ok);
}

#define CMD(name, fn)                                                                                \
    if (ValkeyModule_CreateCommand(ctx, name, fn, "fast", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR

int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    VALKEYMODULE_NOT_USED(argv);
    VALKEYMODULE_NOT_USED(argc);
    if (ValkeyModule_Init(ctx, "memory", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    CMD("mem.alloc", alloc_cmd);
    CMD("mem.calloc", calloc_cmd);
    CMD("mem.realloc", realloc_cmd);
    CMD("mem.try", try_cmd);
    CMD("mem.strdup", strdup_cmd);
    CMD("mem.pool", pool_cmd);
    CMD("mem.poolbig", poolbig_cmd);
    CMD("mem.sizestr", sizestr_cmd);
    CMD("mem.sizedict", sizedict_cmd);
    CMD("mem.ratio", ratio_cmd);
    CMD("mem.threads", threads_cmd);
    return VALKEYMODULE_OK;
}
