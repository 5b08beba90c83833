// The stream key API: StreamAdd, StreamDelete, the stream iterator and trimming, over the
// TypeScript keyspace (src/modules/key-ops-stream.ts).
//
// Each call is at most one crossing into the key bridge on its success path. The iterator
// lives on the key handle in native memory: range, direction, position and the current
// entry with its fields, fetched in the same crossing as its ID, so NextField never
// crosses. Error paths that must tell "not a stream" (ENOTSUP) from another failure ask the
// key's type first, as Valkey checks the type before anything else.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// Key bridge operations (mirrored in src/modules/key-ops-stream.ts).
enum StreamOp {
    SOP_ADD = 400,          // ([field, value, ...] | null, id | undefined) -> id | error code
    SOP_DELETE = 402,       // (id) -> 0 | error code
    SOP_NEXT = 404,         // (from, bound) -> [id, field, value, ...] | null | false
    SOP_PREV = 405,
    SOP_ITER_DELETE = 406,  // (id) -> 0 | error code
    SOP_TRIM_MAXLEN = 407,  // + approx; (length) -> removed | -1
    SOP_TRIM_MINID = 409,   // + approx; (id) -> removed | -1
};

// Error codes the bridge answers with.
enum : int { SE_NOTSUP = 1, SE_BADF = 2, SE_NOENT = 3, SE_DOM = 4, SE_FBIG = 5, SE_RANGE = 6 };

int errno_of(int code) {
    switch (code) {
        case SE_NOTSUP: return ENOTSUP;
        case SE_BADF: return EBADF;
        case SE_NOENT: return ENOENT;
        case SE_DOM: return EDOM;
        case SE_FBIG: return EFBIG;
        case SE_RANGE: return ERANGE;
        default: return EINVAL;
    }
}

/** Valkey's limit on the total bytes of an entry's fields and values. */
constexpr size_t kMaxEntryBytes = size_t(1) << 30;

/** A stream ID as two unsigned 64-bit parts. */
struct Id {
    uint64_t ms = 0;
    uint64_t seq = 0;
};

constexpr uint64_t kU64Max = UINT64_MAX;

bool id_zero(const Id &id) { return id.ms == 0 && id.seq == 0; }

/** The next ID; false when id is the largest. */
bool id_incr(Id &id) {
    if (id.seq == kU64Max) {
        if (id.ms == kU64Max) return false;
        id.ms++;
        id.seq = 0;
    } else {
        id.seq++;
    }
    return true;
}

/** The previous ID; false when id is 0-0. */
bool id_decr(Id &id) {
    if (id.seq == 0) {
        if (id.ms == 0) return false;
        id.ms--;
        id.seq = kU64Max;
    } else {
        id.seq--;
    }
    return true;
}

/** The 16-byte key form the engine uses (big-endian ms, then seq). */
Napi::Value js_id(Napi::Env env, const Id &id) {
    char b[16];
    for (int i = 0; i < 8; i++) {
        b[i] = static_cast<char>((id.ms >> (56 - 8 * i)) & 0xff);
        b[8 + i] = static_cast<char>((id.seq >> (56 - 8 * i)) & 0xff);
    }
    return bytes_to_js(env, b, sizeof b);
}

Id id_from_js(napi_env env, napi_value v) {
    char b[17] = {0};
    size_t n = 0;
    napi_get_value_string_latin1(env, v, b, sizeof b, &n);
    Id id;
    for (int i = 0; i < 8; i++) {
        id.ms = (id.ms << 8) | static_cast<unsigned char>(b[i]);
        id.seq = (id.seq << 8) | static_cast<unsigned char>(b[8 + i]);
    }
    return id;
}

/** The iterator state of a key handle (key->streamIter). */
struct StreamIter {
    bool rev = false;
    Id lo, hi;                     // inclusive range
    bool started = false;          // pos holds the last entry returned
    bool exhausted = false;
    Id pos;
    Id cur;                        // current entry (0-0: none), for StreamIteratorDelete
    std::vector<std::string> fv;   // its fields and values
    size_t nextField = 0;
    long fieldsLeft = 0;
};

inline StreamIter *iter_of(ValkeyModuleKey *key) { return static_cast<StreamIter *>(key->streamIter); }

inline bool writable(const ValkeyModuleKey *key) { return key->mode & VALKEYMODULE_WRITE; }

