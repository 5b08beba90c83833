/**
 * The string commands: GET/SET and their variants, counters, ranges, APPEND, LCS.
 *
 * Values are one-byte ("latin1") JS strings. Replies, error texts, the order in which
 * arguments are checked and keyspace notifications follow Valkey 8 (t_string.c).
 */
import { constants as bufferConstants } from 'node:buffer';
import { cmd, Errors } from './define.js';
import type { CommandContext, CommandDef } from './table.js';
import type { Db } from '../engine/db.js';
import type { Engine } from '../engine/engine.js';
import { WRONGTYPE, type Value } from '../engine/types/index.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../engine/notify.js';
import { configOf } from '../engine/config.js';
import {
  addLongDouble,
  formatLongDouble,
  isFiniteLongDouble,
  llToIndex,
  parseLongDouble,
  parseLongLong,
} from './parse.js';

/** The longest JS string V8 can hold (2^29 - 24 on 64-bit): values cannot grow beyond it,
 *  a few bytes short of the default 512 MiB proto-max-bulk-len. Growth past it is refused
 *  like growth past proto-max-bulk-len. */
export const MAX_JS_STRING = bufferConstants.MAX_STRING_LENGTH;

/** proto-max-bulk-len (CONFIG SET-able; 512 MiB by default): the largest string value. */
export function protoMaxBulkLen(engine: Engine): number {
  return configOf(engine).protoMaxBulkLen;
}

/** The largest value this engine can store: proto-max-bulk-len, within V8's string limit. */
export function maxValueLength(engine: Engine): number {
  const limit = configOf(engine).protoMaxBulkLen;
  return limit < MAX_JS_STRING ? limit : MAX_JS_STRING;
}

/** The error for a value that would grow beyond proto-max-bulk-len. */
export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
const ERR_NOT_FLOAT = 'ERR value is not a valid float';
const ERR_NAN_INF = 'ERR increment would produce NaN or Infinity';
const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
const LD_ZERO = parseLongDouble('0')!;

/** "ERR invalid expire time in '<cmd>' command" (addReplyErrorExpireTime). */
export function invalidExpireTime(fullname: string): string {
  return `ERR invalid expire time in '${fullname}' command`;
}

/** checkStringLength: a string growing to size + append bytes must stay within the limit. */
export function stringLengthOk(engine: Engine, size: number, append: number): boolean {
  return size + append <= maxValueLength(engine);
}

/** A run of n zero bytes. */
export function zeros(n: number): string {
  return n <= 0 ? '' : '\0'.repeat(n);
}

function isString(v: Value | undefined): v is string {
  return typeof v === 'string';
}

/**
 * getGenericCommand: replies the value of `key` (null when missing) and returns true, or
 * replies WRONGTYPE and returns false.
 */
function replyGet(ctx: CommandContext, db: Db, key: string): boolean {
  const v = db.get(key);
  if (v === undefined) {
    ctx.w.null();
    return true;
  }
  if (typeof v !== 'string') {
    ctx.w.error(WRONGTYPE);
    return false;
  }
  ctx.w.bulk(v);
  return true;
}

/** checkAlreadyExpired: a (positive) absolute ms time that has passed, outside loading. */
function alreadyExpired(engine: Engine, whenMs: number): boolean {
  return whenMs <= engine.now() && !engine.loading;
}

// ---------------------------------------------------------------------------------------
// SET / GETEX options
// ---------------------------------------------------------------------------------------

const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_KEEPTTL = 8;
const F_PERSIST = 16;
const F_EX = 32;
const F_PX = 64;
const F_EXAT = 128;
const F_PXAT = 256;
const F_IFEQ = 512;
const F_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** Index of the expire argument found by the last parseExtended call (0: none). */
let parsedExpireIndex = 0;
/** Index of the IFEQ comparison value found by the last parseExtended call (0: none). */
let parsedCompareIndex = 0;

function is(arg: string, lower: string): boolean {
  return arg.length === lower.length && (arg === lower || arg.toLowerCase() === lower);
}

