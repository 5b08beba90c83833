/**
 * Bridge operations 1000-1009: engine execution units opened by native code that runs module
 * code outside a command (native/host/gil.h): a module thread's calls under
 * ThreadSafeContextLock, timers, server events, blocked-client callbacks.
 */
import type { Engine } from '../engine/engine.js';

const KOP_UNIT_BEGIN = 1000;
const KOP_UNIT_END = 1001;

/** Serves ops 1000 (engine.beginUnit) and 1001 (engine.endUnit). */
export function unitsKeyOp(engine: Engine, op: number): unknown {
  switch (op) {
    case KOP_UNIT_BEGIN:
      engine.beginUnit();
      return true;
    case KOP_UNIT_END:
      engine.endUnit();
      return true;
    default:
      return undefined;
  }
}
