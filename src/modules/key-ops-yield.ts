/**
 * Bridge operations 1500-1599: ValkeyModule_Yield serving other clients (native/api/yield.cc),
 * and the gate that answers them while a module command is yielding.
 *
 * Valkey's semantics: a module command that calls Yield with VALKEYMODULE_YIELD_FLAG_CLIENTS
 * lets the server process client commands once it has run longer than busy-reply-threshold,
 * and then at most `hz` times a second. Meanwhile other clients' commands are refused with
 * `-BUSY <busy_reply>` (`-BUSY Valkey is busy running a module command.` without one),
 * except allow-busy commands. While a dataset loads, the threshold does not apply and
 * commands without the `loading` flag get -LOADING instead. This host never runs a module
 * command re-entrantly: an allow-busy module command is refused like any other.
 */
import type { Engine } from './../engine/engine.js';
import type { Client } from '../server/client.js';
import type { CommandDef } from '../commands/table.js';
import type { ReplyWriter } from '../protocol/writer.js';
import { connectionsOf } from '../server/connection.js';
import { configOf } from '../engine/config.js';

const YOP_BEGIN = 1500;
const YOP_END = 1501;

const YIELD_FLAG_CLIENTS = 2;

/** Valkey's shared.slowmoduleerr and shared.loadingerr (without the leading '-'). */
export const SLOW_MODULE_ERR = 'BUSY Valkey is busy running a module command.';
const LOADING_ERR = 'LOADING Valkey is loading the dataset in memory';

/** What the engine refuses other clients with during a nested event run of Yield. */
export interface BusyModule {
  /** The yielding command's client id (its own connection is never served meanwhile). */
  clientId: number;
  /** The module's busy_reply text (undefined: Valkey's default). */
  reply: string | undefined;
  /** A dataset is loading: -LOADING instead of -BUSY. */
  loading: boolean;
}

/** Per engine: which command yielded last and when the next nested run may happen. */
interface YieldClock {
  commandStart: number;
  nextMs: number;
}
const clocks = new WeakMap<Engine, YieldClock>();

/**
 * Serves op 1500 (db: the yielding client id; a: the Yield flags; b: busy_reply or
 * undefined): returns true when native code should run the event loop now, having set
 * `engine.busyModule`; and op 1501, which clears it after the nested run.
 */
export function yieldKeyOp(engine: Engine, op: number, db: number, _key: string | null, a: unknown, b: unknown): unknown {
  if (op === YOP_END) {
    engine.busyModule = undefined;
    return true;
  }
  if (op !== YOP_BEGIN) return undefined;
  if (engine.busyModule !== undefined) return false;
  // Only a server has other clients to serve.
  if (connectionsOf(engine).size === 0) return false;
  const flags = Number(a);
  const loading = engine.loading;
  if (!loading && !(flags & YIELD_FLAG_CLIENTS)) return false;
  const now = Date.now();
  const start = engine.commandStart;
  const hz = Math.max(1, engine.options.hz);
  let clock = clocks.get(engine);
  if (clock === undefined || clock.commandStart !== start || start === 0) {
    // A new command (or context): the first run waits busy-reply-threshold (none while loading).
    const threshold = loading ? 1000 / hz : configOf(engine).number('busy-reply-threshold');
    clock = { commandStart: start, nextMs: (start === 0 ? now : start) + threshold };
    clocks.set(engine, clock);
  }
  if (now < clock.nextMs) return false;
  clock.nextMs = now + 1000 / hz;
  const reply = typeof b === 'string' ? b.replace(/[\r\n]/g, ' ') : undefined;
  engine.busyModule = { clientId: db, reply, loading };
  return true;
}

/**
 * The engine gate for commands of other clients while a module command yields (Valkey's
 * isInsideYieldingLongCommand check in processCommand): refuses them with -BUSY (or
 * -LOADING while loading), as a rejected command (counted, MULTI flagged, EXEC aborted).
 */
export function busyGate(engine: Engine) {
  return (client: Client, def: CommandDef, args: string[], w: ReplyWriter): boolean => {
    const busy = engine.busyModule;
    if (busy === undefined || client.id === busy.clientId) return false;
    if (!connectionsOf(engine).has(client as never)) return false; // network clients only
    let msg: string;
    if (busy.loading) {
      if (def.flags.includes('loading') && def.module === undefined) return false;
      msg = LOADING_ERR;
    } else {
      if (def.flags.includes('allow_busy') && def.module === undefined) return false;
      msg = busy.reply !== undefined ? `BUSY ${busy.reply}` : SLOW_MODULE_ERR;
    }
    for (const l of engine.rejectListeners) {
      const m = l(client, args, msg);
      if (typeof m === 'string') msg = m;
    }
    engine.commandStats.rejected(def);
    engine.commandStats.errorReply(msg);
    w.error(msg);
    return true;
  };
}
