/**
 * The append-only file: multi-part layout and manifest, exact RESP written for commands,
 * SELECT and MULTI/EXEC units, restart (a new engine on the same directory) with every core
 * type, BGREWRITEAOF with an RDB or a command base, truncated tails (aof-load-truncated
 * yes/no, MULTI without EXEC), bad files, CONFIG SET appendonly, INFO persistence fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, ReplyError } from '../src/index.js';
import { configOf } from '../src/engine/config.js';
import { aofOf, AofManifest, AofManifestError } from '../src/persistence/aof.js';
import { startAofAtBoot } from '../src/persistence/aof-load.js';
import { formatG17 } from '../src/persistence/aof-rewrite.js';
import { repoRoot, testModule } from './helpers.js';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-aof-'));
}

/** A server-like start on `dir` with appendonly yes: load what is there, open the AOF. */
function boot(dir: string, conf: Record<string, string> = {}, expectOk = true): Engine {
  const e = new Engine();
  aofOf(e).booting = true;
  const cfg = configOf(e);
  assert.equal(cfg.load('dir', [dir]), undefined);
  assert.equal(cfg.load('appendonly', ['yes']), undefined);
  for (const [k, v] of Object.entries(conf)) assert.equal(cfg.load(k, [v]), undefined, k);
  assert.equal(startAofAtBoot(e), expectOk, e.logger.lines().join('\n'));
  return e;
}

function shut(e: Engine): void {
  aofOf(e).close();
  e.close();
}

const R = (...a: string[]) => {
  let s = `*${a.length}\r\n`;
  for (const x of a) s += `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`;
  return s;
};

function aofFile(dir: string, name: string): string {
  return fs.readFileSync(path.join(dir, 'appendonlydir', name), 'latin1');
}

async function call(e: Engine, ...args: (string | number)[]): Promise<unknown> {
  return e.call(...args);
}

/** Every key of every database with its type, logical content and expiry. */
async function snapshot(e: Engine): Promise<unknown[]> {
  const out: unknown[] = [];
  const c = e.client();
  for (let db = 0; db < 16; db++) {
    await c.call('SELECT', db);
    const keys = ((await c.call('KEYS', '*')) as string[]).sort();
    for (const k of keys) {
      const type = String(await c.call('TYPE', k));
      let content: unknown;
      if (type === 'string') content = await c.call('GET', k);
      else if (type === 'list') content = await c.call('LRANGE', k, 0, -1);
      else if (type === 'set') content = ((await c.call('SMEMBERS', k)) as string[]).sort();
      else if (type === 'zset') content = await c.call('ZRANGE', k, 0, -1, 'WITHSCORES');
      else if (type === 'hash') content = ((await c.call('HGETALL', k)) as string[]).join('\0');
      else if (type === 'stream') {
        const groups = (await c.call('XINFO', 'GROUPS', k)) as unknown[];
        const pel: unknown[] = [];
        for (const g of groups as unknown[][]) {
          const name = String((g as unknown[])[1]);
          pel.push(await c.call('XPENDING', k, name, '-', '+', 100));
        }
        const info = (await c.call('XINFO', 'STREAM', k)) as unknown[];
        // length, last-generated-id, max-deleted-entry-id, entries-added
        const pick = (n: string) => info[info.indexOf(n) + 1];
        content = [
          await c.call('XRANGE', k, '-', '+'),
          pick('length'),
          String(pick('last-generated-id')),
          String(pick('max-deleted-entry-id')),
          pick('entries-added'),
          JSON.stringify(groups),
          // idle times differ after a restart; ids, owners and delivery counts must not
          JSON.stringify((pel as unknown[][][]).map((p) => p.map((x) => [x[0], x[1], x[3]]))),
        ];
      } else content = type;
      out.push([db, k, type, content, await c.call('PEXPIRETIME', k)]);
    }
  }
  return out;
}

