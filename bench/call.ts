/**
 * ns per engine.call for module commands (in-process), and, when redis-server and
 * redis-benchmark are installed, the same module built for Redis measured under pipelining,
 * with the ratio. Run: npm run bench. Numbers only; never a pass/fail.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, compileModule } from '../src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = path.join(root, 'test-modules', 'benchmod.c');

function measure(label: string, fn: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 50_000); i++) fn(); // warm up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    runs.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  runs.sort((a, b) => a - b);
  const median = runs[2]!;
  console.log(`${label.padEnd(40)} ${median.toFixed(0).padStart(7)} ns/call`);
  return median;
}

/** ns per command for redis-server running the Redis build of the module, pipelined. */
async function redisNs(command: string): Promise<number | undefined> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-benchmark', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const so = compileModule(source, { target: 'redis' });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--loadmodule', so], {
    stdio: 'ignore',
  });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const out = execFileSync(
      'redis-benchmark',
      ['-p', String(port), '-P', '100', '-n', '300000', '-q', command],
      { encoding: 'utf8' },
    );
    const m = /([\d.]+) requests per second/.exec(out);
    return m ? 1e9 / Number(m[1]) : undefined;
  } finally {
    server.kill('SIGKILL');
  }
}

const engine = new Engine();
engine.loadModule(compileModule(source));
const intNs = measure('engine.call BENCH.INT (integer)', () => engine.call('BENCH.INT'), 300_000);
const arrNs = measure('engine.call BENCH.ARRAY100 (100 integers)', () => engine.call('BENCH.ARRAY100'), 100_000);
measure('engine.call BENCH.STR (16-byte bulk)', () => engine.call('BENCH.STR', 'abcdefghijklmnop'), 300_000);

for (const [cmd, ns] of [['BENCH.INT', intNs], ['BENCH.ARRAY100', arrNs]] as const) {
  const redis = await redisNs(cmd);
  if (redis === undefined) console.log(`${cmd}: redis-server/redis-benchmark not installed, no comparison`);
  else console.log(`${cmd}: redis-server ${redis.toFixed(0)} ns/cmd pipelined; engine.call / redis = ${(ns / redis).toFixed(2)}`);
}
