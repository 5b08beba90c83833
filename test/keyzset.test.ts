/** The sorted set key API (ZsetAdd, ZsetIncrby, ZsetRem, ZsetScore, range iterators) against
 *  the TypeScript keyspace, cross-checked with core commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { testModule } from './helpers.js';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('keyzset'));
  return engine;
}

/** Runs KZ.DO and returns its replies. */
async function kz(engine: Engine, key: string, mode: string, ...ops: string[]): Promise<unknown[]> {
  return (await engine.call('KZ.DO', key, mode, ...ops)) as unknown[];
}

function events(engine: Engine): string[] {
  const out: string[] = [];
  engine.onKeyspaceEvent((e) => {
    if (e.event !== 'keymiss') out.push(`${e.event}:${e.key}`);
  });
  return out;
}

const ADDED = 4;
const UPDATED = 8;
const NOP = 16;

test('ZsetAdd: creates the set on an empty write key, adds, updates, reports flags', async () => {
  const engine = setup();
  const ev = events(engine);
  const dirty0 = engine.dirty;
  assert.deepEqual(
    await kz(engine, 'z', 'W', 'add', '1', 'a', '-', 'add', '2', 'b', '-', 'add', '3', 'a', '-', 'add', '3', 'a', '-', 'addnf', '0', 'c', 'type', 'len'),
    [`OK ${ADDED}`, `OK ${ADDED}`, `OK ${UPDATED}`, 'OK 0', 'OK', '5', '3'],
  );
  assert.deepEqual(await engine.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), ['c', '0', 'b', '2', 'a', '3']);
  // The key API emits no keyspace events of its own; creating the key fires 'new' (dbAdd).
  assert.deepEqual(ev, ['new:z']);
  assert.equal(engine.dirty, dirty0 + 4);
  assert.equal(await engine.call('OBJECT', 'ENCODING', 'z'), 'listpack');
});

test('ZsetAdd: XX, NX, GT, LT and NOP', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '5', 'm');
  assert.deepEqual(
    await kz(engine, 'z', 'W',
      'add', '1', 'new', 'XX', // XX on a missing member: nothing
      'add', '1', 'm', 'NX', // NX on a present member: nothing
      'add', '4', 'm', 'GT', // not greater
      'add', '6', 'm', 'GT', // greater: updated
      'add', '7', 'm', 'LT', // not less
      'add', '2', 'm', 'LT|XX', // less: updated
      'add', '9', 'g', 'GT', // GT does not prevent adding
      'add', '1', 'n', 'NX', // NX on a missing member: added
      'add', '2', 'm', 'XX'), // same score: neither updated nor NOP
    [`OK ${NOP}`, `OK ${NOP}`, `OK ${NOP}`, `OK ${UPDATED}`, `OK ${NOP}`, `OK ${UPDATED}`, `OK ${ADDED}`, `OK ${ADDED}`, 'OK 0'],
  );
  assert.deepEqual(await engine.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), ['n', '1', 'm', '2', 'g', '9']);
});

test('ZsetAdd: read-only handle, wrong type and NaN are ERR; NaN and XX do not create the key', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '1', 'a');
  await engine.call('SET', 's', 'v');
  const ev = events(engine);
  // Read-only handle and wrong type leave the flags alone; NaN sets them to 0.
  assert.deepEqual(await kz(engine, 'z', 'R', 'add', '2', 'b', 'NX', 'addnf', '2', 'b'), [`ERR 2`, 'ERR']);
  assert.deepEqual(await kz(engine, 's', 'W', 'add', '2', 'b', 'XX', 'addnf', '1', 'x'), [`ERR 1`, 'ERR']);
  assert.deepEqual(await kz(engine, 'z', 'W', 'add', 'nan', 'a', 'XX'), ['ERR 0']);
  assert.deepEqual(await kz(engine, 'nz', 'W', 'add', 'nan', 'a', '-', 'addnf', 'nan', 'a', 'type'), ['ERR 0', 'ERR', '0']);
  assert.deepEqual(await kz(engine, 'nz', 'W', 'add', '1', 'a', 'XX', 'type'), [`OK ${NOP}`, '0']);
  assert.equal(await engine.call('EXISTS', 'nz'), 0);
  assert.deepEqual(await engine.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), ['a', '1']);
  assert.equal(await engine.call('GET', 's'), 'v');
  assert.deepEqual(ev, []);
  // A NULL handle is refused rather than crashing.
  assert.deepEqual(await kz(engine, 'z', 'NULL', 'add', '1', 'a', '-', 'incrnf', '1', 'a', 'rem', 'a', 'score', 'a'), ['ERR 0', 'ERR', 'ERR -', 'ERR']);
});

