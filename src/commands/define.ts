/** Small helpers for declaring core commands and writing common replies. */
import type { CommandDef, CommandHandler } from './table.js';

/** Declares a core command: arity and flags as in Valkey's command table. */
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

/** Declares a container command whose subcommands are given as definitions. */
export function container(name: string, flags: string[], subs: CommandDef[], categories: string[] = []): CommandDef {
  const parent: CommandDef = {
    name: name.toLowerCase(),
    fullname: name.toLowerCase(),
    arity: -2,
    flags,
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    categories,
    subcommands: new Map(),
  };
  for (const s of subs) {
    s.parent = parent;
    s.fullname = `${parent.name}|${s.name}`;
    parent.subcommands!.set(s.name, s);
  }
  return parent;
}

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
