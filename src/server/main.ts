/**
 * `vmhost` in server mode: valkey-server's startup and shutdown around an Engine and a
 * Server.
 *
 * Startup follows Valkey's order and log lines: read the configuration (file, stdin,
 * command line; errors stop with exit code 1), create the engine, log
 * "Valkey is starting", the version and "Configuration loaded", write the pidfile,
 * load the modules of `loadmodule` in order (a failure aborts), log "Server initialized",
 * listen (the Server logs "Ready to accept connections tcp"/"unix").
 *
 * Shutdown (SHUTDOWN, SIGTERM, SIGINT) logs "User requested shutdown...", performs the
 * final save when the persistence layer installed one, removes the pidfile and the unix
 * socket, logs "Valkey is now ready to exit, bye bye..." and exits with 0. `daemonize yes`
 * is refused: this host does not fork.
 */
import { fireShutdown } from '../modules/server-events.js';
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { formatLogLine, LL_NOTICE, LL_WARNING } from '../engine/log.js';
import { SERVER_VERSION } from '../engine/version.js';
import { Server } from './server.js';
import { installPersistence, loadDataAtStartup } from '../persistence/rdb-save.js';
import { aofOf } from '../persistence/aof.js';
import { startAofAtBoot } from '../persistence/aof-load.js';
import {
  ConfigError,
  ConfigOpenError,
  applyServerConfig,
  configFileState,
  engineSettings,
  parseCommandLine,
  parseServerConfig,
  strerror,
  toBytes,
  type ParsedConfig,
} from './config-file.js';
import {
  SHUTDOWN_FAILED,
  SHUTDOWN_FORCE,
  SHUTDOWN_NOSAVE,
  SHUTDOWN_SAVE,
  setShutdownHandler,
  shutdownCommands,
  shutdownSaver,
} from '../commands/shutdown.js';

/** How `startServer` talks to the process (tests replace these). */
export interface StartOptions {
  /** The program name used in messages (default "vmhost"). */
  programName?: string;
  /** Reads the configuration given on stdin with "-" (default: all of fd 0). */
  readStdin?: () => string;
  /** Installs SIGTERM/SIGINT handlers (default true). */
  signals?: boolean;
  /** Ends the process (default process.exit). */
  exit?: (code: number) => void;
}

/** A running server started from a configuration. */
export interface RunningServer {
  readonly engine: Engine;
  readonly server: Server;
  /** The pidfile written at startup (absolute), or "". */
  readonly pidfile: string;
  /** Shuts down as SHUTDOWN with these flags would; returns the error reply when the
   *  server keeps running, undefined when it is exiting. */
  shutdown(flags: number): string | undefined;
}

/** Where the log goes before and outside the engine's logger (early lines, signals). */
class LogSink {
  file = '';
  level = LL_NOTICE;

  /** Writes one complete line (without newline) to the log file or stdout. */
  write(line: string): void {
    const data = Buffer.from(line + '\n', 'latin1');
    try {
      if (this.file) fs.appendFileSync(this.file, data);
      else fs.writeSync(1, data);
    } catch {
      // A closed stdout or an unwritable log must not stop the server.
    }
  }

  /** A Valkey log line with the given role character (C before the server is set up). */
  log(role: 'C' | 'M', level: number, message: string): void {
    if (level < this.level) return;
    this.write(formatLogLine(level, message).replace(/^(\d+):M /, `$1:${role} `));
  }

