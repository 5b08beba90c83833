/** The generic low-level key API and the string key API against the TypeScript keyspace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { testModule } from './helpers.js';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('keyspace'));
  return engine;
}

/** An engine whose clock the test moves. */
function clocked() {
  const engine = setup();
  const clock = { now: 1_700_000_000_000 };
  engine.now = () => clock.now;
  return { engine, clock };
}

test('KeyType and ValueLength for every type; NULL handle reads as EMPTY', async () => {
  const engine = setup();
  await engine.call('SET', 's', 'hello');
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  await engine.call('HSET', 'h', 'f', 'v');
  await engine.call('SADD', 'st', 'x', 'y');
  await engine.call('ZADD', 'z', '1', 'm');
  await engine.call('XADD', 'x', '1-1', 'f', 'v');
  const types: [string, number, number][] = [['nokey', 0, 0], ['s', 1, 5], ['l', 2, 3], ['h', 3, 1], ['st', 4, 2], ['z', 5, 1], ['x', 7, 1]];
  for (const [key, type, len] of types) {
    assert.equal(await engine.call('KS.TYPE', key), type, key);
    assert.equal(await engine.call('KS.LEN', key), len, key);
  }
});

test('OpenKey: READ on a missing key is NULL and counts a miss; modes suppress effects', async () => {
  const engine = setup();
  const events: string[] = [];
  engine.onKeyspaceEvent((e) => events.push(`${e.event}:${e.key}`));
  assert.equal(await engine.call('KS.OPEN', 'nokey', 'READ'), -1);
  assert.equal(engine.stats.keyspace_misses, 1);
  assert.deepEqual(events, ['keymiss:nokey']);
  assert.equal(await engine.call('KS.OPEN', 'nokey', 'READ', 'NOSTATS', 'NONOTIFY'), -1);
  assert.equal(engine.stats.keyspace_misses, 1);
  assert.equal(events.length, 1);
  assert.equal(await engine.call('KS.OPEN', 'nokey', 'WRITE'), 0); // an empty handle
  assert.equal(engine.stats.keyspace_misses, 1); // write lookups do not count
  await engine.call('SET', 'k', 'v');
  assert.equal(await engine.call('KS.OPEN', 'k', 'READ'), 1);
  assert.equal(engine.stats.keyspace_hits, 1);
  assert.equal(await engine.call('KS.OPEN', 'k', 'READ', 'NOEFFECTS'), 1);
  assert.equal(engine.stats.keyspace_hits, 1);
});

test('OpenKey: lazy expiry unless NOEXPIRE; NOTOUCH keeps the idle time', async () => {
  const { engine, clock } = clocked();
  await engine.call('SET', 'k', 'v', 'PX', '100');
  clock.now += 200;
  assert.equal(await engine.call('KS.OPEN', 'k', 'READ', 'NOEXPIRE'), -1);
  assert.equal(engine.dbs[0]!.dict.size, 1); // logically expired, still stored
  assert.equal(await engine.call('KS.OPEN', 'k', 'READ'), -1);
  assert.equal(engine.dbs[0]!.dict.size, 0);
  assert.equal(engine.stats.expired_keys, 1);

  await engine.call('SET', 'idle', 'v');
  clock.now += 10_000;
  await engine.call('KS.OPEN', 'idle', 'READ', 'NOTOUCH');
  assert.equal(await engine.call('OBJECT', 'IDLETIME', 'idle'), 10);
  await engine.call('KS.OPEN', 'idle', 'READ');
  assert.equal(await engine.call('OBJECT', 'IDLETIME', 'idle'), 0);
});

