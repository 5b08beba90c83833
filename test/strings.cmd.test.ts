/** String commands: unit tests through the engine and differential tests against redis-server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, ReplyMap, SimpleString, type Reply } from '../src/index.js';
import { DiffSession, prng } from './diff/runner.js';
import {
  addLongDouble,
  formatLongDouble,
  parseDouble,
  parseLongDouble,
  parseLongLong,
  parseULongLong,
} from '../src/commands/parse.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';
/** Random rounds per differential test (DIFF_ROUNDS widens a local run). */
const ROUNDS = Number(process.env.DIFF_ROUNDS ?? 4);
const OK = new SimpleString('OK');
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

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

// ---------------------------------------------------------------------------------------
// parse.ts
// ---------------------------------------------------------------------------------------

test('parseLongLong: strict string2ll', () => {
  assert.equal(parseLongLong('0'), 0);
  assert.equal(parseLongLong('-1'), -1);
  assert.equal(parseLongLong('9007199254740991'), 9007199254740991);
  assert.equal(parseLongLong('9007199254740992'), 9007199254740992n);
  assert.equal(parseLongLong('9223372036854775807'), 9223372036854775807n);
  assert.equal(parseLongLong('-9223372036854775808'), -9223372036854775808n);
  for (const bad of ['', '-', '-0', '+1', '01', ' 1', '1 ', '1.0', '1e3', '0x1', '9223372036854775808', '-9223372036854775809', '1\0']) {
    assert.equal(parseLongLong(bad), undefined, JSON.stringify(bad));
  }
});

test('parseULongLong: string2ll, else strtoull over the C string', () => {
  assert.equal(parseULongLong('18446744073709551615'), 18446744073709551615n);
  assert.equal(parseULongLong(' 12'), 12n);
  assert.equal(parseULongLong('+5'), 5n);
  assert.equal(parseULongLong('-01'), 18446744073709551615n);
  assert.equal(parseULongLong('7\0junk'), 7n);
  for (const bad of ['-1', '', '18446744073709551616', '1x', ' ']) assert.equal(parseULongLong(bad), undefined, bad);
});

test('parseDouble: strtod rules', () => {
  assert.equal(parseDouble('1.5'), 1.5);
  assert.equal(parseDouble('-inf'), -Infinity);
  assert.equal(parseDouble('+Infinity'), Infinity);
  assert.equal(parseDouble('0x1.8p1'), 3);
  assert.equal(parseDouble('.5'), 0.5);
  assert.equal(parseDouble('5.'), 5);
  assert.equal(parseDouble('4e-320'), 4e-320);
  assert.ok(Object.is(parseDouble('-0'), -0));
  for (const bad of ['', ' 1', '1 ', 'nan', 'NaN', '1e400', '1e-400', '1e', '.', 'abc', '0x', '1\0']) {
    assert.equal(parseDouble(bad), undefined, JSON.stringify(bad));
  }
});

test('long double: x87 precision, strtold rules and %.17Lf output', () => {
  const ld = (s: string) => parseLongDouble(s)!;
  const sum = (a: string, b: string) => formatLongDouble(addLongDouble(ld(a), ld(b)));
  assert.equal(sum('10.50', '0.1'), '10.6');
  assert.equal(sum('5.0e3', '2.0e2'), '5200');
  assert.equal(sum('0.1', '0.2'), '0.3');
  // more precise than a double: 2^53 + 1 is exact in 64 bits
  assert.equal(sum('9007199254740992', '1'), '9007199254740993');
  assert.match(sum('1e4000', '0'), /^99999999999999999999654638730996\d{3968}$/); // nearest x87 value below 10^4000
  assert.equal(sum('-1e-20', '0'), '0'); // "-0.00000000000000000" -> "0"
  assert.equal(sum('0x1p-18', '0'), '0.00000381469726562'); // exact tie rounds to even
  assert.equal(sum('1.5', '-1.5'), '0');
  for (const bad of ['', ' 1', 'nan', '1e5000', '1e-5000', 'inf ', '1,5', '0x', 'x'.repeat(5120)]) {
    assert.equal(parseLongDouble(bad), undefined, JSON.stringify(bad).slice(0, 30));
  }
  assert.equal(parseLongDouble('InFiNiTy')!.kind, 'inf');
  assert.equal(parseLongDouble('0e99999')!.m, 0n);
});

// ---------------------------------------------------------------------------------------
// Unit tests
// ---------------------------------------------------------------------------------------

