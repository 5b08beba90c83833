/** Bridge operations of the server-events / timers / event-loop area (ops 1300-1399;
 *  native/api/events.cc and native/api/eventloop.cc). */
import type { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { setServerEventMask } from './server-events.js';

const OP_EVENT_MASK = 1300; // (a: bit set of event ids with listeners) -> true
const OP_MAXCLIENTS = 1301; // () -> maxclients (EventLoopAdd's fd range)

/** Runs one bridge operation of this area; `db` and `key` are unused. */
export function eventsKeyOp(engine: Engine, op: number, db: number, key: string | null, a: unknown, b: unknown): unknown {
  void db;
  void key;
  void b;
  switch (op) {
    case OP_EVENT_MASK:
      setServerEventMask(engine, Number(a));
      return true;
    case OP_MAXCLIENTS:
      return configOf(engine).number('maxclients');
    default:
      return undefined;
  }
}