test('DeleteKey and UnlinkKey need a write handle; the handle becomes empty', async () => {
  const engine = setup();
  const events: string[] = [];
  await engine.call('SET', 'k', 'v');
  engine.onKeyspaceEvent((e) => events.push(e.event));
  assert.deepEqual(await engine.call('KS.DELRO', 'k'), [1, 1]);
  assert.deepEqual(await engine.call('KS.DEL', 'k'), [0, 0]);
  assert.equal(await engine.call('EXISTS', 'k'), 0);
  await engine.call('SET', 'k2', 'v');
  assert.deepEqual(await engine.call('KS.UNLINK', 'k2'), [0, 0]);
  assert.deepEqual(await engine.call('KS.DEL', 'nokey'), [0, 0]);
  assert.ok(!events.includes('del')); // the low-level API fires no keyspace events of its own
});

test('Get/SetExpire and Get/SetAbsExpire', async () => {
  const { engine, clock } = clocked();
  await engine.call('SET', 'k', 'v');
  assert.equal(await engine.call('KS.GETEXPIRE', 'k'), -1);
  assert.equal(await engine.call('KS.GETEXPIRE', 'nokey'), -1);
  assert.equal(await engine.call('KS.SETEXPIRE', 'k', '10000'), 0);
  assert.equal(await engine.call('KS.GETEXPIRE', 'k'), 10000);
  assert.equal(await engine.call('KS.GETABSEXPIRE', 'k'), clock.now + 10000);
  assert.equal(await engine.call('PTTL', 'k'), 10000);
  assert.equal(await engine.call('KS.SETABSEXPIRE', 'k', String(clock.now + 500)), 0);
  assert.equal(await engine.call('PTTL', 'k'), 500);
  assert.equal(await engine.call('KS.SETEXPIRE', 'k', '-1'), 0); // NO_EXPIRE: persist
  assert.equal(await engine.call('PTTL', 'k'), -1);
  assert.equal(await engine.call('KS.SETEXPIRE', 'k', '-5'), 1);
  assert.equal(await engine.call('KS.SETEXPIRE', 'nokey', '100'), 1);
  assert.equal(await engine.call('KS.SETEXPIRERO', 'k', '100'), 1);
  assert.equal(await engine.call('PTTL', 'k'), -1);
});

test('KeyExists, DbSize, RandomKey, ResetDataset', async () => {
  const engine = setup();
  assert.equal(await engine.call('KS.EXISTS', 'a'), 0);
  assert.equal(await engine.call('KS.RANDOMKEY'), null);
  await engine.call('SET', 'a', '1');
  await engine.call('SET', 'b', '2');
  assert.equal(await engine.call('KS.EXISTS', 'a'), 1);
  assert.equal(engine.stats.keyspace_hits + engine.stats.keyspace_misses, 0);
  assert.equal(await engine.call('KS.DBSIZE'), 2);
  assert.ok(['a', 'b'].includes((await engine.call('KS.RANDOMKEY')) as string));
  await engine.call('SELECT', '5');
  await engine.call('SET', 'c', '3');
  assert.equal(await engine.call('KS.DBSIZE'), 1);
  assert.deepEqual(String(await engine.call('KS.RESET')), 'OK');
  assert.equal(await engine.call('KS.DBSIZE'), 0);
  await engine.call('SELECT', '0');
  assert.equal(await engine.call('DBSIZE'), 0);
});

test('SelectDb stays selected after the command; out of range fails', async () => {
  const engine = setup();
  assert.equal(await engine.call('KS.SELECT', '3'), 3);
  await engine.call('SET', 'in3', 'x');
  await engine.call('SELECT', '0');
  assert.equal(await engine.call('EXISTS', 'in3'), 0);
  await engine.call('SELECT', '3');
  assert.equal(await engine.call('EXISTS', 'in3'), 1);
  const bad = await engine.call('KS.SELECT', '16');
  assert.ok(bad instanceof ReplyError);
  assert.deepEqual(await engine.call('KS.NAME', 'kk'), ['kk', 3]);
});

