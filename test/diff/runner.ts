/**
 * Differential runner: runs command sequences against our engine and Debian's
 * redis-server, comparing each reply byte for byte in RESP2 and in RESP3.
 *
 *   const d = await DiffSession.start();          // in a test file (skips without redis-server)
 *   await d.check([['SET', 'k', 'v'], ['GET', 'k']]);
 *   await d.check([['SADD', 's', 'a', 'b'], ['SMEMBERS', 's']], { unordered: ['SMEMBERS'] });
 *   d.stop();
 *
 * Each sequence runs from an empty keyspace, once per protocol (FLUSHALL in between).
 * Where Valkey and Redis 7.0 are known to differ, exceptions.ts says how (one place).
 */
import assert from 'node:assert/strict';
import { Engine, RespWriter } from '../../src/index.js';
import { haveRedisServer, RedisOracle, replyLength, type RawClient } from '../oracle.js';
import { exceptionFor } from './exceptions.js';

export interface CheckOptions {
  /** Commands (upper-case names) whose top-level reply elements may come in any order. */
  unordered?: string[];
  /** Commands whose reply is random: only the reply's type and element count are compared. */
  shapeOnly?: string[];
  /** Run only in this protocol. */
  proto?: 2 | 3;
}

/** Splits an aggregate reply into its top-level element encodings (header first). */
function splitTop(buf: Buffer): { header: string; items: string[] } {
  const eol = buf.indexOf('\r\n');
  const header = buf.toString('latin1', 0, eol + 2);
  const t = header[0];
  if (!'*~%>'.includes(t!) || header.startsWith('*-1')) return { header, items: [buf.toString('latin1')] };
  const items: string[] = [];
  let p = eol + 2;
  const pairs = t === '%';
  while (p < buf.length) {
    let n = replyLength(buf, p);
    if (pairs) n += replyLength(buf, p + n);
    items.push(buf.toString('latin1', p, p + n));
    p += n;
  }
  return { header, items };
}

function normalise(buf: Buffer, name: string, opts: CheckOptions): string {
  if (opts.shapeOnly?.includes(name)) {
    const { header, items } = splitTop(buf);
    return `${header}<${items.length} items>`;
  }
  if (opts.unordered?.includes(name)) {
    const { header, items } = splitTop(buf);
    return header + items.sort().join('');
  }
  return buf.toString('latin1');
}

export class DiffSession {
  private constructor(
    private readonly oracle: RedisOracle,
    private readonly r2: RawClient,
    private readonly r3: RawClient,
  ) {}

  /** Whether differential tests can run here (redis-server installed). */
  static available(): boolean {
    return haveRedisServer();
  }

  static async start(modules: string[] = []): Promise<DiffSession> {
    const oracle = await RedisOracle.start(modules);
    const r2 = await oracle.client();
    const r3 = await oracle.client();
    await r3.send('HELLO', '3');
    return new DiffSession(oracle, r2, r3);
  }

  /** Runs `seq` on both servers in both protocols and asserts identical replies. */
  async check(seq: (string | Buffer)[][], opts: CheckOptions = {}): Promise<void> {
    for (const proto of [2, 3] as const) {
      if (opts.proto && opts.proto !== proto) continue;
      const engine = new Engine();
      const client = engine.client();
      if (proto === 3) client.setProtocol(3);
      const raw = proto === 2 ? this.r2 : this.r3;
      await raw.send('FLUSHALL');
      await raw.send('SELECT', '0');
      try {
        for (const cmd of seq) {
          const args = cmd.map((a) => (typeof a === 'string' ? Buffer.from(a, 'utf8').toString('latin1') : a.toString('latin1')));
          const name = args[0]!.toUpperCase();
          const theirs = await raw.send(...cmd);
          const w = new RespWriter(proto);
          const done = engine.execute(client, args, w);
          if (done) await done;
          const ours = w.take();
          const ex = exceptionFor(cmd.map(String), theirs.toString('latin1'));
          if (ex?.skip) continue;
          const expected = ex?.valkey !== undefined ? ex.valkey : normalise(theirs, name, opts);
          assert.equal(
            normalise(ours, name, opts),
            expected,
            `RESP${proto}: ${cmd.map((a) => JSON.stringify(String(a))).join(' ')}\n  sequence: ${JSON.stringify(seq.map((c) => c.map(String)))}`,
          );
        }
      } finally {
        engine.close();
      }
    }
  }

  stop(): void {
    this.r2.close();
    this.r3.close();
    this.oracle.stop();
  }
}

/** A small seeded PRNG (mulberry32) for reproducible random command sequences. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(a: readonly T[]): T } {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (a) => a[Math.floor(next() * a.length)]! };
}
