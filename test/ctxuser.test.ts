/** The context user (ValkeyModule_SetContextUser, test-modules/ctxuser.c) and NOSELF command
 *  filters of one module seeing another module's calls (native/api/filters.cc). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { testModule } from './helpers.js';

const so = testModule('ctxuser');
const filterSo = testModule('cmdfilter');

test('Call with C checks the context user, not the client\'s', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  await engine.call('ACL', 'SETUSER', 'alice', 'on', 'nopass', '+get', '+set', '~k*');
  await engine.call('SET', 'k1', 'v1');
  await engine.call('SET', 'x1', 'v2');
  // allowed for alice
  assert.equal(await engine.call('CU.CALLAS', 'alice', 'C', 'GET', 'k1'), 'v1');
  // a command alice may not run
  assert.deepEqual(await engine.call('CU.CALLAS', 'alice', 'CE', 'DEL', 'k1'), [
    'EACCES',
    "NOPERM User alice has no permissions to run the 'del' command",
  ]);
  // without E: NULL and errno
  assert.deepEqual(await engine.call('CU.CALLAS', 'alice', 'C', 'DEL', 'k1'), ['EACCES', null]);
  // a key alice may not touch
  assert.deepEqual(await engine.call('CU.CALLAS', 'alice', 'CE', 'GET', 'x1'), [
    'EACCES',
    'NOPERM No permissions to access a key',
  ]);
  // the denial is in the ACL log, as alice, in the module context
  const log = (await engine.call('ACL', 'LOG', '1')) as unknown[][];
  const entry = log[0]!;
  const field = (name: string): unknown => entry[entry.indexOf(name) + 1];
  assert.equal(field('reason'), 'key');
  assert.equal(field('context'), 'module');
  assert.equal(field('object'), 'x1');
  assert.equal(field('username'), 'alice');
  // without C the context user is not checked
  assert.equal(await engine.call('CU.CALLAS', 'alice', '-', 'GET', 'x1'), 'v2');
  // a reset context user: the client's (default, unrestricted) user again
  assert.equal(await engine.call('CU.CALLRESET', 'alice', 'GET', 'x1'), 'v2');
});

test('a module user created by the module is the context user', async () => {
  const engine = new Engine();
  await engine.loadModule(so);
  await engine.call('SET', 'k1', 'v1');
  assert.equal(await engine.call('CU.CALLMOD', '+get ~k*', 'C', 'GET', 'k1'), 'v1');
  assert.deepEqual(await engine.call('CU.CALLMOD', '+get ~k*', 'CE', 'SET', 'k1', 'v'), [
    'EACCES',
    "NOPERM User cu-mod has no permissions to run the 'set' command",
  ]);
  assert.equal(await engine.call('GET', 'k1'), 'v1');
  // no permissions at all (a new module user has none)
  assert.deepEqual(await engine.call('CU.CALLMOD', '', 'CE', 'GET', 'k1'), [
    'EACCES',
    "NOPERM User cu-mod has no permissions to run the 'get' command",
  ]);
});

test('NOSELF skips only the filter module\'s own calls: another module\'s Call is filtered', async () => {
  const engine = new Engine();
  await engine.loadModule(filterSo, ['noself']);
  await engine.loadModule(so);
  // cmdfilter's own call: skipped
  assert.equal(String(await engine.call('CF.CALLSET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v');
  // ctxuser's call: filtered
  assert.equal(String(await engine.call('CU.CALLSET', 'k', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k'), 'v-filtered');
  // a client command: filtered
  assert.equal(String(await engine.call('SET', 'k2', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k2'), 'v-filtered');
  // ctxuser's Call of cmdfilter's CF.CALLSET: the inner SET is cmdfilter's own call, skipped
  assert.equal(String(await engine.call('CU.CALLAS', 'default', '-', 'CF.CALLSET', 'k3', 'v')), 'OK');
  assert.equal(await engine.call('GET', 'k3'), 'v');
});
