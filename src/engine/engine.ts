/**
 * The embedded engine: command table, clients, modules and logging, with no network.
 *
 *   const engine = new Engine();
 *   engine.loadModule('./helloworld.so');
 *   await engine.call('HELLOWORLD.RAND');
 */
import { CommandTable, type CommandDef } from '../commands/table.js';
import { connectionCommands } from '../commands/connection.js';
import { moduleCommands } from '../commands/module.js';
import { Errors } from '../commands/define.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { Reply } from '../protocol/reply.js';
import { Client, type Arg, type ClientOptions, toByteString } from '../server/client.js';
import { ModuleRegistry, LOAD_ERROR, type ModuleInfo } from '../modules/registry.js';
import { addon, type NativeCommand } from '../modules/native.js';
import { Logger, LL_NOTICE, LL_WARNING, parseLogLevel, type LogLevelName, type LogTarget } from './log.js';

export interface EngineOptions {
  /** Number of databases (default 16). */
  databases?: number;
  /** Where log lines go (default: kept in memory only). */
  log?: LogTarget;
  /** Valkey's loglevel (default notice). */
  loglevel?: LogLevelName;
  /** enable-module-command: "yes", "no" or "local" (default; embedded clients are local). */
  enableModuleCommand?: 'yes' | 'no' | 'local';
}

interface ResolvedOptions {
  databases: number;
  enableModuleCommand: 'yes' | 'no' | 'local';
}

/** Thrown by engine.loadModule/unloadModule: `message` is Valkey's reply text, `reasons`
 *  the log lines that explain it. */
export class ModuleError extends Error {
  constructor(message: string, readonly reasons: string[] = []) {
    super(reasons.length ? `${message} (${reasons.join('; ')})` : message);
    this.name = 'ModuleError';
  }
}

/** VALKEYMODULE_CTX_FLAGS_PRIMARY: this engine is always a primary. */
const CTX_FLAGS_PRIMARY = 1 << 2;

/** Per-area API coverage, from native/api/table.cc. */
export interface ApiCoverage {
  areas: { area: string; implemented: number; total: number }[];
  implemented: number;
  total: number;
}

/** API coverage by area, straight from the native table. */
export function apiCoverage(): ApiCoverage {
  const areas: ApiCoverage['areas'] = [];
  const byArea = new Map<string, { area: string; implemented: number; total: number }>();
  let implemented = 0;
  for (const [area, , impl] of addon.apiTable()) {
    let a = byArea.get(area);
    if (!a) {
      a = { area, implemented: 0, total: 0 };
      byArea.set(area, a);
      areas.push(a);
    }
    a.total++;
    if (impl) {
      a.implemented++;
      implemented++;
    }
  }
  return { areas, implemented, total: areas.reduce((n, a) => n + a.total, 0) };
}

export class Engine {
  readonly options: ResolvedOptions;
  readonly logger: Logger;
  readonly commands = new CommandTable();
  readonly registry: ModuleRegistry;
  private nextClientId = 1;
  private readonly defaultClient: Client;

  constructor(options: EngineOptions = {}) {
    this.options = {
      databases: options.databases ?? 16,
      enableModuleCommand: options.enableModuleCommand ?? 'local',
    };
    const level = options.loglevel ? parseLogLevel(options.loglevel) : LL_NOTICE;
    if (level === undefined) throw new Error(`invalid loglevel '${options.loglevel}'`);
    this.logger = new Logger(options.log ?? 'silent', level);
    for (const def of [...connectionCommands, ...moduleCommands]) this.commands.add(def);
    this.registry = new ModuleRegistry(this);
    this.registry.native.setServerFlags(CTX_FLAGS_PRIMARY);
    this.registry.native.setVerbosity(level);
    this.defaultClient = this.client();
  }

  /** Opens another client (its own protocol, database and name). */
  client(opts: ClientOptions = {}): Client {
    return new Client(this, this.nextClientId++, opts);
  }

  /** Runs a command on the default client. Await the result: blocking commands return a Promise. */
  call(...args: Arg[]): Reply | Promise<Reply> {
    return this.defaultClient.call(...args);
  }

