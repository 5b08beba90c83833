/**
 * Whole RDB files: the layout vmhost writes, loading it back, expiry on load, refusal of
 * corrupt/truncated images, SAVE/BGSAVE/LASTSAVE/INFO, save points, DEBUG RELOAD, FLUSHALL's
 * save, the startup load and the module RdbSave/RdbLoad APIs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/engine.js';
import { configOf } from '../src/engine/config.js';
import { serializeRdb, loadRdbBuffer, SHORT_READ_MESSAGE } from '../src/persistence/rdb-file.js';
import {
  installPersistence,
  loadDataAtStartup,
  persistenceOf,
  rdbCron,
  waitBgsave,
} from '../src/persistence/rdb-save.js';
import { RdbError, RdbReader } from '../src/persistence/rdb-value.js';
import { Crc64 } from '../src/persistence/crc64.js';
import { plain, testModule } from './helpers.js';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rdb-file-'));
}

/** An engine whose dir is a fresh temp directory and whose log lines are kept. */
function engineIn(dir: string, lines?: string[]): Engine {
  const e = new Engine({ log: lines ? (line) => void lines.push(line) : 'silent', loglevel: 'debug' });
  assert.equal(configOf(e).load('dir', [dir]), undefined);
  return e;
}

function str(r: unknown): unknown {
  if (r && typeof r === 'object' && 'value' in r) return (r as { value: unknown }).value;
  if (r instanceof Error) return r.message;
  return r;
}

async function fill(e: Engine): Promise<void> {
  await e.call('SET', 'a', '1');
  await e.call('SET', 'long', 'x'.repeat(300));
  await e.call('RPUSH', 'l', 'x', 'y', 'z');
  await e.call('SADD', 's', 'm1', 'm2');
  await e.call('SADD', 'si', '1', '2', '3');
  await e.call('HSET', 'h', 'f', 'v');
  await e.call('ZADD', 'z', '1.5', 'm', '-2', 'n');
  await e.call('XADD', 'st', '1-1', 'f', 'v');
  await e.call('SET', 't', 'v', 'PX', '100000');
  await e.call('SELECT', '2');
  await e.call('SET', 'in2', 'yes');
  await e.call('SELECT', '0');
}

test('the header, aux fields and layout are what Valkey 8 writes', async () => {
  const e = new Engine();
  try {
    await e.call('SET', 'k', 'v');
    await e.call('SET', 'x', 'y', 'PXAT', '99999999999999');
    const buf = serializeRdb(e);
    assert.equal(buf.toString('latin1', 0, 9), 'REDIS0011');
    const r = new RdbReader(buf, 9);
    const aux: [string, string][] = [];
    while (buf[r.pos] === 250) {
      r.byte();
      aux.push([r.string(), r.string()]);
    }
    assert.deepEqual(
      aux.map((a) => a[0]),
      ['valkey-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base'],
    );
    assert.deepEqual(aux[0], ['valkey-ver', '8.1.0']);
    assert.deepEqual(aux[1], ['redis-bits', '64']);
    assert.deepEqual(aux[4], ['aof-base', '0']);
    assert.equal(r.byte(), 254); // SELECTDB 0
    assert.equal(r.len(), 0);
    assert.equal(r.byte(), 251); // RESIZEDB 2 keys, 1 volatile
    assert.equal(r.len(), 2);
    assert.equal(r.len(), 1);
    // EOF then the CRC-64 of everything before it
    assert.equal(buf[buf.length - 9], 255);
    assert.ok(new Crc64().update(buf, 0, buf.length - 8).matchesLE(buf, buf.length - 8));
    const base = serializeRdb(e, { aofBase: true });
    assert.ok(base.includes(Buffer.from('\x08aof-base\xc0\x01', 'latin1')));
  } finally {
    e.close();
  }
});

