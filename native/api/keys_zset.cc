// The sorted set key API: ZsetAdd, ZsetIncrby, ZsetRem, ZsetScore and the range iterator,
// over the TypeScript keyspace (src/modules/key-ops-zset.ts).
//
// Each call is one crossing into the key bridge. The iterator lives on the key handle in
// native memory: its range (parsed here), the current member and score, and the
// end-of-range flag. ZsetRangeCurrentElement and ZsetRangeEndReached are answered from it
// without crossing; a step asks the engine for the neighbour of the current member (O(1)
// through the member index) and checks the range bound here.
#include <cmath>
#include <cstring>
#include <string>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// Key bridge operations (mirrored in src/modules/key-ops-zset.ts).
enum ZsetOp {
    ZOP_ADD = 300,          // + input flag bits; (member, score) -> out flags | -1 wrong type | -2 NaN
    ZOP_INCR = 320,         // + input flag bits; (member, incr) -> [out flags, new score] | -1 | -2
    ZOP_REM = 340,          // (member) -> -1 wrong type | 0 absent | 1 removed | 2 removed the last
    ZOP_SCORE = 341,        // (member) -> score | null
    ZOP_SCORE_RANGE = 350,  // + minex 1 + maxex 2 + last 4; (min, max) -> [member, score] | null | false
    ZOP_LEX_RANGE = 360,    // + last 1; (min, max) -> [member, score] | null | false | -1 invalid
    ZOP_NEXT = 370,         // (member, score) -> [member, score] | null | false
    ZOP_PREV = 371,
};

// Input flag bits carried in the op number.
enum : int { ZF_XX = 1, ZF_NX = 2, ZF_GT = 4, ZF_LT = 8 };

enum RangeType { RANGE_NONE = 0, RANGE_SCORE = 1, RANGE_LEX = 2 };

/** One end of a lex range: `-` (kind -1), `+` (kind 1) or a byte string (kind 0). */
struct LexBound {
    int kind = 0;
    bool ex = false;
    std::string v;
};

/** The iterator state of a key handle (key->zsetIter). */
struct ZsetIter {
    int type = RANGE_NONE;
    bool er = true;           // end of range reached
    bool hasCurrent = false;
    std::string member;       // current element
    double score = 0;
    double min = 0, max = 0;  // score range
    bool minex = false, maxex = false;
    LexBound lmin, lmax;      // lex range
};

inline ZsetIter *iter_of(ValkeyModuleKey *key) { return static_cast<ZsetIter *>(key->zsetIter); }

/** The handle's iterator state, reset to "no range" (created when missing). */
ZsetIter *iter_reset(ValkeyModuleKey *key) {
    ZsetIter *it = iter_of(key);
    if (!it) {
        it = new ZsetIter();
        key->zsetIter = it;
    } else {
        *it = ZsetIter();
    }
    return it;
}

inline bool writable(const ValkeyModuleKey *key) { return key->mode & VALKEYMODULE_WRITE; }

inline void flush_dma(ValkeyModuleKey *key) {
    if (key->dma) key_flush_dma(key);
}

double num_at(napi_env env, napi_value arr, uint32_t i) {
    napi_value e;
    double d = 0;
    napi_get_element(env, arr, i, &e);
    napi_get_value_double(env, e, &d);
    return d;
}

/** Reads a [member, score] result into the iterator's current element; false when the
 *  result is not such a pair. */
bool read_pair(napi_env env, const Napi::Value &r, std::string &member, double &score) {
    if (!r.IsArray()) return false;
    napi_value m;
    napi_get_element(env, r, 0, &m);
    member = js_to_bytes(env, m);
    score = num_at(env, r, 1);
    return true;
}

