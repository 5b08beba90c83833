/** Module ACL users and permission checks (test-modules/aclmodule.c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { Server } from '../src/server/server.js';
import { testModule } from './helpers.js';
import { RawClient, freePort, resp } from './net-helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('aclmodule'));

// VALKEYMODULE_CMD_KEY_* / VALKEYMODULE_CMD_CHANNEL_* (valkeymodule.h)
const KEY_ACCESS = 1 << 4;
const KEY_UPDATE = 1 << 5;
const KEY_INSERT = 1 << 6;
const KEY_DELETE = 1 << 7;
const CH_PATTERN = 1 << 0;
const CH_PUBLISH = 1 << 1;
const CH_SUBSCRIBE = 1 << 2;
const CH_UNSUBSCRIBE = 1 << 3;
// ValkeyModuleACLLogEntryReason
const LOG_AUTH = 0;
const LOG_CMD = 1;
const LOG_KEY = 2;
const LOG_CHANNEL = 3;

/** The command answered the error `message`. */
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

async function call(...args: (string | number)[]): Promise<unknown> {
  const r = await engine.call(...args);
  if (r instanceof ReplyError) throw r;
  return Array.isArray(r) ? r.map((x) => (typeof x === 'object' && x !== null ? String(x) : x)) : r === null ? null : String(r);
}

test('CreateModuleUser / SetModuleUserACL(String) / GetModuleUserACLString / FreeModuleUser', async () => {
  assert.equal(await call('ACLM.CREATE', 0, 'modu'), 'OK');
  // a fresh module user: off, nothing allowed
  assert.equal(await call('ACLM.GETSTR', 0), 'off sanitize-payload resetchannels -@all');
  // not an ACL user
  assert.deepEqual(await call('ACL', 'USERS'), ['default']);
  assert.equal((await call('ACL', 'LIST') as string[]).length, 1);
  // one rule at a time
  assert.equal(await call('ACLM.SET', 0, 'on'), 'OK');
  assert.equal(await call('ACLM.SET', 0, '+get'), 'OK');
  await rejects(call('ACLM.SET', 0, '+nosuchcommand'), 'ERR failed');
  await rejects(call('ACLM.SET', 0, 'bogus'), 'ERR failed');
  assert.equal(await call('ACLM.GETSTR', 0), 'on sanitize-payload resetchannels -@all +get');
  // a full rule string
  assert.equal(await call('ACLM.SETSTR', 0, 'nopass ~foo:* &chan +set'), 'OK');
  assert.equal(await call('ACLM.GETSTR', 0), 'on nopass sanitize-payload ~foo:* resetchannels &chan -@all +get +set');
  // all or nothing, with ACL SETUSER's error text
  assert.deepEqual(await call('ACLM.SETSTR', 0, '+del +nosuchcommand'), [
    0,
    "Error in ACL SETUSER modifier '+nosuchcommand': Unknown command or category name in ACL",
  ]);
  assert.deepEqual(await call('ACLM.SETSTR', 0, '(+get'), [
    0,
    "Unmatched parenthesis in acl selector starting at '(+get'.",
  ]);
  await rejects(call('ACLM.SETSTRNOERR', 0, 'off bogus'), 'ERR failed');
  assert.equal(await call('ACLM.GETSTR', 0), 'on nopass sanitize-payload ~foo:* resetchannels &chan -@all +get +set');
  // selectors
  assert.equal(await call('ACLM.SETSTR', 0, '(~bar:* +del)'), 'OK');
  assert.equal(
    await call('ACLM.GETSTR', 0),
    'on nopass sanitize-payload ~foo:* resetchannels &chan -@all +get +set (~bar:* resetchannels -@all +del)',
  );
  assert.equal(await call('ACLM.FREE', 0), 'OK');
  assert.deepEqual(await call('ACL', 'USERS'), ['default']);
});

