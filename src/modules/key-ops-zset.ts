/**
 * Key bridge operations of the sorted set key API (native/api/keys_zset.cc): ZsetAdd,
 * ZsetIncrby, ZsetRem, ZsetScore and the range iterator's seeks. One call per API call.
 *
 * The iterator's state (range, current member and score, end flag) lives on the native
 * side; here a range start is a skiplist search and a step is a neighbour lookup from the
 * current member (O(1) through the member index, O(log n) when the member went away).
 */
import type { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { ZSetValue, type Value } from '../engine/types/index.js';
import type { ScoreRange, ZNode } from '../engine/types/zset.js';
import { parseLexRange } from '../commands/zsets.js';

// Operation numbers (mirrored in native/api/keys_zset.cc).
/** ZsetAdd: 300 + input flag bits (ZF_*); a: member, b: score -> output flags, -1 when the
 *  key holds another type, -2 for a NaN score. */
const ZOP_ADD = 300;
/** ZsetIncrby: 320 + input flag bits; a: member, b: increment -> [output flags, new score],
 *  -1 or -2 as ZsetAdd (-2 also when the sum is NaN). */
const ZOP_INCR = 320;
/** ZsetRem: a: member -> -1 wrong type, 0 absent, 1 removed, 2 removed the last member. */
const ZOP_REM = 340;
/** ZsetScore: a: member -> score, or null. */
const ZOP_SCORE = 341;
/** Score range start: 350 + minex (1) + maxex (2) + last (4); a: min, b: max ->
 *  [member, score], null when the range is empty, false when the key is not a sorted set. */
const ZOP_SCORE_RANGE = 350;
/** Lex range start: 360 + last (1); a: min, b: max (ZRANGEBYLEX syntax) -> as the score
 *  range, or -1 for an invalid range. */
const ZOP_LEX_RANGE = 360;
/** The neighbour after (370) or before (371) a member; a: member, b: its score (to find the
 *  place when the member was removed) -> [member, score], null at the end, false when the key
 *  is not a sorted set. */
const ZOP_NEXT = 370;
const ZOP_PREV = 371;

// Input flag bits in op numbers (not the module's ZADD constants).
const ZF_XX = 1;
const ZF_NX = 2;
const ZF_GT = 4;
const ZF_LT = 8;

// Output flags (VALKEYMODULE_ZADD_*).
const OUT_ADDED = 1 << 2;
const OUT_UPDATED = 1 << 3;
const OUT_NOP = 1 << 4;

function zsetOf(v: Value | undefined): ZSetValue | undefined {
  return v instanceof ZSetValue ? v : undefined;
}

function pair(n: ZNode | null): [string, number] | null {
  return n === null ? null : [n.member, n.score];
}

/**
 * zsetAdd for one member, as the module API calls it: returns the output flags (with the
 * new score for an increment), -1 when the key holds another type, -2 when the
 * (incremented) score is NaN. The key is created only when a member is actually added.
 */
function zadd(engine: Engine, dbIndex: number, key: string, member: string, score: number, flags: number, incr: boolean): number | [number, number] {
  const db = engine.dbs[dbIndex]!;
  const v = db.entry(key)?.value;
  if (v !== undefined && !(v instanceof ZSetValue)) return -1;
  if (Number.isNaN(score)) return -2;
  const nx = (flags & ZF_NX) !== 0;
  const xx = (flags & ZF_XX) !== 0;
  const gt = (flags & ZF_GT) !== 0;
  const lt = (flags & ZF_LT) !== 0;
  const zs = v as ZSetValue | undefined;
  const cur = zs?.score(member);
  if (cur !== undefined) {
    if (nx) return incr ? [OUT_NOP, 0] : OUT_NOP;
    let s = score;
    if (incr) {
      s += cur;
      if (Number.isNaN(s)) return -2;
    }
    if ((lt && s >= cur) || (gt && s <= cur)) return incr ? [OUT_NOP, 0] : OUT_NOP;
    let out = 0;
    if (s !== cur) {
      zs!.update(member, s);
      out = OUT_UPDATED;
      engine.dirty++;
    }
    return incr ? [out, s] : out;
  }
  if (xx) return incr ? [OUT_NOP, 0] : OUT_NOP;
  const cfg = configOf(engine);
  ZSetValue.maxListpackEntries = cfg.zsetMaxListpackEntries;
  ZSetValue.maxListpackValue = cfg.zsetMaxListpackValue;
  let target = zs;
  if (target === undefined) {
    target = new ZSetValue(true);
    db.add(key, target);
  }
  target.add(member, score);
  engine.dirty++;
  return incr ? [OUT_ADDED, score] : OUT_ADDED;
}

/** The node after (or before) where (score, member) sits or would sit. */
function neighbour(zs: ZSetValue, member: string, score: number, next: boolean): ZNode | null {
  const node = zs.dict.get(member);
  if (node !== undefined) return next ? node.next[0]! : node.prev;
  // The current member went away: find its place by (score, member).
  const r: ScoreRange = { min: score, max: Infinity, minex: false, maxex: false };
  let n = zs.firstInRange(r);
  while (n !== null && n.score === score && n.member < member) n = n.next[0]!;
  // n: the first node ordered after (score, member), or null.
  if (next) return n;
  return n === null ? zs.last() : n.prev;
}

/** Runs one zset key operation (op numbers above). */
export function zsetKeyOp(engine: Engine, op: number, dbIndex: number, key: string, a: unknown, b: unknown): unknown {
  const db = engine.dbs[dbIndex];
  if (db === undefined) return undefined;
  if (op >= ZOP_ADD && op < ZOP_ADD + 16) return zadd(engine, dbIndex, key, a as string, b as number, op - ZOP_ADD, false);
  if (op >= ZOP_INCR && op < ZOP_INCR + 16) return zadd(engine, dbIndex, key, a as string, b as number, op - ZOP_INCR, true);
  const v = db.entry(key)?.value;
  switch (op) {
    case ZOP_REM: {
      if (v === undefined) return 0;
      const zs = zsetOf(v);
      if (zs === undefined) return -1;
      if (!zs.remove(a as string)) return 0;
      engine.dirty++;
      if (zs.size === 0) {
        db.delete(key);
        return 2;
      }
      return 1;
    }
    case ZOP_SCORE:
      return zsetOf(v)?.score(a as string) ?? null;
    case ZOP_NEXT:
    case ZOP_PREV: {
      const zs = zsetOf(v);
      if (zs === undefined) return false;
      return pair(neighbour(zs, a as string, b as number, op === ZOP_NEXT));
    }
    case ZOP_LEX_RANGE:
    case ZOP_LEX_RANGE + 1: {
      const zs = zsetOf(v);
      if (zs === undefined) return false;
      const r = parseLexRange(a as string, b as string);
      if (r === undefined) return -1;
      return pair(op === ZOP_LEX_RANGE ? zs.firstInLex(r) : zs.lastInLex(r));
    }
    default:
      if (op >= ZOP_SCORE_RANGE && op < ZOP_SCORE_RANGE + 8) {
        const zs = zsetOf(v);
        if (zs === undefined) return false;
        const bits = op - ZOP_SCORE_RANGE;
        const r: ScoreRange = { min: a as number, max: b as number, minex: (bits & 1) !== 0, maxex: (bits & 2) !== 0 };
        return pair(bits & 4 ? zs.lastInRange(r) : zs.firstInRange(r));
      }
      return undefined;
  }
}
