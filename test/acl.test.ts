/**
 * ACL: users and their rules (ACL SETUSER/GETUSER/LIST/USERS/DELUSER), AUTH and HELLO AUTH
 * with requirepass, NOAUTH, permission checks by command, category, subcommand, first
 * argument, read/write key patterns, channels and selectors, the ACL log, DRYRUN, CAT,
 * GENPASS, LOAD/SAVE, module commands with their categories, and the differential check
 * against Debian's redis-server where Valkey 8.1 and Redis 7.0 agree (test/diff/exceptions.ts
 * lists where they do not).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Engine,
  ReplyError,
  ReplyMap,
  ReplySet,
  RespWriter,
  SimpleString,
  DoubleReply,
  type Client,
  type Reply,
} from '../src/index.js';
import {
  aclAuthHooks,
  aclLoadAtStartup,
  aclResetClient,
  aclSetUser,
  currentUser,
  setAclHooks,
} from '../src/server/acl.js';
import { configOf } from '../src/engine/config.js';
import { testModule } from './helpers.js';
import { DiffSession } from './diff/runner.js';

const OK = new SimpleString('OK');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function err(message: string): ReplyError {
  return new ReplyError(message);
}

/** The exact RESP bytes of a command's reply in the client's protocol. */
async function raw(client: Client, ...args: string[]): Promise<string> {
  const w = new RespWriter(client.proto);
  const done = client.engine.execute(client, args, w);
  if (done) await done;
  return w.take().toString('latin1');
}

/** The ACL LIST line of a user. */
async function listLine(engine: Engine, name: string): Promise<string | undefined> {
  const lines = (await engine.call('ACL', 'LIST')) as string[];
  return lines.find((l) => l.startsWith(`user ${name} `));
}

function fresh(): Engine {
  const e = new Engine();
  after(() => e.close());
  return e;
}

// ---------------------------------------------------------------------------------------------
// Users and rules
// ---------------------------------------------------------------------------------------------

test('the default user: on, nopass, every key, channel and command', async () => {
  const e = fresh();
  assert.deepEqual(await e.call('ACL', 'LIST'), ['user default on nopass sanitize-payload ~* &* +@all']);
  assert.deepEqual(await e.call('ACL', 'USERS'), ['default']);
  assert.equal(await e.call('ACL', 'WHOAMI'), 'default');
  assert.deepEqual(await e.call('ACL', 'GETUSER', 'default'), [
    'flags', ['on', 'nopass', 'sanitize-payload'],
    'passwords', [],
    'commands', '+@all',
    'keys', '~*',
    'channels', '&*',
    'selectors', [],
  ]);
  assert.equal(await e.call('ACL', 'GETUSER', 'nobody'), null);
});

test('ACL GETUSER reply bytes in RESP2 and RESP3', async () => {
  const e = fresh();
  assert.deepEqual(await e.call('ACL', 'SETUSER', 'u', 'on', '>p', '+get', '~k*', '&c', '(+set %W~w*)'), OK);
  const c2 = e.client();
  const h = sha('p');
  const sel = '$8\r\ncommands\r\n$10\r\n-@all +set\r\n$4\r\nkeys\r\n$5\r\n%W~w*\r\n$8\r\nchannels\r\n$0\r\n\r\n';
  const body =
    `$5\r\nflags\r\n*2\r\n$2\r\non\r\n$16\r\nsanitize-payload\r\n$9\r\npasswords\r\n*1\r\n$64\r\n${h}\r\n` +
    '$8\r\ncommands\r\n$10\r\n-@all +get\r\n$4\r\nkeys\r\n$3\r\n~k*\r\n$8\r\nchannels\r\n$2\r\n&c\r\n' +
    `$9\r\nselectors\r\n*1\r\n*6\r\n${sel}`;
  assert.equal(await raw(c2, 'ACL', 'GETUSER', 'u'), `*12\r\n${body}`);
  const c3 = e.client();
  c3.setProtocol(3);
  assert.equal(
    await raw(c3, 'ACL', 'GETUSER', 'u'),
    `%6\r\n${body.replace('*2\r\n$2\r\non', '~2\r\n$2\r\non').replace('*1\r\n*6\r\n', '*1\r\n%3\r\n')}`,
  );
  assert.equal(await raw(c3, 'ACL', 'GETUSER', 'nobody'), '_\r\n');
  assert.equal(await raw(c2, 'ACL', 'GETUSER', 'nobody'), '$-1\r\n');
  // The typed RESP3 reply: a map with a set of flags.
  await c3.call('SELECT', '0');
  const m = (await c3.call('ACL', 'GETUSER', 'u')) as ReplyMap;
  assert.ok(m instanceof ReplyMap);
  assert.deepEqual(m.get('flags'), new ReplySet(['on', 'sanitize-payload']));
  assert.equal(m.get('commands'), '-@all +get');
});

