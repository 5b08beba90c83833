/** The stream key API (StreamAdd, StreamDelete, iterators, trimming) against the TypeScript
 *  keyspace, cross-checked with core commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { testModule } from './helpers.js';

const MAX = '18446744073709551615';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('keystream'));
  const clock = { now: 1_700_000_000_000 };
  engine.now = () => clock.now;
  return { engine, clock };
}

/** Runs KX.DO and returns its replies. */
async function kx(engine: Engine, key: string, mode: string, ...ops: string[]): Promise<unknown[]> {
  return (await engine.call('KX.DO', key, mode, ...ops)) as unknown[];
}

function events(engine: Engine): string[] {
  const out: string[] = [];
  engine.onKeyspaceEvent((e) => {
    if (e.event !== 'keymiss') out.push(`${e.event}:${e.key}`);
  });
  return out;
}

/** XINFO STREAM as an object (scalar fields only). */
async function info(engine: Engine, key: string): Promise<Record<string, unknown>> {
  const a = (await engine.call('XINFO', 'STREAM', key)) as unknown[];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) o[a[i] as string] = a[i + 1];
  return o;
}

test('StreamAdd: explicit and automatic IDs, creating the stream, what XRANGE sees', async () => {
  const { engine, clock } = setup();
  const ev = events(engine);
  const dirty0 = engine.dirty;
  assert.deepEqual(
    await kx(engine, 's', 'W', 'add', '5-1', '2', 'a', '1', 'b', '2', 'add', '*', '1', 'c', '3', 'add', '*', '1', 'd', '4', 'addauto0', '1', 'e', '5', 'len', 'type'),
    ['OK 5-1', `OK ${clock.now}-0`, `OK ${clock.now}-1`, 'OK', '4', '7'],
  );
  assert.deepEqual(await engine.call('XRANGE', 's', '-', '+'), [
    ['5-1', ['a', '1', 'b', '2']],
    [`${clock.now}-0`, ['c', '3']],
    [`${clock.now}-1`, ['d', '4']],
    [`${clock.now}-2`, ['e', '5']],
  ]);
  // Creating the key fires 'new'; the key API itself emits no 'xadd'.
  assert.deepEqual(ev, ['new:s']);
  assert.equal(engine.dirty, dirty0 + 4);
  const i = await info(engine, 's');
  assert.equal(i['length'], 4);
  assert.equal(i['last-generated-id'], `${clock.now}-2`);
  assert.equal(i['entries-added'], 4);
  // Explicit IDs only need to be above the last one; an automatic ID after a future one
  // continues its sequence.
  assert.deepEqual(await kx(engine, 's', 'W', 'add', `${clock.now + 10}-0`, '1', 'f', '6', 'add', '*', '1', 'g', '7'), [
    `OK ${clock.now + 10}-0`,
    `OK ${clock.now + 10}-1`,
  ]);
  // An entry without fields is accepted (argv may then be NULL).
  assert.deepEqual(await kx(engine, 'e', 'W', 'addnoargv', '0'), [`OK ${clock.now}-0`]);
  assert.deepEqual(await engine.call('XRANGE', 'e', '-', '+'), [[`${clock.now}-0`, []]]);
});

