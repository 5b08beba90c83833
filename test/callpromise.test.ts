/**
 * ValkeyModule_Call of commands that block, embedded: without `K` the fake client may not
 * block (BLPOP answers null at once, a module command's BlockClient is refused); with `K` a
 * command that blocks gives a PROMISE reply whose unblock handler gets the real reply later
 * (CallReplyPromiseSetUnblockHandler), fire and forget, CallReplyPromiseAbort, timeouts,
 * nested calls and module commands that block their fake client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import type { Reply } from '../src/protocol/reply.js';
import { isNullArray, plain, testModule } from './helpers.js';

/** VALKEYMODULE_REPLY_* values. */
const REPLY_ARRAY = 3;
const REPLY_PROMISE = 12;
/** VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING. */
const DENY_BLOCKING = 1 << 21;

function setup() {
  const engine = new Engine();
  engine.loadModule(testModule('callpromise'));
  const a = engine.client();
  const b = engine.client();
  return { engine, a, b };
}

test('without K: BLPOP on an empty list answers null at once; the fake client has DENY_BLOCKING', async () => {
  const { engine, a } = setup();
  const r = a.call('cp.call', 'blpop', 'l', '0');
  assert.ok(!(r instanceof Promise), 'no blocking');
  assert.ok(isNullArray(r), `null array, got ${String(r)}`);
  assert.equal(engine.blocking.count, 0);
  // A module command run through Call without K sees DENY_BLOCKING; at top level it does not.
  assert.equal((a.call('cp.call', 'cp.flags') as number) & DENY_BLOCKING, DENY_BLOCKING);
  assert.equal((a.call('cp.flags') as number) & DENY_BLOCKING, 0);
  // So a CP.ASYNC run through Call without K calls BLPOP without K too: null.
  assert.ok(isNullArray(a.call('cp.call', 'cp.async', 'blpop', 'l', '0')));
  engine.close();
});

test('with K and data already there: a plain reply, not a promise', async () => {
  const { engine, a } = setup();
  assert.equal(a.call('RPUSH', 'l', 'x', 'y'), 2);
  assert.equal(a.call('cp.type', 'blpop', 'l', '0'), REPLY_ARRAY);
  assert.deepEqual(plain(a.call('cp.async', 'blpop', 'l', '0') as Reply), ['l', 'y']);
  assert.equal(a.call('EXISTS', 'l'), 0);
  engine.close();
});