test('ACL SETUSER rules and ACL LIST canonical form', async () => {
  const e = fresh();
  const set = async (name: string, ...rules: string[]) => {
    assert.deepEqual(await e.call('ACL', 'SETUSER', name, ...rules), OK, `${name} ${rules.join(' ')}`);
    return listLine(e, name);
  };
  assert.equal(await set('a'), 'user a off sanitize-payload resetchannels -@all');
  assert.equal(await set('a', 'on'), 'user a on sanitize-payload resetchannels -@all');
  assert.equal(await set('a', 'off', 'skip-sanitize-payload'), 'user a off skip-sanitize-payload resetchannels -@all');
  assert.equal(await set('a', 'sanitize-payload'), 'user a off sanitize-payload resetchannels -@all');
  // Passwords: > adds (hashed, once), < removes, # and ! by hash, nopass and resetpass.
  assert.equal(await set('p', '>one', '>two', '>one'), `user p off sanitize-payload #${sha('one')} #${sha('two')} resetchannels -@all`);
  assert.equal(await set('p', '<one'), `user p off sanitize-payload #${sha('two')} resetchannels -@all`);
  assert.equal(await set('p', `#${sha('x')}`, `!${sha('two')}`), `user p off sanitize-payload #${sha('x')} resetchannels -@all`);
  assert.equal(await set('p', 'nopass'), 'user p off nopass sanitize-payload resetchannels -@all');
  assert.equal(await set('p', '>y'), `user p off sanitize-payload #${sha('y')} resetchannels -@all`);
  assert.equal(await set('p', 'nopass', 'resetpass'), 'user p off sanitize-payload resetchannels -@all');
  // Keys: ~, %R~, %W~, %RW~ (shown as ~), merging permissions of the same pattern, allkeys, resetkeys.
  assert.equal(await set('k', '~a*', '%R~r*', '%W~w*', '%RW~rw*', '%wr~x'), 'user k off sanitize-payload ~a* %R~r* %W~w* ~rw* ~x resetchannels -@all');
  assert.equal(await set('k2', '%R~z', '%W~z'), 'user k2 off sanitize-payload ~z resetchannels -@all');
  assert.equal(await set('k', 'allkeys'), 'user k off sanitize-payload ~* resetchannels -@all');
  assert.equal(await set('k', 'resetkeys', '~b'), 'user k off sanitize-payload ~b resetchannels -@all');
  assert.equal(await set('k', 'resetkeys'), 'user k off sanitize-payload resetchannels -@all');
  // Channels.
  assert.equal(await set('c', '&n.*', '&m', '&n.*'), 'user c off sanitize-payload resetchannels &n.* &m -@all');
  assert.equal(await set('c', 'allchannels'), 'user c off sanitize-payload &* -@all');
  assert.equal(await set('c', 'resetchannels'), 'user c off sanitize-payload resetchannels -@all');
  // Commands keep the order they were given in; a later rule about a command replaces the
  // earlier ones about it (and its subcommands).
  assert.equal(
    await set('r', '+GET', '+set', '-get', '+@HASH', '-hset', '+config|get', '+config', '-config|set'),
    'user r off sanitize-payload resetchannels -@all +set -get +@hash -hset +config -config|set',
  );
  assert.equal(await set('r', 'allcommands', '-@dangerous', '+flushdb'), 'user r off sanitize-payload resetchannels +@all -@dangerous +flushdb');
  assert.equal(await set('r', 'nocommands', '+select|0', '+SELECT|1'), 'user r off sanitize-payload resetchannels -@all +select|0 +select|1');
  assert.equal(await set('r', '+@all'), 'user r off sanitize-payload resetchannels +@all');
  assert.equal(await set('r', '-@all'), 'user r off sanitize-payload resetchannels -@all');
  // Selectors, in one argument or spread over several; clearselectors.
  assert.equal(
    await set('s', '+get', '~a', '(+set ~b &c)', '(+del', '%R~d)'),
    'user s off sanitize-payload ~a resetchannels -@all +get (~b resetchannels &c -@all +set) (%R~d resetchannels -@all +del)',
  );
  assert.equal(await set('s', 'clearselectors'), 'user s off sanitize-payload ~a resetchannels -@all +get');
  // reset: back to a new user's state.
  assert.equal(await set('s', 'on', 'allkeys', 'allchannels', '+@all', '>x', '(+get)', 'reset'), 'user s off sanitize-payload resetchannels -@all');
  // Empty rules do nothing; names are bytes (case-sensitive).
  assert.equal(await set('S', ''), 'user S off sanitize-payload resetchannels -@all');
  assert.deepEqual(await e.call('ACL', 'USERS'), ['S', 'a', 'c', 'default', 'k', 'k2', 'p', 'r', 's']);
});

test('acl-pubsub-default allchannels gives new users and selectors &*', async () => {
  const e = fresh();
  assert.deepEqual(await e.call('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'), OK);
  await e.call('ACL', 'SETUSER', 'x', '(+get)');
  assert.equal(await listLine(e, 'x'), 'user x off sanitize-payload &* -@all (&* -@all +get)');
  await e.call('ACL', 'SETUSER', 'x', 'reset');
  assert.equal(await listLine(e, 'x'), 'user x off sanitize-payload &* -@all');
});

test('ACL SETUSER errors leave the user as it was', async () => {
  const e = fresh();
  await e.call('ACL', 'SETUSER', 'u', 'on', '>pw', '~k');
  const before = await listLine(e, 'u');
  const cases: [string[], string][] = [
    [['heyy'], "ERR Error in ACL SETUSER modifier 'heyy': Syntax error"],
    [['+get', 'bogus'], "ERR Error in ACL SETUSER modifier 'bogus': Syntax error"],
    [['allkeys', '~x'], "ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns"],
    [['allchannels', '&x'], "ERR Error in ACL SETUSER modifier '&x': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"],
    [['<nope'], "ERR Error in ACL SETUSER modifier '<nope': The password you are trying to remove from the user does not exist"],
    [[`!${sha('nope')}`], `ERR Error in ACL SETUSER modifier '!${sha('nope')}': The password you are trying to remove from the user does not exist`],
    [['#abc'], "ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"],
    [[`#${sha('x').toUpperCase()}`], `ERR Error in ACL SETUSER modifier '#${sha('x').toUpperCase()}': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters`],
    [['+nosuch'], "ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"],
    [['-nosuch'], "ERR Error in ACL SETUSER modifier '-nosuch': Unknown command or category name in ACL"],
    [['+@nosuch'], "ERR Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL"],
    [['-select|0'], "ERR Error in ACL SETUSER modifier '-select|0': Unknown command or category name in ACL"],
    [['+config|nosuch'], "ERR Error in ACL SETUSER modifier '+config|nosuch': Unknown command or category name in ACL"],
    [['+config|get|x'], "ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported"],
    [['+config|'], "ERR Error in ACL SETUSER modifier '+config|': Syntax error"],
    [['%X~a'], "ERR Error in ACL SETUSER modifier '%X~a': Syntax error"],
    [['%~a'], "ERR Error in ACL SETUSER modifier '%~a': Syntax error"],
    [['%RR~a'], "ERR Error in ACL SETUSER modifier '%RR~a': Syntax error"],
    [['~a b'], "ERR Error in ACL SETUSER modifier '~a b': Syntax error"],
    [['(on)'], "ERR Error in ACL SETUSER modifier '(on)': Syntax error"],
    [['(+get', '~a'], "ERR Unmatched parenthesis in acl selector starting at '(+get'."],
    [['~ok', '(', '+get'], "ERR Unmatched parenthesis in acl selector starting at '('."],
  ];
  for (const [rules, expected] of cases) {
    assert.deepEqual(await e.call('ACL', 'SETUSER', 'u', ...rules), err(expected), rules.join(' '));
    assert.equal(await listLine(e, 'u'), before);
  }
  // A spread selector whose inner rule fails names the whole selector.
  assert.deepEqual(
    await e.call('ACL', 'SETUSER', 'u', '(+get', 'bad)'),
    err("ERR Error in ACL SETUSER modifier '(+get bad)': Syntax error"),
  );
  assert.deepEqual(await e.call('ACL', 'SETUSER', 'bad user'), err("ERR Usernames can't contain spaces or null characters"));
  assert.deepEqual(await e.call('ACL', 'SETUSER', 'new', 'bogus'), err("ERR Error in ACL SETUSER modifier 'bogus': Syntax error"));
  assert.deepEqual(await e.call('ACL', 'USERS'), ['default', 'u']);
  assert.deepEqual(await e.call('ACL', 'SETUSER'), err("ERR wrong number of arguments for 'acl|setuser' command"));
});

