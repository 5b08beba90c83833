/**
 * Typed binding to the C++ addon (native/addon.cc). Loaded once per process.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A module command as the addon describes it (COMMAND INFO/DOCS data). */
export interface NativeCommand {
  id: number;
  name: string;
  fullname: string;
  arity: number;
  flags: string[];
  firstkey: number;
  lastkey: number;
  keystep: number;
  aclCategories: string[];
  summary?: string;
  complexity?: string;
  since?: string;
  history: [string, string][];
  tips: string[];
  keySpecs: unknown[];
  args: unknown[];
  subcommands: NativeCommand[];
  module: string;
  /** True for a container command (subcommands only, no function). */
  container?: boolean;
}

/** A loaded module as the addon describes it. */
export interface NativeModule {
  name: string;
  ver: number;
  apiver: number;
  path: string;
  /** OnLoad arguments as one-byte (latin1) strings. */
  args: string[];
  options: number;
  /** Command filters the module registered (INFO modules `filters=`). */
  filters: number;
  /** Modules that got one of this module's shared APIs (INFO modules `usedby=`). */
  usedby?: string[];
  /** Modules whose shared APIs this module got (INFO modules `using=`). */
  using?: string[];
  commands: NativeCommand[];
}

export interface NativeHostHooks {
  /** A log line from native code: level is Valkey's LL_* (0 debug .. 3 warning). */
  log(level: number, line: string): void;
  /** Whether a command (full name, any case) exists in the engine's table. */
  commandExists(fullname: string): boolean;
  /** The key bridge: one call per module key API operation (src/modules/key-bridge.ts). */
  key(op: number, db: number, key: string | null, a: unknown, b: unknown): unknown;
  /** The call bridge: ValkeyModule_Call and the replication API (src/modules/call-bridge.ts). */
  call(op: number, flags: number, clientId: number, db: number, resp: number, ...argv: (string | string[])[]): unknown;
}

export interface NativeHost {
  loadModule(path: string, args: string[]): NativeModule | null;
  unloadModule(name: string): string;
  modules(): NativeModule[];
  moduleCommands(name: string): NativeCommand[] | null;
  setArgBuffer(buf: Buffer): void;
  /** The tape length (see registry.ts), or, for a command nested in another one
   *  (ValkeyModule_Call), a Buffer holding its own tape. */
  call(id: number, argc: number, clientId: number, resp: number, db: number, flags: number): number | Buffer;
  tapeBuffer(): Buffer;
  getKeys(id: number, argc: number, channels: boolean): Int32Array | null;
  setServerFlags(flags: number): void;
  setVerbosity(level: number): void;
  /** Module blocked clients (op codes in native/host/blocked.h; typed by blocked-bridge.ts). */
  blocked(op: number, ...args: unknown[]): unknown;
  /** Fires a server event to the listening modules (src/modules/server-events.ts); returns the callbacks run. */
  fireServerEvent(id: number, subevent: number, ...payload: unknown[]): number;
  /** Module data type operations (src/modules/module-types.ts, native/host/modtype.h). */
  moduleType(op: number, ...args: unknown[]): unknown;
}

interface Addon {
  NativeHost: new (hooks: NativeHostHooks) => NativeHost;
  apiTable(): [area: string, name: string, implemented: boolean, reason: string | null][];
  /** The global lock (native/host/gil.h): taken / released by the JS thread around top-level commands. */
  gilAcquire(): void;
  gilRelease(): void;
  /** [0] turns 1 once module threads used the lock: only then do commands take it. */
  gilState(): Int32Array;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository (package) root: dist/src/modules -> ../../.. */
export const packageRoot = path.resolve(here, '..', '..', '..');

const require = createRequire(import.meta.url);
/** The loaded addon (VMHOST_ADDON=<path> loads another build, e.g. scripts/asan-stress.sh's). */
export const addon: Addon = require(
  process.env.VMHOST_ADDON ?? path.join(packageRoot, 'build', 'Release', 'vmhost.node'),
) as Addon;
