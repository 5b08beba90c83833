/** The Reply APIs (test-modules/replies.c) through the engine: the JS value a RESP2 and a
 *  RESP3 client get, and the exact wire bytes Valkey sends for it (via encodeReply, and via
 *  a RespWriter fed straight from the reply tape). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttributeReply,
  BigNumberReply,
  DoubleReply,
  Engine,
  NULL_ARRAY,
  ReplyError,
  ReplyMap,
  ReplySet,
  RespWriter,
  SimpleString,
  VerbatimString,
  encodeReply,
  type Client,
  type Reply,
} from '../src/index.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('replies'));
const c2 = engine.client();
const c3 = engine.client();
await c3.call('HELLO', '3');
const raw2 = engine.client({ buffers: true });

/** The bytes the engine writes for a command, straight from the reply tape. */
async function wireOf(client: Client, ...args: string[]): Promise<string> {
  const w = new RespWriter(client.proto);
  // the engine takes arguments as byte strings (UTF-8 bytes, one char each)
  await engine.execute(client, args.map((a) => Buffer.from(a, 'utf8').toString('latin1')), w);
  return w.take().toString('latin1');
}

/** Asserts a command's reply for one protocol: the JS value and the wire bytes. */
async function expectReply(client: Client, args: string[], value: Reply, bytes: string): Promise<void> {
  const proto = client.proto;
  const what = `${args.join(' ')} (RESP${proto})`;
  const got = await client.call(...args);
  assert.deepEqual(got, value, what);
  assert.equal(encodeReply(got, proto).toString('latin1'), bytes, `${what}: encodeReply`);
  assert.equal(await wireOf(client, ...args), bytes, `${what}: wire`);
}

async function expectBoth(args: string[], v2: Reply, b2: string, v3: Reply, b3: string): Promise<void> {
  await expectReply(c2, args, v2, b2);
  await expectReply(c3, args, v3, b3);
}

/** Same reply in both protocols. */
async function expectSame(args: string[], v: Reply, b: string): Promise<void> {
  await expectBoth(args, v, b, v, b);
}

test('ReplyWithLongLong', async () => {
  await expectSame(['REPLY.LL', '5'], 5, ':5\r\n');
  await expectSame(['REPLY.LL', '-42'], -42, ':-42\r\n');
  await expectSame(['REPLY.LL', '9223372036854775807'], 9223372036854775807n, ':9223372036854775807\r\n');
  await expectSame(['REPLY.LL', '-9223372036854775808'], -9223372036854775808n, ':-9223372036854775808\r\n');
  await expectSame(['REPLY.LL', '9007199254740991'], 9007199254740991, ':9007199254740991\r\n');
});

test('ReplyWithDouble: RESP3 double, RESP2 bulk string of the same text', async () => {
  const cases: [string, number, string][] = [
    ['1.5', 1.5, '1.5'],
    ['3', 3, '3'],
    ['-0', -0, '-0'],
    ['0.1', 0.1, '0.1'],
    ['1e-7', 1e-7, '1e-7'],
    ['0.000012345678', 0.000012345678, '1.2345678e-5'],
    ['5e18', 5e18, '5e+18'],
    ['inf', Infinity, 'inf'],
    ['-inf', -Infinity, '-inf'],
  ];
  for (const [arg, d, text] of cases) {
    await expectBoth(['REPLY.DOUBLE', arg], text, `$${text.length}\r\n${text}\r\n`, new DoubleReply(d), `,${text}\r\n`);
  }
  await expectReply(c2, ['REPLY.DOUBLE', 'nan'], 'nan', '$3\r\nnan\r\n');
  const nan = await c3.call('REPLY.DOUBLE', 'nan');
  assert.ok(nan instanceof DoubleReply && Number.isNaN(nan.value));
  assert.equal(await wireOf(c3, 'REPLY.DOUBLE', 'nan'), ',nan\r\n');
});