/**
 * Parses SET (isSet) or GETEX options from args[start]. Returns the flags, or -1 after
 * replying a syntax error. Rules as Valkey: NX/XX exclude each other; EX, PX, EXAT, PXAT,
 * KEEPTTL (SET) and PERSIST (GETEX) exclude each other (a repeated one is fine, the last
 * value wins); an expire token needs a value after it. SET's IFEQ (Valkey 8.1) takes the
 * comparison value after it and excludes NX, XX and a second IFEQ.
 */
function parseExtended(ctx: CommandContext, start: number, isSet: boolean): number {
  const args = ctx.args;
  let flags = 0;
  parsedExpireIndex = 0;
  parsedCompareIndex = 0;
  for (let j = start; j < args.length; j++) {
    const opt = args[j]!;
    const hasNext = j < args.length - 1;
    if (isSet && is(opt, 'nx') && !(flags & (F_XX | F_IFEQ))) flags |= F_NX;
    else if (isSet && is(opt, 'xx') && !(flags & (F_NX | F_IFEQ))) flags |= F_XX;
    else if (isSet && is(opt, 'ifeq') && hasNext && !(flags & (F_NX | F_XX | F_IFEQ))) {
      flags |= F_IFEQ;
      parsedCompareIndex = ++j;
    } else if (isSet && is(opt, 'get')) flags |= F_GET;
    else if (isSet && is(opt, 'keepttl') && !(flags & (F_PERSIST | F_EXPIRE))) flags |= F_KEEPTTL;
    else if (!isSet && is(opt, 'persist') && !(flags & (F_EXPIRE | F_KEEPTTL))) flags |= F_PERSIST;
    else if (is(opt, 'ex') && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EX;
      parsedExpireIndex = ++j;
    } else if (is(opt, 'px') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) && hasNext) {
      flags |= F_PX;
      parsedExpireIndex = ++j;
    } else if (is(opt, 'exat') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EXAT;
      parsedExpireIndex = ++j;
    } else if (is(opt, 'pxat') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) && hasNext) {
      flags |= F_PXAT;
      parsedExpireIndex = ++j;
    } else {
      ctx.w.error(Errors.syntax);
      return -1;
    }
  }
  return flags;
}

const LLONG_MAX_DIV_1000 = 9223372036854775n;

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms for an EX/PX/EXAT/PXAT value,
 * or undefined after replying the error (not an integer; zero, negative or overflowing:
 * "invalid expire time in '<fullname>' command"). Relative units add the current time.
 */
export function expireMsOrReply(
  ctx: CommandContext,
  arg: string,
  seconds: boolean,
  relative: boolean,
  fullname: string,
): number | undefined {
  const v = parseLongLong(arg);
  if (v === undefined) {
    ctx.w.error(Errors.notInteger);
    return undefined;
  }
  if (v <= 0 || (seconds && v > LLONG_MAX_DIV_1000)) {
    ctx.w.error(invalidExpireTime(fullname));
    return undefined;
  }
  let ms: number;
  if (typeof v === 'number' && v < 2 ** 42) {
    ms = seconds ? v * 1000 : v;
    if (relative) ms += ctx.engine.now();
  } else {
    // 64-bit arithmetic that wraps like the server's on overflow
    let b = BigInt(v);
    if (seconds) b *= 1000n;
    if (relative) b = BigInt.asIntN(64, b + BigInt(ctx.engine.now()));
    if (b <= 0n) {
      ctx.w.error(invalidExpireTime(fullname));
      return undefined;
    }
    ms = Number(b);
  }
  return ms;
}

/**
 * setGenericCommand: SET and its variants. `expireArg` is the expire value (undefined for
 * none). okOne selects SETNX's integer replies instead of +OK / null. With IFEQ (`comparison`)
 * the key is set only when it holds a string equal to `comparison`: a missing key or another
 * value aborts (null, or nothing more after GET's reply), a non-string key is WRONGTYPE.
 */
