/** Key bridge operations of the stream key API (being written). */
import type { Engine } from '../engine/engine.js';

/** Runs one stream key operation (op numbers in native/host/key.h). */
export function streamKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void engine; void op; void db; void key; void a; void b;
  return undefined;
}
