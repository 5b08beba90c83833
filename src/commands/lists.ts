/**
 * List commands (non-blocking): LPUSH RPUSH LPUSHX RPUSHX LINSERT LLEN LINDEX LSET LPOP RPOP
 * LRANGE LTRIM LPOS LREM LMOVE RPOPLPUSH LMPOP — Valkey's replies, errors, keyspace events
 * and encoding conversions.
 */
import type { CommandContext, CommandDef } from './table.js';
import { cmd, Errors } from './define.js';
import { readLong, readPositiveLong, LONG_MAX } from './collection-args.js';
import { ListValue } from '../engine/types/list.js';
import { WRONGTYPE } from '../engine/types/index.js';
import { collectionConfigOf } from '../engine/types/collections.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../engine/notify.js';
import type { Db } from '../engine/db.js';
import type { ReplyWriter } from '../protocol/writer.js';
import { blockCore, keysThenTimeout, propagateServed, readTimeout, serveOrBlock } from '../engine/blocking.js';
import type { Value } from '../engine/types/index.js';

const HEAD = 0;
const TAIL = 1;

/** LEFT/RIGHT (case-insensitive) to HEAD/TAIL; writes a syntax error otherwise. */
function readWhere(w: ReplyWriter, s: string): number | undefined {
  const l = s.toLowerCase();
  if (l === 'right') return TAIL;
  if (l === 'left') return HEAD;
  w.error(Errors.syntax);
  return undefined;
}

/** Replies with the elements start..end (inclusive, already clamped), reversed when asked. */
function replyRange(w: ReplyWriter, list: ListValue, start: number, end: number, reverse: boolean): void {
  w.array(end - start + 1);
  if (reverse) for (let i = end; i >= start; i--) w.bulk(list.at(i));
  else for (let i = start; i <= end; i++) w.bulk(list.at(i));
}

/** addListRangeReply: LRANGE semantics for start/end (negative from the tail). */
function replyListRange(w: ReplyWriter, list: ListValue, start: number, end: number, reverse: boolean): void {
  const llen = list.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    w.array(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  replyRange(w, list, start, end, reverse);
}

/**
 * After popping `count` elements from one end: the pop event, the key deleted when empty
 * (with its del event) or a shrink check, modification signal and dirty (listElementsRemoved).
 */
function elementsRemoved(ctx: CommandContext, db: Db, key: string, where: number, list: ListValue, count: number): void {
  const { engine } = ctx;
  engine.notify(NOTIFY_LIST, where === HEAD ? 'lpop' : 'rpop', key, db.id);
  if (list.length === 0) {
    db.delete(key);
    engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
  } else {
    list.shrinkCheck(collectionConfigOf(engine));
    engine.keyModified(db.id, key);
  }
  engine.dirty += count;
}

/** LPUSH/RPUSH/LPUSHX/RPUSHX. */
function push(ctx: CommandContext, where: number, xx: boolean): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  let list = db.getForWrite(key);
  if (list !== undefined && !(list instanceof ListValue)) return w.error(WRONGTYPE);
  if (list === undefined) {
    if (xx) return w.integer(0);
    list = new ListValue();
    db.add(key, list);
  }
  let bytes = 0;
  for (let i = 2; i < args.length; i++) bytes += args[i]!.length;
  list.prepareGrow(bytes, args.length - 2, collectionConfigOf(engine));
  if (where === HEAD) for (let i = 2; i < args.length; i++) list.pushHead(args[i]!);
  else for (let i = 2; i < args.length; i++) list.pushTail(args[i]!);
  engine.dirty += args.length - 2;
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_LIST, where === HEAD ? 'lpush' : 'rpush', key, db.id);
  w.integer(list.length);
}

