/**
 * Sorted set commands: ZADD, ZINCRBY, ZREM, the ZRANGE family (rank, score and lex ranges,
 * REV, LIMIT, WITHSCORES, ZRANGESTORE), counts, ranks, scores, pops (ZPOPMIN/ZPOPMAX/ZMPOP),
 * ZRANDMEMBER, ZSCAN, and the set algebra (ZUNION/ZINTER/ZDIFF[STORE], ZINTERCARD) that also
 * accepts plain sets as inputs with score 1. Blocking variants (BZ*) live elsewhere.
 *
 * Semantics, error texts, reply shapes (RESP2 flat member/score lists, RESP3 [member, score]
 * pairs) and keyspace events follow Valkey 8.
 */
import type { CommandDef, CommandContext } from './table.js';
import { cmd, Errors, parseInteger } from './define.js';
import { ZSetValue, SetValue, WRONGTYPE, type Value } from '../engine/types/index.js';
import {
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
  type ZNode,
} from '../engine/types/zset.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../engine/notify.js';
import { formatDouble } from '../protocol/resp-writer.js';
import { globMatch } from '../engine/glob.js';
import { configOf } from '../engine/config.js';
import { parseULongLong } from './parse.js';
import type { Engine } from '../engine/engine.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { Db } from '../engine/db.js';
import { keysThenTimeout, propagateServed, readTimeout, serveOrBlock } from '../engine/blocking.js';

const E_NOT_FLOAT = 'ERR value is not a valid float';
const E_RANGE_FLOAT = 'ERR min or max is not a float';
const E_RANGE_LEX = 'ERR min or max not valid string range item';
const E_NAN = 'ERR resulting score is not a number (NaN)';
const E_POSITIVE = 'ERR value is out of range, must be positive';

// ---------------------------------------------------------------------------------------
// Number parsing and formatting
// ---------------------------------------------------------------------------------------

/** End offset of the last strtod() call (the offset where parsing stopped). */
let strtodEnd = 0;
/** Whether the last strtod() call over- or underflowed (errno ERANGE). */
let strtodRange = false;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function matchesWord(s: string, i: number, word: string): boolean {
  if (i + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) if ((s.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * C strtod() over s[from..]: skips leading white space, reads a decimal or hexadecimal
 * floating constant, inf/infinity or nan[(...)]. Sets strtodEnd to where it stopped
 * (`from` when nothing was converted) and strtodRange on overflow or underflow to zero.
 * Returns the value (correctly rounded, as glibc).
 */
function strtod(s: string, from: number): number {
  const n = s.length;
  let i = from;
  strtodRange = false;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i++;
  }
  if (matchesWord(s, i, 'inf')) {
    i += 3;
    if (matchesWord(s, i, 'inity')) i += 5;
    strtodEnd = i;
    return neg ? -Infinity : Infinity;
  }
  if (matchesWord(s, i, 'nan')) {
    i += 3;
    if (s.charCodeAt(i) === 40) {
      let k = i + 1;
      for (; k < n; k++) {
        const ch = s.charCodeAt(k) | 32;
        if (!(isDigit(s.charCodeAt(k)) || (ch >= 97 && ch <= 122) || s.charCodeAt(k) === 95)) break;
      }
      if (s.charCodeAt(k) === 41) i = k + 1;
    }
    strtodEnd = i;
    return NaN;
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 32) === 120) {
    const v = hexFloat(s, i + 2, neg);
    if (v !== undefined) return v;
    // "0x" without hex digits: just the 0.
    strtodEnd = i + 1;
    return neg ? -0 : 0;
  }
  const start = i;
  let digits = 0;
  let nonzero = false;
  while (i < n && isDigit((c = s.charCodeAt(i)))) {
    if (c !== 48) nonzero = true;
    digits++;
    i++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit((c = s.charCodeAt(i)))) {
      if (c !== 48) nonzero = true;
      digits++;
      i++;
    }
  }
  if (digits === 0) {
    strtodEnd = from;
    return 0;
  }
  let end = i;
  if ((s.charCodeAt(i) | 32) === 101) {
    let k = i + 1;
    const sc = s.charCodeAt(k);
    if (sc === 43 || sc === 45) k++;
    if (isDigit(s.charCodeAt(k))) {
      while (k < n && isDigit(s.charCodeAt(k))) k++;
      end = k;
    }
  }
  strtodEnd = end;
  let v = Number(s.slice(start, end));
  if (v === Infinity || (v === 0 && nonzero)) strtodRange = true;
  return neg ? -v : v;
}

