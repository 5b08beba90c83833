// The RDB IO API of module data types (Save*/Load*, IsIOError, the IO metadata accessors),
// the digest API (DigestAdd*, DigestEndSequence), EmitAOF, SaveDataTypeToString and
// LoadDataTypeFromString(Encver), plus the RDB byte helpers they share with modtype.cc.
//
// Byte format (as Valkey's rdb.c): every value a module saves inside a MODULE_2 value or
// an aux record is a length-encoded opcode followed by the value: UINT=2 (SaveSigned too),
// FLOAT=3 (4 bytes), DOUBLE=4 (8 bytes), STRING=5 (an RDB string; SaveLongDouble writes
// the "%La" text as a string). Loading checks the opcode; a wrong one or a short read is
// an IO error.
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../host/call_reply.h"
#include "../host/context.h"
#include "../host/host.h"
#include "../host/io.h"
#include "../host/memory.h"
#include "../host/modtype.h"
#include "../host/vmstring.h"

using namespace vmhost;

namespace {

// Module value opcodes (RDB_MODULE_OPCODE_*).
constexpr uint64_t OP_UINT = 2;
constexpr uint64_t OP_FLOAT = 3;
constexpr uint64_t OP_DOUBLE = 4;
constexpr uint64_t OP_STRING = 5;

// ------------------------------------------------------------------------------------
// LZF (the compression of long RDB strings): decompressor and a compressor making the
// same choices as the one Valkey ships (16-bit hash table, "very fast" re-hashing), so
// saved bytes match Valkey's.
// ------------------------------------------------------------------------------------

/** Decompresses src[0..n) into exactly outLen bytes of out; false when corrupt. */
bool lzf_decompress(const uint8_t *src, size_t n, uint8_t *out, size_t outLen) {
    size_t ip = 0, op = 0;
    while (ip < n) {
        unsigned ctrl = src[ip++];
        if (ctrl < 32) {
            size_t run = ctrl + 1;
            if (op + run > outLen || ip + run > n) return false;
            memcpy(out + op, src + ip, run);
            op += run;
            ip += run;
        } else {
            size_t len = ctrl >> 5;
            if (ip >= n) return false;
            if (len == 7) {
                len += src[ip++];
                if (ip >= n) return false;
            }
            size_t back = ((ctrl & 0x1f) << 8) + src[ip++] + 1;
            if (back > op) return false;
            len += 2;
            if (op + len > outLen) return false;
            size_t ref = op - back;
            for (size_t i = 0; i < len; i++) out[op++] = out[ref++];
        }
    }
    return op == outLen;
}

constexpr unsigned kHlog = 16;
constexpr size_t kHsize = 1u << kHlog;
constexpr size_t kMaxLit = 1 << 5;
constexpr size_t kMaxOff = 1 << 13;
constexpr size_t kMaxRef = (1 << 8) + (1 << 3);

inline unsigned lzf_idx(uint32_t h) { return ((h >> (24 - kHlog)) - h * 5) & (kHsize - 1); }

/** Compresses in[0..inLen) into at most outLimit bytes; returns the size, 0 when it does
 *  not fit. */
size_t lzf_compress(const uint8_t *in, size_t inLen, uint8_t *out, size_t outLimit) {
    if (inLen == 0 || outLimit == 0) return 0;
    std::vector<int64_t> htab(kHsize, -1);
    size_t ip = 0, op = 0, lit = 0;
    const size_t inEnd = inLen, outEnd = outLimit;
    std::vector<uint8_t> buf(outLimit + 3);
    uint8_t *o = buf.data();
    op++;  // literal run length byte
    // Copies one input byte into the current literal run, closing the run when it is full.
    auto copy_literal = [&] {
        lit++;
        o[op++] = in[ip++];
        if (lit == kMaxLit) {
            o[op - lit - 1] = static_cast<uint8_t>(lit - 1);
            lit = 0;
            op++;
        }
    };
    uint32_t hval = (uint32_t(in[0]) << 8) | (inLen > 1 ? in[1] : 0);
    while (inEnd >= 2 && ip < inEnd - 2) {
        hval = ((hval << 8) | in[ip + 2]) & 0xffffff;
        unsigned slot = lzf_idx(hval);
        int64_t refi = htab[slot] < 0 ? 0 : htab[slot];
        htab[slot] = static_cast<int64_t>(ip);
        int64_t off = static_cast<int64_t>(ip) - refi - 1;
        size_t ref = static_cast<size_t>(refi);
        if (off >= 0 && static_cast<size_t>(off) < kMaxOff && ref > 0 && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] &&
            in[ref + 1] == in[ip + 1]) {
            size_t len = 2;
            size_t maxlen = inEnd - ip - len;
            if (maxlen > kMaxRef) maxlen = kMaxRef;
            if (op + 3 + 1 >= outEnd)
                if (op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
            o[op - lit - 1] = static_cast<uint8_t>(lit - 1);
            if (lit == 0) op--;
            bool done = false;
            if (maxlen > 16) {
                for (int k = 0; k < 16; k++) {
                    len++;
                    if (in[ref + len] != in[ip + len]) {
                        done = true;
                        break;
                    }
                }
            }
            if (!done) {
                do len++;
                while (len < maxlen && in[ref + len] == in[ip + len]);
            }
            len -= 2;
            ip++;
            if (len < 7) {
                o[op++] = static_cast<uint8_t>((off >> 8) + (len << 5));
            } else {
                o[op++] = static_cast<uint8_t>((off >> 8) + (7 << 5));
                o[op++] = static_cast<uint8_t>(len - 7);
            }
            o[op++] = static_cast<uint8_t>(off);
            lit = 0;
            op++;
            ip += len + 1;
            if (ip >= inEnd - 2) break;
            ip -= 2;
            hval = (uint32_t(in[ip]) << 8) | in[ip + 1];
            hval = ((hval << 8) | in[ip + 2]) & 0xffffff;
            htab[lzf_idx(hval)] = static_cast<int64_t>(ip);
            ip++;
            hval = ((hval << 8) | in[ip + 2]) & 0xffffff;
            htab[lzf_idx(hval)] = static_cast<int64_t>(ip);
            ip++;
        } else {
            if (op >= outEnd) return 0;
            copy_literal();
        }
    }
    if (op + 3 > outEnd) return 0;
    while (ip < inEnd) copy_literal();
    o[op - lit - 1] = static_cast<uint8_t>(lit - 1);
    if (lit == 0) op--;
    memcpy(out, o, op);
    return op;
}

/** string2ll: a canonical decimal int64 (no spaces, no "+", no leading zeros, no "-0"). */
bool canonical_int(const char *p, size_t n, long long *v) {
    if (n == 0 || n > 20) return false;
    char buf[24];
    memcpy(buf, p, n);
    buf[n] = 0;
    if (!(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9'))) return false;
    errno = 0;
    char *end;
    long long x = strtoll(buf, &end, 10);
    if (errno || *end) return false;
    char back[24];
    int m = snprintf(back, sizeof(back), "%lld", x);
    if (static_cast<size_t>(m) != n || memcmp(back, buf, n) != 0) return false;
    *v = x;
    return true;
}

// ------------------------------------------------------------------------------------
// SHA1 (for the digest API; DEBUG DIGEST's mixing is built on it)
// ------------------------------------------------------------------------------------

struct Sha1 {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    uint8_t block[64];
    size_t used = 0;
    uint64_t total = 0;

    static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

    void compress(const uint8_t *b) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++) w[i] = (uint32_t(b[4 * i]) << 24) | (uint32_t(b[4 * i + 1]) << 16) | (uint32_t(b[4 * i + 2]) << 8) | b[4 * i + 3];
        for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) f = (bb & c) | (~bb & d), k = 0x5A827999;
            else if (i < 40) f = bb ^ c ^ d, k = 0x6ED9EBA1;
            else if (i < 60) f = (bb & c) | (bb & d) | (c & d), k = 0x8F1BBCDC;
            else f = bb ^ c ^ d, k = 0xCA62C1D6;
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rol(bb, 30);
            bb = a;
            a = t;
        }
        h[0] += a, h[1] += bb, h[2] += c, h[3] += d, h[4] += e;
    }

    void update(const void *data, size_t n) {
        const uint8_t *p = static_cast<const uint8_t *>(data);
        total += n;
        while (n > 0) {
            size_t take = 64 - used < n ? 64 - used : n;
            memcpy(block + used, p, take);
            used += take, p += take, n -= take;
            if (used == 64) compress(block), used = 0;
        }
    }

    void final(uint8_t out[20]) {
        uint64_t bits = total * 8;
        uint8_t pad = 0x80;
        update(&pad, 1);
        uint8_t zero = 0;
        while (used != 56) update(&zero, 1);
        uint8_t len[8];
        for (int i = 0; i < 8; i++) len[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
        update(len, 8);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 4; j++) out[4 * i + j] = static_cast<uint8_t>(h[i] >> (24 - 8 * j));
    }
};

