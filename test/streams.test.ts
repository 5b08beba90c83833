/**
 * Streams: the value type (IDs, macro nodes, the pending-entries map) and the command
 * family, through the engine with exact replies, keyspace events and dirty counts; then
 * differential sequences against redis-server (RESP2 and RESP3), hand-written and random.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, RespWriter } from '../src/index.js';
import type { Client } from '../src/server/client.js';
import {
  StreamValue,
  IdMap,
  MIN_ID,
  MAX_ID,
  makeId,
  formatId,
  incrId,
  decrId,
  idMs,
  idSeq,
  parseStreamId,
  parseU64,
  parsedSeqGiven,
  counterIncr,
  counterSub,
} from '../src/engine/types/stream.js';
import { DiffSession, prng } from './diff/runner.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';

/** An engine with a controllable clock, and a helper returning exact RESP bytes. */
function setup(proto: 2 | 3 = 2, start = 1_000_000): { engine: Engine; c: Client; clock: { t: number }; r: (...a: string[]) => string } {
  const engine = new Engine();
  const clock = { t: start };
  engine.now = () => clock.t;
  const c = engine.client();
  if (proto === 3) c.setProtocol(3);
  const r = (...a: string[]): string => {
    const w = new RespWriter(proto);
    const done = engine.execute(c, a, w);
    assert.equal(done, undefined, 'stream commands never block yet');
    return w.take().toString('latin1');
  };
  return { engine, c, clock, r };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const err = (m: string) => `-${m}\r\n`;
const INVALID = err('ERR Invalid stream ID specified as stream command argument');

// ---------------------------------------------------------------------------------------
// The value type
// ---------------------------------------------------------------------------------------

test('IDs: key form orders like (ms, seq), formats and parses both 64-bit halves', () => {
  const a = makeId(1, 2);
  const b = makeId(1, 3);
  const c = makeId(2, 0);
  assert.ok(a < b && b < c && MIN_ID < a && c < MAX_ID);
  assert.equal(formatId(MAX_ID), '18446744073709551615-18446744073709551615');
  assert.equal(formatId(MIN_ID), '0-0');
  const big = makeId(18446744073709551614n, 9007199254740993n);
  assert.equal(formatId(big), '18446744073709551614-9007199254740993');
  assert.equal(idMs(big), 18446744073709551614n);
  assert.equal(idSeq(big), 9007199254740993n);
  assert.equal(idMs(makeId(9007199254740991, 0)), 9007199254740991);
  assert.equal(formatId(incrId(makeId(1, 18446744073709551615n))!), '2-0');
  assert.equal(formatId(decrId(makeId(2, 0))!), '1-18446744073709551615');
  assert.equal(incrId(MAX_ID), undefined);
  assert.equal(decrId(MIN_ID), undefined);
});

test('ID parsing follows string2ull, incomplete IDs, - and +, ms-*', () => {
  const p = (s: string, max = false, strict = false, star = false) => {
    const id = parseStreamId(s, max, strict, star);
    return id === undefined ? undefined : formatId(id);
  };
  assert.equal(p('1526919030474-55'), '1526919030474-55');
  assert.equal(p('5'), '5-0');
  assert.equal(p('5', true), '5-18446744073709551615');
  assert.equal(p('-'), '0-0');
  assert.equal(p('+'), '18446744073709551615-18446744073709551615');
  assert.equal(p('-', false, true), undefined);
  assert.equal(p('+', false, true), undefined);
  // strtoull's leniency after the strict form fails
  assert.equal(p('+8-1'), '8-1');
  assert.equal(p(' 7'), '7-0');
  assert.equal(p('09-01'), '9-1');
  assert.equal(p('10--01'), '10-18446744073709551615');
  assert.equal(p('10--1'), undefined); // strictly negative
  assert.equal(p('1-2-3'), undefined);
  assert.equal(p('18446744073709551616'), undefined);
  assert.equal(p('1-'), undefined);
  assert.equal(p(''), undefined);
  assert.equal(p('5\u0000junk'), '5-0'); // a C string ends at NUL
  assert.equal(p('x'.repeat(128)), undefined);
  assert.equal(p('7-*', false, true, true), '7-0');
  assert.equal(parsedSeqGiven, false);
  assert.equal(p('7-*'), undefined);
  assert.equal(parseU64('-10000000000000000000'), 8446744073709551616n);
  assert.equal(parseU64('-9223372036854775808'), undefined);
  assert.equal(parseU64('007'), 7);
});

test('counters stay exact past 2^53', () => {
  assert.equal(counterIncr(9007199254740991), 9007199254740992n);
  assert.equal(counterIncr(1), 2);
  assert.equal(counterSub(9223372036854775807n, 9223372036854775806n), 1);
});

test('IdMap keeps keys ordered through random inserts and deletes', () => {
  const m = new IdMap<number>();
  const ref = new Map<string, number>();
  const r = prng(7);
  for (let i = 0; i < 20000; i++) {
    const id = makeId(r.int(3000), r.int(3));
    if (r.int(3) === 0) {
      assert.equal(m.delete(id), ref.get(id));
      ref.delete(id);
    } else {
      assert.equal(m.set(id, i), !ref.has(id));
      ref.set(id, i);
    }
  }
  const keys = [...ref.keys()].sort();
  assert.equal(m.size, keys.length);
  assert.deepEqual([...m.entries()].map(([k]) => k), keys);
  assert.equal(m.firstKey(), keys[0]);
  assert.equal(m.lastKey(), keys[keys.length - 1]);
  for (let i = 0; i < 200; i++) {
    const probe = makeId(r.int(3100), r.int(4));
    const ge = keys.find((k) => k >= probe);
    const gt = keys.find((k) => k > probe);
    assert.equal(m.ceilKey(probe), ge);
    assert.equal(m.ceilKey(probe, true), gt);
    assert.equal(m.get(probe), ref.get(probe));
  }
  const from: string[] = [];
  m.forEachFrom(keys[100]!, (k) => {
    from.push(k);
    return from.length < 5;
  });
  assert.deepEqual(from, keys.slice(100, 105));
});

test('macro nodes: 100 entries each, a new node when the listpack would reach 4096 bytes', () => {
  const s = new StreamValue();
  for (let i = 1; i <= 250; i++) s.append(makeId(i, 0), ['f', 'v']);
  assert.equal(s.radixTreeKeys, 3);
  assert.deepEqual(s.nodes.map((n) => n.ids.length), [100, 100, 50]);
  const big = new StreamValue();
  for (let i = 1; i <= 20; i++) big.append(makeId(i, 0), ['f', 'x'.repeat(1000)]);
  // 1000-byte values: a node takes three of them before the next would reach 4096 bytes
  assert.deepEqual(big.nodes.map((n) => n.ids.length), [4, 4, 4, 4, 4]);
  assert.ok(big.nodes.every((n) => n.bytes < 4096));
  // same fields as the master entry are stored as values only
  const n = s.nodes[0]!;
  assert.deepEqual(n.fieldValues(0), ['f', 'v']);
  s.append(makeId(300, 0), ['g', 'w', 'h', 'z']);
  const last = s.nodes[s.nodes.length - 1]!;
  assert.deepEqual(last.fieldValues(last.ids.length - 1), ['g', 'w', 'h', 'z']);
});

test('clone copies entries, counters, groups, consumers and the PEL', () => {
  const { engine, r } = setup();
  r('XADD', 's', '1-1', 'a', '1');
  r('XADD', 's', '2-1', 'b', '2');
  r('XGROUP', 'CREATE', 's', 'g', '0');
  r('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>');
  const s = engine.dbs[0]!.get('s') as StreamValue;
  const c = s.clone();
  assert.equal(c.length, 2);
  assert.equal(formatId(c.lastId), '2-1');
  const g = c.groups.get('g')!;
  assert.equal(g.pel.size, 1);
  const p = g.pel.get(makeId(1, 1))!;
  assert.equal(p.consumer, g.consumers.get('alice'));
  assert.equal(g.consumers.get('alice')!.pel.get(makeId(1, 1)), p);
  assert.notEqual(p, s.groups.get('g')!.pel.get(makeId(1, 1)));
});

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

test('XADD with * uses the clock, never goes backward, and ms-* fills the sequence', () => {
  const { clock, r } = setup();
  clock.t = 1000;
  assert.equal(r('XADD', 's', '*', 'f', 'v'), bulk('1000-0'));
  assert.equal(r('XADD', 's', '*', 'f', 'v'), bulk('1000-1'));
  clock.t = 999; // clock went back: keep the last time, bump the sequence
  assert.equal(r('XADD', 's', '*', 'f', 'v'), bulk('1000-2'));
  clock.t = 1005;
  assert.equal(r('XADD', 's', '*', 'f', 'v'), bulk('1005-0'));
  assert.equal(r('XADD', 's', '1005-*', 'f', 'v'), bulk('1005-1'));
  assert.equal(r('XADD', 's', '2000-*', 'f', 'v'), bulk('2000-0'));
  assert.equal(r('XADD', 's', '1999-*', 'f', 'v'), err('ERR The ID specified in XADD is equal or smaller than the target stream top item'));
  assert.equal(r('XADD', 's', '2000-1', 'f', 'v'), bulk('2000-1'));
  assert.equal(r('XADD', 's', '2000-1', 'f', 'v'), err('ERR The ID specified in XADD is equal or smaller than the target stream top item'));
  assert.equal(r('XADD', 's', '0-0', 'f', 'v'), err('ERR The ID specified in XADD must be greater than 0-0'));
  assert.equal(r('XADD', 't', '0-*', 'f', 'v'), bulk('0-1'));
  assert.equal(r('XADD', 's', '18446744073709551615-18446744073709551614', 'f', 'v'), bulk('18446744073709551615-18446744073709551614'));
  assert.equal(r('XADD', 's', '18446744073709551615-*', 'f', 'v'), bulk('18446744073709551615-18446744073709551615'));
  assert.equal(r('XADD', 's', '*', 'f', 'v'), err('ERR The stream has exhausted the last possible ID, unable to add more items'));
  assert.equal(r('XADD', 'u', '5-18446744073709551615', 'f', 'v'), bulk('5-18446744073709551615'));
  assert.equal(r('XADD', 'u', '5-*', 'f', 'v'), err('ERR The ID specified in XADD is equal or smaller than the target stream top item'));
  clock.t = 3;
  assert.equal(r('XADD', 'u', '*', 'f', 'v'), bulk('6-0'));
});

test('XADD argument errors', () => {
  const { r } = setup();
  assert.equal(r('XADD', 's', '1-1', 'f'), err("ERR wrong number of arguments for 'xadd' command"));
  assert.equal(r('XADD', 's', 'NOMKSTREAM', '1-1'), err("ERR wrong number of arguments for 'xadd' command"));
  assert.equal(r('XADD', 's', 'bad', 'f', 'v'), INVALID);
  assert.equal(r('XADD', 's', '-', 'f', 'v'), INVALID);
  assert.equal(r('XADD', 's', 'MAXLEN', 'x', '*', 'f', 'v'), err('ERR value is not an integer or out of range'));
  assert.equal(r('XADD', 's', 'MAXLEN', '-1', '*', 'f', 'v'), err('ERR The MAXLEN argument must be >= 0.'));
  assert.equal(r('XADD', 's', 'MINID', 'x', '*', 'f', 'v'), INVALID);
  assert.equal(r('XADD', 's', 'MAXLEN', '1', 'MINID', '1', '*', 'f', 'v'), err('ERR syntax error, MAXLEN and MINID options at the same time are not compatible'));
  assert.equal(r('XADD', 's', 'LIMIT', '5', '*', 'f', 'v'), err('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy'));
  assert.equal(r('XADD', 's', 'MAXLEN', '5', 'LIMIT', '5', '*', 'f', 'v'), err('ERR syntax error, LIMIT cannot be used without the special ~ option'));
  assert.equal(r('XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', '-1', '*', 'f', 'v'), err('ERR The LIMIT argument must be >= 0.'));
  assert.equal(r('XADD', 's', 'NOMKSTREAM', '*', 'f', 'v'), '$-1\r\n');
  assert.equal(setup(3).r('XADD', 's', 'NOMKSTREAM', '*', 'f', 'v'), '_\r\n');
  assert.equal(r('EXISTS', 's'), ':0\r\n');
  r('SET', 'str', 'x');
  assert.equal(r('XADD', 'str', '*', 'f', 'v'), err('WRONGTYPE Operation against a key holding the wrong kind of value'));
  assert.equal(r('XADD', 's'), err("ERR wrong number of arguments for 'xadd' command"));
});

test('XADD and XTRIM trimming: exact, ~ (whole nodes only) and LIMIT', () => {
  const { r } = setup();
  for (let i = 1; i <= 350; i++) r('XADD', 's', `${i}-0`, 'f', 'v');
  assert.equal(r('XTRIM', 's', 'MAXLEN', '~', '300'), ':0\r\n'); // would have to split the first node
  assert.equal(r('XTRIM', 's', 'MAXLEN', '~', '250'), ':100\r\n');
  assert.equal(r('XTRIM', 's', 'MAXLEN', '~', '10', 'LIMIT', '150'), ':100\r\n');
  assert.equal(r('XLEN', 's'), ':150\r\n');
  assert.equal(r('XTRIM', 's', 'MINID', '210'), ':9\r\n');
  assert.equal(r('XTRIM', 's', 'MAXLEN', '=', '5'), ':136\r\n');
  assert.equal(r('XRANGE', 's', '-', '+', 'COUNT', '1'), `*1\r\n*2\r\n${bulk('346-0')}*2\r\n${bulk('f')}${bulk('v')}`);
  assert.equal(r('XADD', 's', 'MAXLEN', '0', '400-0', 'f', 'v'), bulk('400-0'));
  assert.equal(r('XLEN', 's'), ':0\r\n');
  assert.equal(r('EXISTS', 's'), ':1\r\n'); // streams stay when empty
  assert.equal(r('XTRIM', 's', 'FOO', '1'), err('ERR syntax error'));
  assert.equal(r('XTRIM', 's', 'LIMIT', '1', 'MAXLEN', '1'), err('ERR syntax error, LIMIT cannot be used without the special ~ option'));
  assert.equal(r('XTRIM', 's', 'LIMIT', '1', 'LIMIT', '1'), err('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy'));
  assert.equal(r('XTRIM', 'nokey', 'MAXLEN', '1'), ':0\r\n');
});

test('XRANGE / XREVRANGE: incomplete and exclusive bounds, COUNT', () => {
  const { r } = setup();
  for (const id of ['1-0', '1-1', '2-0', '3-5']) r('XADD', 's', id, 'k', 'v');
  const ids = (reply: string) => [...reply.matchAll(/\$\d+\r\n(\d+-\d+)\r\n\*2/g)].map((m) => m[1]);
  assert.deepEqual(ids(r('XRANGE', 's', '1', '1')), ['1-0', '1-1']);
  assert.deepEqual(ids(r('XRANGE', 's', '(1-0', '(3-5')), ['1-1', '2-0']);
  assert.deepEqual(ids(r('XREVRANGE', 's', '+', '-', 'COUNT', '2')), ['3-5', '2-0']);
  assert.deepEqual(ids(r('XREVRANGE', 's', '(3', '(1')), ['3-5', '2-0', '1-1']); // (1 excludes only 1-0
  assert.deepEqual(ids(r('XRANGE', 's', '2', '+', 'COUNT', '5', 'COUNT', '1')), ['2-0']);
  assert.equal(r('XRANGE', 's', '-', '+', 'COUNT', '0'), '*-1\r\n');
  assert.equal(r('XRANGE', 's', '-', '+', 'COUNT', '-3'), '*-1\r\n');
  assert.equal(r('XRANGE', 's', '3', '1'), '*0\r\n');
  assert.equal(r('XRANGE', 's', '(', '+'), INVALID);
  assert.equal(r('XRANGE', 's', '(-', '+'), INVALID);
  assert.equal(r('XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'), err('ERR invalid start ID for the interval'));
  assert.equal(r('XRANGE', 's', '-', '(0-0'), err('ERR invalid end ID for the interval'));
  assert.equal(r('XRANGE', 's', '-', '+', 'COUNT'), err('ERR syntax error'));
  assert.equal(r('XRANGE', 's', '-', '+', 'LIMIT', '1'), err('ERR syntax error'));
  assert.equal(r('XRANGE', 's', '-', '+', 'COUNT', 'x'), err('ERR value is not an integer or out of range'));
  assert.equal(r('XRANGE', 'nokey', '-', '+'), '*0\r\n');
  assert.equal(r('XRANGE', 'nokey', '-', '+', 'COUNT', '0'), '*0\r\n');
});

test('XDEL flags entries, drops emptied nodes, tracks first and max deleted IDs', () => {
  const { engine, r } = setup();
  for (let i = 1; i <= 150; i++) r('XADD', 's', `${i}-0`, 'f', 'v');
  const s = engine.dbs[0]!.get('s') as StreamValue;
  assert.equal(r('XDEL', 's', '1-0', '1-0', '99-9', '7-0'), ':2\r\n');
  assert.equal(formatId(s.firstId), '2-0');
  assert.equal(formatId(s.maxDeletedId), '7-0');
  assert.equal(r('XDEL', 's', 'bad', '2-0'), INVALID);
  assert.equal(s.length, 148);
  const ids: string[] = [];
  for (let i = 101; i <= 150; i++) ids.push(`${i}-0`);
  assert.equal(r('XDEL', 's', ...ids), ':50\r\n');
  assert.equal(s.radixTreeKeys, 1);
  assert.equal(r('XDEL', 'nokey', 'bad'), ':0\r\n');
  assert.equal(formatId(s.lastId), '150-0');
  assert.equal(formatId(s.lastValidId()), '100-0');
});

test('XREAD: $, COUNT, several streams, RESP3 map; BLOCK with data answers at once', () => {
  const { r } = setup();
  r('XADD', 'a', '1-0', 'f', '1');
  r('XADD', 'a', '2-0', 'f', '2');
  r('XADD', 'b', '1-0', 'g', '1');
  assert.equal(
    r('XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'),
    `*2\r\n*2\r\n${bulk('a')}*1\r\n*2\r\n${bulk('1-0')}*2\r\n${bulk('f')}${bulk('1')}` +
      `*2\r\n${bulk('b')}*1\r\n*2\r\n${bulk('1-0')}*2\r\n${bulk('g')}${bulk('1')}`,
  );
  assert.equal(r('XREAD', 'STREAMS', 'a', '$'), '*-1\r\n');
  // (blocking itself: test/blocking.test.ts)
  assert.equal(r('XREAD', 'BLOCK', '0', 'STREAMS', 'a', '1-0'), `*1\r\n*2\r\n${bulk('a')}*1\r\n*2\r\n${bulk('2-0')}*2\r\n${bulk('f')}${bulk('2')}`);
  assert.equal(r('XREAD', 'STREAMS', 'a', '+'), `*1\r\n*2\r\n${bulk('a')}*1\r\n*2\r\n${bulk('2-0')}*2\r\n${bulk('f')}${bulk('2')}`);
  assert.equal(r('XREAD', 'STREAMS', 'nokey', '+'), '*-1\r\n');
  const { r: r3 } = setup(3);
  r3('XADD', 'a', '1-0', 'f', '1');
  assert.equal(r3('XREAD', 'STREAMS', 'a', '0'), `%1\r\n${bulk('a')}*1\r\n*2\r\n${bulk('1-0')}*2\r\n${bulk('f')}${bulk('1')}`);
  r3('XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM');
  assert.equal(r3('XREAD', 'STREAMS', 'e', '+'), err('ERR the stream last element ID is 0-0'));
  assert.equal(r('XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'), err('ERR timeout is negative'));
  assert.equal(r('XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'), err('ERR timeout is not an integer or out of range'));
  assert.equal(r('XREAD', 'BLOCK', '9223372036854775807', 'STREAMS', 'a', '0'), err('ERR timeout is out of range'));
  assert.equal(r('XREAD', 'STREAMS', 'a', 'b', '0'), err("ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified."));
  assert.equal(r('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>'), err("ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified."));
  assert.equal(r('XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'), err('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.'));
  assert.equal(r('XREAD', 'NOACK', 'STREAMS', 'a', '0'), err('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.'));
  assert.equal(r('XREAD', 'STREAMS', 'a', '>'), err('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.'));
  assert.equal(r('XREAD', 'COUNT', '1', 'FOO', 'STREAMS', 'a', '0'), err('ERR syntax error'));
  assert.equal(r('XREADGROUP', 'COUNT', '1', 'BLOCK', '1', 'STREAMS', 'a', '0'), err('ERR Missing GROUP option for XREADGROUP'));
});

test('consumer groups: XREADGROUP, PEL, XACK, history, NOACK, lag', () => {
  const { engine, clock, r } = setup();
  for (let i = 1; i <= 4; i++) r('XADD', 's', `${i}-0`, 'f', String(i));
  assert.equal(r('XGROUP', 'CREATE', 's', 'g', '0'), '+OK\r\n');
  assert.equal(r('XGROUP', 'CREATE', 's', 'g', '0'), err('BUSYGROUP Consumer Group name already exists'));
  r('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
  clock.t += 10;
  r('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', '>');
  assert.equal(
    r('XPENDING', 's', 'g'),
    `*4\r\n:3\r\n${bulk('1-0')}${bulk('3-0')}*2\r\n*2\r\n${bulk('alice')}${bulk('2')}*2\r\n${bulk('bob')}${bulk('1')}`,
  );
  clock.t += 5;
  assert.equal(
    r('XPENDING', 's', 'g', '-', '+', '10'),
    `*3\r\n*4\r\n${bulk('1-0')}${bulk('alice')}:15\r\n:1\r\n*4\r\n${bulk('2-0')}${bulk('alice')}:15\r\n:1\r\n*4\r\n${bulk('3-0')}${bulk('bob')}:5\r\n:1\r\n`,
  );
  assert.equal(r('XPENDING', 's', 'g', 'IDLE', '10', '-', '+', '10', 'alice').split('*4').length - 1, 2);
  assert.equal(r('XPENDING', 's', 'g', 'IDLE', '10', '-', '+', '10', 'bob'), '*0\r\n');
  // history re-delivery bumps the delivery count and time
  r('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
  assert.equal(r('XPENDING', 's', 'g', '-', '+', '1'), `*1\r\n*4\r\n${bulk('1-0')}${bulk('alice')}:0\r\n:2\r\n`);
  assert.equal(r('XACK', 's', 'g', '1-0', '1-0', '9-0'), ':1\r\n');
  r('XDEL', 's', '2-0');
  assert.equal(
    r('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'),
    `*1\r\n*2\r\n${bulk('s')}*1\r\n*2\r\n${bulk('2-0')}*-1\r\n`,
  );
  assert.equal(r('XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'STREAMS', 's', '>').includes('4-0'), true);
  assert.equal(r('XPENDING', 's', 'g', '-', '+', '10', 'carol'), '*0\r\n');
  const s = engine.dbs[0]!.get('s') as StreamValue;
  const g = s.groups.get('g')!;
  assert.equal(formatId(g.lastId), '4-0');
  assert.equal(r('XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', '>'), '*-1\r\n');
  assert.ok(g.consumers.has('dave'), 'XREADGROUP creates the consumer even when it serves nothing');
  assert.equal(r('XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'), err("NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option"));
  assert.equal(r('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$').startsWith('-ERR The $ ID is meaningless'), true);
  assert.equal(r('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '+').startsWith('-ERR The + ID is meaningless'), true);
  assert.equal(r('XACK', 's', 'g', 'bad'), INVALID);
  assert.equal(r('XACK', 's', 'nog', 'bad'), ':0\r\n');
  assert.equal(r('XPENDING', 's', 'nog'), err("NOGROUP No such key 's' or consumer group 'nog'"));
  assert.equal(r('XPENDING', 's', 'g', '-', '+'), err('ERR syntax error'));
});

test('XINFO GROUPS lag and entries-read follow Valkey, including tombstones', () => {
  const { r } = setup();
  for (let i = 1; i <= 4; i++) r('XADD', 'x', `0-${i}`, 'n', String(i));
  r('XGROUP', 'CREATE', 'x', 'g', '0');
  const lag = () => {
    const m = /entries-read\r\n(:\d+|\$-1)\r\n\$3\r\nlag\r\n(:\d+|\$-1)/.exec(r('XINFO', 'GROUPS', 'x'))!;
    return [m[1], m[2]];
  };
  assert.deepEqual(lag(), ['$-1', ':4']);
  r('XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '2', 'STREAMS', 'x', '>');
  assert.deepEqual(lag(), [':2', ':2']);
  r('XDEL', 'x', '0-3');
  assert.deepEqual(lag(), [':2', '$-1']);
  // Valkey 8 counts 0-4 as the third read and reports a lag of 1 (as Redis 7.0 does; a
  // later Valkey release re-estimates the counter here instead).
  r('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'x', '>');
  assert.deepEqual(lag(), [':3', ':1']);
  r('XADD', 'x', '0-5', 'n', '5');
  r('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'x', '>');
  assert.deepEqual(lag(), [':4', ':1']);
});

test('XCLAIM: min idle, IDLE/TIME, RETRYCOUNT, FORCE, JUSTID, LASTID, deleted entries', () => {
  const { engine, clock, r } = setup();
  for (let i = 1; i <= 3; i++) r('XADD', 's', `${i}-0`, 'f', String(i));
  r('XGROUP', 'CREATE', 's', 'g', '0');
  r('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>');
  clock.t += 100;
  assert.equal(r('XCLAIM', 's', 'g', 'b', '101', '1-0'), '*0\r\n');
  assert.equal(r('XCLAIM', 's', 'g', 'b', '100', '1-0', 'JUSTID'), `*1\r\n${bulk('1-0')}`);
  assert.equal(r('XCLAIM', 's', 'g', 'b', '0', '2-0', 'IDLE', '500', 'RETRYCOUNT', '9'), `*1\r\n*2\r\n${bulk('2-0')}*2\r\n${bulk('f')}${bulk('2')}`);
  assert.equal(r('XPENDING', 's', 'g', '-', '+', '10', 'b'), `*2\r\n*4\r\n${bulk('1-0')}${bulk('b')}:0\r\n:1\r\n*4\r\n${bulk('2-0')}${bulk('b')}:500\r\n:9\r\n`);
  assert.equal(r('XCLAIM', 's', 'g', 'b', '0', '3-0', 'TIME', String(clock.t - 42)), `*1\r\n*2\r\n${bulk('3-0')}*2\r\n${bulk('f')}${bulk('3')}`);
  assert.equal(r('XPENDING', 's', 'g', '3-0', '3-0', '1'), `*1\r\n*4\r\n${bulk('3-0')}${bulk('b')}:42\r\n:2\r\n`);
  assert.equal(r('XCLAIM', 's', 'g', 'b', '0', '3-0', 'TIME', String(clock.t + 1000), 'JUSTID'), `*1\r\n${bulk('3-0')}`);
  assert.equal(r('XPENDING', 's', 'g', '3-0', '3-0', '1'), `*1\r\n*4\r\n${bulk('3-0')}${bulk('b')}:0\r\n:2\r\n`);
  r('XACK', 's', 'g', '1-0');
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'JUSTID'), '*0\r\n');
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'FORCE', 'JUSTID'), `*1\r\n${bulk('1-0')}`);
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '7-0', 'FORCE', 'JUSTID'), '*0\r\n');
  r('XDEL', 's', '2-0');
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '2-0'), '*0\r\n');
  const g = (engine.dbs[0]!.get('s') as StreamValue).groups.get('g')!;
  assert.equal(g.pel.has(makeId(2, 0)), false, 'a deleted entry leaves the PEL');
  r('XCLAIM', 's', 'g', 'c', '0', '3-0', 'LASTID', '10-0', 'JUSTID');
  assert.equal(formatId(g.lastId), '10-0');
  assert.equal(r('XCLAIM', 's', 'g', 'c', 'x', '1-0'), err('ERR Invalid min-idle-time argument for XCLAIM'));
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE', 'x'), err('ERR Invalid IDLE option argument for XCLAIM'));
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'TIME', 'x'), err('ERR Invalid TIME option argument for XCLAIM'));
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'RETRYCOUNT', 'x'), err('ERR Invalid RETRYCOUNT option argument for XCLAIM'));
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', 'x'), INVALID);
  assert.equal(r('XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE'), err("ERR Unrecognized XCLAIM option 'IDLE'"));
  assert.equal(r('XCLAIM', 's', 'nog', 'c', '0', '1-0'), err("NOGROUP No such key 's' or consumer group 'nog'"));
});

