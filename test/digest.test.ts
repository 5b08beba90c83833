/**
 * DEBUG DIGEST / DEBUG DIGEST-VALUE: shape of the replies, what changes a digest and what
 * does not, the score formatting Valkey uses, and a differential run against Debian's
 * redis-server on seeded random data of every core type (byte-identical digests).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, encodeReply } from '../src/index.js';
import { formatScore } from '../src/engine/digest.js';
import { haveRedisServer, RawClient, RedisOracle } from './oracle.js';
import { prng } from './diff/runner.js';

const skip = haveRedisServer() ? false : 'redis-server is not installed';
const ZERO = '0'.repeat(40);

async function digest(e: Engine | ReturnType<Engine['client']>): Promise<string> {
  const r = (await e.call('DEBUG', 'DIGEST')) as { value: string };
  return r.value;
}

async function digestValues(e: Engine | ReturnType<Engine['client']>, ...keys: string[]): Promise<string[]> {
  const r = (await e.call('DEBUG', 'DIGEST-VALUE', ...keys)) as { value: string }[];
  return r.map((x) => x.value);
}

test('empty dataset and missing keys digest to zeros', async () => {
  const e = new Engine();
  assert.equal(await digest(e), ZERO);
  assert.deepEqual(await digestValues(e, 'nope', 'other'), [ZERO, ZERO]);
  assert.deepEqual(await digestValues(e), []);
  // reply types: a status line and an array of status lines
  assert.equal(encodeReply(await e.call('DEBUG', 'DIGEST'), 2).toString(), `+${ZERO}\r\n`);
  assert.equal(encodeReply(await e.call('DEBUG', 'DIGEST-VALUE', 'x'), 2).toString(), `*1\r\n+${ZERO}\r\n`);
  e.close();
});

test('digest depends on contents, order where it matters, TTL and database, not on insertion order', async () => {
  const e = new Engine();
  await e.call('SADD', 's', 'a', 'b', 'c');
  const d1 = await digest(e);
  assert.match(d1, /^[0-9a-f]{40}$/);
  assert.notEqual(d1, ZERO);
  await e.call('DEL', 's');
  await e.call('SADD', 's', 'c', 'b', 'a');
  assert.equal(await digest(e), d1, 'set order does not matter');
  // lists: order matters
  await e.call('RPUSH', 'l1', 'a', 'b');
  await e.call('RPUSH', 'l2', 'b', 'a');
  const [l1, l2] = await digestValues(e, 'l1', 'l2');
  assert.notEqual(l1, l2);
  // a TTL changes the value digest
  await e.call('SET', 'k', 'v');
  const [before] = await digestValues(e, 'k');
  await e.call('EXPIRE', 'k', '1000');
  const [withTtl] = await digestValues(e, 'k');
  assert.notEqual(before, withTtl);
  await e.call('PERSIST', 'k');
  assert.deepEqual(await digestValues(e, 'k'), [before]);
  // the same data in another database gives another dataset digest
  const a = new Engine();
  const b = new Engine();
  await a.call('SET', 'x', '1');
  await b.call('SELECT', '3');
  await b.call('SET', 'x', '1');
  assert.notEqual(await digest(a), await digest(b));
  assert.deepEqual(await digestValues(a, 'x'), await digestValues(b, 'x'));
  // DIGEST-VALUE works in the client's selected database
  assert.deepEqual(await digestValues(a, 'x'), await digestValues(b, 'x'));
  for (const x of [e, a, b]) x.close();
});

test('zset scores are formatted the way Valkey formats them in the digest', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [1.1, '1.1'],
    [0.1, '0.1'],
    [0.001, '0.001'],
    [1e7, '10000000'],
    [1e8, '1e+8'],
    [123456789, '123456789'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [1.5e-7, '1.5e-7'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [1 / 3, '0.3333333333333333'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ];
  for (const [d, s] of cases) assert.equal(formatScore(d), s, String(d));
  // Grisu2 digits always read back as the same double
  let seed = 7;
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    view.setUint32(0, seed);
    seed = (seed * 1103515245 + 12345) >>> 0;
    view.setUint32(4, seed);
    const d = view.getFloat64(0);
    if (!Number.isFinite(d)) continue;
    assert.equal(Number(formatScore(d)), d);
  }
});

// ---------------------------------------------------------------------------------------
// Differential against redis-server
// ---------------------------------------------------------------------------------------

function genCommands(seed: number): { cmds: string[][]; keys: Map<number, Set<string>> } {
  const r = prng(seed).next; // seeded: a failure can be replayed
  const int = (n: number) => Math.floor(r() * n);
  const bytes = (max: number) => {
    let s = '';
    const n = int(max);
    for (let i = 0; i < n; i++) s += String.fromCharCode(r() < 0.8 ? 97 + int(26) : int(256));
    return s;
  };
  const member = () => (r() < 0.3 ? String(int(2000) - 1000) : r() < 0.1 ? 'x'.repeat(70 + int(30)) : bytes(12));
  // Scores on which Redis 7.0's "%.17g" and Valkey's shortest form agree.
  const score = () => String(r() < 0.7 ? int(2_000_000) - 1_000_000 : (int(4000) - 2000) / 4);
  const cmds: string[][] = [];
  const keys = new Map<number, Set<string>>();
  for (let dbi = 0; dbi < 3; dbi++) {
    const db = dbi * 2;
    cmds.push(['SELECT', String(db)]);
    const ks = new Set<string>();
    keys.set(db, ks);
    const nkeys = 30 + int(30);
    for (let k = 0; k < nkeys; k++) {
      const key = `k${k}:${bytes(6)}`;
      ks.add(key);
      const big = r() < 0.2;
      const n = big ? 150 + int(200) : 1 + int(20);
      switch (int(7)) {
        case 0:
          cmds.push(['SET', key, r() < 0.3 ? String(int(100000)) : bytes(big ? 300 : 30)]);
          break;
        case 1: {
          const c = ['RPUSH', key];
          for (let i = 0; i < n; i++) c.push(member());
          cmds.push(c);
          if (r() < 0.5) cmds.push(['LPUSH', key, member(), member()]);
          break;
        }
        case 2: {
          const c = ['SADD', key];
          const allInts = r() < 0.4;
          for (let i = 0; i < n; i++) c.push(allInts ? String(int(100000)) : member());
          cmds.push(c);
          break;
        }
        case 3: {
          const c = ['ZADD', key];
          for (let i = 0; i < n; i++) c.push(score(), member());
          cmds.push(c);
          break;
        }
        case 4: {
          const c = ['HSET', key];
          for (let i = 0; i < n; i++) c.push(member(), r() < 0.1 ? bytes(100) : member());
          cmds.push(c);
          break;
        }
        case 5: {
          let ms = 1 + int(1000);
          const ids: string[] = [];
          for (let i = 0; i < n; i++) {
            ms += int(3);
            const id = `${ms}-${i}`;
            ids.push(id);
            const c = ['XADD', key, id];
            const nf = 1 + int(3);
            for (let f = 0; f < nf; f++) c.push(r() < 0.7 ? `f${f}` : bytes(5), member());
            cmds.push(c);
          }
          if (r() < 0.5) cmds.push(['XDEL', key, ids[int(ids.length)]!]);
          if (r() < 0.5) cmds.push(['XGROUP', 'CREATE', key, 'g', '0']);
          break;
        }
        default:
          cmds.push(['INCRBY', key, String(int(1000) - 500)]);
      }
      if (r() < 0.2) cmds.push(['PEXPIRE', key, String(100000000 + int(1000000))]);
    }
  }
  return { cmds, keys };
}

/** Starts redis-server with DEBUG enabled (7.0 refuses DEBUG by default). */
/** redis-server with DEBUG enabled (Redis 7.0 refuses DEBUG DIGEST otherwise). */
async function startRedis(): Promise<{ client: RawClient; stop: () => void }> {
  const oracle = await RedisOracle.start([], ['--enable-debug-command', 'yes']);
  const client = await oracle.client();
  return {
    client,
    stop: () => {
      client.close();
      oracle.stop();
    },
  };
}