test('StreamAdd: errno for every failure, and failures never create the key', async () => {
  const { engine } = setup();
  await engine.call('XADD', 's', '10-5', 'f', 'v');
  await engine.call('SET', 'str', 'v');
  const ev = events(engine);
  // EINVAL: NULL handle, a NULL id without AUTOID, a NULL argv with fields.
  assert.deepEqual(await kx(engine, 's', 'NULL', 'add', '*', '1', 'f', 'v'), ['ERR EINVAL']);
  assert.deepEqual(await kx(engine, 's', 'W', 'addnoid', '1', 'f', 'v', 'addnoargv', '1'), ['ERR EINVAL', 'ERR EINVAL']);
  // ENOTSUP: another type (before the write-mode check).
  assert.deepEqual(await kx(engine, 'str', 'W', 'add', '*', '1', 'f', 'v'), ['ERR ENOTSUP']);
  assert.deepEqual(await kx(engine, 'str', 'R', 'add', '*', '1', 'f', 'v'), ['ERR ENOTSUP']);
  // EBADF: not opened for writing (a stream or an empty key).
  assert.deepEqual(await kx(engine, 's', 'R', 'add', '*', '1', 'f', 'v'), ['ERR EBADF']);
  assert.deepEqual(await kx(engine, 'nokey', 'RW', 'stop'), ['ERR ENOTSUP']);
  // EDOM: 0-0, or not above the last ID.
  assert.deepEqual(
    await kx(engine, 's', 'W', 'add', '0-0', '1', 'f', 'v', 'add', '10-5', '1', 'f', 'v', 'add', '10-4', '1', 'f', 'v', 'add', '9', '1', 'f', 'v', 'len'),
    ['ERR EDOM', 'ERR EDOM', 'ERR EDOM', 'ERR EDOM', '1'],
  );
  assert.deepEqual(await kx(engine, 'new', 'W', 'add', '0-0', '1', 'f', 'v', 'type'), ['ERR EDOM', '0']);
  assert.equal(await engine.call('EXISTS', 'new'), 0);
  // EFBIG: the stream used the last possible ID (explicit and automatic IDs alike).
  await engine.call('XADD', 'full', `${MAX}-${MAX}`, 'f', 'v');
  assert.deepEqual(await kx(engine, 'full', 'W', 'add', '*', '1', 'f', 'v', 'add', `${MAX}-${MAX}`, '1', 'f', 'v', 'addauto0', '1', 'f', 'v'), [
    'ERR EFBIG',
    'ERR EFBIG',
    'ERR EFBIG',
  ]);
  // An automatic ID after a large explicit one.
  await engine.call('XADD', 'big', `${MAX}-5`, 'f', 'v');
  assert.deepEqual(await kx(engine, 'big', 'W', 'add', '*', '1', 'f', 'v'), [`OK ${MAX}-6`]);
  assert.deepEqual(await engine.call('XRANGE', 's', '-', '+'), [['10-5', ['f', 'v']]]);
  assert.deepEqual(ev, ['new:full', 'xadd:full', 'new:big', 'xadd:big']);
});

test('StreamDelete: deletes one entry; ENOENT, ENOTSUP, EBADF, EINVAL', async () => {
  const { engine } = setup();
  await engine.call('XADD', 's', '1-1', 'a', '1');
  await engine.call('XADD', 's', '2-1', 'b', '2');
  await engine.call('XADD', 's', '3-1', 'c', '3');
  await engine.call('SET', 'str', 'v');
  const dirty0 = engine.dirty;
  assert.deepEqual(await kx(engine, 's', 'W', 'del', '2-1', 'del', '2-1', 'del', '9-9', 'delnull', 'len'), ['OK', 'ERR ENOENT', 'ERR ENOENT', 'ERR EINVAL', '2']);
  assert.equal(engine.dirty, dirty0 + 1);
  assert.deepEqual(await engine.call('XRANGE', 's', '-', '+'), [['1-1', ['a', '1']], ['3-1', ['c', '3']]]);
  assert.deepEqual(await kx(engine, 's', 'R', 'del', '1-1'), ['ERR EBADF']);
  assert.deepEqual(await kx(engine, 's', 'W', 'start', '-', '-', '+', 'del', '1-1', 'stop', 'del', '1-1'), ['OK', 'ERR EBADF', 'OK', 'OK']);
  assert.deepEqual(await kx(engine, 'str', 'W', 'del', '1-1'), ['ERR ENOTSUP']);
  assert.deepEqual(await kx(engine, 'str', 'R', 'del', '1-1'), ['ERR ENOTSUP']);
  assert.deepEqual(await kx(engine, 'nokey', 'W', 'del', '1-1'), ['ERR ENOTSUP']);
  assert.deepEqual(await kx(engine, 's', 'NULL', 'del', '1-1'), ['ERR EINVAL']);
  // Deleting the last entry leaves an empty stream (streams are not removed when empty).
  assert.deepEqual(await kx(engine, 's', 'W', 'del', '3-1', 'len', 'type'), ['OK', '0', '7']);
  assert.equal(await engine.call('XLEN', 's'), 0);
});

