/**
 * Generic keyspace commands: DEL UNLINK EXISTS TYPE KEYS SCAN RENAME RENAMENX COPY MOVE,
 * the EXPIRE/TTL family, PERSIST TOUCH RANDOMKEY, OBJECT, SORT/SORT_RO and WAIT.
 * (DUMP/RESTORE live with persistence; DBSIZE with the server commands.)
 */
import { cmd, group, Errors } from './define.js';
import type { CommandDef, CommandContext } from './table.js';
import type { Engine } from '../engine/engine.js';
import type { Db } from '../engine/db.js';
import {
  HashValue,
  ListValue,
  ModuleValue,
  SetValue,
  StreamValue,
  WRONGTYPE,
  ZSetValue,
  typeName,
  type Value,
} from '../engine/types/index.js';
import { NOTIFY_GENERIC, NOTIFY_KEY_MISS, NOTIFY_LIST } from '../engine/notify.js';
import { compileGlob } from '../engine/glob.js';
import { readTimeout } from '../engine/blocking.js';
import { configOf } from '../engine/config.js';
import { parseDouble, parseLongLong, parseULongLong } from './parse.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
/** Client flags under which a command may not block (VALKEYMODULE_CTX_FLAGS_*). */
const CTX_FLAGS_LUA = 1 << 0;
const CTX_FLAGS_MULTI = 1 << 1;
const CTX_FLAGS_DENY_BLOCKING = 1 << 21;

const E_NO_SUCH_KEY = 'ERR no such key';
const E_SAME_OBJECT = 'ERR source and destination objects are the same';
const E_LFU_NOT = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const E_LFU_IS = 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

// ---- small helpers ---------------------------------------------------------------------------

/** Whether maxmemory-policy is one of the LFU policies. */
function lfuPolicy(engine: Engine): boolean {
  return (configOf(engine).get('maxmemory-policy') ?? 'noeviction').endsWith('-lfu');
}

/**
 * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): counts a hit or a miss (and fires keymiss unless
 * `notify` is false) without updating the LRU clock.
 */
function lookupNoTouch(engine: Engine, db: Db, key: string, notify = true): Value | undefined {
  const e = db.entry(key);
  if (e === undefined) {
    engine.stats.keyspace_misses++;
    if (notify) engine.notify(NOTIFY_KEY_MISS, 'keymiss', key, db.id);
    return undefined;
  }
  engine.stats.keyspace_hits++;
  return e.value;
}

/** getLongLongFromObject as a bigint; undefined when not an integer. */
function parseLL(s: string): bigint | undefined {
  const v = parseLongLong(s);
  return v === undefined ? undefined : BigInt(v);
}

/** getIntFromObject: a C int, or undefined. */
function parseInt32(s: string): number | undefined {
  const v = parseLongLong(s);
  if (v === undefined || typeof v === 'bigint' || v < INT_MIN || v > INT_MAX) return undefined;
  return v;
}

/** getLongFromObject (64-bit long): a number clamped to the safe range for index maths. */
function parseLong(s: string): number | undefined {
  const v = parseLongLong(s);
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  return v;
}