function setGeneric(
  ctx: CommandContext,
  flags: number,
  key: string,
  value: string,
  expireArg: string | undefined,
  fullname: string,
  okOne = false,
  comparison?: string,
): void {
  const { engine, w } = ctx;
  // Read before anything can run a nested SET (keyspace notifications reach modules).
  const compareIndex = comparison !== undefined ? parsedCompareIndex : 0;
  let ms = 0;
  if (expireArg !== undefined) {
    const r = expireMsOrReply(ctx, expireArg, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, fullname);
    if (r === undefined) return;
    ms = r;
  }
  const db = engine.db(ctx.client);
  const get = (flags & F_GET) !== 0;
  if (get && !replyGet(ctx, db, key)) return;
  const existing = db.getForWrite(key);
  const found = existing !== undefined;
  if (flags & F_IFEQ) {
    // After GET a non-string key already failed; a mismatch only withholds the write.
    if (found && !get && typeof existing !== 'string') return w.error(WRONGTYPE);
    if (!found || existing !== comparison) {
      if (!get) w.null();
      return;
    }
  }
  if (((flags & F_NX) && found) || ((flags & F_XX) && !found)) {
    if (!get) {
      if (okOne) w.integer(0);
      else w.null();
    }
    return;
  }
  if (expireArg !== undefined && alreadyExpired(engine, ms)) {
    // Setting a key that is already expired: only the old key's deletion remains.
    if (found) {
      db.delete(key);
      engine.dirty++;
      engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
    }
    if (!get) w.simple('OK');
    return;
  }
  db.set(key, value, (flags & F_KEEPTTL) !== 0 || expireArg !== undefined);
  if (expireArg !== undefined) db.setExpire(key, ms);
  engine.dirty++;
  engine.notify(NOTIFY_STRING, 'set', key, db.id);
  if (expireArg !== undefined) engine.notify(NOTIFY_GENERIC, 'expire', key, db.id);
  if (!get) {
    if (okOne) w.integer(1);
    else w.simple('OK');
  }
  if (expireArg !== undefined && !(flags & F_PXAT)) {
    // Propagated as SET key value PXAT <absolute ms> (also drops GET, NX/XX and IFEQ).
    engine.propagation.rewrite(['SET', key, value, 'PXAT', String(ms)]);
  } else if ((get || comparison !== undefined) && expireArg === undefined) {
    // Propagated without its GET tokens (the IFEQ comparison value is kept even if it
    // reads "get"); given explicitly so that a comparison value reading like an expiry
    // token is never taken for one.
    engine.propagation.rewrite(ctx.args.filter((a, i) => i < 3 || i === compareIndex || !is(a, 'get')));
  }
}

function setCommand(ctx: CommandContext): void {
  const flags = parseExtended(ctx, 3, true);
  if (flags < 0) return;
  const args = ctx.args;
  const expireArg = parsedExpireIndex ? args[parsedExpireIndex] : undefined;
  const comparison = parsedCompareIndex ? args[parsedCompareIndex] : undefined;
  setGeneric(ctx, flags, args[1]!, args[2]!, expireArg, 'set', false, comparison);
}