test('ReplyWithLongDouble: human-friendly text, a double in RESP3', async () => {
  const cases: [string, string][] = [
    ['0.1', '0.1'],
    ['1e-17', '0.00000000000000001'],
    ['3', '3'],
    ['-2.5', '-2.5'],
    ['-0', '0'],
    ['1e-18', '0'],
    ['1e20', '100000000000000000000'],
    ['0.3333333333333333333333', '0.33333333333333333'],
    ['inf', 'inf'],
    ['-inf', '-inf'],
  ];
  for (const [arg, text] of cases) {
    const value = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
    await expectBoth(
      ['REPLY.LONGDOUBLE', arg],
      text,
      `$${text.length}\r\n${text}\r\n`,
      new DoubleReply(value, text),
      `,${text}\r\n`,
    );
  }
});

test('ReplyWithSimpleString', async () => {
  await expectSame(['REPLY.SIMPLE', 'hello world'], new SimpleString('hello world'), '+hello world\r\n');
  await expectSame(['REPLY.SIMPLE', 'héllo'], new SimpleString('héllo'), '+h\xc3\xa9llo\r\n');
});

test('ReplyWithError / ReplyWithErrorFormat: "-" + the message as given', async () => {
  const err = (await c2.call('REPLY.ERR', 'ERR custom thing')) as ReplyError;
  assert.ok(err instanceof ReplyError);
  assert.equal(err.code, 'ERR');
  await expectSame(['REPLY.ERR', 'ERR custom thing'], new ReplyError('ERR custom thing'), '-ERR custom thing\r\n');
  await expectSame(['REPLY.ERR', 'WRONGTYPE bad'], new ReplyError('WRONGTYPE bad'), '-WRONGTYPE bad\r\n');
  // no code added: Valkey only provides the '-'
  await expectSame(['REPLY.ERR', 'no code here'], new ReplyError('no code here'), '-no code here\r\n');
  await expectSame(['REPLY.ERR', '-ERR dash'], new ReplyError('-ERR dash'), '--ERR dash\r\n');
  // trailing CR/LF are trimmed, inner ones become spaces
  await expectSame(['REPLY.ERR', 'ERR a\r\nb\nc\r\n'], new ReplyError('ERR a  b c'), '-ERR a  b c\r\n');
  await expectSame(['REPLY.ERR', ''], new ReplyError(''), '-\r\n');
  await expectSame(['REPLY.ERRFMT', 'thing', '42'], new ReplyError('ERR bad thing: 42'), '-ERR bad thing: 42\r\n');
  await expectSame(['REPLY.ERRFMT', 'x\ny', '-1'], new ReplyError('ERR bad x y: -1'), '-ERR bad x y: -1\r\n');
});

test('WrongArity cites the full command name', async () => {
  const msg = "ERR wrong number of arguments for 'reply.arity' command";
  await expectSame(['REPLY.ARITY'], new ReplyError(msg), `-${msg}\r\n`);
  await expectSame(['REPLY.LL'], new ReplyError("ERR wrong number of arguments for 'reply.ll' command"),
    "-ERR wrong number of arguments for 'reply.ll' command\r\n");
  const sub = "ERR wrong number of arguments for 'reply.container|arity' command";
  await expectSame(['REPLY.CONTAINER', 'ARITY'], new ReplyError(sub), `-${sub}\r\n`);
});

test('bulk strings: ReplyWithString, StringBuffer, CString, EmptyString', async () => {
  await expectSame(['REPLY.STRING', 'abc'], 'abc', '$3\r\nabc\r\n');
  await expectSame(['REPLY.STRING', 'héllo'], 'héllo', '$6\r\nh\xc3\xa9llo\r\n');
  await expectSame(['REPLY.BUFFER'], 'a\0b\r\n', '$5\r\na\x00b\r\n\r\n');
  await expectSame(['REPLY.CSTRING', 'xyz'], 'xyz', '$3\r\nxyz\r\n');
  await expectBoth(['REPLY.CSTRINGNULL'], null, '$-1\r\n', null, '_\r\n');
  await expectSame(['REPLY.EMPTYSTRING'], '', '$0\r\n\r\n');
  // binary-safe with a buffers client
  const bytes = Buffer.from([0, 0xff, 0xfe, 13, 10]);
  assert.deepEqual(await raw2.call('REPLY.STRING', bytes), bytes);
  const w = new RespWriter(2);
  await engine.execute(raw2, ['REPLY.STRING', bytes.toString('latin1')], w);
  assert.equal(w.take().toString('latin1'), '$5\r\n\x00\xff\xfe\r\n\r\n');
});