/** Writes the OBJECT/other HELP reply: the header, the lines, and the HELP footer. */
function replyHelp(ctx: CommandContext, lines: string[]): void {
  const { w } = ctx;
  w.array(lines.length + 3);
  w.simple(`${ctx.args[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) w.simple(l);
  w.simple('HELP');
  w.simple('    Print this help.');
}

/** The value's own copy method, if its class has one. */
function ownCopy(v: object): Value | undefined {
  const o = v as { clone?: () => Value; copy?: () => Value; dup?: () => Value };
  if (typeof o.clone === 'function') return o.clone();
  if (typeof o.copy === 'function') return o.copy();
  if (typeof o.dup === 'function') return o.dup();
  return undefined;
}

/**
 * Structural deep copy of an object graph (class instances keep their prototype; Maps, Sets,
 * arrays and typed arrays are copied; shared references and cycles are preserved). Used for
 * value types without a copy method. Iterators (live SCAN cursors) are not carried over.
 */
function structuralCopy<T>(root: T): T {
  const seen = new Map<object, object>();
  const work: [src: object, dst: object][] = [];
  const copyOf = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    const hit = seen.get(x);
    if (hit !== undefined) return hit;
    let out: object;
    if (ArrayBuffer.isView(x)) out = (x as unknown as { slice(): object }).slice();
    else if (Array.isArray(x)) out = new Array(x.length);
    else if (x instanceof Map) out = new Map();
    else if (x instanceof Set) out = new Set();
    else if (typeof (x as { next?: unknown }).next === 'function' && Symbol.iterator in x) return undefined;
    else out = Object.create(Object.getPrototypeOf(x) as object | null) as object;
    seen.set(x, out);
    if (!ArrayBuffer.isView(x)) work.push([x, out]);
    return out;
  };
  const top = copyOf(root) as T;
  while (work.length > 0) {
    const [src, dst] = work.pop()!;
    if (Array.isArray(src)) {
      const d = dst as unknown[];
      for (let i = 0; i < src.length; i++) d[i] = copyOf(src[i]);
    } else if (src instanceof Map) {
      for (const [k, v] of src) (dst as Map<unknown, unknown>).set(copyOf(k), copyOf(v));
    } else if (src instanceof Set) {
      for (const v of src) (dst as Set<unknown>).add(copyOf(v));
    } else {
      for (const k of Reflect.ownKeys(src)) {
        const d = Object.getOwnPropertyDescriptor(src, k)!;
        if ('value' in d) d.value = copyOf(d.value);
        Object.defineProperty(dst, k, d);
      }
    }
  }
  return top;
}

/**
 * A deep copy of a value for COPY: strings are immutable and shared; aggregates use their
 * own copy method when they have one, else are rebuilt from their public contents.
 * Returns undefined for a module value without a copy callback.
 */
function deepCopy(v: Value): Value | undefined {
  if (typeof v === 'string') return v;
  const own = ownCopy(v);
  if (own !== undefined) return own;
  if (v instanceof ModuleValue) return undefined;
  if (v instanceof ListValue) return new ListValue(v.toArray());
  if (v instanceof HashValue) return new HashValue(v.map);
  if (v instanceof SetValue) return new SetValue(v.members());
  return structuralCopy(v);
}

/** The entry's LRU clock (kept when a key is renamed or moved, as Valkey moves the object). */
function lruOf(db: Db, key: string): number {
  return db.dict.get(key)?.lru ?? 0;
}

function setLru(db: Db, key: string, lru: number): void {
  const e = db.dict.get(key);
  if (e !== undefined) e.lru = lru;
}

/*
 * Expiry times past 2^53 ms do not fit a JS number exactly; the exact value is kept here,
 * next to the entry, for as long as the entry's (rounded) expiry is the one it belongs to.
 */
const exactExpires = new WeakMap<object, { approx: number; exact: bigint }>();

/** Sets a key's expiry from an exact ms timestamp. */
function setExpireExact(db: Db, key: string, when: bigint): void {
  const approx = Number(when);
  db.setExpire(key, approx);
  const e = db.dict.get(key);
  if (e !== undefined && !Number.isSafeInteger(approx)) exactExpires.set(e, { approx, exact: when });
}

/** A key's expiry as an exact ms timestamp, -1n when none. */
function getExpireExact(db: Db, key: string): bigint {
  const ms = db.getExpire(key);
  if (ms === -1) return -1n;
  const e = db.dict.get(key);
  const x = e === undefined ? undefined : exactExpires.get(e);
  return x !== undefined && x.approx === ms ? x.exact : BigInt(ms);
}

// ---- DEL UNLINK EXISTS TYPE ---------------------------------------------------------------------

function del(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  let n = 0;
  for (let j = 1; j < args.length; j++) {
    const key = args[j]!;
    if (db.delete(key)) {
      engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
      engine.dirty++;
      n++;
    }
  }
  w.integer(n);
}

function exists(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  let n = 0;
  for (let j = 1; j < args.length; j++) if (lookupNoTouch(engine, db, args[j]!) !== undefined) n++;
  w.integer(n);
}

function type(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const v = lookupNoTouch(engine, engine.db(ctx.client), args[1]!);
  w.simple(v === undefined ? 'none' : typeName(v));
}

// ---- KEYS SCAN RANDOMKEY ------------------------------------------------------------------------

function keys(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const pattern = args[1]!;
  const all = pattern === '*';
  const match = compileGlob(pattern);
  const out: string[] = [];
  for (const k of db.keys()) if (all || match(k)) out.push(k);
  w.array(out.length);
  for (const k of out) w.bulk(k);
}

function scan(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const cursor = parseULongLong(args[1]!);
  if (cursor === undefined) return w.error('ERR invalid cursor');
  let count = 10;
  let pattern: string | undefined;
  let typeFilter: string | undefined;
  for (let i = 2; i < args.length; ) {
    const opt = args[i]!.toLowerCase();
    const left = args.length - i;
    if (opt === 'count' && left >= 2) {
      const c = parseLong(args[i + 1]!);
      if (c === undefined) return w.error(Errors.notInteger);
      if (c < 1) return w.error(Errors.syntax);
      count = c;
      i += 2;
    } else if (opt === 'match' && left >= 2) {
      pattern = args[i + 1]!;
      if (pattern === '*') pattern = undefined;
      i += 2;
    } else if (opt === 'type' && left >= 2) {
      typeFilter = args[i + 1]!.toLowerCase();
      if (!knownTypeName(engine, typeFilter)) return w.error(`ERR unknown type name '${cstr(args[i + 1]!)}'`);
      i += 2;
    } else {
      return w.error(Errors.syntax);
    }
  }
  // Cursors past 2^53 are never ones this database handed out: they start over.
  const c = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(cursor);
  const r = db.scan(c, Math.min(count, 1 << 30));
  let out = r.keys;
  if (pattern !== undefined || typeFilter !== undefined) {
    out = [];
    const match = pattern !== undefined ? compileGlob(pattern) : undefined;
    for (const k of r.keys) {
      if (match !== undefined && !match(k)) continue;
      if (typeFilter !== undefined) {
        const v = db.dict.get(k)?.value;
        if (v === undefined || typeName(v).toLowerCase() !== typeFilter) continue;
      }
      out.push(k);
    }
  }
  w.array(2);
  w.bulk(String(r.cursor));
  w.array(out.length);
  for (const k of out) w.bulk(k);
}

const TYPE_NAMES = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']);

/**
 * Whether SCAN TYPE knows a (lower-cased) type name: a core type, or, with modules loaded, a
 * module type name (module data types are matched by name, case-insensitively).
 */
function knownTypeName(engine: Engine, name: string): boolean {
  if (TYPE_NAMES.has(name)) return true;
  return engine.moduleTypes.hasTypeNamed(name);
}

function randomkey(ctx: CommandContext): void {
  const { engine, w } = ctx;
  const k = engine.db(ctx.client).randomKey();
  if (k === undefined) w.null();
  else w.bulk(k);
}

// ---- RENAME COPY MOVE ---------------------------------------------------------------------------

function rename(ctx: CommandContext, nx: boolean): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const src = args[1]!;
  const dst = args[2]!;
  const value = db.getForWrite(src);
  if (value === undefined) return w.error(E_NO_SUCH_KEY);
  if (src === dst) return nx ? w.integer(0) : w.simple('OK');
  const expire = getExpireExact(db, src);
  const lru = lruOf(db, src);
  if (db.getForWrite(dst) !== undefined) {
    if (nx) return w.integer(0);
    db.delete(dst);
  }
  // As Valkey: the source goes, then the destination is added (firing 'new').
  db.delete(src);
  db.add(dst, value);
  if (expire !== -1n) setExpireExact(db, dst, expire);
  setLru(db, dst, lru);
  engine.keyModified(db.id, dst);
  engine.notify(NOTIFY_GENERIC, 'rename_from', src, db.id);
  engine.notify(NOTIFY_GENERIC, 'rename_to', dst, db.id);
  engine.dirty++;
  if (nx) w.integer(1);
  else w.simple('OK');
}

function copy(ctx: CommandContext): void {
  const { engine, client, args, w } = ctx;
  const src = engine.db(client);
  let dst = src;
  let replace = false;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j]!.toLowerCase();
    const more = args.length - j - 1;
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'db' && more >= 1) {
      const id = parseInt32(args[j + 1]!);
      if (id === undefined) return w.error(Errors.notInteger);
      if (id < 0 || id >= engine.dbs.length) return w.error(Errors.dbIndexRange);
      dst = engine.dbs[id]!;
      j++;
    } else {
      return w.error(Errors.syntax);
    }
  }
  const key = args[1]!;
  const newkey = args[2]!;
  if (src === dst && key === newkey) return w.error(E_SAME_OBJECT);
  const v = src.get(key);
  if (v === undefined) return w.integer(0);
  const expire = getExpireExact(src, key);
  const exists = dst.getForWrite(newkey) !== undefined;
  if (exists && !replace) return w.integer(0);
  let dup: Value | undefined;
  if (v instanceof ModuleValue) {
    // The type's copy2/copy (moduleTypeDupOrReply)
    const r = engine.moduleTypes.copy(v, key, src.id, newkey, dst.id);
    if (r === undefined) return w.error('ERR not supported for this module key');
    if (r === null) return w.error('ERR module key failed to copy');
    dup = r;
  } else dup = deepCopy(v);
  if (dup === undefined) return w.error('ERR not supported for this module key');
  if (exists) dst.delete(newkey);
  dst.add(newkey, dup);
  engine.keyModified(dst.id, newkey);
  if (expire !== -1n) setExpireExact(dst, newkey, expire);
  engine.notify(NOTIFY_GENERIC, 'copy_to', newkey, dst.id);
  engine.dirty++;
  w.integer(1);
}

function move(ctx: CommandContext): void {
  const { engine, client, args, w } = ctx;
  const src = engine.db(client);
  const id = parseInt32(args[2]!);
  if (id === undefined) return w.error(Errors.notInteger);
  if (id < 0 || id >= engine.dbs.length) return w.error(Errors.dbIndexRange);
  const dst = engine.dbs[id]!;
  if (src === dst) return w.error(E_SAME_OBJECT);
  const key = args[1]!;
  const v = src.getForWrite(key);
  if (v === undefined) return w.integer(0);
  const expire = getExpireExact(src, key);
  const lru = lruOf(src, key);
  if (dst.getForWrite(key) !== undefined) return w.integer(0);
  src.delete(key);
  dst.add(key, v);
  if (expire !== -1n) setExpireExact(dst, key, expire);
  setLru(dst, key, lru);
  engine.keyModified(dst.id, key);
  engine.notify(NOTIFY_GENERIC, 'move_from', key, src.id);
  engine.notify(NOTIFY_GENERIC, 'move_to', key, dst.id);
  engine.dirty++;
  w.integer(1);
}

// ---- EXPIRE family ------------------------------------------------------------------------------

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: `basetime` is now (relative forms) or 0, `seconds`
 * whether the argument is in seconds.
 */
function expireGeneric(ctx: CommandContext, relative: boolean, seconds: boolean): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  let flags = 0;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j]!.toLowerCase();
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else return w.error(`ERR Unsupported option ${args[j]}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    return w.error('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    return w.error('ERR GT and LT options at the same time are not compatible');
  }
  let when = parseLL(args[2]!);
  if (when === undefined) return w.error(Errors.notInteger);
  const badTime = `ERR invalid expire time in '${ctx.args[0]!.toLowerCase()}' command`;
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return w.error(badTime);
    when *= 1000n;
  }
  const now = engine.now();
  if (relative) {
    const base = BigInt(now);
    if (when > INT64_MAX - base) return w.error(badTime);
    when += base;
  }
  if (db.getForWrite(key) === undefined) return w.integer(0);
  if (flags) {
    const cur = getExpireExact(db, key);
    if (flags & EXPIRE_NX && cur !== -1n) return w.integer(0);
    if (flags & EXPIRE_XX && cur === -1n) return w.integer(0);
    if (flags & EXPIRE_GT && (cur === -1n || when <= cur)) return w.integer(0);
    if (flags & EXPIRE_LT && cur !== -1n && when >= cur) return w.integer(0);
  }
  if (when <= BigInt(now) && !engine.loading) {
    db.delete(key);
    engine.dirty++;
    engine.notify(NOTIFY_GENERIC, 'del', key, db.id);
    return w.integer(1);
  }
  setExpireExact(db, key, when);
  engine.keyModified(db.id, key);
  engine.notify(NOTIFY_GENERIC, 'expire', key, db.id);
  engine.dirty++;
  w.integer(1);
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttlGeneric(ctx: CommandContext, ms: boolean, abs: boolean): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  if (lookupNoTouch(engine, db, key) === undefined) return w.integer(-2);
  const expire = getExpireExact(db, key);
  if (expire === -1n) return w.integer(-1);
  let ttl = abs ? expire : expire - BigInt(engine.now());
  if (ttl < 0n) ttl = 0n;
  const out = ms ? ttl : (ttl + 500n) / 1000n;
  w.integer(out <= 9007199254740991n ? Number(out) : out);
}

