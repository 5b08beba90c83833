/**
 * The embedded engine: command table, clients, modules and logging, with no network.
 *
 *   const engine = new Engine();
 *   engine.loadModule('./helloworld.so');
 *   await engine.call('HELLOWORLD.RAND');
 */
import { CommandTable, type CommandDef } from '../commands/table.js';
import { coreCommands } from '../commands/index.js';
import { Errors } from '../commands/define.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { Reply } from '../protocol/reply.js';
import { Client, type Arg, type ClientOptions, toByteString } from '../server/client.js';
import { ModuleRegistry, LOAD_ERROR, type ModuleInfo } from '../modules/registry.js';
import { addon, type NativeCommand } from '../modules/native.js';
import { Logger, LL_NOTICE, LL_WARNING, parseLogLevel, type LogLevelName, type LogTarget } from './log.js';
import { Db, type DbHost, type KeyspaceStats, type LfuSettings } from './db.js';
import { NOTIFY_EXPIRED, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, type KeyspaceEvent } from './notify.js';
import { Propagation, type PropagationListener } from './propagation.js';
import { PubSub } from '../server/pubsub.js';
import { installTransactions } from '../server/multi.js';
import { installAcl, aclAuthHooks, aclResetClient, setAclHooks } from '../server/acl.js';
import { inExec, resetTransactionState } from '../server/multi.js';
import { attachClientCommands, onClientReset } from '../commands/clients.js';
import { Connection, clientInfoString, killClient, onConnectionClose, setAuthHooks } from '../server/connection.js';
import { CommandStats } from './stats.js';
import { Slowlog } from './slowlog.js';
import { Blocking } from './blocking.js';
import { queueLoadexConfigs, takeUnusedLoadexConfigs } from '../modules/key-ops-configs.js';
import { ModuleTypes } from '../modules/module-types.js';
import { busyGate, type BusyModule } from '../modules/key-ops-yield.js';
import { fireShutdown } from '../modules/server-events.js';
import { ModuleValue, type Value } from './types/index.js';

/** The global lock's state word (see Engine.execute). */
const gilState = addon.gilState();

export interface EngineOptions {
  /** Number of databases (default 16). */
  databases?: number;
  /** Where log lines go (default: kept in memory only). */
  log?: LogTarget;
  /** Valkey's loglevel (default notice). */
  loglevel?: LogLevelName;
  /** enable-module-command: "yes", "no" or "local" (default; embedded clients are local). */
  enableModuleCommand?: 'yes' | 'no' | 'local';
  /** Server cron frequency (active expiry runs at this rate; default 10). */
  hz?: number;
  /** Run active expiry on a timer (default true; DEBUG SET-ACTIVE-EXPIRE toggles it). */
  activeExpire?: boolean;
}

