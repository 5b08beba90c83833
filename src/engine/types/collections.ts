/**
 * What the list, hash and set value types share: the encoding thresholds (Valkey's
 * `*-max-listpack-*` / `*-max-intset-*` settings), listpack entry sizes (lists convert by
 * listpack byte size), strict integer recognition and the live cursors of HSCAN/SSCAN over
 * hashtable-encoded values.
 */
import type { Engine } from '../engine.js';
import { configOf } from '../config.js';

/** The settings that decide how lists, hashes and sets are encoded (OBJECT ENCODING). */
export interface CollectionConfig {
  /** list-max-listpack-size: negative = bytes per node (-1 4 KiB ... -5 64 KiB), positive = entries. */
  listMaxListpackSize: number;
  /** hash-max-listpack-entries */
  hashMaxListpackEntries: number;
  /** hash-max-listpack-value */
  hashMaxListpackValue: number;
  /** set-max-intset-entries */
  setMaxIntsetEntries: number;
  /** set-max-listpack-entries */
  setMaxListpackEntries: number;
  /** set-max-listpack-value */
  setMaxListpackValue: number;
}

/** Valkey's built-in defaults (valkey.conf's example file lowers hash-max-listpack-entries to 128). */
export const DEFAULT_COLLECTION_CONFIG: Readonly<CollectionConfig> = Object.freeze({
  listMaxListpackSize: -2,
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
});

/** The live settings of an engine (its ServerConfig, which CONFIG SET updates). */
export function collectionConfigOf(engine: Engine): Readonly<CollectionConfig> {
  return configOf(engine);
}

/**
 * Whether `s` is an integer in Valkey's strict string2ll form (no sign on zero, no leading
 * zeros, no spaces, within int64). Returns the value's magnitude class: 0 not an integer,
 * otherwise the listpack integer encoding size in bytes (1, 2, 3, 4, 5 or 9).
 */
export function lpIntClass(s: string): number {
  const n = s.length;
  if (n === 0 || n > 20) return 0;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) {
    if (n === 1) return 0;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) {
    // "0" alone; "-0" and leading zeros are strings
    return n === 1 ? 1 : 0;
  }
  if (first < 49 || first > 57) return 0;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return 0;
  }
  const digits = n - i;
  if (digits > 19) return 0;
  if (digits === 19) {
    const lim = neg ? '9223372036854775808' : '9223372036854775807';
    const d = neg ? s.slice(1) : s;
    if (d > lim) return 0;
    return 9;
  }
  if (digits > 10) return 9;
  const v = neg ? -Number(s.slice(1)) : Number(s);
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** True when `s` is a strict int64 integer (string2ll). */
export function isInt64(s: string): boolean {
  return lpIntClass(s) !== 0;
}

/** Bytes a listpack entry's back-length field takes for an entry of `l` bytes. */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes the string `s` takes as one listpack entry (encoding, data and back-length). */
export function lpEntryBytes(s: string): number {
  const c = s.length <= 20 ? lpIntClass(s) : 0;
  if (c !== 0) return c + 1; // integer encodings are at most 9 bytes: back-length is 1 byte
  const n = s.length;
  const l = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return l + backlenSize(l);
}

/** An empty listpack's size: 6-byte header and the end byte. */
export const LP_EMPTY_BYTES = 7;

/**
 * Compares two strict integer strings numerically (the order of an intset) without
 * converting them: sign, then length, then digits.
 */
export function compareIntStrings(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  let r: number;
  if (a.length !== b.length) r = a.length < b.length ? -1 : 1;
  else r = a < b ? -1 : a > b ? 1 : 0;
  return an ? -r : r;
}

let nextCursorId = 1;

/**
 * Live SCAN cursors over one value's elements: a cursor number maps to a JS iterator, which
 * survives concurrent changes (an element present for the whole iteration is returned
 * exactly once). A value keeps a few; the oldest are dropped.
 */
export class CursorTable<T> {
  private readonly its = new Map<number, Iterator<T>>();

  /** The iterator a cursor continues, or undefined for 0 or an unknown cursor. */
  take(cursor: bigint): Iterator<T> | undefined {
    if (cursor === 0n || cursor > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    const n = Number(cursor);
    const it = this.its.get(n);
    if (it !== undefined) this.its.delete(n);
    return it;
  }

  /** Parks an unfinished iterator; returns its cursor number. */
  park(it: Iterator<T>): number {
    const id = nextCursorId++;
    if (nextCursorId > Number.MAX_SAFE_INTEGER) nextCursorId = 1;
    this.its.set(id, it);
    if (this.its.size > 16) this.its.delete(this.its.keys().next().value!);
    return id;
  }

  /** Forgets every cursor (the value was replaced wholesale). */
  clear(): void {
    this.its.clear();
  }
}
