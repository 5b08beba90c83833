/**
 * Module authentication (RegisterAuthCallback, BlockClientOnAuth): AUTH and HELLO AUTH try
 * the modules' callbacks (most recent first) before the password; a callback authenticates,
 * denies (its own error or WRONGPASS, its own ACL LOG entry), passes, or blocks the client
 * until a module thread releases it. Embedded, and end to end through a server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import type { Reply } from '../src/protocol/reply.js';
import { plain, testModule } from './helpers.js';
import { RawClient, ServedEngine, resp } from './net-helpers.js';

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
const DENIED = 'ERR Auth denied by Misc Module.';

/** The text of an error reply (fails when the reply is not an error). */
function errorOf(r: Reply): string {
  assert.ok(r instanceof ReplyError, `expected an error reply, got ${JSON.stringify(plain(r))}`);
  return (r as ReplyError).message;
}

/** An engine with authmod loaded and user foo (password pwd). */
async function newEngine(args: string[] = []): Promise<Engine> {
  const engine = new Engine();
  engine.loadModule(testModule('authmod'), args);
  assert.equal(plain(await engine.call('ACL', 'SETUSER', 'foo', '>pwd', 'on', '~*', '&*', '+@all')), 'OK');
  return engine;
}

/** ACL LOG entry `i` as a map. */
async function logEntry(engine: Engine, i: number): Promise<Map<string, unknown>> {
  const log = (await engine.call('ACL', 'LOG')) as unknown[][];
  const e = log[i]!;
  const m = new Map<string, unknown>();
  for (let k = 0; k + 1 < e.length; k += 2) m.set(String(e[k]), e[k + 1]);
  return m;
}

/** Waits (polling the event loop) until cond() holds; fails after 5 s. */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('handled: a callback authenticates the client (AUTH and HELLO AUTH)', async () => {
  const engine = await newEngine(['plain']);
  const c = engine.client();
  assert.equal(plain(await c.call('AUTH', 'foo', 'allow')), 'OK');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'foo');
  const d = engine.client();
  const hello = plain(await d.call('HELLO', '3', 'AUTH', 'foo', 'allow', 'SETNAME', 'viamod'));
  assert.ok(hello instanceof Map, 'HELLO 3 replies a map');
  assert.equal((hello as Map<string, unknown>).get('proto'), 3);
  assert.equal(await d.call('ACL', 'WHOAMI'), 'foo');
  assert.equal(await d.call('CLIENT', 'GETNAME'), 'viamod');
  engine.close();
});

test('handled: a callback denies with its own error and its own ACL LOG entry', async () => {
  const engine = await newEngine(['plain']);
  assert.equal(plain(await engine.call('ACL', 'LOG', 'RESET')), 'OK');
  const c = engine.client();
  assert.equal(errorOf(await c.call('AUTH', 'foo', 'deny')), DENIED);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
  // The server adds no entry of its own for a module's denial: only the module's is there.
  const log = (await engine.call('ACL', 'LOG')) as unknown[];
  assert.equal(log.length, 1);
  const e = await logEntry(engine, 0);
  assert.equal(e.get('username'), 'foo');
  assert.equal(e.get('context'), 'module');
  assert.equal(e.get('reason'), 'auth');
  assert.equal(e.get('object'), 'Module Auth');
  assert.match(String(e.get('client-info')), new RegExp(`^id=${c.id} `));
  // HELLO AUTH denied: the error, and neither the name nor the protocol changes.
  assert.equal(plain(await c.call('CLIENT', 'SETNAME', 'before')), 'OK');
  assert.equal(errorOf(await c.call('HELLO', '3', 'AUTH', 'foo', 'deny', 'SETNAME', 'after')), DENIED);
  assert.equal(await c.call('CLIENT', 'GETNAME'), 'before');
  assert.equal(c.proto, 2);
  // An error text with its own code is sent as it is.
  assert.equal(plain(await engine.call('authmod.register', 'plainerr')), 'OK');
  assert.equal(errorOf(await c.call('AUTH', 'foo', 'dash')), 'CUSTOM own code');
  engine.close();
});

test('not handled: the password decides (and its failure is logged by the server)', async () => {
  const engine = await newEngine(['plain']);
  assert.equal(plain(await engine.call('ACL', 'LOG', 'RESET')), 'OK');
  const c = engine.client();
  assert.equal(plain(await c.call('AUTH', 'foo', 'pwd')), 'OK');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'foo');
  assert.equal(errorOf(await c.call('AUTH', 'foo', 'nomatch')), WRONGPASS);
  const e = await logEntry(engine, 0);
  assert.equal(e.get('context'), 'toplevel');
  assert.equal(e.get('reason'), 'auth');
  // Unknown or disabled users are not the module's business here: WRONGPASS.
  assert.equal(errorOf(await c.call('AUTH', 'nobody', 'allow')), WRONGPASS);
  assert.equal(plain(await engine.call('ACL', 'SETUSER', 'foo', 'off')), 'OK');
  assert.equal(errorOf(await c.call('AUTH', 'foo', 'allow')), WRONGPASS);
  engine.close();
});

