/**
 * Key bridge operations of the scan API area (native/api/scan.cc): one batch of a keyspace
 * scan (ValkeyModule_Scan) and one batch of a hash, set or sorted set scan
 * (ValkeyModule_ScanKey). Both continue the engine's live iterators (Db.scan and the
 * values' own scan cursors), so every element present from the start to the end of an
 * iteration is reported, and deleting the current element is safe.
 */
import type { Engine } from '../engine/engine.js';
import { HashValue } from '../engine/types/hash.js';
import { SetValue } from '../engine/types/set.js';
import { ZSetValue } from '../engine/types/zset.js';
import { format17g } from '../commands/zsets.js';
import { formatDouble } from '../protocol/resp-writer.js';

// Op numbers (native/api/scan.cc)
const SOP_SCAN = 600; // (db, null, cursor, count) -> [next cursor, key, ...]
const SOP_SCAN_KEY = 601; // (db, key, cursor, count) -> [next cursor, hasValues, field, value?, ...] or -1

/** Runs one scan bridge operation; `key` may be null. */
export function scanKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  const d = engine.dbs[db];
  if (d === undefined) return undefined;
  const cursor = typeof a === 'number' && a > 0 ? a : 0;
  const count = typeof b === 'number' && b > 0 ? b : 10;
  switch (op) {
    case SOP_SCAN: {
      const step = d.scan(cursor, count);
      return [step.cursor, ...step.keys];
    }
    case SOP_SCAN_KEY: {
      if (key === null) return -1;
      const v = d.entry(key)?.value;
      if (v instanceof HashValue) {
        const step = v.scan(BigInt(cursor), count);
        const out: (string | number)[] = [step.cursor, 1];
        for (const f of step.fields) {
          const val = v.get(f);
          if (val !== undefined) out.push(f, val);
        }
        return out;
      }
      if (v instanceof SetValue) {
        const step = v.scan(BigInt(cursor), count);
        return [step.cursor, 0, ...step.members];
      }
      if (v instanceof ZSetValue) {
        const out: (string | number)[] = [0, 1];
        if (v.encoding() === 'listpack') {
          // A listpack is reported whole; its scores read back as the stored text.
          for (let n = v.first(); n !== null; n = n.next[0]!) out.push(n.member, formatDouble(n.score + 0));
        } else {
          const step = v.scan(String(cursor), count);
          out[0] = step.cursor;
          for (const n of step.nodes) out.push(n.member, format17g(n.score));
        }
        return out;
      }
      return -1;
    }
    default:
      return undefined;
  }
}
