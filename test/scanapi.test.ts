/** The scan API (Scan and ScanKey with their cursors), the cluster API of a server not in
 *  cluster mode and the defrag API of a host that never defragments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, SimpleString } from '../src/index.js';
import { testModule } from './helpers.js';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('scantest'));
  return engine;
}

/** Simple strings as plain strings, recursively (errno names, OK/ERR). */
function norm(r: unknown): unknown {
  if (r instanceof SimpleString) return r.value;
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

async function call(engine: Engine, ...args: string[]): Promise<any> {
  return norm(await engine.call(...args));
}

/** [batches, errno after the last call, errno of one more call, items]. */
async function scan(engine: Engine, ...args: string[]) {
  const r = await call(engine, ...args);
  assert.ok(Array.isArray(r), String(r));
  return { batches: r[0] as number, last: r[1] as string, again: r[2] as string, items: r.slice(3) as (string | null)[] };
}

/** Field/value pairs as a map, asserting each field is reported once. */
function pairs(items: (string | null)[]): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (let i = 0; i < items.length; i += 2) {
    assert.ok(!m.has(items[i]!), `duplicate ${items[i]}`);
    m.set(items[i]!, items[i + 1]!);
  }
  return m;
}

test('Scan: every key of the selected database once, in batches, with READ handles', async () => {
  const engine = setup();
  for (let i = 0; i < 25; i++) await engine.call('SET', `k${i}`, 'v');
  await engine.call('HSET', 'h', 'f', 'v');
  await engine.call('RPUSH', 'l', 'a');
  await engine.call('SELECT', '1');
  await engine.call('SET', 'other-db', 'x');
  const r = await scan(engine, 'SC.SCAN', '0', 'none');
  assert.equal(r.batches, 2); // 27 keys in batches of 10: 1, 1, then 0
  assert.equal(r.last, '');
  assert.equal(r.again, 'ENOENT'); // a finished cursor
  const expected = [...Array.from({ length: 25 }, (_, i) => `k${i}:string`), 'h:hash', 'l:list'];
  assert.deepEqual([...r.items].sort(), expected.sort());
  const r1 = await scan(engine, 'SC.SCAN', '1', 'none');
  assert.deepEqual(r1, { batches: 0, last: '', again: 'ENOENT', items: ['other-db:string'] });
  const r2 = await scan(engine, 'SC.SCAN', '2', 'none');
  assert.deepEqual(r2, { batches: 0, last: '', again: 'ENOENT', items: [] });
});

test('Scan: deleting the current key is safe; keys added meanwhile are reported at most once', async () => {
  const engine = setup();
  for (let i = 0; i < 30; i++) await engine.call('SET', `k${i}`, 'v');
  const d = await scan(engine, 'SC.SCAN', '0', 'del');
  assert.equal(d.items.length, 30);
  assert.equal(new Set(d.items).size, 30);
  assert.equal(await engine.call('DBSIZE'), 0);

  for (let i = 0; i < 30; i++) await engine.call('SET', `k${i}`, 'v');
  const a = await scan(engine, 'SC.SCAN', '0', 'add');
  assert.equal(new Set(a.items).size, a.items.length); // no duplicates
  for (let i = 0; i < 30; i++) assert.ok(a.items.includes(`k${i}:string`));
  for (const it of a.items) assert.match(it!, /^(new:)?k\d+:string$/);
  assert.equal(await engine.call('DBSIZE'), 60);
});

test('Scan: ScanCursorRestart rescans the whole database', async () => {
  const engine = setup();
  for (let i = 0; i < 23; i++) await engine.call('SET', `k${i}`, 'v');
  const r = await scan(engine, 'SC.SCAN', '0', 'null');
  assert.equal(r.items.length, 23);
  assert.equal(r.again, 'ENOENT');
});

test('ScanKey: a listpack hash whole in one call, field/value pairs', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
  const r = await scan(engine, 'SC.SCANKEY', 'h', 'none');
  assert.deepEqual(r, { batches: 0, last: '', again: 'ENOENT', items: ['a', '1', 'b', '2', 'c', '3'] });
});

test('ScanKey: a hashtable hash in batches, every field once, deleting the current one is safe', async () => {
  const engine = setup();
  const args: string[] = [];
  for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
  await engine.call('HSET', 'h', ...args);
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'h')), 'hashtable');
  const r = await scan(engine, 'SC.SCANKEY', 'h', 'none');
  assert.ok(r.batches >= 99, `batches ${r.batches}`);
  assert.equal(r.last, '');
  assert.equal(r.again, 'ENOENT');
  const m = pairs(r.items);
  assert.equal(m.size, 1000);
  for (let i = 0; i < 1000; i++) assert.equal(m.get(`f${i}`), `v${i}`);

  const d = await scan(engine, 'SC.SCANKEY', 'h', 'del');
  assert.equal(pairs(d.items).size, 1000);
  assert.equal(await engine.call('EXISTS', 'h'), 0);
});

