/**
 * Blocked clients, as Valkey's blocked.c: a registry of clients waiting on keys (BLPOP,
 * BZPOPMIN, XREAD BLOCK, module BlockClientOnKeys) or on nothing in particular (WAIT, module
 * BlockClient), their timeouts, the "ready keys" list filled by signalKeyAsReady and served
 * after every top-level command, CLIENT UNBLOCK and disconnect cleanup.
 *
 * A blocking command calls `block(ctx, opts)` and returns the `done` Promise from its
 * handler; the reply is written later, into the command's own writer, by one of the
 * callbacks (onReady, onTimeout, onUnblockError) or by `handle.unblock(write)`, and then
 * `done` resolves so the connection (or the embedded caller) goes on.
 *
 * Serving order is Valkey's: keys in the order they were signalled, and for each key its
 * clients first-blocked first-served. A client waiting on several keys is served by the first
 * of them that becomes ready (it is then removed from every key).
 */
import type { Engine } from './engine.js';
import type { Client } from '../server/client.js';
import type { CommandContext } from '../commands/table.js';
import type { ReplyWriter } from '../protocol/writer.js';
import { ListValue, ModuleValue, StreamValue, ZSetValue, type Value } from './types/index.js';
import { parseDouble, parseLongDouble, parseLongLong } from '../commands/parse.js';

/** CLIENT UNBLOCK ... ERROR: the error a blocked client receives. */
export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/** How a client blocks. */
export interface BlockOptions {
  /** Keys waited on in the client's db ([] for a module BlockClient without keys). */
  keys: string[];
  /** Absolute ms (Date.now() clock), 0 = no timeout. */
  deadline: number;
  /** Also wake when a waited key is deleted (module UNBLOCK_DELETED, XREADGROUP). */
  wakeOnDelete?: boolean;
  /** A waited key was signalled ready: serve now. Write the reply to w and return true to
   *  unblock, or return false (writing nothing) to keep waiting. Runs on the JS thread as a
   *  command-like unit. */
  onReady?(key: string, w: ReplyWriter): boolean;
  /** Timeout or CLIENT UNBLOCK [TIMEOUT]: write the timeout reply. */
  onTimeout(w: ReplyWriter): void;
  /** CLIENT UNBLOCK ERROR: default writes `-UNBLOCKED client unblocked via CLIENT UNBLOCK`. */
  onUnblockError?(w: ReplyWriter): void;
  /** The client went away while blocked (no reply). */
  onDisconnect?(): void;
  /** False when CLIENT UNBLOCK may not end this block (a module BlockClient without a
   *  timeout callback, as Valkey's blockedClientMayTimeout); default true. */
  mayTimeout?: boolean;
}

/** A blocked client, as the blocker sees it. */
export interface BlockedHandle {
  readonly client: Client;
  /** Unblocks now; `write` produces the reply into the client's writer (module
   *  UnblockClient). No-op if already unblocked. */
  unblock(write: (w: ReplyWriter) => void): void;
  readonly blocked: boolean;
  /** Adds execution time (us) to the blocked command's duration: module background time
   *  (BlockedClientMeasureTimeStart/End) and reply callbacks, as Valkey's updateStatsOnUnblock. */
  addDuration(us: number): void;
}

/** Longest setTimeout delay Node accepts; longer waits re-arm. */
const MAX_TIMER_MS = 2147483647;

/** One blocked client. */
class Waiter implements BlockedHandle {
  blocked = true;
  timer: NodeJS.Timeout | undefined;
  resolve: () => void = () => {};
  /** Execution time (us) spent serving this client after it blocked (not the wait). */
  execUs = 0;

  constructor(
    private readonly owner: Blocking,
    readonly client: Client,
    readonly db: number,
    readonly w: ReplyWriter,
    readonly opts: BlockOptions,
  ) {}

  unblock(write: (w: ReplyWriter) => void): void {
    this.owner.finish(this, write);
  }

  addDuration(us: number): void {
    if (us > 0) this.execUs += us;
  }
}

/** The waiters of one key, in blocking order, and how many of them wake on deletion. */
interface KeyWaiters {
  list: Waiter[];
  onNoKey: number;
}

