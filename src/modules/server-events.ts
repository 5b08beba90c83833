/**
 * Server events for modules (ValkeyModule_SubscribeToServerEvent): where the engine fires
 * them, and the one function other code calls to fire one.
 *
 * The listeners live in native code (native/api/events.cc); it tells this file which events
 * have listeners (key op 1300, a bit per event id), so firing an event nobody listens to
 * costs nothing. Engine hooks (connection close, key unlink, CONFIG SET) are attached the
 * first time a module subscribes to the event that needs them.
 *
 * Fired here or from the engine: FlushDB, ClientChange, Shutdown, CronLoop, SwapDB, Config,
 * Key. Fired natively: ModuleChange (loader), EventLoop (libuv prepare/check hooks).
 * Loading, LoadingProgress, Persistence and ForkChild are fired by the persistence code
 * through fireServerEvent. ReplicationRoleChanged, ReplicaChange, PrimaryLinkChange and
 * ReplAsyncLoad never fire: this engine is always a standalone primary.
 */
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';
import { onConnectionClose } from '../server/connection.js';
import { configOf } from '../engine/config.js';
import { clientInfo } from './key-ops-clients.js';

/** Event ids (VALKEYMODULE_EVENT_*). */
export const EVENT_REPLICATION_ROLE_CHANGED = 0;
export const EVENT_PERSISTENCE = 1;
export const EVENT_FLUSHDB = 2;
export const EVENT_LOADING = 3;
export const EVENT_CLIENT_CHANGE = 4;
export const EVENT_SHUTDOWN = 5;
export const EVENT_REPLICA_CHANGE = 6;
export const EVENT_PRIMARY_LINK_CHANGE = 7;
export const EVENT_CRON_LOOP = 8;
export const EVENT_MODULE_CHANGE = 9;
export const EVENT_LOADING_PROGRESS = 10;
export const EVENT_SWAPDB = 11;
export const EVENT_FORK_CHILD = 13;
export const EVENT_REPL_ASYNC_LOAD = 14;
export const EVENT_EVENTLOOP = 15;
export const EVENT_CONFIG = 16;
export const EVENT_KEY = 17;

/** Subevents the engine's callers use. */
export const SUB_FLUSHDB_START = 0;
export const SUB_FLUSHDB_END = 1;
export const SUB_CLIENT_CONNECTED = 0;
export const SUB_CLIENT_DISCONNECTED = 1;
export const SUB_LOADING_RDB_START = 0;
export const SUB_LOADING_AOF_START = 1;
export const SUB_LOADING_ENDED = 3;
export const SUB_LOADING_FAILED = 4;
export const SUB_PERSISTENCE_RDB_START = 0;
export const SUB_PERSISTENCE_AOF_START = 1;
export const SUB_PERSISTENCE_SYNC_RDB_START = 2;
export const SUB_PERSISTENCE_ENDED = 3;
export const SUB_PERSISTENCE_FAILED = 4;
export const SUB_PERSISTENCE_SYNC_AOF_START = 5;
export const SUB_LOADING_PROGRESS_RDB = 0;
export const SUB_LOADING_PROGRESS_AOF = 1;
export const SUB_FORK_CHILD_BORN = 0;
export const SUB_FORK_CHILD_DIED = 1;

/** What some events carry (the native side builds Valkey's payload struct from it). */
export type ServerEventData =
  | { sync: boolean; dbnum: number } // FlushDB (dbnum -1: every database)
  | Client // ClientChange
  | { hz: number } // CronLoop
  | { hz: number; progress: number } // LoadingProgress (progress 0..1024 or -1)
  | { first: number; second: number } // SwapDB
  | { names: string[] } // Config
  | { db: number; key: string }; // Key

interface EventState {
  mask: number;
  closeHooked: boolean;
  unlinkHooked: boolean;
  configHooked: boolean;
  cronHooked: boolean;
  shutdownFired: boolean;
}

const states = new WeakMap<Engine, EventState>();

function stateOf(engine: Engine): EventState {
  let s = states.get(engine);
  if (!s) {
    s = { mask: 0, closeHooked: false, unlinkHooked: false, configHooked: false, cronHooked: false, shutdownFired: false };
    states.set(engine, s);
  }
  return s;
}

/** True when some module listens to event `id` (cheap: one bit test). */
export function hasEventListeners(engine: Engine, id: number): boolean {
  const s = states.get(engine);
  return s !== undefined && (s.mask & (1 << id)) !== 0;
}

/** Native side: the bit set of events with listeners changed (key op 1300). Attaches the
 *  engine hooks the newly listened events need. */
