/** The propagation stream: core commands, ValkeyModule_Replicate/ReplicateVerbatim, Call
 *  with `!`/`A`/`R`, MULTI/EXEC wrapping, SELECT, expiry and Valkey's rewrites. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import type { PropagatedCommand } from '../src/engine/propagation.js';
import { testModule } from './helpers.js';

/** An engine with the propagate module, recording the stream as text lines: the argv
 *  joined by spaces, prefixed by [aof] or [repl] when only one channel gets it. */
function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('propagate'));
  const stream: string[] = [];
  const entries: PropagatedCommand[] = [];
  engine.onPropagate((c) => {
    entries.push(c);
    const only = c.targets.aof && c.targets.replicas ? '' : c.targets.aof ? '[aof] ' : '[repl] ';
    stream.push(only + c.argv.join(' '));
  });
  /** The stream since the last take. */
  const take = () => stream.splice(0);
  return { engine, take, entries };
}

test('core commands propagate when they change the dataset; SELECT on the first and on changes', async () => {
  const { engine, take, entries } = setup();
  await engine.call('SET', 'a', '1');
  assert.deepEqual(take(), ['SELECT 0', 'SET a 1']);
  assert.equal(entries[0]!.db, 0);
  assert.deepEqual(entries[0]!.targets, { aof: true, replicas: true });
  await engine.call('INCR', 'a');
  await engine.call('GET', 'a');
  await engine.call('DEL', 'nokey'); // no change: nothing
  await engine.call('INCR', 'a', 'x'); // refused: nothing
  await engine.call('SET', 'a', 'x');
  await engine.call('INCR', 'a'); // an error: nothing
  assert.deepEqual(take(), ['INCR a', 'SET a x']);
  const c = engine.client();
  await c.call('SELECT', '3');
  await c.call('set', 'b', '2');
  await engine.call('SET', 'c', '3');
  assert.deepEqual(take(), ['SELECT 3', 'set b 2', 'SELECT 0', 'SET c 3']);
  await engine.call('FLUSHALL');
  assert.deepEqual(take(), ['FLUSHALL']);
  await engine.call('PUBLISH', 'ch', 'msg'); // replicas only, though nothing changed
  assert.deepEqual(take(), ['[repl] PUBLISH ch msg']);
});

test('Valkey\'s rewrites: SET EX -> PXAT, EXPIRE -> PEXPIREAT, INCRBYFLOAT -> SET KEEPTTL, ...', async () => {
  const { engine, take } = setup();
  engine.now = () => 1_700_000_000_000;
  await engine.call('SET', 'a', '1', 'EX', '100', 'NX');
  await engine.call('SET', 'b', '1', 'PXAT', '1700000500000');
  await engine.call('SETEX', 'c', '10', 'v');
  await engine.call('PSETEX', 'd', '10', 'v');
  assert.deepEqual(take(), [
    'SELECT 0',
    'SET a 1 PXAT 1700000100000',
    'SET b 1 PXAT 1700000500000',
    'SET c v PXAT 1700000010000',
    'SET d v PXAT 1700000000010',
  ]);
  await engine.call('GETEX', 'c', 'EX', '20');
  await engine.call('GETEX', 'c', 'PERSIST');
  await engine.call('GETEX', 'c', 'PXAT', '1');
  assert.deepEqual(take(), ['PEXPIREAT c 1700000020000', 'PERSIST c', 'UNLINK c']);
  await engine.call('SET', 'e', '1');
  await engine.call('EXPIRE', 'e', '100', 'NX');
  await engine.call('EXPIRE', 'e', '100', 'NX'); // NX fails: nothing
  await engine.call('pexpireat', 'e', '1700000200000');
  await engine.call('EXPIREAT', 'e', '1');
  assert.deepEqual(take(), ['SET e 1', 'PEXPIREAT e 1700000100000 NX', 'pexpireat e 1700000200000', 'UNLINK e']);
  await engine.call('INCRBYFLOAT', 'f', '1.5');
  await engine.call('HINCRBYFLOAT', 'h', 'x', '2.5');
  await engine.call('GETDEL', 'f');
  assert.deepEqual(take(), ['SET f 1.5 KEEPTTL', 'HSET h x 2.5', 'DEL f']);
});

test('MULTI/EXEC: several effects wrapped, one alone, none nothing; MULTI carries no SELECT', async () => {
  const { engine, take, entries } = setup();
  await engine.call('SET', 'x', '0');
  take();
  const c = engine.client();
  await c.call('SELECT', '1');
  for (const cmd of [['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXEC']]) await c.call(...cmd);
  assert.deepEqual(take(), ['MULTI', 'SELECT 1', 'SET a 1', 'INCR a', 'EXEC']);
  const multi = entries.find((e) => e.argv[0] === 'MULTI')!;
  assert.equal(multi.db, -1);
  assert.deepEqual(multi.targets, { aof: true, replicas: true });
  for (const cmd of [['MULTI'], ['GET', 'a'], ['INCR', 'a'], ['EXEC']]) await c.call(...cmd);
  assert.deepEqual(take(), ['INCR a']);
  for (const cmd of [['MULTI'], ['GET', 'a'], ['EXEC']]) await c.call(...cmd);
  assert.deepEqual(take(), []);
  // Module commands inside the transaction join the same unit.
  for (const cmd of [['MULTI'], ['prop.simple'], ['SET', 'b', '1'], ['prop.mixed'], ['EXEC']]) await c.call(...cmd);
  assert.deepEqual(take(), [
    'MULTI',
    'INCR counter-1',
    'INCR counter-2',
    'SET b 1',
    'INCR using-call',
    'INCR counter-1',
    'INCR counter-2',
    'INCR after-call',
    'EXEC',
  ]);
});