test('StringSet replaces any value and drops the TTL; read handles are refused', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'k', 'a');
  await engine.call('EXPIRE', 'k', '100');
  assert.equal(await engine.call('KS.SET', 'k', 'str'), 0);
  assert.equal(String(await engine.call('TYPE', 'k')), 'string');
  assert.equal(await engine.call('GET', 'k'), 'str');
  assert.equal(await engine.call('TTL', 'k'), -1);
  assert.equal(await engine.call('KS.SETRO', 'k', 'x'), 1);
  assert.equal(await engine.call('GET', 'k'), 'str');
  assert.equal(await engine.call('KS.SET', 'bin', Buffer.from([0, 255, 10])), 0);
  assert.equal(await engine.call('STRLEN', 'bin'), 3);
});

test('StringDMA reads bytes and writes changes back, keeping the TTL', async () => {
  const engine = setup();
  await engine.call('SET', 'k', 'hello world');
  await engine.call('EXPIRE', 'k', '100');
  assert.equal(await engine.call('KS.DMAREAD', 'k'), 'hello world');
  assert.equal(await engine.call('KS.DMAUPPER', 'k'), 11);
  assert.equal(await engine.call('GET', 'k'), 'HELLO WORLD');
  assert.equal(await engine.call('TTL', 'k'), 100);
  assert.equal(await engine.call('KS.DMAREAD', 'nokey'), null);
  await engine.call('RPUSH', 'l', 'a');
  const e = await engine.call('KS.DMAREAD', 'l');
  assert.ok(e instanceof ReplyError);
});

test('StringTruncate pads with zeros, shrinks, creates when growing an empty key', async () => {
  const engine = setup();
  await engine.call('SET', 'k', 'abc');
  assert.equal(await engine.call('KS.TRUNCATE', 'k', '5'), 0);
  assert.equal(await engine.call('GET', 'k'), 'abc\0\0');
  assert.equal(await engine.call('KS.TRUNCATE', 'k', '1'), 0);
  assert.equal(await engine.call('GET', 'k'), 'a');
  assert.equal(await engine.call('KS.TRUNCATE', 'new', '0'), 0);
  assert.equal(await engine.call('EXISTS', 'new'), 0);
  assert.equal(await engine.call('KS.TRUNCATE', 'new', '2'), 0);
  assert.equal(await engine.call('GET', 'new'), '\0\0');
  await engine.call('RPUSH', 'l', 'a');
  assert.equal(await engine.call('KS.TRUNCATE', 'l', '2'), 1);
  assert.equal(await engine.call('KS.TRUNCATE', 'k', String(512 * 1024 * 1024 + 1)), 1);
});

test('LRU and LFU follow maxmemory-policy', async () => {
  const { engine } = clocked();
  await engine.call('SET', 'k', 'v');
  assert.deepEqual(await engine.call('KS.LRU', 'k', '5000'), [0, 0, 5000]);
  assert.equal(await engine.call('OBJECT', 'IDLETIME', 'k'), 5);
  assert.deepEqual(await engine.call('KS.LFU', 'k'), [0, 0, -1]);
  assert.deepEqual(await engine.call('KS.LFU', 'k', '10'), [1, 0, -1]);
  await engine.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  assert.deepEqual(await engine.call('KS.LFU', 'k', '100'), [0, 0, 100]);
  assert.deepEqual(await engine.call('KS.LRU', 'k', '1000'), [1, 0, -1]);
  assert.deepEqual(await engine.call('KS.LRU', 'nokey'), [0, 1, -1]);
});

test('CloseKey of a write handle and SignalModifiedKey signal the modification', async () => {
  const engine = setup();
  const modified: string[] = [];
  engine.onKeyModified((db, key) => modified.push(`${db}:${key}`));
  await engine.call('KS.OPEN', 'w', 'WRITE');
  assert.deepEqual(modified, ['0:w']);
  await engine.call('KS.OPEN', 'r', 'READ');
  assert.deepEqual(modified, ['0:w']);
  assert.equal(await engine.call('KS.SIGNAL', 'x'), 0);
  assert.deepEqual(modified, ['0:w', '0:x']);
});
