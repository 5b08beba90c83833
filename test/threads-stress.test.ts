/** Stress of the global lock: many module threads, each looping Lock / Call INCR / Unlock.
 *  Every reply must arrive, the counter must be exact, nothing may hang or crash.
 *  Full size (16 threads x 10,000) by default (~8 s here); VMHOST_STRESS_ITERS=<n> changes the
 *  per-thread count (scripts/asan-stress.sh uses a smaller one under AddressSanitizer). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../src/index.js';
import { testModule } from './helpers.js';

const THREADS = 16;
const ITERS = Number(process.env.VMHOST_STRESS_ITERS ?? 10_000);

test(`stress: ${THREADS} threads x ${ITERS} lock / Call INCR / unlock cycles`, { timeout: 600_000 }, async () => {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('threads'));
  assert.equal(String(await engine.call('THREADS.STRESS', THREADS, ITERS, 'counter')), 'OK');
  let status: unknown[] = [];
  for (;;) {
    status = (await engine.call('THREADS.STRESSSTATUS')) as unknown[];
    if (status[0] === THREADS) break;
    await sleep(10);
  }
  assert.deepEqual(status, [THREADS, 0]);
  assert.equal(await engine.call('GET', 'counter'), String(THREADS * ITERS));
  engine.close();
});
