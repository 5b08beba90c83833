/** Server events: every event this engine fires, with the payload fields and context the
 *  callback sees (test-modules/hooks.c logs them), subscription rules, IsSubEventSupported. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/index.js';
import { Server } from '../src/server/server.js';
import { configOf } from '../src/engine/config.js';
import {
  fireServerEvent,
  EVENT_FORK_CHILD,
  EVENT_LOADING,
  EVENT_LOADING_PROGRESS,
  EVENT_PERSISTENCE,
} from '../src/modules/server-events.js';
import { plain, testModule, until } from './helpers.js';
import { RawClient, freePort, resp } from './net-helpers.js';

/** An engine with the hooks module (EventLoop left out unless asked: it fires constantly). */
function newEngine(opts: { loop?: boolean; hz?: number } = {}): Engine {
  const engine = new Engine(opts.hz ? { hz: opts.hz } : {});
  engine.loadModule(testModule('hooks'), opts.loop ? [] : ['noloop']);
  return engine;
}

async function take(e: Engine): Promise<string[]> {
  const l = plain(await e.call('HOOKS.LOG')) as string[];
  await e.call('HOOKS.CLEAR');
  return l;
}

test('FlushDB: START/END around FLUSHDB (the ctx selects the db; START sees the keys) and FLUSHALL (-1)', async () => {
  const engine = newEngine();
  const c = engine.client();
  await c.call('SELECT', '5');
  await c.call('SET', 'a', '1');
  await c.call('SET', 'b', '2');
  await take(engine);
  await c.call('FLUSHDB', 'SYNC');
  assert.deepEqual(await take(engine), [
    'flushdb sub=0 sync=1 dbnum=5 ctxdb=5 size=2 ver=1',
    'flushdb sub=1 sync=1 dbnum=5 ctxdb=5 size=0 ver=1',
  ]);
  // Without an option, lazyfree-lazy-user-flush decides (yes by default, as Valkey 8).
  await c.call('FLUSHDB');
  assert.deepEqual(await take(engine), [
    'flushdb sub=0 sync=0 dbnum=5 ctxdb=5 size=0 ver=1',
    'flushdb sub=1 sync=0 dbnum=5 ctxdb=5 size=0 ver=1',
  ]);
  await engine.call('SET', 'z', '1');
  await take(engine);
  await engine.call('FLUSHALL', 'SYNC');
  assert.deepEqual(await take(engine), [
    'flushdb sub=0 sync=1 dbnum=-1 ctxdb=0 size=1 ver=1',
    'flushdb sub=1 sync=1 dbnum=-1 ctxdb=0 size=0 ver=1',
  ]);
  engine.close();
});

test('SwapDB carries both db numbers', async () => {
  const engine = newEngine();
  await engine.call('SWAPDB', '2', '7');
  assert.deepEqual(await take(engine), ['swapdb 2 7']);
  engine.close();
});

test('Config: one event per CONFIG SET with the names of the changed parameters', async () => {
  const engine = newEngine();
  await engine.call('CONFIG', 'SET', 'maxmemory-samples', '7', 'lfu-log-factor', '12');
  assert.deepEqual(await take(engine), ['config n=2 maxmemory-samples lfu-log-factor']);
  await engine.call('CONFIG', 'SET', 'no-such-param', '1');
  assert.deepEqual(await take(engine), [], 'a failed CONFIG SET changes nothing');
  engine.close();
});

test('Key: DELETED, OVERWRITTEN and EXPIRED with a read-only key the callback can query', async () => {
  const engine = newEngine();
  const c = engine.client();
  await c.call('SELECT', '2');
  await c.call('SET', 'k', 'hello');
  await c.call('RPUSH', 'l', 'x', 'y', 'z');
  await take(engine);
  await c.call('DEL', 'k');
  assert.deepEqual(await take(engine), ['key sub=0 name=k type=1 len=5 ctxdb=2 str=hello']);
  await c.call('SET', 's', 'old');
  await take(engine);
  await c.call('SET', 's', 'newer');
  assert.deepEqual(await take(engine), ['key sub=3 name=s type=1 len=3 ctxdb=2 str=old']);
  await c.call('UNLINK', 'l');
  assert.deepEqual(await take(engine), ['key sub=0 name=l type=2 len=3 ctxdb=2']);
  await c.call('SET', 'e', 'v', 'PX', '1');
  await take(engine);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(await c.call('GET', 'e'), null);
  assert.deepEqual(await take(engine), ['key sub=1 name=e type=1 len=1 ctxdb=2 str=v']);
  engine.close();
});

