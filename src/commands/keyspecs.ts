/**
 * Valkey's key search over key specs (begin_search index/keyword, find_keys range/keynum),
 * shared by COMMAND GETKEYS and ACL key checks.
 */
import type { RawKeySpec } from './spec.js';

/** Key spec flag bits used by the search (the full set is in valkeymodule.h's CMD_KEY_*). */
export const KEY_NOT_KEY = 1 << 8;
export const KEY_INCOMPLETE = 1 << 9;

/** Strict 64-bit integer parse (string2ll) as a number; undefined when invalid. */
function string2ll(s: string): number | undefined {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return Number(v);
}

/** ASCII case-insensitive equality (command keywords). */
function asciiEqualNoCase(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** Keys from the key specs into `out` as (position, flags) pairs; false when a spec cannot
 *  be evaluated (the caller falls back to the command's key procedure). */
export function keysFromSpecs(specs: RawKeySpec[], specFlags: number[], argv: string[], out: number[]): boolean {
  const argc = argv.length;
  for (let s = 0; s < specs.length; s++) {
    const k = specs[s]!;
    const flags = specFlags[s]!;
    if (flags & KEY_NOT_KEY) continue;
    let first = 0;
    const bs = k.begin_search;
    if (bs.index) first = bs.index.pos;
    else if (bs.keyword) {
      const from = bs.keyword.startfrom;
      const start = from > 0 ? from : argc + from;
      const end = from > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (asciiEqualNoCase(argv[i]!, bs.keyword.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    } else return false;
    let last: number;
    let step: number;
    const fk = k.find_keys;
    if (fk.range) {
      step = fk.range.step;
      if (fk.range.lastkey >= 0) last = first + fk.range.lastkey;
      else if (!fk.range.limit) last = argc + fk.range.lastkey;
      else last = first + (Math.floor((argc - first) / fk.range.limit) + fk.range.lastkey);
    } else if (fk.keynum) {
      step = fk.keynum.step;
      const at = first + fk.keynum.keynumidx;
      if (fk.keynum.keynumidx >= argc || at >= argc) return false;
      const numkeys = string2ll(argv[at]!);
      if (numkeys === undefined || numkeys < 0) return false;
      first += fk.keynum.firstkey;
      last = first + numkeys - 1;
    } else return false;
    if (last >= argc || last < first || first >= argc) return false;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) continue;
      out.push(i, flags);
    }
    if (flags & KEY_INCOMPLETE) return false;
  }
  return true;
}