test('Replicate: wrapped with the command\'s other effects, in the order they happened', async () => {
  const { engine, take } = setup();
  assert.equal(String(await engine.call('prop.simple')), 'OK');
  assert.equal(String(await engine.call('prop.mixed')), 'OK');
  // Valkey's own propagate.tcl sequence: Call effects and Replicate calls interleave as they ran.
  assert.deepEqual(take(), [
    'MULTI',
    'SELECT 0',
    'INCR counter-1',
    'INCR counter-2',
    'EXEC',
    'MULTI',
    'INCR using-call',
    'INCR counter-1',
    'INCR counter-2',
    'INCR after-call',
    'EXEC',
  ]);
  // Replicate does not run anything: the counters were never touched.
  assert.equal(await engine.call('GET', 'counter-1'), null);
  assert.equal(await engine.call('GET', 'using-call'), '1');
});

test('Replicate: A and R targets; ERR for an unknown command or a bad format', async () => {
  const { engine, take } = setup();
  await engine.call('prop.replicate', 'A', 'INCR', 'x');
  await engine.call('prop.replicate', 'R', 'INCR', 'y');
  await engine.call('prop.replicate', 'AR', 'INCR', 'z');
  await engine.call('prop.replicate', '-', 'INCR', 'w');
  assert.deepEqual(take(), ['[repl] SELECT 0', '[repl] INCR x', '[aof] SELECT 0', '[aof] INCR y', 'INCR w']);
  assert.deepEqual(await engine.call('prop.badreplicate'), [1, 1, 0]);
  assert.deepEqual(take(), ['config|set maxmemory 0']);
  assert.equal((await engine.call('prop.replicate', '-', 'NOSUCH')) instanceof Error, true);
  assert.deepEqual(take(), []);
});

test('ReplicateVerbatim: the client\'s argv as sent, alone without MULTI', async () => {
  const { engine, take } = setup();
  assert.equal(await engine.call('prop.incr', 'k'), 1);
  assert.deepEqual(take(), ['SELECT 0', 'prop.incr k']); // the INCR itself (no `!`) is not propagated
  await engine.call('PROP.VERBATIM', 'a', 'b\0c');
  assert.deepEqual(take(), ['PROP.VERBATIM a b\0c']);
  assert.equal(engine.dirty > 0, true);
});

test('Call with `!`, `!A`, `!R`; without `!` nothing; module writes never propagate by themselves', async () => {
  const { engine, take } = setup();
  await engine.call('prop.call', '!', 'SET', 'x', '1');
  await engine.call('prop.call', '!A', 'SET', 'x', '2');
  await engine.call('prop.call', '!R', 'SET', 'x', '3');
  await engine.call('prop.call', '!AR', 'SET', 'x', '4');
  await engine.call('prop.call', '-', 'SET', 'x', '5');
  await engine.call('prop.call', '!', 'GET', 'x');
  await engine.call('prop.silent', 's');
  assert.deepEqual(take(), ['SELECT 0', 'SET x 1', '[repl] SET x 2', '[aof] SET x 3']);
  assert.equal(await engine.call('GET', 'x'), '5');
  assert.equal(await engine.call('GET', 's'), '1');
  assert.equal(await engine.call('GET', 's-keyapi'), 'x');
});

test('nested module commands: `!` lets them replicate, no `!` silences everything below', async () => {
  const { engine, take } = setup();
  await engine.call('prop.call', '!', 'prop.simple');
  assert.deepEqual(take(), ['MULTI', 'SELECT 0', 'INCR counter-1', 'INCR counter-2', 'EXEC']);
  await engine.call('prop.call', '-', 'prop.simple');
  await engine.call('prop.call', '-', 'prop.mixed');
  assert.deepEqual(take(), []);
  // The nested command's own Call (no `!`) stays silent; its ReplicateVerbatim is kept.
  await engine.call('prop.call', '!', 'prop.incr', 'k');
  assert.deepEqual(take(), ['prop.incr k']);
  // Three levels, `!` all the way.
  await engine.call('prop.call', '!', 'prop.call', '!', 'INCR', 'deep');
  assert.deepEqual(take(), ['INCR deep']);
  await engine.call('prop.call', '!', 'prop.call', '-', 'INCR', 'deep');
  assert.deepEqual(take(), []);
});