test('digests match redis-server byte for byte on seeded random data', { skip }, async () => {
  const redis = await startRedis();
  after(() => redis.stop());
  for (const seed of [1, 2, 3]) {
    const engine = new Engine();
    const mine = engine.client();
    const b = (s: string) => Buffer.from(s, 'latin1');
    await redis.client.send('FLUSHALL');
    const { cmds, keys } = genCommands(seed);
    for (const c of cmds) {
      const theirs = (await redis.client.send(...c.map(b))).toString('latin1');
      const ours = encodeReply(await mine.call(...c.map(b)), 2).toString('latin1');
      assert.equal(ours, theirs, `seed ${seed}: ${c.slice(0, 3).join(' ')}`);
    }
    for (const [db, ks] of keys) {
      await redis.client.send('SELECT', String(db));
      await mine.call('SELECT', String(db));
      const list = [...ks, 'missing-key'];
      const theirs = (await redis.client.send('DEBUG', 'DIGEST-VALUE', ...list.map(b))).toString('latin1');
      const ours = encodeReply(await mine.call('DEBUG', 'DIGEST-VALUE', ...list.map(b)), 2).toString('latin1');
      assert.equal(ours, theirs, `seed ${seed} db ${db}: DIGEST-VALUE`);
    }
    const theirs = (await redis.client.send('DEBUG', 'DIGEST')).toString('latin1');
    const ours = encodeReply(await mine.call('DEBUG', 'DIGEST'), 2).toString('latin1');
    assert.equal(ours, theirs, `seed ${seed}: DEBUG DIGEST`);
    assert.notEqual(ours, `+${ZERO}\r\n`);
    engine.close();
  }
});