/** LPOP/RPOP key [count]. */
function pop(ctx: CommandContext, where: number): void {
  const { engine, args, w } = ctx;
  if (args.length > 3) return w.error(Errors.wrongArity(where === HEAD ? 'lpop' : 'rpop'));
  const hasCount = args.length === 3;
  let count = 0;
  if (hasCount) {
    const c = readPositiveLong(w, args[2]!);
    if (c === undefined) return;
    count = c;
  }
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const list = db.getForWrite(key);
  if (list === undefined) return hasCount ? w.nullArray() : w.null();
  if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
  if (hasCount && count === 0) return w.array(0);
  if (!hasCount) {
    const v = where === HEAD ? list.popHead()! : list.popTail()!;
    elementsRemoved(ctx, db, key, where, list, 1);
    return w.bulk(v);
  }
  const n = Math.min(count, list.length);
  replyAndRemove(w, list, where, n);
  elementsRemoved(ctx, db, key, where, list, n);
}

/** Replies the `n` elements at the `where` end of `list` as an array (in pop order) and
 *  removes them. */
function replyAndRemove(w: ReplyWriter, list: ListValue, where: number, n: number): void {
  if (where === HEAD) {
    replyRange(w, list, 0, n - 1, false);
    list.deleteHead(n);
  } else {
    replyRange(w, list, list.length - n, list.length - 1, true);
    list.deleteTail(n);
  }
}

/** LMOVE/RPOPLPUSH body (lmoveGenericCommand). */
function move(ctx: CommandContext, from: number, to: number): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const src = args[1]!;
  const dst = args[2]!;
  const slist = db.getForWrite(src);
  if (slist === undefined) return w.null();
  if (!(slist instanceof ListValue)) return w.error(WRONGTYPE);
  if (slist.length === 0) return w.null();
  let dlist = db.getForWrite(dst);
  if (dlist !== undefined && !(dlist instanceof ListValue)) return w.error(WRONGTYPE);
  const cfg = collectionConfigOf(engine);
  const v = from === HEAD ? slist.popHead()! : slist.popTail()!;
  if (dlist === undefined) {
    dlist = new ListValue();
    db.add(dst, dlist);
  }
  dlist.prepareGrow(v.length, 1, cfg);
  if (to === HEAD) dlist.pushHead(v);
  else dlist.pushTail(v);
  engine.keyModified(db.id, dst);
  engine.notify(NOTIFY_LIST, to === HEAD ? 'lpush' : 'rpush', dst, db.id);
  w.bulk(v);
  elementsRemoved(ctx, db, src, from, slist, 1);
}

/** Whether a key's value can serve a client blocked on lists. */
const isList = (v: Value | undefined): boolean => v instanceof ListValue;

/**
 * LMPOP numkeys key... LEFT|RIGHT [COUNT n] (numkeys at 1) and BLMPOP timeout numkeys ...
 * (numkeys at 2): pops up to n elements from the first non-empty list, replying
 * [key, [elements]]; propagated as LPOP/RPOP key <popped>. BLMPOP blocks when every list is
 * empty; its timeout (or a client that may not block) replies the null array.
 */
function mpop(ctx: CommandContext, numkeysIdx: number, block: boolean): void | Promise<void> {
  const { engine, args, w } = ctx;
  const numkeys = readLong(w, args[numkeysIdx]!, 1n, LONG_MAX, 'numkeys should be greater than 0');
  if (numkeys === undefined) return;
  const whereIdx = numkeysIdx + 1 + numkeys;
  if (whereIdx >= args.length) return w.error(Errors.syntax);
  const where = readWhere(w, args[whereIdx]!);
  if (where === undefined) return;
  let count = -1;
  for (let j = whereIdx + 1; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (count === -1 && args[j]!.toLowerCase() === 'count' && more) {
      j++;
      const c = readLong(w, args[j]!, 1n, LONG_MAX, 'count should be greater than 0');
      if (c === undefined) return;
      count = c;
    } else return w.error(Errors.syntax);
  }
  if (count === -1) count = 1;
  let deadline = 0;
  if (block) {
    const d = readTimeout(ctx, args[1]!, true);
    if (d === undefined) return;
    deadline = d;
  }
  const keys = args.slice(numkeysIdx + 1, whereIdx);
  const serve = (served: boolean): boolean => {
    const db = engine.db(ctx.client);
    const found = firstNonEmptyList(ctx, db, keys);
    if (found === undefined) return false;
    if (found === null) return true;
    const [key, list] = found;
    const n = Math.min(count, list.length);
    w.array(2);
    w.bulk(key);
    replyAndRemove(w, list, where, n);
    elementsRemoved(ctx, db, key, where, list, n);
    propagateServed(ctx, served, [where === HEAD ? 'LPOP' : 'RPOP', key, String(n)]);
    return true;
  };
  if (!block) {
    if (!serve(false)) w.nullArray();
    return;
  }
  return serveOrBlock(ctx, keys, deadline, isList, serve);
}

