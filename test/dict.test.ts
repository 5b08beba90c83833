/** The dictionary API (test-modules/dict.c): set/get/del, seek, iterate, compare. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, SimpleString } from '../src/index.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('dict'));

/** Empties the module's dict and fills it with a..e -> va..ve. */
async function reset(keys = ['a', 'b', 'c', 'd', 'e']): Promise<void> {
  assert.deepEqual(await engine.call('DICT.CLEAR'), new SimpleString('OK'));
  for (const k of keys) assert.equal(await engine.call('DICT.SET', k, `v${k}`), 0);
}

test('Set / Replace / Get / Del, C and string variants', async () => {
  await reset([]);
  assert.equal(await engine.call('DICT.SET', 'k1', 'one'), 0);
  assert.equal(await engine.call('DICT.SET', 'k1', 'uno'), 1); // exists: ERR, unchanged
  assert.deepEqual(await engine.call('DICT.GET', 'k1'), [0, 'one']);
  assert.equal(await engine.call('DICT.SETC', 'k2', 'two'), 0);
  assert.equal(await engine.call('DICT.SETC', 'k2', 'dos'), 1);
  assert.deepEqual(await engine.call('DICT.GETC', 'k2'), [0, 'two']);
  assert.equal(await engine.call('DICT.REPLACE', 'k1', 'uno'), 0);
  assert.deepEqual(await engine.call('DICT.GETC', 'k1'), [0, 'uno']);
  assert.equal(await engine.call('DICT.REPLACEC', 'k2', 'dos'), 0);
  assert.equal(await engine.call('DICT.REPLACEC', 'k3', 'tres'), 0); // replace adds a missing key
  assert.deepEqual(await engine.call('DICT.GET', 'k2'), [0, 'dos']);
  assert.deepEqual(await engine.call('DICT.GET', 'k3'), [0, 'tres']);
  assert.equal(await engine.call('DICT.SIZE'), 3);
  assert.deepEqual(await engine.call('DICT.GET', 'nope'), [1, null]);
  assert.deepEqual(await engine.call('DICT.GETC', 'nope'), [1, null]);
  assert.deepEqual(await engine.call('DICT.DEL', 'k1'), [0, 'uno']);
  assert.deepEqual(await engine.call('DICT.DEL', 'k1'), [1, null]);
  assert.deepEqual(await engine.call('DICT.DELC', 'k2'), [0, 'dos']);
  assert.deepEqual(await engine.call('DICT.DELC', 'k2'), [1, null]);
  assert.equal(await engine.call('DICT.SIZE'), 1);
  // the empty key is a key like any other
  assert.equal(await engine.call('DICT.SETC', '', 'empty'), 0);
  assert.deepEqual(await engine.call('DICT.GET', ''), [0, 'empty']);
  assert.equal(await engine.call('DICT.SIZE'), 2);
});

test('iteration: ^ and $, Next/Prev, end of iteration is sticky', async () => {
  await reset();
  assert.deepEqual(await engine.call('DICT.WALK', '^', '', 'n', 'n', 'n', 'n', 'n', 'n', 'p'), [
    'a', 'b', 'c', 'd', 'e', null, null,
  ]);
  assert.deepEqual(await engine.call('DICT.WALK', '$', '', 'p', 'p', 'n'), ['e', 'd', 'e']);
  assert.deepEqual(await engine.call('DICT.WALK', '^', '', 'n', 'n', 'p', 'p', 'n'), ['a', 'b', 'a', null, null]);
  assert.deepEqual(await engine.call('DICT.WALK', '==', 'c', 'n', 'v', 'p', 'v'), ['c', 'vc', 'b', 'vb']);
});

test('seek operators', async () => {
  await reset();
  const first = async (op: string, key: string, dir: 'n' | 'p' = 'n') =>
    ((await engine.call('DICT.WALK', op, key, dir)) as unknown[])[0];
  assert.equal(await first('>', 'b'), 'c');
  assert.equal(await first('>=', 'b'), 'b');
  assert.equal(await first('>=', 'bb'), 'c');
  assert.equal(await first('<', 'c', 'p'), 'b');
  assert.equal(await first('<', 'c', 'n'), 'b'); // the seeked element comes first either way
  assert.equal(await first('<=', 'c', 'p'), 'c');
  assert.equal(await first('<=', 'bb', 'p'), 'b');
  assert.equal(await first('==', 'c'), 'c');
  assert.equal(await first('==', 'cc'), null);
  assert.equal(await first('>', 'e'), null);
  assert.equal(await first('<', 'a', 'p'), null);
  assert.equal(await first('>', ''), 'a');
  assert.equal(await first('<', 'zzz', 'p'), 'e');
  assert.deepEqual(await engine.call('DICT.WALK', '<', 'c', 'n', 'n'), ['b', 'c']);
  // on an empty dict nothing is seeked
  await reset([]);
  assert.equal(await first('^', ''), null);
  assert.equal(await first('$', '', 'p'), null);
});

