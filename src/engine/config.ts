/**
 * The configuration parameters: ONE table used by CONFIG GET/SET/RESETSTAT and, later, by
 * the config file and CONFIG REWRITE. Each parameter has Valkey 8's name, alias, type,
 * default, flags and parsing rules (yes/no booleans, bounded integers, memory values with
 * units as Valkey's memtoull reads them, percentages, octal, enums, strings and the special
 * multi-argument ones), and optionally hooks that read/write live engine state instead of
 * a stored value (databases, hz, loglevel, notify-keyspace-events, enable-module-command).
 *
 * Error texts, the order checks happen in, case rules and glob matching are Valkey's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from './engine.js';
import { parseLogLevel } from './log.js';
import { formatNotifyFlags, parseNotifyFlags } from './notify.js';
import { globMatch } from './glob.js';
import { statsOf } from './stats.js';

/** Parameter flags (Valkey's *_CONFIG flags). */
export const IMMUTABLE = 1 << 0;
export const PROTECTED = 1 << 1;
export const SENSITIVE = 1 << 2;
export const HIDDEN = 1 << 3;
export const MULTI_ARG = 1 << 4;
export const DENY_LOADING = 1 << 5;
export const DEBUG = 1 << 6;
export const VOLATILE = 1 << 7;

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = 18446744073709551615n;
const SSIZE_MAX = LONG_MAX;

/** The C type a numeric parameter is stored in (decides unsigned bound checks). */
type NumType = 'int' | 'uint' | 'long' | 'ulong' | 'll' | 'ull' | 'size' | 'ssize' | 'time' | 'off';

/** Result of parsing a value: the typed value, or Valkey's error text. */
type Parsed = { value: unknown; error?: undefined } | { error: string; value?: undefined };

/** One configuration parameter. */
export interface ConfigParam {
  /** The name CONFIG GET shows (lower case). */
  readonly name: string;
  /** The other accepted name (e.g. slaveof for replicaof), if any. */
  readonly alias?: string;
  readonly flags: number;
  readonly type: 'bool' | 'numeric' | 'enum' | 'string' | 'special';
  /** The default value in the parameter's typed form. */
  readonly default: unknown;
  /** Parses the argument(s) of CONFIG SET / the config file (MULTI_ARG: split on spaces). */
  parse(args: string[], cfg: ServerConfig): Parsed;
  /** Renders a typed value as CONFIG GET shows it. */
  format(value: unknown): string;
  /** Reads the live value from the engine (instead of the stored one). */
  read?(engine: Engine): unknown;
  /** Applies a new value to the engine; may return the value actually kept (e.g. hz clamps). */
  apply?(engine: Engine, value: unknown, cfg: ServerConfig): unknown;
  /** Module configs: runs the module's set callback with a parsed value (error text or undefined). */
  moduleSet?(value: unknown): string | undefined;
  /** Module configs: the apply callback's de-duplication key (null without one). */
  moduleApplyKey?(): string | null;
  /** Module configs: runs the apply callback (error text or undefined). */
  moduleApply?(): string | undefined;
  /** How CONFIG REWRITE writes a value shown as `value` (module MEMORY configs: gb/mb/kb). */
  rewriteValue?(value: string): string;
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers (Valkey's string2ll, memtoull, strtoll)
// ---------------------------------------------------------------------------------------------

/** Strict integer (Valkey's string2ll) as a bigint; undefined when invalid or beyond 64 bits. */
export function string2ll(s: string): bigint | undefined {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > LLONG_MAX || v < -LLONG_MAX - 1n) return undefined;
  return v;
}

/**
 * Valkey's memtoull: digits followed by an optional unit (b, k, kb, m, mb, g, gb; any case;
 * k = 1000, kb = 1024). No sign allowed. An empty number counts as 0 ("", "mb").
 */
export function memtoull(s: string): bigint | undefined {
  if (s.startsWith('-')) return undefined;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const unit = s.slice(i).toLowerCase();
  let mul: bigint;
  switch (unit) {
    case '':
    case 'b': mul = 1n; break;
    case 'k': mul = 1000n; break;
    case 'kb': mul = 1024n; break;
    case 'm': mul = 1000000n; break;
    case 'mb': mul = 1048576n; break;
    case 'g': mul = 1000000000n; break;
    case 'gb': mul = 1073741824n; break;
    default: return undefined;
  }
  if (i >= 128) return undefined;
  let val = i === 0 ? 0n : BigInt(s.slice(0, i));
  if (val > ULLONG_MAX) val = ULLONG_MAX; // strtoull saturates
  if (val > ULLONG_MAX / mul) return undefined;
  return val * mul;
}

/** C strtoll with an "all consumed" check (leading blanks and a sign allowed); base 10. */
function strtollStrict(s: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)$/.exec(s);
  if (!m) return undefined;
  if (m[2] === '') return s === '' ? 0n : undefined;
  let v = BigInt(m[2]!);
  if (v > LLONG_MAX) v = LLONG_MAX; // strtoll saturates
  return m[1] === '-' ? -v : v;
}

/** Splits a MULTI_ARG value as Valkey's sdssplitlen(" "): every space separates, so
 *  doubled spaces yield empty elements; the empty string yields none. */
function splitSpaces(s: string): string[] {
  return s.length === 0 ? [] : s.split(' ');
}

// ---------------------------------------------------------------------------------------------
// Parameter constructors
// ---------------------------------------------------------------------------------------------

interface Common {
  alias?: string;
  flags?: number;
  read?: (engine: Engine) => unknown;
  apply?: (engine: Engine, value: unknown, cfg: ServerConfig) => unknown;
}

function bool(name: string, def: boolean, o: Common & { validate?: (v: boolean) => string | undefined } = {}): ConfigParam {
  return {
    name,
    alias: o.alias,
    flags: o.flags ?? 0,
    type: 'bool',
    default: def,
    parse(args) {
      const a = args[0]!.toLowerCase();
      if (a !== 'yes' && a !== 'no') return { error: "argument must be 'yes' or 'no'" };
      const v = a === 'yes';
      const bad = o.validate?.(v);
      return bad ? { error: bad } : { value: v };
    },
    format: (v) => (v ? 'yes' : 'no'),
    read: o.read,
    apply: o.apply,
  };
}

