/** Module INFO sections, GetServerInfo, module pub/sub and latency samples (test-modules/infotest.c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('infotest'));

const STATS =
  '# infotest_stats\r\n' +
  'infotest_calls:-5\r\n' +
  'infotest_big:18446744073709551615\r\n' +
  'infotest_ratio:0.10000000000000001\r\n' +
  'infotest_name:abc\r\n' +
  'infotest_dict:a=1,b=x,c=2.5\r\n' +
  'infotest_text:not a number\r\n';
const MAIN = '# infotest\r\ninfotest_global:yes\r\ninfotest_open:x=1\r\n';
const EXTRA = '# infotest_extra\r\ninfotest_n:7\r\n';

test('PublishMessage / PublishMessageShard count receivers', async () => {
  const sub = engine.client();
  await sub.call('SUBSCRIBE', 'ch');
  const ssub = engine.client();
  await ssub.call('SSUBSCRIBE', 'sch');
  assert.equal(await engine.call('INFOTEST.PUB', 'ch', 'hello'), 1);
  assert.equal(await engine.call('INFOTEST.PUB', 'nobody', 'x'), 0);
  assert.deepEqual(sub.pushes.splice(0), [['message', 'ch', 'hello']]);
  assert.equal(await engine.call('INFOTEST.SPUB', 'sch', 'bin\x00\xff'), 1);
  assert.equal(await engine.call('INFOTEST.SPUB', 'ch', 'x'), 0);
  assert.deepEqual(ssub.pushes.splice(0), [['smessage', 'sch', 'bin\x00\xff']]);
  await sub.call('UNSUBSCRIBE');
  await ssub.call('SUNSUBSCRIBE');
});

test('AvoidReplicaTraffic: 1 only while clients are paused', async () => {
  assert.equal(await engine.call('INFOTEST.AVOID'), 0);
  assert.equal(String(await engine.call('CLIENT', 'PAUSE', '10000', 'WRITE')), 'OK');
  assert.equal(await engine.call('INFOTEST.AVOID'), 1);
  assert.equal(String(await engine.call('CLIENT', 'UNPAUSE')), 'OK');
  assert.equal(await engine.call('INFOTEST.AVOID'), 0);
});

test('LatencyAddSample: sampled when >= latency-monitor-threshold', async () => {
  await engine.call('LATENCY', 'RESET');
  await engine.call('CONFIG', 'SET', 'latency-monitor-threshold', '100');
  assert.equal(String(await engine.call('INFOTEST.LATENCY', 'mod-event', '99')), 'OK');
  assert.deepEqual(await engine.call('LATENCY', 'LATEST'), []);
  assert.equal(String(await engine.call('INFOTEST.LATENCY', 'mod-event', '150')), 'OK');
  const latest = (await engine.call('LATENCY', 'LATEST')) as unknown[][];
  assert.equal(latest.length, 1);
  assert.equal(latest[0]![0], 'mod-event');
  assert.equal(latest[0]![2], 150);
  assert.equal(latest[0]![3], 150);
  await engine.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
  await engine.call('LATENCY', 'RESET');
  // as in Valkey, a threshold of 0 does not disable module samples
  assert.equal(String(await engine.call('INFOTEST.LATENCY', 'zero-event', '0')), 'OK');
  const z = (await engine.call('LATENCY', 'LATEST')) as unknown[][];
  assert.deepEqual(z.map((e) => [e[0], e[2], e[3]]), [['zero-event', 0, 0]]);
  await engine.call('LATENCY', 'RESET');
});

test('INFO: module sections only for modules/everything/module names', async () => {
  const def = (await engine.call('INFO')) as string;
  assert.ok(!def.includes('infotest_'), 'default INFO shows module fields');
  assert.ok(def.includes('module:name=infotest,'));
  const all = (await engine.call('INFO', 'all')) as string;
  assert.ok(!all.includes('# infotest'), 'INFO all shows module sections');

  const mods = (await engine.call('INFO', 'modules')) as string;
  assert.ok(mods.startsWith('# Modules\r\nmodule:name=infotest,'), mods);
  assert.ok(mods.endsWith(`\r\n${MAIN}\r\n${STATS}\r\n${EXTRA}`), JSON.stringify(mods));
  const every = (await engine.call('INFO', 'everything')) as string;
  assert.ok(every.endsWith(`\r\n\r\n${MAIN}\r\n${STATS}\r\n${EXTRA}`), JSON.stringify(every.slice(-400)));

  assert.equal(await engine.call('INFO', 'infotest'), `${MAIN}\r\n${STATS}\r\n${EXTRA}`);
  assert.equal(await engine.call('INFO', 'INFOTEST_STATS'), STATS);
  assert.equal(await engine.call('INFO', 'infotest_extra'), EXTRA);
  const both = (await engine.call('INFO', 'server', 'infotest_extra')) as string;
  assert.ok(both.startsWith('# Server\r\n') && both.endsWith(`\r\n\r\n${EXTRA}`), JSON.stringify(both));
  assert.equal(await engine.call('INFO', 'nosuchsection'), '');
});

test('Info* return codes: fields outside a section and in skipped sections fail', async () => {
  await engine.call('INFO', 'infotest_extra');
  assert.deepEqual(await engine.call('INFOTEST.RCS'), [1, 1, 1, 1, 1]);
});

test('GetServerInfo and the ServerInfoGetField* getters', async () => {
  const used = (await engine.call('INFOTEST.FIELD', 'memory', 'used_memory')) as unknown[];
  assert.equal(used[0], used[1]);
  assert.match(String(used[0]), /^[1-9][0-9]*$/);
  assert.equal(String(used[2]), used[0]);
  assert.equal(used[3], 0);
  assert.equal(used[4], used[0]);
  assert.equal(used[5], 0);
  assert.equal(used[7], 0);

  // default sections (NULL)
  const port = (await engine.call('INFOTEST.FIELD', '', 'redis_version')) as unknown[];
  assert.equal(typeof port[0], 'string');
  assert.equal(port[3], 1);
  assert.equal(port[5], 1);

  // a missing field: NULLs and ERR everywhere
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'server', 'no_such_field'), [null, null, 0, 1, '0', 1, '0', 1]);
  // a section that is not asked for
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'server', 'used_memory'), [null, null, 0, 1, '0', 1, '0', 1]);

  // module fields through GetServerInfo
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'infotest_stats', 'infotest_calls'), ['-5', '-5', -5, 0, '0', 1, '-5', 0]);
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'infotest', 'infotest_big'), [
    '18446744073709551615', '18446744073709551615', 0, 1, '18446744073709551615', 0, '1.8446744073709552e+19', 0,
  ]);
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'infotest', 'infotest_ratio'), [
    '0.10000000000000001', '0.10000000000000001', 0, 1, '0', 1, '0.10000000000000001', 0,
  ]);
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'infotest', 'infotest_text'), [
    'not a number', 'not a number', 0, 1, '0', 1, '0', 1,
  ]);
  assert.deepEqual(await engine.call('INFOTEST.FIELD', 'infotest', 'infotest_dict'), ['a=1,b=x,c=2.5', 'a=1,b=x,c=2.5', 0, 1, '0', 1, '0', 1]);
});
