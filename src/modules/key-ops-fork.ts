/**
 * Bridge operations of the module Fork API (native/api/fork.cc), ops 1450-1499 of the
 * notification area, and the state INFO reports about module children.
 *
 *   1450 FKOP_STARTED (a: fork duration in us)   a module child started
 *   1451 FKOP_ENDED (a: copy-on-write bytes, -1 when unknown)   it exited or was killed
 */
import type { Engine } from '../engine/engine.js';

export const FKOP_STARTED = 1450;
export const FKOP_ENDED = 1451;

/** What INFO shows about module children (persistence and stats sections). */
export interface ModuleForkInfo {
  /** module_fork_in_progress. */
  inProgress: boolean;
  /** module_fork_last_cow_size: bytes the last child that exited cleanly dirtied. */
  lastCowSize: number;
  /** total_forks. */
  totalForks: number;
  /** latest_fork_usec. */
  latestForkUsec: number;
}

const infos = new WeakMap<Engine, ModuleForkInfo>();

/** The engine's module-child state (zeros until a module forks). */
export function moduleForkInfo(engine: Engine): ModuleForkInfo {
  let i = infos.get(engine);
  if (!i) {
    i = { inProgress: false, lastCowSize: 0, totalForks: 0, latestForkUsec: 0 };
    infos.set(engine, i);
  }
  return i;
}

/** Runs one fork bridge operation. */
export function forkKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void db; void key; void b;
  const info = moduleForkInfo(engine);
  switch (op) {
    case FKOP_STARTED:
      info.inProgress = true;
      info.totalForks++;
      info.latestForkUsec = Math.max(0, Math.round(Number(a)));
      return true;
    case FKOP_ENDED: {
      info.inProgress = false;
      const cow = Number(a);
      if (cow >= 0) info.lastCowSize = cow;
      return true;
    }
    default:
      return undefined;
  }
}
