/**
 * Polish of the first round (R3): blocked commands' stats count execution time only, XREADGROUP
 * propagation after blocking, quiet RDB loading (no `new` events), AOF loading flags and
 * DEBUG LOADAOF, batched AOF writes, DEBUG HELP lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, ReplyError } from '../src/index.js';
import { configOf } from '../src/engine/config.js';
import { aofOf } from '../src/persistence/aof.js';
import { startAofAtBoot } from '../src/persistence/aof-load.js';
import { Server } from '../src/server/server.js';
import { RespWriter } from '../src/protocol/resp-writer.js';
import { freePort, RawClient } from './net-helpers.js';
import { NULL_ARRAY } from '../src/protocol/reply.js';
import { testModule } from './helpers.js';

/** The `usec=` and `calls=` of one command in INFO commandstats. */
async function cmdstat(engine: Engine, name: string): Promise<{ calls: number; usec: number } | undefined> {
  const info = String(await engine.call('INFO', 'commandstats'));
  const m = new RegExp(`cmdstat_${name.replace('.', '\\.')}:calls=(\\d+),usec=(\\d+),`).exec(info);
  return m ? { calls: Number(m[1]), usec: Number(m[2]) } : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a blocked BLPOP counts its execution, not its wait, in commandstats and SLOWLOG', async () => {
  const engine = new Engine();
  const c1 = engine.client();
  const c2 = engine.client();
  await c2.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  await c2.call('SLOWLOG', 'RESET');
  const p = c1.call('BLPOP', 'q', '0');
  assert.ok(p instanceof Promise);
  await sleep(300);
  assert.equal(await c2.call('RPUSH', 'q', 'v'), 1);
  assert.deepEqual(await p, ['q', 'v']);
  const s = await cmdstat(engine, 'blpop');
  assert.ok(s, 'blpop in commandstats');
  assert.equal(s.calls, 1);
  assert.ok(s.usec < 100000, `usec ${s.usec} excludes the ~300 ms wait`);
  const log = (await c2.call('SLOWLOG', 'GET', '10')) as unknown[][];
  const entry = log.find((e) => (e[3] as string[])[0] === 'BLPOP');
  assert.ok(entry, 'BLPOP in the slowlog');
  assert.ok((entry[2] as number) < 100000, 'slowlog duration excludes the wait');
  engine.close();
});

test('a BLPOP that times out counts only its initial call', async () => {
  const engine = new Engine();
  assert.equal(await engine.call('BLPOP', 'q', '0.2'), NULL_ARRAY);
  const s = await cmdstat(engine, 'blpop');
  assert.ok(s && s.calls === 1 && s.usec < 100000, JSON.stringify(s));
  engine.close();
});

test('module blocked commands: the wait is not counted, MeasureTimeStart/End background time is', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('blocking'));
  const c1 = engine.client();
  const c2 = engine.client();
  // blk.hold waits for blk.release without measuring: only execution counts.
  const p = c1.call('blk.hold', '0');
  await sleep(300);
  await c2.call('blk.release');
  await p;
  const hold = await cmdstat(engine, 'blk.hold');
  assert.ok(hold && hold.calls === 1 && hold.usec < 100000, JSON.stringify(hold));
  // blk.thread measures the thread's 250 ms sleep: it is added to the command's duration.
  await c1.call('blk.thread', '250');
  const thread = await cmdstat(engine, 'blk.thread');
  assert.ok(thread && thread.calls === 1 && thread.usec >= 250000, JSON.stringify(thread));
  engine.close();
});

/** Collects the propagated commands (SELECT included) as space-joined strings. */
function propagated(engine: Engine): string[] {
  const out: string[] = [];
  engine.onPropagate((c) => out.push(c.argv.join(' ')));
  return out;
}

