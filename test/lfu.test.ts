/**
 * LFU access frequency: the per-key logarithmic counter under maxmemory-policy *-lfu (OBJECT
 * FREQ, decay by lfu-decay-time, growth by lfu-log-factor), RESTORE FREQ, the RDB FREQ opcode
 * and the module GetLFU/SetLFU calls. Every assertion is deterministic: growth is checked with
 * lfu-log-factor 0 (each access counts) or as a lower bound, decay with a test-driven clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/index.js';
import { configOf } from '../src/engine/config.js';
import { serializeRdb, loadRdbBuffer, RDB_OPCODE_FREQ } from '../src/persistence/rdb-file.js';
import { testModule } from './helpers.js';

const E_LFU_NOT =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const E_LFU_IS =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

/** A reply as plain text: error replies as their message. */
function text(r: unknown): unknown {
  if (r instanceof Error) return r.message;
  if (r && typeof r === 'object' && 'value' in r) return (r as { value: unknown }).value;
  return r;
}

/** An engine with a clock the test moves (start: a minute boundary). */
function clocked(module = false): { engine: Engine; clock: { now: number } } {
  const engine = new Engine({ activeExpire: false });
  if (module) engine.loadModule(testModule('keyspace'));
  const clock = { now: 28_333_333 * 60_000 };
  engine.now = () => clock.now;
  return { engine, clock };
}

async function lfuEngine(policy = 'allkeys-lfu', logFactor = '10', decay = '1') {
  const { engine, clock } = clocked();
  assert.equal(text(await engine.call('CONFIG', 'SET', 'maxmemory-policy', policy, 'lfu-log-factor', logFactor, 'lfu-decay-time', decay)), 'OK');
  return { engine, clock };
}

test('OBJECT FREQ: 5 for a new key, errors without an LFU policy; IDLETIME errors under LFU', async () => {
  const { engine } = clocked();
  try {
    await engine.call('SET', 'k', 'v');
    assert.equal(text(await engine.call('OBJECT', 'FREQ', 'k')), E_LFU_NOT);
    assert.equal(await engine.call('OBJECT', 'IDLETIME', 'k'), 0);
    await engine.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu');
    await engine.call('SET', 'n', 'v');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'n'), 5);
    assert.equal(await engine.call('OBJECT', 'FREQ', 'missing'), null);
    assert.equal(text(await engine.call('OBJECT', 'IDLETIME', 'n')), E_LFU_IS);
    // OBJECT itself does not count as an access
    assert.equal(await engine.call('OBJECT', 'FREQ', 'n'), 5);
    for (const p of ['allkeys-lru', 'volatile-lru', 'noeviction', 'allkeys-random', 'volatile-ttl']) {
      await engine.call('CONFIG', 'SET', 'maxmemory-policy', p);
      assert.equal(text(await engine.call('OBJECT', 'FREQ', 'n')), E_LFU_NOT, p);
    }
  } finally {
    engine.close();
  }
});

test('with lfu-log-factor 0 every access adds one, up to 255; NOTOUCH lookups do not count', async () => {
  const { engine } = await lfuEngine('allkeys-lfu', '0', '0');
  try {
    await engine.call('SET', 'k', 'v');
    await engine.call('RPUSH', 'l', 'a');
    for (let i = 0; i < 3; i++) assert.equal(await engine.call('GET', 'k'), 'v');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'k'), 8);
    await engine.call('LRANGE', 'l', '0', '-1');
    await engine.call('LLEN', 'l');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'l'), 7);
    // EXISTS and TYPE do not touch the key
    await engine.call('EXISTS', 'k');
    await engine.call('TYPE', 'k');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'k'), 8);
    for (let i = 0; i < 300; i++) await engine.call('GET', 'k');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'k'), 255);
  } finally {
    engine.close();
  }
});

test('with the default log factor the counter grows with many accesses', async () => {
  const { engine } = await lfuEngine('allkeys-lfu', '10', '0');
  try {
    await engine.call('SET', 'k', 'v');
    // the first access from LFU_INIT_VAL always counts (probability 1)
    await engine.call('GET', 'k');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'k'), 6);
    for (let i = 0; i < 10_000; i++) await engine.call('GET', 'k');
    const f = (await engine.call('OBJECT', 'FREQ', 'k')) as number;
    assert.ok(f > 6 && f < 255, `freq ${f}`);
  } finally {
    engine.close();
  }
});