interface ResolvedOptions {
  databases: number;
  enableModuleCommand: 'yes' | 'no' | 'local';
  hz: number;
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

export class Engine implements DbHost {
  readonly options: ResolvedOptions;
  readonly logger: Logger;
  readonly commands = new CommandTable();
  readonly registry: ModuleRegistry;
  /** The databases (SELECT index -> Db). */
  readonly dbs: Db[];
  readonly stats: KeyspaceStats & Record<string, number> = {
    keyspace_hits: 0,
    keyspace_misses: 0,
    expired_keys: 0,
    expired_stale_perc: 0,
    expired_time_cap_reached_count: 0,
  };
  /** INFO commandstats/errorstats/latencystats counters. */
  readonly commandStats = new CommandStats();
  /** SLOWLOG entries. */
  readonly slowlog: Slowlog = new Slowlog(this);
  /** Channel, pattern and shard subscriptions of every client. */
  readonly pubsub = new PubSub();
  /** notify-keyspace-events as a bit mask (NOTIFY_*). */
  notifyFlags = 0;
  /** LFU settings the databases count accesses with (kept current by the config). */
  readonly lfu: LfuSettings = { policy: false, logFactor: 10, decayTime: 1 };
  /** What AOF and replicas receive (src/engine/propagation.ts). */
  readonly propagation: Propagation = new Propagation(this);
  /** Blocked clients, ready keys and their timeouts (src/engine/blocking.ts). */
  readonly blocking: Blocking = new Blocking(this);
  /** Changes since the last save (rdb_changes_since_last_save). */
  dirty = 0;
  /** Whether active expiry runs (DEBUG SET-ACTIVE-EXPIRE). */
  activeExpireEnabled: boolean;
  /** True while a CLIENT NO-TOUCH client's command (other than TOUCH) runs (Db.touch). */
  touchDisabled = false;
  /** True while loading a dataset: lazy expiry does not delete. */
  loading = false;
  /** Set while a yielding module command lets the server serve other clients
   *  (ValkeyModule_Yield; src/modules/key-ops-yield.ts): their commands get -BUSY/-LOADING. */
  busyModule: BusyModule | undefined = undefined;
  /**
   * Gates run before every command once it is resolved and its arity checked (ACL checks,
   * MULTI queueing, client pause...). A gate returns true when it took care of the command
   * (it replied, or queued it): the command then does not run.
   */
  readonly gates: ((client: Client, def: CommandDef, args: string[], w: ReplyWriter) => boolean)[] = [];
  /** Told about every command refused before it ran (unknown command, arity, unknown
   *  subcommand), with the error it got. */
  readonly rejectListeners: ((client: Client, args: string[], message: string) => string | void)[] = [];
  /** Module command filters (src/modules/key-ops-filters.ts): each may rewrite a command
   *  line before the command is looked up; skipped when empty. */
  readonly commandFilters: ((client: Client, args: string[]) => string[])[] = [];
  /** Observers of every command about to run (MONITOR). */
  readonly commandObservers: ((client: Client, def: CommandDef, args: string[]) => void)[] = [];
  /** The module data types of this engine's modules: the codec DUMP/RESTORE, RDB and AOF
   *  use for module values, and their lifecycle (src/modules/module-types.ts). */
  readonly moduleTypes: ModuleTypes;
  /** Told whenever a key leaves the keyspace where Valkey calls moduleNotifyKeyUnlink (delete,
   *  unlink, expiry, overwrite; not flushes), before a module value is freed. subevent: 0
   *  DELETED, 1 EXPIRED, 2 EVICTED, 3 OVERWRITTEN (the Key server event's subevents). */
  readonly keyUnlinkListeners: ((db: number, key: string, value: Value, subevent: number) => void)[] = [];
  private readonly keyspaceListeners: ((e: KeyspaceEvent) => void)[] = [];
  private readonly modifiedListeners: ((db: number, key: string) => void)[] = [];
  private expireTimer: NodeJS.Timeout | undefined;
  private nextClientId = 1;
  private readonly defaultClient: Client;

  constructor(options: EngineOptions = {}) {
    this.options = {
      databases: options.databases ?? 16,
      enableModuleCommand: options.enableModuleCommand ?? 'local',
      hz: options.hz ?? 10,
    };
    if (!Number.isInteger(this.options.databases) || this.options.databases < 1) {
      throw new Error(`invalid databases: ${options.databases}`);
    }
    this.dbs = [];
    for (let i = 0; i < this.options.databases; i++) this.dbs.push(new Db(i, this));
    this.activeExpireEnabled = options.activeExpire ?? true;
    const level = options.loglevel ? parseLogLevel(options.loglevel) : LL_NOTICE;
    if (level === undefined) throw new Error(`invalid loglevel '${options.loglevel}'`);
    this.logger = new Logger(options.log ?? 'silent', level);
    for (const def of coreCommands()) this.commands.add(def);
    this.registry = new ModuleRegistry(this);
    this.moduleTypes = new ModuleTypes(this);
    this.registry.native.setServerFlags(CTX_FLAGS_PRIMARY);
    this.registry.native.setVerbosity(level);
    // Gates in Valkey's order: ACL first, then subscribed-context and pause checks, then
    // MULTI queueing (installAcl puts its gate first whatever the call order).
    this.gates.push(busyGate(this)); // before MULTI queueing: a refused command is never queued
    installTransactions(this);
    attachClientCommands(this);
    installAcl(this);
    setAuthHooks(this, aclAuthHooks(this));
    setAclHooks(this, {
      // A connection is closed; an embedded client (nothing to close) loses its subscriptions.
      kill: (c) => (c instanceof Connection ? killClient(c) : this.pubsub.dropAll(c)),
      clientInfo: (c, cmd) => clientInfoString(this, c, cmd),
      clients: () => this.liveClients(),
    });
    onClientReset(this, (c) => {
      resetTransactionState(this, c);
      aclResetClient(c);
    });
    onConnectionClose(this, (c) => {
      this.blocking.clientGone(c);
      resetTransactionState(this, c);
      this.unregisterClient(c);
    });
    this.defaultClient = this.client();
    this.startCron();
  }

  /** Time frozen for the running command (0 outside commands), as Valkey's cached mstime. */
  private commandTime = 0;