test('ZsetIncrby: adds from 0, increments, newscore; NaN sum is ERR; NOP leaves newscore', async () => {
  const engine = setup();
  assert.deepEqual(
    await kz(engine, 'z', 'W',
      'incr', '1.5', 'a', '-',
      'incr', '2', 'a', '-',
      'incr', '0', 'a', '-',
      'incr', '1', 'a', 'NX',
      'incr', '-10', 'a', 'GT',
      'incr', '-10', 'a', 'LT',
      'incr', '1', 'b', 'XX',
      'incr', 'inf', 'c', '-',
      'incr', '-inf', 'c', '-',
      'incr', 'nan', 'c', '-',
      'incrnf', '1', 'd'),
    [
      `OK ${ADDED} 1.5`, `OK ${UPDATED} 3.5`, 'OK 0 3.5', `OK ${NOP} -`, `OK ${NOP} -`, `OK ${UPDATED} -6.5`,
      `OK ${NOP} -`, `OK ${ADDED} inf`, 'ERR 0 -', 'ERR 0 -', 'OK',
    ],
  );
  assert.deepEqual(await engine.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), ['a', '-6.5', 'd', '1', 'c', 'inf']);
  await engine.call('SET', 's', 'v');
  assert.deepEqual(await kz(engine, 's', 'W', 'incr', '1', 'a', 'XX'), ['ERR 1 -']);
  assert.deepEqual(await kz(engine, 'z', 'R', 'incr', '1', 'a', '-'), ['ERR 0 -']);
  assert.deepEqual(await kz(engine, 'nz', 'W', 'incr', 'nan', 'a', '-', 'type'), ['ERR 0 -', '0']);
});

test('ZsetRem: deleted flag, empty key, last member deletes the key, errors', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '1', 'a', '2', 'b');
  await engine.call('SET', 's', 'v');
  const ev = events(engine);
  assert.deepEqual(await kz(engine, 'z', 'R', 'rem', 'a'), ['ERR -']);
  assert.deepEqual(await kz(engine, 's', 'W', 'rem', 'a', 'remnd', 'a'), ['ERR -', 'ERR']);
  assert.deepEqual(await kz(engine, 'nz', 'W', 'rem', 'a', 'remnd', 'a'), ['OK 0', 'OK']);
  assert.deepEqual(await kz(engine, 'z', 'W', 'rem', 'x', 'rem', 'a', 'len', 'remnd', 'b', 'type', 'rem', 'b'), ['OK 0', 'OK 1', '1', 'OK', '0', 'OK 0']);
  assert.equal(await engine.call('EXISTS', 'z'), 0);
  assert.deepEqual(ev, []); // no 'zrem' or 'del' from the low-level API
});

test('ZsetScore: present, absent, empty key, wrong type', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '1.25', 'a', '-inf', 'n');
  await engine.call('SET', 's', 'v');
  assert.deepEqual(await kz(engine, 'z', 'R', 'score', 'a', 'score', 'n', 'score', 'x'), ['1.25', '-inf', 'ERR']);
  assert.deepEqual(await kz(engine, 'nz', 'W', 'score', 'a'), ['ERR']);
  assert.deepEqual(await kz(engine, 's', 'R', 'score', 'a'), ['ERR']);
});

async function fill(engine: Engine, key: string, n: number) {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(String(i % 7), `m${String(i).padStart(4, '0')}`);
  await engine.call('ZADD', key, ...args);
}

/** "member score,member score" from a WITHSCORES reply. */
function joined(flat: unknown): string {
  const a = flat as string[];
  const out: string[] = [];
  for (let i = 0; i < a.length; i += 2) out.push(`${a[i]} ${a[i + 1]}`);
  return out.join(',');
}