/** One key of every core type and encoding, in two databases, some volatile. */
async function fill(e: Engine): Promise<void> {
  const c = e.client();
  await c.call('SET', 'str', 'hello');
  await c.call('SET', 'int', '12345');
  await c.call('SET', 'bin', Buffer.from([0, 1, 2, 255, 13, 10]));
  await c.call('SET', 'vol', 'v', 'PX', 1_000_000);
  await c.call('RPUSH', 'list', 'a', 'b', 'c', '1', '2');
  await c.call('RPUSH', 'biglist', ...Array.from({ length: 200 }, (_, i) => `item-${i}`));
  await c.call('SADD', 'intset', 1, 2, 3, -7);
  await c.call('SADD', 'lpset', 'x', 'y', 'z');
  await c.call('SADD', 'bigset', ...Array.from({ length: 300 }, (_, i) => `m${i}`));
  await c.call('ZADD', 'zset', 1.5, 'a', -2, 'b', 0.1, 'c', '+inf', 'top');
  await c.call('ZADD', 'bigzset', ...Array.from({ length: 200 }, (_, i) => [i / 3, `z${i}`]).flat());
  await c.call('HSET', 'hash', 'f1', 'v1', 'f2', 'v2');
  await c.call('HSET', 'bighash', ...Array.from({ length: 150 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  await c.call('PFADD', 'hll', 'a', 'b', 'c');
  await c.call('XADD', 'stream', '1-1', 'a', '1');
  await c.call('XADD', 'stream', '2-1', 'b', '2', 'c', '3');
  await c.call('XADD', 'stream', '3-1', 'a', '4');
  await c.call('XDEL', 'stream', '2-1');
  await c.call('XGROUP', 'CREATE', 'stream', 'g1', '0');
  await c.call('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', 1, 'STREAMS', 'stream', '>');
  await c.call('XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'bob');
  await c.call('XGROUP', 'CREATE', 'stream', 'g2', '$');
  await c.call('XADD', 'empty', '5-5', 'x', 'y');
  await c.call('XDEL', 'empty', '5-5');
  await c.call('EXPIRE', 'hash', 5000);
  await c.call('SELECT', 7);
  await c.call('SET', 'in7', 'seven');
  await c.call('LPUSH', 'l7', 'q');
}

test('a first start creates the base, the incr file and the manifest', () => {
  const dir = tmpDir();
  const e = boot(dir);
  try {
    assert.deepEqual(fs.readdirSync(path.join(dir, 'appendonlydir')).sort(), [
      'appendonly.aof.1.base.rdb',
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.manifest',
    ]);
    assert.equal(
      aofFile(dir, 'appendonly.aof.manifest'),
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    assert.equal(aofFile(dir, 'appendonly.aof.1.base.rdb').slice(0, 9), 'REDIS0011');
    assert.equal(aofFile(dir, 'appendonly.aof.1.incr.aof'), '');
    const lines = e.logger.lines();
    assert.ok(lines.includes('Creating AOF base file appendonly.aof.1.base.rdb on server start'));
    assert.ok(lines.includes('Creating AOF incr file appendonly.aof.1.incr.aof on server start'));
  } finally {
    shut(e);
  }
});

test('commands are appended in RESP with SELECT and MULTI/EXEC as propagated', async () => {
  const dir = tmpDir();
  const e = boot(dir);
  try {
    await call(e, 'SET', 'k', 'v');
    await call(e, 'GET', 'k'); // read-only: nothing written
    await call(e, 'SELECT', 3);
    await call(e, 'RPUSH', 'l', 'a', 'b');
    await call(e, 'MULTI');
    await call(e, 'SET', 'a', '1');
    await call(e, 'INCR', 'b');
    await call(e, 'EXEC');
    await call(e, 'SET', 't', 'x', 'EX', 100);
    const pxat = String(await call(e, 'PEXPIRETIME', 't'));
    await call(e, 'DEL', 'nokey'); // changed nothing: not written
    assert.equal(
      aofFile(dir, 'appendonly.aof.1.incr.aof'),
      R('SELECT', '0') +
        R('SET', 'k', 'v') +
        R('SELECT', '3') +
        R('RPUSH', 'l', 'a', 'b') +
        R('MULTI') +
        R('SET', 'a', '1') +
        R('INCR', 'b') +
        R('EXEC') +
        R('SET', 't', 'x', 'PXAT', pxat),
    );
  } finally {
    shut(e);
  }
});

test('every core type survives a restart (RDB base + incr replay)', async () => {
  const dir = tmpDir();
  const e = boot(dir);
  await fill(e);
  const before = await snapshot(e);
  shut(e);
  const e2 = boot(dir);
  try {
    assert.deepEqual(await snapshot(e2), before);
    const lines = e2.logger.lines();
    assert.ok(lines.some((l) => /^DB loaded from base file appendonly\.aof\.1\.base\.rdb: \d+\.\d{3} seconds$/.test(l)));
    assert.ok(lines.some((l) => /^DB loaded from incr file appendonly\.aof\.1\.incr\.aof: \d+\.\d{3} seconds$/.test(l)));
    assert.ok(lines.some((l) => /^DB loaded from append only file: \d+\.\d{3} seconds$/.test(l)));
    assert.ok(lines.includes('Opening AOF incr file appendonly.aof.1.incr.aof on server start'));
    assert.equal(await call(e2, 'DBSIZE'), before.filter((k) => (k as unknown[])[0] === 0).length);
  } finally {
    shut(e2);
  }
});

test('BGREWRITEAOF writes a new base, switches incr files, deletes history; restart sees everything', async () => {
  const dir = tmpDir();
  const e = boot(dir);
  await fill(e);
  assert.equal(String(await call(e, 'BGREWRITEAOF')), 'Background append only file rewriting started');
  const again = await call(e, 'BGREWRITEAOF');
  assert.ok(again instanceof ReplyError);
  assert.equal(again.message, 'ERR Background append only file rewriting already in progress');
  assert.match(String(await call(e, 'INFO', 'persistence')), /aof_rewrite_in_progress:1\r\n/);
  // Written while the base is being written: goes to the new incr file.
  await call(e, 'SET', 'during', 'rewrite');
  await aofOf(e).whenIdle();
  assert.deepEqual(fs.readdirSync(path.join(dir, 'appendonlydir')).sort(), [
    'appendonly.aof.2.base.rdb',
    'appendonly.aof.2.incr.aof',
    'appendonly.aof.manifest',
  ]);
  assert.equal(
    aofFile(dir, 'appendonly.aof.manifest'),
    'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
  );
  assert.equal(aofFile(dir, 'appendonly.aof.2.incr.aof'), R('SELECT', '0') + R('SET', 'during', 'rewrite'));
  const info = String(await call(e, 'INFO', 'persistence'));
  assert.match(info, /aof_rewrite_in_progress:0\r\n/);
  assert.match(info, /aof_rewrites:1\r\n/);
  assert.match(info, /aof_last_bgrewrite_status:ok\r\n/);
  const lines = e.logger.lines();
  for (const l of [
    `Background append only file rewriting started by pid ${process.pid}`,
    'Background AOF rewrite terminated with success',
    'Removing the history file appendonly.aof.1.base.rdb in the background',
    'Removing the history file appendonly.aof.1.incr.aof in the background',
    'Background AOF rewrite finished successfully',
  ])
    assert.ok(lines.includes(l), l);
  const before = await snapshot(e);
  shut(e);
  const e2 = boot(dir);
  try {
    assert.deepEqual(await snapshot(e2), before);
    assert.equal(await call(e2, 'GET', 'during'), 'rewrite');
  } finally {
    shut(e2);
  }
});

test('aof-use-rdb-preamble no: the base is commands, and loads back identically', async () => {
  const dir = tmpDir();
  const e = boot(dir, { 'aof-use-rdb-preamble': 'no' });
  await fill(e);
  await call(e, 'BGREWRITEAOF');
  await aofOf(e).whenIdle();
  const base = aofFile(dir, 'appendonly.aof.2.base.aof');
  assert.ok(base.startsWith(R('SELECT', '0')), base.slice(0, 40));
  assert.ok(base.includes(R('SET', 'str', 'hello')));
  assert.ok(base.includes(R('SADD', 'intset', '1', '2', '3', '-7')) || base.includes(R('SADD', 'intset', '-7', '1', '2', '3')));
  assert.ok(base.includes(R('ZADD', 'zset', '-2', 'b', '0.10000000000000001', 'c', '1.5', 'a', 'inf', 'top')));
  assert.ok(base.includes(R('XSETID', 'empty', '5-5', 'ENTRIESADDED', '1', 'MAXDELETEDID', '5-5')));
  assert.ok(base.includes(R('XGROUP', 'CREATE', 'stream', 'g1', '1-1', 'ENTRIESREAD', '-1')));
  assert.ok(base.includes(R('XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'bob')));
  assert.match(base, /\*12\r\n\$6\r\nXCLAIM\r\n\$6\r\nstream\r\n\$2\r\ng1\r\n\$5\r\nalice\r\n\$1\r\n0\r\n\$3\r\n1-1\r\n\$4\r\nTIME\r\n/);
  // a list of 200 items: RPUSH batches of 64
  assert.equal(base.split('*66\r\n$5\r\nRPUSH\r\n$7\r\nbiglist\r\n').length, 4);
  assert.equal(base.split('*10\r\n$5\r\nRPUSH\r\n$7\r\nbiglist\r\n').length, 2);
  assert.ok(base.includes(R('SELECT', '7')));
  const hashExp = String(await call(e, 'PEXPIRETIME', 'hash'));
  assert.ok(base.includes(R('PEXPIREAT', 'hash', hashExp)));
  const before = await snapshot(e);
  shut(e);
  const e2 = boot(dir, { 'aof-use-rdb-preamble': 'no' });
  try {
    assert.deepEqual(await snapshot(e2), before);
  } finally {
    shut(e2);
  }
});

test('%.17g formatting of zset scores', () => {
  assert.equal(formatG17(1.5), '1.5');
  assert.equal(formatG17(0.1), '0.10000000000000001');
  assert.equal(formatG17(-2), '-2');
  assert.equal(formatG17(1e17), '1e+17');
  assert.equal(formatG17(123456789012345680), '1.2345678901234568e+17');
  assert.equal(formatG17(0.0001), '0.0001');
  assert.equal(formatG17(0.00001), '1.0000000000000001e-05');
  assert.equal(formatG17(Infinity), 'inf');
  assert.equal(formatG17(-Infinity), '-inf');
  assert.equal(formatG17(3), '3');
});

test('a truncated tail loads the good prefix and is cut off (aof-load-truncated yes)', async () => {
  const dir = tmpDir();
  const e = boot(dir);
  await call(e, 'SET', 'a', '1');
  await call(e, 'SET', 'b', '2');
  shut(e);
  const incr = path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  const good = fs.statSync(incr).size;
  fs.appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$3\r\nab');
  const e2 = boot(dir);
  try {
    assert.equal(await call(e2, 'GET', 'a'), '1');
    assert.equal(await call(e2, 'GET', 'b'), '2');
    assert.equal(await call(e2, 'GET', 'c'), null);
    assert.equal(fs.statSync(incr).size, good);
    const lines = e2.logger.lines();
    for (const l of [
      '!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
      `!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${good} !!!`,
      'AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
    ])
      assert.ok(lines.includes(l), l);
    // and writing goes on after the cut
    await call(e2, 'SET', 'c', '3');
  } finally {
    shut(e2);
  }
  const e3 = boot(dir);
  try {
    assert.equal(await call(e3, 'GET', 'c'), '3');
  } finally {
    shut(e3);
  }
});

test('a truncated tail is refused with aof-load-truncated no', async () => {
  const dir = tmpDir();
  const e = boot(dir);
  await call(e, 'SET', 'a', '1');
  shut(e);
  const incr = path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  fs.appendFileSync(incr, '*2\r\n$3\r\nDEL');
  const size = fs.statSync(incr).size;
  const e2 = boot(dir, { 'aof-load-truncated': 'no' }, false);
  try {
    assert.ok(
      e2.logger
        .lines()
        .includes(
          "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
        ),
    );
    assert.equal(fs.statSync(incr).size, size);
  } finally {
    shut(e2);
  }
});

test('a MULTI without EXEC at the end is reverted and cut off', async () => {
  const dir = tmpDir();
  const e = boot(dir);
  await call(e, 'SET', 'a', '1');
  shut(e);
  const incr = path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  const good = fs.statSync(incr).size;
  fs.appendFileSync(incr, R('MULTI') + R('SET', 'z', '1') + R('SET', 'y', '2'));
  const e2 = boot(dir);
  try {
    assert.equal(await call(e2, 'GET', 'a'), '1');
    assert.equal(await call(e2, 'GET', 'z'), null);
    assert.equal(await call(e2, 'GET', 'y'), null);
    assert.equal(fs.statSync(incr).size, good);
    assert.ok(e2.logger.lines().includes('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof'));
  } finally {
    shut(e2);
  }
});

test('a malformed file or an unknown command stops loading', async () => {
  const dir = tmpDir();
  shut(boot(dir));
  const incr = path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  fs.writeFileSync(incr, R('SET', 'a', '1') + 'garbage\r\n');
  const e = boot(dir, {}, false);
  assert.ok(
    e.logger
      .lines()
      .includes(
        'Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>',
      ),
  );
  shut(e);
  fs.writeFileSync(incr, R('NOSUCHCMD', 'a'));
  const e2 = boot(dir, {}, false);
  assert.ok(e2.logger.lines().includes("Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof"));
  shut(e2);
  // a file listed in the manifest but missing
  fs.rmSync(incr);
  const e3 = boot(dir, {}, false);
  assert.ok(e3.logger.lines().some((l) => l.startsWith('Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat:')));
  shut(e3);
});

test('manifest parsing follows Valkey', () => {
  const m = AofManifest.parse('file a.1.base.rdb seq 1 type b\n# comment\nfile a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 2 type i\n');
  assert.equal(m.base?.name, 'a.1.base.rdb');
  assert.deepEqual(
    m.incrs.map((f) => f.seq),
    [1, 2],
  );
  assert.equal(m.format(), 'file a.1.base.rdb seq 1 type b\nfile a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 2 type i\n');
  const bad = (text: string, msg: string) =>
    assert.throws(
      () => AofManifest.parse(text),
      (e: unknown) => e instanceof AofManifestError && e.message === msg,
    );
  bad('', 'Found an empty AOF manifest');
  bad('file a seq 1\n', 'Invalid AOF manifest file format');
  bad('file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information');
  bad('file a seq 2 type i\nfile b seq 1 type i\n', 'Found a non-monotonic sequence number');
  bad('file a seq 1 type x\n', 'Unknown AOF file type');
  bad('file x/a seq 1 type i\n', "File can't be a path, just a filename");
  bad('file a seq 1 type i', 'The AOF manifest file is invalid format');
  const q = new AofManifest();
  q.incrs.push({ name: 'my file.aof', seq: 1, type: 'i' });
  assert.equal(q.format(), 'file "my file.aof" seq 1 type i\n');
  assert.equal(AofManifest.parse(q.format()).incrs[0]!.name, 'my file.aof');
});

test('CONFIG SET appendonly yes writes a base of the dataset; no stops appending', async () => {
  const dir = tmpDir();
  const e = new Engine();
  try {
    configOf(e).load('dir', [dir]);
    await call(e, 'SET', 'before', 'x');
    assert.match(String(await call(e, 'INFO', 'persistence')), /aof_enabled:0\r\n/);
    assert.equal(String(await call(e, 'CONFIG', 'SET', 'appendonly', 'yes')), 'OK');
    await call(e, 'SET', 'after', 'y');
    await aofOf(e).whenIdle();
    assert.equal(aofOf(e).state, 'on');
    assert.equal(
      aofFile(dir, 'appendonly.aof.manifest'),
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    assert.equal(aofFile(dir, 'appendonly.aof.1.incr.aof'), R('SELECT', '0') + R('SET', 'after', 'y'));
    const info = String(await call(e, 'INFO', 'persistence'));
    assert.match(info, /aof_enabled:1\r\n/);
    assert.match(info, /aof_current_size:\d+\r\n/);
    assert.equal(String(await call(e, 'CONFIG', 'SET', 'appendonly', 'no')), 'OK');
    await call(e, 'SET', 'off', 'z');
    assert.equal(aofFile(dir, 'appendonly.aof.1.incr.aof'), R('SELECT', '0') + R('SET', 'after', 'y'));
    assert.match(String(await call(e, 'INFO', 'persistence')), /aof_enabled:0\r\n/);
  } finally {
    shut(e);
  }
  const e2 = boot(dir);
  try {
    assert.equal(await call(e2, 'GET', 'before'), 'x');
    assert.equal(await call(e2, 'GET', 'after'), 'y');
    assert.equal(await call(e2, 'GET', 'off'), null);
  } finally {
    shut(e2);
  }
});

test('BGREWRITEAOF inside MULTI is scheduled; with appendonly no it writes only a base', async () => {
  const dir = tmpDir();
  const e = new Engine();
  try {
    configOf(e).load('dir', [dir]);
    await call(e, 'SET', 'k', 'v');
    await call(e, 'MULTI');
    await call(e, 'BGREWRITEAOF');
    const r = (await call(e, 'EXEC')) as unknown[];
    assert.equal(String(r[0]), 'Background append only file rewriting scheduled');
    assert.match(String(await call(e, 'INFO', 'persistence')), /aof_rewrite_scheduled:1\r\n/);
    aofOf(e).cron();
    await aofOf(e).whenIdle();
    assert.equal(aofFile(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\n');
    assert.match(String(await call(e, 'INFO', 'persistence')), /aof_rewrite_scheduled:0\r\n/);
  } finally {
    shut(e);
  }
});

test('aof-timestamp-enabled writes #TS annotations that loading skips', async () => {
  const dir = tmpDir();
  const e = boot(dir, { 'aof-timestamp-enabled': 'yes' });
  await call(e, 'SET', 'a', '1');
  shut(e);
  const text = aofFile(dir, 'appendonly.aof.1.incr.aof');
  assert.match(text, /^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT\r\n/);
  const e2 = boot(dir);
  try {
    assert.equal(await call(e2, 'GET', 'a'), '1');
  } finally {
    shut(e2);
  }
});

test('appendfsync always/everysec/no all write every unit', async () => {
  for (const mode of ['always', 'everysec', 'no']) {
    const dir = tmpDir();
    const e = boot(dir, { appendfsync: mode });
    await call(e, 'SET', 'k', mode);
    // written before the command returned, whatever the fsync policy
    assert.equal(aofFile(dir, 'appendonly.aof.1.incr.aof'), R('SELECT', '0') + R('SET', 'k', mode));
    shut(e);
  }
});

const datatypeSrc = path.join(repoRoot, 'test-modules', 'datatype.c');
for (const preamble of ['no', 'yes']) {
  test(
    `a module value survives the incr replay, BGREWRITEAOF (aof-use-rdb-preamble ${preamble}) and a restart`,
    { skip: !fs.existsSync(datatypeSrc) && 'test-modules/datatype.c not present' },
    async () => {
      const so = testModule('datatype');
      const start = (dir: string): Engine => {
        const e = new Engine();
        aofOf(e).booting = true;
        configOf(e).load('dir', [dir]);
        configOf(e).load('appendonly', ['yes']);
        configOf(e).load('aof-use-rdb-preamble', [preamble]);
        e.loadModule(so);
        assert.ok(startAofAtBoot(e), e.logger.lines().join('\n'));
        return e;
      };
      const dir = tmpDir();
      const e = start(dir);
      await call(e, 'DT.SET', 'mk', 42, 'hello');
      await call(e, 'SELECT', 2);
      await call(e, 'DT.SET', 'other', -7, 'x y');
      // the module replicates verbatim: the incr file has the command
      assert.ok(aofFile(dir, 'appendonly.aof.1.incr.aof').includes(R('DT.SET', 'mk', '42', 'hello')));
      shut(e);
      const e2 = start(dir);
      assert.deepEqual(await call(e2, 'DT.GET', 'mk'), [42, 'hello']);
      await call(e2, 'BGREWRITEAOF');
      await aofOf(e2).whenIdle();
      const base = aofFile(dir, `appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`);
      if (preamble === 'no') assert.ok(base.includes(R('DT.SET', 'mk', '42', 'hello')), base);
      shut(e2);
      const e3 = start(dir);
      try {
        assert.deepEqual(await call(e3, 'DT.GET', 'mk'), [42, 'hello']);
        await call(e3, 'SELECT', 2);
        assert.deepEqual(await call(e3, 'DT.GET', 'other'), [-7, 'x y']);
      } finally {
        shut(e3);
      }
    },
  );
}
