/**
 * Key bridge operations of the hash key API (native/api/keys_hash.cc): HashSet and HashGet,
 * each one call carrying all of its field/value pairs.
 *
 * HashSet follows the reference step by step: an empty key is created (db.add, so 'new'
 * fires) before the pairs are applied and deleted again if it ends up empty; NX/XX are
 * checked before a deletion; each write converts the encoding as HSET would
 * (prepareSet, then set). No keyspace event of its own; CloseKey signals the modification.
 */
import type { Engine } from '../engine/engine.js';
import { HashValue } from '../engine/types/hash.js';
import { collectionConfigOf } from '../engine/types/collections.js';

// Op numbers (native/api/keys_hash.cc)
const HOP_SET = 200; // a: [field, value | null (delete), ...], b: flags | WRITABLE -> count, or a negative status
const HOP_GET = 201; // a: [field, ...], b: exists? -> [value | null, ...] or [0|1, ...]; 0 for a wrong type

// HashSet flags (valkeymodule.h) and the bridge's own bit
const HASH_NX = 1;
const HASH_XX = 2;
const HASH_COUNT_ALL = 16;
const WRITABLE = 1 << 8;

// Negative statuses of HOP_SET (errno natively)
const E_NOTSUP = -1;
const E_BADF = -2;

function hashSet(engine: Engine, dbIndex: number, key: string, pairs: (string | null)[], flags: number): number {
  const db = engine.dbs[dbIndex]!;
  const cur = db.entry(key)?.value;
  if (cur !== undefined && !(cur instanceof HashValue)) return E_NOTSUP;
  if (!(flags & WRITABLE)) return E_BADF;
  let h: HashValue;
  if (cur === undefined) {
    h = new HashValue();
    db.add(key, h);
  } else h = cur;
  const cfg = collectionConfigOf(engine);
  const nx = (flags & HASH_NX) !== 0;
  const xx = (flags & HASH_XX) !== 0;
  const countAll = (flags & HASH_COUNT_ALL) !== 0;
  let count = 0;
  let changes = 0;
  const pair: string[] = ['', ''];
  for (let i = 0; i < pairs.length; i += 2) {
    const field = pairs[i]!;
    const value = pairs[i + 1];
    if (nx || xx) {
      const exists = h.has(field);
      if ((xx && !exists) || (nx && exists)) continue;
    }
    if (value === null || value === undefined) {
      if (h.delete(field)) {
        count++;
        changes++;
      }
      continue;
    }
    pair[0] = field;
    pair[1] = value;
    h.prepareSet(pair, 0, 1, cfg);
    const created = h.set(field, value, cfg);
    count += countAll || !created ? 1 : 0;
    changes++;
  }
  if (h.size === 0) db.delete(key);
  engine.dirty += changes;
  return count;
}

function hashGet(engine: Engine, dbIndex: number, key: string, fields: string[], exists: boolean): unknown {
  const cur = engine.dbs[dbIndex]!.entry(key)?.value;
  if (cur !== undefined && !(cur instanceof HashValue)) return 0;
  const out = new Array<string | number | null>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    if (exists) out[i] = cur !== undefined && cur.has(fields[i]!) ? 1 : 0;
    else out[i] = cur === undefined ? null : (cur.get(fields[i]!) ?? null);
  }
  return out;
}

/** Runs one hash key operation (op numbers in native/api/keys_hash.cc). */
export function hashKeyOp(engine: Engine, op: number, dbIndex: number, key: string, a: unknown, b: unknown): unknown {
  if (!engine.dbs[dbIndex]) return op === HOP_SET ? E_NOTSUP : 0;
  switch (op) {
    case HOP_SET:
      return hashSet(engine, dbIndex, key, a as (string | null)[], b as number);
    case HOP_GET:
      return hashGet(engine, dbIndex, key, a as string[], !!b);
    default:
      return undefined;
  }
}
