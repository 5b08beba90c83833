/** SET ... IFEQ (Valkey 8.1): conditional set on an equal string value, with NX/XX/GET,
 *  expiry, keyspace events, propagation, RESP2/RESP3 wire replies and COMMAND DOCS. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError, ReplyMap, ReplySet, SimpleString, type Reply } from '../src/index.js';
import { ServedEngine, resp, bulk } from './net-helpers.js';

const OK = new SimpleString('OK');
const SYNTAX = 'ERR syntax error';
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

function err(r: Reply, message: string, what = ''): void {
  assert.ok(r instanceof ReplyError, `${what}: expected error '${message}', got ${String(r)}`);
  assert.equal(r.message, message, what);
}

/** Keyspace events seen by the engine ('keymiss' and 'new' left out), as event:key. */
function events(engine: Engine): string[] {
  const seen: string[] = [];
  engine.onKeyspaceEvent((e) => {
    if (e.event !== 'keymiss' && e.event !== 'new') seen.push(`${e.event}:${e.key}`);
  });
  return seen;
}

/** The propagation stream as text lines (argv joined by spaces). */
function stream(engine: Engine): string[] {
  const lines: string[] = [];
  engine.onPropagate((c) => lines.push(c.argv.join(' ')));
  return lines;
}

test('SET IFEQ: sets only when the current string equals the comparison value', async () => {
  const engine = new Engine({ activeExpire: false });
  const ev = events(engine);
  assert.deepEqual(await engine.call('SET', 'k', 'v1'), OK);
  ev.splice(0);
  assert.deepEqual(await engine.call('SET', 'k', 'v2', 'IFEQ', 'v1'), OK);
  assert.equal(await engine.call('GET', 'k'), 'v2');
  assert.deepEqual(ev.splice(0), ['set:k']);
  // mismatch: null, nothing changes, no event
  assert.equal(await engine.call('SET', 'k', 'v3', 'IFEQ', 'v1'), null);
  assert.equal(await engine.call('GET', 'k'), 'v2');
  assert.deepEqual(ev.splice(0), []);
  // the comparison is exact (case, length, binary bytes)
  assert.equal(await engine.call('SET', 'k', 'v3', 'IFEQ', 'V2'), null);
  assert.equal(await engine.call('SET', 'k', 'v3', 'IFEQ', 'v2 '), null);
  await engine.call('SET', 'b', '\u0000\u00ff');
  assert.equal(await engine.call('SET', 'b', 'x', 'IFEQ', '\u0000\u00fe'), null);
  assert.deepEqual(await engine.call('SET', 'b', 'x', 'IFEQ', '\u0000\u00ff'), OK);
  // an integer-looking value compares as its string
  await engine.call('SET', 'n', '123');
  assert.equal(await engine.call('SET', 'n', '0', 'IFEQ', '0123'), null);
  assert.deepEqual(await engine.call('SET', 'n', '0', 'IFEQ', '123'), OK);
  // empty strings
  await engine.call('SET', 'e', '');
  assert.deepEqual(await engine.call('SET', 'e', 'full', 'ifeq', ''), OK);
  assert.equal(await engine.call('GET', 'e'), 'full');
  engine.close();
});

test('SET IFEQ: a missing key is not created; a non-string key is WRONGTYPE', async () => {
  const engine = new Engine({ activeExpire: false });
  const ev = events(engine);
  assert.equal(await engine.call('SET', 'missing', 'v', 'IFEQ', 'x'), null);
  assert.equal(await engine.call('EXISTS', 'missing'), 0);
  await engine.call('RPUSH', 'list', 'a');
  ev.splice(0);
  err(await engine.call('SET', 'list', 'v', 'IFEQ', 'a'), WRONGTYPE);
  assert.deepEqual(await engine.call('TYPE', 'list'), new SimpleString('list'));
  assert.deepEqual(await engine.call('LRANGE', 'list', '0', '-1'), ['a']);
  assert.deepEqual(ev, []);
  // an expired key counts as missing
  await engine.call('SET', 'old', 'v', 'PX', '1');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await engine.call('SET', 'old', 'w', 'IFEQ', 'v'), null);
  assert.equal(await engine.call('EXISTS', 'old'), 0);
  engine.close();
});

test('SET IFEQ: syntax (NX, XX, a repeated IFEQ, a missing value)', async () => {
  const engine = new Engine({ activeExpire: false });
  await engine.call('SET', 'k', 'v');
  for (const args of [
    ['IFEQ', 'v', 'NX'],
    ['NX', 'IFEQ', 'v'],
    ['IFEQ', 'v', 'XX'],
    ['xx', 'ifeq', 'v'],
    ['IFEQ', 'v', 'IFEQ', 'v'],
    ['IFEQ'],
    ['GET', 'IFEQ'],
    ['IFEQ', 'v', 'EX'],
    ['IFEQ', 'v', 'KEEPTTL', 'EX', '10'],
  ]) {
    err(await engine.call('SET', 'k', 'w', ...args), SYNTAX, args.join(' '));
  }
  assert.equal(await engine.call('GET', 'k'), 'v');
  // IFEQ is SET's only: GETEX refuses it
  err(await engine.call('GETEX', 'k', 'IFEQ', 'v'), SYNTAX);
  // an invalid expire is reported before the comparison
  err(await engine.call('SET', 'k', 'w', 'IFEQ', 'nomatch', 'EX', '0'), "ERR invalid expire time in 'set' command");
  engine.close();
});