/** A stream of n entries with IDs 1-1 .. n-1 and one field each. */
async function fillStream(engine: Engine, key: string, n: number, from = 1) {
  for (let i = from; i < from + n; i++) await engine.call('XADD', key, `${i}-1`, 'f', String(i));
}

/** "id f=v,id f=v" from an XRANGE reply. */
function flat(entries: unknown): string {
  return (entries as [string, string[]][])
    .map(([id, fv]) => {
      let s = id;
      for (let i = 0; i < fv.length; i += 2) s += ` ${fv[i]}=${fv[i + 1]}`;
      return s;
    })
    .join(',');
}

test('iterators: forward, reverse, bounds, exclusive bounds, matching XRANGE / XREVRANGE', async () => {
  const { engine } = setup();
  await fillStream(engine, 's', 250); // three macro nodes
  await engine.call('XDEL', 's', '7-1', '150-1');
  const cases: [string, string][] = [['-', '+'], ['5-1', '9-1'], ['0-0', '1-1'], ['249-1', '+'], ['100-1', '201-1'], ['9-0', '5-0'], ['7-1', '7-1'], ['300-0', '+']];
  for (const [s, e] of cases) {
    for (const ex of [false, true]) {
      const lo = ex && s !== '-' ? `(${s}` : s;
      const hi = ex && e !== '+' ? `(${e}` : e;
      const fwd = flat(await engine.call('XRANGE', 's', lo, hi));
      const rev = flat(await engine.call('XREVRANGE', 's', hi, lo));
      assert.deepEqual(await kx(engine, 's', 'R', 'start', ex ? 'EX' : '-', s, e, 'all', 'stop'), ['OK', fwd, 'OK'], `${lo} ${hi}`);
      assert.deepEqual(await kx(engine, 's', 'R', 'start', ex ? 'EX|REV' : 'REV', s, e, 'all', 'stop'), ['OK', rev, 'OK'], `${lo} ${hi} rev`);
    }
  }
  // Exclusive ends that leave the ID range: EDOM.
  assert.deepEqual(await kx(engine, 's', 'R', 'start', 'EX', `${MAX}-${MAX}`, '+', 'start', 'EX', '-', '0-0', 'start', '-', '-', '0-0', 'all'), [
    'ERR EDOM',
    'ERR EDOM',
    'OK',
    '',
  ]);
});

