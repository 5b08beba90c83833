/**
 * Hash commands: HSET HMSET HSETNX HGET HMGET HGETALL HKEYS HVALS HLEN HSTRLEN HEXISTS HDEL
 * HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN — Valkey's replies, errors, keyspace events and
 * encoding conversions (listpack -> hashtable, one way).
 */
import type { CommandContext, CommandDef } from './table.js';
import { cmd, Errors, parseInteger } from './define.js';
import { readLong, parseCursor, parseScanOptions, LONG_MAX } from './collection-args.js';
import { addLongDouble, formatLongDouble, isFiniteLongDouble, longDoubleFromInteger, parseLongDouble } from './parse.js';
import { HashValue } from '../engine/types/hash.js';
import { WRONGTYPE } from '../engine/types/index.js';
import { collectionConfigOf } from '../engine/types/collections.js';
import { NOTIFY_GENERIC, NOTIFY_HASH } from '../engine/notify.js';
import { globMatch } from '../engine/glob.js';
import type { Db } from '../engine/db.js';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** hashTypeLookupWriteOrCreate: the hash at args[1] (created when missing), or undefined
 *  after replying WRONGTYPE. */
function hashForWrite(ctx: CommandContext, db: Db): HashValue | undefined {
  const key = ctx.args[1]!;
  const v = db.getForWrite(key);
  if (v === undefined) {
    const h = new HashValue();
    db.add(key, h);
    return h;
  }
  if (!(v instanceof HashValue)) {
    ctx.w.error(WRONGTYPE);
    return undefined;
  }
  return v;
}

/** HSET/HMSET body. */
function hset(ctx: CommandContext, name: string): void {
  const { engine, args, w } = ctx;
  if (args.length % 2 === 1) return w.error(Errors.wrongArity(name));
  const db = engine.db(ctx.client);
  const h = hashForWrite(ctx, db);
  if (h === undefined) return;
  const cfg = collectionConfigOf(engine);
  h.prepareSet(args, 2, args.length - 1, cfg);
  let created = 0;
  for (let i = 2; i < args.length; i += 2) if (h.set(args[i]!, args[i + 1]!, cfg)) created++;
  const key = args[1]!;
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_HASH, 'hset', key, db.id);
  engine.dirty += (args.length - 2) / 2;
  if (name === 'hset') w.integer(created);
  else w.simple('OK');
}

/** HGETALL / HKEYS / HVALS. */
function getAll(ctx: CommandContext, fields: boolean, values: boolean): void {
  const { w } = ctx;
  const h = ctx.engine.db(ctx.client).get(ctx.args[1]!);
  const both = fields && values;
  if (h === undefined) return both ? w.map(0) : w.array(0);
  if (!(h instanceof HashValue)) return w.error(WRONGTYPE);
  if (both) {
    w.map(h.size);
    for (const [f, v] of h.map) {
      w.bulk(f);
      w.bulk(v);
    }
  } else {
    w.array(h.size);
    if (fields) for (const f of h.map.keys()) w.bulk(f);
    else for (const v of h.map.values()) w.bulk(v);
  }
}

/** HRANDFIELD key count [WITHVALUES] (hrandfieldWithCountCommand). */
function randomWithCount(ctx: CommandContext, l: number, withValues: boolean): void {
  const { w } = ctx;
  const h = ctx.engine.db(ctx.client).get(ctx.args[1]!);
  if (h === undefined) return w.array(0);
  if (!(h instanceof HashValue)) return w.error(WRONGTYPE);
  const size = h.size;
  const unique = l >= 0;
  const count = Math.abs(l);
  if (count === 0) return w.array(0);
  const nested = withValues && w.proto === 3;
  const emit = (f: string): void => {
    if (nested) w.array(2);
    w.bulk(f);
    if (withValues) w.bulk(h.get(f)!);
  };
  const header = (n: number): void => w.array(withValues && !nested ? n * 2 : n);
  if (!unique || count === 1) {
    header(count);
    for (let i = 0; i < count; i++) emit(h.randomField());
    return;
  }
  if (count >= size) {
    header(size);
    for (const f of h.map.keys()) emit(f);
    return;
  }
  const picked = h.randomDistinct(count);
  header(picked.length);
  for (const f of picked) emit(f);
}

