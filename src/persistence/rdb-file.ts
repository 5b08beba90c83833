/**
 * Whole RDB files in Valkey's format: the dataset of every database written as one image
 * (SAVE, BGSAVE, DEBUG RELOAD, the AOF preamble, RdbSave) and such an image loaded back
 * (startup, DEBUG RELOAD, RdbLoad), byte-compatible with Valkey 8 and, with `version: 10`,
 * loadable by Redis 7.0.
 *
 * Layout written: the magic `REDIS` and a 4-digit version, the aux fields Valkey 8 writes
 * for a standalone primary (valkey-ver, redis-bits, ctime, used-mem, aof-base), module aux
 * records due before the keyspace, then per non-empty database SELECTDB and RESIZEDB
 * followed by its keys (an EXPIRETIME_MS before a volatile key, an IDLE before every key
 * under an LRU maxmemory-policy), module aux records due after the keyspace, EOF and the
 * CRC-64 of everything before it (zero with rdbchecksum no). Values use the single-object
 * codec of rdb-value.ts; module values go through the engine's module type codec.
 *
 * Loading accepts every opcode and object type Valkey 8 reads (RDB versions 1-11), skips
 * keys already expired (as a primary does) and empty collections (as Valkey does), and
 * verifies the checksum. A corrupt or truncated image raises RdbError; the databases are
 * then flushed so nothing half-loaded stays behind silently.
 */
import {
  fireServerEvent,
  EVENT_LOADING_PROGRESS,
  SUB_LOADING_PROGRESS_AOF,
  SUB_LOADING_PROGRESS_RDB,
} from '../modules/server-events.js';
import type { Engine } from '../engine/engine.js';
import { lfuWord, lruClock } from '../engine/db.js';
import { NOTIFY_LOADED } from '../engine/notify.js';
import { configOf } from '../engine/config.js';
import { LL_DEBUG, LL_NOTICE, LL_WARNING } from '../engine/log.js';
import { SERVER_VERSION } from '../engine/version.js';
import { collectionConfigOf, type CollectionConfig } from '../engine/types/collections.js';
import { ModuleValue, SetValue, StreamValue, type Value } from '../engine/types/index.js';
import { emptyData, flushDb } from '../commands/server.js';
import { Crc64 } from './crc64.js';
import {
  RdbError,
  RdbReader,
  RdbWriter,
  RDB_VERSION,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_MODULE_PRE_GA,
  RDB_TYPE_SET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  buildValue,
  isObjectType,
  loadObject,
  writeObject,
} from './rdb-value.js';

// Special opcodes (the byte where an object type would otherwise be).
export const RDB_OPCODE_SLOT_INFO = 244;
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

/** The newest RDB version Redis 7.0 loads (it refuses 11 with "Can't handle RDB format version 11"). */
export const RDB_VERSION_REDIS_7_0 = 10;

/** VALKEYMODULE_CTX_FLAGS_PRIMARY and _LOADING (this engine is always a primary). */
const CTX_FLAGS_PRIMARY = 1 << 2;
const CTX_FLAGS_LOADING = 1 << 13;

/** Valkey's message for a truncated file (it logs it and exits; we refuse the load instead). */
export const SHORT_READ_MESSAGE = 'Short read or OOM loading DB. Unrecoverable error, aborting now.';

/** What the file layer needs of the module type codec (interface I1, engine.moduleTypes). */
interface FileModuleCodec {
  save(w: RdbWriter, v: ModuleValue, io: { key: string | null; dbid: number }): void;
  load(r: RdbReader, type: number, moduleId: bigint, io: { key: string | null; dbid: number }): ModuleValue;
  auxSave(w: RdbWriter, when: 1 | 2): void;
  auxLoad(r: RdbReader): void;
}

/** The engine's module type codec, when the module layer installed one. */
function codecOf(engine: Engine): FileModuleCodec | undefined {
  return (engine as unknown as { moduleTypes?: FileModuleCodec }).moduleTypes;
}

/** Options of serializeRdb. */
export interface SerializeOptions {
  /** Written as the AOF base / preamble: aux field aof-base is 1. */
  aofBase?: boolean;
  /** RDB version in the header: 11 (Valkey 8, default) or 10 (loadable by Redis 7.0:
   *  set listpacks are written as plain sets, streams as STREAM_LISTPACKS_2). */
  version?: 10 | 11;
}