/** The first of `keys` holding a non-empty list (looked up for writing) with its value;
 *  null after replying WRONGTYPE for a key of another type met before it; undefined when
 *  none. */
function firstNonEmptyList(ctx: CommandContext, db: Db, keys: string[]): [string, ListValue] | null | undefined {
  for (const key of keys) {
    const list = db.getForWrite(key);
    if (list === undefined) continue;
    if (!(list instanceof ListValue)) {
      ctx.w.error(WRONGTYPE);
      return null;
    }
    if (list.length > 0) return [key, list];
  }
  return undefined;
}

/** BLPOP/BRPOP key... timeout: [key, element] from the first non-empty list (propagated as
 *  LPOP/RPOP key), else blocks; the timeout replies the null array. */
function blockingPop(ctx: CommandContext, where: number): void | Promise<void> {
  const { engine, w } = ctx;
  const parsed = keysThenTimeout(ctx);
  if (parsed === undefined) return;
  const { keys, deadline } = parsed;
  const serve = (served: boolean): boolean => {
    const db = engine.db(ctx.client);
    const found = firstNonEmptyList(ctx, db, keys);
    if (found === undefined) return false;
    if (found === null) return true;
    const [key, list] = found;
    const v = where === HEAD ? list.popHead()! : list.popTail()!;
    w.array(2);
    w.bulk(key);
    w.bulk(v);
    elementsRemoved(ctx, db, key, where, list, 1);
    propagateServed(ctx, served, [where === HEAD ? 'LPOP' : 'RPOP', key]);
    return true;
  };
  return serveOrBlock(ctx, keys, deadline, isList, serve);
}

/** BLMOVE src dst from to timeout / BRPOPLPUSH src dst timeout (timeout at `timeoutIdx`):
 *  LMOVE when the source has elements (propagated as LMOVE / RPOPLPUSH), else blocks on the
 *  source; the timeout replies the null array (as every list timeout), a client that may
 *  not block (MULTI) a null bulk. */
function blockingMove(ctx: CommandContext, from: number, to: number, timeoutIdx: number): void | Promise<void> {
  const { engine, args, w } = ctx;
  const deadline = readTimeout(ctx, args[timeoutIdx]!, true);
  if (deadline === undefined) return;
  const src = args[1]!;
  const argv = timeoutIdx === 5 ? ['LMOVE', src, args[2]!, args[3]!, args[4]!] : ['RPOPLPUSH', src, args[2]!];
  const serve = (served: boolean): boolean => {
    const db = engine.db(ctx.client);
    const slist = db.getForWrite(src);
    if (slist === undefined) return false;
    if (!(slist instanceof ListValue)) {
      w.error(WRONGTYPE);
      return true;
    }
    if (slist.length === 0) return false;
    const errors = w.errorCount;
    move(ctx, from, to);
    if (w.errorCount === errors) propagateServed(ctx, served, argv);
    return true;
  };
  if (serve(false)) return;
  return blockCore(ctx, [src], deadline, isList, serve, (tw) => tw.nullArray(), false, (tw) => tw.null());
}

