/**
 * LZF, the compression Valkey applies to long strings in RDB files and DUMP payloads.
 *
 * Format: a stream of runs. A control byte below 32 starts a literal run of ctrl+1 bytes;
 * otherwise its top 3 bits are a back-reference length (7 means "add the next byte") and
 * its low 5 bits with the following byte form the distance minus one; a back-reference
 * copies length+2 bytes.
 *
 * The compressor makes the same choices as the LZF build Valkey ships (16-bit hash table,
 * the "very fast" variant that re-hashes two positions after each match), so the bytes it
 * produces match Valkey's DUMP output. Valkey starts with whatever its hash table holds; we
 * start from an empty one, which is what a fresh table gives.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Hash table reused between calls: positions + 1 (0 = empty), stamped per call. */
const htab = new Int32Array(HSIZE);
const hstamp = new Uint32Array(HSIZE);
let stamp = 0;

/** The table slot of the 3 bytes whose running value is h (IDX with VERY_FAST). */
function idx(h: number): number {
  // (h >> (3*8 - HLOG)) - h*5, truncated to HLOG bits; h holds 24 significant bits.
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * Decompresses src[start..end) into exactly `outLen` bytes. Returns the buffer, or null
 * when the data is corrupt or does not decompress to exactly outLen bytes.
 */
export function lzfDecompress(src: Uint8Array, start: number, end: number, outLen: number): Buffer | null {
  const out = Buffer.allocUnsafe(outLen);
  let ip = start;
  let op = 0;
  while (ip < end) {
    let ctrl = src[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen) return null;
      if (ip + ctrl > end) return null;
      for (let i = 0; i < ctrl; i++) out[op++] = src[ip++]!;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) return null;
      if (len === 7) {
        len += src[ip++]!;
        if (ip >= end) return null;
      }
      ref -= src[ip++]!;
      if (op + len + 2 > outLen) return null;
      if (ref < 0) return null;
      len += 2;
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  }
  return op === outLen ? out : null;
}

/**
 * Compresses data[0..len) into at most `outLimit` bytes, as lzf_compress does; returns the
 * compressed bytes, or null when they would not fit (the caller then stores the data raw).
 */
export function lzfCompress(data: Uint8Array, outLimit: number, start = 0, end = data.length): Buffer | null {
  const inLen = end - start;
  if (inLen === 0 || outLimit === 0) return null;
  if (++stamp === 0x100000000) {
    hstamp.fill(0);
    stamp = 1;
  }
  const st = stamp;
  const out = Buffer.allocUnsafe(outLimit + 3);
  const outEnd = outLimit;
  const inEnd = end;
  let ip = start;
  let op = 0;
  let lit = 0;
  op++; // start a literal run
  let hval = (data[ip]! << 8) | (inLen > 1 ? data[ip + 1]! : 0);
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | data[ip + 2]!) & 0xffffff;
    const slot = idx(hval);
    const ref = hstamp[slot] === st ? htab[slot]! : start; // empty slot: ref == in_data
    htab[slot] = ip;
    hstamp[slot] = st;
    const off = ip - ref - 1;
    if (
      off >= 0 &&
      off < MAX_OFF &&
      ref > start &&
      data[ref + 2] === data[ip + 2] &&
      data[ref] === data[ip] &&
      data[ref + 1] === data[ip + 1]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd) if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // undo an empty run
      // The unrolled part of the reference loop compares up to 16 bytes without the maxlen
      // bound; reproduce it so match lengths (and so the output) are identical.
      let done = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (data[ref + len] !== data[ip + len]) {
            done = true;
            break;
          }
        }
      }
      if (!done) {
        do len++;
        while (len < maxlen && data[ref + len] === data[ip + len]);
      }
      len -= 2; // now the stored length
      ip++;
      if (len < 7) {
        out[op++] = ((off >> 8) + (len << 5)) & 0xff;
      } else {
        out[op++] = ((off >> 8) + (7 << 5)) & 0xff;
        out[op++] = (len - 7) & 0xff;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a new literal run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      ip -= 2;
      hval = (data[ip]! << 8) | data[ip + 1]!;
      hval = ((hval << 8) | data[ip + 2]!) & 0xffffff;
      let s = idx(hval);
      htab[s] = ip;
      hstamp[s] = st;
      ip++;
      hval = ((hval << 8) | data[ip + 2]!) & 0xffffff;
      s = idx(hval);
      htab[s] = ip;
      hstamp[s] = st;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = data[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return null;
  while (ip < inEnd) {
    lit++;
    out[op++] = data[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return out.subarray(0, op);
}
