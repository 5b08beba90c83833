/**
 * `vmhost` as a drop-in for valkey-server, run as a child process: command line, config
 * file errors (exact stderr and exit code), startup log lines in Valkey's format, pidfile
 * lifecycle, modules loaded at startup, clients (redis-cli, ioredis), SHUTDOWN and signals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { repoRoot, testModule } from './helpers.js';

const CLI = path.join(repoRoot, 'dist', 'src', 'cli.js');
const REDIS_CLI = '/usr/bin/redis-cli';
const hasRedisCli = fs.existsSync(REDIS_CLI);

/** Valkey's log line: `pid:role dd Mon yyyy hh:mm:ss.mmm level message`. */
const LOG_LINE = /^(\d+):([CM]) (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) ([.\-*#]) (.*)$/;
/** The line Valkey's signal handler writes. */
const SIGNAL_LINE = /^(\d+):signal-handler \((\d+)\) (.*)$/;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-cli-'));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A vmhost child process with its output collected. */
class Vmhost {
  stdout = '';
  stderr = '';
  code: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('latin1');
    child.stderr!.setEncoding('latin1');
    child.stdout!.on('data', (d: string) => (this.stdout += d));
    child.stderr!.on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.code = code;
        this.signal = signal;
        resolve();
      }),
    );
  }

  static start(args: string[], opts: { cwd?: string; stdin?: string } = {}): Vmhost {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? os.tmpdir(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
    else child.stdin!.end();
    return new Vmhost(child);
  }

  /** Resolves once `cond()` holds; fails (with the output so far) after `ms`. */
  async until(cond: () => boolean, what: string, ms = 15000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (this.code !== null || this.signal !== null) {
        if (cond()) return;
        throw new Error(`vmhost exited (${this.code ?? this.signal}) before ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits for the exit; fails after `ms`. */
  async exit(ms = 15000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.exited,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`vmhost did not exit\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), ms);
      }),
    ]);
    clearTimeout(timer);
    return this.code;
  }

  /** Kills the child if it still runs (test cleanup). */
  async kill(): Promise<void> {
    if (this.code === null && this.signal === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Runs vmhost to completion (startup failures, --version). */
async function runToExit(args: string[], opts: { cwd?: string; stdin?: string } = {}): Promise<Vmhost> {
  const v = Vmhost.start(args, opts);
  try {
    await v.exit();
  } finally {
    await v.kill();
  }
  return v;
}

/** The messages of Valkey-format log lines, checked for the format and this pid. */
function messages(text: string, pid: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = LOG_LINE.exec(line);
    if (m) {
      assert.equal(Number(m[1]), pid, line);
      out.push(`${m[2]} ${m[10]} ${m[11]}`);
      continue;
    }
    const s = SIGNAL_LINE.exec(line);
    assert.ok(s, `not a Valkey log line: ${JSON.stringify(line)}`);
    assert.equal(Number(s[1]), pid, line);
    assert.ok(Math.abs(Number(s[2]) - Date.now() / 1000) < 120, line);
    out.push(`signal-handler ${s[3]}`);
  }
  return out;
}

function redisCli(port: number, ...args: string[]): string {
  return execFileSync(REDIS_CLI, ['-p', String(port), ...args], { encoding: 'latin1', timeout: 10000 });
}

test('--version, -v and --help as valkey-server', async () => {
  for (const flag of ['--version', '-v']) {
    const v = await runToExit([flag]);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^Valkey server v=8\.1\.0 sha=00000000:0 malloc=libc bits=64 build=[0-9a-f]+\n$/);
    assert.equal(v.stderr, '');
  }
  const h = await runToExit(['--help']);
  assert.equal(h.code, 1);
  assert.equal(h.stdout, '');
  assert.match(h.stderr, /^Usage: vmhost \[\/path\/to\/valkey\.conf\] \[options\] \[-\]\n/);
  assert.match(h.stderr, /vmhost apis/);
});

test('the existing subcommands still work: apis and run', async () => {
  const a = await runToExit(['apis']);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /^total \d+\/\d+$/m);
  const so = testModule('helloworld');
  const r = await runToExit(['run', so, 'HELLOWORLD.SUM', '40', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '(integer) 42\n');
});

test('an unknown directive on the command line: exact fatal error, exit code 1', async () => {
  const port = await freePort();
  const v = await runToExit(['--port', String(port), '--nosuchdirective', 'x']);
  assert.equal(v.code, 1);
  assert.equal(v.stdout, '');
  assert.equal(
    v.stderr,
    '\n*** FATAL CONFIG FILE ERROR (Version 8.1.0) ***\n' +
      'Reading the configuration file, at line 3\n' +
      ">>> 'nosuchdirective \"x\"'\n" +
      'Bad directive or wrong number of arguments\n',
  );
  const bad = await runToExit(['--port', 'abc']);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    "\n*** FATAL CONFIG FILE ERROR (Version 8.1.0) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n",
  );
});

