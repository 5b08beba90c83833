/** The keyspace core: lazy and active expiry, stats, 'new' events, RANDOMKEY, SCAN under writes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';

test('lazy expiry on access fires expired, counts expired_keys and misses', async () => {
  const engine = new Engine({ activeExpire: false });
  let now = 1_000_000;
  engine.now = () => now;
  const events: string[] = [];
  engine.onKeyspaceEvent((e) => events.push(`${e.event}:${e.key}`));
  await engine.call('SET', 'k', 'v', 'PX', '100');
  assert.deepEqual(events, ['new:k', 'set:k', 'expire:k']);
  now += 99;
  assert.equal(await engine.call('GET', 'k'), 'v');
  now += 1;
  assert.equal(await engine.call('GET', 'k'), null);
  assert.deepEqual(events.slice(3), ['expired:k', 'keymiss:k']);
  assert.equal(engine.stats.expired_keys, 1);
  assert.equal(engine.stats.keyspace_hits, 1);
  assert.equal(engine.stats.keyspace_misses, 1);
  assert.equal(await engine.call('DBSIZE'), 0);
});

test('active expiry removes expired keys without access, in bounded steps', async () => {
  const engine = new Engine({ activeExpire: false });
  let now = 5_000_000;
  engine.now = () => now;
  for (let i = 0; i < 500; i++) await engine.call('SET', `k${i}`, 'v', 'PX', '10');
  for (let i = 0; i < 10; i++) await engine.call('SET', `keep${i}`, 'v');
  now += 50;
  engine.activeExpireEnabled = true;
  for (let i = 0; i < 100 && engine.dbs[0]!.size > 10; i++) engine.cron();
  assert.equal(engine.dbs[0]!.size, 10);
  assert.equal(engine.stats.expired_keys, 500);
  const step = engine.dbs[0]!.activeExpire(20);
  assert.deepEqual(step, { examined: 0, expired: 0 });
});

test('RANDOMKEY picks live keys only and stays O(1) after deletes', async () => {
  const engine = new Engine();
  assert.equal(await engine.call('RANDOMKEY'), null);
  for (let i = 0; i < 100; i++) await engine.call('SET', `k${i}`, 'v');
  for (let i = 0; i < 100; i += 2) await engine.call('DEL', `k${i}`);
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) seen.add((await engine.call('RANDOMKEY')) as string);
  for (const k of seen) assert.equal(Number(k.slice(1)) % 2, 1);
  assert.ok(seen.size > 30);
});

test('SCAN returns every key present throughout, despite concurrent writes', async () => {
  const engine = new Engine();
  const stable = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    await engine.call('SET', `s${i}`, 'v');
    stable.add(`s${i}`);
  }
  const seen = new Set<string>();
  let cursor = '0';
  let round = 0;
  do {
    const [next, keys] = (await engine.call('SCAN', cursor, 'COUNT', '37')) as [string, string[]];
    for (const k of keys) seen.add(k);
    // Churn: add and remove other keys between steps.
    await engine.call('SET', `tmp${round}`, 'x');
    if (round > 3) await engine.call('DEL', `tmp${round - 3}`);
    cursor = next;
    round++;
  } while (cursor !== '0');
  for (const k of stable) assert.ok(seen.has(k), `missing ${k}`);
});

test('SWAPDB, MOVE and FLUSHALL act on whole databases', async () => {
  const engine = new Engine();
  await engine.call('SET', 'a', '1');
  await engine.call('SWAPDB', '0', '1');
  assert.equal(await engine.call('GET', 'a'), null);
  await engine.call('SELECT', '1');
  assert.equal(await engine.call('GET', 'a'), '1');
  assert.equal(await engine.call('MOVE', 'a', '2'), 1);
  assert.equal(await engine.call('DBSIZE'), 0);
  await engine.call('FLUSHALL');
  await engine.call('SELECT', '2');
  assert.equal(await engine.call('DBSIZE'), 0);
});

test("notify-keyspace-events 'KEAn': CONFIG GET shows AKE (A hides n) but 'new' events are on", async () => {
  const engine = new Engine();
  const c = engine.client();
  await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
  assert.deepEqual(await c.call('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'AKE']);
  const got: string[] = [];
  const off = engine.onPublish((channel) => got.push(channel));
  await c.call('SET', 'k', 'v');
  off();
  assert.deepEqual(got, ['__keyspace@0__:k', '__keyevent@0__:new', '__keyspace@0__:k', '__keyevent@0__:set']);
  engine.close();
});
