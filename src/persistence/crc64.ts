/**
 * CRC-64/Jones, the checksum Valkey puts at the end of DUMP payloads and RDB files:
 * polynomial 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor.
 * crc64 of "123456789" is 0xe9c6d914c4b8d9ca.
 *
 * JS has no fast 64-bit integers, so the register is kept as two 32-bit halves and the
 * input is consumed eight bytes at a time with eight lookup tables ("slicing by 8").
 */

/** The reflected polynomial (bit order reversed): 0x95ac9329ac4bc9b5. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** T_HI[k*256 + b], T_LO[k*256 + b]: the CRC of byte b followed by k zero bytes. */
const T_HI = new Uint32Array(8 * 256);
const T_LO = new Uint32Array(8 * 256);

(function buildTables() {
  for (let b = 0; b < 256; b++) {
    let hi = 0;
    let lo = b;
    for (let i = 0; i < 8; i++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    T_HI[b] = hi;
    T_LO[b] = lo;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const phi = T_HI[(k - 1) * 256 + b]!;
      const plo = T_LO[(k - 1) * 256 + b]!;
      const idx = plo & 0xff;
      T_HI[k * 256 + b] = (T_HI[idx]! ^ (phi >>> 8)) >>> 0;
      T_LO[k * 256 + b] = (T_LO[idx]! ^ ((plo >>> 8) | (phi << 24))) >>> 0;
    }
  }
})();

/** An incremental CRC-64/Jones: feed bytes with update(), read with value()/writeLE(). */
export class Crc64 {
  /** High and low 32 bits of the register. */
  hi = 0;
  lo = 0;

  /** Feeds data[start..end) into the checksum; returns this. */
  update(data: Uint8Array, start = 0, end = data.length): this {
    let hi = this.hi;
    let lo = this.lo;
    let p = start;
    const T_H = T_HI;
    const T_L = T_LO;
    while (end - p >= 8) {
      const a = lo ^ (data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24));
      const b = hi ^ (data[p + 4]! | (data[p + 5]! << 8) | (data[p + 6]! << 16) | (data[p + 7]! << 24));
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      hi = T_H[i7]! ^ T_H[i6]! ^ T_H[i5]! ^ T_H[i4]! ^ T_H[i3]! ^ T_H[i2]! ^ T_H[i1]! ^ T_H[i0]!;
      lo = T_L[i7]! ^ T_L[i6]! ^ T_L[i5]! ^ T_L[i4]! ^ T_L[i3]! ^ T_L[i2]! ^ T_L[i1]! ^ T_L[i0]!;
      p += 8;
    }
    while (p < end) {
      const idx = (lo ^ data[p++]!) & 0xff;
      lo = T_L[idx]! ^ ((lo >>> 8) | (hi << 24));
      hi = T_H[idx]! ^ (hi >>> 8);
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** The checksum as an unsigned 64-bit bigint. */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Writes the checksum as 8 little-endian bytes at out[off] (Valkey's on-disk order). */
  writeLE(out: Uint8Array, off: number): void {
    const lo = this.lo;
    const hi = this.hi;
    out[off] = lo & 0xff;
    out[off + 1] = (lo >>> 8) & 0xff;
    out[off + 2] = (lo >>> 16) & 0xff;
    out[off + 3] = lo >>> 24;
    out[off + 4] = hi & 0xff;
    out[off + 5] = (hi >>> 8) & 0xff;
    out[off + 6] = (hi >>> 16) & 0xff;
    out[off + 7] = hi >>> 24;
  }

  /** Whether the 8 little-endian bytes at data[off] equal the checksum. */
  matchesLE(data: Uint8Array, off: number): boolean {
    const lo = (data[off]! | (data[off + 1]! << 8) | (data[off + 2]! << 16) | (data[off + 3]! << 24)) >>> 0;
    const hi = (data[off + 4]! | (data[off + 5]! << 8) | (data[off + 6]! << 16) | (data[off + 7]! << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

/** CRC-64/Jones of data[start..end) as an unsigned bigint. */
export function crc64(data: Uint8Array | string, start = 0, end?: number): bigint {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return new Crc64().update(bytes, start, end ?? bytes.length).value();
}
