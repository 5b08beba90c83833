/**
 * Set commands: SADD SREM SMOVE SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMEMBERS SINTER
 * SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN — Valkey's replies,
 * errors, keyspace events and encodings (intset, listpack, hashtable).
 */
import type { CommandContext, CommandDef } from './table.js';
import { cmd, Errors } from './define.js';
import { readLong, readPositiveLong, parseCursor, parseScanOptions, LONG_MAX } from './collection-args.js';
import { SetValue } from '../engine/types/set.js';
import { WRONGTYPE } from '../engine/types/index.js';
import { collectionConfigOf, isInt64 } from '../engine/types/collections.js';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../engine/notify.js';
import { globMatch } from '../engine/glob.js';
import type { Db } from '../engine/db.js';
import type { ReplyWriter } from '../protocol/writer.js';

/** Replies with members as a set (RESP3 `~`). */
function replySet(w: ReplyWriter, members: readonly string[]): void {
  w.set(members.length);
  for (const m of members) w.bulk(m);
}

/**
 * Looks up keys for reading. Returns the sets (undefined for missing keys), or undefined
 * after replying WRONGTYPE.
 */
function readSets(ctx: CommandContext, db: Db, keys: readonly string[]): (SetValue | undefined)[] | undefined {
  const sets: (SetValue | undefined)[] = [];
  for (const key of keys) {
    const v = db.get(key);
    if (v !== undefined && !(v instanceof SetValue)) {
      ctx.w.error(WRONGTYPE);
      return undefined;
    }
    sets.push(v);
  }
  return sets;
}

/** Stores a computed set at dst (or deletes dst when empty) and replies its size. */
function store(ctx: CommandContext, db: Db, dst: string, result: SetValue, event: string): void {
  const { engine, w } = ctx;
  if (result.size > 0) {
    db.set(dst, result);
    w.integer(result.size);
    engine.notify(NOTIFY_SET, event, dst, db.id);
    engine.dirty++;
  } else {
    w.integer(0);
    if (db.delete(dst)) {
      engine.dirty++;
      engine.notify(NOTIFY_GENERIC, 'del', dst, db.id);
    }
  }
}

