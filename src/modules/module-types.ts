/**
 * Module data types on the TypeScript side: the per-engine ModuleTypeCodec (RDB save/load,
 * aux records, digest, AOF rewrite of module values) and the lifecycle of module values
 * (unlink, copy, memory usage, free).
 *
 * A module value lives in native memory (native/host/modtype.cc); the keyspace holds a
 * ModuleValue with its handle. Every operation is one call into the addon's
 * `moduleType(op, ...)`.
 *
 * Freeing: a value is freed (the type's free callback) once no key holds it any more. The
 * keyspace counts the keys holding a value (ModuleValue.refs); when the count drops to 0 the
 * value is queued and freed at the end of the running command (or, outside commands, in a
 * microtask). Moving a value (RENAME, MOVE, SWAPDB) unlinks and re-links it within one
 * command, so it is never freed. Valkey frees synchronously, or in its lazyfree thread when
 * free_effort says the value is big (Valkey 8 enables lazyfree for DEL, expiry, eviction
 * and flushes by default); here a big value's free runs on the JS thread, in a later turn of
 * the event loop (see settle()).
 */
import type { Engine } from '../engine/engine.js';
import { ModuleValue } from '../engine/types/index.js';
import {
  RdbError,
  noMatchingAuxModule,
  noMatchingModuleType,
  type ModuleIoKey,
  type ModuleTypeCodec,
  type RdbReader,
  type RdbWriter,
} from '../persistence/rdb-value.js';

// Operations of the addon's moduleType(op, ...) (native/host/modtype.h, enum MtOp).
export const MT_TYPE_INFO = 0; // (typeIndex) -> [name, id as decimal string, module name] | null
export const MT_FREE = 1; // (handle)
export const MT_UNLINK = 2; // (handle, key, db)
export const MT_COPY = 3; // (handle, fromKey, fromDb, toKey, toDb) -> new handle | -1
export const MT_MEM_USAGE = 4; // (handle, key, db, samples) -> bytes
export const MT_FREE_EFFORT = 5; // (handle, key, db) -> effort
export const MT_SAVE = 6; // (handle, key, db, compress) -> Buffer (id, opcodes, EOF)
export const MT_LOAD = 7; // (buf, pos, end, id string, key, db, rdbType) -> [typeIndex, handle, pos] | error text
export const MT_AUX_SAVE = 8; // (when, compress) -> Buffer (complete aux records)
export const MT_AUX_LOAD = 9; // (buf, pos, end) -> pos | error text
export const MT_DIGEST = 10; // (handle, key, db) -> Buffer (20 bytes)
export const MT_AOF_REWRITE = 11; // (handle, key, db) -> string[][] | null (no aof_rewrite) | error text
export const MT_TYPE_COUNT = 12; // () -> number of types registered

/** Valkey's LAZYFREE_THRESHOLD: a free costing more effort than this is done in the background. */
const LAZYFREE_THRESHOLD = 64;

/** The engine's module data types (engine.moduleTypes). */
export class ModuleTypes implements ModuleTypeCodec {
  /** Values created or dropped since the last settle(): freed then unless a key holds them. */
  private pending: ModuleValue[] = [];
  private settleQueued = false;
  private readonly infos = new Map<number, { name: string; id: bigint; module: string }>();
  /** The key a value was last unlinked from (free_effort's key). */
  private readonly lastKey = new WeakMap<ModuleValue, [string, number]>();
  /** Values whose free was deferred (lazyfree), freed in a later turn of the event loop. */
  private lazy: ModuleValue[] = [];

  constructor(private readonly engine: Engine) {}

  private op(op: number, ...args: unknown[]): unknown {
    return this.engine.registry.native.moduleType(op, ...args);
  }

  /** Name, 64-bit id and module of a registered type (by its index); null for an index
   *  whose module failed to load. */
  typeInfo(typeIndex: number): { name: string; id: bigint; module: string } | null {
    let info = this.infos.get(typeIndex);
    if (info === undefined) {
      const r = this.op(MT_TYPE_INFO, typeIndex) as [string, string, string] | null;
      if (r === null) return null;
      info = { name: r[0], id: BigInt(r[1]), module: r[2] };
      this.infos.set(typeIndex, info);
    }
    return info;
  }

  /** Wraps a native value handle of a type; the value is freed at the next settle() unless a
   *  key holds it by then. */
  wrap(typeIndex: number, handle: number): ModuleValue {
    const info = this.typeInfo(typeIndex);
    if (info === null) throw new Error(`unknown module type index ${typeIndex}`);
    const v = new ModuleValue(typeIndex, info.name, handle);
    this.queue(v);
    return v;
  }

  /** A key's value left the keyspace (Db hook): the type's unlink2/unlink callback. */
  unlinked(db: number, key: string, v: ModuleValue): void {
    if (v.freed) return;
    this.lastKey.set(v, [key, db]);
    this.op(MT_UNLINK, v.handle, key, db);
  }

  /** No key holds the value any more (Db hook): it is freed at the next settle(). */
  release(v: ModuleValue): void {
    this.queue(v);
  }