test('ACL DELUSER removes users, never default', async () => {
  const e = fresh();
  await e.call('ACL', 'SETUSER', 'a');
  await e.call('ACL', 'SETUSER', 'b');
  assert.deepEqual(await e.call('ACL', 'DELUSER', 'a', 'default'), err("ERR The 'default' user cannot be removed"));
  assert.deepEqual(await e.call('ACL', 'USERS'), ['a', 'b', 'default']);
  assert.equal(await e.call('ACL', 'DELUSER', 'a', 'nobody', 'b', 'a'), 2);
  assert.deepEqual(await e.call('ACL', 'USERS'), ['default']);
});

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

test('AUTH: default user without password, users, wrong pairs, disabled users', async () => {
  const e = fresh();
  const c = e.client();
  assert.deepEqual(
    await c.call('AUTH', 'x'),
    err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
  );
  assert.deepEqual(await c.call('AUTH', 'default', 'anything'), OK);
  assert.deepEqual(await c.call('AUTH', 'a', 'b', 'c'), err('ERR syntax error'));
  assert.deepEqual(await c.call('AUTH'), err("ERR wrong number of arguments for 'auth' command"));
  await e.call('ACL', 'SETUSER', 'u', '>pw', '+@all', '~*');
  const wrong = err('WRONGPASS invalid username-password pair or user is disabled.');
  assert.deepEqual(await c.call('AUTH', 'u', 'pw'), wrong, 'disabled user');
  await e.call('ACL', 'SETUSER', 'u', 'on');
  assert.deepEqual(await c.call('AUTH', 'u', 'nope'), wrong);
  assert.deepEqual(await c.call('AUTH', 'nobody', 'pw'), wrong);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
  assert.deepEqual(await c.call('AUTH', 'u', 'pw'), OK);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'u');
  assert.equal(currentUser(c), 'u');
  // Switching the user off keeps the connection authenticated.
  await e.call('ACL', 'SETUSER', 'u', 'off');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'u');
  assert.deepEqual(await c.call('AUTH', 'u', 'pw'), wrong);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'u');
  // nopass users take any password.
  await e.call('ACL', 'SETUSER', 'n', 'on', 'nopass', '+@all');
  assert.deepEqual(await c.call('AUTH', 'n', 'whatever'), OK);
  // A failed AUTH is logged: reason auth, object the command as sent, the user tried; the
  // three failures for u within a minute share one entry.
  const log = (await e.call('ACL', 'LOG')) as Reply[][];
  assert.deepEqual(log[0]!.slice(0, 10), ['count', 3, 'reason', 'auth', 'context', 'toplevel', 'object', 'AUTH', 'username', 'u']);
  assert.deepEqual(log[1]!.slice(0, 10), ['count', 1, 'reason', 'auth', 'context', 'toplevel', 'object', 'AUTH', 'username', 'nobody']);
});

