/** Clocks, random data, versions and masks, cluster key slots (test-modules/misc.c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('misc'));

test('clocks: wall time in ms and us, monotonic microseconds', async () => {
  const before = Date.now();
  const [ms, us, cached, mono1] = (await engine.call('MISC.TIME')) as number[];
  const after = Date.now();
  assert.ok(ms! >= before && ms! <= after, `ms=${ms} not in [${before}, ${after}]`);
  assert.ok(us! >= before * 1000 && us! <= (after + 1) * 1000, `us=${us}`);
  assert.ok(cached! >= before * 1000 && cached! <= (after + 1) * 1000, `cached=${cached}`);
  const [, , , mono2] = (await engine.call('MISC.TIME')) as number[];
  assert.ok(mono2! >= mono1!, 'monotonic clock went back');
  const elapsed = (await engine.call('MISC.MONO')) as number;
  assert.ok(elapsed >= 2000 && elapsed < 2_000_000, `elapsed=${elapsed}`);
});

test('CachedMicroseconds: one value through a command, fresh for the next', async () => {
  const before = Date.now();
  const [a, b] = (await engine.call('MISC.CACHED')) as number[];
  const after = Date.now();
  // the module sleeps 3 ms between its two reads: the cached time does not move
  assert.equal(a, b);
  assert.ok(a! >= before * 1000 && a! <= (after + 1) * 1000, `a=${a}`);
  await new Promise((r) => setTimeout(r, 5));
  const [c] = (await engine.call('MISC.CACHED')) as number[];
  assert.ok(c! >= a! + 5000, `c=${c} a=${a}`);
});

test('GetRandomBytes: exact length, no overrun, different each time', async () => {
  const c = engine.client({ buffers: true });
  const a = (await c.call('MISC.RANDBYTES', 1000)) as Buffer;
  const b = (await c.call('MISC.RANDBYTES', 1000)) as Buffer;
  assert.ok(Buffer.isBuffer(a) && Buffer.isBuffer(b));
  assert.equal(a.length, 1000);
  assert.equal(b.length, 1000);
  assert.notDeepEqual(a, b);
  // every byte value shows up in 64 KiB of output
  const big = (await c.call('MISC.RANDBYTES', 65536)) as Buffer;
  assert.equal(new Set(big).size, 256);
  for (const n of [0, 1, 7, 9, 15]) {
    const r = (await c.call('MISC.RANDBYTES', n)) as Buffer;
    assert.equal(r.length, n, `n=${n}`);
  }
});

test('GetRandomHexChars: lowercase hex alphabet only', async () => {
  const a = (await engine.call('MISC.RANDHEX', 40)) as string;
  const b = (await engine.call('MISC.RANDHEX', 40)) as string;
  assert.match(a, /^[0-9a-f]{40}$/);
  assert.match(b, /^[0-9a-f]{40}$/);
  assert.notEqual(a, b);
  const big = (await engine.call('MISC.RANDHEX', 10000)) as string;
  assert.match(big, /^[0-9a-f]{10000}$/);
  assert.equal(new Set(big).size, 16);
  assert.equal(await engine.call('MISC.RANDHEX', 0), '');
  assert.match((await engine.call('MISC.RANDHEX', 3)) as string, /^[0-9a-f]{3}$/);
});

test('server version and capability masks', async () => {
  assert.deepEqual(await engine.call('MISC.VERSION'), [
    0x00080100, // Valkey 8.1.0
    5, // type method version
    0xf, // module options
    0x1ffffff, // context flags: bits 0..24
    0x7fff, // keyspace notification flags: bits 0..14
    1 | 2 | (1 << 16) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20), // open-key modes
  ]);
});

test('ClusterKeySlot: CRC16 with hash tags', async () => {
  const cases: [string, number][] = [
    ['foo', 12182],
    ['user1000', 3443],
    ['{user1000}.following', 3443],
    ['123456789', 12739],
    ['', 0],
    ['a', 15495],
    ['{a}', 15495],
    ['{}foo', 9500], // empty tag: the whole key is hashed
    ['foo{}{bar}', 8363], // the first '}' after the first '{' closes an empty tag
    ['foo{{bar}}zap', 4015], // the tag is "{bar"
    ['foo{bar}{zap}', 5061], // the first tag "bar"
    ['a{', 14311], // unterminated tag: the whole key
  ];
  for (const [k, slot] of cases) assert.equal(await engine.call('MISC.KEYSLOT', k), slot, JSON.stringify(k));
});

test('ClusterCanonicalKeyNameInSlot', async () => {
  // the shortest alphanumeric name of each slot (the first in 0-9A-Za-z order)
  const known: [number, string][] = [
    [0, '06S'],
    [1, 'Qi'],
    [2, '5L5'],
    [9, 'ru'],
  ];
  for (const [slot, name] of known) assert.equal(await engine.call('MISC.CANON', slot), name, `slot ${slot}`);
  const name = (await engine.call('MISC.CANON', 12182)) as string;
  assert.equal(typeof name, 'string');
  assert.ok(name.length >= 1 && name.length <= 3, name);
  assert.equal(await engine.call('MISC.KEYSLOT', name), 12182);
  assert.equal(typeof (await engine.call('MISC.CANON', 16383)), 'string');
  assert.equal(await engine.call('MISC.CANON', 16384), null);
  assert.equal(await engine.call('MISC.CANON', 100000), null);
  assert.equal(await engine.call('MISC.CANON', -1), null);
  // every slot has a name of at most 3 characters that maps back to it
  assert.deepEqual(await engine.call('MISC.CANONALL'), [16384, 3]);
});

test('bad arguments are error replies', async () => {
  const e = await engine.call('MISC.RANDHEX', 'x');
  assert.ok(e instanceof ReplyError);
  assert.equal(e.message, 'ERR invalid');
});
