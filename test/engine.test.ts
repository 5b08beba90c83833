/** The embedded engine: helloworld end to end, clients, HELLO, SELECT and command errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, ReplyMap, SimpleString, apiCoverage, encodeReply } from '../src/index.js';
import { testModule } from './helpers.js';

test('helloworld: load and run its commands', async () => {
  const engine = new Engine();
  const info = engine.loadModule(testModule('helloworld'));
  assert.equal(info.name, 'helloworld');
  const r = await engine.call('HELLOWORLD.RAND');
  assert.equal(typeof r, 'number');
  assert.equal(await engine.call('helloworld.echo', 'héllo'), 'héllo');
  assert.equal(await engine.call('HELLOWORLD.SUM', '1', 2, '-10'), -7);
  assert.deepEqual(await engine.call('HELLOWORLD.REVERSE', 'a', 'b', 'c'), ['c', 'b', 'a']);
  assert.deepEqual(await engine.call('HELLOWORLD.INFO'), ['name', 'helloworld', 'commands', 5]);
  const err = await engine.call('HELLOWORLD.SUM', 'x');
  assert.ok(err instanceof ReplyError);
  assert.equal(err.message, 'ERR value is not an integer or out of range');
  assert.equal(err.code, 'ERR');
});

test('binary-safe arguments and replies (buffers mode)', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('helloworld'));
  const c = engine.client({ buffers: true });
  const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10]);
  assert.deepEqual(await c.call('HELLOWORLD.ECHO', bytes), bytes);
});

test('a RESP3 client gets maps; the default client stays RESP2', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('helloworld'));
  const c3 = engine.client();
  const hello = await c3.call('HELLO', '3');
  assert.ok(hello instanceof ReplyMap);
  assert.equal(hello.get('proto'), 3);
  assert.equal(hello.get('server'), 'valkey');
  assert.deepEqual(await c3.call('HELLOWORLD.INFO'), new ReplyMap([['name', 'helloworld'], ['commands', 5]]));
  assert.deepEqual(await engine.call('HELLOWORLD.INFO'), ['name', 'helloworld', 'commands', 5]);
  assert.equal(encodeReply(await c3.call('HELLOWORLD.INFO'), 3).toString(), '%2\r\n$4\r\nname\r\n$10\r\nhelloworld\r\n$8\r\ncommands\r\n:5\r\n');
  const back = await c3.call('HELLO', '2');
  assert.ok(Array.isArray(back));
  assert.deepEqual((back as unknown[]).slice(0, 6), ['server', 'valkey', 'version', '8.1.0', 'proto', 2]);
});

test('HELLO errors', async () => {
  const engine = new Engine();
  const bad = await engine.call('HELLO', '4');
  assert.ok(bad instanceof ReplyError);
  assert.equal(bad.message, 'NOPROTO unsupported protocol version');
  const nan = await engine.call('HELLO', 'x');
  assert.ok(nan instanceof ReplyError);
  assert.equal(nan.message, 'ERR Protocol version is not an integer or out of range');
  const opt = await engine.call('HELLO', '3', 'BOGUS');
  assert.ok(opt instanceof ReplyError);
  assert.equal(opt.message, "ERR Syntax error in HELLO option 'BOGUS'");
});

test('SELECT, PING, ECHO and command errors', async () => {
  const engine = new Engine({ databases: 4 });
  assert.deepEqual(await engine.call('SELECT', '3'), new SimpleString('OK'));
  const range = await engine.call('SELECT', '4');
  assert.ok(range instanceof ReplyError);
  assert.equal(range.message, 'ERR DB index is out of range');
  const nan = await engine.call('SELECT', 'x');
  assert.ok(nan instanceof ReplyError);
  assert.equal(nan.message, 'ERR value is not an integer or out of range');
  assert.deepEqual(await engine.call('PING'), new SimpleString('PONG'));
  assert.equal(await engine.call('ping', 'hi'), 'hi');
  assert.equal(await engine.call('ECHO', 'x'), 'x');
  const arity = await engine.call('ECHO');
  assert.ok(arity instanceof ReplyError);
  assert.equal(arity.message, "ERR wrong number of arguments for 'echo' command");
  const unknown = await engine.call('NOSUCH', 'a', 'b');
  assert.ok(unknown instanceof ReplyError);
  assert.equal(unknown.message, "ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' ");
  const long = await engine.call('NOSUCH', 'x'.repeat(200));
  assert.ok(long instanceof ReplyError);
  assert.equal(long.message, `ERR unknown command 'NOSUCH', with args beginning with: '${'x'.repeat(128)}' `);
});

test('module command arity errors use the registered name', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('helloworld'));
  const r = await engine.call('HELLOWORLD.ECHO');
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, "ERR wrong number of arguments for 'helloworld.echo' command");
});

test('apiCoverage matches the native table and counts every reference API', () => {
  const cov = apiCoverage();
  assert.equal(cov.total, 363);   // 361 in the reference + SetModuleAttribs + ReplySetPushLength
  assert.equal(cov.total, cov.areas.reduce((n, a) => n + a.total, 0));
  assert.equal(cov.implemented, cov.areas.reduce((n, a) => n + a.implemented, 0));
  const strings = cov.areas.find((a) => a.area === 'strings')!;
  assert.equal(strings.implemented, strings.total);
  assert.deepEqual(new Engine().apiCoverage(), cov);
});
