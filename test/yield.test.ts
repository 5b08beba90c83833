/**
 * ValkeyModule_Yield serving other clients: a vmhost server runs as a child process with
 * test-modules/yield.c; one client runs YIELD.UNTIL (a loop calling Yield until the test
 * creates a stop file) while other clients talk to the server. Past busy-reply-threshold,
 * with VALKEYMODULE_YIELD_FLAG_CLIENTS, they get -BUSY (the module's text or Valkey's
 * default) and allow-busy core commands still run; with FLAG_NONE, or before the
 * threshold, they wait and are answered after the command.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testModule } from './helpers.js';
import { freePort, RawClient, resp, startVmhost } from './net-helpers.js';

const FLAG_NONE = 1;
const FLAG_CLIENTS = 2;

let child: ChildProcess;
let out: () => string = () => '';
let port = 0;
let dir = '';
let seq = 0;

before(async () => {
  const so = testModule('yield');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-yield-'));
  port = await freePort();
  const vm = await startVmhost(['--port', String(port), '--dir', dir, '--save', '', '--loadmodule', so], dir);
  child = vm.child;
  out = vm.out;
});

after(() => {
  child?.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts YIELD.UNTIL on `a` and waits until the module is inside its loop. Returns the
 *  function that lets the command finish. */
async function startYielding(a: RawClient, flags: number, busyReply?: string, extra = ''): Promise<() => void> {
  const n = ++seq;
  const started = path.join(dir, `started-${n}`);
  const stop = path.join(dir, `stop-${n}`);
  const args = ['YIELD.UNTIL', started, stop, String(flags)];
  if (busyReply !== undefined) args.push(busyReply);
  a.send(resp(...args) + extra);
  const deadline = Date.now() + 10000;
  while (!fs.existsSync(started)) {
    if (Date.now() > deadline) throw new Error(`the module command did not start:\n${out()}`);
    await sleep(5);
  }
  return () => fs.writeFileSync(stop, '');
}

async function connect(): Promise<RawClient> {
  const c = await RawClient.connect(port);
  return c;
}

test('past busy-reply-threshold other clients get -BUSY with the module text; allow-busy commands run', async () => {
  const a = await connect();
  const b = await connect();
  b.send(resp('CONFIG', 'SET', 'busy-reply-threshold', '50'));
  await b.expect('+OK\r\n');
  b.send(resp('SET', 'x', 'before'));
  await b.expect('+OK\r\n');
  // A pipelines a GET after the yielding command: it must wait for the command, not run inside it.
  const release = await startYielding(a, FLAG_CLIENTS, 'my busy text', resp('GET', 'x'));
  await sleep(150); // past the 50 ms threshold, measured from the command's start
  b.send(resp('GET', 'x'));
  await b.expect('-BUSY my busy text\r\n');
  b.send(resp('PING'));
  await b.expect('-BUSY my busy text\r\n');
  b.send(resp('SET', 'x', 'during'));
  await b.expect('-BUSY my busy text\r\n');
  // allow-busy core commands run: MULTI, DISCARD, WATCH, UNWATCH, FUNCTION KILL
  b.send(resp('MULTI'));
  await b.expect('+OK\r\n');
  b.send(resp('INCR', 'n'));
  await b.expect('-BUSY my busy text\r\n');
  b.send(resp('DISCARD'));
  await b.expect('+OK\r\n');
  b.send(resp('WATCH', 'x'));
  await b.expect('+OK\r\n');
  b.send(resp('UNWATCH'));
  await b.expect('+OK\r\n');
  b.send(resp('FUNCTION', 'KILL'));
  await b.expect('-NOTBUSY No scripts in execution right now.\r\n');
  // a module command, even allow-busy, is never run inside another one
  b.send(resp('YIELD.NOOP'));
  await b.expect('-BUSY my busy text\r\n');
  // a client connecting meanwhile is served too
  const c = await connect();
  c.send(resp('GET', 'x'));
  await c.expect('-BUSY my busy text\r\n');
  assert.equal(a.data.length, 0, 'the yielding client has no reply yet');
  release();
  await a.expect('+OK\r\n', 10000);
  await a.expect('$6\r\nbefore\r\n');
  // afterwards everything works normally
  b.send(resp('GET', 'x'));
  await b.expect('$6\r\nbefore\r\n');
  b.send(resp('PING'));
  await b.expect('+PONG\r\n');
  b.send(resp('EXISTS', 'yield:done'));
  await b.expect(':1\r\n');
  b.send(resp('YIELD.NOOP'));
  await b.expect('+NOOP\r\n');
  // the refused commands were counted as rejected calls
  b.send(resp('INFO', 'commandstats'));
  const text = await bulkReply(b);
  assert.match(text, /cmdstat_get:calls=\d+,usec=\d+,usec_per_call=[\d.]+,rejected_calls=2,failed_calls=0/);
  assert.match(text, /cmdstat_ping:calls=\d+,usec=\d+,usec_per_call=[\d.]+,rejected_calls=1,failed_calls=0/);
  a.close();
  b.close();
  c.close();
});