test('null, null array, empty array, booleans', async () => {
  await expectBoth(['REPLY.NULL'], null, '$-1\r\n', null, '_\r\n');
  await expectBoth(['REPLY.NULLARRAY'], NULL_ARRAY, '*-1\r\n', null, '_\r\n');
  await expectSame(['REPLY.EMPTY'], [], '*0\r\n');
  await expectBoth(['REPLY.BOOL', '1'], 1, ':1\r\n', true, '#t\r\n');
  await expectBoth(['REPLY.BOOL', '0'], 0, ':0\r\n', false, '#f\r\n');
});

test('ReplyWithBigNumber', async () => {
  const digits = '1234567890123456789012345678901234567890';
  await expectBoth(['REPLY.BIGNUM', digits], digits, `$40\r\n${digits}\r\n`,
    new BigNumberReply(BigInt(digits)), `(${digits}\r\n`);
  // not validated, sent as given
  await expectBoth(['REPLY.BIGNUM', '12x'], '12x', '$3\r\n12x\r\n', BigNumberReply.fromText('12x'), '(12x\r\n');
});

test('ReplyWithVerbatimString / ReplyWithVerbatimStringType', async () => {
  await expectBoth(['REPLY.VERBATIM', 'hello'], 'hello', '$5\r\nhello\r\n',
    new VerbatimString('txt', 'hello'), '=9\r\ntxt:hello\r\n');
  await expectBoth(['REPLY.VERBATIMTYPE', '# title', 'mkd'], '# title', '$7\r\n# title\r\n',
    new VerbatimString('mkd', '# title'), '=11\r\nmkd:# title\r\n');
  // a type shorter than 3 characters is padded with spaces
  await expectBoth(['REPLY.VERBATIMTYPE', 'x', 'md'], 'x', '$1\r\nx\r\n',
    new VerbatimString('md ', 'x'), '=5\r\nmd :x\r\n');
});

test('arrays, maps and sets', async () => {
  await expectBoth(['REPLY.ARRAY'],
    [1, 'two', ['3.5', null]], '*3\r\n:1\r\n$3\r\ntwo\r\n*2\r\n$3\r\n3.5\r\n$-1\r\n',
    [1, 'two', [new DoubleReply(3.5), null]], '*3\r\n:1\r\n$3\r\ntwo\r\n*2\r\n,3.5\r\n_\r\n');
  await expectBoth(['REPLY.MAP'],
    ['a', 1, 'b', '2.5'], '*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$3\r\n2.5\r\n',
    new ReplyMap([['a', 1], ['b', new DoubleReply(2.5)]]), '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n,2.5\r\n');
  await expectBoth(['REPLY.SET'],
    ['x', 'y', 'z'], '*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n',
    new ReplySet(['x', 'y', 'z']), '~3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n');
});

test('postponed lengths are filled LIFO', async () => {
  await expectSame(['REPLY.POSTPONED', '1'], [1], '*1\r\n:1\r\n');
  await expectSame(['REPLY.POSTPONED', '3'], [1, [2, [3]]], '*2\r\n:1\r\n*2\r\n:2\r\n*1\r\n:3\r\n');
  let deep: Reply = [64];
  let wire = '*1\r\n:64\r\n';
  for (let i = 63; i >= 1; i--) {
    deep = [i, deep];
    wire = `*2\r\n:${i}\r\n${wire}`;
  }
  await expectSame(['REPLY.POSTPONED', '64'], deep, wire);
  await expectBoth(['REPLY.POSTPONEDMAP', '3'],
    ['k0', 0, 'k1', 1, 'k2', 2], '*6\r\n$2\r\nk0\r\n:0\r\n$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n:2\r\n',
    new ReplyMap([['k0', 0], ['k1', 1], ['k2', 2]]), '%3\r\n$2\r\nk0\r\n:0\r\n$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n:2\r\n');
  await expectBoth(['REPLY.POSTPONEDMAP', '0'], [], '*0\r\n', new ReplyMap(), '%0\r\n');
  await expectBoth(['REPLY.POSTPONEDSET', '2'], [0, 1], '*2\r\n:0\r\n:1\r\n', new ReplySet([0, 1]), '~2\r\n:0\r\n:1\r\n');
  // a big postponed reply
  const n = 10_000;
  const big = (await c3.call('REPLY.POSTPONEDMAP', String(n))) as ReplyMap;
  assert.equal(big.size, n);
  assert.equal(big.get(`k${n - 1}`), n - 1);
});

