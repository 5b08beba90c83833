/**
 * Key bridge operations of the stream key API (native/api/keys_stream.cc): StreamAdd,
 * StreamDelete, the iterator's steps and deletes, and trimming. One call per API call.
 *
 * Stream IDs cross as 16-byte one-byte strings (big-endian ms then seq), the key form
 * StreamValue uses. Failures come back as small error codes (SE_*) that the native side
 * turns into errno values. The iterator's state (range, direction, position, the current
 * entry's fields) lives on the native side; a step asks for the first live entry from a
 * position, so deletes during an iteration are seen.
 */
import type { Engine } from '../engine/engine.js';
import { StreamValue, type Value } from '../engine/types/index.js';
import { MIN_ID, MAX_ID, STREAM_NODE_MAX_ENTRIES, type StreamNode } from '../engine/types/stream.js';

// Operation numbers (mirrored in native/api/keys_stream.cc).
/** StreamAdd: a: [field, value, ...] or null when the elements are too large to cross;
 *  b: the requested ID, or undefined for an automatic one -> the added ID or an SE_ code. */
const SOP_ADD = 400;
/** StreamDelete: a: ID -> 0 or an SE_ code. */
const SOP_DELETE = 402;
/** Iterator step forward (404) or backward (405): a: the ID to look from (inclusive),
 *  b: the range's far end (inclusive) -> [id, field, value, ...], null when none, or
 *  false when the key is not a stream. */
const SOP_NEXT = 404;
const SOP_PREV = 405;
/** Iterator delete: a: ID of the current entry -> 0 or an SE_ code. */
const SOP_ITER_DELETE = 406;
/** Trim by length, exact (407) or approximate (408): a: entries to keep -> entries
 *  removed, or -1 when the key is not a stream. */
const SOP_TRIM_MAXLEN = 407;
/** Trim by ID, exact (409) or approximate (410): a: the smallest ID to keep -> as above. */
const SOP_TRIM_MINID = 409;

// Error codes (the native side maps them to errno).
const SE_NOTSUP = 1;
const SE_NOENT = 3;
const SE_DOM = 4;
const SE_FBIG = 5;
const SE_RANGE = 6;

/** streamTrimByLength / streamTrimByID: `~` trimming stops after 100 nodes' worth of entries. */
const APPROX_LIMIT = 100 * STREAM_NODE_MAX_ENTRIES;

function streamOf(v: Value | undefined): StreamValue | undefined {
  return v instanceof StreamValue ? v : undefined;
}

/** XADD without trimming, as the module API does it. The key is created only on success. */
function add(engine: Engine, dbIndex: number, key: string, fv: string[] | null, id: string | undefined): string | number {
  const db = engine.dbs[dbIndex]!;
  const v = db.entry(key)?.value;
  if (v !== undefined && !(v instanceof StreamValue)) return SE_NOTSUP;
  if (id === MIN_ID) return SE_DOM;
  if (v !== undefined && v.lastId === MAX_ID) return SE_FBIG;
  const s = v ?? new StreamValue();
  const newId = id ?? s.nextAutoId(engine.now());
  if (newId === undefined || newId <= s.lastId) return SE_DOM;
  if (fv === null) return SE_RANGE;
  if (v === undefined) db.add(key, s);
  s.append(newId, fv);
  engine.dirty++;
  return newId;
}

/** The first live entry from `from` towards `bound` (both inclusive). */
function step(s: StreamValue, from: string, bound: string, rev: boolean): string[] | null {
  const nodes: StreamNode[] = [];
  const idx: number[] = [];
  if ((rev ? s.range(bound, from, true, 1, nodes, idx) : s.range(from, bound, false, 1, nodes, idx)) === 0) return null;
  const n = nodes[0]!;
  const i = idx[0]!;
  const out = n.fieldValues(i);
  out.unshift(n.ids[i]!);
  return out;
}

/** Runs one stream key operation (op numbers above). */
export function streamKeyOp(engine: Engine, op: number, dbIndex: number, key: string, a: unknown, b: unknown): unknown {
  const db = engine.dbs[dbIndex];
  if (db === undefined) return undefined;
  if (op === SOP_ADD) return add(engine, dbIndex, key, a as string[] | null, b as string | undefined);
  const s = streamOf(db.entry(key)?.value);
  switch (op) {
    case SOP_DELETE:
      if (s === undefined) return SE_NOTSUP;
      if (!s.deleteEntry(a as string)) return SE_NOENT;
      engine.dirty++;
      return 0;
    case SOP_NEXT:
    case SOP_PREV:
      if (s === undefined) return false;
      return step(s, a as string, b as string, op === SOP_PREV);
    case SOP_ITER_DELETE:
      if (s === undefined) return SE_NOTSUP;
      if (s.deleteEntry(a as string)) engine.dirty++;
      return 0;
    case SOP_TRIM_MAXLEN:
    case SOP_TRIM_MAXLEN + 1:
    case SOP_TRIM_MINID:
    case SOP_TRIM_MINID + 1: {
      if (s === undefined) return -1;
      const byLen = op < SOP_TRIM_MINID;
      const approx = op === SOP_TRIM_MAXLEN + 1 || op === SOP_TRIM_MINID + 1;
      const deleted = byLen
        ? s.trim(true, a as number, MIN_ID, approx, approx ? APPROX_LIMIT : 0)
        : s.trim(false, 0, a as string, approx, approx ? APPROX_LIMIT : 0);
      engine.dirty += deleted;
      return deleted;
    }
    default:
      return undefined;
  }
}
