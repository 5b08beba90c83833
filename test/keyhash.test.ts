/** The hash key API (HashSet and HashGet, variadic) against the TypeScript keyspace,
 *  cross-checked with the core hash commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, SimpleString } from '../src/index.js';
import { testModule } from './helpers.js';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('keyhash'));
  return engine;
}

/** Simple strings as plain strings, recursively (errno names, OK/ERR, "untouched"). */
function norm(r: unknown): unknown {
  if (r instanceof SimpleString) return r.value;
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

async function call(engine: Engine, ...args: (string | Buffer)[]): Promise<unknown> {
  return norm(await engine.call(...args));
}

async function all(engine: Engine, key: string): Promise<unknown> {
  return engine.call('HGETALL', key);
}

function events(engine: Engine): string[] {
  const out: string[] = [];
  // keymiss comes from the core commands the tests read with
  engine.onKeyspaceEvent((e) => {
    if (e.event !== 'keymiss') out.push(`${e.event}:${e.key}`);
  });
  return out;
}

test('HashSet: inserts are not counted (ENOENT), updates are; the key is created on an empty write key', async () => {
  const engine = setup();
  const ev = events(engine);
  const dirty = engine.dirty;
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'a', '1', 'b', '2'), [0, 'ENOENT']);
  assert.deepEqual(ev, ['new:h']); // dbAdd's event only: the low-level API emits none
  assert.deepEqual(await all(engine, 'h'), ['a', '1', 'b', '2']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'rw', 'NONE', 'a', '10', 'c', '3', 'b', '20'), [2, '']);
  assert.deepEqual(await all(engine, 'h'), ['a', '10', 'b', '20', 'c', '3']); // insertion order kept
  assert.equal(String(await engine.call('TYPE', 'h')), 'hash');
  assert.equal(engine.dirty - dirty, 5);
  assert.deepEqual(ev, ['new:h']);
});

test('HashSet COUNT_ALL counts inserted fields too', async () => {
  const engine = setup();
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'COUNT_ALL', 'a', '1', 'b', '2'), [2, '']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'COUNT_ALL', 'a', '1', 'c', '3', 'b', '__DEL__', 'zz', '__DEL__'), [3, '']);
  assert.deepEqual(await all(engine, 'h'), ['a', '1', 'c', '3']);
});

test('HashSet NX only creates fields; XX only touches existing ones', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'a', '1');
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NX', 'a', 'X', 'b', '2'), [0, 'ENOENT']);
  assert.deepEqual(await all(engine, 'h'), ['a', '1', 'b', '2']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NX,COUNT_ALL', 'a', 'X', 'c', '3'), [1, '']);
  assert.deepEqual(await all(engine, 'h'), ['a', '1', 'b', '2', 'c', '3']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'XX', 'a', 'A', 'd', '4'), [1, '']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'XX', 'e', '5'), [0, 'ENOENT']);
  assert.deepEqual(await all(engine, 'h'), ['a', 'A', 'b', '2', 'c', '3']);
  // NX holds back a deletion of an existing field; XX lets it through
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NX', 'a', '__DEL__'), [0, 'ENOENT']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'XX', 'a', '__DEL__', 'nope', '__DEL__'), [1, '']);
  assert.deepEqual(await all(engine, 'h'), ['b', '2', 'c', '3']);
});

test('HashSet XX on an empty key creates and removes the key again, as the reference does', async () => {
  const engine = setup();
  const ev = events(engine);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'XX', 'a', '1'), [0, 'ENOENT']);
  assert.equal(await engine.call('EXISTS', 'h'), 0);
  assert.deepEqual(await call(engine, 'KH.SET', 'h2', 'w', 'NONE'), [0, 'ENOENT']); // no pairs
  assert.equal(await engine.call('EXISTS', 'h2'), 0);
  assert.deepEqual(ev, ['new:h', 'new:h2']);
});

