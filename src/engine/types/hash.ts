/**
 * The hash value type: an insertion-ordered Map field -> value (byte strings), tracking how
 * Valkey would encode it. A hash is a listpack while it has at most hash-max-listpack-entries
 * fields and every field and value written to it was at most hash-max-listpack-value bytes;
 * past either limit it becomes a hashtable, and it never converts back.
 *
 * Field order is insertion order (a listpack's order; a hashtable's order is unspecified in
 * Valkey, so any order is faithful). Random picks (HRANDFIELD) are O(1) on big hashes through
 * a field array built on first use.
 */
import { CursorTable, DEFAULT_COLLECTION_CONFIG, type CollectionConfig } from './collections.js';

export class HashValue {
  /** field -> value. Read freely; change only through the methods (they track the encoding). */
  readonly map = new Map<string, string>();
  private ht = false;
  /** Random-access index of the fields (hashtable encoding, built on first random pick). */
  private rndKeys: string[] | undefined;
  private rndPos: Map<string, number> | undefined;
  private cursors: CursorTable<string> | undefined;

  /** Builds a hash from field/value pairs (encoding computed as when loaded). */
  constructor(entries?: Iterable<[string, string]>) {
    if (entries) {
      for (const [f, v] of entries) this.map.set(f, v);
      this.normalize();
    }
  }

  /** Number of fields. */
  get size(): number {
    return this.map.size;
  }

  /** The value of a field, or undefined. */
  get(field: string): string | undefined {
    return this.map.get(field);
  }

  /** Whether the field exists. */
  has(field: string): boolean {
    return this.map.has(field);
  }

  /** OBJECT ENCODING's answer: "listpack" or "hashtable". */
  encoding(_config: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): 'listpack' | 'hashtable' {
    return this.ht ? 'hashtable' : 'listpack';
  }

  /** Recomputes the encoding from the contents, as when a hash is loaded. */
  normalize(cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    if (this.map.size > cfg.hashMaxListpackEntries) {
      this.ht = true;
      return;
    }
    const max = cfg.hashMaxListpackValue;
    for (const [f, v] of this.map) {
      if (f.length > max || v.length > max) {
        this.ht = true;
        return;
      }
    }
    this.ht = false;
  }

  /**
   * Before writing field/value arguments args[start..end] (HSET, HMSET, HSETNX): converts to
   * a hashtable when they are too many or one is too long (hashTypeTryConversion).
   */
  prepareSet(args: readonly string[], start: number, end: number, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    if (this.ht) return;
    if (Math.floor((end - start + 1) / 2) > cfg.hashMaxListpackEntries) {
      this.ht = true;
      return;
    }
    const max = cfg.hashMaxListpackValue;
    for (let i = start; i <= end; i++) {
      if (args[i]!.length > max) {
        this.ht = true;
        return;
      }
    }
  }

  /** Sets a field; returns true when the field was created (false: updated in place). */
  set(field: string, value: string, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): boolean {
    if (!this.ht && (field.length > cfg.hashMaxListpackValue || value.length > cfg.hashMaxListpackValue)) this.ht = true;
    const before = this.map.size;
    this.map.set(field, value);
    const created = this.map.size !== before;
    if (created) {
      if (this.rndKeys !== undefined) {
        this.rndPos!.set(field, this.rndKeys.length);
        this.rndKeys.push(field);
      }
      if (!this.ht && this.map.size > cfg.hashMaxListpackEntries) this.ht = true;
    }
    return created;
  }

  /** Deletes a field; returns whether it existed. */
  delete(field: string): boolean {
    if (!this.map.delete(field)) return false;
    if (this.rndKeys !== undefined) {
      const keys = this.rndKeys;
      const pos = this.rndPos!;
      const i = pos.get(field)!;
      const last = keys.pop()!;
      if (last !== field) {
        keys[i] = last;
        pos.set(last, i);
      }
      pos.delete(field);
    }
    return true;
  }

  /** A uniformly random field (the hash must not be empty). */
  randomField(): string {
    const n = this.map.size;
    if (n <= 64) {
      let r = Math.floor(Math.random() * n);
      for (const f of this.map.keys()) if (r-- === 0) return f;
    }
    if (this.rndKeys === undefined) {
      const keys = Array.from(this.map.keys());
      const pos = new Map<string, number>();
      for (let i = 0; i < keys.length; i++) pos.set(keys[i]!, i);
      this.rndKeys = keys;
      this.rndPos = pos;
    }
    return this.rndKeys[Math.floor(Math.random() * n)]!;
  }

  /**
   * `count` distinct random fields (count < size). A listpack-sized hash keeps field order
   * (as Valkey's listpack sampling); a big one returns them in pick order.
   */
  randomDistinct(count: number): string[] {
    const n = this.map.size;
    const out: string[] = [];
    if (!this.ht) {
      let need = count;
      let left = n;
      for (const f of this.map.keys()) {
        if (Math.random() * left < need) {
          out.push(f);
          if (--need === 0) break;
        }
        left--;
      }
      return out;
    }
    if (count * 3 > n) {
      // few left out: drop random fields from a copy
      const all = Array.from(this.map.keys());
      for (let left = n; left > count; left--) {
        const i = Math.floor(Math.random() * left);
        all[i] = all[left - 1]!;
      }
      all.length = count;
      return all;
    }
    const seen = new Set<string>();
    while (out.length < count) {
      const f = this.randomField();
      if (!seen.has(f)) {
        seen.add(f);
        out.push(f);
      }
    }
    return out;
  }

  /**
   * One HSCAN step. A listpack hash is returned whole with cursor 0 (as Valkey); a hashtable
   * one up to `count` fields from the cursor on, with the next cursor (0 at the end).
   */
  scan(cursor: bigint, count: number): { cursor: number; fields: string[] } {
    if (!this.ht) return { cursor: 0, fields: Array.from(this.map.keys()) };
    this.cursors ??= new CursorTable<string>();
    const it = this.cursors.take(cursor) ?? this.map.keys();
    const fields: string[] = [];
    while (fields.length < count) {
      const r = it.next();
      if (r.done) return { cursor: 0, fields };
      if (this.map.has(r.value)) fields.push(r.value);
    }
    return { cursor: this.cursors.park(it), fields };
  }
}
