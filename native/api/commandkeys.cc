// Key extraction for modules: GetCommandKeys / GetCommandKeysWithFlags find the key
// arguments of any command line (core or module) the way COMMAND GETKEYSANDFLAGS does. The
// command table lives in the TypeScript engine; each call is one crossing into the key
// bridge (op 750, served by src/modules/key-ops-clients.ts).
#include <cerrno>
#include <string>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/memory.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// (a: argv strings) -> [pos, flags, ...], or -1 unknown command, -2 wrong arity, -3 no keys.
constexpr int OP_COMMAND_KEYS = 750;

}  // namespace

/** The positions of the key arguments of argv[0..argc) (a vm_malloc'd array the module frees
 *  with Free, its length in *num_keys) and, when out_flags is not NULL, their
 *  VALKEYMODULE_CMD_KEY_* flags in a second such array. NULL with errno ENOENT for an unknown
 *  command, EINVAL for a wrong argument count, and errno 0 when the command has no keys. */
extern "C" int *VM_GetCommandKeysWithFlags(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc,
                                           int *num_keys, int **out_flags) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (num_keys) *num_keys = 0;
    if (out_flags) *out_flags = nullptr;
    if (!h || !argv || argc <= 0) {
        errno = ENOENT;
        return nullptr;
    }
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Array args = Napi::Array::New(env, static_cast<size_t>(argc));
    for (int i = 0; i < argc; i++) args.Set(static_cast<uint32_t>(i), bytes_to_js(env, argv[i]->ptr, argv[i]->len));
    Napi::Value r = key_op(h, OP_COMMAND_KEYS, 0, nullptr, args);
    if (!r.IsArray()) {
        int code = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : -3;
        errno = code == -1 ? ENOENT : code == -2 ? EINVAL : 0;
        return nullptr;
    }
    Napi::Array flat = r.As<Napi::Array>();
    int n = static_cast<int>(flat.Length() / 2);
    if (n == 0) {
        errno = 0;
        return nullptr;
    }
    int *keys = static_cast<int *>(vm_malloc(sizeof(int) * static_cast<size_t>(n)));
    int *flags = out_flags ? static_cast<int *>(vm_malloc(sizeof(int) * static_cast<size_t>(n))) : nullptr;
    for (int i = 0; i < n; i++) {
        keys[i] = flat.Get(static_cast<uint32_t>(2 * i)).As<Napi::Number>().Int32Value();
        if (flags) flags[i] = flat.Get(static_cast<uint32_t>(2 * i + 1)).As<Napi::Number>().Int32Value();
    }
    if (num_keys) *num_keys = n;
    if (out_flags) *out_flags = flags;
    return keys;
}

/** GetCommandKeysWithFlags without the flags. */
extern "C" int *VM_GetCommandKeys(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc, int *num_keys) {
    return VM_GetCommandKeysWithFlags(ctx, argv, argc, num_keys, nullptr);
}