/** Hex floating constant after "0x" at s[i..]; undefined when no hex digit follows. */
function hexFloat(s: string, i: number, neg: boolean): number | undefined {
  const n = s.length;
  let mant = 0n;
  let digits = 0;
  let fracDigits = 0;
  let nonzero = false;
  let h: number;
  while (i < n && (h = hexVal(s.charCodeAt(i))) >= 0) {
    mant = (mant << 4n) | BigInt(h);
    if (h) nonzero = true;
    digits++;
    i++;
  }
  if (s.charCodeAt(i) === 46) {
    let k = i + 1;
    while (k < n && (h = hexVal(s.charCodeAt(k))) >= 0) {
      mant = (mant << 4n) | BigInt(h);
      if (h) nonzero = true;
      digits++;
      fracDigits++;
      k++;
    }
    if (digits > 0) i = k;
  }
  if (digits === 0) return undefined;
  let exp = -4 * fracDigits;
  if ((s.charCodeAt(i) | 32) === 112) {
    let k = i + 1;
    let eneg = false;
    const sc = s.charCodeAt(k);
    if (sc === 43 || sc === 45) {
      eneg = sc === 45;
      k++;
    }
    if (isDigit(s.charCodeAt(k))) {
      let e = 0;
      while (k < n && isDigit(s.charCodeAt(k))) {
        if (e < 1e6) e = e * 10 + (s.charCodeAt(k) - 48);
        k++;
      }
      exp += eneg ? -e : e;
      i = k;
    }
  }
  strtodEnd = i;
  strtodRange = false;
  let v: number;
  if (!nonzero) v = 0;
  else {
    // Scale the mantissa to 64 significant bits, then round once to a double.
    const bits = mant.toString(2).length;
    if (bits > 64) {
      const shift = BigInt(bits - 64);
      const sticky = (mant & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
      mant = (mant >> shift) | sticky;
      exp += bits - 64;
    }
    v = Number(mant) * 2 ** exp;
    if (!Number.isFinite(v) && exp > 0) v = Infinity;
    if (v === Infinity || v === 0) strtodRange = true;
  }
  return neg ? -v : v;
}

/** getDoubleFromObject: the whole argument must be a number (no leading space, no NaN,
 *  no overflow or underflow to zero); undefined otherwise. */
export function parseScore(s: string): number | undefined {
  if (s.length === 0 || isSpace(s.charCodeAt(0))) return undefined;
  const v = strtod(s, 0);
  if (strtodEnd !== s.length || Number.isNaN(v)) return undefined;
  if (strtodRange && (v === Infinity || v === -Infinity || v === 0)) return undefined;
  return v;
}

/** One bound of a score range ("(" prefix: exclusive); false when invalid. */
function parseScoreBound(s: string, max: boolean, r: ScoreRange): boolean {
  let from = 0;
  let ex = false;
  if (s.charCodeAt(0) === 40) {
    from = 1;
    ex = true;
  }
  const v = strtod(s, from);
  // The C string ends at the first NUL byte.
  if ((strtodEnd !== s.length && s.charCodeAt(strtodEnd) !== 0) || Number.isNaN(v)) return false;
  if (max) {
    r.max = v;
    r.maxex = ex;
  } else {
    r.min = v;
    r.minex = ex;
  }
  return true;
}

/** Parses ZRANGEBYSCORE-style min and max; undefined when either is not a float. */
export function parseScoreRange(min: string, max: string): ScoreRange | undefined {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  if (!parseScoreBound(min, false, r) || !parseScoreBound(max, true, r)) return undefined;
  return r;
}

/** One bound of a lex range: "-", "+", "(x" or "[x"; false when invalid. */
function parseLexBound(s: string, max: boolean, r: LexRange): boolean {
  const c = s.charCodeAt(0);
  let kind: -1 | 0 | 1 = 0;
  let ex: boolean;
  let v = '';
  if (c === 43 || c === 45) {
    if (s.length > 1 && s.charCodeAt(1) !== 0) return false;
    kind = c === 43 ? 1 : -1;
    ex = true;
  } else if (c === 40 || c === 91) {
    ex = c === 40;
    v = s.slice(1);
  } else return false;
  if (max) {
    r.max = v;
    r.maxKind = kind;
    r.maxex = ex;
  } else {
    r.min = v;
    r.minKind = kind;
    r.minex = ex;
  }
  return true;
}

/** Parses ZRANGEBYLEX-style min and max; undefined when either is invalid. */
export function parseLexRange(min: string, max: string): LexRange | undefined {
  const r: LexRange = { min: '', max: '', minKind: 0, maxKind: 0, minex: false, maxex: false };
  if (!parseLexBound(min, false, r) || !parseLexBound(max, true, r)) return undefined;
  return r;
}

/**
 * printf("%.17g") of a double (glibc: exact value, ties to even), which Valkey uses for the
 * scores ZSCAN returns from a skiplist-encoded set.
 */
export function format17g(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const neg = d < 0;
  const a = neg ? -d : d;
  const t = a.toExponential(100);
  const ePos = t.indexOf('e');
  let exp = Number(t.slice(ePos + 1));
  const all = t[0]! + t.slice(2, ePos);
  const digits: number[] = [];
  for (let i = 0; i < 17; i++) digits.push(all.charCodeAt(i) - 48);
  const r = all.charCodeAt(17) - 48;
  let up = r > 5;
  if (r === 5) {
    let rest = false;
    for (let i = 18; i < all.length; i++) {
      if (all.charCodeAt(i) !== 48) {
        rest = true;
        break;
      }
    }
    up = rest || (digits[16]! & 1) === 1;
  }
  if (up) {
    let i = 16;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i < 0) {
      digits.unshift(1);
      digits.pop();
      exp++;
    } else digits[i]!++;
  }
  let last = 16;
  while (last > 0 && digits[last] === 0) last--;
  let out: string;
  if (exp < -4 || exp >= 17) {
    out = String(digits[0]);
    if (last > 0) {
      out += '.';
      for (let i = 1; i <= last; i++) out += digits[i];
    }
    const ae = Math.abs(exp);
    out += (exp < 0 ? 'e-' : 'e+') + (ae < 10 ? '0' : '') + ae;
  } else if (exp >= 0) {
    out = '';
    for (let i = 0; i <= Math.max(exp, last); i++) {
      if (i === exp + 1) out += '.';
      out += digits[i];
    }
  } else {
    out = '0.';
    for (let i = 0; i < -exp - 1; i++) out += '0';
    for (let i = 0; i <= last; i++) out += digits[i];
  }
  return neg ? '-' + out : out;
}

/** Applies the engine's zset-max-listpack-entries/value to the value type (before any
 *  command that creates or grows a sorted set). */
function syncLimits(engine: Engine): void {
  const cfg = configOf(engine);
  ZSetValue.maxListpackEntries = cfg.zsetMaxListpackEntries;
  ZSetValue.maxListpackValue = cfg.zsetMaxListpackValue;
}

/** Parses a C long (string2l rules); undefined when not an integer in range. */
function parseLong(s: string): number | undefined {
  return parseInteger(s);
}

// ---------------------------------------------------------------------------------------
// Lookups and replies
// ---------------------------------------------------------------------------------------

/** Reads a key for reading: the zset, undefined when missing, or null after replying
 *  WRONGTYPE. */
