/**
 * A network client: a `Client` bound to a socket. It parses requests with the incremental
 * RESP parser, runs them one after the other through `engine.execute` (awaiting a command
 * that blocks before running the next one of the same connection, without holding up
 * anyone else), and writes the replies of a whole batch with one socket write.
 *
 * Also here: the per-engine registry of connections (CLIENT LIST/KILL), the hooks other
 * parts of the server plug into (authentication state, MULTI/WATCH figures, cleanup on
 * close) and CLIENT LIST's line format.
 */
import type net from 'node:net';
import type { Engine } from '../engine/engine.js';
import { Client } from './client.js';
import { RespWriter } from '../protocol/resp-writer.js';
import { RequestParser } from '../protocol/parser.js';
import { configOf, type ServerConfig } from '../engine/config.js';
import { LL_VERBOSE, LL_WARNING } from '../engine/log.js';
import { transactionInfo } from './multi.js';

// ---------------------------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------------------------

/** What the network layer asks the authentication (ACL) layer. */
export interface AuthHooks {
  /** Whether the client still has to authenticate (Valkey's authRequired): its requests are
   *  then limited to 10 arguments of 16 KiB and its query buffer to 1 MiB. */
  authRequired(client: Client): boolean;
  /** Whether the default user has no password (protected mode then refuses remote clients). */
  defaultUserNoPass(): boolean;
  /** The user a client is authenticated as (CLIENT LIST `user=`). */
  userName(client: Client): string;
  /** Whether an ACL user exists (CLIENT KILL USER). */
  userExists(name: string): boolean;
}

/** What CLIENT LIST shows of state kept by other parts (by default src/server/multi.ts's
 *  transactionInfo answers for MULTI and WATCH; a hook overrides it). */
export interface StateHooks {
  /** Commands queued in MULTI, or -1 outside MULTI. */
  multiCount(client: Client): number;
  /** Bytes of the arguments queued in MULTI (multi-mem). */
  multiMem(client: Client): number;
  /** Keys the client WATCHes. */
  watchCount(client: Client): number;
  /** A watched key changed: EXEC will fail (flag d). */
  dirtyCas(client: Client): boolean;
}

const authHooks = new WeakMap<Engine, Partial<AuthHooks>>();
const stateHooks = new WeakMap<Engine, Partial<StateHooks>>();

/** Installs (merges) the authentication hooks of an engine. */
export function setAuthHooks(engine: Engine, hooks: Partial<AuthHooks>): void {
  authHooks.set(engine, { ...authHooks.get(engine), ...hooks });
}

/** Installs (merges) the MULTI/WATCH hooks of an engine. */
export function setStateHooks(engine: Engine, hooks: Partial<StateHooks>): void {
  stateHooks.set(engine, { ...stateHooks.get(engine), ...hooks });
}

/** Without an ACL layer: requirepass decides, and a client that passed AUTH is marked
 *  `authenticated` on the Client object. */
function requirepass(engine: Engine): string {
  return configOf(engine).get('requirepass') ?? '';
}

/** Whether `client` must still authenticate. */
export function authRequired(engine: Engine, client: Client): boolean {
  const h = authHooks.get(engine)?.authRequired;
  if (h) return h(client);
  return requirepass(engine) !== '' && !(client as { authenticated?: boolean }).authenticated;
}

/** Whether the default user works without a password. */
export function defaultUserNoPass(engine: Engine): boolean {
  const h = authHooks.get(engine)?.defaultUserNoPass;
  return h ? h() : requirepass(engine) === '';
}

/** The user name of a client. */
export function userNameOf(engine: Engine, client: Client): string {
  const h = authHooks.get(engine)?.userName;
  return h ? h(client) : 'default';
}

/** Whether a user exists. */
export function userExists(engine: Engine, name: string): boolean {
  const h = authHooks.get(engine)?.userExists;
  return h ? h(name) : name === 'default';
}

const VALKEYMODULE_CTX_FLAGS_MULTI = 1 << 1;
const VALKEYMODULE_CTX_FLAGS_MULTI_DIRTY = 1 << 19;

