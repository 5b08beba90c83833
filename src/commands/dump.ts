/**
 * DUMP and RESTORE: a key's value serialized in Valkey's RDB object format (with RDB
 * version and CRC-64 footer) and recreated from such a payload, byte-compatible with
 * Valkey's own DUMP payloads in both directions.
 */
import type { CommandDef, CommandContext } from './table.js';
import { cmd, Errors, parseInteger } from './define.js';
import { NOTIFY_GENERIC } from '../engine/notify.js';
import { lfuWord, lruClock } from '../engine/db.js';
import { collectionConfigOf } from '../engine/types/collections.js';
import { configOf } from '../engine/config.js';
import type { Engine } from '../engine/engine.js';
import type { Value } from '../engine/types/index.js';
import { createDumpPayload, loadDumpPayload, verifyDumpPayload, RdbError } from '../persistence/rdb-value.js';

const BUSYKEY = 'BUSYKEY Target key name already exists.';
const BAD_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
const BAD_FORMAT = 'ERR Bad data format';

/** Valkey's LRU clock range (24 bits of seconds). */
const LRU_CLOCK_MAX = (1 << 24) - 1;

/**
 * The LRU clock (in the Db's unwrapped seconds) that makes OBJECT IDLETIME report what
 * Valkey reports after RESTORE ... IDLETIME `idle` (objectSetLRUOrLFU): the idle time is
 * scaled by 1000/1000 in 64-bit arithmetic (huge values wrap), subtracted from the 24-bit
 * LRU clock, made positive again by adding the clock range once, and kept in 24 bits; the
 * idle time then shown is the wrapped distance from the clock (estimateObjectIdleTime).
 */
function lruForIdle(nowMs: number, idleText: string): number {
  const now = lruClock(nowMs);
  const clock = BigInt(now & LRU_CLOCK_MAX);
  const idle = BigInt.asIntN(64, BigInt(idleText) * 1000n) / 1000n;
  let abs = BigInt.asIntN(64, clock - idle);
  if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
  const lru = Number(BigInt.asUintN(24, abs));
  const c = Number(clock);
  const seen = c >= lru ? c - lru : c + (LRU_CLOCK_MAX - lru);
  return now - seen;
}

/** Whether rdbcompression is on (LZF for strings over 20 bytes; Valkey's default yes). */
function compression(engine: Engine): boolean {
  return configOf(engine).get('rdbcompression') !== 'no';
}

/** Whether maxmemory-policy is an LFU one (then FREQ applies and IDLETIME does not). */
function lfuPolicy(engine: Engine): boolean {
  return (configOf(engine).get('maxmemory-policy') ?? 'noeviction').endsWith('-lfu');
}

/** DUMP key */
function dump(ctx: CommandContext): void {
  const { engine, w } = ctx;
  const v = engine.db(ctx.client).get(ctx.args[1]!);
  if (v === undefined) return w.null();
  let payload: Buffer;
  try {
    const io = { key: ctx.args[1]!, dbid: ctx.client.db };
    payload = createDumpPayload(v, collectionConfigOf(engine), compression(engine), engine.moduleTypes, io);
  } catch (e) {
    if (e instanceof RdbError) return w.error(`ERR ${e.message}`);
    throw e;
  }
  w.bulk(payload);
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restore(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  let replace = false;
  let absttl = false;
  let idle = -1;
  let idleText = '';
  let freq = -1;
  for (let j = 4; j < args.length; j++) {
    const opt = args[j]!.toLowerCase();
    const more = args.length - j - 1;
    if (opt === 'replace') replace = true;
    else if (opt === 'absttl') absttl = true;
    else if (opt === 'idletime' && more >= 1 && freq === -1) {
      const n = parseInteger(args[++j]!);
      if (n === undefined) return w.error(Errors.notInteger);
      if (n < 0) return w.error('ERR Invalid IDLETIME value, must be >= 0');
      idle = n;
      idleText = args[j]!;
    } else if (opt === 'freq' && more >= 1 && idle === -1) {
      const n = parseInteger(args[++j]!);
      if (n === undefined) return w.error(Errors.notInteger);
      if (n < 0 || n > 255) return w.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
      freq = n;
    } else return w.error(Errors.syntax);
  }
  const key = args[1]!;
  if (!replace && db.has(key)) return w.error(BUSYKEY);
  const ttlArg = parseInteger(args[2]!);
  if (ttlArg === undefined) return w.error(Errors.notInteger);
  if (ttlArg < 0) return w.error('ERR Invalid TTL value, must be >= 0');
  const payload = Buffer.from(args[3]!, 'latin1');
  if (!verifyDumpPayload(payload)) return w.error(BAD_PAYLOAD);
  let value: Value;
  try {
    value = loadDumpPayload(payload, collectionConfigOf(engine), engine.moduleTypes, { key, dbid: db.id });
  } catch (e) {
    if (e instanceof RdbError) return w.error(BAD_FORMAT);
    throw e;
  }
  const deleted = replace ? db.delete(key) : false;
  const now = engine.now();
  let when = 0;
  if (ttlArg !== 0) when = absttl ? ttlArg : wrapAdd(ttlArg, args[2]!, now);
  if (ttlArg !== 0 && when <= now) {
    // already expired: the key is not created (an overwritten one is gone)
    if (deleted) {
      engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
      engine.dirty++;
    }
    return w.simple('OK');
  }
  db.set(key, value);
  if (ttlArg !== 0) db.setExpire(key, when);
  // objectSetLRUOrLFU: FREQ sets the counter under an LFU policy, IDLETIME the clock otherwise.
  if (lfuPolicy(engine) ? freq >= 0 : idle >= 0) {
    const e = db.entry(key);
    if (e !== undefined) e.lru = freq >= 0 ? lfuWord(now, freq) : lruForIdle(now, idleText);
  }
  engine.notify(NOTIFY_GENERIC, 'restore', key, db.id);
  w.simple('OK');
  engine.dirty++;
}

/** ttl + now with int64 wrap-around (as the C addition), for relative TTLs. */
function wrapAdd(ttl: number, text: string, now: number): number {
  const sum = ttl + now;
  if (Number.isSafeInteger(ttl) && sum <= Number.MAX_SAFE_INTEGER) return sum;
  let b = BigInt(text) + BigInt(now);
  if (b > 9223372036854775807n) b -= 18446744073709551616n;
  return Number(b);
}

/** DUMP and RESTORE, for the command table. */
export const dumpCommands: CommandDef[] = [cmd('dump', dump), cmd('restore', restore)];