function readZset(ctx: CommandContext, db: Db, key: string): ZSetValue | undefined | null {
  const v = db.get(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ZSetValue)) {
    ctx.w.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** As readZset, for writing (no hit/miss statistics). */
function writeZset(ctx: CommandContext, db: Db, key: string): ZSetValue | undefined | null {
  const v = db.getForWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ZSetValue)) {
    ctx.w.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** Writes one member (RESP3 with scores: a [member, score] pair). */
function writeEntry(w: ReplyWriter, member: string, score: number, withscores: boolean): void {
  if (withscores) {
    if (w.proto === 3) w.array(2);
    w.bulk(member);
    w.double(score);
  } else w.bulk(member);
}

/** Writes the array header for n members (RESP2 with scores: 2n flat items). */
function writeHeader(w: ReplyWriter, n: number, withscores: boolean): void {
  w.array(withscores && w.proto === 2 ? n * 2 : n);
}

/** After removing members: deletes the key when empty (firing 'del'), else signals it. */
function afterRemoval(ctx: CommandContext, db: Db, key: string, zs: ZSetValue, event: string): void {
  const { engine } = ctx;
  engine.notify(NOTIFY_ZSET, event, key, db.id);
  if (zs.size === 0) {
    db.delete(key);
    engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
  } else engine.keyModified(db.id, key);
}

// ---------------------------------------------------------------------------------------
// ZADD / ZINCRBY
// ---------------------------------------------------------------------------------------

function zaddGeneric(ctx: CommandContext, incrCmd: boolean): void {
  const { args, w, engine } = ctx;
  const argc = args.length;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = incrCmd;
  let idx = 2;
  for (; idx < argc; idx++) {
    const o = args[idx]!.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  let elements = argc - idx;
  if (elements % 2 !== 0 || elements === 0) return w.error(Errors.syntax);
  elements /= 2;
  if (nx && xx) return w.error('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return w.error('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && elements > 1) return w.error('ERR INCR option supports a single increment-element pair');
  let maxLen = 0;
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const sc = parseScore(args[idx + j * 2]!);
    if (sc === undefined) return w.error(E_NOT_FLOAT);
    scores.push(sc);
    const len = args[idx + 1 + j * 2]!.length;
    if (len > maxLen) maxLen = len;
  }
  const db = engine.db(ctx.client);
  const key = args[1]!;
  let zs = writeZset(ctx, db, key);
  if (zs === null) return;
  syncLimits(engine);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let nan = false;
  if (zs === undefined) {
    if (xx) return incr ? w.null() : w.integer(0);
    zs = ZSetValue.create(elements, maxLen);
    db.add(key, zs);
  } else zs.maybeConvert(elements, maxLen);
  for (let j = 0; j < elements; j++) {
    let s = scores[j]!;
    const member = args[idx + 1 + j * 2]!;
    const cur = zs.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        s += cur;
        if (Number.isNaN(s)) {
          nan = true;
          break;
        }
      }
      if ((lt && s >= cur) || (gt && s <= cur)) continue;
      score = s;
      if (s !== cur) {
        zs.update(member, s);
        updated++;
      }
      processed++;
    } else if (!xx) {
      zs.add(member, s);
      score = s;
      added++;
      processed++;
    }
  }
  if (!nan) engine.dirty += added + updated;
  if (added || updated) {
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key, db.id);
  }
  if (nan) return w.error(E_NAN);
  if (incr) return processed ? w.double(score) : w.null();
  w.integer(ch ? added + updated : added);
}

// ---------------------------------------------------------------------------------------
// ZREM and ZREMRANGEBY*
// ---------------------------------------------------------------------------------------

function zrem(ctx: CommandContext): void {
  const { args, w, engine } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const zs = writeZset(ctx, db, key);
  if (zs === null) return;
  if (zs === undefined) return w.integer(0);
  let deleted = 0;
  for (let j = 2; j < args.length; j++) {
    if (zs.remove(args[j]!)) deleted++;
    if (zs.size === 0) break;
  }
  if (deleted) {
    afterRemoval(ctx, db, key, zs, 'zrem');
    engine.dirty += deleted;
  }
  w.integer(deleted);
}

function zremrange(ctx: CommandContext, type: 'rank' | 'score' | 'lex'): void {
  const { args, w, engine } = ctx;
  let start = 0;
  let end = 0;
  let range: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (type === 'rank') {
    const a = parseLong(args[2]!);
    const b = a === undefined ? undefined : parseLong(args[3]!);
    if (a === undefined || b === undefined) return w.error(Errors.notInteger);
    start = a;
    end = b;
  } else if (type === 'score') {
    range = parseScoreRange(args[2]!, args[3]!);
    if (!range) return w.error(E_RANGE_FLOAT);
  } else {
    lex = parseLexRange(args[2]!, args[3]!);
    if (!lex) return w.error(E_RANGE_LEX);
  }
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const zs = writeZset(ctx, db, key);
  if (zs === null) return;
  if (zs === undefined) return w.integer(0);
  let deleted: number;
  if (type === 'rank') {
    const llen = zs.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return w.integer(0);
    if (end >= llen) end = llen - 1;
    deleted = zs.removeRangeByRank(start + 1, end + 1);
  } else if (type === 'score') deleted = zs.removeRangeByScore(range!);
  else deleted = zs.removeRangeByLex(lex!);
  if (deleted) {
    afterRemoval(ctx, db, key, zs, `zremrangeby${type}`);
    engine.dirty += deleted;
  }
  w.integer(deleted);
}

// ---------------------------------------------------------------------------------------
// ZRANGE family
// ---------------------------------------------------------------------------------------

const RANK = 1;
const SCORE = 2;
const LEX = 3;
const FORWARD = 1;
const REVERSE = 2;

/** Nodes of the current range reply (reused; commands never nest). */
const OUT: ZNode[] = [];