interface NumOpts extends Common {
  mem?: boolean;
  percent?: boolean;
  octal?: boolean;
  validate?: (v: bigint) => string | undefined;
}

function num(name: string, type: NumType, min: bigint, max: bigint, def: bigint, o: NumOpts = {}): ConfigParam {
  const unsigned = type === 'uint' || type === 'ull' || type === 'size';
  return {
    name,
    alias: o.alias,
    flags: o.flags ?? 0,
    type: 'numeric',
    default: def,
    parse(args) {
      const s = args[0]!;
      let ll: bigint | undefined;
      if (o.mem) {
        const m = memtoull(s);
        if (m !== undefined) ll = BigInt.asIntN(64, m);
      }
      if (ll === undefined && o.percent && s.length > 1 && s.endsWith('%')) {
        const p = string2ll(s.slice(0, -1));
        if (p !== undefined && p >= 0n) ll = -p;
      }
      if (ll === undefined && o.octal) {
        if (s === '') ll = 0n;
        else if (/^[ \t]*[+-]?[0-7]+$/.test(s)) {
          const t = s.trim();
          const neg = t.startsWith('-');
          const digits = t.replace(/^[+-]/, '');
          const v = BigInt('0o' + digits);
          if (v <= LLONG_MAX) ll = neg ? -v : v;
        }
      }
      if (ll === undefined && !o.mem && !o.percent && !o.octal) ll = string2ll(s);
      if (ll === undefined) {
        if (o.mem && o.percent) return { error: 'argument must be a memory or percent value' };
        if (o.mem) return { error: 'argument must be a memory value' };
        if (o.octal) return { error: "argument couldn't be parsed as an octal number" };
        return { error: "argument couldn't be parsed into an integer" };
      }
      if (unsigned) {
        const u = BigInt.asUintN(64, ll);
        if (u > max || u < min) {
          return o.octal
            ? { error: `argument must be between ${min.toString(8)} and ${max.toString(8)} inclusive` }
            : { error: `argument must be between ${min} and ${max} inclusive` };
        }
        const bad = o.validate?.(u);
        return bad ? { error: bad } : { value: u };
      }
      if (o.percent && ll < 0n) {
        if (ll < min) return { error: `percentage argument must be less or equal to ${-min}` };
      } else if (ll > max || ll < min) {
        return { error: `argument must be between ${min} and ${max} inclusive` };
      }
      const bad = o.validate?.(ll);
      return bad ? { error: bad } : { value: ll };
    },
    format(v) {
      const n = v as bigint;
      if (o.percent && n < 0n) return `${-n}%`;
      if (o.mem) return BigInt.asUintN(64, n).toString();
      if (o.octal) return n.toString(8);
      return n.toString();
    },
    read: o.read,
    apply: o.apply,
  };
}

function int(name: string, min: bigint, max: bigint, def: number, o: NumOpts = {}): ConfigParam {
  return num(name, 'int', min, max, BigInt(def), o);
}

interface EnumOpts extends Common {
  validate?: (v: number) => string | undefined;
}

function enumc(name: string, values: [string, number][], def: number, o: EnumOpts = {}): ConfigParam {
  const bitflags = ((o.flags ?? 0) & MULTI_ARG) !== 0;
  return {
    name,
    alias: o.alias,
    flags: o.flags ?? 0,
    type: 'enum',
    default: def,
    parse(args) {
      let v = 0;
      let ok = args.length > 0 && (bitflags || args.length === 1);
      for (const a of ok ? args : []) {
        let matched = false;
        const la = a.toLowerCase();
        for (const [n, val] of values) {
          if (n === la) {
            v |= val;
            matched = true;
          }
        }
        if (!matched) {
          ok = false;
          break;
        }
      }
      if (!ok) return { error: `argument(s) must be one of the following: ${values.map((x) => x[0]).join(', ')}` };
      const bad = o.validate?.(v);
      return bad ? { error: bad } : { value: v };
    },
    format(v) {
      const value = v as number;
      let names: string[] | undefined;
      let unmatched = value;
      for (const [n, val] of values) {
        if (value === val) return n;
        if (bitflags && val && val === (unmatched & val)) {
          (names ??= []).push(n);
          unmatched &= ~val;
        }
      }
      if (!names || unmatched) return 'unknown';
      return names.join(' ');
    },
    read: o.read,
    apply: o.apply,
  };
}

function str(name: string, def: string, o: Common & { validate?: (v: string) => string | undefined } = {}): ConfigParam {
  return {
    name,
    alias: o.alias,
    flags: o.flags ?? 0,
    type: 'string',
    default: def,
    parse(args) {
      const bad = o.validate?.(args[0]!);
      return bad ? { error: bad } : { value: args[0]! };
    },
    format: (v) => v as string,
    read: o.read,
    apply: o.apply,
  };
}

function special(
  name: string,
  def: string,
  parse: (args: string[], cfg: ServerConfig) => Parsed,
  o: Common = {},
): ConfigParam {
  return {
    name,
    alias: o.alias,
    flags: o.flags ?? 0,
    type: 'special',
    default: def,
    parse,
    format: (v) => v as string,
    read: o.read,
    apply: o.apply,
  };
}

// ---------------------------------------------------------------------------------------------
// Validators and special parameters
// ---------------------------------------------------------------------------------------------

function isBaseName(s: string): boolean {
  return !s.includes('/');
}

function fileNameValidator(what: string, kind: 'filename' | 'dirname') {
  return (v: string): string | undefined => {
    if (v === '') return `${what} can't be empty`;
    if (!isBaseName(v)) return `${what} can't be a path, just a ${kind}`;
    return undefined;
  };
}

/** Values proc-title-template variables expand to when a template is validated. */
const PROC_TITLE_VARS: Record<string, string> = {
  title: '',
  'listen-addr': '*:6379',
  'server-mode': '',
  port: '6379',
  'tls-port': '0',
  unixsocket: '',
  'config-file': '',
};

/** Valkey expands the template (sdstemplate: `{var}`, `{{` for a literal brace) and refuses
 *  unknown variables, a premature end, or a result that is empty once spaces are trimmed. */
