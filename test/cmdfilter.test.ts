/** Command filters (test-modules/cmdfilter.c, native/api/filters.cc). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { testModule } from './helpers.js';

const so = testModule('cmdfilter');

/** The command answered the error `message`. */
async function rejects(p: unknown, message: string): Promise<void> {
  let r: unknown;
  try {
    r = await p;
  } catch (e) {
    r = e;
  }
  assert.ok(r instanceof ReplyError, `expected ${message}, got ${String(r)}`);
  assert.equal(r.message, message);
}

test('filters rewrite, insert and delete arguments, in registration order', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  assert.equal(engine.commandFilters.length, 1); // one hook for all the host's filters
  // ArgReplace of the value
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
  // other shapes of SET pass unchanged
  assert.equal(String(await engine.call('SET', 'k', 'v', 'EX', '100')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v');
  // ArgInsert at 1 (the client id) and ArgDelete
  const c = engine.client();
  assert.deepEqual(await c.call('CF.ECHO', 'a', 'drop', 'b', 'drop'), [`@${c.id}`, 'a', 'b']);
  // the command name itself is rewritten before the lookup
  assert.deepEqual(await engine.call('CF.RENAME', 'x'), ['renamed', 'x']);
  // every argument deleted: an empty (unknown) command
  await rejects(engine.call('CF.KILL'), "ERR unknown command '', with args beginning with: ");
  assert.equal(await engine.call('CF.LAST'), 'CF.LAST');
  // out-of-range positions: NULL / ERR; insert at pos == count appends (filter B, after A)
  assert.deepEqual(await engine.call('CF.CHECKS'), [1, 1, 1, 1, 1, 1, 1, 1, 2]);
});

test('filters see ValkeyModule_Call commands; unregister', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  assert.equal(String(await engine.call('CF.CALLSET', 'k2', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k2'), 'v-filtered');
  // another module may not unregister it
  await engine.loadModule(so, ['other']);
  assert.equal(await engine.call('CF2.UNREGOTHER'), 'ERR');
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
  // its own module: OK, then ERR (no longer registered)
  assert.deepEqual(await engine.call('CF.UNREG'), ['OK', 'ERR']);
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v');
  // filter B still runs
  assert.deepEqual(await engine.call('CF.CHECKS'), [1, 1, 1, 1, 1, 1, 1, 1, 2]);
  assert.equal(String(await engine.call('CF.REREG')), 'OK');
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
});

test('NOSELF skips the module\'s own ValkeyModule_Call, not client commands', async () => {
  const engine = new Engine();
  await engine.loadModule(so, ['noself']);
  assert.equal(String(await engine.call('CF.CALLSET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v');
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
});

test('filters are removed when their module unloads', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
  engine.unloadModule('cmdfilter');
  assert.equal(engine.commandFilters.length, 0);
  assert.equal(String(await engine.call('SET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v');
});

test('a command queued in MULTI is filtered once, when it arrives', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  await engine.call('MULTI');
  await engine.call('SET', 'k', 'v');
  await engine.call('EXEC');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
});

test('INFO modules counts the filters a module registered (cmdfilter registers two)', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  const info = String(await engine.call('INFO', 'modules'));
  assert.match(info, /\r\nmodule:name=cmdfilter,ver=\d+,api=1,filters=2,/);
});