  /** When the running command (or execution unit) started, in ms; 0 outside commands. */
  get commandStart(): number {
    return this.commandTime;
  }

  /**
   * Runs `fn` as a command-like execution unit outside any command (a served blocked client,
   * a blocked client's timeout): time frozen, propagation collected and emitted at its end
   * (wrapped in MULTI/EXEC when it propagates several commands).
   */
  runUnit<T>(fn: () => T): T {
    const outerTime = this.commandTime;
    if (outerTime === 0) this.commandTime = Date.now();
    this.propagation.enterUnit();
    try {
      return fn();
    } finally {
      this.commandTime = outerTime;
      this.propagation.exitUnit();
    }
  }

  /** Current time in ms (the same value throughout one command). */
  now(): number {
    return this.commandTime || Date.now();
  }

  expireEnabled(): boolean {
    return !this.loading && this.lazyExpireDisabled === 0;
  }

  /** Expiry is off while > 0: a module's Key event callback reads the key being removed
   *  (Valkey's lazy_expire_disabled). */
  lazyExpireDisabled = 0;

  /** Db hook: a key left the keyspace (keyUnlinkListeners, then the module type's unlink). */
  keyUnlinked(db: number, key: string, value: Value, subevent: number): void {
    const ls = this.keyUnlinkListeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(db, key, value, subevent);
    if (value instanceof ModuleValue) this.moduleTypes.unlinked(db, key, value);
  }

  /** Db hook: no key holds a module value any more; it is freed after the command. */
  releaseModuleValue(v: ModuleValue): void {
    this.moduleTypes.release(v);
  }

  /** The database a client has selected. */
  db(client: Client): Db {
    return this.dbs[client.db]!;
  }

  /**
   * Fires a keyspace notification: to engine hooks (module subscriptions use them) always,
   * and to pub/sub `__keyspace@<db>__:<key>` / `__keyevent@<db>__:<event>` channels when
   * notify-keyspace-events enables the class.
   */
  notify(type: number, event: string, key: string, db: number): void {
    // An expired key's deletion is an execution unit of its own (active expiry) or part of
    // the running command's (lazy expiry); it propagates after its notifications.
    const expired = type === NOTIFY_EXPIRED;
    if (expired) this.propagation.enterUnit();
    for (const l of this.keyspaceListeners) l({ type, event, key, db });
    const flags = this.notifyFlags;
    if (flags & type) {
      if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${db}__:${key}`, event);
      if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${db}__:${event}`, key);
    }
    if (expired) {
      this.propagation.expired(db, key);
      this.propagation.exitUnit();
    }
  }

  /** Run right before replies are handed to clients (a connection's socket write, an
   *  embedded call's return): the AOF writes (and with appendfsync always fsyncs) what it
   *  buffered, as Valkey's beforeSleep does before sending replies. */
  beforeReplies: (() => void) | undefined = undefined;

  /** Receives every command propagated to AOF and replicas, MULTI/EXEC and SELECT included;
   *  returns a function that detaches the listener. */
  onPropagate(listener: PropagationListener): () => void {
    return this.propagation.listen(listener);
  }

  /** Subscribes to every keyspace event (whatever notify-keyspace-events says); returns
   *  a function that unsubscribes. */
  onKeyspaceEvent(listener: (e: KeyspaceEvent) => void): () => void {
    this.keyspaceListeners.push(listener);
    return () => {
      const i = this.keyspaceListeners.indexOf(listener);
      if (i >= 0) this.keyspaceListeners.splice(i, 1);
    };
  }

  /** dbAdd of a key (Db hook): blocked clients may be served by it. */
  keyAdded(db: number, key: string, value: Value): void {
    this.blocking.keyAdded(db, key, value);
  }

  /** A key was deleted or overwritten (Db hook): clients that wake on deletion are woken. */
  keyRemoved(db: number, key: string): void {
    this.blocking.signalDeletedKeyAsReady(db, key);
  }

  /** Called whenever a key changes (signalModifiedKey): WATCH and tracking hook in here. */
  keyModified(db: number, key: string): void {
    for (const l of this.modifiedListeners) l(db, key);
  }

  /** Subscribes to key modifications; returns a function that unsubscribes. */
  onKeyModified(listener: (db: number, key: string) => void): () => void {
    this.modifiedListeners.push(listener);
    return () => {
      const i = this.modifiedListeners.indexOf(listener);
      if (i >= 0) this.modifiedListeners.splice(i, 1);
    };
  }

