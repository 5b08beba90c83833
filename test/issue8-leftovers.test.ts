/**
 * Issue 8 leftovers: CONFIG SET activedefrag refused as a build without active defrag does,
 * CONFIG REWRITE of module MEMORY configs in gb/mb/kb form, INFO modules usedby/using,
 * UpdateRuntimeArgs (MODULE LIST and the loadmodule line of CONFIG REWRITE).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { rewriteConfigContent } from '../src/server/config-file.js';
import { testModule } from './helpers.js';

const errorText = (r: unknown) => (r as Error).message;

test('CONFIG SET activedefrag yes is refused; no is accepted', async () => {
  const engine = new Engine();
  const r = await engine.call('CONFIG', 'SET', 'activedefrag', 'yes');
  assert.equal(
    errorText(r),
    "ERR CONFIG SET failed (possibly related to argument 'activedefrag') - Active defragmentation cannot be enabled: " +
      'it requires a server compiled with a modified Jemalloc like the one shipped by default with the source distribution',
  );
  assert.deepEqual(await engine.call('CONFIG', 'GET', 'activedefrag'), ['activedefrag', 'no']);
  assert.equal((await engine.call('CONFIG', 'SET', 'activedefrag', 'no') as { value: string }).value, 'OK');
  engine.close();
});

test('CONFIG REWRITE writes module MEMORY configs as gb / mb / kb / bytes', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('moduleconfigs'));
  const line = () => rewriteConfigContent(engine, '').split('\n').find((l) => l.startsWith('moduleconfigs.memory'));
  for (const [set, written] of [
    ['2mb', 'moduleconfigs.memory 2mb'],
    ['1gb', 'moduleconfigs.memory 1gb'],
    ['3072', 'moduleconfigs.memory 3kb'],
    ['1000', 'moduleconfigs.memory 1000'],
  ] as const) {
    await engine.call('CONFIG', 'SET', 'moduleconfigs.memory', set);
    assert.equal(line(), written, set);
  }
  // CONFIG GET still shows bytes
  await engine.call('CONFIG', 'SET', 'moduleconfigs.memory', '2mb');
  assert.deepEqual(await engine.call('CONFIG', 'GET', 'moduleconfigs.memory'), ['moduleconfigs.memory', '2097152']);
  // the default is not written
  await engine.call('CONFIG', 'SET', 'moduleconfigs.memory', '1kb');
  assert.equal(line(), undefined);
  engine.close();
});

test('INFO modules lists shared-API users (usedby) and providers (using)', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('clientinfo'));
  engine.loadModule(testModule('clientinfo'), ['user']);
  assert.equal(await engine.call('CIUSER.DOUBLE', '21'), 42);
  const info = String(await engine.call('INFO', 'modules'));
  assert.match(info, /^module:name=clientinfo,ver=1,api=1,filters=0,usedby=\[clientinfouser\],using=\[\],options=\[\]\r?$/m);
  assert.match(info, /^module:name=clientinfouser,ver=1,api=1,filters=0,usedby=\[\],using=\[clientinfo\],options=\[\]\r?$/m);
  engine.unloadModule('clientinfouser');
  const after = String(await engine.call('INFO', 'modules'));
  assert.match(after, /^module:name=clientinfo,ver=1,api=1,filters=0,usedby=\[\],using=\[\],options=\[\]\r?$/m);
  engine.unloadModule('clientinfo');
  engine.close();
});

test('UpdateRuntimeArgs changes what MODULE LIST and CONFIG REWRITE show', async () => {
  const engine = new Engine();
  const so = testModule('runtimeargs');
  engine.loadModule(so, ['a', 'b']);
  assert.deepEqual(engine.modules().map((m) => m.args), [['a', 'b']]);
  assert.equal((await engine.call('RTARGS.SET', 'x', 'y', 'z') as { value: string }).value, 'OK');
  assert.deepEqual(engine.modules().map((m) => m.args), [['x', 'y', 'z']]);
  const list = (await engine.call('MODULE', 'LIST')) as unknown[][];
  assert.deepEqual(list[0]![list[0]!.length - 1], ['x', 'y', 'z']);
  assert.match(rewriteConfigContent(engine, ''), new RegExp(`^loadmodule ${so.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} x y z$`, 'm'));
  await engine.call('RTARGS.SET');
  assert.deepEqual(engine.modules().map((m) => m.args), [[]]);
  engine.unloadModule('runtimeargs');
  engine.close();
});
