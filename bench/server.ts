/**
 * The network server against the real thing: Debian's redis-benchmark drives a vmhost Server
 * (in a child Node process, so the benchmark client does not share its event loop) and
 * Debian's redis-server side by side, with test-modules/benchmod.c loaded into both. For
 * PING, SET, GET, INCR, LPUSH and the module commands, at -P 1 and -P 16 with 50 clients,
 * it prints requests per second and the ratio vmhost / redis-server. Numbers only.
 *
 *   node dist/bench/server.js [--requests N] [--clients C] [--pipelines 1,16] [--rounds R] [--quick]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, compileModule } from '../src/index.js';
import { Server } from '../src/server/server.js';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..', '..');
const source = path.join(root, 'test-modules', 'benchmod.c');

/** Child mode: serve benchmod on a port until stdin closes. */
async function child(port: number, so: string): Promise<void> {
  const engine = new Engine();
  engine.loadModule(so);
  const server = new Server(engine, { port, bind: ['127.0.0.1'] });
  await server.listen();
  process.stdout.write('READY\n');
  const stop = async () => {
    await server.close();
    engine.close();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Resolves once something answers PING on the port. */
async function waitReady(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => resolve(false));
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answers on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function has(bin: string): boolean {
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Requests per second redis-benchmark reports for one test (a -t name or a command). */
function benchmark(port: number, test: { t?: string; cmd?: string[] }, pipeline: number, clients: number, requests: number): number {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-n', String(requests), '-P', String(pipeline), '--csv'];
  if (test.t) args.push('-t', test.t);
  else args.push(...test.cmd!);
  const out = execFileSync('redis-benchmark', args, { encoding: 'utf8', timeout: 300_000 });
  // CSV: a header line, then "name","rps",...
  for (const line of out.split('\n')) {
    const m = /^"([^"]*)","([0-9.]+)"/.exec(line);
    if (m) return Number(m[2]);
  }
  throw new Error(`no result in redis-benchmark output:\n${out}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(Number(argv[1]), argv[2]!);
  const opt = (name: string, def: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
  };
  const quick = argv.includes('--quick');
  const requests = Number(opt('--requests', quick ? '20000' : '100000'));
  const clients = Number(opt('--clients', '50'));
  const pipelines = opt('--pipelines', '1,16').split(',').map(Number);
  const rounds = Number(opt('--rounds', quick ? '1' : '3'));
  if (!has('redis-server') || !has('redis-benchmark')) {
    console.log('redis-server and redis-benchmark are needed (Debian packages redis-server, redis-tools).');
    return;
  }

  const vso = compileModule(source);
  const rso = compileModule(source, { target: 'redis' });
  const vport = await freePort();
  const rport = await freePort();
  const procs: ChildProcess[] = [];
  const cleanup = () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  };
  process.on('exit', cleanup);
  try {
    const redis = spawn('redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir(), '--loadmodule', rso], {
      stdio: 'ignore',
    });
    procs.push(redis);
    const vm = spawn(process.execPath, [self, '--child', String(vport), vso], { stdio: ['pipe', 'pipe', 'inherit'] });
    procs.push(vm);
    await Promise.all([waitReady(rport), waitReady(vport)]);

    const tests: { name: string; t?: string; cmd?: string[] }[] = [
      { name: 'PING', t: 'ping_mbulk' },
      { name: 'SET', t: 'set' },
      { name: 'GET', t: 'get' },
      { name: 'INCR', t: 'incr' },
      { name: 'LPUSH', t: 'lpush' },
      { name: 'BENCH.INT (module, integer)', cmd: ['BENCH.INT'] },
      { name: 'BENCH.STR (module, bulk)', cmd: ['BENCH.STR', 'hello'] },
      { name: 'BENCH.ARRAY100 (module, 100 ints)', cmd: ['BENCH.ARRAY100'] },
    ];
    // a 10-element array command, when benchmod has one
    try {
      const info = execFileSync('redis-cli', ['-p', String(vport), 'COMMAND', 'INFO', 'bench.array10'], { encoding: 'utf8' });
      if (info.includes('bench.array10')) tests.push({ name: 'BENCH.ARRAY10 (module, 10 ints)', cmd: ['BENCH.ARRAY10'] });
    } catch {
      // redis-cli missing: skip the probe
    }

    console.log(`redis-benchmark: ${clients} clients, ${requests} requests per run, median of ${rounds}; requests/s (higher is better)`);
    console.log(`${'test'.padEnd(36)} ${'-P'.padStart(3)} ${'vmhost'.padStart(11)} ${'redis-server'.padStart(13)} ${'ratio'.padStart(6)}`);
    for (const p of pipelines) {
      for (const test of tests) {
        // warm the JIT and the caches of both before measuring
        benchmark(vport, test, p, clients, Math.min(requests, 20_000));
        benchmark(rport, test, p, clients, Math.min(requests, 20_000));
        // alternate the two servers over a few rounds and keep the medians: the machine is
        // shared, and a burst of load elsewhere should not decide a ratio
        const vs: number[] = [];
        const rs: number[] = [];
        for (let i = 0; i < rounds; i++) {
          vs.push(benchmark(vport, test, p, clients, requests));
          rs.push(benchmark(rport, test, p, clients, requests));
        }
        const v = median(vs);
        const r = median(rs);
        console.log(
          `${test.name.padEnd(36)} ${String(p).padStart(3)} ${v.toFixed(0).padStart(11)} ${r.toFixed(0).padStart(13)} ${(v / r).toFixed(2).padStart(6)}`,
        );
      }
    }
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