  /** Publishes a pub/sub message to subscribed clients (and publish listeners, which do
   *  not count as receivers); returns the number of receivers. */
  publish(channel: string, message: string): number {
    for (const l of this.publishListeners) l(channel, message);
    return this.pubsub.publish(channel, message);
  }

  private readonly publishListeners: ((channel: string, message: string) => void)[] = [];

  /** Receives every published message (test and embedding hook). */
  onPublish(listener: (channel: string, message: string) => void): () => void {
    this.publishListeners.push(listener);
    return () => {
      const i = this.publishListeners.indexOf(listener);
      if (i >= 0) this.publishListeners.splice(i, 1);
    };
  }

  /** Starts the server cron (active expiry) at hz; the timer never keeps Node alive. */
  private startCron(): void {
    if (this.expireTimer) clearInterval(this.expireTimer);
    this.expireTimer = setInterval(() => this.cron(), Math.max(1, Math.floor(1000 / this.options.hz)));
    this.expireTimer.unref();
  }

  /** Run on every cron tick before active expiry (RDB save points, scheduled BGSAVE). */
  readonly cronHooks: (() => void)[] = [];

  /** One cron tick: active expiry with bounded work (20 keys a round per database, more
   *  rounds while over a quarter of them were expired, within ~1 ms). */
  cron(): void {
    for (const hook of this.cronHooks) hook();
    if (!this.activeExpireEnabled || this.loading) return;
    const deadline = performance.now() + 1;
    for (const db of this.dbs) {
      if (db.expires.size === 0) continue;
      for (;;) {
        const { examined, expired } = db.activeExpire(20);
        if (examined === 0 || expired * 4 < examined) break;
        if (performance.now() > deadline) {
          this.stats.expired_time_cap_reached_count++;
          return;
        }
      }
    }
  }

  /** Stops timers so the engine can be dropped (the process exits fine without it). */
  close(): void {
    fireShutdown(this);
    if (this.expireTimer) clearInterval(this.expireTimer);
    this.expireTimer = undefined;
  }

  /** Live clients by id (weakly held: an embedded client nobody references goes away). */
  private readonly clientsById = new Map<number, WeakRef<Client>>();

  /** Opens another client (its own protocol, database and name). */
  client(opts: ClientOptions = {}): Client {
    return new Client(this, this.allocateClientId(), opts);
  }

  /** Every live client (embedded and connections). */
  *liveClients(): IterableIterator<Client> {
    for (const [id, ref] of this.clientsById) {
      const c = ref.deref();
      if (c) yield c;
      else this.clientsById.delete(id);
    }
  }

  /** The next client id (ids are never reused, as Valkey's). */
  allocateClientId(): number {
    return this.nextClientId++;
  }

  /** The highest client id given out so far. */
  lastClientId(): number {
    return this.nextClientId - 1;
  }

  /** Makes a client findable by id (every Client registers itself when created). */
  registerClient(c: Client): void {
    this.clientsById.set(c.id, new WeakRef(c));
  }

  /** Forgets a client (disconnect). */
  unregisterClient(c: Client): void {
    this.clientsById.delete(c.id);
  }

  /** A live client by id. */
  clientById(id: number): Client | undefined {
    const c = this.clientsById.get(id)?.deref();
    if (!c) this.clientsById.delete(id);
    return c;
  }

