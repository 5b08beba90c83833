/**
 * The slow log (SLOWLOG) and the latency monitor (LATENCY), fed by the engine after each
 * command: `slowlogOf(engine).record(client, args, durationUs)`.
 *
 * record() is cheap when a command is fast: one comparison against the configured
 * thresholds (slowlog-log-slower-than, latency-monitor-threshold) before any other work.
 */
import type { Engine } from './engine.js';
import type { Client } from '../server/client.js';
import type { CommandDef } from '../commands/table.js';
import { configOf, type ServerConfig } from './config.js';
import { moduleRedactedArgs, clearModuleRedactions } from '../modules/key-ops-clients.js';

/** Valkey keeps at most 32 arguments of a command in an entry... */
const SLOWLOG_ENTRY_MAX_ARGC = 32;
/** ...and at most 128 bytes of each. */
const SLOWLOG_ENTRY_MAX_STRING = 128;

/** One slow log entry, as SLOWLOG GET shows it. */
export interface SlowlogEntry {
  id: number;
  /** Unix time in seconds when the command ran. */
  time: number;
  /** Execution time in µs. */
  duration: number;
  /** The arguments (truncated and redacted as Valkey does). */
  args: string[];
  /** "ip:port" of the client ("" for embedded clients). */
  peer: string;
  /** The client's name. */
  name: string;
}

/** The arguments of a command as the slow log keeps them: sensitive values (and the
 *  positions in `moduleRedacted`) redacted, at most 32 arguments and 128 bytes each. */
export function slowlogArgs(engine: Engine, args: string[], moduleRedacted?: ReadonlySet<number>): string[] {
  let red = redactedPositions(engine, args);
  if (moduleRedacted) red = new Set([...(red ?? []), ...moduleRedacted]);
  const argc = args.length;
  const n = Math.min(argc, SLOWLOG_ENTRY_MAX_ARGC);
  const out = new Array<string>(n);
  for (let j = 0; j < n; j++) {
    if (n !== argc && j === n - 1) {
      out[j] = `... (${argc - n + 1} more arguments)`;
      continue;
    }
    if (red && red.has(j)) {
      out[j] = '(redacted)';
      continue;
    }
    const a = args[j]!;
    out[j] = a.length > SLOWLOG_ENTRY_MAX_STRING
      ? `${a.slice(0, SLOWLOG_ENTRY_MAX_STRING)}... (${a.length - SLOWLOG_ENTRY_MAX_STRING} more bytes)`
      : a;
  }
  return out;
}

/** Positions of arguments Valkey hides from the slow log (passwords, sensitive configs). */
function redactedPositions(engine: Engine, args: string[]): Set<number> | undefined {
  const name = args[0]!.toLowerCase();
  const all = (from: number) => {
    const s = new Set<number>();
    for (let i = from; i < args.length; i++) s.add(i);
    return s;
  };
  if (name === 'auth') return all(1);
  if (name === 'hello') {
    for (let i = 2; i < args.length; i++) {
      if (args[i]!.toLowerCase() === 'auth' && i + 2 < args.length) return new Set([i + 1, i + 2]);
    }
    return undefined;
  }
  if (name === 'config' && args.length > 2 && args[1]!.toLowerCase() === 'set') {
    const cfg = configOf(engine);
    let s: Set<number> | undefined;
    for (let i = 2; i + 1 < args.length; i += 2) {
      if (cfg.isSensitive(args[i]!)) (s ??= new Set()).add(i + 1);
    }
    return s;
  }
  if (name === 'migrate') {
    for (let i = 6; i < args.length; i++) {
      const a = args[i]!.toLowerCase();
      if (a === 'auth' && i + 1 < args.length) return new Set([i + 1]);
      if (a === 'auth2' && i + 2 < args.length) return new Set([i + 1, i + 2]);
    }
    return undefined;
  }
  if (name === 'acl' && args.length > 1 && args[1]!.toLowerCase() === 'setuser') return all(3);
  return undefined;
}

/** Latency samples kept per event (Valkey: 160). */
const LATENCY_TS_LEN = 160;

/** The samples of one latency event. */
export interface LatencyEvent {
  /** [unix seconds, latency ms] pairs, oldest first. */
  samples: [number, number][];
  /** Highest latency ever recorded for the event (ms). */
  max: number;
}

/** Called after each command ran, with the argument positions modules redacted in it. */
export type CommandFinishedListener = (client: Client, args: string[], moduleRedacted: ReadonlySet<number> | undefined) => void;