test('iterator protocol: NextID / NextField / Stop and their errno', async () => {
  const { engine } = setup();
  await engine.call('XADD', 's', '1-1', 'a', '1', 'b', '2');
  await engine.call('XADD', 's', '2-1', 'c', '3');
  await engine.call('SET', 'str', 'v');
  assert.deepEqual(
    await kx(engine, 's', 'R',
      'nextid', 'field', 'stop', // no iterator: EBADF
      'start', '-', '-', '+',
      'start', '-', '-', '+', // already started: EBADF
      'field', // no current entry yet
      'nextid', 'field', 'field', 'field',
      'nextid0', 'field0', 'field',
      'nextid', 'field', 'nextid', // past the end: ENOENT, and it stays so
      'stop', 'stop', 'nextid'),
    [
      'ERR EBADF', 'ERR EBADF', 'ERR EBADF',
      'OK', 'ERR EBADF', 'ERR ENOENT',
      'OK 1-1 2', 'OK a 1', 'OK b 2', 'ERR ENOENT',
      'OK', 'OK', 'ERR ENOENT',
      'ERR ENOENT', 'ERR ENOENT', 'ERR ENOENT',
      'OK', 'ERR EBADF', 'ERR EBADF',
    ],
  );
  // Bad flags and NULL handles: EINVAL. Empty keys and other types: ENOTSUP.
  assert.deepEqual(await kx(engine, 's', 'R', 'start', 'BAD', '-', '+'), ['ERR EINVAL']);
  assert.deepEqual(await kx(engine, 's', 'NULL', 'start', '-', '-', '+', 'stop', 'nextid', 'field', 'idel'), ['ERR EINVAL', 'ERR EINVAL', 'ERR EINVAL', 'ERR EINVAL', 'ERR EINVAL']);
  assert.deepEqual(await kx(engine, 'str', 'R', 'start', '-', '-', '+', 'stop', 'nextid', 'field', 'idel'), ['ERR ENOTSUP', 'ERR ENOTSUP', 'ERR ENOTSUP', 'ERR ENOTSUP', 'ERR ENOTSUP']);
  assert.deepEqual(await kx(engine, 'nokey', 'W', 'start', '-', '-', '+', 'stop', 'nextid', 'field', 'idel'), ['ERR ENOTSUP', 'ERR ENOTSUP', 'ERR ENOTSUP', 'ERR ENOTSUP', 'ERR ENOTSUP']);
  // A handle closed with a live iterator frees it (no leak, no crash).
  assert.deepEqual(await kx(engine, 's', 'R', 'start', '-', '-', '+', 'nextid'), ['OK', 'OK 1-1 2']);
});

test('StreamIteratorDelete: deletes the current entry, iteration goes on; errno', async () => {
  const { engine } = setup();
  await fillStream(engine, 's', 6);
  assert.deepEqual(
    await kx(engine, 's', 'W', 'start', '-', '-', '+',
      'idel', // no current entry
      'nextid', 'nextid', 'idel', 'idel', 'field',
      'nextid', 'field', 'nextid', 'idel', 'stop', 'idel'),
    ['OK', 'ERR ENOENT', 'OK 1-1 1', 'OK 2-1 1', 'OK', 'ERR ENOENT', 'ERR ENOENT', 'OK 3-1 1', 'OK f 3', 'OK 4-1 1', 'OK', 'OK', 'ERR EBADF'],
  );
  assert.deepEqual(await engine.call('XRANGE', 's', '-', '+'), [['1-1', ['f', '1']], ['3-1', ['f', '3']], ['5-1', ['f', '5']], ['6-1', ['f', '6']]]);
  assert.deepEqual(await kx(engine, 's', 'R', 'start', '-', '-', '+', 'nextid', 'idel'), ['OK', 'OK 1-1 1', 'ERR EBADF']);
  // Deleting every entry in reverse leaves an empty stream.
  const ops: string[] = ['start', 'REV', '-', '+'];
  for (let i = 0; i < 4; i++) ops.push('nextid', 'idel');
  ops.push('nextid', 'stop', 'len');
  assert.deepEqual(await kx(engine, 's', 'W', ...ops), ['OK', 'OK 6-1 1', 'OK', 'OK 5-1 1', 'OK', 'OK 3-1 1', 'OK', 'OK 1-1 1', 'OK', 'ERR ENOENT', 'OK', '0']);
  assert.equal(await engine.call('EXISTS', 's'), 1);
  assert.deepEqual(await engine.call('XRANGE', 's', '-', '+'), []);
});