inline void flush_dma(ValkeyModuleKey *key) {
    if (key->dma) key_flush_dma(key);
}

int fail(int err) {
    errno = err;
    return VALKEYMODULE_ERR;
}

/** The key's type (VALKEYMODULE_KEYTYPE_*), one crossing. */
int key_type(ValkeyModuleKey *key) {
    Host *h = key->ctx->host;
    Napi::HandleScope scope(h->env);
    Napi::Value t = key_op(h, KOP_TYPE, key->db, key->name);
    return t.IsNumber() ? t.As<Napi::Number>().Int32Value() : VALKEYMODULE_KEYTYPE_EMPTY;
}

/** ENOTSUP when the key is empty or not a stream, else `err`. */
int fail_after_type_check(ValkeyModuleKey *key, int err) {
    return fail(key_type(key) == VALKEYMODULE_KEYTYPE_STREAM ? err : ENOTSUP);
}

/** Trim by length or by ID; `arg` is the length or the ID. */
long long trim(ValkeyModuleKey *key, int flags, bool byLength, const Napi::Value &arg) {
    Host *h = key->ctx->host;
    int op = (byLength ? SOP_TRIM_MAXLEN : SOP_TRIM_MINID) + ((flags & VALKEYMODULE_STREAM_TRIM_APPROX) ? 1 : 0);
    Napi::Value r = key_op(h, op, key->db, key->name, arg);
    double n = r.IsNumber() ? r.As<Napi::Number>().DoubleValue() : -1;
    if (n < 0) {
        errno = ENOTSUP;
        return -1;
    }
    return static_cast<long long>(n);
}

}  // namespace

namespace vmhost {

/** Frees the handle's stream iterator (CloseKey, StreamIteratorStop). */
void stream_iter_release(ValkeyModuleKey *key) {
    delete static_cast<StreamIter *>(key->streamIter);
    key->streamIter = nullptr;
}

}  // namespace vmhost

extern "C" {

/** Appends an entry of `numfields` field/value pairs (argv holds 2*numfields strings), as XADD
 *  without trimming. With VALKEYMODULE_STREAM_ADD_AUTOID the ID is chosen as `*` does and
 *  written to `id` (which may then be NULL); otherwise `id` is the requested ID. An empty
 *  write key becomes a stream. ERR with errno EINVAL (bad arguments), ENOTSUP (another
 *  type), EBADF (read-only handle), EDOM (ID 0-0 or not above the stream's last ID), EFBIG
 *  (the stream used the last possible ID), ERANGE (elements too large). */
int VM_StreamAdd(ValkeyModuleKey *key, int flags, ValkeyModuleStreamID *id, ValkeyModuleString **argv, long numfields) {
    bool autoid = (flags & VALKEYMODULE_STREAM_ADD_AUTOID) != 0;
    if (!key || numfields < 0 || (numfields != 0 && !argv) || (!autoid && !id)) return fail(EINVAL);
    flush_dma(key);
    if (!writable(key)) {
        int t = key_type(key);
        return fail(t != VALKEYMODULE_KEYTYPE_EMPTY && t != VALKEYMODULE_KEYTYPE_STREAM ? ENOTSUP : EBADF);
    }
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    size_t n = static_cast<size_t>(numfields) * 2;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!argv[i]) return fail(EINVAL);
        total += argv[i]->len;
    }
    napi_value fv = nullptr;
    if (total <= kMaxEntryBytes) {
        napi_create_array_with_length(env, n, &fv);
        for (size_t i = 0; i < n; i++) {
            napi_value s;
            // A single string beyond V8's limit cannot cross: report it as too large.
            if (napi_create_string_latin1(env, argv[i]->ptr, argv[i]->len, &s) != napi_ok) {
                napi_value exc;
                napi_get_and_clear_last_exception(env, &exc);
                fv = nullptr;
                break;
            }
            napi_set_element(env, fv, static_cast<uint32_t>(i), s);
        }
    }
    Napi::Value a = fv ? Napi::Value(env, fv) : env.Null();
    Napi::Value b = autoid ? env.Undefined() : js_id(env, Id{id->ms, id->seq});
    Napi::Value r = key_op(h, SOP_ADD, key->db, key->name, a, b);
    if (r.IsNumber()) return fail(errno_of(r.As<Napi::Number>().Int32Value()));
    if (!r.IsString()) return fail(EINVAL);
    Id added = id_from_js(env, r);
    if (id) {
        id->ms = added.ms;
        id->seq = added.seq;
    }
    return VALKEYMODULE_OK;
}

