/** ValkeyModule_Call: formats, modifiers, errno values, the CallReply accessors,
 *  ReplyWithCallReply and module commands calling module commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, SimpleString, type Reply } from '../src/index.js';
import { testModule } from './helpers.js';

function setup() {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('call'));
  return engine;
}

/** The message of an error reply (fails when the reply is not an error). */
function err(r: Reply): string {
  assert.ok(r instanceof ReplyError, `expected an error reply, got ${JSON.stringify(r)}`);
  return r.message;
}

function simple(r: Reply): string {
  assert.ok(r instanceof SimpleString, `expected a simple string, got ${JSON.stringify(r)}`);
  return r.value;
}

/** A field of INFO's text. */
async function info(engine: Engine, section: string, field: string): Promise<string | undefined> {
  const text = String(await engine.call('INFO', section));
  for (const line of text.split('\r\n')) if (line.startsWith(`${field}:`)) return line.slice(field.length + 1);
  return undefined;
}

test('formats c, s, b, l and v build a binary-safe command line', async () => {
  const engine = setup();
  assert.deepEqual(await engine.call('CALL.FORMATS', 'L'), ['cstr', 'str\0ing', 'buf\0fer', '-1234567890123', 'v1', 'v2']);
  assert.deepEqual(await engine.call('LRANGE', 'L', '0', '-1'), ['cstr', 'str\0ing', 'buf\0fer', '-1234567890123', 'v1', 'v2']);
  // Long command lines (past the inline argument slots and the short-list crossing).
  for (const n of [7, 8, 9, 16, 17, 300]) {
    const items = Array.from({ length: n }, (_, i) => `item-${i}`);
    assert.equal(await engine.call('CALL.FWD', '-', 'RPUSH', `long${n}`, ...items), n);
    assert.deepEqual(await engine.call('LRANGE', `long${n}`, '0', '-1'), items);
  }
});

test('an unknown format character: NULL with EBADF, before any other check', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('CALL.BADFMT', '-')), 'EBADF');
  assert.equal(simple(await engine.call('CALL.BADFMT', 'E')), 'EBADF'); // no error reply either
  assert.equal(simple(await engine.call('CALL.BADFMT', 'C')), 'EBADF'); // the client has a user
});

test('unknown command and unknown subcommand: ENOENT, with E the error reply', async () => {
  const engine = setup();
  assert.equal(err(await engine.call('CALL.FWD', '-', 'nosuch', 'a')), 'NULL ENOENT');
  assert.equal(
    err(await engine.call('CALL.FWD', 'E', 'nosuch', 'a', 'b')),
    "ERR unknown command 'nosuch', with args beginning with: 'a' 'b' ",
  );
  assert.equal(simple(await engine.call('CALL.ERRNO', 'E', 'nosuch')), 'OK 1 ENOENT'); // error reply AND errno
  assert.equal(err(await engine.call('CALL.FWD', 'E', 'config', 'nosuch')), "ERR unknown subcommand 'nosuch'. Try CONFIG HELP.");
  assert.equal(simple(await engine.call('CALL.ERRNO', '-', 'config', 'nosuch')), 'ENOENT');
});

test('wrong arity: EINVAL, with E the error reply', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('CALL.ERRNO', '-', 'GET')), 'EINVAL');
  assert.equal(err(await engine.call('CALL.FWD', 'E', 'GET')), "ERR wrong number of arguments for 'get' command");
  assert.equal(err(await engine.call('CALL.FWD', 'E', 'SET', 'k')), "ERR wrong number of arguments for 'set' command");
  assert.equal(err(await engine.call('CALL.FWD', 'E', 'CONFIG')), "ERR wrong number of arguments for 'config' command");
});

