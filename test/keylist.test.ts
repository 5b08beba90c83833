/** The list key API (ListPush, ListPop, ListGet, ListSet, ListInsert, ListDelete) against the
 *  TypeScript keyspace, cross-checked with the core list commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, SimpleString } from '../src/index.js';
import { ListValue } from '../src/engine/types/list.js';
import { testModule } from './helpers.js';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('keylist'));
  return engine;
}

/** Simple strings as plain strings, recursively (errno names and OK/ERR). */
function norm(r: unknown): unknown {
  if (r instanceof SimpleString) return r.value;
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

async function call(engine: Engine, ...args: (string | Buffer)[]): Promise<unknown> {
  return norm(await engine.call(...args));
}

async function range(engine: Engine, key: string): Promise<unknown> {
  return engine.call('LRANGE', key, '0', '-1');
}

function events(engine: Engine): string[] {
  const out: string[] = [];
  // keymiss comes from the core commands the tests read with
  engine.onKeyspaceEvent((e) => {
    if (e.event !== 'keymiss') out.push(`${e.event}:${e.key}`);
  });
  return out;
}

test('ListPush: HEAD and TAIL, creating the list on an empty write key', async () => {
  const engine = setup();
  const ev = events(engine);
  const dirty = engine.dirty;
  assert.deepEqual(await call(engine, 'KL.PUSH', 'l', 'w', 'TAIL', 'b', 'c'), ['OK', '']);
  assert.deepEqual(ev, ['new:l']); // dbAdd's event only: the low-level API emits none
  assert.deepEqual(await call(engine, 'KL.PUSH', 'l', 'rw', 'HEAD', 'a', 'z'), ['OK', '']);
  assert.deepEqual(await range(engine, 'l'), ['z', 'a', 'b', 'c']);
  assert.equal(String(await engine.call('TYPE', 'l')), 'list');
  assert.equal(engine.dirty - dirty, 4);
  assert.deepEqual(ev, ['new:l']);
});

test('ListPush failures: EINVAL, ENOTSUP before EBADF, EBADF', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a');
  await engine.call('SET', 's', 'str');
  assert.deepEqual(await call(engine, 'KL.PUSH', 'l', 'null', 'TAIL', 'x'), ['ERR', 'EINVAL']);
  assert.deepEqual(await call(engine, 'KL.PUSH', 'l', 'w', 'TAIL', '__NULL__'), ['ERR', 'EINVAL']);
  assert.deepEqual(await call(engine, 'KL.PUSH', 's', 'w', 'TAIL', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.PUSH', 's', 'r', 'TAIL', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.PUSH', 'l', 'r', 'TAIL', 'x'), ['ERR', 'EBADF']);
  assert.deepEqual(await call(engine, 'KL.PUSH', 'nokey', 'r', 'TAIL', 'x'), ['ERR', 'EINVAL']); // READ on a missing key: NULL
  assert.deepEqual(await range(engine, 'l'), ['a']);
  assert.equal(await engine.call('GET', 's'), 'str');
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
});

test('ListPop: from both ends; popping the last element deletes the key', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  const ev = events(engine);
  assert.deepEqual(await call(engine, 'KL.POP', 'l', 'w', 'HEAD'), ['a', '']);
  assert.deepEqual(await call(engine, 'KL.POP', 'l', 'w', 'TAIL'), ['c', '']);
  assert.deepEqual(await range(engine, 'l'), ['b']);
  assert.deepEqual(await call(engine, 'KL.POP', 'l', 'rw', 'TAIL'), ['b', '']);
  assert.equal(await engine.call('EXISTS', 'l'), 0);
  assert.deepEqual(ev, []); // no lpop/rpop/del events from the low-level API
  // the same handle keeps popping until the key is empty, then ENOTSUP
  await engine.call('RPUSH', 'm', '1', '2', '3');
  assert.deepEqual(await call(engine, 'KL.DRAIN', 'm', 'TAIL'), ['3', '2', '1', 0]);
  assert.equal(await engine.call('EXISTS', 'm'), 0);
});

test('ListPop failures: EINVAL, ENOTSUP (empty key or wrong type), EBADF', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a');
  await engine.call('HSET', 'h', 'f', 'v');
  assert.deepEqual(await call(engine, 'KL.POP', 'l', 'null', 'HEAD'), [null, 'EINVAL']);
  assert.deepEqual(await call(engine, 'KL.POP', 'nokey', 'w', 'HEAD'), [null, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.POP', 'h', 'w', 'HEAD'), [null, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.POP', 'h', 'r', 'HEAD'), [null, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.POP', 'l', 'r', 'HEAD'), [null, 'EBADF']);
  assert.deepEqual(await range(engine, 'l'), ['a']);
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
});

test('ListGet: positive and negative indexes, like LINDEX', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  for (const [i, v] of [['0', 'a'], ['2', 'c'], ['-1', 'c'], ['-3', 'a']] as const) {
    assert.deepEqual(await call(engine, 'KL.GET', 'l', 'r', i), [v, ''], i);
    assert.equal(await engine.call('LINDEX', 'l', i), v);
  }
  assert.deepEqual(await call(engine, 'KL.ITER', 'l'), ['a', 'b', 'c', 'c', 'b', 'a']);
});