function persist(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  if (db.getForWrite(key) !== undefined && db.persist(key)) {
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_GENERIC, 'persist', key, db.id);
    engine.dirty++;
    return w.integer(1);
  }
  w.integer(0);
}

function touch(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  let n = 0;
  for (let j = 1; j < args.length; j++) if (db.get(args[j]!) !== undefined) n++;
  w.integer(n);
}

// ---- OBJECT -------------------------------------------------------------------------------------

/** OBJECT ENCODING of a value. */
export function encodingOf(v: Value): string {
  if (typeof v === 'string') {
    if (v.length <= 20 && parseLongLong(v) !== undefined) return 'int';
    return v.length <= 44 ? 'embstr' : 'raw';
  }
  const e = (v as { encoding?: unknown }).encoding;
  if (typeof e === 'function') return String((e as () => unknown).call(v));
  if (v instanceof ListValue) return 'quicklist';
  if (v instanceof HashValue) return 'hashtable';
  if (v instanceof SetValue) return 'hashtable';
  if (v instanceof ZSetValue) return 'skiplist';
  if (v instanceof StreamValue) return 'stream';
  return 'raw';
}

/** objectCommandLookup: the value without touching LRU or firing keymiss; writes null when missing. */
function objectLookup(ctx: CommandContext): Value | undefined {
  const { engine } = ctx;
  const v = lookupNoTouch(engine, engine.db(ctx.client), ctx.args[2]!, false);
  if (v === undefined) ctx.w.null();
  return v;
}

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** The shared-integer refcount Valkey reports for small integers (OBJ_SHARED_REFCOUNT). */
const SHARED_REFCOUNT = 2147483647;
const SHARED_INTEGERS = 10000;