test('StreamTrimByLength / StreamTrimByID: exact and approximate, as XTRIM; errno', async () => {
  const { engine } = setup();
  for (const key of ['a', 'b']) await fillStream(engine, key, 250);
  // Approximate trims drop whole macro nodes only, exactly as XTRIM ~ does.
  assert.deepEqual(await kx(engine, 'a', 'W', 'trimlen', 'APPROX', '120', 'len'), ['100', '150']);
  assert.equal(await engine.call('XTRIM', 'b', 'MAXLEN', '~', '120'), 100);
  assert.deepEqual(await kx(engine, 'a', 'W', 'trimlen', 'APPROX', '100', 'trimid', 'APPROX', '240-1', 'len'), ['0', '100', '50']);
  assert.equal(await engine.call('XTRIM', 'b', 'MAXLEN', '~', '100'), 0);
  assert.equal(await engine.call('XTRIM', 'b', 'MINID', '~', '240-1'), 100);
  assert.deepEqual(await engine.call('XRANGE', 'a', '-', '+'), await engine.call('XRANGE', 'b', '-', '+'));
  // Exact trims.
  assert.deepEqual(await kx(engine, 'a', 'W', 'trimlen', '-', '45', 'trimid', '-', '210-1', 'trimid', '-', '210-1', 'trimlen', '-', '1000', 'len'), ['5', '4', '0', '0', '41']);
  assert.equal(await engine.call('XTRIM', 'b', 'MAXLEN', '45'), 5);
  assert.equal(await engine.call('XTRIM', 'b', 'MINID', '210-1'), 4);
  assert.deepEqual(await engine.call('XRANGE', 'a', '-', '+'), await engine.call('XRANGE', 'b', '-', '+'));
  assert.deepEqual(await info(engine, 'a'), await info(engine, 'b'));
  assert.deepEqual(await kx(engine, 'a', 'W', 'trimlen', '-', '0', 'len', 'type'), ['41', '0', '7']);
  // errno.
  await engine.call('SET', 'str', 'v');
  assert.deepEqual(await kx(engine, 'b', 'W', 'trimlen', 'BAD', '1', 'trimlen', '-', '-1', 'trimidnull', '-', 'trimid', 'BAD', '1-1'), ['-1 EINVAL', '-1 EINVAL', '-1 EINVAL', '-1 EINVAL']);
  assert.deepEqual(await kx(engine, 'b', 'R', 'trimlen', '-', '1', 'trimid', '-', '1-1'), ['-1 EBADF', '-1 EBADF']);
  assert.deepEqual(await kx(engine, 'str', 'W', 'trimlen', '-', '1', 'trimid', '-', '1-1'), ['-1 ENOTSUP', '-1 ENOTSUP']);
  assert.deepEqual(await kx(engine, 'str', 'R', 'trimlen', '-', '1'), ['-1 ENOTSUP']);
  assert.deepEqual(await kx(engine, 'nokey', 'W', 'trimlen', '-', '1', 'trimid', '-', '1-1'), ['-1 ENOTSUP', '-1 ENOTSUP']);
  assert.deepEqual(await kx(engine, 'b', 'NULL', 'trimlen', '-', '1', 'trimid', '-', '1-1'), ['-1 EINVAL', '-1 EINVAL']);
});

test('a module copies a stream with the iterator and StreamAdd (explicit IDs), without AutoMemory', async () => {
  const { engine } = setup();
  await fillStream(engine, 'src', 300);
  await engine.call('XADD', 'src', '400-1', 'x', '1', 'y', '2', 'z', '3');
  assert.equal(await engine.call('KX.COPY', 'src', 'dst'), 301);
  assert.deepEqual(await engine.call('XRANGE', 'dst', '-', '+'), await engine.call('XRANGE', 'src', '-', '+'));
  const a = await info(engine, 'src');
  const b = await info(engine, 'dst');
  assert.equal(b['radix-tree-keys'], a['radix-tree-keys']);
  assert.equal(b['last-generated-id'], '400-1');
  // Copying again: the first ID is not above the last one, nothing is added.
  assert.equal(await engine.call('KX.COPY', 'src', 'dst'), 0);
  await engine.call('SET', 'str', 'v');
  const err = await engine.call('KX.COPY', 'str', 'dst');
  assert.ok(err instanceof ReplyError);
  assert.equal(err.message, 'ERR start: ENOTSUP');
});