test('GetModuleUserFromUserName: a handle on an ACL user; freeing it keeps the user', async () => {
  assert.equal(await call('ACLM.FROMNAME', 1, 'nobody'), null);
  assert.equal(await call('ACL', 'SETUSER', 'bob', 'on', '>pw', '~k*', '+get'), 'OK');
  assert.equal(await call('ACLM.FROMNAME', 1, 'bob'), 'OK');
  const desc = (await call('ACLM.GETSTR', 1)) as string;
  assert.match(desc, /^on sanitize-payload #[0-9a-f]{64} ~k\* resetchannels -@all \+get$/);
  // changes through the handle are the ACL user's
  assert.equal(await call('ACLM.SET', 1, '+set'), 'OK');
  assert.deepEqual(await call('ACL', 'GETUSER', 'bob').then((r) => (r as unknown[])[5]), '-@all +get +set');
  assert.equal(await call('ACLM.FREE', 1), 'OK');
  assert.deepEqual(await call('ACL', 'USERS'), ['bob', 'default']);
  assert.equal(await call('ACL', 'DELUSER', 'bob'), '1');
});

test('ACLCheckCommandPermissions', async () => {
  assert.equal(await call('ACLM.CREATE', 2, 'checker'), 'OK');
  assert.equal(await call('ACLM.SETSTR', 2, 'on nopass ~* +get +config|get +client|setname'), 'OK');
  assert.equal(await call('ACLM.CHECKCMD', 2, 'get', 'x'), 'OK');
  assert.equal(await call('ACLM.CHECKCMD', 2, 'GET', 'x'), 'OK');
  await rejects(call('ACLM.CHECKCMD', 2, 'set', 'x', '1'), 'ERR EACCES');
  await rejects(call('ACLM.CHECKCMD', 2, 'nosuchcommand'), 'ERR ENOENT');
  assert.equal(await call('ACLM.CHECKCMD', 2, 'config', 'get', 'maxmemory'), 'OK');
  await rejects(call('ACLM.CHECKCMD', 2, 'config', 'set', 'maxmemory', '0'), 'ERR EACCES');
  await rejects(call('ACLM.CHECKCMD', 2, 'config', 'nosuchsub'), 'ERR ENOENT');
  // key patterns count too
  assert.equal(await call('ACLM.SETSTR', 2, 'resetkeys ~a:*'), 'OK');
  assert.equal(await call('ACLM.CHECKCMD', 2, 'get', 'a:1'), 'OK');
  await rejects(call('ACLM.CHECKCMD', 2, 'get', 'b:1'), 'ERR EACCES');
  assert.equal(await call('ACLM.FREE', 2), 'OK');
});

test('ACLCheckKeyPermissions', async () => {
  assert.equal(await call('ACLM.CREATE', 3, 'keys'), 'OK');
  assert.equal(await call('ACLM.SETSTR', 3, 'on %R~r:* %W~w:* ~rw:*'), 'OK');
  assert.equal(await call('ACLM.CHECKKEY', 3, 'r:1', KEY_ACCESS), 'OK');
  await rejects(call('ACLM.CHECKKEY', 3, 'r:1', KEY_INSERT), 'ERR EACCES');
  await rejects(call('ACLM.CHECKKEY', 3, 'r:1', KEY_ACCESS | KEY_UPDATE), 'ERR EACCES');
  assert.equal(await call('ACLM.CHECKKEY', 3, 'w:1', KEY_INSERT), 'OK');
  assert.equal(await call('ACLM.CHECKKEY', 3, 'w:1', KEY_DELETE), 'OK');
  await rejects(call('ACLM.CHECKKEY', 3, 'w:1', KEY_ACCESS), 'ERR EACCES');
  assert.equal(await call('ACLM.CHECKKEY', 3, 'rw:1', KEY_ACCESS | KEY_UPDATE | KEY_INSERT | KEY_DELETE), 'OK');
  await rejects(call('ACLM.CHECKKEY', 3, 'other', KEY_ACCESS), 'ERR EACCES');
  // flags beyond ACCESS/INSERT/DELETE/UPDATE (here RW = 1<<1)
  await rejects(call('ACLM.CHECKKEY', 3, 'rw:1', 1 << 1), 'ERR EINVAL');
  assert.equal(await call('ACLM.SET', 3, 'allkeys'), 'OK');
  assert.equal(await call('ACLM.CHECKKEY', 3, 'other', KEY_INSERT), 'OK');
  assert.equal(await call('ACLM.FREE', 3), 'OK');
});

test('ACLCheckChannelPermissions', async () => {
  assert.equal(await call('ACLM.CREATE', 4, 'chans'), 'OK');
  assert.equal(await call('ACLM.SETSTR', 4, 'on resetchannels &news.* &exact'), 'OK');
  assert.equal(await call('ACLM.CHECKCH', 4, 'news.sport', CH_PUBLISH), 'OK');
  assert.equal(await call('ACLM.CHECKCH', 4, 'news.sport', CH_SUBSCRIBE), 'OK');
  await rejects(call('ACLM.CHECKCH', 4, 'weather', CH_PUBLISH), 'ERR EACCES');
  // a pattern must match a channel rule literally
  assert.equal(await call('ACLM.CHECKCH', 4, 'news.*', CH_PATTERN | CH_SUBSCRIBE), 'OK');
  await rejects(call('ACLM.CHECKCH', 4, 'news.s*', CH_PATTERN | CH_SUBSCRIBE), 'ERR EACCES');
  // unsubscribing is always allowed
  assert.equal(await call('ACLM.CHECKCH', 4, 'weather', CH_UNSUBSCRIBE), 'OK');
  await rejects(call('ACLM.CHECKCH', 4, 'news.x', 1 << 4), 'ERR EINVAL');
  assert.equal(await call('ACLM.SET', 4, 'allchannels'), 'OK');
  assert.equal(await call('ACLM.CHECKCH', 4, 'weather', CH_PUBLISH), 'OK');
  assert.equal(await call('ACLM.FREE', 4), 'OK');
});

test('ACLAddLogEntry / ACLAddLogEntryByUserName', async () => {
  assert.equal(await call('ACL', 'LOG', 'RESET'), 'OK');
  assert.equal(await call('ACLM.CREATE', 5, 'logger'), 'OK');
  assert.equal(await call('ACLM.LOG', 5, 'somekey', LOG_KEY), 'OK');
  assert.equal(await call('ACLM.LOG', 5, 'somecmd', LOG_CMD), 'OK');
  assert.equal(await call('ACLM.LOGBYNAME', 'ghost', 'chan', LOG_CHANNEL), 'OK');
  assert.equal(await call('ACLM.LOGBYNAME', 'ghost', 'login', LOG_AUTH), 'OK');
  await rejects(call('ACLM.LOG', 5, 'x', 4), 'ERR failed');
  await rejects(call('ACLM.LOGBYNAME', 'ghost', 'x', 9), 'ERR failed');
  const log = (await engine.call('ACL', 'LOG')) as unknown[][];
  const rows = log.map((e) => {
    const m = new Map<string, unknown>();
    for (let i = 0; i + 1 < e.length; i += 2) m.set(String(e[i]), e[i + 1]);
    return [String(m.get('reason')), String(m.get('context')), String(m.get('object')), String(m.get('username')), Number(m.get('count'))];
  });
  assert.deepEqual(rows, [
    ['auth', 'module', 'login', 'ghost', 1],
    ['channel', 'module', 'chan', 'ghost', 1],
    ['command', 'module', 'somecmd', 'logger', 1],
    ['key', 'module', 'somekey', 'logger', 1],
  ]);
  // the same entry again is merged
  assert.equal(await call('ACLM.LOG', 5, 'somekey', LOG_KEY), 'OK');
  const again = (await engine.call('ACL', 'LOG', 1)) as unknown[][];
  assert.equal(String(again[0]![7]), 'somekey');
  assert.equal(Number(again[0]![1]), 2);
  assert.equal(await call('ACLM.FREE', 5), 'OK');
});

test('AuthenticateClientWithUser / WithACLUser: user switch, callback, client id', async () => {
  const c = engine.client();
  assert.equal(await call('ACLM.CREATE', 6, 'modauth'), 'OK');
  // a disabled user is refused
  await rejects(c.call('ACLM.AUTH', 6, 'CB'), 'ERR failed');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
  assert.equal(await call('ACLM.SETSTR', 6, 'on ~* +@all'), 'OK');
  assert.equal(await c.call('ACLM.AUTH', 6, 'CB'), c.id);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'modauth');
  assert.deepEqual(await engine.call('ACLM.CHANGED'), []);
  // the module user's rules apply
  assert.equal(await call('ACLM.SET', 6, '-set'), 'OK');
  await rejects(c.call('SET', 'k', 'v'), "NOPERM User modauth has no permissions to run the 'set' command");
  // authenticating again fires the previous callback (once)
  assert.equal(String(await engine.call('ACL', 'SETUSER', 'carol', 'on', 'nopass', '+@all', '~*')), 'OK');
  assert.equal(await c.call('ACLM.AUTHNAME', 'carol', 'CB'), c.id);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'carol');
  assert.deepEqual(await engine.call('ACLM.CHANGED'), [c.id]);
  // AUTH changes the user: the callback fires
  assert.equal(String(await c.call('AUTH', 'default', 'x')), 'OK');
  assert.deepEqual(await engine.call('ACLM.CHANGED'), [c.id]);
  // no callback armed: nothing fires
  assert.equal(await c.call('ACLM.AUTHNAME', 'carol'), c.id);
  assert.equal(String(await c.call('RESET')), 'RESET');
  assert.deepEqual(await engine.call('ACLM.CHANGED'), []);
  // RESET fires it
  assert.equal(await c.call('ACLM.AUTHNAME', 'carol', 'CB'), c.id);
  assert.equal(String(await c.call('RESET')), 'RESET');
  assert.deepEqual(await engine.call('ACLM.CHANGED'), [c.id]);
  // deleting the user fires it too
  assert.equal(await c.call('ACLM.AUTHNAME', 'carol', 'CB'), c.id);
  assert.equal(await engine.call('ACL', 'DELUSER', 'carol'), 1);
  assert.deepEqual(await engine.call('ACLM.CHANGED'), [c.id]);
  // unknown and disabled ACL users
  await rejects(c.call('ACLM.AUTHNAME', 'nosuchuser'), 'ERR failed');
  assert.equal(String(await engine.call('ACL', 'SETUSER', 'dave', 'off')), 'OK');
  await rejects(c.call('ACLM.AUTHNAME', 'dave'), 'ERR failed');
  assert.equal(await engine.call('ACL', 'DELUSER', 'dave'), 1);
  // freeing the module user deauthenticates its clients
  assert.equal(await call('ACLM.SET', 6, '+set'), 'OK');
  assert.equal(await c.call('ACLM.AUTH', 6), c.id);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'modauth');
  assert.equal(await call('ACLM.FREE', 6), 'OK');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
});