function getexCommand(ctx: CommandContext): void {
  const flags = parseExtended(ctx, 2, false);
  if (flags < 0) return;
  const expireIndex = parsedExpireIndex;
  const { engine, w, args } = ctx;
  const key = args[1]!;
  const db = engine.db(ctx.client);
  const v = db.get(key);
  if (v === undefined) return w.null();
  if (typeof v !== 'string') return w.error(WRONGTYPE);
  let ms = 0;
  if (expireIndex) {
    const r = expireMsOrReply(ctx, args[expireIndex]!, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, 'getex');
    if (r === undefined) return;
    ms = r;
  }
  w.bulk(v);
  if ((flags & (F_EXAT | F_PXAT)) && alreadyExpired(engine, ms)) {
    db.delete(key);
    engine.dirty++;
    engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
  } else if (expireIndex) {
    db.setExpire(key, ms);
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_GENERIC, 'expire', key, db.id);
    engine.dirty++;
  } else if (flags & F_PERSIST) {
    if (db.persist(key)) {
      engine.keyModified(db.id, key);
      engine.notify(NOTIFY_GENERIC, 'persist', key, db.id);
      engine.dirty++;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------------------

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** incrDecrCommand: adds `incr` to the integer at key (0 when missing). */
function incrDecr(ctx: CommandContext, incr: number | bigint): void {
  const { engine, w } = ctx;
  const key = ctx.args[1]!;
  const db = engine.db(ctx.client);
  const o = db.getForWrite(key);
  if (o !== undefined && typeof o !== 'string') return w.error(WRONGTYPE);
  const cur = o === undefined ? 0 : parseLongLong(o);
  if (cur === undefined) return w.error(Errors.notInteger);
  let result: number | bigint;
  if (typeof cur === 'number' && typeof incr === 'number' && Number.isSafeInteger(cur + incr)) {
    result = cur + incr;
  } else {
    const b = BigInt(cur) + BigInt(incr);
    if (b > INT64_MAX || b < INT64_MIN) return w.error(ERR_OVERFLOW);
    result = b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  }
  const text = typeof result === 'number' ? String(result) : result.toString();
  if (o === undefined) db.add(key, text);
  else db.replace(key, text);
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_STRING, 'incrby', key, db.id);
  engine.dirty++;
  w.integer(result);
}

function incrbyfloatCommand(ctx: CommandContext): void {
  const { engine, w } = ctx;
  const key = ctx.args[1]!;
  const db = engine.db(ctx.client);
  const o = db.getForWrite(key);
  if (o !== undefined && typeof o !== 'string') return w.error(WRONGTYPE);
  const cur = o === undefined ? LD_ZERO : parseLongDouble(o);
  if (cur === undefined) return w.error(ERR_NOT_FLOAT);
  const incr = parseLongDouble(ctx.args[2]!);
  if (incr === undefined) return w.error(ERR_NOT_FLOAT);
  const sum = addLongDouble(cur, incr);
  if (!isFiniteLongDouble(sum)) return w.error(ERR_NAN_INF);
  const text = formatLongDouble(sum);
  if (o === undefined) db.add(key, text);
  else db.replace(key, text);
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_STRING, 'incrbyfloat', key, db.id);
  engine.dirty++;
  w.bulk(text);
}

// ---------------------------------------------------------------------------------------
// Ranges, APPEND, STRLEN
// ---------------------------------------------------------------------------------------

function getrangeCommand(ctx: CommandContext): void {
  const { args, w } = ctx;
  const s0 = parseLongLong(args[2]!);
  if (s0 === undefined) return w.error(Errors.notInteger);
  const e0 = parseLongLong(args[3]!);
  if (e0 === undefined) return w.error(Errors.notInteger);
  const v = ctx.engine.db(ctx.client).get(args[1]!);
  if (v === undefined) return w.bulk('');
  if (typeof v !== 'string') return w.error(WRONGTYPE);
  if (s0 < 0 && e0 < 0 && s0 > e0) return w.bulk('');
  const len = v.length;
  let start = llToIndex(s0);
  let end = llToIndex(e0);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return w.bulk('');
  w.bulk(v.slice(start, end + 1));
}

function setrangeCommand(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const key = args[1]!;
  const value = args[3]!;
  const off = parseLongLong(args[2]!);
  if (off === undefined) return w.error(Errors.notInteger);
  if (off < 0) return w.error('ERR offset is out of range');
  const db = engine.db(ctx.client);
  const o = db.getForWrite(key);
  const offset = llToIndex(off);
  let next: string;
  if (o === undefined) {
    if (value.length === 0) return w.integer(0);
    if (!stringLengthOk(engine, offset, value.length)) return w.error(ERR_STRING_TOO_LONG);
    next = zeros(offset) + value;
    db.add(key, next);
  } else {
    if (typeof o !== 'string') return w.error(WRONGTYPE);
    if (value.length === 0) return w.integer(o.length);
    if (!stringLengthOk(engine, offset, value.length)) return w.error(ERR_STRING_TOO_LONG);
    const end = offset + value.length;
    if (offset >= o.length) next = o + zeros(offset - o.length) + value;
    else next = o.slice(0, offset) + value + (end < o.length ? o.slice(end) : '');
    db.replace(key, next);
  }
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_STRING, 'setrange', key, db.id);
  engine.dirty++;
  w.integer(next.length);
}