/** Functions called when a connection goes away (MULTI, WATCH, blocked-key cleanup). */
const closeListeners = new WeakMap<Engine, ((client: Client) => void)[]>();

/** Calls `fn` for every connection of `engine` that closes; returns an unsubscribe. */
export function onConnectionClose(engine: Engine, fn: (client: Client) => void): () => void {
  let l = closeListeners.get(engine);
  if (!l) closeListeners.set(engine, (l = []));
  l.push(fn);
  return () => {
    const i = l!.indexOf(fn);
    if (i >= 0) l!.splice(i, 1);
  };
}

// ---------------------------------------------------------------------------------------------
// Per-client state shared by connections and embedded clients
// ---------------------------------------------------------------------------------------------

/** Client state beyond `Client` that CLIENT commands set and CLIENT LIST shows. */
export interface ClientState {
  libName: string;
  libVer: string;
  /** Creation time (ms). */
  readonly ctime: number;
  /** Last time the client sent something (ms). */
  lastInteraction: number;
  noEvict: boolean;
  noTouch: boolean;
  /** CLIENT CAPA redirect. */
  capaRedirect: boolean;
  /** CLIENT REPLY OFF / SKIP (this command) / SKIP (next command). */
  replyOff: boolean;
  replySkip: boolean;
  replySkipNext: boolean;
  /** In MONITOR mode. */
  monitor: boolean;
}

const embeddedState = new WeakMap<Client, ClientState>();

/** The CLIENT state of any client (connections carry theirs; embedded ones get one here). */
export function clientState(client: Client): ClientState {
  if (client instanceof Connection) return client;
  let s = embeddedState.get(client);
  if (!s) {
    const now = Date.now();
    s = {
      libName: '',
      libVer: '',
      ctime: now,
      lastInteraction: now,
      noEvict: false,
      noTouch: false,
      capaRedirect: false,
      replyOff: false,
      replySkip: false,
      replySkipNext: false,
      monitor: false,
    };
    embeddedState.set(client, s);
  }
  return s;
}

const registries = new WeakMap<Engine, Set<Connection>>();

/** Every open network connection of an engine, oldest first. */
export function connectionsOf(engine: Engine): Set<Connection> {
  let s = registries.get(engine);
  if (!s) registries.set(engine, (s = new Set()));
  return s;
}

/** The next client id of the engine (ids are shared by embedded clients and connections). */
function allocateClientId(engine: Engine): number {
  return engine.allocateClientId();
}

/**
 * Closes a network client as Valkey's freeClient / CLIENT KILL do: at once, or, when it is
 * the client whose command is running, once that command's reply is written. Embedded
 * clients have no connection to close: nothing happens.
 */