/**
 * ZRANGE, ZRANGESTORE and the older Z[REV]RANGE[BYSCORE|BYLEX] forms: `at` is the index
 * of the source key; `type`/`dir` 0 mean "from the options".
 */
function zrangeGeneric(ctx: CommandContext, at: number, store: boolean, type: number, dir: number): void {
  const { args, w, engine } = ctx;
  const argc = args.length;
  let minIdx = at + 1;
  let maxIdx = at + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = at + 3; j < argc; j++) {
    const o = args[j]!.toLowerCase();
    const left = argc - j - 1;
    if (!store && o === 'withscores') withscores = true;
    else if (o === 'limit' && left >= 2) {
      const a = parseLong(args[j + 1]!);
      const b = a === undefined ? undefined : parseLong(args[j + 2]!);
      if (a === undefined || b === undefined) return w.error(Errors.notInteger);
      offset = a;
      limit = b;
      j += 2;
    } else if (dir === 0 && o === 'rev') dir = REVERSE;
    else if (type === 0 && o === 'bylex') type = LEX;
    else if (type === 0 && o === 'byscore') type = SCORE;
    else return w.error(Errors.syntax);
  }
  if (dir === 0) dir = FORWARD;
  if (type === 0) type = RANK;
  if (limit !== -1 && type === RANK) {
    return w.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withscores && type === LEX) {
    return w.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const rev = dir === REVERSE;
  if (rev && type !== RANK) {
    minIdx = at + 2;
    maxIdx = at + 1;
  }
  let start = 0;
  let end = 0;
  let range: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (type === RANK) {
    const a = parseLong(args[minIdx]!);
    const b = a === undefined ? undefined : parseLong(args[maxIdx]!);
    if (a === undefined || b === undefined) return w.error(Errors.notInteger);
    start = a;
    end = b;
  } else if (type === SCORE) {
    range = parseScoreRange(args[minIdx]!, args[maxIdx]!);
    if (!range) return w.error(E_RANGE_FLOAT);
  } else {
    lex = parseLexRange(args[minIdx]!, args[maxIdx]!);
    if (!lex) return w.error(E_RANGE_LEX);
  }
  const db = engine.db(ctx.client);
  const zs = readZset(ctx, db, args[at]!);
  if (zs === null) return;
  OUT.length = 0;
  if (zs !== undefined) {
    if (type === RANK) collectByRank(zs, start, end, rev);
    else if (type === SCORE) collectByScore(zs, range!, offset, limit, rev);
    else collectByLex(zs, lex!, offset, limit, rev);
  }
  if (store) {
    syncLimits(engine);
    storeRange(ctx, db, args[1]!, type === RANK, rev);
  } else {
    const n = OUT.length;
    writeHeader(w, n, withscores);
    for (let i = 0; i < n; i++) {
      const node = OUT[i]!;
      writeEntry(w, node.member, node.score, withscores);
    }
  }
  OUT.length = 0;
}

function collectByRank(zs: ZSetValue, start: number, end: number, rev: boolean): void {
  const llen = zs.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return;
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  let node = rev ? zs.byRank(llen - start) : zs.byRank(start + 1);
  while (n-- > 0 && node !== null) {
    OUT.push(node);
    node = rev ? node.prev : node.next[0]!;
  }
}

function collectByScore(zs: ZSetValue, r: ScoreRange, offset: number, limit: number, rev: boolean): void {
  if (offset < 0) return;
  if (!rev) {
    let node = zs.firstInRange(r);
    if (node !== null && offset > 0) node = zs.byRank(zs.lastRank + offset);
    while (node !== null && limit !== 0) {
      if (!scoreLteMax(node.score, r)) break;
      OUT.push(node);
      limit--;
      node = node.next[0]!;
    }
  } else {
    let node = zs.lastInRange(r);
    if (node !== null && offset > 0) node = zs.byRank(zs.lastRank - offset);
    while (node !== null && limit !== 0) {
      if (!scoreGteMin(node.score, r)) break;
      OUT.push(node);
      limit--;
      node = node.prev;
    }
  }
}

function collectByLex(zs: ZSetValue, r: LexRange, offset: number, limit: number, rev: boolean): void {
  if (offset < 0) return;
  if (!rev) {
    let node = zs.firstInLex(r);
    if (node !== null && offset > 0) node = zs.byRank(zs.lastRank + offset);
    while (node !== null && limit !== 0) {
      if (!lexLteMax(node.member, r)) break;
      OUT.push(node);
      limit--;
      node = node.next[0]!;
    }
  } else {
    let node = zs.lastInLex(r);
    if (node !== null && offset > 0) node = zs.byRank(zs.lastRank - offset);
    while (node !== null && limit !== 0) {
      if (!lexGteMin(node.member, r)) break;
      OUT.push(node);
      limit--;
      node = node.prev;
    }
  }
}

/** ZRANGESTORE's destination: the collected nodes become a new set (or the key goes). */
function storeRange(ctx: CommandContext, db: Db, dst: string, byRank: boolean, rev: boolean): void {
  const { w, engine } = ctx;
  const n = OUT.length;
  if (n === 0) {
    if (db.delete(dst)) {
      engine.notify(NOTIFY_GENERIC, 'del', dst, db.id);
      engine.dirty++;
    }
    return w.integer(0);
  }
  // Valkey adds the elements one by one in reply order to a set that starts as a listpack
  // (unless a rank range is known to be too long) and converts when it outgrows it; a
  // score of -0 added while it is a listpack becomes 0.
  let lp = !byRank || n <= ZSetValue.maxListpackEntries;
  const members: string[] = new Array(n);
  const scores: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const node = OUT[i]!;
    if (lp && (i + 1 > ZSetValue.maxListpackEntries || node.member.length > ZSetValue.maxListpackValue)) lp = false;
    let s = node.score;
    if (lp && s === 0) s = 0;
    const at = rev ? n - 1 - i : i;
    members[at] = node.member;
    scores[at] = s;
  }
  const z = ZSetValue.fromSorted(members, scores, lp);
  db.set(dst, z);
  engine.notify(NOTIFY_ZSET, 'zrangestore', dst, db.id);
  engine.dirty++;
  w.integer(n);
}

