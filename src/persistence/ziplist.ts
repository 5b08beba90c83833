/**
 * Readers for the compact encodings older Redis versions wrote into RDB files and DUMP
 * payloads, which Valkey still loads: ziplist (lists, hashes and sorted sets before Redis
 * 7.0, and the nodes of RDB_TYPE_LIST_QUICKLIST) and zipmap (hashes before Redis 2.6).
 */

/**
 * Reads every entry of the ziplist b[start..end), validated as Valkey's deep integrity check
 * does (header sizes, tail offset, previous-entry lengths, encodings, count, terminator).
 * Integers come back as decimal strings. Returns null when the blob is not a valid ziplist.
 */
export function ziplistDecode(b: Buffer, start = 0, end = b.length): string[] | null {
  const size = end - start;
  const HDR = 10;
  if (size < HDR + 1) return null;
  if (b.readUInt32LE(start) !== size) return null;
  const tail = b.readUInt32LE(start + 4);
  const zllen = b.readUInt16LE(start + 8);
  if (b[end - 1] !== 0xff) return null;
  if (tail > size - 1) return null;
  const last = end - 1;
  const out: string[] = [];
  let p = start + HDR;
  let prevSize = 0;
  let lastEntry = start + HDR;
  while (p < last) {
    const e0 = p;
    // previous entry length
    let prevlen: number;
    if (b[p]! < 254) {
      prevlen = b[p]!;
      p += 1;
    } else if (b[p] === 254) {
      if (p + 5 > last) return null;
      prevlen = b.readUInt32LE(p + 1);
      p += 5;
    } else return null;
    if (prevlen !== prevSize) return null;
    if (p >= last) return null;
    const enc = b[p]!;
    let val: string;
    if (enc < 0xc0) {
      let len: number;
      let hdr: number;
      const kind = enc >> 6;
      if (kind === 0) {
        len = enc & 0x3f;
        hdr = 1;
      } else if (kind === 1) {
        if (p + 2 > last) return null;
        len = ((enc & 0x3f) << 8) | b[p + 1]!;
        hdr = 2;
      } else {
        if (p + 5 > last) return null;
        len = b.readUInt32BE(p + 1);
        hdr = 5;
      }
      if (p + hdr + len > last) return null;
      val = b.toString('latin1', p + hdr, p + hdr + len);
      p += hdr + len;
    } else {
      let n: number;
      let v: number | bigint;
      if (enc === 0xc0) {
        n = 2;
        if (p + 1 + n > last) return null;
        v = b.readInt16LE(p + 1);
      } else if (enc === 0xd0) {
        n = 4;
        if (p + 1 + n > last) return null;
        v = b.readInt32LE(p + 1);
      } else if (enc === 0xe0) {
        n = 8;
        if (p + 1 + n > last) return null;
        v = b.readBigInt64LE(p + 1);
      } else if (enc === 0xf0) {
        n = 3;
        if (p + 1 + n > last) return null;
        v = b.readIntLE(p + 1, 3);
      } else if (enc === 0xfe) {
        n = 1;
        if (p + 1 + n > last) return null;
        v = b.readInt8(p + 1);
      } else if (enc >= 0xf1 && enc <= 0xfd) {
        n = 0;
        v = (enc & 0x0f) - 1;
      } else return null;
      val = String(v);
      p += 1 + n;
    }
    prevSize = p - e0;
    lastEntry = e0;
    out.push(val);
  }
  if (p !== last) return null;
  if (start + tail !== lastEntry) return null;
  if (zllen !== 65535 && zllen !== out.length) return null;
  return out;
}

/**
 * Reads a zipmap b[start..end) (field/value pairs of an old hash), validated; returns the
 * flat [field, value, ...] list, or null when the blob is corrupt.
 */
export function zipmapDecode(b: Buffer, start = 0, end = b.length): string[] | null {
  const last = end - 1;
  if (end - start < 2 || b[last] !== 0xff) return null;
  let p = start + 1; // skip the count byte (it saturates at 254)
  const out: string[] = [];
  const readLen = (): number => {
    if (p >= last) return -1;
    const c = b[p]!;
    if (c < 254) {
      p += 1;
      return c;
    }
    if (c === 254) {
      if (p + 5 > last) return -1;
      const n = b.readUInt32LE(p + 1);
      p += 5;
      return n;
    }
    return -1;
  };
  while (p < last) {
    const klen = readLen();
    if (klen < 0 || p + klen > last) return null;
    const field = b.toString('latin1', p, p + klen);
    p += klen;
    const vlen = readLen();
    if (vlen < 0 || p >= last) return null;
    const free = b[p++]!;
    if (p + vlen + free > last) return null;
    const value = b.toString('latin1', p, p + vlen);
    p += vlen + free;
    out.push(field, value);
  }
  if (p !== last) return null;
  const zmlen = b[start]!;
  if (zmlen < 254 && zmlen * 2 !== out.length) return null;
  return out;
}