test('S (script mode): deny-script commands refused with ESPIPE; writes need good replicas', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('CALL.ERRNO', 'S', 'SHUTDOWN')), 'ESPIPE');
  assert.equal(err(await engine.call('CALL.FWD', 'ES', 'SHUTDOWN')), "ERR command 'shutdown' is not allowed on script mode");
  assert.equal(err(await engine.call('CALL.FWD', 'ES', 'call.ping')), "ERR command 'call.ping' is not allowed on script mode");
  assert.equal(simple(await engine.call('CALL.FWD', '-', 'call.ping')), 'PONG');
  assert.equal(simple(await engine.call('CALL.FWD', 'S', 'SET', 'k', 'v')), 'OK');
  await engine.call('CONFIG', 'SET', 'min-replicas-to-write', '1');
  assert.equal(simple(await engine.call('CALL.ERRNO', 'S', 'SET', 'k', 'v')), 'ESPIPE');
  assert.equal(err(await engine.call('CALL.FWD', 'ES', 'SET', 'k', 'v')), 'NOREPLICAS Not enough good replicas to write.');
  assert.equal(await engine.call('CALL.FWD', 'S', 'GET', 'k'), 'v'); // reads are fine
  assert.equal(simple(await engine.call('CALL.FWD', '-', 'SET', 'k', 'w')), 'OK'); // only script mode checks
});

test('W (no writes): write commands refused with ENOSPC', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('CALL.ERRNO', 'W', 'SET', 'k', 'v')), 'ENOSPC');
  assert.equal(
    err(await engine.call('CALL.FWD', 'EW', 'SET', 'k', 'v')),
    "ERR Write command 'set' was called while write is not allowed.",
  );
  assert.equal(err(await engine.call('CALL.FWD', 'EW', 'call.fwd', '-', 'PING')), "ERR Write command 'call.fwd' was called while write is not allowed.");
  assert.equal(await engine.call('CALL.FWD', 'W', 'GET', 'k'), null);
  assert.equal(await engine.call('EXISTS', 'k'), 0);
});

test('M (respect deny-oom): refused with ENOSPC over maxmemory; ignored otherwise', async () => {
  const engine = setup();
  await engine.call('CONFIG', 'SET', 'maxmemory', '1');
  assert.equal(simple(await engine.call('CALL.ERRNO', 'M', 'SET', 'k', 'v')), 'ENOSPC');
  assert.equal(err(await engine.call('CALL.FWD', 'EM', 'SET', 'k', 'v')), "OOM command not allowed when used memory > 'maxmemory'.");
  assert.equal(await engine.call('CALL.FWD', 'M', 'GET', 'k'), null); // not deny-oom
  assert.equal(simple(await engine.call('CALL.FWD', '-', 'SET', 'k', 'v')), 'OK'); // without M: runs
  await engine.call('CONFIG', 'SET', 'maxmemory', '0');
  assert.equal(simple(await engine.call('CALL.FWD', 'M', 'SET', 'k', 'w')), 'OK');
});

test('E: the command\'s own errors are replies with or without E; refusals need E', async () => {
  const engine = setup();
  await engine.call('SET', 's', 'abc');
  assert.equal(simple(await engine.call('CALL.ERRNO', '-', 'INCR', 's')), 'OK 1 0');
  assert.equal(err(await engine.call('CALL.FWD', '-', 'INCR', 's')), 'ERR value is not an integer or out of range');
  assert.equal(err(await engine.call('CALL.FWD', '-', 'LPUSH', 's', 'x')), 'WRONGTYPE Operation against a key holding the wrong kind of value');
});

test('D (dry run): NULL when every check passes, the error reply otherwise; nothing runs', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('CALL.ERRNO', 'D', 'SET', 'k', 'v')), '0');
  assert.equal(await engine.call('EXISTS', 'k'), 0);
  assert.equal(err(await engine.call('CALL.FWD', 'D', 'SET', 'k')), "ERR wrong number of arguments for 'set' command");
  assert.equal(err(await engine.call('CALL.FWD', 'DW', 'SET', 'k', 'v')), "ERR Write command 'set' was called while write is not allowed.");
  assert.equal(simple(await engine.call('CALL.ERRNO', 'D', 'nosuch')), 'OK 1 ENOENT');
});

test('DENY_BLOCKING: the called command runs denied blocking unless K', async () => {
  const engine = setup();
  assert.equal(await engine.call('CALL.FLAGS'), 0);
  assert.equal(await engine.call('CALL.FWD', '-', 'call.flags'), 1 << 21);
  assert.equal(await engine.call('CALL.FWD', 'K', 'call.flags'), 0);
  assert.equal(await engine.call('CALL.FLAGS'), 0); // the caller is untouched
});

