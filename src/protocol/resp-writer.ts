/**
 * RESP2/RESP3 encoding: `RespWriter` writes replies as wire bytes into one growing Buffer,
 * `encodeReply` turns a typed `Reply` into the exact bytes Valkey would send, and
 * `formatDouble` renders a double exactly as Valkey does.
 */
import {
  AttributeReply,
  BigNumberReply,
  DoubleReply,
  NullArray,
  PushReply,
  ReplyError,
  SimpleString,
  VerbatimString,
  type Reply,
} from './reply.js';
import type { ReplyWriter } from './writer.js';

/** Node's Buffer has fast, undocumented-in-types single-encoding methods. */
interface FastBuffer extends Buffer {
  latin1Write(s: string, offset: number, length?: number): number;
  utf8Write(s: string, offset: number, length?: number): number;
  latin1Slice(start: number, end: number): string;
}

// ---------------------------------------------------------------------------------------
// Valkey's double text.
//
// Valkey (d2string) prints a double as: "nan", "inf", "-inf", "0" / "-0"; an integral value
// within +-2^62 as a plain integer; anything else with fpconv_dtoa, a Grisu2 shortest-digit
// generator followed by its own layout rules (e.g. 1.2345678e-5, 5e+18, 0.001). Grisu2 is
// not always the shortest or closest representation, so JS's Number#toString cannot stand
// in for it: the digit generation below reproduces Grisu2's arithmetic step by step
// (64-bit unsigned, wrapping, as in C) so the text is identical for every double.
// ---------------------------------------------------------------------------------------

const TWO62 = 2 ** 62;
const TWO53 = 2 ** 53;
const TWO32 = 2 ** 32;
const TWO31 = 2 ** 31;
const TWO16 = 65536;
/** 2^0 .. 2^63 */
const POW2: number[] = [];
for (let i = 0; i < 64; i++) POW2.push(2 ** i);

/** Cached powers of ten for Grisu: significand * 2^POW_E[i] ~ 10^(-348 + 8i), the 64-bit
 *  significand rounded to nearest with its top bit set, kept as 32-bit halves. Computed
 *  once, exactly, with BigInt. */
const POW_H: number[] = [];
const POW_L: number[] = [];
const POW_E: number[] = [];
for (let i = 0; i < 87; i++) {
  const k = -348 + 8 * i;
  let f: bigint;
  if (k >= 0) {
    const p = 10n ** BigInt(k);
    const s = p.toString(2).length - 64;
    f = s >= 0 ? (p * 2n + (1n << BigInt(s))) / (2n << BigInt(s)) : p << BigInt(-s);
    POW_E.push(s);
  } else {
    const d = 10n ** BigInt(-k);
    const s = 63 + d.toString(2).length;
    f = ((1n << BigInt(s)) * 2n + d) / (2n * d);
    POW_E.push(-s);
  }
  POW_H.push(Number(f >> 32n));
  POW_L.push(Number(f & 0xffffffffn));
}

