/**
 * Server commands: TIME, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, LASTSAVE, INFO, CONFIG, COMMAND,
 * DEBUG, FUNCTION (an engine without functions), LATENCY, SLOWLOG and MEMORY, with Valkey
 * 8's replies and error texts.
 *
 * COMMAND describes every command from the one command table: core commands from their
 * Valkey spec, module commands from the description the addon gives (`def.meta`).
 */
import os from 'node:os';
import { cmd, group, Errors } from './define.js';
import type { CommandContext, CommandDef } from './table.js';
import { legacyRange, type RawArg, type RawCommandSpec, type RawKeySpec } from './spec.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { Engine } from '../engine/engine.js';
import type { Db } from '../engine/db.js';
import { ModuleValue, type Value } from '../engine/types/index.js';
import type { NativeCommand } from '../modules/native.js';
import { configOf } from '../engine/config.js';
import { statsOf, type CommandStat } from '../engine/stats.js';
import { slowlogOf } from '../engine/slowlog.js';
import { globMatch } from '../engine/glob.js';
import { REDIS_COMPAT_VERSION, SERVER_NAME, SERVER_VERSION } from '../engine/version.js';
import { LL_WARNING } from '../engine/log.js';
import { encodingOf } from './generic.js';
import { signalFlushedDb, signalSwappedDbs } from '../server/multi.js';
import { afterFlushAll, debugReload, rdbInfoFields } from '../persistence/rdb-save.js';
import { aofEnabledInfoFields, aofInfoFields } from '../persistence/aof.js';
import { debugLoadAof } from '../persistence/aof-load.js';
import { configRewrite } from '../server/config-file.js';
import { Connection } from '../server/connection.js';
import { fireFlush, fireServerEvent, flushIsAsync, EVENT_SWAPDB } from '../modules/server-events.js';
import { keysFromSpecs as searchKeySpecs } from './keyspecs.js';
import { datasetDigest, digestHex, keyValueDigest } from '../engine/digest.js';
import { moduleForkInfo } from '../modules/key-ops-fork.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** Writes Valkey's HELP reply: a header naming the command, the lines, then the HELP entry. */
function help(ctx: CommandContext, lines: string[]): void {
  const { w, args } = ctx;
  w.array(lines.length + 3);
  w.simple(`${args[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) w.simple(l);
  w.simple('HELP');
  w.simple('    Print this help.');
}

/** Valkey's generic "unknown subcommand" reply of commands that parse their own subcommands. */
function subcommandSyntaxError(ctx: CommandContext): void {
  const sub = ctx.args[1]!;
  ctx.w.error(
    `ERR unknown subcommand or wrong number of arguments for '${sub.length > 128 ? sub.slice(0, 128) : sub}'. Try ${ctx.args[0]!.toUpperCase()} HELP.`,
  );
}

/** getLongLongFromObject: a strict 64-bit integer (bigint) or undefined. */
function parseLL(s: string): bigint | undefined {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return v;
}

/** C atoi: leading blanks, optional sign, digits; anything else stops (0 when none). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  if (!m) return 0;
  return Number(BigInt.asIntN(32, BigInt(m[1]!)));
}

/** C strtod on the leading number of `s` (0 when none). */
function strtod(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?inf(?:inity)?|[+-]?nan)/i.exec(s);
  if (!m) return 0;
  const t = m[1]!.toLowerCase();
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  if (t.includes('nan')) return NaN;
  return Number(t);
}

/** Human readable bytes as INFO prints them (bytesToHuman). */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = n / 1024;
  for (let i = 0; i < units.length; i++) {
    if (d < 1024 || i === units.length - 1) {
      if (i === units.length - 1 && d >= 1024) return `${n}B`;
      return `${d.toFixed(2)}${units[i]}`;
    }
    d /= 1024;
  }
  return `${n}B`;
}

/** Replaces the characters INFO cannot carry in a field name (#, :, CR, LF) with '_'. */
function safeInfo(s: string): string {
  return s.replace(/[#:\r\n]/g, '_');
}

/** Blocks the whole thread for `ms` (DEBUG SLEEP stops the server, as Valkey does). */
function sleepMs(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** 40 random hex characters (run id, replication id). */
function randomHex40(): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

/** Per-engine server identity and counters that are not command statistics. */
interface ServerState {
  runId: string;
  replId: string;
  replId2: string;
  peakMemory: number;
  infoProvider?: InfoProvider;
  moduleInfo?: ModuleInfoProvider;
}

/**
 * Lets the network server add to INFO: field values that replace the engine's defaults
 * (e.g. connected_clients, tcp_port) and extra lines appended to a section (listener0:...).
 */
export type InfoProvider = (section: string) => { fields?: Record<string, string | number>; extra?: string[] } | undefined;

const states = new WeakMap<Engine, ServerState>();

function stateOf(engine: Engine): ServerState {
  let s = states.get(engine);
  if (!s) {
    s = { runId: randomHex40(), replId: randomHex40(), replId2: '0'.repeat(40), peakMemory: 0 };
    states.set(engine, s);
  }
  return s;
}

/** Renders the sections of module INFO callbacks: every section (null) or those named by
 *  the requested names (a module name selects all of that module's sections). */
export type ModuleInfoProvider = (requested: string[] | null) => string[];

/** Installs the module INFO renderer (src/modules/key-ops-misc.ts). */
export function setModuleInfoProvider(engine: Engine, provider: ModuleInfoProvider | undefined): void {
  stateOf(engine).moduleInfo = provider;
}

/** Installs the INFO provider of the network server (replaces a previous one). */
export function setInfoProvider(engine: Engine, provider: InfoProvider | undefined): void {
  stateOf(engine).infoProvider = provider;
}


/** Empties one database, signalling every key as modified first (WATCH); returns the
 *  number of keys removed. */
export function flushDb(engine: Engine, db: Db): number {
  signalFlushedDb(engine, db.id);
  const n = db.clear();
  // Clients blocked on its keys that wake on deletion (XREADGROUP) are woken.
  engine.blocking.scanDatabase(db.id);
  return n;
}

/** Empties every database as Valkey's emptyData does before a reload (DEBUG RELOAD, DEBUG
 *  LOADAOF, RdbLoad): modules see FlushDB START/END for all databases (-1), synchronous. */
export function emptyData(engine: Engine): number {
  fireFlush(engine, 0, -1, false);
  let n = 0;
  for (const db of engine.dbs) n += flushDb(engine, db);
  fireFlush(engine, 1, -1, false);
  return n;
}

/** FLUSHDB/FLUSHALL/FUNCTION FLUSH option: SYNC or ASYNC (any case); false on a syntax error. */
function flushOption(ctx: CommandContext, at: number): boolean {
  const { args, w } = ctx;
  if (args.length === at) return true;
  if (args.length === at + 1) {
    const o = args[at]!.toLowerCase();
    if (o === 'sync' || o === 'async') return true;
  }
  w.error(Errors.syntax);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Value introspection (DEBUG OBJECT, MEMORY USAGE)
// ---------------------------------------------------------------------------------------------

/** What a value type may expose for introspection (all optional). */
interface Introspectable {
  size?: number | (() => number);
  length?: number | (() => number);
  memoryUsage?: (samples: number) => number;
}

/** Element count of an aggregate value (0 when unknown). */
function valueCount(v: Value): number {
  if (typeof v === 'string') return 1;
  const i = v as Introspectable;
  const s = typeof i.size === 'function' ? i.size.call(v) : i.size;
  if (typeof s === 'number') return s;
  const l = typeof i.length === 'function' ? i.length.call(v) : i.length;
  return typeof l === 'number' ? l : 0;
}

/** Length of a string as Valkey's RDB writes it (no compression), for DEBUG OBJECT. */
function stringSerializedLength(s: string): number {
  const n = parseLL(s);
  if (s.length <= 11 && n !== undefined) {
    if (n >= -128n && n <= 127n) return 2;
    if (n >= -32768n && n <= 32767n) return 3;
    if (n >= -2147483648n && n <= 2147483647n) return 5;
  }
  const len = s.length;
  const hdr = len < 64 ? 1 : len < 16384 ? 2 : len <= 0xffffffff ? 5 : 9;
  return hdr + len;
}

/** jemalloc's size class for an allocation of n bytes. */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  let group = 128;
  while (n > group * 2) group *= 2;
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

/** sds allocation for a string of len bytes (smallest header that fits, plus the NUL). */
function sdsAlloc(len: number): number {
  const hdr = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 4294967296 ? 9 : 17;
  return mallocSize(hdr + len + 1);
}

const ROBJ = 16;
const DICT_ENTRY = 24;

/** MEMORY USAGE's estimate of the bytes a key and its value take (Valkey-like). */
export function memoryUsage(key: string, v: Value, samples: number, moduleBytes?: number): number {
  let size: number;
  const enc = encodingOf(v);
  if (moduleBytes !== undefined) size = moduleBytes; // a module value: its type's mem_usage(2), as Valkey
  else if (typeof v === 'string') {
    if (enc === 'int') size = ROBJ;
    else if (enc === 'embstr') size = mallocSize(ROBJ + 3 + v.length + 1);
    else size = ROBJ + sdsAlloc(v.length);
  } else {
    const i = v as Introspectable;
    if (typeof i.memoryUsage === 'function') size = ROBJ + i.memoryUsage.call(v, samples);
    else {
      // No sampling interface: compact encodings cost about 16 bytes an element, hash
      // tables and skiplists an entry, a node and an sds string each.
      const n = valueCount(v);
      const compact = enc === 'listpack' || enc === 'intset' || enc === 'quicklist';
      size = ROBJ + (compact ? mallocSize(16 + 16 * n) : mallocSize(64) + 72 * n);
    }
  }
  return size + sdsAlloc(key.length) + DICT_ENTRY;
}

// ---------------------------------------------------------------------------------------------
// COMMAND: descriptions from the one command table
// ---------------------------------------------------------------------------------------------

/** COMMAND INFO flag names in Valkey's output order (hidden ones are never shown). */
const COMMAND_FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];

/** ACL categories in Valkey's order. */
const ACL_CATEGORY_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** Key spec flags: output names in order, with Valkey's bit values. */
const KEY_FLAGS: [name: string, bit: number][] = [
  ['RO', 1 << 0],
  ['RW', 1 << 1],
  ['OW', 1 << 2],
  ['RM', 1 << 3],
  ['access', 1 << 4],
  ['update', 1 << 5],
  ['insert', 1 << 6],
  ['delete', 1 << 7],
  ['not_key', 1 << 8],
  ['incomplete', 1 << 9],
  ['variable_flags', 1 << 10],
];
const KEY_RO = 1, KEY_RW = 2, KEY_OW = 4, KEY_ACCESS = 16, KEY_UPDATE = 32, KEY_DELETE = 128;
const KEY_NOT_KEY = 1 << 8, KEY_VARIABLE_FLAGS = 1 << 10;

/** Bit mask of key spec flag words (any case). */
function keyFlagBits(flags: string[]): number {
  let bits = 0;
  for (const f of flags) {
    const lf = f.toLowerCase();
    for (const [name, bit] of KEY_FLAGS) if (name.toLowerCase() === lf) bits |= bit;
  }
  return bits;
}

/** Writes a key-flag set (simple strings, Valkey's order). */
function writeKeyFlags(w: ReplyWriter, bits: number): void {
  let n = 0;
  for (const [, bit] of KEY_FLAGS) if (bits & bit) n++;
  w.set(n);
  for (const [name, bit] of KEY_FLAGS) if (bits & bit) w.simple(name);
}

/** The command flags COMMAND INFO shows, in order. */
function commandFlags(def: CommandDef): string[] {
  const have = new Set(def.flags.map((f) => f.toLowerCase()));
  if (def.spec && movableKeys(def.spec)) have.add('movablekeys');
  return COMMAND_FLAG_ORDER.filter((f) => have.has(f));
}

/**
 * Whether Valkey flags a core command movablekeys: only from its key specs, when they cannot
 * be merged into one legacy (first, last, step) range (a keyword or keynum spec, a step other
 * than 1, a gap, an incomplete spec). A getkeys procedure alone does not (SET, BITFIELD).
 */
function movableKeys(spec: RawCommandSpec): boolean {
  return legacyRange({ ...spec, get_keys_function: false }).movable;
}

/** A command's ACL categories (core commands include Valkey's implicit ones), in Valkey's
 *  order. */
function commandCategories(def: CommandDef): string[] {
  const have = new Set((def.categories ?? []).map((c) => c.replace(/^@/, '').toLowerCase()));
  return ACL_CATEGORY_ORDER.filter((c) => have.has(c));
}

/** A key spec in the shape COMMAND INFO prints. */
interface KeySpecOut {
  notes?: string;
  flags: number;
  bs: { type: 'index'; index: number } | { type: 'keyword'; keyword: string; startfrom: number } | { type: 'unknown' };
  fk:
    | { type: 'range'; lastkey: number; keystep: number; limit: number }
    | { type: 'keynum'; keynumidx: number; firstkey: number; keystep: number }
    | { type: 'unknown' };
}

function coreKeySpec(k: RawKeySpec): KeySpecOut {
  const bs: KeySpecOut['bs'] = k.begin_search.index
    ? { type: 'index', index: k.begin_search.index.pos }
    : k.begin_search.keyword
      ? { type: 'keyword', keyword: k.begin_search.keyword.keyword, startfrom: k.begin_search.keyword.startfrom }
      : { type: 'unknown' };
  const fk: KeySpecOut['fk'] = k.find_keys.range
    ? { type: 'range', lastkey: k.find_keys.range.lastkey, keystep: k.find_keys.range.step, limit: k.find_keys.range.limit }
    : k.find_keys.keynum
      ? { type: 'keynum', keynumidx: k.find_keys.keynum.keynumidx, firstkey: k.find_keys.keynum.firstkey, keystep: k.find_keys.keynum.step }
      : { type: 'unknown' };
  const out: KeySpecOut = { flags: keyFlagBits(k.flags), bs, fk };
  if (k.notes) out.notes = k.notes;
  return out;
}

interface ModuleKeySpec {
  notes?: string;
  flags: string[];
  begin_search: { type: string; spec: Record<string, unknown> };
  find_keys: { type: string; spec: Record<string, unknown> };
}

function moduleKeySpec(k: ModuleKeySpec): KeySpecOut {
  const b = k.begin_search;
  const f = k.find_keys;
  const bs: KeySpecOut['bs'] =
    b.type === 'index'
      ? { type: 'index', index: Number(b.spec.index) }
      : b.type === 'keyword'
        ? { type: 'keyword', keyword: String(b.spec.keyword), startfrom: Number(b.spec.startfrom) }
        : { type: 'unknown' };
  const fk: KeySpecOut['fk'] =
    f.type === 'range'
      ? { type: 'range', lastkey: Number(f.spec.lastkey), keystep: Number(f.spec.keystep), limit: Number(f.spec.limit) }
      : f.type === 'keynum'
        ? { type: 'keynum', keynumidx: Number(f.spec.keynumidx), firstkey: Number(f.spec.firstkey), keystep: Number(f.spec.keystep) }
        : { type: 'unknown' };
  const out: KeySpecOut = { flags: keyFlagBits(k.flags), bs, fk };
  if (k.notes) out.notes = k.notes;
  return out;
}

/** The key specs of any command, core or module. */
function keySpecsOf(def: CommandDef): KeySpecOut[] {
  if (def.spec) return (def.spec.key_specs ?? []).map(coreKeySpec);
  const meta = def.meta as NativeCommand | undefined;
  if (meta) return (meta.keySpecs as ModuleKeySpec[]).map(moduleKeySpec);
  if (def.firstKey > 0) {
    return [{
      flags: 0,
      bs: { type: 'index', index: def.firstKey },
      fk: { type: 'range', lastkey: def.lastKey < 0 ? def.lastKey : def.lastKey - def.firstKey, keystep: def.keyStep, limit: 0 },
    }];
  }
  return [];
}

function writeKeySpecs(w: ReplyWriter, specs: KeySpecOut[]): void {
  w.set(specs.length);
  for (const k of specs) {
    w.map(k.notes !== undefined ? 4 : 3);
    if (k.notes !== undefined) {
      w.bulk('notes');
      w.bulk(k.notes);
    }
    w.bulk('flags');
    writeKeyFlags(w, k.flags);
    w.bulk('begin_search');
    w.map(2);
    w.bulk('type');
    w.bulk(k.bs.type);
    w.bulk('spec');
    if (k.bs.type === 'index') {
      w.map(1);
      w.bulk('index');
      w.integer(k.bs.index);
    } else if (k.bs.type === 'keyword') {
      w.map(2);
      w.bulk('keyword');
      w.bulk(k.bs.keyword);
      w.bulk('startfrom');
      w.integer(k.bs.startfrom);
    } else w.map(0);
    w.bulk('find_keys');
    w.map(2);
    w.bulk('type');
    w.bulk(k.fk.type);
    w.bulk('spec');
    if (k.fk.type === 'range') {
      w.map(3);
      w.bulk('lastkey');
      w.integer(k.fk.lastkey);
      w.bulk('keystep');
      w.integer(k.fk.keystep);
      w.bulk('limit');
      w.integer(k.fk.limit);
    } else if (k.fk.type === 'keynum') {
      w.map(3);
      w.bulk('keynumidx');
      w.integer(k.fk.keynumidx);
      w.bulk('firstkey');
      w.integer(k.fk.firstkey);
      w.bulk('keystep');
      w.integer(k.fk.keystep);
    } else w.map(0);
  }
}

/** The (first, last, step) triple COMMAND INFO shows (last absolute). */
function keyTriple(def: CommandDef): [number, number, number] {
  if (def.spec) {
    const r = legacyRange(def.spec);
    return [r.first, r.last, r.step];
  }
  return [def.firstKey, def.lastKey, def.keyStep];
}

/** Subcommands in table order. */
function subsOf(def: CommandDef): CommandDef[] {
  return def.subcommands ? [...def.subcommands.values()] : [];
}

/** COMMAND INFO's 10-element description of a command. */
function writeCommandInfo(w: ReplyWriter, def: CommandDef): void {
  const [first, last, step] = keyTriple(def);
  w.array(10);
  w.bulk(def.fullname);
  w.integer(def.arity);
  const flags = commandFlags(def);
  w.set(flags.length);
  for (const f of flags) w.simple(f);
  w.integer(first);
  w.integer(last);
  w.integer(step);
  const cats = def.spec || !def.meta ? commandCategories(def) : commandCategories(def);
  w.set(cats.length);
  for (const c of cats) w.simple(`@${c}`);
  const tips = def.spec ? (def.spec.command_tips ?? []).map((t) => t.toLowerCase()) : ((def.meta as NativeCommand | undefined)?.tips ?? []);
  w.set(tips.length);
  for (const t of tips) w.bulk(t);
  writeKeySpecs(w, keySpecsOf(def));
  if (!def.subcommands) {
    w.set(0);
    return;
  }
  const subs = subsOf(def);
  w.array(subs.length);
  for (const s of subs) writeCommandInfo(w, s);
}


/** COMMAND DOCS group names (the spec files spell sorted-set with an underscore). */
function groupName(g: string | undefined): string {
  if (!g) return 'server';
  return g === 'sorted_set' ? 'sorted-set' : g;
}

/** A core spec argument in the COMMAND DOCS vocabulary module arguments already use. */
function docArg(a: RawArg): ModuleArg {
  const flags: string[] = [];
  if (a.optional) flags.push('optional');
  if (a.multiple) flags.push('multiple');
  if (a.multiple_token) flags.push('multiple_token');
  const out: ModuleArg = { name: a.name, type: a.type, flags };
  if (a.display !== undefined) out.display_text = a.display;
  if (a.key_spec_index !== undefined) out.key_spec_index = a.key_spec_index;
  if (a.token !== undefined) out.token = a.token;
  if (a.summary !== undefined) out.summary = a.summary;
  if (a.since !== undefined) out.since = a.since;
  if (a.deprecated_since !== undefined) out.deprecated_since = a.deprecated_since;
  if (a.arguments) out.arguments = a.arguments.map(docArg);
  return out;
}

function writeCoreArgs(w: ReplyWriter, args: RawArg[]): void {
  writeModuleArgs(w, args.map(docArg));
}

/** A module command argument as the addon describes it (COMMAND DOCS vocabulary). */
interface ModuleArg {
  name: string;
  type: string;
  display_text?: string;
  key_spec_index?: number;
  token?: string;
  summary?: string;
  since?: string;
  deprecated_since?: string;
  flags?: string[];
  arguments?: ModuleArg[];
}

function writeModuleArgs(w: ReplyWriter, args: ModuleArg[]): void {
  w.array(args.length);
  for (const a of args) {
    const nested = a.type === 'oneof' || a.type === 'block';
    const keys: (keyof ModuleArg)[] = ['key_spec_index', 'token', 'summary', 'since', 'deprecated_since'];
    let n = 2 + (nested ? 1 : 1);
    for (const k of keys) if (a[k] !== undefined) n++;
    if (a.flags && a.flags.length) n++;
    w.map(n);
    w.bulk('name');
    w.bulk(a.name);
    w.bulk('type');
    w.bulk(a.type);
    if (!nested) {
      w.bulk('display_text');
      w.bulk(a.display_text ?? a.name);
    }
    if (a.key_spec_index !== undefined) {
      w.bulk('key_spec_index');
      w.integer(a.key_spec_index);
    }
    for (const k of ['token', 'summary', 'since', 'deprecated_since'] as const) {
      if (a[k] !== undefined) {
        w.bulk(k);
        w.bulk(a[k]!);
      }
    }
    if (a.flags && a.flags.length) {
      w.bulk('flags');
      w.set(a.flags.length);
      for (const f of a.flags) w.simple(f);
    }
    if (nested) {
      w.bulk('arguments');
      writeModuleArgs(w, a.arguments ?? []);
    }
  }
}

/** COMMAND DOCS's map for one command. */
function writeCommandDocs(w: ReplyWriter, def: CommandDef): void {
  const spec = def.spec;
  const meta = def.meta as (NativeCommand & { hasHistory?: boolean; hasArgs?: boolean }) | undefined;
  if (spec) {
    const history = spec.history ?? [];
    const docFlags: string[] = (spec.doc_flags ?? []).map((f) => f.toLowerCase());
    const orderedDocFlags = (['deprecated', 'syscmd'] as string[]).filter((f) => docFlags.includes(f));
    const args = spec.arguments ?? [];
    let n = 1;
    if (spec.summary !== undefined) n++;
    if (spec.since !== undefined) n++;
    if (spec.complexity !== undefined) n++;
    if (orderedDocFlags.length) n++;
    if (spec.deprecated_since !== undefined) n++;
    if (spec.replaced_by !== undefined) n++;
    if (history.length) n++;
    if (args.length) n++;
    if (def.subcommands) n++;
    w.map(n);
    if (spec.summary !== undefined) {
      w.bulk('summary');
      w.bulk(spec.summary);
    }
    if (spec.since !== undefined) {
      w.bulk('since');
      w.bulk(spec.since);
    }
    w.bulk('group');
    w.bulk(groupName(spec.group));
    if (spec.complexity !== undefined) {
      w.bulk('complexity');
      w.bulk(spec.complexity);
    }
    if (orderedDocFlags.length) {
      w.bulk('doc_flags');
      w.set(orderedDocFlags.length);
      for (const f of orderedDocFlags) w.simple(f);
    }
    if (spec.deprecated_since !== undefined) {
      w.bulk('deprecated_since');
      w.bulk(spec.deprecated_since);
    }
    if (spec.replaced_by !== undefined) {
      w.bulk('replaced_by');
      w.bulk(spec.replaced_by);
    }
    if (history.length) {
      w.bulk('history');
      w.set(history.length);
      for (const [since, change] of history) {
        w.array(2);
        w.bulk(since);
        w.bulk(change);
      }
    }
    if (args.length) {
      w.bulk('arguments');
      writeCoreArgs(w, args);
    }
  } else {
    const history = meta?.history ?? [];
    const hasHistory = meta ? (meta.hasHistory ?? history.length > 0) : false;
    const args = (meta?.args ?? []) as ModuleArg[];
    const hasArgs = meta ? (meta.hasArgs ?? args.length > 0) : false;
    let n = 1;
    if (meta?.summary !== undefined) n++;
    if (meta?.since !== undefined) n++;
    if (meta?.complexity !== undefined) n++;
    if (def.module !== undefined) n++;
    if (hasHistory) n++;
    if (hasArgs) n++;
    if (def.subcommands) n++;
    w.map(n);
    if (meta?.summary !== undefined) {
      w.bulk('summary');
      w.bulk(meta.summary);
    }
    if (meta?.since !== undefined) {
      w.bulk('since');
      w.bulk(meta.since);
    }
    w.bulk('group');
    w.bulk(def.module !== undefined ? 'module' : 'server');
    if (meta?.complexity !== undefined) {
      w.bulk('complexity');
      w.bulk(meta.complexity);
    }
    if (def.module !== undefined) {
      w.bulk('module');
      w.bulk(def.module);
    }
    if (hasHistory) {
      w.bulk('history');
      w.set(history.length);
      for (const [since, change] of history) {
        w.array(2);
        w.bulk(since);
        w.bulk(change);
      }
    }
    if (hasArgs) {
      w.bulk('arguments');
      writeModuleArgs(w, args);
    }
  }
  if (def.subcommands) {
    w.bulk('subcommands');
    const subs = subsOf(def);
    w.map(subs.length);
    for (const s of subs) {
      w.bulk(s.fullname);
      writeCommandDocs(w, s);
    }
  }
}

/** lookupCommandBySds: "name" or "container|sub", any case; undefined when unknown. */
function lookupByFullname(engine: Engine, name: string): CommandDef | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return engine.commands.get(name);
  const parts = name.split('|');
  if (parts.length !== 2) return undefined;
  const parent = engine.commands.get(parts[0]!);
  return parent?.subcommands?.get(parts[1]!.toLowerCase());
}

/** lookupCommand over an argument vector: a container with a second argument resolves to
 *  the subcommand (undefined when it has none of that name). */
function lookupArgv(engine: Engine, argv: string[]): CommandDef | undefined {
  const base = engine.commands.get(argv[0]!);
  if (!base) return undefined;
  if (argv.length === 1 || !base.subcommands) return base;
  return base.subcommands.get(argv[1]!.toLowerCase());
}

/** Every command and subcommand, depth first, in table order. */
function* allCommands(engine: Engine): IterableIterator<CommandDef> {
  for (const def of engine.commands.all()) {
    yield def;
    if (def.subcommands) yield* def.subcommands.values();
  }
}

/** Valkey's key-search with key specs; null when a spec cannot be evaluated (-1). */
function keysFromSpecs(def: CommandDef, argv: string[]): [pos: number, flags: number][] | null {
  const specs = def.spec!.key_specs ?? [];
  const flat: number[] = [];
  if (!searchKeySpecs(specs, specs.map((k) => keyFlagBits(k.flags)), argv, flat)) return null;
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** genericGetKeys: keys counted by a numkeys argument (atoi), plus an optional store key. */
function genericGetKeys(storeOfs: number, countOfs: number, firstOfs: number, argv: string[]): [number, number][] {
  const num = atoi(argv[countOfs] ?? '');
  if (num < 1 || num > argv.length - firstOfs) return [];
  const out: [number, number][] = [];
  for (let i = 0; i < num; i++) out.push([firstOfs + i, 0]);
  if (storeOfs) out.push([storeOfs, 0]);
  return out;
}

/** The getkeys procedures of the core commands that declare one. */
const GETKEYS_PROCS: Record<string, (argv: string[]) => [number, number][]> = {
  sintercard: (a) => genericGetKeys(0, 1, 2, a),
  zunionstore: (a) => genericGetKeys(1, 2, 3, a),
  zinterstore: (a) => genericGetKeys(1, 2, 3, a),
  zdiffstore: (a) => genericGetKeys(1, 2, 3, a),
  zunion: (a) => genericGetKeys(0, 1, 2, a),
  zinter: (a) => genericGetKeys(0, 1, 2, a),
  zdiff: (a) => genericGetKeys(0, 1, 2, a),
  zintercard: (a) => genericGetKeys(0, 1, 2, a),
  eval: (a) => genericGetKeys(0, 2, 3, a),
  evalsha: (a) => genericGetKeys(0, 2, 3, a),
  eval_ro: (a) => genericGetKeys(0, 2, 3, a),
  evalsha_ro: (a) => genericGetKeys(0, 2, 3, a),
  fcall: (a) => genericGetKeys(0, 2, 3, a),
  fcall_ro: (a) => genericGetKeys(0, 2, 3, a),
  lmpop: (a) => genericGetKeys(0, 1, 2, a),
  blmpop: (a) => genericGetKeys(0, 2, 3, a),
  zmpop: (a) => genericGetKeys(0, 1, 2, a),
  bzmpop: (a) => genericGetKeys(0, 2, 3, a),
  sort_ro: () => [[1, KEY_RO | KEY_ACCESS]],
  sort: (a) => {
    const out: [number, number][] = [[1, KEY_RO | KEY_ACCESS]];
    let store = -1;
    for (let i = 2; i < a.length; i++) {
      const arg = a[i]!.toLowerCase();
      if (arg === 'limit') i += 2;
      else if (arg === 'get' || arg === 'by') i += 1;
      else if (arg === 'store' && i + 1 < a.length) store = i + 1;
    }
    if (store >= 0) out.push([store, KEY_OW | KEY_UPDATE]);
    return out;
  },
  migrate: (a) => {
    let first = 3;
    let num = 1;
    if (a.length > 6) {
      for (let i = 6; i < a.length; i++) {
        const arg = a[i]!.toLowerCase();
        if (arg === 'keys') {
          if (a[3]!.length > 0) num = 0;
          else {
            first = i + 1;
            num = a.length - first;
          }
          break;
        }
        if (arg === 'auth') i += 1;
        else if (arg === 'auth2') i += 2;
      }
    }
    const out: [number, number][] = [];
    for (let i = 0; i < num; i++) out.push([first + i, KEY_RW | KEY_ACCESS | KEY_DELETE]);
    return out;
  },
  georadius: (a) => georadiusKeys(a),
  georadiusbymember: (a) => georadiusKeys(a),
  xread: (a) => xreadKeys(a),
  xreadgroup: (a) => xreadKeys(a),
  set: (a) => {
    for (let i = 3; i < a.length; i++) if (a[i]!.toLowerCase() === 'get') return [[1, KEY_RW | KEY_ACCESS | KEY_UPDATE]];
    return [[1, KEY_OW | KEY_UPDATE]];
  },
  bitfield: (a) => {
    let readonly = true;
    for (let i = 2; i < a.length; i++) {
      const rem = a.length - i - 1;
      const arg = a[i]!.toLowerCase();
      if (arg === 'get' && rem >= 2) i += 2;
      else if ((arg === 'set' || arg === 'incrby') && rem >= 3) {
        readonly = false;
        break;
      } else if (arg === 'overflow' && rem >= 1) i += 1;
      else {
        readonly = false;
        break;
      }
    }
    return [[1, readonly ? KEY_RO | KEY_ACCESS : KEY_RW | KEY_ACCESS | KEY_UPDATE]];
  },
};

function georadiusKeys(a: string[]): [number, number][] {
  let stored = -1;
  for (let i = 5; i < a.length; i++) {
    const arg = a[i]!.toLowerCase();
    if ((arg === 'store' || arg === 'storedist') && i + 1 < a.length) {
      stored = i + 1;
      i++;
    }
  }
  return stored < 0 ? [[1, 0]] : [[1, 0], [stored, 0]];
}

function xreadKeys(a: string[]): [number, number][] {
  let streams = -1;
  for (let i = 1; i < a.length; i++) {
    const arg = a[i]!.toLowerCase();
    if (arg === 'block' || arg === 'count') i++;
    else if (arg === 'group') i += 2;
    else if (arg === 'noack') continue;
    else if (arg === 'streams') {
      streams = i;
      break;
    } else break;
  }
  const num = streams < 0 ? 0 : a.length - streams - 1;
  if (streams < 0 || num === 0 || num % 2 !== 0) return [];
  const out: [number, number][] = [];
  for (let i = streams + 1; i < a.length - num / 2; i++) out.push([i, 0]);
  return out;
}

/** Whether a command has keys at all (doesCommandHaveKeys). */
function commandHasKeys(def: CommandDef): boolean {
  if (def.spec) {
    if (def.spec.get_keys_function) return true;
    return (def.spec.key_specs ?? []).some((k) => !(keyFlagBits(k.flags) & KEY_NOT_KEY));
  }
  const meta = def.meta as (NativeCommand & { createFlags?: string[] }) | undefined;
  if (meta) {
    if (meta.createFlags?.includes('getkeys-api')) return true;
    return (meta.keySpecs as ModuleKeySpec[]).some((k) => !(keyFlagBits(k.flags) & KEY_NOT_KEY));
  }
  return def.firstKey > 0;
}

/** The keys of a full command (getKeysFromCommandWithSpecs); [] when none were found. */
function commandKeys(engine: Engine, def: CommandDef, argv: string[]): [number, number][] {
  if (def.spec) {
    const specs = def.spec.key_specs ?? [];
    const hasKeySpec = specs.some((k) => !(keyFlagBits(k.flags) & KEY_NOT_KEY));
    const varFlags = specs.some((k) => keyFlagBits(k.flags) & KEY_VARIABLE_FLAGS);
    if (hasKeySpec && !varFlags) {
      const r = keysFromSpecs(def, argv);
      if (r) return r;
    }
    const proc = GETKEYS_PROCS[def.fullname];
    return proc ? proc(argv) : [];
  }
  if (def.meta) {
    const pos = engine.registry.positions(def, argv);
    if (!pos) return [];
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < pos.length; i += 2) out.push([pos[i]!, pos[i + 1]!]);
    return out;
  }
  const out: [number, number][] = [];
  if (def.firstKey > 0) {
    const last = def.lastKey < 0 ? argv.length + def.lastKey : def.lastKey;
    for (let i = def.firstKey; i <= last && i < argv.length; i += def.keyStep || 1) out.push([i, 0]);
  }
  return out;
}

/**
 * The key positions of a full command line with their VALKEYMODULE_CMD_KEY_* flags, as
 * COMMAND GETKEYSANDFLAGS finds them (used by the module API GetCommandKeysWithFlags):
 * `unknown` for no such command, `arity` for a wrong argument count, `nokeys` when the
 * command has no key arguments or none were found.
 */
export function commandKeyPositions(engine: Engine, argv: string[]): { error: 'unknown' | 'arity' | 'nokeys' } | [pos: number, flags: number][] {
  const def = argv.length > 0 ? lookupArgv(engine, argv) : undefined;
  if (!def) return { error: 'unknown' };
  if ((def.arity > 0 && def.arity !== argv.length) || argv.length < -def.arity) return { error: 'arity' };
  if (!commandHasKeys(def)) return { error: 'nokeys' };
  const keys = commandKeys(engine, def, argv);
  return keys.length === 0 ? { error: 'nokeys' } : keys;
}

function getKeys(ctx: CommandContext, withFlags: boolean): void {
  const { engine, args, w } = ctx;
  const argv = args.slice(2);
  const def = lookupArgv(engine, argv);
  if (!def) return w.error('ERR Invalid command specified');
  if (!commandHasKeys(def)) return w.error('ERR The command has no key arguments');
  if ((def.arity > 0 && def.arity !== argv.length) || argv.length < -def.arity) {
    return w.error('ERR Invalid number of arguments specified for command');
  }
  const keys = commandKeys(engine, def, argv);
  if (keys.length === 0) {
    if (def.flags.includes('no_mandatory_keys')) return w.array(0);
    return w.error('ERR Invalid arguments specified for command');
  }
  w.array(keys.length);
  for (const [pos, flags] of keys) {
    if (!withFlags) {
      w.bulk(argv[pos]!);
      continue;
    }
    w.array(2);
    w.bulk(argv[pos]!);
    writeKeyFlags(w, flags);
  }
}

/** ACL category names (COMMAND LIST FILTERBY ACLCAT), case-insensitive. */
function aclCategoryMatches(def: CommandDef, cat: string): boolean {
  const c = cat.toLowerCase();
  if (!ACL_CATEGORY_ORDER.includes(c)) return false;
  const cats = def.spec || !def.meta ? commandCategories(def) : commandCategories(def);
  return cats.includes(c);
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all commands.',
  'COUNT',
  '    Return the total number of commands in this server.',
  'LIST',
  '    Return a list of all commands in this server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full command.',
];

/** COMMAND with no subcommand: every command's description. */
function commandAll({ engine, w }: CommandContext): void {
  w.array(engine.commands.size);
  for (const def of engine.commands.all()) writeCommandInfo(w, def);
}

const commandGroup = group('command', [
  cmd('command|count', ({ engine, w }) => w.integer(engine.commands.size)),
  cmd('command|help', (ctx) => help(ctx, COMMAND_HELP)),
  cmd('command|info', (ctx) => {
    const { engine, args, w } = ctx;
    if (args.length === 2) return commandAll(ctx);
    w.array(args.length - 2);
    for (let i = 2; i < args.length; i++) {
      const def = lookupByFullname(engine, args[i]!);
      if (def) writeCommandInfo(w, def);
      else w.null();
    }
  }),
  cmd('command|docs', ({ engine, args, w }) => {
    if (args.length === 2) {
      w.map(engine.commands.size);
      for (const def of engine.commands.all()) {
        w.bulk(def.fullname);
        writeCommandDocs(w, def);
      }
      return;
    }
    const found: CommandDef[] = [];
    for (let i = 2; i < args.length; i++) {
      const def = lookupByFullname(engine, args[i]!);
      if (def) found.push(def);
    }
    w.map(found.length);
    for (const def of found) {
      w.bulk(def.fullname);
      writeCommandDocs(w, def);
    }
  }),
  cmd('command|list', ({ engine, args, w }) => {
    let filter: ((d: CommandDef) => boolean) | undefined;
    for (let i = 2; i < args.length; i++) {
      const more = args.length - 1 - i;
      if (args[i]!.toLowerCase() === 'filterby' && more === 2) {
        const type = args[i + 1]!.toLowerCase();
        const arg = args[i + 2]!;
        if (type === 'module') {
          const mod = engine.modules().find((m) => m.name.toLowerCase() === arg.toLowerCase());
          filter = (d) => mod !== undefined && d.module !== undefined && d.module === mod.name;
        } else if (type === 'aclcat') {
          filter = (d) => aclCategoryMatches(d, arg);
        } else if (type === 'pattern') {
          filter = (d) => globMatch(arg, d.fullname, true);
        } else return w.error(Errors.syntax);
        i += 2;
      } else return w.error(Errors.syntax);
    }
    const names: string[] = [];
    for (const def of allCommands(engine)) if (!filter || filter(def)) names.push(def.fullname);
    w.array(names.length);
    for (const n of names) w.bulk(n);
  }),
  cmd('command|getkeys', (ctx) => getKeys(ctx, false)),
  cmd('command|getkeysandflags', (ctx) => getKeys(ctx, true)),
]);
// COMMAND alone (arity -1) describes every command: the container's own handler.
commandGroup.handler = commandAll;

// ---------------------------------------------------------------------------------------------
// CONFIG
// ---------------------------------------------------------------------------------------------

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

/** CONFIG RESETSTAT: command, error and keyspace statistics back to zero. */
export function resetStats(engine: Engine): void {
  statsOf(engine).reset();
  const s = engine.stats as unknown as Record<string, number>;
  for (const k of Object.keys(s)) s[k] = 0;
  stateOf(engine).peakMemory = 0;
}

const configGroup = group('config', [
  cmd('config|get', ({ engine, args, w }) => {
    const pairs = configOf(engine).match(args.slice(2));
    w.map(pairs.length);
    for (const [k, v] of pairs) {
      w.bulk(k);
      w.bulk(v);
    }
  }),
  cmd('config|set', ({ engine, client, args, w }) => {
    if (args.length & 1) return w.error(Errors.syntax);
    const pairs: [string, string][] = [];
    for (let i = 2; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
    const err = configOf(engine).set(pairs, { local: client.local });
    if (err) return w.error(err);
    slowlogOf(engine).trim();
    w.simple('OK');
  }),
  cmd('config|resetstat', ({ engine, w }) => {
    resetStats(engine);
    w.simple('OK');
  }),
  cmd('config|rewrite', ({ engine, w }) => {
    const err = configRewrite(engine);
    if (err) w.error(err);
    else w.simple('OK');
  }),
  cmd('config|help', (ctx) => help(ctx, CONFIG_HELP)),
]);

// ---------------------------------------------------------------------------------------------
// INFO
// ---------------------------------------------------------------------------------------------

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** Section names INFO itself knows (any other name may be a module's). */
const BUILTIN_SECTIONS = new Set([
  ...DEFAULT_SECTIONS, 'default', 'all', 'everything', 'modules', 'commandstats', 'latencystats', 'debug',
]);

type Fields = [string, string | number][];

function memoryFigures(engine: Engine): { used: number; rss: number; peak: number; dataset: number; startup: number } {
  const m = process.memoryUsage();
  const st = stateOf(engine);
  const used = m.heapUsed + m.external;
  if (used > st.peakMemory) st.peakMemory = used;
  const startup = Math.min(used, 1024 * 1024);
  let dataset = 0;
  for (const db of engine.dbs) dataset += db.size * 64;
  return { used, rss: m.rss, peak: st.peakMemory, dataset: Math.min(dataset, used), startup };
}

function avgTtl(engine: Engine, db: Db): number {
  if (db.expires.size === 0) return 0;
  const now = engine.now();
  let sum = 0;
  let n = 0;
  for (const k of db.expires) {
    const e = db.dict.get(k);
    if (!e || e.expire <= now) continue;
    sum += e.expire - now;
    n++;
  }
  return n ? Math.floor(sum / n) : 0;
}

/** Renders `INFO`: Valkey's sections, field names and order. */
export function infoText(engine: Engine, sectionArgs: string[]): string {
  const sections = new Set<string>();
  let all = false;
  let everything = false;
  if (sectionArgs.length === 0) for (const s of DEFAULT_SECTIONS) sections.add(s);
  for (const a of sectionArgs) {
    const s = a.toLowerCase();
    if (s === 'default') for (const d of DEFAULT_SECTIONS) sections.add(d);
    else if (s === 'all') all = true;
    else if (s === 'everything') {
      everything = true;
      all = true;
    } else sections.add(s);
  }
  const want = (s: string) => all || sections.has(s);
  const st = stateOf(engine);
  const provider = st.infoProvider;
  const stats = statsOf(engine);
  const cfg = configOf(engine);
  const parts: string[] = [];
  const section = (title: string, key: string, fields: Fields, extra: string[] = []) => {
    const p = provider?.(key);
    let text = `# ${title}\r\n`;
    for (const [k, v] of fields) {
      const o = p?.fields?.[k];
      text += `${k}:${o !== undefined ? o : v}\r\n`;
    }
    for (const line of extra) text += `${line}\r\n`;
    for (const line of p?.extra ?? []) text += `${line}\r\n`;
    parts.push(text);
  };
  const nowMs = Date.now();
  const uptime = Math.floor((nowMs - stats.startTime) / 1000);

  if (want('server')) {
    section('Server', 'server', [
      ['redis_version', REDIS_COMPAT_VERSION],
      ['server_name', SERVER_NAME],
      ['valkey_version', SERVER_VERSION],
      ['valkey_release_stage', 'ga'],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      [cfg.get('extended-redis-compatibility') === 'yes' ? 'redis_mode' : 'server_mode', 'standalone'],
      ['os', `${os.type()} ${os.release()} ${os.machine?.() ?? process.arch}`],
      ['arch_bits', 64],
      ['monotonic_clock', 'POSIX clock_gettime'],
      ['multiplexing_api', process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'winsock' : 'kqueue'],
      ['atomicvar_api', 'c11-builtin'],
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', st.runId],
      ['tcp_port', cfg.get('port')!],
      ['server_time_usec', Math.floor((performance.timeOrigin + performance.now()) * 1000)],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', engine.options.hz],
      ['configured_hz', engine.options.hz],
      ['lru_clock', Math.floor(nowMs / 1000) & 0xffffff],
      ['executable', process.argv[1] ?? ''],
      ['config_file', ''],
      ['io_threads_active', 0],
      ['availability_zone', cfg.get('availability-zone')!],
    ]);
  }
  if (want('clients')) {
    section('Clients', 'clients', [
      ['connected_clients', 1],
      ['cluster_connections', 0],
      ['maxclients', cfg.get('maxclients')!],
      ['client_recent_max_input_buffer', 0],
      ['client_recent_max_output_buffer', 0],
      ['blocked_clients', engine.blocking.count],
      ['tracking_clients', 0],
      ['pubsub_clients', 0],
      ['watching_clients', 0],
      ['clients_in_timeout_table', engine.blocking.withTimeout],
      ['total_watched_keys', 0],
      ['total_blocking_keys', engine.blocking.keys],
      ['total_blocking_keys_on_nokey', engine.blocking.keysOnNoKey],
      ['paused_reason', 'none'],
      ['paused_actions', 'none'],
      ['paused_timeout_milliseconds', 0],
    ]);
  }
  if (want('memory')) {
    const m = memoryFigures(engine);
    const maxmemory = BigInt.asUintN(64, BigInt(cfg.get('maxmemory')!));
    const overhead = m.used - m.dataset;
    const pct = (a: number, b: number) => (b ? ((a * 100) / b).toFixed(2) : '0.00');
    const total = os.totalmem();
    section('Memory', 'memory', [
      ['used_memory', m.used],
      ['used_memory_human', bytesToHuman(m.used)],
      ['used_memory_rss', m.rss],
      ['used_memory_rss_human', bytesToHuman(m.rss)],
      ['used_memory_peak', m.peak],
      ['used_memory_peak_human', bytesToHuman(m.peak)],
      ['used_memory_peak_perc', `${pct(m.used, m.peak)}%`],
      ['used_memory_overhead', overhead],
      ['used_memory_startup', m.startup],
      ['used_memory_dataset', m.dataset],
      ['used_memory_dataset_perc', `${pct(m.dataset, m.used - m.startup)}%`],
      ['allocator_allocated', m.used],
      ['allocator_active', m.used],
      ['allocator_resident', m.rss],
      ['allocator_muzzy', 0],
      ['total_system_memory', total],
      ['total_system_memory_human', bytesToHuman(total)],
      ['used_memory_lua', 0],
      ['used_memory_vm_eval', 0],
      ['used_memory_lua_human', '0B'],
      ['used_memory_scripts_eval', 0],
      ['number_of_cached_scripts', 0],
      ['number_of_functions', 0],
      ['number_of_libraries', 0],
      ['used_memory_vm_functions', 0],
      ['used_memory_vm_total', 0],
      ['used_memory_vm_total_human', '0B'],
      ['used_memory_functions', 0],
      ['used_memory_scripts', 0],
      ['used_memory_scripts_human', '0B'],
      ['maxmemory', maxmemory.toString()],
      ['maxmemory_human', bytesToHuman(Number(maxmemory))],
      ['maxmemory_policy', cfg.get('maxmemory-policy')!],
      ['allocator_frag_ratio', '1.00'],
      ['allocator_frag_bytes', 0],
      ['allocator_rss_ratio', (m.used ? m.rss / m.used : 1).toFixed(2)],
      ['allocator_rss_bytes', m.rss - m.used],
      ['rss_overhead_ratio', '1.00'],
      ['rss_overhead_bytes', 0],
      ['mem_fragmentation_ratio', (m.used ? m.rss / m.used : 1).toFixed(2)],
      ['mem_fragmentation_bytes', m.rss - m.used],
      ['mem_not_counted_for_evict', 0],
      ['mem_replication_backlog', 0],
      ['mem_total_replication_buffers', 0],
      ['mem_clients_slaves', 0],
      ['mem_clients_normal', 0],
      ['mem_cluster_links', 0],
      ['mem_aof_buffer', 0],
      ['mem_allocator', 'libc'],
      ['mem_overhead_db_hashtable_rehashing', 0],
      ['active_defrag_running', 0],
      ['lazyfree_pending_objects', 0],
      ['lazyfreed_objects', 0],
    ]);
  }
  if (want('persistence')) {
    section('Persistence', 'persistence', [
      ['loading', engine.loading ? 1 : 0],
      ['async_loading', 0],
      ['current_cow_peak', 0],
      ['current_cow_size', 0],
      ['current_cow_size_age', 0],
      ['current_fork_perc', '0.00'],
      ['current_save_keys_processed', 0],
      ['current_save_keys_total', 0],
      ...rdbInfoFields(engine),
      ...aofInfoFields(engine),
      ['module_fork_in_progress', moduleForkInfo(engine).inProgress ? 1 : 0],
      ['module_fork_last_cow_size', moduleForkInfo(engine).lastCowSize],
      ...aofEnabledInfoFields(engine),
    ]);
  }
  if (want('stats')) {
    const s = engine.stats;
    section('Stats', 'stats', [
      ['total_connections_received', 1],
      ['total_commands_processed', stats.totalCommands],
      ['instantaneous_ops_per_sec', 0],
      ['total_net_input_bytes', 0],
      ['total_net_output_bytes', 0],
      ['total_net_repl_input_bytes', 0],
      ['total_net_repl_output_bytes', 0],
      ['instantaneous_input_kbps', '0.00'],
      ['instantaneous_output_kbps', '0.00'],
      ['instantaneous_input_repl_kbps', '0.00'],
      ['instantaneous_output_repl_kbps', '0.00'],
      ['rejected_connections', 0],
      ['sync_full', 0],
      ['sync_partial_ok', 0],
      ['sync_partial_err', 0],
      ['expired_keys', s.expired_keys],
      ['expired_stale_perc', (s.expired_stale_perc * 100).toFixed(2)],
      ['expired_time_cap_reached_count', s.expired_time_cap_reached_count],
      ['expire_cycle_cpu_milliseconds', 0],
      ['evicted_keys', 0],
      ['evicted_clients', 0],
      ['evicted_scripts', 0],
      ['total_eviction_exceeded_time', 0],
      ['current_eviction_exceeded_time', 0],
      ['keyspace_hits', s.keyspace_hits],
      ['keyspace_misses', s.keyspace_misses],
      ['pubsub_channels', 0],
      ['pubsub_patterns', 0],
      ['pubsubshard_channels', 0],
      ['latest_fork_usec', moduleForkInfo(engine).latestForkUsec],
      ['total_forks', moduleForkInfo(engine).totalForks],
      ['migrate_cached_sockets', 0],
      ['slave_expires_tracked_keys', 0],
      ['active_defrag_hits', 0],
      ['active_defrag_misses', 0],
      ['active_defrag_key_hits', 0],
      ['active_defrag_key_misses', 0],
      ['total_active_defrag_time', 0],
      ['current_active_defrag_time', 0],
      ['tracking_total_keys', 0],
      ['tracking_total_items', 0],
      ['tracking_total_prefixes', 0],
      ['unexpected_error_replies', 0],
      ['total_error_replies', stats.totalErrorReplies],
      ['dump_payload_sanitizations', 0],
      ['total_reads_processed', 0],
      ['total_writes_processed', 0],
      ['io_threaded_reads_processed', 0],
      ['io_threaded_writes_processed', 0],
      ['client_query_buffer_limit_disconnections', 0],
      ['client_output_buffer_limit_disconnections', 0],
      ['reply_buffer_shrinks', 0],
      ['reply_buffer_expands', 0],
      ['eventloop_cycles', 0],
      ['eventloop_duration_sum', 0],
      ['eventloop_duration_cmd_sum', 0],
      ['instantaneous_eventloop_cycles_per_sec', 0],
      ['instantaneous_eventloop_duration_usec', 0],
      ['acl_access_denied_auth', engine.stats.acl_access_denied_auth ?? 0],
      ['acl_access_denied_cmd', engine.stats.acl_access_denied_cmd ?? 0],
      ['acl_access_denied_key', engine.stats.acl_access_denied_key ?? 0],
      ['acl_access_denied_channel', engine.stats.acl_access_denied_channel ?? 0],
    ]);
  }
  if (want('replication')) {
    section('Replication', 'replication', [
      ['role', 'master'],
      ['connected_slaves', 0],
      ['replicas_waiting_psync', 0],
      ['master_failover_state', 'no-failover'],
      ['master_replid', st.replId],
      ['master_replid2', st.replId2],
      ['master_repl_offset', 0],
      ['second_repl_offset', -1],
      ['repl_backlog_active', 0],
      ['repl_backlog_size', cfg.get('repl-backlog-size')!],
      ['repl_backlog_first_byte_offset', 0],
      ['repl_backlog_histlen', 0],
    ]);
  }
  if (want('cpu')) {
    const u = process.cpuUsage();
    const t = (us: number) => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
    section('CPU', 'cpu', [
      ['used_cpu_sys', t(u.system)],
      ['used_cpu_user', t(u.user)],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
      ['used_cpu_sys_main_thread', t(u.system)],
      ['used_cpu_user_main_thread', t(u.user)],
    ]);
  }
  if (want('module_list') || sections.has('modules')) {
    const lines: string[] = [];
    for (const m of engine.registry.native.modules()) {
      const opts: string[] = [];
      if (m.options & (1 << 0)) opts.push('handle-io-errors');
      if (m.options & (1 << 2)) opts.push('handle-repl-async-load');
      if (m.options & (1 << 1)) opts.push('no-implicit-signal-modified');
      lines.push(`module:name=${safeInfo(m.name)},ver=${m.ver},api=${m.apiver},filters=${m.filters ?? 0},usedby=[${(m.usedby ?? []).join('|')}],using=[${(m.using ?? []).join('|')}],options=[${opts.join('|')}]`);
    }
    section('Modules', 'modules', [], lines);
  }
  if (want('commandstats')) {
    const lines: string[] = [];
    for (const def of allCommands(engine)) {
      const c = stats.peek(def);
      if (!c || !(c.calls || c.failedCalls || c.rejectedCalls)) continue;
      const usec = Math.floor(c.usec);
      lines.push(
        `cmdstat_${safeInfo(def.fullname)}:calls=${c.calls},usec=${usec},usec_per_call=${(c.calls ? usec / c.calls : 0).toFixed(2)},rejected_calls=${c.rejectedCalls},failed_calls=${c.failedCalls}`,
      );
    }
    section('Commandstats', 'commandstats', [], lines);
  }
  if (want('errorstats')) {
    section('Errorstats', 'errorstats', [], stats.errorCounts().map(([code, n]) => `errorstat_${safeInfo(code)}:count=${n}`));
  }
  if (want('latencystats')) {
    const lines: string[] = [];
    if (cfg.latencyTracking) {
      const pcts = cfg.get('latency-tracking-info-percentiles')!.split(' ').filter(Boolean);
      for (const def of allCommands(engine)) {
        const c = stats.peek(def);
        if (!c?.histogram) continue;
        lines.push(
          `latency_percentiles_usec_${safeInfo(def.fullname)}:${pcts.map((p) => `p${p}=${c.percentile(Number(p)).toFixed(3)}`).join(',')}`,
        );
      }
    }
    section('Latencystats', 'latencystats', [], lines);
  }
  if (want('cluster')) section('Cluster', 'cluster', [['cluster_enabled', 0]]);
  if (want('keyspace')) {
    const lines: string[] = [];
    for (const db of engine.dbs) {
      const keys = db.size;
      const expires = db.expires.size;
      if (keys || expires) lines.push(`db${db.id}:keys=${keys},expires=${expires},avg_ttl=${avgTtl(engine, db)}`);
    }
    section('Keyspace', 'keyspace', [], lines);
  }
  if (sections.has('debug')) {
    section('Debug', 'debug', [
      ['eventloop_duration_aof_sum', 0],
      ['eventloop_duration_cron_sum', 0],
      ['eventloop_duration_max', 0],
      ['eventloop_cmd_per_cycle_max', 0],
    ]);
  }
  // Module sections (Valkey: for everything/modules, or when a requested name is no
  // built-in section, e.g. a module or module section name).
  const requestedNames = sectionArgs.map((a) => a.toLowerCase());
  const unknown = requestedNames.some((n) => !BUILTIN_SECTIONS.has(n));
  if (st.moduleInfo && (everything || sections.has('modules') || unknown)) {
    parts.push(...st.moduleInfo(everything || sections.has('modules') ? null : requestedNames));
  }
  return parts.join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// DEBUG
// ---------------------------------------------------------------------------------------------

const DEBUG_HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Valkey protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Valkey errors.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the server behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/** A stable fake address for DEBUG OBJECT's "Value at:" (derived from the key). */
function fakeAddress(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `0x7f${(h >>> 0).toString(16).padStart(8, '0')}${((h * 7) & 0xff).toString(16).padStart(2, '0')}`;
}

function debugProtocol(ctx: CommandContext, type: string): void {
  const { w } = ctx;
  switch (type.toLowerCase()) {
    case 'string': return w.bulk('Hello World');
    case 'integer': return w.integer(12345);
    case 'double': return w.double(3.141);
    case 'bignum': return w.bigNumber('1234567999999999999999999999999999999');
    case 'null': return w.null();
    case 'array':
      w.array(3);
      for (let j = 0; j < 3; j++) w.integer(j);
      return;
    case 'set':
      w.set(3);
      for (let j = 0; j < 3; j++) w.integer(j);
      return;
    case 'map':
      w.map(3);
      for (let j = 0; j < 3; j++) {
        w.integer(j);
        w.bool(j === 1);
      }
      return;
    case 'attrib':
      if (w.proto >= 3) {
        w.attribute(1);
        w.bulk('key-popularity');
        w.array(2);
        w.bulk('key:123');
        w.integer(90);
      }
      return w.bulk('Some real reply following the attribute');
    case 'push':
      if (w.proto < 3) return w.error('ERR RESP2 is not supported by this command');
      w.push(2);
      w.bulk('server-cpu-usage');
      w.integer(42);
      return w.bulk('Some real reply following the push reply');
    case 'true': return w.bool(true);
    case 'false': return w.bool(false);
    case 'verbatim': return w.verbatim('txt', 'This is a verbatim\nstring');
    default:
      return w.error(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      );
  }
}

/** Valkey's refusal when enable-debug-command does not allow this client. */
const DEBUG_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", ' +
  'you can run it from a local connection, otherwise you need to set this option in the configuration file, ' +
  'and then restart the server.';

/** enable-debug-command for network clients ("yes", "local": loopback only, "no"); embedded
 *  clients, the process's own, may always use DEBUG. */
function debugAllowed(engine: Engine, client: CommandContext['client']): boolean {
  if (!(client instanceof Connection)) return true;
  const mode = configOf(engine).get('enable-debug-command');
  return mode === 'yes' || (mode === 'local' && client.local);
}

function debugCommand(ctx: CommandContext): void {
  const { engine, client, args, w } = ctx;
  if (!debugAllowed(engine, client)) return w.error(DEBUG_NOT_ALLOWED);
  const sub = args[1]!.toLowerCase();
  const argc = args.length;
  if (sub === 'help' && argc === 2) return help(ctx, DEBUG_HELP);
  if (sub === 'sleep' && argc === 3) {
    sleepMs(strtod(args[2]!) * 1000);
    return w.simple('OK');
  }
  if (sub === 'reload') {
    const err = debugReload(engine, args.slice(2));
    return err === undefined ? w.simple('OK') : w.error(err);
  }
  if (sub === 'loadaof') {
    // Flushes the AOF, empties every database and replays the AOF files (dirty reset after).
    const ok = debugLoadAof(engine, () => emptyData(engine));
    return ok ? w.simple('OK') : w.error('ERR Error trying to load the AOF files, check server logs.');
  }
  if (sub === 'set-active-expire' && argc === 3) {
    engine.activeExpireEnabled = atoi(args[2]!) !== 0;
    return w.simple('OK');
  }
  if (sub === 'object' && argc === 3) {
    const db = engine.db(client);
    const key = args[2]!;
    const e = db.dict.get(key);
    if (!e) return w.error('ERR no such key');
    const v = e.value;
    const enc = encodingOf(v);
    const serialized = typeof v === 'string' ? stringSerializedLength(v) : 0;
    const clock = Math.floor(engine.now() / 1000) & 0xffffff;
    const lru = e.lru & 0xffffff;
    const idle = clock >= lru ? clock - lru : clock + (0xffffff - lru);
    return w.simple(
      `Value at:${fakeAddress(key)} refcount:1 encoding:${enc} serializedlength:${serialized} lru:${lru} lru_seconds_idle:${idle}`,
    );
  }
  if (sub === 'change-repl-id' && argc === 2) {
    const st = stateOf(engine);
    st.replId = randomHex40();
    st.replId2 = '0'.repeat(40);
    return w.simple('OK');
  }
  if (sub === 'digest' && argc === 2) return w.simple(digestHex(datasetDigest(engine)));
  if (sub === 'digest-value') {
    const db = engine.db(client);
    w.array(argc - 2);
    for (let j = 2; j < argc; j++) w.simple(digestHex(keyValueDigest(engine, db, args[j]!)));
    return;
  }
  if (sub === 'error' && argc === 3) return w.error(args[2]!);
  if (sub === 'log' && argc === 3) {
    engine.logger.log(LL_WARNING, `DEBUG LOG: ${args[2]}`);
    return w.simple('OK');
  }
  if (sub === 'protocol' && argc === 3) return debugProtocol(ctx, args[2]!);
  if (sub === 'populate' && argc >= 3 && argc <= 5) {
    const count = parseLL(args[2]!);
    if (count === undefined) return w.error(Errors.notInteger);
    if (count < 0n) return w.error('ERR value is out of range, must be positive');
    let size = 0n;
    if (argc === 5) {
      const s = parseLL(args[4]!);
      if (s === undefined) return w.error(Errors.notInteger);
      if (s < 0n) return w.error('ERR value is out of range, must be positive');
      size = s;
    }
    const prefix = argc === 3 ? 'key' : args[3]!;
    const db = engine.db(client);
    for (let j = 0; j < Number(count); j++) {
      const key = `${prefix}:${j}`;
      if (db.has(key)) continue;
      const base = `value:${j}`;
      const n = Number(size);
      const val = n === 0 ? base : (base.length >= n ? base.slice(0, n) : base + '\0'.repeat(n - base.length));
      db.add(key, val);
      engine.keyModified(db.id, key);
    }
    return w.simple('OK');
  }
  subcommandSyntaxError(ctx);
}

// ---------------------------------------------------------------------------------------------
// FUNCTION (an engine without scripting engines: no libraries, nothing to run)
// ---------------------------------------------------------------------------------------------

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

/** RDB version Valkey 8 writes in DUMP payloads. */
const RDB_VERSION = 11;

let crcTable: BigUint64Array | undefined;

/** CRC-64 (Jones polynomial, reflected) as Valkey's crc64() computes it. */
export function crc64(bytes: Uint8Array, crc = 0n): bigint {
  if (!crcTable) {
    crcTable = new BigUint64Array(256);
    const poly = 0x95ac9329ac4bc9b5n;
    for (let i = 0; i < 256; i++) {
      let c = BigInt(i);
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
      crcTable[i] = c;
    }
  }
  let c = crc;
  for (const b of bytes) c = crcTable[Number((c ^ BigInt(b)) & 0xffn)]! ^ (c >> 8n);
  return c;
}

/** FUNCTION DUMP of an empty library set: the RDB version and the CRC-64 footer. */
function emptyFunctionPayload(): string {
  const body = Buffer.from([RDB_VERSION & 0xff, (RDB_VERSION >> 8) & 0xff]);
  const crc = crc64(body);
  const foot = Buffer.alloc(8);
  foot.writeBigUInt64LE(crc);
  return Buffer.concat([body, foot]).toString('latin1');
}

/** Splits a shebang line into words (sdssplitargs without quote handling subtleties). */
function splitWords(s: string): string[] {
  return s.split(/[ \t\r\n\v\f]+/).filter(Boolean);
}

const functionGroup = group('function', [
  cmd('function|delete', ({ w }) => w.error('ERR Library not found')),
  cmd('function|dump', ({ w }) => w.bulk(emptyFunctionPayload())),
  cmd('function|flush', (ctx) => {
    const { args, w } = ctx;
    if (args.length > 3) return subcommandSyntaxError(ctx);
    if (args.length === 3) {
      const o = args[2]!.toLowerCase();
      if (o !== 'sync' && o !== 'async') return w.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    }
    w.simple('OK');
  }),
  cmd('function|help', (ctx) => help(ctx, FUNCTION_HELP)),
  cmd('function|kill', ({ w }) => w.error('NOTBUSY No scripts in execution right now.')),
  cmd('function|list', ({ args, w }) => {
    let withCode = false;
    let lib: string | undefined;
    for (let i = 2; i < args.length; i++) {
      const a = args[i]!.toLowerCase();
      if (!withCode && a === 'withcode') {
        withCode = true;
        continue;
      }
      if (lib === undefined && a === 'libraryname') {
        if (i >= args.length - 1) return w.error('ERR library name argument was not given');
        lib = args[++i]!;
        continue;
      }
      return w.error(`ERR Unknown argument ${args[i]}`);
    }
    w.array(0);
  }),
  cmd('function|load', ({ args, w }) => {
    let i = 2;
    if (args.length > 3 && args[2]!.toLowerCase() === 'replace') i = 3;
    if (i !== args.length - 1) return w.error('ERR Unknown option given: ' + args[2]);
    const code = args[i]!;
    if (!code.startsWith('#!')) return w.error('ERR Missing library metadata');
    const nl = code.indexOf('\n');
    if (nl < 0) return w.error('ERR Invalid library metadata');
    const words = splitWords(code.slice(0, nl));
    if (words.length === 0) return w.error('ERR Invalid library metadata');
    const engineName = words[0]!.slice(2);
    let name: string | undefined;
    for (const part of words.slice(1)) {
      if (part.toLowerCase().startsWith('name=')) {
        if (name !== undefined) return w.error('ERR Invalid metadata value, name argument was given multiple times');
        name = part.slice(5);
        continue;
      }
      return w.error(`ERR Invalid metadata value given: ${part}`);
    }
    if (name === undefined) return w.error('ERR Library name was not given');
    w.error(`ERR Engine '${engineName}' not found`);
  }),
  cmd('function|restore', (ctx) => {
    const { args, w } = ctx;
    if (args.length > 4) return subcommandSyntaxError(ctx);
    if (args.length === 4) {
      const p = args[3]!.toLowerCase();
      if (p !== 'flush' && p !== 'append' && p !== 'replace') {
        return w.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
      }
    }
    const payload = Buffer.from(args[2]!, 'latin1');
    if (payload.length < 10) return w.error('ERR DUMP payload version or checksum are wrong');
    const ver = payload.readUInt16LE(payload.length - 10);
    const crc = payload.readBigUInt64LE(payload.length - 8);
    if (ver > RDB_VERSION || (crc !== 0n && crc !== crc64(payload.subarray(0, payload.length - 8)))) {
      return w.error('ERR DUMP payload version or checksum are wrong');
    }
    if (payload.length > 10) return w.error('ERR given payload contains functions but no scripting engine is available');
    w.simple('OK');
  }),
  cmd('function|stats', ({ w }) => {
    w.map(2);
    w.bulk('running_script');
    w.null();
    w.bulk('engines');
    w.map(1);
    w.bulk('LUA');
    w.map(2);
    w.bulk('libraries_count');
    w.integer(0);
    w.bulk('functions_count');
    w.integer(0);
  }),
]);

// ---------------------------------------------------------------------------------------------
// LATENCY
// ---------------------------------------------------------------------------------------------

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

/** LATENCY HISTOGRAM's entry for one command: calls and the cumulative distribution. */
function writeHistogram(w: ReplyWriter, c: CommandStat): void {
  w.map(2);
  w.bulk('calls');
  w.integer(c.histogramCalls());
  w.bulk('histogram_usec');
  const rows = c.cumulative();
  w.map(rows.length);
  for (const [us, n] of rows) {
    w.integer(us);
    w.integer(n);
  }
}

function latencyDoctor(engine: Engine): string {
  const mon = slowlogOf(engine).latency;
  const threshold = configOf(engine).latencyMonitorThreshold;
  if (mon.events.size === 0) {
    if (threshold === 0) {
      return (
        "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Valkey instance. " +
        'You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. ' +
        "If we weren't in a deep space mission I'd suggest to take a look at https://valkey.io/topics/latency-monitor.\n"
      );
    }
    return "Dave, no latency spike was observed during the lifetime of this Valkey instance, not in the slightest bit. I honestly think you ought to sleep a little more and not to worry about it.\n";
  }
  let out = "Dave, I have observed latency spikes in this Valkey instance. You don't mind talking about it, do you Dave?\n\n";
  let i = 1;
  for (const [name, e] of mon.events) {
    const n = e.samples.length;
    const avg = n ? Math.floor(e.samples.reduce((a, s) => a + s[1], 0) / n) : 0;
    const first = e.samples[0]?.[0] ?? 0;
    const period = n > 1 ? Math.floor((e.samples[n - 1]![0] - first) / (n - 1)) : 0;
    out += `${i++}. ${name}: ${n} latency spikes (average ${avg}ms, mean deviation 0ms, period ${period} sec). Worst all time event ${e.max}ms.\n`;
  }
  out += "\nI have a few advices for you:\n\n- Check your system for other processes competing for CPU, and the commands you run: use SLOWLOG GET to find slow ones.\n";
  return out;
}

const latencyGroup = group('latency', [
  cmd('latency|doctor', ({ engine, w }) => w.verbatim('txt', latencyDoctor(engine))),
  cmd('latency|graph', ({ engine, args, w }) => {
    const e = slowlogOf(engine).latency.events.get(args[2]!);
    if (!e) return w.error(`ERR No samples available for event '${args[2]}'`);
    const now = Math.floor(Date.now() / 1000);
    const max = Math.max(1, ...e.samples.map((s) => s[1]));
    let g = `${args[2]} - high ${e.max} ms, low ${Math.min(...e.samples.map((s) => s[1]))} ms (all time high ${e.max} ms)\n`;
    g += '-'.repeat(80) + '\n';
    for (let row = 4; row >= 1; row--) {
      let line = '';
      for (const [, ms] of e.samples) line += ms * 4 >= max * row ? '#' : ' ';
      g += line + '\n';
    }
    g += e.samples.map(([t]) => `${now - t}s`.slice(-1)).join('') + '\n';
    w.verbatim('txt', g);
  }),
  cmd('latency|help', (ctx) => help(ctx, LATENCY_HELP)),
  cmd('latency|histogram', ({ engine, args, w }) => {
    const stats = statsOf(engine);
    const rows: [string, CommandStat][] = [];
    const add = (def: CommandDef) => {
      const c = stats.peek(def);
      if (c?.histogram) rows.push([def.fullname, c]);
    };
    if (args.length === 2) {
      for (const def of allCommands(engine)) add(def);
    } else {
      for (let i = 2; i < args.length; i++) {
        const def = lookupByFullname(engine, args[i]!);
        if (!def) continue;
        add(def);
        for (const s of subsOf(def)) add(s);
      }
    }
    w.map(rows.length);
    for (const [name, c] of rows) {
      w.bulk(name);
      writeHistogram(w, c);
    }
  }),
  cmd('latency|history', ({ engine, args, w }) => {
    const e = slowlogOf(engine).latency.events.get(args[2]!);
    const samples = e?.samples ?? [];
    w.array(samples.length);
    for (const [t, ms] of samples) {
      w.array(2);
      w.integer(t);
      w.integer(ms);
    }
  }),
  cmd('latency|latest', ({ engine, w }) => {
    const events = [...slowlogOf(engine).latency.events];
    w.array(events.length);
    for (const [name, e] of events) {
      const last = e.samples[e.samples.length - 1] ?? [0, 0];
      w.array(4);
      w.bulk(name);
      w.integer(last[0]);
      w.integer(last[1]);
      w.integer(e.max);
    }
  }),
  cmd('latency|reset', ({ engine, args, w }) => {
    w.integer(slowlogOf(engine).latency.reset(args.slice(2)));
  }),
]);

// ---------------------------------------------------------------------------------------------
// SLOWLOG
// ---------------------------------------------------------------------------------------------

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

const slowlogGroup = group('slowlog', [
  cmd('slowlog|get', (ctx) => {
    const { engine, args, w } = ctx;
    const log = slowlogOf(engine);
    let count = 10;
    if (args.length === 3) {
      const n = parseLL(args[2]!);
      if (n === undefined || n < -1n) return w.error('ERR count should be greater than or equal to -1');
      count = n === -1n ? log.entries.length : Number(n > 1000000000n ? 1000000000n : n);
    } else if (args.length > 3) return subcommandSyntaxError(ctx);
    const n = Math.min(count, log.entries.length);
    w.array(n);
    for (let i = 0; i < n; i++) {
      const e = log.entries[i]!;
      w.array(6);
      w.integer(e.id);
      w.integer(e.time);
      w.integer(e.duration);
      w.array(e.args.length);
      for (const a of e.args) w.bulk(a);
      w.bulk(e.peer);
      w.bulk(e.name);
    }
  }),
  cmd('slowlog|help', (ctx) => help(ctx, SLOWLOG_HELP)),
  cmd('slowlog|len', ({ engine, w }) => w.integer(slowlogOf(engine).entries.length)),
  cmd('slowlog|reset', ({ engine, w }) => {
    slowlogOf(engine).reset();
    w.simple('OK');
  }),
]);

// ---------------------------------------------------------------------------------------------
// MEMORY
// ---------------------------------------------------------------------------------------------

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

/** Keys in all databases. */
function totalKeys(engine: Engine): number {
  let n = 0;
  for (const db of engine.dbs) n += db.size;
  return n;
}

const memoryGroup = group('memory', [
  cmd('memory|doctor', ({ engine, w }) => {
    const text =
      totalKeys(engine) === 0
        ? "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
        : "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
    w.verbatim('txt', text);
  }),
  cmd('memory|help', (ctx) => help(ctx, MEMORY_HELP)),
  cmd('memory|malloc-stats', ({ w }) => w.verbatim('txt', 'Stats not supported for the current allocator')),
  cmd('memory|purge', ({ w }) => w.simple('OK')),
  cmd('memory|stats', ({ engine, w }) => {
    const m = memoryFigures(engine);
    const keys = totalKeys(engine);
    const dbs = engine.dbs.filter((d) => d.size > 0 || d.expires.size > 0);
    const overhead = m.used - m.dataset;
    const fields: [string, number, 'int' | 'double'][] = [
      ['peak.allocated', m.peak, 'int'],
      ['total.allocated', m.used, 'int'],
      ['startup.allocated', m.startup, 'int'],
      ['replication.backlog', 0, 'int'],
      ['clients.slaves', 0, 'int'],
      ['clients.normal', 0, 'int'],
      ['cluster.links', 0, 'int'],
      ['aof.buffer', 0, 'int'],
      ['lua.caches', 0, 'int'],
      ['functions.caches', 0, 'int'],
    ];
    const tail: [string, number, 'int' | 'double'][] = [
      ['overhead.db.hashtable.lut', 0, 'int'],
      ['overhead.db.hashtable.rehashing', 0, 'int'],
      ['overhead.total', overhead, 'int'],
      ['db.dict.rehashing.count', 0, 'int'],
      ['keys.count', keys, 'int'],
      ['keys.bytes-per-key', keys ? Math.floor((m.used - m.startup) / keys) : 0, 'int'],
      ['dataset.bytes', m.dataset, 'int'],
      ['dataset.percentage', m.used > m.startup ? (m.dataset * 100) / (m.used - m.startup) : 0, 'double'],
      ['peak.percentage', m.peak ? (m.used * 100) / m.peak : 0, 'double'],
      ['allocator.allocated', m.used, 'int'],
      ['allocator.active', m.used, 'int'],
      ['allocator.resident', m.rss, 'int'],
      ['allocator.muzzy', 0, 'int'],
      ['allocator-fragmentation.ratio', 1, 'double'],
      ['allocator-fragmentation.bytes', 0, 'int'],
      ['allocator.rss-ratio', m.used ? m.rss / m.used : 1, 'double'],
      ['allocator.rss-bytes', m.rss - m.used, 'int'],
      ['rss-overhead.ratio', 1, 'double'],
      ['rss-overhead.bytes', 0, 'int'],
      ['fragmentation', m.used ? m.rss / m.used : 1, 'double'],
      ['fragmentation.bytes', m.rss - m.used, 'int'],
    ];
    w.map(fields.length + dbs.length + tail.length);
    const put = ([k, v, t]: [string, number, 'int' | 'double']) => {
      w.bulk(k);
      if (t === 'int') w.integer(v);
      else w.double(v);
    };
    fields.forEach(put);
    for (const db of dbs) {
      w.bulk(`db.${db.id}`);
      w.map(2);
      w.bulk('overhead.hashtable.main');
      w.integer(db.size * DICT_ENTRY);
      w.bulk('overhead.hashtable.expires');
      w.integer(db.expires.size * DICT_ENTRY);
    }
    tail.forEach(put);
  }),
  cmd('memory|usage', ({ engine, client, args, w }) => {
    let samples = 5;
    for (let j = 3; j < args.length; j++) {
      if (args[j]!.toLowerCase() === 'samples' && j + 1 < args.length) {
        const n = parseLL(args[j + 1]!);
        if (n === undefined) return w.error(Errors.notInteger);
        if (n < 0n) return w.error(Errors.syntax);
        samples = n === 0n ? Number.MAX_SAFE_INTEGER : Number(n);
        j++;
      } else return w.error(Errors.syntax);
    }
    const db = engine.db(client);
    const e = db.entry(args[2]!);
    if (!e) {
      engine.stats.keyspace_misses++;
      return w.null();
    }
    engine.stats.keyspace_hits++;
    const v = e.value;
    const mod = v instanceof ModuleValue ? engine.moduleTypes.memUsage(v, args[2]!, db.id, samples) : undefined;
    w.integer(memoryUsage(args[2]!, v, samples, mod));
  }),
]);

// ---------------------------------------------------------------------------------------------
// The family
// ---------------------------------------------------------------------------------------------

export const serverCommands: CommandDef[] = [
  cmd('time', ({ w }) => {
    const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    w.array(2);
    w.bulk(String(Math.floor(us / 1e6)));
    w.bulk(String(us % 1e6));
  }),

  cmd('dbsize', ({ engine, client, w }) => w.integer(engine.db(client).size)),

  cmd('lastsave', ({ engine, w }) => w.integer(Math.floor(statsOf(engine).lastSave / 1000))),

  cmd('flushdb', (ctx) => {
    if (!flushOption(ctx, 1)) return;
    const { engine, client, w } = ctx;
    const async = flushIsAsync(engine, ctx.args, 1);
    fireFlush(engine, 0, client.db, async);
    engine.dirty += flushDb(engine, engine.db(client));
    fireFlush(engine, 1, client.db, async);
    w.simple('OK');
  }),

  cmd('flushall', (ctx) => {
    if (!flushOption(ctx, 1)) return;
    const { engine, w } = ctx;
    let n = 0;
    const async = flushIsAsync(engine, ctx.args, 1);
    fireFlush(engine, 0, -1, async);
    for (const db of engine.dbs) n += flushDb(engine, db);
    fireFlush(engine, 1, -1, async);
    engine.dirty += n;
    afterFlushAll(engine);
    engine.dirty++;
    w.simple('OK');
  }),

  cmd('swapdb', ({ engine, args, w }) => {
    const a = parseLL(args[1]!);
    if (a === undefined || a > 2147483647n || a < -2147483648n) return w.error('ERR invalid first DB index');
    const b = parseLL(args[2]!);
    if (b === undefined || b > 2147483647n || b < -2147483648n) return w.error('ERR invalid second DB index');
    const n = engine.dbs.length;
    const i = Number(a);
    const j = Number(b);
    if (i < 0 || i >= n || j < 0 || j >= n) return w.error(Errors.dbIndexRange);
    if (i !== j) {
      const d1 = engine.dbs[i]!;
      const d2 = engine.dbs[j]!;
      signalSwappedDbs(engine, i, j);
      d1.swapWith(d2);
      // Blocked clients stay in their database: what it now holds may serve them.
      engine.blocking.scanDatabase(i);
      engine.blocking.scanDatabase(j);
      engine.dirty++;
    }
    fireServerEvent(engine, EVENT_SWAPDB, 0, { first: i, second: j });
    w.simple('OK');
  }),

  cmd('info', ({ engine, args, w }) => w.verbatim('txt', infoText(engine, args.slice(1)))),

  cmd('debug', debugCommand),

  configGroup,
  commandGroup,
  functionGroup,
  latencyGroup,
  slowlogGroup,
  memoryGroup,
];