test('XAUTOCLAIM: cursor, COUNT, JUSTID and the deleted-entries array', () => {
  const { clock, r } = setup();
  for (let i = 1; i <= 5; i++) r('XADD', 's', `${i}-0`, 'f', String(i));
  r('XGROUP', 'CREATE', 's', 'g', '0');
  r('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>');
  r('XDEL', 's', '2-0', '4-0');
  clock.t += 50;
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'b', '10', '0', 'COUNT', '2', 'JUSTID'), `*3\r\n${bulk('3-0')}*1\r\n${bulk('1-0')}*1\r\n${bulk('2-0')}`);
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'b', '10', '3-0', 'JUSTID'), `*3\r\n${bulk('0-0')}*2\r\n${bulk('3-0')}${bulk('5-0')}*1\r\n${bulk('4-0')}`);
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'c', '10', '-'), `*3\r\n${bulk('0-0')}*0\r\n*0\r\n`);
  assert.equal(
    r('XAUTOCLAIM', 's', 'g', 'c', '0', '(1-0', 'COUNT', '1'),
    `*3\r\n${bulk('5-0')}*1\r\n*2\r\n${bulk('3-0')}*2\r\n${bulk('f')}${bulk('3')}*0\r\n`,
  );
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '0'), err('ERR COUNT must be > 0'));
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '576460752303423488'), err('ERR COUNT must be > 0'));
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'c', 'x', '0'), err('ERR Invalid min-idle-time argument for XAUTOCLAIM'));
  assert.equal(r('XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'FOO'), err('ERR syntax error'));
  assert.equal(r('XAUTOCLAIM', 's', 'nog', 'c', '0', '0'), err("NOGROUP No such key 's' or consumer group 'nog'"));
});