test('requirepass via CONFIG SET: existing clients stay in, new ones need AUTH', async () => {
  const e = fresh();
  const admin = e.client();
  const early = e.client(); // created before the password: authenticated, as in Valkey
  assert.deepEqual(await admin.call('CONFIG', 'SET', 'requirepass', 's3cret'), OK);
  assert.equal(await admin.call('GET', 'k'), null);
  assert.equal(await early.call('GET', 'k'), null);
  const c = e.client();
  const noauth = err('NOAUTH Authentication required.');
  assert.deepEqual(await c.call('GET', 'k'), noauth);
  assert.deepEqual(await c.call('ACL', 'WHOAMI'), noauth);
  // Unknown commands and arity errors come first, as in Valkey.
  assert.deepEqual(await c.call('NOSUCH'), err("ERR unknown command 'NOSUCH', with args beginning with: "));
  assert.deepEqual(await c.call('GET'), err("ERR wrong number of arguments for 'get' command"));
  assert.deepEqual(await c.call('AUTH', 'wrong'), err('WRONGPASS invalid username-password pair or user is disabled.'));
  assert.deepEqual(await c.call('AUTH', 's3cret'), OK);
  assert.equal(await c.call('GET', 'k'), null);
  const d = e.client();
  assert.deepEqual(await d.call('AUTH', 'default', 's3cret'), OK);
  assert.equal(await d.call('ACL', 'WHOAMI'), 'default');
  assert.deepEqual(await e.call('ACL', 'GETUSER', 'default'), [
    'flags', ['on', 'sanitize-payload'],
    'passwords', [sha('s3cret')],
    'commands', '+@all',
    'keys', '~*',
    'channels', '&*',
    'selectors', [],
  ]);
  assert.deepEqual(await e.call('CONFIG', 'GET', 'requirepass'), ['requirepass', 's3cret']);
  // Setting the same value again changes nothing (a password added by ACL SETUSER stays).
  await admin.call('ACL', 'SETUSER', 'default', '>other');
  assert.deepEqual(await admin.call('CONFIG', 'SET', 'requirepass', 's3cret'), OK);
  assert.deepEqual(await e.client().call('AUTH', 'other'), OK);
  assert.deepEqual(await admin.call('CONFIG', 'SET', 'requirepass', 'n3w'), OK);
  assert.deepEqual(await e.client().call('AUTH', 'other'), err('WRONGPASS invalid username-password pair or user is disabled.'));
  assert.deepEqual(await e.client().call('AUTH', 'n3w'), OK);
  // The refused commands were counted as rejected calls and NOAUTH errors.
  const info = String(await e.call('INFO', 'errorstats'));
  assert.match(info, /errorstat_NOAUTH:count=2/);
  // RESET-style deauthentication: back to default, not authenticated.
  aclResetClient(c);
  assert.deepEqual(await c.call('GET', 'k'), noauth);
  // Back to no password: everyone is in again, and AUTH <pass> is refused.
  assert.deepEqual(await admin.call('CONFIG', 'SET', 'requirepass', ''), OK);
  const f = e.client();
  assert.equal(await f.call('GET', 'k'), null);
  assert.equal(await c.call('GET', 'k'), null);
  assert.deepEqual(await f.call('AUTH', 's3cret'), err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'));
  assert.equal(await listLine(e, 'default'), 'user default on nopass sanitize-payload ~* &* +@all');
});

test('requirepass already set when the first command runs (config file) applies', async () => {
  const e = fresh();
  assert.equal(configOf(e).load('requirepass', ['pw']), undefined);
  const c = e.client();
  assert.deepEqual(await c.call('PING'), err('NOAUTH Authentication required.'));
  assert.deepEqual(await c.call('AUTH', 'pw'), OK);
  assert.deepEqual(await c.call('PING'), new SimpleString('PONG'));
});

test('a default user switched off or given a password makes new clients authenticate', async () => {
  const e = fresh();
  const admin = e.client();
  await admin.call('ACL', 'SETUSER', 'admin', 'on', '>a', '+@all', '~*', '&*');
  await admin.call('AUTH', 'admin', 'a');
  await admin.call('ACL', 'SETUSER', 'default', 'off');
  const c = e.client();
  assert.deepEqual(await c.call('PING'), err('NOAUTH Authentication required.'));
  assert.deepEqual(await c.call('AUTH', 'default', 'x'), err('WRONGPASS invalid username-password pair or user is disabled.'));
  await admin.call('ACL', 'SETUSER', 'default', 'on');
  assert.deepEqual(await e.client().call('PING'), new SimpleString('PONG'));
  await admin.call('ACL', 'SETUSER', 'default', '>pw');
  assert.deepEqual(await e.client().call('PING'), err('NOAUTH Authentication required.'));
  const hooks = aclAuthHooks(e);
  assert.equal(hooks.defaultUserNoPass(), false);
  assert.equal(hooks.authRequired(e.client()), true);
  assert.equal(hooks.authRequired(admin), false);
  assert.equal(hooks.userName(admin), 'admin');
  assert.equal(hooks.userExists('admin'), true);
  assert.equal(hooks.userExists('nobody'), false);
});

test('HELLO AUTH authenticates; HELLO without it needs an authenticated client', async () => {
  const e = fresh();
  await e.call('ACL', 'SETUSER', 'u', 'on', '>pw', '+@all', '~*');
  await e.call('CONFIG', 'SET', 'requirepass', 'dpw');
  const c = e.client();
  assert.deepEqual(
    await c.call('HELLO', '3'),
    err(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    ),
  );
  assert.equal(c.proto, 2);
  assert.deepEqual(await c.call('HELLO', '3', 'AUTH', 'u', 'bad'), err('WRONGPASS invalid username-password pair or user is disabled.'));
  assert.deepEqual(await c.call('HELLO', '3', 'AUTH', 'u', 'pw', 'BOGUS'), err("ERR Syntax error in HELLO option 'BOGUS'"));
  assert.equal(currentUser(c), 'default', 'a syntax error authenticates nobody');
  const m = (await c.call('HELLO', '3', 'AUTH', 'u', 'pw', 'SETNAME', 'me')) as ReplyMap;
  assert.ok(m instanceof ReplyMap);
  assert.equal(m.get('proto'), 3);
  assert.equal(c.name, 'me');
  assert.equal(await c.call('ACL', 'WHOAMI'), 'u');
  // The failed HELLO AUTH was logged with HELLO as the object.
  const entry = ((await e.call('ACL', 'LOG', '1')) as Reply[][])[0]!;
  assert.deepEqual(entry.slice(0, 10), ['count', 1, 'reason', 'auth', 'context', 'toplevel', 'object', 'HELLO', 'username', 'u']);
  const d = e.client();
  assert.ok((await d.call('HELLO', '2', 'AUTH', 'default', 'dpw')) instanceof Array);
  assert.equal(await d.call('ACL', 'WHOAMI'), 'default');
});

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

/** An engine with user `name` (nopass, on) authenticated on a new client. */
async function as(e: Engine, name: string, ...rules: string[]): Promise<Client> {
  assert.deepEqual(await e.call('ACL', 'SETUSER', name, 'reset', 'on', 'nopass', ...rules), OK);
  const c = e.client();
  assert.deepEqual(await c.call('AUTH', name, 'x'), OK);
  return c;
}

test('commands, categories, subcommands and first arguments', async () => {
  const e = fresh();
  const c = await as(e, 'r', '~*', '+@read', '+config|get', '+select|0', '+acl');
  assert.equal(await c.call('GET', 'k'), null);
  assert.deepEqual(await c.call('SET', 'k', 'v'), err("NOPERM User r has no permissions to run the 'set' command"));
  assert.deepEqual(await c.call('CONFIG', 'GET', 'hz'), ['hz', '10']);
  assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '11'), err("NOPERM User r has no permissions to run the 'config|set' command"));
  assert.deepEqual(await c.call('SELECT', '0'), OK);
  assert.deepEqual(await c.call('SELECT', '1'), err("NOPERM User r has no permissions to run the 'select' command"));
  // +acl allows the container and all its subcommands.
  assert.equal(await c.call('ACL', 'WHOAMI'), 'r');
  // -cmd after +@category; a container's subcommand denied alone.
  await e.call('ACL', 'SETUSER', 'r', '-get', '+config', '-config|set');
  assert.deepEqual(await c.call('GET', 'k'), err("NOPERM User r has no permissions to run the 'get' command"));
  assert.deepEqual(await c.call('CONFIG', 'GET', 'hz'), ['hz', '10']);
  assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '11'), err("NOPERM User r has no permissions to run the 'config|set' command"));
  // -@category after +@all; no-auth commands (AUTH, HELLO) always run.
  await e.call('ACL', 'SETUSER', 'r', '+@all', '-@connection');
  assert.deepEqual(await c.call('PING'), err("NOPERM User r has no permissions to run the 'ping' command"));
  assert.deepEqual(await c.call('AUTH', 'r', 'x'), OK);
  assert.ok((await c.call('HELLO')) instanceof Array);
  assert.deepEqual(await c.call('SET', 'k', 'v'), OK);
  // The refusals count as rejected calls of the command.
  assert.match(String(await e.call('INFO', 'commandstats')), /cmdstat_ping:calls=0,.*rejected_calls=1,failed_calls=0/);
  assert.equal((e.stats as Record<string, number>).acl_access_denied_cmd, 6);
});

test('read and write key patterns follow the key specs', async () => {
  const e = fresh();
  const c = await as(e, 'k', '+@all', '%R~r:*', '%W~w:*', '~rw:*');
  const nokey = err('NOPERM No permissions to access a key');
  assert.equal(await c.call('GET', 'r:1'), null);
  assert.deepEqual(await c.call('SET', 'r:1', 'v'), nokey);
  assert.deepEqual(await c.call('SET', 'w:1', 'v'), OK); // OW|UPDATE: write only
  assert.deepEqual(await c.call('GET', 'w:1'), nokey);
  assert.deepEqual(await c.call('SET', 'w:1', 'v', 'GET'), nokey); // RW|ACCESS|UPDATE
  assert.equal(await c.call('SET', 'rw:1', 'v', 'GET'), null);
  assert.equal(await c.call('APPEND', 'rw:1', 'x'), 2); // RW|INSERT: write
  assert.equal(await c.call('APPEND', 'w:1', 'x'), 2);
  assert.deepEqual(await c.call('APPEND', 'r:1', 'x'), nokey);
  assert.deepEqual(await c.call('COPY', 'rw:1', 'w:2'), 1); // source read, destination written
  assert.deepEqual(await c.call('COPY', 'w:1', 'w:3'), nokey);
  assert.equal(await c.call('EXISTS', 'r:1', 'w:1'), 1); // EXISTS reads no value: any pattern will do
  assert.deepEqual(await c.call('EXISTS', 'zz'), nokey);
  assert.deepEqual(await c.call('MGET', 'r:1', 'rw:1', 'x'), nokey);
  assert.deepEqual(await c.call('BITFIELD', 'r:1', 'GET', 'u8', '0'), [0]); // read-only form
  assert.deepEqual(await c.call('BITFIELD', 'r:1', 'SET', 'u8', '0', '1'), nokey);
  assert.deepEqual(await c.call('SORT', 'r:1', 'STORE', 'x'), nokey);
  assert.deepEqual(await c.call('ZUNIONSTORE', 'w:z', '2', 'r:a', 'rw:b'), 0);
  assert.deepEqual(await c.call('ZUNIONSTORE', 'w:z', '2', 'r:a', 'zz'), nokey);
  // A command without key arguments is not checked against the patterns.
  assert.ok(Array.isArray(await c.call('KEYS', '*')));
  // The denial names the key in the ACL log (EXISTS zz and ZUNIONSTORE ... zz: one entry).
  const entry = ((await e.call('ACL', 'LOG', '1')) as Reply[][])[0]!;
  assert.deepEqual(entry.slice(0, 10), ['count', 2, 'reason', 'key', 'context', 'toplevel', 'object', 'zz', 'username', 'k']);
});

