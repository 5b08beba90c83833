/** Generic keyspace commands: DEL ... SORT, glob matching, keyspace events and differential runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, SimpleString, type Reply } from '../src/index.js';
import { compileGlob, globMatch } from '../src/engine/glob.js';
import { DiffSession, prng } from './diff/runner.js';
import { RedisOracle, type RawClient } from './oracle.js';
import { RespWriter } from '../src/index.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';
const OK = new SimpleString('OK');

function assertError(r: Reply, message: string): void {
  assert.ok(r instanceof ReplyError, `expected error ${message}, got ${String(r)}`);
  assert.equal(r.message, message);
}

function events(e: Engine): string[] {
  const out: string[] = [];
  e.onKeyspaceEvent((ev) => {
    if (ev.event !== 'keymiss' && ev.event !== 'new') out.push(`${ev.db}:${ev.event}:${ev.key}`);
  });
  return out;
}

const notInt = 'ERR value is not an integer or out of range';
const syntax = 'ERR syntax error';
const wrongType = 'WRONGTYPE Operation against a key holding the wrong kind of value';

// ---- glob ---------------------------------------------------------------------------------------

test('globMatch: Valkey stringmatchlen rules', () => {
  const yes: [string, string][] = [
    ['*', 'anything'],
    ['h?llo', 'hello'],
    ['h*llo', 'hllo'],
    ['h*llo', 'heeeello'],
    ['h[ae]llo', 'hallo'],
    ['h[^e]llo', 'hallo'],
    ['h[a-b]llo', 'hbllo'],
    ['h[b-a]llo', 'hallo'], // reversed range
    ['h\\*llo', 'h*llo'],
    ['h[\\]]llo', 'h]llo'],
    ['**a**', 'xxa'],
    ['[abc', 'a'], // unterminated set
    ['\\', '\\'], // lone backslash is literal
    ['a\\', 'a\\'],
    ['[a-]', 'a'],
  ];
  for (const [p, s] of yes) assert.ok(globMatch(p, s), `${p} ~ ${s}`);
  const no: [string, string][] = [
    ['h?llo', 'hllo'],
    ['h[ae]llo', 'hillo'],
    ['h[^e]llo', 'hello'],
    ['h[a-b]llo', 'hcllo'],
    ['h\\*llo', 'hello'],
    ['*a', 'b'],
    ['?', ''],
    ['', 'a'],
    ['a*b*c', 'abd'],
  ];
  for (const [p, s] of no) assert.ok(!globMatch(p, s), `${p} !~ ${s}`);
  // As in Valkey, a pattern never matches the empty string (KEYS * has its own fast path).
  assert.ok(!globMatch('*', ''));
  assert.ok(globMatch('HELLO', 'hello', true));
  assert.ok(globMatch('h[A-C]llo', 'hbllo', true));
  assert.ok(!globMatch('HELLO', 'hello', false));
  // High bytes compare as signed chars: \x80-\xff sort below ASCII in ranges.
  assert.ok(globMatch('[\x80-a]', '\x90'));
  assert.ok(!globMatch('[a-\xff]', 'b'));
  // The compiled fast paths agree with the general matcher.
  const subjects = ['', 'a', 'ab', 'ba', 'abc', 'k', 'k1', 'xk', '*', 'a*b'];
  for (const p of ['', 'a', 'ab', '*', '**', 'a*', 'a**', '*b', '**b', 'k*', '*k', 'a*b', '\\*', 'a?']) {
    const m = compileGlob(p);
    for (const s of subjects) assert.equal(m(s), globMatch(p, s), `${p} / ${s}`);
  }
  // Abusive patterns are cut off rather than taking exponential time.
  assert.ok(!globMatch('a*'.repeat(2000) + 'b', 'a'.repeat(3000)));
});

// ---- DEL EXISTS TYPE KEYS RANDOMKEY -------------------------------------------------------------------

test('DEL, UNLINK, EXISTS, TYPE with events and dirty', async () => {
  const e = new Engine();
  const ev = events(e);
  await e.call('SET', 'a', '1');
  await e.call('SET', 'b', '2');
  await e.call('RPUSH', 'l', 'x');
  assert.equal(await e.call('EXISTS', 'a', 'b', 'nokey', 'a'), 3);
  assert.deepEqual(await e.call('TYPE', 'a'), new SimpleString('string'));
  assert.deepEqual(await e.call('TYPE', 'l'), new SimpleString('list'));
  assert.deepEqual(await e.call('TYPE', 'nokey'), new SimpleString('none'));
  const dirty = e.dirty;
  assert.equal(await e.call('DEL', 'a', 'nokey', 'a'), 1);
  assert.equal(await e.call('UNLINK', 'b', 'l'), 2);
  assert.equal(e.dirty, dirty + 3);
  assert.equal(await e.call('EXISTS', 'a', 'b', 'l'), 0);
  assert.deepEqual(ev.filter((x) => x.includes(':del:')), ['0:del:a', '0:del:b', '0:del:l']);
  assertError(await e.call('DEL'), "ERR wrong number of arguments for 'del' command");
  assertError(await e.call('TYPE', 'a', 'b'), "ERR wrong number of arguments for 'type' command");
  e.close();
});

test('EXISTS counts hits and misses without touching LRU', async () => {
  const e = new Engine();
  await e.call('SET', 'a', '1');
  const h = e.stats.keyspace_hits;
  const m = e.stats.keyspace_misses;
  await e.call('EXISTS', 'a', 'b');
  assert.equal(e.stats.keyspace_hits, h + 1);
  assert.equal(e.stats.keyspace_misses, m + 1);
  e.close();
});

test('KEYS and RANDOMKEY', async () => {
  const e = new Engine();
  assert.deepEqual(await e.call('KEYS', '*'), []);
  assert.equal(await e.call('RANDOMKEY'), null);
  for (const k of ['hello', 'hallo', 'hxllo', 'hllo', 'foo']) await e.call('SET', k, 'v');
  assert.deepEqual(((await e.call('KEYS', 'h?llo')) as string[]).sort(), ['hallo', 'hello', 'hxllo']);
  assert.deepEqual(((await e.call('KEYS', 'h[ae]llo')) as string[]).sort(), ['hallo', 'hello']);
  assert.deepEqual(((await e.call('KEYS', '*')) as string[]).length, 5);
  await e.call('PEXPIRE', 'foo', 1);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(await e.call('KEYS', 'f*'), []);
  const k = await e.call('RANDOMKEY');
  assert.ok(typeof k === 'string' && k.startsWith('h'));
  e.close();
});

// ---- SCAN ---------------------------------------------------------------------------------------

test('SCAN: full iteration, MATCH, TYPE, COUNT and errors', async () => {
  const e = new Engine();
  for (let i = 0; i < 100; i++) await e.call('SET', `k${i}`, 'v');
  for (let i = 0; i < 10; i++) await e.call('RPUSH', `l${i}`, 'v');
  const all = new Set<string>();
  let cursor = '0';
  let rounds = 0;
  do {
    const r = (await e.call('SCAN', cursor, 'COUNT', 7)) as [string, string[]];
    cursor = r[0];
    for (const k of r[1]) all.add(k);
    rounds++;
  } while (cursor !== '0');
  assert.equal(all.size, 110);
  assert.ok(rounds > 10);
  const lists = new Set<string>();
  cursor = '0';
  do {
    const r = (await e.call('SCAN', cursor, 'TYPE', 'LIST', 'MATCH', 'l*')) as [string, string[]];
    cursor = r[0];
    for (const k of r[1]) lists.add(k);
  } while (cursor !== '0');
  assert.equal(lists.size, 10);
  assertError(await e.call('SCAN', '0', 'TYPE', 'nosuchtype'), "ERR unknown type name 'nosuchtype'");
  const zsets = (await e.call('SCAN', '0', 'TYPE', 'ZSET', 'COUNT', 1000)) as [string, string[]];
  assert.deepEqual(zsets, ['0', []]);
  for (const bad of ['-1', '', 'abc', '1.5', '18446744073709551616', ' x']) {
    assertError(await e.call('SCAN', bad), 'ERR invalid cursor');
  }
  // string2ull accepts what strtoull accepts once string2ll fails.
  assert.ok(Array.isArray(await e.call('SCAN', '18446744073709551615')));
  assert.ok(Array.isArray(await e.call('SCAN', '+0')));
  assertError(await e.call('SCAN', '0', 'COUNT', '0'), syntax);
  assertError(await e.call('SCAN', '0', 'COUNT', 'x'), notInt);
  assertError(await e.call('SCAN', '0', 'MATCH'), syntax);
  assertError(await e.call('SCAN', '0', 'BOGUS', 'x'), syntax);
  e.close();
});

// ---- RENAME COPY MOVE ---------------------------------------------------------------------------

test('RENAME and RENAMENX', async () => {
  const e = new Engine();
  const ev = events(e);
  assertError(await e.call('RENAME', 'a', 'b'), 'ERR no such key');
  assertError(await e.call('RENAMENX', 'a', 'b'), 'ERR no such key');
  assertError(await e.call('RENAME', 'a', 'a'), 'ERR no such key');
  await e.call('SET', 'a', '1');
  assert.deepEqual(await e.call('RENAME', 'a', 'a'), OK);
  assert.equal(await e.call('RENAMENX', 'a', 'a'), 0);
  await e.call('PEXPIRE', 'a', 100000);
  assert.deepEqual(await e.call('RENAME', 'a', 'b'), OK);
  assert.equal(await e.call('EXISTS', 'a'), 0);
  assert.ok(((await e.call('PTTL', 'b')) as number) > 99000);
  await e.call('SET', 'c', '3');
  assert.equal(await e.call('RENAMENX', 'b', 'c'), 0);
  assert.equal(await e.call('GET', 'c'), '3');
  // Overwriting drops the destination's TTL, keeps the source's (none here).
  await e.call('PEXPIRE', 'c', 100000);
  await e.call('SET', 'd', '4');
  assert.deepEqual(await e.call('RENAME', 'd', 'c'), OK);
  assert.equal(await e.call('PTTL', 'c'), -1);
  assert.equal(await e.call('RENAMENX', 'c', 'z'), 1);
  assert.deepEqual(
    ev.filter((x) => x.includes('rename')),
    ['0:rename_from:a', '0:rename_to:b', '0:rename_from:d', '0:rename_to:c', '0:rename_from:c', '0:rename_to:z'],
  );
  e.close();
});

test("RENAME, COPY REPLACE and MOVE add the destination afresh ('new' event)", async () => {
  const e = new Engine({ databases: 2 });
  const seen: string[] = [];
  e.onKeyspaceEvent((ev) => seen.push(`${ev.db}:${ev.event}:${ev.key}`));
  await e.call('SET', 'a', '1');
  await e.call('SET', 'b', '2');
  seen.length = 0;
  await e.call('RENAME', 'a', 'b');
  assert.deepEqual(seen, ['0:new:b', '0:rename_from:a', '0:rename_to:b']);
  seen.length = 0;
  await e.call('SET', 'c', '3');
  seen.length = 0;
  await e.call('COPY', 'b', 'c', 'REPLACE');
  assert.deepEqual(seen, ['0:new:c', '0:copy_to:c']);
  seen.length = 0;
  await e.call('MOVE', 'c', '1');
  assert.deepEqual(seen, ['1:new:c', '0:move_from:c', '1:move_to:c']);
  e.close();
});

test('COPY: options, errors, deep copies', async () => {
  const e = new Engine({ databases: 4 });
  const ev = events(e);
  assert.equal(await e.call('COPY', 'a', 'b'), 0);
  await e.call('SET', 'a', 'v');
  assertError(await e.call('COPY', 'a', 'a'), 'ERR source and destination objects are the same');
  assertError(await e.call('COPY', 'a', 'b', 'DB', 'x'), notInt);
  assertError(await e.call('COPY', 'a', 'b', 'DB', '4'), 'ERR DB index is out of range');
  assertError(await e.call('COPY', 'a', 'b', 'DB', '-1'), 'ERR DB index is out of range');
  assertError(await e.call('COPY', 'a', 'b', 'DB', '99999999999'), notInt);
  assertError(await e.call('COPY', 'a', 'b', 'BOGUS'), syntax);
  assertError(await e.call('COPY', 'a', 'b', 'DB'), syntax);
  assert.equal(await e.call('COPY', 'a', 'a', 'DB', '1'), 1);
  assert.equal(await e.call('COPY', 'a', 'b'), 1);
  assert.equal(await e.call('COPY', 'a', 'b'), 0);
  await e.call('SET', 'a', 'v2');
  await e.call('PEXPIRE', 'a', 100000);
  assert.equal(await e.call('COPY', 'a', 'b', 'REPLACE'), 1);
  assert.equal(await e.call('GET', 'b'), 'v2');
  assert.ok(((await e.call('PTTL', 'b')) as number) > 99000);
  // Aggregates are deep copies.
  await e.call('RPUSH', 'l', 'a', 'b');
  await e.call('COPY', 'l', 'l2');
  await e.call('RPUSH', 'l2', 'c');
  assert.deepEqual(await e.call('LRANGE', 'l', 0, -1), ['a', 'b']);
  assert.deepEqual(await e.call('LRANGE', 'l2', 0, -1), ['a', 'b', 'c']);
  await e.call('ZADD', 'z', 1, 'a', 2, 'b');
  await e.call('COPY', 'z', 'z2');
  await e.call('ZADD', 'z2', 3, 'c');
  assert.equal(await e.call('ZCARD', 'z'), 2);
  assert.equal(await e.call('ZCARD', 'z2'), 3);
  await e.call('XADD', 's', '1-1', 'f', 'v');
  await e.call('COPY', 's', 's2');
  await e.call('XADD', 's2', '2-1', 'f', 'v');
  assert.equal(await e.call('XLEN', 's'), 1);
  assert.equal(await e.call('XLEN', 's2'), 2);
  assert.deepEqual(
    ev.filter((x) => x.includes('copy_to')),
    ['1:copy_to:a', '0:copy_to:b', '0:copy_to:b', '0:copy_to:l2', '0:copy_to:z2', '0:copy_to:s2'],
  );
  e.close();
});

test('COPY deep-copies hashes and sets', async (t) => {
  const e = new Engine();
  if (!e.commands.has('hset') || !e.commands.has('sadd')) {
    t.skip('HSET/SADD not available yet');
    e.close();
    return;
  }
  await e.call('HSET', 'h', 'f', 'v');
  await e.call('COPY', 'h', 'h2');
  await e.call('HSET', 'h2', 'g', 'w');
  assert.equal(await e.call('HLEN', 'h'), 1);
  assert.equal(await e.call('HLEN', 'h2'), 2);
  await e.call('SADD', 's', 'a');
  await e.call('COPY', 's', 's2');
  await e.call('SADD', 's2', 'b');
  assert.equal(await e.call('SCARD', 's'), 1);
  assert.equal(await e.call('SCARD', 's2'), 2);
  e.close();
});

test('MOVE', async () => {
  const e = new Engine({ databases: 4 });
  const ev = events(e);
  assertError(await e.call('MOVE', 'a', 'x'), notInt);
  assertError(await e.call('MOVE', 'a', '4'), 'ERR DB index is out of range');
  assertError(await e.call('MOVE', 'a', '0'), 'ERR source and destination objects are the same');
  assert.equal(await e.call('MOVE', 'a', '1'), 0);
  await e.call('SET', 'a', 'v');
  await e.call('PEXPIRE', 'a', 100000);
  assert.equal(await e.call('MOVE', 'a', '1'), 1);
  assert.equal(await e.call('EXISTS', 'a'), 0);
  const c = e.client();
  await c.call('SELECT', '1');
  assert.equal(await c.call('GET', 'a'), 'v');
  assert.ok(((await c.call('PTTL', 'a')) as number) > 99000);
  await e.call('SET', 'a', 'other');
  assert.equal(await e.call('MOVE', 'a', '1'), 0);
  assert.deepEqual(ev.filter((x) => x.includes('move')), ['0:move_from:a', '1:move_to:a']);
  e.close();
});

// ---- EXPIRE family ------------------------------------------------------------------------------

test('EXPIRE family: options, errors, past times', async () => {
  const e = new Engine();
  const ev = events(e);
  await e.call('SET', 'k', 'v');
  assert.equal(await e.call('EXPIRE', 'nokey', 10), 0);
  assertError(await e.call('EXPIRE', 'k', 'x'), notInt);
  assertError(await e.call('EXPIRE', 'k', 10, 'NX', 'XX'), 'ERR NX and XX, GT or LT options at the same time are not compatible');
  assertError(await e.call('EXPIRE', 'k', 10, 'NX', 'GT'), 'ERR NX and XX, GT or LT options at the same time are not compatible');
  assertError(await e.call('EXPIRE', 'k', 10, 'GT', 'LT'), 'ERR GT and LT options at the same time are not compatible');
  assertError(await e.call('EXPIRE', 'k', 10, 'bogus'), 'ERR Unsupported option bogus');
  assertError(await e.call('EXPIRE', 'k', '9223372036854775807'), "ERR invalid expire time in 'expire' command");
  assertError(await e.call('EXPIRE', 'k', '-9223372036854775807'), "ERR invalid expire time in 'expire' command");
  assertError(await e.call('PEXPIRE', 'k', '9223372036854775807'), "ERR invalid expire time in 'pexpire' command");
  assertError(await e.call('EXPIREAT', 'k', '9223372036854775807'), "ERR invalid expire time in 'expireat' command");
  assert.equal(await e.call('TTL', 'k'), -1);
  assert.equal(await e.call('EXPIRETIME', 'k'), -1);
  assert.equal(await e.call('EXPIRE', 'k', 100, 'XX'), 0);
  assert.equal(await e.call('EXPIRE', 'k', 100, 'GT'), 0);
  assert.equal(await e.call('EXPIRE', 'k', 100, 'LT'), 1);
  assert.equal(await e.call('TTL', 'k'), 100);
  assert.equal(await e.call('EXPIRE', 'k', 200, 'NX'), 0);
  assert.equal(await e.call('EXPIRE', 'k', 50, 'GT'), 0);
  assert.equal(await e.call('EXPIRE', 'k', 200, 'GT', 'XX'), 1);
  assert.equal(await e.call('EXPIRE', 'k', 300, 'LT'), 0);
  assert.equal(await e.call('PEXPIREAT', 'k', 4102444800000), 1);
  assert.equal(await e.call('PEXPIRETIME', 'k'), 4102444800000);
  assert.equal(await e.call('EXPIRETIME', 'k'), 4102444800);
  assert.equal(await e.call('EXPIREAT', 'k', 4102444801), 1);
  assert.equal(await e.call('PEXPIRETIME', 'k'), 4102444801000);
  assert.equal(await e.call('TTL', 'nokey'), -2);
  assert.equal(await e.call('PTTL', 'nokey'), -2);
  assert.equal(await e.call('EXPIRETIME', 'nokey'), -2);
  assert.equal(await e.call('PERSIST', 'k'), 1);
  assert.equal(await e.call('PERSIST', 'k'), 0);
  assert.equal(await e.call('PERSIST', 'nokey'), 0);
  // A time in the past deletes the key and fires 'del'.
  const dirty = e.dirty;
  assert.equal(await e.call('EXPIRE', 'k', -1), 1);
  assert.equal(e.dirty, dirty + 1);
  assert.equal(await e.call('EXISTS', 'k'), 0);
  await e.call('SET', 'k2', 'v');
  assert.equal(await e.call('PEXPIREAT', 'k2', 1), 1);
  assert.equal(await e.call('EXISTS', 'k2'), 0);
  // LT on a key without TTL always sets; GT never does.
  await e.call('SET', 'k3', 'v');
  assert.equal(await e.call('EXPIRE', 'k3', 1000, 'GT'), 0);
  assert.equal(await e.call('EXPIRE', 'k3', 1000, 'LT'), 1);
  assert.deepEqual(
    ev.filter((x) => /:(expire|persist|del):/.test(x)),
    [
      '0:expire:k', '0:expire:k', '0:expire:k', '0:expire:k', '0:persist:k', '0:del:k', '0:del:k2', '0:expire:k3',
    ],
  );
  e.close();
});

test('TTL rounding and lazy expiry', async () => {
  const e = new Engine();
  await e.call('SET', 'k', 'v');
  await e.call('PEXPIRE', 'k', 1499);
  assert.equal(await e.call('TTL', 'k'), 1);
  await e.call('PEXPIRE', 'k', 1501);
  assert.equal(await e.call('TTL', 'k'), 2);
  await e.call('PEXPIRE', 'k', 20);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(await e.call('TTL', 'k'), -2);
  e.close();
});

test('TOUCH and OBJECT', async () => {
  const e = new Engine();
  await e.call('SET', 'a', '1');
  await e.call('SET', 'b', 'x'.repeat(44));
  await e.call('SET', 'c', 'x'.repeat(45));
  await e.call('SET', 'n', '12345');
  await e.call('RPUSH', 'l', 'x');
  assert.equal(await e.call('TOUCH', 'a', 'b', 'nokey'), 2);
  assert.equal(await e.call('OBJECT', 'ENCODING', 'a'), 'int');
  assert.equal(await e.call('OBJECT', 'encoding', 'b'), 'embstr');
  assert.equal(await e.call('OBJECT', 'ENCODING', 'c'), 'raw');
  assert.equal(await e.call('OBJECT', 'ENCODING', 'l'), 'listpack');
  assert.equal(await e.call('OBJECT', 'ENCODING', 'nokey'), null);
  assert.equal(await e.call('OBJECT', 'REFCOUNT', 'a'), 2147483647);
  assert.equal(await e.call('OBJECT', 'REFCOUNT', 'n'), 1);
  assert.equal(await e.call('OBJECT', 'REFCOUNT', 'c'), 1);
  assert.ok(((await e.call('OBJECT', 'IDLETIME', 'a')) as number) <= 1);
  assert.equal(await e.call('OBJECT', 'IDLETIME', 'nokey'), null);
  assertError(
    await e.call('OBJECT', 'FREQ', 'a'),
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  );
  assert.equal(await e.call('OBJECT', 'FREQ', 'nokey'), null);
  await e.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu');
  // a key created under an LFU policy starts at LFU_INIT_VAL (older keys keep their LRU word)
  await e.call('SET', 'lfu-new', 'v');
  assert.equal(await e.call('OBJECT', 'FREQ', 'lfu-new'), 5);
  assertError(
    await e.call('OBJECT', 'IDLETIME', 'a'),
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  );
  await e.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
  await e.call('CONFIG', 'SET', 'maxmemory', '1gb');
  assert.equal(await e.call('OBJECT', 'REFCOUNT', 'a'), 1);
  const help = (await e.call('OBJECT', 'HELP')) as SimpleString[];
  assert.equal(help.length, 15);
  assert.equal(String(help[0]), 'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  assertError(await e.call('OBJECT', 'NOPE'), "ERR unknown subcommand 'NOPE'. Try OBJECT HELP.");
  assertError(await e.call('OBJECT', 'ENCODING'), "ERR wrong number of arguments for 'object|encoding' command");
  e.close();
});

// ---- SORT ---------------------------------------------------------------------------------------

test('SORT: numeric, ALPHA, LIMIT, BY, GET, STORE', async () => {
  const e = new Engine();
  const ev = events(e);
  await e.call('RPUSH', 'l', '3', '1', '2', '10');
  assert.deepEqual(await e.call('SORT', 'l'), ['1', '2', '3', '10']);
  assert.deepEqual(await e.call('SORT', 'l', 'DESC'), ['10', '3', '2', '1']);
  assert.deepEqual(await e.call('SORT', 'l', 'ALPHA'), ['1', '10', '2', '3']);
  assert.deepEqual(await e.call('SORT', 'l', 'LIMIT', 1, 2), ['2', '3']);
  assert.deepEqual(await e.call('SORT', 'l', 'LIMIT', 10, 2), []);
  assert.deepEqual(await e.call('SORT', 'l', 'LIMIT', -5, -1), ['1', '2', '3', '10']);
  assert.deepEqual(await e.call('SORT', 'l', 'BY', 'nosort'), ['3', '1', '2', '10']);
  assert.deepEqual(await e.call('SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2), ['2', '1']);
  for (const [k, w] of [['1', '40'], ['2', '30'], ['3', '20'], ['10', '10']]) await e.call('SET', `w_${k}`, w);
  await e.call('SET', 'o_1', 'one');
  assert.deepEqual(await e.call('SORT', 'l', 'BY', 'w_*'), ['10', '3', '2', '1']);
  assert.deepEqual(await e.call('SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'o_*'), ['10', null, '3', null, '2', null, '1', 'one']);
  assert.deepEqual(await e.call('SORT', 'l', 'GET', 'nostar'), [null, null, null, null]);
  assert.equal(await e.call('SORT', 'l', 'STORE', 'dst'), 4);
  assert.deepEqual(await e.call('LRANGE', 'dst', 0, -1), ['1', '2', '3', '10']);
  assert.equal(await e.call('SORT', 'l', 'GET', 'o_*', 'STORE', 'dst'), 4);
  assert.deepEqual(await e.call('LRANGE', 'dst', 0, -1), ['one', '', '', '']);
  assert.equal(await e.call('SORT', 'nokey', 'STORE', 'dst'), 0);
  assert.equal(await e.call('EXISTS', 'dst'), 0);
  assert.deepEqual(ev.filter((x) => x.includes('dst')), ['0:sortstore:dst', '0:sortstore:dst', '0:del:dst']);
  await e.call('RPUSH', 'bad', '1', 'x');
  assertError(await e.call('SORT', 'bad'), "ERR One or more scores can't be converted into double");
  assert.deepEqual(await e.call('SORT', 'bad', 'ALPHA'), ['1', 'x']);
  await e.call('SET', 'str', 'v');
  assertError(await e.call('SORT', 'str'), wrongType);
  assertError(await e.call('SORT', 'l', 'LIMIT', 'x', 1), notInt);
  assertError(await e.call('SORT', 'l', 'LIMIT', 1), syntax);
  assertError(await e.call('SORT', 'l', 'BOGUS'), syntax);
  assertError(await e.call('SORT_RO', 'l', 'STORE', 'x'), syntax);
  assert.deepEqual(await e.call('SORT_RO', 'l', 'DESC'), ['10', '3', '2', '1']);
  // Sorted sets: BY nosort keeps score order and honours LIMIT both ways.
  await e.call('ZADD', 'z', 1, 'c', 2, 'b', 3, 'a');
  assert.deepEqual(await e.call('SORT', 'z', 'BY', 'nosort'), ['c', 'b', 'a']);
  assert.deepEqual(await e.call('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 5), ['b', 'c']);
  assert.deepEqual(await e.call('SORT', 'z', 'ALPHA'), ['a', 'b', 'c']);
  e.close();
});

test('SORT BY hash fields', async (t) => {
  const e = new Engine();
  if (!e.commands.has('hset')) {
    t.skip('HSET not available yet');
    e.close();
    return;
  }
  await e.call('RPUSH', 'l', 'a', 'b', 'c');
  await e.call('HSET', 'h_a', 'w', '3', 'n', 'A');
  await e.call('HSET', 'h_b', 'w', '1', 'n', 'B');
  await e.call('HSET', 'h_c', 'w', '2');
  assert.deepEqual(await e.call('SORT', 'l', 'BY', 'h_*->w', 'GET', 'h_*->n'), ['B', null, 'A']);
  e.close();
});

test('WAIT', async () => {
  const e = new Engine();
  assert.equal(await e.call('WAIT', 0, 0), 0);
  const t0 = Date.now();
  assert.equal(await e.call('WAIT', 1, 20), 0);
  assert.ok(Date.now() - t0 >= 15);
  assertError(await e.call('WAIT', 'x', 0), notInt);
  assertError(await e.call('WAIT', 0, 'x'), 'ERR timeout is not an integer or out of range');
  assertError(await e.call('WAIT', 0, -1), 'ERR timeout is negative');
  e.close();
});

// ---- differential -------------------------------------------------------------------------------

test('differential: DEL EXISTS TYPE KEYS RENAME COPY MOVE', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['RPUSH', 'l', 'x', 'y'],
      ['ZADD', 'z', '1', 'm'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['EXISTS', 'a', 'b', 'c', 'a'],
      ['TYPE', 'a'],
      ['TYPE', 'l'],
      ['TYPE', 'z'],
      ['TYPE', 's'],
      ['TYPE', 'nokey'],
      ['DEL', 'a', 'c'],
      ['UNLINK', 'b', 'b'],
      ['DEL'],
      ['RENAME', 'nokey', 'x'],
      ['RENAME', 'nokey', 'nokey'],
      ['RENAMENX', 'nokey', 'x'],
      ['RENAME', 'l', 'l'],
      ['RENAMENX', 'l', 'l'],
      ['RENAME', 'l', 'l2'],
      ['LRANGE', 'l2', '0', '-1'],
      ['RENAMENX', 'l2', 'z'],
      ['RENAMENX', 'l2', 'l3'],
      ['RENAME', 'l3', 'z'],
      ['TYPE', 'z'],
      ['COPY', 'z', 'z'],
      ['COPY', 'z', 'z2'],
      ['COPY', 'z', 'z2'],
      ['COPY', 'z', 'z2', 'REPLACE'],
      ['COPY', 'z', 'z2', 'DB'],
      ['COPY', 'z', 'z2', 'DB', 'x'],
      ['COPY', 'z', 'z2', 'DB', '16'],
      ['COPY', 'z', 'z2', 'DB', '-1'],
      ['COPY', 'z', 'z2', 'REPLACE', 'BOGUS'],
      ['COPY', 'z', 'z', 'DB', '1'],
      ['COPY', 'nokey', 'x'],
      ['COPY', 's', 's2'],
      ['XADD', 's2', '2-1', 'g', 'w'],
      ['XRANGE', 's', '-', '+'],
      ['XRANGE', 's2', '-', '+'],
      ['MOVE', 'z2', '1'],
      ['MOVE', 'z2', '1'],
      ['MOVE', 'z2', '0'],
      ['MOVE', 'z2', 'x'],
      ['MOVE', 'z2', '16'],
      ['MOVE', 's', '1'],
      ['SET', 's', 'again'],
      ['MOVE', 's', '1'],
      ['SELECT', '1'],
      ['LRANGE', 'z', '0', '-1'],
      ['XLEN', 's'],
      ['EXISTS', 'z2'],
      ['SELECT', '0'],
      ['GET', 's'],
    ]);
    await d.check(
      [
        ['SET', 'hello', '1'],
        ['SET', 'hallo', '1'],
        ['SET', 'hxllo', '1'],
        ['SET', 'hllo', '1'],
        ['SET', 'heeello', '1'],
        ['SET', 'h*llo', '1'],
        ['SET', 'h\\llo', '1'],
        ['SET', 'a[b', '1'],
        ['SET', 'x-y', '1'],
        ['SET', '', '1'],
        ['SET', Buffer.from([0xc3, 0xa9, 0x80, 0xff]), '1'],
        ['KEYS', '*'],
        ['KEYS', 'h?llo'],
        ['KEYS', 'h*llo'],
        ['KEYS', 'h[ae]llo'],
        ['KEYS', 'h[^e]llo'],
        ['KEYS', 'h[a-b]llo'],
        ['KEYS', 'h[b-a]llo'],
        ['KEYS', 'h\\*llo'],
        ['KEYS', 'h\\\\llo'],
        ['KEYS', 'a[[]b'],
        ['KEYS', 'a\\[b'],
        ['KEYS', '[a-'],
        ['KEYS', '[a'],
        ['KEYS', '*['],
        ['KEYS', '\\'],
        ['KEYS', ''],
        ['KEYS', '?'],
        ['KEYS', '*-*'],
        ['KEYS', '[\\]]'],
        ['KEYS', Buffer.from([0x5b, 0x80, 0x2d, 0x61, 0x5d, 0x2a])],
        ['KEYS', Buffer.from([0x5b, 0x61, 0x2d, 0xff, 0x5d, 0x2a])],
        ['KEYS', 'H*'],
        ['KEYS', '**o'],
        ['KEYS', 'h*l*o*'],
        ['KEYS', '**'],
      ],
      { unordered: ['KEYS'] },
    );
  } finally {
    d.stop();
  }
});

test('differential: EXPIRE family, PERSIST, TOUCH, OBJECT, RANDOMKEY, WAIT', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check(
      [
        ['RANDOMKEY'],
        ['SET', 'k', 'v'],
        ['RANDOMKEY'],
        ['EXPIRE', 'nokey', '10'],
        ['EXPIRE', 'k', 'x'],
        ['EXPIRE', 'k', '10', 'NX', 'XX'],
        ['EXPIRE', 'k', '10', 'XX', 'NX'],
        ['EXPIRE', 'k', '10', 'NX', 'LT'],
        ['EXPIRE', 'k', '10', 'GT', 'LT'],
        ['EXPIRE', 'k', '10', 'bogus'],
        ['EXPIRE', 'k', 'x', 'bogus'],
        ['EXPIRE', 'k', '9223372036854775807'],
        ['EXPIRE', 'k', '-9223372036854775808'],
        ['EXPIRE', 'k', '9223372036854775'],
        ['PEXPIRE', 'k', '9223372036854775807'],
        ['EXPIREAT', 'k', '9223372036854775807'],
        ['PEXPIREAT', 'k', '9223372036854775807'],
        ['EXPIRETIME', 'k'],
        ['PEXPIRETIME', 'k'],
        ['EXPIRE', 'k', '100', 'XX'],
        ['EXPIRE', 'k', '99', 'GT'],
        ['EXPIRE', 'k', '200', 'LT'],
        ['TTL', 'k'],
        ['EXPIRE', 'k', '100', 'NX'],
        ['EXPIRE', 'k', '50', 'GT'],
        ['EXPIRE', 'k', '500', 'gt', 'xx'],
        ['TTL', 'k'],
        ['EXPIRE', 'k', '1000', 'LT'],
        ['PEXPIREAT', 'k', '4102444800123'],
        ['PEXPIRETIME', 'k'],
        ['EXPIRETIME', 'k'],
        ['EXPIREAT', 'k', '4102444801'],
        ['PEXPIRETIME', 'k'],
        ['EXPIREAT', 'k', '4102444800', 'GT'],
        ['EXPIREAT', 'k', '4102444800', 'LT'],
        ['EXPIRETIME', 'k'],
        ['PERSIST', 'k'],
        ['PERSIST', 'k'],
        ['PERSIST', 'nokey'],
        ['TTL', 'k'],
        ['TTL', 'nokey'],
        ['PTTL', 'nokey'],
        ['EXPIRETIME', 'nokey'],
        ['PEXPIRETIME', 'nokey'],
        ['EXPIRE', 'k', '-1'],
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['EXPIREAT', 'k', '1'],
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['PEXPIRE', 'k', '0'],
        ['EXISTS', 'k'],
        ['SET', 'k', 'v'],
        ['EXPIRE', 'k', '-10', 'LT'],
        ['EXISTS', 'k'],
        ['SET', 'a', '1'],
        ['SET', 'b', 'x'],
        ['TOUCH', 'a', 'b', 'nokey'],
        ['TOUCH'],
        ['OBJECT', 'REFCOUNT', 'a'],
        ['OBJECT', 'REFCOUNT', 'b'],
        ['OBJECT', 'REFCOUNT', 'nokey'],
        ['OBJECT', 'IDLETIME', 'nokey'],
        ['OBJECT', 'FREQ', 'a'],
        ['OBJECT', 'FREQ', 'nokey'],
        ['OBJECT', 'HELP'],
        ['OBJECT', 'HELP', 'x'],
        ['OBJECT', 'ENCODING'],
        ['OBJECT', 'BOGUS', 'a'],
        ['OBJECT'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
        ['SET', 'fresh', 'v'],
        ['OBJECT', 'FREQ', 'fresh'],
        ['OBJECT', 'IDLETIME', 'fresh'],
        ['OBJECT', 'FREQ', 'nokey'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
        ['WAIT', '0', '0'],
        ['WAIT', '1', '5'],
        ['WAIT', 'x', '0'],
        ['WAIT', '0', 'x'],
        ['WAIT', '0', '-1'],
      ],
      { shapeOnly: ['RANDOMKEY'] },
    );
  } finally {
    d.stop();
  }
});

test('differential: SORT and SORT_RO', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['RPUSH', 'l', '3', '1', '2', '10', '-5', '2.5', '1e1', ' 7', ''],
      ['SORT', 'l'],
      ['SORT', 'l', 'DESC'],
      ['SORT', 'l', 'ALPHA'],
      ['SORT', 'l', 'ALPHA', 'DESC'],
      ['SORT', 'l', 'LIMIT', '1', '3'],
      ['SORT', 'l', 'LIMIT', '-1', '3'],
      ['SORT', 'l', 'LIMIT', '1', '-1'],
      ['SORT', 'l', 'LIMIT', '100', '3'],
      ['SORT', 'l', 'LIMIT', '0', '0'],
      ['SORT', 'l', 'LIMIT', 'x', '0'],
      ['SORT', 'l', 'LIMIT', '0', 'x'],
      ['SORT', 'l', 'LIMIT', '0'],
      ['SORT', 'l', 'BY', 'nosort'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '2', '3'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '2', '3'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '20', '3'],
      ['SET', 'w_3', '1'],
      ['SET', 'w_1', '5'],
      ['SET', 'w_2', '3'],
      ['SET', 'w_10', '2'],
      ['SET', 'o_3', 'three'],
      ['SET', 'o_1', 'one'],
      ['SORT', 'l', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'w_*', 'DESC'],
      ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '1', '2'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'o_*'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'o_*', 'LIMIT', '0', '2'],
      ['SORT', 'l', 'BY', 'w_*', 'ALPHA'],
      ['SORT', 'l', 'BY', 'o_*', 'ALPHA'],
      ['SORT', 'l', 'GET', 'nostar'],
      ['SORT', 'l', 'GET'],
      ['SORT', 'l', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'o_*', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'nokey'],
      ['SORT', 'nokey', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'dst'],
      ['SORT', 'o_1'],
      ['SORT', 'l', 'BOGUS'],
      ['SORT_RO', 'l'],
      ['SORT_RO', 'l', 'STORE', 'x'],
      ['SORT_RO', 'l', 'BY', 'w_*', 'DESC', 'GET', 'o_*'],
      ['RPUSH', 'bad', '1', 'abc', '3'],
      ['SORT', 'bad'],
      ['SORT', 'bad', 'ALPHA'],
      ['SORT', 'bad', 'BY', 'nosort'],
      ['RPUSH', 'nan', '1', 'nan'],
      ['SORT', 'nan'],
      ['RPUSH', 'inf', 'inf', '-inf', '1', '0x10', '1e400'],
      ['SORT', 'inf', 'LIMIT', '0', '3'],
      ['ZADD', 'z', '1', 'c', '2', 'b', '3', 'a', '4', '10', '5', '9'],
      ['SORT', 'z', 'BY', 'nosort'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '4', '10'],
      ['SORT', 'z', 'ALPHA'],
      ['SORT', 'z', 'ALPHA', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'z'],
      ['SORT', 'z', 'BY', 'nosort', 'STORE', 'zs'],
      ['LRANGE', 'zs', '0', '-1'],
    ]);
  } finally {
    d.stop();
  }
});

test('differential: SORT over sets and hashes', { skip }, async (t) => {
  const probe = new Engine();
  const ready = probe.commands.has('sadd') && probe.commands.has('hset');
  probe.close();
  if (!ready) return t.skip('SADD/HSET not available yet');
  const d = await DiffSession.start();
  try {
    await d.check([
      ['SADD', 's', '5', '3', '1', '4'],
      ['SORT', 's'],
      ['SORT', 's', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 's', 'BY', 'nosort', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SADD', 't', 'b', 'a', 'c'],
      ['SORT', 't', 'ALPHA'],
      ['SORT', 't', 'BY', 'nosort', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['HSET', 'h_a', 'w', '3', 'n', 'A'],
      ['HSET', 'h_b', 'w', '1', 'n', 'B'],
      ['HSET', 'h_c', 'w', '2'],
      ['SORT', 't', 'BY', 'h_*->w', 'GET', 'h_*->n', 'GET', '#'],
      ['SORT', 't', 'BY', 'h_*->n', 'ALPHA'],
      ['SORT', 't', 'BY', 'h_*->', 'GET', 'h_*->'],
      ['SORT', 't', 'BY', 'h_*->w', 'GET', 'h_*->n', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'h_a'],
    ]);
  } finally {
    d.stop();
  }
});

/** Keys of a SCAN reply: [cursor, [keys...]] in RESP2 bytes. */
function parseScan(buf: Buffer): { cursor: string; keys: string[] } {
  const s = buf.toString('latin1');
  let p = 0;
  const line = () => {
    const e = s.indexOf('\r\n', p);
    const l = s.slice(p, e);
    p = e + 2;
    return l;
  };
  const bulk = () => {
    const n = Number(line().slice(1));
    const v = s.slice(p, p + n);
    p += n + 2;
    return v;
  };
  assert.equal(line(), '*2', s);
  const cursor = bulk();
  const n = Number(line().slice(1));
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(bulk());
  return { cursor, keys };
}