test('ReplyWithAttribute: ERR in RESP2, a prefix in RESP3', async () => {
  await expectBoth(['REPLY.ATTRIBUTE'],
    1, ':1\r\n',
    new AttributeReply(new ReplyMap([['meta', 42]]), 0), '|1\r\n$4\r\nmeta\r\n:42\r\n:0\r\n');
  const before = engine.logger.lines().length;
  await expectBoth(['REPLY.ATTRPOSTPONED'],
    ['value'], '*1\r\n$5\r\nvalue\r\n',
    [new AttributeReply(new ReplyMap([['a', 1], ['b', 2]]), 'value')],
    '*1\r\n|2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n$5\r\nvalue\r\n');
  const misuse = engine.logger.lines().slice(before).filter((l) => l.includes('API misuse'));
  assert.deepEqual(misuse, [], 'ReplySetAttributeLength in RESP2 is silently ignored');
});

test('API misuse: a postponed length never set, a length set without a postponed reply', async () => {
  let before = engine.logger.lines().length;
  await expectSame(['REPLY.MISUSE'], [1, 2], '*2\r\n:1\r\n:2\r\n');
  let lines = engine.logger.lines().slice(before);
  const unmatched =
    'API misuse detected in module replies: ValkeyModule_ReplyWith*(VALKEYMODULE_POSTPONED_LEN) ' +
    'not matched by the same number of ValkeyModule_SetReply*Len() calls.';
  assert.equal(lines.filter((l) => l === unmatched).length, 4, 'one warning per call (2 clients, value and wire)');

  before = engine.logger.lines().length;
  await expectSame(['REPLY.SETLENGTHALONE'], new SimpleString('OK'), '+OK\r\n');
  lines = engine.logger.lines().slice(before);
  const alone =
    'API misuse detected in module replies: ValkeyModule_ReplySet*Length() called without previous ' +
    'ValkeyModule_ReplyWith*(ctx,VALKEYMODULE_POSTPONED_LEN) call.';
  assert.equal(lines.filter((l) => l === alone).length, 4);
});

test('one of every type in a postponed array', async () => {
  await expectBoth(
    ['REPLY.ALL'],
    [
      new SimpleString('OK'), new ReplyError('ERR inner'), -9223372036854775808n, 'bulk', null, NULL_ARRAY, [], 1,
      '-0.5', '-99999999999999999999', '# t', '0.1', ['k', [7]],
    ],
    '*13\r\n+OK\r\n-ERR inner\r\n:-9223372036854775808\r\n$4\r\nbulk\r\n$-1\r\n*-1\r\n*0\r\n:1\r\n' +
      '$4\r\n-0.5\r\n$21\r\n-99999999999999999999\r\n$3\r\n# t\r\n$3\r\n0.1\r\n*2\r\n$1\r\nk\r\n*1\r\n:7\r\n',
    [
      new SimpleString('OK'), new ReplyError('ERR inner'), -9223372036854775808n, 'bulk', null, null, [], true,
      new DoubleReply(-0.5), new BigNumberReply(-99999999999999999999n), new VerbatimString('mkd', '# t'),
      new DoubleReply(0.1, '0.1'), new ReplyMap([['k', new ReplySet([7])]]),
    ],
    '*13\r\n+OK\r\n-ERR inner\r\n:-9223372036854775808\r\n$4\r\nbulk\r\n_\r\n_\r\n*0\r\n#t\r\n' +
      ',-0.5\r\n(-99999999999999999999\r\n=7\r\nmkd:# t\r\n,0.1\r\n%1\r\n$1\r\nk\r\n~1\r\n:7\r\n',
  );
});
