/**
 * The set value type: members (byte strings) with O(1) membership and O(1) random picks,
 * tracking how Valkey would encode the set.
 *
 * Valkey's encodings, and the order members come back in (SMEMBERS, SSCAN):
 * - intset: every member a strict int64 integer and at most set-max-intset-entries of them;
 *   members in ascending numeric order;
 * - listpack: at most set-max-listpack-entries members of at most set-max-listpack-value
 *   bytes; insertion order;
 * - hashtable: anything bigger; order unspecified (here: insertion order disturbed by
 *   removals, which move the last member into the hole).
 * Conversions happen as members are added (intset -> listpack or hashtable, listpack ->
 * hashtable) and never back, except where Valkey rebuilds a set (SPOP of most members,
 * SINTERSTORE results).
 */
import {
  compareIntStrings,
  CursorTable,
  DEFAULT_COLLECTION_CONFIG,
  isInt64,
  type CollectionConfig,
} from './collections.js';

const INTSET = 0;
const LISTPACK = 1;
const HASHTABLE = 2;

/** Encoding names by internal code. */
const NAMES = ['intset', 'listpack', 'hashtable'] as const;

export type SetEncoding = (typeof NAMES)[number];

function intsetMax(cfg: Readonly<CollectionConfig>): number {
  return Math.min(cfg.setMaxIntsetEntries, 1 << 30);
}

export class SetValue {
  private enc = INTSET;
  /** The members: sorted numerically (intset), in insertion order (listpack), any order (hashtable). */
  private arr: string[] = [];
  /** member -> index in `arr` (indexes are kept only while a hashtable). */
  private pos = new Map<string, number>();
  private cursors: CursorTable<string> | undefined;

  /** Builds a set of these members (encoding computed as when loaded). */
  constructor(members?: Iterable<string>) {
    if (members) {
      for (const m of members) {
        if (this.pos.has(m)) continue;
        this.pos.set(m, this.arr.length);
        this.arr.push(m);
      }
      this.normalize();
    }
  }

  /** An empty set in a given encoding (how Valkey starts some computed sets). */
  static empty(encoding: SetEncoding): SetValue {
    const s = new SetValue();
    s.enc = NAMES.indexOf(encoding);
    return s;
  }

  /** The empty set SADD/SMOVE create for a first member and a size hint (setTypeCreate). */
  static create(first: string, sizeHint: number, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): SetValue {
    const s = new SetValue();
    if (isInt64(first) && sizeHint <= cfg.setMaxIntsetEntries) s.enc = INTSET;
    else if (sizeHint <= cfg.setMaxListpackEntries) s.enc = LISTPACK;
    else s.enc = HASHTABLE;
    return s;
  }

  /** Number of members. */
  get size(): number {
    return this.arr.length;
  }

  /** Whether m is a member. */
  has(m: string): boolean {
    return this.pos.has(m);
  }

  /** The members in the encoding's order. Do not modify; valid until the set changes. */
  members(): readonly string[] {
    return this.arr;
  }

  /** OBJECT ENCODING's answer: "intset", "listpack" or "hashtable". */
  encoding(_config: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): SetEncoding {
    return NAMES[this.enc]!;
  }

  /** Recomputes the encoding from the contents, as when a set is loaded. */
  normalize(cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    const n = this.arr.length;
    if (n <= intsetMax(cfg) && this.arr.every(isInt64)) {
      this.arr.sort(compareIntStrings);
      this.enc = INTSET;
    } else if (n <= cfg.setMaxListpackEntries && this.arr.every((m) => m.length <= cfg.setMaxListpackValue)) {
      this.enc = LISTPACK;
    } else this.toHashtable();
  }

  private toHashtable(): void {
    this.enc = HASHTABLE;
    const arr = this.arr;
    for (let i = 0; i < arr.length; i++) this.pos.set(arr[i]!, i);
  }

  /** Converts before adding `sizeHint` members when they could not fit (setTypeMaybeConvert). */
  maybeConvert(sizeHint: number, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    if (
      (this.enc === LISTPACK && sizeHint > cfg.setMaxListpackEntries) ||
      (this.enc === INTSET && sizeHint > cfg.setMaxIntsetEntries)
    ) {
      this.toHashtable();
    }
  }

