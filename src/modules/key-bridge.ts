/**
 * The key bridge: what the module key API (native/api/keys.cc) asks of the TypeScript
 * keyspace, one call per operation. Operation numbers mirror native/host/key.h.
 */
import type { Engine } from '../engine/engine.js';
import { lfuWord, lruClock } from '../engine/db.js';
import { HashValue, ListValue, ModuleValue, SetValue, StreamValue, ZSetValue, type Value } from '../engine/types/index.js';
import { configOf } from '../engine/config.js';
import { flushDb } from '../commands/server.js';
import { listKeyOp } from './key-ops-list.js';
import { hashKeyOp } from './key-ops-hash.js';
import { zsetKeyOp } from './key-ops-zset.js';
import { streamKeyOp } from './key-ops-stream.js';
import { miscKeyOp } from './key-ops-misc.js';
import { scanKeyOp } from './key-ops-scan.js';
import { clientsKeyOp } from './key-ops-clients.js';
import { filtersKeyOp } from './key-ops-filters.js';
import { configsKeyOp } from './key-ops-configs.js';
import { aclKeyOp } from './key-ops-acl.js';
import { typesKeyOp } from './key-ops-types.js';
import { yieldKeyOp } from './key-ops-yield.js';
import { blockingKeyOp } from './key-ops-blocking.js';
import { unitsKeyOp } from './key-ops-units.js';
import { eventsKeyOp } from './key-ops-events.js';
import { notifyKeyOp } from './key-ops-notify.js';
import { persistenceKeyOp } from './key-ops-persistence.js';

/**
 * An API area's bridge operations: op numbers 100-199 lists, 200-299 hashes, 300-399
 * sorted sets, 400-499 streams, 500-599 INFO/publish/latency, 600-699 scan and cluster,
 * 700-799 clients and shared APIs, 800-849 command filters, 850-899 module configs, 900-999
 * module ACL users (native/host/key.h). Each area lives in its own file.
 */
export type KeyOpHandler = (engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown) => unknown;
const AREA_OPS: (KeyOpHandler | undefined)[] = [
  undefined, listKeyOp, hashKeyOp, zsetKeyOp, streamKeyOp, miscKeyOp, scanKeyOp, clientsKeyOp,
  (engine, op, db, key, a, b) => (op < 850 ? filtersKeyOp : configsKeyOp)(engine, op, db, key, a, b),
  aclKeyOp,
];
// 1000-1009 execution units of the global lock, 1010-1099 module blocked clients
AREA_OPS[10] = (engine, op, db, key, a, b) => (op < 1010 ? unitsKeyOp(engine, op) : blockingKeyOp(engine, op, db, key, a, b));
AREA_OPS[13] = eventsKeyOp; // 1300-1399 server events, timers, event loop
AREA_OPS[14] = notifyKeyOp; // 1400-1499 module keyspace notifications
AREA_OPS[11] = persistenceKeyOp; // 1100-1199 whole-dataset RDB (RdbLoad/RdbSave)
AREA_OPS[12] = typesKeyOp; // 1200-1299 module data type values
AREA_OPS[15] = yieldKeyOp; // 1500-1599 Yield serving other clients

const KOP_OPEN = 0;
const KOP_TYPE = 1;
const KOP_LENGTH = 2;
const KOP_DELETE = 3;
const KOP_UNLINK = 4;
const KOP_GET_EXPIRE = 5;
const KOP_SET_EXPIRE = 6;
const KOP_STRING_GET = 7;
const KOP_STRING_SET = 8;
const KOP_STRING_REPLACE = 9;
const KOP_DBSIZE = 10;
const KOP_RANDOMKEY = 11;
const KOP_RESET = 12;
const KOP_SIGNAL = 13;
const KOP_SELECT = 14;
const KOP_GET_LRU = 15;
const KOP_SET_LRU = 16;
const KOP_GET_LFU = 17;
const KOP_SET_LFU = 18;
const KOP_EXISTS = 19;
const KOP_NOW = 20;

// OpenKey mode bits (valkeymodule.h)
const MODE_WRITE = 2;
const NOTOUCH = 1 << 16;
const NONOTIFY = 1 << 17;
const NOSTATS = 1 << 18;
const NOEXPIRE = 1 << 19;