// ---------------------------------------------------------------------------------------
// Counts, scores and ranks
// ---------------------------------------------------------------------------------------

function zcount(ctx: CommandContext): void {
  const { args, w } = ctx;
  const range = parseScoreRange(args[2]!, args[3]!);
  if (!range) return w.error(E_RANGE_FLOAT);
  const zs = readZset(ctx, ctx.engine.db(ctx.client), args[1]!);
  if (zs === null) return;
  w.integer(zs === undefined ? 0 : zs.countInRange(range));
}

function zlexcount(ctx: CommandContext): void {
  const { args, w } = ctx;
  const range = parseLexRange(args[2]!, args[3]!);
  if (!range) return w.error(E_RANGE_LEX);
  const zs = readZset(ctx, ctx.engine.db(ctx.client), args[1]!);
  if (zs === null) return;
  w.integer(zs === undefined ? 0 : zs.countInLex(range));
}

function zrank(ctx: CommandContext, reverse: boolean): void {
  const { args, w } = ctx;
  if (args.length > 4) return w.error(Errors.wrongArity(reverse ? 'zrevrank' : 'zrank'));
  let withscore = false;
  if (args.length > 3) {
    if (args[3]!.toLowerCase() !== 'withscore') return w.error(Errors.syntax);
    withscore = true;
  }
  const zs = readZset(ctx, ctx.engine.db(ctx.client), args[1]!);
  if (zs === null) return;
  const node = zs?.dict.get(args[2]!);
  if (zs === undefined || node === undefined) return withscore ? w.nullArray() : w.null();
  const r = zs.rankOf(node);
  if (withscore) w.array(2);
  w.integer(reverse ? zs.size - r : r - 1);
  if (withscore) w.double(node.score);
}

// ---------------------------------------------------------------------------------------
// Pops
// ---------------------------------------------------------------------------------------

/**
 * Pops from the first existing key of `keys` (ZPOPMIN/ZPOPMAX/ZMPOP). `count` -1 is a plain
 * single pop; `emitKey` wraps the reply as [key, [[member, score], ...]] (ZMPOP).
 */
function genericZpop(
  ctx: CommandContext,
  keys: string[],
  max: boolean,
  count: number,
  nested: boolean,
  emitKey: boolean,
): void {
  const { w, engine } = ctx;
  const db = engine.db(ctx.client);
  let zs: ZSetValue | undefined;
  let key = '';
  for (const k of keys) {
    const v = writeZset(ctx, db, k);
    if (v === null) return;
    if (v !== undefined) {
      zs = v;
      key = k;
      break;
    }
  }
  if (zs === undefined) return emitKey ? w.nullArray() : w.array(0);
  if (count === 0) return w.array(0);
  if (count === -1) count = 1;
  const n = Math.min(count, zs.size);
  if (emitKey) {
    w.array(2);
    w.bulk(key);
    w.array(n);
  } else w.array(nested ? n : n * 2);
  for (let i = 0; i < n; i++) {
    const node = zs.pop(max)!;
    if (nested) w.array(2);
    w.bulk(node.member);
    w.double(node.score);
  }
  engine.dirty += n;
  afterRemoval(ctx, db, key, zs, max ? 'zpopmax' : 'zpopmin');
}

function zpopMinMax(ctx: CommandContext, max: boolean): void {
  const { args, w } = ctx;
  if (args.length > 3) return w.error(Errors.syntax);
  let count = -1;
  if (args.length === 3) {
    const c = parseLong(args[2]!);
    if (c === undefined || c < 0) return w.error(E_POSITIVE);
    count = c;
  }
  genericZpop(ctx, [args[1]!], max, count, w.proto === 3 && count !== -1, false);
}

/** Whether a key's value can serve a client blocked on sorted sets. */
const isZset = (v: Value | undefined): boolean => v instanceof ZSetValue;

/**
 * ZMPOP numkeys key... MIN|MAX [COUNT n] (numkeys at 1) and BZMPOP timeout numkeys ...
 * (numkeys at 2): [key, [[member, score]...]] from the first non-empty sorted set,
 * propagated as ZPOPMIN/ZPOPMAX key <popped>. BZMPOP blocks when all are empty; its timeout
 * (or a client that may not block) replies the null array.
 */