test('Compare against the current element', async () => {
  await reset();
  assert.deepEqual(
    await engine.call(
      'DICT.WALK', '>=', 'b',
      'c:==:b', 'c:>:a', 'c:<:c', 'c:>=:b', 'c:<=:b', 'c:>:b', 'c:<:b', 'c:^:b', 'c:=:b',
      'n', 'c:==:b', 'c:<:ba', 'c:>:', 'n', 'c:>:b', 'c:<=:b',
    ),
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 'b', 0, 0, 0, 'c', 0, 1],
  );
  // at end of iteration every comparison fails
  assert.deepEqual(await engine.call('DICT.WALK', '>', 'e', 'c:>=:a', 'c:<:z'), [1, 1]);
  assert.deepEqual(await engine.call('DICT.WALK', '$', '', 'p', 'p', 'n', 'n', 'c:>=:a'), ['e', 'd', 'e', null, 1]);
});

test('Reseek', async () => {
  await reset();
  assert.deepEqual(
    await engine.call(
      'DICT.WALK', '^', '',
      'n', 'r:>:c', 'n', 'r:==:zz', 'n', 'p', 'r:<=:zz', 'p', 'r:!:a', 'n', 'r:^:', 'n',
    ),
    ['a', 0, 'd', 1, null, null, 0, 'e', 1, null, 0, 'a'],
  );
});

test('the dict may change while an iterator is open', async () => {
  await reset();
  // deleting an element not yet reached
  assert.deepEqual(await engine.call('DICT.WALK', '^', '', 'n', 'd:b', 'n'), ['a', 0, 'c']);
  await reset();
  // deleting the element returned last: the walk goes on from its key, both ways
  assert.deepEqual(await engine.call('DICT.WALK', '^', '', 'n', 'n', 'd:b', 'n', 'p'), ['a', 'b', 0, 'c', 'a']);
  await reset();
  // inserting right after the current element: the walk sees it
  assert.deepEqual(await engine.call('DICT.WALK', '^', '', 'n', 's:ab', 'n', 'v', 'd:ab', 'n'), [
    'a', 0, 'ab', 'new', 0, 'b',
  ]);
  await reset();
  // the seeked element deleted before the first step: the nearest one in that direction
  assert.deepEqual(await engine.call('DICT.WALK', '>=', 'b', 'd:b', 'n'), [0, 'c']);
  await reset();
  assert.deepEqual(await engine.call('DICT.WALK', '<=', 'b', 'd:b', 'p'), [0, 'a']);
  await reset();
  // deleting everything while walking
  assert.deepEqual(await engine.call('DICT.WALK', '^', '', 'n', 'd:a', 'n', 'd:b', 'n', 'd:c', 'n', 'd:d', 'n', 'd:e', 'n'), [
    'a', 0, 'b', 0, 'c', 0, 'd', 0, 'e', 0, null,
  ]);
  assert.equal(await engine.call('DICT.SIZE'), 0);
});

test('string variants: IteratorStart, Next, Prev, Reseek, Compare', async () => {
  await reset();
  assert.deepEqual(await engine.call('DICT.WALKS', '^', '', 'n', 'n', 'p'), ['a', 'b', 'a']);
  assert.deepEqual(await engine.call('DICT.WALKS', '>=', 'b', 'c:==:b', 'r:<:b', 'n', 'n'), [0, 0, 'a', 'b']);
  assert.deepEqual(await engine.call('DICT.WALKS', '$', '', 'p', 'p', 'v', 'c:>:d'), ['e', 'd', 'vd', 1]);
  assert.deepEqual(await engine.call('DICT.WALKS', '>', 'e', 'n', 'r:==:zz', 'p'), [null, 1, null]);
});

test('range loop with Compare', async () => {
  await reset();
  assert.deepEqual(await engine.call('DICT.RANGE', 'b', 'd'), ['b', 'c', 'd']);
  assert.deepEqual(await engine.call('DICT.RANGE', 'bb', 'cc'), ['c']);
  assert.deepEqual(await engine.call('DICT.RANGE', 'x', 'z'), []);
  assert.deepEqual(await engine.call('DICT.RANGE', '', 'zzz'), ['a', 'b', 'c', 'd', 'e']);
});

test('binary keys sort as unsigned bytes', async () => {
  await reset([]);
  for (const k of [Buffer.from([0xff]), Buffer.from('a'), Buffer.from([0, 0]), Buffer.from([0]), Buffer.from([0x80])]) {
    assert.equal(await engine.call('DICT.SETC', k, 'x'), 0);
  }
  assert.deepEqual(await engine.call('DICT.HEX'), ['00', '0000', '61', '80', 'ff']);
  assert.deepEqual(await engine.call('DICT.GETC', Buffer.from([0, 0])), [0, 'x']);
  assert.deepEqual(await engine.call('DICT.GETC', Buffer.from([0, 0, 0])), [1, null]);
});

test('AutoMemory releases ctx dicts and the strings DictNext returns', async () => {
  assert.deepEqual(await engine.call('DICT.AUTO', 100), [100, 100]);
  assert.deepEqual(await engine.call('DICT.AUTO', 0), [0, 0]);
  for (let i = 0; i < 50; i++) assert.deepEqual(await engine.call('DICT.AUTO', 20), [20, 20]);
  assert.deepEqual(await engine.call('DICT.FREECTX'), new SimpleString('OK'));
});