test('C: ACL check as the context user (EACCES, NOPERM texts, ACL LOG); ENOTSUP without a user', async () => {
  const engine = setup();
  const c = engine.client();
  assert.equal(simple(await c.call('ACL', 'SETUSER', 'alice', 'on', 'nopass', '+@all', '-set', '~x*')), 'OK');
  assert.equal(simple(await c.call('AUTH', 'alice', 'pw')), 'OK');
  assert.equal(err(await c.call('CALL.FWD', 'EC', 'SET', 'x', 'v')), "NOPERM User alice has no permissions to run the 'set' command");
  assert.equal(simple(await c.call('CALL.ERRNO', 'C', 'SET', 'x', 'v')), 'EACCES');
  assert.equal(err(await c.call('CALL.FWD', 'EC', 'GET', 'y')), 'NOPERM No permissions to access a key');
  assert.equal(await c.call('CALL.FWD', 'EC', 'GET', 'x'), null);
  // Without C the call runs as the unrestricted user.
  assert.equal(simple(await c.call('CALL.FWD', '-', 'SET', 'y', 'v')), 'OK');
  const log = (await c.call('ACL', 'LOG')) as Reply[][];
  assert.equal(log.length, 2);
  const entry = (e: Reply[]) => Object.fromEntries(Array.from({ length: e.length / 2 }, (_, i) => [String(e[2 * i]), e[2 * i + 1]]));
  const newest = entry(log[0]!);
  assert.equal(newest.reason, 'key');
  assert.equal(newest.context, 'module');
  assert.equal(newest.object, 'y');
  assert.equal(newest.username, 'alice');
  const older = entry(log[1]!);
  assert.equal(older.reason, 'command');
  assert.equal(older.object, 'set');
  assert.equal(older.count, 2);
  // A context whose client is a Call's fake client without a user: ENOTSUP.
  assert.equal(
    err(await engine.call('CALL.FWD', '-', 'call.fwd', 'EC', 'GET', 'x')),
    "ERR cannot run as user, no user directly attached to context or context's client",
  );
  assert.equal(simple(await engine.call('CALL.FWD', '-', 'call.errno', 'C', 'GET', 'x')), 'ENOTSUP');
  // ... and with C on the outer call the inner one runs as that user.
  assert.equal(await engine.call('CALL.FWD', 'C', 'call.fwd', 'EC', 'GET', 'x'), null);
});

test('without C the call runs as the unrestricted user, whatever the caller\'s ACL and requirepass', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('ACL', 'SETUSER', 'default', '-get')), 'OK');
  assert.equal(await engine.call('CALL.FWD', '-', 'GET', 'k'), null);
  assert.equal(await engine.call('CALL.FWD', '-', 'call.fwd', '-', 'GET', 'k'), null);
  assert.equal(err(await engine.call('CALL.FWD', 'EC', 'GET', 'k')), "NOPERM User default has no permissions to run the 'get' command");
  assert.equal(simple(await engine.call('ACL', 'SETUSER', 'default', '+get')), 'OK');
  assert.equal(simple(await engine.call('CONFIG', 'SET', 'requirepass', 'pw')), 'OK');
  assert.equal(await engine.call('CALL.FWD', '-', 'GET', 'k'), null); // no NOAUTH for the fake client
});

