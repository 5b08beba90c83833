/**
 * Command propagation: what AOF and replicas receive, with Valkey's rules.
 *
 * Effects are collected per *execution unit* — one top-level command with everything it runs
 * (commands called by modules, EXEC's queue, lazy expiry, module Replicate calls) — and
 * emitted once the unit ends, in the order they happened:
 *
 *   - one effect alone:        SELECT (when the database changed) then the command;
 *   - several effects:         MULTI, then SELECT where needed and the commands, then EXEC
 *                              (not for a command flagged touches_arbitrary_keys, SCAN and
 *                              RANDOMKEY: their lazy-expiry deletions go out unwrapped).
 *
 * MULTI and EXEC carry no database (SELECT goes inside the transaction, before the first
 * command that needs it) and always target both AOF and replicas. A SELECT is emitted per
 * channel: AOF and replicas each remember the last database they were told about.
 *
 * Sources of effects (Valkey's alsoPropagate callers):
 *   - a core command that changed the dataset (`engine.dirty` moved while it ran) propagates its
 *     own argv — unless it is EXEC (its commands propagate themselves) or a module command
 *     (modules decide with ValkeyModule_Replicate/ReplicateVerbatim/Call with `!`). A command
 *     may force, prevent or rewrite its propagation (`force`, `prevent`, `rewrite`);
 *   - ValkeyModule_Replicate / ReplicateVerbatim (`add`);
 *   - commands run by ValkeyModule_Call with `!` (the fake client's call flags, `A`/`R` masks);
 *   - a key deleted by expiry (lazy or active) propagates `UNLINK key` (`DEL key` with
 *     lazyfree-lazy-expire no), whatever the replication state, as Valkey must.
 *
 * A ValkeyModule_Call without `!` turns propagation off (`allowed`) for everything it runs,
 * so nested module commands cannot replicate either. Nothing is collected while no listener
 * is attached (Valkey: no AOF and no replicas) or while loading.
 */
import type { Engine } from './engine.js';
import type { CommandDef } from '../commands/table.js';
import type { Client } from '../server/client.js';
import { configOf } from './config.js';
import { LL_WARNING } from './log.js';
import { HashValue } from './types/hash.js';

/** Propagation targets (Valkey's PROPAGATE_*). */
export const PROPAGATE_NONE = 0;
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;
export const PROPAGATE_ALL = PROPAGATE_AOF | PROPAGATE_REPL;

/** One entry of the propagation stream. */
export interface PropagatedCommand {
  /** The database the command applies to; -1 for MULTI and EXEC (no database). */
  db: number;
  /** The command as AOF and replicas receive it (one-byte strings). */
  argv: string[];
  /** Which channels receive it. */
  targets: { aof: boolean; replicas: boolean };
}

export type PropagationListener = (cmd: PropagatedCommand) => void;

interface Op {
  db: number;
  argv: string[];
  target: number;
}

/** Per running command (one per nesting level, reused): what it may change about its own
 *  propagation. */
interface Frame {
  dirty: number;
  force: number;
  prevent: number;
  argv: string[] | null;
}

const MULTI = ['MULTI'];
const EXEC = ['EXEC'];

export class Propagation {
  /** Execution nesting: > 0 while a command (or another execution unit) runs. */
  nesting = 0;
  /** Valkey's replication_allowed: cleared while a ValkeyModule_Call without `!` runs. */
  allowed = true;
  private ops: Op[] = [];
  private readonly listeners: PropagationListener[] = [];
  private readonly frames: Frame[] = [];
  /** Last database told to each channel (-1: none yet, the next command gets a SELECT). */
  private aofDb = -1;
  private replDb = -1;
  /** ValkeyModule_Call's fake clients running right now (innermost last) and the call flags
   *  (PROPAGATE_* the commands they run may use); every other client propagates fully. */
  private readonly callClients: Client[] = [];
  private readonly callClientFlags: number[] = [];
  /** Run when an execution unit ends, before its effects are emitted. */
  private readonly unitEndJobs: (() => void)[] = [];