test('GET / SET / options and combination errors', async () => {
  const e = new Engine();
  assert.equal(await e.call('GET', 'k'), null);
  assert.deepEqual(await e.call('SET', 'k', 'v'), OK);
  assert.equal(await e.call('GET', 'k'), 'v');
  assert.equal(await e.call('SET', 'k', 'w', 'NX'), null);
  assert.deepEqual(await e.call('SET', 'k', 'w', 'XX'), OK);
  assert.equal(await e.call('SET', 'nokey', 'w', 'XX'), null);
  assert.equal(await e.call('SET', 'k', 'x', 'GET'), 'w');
  assert.equal(await e.call('SET', 'k2', 'x', 'GET'), null);
  assert.equal(await e.call('SET', 'k2', 'y', 'NX', 'GET'), 'x');
  assert.equal(await e.call('GET', 'k2'), 'x');
  for (const opts of [
    ['NX', 'XX'], ['XX', 'NX'], ['EX', '1', 'PX', '1'], ['PX', '1', 'EXAT', '1'], ['KEEPTTL', 'EX', '1'],
    ['EX', '1', 'KEEPTTL'], ['PERSIST'], ['EX'], ['BOGUS'], ['PXAT', '1', 'EX', '1'], ['GET', 'EXAT'],
  ]) {
    err(await e.call('SET', 'k', 'v', ...opts), 'ERR syntax error', opts.join(' '));
  }
  assert.deepEqual(await e.call('SET', 'k', 'v', 'EX', '10', 'EX', '20', 'NX', 'NX', 'GET', 'GET'), 'x');
  for (const t of ['0', '-1']) err(await e.call('SET', 'k', 'v', 'EX', t), "ERR invalid expire time in 'set' command");
  err(await e.call('SET', 'k', 'v', 'EX', '9223372036854776'), "ERR invalid expire time in 'set' command");
  err(await e.call('SET', 'k', 'v', 'PX', '9223372036854775807'), "ERR invalid expire time in 'set' command");
  err(await e.call('SET', 'k', 'v', 'PX', 'x'), 'ERR value is not an integer or out of range');
  err(await e.call('SETEX', 'k', '0', 'v'), "ERR invalid expire time in 'setex' command");
  err(await e.call('PSETEX', 'k', '-5', 'v'), "ERR invalid expire time in 'psetex' command");
  err(await e.call('SET', 'k'), "ERR wrong number of arguments for 'set' command");
  await e.call('RPUSH', 'list', 'a');
  err(await e.call('GET', 'list'), WRONGTYPE);
  err(await e.call('SET', 'list', 'v', 'GET'), WRONGTYPE);
  assert.deepEqual(await e.call('SET', 'list', 'v'), OK); // plain SET overwrites any type
  e.close();
});

test('SET expiry: EX/PX/EXAT/PXAT, KEEPTTL, already-expired times', async () => {
  const e = new Engine();
  const db = e.dbs[0]!;
  const seen = events(e);
  await e.call('SET', 'k', 'v', 'EX', '100');
  const exp = db.getExpire('k');
  assert.ok(exp > Date.now() + 99_000 && exp <= Date.now() + 100_000);
  assert.deepEqual(seen.splice(0), ['set:k', 'expire:k']);
  await e.call('SET', 'k', 'v2', 'KEEPTTL');
  assert.equal(db.getExpire('k'), exp);
  await e.call('SET', 'k', 'v3');
  assert.equal(db.getExpire('k'), -1);
  await e.call('SET', 'k', 'v', 'PXAT', String(Date.now() + 5000));
  assert.ok(db.getExpire('k') > Date.now());
  await e.call('SET', 'k', 'v', 'EXAT', String(Math.floor(Date.now() / 1000) + 50));
  assert.ok(db.getExpire('k') > Date.now() + 40_000);
  seen.length = 0;
  // a time in the past: the old key is deleted, nothing is stored
  assert.deepEqual(await e.call('SET', 'k', 'v', 'PXAT', '1'), OK);
  assert.equal(db.has('k'), false);
  assert.deepEqual(seen.splice(0), ['del:k']);
  assert.deepEqual(await e.call('SET', 'gone', 'v', 'EXAT', '1'), OK);
  assert.equal(db.has('gone'), false);
  assert.deepEqual(seen, []);
  await e.call('SET', 'g', 'old');
  assert.equal(await e.call('SET', 'g', 'v', 'EXAT', '1', 'GET'), 'old');
  assert.equal(db.has('g'), false);
  assert.deepEqual(await e.call('SETEX', 's', '100', 'v'), OK);
  assert.ok(db.getExpire('s') > Date.now());
  assert.deepEqual(await e.call('PSETEX', 'p', '100000', 'v'), OK);
  assert.ok(db.getExpire('p') > Date.now());
  e.close();
});

test('SETNX, GETSET, GETDEL, MSET, MSETNX, MGET', async () => {
  const e = new Engine();
  const seen = events(e);
  assert.equal(await e.call('SETNX', 'a', '1'), 1);
  assert.equal(await e.call('SETNX', 'a', '2'), 0);
  assert.equal(await e.call('GETSET', 'a', '3'), '1');
  assert.equal(await e.call('GETSET', 'new', 'x'), null);
  assert.equal(await e.call('GETDEL', 'a'), '3');
  assert.equal(await e.call('GETDEL', 'a'), null);
  assert.deepEqual(seen.splice(0), ['set:a', 'set:a', 'set:new', 'del:a']);
  assert.deepEqual(await e.call('MSET', 'x', '1', 'y', '2'), OK);
  err(await e.call('MSET', 'x', '1', 'y'), "ERR wrong number of arguments for 'mset' command");
  err(await e.call('MSETNX', 'x', '1', 'y'), "ERR wrong number of arguments for 'msetnx' command");
  assert.equal(await e.call('MSETNX', 'x', '9', 'z', '9'), 0);
  assert.equal(await e.call('GET', 'z'), null);
  assert.equal(await e.call('MSETNX', 'z', '9', 'w', '8'), 1);
  await e.call('RPUSH', 'l', 'a');
  assert.deepEqual(await e.call('MGET', 'x', 'nokey', 'l', 'z'), ['1', null, null, '9']);
  err(await e.call('GETSET', 'l', 'v'), WRONGTYPE);
  err(await e.call('GETDEL', 'l'), WRONGTYPE);
  assert.equal(await e.call('SETNX', 'l', 'v'), 0);
  e.close();
});

