/** MULTI / EXEC / DISCARD / WATCH / UNWATCH: queueing, EXEC replies, aborts and WATCH invalidation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, NullArray, ReplyError, RespWriter, SimpleString, type Client } from '../src/index.js';
import {
  commandRejected,
  flagTransaction,
  resetTransactionState,
  signalFlushedDb,
  signalSwappedDbs,
  transactionInfo,
  inMulti,
} from '../src/server/multi.js';
import { command } from '../src/commands/define.js';
import { DiffSession, prng } from './diff/runner.js';
import { testModule } from './helpers.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command on `client` and returns the exact reply bytes in its protocol. */
async function raw(engine: Engine, client: Client, ...args: string[]): Promise<string> {
  const w = new RespWriter(client.proto);
  const done = engine.execute(client, args, w);
  if (done) await done;
  return w.take().toString('latin1');
}

/** Runs a command and returns its reply as plain values (simple strings as strings, null
 *  arrays as null; errors stay ReplyError). */
async function call(c: Client | Engine, ...args: string[]): Promise<unknown> {
  return plain(await c.call(...args));
}

function plain(r: unknown): unknown {
  if (r instanceof SimpleString) return r.value;
  if (r instanceof NullArray) return null;
  if (Array.isArray(r)) return r.map(plain);
  return r;
}

function errorText(r: unknown): string {
  assert.ok(r instanceof ReplyError, `expected an error reply, got ${JSON.stringify(r)}`);
  return r.message;
}

test('MULTI queues commands with +QUEUED; EXEC replies every reply in order (RESP2 bytes)', async () => {
  const engine = new Engine();
  const c = engine.client();
  assert.equal(await raw(engine, c, 'MULTI'), '+OK\r\n');
  assert.equal(await raw(engine, c, 'SET', 'k', 'v'), '+QUEUED\r\n');
  assert.equal(await raw(engine, c, 'INCR', 'n'), '+QUEUED\r\n');
  assert.equal(await raw(engine, c, 'GET', 'k'), '+QUEUED\r\n');
  assert.equal(await raw(engine, c, 'GET', 'missing'), '+QUEUED\r\n');
  assert.equal(await raw(engine, c, 'HSET', 'h', 'f', '1'), '+QUEUED\r\n');
  assert.equal(await raw(engine, c, 'HGETALL', 'h'), '+QUEUED\r\n');
  // Nothing ran yet: another client sees no keys.
  assert.equal(await call(engine.client(), 'EXISTS', 'k', 'n'), 0);
  assert.equal(
    await raw(engine, c, 'EXEC'),
    '*6\r\n+OK\r\n:1\r\n$1\r\nv\r\n$-1\r\n:1\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n',
  );
  // Out of MULTI again: commands run.
  assert.equal(await raw(engine, c, 'GET', 'k'), '$1\r\nv\r\n');
  assert.equal(await raw(engine, c, 'EXEC'), '-ERR EXEC without MULTI\r\n');
  engine.close();
});

test('EXEC in RESP3 nests RESP3 replies; an empty transaction replies an empty array', async () => {
  const engine = new Engine();
  const c = engine.client();
  c.setProtocol(3);
  await raw(engine, c, 'MULTI');
  await raw(engine, c, 'HSET', 'h', 'f', '1');
  await raw(engine, c, 'HGETALL', 'h');
  await raw(engine, c, 'GET', 'nope');
  assert.equal(await raw(engine, c, 'EXEC'), '*3\r\n:1\r\n%1\r\n$1\r\nf\r\n$1\r\n1\r\n_\r\n');
  await raw(engine, c, 'MULTI');
  assert.equal(await raw(engine, c, 'EXEC'), '*0\r\n');
  engine.close();
});