test('a dataset survives serialize + load in a new engine (every type, TTLs, databases)', async () => {
  const a = new Engine();
  const b = new Engine();
  try {
    await fill(a);
    const buf = serializeRdb(a);
    const r = loadRdbBuffer(b, buf);
    assert.equal(r.keys, 10);
    assert.equal(r.end, buf.length);
    for (const k of ['a', 'long', 'l', 's', 'si', 'h', 'z', 'st', 't']) {
      assert.deepEqual(await b.call('DUMP', k), await a.call('DUMP', k), k);
    }
    assert.equal(str(await b.call('PEXPIRETIME', 't')), str(await a.call('PEXPIRETIME', 't')));
    assert.equal(str(await b.call('OBJECT', 'ENCODING', 'si')), 'intset');
    await b.call('SELECT', '2');
    assert.equal(str(await b.call('GET', 'in2')), 'yes');
    assert.equal(b.dirty, 0);
  } finally {
    a.close();
    b.close();
  }
});

test('keys already expired are not loaded; an AOF preamble keeps them', async () => {
  const a = new Engine();
  try {
    await a.call('SET', 'gone', 'v', 'PXAT', String(Date.now() + 200));
    await a.call('SET', 'kept', 'v');
    const buf = serializeRdb(a);
    // make the expiry lie in the past by rewriting the 8 bytes after EXPIRETIME_MS
    const at = buf.indexOf(Buffer.from('\x00\x04gone', 'latin1')) - 9;
    assert.equal(buf[at], 252);
    buf.writeBigInt64LE(BigInt(Date.now() - 1000), at + 1);
    new Crc64().update(buf, 0, buf.length - 8).writeLE(buf, buf.length - 8);
    const b = new Engine();
    const r = loadRdbBuffer(b, buf);
    assert.equal(r.keys, 1);
    assert.equal(r.expired, 1);
    assert.equal(str(await b.call('EXISTS', 'gone')), 0);
    b.close();
    const c = new Engine({ activeExpire: false });
    assert.equal(loadRdbBuffer(c, buf, { aofPreamble: true }).keys, 2);
    assert.equal(c.dbs[0]!.dict.has('gone'), true);
    c.close();
  } finally {
    a.close();
  }
});

