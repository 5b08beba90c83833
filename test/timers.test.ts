/** Module timers: CreateTimer / StopTimer / GetTimerInfo, firing order, the callback's
 *  context (selected db, RM_Call under the lock), and MODULE UNLOAD refused while one is
 *  pending. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ModuleError } from '../src/index.js';
import { plain, testModule, until } from './helpers.js';

function newEngine(): Engine {
  const engine = new Engine();
  engine.loadModule(testModule('timers'));
  return engine;
}

const log = async (e: Engine) => plain(await e.call('TL.LOG')) as string[];

test('timers fire in expiry order, each with its creator\'s db, and may call the engine', async () => {
  const engine = newEngine();
  const c3 = engine.client();
  await c3.call('SELECT', '3');
  const idB = (await engine.call('TIMER.CREATE', '60', 'b')) as number;
  const idA = (await engine.call('TIMER.CREATE', '10', 'a')) as number;
  const idC = (await c3.call('TIMER.CREATE', '30', 'c')) as number;
  assert.ok(idA < idC && idC < idB, 'the id is the expiry time');
  assert.deepEqual(await log(engine), [], 'nothing fires synchronously');
  await until(async () => (await log(engine)).length === 3, 'three timers');
  assert.deepEqual(await log(engine), ['fired a db=0', 'fired c db=3', 'fired b db=0']);
  assert.equal(await engine.call('GET', 'timer:count'), '2');
  assert.equal(await c3.call('GET', 'timer:count'), '1');
  // Fired timers are gone.
  assert.equal(plain(await engine.call('TIMER.INFO', String(idA))), '-ERR no such timer');
  engine.close();
});

test('timers created in the same ms get distinct ids and fire in creation order', async () => {
  const engine = newEngine();
  const ids: number[] = [];
  for (const t of ['t1', 't2', 't3', 't4']) ids.push((await engine.call('TIMER.CREATE', '5', t)) as number);
  assert.equal(new Set(ids).size, 4);
  await until(async () => (await log(engine)).length === 4, 'four timers');
  assert.deepEqual(await log(engine), ['fired t1 db=0', 'fired t2 db=0', 'fired t3 db=0', 'fired t4 db=0']);
  engine.close();
});

test('GetTimerInfo and StopTimer on a live timer, errors once it is gone', async () => {
  const engine = newEngine();
  const id = String(await engine.call('TIMER.CREATE', '100000', 'x'));
  const [remaining, tag] = plain(await engine.call('TIMER.INFO', id)) as [number, string];
  assert.equal(tag, 'x');
  assert.ok(remaining <= 100000 && remaining > 50000, `remaining ${remaining}`);
  assert.equal(plain(await engine.call('TIMER.STOP', id)), 'x');
  assert.equal(plain(await engine.call('TIMER.INFO', id)), '-ERR no such timer');
  assert.equal(plain(await engine.call('TIMER.STOP', id)), '-ERR no such timer');
  assert.equal(plain(await engine.call('TIMER.STOP', '12345')), '-ERR no such timer');
  engine.close();
});

test('a timer only belongs to the module that created it (another engine\'s module cannot see it)', async () => {
  const e1 = newEngine();
  const e2 = newEngine();
  const id = String(await e1.call('TIMER.CREATE', '100000', 'mine'));
  assert.equal(plain(await e2.call('TIMER.INFO', id)), '-ERR no such timer');
  assert.equal(plain(await e2.call('TIMER.STOP', id)), '-ERR no such timer');
  assert.equal(plain(await e1.call('TIMER.STOP', id)), 'mine');
  e1.close();
  e2.close();
});

test('MODULE UNLOAD is refused while a timer is pending', async () => {
  const engine = newEngine();
  const id = String(await engine.call('TIMER.CREATE', '100000', 'p'));
  const text = 'ERR Error unloading module: the module holds timer that is not fired. Please stop the timer or wait until it fires.';
  assert.throws(() => engine.unloadModule('timers'), (e: unknown) => {
    assert.ok(e instanceof ModuleError);
    assert.equal(e.message, text);
    return true;
  });
  assert.equal(plain(await engine.call('MODULE', 'UNLOAD', 'timers')), `-${text}`);
  assert.equal(plain(await engine.call('TIMER.STOP', id)), 'p');
  engine.unloadModule('timers');
  assert.deepEqual(engine.modules(), []);
  engine.close();
});

test('a module can be unloaded once its timers fired', async () => {
  const engine = newEngine();
  await engine.call('TIMER.CREATE', '5', 'soon');
  await until(async () => (await log(engine)).length === 1, 'the timer');
  engine.unloadModule('timers');
  engine.close();
});
