/**
 * Strict number parsing and formatting shared by the command families, with the rules
 * Valkey applies to arguments and stored values:
 *
 * - `parseLongLong`: string2ll — optional '-', no '+', no leading zeros, no spaces, within
 *   the signed 64-bit range ("0" is the only spelling of zero).
 * - `parseULongLong`: string2ull — string2ll first (negatives refused), else C's strtoull
 *   over the whole C string (so " 12", "+5" and even "-01" are accepted, as on the server).
 * - `parseDouble`: getDoubleFromObject / string2d — C strtod over the whole argument,
 *   refusing an empty string, a leading space, NaN, and overflow or underflow to zero.
 * - `parseLongDouble` / `addLongDouble` / `formatLongDouble`: string2ld, `long double`
 *   addition and ld2string's human form ("%.17Lf" with trailing zeros removed), the
 *   arithmetic of INCRBYFLOAT and HINCRBYFLOAT.
 *
 * JS has no `long double`. Valkey on x86-64 uses the 80-bit x87 extended format (64-bit
 * significand, exponents -16382..16383, subnormals down to 2^-16445) and glibc, whose
 * strtold and printf are correctly rounded (round-half-even). The long double here is
 * emulated exactly with BigInt: a value is a sign, an integer significand `m` (< 2^64) and a
 * binary exponent `e` (value = m * 2^e); parsing rounds the exact decimal once, addition
 * rounds the exact sum once, and formatting rounds the exact binary value to 17 decimals.
 * Results are therefore identical to an x86-64 server's, byte for byte. Limits: hosts whose
 * `long double` differs (aarch64: IEEE binary128; MSVC: plain double) produce other digits
 * there; this module always reproduces x86-64. Only round-to-nearest is modelled (Valkey
 * never changes the FPU rounding mode).
 */
export { formatDouble } from '../protocol/resp-writer.js';

// ---------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;

/**
 * Valkey's string2ll: the signed 64-bit integer `s` spells, or undefined. Returns a number
 * when the value is a safe integer (|v| < 2^53) and a bigint otherwise, so callers keep
 * every bit; `<`, `>` and `===` between the two kinds compare exactly in JS.
 */