/** Deletes the entry `id`. ERR with errno EINVAL (bad arguments), ENOTSUP (empty key or
 *  another type), EBADF (read-only handle or an iterator is active), ENOENT (no such
 *  entry). */
int VM_StreamDelete(ValkeyModuleKey *key, ValkeyModuleStreamID *id) {
    if (!key || !id) return fail(EINVAL);
    flush_dma(key);
    if (!writable(key) || key->streamIter) return fail_after_type_check(key, EBADF);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, SOP_DELETE, key->db, key->name, js_id(env, Id{id->ms, id->seq}));
    int code = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : SE_NOTSUP;
    return code == 0 ? VALKEYMODULE_OK : fail(errno_of(code));
}

/** Starts an iterator over start..end (NULL: the stream's first / last entry). Flags:
 *  VALKEYMODULE_STREAM_ITERATOR_EXCLUSIVE leaves both given ends out, _REVERSE walks from end
 *  to start. ERR with errno EINVAL (bad arguments), ENOTSUP (empty key or another type),
 *  EBADF (an iterator is already active), EDOM (an exclusive end that leaves the ID range). */
int VM_StreamIteratorStart(ValkeyModuleKey *key, int flags, ValkeyModuleStreamID *start, ValkeyModuleStreamID *end) {
    if (!key || (flags & ~(VALKEYMODULE_STREAM_ITERATOR_EXCLUSIVE | VALKEYMODULE_STREAM_ITERATOR_REVERSE)))
        return fail(EINVAL);
    flush_dma(key);
    if (key_type(key) != VALKEYMODULE_KEYTYPE_STREAM) return fail(ENOTSUP);
    if (key->streamIter) return fail(EBADF);
    Id lo, hi{kU64Max, kU64Max};
    if (start) lo = Id{start->ms, start->seq};
    if (end) hi = Id{end->ms, end->seq};
    if (flags & VALKEYMODULE_STREAM_ITERATOR_EXCLUSIVE) {
        if ((start && !id_incr(lo)) || (end && !id_decr(hi))) return fail(EDOM);
    }
    StreamIter *it = new StreamIter();
    it->rev = (flags & VALKEYMODULE_STREAM_ITERATOR_REVERSE) != 0;
    it->lo = lo;
    it->hi = hi;
    key->streamIter = it;
    return VALKEYMODULE_OK;
}

/** Stops the iterator and frees it. ERR with errno EINVAL (NULL key), ENOTSUP (empty key or
 *  another type), EBADF (no iterator). */
int VM_StreamIteratorStop(ValkeyModuleKey *key) {
    if (!key) return fail(EINVAL);
    if (!key->streamIter) return fail_after_type_check(key, EBADF);
    stream_iter_release(key);
    return VALKEYMODULE_OK;
}

/** Moves to the next entry of the range: its ID to `id` and its field count to `numfields`
 *  (both optional). ERR with errno EINVAL (NULL key), ENOTSUP (empty key or another type),
 *  EBADF (no iterator), ENOENT (no more entries). */
int VM_StreamIteratorNextID(ValkeyModuleKey *key, ValkeyModuleStreamID *id, long *numfields) {
    if (!key) return fail(EINVAL);
    StreamIter *it = iter_of(key);
    if (!it) return fail_after_type_check(key, EBADF);
    flush_dma(key);
    // No more entries: no current entry (NextField and Delete fail from now on).
    auto end = [it]() {
        it->exhausted = true;
        it->cur = Id();
        it->fv.clear();
        it->nextField = 0;
        it->fieldsLeft = 0;
        return fail(ENOENT);
    };
    if (it->exhausted) return end();
    Id from = it->started ? it->pos : (it->rev ? it->hi : it->lo);
    if (it->started && !(it->rev ? id_decr(from) : id_incr(from))) return end();
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, it->rev ? SOP_PREV : SOP_NEXT, key->db, key->name, js_id(env, from),
                           js_id(env, it->rev ? it->lo : it->hi));
    if (r.IsNull()) return end();
    if (!r.IsArray()) return fail(ENOTSUP);
    uint32_t len = r.As<Napi::Array>().Length();
    napi_value e;
    napi_get_element(env, r, 0, &e);
    Id got = id_from_js(env, e);
    it->fv.resize(len - 1);
    for (uint32_t i = 1; i < len; i++) {
        napi_get_element(env, r, i, &e);
        it->fv[i - 1] = js_to_bytes(env, e);
    }
    it->nextField = 0;
    it->started = true;
    it->pos = got;
    it->cur = got;
    it->fieldsLeft = static_cast<long>((len - 1) / 2);
    if (id) {
        id->ms = got.ms;
        id->seq = got.seq;
    }
    if (numfields) *numfields = it->fieldsLeft;
    return VALKEYMODULE_OK;
}