test('config file errors report the file line; a missing file is logged', async () => {
  const dir = tmpDir();
  try {
    const file = path.join(dir, 'valkey.conf');
    fs.writeFileSync(file, '# test config\nport 6399\n   protected-mode perhaps  \n');
    const v = await runToExit([file]);
    assert.equal(v.code, 1);
    assert.equal(
      v.stderr,
      "\n*** FATAL CONFIG FILE ERROR (Version 8.1.0) ***\nReading the configuration file, at line 3\n>>> 'protected-mode perhaps'\nargument must be 'yes' or 'no'\n",
    );
    fs.writeFileSync(file, 'port 6399\nbind "127.0.0.1\n');
    const q = await runToExit([file]);
    assert.equal(q.code, 1);
    assert.equal(
      q.stderr,
      "\n*** FATAL CONFIG FILE ERROR (Version 8.1.0) ***\nReading the configuration file, at line 2\n>>> 'bind \"127.0.0.1'\nUnbalanced quotes in configuration line\n",
    );
    const missing = path.join(dir, 'missing.conf');
    const m = await runToExit([missing]);
    assert.equal(m.code, 1);
    assert.equal(m.stderr, '');
    assert.deepEqual(messages(m.stdout, m.child.pid!), [`C # Fatal error, can't open config file '${missing}': No such file or directory`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('startup refusals: daemonize yes, a module that fails to load, unconsumed module configs', async () => {
  const port = String(await freePort());
  const d = await runToExit(['--port', port, '--daemonize', 'yes']);
  assert.equal(d.code, 1);
  const dm = messages(d.stdout, d.child.pid!);
  assert.equal(dm.at(-1), 'C # daemonize yes is not supported: vmhost does not fork. Set "daemonize no" and run it in the foreground under a supervisor (systemd, a container, nohup).');

  const dir = tmpDir();
  try {
    const pidfile = path.join(dir, 'v.pid');
    const m = await runToExit(['--port', port, '--pidfile', pidfile, '--loadmodule', '/no/such/module.so']);
    assert.equal(m.code, 1);
    const mm = messages(m.stdout, m.child.pid!);
    assert.match(mm.at(-2)!, /^M # Module \/no\/such\/module\.so failed to load: /);
    assert.equal(mm.at(-1), "M # Can't load module from /no/such/module.so: server aborting");
    assert.equal(fs.existsSync(pidfile), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const c = await runToExit(['--port', port, '--mymod.threshold', '5']);
  assert.equal(c.code, 1);
  assert.equal(
    messages(c.stdout, c.child.pid!).at(-1),
    'M # Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting',
  );
});

test('server: module at startup, pidfile, logfile, redis-cli and ioredis, SIGTERM', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const so = testModule('helloworld');
  const pidfile = path.join(dir, 'vmhost.pid');
  const logfile = path.join(dir, 'vmhost.log');
  const conf = path.join(dir, 'valkey.conf');
  fs.writeFileSync(conf, `# written by the test\nport ${port}\ndatabases 4\nloglevel notice\nlogfile ${logfile}\n`);
  const v = Vmhost.start([conf, '--loadmodule', so, '--pidfile', pidfile, '--maxmemory', '64mb'], { cwd: dir });
  let client: Redis | undefined;
  try {
    await v.until(() => fs.existsSync(logfile) && fs.readFileSync(logfile, 'latin1').includes('Ready to accept connections tcp'), 'readiness');
    assert.equal(v.stdout, '', 'with a logfile nothing goes to stdout');
    assert.equal(fs.readFileSync(pidfile, 'latin1'), `${v.child.pid}\n`);

    if (hasRedisCli) {
      assert.equal(redisCli(port, 'PING'), 'PONG\n');
      assert.match(redisCli(port, 'HELLOWORLD.RAND'), /^\d+\n$/);
      assert.equal(redisCli(port, 'CONFIG', 'GET', 'maxmemory'), 'maxmemory\n67108864\n');
      assert.equal(redisCli(port, 'CONFIG', 'GET', 'databases'), 'databases\n4\n');
      // redis-cli prints an error reply followed by an empty line when not on a terminal.
      assert.equal(redisCli(port, 'SELECT', '4'), 'ERR DB index is out of range\n\n');
      assert.equal(redisCli(port, 'SHUTDOWN', 'SAVE', 'NOSAVE'), 'ERR syntax error\n\n');
      assert.equal(redisCli(port, 'SHUTDOWN', 'NOW', 'ABORT'), 'ERR syntax error\n\n');
      assert.equal(redisCli(port, 'SHUTDOWN', 'ABORT'), 'ERR No shutdown in progress.\n\n');
    }

    client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    assert.equal(await client.set('k', 'v'), 'OK');
    assert.equal(await client.get('k'), 'v');
    assert.equal(await client.call('HELLOWORLD.SUM', '1', '2', '3'), 6);
    assert.deepEqual(await client.call('HELLOWORLD.REVERSE', 'a', 'b'), ['b', 'a']);
    client.disconnect();
    client = undefined;

    v.child.kill('SIGTERM');
    assert.equal(await v.exit(), 0);
    assert.equal(fs.existsSync(pidfile), false, 'pidfile removed at exit');
    const pid = v.child.pid!;
    assert.deepEqual(messages(fs.readFileSync(logfile, 'latin1'), pid), [
      'C * oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo',
      `C * Valkey version=8.1.0, bits=64, commit=00000000, modified=0, pid=${pid}, just started`,
      'C * Configuration loaded',
      'M * monotonic clock: POSIX clock_gettime',
      `M * Running mode=standalone, port=${port}.`,
      `M * Module 'helloworld' loaded from ${so}`,
      'M * Server initialized',
      'M * Ready to accept connections tcp',
      'signal-handler Received SIGTERM scheduling shutdown...',
      'M * User requested shutdown...',
      // the default save points are on: SIGTERM writes a final snapshot, as Valkey does
      'M * Saving the final RDB snapshot before exiting.',
      'M * DB saved on disk',
      'M * Removing the pid file.',
      'M # Valkey is now ready to exit, bye bye...',
    ]);
    assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')), 'the final snapshot is in dir');
    assert.equal(v.stderr, '');
  } finally {
    client?.disconnect();
    await v.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('server: config from stdin, log on stdout, SHUTDOWN NOSAVE from redis-cli', { skip: !hasRedisCli && 'redis-cli missing' }, async () => {
  const port = await freePort();
  const v = Vmhost.start(['-'], { stdin: `port ${port}\nloglevel verbose\n` });
  try {
    await v.until(() => v.stdout.includes('Ready to accept connections tcp'), 'readiness');
    assert.equal(redisCli(port, 'CONFIG', 'GET', 'loglevel'), 'loglevel\nverbose\n');
    // The connection is closed without a reply when the server exits.
    try {
      redisCli(port, 'SHUTDOWN', 'NOSAVE');
    } catch {
      // redis-cli may report the closed connection with a non-zero status
    }
    assert.equal(await v.exit(), 0);
    const pid = v.child.pid!;
    const msgs = messages(v.stdout, pid);
    assert.equal(msgs[0], 'C * Reading config from stdin');
    assert.equal(msgs[3], 'C * Configuration loaded');
    assert.deepEqual(msgs.slice(-2), ['M * User requested shutdown...', 'M # Valkey is now ready to exit, bye bye...']);
  } finally {
    await v.kill();
  }
});

test('server: SIGINT shuts down with the same log lines', async () => {
  const port = await freePort();
  const v = Vmhost.start(['--port', String(port), '--save', '']);
  try {
    await v.until(() => v.stdout.includes('Ready to accept connections tcp'), 'readiness');
    v.child.kill('SIGINT');
    assert.equal(await v.exit(), 0);
    const msgs = messages(v.stdout, v.child.pid!);
    assert.deepEqual(msgs.slice(-3), [
      'signal-handler Received SIGINT scheduling shutdown...',
      'M * User requested shutdown...',
      'M # Valkey is now ready to exit, bye bye...',
    ]);
  } finally {
    await v.kill();
  }
});

test('MODULE and DEBUG over the network follow enable-module-command / enable-debug-command', { skip: !hasRedisCli }, async () => {
  for (const [flags, allowed] of [[[], false], [['--enable-debug-command', 'local', '--enable-module-command', 'local'], true]] as const) {
    const port = await freePort();
    const v = Vmhost.start(['--port', String(port), ...flags]);
    try {
      await v.until(() => v.stdout.includes('Ready to accept connections tcp'), 'startup');
      const debug = redisCli(port, 'DEBUG', 'SLEEP', '0');
      const mod = redisCli(port, 'MODULE', 'LIST');
      if (allowed) {
        assert.equal(debug, 'OK\n');
        assert.equal(mod, '\n');
      } else {
        assert.match(debug, /^ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/);
        assert.match(mod, /^ERR MODULE command not allowed\. If the enable-module-command option is set to "local"/);
      }
    } finally {
      await v.kill();
    }
  }
});