/** The blocked-clients registry of one engine (`engine.blocking`). */
export class Blocking {
  /** Per database: key -> its waiters (created on first use). */
  private readonly byDb: (Map<string, KeyWaiters> | undefined)[] = [];
  /** Distinct blocked keys over all databases (INFO total_blocking_keys). */
  private keyCount = 0;
  /** Keys with a waiter that wakes on deletion (INFO total_blocking_keys_on_nokey). */
  private noKeyCount = 0;
  /** Blocked clients and their waiter. */
  private readonly byClient = new Map<Client, Waiter>();
  /** Keys signalled ready and not yet served, in signalling order (Valkey's ready_keys). */
  private ready: { db: number; key: string }[] = [];
  /** The same keys per database, to signal each once. */
  private readySet: (Set<string> | undefined)[] = [];
  /** Whether handleReady is running (it is not re-entered). */
  private serving = false;
  /** Called once, synchronously, when a client's block ends with its reply written (not when
   *  it goes away): ValkeyModule_Call's promises (src/modules/call-bridge.ts). */
  private readonly finishHooks = new Map<Client, () => void>();
  /** Clients just unblocked -> the execution time of their blocked command after the initial
   *  call (us), or -1 when the client went away (Valkey records no stats then). Taken by the
   *  engine when the command's `done` settles. */
  private readonly served = new Map<Client, number>();

  constructor(private readonly engine: Engine) {}

  /** INFO blocked_clients: clients blocked right now. As in Valkey, the fake clients of
   *  ValkeyModule_Call promises (the blocked clients with a finish hook) are not counted. */
  get count(): number {
    return this.byClient.size - this.finishHooks.size;
  }

  /** INFO total_blocking_keys: distinct keys (per database) with blocked clients. */
  get keys(): number {
    return this.keyCount;
  }

  /** INFO total_blocking_keys_on_nokey: of those, the keys some client wakes on deleted. */
  get keysOnNoKey(): number {
    return this.noKeyCount;
  }

  /** INFO clients_in_timeout_table: blocked clients with a timeout. */
  get withTimeout(): number {
    let n = 0;
    for (const w of this.byClient.values()) if (w.opts.deadline !== 0) n++;
    return n;
  }

  /**
   * The time (us) a just-unblocked command spent executing after its initial call (serving
   * attempts, reply callbacks, module background time), never the time it waited; -1 when
   * its client disconnected while blocked; undefined when the client did not block.
   */
  takeServedDuration(client: Client): number | undefined {
    const us = this.served.get(client);
    if (us !== undefined) this.served.delete(client);
    return us;
  }

  /** Whether a client is blocked (CLIENT LIST flag b). */
  isBlocked(client: Client): boolean {
    return this.byClient.has(client);
  }

  /** The handle of a blocked client, if it is blocked. */
  handleOf(client: Client): BlockedHandle | undefined {
    return this.byClient.get(client);
  }

  /**
   * Blocks the command's client; the handler must return `done`. The reply is written to
   * ctx.w by a callback later. Throws if the client is already blocked (a bug).
   */
  block(ctx: CommandContext, opts: BlockOptions): { handle: BlockedHandle; done: Promise<void> } {
    const client = ctx.client;
    if (this.byClient.has(client)) throw new Error('client is already blocked');
    const waiter = new Waiter(this, client, client.db, ctx.w, opts);
    const done = new Promise<void>((resolve) => (waiter.resolve = resolve));
    this.byClient.set(client, waiter);
    if (opts.keys.length > 0) {
      let m = this.byDb[waiter.db];
      if (m === undefined) this.byDb[waiter.db] = m = new Map();
      const seen = opts.keys.length > 1 ? new Set<string>() : undefined;
      for (const key of opts.keys) {
        if (seen !== undefined) {
          if (seen.has(key)) continue;
          seen.add(key);
        }
        let kw = m.get(key);
        if (kw === undefined) {
          m.set(key, (kw = { list: [], onNoKey: 0 }));
          this.keyCount++;
        }
        kw.list.push(waiter);
        if (opts.wakeOnDelete && kw.onNoKey++ === 0) this.noKeyCount++;
      }
    }
    if (opts.deadline !== 0) this.armTimer(waiter);
    return { handle: waiter, done };
  }