/** VALKEYMODULE_KEYTYPE_* of a value (0 for none). */
export function keyTypeCode(v: Value | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'string') return 1;
  if (v instanceof ListValue) return 2;
  if (v instanceof HashValue) return 3;
  if (v instanceof SetValue) return 4;
  if (v instanceof ZSetValue) return 5;
  if (v instanceof ModuleValue) return 6;
  if (v instanceof StreamValue) return 7;
  return 0;
}

function valueLength(v: Value | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'string') return v.length;
  if (v instanceof ListValue) return v.length;
  if (v instanceof HashValue || v instanceof SetValue || v instanceof ZSetValue) return v.size;
  if (v instanceof StreamValue) return v.length;
  return 0;
}

function lfuPolicy(engine: Engine): boolean {
  return (configOf(engine).get('maxmemory-policy') ?? '').endsWith('-lfu');
}

/** Builds the bridge function the addon calls for every key API operation. */
export function createKeyBridge(engine: Engine): (op: number, db: number, key: string | null, a: unknown, b: unknown) => unknown {
  return (op, dbIndex, key, a, b) => {
    if (op >= 100) {
      const area = AREA_OPS[Math.floor(op / 100)];
      return area ? area(engine, op, dbIndex, key as string, a, b) : undefined;
    }
    if (op === KOP_NOW) return engine.now();
    if (op === KOP_RESET) {
      for (const db of engine.dbs) flushDb(engine, db);
      engine.dirty++;
      return true;
    }
    if (op === KOP_SELECT) {
      // dbIndex: the new database; a: the client id (the engine updates that client).
      if (!Number.isInteger(dbIndex) || dbIndex < 0 || dbIndex >= engine.dbs.length) return false;
      engine.clientSelected(Number(a), dbIndex);
      return true;
    }
    const db = engine.dbs[dbIndex];
    if (!db) return undefined;
    if (op === KOP_DBSIZE) return db.size;
    if (op === KOP_RANDOMKEY) return db.randomKey() ?? null;
    const k = key!;
    switch (op) {
      case KOP_OPEN: {
        const mode = a as number;
        const v = db.lookup(k, (mode & MODE_WRITE) !== 0, (mode & NOTOUCH) !== 0, (mode & NONOTIFY) !== 0,
          (mode & NOSTATS) !== 0, (mode & NOEXPIRE) !== 0);
        return keyTypeCode(v);
      }
      case KOP_TYPE:
        return keyTypeCode(db.entry(k)?.value);
      case KOP_EXISTS:
        return db.entry(k) !== undefined;
      case KOP_LENGTH:
        return valueLength(db.entry(k)?.value);
      case KOP_DELETE:
      case KOP_UNLINK: {
        const gone = db.delete(k);
        if (gone) engine.dirty++;
        return gone;
      }
      case KOP_GET_EXPIRE:
        return db.getExpire(k);
      case KOP_SET_EXPIRE: {
        const e = db.entry(k);
        if (e === undefined) return false;
        const when = a as number;
        if (when < 0) db.persist(k);
        else db.setExpire(k, when);
        engine.dirty++;
        return true;
      }
      case KOP_STRING_GET: {
        const v = db.entry(k)?.value;
        return typeof v === 'string' ? v : null;
      }
      case KOP_STRING_SET:
        db.delete(k);
        db.add(k, a as string);
        engine.dirty++;
        return true;
      case KOP_STRING_REPLACE:
        if (!db.replace(k, a as string)) db.add(k, a as string);
        engine.dirty++;
        return true;
      case KOP_SIGNAL:
        engine.keyModified(db.id, k);
        return true;
      case KOP_GET_LRU: {
        const e = db.entry(k);
        if (e === undefined) return -2;
        if (lfuPolicy(engine)) return -1;
        return Math.max(0, lruClock(engine.now()) - e.lru) * 1000;
      }
      case KOP_SET_LRU: {
        const e = db.entry(k);
        if (e === undefined || lfuPolicy(engine)) return false;
        const idle = a as number;
        if (idle < 0) return false;
        e.lru = lruClock(engine.now()) - Math.floor(idle / 1000);
        return true;
      }
      case KOP_GET_LFU: {
        const e = db.entry(k);
        if (e === undefined) return -2;
        if (!lfuPolicy(engine)) return -1;
        return db.lfuCounter(e);
      }
      case KOP_SET_LFU: {
        const e = db.entry(k);
        if (e === undefined || !lfuPolicy(engine)) return false;
        const f = a as number;
        if (f < 0) return false;
        e.lru = lfuWord(engine.now(), Math.min(255, f));
        return true;
      }
      default:
        return undefined;
    }
  };
}