/** SINTER / SMEMBERS / SINTERSTORE / SINTERCARD (sinterGenericCommand). */
function inter(ctx: CommandContext, keys: readonly string[], dst: string | undefined, cardOnly: boolean, limit: number): void {
  const { engine, w } = ctx;
  const db = engine.db(ctx.client);
  const found = readSets(ctx, db, keys);
  if (found === undefined) return;
  if (found.includes(undefined)) {
    if (dst !== undefined) {
      if (db.delete(dst)) {
        engine.notify(NOTIFY_GENERIC, 'del', dst, db.id);
        engine.dirty++;
      }
      return w.integer(0);
    }
    if (cardOnly) return w.integer(0);
    return w.set(0);
  }
  const sets = (found as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const cfg = collectionConfigOf(engine);
  let out: SetValue | undefined;
  if (dst !== undefined) out = SetValue.empty(first.encoding() === 'intset' ? 'intset' : 'listpack');
  const results: string[] = [];
  let card = 0;
  let onlyIntegers = true;
  for (const m of first.members()) {
    let all = true;
    for (let j = 1; j < sets.length; j++) {
      const s = sets[j]!;
      if (s === first) continue;
      if (!s.has(m)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    if (cardOnly) {
      card++;
      if (limit && card >= limit) break;
    } else if (out === undefined) results.push(m);
    else {
      if (onlyIntegers && !isInt64(m)) onlyIntegers = false;
      out.add(m, cfg);
    }
  }
  if (cardOnly) return w.integer(card);
  if (out !== undefined) {
    if (out.size > 0 && onlyIntegers) out.maybeConvertToIntset(cfg);
    return store(ctx, db, dst!, out, 'sinterstore');
  }
  replySet(w, results);
}

/** SUNION / SDIFF and their STORE forms (sunionDiffGenericCommand); also SPOP of a whole set. */
function unionDiff(ctx: CommandContext, keys: readonly string[], dst: string | undefined, diff: boolean): void {
  const { engine, w } = ctx;
  const db = engine.db(ctx.client);
  const sets = readSets(ctx, db, keys);
  if (sets === undefined) return;
  const cfg = collectionConfigOf(engine);
  let sameSet = false;
  for (let j = 1; j < sets.length; j++) if (sets[0] !== undefined && sets[j] === sets[0]) sameSet = true;
  let algo = 1;
  const first = sets[0];
  if (diff && first !== undefined && !sameSet) {
    let one = 0;
    let two = 0;
    for (const s of sets) {
      if (s === undefined) continue;
      one += first.size;
      two += s.size;
    }
    one = Math.floor(one / 2);
    algo = one <= two ? 1 : 2;
  }
  const out = SetValue.empty('intset');
  if (!diff) {
    for (const s of sets) if (s !== undefined) for (const m of s.members()) out.add(m, cfg);
  } else if (first !== undefined && !sameSet) {
    if (algo === 1) {
      const others = sets.slice(1).filter((s): s is SetValue => s !== undefined);
      others.sort((a, b) => b.size - a.size);
      for (const m of first.members()) {
        let inOther = false;
        for (const s of others) {
          if (s.has(m)) {
            inOther = true;
            break;
          }
        }
        if (!inOther) out.add(m, cfg);
      }
    } else {
      for (const m of first.members()) out.add(m, cfg);
      for (let j = 1; j < sets.length && out.size > 0; j++) {
        const s = sets[j];
        if (s === undefined) continue;
        for (const m of s.members()) out.remove(m);
      }
    }
  }
  if (dst === undefined) return replySet(w, out.members());
  store(ctx, db, dst, out, diff ? 'sdiffstore' : 'sunionstore');
}

/** SPOP key count (spopWithCountCommand). */
function popWithCount(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const count = readPositiveLong(w, args[2]!);
  if (count === undefined) return;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const set = db.getForWrite(key);
  if (set === undefined) return w.set(0);
  if (!(set instanceof SetValue)) return w.error(WRONGTYPE);
  if (count === 0) return w.set(0);
  const size = set.size;
  engine.notify(NOTIFY_SET, 'spop', key, db.id);
  engine.dirty += count >= size ? size : count;
  if (count >= size) {
    unionDiff(ctx, [key], undefined, false);
    db.delete(key);
    engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
    return;
  }
  const remaining = size - count;
  w.set(count);
  if (remaining * 5 > count) {
    for (let i = 0; i < count; i++) w.bulk(set.popRandom());
  } else {
    // most members go: keep the few that stay in a new set, reply with the rest
    const cfg = collectionConfigOf(engine);
    const keep = set.randomDistinct(remaining);
    const kept = SetValue.empty(set.encoding() === 'intset' ? 'intset' : 'listpack');
    for (const m of keep) kept.add(m, cfg);
    for (const m of set.members()) if (!kept.has(m)) w.bulk(m);
    db.replace(key, kept);
  }
  engine.keyModified(db.id, key);
}

/** SRANDMEMBER key count (srandmemberWithCountCommand). */
function randomWithCount(ctx: CommandContext): void {
  const { w, args } = ctx;
  const l = readLong(w, args[2]!, -LONG_MAX, LONG_MAX);
  if (l === undefined) return;
  const set = ctx.engine.db(ctx.client).get(args[1]!);
  if (set === undefined) return w.array(0);
  if (!(set instanceof SetValue)) return w.error(WRONGTYPE);
  const count = Math.abs(l);
  if (count === 0) return w.array(0);
  if (l < 0 || count === 1) {
    w.array(count);
    for (let i = 0; i < count; i++) w.bulk(set.random());
    return;
  }
  const members = count >= set.size ? set.members() : set.randomDistinct(count);
  w.array(members.length);
  for (const m of members) w.bulk(m);
}

/** The set family, registered by commands/index.ts. */
export const setCommands: CommandDef[] = [
  cmd('sadd', (ctx) => {
    const { engine, args, w } = ctx;
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const cfg = collectionConfigOf(engine);
    let set = db.getForWrite(key);
    if (set !== undefined && !(set instanceof SetValue)) return w.error(WRONGTYPE);
    if (set === undefined) {
      set = SetValue.create(args[2]!, args.length - 2, cfg);
      db.add(key, set);
    } else set.maybeConvert(args.length - 2, cfg);
    let added = 0;
    for (let i = 2; i < args.length; i++) if (set.add(args[i]!, cfg)) added++;
    if (added) {
      engine.keyModified(db.id, key);
      engine.notify(NOTIFY_SET, 'sadd', key, db.id);
    }
    engine.dirty += added;
    w.integer(added);
  }),

  cmd('srem', (ctx) => {
    const { engine, args, w } = ctx;
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const set = db.getForWrite(key);
    if (set === undefined) return w.integer(0);
    if (!(set instanceof SetValue)) return w.error(WRONGTYPE);
    let deleted = 0;
    let keyRemoved = false;
    for (let i = 2; i < args.length; i++) {
      if (set.remove(args[i]!)) {
        deleted++;
        if (set.size === 0) {
          db.delete(key);
          keyRemoved = true;
          break;
        }
      }
    }
    if (deleted) {
      if (!keyRemoved) engine.keyModified(db.id, key);
      engine.notify(NOTIFY_SET, 'srem', key, db.id);
      if (keyRemoved) engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
      engine.dirty += deleted;
    }
    w.integer(deleted);
  }),

  cmd('smove', (ctx) => {
    const { engine, args, w } = ctx;
    const db = engine.db(ctx.client);
    const src = args[1]!;
    const dst = args[2]!;
    const ele = args[3]!;
    const sset = db.getForWrite(src);
    let dset = db.getForWrite(dst);
    if (sset === undefined) return w.integer(0);
    if (!(sset instanceof SetValue) || (dset !== undefined && !(dset instanceof SetValue))) return w.error(WRONGTYPE);
    if (sset === dset) return w.integer(sset.has(ele) ? 1 : 0);
    if (!sset.remove(ele)) return w.integer(0);
    engine.notify(NOTIFY_SET, 'srem', src, db.id);
    const cfg = collectionConfigOf(engine);
    if (sset.size === 0) {
      db.delete(src);
      engine.notify(NOTIFY_GENERIC, 'del', src, db.id);
    } else engine.keyModified(db.id, src);
    if (dset === undefined) {
      dset = SetValue.create(ele, 1, cfg);
      db.add(dst, dset);
    }
    engine.dirty++;
    if (dset.add(ele, cfg)) {
      engine.dirty++;
      engine.keyModified(db.id, dst);
      engine.notify(NOTIFY_SET, 'sadd', dst, db.id);
    }
    w.integer(1);
  }),

  cmd('sismember', (ctx) => {
    const set = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (set === undefined) return ctx.w.integer(0);
    if (!(set instanceof SetValue)) return ctx.w.error(WRONGTYPE);
    ctx.w.integer(set.has(ctx.args[2]!) ? 1 : 0);
  }),

  cmd('smismember', (ctx) => {
    const { args, w } = ctx;
    const set = ctx.engine.db(ctx.client).get(args[1]!);
    if (set !== undefined && !(set instanceof SetValue)) return w.error(WRONGTYPE);
    w.array(args.length - 2);
    for (let i = 2; i < args.length; i++) w.integer(set?.has(args[i]!) ? 1 : 0);
  }),

  cmd('scard', (ctx) => {
    const set = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (set === undefined) return ctx.w.integer(0);
    if (!(set instanceof SetValue)) return ctx.w.error(WRONGTYPE);
    ctx.w.integer(set.size);
  }),

  cmd('spop', (ctx) => {
    const { engine, args, w } = ctx;
    if (args.length === 3) return popWithCount(ctx);
    if (args.length > 3) return w.error(Errors.syntax);
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const set = db.getForWrite(key);
    if (set === undefined) return w.null();
    if (!(set instanceof SetValue)) return w.error(WRONGTYPE);
    const m = set.popRandom();
    engine.notify(NOTIFY_SET, 'spop', key, db.id);
    w.bulk(m);
    if (set.size === 0) {
      db.delete(key);
      engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
    } else engine.keyModified(db.id, key);
    engine.dirty++;
  }),

  cmd('srandmember', (ctx) => {
    const { args, w } = ctx;
    if (args.length === 3) return randomWithCount(ctx);
    if (args.length > 3) return w.error(Errors.syntax);
    const set = ctx.engine.db(ctx.client).get(args[1]!);
    if (set === undefined) return w.null();
    if (!(set instanceof SetValue)) return w.error(WRONGTYPE);
    w.bulk(set.random());
  }),

  cmd('smembers', (ctx) => inter(ctx, ctx.args.slice(1), undefined, false, 0)),
  cmd('sinter', (ctx) => inter(ctx, ctx.args.slice(1), undefined, false, 0)),
  cmd('sinterstore', (ctx) => inter(ctx, ctx.args.slice(2), ctx.args[1]!, false, 0)),

  cmd('sintercard', (ctx) => {
    const { args, w } = ctx;
    const numkeys = readLong(w, args[1]!, 1n, LONG_MAX, 'numkeys should be greater than 0');
    if (numkeys === undefined) return;
    if (numkeys > args.length - 2) return w.error("ERR Number of keys can't be greater than number of args");
    let limit = 0;
    for (let j = 2 + numkeys; j < args.length; j++) {
      const more = args.length - 1 - j;
      if (args[j]!.toLowerCase() === 'limit' && more) {
        j++;
        const l = readPositiveLong(w, args[j]!, "LIMIT can't be negative");
        if (l === undefined) return;
        limit = l;
      } else return w.error(Errors.syntax);
    }
    inter(ctx, args.slice(2, 2 + numkeys), undefined, true, limit);
  }),

  cmd('sunion', (ctx) => unionDiff(ctx, ctx.args.slice(1), undefined, false)),
  cmd('sunionstore', (ctx) => unionDiff(ctx, ctx.args.slice(2), ctx.args[1]!, false)),
  cmd('sdiff', (ctx) => unionDiff(ctx, ctx.args.slice(1), undefined, true)),
  cmd('sdiffstore', (ctx) => unionDiff(ctx, ctx.args.slice(2), ctx.args[1]!, true)),

  cmd('sscan', (ctx) => {
    const { args, w } = ctx;
    const cursor = parseCursor(args[2]!);
    if (cursor === undefined) return w.error('ERR invalid cursor');
    const set = ctx.engine.db(ctx.client).get(args[1]!);
    if (set === undefined) {
      w.array(2);
      w.bulk('0');
      return w.array(0);
    }
    if (!(set instanceof SetValue)) return w.error(WRONGTYPE);
    const opts = parseScanOptions(w, args, 3, false);
    if (opts === undefined) return;
    const step = set.scan(cursor, opts.count);
    const pat = opts.pattern;
    const members = pat === undefined ? step.members : step.members.filter((m) => globMatch(pat, m));
    w.array(2);
    w.bulk(String(step.cursor));
    w.array(members.length);
    for (const m of members) w.bulk(m);
  }),
];