/** The list family, registered by commands/index.ts. */
export const listCommands: CommandDef[] = [
  cmd('lpush', (ctx) => push(ctx, HEAD, false)),
  cmd('rpush', (ctx) => push(ctx, TAIL, false)),
  cmd('lpushx', (ctx) => push(ctx, HEAD, true)),
  cmd('rpushx', (ctx) => push(ctx, TAIL, true)),

  cmd('linsert', (ctx) => {
    const { engine, args, w } = ctx;
    const where = args[2]!.toLowerCase();
    if (where !== 'after' && where !== 'before') return w.error(Errors.syntax);
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const list = db.getForWrite(key);
    if (list === undefined) return w.integer(0);
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    list.prepareGrow(args[4]!.length, 1, collectionConfigOf(engine));
    const i = list.indexOf(args[3]!);
    if (i < 0) return w.integer(-1);
    list.insertAt(i, args[4]!, where === 'after');
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_LIST, 'linsert', key, db.id);
    engine.dirty++;
    w.integer(list.length);
  }),

  cmd('llen', (ctx) => {
    const list = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (list === undefined) return ctx.w.integer(0);
    if (!(list instanceof ListValue)) return ctx.w.error(WRONGTYPE);
    ctx.w.integer(list.length);
  }),

  cmd('lindex', (ctx) => {
    const { w } = ctx;
    const list = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (list === undefined) return w.null();
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    let index = readLong(w, ctx.args[2]!);
    if (index === undefined) return;
    if (index < 0) index += list.length;
    if (index < 0 || index >= list.length) return w.null();
    w.bulk(list.at(index));
  }),

  cmd('lset', (ctx) => {
    const { engine, args, w } = ctx;
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const list = db.getForWrite(key);
    if (list === undefined) return w.error('ERR no such key');
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    const parsed = readLong(w, args[2]!);
    if (parsed === undefined) return;
    // Valkey passes the index on as a C int: wider values wrap.
    let index = Number.isSafeInteger(parsed) && parsed >= -2147483648 && parsed <= 2147483647
      ? parsed
      : Number(BigInt.asIntN(32, BigInt(args[2]!)));
    const cfg = collectionConfigOf(engine);
    list.prepareGrow(args[3]!.length, 1, cfg);
    if (index < 0) index += list.length;
    if (index < 0 || index >= list.length) return w.error('ERR index out of range');
    list.setAt(index, args[3]!);
    list.shrinkCheck(cfg);
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_LIST, 'lset', key, db.id);
    engine.dirty++;
    w.simple('OK');
  }),

  cmd('lpop', (ctx) => pop(ctx, HEAD)),
  cmd('rpop', (ctx) => pop(ctx, TAIL)),

  cmd('lrange', (ctx) => {
    const { w, args } = ctx;
    const start = readLong(w, args[2]!);
    if (start === undefined) return;
    const end = readLong(w, args[3]!);
    if (end === undefined) return;
    const list = ctx.engine.db(ctx.client).get(args[1]!);
    if (list === undefined) return w.array(0);
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    replyListRange(w, list, start, end, false);
  }),

  cmd('ltrim', (ctx) => {
    const { engine, w, args } = ctx;
    let start = readLong(w, args[2]!);
    if (start === undefined) return;
    let end = readLong(w, args[3]!);
    if (end === undefined) return;
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const list = db.getForWrite(key);
    if (list === undefined) return w.simple('OK');
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    const llen = list.length;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > end || start >= llen) {
      ltrim = llen;
      rtrim = 0;
    } else {
      if (end >= llen) end = llen - 1;
      ltrim = start;
      rtrim = llen - end - 1;
    }
    list.deleteHead(ltrim);
    list.deleteTail(rtrim);
    engine.notify(NOTIFY_LIST, 'ltrim', key, db.id);
    if (list.length === 0) {
      db.delete(key);
      engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
    } else {
      list.shrinkCheck(collectionConfigOf(engine));
      if (ltrim + rtrim) engine.keyModified(db.id, key);
    }
    engine.dirty += ltrim + rtrim;
    w.simple('OK');
  }),

  cmd('lpos', (ctx) => {
    const { engine, args, w } = ctx;
    const ele = args[2]!;
    let rank = 1;
    let count = -1;
    let maxlen = 0;
    for (let j = 3; j < args.length; j++) {
      const opt = args[j]!.toLowerCase();
      const more = args.length - 1 - j;
      if (opt === 'rank' && more) {
        j++;
        const r = readLong(w, args[j]!, -LONG_MAX, LONG_MAX);
        if (r === undefined) return;
        if (r === 0) {
          return w.error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
          );
        }
        rank = r;
      } else if (opt === 'count' && more) {
        j++;
        const c = readPositiveLong(w, args[j]!, "COUNT can't be negative");
        if (c === undefined) return;
        count = c;
      } else if (opt === 'maxlen' && more) {
        j++;
        const m = readPositiveLong(w, args[j]!, "MAXLEN can't be negative");
        if (m === undefined) return;
        maxlen = m;
      } else return w.error(Errors.syntax);
    }
    let fromTail = false;
    if (rank < 0) {
      rank = -rank;
      fromTail = true;
    }
    const list = engine.db(ctx.client).get(args[1]!);
    if (list === undefined) return count !== -1 ? w.array(0) : w.null();
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    const llen = list.length;
    const limit = maxlen === 0 ? llen : Math.min(maxlen, llen);
    const found: number[] = [];
    let matches = 0;
    for (let k = 0; k < limit; k++) {
      const i = fromTail ? llen - 1 - k : k;
      if (list.at(i) !== ele) continue;
      matches++;
      if (matches < rank) continue;
      found.push(i);
      if (count === -1) break;
      if (count && matches - rank + 1 >= count) break;
    }
    if (count !== -1) {
      w.array(found.length);
      for (const i of found) w.integer(i);
    } else if (found.length) w.integer(found[0]!);
    else w.null();
  }),

  cmd('lrem', (ctx) => {
    const { engine, args, w } = ctx;
    const toremove = readLong(w, args[2]!, -LONG_MAX, LONG_MAX);
    if (toremove === undefined) return;
    const db = engine.db(ctx.client);
    const key = args[1]!;
    const list = db.getForWrite(key);
    if (list === undefined) return w.integer(0);
    if (!(list instanceof ListValue)) return w.error(WRONGTYPE);
    const limit = Math.abs(toremove);
    const removed = list.removeEqual(args[3]!, limit > list.length ? 0 : limit, toremove < 0);
    if (removed) {
      engine.dirty += removed;
      engine.notify(NOTIFY_LIST, 'lrem', key, db.id);
      if (list.length === 0) {
        db.delete(key);
        engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
      } else {
        list.shrinkCheck(collectionConfigOf(engine));
        engine.keyModified(db.id, key);
      }
    }
    w.integer(removed);
  }),

  cmd('lmove', (ctx) => {
    const from = readWhere(ctx.w, ctx.args[3]!);
    if (from === undefined) return;
    const to = readWhere(ctx.w, ctx.args[4]!);
    if (to === undefined) return;
    move(ctx, from, to);
  }),

  cmd('rpoplpush', (ctx) => move(ctx, TAIL, HEAD)),

  cmd('lmpop', (ctx) => mpop(ctx, 1, false)),

  // ---- blocking variants (src/engine/blocking.ts) ----
  cmd('blpop', (ctx) => blockingPop(ctx, HEAD)),
  cmd('brpop', (ctx) => blockingPop(ctx, TAIL)),
  cmd('blmpop', (ctx) => mpop(ctx, 2, true)),
  cmd('brpoplpush', (ctx) => blockingMove(ctx, TAIL, HEAD, 3)),
  cmd('blmove', (ctx) => {
    const from = readWhere(ctx.w, ctx.args[3]!);
    if (from === undefined) return;
    const to = readWhere(ctx.w, ctx.args[4]!);
    if (to === undefined) return;
    return blockingMove(ctx, from, to, 5);
  }),
];