/** XORs SHA1(data) into digest (debug.c's xorDigest). */
void xor_digest(unsigned char *digest, const void *data, size_t n) {
    Sha1 s;
    s.update(data, n);
    uint8_t hash[20];
    s.final(hash);
    for (int i = 0; i < 20; i++) digest[i] ^= hash[i];
}

/** xor_digest then digest = SHA1(digest) (debug.c's mixDigest): order matters. */
void mix_digest(unsigned char *digest, const void *data, size_t n) {
    xor_digest(digest, data, n);
    Sha1 s;
    s.update(digest, 20);
    s.final(digest);
}

// ------------------------------------------------------------------------------------
// IO plumbing
// ------------------------------------------------------------------------------------

/** Before the first value an aux_save2 callback writes: the record header it deferred. */
inline void flush_pre(ValkeyModuleIO *io) {
    if (io->hasPreFlush) {
        io->out->append(io->preFlush);
        io->bytes += io->preFlush.size();
        io->preFlush.clear();
        io->hasPreFlush = false;
    }
}

/** Whether saving can go on (a save target, no earlier error). */
inline bool can_save(ValkeyModuleIO *io) { return io && io->out && !io->error; }

void save_opcode(ValkeyModuleIO *io, uint64_t op) {
    flush_pre(io);
    size_t before = io->out->size();
    rdb_put_len(*io->out, op);
    io->bytes += io->out->size() - before;
}

