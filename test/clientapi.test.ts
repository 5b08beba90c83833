/** Client introspection and shared APIs for modules (test-modules/clientinfo.c). */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Engine, ReplyError } from '../src/index.js';
import { Server } from '../src/server/server.js';
import { testModule } from './helpers.js';
import { RawClient, freePort } from './net-helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('clientinfo'));

const PUBSUB = 1 << 1;
const UNIXSOCKET = 1 << 4;
const MULTI = 1 << 5;

/** The command answered the error `message` (as a reply or a rejection). */
async function rejects(p: unknown, message: string): Promise<void> {
  let r: unknown;
  try {
    r = await p;
  } catch (e) {
    r = e;
  }
  assert.ok(r instanceof ReplyError, `expected ${message}, got ${String(r)}`);
  assert.equal(r.message, message);
}

test('GetClientNameById / SetClientNameById', async () => {
  const c = engine.client();
  assert.equal(await engine.call('CI.NAME', c.id), null);
  assert.equal(String(await engine.call('CI.SETNAME', c.id, 'worker-1')), 'OK');
  assert.equal(await engine.call('CI.NAME', c.id), 'worker-1');
  assert.equal(await c.call('CLIENT', 'GETNAME'), 'worker-1');
  // CLIENT SETNAME's rules: no spaces, newlines or non-printable bytes
  await rejects(engine.call('CI.SETNAME', c.id, 'has space'), 'ERR EINVAL');
  await rejects(engine.call('CI.SETNAME', c.id, 'nl\n'), 'ERR EINVAL');
  assert.equal(await engine.call('CI.NAME', c.id), 'worker-1');
  // the empty name clears it
  assert.equal(String(await engine.call('CI.SETNAME', c.id, '')), 'OK');
  assert.equal(await engine.call('CI.NAME', c.id), null);
  // unknown clients
  await rejects(engine.call('CI.SETNAME', 999999, 'x'), 'ERR ENOENT');
  assert.equal(await engine.call('CI.NAME', 999999), null);
});

test('GetClientUserNameById / GetCurrentUserName', async () => {
  const c = engine.client();
  assert.equal(await engine.call('CI.USER', c.id), 'default');
  assert.equal(await c.call('CI.CURUSER'), 'default');
  assert.equal(String(await engine.call('ACL', 'SETUSER', 'alice', 'on', '>secret', '~*', '+@all')), 'OK');
  assert.equal(String(await c.call('AUTH', 'alice', 'secret')), 'OK');
  assert.equal(await engine.call('CI.USER', c.id), 'alice');
  assert.equal(await c.call('CI.CURUSER'), 'alice');
  await rejects(engine.call('CI.USER', 999999), 'ERR ENOENT');
});

test('GetClientInfoById: embedded client, db, MULTI, version and existence checks', async () => {
  const c = engine.client();
  assert.equal(String(await c.call('SELECT', 3)), 'OK');
  assert.deepEqual(await engine.call('CI.INFO', c.id), [0, c.id, '', 0, 3]);
  assert.equal(String(await c.call('MULTI')), 'OK');
  assert.deepEqual(await engine.call('CI.INFO', c.id), [MULTI, c.id, '', 0, 3]);
  assert.equal(String(await c.call('DISCARD')), 'OK');
  // only version 1 is known
  await rejects(engine.call('CI.INFO', c.id, 2), 'ERR failed');
  await rejects(engine.call('CI.INFO', c.id, 0), 'ERR failed');
  await rejects(engine.call('CI.INFO', 999999), 'ERR failed');
  // NULL ci: existence check
  assert.equal(await engine.call('CI.EXISTS', c.id), 1);
  assert.equal(await engine.call('CI.EXISTS', 999999), 0);
  // the calling client itself
  const myId = (await c.call('CI.MYID')) as number;
  assert.equal(myId, c.id);
});

test('GetClientInfoById: TCP and unix socket connections, PUBSUB', async () => {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-'));
  const sock = path.join(dir, 's.sock');
  const server = new Server(engine, { port, bind: ['127.0.0.1'], unixsocket: sock, unixsocketperm: 0o700 });
  await server.listen();
  try {
    const tcp = await RawClient.connect(port);
    tcp.send('*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n');
    await tcp.until(() => tcp.data.includes('\r\n'));
    const id = Number(tcp.data.toString('latin1').slice(1, -2));
    tcp.data = Buffer.alloc(0);
    assert.deepEqual(await engine.call('CI.INFO', id), [0, id, '127.0.0.1', tcp.socket.localPort, 0]);
    tcp.send('*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n');
    await tcp.until(() => tcp.data.length > 0);
    assert.deepEqual(await engine.call('CI.INFO', id), [PUBSUB, id, '127.0.0.1', tcp.socket.localPort, 0]);
    tcp.socket.destroy();

    const unix = await RawClient.connect(sock);
    unix.send('*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n');
    await unix.until(() => unix.data.includes('\r\n'));
    const uid = Number(unix.data.toString('latin1').slice(1, -2));
    assert.deepEqual(await engine.call('CI.INFO', uid), [UNIXSOCKET, uid, '/unixsocket', 0, 0]);
    unix.socket.destroy();
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('MustObeyClient is 0, GetClientCertificate NULL (no primary, AOF or TLS)', async () => {
  const c = engine.client();
  assert.equal(await c.call('CI.MUSTOBEY'), 0);
  assert.equal(await engine.call('CI.CERT', c.id), null);
  assert.equal(await engine.call('CI.CERT', 999999), null);
});

test('shared APIs: export, lookup, name taken, unload refused while used', async () => {
  const e = new Engine();
  await e.loadModule(testModule('clientinfo'));
  await e.loadModule(testModule('clientinfo'), ['user']);
  assert.equal(await e.call('CIUSER.MISSING'), 1);
  // the name is taken (by this very module)
  assert.equal(await e.call('CI.EXPORTAGAIN'), 0);
  // before GetSharedAPI nobody uses the exporter; but now the user takes the API
  assert.equal(await e.call('CIUSER.DOUBLE', 21), 42);
  assert.throws(() => e.unloadModule('clientinfo'),
    /the module exports APIs used by other modules\. Please unload them first and try again/);
  assert.equal(await e.call('CIUSER.DOUBLE', 5), 10);
  e.unloadModule('clientinfouser');
  e.unloadModule('clientinfo');
  // the name is free again once the exporter is gone
  await e.loadModule(testModule('clientinfo'), ['user']);
  await rejects(e.call('CIUSER.DOUBLE', 1), 'ERR no api');
  await e.loadModule(testModule('clientinfo'));
  assert.equal(await e.call('CIUSER.DOUBLE', 4), 8);
});

test('shared APIs are per engine', async () => {
  const e = new Engine();
  await e.loadModule(testModule('clientinfo'), ['user']);
  await rejects(e.call('CIUSER.DOUBLE', 1), 'ERR no api');
});

after(() => {});
