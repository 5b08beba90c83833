/**
 * Durability with appendfsync always: `vmhost` runs as a child process with appendonly yes,
 * several clients write concurrently (each waiting for its replies), the server is killed
 * with SIGKILL in the middle of the stream, restarted on the same directory, and every
 * write that was acknowledged before the kill is found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, RawClient, resp, startVmhost, type VmhostProcess } from './net-helpers.js';

/** Starts vmhost on `port` in `dir` (appendonly, appendfsync always, no save points) and
 *  resolves once it accepts connections. */
function startServer(dir: string, port: number): Promise<VmhostProcess> {
  const args = ['--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
  return startVmhost(args, dir);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Reads one RESP reply line (the commands used reply with one line each). */
async function reply(c: RawClient): Promise<string | null> {
  try {
    await c.until(() => c.data.indexOf('\r\n') >= 0 || c.closed, 10000, 'a reply');
  } catch {
    return null;
  }
  if (c.data.indexOf('\r\n') < 0) return null;
  return c.line();
}

test('SIGKILL with appendfsync always loses no acknowledged write', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-aofcrash-'));
  const port = await freePort();
  const first = await startServer(dir, port);
  const CLIENTS = 4;
  /** Per client: the counters acknowledged (INCR replies), the list items and keys set. */
  const acked: { incr: number; pushed: number; sets: string[] }[] = [];
  let killed = false;
  const workers: Promise<void>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const state = { incr: 0, pushed: 0, sets: [] as string[] };
    acked.push(state);
    workers.push(
      (async () => {
        const c = await RawClient.connect(port);
        try {
          for (let n = 1; !killed; n++) {
            // A MULTI/EXEC unit now and then, plain commands otherwise.
            const op = n % 3;
            if (op === 0) {
              c.send(resp('INCR', `counter:${i}`));
              const r = await reply(c);
              if (r === null || c.closed) break;
              assert.equal(r, `:${state.incr + 1}`);
              state.incr++;
            } else if (op === 1) {
              c.send(resp('RPUSH', `list:${i}`, `item-${n}`));
              const r = await reply(c);
              if (r === null || c.closed) break;
              assert.equal(r, `:${state.pushed + 1}`);
              state.pushed++;
            } else {
              c.send(resp('MULTI') + resp('SET', `k:${i}:${n}`, `v${n}`) + resp('SELECT', '0') + resp('EXEC'));
              const r1 = await reply(c);
              const r2 = await reply(c);
              const r3 = await reply(c);
              const r4 = await reply(c);
              if (r4 === null || c.closed) break;
              assert.deepEqual([r1, r2, r3, r4], ['+OK', '+QUEUED', '+QUEUED', '*2']);
              const r5 = await reply(c);
              const r6 = await reply(c);
              if (r6 === null) break;
              assert.deepEqual([r5, r6], ['+OK', '+OK']);
              state.sets.push(`k:${i}:${n}`);
            }
          }
        } finally {
          c.close();
        }
      })(),
    );
  }
  // Let the clients write for a while, then kill the server mid-stream.
  const deadline = Date.now() + 10000;
  while (acked.reduce((n, s) => n + s.incr + s.pushed + s.sets.length, 0) < 300 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  first.child.kill('SIGKILL');
  killed = true;
  await exited(first.child);
  await Promise.all(workers);
  const total = acked.reduce((n, s) => n + s.incr + s.pushed + s.sets.length, 0);
  assert.ok(total >= 50, `only ${total} writes were acknowledged`);

  const second = await startServer(dir, port);
  try {
    assert.match(second.out(), /DB loaded from append only file: \d+\.\d{3} seconds/);
    const c = await RawClient.connect(port);
    try {
      for (let i = 0; i < CLIENTS; i++) {
        const s = acked[i]!;
        // A write in flight when the server died may or may not be there; acknowledged ones must.
        c.send(resp('GET', `counter:${i}`));
        const head = await c.line();
        const value = head === '$-1' ? 0 : Number(await c.line());
        assert.ok(value >= s.incr, `counter:${i} is ${value}, ${s.incr} increments were acknowledged`);
        assert.ok(value <= s.incr + 1);
        c.send(resp('LLEN', `list:${i}`));
        const len = Number((await c.line()).slice(1));
        assert.ok(len >= s.pushed && len <= s.pushed + 1, `list:${i} has ${len} items, ${s.pushed} acknowledged`);
        for (const k of s.sets) {
          c.send(resp('EXISTS', k));
          assert.equal(await c.line(), ':1', `${k} was acknowledged but is missing`);
        }
      }
    } finally {
      c.close();
    }
  } finally {
    second.child.kill('SIGKILL');
    await exited(second.child);
  }
});
