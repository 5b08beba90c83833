/** The string objects API (test-modules/strings.c): creation, conversion, refcounting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, SimpleString, type Reply } from '../src/index.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('strings'));

function assertInvalid(r: Reply, what: string): void {
  assert.ok(r instanceof ReplyError, `${what}: expected an error, got ${String(r)}`);
  assert.equal(r.message, 'ERR invalid', what);
}

test('CreateString / ReplyWithString round-trips bytes', async () => {
  assert.equal(await engine.call('STR.ECHO', 'x'), 'x');
  assert.equal(await engine.call('STR.ECHO', ''), '');
  const c = engine.client({ buffers: true });
  const bytes = Buffer.from([0, 0xff, 1, 0, 13, 10]);
  assert.deepEqual(await c.call('STR.ECHO', bytes), bytes);
});

test('StringToLongLong: strict string2ll rules', async () => {
  const ok: [string, number | bigint][] = [
    ['0', 0],
    ['123', 123],
    ['-1', -1],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ];
  for (const [s, v] of ok) assert.equal(await engine.call('STR.TOLL', s), v, s);
  const bad = [
    '', '-', '-0', '+1', '01', '00', ' 1', '1 ', '1.0', '123abc', 'abc', '0x10',
    '9223372036854775808', '-9223372036854775809', '12345678901234567890123', '1\u0000',
  ];
  for (const s of bad) assertInvalid(await engine.call('STR.TOLL', s), JSON.stringify(s));
});

test('CreateStringFromLongLong', async () => {
  assert.equal(await engine.call('STR.FROMLL', '0'), '0');
  assert.equal(await engine.call('STR.FROMLL', '-42'), '-42');
  assert.equal(await engine.call('STR.FROMLL', '9223372036854775807'), '9223372036854775807');
  assert.equal(await engine.call('STR.FROMLL', '-9223372036854775808'), '-9223372036854775808');
});

test('StringToULongLong / CreateStringFromULongLong: the server string2ull rules', async () => {
  assert.equal(await engine.call('STR.TOULL', '0'), '0');
  assert.equal(await engine.call('STR.TOULL', '18446744073709551615'), '18446744073709551615');
  assert.equal(await engine.call('STR.TOULL', '9223372036854775808'), '9223372036854775808');
  // Like the server: when the strict form fails, strtoull over the whole text decides.
  assert.equal(await engine.call('STR.TOULL', '+5'), '5');
  assert.equal(await engine.call('STR.TOULL', '007'), '7');
  for (const s of ['', '-1', '-9223372036854775808', '18446744073709551616', '5 ', 'abc', '1.5', '12x']) {
    assertInvalid(await engine.call('STR.TOULL', s), JSON.stringify(s));
  }
});

test('StringToDouble: strict, no spaces, no NaN, no overflow', async () => {
  const ok: [string, string][] = [
    ['1.5', '1.5'],
    ['-2.25', '-2.25'],
    ['10', '10'],
    ['1e3', '1000'],
    ['.5', '0.5'],
    ['+1.5', '1.5'],
    ['-0', '-0'],
    ['inf', 'inf'],
    ['-inf', '-inf'],
    ['3.14', '3.14'],
    ['1e-310', '1e-310'], // subnormal: allowed
  ];
  for (const [s, v] of ok) assert.equal(await engine.call('STR.TODOUBLE', s), v, s);
  for (const s of ['', ' 1', '1 ', 'nan', 'abc', '1.5x', '1e400', '-1e400', '1e-400']) {
    assertInvalid(await engine.call('STR.TODOUBLE', s), JSON.stringify(s));
  }
});

test('CreateStringFromDouble: the server text of doubles', async () => {
  const cases: [string, string][] = [
    ['3.14', '3.14'],
    ['1.5', '1.5'],
    ['10', '10'],
    ['0', '0'],
    ['-0', '-0'],
    ['0.1', '0.1'],
    ['0.30000000000000004', '0.30000000000000004'],
    ['1e300', '1e+300'],
    ['1e21', '1e+21'],
    ['1e17', '100000000000000000'],
    ['4611686018427387904', '4611686018427387904'], // 2^62: still printed as an integer
    ['9223372036854775808', '9223372036854776000'], // 2^63: shortest digits, padded
    ['1e-7', '1e-7'],
    ['1.5e-7', '1.5e-7'],
    ['1.234e-6', '1.234e-6'],
    ['0.0001', '0.0001'],
    ['0.00001', '0.00001'],
    ['0.000123', '0.000123'],
    ['123456.789', '123456.789'],
    ['1234567.125', '1234567.125'],
    ['-2.5', '-2.5'],
    ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['5e-324', '5e-324'],
    ['inf', 'inf'],
    ['-inf', '-inf'],
    ['nan', 'nan'],
  ];
  for (const [s, v] of cases) assert.equal(await engine.call('STR.FMTDOUBLE', s), v, s);
});

test('CreateStringFromLongDouble: human friendly and %.17Lg', async () => {
  const cases: [string, number, string][] = [
    ['3.14', 1, '3.14'],
    ['3.14', 0, '3.14'],
    ['0.1', 1, '0.1'],
    ['2.5', 1, '2.5'],
    ['100', 1, '100'],
    ['100', 0, '100'],
    ['1e20', 1, '100000000000000000000'],
    ['1e20', 0, '1e+20'],
    ['1e-20', 1, '0'],
    ['-1e-20', 1, '0'],
    ['1e-20', 0, '1e-20'],
    ['-0', 1, '0'],
    ['-0', 0, '-0'],
    ['-10.5', 1, '-10.5'],
    ['-10.5', 0, '-10.5'],
    ['inf', 1, 'inf'],
    ['-inf', 0, '-inf'],
    ['nan', 1, 'nan'],
  ];
  for (const [s, h, v] of cases) assert.equal(await engine.call('STR.FMTLD', s, h), v, `${s} human=${h}`);
});

test('StringToLongDouble', async () => {
  assert.equal(await engine.call('STR.TOLD', '1.5'), '1.5');
  assert.equal(await engine.call('STR.TOLD', '-1e100'), '-1e+100');
  assert.equal(await engine.call('STR.TOLD', 'inf'), 'inf');
  for (const s of ['', ' 1', '1 ', 'nan', 'x', '1e5000', '1e-5000']) {
    assertInvalid(await engine.call('STR.TOLD', s), JSON.stringify(s));
  }
});

test('CreateStringPrintf', async () => {
  assert.equal(await engine.call('STR.PRINTF'), 'abc|-42|003.1|1234567890123|z|%|ff');
  const long = await engine.call('STR.PRINTFLONG', 1000);
  assert.equal(long, '0'.repeat(999) + '7');
  assert.equal(await engine.call('STR.PRINTFLONG', 1), '7');
});

test('StringToStreamID / CreateStringFromStreamID', async () => {
  assert.equal(await engine.call('STR.STREAMID', '1-2'), '1-2');
  assert.equal(await engine.call('STR.STREAMID', '5'), '5-0');
  assert.equal(await engine.call('STR.STREAMID', '-'), '0-0');
  assert.equal(await engine.call('STR.STREAMID', '+'), '18446744073709551615-18446744073709551615');
  assert.equal(
    await engine.call('STR.STREAMID', '18446744073709551615-18446744073709551615'),
    '18446744073709551615-18446744073709551615',
  );
  for (const s of ['', '1-2-3', 'a-1', '1-a', '1-', '-1', '1.5', '18446744073709551616-0', '1'.repeat(128)]) {
    assertInvalid(await engine.call('STR.STREAMID', s), JSON.stringify(s));
  }
  assert.equal(await engine.call('STR.MKSTREAMID', '1700000000000', '7'), '1700000000000-7');
  assert.equal(await engine.call('STR.MKSTREAMID', '0', '0'), '0-0');
});

test('StringCompare: bytes, then length, as -1/0/1', async () => {
  assert.equal(await engine.call('STR.COMPARE', 'a', 'b'), -1);
  assert.equal(await engine.call('STR.COMPARE', 'b', 'a'), 1);
  assert.equal(await engine.call('STR.COMPARE', 'abc', 'abc'), 0);
  assert.equal(await engine.call('STR.COMPARE', 'a', 'ab'), -1);
  assert.equal(await engine.call('STR.COMPARE', 'ab', 'a'), 1);
  assert.equal(await engine.call('STR.COMPARE', '', ''), 0);
  assert.equal(await engine.call('STR.COMPARE', 'zzzz', 'zzzzzzzzzz'), -1);
  // bytes compare unsigned: 0xff sorts after 'a'
  assert.equal(await engine.call('STR.COMPARE', Buffer.from([0xff]), 'a'), 1);
  assert.equal(await engine.call('STR.COMPARE', Buffer.from([0]), Buffer.from([0, 0])), -1);
});

test('StringAppendBuffer on a fresh copy; refused on a shared string', async () => {
  assert.equal(await engine.call('STR.APPEND', 'foo', 'bar', '', 'baz'), 'foobarbaz');
  assert.deepEqual(await engine.call('STR.APPENDSHARED', 'x'), [1, 1, 0, 'x!']);
  const grown = await engine.call('STR.GROW', 1000);
  assert.equal(grown, 'x' + '0123456789'.repeat(1000) + 'x0123');
  assert.equal(await engine.call('STR.GROW', 0), 'xx');
  assert.deepEqual(await engine.call('STR.COPY', 'orig'), ['orig!', 'orig']);
});

test('RetainString / HoldString keep argv strings past the command', async () => {
  assert.deepEqual(await engine.call('STR.RETAIN', 'kept-by-retain'), new SimpleString('OK'));
  assert.deepEqual(await engine.call('STR.HOLD', 'kept-by-hold'), new SimpleString('OK'));
  // other commands allocate and free strings in between
  for (let i = 0; i < 50; i++) await engine.call('STR.ECHO', `filler-${i}-${'y'.repeat(i)}`);
  assert.equal(await engine.call('STR.RETAINED'), 'kept-by-retain');
  assert.equal(await engine.call('STR.HELD'), 'kept-by-hold');
  assert.deepEqual(await engine.call('STR.RETAIN', 'second'), new SimpleString('OK'));
  assert.equal(await engine.call('STR.RETAINED'), 'second');
  assert.deepEqual(await engine.call('STR.RELEASE'), new SimpleString('OK'));
  assert.equal(await engine.call('STR.RETAINED'), null);
  assert.equal(await engine.call('STR.HELD'), null);
});

test('AutoMemory: released at the end, retained strings survive and stay appendable', async () => {
  assert.equal(await engine.call('STR.AUTO', 'base'), 'base+kept');
  for (let i = 0; i < 20; i++) await engine.call('STR.ECHO', `filler-${i}`);
  assert.equal(await engine.call('STR.AUTOKEPT'), 'base+kept');
  assert.equal(await engine.call('STR.AUTO', 'again'), 'again+kept');
  assert.equal(await engine.call('STR.AUTOKEPT'), 'again+kept');
  await engine.call('STR.RELEASE');
  assert.equal(await engine.call('STR.AUTOKEPT'), null);
});

test('StringPtrLen: NULL gives the literal; pointers are NUL-terminated', async () => {
  const text = '(NULL string reply referenced in module)';
  assert.deepEqual(await engine.call('STR.PTRLENNULL'), [text, text.length]);
  assert.deepEqual(await engine.call('STR.PTRLEN', 'hello'), [5, 5]);
  assert.deepEqual(await engine.call('STR.PTRLEN', Buffer.from('ab\0cd', 'latin1')), [5, 2]);
});

test('strings are created, retained and freed on module threads without a lock', async () => {
  assert.deepEqual(await engine.call('STR.THREADS', 20000), [1, 1]);
});

test('errors are replies, not exceptions', async () => {
  const e = await engine.call('STR.TOLL', 'x');
  assert.ok(e instanceof ReplyError);
  assert.equal(e.message, 'ERR invalid');
});