function validProcTitle(v: string): string | undefined {
  const bad = 'template format is invalid or contains unknown variables';
  let out = '';
  let p = 0;
  while (p < v.length) {
    const sv = v.indexOf('{', p);
    if (sv < 0) {
      out += v.slice(p);
      break;
    }
    out += v.slice(p, sv);
    if (sv + 1 >= v.length) return bad;
    if (v[sv + 1] === '{') {
      out += '{';
      p = sv + 2;
      continue;
    }
    const ev = v.indexOf('}', sv + 1);
    if (ev < 0) return bad;
    const value = PROC_TITLE_VARS[v.slice(sv + 1, ev)];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(PROC_TITLE_VARS, v.slice(sv + 1, ev))) return bad;
    out += value;
    p = ev + 1;
  }
  return out.replace(/^ +| +$/g, '') === '' ? bad : undefined;
}

function validHostname(v: string): string | undefined {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return undefined;
}

function validNodename(v: string): string | undefined {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!(c > 32 && c < 127) || v[i] === '\\' || v[i] === '"') return 'Announced human node name contained invalid character';
  }
  return undefined;
}

function parseSave(args: string[]): Parsed {
  let a = args;
  if (a.length === 1 && a[0] === '') a = [];
  if (a.length & 1) return { error: 'Invalid save parameters' };
  const parts: bigint[] = [];
  for (let j = 0; j < a.length; j++) {
    const v = strtollStrict(a[j]!);
    if (v === undefined || ((j & 1) === 0 && v < 1n) || ((j & 1) === 1 && v < 0n)) return { error: 'Invalid save parameters' };
    parts.push((j & 1) === 1 ? BigInt.asIntN(32, v) : v);
  }
  return { value: parts.join(' ') };
}

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'];

function parseObufLimits(args: string[], cfg: ServerConfig): Parsed {
  if (args.length % 4) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const current = cfg.rawValue('client-output-buffer-limit') as string;
  const cur = current.split(' ');
  const rows = new Map<string, string[]>();
  for (let i = 0; i < cur.length; i += 4) rows.set(cur[i]!, cur.slice(i + 1, i + 4));
  const updates: [string, string[]][] = [];
  for (let j = 0; j < args.length; j += 4) {
    let cls = args[j]!.toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!OBUF_CLASSES.includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[j + 1]!);
    const soft = memtoull(args[j + 2]!);
    const rawSecs = strtollStrict(args[j + 3]!);
    const secs = rawSecs === undefined ? undefined : BigInt.asIntN(32, rawSecs);
    if (hard === undefined || soft === undefined || secs === undefined || secs < 0n) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    updates.push([cls, [hard.toString(), soft.toString(), secs.toString()]]);
  }
  for (const [cls, v] of updates) rows.set(cls, v);
  return { value: OBUF_CLASSES.map((c) => `${c} ${rows.get(c)!.join(' ')}`).join(' ') };
}

function parseOomValues(args: string[]): Parsed {
  if (args.length !== 3) return { error: 'wrong number of arguments' };
  const out: bigint[] = [];
  for (const a of args) {
    const v = strtollStrict(a);
    if (v === undefined || v < -2000n || v > 2000n) {
      return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    }
    out.push(v);
  }
  return { value: out.join(' ') };
}

function parseBind(args: string[]): Parsed {
  if (args.length > 16) return { error: 'Too many bind addresses specified.' };
  const a = args.length === 1 && args[0] === '' ? [] : args;
  return { value: a.join(' ') };
}

function parseReplicaof(args: string[]): Parsed {
  if (args.length !== 2) return { error: 'wrong number of arguments' };
  if (args[0]!.toLowerCase() === 'no' && args[1]!.toLowerCase() === 'one') return { value: '' };
  const m = /^[ \t]*([+-]?[0-9]+)$/.exec(args[1]!);
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 0 || port > 65535) return { error: 'Invalid primary port' };
  return { value: `${args[0]} ${port}` };
}