test('ModuleChange: LOADED and UNLOADED of another module, never about the module itself', async () => {
  const engine = newEngine();
  assert.deepEqual(await take(engine), [], 'hooks is not told about its own load');
  engine.loadModule(testModule('helloworld'));
  assert.deepEqual(await take(engine), ['module sub=0 name=helloworld ver=1']);
  engine.unloadModule('helloworld');
  assert.deepEqual(await take(engine), ['module sub=1 name=helloworld ver=1']);
  engine.close();
});

test('CronLoop fires every cron tick with hz in the payload', async () => {
  const engine = newEngine({ hz: 100 });
  await until(async () => ((plain(await engine.call('HOOKS.COUNTERS')) as number[])[0]! >= 3), 'cron ticks');
  const [count, hz] = plain(await engine.call('HOOKS.COUNTERS')) as number[];
  assert.ok(count! >= 3);
  assert.equal(hz, 100);
  engine.close();
});

test('EventLoop: BEFORE_SLEEP and AFTER_SLEEP fire once per loop iteration while subscribed', async () => {
  const engine = newEngine({ loop: true });
  await until(async () => ((plain(await engine.call('HOOKS.COUNTERS')) as number[])[2]! >= 3), 'loop iterations');
  // Sampled from a timer callback (outside the poll phase): the two counts are equal.
  const [, , before, after] = await new Promise<number[]>((r) =>
    setTimeout(async () => r(plain(await engine.call('HOOKS.COUNTERS')) as number[]), 1),
  );
  assert.equal(before, after);
  // Unsubscribing stops them.
  assert.equal(await engine.call('HOOKS.SUB', '15', '0'), 0);
  const [, , b1] = plain(await engine.call('HOOKS.COUNTERS')) as number[];
  await new Promise((r) => setTimeout(r, 20));
  const [, , b2] = plain(await engine.call('HOOKS.COUNTERS')) as number[];
  assert.equal(b2, b1);
  engine.close();
});

test('Shutdown fires once, from engine.close()', async () => {
  const engine = newEngine();
  const seen: string[] = [];
  // Read the log through the native side after close: the module is still loaded.
  engine.close();
  seen.push(...(plain(await engine.call('HOOKS.LOG')) as string[]));
  engine.close();
  seen.push(...(plain(await engine.call('HOOKS.LOG')) as string[]));
  assert.deepEqual(seen, ['shutdown', 'shutdown'], 'the same single entry read twice');
});

test('Loading, Persistence, ForkChild and LoadingProgress reach modules through fireServerEvent', async () => {
  const engine = newEngine();
  assert.equal(fireServerEvent(engine, EVENT_LOADING, 0), 1);
  assert.equal(fireServerEvent(engine, EVENT_LOADING_PROGRESS, 1, { hz: 10, progress: 512 }), 1);
  assert.equal(fireServerEvent(engine, EVENT_PERSISTENCE, 2), 1);
  assert.equal(fireServerEvent(engine, EVENT_FORK_CHILD, 0), 1);
  assert.equal(fireServerEvent(engine, 0, 0), 0, 'ReplicationRoleChanged is never fired');
  assert.deepEqual(await take(engine), ['loading sub=0', 'loadingprogress sub=1 hz=10 progress=512', 'persistence sub=2', 'forkchild sub=0']);
  engine.close();
});

test('subscription rules: unknown id and too-new dataver refused; NULL unsubscribes; IsSubEventSupported', async () => {
  const engine = newEngine();
  const probe = plain(await engine.call('HOOKS.PROBE')) as number[];
  assert.deepEqual(probe.slice(0, 3), [1, 1, 0], 'id 18: ERR; FlushDB dataver 2: ERR; Shutdown (no struct) dataver 2: OK');
  // Supported subevents per id 0..17 (ReplicaChange uses ReplicationRoleChanged's bound).
  assert.deepEqual(probe.slice(3), [2, 6, 2, 5, 2, 0, 2, 2, 0, 2, 2, 0, 0, 2, 3, 2, 1, 4]);
  assert.equal(await engine.call('HOOKS.SUB', '11', '0'), 0);
  await engine.call('SWAPDB', '0', '1');
  assert.deepEqual(await take(engine), [], 'unsubscribed from SwapDB');
  assert.equal(await engine.call('HOOKS.SUB', '11', '1'), 0);
  await engine.call('SWAPDB', '0', '1');
  assert.deepEqual(await take(engine), ['swapdb 0 1']);
  engine.close();
});

