/**
 * HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. Values are plain
 * strings in Valkey's exact HLL format (src/engine/hll.ts), so GET/SET/DUMP see the same
 * bytes as on Valkey.
 */
import { cmd } from './define.js';
import type { CommandDef, CommandContext } from './table.js';
import type { Engine } from '../engine/engine.js';
import type { Db } from '../engine/db.js';
import { WRONGTYPE } from '../engine/types/index.js';
import { NOTIFY_STRING } from '../engine/notify.js';
import { configOf } from '../engine/config.js';
import {
  Hll,
  HLL_DENSE,
  HLL_HDR_SIZE,
  HLL_INVALID,
  HLL_REGISTERS,
  HLL_WRONGTYPE,
  countRaw,
  getDenseRegister,
  isHllString,
  setDenseRegister,
  HLL_DENSE_SIZE,
} from '../engine/hll.js';

/** hll-sparse-max-bytes. */
function sparseMaxBytes(engine: Engine): number {
  return configOf(engine).hllSparseMaxBytes;
}

/*
 * The last HLL decoded, with the exact string it was decoded from: repeated PFADDs to one
 * key then skip re-reading the 12 KB dense string (comparing identical strings is O(1)).
 */
let cachedString: string | undefined;
let cachedHll: Hll | undefined;

/** Decodes a keyspace string into a mutable HLL (the caller checked isHllString). */
function open(s: string): Hll {
  if (cachedString === s && cachedHll !== undefined) return cachedHll;
  const h = Hll.fromString(s);
  cachedString = s;
  cachedHll = h;
  return h;
}

/** The string of a (possibly modified) HLL, remembered for the next open(). */
function store(h: Hll): string {
  const s = h.toString();
  cachedString = s;
  cachedHll = h;
  return s;
}

/** Forgets the decoded HLL (it was modified without being stored). */
function forget(): void {
  cachedString = undefined;
  cachedHll = undefined;
}

/** isHLLObjectOrReply: a string with a valid header, else writes the error. */
function checkHll(ctx: CommandContext, v: unknown): v is string {
  if (typeof v !== 'string') {
    ctx.w.error(WRONGTYPE);
    return false;
  }
  if (!isHllString(v)) {
    ctx.w.error(HLL_WRONGTYPE);
    return false;
  }
  return true;
}

/** Writes an HLL back to its key in place (TTL kept), signalling the modification. */
function writeBack(db: Db, key: string, h: Hll, signal: boolean): void {
  const s = store(h);
  if (signal) db.set(key, s, true);
  else db.replace(key, s);
}

function pfadd(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const cur = db.getForWrite(key);
  let h: Hll;
  let updated = 0;
  const created = cur === undefined;
  if (created) {
    h = Hll.create();
    updated++;
  } else {
    if (!checkHll(ctx, cur)) return;
    h = open(cur);
  }
  const max = sparseMaxBytes(engine);
  let changed = false;
  for (let j = 2; j < args.length; j++) {
    const r = h.add(args[j]!, max);
    if (r === 1) {
      updated++;
      changed = true;
    } else if (r === -1) {
      // Registers set before the corruption was met stay set, as in Valkey.
      if (created) db.add(key, store(h));
      else if (changed) writeBack(db, key, h, false);
      else forget();
      return w.error(HLL_INVALID);
    }
  }
  if (updated) {
    h.invalidateCache();
    if (created) db.set(key, store(h));
    else writeBack(db, key, h, true);
    engine.notify(NOTIFY_STRING, 'pfadd', key, db.id);
    engine.dirty += updated;
  }
  w.integer(updated ? 1 : 0);
}

function pfcount(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  if (args.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < args.length; j++) {
      const v = db.get(args[j]!);
      if (v === undefined) continue;
      if (!checkHll(ctx, v)) return;
      if (!open(v).mergeInto(max)) return w.error(HLL_INVALID);
    }
    return w.integer(countRaw(max));
  }
  const key = args[1]!;
  const v = db.get(key);
  if (v === undefined) return w.integer(0);
  if (!checkHll(ctx, v)) return;
  const h = open(v);
  if (h.cacheValid()) return w.integer(h.cachedCard());
  const card = h.count();
  if (card === undefined) return w.error(HLL_INVALID);
  h.setCachedCard(card);
  writeBack(db, key, h, true);
  engine.dirty++;
  w.integer(card);
}