test('HASH_DELETE deletes fields; deleting the last field deletes the key', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
  const ev = events(engine);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'a', '__DEL__', 'missing', '__DEL__'), [1, '']);
  assert.deepEqual(await all(engine, 'h'), ['b', '2', 'c', '3']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'missing', '__DEL__'), [0, 'ENOENT']);
  // a deletion and a re-insert in one call: the field moves to the end
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'b', '__DEL__', 'b', 'B'), [1, '']);
  assert.deepEqual(await all(engine, 'h'), ['c', '3', 'b', 'B']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'b', '__DEL__', 'c', '__DEL__'), [2, '']);
  assert.equal(await engine.call('EXISTS', 'h'), 0);
  assert.deepEqual(ev, []);
});

test('HashSet CFIELDS takes C-string field names', async () => {
  const engine = setup();
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'CFIELDS', 'user', 'ann', 'hp', 'x1'), [0, 'ENOENT']);
  assert.deepEqual(await all(engine, 'h'), ['user', 'ann', 'hp', 'x1']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'CFIELDS,COUNT_ALL', 'user', 'bob', 'hp', '__DEL__'), [2, '']);
  assert.deepEqual(await all(engine, 'h'), ['user', 'bob']);
  // a C string ends at its first NUL byte
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'CFIELDS', Buffer.from('ab\0cd'), 'v'), [0, 'ENOENT']);
  assert.equal(await engine.call('HGET', 'h', 'ab'), 'v');
});

test('HashSet failures: EINVAL, ENOTSUP before EBADF, EBADF; nothing changes', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'a', '1');
  await engine.call('SET', 's', 'x');
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'null', 'NONE', 'a', '2'), [0, 'EINVAL']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'BAD', 'a', '2'), [0, 'EINVAL']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'EXISTS', 'a', '2'), [0, 'EINVAL']); // a HashGet-only flag
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'a', '2', 'b', '__NULL__'), [0, 'EINVAL']);
  assert.deepEqual(await call(engine, 'KH.SET', 's', 'w', 'NONE', 'a', '2'), [0, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KH.SET', 's', 'r', 'NONE', 'a', '2'), [0, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'r', 'NONE', 'a', '2'), [0, 'EBADF']);
  assert.deepEqual(await call(engine, 'KH.SET', 'nokey', 'r', 'NONE', 'a', '2'), [0, 'EINVAL']); // READ on a missing key: NULL
  assert.deepEqual(await all(engine, 'h'), ['a', '1']);
  assert.equal(await engine.call('GET', 's'), 'x');
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
});

test('HashGet: values, NULL for missing fields, EXISTS, CFIELDS, an empty key', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'a', '1', 'b', '', 'c', '3');
  assert.deepEqual(await call(engine, 'KH.GET', 'h', 'r', 'NONE', 'a', 'zz', 'b', 'c'), ['OK', '1', null, '', '3']);
  assert.deepEqual(await call(engine, 'KH.GET', 'h', 'r', 'EXISTS', 'a', 'zz', 'b'), ['OK', 1, 0, 1]);
  assert.deepEqual(await call(engine, 'KH.GET', 'h', 'r', 'CFIELDS', 'c', 'a'), ['OK', '3', '1']);
  assert.deepEqual(await call(engine, 'KH.GET', 'h', 'r', 'CFIELDS,EXISTS', 'c', 'x'), ['OK', 1, 0]);
  // no READ needed; an empty write handle reads as an empty hash
  assert.deepEqual(await call(engine, 'KH.GET', 'h', 'w', 'NONE', 'a'), ['OK', '1']);
  assert.deepEqual(await call(engine, 'KH.GET', 'nokey', 'w', 'NONE', 'a', 'b'), ['OK', null, null]);
  assert.deepEqual(await call(engine, 'KH.GET', 'nokey', 'w', 'EXISTS', 'a'), ['OK', 0]);
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
});