async function scanAll(run: (args: string[]) => Promise<Buffer>, extra: string[]): Promise<string[]> {
  const all = new Set<string>();
  let cursor = '0';
  for (let guard = 0; guard < 100000; guard++) {
    const r = parseScan(await run(['SCAN', cursor, ...extra]));
    for (const k of r.keys) all.add(k);
    cursor = r.cursor;
    if (cursor === '0') break;
  }
  return [...all].sort();
}

test('differential: SCAN returns the same keys over a full iteration', { skip }, async () => {
  const oracle = await RedisOracle.start();
  let raw: RawClient | undefined;
  const engine = new Engine();
  try {
    raw = await oracle.client();
    const client = engine.client();
    const both = async (args: (string | Buffer)[]) => {
      await raw!.send(...args);
      const w = new RespWriter(2);
      const done = engine.execute(client, args.map((a) => (typeof a === 'string' ? a : a.toString('latin1'))), w);
      if (done) await done;
      return w.take();
    };
    await both(['FLUSHALL']);
    const r = prng(11);
    for (let i = 0; i < 600; i++) {
      const k = `${r.pick(['user', 'item', 'cart'])}:${i}`;
      if (r.int(3) === 0) await both(['RPUSH', k, 'x']);
      else await both(['SET', k, 'v']);
    }
    const ours = (args: string[]) => {
      const w = new RespWriter(2);
      engine.execute(client, args, w);
      return Promise.resolve(w.take());
    };
    const theirs = (args: string[]) => raw!.send(...args);
    for (const extra of [[], ['COUNT', '3'], ['MATCH', 'user:*'], ['MATCH', 'item:1*', 'COUNT', '50'], ['TYPE', 'list'], ['TYPE', 'string', 'MATCH', '*:5*'], ['TYPE', 'zset']]) {
      assert.deepEqual(await scanAll(ours, extra), await scanAll(theirs, extra), JSON.stringify(extra));
    }
    // Errors compare byte for byte.
    for (const args of [['SCAN', 'x'], ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'MATCH'], ['SCAN', '0', 'FOO', 'bar'], ['SCAN', '18446744073709551616']]) {
      assert.equal((await ours(args)).toString('latin1'), (await theirs(args)).toString('latin1'), JSON.stringify(args));
    }
  } finally {
    raw?.close();
    oracle.stop();
    engine.close();
  }
});