  private queue(v: ModuleValue): void {
    this.pending.push(v);
    if (!this.settleQueued) {
      this.settleQueued = true;
      queueMicrotask(() => this.settle());
    }
  }

  /**
   * Frees every queued value no key holds (called at the end of each command). As Valkey 8
   * with its default lazyfree settings, a value whose free_effort(2) exceeds
   * LAZYFREE_THRESHOLD (64) is freed "in the background": here in a later turn of the JS
   * event loop (setImmediate), still on the JS thread.
   */
  settle(): void {
    this.settleQueued = false;
    if (this.pending.length === 0) return;
    const list = this.pending;
    this.pending = [];
    for (const v of list) {
      if (v.refs !== 0 || v.freed) continue;
      const [key, db] = this.lastKey.get(v) ?? [null, -1];
      if (this.op(MT_FREE_EFFORT, v.handle, key, db) as number > LAZYFREE_THRESHOLD) {
        if (this.lazy.push(v) === 1) setImmediate(() => this.freeLazy());
      } else this.free(v);
    }
  }

  /** The deferred (lazyfree) frees. */
  private freeLazy(): void {
    const list = this.lazy;
    this.lazy = [];
    for (const v of list) if (v.refs === 0) this.free(v);
  }

  /** Frees a value now (the type's free callback); idempotent. */
  free(v: ModuleValue): void {
    if (v.freed) return;
    v.freed = true;
    ModuleValue.live--;
    this.op(MT_FREE, v.handle);
  }

  /** COPY: the type's copy2/copy result for the destination key; undefined when the type has
   *  no copy callback, null when it returned NULL. */
  copy(v: ModuleValue, fromKey: string, fromDb: number, toKey: string, toDb: number): ModuleValue | null | undefined {
    const h = this.op(MT_COPY, v.handle, fromKey, fromDb, toKey, toDb) as number;
    if (h === -2) return undefined;
    return h < 0 ? null : this.wrap(v.typeId, h);
  }

  /** Whether a loaded type has this name, ignoring case (SCAN TYPE). */
  hasTypeNamed(name: string): boolean {
    const lower = name.toLowerCase();
    const n = this.count();
    for (let i = 0; i < n; i++) if (this.typeInfo(i)?.name.toLowerCase() === lower) return true;
    return false;
  }

  /** MEMORY USAGE: mem_usage2/mem_usage (0 without either callback). */
  memUsage(v: ModuleValue, key: string, db: number, samples: number): number {
    return this.op(MT_MEM_USAGE, v.handle, key, db, samples) as number;
  }

  /** free_effort2/free_effort (1 without either callback, as Valkey's lazyfreeGetFreeEffort). */
  freeEffort(v: ModuleValue, key: string, db: number): number {
    return this.op(MT_FREE_EFFORT, v.handle, key, db) as number;
  }

  /** How many data types the loaded modules registered. */
  count(): number {
    return this.op(MT_TYPE_COUNT) as number;
  }

  // ModuleTypeCodec (see src/persistence/rdb-value.ts)

  save(w: RdbWriter, v: ModuleValue, io: ModuleIoKey): void {
    if (v.freed) throw new RdbError(`module value of type '${v.name}' was freed`);
    w.raw(this.op(MT_SAVE, v.handle, io.key, io.dbid, w.compress) as Buffer);
  }

  load(r: RdbReader, type: number, moduleId: bigint, io: ModuleIoKey): ModuleValue {
    if (this.count() === 0) throw noMatchingModuleType(moduleId);
    const res = this.op(MT_LOAD, r.buf, r.pos, r.end, BigInt.asUintN(64, moduleId).toString(), io.key, io.dbid, type);
    if (res === '') throw noMatchingModuleType(moduleId);
    if (typeof res === 'string') throw new RdbError(res);
    const [typeIndex, handle, pos] = res as [number, number, number];
    r.pos = pos;
    return this.wrap(typeIndex, handle);
  }

  auxSave(w: RdbWriter, when: 1 | 2): void {
    if (this.count() === 0) return;
    w.raw(this.op(MT_AUX_SAVE, when, w.compress) as Buffer);
  }

  auxLoad(r: RdbReader): void {
    if (this.count() === 0) throw noMatchingAuxModule(r.lenBig());
    const res = this.op(MT_AUX_LOAD, r.buf, r.pos, r.end);
    if (typeof res === 'string') throw new RdbError(res);
    r.pos = res as number;
  }

  digest(v: ModuleValue, io: ModuleIoKey): Buffer {
    if (v.freed) return Buffer.alloc(20);
    return this.op(MT_DIGEST, v.handle, io.key, io.dbid) as Buffer;
  }

  aofRewrite(v: ModuleValue, io: ModuleIoKey): string[][] {
    const res = this.op(MT_AOF_REWRITE, v.handle, io.key, io.dbid);
    if (res === null || res === undefined) throw new RdbError(`module type '${v.name}' has no aof_rewrite callback`);
    if (typeof res === 'string') throw new RdbError(res);
    return res as string[][];
  }
}