test('SET IFEQ GET: replies the old value; sets only on a match', async () => {
  const engine = new Engine({ activeExpire: false });
  const ev = events(engine);
  await engine.call('SET', 'k', 'v1');
  ev.splice(0);
  assert.equal(await engine.call('SET', 'k', 'v2', 'IFEQ', 'v1', 'GET'), 'v1');
  assert.equal(await engine.call('GET', 'k'), 'v2');
  assert.deepEqual(ev.splice(0), ['set:k']);
  // mismatch: still the old value, no write
  assert.equal(await engine.call('SET', 'k', 'v3', 'GET', 'IFEQ', 'v1'), 'v2');
  assert.equal(await engine.call('GET', 'k'), 'v2');
  assert.deepEqual(ev.splice(0), []);
  // missing key: nil, not created
  assert.equal(await engine.call('SET', 'nokey', 'v', 'IFEQ', 'x', 'GET'), null);
  assert.equal(await engine.call('EXISTS', 'nokey'), 0);
  // non-string: WRONGTYPE (from GET)
  await engine.call('SADD', 's', 'm');
  err(await engine.call('SET', 's', 'v', 'IFEQ', 'm', 'GET'), WRONGTYPE);
  assert.equal(await engine.call('SISMEMBER', 's', 'm'), 1);
  engine.close();
});

test('SET IFEQ with expiry: EX/PX/EXAT/PXAT/KEEPTTL apply only when the value matched', async () => {
  const engine = new Engine({ activeExpire: false });
  const ev = events(engine);
  await engine.call('SET', 'k', 'a', 'EX', '1000');
  ev.splice(0);
  assert.equal(await engine.call('SET', 'k', 'b', 'IFEQ', 'zzz', 'EX', '50'), null);
  assert.ok((await engine.call('TTL', 'k')) as number > 900);
  assert.deepEqual(await engine.call('SET', 'k', 'b', 'IFEQ', 'a', 'EX', '50'), OK);
  const ttl = (await engine.call('TTL', 'k')) as number;
  assert.ok(ttl > 0 && ttl <= 50);
  assert.deepEqual(ev.splice(0), ['set:k', 'expire:k']);
  // no expiry option: the TTL is dropped; KEEPTTL keeps it
  assert.deepEqual(await engine.call('SET', 'k', 'c', 'IFEQ', 'b', 'KEEPTTL'), OK);
  assert.ok((await engine.call('TTL', 'k')) as number > 0);
  assert.deepEqual(await engine.call('SET', 'k', 'd', 'IFEQ', 'c'), OK);
  assert.equal(await engine.call('TTL', 'k'), -1);
  // an already past PXAT on a match deletes the key
  ev.splice(0);
  assert.deepEqual(await engine.call('SET', 'k', 'e', 'IFEQ', 'd', 'PXAT', '1'), OK);
  assert.equal(await engine.call('EXISTS', 'k'), 0);
  assert.deepEqual(ev.splice(0), ['del:k']);
  engine.close();
});

test('SET IFEQ propagation: as sent, GET removed, expiry as PXAT; nothing on abort', async () => {
  const engine = new Engine({ activeExpire: false });
  const lines = stream(engine);
  await engine.call('SET', 'k', 'v1');
  await engine.call('SET', 'k', 'v2', 'IFEQ', 'v1');
  assert.deepEqual(lines.splice(0), ['SELECT 0', 'SET k v1', 'SET k v2 IFEQ v1']);
  // aborted: nothing
  await engine.call('SET', 'k', 'x', 'IFEQ', 'nomatch');
  await engine.call('SET', 'k', 'x', 'IFEQ', 'nomatch', 'GET');
  await engine.call('SET', 'missing', 'x', 'IFEQ', 'v');
  assert.deepEqual(lines.splice(0), []);
  // GET tokens are dropped, the comparison value stays even when it reads "get"
  await engine.call('SET', 'k', 'get', 'GET', 'IFEQ', 'v2');
  await engine.call('SET', 'k', 'v3', 'IFEQ', 'get', 'get', 'KEEPTTL');
  assert.deepEqual(lines.splice(0), ['SET k get IFEQ v2', 'SET k v3 IFEQ get KEEPTTL']);
  // EX/PX/EXAT become PXAT <absolute ms> (IFEQ and GET gone); PXAT stays as sent
  const t0 = Date.now();
  await engine.call('SET', 'k', 'v4', 'IFEQ', 'v3', 'GET', 'PX', '100000');
  const [line] = lines.splice(0);
  const m = /^SET k v4 PXAT (\d+)$/.exec(line!);
  assert.ok(m, line);
  const at = Number(m[1]);
  assert.ok(at >= t0 + 100000 && at <= Date.now() + 100000);
  await engine.call('SET', 'k', 'v5', 'IFEQ', 'v4', 'PXAT', String(at));
  assert.deepEqual(lines.splice(0), [`SET k v5 IFEQ v4 PXAT ${at}`]);
  // a comparison value that reads like an expiry token is not one
  await engine.call('SET', 'k', 'px', 'KEEPTTL');
  await engine.call('SET', 'k', 'v6', 'IFEQ', 'px', 'KEEPTTL');
  assert.deepEqual(lines.splice(0), ['SET k px KEEPTTL', 'SET k v6 IFEQ px KEEPTTL']);
  // plain SET ... GET (no IFEQ) loses its GET too
  await engine.call('SET', 'k', 'v7', 'get');
  assert.deepEqual(lines.splice(0), ['SET k v7']);
  engine.close();
});