const objectCommand = group('object', [
  cmd('object|help', (ctx) => replyHelp(ctx, OBJECT_HELP)),
  cmd('object|encoding', (ctx) => {
    const v = objectLookup(ctx);
    if (v !== undefined) ctx.w.bulk(encodingOf(v));
  }),
  cmd('object|refcount', (ctx) => {
    const v = objectLookup(ctx);
    if (v === undefined) return;
    if (typeof v === 'string' && v.length <= 20) {
      const n = parseLongLong(v);
      const cfg = configOf(ctx.engine);
      // Shared integers are not used when maxmemory evicts by LRU/LFU (each key needs its own clock).
      const noShared = cfg.maxmemory !== 0 && /-(lru|lfu)$/.test(cfg.get('maxmemory-policy') ?? '');
      if (typeof n === 'number' && n >= 0 && n < SHARED_INTEGERS && !noShared) return ctx.w.integer(SHARED_REFCOUNT);
    }
    ctx.w.integer(1);
  }),
  cmd('object|idletime', (ctx) => {
    const v = objectLookup(ctx);
    if (v === undefined) return;
    if (lfuPolicy(ctx.engine)) return ctx.w.error(E_LFU_IS);
    const db = ctx.engine.db(ctx.client);
    const lru = db.dict.get(ctx.args[2]!)?.lru ?? 0;
    const idle = Math.floor(ctx.engine.now() / 1000) - lru;
    ctx.w.integer(idle < 0 ? 0 : idle);
  }),
  cmd('object|freq', (ctx) => {
    const v = objectLookup(ctx);
    if (v === undefined) return;
    if (!lfuPolicy(ctx.engine)) return ctx.w.error(E_LFU_NOT);
    const db = ctx.engine.db(ctx.client);
    const e = db.dict.get(ctx.args[2]!);
    ctx.w.integer(e === undefined ? 0 : db.lfuCounter(e));
  }),
]);

