// The reply tape: a compact byte record of the replies a module command produced.
//
// Module Reply* calls append records here (no V8 involved); after the command returns,
// TypeScript decodes the tape once (src/modules/tape.ts) into RESP2, RESP3 or JS values.
// Lengths of aggregates opened with VALKEYMODULE_POSTPONED_LEN are patched in place.
//
// Record layout (little-endian, unaligned):
//   'i' int64                    integer
//   '+' u32 len, bytes           simple string
//   '-' u32 len, bytes           error (bytes exactly as the wire shows them after '-')
//   '$' u32 len, bytes           bulk string
//   '_'                          null (RESP2: $-1)
//   'N'                          null array (RESP2: *-1)
//   '*' u32 n                    array of n replies
//   '%' u32 n                    map of n key/value pairs (2n replies follow)
//   '~' u32 n                    set of n replies
//   '|' u32 n                    attribute of n pairs; the reply it annotates follows as
//                                a separate reply (it is a prefix, not a container)
//   '>' u32 n                    push of n replies
//   ',' f64                      double
//   ';' u32 len, bytes           double given as text (ReplyWithLongDouble): RESP3 `,text`,
//                                RESP2 a bulk string of the same text
//   '#' u8                       boolean (0/1)
//   '(' u32 len, bytes           big number (decimal digits)
//   '=' 3 bytes fmt, u32 len, bytes  verbatim string
//   'R' u32 len, bytes           raw protocol for the client's own protocol (ReplyWithCallReply)
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace vmhost {

class ReplyTape {
public:
    ReplyTape();
    ~ReplyTape();
    ReplyTape(const ReplyTape &) = delete;
    ReplyTape &operator=(const ReplyTape &) = delete;

    /** Empties the tape (keeps its buffer). */
    void reset();
    const uint8_t *data() const { return buf_; }
    size_t size() const { return len_; }
    /** Bytes available at data() before the next reallocation. */
    size_t capacity() const { return cap_; }
    /** Incremented whenever the buffer is reallocated (JS must refresh its view). */
    uint32_t generation() const { return gen_; }

    void addInt(long long v);
    void addSimple(const char *p, size_t n);
    void addError(const char *p, size_t n);
    void addBulk(const char *p, size_t n);
    void addNull();
    void addNullArray();
    void addDouble(double d);
    /** A double already rendered as text (record ';'): RESP3 sends `,text`, RESP2 a bulk. */
    void addDoubleText(const char *p, size_t n);
    void addBool(bool b);
    void addBigNumber(const char *p, size_t n);
    void addVerbatim(const char *fmt3, const char *p, size_t n);
    void addRaw(const char *p, size_t n);
    /** Opens an aggregate ('*', '%', '~', '|', '>') of n elements (pairs for map/attribute);
     *  n < 0 means postponed: the length is set later by setPostponedLength. */
    void openAggregate(char type, long n);
    /** Fills the most recent unfilled postponed aggregate (LIFO). Returns false when
     *  there is none. `n` counts pairs for maps and attributes. */
    bool setPostponedLength(long n);
    /** Number of postponed aggregates still waiting for their length. */
    size_t pendingPostponed() const { return postponed_.size(); }
    /** Fills every pending postponed aggregate with the number of elements actually written
     *  into it (used when a module misuses the API), so the tape always decodes. */
    void closeAllPostponed();

private:
    struct Open {
        size_t headerPos;   // offset of the u32 count
        long expected;      // -1 while postponed
        long written;       // direct child replies written so far (a pair counts 2)
        char type;
        bool attribute;     // an attribute is a prefix: when complete it does not count
                            // as a child of the aggregate around it
    };
    void reserve(size_t extra);
    void put8(uint8_t v) { reserve(1); buf_[len_++] = v; }
    void put32(uint32_t v) { reserve(4); memcpy(buf_ + len_, &v, 4); len_ += 4; }
    void putBytes(const char *p, size_t n) { reserve(n); if (n) memcpy(buf_ + len_, p, n); len_ += n; }
    void putString(char type, const char *p, size_t n);
    /** Called after a complete reply was written: counts it into the open aggregates. */
    void completed();
    /** Children an aggregate needs before it is complete (pairs count twice). */
    static long needed(const Open &o) { return (o.type == '%' || o.type == '|') ? o.expected * 2 : o.expected; }
    /** Closes the innermost open aggregate if it has all its children (or more: the extra
     *  ones then belong to its parent, exactly as a RESP reader would see them). */
    void settleTop();

    uint8_t *buf_ = nullptr;
    size_t len_ = 0;
    size_t cap_ = 0;
    uint32_t gen_ = 0;
    std::vector<Open> open_;         // aggregates still receiving children
    std::vector<size_t> postponed_;  // indexes into open_ of postponed aggregates (LIFO)
};

}  // namespace vmhost