test('the counter decays by one per lfu-decay-time minutes, not below 0', async () => {
  const { engine, clock } = await lfuEngine('allkeys-lfu', '10', '2');
  try {
    await engine.call('SET', 'k', 'v');
    assert.equal(text(await engine.call('RESTORE', 'r', '0', await dumpOf(engine, 'k'), 'FREQ', '100')), 'OK');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'r'), 100);
    clock.now += 60_000; // one minute: less than one period
    assert.equal(await engine.call('OBJECT', 'FREQ', 'r'), 100);
    clock.now += 19 * 60_000; // 20 minutes: ten periods
    assert.equal(await engine.call('OBJECT', 'FREQ', 'r'), 90);
    assert.equal(await engine.call('OBJECT', 'FREQ', 'k'), 0);
    // an access restamps the decayed counter (90 -> 90 or 91), so the decay starts over
    await engine.call('GET', 'r');
    const f = (await engine.call('OBJECT', 'FREQ', 'r')) as number;
    assert.ok(f === 90 || f === 91, `freq ${f}`);
    clock.now += 4 * 60_000;
    assert.equal(await engine.call('OBJECT', 'FREQ', 'r'), f - 2);
    await engine.call('CONFIG', 'SET', 'lfu-decay-time', '0');
    clock.now += 600 * 60_000;
    assert.equal(await engine.call('OBJECT', 'FREQ', 'r'), f);
  } finally {
    engine.close();
  }
});

/** The DUMP payload of a key, as raw bytes. */
async function dumpOf(engine: Engine, key: string): Promise<Buffer> {
  const d = await engine.client({ buffers: true }).call('DUMP', key);
  assert.ok(Buffer.isBuffer(d));
  return d;
}

test('RESTORE FREQ sets the counter under LFU, is ignored otherwise, and is range checked', async () => {
  const { engine } = clocked();
  try {
    await engine.call('SET', 'k', 'v');
    const payload = await dumpOf(engine, 'k');
    // not LFU: FREQ is accepted and ignored
    assert.equal(text(await engine.call('RESTORE', 'a', '0', payload, 'FREQ', '77')), 'OK');
    assert.equal(text(await engine.call('RESTORE', 'b', '0', payload, 'FREQ', '256')), 'ERR Invalid FREQ value, must be >= 0 and <= 255');
    assert.equal(text(await engine.call('RESTORE', 'b', '0', payload, 'FREQ', '-1')), 'ERR Invalid FREQ value, must be >= 0 and <= 255');
    assert.equal(text(await engine.call('RESTORE', 'b', '0', payload, 'FREQ', '1', 'IDLETIME', '1')), 'ERR syntax error');
    assert.equal(await engine.call('OBJECT', 'IDLETIME', 'a'), 0);
    await engine.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'lfu-decay-time', '0');
    assert.equal(text(await engine.call('RESTORE', 'c', '0', payload, 'FREQ', '200')), 'OK');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'c'), 200);
    assert.equal(text(await engine.call('RESTORE', 'c', '0', payload, 'REPLACE', 'FREQ', '0')), 'OK');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'c'), 0);
    // IDLETIME under LFU: ignored, the new key starts at LFU_INIT_VAL
    assert.equal(text(await engine.call('RESTORE', 'd', '0', payload, 'IDLETIME', '1000')), 'OK');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'd'), 5);
  } finally {
    engine.close();
  }
});

