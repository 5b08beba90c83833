/** The reply layer without any module: encodeReply, RespWriter, ValueWriter, the tape
 *  decoder and Valkey's double text, with exact bytes for RESP2 and RESP3. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttributeReply,
  BigNumberReply,
  DoubleReply,
  NULL_ARRAY,
  NullArray,
  PushReply,
  ReplyError,
  ReplyMap,
  ReplySet,
  SimpleString,
  VerbatimString,
  type Reply,
} from '../src/protocol/reply.js';
import { RespWriter, encodeReply, formatDouble } from '../src/protocol/resp-writer.js';
import { ValueWriter, replayResp } from '../src/protocol/value-writer.js';
import type { ReplyWriter } from '../src/protocol/writer.js';
import { decodeTape } from '../src/modules/tape.js';

/** The wire bytes as a readable latin1 string. */
function wire(r: Reply, proto: 2 | 3): string {
  return encodeReply(r, proto).toString('latin1');
}

function both(r: Reply, resp2: string, resp3: string): void {
  assert.equal(wire(r, 2), resp2, `RESP2 of ${String(r)}`);
  assert.equal(wire(r, 3), resp3, `RESP3 of ${String(r)}`);
}

test('encodeReply: strings, buffers and integers', () => {
  both('abc', '$3\r\nabc\r\n', '$3\r\nabc\r\n');
  both('', '$0\r\n\r\n', '$0\r\n\r\n');
  both('é', '$2\r\n\xc3\xa9\r\n', '$2\r\n\xc3\xa9\r\n'); // UTF-8 bytes
  both(Buffer.from([0, 0xff, 13, 10]), '$4\r\n\x00\xff\r\n\r\n', '$4\r\n\x00\xff\r\n\r\n');
  both(5, ':5\r\n', ':5\r\n');
  both(0, ':0\r\n', ':0\r\n');
  both(-1234567, ':-1234567\r\n', ':-1234567\r\n');
  both(Number.MAX_SAFE_INTEGER, ':9007199254740991\r\n', ':9007199254740991\r\n');
  both(9223372036854775807n, ':9223372036854775807\r\n', ':9223372036854775807\r\n');
  both(-9223372036854775808n, ':-9223372036854775808\r\n', ':-9223372036854775808\r\n');
  both(2 ** 60, ':1152921504606846976\r\n', ':1152921504606846976\r\n');
});

test('encodeReply: non-integer numbers are doubles', () => {
  both(1.5, '$3\r\n1.5\r\n', ',1.5\r\n');
  both(Infinity, '$3\r\ninf\r\n', ',inf\r\n');
  both(-Infinity, '$4\r\n-inf\r\n', ',-inf\r\n');
  both(NaN, '$3\r\nnan\r\n', ',nan\r\n');
});

test('encodeReply: null, null array, booleans, simple strings, errors', () => {
  both(null, '$-1\r\n', '_\r\n');
  both(NULL_ARRAY, '*-1\r\n', '_\r\n');
  both(true, ':1\r\n', '#t\r\n');
  both(false, ':0\r\n', '#f\r\n');
  both(new SimpleString('OK'), '+OK\r\n', '+OK\r\n');
  both(new ReplyError('ERR bad thing'), '-ERR bad thing\r\n', '-ERR bad thing\r\n');
  both(new ReplyError('ERR a\r\nb\nc'), '-ERR a  b c\r\n', '-ERR a  b c\r\n');
  both(new ReplyError('-ERR dash'), '--ERR dash\r\n', '--ERR dash\r\n');
});