test('EXEC through client.call returns an array of values, errors as ReplyError elements', async () => {
  const engine = new Engine();
  const c = engine.client();
  assert.equal(await call(c, 'MULTI'), 'OK');
  assert.equal(await call(c, 'SET', 'a', 'abc'), 'QUEUED');
  assert.equal(await call(c, 'LPOP', 'a'), 'QUEUED');
  assert.equal(await call(c, 'INCR', 'a'), 'QUEUED');
  assert.equal(await call(c, 'APPEND', 'a', 'd'), 'QUEUED');
  const r = (await call(c, 'EXEC')) as unknown[];
  assert.equal(r.length, 4);
  assert.equal(r[0], 'OK');
  assert.equal(errorText(r[1]), 'WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.equal(errorText(r[2]), 'ERR value is not an integer or out of range');
  // Runtime errors do not stop the rest of the transaction.
  assert.equal(r[3], 4);
  assert.equal(await call(c, 'GET', 'a'), 'abcd');
  engine.close();
});

test('a command refused while queueing aborts EXEC with EXECABORT and runs nothing', async () => {
  const engine = new Engine();
  engine.commands.add(command('nomulticmd', 1, ['no_multi'], ({ w }) => w.simple('RAN')));
  const c = engine.client();
  const refusals: [string[], string][] = [
    [['NOSUCHCMD', 'x'], "-ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' \r\n"],
    [['GET'], "-ERR wrong number of arguments for 'get' command\r\n"],
    [['CONFIG', 'NOPE'], "-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n"],
    // A no_multi command other than MULTI and WATCH (SAVE, SHUTDOWN, SYNC, PSYNC).
    [['NOMULTICMD'], '-ERR Command not allowed inside a transaction\r\n'],
  ];
  for (const [cmd, err] of refusals) {
    assert.equal(await raw(engine, c, 'MULTI'), '+OK\r\n');
    assert.equal(await raw(engine, c, 'SET', 'k1', 'v'), '+QUEUED\r\n');
    assert.equal(await raw(engine, c, ...cmd), err, cmd.join(' '));
    assert.equal(transactionInfo(c).multi, 1);
    // Still QUEUED after the failure, but no longer kept.
    assert.equal(await raw(engine, c, 'SET', 'k2', 'v'), '+QUEUED\r\n');
    assert.equal(transactionInfo(c).multi, 1);
    assert.equal(await raw(engine, c, 'EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
    assert.equal(await call(engine, 'EXISTS', 'k1', 'k2'), 0);
    // The MULTI state is gone: commands run again.
    assert.equal(await raw(engine, c, 'PING'), '+PONG\r\n');
    assert.equal(inMulti(c), false);
  }
  engine.close();
});

test('a refused EXEC replies EXECABORT with the reason and discards the transaction and watches', async () => {
  const engine = new Engine();
  const c = engine.client();
  const abort = "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n";
  await raw(engine, c, 'MULTI');
  await raw(engine, c, 'SET', 'k', 'v');
  assert.equal(await raw(engine, c, 'EXEC', 'x'), abort);
  assert.equal(inMulti(c), false);
  assert.equal(await raw(engine, c, 'EXEC'), '-ERR EXEC without MULTI\r\n');
  assert.equal(await call(engine, 'EXISTS', 'k'), 0);
  // Outside MULTI too, and it drops the watches.
  await raw(engine, c, 'WATCH', 'x');
  assert.equal(await raw(engine, c, 'exec', 'x', 'y'), abort);
  assert.equal(transactionInfo(c).watch, 0);
  await raw(engine, c, 'SET', 'x', '1');
  await raw(engine, c, 'MULTI');
  await raw(engine, c, 'PING');
  assert.equal(await raw(engine, c, 'EXEC'), '*1\r\n+PONG\r\n');
  const errs = String(await call(engine, 'INFO', 'errorstats'));
  assert.match(errs, /errorstat_EXECABORT:count=2\r?\n/);
  assert.match(String(await call(engine, 'INFO', 'commandstats')), /cmdstat_exec:calls=2,.*rejected_calls=2,failed_calls=1\r?\n/);
  engine.close();
});

test('gates that refuse a command use commandRejected: the transaction aborts, a refused EXEC too', async () => {
  const engine = new Engine();
  const c = engine.client();
  await call(c, 'PING'); // installs transactions (until the Engine constructor does)
  let denyExec = false;
  // An ACL-like gate ahead of the MULTI gate.
  engine.gates.unshift((client, def, args, w) => {
    if (def.name !== 'lpush' && !(denyExec && def.name === 'exec')) return false;
    w.error(commandRejected(engine, client, args, `NOPERM this user has no permissions to run the '${def.name}' command`));
    return true;
  });
  await raw(engine, c, 'MULTI');
  await raw(engine, c, 'SET', 'k', 'v');
  assert.equal(await raw(engine, c, 'LPUSH', 'l', 'x'), "-NOPERM this user has no permissions to run the 'lpush' command\r\n");
  assert.equal(await raw(engine, c, 'EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
  // Outside MULTI the gate's error is unchanged and nothing is flagged.
  assert.equal(await raw(engine, c, 'LPUSH', 'l', 'x'), "-NOPERM this user has no permissions to run the 'lpush' command\r\n");
  denyExec = true;
  await raw(engine, c, 'WATCH', 'w');
  await raw(engine, c, 'MULTI');
  await raw(engine, c, 'SET', 'k', 'v');
  assert.equal(
    await raw(engine, c, 'EXEC'),
    "-EXECABORT Transaction discarded because of: NOPERM this user has no permissions to run the 'exec' command\r\n",
  );
  assert.deepEqual(transactionInfo(c), { multi: -1, watch: 0, inMulti: false, dirtyCas: false });
  assert.equal(await call(engine, 'EXISTS', 'k'), 0);
  // flagTransaction alone marks the transaction.
  denyExec = false;
  await raw(engine, c, 'MULTI');
  flagTransaction(engine, c);
  assert.equal(await raw(engine, c, 'EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
  engine.close();
});

test('nested MULTI and WATCH inside MULTI are errors that do not abort the transaction', async () => {
  const engine = new Engine();
  const c = engine.client();
  await raw(engine, c, 'MULTI');
  assert.equal(await raw(engine, c, 'MULTI'), '-ERR MULTI calls can not be nested\r\n');
  assert.equal(await raw(engine, c, 'WATCH', 'x'), '-ERR WATCH inside MULTI is not allowed\r\n');
  assert.equal(await raw(engine, c, 'SET', 'x', '1'), '+QUEUED\r\n');
  assert.equal(await raw(engine, c, 'EXEC'), '*1\r\n+OK\r\n');
  assert.equal(await raw(engine, c, 'DISCARD'), '-ERR DISCARD without MULTI\r\n');
  engine.close();
});

test('DISCARD drops the queue and the watched keys', async () => {
  const engine = new Engine();
  const c = engine.client();
  await call(c, 'SET', 'foo', '1');
  await call(c, 'WATCH', 'foo');
  await call(c, 'MULTI');
  await call(c, 'INCR', 'foo');
  assert.deepEqual(transactionInfo(c), { multi: 1, watch: 1, inMulti: true, dirtyCas: false });
  assert.equal(await call(c, 'DISCARD'), 'OK');
  assert.deepEqual(transactionInfo(c), { multi: -1, watch: 0, inMulti: false, dirtyCas: false });
  assert.equal(await call(c, 'GET', 'foo'), '1');
  // The watch is gone: a write no longer matters.
  await call(engine, 'SET', 'foo', '2');
  await call(c, 'MULTI');
  await call(c, 'GET', 'foo');
  assert.deepEqual(await call(c, 'EXEC'), ['2']);
  engine.close();
});

test("WATCH: another client's write makes EXEC reply a null array (RESP2 *-1, RESP3 _)", async () => {
  for (const proto of [2, 3] as const) {
    const engine = new Engine();
    const c = engine.client();
    c.setProtocol(proto);
    const other = engine.client();
    await call(c, 'SET', 'x', '30');
    assert.equal(await raw(engine, c, 'WATCH', 'x', 'y'), '+OK\r\n');
    assert.equal(transactionInfo(c).watch, 2);
    await call(other, 'SET', 'x', '40');
    // Once dirty the client watches nothing more (CLIENT LIST shows watch=0, flag d).
    assert.deepEqual(transactionInfo(c), { multi: -1, watch: 0, inMulti: false, dirtyCas: true });
    await raw(engine, c, 'MULTI');
    assert.equal(await raw(engine, c, 'SET', 'x', 'mine'), '+QUEUED\r\n');
    // A failed transaction keeps no commands.
    assert.equal(transactionInfo(c).multi, 0);
    assert.equal(await raw(engine, c, 'EXEC'), proto === 2 ? '*-1\r\n' : '_\r\n');
    assert.equal(await call(c, 'GET', 'x'), '40');
    // EXEC cleared everything: the next transaction runs.
    assert.deepEqual(transactionInfo(c), { multi: -1, watch: 0, inMulti: false, dirtyCas: false });
    await call(c, 'MULTI');
    await call(c, 'GET', 'x');
    assert.deepEqual(await call(c, 'EXEC'), ['40']);
    engine.close();
  }
});

test('WATCH: unmodified keys, missing keys deleted again, other databases and own writes', async () => {
  const engine = new Engine();
  const c = engine.client();
  const other = engine.client();
  const execPing = async () => {
    await call(c, 'MULTI');
    await call(c, 'PING');
    return call(c, 'EXEC');
  };
  await call(c, 'WATCH', 'x', 'y', 'z');
  await call(c, 'WATCH', 'k');
  assert.deepEqual(await execPing(), ['PONG']);

  // DEL / EXPIRE / SREM of a missing key change nothing.
  await call(c, 'WATCH', 'x');
  assert.equal(await call(other, 'DEL', 'x'), 0);
  assert.equal(await call(other, 'EXPIRE', 'x', '10'), 0);
  assert.equal(await call(other, 'SREM', 'x', 'm'), 0);
  assert.deepEqual(await execPing(), ['PONG']);

  // The same key in another database is another key.
  await call(c, 'WATCH', 'x');
  await call(other, 'SELECT', '1');
  await call(other, 'SET', 'x', '1');
  assert.deepEqual(await execPing(), ['PONG']);

  // A watch stays with the database it was made in, even after SELECT.
  await call(c, 'SELECT', '1');
  await call(c, 'WATCH', 'x');
  await call(c, 'SELECT', '0');
  await call(other, 'DEL', 'x');
  assert.equal(await execPing(), null);

  // The client's own writes between WATCH and EXEC count too.
  await call(c, 'WATCH', 'own');
  await call(c, 'LPUSH', 'own', 'a');
  assert.equal(await execPing(), null);

  // Watching the same key twice is one watch.
  await call(c, 'WATCH', 'a', 'a');
  await call(c, 'WATCH', 'a');
  assert.equal(transactionInfo(c).watch, 1);
  await call(c, 'UNWATCH');
  engine.close();
});

test('WATCH: DEL of an existing key, expiry commands and module writes invalidate', async () => {
  const engine = new Engine();
  engine.loadModule(testModule('keyspace'));
  const c = engine.client();
  const other = engine.client();
  const writers: string[][] = [
    ['DEL', 'k'],
    ['EXPIRE', 'k', '100'],
    ['PERSIST', 'k'],
    ['APPEND', 'k', 'x'],
    ['RENAME', 'k', 'k2'],
    ['KS.SET', 'k', 'module'],
    ['KS.DEL', 'k'],
    ['KS.SIGNAL', 'k'],
    ['FLUSHDB'],
    ['FLUSHALL'],
  ];
  for (const wr of writers) {
    await call(engine, 'FLUSHALL');
    await call(engine, 'SET', 'k', 'v', 'EX', '1000');
    await call(c, 'WATCH', 'k');
    await call(other, ...wr);
    await call(c, 'MULTI');
    await call(c, 'PING');
    assert.equal(await call(c, 'EXEC'), null, wr.join(' '));
  }
  // The module's write between MULTI and EXEC (from another client) counts as well.
  await call(c, 'WATCH', 'm');
  await call(c, 'MULTI');
  await call(c, 'PING');
  await call(other, 'KS.SET', 'm', 'x');
  assert.equal(await call(c, 'EXEC'), null);
  engine.close();
});

test('FLUSHALL touches only watched keys that exist; SWAPDB by logical change', async () => {
  const engine = new Engine();
  const c = engine.client();
  const other = engine.client();
  const execPing = async () => {
    await call(c, 'MULTI');
    await call(c, 'PING');
    return call(c, 'EXEC');
  };
  await call(other, 'SET', 'y', '1');
  await call(c, 'WATCH', 'x');
  await call(other, 'FLUSHALL');
  assert.deepEqual(await execPing(), ['PONG']);

  await call(other, 'SET', 'x', '1');
  await call(c, 'WATCH', 'x');
  await call(other, 'FLUSHALL');
  assert.equal(await execPing(), null);

  // SWAPDB: a watched key of db 0 replaced by the one of db 1.
  await call(other, 'SELECT', '1');
  await call(other, 'SET', 'x', 'db1');
  await call(c, 'WATCH', 'x');
  await call(other, 'SWAPDB', '0', '1');
  assert.equal(await execPing(), null);
  // Swapping two databases without the key changes nothing for it.
  await call(c, 'WATCH', 'nothere');
  await call(other, 'SWAPDB', '0', '1');
  assert.deepEqual(await execPing(), ['PONG']);
  engine.close();
});

test('WATCH and expiry: a key expiring after WATCH fails EXEC, a stale key at WATCH does not', async () => {
  // Lazy: the key is logically expired at EXEC, nobody deleted it.
  const engine = new Engine({ activeExpire: false });
  const c = engine.client();
  const other = engine.client();
  const execPing = async () => {
    await call(c, 'MULTI');
    await call(c, 'PING');
    return call(c, 'EXEC');
  };
  await call(engine, 'SET', 'x', 'foo', 'PX', '20');
  await call(c, 'WATCH', 'x');
  await sleep(40);
  assert.equal(await execPing(), null);

  // Accessed (and so deleted) by another client after it expired: also a change.
  await call(engine, 'SET', 'x', 'foo', 'PX', '20');
  await call(c, 'WATCH', 'x');
  await sleep(40);
  assert.equal(await call(other, 'GET', 'x'), null);
  assert.equal(await execPing(), null);

  // Already expired when watched: no change, whether deleted lazily, flushed or untouched.
  for (const between of [[], ['EXISTS', 'x'], ['FLUSHDB'], ['FLUSHALL']]) {
    await call(engine, 'SET', 'x', 'foo', 'PX', '1');
    await sleep(5);
    await call(c, 'WATCH', 'x');
    if (between.length) await call(other, ...between);
    assert.deepEqual(await execPing(), ['PONG'], between.join(' '));
  }
  // ...but a new value written over it is a change.
  await call(engine, 'SET', 'x', 'foo', 'PX', '1');
  await sleep(5);
  await call(c, 'WATCH', 'x');
  await call(other, 'SET', 'x', 'bar');
  assert.equal(await execPing(), null);
  // ...and so is a live key swapped in by SWAPDB.
  await call(engine, 'SET', 'x', 'foo', 'PX', '1');
  await sleep(5);
  await call(c, 'WATCH', 'x');
  await call(other, 'SELECT', '1');
  await call(other, 'SET', 'x', 'live');
  await call(other, 'SWAPDB', '0', '1');
  assert.equal(await execPing(), null);
  assert.equal(await call(c, 'GET', 'x'), 'live');
  engine.close();

  // Active expiry deleting a watched key is a modification.
  const active = new Engine({ hz: 100 });
  const a = active.client();
  await call(active, 'SET', 'x', 'foo', 'PX', '10');
  await call(a, 'WATCH', 'x');
  await sleep(120);
  assert.equal(active.dbs[0]!.dict.has('x'), false, 'active expiry ran');
  assert.equal(transactionInfo(a).dirtyCas, true);
  await call(a, 'MULTI');
  await call(a, 'PING');
  assert.equal(await call(a, 'EXEC'), null);
  active.close();
});

test('SWAPDB stale-key cases through signalSwappedDbs / signalFlushedDb (touchAllWatchedKeysInDb)', async () => {
  // Exact Valkey rules, for when FLUSH*/SWAPDB call these instead of signalling each key.
  const engine = new Engine({ activeExpire: false });
  const c = engine.client();
  const execPing = async () => {
    await call(c, 'MULTI');
    await call(c, 'PING');
    return call(c, 'EXEC');
  };
  const stale = async (db: number) => {
    const o = engine.client();
    await call(o, 'SELECT', String(db));
    await call(o, 'SET', 'x', 'foo', 'PX', '1');
  };
  // A missing key replaced by an expired one: no change.
  await stale(0);
  await sleep(5);
  await call(c, 'SELECT', '1');
  await call(c, 'WATCH', 'x');
  signalSwappedDbs(engine, 0, 1);
  engine.dbs[0]!.swapWith(engine.dbs[1]!);
  assert.deepEqual(await execPing(), ['PONG']);
  engine.dbs[0]!.clear();
  engine.dbs[1]!.clear();

  // An expired watched key replaced by a live one: a change.
  await stale(1);
  await sleep(5);
  await call(engine, 'SET', 'x', 'live');
  await call(c, 'WATCH', 'x');
  signalSwappedDbs(engine, 0, 1);
  engine.dbs[0]!.swapWith(engine.dbs[1]!);
  assert.equal(await execPing(), null);
  engine.dbs[0]!.clear();
  engine.dbs[1]!.clear();

  // An expired watched key replaced by another expired one, or by nothing: no change.
  await stale(0);
  await stale(1);
  await sleep(5);
  await call(c, 'WATCH', 'x');
  signalSwappedDbs(engine, 0, 1);
  engine.dbs[0]!.swapWith(engine.dbs[1]!);
  assert.deepEqual(await execPing(), ['PONG']);
  await call(c, 'WATCH', 'x');
  signalFlushedDb(engine, 1);
  engine.dbs[1]!.clear();
  signalSwappedDbs(engine, 0, 1);
  engine.dbs[0]!.swapWith(engine.dbs[1]!);
  assert.deepEqual(await execPing(), ['PONG']);

  // A live watched key flushed: a change.
  await call(c, 'SELECT', '0');
  await call(engine, 'SET', 'y', '1');
  await call(c, 'WATCH', 'y');
  signalFlushedDb(engine, 0);
  engine.dbs[0]!.clear();
  assert.equal(await execPing(), null);
  engine.close();
});

test('UNWATCH forgets the keys and the dirty state; EXEC unwatches even when aborted', async () => {
  const engine = new Engine();
  const c = engine.client();
  const other = engine.client();
  await call(c, 'WATCH', 'x');
  await call(other, 'SET', 'x', '1');
  assert.equal(transactionInfo(c).dirtyCas, true);
  assert.equal(await call(c, 'UNWATCH'), 'OK');
  assert.deepEqual(transactionInfo(c), { multi: -1, watch: 0, inMulti: false, dirtyCas: false });
  await call(c, 'MULTI');
  await call(c, 'GET', 'x');
  assert.deepEqual(await call(c, 'EXEC'), ['1']);

  // UNWATCH inside MULTI is queued and replies OK inside EXEC.
  await call(c, 'WATCH', 'x');
  await call(c, 'MULTI');
  assert.equal(await call(c, 'UNWATCH'), 'QUEUED');
  assert.deepEqual(await call(c, 'EXEC'), ['OK']);

  // WATCH after the client is dirty adds nothing.
  await call(c, 'WATCH', 'x');
  await call(other, 'SET', 'x', '2');
  await call(c, 'WATCH', 'a', 'b');
  assert.equal(transactionInfo(c).watch, 0);
  await call(c, 'MULTI');
  assert.equal(await call(c, 'EXEC'), null);
  assert.equal(await call(c, 'UNWATCH'), 'OK');
  engine.close();
});

test('resetTransactionState leaves MULTI and clears watches (RESET, disconnect)', async () => {
  const engine = new Engine();
  const c = engine.client();
  await call(c, 'WATCH', 'x', 'y');
  await call(c, 'MULTI');
  await call(c, 'SET', 'x', '1');
  resetTransactionState(engine, c);
  assert.deepEqual(transactionInfo(c), { multi: -1, watch: 0, inMulti: false, dirtyCas: false });
  assert.equal(errorText(await call(c, 'EXEC')), 'ERR EXEC without MULTI');
  assert.equal(await call(engine, 'EXISTS', 'x'), 0);
  // A client never seen has the defaults.
  assert.deepEqual(transactionInfo(engine.client()), { multi: -1, watch: 0, inMulti: false, dirtyCas: false });
  engine.close();
});

test('queued commands run with the MULTI and DENY_BLOCKING context flags; MULTI_DIRTY when dirty', async () => {
  const engine = new Engine();
  engine.commands.add(command('txprobe', 1, [], ({ client, w }) => w.integer(client.ctxFlags)));
  engine.loadModule(testModule('lifecycle'));
  const c = engine.client();
  const other = engine.client();
  const before = (await call(c, 'LC.FLAGS')) as number;
  assert.equal(before & ((1 << 1) | (1 << 21) | (1 << 19)), 0);
  await call(c, 'MULTI');
  await call(c, 'TXPROBE');
  await call(c, 'LC.FLAGS');
  const [flags, modFlags] = (await call(c, 'EXEC')) as number[];
  assert.equal(flags! & ((1 << 1) | (1 << 21)), (1 << 1) | (1 << 21));
  assert.equal(modFlags, before | (1 << 1) | (1 << 21));
  assert.equal(c.ctxFlags, 0);
  // VALKEYMODULE_CTX_FLAGS_MULTI_DIRTY while a watched key has changed.
  await call(c, 'WATCH', 'k');
  await call(other, 'SET', 'k', '1');
  assert.equal(((await call(c, 'LC.FLAGS')) as number) & (1 << 19), 1 << 19);
  await call(c, 'UNWATCH');
  assert.equal(((await call(c, 'LC.FLAGS')) as number) & (1 << 19), 0);
  engine.close();
});

test('EXEC stats: inner errors count once, EXEC itself is not a failed call; EXECABORT is', async () => {
  const engine = new Engine();
  const c = engine.client();
  await call(c, 'CONFIG', 'RESETSTAT');
  await call(c, 'MULTI');
  await call(c, 'SET', 'a', 'b');
  await call(c, 'INCR', 'a');
  await call(c, 'EXEC');
  await call(c, 'MULTI');
  await call(c, 'GET');
  await call(c, 'EXEC');
  const info = String(await call(c, 'INFO', 'commandstats'));
  const errs = String(await call(c, 'INFO', 'errorstats'));
  assert.match(info, /cmdstat_exec:calls=2,.*rejected_calls=0,failed_calls=1\r?\n/);
  assert.match(info, /cmdstat_incr:calls=1,.*rejected_calls=0,failed_calls=1\r?\n/);
  assert.match(info, /cmdstat_set:calls=1,.*rejected_calls=0,failed_calls=0\r?\n/);
  assert.match(info, /cmdstat_get:calls=0,.*rejected_calls=1,failed_calls=0\r?\n/);
  assert.match(errs, /errorstat_ERR:count=2\r?\n/);
  assert.match(errs, /errorstat_EXECABORT:count=1\r?\n/);
  engine.close();
});

test('pipelined transactions on one client and many clients in MULTI at once', async () => {
  const engine = new Engine();
  const clients = Array.from({ length: 5 }, () => engine.client());
  for (const c of clients) await call(c, 'MULTI');
  for (let i = 0; i < 100; i++) for (const c of clients) await call(c, 'INCR', 'n');
  // A client outside MULTI is not affected by the others' state.
  assert.equal(await call(engine, 'GET', 'n'), null);
  let expected = 0;
  for (const c of clients) {
    const r = (await call(c, 'EXEC')) as number[];
    assert.equal(r.length, 100);
    expected += 100;
    assert.equal(r[99], expected);
  }
  assert.equal(await call(engine, 'GET', 'n'), '500');
  engine.close();
});

test('differential: transactions match redis-server byte for byte (RESP2 and RESP3)', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    const seqs: string[][][] = [
      [['MULTI'], ['SET', 'a', 'abc'], ['LPOP', 'a'], ['INCR', 'a'], ['GET', 'a'], ['EXEC']],
      [['MULTI'], ['HSET', 'h', 'f', '1', 'g', '2'], ['HGETALL', 'h'], ['ZADD', 'z', '1.5', 'm'], ['ZSCORE', 'z', 'm'], ['GET', 'nope'], ['EXEC']],
      [['MULTI'], ['EXEC'], ['EXEC'], ['DISCARD']],
      [['MULTI'], ['MULTI'], ['WATCH', 'x'], ['SET', 'x', '1'], ['EXEC'], ['GET', 'x']],
      [['MULTI'], ['SET', 'x', '1'], ['NOSUCHCMD', 'a', 'b'], ['SET', 'y', '2'], ['EXEC'], ['EXISTS', 'x', 'y'], ['PING']],
      [['MULTI'], ['GET'], ['EXEC']],
      [['MULTI'], ['CONFIG', 'NOPE'], ['EXEC']],
      [['MULTI'], ['EXEC', 'x'], ['EXEC']],
      [['EXEC', 'x'], ['DISCARD', 'x'], ['MULTI', 'x']],
      [['WATCH', 'x'], ['EXEC', 'x'], ['SET', 'x', '1'], ['MULTI'], ['PING'], ['EXEC']],
      [['SET', 'foo', '1'], ['MULTI'], ['INCR', 'foo'], ['DISCARD'], ['GET', 'foo']],
      [['SET', 'x', '30'], ['WATCH', 'x'], ['SET', 'x', '40'], ['MULTI'], ['PING'], ['EXEC'], ['GET', 'x']],
      [['WATCH', 'x'], ['DEL', 'x'], ['MULTI'], ['PING'], ['EXEC']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['DEL', 'x'], ['MULTI'], ['PING'], ['EXEC']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['PEXPIREAT', 'x', '1'], ['MULTI'], ['PING'], ['EXEC'], ['EXISTS', 'x']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC']],
      [['SET', 'y', '1'], ['WATCH', 'x'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['UNWATCH'], ['SET', 'x', '2'], ['MULTI'], ['GET', 'x'], ['EXEC']],
      [['WATCH', 'x'], ['MULTI'], ['UNWATCH'], ['EXEC'], ['UNWATCH']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['SELECT', '1'], ['SET', 'x', '2'], ['MULTI'], ['PING'], ['EXEC'], ['SELECT', '0']],
      [['SET', 'x', '1'], ['SELECT', '1'], ['WATCH', 'x'], ['SELECT', '0'], ['SET', 'x', '2'], ['MULTI'], ['PING'], ['EXEC']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC'], ['SWAPDB', '0', '1']],
      [['WATCH', 'q'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC'], ['SWAPDB', '0', '1']],
      [['MULTI'], ['SELECT', '1'], ['SET', 'k', 'db1'], ['EXEC'], ['GET', 'k'], ['SELECT', '0'], ['GET', 'k']],
      [['WATCH'], ['UNWATCH', 'x'], ['MULTI', 'x'], ['DISCARD', 'x']],
      [['SET', 'x', '1'], ['WATCH', 'x'], ['MULTI'], ['SET', 'x', '2'], ['EXEC'], ['GET', 'x']],
    ];
    for (const seq of seqs) await d.check(seq);
  } finally {
    d.stop();
  }
});

const RKEYS = ['a', 'b', 'c'];
function randomTxCommand(r: ReturnType<typeof prng>): string[] {
  const k = () => r.pick(RKEYS);
  switch (r.int(20)) {
    case 0:
    case 1:
    case 2: return ['MULTI'];
    case 3:
    case 4:
    case 5: return ['EXEC'];
    case 6: return ['DISCARD'];
    case 7:
    case 8: return ['WATCH', k(), ...(r.int(2) ? [k()] : [])];
    case 9: return ['UNWATCH'];
    case 10: return ['SET', k(), String(r.int(100))];
    case 11: return ['INCR', k()];
    case 12: return ['DEL', k()];
    case 13: return ['GET', k()];
    case 14: return ['LPUSH', k(), 'x'];
    case 15: return r.pick([['NOSUCH', k()], ['GET'], ['EXEC', 'x'], ['WATCH'], ['DISCARD', 'y']]);
    case 16: return ['SELECT', r.pick(['0', '1'])];
    case 17: return r.pick([['FLUSHDB'], ['SWAPDB', '0', '1'], ['FLUSHALL']]);
    case 18: return ['PEXPIREAT', k(), '1'];
    default: return ['EXPIRE', k(), '100'];
  }
}

test('differential: seeded random transaction sequences', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    for (let seed = 1; seed <= 25; seed++) {
      const r = prng(5000 + seed);
      const seq: string[][] = [];
      for (let i = 0; i < 80; i++) seq.push(randomTxCommand(r));
      // Leave the connection as it found it (out of MULTI, database 0, nothing watched).
      seq.push(['DISCARD'], ['UNWATCH'], ['SELECT', '0']);
      await d.check(seq);
    }
  } finally {
    d.stop();
  }
});
