/**
 * The differential-test oracle: Debian's redis-server started on a free loopback port, and a
 * raw RESP client that returns each reply's exact bytes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** True when redis-server is installed (CI installs it; a developer machine may not). */
export function haveRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Length of the complete RESP reply at buf[off..], or -1 when more bytes are needed. */
export function replyLength(buf: Buffer, off = 0): number {
  const eol = buf.indexOf('\r\n', off);
  if (eol < 0) return -1;
  const type = String.fromCharCode(buf[off]!);
  const head = buf.toString('latin1', off + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '$':
    case '=':
    case '!': {
      const n = Number(head);
      if (n < 0) return after - off;
      return buf.length >= after + n + 2 ? after + n + 2 - off : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      let n = Number(head);
      if (n < 0) return after - off;
      if (type === '%' || type === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        const len = replyLength(buf, p);
        if (len < 0) return -1;
        p += len;
      }
      if (type === '|') {
        const len = replyLength(buf, p);
        if (len < 0) return -1;
        p += len;
      }
      return p - off;
    }
    default:
      return after - off;
  }
}

/** A connection that sends one command at a time and resolves with the raw reply bytes. */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiting: ((b: Buffer) => void)[] = [];
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        if (this.waiting.length === 0) return;
        const n = replyLength(this.buf);
        if (n < 0) return;
        const reply = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        this.waiting.shift()!(Buffer.from(reply));
      }
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.on('error', reject);
    });
  }

  /** Sends a command (RESP array of bulk strings) and returns the reply's bytes. */
  send(...args: (string | Buffer)[]): Promise<Buffer> {
    const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
      const b = typeof a === 'string' ? Buffer.from(a) : a;
      parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.sock.write(Buffer.concat(parts));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

/** A redis-server on loopback with the given modules loaded; stop() kills it. */
export class RedisOracle {
  private constructor(
    readonly port: number,
    private readonly proc: ChildProcess,
    private readonly dir: string,
  ) {}

  /** Starts redis-server with the modules loaded and any extra command-line arguments. */
  static async start(modules: string[] = [], extraArgs: string[] = []): Promise<RedisOracle> {
    const port = await freePort();
    // A directory of its own: never pick up (or write) a dump.rdb of the working directory.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-oracle-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    for (const m of modules) args.push('--loadmodule', m);
    args.push(...extraArgs);
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        const c = await RawClient.connect(port);
        c.close();
        break;
      } catch {
        if (Date.now() > deadline) {
          proc.kill('SIGKILL');
          fs.rmSync(dir, { recursive: true, force: true });
          throw new Error('redis-server did not start');
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return new RedisOracle(port, proc, dir);
  }

  client(): Promise<RawClient> {
    return RawClient.connect(this.port);
  }

  stop(): void {
    this.proc.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