test('3 and 0: the reply protocol; CallReply accessors for every RESP3 type', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'f', 'v');
  assert.equal(await engine.call('CALL.DESCRIBE', '3', 'HGETALL', 'h'), 'map(1){string(f):string(v)}');
  assert.equal(await engine.call('CALL.DESCRIBE', '-', 'HGETALL', 'h'), 'array(2)[string(f),string(v)]');
  assert.equal(await engine.call('CALL.DESCRIBE', '0', 'HGETALL', 'h'), 'array(2)[string(f),string(v)]');
  const c3 = engine.client();
  c3.setProtocol(3);
  assert.equal(await c3.call('CALL.DESCRIBE', '0', 'HGETALL', 'h'), 'map(1){string(f):string(v)}');
  const d = async (type: string, mods = '3') => engine.call('CALL.DESCRIBE', mods, 'DEBUG', 'PROTOCOL', type);
  assert.equal(await d('string'), 'string(Hello World)');
  assert.equal(await d('integer'), 'int(12345)');
  assert.equal(await d('double'), 'double(3.141)');
  assert.equal(await d('bignum'), 'bignum(1234567999999999999999999999999999999)');
  assert.equal(await d('null'), 'null');
  assert.equal(await d('array'), 'array(3)[int(0),int(1),int(2)]');
  assert.equal(await d('set'), 'set(3)[int(0),int(1),int(2)]');
  assert.equal(await d('map'), 'map(3){int(0):bool(0),int(1):bool(1),int(2):bool(0)}');
  assert.equal(await d('true'), 'bool(1)');
  assert.equal(await d('false'), 'bool(0)');
  assert.equal(await d('verbatim'), 'verbatim(txt:This is a verbatim\nstring)');
  assert.equal(
    await d('attrib'),
    'attrattribute(1){string(key-popularity):array(2)[string(key:123),int(90)]}->string(Some real reply following the attribute)',
  );
  // RESP2 forms of the same replies.
  assert.equal(await d('double', '-'), 'string(3.141)');
  assert.equal(await d('null', '-'), 'null');
  assert.equal(await d('true', '-'), 'int(1)');
  assert.equal(await d('set', '-'), 'array(3)[int(0),int(1),int(2)]');
  assert.equal(await d('verbatim', '-'), 'string(This is a verbatim\nstring)');
  assert.equal(await d('attrib', '-'), 'string(Some real reply following the attribute)');
  assert.equal(await engine.call('CALL.DESCRIBE', '-', 'LPOP', 'nokey', '2'), 'null'); // *-1
  assert.equal(await engine.call('CALL.DESCRIBE', '-', 'GET', 'nokey'), 'null'); // $-1
  assert.equal(await engine.call('CALL.DESCRIBE', '-', 'INCR', 'h'), 'error(WRONGTYPE Operation against a key holding the wrong kind of value)');
  assert.equal(await engine.call('CALL.DESCRIBE', 'X', 'PING'), 'string(PONG)'); // X is accepted
});

test('accessors on the wrong type, out-of-range elements, attributes', async () => {
  const engine = setup();
  assert.equal(simple(await engine.call('CALL.WRONGTYPES')), 'OK');
  assert.equal(simple(await engine.call('CALL.ELEMENTS')), 'OK');
  assert.deepEqual(await engine.call('CALL.ATTRIB'), [new SimpleString('refused'), new SimpleString('refused'), new SimpleString('OK')]);
});

