// ReplyTape: the byte record module Reply* calls append to (layout in tape.h).
//
// Besides the bytes, the tape keeps a small stack of the aggregates that are still
// receiving children. It lets postponed headers be filled later (LIFO, as the API
// promises) and, when a module forgets to fill one, lets closeAllPostponed write the
// number of children that were really written so the tape always decodes.
#include "tape.h"

#include <cstdio>
#include <cstdlib>

namespace vmhost {

namespace {
constexpr size_t kInitialCapacity = 4096;

/** Bytes longer than a u32 can describe cannot be recorded; such a reply would exceed
 *  any RESP limit anyway (proto-max-bulk-len is 512 MB), so the length is clamped. */
uint32_t clampLen(size_t n) { return n > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(n); }
}  // namespace

ReplyTape::ReplyTape() { reserve(kInitialCapacity); }

ReplyTape::~ReplyTape() { std::free(buf_); }

void ReplyTape::reset() {
    len_ = 0;
    open_.clear();
    postponed_.clear();
}

void ReplyTape::reserve(size_t extra) {
    if (cap_ - len_ >= extra) return;
    size_t cap = cap_ ? cap_ : kInitialCapacity;
    while (cap - len_ < extra) cap *= 2;
    void *p = std::realloc(buf_, cap);
    if (!p) {
        std::fprintf(stderr, "vmhost: out of memory growing the reply tape to %zu bytes\n", cap);
        std::abort();
    }
    buf_ = static_cast<uint8_t *>(p);
    cap_ = cap;
    gen_++;
}

void ReplyTape::putString(char type, const char *p, size_t n) {
    uint32_t len = clampLen(n);
    reserve(5 + static_cast<size_t>(len));
    buf_[len_++] = static_cast<uint8_t>(type);
    std::memcpy(buf_ + len_, &len, 4);
    len_ += 4;
    if (len) std::memcpy(buf_ + len_, p, len);
    len_ += len;
}

void ReplyTape::completed() {
    while (!open_.empty()) {
        Open &top = open_.back();
        top.written++;
        if (top.expected < 0 || top.written < needed(top)) return;
        bool attribute = top.attribute;
        open_.pop_back();
        // A finished attribute annotates the reply that follows; it is not itself one of
        // its parent's children.
        if (attribute) return;
    }
}

void ReplyTape::settleTop() {
    if (open_.empty()) return;
    Open &top = open_.back();
    if (top.expected < 0 || top.written < needed(top)) return;
    long credits = (top.attribute ? 0 : 1) + (top.written - needed(top));
    open_.pop_back();
    for (long i = 0; i < credits; i++) completed();
}

void ReplyTape::addInt(long long v) {
    reserve(9);
    buf_[len_++] = 'i';
    int64_t x = v;
    std::memcpy(buf_ + len_, &x, 8);
    len_ += 8;
    completed();
}

void ReplyTape::addSimple(const char *p, size_t n) {
    putString('+', p, n);
    completed();
}

void ReplyTape::addError(const char *p, size_t n) {
    putString('-', p, n);
    completed();
}

void ReplyTape::addBulk(const char *p, size_t n) {
    putString('$', p, n);
    completed();
}

void ReplyTape::addNull() {
    put8('_');
    completed();
}

void ReplyTape::addNullArray() {
    put8('N');
    completed();
}

void ReplyTape::addDouble(double d) {
    reserve(9);
    buf_[len_++] = ',';
    std::memcpy(buf_ + len_, &d, 8);
    len_ += 8;
    completed();
}

void ReplyTape::addDoubleText(const char *p, size_t n) {
    putString(';', p, n);
    completed();
}

void ReplyTape::addBool(bool b) {
    reserve(2);
    buf_[len_++] = '#';
    buf_[len_++] = b ? 1 : 0;
    completed();
}

void ReplyTape::addBigNumber(const char *p, size_t n) {
    putString('(', p, n);
    completed();
}

void ReplyTape::addVerbatim(const char *fmt3, const char *p, size_t n) {
    uint32_t len = clampLen(n);
    reserve(8 + static_cast<size_t>(len));
    buf_[len_++] = '=';
    std::memcpy(buf_ + len_, fmt3, 3);
    len_ += 3;
    std::memcpy(buf_ + len_, &len, 4);
    len_ += 4;
    if (len) std::memcpy(buf_ + len_, p, len);
    len_ += len;
    completed();
}

void ReplyTape::addRaw(const char *p, size_t n) {
    putString('R', p, n);
    completed();
}

void ReplyTape::openAggregate(char type, long n) {
    put8(static_cast<uint8_t>(type));
    Open o;
    o.headerPos = len_;
    o.expected = n < 0 ? -1 : n;
    o.written = 0;
    o.type = type;
    o.attribute = type == '|';
    put32(n < 0 ? 0u : static_cast<uint32_t>(n));
    open_.push_back(o);
    if (n < 0) {
        postponed_.push_back(open_.size() - 1);
    } else if (n == 0) {
        settleTop();
    }
}

bool ReplyTape::setPostponedLength(long n) {
    if (postponed_.empty()) return false;
    size_t idx = postponed_.back();
    postponed_.pop_back();
    if (n < 0) n = 0;
    Open &o = open_[idx];
    o.expected = n;
    uint32_t v = static_cast<uint32_t>(n);
    std::memcpy(buf_ + o.headerPos, &v, 4);
    // Normally the aggregate is the innermost open one here. If the module left a
    // fixed-length aggregate unfinished inside it, it is settled when that one completes.
    if (idx + 1 == open_.size()) settleTop();
    return true;
}

void ReplyTape::closeAllPostponed() {
    while (!postponed_.empty()) {
        size_t idx = postponed_.back();
        // Fixed-length aggregates left unfinished above it still occupy one slot each.
        while (open_.size() > idx + 1) {
            bool attribute = open_.back().attribute;
            open_.pop_back();
            if (!attribute) open_.back().written++;
        }
        const Open &o = open_[idx];
        long count = (o.type == '%' || o.type == '|') ? o.written / 2 : o.written;
        setPostponedLength(count);
    }
}

}  // namespace vmhost
