/** Small helpers for declaring core commands and writing common replies. */
import type { CommandDef, CommandHandler } from './table.js';
import { legacyRange, specOf, type RawCommandSpec } from './spec.js';

/**
 * A core command's ACL categories as Valkey builds them: the spec's own plus the implicit
 * ones its flags give (write, read, admin+dangerous, pubsub, fast, blocking, and slow for
 * every command that is not fast), as "@name".
 */
export function specCategories(spec: RawCommandSpec): string[] {
  const cats = new Set<string>();
  for (const c of spec.acl_categories ?? []) cats.add(c.toLowerCase());
  const flags = new Set((spec.command_flags ?? []).map((f) => f.toLowerCase()));
  if (flags.has('write')) cats.add('write');
  if (flags.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (flags.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (flags.has('pubsub')) cats.add('pubsub');
  if (flags.has('fast')) cats.add('fast');
  if (flags.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return [...cats].map((c) => `@${c}`);
}

/**
 * Declares a core command from its Valkey spec (arity, flags, ACL categories and key specs
 * come from specs.generated.ts). `fullname` is "get" or "config|get".
 */
export function cmd(fullname: string, handler: CommandHandler): CommandDef {
  const spec = specOf(fullname);
  if (!spec) throw new Error(`no command spec for '${fullname}'`);
  const bar = fullname.indexOf('|');
  const range = legacyRange(spec);
  return {
    name: (bar < 0 ? fullname : fullname.slice(bar + 1)).toLowerCase(),
    fullname: fullname.toLowerCase(),
    arity: spec.arity,
    flags: (spec.command_flags ?? []).map((f) => f.toLowerCase()),
    firstKey: range.first,
    lastKey: range.last,
    keyStep: range.step,
    categories: specCategories(spec),
    handler,
    spec,
  };
}

/** Declares a core container command (e.g. "config") from its spec and its subcommands. */
export function group(name: string, subs: CommandDef[]): CommandDef {
  const spec = specOf(name);
  if (!spec) throw new Error(`no command spec for '${name}'`);
  const parent: CommandDef = {
    name: name.toLowerCase(),
    fullname: name.toLowerCase(),
    arity: spec.arity,
    flags: (spec.command_flags ?? []).map((f) => f.toLowerCase()),
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    categories: specCategories(spec),
    subcommands: new Map(),
    spec,
  };
  for (const s of subs) {
    s.parent = parent;
    parent.subcommands!.set(s.name, s);
  }
  return parent;
}

/** Declares a core command without a spec: arity and flags given by hand. */
export function command(
  name: string,
  arity: number,
  flags: string[],
  handler: CommandHandler,
  keys: [first: number, last: number, step: number] = [0, 0, 0],
  categories: string[] = [],
): CommandDef {
  return {
    name: name.toLowerCase(),
    fullname: name.toLowerCase(),
    arity,
    flags,
    firstKey: keys[0],
    lastKey: keys[1],
    keyStep: keys[2],
    categories,
    handler,
  };
}

export type { RawCommandSpec };

/** Valkey's error texts used across command families. */
export const Errors = {
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  dbIndexRange: 'ERR DB index is out of range',
  wrongArity: (fullname: string) => `ERR wrong number of arguments for '${fullname}' command`,
};

/** Strict integer parse with Valkey's string2ll rules; undefined when not an integer. */
export function parseInteger(s: string): number | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    const b = BigInt(s);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return undefined;
  }
  return n;
}