/** Approximate used memory for the used-mem aux field. */
function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** An aux field: opcode, then name and value as RDB strings. */
function writeAux(w: RdbWriter, name: string, value: string): void {
  w.byte(RDB_OPCODE_AUX);
  w.string(name);
  w.string(value);
}

/**
 * Serializes every database (aux fields, module aux before/after, SELECTDB/RESIZEDB, keys
 * with expiry, EOF, CRC-64) into one RDB image. Throws when a module value cannot be
 * serialized (no codec / a type without rdb_save).
 */
export function serializeRdb(engine: Engine, opts: SerializeOptions = {}): Buffer {
  const cfg = configOf(engine);
  const version = opts.version ?? RDB_VERSION;
  const w = new RdbWriter(1 << 16, cfg.get('rdbcompression') !== 'no');
  w.raw(Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1'));
  writeAux(w, 'valkey-ver', SERVER_VERSION);
  writeAux(w, 'redis-bits', '64');
  writeAux(w, 'ctime', String(Math.floor(Date.now() / 1000)));
  writeAux(w, 'used-mem', String(usedMemory()));
  writeAux(w, 'aof-base', opts.aofBase ? '1' : '0');
  const codec = codecOf(engine);
  codec?.auxSave(w, 1);
  const coll = collectionConfigOf(engine);
  const policy = cfg.get('maxmemory-policy') ?? 'noeviction';
  const saveLru = policy.endsWith('-lru');
  const saveLfu = policy.endsWith('-lfu');
  const nowClock = lruClock(Date.now());
  for (const db of engine.dbs) {
    if (db.dict.size === 0) continue;
    w.byte(RDB_OPCODE_SELECTDB);
    w.len(db.id);
    w.byte(RDB_OPCODE_RESIZEDB);
    w.len(db.dict.size);
    w.len(db.expires.size);
    for (const [key, e] of db.dict) {
      if (e.expire !== 0) {
        w.byte(RDB_OPCODE_EXPIRETIME_MS);
        w.millis(e.expire);
      }
      if (saveLru) {
        w.byte(RDB_OPCODE_IDLE);
        w.len(Math.max(0, nowClock - e.lru));
      }
      if (saveLfu) {
        // The access counter, decayed to now (one raw byte).
        w.byte(RDB_OPCODE_FREQ);
        w.byte(db.lfuCounter(e));
      }
      writeKeyValue(w, key, e.value, db.id, coll, version, codec);
    }
  }
  codec?.auxSave(w, 2);
  w.byte(RDB_OPCODE_EOF);
  const body = w.view();
  const out = Buffer.allocUnsafe(body.length + 8);
  body.copy(out, 0);
  if (cfg.get('rdbchecksum') === 'no') out.fill(0, body.length);
  else new Crc64().update(body).writeLE(out, body.length);
  return out;
}

/** One key: object type, key name, value (rdbSaveKeyValuePair without the expiry). */
function writeKeyValue(
  w: RdbWriter,
  key: string,
  v: Value,
  dbid: number,
  coll: Readonly<CollectionConfig>,
  version: number,
  codec: FileModuleCodec | undefined,
): void {
  if (v instanceof ModuleValue) {
    if (codec === undefined) throw new RdbError(`cannot serialize a value of module type '${v.name}'`);
    w.byte(RDB_TYPE_MODULE_2);
    w.string(key);
    codec.save(w, v, { key, dbid });
    return;
  }
  if (version < 11 && v instanceof SetValue && v.encoding() === 'listpack') {
    // Redis 7.0 has no set listpack (type 20): a plain set of members.
    const members = v.members();
    w.byte(RDB_TYPE_SET);
    w.string(key);
    w.len(members.length);
    for (const m of members) w.string(m);
    return;
  }
  // writeObject puts the type byte first; the key goes between type and value.
  const obj = new RdbWriter(typeof v === 'string' ? v.length + 16 : 256, w.compress);
  writeObject(obj, v, coll);
  const bytes = obj.view();
  let type = bytes[0]!;
  let payload = bytes.subarray(1);
  if (version < 11 && type === RDB_TYPE_STREAM_LISTPACKS_3 && v instanceof StreamValue) {
    type = RDB_TYPE_STREAM_LISTPACKS_2;
    payload = streamV3toV2(payload);
  }
  w.byte(type);
  w.string(key);
  w.raw(payload);
}

/**
 * Rewrites a STREAM_LISTPACKS_3 value as STREAM_LISTPACKS_2: the same bytes without each
 * consumer's active-time (the only difference between the two layouts).
 */
function streamV3toV2(p: Buffer): Buffer {
  const r = new RdbReader(p);
  const parts: Buffer[] = [];
  let from = 0;
  const nodes = r.len();
  for (let i = 0; i < nodes; i++) {
    r.stringBytes();
    r.stringBytes();
  }
  for (let i = 0; i < 8; i++) r.lenBig(); // length, last id, first id, max deleted id, entries added
  const groups = r.len();
  for (let g = 0; g < groups; g++) {
    r.stringBytes();
    r.lenBig();
    r.lenBig();
    r.lenBig(); // entries read
    const pel = r.len();
    for (let k = 0; k < pel; k++) {
      r.raw(16);
      r.millis();
      r.lenBig();
    }
    const consumers = r.len();
    for (let c = 0; c < consumers; c++) {
      r.stringBytes();
      r.millis(); // seen-time
      parts.push(p.subarray(from, r.pos));
      r.millis(); // active-time: not in version 2
      from = r.pos;
      const cpel = r.len();
      r.raw(16 * cpel);
    }
  }
  parts.push(p.subarray(from));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

/** Options of loadRdbBuffer. */
export interface LoadOptions {
  /** Empty every database first (default false: the image is merged into what is there). */
  flush?: boolean;
  /** A key already present is replaced (DEBUG RELOAD MERGE) instead of failing the load. */
  allowDuplicates?: boolean;
  /** Loading an AOF preamble: expired keys are kept (the AOF tail may touch them). */
  aofPreamble?: boolean;
  /** Start offset in the buffer (default 0). */
  offset?: number;
}

/** What a load did. */
export interface LoadResult {
  /** Keys loaded. */
  keys: number;
  /** Offset just past the image (after the checksum): where an AOF tail begins. */
  end: number;
  /** Keys skipped because already expired. */
  expired: number;
  /** Keys skipped because empty. */
  emptySkipped: number;
}

/** Reads the image after the header; throws RdbError. */
/** When the next LoadingProgress event may fire, per engine (Valkey: at most hz a second). */
const nextProgressEvent = new WeakMap<Engine, number>();

/** Fires the LoadingProgress server event (progress 0..1024 of the image) unless one fired
 *  less than 1/hz seconds ago. */
function loadingProgress(engine: Engine, loaded: number, total: number, aof: boolean): void {
  const now = Date.now();
  if (now < (nextProgressEvent.get(engine) ?? 0)) return;
  const hz = engine.options.hz;
  nextProgressEvent.set(engine, now + 1000 / hz);
  const progress = total > 0 ? Math.floor((loaded * 1024) / total) : -1;
  fireServerEvent(engine, EVENT_LOADING_PROGRESS, aof ? SUB_LOADING_PROGRESS_AOF : SUB_LOADING_PROGRESS_RDB, { hz, progress });
}

function loadBody(engine: Engine, buf: Buffer, start: number, opts: LoadOptions): LoadResult {
  const log = engine.logger;
  if (buf.length - start < 9) throw new RdbError(SHORT_READ_MESSAGE);
  if (buf.toString('latin1', start, start + 5) !== 'REDIS') {
    throw new RdbError('Wrong signature trying to load DB from file');
  }
  const verText = buf.toString('latin1', start + 5, start + 9);
  const rdbver = /^[0-9]{4}$/.test(verText) ? Number(verText) : -1;
  const relaxed = configOf(engine).get('rdb-version-check') === 'relaxed';
  if (rdbver < 1 || (rdbver > RDB_VERSION && !relaxed)) {
    throw new RdbError(`Can't handle RDB format version ${rdbver < 0 ? verText : rdbver}`);
  }
  const r = new RdbReader(buf, start + 9);
  const coll = collectionConfigOf(engine);
  const codec = codecOf(engine);
  const primaryExpiry = !opts.aofPreamble;
  const now = Date.now();
  let db = engine.dbs[0]!;
  let expire = -1;
  let idle = -1;
  let freq = -1;
  const lfu = (configOf(engine).get('maxmemory-policy') ?? 'noeviction').endsWith('-lfu');
  let keys = 0;
  let expired = 0;
  let emptySkipped = 0;
  // LoadingProgress every loading-process-events-interval-bytes, at most hz times a second.
  const interval = Number(configOf(engine).get('loading-process-events-interval-bytes')) || 2 * 1024 * 1024;
  let nextProgressAt = r.pos + interval;
  for (;;) {
    if (r.pos >= nextProgressAt) {
      nextProgressAt = r.pos + interval;
      loadingProgress(engine, r.pos - start, buf.length - start, opts.aofPreamble === true);
    }
    const type = r.byte();
    if (type === RDB_OPCODE_EXPIRETIME) {
      expire = r.raw(4).readInt32LE(0) * 1000;
      continue;
    }
    if (type === RDB_OPCODE_EXPIRETIME_MS) {
      expire = r.millis();
      continue;
    }
    if (type === RDB_OPCODE_FREQ) {
      freq = r.byte();
      continue;
    }
    if (type === RDB_OPCODE_IDLE) {
      const v = r.lenBig();
      idle = v > 0xffffffffn ? 0xffffffff : Number(v);
      continue;
    }
    if (type === RDB_OPCODE_EOF) break;
    if (type === RDB_OPCODE_SELECTDB) {
      const id = r.len();
      if (id >= engine.dbs.length) {
        throw new RdbError(
          `FATAL: Data file was created with a Valkey server configured to handle more than ${engine.dbs.length} databases. Exiting`,
        );
      }
      db = engine.dbs[id]!;
      continue;
    }
    if (type === RDB_OPCODE_RESIZEDB) {
      r.lenBig();
      r.lenBig();
      continue;
    }
    if (type === RDB_OPCODE_SLOT_INFO) {
      r.lenBig();
      r.lenBig();
      r.lenBig();
      continue;
    }
    if (type === RDB_OPCODE_AUX) {
      const name = r.string();
      const value = r.string();
      auxField(engine, name, value);
      continue;
    }
    if (type === RDB_OPCODE_MODULE_AUX) {
      if (codec === undefined) {
        const id = r.lenBig();
        throw new RdbError(`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeName(id)}'`);
      }
      codec.auxLoad(r);
      continue;
    }
    if (type === RDB_OPCODE_FUNCTION_PRE_GA) throw new RdbError('Pre-release function format not supported.');
    if (type === RDB_OPCODE_FUNCTION2) {
      const code = r.string();
      const m = /^#!(\S+)/.exec(code);
      throw new RdbError(`Failed loading library, Engine '${m ? m[1] : '?'}' not found`);
    }
    if (!isObjectType(type)) throw new RdbError(`Unknown RDB encoding type ${type}`);
    // A key and its value.
    const key = r.string();
    let value: Value;
    if (type === RDB_TYPE_MODULE_PRE_GA) throw new RdbError('Pre-release module format not supported');
    if (type === RDB_TYPE_MODULE_2) {
      const moduleId = r.lenBig();
      if (codec === undefined) {
        throw new RdbError(`The RDB file contains module data I can't load: no matching module type '${moduleTypeName(moduleId)}'`);
      }
      value = codec.load(r, type, moduleId, { key, dbid: db.id });
    } else {
      try {
        value = buildValue(loadObject(type, r), coll);
      } catch (e) {
        if (e instanceof RdbError && e.message === 'empty keys') {
          // Valkey skips empty collections with a notice and goes on.
          if (emptySkipped++ < 10) log.log(LL_NOTICE, `rdbLoadObject skipping empty key: ${key}`);
          expire = -1;
          idle = -1;
          freq = -1;
          continue;
        }
        throw e;
      }
    }
    if (primaryExpiry && expire !== -1 && expire < now) {
      // Already expired: a primary does not load it (its value is simply dropped).
      expired++;
      dropValue(engine, value);
    } else {
      if (db.dict.has(key)) {
        if (!opts.allowDuplicates) {
          dropValue(engine, value);
          throw new RdbError(`RDB has duplicated key '${key}' in DB ${db.id}`);
        }
        db.delete(key);
      }
      // Loading fires no 'new' event per key: only the module 'loaded' event below.
      db.addLoaded(key, value);
      if (expire !== -1) db.setExpire(key, expire);
      // objectSetLRUOrLFU: the saved counter under an LFU policy, the idle time otherwise.
      if (lfu ? freq !== -1 : idle !== -1) {
        const e = db.dict.get(key);
        if (e) e.lru = lfu ? lfuWord(now, freq) : lruClock(now) - idle;
      }
      // Module subscribers hear about each loaded key (no pub/sub class exists for it).
      engine.notify(NOTIFY_LOADED, 'loaded', key, db.id);
      keys++;
    }
    expire = -1;
    idle = -1;
    freq = -1;
  }
  // The checksum (RDB 5 and later).
  if (rdbver >= 5) {
    const sumAt = r.pos;
    r.raw(8);
    if (configOf(engine).get('rdbchecksum') !== 'no') {
      const stored = buf.readBigUInt64LE(sumAt);
      if (stored === 0n) {
        log.log(LL_WARNING, 'RDB file was saved with checksum disabled: no check performed.');
      } else {
        const crc = new Crc64().update(buf, start, sumAt);
        if (!crc.matchesLE(buf, sumAt)) {
          const got = crc.value().toString(16).padStart(16, '0');
          const want = stored.toString(16).padStart(16, '0');
          log.log(LL_WARNING, `Wrong RDB checksum expected: (${want}) got: (${got}). Aborting now.`);
          throw new RdbError('RDB CRC error');
        }
      }
    }
  }
  if (emptySkipped > 0) log.log(LL_NOTICE, `Done loading RDB, keys loaded: ${keys}, keys expired: ${expired}, empty keys skipped: ${emptySkipped}.`);
  else log.log(LL_NOTICE, `Done loading RDB, keys loaded: ${keys}, keys expired: ${expired}.`);
  return { keys, end: r.pos, expired, emptySkipped };
}

/** A loaded module value that will not be stored: the module layer frees it when it can. */
function dropValue(engine: Engine, v: Value): void {
  if (!(v instanceof ModuleValue)) return;
  const free = (engine as unknown as { moduleTypes?: { free?(v: ModuleValue): void } }).moduleTypes?.free;
  if (typeof free === 'function') free.call((engine as unknown as { moduleTypes: unknown }).moduleTypes, v);
}

const MODULE_ID_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 9-character name encoded in a module type id (the top 54 bits, 6 bits a character). */
export function moduleTypeName(id: bigint): string {
  let name = '';
  for (let i = 0; i < 9; i++) name += MODULE_ID_CHARSET[Number((id >> BigInt(10 + (8 - i) * 6)) & 63n)];
  return name;
}

/** An aux field read while loading: logged as Valkey logs the ones it knows. */
function auxField(engine: Engine, name: string, value: string): void {
  const log = engine.logger;
  switch (name.toLowerCase()) {
    case 'redis-ver':
    case 'valkey-ver':
      log.log(LL_NOTICE, `Loading RDB produced by ${name.toLowerCase() === 'valkey-ver' ? 'valkey' : 'redis'} version ${value}`);
      return;
    case 'ctime': {
      const age = Math.floor(Date.now() / 1000) - Number(value);
      log.log(LL_NOTICE, `RDB age ${Number.isFinite(age) ? Math.max(age, 0) : 0} seconds`);
      return;
    }
    case 'used-mem':
      log.log(LL_NOTICE, `RDB memory usage when created ${(Number(value) / (1024 * 1024)).toFixed(2)} Mb`);
      return;
    case 'aof-preamble':
    case 'aof-base':
    case 'redis-bits':
    case 'repl-stream-db':
    case 'repl-id':
    case 'repl-offset':
    case 'lua':
      return;
    default:
      log.log(LL_DEBUG, `Unrecognized RDB AUX field: '${name}'`);
  }
}

/**
 * Loads an RDB image into the engine. The caller decides whether to flush first
 * (`opts.flush`). Throws RdbError with a clear message when the image is corrupt or
 * truncated (a truncated one gives Valkey's "Short read or OOM loading DB..." text); every
 * database is then flushed, so nothing half-loaded is left behind silently.
 * engine.loading is true for the duration.
 */
export function loadRdbBuffer(engine: Engine, buf: Buffer, opts: LoadOptions = {}): LoadResult {
  if (opts.flush) emptyData(engine);
  const wasLoading = engine.loading;
  engine.loading = true;
  // GetContextFlags answers LOADING inside module callbacks run by the load (rdb_load, aux_load).
  if (!wasLoading) engine.registry.native.setServerFlags(CTX_FLAGS_PRIMARY | CTX_FLAGS_LOADING);
  try {
    return loadBody(engine, buf, opts.offset ?? 0, opts);
  } catch (e) {
    for (const db of engine.dbs) flushDb(engine, db);
    if (e instanceof RdbError) {
      if (e.message === 'unexpected end of RDB data') throw new RdbError(SHORT_READ_MESSAGE);
      throw e;
    }
    if (e instanceof RangeError) throw new RdbError(SHORT_READ_MESSAGE);
    throw e;
  } finally {
    engine.loading = wasLoading;
    if (!wasLoading) engine.registry.native.setServerFlags(CTX_FLAGS_PRIMARY);
  }
}