test('encodeReply: RESP3 types and their RESP2 fallbacks', () => {
  both(new DoubleReply(1.5), '$3\r\n1.5\r\n', ',1.5\r\n');
  both(new DoubleReply(3), '$1\r\n3\r\n', ',3\r\n');
  both(new DoubleReply(-0), '$2\r\n-0\r\n', ',-0\r\n');
  both(new DoubleReply(1e-17, '0.00000000000000001'), '$19\r\n0.00000000000000001\r\n', ',0.00000000000000001\r\n');
  both(new BigNumberReply(1234567890123456789012345678901234567890n),
    '$40\r\n1234567890123456789012345678901234567890\r\n', '(1234567890123456789012345678901234567890\r\n');
  both(BigNumberReply.fromText('-17'), '$3\r\n-17\r\n', '(-17\r\n');
  both(new VerbatimString('txt', 'abcd'), '$4\r\nabcd\r\n', '=8\r\ntxt:abcd\r\n');
  both(new VerbatimString('mkd', 'é'), '$2\r\n\xc3\xa9\r\n', '=6\r\nmkd:\xc3\xa9\r\n');
  const map = new ReplyMap([['a', 1], ['b', new DoubleReply(2.5)]]);
  both(map, '*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$3\r\n2.5\r\n', '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n,2.5\r\n');
  both(new ReplyMap(), '*0\r\n', '%0\r\n');
  const set = new ReplySet(['x', 'y']);
  both(set, '*2\r\n$1\r\nx\r\n$1\r\ny\r\n', '~2\r\n$1\r\nx\r\n$1\r\ny\r\n');
  both(new PushReply(['message', 'ch', 'hi']),
    '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
  const attr = new AttributeReply(new ReplyMap([['ttl', 100]]), [1, 2]);
  // RESP2 has no attributes: only the annotated reply goes out
  both(attr, '*2\r\n:1\r\n:2\r\n', '|1\r\n$3\r\nttl\r\n:100\r\n*2\r\n:1\r\n:2\r\n');
});

test('encodeReply: nested aggregates', () => {
  const r: Reply = [1, [2, [3, []]], new ReplyMap([['k', [null, true]]])];
  both(r,
    '*3\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n*0\r\n*2\r\n$1\r\nk\r\n*2\r\n$-1\r\n:1\r\n',
    '*3\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n*0\r\n%1\r\n$1\r\nk\r\n*2\r\n_\r\n#t\r\n');
});

test("formatDouble: Valkey's d2string text", () => {
  const cases: [number, string][] = [
    [1.5, '1.5'],
    [0.1, '0.1'],
    [-0.25, '-0.25'],
    [3, '3'],
    [-3, '-3'],
    [0, '0'],
    [-0, '-0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [1 / 3, '0.3333333333333333'],
    [Math.PI, '3.141592653589793'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [1.5e-7, '1.5e-7'],
    [0.000012345678, '1.2345678e-5'], // JS: 0.000012345678
    [1234.5678901, '1234.5678901'],
    [12345.678901234567, '1.2345678901234567e+4'], // JS: 12345.678901234567
    [2 ** 53 + 2, '9007199254740994'],
    [2 ** 62, '4611686018427387904'], // every digit, like ll2string (JS: 4611686018427388000)
    [-(2 ** 62), '-4611686018427387904'],
    [2 ** 63, '9223372036854776000'], // beyond 2^62: Grisu digits, zero-padded
    [5e18, '5e+18'], // JS: 5000000000000000000
    [1e21, '1e+21'],
    [123456789012345680000, '123456789012345680000'],
    [1e100, '1e+100'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
    [5e-324, '5e-324'],
    // Grisu2 is not always the shortest or the closest: Valkey sends these digits
    [6.87079235275456e298, '6.8707923527545595e+298'],
    [9.372784500327326e-91, '9.372784500327325e-91'],
    [7.954661928013328e34, '7.9546619280133275e+34'],
  ];
  for (const [d, text] of cases) assert.equal(formatDouble(d), text, String(d));
});

/** Writes one of everything through a ReplyWriter. */
function writeSample(w: ReplyWriter): void {
  w.array(12);
  w.simple('OK');
  w.error('ERR x');
  w.integer(42);
  w.bulk('b\xe9'); // bytes 62 e9 (not UTF-8)
  w.null();
  w.nullArray();
  w.map(1);
  w.bulk('k');
  w.double(1.5);
  w.set(2);
  w.bool(true);
  w.bool(false);
  w.push(1);
  w.bigNumber('12345678901234567890');
  w.verbatim('txt', 'hi');
  w.attribute(1);
  w.bulk('a');
  w.integer(1);
  w.integer(7);
  w.doubleText('0.1');
}

test('RespWriter: one of everything, RESP2 and RESP3', () => {
  const w2 = new RespWriter(2);
  writeSample(w2);
  assert.equal(
    w2.take().toString('latin1'),
    '*12\r\n+OK\r\n-ERR x\r\n:42\r\n$2\r\nb\xe9\r\n$-1\r\n*-1\r\n*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n' +
      '*2\r\n:1\r\n:0\r\n*1\r\n$20\r\n12345678901234567890\r\n$2\r\nhi\r\n|1\r\n$1\r\na\r\n:1\r\n:7\r\n$3\r\n0.1\r\n',
  );
  assert.equal(w2.take().length, 0, 'take() resets');
  const w3 = new RespWriter(3);
  writeSample(w3);
  assert.equal(
    w3.take().toString('latin1'),
    '*12\r\n+OK\r\n-ERR x\r\n:42\r\n$2\r\nb\xe9\r\n_\r\n_\r\n%1\r\n$1\r\nk\r\n,1.5\r\n' +
      '~2\r\n#t\r\n#f\r\n>1\r\n(12345678901234567890\r\n=6\r\ntxt:hi\r\n|1\r\n$1\r\na\r\n:1\r\n:7\r\n,0.1\r\n',
  );
});

test('RespWriter: grows past its initial buffer and hands large output over', () => {
  const w = new RespWriter(2, 64);
  const big = 'x'.repeat(100_000);
  w.array(3);
  w.bulk(big);
  w.integer(-9007199254740991);
  w.integer(123456789012345678901234567890n);
  const out = w.take();
  assert.equal(out.length, 4 + 9 + 100_000 + 2 + 20 + 33);
  assert.equal(out.subarray(0, 13).toString('latin1'), '*3\r\n$100000\r\n');
  assert.equal(out.subarray(out.length - 53).toString('latin1'), ':-9007199254740991\r\n:123456789012345678901234567890\r\n');
  w.simple('OK');
  assert.equal(w.take().toString(), '+OK\r\n');
});

test('ValueWriter: one of everything in RESP2', () => {
  const w = new ValueWriter(2);
  writeSample(w);
  assert.deepEqual(w.take(), [
    new SimpleString('OK'),
    new ReplyError('ERR x'),
    42,
    'b\ufffd', // not valid UTF-8: decoded with a replacement character
    null,
    NULL_ARRAY,
    ['k', '1.5'],
    [1, 0],
    ['12345678901234567890'],
    'hi',
    new AttributeReply(new ReplyMap([['a', 1]]), 7),
    '0.1',
  ]);
});

test('ValueWriter: one of everything in RESP3', () => {
  const w = new ValueWriter(3);
  writeSample(w);
  const r = w.take() as Reply[];
  assert.deepEqual(r, [
    new SimpleString('OK'),
    new ReplyError('ERR x'),
    42,
    'b\ufffd',
    null,
    null,
    new ReplyMap([['k', new DoubleReply(1.5)]]),
    new ReplySet([true, false]),
    new PushReply([new BigNumberReply(12345678901234567890n)]),
    new VerbatimString('txt', 'hi'),
    new AttributeReply(new ReplyMap([['a', 1]]), 7),
    new DoubleReply(0.1, '0.1'),
  ]);
  assert.ok(r[1] instanceof ReplyError && r[1].code === 'ERR');
  assert.equal(w.take(), null, 'take() resets');
});

test('ValueWriter: buffers mode, integers, nesting, empty aggregates', () => {
  const w = new ValueWriter(3, { buffers: true });
  w.array(2);
  w.bulk('\x00\xff');
  w.bulk(Buffer.from('z'));
  assert.deepEqual(w.take(), [Buffer.from([0, 0xff]), Buffer.from('z')]);

  const v = new ValueWriter(2);
  v.integer(5n);
  assert.equal(v.take(), 5);
  v.integer(2n ** 60n);
  assert.equal(v.take(), 2n ** 60n);
  v.bulk('caf\xc3\xa9'); // UTF-8 bytes of "café"
  assert.equal(v.take(), 'café');

  v.array(3);
  v.array(0);
  v.map(0);
  v.array(2);
  v.array(1);
  v.set(0);
  v.integer(9);
  assert.deepEqual(v.take(), [[], [], [[[]], 9]]);

  const m = new ValueWriter(3);
  m.map(2);
  m.bulk('a');
  m.attribute(0);
  m.array(1);
  m.integer(1);
  m.bulk('b');
  m.map(1);
  m.bulk('c');
  m.null();
  const out = m.take();
  assert.ok(out instanceof ReplyMap);
  assert.deepEqual(out.get('a'), new AttributeReply(new ReplyMap(), [1]));
  assert.deepEqual(out.get('b'), new ReplyMap([['c', null]]));
  assert.ok(NULL_ARRAY instanceof NullArray);
});

test('ValueWriter: several top-level replies, truncated aggregates', () => {
  const w = new ValueWriter(2);
  w.integer(1);
  w.integer(2);
  assert.deepEqual(w.takeAll(), [1, 2]);
  w.array(3);
  w.integer(1);
  assert.deepEqual(w.take(), [1], 'an aggregate left open is closed with what it got');
});

test('replayResp feeds encoded RESP back into a writer', () => {
  const src: Reply = [
    new SimpleString('OK'), new ReplyError('ERR e'), -7, 'txt', null, true, new DoubleReply(2.5),
    new ReplyMap([['k', 'v']]), new ReplySet([1]), new BigNumberReply(10n),
    new VerbatimString('txt', 'abcd'), new PushReply([1]), 9223372036854775807n,
  ];
  const w = new ValueWriter(3);
  replayResp(encodeReply(src, 3), w);
  assert.deepEqual(w.take(), [
    new SimpleString('OK'), new ReplyError('ERR e'), -7, 'txt', null, true, new DoubleReply(2.5, '2.5'),
    new ReplyMap([['k', 'v']]), new ReplySet([1]), new BigNumberReply(10n, '10'),
    new VerbatimString('txt', 'abcd'), new PushReply([1]), 9223372036854775807n,
  ]);
  const w2 = new ValueWriter(2);
  w2.raw(encodeReply([NULL_ARRAY, null], 2));
  assert.deepEqual(w2.take(), [NULL_ARRAY, null]);
});

/** Builds a native-layout reply tape (tape.h) for the decoder. */
class TapeBuilder {
  private parts: Buffer[] = [];
  private u32(n: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  }
  rec(type: string, ...rest: Buffer[]): this {
    this.parts.push(Buffer.from(type, 'latin1'), ...rest);
    return this;
  }
  str(type: string, s: string): this {
    const bytes = Buffer.from(s, 'latin1');
    return this.rec(type, this.u32(bytes.length), bytes);
  }
  agg(type: string, n: number): this {
    return this.rec(type, this.u32(n));
  }
  int(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(v);
    return this.rec('i', b);
  }
  dbl(d: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(d);
    return this.rec(',', b);
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

test('decodeTape: every record type, both protocols', () => {
  const t = new TapeBuilder()
    .agg('*', 15)
    .int(5n)
    .int(-1n)
    .int(9223372036854775807n)
    .int(-9007199254740992n)
    .str('+', 'OK')
    .str('-', 'ERR no')
    .str('$', 'b\x00\xff')
    .rec('_')
    .rec('N')
    .agg('%', 1)
    .str('$', 'k')
    .dbl(-2.5)
    .agg('~', 1)
    .rec('#', Buffer.from([1]))
    .str('(', '123')
    .rec('=', Buffer.from('txt'), Buffer.from([2, 0, 0, 0]), Buffer.from('hi'))
    .agg('|', 1)
    .str('$', 'a')
    .int(1n)
    .str(';', '0.00000000000000001')
    .agg('>', 0)
    .str('R', ':77\r\n')
    .build();
  const pad = Buffer.concat([Buffer.from('junk'), t, Buffer.from('junk')]);

  const v3 = new ValueWriter(3, { buffers: true });
  decodeTape(pad, 4, 4 + t.length, v3);
  assert.deepEqual(v3.take(), [
    5, -1, 9223372036854775807n, -9007199254740992n,
    new SimpleString('OK'), new ReplyError('ERR no'), Buffer.from([0x62, 0, 0xff]), null, null,
    new ReplyMap([[Buffer.from('k'), new DoubleReply(-2.5)]]),
    new ReplySet([true]), new BigNumberReply(123n), new VerbatimString('txt', 'hi'),
    new AttributeReply(new ReplyMap([[Buffer.from('a'), 1]]), new DoubleReply(1e-17, '0.00000000000000001')),
    new PushReply([]),
  ]);

  const r2 = new RespWriter(2);
  decodeTape(t, 0, t.length, r2);
  assert.equal(
    r2.take().toString('latin1'),
    '*15\r\n:5\r\n:-1\r\n:9223372036854775807\r\n:-9007199254740992\r\n+OK\r\n-ERR no\r\n$3\r\nb\x00\xff\r\n' +
      '$-1\r\n*-1\r\n*2\r\n$1\r\nk\r\n$4\r\n-2.5\r\n*1\r\n:1\r\n$3\r\n123\r\n$2\r\nhi\r\n' +
      '|1\r\n$1\r\na\r\n:1\r\n$19\r\n0.00000000000000001\r\n*0\r\n:77\r\n',
  );
  const r3 = new RespWriter(3);
  decodeTape(t, 0, t.length, r3);
  assert.equal(
    r3.take().toString('latin1'),
    '*15\r\n:5\r\n:-1\r\n:9223372036854775807\r\n:-9007199254740992\r\n+OK\r\n-ERR no\r\n$3\r\nb\x00\xff\r\n' +
      '_\r\n_\r\n%1\r\n$1\r\nk\r\n,-2.5\r\n~1\r\n#t\r\n(123\r\n=6\r\ntxt:hi\r\n' +
      '|1\r\n$1\r\na\r\n:1\r\n,0.00000000000000001\r\n>0\r\n:77\r\n',
  );
});

test('decodeTape rejects a corrupt tape', () => {
  assert.throws(() => decodeTape(Buffer.from('Q'), 0, 1, new ValueWriter(2)), /corrupt reply tape/);
  const cut = new TapeBuilder().str('$', 'hello').build();
  assert.throws(() => decodeTape(cut, 0, cut.length - 2, new ValueWriter(2)), /corrupt reply tape/);
});