test('with K: a PROMISE; a later LPUSH from another client runs the unblock handler with the popped reply', async () => {
  const { engine, a, b } = setup();
  const p = a.call('cp.async', 'blpop', 'l', '0');
  assert.ok(p instanceof Promise, 'the calling client is blocked by the module');
  assert.equal(engine.blocking.count, 1);
  assert.equal(engine.blocking.keys, 1, 'the fake client waits on l');
  assert.equal(b.call('LPUSH', 'l', 'a'), 1);
  assert.deepEqual(plain(await p), ['l', 'a']);
  assert.equal(b.call('LLEN', 'l'), 0);
  // BRPOPLPUSH and BZPOPMIN through the same path.
  const p2 = a.call('cp.async', 'brpoplpush', 'l1', 'l2', '0');
  assert.ok(p2 instanceof Promise);
  b.call('LPUSH', 'l1', 'v');
  assert.equal(await p2, 'v');
  assert.deepEqual(b.call('LRANGE', 'l2', '0', '-1'), ['v']);
  const p3 = a.call('cp.async', 'bzpopmin', 's', '0');
  assert.ok(p3 instanceof Promise);
  b.call('ZADD', 's', '10', 'foo');
  assert.deepEqual(await p3, ['s', 'foo', '10']);
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('the PROMISE type, and fire and forget: the command still completes without a handler', async () => {
  const { engine, a, b } = setup();
  assert.equal(a.call('cp.type', 'blpop', 'q', '0'), REPLY_PROMISE);
  assert.equal(plain(a.call('cp.forget', 'blpop', 'q', '0') as Reply), 'Blocked');
  // Both parked BLPOPs pop when data arrives (in blocking order).
  assert.equal(b.call('RPUSH', 'q', 'e1', 'e2', 'e3'), 3);
  assert.deepEqual(b.call('LRANGE', 'q', '0', '-1'), ['e3']);
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('CallReplyPromiseAbort: OK once with the private data back, then ERR; the command never runs', async () => {
  const { engine, a, b } = setup();
  assert.deepEqual(a.call('cp.abort', 'blpop', 'l', '0'), [1, 1, 0, 0]);
  assert.equal(engine.blocking.count, 0);
  assert.equal(b.call('LPUSH', 'l', 'kept'), 1);
  assert.equal(b.call('LLEN', 'l'), 1, 'the aborted BLPOP did not pop');
  assert.equal(a.call('cp.handled'), 0, 'the handler never ran');
  // Not a promise (data there): the plain reply.
  assert.deepEqual(a.call('cp.abort', 'blpop', 'l', '0'), ['l', 'kept']);
  engine.close();
});

test('a timeout completes the promise: the handler gets the null reply', async () => {
  const { engine, a } = setup();
  const p = a.call('cp.async', 'blpop', 'l', '0.02');
  assert.ok(p instanceof Promise);
  assert.ok(isNullArray(await p));
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('the unblock handler runs commands through Call, in the blocked command database', async () => {
  const { engine, a, b } = setup();
  a.call('SELECT', '2');
  b.call('SELECT', '2');
  const p = a.call('cp.asyncset', 'handled', 'blpop', 'l', '0');
  assert.ok(p instanceof Promise);
  b.call('RPUSH', 'l', 'z');
  assert.deepEqual(plain(await p), ['l', 'z']);
  assert.equal(b.call('GET', 'handled'), String(REPLY_ARRAY));
  b.call('SELECT', '0');
  assert.equal(b.call('EXISTS', 'handled'), 0);
  engine.close();
});

test('nested K calls: each level gets a PROMISE and the reply travels back up', async () => {
  const { engine, a, b } = setup();
  const p = a.call('cp.async', 'cp.async', 'cp.async', 'blpop', 'l', '0');
  assert.ok(p instanceof Promise);
  b.call('LPUSH', 'l', 'deep');
  assert.deepEqual(plain(await p), ['l', 'deep']);
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('a module command that blocks inside Call: a PROMISE with K, an error without', async () => {
  const { engine, a, b } = setup();
  assert.equal(a.call('cp.type', 'cp.block'), REPLY_PROMISE);
  assert.equal(plain(b.call('cp.release', 'first') as Reply), 'OK');
  const p = a.call('cp.async', 'cp.block');
  assert.ok(p instanceof Promise);
  assert.equal(plain(b.call('cp.release', 'hello') as Reply), 'OK');
  assert.equal(await p, 'hello');
  // Without K the fake client may not block: the module command's BlockClient is refused.
  const r = a.call('cp.call', 'cp.block');
  assert.ok(r instanceof ReplyError);
  assert.equal(r.message, 'ERR Blocking module command called from ValkeyModule_Call without the K flag');
  assert.equal(plain(b.call('cp.release', 'unused') as Reply), 'OK');
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('the caller disconnects: its disconnect callback aborts the promise; the command never pops', async () => {
  const { engine, a, b } = setup();
  const p = a.call('cp.async', 'blpop', 'l', '0');
  assert.ok(p instanceof Promise);
  // INFO blocked_clients counts the module's client, not the call's fake client (Valkey).
  assert.equal(engine.blocking.count, 1);
  engine.blocking.clientGone(a);
  assert.equal(engine.blocking.count, 0);
  assert.equal(b.call('LPUSH', 'l', '1'), 1);
  assert.equal(b.call('LLEN', 'l'), 1, 'the aborted BLPOP did not pop');
  await p;
  engine.close();
});
