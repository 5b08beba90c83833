/**
 * HyperLogLog with Valkey's exact byte representation, so an HLL made here is the same
 * string Valkey makes (and the other way round).
 *
 * Layout: a 16-byte header — "HYLL", the encoding (0 dense, 1 sparse), three unused bytes,
 * and the cached cardinality as 8 little-endian bytes whose top bit (byte 15, bit 7) marks
 * the cache stale — followed by the registers. 2^14 registers of 6 bits each:
 *
 * - dense: 12288 bytes, register i at bit i*6, least significant bits first;
 * - sparse: a run-length code. `00xxxxxx` is xxxxxx+1 zero registers, `01xxxxxx yyyyyyyy`
 *   is (x<<8|y)+1 zero registers, `1vvvvvxx` is xx+1 registers holding vvvvv+1. A sparse
 *   HLL turns dense when a register needs a value over 32 or its code would grow past
 *   hll-sparse-max-bytes.
 *
 * Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the
 * register, the run of zeros above them (plus one) is the candidate value. The estimate is
 * Ertl's improved raw estimator over the register histogram.
 */

export const HLL_P = 14;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_Q = 64 - HLL_P;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680;

/** Valkey's error for a string that is not an HLL (or not a well-formed header). */
export const HLL_WRONGTYPE = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
/** Valkey's error for an HLL whose registers do not decode. */
export const HLL_INVALID = 'INVALIDOBJ Corrupted HLL object detected';

// ---- MurmurHash64A on 32-bit halves ------------------------------------------------------

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
let rHi = 0;
let rLo = 0;