/** Valkey prints the percentiles with %f and trims trailing zeros ("99.900000" -> "99.9"). */
function trimDouble(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function parsePercentiles(args: string[]): Parsed {
  const a = args.length === 1 && args[0] === '' ? [] : args;
  const out: string[] = [];
  for (const s of a) {
    if (!/^[ \t\n\v\f\r]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s) && !/^(?:[+-]?(?:inf|infinity|nan))$/i.test(s)) {
      return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    }
    const d = Number(s.trim());
    if (Number.isNaN(d)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (d > 100 || d < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(trimDouble(d));
  }
  return { value: out.join(' ') };
}

function parseDir(args: string[]): Parsed {
  if (args.length !== 1) return { error: 'wrong number of arguments' };
  const d = args[0]!;
  if (d === '') return { error: "dir can't be empty" };
  const p = Buffer.from(d, 'latin1').toString('utf8');
  try {
    if (!fs.statSync(p).isDirectory()) return { error: 'Not a directory' };
    fs.accessSync(p, fs.constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : String(code) };
  }
  return { value: Buffer.from(path.resolve(p), 'utf8').toString('latin1') };
}

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

const MAXMEMORY_POLICIES: [string, number][] = [
  ['volatile-lru', 0],
  ['volatile-lfu', 1],
  ['volatile-random', 2],
  ['volatile-ttl', 3],
  ['allkeys-lru', 4],
  ['allkeys-lfu', 5],
  ['allkeys-random', 6],
  ['noeviction', 7],
];
const SYSLOG_FACILITIES: [string, number][] = [
  ['user', 8],
  ['local0', 128],
  ['local1', 136],
  ['local2', 144],
  ['local3', 152],
  ['local4', 160],
  ['local5', 168],
  ['local6', 176],
  ['local7', 184],
];
const LOGLEVELS: [string, number][] = [
  ['debug', 0],
  ['verbose', 1],
  ['notice', 2],
  ['warning', 3],
  ['nothing', 4],
];
const SUPERVISED: [string, number][] = [
  ['upstart', 1],
  ['systemd', 2],
  ['auto', 3],
  ['no', 0],
];
const FSYNC: [string, number][] = [
  ['everysec', 2],
  ['always', 1],
  ['no', 0],
];
const SHUTDOWN_ON_SIG: [string, number][] = [
  ['default', 0],
  ['save', 1],
  ['nosave', 2],
  ['now', 4],
  ['force', 8],
];
const DISKLESS_LOAD: [string, number][] = [
  ['disabled', 0],
  ['on-empty-db', 1],
  ['swapdb', 2],
];
const TLS_AUTH: [string, number][] = [
  ['no', 0],
  ['yes', 1],
  ['optional', 2],
];
const OOM_ADJ: [string, number][] = [
  ['no', 0],
  ['yes', 1],
  ['relative', 1],
  ['absolute', 2],
];
const PUBSUB_DEFAULT: [string, number][] = [
  ['allchannels', 1 << 2],
  ['resetchannels', 0],
];
const SANITIZE: [string, number][] = [
  ['no', 0],
  ['yes', 1],
  ['clients', 2],
];
/** enable-protected-configs / enable-debug-command / enable-module-command. */
export const PROTECTED_ACTION: [string, number][] = [
  ['no', 0],
  ['yes', 1],
  ['local', 2],
];
const ENDPOINT_TYPE: [string, number][] = [
  ['ip', 0],
  ['hostname', 1],
  ['unknown-endpoint', 2],
];
const PROPAGATION_ERROR: [string, number][] = [
  ['ignore', 0],
  ['panic', 1],
  ['panic-on-replicas', 2],
];
const RDB_VERSION_CHECK: [string, number][] = [
  ['strict', 0],
  ['relaxed', 1],
];

const MODULE_COMMAND_MODE = { no: 0, yes: 1, local: 2 } as const;

function validShutdownFlags(v: number): string | undefined {
  return v & 1 && v & 2 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : undefined;
}

/** Engine hooks for hz: Valkey keeps the configured value within 1..500. */
function applyHz(engine: Engine, value: unknown): unknown {
  let hz = value as bigint;
  if (hz < 1n) hz = 1n;
  if (hz > 500n) hz = 500n;
  engine.options.hz = Number(hz);
  (engine as unknown as { startCron?: () => void }).startCron?.();
  return hz;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const I = IMMUTABLE;
const MB = 1024n * 1024n;

/** Run-time effects of parameters owned by other layers (the AOF layer installs appendonly's:
 *  it may throw an Error whose message, prefixed with ERR, is CONFIG SET's reply). */
export const configApplyHooks: { appendonly?: (engine: Engine, on: boolean) => void } = {};

/** Every standard parameter, in Valkey 8's table order. */
export const CONFIG_TABLE: readonly ConfigParam[] = [
  // Booleans
  bool('rdbchecksum', true, { flags: I }),
  bool('daemonize', false, { flags: I }),
  bool('always-show-logo', false, { flags: I }),
  bool('protected-mode', true),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, { flags: I }),
  bool('dynamic-hz', true),
  // Valkey 8.0 made lazy freeing the default.
  bool('lazyfree-lazy-eviction', true, { flags: DEBUG }),
  bool('lazyfree-lazy-expire', true, { flags: DEBUG }),
  bool('lazyfree-lazy-server-del', true, { flags: DEBUG }),
  bool('lazyfree-lazy-user-del', true, { flags: DEBUG }),
  bool('lazyfree-lazy-user-flush', true, { flags: DEBUG }),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true, { flags: DEBUG }),
  bool('dual-channel-replication-enabled', false, { flags: DEBUG }),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  bool('replica-lazy-flush', true, { alias: 'slave-lazy-flush' }),
  bool('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  bool('replica-read-only', true, { alias: 'slave-read-only', flags: DEBUG }),
  bool('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  bool('jemalloc-bg-thread', true),
  // This engine has no allocator it could defragment: refused as a build without it does.
  bool('activedefrag', false, {
    flags: DEBUG,
    validate: (v) =>
      v
        ? 'Active defragmentation cannot be enabled: it requires a server compiled with a modified Jemalloc like the one shipped by default with the source distribution'
        : undefined,
  }),
  bool('syslog-enabled', false, { flags: I }),
  bool('cluster-enabled', false, { flags: I }),
  bool('appendonly', false, {
    flags: DENY_LOADING,
    apply: (engine, v) => {
      configApplyHooks.appendonly?.(engine, v as boolean);
      return v;
    },
  }),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, { flags: HIDDEN }),
  bool('disable-thp', true, { flags: I }),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true),
  bool('aof-disable-auto-gc', false, { flags: HIDDEN }),
  bool('replica-ignore-disk-write-errors', false),
  bool('extended-redis-compatibility', false),
  bool('enable-debug-assert', false, { flags: I | HIDDEN }),
  bool('cluster-slot-stats-enabled', false),
  bool('hide-user-data-from-log', false),

  // Strings
  str('aclfile', '', { flags: I }),
  str('unixsocket', '', { flags: I }),
  str('pidfile', '', { flags: I }),
  str('replica-announce-ip', '', { alias: 'slave-announce-ip' }),
  str('primaryuser', '', { alias: 'masteruser', flags: SENSITIVE }),
  str('cluster-announce-ip', ''),
  str('cluster-config-file', 'nodes.conf', {
    flags: I,
    validate: (v) => (v === '' ? "cluster-config-file can't be empty" : undefined),
  }),
  str('cluster-announce-client-ipv4', ''),
  str('cluster-announce-client-ipv6', ''),
  str('cluster-announce-hostname', '', { validate: validHostname }),
  str('cluster-announce-human-nodename', '', { validate: validNodename }),
  str('syslog-ident', 'valkey', { flags: I }),
  str('dbfilename', 'dump.rdb', { flags: PROTECTED, validate: fileNameValidator('dbfilename', 'filename') }),
  str('appendfilename', 'appendonly.aof', { flags: I, validate: fileNameValidator('appendfilename', 'filename') }),
  str('appenddirname', 'appendonlydir', { flags: I, validate: fileNameValidator('appenddirname', 'dirname') }),
  str('server-cpulist', '', { alias: 'server_cpulist', flags: I }),
  str('bio-cpulist', '', { alias: 'bio_cpulist', flags: I }),
  str('aof-rewrite-cpulist', '', { alias: 'aof_rewrite_cpulist', flags: I }),
  str('bgsave-cpulist', '', { alias: 'bgsave_cpulist', flags: I }),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', { validate: validProcTitle }),
  str('bind-source-addr', ''),
  str('logfile', '', { flags: I }),
  str('locale-collate', ''),
  str('availability-zone', ''),
  str('primaryauth', '', { alias: 'masterauth', flags: SENSITIVE }),
  str('requirepass', '', { flags: SENSITIVE }),

  // Enums
  enumc('supervised', SUPERVISED, 0, { flags: I }),
  enumc('syslog-facility', SYSLOG_FACILITIES, 128, { flags: I }),
  enumc('repl-diskless-load', DISKLESS_LOAD, 0, { flags: DEBUG | DENY_LOADING }),
  enumc('loglevel', LOGLEVELS, 2, {
    read: (engine) => engine.logger.level,
    apply: (engine, v) => {
      engine.logger.level = v as number;
      engine.registry.native.setVerbosity(v as number);
      return v;
    },
  }),
  enumc('maxmemory-policy', MAXMEMORY_POLICIES, 7, { apply: (engine, v) => ((engine.lfu.policy = v === 1 || v === 5), v) }),
  enumc('appendfsync', FSYNC, 2),
  enumc('oom-score-adj', OOM_ADJ, 0),
  enumc('acl-pubsub-default', PUBSUB_DEFAULT, 0),
  enumc('sanitize-dump-payload', SANITIZE, 0, { flags: DEBUG }),
  enumc('enable-protected-configs', PROTECTED_ACTION, 0, { flags: I }),
  enumc('enable-debug-command', PROTECTED_ACTION, 0, { flags: I }),
  enumc('enable-module-command', PROTECTED_ACTION, 0, {
    flags: I,
    read: (engine) => MODULE_COMMAND_MODE[engine.options.enableModuleCommand],
  }),
  enumc('cluster-preferred-endpoint-type', ENDPOINT_TYPE, 0),
  enumc('propagation-error-behavior', PROPAGATION_ERROR, 0),
  enumc('shutdown-on-sigint', SHUTDOWN_ON_SIG, 0, { flags: MULTI_ARG, validate: validShutdownFlags }),
  enumc('shutdown-on-sigterm', SHUTDOWN_ON_SIG, 0, { flags: MULTI_ARG, validate: validShutdownFlags }),
  enumc('rdb-version-check', RDB_VERSION_CHECK, 0),

  // Integers
  int('databases', 1n, INT_MAX, 16, { flags: I, read: (engine) => BigInt(engine.options.databases) }),
  // port and bind are immutable until the server applies them (issue 5).
  int('port', 0n, 65535n, 6379, { flags: I }),
  int('io-threads', 1n, 256n, 1, { flags: DEBUG | I }),
  int('auto-aof-rewrite-percentage', 0n, INT_MAX, 100),
  int('cluster-replica-validity-factor', 0n, INT_MAX, 10, { alias: 'cluster-slave-validity-factor' }),
  int('list-max-listpack-size', INT_MIN, INT_MAX, -2, { alias: 'list-max-ziplist-size' }),
  int('tcp-keepalive', 0n, INT_MAX, 300),
  int('cluster-migration-barrier', 0n, INT_MAX, 1),
  int('active-defrag-cycle-min', 1n, 99n, 1),
  int('active-defrag-cycle-max', 1n, 99n, 25),
  int('active-defrag-threshold-lower', 0n, 1000n, 10),
  int('active-defrag-threshold-upper', 0n, 1000n, 100),
  int('lfu-log-factor', 0n, INT_MAX, 10, { apply: (engine, v) => ((engine.lfu.logFactor = Number(v)), v) }),
  int('lfu-decay-time', 0n, INT_MAX, 1, { apply: (engine, v) => ((engine.lfu.decayTime = Number(v)), v) }),
  int('replica-priority', 0n, INT_MAX, 100, { alias: 'slave-priority' }),
  int('repl-diskless-sync-delay', 0n, INT_MAX, 5),
  int('maxmemory-samples', 1n, 64n, 5),
  int('maxmemory-eviction-tenacity', 0n, 100n, 10),
  int('timeout', 0n, INT_MAX, 0),
  int('replica-announce-port', 0n, 65535n, 0, { alias: 'slave-announce-port' }),
  int('tcp-backlog', 0n, INT_MAX, 511, { flags: I }),
  int('cluster-port', 0n, 65535n, 0, { flags: I }),
  int('cluster-announce-bus-port', 0n, 65535n, 0),
  int('cluster-announce-port', 0n, 65535n, 0),
  int('cluster-announce-tls-port', 0n, 65535n, 0),
  int('repl-timeout', 1n, INT_MAX, 60),
  int('repl-ping-replica-period', 1n, INT_MAX, 10, { alias: 'repl-ping-slave-period' }),
  int('list-compress-depth', 0n, INT_MAX, 0, { flags: DEBUG }),
  int('rdb-key-save-delay', INT_MIN, INT_MAX, 0, { flags: HIDDEN }),
  int('key-load-delay', INT_MIN, INT_MAX, 0, { flags: HIDDEN }),
  int('active-expire-effort', 1n, 10n, 1),
  int('hz', 0n, INT_MAX, 10, { read: (engine) => BigInt(engine.options.hz), apply: applyHz }),
  int('min-replicas-to-write', 0n, INT_MAX, 0, { alias: 'min-slaves-to-write' }),
  int('min-replicas-max-lag', 0n, INT_MAX, 10, { alias: 'min-slaves-max-lag' }),
  int('watchdog-period', 0n, INT_MAX, 0, { flags: HIDDEN }),
  int('shutdown-timeout', 0n, INT_MAX, 10),
  int('repl-diskless-sync-max-replicas', 0n, INT_MAX, 0),
  int('prefetch-batch-max-size', 0n, 128n, 16),

  // Unsigned integers
  num('maxclients', 'uint', 1n, UINT_MAX, 10000n),
  num('unixsocketperm', 'uint', 0n, 0o777n, 0n, { flags: I, octal: true }),
  num('socket-mark-id', 'uint', 0n, UINT_MAX, 0n, { flags: I }),
  num('max-new-connections-per-cycle', 'uint', 1n, 1000n, 10n),
  num('max-new-tls-connections-per-cycle', 'uint', 1n, 1000n, 1n),

  // Unsigned longs
  num('active-defrag-max-scan-fields', 'ulong', 1n, LONG_MAX, 1000n),
  num('slowlog-max-len', 'ulong', 0n, LONG_MAX, 128n),
  num('acllog-max-len', 'ulong', 0n, LONG_MAX, 128n),

  // Long longs
  num('busy-reply-threshold', 'll', 0n, LONG_MAX, 5000n, { alias: 'lua-time-limit' }),
  num('cluster-node-timeout', 'll', 0n, LLONG_MAX, 15000n),
  num('cluster-ping-interval', 'll', 0n, LLONG_MAX, 0n, { flags: HIDDEN }),
  num('slowlog-log-slower-than', 'll', -1n, LLONG_MAX, 10000n),
  num('latency-monitor-threshold', 'll', 0n, LLONG_MAX, 0n),
  num('proto-max-bulk-len', 'll', 1n * MB, LONG_MAX, 512n * MB, { flags: DEBUG, mem: true }),
  num('stream-node-max-entries', 'll', 0n, LLONG_MAX, 100n),
  num('repl-backlog-size', 'll', 1n, LLONG_MAX, 1n * MB, { mem: true }),

  // Unsigned long longs
  num('maxmemory', 'ull', 0n, ULLONG_MAX, 0n, { mem: true }),
  num('cluster-link-sendbuf-limit', 'ull', 0n, ULLONG_MAX, 0n, { mem: true }),

  // size_t
  num('hash-max-listpack-entries', 'size', 0n, LONG_MAX, 512n, { alias: 'hash-max-ziplist-entries' }),
  num('set-max-intset-entries', 'size', 0n, LONG_MAX, 512n),
  num('set-max-listpack-entries', 'size', 0n, LONG_MAX, 128n),
  num('set-max-listpack-value', 'size', 0n, LONG_MAX, 64n),
  num('zset-max-listpack-entries', 'size', 0n, LONG_MAX, 128n, { alias: 'zset-max-ziplist-entries' }),
  num('active-defrag-ignore-bytes', 'size', 1n, LLONG_MAX, 100n * MB, { mem: true }),
  num('hash-max-listpack-value', 'size', 0n, LONG_MAX, 64n, { alias: 'hash-max-ziplist-value', mem: true }),
  num('stream-node-max-bytes', 'size', 0n, LONG_MAX, 4096n, { mem: true }),
  num('zset-max-listpack-value', 'size', 0n, LONG_MAX, 64n, { alias: 'zset-max-ziplist-value', mem: true }),
  num('hll-sparse-max-bytes', 'size', 0n, LONG_MAX, 3000n, { mem: true }),
  num('tracking-table-max-keys', 'size', 0n, LONG_MAX, 1000000n),
  num('client-query-buffer-limit', 'size', 1n * MB, LONG_MAX, 1024n * MB, { flags: DEBUG, mem: true }),
  num('maxmemory-clients', 'ssize', -100n, SSIZE_MAX, 0n, { mem: true, percent: true }),

  // time_t / off_t
  num('repl-backlog-ttl', 'time', 0n, LONG_MAX, 3600n),
  num('auto-aof-rewrite-min-size', 'off', 0n, LLONG_MAX, 64n * MB, { mem: true }),
  num('loading-process-events-interval-bytes', 'off', 1024n, INT_MAX, 2n * MB, { flags: HIDDEN }),

  // TLS
  int('tls-port', 0n, 65535n, 0),
  int('tls-session-cache-size', 0n, INT_MAX, 20 * 1024),
  int('tls-session-cache-timeout', 0n, INT_MAX, 300),
  bool('tls-cluster', false),
  bool('tls-replication', false),
  enumc('tls-auth-clients', TLS_AUTH, 1),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  str('tls-cert-file', '', { flags: VOLATILE }),
  str('tls-key-file', '', { flags: VOLATILE }),
  str('tls-key-file-pass', '', { flags: SENSITIVE }),
  str('tls-client-cert-file', '', { flags: VOLATILE }),
  str('tls-client-key-file', '', { flags: VOLATILE }),
  str('tls-client-key-file-pass', '', { flags: SENSITIVE }),
  str('tls-dh-params-file', '', { flags: VOLATILE }),
  str('tls-ca-cert-file', '', { flags: VOLATILE }),
  str('tls-ca-cert-dir', '', { flags: VOLATILE }),
  str('tls-protocols', ''),
  str('tls-ciphers', ''),
  str('tls-ciphersuites', ''),

  // Special
  special('dir', '', (args) => parseDir(args), { flags: PROTECTED | DENY_LOADING }),
  special('save', '3600 1 300 100 60 10000', (args) => parseSave(args), { flags: MULTI_ARG }),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', parseObufLimits, {
    flags: MULTI_ARG,
  }),
  special('oom-score-adj-values', '0 200 800', (args) => parseOomValues(args), { flags: MULTI_ARG }),
  special(
    'notify-keyspace-events',
    '',
    (args) => {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const flags = parseNotifyFlags(args[0]!);
      if (flags === undefined) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
      // Keep the letters: rendered, 'A' hides 'n' (as CONFIG GET shows it), but the flag holds.
      return { value: args[0]! };
    },
    {
      read: (engine) => formatNotifyFlags(engine.notifyFlags),
      apply: (engine, v) => {
        engine.notifyFlags = parseNotifyFlags(v as string) ?? 0;
        return v;
      },
    },
  ),
  special('bind', '127.0.0.1 -::1', (args) => parseBind(args), { flags: MULTI_ARG | I }),
  special('replicaof', '', (args) => parseReplicaof(args), { alias: 'slaveof', flags: I | MULTI_ARG }),
  special('latency-tracking-info-percentiles', '50 99 99.9', (args) => parsePercentiles(args), { flags: MULTI_ARG }),
];