export function parseLongLong(s: string): number | bigint | undefined {
  const len = s.length;
  if (len === 0 || len > 20) return undefined;
  let i = 0;
  let c = s.charCodeAt(0);
  if (len === 1) return c === 48 ? 0 : c > 48 && c <= 57 ? c - 48 : undefined;
  const neg = c === 45; // '-'
  if (neg) i = 1;
  c = s.charCodeAt(i);
  if (c < 49 || c > 57) return undefined; // first digit 1-9
  if (len - i <= 15) {
    let v = 0;
    for (; i < len; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }
  for (let j = i; j < len; j++) {
    c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return undefined;
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** Valkey's string2ll as a bigint (every int64 exactly); undefined when not an integer. */
export function parseLongLongBig(s: string): bigint | undefined {
  const v = parseLongLong(s);
  return v === undefined ? undefined : BigInt(v);
}

/** A parsed long long as a number for index arithmetic: exact when safe, else clamped to
 *  +-2^53 (beyond any string length, so clamping never changes a range's outcome). */
export function llToIndex(v: number | bigint): number {
  if (typeof v === 'number') return v;
  return v > 0n ? 2 ** 53 : -(2 ** 53);
}

/** C isspace() in the "C" locale. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Valkey's string2ull (used for unsigned arguments): string2ll first, refusing negative
 * values; otherwise C strtoull(s, &end, 10) must consume the whole C string (it stops at a
 * NUL byte). strtoull skips leading spaces, takes '+' or '-' (negating modulo 2^64), and
 * fails on overflow. Returns a bigint, or undefined.
 */
export function parseULongLong(s: string): bigint | undefined {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  const ll = parseLongLong(s);
  if (ll !== undefined) return ll < 0 ? undefined : BigInt(ll);
  let i = 0;
  const n = s.length;
  if (n === 0) return undefined;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (i < n && (s[i] === '+' || s[i] === '-')) {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === start || i !== n) return undefined;
  const v = BigInt(s.slice(start, n));
  if (v > UINT64_MAX) return undefined;
  return neg ? (UINT64_MAX + 1n - v) & UINT64_MAX : v;
}

/** Wraps a bigint to a signed 64-bit value (two's complement), as C arithmetic does. */
export function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Whether a bigint fits in a signed 64-bit integer. */
export function fitsInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX;
}

/** ll2string: a long long as Valkey prints it. */
export function formatLongLong(v: number | bigint): string {
  return typeof v === 'number' ? String(v) : v.toString();
}

// ---------------------------------------------------------------------------------------
// Binary floating point, exactly: parsing to the nearest value of a given format
// ---------------------------------------------------------------------------------------

/** A binary floating-point value of some format: finite (value = (-1)^neg * m * 2^e;
 *  m = 0n for zero), infinite, or NaN. */
export interface BinaryFloat {
  kind: 'finite' | 'inf' | 'nan';
  neg: boolean;
  m: bigint;
  e: number;
}

/** The long double of Valkey's x86-64 builds (an x87 80-bit extended). */
export type LongDouble = BinaryFloat;

interface Format {
  /** Significand bits (including the leading one). */
  p: number;
  /** Minimum normal exponent (of the leading bit). */
  emin: number;
  /** Maximum exponent. */
  emax: number;
  /** Decimal magnitude beyond which a value surely overflows / underflows to zero. */
  decMax: number;
  decMin: number;
}

const X87: Format = { p: 64, emin: -16382, emax: 16383, decMax: 4940, decMin: -4960 };
const F64: Format = { p: 53, emin: -1022, emax: 1023, decMax: 320, decMin: -335 };

/** Number of bits of a positive bigint. */
function bitLength(v: bigint): number {
  if (v <= 0xffffffffn) return 32 - Math.clz32(Number(v));
  if (v < 0x20000000000000n) return 64 - Math.clz32(Math.floor(Number(v) / 4294967296));
  const hex = v.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/** Rounding outcome flags (C errno = ERANGE cases). */
interface Rounded {
  v: BinaryFloat;
  /** A nonzero exact value rounded to zero. */
  underflowToZero: boolean;
  /** A finite exact value rounded to infinity. */
  overflow: boolean;
}

const INF_POS: BinaryFloat = Object.freeze({ kind: 'inf', neg: false, m: 0n, e: 0 }) as BinaryFloat;
const INF_NEG: BinaryFloat = Object.freeze({ kind: 'inf', neg: true, m: 0n, e: 0 }) as BinaryFloat;
const NAN: BinaryFloat = Object.freeze({ kind: 'nan', neg: false, m: 0n, e: 0 }) as BinaryFloat;

function zero(neg: boolean): BinaryFloat {
  return { kind: 'finite', neg, m: 0n, e: 0 };
}

/**
 * Rounds (q + f) * 2^E to the format, round-half-even, where q >= 0 is an integer and f a
 * fraction in [0, 1) known only by `sticky` (f > 0). Callers pass q with more significant
 * bits than the format whenever sticky is set, so the discarded bits decide the rounding.
 */
function roundTo(fmt: Format, neg: boolean, q: bigint, E: number, sticky: boolean): Rounded {
  if (q === 0n) return { v: zero(neg), underflowToZero: sticky, overflow: false };
  const bl = bitLength(q);
  const top = bl - 1 + E;
  const L = Math.max(top - (fmt.p - 1), fmt.emin - (fmt.p - 1));
  const shift = L - E;
  let m: bigint;
  let e = L;
  if (shift <= 0) {
    m = q << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    m = q >> s;
    const rem = q & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (sticky || (m & 1n) === 1n))) {
      m += 1n;
      if (m === 1n << BigInt(fmt.p)) {
        m >>= 1n;
        e += 1;
      }
    }
  }
  if (m === 0n) return { v: zero(neg), underflowToZero: true, overflow: false };
  if (bitLength(m) - 1 + e > fmt.emax) return { v: neg ? INF_NEG : INF_POS, underflowToZero: false, overflow: true };
  return { v: { kind: 'finite', neg, m, e }, underflowToZero: false, overflow: false };
}

const POW10_CACHE: bigint[] = [];
function pow10(k: number): bigint {
  if (k < 64) {
    let v = POW10_CACHE[k];
    if (v === undefined) POW10_CACHE[k] = v = 10n ** BigInt(k);
    return v;
  }
  return 10n ** BigInt(k);
}

/** Exponents beyond this are saturated while scanning (any such value over- or underflows). */
const EXP_CAP = 1_000_000;

/**
 * Parses `s` with C strtod/strtold syntax over the whole string (no leading space, nothing
 * after the number): [+-] then decimal digits with an optional '.' and e[+-]digits, or 0x
 * hex digits with an optional '.' and p[+-]digits, or inf / infinity, or nan / nan(chars).
 * Returns the correctly rounded value with the C ERANGE conditions, or undefined when the
 * syntax is not fully consumed.
 */
function parseCFloat(s: string, fmt: Format): Rounded | undefined {
  const n = s.length;
  if (n === 0 || isCSpace(s.charCodeAt(0))) return undefined;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i = 1;
  }
  if (i >= n) return undefined;
  c = s.charCodeAt(i);
  // inf, infinity, nan, nan(...)
  if (c === 105 || c === 73 || c === 110 || c === 78) {
    const rest = s.slice(i).toLowerCase();
    if (rest === 'inf' || rest === 'infinity') return { v: neg ? INF_NEG : INF_POS, underflowToZero: false, overflow: false };
    if (rest === 'nan' || /^nan\([0-9a-z_]*\)$/.test(rest)) return { v: NAN, underflowToZero: false, overflow: false };
    return undefined;
  }
  if (c === 48 && i + 1 < n && (s.charCodeAt(i + 1) | 32) === 120) return parseHex(s, i + 2, neg, fmt);
  // decimal
  let digits = '';
  let nd = 0; // digits seen (for syntax)
  let pointExp = 0;
  let seenPoint = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      nd++;
      if (digits.length === 0 && c === 48) {
        if (seenPoint) pointExp--;
        continue;
      }
      digits += s[i];
      if (seenPoint) pointExp--;
    } else if (c === 46 && !seenPoint) {
      seenPoint = true;
    } else break;
  }
  if (nd === 0) return undefined;
  let exp = 0;
  if (i < n) {
    if ((s.charCodeAt(i) | 32) !== 101) return undefined;
    i++;
    let eneg = false;
    if (i < n && (s[i] === '+' || s[i] === '-')) {
      eneg = s[i] === '-';
      i++;
    }
    const st = i;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      if (exp < EXP_CAP) exp = exp * 10 + (c - 48);
    }
    if (i === st) return undefined;
    if (eneg) exp = -exp;
  }
  if (digits.length === 0) return { v: zero(neg), underflowToZero: false, overflow: false };
  // trailing zeros of the digit string move into the exponent
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  const k = exp + pointExp + (digits.length - end);
  if (end !== digits.length) digits = digits.slice(0, end);
  const mag = digits.length + k;
  if (mag > fmt.decMax) return { v: neg ? INF_NEG : INF_POS, underflowToZero: false, overflow: true };
  if (mag < fmt.decMin) return { v: zero(neg), underflowToZero: true, overflow: false };
  const D = BigInt(digits);
  if (k >= 0) return roundTo(fmt, neg, D * pow10(k), 0, false);
  const den = pow10(-k);
  const sh = Math.max(0, fmt.p + 3 - (bitLength(D) - bitLength(den)));
  const num = D << BigInt(sh);
  const q = num / den;
  return roundTo(fmt, neg, q, -sh, q * den !== num);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 32;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function parseHex(s: string, i: number, neg: boolean, fmt: Format): Rounded | undefined {
  const n = s.length;
  let hex = '';
  let nd = 0;
  let seenPoint = false;
  let e2 = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    const h = hexVal(c);
    if (h >= 0) {
      nd++;
      if (hex.length === 0 && h === 0) {
        if (seenPoint) e2 -= 4;
        continue;
      }
      hex += s[i];
      if (seenPoint) e2 -= 4;
    } else if (c === 46 && !seenPoint) seenPoint = true;
    else break;
  }
  if (nd === 0) return undefined; // "0x" alone: strtod stops after the 0
  let exp = 0;
  if (i < n) {
    if ((s.charCodeAt(i) | 32) !== 112) return undefined;
    i++;
    let eneg = false;
    if (i < n && (s[i] === '+' || s[i] === '-')) {
      eneg = s[i] === '-';
      i++;
    }
    const st = i;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      if (exp < EXP_CAP * 4) exp = exp * 10 + (c - 48);
    }
    if (i === st) return undefined;
    if (eneg) exp = -exp;
  }
  if (hex.length === 0) return { v: zero(neg), underflowToZero: false, overflow: false };
  const H = BigInt('0x' + hex);
  const E = e2 + exp;
  const top = bitLength(H) - 1 + E;
  if (top > fmt.emax + 1) return { v: neg ? INF_NEG : INF_POS, underflowToZero: false, overflow: true };
  if (top < fmt.emin - fmt.p - 2) return { v: zero(neg), underflowToZero: true, overflow: false };
  return roundTo(fmt, neg, H, E, false);
}