function zmpopGeneric(ctx: CommandContext, numkeysIdx: number, block: boolean): void | Promise<void> {
  const { args, w } = ctx;
  const argc = args.length;
  const numkeys = parseLong(args[numkeysIdx]!);
  if (numkeys === undefined || numkeys < 1) return w.error('ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argc) return w.error(Errors.syntax);
  const where = args[whereIdx]!.toLowerCase();
  if (where !== 'min' && where !== 'max') return w.error(Errors.syntax);
  let count = -1;
  for (let j = whereIdx + 1; j < argc; j++) {
    const more = argc - 1 - j;
    if (count === -1 && args[j]!.toLowerCase() === 'count' && more > 0) {
      j++;
      const c = parseLong(args[j]!);
      if (c === undefined || c < 1) return w.error('ERR count should be greater than 0');
      count = c;
    } else return w.error(Errors.syntax);
  }
  if (count === -1) count = 1;
  const keys = args.slice(numkeysIdx + 1, whereIdx);
  const max = where === 'max';
  if (!block) {
    const n = firstNonEmptyZset(ctx, keys);
    if (n !== undefined && n !== null) propagateServed(ctx, false, [max ? 'ZPOPMAX' : 'ZPOPMIN', n, String(Math.min(count, sizeOf(ctx, n)))]);
    genericZpop(ctx, keys, max, count, true, true);
    return;
  }
  const deadline = readTimeout(ctx, args[1]!, true);
  if (deadline === undefined) return;
  const serve = (served: boolean): boolean => {
    const key = firstNonEmptyZset(ctx, keys);
    if (key === undefined) return false;
    if (key !== null) propagateServed(ctx, served, [max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(Math.min(count, sizeOf(ctx, key)))]);
    genericZpop(ctx, key === null ? keys : [key], max, count, true, true);
    return true;
  };
  return serveOrBlock(ctx, keys, deadline, isZset, serve);
}

/** The first of `keys` holding a non-empty sorted set; null when a key before it has
 *  another type (the caller's pop then replies WRONGTYPE); undefined when none. */
function firstNonEmptyZset(ctx: CommandContext, keys: string[]): string | null | undefined {
  const db = ctx.engine.db(ctx.client);
  for (const k of keys) {
    const v = db.getForWrite(k);
    if (v === undefined) continue;
    if (!(v instanceof ZSetValue)) return null;
    if (v.size > 0) return k;
  }
  return undefined;
}

function sizeOf(ctx: CommandContext, key: string): number {
  const v = ctx.engine.db(ctx.client).dict.get(key)?.value;
  return v instanceof ZSetValue ? v.size : 0;
}

/** BZPOPMIN/BZPOPMAX key... timeout: [key, member, score] from the first non-empty sorted
 *  set (propagated as ZPOPMIN/ZPOPMAX key), else blocks; the timeout replies the null array. */
function bzpop(ctx: CommandContext, max: boolean): void | Promise<void> {
  const { engine, w } = ctx;
  const parsed = keysThenTimeout(ctx);
  if (parsed === undefined) return;
  const { keys, deadline } = parsed;
  const serve = (served: boolean): boolean => {
    const db = engine.db(ctx.client);
    for (const key of keys) {
      const zs = writeZset(ctx, db, key);
      if (zs === null) return true;
      if (zs === undefined || zs.size === 0) continue;
      const node = zs.pop(max)!;
      w.array(3);
      w.bulk(key);
      w.bulk(node.member);
      w.double(node.score);
      engine.dirty++;
      afterRemoval(ctx, db, key, zs, max ? 'zpopmax' : 'zpopmin');
      propagateServed(ctx, served, [max ? 'ZPOPMAX' : 'ZPOPMIN', key]);
      return true;
    }
    return false;
  };
  return serveOrBlock(ctx, keys, deadline, isZset, serve);
}

// ---------------------------------------------------------------------------------------
// ZRANDMEMBER
// ---------------------------------------------------------------------------------------

const LONG_MAX = 9223372036854775807n;

function zrandmember(ctx: CommandContext): void {
  const { args, w } = ctx;
  const argc = args.length;
  const db = ctx.engine.db(ctx.client);
  if (argc >= 3) {
    const l = parseLong(args[2]!);
    if (l === undefined) return w.error(Errors.notInteger);
    if (args[2] === '-9223372036854775808') {
      return w.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    }
    let withscores = false;
    if (argc > 4 || (argc === 4 && args[3]!.toLowerCase() !== 'withscores')) return w.error(Errors.syntax);
    if (argc === 4) {
      withscores = true;
      const big = BigInt(args[2]!);
      if (big < -(LONG_MAX / 2n) || big > LONG_MAX / 2n) return w.error('ERR value is out of range');
    }
    return zrandmemberWithCount(ctx, db, l, withscores);
  }
  const zs = readZset(ctx, db, args[1]!);
  if (zs === null) return;
  if (zs === undefined) return w.null();
  w.bulk(zs.randomNode().member);
}

function zrandmemberWithCount(ctx: CommandContext, db: Db, l: number, withscores: boolean): void {
  const { w } = ctx;
  const zs = readZset(ctx, db, ctx.args[1]!);
  if (zs === null) return;
  if (zs === undefined) return w.array(0);
  const size = zs.size;
  const uniq = l >= 0;
  let count = uniq ? l : -l;
  if (count === 0) return w.array(0);
  // Repeats allowed (or a single member): independent picks, in random order.
  if (!uniq || count === 1) {
    writeHeader(w, count, withscores);
    while (count-- > 0) {
      const node = zs.randomNode();
      writeEntry(w, node.member, node.score, withscores);
    }
    return;
  }
  // Everything: the whole set, walked from the highest member down as Valkey does.
  if (count >= size) {
    writeHeader(w, size, withscores);
    for (let node = zs.last(); node !== null; node = node.prev) writeEntry(w, node.member, node.score, withscores);
    return;
  }
  writeHeader(w, count, withscores);
  if (zs.encoding() === 'listpack') {
    // A random subset, reported in set order.
    const picked = new Uint8Array(size);
    let left = count;
    for (let i = 0; i < size && left > 0; i++) {
      if (Math.random() * (size - i) < left) {
        picked[i] = 1;
        left--;
      }
    }
    let i = 0;
    for (let node = zs.first(); node !== null; node = node.next[0]!, i++) {
      if (picked[i]) writeEntry(w, node.member, node.score, withscores);
    }
    return;
  }
  if (count * 3 > size) {
    // Large share: a partial shuffle of the ranks.
    const ranks = new Uint32Array(size);
    for (let i = 0; i < size; i++) ranks[i] = i + 1;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = ranks[i]!;
      ranks[i] = ranks[j]!;
      ranks[j] = t;
      const node = zs.byRank(ranks[i]!)!;
      writeEntry(w, node.member, node.score, withscores);
    }
    return;
  }
  // Small share: random picks, skipping repeats.
  const seen = new Set<ZNode>();
  while (seen.size < count) {
    const node = zs.randomNode();
    if (seen.has(node)) continue;
    seen.add(node);
    writeEntry(w, node.member, node.score, withscores);
  }
}

// ---------------------------------------------------------------------------------------
// ZSCAN
// ---------------------------------------------------------------------------------------

