// Module data types: the registry of types modules created with CreateDataType and the
// table of live module values, per host.
//
// A value lives in native memory; the TypeScript keyspace holds a ModuleValue carrying a
// handle (an index into the host's value table, never a raw pointer). The TypeScript side
// (src/modules/module-types.ts) reaches the callbacks through the addon's
// moduleType(op, ...) method, served by modtype_napi().
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../../include/valkeymodule.h"
#include "host.h"

/** A type registered with CreateDataType: the methods of the version the module passed
 *  (later fields stay NULL). */
struct ValkeyModuleType {
    vmhost::Host *host = nullptr;
    vmhost::Module *module = nullptr;
    char name[10] = {0};   // 9 characters + NUL
    uint64_t id = 0;       // 9 x 6 bits of name, then the 10-bit encver
    int encver = 0;
    uint32_t index = 0;    // in the host's type table (what TypeScript knows the type by)
    uint64_t methodsVersion = 0;
    ValkeyModuleTypeLoadFunc rdb_load = nullptr;
    ValkeyModuleTypeSaveFunc rdb_save = nullptr;
    ValkeyModuleTypeRewriteFunc aof_rewrite = nullptr;
    ValkeyModuleTypeMemUsageFunc mem_usage = nullptr;
    ValkeyModuleTypeDigestFunc digest = nullptr;
    ValkeyModuleTypeFreeFunc free = nullptr;
    ValkeyModuleTypeAuxLoadFunc aux_load = nullptr;
    ValkeyModuleTypeAuxSaveFunc aux_save = nullptr;
    int aux_save_triggers = 0;
    ValkeyModuleTypeFreeEffortFunc free_effort = nullptr;
    ValkeyModuleTypeUnlinkFunc unlink = nullptr;
    ValkeyModuleTypeCopyFunc copy = nullptr;
    ValkeyModuleTypeDefragFunc defrag = nullptr;
    ValkeyModuleTypeMemUsageFunc2 mem_usage2 = nullptr;
    ValkeyModuleTypeFreeEffortFunc2 free_effort2 = nullptr;
    ValkeyModuleTypeUnlinkFunc2 unlink2 = nullptr;
    ValkeyModuleTypeCopyFunc2 copy2 = nullptr;
    ValkeyModuleTypeAuxSaveFunc aux_save2 = nullptr;
};

/** What mem_usage2, free_effort2, unlink2 and copy2 get (the *FromOptCtx accessors). */
struct ValkeyModuleKeyOptCtx {
    ValkeyModuleString *from_key = nullptr;
    ValkeyModuleString *to_key = nullptr;
    int from_dbid = -1;
    int to_dbid = -1;
};

namespace vmhost {

/** Key ops of the module types area (src/modules/key-ops-types.ts). */
enum TypeKeyOp {
    KOP_MT_SET = 1200,  // (db, key, handle, typeIndex) -> replaces the key with the value (TTL dropped)
    KOP_MT_GET = 1201,  // (db, key) -> [typeIndex, handle] or null (missing / not a module value)
};

/** Operations of the addon's moduleType(op, ...) (mirrored in src/modules/module-types.ts). */
enum MtOp {
    MT_TYPE_INFO = 0,
    MT_FREE = 1,
    MT_UNLINK = 2,
    MT_COPY = 3,
    MT_MEM_USAGE = 4,
    MT_FREE_EFFORT = 5,
    MT_SAVE = 6,
    MT_LOAD = 7,
    MT_AUX_SAVE = 8,
    MT_AUX_LOAD = 9,
    MT_DIGEST = 10,
    MT_AOF_REWRITE = 11,
    MT_TYPE_COUNT = 12,
};

/** One live module value. */
struct ValueSlot {
    ValkeyModuleType *type = nullptr;  // nullptr: free slot
    void *value = nullptr;
};

/** The types and values of one host. */
struct TypeTable {
    std::vector<ValkeyModuleType *> types;  // by index
    std::vector<ValueSlot> values;          // by handle
    std::vector<uint32_t> freeHandles;
};

/** The host's table (created on first use). */
TypeTable &type_table(Host *h);
/** Forgets a host's table (the host is going away); values are not freed. */
void type_table_drop(Host *h);
/** Forgets the types of a module whose OnLoad failed (their indices stay unused). */
void module_types_forget(Host *h, Module *m);
/** True when the module registered at least one data type (it cannot be unloaded). */
bool module_has_types(const Module *m);
/** The registered type whose id matches `id` on the name bits (moduleTypeLookupModuleByID). */
ValkeyModuleType *type_by_id(Host *h, uint64_t id);
/** The type with exactly this name of a loaded module (not one in its OnLoad), or nullptr. */
ValkeyModuleType *type_by_name(Host *h, const char *name);
/** Stores a value and returns its handle. */
uint32_t value_new(Host *h, ValkeyModuleType *mt, void *value);
/** A live slot by handle, or nullptr. */
ValueSlot *value_slot(Host *h, uint32_t handle);

/** Serves the addon's moduleType(op, ...). */
Napi::Value modtype_napi(Host *h, const Napi::CallbackInfo &info);

// RDB encoding helpers (rdbio.cc), shared with the IO API.

/** Appends an RDB length (1, 2, 5 or 9 bytes). */
void rdb_put_len(std::string &out, uint64_t n);
/** Appends an RDB string: integer-encoded when it is a canonical integer of at most 32
 *  bits, LZF-compressed when `compress` and longer than 20 bytes and it shrinks, else raw. */
void rdb_put_string(std::string &out, const char *p, size_t n, bool compress);
/** Reads an RDB length at *pos; false on a short read (or an encoded-value marker when
 *  `encoded` is null). */
bool rdb_get_len(const uint8_t *buf, size_t end, size_t *pos, uint64_t *out, bool *encoded = nullptr);
/** Reads an RDB string in any encoding (raw, integer, LZF); false when short or corrupt. */
bool rdb_get_string(const uint8_t *buf, size_t end, size_t *pos, std::string &out);

}  // namespace vmhost