  /** A module selected another database for a client (ValkeyModule_SelectDb): it stays. */
  clientSelected(id: number, db: number): void {
    const c = this.clientById(id);
    if (c) c.db = db;
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
    queueLoadexConfigs(this, configs);
    const m = this.registry.load(path, args);
    const unused = takeUnusedLoadexConfigs(this);
    if (!m) return null;
    if (unused) {
      // LoadConfigs consumes the LOADEX values of the configs the module registered.
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
    // Once module threads used the global lock, commands run holding it (native/host/gil.h).
    if (gilState[0] === 0) return this.executeLocked(client, args, w);
    addon.gilAcquire();
    try {
      return this.executeLocked(client, args, w);
    } finally {
      addon.gilRelease();
    }
  }

  /** Opens an execution unit for module code running outside a command (a thread holding
   *  the global lock, a timer, an event): time is frozen, what it propagates is emitted as
   *  one unit (MULTI/EXEC around several writes) by the matching endUnit. Nests. */
  beginUnit(): void {
    this.propagation.enterUnit();
    if (this.unitDepth++ === 0 && this.commandTime === 0) {
      this.commandTime = Date.now();
      this.unitFrozeTime = true;
    }
  }

  /** Closes beginUnit's unit; the outermost one outside a command also serves ready keys. */
  endUnit(): void {
    if (this.unitDepth === 0) return;
    const outer = --this.unitDepth === 0;
    if (outer && this.unitFrozeTime) {
      this.commandTime = 0;
      this.unitFrozeTime = false;
    }
    this.propagation.exitUnit();
    if (outer && this.commandTime === 0) this.blocking.handleReady();
  }

  private unitDepth = 0;
  private unitFrozeTime = false;

  /** execute() once the global lock is settled. */
  private executeLocked(client: Client, args: string[], w: ReplyWriter): void | Promise<void> {
    const filters = this.commandFilters;
    // Filters see a command once, when it arrives: not again when EXEC runs it from the queue.
    if (filters.length !== 0 && !inExec(client)) for (let i = 0; i < filters.length; i++) args = filters[i]!(client, args);
    const name = args[0]!;
    let def: CommandDef | undefined = this.commands.get(name);
    if (!def) return this.reject(client, args, w, unknownCommand(args));
    if (def.subcommands && (args.length > 1 || !def.handler)) {
      // A container runs a subcommand; one that also works alone (COMMAND) has a handler.
      if (args.length === 1) return this.reject(client, args, w, Errors.wrongArity(def.fullname), def);
      const sub: CommandDef | undefined = def.subcommands.get(args[1]!.toLowerCase());
      if (!sub) {
        return this.reject(client, args, w, `ERR unknown subcommand '${clip(args[1]!, 128)}'. Try ${name.toUpperCase()} HELP.`);
      }
      def = sub;
    }
    const arity = def.arity;
    if ((arity > 0 && args.length !== arity) || args.length < -arity) {
      return this.reject(client, args, w, Errors.wrongArity(def.fullname), def);
    }
    const gates = this.gates;
    for (let i = 0; i < gates.length; i++) if (gates[i]!(client, def, args, w)) return;
    const observers = this.commandObservers;
    for (let i = 0; i < observers.length; i++) observers[i]!(client, def, args);
    const errorsBefore = w.errorCount;
    const t0 = performance.now();
    let done: void | Promise<void> = undefined;
    const outerTime = this.commandTime;
    if (outerTime === 0) this.commandTime = Date.now();
    const outerTouch = this.touchDisabled;
    if (client.noTouch) this.touchDisabled = def.name !== 'touch';
    const propagation = this.propagation;
    propagation.enterCommand();
    try {
      done = def.handler!({ engine: this, client, args, w });
    } catch (err) {
      w.error(`ERR ${(err as Error).message.replace(/[\r\n]+/g, ' ')}`);
    } finally {
      this.commandTime = outerTime;
      this.touchDisabled = outerTouch;
      propagation.exitCommand(client, def, args);
      this.moduleTypes.settle();
    }
    // The command's own execution time: serving the clients it made ready is not part of it.
    const us = Math.round((performance.now() - t0) * 1000);
    // A top-level command that made keys ready serves their blocked clients now.
    if (outerTime === 0) this.blocking.handleReady();
    if (done) {
      const d = def;
      return done.then(() => {
        // A blocked command counts its initial call and the time spent serving it, never the
        // wait (Valkey's updateStatsOnUnblock); one that was not blocked counts its wall time.
        const served = this.blocking.takeServedDuration(client);
        if (served === -1) return; // its client went away while blocked: no stats
        this.finished(d, client, args, w, errorsBefore, served === undefined ? Math.round((performance.now() - t0) * 1000) : us + served);
      });
    }
    this.finished(def, client, args, w, errorsBefore, us);
  }

  /** Stats and slowlog after a command ran; `us` is its execution time. */
  private finished(def: CommandDef, client: Client, args: string[], w: ReplyWriter, errorsBefore: number, us: number): void {
    const failed = w.errorCount !== errorsBefore;
    if (failed) this.commandStats.errorReply(w.lastError);
    this.commandStats.record(def, us, failed);
    this.slowlog.record(client, args, us);
  }

  /** Replies an error for a command refused before it ran, counting it as Valkey does, and
   *  tells the reject listeners (MULTI flags its transaction so EXEC aborts); a listener may
   *  return the error text to reply instead (a refused EXEC becomes EXECABORT). */
  private reject(client: Client, args: string[], w: ReplyWriter, message: string, def?: CommandDef): void {
    for (const l of this.rejectListeners) {
      const m = l(client, args, message);
      if (typeof m === 'string') message = m;
    }
    if (def) this.commandStats.rejected(def);
    this.commandStats.errorReply(message);
    w.error(message);
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