function zscan(ctx: CommandContext): void {
  const { args, w } = ctx;
  const cursor = parseULongLong(args[2]!);
  if (cursor === undefined) return w.error('ERR invalid cursor');
  const zs = readZset(ctx, ctx.engine.db(ctx.client), args[1]!);
  if (zs === null) return;
  if (zs === undefined) {
    w.array(2);
    w.bulk('0');
    return w.array(0);
  }
  let count = 10;
  let pattern: string | undefined;
  let noscores = false;
  for (let i = 3; i < args.length; ) {
    const o = args[i]!.toLowerCase();
    const left = args.length - i;
    if (o === 'count' && left >= 2) {
      const c = parseLong(args[i + 1]!);
      if (c === undefined) return w.error(Errors.notInteger);
      if (c < 1) return w.error(Errors.syntax);
      count = c;
      i += 2;
    } else if (o === 'match' && left >= 2) {
      pattern = args[i + 1] === '*' ? undefined : args[i + 1]!;
      i += 2;
    } else if (o === 'novalues') {
      return w.error('ERR NOVALUES option can only be used in HSCAN');
    } else if (o === 'noscores') {
      noscores = true;
      i++;
    } else return w.error(Errors.syntax);
  }
  const out: string[] = [];
  let next = '0';
  if (zs.encoding() === 'listpack') {
    for (let node = zs.first(); node !== null; node = node.next[0]!) {
      if (pattern !== undefined && !globMatch(pattern, node.member)) continue;
      out.push(node.member);
      if (!noscores) out.push(formatDouble(node.score));
    }
  } else {
    const step = zs.scan(cursor.toString(), count);
    next = String(step.cursor);
    for (const node of step.nodes) {
      if (pattern !== undefined && !globMatch(pattern, node.member)) continue;
      out.push(node.member);
      if (!noscores) out.push(format17g(node.score));
    }
  }
  w.array(2);
  w.bulk(next);
  w.array(out.length);
  for (const s of out) w.bulk(s);
}

// ---------------------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF (+STORE) and ZINTERCARD
// ---------------------------------------------------------------------------------------

const UNION = 0;
const INTER = 1;
const DIFF = 2;
const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

/** One input of the set algebra: a sorted set, a plain set (scores 1) or nothing. */
interface Source {
  z: ZSetValue | undefined;
  s: SetValue | undefined;
  weight: number;
}

function srcSize(x: Source): number {
  return x.z !== undefined ? x.z.size : x.s !== undefined ? x.s.size : 0;
}

/** Score of a member in a source, or undefined. */
function srcFind(x: Source, m: string): number | undefined {
  if (x.z !== undefined) return x.z.score(m);
  if (x.s !== undefined) return x.s.has(m) ? 1 : undefined;
  return undefined;
}

/** Calls f for every member of a source (sorted sets from the highest down, as Valkey). */
function srcEach(x: Source, f: (m: string, score: number) => boolean | void): void {
  if (x.z !== undefined) {
    for (let n = x.z.last(); n !== null; n = n.prev) if (f(n.member, n.score) === false) return;
  } else if (x.s !== undefined) {
    const members = x.s.members();
    for (let i = 0; i < members.length; i++) if (f(members[i]!, 1) === false) return;
  }
}

function aggregate(target: number, val: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

function zsetOp(ctx: CommandContext, dst: string | undefined, numkeysIdx: number, op: number, cardOnly: boolean): void {
  const { args, w, engine } = ctx;
  const argc = args.length;
  const setnum = parseLong(args[numkeysIdx]!);
  if (setnum === undefined) return w.error(Errors.notInteger);
  if (setnum < 1) {
    return w.error(`ERR at least 1 input key is needed for '${args[0]!.toLowerCase()}' command`);
  }
  if (setnum > argc - (numkeysIdx + 1)) return w.error(Errors.syntax);
  const db = engine.db(ctx.client);
  const src: Source[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v: Value | undefined = db.get(args[j]!);
    if (v !== undefined && !(v instanceof ZSetValue) && !(v instanceof SetValue)) return w.error(WRONGTYPE);
    src.push({
      z: v instanceof ZSetValue ? v : undefined,
      s: v instanceof SetValue ? v : undefined,
      weight: 1,
    });
  }
  let agg = AGG_SUM;
  let withscores = false;
  let limit = 0;
  while (j < argc) {
    const remaining = argc - j;
    const o = args[j]!.toLowerCase();
    if (op !== DIFF && !cardOnly && remaining >= setnum + 1 && o === 'weights') {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const wt = parseScore(args[j]!);
        if (wt === undefined) return w.error('ERR weight value is not a float');
        src[i]!.weight = wt;
      }
    } else if (op !== DIFF && !cardOnly && remaining >= 2 && o === 'aggregate') {
      const a = args[j + 1]!.toLowerCase();
      if (a === 'sum') agg = AGG_SUM;
      else if (a === 'min') agg = AGG_MIN;
      else if (a === 'max') agg = AGG_MAX;
      else return w.error(Errors.syntax);
      j += 2;
    } else if (dst === undefined && !cardOnly && o === 'withscores') {
      withscores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && o === 'limit') {
      const l = parseLong(args[j + 1]!);
      if (l === undefined || l < 0) return w.error("ERR LIMIT can't be negative");
      limit = l;
      j += 2;
    } else return w.error(Errors.syntax);
  }
  // Smallest inputs first (a stable order, as glibc's merge sort gives Valkey).
  if (op !== DIFF) src.sort((a, b) => srcSize(a) - srcSize(b));

  const result = new Map<string, number>();
  if (op === INTER) {
    const first = src[0]!;
    if (srcSize(first) > 0) {
      let card = 0;
      srcEach(first, (m, s0) => {
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          const x = src[k]!;
          const v = srcFind(x, m);
          if (v === undefined) break;
          score = aggregate(score, v * x.weight, agg);
        }
        if (k < setnum) return;
        if (cardOnly) {
          card++;
          if (limit && card >= limit) return false;
        } else result.set(m, score);
      });
      if (cardOnly) return w.integer(card);
    } else if (cardOnly) return w.integer(0);
  } else if (op === UNION) {
    for (const x of src) {
      srcEach(x, (m, s) => {
        let score = x.weight * s;
        if (Number.isNaN(score)) score = 0;
        const cur = result.get(m);
        result.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      });
    }
  } else {
    const first = src[0]!;
    if (srcSize(first) > 0) {
      srcEach(first, (m, s) => {
        for (let k = 1; k < setnum; k++) if (srcFind(src[k]!, m) !== undefined) return;
        result.set(m, s);
      });
    }
  }

  // Sort the result by (score, member).
  const n = result.size;
  const members: string[] = new Array(n);
  const scores: number[] = new Array(n);
  const order: number[] = new Array(n);
  let i = 0;
  for (const [m, s] of result) {
    members[i] = m;
    scores[i] = s;
    order[i] = i;
    i++;
  }
  order.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa < sb) return -1;
    if (sa > sb) return 1;
    const ma = members[a]!;
    const mb = members[b]!;
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });

  if (dst !== undefined) {
    syncLimits(engine);
    if (n > 0) {
      const sm: string[] = new Array(n);
      const ss: number[] = new Array(n);
      for (let k = 0; k < n; k++) {
        sm[k] = members[order[k]!]!;
        ss[k] = scores[order[k]!]!;
      }
      db.set(dst, ZSetValue.fromSorted(sm, ss, true));
      engine.notify(NOTIFY_ZSET, op === UNION ? 'zunionstore' : op === INTER ? 'zinterstore' : 'zdiffstore', dst, db.id);
      w.integer(n);
      engine.dirty++;
    } else {
      if (db.delete(dst)) {
        engine.notify(NOTIFY_GENERIC, 'del', dst, db.id);
        engine.dirty++;
      }
      w.integer(0);
    }
    return;
  }
  writeHeader(w, n, withscores);
  for (let k = 0; k < n; k++) writeEntry(w, members[order[k]!]!, scores[order[k]!]!, withscores);
}

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