  /** A line as Valkey's signal handler writes it: `pid:signal-handler (unixtime) msg`. */
  fromHandler(level: number, message: string): void {
    if (level < this.level) return;
    this.write(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${message}`);
  }
}

function readAllStdin(): string {
  try {
    return fs.readFileSync(0, 'latin1');
  } catch {
    return '';
  }
}

/**
 * Starts a server as `valkey-server argv...` would. Resolves with the running server, or
 * with undefined after calling `exit(1)` when startup failed (configuration error, module
 * that fails to load, address in use...), having printed or logged Valkey's message.
 */
export async function startServer(argv: string[], opts: StartOptions = {}): Promise<RunningServer | undefined> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const program = opts.programName ?? 'vmhost';
  const sink = new LogSink();
  const fail = (): undefined => {
    exit(1);
    return undefined;
  };

  // 1. The configuration: file, stdin, then the command-line options.
  const cl = parseCommandLine(argv);
  if (argv.some((a) => a.toLowerCase() === '--sentinel')) {
    sink.log('C', LL_WARNING, `Sentinel mode is not supported by ${program}.`);
    return fail();
  }
  let stdinText: string | undefined;
  if (cl.fromStdin) {
    sink.log('C', LL_NOTICE, 'Reading config from stdin');
    stdinText = (opts.readStdin ?? readAllStdin)();
  }
  let parsed: ParsedConfig;
  try {
    parsed = parseServerConfig(cl.configFile, stdinText, cl.options);
  } catch (e) {
    if (e instanceof ConfigError) {
      try {
        fs.writeSync(2, Buffer.from(e.report(), 'latin1'));
      } catch {
        // stderr closed
      }
      return fail();
    }
    if (e instanceof ConfigOpenError) {
      sink.log('C', LL_WARNING, e.message);
      return fail();
    }
    throw e;
  }

  // 2. The engine, with the validated settings applied.
  const logfileRaw = parsed.values.get('logfile') as string | undefined;
  const logfile = logfileRaw ? path.resolve(parsed.dir, Buffer.from(logfileRaw, 'latin1').toString('utf8')) : '';
  const settings = engineSettings(parsed);
  const engine = new Engine({
    databases: settings.databases,
    enableModuleCommand: settings.enableModuleCommand,
    log: logfile ? { file: logfile } : 'stdout',
  });
  // appendonly from the configuration is acted on after loading, not when it is read.
  aofOf(engine).booting = true;
  applyServerConfig(engine, parsed);
  const cfg = configOf(engine);
  const state = configFileState(engine);
  state.file = cl.configFile ?? '';
  state.moduleConfigs = parsed.moduleConfigs;
  state.users = parsed.users;
  try {
    process.chdir(parsed.dir);
  } catch (e) {
    sink.log('C', LL_WARNING, `Can't chdir to '${parsed.dir}': ${strerror(e)}`);
    return fail();
  }
  sink.file = logfile;
  sink.level = engine.logger.level;
  const logger = engine.logger;

  sink.log('C', LL_NOTICE, 'oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo');
  sink.log(
    'C',
    LL_NOTICE,
    `Valkey version=${SERVER_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`,
  );
  if (cl.noArguments) {
    sink.log(
      'C',
      LL_WARNING,
      `Warning: no config file specified, using the default config. In order to specify a config file use ${program} /path/to/valkey.conf`,
    );
  } else {
    sink.log('C', LL_NOTICE, 'Configuration loaded');
  }
  if (cfg.get('daemonize') === 'yes') {
    sink.log(
      'C',
      LL_WARNING,
      `daemonize yes is not supported: ${program} does not fork. Set "daemonize no" and run it in the foreground under a supervisor (systemd, a container, nohup).`,
    );
    engine.close();
    return fail();
  }
  logger.log(LL_NOTICE, 'monotonic clock: POSIX clock_gettime');

  // 3. The pidfile.
  const pidRaw = cfg.get('pidfile') ?? '';
  const pidfile = pidRaw ? path.resolve(Buffer.from(pidRaw, 'latin1').toString('utf8')) : '';
  if (pidfile) {
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
    } catch (e) {
      logger.log(LL_WARNING, `Failed to write PID file: ${strerror(e)}`);
    }
  }
  const port = cfg.number('port');
  const unixsocket = Buffer.from(cfg.get('unixsocket') ?? '', 'latin1').toString('utf8');
  const abort = (): undefined => {
    if (pidfile) fs.rmSync(pidfile, { force: true });
    engine.close();
    return fail();
  };
  logger.log(LL_NOTICE, `Running mode=standalone, port=${port}.`);

  // 4. Modules, in the order of the loadmodule directives.
  for (const m of parsed.modules) {
    const p = Buffer.from(m.path, 'latin1').toString('utf8');
    if (!engine.loadModuleRaw(p, m.args, [])) {
      logger.log(LL_WARNING, `Can't load module from ${m.path}: server aborting`);
      return abort();
    }
  }
  if (state.moduleConfigs.size > 0) {
    logger.log(LL_WARNING, 'Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting');
    return abort();
  }
  if (port === 0 && !unixsocket) {
    logger.log(LL_WARNING, 'Configured to not listen anywhere, exiting.');
    return abort();
  }

