/**
 * Core command throughput in-process (ops/s through engine.call) and memory per key for
 * 1 M keys with 10-byte values, each next to redis-server measured in the same run.
 * Run: npm run bench:commands (needs --expose-gc for the memory figure). Prints numbers only.
 */
import { execFileSync } from 'node:child_process';
import { Engine } from '../src/index.js';
import { RedisOracle } from '../test/oracle.js';

const N = Number(process.env.BENCH_KEYS ?? 1_000_000);

function opsPerSec(label: string, fn: (i: number) => unknown, iterations = 200_000): number {
  for (let i = 0; i < 20_000; i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  const ops = (iterations * 1e9) / ns;
  console.log(`${label.padEnd(16)} ${Math.round(ops).toLocaleString('en-US').padStart(12)} ops/s  ${(ns / iterations).toFixed(0).padStart(6)} ns/op`);
  return ops;
}

function redisOps(port: number, cmd: string[]): number | undefined {
  try {
    const out = execFileSync('redis-benchmark', ['-p', String(port), '-P', '50', '-n', '200000', '-q', ...cmd], { encoding: 'utf8' });
    const m = /([\d.]+) requests per second/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const engine = new Engine({ activeExpire: false });
const c = engine.client();
const hundred = Array.from({ length: 100 }, (_, i) => `v${i}`);
c.call('RPUSH', 'biglist', ...hundred);
for (let i = 0; i < 100; i++) c.call('ZADD', 'bigz', i, `m${i}`);

const cases: [string, (i: number) => unknown, string[]][] = [
  ['SET', (i) => c.call('SET', `key:${i & 65535}`, 'value12345'), ['SET', 'key:__rand_int__', 'value12345']],
  ['GET', (i) => c.call('GET', `key:${i & 65535}`), ['GET', 'key:__rand_int__']],
  ['INCR', () => c.call('INCR', 'counter'), ['INCR', 'counter']],
  ['LPUSH', () => c.call('LPUSH', 'list', 'x'), ['LPUSH', 'list', 'x']],
  ['LRANGE 0 99', () => c.call('LRANGE', 'biglist', '0', '99'), ['LRANGE', 'biglist', '0', '99']],
  ['HSET', (i) => c.call('HSET', 'hash', `f${i & 1023}`, 'v'), ['HSET', 'hash', 'f__rand_int__', 'v']],
  ['ZADD', (i) => c.call('ZADD', 'zset', i & 4095, `m${i & 4095}`), ['ZADD', 'zset', '__rand_int__', 'm__rand_int__']],
  ['ZRANGE 0 99', () => c.call('ZRANGE', 'bigz', '0', '99'), ['ZRANGE', 'bigz', '0', '99']],
  ['SADD', (i) => c.call('SADD', 'set', `m${i & 4095}`), ['SADD', 'set', 'm__rand_int__']],
];

let oracle: RedisOracle | undefined;
try {
  oracle = await RedisOracle.start();
} catch {
  oracle = undefined;
}
if (oracle) {
  const r = await oracle.client();
  await r.send('RPUSH', 'biglist', ...hundred);
  for (let i = 0; i < 100; i++) await r.send('ZADD', 'bigz', String(i), `m${i}`);
  r.close();
}

console.log(`in-process engine.call vs redis-server (pipelined, -P 50):`);
for (const [label, fn, rcmd] of cases) {
  const ops = opsPerSec(label, fn);
  const theirs = oracle ? redisOps(oracle.port, rcmd) : undefined;
  if (theirs) console.log(`${''.padEnd(16)} redis-server ${Math.round(theirs).toLocaleString('en-US')} ops/s, ratio ${(ops / theirs).toFixed(2)}`);
}

// Memory per key: N keys "key:<i>" -> 10-byte values.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.log('memory: run with node --expose-gc for the per-key figure');
else {
  const mem = new Engine({ activeExpire: false });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) mem.call('SET', `key:${i}`, '0123456789');
  gc();
  const after = process.memoryUsage().heapUsed;
  const ours = (after - before) / N;
  console.log(`memory: ${ours.toFixed(1)} bytes/key (heap) for ${N.toLocaleString('en-US')} keys`);
  if (oracle) {
    const r = await oracle.client();
    await r.send('FLUSHALL');
    const used = async () => Number(/used_memory:(\d+)/.exec((await r.send('INFO', 'memory')).toString())![1]);
    const b = await used();
    const batch = 1000;
    for (let i = 0; i < N; i += batch) {
      const args: string[] = ['MSET'];
      for (let j = i; j < Math.min(N, i + batch); j++) args.push(`key:${j}`, '0123456789');
      await r.send(...args);
    }
    const a = await used();
    const theirs = (a - b) / N;
    console.log(`redis-server: ${theirs.toFixed(1)} bytes/key; ratio ${(ours / theirs).toFixed(2)}`);
    r.close();
  }
  mem.close();
}
oracle?.stop();
engine.close();
