/**
 * Command metadata (arity, flags, ACL categories, key specs, arguments, docs) for core
 * commands, from specs.generated.ts, plus the derived legacy (first, last, step) triple.
 */
import { RAW_SPECS } from './specs.generated.js';

export interface RawKeySpec {
  notes?: string;
  flags: string[];
  begin_search: { index?: { pos: number }; keyword?: { keyword: string; startfrom: number }; unknown?: null };
  find_keys: {
    range?: { lastkey: number; step: number; limit: number };
    keynum?: { keynumidx: number; firstkey: number; step: number };
    unknown?: null;
  };
}

export interface RawArg {
  name: string;
  type: string;
  display?: string;
  key_spec_index?: number;
  token?: string;
  summary?: string;
  since?: string;
  optional?: boolean;
  multiple?: boolean | string;
  multiple_token?: boolean;
  deprecated_since?: string;
  value?: string;
  arguments?: RawArg[];
}

export interface RawCommandSpec {
  summary?: string;
  complexity?: string;
  group?: string;
  since?: string;
  arity: number;
  container?: string;
  command_flags?: string[];
  acl_categories?: string[];
  key_specs?: RawKeySpec[];
  arguments?: RawArg[];
  history?: [string, string][];
  doc_flags?: string[];
  deprecated_since?: string;
  replaced_by?: string;
  command_tips?: string[];
  get_keys_function?: boolean;
}

/** The spec of a core command by full name ("get", "config|get"), or undefined. */
export function specOf(fullname: string): RawCommandSpec | undefined {
  return RAW_SPECS[fullname.toLowerCase()];
}

/** Every spec'd command full name. */
export function allSpecNames(): string[] {
  return Object.keys(RAW_SPECS);
}

/**
 * The legacy key range Valkey derives from key specs: the consecutive plain index+range
 * specs merged into one (first, last, step); `movable` when any spec could not be merged.
 * last is absolute (negative: counted from the end).
 */
export function legacyRange(spec: RawCommandSpec): { first: number; last: number; step: number; movable: boolean } {
  const specs = spec.key_specs ?? [];
  let movable = false;
  if (specs.length === 0) return { first: 0, last: 0, step: 0, movable };
  const plain = (k: RawKeySpec) => k.begin_search.index !== undefined && k.find_keys.range !== undefined;
  if (specs.length === 1 && plain(specs[0]!)) {
    const k = specs[0]!;
    if (k.flags.includes('INCOMPLETE')) movable = true;
    const pos = k.begin_search.index!.pos;
    const r = k.find_keys.range!;
    return { first: pos, last: r.lastkey >= 0 ? pos + r.lastkey : r.lastkey, step: r.step, movable };
  }
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  for (const k of specs) {
    if (!plain(k)) {
      movable = true;
      continue;
    }
    const pos = k.begin_search.index!.pos;
    const r = k.find_keys.range!;
    if (r.step !== 1 || (prevLast && prevLast !== pos - 1)) {
      movable = true;
      continue;
    }
    if (k.flags.includes('INCOMPLETE')) movable = true;
    first = Math.min(first, pos);
    const abs = r.lastkey >= 0 ? r.lastkey + pos : r.lastkey;
    // Valkey compares as unsigned: a negative (from-the-end) index wins over any positive.
    last = unsignedMax(last, abs);
    prevLast = last;
  }
  if (first === Number.MAX_SAFE_INTEGER) return { first: 0, last: 0, step: 0, movable };
  return { first, last, step: 1, movable };
}

function unsignedMax(a: number, b: number): number {
  const ua = a < 0 ? 2 ** 32 + a : a;
  const ub = b < 0 ? 2 ** 32 + b : b;
  return ua >= ub ? a : b;
}
