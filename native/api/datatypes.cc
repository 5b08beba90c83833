// Module data types: CreateDataType, ModuleTypeSetValue/GetType/GetValue/ReplaceValue and
// the KeyOptCtx accessors. The registry and the value table live in host/modtype.cc.
#include <cstring>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/key.h"
#include "../host/modtype.h"

using namespace vmhost;

namespace {

const char kTypeNameCharset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The 64-bit id of a type name and encver (moduleTypeEncodeId); 0 when the name is not 9
 *  characters of the charset or encver is outside 0..1023. */
uint64_t encode_type_id(const char *name, int encver) {
    if (!name || strlen(name) != 9) return 0;
    if (encver < 0 || encver > 1023) return 0;
    uint64_t id = 0;
    for (int j = 0; j < 9; j++) {
        const char *p = strchr(kTypeNameCharset, name[j]);
        if (!p) return 0;
        id = (id << 6) | static_cast<uint64_t>(p - kTypeNameCharset);
    }
    return (id << 10) | static_cast<uint64_t>(encver);
}

/** The module value a key holds: its slot, or nullptr (missing key / other type). */
ValueSlot *key_slot(ValkeyModuleKey *key) {
    if (!key || !key->ctx || !key->ctx->host) return nullptr;
    Host *h = key->ctx->host;
    if (key->dma) key_flush_dma(key);
    Napi::HandleScope scope(h->env);
    Napi::Value r = key_op(h, KOP_MT_GET, key->db, key->name);
    if (!r.IsArray()) return nullptr;
    Napi::Array a = r.As<Napi::Array>();
    return value_slot(h, a.Get(1u).As<Napi::Number>().Uint32Value());
}

}  // namespace

extern "C" {

/**
 * Registers a module data type (OnLoad only). The name is exactly 9 characters from
 * A-Z a-z 0-9 - _ and unique among loaded types, encver is 0..1023, and the id they make
 * must not be 0 ("AAAAAAAAA" with encver 0). The methods struct is read by its version:
 * 1 up to free, 2 adds aux_*, 3 free_effort/unlink/copy/defrag, 4 the *2 callbacks, 5
 * aux_save2 (later versions read as 5). Returns NULL when any rule is broken or version is 0.
 */
ValkeyModuleType *VM_CreateDataType(ValkeyModuleCtx *ctx, const char *name, int encver, void *typemethods_ptr) {
    if (!ctx || !ctx->module || !ctx->module->onLoad || !typemethods_ptr) return nullptr;
    Host *h = ctx->host ? ctx->host : ctx->module->host;
    uint64_t id = encode_type_id(name, encver);
    if (id == 0) return nullptr;
    if (type_by_name(h, name)) return nullptr;
    const ValkeyModuleTypeMethods *tm = static_cast<const ValkeyModuleTypeMethods *>(typemethods_ptr);
    uint64_t ver = tm->version;
    if (ver == 0) return nullptr;
    ValkeyModuleType *mt = new ValkeyModuleType();
    mt->host = h;
    mt->module = ctx->module;
    memcpy(mt->name, name, 9);
    mt->id = id;
    mt->encver = encver;
    mt->methodsVersion = ver;
    mt->rdb_load = tm->rdb_load;
    mt->rdb_save = tm->rdb_save;
    mt->aof_rewrite = tm->aof_rewrite;
    mt->mem_usage = tm->mem_usage;
    mt->digest = tm->digest;
    mt->free = tm->free;
    if (ver >= 2) {
        mt->aux_load = tm->aux_load;
        mt->aux_save = tm->aux_save;
        mt->aux_save_triggers = tm->aux_save_triggers;
    }
    if (ver >= 3) {
        mt->free_effort = tm->free_effort;
        mt->unlink = tm->unlink;
        mt->copy = tm->copy;
        mt->defrag = tm->defrag;
    }
    if (ver >= 4) {
        mt->mem_usage2 = tm->mem_usage2;
        mt->free_effort2 = tm->free_effort2;
        mt->unlink2 = tm->unlink2;
        mt->copy2 = tm->copy2;
    }
    if (ver >= 5) mt->aux_save2 = tm->aux_save2;
    TypeTable &t = type_table(h);
    mt->index = static_cast<uint32_t>(t.types.size());
    t.types.push_back(mt);
    return mt;
}

/**
 * Stores a value of type mt in the key (opened for writing), replacing whatever it held:
 * the old value is deleted first (a module value is freed through its type's free after
 * the command), the TTL dropped. ERR on a read-only handle.
 */
int VM_ModuleTypeSetValue(ValkeyModuleKey *key, ValkeyModuleType *mt, void *value) {
    if (!key || !mt || !(key->mode & VALKEYMODULE_WRITE) || key->zsetIter || key->streamIter) return VALKEYMODULE_ERR;
    Host *h = key->ctx->host;
    if (key->dma) key_flush_dma(key);
    uint32_t handle = value_new(h, mt, value);
    Napi::HandleScope scope(h->env);
    key_op(h, KOP_MT_SET, key->db, key->name, Napi::Number::New(h->env, handle),
           Napi::Number::New(h->env, mt->index));
    return VALKEYMODULE_OK;
}

/** The type of the module value the key holds, or NULL (empty key or another type). */
ValkeyModuleType *VM_ModuleTypeGetType(ValkeyModuleKey *key) {
    ValueSlot *s = key_slot(key);
    return s ? s->type : nullptr;
}

/** The module value the key holds, or NULL (empty key or another type). */
void *VM_ModuleTypeGetValue(ValkeyModuleKey *key) {
    ValueSlot *s = key_slot(key);
    return s ? s->value : nullptr;
}

/**
 * Swaps the value of a key holding a module value of type mt (write handle) for new_value
 * without freeing the old one, which is returned through old_value when not NULL. ERR for
 * a read-only handle, an empty key, another type or another module type.
 */
int VM_ModuleTypeReplaceValue(ValkeyModuleKey *key, ValkeyModuleType *mt, void *new_value, void **old_value) {
    if (!key || !(key->mode & VALKEYMODULE_WRITE) || key->zsetIter || key->streamIter) return VALKEYMODULE_ERR;
    ValueSlot *s = key_slot(key);
    if (!s || s->type != mt) return VALKEYMODULE_ERR;
    if (old_value) *old_value = s->value;
    s->value = new_value;
    return VALKEYMODULE_OK;
}

/** The source key of a KeyOptCtx (the key of mem_usage2/free_effort2/unlink2, COPY's source). */
const ValkeyModuleString *VM_GetKeyNameFromOptCtx(ValkeyModuleKeyOptCtx *ctx) { return ctx ? ctx->from_key : nullptr; }

/** COPY's destination key (NULL outside copy2). */
const ValkeyModuleString *VM_GetToKeyNameFromOptCtx(ValkeyModuleKeyOptCtx *ctx) { return ctx ? ctx->to_key : nullptr; }

/** The source key's database. */
int VM_GetDbIdFromOptCtx(ValkeyModuleKeyOptCtx *ctx) { return ctx ? ctx->from_dbid : -1; }

/** COPY's destination database (-1 outside copy2). */
int VM_GetToDbIdFromOptCtx(ValkeyModuleKeyOptCtx *ctx) { return ctx ? ctx->to_dbid : -1; }

}  // extern "C"