/** Parses one ZRANGEBYLEX bound: `-`, `+`, `(bytes` or `[bytes`. */
bool parse_lex_bound(const ValkeyModuleString *s, LexBound &b) {
    if (s->len == 0) return false;
    switch (s->ptr[0]) {
        case '+':
        case '-':
            // Only the first byte counts as C text: a NUL may follow, nothing else.
            if (s->ptr[1] != '\0') return false;
            b.kind = s->ptr[0] == '+' ? 1 : -1;
            b.ex = true;
            b.v.clear();
            return true;
        case '(':
        case '[':
            b.kind = 0;
            b.ex = s->ptr[0] == '(';
            b.v.assign(s->ptr + 1, s->len - 1);
            return true;
        default:
            return false;
    }
}

/** Byte-wise comparison of a member with a lex bound (negative: the member sorts first). */
int lex_cmp(const std::string &v, const LexBound &b) {
    if (b.kind != 0) return -b.kind;
    size_t n = v.size() < b.v.size() ? v.size() : b.v.size();
    int c = n ? std::memcmp(v.data(), b.v.data(), n) : 0;
    if (c != 0) return c;
    return v.size() < b.v.size() ? -1 : v.size() > b.v.size() ? 1 : 0;
}

bool lex_gte_min(const std::string &v, const ZsetIter *it) {
    int c = lex_cmp(v, it->lmin);
    return it->lmin.ex ? c > 0 : c >= 0;
}

bool lex_lte_max(const std::string &v, const ZsetIter *it) {
    int c = lex_cmp(v, it->lmax);
    return it->lmax.ex ? c < 0 : c <= 0;
}

bool score_gte_min(double v, const ZsetIter *it) { return it->minex ? v > it->min : v >= it->min; }
bool score_lte_max(double v, const ZsetIter *it) { return it->maxex ? v < it->max : v <= it->max; }

int to_out_flags(double v) { return static_cast<int>(v); }

/** ZsetAdd and ZsetIncrby: one crossing; flags in and out as the API documents. */
int zadd_generic(ValkeyModuleKey *key, double score, ValkeyModuleString *ele, int *flagsptr, double *newscore,
                 bool incr) {
    if (!key || !ele || !writable(key)) return VALKEYMODULE_ERR;
    flush_dma(key);
    int in = flagsptr ? *flagsptr : 0;
    int bits = ((in & VALKEYMODULE_ZADD_XX) ? ZF_XX : 0) | ((in & VALKEYMODULE_ZADD_NX) ? ZF_NX : 0) |
               ((in & VALKEYMODULE_ZADD_GT) ? ZF_GT : 0) | ((in & VALKEYMODULE_ZADD_LT) ? ZF_LT : 0);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, (incr ? ZOP_INCR : ZOP_ADD) + bits, key->db, key->name,
                           bytes_to_js(env, ele->ptr, ele->len), Napi::Number::New(env, score));
    double out;
    if (r.IsArray()) {
        out = num_at(env, r, 0);
        if (newscore && !(to_out_flags(out) & VALKEYMODULE_ZADD_NOP)) *newscore = num_at(env, r, 1);
    } else if (r.IsNumber()) {
        out = r.As<Napi::Number>().DoubleValue();
    } else {
        return VALKEYMODULE_ERR;
    }
    if (out == -1) return VALKEYMODULE_ERR;  // wrong type: the flags are left alone
    if (out == -2) {                         // NaN: the flags read 0
        if (flagsptr) *flagsptr = 0;
        return VALKEYMODULE_ERR;
    }
    if (flagsptr) *flagsptr = to_out_flags(out);
    return VALKEYMODULE_OK;
}

/** Starts a score range iteration at its first (or last) element. */
int score_range(ValkeyModuleKey *key, double min, double max, int minex, int maxex, bool first) {
    if (!key) return VALKEYMODULE_ERR;
    flush_dma(key);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    int op = ZOP_SCORE_RANGE + (minex ? 1 : 0) + (maxex ? 2 : 0) + (first ? 0 : 4);
    Napi::Value r = key_op(h, op, key->db, key->name, Napi::Number::New(env, min), Napi::Number::New(env, max));
    if (!r.IsArray() && !r.IsNull()) return VALKEYMODULE_ERR;  // not a sorted set (or empty)
    ZsetIter *it = iter_reset(key);
    it->type = RANGE_SCORE;
    it->er = false;
    it->min = min;
    it->max = max;
    it->minex = minex != 0;
    it->maxex = maxex != 0;
    it->hasCurrent = read_pair(env, r, it->member, it->score);
    if (!it->hasCurrent) it->er = true;
    return VALKEYMODULE_OK;
}