test('callbacks run most recently registered first', async () => {
  const engine = await newEngine();
  assert.equal(plain(await engine.call('authmod.register', 'first')), 'OK');
  assert.equal(plain(await engine.call('authmod.register', 'second')), 'OK');
  assert.equal(errorOf(await engine.client().call('AUTH', 'foo', 'who')), 'ERR second');
  engine.close();
});

test('blocking: BlockClientOnAuth, released by a thread; allow, deny, next, abort', async () => {
  const engine = await newEngine();
  // Registered first, so tried after the plain callback.
  assert.equal(plain(await engine.call('authmod.register', 'blocking')), 'OK');
  assert.equal(plain(await engine.call('authmod.register', 'plain')), 'OK');
  assert.equal(plain(await engine.call('ACL', 'LOG', 'RESET')), 'OK');
  const c = engine.client();

  const p = c.call('AUTH', 'foo', 'block_allow');
  assert.ok(p instanceof Promise, 'a blocked AUTH returns a Promise');
  assert.equal(engine.blocking.count, 1);
  assert.equal(plain(await p), 'OK');
  assert.equal(engine.blocking.count, 0);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'foo');

  const d = engine.client();
  assert.equal(errorOf(await d.call('AUTH', 'foo', 'block_deny')), DENIED);
  assert.equal(await d.call('ACL', 'WHOAMI'), 'default');
  assert.equal((await logEntry(engine, 0)).get('object'), 'Module Auth');
  // The reply callback does not handle it: the password decides.
  assert.equal(plain(await d.call('AUTH', 'foo', 'pwd')), 'OK');
  // AbortBlock: not handled either, and no password matches.
  assert.equal(errorOf(await d.call('AUTH', 'foo', 'block_abort')), WRONGPASS);
  // A non-blocking callback that handles it first never blocks.
  const q = d.call('AUTH', 'foo', 'allow');
  assert.ok(!(q instanceof Promise));
  assert.equal(plain(await q), 'OK');
  // free_privdata ran for allow, deny and pwd (abort passes no privdata).
  assert.equal(await engine.call('authmod.freed'), 3);

  // HELLO AUTH blocks as well, then switches protocol and name.
  const h = engine.client();
  const hello = plain(await h.call('HELLO', '3', 'AUTH', 'foo', 'block_allow', 'SETNAME', 'blocked'));
  assert.ok(hello instanceof Map);
  assert.equal(await h.call('CLIENT', 'GETNAME'), 'blocked');
  assert.equal(h.proto, 3);
  engine.close();
});

test('blocking: a user disabled while the client waits fails the password step', async () => {
  const engine = await newEngine();
  assert.equal(plain(await engine.call('authmod.register', 'blocking')), 'OK');
  const c = engine.client();
  const p = c.call('AUTH', 'foo', 'pwd');
  assert.ok(p instanceof Promise);
  assert.equal(plain(await engine.call('ACL', 'SETUSER', 'foo', 'off')), 'OK');
  assert.equal(errorOf(await p), WRONGPASS);
  engine.close();
});

test('BlockClient during auth is refused; BlockClientOnAuth outside auth is refused', async () => {
  const engine = await newEngine(['plain']);
  assert.equal(
    errorOf(await engine.client().call('AUTH', 'foo', 'badblock')),
    'ERR Clients undergoing module based authentication can only be blocked on auth',
  );
  assert.equal(
    errorOf(await engine.call('authmod.blockonauth')),
    'ERR Module blocking client on auth when not currently undergoing module authentication',
  );
  assert.equal(engine.blocking.count, 0);
  engine.close();
});

test('inside MULTI: non-blocking module auth works, blocking gives the transaction error', async () => {
  const engine = await newEngine();
  assert.equal(plain(await engine.call('authmod.register', 'blocking')), 'OK');
  assert.equal(plain(await engine.call('authmod.register', 'plain')), 'OK');
  const c = engine.client();
  assert.equal(plain(await c.call('MULTI')), 'OK');
  assert.equal(plain(await c.call('AUTH', 'foo', 'allow')), 'QUEUED');
  assert.deepEqual(plain(await c.call('EXEC')), ['OK']);
  assert.equal(plain(await c.call('MULTI')), 'OK');
  assert.equal(plain(await c.call('AUTH', 'foo', 'block_allow')), 'QUEUED');
  const r = (await c.call('EXEC')) as Reply[];
  assert.equal(r.length, 1);
  assert.equal(errorOf(r[0]!), 'ERR Blocking module command called from transaction');
  // The refused handle is still released by the module's thread.
  await until(async () => engine.registry.blocked.moduleHandles('authmod') === 0, 'the handle to be released');
  engine.close();
});