/** One entry of the name lookup: the parameter and the name it was registered under. */
interface Entry {
  param: ConfigParam;
  /** The registered name (the alias for an alias entry). */
  name: string;
  isAlias: boolean;
}

const BY_NAME = new Map<string, Entry>();
/** Every registered name (primary and alias) in table order, for glob matching. */
const ALL_ENTRIES: Entry[] = [];
for (const p of CONFIG_TABLE) {
  const e: Entry = { param: p, name: p.name, isAlias: false };
  BY_NAME.set(p.name, e);
  ALL_ENTRIES.push(e);
  if (p.alias) {
    const a: Entry = { param: p, name: p.alias, isAlias: true };
    BY_NAME.set(p.alias, a);
    ALL_ENTRIES.push(a);
  }
}

/** Looks a parameter up by name or alias, in any case. */
export function findConfig(name: string): ConfigParam | undefined {
  return BY_NAME.get(name.toLowerCase())?.param;
}

/** Where a CONFIG SET request comes from (protected configs may need a local client). */
export interface SetContext {
  /** The client is on a local connection (enable-protected-configs local). */
  local?: boolean;
}

/**
 * The configuration of one engine: current values of every parameter, CONFIG GET/SET with
 * Valkey's semantics, and fast fields for values read on hot paths.
 */