test('without a busy reply the text is Valkey\'s default', async () => {
  const a = await connect();
  const b = await connect();
  b.send(resp('CONFIG', 'SET', 'busy-reply-threshold', '50'));
  await b.expect('+OK\r\n');
  const release = await startYielding(a, FLAG_CLIENTS);
  await sleep(150);
  b.send(resp('GET', 'x'));
  await b.expect('-BUSY Valkey is busy running a module command.\r\n');
  // a refused EXEC aborts the transaction
  b.send(resp('MULTI'));
  await b.expect('+OK\r\n');
  b.send(resp('EXEC'));
  await b.expect('-EXECABORT Transaction discarded because of: BUSY Valkey is busy running a module command.\r\n');
  release();
  await a.expect('+OK\r\n', 10000);
  b.send(resp('PING'));
  await b.expect('+PONG\r\n');
  a.close();
  b.close();
});

test('FLAG_NONE, or a command shorter than the threshold: other clients wait for the command', async () => {
  const a = await connect();
  const b = await connect();
  b.send(resp('CONFIG', 'SET', 'busy-reply-threshold', '50'));
  await b.expect('+OK\r\n');
  b.send(resp('DEL', 'yield:done'));
  assert.match(await b.line(), /^:[01]$/);
  let release = await startYielding(a, FLAG_NONE, 'never shown');
  await sleep(150);
  b.send(resp('EXISTS', 'yield:done'));
  await sleep(100);
  assert.equal(b.data.length, 0, 'not answered while the command runs');
  release();
  await a.expect('+OK\r\n', 10000);
  await b.expect(':1\r\n', 10000); // answered after the command: it sees its effect

  b.send(resp('CONFIG', 'SET', 'busy-reply-threshold', '60000'));
  await b.expect('+OK\r\n');
  b.send(resp('DEL', 'yield:done'));
  await b.expect(':1\r\n');
  release = await startYielding(a, FLAG_CLIENTS, 'never shown');
  await sleep(150);
  b.send(resp('EXISTS', 'yield:done'));
  await sleep(100);
  assert.equal(b.data.length, 0, 'not answered before the threshold');
  release();
  await a.expect('+OK\r\n', 10000);
  await b.expect(':1\r\n', 10000);
  a.close();
  b.close();
});

test('the yielding client disconnecting mid-command does not crash the server', async () => {
  const a = await connect();
  const b = await connect();
  b.send(resp('CONFIG', 'SET', 'busy-reply-threshold', '50'));
  await b.expect('+OK\r\n');
  const release = await startYielding(a, FLAG_CLIENTS, 'gone soon');
  await sleep(120);
  a.close();
  await sleep(100);
  b.send(resp('GET', 'x'));
  await b.expect('-BUSY gone soon\r\n');
  release();
  await sleep(50);
  b.send(resp('PING'));
  await b.expect('+PONG\r\n', 10000);
  b.send(resp('CLIENT', 'LIST'));
  const lines = (await bulkReply(b)).trim().split('\n');
  assert.equal(lines.length, 1, 'only this client is left');
  assert.equal(child.exitCode, null);
  b.close();
});

/** Reads one bulk string reply and returns its text. */
async function bulkReply(c: RawClient): Promise<string> {
  const head = await c.line();
  assert.match(head, /^\$\d+$/);
  const n = Number(head.slice(1));
  await c.until(() => c.data.length >= n + 2, 5000, 'a bulk reply');
  const text = c.data.subarray(0, n).toString('latin1');
  c.data = c.data.subarray(n + 2);
  return text;
}
