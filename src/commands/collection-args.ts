/**
 * Argument parsing shared by the list, hash and set commands, with Valkey's error texts:
 * long integers in a range (getRangeLongFromObjectOrReply), SCAN cursors (string2ull) and
 * the HSCAN/SSCAN options.
 */
import type { ReplyWriter } from '../protocol/writer.js';
import { Errors, parseInteger } from './define.js';

/** LONG_MAX as a bigint. */
export const LONG_MAX = 9223372036854775807n;

/**
 * Parses a long (getLongFromObjectOrReply) and checks min <= v <= max. On failure writes the
 * error — `msg` for both failures when given, else Valkey's default texts — and returns
 * undefined. Values beyond 2^53 come back rounded (callers only compare or clamp them).
 */
export function readLong(w: ReplyWriter, s: string, min = -LONG_MAX - 1n, max = LONG_MAX, msg?: string): number | undefined {
  const v = parseInteger(s);
  if (v === undefined) {
    w.error(msg !== undefined ? `ERR ${msg}` : Errors.notInteger);
    return undefined;
  }
  const out = Number.isSafeInteger(v) ? v < min || v > max : BigInt(s) < min || BigInt(s) > max;
  if (out) {
    w.error(msg !== undefined ? `ERR ${msg}` : `ERR value is out of range, value must between ${min} and ${max}`);
    return undefined;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply: 0..LONG_MAX, one message for every failure. */
export function readPositiveLong(w: ReplyWriter, s: string, msg = 'value is out of range, must be positive'): number | undefined {
  return readLong(w, s, 0n, LONG_MAX, msg);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * A SCAN cursor as Valkey's string2ull reads it: a strict non-negative integer, or whatever
 * strtoull accepts over the whole text (leading spaces, a sign, leading zeros) without
 * overflow. Undefined when invalid.
 */
export function parseCursor(s: string): bigint | undefined {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  const strict = parseInteger(s);
  if (strict !== undefined) return strict < 0 ? undefined : BigInt(s);
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === start || i !== s.length) return undefined;
  const v = BigInt(s.slice(start));
  if (v > 0xffffffffffffffffn) return undefined;
  return neg ? (0x10000000000000000n - v) & 0xffffffffffffffffn : v;
}

/** Parsed HSCAN/SSCAN options. */
export interface ScanOptions {
  count: number;
  /** The MATCH pattern, or undefined when absent or "*". */
  pattern: string | undefined;
  /** NOVALUES (HSCAN only). */
  noValues: boolean;
}

/**
 * Parses HSCAN/SSCAN options from args[start..] (scanGenericCommand for a value). Writes the
 * error and returns undefined when invalid.
 */
export function parseScanOptions(w: ReplyWriter, args: string[], start: number, isHash: boolean): ScanOptions | undefined {
  const opts: ScanOptions = { count: 10, pattern: undefined, noValues: false };
  for (let i = start; i < args.length; ) {
    const opt = args[i]!.toLowerCase();
    const left = args.length - i;
    if (opt === 'count' && left >= 2) {
      const n = parseInteger(args[i + 1]!);
      if (n === undefined) {
        w.error(Errors.notInteger);
        return undefined;
      }
      if (n < 1) {
        w.error(Errors.syntax);
        return undefined;
      }
      opts.count = n;
      i += 2;
    } else if (opt === 'match' && left >= 2) {
      const p = args[i + 1]!;
      opts.pattern = p === '*' ? undefined : p;
      i += 2;
    } else if (opt === 'novalues') {
      if (!isHash) {
        w.error('ERR NOVALUES option can only be used in HSCAN');
        return undefined;
      }
      opts.noValues = true;
      i++;
    } else if (opt === 'noscores') {
      w.error('ERR NOSCORES option can only be used in ZSCAN');
      return undefined;
    } else {
      w.error(Errors.syntax);
      return undefined;
    }
  }
  return opts;
}
