/**
 * Bridge operations of the module configs API area (native/api/configs.cc).
 *
 * Register*Config adds a `module.name` parameter to the engine's parameter table
 * (src/engine/config.ts); CONFIG GET/SET/REWRITE then reach the module's callbacks through
 * the accessor function native code hands over. Values are parsed here with Valkey's rules
 * (yes/no, integers or memory units within [min, max], enum names combined under BITFLAGS)
 * and passed to native code as text: bool "1"/"0", numeric and enum in decimal.
 * LoadConfigs applies queued values (MODULE LOADEX CONFIG first, then the config file's
 * `module.name value` lines) or the defaults.
 */
import type { Engine } from '../engine/engine.js';
import {
  configOf,
  DENY_LOADING,
  HIDDEN,
  IMMUTABLE,
  memtoull,
  MULTI_ARG,
  PROTECTED,
  SENSITIVE,
  string2ll,
  type ConfigParam,
} from '../engine/config.js';
import { configFileState, formatMemory } from '../server/config-file.js';

const OP_REGISTER = 850;
const OP_LOAD = 851;
const OP_UNREGISTER = 852;

// VALKEYMODULE_CONFIG_* flags.
const M_IMMUTABLE = 1 << 0;
const M_SENSITIVE = 1 << 1;
const M_HIDDEN = 1 << 4;
const M_PROTECTED = 1 << 5;
const M_DENY_LOADING = 1 << 6;
const M_MEMORY = 1 << 7;
const M_BITFLAGS = 1 << 8;

/** The accessor native code gives: get -> text; set/apply -> error text or null. */
type Accessor = (name: string, action: 'get' | 'set' | 'apply' | 'applykey', value?: string) => string | null;

interface Descriptor {
  name: string;
  type: number; // 0 bool, 1 numeric, 2 string, 3 enum
  flags: number;
  def: unknown;
  min?: string;
  max?: string;
  enumNames?: string[];
  enumValues?: number[];
}

/** Per engine: the registered module params and the LOADEX values waiting for LoadConfigs. */
interface ConfigsState {
  params: Map<string, { param: ConfigParam; module: string }>;
  loadex: Map<string, string>;
}

const states = new WeakMap<Engine, ConfigsState>();

function stateOf(engine: Engine): ConfigsState {
  let s = states.get(engine);
  if (!s) {
    s = { params: new Map(), loadex: new Map() };
    states.set(engine, s);
  }
  return s;
}

/** Queues MODULE LOADEX CONFIG pairs for the module being loaded (consumed by LoadConfigs). */
export function queueLoadexConfigs(engine: Engine, pairs: [string, string][]): void {
  const s = stateOf(engine);
  s.loadex.clear();
  for (const [n, v] of pairs) s.loadex.set(n.toLowerCase(), v);
}

/** Drops LOADEX values LoadConfigs did not consume; true when there were any. */
export function takeUnusedLoadexConfigs(engine: Engine): boolean {
  const s = stateOf(engine);
  const left = s.loadex.size > 0;
  s.loadex.clear();
  return left;
}

function mapFlags(f: number): number {
  let out = 0;
  if (f & M_IMMUTABLE) out |= IMMUTABLE;
  if (f & M_SENSITIVE) out |= SENSITIVE;
  if (f & M_HIDDEN) out |= HIDDEN;
  if (f & M_PROTECTED) out |= PROTECTED;
  if (f & M_DENY_LOADING) out |= DENY_LOADING;
  if (f & M_BITFLAGS) out |= MULTI_ARG;
  return out;
}