test('XREADGROUP propagates XCLAIM and XGROUP SETID, at once and when served after blocking', async () => {
  const engine = new Engine();
  const c1 = engine.client();
  const c2 = engine.client();
  await c2.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  await c2.call('XADD', 's', '1-1', 'f', 'v');
  const out = propagated(engine);
  // Immediate: one XCLAIM per delivered entry, then the group's last ID.
  await c1.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
  const t1 = (await c2.call('XPENDING', 's', 'g', '-', '+', '10')) as unknown[][];
  assert.equal(t1.length, 1);
  const [, , , n1] = t1[0] as [string, string, number, number];
  assert.equal(n1, 1);
  assert.equal(out[0], 'MULTI');
  assert.equal(out[1], 'SELECT 0');
  assert.match(out[2]!, /^XCLAIM s g alice 0 1-1 TIME \d+ RETRYCOUNT 1 FORCE JUSTID LASTID 1-1$/);
  assert.equal(out[3], 'XGROUP SETID s g 1-1 ENTRIESREAD 1');
  assert.equal(out[4], 'EXEC');
  assert.equal(out.length, 5);
  out.length = 0;
  // Blocked, then served by XADD: the same propagation, after the XADD.
  const p = c1.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
  assert.ok(p instanceof Promise);
  assert.deepEqual(out, [], 'a blocking XREADGROUP propagates nothing while it waits');
  await c2.call('XADD', 's', '2-1', 'f', 'w');
  await p;
  assert.equal(out[0], 'XADD s 2-1 f w');
  assert.equal(out[1], 'MULTI');
  assert.match(out[2]!, /^XCLAIM s g bob 0 2-1 TIME \d+ RETRYCOUNT 1 FORCE JUSTID LASTID 2-1$/);
  assert.equal(out[3], 'XGROUP SETID s g 2-1 ENTRIESREAD 2');
  assert.equal(out[4], 'EXEC');
  assert.equal(out.length, 5);
  out.length = 0;
  // History read: the re-delivery is an XCLAIM with the new count; the last ID did not move.
  await c1.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
  assert.equal(out.length, 1);
  assert.match(out[0]!, /^XCLAIM s g alice 0 1-1 TIME \d+ RETRYCOUNT 2 FORCE JUSTID LASTID 2-1$/);
  out.length = 0;
  // NOACK by a new consumer: its creation and the last ID, no XCLAIM.
  await c2.call('XADD', 's', '3-1', 'f', 'x');
  out.length = 0;
  await c1.call('XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'STREAMS', 's', '>');
  assert.deepEqual(out, ['MULTI', 'XGROUP CREATECONSUMER s g carol', 'XGROUP SETID s g 3-1 ENTRIESREAD 3', 'EXEC']);
  out.length = 0;
  // Nothing to read: nothing propagated.
  await c1.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
  assert.deepEqual(out, []);
  engine.close();
});

test('replaying XREADGROUP propagation rebuilds the same consumer group state', async () => {
  const a = new Engine();
  const b = new Engine();
  const cmds: string[][] = [];
  a.onPropagate((c) => cmds.push(c.argv));
  const c1 = a.client();
  const c2 = a.client();
  await c2.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  await c2.call('XADD', 's', '1-1', 'f', 'v');
  await c1.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
  const p = c1.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
  await c2.call('XADD', 's', '2-1', 'f', 'w');
  await p;
  for (const argv of cmds) await b.call(...argv);
  for (const q of [['XPENDING', 's', 'g', '-', '+', '10'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'CONSUMERS', 's', 'g']]) {
    const strip = (r: unknown) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).replace(/"(idle|inactive)",\d+/g, '"$1",0').replace(/,\d+,(\d+)\]/g, ',0,$1]');
    assert.equal(strip(await b.call(...q)), strip(await a.call(...q)), q.join(' '));
  }
  a.close();
  b.close();
});