test('differential: SCAN errors where Valkey is stricter than Redis 7.0', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    // Valkey parses the cursor with string2ull and refuses unknown TYPE names (exceptions.ts).
    await d.check([
      ['SET', 'k', 'v'],
      ['SCAN', '-1'],
      ['SCAN', ''],
      ['SCAN', '-18446744073709551615'],
      ['SCAN', '0', 'TYPE', 'nosuchtype'],
      ['SCAN', '0', 'type', 'Bogus', 'COUNT', '5'],
      ['SCAN', '0', 'COUNT', '0', 'TYPE', 'nosuchtype'],
      ['SCAN', '0', 'TYPE', 'zset'],
    ]);
  } finally {
    d.stop();
  }
});

test('differential: random generic command mix', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (const seed of [101, 202, 303]) {
      const r = prng(seed);
      const keys = ['a', 'b', 'c', 'l1', 'l2', 'z1', 'w_1', 'w_2', 'w_3'];
      const num = () => r.pick(['0', '1', '2', '3', '-1', '10', 'x', '100', '1.5', '']);
      const seq: string[][] = [];
      for (let i = 0; i < 300; i++) {
        const k = r.pick(keys);
        const k2 = r.pick(keys);
        switch (r.int(20)) {
          case 0: seq.push(['SET', k, num()]); break;
          case 1: seq.push(['RPUSH', k, num(), num(), num()]); break;
          case 2: seq.push(['ZADD', k, String(r.int(5)), r.pick(['1', '2', '3', 'x', 'y'])]); break;
          case 3: seq.push([r.pick(['DEL', 'UNLINK', 'EXISTS', 'TOUCH']), k, k2]); break;
          case 4: seq.push(['TYPE', k]); break;
          case 5: seq.push([r.pick(['RENAME', 'RENAMENX']), k, k2]); break;
          case 6: seq.push(['COPY', k, k2, ...r.pick([[], ['REPLACE'], ['DB', '1'], ['DB', 'x'], ['DB', '0', 'REPLACE']])]); break;
          case 7: seq.push(['MOVE', k, r.pick(['0', '1', '2', 'x', '99'])]); break;
          // Relative times move with the clock: GT/LT only with absolute times (exact on both).
          case 8: seq.push([r.pick(['EXPIRE', 'PEXPIRE']), k, r.pick(['1000', '-1', '0', 'x', '99999']), ...r.pick([[], ['NX'], ['XX'], ['NX', 'GT'], ['GT', 'LT'], ['FOO']])]); break;
          case 9: seq.push([r.pick(['EXPIREAT', 'PEXPIREAT']), k, r.pick(['4102444800', '4102444900', '4102444800000', '1', '0']), ...r.pick([[], ['NX'], ['XX'], ['GT'], ['LT'], ['XX', 'GT'], ['LT', 'XX']])]); break;
          case 10: seq.push([r.pick(['TTL', 'EXPIRETIME', 'PEXPIRETIME']), k]); break;
          case 11: seq.push(['PERSIST', k]); break;
          case 12: seq.push(['SORT', k, ...r.pick([[], ['ALPHA'], ['DESC'], ['BY', 'nosort'], ['BY', 'w_*'], ['LIMIT', num(), num()], ['GET', '#', 'GET', 'w_*'], ['STORE', k2], ['ALPHA', 'STORE', k2]])]); break;
          case 13: seq.push(['SORT_RO', k, ...r.pick([[], ['ALPHA'], ['DESC', 'ALPHA'], ['BY', 'w_*', 'ALPHA']])]); break;
          case 14: seq.push(['LRANGE', k, '0', '-1']); break;
          case 15: seq.push(['GET', k]); break;
          case 16: seq.push(['OBJECT', r.pick(['REFCOUNT', 'FREQ']), k]); break;
          case 17: seq.push(['SELECT', r.pick(['0', '0', '1'])]); break;
          case 18: seq.push(['KEYS', r.pick(['*', 'l*', '?', 'w_[12]', '[a-c]'])]); break;
          default: seq.push(['ZRANGE', k, '0', '-1', 'WITHSCORES']); break;
        }
      }
      await d.check(seq, { unordered: ['KEYS'] });
    }
  } finally {
    d.stop();
  }
});