/**
 * A failed read (moduleRDBLoadError). With VALKEYMODULE_OPTIONS_HANDLE_IO_ERRORS the
 * module sees IsIOError. Without it Valkey logs and exits the server; this host never ends
 * the process: it logs the same report, marks the IO failed (every later Load* returns
 * 0/NULL) and the load as a whole then fails with an error.
 */
void load_error(ValkeyModuleIO *io) {
    if (io->error) return;
    io->error = 1;
    Module *m = io->module;
    if (m && (m->options & VALKEYMODULE_OPTIONS_HANDLE_IO_ERRORS)) return;
    io->fatal = true;
    if (m && m->host)
        m->host->logf(LL_WARNING,
                      "Error loading data from RDB (short read or EOF). Read performed by module '%s' about type '%s' "
                      "after reading '%llu' bytes of a value for key named: '%s'.",
                      m->name.c_str(), io->type ? io->type->name : "?", static_cast<unsigned long long>(io->bytes),
                      io->key ? io->key->ptr : "(null)");
}

/** Reads and checks a value's opcode (MODULE_2 only); false after an error. */
bool load_opcode(ValkeyModuleIO *io, uint64_t expected) {
    if (!io || !io->in || io->error) {
        if (io && !io->in) load_error(io);
        return false;
    }
    if (io->ver != 2) return true;
    uint64_t op;
    if (!rdb_get_len(io->in, io->end, &io->pos, &op) || op != expected) {
        load_error(io);
        return false;
    }
    return true;
}