test('GETEX: options, order of checks, PERSIST, past times', async () => {
  const e = new Engine();
  const db = e.dbs[0]!;
  const seen = events(e);
  assert.equal(await e.call('GETEX', 'missing', 'EX', '0'), null); // lookup comes first
  assert.equal(await e.call('GETEX', 'missing', 'EX', 'zz'), null);
  err(await e.call('GETEX', 'missing', 'NX'), 'ERR syntax error');
  err(await e.call('GETEX', 'missing', 'KEEPTTL'), 'ERR syntax error');
  err(await e.call('GETEX', 'missing', 'EX', '1', 'PERSIST'), 'ERR syntax error');
  err(await e.call('GETEX', 'missing', 'PERSIST', 'PX', '1'), 'ERR syntax error');
  await e.call('SET', 'k', 'v');
  err(await e.call('GETEX', 'k', 'EX', '0'), "ERR invalid expire time in 'getex' command");
  err(await e.call('GETEX', 'k', 'PXAT', 'x'), 'ERR value is not an integer or out of range');
  seen.length = 0;
  assert.equal(await e.call('GETEX', 'k'), 'v');
  assert.equal(db.getExpire('k'), -1);
  assert.equal(await e.call('GETEX', 'k', 'PX', '50000'), 'v');
  assert.ok(db.getExpire('k') > Date.now());
  assert.equal(await e.call('GETEX', 'k', 'PERSIST', 'PERSIST'), 'v');
  assert.equal(db.getExpire('k'), -1);
  assert.equal(await e.call('GETEX', 'k', 'PERSIST'), 'v'); // no TTL: no event
  assert.deepEqual(seen.splice(0), ['expire:k', 'persist:k']);
  assert.equal(await e.call('GETEX', 'k', 'EXAT', '1'), 'v');
  assert.equal(db.has('k'), false);
  assert.deepEqual(seen.splice(0), ['del:k']);
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('GETEX', 'l', 'EX', '0'), WRONGTYPE);
  e.close();
});

test('INCR family: overflow, strict parsing, TTL kept, notifications', async () => {
  const e = new Engine();
  const seen = events(e);
  assert.equal(await e.call('INCR', 'n'), 1);
  assert.equal(await e.call('INCRBY', 'n', '41'), 42);
  assert.equal(await e.call('DECR', 'n'), 41);
  assert.equal(await e.call('DECRBY', 'n', '-9'), 50);
  assert.deepEqual(seen.splice(0), ['incrby:n', 'incrby:n', 'incrby:n', 'incrby:n']);
  await e.call('SET', 'n', '9223372036854775806');
  assert.equal(await e.call('INCR', 'n'), 9223372036854775807n);
  err(await e.call('INCR', 'n'), 'ERR increment or decrement would overflow');
  await e.call('SET', 'n', '-9223372036854775808');
  err(await e.call('DECR', 'n'), 'ERR increment or decrement would overflow');
  err(await e.call('DECRBY', 'n', '-9223372036854775808'), 'ERR decrement would overflow');
  assert.equal(await e.call('INCRBY', 'n', '9223372036854775807'), -1);
  for (const v of [' 1', '1 ', '+1', '01', '1.0', '', 'abc', '99999999999999999999']) {
    await e.call('SET', 'bad', v);
    err(await e.call('INCR', 'bad'), 'ERR value is not an integer or out of range', JSON.stringify(v));
  }
  err(await e.call('INCRBY', 'n', 'x'), 'ERR value is not an integer or out of range');
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('INCR', 'l'), WRONGTYPE);
  err(await e.call('INCRBY', 'l', 'x'), 'ERR value is not an integer or out of range'); // argument first
  await e.call('SET', 't', '5', 'EX', '100');
  await e.call('INCR', 't');
  assert.ok(e.dbs[0]!.getExpire('t') > 0);
  assert.equal(await e.call('GET', 't'), '6');
  e.close();
});