/** Starts a lex range iteration at its first (or last) element. */
int lex_range(ValkeyModuleKey *key, ValkeyModuleString *min, ValkeyModuleString *max, bool first) {
    if (!key || !min || !max) return VALKEYMODULE_ERR;
    flush_dma(key);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, ZOP_LEX_RANGE + (first ? 0 : 1), key->db, key->name, bytes_to_js(env, min->ptr, min->len),
                           bytes_to_js(env, max->ptr, max->len));
    if (!r.IsArray() && !r.IsNull() && !r.IsNumber()) return VALKEYMODULE_ERR;  // not a sorted set
    ZsetIter *it = iter_reset(key);
    it->er = false;
    // An invalid range leaves no range set up, and (as Valkey) the end flag clear.
    if (r.IsNumber() || !parse_lex_bound(min, it->lmin) || !parse_lex_bound(max, it->lmax)) {
        it->lmin = LexBound();
        it->lmax = LexBound();
        return VALKEYMODULE_ERR;
    }
    it->type = RANGE_LEX;
    it->hasCurrent = read_pair(env, r, it->member, it->score);
    if (!it->hasCurrent) it->er = true;
    return VALKEYMODULE_OK;
}

/** One step of the iterator towards higher (next) or lower elements. */
int range_step(ValkeyModuleKey *key, bool next) {
    if (!key) return 0;
    ZsetIter *it = iter_of(key);
    if (!it || it->type == RANGE_NONE || !it->hasCurrent) return 0;
    flush_dma(key);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, next ? ZOP_NEXT : ZOP_PREV, key->db, key->name,
                           bytes_to_js(env, it->member.data(), it->member.size()), Napi::Number::New(env, it->score));
    if (r.IsNull()) {
        it->er = true;
        return 0;
    }
    std::string member;
    double score = 0;
    if (!read_pair(env, r, member, score)) return 0;  // the key no longer holds a sorted set
    bool inside;
    if (it->type == RANGE_SCORE) inside = next ? score_lte_max(score, it) : score_gte_min(score, it);
    else inside = next ? lex_lte_max(member, it) : lex_gte_min(member, it);
    if (!inside) {
        it->er = true;
        return 0;
    }
    it->member.swap(member);
    it->score = score;
    return 1;
}

}  // namespace

namespace vmhost {

/** Frees the handle's iterator state (CloseKey, ZsetRangeStop). */
void zset_iter_release(ValkeyModuleKey *key) {
    delete static_cast<ZsetIter *>(key->zsetIter);
    key->zsetIter = nullptr;
}

}  // namespace vmhost

extern "C" {

/** Adds `ele` with `score`, or updates its score. Input flags (via flagsptr) XX, NX, GT, LT;
 *  output flags ADDED, UPDATED, NOP. An empty write key becomes a sorted set when the
 *  member is added. ERR for a read-only handle, another type, or a NaN score (flags 0). */
int VM_ZsetAdd(ValkeyModuleKey *key, double score, ValkeyModuleString *ele, int *flagsptr) {
    return zadd_generic(key, score, ele, flagsptr, nullptr, false);
}

/** Like ZsetAdd but adds `score` to the current score (0 when absent); `newscore` receives
 *  the result. ERR also when the sum is NaN. */
int VM_ZsetIncrby(ValkeyModuleKey *key, double score, ValkeyModuleString *ele, int *flagsptr, double *newscore) {
    return zadd_generic(key, score, ele, flagsptr, newscore, true);
}

/** Removes `ele`; `deleted` (optional) tells whether it was there. Removing the last member
 *  deletes the key. ERR for a read-only handle or another type; an empty key is fine. */
int VM_ZsetRem(ValkeyModuleKey *key, ValkeyModuleString *ele, int *deleted) {
    if (!key || !ele || !writable(key)) return VALKEYMODULE_ERR;
    flush_dma(key);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, ZOP_REM, key->db, key->name, bytes_to_js(env, ele->ptr, ele->len));
    int v = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : -1;
    if (v < 0) return VALKEYMODULE_ERR;
    if (deleted) *deleted = v > 0 ? 1 : 0;
    if (v == 2 && key->zsetIter) iter_reset(key);  // the key is gone: no iteration left
    return VALKEYMODULE_OK;
}