export class ServerConfig {
  private readonly values = new Map<ConfigParam, unknown>();
  /** Module configs (`module.name`) registered with this engine, by lower-case name. */
  private readonly moduleEntries = new Map<string, Entry>();
  private readonly listeners: ((names: string[]) => void)[] = [];

  // Hot values, kept in step with the table on every change.
  slowlogLogSlowerThan = 10000;
  slowlogMaxLen = 128;
  latencyMonitorThreshold = 0;
  latencyTracking = true;
  protoMaxBulkLen = 512 * 1024 * 1024;
  maxmemory = 0;
  hashMaxListpackEntries = 512;
  hashMaxListpackValue = 64;
  setMaxIntsetEntries = 512;
  setMaxListpackEntries = 128;
  setMaxListpackValue = 64;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  listMaxListpackSize = -2;
  listCompressDepth = 0;
  streamNodeMaxBytes = 4096;
  streamNodeMaxEntries = 100;
  hllSparseMaxBytes = 3000;

  constructor(private readonly engine: Engine) {
    for (const p of CONFIG_TABLE) if (!p.read) this.values.set(p, p.default);
    this.values.set(findConfig('dir')!, Buffer.from(process.cwd(), 'utf8').toString('latin1'));
  }

  /** Adds a module config to this engine's parameter table (false when the name is taken). */
  registerModuleParam(p: ConfigParam): boolean {
    const lower = p.name.toLowerCase();
    if (BY_NAME.has(lower) || this.moduleEntries.has(lower)) return false;
    this.moduleEntries.set(lower, { param: p, name: p.name, isAlias: false });
    return true;
  }