test('channel patterns: PUBLISH and SUBSCRIBE match, PSUBSCRIBE only literally', async () => {
  const e = fresh();
  const c = await as(e, 'p', '+@all', '&news.*', '&exact');
  const noch = err('NOPERM No permissions to access a channel');
  assert.equal(await c.call('PUBLISH', 'news.a', 'm'), 0);
  assert.deepEqual(await c.call('PUBLISH', 'other', 'm'), noch);
  assert.equal(await c.call('SPUBLISH', 'exact', 'm'), 0);
  assert.deepEqual(await c.call('SUBSCRIBE', 'news.a', 'other'), noch);
  assert.equal(c.channels.size, 0);
  assert.deepEqual(await c.call('PSUBSCRIBE', 'news.?'), noch);
  assert.deepEqual(await c.call('PSUBSCRIBE', 'news.*'), ['psubscribe', 'news.*', 1]);
  assert.deepEqual(await c.call('SUBSCRIBE', 'news.x'), ['subscribe', 'news.x', 2]);
  // Unsubscribing is never checked.
  assert.deepEqual(await c.call('UNSUBSCRIBE', 'zzz'), ['unsubscribe', 'zzz', 2]);
  const entry = ((await e.call('ACL', 'LOG', '1')) as Reply[][])[0]!;
  assert.deepEqual(entry.slice(0, 10), ['count', 1, 'reason', 'channel', 'context', 'toplevel', 'object', 'news.?', 'username', 'p']);
  assert.deepEqual(
    await e.call('ACL', 'DRYRUN', 'p', 'SUBSCRIBE', 'news.a', 'nope'),
    "User p has no permissions to access the 'nope' channel",
  );
});

test('selectors: any selector may allow a command; the denial reported is the most specific', async () => {
  const e = fresh();
  const c = await as(e, 's', '+get', '~a*', '(+set ~b*)', '(+set %R~c*)', '(+mset ~b* ~d*)');
  assert.equal(await c.call('GET', 'a1'), null);
  assert.deepEqual(await c.call('SET', 'b1', 'v'), OK);
  assert.deepEqual(await c.call('GET', 'b1'), err('NOPERM No permissions to access a key'));
  assert.deepEqual(await c.call('SET', 'a1', 'v'), err('NOPERM No permissions to access a key'));
  assert.deepEqual(await c.call('DEL', 'a1'), err("NOPERM User s has no permissions to run the 'del' command"));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 's', 'SET', 'c1', 'v'), "User s has no permissions to access the 'c1' key");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 's', 'MSET', 'b1', 'v', 'a2', 'v'), "User s has no permissions to access the 'a2' key");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 's', 'MSET', 'd1', 'v', 'b2', 'v'), OK);
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 's', 'MGET', 'a1'), "User s has no permissions to run the 'mget' command");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 's', 'SET', 'b9', 'v'), OK);
});

test('a deleted user disconnects its clients; revoked channels drop subscribers', async () => {
  const e = fresh();
  const killed: Client[] = [];
  const c = await as(e, 'gone', '+@all', '~*', '&*');
  const d = await as(e, 'sub', '+@all', '~*', '&a', '&b');
  assert.deepEqual(await d.call('SUBSCRIBE', 'a'), ['subscribe', 'a', 1]);
  // Without hooks: the client goes back to the default user and loses its subscriptions.
  assert.equal(await e.call('ACL', 'DELUSER', 'gone'), 1);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
  await e.call('ACL', 'SETUSER', 'sub', '&c'); // a superset: nothing happens
  assert.equal(d.channels.size, 1);
  await e.call('ACL', 'SETUSER', 'sub', 'resetchannels', '&b');
  assert.equal(d.channels.size, 0);
  // With a kill hook, the server closes them.
  setAclHooks(e, { kill: (x) => killed.push(x) });
  const g = await as(e, 'g2', '+@all');
  assert.deepEqual(await g.call('ACL', 'DELUSER', 'g2'), 1); // its own user: killed after its reply
  assert.deepEqual(killed, [g]);
  await e.call('CONFIG', 'SET', 'requirepass', 'x');
  assert.deepEqual(await g.call('PING'), err('NOAUTH Authentication required.'));
});

