/** The global lock: module threads using the engine under ThreadSafeContextLock (Call, the
 *  key API, Log), TryLock's EBUSY, unlocked calls, and one execution unit per locked session. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine, type Reply } from '../src/index.js';
import type { PropagatedCommand } from '../src/engine/propagation.js';
import { testModule } from './helpers.js';

function setup(): Engine {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('threads'));
  return engine;
}

/** Polls `probe` (running commands lets the JS thread serve module threads) until it returns
 *  something other than null; fails after many rounds instead of hanging. */
export async function until<T>(probe: () => Promise<T | null> | T | null, what: string): Promise<T> {
  for (let i = 0; i < 4000; i++) {
    const v = await probe();
    if (v !== null) return v;
    await sleep(5);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function get(engine: Engine, key: string): Promise<Reply> {
  return await engine.call('GET', key);
}

test('a locked thread runs Call, the key API, a variadic key API and Log; its writes form one MULTI/EXEC', async () => {
  const engine = setup();
  const stream: PropagatedCommand[] = [];
  engine.onPropagate((c) => stream.push(c));
  assert.equal(String(await engine.call('THREADS.WORK', 'k', 'c')), 'OK');
  const done = await until(async () => {
    const v = await get(engine, 'k:done');
    return v === null ? null : v;
  }, 'k:done');
  assert.equal(done, '1'); // the INCR reply the thread saw
  assert.equal(await get(engine, 'c'), '1');
  assert.equal(await get(engine, 'k'), 'from-thread:11');
  assert.deepEqual(await engine.call('HGETALL', 'k:h'), ['f1', 'k', 'f2', 'k']);
  assert.ok(
    engine.logger.lines().some((l) => l.includes('<threads> thread work done k')),
    'the thread logged through the engine',
  );
  // The first locked session propagated INCR and SET (both with "!"): one unit, MULTI/EXEC.
  const cmds = stream.map((c) => c.argv.join(' ')).filter((c) => !c.startsWith('SELECT '));
  const i = cmds.indexOf('MULTI');
  assert.ok(i >= 0, `MULTI in ${JSON.stringify(cmds)}`);
  assert.deepEqual(cmds.slice(i, i + 4), ['MULTI', 'INCR c', 'SET k from-thread', 'EXEC']);
  // The second session's SET had no "!": nothing else propagated.
  assert.equal(cmds.filter((c) => c === 'MULTI').length, 1);
  engine.close();
});

test('a thread calling the engine without the lock is still served (each call on its own)', async () => {
  const engine = setup();
  assert.equal(String(await engine.call('THREADS.UNLOCKED', 'u')), 'OK');
  await until(async () => await get(engine, 'u:done'), 'u:done');
  assert.equal(await get(engine, 'u'), 'unlocked-ok');
  engine.close();
});

test('TryLock from a thread while a command holds the lock: ERR with errno EBUSY', async () => {
  const engine = setup();
  assert.deepEqual(await engine.call('THREADS.TRYBUSY'), [1, 1]);
  // Still busy on a second round (the lock state is not left damaged).
  assert.deepEqual(await engine.call('THREADS.TRYBUSY'), [1, 1]);
  engine.close();
});

test('TryLock from a thread while the JS thread is idle succeeds', async () => {
  const engine = setup();
  assert.equal(String(await engine.call('THREADS.TRYFREE', 't')), 'OK');
  const tries = await until(async () => await get(engine, 't'), 't');
  assert.ok(Number(tries) >= 1);
  engine.close();
});

test('Lock on the JS thread inside a command does not deadlock; TryLock there finds the lock busy', async () => {
  const engine = setup();
  assert.deepEqual(await engine.call('THREADS.SELFLOCK'), [1, 1]);
  assert.equal(String(await engine.call('PING')), 'PONG');
  engine.close();
});

test('ThreadSafeContextLock/TryLock/Unlock are implemented in the API table', () => {
  const rows = new Map(new Engine().apiCoverage().areas.map((a) => [a.area, a]));
  const ts = rows.get('thread-safe');
  assert.ok(ts);
  assert.equal(ts.implemented, ts.total);
});