  /**
   * Loads a module (.so) with optional arguments; returns what MODULE LIST shows for it.
   * Throws a ModuleError carrying Valkey's reply text and the logged reason.
   */
  loadModule(path: string, args: Arg[] = []): ModuleInfo {
    const before = this.logger.lines().length;
    const m = this.loadModuleRaw(path, args.map(toByteString), []);
    if (!m) throw new ModuleError(LOAD_ERROR, this.logger.lines().slice(before));
    return m;
  }

  /** Unloads a module by name; throws a ModuleError with Valkey's text on refusal. */
  unloadModule(name: string): void {
    const reason = this.unloadModuleRaw(name);
    if (reason !== '') throw new ModuleError(`ERR Error unloading module: ${reason}`);
  }

  /** Loads with byte-string args and LOADEX configs; null on failure (reason logged). */
  loadModuleRaw(path: string, args: string[], configs: [string, string][]): ModuleInfo | null {
    const m = this.registry.load(path, args);
    if (!m) return null;
    if (configs.length > 0) {
      // No module config API yet: LOADEX configs cannot be consumed.
      this.logger.log(
        LL_WARNING,
        'Loadex configurations were not applied, likely due to invalid arguments. Unloading the module.',
      );
      this.registry.unload(m.name);
      return null;
    }
    return { name: m.name, ver: m.ver, path: m.path, args: m.args };
  }

  /** Unloads; returns "" or the reason text. */
  unloadModuleRaw(name: string): string {
    return this.registry.unload(name);
  }

  /** Loaded modules in load order, as MODULE LIST reports them. */
  modules(): ModuleInfo[] {
    return this.registry.list();
  }

  /** A module's commands as the addon describes them (COMMAND INFO data). */
  moduleCommands(name: string): NativeCommand[] {
    const c = this.registry.commandsOf(name);
    if (!c) throw new Error(`no such module '${name}'`);
    return c;
  }

  /** Keys of a module command for these arguments (COMMAND GETKEYSANDFLAGS data). */
  getKeys(...args: Arg[]): { keys: string[]; flags: number[] } | null {
    const argv = args.map(toByteString);
    let def = this.commands.get(argv[0] ?? '');
    if (def?.subcommands && argv.length > 1) def = def.subcommands.get(argv[1]!.toLowerCase());
    if (!def) return null;
    const pos = this.registry.positions(def, argv);
    if (!pos) return null;
    const keys: string[] = [];
    const flags: number[] = [];
    for (let i = 0; i < pos.length; i += 2) {
      keys.push(argv[pos[i]!]!);
      flags.push(pos[i + 1]!);
    }
    return { keys, flags };
  }

  /** API coverage by area (the same data as `vmhost apis`). */
  apiCoverage(): ApiCoverage {
    return apiCoverage();
  }

  /**
   * Looks the command up, checks arity and runs it for `client`, writing the reply to `w`.
   * Returns a Promise only when the command blocks.
   */
  execute(client: Client, args: string[], w: ReplyWriter): void | Promise<void> {
    const name = args[0]!;
    let def: CommandDef | undefined = this.commands.get(name);
    if (!def) return w.error(unknownCommand(args));
    if (def.subcommands) {
      if (args.length === 1) return w.error(Errors.wrongArity(def.fullname));
      const sub: CommandDef | undefined = def.subcommands.get(args[1]!.toLowerCase());
      if (!sub) {
        return w.error(
          `ERR unknown subcommand '${clip(args[1]!, 128)}'. Try ${name.toUpperCase()} HELP.`,
        );
      }
      def = sub;
    }
    const arity = def.arity;
    if ((arity > 0 && args.length !== arity) || args.length < -arity) return w.error(Errors.wrongArity(def.fullname));
    try {
      return def.handler!({ engine: this, client, args, w });
    } catch (err) {
      w.error(`ERR ${(err as Error).message.replace(/[\r\n]+/g, ' ')}`);
    }
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

/** Valkey's unknown-command error: the name (128 bytes max) and the first arguments. */
function unknownCommand(args: string[]): string {
  let rest = '';
  for (let i = 1; i < args.length && rest.length < 128; i++) rest += `'${clip(args[i]!, 128 - rest.length)}' `;
  return `ERR unknown command '${clip(args[0]!, 128)}', with args beginning with: ${rest}`.replace(/[\r\n]/g, ' ');
}
