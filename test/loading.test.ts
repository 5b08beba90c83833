/**
 * Loading and unloading modules: every failure gives Valkey's reply and log line and leaves
 * the engine exactly as it was; MODULE LOAD/LOADEX/LIST/UNLOAD reply as Valkey does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, ModuleError, ReplyError, ReplyMap, SimpleString, compileModule } from '../src/index.js';
import { repoRoot, testModule } from './helpers.js';

const LOAD_ERROR = 'ERR Error loading the extension. Please check the server logs.';
const loadfailSrc = path.join(repoRoot, 'test-modules', 'loadfail.c');
const variant = (...defs: string[]) => compileModule(loadfailSrc, { cflags: defs.map((d) => `-D${d}`) });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-loading-'));

/** Engine state that a failed load must not change. */
function snapshot(engine: Engine) {
  return { modules: JSON.stringify(engine.modules()), commands: engine.commands.size };
}

/** Loads through MODULE LOAD and asserts Valkey's failure reply, the log line and no change. */
async function assertLoadFails(engine: Engine, so: string, logLine: string | RegExp) {
  const before = snapshot(engine);
  const reply = await engine.call('MODULE', 'LOAD', so);
  assert.ok(reply instanceof ReplyError);
  assert.equal(reply.message, LOAD_ERROR);
  const lines = engine.logger.lines();
  const last = lines[lines.length - 1]!;
  if (typeof logLine === 'string') assert.equal(last, logLine);
  else assert.match(last, logLine);
  assert.deepEqual(snapshot(engine), before);
}

test('a missing file is refused with the dlopen reason', async () => {
  const engine = new Engine();
  const p = path.join(tmp, 'nope.so');
  await assertLoadFails(
    engine,
    p,
    `Module ${p} failed to load: ${p}: cannot open shared object file: No such file or directory`,
  );
});

test('a file without execute permission is refused before dlopen', async () => {
  const engine = new Engine();
  const p = path.join(tmp, 'noexec.so');
  fs.copyFileSync(testModule('helloworld'), p);
  fs.chmodSync(p, 0o644);
  await assertLoadFails(engine, p, `Module ${p} failed to load: It does not have execute permissions.`);
});

test('a file that is not a shared object is refused', async () => {
  const engine = new Engine();
  const p = path.join(tmp, 'text.so');
  fs.writeFileSync(p, 'this is not an ELF file\n');
  fs.chmodSync(p, 0o755);
  await assertLoadFails(engine, p, new RegExp(`^Module ${p} failed to load: .*${p}: (invalid ELF header|file too short)`));
});

test('a shared object without OnLoad is refused', async () => {
  const engine = new Engine();
  const so = variant('NO_ONLOAD');
  await assertLoadFails(
    engine,
    so,
    `Module ${so} does not export ValkeyModule_OnLoad() or RedisModule_OnLoad() symbol. Module not loaded.`,
  );
});

test('OnLoad returning ERR unregisters what it registered', async () => {
  const engine = new Engine();
  const so = variant('FAIL_ONLOAD');
  await assertLoadFails(engine, so, `Module ${so} initialization failed. Module not loaded`);
  const r = await engine.call('LOADFAIL.PING');
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, "ERR unknown command 'LOADFAIL.PING', with args beginning with: ");
  // The name is free again: the good variant loads.
  assert.equal(engine.loadModule(variant()).name, 'loadfail');
});

test('OnLoad that never calls Init is refused', async () => {
  const engine = new Engine();
  const so = variant('NO_INIT');
  await assertLoadFails(engine, so, /did not call ValkeyModule_Init/);
});

test('a busy module name is refused', async () => {
  const engine = new Engine();
  const so = testModule('helloworld');
  engine.loadModule(so);
  await assertLoadFails(engine, so, `Module ${so} initialization failed. Module name is busy.`);
  assert.equal(engine.modules().length, 1);
});

test('a command name another module registered is refused, and the loader rolls back', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('helloworld'));
  const so = variant('CONFLICT="helloworld.rand"');
  await assertLoadFails(engine, so, `Module ${so} initialization failed. Module not loaded`);
  assert.ok(!((await engine.call('LOADFAIL.PING')) instanceof SimpleString));
  assert.equal(typeof (await engine.call('HELLOWORLD.RAND')), 'number');
});

test('a core command name is refused too', async () => {
  const engine = new Engine();
  const so = variant('CONFLICT="PING"');
  await assertLoadFails(engine, so, `Module ${so} initialization failed. Module not loaded`);
  assert.deepEqual(await engine.call('PING'), new SimpleString('PONG'));
});

test('OnLoad receives its arguments and MODULE LIST reports them', async () => {
  const engine = new Engine();
  const so = variant('CHECK_ARGS');
  const bad = await engine.call('MODULE', 'LOAD', so, 'x');
  assert.ok(bad instanceof ReplyError);
  assert.deepEqual(await engine.call('MODULE', 'LOAD', so, 'a', 'b'), new SimpleString('OK'));
  assert.deepEqual(await engine.call('MODULE', 'LIST'), [['name', 'loadfail', 'ver', 3, 'path', so, 'args', ['a', 'b']]]);
  const c3 = engine.client();
  await c3.call('HELLO', '3');
  assert.deepEqual(
    await c3.call('MODULE', 'LIST'),
    [new ReplyMap([['name', 'loadfail'], ['ver', 3], ['path', so], ['args', ['a', 'b']]])],
  );
  assert.deepEqual(engine.modules(), [{ name: 'loadfail', ver: 3, path: so, args: ['a', 'b'] }]);
});