test('XINFO STREAM, FULL and CONSUMERS report times from the engine clock', () => {
  const { clock, r } = setup(3, 5000);
  r('XADD', 's', '1-0', 'f', 'v');
  r('XADD', 's', '2-0', 'f', 'w');
  r('XGROUP', 'CREATE', 's', 'g', '0');
  r('XGROUP', 'CREATECONSUMER', 's', 'g', 'idle');
  clock.t = 5100;
  r('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>');
  clock.t = 5300;
  assert.equal(
    r('XINFO', 'CONSUMERS', 's', 'g'),
    '*2\r\n' +
      `%4\r\n${bulk('name')}${bulk('alice')}${bulk('pending')}:1\r\n${bulk('idle')}:200\r\n${bulk('inactive')}:200\r\n` +
      `%4\r\n${bulk('name')}${bulk('idle')}${bulk('pending')}:0\r\n${bulk('idle')}:300\r\n${bulk('inactive')}:-1\r\n`,
  );
  const full = r('XINFO', 'STREAM', 's', 'FULL');
  assert.ok(full.startsWith('%9\r\n'));
  assert.ok(full.includes(`${bulk('pending')}*1\r\n*4\r\n${bulk('1-0')}${bulk('alice')}:5100\r\n:1\r\n`));
  assert.ok(full.includes(`${bulk('seen-time')}:5100\r\n${bulk('active-time')}:5100\r\n${bulk('pel-count')}:1\r\n`));
  assert.ok(full.includes(`${bulk('seen-time')}:5000\r\n${bulk('active-time')}:-1\r\n`));
  const info = r('XINFO', 'STREAM', 's');
  assert.ok(info.startsWith(`%10\r\n${bulk('length')}:2\r\n${bulk('radix-tree-keys')}:1\r\n${bulk('radix-tree-nodes')}:2\r\n`));
  assert.ok(info.endsWith(`${bulk('last-entry')}*2\r\n${bulk('2-0')}*2\r\n${bulk('f')}${bulk('w')}`));
  assert.equal(r('XINFO', 'STREAM', 'nokey'), err('ERR no such key'));
  assert.equal(r('XINFO', 'STREAM', 's', 'FULL', 'COUNT'), err("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."));
  assert.equal(r('XINFO', 'CONSUMERS', 's', 'nog'), err("NOGROUP No such consumer group 'nog' for key name 's'"));
  assert.ok(r('XINFO', 'HELP').startsWith('*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n'));
});

