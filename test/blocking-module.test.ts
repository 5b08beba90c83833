/**
 * Module blocked clients and thread-safe contexts, embedded: BlockClient with a background
 * thread replying through GetThreadSafeContext, timeouts, privdata and free_privdata,
 * BlockClientOnKeys (LPUSH, SignalKeyAsReady, ERR-then-OK, UNBLOCK_DELETED), MULTI and
 * reply-callback refusals, AbortBlock, CLIENT UNBLOCK, unload refusal, detached contexts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ModuleError, ReplyError } from '../src/index.js';
import type { Reply } from '../src/protocol/reply.js';
import { plain, testModule, until } from './helpers.js';

function newEngine(): Engine {
  const engine = new Engine();
  engine.loadModule(testModule('blocking'));
  return engine;
}

/** blk.stats as an object. */
async function stats(engine: Engine) {
  const [freed, lastDisconnected, timeouts, disconnects, replies, measured] = (await engine.call('blk.stats')) as number[];
  return { freed, lastDisconnected, timeouts, disconnects, replies, measured };
}

/** Lets pending I/O and timers run once. */
const tick = () => new Promise((r) => setImmediate(r));

test('a thread replies through the thread-safe context, then the reply callback runs with privdata', async () => {
  const engine = newEngine();
  const p = engine.call('blk.thread', '20');
  assert.ok(p instanceof Promise, 'a blocking module command returns a Promise');
  assert.equal(engine.blocking.count, 1);
  // Valkey's order: the reply callback's replies, then what the thread wrote.
  assert.deepEqual(plain(await p), ['cb', 't1', 't2']);
  assert.equal(engine.blocking.count, 0);
  assert.deepEqual(await stats(engine), { freed: 1, lastDisconnected: 0, timeouts: 0, disconnects: 0, replies: 1, measured: 1 });
  engine.close();
});

test('timeout: the timeout callback replies; free_privdata runs once, later, as disconnected', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('blk.threadto', '200', '20')), 'TIMEOUT');
  let s = await stats(engine);
  assert.equal(s.timeouts, 1);
  assert.equal(s.freed, 0, 'the handle lives until the module unblocks it');
  assert.throws(() => engine.unloadModule('blocking'), (e: unknown) => {
    assert.ok(e instanceof ModuleError);
    assert.equal(e.message, 'ERR Error unloading module: the module has blocked clients. Please wait for them to be unblocked and try again');
    return true;
  });
  await until(async () => (await stats(engine)).freed === 1, 'the thread to release the handle');
  s = await stats(engine);
  assert.equal(s.lastDisconnected, 1);
  assert.equal(s.replies, 0, 'no reply callback once the client left');
  engine.unloadModule('blocking');
  engine.close();
});

test('another client unblocks a held client; INFO counts it; unload refused meanwhile', async () => {
  const engine = newEngine();
  const c1 = engine.client();
  const c2 = engine.client();
  const p = c1.call('blk.hold', '0');
  assert.match(String(await c2.call('INFO', 'clients')), /blocked_clients:1\r\n/);
  assert.throws(() => engine.unloadModule('blocking'), /the module has blocked clients/);
  assert.equal(plain(await c2.call('blk.release', 'hello')), 'OK');
  assert.equal(plain(await p), 'hello');
  assert.match(String(await c2.call('INFO', 'clients')), /blocked_clients:0\r\n/);
  assert.equal((await stats(engine)).freed, 1);
  engine.unloadModule('blocking');
  engine.close();
});

test('inside MULTI: the transaction error, and the aborted handle is released without callbacks', async () => {
  const engine = newEngine();
  const c = engine.client();
  assert.equal(plain(await c.call('MULTI')), 'OK');
  assert.equal(plain(await c.call('blk.thread', '1')), 'QUEUED');
  const r = (await c.call('EXEC')) as Reply[];
  assert.equal(r.length, 1);
  assert.ok(r[0] instanceof ReplyError);
  assert.equal((r[0] as ReplyError).message, 'ERR Blocking module command called from transaction');
  await until(async () => (await stats(engine)).freed === 1, 'the thread to release the handle');
  const s = await stats(engine);
  assert.equal(s.replies, 0);
  assert.equal(s.lastDisconnected, 1);
  engine.close();
});

test('BlockClient from a reply callback is refused', async () => {
  const engine = newEngine();
  const r = await engine.call('blk.nested', '1');
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, 'ERR Blocking module command called from a Reply callback context');
  engine.close();
});

test('AbortBlock: no callback runs, the command reply stands', async () => {
  const engine = newEngine();
  const r = await engine.call('blk.abort');
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, 'ERR aborted');
  await until(() => engine.blocking.count === 0, 'the aborted handle to be released');
  assert.deepEqual(await stats(engine), { freed: 0, lastDisconnected: 0, timeouts: 0, disconnects: 0, replies: 0, measured: 0 });
  assert.equal(plain(await engine.call('PING')), 'PONG');
  engine.close();
});

