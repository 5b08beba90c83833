/**
 * Engine-wide statistics INFO reports: per-command calls, time, rejected and failed calls
 * (INFO commandstats), a latency histogram per command (INFO latencystats, LATENCY
 * HISTOGRAM), error replies by code (INFO errorstats) and the totals of INFO stats.
 *
 * The engine feeds it from Engine.execute:
 *   - `errorReply(message)` for every error reply a client receives;
 *   - `rejected(def)` when a known command is refused before it runs (arity...);
 *   - `record(def, durationUs, failed)` after a command ran (`failed`: it replied an error).
 * Everything is O(1) per call; per-command state is allocated once per command.
 */
import type { CommandDef } from '../commands/table.js';
import type { Engine } from './engine.js';

/**
 * Latency histogram layout: durations in ns are bucketed log-linearly, 16 sub-buckets per
 * power of two (about 6% precision, like the 2 significant digits of Valkey's HDR histogram).
 */
const SUB = 16;
const EXPONENTS = 52;
/** Number of latency histogram buckets per command. */
export const LATENCY_BUCKETS = EXPONENTS * SUB;

/** Bucket index of a duration in ns. */
function bucketOf(ns: number): number {
  if (ns < 1) return 0;
  const e = Math.min(EXPONENTS - 1, Math.floor(Math.log2(ns)));
  const sub = Math.min(SUB - 1, Math.floor((ns / 2 ** e - 1) * SUB));
  return e * SUB + sub;
}

/** Highest duration (ns) a bucket holds. */
function bucketTop(i: number): number {
  const e = Math.floor(i / SUB);
  return 2 ** e * (1 + ((i % SUB) + 1) / SUB);
}

/** Statistics of one command (or subcommand). */
export class CommandStat {
  calls = 0;
  /** Total execution time in µs. */
  usec = 0;
  rejectedCalls = 0;
  failedCalls = 0;
  /** Counts per latency bucket (allocated on first call). */
  histogram: Uint32Array | undefined;
  /** Calls recorded in the histogram. */
  histogramTotal = 0;

  /** Adds one duration (µs) to the latency histogram. */
  addLatency(durationUs: number): void {
    const h = (this.histogram ??= new Uint32Array(LATENCY_BUCKETS));
    h[bucketOf(durationUs * 1000)]!++;
    this.histogramTotal++;
  }

  /** Calls recorded in the histogram. */
  histogramCalls(): number {
    return this.histogramTotal;
  }

  /** The latency (µs) under which `p` percent of the calls completed. */
  percentile(p: number): number {
    const h = this.histogram;
    const total = this.histogramTotal;
    if (!h || total === 0) return 0;
    const want = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      seen += h[i]!;
      if (seen >= want) return bucketTop(i) / 1000;
    }
    return bucketTop(LATENCY_BUCKETS - 1) / 1000;
  }

  /**
   * LATENCY HISTOGRAM's cumulative distribution: [µs, calls up to it] at powers of two
   * from 1 µs (1024 ns), only where the count grows.
   */
  cumulative(): [us: number, count: number][] {
    const h = this.histogram;
    const out: [number, number][] = [];
    if (!h) return out;
    let cum = 0;
    let prev = 0;
    let i = 0;
    for (let j = 0; 10 + j < EXPONENTS && cum < this.histogramTotal; j++) {
      const limit = (10 + j) * SUB; // buckets below 2^(10+j) ns
      while (i < limit) cum += h[i++]!;
      if (cum > prev) out.push([2 ** j, cum]);
      prev = cum;
    }
    if (cum < this.histogramTotal) out.push([2 ** (EXPONENTS - 10), this.histogramTotal]);
    return out;
  }
}

/** Valkey stops tracking new error codes after this many distinct ones. */
const ERROR_STATS_NUMBER = 128;

export class CommandStats {
  /** When the engine started (ms since the epoch): uptime, LASTSAVE until persistence exists. */
  readonly startTime = Date.now();
  /** Time of the last successful save (ms); the start time until persistence exists. */
  lastSave = this.startTime;
  /** Commands executed (INFO total_commands_processed). */
  totalCommands = 0;
  /** Error replies sent (INFO total_error_replies). */
  totalErrorReplies = 0;
  /** Whether the latency histograms are fed (config latency-tracking). */
  latencyTracking = true;
  private readonly perCommand = new Map<CommandDef, CommandStat>();
  /** Error code -> count, in first-seen order (INFO errorstats sorts them). */
  private readonly errors = new Map<string, number>();
  private errorsEnabled = true;

  /** The statistics of a command, created on first use. */
  of(def: CommandDef): CommandStat {
    let s = this.perCommand.get(def);
    if (s === undefined) {
      s = new CommandStat();
      this.perCommand.set(def, s);
    }
    return s;
  }

  /** The statistics of a command if it has any. */
  peek(def: CommandDef): CommandStat | undefined {
    return this.perCommand.get(def);
  }

  /**
   * Records one executed command: its duration in µs and whether it replied with an error
   * (Valkey's failed_calls). Call once per execution, after the handler returned (for a
   * blocking command: when it finally completes, with the time it actually ran).
   */
  record(def: CommandDef, durationUs: number, failed = false): void {
    this.totalCommands++;
    const s = this.of(def);
    s.calls++;
    s.usec += durationUs;
    if (failed) s.failedCalls++;
    if (this.latencyTracking) s.addLatency(durationUs);
  }

  /** Records a known command refused before running (arity, unknown subcommand...). */
  rejected(def: CommandDef): void {
    this.of(def).rejectedCalls++;
  }

  /**
   * Counts one error reply: total_error_replies and the error code's counter (the first
   * word of the message, e.g. "ERR", "WRONGTYPE"; "ERR" when there is no space in the
   * first 32 bytes). After 128 distinct codes Valkey stops tracking errors until CONFIG
   * RESETSTAT and shows only `ERRORSTATS_DISABLED`.
   */
  errorReply(message: string): void {
    this.totalErrorReplies++;
    if (!this.errorsEnabled) return;
    const head = message.length > 0 && message.charCodeAt(0) === 45 /* - */ ? message.slice(1) : message;
    const sp = head.indexOf(' ');
    const code = sp > 0 && sp < 31 ? head.slice(0, sp) : 'ERR';
    const n = this.errors.get(code);
    if (n !== undefined) {
      this.errors.set(code, n + 1);
      return;
    }
    if (this.errors.size >= ERROR_STATS_NUMBER) {
      this.errors.clear();
      this.errors.set('ERRORSTATS_DISABLED', 1);
      this.errorsEnabled = false;
      return;
    }
    this.errors.set(code, 1);
  }

  /** Error counters by code, sorted by code (INFO errorstats order). */
  errorCounts(): [code: string, count: number][] {
    return [...this.errors].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** CONFIG RESETSTAT: clears every counter (not the start time). */
  reset(): void {
    this.totalCommands = 0;
    this.totalErrorReplies = 0;
    this.perCommand.clear();
    this.errors.clear();
    this.errorsEnabled = true;
  }
}

const fallback = new WeakMap<Engine, CommandStats>();

/**
 * The engine's CommandStats: `engine.commandStats` when the engine owns one, otherwise one
 * kept for it here (created on first use).
 */
export function statsOf(engine: Engine): CommandStats {
  const own = (engine as unknown as { commandStats?: CommandStats }).commandStats;
  if (own) return own;
  let s = fallback.get(engine);
  if (!s) {
    s = new CommandStats();
    fallback.set(engine, s);
  }
  return s;
}