test('INCRBYFLOAT', async () => {
  const e = new Engine();
  await e.call('SET', 'f', '10.50');
  assert.equal(await e.call('INCRBYFLOAT', 'f', '0.1'), '10.6');
  assert.equal(await e.call('INCRBYFLOAT', 'f', '-5'), '5.6');
  await e.call('SET', 'f', '5.0e3');
  assert.equal(await e.call('INCRBYFLOAT', 'f', '2.0e2'), '5200');
  assert.equal(await e.call('INCRBYFLOAT', 'new', '1e-20'), '0');
  assert.equal(await e.call('INCRBYFLOAT', 'new2', '3'), '3');
  err(await e.call('INCRBYFLOAT', 'f', 'inf'), 'ERR increment would produce NaN or Infinity');
  err(await e.call('INCRBYFLOAT', 'f', 'nan'), 'ERR value is not a valid float');
  err(await e.call('INCRBYFLOAT', 'f', ' 1'), 'ERR value is not a valid float');
  err(await e.call('INCRBYFLOAT', 'f', ''), 'ERR value is not a valid float');
  await e.call('SET', 'bad', 'x');
  err(await e.call('INCRBYFLOAT', 'bad', '1'), 'ERR value is not a valid float');
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('INCRBYFLOAT', 'l', 'x'), WRONGTYPE); // type before the argument
  const seen = events(e);
  await e.call('INCRBYFLOAT', 'f', '1');
  assert.deepEqual(seen, ['incrbyfloat:f']);
  e.close();
});

