/**
 * Protocol fuzz: seeded, bounded streams of malformed, truncated, oversized and random frames
 * over raw sockets. The server must never crash, must answer the frames whose outcome is
 * known with Valkey's exact protocol error, and a control client must keep getting correct
 * replies throughout. Set FUZZ_SEED to replay a run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { Server } from '../src/server/server.js';
import { clientCommands } from '../src/commands/clients.js';
import { RawClient, bulk, freePort, resp } from './net-helpers.js';
import { prng } from './diff/runner.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2024) >>> 0;
const FRAMES = 4000;
const TIME_BUDGET_MS = 18_000;

interface Frame {
  bytes: Buffer;
  /** When the frame is sent alone on a fresh connection: the exact reply, then a close. */
  expectError?: string;
}

const SAFE = ['PING', 'ECHO', 'SET', 'GET', 'INCR', 'DEL', 'EXISTS', 'LPUSH', 'LRANGE', 'HSET', 'HGETALL', 'SADD', 'STRLEN', 'APPEND'];

function makeFrames(rand: () => number): Frame[] {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: T[]) => xs[int(xs.length)]!;
  const randBytes = (n: number) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = int(256);
    return b;
  };
  const word = () => {
    const n = 1 + int(12);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(97 + int(26));
    return s;
  };
  const arg = () => (rand() < 0.2 ? randBytes(int(40)).toString('latin1') : `fz:${word()}`);
  const validArgs = (): string[] => {
    const name = pick(SAFE);
    const n = name === 'PING' ? int(2) : 1 + int(4);
    return [name, ...Array.from({ length: n }, arg)];
  };
  const L = (s: string) => Buffer.from(s, 'latin1');
  const frames: Frame[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const kind = int(12);
    switch (kind) {
      case 0:
      case 1:
        frames.push({ bytes: L(resp(...validArgs())) });
        break;
      case 2:
        frames.push({ bytes: L(validArgs().map((a) => (/^[a-z:]+$/i.test(a) ? a : '"' + a.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')) + '"')).join(' ') + '\r\n') });
        break;
      case 3: {
        // truncated anywhere
        const full = L(resp(...validArgs()));
        frames.push({ bytes: full.subarray(0, 1 + int(full.length - 1)) });
        break;
      }
      case 4:
        frames.push({ bytes: L(`*${pick(['x', '1x', '', '-', '--1', '01', '2147483648', '99999999999999999999', ' 1', '+3'])}\r\n`), expectError: 'ERR Protocol error: invalid multibulk length' });
        break;
      case 5: {
        const c = pick([':', '+', '*', 'x', '-', '#', ' ']);
        frames.push({ bytes: L(`*2\r\n${c}3\r\nGET\r\n`), expectError: `ERR Protocol error: expected '$', got '${c}'` });
        break;
      }
      case 6:
        frames.push({ bytes: L(`*1\r\n$${pick(['-1', '-7', 'abc', '', '01', '536870913', '9223372036854775808', '1e3'])}\r\n`), expectError: 'ERR Protocol error: invalid bulk length' });
        break;
      case 7:
        frames.push({ bytes: L(`${pick(['SET', 'GET', 'ECHO'])} ${pick(['"abc', "'abc", '"a"b', "'a'b", '"\\"'])}\r\n`), expectError: 'ERR Protocol error: unbalanced quotes in request' });
        break;
      case 8:
        if (rand() < 0.1) {
          const which = int(3);
          if (which === 0) frames.push({ bytes: Buffer.alloc(64 * 1024 + 1 + int(2000), 97), expectError: 'ERR Protocol error: too big inline request' });
          else if (which === 1) frames.push({ bytes: L('*' + '7'.repeat(64 * 1024 + 1)), expectError: 'ERR Protocol error: too big mbulk count string' });
          else frames.push({ bytes: L('*1\r\n$' + '3'.repeat(64 * 1024 + 1)), expectError: 'ERR Protocol error: too big bulk count string' });
        } else {
          frames.push({ bytes: L(`*${1 + int(3)}\r\n$${1 + int(5)}\r\n`) }); // header, then whatever follows
        }
        break;
      case 9:
        frames.push({ bytes: randBytes(1 + int(rand() < 0.9 ? 64 : 4000)) });
        break;
      case 10: {
        // a valid frame with one byte flipped
        const b = Buffer.from(L(resp(...validArgs())));
        b[int(b.length)] = int(256);
        frames.push({ bytes: b });
        break;
      }
      default:
        frames.push({ bytes: L('\r\n'.repeat(int(3)) + '*0\r\n*-1\r\n' + resp('PING')) });
    }
  }
  return frames;
}

let engine: Engine;
let server: Server;
let port: number;

before(async () => {
  engine = new Engine();
  for (const def of clientCommands) if (!engine.commands.has(def.name)) engine.commands.add(def);
  port = await freePort();
  server = new Server(engine, { port, bind: ['127.0.0.1'] });
  await server.listen();
});

after(async () => {
  await server.close();
  engine.close();
});

/** Sends frames on one connection (split into random chunks), then waits until the server
 *  closes it or stays quiet; returns what came back. */
async function session(frames: Frame[], rand: () => number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  const all = Buffer.concat(frames.map((f) => f.bytes));
  let off = 0;
  while (off < all.length && !c.closed) {
    const n = 1 + Math.floor(rand() * (rand() < 0.5 ? 16 : 70_000));
    c.send(all.subarray(off, off + n));
    off += n;
    if (rand() < 0.3) await new Promise((r) => setImmediate(r));
  }
  // wait for the server to close it, or for a quiet moment
  let last = -1;
  const deadline = Date.now() + 500;
  while (!c.closed && Date.now() < deadline) {
    if (c.data.length === last) break;
    last = c.data.length;
    await new Promise((r) => setTimeout(r, 25));
  }
  return c;
}

test(`protocol fuzz (seed ${SEED}): the server survives and other clients are undisturbed`, async () => {
  const t0 = Date.now();
  const rand = prng(SEED).next;
  const frames = makeFrames(rand);
  const control = await RawClient.connect(port);
  let controlRound = 0;
  const oneCheck = async () => {
    const i = controlRound++;
    control.send(resp('SET', `ctl:${i}`, `v${i}`) + resp('GET', `ctl:${i}`) + resp('INCR', 'ctl:counter') + 'ECHO "ok\\x00"\r\n');
    await control.expect('+OK\r\n' + bulk(`v${i}`) + `:${i + 1}\r\n` + bulk('ok\x00'));
  };
  // one check at a time: the workers share the control connection
  let lock: Promise<void> = Promise.resolve();
  const checkControl = () => (lock = lock.then(oneCheck));

  // The batches (one connection each) and their chunking are fixed by the seed up front.
  const batches: { frames: Frame[]; seed: number }[] = [];
  for (let i = 0; i < frames.length; ) {
    const f = frames[i]!;
    const n = f.expectError && rand() < 0.5 ? 1 : 1 + Math.floor(rand() * 20);
    batches.push({ frames: frames.slice(i, i + n), seed: Math.floor(rand() * 2 ** 32) });
    i += n;
  }
  let sent = 0;
  let checkedErrors = 0;
  const concurrency = 8;
  let next = 0;
  const worker = async () => {
    while (next < batches.length && Date.now() - t0 < TIME_BUDGET_MS) {
      const { frames: batch, seed } = batches[next++]!;
      const c = await session(batch, prng(seed).next);
      sent += batch.length;
      if (batch.length === 1 && batch[0]!.expectError) {
        await c.until(() => c.closed, 5000, 'close after a protocol error');
        assert.equal(c.data.toString('latin1'), `-${batch[0]!.expectError}\r\n`);
        checkedErrors++;
      }
      c.close();
      if (sent % 100 < 20) await checkControl();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await checkControl();

  assert.ok(sent >= FRAMES * 0.9 || Date.now() - t0 >= TIME_BUDGET_MS, `sent ${sent} frames`);
  assert.ok(checkedErrors > 20, `checked ${checkedErrors} exact protocol errors`);
  if (process.env.FUZZ_VERBOSE) console.log({ sent, checkedErrors, controlRound, ms: Date.now() - t0 });
  // every fuzz connection is gone; the control is the only client left
  const deadline = Date.now() + 3000;
  while (server.connections.size > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(server.connections.size, 1);
  // still accepting, still correct
  const fresh = await RawClient.connect(port);
  fresh.send(resp('PING') + resp('GET', 'ctl:counter'));
  await fresh.expect('+PONG\r\n' + bulk(String(controlRound)));
  fresh.close();
  control.close();
  assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
});