bool load_raw(ValkeyModuleIO *io, void *dst, size_t n) {
    if (io->pos + n > io->end) {
        load_error(io);
        return false;
    }
    memcpy(dst, io->in + io->pos, n);
    io->pos += n;
    return true;
}

bool load_string(ValkeyModuleIO *io, std::string &s) {
    if (!load_opcode(io, OP_STRING)) return false;
    if (!rdb_get_string(io->in, io->end, &io->pos, s)) {
        load_error(io);
        return false;
    }
    return true;
}

}  // namespace

namespace vmhost {

void rdb_put_len(std::string &out, uint64_t n) {
    if (n < (1u << 6)) {
        out.push_back(static_cast<char>(n));
    } else if (n < (1u << 14)) {
        out.push_back(static_cast<char>(((n >> 8) & 0x3f) | 0x40));
        out.push_back(static_cast<char>(n & 0xff));
    } else if (n <= UINT32_MAX) {
        out.push_back(static_cast<char>(0x80));
        for (int i = 3; i >= 0; i--) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    } else {
        out.push_back(static_cast<char>(0x81));
        for (int i = 7; i >= 0; i--) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    }
}

void rdb_put_string(std::string &out, const char *p, size_t n, bool compress) {
    long long v;
    if (n <= 11 && canonical_int(p, n, &v)) {
        if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
            out.push_back(static_cast<char>(0xC0));
            out.push_back(static_cast<char>(v & 0xff));
            return;
        }
        if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
            out.push_back(static_cast<char>(0xC1));
            out.push_back(static_cast<char>(v & 0xff));
            out.push_back(static_cast<char>((v >> 8) & 0xff));
            return;
        }
        if (v >= -(1ll << 31) && v <= (1ll << 31) - 1) {
            out.push_back(static_cast<char>(0xC2));
            for (int i = 0; i < 4; i++) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
            return;
        }
    }
    if (compress && n > 20) {
        std::vector<uint8_t> c(n);
        size_t cl = lzf_compress(reinterpret_cast<const uint8_t *>(p), n, c.data(), n - 4);
        if (cl > 0) {
            out.push_back(static_cast<char>(0xC3));
            rdb_put_len(out, cl);
            rdb_put_len(out, n);
            out.append(reinterpret_cast<const char *>(c.data()), cl);
            return;
        }
    }
    rdb_put_len(out, n);
    out.append(p, n);
}

bool rdb_get_len(const uint8_t *buf, size_t end, size_t *pos, uint64_t *out, bool *encoded) {
    if (*pos >= end) return false;
    uint8_t b = buf[(*pos)++];
    int type = b >> 6;
    if (encoded) *encoded = false;
    if (type == 3) {
        if (!encoded) return false;
        *encoded = true;
        *out = b & 0x3f;
        return true;
    }
    if (type == 0) {
        *out = b & 0x3f;
        return true;
    }
    if (type == 1) {
        if (*pos >= end) return false;
        *out = (uint64_t(b & 0x3f) << 8) | buf[(*pos)++];
        return true;
    }
    int n = b == 0x80 ? 4 : b == 0x81 ? 8 : 0;
    if (n == 0 || *pos + n > end) return false;
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = (v << 8) | buf[(*pos)++];
    *out = v;
    return true;
}

bool rdb_get_string(const uint8_t *buf, size_t end, size_t *pos, std::string &out) {
    uint64_t len;
    bool enc;
    if (!rdb_get_len(buf, end, pos, &len, &enc)) return false;
    if (enc) {
        if (len <= 2) {
            int n = len == 0 ? 1 : len == 1 ? 2 : 4;
            if (*pos + n > end) return false;
            uint64_t u = 0;
            for (int i = 0; i < n; i++) u |= uint64_t(buf[*pos + i]) << (8 * i);
            *pos += n;
            long long v = n == 1 ? static_cast<int8_t>(u) : n == 2 ? static_cast<int16_t>(u) : static_cast<int32_t>(u);
            out = std::to_string(v);
            return true;
        }
        if (len != 3) return false;
        uint64_t clen, ulen;
        if (!rdb_get_len(buf, end, pos, &clen) || !rdb_get_len(buf, end, pos, &ulen)) return false;
        if (clen > end - *pos) return false;
        if (ulen > clen * 88 + 32) return false;
        out.assign(ulen, '\0');
        if (!lzf_decompress(buf + *pos, clen, reinterpret_cast<uint8_t *>(&out[0]), ulen)) return false;
        *pos += clen;
        return true;
    }
    if (len > end - *pos) return false;
    out.assign(reinterpret_cast<const char *>(buf + *pos), len);
    *pos += len;
    return true;
}