test('XGROUP subcommands and errors', () => {
  const { r } = setup();
  const NOKEY = err(
    'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  );
  assert.equal(r('XGROUP', 'CREATE', 's', 'g', '$'), NOKEY);
  assert.equal(r('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'), '+OK\r\n');
  assert.equal(r('TYPE', 's'), '+stream\r\n');
  assert.equal(r('XGROUP', 'CREATE', 's', 'h', '$', 'ENTRIESREAD', '-2'), err('ERR value for ENTRIESREAD must be positive or -1'));
  assert.equal(r('XGROUP', 'CREATE', 's', 'h', '$', 'FOO'), err("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."));
  assert.equal(r('XGROUP', 'create', 's', 'h', '-'), INVALID);
  assert.equal(r('XGROUP', 'SETID', 's', 'g', '-'), '+OK\r\n');
  assert.equal(r('XGROUP', 'SETID', 's', 'nog', '0'), err("NOGROUP No such consumer group 'nog' for key name 's'"));
  assert.equal(r('XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD'), err("ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP."));
  assert.equal(r('XGROUP', 'CREATECONSUMER', 's', 'g', 'c'), ':1\r\n');
  assert.equal(r('XGROUP', 'CREATECONSUMER', 's', 'g', 'c'), ':0\r\n');
  assert.equal(r('XGROUP', 'DELCONSUMER', 's', 'g', 'c'), ':0\r\n');
  assert.equal(r('XGROUP', 'DELCONSUMER', 's', 'g', 'c'), ':0\r\n');
  assert.equal(r('XGROUP', 'DESTROY', 's', 'g'), ':1\r\n');
  assert.equal(r('XGROUP', 'DESTROY', 's', 'g'), ':0\r\n');
  assert.equal(r('XGROUP', 'DESTROY', 's'), err("ERR wrong number of arguments for 'xgroup|destroy' command"));
  assert.equal(r('XGROUP', 'NOPE'), err("ERR unknown subcommand 'NOPE'. Try XGROUP HELP."));
  assert.ok(r('XGROUP', 'HELP').startsWith('*17\r\n+XGROUP <subcommand>'));
  r('SET', 'str', 'x');
  assert.equal(r('XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'), err('WRONGTYPE Operation against a key holding the wrong kind of value'));
});

test('XSETID', () => {
  const { r } = setup();
  assert.equal(r('XSETID', 's', '1-0'), err('ERR no such key'));
  r('XADD', 's', '5-0', 'f', 'v');
  assert.equal(r('XSETID', 's', '4-0'), err('ERR The ID specified in XSETID is smaller than the target stream top item'));
  assert.equal(r('XSETID', 's', '9-0', 'ENTRIESADDED', '0'), err('ERR The entries_added specified in XSETID is smaller than the target stream length'));
  assert.equal(r('XSETID', 's', '9-0', 'ENTRIESADDED', '-1'), err('ERR entries_added must be positive'));
  assert.equal(r('XSETID', 's', '9-0', 'MAXDELETEDID', '10-0'), err('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id'));
  assert.equal(r('XSETID', 's', '9-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '3-0'), '+OK\r\n');
  assert.equal(r('XSETID', 's', '2-0'), err('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id'));
  assert.equal(r('XSETID', 's', '9-0', 'FOO', '1'), err('ERR syntax error'));
  assert.equal(r('XSETID', 's', '+'), INVALID);
  assert.equal(r('XADD', 's', '*', 'f', 'v'), bulk('1000000-0'));
  assert.equal(r('XSETID', 's', '9223372036854775807-0', 'ENTRIESADDED', '9223372036854775807'), '+OK\r\n');
  assert.ok(r('XINFO', 'STREAM', 's').includes(`${bulk('entries-added')}:9223372036854775807\r\n`));
});

test('wrong type errors from every stream command', () => {
  const { r } = setup();
  r('SET', 'k', 'x');
  const WT = err('WRONGTYPE Operation against a key holding the wrong kind of value');
  const cmds: string[][] = [
    ['XADD', 'k', '*', 'f', 'v'], ['XRANGE', 'k', '-', '+'], ['XREVRANGE', 'k', '+', '-'], ['XLEN', 'k'],
    ['XDEL', 'k', '1-0'], ['XTRIM', 'k', 'MAXLEN', '0'], ['XREAD', 'STREAMS', 'k', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'k', '>'], ['XGROUP', 'CREATE', 'k', 'g', '$'],
    ['XGROUP', 'SETID', 'k', 'g', '$'], ['XGROUP', 'DESTROY', 'k', 'g'], ['XGROUP', 'CREATECONSUMER', 'k', 'g', 'c'],
    ['XGROUP', 'DELCONSUMER', 'k', 'g', 'c'], ['XSETID', 'k', '1-0'], ['XACK', 'k', 'g', '1-0'], ['XPENDING', 'k', 'g'],
    ['XCLAIM', 'k', 'g', 'c', '0', '1-0'], ['XAUTOCLAIM', 'k', 'g', 'c', '0', '0'], ['XINFO', 'STREAM', 'k'],
    ['XINFO', 'GROUPS', 'k'], ['XINFO', 'CONSUMERS', 'k', 'g'],
  ];
  for (const c of cmds) assert.equal(r(...c), WT, c.join(' '));
});

test('keyspace events, key modification signals and dirty counts', () => {
  const { engine, r } = setup();
  const events: string[] = [];
  const modified: string[] = [];
  engine.onKeyspaceEvent((e) => events.push(`${e.event}:${e.key}`));
  engine.onKeyModified((_db, key) => modified.push(key));
  const step = (args: string[], ev: string[], mod: number, dirty: number) => {
    events.length = 0;
    modified.length = 0;
    const d0 = engine.dirty;
    r(...args);
    assert.deepEqual(events, ev, args.join(' '));
    assert.equal(modified.length, mod, `${args.join(' ')}: modified`);
    assert.equal(engine.dirty - d0, dirty, `${args.join(' ')}: dirty`);
  };
  step(['XADD', 's', '1-0', 'f', 'v'], ['new:s', 'xadd:s'], 1, 1);
  step(['XADD', 's', '1-0', 'f', 'v'], [], 0, 0);
  step(['XADD', 'nope', 'NOMKSTREAM', '1-0', 'f', 'v'], [], 0, 0);
  step(['XADD', 's', 'MAXLEN', '1', '2-0', 'f', 'v'], ['xadd:s', 'xtrim:s'], 1, 1);
  step(['XADD', 's', 'MAXLEN', '5', '3-0', 'f', 'v'], ['xadd:s'], 1, 1);
  step(['XTRIM', 's', 'MAXLEN', '5'], [], 0, 0);
  step(['XTRIM', 's', 'MAXLEN', '0'], ['xtrim:s'], 1, 2);
  step(['XADD', 's', '4-0', 'f', 'v'], ['xadd:s'], 1, 1);
  step(['XADD', 's', '5-0', 'f', 'v'], ['xadd:s'], 1, 1);
  step(['XDEL', 's', '9-0'], [], 0, 0);
  step(['XDEL', 's', '4-0', '9-0'], ['xdel:s'], 1, 1);
  step(['XGROUP', 'CREATE', 'n', 'g', '$', 'MKSTREAM'], ['new:n', 'xgroup-create:n'], 1, 1);
  step(['XGROUP', 'CREATE', 's', 'g', '0'], ['xgroup-create:s'], 0, 1);
  step(['XGROUP', 'SETID', 's', 'g', '0'], ['xgroup-setid:s'], 0, 1);
  step(['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'], ['xgroup-createconsumer:s'], 0, 1);
  step(['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'], [], 0, 0);
  step(['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', '>'], ['xgroup-createconsumer:s'], 0, 2);
  step(['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', '>'], [], 0, 0);
  step(['XACK', 's', 'g', '5-0', '6-0'], [], 0, 1);
  step(['XCLAIM', 's', 'g', 'e', '0', '5-0', 'FORCE', 'JUSTID'], ['xgroup-createconsumer:s'], 0, 2);
  step(['XAUTOCLAIM', 's', 'g', 'f', '0', '0'], ['xgroup-createconsumer:s'], 0, 2);
  step(['XGROUP', 'DELCONSUMER', 's', 'g', 'f'], ['xgroup-delconsumer:s'], 0, 1);
  step(['XGROUP', 'DELCONSUMER', 's', 'g', 'f'], [], 0, 0);
  step(['XSETID', 's', '10-0'], ['xsetid:s'], 0, 1);
  step(['XGROUP', 'DESTROY', 's', 'g'], ['xgroup-destroy:s'], 0, 1);
  step(['XGROUP', 'DESTROY', 's', 'g'], [], 0, 0);
  step(['XINFO', 'STREAM', 's'], [], 0, 0);
  step(['DEL', 's'], ['del:s'], 1, 1);
});

test('a large stream: seeks by ID, trims from the head, keeps counters', () => {
  const { engine, r } = setup();
  const s = new StreamValue();
  for (let i = 1; i <= 100000; i++) s.append(makeId(i * 3, i % 5), i % 7 === 0 ? ['a', String(i), 'b', 'x'] : ['a', String(i)]);
  engine.dbs[0]!.add('big', s);
  assert.equal(r('XLEN', 'big'), ':100000\r\n');
  assert.equal(r('XRANGE', 'big', '150000', '150002'), `*1\r\n*2\r\n${bulk('150000-0')}*2\r\n${bulk('a')}${bulk('50000')}`);
  assert.equal(r('XREVRANGE', 'big', '(150000-0', '-', 'COUNT', '1'), `*1\r\n*2\r\n${bulk('149997-4')}*2\r\n${bulk('a')}${bulk('49999')}`);
  assert.equal(r('XTRIM', 'big', 'MINID', '~', '150000'), ':10000\r\n'); // default LIMIT: 100 nodes
  assert.equal(r('XTRIM', 'big', 'MINID', '~', '150000', 'LIMIT', '0'), ':39900\r\n');
  assert.equal(r('XTRIM', 'big', 'MINID', '150000'), ':99\r\n');
  assert.equal(formatId(s.firstId), '150000-0');
  assert.equal(s.radixTreeKeys, 501);
});

// ---------------------------------------------------------------------------------------
// Differential: redis-server 7.0 in RESP2 and RESP3 (exceptions.ts lists where Valkey 8
// differs). Explicit IDs only: `*` depends on each server's clock. Where replies carry
// times (XPENDING's idle column) only the shape is compared.
// ---------------------------------------------------------------------------------------

type Seq = string[][];

/** Sequence helper: a command per argument list. */
const S = (...cmds: string[][]): Seq => cmds;

const ID_AND_RANGE_SEQS: Seq[] = [
  S(
    ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', '1-*', 'a', '2'], ['XADD', 's', '5', 'b', '3', 'c', '4'],
    ['XRANGE', 's', '-', '+'], ['XREVRANGE', 's', '+', '-', 'COUNT', '2'], ['XINFO', 'STREAM', 's'],
    ['XINFO', 'STREAM', 's', 'FULL'], ['XLEN', 's'], ['XLEN', 'nokey'], ['XRANGE', 'nokey', '-', '+'],
    ['XRANGE', 's', '(1-1', '+'], ['XRANGE', 's', '(1', '(5'], ['XRANGE', 's', '-', '+', 'COUNT', '0'],
    ['XRANGE', 's', '-', '+', 'COUNT', '-1'], ['XRANGE', 's', '-', '+', 'COUNT'], ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
    ['XRANGE', 's', '(-', '+'], ['XRANGE', 's', '(', '+'], ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
    ['XRANGE', 's', '-', '(0-0'], ['XRANGE', 's', '1', '1'], ['XREVRANGE', 's', '(5', '(1-1'], ['XREVRANGE', 's', '-', '+'],
  ),
  S(
    ['XADD', 's', '0-0', 'a', '1'], ['XADD', 's', '0', 'a', '1'], ['XADD', 's', '0-*', 'a', '1'], ['XADD', 's', '0-*', 'a', '1'],
    ['XADD', 's', '0-1', 'a', '1'], ['XADD', 's', '18446744073709551615-18446744073709551614', 'a', '1'],
    ['XADD', 's', '18446744073709551615-*', 'a', '1'], ['XADD', 's', '*', 'a', '1'],
    ['XADD', 's2', '18446744073709551615-18446744073709551615', 'a', '1'], ['XADD', 's2', '*', 'a', '1'],
    ['XADD', 's3', '5-*', 'x', 'y'], ['XADD', 's3', '5-*', 'x', 'y'], ['XADD', 's3', '4-*', 'x', 'y'], ['XADD', 's3', '5', 'a'],
    ['XADD', 's3', '5'], ['XADD', 's3', 'NOMKSTREAM'], ['XADD', 'nos', 'NOMKSTREAM', '1-1', 'a', 'b'], ['EXISTS', 'nos'],
    ['XADD', 's3', 'bad-id', 'a', 'b'], ['XADD', 's3', '1-2-3', 'a', 'b'], ['XADD', 's3', '+', 'a', 'b'], ['XADD', 's3', '-', 'a', 'b'],
    ['XADD', 's3', ' 7', 'a', 'b'], ['XADD', 's3', '+8-1', 'a', 'b'], ['XADD', 's3', '09-01', 'a', 'b'], ['XADD', 's3', '10--01', 'a', 'b'],
    ['XADD', 's3', '18446744073709551616', 'a', 'b'], ['XRANGE', 's3', '-', '+'],
    ['XADD', 's4', 'MAXLEN', 'x', '1-1', 'a', 'b'], ['XADD', 's4', 'MAXLEN', '-1', '1-1', 'a', 'b'], ['XADD', 's4', 'MINID', '-', '1-1', 'a', 'b'],
    ['XADD', 's4', 'MAXLEN', '1', 'MINID', '1', '1-1', 'a', 'b'], ['XADD', 's4', 'LIMIT', '1', '1-1', 'a', 'b'],
    ['XADD', 's4', 'LIMIT', '0', '1-1', 'a', 'b'], ['XADD', 's4', 'MAXLEN', '=', '1', 'LIMIT', '2', '1-1', 'a', 'b'],
    ['XADD', 's4', 'MAXLEN', '~', '1', 'LIMIT', '-2', '1-1', 'a', 'b'], ['XADD', 's4', 'nomkstream', 'maxlen', '~', '0', '1-1', 'a', 'b'],
    ['XADD', 's4', 'minid', '=', '1-2', '1-1', 'a', 'b'], ['XLEN', 's4'], ['XTRIM', 's4', 'MAXLEN'], ['XTRIM', 's4', 'FOO', '1'],
    ['XTRIM', 's4', 'LIMIT', '1', 'MAXLEN', '~', '0'], ['XTRIM', 's4', 'MINID', '~', '5', 'LIMIT', '1', 'LIMIT', '0'],
  ),
  S(
    ['SET', 'str', 'x'], ['XADD', 'str', '1-1', 'a', 'b'], ['XRANGE', 'str', '-', '+'], ['XLEN', 'str'], ['XDEL', 'str', '1-1'],
    ['XTRIM', 'str', 'MAXLEN', '1'], ['XINFO', 'STREAM', 'str'], ['XGROUP', 'CREATE', 'str', 'g', '$'], ['XREAD', 'STREAMS', 'str', '0'],
    ['XACK', 'str', 'g', '1-1'], ['XPENDING', 'str', 'g'], ['XCLAIM', 'str', 'g', 'c', '0', '1-1'], ['XAUTOCLAIM', 'str', 'g', 'c', '0', '0'],
    ['XSETID', 'str', '1-1'], ['XREVRANGE', 'str', '+', '-'], ['XINFO', 'GROUPS', 'str'],
  ),
];

/** Larger streams: macro node boundaries (100 entries, 4096 bytes), trimming, radix-tree counts. */
function nodeLayoutSeqs(): Seq[] {
  const seqs: Seq[] = [];
  {
    const s: Seq = [];
    for (let i = 1; i <= 350; i++) s.push(['XADD', 'k', `${i}-${i % 7}`, 'f', String(i), 'g', 'v' + i]);
    for (const t of [
      ['MAXLEN', '~', '300'], ['MAXLEN', '~', '120'], ['MINID', '~', '260'], ['MINID', '275'], ['MAXLEN', '=', '50'],
      ['MAXLEN', '~', '10', 'LIMIT', '30'], ['MAXLEN', '~', '10', 'LIMIT', '0'],
    ]) {
      s.push(['XTRIM', 'k', ...t], ['XINFO', 'STREAM', 'k']);
    }
    s.push(['XRANGE', 'k', '-', '+', 'COUNT', '3']);
    seqs.push(s);
  }
  {
    const s: Seq = [];
    for (let i = 1; i <= 120; i++) {
      const big = 'x'.repeat((i * 37) % 300);
      const fv = i % 3 === 0 ? ['a', big, 'b', String(i * 1000003)] : i % 3 === 1 ? ['a', String(-i * 77), 'b', big] : ['zz', big];
      s.push(['XADD', 'k', `${1000 + Math.floor(i / 4)}-*`, ...fv]);
      if (i % 10 === 0) s.push(['XINFO', 'STREAM', 'k']);
    }
    s.push(['XTRIM', 'k', 'MAXLEN', '~', '40'], ['XINFO', 'STREAM', 'k'], ['XINFO', 'STREAM', 'k', 'FULL', 'COUNT', '3']);
    seqs.push(s);
  }
  {
    const s: Seq = [];
    const ids: string[] = [];
    let ms = 1n;
    for (let i = 0; i < 700; i++) {
      ms += BigInt(1 + ((i * 7919) % 5)) * (i % 97 === 0 ? 1000000000000n : i % 13 === 0 ? 70000n : 1n);
      ids.push(`${ms}-0`);
      s.push(['XADD', 'k', `${ms}-0`, 'f', 'v']);
    }
    s.push(['XINFO', 'STREAM', 'k']);
    s.push(['XDEL', 'k', ...ids.slice(100, 200)], ['XINFO', 'STREAM', 'k']);
    s.push(['XDEL', 'k', ...ids.slice(400, 500), ids[0]!], ['XINFO', 'STREAM', 'k']);
    s.push(['XDEL', 'k', ...ids.slice(1, 100)], ['XINFO', 'STREAM', 'k']);
    s.push(['XTRIM', 'k', 'MAXLEN', '250'], ['XINFO', 'STREAM', 'k']);
    s.push(['XADD', 'k', '99999999999999999-5', 'q', 'w'], ['XADD', 'k', '18446744073709551615-0', 'q', 'w'], ['XINFO', 'STREAM', 'k']);
    s.push(['XREVRANGE', 'k', '+', '-', 'COUNT', '4'], ['XRANGE', 'k', ids[350]!, ids[360]!]);
    seqs.push(s);
  }
  {
    const s: Seq = [['XADD', 'k', '5-100000', 'a', '1']];
    for (let i = 6; i < 200; i++) s.push(['XADD', 'k', `${i}-${(i * 1234567) % 50}`, 'a', '1']);
    s.push(['XADD', 'k', '300-18446744073709551615', 'a', '1'], ['XINFO', 'STREAM', 'k'], ['XDEL', 'k', '5-100000'], ['XINFO', 'STREAM', 'k']);
    // a node whose live entries all go by MINID while its deleted last entry stays
    s.push(['XADD', 'm', '1-0', 'a', '1'], ['XADD', 'm', '2-0', 'a', '1'], ['XADD', 'm', '3-0', 'a', '1'], ['XDEL', 'm', '3-0']);
    s.push(['XTRIM', 'm', 'MINID', '3'], ['XINFO', 'STREAM', 'm'], ['XADD', 'm', '4-0', 'a', '1'], ['XINFO', 'STREAM', 'm'], ['XRANGE', 'm', '-', '+']);
    seqs.push(s);
  }
  return seqs;
}

const GROUP_SEQS: Seq[] = [
  S(
    ['XGROUP', 'CREATE', 's', 'g', '$'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
    ['XINFO', 'STREAM', 's'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'CREATE', 's', 'g2', '0', 'ENTRIESREAD', '5'],
    ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '-1'], ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', '-2'],
    ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', 'x'], ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD'],
    ['XGROUP', 'CREATE', 's', 'g4', '0', 'FOO'], ['XGROUP', 'CREATE', 's', 'g4', 'bad'], ['XGROUP', 'CREATE', 's', 'g4', '-'],
    ['XGROUP', 'CREATE', 's', 'g4', '+'], ['XGROUP', 'CREATE', 's', 'g4', '0', 'MKSTREAM', 'ENTRIESREAD', '3', 'MKSTREAM'],
    ['XGROUP', 'SETID', 's', 'g', '-'], ['XGROUP', 'SETID', 's', 'g', '+'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'SETID', 's', 'nog', '0'],
    ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD'], ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '7'],
    ['XGROUP', 'SETID', 's', 'g', '0', 'MKSTREAM'], ['XGROUP', 'SETID', 's', 'g', '$'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'DESTROY', 's', 'g3'], ['XGROUP', 'DESTROY', 's', 'g3'], ['XGROUP', 'DESTROY', 'nokey', 'g3'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c1'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], ['XGROUP', 'DELCONSUMER', 'nokey', 'g', 'c1'],
    ['XGROUP', 'HELP'], ['XGROUP', 'HELP', 'x'], ['XGROUP', 'FOO'], ['XGROUP'], ['XGROUP', 'CREATE', 's'], ['XGROUP', 'DESTROY', 's', 'g', 'x'],
    ['XINFO', 'HELP'], ['XINFO', 'FOO', 's'], ['XINFO', 'STREAM', 'nokey'], ['XINFO', 'STREAM', 's', 'FULL', 'x'],
    ['XINFO', 'STREAM', 's', 'FOO'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'], ['XINFO', 'STREAM', 's', 'FULL', 'FOO', '1'],
    ['XINFO', 'GROUPS', 'nokey'], ['XINFO', 'CONSUMERS', 's', 'nog'],
  ),
  S(
    ['XADD', 's', '1-0', 'f', '1'], ['XADD', 's', '2-0', 'f', '2'], ['XADD', 's', '3-0', 'f', '3'], ['XADD', 's', '4-0', 'f', '4'],
    ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'],
    ['XPENDING', 's', 'g'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '1-0'], ['XACK', 's', 'g', '1-0', '9-9'], ['XACK', 's', 'g', 'bad'],
    ['XACK', 's', 'nog', 'bad'], ['XACK', 'nokey', 'g', 'bad'], ['XPENDING', 's', 'g'], ['XDEL', 's', '2-0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'STREAM', 's'],
    ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', '1'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0'],
    ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'JUSTID'], ['XPENDING', 's', 'g'], ['XCLAIM', 's', 'g', 'dave', '0', '3-0', '4-0', 'JUSTID'],
    ['XPENDING', 's', 'g'], ['XCLAIM', 's', 'g', 'dave', '0', '3-0', 'FORCE', 'RETRYCOUNT', '5'], ['XCLAIM', 's', 'g', 'erin', '0', '1-0', 'FORCE', 'JUSTID'],
    ['XPENDING', 's', 'g'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'dave'], ['XPENDING', 's', 'g'], ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'NOACK', 'STREAMS', 's', '>'], ['XADD', 's', '5-0', 'f', '5'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'NOACK', 'STREAMS', 's', '>'], ['XPENDING', 's', 'g'], ['XINFO', 'GROUPS', 's'],
  ),
  S(
    ['XREAD', 'STREAMS', 's', '0'], ['XADD', 's', '1-0', 'f', '1'], ['XADD', 't', '1-0', 'f', '1'], ['XREAD', 'STREAMS', 's', 't', '0', '0'],
    ['XREAD', 'COUNT', '1', 'STREAMS', 's', 't', '0', '0'], ['XREAD', 'STREAMS', 's', 't', '$', '$'], ['XREAD', 'BLOCK', '1', 'STREAMS', 's', '$'],
    ['XREAD', 'BLOCK', '100', 'STREAMS', 's', '0'], ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'], ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'],
    ['XREAD', 'STREAMS', 's'], ['XREAD', 'STREAMS', 's', 't', '0'], ['XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'], ['XREAD', 'FOO', 'STREAMS', 's', '0'],
    ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'], ['XREAD', 'NOACK', 'STREAMS', 's', '0'], ['XREAD', 'STREAMS', 's', '>'],
    ['XREAD', 'STREAMS', 's', 'bad'], ['XREAD', 'STREAMS', 's', '-'], ['XREAD', 'STREAMS', 's', '+'], ['XREAD', 'COUNT', '5'],
    ['XREAD', 'STREAMS', 'nokey', 's', '0', '0'], ['XREAD', 'STREAMS', 's', 's', '0', '0'], ['XREADGROUP', 'STREAMS', 's', '0', 'x', 'y'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XGROUP', 'CREATE', 's', 'g', '$'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '>', '>'], ['XADD', 's', '2-0', 'f', '2'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '>', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 't', '>', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '0', 'STREAMS', 's', '0'], ['SET', 'str', 'x'], ['XREAD', 'STREAMS', 's', 'str', '0', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'],
  ),
  S(
    ['XADD', 's', '1-0', 'f', '1'], ['XADD', 's', '2-0', 'f', '2'], ['XADD', 's', '3-0', 'f', '3'], ['XADD', 's', '4-0', 'f', '4'],
    ['XADD', 's', '5-0', 'f', '5'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>'],
    ['XPENDING', 's', 'g'], ['XDEL', 's', '2-0', '4-0'], ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'COUNT', '2'],
    ['XAUTOCLAIM', 's', 'g', 'b', '0', '3-0', 'COUNT', '1'], ['XAUTOCLAIM', 's', 'g', 'b', '0', '(3-0', 'JUSTID'], ['XPENDING', 's', 'g'],
    ['XAUTOCLAIM', 's', 'g', 'b', '100000', '0'], ['XAUTOCLAIM', 's', 'g', 'b', 'x', '0'], ['XAUTOCLAIM', 's', 'g', 'b', '0', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'COUNT', '0'], ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'COUNT', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'COUNT'], ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'FOO'], ['XAUTOCLAIM', 's', 'nog', 'b', '0', '0'],
    ['XAUTOCLAIM', 's', 'g', 'b', '0', '(18446744073709551615-18446744073709551615'], ['XAUTOCLAIM', 's', 'g', 'b', '0', '-'],
    ['XAUTOCLAIM', 's', 'g', 'b', '0', '+'], ['XAUTOCLAIM', 's', 'g', 'b', '-1', '0', 'COUNT', '576460752303423488'],
  ),
  S(
    ['XSETID', 's', '1-0'], ['XADD', 's', '5-0', 'f', '1'], ['XSETID', 's', '4-0'], ['XSETID', 's', '5-0'], ['XSETID', 's', '9-0', 'ENTRIESADDED', '0'],
    ['XSETID', 's', '9-0', 'ENTRIESADDED', '-1'], ['XSETID', 's', '9-0', 'ENTRIESADDED', 'x'], ['XSETID', 's', '9-0', 'MAXDELETEDID', '10-0'],
    ['XSETID', 's', '9-0', 'MAXDELETEDID', 'x'], ['XSETID', 's', '9-0', 'FOO', '1'], ['XSETID', 's', '9-0', 'ENTRIESADDED'], ['XSETID', 's', 'bad'],
    ['XSETID', 's', '+'], ['XSETID', 's', '9-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '3-0'], ['XINFO', 'STREAM', 's'], ['XSETID', 's', '2-0'],
    ['XINFO', 'STREAM', 's'], ['XADD', 's', '9-*', 'a', 'b'], ['XINFO', 'STREAM', 's'], ['XSETID', 's', '18446744073709551615-18446744073709551615'],
    ['XADD', 's', '*', 'a', 'b'], ['XADD', 's', '18446744073709551615-*', 'a', 'b'],
    ['XSETID', 's', '18446744073709551615-18446744073709551615', 'ENTRIESADDED', '9223372036854775807'], ['XINFO', 'STREAM', 's'],
    ['XGROUP', 'CREATE', 's', 'g', '0', 'ENTRIESREAD', '9223372036854775807'], ['XINFO', 'GROUPS', 's'],
  ),
  S(
    ['XADD', 'x', '0-1', 'name', 'Mercury'], ['XADD', 'x', '0-2', 'name', 'Venus'], ['XADD', 'x', '0-3', 'name', 'Earth'],
    ['XADD', 'x', '0-4', 'name', 'Jupiter'], ['XGROUP', 'CREATE', 'x', 'p', '$'], ['XGROUP', 'CREATE', 'x', 'q', '0'],
    ['XGROUP', 'CREATE', 'x', 'r', '0-2'], ['XINFO', 'GROUPS', 'x'], ['XREADGROUP', 'GROUP', 'q', 'alice', 'COUNT', '2', 'STREAMS', 'x', '>'],
    ['XDEL', 'x', '0-3'], ['XINFO', 'GROUPS', 'x'], ['XREADGROUP', 'GROUP', 'q', 'alice', 'STREAMS', 'x', '>'], ['XINFO', 'GROUPS', 'x'],
    ['XDEL', 'x', '0-1', '0-2'], ['XINFO', 'GROUPS', 'x'], ['XADD', 'x', '0-5', 'name', 'Saturn'], ['XINFO', 'GROUPS', 'x'],
    ['XGROUP', 'CREATECONSUMER', 'x', 'r', 'bob'], ['XREADGROUP', 'GROUP', 'r', 'bob', 'STREAMS', 'x', '>'], ['XINFO', 'GROUPS', 'x'],
    ['XTRIM', 'x', 'MAXLEN', '1'], ['XINFO', 'GROUPS', 'x'], ['XINFO', 'STREAM', 'x'], ['XGROUP', 'SETID', 'x', 'p', '0'], ['XINFO', 'GROUPS', 'x'],
    ['XGROUP', 'CREATECONSUMER', 'x', 'p', 'c'], ['XREADGROUP', 'GROUP', 'p', 'c', 'STREAMS', 'x', '>'], ['XINFO', 'GROUPS', 'x'],
    ['XADD', 'y', '1-0', 'f', '1'], ['XADD', 'y', '2-0', 'f', '2'], ['XADD', 'y', '3-0', 'f', '3'], ['XGROUP', 'CREATE', 'y', 'g', '0', 'ENTRIESREAD', '0'],
    ['XINFO', 'GROUPS', 'y'], ['XDEL', 'y', '1-0'], ['XINFO', 'GROUPS', 'y'], ['XGROUP', 'CREATECONSUMER', 'y', 'g', 'c'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'y', '>'], ['XINFO', 'GROUPS', 'y'],
  ),
];

