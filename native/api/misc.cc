// Clocks, random data, capability masks, the server version and the cluster key-slot
// helpers. All of it is pure native code, safe on any thread.
#include <time.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <random>
#include <thread>

#include "../../include/valkeymodule.h"
#include "../host/clock.h"
#include "../host/version.h"
#include "../host/vmstring.h"

// ---------------------------------------------------------------------------------------
// Clocks (host/clock.h)

namespace vmhost {

namespace {
std::atomic<long long> g_cached_us{0};
}  // namespace

long long now_us() {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000LL + ts.tv_nsec / 1000;
}

long long now_ms() { return now_us() / 1000; }

unsigned long long monotonic_us() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL + static_cast<unsigned long long>(ts.tv_nsec) / 1000;
}

void set_cached_time_us(long long us) { g_cached_us.store(us, std::memory_order_relaxed); }

long long cached_time_us() {
    long long v = g_cached_us.load(std::memory_order_relaxed);
    if (v > 0) return v;
    long long now = now_us();
    if (v == 0) return now;
    // Lazily captured: the first reader fixes the value; a racing reader adopts it.
    if (g_cached_us.compare_exchange_strong(v, now, std::memory_order_relaxed)) return now;
    return v > 0 ? v : now;
}

}  // namespace vmhost

/** The current UNIX time in milliseconds. */
extern "C" long long VM_Milliseconds(void) { return vmhost::now_ms(); }

/** Microseconds of a monotonic clock, relative to an arbitrary point in time. */
extern "C" uint64_t VM_MonotonicMicroseconds(void) { return vmhost::monotonic_us(); }

/** The current UNIX time in microseconds. */
extern "C" long long VM_Microseconds(void) { return vmhost::now_us(); }

/** The UNIX time in microseconds cached when the current command (or cron tick) started,
 *  the same through every nested callback; the current time when nothing was cached. */
extern "C" long long VM_CachedMicroseconds(void) { return vmhost::cached_time_us(); }

// ---------------------------------------------------------------------------------------
// Random data: a fast non-cryptographic generator (xoshiro256**) per thread, seeded from
// the system's entropy source mixed with the thread's identity.

namespace {

struct Rng {
    uint64_t s[4];

    static uint64_t splitmix(uint64_t &x) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    Rng() {
        std::random_device rd;
        uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
        seed ^= static_cast<uint64_t>(std::hash<std::thread::id>()(std::this_thread::get_id()));
        seed ^= static_cast<uint64_t>(vmhost::monotonic_us());
        for (uint64_t &w : s) w = splitmix(seed);
    }

    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    uint64_t next() {
        uint64_t result = rotl(s[1] * 5, 7) * 9;
        uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
};

Rng &thread_rng() {
    thread_local Rng rng;
    return rng;
}

}  // namespace

/** Fills dst[0..len) with random bytes (fast, not for cryptography). */
extern "C" void VM_GetRandomBytes(unsigned char *dst, size_t len) {
    Rng &rng = thread_rng();
    while (len >= 8) {
        uint64_t v = rng.next();
        memcpy(dst, &v, 8);
        dst += 8;
        len -= 8;
    }
    if (len) {
        uint64_t v = rng.next();
        memcpy(dst, &v, len);
    }
}

/** Fills dst[0..len) with random characters from "0123456789abcdef" (no NUL added). */
extern "C" void VM_GetRandomHexChars(char *dst, size_t len) {
    static const char kHex[] = "0123456789abcdef";
    Rng &rng = thread_rng();
    uint64_t bits = 0;
    int left = 0;
    for (size_t i = 0; i < len; i++) {
        if (left == 0) {
            bits = rng.next();
            left = 16;
        }
        dst[i] = kHex[bits & 15];
        bits >>= 4;
        left--;
    }
}

// ---------------------------------------------------------------------------------------
// Version and capability masks.

/** The server version as 0x00MMmmpp: 0x00080100 (this host reports Valkey 8.1.0). */
extern "C" int VM_GetServerVersion(void) { return vmhost::kServerVersionNum; }

/** The type-methods version this host understands (VALKEYMODULE_TYPE_METHOD_VERSION, 5). */
extern "C" int VM_GetTypeMethodVersion(void) { return 5; }

/** Every module option bit this host knows: HANDLE_IO_ERRORS | NO_IMPLICIT_SIGNAL_MODIFIED
 *  | HANDLE_REPL_ASYNC_LOAD | ALLOW_NESTED_KEYSPACE_NOTIFICATIONS (0xF). */
extern "C" int VM_GetModuleOptionsAll(void) { return (1 << 4) - 1; }

/** Every context flag bit this host knows: bits 0..24, LUA through SERVER_STARTUP. */
extern "C" int VM_GetContextFlagsAll(void) { return (1 << 25) - 1; }

/** Every keyspace notification bit this host knows: bits 0..14, KEYSPACE through NEW. */
extern "C" int VM_GetKeyspaceNotificationFlagsAll(void) { return (1 << 15) - 1; }

/** Every OpenKey mode bit this host knows: READ | WRITE | NOTOUCH | NONOTIFY | NOSTATS |
 *  NOEXPIRE | NOEFFECTS. */
extern "C" int VM_GetOpenKeyModesAll(void) {
    return 1 | 2 | (1 << 16) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20);
}