// ---------------------------------------------------------------------------------------
// double (strtod)
// ---------------------------------------------------------------------------------------

/** m * 2^e as a JS number (exact: the caller's value is representable). */
function toNumber(v: BinaryFloat): number {
  if (v.kind === 'nan') return NaN;
  if (v.kind === 'inf') return v.neg ? -Infinity : Infinity;
  if (v.m === 0n) return v.neg ? -0 : 0;
  let x = Number(v.m);
  let e = v.e;
  // scale in steps that never leave the normal range before the last one
  while (e > 600) {
    x *= 2 ** 600;
    e -= 600;
  }
  while (e < -600) {
    x *= 2 ** -600;
    e += 600;
  }
  x *= 2 ** e;
  return v.neg ? -x : x;
}

const SIMPLE_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Valkey's string-to-double rules (getDoubleFromObject, string2d): C strtod must consume
 * the whole argument; an empty string, a leading space, NaN, and a finite spelling that
 * overflows to infinity or underflows to zero are refused ("inf", "-inf", "+infinity" are
 * accepted). Hexadecimal floats are accepted as strtod does. Returns undefined on failure.
 */
export function parseDouble(s: string): number | undefined {
  // Common case: a short plain decimal. JS's Number() is correctly rounded like strtod.
  if (s.length <= 40 && SIMPLE_DECIMAL.test(s)) {
    const v = Number(s);
    if (v === Infinity || v === -Infinity) return undefined;
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return undefined;
    return v;
  }
  const r = parseCFloat(s, F64);
  if (r === undefined || r.v.kind === 'nan' || r.overflow || r.underflowToZero) return undefined;
  return toNumber(r.v);
}

