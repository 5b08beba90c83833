/**
 * A seeded mutation fuzzer for the RDB loader: bytes of a valid image are flipped,
 * truncated, inserted, deleted or overwritten, and every mutant must either load (and then
 * serialize and load again) or be refused with RdbError — never another exception, never a
 * hang, never a half-loaded dataset after a refusal. Half the runs check the CRC (most
 * mutants stop there), half run with rdbchecksum no so the decoders see the damage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/engine/engine.js';
import { configOf } from '../src/engine/config.js';
import { serializeRdb, loadRdbBuffer } from '../src/persistence/rdb-file.js';
import { RdbError } from '../src/persistence/rdb-value.js';
import { prng } from './diff/runner.js';

async function sample(): Promise<Buffer> {
  const e = new Engine();
  try {
    await e.call('SET', 's', 'hello');
    await e.call('SET', 'n', '123456');
    await e.call('SET', 'lz', 'abc'.repeat(40));
    await e.call('SET', 'ttl', 'v', 'PX', '500000');
    await e.call('RPUSH', 'l', 'a', 'b', '7', 'c');
    const big: string[] = [];
    for (let i = 0; i < 200; i++) big.push(`item${i}`);
    await e.call('RPUSH', 'lb', ...big);
    await e.call('SADD', 'si', '1', '2', '3');
    await e.call('SADD', 'sl', 'x', 'y');
    await e.call('SADD', 'sh', ...big);
    await e.call('HSET', 'h', 'f', 'v', 'g', '1');
    await e.call('HSET', 'hb', ...big.flatMap((b) => [b, b]));
    await e.call('ZADD', 'z', '1', 'a', '2.5', 'b');
    await e.call('ZADD', 'zb', ...big.flatMap((b, i) => [String(i), b]));
    await e.call('XADD', 'x', '1-1', 'f', 'v');
    await e.call('XADD', 'x', '2-1', 'f', 'w', 'g', 'h');
    await e.call('XGROUP', 'CREATE', 'x', 'grp', '0');
    await e.call('XREADGROUP', 'GROUP', 'grp', 'c1', 'STREAMS', 'x', '>');
    await e.call('SELECT', '1');
    await e.call('SET', 'other', 'db');
    return serializeRdb(e);
  } finally {
    e.close();
  }
}

function mutate(src: Buffer, rnd: () => number): Buffer {
  const pick = (n: number): number => Math.floor(rnd() * n);
  let b = Buffer.from(src);
  const rounds = 1 + pick(3);
  for (let k = 0; k < rounds; k++) {
    const at = pick(b.length);
    switch (pick(5)) {
      case 0: // flip bits
        b[at] ^= 1 << pick(8);
        break;
      case 1: // truncate
        b = b.subarray(0, at);
        break;
      case 2: {
        // insert random bytes
        const ins = Buffer.alloc(1 + pick(8));
        for (let i = 0; i < ins.length; i++) ins[i] = pick(256);
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        break;
      }
      case 3: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + pick(16)))]);
        break;
      default: // overwrite with an interesting byte
        b[at] = [0, 0xff, 0x7f, 0x80, 0xc0, 0xc3, 0x3f, 0x40][pick(8)]!;
    }
  }
  return b;
}

test('seeded mutations of a valid RDB never crash: they load or are refused cleanly', { timeout: 120_000 }, async () => {
  const base = await sample();
  const checked = new Engine({ activeExpire: false });
  const unchecked = new Engine({ activeExpire: false });
  assert.equal(configOf(unchecked).load('rdbchecksum', ['no']), undefined);
  const other = new Engine({ activeExpire: false });
  const rnd = prng(0x5eed).next;
  let loaded = 0;
  let refused = 0;
  try {
    // the unmutated image loads in both
    assert.equal(loadRdbBuffer(checked, base, { flush: true }).keys, 15);
    assert.equal(loadRdbBuffer(unchecked, base, { flush: true }).keys, 15);
    for (let i = 0; i < 400; i++) {
      const m = mutate(base, rnd);
      const e = i % 2 === 0 ? checked : unchecked;
      try {
        const r = loadRdbBuffer(e, m, { flush: true });
        loaded++;
        let n = 0;
        for (const db of e.dbs) n += db.size;
        assert.equal(n, r.keys);
        // what loaded is a consistent dataset: it serializes and loads again
        const again = loadRdbBuffer(other, serializeRdb(e), { flush: true });
        assert.equal(again.keys, r.keys);
      } catch (err) {
        if (!(err instanceof RdbError)) {
          throw new Error(`iteration ${i}: ${(err as Error).stack}\nmutant: ${m.toString('base64')}`);
        }
        refused++;
        for (const db of e.dbs) assert.equal(db.size, 0, `iteration ${i}: half-loaded after '${err.message}'`);
      }
    }
  } finally {
    checked.close();
    unchecked.close();
    other.close();
  }
  assert.equal(loaded + refused, 400);
  assert.ok(refused > 100, `refused ${refused}`);
});