  /** Becomes an intset when small enough (the caller knows every member is an integer). */
  maybeConvertToIntset(cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    if (this.enc === INTSET || this.arr.length > intsetMax(cfg)) return;
    this.arr.sort(compareIntStrings);
    this.enc = INTSET;
  }

  /** Index where integer m goes in the sorted intset array (or where it is). */
  private intsetSearch(m: string): number {
    const arr = this.arr;
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIntStrings(arr[mid]!, m) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a member; returns whether it was new (setTypeAdd, with its conversions). */
  add(m: string, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): boolean {
    if (this.pos.has(m)) return false;
    const arr = this.arr;
    if (this.enc === INTSET) {
      if (isInt64(m)) {
        arr.splice(this.intsetSearch(m), 0, m);
        this.pos.set(m, 0);
        if (arr.length > intsetMax(cfg)) this.toHashtable();
        return true;
      }
      const n = arr.length;
      const maxlen = n === 0 ? 0 : Math.max(arr[0]!.length, arr[n - 1]!.length);
      if (n < cfg.setMaxListpackEntries && m.length <= cfg.setMaxListpackValue && maxlen <= cfg.setMaxListpackValue) {
        this.enc = LISTPACK;
      } else this.toHashtable();
    } else if (this.enc === LISTPACK) {
      if (arr.length >= cfg.setMaxListpackEntries || m.length > cfg.setMaxListpackValue) this.toHashtable();
    }
    this.pos.set(m, arr.length);
    arr.push(m);
    return true;
  }

  /** Removes a member; returns whether it was there. */
  remove(m: string): boolean {
    const i = this.pos.get(m);
    if (i === undefined) return false;
    this.removeFound(m, i);
    return true;
  }

  private removeFound(m: string, hint: number): void {
    const arr = this.arr;
    this.pos.delete(m);
    if (this.enc === HASHTABLE) {
      const last = arr.pop()!;
      if (last !== m) {
        arr[hint] = last;
        this.pos.set(last, hint);
      }
    } else if (this.enc === INTSET) {
      arr.splice(this.intsetSearch(m), 1);
    } else {
      arr.splice(arr[hint] === m ? hint : arr.indexOf(m), 1);
    }
  }

  /** A uniformly random member (the set must not be empty). */
  random(): string {
    return this.arr[Math.floor(Math.random() * this.arr.length)]!;
  }

  /** Removes and returns a uniformly random member (the set must not be empty). */
  popRandom(): string {
    const i = Math.floor(Math.random() * this.arr.length);
    const m = this.arr[i]!;
    this.removeFound(m, i);
    return m;
  }

  /**
   * `count` distinct random members (count < size). Small encodings keep member order (as
   * Valkey's listpack sampling); a hashtable returns them in pick order.
   */
  randomDistinct(count: number): string[] {
    const arr = this.arr;
    const n = arr.length;
    const out: string[] = [];
    if (this.enc !== HASHTABLE) {
      let need = count;
      for (let i = 0; i < n && need > 0; i++) {
        if (Math.random() * (n - i) < need) {
          out.push(arr[i]!);
          need--;
        }
      }
      return out;
    }
    if (count * 3 > n) {
      const all = arr.slice();
      for (let left = n; left > count; left--) {
        const i = Math.floor(Math.random() * left);
        all[i] = all[left - 1]!;
      }
      all.length = count;
      return all;
    }
    const seen = new Set<string>();
    while (out.length < count) {
      const m = arr[Math.floor(Math.random() * n)]!;
      if (!seen.has(m)) {
        seen.add(m);
        out.push(m);
      }
    }
    return out;
  }

  /**
   * One SSCAN step. Intset and listpack sets are returned whole with cursor 0 (as Valkey);
   * a hashtable one up to `count` members from the cursor on, with the next cursor.
   */
  scan(cursor: bigint, count: number): { cursor: number; members: string[] } {
    if (this.enc !== HASHTABLE) return { cursor: 0, members: this.arr.slice() };
    this.cursors ??= new CursorTable<string>();
    const it = this.cursors.take(cursor) ?? this.pos.keys();
    const members: string[] = [];
    while (members.length < count) {
      const r = it.next();
      if (r.done) return { cursor: 0, members };
      if (this.pos.has(r.value)) members.push(r.value);
    }
    return { cursor: this.cursors.park(it), members };
  }
}
