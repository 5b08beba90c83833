/** Bridge operations of the configs API area (being written). */
import type { Engine } from '../engine/engine.js';

/** Runs one configs bridge operation (op numbers in native/host/key.h); `key` may be null. */
export function configsKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void engine; void op; void db; void key; void a; void b;
  return undefined;
}
