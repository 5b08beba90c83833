/** HyperLogLog: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST, byte-exact with Valkey. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, SimpleString, type Reply } from '../src/index.js';
import { murmurHash64A, hllPattern, HLL_DENSE_SIZE } from '../src/engine/hll.js';
import { DiffSession, prng } from './diff/runner.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';

function assertError(r: Reply, message: string): void {
  assert.ok(r instanceof ReplyError, `expected error ${message}, got ${String(r)}`);
  assert.equal(r.message, message);
}

/** The raw bytes of a key's value. */
function raw(engine: Engine, key: string, db = 0): Buffer {
  const v = engine.dbs[db]!.get(key);
  assert.equal(typeof v, 'string');
  return Buffer.from(v as string, 'latin1');
}

const HLL_WRONGTYPE = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const INVALID = 'INVALIDOBJ Corrupted HLL object detected';

test('MurmurHash64A and the register pattern', () => {
  assert.equal(murmurHash64A('a'), 0x53d2470a9b43b1a7n);
  assert.deepEqual(hllPattern('a'), { index: 12711, count: 2 });
  // Lengths over 8 use the block loop: hashes are stable 64-bit values.
  const h = murmurHash64A('a much longer element than eight bytes');
  assert.ok(h >= 0n && h < 1n << 64n);
});

test('PFADD creates a sparse HLL with Valkey bytes', async () => {
  const e = new Engine();
  assert.equal(await e.call('PFADD', 'k'), 1);
  // Empty: one XZERO run of 16384, cache marked stale by the creating PFADD.
  assert.equal(raw(e, 'k').toString('hex'), '48594c4c010000000000000000000080' + '7fff');
  assert.equal(await e.call('PFADD', 'k'), 0);
  assert.equal(await e.call('PFADD', 'h', 'a'), 1);
  assert.equal(raw(e, 'h').toString('hex'), '48594c4c010000000000000000000080' + '71a6844e57');
  assert.equal(await e.call('PFADD', 'h', 'a'), 0);
  assert.equal(await e.call('PFCOUNT', 'h'), 1);
  // PFCOUNT stored the cardinality (little endian) and cleared the stale bit.
  assert.equal(raw(e, 'h').subarray(8, 16).toString('hex'), '0100000000000000');
  assert.equal(await e.call('PFDEBUG', 'DECODE', 'h'), 'Z:12711 v:2,1 Z:3672');
  assert.deepEqual(await e.call('PFDEBUG', 'encoding', 'h'), new SimpleString('sparse'));
  e.close();
});

test('PFCOUNT, PFMERGE and the union', async () => {
  const e = new Engine();
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < 500; i++) a.push(`a${i}`);
  for (let i = 250; i < 1000; i++) b.push(`a${i}`);
  assert.equal(await e.call('PFADD', 'x', ...a), 1);
  assert.equal(await e.call('PFADD', 'y', ...b), 1);
  const cx = (await e.call('PFCOUNT', 'x')) as number;
  assert.ok(Math.abs(cx - 500) < 25, String(cx));
  const u = (await e.call('PFCOUNT', 'x', 'y', 'missing')) as number;
  assert.ok(Math.abs(u - 1000) < 40, String(u));
  assert.deepEqual(await e.call('PFMERGE', 'z', 'x', 'y'), new SimpleString('OK'));
  assert.equal(await e.call('PFCOUNT', 'z'), u);
  // The destination counts as a source.
  assert.deepEqual(await e.call('PFMERGE', 'x'), new SimpleString('OK'));
  assert.equal(await e.call('PFCOUNT', 'x'), cx);
  assert.equal(await e.call('PFCOUNT', 'nokey'), 0);
  assert.equal(await e.call('PFCOUNT', 'nokey', 'nokey2'), 0);
  e.close();
});

test('sparse to dense promotion: register over 32 and hll-sparse-max-bytes', async () => {
  const e = new Engine();
  // Enough distinct elements outgrow 3000 bytes of sparse code.
  const els: string[] = [];
  for (let i = 0; i < 3000; i++) els.push(`e${i}`);
  await e.call('PFADD', 'big', ...els);
  assert.equal(raw(e, 'big').length, HLL_DENSE_SIZE);
  assert.deepEqual(await e.call('PFDEBUG', 'ENCODING', 'big'), new SimpleString('dense'));
  assertError(await e.call('PFDEBUG', 'DECODE', 'big'), 'ERR HLL encoding is not sparse');
  const c = (await e.call('PFCOUNT', 'big')) as number;
  assert.ok(Math.abs(c - 3000) < 100, String(c));
  // TODENSE on a sparse HLL converts once.
  await e.call('PFADD', 's', 'x');
  assert.equal(await e.call('PFDEBUG', 'TODENSE', 's'), 1);
  assert.equal(await e.call('PFDEBUG', 'TODENSE', 's'), 0);
  assert.equal(await e.call('PFCOUNT', 's'), 1);
  const regs = (await e.call('PFDEBUG', 'GETREG', 's')) as number[];
  assert.equal(regs.length, 16384);
  assert.equal(regs.filter((r) => r !== 0).length, 1);
  // Merging a dense source makes the destination dense.
  await e.call('PFADD', 'd2', 'q');
  await e.call('PFMERGE', 'd2', 'big');
  assert.equal(raw(e, 'd2').length, HLL_DENSE_SIZE);
  e.close();
});