export const zsetCommands: CommandDef[] = [
  cmd('zadd', (ctx) => zaddGeneric(ctx, false)),
  cmd('zincrby', (ctx) => zaddGeneric(ctx, true)),
  cmd('zcard', (ctx) => {
    const zs = readZset(ctx, ctx.engine.db(ctx.client), ctx.args[1]!);
    if (zs === null) return;
    ctx.w.integer(zs === undefined ? 0 : zs.size);
  }),
  cmd('zcount', zcount),
  cmd('zlexcount', zlexcount),
  cmd('zscore', (ctx) => {
    const zs = readZset(ctx, ctx.engine.db(ctx.client), ctx.args[1]!);
    if (zs === null) return;
    const s = zs?.score(ctx.args[2]!);
    if (s === undefined) ctx.w.null();
    else ctx.w.double(s);
  }),
  cmd('zmscore', (ctx) => {
    const { args, w } = ctx;
    const zs = readZset(ctx, ctx.engine.db(ctx.client), args[1]!);
    if (zs === null) return;
    w.array(args.length - 2);
    for (let j = 2; j < args.length; j++) {
      const s = zs?.score(args[j]!);
      if (s === undefined) w.null();
      else w.double(s);
    }
  }),
  cmd('zrank', (ctx) => zrank(ctx, false)),
  cmd('zrevrank', (ctx) => zrank(ctx, true)),
  cmd('zrem', zrem),
  cmd('zremrangebyrank', (ctx) => zremrange(ctx, 'rank')),
  cmd('zremrangebyscore', (ctx) => zremrange(ctx, 'score')),
  cmd('zremrangebylex', (ctx) => zremrange(ctx, 'lex')),
  cmd('zrange', (ctx) => zrangeGeneric(ctx, 1, false, 0, 0)),
  cmd('zrangestore', (ctx) => zrangeGeneric(ctx, 2, true, 0, 0)),
  cmd('zrevrange', (ctx) => zrangeGeneric(ctx, 1, false, RANK, REVERSE)),
  cmd('zrangebyscore', (ctx) => zrangeGeneric(ctx, 1, false, SCORE, FORWARD)),
  cmd('zrevrangebyscore', (ctx) => zrangeGeneric(ctx, 1, false, SCORE, REVERSE)),
  cmd('zrangebylex', (ctx) => zrangeGeneric(ctx, 1, false, LEX, FORWARD)),
  cmd('zrevrangebylex', (ctx) => zrangeGeneric(ctx, 1, false, LEX, REVERSE)),
  cmd('zpopmin', (ctx) => zpopMinMax(ctx, false)),
  cmd('zpopmax', (ctx) => zpopMinMax(ctx, true)),
  cmd('zmpop', (ctx) => zmpopGeneric(ctx, 1, false)),
  cmd('bzpopmin', (ctx) => bzpop(ctx, false)),
  cmd('bzpopmax', (ctx) => bzpop(ctx, true)),
  cmd('bzmpop', (ctx) => zmpopGeneric(ctx, 2, true)),
  cmd('zrandmember', zrandmember),
  cmd('zscan', zscan),
  cmd('zunion', (ctx) => zsetOp(ctx, undefined, 1, UNION, false)),
  cmd('zinter', (ctx) => zsetOp(ctx, undefined, 1, INTER, false)),
  cmd('zdiff', (ctx) => zsetOp(ctx, undefined, 1, DIFF, false)),
  cmd('zintercard', (ctx) => zsetOp(ctx, undefined, 1, INTER, true)),
  cmd('zunionstore', (ctx) => zsetOp(ctx, ctx.args[1]!, 2, UNION, false)),
  cmd('zinterstore', (ctx) => zsetOp(ctx, ctx.args[1]!, 2, INTER, false)),
  cmd('zdiffstore', (ctx) => zsetOp(ctx, ctx.args[1]!, 2, DIFF, false)),
];