function appendCommand(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const key = args[1]!;
  const value = args[2]!;
  const db = engine.db(ctx.client);
  const o = db.getForWrite(key);
  let len: number;
  if (o === undefined) {
    db.add(key, value);
    len = value.length;
  } else {
    if (typeof o !== 'string') return w.error(WRONGTYPE);
    if (!stringLengthOk(engine, o.length, value.length)) return w.error(ERR_STRING_TOO_LONG);
    const next = o + value;
    db.replace(key, next);
    len = next.length;
  }
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_STRING, 'append', key, db.id);
  engine.dirty++;
  w.integer(len);
}

// ---------------------------------------------------------------------------------------
// MGET / MSET
// ---------------------------------------------------------------------------------------

function msetGeneric(ctx: CommandContext, nx: boolean): void {
  const { engine, args, w } = ctx;
  if (args.length % 2 === 0) return w.error(Errors.wrongArity(nx ? 'msetnx' : 'mset'));
  const db = engine.db(ctx.client);
  if (nx) {
    for (let j = 1; j < args.length; j += 2) {
      if (db.getForWrite(args[j]!) !== undefined) return w.integer(0);
    }
  }
  for (let j = 1; j < args.length; j += 2) {
    db.set(args[j]!, args[j + 1]!);
    engine.notify(NOTIFY_STRING, 'set', args[j]!, db.id);
  }
  engine.dirty += (args.length - 1) / 2;
  if (nx) w.integer(1);
  else w.simple('OK');
}

// ---------------------------------------------------------------------------------------
// LCS
// ---------------------------------------------------------------------------------------

function lcsCommand(ctx: CommandContext): void {
  const { args, w } = ctx;
  const db = ctx.engine.db(ctx.client);
  const oa = db.get(args[1]!);
  const ob = db.get(args[2]!);
  if ((oa !== undefined && !isString(oa)) || (ob !== undefined && !isString(ob))) {
    return w.error('ERR The specified keys must contain string values');
  }
  const a = oa ?? '';
  const b = ob ?? '';
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen = 0;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j]!;
    const more = args.length - 1 - j;
    if (is(opt, 'idx')) getidx = true;
    else if (is(opt, 'len')) getlen = true;
    else if (is(opt, 'withmatchlen')) withmatchlen = true;
    else if (is(opt, 'minmatchlen') && more > 0) {
      const v = parseLongLong(args[j + 1]!);
      if (v === undefined) return w.error(Errors.notInteger);
      minmatchlen = v < 0 ? 0 : llToIndex(v);
      j++;
    } else return w.error(Errors.syntax);
  }
  if (getlen && getidx) return w.error('ERR If you want both the length and indexes, please just use IDX.');
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > protoMaxBulkLen(ctx.engine)) {
    return w.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    return w.error('ERR Insufficient memory, failed allocating transient memory for LCS');
  }
  // table[i * (blen + 1) + j]: LCS length of a[0..i) and b[0..j)
  const row = blen + 1;
  const bb = Buffer.from(b, 'latin1');
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const base = i * row;
    const prev = base - row;
    for (let j = 1; j <= blen; j++) {
      if (ca === bb[j - 1]) table[base + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[base + j - 1]!;
        table[base + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * row + blen]!;
  if (getlen) return w.integer(total);
  // Walk back from the end, collecting the LCS bytes and (for IDX) the matching ranges.
  const out: number[] = getidx ? [] : new Array<number>(total);
  const ranges: number[] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen; // alen: no range open
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      if (!getidx) out[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * row + j]! > table[i * row + j - 1]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minmatchlen === 0 || matchLen >= minmatchlen) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      aStart = alen;
    }
  }
  if (!getidx) {
    let s = '';
    for (let k = 0; k < out.length; k += 8192) s += String.fromCharCode(...out.slice(k, k + 8192));
    return w.bulk(s);
  }
  w.map(2);
  w.bulk('matches');
  const n = ranges.length / 5;
  w.array(n);
  for (let k = 0; k < ranges.length; k += 5) {
    w.array(withmatchlen ? 3 : 2);
    w.array(2);
    w.integer(ranges[k]!);
    w.integer(ranges[k + 1]!);
    w.array(2);
    w.integer(ranges[k + 2]!);
    w.integer(ranges[k + 3]!);
    if (withmatchlen) w.integer(ranges[k + 4]!);
  }
  w.bulk('len');
  w.integer(total);
}

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

