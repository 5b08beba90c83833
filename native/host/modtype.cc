// Module data types: per-host type registry and value table, and the addon's
// moduleType(op, ...) that src/modules/module-types.ts calls for RDB save/load, aux records,
// digests, AOF rewrite, and the value lifecycle (free, unlink, copy, memory usage).
#include "modtype.h"

#include <cstring>
#include <memory>
#include <unordered_map>

#include "context.h"
#include "io.h"
#include "jsbytes.h"
#include "vmstring.h"

namespace vmhost {

namespace {

std::unordered_map<const Host *, std::unique_ptr<TypeTable>> &tables() {
    static std::unordered_map<const Host *, std::unique_ptr<TypeTable>> t;
    return t;
}

constexpr unsigned char RDB_OPCODE_MODULE_AUX = 247;
constexpr uint64_t RDB_MODULE_OPCODE_EOF = 0;
constexpr uint64_t RDB_MODULE_OPCODE_UINT = 2;
constexpr int RDB_TYPE_MODULE_2 = 7;

/** A JS value as a key string (null/undefined: none). */
ValkeyModuleString *js_key(const Napi::Value &v) {
    if (!v.IsString()) return nullptr;
    napi_env env = v.Env();
    size_t len = 0;
    napi_get_value_string_latin1(env, v, nullptr, 0, &len);
    ValkeyModuleString *s = vmstr_new_uninit(len);
    napi_get_value_string_latin1(env, v, s->ptr, len + 1, &len);
    return s;
}

/** RAII holder of a key string made from a JS argument. */
struct KeyArg {
    ValkeyModuleString *s;
    explicit KeyArg(const Napi::Value &v) : s(js_key(v)) {}
    ~KeyArg() {
        if (s) vmstr_decref(s);
    }
};

int arg_int(const Napi::CallbackInfo &info, size_t i, int dflt = 0) {
    return info.Length() > i && info[i].IsNumber() ? info[i].As<Napi::Number>().Int32Value() : dflt;
}

/** Saves one value through rdb_save: id, opcodes, EOF. */
void save_value(Host *h, ValueSlot *slot, ValkeyModuleString *key, int db, bool compress, std::string &out) {
    ValkeyModuleType *mt = slot->type;
    rdb_put_len(out, mt->id);
    ValkeyModuleIO io;
    io.type = mt;
    io.module = mt->module;
    io.key = key;
    io.dbid = db;
    io.out = &out;
    io.compress = compress;
    if (mt->rdb_save) {
        CurrentHostScope scope(h);
        mt->rdb_save(&io, slot->value);
    }
    io_finish(&io);
    rdb_put_len(out, RDB_MODULE_OPCODE_EOF);
}

/** Writes the aux record of one type for `when` (rdbSaveSingleModuleAux); nothing when an
 *  aux_save2 callback saved nothing. */
void save_aux(Host *h, ValkeyModuleType *mt, int when, bool compress, std::string &out) {
    std::string header;
    header.push_back(static_cast<char>(RDB_OPCODE_MODULE_AUX));  // an opcode is one byte
    rdb_put_len(header, mt->id);
    rdb_put_len(header, RDB_MODULE_OPCODE_UINT);  // "when" is prefixed by a UINT opcode
    rdb_put_len(header, static_cast<uint64_t>(when));
    std::string body;
    ValkeyModuleIO io;
    io.type = mt;
    io.module = mt->module;
    io.out = &body;
    io.compress = compress;
    CurrentHostScope scope(h);
    if (mt->aux_save2) {
        io.preFlush = header;
        io.hasPreFlush = true;
        mt->aux_save2(&io, when);
        io_finish(&io);
        if (io.hasPreFlush) return;  // nothing written: no record at all
    } else {
        body = header;
        mt->aux_save(&io, when);
        io_finish(&io);
    }
    rdb_put_len(body, RDB_MODULE_OPCODE_EOF);
    out.append(body);
}

Napi::Value error_text(Napi::Env env, const std::string &s) { return Napi::String::New(env, s); }

/** MT_LOAD: (buf, pos, end, id, key, db, rdbType) -> [typeIndex, handle, pos] | error text. */
Napi::Value load_value(Host *h, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> buf = info[1].As<Napi::Buffer<uint8_t>>();
    size_t pos = static_cast<size_t>(info[2].As<Napi::Number>().Int64Value());
    size_t end = static_cast<size_t>(info[3].As<Napi::Number>().Int64Value());
    uint64_t id = std::stoull(info[4].As<Napi::String>().Utf8Value());
    KeyArg key(info[5]);
    int db = arg_int(info, 6, -1);
    int rdbType = arg_int(info, 7, RDB_TYPE_MODULE_2);
    ValkeyModuleType *mt = type_by_id(h, id);
    if (!mt) return error_text(env, "");  // caller reports the unknown type
    if (end > buf.Length()) end = buf.Length();
    ValkeyModuleIO io;
    io.type = mt;
    io.module = mt->module;
    io.key = key.s;
    io.dbid = db;
    io.in = buf.Data();
    io.pos = pos;
    io.end = end;
    io.ver = rdbType == RDB_TYPE_MODULE_2 ? 2 : 1;
    void *ptr = nullptr;
    if (mt->rdb_load) {
        CurrentHostScope scope(h);
        ptr = mt->rdb_load(&io, static_cast<int>(id & 1023));
    }
    io_finish(&io);
    auto discard = [&]() {
        if (ptr && mt->free) {
            CurrentHostScope scope(h);
            mt->free(ptr);
        }
    };
    const std::string modName = mt->module ? mt->module->name : "";
    if (io.error) {
        discard();
        return error_text(env, "The RDB file contains module data for the module type '" + modName +
                                   "', that the responsible module is not able to load. Check for modules log above "
                                   "for additional clues.");
    }
    if (rdbType == RDB_TYPE_MODULE_2) {
        uint64_t eof;
        if (!rdb_get_len(io.in, io.end, &io.pos, &eof)) {
            discard();
            return error_text(env, "Short read module EOF marker");
        }
        if (eof != RDB_MODULE_OPCODE_EOF) {
            discard();
            return error_text(env, "The RDB file contains module data for the module '" + modName +
                                       "' that is not terminated by the proper module value EOF marker");
        }
    }
    if (!ptr)
        return error_text(env, "The RDB file contains module data for the module type '" + modName +
                                   "', that the responsible module is not able to load. Check for modules log above "
                                   "for additional clues.");
    uint32_t handle = value_new(h, mt, ptr);
    Napi::Array out = Napi::Array::New(env, 3);
    out.Set(0u, Napi::Number::New(env, mt->index));
    out.Set(1u, Napi::Number::New(env, handle));
    out.Set(2u, Napi::Number::New(env, static_cast<double>(io.pos)));
    return out;
}

/** MT_AUX_LOAD: (buf, pos, end) -> pos | error text (after the 247 opcode). */
Napi::Value load_aux(Host *h, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> buf = info[1].As<Napi::Buffer<uint8_t>>();
    size_t pos = static_cast<size_t>(info[2].As<Napi::Number>().Int64Value());
    size_t end = static_cast<size_t>(info[3].As<Napi::Number>().Int64Value());
    if (end > buf.Length()) end = buf.Length();
    const uint8_t *in = buf.Data();
    uint64_t id, whenOp, when;
    if (!rdb_get_len(in, end, &pos, &id) || !rdb_get_len(in, end, &pos, &whenOp) || !rdb_get_len(in, end, &pos, &when))
        return error_text(env, "Short read module AUX header");
    if (whenOp != RDB_MODULE_OPCODE_UINT) return error_text(env, "bad when_opcode");
    ValkeyModuleType *mt = type_by_id(h, id);
    char name[10];
    {
        static const char cs[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        uint64_t rest = id >> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = cs[rest & 63];
            rest >>= 6;
        }
        name[9] = 0;
    }
    if (!mt)
        return error_text(env, std::string("The RDB file contains AUX module data I can't load: no matching module '") +
                                   name + "'");
    if (!mt->aux_load)
        return error_text(env, std::string("The RDB file contains module AUX data, but the module '") + name +
                                   "' doesn't seem to support it.");
    ValkeyModuleIO io;
    io.type = mt;
    io.module = mt->module;
    io.in = in;
    io.pos = pos;
    io.end = end;
    io.ver = 2;
    int rc;
    {
        CurrentHostScope scope(h);
        rc = mt->aux_load(&io, static_cast<int>(id & 1023), static_cast<int>(when));
    }
    io_finish(&io);
    if (rc != VALKEYMODULE_OK || io.error)
        return error_text(env, std::string("The RDB file contains module AUX data for the module type '") + name +
                                   "', that the responsible module is not able to load. Check for modules log above "
                                   "for additional clues.");
    uint64_t eof;
    if (!rdb_get_len(in, end, &io.pos, &eof) || eof != RDB_MODULE_OPCODE_EOF)
        return error_text(env, std::string("The RDB file contains module AUX data for the module '") + name +
                                   "' that is not terminated by the proper module value EOF marker");
    return Napi::Number::New(env, static_cast<double>(io.pos));
}

}  // namespace

TypeTable &type_table(Host *h) {
    auto &t = tables()[h];
    if (!t) t = std::make_unique<TypeTable>();
    return *t;
}

void type_table_drop(Host *h) { tables().erase(h); }

void module_types_forget(Host *h, Module *m) {
    auto it = tables().find(h);
    if (it == tables().end()) return;
    for (ValkeyModuleType *&mt : it->second->types)
        if (mt && mt->module == m) {
            delete mt;
            mt = nullptr;
        }
}

bool module_has_types(const Module *m) {
    if (!m) return false;
    auto it = tables().find(m->host);
    if (it == tables().end()) return false;
    for (ValkeyModuleType *mt : it->second->types)
        if (mt && mt->module == m) return true;
    return false;
}

ValkeyModuleType *type_by_id(Host *h, uint64_t id) {
    auto it = tables().find(h);
    if (it == tables().end()) return nullptr;
    for (ValkeyModuleType *mt : it->second->types)
        if (mt && (mt->id >> 10) == (id >> 10)) return mt;
    return nullptr;
}

ValkeyModuleType *type_by_name(Host *h, const char *name) {
    auto it = tables().find(h);
    if (it == tables().end() || !name) return nullptr;
    // As Valkey, only loaded modules count: a module still in its OnLoad is not registered
    // yet, so it may register one name twice (the later type is then shadowed).
    for (ValkeyModuleType *mt : it->second->types)
        if (mt && !(mt->module && mt->module->onLoad) && strcmp(mt->name, name) == 0) return mt;
    return nullptr;
}

uint32_t value_new(Host *h, ValkeyModuleType *mt, void *value) {
    TypeTable &t = type_table(h);
    uint32_t handle;
    if (!t.freeHandles.empty()) {
        handle = t.freeHandles.back();
        t.freeHandles.pop_back();
    } else {
        handle = static_cast<uint32_t>(t.values.size());
        t.values.emplace_back();
    }
    t.values[handle].type = mt;
    t.values[handle].value = value;
    return handle;
}

ValueSlot *value_slot(Host *h, uint32_t handle) {
    TypeTable &t = type_table(h);
    if (handle >= t.values.size() || !t.values[handle].type) return nullptr;
    return &t.values[handle];
}

Napi::Value modtype_napi(Host *h, const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    int op = arg_int(info, 0, -1);
    TypeTable &t = type_table(h);
    switch (op) {
        case MT_TYPE_COUNT:  // indices in use (a failed module's are null: TYPE_INFO says so)
            return Napi::Number::New(env, static_cast<double>(t.types.size()));
        case MT_TYPE_INFO: {
            uint32_t i = static_cast<uint32_t>(arg_int(info, 1, -1));
            if (i >= t.types.size() || !t.types[i]) return env.Null();
            ValkeyModuleType *mt = t.types[i];
            Napi::Array a = Napi::Array::New(env, 3);
            a.Set(0u, Napi::String::New(env, mt->name));
            a.Set(1u, Napi::String::New(env, std::to_string(mt->id)));
            a.Set(2u, Napi::String::New(env, mt->module ? mt->module->name : ""));
            return a;
        }
        case MT_LOAD:
            return load_value(h, info);
        case MT_AUX_LOAD:
            return load_aux(h, info);
        case MT_AUX_SAVE: {
            int when = arg_int(info, 1, 1);
            bool compress = info.Length() > 2 ? info[2].ToBoolean().Value() : true;
            std::string out;
            for (ValkeyModuleType *mt : t.types) {
                if (!mt || (!mt->aux_save && !mt->aux_save2) || !(mt->aux_save_triggers & when)) continue;
                save_aux(h, mt, when, compress, out);
            }
            return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t *>(out.data()), out.size());
        }
        default:
            break;
    }
    // The remaining operations act on one value: (op, handle, key, db, ...).
    uint32_t handle = static_cast<uint32_t>(arg_int(info, 1, -1));
    ValueSlot *slot = value_slot(h, handle);
    if (!slot) return env.Undefined();
    ValkeyModuleType *mt = slot->type;
    KeyArg key(info.Length() > 2 ? info[2] : env.Undefined());
    int db = arg_int(info, 3, -1);
    switch (op) {
        case MT_FREE: {
            void *v = slot->value;
            slot->type = nullptr;
            slot->value = nullptr;
            t.freeHandles.push_back(handle);
            if (mt->free) {
                CurrentHostScope scope(h);
                mt->free(v);
            }
            return env.Undefined();
        }
        case MT_UNLINK: {
            CurrentHostScope scope(h);
            if (mt->unlink2) {
                ValkeyModuleKeyOptCtx oc;
                oc.from_key = key.s;
                oc.from_dbid = db;
                mt->unlink2(&oc, slot->value);
            } else if (mt->unlink) {
                mt->unlink(key.s, slot->value);
            }
            return env.Undefined();
        }
        case MT_COPY: {
            if (!mt->copy2 && !mt->copy) return Napi::Number::New(env, -2);
            KeyArg to(info.Length() > 4 ? info[4] : env.Undefined());
            int toDb = arg_int(info, 5, -1);
            void *nv = nullptr;
            {
                CurrentHostScope scope(h);
                if (mt->copy2) {
                    ValkeyModuleKeyOptCtx oc;
                    oc.from_key = key.s;
                    oc.to_key = to.s;
                    oc.from_dbid = db;
                    oc.to_dbid = toDb;
                    nv = mt->copy2(&oc, slot->value);
                } else if (mt->copy) {
                    nv = mt->copy(key.s, to.s, slot->value);
                }
            }
            if (!nv) return Napi::Number::New(env, -1);
            return Napi::Number::New(env, value_new(h, mt, nv));  // slot may move: not used after
        }
        case MT_MEM_USAGE: {
            double sd = info.Length() > 4 && info[4].IsNumber() ? info[4].As<Napi::Number>().DoubleValue() : 0;
            size_t samples = sd <= 0 ? 0 : sd >= 1.8e19 ? SIZE_MAX : static_cast<size_t>(sd);
            size_t n = 0;
            CurrentHostScope scope(h);
            if (mt->mem_usage2) {
                ValkeyModuleKeyOptCtx oc;
                oc.from_key = key.s;
                oc.from_dbid = db;
                n = mt->mem_usage2(&oc, slot->value, samples);
            } else if (mt->mem_usage) {
                n = mt->mem_usage(slot->value);
            }
            return Napi::Number::New(env, static_cast<double>(n));
        }
        case MT_FREE_EFFORT: {
            size_t n = 1;
            CurrentHostScope scope(h);
            if (mt->free_effort2) {
                ValkeyModuleKeyOptCtx oc;
                oc.from_key = key.s;
                oc.from_dbid = db;
                n = mt->free_effort2(&oc, slot->value);
            } else if (mt->free_effort) {
                n = mt->free_effort(key.s, slot->value);
            }
            return Napi::Number::New(env, static_cast<double>(n));
        }
        case MT_SAVE: {
            bool compress = info.Length() > 4 ? info[4].ToBoolean().Value() : true;
            std::string out;
            save_value(h, slot, key.s, db, compress, out);
            return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t *>(out.data()), out.size());
        }
        case MT_DIGEST: {
            ValkeyModuleDigest md;
            md.key = key.s;
            md.dbid = db;
            if (mt->digest) {
                CurrentHostScope scope(h);
                mt->digest(&md, slot->value);
            }
            return Napi::Buffer<uint8_t>::Copy(env, md.x, 20);
        }
        case MT_AOF_REWRITE: {
            if (!mt->aof_rewrite) return env.Null();
            std::vector<std::vector<std::string>> cmds;
            ValkeyModuleIO io;
            io.type = mt;
            io.module = mt->module;
            io.key = key.s;
            io.dbid = db;
            io.aof = &cmds;
            {
                CurrentHostScope scope(h);
                mt->aof_rewrite(&io, key.s, slot->value);
            }
            io_finish(&io);
            if (io.error)
                return Napi::String::New(env, std::string("Error rewriting AOF for module type '") + mt->name + "'");
            Napi::Array out = Napi::Array::New(env, cmds.size());
            for (size_t i = 0; i < cmds.size(); i++) {
                Napi::Array c = Napi::Array::New(env, cmds[i].size());
                for (size_t j = 0; j < cmds[i].size(); j++)
                    c.Set(static_cast<uint32_t>(j), bytes_to_js(env, cmds[i][j].data(), cmds[i][j].size()));
                out.Set(static_cast<uint32_t>(i), c);
            }
            return out;
        }
        default:
            return env.Undefined();
    }
}

}  // namespace vmhost