test('ListGet failures: EDOM, EBADF without READ, ENOTSUP, EINVAL', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  await engine.call('SET', 's', 'x');
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'r', '3'), [null, 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'r', '-4'), [null, 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'r', '9223372036854775807'), [null, 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'r', '-9223372036854775808'), [null, 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'w', '0'), [null, 'EBADF']); // WRITE only: not open for reading
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'rw', '0'), ['a', '']);
  assert.deepEqual(await call(engine, 'KL.GET', 's', 'r', '0'), [null, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.GET', 's', 'w', '0'), [null, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.GET', 'nokey', 'w', '0'), [null, 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'null', '0'), [null, 'EINVAL']);
});

test('ListSet: replaces by positive or negative index; failures set errno', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  await engine.call('SET', 's', 'x');
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'w', '0', 'A'), ['OK', '']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'w', '-1', 'C'), ['OK', '']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'rw', '-2', 'B'), ['OK', '']);
  assert.deepEqual(await range(engine, 'l'), ['A', 'B', 'C']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'w', '3', 'x'), ['ERR', 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'w', '-4', 'x'), ['ERR', 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'r', '0', 'x'), ['ERR', 'EBADF']);
  assert.deepEqual(await call(engine, 'KL.SET', 's', 'w', '0', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.SET', 's', 'r', '0', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.SET', 'nokey', 'w', '0', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'w', '0', '__NULL__'), ['ERR', 'EINVAL']);
  assert.deepEqual(await call(engine, 'KL.SET', 'l', 'null', '0', 'x'), ['ERR', 'EINVAL']);
  assert.deepEqual(await range(engine, 'l'), ['A', 'B', 'C']);
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
});

test('ListInsert: the index is the new element\'s index; ends push; empty key takes 0 or -1', async () => {
  const engine = setup();
  const cases: [string, string[]][] = [
    ['0', ['X', 'a', 'b', 'c']],     // before the first: push head
    ['1', ['a', 'X', 'b', 'c']],     // before the element at 1
    ['2', ['a', 'b', 'X', 'c']],
    ['3', ['a', 'b', 'c', 'X']],     // index = length: append
    ['-1', ['a', 'b', 'c', 'X']],    // append
    ['-2', ['a', 'b', 'X', 'c']],    // after the element at -2
    ['-3', ['a', 'X', 'b', 'c']],
    ['-4', ['X', 'a', 'b', 'c']],    // -(length+1): push head
  ];
  for (const [index, want] of cases) {
    await engine.call('DEL', 'l');
    await engine.call('RPUSH', 'l', 'a', 'b', 'c');
    assert.deepEqual(await call(engine, 'KL.INSERT', 'l', 'w', index, 'X'), ['OK', ''], index);
    assert.deepEqual(await range(engine, 'l'), want, index);
    assert.equal(await engine.call('LINDEX', 'l', index), 'X', index);
  }
  const ev = events(engine);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'e1', 'w', '0', 'x'), ['OK', '']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'e2', 'w', '-1', 'y'), ['OK', '']);
  assert.deepEqual(ev, ['new:e1', 'new:e2']);
  assert.deepEqual(await range(engine, 'e1'), ['x']);
  assert.deepEqual(await range(engine, 'e2'), ['y']);
});

test('ListInsert failures: EDOM, ENOTSUP (empty key at another index, wrong type), EBADF, EINVAL', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  await engine.call('SET', 's', 'x');
  assert.deepEqual(await call(engine, 'KL.INSERT', 'l', 'w', '4', 'x'), ['ERR', 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'l', 'w', '-5', 'x'), ['ERR', 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'nokey', 'w', '1', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'nokey', 'w', '-2', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 's', 'w', '0', 'x'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 's', 'r', '-1', 'x'), ['ERR', 'ENOTSUP']);
  for (const i of ['0', '1', '3', '-1', '-2', '-4'])
    assert.deepEqual(await call(engine, 'KL.INSERT', 'l', 'r', i, 'x'), ['ERR', 'EBADF'], i);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'l', 'w', '1', '__NULL__'), ['ERR', 'EINVAL']);
  assert.deepEqual(await call(engine, 'KL.INSERT', 'l', 'null', '1', 'x'), ['ERR', 'EINVAL']);
  assert.deepEqual(await range(engine, 'l'), ['a', 'b', 'c']);
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
});