test('DeauthenticateAndCloseClient: embedded client deauthenticated, connection closed', async () => {
  assert.equal(String(await engine.call('ACL', 'SETUSER', 'erin', 'on', 'nopass', '+@all', '~*')), 'OK');
  const c = engine.client();
  assert.equal(await c.call('ACLM.AUTHNAME', 'erin', 'CB'), c.id);
  assert.equal(await call('ACLM.DEAUTH', c.id), 'OK');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
  assert.deepEqual(await engine.call('ACLM.CHANGED'), [c.id]);
  await rejects(call('ACLM.DEAUTH', 999999), 'ERR failed');

  const port = await freePort();
  const server = new Server(engine, { port, bind: ['127.0.0.1'] });
  await server.listen();
  try {
    // a connection that authenticates through the module: closing it fires the callback
    const a = await RawClient.connect(port);
    a.send(resp('ACLM.AUTHNAME', 'erin', 'CB'));
    await a.until(() => a.data.includes('\r\n'));
    const aid = Number(a.data.toString('latin1').slice(1, -2));
    assert.ok(aid > 0);
    a.socket.destroy();
    await a.waitClosed();
    let fired: number[] = [];
    for (let i = 0; i < 100 && fired.length === 0; i++) {
      fired = (await engine.call('ACLM.CHANGED')) as number[];
      if (fired.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(fired, [aid]);
    // DeauthenticateAndCloseClient closes a connection (its own, after the reply)
    const b = await RawClient.connect(port);
    b.send(resp('CLIENT', 'ID'));
    await b.until(() => b.data.includes('\r\n'));
    const bid = Number(b.data.toString('latin1').slice(1, -2));
    b.data = Buffer.alloc(0);
    assert.equal(await call('ACLM.DEAUTH', bid), 'OK');
    await b.waitClosed();
    const d = await RawClient.connect(port);
    d.send(resp('CLIENT', 'ID'));
    await d.until(() => d.data.includes('\r\n'));
    const did = Number(d.data.toString('latin1').slice(1, -2));
    d.data = Buffer.alloc(0);
    d.send(resp('ACLM.DEAUTH', String(did)));
    await d.expect('+OK\r\n');
    await d.waitClosed();
  } finally {
    await server.close();
  }
  assert.equal(await engine.call('ACL', 'DELUSER', 'erin'), 1);
});

test('bad slots', async () => {
  await rejects(call('ACLM.GETSTR', 7), 'ERR EINVAL');
  await rejects(call('ACLM.FREE', 9), 'ERR EINVAL');
});