test('unload: refused while a client is blocked on auth, then the callbacks are gone', async () => {
  const engine = await newEngine();
  assert.equal(plain(await engine.call('authmod.register', 'blocking')), 'OK');
  assert.equal(plain(await engine.call('authmod.register', 'plain')), 'OK');
  const c = engine.client();
  const p = c.call('AUTH', 'foo', 'block_allow');
  assert.match(
    errorOf(await engine.call('MODULE', 'UNLOAD', 'authmod')),
    /the module has blocked clients/,
  );
  assert.equal(plain(await p), 'OK');
  assert.equal(plain(await engine.call('MODULE', 'UNLOAD', 'authmod')), 'OK');
  const d = engine.client();
  assert.equal(errorOf(await d.call('AUTH', 'foo', 'allow')), WRONGPASS);
  assert.equal(errorOf(await d.call('AUTH', 'foo', 'block_allow')), WRONGPASS);
  assert.equal(plain(await d.call('AUTH', 'foo', 'pwd')), 'OK');
  engine.close();
});

describe('module authentication over the network', () => {
  let engine: Engine;
  let served: ServedEngine;
  const connect = (): Promise<RawClient> => served.connect();

  before(async () => {
    engine = await newEngine();
    assert.equal(plain(await engine.call('authmod.register', 'blocking')), 'OK');
    assert.equal(plain(await engine.call('authmod.register', 'plain')), 'OK');
    // Long enough for the test to see the client blocked.
    assert.equal(plain(await engine.call('authmod.delay', '300')), 'OK');
    served = await ServedEngine.start(engine);
  });

  after(() => served.close());

  test('a blocked AUTH does not stop other clients; the thread releases it; its reply reaches the socket', async () => {
    const a = await connect();
    const b = await connect();
    a.send(resp('AUTH', 'foo', 'block_allow'));
    a.send(resp('ACL', 'WHOAMI'));
    await b.until(() => engine.blocking.count === 1, 5000, 'the client to block on auth');
    b.send(resp('INFO', 'clients'));
    await b.until(() => b.data.toString('latin1').includes('blocked_clients:1'), 5000, 'INFO blocked_clients:1');
    b.data = Buffer.alloc(0);
    // Other clients authenticate meanwhile (non-blocking module auth and the password).
    b.send(resp('AUTH', 'foo', 'allow'));
    await b.expect('+OK\r\n');
    await a.expect('+OK\r\n$3\r\nfoo\r\n');
    assert.equal(engine.blocking.count, 0);
  });

  test('HELLO 3 AUTH blocked, then denied and allowed', async () => {
    const a = await connect();
    a.send(resp('HELLO', '2', 'AUTH', 'foo', 'block_deny'));
    await a.expect(`-${DENIED}\r\n`);
    // The module's ACL LOG entry names the command the client was running.
    const e = await logEntry(engine, 0);
    assert.equal(e.get('object'), 'Module Auth');
    assert.match(String(e.get('client-info')), / cmd=hello /);
    a.send(resp('HELLO', '3', 'AUTH', 'foo', 'block_allow'));
    await a.expect('%7\r\n');
  });

  test('a client killed while blocked on auth: no reply, privdata freed as disconnected', async () => {
    const b = await connect();
    const freedBefore = (await engine.call('authmod.freed')) as number;
    const a = await connect();
    a.send(resp('CLIENT', 'ID'));
    const id = (await a.line()).slice(1);
    a.send(resp('AUTH', 'foo', 'block_allow'));
    await b.until(() => engine.blocking.count === 1, 5000, 'the client to block on auth');
    b.send(resp('CLIENT', 'KILL', 'ID', id));
    await b.expect(':1\r\n');
    await a.waitClosed();
    assert.equal(engine.blocking.count, 0);
    // The module still releases its handle; the server frees privdata without a reply.
    await until(async () => (await engine.call('authmod.freed')) === freedBefore + 1, 'free_privdata');
    await until(() => engine.registry.blocked.moduleHandles('authmod') === 0, 'the handle to be freed');
    assert.equal(a.data.length, 0);
  });
});
