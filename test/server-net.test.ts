/**
 * The RESP server over real sockets: ioredis, redis-cli and a raw socket against a Server on a
 * free loopback port. Pipelines, inline commands, RESP3 and push messages, pub/sub, CLIENT
 * commands, MONITOR, module commands, protocol errors (only the offender is closed), limits
 * and the idle timeout.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Engine } from '../src/index.js';
import { Server, PROTECTED_MODE_DENIED, protectedModeRefuses } from '../src/server/server.js';
import { clientCommands } from '../src/commands/clients.js';
import { setAuthHooks, isLoopbackAddress, reprBytes } from '../src/server/connection.js';
import { RequestParser, splitInlineArgs } from '../src/protocol/parser.js';
import { testModule } from './helpers.js';
import { RawClient, bulk, freePort, resp } from './net-helpers.js';

const REDIS_CLI = '/usr/bin/redis-cli';

/** An engine with the CLIENT family registered (until the command table has it). */
function newEngine(lines: string[]): Engine {
  const engine = new Engine({ log: (l) => lines.push(l.replace(/^\d+:M \d\d \w{3} \d{4} [\d:.]+ . /, '')), loglevel: 'verbose' });
  for (const def of clientCommands) if (!engine.commands.has(def.name)) engine.commands.add(def);
  return engine;
}

