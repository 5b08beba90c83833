/**
 * The RESP server: TCP listeners on the bind addresses and an optional unix socket, each
 * accepted socket becoming a `Connection`. It applies Valkey's connection policies
 * (protected mode, maxclients, idle timeout, query and output buffer limits), logs Valkey's
 * lines through the engine's logger and feeds INFO's client and network fields.
 *
 *   const engine = new Engine();
 *   const server = new Server(engine, { port: 6379 });
 *   await server.listen();
 */
import net from 'node:net';
import fs from 'node:fs';
import type { Engine } from '../engine/engine.js';
import { configOf, type ServerConfig } from '../engine/config.js';
import { LL_NOTICE, LL_VERBOSE, LL_WARNING } from '../engine/log.js';
import { setInfoProvider, type InfoProvider } from '../commands/server.js';
import { statsOf } from '../engine/stats.js';
import { Connection, NetStats, defaultUserNoPass, type ConnectionHost } from './connection.js';
import { attachClientCommands, pauseState } from '../commands/clients.js';
import { fireClientConnected } from '../modules/server-events.js';

export interface ServerOptions {
  /** TCP port (default 6379); 0 disables TCP. */
  port?: number;
  /** Addresses to listen on (default ['127.0.0.1', '-::1']); a leading '-' marks an address
   *  that may be missing, '*' is every IPv4 address and '::*' every IPv6 address. */
  bind?: string[];
  /** Unix socket path (default: none). */
  unixsocket?: string;
  /** Permissions of the unix socket file (e.g. 0o700; default: left as created). */
  unixsocketperm?: number;
  /** protected-mode (default: the engine's config, yes). */
  protectedMode?: boolean;
  /** Idle seconds before a client is closed, 0 = never (default: the engine's config). */
  timeout?: number;
  /** listen() backlog (default: the engine's config, 511). */
  tcpBacklog?: number;
}

/** Valkey's reply to a remote client refused by protected mode (sent as is, then closed). */
export const PROTECTED_MODE_DENIED =
  '-DENIED Running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers, you may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface " +
  "by connecting from the same host the server is running, however MAKE SURE it's not publicly accessible from internet " +
  'if you do so. Use CONFIG REWRITE to make this change permanent. ' +
  "2) Alternatively you can just disable the protected mode by editing the configuration file, and setting the protected mode option to 'no', " +
  'and then restarting the server. ' +
  "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Set up an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

const MAX_CLIENTS_REACHED = '-ERR max number of clients reached\r\n';

/** Whether protected mode refuses a client: on, the default user without a password, and
 *  the client neither on the loopback interface nor on the unix socket. */
export function protectedModeRefuses(protectedMode: boolean, defaultNoPass: boolean, local: boolean): boolean {
  return protectedMode && defaultNoPass && !local;
}

/** Errors that make a '-'-prefixed (optional) bind address be skipped, as Valkey does. */
const OPTIONAL_BIND_ERRORS = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'ENOPROTOOPT', 'ESOCKTNOSUPPORT', 'EPFNOSUPPORT']);

/** Text of a bind error as Valkey's anet layer words it. */
function netErrorText(err: NodeJS.ErrnoException): string {
  const map: Record<string, string> = {
    EADDRINUSE: 'Address already in use',
    EADDRNOTAVAIL: 'Cannot assign requested address',
    EACCES: 'Permission denied',
    EAFNOSUPPORT: 'Address family not supported by protocol',
    ENOTFOUND: 'Name or service not known',
  };
  return `bind: ${map[err.code ?? ''] ?? err.message}`;
}

interface Listener {
  server: net.Server;
  kind: 'tcp' | 'unix';
  /** The bind address as configured (tcp) or the path (unix). */
  address: string;
  host?: string;
}

export class Server implements ConnectionHost {
  /** Open connections of this server, oldest first. */
  readonly connections = new Set<Connection>();
  /** Network counters (INFO stats). */
  readonly net = new NetStats();
  readonly unixsocket: string;
  private readonly port: number;
  private readonly bind: string[];
  private readonly options: ServerOptions;
  private readonly config: ServerConfig;
  private listeners: Listener[] = [];
  private cron: NodeJS.Timeout | undefined;
  private cronTicks = 0;
  private readonly samples = new Samples();
  private obufRaw = '';
  private obuf: Record<'normal' | 'pubsub', readonly [number, number, number]> = { normal: [0, 0, 0], pubsub: [0, 0, 0] };
  private qbufLimit = 0;
  private unsubscribeConfig: (() => void) | undefined;
  private registered = false;
  private boundPort = 0;