const finishedListeners = new WeakMap<Engine, CommandFinishedListener[]>();

/** Registers a listener the slow log calls after each command of `engine` (MONITOR uses it
 *  for module commands, whose redacted arguments are known only once they ran). */
export function onCommandFinished(engine: Engine, fn: CommandFinishedListener): void {
  let l = finishedListeners.get(engine);
  if (!l) finishedListeners.set(engine, (l = []));
  l.push(fn);
}

/** The latency monitor: latency spikes by event class (LATENCY LATEST/HISTORY/RESET). */
export class LatencyMonitor {
  readonly events = new Map<string, LatencyEvent>();

  /** Adds a sample of `ms` for `event` now; samples in the same second merge (max). */
  addSample(event: string, ms: number, nowMs = Date.now()): void {
    const t = Math.floor(nowMs / 1000);
    let e = this.events.get(event);
    if (!e) {
      e = { samples: [], max: 0 };
      this.events.set(event, e);
    }
    if (ms > e.max) e.max = ms;
    const last = e.samples[e.samples.length - 1];
    if (last && last[0] === t) {
      if (ms > last[1]) last[1] = ms;
      return;
    }
    e.samples.push([t, ms]);
    if (e.samples.length > LATENCY_TS_LEN) e.samples.shift();
  }

  /** Forgets the named events (all when none given); returns how many existed. */
  reset(names?: string[]): number {
    if (!names || names.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const name of names) if (this.events.delete(name)) n++;
    return n;
  }
}

export class Slowlog {
  readonly entries: SlowlogEntry[] = [];
  readonly latency = new LatencyMonitor();
  private nextId = 0;
  private cfg: ServerConfig | undefined;

  constructor(private readonly engine: Engine) {}

  /** The engine's configuration (looked up once: it never changes for an engine). */
  private config(): ServerConfig {
    return (this.cfg ??= configOf(this.engine));
  }

  /**
   * Called by the engine after each command with its execution time in µs: logs it when
   * it took at least slowlog-log-slower-than (unless the command is flagged skip_slowlog)
   * and adds a "command"/"fast-command" latency sample when it took at least
   * latency-monitor-threshold ms.
   */
  record(client: Client, args: string[], durationUs: number): void {
    // arguments modules redacted (RedactClientCommandArgument) hold for this command only
    const moduleRedacted = moduleRedactedArgs(client);
    if (moduleRedacted) clearModuleRedactions(client);
    const listeners = finishedListeners.get(this.engine);
    if (listeners) for (const fn of listeners) fn(client, args, moduleRedacted);
    const cfg = this.config();
    const slower = cfg.slowlogLogSlowerThan;
    const latencyMs = cfg.latencyMonitorThreshold;
    const logIt = slower >= 0 && durationUs >= slower && cfg.slowlogMaxLen > 0;
    const sampleIt = latencyMs > 0 && durationUs / 1000 >= latencyMs;
    if (!logIt && !sampleIt) return;
    const def = this.lookup(args);
    if (sampleIt) this.latency.addSample(def?.flags.includes('fast') ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
    if (!logIt || def?.flags.includes('skip_slowlog')) return;
    const c = client as Client & { addr?: string };
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      duration: Math.floor(durationUs),
      args: slowlogArgs(this.engine, args, moduleRedacted),
      peer: typeof c.addr === 'string' ? c.addr : '',
      name: client.name,
    });
    this.trim();
  }

  /** Drops the oldest entries beyond slowlog-max-len. */
  trim(): void {
    const max = this.config().slowlogMaxLen;
    if (this.entries.length > max) this.entries.length = Math.max(0, max);
  }

  /** SLOWLOG RESET. */
  reset(): void {
    this.entries.length = 0;
  }

  private lookup(args: string[]): CommandDef | undefined {
    const def = this.engine.commands.get(args[0]!);
    if (def?.subcommands && args.length > 1) return def.subcommands.get(args[1]!.toLowerCase()) ?? def;
    return def;
  }
}

const fallback = new WeakMap<Engine, Slowlog>();

/** The engine's Slowlog: `engine.slowlog` when the engine owns one, otherwise one kept here. */
export function slowlogOf(engine: Engine): Slowlog {
  const own = (engine as unknown as { slowlog?: Slowlog }).slowlog;
  if (own) return own;
  let s = fallback.get(engine);
  if (!s) {
    s = new Slowlog(engine);
    fallback.set(engine, s);
  }
  return s;
}