/** The string family's command definitions (registered by commands/index.ts). */
export const stringCommands: CommandDef[] = [
  cmd('get', (ctx) => {
    replyGet(ctx, ctx.engine.db(ctx.client), ctx.args[1]!);
  }),
  cmd('getdel', (ctx) => {
    const { engine } = ctx;
    const key = ctx.args[1]!;
    const db = engine.db(ctx.client);
    if (!replyGet(ctx, db, key)) return;
    if (db.delete(key)) {
      engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
      engine.dirty++;
    }
  }),
  cmd('getex', getexCommand),
  cmd('getset', (ctx) => {
    const { engine, args } = ctx;
    const db = engine.db(ctx.client);
    if (!replyGet(ctx, db, args[1]!)) return;
    db.set(args[1]!, args[2]!);
    engine.notify(NOTIFY_STRING, 'set', args[1]!, db.id);
    engine.dirty++;
  }),
  cmd('set', setCommand),
  cmd('setnx', (ctx) => setGeneric(ctx, F_NX, ctx.args[1]!, ctx.args[2]!, undefined, 'setnx', true)),
  cmd('setex', (ctx) => setGeneric(ctx, F_EX, ctx.args[1]!, ctx.args[3]!, ctx.args[2]!, 'setex')),
  cmd('psetex', (ctx) => setGeneric(ctx, F_PX, ctx.args[1]!, ctx.args[3]!, ctx.args[2]!, 'psetex')),
  cmd('mget', (ctx) => {
    const { args, w } = ctx;
    const db = ctx.engine.db(ctx.client);
    w.array(args.length - 1);
    for (let j = 1; j < args.length; j++) {
      const v = db.get(args[j]!);
      if (typeof v === 'string') w.bulk(v);
      else w.null();
    }
  }),
  cmd('mset', (ctx) => msetGeneric(ctx, false)),
  cmd('msetnx', (ctx) => msetGeneric(ctx, true)),
  cmd('incr', (ctx) => incrDecr(ctx, 1)),
  cmd('decr', (ctx) => incrDecr(ctx, -1)),
  cmd('incrby', (ctx) => {
    const incr = parseLongLong(ctx.args[2]!);
    if (incr === undefined) return ctx.w.error(Errors.notInteger);
    incrDecr(ctx, incr);
  }),
  cmd('decrby', (ctx) => {
    const incr = parseLongLong(ctx.args[2]!);
    if (incr === undefined) return ctx.w.error(Errors.notInteger);
    if (incr === INT64_MIN) return ctx.w.error('ERR decrement would overflow');
    incrDecr(ctx, typeof incr === 'number' ? -incr : -incr);
  }),
  cmd('incrbyfloat', incrbyfloatCommand),
  cmd('append', appendCommand),
  cmd('strlen', (ctx) => {
    const v = ctx.engine.db(ctx.client).get(ctx.args[1]!);
    if (v === undefined) return ctx.w.integer(0);
    if (typeof v !== 'string') return ctx.w.error(WRONGTYPE);
    ctx.w.integer(v.length);
  }),
  cmd('getrange', getrangeCommand),
  cmd('substr', getrangeCommand),
  cmd('setrange', setrangeCommand),
  cmd('lcs', lcsCommand),
];