test('module commands: their categories, keys and channels', async () => {
  const e = fresh();
  // A user made before the module is loaded gets its commands by category.
  await e.call('ACL', 'SETUSER', 'w', 'on', 'nopass', '+@write', '~*');
  await e.call('ACL', 'SETUSER', 'nw', 'on', 'nopass', '+@all', '-@write', '~*', '&*');
  e.loadModule(testModule('commands'));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'w', 'cmds.acl'), OK);
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'w', 'cmds.container', 'sub2', 'k'), OK);
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'w', 'cmds.acl2'), "User w has no permissions to run the 'cmds.acl2' command");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'nw', 'cmds.acl'), "User nw has no permissions to run the 'cmds.acl' command");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'nw', 'cmds.acl2'), OK);
  // A category a module added.
  const cats = (await e.call('ACL', 'CAT')) as string[];
  assert.equal(cats.length, 22);
  assert.equal(cats[21], 'cmds-cat_1');
  assert.deepEqual(await e.call('ACL', 'CAT', 'CMDS-CAT_1'), ['cmds.acl2']);
  assert.ok(((await e.call('ACL', 'CAT', 'write')) as string[]).includes('cmds.acl'));
  // A module subcommand's full name keeps the case it was registered with.
  assert.ok(((await e.call('ACL', 'CAT', 'write')) as string[]).includes('cmds.container|SUB2'));
  assert.deepEqual(await e.call('ACL', 'SETUSER', 'm', 'on', 'nopass', '+@cmds-cat_1', '+cmds.name'), OK);
  assert.equal(await listLine(e, 'm'), 'user m on nopass sanitize-payload resetchannels -@all +@cmds-cat_1 +cmds.name');
  const m = e.client();
  await m.call('AUTH', 'm', 'x');
  assert.equal(await m.call('cmds.acl2'), 'cmds.acl2');
  assert.deepEqual(await m.call('cmds.acl'), err("NOPERM User m has no permissions to run the 'cmds.acl' command"));
  // Keys from a module's key positions (getkeys-api) and channels (getchannels-api).
  await e.call('ACL', 'SETUSER', 'mk', 'on', 'nopass', '+@all', '%R~r*', '~k*', '&c*');
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'mk', 'cmds.getkeys', 'RO', 'r1'), OK);
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'mk', 'cmds.getkeys', 'k1', 'RO', 'x'), "User mk has no permissions to access the 'x' key");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'mk', 'cmds.legacy', 'k1', 'v', 'r1', 'v'), "User mk has no permissions to access the 'r1' key");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'mk', 'cmds.channels', 'pub', 'c1', 'sub', 'c2'), OK);
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'mk', 'cmds.channels', 'pub', 'c1', 'psub', 'c*x'), "User mk has no permissions to access the 'c*x' channel");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'mk', 'cmds.channels', 'unsub', 'zz'), OK);
  // helloworld's commands carry no category: only +@all or the command itself allow them.
  e.loadModule(testModule('helloworld'));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'nw', 'HELLOWORLD.ECHO', 'x'), OK);
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'w', 'helloworld.echo', 'x'), "User w has no permissions to run the 'helloworld.echo' command");
  await e.call('ACL', 'SETUSER', 'w', '+HELLOWORLD.echo');
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'w', 'helloworld.echo', 'x'), OK);
  assert.equal(await listLine(e, 'w'), 'user w on nopass sanitize-payload ~* resetchannels -@all +@write +helloworld.echo');
});

// ---------------------------------------------------------------------------------------------
// ACL LOG, DRYRUN, CAT, GENPASS, LOAD/SAVE
// ---------------------------------------------------------------------------------------------

test('ACL LOG: entries, grouping, count, RESET, acllog-max-len', async () => {
  const e = fresh();
  const c = await as(e, 'lg', '+get', '~a*');
  const t0 = Date.now();
  for (let i = 0; i < 3; i++) await c.call('SET', 'a', 'v');
  await c.call('GET', 'b');
  await c.call('AUTH', 'lg2', 'x');
  const log = (await e.call('ACL', 'LOG')) as Reply[][];
  assert.equal(log.length, 3);
  const [auth, key, cmd] = log;
  assert.deepEqual(cmd!.slice(0, 10), ['count', 3, 'reason', 'command', 'context', 'toplevel', 'object', 'set', 'username', 'lg']);
  assert.deepEqual(key!.slice(0, 10), ['count', 1, 'reason', 'key', 'context', 'toplevel', 'object', 'b', 'username', 'lg']);
  assert.deepEqual(auth!.slice(0, 10), ['count', 1, 'reason', 'auth', 'context', 'toplevel', 'object', 'AUTH', 'username', 'lg2']);
  assert.deepEqual(
    cmd!.filter((_, i) => i % 2 === 0),
    ['count', 'reason', 'context', 'object', 'username', 'age-seconds', 'client-info', 'entry-id', 'timestamp-created', 'timestamp-last-updated'],
  );
  // client-info is the client's CLIENT LIST line, with the command it ran and its user.
  assert.match(cmd![13] as string, new RegExp(`^id=${c.id} addr=\\S* laddr=\\S* fd=-1 name= .* cmd=set user=lg redir=-1 resp=2 `));
  assert.deepEqual([cmd![15], key![15], auth![15]], [0, 1, 2]);
  assert.ok((cmd![17] as number) >= t0 && (cmd![19] as number) >= (cmd![17] as number));
  assert.ok(Number(cmd![11]) >= 0 && Number(cmd![11]) < 5);
  assert.equal((await e.call('ACL', 'LOG', '1') as Reply[]).length, 1);
  assert.deepEqual(await e.call('ACL', 'LOG', '0'), []);
  assert.deepEqual(await e.call('ACL', 'LOG', '-5'), []);
  assert.deepEqual(await e.call('ACL', 'LOG', 'x'), err('ERR value is not an integer or out of range'));
  assert.deepEqual(await e.call('ACL', 'LOG', '1', '2'), err("ERR unknown subcommand or wrong number of arguments for 'LOG'. Try ACL HELP."));
  // RESP3: maps, age-seconds a double.
  const c3 = e.client();
  c3.setProtocol(3);
  const l3 = (await c3.call('ACL', 'LOG', '1')) as ReplyMap[];
  assert.ok(l3[0] instanceof ReplyMap);
  assert.ok(l3[0]!.get('age-seconds') instanceof DoubleReply);
  assert.deepEqual(await e.call('ACL', 'LOG', 'RESET'), OK);
  assert.deepEqual(await e.call('ACL', 'LOG'), []);
  // New entries keep counting ids; acllog-max-len bounds the log (0: nothing kept).
  await c.call('SET', 'a', 'v');
  assert.equal(((await e.call('ACL', 'LOG')) as Reply[][])[0]![15], 3);
  await e.call('CONFIG', 'SET', 'acllog-max-len', '0');
  await c.call('SET', 'a', 'v');
  assert.deepEqual(await e.call('ACL', 'LOG'), []);
  assert.equal((e.stats as Record<string, number>).acl_access_denied_cmd, 5);
  assert.equal((e.stats as Record<string, number>).acl_access_denied_key, 1);
  assert.equal((e.stats as Record<string, number>).acl_access_denied_auth, 1);
  // A client-info hook supplies CLIENT LIST's line.
  await e.call('CONFIG', 'SET', 'acllog-max-len', '128');
  setAclHooks(e, { clientInfo: (cl, command) => `id=${cl.id} cmd=${command}` });
  await c.call('DEL', 'a');
  assert.equal(((await e.call('ACL', 'LOG', '1')) as Reply[][])[0]![13], `id=${c.id} cmd=del`);
});

test('ACL DRYRUN', async () => {
  const e = fresh();
  await e.call('ACL', 'SETUSER', 'VIRGINIA', '+SET', '~*');
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'SET', 'foo', 'bar'), OK);
  assert.equal(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'GET', 'foo'), "User VIRGINIA has no permissions to run the 'get' command");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'nobody', 'GET', 'foo'), err("ERR User 'nobody' not found"));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'nosuch'), err("ERR Command 'nosuch' not found"));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'config', 'nosuch'), err("ERR Command 'config' not found"));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'GET'), err("ERR wrong number of arguments for 'get' command"));
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'config'), err("ERR wrong number of arguments for 'config' command"));
  assert.equal(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'config', 'get', 'x'), "User VIRGINIA has no permissions to run the 'config|get' command");
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA', 'AUTH', 'x'), OK); // no-auth commands
  assert.deepEqual(await e.call('ACL', 'DRYRUN', 'VIRGINIA'), err("ERR wrong number of arguments for 'acl|dryrun' command"));
  // A dry run logs nothing.
  assert.deepEqual(await e.call('ACL', 'LOG'), []);
});