  // 5. Listen.
  logger.log(LL_NOTICE, 'Server initialized');
  // 5a. Persistence: save points, final save; then the dataset from dir/dbfilename.
  installPersistence(engine);
  // With appendonly yes the dataset comes from the AOF (then opened for appending), else from the RDB file.
  if (!startAofAtBoot(engine)) return abort();
  if (cfg.get('appendonly') !== 'yes' && !loadDataAtStartup(engine)) return abort();
  const bind = parsed.values.has('bind') ? (cfg.get('bind') ?? '').split(' ').filter((a) => a !== '') : undefined;
  const server = new Server(engine, {
    port,
    bind: bind && bind.length === 0 ? ['*', '-::*'] : bind,
    unixsocket: unixsocket || undefined,
    unixsocketperm: cfg.number('unixsocketperm') || undefined,
    tcpBacklog: cfg.number('tcp-backlog'),
  });
  // 6. Shutdown: SHUTDOWN, SIGTERM, SIGINT. Installed before listening, so a signal sent as
  // soon as "Ready to accept connections" is logged finds its handler.
  let exiting = false;
  const shutdown = (flags: number): string | undefined => {
    if (exiting) return undefined;
    exiting = true;
    logger.log(LL_NOTICE, 'User requested shutdown...');
    aofOf(engine).shutdownFlush();
    const save = shutdownSaver(engine);
    const savePoints = (cfg.get('save') ?? '') !== '';
    if (save && ((savePoints && !(flags & SHUTDOWN_NOSAVE)) || flags & SHUTDOWN_SAVE)) {
      logger.log(LL_NOTICE, 'Saving the final RDB snapshot before exiting.');
      if (!save()) {
        if (flags & SHUTDOWN_FORCE) {
          logger.log(LL_WARNING, 'Error trying to save the DB. Exit anyway.');
        } else {
          logger.log(LL_WARNING, "Error trying to save the DB, can't exit.");
          logger.log(LL_WARNING, 'Errors trying to shut down the server. Check the logs for more information.');
          exiting = false;
          return SHUTDOWN_FAILED;
        }
      }
    }
    fireShutdown(engine); // Valkey fires Shutdown after the final save, before removing the pid file
    if (pidfile) {
      logger.log(LL_NOTICE, 'Removing the pid file.');
      fs.rmSync(pidfile, { force: true });
    }
    if (unixsocket) logger.log(LL_NOTICE, 'Removing the unix socket file.');
    logger.log(LL_WARNING, 'Valkey is now ready to exit, bye bye...');
    const done = (): void => {
      engine.close();
      exit(0);
    };
    const timer = setTimeout(done, 1000);
    server.close().then(
      () => {
        clearTimeout(timer);
        done();
      },
      () => {
        clearTimeout(timer);
        done();
      },
    );
    return undefined;
  };
  setShutdownHandler(engine, { shutdown });
  // SHUTDOWN belongs to the core table once registered there; make sure a server has it.
  for (const def of shutdownCommands) if (!engine.commands.has(def.name)) engine.commands.add(def);

  if (opts.signals ?? true) {
    let asap = false;
    const onSignal = (sig: 'SIGTERM' | 'SIGINT'): void => {
      if (asap && sig === 'SIGINT') {
        sink.fromHandler(LL_WARNING, 'You insist... exiting now.');
        exit(1);
        return;
      }
      sink.fromHandler(LL_WARNING, `Received ${sig} scheduling shutdown...`);
      if (asap) return;
      asap = true;
      setImmediate(() => {
        const flags = cfg.number(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
        if (shutdown(flags) !== undefined) asap = false;
      });
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  }

  try {
    await server.listen();
  } catch {
    // The server logged Valkey's lines.
    return abort();
  }

  return { engine, server, pidfile, shutdown };
}

/** The line `vmhost --version` prints (valkey-server's format). */
export function versionLine(): string {
  return `Valkey server v=${SERVER_VERSION} sha=00000000:0 malloc=libc bits=64 build=${buildId()}`;
}

/** A stable build id from the version (Valkey hashes its build; we have no build info). */
function buildId(): string {
  let h = 0xcbf29ce484222325n;
  for (const c of toBytes(`vmhost-${SERVER_VERSION}`)) {
    h ^= BigInt(c.charCodeAt(0));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16);
}
