/** Bitmap commands: unit tests through the engine and differential tests against redis-server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, type Reply } from '../src/index.js';
import { DiffSession, prng } from './diff/runner.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';
/** Random rounds per differential test (DIFF_ROUNDS widens a local run). */
const ROUNDS = Number(process.env.DIFF_ROUNDS ?? 4);
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const OFFSET_ERR = 'ERR bit offset is not an integer or out of range';
const TYPE_ERR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

function err(r: Reply, message: string, what = ''): void {
  assert.ok(r instanceof ReplyError, `${what}: expected error '${message}', got ${String(r)}`);
  assert.equal(r.message, message, what);
}

function events(engine: Engine): string[] {
  const seen: string[] = [];
  // 'keymiss' and 'new' (fired by key creation itself, covered in the keyspace tests) are
  // left out: these tests check each command's own events.
  engine.onKeyspaceEvent((e) => {
    if (e.event !== 'keymiss' && e.event !== 'new') seen.push(`${e.event}:${e.key}`);
  });
  return seen;
}

function bytes(e: Engine, key: string): number[] {
  const v = e.dbs[0]!.get(key);
  assert.equal(typeof v, 'string');
  return [...(v as string)].map((c) => c.charCodeAt(0));
}

test('SETBIT / GETBIT', async () => {
  const e = new Engine();
  const seen = events(e);
  assert.equal(await e.call('SETBIT', 'b', '7', '1'), 0);
  assert.deepEqual(bytes(e, 'b'), [1]);
  assert.equal(await e.call('SETBIT', 'b', '7', '1'), 1);
  assert.equal(await e.call('SETBIT', 'b', '0', '1'), 0);
  assert.deepEqual(bytes(e, 'b'), [0x81]);
  assert.equal(await e.call('SETBIT', 'b', '20', '0'), 0); // grows with zero bytes
  assert.deepEqual(bytes(e, 'b'), [0x81, 0, 0]);
  assert.deepEqual(seen.splice(0), ['setbit:b', 'setbit:b', 'setbit:b']); // the unchanged bit fired nothing
  assert.equal(await e.call('GETBIT', 'b', '0'), 1);
  assert.equal(await e.call('GETBIT', 'b', '1'), 0);
  assert.equal(await e.call('GETBIT', 'b', '4294967295'), 0);
  assert.equal(await e.call('GETBIT', 'nokey', '3'), 0);
  for (const off of ['-1', '4294967296', 'x', '1.0', '']) {
    err(await e.call('SETBIT', 'b', off, '1'), OFFSET_ERR, off);
    err(await e.call('GETBIT', 'b', off), OFFSET_ERR, off);
  }
  for (const v of ['2', '-1', 'x', '01']) err(await e.call('SETBIT', 'b', '1', v), 'ERR bit is not an integer or out of range', v);
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('SETBIT', 'l', '1', '1'), WRONGTYPE);
  err(await e.call('GETBIT', 'l', '1'), WRONGTYPE);
  err(await e.call('SETBIT', 'l', '-1', '1'), OFFSET_ERR); // offset checked first
  await e.call('SET', 'i', '12');
  assert.equal(await e.call('GETBIT', 'i', '2'), 1); // '1' = 0x31
  e.close();
});

