/**
 * Module blocked clients end to end through a real server: a client blocked by a module
 * command does not stop other clients; a module thread's reply reaches the socket; the
 * disconnect callback runs when a blocked client closes its connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/index.js';
import { testModule } from './helpers.js';
import { RawClient, ServedEngine, resp } from './net-helpers.js';

describe('module blocked clients over the network', () => {
  let engine: Engine;
  let served: ServedEngine;
  let port: number;
  const connect = (): Promise<RawClient> => served.connect();

  /** Sends a command on `c` and returns its first reply line. */
  async function lineOf(c: RawClient, ...args: string[]): Promise<string> {
    c.send(resp(...args));
    return c.line();
  }

  /** blk.stats through a connection: [freed, lastDisconnected, timeouts, disconnects, replies, measured]. */
  async function stats(c: RawClient): Promise<number[]> {
    c.send(resp('blk.stats'));
    assert.equal(await c.line(), '*6');
    const out: number[] = [];
    for (let i = 0; i < 6; i++) out.push(Number((await c.line()).slice(1)));
    return out;
  }

  before(async () => {
    engine = new Engine();
    engine.loadModule(testModule('blocking'));
    served = await ServedEngine.start(engine);
    port = served.port;
  });

  after(() => served.close());

  it('a module thread unblocks the client; its replies reach the socket in order', async () => {
    const a = await connect();
    a.send(resp('blk.thread', '10'));
    await a.expect('*3\r\n+cb\r\n+t1\r\n+t2\r\n');
    // The connection goes on normally afterwards.
    a.send(resp('PING'));
    await a.expect('+PONG\r\n');
  });

  it('other clients are served while one is blocked, and can unblock it', async () => {
    const a = await connect();
    const b = await connect();
    a.send(resp('blk.hold', '0'));
    // A pipelined command of the blocked client waits for the block to end.
    a.send(resp('PING'));
    await b.until(() => engine.blocking.count === 1, 5000, 'the client to block');
    assert.equal(await lineOf(b, 'PING'), '+PONG');
    assert.equal(a.data.length, 0, 'the blocked client got nothing yet');
    assert.equal(await lineOf(b, 'blk.release', 'from-b'), '+OK');
    await a.expect('+from-b\r\n+PONG\r\n');
  });

  it('the disconnect callback runs when a blocked client closes its connection', async () => {
    const b = await connect();
    await lineOf(b, 'blk.reset');
    const c = await RawClient.connect(port);
    c.send(resp('blk.disc'));
    await b.until(() => engine.blocking.count === 1, 5000, 'the client to block');
    c.close();
    let s: number[] = [];
    const deadline = Date.now() + 5000;
    do {
      s = await stats(b);
      if (s[3] === 1 && engine.registry.blocked.moduleHandles('blocking') === 0) break;
      await new Promise((r) => setTimeout(r, 5));
    } while (Date.now() < deadline);
    // One disconnect callback, which released the handle with UnblockClient(bc, NULL): the
    // privdata was replaced by NULL, so free_privdata does not run; no reply callback.
    assert.deepEqual([s[0], s[3], s[4]], [0, 1, 0]);
    assert.equal(engine.registry.blocked.moduleHandles('blocking'), 0);
    assert.equal(engine.blocking.count, 0);
  });
});
