/**
 * Listpack: Valkey's compact sequence of strings and integers, stored as one blob in RDB
 * files and DUMP payloads (small hashes, sets, sorted sets, list nodes, stream nodes).
 *
 * Layout: total bytes (uint32 LE), element count (uint16 LE, 65535 when unknown), the
 * entries, and a 0xFF terminator. Each entry is an encoding byte (with the value or the
 * string length), the payload, and a "backlen" of 1-5 bytes holding the entry's size so
 * the list can be walked backwards.
 *
 * Strings that read as a canonical 64-bit integer are stored as integers, in the smallest
 * of Valkey's integer encodings (7-bit, 13-bit, 16, 24, 32, 64-bit), exactly as Valkey
 * does, so a listpack we write is byte for byte the one Valkey would hold.
 */

export const LP_HDR_SIZE = 6;
export const LP_EOF = 0xff;
export const LP_HDR_NUMELE_UNKNOWN = 65535;

/** An entry value as read: a latin1 string, or an integer (bigint beyond 2^53). */
export type LpValue = string | number | bigint;

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * The integer a string stands for when it is a canonical 64-bit decimal (no leading zeros,
 * no '+', no spaces, "-0" excluded) — Valkey's rule for storing a string as an integer.
 * Returns a number when it is a safe integer, a bigint otherwise, undefined when not one.
 */
export function stringToInt64(s: string): number | bigint | undefined {
  const n = s.length;
  if (n === 0 || n > 20) return undefined;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) {
    if (n === 1) return undefined;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : undefined; // "0" only; "-0", "01" are strings
  if (first < 49 || first > 57) return undefined;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  if (n - i <= 15) return Number(s);
  const b = BigInt(s);
  if (b < INT64_MIN || b > INT64_MAX) return undefined;
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Bytes of a backlen for an entry of size l (encoding + payload). */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes an integer entry takes (without its backlen). */
function intEncodedSize(v: number | bigint): number {
  if (typeof v === 'bigint') {
    if (v >= -2147483648n && v <= 2147483647n) v = Number(v);
    else return 9;
  }
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes a string entry of length len takes (without its backlen). */
function strEncodedSize(len: number): number {
  if (len < 64) return 1 + len;
  if (len < 4096) return 2 + len;
  return 5 + len;
}

/**
 * Builds a listpack by appending entries (lpAppend / lpAppendInteger). The blob grows as
 * needed; finish() writes the header and terminator and returns the exact bytes.
 */
export class ListpackWriter {
  private buf: Buffer;
  private pos = LP_HDR_SIZE;
  /** Number of entries appended. */
  count = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(initial, 16));
  }

  /** Current size in bytes including header and terminator (lpBytes). */
  get bytes(): number {
    return this.pos + 1;
  }

  private reserve(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n + 1) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private backlen(l: number): void {
    const b = this.buf;
    let p = this.pos;
    if (l <= 127) {
      b[p++] = l;
    } else if (l < 16383) {
      b[p++] = l >>> 7;
      b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 268435456);
      b[p++] = ((l >>> 21) & 127) | 128;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    }
    this.pos = p;
  }

  /** Appends a string; one that reads as a 64-bit integer is stored as an integer. */
  append(s: string): this {
    const v = stringToInt64(s);
    if (v !== undefined) return this.appendInt(v);
    return this.appendString(s);
  }

  /** Appends a string as a string entry (no integer detection). */
  appendString(s: string): this {
    const len = s.length;
    const size = strEncodedSize(len);
    this.reserve(size + 5);
    const b = this.buf;
    let p = this.pos;
    if (len < 64) {
      b[p++] = 0x80 | len;
    } else if (len < 4096) {
      b[p++] = 0xe0 | (len >>> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(len, p);
      p += 4;
    }
    b.write(s, p, len, 'latin1');
    this.pos = p + len;
    this.backlen(size);
    this.count++;
    return this;
  }

  /** Appends an integer entry in the smallest encoding that holds it. */
  appendInt(v: number | bigint): this {
    this.reserve(9 + 5);
    const b = this.buf;
    let p = this.pos;
    if (typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n) v = Number(v);
    const size = intEncodedSize(v);
    if (typeof v === 'bigint' || size === 9) {
      b[p++] = 0xf4;
      b.writeBigInt64LE(BigInt(v), p);
      p += 8;
    } else if (size === 1) {
      b[p++] = v;
    } else if (size === 2) {
      const u = v < 0 ? 8192 + v : v;
      b[p++] = 0xc0 | (u >>> 8);
      b[p++] = u & 0xff;
    } else if (size === 3) {
      b[p++] = 0xf1;
      b.writeInt16LE(v, p);
      p += 2;
    } else if (size === 4) {
      b[p++] = 0xf2;
      b.writeIntLE(v, p, 3);
      p += 3;
    } else {
      b[p++] = 0xf3;
      b.writeInt32LE(v, p);
      p += 4;
    }
    this.pos = p;
    this.backlen(size);
    this.count++;
    return this;
  }

  /** Writes header and terminator; returns the listpack's bytes (a fresh Buffer). */
  finish(): Buffer {
    this.reserve(0);
    const b = this.buf;
    b[this.pos] = LP_EOF;
    const total = this.pos + 1;
    b.writeUInt32LE(total, 0);
    b.writeUInt16LE(this.count < LP_HDR_NUMELE_UNKNOWN ? this.count : LP_HDR_NUMELE_UNKNOWN, 4);
    return Buffer.from(b.subarray(0, total));
  }
}