/** Claims with times far in the past (TIME 1, IDLE large) so min-idle filters are deterministic. */
const CLAIM_SEQ: Seq = S(
  ['XADD', 's', '1-0', 'f', '1'], ['XADD', 's', '2-0', 'f', '2'], ['XADD', 's', '3-0', 'f', '3'], ['XADD', 's', '4-0', 'f', '4'],
  ['XADD', 's', '5-0', 'f', '5'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>'],
  ['XCLAIM', 's', 'g', 'b', '0', '1-0', 'TIME', '1000'], ['XCLAIM', 's', 'g', 'b', '1000', '2-0', 'IDLE', '5000000'],
  ['XCLAIM', 's', 'g', 'c', '100000000', '1-0', '2-0', '3-0'], ['XCLAIM', 's', 'g', 'c', '1000000', '1-0', '2-0', '3-0', 'JUSTID'],
  ['XCLAIM', 's', 'g', 'c', 'x', '1-0'], ['XCLAIM', 's', 'g', 'c', '-5', '1-0', 'JUSTID'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE', 'x'],
  ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'TIME', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'RETRYCOUNT', 'x'],
  ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'BOGUS'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE'],
  ['XCLAIM', 's', 'g', 'c', '0', 'bad'], ['XCLAIM', 's', 'nog', 'c', '0', '1-0'], ['XCLAIM', 'nokey', 'g', 'c', '0', '1-0'],
  ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', '10-0', 'JUSTID'], ['XINFO', 'GROUPS', 's'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'RETRYCOUNT', '-3', 'JUSTID'],
  ['XDEL', 's', '4-0'], ['XCLAIM', 's', 'g', 'd', '0', '4-0', '5-0', 'JUSTID'], ['XPENDING', 's', 'g'], ['XCLAIM', 's', 'g', 'd', '0', '4-0', 'FORCE'],
  ['XCLAIM', 's', 'g', 'd', '0', '9-0', 'FORCE'], ['XPENDING', 's', 'g'], ['XACK', 's', 'g', '5-0'],
  ['XCLAIM', 's', 'g', 'e', '0', '5-0', 'FORCE', 'RETRYCOUNT', '7', 'TIME', '1'], ['XPENDING', 's', 'g'],
  ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'], ['XPENDING', 's', 'g', '-', '+', '10', 'e'], ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
  ['XPENDING', 's', 'g', '(1-0', '(5-0', '10'], ['XPENDING', 's', 'g', '-', '+', '0'], ['XPENDING', 's', 'g', '-', '+', '-1'], ['XPENDING', 's', 'g', '-', '+'],
  ['XPENDING', 's', 'g', 'IDLE', '10', '-', '+'], ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '1'], ['XPENDING', 's', 'g', '-', '+', 'x'],
  ['XPENDING', 's', 'g', 'x', '+', '1'], ['XPENDING', 's', 'g', '(', '+', '1'], ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '1'],
  ['XPENDING', 's', 'g', '-', '(0', '1'], ['XPENDING', 's', 'g', '-', '+', '1', 'a', 'b', 'c'], ['XPENDING', 's', 'g', '-', '+', '1', 'a', 'b', 'c', 'd'],
  ['XPENDING', 's', 'nog'], ['XPENDING', 'nokey', 'g', '-', '+', '1'], ['XPENDING', 's'],
);