export function killClient(client: Client): void {
  if (client instanceof Connection) client.requestClose();
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/** Valkey's sdscatrepr: a quoted, escaped rendering of a byte string. */
export function reprBytes(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 92:
        out += '\\\\';
        break;
      case 34:
        out += '\\"';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      case 7:
        out += '\\a';
        break;
      case 8:
        out += '\\b';
        break;
      default:
        out += c >= 32 && c <= 126 ? s[i] : `\\x${(c & 0xff).toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/** Whether an address is the loopback interface (127.0.0.0/8, ::1, IPv4-mapped 127.x). */
export function isLoopbackAddress(ip: string | undefined): boolean {
  if (!ip) return false;
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  return ip.startsWith('127.') || ip === '::1';
}

/** `ip:port`, or `[ip]:port` for IPv6, as Valkey formats addresses. */
export function formatAddr(ip: string, port: number): string {
  if (ip.startsWith('::ffff:') && ip.indexOf('.') > 0) ip = ip.slice(7);
  return ip.indexOf(':') >= 0 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Flags letters of CLIENT LIST. */
function flagsOf(engine: Engine, c: Client): string {
  const st = clientState(c);
  let f = '';
  if (st.monitor) f += 'O';
  if (c.channels.size + c.patterns.size + c.shardChannels.size > 0) f += 'P';
  const tx = transactionInfo(c);
  if (c.ctxFlags & VALKEYMODULE_CTX_FLAGS_MULTI || tx.inMulti || (stateHooks.get(engine)?.multiCount?.(c) ?? -1) >= 0) f += 'x';
  if ((c instanceof Connection && c.waiting) || engine.blocking.isBlocked(c)) f += 'b';
  if (c.ctxFlags & VALKEYMODULE_CTX_FLAGS_MULTI_DIRTY || tx.dirtyCas || stateHooks.get(engine)?.dirtyCas?.(c)) f += 'd';
  if (c instanceof Connection) {
    if (c.closeAfterReply) f += 'c';
    if (c.closing) f += 'A';
    if (c.unix) f += 'U';
  }
  if (st.noEvict) f += 'e';
  if (st.noTouch) f += 'T';
  return f || 'N';
}

/** Valkey's client type: "normal", "pubsub" (MONITOR clients are normal). */
export function clientType(c: Client): 'normal' | 'pubsub' {
  return c.channels.size + c.patterns.size + c.shardChannels.size > 0 ? 'pubsub' : 'normal';
}

/** One CLIENT LIST / CLIENT INFO line (without the newline), fields in Valkey 8.1's order.
 *  `current` is the full name of the command the client is running now (cmd=); without it
 *  a connection shows the last command it ran. */
export function clientInfoString(engine: Engine, c: Client, current?: string): string {
  const st = clientState(c);
  const now = Date.now();
  const hooks = stateHooks.get(engine);
  const tx = transactionInfo(c);
  const multi = hooks?.multiCount?.(c) ?? tx.multi;
  const conn = c instanceof Connection ? c : undefined;
  const qbuf = conn ? conn.parser.pending : 0;
  const qfree = conn ? conn.parser.free : 0;
  const argvMem = conn ? conn.parser.argvBytes : 0;
  const multiMem = hooks?.multiMem?.(c) ?? 0;
  const omem = conn ? conn.socket.writableLength : 0;
  const rbs = 16384;
  const totMem = omem + (conn ? conn.parser.capacity : 0) + rbs + argvMem + multiMem + 1888;
  return (
    `id=${c.id} addr=${conn ? conn.addr : '?:0'} laddr=${conn ? conn.laddr : '?:0'} fd=${conn ? conn.fd : -1}` +
    ` name=${c.name} age=${Math.floor((now - st.ctime) / 1000)} idle=${Math.floor((now - st.lastInteraction) / 1000)}` +
    ` flags=${flagsOf(engine, c)} capa=${st.capaRedirect ? 'r' : ''} db=${c.db} sub=${c.channels.size} psub=${c.patterns.size}` +
    ` ssub=${c.shardChannels.size} multi=${multi} watch=${hooks?.watchCount?.(c) ?? tx.watch}` +
    ` qbuf=${qbuf} qbuf-free=${qfree} argv-mem=${argvMem} multi-mem=${multiMem} rbs=${rbs} rbp=${rbs}` +
    ` obl=0 oll=0 omem=${omem} tot-mem=${totMem} events=${conn && omem > 0 ? 'rw' : conn ? 'r' : ''}` +
    ` cmd=${current ?? (conn ? conn.lastCommand : 'NULL')} user=${userNameOf(engine, c)} redir=-1 resp=${c.proto}` +
    ` lib-name=${st.libName} lib-ver=${st.libVer}` +
    ` tot-net-in=${conn ? conn.netIn : 0} tot-net-out=${conn ? conn.netOut : 0} tot-cmds=${conn ? conn.commandsProcessed : 0}`
  );
}

// ---------------------------------------------------------------------------------------------
// The connection
// ---------------------------------------------------------------------------------------------

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly engine: Engine;
  /** The unix socket path (for the addresses of unix connections). */
  readonly unixsocket: string;
  /** Network counters (INFO stats). */
  readonly net: NetStats;
  /** client-query-buffer-limit (bytes). */
  queryBufferLimit(): number;
  /** [hard, soft, soft seconds] of client-output-buffer-limit for a class. */
  outputLimits(cls: 'normal' | 'pubsub'): readonly [number, number, number];
  /** Called once when a connection is gone. */
  connectionClosed(conn: Connection): void;
}

/** Counters of the network layer. */
export class NetStats {
  totalConnections = 0;
  rejectedConnections = 0;
  netInput = 0;
  netOutput = 0;
  reads = 0;
  writes = 0;
  queryBufferLimitDisconnections = 0;
  outputBufferLimitDisconnections = 0;
  /** Largest query buffer seen in each of the last 8 seconds (slot = second % 8). */
  readonly inputPeaks = new Float64Array(8);
  readonly outputPeaks = new Float64Array(8);
  readonly peakSecond = new Float64Array(8);

  /** Notes a query / output buffer size for client_recent_max_*_buffer. */
  notePeak(input: number, output: number, nowMs: number): void {
    const sec = Math.floor(nowMs / 1000);
    const slot = sec & 7;
    if (this.peakSecond[slot] !== sec) {
      this.peakSecond[slot] = sec;
      this.inputPeaks[slot] = 0;
      this.outputPeaks[slot] = 0;
    }
    if (input > this.inputPeaks[slot]!) this.inputPeaks[slot] = input;
    if (output > this.outputPeaks[slot]!) this.outputPeaks[slot] = output;
  }

  /** [max input, max output] buffer over the last 8 seconds. */
  recentPeaks(nowMs: number): [number, number] {
    const sec = Math.floor(nowMs / 1000);
    let i = 0;
    let o = 0;
    for (let s = 0; s < 8; s++) {
      if (sec - this.peakSecond[s]! >= 8) continue;
      if (this.inputPeaks[s]! > i) i = this.inputPeaks[s]!;
      if (this.outputPeaks[s]! > o) o = this.outputPeaks[s]!;
    }
    return [i, o];
  }
}

/** Flush the reply buffer early once a batch produced this much. */
const FLUSH_EARLY = 1024 * 1024;
/** Stop reading from a client whose unsent output is this large, until it drains. */
const READ_PAUSE_OUTPUT = 64 * 1024 * 1024;
/** Unauthenticated clients' query buffer limit. */
const UNAUTH_QUERY_LIMIT = 1024 * 1024;

let lastSecurityWarning = 0;

/** strerror() texts Valkey logs for common socket errors. */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
};

/** A client connected over TCP or a unix socket. */
export class Connection extends Client implements ClientState {
  /** Replies are encoded here and written with one socket write per batch. */
  readonly out: RespWriter;
  readonly parser = new RequestParser();
  /** `ip:port` of the peer and of our end (`path:0` for a unix socket). */
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  readonly unix: boolean;

  libName = '';
  libVer = '';
  readonly ctime = Date.now();
  lastInteraction = this.ctime;
  noEvict = false;
  capaRedirect = false;
  replyOff = false;
  replySkip = false;
  replySkipNext = false;
  monitor = false;

  /** Full name of the last command run (CLIENT LIST cmd=). */
  lastCommand = 'NULL';
  /** Bytes read from / written to the socket, commands run. */
  netIn = 0;
  netOut = 0;
  commandsProcessed = 0;
  /** Close once the pending replies are written (QUIT, protocol error, CLIENT KILL of self). */
  closeAfterReply = false;
  /** Being closed; no more replies. */
  closing = false;
  /** Gone. */
  closed = false;
  /** Waiting for a blocking command (CLIENT LIST flag b, INFO blocked_clients). */
  waiting = false;
  /** Waiting for a client pause to end (set by the pause gate; the command is retried). */
  postponed: Promise<void> | undefined;
  /** Whether the current wait is a pause (not counted in blocked_clients). */
  postponedWait = false;

  private discard: RespWriter | undefined;
  private ownMonitorLines: string[] | undefined;
  private inRun = false;
  private cleanupAfterRun = false;
  private flushQueued = false;
  private obufSoftSince = 0;
  private readonly config: ServerConfig;
  private readonly flushTask = () => {
    this.flushQueued = false;
    this.flush();
  };

  constructor(
    readonly host: ConnectionHost,
    readonly socket: net.Socket,
    unix: boolean,
  ) {
    const engine = host.engine;
    const remote = socket.remoteAddress;
    super(engine, allocateClientId(engine), { local: unix || isLoopbackAddress(remote) });
    this.unix = unix;
    this.config = configOf(engine);
    if (unix) {
      this.addr = this.laddr = `${host.unixsocket}:0`;
    } else {
      this.addr = formatAddr(remote ?? '?', socket.remotePort ?? 0);
      this.laddr = formatAddr(socket.localAddress ?? '?', socket.localPort ?? 0);
    }
    this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    this.out = new RespWriter(2);
    this.parser.authRequired = () => authRequired(engine, this);
    connectionsOf(engine).add(this);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      if (this.socket.isPaused()) this.socket.resume();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const text = SOCKET_ERRORS[err.code ?? ''] ?? err.message;
      engine.logger.log(LL_VERBOSE, `Reading from client: ${text}`);
    });
    socket.on('end', () => {
      if (!this.closing && engine.logger.level <= LL_VERBOSE) {
        engine.logger.log(LL_VERBOSE, `Client closed connection ${clientInfoString(engine, this)}`);
      }
      this.closing = true;
      this.socket.end();
    });
    socket.on('close', () => this.cleanup());
  }

  /** Switches RESP2/RESP3 for replies and pushes. */
  override setProtocol(proto: 2 | 3): void {
    super.setProtocol(proto);
    (this.out as { proto: 2 | 3 }).proto = proto;
    if (this.discard) (this.discard as { proto: 2 | 3 }).proto = proto;
  }

  /** Writes a pub/sub message (RESP3 push, RESP2 array) to the socket. */
  override deliver(parts: string[]): void {
    if (this.closing) return;
    const w = this.out;
    w.push(parts.length);
    for (let i = 0; i < parts.length; i++) w.bulk(parts[i]!);
    this.scheduleFlush();
  }

  /** Queues a MONITOR line (a status reply). A monitor's own command is shown after its
   *  reply, as Valkey feeds monitors once the command ran. */
  sendMonitorLine(line: string, own = false): void {
    if (this.closing) return;
    if (own) {
      (this.ownMonitorLines ??= []).push(line);
      return;
    }
    if (this.replyOff || this.replySkip) return;
    this.out.simple(line);
    this.scheduleFlush();
  }

  /** Writes pending replies now, unless a batch is being processed (it flushes at its end). */
  scheduleFlush(): void {
    if (this.inRun || this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushTask);
  }

  /** Closes the connection at once (CLIENT KILL, limits); pending output is dropped. */
  kill(): void {
    if (this.closed) return;
    this.closing = true;
    this.socket.destroy();
    this.cleanup();
  }

  /** Closes now, or after the reply of the command running on this connection. */
  requestClose(): void {
    if (this.inRun) this.closeAfterReply = true;
    else this.kill();
  }

  /** Idle time in ms. */
  idleMs(now: number): number {
    return now - this.lastInteraction;
  }

  private onData(chunk: Buffer): void {
    const n = chunk.length;
    this.netIn += n;
    const net = this.host.net;
    net.netInput += n;
    net.reads++;
    this.lastInteraction = Date.now();
    if (this.closing || this.closeAfterReply) return;
    const parser = this.parser;
    parser.maxBulkLen = this.config.protoMaxBulkLen;
    parser.feed(chunk);
    const pending = parser.pending;
    if (pending > 16384) net.notePeak(pending, 0, this.lastInteraction);
    if (pending > UNAUTH_QUERY_LIMIT && (pending > this.host.queryBufferLimit() || authRequired(this.engine, this))) {
      const bytes = reprBytes(parser.peek(64).toString('latin1'));
      this.engine.logger.log(
        LL_WARNING,
        `Closing client that reached max query buffer length: ${clientInfoString(this.engine, this)} (qbuf initial bytes: ${bytes})`,
      );
      net.queryBufferLimitDisconnections++;
      this.kill();
      return;
    }
    if (!this.inRun && !this.waiting) this.process();
  }

  /** Runs the complete commands received, in order, until one blocks or the input ends. */
  private process(): void {
    if (this.closing) return;
    const parser = this.parser;
    this.inRun = true;
    try {
      this.runLoop(parser);
    } catch (err) {
      // a bug, not the client's fault: keep serving everyone else
      this.engine.logger.log(LL_WARNING, `Closing client after an internal error: ${(err as Error)?.stack ?? err}`);
      this.inRun = false;
      this.kill();
      return;
    } finally {
      this.inRun = false;
    }
    if (this.cleanupAfterRun) {
      this.cleanupAfterRun = false;
      this.cleanup();
      return;
    }
    this.flush();
    if (this.closeAfterReply && !this.waiting && !this.closing) {
      this.closing = true;
      this.socket.end();
    }
  }

  /** The body of process(): parse and run until input runs out or a command waits. */
  private runLoop(parser: RequestParser): void {
    for (;;) {
      if (this.closeAfterReply || this.closing) return;
      const args = parser.next();
      if (args === null) {
        if (parser.error !== null) this.protocolError();
        return;
      }
      const wait = this.runCommand(args);
      if (wait !== undefined) {
        this.block(wait);
        return;
      }
      if (this.out.length > FLUSH_EARLY) this.flush();
    }
  }

  /** Runs one command; returns a Promise when it has to wait (blocking command or pause). */
  private runCommand(args: string[]): Promise<void> | undefined {
    this.commandsProcessed++;
    const a0 = args[0]!;
    if ((a0.length === 4 || a0.length === 5) && isCrossProtocolAttack(a0)) {
      this.securityWarning();
      return undefined;
    }
    const w = this.replyOff || this.replySkip ? (this.discard ??= new RespWriter(this.proto, 256)) : this.out;
    const done = this.engine.execute(this, args, w);
    if (done !== undefined) {
      return done.then(
        () => this.afterCommand(w),
        (err: Error) => {
          w.error(`ERR ${String(err?.message ?? err).replace(/[\r\n]+/g, ' ')}`);
          this.afterCommand(w);
        },
      );
    }
    const postponed = this.postponed;
    if (postponed !== undefined) {
      // paused: run the command again once the pause is over
      this.postponed = undefined;
      this.commandsProcessed--;
      this.postponedWait = true;
      return postponed.then(() => {
        this.postponedWait = false;
        if (this.closing) return undefined;
        return this.runCommand(args);
      });
    }
    this.afterCommand(w);
    return undefined;
  }

  /** Reply-mode bookkeeping after a command (CLIENT REPLY OFF/SKIP, Valkey's resetClient). */
  private afterCommand(w: RespWriter): void {
    if (w !== this.out && w.length > 0) {
      const bytes = w.take();
      // CLIENT REPLY ON answers although it ran silenced
      if (!this.replyOff && !this.replySkip) this.out.raw(bytes);
    }
    if (this.replySkip || this.replySkipNext) {
      this.replySkip = this.replySkipNext;
      this.replySkipNext = false;
    }
    const own = this.ownMonitorLines;
    if (own !== undefined) {
      this.ownMonitorLines = undefined;
      if (this.monitor && !this.replyOff && !this.replySkip) for (const l of own) this.out.simple(l);
    }
  }

  /** Waits for a blocked command, then goes on with the pipeline. */
  private block(wait: Promise<void>): void {
    this.waiting = true;
    this.flush();
    wait.then(
      () => this.resume(),
      (err: Error) => {
        this.engine.logger.log(LL_WARNING, `Blocked command failed: ${err?.message ?? err}`);
        this.resume();
      },
    );
  }

  private resume(): void {
    this.waiting = false;
    this.postponedWait = false;
    if (this.closing) return;
    this.process();
  }

  /** Replies a protocol error (unless replies are off), logs it as Valkey does and closes
   *  the connection once the reply is written. */
  private protocolError(): void {
    const parser = this.parser;
    const msg = parser.error!;
    const engine = this.engine;
    if (engine.logger.level <= LL_VERBOSE) {
      engine.logger.log(
        LL_VERBOSE,
        `Protocol error (${parser.errorReason}) from client: ${clientInfoString(engine, this)}. ${protocolSample(parser)}`,
      );
    }
    engine.commandStats.errorReply(msg);
    if (!this.replyOff && !this.replySkip) this.out.error(msg);
    this.closeAfterReply = true;
    parser.reset();
  }

  /** Writes the replies gathered so far. */
  flush(): void {
    const out = this.out;
    if (out.length === 0 || this.closed) return;
    // What the replies acknowledge reaches the AOF first (appendfsync always: on disk).
    this.engine.beforeReplies?.();
    const data = out.take();
    const n = data.length;
    this.netOut += n;
    const net = this.host.net;
    net.netOutput += n;
    net.writes++;
    const socket = this.socket;
    socket.write(data);
    const pending = socket.writableLength;
    if (pending > 0) {
      net.notePeak(0, pending, Date.now());
      this.checkOutputLimits(pending);
      if (pending > READ_PAUSE_OUTPUT && !this.closed && !socket.isPaused()) socket.pause();
    }
  }

  /** client-output-buffer-limit: closes a client whose unsent output passed the hard limit,
   *  or the soft limit for longer than the soft seconds. */
  private checkOutputLimits(used: number): void {
    const cls = this.monitor ? 'normal' : clientType(this);
    const [hard, soft, secs] = this.host.outputLimits(cls);
    if (hard === 0 && soft === 0) return;
    let reached = hard > 0 && used >= hard;
    if (soft > 0 && used >= soft) {
      const now = Date.now();
      if (this.obufSoftSince === 0) this.obufSoftSince = now;
      else if (Math.floor(now / 1000) - Math.floor(this.obufSoftSince / 1000) > secs) reached = true;
    } else {
      this.obufSoftSince = 0;
    }
    if (!reached) return;
    const engine = this.engine;
    engine.logger.log(
      LL_WARNING,
      `Client ${clientInfoString(engine, this)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    this.host.net.outputBufferLimitDisconnections++;
    this.kill();
  }

  /** A request that looks like HTTP (POST, Host:): logged at most once a minute, then closed. */
  private securityWarning(): void {
    const now = Date.now();
    if (now - lastSecurityWarning > 60_000) {
      lastSecurityWarning = now;
      const ip = this.unix ? undefined : this.socket.remoteAddress;
      this.engine.logger.log(
        LL_WARNING,
        'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. ' +
          'This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. ' +
          (ip !== undefined ? `Connection from ${ip}:${this.socket.remotePort} aborted.` : 'Connection aborted.'),
      );
    }
    this.closing = true;
    this.socket.destroy();
  }

  /** Drops everything the connection held (subscriptions, registry entries). */
  private cleanup(): void {
    if (this.closed) return;
    // Gone while its own command yields (ValkeyModule_Yield serving other clients): torn
    // down once that command returned, as Valkey protects the yielding client.
    if (this.inRun && this.engine.busyModule !== undefined) {
      this.cleanupAfterRun = true;
      return;
    }
    this.closed = true;
    this.closing = true;
    const engine = this.engine;
    engine.pubsub.dropAll(this);
    connectionsOf(engine).delete(this);
    const listeners = closeListeners.get(engine);
    if (listeners) for (const l of listeners.slice()) l(this);
    this.parser.reset();
    this.host.connectionClosed(this);
  }
}

/** "host:" or "post", any case. */
function isCrossProtocolAttack(a0: string): boolean {
  const l = a0.toLowerCase();
  return l === 'host:' || l === 'post';
}

/** The "Query buffer during protocol error" sample of Valkey's log line. */
function protocolSample(parser: RequestParser): string {
  const pending = parser.pending;
  const printable = (b: Buffer) => {
    let s = '';
    for (const c of b) {
      if (c === 0) break;
      s += c >= 32 && c <= 126 ? String.fromCharCode(c) : '.';
    }
    return s;
  };
  const all = parser.peek(pending);
  let text: string;
  if (pending < 128) {
    text = `Query buffer during protocol error: '${printable(all)}'`;
  } else {
    text =
      `Query buffer during protocol error: '${printable(all.subarray(0, 64))}' (... more ${pending - 128} bytes ...) ` +
      `'${printable(all.subarray(pending - 64))}'`;
  }
  return text.length > 255 ? text.slice(0, 255) : text;
}
