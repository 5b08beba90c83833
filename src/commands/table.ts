/**
 * The command table: one place that knows every command, core and module, with its
 * arity, flags and key positions. Lookup is case-insensitive with an exact-spelling cache
 * so the hot path does not lowercase every command name.
 */
import type { ReplyWriter } from '../protocol/writer.js';
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';

/** What a command handler gets. `args[0]` is the command name as sent. */
export interface CommandContext {
  engine: Engine;
  client: Client;
  /** Arguments as one-byte (latin1) strings: each char is one byte. */
  args: string[];
  w: ReplyWriter;
}

/** A handler writes its reply to ctx.w; it may return a Promise when it blocks. */
export type CommandHandler = (ctx: CommandContext) => void | Promise<void>;

export interface CommandDef {
  /** Lower-case name ("module", or "load" for a subcommand). */
  name: string;
  /** Name for errors and COMMAND output: "module|load"; module commands keep their case. */
  fullname: string;
  arity: number;
  flags: string[];
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /** ACL categories, e.g. ["@admin", "@slow"]. */
  categories?: string[];
  handler?: CommandHandler;
  /** Present on container commands. */
  subcommands?: Map<string, CommandDef>;
  parent?: CommandDef;
  /** Name of the module that registered it. */
  module?: string;
  /** Extra data the owner keeps (module commands: the native description). */
  meta?: unknown;
  /** Core commands: Valkey's spec (docs, key specs, arguments). */
  spec?: import('./spec.js').RawCommandSpec;
}

/** Lower-cases ASCII letters only (command names are bytes, not text). */
export function asciiLower(s: string): string {
  return s.toLowerCase();
}

export class CommandTable {
  private byName = new Map<string, CommandDef>();
  private exact = new Map<string, CommandDef>();

  /** Adds a top-level command; replaces nothing (callers check `has` first). */
  add(def: CommandDef): void {
    this.byName.set(def.name, def);
    this.exact.clear();
  }

  /** Removes a top-level command by name (any case). */
  remove(name: string): void {
    this.byName.delete(asciiLower(name));
    this.exact.clear();
  }

  /** Finds a top-level command by name in any case; undefined when unknown. */
  get(name: string): CommandDef | undefined {
    const hit = this.exact.get(name);
    if (hit) return hit;
    const def = this.byName.get(asciiLower(name));
    if (def && this.exact.size < 4096) this.exact.set(name, def);
    return def;
  }

  /** Whether a command exists: "name" or "parent|sub", any case. */
  has(fullname: string): boolean {
    const lower = asciiLower(fullname);
    const bar = lower.indexOf('|');
    if (bar < 0) return this.byName.has(lower);
    const parent = this.byName.get(lower.slice(0, bar));
    return !!parent?.subcommands?.has(lower.slice(bar + 1));
  }

  /** Every top-level command. */
  all(): IterableIterator<CommandDef> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }
}