// ---- SORT ---------------------------------------------------------------------------------------

/** C isspace() in the "C" locale. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * SORT's numeric reading of a value: C strtod over the C string (up to a NUL byte), which
 * must be consumed entirely; an empty string reads as 0; NaN and out-of-range are refused.
 */
function sortScore(s: string): number | undefined {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return undefined;
  return parseDouble(i === 0 ? s : s.slice(i));
}

/** strcmp over the C strings (bytes up to the first NUL). */
function strcmpC(a: string, b: string): number {
  const na = a.indexOf('\0');
  const nb = b.indexOf('\0');
  if (na >= 0) a = a.slice(0, na);
  if (nb >= 0) b = b.slice(0, nb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** memcmp-then-length comparison of two byte strings. */
function cmpBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The part of a byte string before its first NUL (what C string functions see). */
function cstr(s: string): string {
  const n = s.indexOf('\0');
  return n < 0 ? s : s.slice(0, n);
}

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first `*` of the pattern is
 * replaced by the element and the key read (a string), or with `->field` after the `*`, the
 * field of a hash. undefined when there is no `*`, no key, or the wrong type.
 */
function lookupByPattern(db: Db, pattern: string, subst: string): string | undefined {
  const cp = cstr(pattern);
  if (cp === '#') return subst;
  const star = cp.indexOf('*');
  if (star < 0) return undefined;
  const arrow = cp.indexOf('->', star + 1);
  let field: string | undefined;
  let fieldlen = 0;
  if (arrow >= 0 && arrow + 2 < cp.length) {
    field = pattern.slice(arrow + 2);
    fieldlen = field.length;
  }
  const postfixlen = pattern.length - (star + 1) - (field !== undefined ? fieldlen + 2 : 0);
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, star + 1 + postfixlen);
  const v = db.get(key);
  if (v === undefined) return undefined;
  if (field !== undefined) {
    if (!(v instanceof HashValue)) return undefined;
    return v.get(field);
  }
  return typeof v === 'string' ? v : undefined;
}

interface SortItem {
  obj: string;
  score: number;
  cmp: string | undefined;
}

function sortGeneric(ctx: CommandContext, readonly: boolean): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | undefined;
  let storekey: string | undefined;
  const gets: string[] = [];
  for (let j = 2; j < args.length; j++) {
    const opt = args[j]!.toLowerCase();
    const left = args.length - j - 1;
    if (opt === 'asc') desc = false;
    else if (opt === 'desc') desc = true;
    else if (opt === 'alpha') alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const s = parseLong(args[j + 1]!);
      if (s === undefined) return w.error(Errors.notInteger);
      const c = parseLong(args[j + 2]!);
      if (c === undefined) return w.error(Errors.notInteger);
      limitStart = s;
      limitCount = c;
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      storekey = args[++j]!;
    } else if (opt === 'by' && left >= 1) {
      sortby = args[++j]!;
      if (cstr(sortby).indexOf('*') < 0) dontsort = true;
    } else if (opt === 'get' && left >= 1) {
      gets.push(args[++j]!);
    } else {
      return w.error(Errors.syntax);
    }
  }

  const key = args[1]!;
  const sortval = storekey === undefined ? db.get(key) : db.getForWrite(key);
  if (sortval !== undefined && !(sortval instanceof ListValue) && !(sortval instanceof SetValue) && !(sortval instanceof ZSetValue)) {
    return w.error(WRONGTYPE);
  }

  // A set has no order of its own: with STORE its elements are sorted ALPHA to be stable.
  if (dontsort && sortval instanceof SetValue && storekey !== undefined) {
    dontsort = false;
    alpha = true;
    sortby = undefined;
  }
  if (sortval instanceof ZSetValue) sortval.maybeConvert(Infinity, 0);

  let vectorlen = sortval === undefined ? 0 : sortval instanceof ListValue ? sortval.length : sortval.size;
  let start = limitStart < 0 ? 0 : limitStart;
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  const ordered = sortval instanceof ListValue || sortval instanceof ZSetValue;
  if (ordered && dontsort && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;

  const vector: SortItem[] = [];
  if (sortval instanceof ListValue && dontsort) {
    if (end >= start) {
      const len = sortval.length;
      for (let j = 0; j < vectorlen; j++) {
        const idx = desc ? len - start - 1 - j : start + j;
        if (idx < 0 || idx >= len) break;
        vector.push({ obj: sortval.at(idx), score: 0, cmp: undefined });
      }
      end -= start;
      start = 0;
    }
  } else if (sortval instanceof ListValue) {
    for (const s of sortval.toArray()) vector.push({ obj: s, score: 0, cmp: undefined });
  } else if (sortval instanceof SetValue) {
    for (const s of sortval.members()) vector.push({ obj: s, score: 0, cmp: undefined });
  } else if (sortval instanceof ZSetValue && dontsort) {
    const size = sortval.size;
    let node = desc ? sortval.byRank(size - (start > 0 ? start : 0)) : sortval.byRank(start > 0 ? start + 1 : 1);
    for (let n = vectorlen; n > 0 && node !== null; n--) {
      vector.push({ obj: node.member, score: 0, cmp: undefined });
      node = desc ? node.prev : node.next[0]!;
    }
    end -= start;
    start = 0;
  } else if (sortval instanceof ZSetValue) {
    for (const [m] of sortval.entries()) vector.push({ obj: m, score: 0, cmp: undefined });
  }

  let convError = false;
  if (!dontsort) {
    for (const item of vector) {
      let byval: string | undefined;
      if (sortby !== undefined) {
        byval = lookupByPattern(db, sortby, item.obj);
        if (byval === undefined) continue;
      } else {
        byval = item.obj;
      }
      if (alpha) {
        if (sortby !== undefined) item.cmp = byval;
      } else {
        const sc = sortScore(byval);
        if (sc === undefined) convError = true;
        else item.score = sc;
      }
    }
    const bypattern = sortby !== undefined;
    const store = storekey !== undefined;
    const sign = desc ? -1 : 1;
    let compare: (a: SortItem, b: SortItem) => number;
    if (!alpha) {
      compare = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : cmpBinary(a.obj, b.obj));
    } else if (bypattern) {
      compare = (a, b) => {
        let c: number;
        if (a.cmp === undefined || b.cmp === undefined) {
          c = a.cmp === b.cmp ? 0 : a.cmp === undefined ? -1 : 1;
        } else c = store ? cmpBinary(a.cmp, b.cmp) : strcmpC(a.cmp, b.cmp);
        return sign * c;
      };
    } else {
      compare = store ? (a, b) => sign * cmpBinary(a.obj, b.obj) : (a, b) => sign * strcmpC(a.obj, b.obj);
    }
    vector.sort(compare);
  }

  const rows = end - start + 1;
  const outputlen = rows > 0 ? (gets.length ? gets.length * rows : rows) : 0;
  if (convError) return w.error("ERR One or more scores can't be converted into double");
  if (storekey === undefined) {
    w.array(outputlen);
    for (let j = start; j <= end; j++) {
      const obj = vector[j]!.obj;
      if (gets.length === 0) w.bulk(obj);
      for (const g of gets) {
        const val = lookupByPattern(db, g, obj);
        if (val === undefined) w.null();
        else w.bulk(val);
      }
    }
    return;
  }
  const items: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = vector[j]!.obj;
    if (gets.length === 0) items.push(obj);
    else for (const g of gets) items.push(lookupByPattern(db, g, obj) ?? '');
  }
  if (outputlen > 0) {
    db.set(storekey, new ListValue(items));
    engine.notify(NOTIFY_LIST, 'sortstore', storekey, db.id);
    engine.dirty += outputlen;
  } else if (db.delete(storekey)) {
    engine.notify(NOTIFY_GENERIC, 'del', storekey, db.id);
    engine.dirty++;
  }
  w.integer(outputlen);
}