  constructor(
    readonly engine: Engine,
    options: ServerOptions = {},
  ) {
    this.options = options;
    this.port = options.port ?? 6379;
    this.bind = options.bind ?? ['127.0.0.1', '-::1'];
    this.unixsocket = options.unixsocket ?? '';
    this.config = configOf(engine);
    if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65535) throw new Error(`invalid port ${options.port}`);
    attachClientCommands(engine);
  }

  /** Starts listening on every configured address; rejects (after logging Valkey's lines)
   *  when a required address cannot be bound. */
  async listen(): Promise<void> {
    if (this.listeners.length > 0) throw new Error('server already listening');
    const logger = this.engine.logger;
    const backlog = this.options.tcpBacklog ?? this.config.number('tcp-backlog');
    try {
      if (this.port !== 0) {
        for (const raw of this.bind) {
          const optional = raw.startsWith('-');
          const addr = optional ? raw.slice(1) : raw;
          const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
          const server = net.createServer({ noDelay: true }, (s) => this.accept(s, false));
          try {
            await listenOn(server, { host, port: this.port, backlog, ipv6Only: host.includes(':') });
          } catch (e) {
            const err = e as NodeJS.ErrnoException;
            if (optional && OPTIONAL_BIND_ERRORS.has(err.code ?? '')) continue;
            logger.log(LL_WARNING, `Warning: Could not create server TCP listening socket ${addr}:${this.port}: ${netErrorText(err)}`);
            logger.log(LL_WARNING, `Failed listening on port ${this.port} (tcp), aborting.`);
            throw new Error(`Failed listening on port ${this.port} (tcp), aborting.`);
          }
          this.listeners.push({ server, kind: 'tcp', address: addr, host });
        }
        if (this.listeners.length === 0) {
          logger.log(LL_WARNING, `Failed listening on port ${this.port} (tcp), aborting.`);
          throw new Error(`Failed listening on port ${this.port} (tcp), aborting.`);
        }
        this.boundPort = this.port;
      }
      if (this.unixsocket) {
        const path = this.unixsocket;
        try {
          if (fs.statSync(path).isSocket()) fs.unlinkSync(path);
        } catch {
          // nothing there
        }
        const server = net.createServer((s) => this.accept(s, true));
        try {
          await listenOn(server, { path, backlog });
          const perm = this.options.unixsocketperm ?? this.config.number('unixsocketperm');
          if (perm) fs.chmodSync(path, perm);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          logger.log(LL_WARNING, `Failed opening Unix socket: ${netErrorText(err)}`);
          throw new Error(`Failed opening Unix socket: ${netErrorText(err)}`);
        }
        this.listeners.push({ server, kind: 'unix', address: path });
      }
    } catch (e) {
      await this.closeListeners();
      throw e;
    }
    this.refreshLimits();
    this.unsubscribeConfig = this.config.onChange(() => this.refreshLimits());
    let group = serversOf.get(this.engine);
    if (!group) serversOf.set(this.engine, (group = new Set()));
    group.add(this);
    const g = group;
    setInfoProvider(this.engine, (section) => infoOf(this.engine, g, section));
    this.registered = true;
    this.cron = setInterval(() => this.tick(), 100);
    this.cron.unref();
    if (this.listeners.some((l) => l.kind === 'tcp')) logger.log(LL_NOTICE, 'Ready to accept connections tcp');
    if (this.listeners.some((l) => l.kind === 'unix')) logger.log(LL_NOTICE, 'Ready to accept connections unix');
  }

  /** Stops listening, closes every connection and removes the unix socket file. */
  async close(): Promise<void> {
    if (this.cron) clearInterval(this.cron);
    this.cron = undefined;
    this.unsubscribeConfig?.();
    this.unsubscribeConfig = undefined;
    if (this.registered) {
      this.registered = false;
      const group = serversOf.get(this.engine);
      group?.delete(this);
      if (!group || group.size === 0) setInfoProvider(this.engine, undefined);
    }
    for (const c of [...this.connections]) c.kill();
    await this.closeListeners();
  }

  /** The addresses listened on: `127.0.0.1:6379`, `[::1]:6379`, `/tmp/valkey.sock`. */
  addresses(): string[] {
    const out: string[] = [];
    for (const l of this.listeners) {
      if (l.kind === 'unix') {
        out.push(l.address);
        continue;
      }
      const a = l.server.address();
      if (a && typeof a === 'object') out.push(a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
    }
    return out;
  }

  /** client-query-buffer-limit in bytes. */
  queryBufferLimit(): number {
    return this.qbufLimit;
  }

  /** client-output-buffer-limit of a class: [hard, soft, soft seconds]. */
  outputLimits(cls: 'normal' | 'pubsub'): readonly [number, number, number] {
    return this.obuf[cls];
  }

  /** A connection went away. */
  connectionClosed(conn: Connection): void {
    this.connections.delete(conn);
  }

  private async closeListeners(): Promise<void> {
    const ls = this.listeners;
    this.listeners = [];
    await Promise.all(ls.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
    for (const l of ls) {
      if (l.kind !== 'unix') continue;
      try {
        fs.unlinkSync(l.address);
      } catch {
        // already gone
      }
    }
  }

  private refreshLimits(): void {
    this.qbufLimit = this.config.number('client-query-buffer-limit');
    const raw = this.config.get('client-output-buffer-limit') ?? '';
    if (raw !== this.obufRaw) {
      this.obufRaw = raw;
      const parts = raw.split(' ');
      for (let i = 0; i + 3 < parts.length; i += 4) {
        const cls = parts[i];
        if (cls !== 'normal' && cls !== 'pubsub') continue;
        this.obuf[cls] = [Number(parts[i + 1]), Number(parts[i + 2]), Number(parts[i + 3])];
      }
    }
  }

  private protectedMode(): boolean {
    return this.options.protectedMode ?? this.config.get('protected-mode') === 'yes';
  }

  private idleTimeout(): number {
    return this.options.timeout ?? this.config.number('timeout');
  }

  private accept(socket: net.Socket, unix: boolean): void {
    const engine = this.engine;
    const maxclients = this.config.number('maxclients');
    if (this.connections.size >= maxclients) {
      socket.on('error', () => {});
      socket.end(MAX_CLIENTS_REACHED);
      this.net.rejectedConnections++;
      return;
    }
    socket.setNoDelay(true);
    const keepalive = this.config.number('tcp-keepalive');
    if (!unix && keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const conn = new Connection(this, socket, unix);
    if (protectedModeRefuses(this.protectedMode(), defaultUserNoPass(engine), conn.local)) {
      socket.end(PROTECTED_MODE_DENIED);
      this.net.rejectedConnections++;
      conn.closing = true;
      return;
    }
    this.connections.add(conn);
    this.net.totalConnections++;
    fireClientConnected(engine, conn);
    if (engine.logger.level <= LL_VERBOSE) {
      engine.logger.log(LL_VERBOSE, unix ? `Accepted connection to ${this.unixsocket}` : `Accepted ${socket.remoteAddress}:${socket.remotePort}`);
    }
  }

  /** Every 100 ms: INFO's instantaneous samples; every second: idle clients. */
  private tick(): void {
    const now = Date.now();
    this.samples.add(now, statsOf(this.engine).totalCommands, this.net.netInput, this.net.netOutput);
    if (++this.cronTicks % 10 !== 0) return;
    const timeout = this.idleTimeout();
    if (timeout <= 0) return;
    const limit = timeout * 1000;
    for (const c of this.connections) {
      if (c.waiting || c.monitor || c.closing) continue;
      if (c.channels.size + c.patterns.size + c.shardChannels.size > 0) continue;
      // Valkey compares whole seconds: idle > timeout
      if (Math.floor(now / 1000) - Math.floor(c.lastInteraction / 1000) > timeout && c.idleMs(now) > limit) {
        this.engine.logger.log(LL_VERBOSE, 'Closing idle client');
        c.kill();
      }
    }
  }

  /** The TCP listeners' INFO `listener` line parts and the unix socket paths. */
  listenerInfo(): { tcp?: string; unix: string[] } {
    const tcp = this.listeners.filter((l) => l.kind === 'tcp');
    return {
      tcp: tcp.length > 0 ? `name=tcp,${tcp.map((l) => `bind=${l.address}`).join(',')},port=${this.boundPort}` : undefined,
      unix: this.listeners.filter((l) => l.kind === 'unix').map((l) => l.address),
    };
  }

  /** The TCP port listened on (0 when none). */
  get tcpPort(): number {
    return this.boundPort;
  }

  /** Instantaneous rates: [ops/s, input bytes/s, output bytes/s]. */
  rates(): [number, number, number] {
    return [this.samples.rate(0), this.samples.rate(1), this.samples.rate(2)];
  }
}

const serversOf = new WeakMap<Engine, Set<Server>>();

/** INFO fields of every server of an engine (counters added up). */
function infoOf(engine: Engine, servers: Set<Server>, section: string): ReturnType<InfoProvider> {
  const now = Date.now();
  const all = [...servers];
  switch (section) {
    case 'server': {
      const extra: string[] = [];
      let i = 0;
      let port = 0;
      for (const s of all) {
        const l = s.listenerInfo();
        if (l.tcp) {
          extra.push(`listener${i++}:${l.tcp}`);
          if (!port) port = s.tcpPort;
        }
      }
      for (const s of all) for (const u of s.listenerInfo().unix) extra.push(`listener${i++}:name=unix,bind=${u}`);
      return { fields: { tcp_port: port }, extra };
    }
    case 'clients': {
      let pubsub = 0;
      let connected = 0;
      let inPeak = 0;
      let outPeak = 0;
      for (const s of all) {
        connected += s.connections.size;
        for (const c of s.connections) {
          if (c.channels.size + c.patterns.size + c.shardChannels.size > 0) pubsub++;
        }
        const [ip, op] = s.net.recentPeaks(now);
        inPeak = Math.max(inPeak, ip);
        outPeak = Math.max(outPeak, op);
      }
      const pause = pauseState(engine);
      const paused = pause.actions !== 'none' && pause.end > now;
      return {
        fields: {
          connected_clients: connected,
          client_recent_max_input_buffer: inPeak,
          client_recent_max_output_buffer: outPeak,
          blocked_clients: engine.blocking.count,
          pubsub_clients: pubsub,
          paused_reason: paused ? 'client_pause' : 'none',
          paused_actions: paused ? pause.actions : 'none',
          paused_timeout_milliseconds: paused ? pause.end - now : 0,
        },
      };
    }
    case 'stats': {
      const sum = (f: (n: NetStats) => number) => all.reduce((a, s) => a + f(s.net), 0);
      const rates = [0, 0, 0];
      for (const s of all) {
        const r = s.rates();
        for (let k = 0; k < 3; k++) rates[k]! += r[k]!;
      }
      return {
        fields: {
          total_connections_received: sum((n) => n.totalConnections),
          instantaneous_ops_per_sec: Math.round(all.length ? rates[0]! / all.length : 0),
          total_net_input_bytes: sum((n) => n.netInput),
          total_net_output_bytes: sum((n) => n.netOutput),
          instantaneous_input_kbps: (rates[1]! / 1024).toFixed(2),
          instantaneous_output_kbps: (rates[2]! / 1024).toFixed(2),
          rejected_connections: sum((n) => n.rejectedConnections),
          total_reads_processed: sum((n) => n.reads),
          total_writes_processed: sum((n) => n.writes),
          client_query_buffer_limit_disconnections: sum((n) => n.queryBufferLimitDisconnections),
          client_output_buffer_limit_disconnections: sum((n) => n.outputBufferLimitDisconnections),
        },
      };
    }
    default:
      return undefined;
  }
}

/** listen() as a Promise that rejects with the bind error. */
function listenOn(server: net.Server, opts: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(opts, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Valkey's instantaneous metrics: 16 samples taken every 100 ms, averaged per second. */
class Samples {
  private readonly values = [new Float64Array(16), new Float64Array(16), new Float64Array(16)];
  private idx = 0;
  private filled = 0;
  private lastTime = 0;
  private last = [0, 0, 0];

  add(now: number, ops: number, input: number, output: number): void {
    const cur = [ops, input, output];
    if (this.lastTime !== 0) {
      const dt = now - this.lastTime;
      if (dt > 0) {
        for (let k = 0; k < 3; k++) this.values[k]![this.idx] = ((cur[k]! - this.last[k]!) * 1000) / dt;
        this.idx = (this.idx + 1) & 15;
        if (this.filled < 16) this.filled++;
      }
    }
    this.lastTime = now;
    this.last = cur;
  }

  /** Average per-second rate of metric k (0 ops, 1 input bytes, 2 output bytes). */
  rate(k: number): number {
    if (this.filled === 0) return 0;
    let sum = 0;
    for (let i = 0; i < this.filled; i++) sum += this.values[k]![i]!;
    return sum / this.filled;
  }
}
