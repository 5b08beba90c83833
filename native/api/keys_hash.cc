// The hash key API: HashSet and HashGet over the TypeScript keyspace
// (src/modules/key-ops-hash.ts).
//
// Both are C-variadic with NULL-terminated field/value pairs. The pairs are gathered here
// first and cross into the engine together, as one array in one key bridge call, however
// many there are. Fields given as C strings (CFIELDS) are taken up to their NUL.
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// Op numbers, mirrored in src/modules/key-ops-hash.ts.
enum HashOp {
    HOP_SET = 200,  // a: [field, value | null (delete), ...], b: flags | WRITABLE -> count or status < 0
    HOP_GET = 201,  // a: [field, ...], b: exists? -> [value | null, ...] or [0 | 1, ...]; 0: wrong type
};

constexpr int WRITABLE = 1 << 8;       // the bridge's bit for a handle open for writing
constexpr int ST_NOTSUP = -1;          // HOP_SET: not a hash
constexpr int ST_BADF = -2;            // HOP_SET: not open for writing
constexpr int SET_FLAGS = VALKEYMODULE_HASH_NX | VALKEYMODULE_HASH_XX | VALKEYMODULE_HASH_CFIELDS |
                          VALKEYMODULE_HASH_COUNT_ALL;

/** A field name: the bytes of a module string or of a C string. */
struct Bytes {
    const char *p;
    size_t len;
};

inline Bytes field_bytes(va_list &ap, bool cfields, bool *end) {
    if (cfields) {
        const char *c = va_arg(ap, const char *);
        *end = c == nullptr;
        return c ? Bytes{c, strlen(c)} : Bytes{nullptr, 0};
    }
    ValkeyModuleString *s = va_arg(ap, ValkeyModuleString *);
    *end = s == nullptr;
    return s ? Bytes{s->ptr, s->len} : Bytes{nullptr, 0};
}

}  // namespace

extern "C" {

/** Sets, or deletes with VALKEYMODULE_HASH_DELETE as the value, the NULL-terminated
 *  field/value pairs (fields are C strings with CFIELDS), creating the hash on an empty key
 *  and deleting the key if no field is left. NX / XX skip fields that exist / do not.
 *  Returns how many existing fields were updated or deleted (plus inserted ones with
 *  COUNT_ALL). When that is 0, errno says why: EINVAL (NULL key, unknown flag or a NULL
 *  value), ENOTSUP (not a hash), EBADF (not open for writing) or ENOENT (nothing counted). */
int VM_HashSet(ValkeyModuleKey *key, int flags, ...) {
    if (!key || (flags & ~SET_FLAGS)) {
        errno = EINVAL;
        return 0;
    }
    const bool cfields = (flags & VALKEYMODULE_HASH_CFIELDS) != 0;
    std::vector<Bytes> fields;
    std::vector<ValkeyModuleString *> values;
    bool nullValue = false;
    va_list ap;
    va_start(ap, flags);
    for (;;) {
        bool end = false;
        Bytes f = field_bytes(ap, cfields, &end);
        if (end) break;
        ValkeyModuleString *v = va_arg(ap, ValkeyModuleString *);
        if (!v) nullValue = true;
        fields.push_back(f);
        values.push_back(v);
    }
    va_end(ap);
    if (nullValue) {
        errno = EINVAL;
        return 0;
    }
    if (key->dma) key_flush_dma(key);
    Host *h = key->ctx->host;
    napi_env env = h->env;
    Napi::HandleScope scope(h->env);
    napi_value arr;
    napi_create_array_with_length(env, fields.size() * 2, &arr);
    napi_value null;
    napi_get_null(env, &null);
    for (size_t i = 0; i < fields.size(); i++) {
        napi_set_element(env, arr, static_cast<uint32_t>(2 * i), bytes_to_js(env, fields[i].p, fields[i].len));
        ValkeyModuleString *v = values[i];
        napi_set_element(env, arr, static_cast<uint32_t>(2 * i + 1),
                         v == VALKEYMODULE_HASH_DELETE ? null : bytes_to_js(env, v->ptr, v->len));
    }
    int bflags = (flags & (VALKEYMODULE_HASH_NX | VALKEYMODULE_HASH_XX | VALKEYMODULE_HASH_COUNT_ALL)) |
                 ((key->mode & VALKEYMODULE_WRITE) ? WRITABLE : 0);
    Napi::Value r = key_op(h, HOP_SET, key->db, key->name, Napi::Value(env, arr), Napi::Number::New(env, bflags));
    int count = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : ST_NOTSUP;
    if (count == ST_BADF) {
        errno = EBADF;
        return 0;
    }
    if (count < 0) {
        errno = ENOTSUP;
        return 0;
    }
    if (count == 0) errno = ENOENT;
    return count;
}

/** Reads the NULL-terminated pairs of field (a C string with CFIELDS) and output: a
 *  ValkeyModuleString** set to a new string with the value (AutoMemory-tracked when
 *  enabled) or NULL when the field is missing, or with EXISTS an int* set to 1 or 0. An
 *  empty key reads as an empty hash. Returns OK, or ERR (outputs untouched) when the key
 *  is NULL or not a hash. */
int VM_HashGet(ValkeyModuleKey *key, int flags, ...) {
    if (!key) return VALKEYMODULE_ERR;
    const bool cfields = (flags & VALKEYMODULE_HASH_CFIELDS) != 0;
    const bool exists = (flags & VALKEYMODULE_HASH_EXISTS) != 0;
    std::vector<Bytes> fields;
    std::vector<void *> outs;
    va_list ap;
    va_start(ap, flags);
    for (;;) {
        bool end = false;
        Bytes f = field_bytes(ap, cfields, &end);
        if (end) break;
        fields.push_back(f);
        outs.push_back(va_arg(ap, void *));
    }
    va_end(ap);
    if (key->dma) key_flush_dma(key);
    Host *h = key->ctx->host;
    napi_env env = h->env;
    Napi::HandleScope scope(h->env);
    napi_value arr;
    napi_create_array_with_length(env, fields.size(), &arr);
    for (size_t i = 0; i < fields.size(); i++)
        napi_set_element(env, arr, static_cast<uint32_t>(i), bytes_to_js(env, fields[i].p, fields[i].len));
    Napi::Value r = key_op(h, HOP_GET, key->db, key->name, Napi::Value(env, arr), Napi::Boolean::New(env, exists));
    if (!r.IsArray()) return VALKEYMODULE_ERR;
    napi_value res = r;
    for (size_t i = 0; i < outs.size(); i++) {
        napi_value v;
        napi_get_element(env, res, static_cast<uint32_t>(i), &v);
        napi_valuetype t;
        napi_typeof(env, v, &t);
        if (exists) {
            int *out = static_cast<int *>(outs[i]);
            double d = 0;
            if (t == napi_number) napi_get_value_double(env, v, &d);
            if (out) *out = d != 0 ? 1 : 0;
            continue;
        }
        ValkeyModuleString **out = static_cast<ValkeyModuleString **>(outs[i]);
        if (!out) continue;
        if (t != napi_string) {
            *out = nullptr;
            continue;
        }
        size_t len = 0;
        napi_get_value_string_latin1(env, v, nullptr, 0, &len);
        ValkeyModuleString *s = vmstr_new_uninit(len);
        napi_get_value_string_latin1(env, v, s->ptr, len + 1, &len);
        ctx_auto_add(key->ctx, AutoKind::String, s);
        *out = s;
    }
    return VALKEYMODULE_OK;
}

}  // extern "C"
