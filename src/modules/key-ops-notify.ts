/**
 * Bridge operations of the module keyspace-notification API area (native/api/notifications.cc).
 *
 *   1400 NOP_INSTALL (a: runner)     installs the engine hook (once per engine) that hands every
 *                                    keyspace event to the native subscribers in ONE call:
 *                                    runner(type, event, key, db), inside an execution unit
 *   1401 NOP_UNINSTALL ()            removes the hook (no subscriber left)
 *   1402 NOP_POST_JOB (a: drain)     false while loading; otherwise makes sure `drain` runs
 *                                    when the current execution unit ends, before propagation
 *   1403 NOP_NOTIFY (db, key, a: type, b: event)  fires a keyspace event (engine.notify)
 *   1404 NOP_GET_FLAGS ()            notify-keyspace-events as a bit mask
 *   1450-1499                        the module Fork API (key-ops-fork.ts)
 */
import type { Engine } from '../engine/engine.js';
import { forkKeyOp } from './key-ops-fork.js';

export const NOP_INSTALL = 1400;
export const NOP_UNINSTALL = 1401;
export const NOP_POST_JOB = 1402;
export const NOP_NOTIFY = 1403;
export const NOP_GET_FLAGS = 1404;

type Runner = (type: number, event: string, key: string, db: number) => void;

interface NotifyState {
  /** Detaches the keyspace-event hook. */
  unsubscribe?: () => void;
}

const states = new WeakMap<Engine, NotifyState>();

function stateOf(engine: Engine): NotifyState {
  let s = states.get(engine);
  if (!s) {
    s = {};
    states.set(engine, s);
  }
  return s;
}

/** Runs one notification bridge operation; `key` may be null. */
export function notifyKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case NOP_INSTALL: {
      const st = stateOf(engine);
      if (st.unsubscribe) return true;
      const run = a as Runner;
      const propagation = engine.propagation;
      st.unsubscribe = engine.onKeyspaceEvent((e) => {
        // Valkey runs module subscribers as an execution unit of their own: what they
        // propagate (outside a command: active expiry) goes out together.
        propagation.enterUnit();
        try {
          run(e.type, e.event, e.key, e.db);
        } finally {
          propagation.exitUnit();
        }
      });
      return true;
    }
    case NOP_UNINSTALL: {
      const st = stateOf(engine);
      st.unsubscribe?.();
      st.unsubscribe = undefined;
      return true;
    }
    case NOP_POST_JOB: {
      if (engine.loading) return false;
      // One drain per job: a drain finding the native queue empty costs one call.
      engine.propagation.atUnitEnd(a as () => void);
      return true;
    }
    case NOP_NOTIFY: {
      if (!engine.dbs[db]) return false;
      engine.notify(Number(a), String(b), key, db);
      return true;
    }
    case NOP_GET_FLAGS:
      return engine.notifyFlags;
    default:
      // 1450-1499: the module Fork API (src/modules/key-ops-fork.ts)
      return op >= 1450 ? forkKeyOp(engine, op, db, key, a, b) : undefined;
  }
}
