/**
 * Module loading, unloading and listing, and dispatch of module commands into native code.
 *
 * A module command costs one crossing in (the packed argument block is already in native
 * memory's view) and one out; its replies come back on the native reply tape, decoded once
 * into whichever ReplyWriter the caller uses.
 */
import type { Engine } from '../engine/engine.js';
import type { CommandContext, CommandDef } from '../commands/table.js';
import type { ReplyWriter } from '../protocol/writer.js';
import { decodeTape } from './tape.js';
import { addon, type NativeCommand, type NativeHost, type NativeModule } from './native.js';
import { createKeyBridge } from './key-bridge.js';
import { createCallBridge } from './call-bridge.js';
import { BlockedBridge } from './blocked-bridge.js';

/** What `engine.modules()` and MODULE LIST report for a module. */
export interface ModuleInfo {
  name: string;
  ver: number;
  path: string;
  args: string[];
}

/** Valkey's reply when a module fails to load, whatever the reason (the log says why). */
export const LOAD_ERROR = 'ERR Error loading the extension. Please check the server logs.';

interface Latin1Buffer extends Buffer {
  latin1Write(s: string, offset: number): number;
}

export class ModuleRegistry {
  readonly native: NativeHost;
  private argBuf: Latin1Buffer;
  private argLens: Uint32Array;
  private tape: Buffer;

  constructor(private readonly engine: Engine) {
    this.native = new addon.NativeHost({
      log: (level, line) => engine.logger.log(level, line),
      commandExists: (name) => engine.commands.has(name),
      key: createKeyBridge(engine),
      call: createCallBridge(engine),
    });
    this.argBuf = Buffer.allocUnsafeSlow(64 * 1024) as Latin1Buffer;
    this.argLens = new Uint32Array(this.argBuf.buffer, 0, this.argBuf.length >>> 2);
    this.native.setArgBuffer(this.argBuf);
    this.tape = this.native.tapeBuffer();
    this.blocked = new BlockedBridge(engine, this.native);
  }

  /** Module blocked clients (BlockClient and friends). */
  readonly blocked: BlockedBridge;

  /**
   * Loads a module and registers its commands. Returns the module, or null when loading
   * failed (the reason is in the log, as Valkey does it); the engine is then unchanged.
   */
  load(path: string, args: string[]): NativeModule | null {
    const m = this.native.loadModule(path, args);
    if (!m) return null;
    for (const c of m.commands) this.engine.commands.add(this.commandDef(c, m.name));
    return m;
  }

  /** Unloads a module; returns "" or Valkey's reason text. */
  unload(name: string): string {
    const m = this.native.modules().find((x) => x.name.toLowerCase() === name.toLowerCase());
    const reason = this.native.unloadModule(name);
    if (reason === '' && m) for (const c of m.commands) this.engine.commands.remove(c.name);
    return reason;
  }

  /** Loaded modules in load order. */
  list(): ModuleInfo[] {
    return this.native.modules().map((m) => ({ name: m.name, ver: m.ver, path: m.path, args: m.args }));
  }

  /** The native descriptions of a module's commands, or null for an unknown module. */
  commandsOf(name: string): NativeCommand[] | null {
    return this.native.moduleCommands(name);
  }

  /** Builds the command-table entry for a module command (and its subcommands). */
  private commandDef(c: NativeCommand, module: string, parent?: CommandDef): CommandDef {
    const def: CommandDef = {
      name: c.name.toLowerCase(),
      fullname: c.fullname,
      arity: c.arity,
      flags: c.flags,
      firstKey: c.firstkey,
      lastKey: c.lastkey,
      keyStep: c.keystep,
      categories: c.aclCategories,
      module,
      meta: c,
    };
    if (parent) def.parent = parent;
    if (c.subcommands.length > 0 || c.container) {
      def.subcommands = new Map();
      for (const s of c.subcommands) def.subcommands.set(s.name.toLowerCase(), this.commandDef(s, module, def));
    } else {
      const id = c.id;
      def.handler = (ctx) => this.dispatch(id, ctx);
    }
    return def;
  }

  /** Packs the arguments into the shared block; returns false when they do not fit. */
  private pack(args: string[]): void {
    const argc = args.length;
    let need = 4 * argc;
    for (let i = 0; i < argc; i++) need += args[i]!.length;
    if (need > this.argBuf.length) {
      const size = Math.max(need, this.argBuf.length * 2);
      this.argBuf = Buffer.allocUnsafeSlow(size + (4 - (size & 3))) as Latin1Buffer;
      this.argLens = new Uint32Array(this.argBuf.buffer, 0, this.argBuf.length >>> 2);
      this.native.setArgBuffer(this.argBuf);
    }
    const lens = this.argLens;
    const buf = this.argBuf;
    let off = 4 * argc;
    for (let i = 0; i < argc; i++) {
      const s = args[i]!;
      lens[i] = s.length;
      if (s.length > 0) off += buf.latin1Write(s, off);
    }
  }

  /** Runs module command `id` for ctx.client and writes its replies to ctx.w. Returns a
   *  Promise when the command blocked its client (BlockClient). */
  dispatch(id: number, ctx: CommandContext): void | Promise<void> {
    const { client, args } = ctx;
    this.pack(args);
    let len = this.native.call(id, args.length, client.id, client.proto, client.db, client.ctxFlags);
    if (typeof len !== 'number') {
      // A module command run from inside another one (ValkeyModule_Call): its own tape. It
      // may have blocked the call's fake client (a call with `K`).
      decodeTape(len, 0, len.length, ctx.w);
      if (this.blocked.pending) return this.blocked.block(ctx);
      return;
    }
    if (len < 0) {
      len = -len - 1;
      this.tape = this.native.tapeBuffer();
    }
    this.decode(len, ctx.w);
    if (this.blocked.pending) return this.blocked.block(ctx);
  }

  private decode(len: number, w: ReplyWriter): void {
    decodeTape(this.tape, 0, len, w);
  }

  /** Key (or channel) positions of a module command for the given arguments. */
  positions(def: CommandDef, args: string[], channels = false): Int32Array | null {
    const id = (def.meta as NativeCommand | undefined)?.id;
    if (id === undefined) return null;
    this.pack(args);
    return this.native.getKeys(id, args.length, channels);
  }
}
