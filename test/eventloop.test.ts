/** The event loop API: EventLoopAdd/Del argument checks (errno ERANGE/EINVAL, fd range
 *  maxclients + 128), fd callbacks on a pipe written by a module thread, WRITABLE events,
 *  one-shots queued from another thread, Yield running queued one-shots. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { plain, testModule, until } from './helpers.js';

function newEngine(): Engine {
  const engine = new Engine();
  engine.loadModule(testModule('timers'));
  return engine;
}

const log = async (e: Engine) => plain(await e.call('TL.LOG')) as string[];

test('EventLoopAdd/EventLoopDel/EventLoopAddOneShot argument checks and errno', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('EL.SANITY')), 'OK');
  engine.close();
});

test('the fd range follows maxclients (setsize = maxclients + 128)', async () => {
  const engine = newEngine();
  await engine.call('CONFIG', 'SET', 'maxclients', '20000');
  // 10128 is now in range: the NULL-callback probe at 10128 no longer gets ERANGE.
  assert.equal(plain(await engine.call('EL.SANITY')), '-ERR fd 10128 add');
  engine.close();
});

test('a readable pipe written by a module thread calls the fd callback on the JS thread', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('EL.PIPE')), 'OK');
  await until(async () => (await log(engine)).length === 1, 'the fd callback');
  assert.deepEqual(await log(engine), ['read hello ud=rd mask=1 main=1']);
  engine.close();
});

test('WRITABLE fires for a pipe with room; the callback deletes its registration', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('EL.WRITABLE')), 'OK');
  await until(async () => (await log(engine)).length >= 1, 'the writable callback');
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await log(engine), ['writable ud=wr mask=2'], 'once: EventLoopDel stopped it');
  engine.close();
});

test('a one-shot queued from a module thread runs on the JS thread', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('EL.ONESHOT')), 'OK');
  await until(async () => (await log(engine)).length === 1, 'the one-shot');
  assert.deepEqual(await log(engine), ['oneshot data main=1']);
  engine.close();
});

test('Yield runs queued one-shot events before returning', async () => {
  const engine = newEngine();
  assert.deepEqual(plain(await engine.call('EL.YIELD')), [0, 1]);
  engine.close();
});