test('BITCOUNT: bytes, bits, optional end, errors', async () => {
  const e = new Engine();
  await e.call('SET', 'k', 'foobar');
  assert.equal(await e.call('BITCOUNT', 'k'), 26);
  assert.equal(await e.call('BITCOUNT', 'k', '0', '0'), 4);
  assert.equal(await e.call('BITCOUNT', 'k', '1', '1'), 6);
  assert.equal(await e.call('BITCOUNT', 'k', '1', '1', 'BYTE'), 6);
  assert.equal(await e.call('BITCOUNT', 'k', '5', '30', 'BIT'), 17);
  assert.equal(await e.call('BITCOUNT', 'k', '-1', '-5'), 0);
  assert.equal(await e.call('BITCOUNT', 'k', '1'), 22); // Valkey 8: end defaults to the last byte
  assert.equal(await e.call('BITCOUNT', 'k', '-2'), 7);
  assert.equal(await e.call('BITCOUNT', 'nokey'), 0);
  assert.equal(await e.call('BITCOUNT', 'nokey', '0', '-1', 'BIT'), 0);
  err(await e.call('BITCOUNT', 'k', '0', '1', 'bits'), 'ERR syntax error');
  err(await e.call('BITCOUNT', 'k', '0', '1', 'BIT', 'x'), 'ERR syntax error');
  err(await e.call('BITCOUNT', 'k', 'a', '1'), 'ERR value is not an integer or out of range');
  err(await e.call('BITCOUNT', 'k', '0', 'b'), 'ERR value is not an integer or out of range');
  err(await e.call('BITCOUNT', 'nokey', '0', '1', 'nope'), 'ERR syntax error'); // arguments before the lookup
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('BITCOUNT', 'l'), WRONGTYPE);
  e.close();
});

test('BITPOS', async () => {
  const e = new Engine();
  const c = e.client({ buffers: true });
  await c.call('SET', 'k', Buffer.from([0xff, 0xf0, 0x00]));
  assert.equal(await e.call('BITPOS', 'k', '0'), 12);
  await c.call('SET', 'k', Buffer.from([0x00, 0xff, 0xf0]));
  assert.equal(await e.call('BITPOS', 'k', '1', '0'), 8);
  assert.equal(await e.call('BITPOS', 'k', '1', '2'), 16);
  assert.equal(await e.call('BITPOS', 'k', '1', '2', '-1', 'BYTE'), 16);
  assert.equal(await e.call('BITPOS', 'k', '1', '7', '15', 'BIT'), 8);
  assert.equal(await e.call('BITPOS', 'k', '1', '7', '-3', 'BIT'), 8);
  await c.call('SET', 'z', Buffer.from([0, 0, 0]));
  assert.equal(await e.call('BITPOS', 'z', '1'), -1);
  await c.call('SET', 'f', Buffer.from([0xff, 0xff]));
  assert.equal(await e.call('BITPOS', 'f', '0'), 16); // no end: zero padded on the right
  assert.equal(await e.call('BITPOS', 'f', '0', '0'), 16);
  assert.equal(await e.call('BITPOS', 'f', '0', '0', '-1'), -1); // explicit end
  assert.equal(await e.call('BITPOS', 'nokey', '0'), 0);
  assert.equal(await e.call('BITPOS', 'nokey', '1'), -1);
  assert.equal(await e.call('BITPOS', 'f', '1', '5', '2'), -1);
  err(await e.call('BITPOS', 'k', '2'), 'ERR The bit argument must be 1 or 0.');
  err(await e.call('BITPOS', 'k', 'x'), 'ERR value is not an integer or out of range');
  err(await e.call('BITPOS', 'k', '1', '0', '1', 'BOTH'), 'ERR syntax error');
  err(await e.call('BITPOS', 'nokey', '1', '0', '1', 'BIT', 'x'), 'ERR syntax error');
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('BITPOS', 'l', '1'), WRONGTYPE);
  e.close();
});