/**
 * A seeded random sequence over the family: valid and invalid arguments, wrong types,
 * missing keys. IDs are explicit and mostly increasing. Consumers are created with XGROUP
 * CREATECONSUMER before XREADGROUP/XCLAIM/XAUTOCLAIM use them: Valkey (7.2+) creates the
 * consumer on any XREADGROUP of an existing key and at the start of a claim, Redis 7.0 only
 * when data is served or claimed, which would otherwise make consumer counts diverge.
 * XSETID stays out (Valkey refuses IDs below max_deleted_entry_id, Redis 7.0 does not).
 * With `extended`, XPENDING's range form is generated too (compared by shape: idle times).
 */
function randomStreamSeq(seed: number, n: number, extended = false): Seq {
  const r = prng(seed);
  const keys = ['s1', 's2', 's3'];
  const groups = ['g1', 'g2'];
  const consumers = ['c1', 'c2', 'c3'];
  const fieldSets = [['f'], ['f', 'g'], ['a', 'b', 'c'], ['n']];
  const ms: Record<string, number> = { s1: 0, s2: 0, s3: 0 };
  const ids: Record<string, string[]> = { s1: [], s2: [], s3: [] };
  const seq: Seq = [['SET', 'str', 'x']];
  const key = () => (r.int(20) === 0 ? 'str' : r.int(25) === 0 ? 'nokey' : r.pick(keys));
  const sk = (k: string) => (k in ms ? k : 's1');
  const known = (k: string): string => {
    const l = ids[sk(k)]!;
    if (l.length === 0 || r.int(8) === 0) return `${r.int(ms[sk(k)]! + 3)}-${r.int(3)}`;
    return r.pick(l);
  };
  const anyId = (k: string): string => {
    const x = r.int(20);
    if (x === 0) return 'bad';
    if (x === 1) return '-';
    if (x === 2) return '+';
    if (x === 3) return String(r.int(50));
    if (x === 4) return '18446744073709551615-18446744073709551615';
    return known(k);
  };
  const bound = (k: string, start: boolean): string => {
    const x = r.int(10);
    if (x === 0) return start ? '-' : '+';
    if (x === 1) return '(' + known(k);
    if (x === 2) return String(r.int(ms[sk(k)]! + 2));
    return known(k);
  };
  const value = () => (r.int(3) === 0 ? String(r.int(100000) - 500) : r.int(10) === 0 ? 'v'.repeat(r.int(300)) : 'v' + r.int(10));
  const consumerFor = (k: string, g: string): string => {
    const cn = r.pick(consumers);
    seq.push(['XGROUP', 'CREATECONSUMER', k, g, cn]);
    return cn;
  };
  for (let i = 0; i < n; i++) {
    const k = key();
    const c = r.int(100);
    if (c < 28) {
      const cmd = ['XADD', k];
      if (r.int(15) === 0) cmd.push('NOMKSTREAM');
      if (r.int(6) === 0) {
        const strat = r.int(2) ? 'MAXLEN' : 'MINID';
        cmd.push(strat);
        const op = r.int(3);
        if (op === 1) cmd.push('~');
        if (op === 2) cmd.push('=');
        cmd.push(strat === 'MAXLEN' ? String(r.int(20)) : known(k));
        if (op === 1 && r.int(3) === 0) cmd.push('LIMIT', String(r.int(10)));
      }
      let id: string;
      const m = sk(k);
      const x = r.int(20);
      if (x === 0) id = known(m);
      else if (x === 1) id = `${ms[m]}-*`;
      else if (x === 2) id = 'bad';
      else if (x === 3) id = String(ms[m]! + 1);
      else {
        ms[m]! += r.int(3);
        id = `${ms[m]}-${r.int(4)}`;
      }
      if (/^\d+-\d+$/.test(id) && k in ids) ids[k]!.push(id);
      cmd.push(id);
      for (const f of r.pick(fieldSets)) cmd.push(f, value());
      if (r.int(30) === 0) cmd.pop();
      seq.push(cmd);
    } else if (c < 35) {
      const cmd = ['XDEL', k];
      const m = 1 + r.int(3);
      for (let j = 0; j < m; j++) cmd.push(r.int(15) ? known(k) : 'bad');
      seq.push(cmd);
    } else if (c < 39) {
      const strat = r.int(2) ? 'MAXLEN' : 'MINID';
      const cmd = ['XTRIM', k, strat];
      const op = r.int(3);
      if (op === 1) cmd.push('~');
      if (op === 2) cmd.push('=');
      cmd.push(strat === 'MAXLEN' ? String(r.int(30)) : known(k));
      if (r.int(5) === 0) cmd.push('LIMIT', String(r.int(5)));
      seq.push(cmd);
    } else if (c < 47) {
      const a = bound(k, true);
      const b = bound(k, false);
      const cmd = r.int(2) ? ['XREVRANGE', k, b, a] : ['XRANGE', k, a, b];
      if (r.int(3) === 0) cmd.push('COUNT', String(r.int(5) - 1));
      seq.push(cmd);
    } else if (c < 50) {
      seq.push(['XLEN', k]);
    } else if (c < 56) {
      const cmd = ['XREAD'];
      if (r.int(3) === 0) cmd.push('COUNT', String(r.int(4)));
      if (r.int(8) === 0) cmd.push('BLOCK', '1');
      cmd.push('STREAMS');
      const ks: string[] = [];
      for (let j = 1 + r.int(2); j > 0; j--) ks.push(r.int(10) ? r.pick(keys) : key());
      cmd.push(...ks);
      for (const kk of ks) cmd.push(r.int(4) === 0 ? '$' : r.int(3) === 0 ? '0' : anyId(kk));
      seq.push(cmd);
    } else if (c < 64) {
      const g = r.pick(groups);
      const sub = r.int(10);
      const start = () => (r.int(3) === 0 ? '$' : r.int(2) ? '0' : known(k));
      if (sub < 4) {
        const cmd = ['XGROUP', 'CREATE', k, g, start()];
        if (r.int(3) === 0) cmd.push('MKSTREAM');
        if (r.int(5) === 0) cmd.push('ENTRIESREAD', String(r.int(6) - 1));
        seq.push(cmd);
      } else if (sub < 6) {
        const cmd = ['XGROUP', 'SETID', k, g, start()];
        if (r.int(3) === 0) cmd.push('ENTRIESREAD', String(r.int(6) - 1));
        seq.push(cmd);
      } else if (sub < 7) seq.push(['XGROUP', 'DESTROY', k, g]);
      else if (sub < 8) seq.push(['XGROUP', 'CREATECONSUMER', k, g, r.pick(consumers)]);
      else seq.push(['XGROUP', 'DELCONSUMER', k, g, r.pick(consumers)]);
    } else if (c < 74) {
      const g = r.pick(groups);
      const cmd = ['XREADGROUP', 'GROUP', g, consumerFor(k, g)];
      if (r.int(3) === 0) cmd.push('COUNT', String(r.int(4)));
      if (r.int(5) === 0) cmd.push('NOACK');
      if (r.int(10) === 0) cmd.push('BLOCK', '1');
      cmd.push('STREAMS', k, r.int(3) === 0 ? (r.int(2) ? '0' : known(k)) : '>');
      seq.push(cmd);
    } else if (c < 79) {
      const cmd = ['XACK', k, r.pick(groups)];
      for (let j = 1 + r.int(3); j > 0; j--) cmd.push(r.int(20) ? known(k) : 'bad');
      seq.push(cmd);
    } else if (c < 83) {
      if (extended && r.int(2)) {
        const cmd = ['XPENDING', k, r.pick(groups)];
        if (r.int(3) === 0) cmd.push('IDLE', String(r.int(3) ? 100000 : 0));
        cmd.push(bound(k, true), bound(k, false), String(r.int(6) - 1));
        if (r.int(2)) cmd.push(r.pick(consumers));
        seq.push(cmd);
      } else seq.push(['XPENDING', k, r.pick(groups)]);
    } else if (c < 88) {
      const g = r.pick(groups);
      const cmd = ['XCLAIM', k, g, consumerFor(k, g), r.int(3) === 0 ? '100000' : '0'];
      for (let j = 1 + r.int(3); j > 0; j--) cmd.push(known(k));
      if (r.int(4) === 0) cmd.push('JUSTID');
      if (r.int(5) === 0) cmd.push('FORCE');
      if (r.int(5) === 0) cmd.push('TIME', '1');
      if (r.int(6) === 0) cmd.push('RETRYCOUNT', String(r.int(5)));
      if (r.int(8) === 0) cmd.push('LASTID', known(k));
      seq.push(cmd);
    } else if (c < 92) {
      const g = r.pick(groups);
      const cmd = ['XAUTOCLAIM', k, g, consumerFor(k, g), r.int(3) === 0 ? '100000' : '0', bound(k, true)];
      if (r.int(2)) cmd.push('COUNT', String(r.int(4)));
      if (r.int(4) === 0) cmd.push('JUSTID');
      seq.push(cmd);
    } else if (c < 97) {
      const x = r.int(4);
      if (x === 0) seq.push(['XINFO', 'GROUPS', k]);
      else if (x === 1) seq.push(['XINFO', 'STREAM', k, 'FULL', 'COUNT', String(r.int(4))]);
      else seq.push(['XINFO', 'STREAM', k]);
    } else seq.push(['XLEN', k]);
  }
  return seq;
}

test('differential: IDs, XADD, XRANGE, errors and wrong types', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seq of ID_AND_RANGE_SEQS) await d.check(seq);
  } finally {
    d.stop();
  }
});

test('differential: macro node boundaries, trimming and radix-tree counts', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seq of nodeLayoutSeqs()) await d.check(seq);
  } finally {
    d.stop();
  }
});

test('differential: consumer groups, XREAD, XREADGROUP, XAUTOCLAIM, XSETID, lag', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seq of GROUP_SEQS) await d.check(seq);
    await d.check(CLAIM_SEQ, { shapeOnly: ['XPENDING'] });
  } finally {
    d.stop();
  }
});

test('differential: seeded random stream commands', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (let seed = 1; seed <= 8; seed++) await d.check(randomStreamSeq(seed, 300));
    for (let seed = 101; seed <= 104; seed++) await d.check(randomStreamSeq(seed, 300, true), { shapeOnly: ['XPENDING'] });
  } finally {
    d.stop();
  }
});