#ifdef VALKEYMODULE_OPEN_KEY_NOEFFECTS
static_assert((VALKEYMODULE_READ | VALKEYMODULE_WRITE | VALKEYMODULE_OPEN_KEY_NOTOUCH | VALKEYMODULE_OPEN_KEY_NONOTIFY |
               VALKEYMODULE_OPEN_KEY_NOSTATS | VALKEYMODULE_OPEN_KEY_NOEXPIRE | VALKEYMODULE_OPEN_KEY_NOEFFECTS) ==
                  (1 | 2 | (1 << 16) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20)),
              "open-key mode constants disagree with the header");
#endif

// ---------------------------------------------------------------------------------------
// Cluster key slots: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key, or of
// its hash tag, modulo 16384.

namespace {

constexpr std::array<uint16_t, 256> make_crc16_table() {
    std::array<uint16_t, 256> t{};
    for (unsigned i = 0; i < 256; i++) {
        uint16_t crc = static_cast<uint16_t>(i << 8);
        for (int b = 0; b < 8; b++)
            crc = static_cast<uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
        t[i] = crc;
    }
    return t;
}

constexpr std::array<uint16_t, 256> kCrc16 = make_crc16_table();

uint16_t crc16(const char *p, size_t n) {
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++)
        crc = static_cast<uint16_t>((crc << 8) ^ kCrc16[((crc >> 8) ^ static_cast<uint8_t>(p[i])) & 0xFF]);
    return crc;
}

constexpr unsigned kSlots = 16384;

/** The slot of a key: when it has a non-empty hash tag (the bytes between the first '{'
 *  and the first '}' after it), only the tag is hashed. */
unsigned key_slot(const char *key, size_t len) {
    const void *open = memchr(key, '{', len);
    if (open) {
        size_t s = static_cast<size_t>(static_cast<const char *>(open) - key);
        const void *close = memchr(key + s + 1, '}', len - s - 1);
        if (close) {
            size_t e = static_cast<size_t>(static_cast<const char *>(close) - key);
            if (e > s + 1) return crc16(key + s + 1, e - s - 1) & (kSlots - 1);
        }
    }
    return crc16(key, len) & (kSlots - 1);
}

/** For each slot, the shortest alphanumeric key in it, the first in ASCII order
 *  ("0-9A-Za-z") among those of the same length. Built once, on first use. */
struct CanonicalNames {
    char names[kSlots][5];

    CanonicalNames() {
        static const char kAlpha[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        constexpr int kN = sizeof(kAlpha) - 1;
        memset(names, 0, sizeof(names));
        unsigned found = 0;
        char buf[5] = {0};
        for (int len = 1; len <= 4 && found < kSlots; len++) {
            int idx[4] = {0, 0, 0, 0};
            while (true) {
                for (int i = 0; i < len; i++) buf[i] = kAlpha[idx[i]];
                unsigned slot = crc16(buf, static_cast<size_t>(len)) & (kSlots - 1);
                if (names[slot][0] == '\0') {
                    memcpy(names[slot], buf, static_cast<size_t>(len));
                    found++;
                }
                int pos = len - 1;  // advance like an odometer, the last character fastest
                while (pos >= 0 && ++idx[pos] == kN) idx[pos--] = 0;
                if (pos < 0) break;
            }
        }
    }
};

const CanonicalNames &canonical_names() {
    static const CanonicalNames table;  // thread-safe initialisation
    return table;
}

}  // namespace

/** The cluster slot (0..16383) of a key, as CLUSTER KEYSLOT computes it; works without
 *  cluster mode. */
extern "C" unsigned int VM_ClusterKeySlot(ValkeyModuleString *key) {
    if (!key) return 0;
    return key_slot(key->ptr, key->len);
}

/** A short, static string that maps to `slot` (usable as a key or as a hash tag), or
 *  NULL when slot is not below 16384. */
extern "C" const char *VM_ClusterCanonicalKeyNameInSlot(unsigned int slot) {
    if (slot >= kSlots) return nullptr;
    return canonical_names().names[slot];
}