test('SelectDb inside a module command: SELECT goes inside the MULTI', async () => {
  const { engine, take } = setup();
  await engine.call('prop.select', '3', 'k');
  assert.deepEqual(take(), ['MULTI', 'SELECT 3', 'INCR k', 'SELECT 0', 'INCR k', 'EXEC']);
  await engine.call('SET', 'a', '1');
  assert.deepEqual(take(), ['SET a 1']);
});

test('expiry propagates UNLINK (DEL with lazyfree-lazy-expire no), before the command that found it', async () => {
  const { engine, take } = setup();
  const clock = { now: 1_700_000_000_000 };
  engine.now = () => clock.now;
  await engine.call('SET', 'k1', '900', 'PX', '100');
  await engine.call('SET', 'k2', '900', 'PX', '100');
  await engine.call('SET', 'k3', '900', 'PX', '100');
  await engine.call('SET', 'k4', '900', 'PX', '100');
  take();
  clock.now += 200;
  await engine.call('GET', 'k1'); // a read: only the deletion
  await engine.call('INCR', 'k2');
  await engine.call('prop.incr', 'k3'); // Valkey's "RM_Call of expired key propagation"
  assert.deepEqual(take(), [
    'UNLINK k1',
    'MULTI',
    'UNLINK k2',
    'INCR k2',
    'EXEC',
    'MULTI',
    'UNLINK k3',
    'prop.incr k3',
    'EXEC',
  ]);
  assert.equal(await engine.call('TTL', 'k3'), -1);
  // Inside a Call without `!` the deletion still propagates.
  await engine.call('SET', 'k5', '1', 'PX', '100');
  take();
  clock.now += 200;
  await engine.call('prop.call', '-', 'GET', 'k5');
  assert.deepEqual(take(), ['UNLINK k5']);
  await engine.call('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no');
  engine.activeExpireEnabled = true;
  engine.cron(); // active expiry: each key its own unit
  assert.deepEqual(take(), ['DEL k4']);
});

test('several lazy expiries in one command are wrapped, except for commands touching arbitrary keys', async () => {
  const { engine, take } = setup();
  const clock = { now: 1_700_000_000_000 };
  engine.now = () => clock.now;
  const expiring = async () => {
    await engine.call('SET', 'a', '1', 'PX', '10');
    await engine.call('SET', 'b', '1', 'PX', '10');
    take();
    clock.now += 100;
  };
  await expiring();
  assert.deepEqual(await engine.call('MGET', 'a', 'b'), [null, null]);
  assert.deepEqual(take(), ['MULTI', 'UNLINK a', 'UNLINK b', 'EXEC']);
  await expiring();
  assert.equal(await engine.call('RANDOMKEY'), null); // flagged touches_arbitrary_keys
  assert.deepEqual(take().sort(), ['UNLINK a', 'UNLINK b']);
});

test('the stream: listeners start with a SELECT, detach, and nothing flows while loading', async () => {
  const { engine, take } = setup();
  await engine.call('SET', 'a', '1');
  take();
  const second: string[] = [];
  const off = engine.onPropagate((c) => second.push(c.argv.join(' ')));
  await engine.call('SET', 'a', '2');
  assert.deepEqual(take(), ['SELECT 0', 'SET a 2']);
  assert.deepEqual(second, ['SELECT 0', 'SET a 2']);
  off();
  await engine.call('SET', 'a', '3');
  assert.deepEqual(second.length, 2);
  assert.deepEqual(take(), ['SET a 3']);
  engine.loading = true;
  await engine.call('SET', 'a', '4');
  engine.loading = false;
  assert.deepEqual(take(), []);
  // Outside any execution unit an effect is emitted at once, on its own.
  engine.propagation.add(2, ['INCR', 'z']);
  engine.propagation.add(2, ['INCR', 'z']);
  assert.deepEqual(take(), ['SELECT 2', 'INCR z', 'INCR z']);
  // A unit opened by hand (a timer, a thread-safe context) wraps what happens in it.
  engine.propagation.enterUnit();
  engine.propagation.add(2, ['INCR', 'a']);
  await engine.call('SET', 'b', '1');
  assert.deepEqual(take(), []);
  engine.propagation.exitUnit();
  assert.deepEqual(take(), ['MULTI', 'INCR a', 'SELECT 0', 'SET b 1', 'EXEC']);
});

test('commands can force, prevent and rewrite their propagation', async () => {
  const { engine, take } = setup();
  const prop = engine.propagation;
  // Drive the API the way a command handler would, through a unit opened by hand.
  const c = engine.client();
  const fake = { name: 'fake', fullname: 'fake', arity: -1, flags: [], firstKey: 0, lastKey: 0, keyStep: 0 };
  prop.enterCommand();
  prop.force(2);
  prop.exitCommand(c, fake, ['PUBLISH', 'ch', 'm']);
  prop.enterCommand();
  engine.dirty++;
  prop.rewrite(['SREM', 's', 'm']);
  prop.exitCommand(c, fake, ['SPOP', 's']);
  prop.enterCommand();
  engine.dirty++;
  prop.prevent();
  prop.exitCommand(c, fake, ['X']);
  assert.deepEqual(take(), ['[repl] SELECT 0', '[repl] PUBLISH ch m', '[aof] SELECT 0', 'SREM s m']);
});