function cli(port: number, args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(REDIS_CLI, ['-p', String(port), ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `key:value` fields of an INFO text. */
function infoFields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

describe('request parser', () => {
  it('gives the same commands whatever the chunking, and big arguments intact', () => {
    let stream = '';
    const want: string[][] = [];
    for (let i = 0; i < 2000; i++) {
      const args = i % 7 === 0 ? ['SET', `k${i}`, 'v'.repeat(i % 3 === 0 ? 40_000 : i)] : ['GET', `k${i}`, '', '\r\n\x00\xff'];
      want.push(args);
      stream += i % 5 === 0 ? `${args[0]} ${args[1]}\r\n` : resp(...args);
      if (i % 5 === 0) want[want.length - 1] = args.slice(0, 2);
    }
    const bytes = Buffer.from(stream, 'latin1');
    for (const chunkSize of [1, 3, 7, 1000, 65536, bytes.length]) {
      const p = new RequestParser();
      const got: string[][] = [];
      for (let off = 0; off < bytes.length; off += chunkSize) {
        p.feed(bytes.subarray(off, off + chunkSize));
        for (let c = p.next(); c !== null; c = p.next()) got.push(c);
      }
      assert.equal(p.error, null);
      assert.equal(p.pending, 0);
      assert.deepEqual(got, want, `chunks of ${chunkSize}`);
    }
  });
});

describe('RESP server', () => {
  const lines: string[] = [];
  let engine: Engine;
  let server: Server;
  let port: number;
  let redis: Redis;
  const extra: { close(): void }[] = [];

  before(async () => {
    engine = newEngine(lines);
    port = await freePort();
    server = new Server(engine, { port, bind: ['127.0.0.1'] });
    await server.listen();
    redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect();
  });

  after(async () => {
    redis.disconnect();
    for (const e of extra) e.close();
    await server.close();
    engine.close();
  });

  /** A raw client that is closed at the end. */
  async function raw(target: number | string = port): Promise<RawClient> {
    const c = await RawClient.connect(target);
    extra.push(c);
    return c;
  }

  it('logs Ready to accept connections tcp and reports its addresses', () => {
    assert.ok(lines.includes('Ready to accept connections tcp'));
    assert.deepEqual(server.addresses(), [`127.0.0.1:${port}`]);
  });

  it('serves ioredis: strings, pipelines of 10 000 commands, binary values', async () => {
    assert.equal(await redis.set('greeting', 'hello'), 'OK');
    assert.equal(await redis.get('greeting'), 'hello');
    const p = redis.pipeline();
    for (let i = 0; i < 10_000; i++) p.incr('ctr');
    const res = (await p.exec())!;
    assert.equal(res.length, 10_000);
    assert.deepEqual(res[9_999], [null, 10_000]);
    const bin = Buffer.from([0, 255, 13, 10, 36, 42, 1]);
    await redis.set('bin', bin);
    assert.deepEqual(await redis.getBuffer('bin'), bin);
  });

  it('answers a pipeline of 10 000 raw commands sent in one write, in order', async () => {
    const c = await raw();
    let req = '';
    let expected = '';
    let ctr = 0;
    for (let i = 0; i < 10_000; i++) {
      switch (i % 4) {
        case 0:
          req += resp('SET', `pk:${i}`, `value-${i}`);
          expected += '+OK\r\n';
          break;
        case 1:
          req += resp('GET', `pk:${i - 1}`);
          expected += bulk(`value-${i - 1}`);
          break;
        case 2:
          req += resp('INCR', 'pipe-counter');
          expected += `:${++ctr}\r\n`;
          break;
        default:
          req += 'PING\r\n'; // inline, mixed in
          expected += '+PONG\r\n';
      }
    }
    c.send(req);
    await c.expect(expected, 10_000);
    assert.equal(c.data.length, 0);
  });

  it('a blocked command holds back only its own connection, and keeps its order', async () => {
    const a = await raw();
    const b = await raw();
    const t0 = Date.now();
    a.send(resp('WAIT', '1', '300') + resp('PING') + resp('ECHO', 'after'));
    await sleep(30);
    b.send(resp('PING'));
    await b.expect('+PONG\r\n');
    assert.equal(a.data.length, 0, 'nothing for the blocked connection yet');
    const clients = infoFields((await redis.info('clients')) as string);
    assert.equal(clients.get('blocked_clients'), '1');
    assert.match((await redis.client('LIST')) as string, new RegExp(`addr=127\\.0\\.0\\.1:${a.socket.localPort} .* flags=b .* cmd=wait `));
    await a.expect(':0\r\n+PONG\r\n' + bulk('after'));
    assert.ok(Date.now() - t0 >= 280);
  });

  it('parses inline commands with Valkey quoting', async () => {
    const c = await raw();
    c.send('SET inl "a b\\n\\x41"\r\nGET inl\r\n\r\n   \r\nSET q \'it\\\'s\'\nGET q\r\nECHO ""\r\n');
    await c.expect('+OK\r\n' + bulk('a b\nA') + '+OK\r\n' + bulk("it's") + bulk(''));
    const line = Buffer.from('a "b c" \'d\' e"f g"');
    assert.deepEqual(splitInlineArgs(line, 0, line.length), ['a', 'b c', 'd', 'ef g']);
    assert.equal(splitInlineArgs(Buffer.from('"abc"def'), 0, 8), null);
    assert.equal(splitInlineArgs(Buffer.from('"abc'), 0, 4), null);
  });

  it('speaks RESP3 after HELLO 3 and pushes pub/sub messages', async () => {
    const c = await raw();
    c.send(resp('HELLO', '3'));
    const hello = await c.line();
    assert.equal(hello, '%7');
    await c.until(() => c.data.toString('latin1').includes('modules\r\n*0\r\n'));
    c.data = Buffer.alloc(0);
    c.send(resp('SUBSCRIBE', 'news') + resp('HGETALL', 'nokey') + resp('GET', 'nokey'));
    await c.expect('>3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n%0\r\n_\r\n');
    assert.equal(await redis.publish('news', 'hi there'), 1);
    await c.expect('>3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$8\r\nhi there\r\n');
  });

  it('pub/sub with ioredis and the RESP2 subscribed-context rule', async () => {
    const sub = new Redis({ port, host: '127.0.0.1' });
    try {
      const got = new Promise<[string, string]>((resolve) => sub.on('message', (ch: string, msg: string) => resolve([ch, msg])));
      await sub.subscribe('chan');
      await redis.publish('chan', 'payload');
      assert.deepEqual(await got, ['chan', 'payload']);
      assert.deepEqual(await redis.pubsub('NUMSUB', 'chan'), ['chan', 1]);
    } finally {
      sub.disconnect();
    }
    const c = await raw();
    c.send(resp('SUBSCRIBE', 'x') + resp('GET', 'k') + resp('PING'));
    await c.expect(
      '*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n' +
        "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    await c.line(); // PING's reply (its pub/sub form belongs to PING)
    c.close();
    await sleep(50);
    assert.equal(engine.pubsub.numSub('x'), 0, 'subscriptions are dropped when the connection closes');
  });

  it('CLIENT ID / SETNAME / GETNAME / SETINFO / INFO / LIST', async () => {
    const c = await raw();
    c.send(resp('CLIENT', 'ID'));
    const id = Number((await c.line()).slice(1));
    assert.ok(id > 0);
    c.send(resp('CLIENT', 'GETNAME') + resp('CLIENT', 'SETNAME', 'worker-1') + resp('CLIENT', 'GETNAME') + resp('CLIENT', 'SETNAME', 'a b'));
    await c.expect('$-1\r\n+OK\r\n' + bulk('worker-1') + '-ERR Client names cannot contain spaces, newlines or special characters.\r\n');
    c.send(resp('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib') + resp('CLIENT', 'SETINFO', 'lib-ver', '1.2') + resp('CLIENT', 'SETINFO', 'lib-ver', 'x y'));
    await c.expect('+OK\r\n+OK\r\n-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n');
    c.send(resp('CLIENT', 'SETINFO', 'color', 'red') + resp('CLIENT', 'NO-EVICT', 'on') + resp('CLIENT', 'NO-TOUCH', 'maybe'));
    await c.expect("-ERR Unrecognized option 'color'\r\n+OK\r\n-ERR syntax error\r\n");
    c.send(resp('SELECT', '3') + resp('CLIENT', 'INFO'));
    await c.expect('+OK\r\n');
    const len = Number((await c.line()).slice(1));
    await c.until(() => c.data.length >= len + 2);
    const info = c.data.subarray(0, len).toString();
    c.data = c.data.subarray(len + 2);
    const fields = info.trim().split(' ').map((f) => f.slice(0, f.indexOf('=')));
    assert.deepEqual(fields, [
      'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'capa', 'db', 'sub', 'psub', 'ssub', 'multi', 'watch',
      'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user',
      'redir', 'resp', 'lib-name', 'lib-ver', 'tot-net-in', 'tot-net-out', 'tot-cmds',
    ]);
    const local = c.socket.localPort;
    assert.match(info, new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:${local} laddr=127\\.0\\.0\\.1:${port} fd=\\d+ name=worker-1 `));
    assert.match(info, / flags=e capa= db=3 sub=0 psub=0 ssub=0 multi=-1 /);
    assert.match(info, / cmd=client\|info user=default redir=-1 resp=2 lib-name=mylib lib-ver=1\.2 tot-net-in=\d+ tot-net-out=\d+ tot-cmds=\d+\n$/);

    const list = (await redis.client('LIST')) as string;
    const mine = list.split('\n').find((l) => l.startsWith(`id=${id} `));
    assert.ok(mine, 'CLIENT LIST shows the connection');
    assert.match(mine!, / name=worker-1 /);
    const byId = (await redis.call('CLIENT', 'LIST', 'ID', String(id), '999999')) as string;
    assert.equal(byId.split('\n').filter(Boolean).length, 1);
    assert.match((await redis.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string, new RegExp(`id=${id} `));
    const pubsubList = ((await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string).split('\n').filter(Boolean);
    for (const l of pubsubList) assert.match(l, / flags=P .* sub=[1-9]/);
    await assert.rejects(redis.call('CLIENT', 'LIST', 'TYPE', 'nope'), /^ReplyError: ERR Unknown client type 'nope'/);
    await assert.rejects(redis.call('CLIENT', 'LIST', 'ID', 'abc'), /^ReplyError: ERR Invalid client ID/);
    await assert.rejects(redis.call('CLIENT', 'LIST', 'FOO'), /^ReplyError: ERR syntax error/);
    const help = (await redis.call('CLIENT', 'HELP')) as string[];
    assert.equal(help[0], 'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.equal(help[help.length - 1], '    Print this help.');
  });

  it('MULTI/EXEC over the network; CLIENT LIST shows the transaction', async () => {
    const res = await redis.multi().set('tx', '1').incr('tx').get('tx').exec();
    assert.deepEqual(res, [[null, 'OK'], [null, 2], [null, '2']]);
    const c = await raw();
    c.send(resp('WATCH', 'tx') + resp('MULTI') + resp('INCR', 'tx') + resp('CLIENT', 'INFO'));
    await c.expect('+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n');
    const list = (await redis.client('LIST')) as string;
    assert.match(list, new RegExp(`addr=127\\.0\\.0\\.1:${c.socket.localPort} .* flags=x .* multi=2 watch=1 `));
    await redis.set('tx', '10');
    c.send(resp('EXEC'));
    await c.expect('*-1\r\n');
  });

  it('CLIENT and friends work for embedded clients too', async () => {
    const e = engine.client();
    const id = await e.call('CLIENT', 'ID');
    assert.equal(id, e.id);
    assert.equal(await e.call('CLIENT', 'GETNAME'), null);
    assert.equal(String(await e.call('CLIENT', 'SETNAME', 'embedded')), 'OK');
    assert.equal(await e.call('CLIENT', 'GETNAME'), 'embedded');
    const info = String(await e.call('CLIENT', 'INFO'));
    assert.match(info, new RegExp(`^id=${e.id} addr=\\?:0 laddr=\\?:0 fd=-1 name=embedded .* cmd=client\\|info `));
    assert.equal(String(await e.call('RESET')), 'RESET');
    assert.equal(await e.call('CLIENT', 'GETNAME'), null);
  });

  it('CLIENT REPLY OFF / SKIP / ON', async () => {
    const c = await raw();
    c.send(
      resp('CLIENT', 'REPLY', 'OFF') +
        resp('SET', 'rk', '1') +
        resp('CLIENT', 'REPLY', 'SKIP') +
        resp('GET', 'rk') +
        resp('CLIENT', 'REPLY', 'ON') +
        resp('CLIENT', 'REPLY', 'SKIP') +
        resp('INCR', 'rk') +
        resp('GET', 'rk'),
    );
    await c.expect('+OK\r\n' + bulk('2'));
    await sleep(50);
    assert.equal(c.data.length, 0);
  });

  it('CLIENT KILL: old and new forms', async () => {
    const victim = await raw();
    victim.send(resp('CLIENT', 'ID'));
    const vid = Number((await victim.line()).slice(1));
    await assert.rejects(redis.call('CLIENT', 'KILL', '1.2.3.4:5'), /^ReplyError: ERR No such client/);
    await assert.rejects(redis.call('CLIENT', 'KILL', 'ID', '0'), /ERR client-id should be greater than 0/);
    await assert.rejects(redis.call('CLIENT', 'KILL', 'MAXAGE', '-1'), /ERR maxage should be greater than 0/);
    await assert.rejects(redis.call('CLIENT', 'KILL', 'MAXAGE', 'x'), /ERR maxage is not an integer or out of range/);
    await assert.rejects(redis.call('CLIENT', 'KILL', 'TYPE', 'x'), /ERR Unknown client type 'x'/);
    await assert.rejects(redis.call('CLIENT', 'KILL', 'USER', 'nosuch'), /ERR No such user 'nosuch'/);
    await assert.rejects(redis.call('CLIENT', 'KILL', 'ID', '1', 'SKIPME'), /ERR syntax error/);
    assert.equal(await redis.call('CLIENT', 'KILL', 'ID', String(vid)), 1);
    await victim.waitClosed();

    const v2 = await raw();
    const addr = `127.0.0.1:${v2.socket.localPort}`;
    assert.equal(await redis.call('CLIENT', 'KILL', addr), 'OK');
    await v2.waitClosed();

    // killing oneself: the reply is written, then the connection closes
    const self = await raw();
    self.send(resp('CLIENT', 'KILL', 'ADDR', `127.0.0.1:${self.socket.localPort}`, 'SKIPME', 'no'));
    await self.expect(':1\r\n');
    await self.waitClosed();
    assert.equal(await redis.ping(), 'PONG');
  });

  it('CLIENT PAUSE WRITE postpones writes until CLIENT UNPAUSE, in order', async () => {
    const c = await raw();
    assert.equal(await redis.call('CLIENT', 'PAUSE', '10000', 'WRITE'), 'OK');
    await assert.rejects(redis.call('CLIENT', 'PAUSE', '10', 'NEVER'), /ERR CLIENT PAUSE mode must be WRITE or ALL/);
    await assert.rejects(redis.call('CLIENT', 'PAUSE', '-1'), /ERR timeout is negative/);
    await assert.rejects(redis.call('CLIENT', 'PAUSE', 'x'), /ERR timeout is not an integer or out of range/);
    c.send(resp('GET', 'pz') + resp('SET', 'pz', 'v') + resp('GET', 'pz'));
    await c.expect('$-1\r\n');
    await sleep(100);
    assert.equal(c.data.length, 0, 'the write waits');
    const info = infoFields((await redis.info('clients')) as string);
    assert.equal(info.get('paused_actions'), 'write');
    assert.equal(info.get('paused_reason'), 'client_pause');
    const list = (await redis.client('LIST')) as string;
    assert.match(list, new RegExp(`addr=127\\.0\\.0\\.1:${c.socket.localPort} .* flags=b `));
    assert.equal(String(await engine.client().call('CLIENT', 'UNPAUSE')), 'OK');
    await c.expect('+OK\r\n' + bulk('v'));
    assert.equal(infoFields((await redis.info('clients')) as string).get('paused_actions'), 'none');
  });

  it('QUIT replies OK then closes; RESET restores a fresh connection state', async () => {
    const q = await raw();
    q.send(resp('QUIT') + resp('PING'));
    await q.expect('+OK\r\n');
    await q.waitClosed();
    assert.equal(q.data.length, 0, 'nothing runs after QUIT');

    const r = await raw();
    r.send(resp('SELECT', '2') + resp('CLIENT', 'SETNAME', 'n') + resp('CLIENT', 'SETINFO', 'lib-name', 'keep') + resp('SUBSCRIBE', 'rch'));
    await r.expect('+OK\r\n+OK\r\n+OK\r\n*3\r\n$9\r\nsubscribe\r\n$3\r\nrch\r\n:1\r\n');
    r.send(resp('RESET') + resp('CLIENT', 'INFO'));
    await r.expect('+RESET\r\n');
    await r.until(() => r.data.toString().includes('tot-cmds'));
    const info = r.data.toString();
    assert.match(info, / name= /);
    assert.match(info, / db=0 sub=0 /);
    assert.match(info, / lib-name=keep /);
    assert.equal(engine.pubsub.numSub('rch'), 0);
  });

  it('MONITOR streams commands in Valkey format, without admin commands', async () => {
    const m = await raw();
    m.send(resp('MONITOR'));
    await m.expect('+OK\r\n');
    const c = await raw();
    c.send('SET mk "a\\x01b c"\r\n' + resp('CONFIG', 'GET', 'port') + resp('SELECT', '5') + resp('PING'));
    await c.until(() => c.data.toString().includes('PONG'));
    const l1 = await m.line();
    assert.match(l1, new RegExp(`^\\+\\d{10}\\.\\d{6} \\[0 127\\.0\\.0\\.1:${c.socket.localPort}\\] "SET" "mk" "a\\\\x01b c"$`));
    const l2 = await m.line();
    assert.match(l2, / \[5 127\.0\.0\.1:\d+\] "SELECT" "5"$/, 'shown with the database selected after it ran');
    const l3 = await m.line();
    assert.match(l3, / \[5 127\.0\.0\.1:\d+\] "PING"$/);
    assert.equal(reprBytes('a"\\\r\n\t\x07\x08\x00\xff'), '"a\\"\\\\\\r\\n\\t\\a\\b\\x00\\xff"');
    m.send(resp('RESET'));
    await m.expect('+RESET\r\n');
    c.send(resp('PING'));
    await sleep(50);
    assert.equal(m.data.length, 0, 'RESET leaves MONITOR mode');
  });

  it('runs module commands; MODULE is allowed from loopback (enable-module-command local)', async () => {
    engine.loadModule(testModule('helloworld'));
    assert.equal(await redis.call('HELLOWORLD.ECHO', 'net'), 'net');
    assert.deepEqual(await redis.call('HELLOWORLD.REVERSE', 'a', 'b', 'c'), ['c', 'b', 'a']);
    assert.equal(await redis.call('HELLOWORLD.SUM', '40', '2'), 42);
    const c = await raw();
    c.send(resp('HELLO', '3'));
    await c.until(() => c.data.toString().includes('helloworld'));
    c.data = Buffer.alloc(0);
    c.send(resp('HELLOWORLD.INFO'));
    await c.expect('%2\r\n' + bulk('name') + bulk('helloworld') + bulk('commands') + ':5\r\n');
    assert.equal(await redis.call('MODULE', 'LOAD', testModule('benchmod')), 'OK');
    assert.equal(await redis.call('BENCH.INT'), 42);
    const mods = (await redis.call('MODULE', 'LIST')) as unknown[][];
    assert.deepEqual(mods.map((m) => m[1]).sort(), ['benchmod', 'helloworld']);
  });

  it('protocol errors get Valkey text and close only the offending connection', async () => {
    const cases: [string, string][] = [
      ['*abc\r\n', 'invalid multibulk length'],
      ['*2147483648\r\n', 'invalid multibulk length'],
      ['*1\r\n:1\r\n', "expected '$', got ':'"],
      ['*1\r\n$-5\r\n', 'invalid bulk length'],
      ['*1\r\n$01\r\n', 'invalid bulk length'],
      ['*1\r\n$99999999999999999999\r\n', 'invalid bulk length'],
      ['SET "unbalanced\r\n', 'unbalanced quotes in request'],
      ["GET 'a'b\r\n", 'unbalanced quotes in request'],
      ['x'.repeat(65 * 1024), 'too big inline request'],
      ['*' + '1'.repeat(65 * 1024), 'too big mbulk count string'],
      ['*1\r\n$' + '1'.repeat(65 * 1024), 'too big bulk count string'],
      ['*1\r\n$536870913\r\n', 'invalid bulk length'],
    ];
    for (const [bytes, err] of cases) {
      const c = await raw();
      // (after a too-big partial line, a following command's CRLF would end that line)
      c.send(resp('PING') + bytes + (err.startsWith('too big') ? '' : resp('PING')));
      await c.expect(`+PONG\r\n-ERR Protocol error: ${err}\r\n`);
      await c.waitClosed();
      assert.equal(c.data.length, 0, `nothing after the error (${err})`);
      assert.equal(await redis.ping(), 'PONG');
    }
    assert.ok(lines.some((l) => l.startsWith('Protocol error (invalid mbulk count) from client: id=')));
    assert.ok(lines.some((l) => /Query buffer during protocol error: '\*abc\.\.\*1\.\.\$4\.\.PING\.\.'$/.test(l)));
    // *0, *-1 and blank lines are skipped, not errors
    const c = await raw();
    c.send('*0\r\n*-1\r\n\r\n' + resp('PING'));
    await c.expect('+PONG\r\n');
  });

  it('proto-max-bulk-len and the limits of unauthenticated clients', async () => {
    await redis.config('SET', 'proto-max-bulk-len', '1mb');
    try {
      const c = await raw();
      c.send(resp('SET', 'big', 'x'.repeat(1024 * 1024)));
      await c.expect('+OK\r\n');
      c.send('*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048577\r\n');
      await c.expect('-ERR Protocol error: invalid bulk length\r\n');
      await c.waitClosed();
    } finally {
      await redis.config('SET', 'proto-max-bulk-len', '512mb');
    }
    let strict = false;
    setAuthHooks(engine, { authRequired: () => strict });
    strict = true;
    try {
      const a = await raw();
      a.send(resp('ECHO', 'x'.repeat(16384)));
      await a.expect(bulk('x'.repeat(16384)));
      a.send(resp('DEL', ...Array.from({ length: 10 }, (_, i) => `k${i}`).slice(0, 9)));
      await a.expect(':0\r\n');
      a.send(resp('DEL', ...Array.from({ length: 10 }, (_, i) => `k${i}`)));
      await a.expect('-ERR Protocol error: unauthenticated multibulk length\r\n');
      await a.waitClosed();
      const b = await raw();
      b.send(resp('ECHO', 'x'.repeat(16385)));
      await b.expect('-ERR Protocol error: unauthenticated bulk length\r\n');
      await b.waitClosed();
      assert.equal(new RequestParser().authRequired(), false);
    } finally {
      strict = false;
      setAuthHooks(engine, { authRequired: undefined });
    }
  });

  it('closes a client over client-query-buffer-limit and logs it as Valkey', async () => {
    await redis.config('SET', 'client-query-buffer-limit', '1mb');
    try {
      const c = await raw();
      c.send('*3\r\n$3\r\nSET\r\n$2\r\nqb\r\n$3000000\r\n');
      c.send(Buffer.alloc(1100 * 1024, 120));
      await c.waitClosed();
      assert.ok(
        lines.some((l) => /^Closing client that reached max query buffer length: id=\d+ addr=127\.0\.0\.1:\d+ .* \(qbuf initial bytes: "x{64}"\)$/.test(l)),
      );
      const stats = infoFields((await redis.info('stats')) as string);
      assert.equal(stats.get('client_query_buffer_limit_disconnections'), '1');
      assert.equal(await redis.ping(), 'PONG');
    } finally {
      await redis.config('SET', 'client-query-buffer-limit', '1gb');
    }
  });

  it('closes a pub/sub client over client-output-buffer-limit', async () => {
    await redis.config('SET', 'client-output-buffer-limit', 'pubsub 1mb 256kb 60');
    try {
      const s = await raw();
      s.send(resp('SUBSCRIBE', 'flood'));
      await s.expect('*3\r\n$9\r\nsubscribe\r\n$5\r\nflood\r\n:1\r\n');
      s.socket.pause(); // stop reading: the output piles up on the server
      const msg = 'm'.repeat(256 * 1024);
      for (let i = 0; i < 400 && engine.pubsub.numSub('flood') > 0; i++) {
        await redis.publish('flood', msg);
      }
      assert.equal(engine.pubsub.numSub('flood'), 0, 'the subscriber was disconnected');
      assert.ok(lines.some((l) => /^Client id=\d+ .*flags=P .* scheduled to be closed ASAP for overcoming of output buffer limits\.$/.test(l)));
      const stats = infoFields((await redis.info('stats')) as string);
      assert.equal(stats.get('client_output_buffer_limit_disconnections'), '1');
    } finally {
      await redis.config('SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
    }
  });

  it('refuses connections over maxclients with Valkey error', async () => {
    const before = Number(infoFields((await redis.info('stats')) as string).get('rejected_connections'));
    await redis.config('SET', 'maxclients', String(server.connections.size));
    try {
      const c = await raw();
      await c.expect('-ERR max number of clients reached\r\n');
      await c.waitClosed();
    } finally {
      await redis.config('SET', 'maxclients', '10000');
    }
    const after = Number(infoFields((await redis.info('stats')) as string).get('rejected_connections'));
    assert.equal(after, before + 1);
  });

  it('INFO clients and stats come from the server', async () => {
    const clients = infoFields((await redis.info('clients')) as string);
    assert.equal(Number(clients.get('connected_clients')), server.connections.size);
    const stats = infoFields((await redis.info('stats')) as string);
    assert.ok(Number(stats.get('total_connections_received')) >= 10);
    assert.ok(Number(stats.get('total_net_input_bytes')) > 1_000_000);
    assert.ok(Number(stats.get('total_net_output_bytes')) > 100_000);
    const srv = infoFields((await redis.info('server')) as string);
    assert.equal(srv.get('tcp_port'), String(port));
    assert.equal(srv.get('listener0'), `name=tcp,bind=127.0.0.1,port=${port}`);
  });

  it('redis-cli works against it (commands, RESP3, --pipe)', async (t) => {
    if (!fs.existsSync(REDIS_CLI)) return t.skip('redis-cli is not installed');
    assert.equal((await cli(port, ['PING'])).stdout, 'PONG\n');
    assert.equal((await cli(port, ['SET', 'clik', 'hello world'])).stdout, 'OK\n');
    assert.equal((await cli(port, ['GET', 'clik'])).stdout, 'hello world\n');
    assert.equal((await cli(port, ['HELLOWORLD.SUM', '1', '2'])).stdout, '3\n');
    const r3 = await cli(port, ['-3', 'HELLOWORLD.INFO']);
    assert.equal(r3.stdout, 'name helloworld\ncommands 5\n');
    const list = await cli(port, ['CLIENT', 'LIST']);
    assert.match(list.stdout, /cmd=client\|list /);
    const pipe = await cli(port, ['--pipe'], 'SET pipe1 a\r\nAPPEND pipe1 b\r\nINCR notanumber\r\n');
    assert.match(pipe.stdout, /errors: 0, replies: 3/);
    assert.equal(await redis.get('pipe1'), 'ab');
  });

  it('serves a unix socket (flag U, addr path:0, local)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-net-'));
    const sock = path.join(dir, 'valkey.sock');
    const unixServer = new Server(engine, { port: 0, unixsocket: sock, unixsocketperm: 0o700 });
    await unixServer.listen();
    try {
      assert.ok(lines.includes('Ready to accept connections unix'));
      assert.deepEqual(unixServer.addresses(), [sock]);
      assert.equal(fs.statSync(sock).mode & 0o777, 0o700);
      const u = new Redis({ path: sock });
      try {
        const info = (await u.client('INFO')) as string;
        assert.match(info, new RegExp(`addr=${sock.replace(/[.]/g, '\\.')}:0 laddr=${sock.replace(/[.]/g, '\\.')}:0 .* flags=U `));
        assert.equal(((await u.call('MODULE', 'LIST')) as unknown[]).length, 2);
      } finally {
        u.disconnect();
      }
      const srv = infoFields((await redis.info('server')) as string);
      assert.equal(srv.get('listener1'), `name=unix,bind=${sock}`);
    } finally {
      await unixServer.close();
    }
    assert.equal(fs.existsSync(sock), false, 'the socket file is removed on close');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes idle clients after timeout seconds (not subscribers)', async () => {
    const p2 = await freePort();
    const s2 = new Server(engine, { port: p2, bind: ['127.0.0.1'], timeout: 1 });
    await s2.listen();
    try {
      const idle = await RawClient.connect(p2);
      const subscriber = await RawClient.connect(p2);
      subscriber.send(resp('SUBSCRIBE', 'keepme'));
      await subscriber.expect('*3\r\n$9\r\nsubscribe\r\n$6\r\nkeepme\r\n:1\r\n');
      const t0 = Date.now();
      await idle.waitClosed(5000);
      const took = Date.now() - t0;
      assert.ok(took >= 500 && took < 3500, `closed after ${took} ms`);
      assert.ok(lines.includes('Closing idle client'));
      assert.equal(subscriber.closed, false);
      subscriber.close();
    } finally {
      await s2.close();
    }
  });

  it('refuses a second bind of the same port with Valkey log lines', async () => {
    const s3 = new Server(engine, { port, bind: ['127.0.0.1'] });
    await assert.rejects(s3.listen(), /Failed listening on port \d+ \(tcp\), aborting\./);
    assert.ok(lines.includes(`Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`));
    // an optional address that does not exist here is skipped
    const p4 = await freePort();
    const s4 = new Server(engine, { port: p4, bind: ['127.0.0.1', '-192.0.2.77'] });
    await s4.listen();
    assert.deepEqual(s4.addresses(), [`127.0.0.1:${p4}`]);
    await s4.close();
  });

  it('protected mode: the rule and the exact DENIED text', () => {
    assert.equal(protectedModeRefuses(true, true, false), true);
    assert.equal(protectedModeRefuses(true, true, true), false);
    assert.equal(protectedModeRefuses(true, false, false), false);
    assert.equal(protectedModeRefuses(false, true, false), false);
    assert.ok(isLoopbackAddress('127.0.0.1') && isLoopbackAddress('127.3.4.5') && isLoopbackAddress('::1'));
    assert.ok(isLoopbackAddress('::ffff:127.0.0.1') && !isLoopbackAddress('10.0.0.1') && !isLoopbackAddress('::2'));
    assert.ok(PROTECTED_MODE_DENIED.startsWith('-DENIED Running in protected mode because protected mode is enabled and no password is set for the default user.'));
    assert.ok(PROTECTED_MODE_DENIED.endsWith('in order for the server to start accepting connections from the outside.\r\n'));
  });
});
