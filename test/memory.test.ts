/** The heap allocation API (test-modules/memory.c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('memory'));

test('Alloc / MallocSize / MallocUsableSize', async () => {
  for (const n of [1, 7, 8, 100, 4096, 1 << 20]) {
    assert.deepEqual(await engine.call('MEM.ALLOC', n), [1, 1, 1], `n=${n}`);
  }
});

test('Calloc / TryCalloc zero the memory', async () => {
  assert.equal(await engine.call('MEM.CALLOC', 10, 100), 1);
  assert.equal(await engine.call('MEM.CALLOC', 1, 1 << 16), 1);
});

test('Realloc keeps contents when growing and shrinking; NULL allocates', async () => {
  assert.equal(await engine.call('MEM.REALLOC'), 1);
});

test('Try* return NULL instead of aborting; TryRealloc leaves the block intact', async () => {
  assert.deepEqual(await engine.call('MEM.TRY'), [1, 1, 1, 1]);
});

test('Strdup copies into module memory', async () => {
  assert.equal(await engine.call('MEM.STRDUP', 'hello world'), 'hello world');
  assert.equal(await engine.call('MEM.STRDUP', ''), '');
});

test('PoolAlloc: alignment rules and NULL for 0 bytes', async () => {
  // 1-byte requests in between leave the arena at odd offsets: every later request must
  // still be aligned to min(word size, next power of two of its size).
  const sizes = [1, 2, 1, 3, 1, 4, 1, 5, 1, 8, 1, 9, 1, 16, 1, 24, 1, 7, 0];
  const expected = sizes.map((n) => (n === 0 ? -1 : 1));
  assert.deepEqual(await engine.call('MEM.POOL', ...sizes), expected);
  // requests larger than a pool block get their own block
  assert.equal(await engine.call('MEM.POOLBIG', 100000), 1);
  assert.equal(await engine.call('MEM.POOLBIG', 1), 1);
  // the pool is per callback: many calls must not accumulate or break
  for (let i = 0; i < 200; i++) assert.equal(await engine.call('MEM.POOLBIG', 5000), 1);
});

test('MallocSizeString counts the string object and its bytes', async () => {
  const small = await engine.call('MEM.SIZESTR', 'abc');
  const big = await engine.call('MEM.SIZESTR', 'x'.repeat(10000));
  assert.equal(typeof small, 'number');
  assert.equal(typeof big, 'number');
  assert.ok((small as number) >= 4 && (small as number) < 200, `small=${String(small)}`);
  assert.ok((big as number) >= 10001 && (big as number) < 10001 + 4096, `big=${String(big)}`);
});

test('MallocSizeDict grows with the number of keys', async () => {
  const s0 = (await engine.call('MEM.SIZEDICT', 0)) as number;
  const s10 = (await engine.call('MEM.SIZEDICT', 10)) as number;
  const s1000 = (await engine.call('MEM.SIZEDICT', 1000)) as number;
  assert.ok(s0 > 0, `s0=${s0}`);
  assert.ok(s10 > s0, `s10=${s10} s0=${s0}`);
  assert.ok(s1000 > s10 * 50, `s1000=${s1000} s10=${s10}`);
});

test('GetUsedMemoryRatio is 0 without maxmemory', async () => {
  assert.equal(await engine.call('MEM.RATIO'), 0);
});

test('allocation from module threads without a lock', async () => {
  assert.equal(await engine.call('MEM.THREADS', 20000), 1);
});

test('bad arguments are error replies', async () => {
  const e = await engine.call('MEM.ALLOC', 'x');
  assert.ok(e instanceof ReplyError);
  assert.equal(e.message, 'ERR invalid');
});