function pfmerge(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < args.length; j++) {
    const v = db.get(args[j]!);
    if (v === undefined) continue;
    if (!checkHll(ctx, v)) return;
    const h = open(v);
    if (h.encoding === HLL_DENSE) useDense = true;
    if (!h.mergeInto(max)) return w.error(HLL_INVALID);
  }
  const key = args[1]!;
  const cur = db.getForWrite(key);
  const created = cur === undefined;
  // An existing destination passed the header check in the loop above.
  const h = created ? Hll.create() : Hll.fromString(cur as string);
  if (useDense && !h.toDense()) {
    forget();
    return w.error(HLL_INVALID);
  }
  const sparseMax = sparseMaxBytes(engine);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const m = max[j]!;
    if (m === 0) continue;
    if (h.encoding === HLL_DENSE) {
      if (m > getDenseRegister(h.buf, HLL_HDR_SIZE, j)) setDenseRegister(h.buf, HLL_HDR_SIZE, j, m);
    } else {
      h.sparseSet(j, m, sparseMax);
    }
  }
  h.invalidateCache();
  if (created) db.set(key, store(h));
  else writeBack(db, key, h, true);
  engine.notify(NOTIFY_STRING, 'pfadd', key, db.id);
  engine.dirty++;
  w.simple('OK');
}

function pfdebug(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const sub = args[1]!;
  const key = args[2]!;
  if (sub.toLowerCase() === 'simd') {
    // No SIMD register merging here: it always reports disabled.
    const onoff = key.toLowerCase();
    if (onoff !== 'on' && onoff !== 'off') return w.error('ERR Argument must be ON or OFF');
    return w.simple('disabled');
  }
  const v = db.getForWrite(key);
  if (v === undefined) return w.error('ERR The specified key does not exist');
  if (!checkHll(ctx, v)) return;
  const h = Hll.fromString(v);
  switch (sub.toLowerCase()) {
    case 'getreg': {
      if (h.encoding !== HLL_DENSE) {
        if (!h.toDense()) return w.error(HLL_INVALID);
        db.replace(key, store(h));
        engine.dirty++;
      }
      const regs = h.registers();
      w.array(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) w.integer(regs[j]!);
      return;
    }
    case 'decode':
      if (h.encoding === HLL_DENSE) return w.error('ERR HLL encoding is not sparse');
      return w.bulk(h.decodeSparse());
    case 'encoding':
      return w.simple(h.encoding === HLL_DENSE ? 'dense' : 'sparse');
    case 'todense': {
      let conv = 0;
      if (h.encoding !== HLL_DENSE) {
        if (!h.toDense()) return w.error(HLL_INVALID);
        db.replace(key, store(h));
        conv = 1;
        engine.dirty++;
      }
      return w.integer(conv);
    }
    default:
      return w.error(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/**
 * PFSELFTEST: checks the dense register codec over every register, then that sparse and
 * dense HLLs fed the same elements agree and stay within the expected error.
 */
function pfselftest(ctx: CommandContext): void {
  const { w } = ctx;
  // 1) Dense register round trip with pseudo-random values.
  const regs = new Uint8Array(HLL_DENSE_SIZE + 1);
  const expect = new Uint8Array(HLL_REGISTERS);
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let round = 0; round < 100; round++) {
    for (let j = 0; j < HLL_REGISTERS; j++) {
      const r = rnd() & 63;
      expect[j] = r;
      setDenseRegister(regs, HLL_HDR_SIZE, j, r);
    }
    for (let j = 0; j < HLL_REGISTERS; j++) {
      if (getDenseRegister(regs, HLL_HDR_SIZE, j) !== expect[j]) {
        return w.error(`ERR TESTFAILED Register error at ${j}`);
      }
    }
  }
  // 2) Sparse and dense agree; the estimate stays within 5 standard errors.
  const sparse = Hll.create();
  const dense = Hll.create();
  dense.toDense();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  for (let j = 1; j <= 100000; j++) {
    const ele = `selftest:${rnd()}:${j}`;
    sparse.add(ele, 3000);
    dense.add(ele, 3000);
    if (j === checkpoint) {
      const a = sparse.count()!;
      const b = dense.count()!;
      if (a !== b) return w.error(`ERR TESTFAILED sparse and dense disagree at ${j}: ${a} vs ${b}`);
      const maxerr = Math.max(5 * relerr * j, 1);
      if (Math.abs(j - b) > maxerr) {
        return w.error(`ERR TESTFAILED Too big error. card:${j} abserr:${Math.abs(j - b)}`);
      }
      checkpoint *= 10;
    }
  }
  w.simple('OK');
}

/** The HyperLogLog commands, registered by commands/index.ts. */
export const hllCommands: CommandDef[] = [
  cmd('pfadd', pfadd),
  cmd('pfcount', pfcount),
  cmd('pfmerge', pfmerge),
  cmd('pfdebug', pfdebug),
  cmd('pfselftest', pfselftest),
];