export function setServerEventMask(engine: Engine, mask: number): void {
  const s = stateOf(engine);
  s.mask = mask;
  if (mask & (1 << EVENT_CLIENT_CHANGE) && !s.closeHooked) {
    s.closeHooked = true;
    onConnectionClose(engine, (c) => fireServerEvent(engine, EVENT_CLIENT_CHANGE, SUB_CLIENT_DISCONNECTED, c));
  }
  if (mask & (1 << EVENT_KEY) && !s.unlinkHooked) {
    s.unlinkHooked = true;
    engine.keyUnlinkListeners.push((db, key, _value, sub) => {
      if (!(stateOf(engine).mask & (1 << EVENT_KEY))) return;
      engine.lazyExpireDisabled++;
      try {
        fireServerEvent(engine, EVENT_KEY, sub, { db, key });
      } finally {
        engine.lazyExpireDisabled--;
      }
    });
  }
  if (mask & (1 << EVENT_CRON_LOOP) && !s.cronHooked) {
    s.cronHooked = true;
    engine.cronHooks.push(() => fireCronLoop(engine));
  }
  if (mask & (1 << EVENT_CONFIG) && !s.configHooked) {
    s.configHooked = true;
    configOf(engine).onChange((names) => fireServerEvent(engine, EVENT_CONFIG, 0, { names }));
  }
}

/**
 * Fires a server event to every module of `engine` that listens to it; returns the number
 * of callbacks that ran (0 when nobody listens). `data` is what the event carries (see
 * ServerEventData); events without a payload pass nothing. Runs the callbacks synchronously
 * on the JS thread, each under the global lock in an engine execution unit.
 */
export function fireServerEvent(engine: Engine, id: number, subevent: number, data?: ServerEventData): number {
  const s = states.get(engine);
  if (s === undefined || (s.mask & (1 << id)) === 0) return 0;
  const native = engine.registry.native;
  switch (id) {
    case EVENT_FLUSHDB: {
      const d = data as { sync: boolean; dbnum: number };
      return native.fireServerEvent(id, subevent, d.sync ? 1 : 0, d.dbnum);
    }
    case EVENT_CLIENT_CHANGE: {
      const c = data as Client;
      const [flags, addr, port, db] = clientInfo(engine, c);
      return native.fireServerEvent(id, subevent, [c.id, flags, addr, port, db, c.proto]);
    }
    case EVENT_CRON_LOOP:
      return native.fireServerEvent(id, subevent, (data as { hz: number }).hz);
    case EVENT_LOADING_PROGRESS: {
      const d = data as { hz: number; progress: number };
      return native.fireServerEvent(id, subevent, d.hz, d.progress);
    }
    case EVENT_SWAPDB: {
      const d = data as { first: number; second: number };
      return native.fireServerEvent(id, subevent, d.first, d.second);
    }
    case EVENT_CONFIG:
      return native.fireServerEvent(id, subevent, (data as { names: string[] }).names);
    case EVENT_KEY: {
      const d = data as { db: number; key: string };
      return native.fireServerEvent(id, subevent, d.db, d.key);
    }
    default:
      return native.fireServerEvent(id, subevent);
  }
}

/** ClientChange CONNECTED for a network client that was just accepted. */
export function fireClientConnected(engine: Engine, c: Client): void {
  if (hasEventListeners(engine, EVENT_CLIENT_CHANGE)) fireServerEvent(engine, EVENT_CLIENT_CHANGE, SUB_CLIENT_CONNECTED, c);
}

/** FlushDB START/END around a flush of one database (dbnum) or all (-1). */
export function fireFlush(engine: Engine, subevent: number, dbnum: number, async: boolean): void {
  if (hasEventListeners(engine, EVENT_FLUSHDB)) fireServerEvent(engine, EVENT_FLUSHDB, subevent, { sync: !async, dbnum });
}

/** CronLoop, once per cron tick, with the current hz. */
export function fireCronLoop(engine: Engine): void {
  if (hasEventListeners(engine, EVENT_CRON_LOOP)) fireServerEvent(engine, EVENT_CRON_LOOP, 0, { hz: engine.options.hz });
}

/** Shutdown, once per engine (SHUTDOWN / SIGTERM, or engine.close()). */
export function fireShutdown(engine: Engine): void {
  const s = states.get(engine);
  if (!s || s.shutdownFired) return;
  s.shutdownFired = true;
  fireServerEvent(engine, EVENT_SHUTDOWN, 0);
}

/** Whether FLUSHDB/FLUSHALL with these arguments frees asynchronously: ASYNC, or no option
 *  with lazyfree-lazy-user-flush yes (the FlushDB event's `sync` field is the opposite). */
export function flushIsAsync(engine: Engine, args: string[], at: number): boolean {
  const o = args[at]?.toLowerCase();
  if (o === 'async') return true;
  if (o === 'sync') return false;
  return configOf(engine).get('lazyfree-lazy-user-flush') === 'yes';
}