  /** Removes a module config from this engine's parameter table. */
  unregisterModuleParam(name: string): void {
    this.moduleEntries.delete(name.toLowerCase());
  }

  /** A parameter by name or alias in any case, module configs included. */
  private lookup(name: string): Entry | undefined {
    const lower = name.toLowerCase();
    return BY_NAME.get(lower) ?? this.moduleEntries.get(lower);
  }

  /** The typed value of a parameter (live engine state for hooked ones). */
  rawValue(name: string): unknown {
    const p = this.lookup(name)?.param;
    if (!p) throw new Error(`unknown config '${name}'`);
    return p.read ? p.read(this.engine) : this.values.get(p);
  }

  /** A parameter's value as CONFIG GET shows it; undefined for an unknown name. */
  get(name: string): string | undefined {
    const p = this.lookup(name)?.param;
    if (!p) return undefined;
    return p.format(p.read ? p.read(this.engine) : this.values.get(p));
  }

  /** A numeric or boolean parameter as a JS number (booleans 1/0, enums their value). */
  number(name: string): number {
    const v = this.rawValue(name);
    return typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  }

  /** Whether a name is a SENSITIVE parameter (its value is redacted from logs). */
  isSensitive(name: string): boolean {
    const p = this.lookup(name)?.param;
    return !!p && (p.flags & SENSITIVE) !== 0;
  }