test('MODULE LOADEX passes ARGS, refuses unconsumed CONFIG and bad syntax', async () => {
  const engine = new Engine();
  const so = variant('CHECK_ARGS');
  assert.deepEqual(await engine.call('MODULE', 'LOADEX', so, 'ARGS', 'a', 'b'), new SimpleString('OK'));
  await engine.call('MODULE', 'UNLOAD', 'loadfail');
  const cfg = await engine.call('MODULE', 'LOADEX', so, 'CONFIG', 'loadfail.x', '1', 'ARGS', 'a', 'b');
  assert.ok(cfg instanceof ReplyError);
  assert.equal(cfg.message, LOAD_ERROR);
  assert.deepEqual(engine.logger.lines().slice(-2), [
    'Loadex configurations were not applied, likely due to invalid arguments. Unloading the module.',
    'Module loadfail unloaded',
  ]);
  assert.deepEqual(engine.modules(), []);
  const syn = await engine.call('MODULE', 'LOADEX', so, 'BOGUS');
  assert.ok(syn instanceof ReplyError);
  assert.equal(engine.logger.lines().at(-1), 'Syntax Error from arguments to loadex around BOGUS.');
});

test('MODULE UNLOAD: unknown name, OnUnload veto, then success', async () => {
  const engine = new Engine();
  const unknown = await engine.call('MODULE', 'UNLOAD', 'nosuch');
  assert.ok(unknown instanceof ReplyError);
  assert.equal(unknown.message, 'ERR Error unloading module: no such module with that name');

  engine.loadModule(variant('UNLOAD_VETO'));
  const veto = await engine.call('MODULE', 'UNLOAD', 'loadfail');
  assert.ok(veto instanceof ReplyError);
  assert.equal(veto.message, 'ERR Error unloading module: operation not possible.');
  assert.ok(engine.logger.lines().includes('Module loadfail OnUnload failed.  Unload canceled.'));
  assert.equal(engine.modules().length, 1);

  await engine.call('LOADFAIL.ALLOWUNLOAD');
  assert.deepEqual(await engine.call('MODULE', 'UNLOAD', 'loadfail'), new SimpleString('OK'));
  assert.deepEqual(engine.modules(), []);
  assert.ok(engine.logger.lines().includes('Module loadfail unloaded'));
  const gone = await engine.call('LOADFAIL.PING');
  assert.ok(gone instanceof ReplyError);
  assert.throws(() => engine.unloadModule('loadfail'), (e: unknown) => e instanceof ModuleError &&
    e.message === 'ERR Error unloading module: no such module with that name');
});

test('engine.loadModule throws a ModuleError with the logged reason', () => {
  const engine = new Engine();
  const p = path.join(tmp, 'missing.so');
  assert.throws(() => engine.loadModule(p), (e: unknown) =>
    e instanceof ModuleError && e.message.startsWith(LOAD_ERROR) && e.reasons.some((r) => r.includes('failed to load')));
});

test('each engine gets its own instance of the same .so', async () => {
  const a = new Engine();
  const b = new Engine();
  const so = variant('UNLOAD_VETO');
  a.loadModule(so);
  b.loadModule(so);
  await a.call('LOADFAIL.ALLOWUNLOAD');   // sets a global inside a's copy only
  assert.deepEqual(await a.call('MODULE', 'UNLOAD', 'loadfail'), new SimpleString('OK'));
  const vetoed = await b.call('MODULE', 'UNLOAD', 'loadfail');
  assert.ok(vetoed instanceof ReplyError);
});

test('a module built for Redis (RedisModule_OnLoad) loads as a legacy module', async () => {
  const engine = new Engine({ loglevel: 'verbose' });
  const so = testModule('helloworld', 'redis');
  engine.loadModule(so);
  assert.ok(engine.logger.lines().includes(`Legacy Redis Module ${so} found`));
  assert.equal(await engine.call('HELLOWORLD.SUM', '1', '2'), 3);
});

test('MODULE is refused when enable-module-command is no', async () => {
  const engine = new Engine({ enableModuleCommand: 'no' });
  const r = await engine.call('MODULE', 'LIST');
  assert.ok(r instanceof ReplyError);
  assert.match(r.message, /^ERR MODULE command not allowed\. If the enable-module-command option is set to "local"/);
  const help = await engine.call('MODULE', 'HELP');
  assert.ok(Array.isArray(help));
  const unknown = await engine.call('MODULE', 'FOO');
  assert.ok(unknown instanceof ReplyError);
  assert.equal(unknown.message, "ERR unknown subcommand 'FOO'. Try MODULE HELP.");
});