test('BITOP', async () => {
  const e = new Engine();
  const c = e.client({ buffers: true });
  const seen = events(e);
  await c.call('SET', 'a', Buffer.from([0xf0, 0x0f, 0xaa]));
  await c.call('SET', 'b', Buffer.from([0xff, 0x01]));
  seen.length = 0;
  assert.equal(await e.call('BITOP', 'AND', 'd', 'a', 'b'), 3);
  assert.deepEqual(bytes(e, 'd'), [0xf0, 0x01, 0x00]);
  assert.equal(await e.call('BITOP', 'or', 'd', 'a', 'b', 'nokey'), 3);
  assert.deepEqual(bytes(e, 'd'), [0xff, 0x0f, 0xaa]);
  assert.equal(await e.call('BITOP', 'XOR', 'd', 'a', 'b'), 3);
  assert.deepEqual(bytes(e, 'd'), [0x0f, 0x0e, 0xaa]);
  assert.equal(await e.call('BITOP', 'NOT', 'd', 'a'), 3);
  assert.deepEqual(bytes(e, 'd'), [0x0f, 0xf0, 0x55]);
  assert.deepEqual(seen.splice(0), ['set:d', 'set:d', 'set:d', 'set:d']);
  assert.equal(await e.call('BITOP', 'AND', 'd', 'n1', 'n2'), 0);
  assert.equal(await e.call('EXISTS', 'd'), 0);
  assert.deepEqual(seen.splice(0), ['del:d']);
  err(await e.call('BITOP', 'NOT', 'd', 'a', 'b'), 'ERR BITOP NOT must be called with a single source key.');
  err(await e.call('BITOP', 'NAND', 'd', 'a'), 'ERR syntax error');
  await e.call('RPUSH', 'l', 'x');
  err(await e.call('BITOP', 'AND', 'd', 'a', 'l'), WRONGTYPE);
  await e.call('SET', 'd', 'x', 'EX', '100');
  await e.call('BITOP', 'OR', 'd', 'a');
  assert.equal(e.dbs[0]!.getExpire('d'), -1); // the destination is overwritten, TTL dropped
  e.close();
});