/** The score of `ele`. ERR when absent, for an empty key or another type. */
int VM_ZsetScore(ValkeyModuleKey *key, ValkeyModuleString *ele, double *score) {
    if (!key || !ele) return VALKEYMODULE_ERR;
    flush_dma(key);
    Host *h = key->ctx->host;
    Napi::Env env = h->env;
    Napi::HandleScope scope(env);
    Napi::Value r = key_op(h, ZOP_SCORE, key->db, key->name, bytes_to_js(env, ele->ptr, ele->len));
    if (!r.IsNumber()) return VALKEYMODULE_ERR;
    if (score) *score = r.As<Napi::Number>().DoubleValue();
    return VALKEYMODULE_OK;
}

/** Stops the handle's range iteration (no-op without one). */
void VM_ZsetRangeStop(ValkeyModuleKey *key) {
    if (key && key->zsetIter) iter_reset(key);
}

/** The end-of-range flag: 1 when the iteration is over or was never started. */
int VM_ZsetRangeEndReached(ValkeyModuleKey *key) {
    if (!key) return 1;
    ZsetIter *it = iter_of(key);
    return it ? (it->er ? 1 : 0) : 1;
}

/** Starts an iteration at the lowest element with min <= score <= max (minex / maxex make
 *  an end exclusive; ±VALKEYMODULE_*_INFINITE are fine). ERR for an empty key or another
 *  type. */
int VM_ZsetFirstInScoreRange(ValkeyModuleKey *key, double min, double max, int minex, int maxex) {
    return score_range(key, min, max, minex, maxex, true);
}

/** As ZsetFirstInScoreRange, starting at the highest element of the range. */
int VM_ZsetLastInScoreRange(ValkeyModuleKey *key, double min, double max, int minex, int maxex) {
    return score_range(key, min, max, minex, maxex, false);
}

/** Starts an iteration at the lowest element of a ZRANGEBYLEX range (`[a`, `(a`, `-`, `+`).
 *  ERR for an empty key, another type or an invalid range. */
int VM_ZsetFirstInLexRange(ValkeyModuleKey *key, ValkeyModuleString *min, ValkeyModuleString *max) {
    return lex_range(key, min, max, true);
}

/** As ZsetFirstInLexRange, starting at the highest element of the range. */
int VM_ZsetLastInLexRange(ValkeyModuleKey *key, ValkeyModuleString *min, ValkeyModuleString *max) {
    return lex_range(key, min, max, false);
}

/** The iterator's current element (a new string, AutoMemory-tracked) and its score, or NULL
 *  when the range holds nothing or no iteration is active. */
ValkeyModuleString *VM_ZsetRangeCurrentElement(ValkeyModuleKey *key, double *score) {
    if (!key) return nullptr;
    ZsetIter *it = iter_of(key);
    if (!it || !it->hasCurrent) return nullptr;
    ValkeyModuleString *s = vmstr_new(it->member.data(), it->member.size());
    ctx_auto_add(key->ctx, AutoKind::String, s);
    if (score) *score = it->score;
    return s;
}

/** Moves to the next element: 1 when there was one inside the range, else 0 (and the end
 *  flag is set; the current element stays). */
int VM_ZsetRangeNext(ValkeyModuleKey *key) { return range_step(key, true); }

/** Moves to the previous element: 1 when there was one inside the range, else 0 (and the
 *  end flag is set; the current element stays). */
int VM_ZsetRangePrev(ValkeyModuleKey *key) { return range_step(key, false); }

}  // extern "C"