test('CallReplyProto and CreateStringFromCallReply', async () => {
  const engine = setup();
  await engine.call('RPUSH', 'l', 'a', 'bc');
  assert.equal(await engine.call('CALL.PROTO', '-', 'LRANGE', 'l', '0', '-1'), '*2\r\n$1\r\na\r\n$2\r\nbc\r\n');
  assert.equal(await engine.call('CALL.PROTO', '3', 'HGETALL', 'nokey'), '%0\r\n');
  assert.equal(await engine.call('CALL.PROTO', '-', 'INCR', 'l'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  assert.equal(await engine.call('CALL.STR', '-', 'INCR', 'n'), '1');
  assert.equal(await engine.call('CALL.STR', '-', 'ECHO', 'bin\0ary'), 'bin\0ary');
  assert.equal(await engine.call('CALL.STR', '-', 'INCR', 'l'), 'WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.equal(err(await engine.call('CALL.STR', '-', 'LRANGE', 'l', '0', '-1')), 'NULL');
});

test('ReplyWithCallReply: RESP3-only replies are refused to a RESP2 client', async () => {
  const engine = setup();
  await engine.call('HSET', 'h', 'f', 'v');
  assert.equal(err(await engine.call('CALL.FWD', '3', 'HGETALL', 'h')), 'REFUSED ReplyWithCallReply');
  assert.equal(err(await engine.call('CALL.FWD', '3', 'GET', 'nokey')), 'REFUSED ReplyWithCallReply'); // RESP3 null
  assert.equal(await engine.call('CALL.FWD', '3', 'HGET', 'h', 'f'), 'v'); // a bulk string is fine
  assert.deepEqual(await engine.call('CALL.FWD', '3', 'LRANGE', 'nokey', '0', '-1'), []); // plain arrays too
  assert.deepEqual(await engine.call('CALL.FWD', '0', 'HGETALL', 'h'), ['f', 'v']);
  const c3 = engine.client();
  c3.setProtocol(3);
  const m = await c3.call('CALL.FWD', '3', 'HGETALL', 'h');
  assert.ok(m instanceof Map);
  assert.deepEqual([...m], [['f', 'v']]);
  assert.deepEqual(await c3.call('CALL.FWD', '-', 'HGETALL', 'h'), ['f', 'v']); // RESP2 bytes as they are
  assert.equal(await c3.call('CALL.FWD', '3', 'GET', 'nokey'), null);
});

test('module commands calling module commands: replies are not clobbered, two levels deep', async () => {
  const engine = setup();
  const expected = [new SimpleString('before'), [1, 1], [new SimpleString('inner'), '1'], new SimpleString('after')];
  assert.deepEqual(await engine.call('CALL.NESTED', 'x'), expected);
  assert.deepEqual(await engine.call('CALL.NESTED', 'x'), [new SimpleString('before'), [1, 2], [new SimpleString('inner'), '2'], new SimpleString('after')]);
  const c3 = engine.client();
  c3.setProtocol(3);
  // CALL.NESTED calls CALL.NESTED2 without `3`: its map comes back as a RESP2 array.
  assert.deepEqual(await c3.call('CALL.NESTED', 'y'), [new SimpleString('before'), [1, 1], [new SimpleString('inner'), '1'], new SimpleString('after')]);
  // Deeper: a Call chain through three module commands.
  assert.equal(await engine.call('CALL.FWD', '-', 'call.fwd', '-', 'call.fwd', '-', 'INCR', 'deep'), 1);
  assert.equal(await engine.call('GET', 'deep'), '1');
});

test('AutoMemory frees call replies the module left (and forgets one it freed)', async () => {
  const engine = setup();
  assert.equal(await engine.call('CALL.AUTO', 'cnt'), '10');
  assert.equal(await engine.call('CALL.AUTO', 'cnt'), '20');
});

test('the call runs in the caller\'s database; commandstats count it; its errors count when forwarded', async () => {
  const engine = setup();
  const c = engine.client();
  await c.call('SELECT', '5');
  assert.equal(simple(await c.call('CALL.FWD', '-', 'SET', 'k', 'v')), 'OK');
  assert.equal(await c.call('GET', 'k'), 'v');
  assert.equal(await engine.call('EXISTS', 'k'), 0);
  assert.equal(c.db, 5);

  await engine.call('CONFIG', 'RESETSTAT');
  await engine.call('SET', 's', 'abc');
  // Not forwarded: the INCR failed (commandstats) but no error reached a client (errorstats).
  assert.equal(simple(await engine.call('CALL.ERRNO', '-', 'INCR', 's')), 'OK 1 0');
  assert.match((await info(engine, 'commandstats', 'cmdstat_incr'))!, /^calls=1,.*,rejected_calls=0,failed_calls=1$/);
  assert.equal(await info(engine, 'errorstats', 'errorstat_ERR'), undefined);
  assert.equal(await info(engine, 'stats', 'total_error_replies'), '0');
  // Forwarded: counted once, and the module command failed too.
  assert.equal(err(await engine.call('CALL.FWD', '-', 'INCR', 's')), 'ERR value is not an integer or out of range');
  assert.equal(await info(engine, 'errorstats', 'errorstat_ERR'), 'count=1');
  assert.match((await info(engine, 'commandstats', 'cmdstat_incr'))!, /^calls=2,.*,failed_calls=2$/);
  assert.match((await info(engine, 'commandstats', 'cmdstat_call.fwd'))!, /^calls=1,.*,failed_calls=1$/);
  // A refused call is not a call of the command.
  assert.equal(simple(await engine.call('CALL.ERRNO', 'W', 'SET', 'k', 'v')), 'ENOSPC');
  assert.match((await info(engine, 'commandstats', 'cmdstat_set'))!, /^calls=1,/);
});