test('BITFIELD: types, offsets, overflow modes, errors', async () => {
  const e = new Engine();
  const seen = events(e);
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'SET', 'i8', '0', '100', 'GET', 'i8', '0'), [0, 100]);
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'INCRBY', 'i8', '0', '100'), [-56]); // wraps
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '-100'), [-128]);
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '-1', 'GET', 'i8', '0'), [null, -128]);
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'SET', 'u4', '#1', '15', 'GET', 'u4', '4', 'GET', 'u8', '0'), [0, 15, 0x8f]);
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'SET', 'u4', '0', '-1', 'GET', 'u4', '0'), [8, 15]);
  assert.deepEqual(await e.call('BITFIELD', 'bf', 'OVERFLOW', 'WRAP', 'SET', 'u4', '0', '17', 'GET', 'u4', '0'), [15, 1]);
  assert.deepEqual(await e.call('BITFIELD', 'w', 'SET', 'i64', '0', '-1', 'GET', 'i64', '0', 'GET', 'u63', '1'), [0, -1, 9223372036854775807n]);
  assert.deepEqual(await e.call('BITFIELD', 'w', 'INCRBY', 'i64', '0', '-9223372036854775808'), [9223372036854775807n]);
  assert.deepEqual(await e.call('BITFIELD', 'w', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '1'), [9223372036854775807n]);
  assert.deepEqual(await e.call('BITFIELD', 'w', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-200', 'GET', 'i8', '0'), [127, -128]);
  // the server's 64-bit wrap in its overflow test: a huge negative value saturates high
  assert.deepEqual(await e.call('BITFIELD', 'w', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808', 'GET', 'i8', '0'), [-128, 127]);
  assert.deepEqual(await e.call('BITFIELD', 'bf'), []);
  assert.deepEqual(await e.call('BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'GET', 'u8', '1000'), [0x1f, 0]);
  assert.deepEqual(await e.call('BITFIELD', 'missing', 'GET', 'u8', '0'), [0]);
  assert.equal(await e.call('EXISTS', 'missing'), 0);
  assert.ok(seen.every((s) => s === 'setbit:bf' || s === 'setbit:w'));
  err(await e.call('BITFIELD_RO', 'bf', 'SET', 'u8', '0', '1'), 'ERR BITFIELD_RO only supports the GET subcommand');
  err(await e.call('BITFIELD_RO', 'bf', 'GET', 'u8', 'x'), OFFSET_ERR);
  for (const t of ['u64', 'i65', 'i0', 'I8', 'x8', 'u', '', 'u-1']) err(await e.call('BITFIELD', 'bf', 'GET', t, '0'), TYPE_ERR, t);
  for (const o of ['-1', '4294967296', '#-1', '#536870912', 'x', '#x']) err(await e.call('BITFIELD', 'bf', 'GET', 'u8', o), OFFSET_ERR, o);
  err(await e.call('BITFIELD', 'bf', 'OVERFLOW', 'NONE'), 'ERR Invalid OVERFLOW type specified');
  err(await e.call('BITFIELD', 'bf', 'GET', 'u8'), 'ERR syntax error');
  err(await e.call('BITFIELD', 'bf', 'SET', 'u8', '0'), 'ERR syntax error');
  err(await e.call('BITFIELD', 'bf', 'FOO'), 'ERR syntax error');
  err(await e.call('BITFIELD', 'bf', 'SET', 'u8', '0', 'x'), 'ERR value is not an integer or out of range');
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('BITFIELD', 'l', 'GET', 'u8', '0'), WRONGTYPE);
  err(await e.call('BITFIELD', 'l', 'SET', 'u8', '0', '1'), WRONGTYPE);
  err(await e.call('BITFIELD_RO', 'l', 'GET', 'u8', '0'), WRONGTYPE);
  // FAIL on a new key still creates it (zero padded), without a notification
  seen.length = 0;
  assert.deepEqual(await e.call('BITFIELD', 'new', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '7'), [null]);
  assert.deepEqual(bytes(e, 'new'), [0]);
  assert.deepEqual(seen, []);
  e.close();
});

// ---------------------------------------------------------------------------------------
// Differential tests
// ---------------------------------------------------------------------------------------

const HAND: (string | Buffer)[][][] = [
  [
    ['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '0', '1'], ['GET', 'b'], ['SETBIT', 'b', '100', '0'],
    ['STRLEN', 'b'], ['GETBIT', 'b', '0'], ['GETBIT', 'b', '1'], ['GETBIT', 'b', '7'], ['GETBIT', 'b', '4294967295'],
    ['GETBIT', 'nk', '1'], ['SETBIT', 'b', '-1', '1'], ['SETBIT', 'b', '4294967296', '1'], ['SETBIT', 'b', 'x', '1'],
    ['SETBIT', 'b', '1', '2'], ['SETBIT', 'b', '1', '-1'], ['SETBIT', 'b', '1', 'x'], ['GETBIT', 'b', '-1'], ['GETBIT', 'b', 'x'],
    ['SET', 'i', '12'], ['GETBIT', 'i', '2'], ['SETBIT', 'i', '0', '1'], ['GET', 'i'], ['RPUSH', 'l', 'a'], ['SETBIT', 'l', '1', '1'],
    ['GETBIT', 'l', '1'], ['SETBIT', 'l', '-1', '1'], ['SETBIT', 'l', '1', '5'],
  ],
  [
    ['SET', 'k', 'foobar'], ['BITCOUNT', 'k'], ['BITCOUNT', 'k', '0', '0'], ['BITCOUNT', 'k', '1', '1'], ['BITCOUNT', 'k', '1', '1', 'byte'],
    ['BITCOUNT', 'k', '5', '30', 'BIT'], ['BITCOUNT', 'k', '-1', '-5'], ['BITCOUNT', 'k', '-5', '-1', 'bit'], ['BITCOUNT', 'k', '-100', '100'],
    ['BITCOUNT', 'k', '0', '-1', 'BIT'], ['BITCOUNT', 'k', '3', '3', 'BIT'], ['BITCOUNT', 'k', '7', '8', 'BIT'], ['BITCOUNT', 'k', '9', '9', 'BIT'],
    ['BITCOUNT', 'k', '-9223372036854775808', '9223372036854775807', 'BIT'], ['BITCOUNT', 'k', '-9223372036854775807', '-9223372036854775808'],
    ['BITCOUNT', 'nk'], ['BITCOUNT', 'nk', '0', '-1'], ['BITCOUNT', 'k', '0', '1', 'bits'], ['BITCOUNT', 'k', '0', '1', 'BIT', 'x'],
    ['BITCOUNT', 'k', 'a', '1'], ['BITCOUNT', 'k', '0', 'b'], ['BITCOUNT', 'k', 'a', 'b', 'c'], ['SET', 'e', ''], ['BITCOUNT', 'e'],
    ['BITCOUNT', 'e', '0', '-1', 'BIT'], ['RPUSH', 'l', 'a'], ['BITCOUNT', 'l'], ['BITCOUNT', 'l', '0', '1'], ['SET', 'i', '-123'], ['BITCOUNT', 'i'],
  ],
  [
    ['SET', 'k', Buffer.from([0xff, 0xf0, 0x00])], ['BITPOS', 'k', '0'], ['BITPOS', 'k', '1'], ['SET', 'k', Buffer.from([0x00, 0xff, 0xf0])],
    ['BITPOS', 'k', '1', '0'], ['BITPOS', 'k', '1', '2'], ['BITPOS', 'k', '1', '2', '-1', 'BYTE'], ['BITPOS', 'k', '1', '7', '15', 'BIT'],
    ['BITPOS', 'k', '1', '7', '-3', 'BIT'], ['BITPOS', 'k', '0', '8', '15', 'bit'], ['BITPOS', 'k', '0', '8', '19', 'BIT'],
    ['BITPOS', 'k', '0', '1', '1'], ['BITPOS', 'k', '0', '1'], ['BITPOS', 'k', '0', '-1'], ['BITPOS', 'k', '0', '20', '23', 'BIT'],
    ['BITPOS', 'k', '1', '20', '23', 'BIT'], ['BITPOS', 'k', '0', '3', '2', 'BIT'], ['BITPOS', 'k', '1', '-100', '100'],
    ['SET', 'f', Buffer.from([0xff, 0xff])], ['BITPOS', 'f', '0'], ['BITPOS', 'f', '0', '0'], ['BITPOS', 'f', '0', '0', '-1'],
    ['BITPOS', 'f', '0', '1', '14', 'BIT'], ['BITPOS', 'f', '1', '5', '2'], ['SET', 'z', Buffer.from([0, 0, 0])], ['BITPOS', 'z', '1'],
    ['BITPOS', 'z', '0'], ['BITPOS', 'z', '1', '3', '20', 'BIT'], ['BITPOS', 'nk', '0'], ['BITPOS', 'nk', '1'], ['BITPOS', 'k', '2'],
    ['BITPOS', 'k', 'x'], ['BITPOS', 'k', '1', 'a'], ['BITPOS', 'k', '1', '0', 'b'], ['BITPOS', 'k', '1', '0', '1', 'BOTH'],
    ['BITPOS', 'k', '1', '0', '1', 'BIT', 'x'], ['SET', 'e', ''], ['BITPOS', 'e', '0'], ['BITPOS', 'e', '1'], ['BITPOS', 'e', '0', '0', '-1', 'BIT'],
    ['RPUSH', 'l', 'a'], ['BITPOS', 'l', '1'], ['BITPOS', 'l', '3'],
  ],
  [
    ['SET', 'a', Buffer.from([0xf0, 0x0f, 0xaa])], ['SET', 'b', Buffer.from([0xff, 0x01])], ['BITOP', 'AND', 'd', 'a', 'b'], ['GET', 'd'],
    ['BITOP', 'or', 'd', 'a', 'b', 'nk'], ['GET', 'd'], ['BITOP', 'XOR', 'd', 'a', 'b', 'a'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'a'], ['GET', 'd'],
    ['BITOP', 'AND', 'd', 'n1', 'n2'], ['EXISTS', 'd'], ['BITOP', 'NOT', 'd', 'a', 'b'], ['BITOP', 'NAND', 'd', 'a'], ['BITOP', 'NOT', 'd', 'nk'],
    ['RPUSH', 'l', 'x'], ['BITOP', 'AND', 'd', 'a', 'l'], ['BITOP', 'AND', 'l', 'a'], ['GET', 'l'], ['SET', 'e', ''], ['BITOP', 'OR', 'd', 'e'],
    ['EXISTS', 'd'], ['BITOP', 'AND', 'd', 'a', 'e'], ['GET', 'd'], ['SET', 'big', 'x'.repeat(100)], ['BITOP', 'XOR', 'd', 'big', 'a'], ['GET', 'd'],
    ['BITOP', 'AND', 'd', 'big', 'big'], ['GET', 'd'],
  ],
  [
    ['BITFIELD', 'bf', 'SET', 'i8', '0', '100', 'GET', 'i8', '0'], ['BITFIELD', 'bf', 'INCRBY', 'i8', '0', '100'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '-100'], ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '-1', 'GET', 'i8', '0'],
    ['BITFIELD', 'bf', 'SET', 'u4', '#1', '15', 'GET', 'u4', '4', 'GET', 'u8', '0'], ['BITFIELD', 'bf', 'overflow', 'sat', 'SET', 'u4', '0', '-1', 'GET', 'u4', '0'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'WRAP', 'SET', 'u4', '0', '17', 'GET', 'u4', '0'], ['BITFIELD', 'bf', 'SET', 'i64', '0', '-1', 'GET', 'i64', '0', 'GET', 'u63', '1'],
    ['BITFIELD', 'bf', 'INCRBY', 'i64', '0', '-9223372036854775808'], ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '1'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808'], ['BITFIELD', 'bf', 'GET', 'i8', '0'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775700'], ['BITFIELD', 'bf', 'GET', 'i8', '0'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-200'], ['BITFIELD', 'bf', 'GET', 'i8', '0'],
    ['BITFIELD', 'bf'], ['BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'GET', 'u8', '1000'], ['BITFIELD', 'nk', 'GET', 'u8', '0'], ['EXISTS', 'nk'],
    ['BITFIELD_RO', 'bf', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'bf', 'GET', 'u8', 'x'], ['BITFIELD', 'bf', 'GET', 'u64', '0'],
    ['BITFIELD', 'bf', 'GET', 'i65', '0'], ['BITFIELD', 'bf', 'GET', 'i0', '0'], ['BITFIELD', 'bf', 'GET', 'I8', '0'], ['BITFIELD', 'bf', 'GET', 'u', '0'],
    ['BITFIELD', 'bf', 'GET', 'u8', '-1'], ['BITFIELD', 'bf', 'GET', 'u8', '4294967296'], ['BITFIELD', 'bf', 'GET', 'u8', '4294967295'],
    ['BITFIELD', 'bf', 'GET', 'u8', '#536870911'], ['BITFIELD', 'bf', 'GET', 'u8', '#536870912'], ['BITFIELD', 'bf', 'GET', 'u8', '#-1'],
    ['BITFIELD', 'bf', 'GET', 'i64', '#288230376151711744'], ['BITFIELD', 'bf', 'GET', 'u8', '#x'], ['BITFIELD', 'bf', 'OVERFLOW', 'NONE'],
    ['BITFIELD', 'bf', 'GET', 'u8'], ['BITFIELD', 'bf', 'SET', 'u8', '0'], ['BITFIELD', 'bf', 'FOO'], ['BITFIELD', 'bf', 'SET', 'u8', '0', 'x'],
    ['BITFIELD', 'bf', 'OVERFLOW'], ['BITFIELD', 'bf', 'GET', 'u8', '0', 'OVERFLOW', 'FAIL'], ['GET', 'bf'],
    ['BITFIELD', 'new', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '7'], ['GET', 'new'], ['BITFIELD', 'new2', 'SET', 'u2', '100', '0'], ['STRLEN', 'new2'],
    ['RPUSH', 'l', 'a'], ['BITFIELD', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'l', 'GET', 'u8', '0'],
    ['BITFIELD', 'l', 'GET', 'u99', '0'], ['SET', 'i', '255'], ['BITFIELD', 'i', 'GET', 'u24', '0', 'INCRBY', 'u8', '4', '1'], ['GET', 'i'],
    ['BITFIELD', 'x', 'SET', 'i1', '0', '1', 'GET', 'i1', '0', 'GET', 'u1', '0', 'INCRBY', 'i1', '0', '1', 'INCRBY', 'u1', '0', '1'],
    ['BITFIELD', 'x', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '1', '-1', 'INCRBY', 'u63', '1', '9223372036854775807', 'INCRBY', 'u63', '1', '1'],
    ['BITFIELD', 'x', 'OVERFLOW', 'WRAP', 'INCRBY', 'i64', '3', '9223372036854775807', 'INCRBY', 'i64', '3', '9223372036854775807'],
    ['BITFIELD', 'x', 'OVERFLOW', 'FAIL', 'INCRBY', 'i32', '5', '-2147483648', 'INCRBY', 'i32', '5', '-1', 'GET', 'i32', '5'],
  ],
];

test('differential: hand-written bitmap sequences', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seq of HAND) await d.check(seq);
  } finally {
    d.stop();
  }
});

const KEYS = ['b1', 'b2', 'b3', 'lst'];
const OFFSETS = ['0', '1', '7', '8', '9', '15', '31', '63', '64', '100', '-1', 'x', '4294967295', '4294967296'];
const RANGE = ['0', '1', '2', '-1', '-2', '3', '7', '8', '15', '16', '-8', '-9', '100', '-100', 'q'];
const INTS = ['0', '1', '-1', '2', '100', '-100', '127', '128', '-128', '255', '256', '65535', '2147483647', '-2147483648',
  '9223372036854775807', '-9223372036854775808', '4611686018427387904', 'x'];
const TYPES = ['i1', 'u1', 'i3', 'u3', 'i7', 'u8', 'i8', 'i16', 'u16', 'u31', 'i32', 'i33', 'u63', 'i63', 'i64', 'u64', 'x8'];

function randomCommand(r: ReturnType<typeof prng>): (string | Buffer)[] {
  const k = () => r.pick(KEYS);
  switch (r.int(12)) {
    case 0:
    case 1: return ['SETBIT', k(), r.pick(OFFSETS.slice(0, 10)), r.pick(['0', '1', '1', '2'])];
    case 2: return ['GETBIT', k(), r.pick(OFFSETS)];
    case 3: {
      const c = ['BITCOUNT', k()];
      const n = r.int(4);
      if (n >= 1) c.push(r.pick(RANGE));
      if (n >= 2) c.push(r.pick(RANGE));
      if (n >= 3) c.push(r.pick(['BIT', 'BYTE', 'bit', 'nope']));
      return c;
    }
    case 4: {
      const c = ['BITPOS', k(), r.pick(['0', '1', '1', '0', '2'])];
      const n = r.int(4);
      if (n >= 1) c.push(r.pick(RANGE));
      if (n >= 2) c.push(r.pick(RANGE));
      if (n >= 3) c.push(r.pick(['BIT', 'BYTE', 'bit', 'nope']));
      return c;
    }
    case 5: {
      const c = ['BITOP', r.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'nand']), k(), k()];
      if (r.int(2)) c.push(k());
      return c;
    }
    case 6:
    case 7:
    case 8: {
      const c = [r.int(6) ? 'BITFIELD' : 'BITFIELD_RO', k()];
      for (let i = 1 + r.int(4); i > 0; i--) {
        // (no writes near 2^32 bits: a 512 MiB value exceeds the longest JS string)
        const off = r.int(3) ? String(r.int(40)) : r.pick(['#0', '#1', '#3', '-1', '#x', '4294967296']);
        switch (r.int(5)) {
          case 0: c.push('GET', r.pick(TYPES), r.int(8) ? off : '4294967295'); break;
          case 1: c.push('SET', r.pick(TYPES), off, r.pick(INTS)); break;
          case 2: c.push('INCRBY', r.pick(TYPES), off, r.pick(INTS)); break;
          case 3: c.push('OVERFLOW', r.pick(['WRAP', 'SAT', 'FAIL', 'sat', 'bad'])); break;
          default: c.push('INCRBY', r.pick(TYPES), off, r.pick(INTS));
        }
      }
      return c;
    }
    case 9: return ['SET', k(), Buffer.from(Array.from({ length: r.int(6) }, () => r.pick([0, 0xff, 0x0f, 0xf0, 0x55, r.int(256)])))];
    case 10: return ['GET', k()];
    default: return r.int(3) ? ['RPUSH', 'lst', 'x'] : ['DEL', k()];
  }
}

test('differential: seeded random bitmap commands', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (let seed = 1; seed <= ROUNDS; seed++) {
      const r = prng(1000 + seed);
      const seq: (string | Buffer)[][] = [];
      for (let i = 0; i < 150; i++) seq.push(randomCommand(r));
      await d.check(seq);
    }
  } finally {
    d.stop();
  }
});
