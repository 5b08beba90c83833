/** Bridge operations of the INFO / module pub/sub / latency area (native/api/info.cc). */
import type { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { slowlogOf } from '../engine/slowlog.js';
import { pauseState } from '../commands/clients.js';
import { infoText, setModuleInfoProvider, type ModuleInfoProvider } from '../commands/server.js';

/** Op numbers (mirrored in native/api/info.cc). */
const OP_PUBLISH = 500; // (channel, message) -> receivers
const OP_PUBLISH_SHARD = 501; // (channel, message) -> receivers
const OP_AVOID_REPLICA = 502; // () -> clients paused?
const OP_LATENCY_SAMPLE = 503; // (event, ms) -> sampled?
const OP_INFO_TEXT = 504; // (section or null) -> INFO text
const OP_INFO_RENDERER = 505; // (fn) -> installs the module INFO renderer

/** Runs one bridge operation of this area; `key` is unused (null). */
export function miscKeyOp(engine: Engine, op: number, db: number, key: string | null, a: unknown, b: unknown): unknown {
  void db;
  void key;
  switch (op) {
    case OP_PUBLISH:
      return engine.publish(String(a), String(b));
    case OP_PUBLISH_SHARD:
      return engine.pubsub.spublish(String(a), String(b));
    case OP_AVOID_REPLICA: {
      // Valkey: CLIENT PAUSE (WRITE or ALL) includes the "replica" pause action.
      const p = pauseState(engine);
      return p.actions !== 'none' && p.end > Date.now();
    }
    case OP_LATENCY_SAMPLE: {
      // Valkey samples when latency >= latency-monitor-threshold (0 included).
      const ms = Number(b);
      if (!(ms >= configOf(engine).latencyMonitorThreshold)) return false;
      slowlogOf(engine).latency.addSample(String(a), ms);
      return true;
    }
    case OP_INFO_TEXT:
      return infoText(engine, typeof a === 'string' ? [a] : []);
    case OP_INFO_RENDERER:
      setModuleInfoProvider(engine, typeof a === 'function' ? (a as ModuleInfoProvider) : undefined);
      return true;
    default:
      return undefined;
  }
}
