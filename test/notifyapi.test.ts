/**
 * Module keyspace notifications through test-modules/notify.c: SubscribeToKeyspaceEvents
 * (classes, KEY_MISS outside ALL, the event's db in the callback's context, works with
 * notify-keyspace-events empty), NotifyKeyspaceEvent and GetNotifyKeyspaceEvents,
 * AddPostNotificationJob (same execution unit, MULTI/EXEC propagation, refused while
 * loading), nesting rules, LOADED on RDB load, unsubscribe on unload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { serializeRdb, loadRdbBuffer } from '../src/persistence/rdb-file.js';
import { testModule } from './helpers.js';

function setup(args: string[] = []) {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('notify'), args);
  const stream: string[] = [];
  engine.onPropagate((c) => stream.push(c.argv.join(' ')));
  const take = () => stream.splice(0);
  return { engine, take };
}

function done(engine: Engine): void {
  engine.unloadModule('notify');
  engine.close();
}

/** A status reply's text. */
const status = (r: unknown) => (r as { value: string }).value;
const count = async (e: Engine, name: string) => Number(await e.call('NOTIFY.COUNT', name));

test('subscribers see every class they asked for, with notify-keyspace-events empty', async () => {
  const { engine } = setup();
  await engine.call('NOTIFY.CLEAR');
  assert.equal(((await engine.call('CONFIG', 'GET', 'notify-keyspace-events')) as string[])[1], '');
  await engine.call('SET', 'a', '1');
  await engine.call('SET', 'a', '2');
  await engine.call('GET', 'missing');
  await engine.call('LPUSH', 'l', 'x', 'y');
  await engine.call('HSET', 'h', 'f', 'v');
  await engine.call('SADD', 's', 'm');
  await engine.call('ZADD', 'z', '1', 'm');
  await engine.call('XADD', 'x', '1-1', 'f', 'v');
  await engine.call('DEL', 'a');
  await engine.call('EXPIRE', 'l', '100');
  assert.equal(await count(engine, 'set'), 2);
  assert.equal(await count(engine, 'new'), 6);
  assert.equal(await count(engine, 'keymiss'), 1);
  assert.equal(await count(engine, 'lpush'), 1);
  assert.equal(await count(engine, 'hset'), 1);
  assert.equal(await count(engine, 'sadd'), 1);
  assert.equal(await count(engine, 'zadd'), 1);
  assert.equal(await count(engine, 'xadd'), 1);
  assert.equal(await count(engine, 'del'), 1);
  assert.equal(await count(engine, 'expire'), 1);
  // an expired key: lazily expired on access
  await engine.call('SET', 'gone', 'v', 'PX', '1');
  await new Promise((r) => setTimeout(r, 5));
  await engine.call('GET', 'gone');
  assert.equal(await count(engine, 'expired'), 1);
  // the callback's context has the event's database selected
  const c = engine.client();
  await c.call('SELECT', '5');
  await c.call('SET', 'in5', 'v');
  assert.deepEqual(await engine.call('NOTIFY.LAST'), [8, 'set', 'in5', 5]);
  await c.call('GET', 'nothing');
  assert.deepEqual(await engine.call('NOTIFY.LAST'), [2048, 'keymiss', 'nothing', 5]);
  done(engine);
});

test('KEY_MISS is not part of ALL; a subscription made later from a command works too', async () => {
  const { engine } = setup();
  await engine.call('NOTIFY.CLEAR');
  assert.equal(status(await engine.call('NOTIFY.SUBSCRIBE')), 'OK');
  await engine.call('SET', 'k', 'v');
  await engine.call('GET', 'missing');
  await engine.call('EXPIRE', 'k', '100');
  await engine.call('DEL', 'k');
  // the extra subscription is GENERIC only: no keymiss, no set, no new
  assert.equal(await count(engine, 'extra:keymiss'), 0);
  assert.equal(await count(engine, 'extra:set'), 0);
  assert.equal(await count(engine, 'extra:new'), 0);
  assert.equal(await count(engine, 'extra:expire'), 1);
  assert.equal(await count(engine, 'extra:del'), 1);
  done(engine);
});

test('NotifyKeyspaceEvent reaches pub/sub per config and module subscribers; GetNotifyKeyspaceEvents', async () => {
  const { engine } = setup();
  await engine.call('NOTIFY.CLEAR');
  const published: string[] = [];
  engine.onPublish((ch, msg) => published.push(`${ch} ${msg}`));
  assert.equal(await engine.call('NOTIFY.FLAGS'), 0);
  // nothing configured: only the module hears it
  assert.equal(status(await engine.call('NOTIFY.FIRE', String(1 << 13), 'custom', 'mk')), 'OK');
  assert.deepEqual(published, []);
  assert.equal(await count(engine, 'custom'), 1);
  assert.deepEqual(await engine.call('NOTIFY.LAST'), [1 << 13, 'custom', 'mk', 0]);
  await engine.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEd');
  assert.equal(await engine.call('NOTIFY.FLAGS'), 1 | 2 | (1 << 13));
  await engine.call('NOTIFY.FIRE', String(1 << 13), 'custom', 'mk');
  assert.deepEqual(published, ['__keyspace@0__:mk custom', '__keyevent@0__:custom mk']);
  published.length = 0;
  // a class the config does not enable: module only
  await engine.call('NOTIFY.FIRE', String(1 << 3), 'strev', 'mk');
  assert.deepEqual(published, []);
  assert.equal(await count(engine, 'strev'), 1);
  // the context's selected database
  const c = engine.client();
  await c.call('SELECT', '2');
  await c.call('NOTIFY.FIRE', String(1 << 13), 'custom', 'other');
  assert.deepEqual(published, ['__keyspace@2__:other custom', '__keyevent@2__:custom other']);
  done(engine);
});