test('corrupt and truncated images are refused and leave nothing half-loaded', async () => {
  const a = new Engine();
  const b = new Engine();
  try {
    await fill(a);
    const good = serializeRdb(a);
    await b.call('SET', 'before', '1');
    // truncated: Valkey's short-read text, and the engine flushed
    assert.throws(() => loadRdbBuffer(b, good.subarray(0, good.length - 30)), (e: unknown) => {
      assert.ok(e instanceof RdbError);
      assert.equal(e.message, SHORT_READ_MESSAGE);
      return true;
    });
    assert.equal(str(await b.call('DBSIZE')), 0);
    // wrong checksum
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff;
    assert.throws(() => loadRdbBuffer(b, bad), /RDB CRC error/);
    assert.equal(str(await b.call('DBSIZE')), 0);
    // a flipped byte inside the data (the checksum catches what the decoder does not)
    const flip = Buffer.from(good);
    flip[good.length - 40] ^= 0x55;
    assert.throws(() => loadRdbBuffer(b, flip), RdbError);
    // signature and version
    assert.throws(() => loadRdbBuffer(b, Buffer.from('REDIX0011\xff', 'latin1')), /Wrong signature trying to load DB from file/);
    assert.throws(() => loadRdbBuffer(b, Buffer.from('REDIS0012\xff', 'latin1')), /Can't handle RDB format version 12/);
    // too many databases
    const few = new Engine({ databases: 2 });
    assert.throws(() => loadRdbBuffer(few, good), /configured to handle more than 2 databases/);
    few.close();
    // a duplicated key
    loadRdbBuffer(b, good);
    assert.throws(() => loadRdbBuffer(b, good), /^RdbError: RDB has duplicated key '[^']+' in DB 0$/);
    assert.equal(str(await b.call('DBSIZE')), 0);
    // a function library cannot be loaded without a scripting engine
    const fn = Buffer.concat([Buffer.from('REDIS0011', 'latin1'), Buffer.from([245, 21]), Buffer.from('#!lua name=x\nreturn 1', 'latin1'), Buffer.from([255])]);
    assert.throws(() => loadRdbBuffer(b, fn), /Failed loading library, Engine 'lua' not found/);
    // rdbchecksum no on the writing side: a zero checksum is accepted
    assert.equal(configOf(a).load('rdbchecksum', ['no']), undefined);
    const unchecked = serializeRdb(a);
    assert.deepEqual(unchecked.subarray(unchecked.length - 8), Buffer.alloc(8));
    assert.equal(loadRdbBuffer(b, unchecked, { flush: true }).keys, 10);
  } finally {
    a.close();
    b.close();
  }
});

test('SAVE writes dir/dbfilename through a temp file; LASTSAVE and INFO follow', async () => {
  const dir = tmpdir();
  const lines: string[] = [];
  const e = engineIn(dir, lines);
  try {
    await fill(e);
    assert.ok(e.dirty > 0);
    const before = str(await e.call('LASTSAVE')) as number;
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(str(await e.call('SAVE')), 'OK');
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb']);
    assert.ok((str(await e.call('LASTSAVE')) as number) > before);
    assert.ok(lines.some((l) => l.endsWith('DB saved on disk')));
    const info = str(await e.call('INFO', 'persistence')) as string;
    assert.match(info, /rdb_changes_since_last_save:0\r\n/);
    assert.match(info, /rdb_saves:1\r\n/);
    assert.match(info, /rdb_last_bgsave_status:ok\r\n/);
    const other = new Engine();
    assert.equal(loadRdbBuffer(other, fs.readFileSync(path.join(dir, 'dump.rdb'))).keys, 10);
    other.close();
    // an unwritable target: SAVE answers ERR and INFO reports the failure
    configOf(e).load('dbfilename', ['sub.rdb']);
    fs.mkdirSync(path.join(dir, 'sub.rdb'));
    await e.call('SET', 'more', '1');
    const r = await e.call('SAVE');
    assert.equal(str(r), 'ERR');
    assert.match(str(await e.call('INFO', 'persistence')) as string, /rdb_last_bgsave_status:err\r\n/);
    assert.ok(lines.some((l) => l.includes('Error moving temp DB file')));
  } finally {
    e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('BGSAVE writes in the background; a second one is refused; SCHEDULE and CANCEL', async () => {
  const dir = tmpdir();
  const lines: string[] = [];
  const e = engineIn(dir, lines);
  try {
    await fill(e);
    assert.equal(str(await e.call('BGSAVE')), 'Background saving started');
    assert.match(str(await e.call('INFO', 'persistence')) as string, /rdb_bgsave_in_progress:1\r\n/);
    assert.equal(str(await e.call('BGSAVE')), 'ERR Background save already in progress');
    assert.equal(str(await e.call('SAVE')), 'ERR Background save already in progress');
    await e.call('SET', 'during', '1'); // served while the file is written
    await waitBgsave(e);
    assert.match(str(await e.call('INFO', 'persistence')) as string, /rdb_bgsave_in_progress:0\r\n/);
    assert.equal(e.dirty, 1); // the change made during the save is still unsaved
    assert.ok(lines.some((l) => l.endsWith('Background saving terminated with success')));
    const b = new Engine();
    assert.equal(loadRdbBuffer(b, fs.readFileSync(path.join(dir, 'dump.rdb'))).keys, 10); // the snapshot
    b.close();

    assert.equal(str(await e.call('BGSAVE', 'CANCEL')), 'ERR Background saving is currently not in progress or scheduled');
    assert.equal(str(await e.call('BGSAVE', 'NOW')), 'ERR syntax error');
    // cancel a running one: its temp file is removed and dump.rdb stays the old one
    await e.call('SET', 'newer', '1');
    assert.equal(str(await e.call('BGSAVE')), 'Background saving started');
    const running = waitBgsave(e);
    assert.equal(str(await e.call('BGSAVE', 'CANCEL')), 'Background saving cancelled');
    await running;
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb']);
    // schedule while another child runs, cancel the schedule, schedule again and let cron run it
    const st = persistenceOf(e);
    st.otherChildActive = () => true;
    assert.equal(
      str(await e.call('BGSAVE')),
      "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    );
    assert.equal(str(await e.call('BGSAVE', 'SCHEDULE')), 'Background saving scheduled');
    assert.equal(str(await e.call('BGSAVE', 'CANCEL')), 'Scheduled background saving cancelled');
    assert.equal(str(await e.call('BGSAVE', 'SCHEDULE')), 'Background saving scheduled');
    rdbCron(e);
    assert.equal(st.bgsave, null);
    st.otherChildActive = undefined;
    rdbCron(e);
    assert.notEqual(st.bgsave, null);
    await waitBgsave(e);
    assert.equal(e.dirty, 0);
  } finally {
    e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('save points trigger a background save from the cron (server mode only)', async () => {
  const dir = tmpdir();
  const lines: string[] = [];
  const e = engineIn(dir, lines);
  try {
    configOf(e).set([['save', '1 2']]);
    await e.call('SET', 'a', '1');
    await e.call('SET', 'b', '2');
    (await import('../src/engine/stats.js')).statsOf(e).lastSave = Date.now() - 5000;
    rdbCron(e);
    assert.equal(persistenceOf(e).bgsave, null, 'an embedded engine does not save on its own');
    installPersistence(e);
    rdbCron(e);
    assert.notEqual(persistenceOf(e).bgsave, null);
    assert.ok(lines.some((l) => l.endsWith('2 changes in 1 seconds. Saving...')));
    await waitBgsave(e);
    assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));
    // one change is below the threshold
    await e.call('SET', 'c', '3');
    rdbCron(e);
    assert.equal(persistenceOf(e).bgsave, null);
    // save "" disables them
    configOf(e).set([['save', '']]);
    await e.call('SET', 'd', '4');
    rdbCron(e);
    assert.equal(persistenceOf(e).bgsave, null);
  } finally {
    e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('DEBUG RELOAD keeps the data; options; a broken file gives the error reply', async () => {
  const dir = tmpdir();
  const e = engineIn(dir);
  try {
    await fill(e);
    const dumps: unknown[] = [];
    for (const k of ['a', 'l', 's', 'h', 'z', 'st', 't']) dumps.push(await e.call('DUMP', k));
    assert.equal(str(await e.call('DEBUG', 'RELOAD')), 'OK');
    for (const [i, k] of ['a', 'l', 's', 'h', 'z', 'st', 't'].entries()) assert.deepEqual(await e.call('DUMP', k), dumps[i]);
    assert.equal(str(await e.call('DBSIZE')), 9);
    // NOSAVE: the file on disk wins
    await e.call('SET', 'a', 'changed');
    assert.equal(str(await e.call('DEBUG', 'RELOAD', 'NOSAVE')), 'OK');
    assert.equal(str(await e.call('GET', 'a')), '1');
    // NOFLUSH without MERGE: duplicated keys fail the load
    assert.equal(str(await e.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH')), 'ERR Error trying to load the RDB dump, check server logs.');
    assert.equal(str(await e.call('DEBUG', 'RELOAD', 'NOSAVE')), 'OK');
    // NOFLUSH MERGE keeps keys not in the file, replaces the ones in it
    await e.call('SET', 'extra', '1');
    await e.call('SET', 'a', 'changed');
    assert.equal(str(await e.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')), 'OK');
    assert.equal(str(await e.call('GET', 'a')), '1');
    assert.equal(str(await e.call('GET', 'extra')), '1');
    assert.equal(str(await e.call('DEBUG', 'RELOAD', 'BOGUS')), 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
    fs.writeFileSync(path.join(dir, 'dump.rdb'), 'REDIS0011\xfa', 'latin1');
    assert.equal(str(await e.call('DEBUG', 'RELOAD', 'NOSAVE')), 'ERR Error trying to load the RDB dump, check server logs.');
    assert.equal(str(await e.call('DBSIZE')), 0);
  } finally {
    e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('startup load: logs as Valkey, refuses a corrupt file, FLUSHALL saves the empty dataset', async () => {
  const dir = tmpdir();
  try {
    const a = engineIn(dir);
    await fill(a);
    assert.equal(str(await a.call('SAVE')), 'OK');
    a.close();
    const lines: string[] = [];
    const b = engineIn(dir, lines);
    assert.equal(loadDataAtStartup(b), true);
    assert.equal(str(await b.call('DBSIZE')), 9);
    assert.ok(lines.some((l) => /Loading RDB produced by valkey version 8\.1\.0$/.test(l)));
    assert.ok(lines.some((l) => /DB loaded from disk: \d+\.\d{3} seconds$/.test(l)));
    assert.match(str(await b.call('INFO', 'persistence')) as string, /rdb_last_load_keys_loaded:10\r\n/);
    // FLUSHALL in server mode with save points writes the empty dataset
    installPersistence(b);
    assert.equal(str(await b.call('FLUSHALL')), 'OK');
    assert.equal(b.dirty, 1);
    b.close();
    const c = engineIn(dir);
    assert.equal(loadDataAtStartup(c), true);
    assert.equal(str(await c.call('DBSIZE')), 0);
    c.close();
    // no file: nothing to load, fine
    fs.rmSync(path.join(dir, 'dump.rdb'));
    const d = engineIn(dir);
    assert.equal(loadDataAtStartup(d), true);
    d.close();
    // a corrupt file: refused
    fs.writeFileSync(path.join(dir, 'dump.rdb'), 'REDIS0011\xfe', 'latin1');
    const lines2: string[] = [];
    const f = engineIn(dir, lines2);
    assert.equal(loadDataAtStartup(f), false);
    assert.ok(lines2.some((l) => l.endsWith(SHORT_READ_MESSAGE)));
    assert.ok(lines2.some((l) => l.endsWith('Fatal error loading the DB, check server logs. Exiting.')));
    f.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('module RdbSave / RdbLoad / RdbStreamCreateFromFile / RdbStreamFree', async (t) => {
  let so: string;
  try {
    so = testModule('rdbstream');
  } catch (e) {
    t.skip(`test module not buildable: ${(e as Error).message}`);
    return;
  }
  const dir = tmpdir();
  const e = engineIn(dir);
  try {
    e.loadModule(so);
    await fill(e);
    assert.equal(str(await e.call('RDBS.SAVE', 'mod.rdb', '0')), 'OK');
    assert.ok(fs.existsSync(path.join(dir, 'mod.rdb')));
    assert.equal(str(await e.call('RDBS.SAVE', 'mod.rdb', '1')), 'ERR errno=22');
    await e.call('SET', 'a', 'changed');
    await e.call('SET', 'extra', '1');
    assert.equal(str(await e.call('RDBS.LOAD', 'mod.rdb', '0')), 'OK');
    assert.equal(str(await e.call('GET', 'a')), '1');
    assert.equal(str(await e.call('EXISTS', 'extra')), 0, 'RdbLoad empties the dataset first');
    assert.equal(str(await e.call('RDBS.LOAD', 'mod.rdb', '3')), 'ERR errno=22');
    assert.equal(str(await e.call('RDBS.LOAD', 'missing.rdb', '0')), 'ERR errno=2');
    fs.writeFileSync(path.join(dir, 'bad.rdb'), 'REDIS0011\xfe', 'latin1');
    assert.equal(str(await e.call('RDBS.LOAD', 'bad.rdb', '0')), 'ERR errno=5');
    assert.equal(str(await e.call('DBSIZE')), 0);
  } finally {
    e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('module type values and module aux data survive SAVE + load in a new engine and DEBUG RELOAD', async () => {
  const so = testModule('datatype');
  const dir = tmpdir();
  try {
    const a = engineIn(dir);
    a.loadModule(so);
    await a.call('DT.SETAUX', '7');
    assert.equal(str(await a.call('DT.SET', 'k', '42', 'hello')), 'OK');
    assert.equal(str(await a.call('DT.SET', 'k2', '-7', 'world')), 'OK');
    await a.call('PEXPIRE', 'k2', '500000');
    await a.call('SET', 'plain', 'v');
    const want = [await a.call('DT.GET', 'k'), await a.call('DT.GET', 'k2')];
    assert.equal(str(await a.call('SAVE')), 'OK');
    a.close();

    const b = engineIn(dir);
    b.loadModule(so);
    await b.call('DT.RESET');
    assert.equal(loadDataAtStartup(b), true);
    assert.deepEqual([await b.call('DT.GET', 'k'), await b.call('DT.GET', 'k2')], want);
    assert.ok((str(await b.call('PTTL', 'k2')) as number) > 0);
    assert.equal(str(await b.call('GET', 'plain')), 'v');
    // aux_load ran for the records written before and after the keyspace
    const stats = (await b.call('DT.STATS')) as unknown[];
    assert.equal(stats[5], 2);
    // DEBUG RELOAD keeps them
    assert.equal(str(await b.call('DEBUG', 'RELOAD')), 'OK');
    assert.deepEqual([await b.call('DT.GET', 'k'), await b.call('DT.GET', 'k2')], want);
    b.close();

    // without the module the file cannot be loaded: refused, nothing half-loaded
    const lines: string[] = [];
    const c = engineIn(dir, lines);
    assert.equal(loadDataAtStartup(c), false);
    assert.equal(str(await c.call('DBSIZE')), 0);
    c.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('vmhost server: loads dir/dbfilename at startup, refuses to start on a corrupt file, saves at SHUTDOWN', async () => {
  const { startServer } = await import('../src/server/main.js');
  const { freePort } = await import('./net-helpers.js');
  const dir = tmpdir();
  const cwd = process.cwd(); // the server chdirs into `dir`, as Valkey does
  try {
    const a = engineIn(dir);
    await fill(a);
    assert.equal(str(await a.call('SAVE')), 'OK');
    a.close();
    const logfile = path.join(dir, 'vmhost.log');
    const port = await freePort();
    const codes: number[] = [];
    const running = await startServer(['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', logfile], {
      signals: false,
      exit: (c) => void codes.push(c),
    });
    assert.ok(running);
    assert.equal(str(await running.engine.call('DBSIZE')), 9);
    assert.match(fs.readFileSync(logfile, 'latin1'), /DB loaded from disk: \d+\.\d{3} seconds/);
    await running.engine.call('SET', 'new', 'key');
    assert.equal(running.shutdown(0), undefined); // save points configured: the final save
    await new Promise((r) => setTimeout(r, 50));
    assert.match(fs.readFileSync(logfile, 'latin1'), /Saving the final RDB snapshot before exiting\.[\s\S]*DB saved on disk/);
    const b = new Engine();
    assert.equal(loadRdbBuffer(b, fs.readFileSync(path.join(dir, 'dump.rdb'))).keys, 11);
    b.close();

    fs.writeFileSync(path.join(dir, 'dump.rdb'), Buffer.from('REDIS0011\xfa\x01', 'latin1'));
    const port2 = await freePort();
    const refused = await startServer(['--port', String(port2), '--bind', '127.0.0.1', '--dir', dir, '--logfile', logfile], {
      signals: false,
      exit: (c) => void codes.push(c),
    });
    assert.equal(refused, undefined);
    assert.equal(codes[codes.length - 1], 1);
    assert.match(fs.readFileSync(logfile, 'latin1'), /Fatal error loading the DB, check server logs\. Exiting\./);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loading fires LoadingProgress every loading-process-events-interval-bytes (2 MB), with progress out of 1024', async () => {
  const src = new Engine();
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 16) & 0xff;
  // ~3 MB of incompressible values: one 2 MB boundary is crossed while loading
  for (let i = 0; i < 300; i++) {
    let v = '';
    for (let j = 0; j < 10_000; j++) v += String.fromCharCode(rnd());
    await src.call('SET', `k${i}`, v);
  }
  const image = serializeRdb(src);
  src.close();
  const dst = new Engine();
  dst.loadModule(testModule('hooks'), ['noloop']);
  await dst.call('HOOKS.CLEAR');
  loadRdbBuffer(dst, image);
  const events = (plain(await dst.call('HOOKS.LOG')) as string[]).filter((l) => l.startsWith('loadingprogress'));
  assert.equal(events.length, 1, events.join(' | '));
  const m = /^loadingprogress sub=0 hz=10 progress=(\d+)$/.exec(events[0]!);
  assert.ok(m, events[0]);
  const expected = Math.floor(((2 * 1024 * 1024) * 1024) / (image.length - 0));
  assert.ok(Math.abs(Number(m[1]) - expected) < 8, `progress ${m[1]} ~ ${expected}`);
  assert.equal(await dst.call('DBSIZE'), 300);
  dst.close();
});