  constructor(private readonly engine: Engine) {}

  /** Whether anything consumes the stream. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  /** Receives every propagated command; returns a function that detaches the listener. A new
   *  listener starts a new stream: the next command is preceded by a SELECT. */
  listen(listener: PropagationListener): () => void {
    this.listeners.push(listener);
    this.aofDb = -1;
    this.replDb = -1;
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Forgets the databases the channels were told about (a new AOF or replica stream). */
  resetSelectedDb(): void {
    this.aofDb = -1;
    this.replDb = -1;
  }

  /** A ValkeyModule_Call starts running a command on `client`: what that command does may
   *  propagate only to `flags` (PROPAGATE_*: `!` less `A`/`R`, or none). Until popCall. */
  pushCall(client: Client, flags: number): void {
    this.callClients.push(client);
    this.callClientFlags.push(flags);
  }

  popCall(): void {
    this.callClients.pop();
    this.callClientFlags.pop();
  }

  /** The call flags of a client: those of its running Call, else both channels. */
  private callFlagsOf(client: Client): number {
    const cs = this.callClients;
    for (let i = cs.length - 1; i >= 0; i--) if (cs[i] === client) return this.callClientFlags[i]!;
    return PROPAGATE_ALL;
  }

  // -------------------------------------------------------------------------------------
  // Execution units
  // -------------------------------------------------------------------------------------

  /** Enters an execution unit that is not a command (a timer, a thread-safe context lock). */
  enterUnit(): void {
    this.nesting++;
  }

  /** Leaves it; the outermost exit emits what the unit collected. */
  exitUnit(): void {
    if (this.nesting > 0) this.nesting--;
    if (this.nesting === 0) this.endOfUnit();
  }

  /** A job to run when the current (outermost) execution unit ends, before its effects are
   *  emitted (ValkeyModule_AddPostNotificationJob); runs at once outside any unit. */
  atUnitEnd(job: () => void): void {
    if (this.nesting === 0) job();
    else this.unitEndJobs.push(job);
  }

  /** A command starts (engine.execute, right before its handler). */
  enterCommand(): void {
    const depth = this.nesting++;
    let f = this.frames[depth];
    if (f === undefined) {
      f = { dirty: 0, force: 0, prevent: 0, argv: null };
      this.frames[depth] = f;
    }
    f.dirty = this.engine.dirty;
    f.force = 0;
    f.prevent = 0;
    f.argv = null;
  }

  /**
   * A command's handler returned (engine.execute): the unit level drops, the command's own
   * argv is collected when it changed the dataset (Valkey's call()), and the outermost command
   * emits the unit.
   */
  exitCommand(client: Client, def: CommandDef, args: string[]): void {
    const depth = --this.nesting;
    const f = this.frames[depth]!;
    if (this.listeners.length > 0 && def.module === undefined && !(def.name === 'exec' && def.parent === undefined)) {
      let target = this.engine.dirty !== f.dirty ? PROPAGATE_ALL : PROPAGATE_NONE;
      target |= f.force;
      // PUBLISH reaches replicas (their subscribers) though it changes nothing.
      if (def.name === 'publish') target |= PROPAGATE_REPL;
      target &= ~f.prevent;
      if (target !== PROPAGATE_NONE) {
        if (this.callClients.length > 0) target &= this.callFlagsOf(client);
        if (target !== PROPAGATE_NONE) this.add(client.db, f.argv ?? coreRewrite(this.engine, client.db, def, args) ?? args, target);
      }
    }
    f.argv = null;
    if (depth === 0) this.endOfUnit(def);
  }

  // -------------------------------------------------------------------------------------
  // What commands may say about their own propagation
  // -------------------------------------------------------------------------------------

  /** The running command propagates as `argv` instead of its own arguments (Valkey's
   *  rewriteClientCommandVector), when it propagates. */
  rewrite(argv: string[]): void {
    const f = this.frames[this.nesting - 1];
    if (f !== undefined) f.argv = argv;
  }

  /** The running command propagates to `target` even if it did not change the dataset
   *  (forceCommandPropagation, e.g. PUBLISH to replicas). */
  force(target: number): void {
    const f = this.frames[this.nesting - 1];
    if (f !== undefined) f.force |= target;
  }

  /** The running command does not propagate to `target` (preventCommandPropagation). */
  prevent(target: number = PROPAGATE_ALL): void {
    const f = this.frames[this.nesting - 1];
    if (f !== undefined) f.prevent |= target;
  }

  // -------------------------------------------------------------------------------------
  // Collecting and emitting
  // -------------------------------------------------------------------------------------

  /**
   * Valkey's alsoPropagate: collects `argv` for database `db` and `target` channels. Inside an
   * execution unit it waits for the unit's end; outside one it is emitted at once (no MULTI).
   * Nothing happens while propagation is not allowed, nobody listens or the engine loads.
   */
  add(db: number, argv: string[], target: number = PROPAGATE_ALL): void {
    if (!this.allowed || target === PROPAGATE_NONE || this.listeners.length === 0 || this.engine.loading) return;
    this.ops.push({ db, argv, target });
    if (this.nesting === 0) this.endOfUnit();
  }

  /**
   * A key was deleted because it expired (lazy or active expiry): propagates its deletion,
   * even while a ValkeyModule_Call without `!` runs (the primary decides expiry for everyone).
   */
  expired(db: number, key: string): void {
    if (this.listeners.length === 0) return;
    const lazy = configOf(this.engine).number('lazyfree-lazy-expire') !== 0;
    const prev = this.allowed;
    this.allowed = true;
    this.add(db, [lazy ? 'UNLINK' : 'DEL', key], PROPAGATE_ALL);
    this.allowed = prev;
  }

  /** The outermost unit ended: runs its end jobs, then emits what it collected. `top` is the
   *  command the unit ran, if it was one: a command that may touch arbitrary keys (SCAN,
   *  RANDOMKEY: lazy expiry of keys it came across) has its effects emitted without MULTI,
   *  as active expiry. */
  private endOfUnit(top?: CommandDef): void {
    if (this.unitEndJobs.length > 0) {
      // Jobs run as part of the unit: what they do is emitted with it.
      this.nesting++;
      try {
        for (let i = 0; i < this.unitEndJobs.length; i++) this.unitEndJobs[i]!();
      } finally {
        this.unitEndJobs.length = 0;
        this.nesting--;
      }
    }
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    const wrap = ops.length > 1 && !(top !== undefined && top.flags.includes('touches_arbitrary_keys'));
    if (wrap) this.emit(-1, MULTI, PROPAGATE_ALL);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      this.emit(op.db, op.argv, op.target);
    }
    if (wrap) this.emit(-1, EXEC, PROPAGATE_ALL);
  }

