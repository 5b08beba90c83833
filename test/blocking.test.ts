/**
 * Core blocking commands on the engine's blocked-clients machinery (src/engine/blocking.ts),
 * embedded: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP, XREAD and
 * XREADGROUP BLOCK, WAIT, served by a later write from another client (FIFO, several keys,
 * BLMOVE chains), timeouts and their replies (RESP2/RESP3), MULTI, CLIENT UNBLOCK, INFO,
 * CLIENT LIST flags, the propagation stream of served clients, key deletion and type change,
 * SWAPDB/FLUSHALL, and a network client blocked and disconnected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import type { Reply } from '../src/protocol/reply.js';
import { plain, isNullArray } from './helpers.js';
import { Server } from '../src/server/server.js';
import { freePort, RawClient, resp, bulk } from './net-helpers.js';

function setup() {
  const engine = new Engine();
  const a = engine.client();
  const b = engine.client();
  const c = engine.client();
  const log: string[] = [];
  engine.onPropagate((cmd) => log.push(cmd.argv.join(' ')));
  return { engine, a, b, c, log };
}

test('BLPOP / BRPOP: served by a later push, FIFO between clients, first ready key wins', async () => {
  const { engine, a, b, c, log } = setup();
  const p1 = a.call('BLPOP', 'k1', 'k2', '0');
  const p2 = c.call('BRPOP', 'k2', '0');
  assert.ok(p1 instanceof Promise && p2 instanceof Promise);
  assert.equal(engine.blocking.count, 2);
  assert.equal(engine.blocking.keys, 2);
  // k2 gets three elements: a (blocked first) pops the head, c the tail.
  assert.equal(b.call('RPUSH', 'k2', 'x', 'y', 'z'), 3);
  assert.deepEqual(await p1, ['k2', 'x']);
  assert.deepEqual(await p2, ['k2', 'z']);
  assert.deepEqual(b.call('LRANGE', 'k2', '0', '-1'), ['y']);
  assert.equal(engine.blocking.count, 0);
  assert.equal(engine.blocking.keys, 0);
  // Served pops propagate as LPOP / RPOP after the push, each its own unit.
  assert.deepEqual(log, ['SELECT 0', 'RPUSH k2 x y z', 'LPOP k2', 'RPOP k2']);
  // A non-empty list answers at once, propagated as LPOP.
  log.length = 0;
  assert.deepEqual(a.call('BLPOP', 'nothing', 'k2', '0'), ['k2', 'y']);
  assert.deepEqual(log, ['LPOP k2']);
  assert.equal(b.call('EXISTS', 'k2'), 0);
  engine.close();
});

test('BLPOP: the last element popped by a served client deletes the key; others keep waiting', async () => {
  const { engine, a, b, c } = setup();
  const p1 = a.call('BLPOP', 'k', '0') as Promise<Reply>;
  const p2 = c.call('BLPOP', 'k', '0') as Promise<Reply>;
  b.call('LPUSH', 'k', 'only');
  assert.deepEqual(await p1, ['k', 'only']);
  assert.equal(engine.blocking.count, 1);
  assert.equal(b.call('EXISTS', 'k'), 0);
  b.call('LPUSH', 'k', 'second');
  assert.deepEqual(await p2, ['k', 'second']);
  engine.close();
});

test('BLPOP: wrong type, timeouts and their errors', async () => {
  const { engine, a, b } = setup();
  b.call('SET', 's', 'v');
  assert.equal((a.call('BLPOP', 's', '0') as ReplyError).message, 'WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.equal((a.call('BLPOP', 'k', '-1') as ReplyError).message, 'ERR timeout is negative');
  assert.equal((a.call('BLPOP', 'k', 'abc') as ReplyError).message, 'ERR timeout is not a float or out of range');
  assert.equal((a.call('BLPOP', 'k', '1e300') as ReplyError).message, 'ERR timeout is out of range');
  assert.equal((a.call('BLPOP', 'k', 'inf') as ReplyError).message, 'ERR timeout is out of range');
  assert.equal((a.call('BLPOP', 'k', '9223372036854775') as ReplyError).message, 'ERR timeout is out of range');
  assert.ok(isNullArray(await a.call('BLPOP', 'k', '0.01')));
  assert.ok(isNullArray(await a.call('BRPOP', 'k', '0.001')));
  assert.equal(engine.blocking.count, 0);
  // A string key does not wake a list waiter: it goes on waiting (and times out).
  const p = a.call('BLPOP', 'later', '0.05');
  b.call('SET', 'later', 'x');
  assert.ok(isNullArray(await p));
  engine.close();
});

test('timeouts in RESP3 are null; BLMOVE times out with the null array (RESP2)', async () => {
  const { engine, a } = setup();
  a.call('HELLO', '3');
  assert.equal(await a.call('BLPOP', 'k', '0.01'), null);
  assert.equal(await a.call('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.01'), null);
  a.call('HELLO', '2');
  assert.ok(isNullArray(await a.call('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.01')));
  assert.ok(isNullArray(await a.call('BRPOPLPUSH', 'k', 'd', '0.01')));
  a.call('HELLO', '3');
  assert.equal(await a.call('BZPOPMIN', 'z', '0.01'), null);
  assert.equal(await a.call('XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'), null);
  assert.equal(await a.call('BRPOPLPUSH', 'k', 'd', '0.01'), null);
  engine.close();
});

test('BLMOVE / BRPOPLPUSH: push to the destination, chains served in the same round', async () => {
  const { engine, a, b, c, log } = setup();
  const d = engine.client();
  const p1 = a.call('BLMOVE', 'src', 'mid', 'RIGHT', 'LEFT', '0');
  const p2 = c.call('BRPOPLPUSH', 'mid', 'dst', '0');
  const p3 = d.call('BLPOP', 'dst', '0');
  b.call('RPUSH', 'src', 'v');
  assert.equal(await p1, 'v');
  assert.equal(await p2, 'v');
  assert.deepEqual(await p3, ['dst', 'v']);
  assert.deepEqual(log, ['SELECT 0', 'RPUSH src v', 'LMOVE src mid RIGHT LEFT', 'RPOPLPUSH mid dst', 'LPOP dst']);
  for (const k of ['src', 'mid', 'dst']) assert.equal(b.call('EXISTS', k), 0);
  // Immediate: behaves as LMOVE and propagates as LMOVE.
  b.call('RPUSH', 'x', '1', '2');
  log.length = 0;
  assert.equal(a.call('BLMOVE', 'x', 'y', 'LEFT', 'RIGHT', '0'), '1');
  assert.equal(a.call('BRPOPLPUSH', 'x', 'y', '0'), '2');
  assert.deepEqual(log, ['LMOVE x y LEFT RIGHT', 'RPOPLPUSH x y']);
  assert.deepEqual(b.call('LRANGE', 'y', '0', '-1'), ['2', '1']);
  assert.equal((a.call('BLMOVE', 'x', 'y', 'UP', 'LEFT', '0') as ReplyError).message, 'ERR syntax error');
  engine.close();
});

test('BLMPOP: count, first non-empty key, propagated as LPOP/RPOP key n', async () => {
  const { engine, a, b, log } = setup();
  const p = a.call('BLMPOP', '0', '2', 'l1', 'l2', 'RIGHT', 'COUNT', '5');
  b.call('RPUSH', 'l2', 'a', 'b', 'c');
  assert.deepEqual(await p, ['l2', ['c', 'b', 'a']]);
  assert.deepEqual(log, ['SELECT 0', 'RPUSH l2 a b c', 'RPOP l2 3']);
  assert.ok(isNullArray(await a.call('BLMPOP', '0.01', '1', 'l1', 'LEFT')));
  assert.equal((a.call('BLMPOP', '0', '0', 'l1', 'LEFT') as ReplyError).message, 'ERR numkeys should be greater than 0');
  assert.equal((a.call('BLMPOP', '0', '1', 'l1', 'LEFT', 'COUNT', '0') as ReplyError).message, 'ERR count should be greater than 0');
  assert.equal((a.call('BLMPOP', '-1', '1', 'l1', 'LEFT') as ReplyError).message, 'ERR timeout is negative');
  b.call('RPUSH', 'l1', 'x', 'y');
  log.length = 0;
  assert.deepEqual(a.call('LMPOP', '1', 'l1', 'LEFT', 'COUNT', '10'), ['l1', ['x', 'y']]);
  assert.deepEqual(log, ['LPOP l1 2']);
  engine.close();
});

test('BZPOPMIN / BZPOPMAX / BZMPOP: reply shapes in RESP2 and RESP3, propagation', async () => {
  const { engine, a, b, log } = setup();
  const p = a.call('BZPOPMAX', 'z0', 'z1', '0');
  b.call('ZADD', 'z1', '1', 'one', '2', 'two');
  assert.deepEqual(await p, ['z1', 'two', '2']);
  assert.deepEqual(a.call('BZPOPMIN', 'z1', '0'), ['z1', 'one', '1']);
  assert.deepEqual(log, ['SELECT 0', 'ZADD z1 1 one 2 two', 'ZPOPMAX z1', 'ZPOPMIN z1']);
  log.length = 0;
  const q = a.call('BZMPOP', '0', '1', 'z2', 'MIN', 'COUNT', '2');
  b.call('ZADD', 'z2', '3', 'c', '1', 'a', '2', 'b');
  assert.deepEqual(await q, ['z2', [['a', '1'], ['b', '2']]]);
  assert.deepEqual(log, ['ZADD z2 3 c 1 a 2 b', 'ZPOPMIN z2 2']);
  a.call('HELLO', '3');
  const r = a.call('BZPOPMIN', 'z3', '0');
  b.call('ZADD', 'z3', '1.5', 'm');
  const r3 = (await r) as [string, string, { value: number }];
  assert.deepEqual([r3[0], r3[1], r3[2].value], ['z3', 'm', 1.5]);
  const m3 = a.call('BZMPOP', '0', '1', 'z2', 'MAX') as [string, [[string, { value: number }]]];
  assert.deepEqual([m3[0], m3[1][0][0], m3[1][0][1].value], ['z2', 'c', 3]);
  b.call('SET', 'str', 'x');
  assert.equal((a.call('BZPOPMIN', 'str', '0') as ReplyError).message, 'WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.equal((a.call('BZPOPMIN', 'k', 'x') as ReplyError).message, 'ERR timeout is not a float or out of range');
  engine.close();
});

test('XREAD BLOCK: $ waits for new entries, + and explicit ids, ms timeouts', async () => {
  const { engine, a, b } = setup();
  b.call('XADD', 's', '1-1', 'f', 'old');
  const p = a.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', 's2', '$', '$');
  assert.ok(p instanceof Promise);
  b.call('XADD', 's2', '5-1', 'g', 'new');
  assert.deepEqual(await p, [['s2', [['5-1', ['g', 'new']]]]]);
  // Data available: answers at once even with BLOCK.
  assert.deepEqual(a.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '0'), [['s', [['1-1', ['f', 'old']]]]]);
  assert.deepEqual(a.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '+'), [['s', [['1-1', ['f', 'old']]]]]);
  const q = a.call('XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '1-1');
  b.call('XADD', 's', '2-1', 'f', 'a');
  assert.deepEqual(await q, [['s', [['2-1', ['f', 'a']]]]]);
  assert.ok(isNullArray(await a.call('XREAD', 'BLOCK', '10', 'STREAMS', 's', '$')));
  assert.equal((a.call('XREAD', 'BLOCK', '-1', 'STREAMS', 's', '$') as ReplyError).message, 'ERR timeout is negative');
  assert.equal((a.call('XREAD', 'BLOCK', '1.5', 'STREAMS', 's', '$') as ReplyError).message, 'ERR timeout is not an integer or out of range');
  // Deleting the stream does not wake an XREAD client.
  const r = a.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
  b.call('DEL', 's');
  assert.equal(engine.blocking.count, 1);
  b.call('XADD', 's', '9-9', 'x', 'y');
  assert.deepEqual(await r, [['s', [['9-9', ['x', 'y']]]]]);
  engine.close();
});

test('XREADGROUP BLOCK: served by XADD with >, errors when the stream or group goes away', async () => {
  const { engine, a, b, c } = setup();
  b.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  const p = a.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
  const p2 = c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
  assert.equal(engine.blocking.keysOnNoKey, 1);
  b.call('XADD', 's', '1-1', 'f', 'v');
  // The first consumer gets the entry; the second keeps waiting for the next one.
  assert.deepEqual(await p, [['s', [['1-1', ['f', 'v']]]]]);
  assert.equal(engine.blocking.count, 1);
  b.call('XADD', 's', '2-1', 'f', 'w');
  assert.deepEqual(await p2, [['s', [['2-1', ['f', 'w']]]]]);
  assert.deepEqual(b.call('XPENDING', 's', 'g'), [2, '1-1', '2-1', [['alice', '1'], ['bob', '1']]]);
  // Deleted stream -> NOGROUP.
  const q = a.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
  b.call('DEL', 's');
  assert.equal(
    ((await q) as ReplyError).message,
    "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option",
  );
  // Type changed -> WRONGTYPE.
  b.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  const r = a.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
  b.call('SET', 's', 'x');
  assert.equal(((await r) as ReplyError).message, 'WRONGTYPE Operation against a key holding the wrong kind of value');
  // Group destroyed -> NOGROUP; FLUSHALL -> NOGROUP.
  b.call('DEL', 's');
  b.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  const t = a.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
  b.call('XGROUP', 'DESTROY', 's', 'g');
  assert.match(((await t) as ReplyError).message, /^NOGROUP /);
  b.call('XGROUP', 'CREATE', 's', 'g', '$');
  const u = a.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
  b.call('FLUSHALL');
  assert.match(((await u) as ReplyError).message, /^NOGROUP /);
  assert.equal(engine.blocking.count, 0);
  assert.equal(engine.blocking.keysOnNoKey, 0);
  engine.close();
});

test('inside MULTI blocking commands answer as timed out', async () => {
  const { engine, a } = setup();
  a.call('MULTI');
  for (const cmd of [
    ['BLPOP', 'k', '0'],
    ['BRPOP', 'k', '0'],
    ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'k', 'd', '0'],
    ['BLMPOP', '0', '1', 'k', 'LEFT'],
    ['BZPOPMIN', 'z', '0'],
    ['BZPOPMAX', 'z', '0'],
    ['BZMPOP', '0', '1', 'z', 'MIN'],
    ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
    ['WAIT', '1', '0'],
  ]) {
    assert.equal(plain(a.call(...cmd) as Reply), 'QUEUED');
  }
  const r = a.call('EXEC') as Reply[];
  assert.ok(!(r instanceof Promise));
  assert.equal(r.length, 10);
  assert.ok(isNullArray(r[0]) && isNullArray(r[1]));
  assert.equal(r[2], null);
  assert.equal(r[3], null);
  for (const i of [4, 5, 6, 7, 8]) assert.ok(isNullArray(r[i]), `reply ${i}`);
  assert.equal(r[9], 0);
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('CLIENT UNBLOCK TIMEOUT and ERROR; INFO and CLIENT LIST while blocked', async () => {
  const { engine, a, b } = setup();
  const p = a.call('BLPOP', 'k', '0');
  const info = b.call('INFO', 'clients') as string;
  assert.match(String(info), /blocked_clients:1\r\n/);
  assert.match(String(info), /total_blocking_keys:1\r\n/);
  assert.match(String(info), /clients_in_timeout_table:0\r\n/);
  assert.equal(b.call('CLIENT', 'UNBLOCK', String(a.id)), 1);
  assert.ok(isNullArray(await p));
  assert.equal(b.call('CLIENT', 'UNBLOCK', String(a.id)), 0);
  assert.match(String(b.call('INFO', 'clients')), /blocked_clients:0\r\n/);
  const q = a.call('BZPOPMIN', 'z', '100');
  assert.match(String(b.call('INFO', 'clients')), /clients_in_timeout_table:1\r\n/);
  assert.equal(b.call('CLIENT', 'UNBLOCK', String(a.id), 'ERROR'), 1);
  const e = (await q) as ReplyError;
  assert.ok(e instanceof ReplyError);
  assert.equal(e.message, 'UNBLOCKED client unblocked via CLIENT UNBLOCK');
  assert.equal((b.call('CLIENT', 'UNBLOCK', String(a.id), 'LATER') as ReplyError).message, 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  assert.equal((b.call('CLIENT', 'UNBLOCK', 'x') as ReplyError).message, 'ERR value is not an integer or out of range');
  assert.equal(b.call('CLIENT', 'UNBLOCK', '99999'), 0);
  // WAIT with replicas asked: blocks until its timeout, CLIENT UNBLOCK answers 0 at once.
  assert.equal(a.call('WAIT', '0', '0'), 0);
  const w = a.call('WAIT', '1', '0');
  assert.equal(engine.blocking.count, 1);
  assert.equal(b.call('CLIENT', 'UNBLOCK', String(a.id)), 1);
  assert.equal(await w, 0);
  assert.equal(await a.call('WAIT', '2', '10'), 0);
  engine.close();
});

test('an embedded client that is blocked refuses another command until awaited', async () => {
  const { engine, a, b } = setup();
  const p = a.call('BLPOP', 'k', '0');
  assert.throws(() => a.call('PING'), /is blocked: await the reply/);
  b.call('LPUSH', 'k', 'v');
  // Served but not awaited yet: still refused, the reply is not lost.
  assert.throws(() => a.call('PING'), /is blocked/);
  assert.deepEqual(await p, ['k', 'v']);
  assert.equal(plain(a.call('PING') as Reply), 'PONG');
  engine.close();
});

test('SWAPDB serves clients blocked in the database that now holds the key', async () => {
  const { engine, a, b } = setup();
  b.call('SELECT', '1');
  b.call('RPUSH', 'k', 'from1');
  const p = a.call('BLPOP', 'k', '0');
  b.call('SWAPDB', '0', '1');
  assert.deepEqual(await p, ['k', 'from1']);
  assert.equal(b.call('EXISTS', 'k'), 0);
  engine.close();
});

test('MULTI/EXEC that pushes serves blocked clients after EXEC, once', async () => {
  const { engine, a, b, log } = setup();
  const p = a.call('BLPOP', 'k', '0');
  b.call('MULTI');
  b.call('RPUSH', 'k', '1');
  b.call('RPUSH', 'k', '2');
  const r = b.call('EXEC');
  assert.deepEqual(r, [1, 2]);
  assert.deepEqual(await p, ['k', '1']);
  assert.deepEqual(log, ['MULTI', 'SELECT 0', 'RPUSH k 1', 'RPUSH k 2', 'EXEC', 'LPOP k']);
  engine.close();
});

test('network: a blocked connection waits, is served, and a disconnected one is cleaned up', async () => {
  const engine = new Engine();
  const port = await freePort();
  const server = new Server(engine, { port, bind: ['127.0.0.1'] });
  await server.listen();
  try {
    const c1 = await RawClient.connect(port);
    const c2 = await RawClient.connect(port);
    // Pipelined: BLPOP blocks, the PING after it waits for it.
    c1.send(resp('BLPOP', 'k', '0') + resp('PING'));
    c2.send(resp('INFO', 'clients'));
    await c2.until(() => c2.data.toString().includes('blocked_clients:1'));
    c2.data = Buffer.alloc(0);
    c2.send(resp('CLIENT', 'LIST'));
    await c2.until(() => / flags=b /.test(c2.data.toString()), 5000, 'flags=b in CLIENT LIST');
    c2.data = Buffer.alloc(0);
    c2.send(resp('RPUSH', 'k', 'v'));
    await c2.expect(':1\r\n');
    await c1.expect('*2\r\n' + bulk('k') + bulk('v') + '+PONG\r\n');
    // RESP3 timeout reply, then a client that disconnects while blocked.
    c1.data = Buffer.alloc(0);
    c1.send(resp('HELLO', '3'));
    await c1.until(() => c1.data.length > 0);
    c1.data = Buffer.alloc(0);
    c1.send(resp('BLPOP', 'k', '0.01'));
    await c1.expect('_\r\n');
    c1.send(resp('BRPOP', 'k', '0'));
    await c2.until(() => engine.blocking.count === 1, 5000, 'client blocked');
    c1.close();
    await c2.until(() => engine.blocking.count === 0, 5000, 'blocked client cleaned up');
    c2.data = Buffer.alloc(0);
    c2.send(resp('RPUSH', 'k', 'kept'));
    await c2.expect(':1\r\n');
    // CLIENT KILL of a blocked client.
    const c3 = await RawClient.connect(port);
    c3.send(resp('CLIENT', 'ID'));
    await c3.until(() => c3.data.length > 0);
    const id = /:(\d+)/.exec(c3.data.toString())![1]!;
    c3.send(resp('BLPOP', 'nothing', '0'));
    await c2.until(() => engine.blocking.count === 1, 5000, 'c3 blocked');
    c2.data = Buffer.alloc(0);
    c2.send(resp('CLIENT', 'KILL', 'ID', id));
    await c2.expect(':1\r\n');
    await c3.waitClosed();
    assert.equal(engine.blocking.count, 0);
    c2.close();
  } finally {
    await server.close();
    engine.close();
  }
});

test('keys created by RENAME, MOVE, COPY and an overwrite serve list and zset waiters', async () => {
  const { engine, a, b } = setup();
  b.call('RPUSH', 'tmp', 'r');
  const p1 = a.call('BLPOP', 'k', '0');
  b.call('RENAME', 'tmp', 'k');
  assert.deepEqual(await p1, ['k', 'r']);
  b.call('SELECT', '1');
  b.call('ZADD', 'z', '7', 'm');
  const p2 = a.call('BZPOPMIN', 'z', '0');
  b.call('MOVE', 'z', '0');
  assert.deepEqual(await p2, ['z', 'm', '7']);
  b.call('SELECT', '0');
  b.call('RPUSH', 'src', 'c');
  const p3 = a.call('BLPOP', 'k', '0');
  b.call('SET', 'k', 'string');
  assert.equal(engine.blocking.count, 1);
  b.call('COPY', 'src', 'k', 'REPLACE');
  assert.deepEqual(await p3, ['k', 'c']);
  assert.equal(engine.blocking.count, 0);
  engine.close();
});
