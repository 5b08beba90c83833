/** Module identity, options, context flags, client ids, logging, AutoMemory and _Assert. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Engine, SimpleString } from '../src/index.js';
import { repoRoot, testModule } from './helpers.js';

const CTX_FLAGS_PRIMARY = 1 << 2;
const CTX_FLAGS_RESP3 = 1 << 22;

function engineWithModule(opts: ConstructorParameters<typeof Engine>[0] = {}) {
  const engine = new Engine(opts);
  engine.loadModule(testModule('lifecycle'), ['x', 'y']);
  return engine;
}

test('GetClientId is the id of the calling client', async () => {
  const engine = engineWithModule();
  const c = engine.client();
  assert.equal(await engine.call('LC.CLIENTID'), 1);
  assert.equal(await c.call('LC.CLIENTID'), c.id);
  assert.notEqual(c.id, 1);
});

test('GetContextFlags: PRIMARY always, RESP3 for a RESP3 client, server flags only for NULL', async () => {
  const engine = engineWithModule();
  assert.equal(await engine.call('LC.FLAGS'), CTX_FLAGS_PRIMARY);
  const c3 = engine.client();
  await c3.call('HELLO', '3');
  assert.equal(await c3.call('LC.FLAGS'), CTX_FLAGS_PRIMARY | CTX_FLAGS_RESP3);
  assert.equal(await c3.call('LC.NULLFLAGS'), CTX_FLAGS_PRIMARY);
});

test('SetModuleOptions and GetModuleOptionsAll', async () => {
  const engine = engineWithModule();
  assert.deepEqual(await engine.call('LC.OPTIONS'), [0xf]);
  assert.equal(engine.registry.native.modules()[0]!.options, 1 | 2);
});

test('IsModuleNameBusy is case-insensitive and per engine', async () => {
  const engine = engineWithModule();
  assert.equal(await engine.call('LC.BUSY', 'lifecycle'), 1);
  assert.equal(await engine.call('LC.BUSY', 'LIFECYCLE'), 1);
  assert.equal(await engine.call('LC.BUSY', 'other'), 0);
});

test('Log writes "<module> message" at the level asked, honouring loglevel', async () => {
  const engine = engineWithModule();
  assert.ok(engine.logger.lines().includes('<lifecycle> loaded with 2 args'));
  await engine.call('LC.LOG', 'warning', 'w1');
  await engine.call('LC.LOG', 'notice', 'n1');
  await engine.call('LC.LOG', 'debug', 'd1');
  await engine.call('LC.LOG', 'nosuchlevel', 'v1'); // unknown: verbose, below notice
  await engine.call('LC.LOGNULL', 'from null');
  const lines = engine.logger.lines();
  assert.ok(lines.includes('<lifecycle> msg=w1 n=42'));
  assert.ok(lines.includes('<lifecycle> msg=n1 n=42'));
  assert.ok(!lines.some((l) => l.includes('msg=d1') || l.includes('msg=v1')));
  assert.ok(lines.includes('<module> from null'));

  const verbose = engineWithModule({ loglevel: 'debug' });
  await verbose.call('LC.LOG', 'debug', 'd2');
  await verbose.call('LC.LOG', 'bogus', 'v2');
  assert.ok(verbose.logger.lines().includes('<lifecycle> msg=d2 n=42'));
  assert.ok(verbose.logger.lines().includes('<lifecycle> msg=v2 n=42'));
});

test('log lines reach a log function in Valkey format', () => {
  const seen: string[] = [];
  const engine = new Engine({ log: (line) => seen.push(line) });
  engine.loadModule(testModule('lifecycle'));
  const line = seen.find((l) => l.endsWith('<lifecycle> loaded with 0 args'))!;
  assert.match(line, /^\d+:M \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} \* <lifecycle> loaded with 0 args$/);
});

test('AutoMemory releases temporaries but not retained strings; explicit frees are not doubled', async () => {
  const engine = engineWithModule();
  assert.equal(await engine.call('LC.AUTOGET'), null);
  assert.deepEqual(await engine.call('LC.AUTOKEEP', 'kept'), new SimpleString('OK'));
  assert.equal(await engine.call('LC.AUTOGET'), 'kept!');
  assert.deepEqual(await engine.call('LC.AUTOKEEP', 'again'), new SimpleString('OK'));
  assert.equal(await engine.call('LC.AUTOGET'), 'again!');
  assert.equal(await engine.call('LC.AUTOFREE'), 'def');
});

test('GetCurrentCommandName is the registered name', async () => {
  const engine = engineWithModule();
  assert.equal(await engine.call('lc.name'), 'LC.Name');
});

test('ValkeyModule_Assert logs the failed expression and ends the process', () => {
  const so = testModule('lifecycle');
  const script = `
    const { Engine } = await import(${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'index.js'))});
    const e = new Engine();
    e.loadModule(${JSON.stringify(so)});
    await e.call('LC.ASSERT');
    console.log('not reached');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /=== ASSERTION FAILED ===\n==> .*lifecycle\.c:\d+ 'argc == 2' is not true\n/);
});