test('ScanKey: set members with NULL values (intset and hashtable)', async () => {
  const engine = setup();
  await engine.call('SADD', 's', '3', '1', '2');
  const r = await scan(engine, 'SC.SCANKEY', 's', 'none');
  assert.equal(r.batches, 0);
  assert.deepEqual(pairs(r.items), new Map([['1', null], ['2', null], ['3', null]]));

  const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
  await engine.call('SADD', 'big', ...members);
  const b = await scan(engine, 'SC.SCANKEY', 'big', 'del');
  assert.ok(b.batches > 0);
  const m = pairs(b.items);
  assert.equal(m.size, 200);
  assert.ok([...m.values()].every((v) => v === null));
  assert.equal(await engine.call('EXISTS', 'big'), 0);
});

test('ScanKey: sorted set members with their scores as strings', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '1', 'a', '1.5', 'b', '0.1', 'c', '-inf', 'd');
  const r = await scan(engine, 'SC.SCANKEY', 'z', 'none');
  assert.equal(r.batches, 0);
  // a listpack keeps the score text
  assert.deepEqual(r.items, ['d', '-inf', 'c', '0.1', 'a', '1', 'b', '1.5']);

  const args: string[] = [];
  for (let i = 0; i < 200; i++) args.push(String(i + 0.1), `m${i}`);
  await engine.call('ZADD', 'big', ...args);
  assert.equal(String(await engine.call('OBJECT', 'ENCODING', 'big')), 'skiplist');
  const b = await scan(engine, 'SC.SCANKEY', 'big', 'none');
  assert.ok(b.batches > 0);
  const m = pairs(b.items);
  assert.equal(m.size, 200);
  assert.equal(m.get('m0'), '0.10000000000000001'); // %.17g, as Valkey's skiplist scan
  assert.equal(m.get('m2'), '2.1000000000000001');
  const d = await scan(engine, 'SC.SCANKEY', 'big', 'del');
  assert.equal(pairs(d.items).size, 200);
  assert.equal(await engine.call('EXISTS', 'big'), 0);
});

test('ScanKey: EINVAL for a NULL handle, a missing key and other types', async () => {
  const engine = setup();
  await engine.call('SET', 'str', 'v');
  await engine.call('RPUSH', 'list', 'a');
  const einval = { batches: 0, last: 'EINVAL', again: 'EINVAL', items: [] };
  assert.deepEqual(await scan(engine, 'SC.SCANKEY', 'str', 'none'), einval);
  assert.deepEqual(await scan(engine, 'SC.SCANKEY', 'list', 'none'), einval);
  assert.deepEqual(await scan(engine, 'SC.SCANKEY', 'missing', 'none'), einval); // READ: NULL handle
  assert.deepEqual(await scan(engine, 'SC.SCANKEY', 'missing', 'del'), einval); // WRITE: empty key
  assert.deepEqual(await scan(engine, 'SC.SCANKEY', 'str', 'null'), einval);
});

test('ScanKey: ScanCursorRestart rescans the key', async () => {
  const engine = setup();
  const args: string[] = [];
  for (let i = 0; i < 150; i++) args.push(`f${i}`, 'v');
  await engine.call('HSET', 'h', ...args);
  await engine.call('HSET', 'small', 'a', '1', 'b', '2');
  assert.deepEqual(await call(engine, 'SC.RESTART', 'h'), [150, 150]);
  assert.deepEqual(await call(engine, 'SC.RESTART', 'small'), [2, 2]);
});

test('Cluster API outside cluster mode: no ID, no nodes, no bus', async () => {
  const engine = setup();
  // [GetMyClusterID NULL, GetClusterSize, nodes list NULL, numnodes, GetClusterNodeInfo,
  //  GetClusterNodeInfoForClient, SendClusterMessage (all), (one node), outputs untouched]
  assert.deepEqual(await call(engine, 'SC.CLUSTER'), [1, 0, 1, 0, 'ERR', 'ERR', 'ERR', 'ERR', 1]);
});

test('Defrag API: callback recorded, nothing ever needs moving', async () => {
  const engine = setup();
  // [RegisterDefragFunc, DefragShouldStop, DefragCursorSet, DefragCursorGet, cursor untouched,
  //  DefragAlloc NULL, DefragValkeyModuleString NULL, key name NULL, db id]
  assert.deepEqual(await call(engine, 'SC.DEFRAG'), ['OK', 0, 'ERR', 'ERR', 42, 1, 1, 1, -1]);
});