  /** propagateNow: a SELECT first on the channels whose database differs, then the command. */
  private emit(db: number, argv: string[], target: number): void {
    const aof = (target & PROPAGATE_AOF) !== 0;
    const repl = (target & PROPAGATE_REPL) !== 0;
    if (db >= 0) {
      const selAof = aof && db !== this.aofDb;
      const selRepl = repl && db !== this.replDb;
      if (selAof || selRepl) {
        if (selAof) this.aofDb = db;
        if (selRepl) this.replDb = db;
        this.deliver({ db, argv: ['SELECT', String(db)], targets: { aof: selAof, replicas: selRepl } });
      }
    }
    this.deliver({ db, argv: argv.slice(), targets: { aof, replicas: repl } });
  }

  private deliver(cmd: PropagatedCommand): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i]!(cmd);
      } catch (err) {
        this.engine.logger.log(LL_WARNING, `propagation listener failed: ${(err as Error).message}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Valkey's propagation rewrites of core commands, for commands that did not rewrite their
// propagation themselves (`rewrite`). Each needs only the state the command left behind:
//   SET with EX/PX/EXAT, SETEX, PSETEX  -> SET key value PXAT <ms>
//   GETEX EX/PX/EXAT/PXAT               -> PEXPIREAT key <ms> (UNLINK/DEL when already expired)
//   GETEX PERSIST                       -> PERSIST key
//   EXPIRE, PEXPIRE, EXPIREAT           -> PEXPIREAT key <ms> [NX|XX|GT|LT]
//                                          (UNLINK/DEL when the time has passed; PEXPIREAT too)
//   INCRBYFLOAT                         -> SET key <new value> KEEPTTL
//   HINCRBYFLOAT                        -> HSET key field <new value>
//   GETDEL                              -> DEL key
// Not done here (they need the command's own knowledge): SPOP (-> SREM / UNLINK), XADD and
// XTRIM (explicit id, exact trimming), XREADGROUP/XCLAIM/XAUTOCLAIM (-> XCLAIM, XGROUP
// SETID), LMPOP/ZMPOP (-> LPOP/RPOP/ZPOPMIN/ZPOPMAX with a count), blocking pops when served,
// EVAL/FCALL (effects). PUBLISH is forced to the replicas in exitCommand.
// ---------------------------------------------------------------------------------------

function upperEq(s: string, upper: string): boolean {
  return s.length === upper.length && s.toUpperCase() === upper;
}

/** UNLINK or DEL as expiry deletes (lazyfree-lazy-expire). */
function expiryDelete(engine: Engine): string {
  return configOf(engine).number('lazyfree-lazy-expire') !== 0 ? 'UNLINK' : 'DEL';
}

/** The rewritten argv of a core command, or null to propagate it as sent. */
function coreRewrite(engine: Engine, dbIndex: number, def: CommandDef, args: string[]): string[] | null {
  if (def.module !== undefined || def.parent !== undefined) return null;
  const db = engine.dbs[dbIndex];
  if (db === undefined || args.length < 2) return null;
  const key = args[1]!;
  switch (def.name) {
    case 'set': {
      let timed = false;
      for (let i = 3; i < args.length; i++) {
        const o = args[i]!;
        if (upperEq(o, 'EX') || upperEq(o, 'PX') || upperEq(o, 'EXAT')) timed = true;
      }
      const e = timed ? db.dict.get(key) : undefined;
      return e !== undefined && e.expire !== 0 ? ['SET', key, args[2]!, 'PXAT', String(e.expire)] : null;
    }
    case 'setex':
    case 'psetex': {
      const e = db.dict.get(key);
      return e !== undefined && e.expire !== 0 ? ['SET', key, args[3]!, 'PXAT', String(e.expire)] : null;
    }
    case 'getex': {
      const o = args[2];
      if (o === undefined) return null;
      if (upperEq(o, 'PERSIST')) return ['PERSIST', key];
      const e = db.dict.get(key);
      if (e === undefined) return [expiryDelete(engine), key];
      return e.expire !== 0 ? ['PEXPIREAT', key, String(e.expire)] : null;
    }
    case 'expire':
    case 'pexpire':
    case 'expireat':
    case 'pexpireat': {
      const e = db.dict.get(key);
      if (e === undefined) return [expiryDelete(engine), key];
      if (def.name === 'pexpireat' || e.expire === 0) return null;
      return ['PEXPIREAT', key, String(e.expire), ...args.slice(3)];
    }
    case 'incrbyfloat': {
      const v = db.dict.get(key)?.value;
      return typeof v === 'string' ? ['SET', key, v, 'KEEPTTL'] : null;
    }
    case 'hincrbyfloat': {
      const v = db.dict.get(key)?.value;
      const field = args[2];
      const n = v instanceof HashValue && field !== undefined ? v.get(field) : undefined;
      return n !== undefined ? ['HSET', key, field!, n] : null;
    }
    case 'getdel':
      return ['DEL', key];
    default:
      return null;
  }
}