test('score ranges: both directions, exclusive ends, infinities, matches ZRANGEBYSCORE (listpack and skiplist)', async () => {
  const engine = setup();
  await fill(engine, 'small', 20);
  await fill(engine, 'big', 300);
  assert.equal(await engine.call('OBJECT', 'ENCODING', 'small'), 'listpack');
  assert.equal(await engine.call('OBJECT', 'ENCODING', 'big'), 'skiplist');
  const ranges: [string, string, number, number][] = [
    ['-inf', 'inf', 0, 0], ['2', '4', 0, 0], ['2', '4', 1, 0], ['2', '4', 0, 1], ['2', '4', 1, 1],
    ['-inf', '0', 0, 0], ['6', 'inf', 1, 0], ['3', '3', 0, 0], ['3', '3', 1, 0], ['5', '1', 0, 0], ['10', 'inf', 0, 0],
  ];
  for (const key of ['small', 'big']) {
    for (const [min, max, minex, maxex] of ranges) {
      const lo = (minex ? '(' : '') + min;
      const hi = (maxex ? '(' : '') + max;
      const fwd = joined(await engine.call('ZRANGEBYSCORE', key, lo, hi, 'WITHSCORES'));
      const rev = joined(await engine.call('ZREVRANGEBYSCORE', key, hi, lo, 'WITHSCORES'));
      const [ok1, got] = await kz(engine, key, 'R', 'fs', min, max, String(minex), String(maxex), 'walk');
      const [ok2, rgot] = await kz(engine, key, 'R', 'ls', min, max, String(minex), String(maxex), 'rwalk');
      assert.equal(ok1, 'OK');
      assert.equal(ok2, 'OK');
      assert.equal(got, fwd, `${key} ${lo} ${hi}`);
      assert.equal(rgot, rev, `${key} ${hi} ${lo} rev`);
    }
  }
  assert.deepEqual(await engine.call('KZ.SUM', 'big', '5', '6'), [85, '467']);
});

test('score range iterator state: empty range, end flag, current element at the end, Prev/Next, Stop', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
  // An empty range: OK, end reached, no current element.
  assert.deepEqual(await kz(engine, 'z', 'R', 'fs', '10', '20', '0', '0', 'end', 'cur', 'next', 'prev'), ['OK', '1', 'NULL', '0', '0']);
  // Before any range: end reached, nothing current.
  assert.deepEqual(await kz(engine, 'z', 'R', 'end', 'cur', 'next', 'prev', 'stop'), ['1', 'NULL', '0', '0', 'OK']);
  assert.deepEqual(
    await kz(engine, 'z', 'R', 'fs', '2', '3', '0', '0', 'end', 'cur', 'curns', 'next', 'cur', 'next', 'end', 'cur', 'prev', 'cur', 'end', 'prev', 'prev', 'cur'),
    // At the end the current element stays; the end flag stays set once reached.
    ['OK', '0', 'b 2', 'b', '1', 'c 3', '0', '1', 'c 3', '1', 'b 2', '1', '0', '0', 'b 2'],
  );
  // A new range restarts; Stop clears everything.
  assert.deepEqual(
    await kz(engine, 'z', 'R', 'ls', '-inf', 'inf', '0', '0', 'cur', 'prev', 'cur', 'stop', 'end', 'cur', 'next', 'fs', '-inf', '1', '0', '1', 'end', 'cur'),
    ['OK', 'd 4', '1', 'c 3', 'OK', '1', 'NULL', '0', 'OK', '1', 'NULL'],
  );
  // Empty key and wrong type: ERR.
  await engine.call('SET', 's', 'v');
  assert.deepEqual(await kz(engine, 'nz', 'W', 'fs', '0', '1', '0', '0', 'ls', '0', '1', '0', '0', 'end'), ['ERR', 'ERR', '1']);
  assert.deepEqual(await kz(engine, 's', 'R', 'fs', '0', '1', '0', '0', 'fl', '-', '+', 'end', 'cur'), ['ERR', 'ERR', '1', 'NULL']);
  assert.deepEqual(await kz(engine, 'z', 'NULL', 'fs', '0', '1', '0', '0', 'fl', '-', '+', 'end', 'cur', 'next', 'prev', 'stop'), ['ERR', 'ERR', '1', 'NULL', '0', '0', 'OK']);
});

