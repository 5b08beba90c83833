/**
 * The Fork API through test-modules/forker.c: the child runs module C code and exits with
 * ExitFromChild; the parent's done handler gets the exit code; one child at a time (EEXIST
 * and Valkey's log line); KillForkChild stops the child without calling the handler; INFO
 * persistence/stats report module children.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/index.js';
import { testModule } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-fork-'));

function infoField(info: unknown, name: string): string | undefined {
  const m = new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(String(info));
  return m ? m[1] : undefined;
}

/** Polls `f` (on the event loop, so the reaper runs) until it returns true; fails after ~10 s. */
async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not reached');
}

test('a forked child runs module code; the done handler gets its exit code', async () => {
  const engine = new Engine({ loglevel: 'verbose' });
  engine.loadModule(testModule('forker'));
  const out = path.join(tmp, 'a.txt');
  const go = path.join(tmp, 'a.go');
  const pid = Number(await engine.call('FORKER.FORK', out, '7', go));
  assert.ok(pid > 0 && pid !== process.pid);
  assert.equal(infoField(await engine.call('INFO', 'persistence'), 'module_fork_in_progress'), '1');
  assert.equal(infoField(await engine.call('INFO', 'stats'), 'total_forks'), '1');
  assert.ok(engine.logger.lines().some((l) => l.includes(`Module fork started pid: ${pid} `)));
  // a second child while one runs: -1 / EEXIST, logged as Valkey does
  const second = (await engine.call('FORKER.FORK', path.join(tmp, 'b.txt'), '0')) as Error;
  assert.equal(second.message, 'ERR fork failed: File exists');
  assert.ok(engine.logger.lines().some((l) => l.includes("Can't fork for module: File exists")));
  assert.deepEqual(await engine.call('FORKER.DONE'), [0, 0, 0, 0]);
  fs.writeFileSync(go, '');
  await until(async () => ((await engine.call('FORKER.DONE')) as number[])[0] === 1);
  assert.deepEqual(await engine.call('FORKER.DONE'), [1, 7, 0, 1]);
  assert.equal(fs.readFileSync(out, 'latin1'), 'child 7');
  assert.equal(infoField(await engine.call('INFO', 'persistence'), 'module_fork_in_progress'), '0');
  assert.ok(engine.logger.lines().some((l) => l.includes(`Module fork exited pid: ${pid}, retcode: 7, bysignal: 0`)));
  // a clean exit reports its copy-on-write size
  const go2 = path.join(tmp, 'c.go');
  await engine.call('FORKER.FORK', path.join(tmp, 'c.txt'), '0', go2);
  fs.writeFileSync(go2, '');
  await until(async () => ((await engine.call('FORKER.DONE')) as number[])[0] === 2);
  assert.deepEqual(await engine.call('FORKER.DONE'), [2, 0, 0, 3]);
  assert.ok(Number(infoField(await engine.call('INFO', 'persistence'), 'module_fork_last_cow_size')) >= 0);
  engine.unloadModule('forker');
  engine.close();
});

test('KillForkChild stops the child without calling the done handler', async () => {
  const engine = new Engine({ loglevel: 'verbose' });
  engine.loadModule(testModule('forker'));
  const before = ((await engine.call('FORKER.DONE')) as number[])[0]!;
  const pid = Number(await engine.call('FORKER.FORK', path.join(tmp, 'k.txt'), '0', path.join(tmp, 'never.go')));
  assert.ok(pid > 0);
  assert.equal(((await engine.call('FORKER.KILL', String(pid + 100000))) as Error).message, 'ERR kill failed');
  assert.equal(((await engine.call('FORKER.KILL', String(pid))) as { value: string }).value, 'OK');
  assert.ok(engine.logger.lines().some((l) => l.includes(`Killing running module fork child: ${pid}`)));
  // reaped: the process is gone
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
  assert.equal(infoField(await engine.call('INFO', 'persistence'), 'module_fork_in_progress'), '0');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(((await engine.call('FORKER.DONE')) as number[])[0], before);
  // no child any more: killing again fails, and a new fork works
  assert.equal(((await engine.call('FORKER.KILL', String(pid))) as Error).message, 'ERR kill failed');
  const go = path.join(tmp, 'n.go');
  fs.writeFileSync(go, '');
  const pid2 = Number(await engine.call('FORKER.FORK', path.join(tmp, 'n.txt'), '3', go));
  assert.ok(pid2 > 0);
  await until(async () => ((await engine.call('FORKER.DONE')) as number[])[0] === before + 1);
  assert.equal(((await engine.call('FORKER.DONE')) as number[])[1], 3);
  // heartbeat is a no-op in the parent; ExitFromChild refuses outside a child
  assert.equal(((await engine.call('FORKER.HEARTBEAT')) as { value: string }).value, 'OK');
  assert.equal(await engine.call('FORKER.EXIT'), 1);
  engine.unloadModule('forker');
  engine.close();
});