  /** Runs `fn` right after `client`'s current block ends with its reply written. Dropped
   *  if the client goes away instead. */
  onFinish(client: Client, fn: () => void): void {
    this.finishHooks.set(client, fn);
  }

  /** A key may now serve blocked clients (list/zset/stream created or pushed, module
   *  SignalKeyAsReady). Nearly free when nobody waits on it. */
  signalKeyAsReady(db: number, key: string): void {
    if (this.keyCount === 0) return;
    const m = this.byDb[db];
    if (m === undefined || !m.has(key)) return;
    this.queueReady(db, key);
  }

  /** dbAdd: a new list, sorted set, stream or module value may serve blocked clients. */
  keyAdded(db: number, key: string, value: Value): void {
    if (this.keyCount === 0) return;
    if (value instanceof ListValue || value instanceof ZSetValue || value instanceof StreamValue || value instanceof ModuleValue) {
      this.signalKeyAsReady(db, key);
    }
  }

  /** A waited key was deleted or overwritten: wakes the clients that wake on deletion
   *  (Valkey's signalDeletedKeyAsReady). */
  signalDeletedKeyAsReady(db: number, key: string): void {
    if (this.noKeyCount === 0) return;
    const kw = this.byDb[db]?.get(key);
    if (kw === undefined || kw.onNoKey === 0) return;
    this.queueReady(db, key);
  }

  /** After SWAPDB / FLUSHDB / FLUSHALL / DEBUG RELOAD: every blocked key of `db` that now
   *  exists is signalled ready, and every one that does not is signalled deleted (Valkey's
   *  scanDatabaseForReadyKeys and scanDatabaseForDeletedKeys). */
  scanDatabase(db: number): void {
    const m = this.byDb[db];
    if (m === undefined || m.size === 0) return;
    const data = this.engine.dbs[db];
    if (data === undefined) return;
    for (const [key, kw] of m) {
      if (data.dict.has(key)) this.queueReady(db, key);
      else if (kw.onNoKey > 0) this.queueReady(db, key);
    }
  }

  private queueReady(db: number, key: string): void {
    let s = this.readySet[db];
    if (s === undefined) this.readySet[db] = s = new Set();
    if (s.has(key)) return;
    s.add(key);
    this.ready.push({ db, key });
  }