test('a timeout that overflows is out of range', async () => {
  const engine = newEngine();
  const r = await engine.call('blk.hold', '9223372036854775807');
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, 'ERR timeout is out of range');
  assert.equal(engine.blocking.count, 0);
  assert.equal(plain(await engine.call('blk.release')), 'OK');
  await until(async () => (await stats(engine)).freed === 1, 'the handle to be released');
  engine.close();
});

test('BlockClientOnKeys: ERR keeps waiting (replies dropped), OK serves; SignalKeyAsReady and LPUSH wake', async () => {
  const engine = newEngine();
  const c1 = engine.client();
  const c2 = engine.client();
  const p = c1.call('blk.keys', 'k', '0');
  assert.equal(engine.blocking.count, 1);
  await c2.call('SET', 'k', 'nope');
  assert.equal(plain(await c2.call('blk.signal', 'k')), 'OK');
  await tick();
  assert.equal(engine.blocking.count, 1, 'ERR from the reply callback keeps the client blocked');
  assert.equal((await stats(engine)).replies, 0);
  await c2.call('SET', 'k', 'go');
  await c2.call('blk.signal', 'k');
  assert.deepEqual(plain(await p), ['k', 'go']);
  assert.equal(engine.blocking.count, 0);
  assert.deepEqual([(await stats(engine)).freed, (await stats(engine)).lastDisconnected], [1, 0]);

  const q = c1.call('blk.keys', 'list', '0');
  assert.equal(await c2.call('LPUSH', 'list', 'a', 'b'), 2);
  assert.deepEqual(plain(await q), ['list', 2]);
  engine.close();
});

test('BlockClientOnKeys: UNBLOCK_DELETED wakes on DEL; without it DEL does not', async () => {
  const engine = newEngine();
  const c1 = engine.client();
  const c2 = engine.client();
  await c2.call('SET', 'd', 'nope');
  const p = c1.call('blk.keys', 'd', '0', 'deleted');
  assert.equal(await c2.call('DEL', 'd'), 1);
  assert.equal(plain(await p), 'deleted');

  await c2.call('SET', 'e', 'nope');
  const c3 = engine.client();
  const q = c3.call('blk.keys', 'e', '0');
  assert.equal(await c2.call('DEL', 'e'), 1);
  await tick();
  assert.equal(engine.blocking.count, 1);
  await c2.call('RPUSH', 'e', 'x');
  assert.deepEqual(plain(await q), ['e', 1]);
  engine.close();
});

test('BlockClientOnKeys: timeout releases the handle; UnblockClient runs the timeout callback', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('blk.keys', 'nokey', '20')), 'TIMEOUT');
  await until(async () => (await stats(engine)).freed === 1, 'the key-blocked handle to be released');
  assert.equal((await stats(engine)).lastDisconnected, 1);

  const c1 = engine.client();
  const p = c1.call('blk.keys', 'other', '0');
  assert.equal(await engine.call('blk.unblockkeys'), 0); // VALKEYMODULE_OK
  assert.equal(plain(await p), 'TIMEOUT');
  assert.equal((await stats(engine)).timeouts, 2);
  engine.close();
});

test('CLIENT UNBLOCK: TIMEOUT runs the timeout callback, ERROR replies UNBLOCKED', async () => {
  const engine = newEngine();
  const c1 = engine.client();
  const c2 = engine.client();
  const p = c1.call('blk.hold', '0');
  assert.equal(await c2.call('CLIENT', 'UNBLOCK', String(c1.id)), 1);
  assert.equal(plain(await p), 'TIMEOUT');
  assert.equal(plain(await c2.call('blk.release')), 'OK');
  await until(async () => (await stats(engine)).freed === 1, 'the handle to be released');
  assert.equal((await stats(engine)).lastDisconnected, 1);

  const q = c1.call('blk.hold', '0');
  assert.equal(await c2.call('CLIENT', 'UNBLOCK', String(c1.id), 'ERROR'), 1);
  const r = await q;
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, 'UNBLOCKED client unblocked via CLIENT UNBLOCK');
  assert.equal(plain(await c2.call('blk.release')), 'OK');
  await until(async () => (await stats(engine)).freed === 2, 'the handle to be released');
  engine.close();
});

test('a detached thread-safe context logs with the module name', async () => {
  const engine = newEngine();
  assert.equal(plain(await engine.call('blk.log', 'detached hello')), 'OK');
  assert.ok(engine.logger.lines().some((l) => l.endsWith('<blocking> detached hello')), engine.logger.lines().join('\n'));
  engine.close();
});