test('ListDelete: positive and negative indexes; the last element deletes the key', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c', 'd');
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'w', '1'), ['OK', '']);
  assert.deepEqual(await range(engine, 'l'), ['a', 'c', 'd']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'w', '-1'), ['OK', '']);
  assert.deepEqual(await range(engine, 'l'), ['a', 'c']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'w', '-2'), ['OK', '']);
  assert.deepEqual(await range(engine, 'l'), ['c']);
  const ev = events(engine);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'w', '0'), ['OK', '']);
  assert.equal(await engine.call('EXISTS', 'l'), 0);
  assert.deepEqual(ev, []);
});

test('ListDelete failures: EDOM, EBADF, ENOTSUP, EINVAL', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b');
  await engine.call('SADD', 'set', 'm');
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'w', '2'), ['ERR', 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'w', '-3'), ['ERR', 'EDOM']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'r', '0'), ['ERR', 'EBADF']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'set', 'w', '0'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'set', 'r', '0'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'nokey', 'w', '0'), ['ERR', 'ENOTSUP']);
  assert.deepEqual(await call(engine, 'KL.DELETE', 'l', 'null', '0'), ['ERR', 'EINVAL']);
  assert.deepEqual(await range(engine, 'l'), ['a', 'b']);
});

test('a sequence of operations on one handle sees its own writes', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  assert.deepEqual(
    await call(engine, 'KL.SCRIPT', 'l', 'ins', '1', 'X', 'ins', '-2', 'Y', 'len', 'get', '1', 'get', '-2', 'del', '0',
      'set', '-1', 'Z', 'get', '9', 'pop', 'H', 'pop', 'T', 'len', 'del', '-1', 'del', '0', 'type', 'pop', 'H', 'push', 'T', 'n',
      'type', 'get', '0'),
    ['OK', 'OK', 5, 'X', 'Y', 'OK', 'OK', 'EDOM', 'X', 'Z', 2, 'OK', 'OK', 0, 'ENOTSUP', 'OK', 2, 'n'],
  );
  assert.deepEqual(await range(engine, 'l'), ['n']);
});

test('elements are binary-safe both ways', async () => {
  const engine = setup();
  const c = engine.client({ buffers: true });
  const bin = Buffer.from([0, 255, 10, 13, 128, 0]);
  const ok = [new SimpleString('OK'), new SimpleString('')];
  assert.deepEqual(await c.call('KL.PUSH', 'l', 'w', 'TAIL', bin, ''), ok);
  assert.deepEqual(await c.call('LRANGE', 'l', '0', '-1'), [bin, Buffer.alloc(0)]);
  assert.deepEqual(await c.call('KL.GET', 'l', 'r', '0'), [bin, new SimpleString('')]);
  assert.deepEqual(await c.call('KL.GET', 'l', 'r', '1'), [Buffer.alloc(0), new SimpleString('')]);
  await c.call('RPUSH', 'l', bin);
  assert.deepEqual(await c.call('KL.POP', 'l', 'w', 'TAIL'), [bin, new SimpleString('')]);
  assert.deepEqual(await c.call('KL.SET', 'l', 'w', '1', bin), ok);
  assert.deepEqual(await c.call('KL.INSERT', 'l', 'w', '1', Buffer.from([0xfe])), ok);
  assert.deepEqual(await c.call('LRANGE', 'l', '0', '-1'), [bin, Buffer.from([0xfe]), bin]);
});

test('returned strings are new and AutoMemory-tracked when the context has AutoMemory', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'b', 'c');
  // tracked: RetainString takes it out of AutoMemory (refcount stays 1), so it can grow
  assert.deepEqual(await engine.call('KL.AUTO', 'l', 'on'), ['a+', 1, 'a+', 1]);
  // untracked: RetainString adds a reference, so appending is refused
  assert.deepEqual(await engine.call('KL.AUTO', 'l', 'off'), ['b', 0, 'b', 0]);
  assert.deepEqual(await range(engine, 'l'), ['c']);
});

test('a pending StringDMA write is flushed before a list operation on the handle', async () => {
  const engine = setup();
  await engine.call('SET', 's', 'abc');
  assert.deepEqual(await call(engine, 'KL.DMA', 's'), ['ERR', 'ENOTSUP']);
  assert.equal(await engine.call('GET', 's'), 'ABC');
});