test('RDB: the FREQ opcode is saved under an LFU policy and loaded back as the counter', async () => {
  const { engine: a } = await lfuEngine('allkeys-lfu', '10', '0');
  const { engine: b } = await lfuEngine('volatile-lfu', '10', '0');
  const { engine: c } = clocked();
  try {
    await a.call('SET', 'k', 'v');
    assert.equal(text(await a.call('RESTORE', 'hot', '0', await dumpOf(a, 'k'), 'FREQ', '123')), 'OK');
    const buf = serializeRdb(a);
    // 'k' was read once by DUMP (5 -> 6); each key is preceded by its FREQ byte
    assert.ok(buf.includes(Buffer.from([RDB_OPCODE_FREQ, 123, 0, 3, ...Buffer.from('hot')])));
    assert.ok(buf.includes(Buffer.from([RDB_OPCODE_FREQ, 6, 0, 1, ...Buffer.from('k')])));
    loadRdbBuffer(b, buf);
    assert.equal(await b.call('OBJECT', 'FREQ', 'hot'), 123);
    assert.equal(await b.call('OBJECT', 'FREQ', 'k'), 6);
    // no LFU policy: no FREQ opcode is written, and a loaded one is ignored
    await a.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    assert.ok(!serializeRdb(a).includes(Buffer.from([RDB_OPCODE_FREQ, 123, 0, 3])));
    loadRdbBuffer(c, buf);
    assert.equal(await c.call('OBJECT', 'IDLETIME', 'hot'), 0);
    // DEBUG RELOAD keeps the counters
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lfu-'));
    try {
      assert.equal(configOf(b).load('dir', [dir]), undefined);
      assert.equal(text(await b.call('DEBUG', 'RELOAD')), 'OK');
      assert.equal(await b.call('OBJECT', 'FREQ', 'hot'), 123);
      assert.equal(await b.call('OBJECT', 'FREQ', 'k'), 6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    a.close();
    b.close();
    c.close();
  }
});

test('module GetLFU/SetLFU read and set the counter; GetLRU/SetLRU refuse under LFU', async () => {
  const { engine, clock } = clocked(true);
  try {
    await engine.call('SET', 'k', 'v');
    // not LFU: SetLFU fails, GetLFU reports -1
    assert.deepEqual(await engine.call('KS.LFU', 'k', '50'), [1, 0, -1]);
    await engine.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'lfu-log-factor', '0', 'lfu-decay-time', '1');
    await engine.call('SET', 'n', 'v');
    assert.deepEqual(await engine.call('KS.LFU', 'n'), [0, 0, 5]);
    await engine.call('GET', 'n');
    assert.deepEqual(await engine.call('KS.LFU', 'n'), [0, 0, 6]);
    assert.deepEqual(await engine.call('KS.LFU', 'n', '40'), [0, 0, 40]);
    assert.equal(await engine.call('OBJECT', 'FREQ', 'n'), 40);
    assert.deepEqual(await engine.call('KS.LFU', 'n', '255'), [0, 0, 255]);
    clock.now += 3 * 60_000;
    assert.deepEqual(await engine.call('KS.LFU', 'n'), [0, 0, 252]);
    assert.deepEqual(await engine.call('KS.LRU', 'n', '1000'), [1, 0, -1]);
    assert.deepEqual(await engine.call('KS.LFU', 'missing'), [0, 1, -1]);
  } finally {
    engine.close();
  }
});

test('an LFU policy loaded from the config at startup counts from the first key', async () => {
  const engine = new Engine({ activeExpire: false });
  try {
    assert.equal(configOf(engine).load('maxmemory-policy', ['allkeys-lfu']), undefined);
    assert.equal(configOf(engine).load('lfu-log-factor', ['0']), undefined);
    assert.equal(configOf(engine).load('lfu-decay-time', ['0']), undefined);
    await engine.call('SET', 'k', 'v');
    await engine.call('GET', 'k');
    await engine.call('GET', 'k');
    assert.equal(await engine.call('OBJECT', 'FREQ', 'k'), 7);
  } finally {
    engine.close();
  }
});

test('CLIENT NO-TOUCH: the client\'s lookups leave the counter alone, except TOUCH; other clients still count', async () => {
  const { engine } = await lfuEngine('allkeys-lfu', '0', '0');
  const quiet = engine.client();
  const other = engine.client();
  await other.call('SET', 'k', 'v');
  const freq = async () => Number(await other.call('OBJECT', 'FREQ', 'k'));
  const start = await freq();
  assert.equal(text(await quiet.call('CLIENT', 'NO-TOUCH', 'ON')), 'OK');
  assert.match(String(await quiet.call('CLIENT', 'INFO')), /flags=T /);
  await quiet.call('GET', 'k');
  await quiet.call('MULTI');
  await quiet.call('GET', 'k');
  await quiet.call('EXEC');
  assert.equal(await freq(), start, 'GET (also inside MULTI/EXEC) does not count');
  await quiet.call('TOUCH', 'k');
  assert.equal(await freq(), start + 1, 'TOUCH does');
  await other.call('GET', 'k');
  assert.equal(await freq(), start + 2, 'another client still counts');
  assert.equal(text(await quiet.call('CLIENT', 'NO-TOUCH', 'OFF')), 'OK');
  await quiet.call('GET', 'k');
  assert.equal(await freq(), start + 3);
  engine.close();
});