test('SET IFEQ over the wire: RESP2 and RESP3 replies', async () => {
  const served = await ServedEngine.start(new Engine({ activeExpire: false }));
  try {
    const c = await served.connect();
    c.send(resp('SET', 'k', 'v1'));
    await c.expect('+OK\r\n');
    c.send(resp('SET', 'k', 'v2', 'IFEQ', 'nomatch'));
    await c.expect('$-1\r\n');
    c.send(resp('SET', 'k', 'v2', 'IFEQ', 'v1', 'GET'));
    await c.expect(bulk('v1'));
    c.send(resp('SET', 'nokey', 'v', 'IFEQ', 'x', 'GET'));
    await c.expect('$-1\r\n');
    c.send(resp('SET', 'k', 'v', 'IFEQ', 'x', 'NX'));
    await c.expect(`-${SYNTAX}\r\n`);
    c.send(resp('HELLO', '3'));
    await c.until(() => c.data.includes('proto'));
    c.data = Buffer.alloc(0);
    c.send(resp('SET', 'k', 'v3', 'IFEQ', 'nomatch'));
    await c.expect('_\r\n');
    c.send(resp('SET', 'nokey', 'v', 'IFEQ', 'x', 'GET'));
    await c.expect('_\r\n');
    c.send(resp('SET', 'k', 'v3', 'IFEQ', 'v2'));
    await c.expect('+OK\r\n');
    c.send(resp('RPUSH', 'l', 'a'));
    await c.expect(':1\r\n');
    c.send(resp('SET', 'l', 'v', 'IFEQ', 'a'));
    await c.expect(`-${WRONGTYPE}\r\n`);
  } finally {
    await served.close();
  }
});

test('SET IFEQ inside MULTI/EXEC', async () => {
  const engine = new Engine({ activeExpire: false });
  const c = engine.client();
  await c.call('SET', 'k', 'v1');
  await c.call('MULTI');
  assert.deepEqual(await c.call('SET', 'k', 'v2', 'IFEQ', 'v1'), new SimpleString('QUEUED'));
  assert.deepEqual(await c.call('SET', 'k', 'v3', 'IFEQ', 'v1'), new SimpleString('QUEUED'));
  assert.deepEqual(await c.call('EXEC'), [OK, null]);
  assert.equal(await c.call('GET', 'k'), 'v2');
  engine.close();
});

test('COMMAND DOCS SET shows IFEQ in the condition block, since 8.1.0, and the history entry', async () => {
  const engine = new Engine({ activeExpire: false });
  const c = engine.client();
  c.setProtocol(3);
  const doc = ((await c.call('COMMAND', 'DOCS', 'SET')) as ReplyMap).get('set') as ReplyMap;
  const history = [...(doc.get('history') as ReplySet)];
  assert.deepEqual(history[history.length - 1], ['8.1.0', 'Added the `IFEQ` option.']);
  const args = doc.get('arguments') as ReplyMap[];
  const condition = args.find((a) => a.get('name') === 'condition')!;
  assert.equal(condition.get('type'), 'oneof');
  assert.equal(condition.has('since'), false);
  const members = condition.get('arguments') as ReplyMap[];
  assert.deepEqual(members.map((a) => a.get('name')), ['nx', 'xx', 'comparison-value']);
  assert.deepEqual(members[2], new ReplyMap([
    ['name', 'comparison-value'],
    ['type', 'string'],
    ['display_text', 'comparison-value'],
    ['token', 'IFEQ'],
    ['summary', "Sets the key's value only if the current value matches the specified comparison value."],
    ['since', '8.1.0'],
  ]));
  assert.equal(members[0]!.get('since'), '2.6.12');
  assert.equal(members[1]!.get('since'), '2.6.12');
  engine.close();
});
