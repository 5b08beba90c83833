/**
 * Intset: Valkey's sorted array of integers for small sets of integers, stored as one blob
 * in RDB files and DUMP payloads (RDB_TYPE_SET_INTSET).
 *
 * Layout: element width in bytes (uint32 LE: 2, 4 or 8), count (uint32 LE), then the
 * elements in ascending order, little endian, each of that width.
 */

/**
 * Reads an intset blob b[start..end): validates it as Valkey's deep check does (width,
 * size, not empty, strictly ascending) and returns the members as decimal strings, or null.
 */
export function intsetDecode(b: Buffer, start = 0, end = b.length): string[] | null {
  const size = end - start;
  if (size < 8) return null;
  const width = b.readUInt32LE(start);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = b.readUInt32LE(start + 4);
  if (8 + count * width !== size) return null;
  if (count === 0) return null;
  const out: string[] = new Array(count);
  let p = start + 8;
  if (width === 8) {
    let prev = 0n;
    for (let i = 0; i < count; i++, p += 8) {
      const v = b.readBigInt64LE(p);
      if (i > 0 && v <= prev) return null;
      prev = v;
      out[i] = v.toString();
    }
  } else {
    let prev = 0;
    for (let i = 0; i < count; i++, p += width) {
      const v = width === 2 ? b.readInt16LE(p) : b.readInt32LE(p);
      if (i > 0 && v <= prev) return null;
      prev = v;
      out[i] = String(v);
    }
  }
  return out;
}

/**
 * Builds an intset from integers already sorted ascending and distinct, in the narrowest
 * width that holds them all (what a freshly built Valkey intset uses).
 */
export function intsetEncode(values: readonly (number | bigint)[]): Buffer {
  let width = 2;
  for (const v of values) {
    if (typeof v === 'bigint' ? v < -2147483648n || v > 2147483647n : v < -2147483648 || v > 2147483647) {
      width = 8;
      break;
    }
    if (Number(v) < -32768 || Number(v) > 32767) width = 4;
  }
  const out = Buffer.allocUnsafe(8 + values.length * width);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(values.length, 4);
  let p = 8;
  for (const v of values) {
    if (width === 2) out.writeInt16LE(Number(v), p);
    else if (width === 4) out.writeInt32LE(Number(v), p);
    else out.writeBigInt64LE(BigInt(v), p);
    p += width;
  }
  return out;
}