  /**
   * CONFIG GET: the [name, value] pairs matching the patterns, each at most once. A pattern
   * without glob characters is an exact, case-insensitive lookup answered under the spelling
   * given (hidden parameters included); a glob matches registered names case-insensitively
   * (aliases included, hidden parameters not).
   */
  match(patterns: string[]): [string, string][] {
    const seen = new Set<string>();
    const out: [string, string][] = [];
    for (const pat of patterns) {
      if (!/[[*?]/.test(pat)) {
        const lower = pat.toLowerCase();
        if (seen.has(lower)) continue;
        const e = this.lookup(lower);
        if (e) {
          seen.add(lower);
          out.push([pat, this.get(e.name)!]);
        }
        continue;
      }
      for (const e of [...ALL_ENTRIES, ...this.moduleEntries.values()]) {
        if (e.param.flags & HIDDEN) continue;
        if (seen.has(e.name)) continue;
        if (globMatch(pat, e.name, true)) {
          seen.add(e.name);
          out.push([e.name, this.get(e.name)!]);
        }
      }
    }
    return out;
  }

  /**
   * CONFIG SET of several parameters at once: all are set or none. Returns undefined on
   * success, or Valkey's error reply text.
   */
  set(pairs: [name: string, value: string][], ctx: SetContext = {}): string | undefined {
    const entries: Entry[] = [];
    let unknown: string | undefined;
    let errArg: string | undefined;
    let errStr: string | undefined;
    let denyLoading = false;
    let invalid = false;
    for (const [name] of pairs) {
      const e = this.lookup(name);
      if (!e) {
        if (!invalid) {
          unknown = name;
          invalid = true;
        }
        continue;
      }
      if (invalid) continue;
      const f = e.param.flags;
      if (f & IMMUTABLE || (f & PROTECTED && !this.protectedAllowed(ctx))) {
        errStr = f & IMMUTABLE ? "can't set immutable config" : "can't set protected config";
        errArg = name;
        invalid = true;
        continue;
      }
      if (this.engine.loading && f & DENY_LOADING) {
        denyLoading = true;
        invalid = true;
        continue;
      }
      if (entries.includes(e)) {
        errStr = 'duplicate parameter';
        errArg = name;
        invalid = true;
      }
      entries.push(e);
    }
    if (invalid) {
      if (denyLoading) return 'LOADING Valkey is loading the dataset in memory';
      if (unknown !== undefined) return `ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`;
      return `ERR CONFIG SET failed (possibly related to argument '${errArg}') - ${errStr}`;
    }

    // Parse every value first; nothing changes unless all of them are valid.
    const parsed: unknown[] = [];
    for (let i = 0; i < entries.length; i++) {
      const p = entries[i]!.param;
      const raw = pairs[i]![1];
      const args = p.flags & MULTI_ARG ? splitSpaces(raw) : [raw];
      const r = p.parse(args, this);
      if (r.error !== undefined) return `ERR CONFIG SET failed (possibly related to argument '${entries[i]!.name}') - ${r.error}`;
      parsed.push(r.value);
    }
    const moduleDone: [ConfigParam, unknown][] = [];
    for (let i = 0; i < entries.length; i++) {
      const p = entries[i]!.param;
      if (p.moduleSet) {
        const old = p.read!(this.engine);
        const err = p.moduleSet(parsed[i]);
        if (err !== undefined) {
          // As Valkey: module configs already set by this call get their previous values back.
          for (const [q, v] of moduleDone.reverse()) q.moduleSet!(v);
          return `ERR CONFIG SET failed (possibly related to argument '${entries[i]!.name}') - ${err}`;
        }
        moduleDone.push([p, old]);
        continue;
      }
      this.assign(p, parsed[i]);
    }
    // Module apply callbacks run once per CONFIG SET for each (callback, privdata) pair.
    const applied = new Set<string>();
    for (const e of entries) {
      const key = e.param.moduleApplyKey?.() ?? null;
      if (key === null || applied.has(key)) continue;
      applied.add(key);
      const err = e.param.moduleApply!();
      if (err !== undefined) return `ERR CONFIG SET failed (possibly related to argument '${e.name}') - ${err}`;
    }
    const names = entries.map((e) => e.param.name);
    for (const l of this.listeners) l(names);
    return undefined;
  }

  /**
   * Sets one parameter from the config file or the command line (immutable ones allowed);
   * returns Valkey's error text (without prefix) or undefined.
   */
  load(name: string, args: string[]): string | undefined {
    const p = findConfig(name);
    if (!p) return 'Bad directive or wrong number of arguments';
    if (!(p.flags & MULTI_ARG) && args.length !== 1) return 'wrong number of arguments';
    const list = p.flags & MULTI_ARG && args.length === 1 && args[0] !== '' ? args[0]!.split(/[ \t]+/).filter(Boolean) : args;
    const r = p.parse(list, this);
    if (r.error !== undefined) return r.error;
    this.assign(p, r.value);
    return undefined;
  }

  /** Every primary parameter with its current and default text (config file rewriting). */
  *entries(): IterableIterator<{ param: ConfigParam; value: string; defaultValue: string }> {
    for (const p of CONFIG_TABLE) {
      yield { param: p, value: this.get(p.name)!, defaultValue: p.format(p.default) };
    }
    for (const { param: p } of this.moduleEntries.values()) {
      yield { param: p, value: this.get(p.name)!, defaultValue: p.format(p.default) };
    }
  }

  /** Subscribes to successful CONFIG SET calls (names of the parameters changed). */
  onChange(listener: (names: string[]) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private protectedAllowed(ctx: SetContext): boolean {
    const mode = this.values.get(findConfig('enable-protected-configs')!) as number;
    return mode === 1 || (mode === 2 && !!ctx.local);
  }

  private assign(p: ConfigParam, value: unknown): void {
    let v = value;
    if (p.apply) v = p.apply(this.engine, v, this);
    if (!p.read) this.values.set(p, v);
    this.refreshHot(p.name, v);
  }

  private refreshHot(name: string, v: unknown): void {
    const n = typeof v === 'bigint' ? Number(v) : 0;
    switch (name) {
      case 'slowlog-log-slower-than': this.slowlogLogSlowerThan = n; break;
      case 'slowlog-max-len': this.slowlogMaxLen = n; break;
      case 'latency-monitor-threshold': this.latencyMonitorThreshold = n; break;
      case 'latency-tracking':
        this.latencyTracking = v as boolean;
        statsOf(this.engine).latencyTracking = v as boolean;
        break;
      case 'proto-max-bulk-len': this.protoMaxBulkLen = n; break;
      case 'maxmemory': this.maxmemory = n; break;
      case 'hash-max-listpack-entries': this.hashMaxListpackEntries = n; break;
      case 'hash-max-listpack-value': this.hashMaxListpackValue = n; break;
      case 'set-max-intset-entries': this.setMaxIntsetEntries = n; break;
      case 'set-max-listpack-entries': this.setMaxListpackEntries = n; break;
      case 'set-max-listpack-value': this.setMaxListpackValue = n; break;
      case 'zset-max-listpack-entries': this.zsetMaxListpackEntries = n; break;
      case 'zset-max-listpack-value': this.zsetMaxListpackValue = n; break;
      case 'list-max-listpack-size': this.listMaxListpackSize = n; break;
      case 'list-compress-depth': this.listCompressDepth = n; break;
      case 'stream-node-max-bytes': this.streamNodeMaxBytes = n; break;
      case 'stream-node-max-entries': this.streamNodeMaxEntries = n; break;
      case 'hll-sparse-max-bytes': this.hllSparseMaxBytes = n; break;
    }
  }
}

const fallback = new WeakMap<Engine, ServerConfig>();

/**
 * The engine's configuration: `engine.config` when the engine owns one, otherwise one kept
 * for it here (created on first use).
 */
export function configOf(engine: Engine): ServerConfig {
  const own = (engine as unknown as { config?: ServerConfig }).config;
  if (own) return own;
  let c = fallback.get(engine);
  if (!c) {
    c = new ServerConfig(engine);
    fallback.set(engine, c);
  }
  return c;
}

/** Valkey's loglevel names, exported for the log module's callers. */
export function logLevelName(level: number): string {
  return LOGLEVELS.find((l) => l[1] === level)?.[0] ?? 'notice';
}

/** Parses a loglevel name (including "nothing"), undefined when unknown. */
export function parseConfigLogLevel(name: string): number | undefined {
  const l = name.toLowerCase();
  if (l === 'nothing') return 4;
  return parseLogLevel(l);
}
