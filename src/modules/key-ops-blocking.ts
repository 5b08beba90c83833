/**
 * Key bridge operations 1010-1099: module blocked clients (native/api/blocking.cc).
 * Operations 1000-1009 (execution units of the global lock) belong to the lock's own file.
 */
import type { Engine } from '../engine/engine.js';
import { authKeyOp } from './key-ops-auth.js';

/** SignalKeyAsReady: (db, key) -> true. */
const KOP_SIGNAL_READY = 1010;

/** Serves a blocked-clients key bridge operation. */
export function blockingKeyOp(engine: Engine, op: number, db: number, key: string, _a: unknown, _b: unknown): unknown {
  // 1050-1059: module authentication (RegisterAuthCallback, native/api/auth.cc)
  if (op >= 1050 && op < 1060) return authKeyOp(engine, op, db, key, _a, _b);
  switch (op) {
    case KOP_SIGNAL_READY:
      // Module keys are signalled whatever their type (Valkey signals them as OBJ_MODULE).
      engine.blocking.signalKeyAsReady(db, key);
      return true;
    default:
      return undefined;
  }
}