test('errors: wrong type, not an HLL, corrupted, PFDEBUG', async () => {
  const e = new Engine();
  await e.call('RPUSH', 'list', 'a');
  await e.call('SET', 'str', 'hello world, not an hll');
  await e.call('SET', 'short', 'HYLL');
  assertError(await e.call('PFADD', 'list', 'a'), WRONGTYPE);
  assertError(await e.call('PFADD', 'str', 'a'), HLL_WRONGTYPE);
  assertError(await e.call('PFADD', 'short', 'a'), HLL_WRONGTYPE);
  assertError(await e.call('PFCOUNT', 'str'), HLL_WRONGTYPE);
  assertError(await e.call('PFCOUNT', 'nokey', 'list'), WRONGTYPE);
  assertError(await e.call('PFMERGE', 'dst', 'str'), HLL_WRONGTYPE);
  assert.equal(await e.call('EXISTS', 'dst'), 0);
  // A dense header with the wrong length is not an HLL.
  await e.call('SET', 'baddense', Buffer.concat([Buffer.from('HYLL'), Buffer.alloc(20)]));
  assertError(await e.call('PFCOUNT', 'baddense'), HLL_WRONGTYPE);
  // Encoding 2 is not an HLL either.
  await e.call('SET', 'enc2', Buffer.concat([Buffer.from('HYLL\x02'), Buffer.alloc(13)]));
  assertError(await e.call('PFCOUNT', 'enc2'), HLL_WRONGTYPE);
  // A sparse code that does not cover the 16384 registers is corrupted.
  const bad = Buffer.concat([Buffer.from('HYLL\x01'), Buffer.alloc(10), Buffer.from([0x80]), Buffer.from([0x7f, 0x00])]);
  await e.call('SET', 'corrupt', bad);
  assertError(await e.call('PFCOUNT', 'corrupt'), INVALID);
  assertError(await e.call('PFCOUNT', 'corrupt', 'nokey'), INVALID);
  assertError(await e.call('PFMERGE', 'dst', 'corrupt'), INVALID);
  assertError(await e.call('PFDEBUG', 'GETREG', 'corrupt'), INVALID);
  // PFDEBUG
  assertError(await e.call('PFDEBUG', 'GETREG', 'nokey'), 'ERR The specified key does not exist');
  assertError(await e.call('PFDEBUG', 'nosuch', 'nokey'), 'ERR The specified key does not exist');
  await e.call('PFADD', 'h', 'a');
  assertError(await e.call('PFDEBUG', 'nosuch', 'h'), "ERR Unknown PFDEBUG subcommand 'nosuch'");
  assertError(await e.call('PFDEBUG', 'GETREG', 'list'), WRONGTYPE);
  // Valkey 8.1's SIMD switch: no SIMD here, so always reported disabled.
  assert.deepEqual(await e.call('PFDEBUG', 'SIMD', 'ON'), new SimpleString('disabled'));
  assert.deepEqual(await e.call('PFDEBUG', 'simd', 'off'), new SimpleString('disabled'));
  assertError(await e.call('PFDEBUG', 'SIMD', 'maybe'), 'ERR Argument must be ON or OFF');
  assertError(await e.call('PFADD'), "ERR wrong number of arguments for 'pfadd' command");
  assertError(await e.call('PFCOUNT'), "ERR wrong number of arguments for 'pfcount' command");
  assertError(await e.call('PFDEBUG', 'GETREG'), "ERR wrong number of arguments for 'pfdebug' command");
  e.close();
});

test('keyspace effects: TTL kept, pfadd events, dirty', async () => {
  const e = new Engine();
  const events: string[] = [];
  e.onKeyspaceEvent((ev) => events.push(`${ev.event}:${ev.key}`));
  await e.call('PFADD', 'h', 'a');
  await e.call('PEXPIRE', 'h', 100000);
  const dirty = e.dirty;
  await e.call('PFADD', 'h', 'b', 'c');
  assert.equal(e.dirty, dirty + 2);
  assert.ok(((await e.call('PTTL', 'h')) as number) > 0);
  await e.call('PFADD', 'h', 'a'); // no change: no event
  await e.call('PFMERGE', 'm', 'h');
  await e.call('PFCOUNT', 'h'); // caches: no event
  assert.ok(((await e.call('PTTL', 'h')) as number) > 0);
  assert.deepEqual(
    events.filter((x) => !x.startsWith('keymiss')),
    ['new:h', 'pfadd:h', 'expire:h', 'pfadd:h', 'new:m', 'pfadd:m'],
  );
  e.close();
});

test('PFSELFTEST', async () => {
  const e = new Engine();
  assert.deepEqual(await e.call('PFSELFTEST'), new SimpleString('OK'));
  e.close();
});

// ---- differential against redis-server ------------------------------------------------------

function elements(r: ReturnType<typeof prng>, n: number, space: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`el:${r.int(space)}`);
  return out;
}