/** Size in bytes of the listpack entry holding `s` (with its backlen): what lpAppend adds. */
export function entrySize(s: string): number {
  const v = stringToInt64(s);
  const size = v !== undefined ? intEncodedSize(v) : strEncodedSize(s.length);
  return size + backlenSize(size);
}

/** Size in bytes of an integer entry with its backlen. */
export function intEntrySize(v: number | bigint): number {
  const size = intEncodedSize(v);
  return size + backlenSize(size);
}

/**
 * Reads every entry of the listpack lp[start..end), validating it the way Valkey's deep
 * integrity check does (header size, encodings, bounds, backlens, terminator, count).
 * Returns the entries, or null when the blob is not a valid listpack.
 */
export function lpDecode(lp: Buffer, start = 0, end = lp.length): LpValue[] | null {
  const size = end - start;
  if (size < LP_HDR_SIZE + 1) return null;
  const total = (lp[start]! | (lp[start + 1]! << 8) | (lp[start + 2]! << 16) | (lp[start + 3]! << 24)) >>> 0;
  if (total !== size) return null;
  if (lp[end - 1] !== LP_EOF) return null;
  const numele = lp[start + 4]! | (lp[start + 5]! << 8);
  const out: LpValue[] = [];
  const last = end - 1; // the terminator
  let p = start + LP_HDR_SIZE;
  while (p < last) {
    const b = lp[p]!;
    let hdr: number; // encoding bytes
    let len: number; // payload bytes
    let val: LpValue;
    if (b < 0x80) {
      hdr = 1;
      len = 0;
      val = b;
    } else if ((b & 0xc0) === 0x80) {
      hdr = 1;
      len = b & 0x3f;
      if (p + 1 + len > last) return null;
      val = latin1(lp, p + 1, p + 1 + len);
    } else if ((b & 0xe0) === 0xc0) {
      hdr = 2;
      len = 0;
      if (p + 2 > last) return null;
      const u = ((b & 0x1f) << 8) | lp[p + 1]!;
      val = u >= 4096 ? u - 8192 : u;
    } else if ((b & 0xf0) === 0xe0) {
      hdr = 2;
      if (p + 2 > last) return null;
      len = ((b & 0x0f) << 8) | lp[p + 1]!;
      if (p + 2 + len > last) return null;
      val = latin1(lp, p + 2, p + 2 + len);
    } else if (b === 0xf0) {
      hdr = 5;
      if (p + 5 > last) return null;
      len = (lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16) | (lp[p + 4]! << 24)) >>> 0;
      if (p + 5 + len > last) return null;
      val = latin1(lp, p + 5, p + 5 + len);
    } else if (b === 0xf1) {
      hdr = 1;
      len = 2;
      if (p + 3 > last) return null;
      val = (lp[p + 1]! | (lp[p + 2]! << 8)) << 16 >> 16;
    } else if (b === 0xf2) {
      hdr = 1;
      len = 3;
      if (p + 4 > last) return null;
      val = (lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16)) << 8 >> 8;
    } else if (b === 0xf3) {
      hdr = 1;
      len = 4;
      if (p + 5 > last) return null;
      val = lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16) | (lp[p + 4]! << 24);
    } else if (b === 0xf4) {
      hdr = 1;
      len = 8;
      if (p + 9 > last) return null;
      const big = lp.readBigInt64LE(p + 1);
      val = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
    } else {
      return null; // 0xf5..0xfe are not encodings; 0xff before the end is corrupt
    }
    const entryLen = hdr + len;
    const bl = backlenSize(entryLen);
    const next = p + entryLen + bl;
    if (next > last) return null;
    // the backlen, read right to left, must give the entry size
    let v = 0;
    let shift = 0;
    let q = next - 1;
    for (;;) {
      const c = lp[q]!;
      v += (c & 127) * 2 ** shift;
      if (!(c & 128)) break;
      shift += 7;
      q--;
      if (shift > 28) return null;
    }
    if (v !== entryLen || next - 1 - q + 1 !== bl) return null;
    out.push(val);
    p = next;
  }
  if (p !== last) return null;
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== out.length) return null;
  return out;
}

function latin1(b: Buffer, s: number, e: number): string {
  return b.toString('latin1', s, e);
}

/** An entry value as a latin1 string (integers in decimal). */
export function lpString(v: LpValue): string {
  return typeof v === 'string' ? v : String(v);
}