test('APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE', async () => {
  const e = new Engine();
  const seen = events(e);
  assert.equal(await e.call('APPEND', 'k', 'Hello'), 5);
  assert.equal(await e.call('APPEND', 'k', ' World'), 11);
  assert.equal(await e.call('STRLEN', 'k'), 11);
  assert.equal(await e.call('STRLEN', 'nokey'), 0);
  assert.equal(await e.call('GETRANGE', 'k', '0', '4'), 'Hello');
  assert.equal(await e.call('GETRANGE', 'k', '-5', '-1'), 'World');
  assert.equal(await e.call('GETRANGE', 'k', '-1', '-5'), '');
  assert.equal(await e.call('GETRANGE', 'k', '5', '2'), '');
  assert.equal(await e.call('GETRANGE', 'k', '0', '-100'), 'H');
  assert.equal(await e.call('GETRANGE', 'k', '-9223372036854775807', '-9223372036854775808'), '');
  assert.equal(await e.call('GETRANGE', 'k', '0', '9223372036854775807'), 'Hello World');
  assert.equal(await e.call('SUBSTR', 'k', '6', '-1'), 'World');
  assert.equal(await e.call('GETRANGE', 'nokey', '0', '-1'), '');
  err(await e.call('GETRANGE', 'k', 'a', '1'), 'ERR value is not an integer or out of range');
  assert.equal(await e.call('SETRANGE', 'k', '6', 'Redis'), 11);
  assert.equal(await e.call('GET', 'k'), 'Hello Redis');
  assert.equal(await e.call('SETRANGE', 'z', '3', 'ab'), 5);
  assert.equal(await e.call('GET', 'z'), '\0\0\0ab');
  assert.equal(await e.call('SETRANGE', 'empty', '10', ''), 0);
  assert.equal(await e.call('EXISTS', 'empty'), 0);
  assert.equal(await e.call('SETRANGE', 'k', '100', ''), 11);
  err(await e.call('SETRANGE', 'k', '-1', 'x'), 'ERR offset is out of range');
  err(await e.call('SETRANGE', 'k', '536870912', 'x'), 'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  err(await e.call('SETRANGE', 'k', 'x', 'x'), 'ERR value is not an integer or out of range');
  assert.deepEqual(seen, ['append:k', 'append:k', 'setrange:k', 'setrange:z']);
  await e.call('RPUSH', 'l', 'a');
  for (const c of [['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'x']]) {
    err(await e.call(...c), WRONGTYPE, c.join(' '));
  }
  err(await e.call('SETRANGE', 'l', '-1', 'x'), 'ERR offset is out of range'); // offset first
  // binary safety
  const c = e.client({ buffers: true });
  const bytes = Buffer.from([0, 0xff, 0x80, 13, 10]);
  await c.call('SET', 'bin', bytes);
  await c.call('APPEND', 'bin', Buffer.from([0xfe]));
  assert.deepEqual(await c.call('GET', 'bin'), Buffer.concat([bytes, Buffer.from([0xfe])]));
  assert.deepEqual(await c.call('GETRANGE', 'bin', '1', '2'), Buffer.from([0xff, 0x80]));
  e.close();
});

test('LCS', async () => {
  const e = new Engine();
  await e.call('MSET', 'key1', 'ohmytext', 'key2', 'mynewtext');
  assert.equal(await e.call('LCS', 'key1', 'key2'), 'mytext');
  assert.equal(await e.call('LCS', 'key1', 'key2', 'LEN'), 6);
  assert.deepEqual(
    await e.call('LCS', 'key1', 'key2', 'IDX'),
    ['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6],
  );
  assert.deepEqual(
    await e.call('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'),
    ['matches', [[[4, 7], [5, 8], 4]], 'len', 6],
  );
  const c3 = e.client();
  c3.setProtocol(3);
  assert.deepEqual(await c3.call('LCS', 'key1', 'key2', 'IDX'), new ReplyMap([['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]]], ['len', 6]]));
  assert.equal(await e.call('LCS', 'no1', 'no2'), '');
  err(await e.call('LCS', 'key1', 'key2', 'LEN', 'IDX'), 'ERR If you want both the length and indexes, please just use IDX.');
  err(await e.call('LCS', 'key1', 'key2', 'MINMATCHLEN'), 'ERR syntax error');
  err(await e.call('LCS', 'key1', 'key2', 'MINMATCHLEN', 'x'), 'ERR value is not an integer or out of range');
  await e.call('RPUSH', 'l', 'a');
  err(await e.call('LCS', 'key1', 'l', 'BOGUS'), 'ERR The specified keys must contain string values');
  e.close();
});

// ---------------------------------------------------------------------------------------
// Differential tests
// ---------------------------------------------------------------------------------------

const HAND: string[][][] = [
  [
    ['SET', 'k', 'v'], ['GET', 'k'], ['SET', 'k', 'w', 'NX'], ['SET', 'k', 'w', 'XX'], ['SET', 'nk', 'w', 'XX'],
    ['SET', 'k', 'x', 'GET'], ['SET', 'k2', 'x', 'GET'], ['SET', 'k2', 'y', 'NX', 'GET'], ['SET', 'k3', 'y', 'XX', 'GET'],
    ['SET', 'k', 'v', 'nx', 'xx'], ['SET', 'k', 'v', 'ex', '1', 'px', '1'], ['SET', 'k', 'v', 'keepttl', 'ex', '1'],
    ['SET', 'k', 'v', 'EX'], ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'EX', '-1'], ['SET', 'k', 'v', 'EX', 'a'],
    ['SET', 'k', 'v', 'EX', '9223372036854776'], ['SET', 'k', 'v', 'EX', '9223372036854775'],
    ['SET', 'k', 'v', 'PX', '9223372036854775807'], ['SET', 'k', 'v', 'PXAT', '9223372036854775807'],
    ['SET', 'k', 'v', 'EX', '100'], ['TTL', 'k'], ['SET', 'k', 'v2', 'KEEPTTL'], ['TTL', 'k'], ['SET', 'k', 'v3'], ['TTL', 'k'],
    ['SET', 'k', 'v', 'PXAT', '1'], ['GET', 'k'], ['EXISTS', 'k'], ['SET', 'k', 'v', 'EXAT', '1', 'GET'],
    ['SET', 'k', 'v', 'PERSIST'], ['SET', 'k', 'v', 'GET', 'GET', 'NX', 'NX'], ['SET', 'k'], ['SET', 'k', 'v', 'EXAT', '0'],
    ['SETEX', 'k', '0', 'v'], ['SETEX', 'k', 'x', 'v'], ['SETEX', 'k', '100', 'v'], ['TTL', 'k'], ['PSETEX', 'k', '-1', 'v'],
    ['PSETEX', 'k', '100000', 'v'], ['GET', 'k'], ['SETNX', 'k', 'v'], ['SETNX', 'new', 'v'],
  ],
  [
    ['RPUSH', 'l', 'a'], ['GET', 'l'], ['SET', 'l', 'v', 'GET'], ['SET', 'l', 'v', 'EX', '0', 'GET'], ['GETSET', 'l', 'v'],
    ['GETDEL', 'l'], ['GETEX', 'l'], ['GETEX', 'l', 'EX', '0'], ['MGET', 'l', 'x'], ['APPEND', 'l', 'x'], ['STRLEN', 'l'],
    ['GETRANGE', 'l', '0', '1'], ['GETRANGE', 'l', 'a', '1'], ['SETRANGE', 'l', '0', 'x'], ['SETRANGE', 'l', '-1', 'x'],
    ['INCR', 'l'], ['INCRBY', 'l', 'a'], ['DECRBY', 'l', '1'], ['INCRBYFLOAT', 'l', '1'], ['INCRBYFLOAT', 'l', 'x'],
    ['LCS', 'l', 'x'], ['LCS', 'x', 'l', 'IDX'], ['SETNX', 'l', 'v'], ['MSETNX', 'l', 'v'], ['SET', 'l', 'v'], ['GET', 'l'],
  ],
  [
    ['GETEX', 'k'], ['GETEX', 'k', 'EX', '0'], ['GETEX', 'k', 'NX'], ['GETEX', 'k', 'PERSIST', 'EX', '1'],
    ['SET', 'k', 'v'], ['GETEX', 'k', 'EX', '0'], ['GETEX', 'k', 'EX', 'x'], ['GETEX', 'k', 'PX', '100000'], ['TTL', 'k'],
    ['GETEX', 'k', 'PERSIST'], ['TTL', 'k'], ['GETEX', 'k', 'EXAT', '99999999999'], ['TTL', 'k'], ['GETEX', 'k', 'PXAT', '1'],
    ['EXISTS', 'k'], ['GETEX', 'k', 'KEEPTTL'], ['GETEX', 'k', 'EX'], ['GETEX'], ['SET', 'k', 'v'], ['GETEX', 'k', 'EX', '9223372036854775807'],
    ['GETEX', 'k', 'PX', '9223372036854775807'], ['GETEX', 'k', 'EX', '1', 'EX', '100'], ['TTL', 'k'], ['GETDEL', 'k'], ['GETDEL', 'k'],
  ],
  [
    ['INCR', 'n'], ['INCRBY', 'n', '10'], ['DECR', 'n'], ['DECRBY', 'n', '-5'], ['INCRBY', 'n', '9223372036854775807'],
    ['SET', 'n', '9223372036854775806'], ['INCR', 'n'], ['INCR', 'n'], ['SET', 'n', '-9223372036854775807'], ['DECR', 'n'], ['DECR', 'n'],
    ['DECRBY', 'n', '-9223372036854775808'], ['INCRBY', 'n', '9223372036854775807'], ['SET', 'n', '+1'], ['INCR', 'n'],
    ['SET', 'n', ' 1'], ['INCR', 'n'], ['SET', 'n', '01'], ['INCR', 'n'], ['SET', 'n', '1.5'], ['INCR', 'n'], ['INCRBY', 'n', '1.0'],
    ['SET', 'n', '9007199254740993'], ['INCR', 'n'], ['INCRBY', 'n', '-18014398509481986'], ['DECRBY', 'n', '9223372036854775807'],
    ['SET', 'n', ''], ['INCR', 'n'], ['SET', 'n', '-0'], ['INCR', 'n'], ['INCRBY', 'x', '-0'],
  ],
  [
    ['SET', 'f', '10.50'], ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '-5'], ['SET', 'f', '5.0e3'], ['INCRBYFLOAT', 'f', '2.0e2'],
    ['INCRBYFLOAT', 'g', '1e-20'], ['INCRBYFLOAT', 'g', '-1e-17'], ['INCRBYFLOAT', 'g', '1e4000'], ['INCRBYFLOAT', 'g', '-1e4000'],
    ['INCRBYFLOAT', 'g', 'inf'], ['INCRBYFLOAT', 'g', '-inf'], ['INCRBYFLOAT', 'g', 'nan'], ['INCRBYFLOAT', 'g', '1e5000'],
    ['INCRBYFLOAT', 'g', '1e-5000'], ['INCRBYFLOAT', 'g', ' 1'], ['INCRBYFLOAT', 'g', '1 '], ['INCRBYFLOAT', 'g', ''],
    ['INCRBYFLOAT', 'g', '0x10'], ['INCRBYFLOAT', 'g', '0x1.8p-3'], ['INCRBYFLOAT', 'g', '+.5'], ['INCRBYFLOAT', 'g', '5.'],
    ['INCRBYFLOAT', 'g', '1e'], ['INCRBYFLOAT', 'g', 'infinity'], ['SET', 'h', 'inf'], ['INCRBYFLOAT', 'h', '1'],
    ['SET', 'h', '1e4932'], ['INCRBYFLOAT', 'h', '1e4932'], ['SET', 'h', 'abc'], ['INCRBYFLOAT', 'h', '1'],
    ['SET', 'h', '3.6e-4951'], ['INCRBYFLOAT', 'h', '0'], ['INCRBYFLOAT', 'i', '0.1'], ['INCRBYFLOAT', 'i', '0.2'],
    ['INCRBYFLOAT', 'i', '0.3'], ['INCRBYFLOAT', 'j', '9007199254740993'], ['INCRBYFLOAT', 'j', '0.5'],
    ['INCRBYFLOAT', 'k', '123456789012345678901234567890'], ['INCRBYFLOAT', 'k', '-0.000000000000000015'],
  ],
  [
    ['APPEND', 'k', 'Hello'], ['APPEND', 'k', ' World'], ['STRLEN', 'k'], ['STRLEN', 'nk'], ['GETRANGE', 'k', '0', '4'],
    ['GETRANGE', 'k', '-5', '-1'], ['GETRANGE', 'k', '-1', '-5'], ['GETRANGE', 'k', '5', '2'], ['GETRANGE', 'k', '0', '-100'],
    ['GETRANGE', 'k', '-100', '-50'], ['GETRANGE', 'k', '100', '200'], ['GETRANGE', 'k', '-9223372036854775807', '-9223372036854775808'],
    ['GETRANGE', 'k', '-9223372036854775808', '9223372036854775807'], ['SUBSTR', 'k', '6', '-1'], ['GETRANGE', 'nk', '0', '-1'],
    ['GETRANGE', 'k', 'a', '1'], ['GETRANGE', 'k', '1', 'b'], ['SETRANGE', 'k', '6', 'Redis'], ['GET', 'k'], ['SETRANGE', 'z', '3', 'ab'],
    ['GET', 'z'], ['SETRANGE', 'e', '10', ''], ['EXISTS', 'e'], ['SETRANGE', 'k', '100', ''], ['SETRANGE', 'k', '-1', 'x'],
    ['SETRANGE', 'k', '536870912', 'x'], ['SETRANGE', 'k', '536870911', 'xx'], ['SETRANGE', 'k', '9223372036854775807', 'x'],
    ['SETRANGE', 'k', 'x', 'x'], ['SETRANGE', 'k', '0', ''], ['GET', 'k'], ['SET', 'e', ''], ['GETRANGE', 'e', '0', '-1'], ['STRLEN', 'e'],
    ['APPEND', 'e', ''], ['SETRANGE', 'e', '2', ''], ['GET', 'e'], ['SET', 'i', '12345'], ['GETRANGE', 'i', '1', '2'], ['APPEND', 'i', '6'],
    ['SETRANGE', 'i', '0', '9'], ['GET', 'i'],
  ],
  [
    ['MSET', 'a', '1', 'b', '2'], ['MSET', 'a', '1', 'b'], ['MGET', 'a', 'b', 'c'], ['MSETNX', 'a', '1', 'c', '3'], ['MGET', 'c'],
    ['MSETNX', 'c', '3', 'd', '4'], ['MSETNX', 'e', '1', 'e', '2'], ['GET', 'e'], ['MSETNX', 'x'], ['MSET', 'a'], ['MGET'],
    ['GETSET', 'a', 'z'], ['GETSET', 'n', 'z'], ['GETDEL', 'a'], ['GET', 'a'],
  ],
  [
    ['MSET', 'key1', 'ohmytext', 'key2', 'mynewtext'], ['LCS', 'key1', 'key2'], ['LCS', 'key1', 'key2', 'LEN'],
    ['LCS', 'key1', 'key2', 'IDX'], ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4'], ['LCS', 'key1', 'key2', 'IDX', 'WITHMATCHLEN'],
    ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'], ['LCS', 'key1', 'key2', 'MINMATCHLEN', '-5', 'IDX'],
    ['LCS', 'key1', 'key2', 'LEN', 'IDX'], ['LCS', 'key1', 'key2', 'MINMATCHLEN'], ['LCS', 'key1', 'key2', 'MINMATCHLEN', 'x'],
    ['LCS', 'key1', 'key2', 'BOGUS'], ['LCS', 'no1', 'no2'], ['LCS', 'no1', 'no2', 'IDX'], ['LCS', 'key1', 'no2', 'IDX', 'WITHMATCHLEN'],
    ['LCS', 'key1', 'key1', 'IDX', 'WITHMATCHLEN'], ['LCS', 'key1', 'key2', 'len', 'withmatchlen'], ['LCS', 'key1'],
    ['MSET', 'a', 'aaabbbcccaaa', 'b', 'abcabcabcaaa'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'], ['LCS', 'b', 'a', 'IDX', 'WITHMATCHLEN'],
  ],
];

test('differential: hand-written string sequences', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seq of HAND) await d.check(seq);
    // binary values
    const bin = Buffer.from([0, 0xff, 0x80, 0x7f, 13, 10, 0xc3, 0xa9]);
    await d.check([
      ['SET', 'b', bin], ['GET', 'b'], ['APPEND', 'b', bin], ['GETRANGE', 'b', '1', '9'], ['SETRANGE', 'b', '3', bin], ['GET', 'b'],
      ['STRLEN', 'b'], ['SET', 'c', Buffer.from([0xff, 0, 0x80])], ['LCS', 'b', 'c', 'IDX', 'WITHMATCHLEN'], ['LCS', 'b', 'c'],
      ['MGET', 'b', 'c'], ['GETSET', 'c', bin], ['GETDEL', 'c'],
    ]);
  } finally {
    d.stop();
  }
});

const KEYS = ['k1', 'k2', 'k3', 'num', 'flt', 'lst'];
const INTS = ['0', '1', '-1', '7', '100', '-100', '9223372036854775807', '-9223372036854775808', '9223372036854775806',
  '4611686018427387904', 'x', '1.5', '', '+3', '010', '99999999999999999999', '9007199254740993'];
const FLOATS = ['0', '1', '-1', '0.1', '-0.3', '1.5e3', '1e-10', '3.14159265358979323846', '1e300', '-1e300', 'inf', 'nan',
  '1e4000', '0x1p3', '.5', '5.', ' 1', '', 'abc', '2.5', '123456789.123456789', '-0.00000000000000001', '1e-17', '7e-18'];
const VALUES = ['', 'a', 'abc', 'hello world', '12', '-5', '3.5', 'xyzzy', 'aaaaaaaaaaaaaaaaaaaa', '\u00ff\u0000\u0080'];
const RANGES = ['0', '1', '2', '-1', '-2', '-3', '5', '10', '-10', '100', '-100', '9223372036854775807', '-9223372036854775808', 'z'];

function randomCommand(r: ReturnType<typeof prng>): string[] {
  const k = () => r.pick(KEYS);
  const v = () => r.pick(VALUES);
  switch (r.int(26)) {
    case 0: {
      const c = ['SET', k(), v()];
      const opts = [['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['EX', r.pick(['100', '0', '-1', 'x', '1000'])], ['PX', r.pick(['100000', '0', '-1'])],
        ['EXAT', r.pick(['1', '99999999999', '0'])], ['PXAT', r.pick(['1', '99999999999999'])], ['BAD'], ['EX']];
      for (let i = r.int(3); i > 0; i--) c.push(...r.pick(opts));
      return c;
    }
    case 1: return ['GET', k()];
    case 2: return ['SETNX', k(), v()];
    case 3: return ['SETEX', k(), r.pick(['100', '0', 'x', '-5']), v()];
    case 4: return ['PSETEX', k(), r.pick(['100000', '0', 'x']), v()];
    case 5: return ['GETSET', k(), v()];
    case 6: return ['GETDEL', k()];
    case 7: {
      const c = ['GETEX', k()];
      if (r.int(2)) c.push(...r.pick([['PERSIST'], ['EX', r.pick(['100', '0', 'x'])], ['PX', '100000'], ['EXAT', r.pick(['1', '99999999999'])], ['PXAT', '1'], ['NX']]));
      return c;
    }
    case 8: return ['MGET', k(), k(), k()];
    case 9: return r.int(5) ? ['MSET', k(), v(), k(), v()] : ['MSET', k(), v(), k()];
    case 10: return ['MSETNX', k(), v(), k(), v()];
    case 11: return ['INCR', r.pick(['num', 'num', k()])];
    case 12: return ['DECR', r.pick(['num', k()])];
    case 13: return ['INCRBY', r.pick(['num', 'num', k()]), r.pick(INTS)];
    case 14: return ['DECRBY', r.pick(['num', k()]), r.pick(INTS)];
    case 15: return ['SET', r.pick(['num', 'flt']), r.pick(r.int(2) ? INTS : FLOATS)];
    case 16: return ['INCRBYFLOAT', r.pick(['flt', 'flt', 'num', k()]), r.pick(FLOATS)];
    case 17: return ['APPEND', k(), v()];
    case 18: return ['STRLEN', k()];
    case 19: return [r.pick(['GETRANGE', 'SUBSTR']), k(), r.pick(RANGES), r.pick(RANGES)];
    case 20: return ['SETRANGE', k(), r.pick(['0', '1', '3', '10', '-1', 'x', '536870912']), v()];
    case 21: {
      const c = ['LCS', k(), k()];
      for (let i = r.int(4); i > 0; i--) c.push(...r.pick([['LEN'], ['IDX'], ['WITHMATCHLEN'], ['MINMATCHLEN', r.pick(['0', '1', '2', '-1', 'x'])], ['NOPE']]));
      return c;
    }
    case 22: return ['RPUSH', 'lst', v()];
    case 23: return ['DEL', k()];
    case 24: return ['TTL', k()];
    default: return ['EXISTS', k()];
  }
}

test('differential: seeded random string commands', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (let seed = 1; seed <= ROUNDS; seed++) {
      const r = prng(seed);
      const seq: string[][] = [];
      for (let i = 0; i < 150; i++) seq.push(randomCommand(r));
      await d.check(seq);
    }
  } finally {
    d.stop();
  }
});

test('differential: INCRBYFLOAT chains match the server digit for digit', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    const r = prng(77);
    const num = () => {
      const sign = r.int(3) === 0 ? '-' : '';
      switch (r.int(5)) {
        case 0: return sign + String(r.int(1000));
        case 1: return sign + '0.' + String(r.int(1e9)).padStart(r.int(12) + 1, '0');
        case 2: return sign + String(r.int(1e6)) + '.' + String(r.int(1e6));
        case 3: return sign + String(1 + r.int(9)) + 'e' + (r.int(40) - 20);
        default: return sign + (r.next() * 10 ** (r.int(30) - 10)).toPrecision(1 + r.int(20));
      }
    };
    for (let round = 0; round < ROUNDS; round++) {
      const seq: string[][] = [];
      for (let i = 0; i < 100; i++) seq.push(r.int(15) ? ['INCRBYFLOAT', `f${r.int(3)}`, num()] : ['SET', `f${r.int(3)}`, num()]);
      await d.check(seq);
    }
  } finally {
    d.stop();
  }
});

test('proto-max-bulk-len bounds SETRANGE, APPEND, bit offsets and LCS', async () => {
  const e = new Engine();
  await e.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
  assert.equal(await e.call('SETRANGE', 'k', '1048575', 'x'), 1048576);
  err(await e.call('SETRANGE', 'k', '1048576', 'x'), 'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  err(await e.call('APPEND', 'k', 'x'), 'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  assert.equal(await e.call('SETBIT', 'b', '8388607', '1'), 0);
  err(await e.call('SETBIT', 'b', '8388608', '1'), 'ERR bit offset is not an integer or out of range');
  err(await e.call('BITFIELD', 'b', 'GET', 'u8', '#1048576'), 'ERR bit offset is not an integer or out of range');
  await e.call('MSET', 'x', 'a'.repeat(600), 'y', 'a'.repeat(600));
  err(await e.call('LCS', 'x', 'y'), 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  e.close();
});

test('differential: proto-max-bulk-len limits', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SETRANGE', 'k', '1048575', 'x'], ['SETRANGE', 'k', '1048576', 'x'],
      ['SETRANGE', 'k', '1048574', 'xyz'], ['APPEND', 'k', 'x'], ['SET', 's', 'ab'], ['APPEND', 's', 'c'], ['SETBIT', 'b', '8388607', '1'],
      ['SETBIT', 'b', '8388608', '1'], ['GETBIT', 'b', '8388608'], ['BITFIELD', 'b', 'GET', 'u8', '#1048575', 'GET', 'u8', '#1048576'],
      ['MSET', 'x', 'a'.repeat(600), 'y', 'a'.repeat(600)], ['LCS', 'x', 'y', 'LEN'], ['MSET', 'x', 'a'.repeat(400), 'y', 'b'.repeat(400)],
      ['LCS', 'x', 'y', 'IDX'], ['CONFIG', 'SET', 'proto-max-bulk-len', '536870912'],
    ]);
  } finally {
    d.stop();
  }
});