/** The next field and value of the current entry, as new strings (AutoMemory-tracked; either
 *  pointer may be NULL). ERR with errno EINVAL (NULL key), ENOTSUP (empty key or another
 *  type), EBADF (no iterator), ENOENT (no more fields). */
int VM_StreamIteratorNextField(ValkeyModuleKey *key, ValkeyModuleString **field_ptr, ValkeyModuleString **value_ptr) {
    if (!key) return fail(EINVAL);
    StreamIter *it = iter_of(key);
    if (!it) return fail_after_type_check(key, EBADF);
    if (it->fieldsLeft <= 0) return fail(ENOENT);
    const std::string &f = it->fv[it->nextField];
    const std::string &v = it->fv[it->nextField + 1];
    if (field_ptr) {
        *field_ptr = vmstr_new(f.data(), f.size());
        ctx_auto_add(key->ctx, AutoKind::String, *field_ptr);
    }
    if (value_ptr) {
        *value_ptr = vmstr_new(v.data(), v.size());
        ctx_auto_add(key->ctx, AutoKind::String, *value_ptr);
    }
    it->nextField += 2;
    it->fieldsLeft--;
    return VALKEYMODULE_OK;
}

/** Deletes the iterator's current entry; the iteration goes on after it. ERR with errno EINVAL
 *  (NULL key), ENOTSUP (empty key or another type), EBADF (read-only handle or no iterator),
 *  ENOENT (no current entry, e.g. already deleted). */
int VM_StreamIteratorDelete(ValkeyModuleKey *key) {
    if (!key) return fail(EINVAL);
    StreamIter *it = iter_of(key);
    if (!writable(key) || !it) return fail_after_type_check(key, EBADF);
    if (id_zero(it->cur)) return fail(ENOENT);
    flush_dma(key);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, SOP_ITER_DELETE, key->db, key->name, js_id(env, it->cur));
    int code = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : SE_NOTSUP;
    if (code != 0) return fail(errno_of(code));
    it->cur = Id();
    it->fieldsLeft = 0;
    return VALKEYMODULE_OK;
}

/** Trims the stream to `length` entries, as XTRIM MAXLEN (VALKEYMODULE_STREAM_TRIM_APPROX: as
 *  `~`, whole nodes only). Returns the entries removed, or -1 with errno EINVAL (bad
 *  arguments), ENOTSUP (empty key or another type), EBADF (read-only handle). */
long long VM_StreamTrimByLength(ValkeyModuleKey *key, int flags, long long length) {
    if (!key || (flags & ~VALKEYMODULE_STREAM_TRIM_APPROX) || length < 0) {
        errno = EINVAL;
        return -1;
    }
    flush_dma(key);
    if (!writable(key)) {
        fail_after_type_check(key, EBADF);
        return -1;
    }
    Napi::HandleScope scope(key->ctx->host->env);
    return trim(key, flags, true, Napi::Number::New(key->ctx->host->env, static_cast<double>(length)));
}

/** Trims the entries below `id`, as XTRIM MINID (APPROX: as `~`). Returns the entries removed,
 *  or -1 with errno as StreamTrimByLength. */
long long VM_StreamTrimByID(ValkeyModuleKey *key, int flags, ValkeyModuleStreamID *id) {
    if (!key || (flags & ~VALKEYMODULE_STREAM_TRIM_APPROX) || !id) {
        errno = EINVAL;
        return -1;
    }
    flush_dma(key);
    if (!writable(key)) {
        fail_after_type_check(key, EBADF);
        return -1;
    }
    Napi::HandleScope scope(key->ctx->host->env);
    return trim(key, flags, false, js_id(key->ctx->host->env, Id{id->ms, id->seq}));
}

}  // extern "C"