  /**
   * Serves clients blocked on ready keys (called after each top-level command and by
   * engine.endUnit). Serving may make more keys ready (BLMOVE pushes): they are served in
   * the same call.
   */
  handleReady(): void {
    if (this.ready.length === 0 || this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        for (const { db, key } of batch) {
          // A key signalled again while its clients are served is served again later.
          this.readySet[db]?.delete(key);
          const kw = this.byDb[db]?.get(key);
          if (kw === undefined) continue;
          // Only the clients blocked before this round: one that blocks again goes last.
          const waiters = kw.list.slice();
          for (const waiter of waiters) {
            if (!waiter.blocked) continue;
            const onReady = waiter.opts.onReady;
            if (onReady === undefined) continue;
            let ok: boolean;
            const t0 = performance.now();
            try {
              ok = this.engine.runUnit(() => onReady.call(waiter.opts, key, waiter.w));
            } catch (err) {
              waiter.addDuration(Math.round((performance.now() - t0) * 1000));
              // A failing serve must not break the command that made the key ready.
              const msg = String((err as Error)?.message ?? err).replace(/[\r\n]+/g, ' ');
              this.finish(waiter, (w) => w.error(`ERR ${msg}`));
              continue;
            }
            // Each serving attempt is a re-execution of the command: its time counts.
            waiter.addDuration(Math.round((performance.now() - t0) * 1000));
            if (ok) this.finish(waiter, null);
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** CLIENT UNBLOCK: unblocks `client` as timed out (TIMEOUT) or with an error (ERROR).
   *  Returns false when the client is not blocked. */
  unblockClient(client: Client, error: boolean): boolean {
    const waiter = this.byClient.get(client);
    if (waiter === undefined || waiter.opts.mayTimeout === false) return false;
    const opts = waiter.opts;
    if (error) {
      this.finish(waiter, opts.onUnblockError ? (w) => opts.onUnblockError!(w) : (w) => w.error(UNBLOCKED_ERROR));
    } else {
      this.finish(waiter, (w) => this.engine.runUnit(() => opts.onTimeout(w)));
    }
    return true;
  }

  /** The client disconnected (or was killed) while blocked: it leaves every key, no reply. */
  clientGone(client: Client): void {
    const waiter = this.byClient.get(client);
    if (waiter === undefined) return;
    this.finishHooks.delete(client);
    this.release(waiter);
    this.served.set(client, -1);
    try {
      waiter.opts.onDisconnect?.();
    } finally {
      waiter.resolve();
    }
  }

  /** Ends a block: removes the client from the registry, writes its reply, resolves `done`.
   *  `write` null: the reply was already written (onReady). No-op when not blocked. */
  finish(handle: BlockedHandle, write: ((w: ReplyWriter) => void) | null): void {
    const waiter = handle as Waiter;
    if (!waiter.blocked) return;
    this.release(waiter);
    try {
      if (write !== null) write(waiter.w);
    } finally {
      this.served.set(waiter.client, waiter.execUs);
      waiter.resolve();
    }
    const hook = this.finishHooks.get(waiter.client);
    if (hook !== undefined) {
      this.finishHooks.delete(waiter.client);
      hook();
    }
  }

  /** Takes a waiter out of the registry (keys, client map, timer). */
  private release(waiter: Waiter): void {
    waiter.blocked = false;
    if (waiter.timer !== undefined) {
      clearTimeout(waiter.timer);
      waiter.timer = undefined;
    }
    this.byClient.delete(waiter.client);
    const keys = waiter.opts.keys;
    if (keys.length === 0) return;
    const m = this.byDb[waiter.db];
    if (m === undefined) return;
    for (const key of keys) {
      const kw = m.get(key);
      if (kw === undefined) continue;
      const i = kw.list.indexOf(waiter);
      if (i < 0) continue;
      kw.list.splice(i, 1);
      if (waiter.opts.wakeOnDelete && --kw.onNoKey === 0) this.noKeyCount--;
      if (kw.list.length === 0) {
        m.delete(key);
        this.keyCount--;
      }
    }
  }

  /** One timer per blocked client with a timeout; it fires at the deadline (re-armed for
   *  waits longer than Node's timer range) and replies the timeout. */
  private armTimer(waiter: Waiter): void {
    const left = waiter.opts.deadline - Date.now();
    waiter.timer = setTimeout(
      () => {
        waiter.timer = undefined;
        if (!waiter.blocked) return;
        if (waiter.opts.deadline - Date.now() > 0) {
          this.armTimer(waiter);
          return;
        }
        this.finish(waiter, (w) => this.engine.runUnit(() => waiter.opts.onTimeout(w)));
        // Whatever the timeout callback made ready is served now, as after a command.
        this.handleReady();
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
  }
}

// ---------------------------------------------------------------------------------------
// Helpers for the core blocking commands (lists, sorted sets, streams, WAIT)
// ---------------------------------------------------------------------------------------

/** VALKEYMODULE_CTX_FLAGS_LUA / _MULTI / _DENY_BLOCKING: a client that may not block. */
const NO_BLOCK_FLAGS = (1 << 0) | (1 << 1) | (1 << 21);

/** Whether the running command's client may block (not inside MULTI/EXEC, a script or a
 *  call that denies blocking). */
export function mayBlock(ctx: CommandContext): boolean {
  return (ctx.client.ctxFlags & NO_BLOCK_FLAGS) === 0;
}

const LLONG_MAX = 9223372036854775807n;

/**
 * Valkey's getTimeoutFromObjectOrReply: the timeout argument as an absolute deadline in ms
 * (0: wait forever), or undefined after replying the error. `seconds`: a (long) double of
 * seconds, rounded up to whole ms (BLPOP, BZPOPMIN...); otherwise integer ms (XREAD BLOCK).
 */
export function readTimeout(ctx: CommandContext, s: string, seconds: boolean): number | undefined {
  const { w, engine } = ctx;
  let ms: bigint;
  if (seconds) {
    if (parseLongDouble(s) === undefined) {
      w.error('ERR timeout is not a float or out of range');
      return undefined;
    }
    const d = parseDouble(s);
    const x = d === undefined ? Infinity : d * 1000;
    if (x > 9223372036854775807) {
      w.error('ERR timeout is out of range');
      return undefined;
    }
    const c = Math.ceil(x);
    ms = Number.isFinite(c) ? BigInt(c) : -1n;
  } else {
    const v = parseLongLong(s);
    if (v === undefined) {
      w.error('ERR timeout is not an integer or out of range');
      return undefined;
    }
    ms = BigInt(v);
  }
  if (ms < 0n) {
    w.error('ERR timeout is negative');
    return undefined;
  }
  if (ms === 0n) return 0;
  const now = BigInt(engine.now());
  if (ms > LLONG_MAX - now) {
    w.error('ERR timeout is out of range');
    return undefined;
  }
  return Number(ms + now);
}

/**
 * Blocks a core command whose keys cannot serve it yet. `serve(served)` re-runs the
 * command's serving path (false: still nothing to serve; `served` is true when called for a
 * ready key, so the command propagates what it did itself); `wakes(value)` says whether a
 * key's new value may serve it (its type: list, zset or stream), unless `wakeOnDelete`.
 * When the client may not block (MULTI, scripts) it is treated as an immediate timeout:
 * `denied` replies (default: the timeout reply; BLMOVE answers a null bulk there but the
 * null array on a real timeout, as Valkey).
 */
export function blockCore(
  ctx: CommandContext,
  keys: string[],
  deadline: number,
  wakes: (v: Value | undefined) => boolean,
  serve: (served: boolean) => boolean,
  onTimeout: (w: ReplyWriter) => void,
  wakeOnDelete = false,
  denied: (w: ReplyWriter) => void = onTimeout,
): void | Promise<void> {
  if (!mayBlock(ctx)) return denied(ctx.w);
  const engine = ctx.engine;
  const dbIndex = ctx.client.db;
  return engine.blocking.block(ctx, {
    keys,
    deadline,
    wakeOnDelete,
    onReady(key: string): boolean {
      if (!wakeOnDelete && !wakes(engine.dbs[dbIndex]!.get(key))) return false;
      return serve(true);
    },
    onTimeout,
  }).done;
}

/** The `key... timeout` arguments of BLPOP, BRPOP, BZPOPMIN and BZPOPMAX: the keys and the
 *  deadline (as readTimeout), or undefined after replying the timeout error. */
export function keysThenTimeout(ctx: CommandContext): { keys: string[]; deadline: number } | undefined {
  const args = ctx.args;
  const deadline = readTimeout(ctx, args[args.length - 1]!, true);
  if (deadline === undefined) return undefined;
  return { keys: args.slice(1, args.length - 1), deadline };
}

/** Serves a core blocking pop at once when `serve(false)` can, else blocks on `keys` until a
 *  key whose value `wakes` serves it; the timeout (or a client that may not block) replies
 *  the null array. */
export function serveOrBlock(
  ctx: CommandContext,
  keys: string[],
  deadline: number,
  wakes: (v: Value | undefined) => boolean,
  serve: (served: boolean) => boolean,
): void | Promise<void> {
  if (serve(false)) return;
  return blockCore(ctx, keys, deadline, wakes, serve, (tw) => tw.nullArray());
}

/** The propagation of a core blocking command that served: `argv` replaces the command
 *  when it ran at once; when served later (a ready key), it is propagated as its own
 *  command of the serving unit, and counts as a change. */
export function propagateServed(ctx: CommandContext, served: boolean, argv: string[]): void {
  const p = ctx.engine.propagation;
  if (served) p.add(ctx.client.db, argv);
  else p.rewrite(argv);
}
