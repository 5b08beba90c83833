/** Module configs: Register*Config, LoadConfigs, CONFIG GET/SET/REWRITE (test-modules/moduleconfigs.c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, SimpleString } from '../src/index.js';
import { configFileState, rewriteConfigContent } from '../src/server/config-file.js';
import { testModule } from './helpers.js';

const so = testModule('moduleconfigs');
const OK = new SimpleString('OK');
const LOAD_ERROR = 'ERR Error loading the extension. Please check the server logs.';

async function get(engine: Engine, pattern: string): Promise<unknown> {
  return engine.call('CONFIG', 'GET', pattern);
}

async function errorOf(engine: Engine, ...args: string[]): Promise<string> {
  const r = await engine.call(...args);
  assert.ok(r instanceof ReplyError, `expected an error from ${args.join(' ')}`);
  return r.message;
}

test('defaults are applied by LoadConfigs, set then apply callbacks', async () => {
  const engine = new Engine();
  assert.deepEqual(await engine.call('MODULE', 'LOAD', so), OK);
  // string "secret", bool yes, enum one, memory 1024; one shared apply, one enum, one memory.
  assert.deepEqual(await engine.call('MODCFG.STATE'), ['secret', 1, 1, 1024, 1, 1, 1, 'memory']);
  assert.deepEqual(await engine.call('MODCFG.CHECKS'), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(await get(engine, 'moduleconfigs.*'), [
    'moduleconfigs.string', 'secret',
    'moduleconfigs.bool', 'yes',
    'moduleconfigs.enum', 'one',
    'moduleconfigs.memory', '1024',
  ]);
  assert.deepEqual(await get(engine, 'MODULECONFIGS.BOOL'), ['MODULECONFIGS.BOOL', 'yes']);
});

test('CONFIG SET: typed parsing, set and de-duplicated apply callbacks', async () => {
  const engine = new Engine();
  await engine.call('MODULE', 'LOAD', so);
  assert.deepEqual(
    await engine.call('CONFIG', 'SET', 'moduleconfigs.string', 'hello', 'moduleconfigs.bool', 'no'),
    OK,
  );
  // string and bool share apply callback and privdata: one more call, not two.
  assert.deepEqual(await engine.call('MODCFG.STATE'), ['hello', 0, 1, 1024, 2, 1, 1, 'bool']);
  assert.deepEqual(await engine.call('CONFIG', 'SET', 'moduleconfigs.enum', 'two four'), OK);
  assert.deepEqual(await get(engine, 'moduleconfigs.enum'), ['moduleconfigs.enum', 'two four']);
  assert.deepEqual(await engine.call('CONFIG', 'SET', 'moduleconfigs.enum', 'FOUR'), OK);
  assert.deepEqual(await get(engine, 'moduleconfigs.enum'), ['moduleconfigs.enum', 'four']);
  assert.deepEqual(await engine.call('CONFIG', 'SET', 'moduleconfigs.memory', '1mb'), OK);
  assert.deepEqual(await get(engine, 'moduleconfigs.memory'), ['moduleconfigs.memory', '1048576']);
  assert.deepEqual(await engine.call('CONFIG', 'SET', 'moduleconfigs.memory', '2k'), OK);
  assert.deepEqual(await engine.call('MODCFG.STATE'), ['hello', 0, 4, 2000, 2, 3, 3, 'memory']);

  const fail = "ERR CONFIG SET failed (possibly related to argument 'moduleconfigs.";
  assert.equal(await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.string', 'rejectme'), `${fail}string') - Rejected value`);
  assert.equal(await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.bool', 'maybe'), `${fail}bool') - argument must be 'yes' or 'no'`);
  assert.equal(
    await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.enum', 'three'),
    `${fail}enum') - argument(s) must be one of the following: none, one, two, four`,
  );
  assert.equal(await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.memory', '12xb'), `${fail}memory') - argument must be a memory value`);
  assert.equal(
    await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.memory', '2gb'),
    `${fail}memory') - argument must be between -1 and 1073741824 inclusive`,
  );
  assert.equal(await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.memory', '666'), `${fail}memory') - Apply failed`);
  assert.equal(
    await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.nosuch', '1'),
    "ERR Unknown option or number of arguments for CONFIG SET - 'moduleconfigs.nosuch'",
  );
  // A failing set callback puts back the module configs this call already set.
  assert.equal(
    await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.bool', 'yes', 'moduleconfigs.string', 'rejectme'),
    `${fail}string') - Rejected value`,
  );
  assert.deepEqual(await get(engine, 'moduleconfigs.bool'), ['moduleconfigs.bool', 'no']);
  // Nothing changed by the failed parses: string still "hello".
  assert.deepEqual(await get(engine, 'moduleconfigs.string'), ['moduleconfigs.string', 'hello']);
});

test('IMMUTABLE and HIDDEN: exact CONFIG GET only, CONFIG SET refused, LOADEX allowed', async () => {
  const engine = new Engine();
  await engine.call('MODULE', 'LOADEX', so, 'CONFIG', 'moduleconfigs.frozen', 'snow');
  assert.deepEqual(await get(engine, 'moduleconfigs.frozen'), ['moduleconfigs.frozen', 'snow']);
  assert.deepEqual(await get(engine, 'moduleconfigs.fro*'), []);
  assert.equal(
    await errorOf(engine, 'CONFIG', 'SET', 'moduleconfigs.frozen', 'rain'),
    "ERR CONFIG SET failed (possibly related to argument 'moduleconfigs.frozen') - can't set immutable config",
  );
  assert.deepEqual(await get(engine, 'moduleconfigs.frozen'), ['moduleconfigs.frozen', 'snow']);
});

test('CONFIG REWRITE writes changed module configs', async () => {
  const engine = new Engine();
  await engine.call('MODULE', 'LOAD', so);
  await engine.call('CONFIG', 'SET', 'moduleconfigs.string', 'two words', 'moduleconfigs.enum', 'one');
  const text = rewriteConfigContent(engine, '');
  assert.match(text, /^moduleconfigs\.string "two words"$/m);
  assert.doesNotMatch(text, /^moduleconfigs\.enum/m);
  assert.doesNotMatch(text, /^moduleconfigs\.bool/m);
});

test('MODULE LOADEX CONFIG and config file values are applied; bad ones fail the load', async () => {
  const engine = new Engine();
  configFileState(engine).moduleConfigs.set('moduleconfigs.bool', 'no');
  configFileState(engine).moduleConfigs.set('moduleconfigs.memory', '5');
  assert.deepEqual(
    await engine.call('MODULE', 'LOADEX', so, 'CONFIG', 'moduleconfigs.enum', 'one four', 'CONFIG', 'moduleconfigs.memory', '1kb'),
    OK,
  );
  assert.deepEqual(await engine.call('MODCFG.STATE'), ['secret', 0, 5, 1024, 1, 1, 1, 'memory']);
  assert.equal(configFileState(engine).moduleConfigs.size, 0);
  assert.deepEqual(await engine.call('MODULE', 'UNLOAD', 'moduleconfigs'), OK);
  assert.deepEqual(await get(engine, 'moduleconfigs.*'), []);

  assert.equal(await errorOf(engine, 'MODULE', 'LOADEX', so, 'CONFIG', 'moduleconfigs.bool', 'maybe'), LOAD_ERROR);
  assert.ok(engine.logger.lines().includes("Issue during loading of configuration moduleconfigs.bool : argument must be 'yes' or 'no'"));
  assert.equal(await errorOf(engine, 'MODULE', 'LOADEX', so, 'CONFIG', 'moduleconfigs.nosuch', '1'), LOAD_ERROR);
  assert.equal(
    engine.logger.lines().at(-2),
    'Loadex configurations were not applied, likely due to invalid arguments. Unloading the module.',
  );
  assert.deepEqual(engine.modules(), []);
  assert.deepEqual(await get(engine, 'moduleconfigs.*'), []);
});

test('a module that never calls LoadConfigs is unloaded; registration outside OnLoad fails', async () => {
  const engine = new Engine();
  assert.equal(await errorOf(engine, 'MODULE', 'LOADEX', so, 'ARGS', 'noload'), LOAD_ERROR);
  assert.ok(
    engine.logger.lines().includes('Module Configurations were not set, likely a missing LoadConfigs call. Unloading the module.'),
  );
  assert.deepEqual(engine.modules(), []);
  assert.deepEqual(await get(engine, 'moduleconfigs.*'), []);
  await engine.call('MODULE', 'LOAD', so);
  assert.deepEqual(await engine.call('MODCFG.LATE'), [1, 1, 1]);
  assert.deepEqual(await get(engine, 'moduleconfigs.late'), []);
});