test('differential: HLL bytes after PFADD, PFCOUNT caching and PFMERGE', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['PFADD', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['GET', 'h'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a'],
      ['GET', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFMERGE', 'm', 'h', 'nokey'],
      ['GET', 'm'],
      ['PFMERGE', 'empty'],
      ['GET', 'empty'],
      ['PFCOUNT', 'h', 'm', 'empty'],
      ['PFDEBUG', 'TODENSE', 'm'],
      ['GET', 'm'],
      ['PFDEBUG', 'GETREG', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'zzz'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
    ]);
    // Growth past hll-sparse-max-bytes and merges of sparse into dense and back.
    const r = prng(7);
    await d.check([
      ['PFADD', 'a', ...elements(r, 400, 100000)],
      ['GET', 'a'],
      ['PFADD', 'a', ...elements(r, 1500, 100000)],
      ['GET', 'a'],
      ['PFCOUNT', 'a'],
      ['GET', 'a'],
      ['PFADD', 'b', ...elements(r, 60, 1000)],
      ['PFMERGE', 'c', 'b'],
      ['GET', 'c'],
      ['PFMERGE', 'b', 'a'],
      ['GET', 'b'],
      ['PFCOUNT', 'a', 'b', 'c'],
      ['PFADD', 'big', ...elements(r, 20000, 1 << 30)],
      ['PFCOUNT', 'big'],
      ['GET', 'big'],
    ]);
  } finally {
    d.stop();
  }
});

test('differential: hll-sparse-max-bytes decides the promotion', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    const r = prng(99);
    await d.check([
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'],
      ['PFADD', 'a', ...elements(r, 20, 1 << 20)],
      ['PFDEBUG', 'ENCODING', 'a'],
      ['GET', 'a'],
      ['PFADD', 'a', ...elements(r, 40, 1 << 20)],
      ['PFDEBUG', 'ENCODING', 'a'],
      ['GET', 'a'],
      ['PFADD', 'b', ...elements(r, 30, 1 << 20)],
      ['PFMERGE', 'c', 'b'],
      ['GET', 'c'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'],
    ]);
  } finally {
    d.stop();
  }
});

test('differential: HLL errors and corrupted values', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    const corrupt = Buffer.concat([Buffer.from('HYLL\x01'), Buffer.alloc(10), Buffer.from([0x80, 0x7f, 0x00])]);
    const overflow = Buffer.concat([Buffer.from('HYLL\x01'), Buffer.alloc(11), Buffer.from([0x7f, 0xff, 0x83])]);
    await d.check([
      ['SET', 's', 'plain string value'],
      ['PFADD', 's', 'x'],
      ['PFCOUNT', 's'],
      ['PFMERGE', 's'],
      ['RPUSH', 'l', 'x'],
      ['PFADD', 'l', 'x'],
      ['PFCOUNT', 'l', 's'],
      ['PFMERGE', 'd', 'l'],
      ['SET', 'c', corrupt],
      ['PFCOUNT', 'c'],
      ['PFCOUNT', 'c', 'c'],
      ['PFMERGE', 'd', 'c'],
      ['EXISTS', 'd'],
      ['PFADD', 'c', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['GET', 'c'],
      ['SET', 'o', overflow],
      ['PFCOUNT', 'o'],
      ['PFADD', 'o', 'a'],
      ['PFDEBUG', 'GETREG', 'o'],
      ['PFDEBUG', 'DECODE', 'o'],
      ['PFDEBUG', 'DECODE', 'c'],
      ['PFDEBUG', 'NOPE', 'c'],
      ['PFDEBUG', 'NOPE', 'missing'],
      ['SET', 'n', '12345678901234567'],
      ['PFADD', 'n', 'a'],
      ['PFADD'],
      ['PFDEBUG', 'x'],
      ['PFSELFTEST'],
    ]);
  } finally {
    d.stop();
  }
});

test('differential: random HLL command mix', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seed of [1, 2, 3]) {
      const r = prng(seed);
      const keys = ['h1', 'h2', 'h3', 'h4', 'str', 'lst'];
      const seq: (string | Buffer)[][] = [
        ['SET', 'str', 'not an hll'],
        ['RPUSH', 'lst', 'a'],
      ];
      for (let i = 0; i < 300; i++) {
        const k = r.pick(keys);
        const op = r.int(10);
        if (op < 4) seq.push(['PFADD', k, ...elements(r, r.int(op === 0 ? 300 : 20), r.pick([50, 5000, 1 << 24]))]);
        else if (op < 6) seq.push(['PFCOUNT', ...Array.from({ length: 1 + r.int(3) }, () => r.pick(keys))]);
        else if (op < 7) seq.push(['PFMERGE', k, ...Array.from({ length: r.int(3) }, () => r.pick(keys))]);
        else if (op < 8) seq.push(['GET', k]);
        else if (op < 9) seq.push(['PFDEBUG', r.pick(['ENCODING', 'DECODE', 'TODENSE']), k]);
        else seq.push(['DEL', k]);
      }
      await d.check(seq);
    }
  } finally {
    d.stop();
  }
});