test('ACL CAT: the categories and the commands in one', async () => {
  const e = fresh();
  assert.deepEqual(await e.call('ACL', 'CAT'), [
    'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
    'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
  ]);
  assert.deepEqual(((await e.call('ACL', 'CAT', 'HyperLogLog')) as string[]).sort(), ['pfadd', 'pfcount', 'pfdebug', 'pfmerge', 'pfselftest']);
  const dangerous = (await e.call('ACL', 'CAT', 'dangerous')) as string[];
  assert.ok(dangerous.includes('flushall') && dangerous.includes('config|set') && dangerous.includes('acl|setuser'));
  assert.ok(!dangerous.includes('get'));
  assert.ok(((await e.call('ACL', 'CAT', 'slow')) as string[]).includes('config'), 'containers are @slow');
  assert.deepEqual(await e.call('ACL', 'CAT', 'nosuch'), err("ERR Unknown category 'nosuch'"));
  assert.deepEqual(await e.call('ACL', 'CAT', 'a', 'b'), err("ERR unknown subcommand or wrong number of arguments for 'CAT'. Try ACL HELP."));
});

test('ACL GENPASS, WHOAMI, HELP, LOAD/SAVE without an aclfile', async () => {
  const e = fresh();
  const p = (await e.call('ACL', 'GENPASS')) as string;
  assert.match(p, /^[0-9a-f]{64}$/);
  assert.notEqual(await e.call('ACL', 'GENPASS'), p);
  assert.match((await e.call('ACL', 'GENPASS', '1')) as string, /^[0-9a-f]$/);
  assert.match((await e.call('ACL', 'GENPASS', '5')) as string, /^[0-9a-f]{2}$/);
  assert.match((await e.call('ACL', 'GENPASS', '4096')) as string, /^[0-9a-f]{1024}$/);
  const bad = err('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
  assert.deepEqual(await e.call('ACL', 'GENPASS', '0'), bad);
  assert.deepEqual(await e.call('ACL', 'GENPASS', '4097'), bad);
  assert.deepEqual(await e.call('ACL', 'GENPASS', 'x'), err('ERR value is not an integer or out of range'));
  const help = (await e.call('ACL', 'HELP')) as SimpleString[];
  assert.equal(help.length, 29);
  assert.equal(String(help[0]), 'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  assert.equal(String(help[28]), '    Print this help.');
  const noFile = err(
    'ERR This instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a configuration file set) in order to store users in the configuration.',
  );
  assert.deepEqual(await e.call('ACL', 'LOAD'), noFile);
  assert.deepEqual(await e.call('ACL', 'SAVE'), noFile);
  assert.deepEqual(await e.call('ACL', 'NOSUCH'), err("ERR unknown subcommand 'NOSUCH'. Try ACL HELP."));
});

test('ACL SAVE and ACL LOAD with an aclfile', async () => {
  const e = fresh();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-acl-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'users.acl');
  assert.equal(configOf(e).load('aclfile', [file]), undefined);
  assert.deepEqual(await e.call('ACL', 'LOAD'), err(`ERR Error loading ACLs, opening file '${file}': No such file or directory`));
  await e.call('ACL', 'SETUSER', 'u', 'on', '>pw', '~k*', '+get', '(+set ~w)');
  assert.deepEqual(await e.call('ACL', 'SAVE'), OK);
  assert.equal(
    fs.readFileSync(file, 'latin1'),
    `user default on nopass sanitize-payload ~* &* +@all\nuser u on sanitize-payload #${sha('pw')} ~k* resetchannels -@all +get (~w resetchannels -@all +set)\n`,
  );
  const c = e.client();
  assert.deepEqual(await c.call('AUTH', 'u', 'pw'), OK);
  // Reloading replaces every user; clients of the old users are disconnected.
  fs.writeFileSync(file, 'user default on nopass ~* &* +@all\n\nuser v on nopass +@read ~*\n');
  assert.deepEqual(await e.call('ACL', 'LOAD'), OK);
  assert.deepEqual(await e.call('ACL', 'USERS'), ['default', 'v']);
  assert.equal(await c.call('ACL', 'WHOAMI'), 'default');
  // Any error: nothing changes.
  fs.writeFileSync(file, 'user w on +nosuch\nuser x bogus\nbad line\nuser v on\nuser v off\n');
  assert.deepEqual(
    await e.call('ACL', 'LOAD'),
    err(
      `ERR ${file}:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. ` +
        `${file}:2: Syntax error. ${file}:3 should start with user keyword followed by the username. ` +
        "WARNING: Duplicate user 'v' found on line 5. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    ),
  );
  assert.deepEqual(await e.call('ACL', 'USERS'), ['default', 'v']);
  // A file without the default user gets the standard one.
  fs.writeFileSync(file, 'user z on nopass\n');
  assert.deepEqual(await e.call('ACL', 'LOAD'), OK);
  assert.equal(await listLine(e, 'default'), 'user default on nopass sanitize-payload ~* &* +@all');
  assert.equal(aclLoadAtStartup(e), undefined);
  assert.equal(aclSetUser(e, 'cfg', ['on', '+get']), undefined);
  assert.equal(aclSetUser(e, 'cfgoff', ['+get']), undefined);
  assert.equal(
    e.logger.lines().at(-1),
    "The user 'cfgoff' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.",
  );
  assert.equal(aclSetUser(e, 'bad name', []), "Usernames can't contain spaces or null characters");
  assert.equal(aclSetUser(e, 'cfg', ['+nosuch']), "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
});

test('MULTI: a refused command aborts the transaction; EXEC checks again', async () => {
  const e = fresh();
  const c = await as(e, 'tx', '+@all', '-del', '~*');
  assert.deepEqual(await c.call('MULTI'), OK);
  assert.deepEqual(await c.call('DEL', 'k'), err("NOPERM User tx has no permissions to run the 'del' command"));
  assert.deepEqual(await c.call('EXEC'), err('EXECABORT Transaction discarded because of previous errors.'));
  let entry = ((await e.call('ACL', 'LOG', '1')) as Reply[][])[0]!;
  assert.deepEqual(entry.slice(0, 8), ['count', 1, 'reason', 'command', 'context', 'multi', 'object', 'del']);
  // Rules changed between queueing and EXEC.
  assert.deepEqual(await c.call('MULTI'), OK);
  assert.equal(String(await c.call('SET', 'k', 'v')), 'QUEUED');
  assert.equal(String(await c.call('GET', 'k')), 'QUEUED');
  await e.call('ACL', 'SETUSER', 'tx', '-set');
  const res = (await c.call('EXEC')) as Reply[];
  assert.deepEqual(res, [
    err(
      'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand',
    ),
    null,
  ]);
  entry = ((await e.call('ACL', 'LOG', '1')) as Reply[][])[0]!;
  assert.deepEqual(entry.slice(0, 8), ['count', 1, 'reason', 'command', 'context', 'multi', 'object', 'set']);
  // EXEC itself refused.
  await e.call('ACL', 'SETUSER', 'tx', '-exec');
  assert.deepEqual(await c.call('MULTI'), OK);
  assert.deepEqual(await c.call('EXEC'), err("EXECABORT Transaction discarded because of: NOPERM User tx has no permissions to run the 'exec' command"));
});

// ---------------------------------------------------------------------------------------------
// Against redis-server
// ---------------------------------------------------------------------------------------------

const skip = DiffSession.available() ? false : 'redis-server is not installed';

test('ACL replies match redis-server (Valkey differences per test/diff/exceptions.ts)', { skip }, async () => {
  const d = await DiffSession.start();
  after(() => d.stop());
  const h = sha('pw');
  await d.check([
    ['ACL', 'SETUSER', 'da'],
    ['ACL', 'GETUSER', 'da'],
    ['ACL', 'SETUSER', 'da', 'on', 'nopass', '+@all', '-@dangerous', '~x*', '%R~r*', '%W~w*', '%RW~rw*', '&ch*', '(+get ~g*)', '(+set', '%R~s)'],
    ['ACL', 'GETUSER', 'da'],
    ['ACL', 'LIST'],
    ['ACL', 'SETUSER', 'db', 'on', '>pw', '>pw2', '<pw2', `#${h}`, 'skip-sanitize-payload', '-@all', '+@hash', '+get', '~k'],
    ['ACL', 'GETUSER', 'db'],
    ['ACL', 'LIST'],
    ['ACL', 'USERS'],
    ['ACL', 'SETUSER', 'db', 'reset'],
    ['ACL', 'GETUSER', 'db'],
    ['ACL', 'SETUSER', 'db', 'nocommands', '+@read', 'allkeys', 'allchannels'],
    ['ACL', 'GETUSER', 'db'],
    ['ACL', 'DRYRUN', 'da', 'get', 'x1'],
    ['ACL', 'DRYRUN', 'da', 'get', 'zz'],
    ['ACL', 'DRYRUN', 'da', 'get', 'g1'],
    ['ACL', 'DRYRUN', 'da', 'set', 'w1', 'v'],
    ['ACL', 'DRYRUN', 'da', 'set', 'r1', 'v'],
    ['ACL', 'DRYRUN', 'da', 'get', 'w1'],
    ['ACL', 'DRYRUN', 'da', 'set', 's', 'v'],
    ['ACL', 'DRYRUN', 'da', 'flushall'],
    ['ACL', 'DRYRUN', 'da', 'publish', 'chan', 'm'],
    ['ACL', 'DRYRUN', 'da', 'publish', 'zz', 'm'],
    ['ACL', 'DRYRUN', 'da', 'psubscribe', 'ch*'],
    ['ACL', 'DRYRUN', 'da', 'psubscribe', 'ch?'],
    ['ACL', 'DRYRUN', 'da', 'config', 'get', 'hz'],
    ['ACL', 'DRYRUN', 'db', 'hget', 'k', 'f'],
    ['ACL', 'DRYRUN', 'db', 'set', 'k', 'v'],
    ['ACL', 'DELUSER', 'da', 'db', 'nobody'],
  ]);
  await d.check([
    ['ACL', 'SETUSER', 'de', 'heyy'],
    ['ACL', 'SETUSER', 'de', 'allkeys', '~x'],
    ['ACL', 'SETUSER', 'de', 'allchannels', '&x'],
    ['ACL', 'SETUSER', 'de', '<nope'],
    ['ACL', 'SETUSER', 'de', '#abc'],
    ['ACL', 'SETUSER', 'de', '+nosuch'],
    ['ACL', 'SETUSER', 'de', '+@nosuch'],
    ['ACL', 'SETUSER', 'de', '+config|get|x'],
    ['ACL', 'SETUSER', 'de', '+config|'],
    ['ACL', 'SETUSER', 'de', '+config|nosuch'],
    ['ACL', 'SETUSER', 'de', '-select|0'],
    ['ACL', 'SETUSER', 'de', '%X~a'],
    ['ACL', 'SETUSER', 'de', '~a b'],
    ['ACL', 'SETUSER', 'de', '(on)'],
    ['ACL', 'SETUSER', 'de', '(+get', '~a'],
    ['ACL', 'SETUSER', 'bad user'],
    ['ACL', 'USERS'],
    ['ACL', 'DELUSER', 'default'],
    ['ACL', 'DRYRUN', 'nobody', 'get', 'k'],
    ['ACL', 'DRYRUN', 'default', 'nosuch'],
    ['ACL', 'DRYRUN', 'default', 'get'],
    ['ACL', 'DRYRUN', 'default', 'get', 'k'],
    ['ACL', 'CAT', 'nosuch'],
    ['ACL', 'CAT', 'a', 'b'],
    ['ACL', 'GENPASS', '0'],
    ['ACL', 'GENPASS', '4097'],
    ['ACL', 'GENPASS', 'x'],
    ['ACL', 'LOG', 'x'],
    ['ACL', 'LOG', '1', '2'],
    ['ACL', 'LOAD'],
    ['ACL', 'SAVE'],
    ['ACL', 'HELP'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'NOSUCH'],
    ['ACL'],
    ['AUTH', 'x'],
    ['AUTH', 'a', 'b', 'c'],
    ['AUTH', 'nobody', 'x'],
    ['AUTH', 'default', 'x'],
    ['HELLO', '3', 'AUTH', 'nobody', 'x'],
  ]);
  // Running as a restricted user, then back to default.
  await d.check([
    ['ACL', 'SETUSER', 'dg', 'on', '>pw', '-@all', '+get', '+set', '+acl|whoami', '~k*', '&c*', '+publish'],
    ['AUTH', 'dg', 'bad'],
    ['AUTH', 'dg', 'pw'],
    ['ACL', 'WHOAMI'],
    ['GET', 'k1'],
    ['SET', 'k1', 'v'],
    ['GET', 'zz'],
    ['PUBLISH', 'c1', 'm'],
    ['PUBLISH', 'zz', 'm'],
    ['DEL', 'k1'],
    ['AUTH', 'default', 'x'],
    ['ACL', 'DELUSER', 'dg'],
  ]);
  await d.check([['ACL', 'CAT']]);
  for (const cat of ['set', 'hash', 'string', 'bitmap', 'hyperloglog', 'stream', 'pubsub', 'transaction']) {
    await d.check([['ACL', 'CAT', cat]], { unordered: ['ACL'] });
  }
});