/** Builds the parameter of one module config. */
function makeParam(d: Descriptor, access: Accessor): ConfigParam {
  const name = d.name;
  const flags = mapFlags(d.flags);
  const base = {
    name,
    flags,
    read: () => access(name, 'get') ?? '',
    moduleSet: (v: unknown) => access(name, 'set', String(v)) ?? undefined,
    moduleApplyKey: () => access(name, 'applykey'),
    moduleApply: () => access(name, 'apply') ?? undefined,
  };
  switch (d.type) {
    case 0:
      return {
        ...base,
        type: 'bool',
        default: d.def === 'yes' ? '1' : '0',
        parse(args) {
          const a = args[0]!.toLowerCase();
          if (a !== 'yes' && a !== 'no') return { error: "argument must be 'yes' or 'no'" };
          return { value: a === 'yes' ? '1' : '0' };
        },
        format: (v) => (v === '1' ? 'yes' : 'no'),
      };
    case 1: {
      const min = BigInt(d.min!);
      const max = BigInt(d.max!);
      const memory = (d.flags & M_MEMORY) !== 0;
      return {
        ...base,
        type: 'special',
        default: String(d.def),
        parse(args) {
          const a = args[0]!;
          let v: bigint | undefined;
          if (memory) {
            v = memtoull(a);
            if (v === undefined) return { error: 'argument must be a memory value' };
            if (v > 9223372036854775807n) v -= 18446744073709551616n; // as the long long it is stored in
          } else {
            v = string2ll(a);
            if (v === undefined) return { error: "argument couldn't be parsed into an integer" };
          }
          if (v < min || v > max) return { error: `argument must be between ${min} and ${max} inclusive` };
          return { value: String(v) };
        },
        format: (v) => String(v),
        // CONFIG REWRITE writes MEMORY values as Valkey does (1gb, 64mb, 2kb, or bytes).
        ...(memory ? { rewriteValue: (v: string) => formatMemory(BigInt(v)) } : {}),
      };
    }
    case 3: {
      const names = d.enumNames ?? [];
      const values = d.enumValues ?? [];
      const bitflags = (d.flags & M_BITFLAGS) !== 0;
      return {
        ...base,
        type: 'enum',
        default: String(d.def),
        parse(args) {
          let v = 0;
          let ok = args.length > 0 && (bitflags || args.length === 1);
          for (const a of ok ? args : []) {
            const i = names.findIndex((n) => n.toLowerCase() === a.toLowerCase());
            if (i < 0) {
              ok = false;
              break;
            }
            v |= values[i]!;
          }
          if (!ok) return { error: `argument(s) must be one of the following: ${names.join(', ')}` };
          return { value: String(v) };
        },
        format(raw) {
          const value = Number(raw);
          let out: string[] | undefined;
          let unmatched = value;
          for (let i = 0; i < names.length; i++) {
            const val = values[i]!;
            if (value === val) return names[i]!;
            if (bitflags && val && val === (unmatched & val)) {
              (out ??= []).push(names[i]!);
              unmatched &= ~val;
            }
          }
          if (!out || unmatched) return 'unknown';
          return out.join(' ');
        },
      };
    }
    default:
      return {
        ...base,
        type: 'string',
        default: d.def === null || d.def === undefined ? '' : String(d.def),
        parse: (args) => ({ value: args[0]! }),
        format: (v) => String(v),
      };
  }
}

/** Parses a value for a param (MULTI_ARG values split on spaces). */
function parseFor(engine: Engine, p: ConfigParam, raw: string): { value: unknown; error?: undefined } | { error: string } {
  const args = p.flags & MULTI_ARG ? raw.split(/[ \t]+/).filter(Boolean) : [raw];
  return p.parse(args, configOf(engine));
}

/** LoadConfigs: queued values, else defaults, through the set callbacks; then the apply
 *  callbacks (once per callback and privdata). Returns [name, error] on the first failure. */
function loadConfigs(engine: Engine, module: string): [string, string] | null {
  const s = stateOf(engine);
  const file = configFileState(engine).moduleConfigs;
  const mine = [...s.params.values()].filter((e) => e.module === module).map((e) => e.param);
  for (const p of mine) {
    const lower = p.name.toLowerCase();
    let raw: string | undefined;
    let fromQueue = false;
    if (s.loadex.has(lower)) {
      raw = s.loadex.get(lower)!;
      fromQueue = true;
    } else if (file.has(lower)) {
      raw = file.get(lower)!;
      fromQueue = true;
    }
    s.loadex.delete(lower);
    file.delete(lower);
    let value: unknown;
    if (fromQueue) {
      const r = parseFor(engine, p, raw!);
      if (r.error !== undefined) return [p.name, r.error];
      value = r.value;
    } else {
      value = p.default;
    }
    const err = p.moduleSet!(value);
    if (err !== undefined) return [p.name, err];
  }
  const applied = new Set<string>();
  for (const p of mine) {
    const key = p.moduleApplyKey!();
    if (key === null || applied.has(key)) continue;
    applied.add(key);
    const err = p.moduleApply!();
    if (err !== undefined) return [p.name, err];
  }
  return null;
}

/** Runs one configs bridge operation (op numbers in native/api/configs.cc); `key` may be null. */
export function configsKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void db;
  void key;
  const s = stateOf(engine);
  switch (op) {
    case OP_REGISTER: {
      const d = a as Descriptor;
      const p = makeParam(d, b as Accessor);
      const module = d.name.slice(0, d.name.indexOf('.'));
      if (!configOf(engine).registerModuleParam(p)) return false;
      s.params.set(d.name.toLowerCase(), { param: p, module });
      return true;
    }
    case OP_LOAD:
      return loadConfigs(engine, a as string);
    case OP_UNREGISTER: {
      const name = a as string;
      configOf(engine).unregisterModuleParam(name);
      s.params.delete(name.toLowerCase());
      return undefined;
    }
  }
  return undefined;
}