/** 10^0 .. 10^9 (index = exponent). */
const POW10: number[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

// 64-bit unsigned arithmetic on (hi, lo) pairs of 32-bit halves held in Numbers (exact).
// Results land in RH / RL.
let RH = 0;
let RL = 0;

/** x mod 2^32 for a non-negative integer x < 2^64 (exact; avoids the slow fmod of `%`). */
function low32(x: number): number {
  return x < TWO32 ? x : x - Math.floor(x / TWO32) * TWO32;
}

/** (h, l) << s, modulo 2^64 (0 <= s < 64). */
function shl(h: number, l: number, s: number): void {
  if (s === 0) {
    RH = h;
    RL = l;
  } else if (s >= 32) {
    RH = low32(l * POW2[s - 32]);
    RL = 0;
  } else {
    const m = POW2[s];
    const t = l * m; // < 2^64, exact (a power-of-two scaling)
    const carry = Math.floor(t / TWO32);
    RH = low32(h * m) + carry;
    RL = t - carry * TWO32;
  }
}

/** a * b for 32-bit a, b: the exact 64-bit product. */
function mul32(a: number, b: number): void {
  const a1 = a >>> 16;
  const a0 = a & 0xffff;
  const m = a1 * b; // < 2^48
  const mh = Math.floor(m / TWO16);
  const lo = (m - mh * TWO16) * TWO16 + a0 * b; // < 2^49
  const c = Math.floor(lo / TWO32);
  RL = lo - c * TWO32;
  RH = mh + c;
}

/** The rounded high 64 bits of the 128-bit product (xh, xl) * (ch, cl). */
function mulHigh(xh: number, xl: number, ch: number, cl: number): void {
  mul32(xh, cl);
  const hlh = RH;
  const hll = RL;
  mul32(xl, ch);
  const lhh = RH;
  const lhl = RL;
  mul32(xl, cl);
  const llh = RH;
  mul32(xh, ch);
  const hhh = RH;
  const hhl = RL;
  const mid = hll + lhl + llh + TWO31; // < 2^34
  const lo = hhl + hlh + lhh + Math.floor(mid / TWO32); // < 2^34
  const c = Math.floor(lo / TWO32);
  RL = lo - c * TWO32;
  RH = low32(hhh + c);
}

/** (ah, al) - (bh, bl) modulo 2^64. */
function sub(ah: number, al: number, bh: number, bl: number): void {
  let l = al - bl;
  let h = ah - bh;
  if (l < 0) {
    l += TWO32;
    h -= 1;
  }
  RH = h < 0 ? h + TWO32 : h;
  RL = l;
}

/** (ah, al) + (bh, bl) modulo 2^64. */
function add(ah: number, al: number, bh: number, bl: number): void {
  let l = al + bl;
  let c = 0;
  if (l >= TWO32) {
    l -= TWO32;
    c = 1;
  }
  RH = low32(ah + bh + c);
  RL = l;
}

function less(ah: number, al: number, bh: number, bl: number): boolean {
  return ah < bh || (ah === bh && al < bl);
}

/** Grisu2's final "weeding" step: moves the last digit towards the exact value while it
 *  stays inside the interval. All quantities are unsigned 64-bit (hi, lo) pairs and wrap
 *  modulo 2^64 as C's uint64_t does. */
function roundLast(
  digits: number[],
  dh: number,
  dl: number,
  rh: number,
  rl: number,
  kh: number,
  kl: number,
  fh: number,
  fl: number,
): void {
  let last = digits[digits.length - 1];
  // while (rem < frac && delta - rem >= kappa &&
  //        (rem + kappa < frac || frac - rem > rem + kappa - frac))
  while (less(rh, rl, fh, fl)) {
    sub(dh, dl, rh, rl);
    if (less(RH, RL, kh, kl)) break;
    add(rh, rl, kh, kl);
    const sh = RH;
    const sl = RL;
    if (!less(sh, sl, fh, fl)) {
      sub(fh, fl, rh, rl);
      const gh = RH;
      const gl = RL;
      sub(sh, sl, fh, fl);
      if (!less(RH, RL, gh, gl)) break;
    }
    last--;
    rh = sh;
    rl = sl;
  }
  digits[digits.length - 1] = last;
}

/** Decimal exponent of the digits produced by the last grisu() call (value = digits * 10^K). */
let gK = 0;

/** Index of the highest set bit of a non-zero (h, l). */
function topBit(h: number, l: number): number {
  return h !== 0 ? 63 - Math.clz32(h) : 31 - Math.clz32(l);
}

/** Grisu2 digits of a finite, non-zero |d| (Loitsch's algorithm as fpconv_dtoa runs it,
 *  in exact 64-bit arithmetic); sets gK. */
function grisu(d: number, digits: number[]): void {
  F64[0] = d;
  let fh = U32[HI] & 0xfffff;
  const fl = U32[LO];
  const biased = (U32[HI] >>> 20) & 0x7ff;
  let exp: number;
  if (biased) {
    fh += 0x100000; // the hidden bit (bit 52)
    exp = biased - 1075;
  } else {
    exp = -1074;
  }
  const isPow2 = fh === 0x100000 && fl === 0;

  // Upper boundary (2f+1) * 2^(e-1), shifted to bit 63.
  let uh = fh * 2 + (fl >= TWO31 ? 1 : 0);
  let ul = low32(fl * 2) + 1;
  const ushift = 63 - topBit(uh, ul);
  shl(uh, ul, ushift);
  uh = RH;
  ul = RL;
  const ue = exp - 1 - ushift;

  // Lower boundary (2f-1) * 2^(e-1), or (4f-1) * 2^(e-2) below a power of two, with the
  // upper boundary's exponent.
  const lshift = isPow2 ? 2 : 1;
  shl(fh, fl, lshift);
  sub(RH, RL, 0, 1);
  shl(RH, RL, exp - lshift - ue);
  let lh = RH;
  let ll = RL;

  // The value itself, normalised to bit 63.
  shl(fh, fl, 63 - topBit(fh, fl));
  let wh = RH;
  let wl = RL;

  // Scale all three by a cached power of ten so the exponent lands in [-60, -32].
  const approx = Math.trunc(-(ue + 87) * 0.30102999566398114);
  let idx = Math.trunc((approx + 348) / 8);
  for (;;) {
    const cur = ue + POW_E[idx] + 64;
    if (cur < -60) idx++;
    else if (cur > -32) idx--;
    else break;
  }
  const ch = POW_H[idx];
  const cl = POW_L[idx];
  mulHigh(wh, wl, ch, cl);
  wh = RH;
  wl = RL;
  mulHigh(uh, ul, ch, cl);
  sub(RH, RL, 0, 1);
  uh = RH;
  ul = RL;
  mulHigh(lh, ll, ch, cl);
  lh = RH;
  ll = RL + 1;
  if (ll === TWO32) {
    ll = 0;
    lh = low32(lh + 1);
  }
  const shift = -(ue + POW_E[idx] + 64); // 32..60
  gK = 348 - idx * 8;

  // Digit generation: the integral part (uf >> shift, < 2^32) first.
  sub(uh, ul, wh, wl);
  let fch = RH; // wfrac = uf - wf
  let fcl = RL;
  sub(uh, ul, lh, ll);
  let dh = RH; // delta = uf - lf
  let dl = RL;
  const unitHi = POW2[shift - 32]; // 2^shift = unitHi * 2^32
  let part1 = Math.floor(uh / unitHi);
  let ph = uh - part1 * unitHi; // part2 = uf mod 2^shift
  let pl = ul;
  // part1 << shift exceeds delta whenever part1 > 0 and delta < 2^shift
  const wideDelta = dh >= unitHi;
  let kappa = 10;
  for (let p = 9; kappa > 0; p--) {
    const div = POW10[p];
    const digit = Math.floor(part1 / div);
    if (digit || digits.length) digits.push(digit);
    part1 -= digit * div;
    kappa--;
    if (part1 !== 0 && !wideDelta) continue;
    const th = part1 * unitHi + ph; // (part1 << shift) + part2, high half
    if (th < dh || (th === dh && pl <= dl)) {
      gK += kappa;
      shl(0, div, shift);
      roundLast(digits, dh, dl, th, pl, RH, RL, fch, fcl);
      return;
    }
  }

  // The fraction: part2, delta and wfrac * 10^n each multiplied by 10 per digit (mod 2^64).
  for (;;) {
    let t = pl * 10;
    let c = Math.floor(t / TWO32);
    pl = t - c * TWO32;
    ph = ph * 10 + c; // part2 < 2^60: no overflow
    t = dl * 10;
    c = Math.floor(t / TWO32);
    dl = t - c * TWO32;
    dh = low32(dh * 10 + c);
    t = fcl * 10;
    c = Math.floor(t / TWO32);
    fcl = t - c * TWO32;
    fch = low32(fch * 10 + c);
    kappa--;
    const digit = Math.floor(ph / unitHi);
    if (digit || digits.length) digits.push(digit);
    ph -= digit * unitHi;
    if (ph < dh || (ph === dh && pl < dl)) {
      gK += kappa;
      // weeding only happens when the remainder is below wfrac * 10^n
      if (less(ph, pl, fch, fcl)) roundLast(digits, dh, dl, ph, pl, unitHi, 0, fch, fcl);
      return;
    }
  }
}

const DIGITS: number[] = [];

/** The text Valkey sends for a double (RESP3 `,<text>`, RESP2 bulk `<text>`). */
export function formatDouble(d: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return 1 / d < 0 ? '-0' : '0';
  if (d >= -TWO62 && d <= TWO62 && Math.floor(d) === d) {
    // every digit, as ll2string prints it (JS's own text rounds beyond 2^53)
    return d >= -TWO53 && d <= TWO53 ? String(d) : BigInt(d).toString();
  }
  const neg = d < 0;
  const digits = DIGITS;
  digits.length = 0;
  grisu(neg ? -d : d, digits);
  const K = gK;
  let nd = digits.length;
  let s = neg ? '-' : '';
  const exp = Math.abs(K + nd - 1);
  if (K >= 0 && exp < nd + 7) {
    // plain integer, padded with zeros
    for (let i = 0; i < nd; i++) s += digits[i];
    for (let i = 0; i < K; i++) s += '0';
    return s;
  }
  if (K < 0 && (K > -7 || exp < 4)) {
    // plain decimal
    const offset = nd + K;
    if (offset <= 0) {
      s += '0.';
      for (let i = 0; i < -offset; i++) s += '0';
      for (let i = 0; i < nd; i++) s += digits[i];
    } else {
      for (let i = 0; i < offset; i++) s += digits[i];
      s += '.';
      for (let i = offset; i < nd; i++) s += digits[i];
    }
    return s;
  }
  // scientific: d[.ddd]e(+|-)x
  nd = Math.min(nd, neg ? 17 : 18);
  s += digits[0];
  if (nd > 1) {
    s += '.';
    for (let i = 1; i < nd; i++) s += digits[i];
  }
  s += K + nd - 1 < 0 ? 'e-' : 'e+';
  return s + exp;
}

/** The number a double's text stands for ("inf", "-inf", "nan" included). */
export function parseDoubleText(text: string): number {
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan' || text === '-nan') return NaN;
  return Number(text);
}

// ---------------------------------------------------------------------------------------
// RespWriter
// ---------------------------------------------------------------------------------------

const CR = 13;
const LF = 10;
/** A Buffer at least this large is handed over by take() instead of copied. */
const HANDOVER_BYTES = 64 * 1024;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A JS (UTF-16) text as a byte string: its UTF-8 bytes, one per char. */
function utf8Bytes(s: string): string {
  return isAscii(s) ? s : (Buffer.from(s, 'utf8') as FastBuffer).latin1Slice(0, Buffer.byteLength(s, 'utf8'));
}

/** Writes RESP2 or RESP3 bytes into one growing Buffer. Strings given to it are byte
 *  strings (one char per byte, "latin1") unless a method says otherwise. */
export class RespWriter implements ReplyWriter {
  /** Error replies written so far, and the last one (the engine counts them in stats). */
  errorCount = 0;
  lastError = '';
  private buf: FastBuffer;
  private len = 0;
  private readonly initialSize: number;

  constructor(
    readonly proto: 2 | 3,
    initialSize = 16 * 1024,
  ) {
    this.initialSize = Math.max(64, initialSize);
    this.buf = Buffer.allocUnsafe(this.initialSize) as FastBuffer;
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.len;
  }

  /** The bytes written so far; the writer starts over empty. */
  take(): Buffer {
    const n = this.len;
    this.len = 0;
    if (n >= HANDOVER_BYTES) {
      const out = this.buf.subarray(0, n);
      this.buf = Buffer.allocUnsafe(this.initialSize) as FastBuffer;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, 0, n);
    return out;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = Buffer.allocUnsafe(cap) as FastBuffer;
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  /** Writes the decimal digits of a safe integer (room must be reserved: 21 bytes). */
  private digits(n: number): void {
    const buf = this.buf;
    if (n < 0) {
      buf[this.len++] = 45; // '-'
      n = -n;
    }
    if (n < 10) {
      buf[this.len++] = 48 + n;
      return;
    }
    let count = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) count++;
    let pos = this.len + count;
    this.len = pos;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--pos] = 48 + (n - q * 10);
      n = q;
    }
    buf[--pos] = 48 + n;
  }

  /** `<prefix><n>\r\n` */
  private header(prefix: number, n: number): void {
    this.ensure(24);
    this.buf[this.len++] = prefix;
    this.digits(n);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  /** `<prefix><bytes>\r\n` for a byte string. */
  private line(prefix: number, s: string): void {
    this.ensure(s.length + 3);
    this.buf[this.len++] = prefix;
    if (s.length) this.len += this.buf.latin1Write(s, this.len, s.length);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  private crlf(): void {
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  simple(text: string): void {
    this.line(43 /* + */, text);
  }

  error(message: string): void {
    if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) message = message.replace(/[\r\n]/g, ' ');
    this.errorCount++;
    this.lastError = message;
    this.line(45 /* - */, message);
  }

  integer(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      this.ensure(24);
      this.buf[this.len++] = 58; // ':'
      this.digits(n);
      this.crlf();
    } else {
      this.line(58, typeof n === 'bigint' ? n.toString() : BigInt(Math.trunc(n)).toString());
    }
  }

  bulk(bytes: string | Buffer): void {
    const n = bytes.length;
    this.header(36 /* $ */, n);
    this.ensure(n + 2);
    if (typeof bytes === 'string') {
      if (n) this.len += this.buf.latin1Write(bytes, this.len, n);
    } else {
      bytes.copy(this.buf, this.len);
      this.len += n;
    }
    this.crlf();
  }

  /** A bulk string holding the UTF-8 encoding of a JS text. */
  bulkUtf8(text: string): void {
    const n = Buffer.byteLength(text, 'utf8');
    this.header(36, n);
    this.ensure(n + 2);
    if (n) this.len += this.buf.utf8Write(text, this.len, n);
    this.crlf();
  }

  null(): void {
    this.ensure(5);
    if (this.proto === 3) {
      this.buf[this.len++] = 95; // '_'
    } else {
      this.buf[this.len++] = 36; // '$'
      this.buf[this.len++] = 45;
      this.buf[this.len++] = 49;
    }
    this.crlf();
  }

  nullArray(): void {
    this.ensure(5);
    if (this.proto === 3) {
      this.buf[this.len++] = 95;
    } else {
      this.buf[this.len++] = 42; // '*'
      this.buf[this.len++] = 45;
      this.buf[this.len++] = 49;
    }
    this.crlf();
  }

  array(n: number): void {
    this.header(42 /* * */, n);
  }

  map(n: number): void {
    if (this.proto === 3) this.header(37 /* % */, n);
    else this.header(42, n * 2);
  }

  set(n: number): void {
    this.header(this.proto === 3 ? 126 /* ~ */ : 42, n);
  }

  attribute(n: number): void {
    this.header(124 /* | */, n);
  }

  push(n: number): void {
    this.header(this.proto === 3 ? 62 /* > */ : 42, n);
  }

  double(d: number): void {
    this.doubleText(formatDouble(d));
  }

  doubleText(text: string): void {
    if (this.proto === 3) this.line(44 /* , */, text);
    else this.bulk(text);
  }

  bool(b: boolean): void {
    this.ensure(4);
    if (this.proto === 3) {
      this.buf[this.len++] = 35; // '#'
      this.buf[this.len++] = b ? 116 : 102; // t / f
    } else {
      this.buf[this.len++] = 58; // ':'
      this.buf[this.len++] = b ? 49 : 48;
    }
    this.crlf();
  }

  bigNumber(digits: string): void {
    if (this.proto === 3) this.line(40 /* ( */, digits);
    else this.bulk(digits);
  }

  verbatim(format: string, text: string | Buffer): void {
    if (this.proto !== 3) {
      this.bulk(text);
      return;
    }
    const n = text.length;
    if (format.length !== 3) format = (format + '   ').slice(0, 3);
    this.header(61 /* = */, n + 4);
    this.ensure(n + 6);
    this.len += this.buf.latin1Write(format, this.len, 3);
    this.buf[this.len++] = 58; // ':'
    if (typeof text === 'string') {
      if (n) this.len += this.buf.latin1Write(text, this.len, n);
    } else {
      text.copy(this.buf, this.len);
      this.len += n;
    }
    this.crlf();
  }

  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }
}