test('lex ranges: [ ( - + bounds, both directions, invalid ranges', async () => {
  const engine = setup();
  const members = ['a', 'aa', 'ab', 'b', 'ba', 'c', 'd\0x', 'e'];
  await engine.call('ZADD', 'small', ...members.flatMap((m) => ['0', m]));
  const many: string[] = [];
  for (let i = 0; i < 200; i++) many.push('0', `k${String(i).padStart(3, '0')}`);
  await engine.call('ZADD', 'big', ...many);
  const ranges: [string, string][] = [
    ['-', '+'], ['[a', '[b'], ['(a', '(b'], ['[aa', '(ba'], ['(b', '+'], ['-', '(aa'], ['[d', '[d\0y'], ['[z', '+'], ['[c', '[b'], ['[k050', '(k060'], ['(k198', '+'],
  ];
  for (const key of ['small', 'big']) {
    for (const [min, max] of ranges) {
      const fwd = ((await engine.call('ZRANGEBYLEX', key, min, max)) as string[]).map((m) => `${m} 0`).join(',');
      const rev = ((await engine.call('ZREVRANGEBYLEX', key, max, min)) as string[]).map((m) => `${m} 0`).join(',');
      assert.deepEqual(await kz(engine, key, 'R', 'fl', min, max, 'walk'), ['OK', fwd], `${key} ${min} ${max}`);
      assert.deepEqual(await kz(engine, key, 'R', 'll', min, max, 'rwalk'), ['OK', rev], `${key} ${min} ${max} rev`);
    }
  }
  // Invalid ranges: ERR; no range is left, and (as Valkey) the end flag reads 0.
  for (const [min, max] of [['a', '+'], ['-', 'b'], ['+x', '+'], ['', '+'], ['[a', '-x']]) {
    assert.deepEqual(await kz(engine, 'small', 'R', 'fl', '-', '+', 'fl', min!, max!, 'end', 'cur', 'next'), ['OK', 'ERR', '0', 'NULL', '0'], `${min} ${max}`);
    assert.deepEqual(await kz(engine, 'small', 'R', 'll', min!, max!, 'end'), ['ERR', '0']);
  }
  // "+" followed by a NUL byte is accepted, as the C text ends there.
  assert.deepEqual(await kz(engine, 'small', 'R', 'fl', '[e', '+\0junk', 'walk'), ['OK', 'e 0']);
});

test('iteration survives changes made through the same handle', async () => {
  const engine = setup();
  await engine.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
  assert.deepEqual(
    await kz(engine, 'z', 'W', 'fs', '-inf', 'inf', '0', '0', 'next', 'cur', 'rem', 'b', 'next', 'cur', 'rem', 'c', 'prev', 'cur', 'add', '2.5', 'x', '-', 'next', 'cur'),
    ['OK', '1', 'b 2', 'OK 1', '1', 'c 3', 'OK 1', '1', 'a 1', `OK ${ADDED}`, '1', 'x 2.5'],
  );
  // Removing the last member ends the iteration (the key is gone).
  await engine.call('ZADD', 'y', '1', 'only');
  assert.deepEqual(await kz(engine, 'y', 'W', 'fs', '-inf', 'inf', '0', '0', 'cur', 'rem', 'only', 'end', 'cur', 'next', 'type'), ['OK', 'only 1', 'OK 1', '1', 'NULL', '0', '0']);
});

test('ZsetAdd follows the listpack limits and a module sees what core commands wrote', async () => {
  const engine = setup();
  await engine.call('CONFIG', 'SET', 'zset-max-listpack-entries', '2');
  assert.deepEqual(await kz(engine, 'z', 'W', 'add', '1', 'a', '-', 'add', '2', 'b', '-'), [`OK ${ADDED}`, `OK ${ADDED}`]);
  assert.equal(await engine.call('OBJECT', 'ENCODING', 'z'), 'listpack');
  assert.deepEqual(await kz(engine, 'z', 'W', 'add', '3', 'c', '-'), [`OK ${ADDED}`]);
  assert.equal(await engine.call('OBJECT', 'ENCODING', 'z'), 'skiplist');
  await engine.call('ZINCRBY', 'z', '10', 'a');
  assert.deepEqual(await kz(engine, 'z', 'R', 'score', 'a', 'fs', '-inf', 'inf', '0', '0', 'walk'), ['11', 'OK', 'b 2,c 3,a 11']);
});
