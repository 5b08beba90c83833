/** Helpers for tests that talk to a Server over real sockets: free ports, a raw client, an
 *  Engine served in-process and the vmhost CLI as a child process. */
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Engine } from '../src/index.js';
import { Server } from '../src/server/server.js';
import { repoRoot } from './helpers.js';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A raw socket client: send bytes, wait for exact bytes, see when the server closes. */
export class RawClient {
  data = Buffer.alloc(0);
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.data = this.data.length ? Buffer.concat([this.data, d]) : d;
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects to a TCP port on 127.0.0.1, or to a unix socket path. */
  static connect(target: number | string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = typeof target === 'number' ? net.connect(target, '127.0.0.1') : net.connect(target);
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RawClient(s));
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `cond` holds (checked on every event), rejects after `ms`. */
  async until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.data.toString('latin1').slice(0, 500))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  send(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Waits for exactly `expected` (latin1 text) at the head of the input and consumes it. */
  async expect(expected: string, ms = 5000): Promise<void> {
    const n = Buffer.byteLength(expected, 'latin1');
    await this.until(() => this.data.length >= n || this.closed, ms, JSON.stringify(expected.slice(0, 200)));
    const got = this.data.subarray(0, n).toString('latin1');
    if (got !== expected) {
      throw new Error(`expected ${JSON.stringify(expected.slice(0, 300))}, got ${JSON.stringify(this.data.toString('latin1').slice(0, 300))}`);
    }
    this.data = this.data.subarray(n);
  }

  /** Takes the input received up to and including the first CRLF (waits for it). */
  async line(ms = 5000): Promise<string> {
    await this.until(() => this.data.indexOf('\r\n') >= 0, ms, 'a line');
    const i = this.data.indexOf('\r\n');
    const l = this.data.subarray(0, i).toString('latin1');
    this.data = this.data.subarray(i + 2);
    return l;
  }

  /** Waits until the server closed the connection. */
  async waitClosed(ms = 5000): Promise<void> {
    await this.until(() => this.closed, ms, 'the server to close the connection');
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A command as RESP multibulk bytes (latin1 text). */
export function resp(...args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** RESP bulk string bytes. */
export function bulk(s: string): string {
  return `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
}

/** An Engine served over TCP on a free 127.0.0.1 port for a group of tests: connect() opens
 *  raw clients, close() closes them, then the server, then the engine. */
export class ServedEngine {
  readonly clients: RawClient[] = [];

  private constructor(
    readonly engine: Engine,
    readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts serving `engine`; resolves once the server listens. */
  static async start(engine: Engine): Promise<ServedEngine> {
    const port = await freePort();
    const server = new Server(engine, { port, bind: ['127.0.0.1'] });
    await server.listen();
    return new ServedEngine(engine, server, port);
  }

  /** A new raw client connected to the server (closed by close()). */
  async connect(): Promise<RawClient> {
    const c = await RawClient.connect(this.port);
    this.clients.push(c);
    return c;
  }

  /** Closes the clients, the server and the engine. */
  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.server.close();
    this.engine.close();
  }
}

/** The compiled vmhost CLI. */
export const VMHOST_CLI = path.join(repoRoot, 'dist', 'src', 'cli.js');

/** A vmhost CLI child process and everything it printed (stdout and stderr) so far. */
export interface VmhostProcess {
  child: ChildProcess;
  out: () => string;
}

/** Spawns the vmhost CLI with `args` in `cwd` and resolves once it logs "Ready to accept
 *  connections"; throws when it exits first, or kills it and throws when it is not ready
 *  within 20 s. */
export async function startVmhost(args: string[], cwd: string): Promise<VmhostProcess> {
  const child = spawn(process.execPath, [VMHOST_CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('latin1');
  child.stderr!.setEncoding('latin1');
  child.stdout!.on('data', (d: string) => (out += d));
  child.stderr!.on('data', (d: string) => (out += d));
  const deadline = Date.now() + 20000;
  while (!out.includes('Ready to accept connections')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`vmhost exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vmhost did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, out: () => out };
}