// ---------------------------------------------------------------------------------------
// long double (strtold, addition, "%.17Lf")
// ---------------------------------------------------------------------------------------

/** Longest text string2ld accepts (MAX_LONG_DOUBLE_CHARS - 1). */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/**
 * Valkey's string2ld: the long double `s` spells under strtold rules over the whole string,
 * or undefined. Refused: empty or >= 5120 bytes, a leading space, anything strtold does not
 * consume (embedded NUL included), NaN, and a finite spelling that overflows to infinity
 * or underflows to zero. "inf"/"infinity" in any case, signed or not, are accepted.
 */
export function parseLongDouble(s: string): LongDouble | undefined {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return undefined;
  const r = parseCFloat(s, X87);
  if (r === undefined || r.v.kind === 'nan' || r.overflow || r.underflowToZero) return undefined;
  return r.v;
}

/** A long double from a long long (how Valkey reads an integer-encoded value): exact. */
export function longDoubleFromInteger(v: number | bigint): LongDouble {
  const b = BigInt(v);
  if (b === 0n) return zero(false);
  return roundTo(X87, b < 0n, b < 0n ? -b : b, 0, false).v;
}

/** Whether a long double is neither infinite nor NaN. */
export function isFiniteLongDouble(x: LongDouble): boolean {
  return x.kind === 'finite';
}

/** a + b in x87 extended precision, rounded to nearest-even (IEEE semantics for inf/NaN). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf') return a.neg === b.neg ? a : NAN;
    return a.kind === 'inf' ? a : b;
  }
  if (a.m === 0n) return b.m === 0n ? zero(a.neg && b.neg) : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const A = a.m << BigInt(a.e - e);
  const B = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -A : A) + (b.neg ? -B : B);
  if (sum === 0n) return zero(false);
  const neg = sum < 0n;
  return roundTo(X87, neg, neg ? -sum : sum, e, false).v;
}

const TEN17 = 10n ** 17n;

/**
 * ld2string in human mode, as INCRBYFLOAT and HINCRBYFLOAT store and reply: printf
 * "%.17Lf" of the exact binary value (round-half-even), trailing zeros after the point
 * removed, the point too when nothing follows, and "-0" written "0". Infinities print as
 * "inf" / "-inf" and NaN as "nan" (the commands refuse those before formatting).
 */
export function formatLongDouble(x: LongDouble): string {
  if (x.kind === 'nan') return 'nan';
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  if (x.m === 0n) return '0';
  let int: bigint;
  let frac = 0n;
  if (x.e >= 0) {
    int = x.m << BigInt(x.e);
  } else {
    const s = BigInt(-x.e);
    const scaled = x.m * TEN17;
    let q = scaled >> s;
    const rem = scaled & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    int = q / TEN17;
    frac = q % TEN17;
  }
  if (int === 0n && frac === 0n) return '0';
  let out = x.neg ? '-' + int.toString() : int.toString();
  if (frac !== 0n) {
    let f = frac.toString().padStart(17, '0');
    let end = f.length;
    while (f.charCodeAt(end - 1) === 48) end--;
    f = f.slice(0, end);
    out += '.' + f;
  }
  return out;
}