/** The hash family, registered by commands/index.ts. */
export const hashCommands: CommandDef[] = [
  cmd('hset', (ctx) => hset(ctx, 'hset')),
  cmd('hmset', (ctx) => hset(ctx, 'hmset')),

  cmd('hsetnx', (ctx) => {
    const { engine, args, w } = ctx;
    const db = engine.db(ctx.client);
    const h = hashForWrite(ctx, db);
    if (h === undefined) return;
    if (h.has(args[2]!)) return w.integer(0);
    const cfg = collectionConfigOf(engine);
    h.prepareSet(args, 2, 3, cfg);
    h.set(args[2]!, args[3]!, cfg);
    engine.keyModified(db.id, args[1]!);
    engine.notify(NOTIFY_HASH, 'hset', args[1]!, db.id);
    engine.dirty++;
    w.integer(1);
  }),

  cmd('hget', (ctx) => {
    const { w } = ctx;
    const h = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (h === undefined) return w.null();
    if (!(h instanceof HashValue)) return w.error(WRONGTYPE);
    const v = h.get(ctx.args[2]!);
    if (v === undefined) w.null();
    else w.bulk(v);
  }),

  cmd('hmget', (ctx) => {
    const { w, args } = ctx;
    const h = ctx.engine.db(ctx.client).get(args[1]!);
    if (h !== undefined && !(h instanceof HashValue)) return w.error(WRONGTYPE);
    w.array(args.length - 2);
    for (let i = 2; i < args.length; i++) {
      const v = h?.get(args[i]!);
      if (v === undefined) w.null();
      else w.bulk(v);
    }
  }),

  cmd('hgetall', (ctx) => getAll(ctx, true, true)),
  cmd('hkeys', (ctx) => getAll(ctx, true, false)),
  cmd('hvals', (ctx) => getAll(ctx, false, true)),

  cmd('hlen', (ctx) => {
    const h = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (h === undefined) return ctx.w.integer(0);
    if (!(h instanceof HashValue)) return ctx.w.error(WRONGTYPE);
    ctx.w.integer(h.size);
  }),

  cmd('hstrlen', (ctx) => {
    const h = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (h === undefined) return ctx.w.integer(0);
    if (!(h instanceof HashValue)) return ctx.w.error(WRONGTYPE);
    ctx.w.integer(h.get(ctx.args[2]!)?.length ?? 0);
  }),

  cmd('hexists', (ctx) => {
    const h = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (h === undefined) return ctx.w.integer(0);
    if (!(h instanceof HashValue)) return ctx.w.error(WRONGTYPE);
    ctx.w.integer(h.has(ctx.args[2]!) ? 1 : 0);
  }),

  cmd('hdel', (ctx) => {
    const { engine, args, w } = ctx;
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const h = db.getForWrite(key);
    if (h === undefined) return w.integer(0);
    if (!(h instanceof HashValue)) return w.error(WRONGTYPE);
    let deleted = 0;
    let keyRemoved = false;
    for (let i = 2; i < args.length; i++) {
      if (h.delete(args[i]!)) {
        deleted++;
        if (h.size === 0) {
          db.delete(key);
          keyRemoved = true;
          break;
        }
      }
    }
    if (deleted) {
      if (!keyRemoved) engine.keyModified(db.id, key);
      engine.notify(NOTIFY_HASH, 'hdel', key, db.id);
      if (keyRemoved) engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
      engine.dirty += deleted;
    }
    w.integer(deleted);
  }),

  cmd('hincrby', (ctx) => {
    const { engine, args, w } = ctx;
    if (parseInteger(args[3]!) === undefined) return w.error(Errors.notInteger);
    const incr = BigInt(args[3]!);
    const db = engine.db(ctx.client);
    const h = hashForWrite(ctx, db);
    if (h === undefined) return;
    const field = args[2]!;
    const cur = h.get(field);
    let value = 0n;
    if (cur !== undefined) {
      if (parseInteger(cur) === undefined) return w.error('ERR hash value is not an integer');
      value = BigInt(cur);
    }
    if ((incr < 0n && value < 0n && incr < INT64_MIN - value) || (incr > 0n && value > 0n && incr > INT64_MAX - value)) {
      return w.error('ERR increment or decrement would overflow');
    }
    value += incr;
    h.set(field, value.toString(), collectionConfigOf(engine));
    engine.keyModified(db.id, args[1]!);
    engine.notify(NOTIFY_HASH, 'hincrby', args[1]!, db.id);
    engine.dirty++;
    w.integer(value);
  }),

  cmd('hincrbyfloat', (ctx) => {
    const { engine, args, w } = ctx;
    const incr = parseLongDouble(args[3]!);
    if (incr === undefined) return w.error('ERR value is not a valid float');
    if (!isFiniteLongDouble(incr)) return w.error('ERR value is NaN or Infinity');
    const db = engine.db(ctx.client);
    const h = hashForWrite(ctx, db);
    if (h === undefined) return;
    const field = args[2]!;
    const cur = h.get(field);
    let value = longDoubleFromInteger(0);
    if (cur !== undefined) {
      const v = parseLongDouble(cur);
      if (v === undefined) return w.error('ERR hash value is not a float');
      value = v;
    }
    const sum = addLongDouble(value, incr);
    if (!isFiniteLongDouble(sum)) return w.error('ERR increment would produce NaN or Infinity');
    const text = formatLongDouble(sum);
    h.set(field, text, collectionConfigOf(engine));
    engine.keyModified(db.id, args[1]!);
    engine.notify(NOTIFY_HASH, 'hincrbyfloat', args[1]!, db.id);
    engine.dirty++;
    w.bulk(text);
  }),

  cmd('hrandfield', (ctx) => {
    const { args, w } = ctx;
    if (args.length >= 3) {
      const l = readLong(w, args[2]!, -LONG_MAX, LONG_MAX);
      if (l === undefined) return;
      if (args.length > 4 || (args.length === 4 && args[3]!.toLowerCase() !== 'withvalues')) return w.error(Errors.syntax);
      const withValues = args.length === 4;
      if (withValues && (BigInt(args[2]!) < -LONG_MAX / 2n || BigInt(args[2]!) > LONG_MAX / 2n)) {
        return w.error('ERR value is out of range');
      }
      return randomWithCount(ctx, l, withValues);
    }
    const h = ctx.engine.db(ctx.client).get(args[1]!);
    if (h === undefined) return w.null();
    if (!(h instanceof HashValue)) return w.error(WRONGTYPE);
    w.bulk(h.randomField());
  }),

  cmd('hscan', (ctx) => {
    const { args, w } = ctx;
    const cursor = parseCursor(args[2]!);
    if (cursor === undefined) return w.error('ERR invalid cursor');
    const h = ctx.engine.db(ctx.client).get(args[1]!);
    if (h === undefined) {
      w.array(2);
      w.bulk('0');
      return w.array(0);
    }
    if (!(h instanceof HashValue)) return w.error(WRONGTYPE);
    const opts = parseScanOptions(w, args, 3, true);
    if (opts === undefined) return;
    const step = h.scan(cursor, opts.count);
    const pat = opts.pattern;
    const fields = pat === undefined ? step.fields : step.fields.filter((f) => globMatch(pat, f));
    w.array(2);
    w.bulk(String(step.cursor));
    w.array(opts.noValues ? fields.length : fields.length * 2);
    for (const f of fields) {
      w.bulk(f);
      if (!opts.noValues) w.bulk(h.get(f)!);
    }
  }),
];