// ---- WAIT ---------------------------------------------------------------------------------------

function wait(ctx: CommandContext): void | Promise<void> {
  const { engine, args, w } = ctx;
  const numreplicas = parseLong(args[1]!);
  if (numreplicas === undefined) return w.error(Errors.notInteger);
  const deadline = readTimeout(ctx, args[2]!, false);
  if (deadline === undefined) return;
  // No replicas: zero acknowledged. Asking for more blocks until the timeout (0: forever),
  // unless the client may not block (MULTI, scripts), as in Valkey. CLIENT UNBLOCK ends the
  // wait with the same reply (or the UNBLOCKED error).
  if (numreplicas <= 0 || ctx.client.ctxFlags & (CTX_FLAGS_LUA | CTX_FLAGS_MULTI | CTX_FLAGS_DENY_BLOCKING)) {
    return w.integer(0);
  }
  return engine.blocking.block(ctx, { keys: [], deadline, onTimeout: (tw) => tw.integer(0) }).done;
}

// ---- the table ----------------------------------------------------------------------------------

/** The generic keyspace commands, registered by commands/index.ts. */
export const genericCommands: CommandDef[] = [
  cmd('del', del),
  cmd('unlink', del),
  cmd('exists', exists),
  cmd('type', type),
  cmd('keys', keys),
  cmd('scan', scan),
  cmd('randomkey', randomkey),
  cmd('rename', (ctx) => rename(ctx, false)),
  cmd('renamenx', (ctx) => rename(ctx, true)),
  cmd('copy', copy),
  cmd('move', move),
  cmd('expire', (ctx) => expireGeneric(ctx, true, true)),
  cmd('pexpire', (ctx) => expireGeneric(ctx, true, false)),
  cmd('expireat', (ctx) => expireGeneric(ctx, false, true)),
  cmd('pexpireat', (ctx) => expireGeneric(ctx, false, false)),
  cmd('ttl', (ctx) => ttlGeneric(ctx, false, false)),
  cmd('pttl', (ctx) => ttlGeneric(ctx, true, false)),
  cmd('expiretime', (ctx) => ttlGeneric(ctx, false, true)),
  cmd('pexpiretime', (ctx) => ttlGeneric(ctx, true, true)),
  cmd('persist', persist),
  cmd('touch', touch),
  objectCommand,
  cmd('sort', (ctx) => sortGeneric(ctx, false)),
  cmd('sort_ro', (ctx) => sortGeneric(ctx, true)),
  cmd('wait', wait),
];