void io_finish(ValkeyModuleIO *io) {
    if (io->ctx) {
        ctx_finish(io->ctx);
        delete io->ctx;
        io->ctx = nullptr;
    }
}

/** Saves a binary float value (DOUBLE or FLOAT opcode, then its little-endian bytes). */
template <typename T>
void save_binary(ValkeyModuleIO *io, uint64_t opcode, T value) {
    if (!can_save(io)) return;
    save_opcode(io, opcode);
    io->out->append(reinterpret_cast<const char *>(&value), sizeof(T));
    io->bytes += sizeof(T);
}

/** Loads what save_binary saved with `opcode`; 0 on an IO error. */
template <typename T>
T load_binary(ValkeyModuleIO *io, uint64_t opcode) {
    T v = 0;
    if (!load_opcode(io, opcode) || !load_raw(io, &v, sizeof(T))) return 0;
    return v;
}

}  // namespace vmhost

extern "C" {

/** True when a Load* failed on this IO (only modules with HANDLE_IO_ERRORS get to see it). */
int VM_IsIOError(ValkeyModuleIO *io) { return io && io->error ? 1 : 0; }

/** Saves an unsigned 64-bit value (UINT opcode, then an RDB length). */
void VM_SaveUnsigned(ValkeyModuleIO *io, uint64_t value) {
    if (!can_save(io)) return;
    save_opcode(io, OP_UINT);
    size_t before = io->out->size();
    rdb_put_len(*io->out, value);
    io->bytes += io->out->size() - before;
}

/** Loads what SaveUnsigned saved; 0 on an IO error. */
uint64_t VM_LoadUnsigned(ValkeyModuleIO *io) {
    if (!load_opcode(io, OP_UINT)) return 0;
    uint64_t v;
    if (!rdb_get_len(io->in, io->end, &io->pos, &v)) {
        load_error(io);
        return 0;
    }
    return v;
}

/** Saves a signed 64-bit value (as its unsigned bits, UINT opcode: SINT is never written). */
void VM_SaveSigned(ValkeyModuleIO *io, int64_t value) { VM_SaveUnsigned(io, static_cast<uint64_t>(value)); }

/** Loads what SaveSigned saved; 0 on an IO error. */
int64_t VM_LoadSigned(ValkeyModuleIO *io) { return static_cast<int64_t>(VM_LoadUnsigned(io)); }

/** Saves a byte buffer (STRING opcode, then an RDB string, compressed under rdbcompression). */
void VM_SaveStringBuffer(ValkeyModuleIO *io, const char *str, size_t len) {
    if (!can_save(io)) return;
    save_opcode(io, OP_STRING);
    size_t before = io->out->size();
    rdb_put_string(*io->out, str ? str : "", str ? len : 0, io->compress);
    io->bytes += io->out->size() - before;
}

/** Saves a module string (as SaveStringBuffer). */
void VM_SaveString(ValkeyModuleIO *io, ValkeyModuleString *s) {
    if (!s) return;
    VM_SaveStringBuffer(io, s->ptr, s->len);
}

/** Loads a string saved by SaveString/SaveStringBuffer (any RDB string encoding) as a new
 *  module string the caller frees; NULL on an IO error. */
ValkeyModuleString *VM_LoadString(ValkeyModuleIO *io) {
    std::string s;
    if (!load_string(io, s)) return nullptr;
    return vmstr_new(s.data(), s.size());
}

/** Loads a string as a buffer from the module allocator (free with ValkeyModule_Free);
 *  *lenptr gets its length. NULL on an IO error. */
char *VM_LoadStringBuffer(ValkeyModuleIO *io, size_t *lenptr) {
    std::string s;
    if (!load_string(io, s)) return nullptr;
    char *p = static_cast<char *>(vm_malloc(s.size() + 1));
    memcpy(p, s.data(), s.size());
    p[s.size()] = 0;
    if (lenptr) *lenptr = s.size();
    return p;
}

/** Saves a double (DOUBLE opcode, 8 bytes little-endian). */
void VM_SaveDouble(ValkeyModuleIO *io, double value) { save_binary(io, OP_DOUBLE, value); }

/** Loads what SaveDouble saved; 0 on an IO error. */
double VM_LoadDouble(ValkeyModuleIO *io) { return load_binary<double>(io, OP_DOUBLE); }

/** Saves a float (FLOAT opcode, 4 bytes little-endian). */
void VM_SaveFloat(ValkeyModuleIO *io, float value) { save_binary(io, OP_FLOAT, value); }

/** Loads what SaveFloat saved; 0 on an IO error. */
float VM_LoadFloat(ValkeyModuleIO *io) { return load_binary<float>(io, OP_FLOAT); }

/** Saves a long double as its hex-float text ("%La"; "inf"/"-inf") in a STRING value, as
 *  Valkey does (the binary layout differs between platforms). */
void VM_SaveLongDouble(ValkeyModuleIO *io, long double value) {
    if (!can_save(io)) return;
    char buf[5 * 1024];
    int l;
    if (std::isinf(value)) l = snprintf(buf, sizeof(buf), "%s", value > 0 ? "inf" : "-inf");
    else l = snprintf(buf, sizeof(buf), "%La", value);
    if (l < 0 || static_cast<size_t>(l) + 1 > sizeof(buf)) return;
    VM_SaveStringBuffer(io, buf, static_cast<size_t>(l));
}

/** Loads what SaveLongDouble saved (parsed with strtold); 0 on an IO error. */
long double VM_LoadLongDouble(ValkeyModuleIO *io) {
    std::string s;
    if (!load_string(io, s)) return 0;
    if (s.empty() || isspace(static_cast<unsigned char>(s[0]))) return 0;
    char *end;
    errno = 0;
    long double v = strtold(s.c_str(), &end);
    if (*end || errno == ERANGE || std::isnan(v)) return 0;
    return v;
}

/** The key being saved/loaded, or NULL when unknown (aux data, SaveDataTypeToString...). */
const ValkeyModuleString *VM_GetKeyNameFromIO(ValkeyModuleIO *io) { return io ? io->key : nullptr; }

/** The key's database, or -1 when unknown. */
int VM_GetDbIdFromIO(ValkeyModuleIO *io) { return io ? io->dbid : -1; }

/** Adds an ordered element (bytes) to the digest: mixed into the current sequence. */
void VM_DigestAddStringBuffer(ValkeyModuleDigest *md, const char *ele, size_t len) {
    if (md) mix_digest(md->o, ele, len);
}

/** Adds an integer as its decimal text (as DigestAddStringBuffer of that text). */
void VM_DigestAddLongLong(ValkeyModuleDigest *md, long long ll) {
    if (!md) return;
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%lld", ll);
    mix_digest(md->o, buf, static_cast<size_t>(n));
}

/** Ends a sequence: its digest is XORed into the result (so sequences are unordered
 *  among themselves) and the next sequence starts from zero. */
void VM_DigestEndSequence(ValkeyModuleDigest *md) {
    if (!md) return;
    xor_digest(md->x, md->o, 20);
    memset(md->o, 0, 20);
}

/** The key being digested (NULL when unknown). */
const ValkeyModuleString *VM_GetKeyNameFromDigest(ValkeyModuleDigest *dig) { return dig ? dig->key : nullptr; }

/** The digested key's database (-1 when unknown). */
int VM_GetDbIdFromDigest(ValkeyModuleDigest *dig) { return dig ? dig->dbid : -1; }

/**
 * Inside aof_rewrite: emits one command (same format letters as Call; modifiers ignored)
 * into the rewritten AOF. An unknown command or a bad format marks the IO failed (logged,
 * as Valkey); called outside aof_rewrite it logs a warning and does nothing.
 */
void VM_EmitAOF(ValkeyModuleIO *io, const char *cmdname, const char *fmt, ...) {
    if (!io || io->error) return;
    Host *h = io->module ? io->module->host : g_current_host;
    const char *tname = io->type ? io->type->name : "?";
    if (!io->aof) {
        if (h) h->logf(LL_WARNING, "EmitAOF called for module data type '%s' outside of an AOF rewrite: ignored", tname);
        return;
    }
    if (!cmdname || !fmt || !h || !h->commandExists(cmdname)) {
        if (h)
            h->logf(LL_WARNING, "Fatal: AOF method for module data type '%s' tried to emit unknown command '%s'", tname,
                    cmdname ? cmdname : "(null)");
        io->error = 1;
        errno = EINVAL;
        return;
    }
    CallArgs args;
    int flags = 0;
    va_list ap;
    va_start(ap, fmt);
    bool ok = callargs_from_format(cmdname, fmt, ap, args, flags);
    va_end(ap);
    if (!ok) {
        h->logf(LL_WARNING,
                "Fatal: AOF method for module data type '%s' tried to call ValkeyModule_EmitAOF() with wrong format "
                "specifiers '%s'",
                tname, fmt);
        io->error = 1;
        errno = EINVAL;
        return;
    }
    std::vector<std::string> cmd;
    cmd.reserve(args.size());
    for (size_t i = 0; i < args.size(); i++) cmd.emplace_back(args[i].first, args[i].second);
    io->aof->push_back(std::move(cmd));
}

/** Runs the type's rdb_save on a value into a new string (module-level DUMP); NULL when
 *  the save failed. The string joins the context's AutoMemory when ctx is given. */
ValkeyModuleString *VM_SaveDataTypeToString(ValkeyModuleCtx *ctx, void *data, const ValkeyModuleType *mt) {
    if (!mt || !mt->rdb_save) return nullptr;
    std::string out;
    ValkeyModuleIO io;
    io.type = const_cast<ValkeyModuleType *>(mt);
    io.module = mt->module;
    io.out = &out;
    io.compress = true;
    {
        CurrentHostScope scope(mt->host);
        mt->rdb_save(&io, data);
    }
    io_finish(&io);
    if (io.error) return nullptr;
    ValkeyModuleString *s = vmstr_new(out.data(), out.size());
    if (ctx) ctx_auto_add(ctx, AutoKind::String, s);
    return s;
}

/** Runs the type's rdb_load on a string SaveDataTypeToString made, with this encver; the
 *  loaded value, or whatever rdb_load returned on bad data (NULL for a careful module). */
void *VM_LoadDataTypeFromStringEncver(const ValkeyModuleString *str, const ValkeyModuleType *mt, int encver) {
    if (!str || !mt || !mt->rdb_load) return nullptr;
    ValkeyModuleIO io;
    io.type = const_cast<ValkeyModuleType *>(mt);
    io.module = mt->module;
    io.in = reinterpret_cast<const uint8_t *>(str->ptr);
    io.end = str->len;
    io.ver = 2;
    void *ret;
    {
        CurrentHostScope scope(mt->host);
        ret = mt->rdb_load(&io, encver);
    }
    io_finish(&io);
    return ret;
}

/** LoadDataTypeFromStringEncver with the type's own encver. */
void *VM_LoadDataTypeFromString(const ValkeyModuleString *str, const ValkeyModuleType *mt) {
    return mt ? VM_LoadDataTypeFromStringEncver(str, mt, mt->encver) : nullptr;
}

}  // extern "C"