/** High 32 bits of the unsigned 64-bit product a*b. */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** (hi,lo) * m mod 2^64 into rHi/rLo. */
function mulM(hi: number, lo: number): void {
  const l = Math.imul(lo, M_LO) >>> 0;
  rHi = (mulHigh32(lo, M_LO) + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
  rLo = l;
}

/**
 * MurmurHash64A of the bytes of `s` (a one-byte string) with Valkey's HLL seed; the
 * 64-bit result is left in rHi/rLo.
 */
function murmur64a(s: string): void {
  const len = s.length;
  mulM(0, len);
  let hHi = rHi;
  let hLo = (rLo ^ 0xadc83b19) >>> 0;
  const end = len - (len & 7);
  let i = 0;
  for (; i < end; i += 8) {
    const kLo =
      (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi =
      (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    mulM(kHi, kLo);
    // k ^= k >> 47
    mulM(rHi, (rLo ^ (rHi >>> 15)) >>> 0);
    hHi = (hHi ^ rHi) >>> 0;
    hLo = (hLo ^ rLo) >>> 0;
    mulM(hHi, hLo);
    hHi = rHi;
    hLo = rLo;
  }
  const rem = len & 7;
  if (rem > 0) {
    // Tail bytes: bytes 4..6 go to the high word, 0..3 to the low word.
    for (let t = rem - 1; t >= 4; t--) hHi ^= s.charCodeAt(i + t) << ((t - 4) * 8);
    for (let t = Math.min(rem, 4) - 1; t >= 0; t--) hLo ^= s.charCodeAt(i + t) << (t * 8);
    mulM(hHi >>> 0, hLo >>> 0);
    hHi = rHi;
    hLo = rLo;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  mulM(hHi, (hLo ^ (hHi >>> 15)) >>> 0);
  rLo = (rLo ^ (rHi >>> 15)) >>> 0;
}

/** The 64-bit MurmurHash64A of a byte string with seed 0xadc83b19, as a BigInt (for tests). */
export function murmurHash64A(s: string): bigint {
  murmur64a(s);
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}

let patIndex = 0;

/** Hashes an element: the register index goes to patIndex, the value (1..51) is returned. */
function patLen(ele: string): number {
  murmur64a(ele);
  patIndex = rLo & HLL_P_MASK;
  const lo = ((rLo >>> HLL_P) | (rHi << (32 - HLL_P))) >>> 0;
  const hi = ((rHi >>> HLL_P) | (1 << (HLL_Q - 32))) >>> 0;
  if (lo !== 0) return 32 - Math.clz32(lo & -lo);
  return 32 + 32 - Math.clz32(hi & -hi);
}

/** Register index and value an element maps to (for PFDEBUG-style introspection and tests). */
export function hllPattern(ele: string): { index: number; count: number } {
  const count = patLen(ele);
  return { index: patIndex, count };
}

// ---- the HLL object -------------------------------------------------------------------------

/**
 * A mutable HLL string: `buf[0..len)` are the bytes of the value (one spare byte past the
 * end mirrors the terminator Valkey's strings carry, which dense register writes touch).
 */
export class Hll {
  constructor(
    public buf: Buffer,
    public len: number,
  ) {}

  /** A new empty HLL: sparse, one XZERO run over every register, cache valid at 0. */
  static create(): Hll {
    const n = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS + SPARSE_XZERO_MAX_LEN - 1) / SPARSE_XZERO_MAX_LEN) * 2;
    const buf = Buffer.alloc(n + 8);
    buf.write('HYLL', 0, 'latin1');
    buf[4] = HLL_SPARSE;
    let p = HLL_HDR_SIZE;
    for (let left = HLL_REGISTERS; left > 0; left -= SPARSE_XZERO_MAX_LEN) {
      const run = Math.min(left, SPARSE_XZERO_MAX_LEN) - 1;
      buf[p++] = (run >> 8) | 0x40;
      buf[p++] = run & 0xff;
    }
    return new Hll(buf, n);
  }

  /** Wraps a keyspace string value (copies its bytes). */
  static fromString(s: string): Hll {
    const buf = Buffer.allocUnsafe(s.length + 8);
    buf.write(s, 0, 'latin1');
    buf.fill(0, s.length);
    return new Hll(buf, s.length);
  }

  /** The value as a keyspace string. */
  toString(): string {
    return this.buf.toString('latin1', 0, this.len);
  }

  get encoding(): number {
    return this.buf[4]!;
  }

  /** Whether the cached cardinality is current. */
  cacheValid(): boolean {
    return (this.buf[15]! & 0x80) === 0;
  }

  /** Marks the cached cardinality stale. */
  invalidateCache(): void {
    this.buf[15]! |= 0x80;
  }

  /** The cached cardinality (meaningful when cacheValid()). */
  cachedCard(): number {
    const b = this.buf;
    return b.readUInt32LE(8) + b.readUInt32LE(12) * 4294967296;
  }

  /** Stores a cardinality in the cache (which makes it valid). */
  setCachedCard(card: number): void {
    const b = this.buf;
    b.writeUInt32LE(card % 4294967296, 8);
    b.writeUInt32LE(Math.floor(card / 4294967296), 12);
  }

  /** Makes room for `extra` more bytes after len. */
  private reserve(extra: number): void {
    if (this.len + extra + 1 <= this.buf.length) return;
    const nb = Buffer.alloc(Math.max(this.buf.length * 2, this.len + extra + 8));
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  /**
   * Adds an element. Returns 1 when a register changed, 0 when not, -1 when the HLL is
   * corrupted. `sparseMax` is hll-sparse-max-bytes.
   */
  add(ele: string, sparseMax: number): number {
    const count = patLen(ele);
    const index = patIndex;
    const enc = this.buf[4];
    if (enc === HLL_DENSE) return denseSet(this.buf, HLL_HDR_SIZE, index, count);
    if (enc === HLL_SPARSE) return this.sparseSet(index, count, sparseMax);
    return -1;
  }

  /**
   * Sets register `index` to `count` if that is larger, keeping the sparse code minimal in
   * Valkey's exact way (split the covering code, then merge equal neighbours). Promotes to
   * dense when needed. Returns 1 updated, 0 unchanged, -1 corrupted.
   */
  sparseSet(index: number, count: number, sparseMax: number): number {
    if (count > SPARSE_VAL_MAX_VALUE) return this.promoteAndSet(index, count);
    this.reserve(3);
    const b = this.buf;
    let end = this.len;
    let p = HLL_HDR_SIZE;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const op = b[p]!;
      let oplen = 1;
      if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
      else if (op & 0x80) span = (op & 3) + 1;
      else {
        span = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span === 0 || p >= end) return -1;
    const op = b[p]!;
    const isXzero = (op & 0xc0) === 0x40;
    const isZero = (op & 0xc0) === 0;
    const isVal = (op & 0x80) !== 0;
    let next = isXzero ? p + 2 : p + 1;
    if (next >= end) next = -1;
    let runlen: number;
    if (isZero) runlen = (op & 0x3f) + 1;
    else if (isXzero) runlen = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
    else runlen = (op & 3) + 1;

    let done = false;
    if (isVal) {
      const old = ((op >> 2) & 0x1f) + 1;
      if (old >= count) return 0;
      if (runlen === 1) {
        b[p] = valOp(count, 1);
        done = true;
      }
    }
    if (!done && isZero && runlen === 1) {
      b[p] = valOp(count, 1);
      done = true;
    }
    if (!done) {
      // Split the covering code into up to three codes (at most 5 bytes).
      const seq = SEQ;
      let n = 0;
      const last = first + span - 1;
      if (isZero || isXzero) {
        if (index !== first) n = putZeros(seq, n, index - first);
        seq[n++] = valOp(count, 1);
        if (index !== last) n = putZeros(seq, n, last - index);
      } else {
        const cur = ((op >> 2) & 0x1f) + 1;
        if (index !== first) seq[n++] = valOp(cur, index - first);
        seq[n++] = valOp(count, 1);
        if (index !== last) seq[n++] = valOp(cur, last - index);
      }
      const oldlen = isXzero ? 2 : 1;
      const delta = n - oldlen;
      if (delta > 0 && this.len + delta > sparseMax) return this.promoteAndSet(index, count);
      if (delta !== 0 && next >= 0) b.copyWithin(next + delta, next, end);
      this.len += delta;
      for (let i = 0; i < n; i++) b[p + i] = seq[i]!;
      end += delta;
    }

    // Merge adjacent VAL codes with equal values, scanning a few codes from prev.
    p = prev >= 0 ? prev : HLL_HDR_SIZE;
    let scan = 5;
    while (p < end && scan-- > 0) {
      const o = b[p]!;
      if ((o & 0xc0) === 0x40) {
        p += 2;
        continue;
      }
      if ((o & 0xc0) === 0) {
        p++;
        continue;
      }
      if (p + 1 < end && b[p + 1]! & 0x80) {
        const v1 = ((o >> 2) & 0x1f) + 1;
        const o2 = b[p + 1]!;
        const v2 = ((o2 >> 2) & 0x1f) + 1;
        if (v1 === v2) {
          const len = (o & 3) + 1 + (o2 & 3) + 1;
          if (len <= SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valOp(v1, len);
            b.copyWithin(p, p + 1, end);
            this.len--;
            end--;
            continue;
          }
        }
      }
      p++;
    }
    this.invalidateCache();
    return 1;
  }

  private promoteAndSet(index: number, count: number): number {
    if (!this.toDense()) return -1;
    return denseSet(this.buf, HLL_HDR_SIZE, index, count);
  }

  /** Converts a sparse HLL to dense (header copied as is); false when the sparse code is
   *  corrupted. A dense HLL is left alone. */
  toDense(): boolean {
    if (this.buf[4] === HLL_DENSE) return true;
    const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
    this.buf.copy(dense, 0, 0, HLL_HDR_SIZE);
    dense[4] = HLL_DENSE;
    const b = this.buf;
    const end = this.len;
    let p = HLL_HDR_SIZE;
    let idx = 0;
    while (p < end) {
      const op = b[p]!;
      if ((op & 0xc0) === 0) {
        idx += (op & 0x3f) + 1;
        p++;
      } else if ((op & 0xc0) === 0x40) {
        idx += (((op & 0x3f) << 8) | b[p + 1]!) + 1;
        p += 2;
      } else {
        let run = (op & 3) + 1;
        const val = ((op >> 2) & 0x1f) + 1;
        if (run + idx > HLL_REGISTERS) return false; // a run past the last register
        while (run-- > 0) setDenseRegister(dense, HLL_HDR_SIZE, idx++, val);
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) return false;
    this.buf = dense;
    this.len = HLL_DENSE_SIZE;
    return true;
  }

  /** Folds this HLL into `max` (one byte per register, max[i] = max(max[i], reg[i]));
   *  false when the sparse code is corrupted. */
  mergeInto(max: Uint8Array): boolean {
    const b = this.buf;
    if (b[4] === HLL_DENSE) {
      mergeDense(b, HLL_HDR_SIZE, max);
      return true;
    }
    const end = this.len;
    let p = HLL_HDR_SIZE;
    let i = 0;
    while (p < end) {
      const op = b[p]!;
      if ((op & 0xc0) === 0) {
        i += (op & 0x3f) + 1;
        p++;
      } else if ((op & 0xc0) === 0x40) {
        i += (((op & 0x3f) << 8) | b[p + 1]!) + 1;
        p += 2;
      } else {
        let run = (op & 3) + 1;
        const val = ((op >> 2) & 0x1f) + 1;
        if (run + i > HLL_REGISTERS) return false; // a run past the last register
        while (run-- > 0) {
          if (val > max[i]!) max[i] = val;
          i++;
        }
        p++;
      }
    }
    return i === HLL_REGISTERS;
  }

  /** The register histogram; `invalid` is set when a sparse code does not cover exactly
   *  every register. */
  histogram(histo: Int32Array): boolean {
    histo.fill(0);
    const b = this.buf;
    if (b[4] === HLL_DENSE) {
      denseHistogram(b, HLL_HDR_SIZE, histo);
      return true;
    }
    const end = this.len;
    let p = HLL_HDR_SIZE;
    let idx = 0;
    while (p < end) {
      const op = b[p]!;
      if ((op & 0xc0) === 0) {
        const run = (op & 0x3f) + 1;
        idx += run;
        histo[0]! += run;
        p++;
      } else if ((op & 0xc0) === 0x40) {
        const run = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
        idx += run;
        histo[0]! += run;
        p += 2;
      } else {
        const run = (op & 3) + 1;
        const val = ((op >> 2) & 0x1f) + 1;
        idx += run;
        histo[val]! += run;
        p++;
      }
    }
    return idx === HLL_REGISTERS;
  }

  /** Estimated cardinality; undefined when the sparse code is corrupted. */
  count(): number | undefined {
    const histo = HISTO;
    if (!this.histogram(histo)) return undefined;
    return estimate(histo);
  }

  /** Every register value (dense view), e.g. for PFDEBUG GETREG. Requires dense. */
  registers(): Uint8Array {
    const out = new Uint8Array(HLL_REGISTERS);
    for (let i = 0; i < HLL_REGISTERS; i++) out[i] = getDenseRegister(this.buf, HLL_HDR_SIZE, i);
    return out;
  }

  /** PFDEBUG DECODE text of a sparse HLL: "z:N", "Z:N", "v:V,N" codes separated by spaces. */
  decodeSparse(): string {
    const parts: string[] = [];
    const b = this.buf;
    let p = HLL_HDR_SIZE;
    while (p < this.len) {
      const op = b[p]!;
      if ((op & 0xc0) === 0) {
        parts.push(`z:${(op & 0x3f) + 1}`);
        p++;
      } else if ((op & 0xc0) === 0x40) {
        parts.push(`Z:${(((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1}`);
        p += 2;
      } else {
        parts.push(`v:${((op >> 2) & 0x1f) + 1},${(op & 3) + 1}`);
        p++;
      }
    }
    return parts.join(' ');
  }
}

const SEQ = new Uint8Array(5);
const HISTO = new Int32Array(64);

function valOp(val: number, len: number): number {
  return (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;
}

/** Writes a ZERO or XZERO code for `len` zero registers at seq[n]; returns the new n. */
function putZeros(seq: Uint8Array, n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    seq[n++] = (l >> 8) | 0x40;
    seq[n++] = l & 0xff;
  } else {
    seq[n++] = len - 1;
  }
  return n;
}

/** Reads dense register `i` of the registers starting at buf[off]. */
export function getDenseRegister(buf: Uint8Array, off: number, i: number): number {
  const bit = i * HLL_BITS;
  const byte = off + (bit >>> 3);
  const fb = bit & 7;
  return ((buf[byte]! >>> fb) | (buf[byte + 1]! << (8 - fb))) & HLL_REGISTER_MAX;
}

/** Writes dense register `i` (the byte past the last register may be touched, as Valkey). */
export function setDenseRegister(buf: Uint8Array, off: number, i: number, val: number): void {
  const bit = i * HLL_BITS;
  const byte = off + (bit >>> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  buf[byte] = (buf[byte]! & ~(HLL_REGISTER_MAX << fb)) | ((val << fb) & 0xff);
  buf[byte + 1] = (buf[byte + 1]! & ~(HLL_REGISTER_MAX >>> fb8)) | (val >>> fb8);
}

/** Raises dense register `index` to `count`; 1 when it changed, else 0. */
function denseSet(buf: Uint8Array, off: number, index: number, count: number): number {
  if (count > getDenseRegister(buf, off, index)) {
    setDenseRegister(buf, off, index, count);
    return 1;
  }
  return 0;
}

/** Dense registers into `max`, four registers (three bytes) at a time. */
function mergeDense(b: Uint8Array, off: number, max: Uint8Array): void {
  let p = off;
  for (let i = 0; i < HLL_REGISTERS; i += 4, p += 3) {
    const b0 = b[p]!;
    const b1 = b[p + 1]!;
    const b2 = b[p + 2]!;
    const r0 = b0 & 63;
    const r1 = ((b0 >>> 6) | (b1 << 2)) & 63;
    const r2 = ((b1 >>> 4) | (b2 << 4)) & 63;
    const r3 = b2 >>> 2;
    if (r0 > max[i]!) max[i] = r0;
    if (r1 > max[i + 1]!) max[i + 1] = r1;
    if (r2 > max[i + 2]!) max[i + 2] = r2;
    if (r3 > max[i + 3]!) max[i + 3] = r3;
  }
}

function denseHistogram(b: Uint8Array, off: number, histo: Int32Array): void {
  let p = off;
  for (let i = 0; i < HLL_REGISTERS; i += 4, p += 3) {
    const b0 = b[p]!;
    const b1 = b[p + 1]!;
    const b2 = b[p + 2]!;
    histo[b0 & 63]!++;
    histo[((b0 >>> 6) | (b1 << 2)) & 63]!++;
    histo[((b1 >>> 4) | (b2 << 4)) & 63]!++;
    histo[b2 >>> 2]!++;
  }
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** Cardinality from a register histogram (Ertl's estimator, rounded half away from 0). */
export function estimate(histo: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  const e = (ALPHA_INF * m * m) / z;
  const f = Math.floor(e);
  return e - f >= 0.5 ? f + 1 : f;
}

/** Cardinality of registers held one per byte (PFCOUNT of several keys). */
export function countRaw(max: Uint8Array): number {
  const histo = HISTO;
  histo.fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[max[i]!]!++;
  return estimate(histo);
}

/**
 * Whether a string value has a valid HLL header: at least 16 bytes, "HYLL", encoding 0 or
 * 1, and a dense one exactly 12304 bytes long.
 */
export function isHllString(s: string): boolean {
  if (s.length < HLL_HDR_SIZE) return false;
  if (s.charCodeAt(0) !== 72 || s.charCodeAt(1) !== 89 || s.charCodeAt(2) !== 76 || s.charCodeAt(3) !== 76) return false;
  const enc = s.charCodeAt(4);
  if (enc > HLL_SPARSE) return false;
  if (enc === HLL_DENSE && s.length !== HLL_DENSE_SIZE) return false;
  return true;
}