test('post-notification jobs run in the same unit: their writes join the MULTI/EXEC', async () => {
  const { engine, take } = setup();
  await engine.call('NOTIFY.CLEAR');
  take();
  await engine.call('SET', 'watched:a', '1');
  assert.deepEqual(take(), ['MULTI', 'SELECT 0', 'SET watched:a 1', 'INCR jobcount:watched:a', 'EXEC']);
  assert.equal(await engine.call('GET', 'jobcount:watched:a'), '1');
  assert.deepEqual(await engine.call('NOTIFY.JOBSTATS'), [1, 1, 0]);
  // a key nobody watches: one command, no MULTI
  await engine.call('SET', 'plain', '1');
  assert.deepEqual(take(), ['SET plain 1']);
  // the job runs in the database of the event
  const c = engine.client();
  await c.call('SELECT', '3');
  await c.call('SET', 'watched:b', 'x');
  assert.equal(await c.call('GET', 'jobcount:watched:b'), '1');
  assert.equal(await engine.call('EXISTS', 'jobcount:watched:b'), 0);
  assert.deepEqual(take(), ['MULTI', 'SELECT 3', 'SET watched:b x', 'INCR jobcount:watched:b', 'EXEC']);
  // inside MULTI/EXEC the jobs wait for EXEC's end
  await engine.call('MULTI');
  await engine.call('SET', 'watched:c', '1');
  await engine.call('SET', 'watched:d', '1');
  await engine.call('EXEC');
  assert.deepEqual(take(), [
    'MULTI', 'SELECT 0', 'SET watched:c 1', 'SET watched:d 1', 'INCR jobcount:watched:c', 'INCR jobcount:watched:d', 'EXEC',
  ]);
  // a job added by a command runs after the command, before propagation
  assert.equal(await engine.call('NOTIFY.JOB', 'fromcmd'), 1);
  assert.equal(await engine.call('GET', 'fromcmd'), '1');
  assert.deepEqual(take(), ['INCR fromcmd']);
  assert.deepEqual(await engine.call('NOTIFY.JOBSTATS'), [5, 5, 0]);
  done(engine);
});

test('a subscriber is not re-entered by events its own callback causes (unless ALLOW_NESTED)', async () => {
  {
    const { engine } = setup();
    await engine.call('NOTIFY.CLEAR');
    await engine.call('HSET', 'nest:a', 'f', 'v');
    assert.equal(await engine.call('NOTIFY.NESTED'), 1);
    assert.equal(await engine.call('HGET', 'nestcount:nest:a', 'n'), '1');
    // other subscribers still hear the nested event
    assert.equal(await count(engine, 'hincrby'), 1);
    done(engine);
  }
  {
    const { engine } = setup(['nested']);
    await engine.call('NOTIFY.CLEAR');
    await engine.call('HSET', 'nest:a', 'f', 'v');
    assert.equal(await engine.call('NOTIFY.NESTED'), 2);
    assert.equal(await count(engine, 'hincrby'), 1);
    done(engine);
  }
});

test('LOADED fires for every key loaded from an RDB image; jobs are refused while loading', async () => {
  const src = new Engine();
  await src.call('SET', 'k1', 'v');
  await src.call('RPUSH', 'k2', 'a');
  await src.call('SELECT', '4');
  await src.call('SET', 'k3', 'v');
  const rdb = serializeRdb(src);
  src.close();
  const { engine } = setup();
  await engine.call('NOTIFY.CLEAR');
  loadRdbBuffer(engine, rdb);
  assert.equal(await count(engine, 'loaded'), 3);
  assert.deepEqual(await engine.call('NOTIFY.LAST'), [1 << 12, 'loaded', 'k3', 4]);
  assert.deepEqual(await engine.call('NOTIFY.JOBSTATS'), [0, 0, 3]);
  assert.equal(await engine.call('EXISTS', 'jobcount:loaded'), 0);
  done(engine);
});

test('unloading the module removes its subscriptions and the engine hook', async () => {
  const { engine } = setup();
  const listeners = () => (engine as unknown as { keyspaceListeners: unknown[] }).keyspaceListeners.length;
  const before = listeners();
  assert.ok(before >= 1);
  engine.unloadModule('notify');
  assert.equal(listeners(), before - 1);
  await engine.call('SET', 'watched:z', '1'); // nothing native runs
  assert.equal(await engine.call('EXISTS', 'jobcount:watched:z'), 0);
  engine.close();
});