test('RDB loading fires no `new` keyspace event per key, only the module `loaded` event', async () => {
  const engine = new Engine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-r3-'));
  configOf(engine).load('dir', [dir]);
  const c = engine.client();
  await c.call('SET', 'a', '1');
  await c.call('RPUSH', 'l', 'x');
  // (not 'A': with it this engine's CONFIG SET drops 'n', a separate config.ts issue)
  await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KE$gln');
  const sub = engine.client();
  await sub.call('PSUBSCRIBE', '__key*__:*');
  sub.pushes.splice(0);
  const events: string[] = [];
  engine.onKeyspaceEvent((e) => events.push(`${e.event} ${e.key}`));
  // A new key does fire `new` (the subscriber sees it) ...
  await c.call('SET', 'b', '2');
  assert.deepEqual(sub.pushes.splice(0), [
    ['pmessage', '__key*__:*', '__keyspace@0__:b', 'new'],
    ['pmessage', '__key*__:*', '__keyevent@0__:new', 'b'],
    ['pmessage', '__key*__:*', '__keyspace@0__:b', 'set'],
    ['pmessage', '__key*__:*', '__keyevent@0__:set', 'b'],
  ]);
  events.length = 0;
  // ... but reloading the dataset does not: only `loaded` per key (module subscribers).
  assert.equal(String(await c.call('DEBUG', 'RELOAD')), 'OK');
  assert.equal(await c.call('GET', 'b'), '2');
  assert.deepEqual(sub.pushes.splice(0), []);
  assert.deepEqual(events.filter((e) => !e.startsWith('loaded ')), []);
  assert.deepEqual(events.filter((e) => e.startsWith('loaded ')).sort(), ['loaded a', 'loaded b', 'loaded l']);
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CTX_FLAGS_LOADING = 1 << 13;
const UINT64_MAX = '18446744073709551615';

/** A server-like start on `dir` with appendonly yes and the aofprobe module loaded first. */
function bootAof(dir: string): Engine {
  const e = new Engine();
  aofOf(e).booting = true;
  configOf(e).load('dir', [dir]);
  configOf(e).load('appendonly', ['yes']);
  e.loadModule(testModule('aofprobe'));
  assert.ok(startAofAtBoot(e), e.logger.lines().join('\n'));
  return e;
}

function shutAof(e: Engine): void {
  aofOf(e).close();
  e.close();
}

/** probe.ctx's text as [flags, client id, IsAOFClient]. */
function probe(v: unknown): [number, string, number] {
  const [f, id, aof] = String(v).split(' ');
  return [Number(f), id!, Number(aof)];
}

test('AOF replay: module contexts see LOADING and the AOF client (id UINT64_MAX); DEBUG LOADAOF too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-r3-'));
  const e = bootAof(dir);
  const c = e.client();
  const [liveFlags, liveId, liveAof] = probe(await c.call('probe.ctx', 'k'));
  assert.equal(liveFlags & CTX_FLAGS_LOADING, 0);
  assert.notEqual(liveId, UINT64_MAX);
  assert.equal(liveAof, 0);
  shutAof(e);

  const e2 = bootAof(dir);
  try {
    const [f, id, aof] = probe(await e2.call('GET', 'k'));
    assert.equal(f & CTX_FLAGS_LOADING, CTX_FLAGS_LOADING, 'replayed with LOADING');
    assert.equal(id, UINT64_MAX);
    assert.equal(aof, 1);
    // Once loaded, contexts no longer report LOADING.
    const [f2] = probe(await e2.call('probe.ctx', 'k2'));
    assert.equal(f2 & CTX_FLAGS_LOADING, 0);
    // DEBUG LOADAOF replays the same files: k2 is now what the AOF client wrote.
    assert.equal(String(await e2.call('DEBUG', 'LOADAOF')), 'OK');
    const [f3, id3, aof3] = probe(await e2.call('GET', 'k2'));
    assert.equal(f3 & CTX_FLAGS_LOADING, CTX_FLAGS_LOADING);
    assert.equal(id3, UINT64_MAX);
    assert.equal(aof3, 1);
    assert.equal(await e2.call('DBSIZE'), 2);
    assert.ok(e2.logger.lines().some((l) => l.includes('Append Only File loaded by DEBUG LOADAOF')));
    const [f4] = probe(await e2.call('probe.ctx', 'k3'));
    assert.equal(f4 & CTX_FLAGS_LOADING, 0);
  } finally {
    shutAof(e2);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('DEBUG LOADAOF without an AOF replies Valkey\'s error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-r3-'));
  const e = new Engine();
  configOf(e).load('dir', [dir]);
  const err = await e.call('DEBUG', 'LOADAOF');
  assert.ok(err instanceof ReplyError);
  assert.equal(err.message, 'ERR Error trying to load the AOF files, check server logs.');
  e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('DEBUG HELP lists DIGEST, DIGEST-VALUE, LOADAOF and RELOAD as Valkey does', async () => {
  const e = new Engine();
  const lines = ((await e.call('DEBUG', 'HELP')) as unknown[]).map(String);
  assert.equal(lines[0], 'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  const at = (s: string) => lines.indexOf(s);
  assert.ok(at('DIGEST') > 0 && at('DIGEST-VALUE <key> [<key> ...]') > at('DIGEST'));
  assert.equal(lines[at('LOADAOF') + 1], '    Flush the AOF buffers on disk and reload the AOF in memory.');
  assert.ok(at('LOADAOF') > at('LOG <message>') && at('LOADAOF') < at('OBJECT <key>'));
  const r = at('RELOAD [option ...]');
  assert.ok(r > at('PROTOCOL <type>') && r < at('SET-ACTIVE-EXPIRE <0|1>'));
  assert.equal(lines[r + 1], '    Save the RDB on disk and reload it back to memory. Valid <option> values:');
  assert.equal(lines[r + 12], '      file to the database.');
  assert.equal(lines.at(-1), '    Print this help.');
  e.close();
});

test('AOF writes are batched: one write and one fsync per pipelined batch, before its replies', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-r3-'));
  const e = bootAof(dir);
  configOf(e).load('appendfsync', ['always']);
  const port = await freePort();
  const server = new Server(e, { port, bind: ['127.0.0.1'] });
  await server.listen();
  const realWrite = fs.writeSync;
  const realFsync = fs.fsyncSync;
  let writes = 0;
  let fsyncs = 0;
  let incr = '';
  const incrPath = () => path.join(dir, 'appendonlydir', aofOf(e).currentIncr());
  try {
    const c = await RawClient.connect(port);
    (fs as { writeSync: unknown }).writeSync = (fd: number, buf: Buffer, ...rest: unknown[]) => {
      if (Buffer.isBuffer(buf) && buf.includes('$3\r\nSET\r\n')) writes++;
      return (realWrite as (...a: unknown[]) => number)(fd, buf, ...rest);
    };
    (fs as { fsyncSync: unknown }).fsyncSync = (fd: number) => {
      fsyncs++;
      return realFsync(fd);
    };
    let pipeline = '';
    for (let i = 0; i < 50; i++) pipeline += `*3\r\n$3\r\nSET\r\n$${String(i).length + 1}\r\nk${i}\r\n$1\r\nv\r\n`;
    c.send(pipeline);
    await c.expect('+OK\r\n'.repeat(50));
    // The replies left after the batch was written and fsynced once.
    incr = fs.readFileSync(incrPath(), 'latin1');
    assert.equal(writes, 1);
    assert.equal(fsyncs, 1);
    for (let i = 0; i < 50; i++) assert.ok(incr.includes(`$${String(i).length + 1}\r\nk${i}\r\n`), `k${i} in the AOF`);
    c.socket.destroy();
  } finally {
    (fs as { writeSync: unknown }).writeSync = realWrite;
    (fs as { fsyncSync: unknown }).fsyncSync = realFsync;
    await server.close();
  }
  // A unit no reply follows (run outside any client) is written on the next turn of the loop.
  const w = new RespWriter(2);
  e.execute(e.client(), ['SET', 'quiet', 'x'], w);
  assert.ok(!fs.readFileSync(incrPath(), 'latin1').includes('quiet'), 'buffered, not written yet');
  await new Promise((r) => setImmediate(r));
  assert.ok(fs.readFileSync(incrPath(), 'latin1').includes('$5\r\nquiet\r\n$1\r\nx\r\n'));
  shutAof(e);
  fs.rmSync(dir, { recursive: true, force: true });
});