test('HashGet on another type or a NULL key is ERR and writes no output', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a');
  assert.deepEqual(await call(engine, 'KH.GET', 'l', 'r', 'NONE', 'a', 'b'), ['ERR', 'untouched', 'untouched']);
  assert.deepEqual(await call(engine, 'KH.GET', 'l', 'r', 'EXISTS', 'a'), ['ERR', 'untouched']);
  assert.deepEqual(await call(engine, 'KH.GET', 'l', 'null', 'NONE', 'a'), ['ERR', 'untouched']);
});

test('HashGet strings are new and AutoMemory-tracked when the context has AutoMemory', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'f', 'v');
  assert.deepEqual(await engine.call('KH.AUTO', 'h', 'on', 'f'), ['v+', 1]);
  assert.deepEqual(await engine.call('KH.AUTO', 'h', 'off', 'f'), ['v', 0]);
  assert.equal(await engine.call('HGET', 'h', 'f'), 'v');
});

test('fields and values are binary-safe', async () => {
  const engine = setup();
  const c = engine.client({ buffers: true });
  const f = Buffer.from([0, 0xff, 0x80, 10]);
  const v = Buffer.from([0xc3, 0, 0xfe]);
  assert.deepEqual(await c.call('KH.SET', 'h', 'w', 'COUNT_ALL', f, v), [1, new SimpleString('')]);
  assert.deepEqual(await c.call('HGET', 'h', f), v);
  assert.deepEqual(await c.call('KH.GET', 'h', 'r', 'NONE', f), [new SimpleString('OK'), v]);
  await c.call('HSET', 'h', v, f);
  assert.deepEqual(await c.call('KH.GET', 'h', 'r', 'NONE', v), [new SimpleString('OK'), f]);
});

test('encodings follow the hash rules, as HSET would', async () => {
  const engine = setup();
  const long = 'z'.repeat(65); // over hash-max-listpack-value (64)
  await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'a', '1');
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'h')), 'listpack');
  await call(engine, 'KH.SET', 'h', 'w', 'NONE', 'b', long);
  await engine.call('HSET', 'c', 'a', '1');
  await engine.call('HSET', 'c', 'b', long);
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'h')), 'hashtable');
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'c')), 'hashtable');
  // a long field converts too
  await call(engine, 'KH.SET', 'h2', 'w', 'NONE', long, '1');
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'h2')), 'hashtable');
  // more fields than hash-max-listpack-entries (512 by default)
  assert.equal(await engine.call('KH.MANY', 'big', '512'), 512);
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'big')), 'listpack');
  assert.deepEqual(await call(engine, 'KH.SET', 'big', 'w', 'NONE', 'f512', 'v512'), [0, 'ENOENT']);
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'big')), 'hashtable');
  assert.equal(await engine.call('HLEN', 'big'), 513);
  assert.equal(await engine.call('HGET', 'big', 'f300'), 'v300');
  // with hash-max-listpack-entries 0 one pair converts, as HSET's conversion check does
  await engine.call('CONFIG', 'SET', 'hash-max-listpack-entries', '0');
  await call(engine, 'KH.SET', 'z', 'w', 'NONE', 'a', '1');
  await engine.call('HSET', 'zc', 'a', '1');
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'z')), String(await engine.call('OBJECT', 'ENCODING', 'zc')));
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'z')), 'hashtable');
});

test('operations act on the selected database', async () => {
  const engine = setup();
  await engine.call('SELECT', '3');
  assert.deepEqual(await call(engine, 'KH.SET', 'h', 'w', 'COUNT_ALL', 'f', 'v'), [1, '']);
  assert.deepEqual(await call(engine, 'KH.GET', 'h', 'r', 'NONE', 'f'), ['OK', 'v']);
  assert.equal(engine.dbs[3]!.size, 1);
  assert.equal(engine.dbs[0]!.size, 0);
});