// ---------------------------------------------------------------------------------------
// encodeReply
// ---------------------------------------------------------------------------------------

const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

function writeReply(w: RespWriter, r: Reply): void {
  if (r === null) return w.null();
  switch (typeof r) {
    case 'string':
      return w.bulkUtf8(r);
    case 'number':
      if (Number.isSafeInteger(r)) return w.integer(r);
      if (Number.isInteger(r) && r >= INT64_MIN && r < INT64_MAX) return w.integer(BigInt(r));
      return w.double(r);
    case 'bigint':
      return w.integer(r);
    case 'boolean':
      return w.bool(r);
  }
  if (Array.isArray(r)) {
    w.array(r.length);
    for (const item of r) writeReply(w, item);
    return;
  }
  if (Buffer.isBuffer(r)) return w.bulk(r);
  if (r instanceof SimpleString) return w.simple(utf8Bytes(r.value));
  if (r instanceof ReplyError) return w.error(utf8Bytes(r.message));
  if (r instanceof DoubleReply) return r.text !== undefined ? w.doubleText(r.text) : w.double(r.value);
  if (r instanceof BigNumberReply) return w.bigNumber(r.text);
  if (r instanceof VerbatimString) return w.verbatim(r.format, utf8Bytes(r.text));
  if (r instanceof NullArray) return w.nullArray();
  if (r instanceof Map) {
    w.map(r.size);
    for (const [k, v] of r) {
      writeReply(w, k);
      writeReply(w, v);
    }
    return;
  }
  if (r instanceof Set) {
    w.set(r.size);
    for (const v of r) writeReply(w, v);
    return;
  }
  if (r instanceof AttributeReply) {
    // RESP2 has no attributes: Valkey never sends them to a RESP2 client.
    if (w.proto === 3) {
      w.attribute(r.attributes.size);
      for (const [k, v] of r.attributes) {
        writeReply(w, k);
        writeReply(w, v);
      }
    }
    return writeReply(w, r.value);
  }
  if (r instanceof PushReply) {
    w.push(r.items.length);
    for (const item of r.items) writeReply(w, item);
    return;
  }
  throw new TypeError(`encodeReply: not a reply value: ${Object.prototype.toString.call(r)}`);
}

/** The exact bytes Valkey would send for `reply` to a client speaking `proto`: strings
 *  (UTF-8) and Buffers as bulk strings, integers as `:`, other numbers as doubles, and
 *  each reply class as its RESP type, with RESP2's fallbacks applied. */
export function encodeReply(reply: Reply, proto: 2 | 3): Buffer {
  const w = new RespWriter(proto, 256);
  writeReply(w, reply);
  return w.take();
}