test('operations act on the selected database', async () => {
  const engine = setup();
  await engine.call('SELECT', '2');
  assert.deepEqual(await call(engine, 'KL.PUSH', 'l', 'w', 'TAIL', 'x'), ['OK', '']);
  assert.deepEqual(await call(engine, 'KL.GET', 'l', 'r', '0'), ['x', '']);
  assert.equal(engine.dbs[2]!.size, 1);
  assert.equal(engine.dbs[0]!.size, 0);
});

/** The encoding model of a list key (OBJECT ENCODING and the quicklist node layout). */
function layout(engine: Engine, key: string): unknown {
  const v = engine.dbs[0]!.entry(key)?.value;
  assert.ok(v instanceof ListValue, key);
  return { encoding: v.encoding(), nodes: v.layout() };
}

test('encodings follow the list rules, as the core commands would', async () => {
  const engine = setup();
  const big = 'x'.repeat(3000);
  const huge = 'y'.repeat(9000);
  // grow: pushes convert the listpack to a quicklist exactly as RPUSH/LPUSH do
  for (const [where, v] of [['TAIL', big], ['TAIL', big], ['HEAD', 'small'], ['TAIL', big], ['HEAD', huge]] as const) {
    assert.deepEqual(await call(engine, 'KL.PUSH', 'm', 'w', where, v), ['OK', '']);
    await engine.call(where === 'TAIL' ? 'RPUSH' : 'LPUSH', 'c', v);
    assert.deepEqual(layout(engine, 'm'), layout(engine, 'c'));
  }
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'm')), 'quicklist');
  // shrink: pops convert back when one small node is left, as LPOP/RPOP do
  for (const where of ['HEAD', 'TAIL', 'TAIL']) {
    await call(engine, 'KL.POP', 'm', 'w', where);
    await engine.call(where === 'HEAD' ? 'LPOP' : 'RPOP', 'c');
    assert.deepEqual(layout(engine, 'm'), layout(engine, 'c'));
  }
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'm')), 'listpack');
  // ListSet with a large element converts as LSET does
  await engine.call('RPUSH', 's1', 'a', 'b', 'c');
  await engine.call('RPUSH', 's2', 'a', 'b', 'c');
  await call(engine, 'KL.SET', 's1', 'w', '1', huge);
  await engine.call('LSET', 's2', '1', huge);
  assert.deepEqual(layout(engine, 's1'), layout(engine, 's2'));
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 's1')), 'quicklist');
  // ListInsert in the middle converts as LINSERT does
  await engine.call('RPUSH', 'i1', 'a', 'b', 'c');
  await engine.call('RPUSH', 'i2', 'a', 'b', 'c');
  await call(engine, 'KL.INSERT', 'i1', 'w', '1', huge);
  await engine.call('LINSERT', 'i2', 'BEFORE', 'b', huge);
  assert.deepEqual(layout(engine, 'i1'), layout(engine, 'i2'));
  assert.deepEqual(await range(engine, 'i1'), await range(engine, 'i2'));
  // ListDelete: the plain node goes; the two nodes left are not merged, so it stays a quicklist
  assert.deepEqual(await call(engine, 'KL.DELETE', 'i1', 'w', '1'), ['OK', '']);
  const after = layout(engine, 'i1') as { encoding: string; nodes: { count: number; plain: boolean }[] };
  assert.equal(after.encoding, 'quicklist');
  assert.deepEqual(after.nodes.map((n) => [n.count, n.plain]), [[1, false], [2, false]]);
  assert.deepEqual(await range(engine, 'i1'), ['a', 'b', 'c']);
  // deleting again leaves one small node: back to a listpack with RPUSH's bytes
  assert.deepEqual(await call(engine, 'KL.DELETE', 'i1', 'w', '0'), ['OK', '']);
  await engine.call('RPUSH', 'ref', 'b', 'c');
  assert.deepEqual(layout(engine, 'i1'), layout(engine, 'ref'));
});

test('ListDelete inside a quicklist removes from the right node without merging', async () => {
  const engine = setup();
  await engine.call('CONFIG', 'SET', 'list-max-listpack-size', '2');
  await engine.call('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f');
  const before = layout(engine, 'l') as { encoding: string; nodes: { count: number }[] };
  assert.equal(before.encoding, 'quicklist');
  assert.deepEqual(before.nodes.map((n) => n.count), [2, 2, 2]);
  await call(engine, 'KL.DELETE', 'l', 'w', '2');
  const after = layout(engine, 'l') as { nodes: { count: number }[] };
  assert.deepEqual(after.nodes.map((n) => n.count), [2, 1, 2]);
  await call(engine, 'KL.DELETE', 'l', 'w', '-3');
  assert.deepEqual((layout(engine, 'l') as { nodes: { count: number }[] }).nodes.map((n) => n.count), [2, 2]);
  assert.deepEqual(await range(engine, 'l'), ['a', 'b', 'e', 'f']);
});
