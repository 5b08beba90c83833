/**
 * Decodes the native reply tape (native/host/tape.h) into ReplyWriter calls: the one pass
 * that turns a module command's replies into RESP bytes or JS values.
 *
 * Record layout (little-endian): a type byte, then
 *   'i' int64 | '+' '-' '$' '(' 'R' ';' u32 len + bytes | '_' | 'N' | ',' f64 | '#' u8 |
 *   '*' '%' '~' '|' '>' u32 count | '=' 3-byte format, u32 len + bytes
 * Byte strings are handed to the writer as one-byte ("latin1") JS strings.
 */
import type { ReplyWriter } from '../protocol/writer.js';

/** Node's Buffer has a fast latin1 slice missing from its type declarations. */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

const TWO32 = 4294967296;

/** Calls `w` for every record in buf[start..end). Throws on a corrupt tape. */
export function decodeTape(buf: Buffer, start: number, end: number, w: ReplyWriter): void {
  const b = buf as FastBuffer;
  let p = start;
  while (p < end) {
    const at = p;
    const type = b[p++];
    if (type === 105 /* i */) {
      const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 16777216;
      const hi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
      p += 8;
      const v = hi * TWO32 + lo;
      w.integer(Number.isSafeInteger(v) ? v : BigInt(hi) * 4294967296n + BigInt(lo));
      continue;
    }
    if (type === 95 /* _ */) {
      w.null();
      continue;
    }
    if (type === 78 /* N */) {
      w.nullArray();
      continue;
    }
    if (type === 44 /* , */) {
      w.double(b.readDoubleLE(p));
      p += 8;
      continue;
    }
    if (type === 35 /* # */) {
      w.bool(b[p++] !== 0);
      continue;
    }
    let fmt = '';
    if (type === 61 /* = */) {
      fmt = b.latin1Slice(p, p + 3);
      p += 3;
    }
    // everything else carries a u32: a length (strings) or a count (aggregates)
    const n = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 16777216;
    p += 4;
    switch (type) {
      case 36 /* $ */:
        w.bulk(b.latin1Slice(p, p + n));
        p += n;
        break;
      case 42 /* * */:
        w.array(n);
        break;
      case 37 /* % */:
        w.map(n);
        break;
      case 43 /* + */:
        w.simple(b.latin1Slice(p, p + n));
        p += n;
        break;
      case 45 /* - */:
        w.error(b.latin1Slice(p, p + n));
        p += n;
        break;
      case 126 /* ~ */:
        w.set(n);
        break;
      case 124 /* | */:
        w.attribute(n);
        break;
      case 62 /* > */:
        w.push(n);
        break;
      case 59 /* ; */:
        w.doubleText(b.latin1Slice(p, p + n));
        p += n;
        break;
      case 40 /* ( */:
        w.bigNumber(b.latin1Slice(p, p + n));
        p += n;
        break;
      case 61 /* = */:
        w.verbatim(fmt, b.latin1Slice(p, p + n));
        p += n;
        break;
      case 82 /* R */:
        w.raw(b.subarray(p, p + n));
        p += n;
        break;
      default:
        throw new Error(`corrupt reply tape: record type ${type} at offset ${at - start}`);
    }
    if (p > end) throw new Error('corrupt reply tape: record runs past the end');
  }
}