test('ClientChange: CONNECTED and DISCONNECTED for network clients, with ClientInfo and the real client', async () => {
  const engine = newEngine();
  const port = await freePort();
  const server = new Server(engine, { port, bind: ['127.0.0.1'] });
  await server.listen();
  try {
    const c = await RawClient.connect(port);
    c.send(resp('CLIENT', 'ID'));
    const id = Number((await c.line()).slice(1));
    const localPort = c.socket.localPort;
    c.send(resp('SELECT', '3'));
    await c.expect('+OK\r\n');
    c.close();
    await until(async () => (plain(await engine.call('HOOKS.LOG')) as string[]).length === 2, 'disconnect');
    assert.deepEqual(await take(engine), [
      `client sub=0 id=${id} addr=127.0.0.1 port=${localPort} db=0 ctxid=${id} ver=1`,
      `client sub=1 id=${id} addr=127.0.0.1 port=${localPort} db=3 ctxid=${id} ver=1`,
    ]);
  } finally {
    await server.close();
    engine.close();
  }
});

test('Persistence and Loading fire around SAVE, BGSAVE, DEBUG RELOAD, BGREWRITEAOF and AOF loading; ForkChild around a module fork', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-events-'));
  const engine = newEngine();
  try {
    // dir is a protected config (CONFIG SET refuses it): set it as the config file would.
    assert.equal(configOf(engine).load('dir', [dir]), undefined);
    await engine.call('SET', 'k', 'v');
    // Persistence/Loading/ForkChild events, and the FlushDB of all databases (-1) a reload does.
    const persistence = async () =>
      (await take(engine))
        .filter((l) => /^(persistence|loading|forkchild) |^flushdb .* dbnum=-1 /.test(l))
        .map((l) => l.replace(/^(flushdb sub=\d sync=\d dbnum=-1).*$/, '$1'));
    await take(engine);
    await engine.call('SAVE');
    assert.deepEqual(await persistence(), ['persistence sub=2', 'persistence sub=3'], 'SYNC_RDB_START, ENDED');
    await engine.call('BGSAVE');
    assert.deepEqual(await persistence(), ['persistence sub=0', 'persistence sub=3'], 'RDB_START, ENDED');
    await until(async () => String(await engine.call('INFO', 'persistence')).includes('rdb_bgsave_in_progress:0'), 'bgsave');
    await engine.call('DEBUG', 'RELOAD');
    assert.deepEqual(
      await persistence(),
      ['persistence sub=2', 'persistence sub=3', 'flushdb sub=0 sync=1 dbnum=-1', 'flushdb sub=1 sync=1 dbnum=-1', 'loading sub=0', 'loading sub=3'],
      'save, emptyData, then RDB_START, ENDED',
    );
    assert.equal(await engine.call('GET', 'k'), 'v');
    await engine.call('CONFIG', 'SET', 'appendonly', 'yes');
    await until(async () => String(await engine.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0'), 'first rewrite');
    await take(engine);
    await engine.call('BGREWRITEAOF');
    assert.deepEqual(await persistence(), ['persistence sub=1', 'persistence sub=3'], 'AOF_START, ENDED');
    await until(async () => String(await engine.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0'), 'rewrite');
    await engine.call('DEBUG', 'LOADAOF');
    assert.deepEqual(
      await persistence(),
      ['flushdb sub=0 sync=1 dbnum=-1', 'flushdb sub=1 sync=1 dbnum=-1', 'loading sub=1', 'loading sub=3'],
      'emptyData, AOF_START, ENDED',
    );
    assert.equal(await engine.call('GET', 'k'), 'v');
    await engine.call('CONFIG', 'SET', 'appendonly', 'no');

    engine.loadModule(testModule('forker'));
    const go = path.join(dir, 'go');
    await engine.call('FORKER.FORK', path.join(dir, 'out'), '0', go);
    assert.deepEqual(await persistence(), ['forkchild sub=0'], 'BORN in the parent');
    fs.writeFileSync(go, '');
    await until(async () => ((await engine.call('FORKER.DONE')) as number[])[0] === 1, 'the child');
    assert.deepEqual(await persistence(), ['forkchild sub=1'], 'DIED after the done handler');
    assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')) && fs.existsSync(path.join(dir, 'appendonlydir')), 'all of it in dir');
  } finally {
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
