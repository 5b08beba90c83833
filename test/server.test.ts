/**
 * Server commands: TIME, DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, LASTSAVE, INFO, CONFIG (the
 * parameter table), COMMAND (core and module commands), DEBUG, FUNCTION, LATENCY, SLOWLOG,
 * MEMORY, the statistics INFO reports, and differential runs against redis-server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  ReplyError,
  ReplyMap,
  ReplySet,
  SimpleString,
  ValueWriter,
  VerbatimString,
  type Reply,
} from '../src/index.js';
import { cmd, group } from '../src/commands/define.js';
import { allSpecNames, specOf } from '../src/commands/spec.js';
import { configOf, memtoull, string2ll, CONFIG_TABLE, findConfig } from '../src/engine/config.js';
import { statsOf, CommandStats } from '../src/engine/stats.js';
import { slowlogOf, slowlogArgs } from '../src/engine/slowlog.js';
import { bytesToHuman, crc64, infoText, mallocSize, setInfoProvider } from '../src/commands/server.js';
import { NOTIFY_ALL, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from '../src/engine/notify.js';
import { DiffSession, prng } from './diff/runner.js';
import { testModule } from './helpers.js';

const skip = DiffSession.available() ? false : 'redis-server is not installed';
const OK = new SimpleString('OK');

async function call(e: Engine, ...args: (string | number | Buffer)[]): Promise<Reply> {
  return await e.call(...args);
}

function assertError(r: Reply, message: string): void {
  assert.ok(r instanceof ReplyError, `expected error '${message}', got ${JSON.stringify(r)}`);
  assert.equal(r.message, message);
}

function text(r: Reply): string {
  if (r instanceof VerbatimString) return r.text;
  if (typeof r === 'string') return r;
  throw new Error(`not text: ${JSON.stringify(r)}`);
}

/** Adds a core command from its spec when no family registered it (keys tests need them). */
function ensure(e: Engine, name: string): void {
  if (e.commands.has(name)) return;
  const subs = allSpecNames().filter((n) => n.startsWith(`${name}|`));
  e.commands.add(subs.length ? group(name, subs.map((s) => cmd(s, () => {}))) : cmd(name, () => {}));
}

/** Adds `n` string keys straight into a database (no dependency on SET). */
function fill(e: Engine, db: number, n: number, prefix = 'k'): void {
  for (let i = 0; i < n; i++) e.dbs[db]!.set(`${prefix}${i}`, `v${i}`);
}

// ---- TIME, DBSIZE, LASTSAVE ------------------------------------------------------------------

test('TIME: unix seconds and microseconds as bulk strings', async () => {
  const e = new Engine();
  const r = (await call(e, 'TIME')) as string[];
  assert.equal(r.length, 2);
  assert.match(r[0]!, /^[0-9]+$/);
  assert.match(r[1]!, /^[0-9]+$/);
  assert.ok(Math.abs(Number(r[0]) - Date.now() / 1000) < 5);
  assert.ok(Number(r[1]) < 1e6);
  assertError(await call(e, 'TIME', 'x'), "ERR wrong number of arguments for 'time' command");
  e.close();
});

test('DBSIZE counts the selected database; LASTSAVE is the start time until persistence exists', async () => {
  const e = new Engine();
  fill(e, 0, 3);
  fill(e, 5, 2);
  assert.equal(await call(e, 'DBSIZE'), 3);
  await call(e, 'SELECT', 5);
  assert.equal(await call(e, 'DBSIZE'), 2);
  assertError(await call(e, 'DBSIZE', 'x'), "ERR wrong number of arguments for 'dbsize' command");
  const last = (await call(e, 'LASTSAVE')) as number;
  assert.equal(last, Math.floor(statsOf(e).lastSave / 1000));
  assert.ok(Math.abs(last - Date.now() / 1000) < 5);
  e.close();
});

// ---- FLUSHDB, FLUSHALL, SWAPDB ------------------------------------------------------------------

test('FLUSHDB and FLUSHALL: SYNC/ASYNC, syntax errors, dirty counter, modified keys', async () => {
  const e = new Engine();
  fill(e, 0, 3);
  fill(e, 1, 2);
  const modified: string[] = [];
  e.onKeyModified((db, k) => modified.push(`${db}:${k}`));
  const d0 = e.dirty;
  assertError(await call(e, 'FLUSHDB', 'x'), 'ERR syntax error');
  assertError(await call(e, 'FLUSHDB', 'SYNC', 'x'), 'ERR syntax error');
  assertError(await call(e, 'FLUSHALL', 'LAZY'), 'ERR syntax error');
  assert.equal(e.dirty, d0);
  assert.deepEqual(await call(e, 'FLUSHDB', 'async'), OK);
  assert.equal(e.dbs[0]!.size, 0);
  assert.equal(e.dbs[1]!.size, 2);
  assert.equal(e.dirty, d0 + 3);
  // Flushes reach WATCH through signalFlushedDb (as Valkey's touchAllWatchedKeysInDb), not as
  // one modification signal per key.
  assert.deepEqual(modified, []);
  fill(e, 3, 4);
  assert.deepEqual(await call(e, 'FLUSHALL', 'SYNC'), OK);
  for (const db of e.dbs) assert.equal(db.size, 0);
  assert.equal(e.dirty, d0 + 3 + 6 + 1);
  assert.deepEqual(await call(e, 'FLUSHALL'), OK);
  assert.deepEqual(await call(e, 'FLUSHDB'), OK);
  e.close();
});

test('SWAPDB: swaps contents, Valkey errors, index checks', async () => {
  const e = new Engine();
  fill(e, 0, 3, 'a');
  fill(e, 1, 1, 'b');
  e.dbs[0]!.setExpire('a0', Date.now() + 100000);
  const d0 = e.dirty;
  assertError(await call(e, 'SWAPDB', 'x', '1'), 'ERR invalid first DB index');
  assertError(await call(e, 'SWAPDB', '0', 'y'), 'ERR invalid second DB index');
  assertError(await call(e, 'SWAPDB', '0', '99999999999'), 'ERR invalid second DB index');
  assertError(await call(e, 'SWAPDB', '0', '16'), 'ERR DB index is out of range');
  assertError(await call(e, 'SWAPDB', '-1', '0'), 'ERR DB index is out of range');
  assertError(await call(e, 'SWAPDB', '0'), "ERR wrong number of arguments for 'swapdb' command");
  assert.deepEqual(await call(e, 'SWAPDB', '0', '1'), OK);
  assert.equal(e.dirty, d0 + 1);
  assert.equal(e.dbs[0]!.size, 1);
  assert.equal(e.dbs[1]!.size, 3);
  assert.ok(e.dbs[1]!.getExpire('a0') > 0);
  assert.equal(e.dbs[0]!.id, 0);
  assert.equal(await call(e, 'DBSIZE'), 1);
  assert.deepEqual(await call(e, 'SWAPDB', '3', '3'), OK);
  assert.equal(e.dirty, d0 + 1);
  e.close();
});

// ---- CONFIG -------------------------------------------------------------------------------------

test('CONFIG GET: exact names keep their spelling, globs, aliases, hidden parameters, duplicates', async () => {
  const e = new Engine();
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'maxmemory'), ['maxmemory', '0']);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'MAXMEMORY'), ['MAXMEMORY', '0']);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'maxmemory', 'MAXMEMORY'), ['maxmemory', '0']);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'nosuch'), []);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'hash-max-*'), [
    'hash-max-listpack-entries', '512', 'hash-max-ziplist-entries', '512',
    'hash-max-listpack-value', '64', 'hash-max-ziplist-value', '64',
  ]);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'HASH-MAX-LISTPACK-E*'), ['hash-max-listpack-entries', '512']);
  // Hidden parameters answer an exact name only.
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'watchdog-period'), ['watchdog-period', '0']);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', '*watchdog*'), []);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'slaveof'), ['slaveof', '']);
  assert.deepEqual(await call(e, 'CONFIG', 'GET', 'replicaof', '*replicaof*', 'slaveof'), ['replicaof', '', 'slaveof', '']);
  const all = (await call(e, 'CONFIG', 'GET', '*')) as string[];
  const names = all.filter((_, i) => i % 2 === 0);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes('replica-read-only') && names.includes('slave-read-only'));
  // RESP3: a map.
  const c3 = e.client();
  c3.setProtocol(3);
  assert.deepEqual(await c3.call('CONFIG', 'GET', 'timeout', 'databases'), new ReplyMap([['timeout', '0'], ['databases', '16']]));
  assertError(await call(e, 'CONFIG', 'GET'), "ERR wrong number of arguments for 'config|get' command");
  e.close();
});

test('CONFIG GET *: the Valkey 8 defaults', async () => {
  const e = new Engine();
  const all = (await call(e, 'CONFIG', 'GET', '*')) as string[];
  const m = new Map<string, string>();
  for (let i = 0; i < all.length; i += 2) m.set(all[i]!, all[i + 1]!);
  const expect: Record<string, string> = {
    databases: '16', hz: '10', maxmemory: '0', 'maxmemory-policy': 'noeviction', loglevel: 'notice',
    'lazyfree-lazy-user-flush': 'yes', 'lazyfree-lazy-eviction': 'yes', 'replica-lazy-flush': 'yes',
    save: '3600 1 300 100 60 10000', appendonly: 'no', dbfilename: 'dump.rdb', 'syslog-ident': 'valkey',
    'proto-max-bulk-len': '536870912', 'client-query-buffer-limit': '1073741824', 'list-max-listpack-size': '-2',
    'list-max-ziplist-size': '-2', 'set-max-listpack-entries': '128', 'zset-max-listpack-value': '64',
    'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    'notify-keyspace-events': '', 'enable-module-command': 'local', 'enable-debug-command': 'no',
    'slowlog-log-slower-than': '10000', 'slowlog-max-len': '128', 'latency-tracking-info-percentiles': '50 99 99.9',
    'unixsocketperm': '0', 'maxmemory-clients': '0', 'oom-score-adj-values': '0 200 800', bind: '127.0.0.1 -::1',
    port: '6379', 'shutdown-on-sigint': 'default', 'tls-auth-clients': 'yes', 'primaryauth': '', 'masterauth': '',
    dir: Buffer.from(process.cwd(), 'utf8').toString('latin1'),
  };
  for (const [k, v] of Object.entries(expect)) assert.equal(m.get(k), v, k);
  e.close();
});

test('CONFIG SET: Valkey error texts and the order checks happen in', async () => {
  const e = new Engine();
  const set = (...a: string[]) => call(e, 'CONFIG', 'SET', ...a);
  const failed = (arg: string, why: string) => `ERR CONFIG SET failed (possibly related to argument '${arg}') - ${why}`;
  assertError(await set('maxmemory'), "ERR wrong number of arguments for 'config|set' command");
  assertError(await set('maxmemory', '1', 'x'), 'ERR syntax error');
  assertError(await set('foo', 'bar'), "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  assertError(await set('foo', 'bar', 'daemonize', 'yes'), "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  assertError(await set('daemonize', 'yes', 'foo', 'bar'), failed('daemonize', "can't set immutable config"));
  assertError(await set('DATABASES', '3'), failed('DATABASES', "can't set immutable config"));
  assertError(await set('dir', '/tmp'), failed('dir', "can't set protected config"));
  assertError(await set('dbfilename', 'x.rdb'), failed('dbfilename', "can't set protected config"));
  assertError(await set('maxmemory', '1', 'MAXMEMORY', '2'), failed('MAXMEMORY', 'duplicate parameter'));
  assertError(await set('appendonly', 'maybe'), failed('appendonly', "argument must be 'yes' or 'no'"));
  assertError(await set('maxmemory', 'abc'), failed('maxmemory', 'argument must be a memory value'));
  assertError(await set('maxmemory', '-1'), failed('maxmemory', 'argument must be a memory value'));
  assertError(await set('maxmemory', '1x'), failed('maxmemory', 'argument must be a memory value'));
  assertError(await set('hash-max-listpack-entries', '-1'), failed('hash-max-listpack-entries', 'argument must be between 0 and 9223372036854775807 inclusive'));
  assertError(await set('timeout', 'x'), failed('timeout', "argument couldn't be parsed into an integer"));
  assertError(await set('timeout', '2147483648'), failed('timeout', 'argument must be between 0 and 2147483647 inclusive'));
  assertError(await set('maxclients', '-1'), failed('maxclients', 'argument must be between 1 and 4294967295 inclusive'));
  assertError(await set('maxmemory-samples', '100'), failed('maxmemory-samples', 'argument must be between 1 and 64 inclusive'));
  assertError(await set('proto-max-bulk-len', '100'), failed('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'));
  assertError(await set('slowlog-log-slower-than', '-2'), failed('slowlog-log-slower-than', 'argument must be between -1 and 9223372036854775807 inclusive'));
  assertError(await set('maxmemory-clients', '101%'), failed('maxmemory-clients', 'percentage argument must be less or equal to 100'));
  assertError(await set('maxmemory-clients', 'x'), failed('maxmemory-clients', 'argument must be a memory or percent value'));
  assertError(
    await set('loglevel', 'loud'),
    failed('loglevel', 'argument(s) must be one of the following: debug, verbose, notice, warning, nothing'),
  );
  assertError(
    await set('shutdown-on-sigint', 'save  now'),
    failed('shutdown-on-sigint', 'argument(s) must be one of the following: default, save, nosave, now, force'),
  );
  assertError(await set('shutdown-on-sigint', 'save nosave'), failed('shutdown-on-sigint', "shutdown options SAVE and NOSAVE can't be used simultaneously"));
  assertError(await set('notify-keyspace-events', 'Q'), failed('notify-keyspace-events', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
  assertError(await set('save', '1 2 3'), failed('save', 'Invalid save parameters'));
  assertError(await set('save', '0 1'), failed('save', 'Invalid save parameters'));
  assertError(await set('save', '1  2'), failed('save', 'Invalid save parameters'));
  assertError(await set('client-output-buffer-limit', 'normal 1 2'), failed('client-output-buffer-limit', 'Wrong number of arguments in buffer limit configuration.'));
  assertError(await set('client-output-buffer-limit', 'master 1 2 3'), failed('client-output-buffer-limit', 'Invalid client class specified in buffer limit configuration.'));
  assertError(await set('client-output-buffer-limit', 'normal x 2 3'), failed('client-output-buffer-limit', 'Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
  assertError(await set('oom-score-adj-values', '1 2'), failed('oom-score-adj-values', 'wrong number of arguments'));
  assertError(await set('oom-score-adj-values', '1 2 3000'), failed('oom-score-adj-values', 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'));
  assertError(await set('latency-tracking-info-percentiles', '101'), failed('latency-tracking-info-percentiles', 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'));
  assertError(await set('latency-tracking-info-percentiles', 'abc'), failed('latency-tracking-info-percentiles', 'Invalid latency-tracking-info-percentiles parameters'));
  assertError(await set('proc-title-template', '{nope}'), failed('proc-title-template', 'template format is invalid or contains unknown variables'));
  assertError(await set('proc-title-template', '{title}'), failed('proc-title-template', 'template format is invalid or contains unknown variables'));
  assertError(await set('cluster-announce-hostname', 'a_b'), failed('cluster-announce-hostname', 'Hostnames may only contain alphanumeric characters, hyphens or dots'));
  // An alias is reported under its own name when parsing fails.
  assertError(await set('slave-read-only', 'x'), failed('slave-read-only', "argument must be 'yes' or 'no'"));
  e.close();
});

test('CONFIG SET: several pairs are set atomically, aliases, units, enums, multi-argument values', async () => {
  const e = new Engine();
  const set = (...a: string[]) => call(e, 'CONFIG', 'SET', ...a);
  const get = async (n: string) => ((await call(e, 'CONFIG', 'GET', n)) as string[])[1];
  // One bad value: nothing changes.
  assert.ok((await set('maxmemory', '10mb', 'timeout', 'x')) instanceof ReplyError);
  assert.equal(await get('maxmemory'), '0');
  assert.deepEqual(await set('maxmemory', '10mb', 'timeout', '30', 'maxmemory-policy', 'ALLKEYS-LRU'), OK);
  assert.equal(await get('maxmemory'), '10485760');
  assert.equal(await get('timeout'), '30');
  assert.equal(await get('maxmemory-policy'), 'allkeys-lru');
  const units: [string, string][] = [['1k', '1000'], ['1KB', '1024'], ['2m', '2000000'], ['2mb', '2097152'], ['1g', '1000000000'], ['1Gb', '1073741824'], ['5b', '5'], ['', '0'], ['mb', '0'], ['18446744073709551615', '18446744073709551615']];
  for (const [v, want] of units) {
    assert.deepEqual(await set('maxmemory', v), OK, v);
    assert.equal(await get('maxmemory'), want, v);
  }
  // Aliases set the same parameter; both names read it; alias and name in one call both apply.
  assert.deepEqual(await set('slave-read-only', 'no'), OK);
  assert.equal(await get('replica-read-only'), 'no');
  assert.deepEqual(await set('slave-read-only', 'yes', 'replica-read-only', 'no'), OK);
  assert.equal(await get('slave-read-only'), 'no');
  assert.deepEqual(await set('hash-max-ziplist-entries', '64'), OK);
  assert.equal(await get('hash-max-listpack-entries'), '64');
  assert.equal(configOf(e).hashMaxListpackEntries, 64);
  // Enums with shared values answer their first name; bit-flag enums.
  assert.deepEqual(await set('oom-score-adj', 'relative'), OK);
  assert.equal(await get('oom-score-adj'), 'yes');
  assert.deepEqual(await set('shutdown-on-sigint', 'now save'), OK);
  assert.equal(await get('shutdown-on-sigint'), 'save now');
  assert.deepEqual(await set('shutdown-on-sigint', 'force NOSAVE'), OK);
  assert.equal(await get('shutdown-on-sigint'), 'nosave force');
  // Percentages, multi-argument specials.
  assert.deepEqual(await set('maxmemory-clients', '10%'), OK);
  assert.equal(await get('maxmemory-clients'), '10%');
  assert.deepEqual(await set('save', '+1 2'), OK);
  assert.equal(await get('save'), '1 2');
  assert.deepEqual(await set('save', ''), OK);
  assert.equal(await get('save'), '');
  assert.deepEqual(await set('client-output-buffer-limit', 'replica 1mb 2 3 PUBSUB 0 0 0'), OK);
  assert.equal(await get('client-output-buffer-limit'), 'normal 0 0 0 slave 1048576 2 3 pubsub 0 0 0');
  assert.deepEqual(await set('latency-tracking-info-percentiles', '50 99.99 1e1'), OK);
  assert.equal(await get('latency-tracking-info-percentiles'), '50 99.99 10');
  assert.deepEqual(await set('latency-tracking-info-percentiles', ''), OK);
  assert.equal(await get('latency-tracking-info-percentiles'), '');
  assert.deepEqual(await set('requirepass', 'secret'), OK);
  assert.equal(await get('requirepass'), 'secret');
  e.close();
});

test('CONFIG SET: parameters wired to the engine (hz, loglevel, notify-keyspace-events, slowlog)', async () => {
  const e = new Engine();
  const set = (...a: string[]) => call(e, 'CONFIG', 'SET', ...a);
  const get = async (n: string) => ((await call(e, 'CONFIG', 'GET', n)) as string[])[1];
  assert.deepEqual(await set('hz', '0'), OK);
  assert.equal(e.options.hz, 1);
  assert.equal(await get('hz'), '1');
  assert.deepEqual(await set('hz', '100000'), OK);
  assert.equal(await get('hz'), '500');
  assert.deepEqual(await set('hz', '10'), OK);
  assert.deepEqual(await set('loglevel', 'WARNING'), OK);
  assert.equal(e.logger.level, 3);
  assert.equal(await get('loglevel'), 'warning');
  assert.deepEqual(await set('loglevel', 'nothing'), OK);
  assert.equal(e.logger.level, 4);
  assert.deepEqual(await set('notify-keyspace-events', 'KEA'), OK);
  assert.equal(e.notifyFlags, NOTIFY_ALL | NOTIFY_KEYSPACE | NOTIFY_KEYEVENT);
  assert.equal(await get('notify-keyspace-events'), 'AKE');
  e.notifyFlags = NOTIFY_KEYEVENT;
  assert.equal(await get('notify-keyspace-events'), 'E');
  assert.deepEqual(await set('notify-keyspace-events', ''), OK);
  assert.equal(e.notifyFlags, 0);
  assert.deepEqual(await set('slowlog-log-slower-than', '-1', 'slowlog-max-len', '3'), OK);
  assert.equal(configOf(e).slowlogLogSlowerThan, -1);
  assert.equal(configOf(e).slowlogMaxLen, 3);
  assert.deepEqual(await set('latency-tracking', 'no'), OK);
  assert.equal(statsOf(e).latencyTracking, false);
  const changed: string[][] = [];
  configOf(e).onChange((names) => changed.push(names));
  await set('timeout', '5', 'slave-priority', '7');
  assert.deepEqual(changed, [['timeout', 'replica-priority']]);
  const modEngine = new Engine({ enableModuleCommand: 'yes', databases: 4, hz: 20 });
  assert.deepEqual(await modEngine.call('CONFIG', 'GET', 'enable-module-command'), ['enable-module-command', 'yes']);
  assert.deepEqual(await modEngine.call('CONFIG', 'GET', 'databases'), ['databases', '4']);
  assert.deepEqual(await modEngine.call('CONFIG', 'GET', 'hz'), ['hz', '20']);
  modEngine.close();
  e.close();
});

test('CONFIG SET: appendonly and dir are refused while loading; protected configs from the table', async () => {
  const e = new Engine();
  e.loading = true;
  assertError(await call(e, 'CONFIG', 'SET', 'appendonly', 'yes'), 'LOADING Valkey is loading the dataset in memory');
  e.loading = false;
  for (const p of CONFIG_TABLE) {
    // Every default must parse back to itself through CONFIG SET's parser.
    if (p.flags & 1 /* immutable */ || p.read) continue;
    const cur = configOf(e).get(p.name)!;
    const args = p.flags & (1 << 4) ? (cur === '' ? [''] : cur.split(' ')) : [cur];
    const r = p.parse(args, configOf(e));
    assert.equal(r.error, undefined, `${p.name} '${cur}': ${r.error}`);
    assert.equal(p.format(r.value), cur, p.name);
  }
  assert.equal(findConfig('SLAVEOF')?.name, 'replicaof');
  e.close();
});

test('CONFIG RESETSTAT, REWRITE, HELP and unknown subcommands', async () => {
  const e = new Engine();
  fill(e, 0, 1);
  e.dbs[0]!.get('k0');
  e.dbs[0]!.get('nokey');
  statsOf(e).errorReply('ERR x');
  statsOf(e).record(e.commands.get('ping')!, 10);
  assert.equal(e.stats.keyspace_hits, 1);
  assert.deepEqual(await call(e, 'CONFIG', 'RESETSTAT'), OK);
  assert.equal(e.stats.keyspace_hits, 0);
  assert.equal(e.stats.keyspace_misses, 0);
  assert.equal(statsOf(e).totalErrorReplies, 0);
  // Only CONFIG RESETSTAT itself, counted after it ran (as Valkey does).
  assert.equal(statsOf(e).totalCommands, 1);
  assert.match(infoText(e, ['commandstats']), /^# Commandstats\r\ncmdstat_config\|resetstat:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n$/);
  assertError(await call(e, 'CONFIG', 'REWRITE'), 'ERR The server is running without a config file');
  const help = (await call(e, 'CONFIG', 'HELP')) as SimpleString[];
  assert.equal(String(help[0]), 'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  assert.equal(String(help[help.length - 1]), '    Print this help.');
  assert.equal(help.length, 11);
  assertError(await call(e, 'CONFIG', 'FOO'), "ERR unknown subcommand 'FOO'. Try CONFIG HELP.");
  assertError(await call(e, 'CONFIG'), "ERR wrong number of arguments for 'config' command");
  e.close();
});

test('memtoull and string2ll follow Valkey', () => {
  assert.equal(memtoull('100'), 100n);
  assert.equal(memtoull('1kb'), 1024n);
  assert.equal(memtoull('1K'), 1000n);
  assert.equal(memtoull(''), 0n);
  assert.equal(memtoull('gb'), 0n);
  assert.equal(memtoull('-1'), undefined);
  assert.equal(memtoull('1 mb'), undefined);
  assert.equal(memtoull('1.5mb'), undefined);
  assert.equal(memtoull('17179869184gb'), undefined);
  assert.equal(string2ll('-9223372036854775808'), -9223372036854775808n);
  assert.equal(string2ll('9223372036854775808'), undefined);
  assert.equal(string2ll('01'), undefined);
  assert.equal(string2ll('+1'), undefined);
  assert.equal(string2ll('-0'), undefined);
});

// ---- INFO ---------------------------------------------------------------------------------------

test('INFO: default sections, all/everything, section names in any case, unknown sections', async () => {
  const e = new Engine();
  const titles = (t: string) => [...t.matchAll(/^# (\w+)\r$/gm)].map((m) => m[1]);
  const def = text(await call(e, 'INFO'));
  assert.deepEqual(titles(def), ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
  assert.deepEqual(titles(text(await call(e, 'INFO', 'default'))), titles(def));
  const all = text(await call(e, 'INFO', 'all'));
  assert.deepEqual(titles(all), ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace']);
  assert.deepEqual(titles(text(await call(e, 'INFO', 'everything'))), titles(all));
  assert.equal(text(await call(e, 'INFO', 'KEYSPACE')), '# Keyspace\r\n');
  assert.equal(text(await call(e, 'INFO', 'cluster', 'Cluster')), '# Cluster\r\ncluster_enabled:0\r\n');
  assert.equal(text(await call(e, 'INFO', 'cluster', 'keyspace')), '# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n');
  assert.equal(text(await call(e, 'INFO', 'nosuchsection')), '');
  assert.deepEqual(titles(text(await call(e, 'INFO', 'default', 'commandstats'))).slice(-4), ['Commandstats', 'Errorstats', 'Cluster', 'Keyspace']);
  assert.match(text(await call(e, 'INFO', 'debug')), /^# Debug\r\neventloop_duration_aof_sum:0\r\n/);
  // RESP3: a verbatim string; RESP2 a bulk string.
  const c3 = e.client();
  c3.setProtocol(3);
  const v = await c3.call('INFO', 'cluster');
  assert.ok(v instanceof VerbatimString);
  assert.equal(v.format, 'txt');
  assert.equal(typeof (await call(e, 'INFO', 'cluster')), 'string');
  e.close();
});

test('INFO server, clients, memory, persistence, stats, replication: Valkey field names in order', async () => {
  const e = new Engine();
  const fields = (section: string) =>
    text(infoText(e, [section]))
      .split('\r\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.slice(0, l.indexOf(':')));
  assert.deepEqual(fields('server').slice(0, 8), [
    'redis_version', 'server_name', 'valkey_version', 'valkey_release_stage', 'redis_git_sha1', 'redis_git_dirty', 'redis_build_id', 'server_mode',
  ]);
  assert.ok(fields('server').includes('run_id') && fields('server').includes('configured_hz'));
  const server = infoText(e, ['server']);
  assert.match(server, /\r\nredis_version:7\.2\.4\r\nserver_name:valkey\r\nvalkey_version:8\.1\.0\r\n/);
  assert.match(server, /\r\nrun_id:[0-9a-f]{40}\r\n/);
  assert.match(server, /\r\nhz:10\r\nconfigured_hz:10\r\n/);
  assert.deepEqual(fields('clients').slice(0, 3), ['connected_clients', 'cluster_connections', 'maxclients']);
  assert.ok(fields('memory').includes('maxmemory_policy'));
  assert.deepEqual(fields('replication').slice(0, 4), ['role', 'connected_slaves', 'replicas_waiting_psync', 'master_failover_state']);
  assert.deepEqual(fields('cpu'), ['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread', 'used_cpu_user_main_thread']);
  await call(e, 'CONFIG', 'SET', 'maxmemory', '1gb', 'maxmemory-policy', 'allkeys-lfu');
  const mem = infoText(e, ['memory']);
  assert.match(mem, /\r\nmaxmemory:1073741824\r\nmaxmemory_human:1\.00G\r\nmaxmemory_policy:allkeys-lfu\r\n/);
  e.dirty = 7;
  assert.match(infoText(e, ['persistence']), /\r\nrdb_changes_since_last_save:7\r\n/);
  fill(e, 0, 1);
  e.dbs[0]!.get('k0');
  e.dbs[0]!.get('none');
  const stats = infoText(e, ['stats']);
  assert.match(stats, /\r\nkeyspace_hits:1\r\nkeyspace_misses:1\r\n/);
  await call(e, 'CONFIG', 'SET', 'extended-redis-compatibility', 'yes');
  assert.match(infoText(e, ['server']), /\r\nredis_mode:standalone\r\n/);
  // The network server can override fields and add lines.
  setInfoProvider(e, (s) => (s === 'clients' ? { fields: { connected_clients: 42 } } : s === 'server' ? { extra: ['listener0:name=tcp,bind=*,port=1'] } : undefined));
  assert.match(infoText(e, ['clients']), /\r\nconnected_clients:42\r\n/);
  assert.match(infoText(e, ['server']), /\r\nlistener0:name=tcp,bind=\*,port=1\r\n$/);
  e.close();
});

test('INFO keyspace: one line per non-empty database with keys, expires and avg_ttl', async () => {
  const e = new Engine();
  fill(e, 0, 2);
  fill(e, 3, 1);
  e.dbs[3]!.setExpire('k0', Date.now() + 50_000);
  const t = text(await call(e, 'INFO', 'keyspace'));
  const m = /^# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\ndb3:keys=1,expires=1,avg_ttl=(\d+)\r\n$/.exec(t);
  assert.ok(m, t);
  assert.ok(Number(m[1]) > 40_000 && Number(m[1]) <= 50_000);
  e.close();
});

test('INFO commandstats, errorstats, latencystats from the engine statistics', async () => {
  const e = new Engine();
  const s = statsOf(e);
  const get = e.commands.get('get')!;
  const cfgGet = e.commands.get('config')!.subcommands!.get('get')!;
  s.record(get, 3);
  s.record(get, 5, true);
  s.rejected(get);
  s.record(cfgGet, 10);
  s.errorReply('WRONGTYPE Operation against a key holding the wrong kind of value');
  s.errorReply('ERR syntax error');
  s.errorReply('ERR x');
  s.errorReply('NOSPACE');
  const cs = infoText(e, ['commandstats']);
  assert.match(cs, /\r\ncmdstat_get:calls=2,usec=8,usec_per_call=4\.00,rejected_calls=1,failed_calls=1\r\n/);
  assert.match(cs, /\r\ncmdstat_config\|get:calls=1,usec=10,usec_per_call=10\.00,rejected_calls=0,failed_calls=0\r\n/);
  assert.equal(infoText(e, ['errorstats']), '# Errorstats\r\nerrorstat_ERR:count=3\r\nerrorstat_WRONGTYPE:count=1\r\n');
  assert.match(infoText(e, ['stats']), /\r\ntotal_commands_processed:3\r\n/);
  assert.match(infoText(e, ['stats']), /\r\ntotal_error_replies:4\r\n/);
  assert.match(infoText(e, ['latencystats']), /\r\nlatency_percentiles_usec_get:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
  await call(e, 'CONFIG', 'SET', 'latency-tracking', 'no');
  assert.equal(infoText(e, ['latencystats']), '# Latencystats\r\n');
  e.close();
});

test('CommandStats: error codes, the 128-code limit, reset', () => {
  const s = new CommandStats();
  for (let i = 0; i < 128; i++) s.errorReply(`E${i} x`);
  assert.equal(s.errorCounts().length, 128);
  s.errorReply('E0 again');
  assert.equal(s.errorCounts().find(([c]) => c === 'E0')![1], 2);
  s.errorReply('NEWCODE x');
  assert.deepEqual(s.errorCounts(), [['ERRORSTATS_DISABLED', 1]]);
  s.errorReply('MORE x');
  assert.deepEqual(s.errorCounts(), [['ERRORSTATS_DISABLED', 1]]);
  assert.equal(s.totalErrorReplies, 131);
  s.reset();
  s.errorReply('-LOADING busy');
  s.errorReply('nospace-in-the-first-thirty-two-bytes-of-this-message at all');
  assert.deepEqual(s.errorCounts(), [['ERR', 1], ['LOADING', 1]]);
});

test('CommandStat: latency percentiles within a few percent, cumulative power-of-two buckets', () => {
  const s = new CommandStats();
  const def = { name: 'x', fullname: 'x', arity: 1, flags: [], firstKey: 0, lastKey: 0, keyStep: 0 };
  for (let i = 1; i <= 100; i++) s.record(def, i);
  const st = s.peek(def)!;
  assert.ok(Math.abs(st.percentile(50) - 50) / 50 < 0.07, String(st.percentile(50)));
  assert.ok(Math.abs(st.percentile(99) - 99) / 99 < 0.07, String(st.percentile(99)));
  assert.deepEqual(st.cumulative(), [[1, 1], [2, 2], [4, 4], [8, 8], [16, 16], [32, 32], [64, 65], [128, 100]]);
  assert.equal(st.usec, 5050);
  assert.equal(s.totalCommands, 100);
});

test('ServerConfig.load: config-file style values, immutable parameters allowed', () => {
  const e = new Engine();
  const cfg = configOf(e);
  assert.equal(cfg.load('daemonize', ['yes']), undefined);
  assert.equal(cfg.get('daemonize'), 'yes');
  assert.equal(cfg.load('save', ['900 1 300 10']), undefined);
  assert.equal(cfg.get('save'), '900 1 300 10');
  assert.equal(cfg.load('slaveof', ['127.0.0.1', '6380']), undefined);
  assert.equal(cfg.get('replicaof'), '127.0.0.1 6380');
  assert.equal(cfg.load('maxmemory', ['1', '2']), 'wrong number of arguments');
  assert.equal(cfg.load('nosuch', ['1']), 'Bad directive or wrong number of arguments');
  assert.equal(cfg.load('maxmemory', ['x']), 'argument must be a memory value');
  const rows = [...cfg.entries()];
  assert.equal(rows.length, CONFIG_TABLE.length);
  assert.deepEqual(rows.find((r) => r.param.name === 'maxmemory')!.defaultValue, '0');
  e.close();
});

test('INFO modules lists loaded modules', async () => {
  const e = new Engine();
  e.loadModule(testModule('helloworld'));
  assert.match(infoText(e, ['modules']), /^# Modules\r\nmodule:name=helloworld,ver=1,api=1,filters=0,usedby=\[\],using=\[\],options=\[\]\r\n$/);
  e.close();
});

// ---- COMMAND ------------------------------------------------------------------------------------

test('COMMAND COUNT, LIST (FILTERBY), INFO and DOCS from the command table', async () => {
  const e = new Engine();
  assert.equal(await call(e, 'COMMAND', 'COUNT'), e.commands.size);
  const list = (await call(e, 'COMMAND', 'LIST')) as string[];
  assert.ok(list.includes('config|get') && list.includes('dbsize') && list.includes('command|info'));
  let total = 0;
  for (const d of e.commands.all()) total += 1 + (d.subcommands?.size ?? 0);
  assert.equal(list.length, total);
  assert.deepEqual(await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config*'), [
    'config', 'config|get', 'config|set', 'config|resetstat', 'config|rewrite', 'config|help',
  ]);
  const admin = (await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'ADMIN')) as string[];
  assert.ok(admin.includes('config|set') && admin.includes('debug') && !admin.includes('dbsize'));
  assert.deepEqual(await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'), []);
  assert.deepEqual(await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuch'), []);
  assertError(await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'NOPE', 'x'), 'ERR syntax error');
  assertError(await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'PATTERN'), 'ERR syntax error');
  assertError(await call(e, 'COMMAND', 'LIST', 'x'), 'ERR syntax error');
  assertError(await call(e, 'COMMAND', 'NOPE'), "ERR unknown subcommand 'NOPE'. Try COMMAND HELP.");

  assert.deepEqual(await call(e, 'COMMAND', 'INFO', 'config|get', 'nosuch', 'dbsize'), [
    ['config|get', -3, [new SimpleString('admin'), new SimpleString('noscript'), new SimpleString('loading'), new SimpleString('stale')], 0, 0, 0,
      [new SimpleString('@admin'), new SimpleString('@slow'), new SimpleString('@dangerous')], [], [], []],
    null,
    ['dbsize', 1, [new SimpleString('readonly'), new SimpleString('fast')], 0, 0, 0,
      [new SimpleString('@keyspace'), new SimpleString('@read'), new SimpleString('@fast')], ['request_policy:all_shards', 'response_policy:agg_sum'], [], []],
  ]);
  // A container: its subcommands as a nested array.
  const cfg = ((await call(e, 'COMMAND', 'INFO', 'CONFIG')) as Reply[][])[0]!;
  assert.equal(cfg[0], 'config');
  assert.equal(cfg[1], -2);
  assert.deepEqual(cfg[6], [new SimpleString('@slow')]);
  assert.deepEqual((cfg[9] as Reply[][]).map((s) => s[0]), ['config|get', 'config|set', 'config|resetstat', 'config|rewrite', 'config|help']);
  // RESP3: flags, categories, tips and key specs are sets; key specs maps.
  const c3 = e.client();
  c3.setProtocol(3);
  const mu = ((await c3.call('COMMAND', 'INFO', 'memory|usage')) as Reply[][])[0]!;
  assert.deepEqual(mu.slice(0, 6), ['memory|usage', -3, new ReplySet([new SimpleString('readonly')]), 2, 2, 1]);
  assert.deepEqual(mu[8], new ReplySet([
    new ReplyMap([
      ['flags', new ReplySet([new SimpleString('RO')])],
      ['begin_search', new ReplyMap([['type', 'index'], ['spec', new ReplyMap([['index', 2]])]])],
      ['find_keys', new ReplyMap([['type', 'range'], ['spec', new ReplyMap([['lastkey', 0], ['keystep', 1], ['limit', 0]])]])],
    ]),
  ]));

  const docs = (await c3.call('COMMAND', 'DOCS', 'config|set', 'nosuch')) as ReplyMap;
  assert.equal(docs.size, 1);
  const d = docs.get('config|set') as ReplyMap;
  assert.deepEqual([...d.keys()], ['summary', 'since', 'group', 'complexity', 'history', 'arguments']);
  assert.equal(d.get('group'), 'server');
  assert.deepEqual(d.get('history'), new ReplySet([['7.0.0', 'Added the ability to set multiple parameters in one call.']]));
  assert.deepEqual(d.get('arguments'), [
    new ReplyMap([
      ['name', 'data'], ['type', 'block'], ['flags', new ReplySet([new SimpleString('multiple')])],
      ['arguments', [
        new ReplyMap([['name', 'parameter'], ['type', 'string'], ['display_text', 'parameter']]),
        new ReplyMap([['name', 'value'], ['type', 'string'], ['display_text', 'value']]),
      ]],
    ]),
  ]);
  const cdocs = ((await c3.call('COMMAND', 'DOCS', 'config')) as ReplyMap).get('config') as ReplyMap;
  assert.deepEqual([...cdocs.keys()], ['summary', 'since', 'group', 'complexity', 'subcommands']);
  assert.deepEqual([...(cdocs.get('subcommands') as ReplyMap).keys()].sort(), ['config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set']);
  ensure(e, 'zadd');
  const zdocs = ((await c3.call('COMMAND', 'DOCS', 'zadd')) as ReplyMap).get('zadd') as ReplyMap;
  assert.equal(zdocs.get('group'), 'sorted-set');
  ensure(e, 'getset');
  const gdocs = ((await c3.call('COMMAND', 'DOCS', 'getset')) as ReplyMap).get('getset') as ReplyMap;
  assert.deepEqual(gdocs.get('doc_flags'), new ReplySet([new SimpleString('deprecated')]));
  assert.equal(gdocs.get('deprecated_since'), '6.2.0');
  assert.equal(gdocs.get('replaced_by'), '`SET` with the `!GET` argument');
  const all = (await c3.call('COMMAND', 'DOCS')) as ReplyMap;
  assert.equal(all.size, e.commands.size);
  const help = (await call(e, 'COMMAND', 'HELP')) as SimpleString[];
  assert.equal(String(help[1]), '(no subcommand)');
  e.close();
});

test('COMMAND with no subcommand describes every command (the container handler)', () => {
  const e = new Engine();
  const def = e.commands.get('command')!;
  assert.equal(typeof def.handler, 'function');
  const w = new ValueWriter(2);
  def.handler!({ engine: e, client: e.client(), args: ['COMMAND'], w });
  const all = w.take() as Reply[][];
  assert.equal(all.length, e.commands.size);
  assert.ok(all.some((c) => c[0] === 'dbsize'));
  e.close();
});

test('COMMAND INFO: legacy key ranges and movablekeys from the key specs', async () => {
  const e = new Engine();
  for (const n of ['set', 'bitfield', 'mset', 'zunionstore', 'migrate', 'blpop', 'sort', 'lmove', 'georadius']) ensure(e, n);
  const info = async (n: string) => ((await call(e, 'COMMAND', 'INFO', n)) as Reply[][])[0]!;
  const flags = (r: Reply[]) => (r[2] as SimpleString[]).map(String);
  // A getkeys procedure alone is no movablekeys (SET, BITFIELD); keyword/keynum/unknown specs are.
  assert.deepEqual(flags(await info('set')), ['write', 'denyoom']);
  assert.deepEqual(flags(await info('bitfield')), ['write', 'denyoom']);
  assert.deepEqual((await info('mset')).slice(3, 6), [1, -1, 2]);
  assert.deepEqual((await info('blpop')).slice(3, 6), [1, -2, 1]);
  assert.deepEqual((await info('lmove')).slice(3, 6), [1, 2, 1]);
  assert.ok(flags(await info('zunionstore')).includes('movablekeys'));
  assert.deepEqual((await info('zunionstore')).slice(3, 6), [1, 1, 1]);
  assert.ok(flags(await info('migrate')).includes('movablekeys'));
  assert.ok(flags(await info('sort')).includes('movablekeys'));
  assert.ok(flags(await info('georadius')).includes('movablekeys'));
  e.close();
});

test('COMMAND GETKEYS and GETKEYSANDFLAGS: key specs, getkeys procedures and errors', async () => {
  const e = new Engine();
  for (const n of allSpecNames()) if (!n.includes('|') && specOf(n)!.group !== 'sentinel') ensure(e, n);
  const gk = (...a: string[]) => call(e, 'COMMAND', 'GETKEYS', ...a);
  const gkf = (...a: string[]) => call(e, 'COMMAND', 'GETKEYSANDFLAGS', ...a);
  const f = (...names: string[]) => names.map((n) => new SimpleString(n));
  assert.deepEqual(await gk('SET', 'k', 'v'), ['k']);
  assert.deepEqual(await gkf('SET', 'k', 'v'), [['k', f('OW', 'update')]]);
  assert.deepEqual(await gkf('SET', 'k', 'v', 'get'), [['k', f('RW', 'access', 'update')]]);
  assert.deepEqual(await gk('MSET', 'a', '1', 'b', '2'), ['a', 'b']);
  assert.deepEqual(await gkf('LMOVE', 'a', 'b', 'LEFT', 'RIGHT'), [['a', f('RW', 'access', 'delete')], ['b', f('RW', 'insert')]]);
  assert.deepEqual(await gk('ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'), ['d', 'a', 'b']);
  assert.deepEqual(await gk('EVAL', 'return 1', '2', 'a', 'b', 'c'), ['a', 'b']);
  assert.deepEqual(await gkf('SORT', 'k', 'LIMIT', '0', '1', 'GET', '#', 'STORE', 'd', 'STORE', 'e'), [['k', f('RO', 'access')], ['e', f('OW', 'update')]]);
  assert.deepEqual(await gk('MIGRATE', 'h', '1', '', '0', '10', 'AUTH', 'p', 'KEYS', 'a', 'b'), ['a', 'b']);
  assert.deepEqual(await gk('XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0'), ['a', 'b']);
  assert.deepEqual(await gk('GEORADIUS', 'k', '1', '2', '3', 'm', 'STORE', 'd'), ['k', 'd']);
  assert.deepEqual(await gkf('BITFIELD', 'k', 'GET', 'u8', '0'), [['k', f('RO', 'access')]]);
  assert.deepEqual(await gk('MEMORY', 'USAGE', 'k'), ['k']);
  assert.deepEqual(await gk('SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'), ['a', 'b']);
  assertError(await gk('NOPE', 'a'), 'ERR Invalid command specified');
  assertError(await gk('CONFIG', 'FOO', 'x'), 'ERR Invalid command specified');
  assertError(await gk('PING'), 'ERR The command has no key arguments');
  assertError(await gk('CONFIG', 'GET', 'x'), 'ERR The command has no key arguments');
  assertError(await gk('GET'), 'ERR Invalid number of arguments specified for command');
  assertError(await gk('GET', 'a', 'b'), 'ERR Invalid number of arguments specified for command');
  assert.deepEqual(await gk('MSET', 'a', '1', 'b'), ['a', 'b']);
  assertError(await gk('ZUNIONSTORE', 'd', '0', 'a'), 'ERR Invalid arguments specified for command');
  assertError(await gk('ZUNIONSTORE', 'd', '3', 'a'), 'ERR Invalid arguments specified for command');
  // An odd count after STREAMS: the key spec still yields the first half.
  assert.deepEqual(await gk('XREAD', 'STREAMS', 'a', 'b', '0'), ['a']);
  assertError(await call(e, 'COMMAND', 'GETKEYS'), "ERR wrong number of arguments for 'command|getkeys' command");
  e.close();
});

test('COMMAND describes module commands: INFO, DOCS, GETKEYS and LIST FILTERBY MODULE', async () => {
  const e = new Engine();
  e.loadModule(testModule('commands'));
  const c3 = e.client();
  c3.setProtocol(3);
  const info = ((await c3.call('COMMAND', 'INFO', 'cmds.info')) as Reply[][])[0]!;
  assert.equal(info[0], 'cmds.info');
  assert.equal(info[1], -2);
  assert.deepEqual(info[2], new ReplySet(['readonly', 'module', 'movablekeys'].map((f) => new SimpleString(f))));
  assert.deepEqual(info.slice(3, 6), [1, 1, 1]);
  assert.deepEqual(info[7], new ReplySet(['nondeterministic_output', 'request_policy:all_shards']));
  const specs = [...(info[8] as ReplySet)] as ReplyMap[];
  assert.equal(specs.length, 3);
  assert.deepEqual([...specs[0]!.keys()], ['notes', 'flags', 'begin_search', 'find_keys']);
  assert.equal(specs[0]!.get('notes'), 'the source key');
  assert.deepEqual(specs[2]!.get('begin_search'), new ReplyMap([['type', 'keyword'], ['spec', new ReplyMap([['keyword', 'KEYS'], ['startfrom', -1]])]]));
  assert.deepEqual(specs[2]!.get('find_keys'), new ReplyMap([['type', 'keynum'], ['spec', new ReplyMap([['keynumidx', 0], ['firstkey', 1], ['keystep', 1]])]]));
  const docs = ((await c3.call('COMMAND', 'DOCS', 'cmds.info')) as ReplyMap).get('cmds.info') as ReplyMap;
  assert.deepEqual([...docs.keys()], ['summary', 'since', 'group', 'complexity', 'module', 'history', 'arguments']);
  assert.equal(docs.get('group'), 'module');
  assert.equal(docs.get('module'), 'commands');
  const args = docs.get('arguments') as ReplyMap[];
  assert.deepEqual([...args[0]!.keys()], ['name', 'type', 'display_text', 'key_spec_index', 'summary']);
  assert.deepEqual([...args[3]!.keys()], ['name', 'type', 'token', 'since', 'flags', 'arguments']);
  const cont = ((await c3.call('COMMAND', 'INFO', 'cmds.container')) as Reply[][])[0]!;
  assert.deepEqual((cont[9] as Reply[][]).map((s) => s[0]).sort(), ['cmds.container|SUB2', 'cmds.container|sub1']);
  assert.deepEqual(await call(e, 'COMMAND', 'GETKEYS', 'cmds.info', 'k1', 'STORE', 'k2', 'KEYS', '2', 'k3', 'k4'), ['k1', 'k2', 'k3', 'k4']);
  assert.deepEqual(await call(e, 'COMMAND', 'GETKEYSANDFLAGS', 'cmds.legacy', 'a', '1', 'b', '2'), [
    ['a', ['RW', 'access', 'update'].map((x) => new SimpleString(x))],
    ['b', ['RW', 'access', 'update'].map((x) => new SimpleString(x))],
  ]);
  assertError(await call(e, 'COMMAND', 'GETKEYS', 'cmds.name'), 'ERR The command has no key arguments');
  const mine = (await call(e, 'COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'commands')) as string[];
  assert.ok(mine.includes('cmds.info') && mine.includes('cmds.container|sub1'));
  assert.ok(mine.every((n) => n.toLowerCase().startsWith('cmds.')));
  e.close();
});

// ---- DEBUG --------------------------------------------------------------------------------------

test('DEBUG: SLEEP, SET-ACTIVE-EXPIRE, OBJECT, CHANGE-REPL-ID, POPULATE, PROTOCOL, errors', async () => {
  const e = new Engine();
  const t0 = Date.now();
  assert.deepEqual(await call(e, 'DEBUG', 'SLEEP', '0.05'), OK);
  assert.ok(Date.now() - t0 >= 45);
  assert.deepEqual(await call(e, 'DEBUG', 'SLEEP', 'x'), OK);
  assert.deepEqual(await call(e, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'), OK);
  assert.equal(e.activeExpireEnabled, false);
  assert.deepEqual(await call(e, 'DEBUG', 'set-active-expire', '1'), OK);
  assert.equal(e.activeExpireEnabled, true);
  e.dbs[0]!.set('foo', 'bar');
  e.dbs[0]!.set('n', '12345');
  e.dbs[0]!.set('big', 'x'.repeat(100));
  const obj = String(await call(e, 'DEBUG', 'OBJECT', 'foo'));
  assert.match(obj, /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:4 lru:\d+ lru_seconds_idle:\d+$/);
  assert.match(String(await call(e, 'DEBUG', 'OBJECT', 'n')), / encoding:int serializedlength:3 /);
  assert.match(String(await call(e, 'DEBUG', 'OBJECT', 'big')), / encoding:raw serializedlength:102 /);
  assertError(await call(e, 'DEBUG', 'OBJECT', 'nokey'), 'ERR no such key');
  const before = /master_replid:(\w+)/.exec(infoText(e, ['replication']))![1];
  assert.deepEqual(await call(e, 'DEBUG', 'CHANGE-REPL-ID'), OK);
  const after = /master_replid:(\w+)/.exec(infoText(e, ['replication']))![1];
  assert.notEqual(after, before);
  assert.deepEqual(await call(e, 'DEBUG', 'POPULATE', '3'), OK);
  assert.equal(e.dbs[0]!.get('key:2'), 'value:2');
  assert.deepEqual(await call(e, 'DEBUG', 'POPULATE', '2', 'p', '10'), OK);
  assert.equal(e.dbs[0]!.get('p:1'), 'value:1\0\0\0');
  assert.deepEqual(await call(e, 'DEBUG', 'POPULATE', '1', 'p', '3'), OK);
  assertError(await call(e, 'DEBUG', 'POPULATE', '-1'), 'ERR value is out of range, must be positive');
  assertError(await call(e, 'DEBUG', 'ERROR', 'MYERR boom'), 'MYERR boom');
  assert.equal(await call(e, 'DEBUG', 'PROTOCOL', 'integer'), 12345);
  assertError(await call(e, 'DEBUG', 'JMAP'), "ERR unknown subcommand or wrong number of arguments for 'JMAP'. Try DEBUG HELP.");
  assertError(await call(e, 'DEBUG', 'sleep'), "ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.");
  assertError(await call(e, 'DEBUG'), "ERR wrong number of arguments for 'debug' command");
  const help = (await call(e, 'DEBUG', 'HELP')) as SimpleString[];
  assert.equal(String(help[0]), 'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  e.close();
});

// ---- FUNCTION -----------------------------------------------------------------------------------

test('FUNCTION: an engine without functions', async () => {
  const e = new Engine();
  assert.deepEqual(await call(e, 'FUNCTION', 'LIST'), []);
  assert.deepEqual(await call(e, 'FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'x*'), []);
  assertError(await call(e, 'FUNCTION', 'LIST', 'LIBRARYNAME'), 'ERR library name argument was not given');
  assertError(await call(e, 'FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'), 'ERR Unknown argument WITHCODE');
  assert.deepEqual(await call(e, 'FUNCTION', 'FLUSH'), OK);
  assert.deepEqual(await call(e, 'FUNCTION', 'FLUSH', 'async'), OK);
  assertError(await call(e, 'FUNCTION', 'FLUSH', 'x'), 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  assertError(await call(e, 'FUNCTION', 'FLUSH', 'SYNC', 'x'), "ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.");
  assertError(await call(e, 'FUNCTION', 'DELETE', 'lib'), 'ERR Library not found');
  assertError(await call(e, 'FUNCTION', 'KILL'), 'NOTBUSY No scripts in execution right now.');
  assertError(await call(e, 'FUNCTION', 'LOAD', 'return 1'), 'ERR Missing library metadata');
  assertError(await call(e, 'FUNCTION', 'LOAD', '#!lua name=x'), 'ERR Invalid library metadata');
  assertError(await call(e, 'FUNCTION', 'LOAD', '#!lua\nreturn 1'), 'ERR Library name was not given');
  assertError(await call(e, 'FUNCTION', 'LOAD', '#!lua name=a foo=b\nx'), 'ERR Invalid metadata value given: foo=b');
  assertError(await call(e, 'FUNCTION', 'LOAD', 'REPLACE', '#!lua name=x\nreturn 1'), "ERR Engine 'lua' not found");
  const c = e.client({ buffers: true });
  const dump = (await c.call('FUNCTION', 'DUMP')) as Buffer;
  assert.equal(dump.toString('hex'), '0b00' + Buffer.from(crc64(Buffer.from([11, 0])).toString(16).padStart(16, '0'), 'hex').reverse().toString('hex'));
  assert.deepEqual(await c.call('FUNCTION', 'RESTORE', dump), OK);
  assert.deepEqual(await c.call('FUNCTION', 'RESTORE', dump, 'REPLACE'), OK);
  assertError(await call(e, 'FUNCTION', 'RESTORE', 'xxxxxxxxxxxx'), 'ERR DUMP payload version or checksum are wrong');
  assertError(await call(e, 'FUNCTION', 'RESTORE', 'x', 'BAD'), 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  const c3 = e.client();
  c3.setProtocol(3);
  assert.deepEqual(await c3.call('FUNCTION', 'STATS'), new ReplyMap([
    ['running_script', null],
    ['engines', new ReplyMap([['LUA', new ReplyMap([['libraries_count', 0], ['functions_count', 0]])]])],
  ]));
  e.close();
});

test('crc64 is Valkey\'s (Jones, reflected)', () => {
  assert.equal(crc64(Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
});

// ---- SLOWLOG and LATENCY ------------------------------------------------------------------------

test('SLOWLOG: entries recorded by the engine, GET/LEN/RESET, limits and redaction', async () => {
  const e = new Engine();
  const log = slowlogOf(e);
  const c = e.client();
  c.name = 'worker';
  log.record(c, ['GET', 'k'], 20000);
  log.record(c, ['GET', 'fast'], 10);
  log.record(c, ['CONFIG', 'SET', 'requirepass', 'secret', 'timeout', '5'], 50000);
  assert.equal(await call(e, 'SLOWLOG', 'LEN'), 2);
  const entries = (await call(e, 'SLOWLOG', 'GET')) as Reply[][];
  assert.equal(entries.length, 2);
  const [id, ts, dur, args, peer, name] = entries[0]!;
  assert.equal(id, 1);
  assert.ok(Math.abs((ts as number) - Date.now() / 1000) < 5);
  assert.equal(dur, 50000);
  assert.deepEqual(args, ['CONFIG', 'SET', 'requirepass', '(redacted)', 'timeout', '5']);
  assert.equal(peer, '');
  assert.equal(name, 'worker');
  assert.deepEqual(entries[1]!.slice(2, 4), [20000, ['GET', 'k']]);
  assert.deepEqual(((await call(e, 'SLOWLOG', 'GET', '1')) as Reply[]).length, 1);
  assert.deepEqual(((await call(e, 'SLOWLOG', 'GET', '-1')) as Reply[]).length, 2);
  assert.deepEqual(await call(e, 'SLOWLOG', 'GET', '0'), []);
  assertError(await call(e, 'SLOWLOG', 'GET', '-2'), 'ERR count should be greater than or equal to -1');
  assertError(await call(e, 'SLOWLOG', 'GET', 'x'), 'ERR count should be greater than or equal to -1');
  assertError(await call(e, 'SLOWLOG', 'GET', '1', '2'), "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.");
  // Threshold and length come from the config table; CONFIG SET trims at once.
  assert.deepEqual(await call(e, 'CONFIG', 'SET', 'slowlog-max-len', '1'), OK);
  assert.equal(log.entries.length, 1);
  assert.equal(log.entries[0]!.id, 1);
  assert.equal(configOf(e).set([['slowlog-log-slower-than', '-1']]), undefined);
  log.record(c, ['GET', 'k'], 1e9);
  assert.equal(log.entries[0]!.id, 1, 'disabled with -1');
  assert.equal(configOf(e).set([['slowlog-log-slower-than', '0'], ['slowlog-max-len', '10']]), undefined);
  log.record(c, ['GET', 'k'], 0);
  assert.equal(log.entries.length, 2);
  ensure(e, 'exec');
  log.record(c, ['EXEC'], 1e6);
  assert.equal(log.entries.length, 2, 'skip_slowlog commands are not logged');
  // Commands run through the engine are logged after they ran (the threshold is 0 now).
  await call(e, 'DBSIZE');
  assert.deepEqual(log.entries[0]!.args, ['DBSIZE']);
  assert.deepEqual(await call(e, 'SLOWLOG', 'RESET'), OK);
  assert.deepEqual(log.entries.map((x) => x.args[0]), ['SLOWLOG']);
  assert.equal(configOf(e).set([['slowlog-max-len', '0']]), undefined);
  log.record(c, ['GET', 'k'], 1e6);
  assert.equal(log.entries.length, 1, 'slowlog-max-len 0 logs nothing');
  // Arguments: at most 32, each at most 128 bytes.
  const many = ['DEL', ...Array.from({ length: 40 }, (_, i) => `k${i}`)];
  const kept = slowlogArgs(e, many);
  assert.equal(kept.length, 32);
  assert.equal(kept[31], '... (10 more arguments)');
  assert.equal(slowlogArgs(e, ['SET', 'k', 'x'.repeat(130)])[2], `${'x'.repeat(128)}... (2 more bytes)`);
  assert.deepEqual(slowlogArgs(e, ['AUTH', 'user', 'pw']), ['AUTH', '(redacted)', '(redacted)']);
  assert.deepEqual(slowlogArgs(e, ['HELLO', '3', 'AUTH', 'u', 'p']), ['HELLO', '3', 'AUTH', '(redacted)', '(redacted)']);
  const help = (await call(e, 'SLOWLOG', 'HELP')) as SimpleString[];
  assert.equal(String(help[1]), 'GET [<count>]');
  e.close();
});

test('LATENCY: samples from slow commands, LATEST/HISTORY/RESET/GRAPH/DOCTOR, HISTOGRAM', async () => {
  const e = new Engine();
  const c = e.client();
  assert.deepEqual(await call(e, 'LATENCY', 'LATEST'), []);
  assert.match(text(await call(e, 'LATENCY', 'DOCTOR')), /Latency monitoring is disabled/);
  await call(e, 'CONFIG', 'SET', 'latency-monitor-threshold', '5');
  slowlogOf(e).record(c, ['DEBUG', 'SLEEP', '1'], 7000);
  slowlogOf(e).record(c, ['DBSIZE'], 9000);
  slowlogOf(e).record(c, ['DBSIZE'], 100);
  const latest = (await call(e, 'LATENCY', 'LATEST')) as Reply[][];
  assert.deepEqual(latest.map((r) => [r[0], r[2], r[3]]), [['command', 7, 7], ['fast-command', 9, 9]]);
  const hist = (await call(e, 'LATENCY', 'HISTORY', 'command')) as number[][];
  assert.equal(hist.length, 1);
  assert.equal(hist[0]![1], 7);
  assert.deepEqual(await call(e, 'LATENCY', 'HISTORY', 'nosuch'), []);
  assert.match(text(await call(e, 'LATENCY', 'GRAPH', 'command')), /^command - high 7 ms/);
  assertError(await call(e, 'LATENCY', 'GRAPH', 'nosuch'), "ERR No samples available for event 'nosuch'");
  assert.match(text(await call(e, 'LATENCY', 'DOCTOR')), /latency spikes/);
  assert.equal(await call(e, 'LATENCY', 'RESET', 'command', 'nosuch'), 1);
  assert.equal(await call(e, 'LATENCY', 'RESET'), 1);
  assert.deepEqual(await call(e, 'LATENCY', 'LATEST'), []);
  // HISTOGRAM from the command statistics.
  const s = statsOf(e);
  s.record(e.commands.get('dbsize')!, 0.5);
  s.record(e.commands.get('dbsize')!, 3);
  s.record(e.commands.get('config')!.subcommands!.get('get')!, 1);
  const c3 = e.client();
  c3.setProtocol(3);
  assert.deepEqual(await c3.call('LATENCY', 'HISTOGRAM', 'dbsize', 'nosuch'), new ReplyMap([
    ['dbsize', new ReplyMap([['calls', 2], ['histogram_usec', new ReplyMap([[1, 1], [4, 2]])]])],
  ]));
  // A container name answers for its subcommands (CONFIG SET above ran through the engine).
  const byContainer = (await c3.call('LATENCY', 'HISTOGRAM', 'config')) as ReplyMap;
  assert.deepEqual([...byContainer.keys()].sort(), ['config|get', 'config|set']);
  const everything = (await c3.call('LATENCY', 'HISTOGRAM')) as ReplyMap;
  assert.ok(everything.has('dbsize') && everything.has('latency|histogram'));
  e.close();
});

// ---- MEMORY -------------------------------------------------------------------------------------

test('MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP', async () => {
  const e = new Engine();
  assert.equal(await call(e, 'MEMORY', 'USAGE', 'nokey'), null);
  e.dbs[0]!.set('foo', 'bar');
  assert.equal(await call(e, 'MEMORY', 'USAGE', 'foo'), 64);
  assert.equal(await call(e, 'MEMORY', 'USAGE', 'foo', 'SAMPLES', '0'), 64);
  e.dbs[0]!.set('big', 'x'.repeat(1000));
  assert.ok(((await call(e, 'MEMORY', 'USAGE', 'big')) as number) > 1000);
  assertError(await call(e, 'MEMORY', 'USAGE', 'foo', 'SAMPLES', 'x'), 'ERR value is not an integer or out of range');
  assertError(await call(e, 'MEMORY', 'USAGE', 'foo', 'SAMPLES', '-1'), 'ERR syntax error');
  assertError(await call(e, 'MEMORY', 'USAGE', 'foo', 'SAMPLES'), 'ERR syntax error');
  assertError(await call(e, 'MEMORY', 'USAGE', 'foo', 'BAR', '1'), 'ERR syntax error');
  const c3 = e.client();
  c3.setProtocol(3);
  const stats = (await c3.call('MEMORY', 'STATS')) as ReplyMap;
  assert.equal(stats.get('keys.count'), 2);
  assert.ok(stats.has('peak.allocated') && stats.has('db.0') && stats.has('fragmentation'));
  assert.match(text(await call(e, 'MEMORY', 'DOCTOR')), /^Hi Sam, I can't find any memory issue/);
  await call(e, 'FLUSHALL');
  assert.match(text(await call(e, 'MEMORY', 'DOCTOR')), /^Hi Sam, this instance is empty/);
  assert.deepEqual(await call(e, 'MEMORY', 'PURGE'), OK);
  assert.match(text(await call(e, 'MEMORY', 'MALLOC-STATS')), /not supported/);
  const help = (await call(e, 'MEMORY', 'HELP')) as SimpleString[];
  assert.equal(String(help[9]), 'USAGE <key> [SAMPLES <count>]');
  assert.equal(mallocSize(23), 32);
  assert.equal(mallocSize(8), 8);
  assert.equal(mallocSize(129), 160);
  assert.equal(bytesToHuman(1023), '1023B');
  assert.equal(bytesToHuman(1536), '1.50K');
  assert.equal(bytesToHuman(1073741824), '1.00G');
  e.close();
});

// ---- Differential -------------------------------------------------------------------------------

/** Parameters Redis 7.0 and Valkey 8 share with the same default and parsing rules. */
const SHARED_PARAMS = [
  'maxmemory', 'maxmemory-policy', 'timeout', 'tcp-keepalive', 'databases', 'hz', 'hash-max-listpack-entries',
  'hash-max-ziplist-entries', 'hash-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value',
  'list-max-listpack-size', 'list-compress-depth', 'set-max-intset-entries', 'stream-node-max-bytes',
  'stream-node-max-entries', 'hll-sparse-max-bytes', 'slowlog-log-slower-than', 'slowlog-max-len',
  'latency-monitor-threshold', 'notify-keyspace-events', 'proto-max-bulk-len', 'client-query-buffer-limit',
  'activerehashing', 'lfu-log-factor', 'lfu-decay-time', 'active-expire-effort', 'maxclients', 'appendfsync',
  'client-output-buffer-limit', 'latency-tracking-info-percentiles', 'oom-score-adj-values', 'repl-backlog-size',
  'replica-read-only', 'slave-read-only', 'masterauth', 'requirepass', 'dbfilename', 'maxmemory-clients',
  'shutdown-on-sigint', 'tracking-table-max-keys', 'busy-reply-threshold', 'lua-time-limit',
];

/** CONFIG SET back to the defaults (ends each sequence: the oracle's config persists). */
const RESTORE: string[][] = [
  ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'timeout', '0', 'hz', '10'],
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'list-max-listpack-size', '-2', 'slowlog-log-slower-than', '10000', 'slowlog-max-len', '128'],
  ['CONFIG', 'SET', 'notify-keyspace-events', '', 'activerehashing', 'yes', 'maxmemory-clients', '0', 'shutdown-on-sigint', 'default'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
  ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9', 'lfu-log-factor', '10', 'replica-read-only', 'yes'],
];

const haveSet = new Engine().commands.has('set');

test('differential: CONFIG GET of shared parameters, globs and CONFIG SET', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'GET', 'MAXMEMORY'],
      ['CONFIG', 'GET', 'maxmemory', 'MAXMEMORY'],
      ['CONFIG', 'GET', 'nosuch'],
      ['CONFIG', 'GET', 'hash-max-*'],
      ['CONFIG', 'GET', 'ZSET-*'],
      ['CONFIG', 'GET', 'maxmemory*'],
      ['CONFIG', 'GET', '*slowlog*', 'slowlog-max-len', 'timeout'],
      ['CONFIG', 'GET', 'list-*', 'hll*', 'stream-node-*'],
      ['CONFIG', 'GET', 'slave-read-only', 'replica-read-only'],
      ...SHARED_PARAMS.map((p) => ['CONFIG', 'GET', p]),
      ['CONFIG', 'GET'],
    ], { unordered: ['CONFIG'] });
    await d.check([
      ['CONFIG', 'SET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '1', 'x'],
      ['CONFIG', 'SET', 'foo', 'bar'],
      ['CONFIG', 'SET', 'foo', 'bar', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'daemonize', 'yes', 'foo', 'bar'],
      ['CONFIG', 'SET', 'databases', '3'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'maxmemory', '1', 'MAXMEMORY', '2'],
      ['CONFIG', 'SET', 'appendonly', 'maybe'],
      ['CONFIG', 'SET', 'maxmemory', 'abc'],
      ['CONFIG', 'SET', 'maxmemory', '-1'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '-1'],
      ['CONFIG', 'SET', 'timeout', 'x'],
      ['CONFIG', 'SET', 'timeout', '2147483648'],
      ['CONFIG', 'SET', 'maxclients', '-1'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '100'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '-2'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'bogus'],
      ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
      ['CONFIG', 'SET', 'maxmemory-clients', 'x'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Q'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'save nosave'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'save  now'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3'],
      ['CONFIG', 'SET', 'oom-score-adj-values', '1 2 3000'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '101'],
      ['CONFIG', 'SET', 'slave-read-only', 'x'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'timeout', 'x'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'timeout', '30', 'maxmemory-policy', 'ALLKEYS-LRU'],
      ['CONFIG', 'GET', 'maxmemory', 'timeout', 'maxmemory-policy'],
      ['CONFIG', 'SET', 'maxmemory', '1KB'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '2g'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '18446744073709551615'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', ''],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'hz', '0'],
      ['CONFIG', 'GET', 'hz'],
      ['CONFIG', 'SET', 'hz', '100000'],
      ['CONFIG', 'GET', 'hz'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'gxK$m'],
      ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'slave-read-only', 'yes', 'replica-read-only', 'no'],
      ['CONFIG', 'GET', 'replica-read-only'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', '64'],
      ['CONFIG', 'GET', 'hash-max-listpack-entries'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'now save'],
      ['CONFIG', 'GET', 'shutdown-on-sigint'],
      ['CONFIG', 'SET', 'maxmemory-clients', '5%'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1mb 2 3 PUBSUB 0 0 0'],
      ['CONFIG', 'GET', 'client-output-buffer-limit'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.99 1e1'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-5'],
      ['CONFIG', 'GET', 'list-max-ziplist-size'],
      ['CONFIG', 'FOO'],
      ['CONFIG'],
      ...RESTORE,
    ], { unordered: ['CONFIG'] });
    await d.check([['CONFIG', 'HELP'], ['CONFIG', 'help']]);
  } finally {
    d.stop();
  }
});

test('differential: DBSIZE, FLUSHDB/FLUSHALL and SWAPDB sequences, INFO keyspace', { skip: skip || (!haveSet && 'SET is not implemented yet') }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['DBSIZE'],
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['DBSIZE'],
      ['INFO', 'keyspace'],
      ['INFO', 'KEYSPACE', 'cluster'],
      ['SELECT', '3'],
      ['SET', 'c', '3'],
      ['DBSIZE'],
      ['INFO', 'keyspace'],
      ['SWAPDB', '0', '3'],
      ['DBSIZE'],
      ['GET', 'a'],
      ['INFO', 'keyspace'],
      ['SWAPDB', 'x', '1'],
      ['SWAPDB', '0', 'y'],
      ['SWAPDB', '0', '99999999999'],
      ['SWAPDB', '0', '16'],
      ['SWAPDB', '-1', '0'],
      ['SWAPDB', '0'],
      ['SWAPDB', '5', '5'],
      ['FLUSHDB', 'x'],
      ['FLUSHDB', 'sync', 'x'],
      ['FLUSHDB', 'ASYNC'],
      ['DBSIZE'],
      ['INFO', 'keyspace'],
      ['SELECT', '0'],
      ['DBSIZE'],
      ['FLUSHALL', 'foo'],
      ['FLUSHALL', 'SYNC'],
      ['DBSIZE'],
      ['INFO', 'keyspace'],
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['INFO', 'nosuchsection'],
      ['INFO', 'cluster', 'Cluster'],
      ['DBSIZE', 'x'],
      ['TIME', 'x'],
      ['LASTSAVE', 'x'],
    ]);
  } finally {
    d.stop();
  }
});

/** Commands whose COMMAND INFO is the same in Redis 7.0 and Valkey 8 (specs unchanged). */
const SAME_INFO = [
  'get', 'set', 'mset', 'mget', 'del', 'exists', 'lpush', 'lrange', 'lmove', 'hset', 'hgetall', 'sadd', 'smembers',
  'zadd', 'zrange', 'zunionstore', 'zinterstore', 'xadd', 'xread', 'xreadgroup', 'pfadd', 'pfmerge', 'expire',
  'rename', 'copy', 'sort', 'sort_ro', 'bitop', 'bitfield', 'bitfield_ro', 'lcs', 'georadius', 'lmpop', 'sintercard',
  'eval', 'fcall', 'migrate', 'time', 'dbsize', 'lastsave', 'flushdb', 'flushall', 'swapdb', 'info', 'debug', 'ping',
  'echo', 'select', 'hello', 'config|get', 'config|set', 'config|help', 'command|count', 'command|info',
  'command|docs', 'command|list', 'memory|usage', 'memory|doctor', 'slowlog|get', 'slowlog|len', 'slowlog|reset',
  'latency|latest', 'latency|history', 'latency|doctor', 'function|list', 'function|flush', 'function|dump',
  'object|encoding', 'publish', 'subscribe',
];

const GETKEYS_CASES: string[][] = [
  ['SET', 'k', 'v'], ['SET', 'k', 'v', 'GET'], ['GET', 'a', 'b'], ['NOPE', 'a'], ['PING'], ['CONFIG', 'GET', 'x'],
  ['CONFIG', 'FOO', 'x'], ['MSET', 'a', '1', 'b', '2'], ['MSET', 'a', '1', 'b'], ['MGET', 'a', 'b'],
  ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['ZUNIONSTORE', 'd', '0', 'a'],
  ['ZUNIONSTORE', 'd', '3', 'a'], ['ZUNIONSTORE', 'd', 'x', 'a'], ['ZUNION', '2', 'a', 'b'], ['EVAL', 'return 1', '0'],
  ['EVAL', 'return 1', '2', 'a', 'b', 'c'], ['SORT', 'k', 'BY', 'x', 'STORE', 'd'],
  ['SORT', 'k', 'LIMIT', '0', '1', 'GET', '#', 'STORE', 'd', 'STORE', 'e'], ['SORT_RO', 'k', 'BY', 'x'],
  ['MIGRATE', 'h', '1', 'k', '0', '10'], ['MIGRATE', 'h', '1', '', '0', '10', 'AUTH', 'p', 'KEYS', 'a', 'b'],
  ['MIGRATE', 'h', '1', 'x', '0', '10', 'KEYS', 'a', 'b'], ['GEORADIUS', 'k', '1', '2', '3', 'm', 'STOREDIST', 'd'],
  ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0'], ['XREAD', 'STREAMS', 'a', 'b', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'], ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
  ['BITFIELD', 'k', 'GET', 'u8', '0'], ['BITFIELD', 'k', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'k', 'GET', 'u8', '0'],
  ['LMPOP', '2', 'a', 'b', 'LEFT'], ['DEL', 'a', 'b', 'c'], ['RENAME', 'a', 'b'], ['OBJECT', 'ENCODING', 'k'],
  ['MEMORY', 'USAGE', 'k'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['PUBLISH', 'ch', 'm'], ['BITOP', 'AND', 'd', 'a', 'b'],
  ['LCS', 'a', 'b'], ['FCALL', 'f', '1', 'a'], ['XADD', 's', '*', 'f', 'v'], ['COPY', 'a', 'b', 'DB', '1'],
  ['SMOVE', 'a', 'b', 'm'], ['PFMERGE', 'd', 'a', 'b'], ['ZRANGESTORE', 'd', 's', '0', '1'], ['SUBSCRIBE', 'a'],
];

test('differential: COMMAND INFO of unchanged specs, GETKEYS, GETKEYSANDFLAGS, errors', { skip }, async () => {
  const probe = new Engine();
  const known = (name: string) => probe.commands.has(name);
  probe.close();
  const d = await DiffSession.start();
  try {
    const info = SAME_INFO.filter(known).map((n) => ['COMMAND', 'INFO', n]);
    await d.check([
      ...info,
      ['COMMAND', 'INFO', 'nosuch'],
      ['COMMAND', 'INFO', 'get|x', 'config|nope'],
      ['COMMAND', 'DOCS', 'nosuch'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config*'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'slowlog|*'],
      ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuch'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'],
      ['COMMAND', 'LIST', 'FILTERBY', 'NOPE', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN'],
      ['COMMAND', 'LIST', 'x'],
      ['COMMAND', 'NOPE'],
    ], { unordered: ['COMMAND'] });
    const cases = GETKEYS_CASES.filter((c) => known(c[0]!.toLowerCase()) || c[0] === 'NOPE');
    await d.check([
      ...cases.map((c) => ['COMMAND', 'GETKEYS', ...c]),
      ...cases.map((c) => ['COMMAND', 'GETKEYSANDFLAGS', ...c]),
    ]);
  } finally {
    d.stop();
  }
});

test('differential: SLOWLOG, LATENCY, MEMORY, FUNCTION replies of an idle server', { skip }, async () => {
  const d = await DiffSession.start();
  try {
    await d.check([
      ['SLOWLOG', 'RESET'],
      ['SLOWLOG', 'LEN'],
      ['SLOWLOG', 'GET'],
      ['SLOWLOG', 'GET', '-2'],
      ['SLOWLOG', 'GET', 'x'],
      ['SLOWLOG', 'GET', '1', '2'],
      ['SLOWLOG', 'HELP'],
      ['LATENCY', 'RESET'],
      ['LATENCY', 'LATEST'],
      ['LATENCY', 'HISTORY', 'command'],
      ['LATENCY', 'RESET', 'a', 'b'],
      ['LATENCY', 'GRAPH', 'command'],
      ['MEMORY', 'USAGE', 'nokey'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'a', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'a', 'FOO', '1'],
      ['MEMORY', 'PURGE'],
      ['MEMORY', 'DOCTOR'],
      ['MEMORY', 'HELP'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'x', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'FOO'],
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
      ['FUNCTION', 'FLUSH', 'X'],
      ['FUNCTION', 'FLUSH', 'SYNC', 'X'],
      ['FUNCTION', 'DELETE', 'x'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION', 'LOAD', 'x'],
      ['FUNCTION', 'LOAD', '#!lua name=x'],
      ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a foo=b\nx'],
      ['FUNCTION', 'LOAD', '#!lua name=a name=b\nx'],
      ['FUNCTION', 'LOAD', '#!foo name=x\nx'],
      ['FUNCTION', 'RESTORE', 'x'],
      ['FUNCTION', 'RESTORE', 'x', 'BAD'],
      ['FUNCTION', 'RESTORE', 'x', 'FLUSH', 'y'],
      ['FUNCTION', 'HELP'],
    ]);
  } finally {
    d.stop();
  }
});

test('differential: seeded random CONFIG, DBSIZE, FLUSH and SWAPDB sequences', { skip: skip || (!haveSet && 'SET is not implemented yet') }, async () => {
  const r = prng(20240603);
  const params: [string, string[]][] = [
    ['maxmemory', ['0', '1gb', '2GB', '100mb', '1000000000', 'abc', '-1', '5kb1', '', '1.5gb']],
    ['maxmemory-policy', ['noeviction', 'allkeys-lru', 'VOLATILE-TTL', 'bogus', '']],
    ['timeout', ['0', '30', '-1', '2147483647', '2147483648', 'x', '01']],
    ['hz', ['1', '10', '0', '600', '-5', 'ten']],
    ['hash-max-listpack-entries', ['0', '128', '512', '-1', '9223372036854775807', '9223372036854775808']],
    ['list-max-listpack-size', ['-2', '-5', '8', '-2147483649', 'x']],
    ['slowlog-log-slower-than', ['-1', '0', '10000', '-2']],
    ['slowlog-max-len', ['0', '128', '-1']],
    ['notify-keyspace-events', ['', 'KEA', 'Kg', 'Ex$', 'xyz', 'AKEm', 'lshz']],
    ['activerehashing', ['yes', 'no', 'YES', 'maybe']],
    ['maxmemory-clients', ['0', '10%', '100%', '101%', '1mb', 'x%']],
    ['shutdown-on-sigint', ['default', 'save', 'nosave now', 'save nosave', 'force', 'bad']],
    ['lfu-log-factor', ['10', '0', '-1', 'x']],
    ['replica-read-only', ['yes', 'no', 'x']],
    ['nosuchparam', ['1']],
    ['daemonize', ['yes']],
  ];
  const patterns = ['maxmemory*', 'hash-*', '*slowlog*', 'timeout', 'hz', 'notify-keyspace-events', 'list-max-*', 'activerehashing', 'lfu-*', 'nosuch', 'replica-read-only', 'slave-read-only', 'shutdown-on-sigint'];
  const keys = ['a', 'b', 'c', 'd'];
  const dbIdx = ['0', '1', '2', '15', '16', '-1', 'x'];
  const seqs: string[][][] = [];
  for (let s = 0; s < 8; s++) {
    const seq: string[][] = [];
    for (let i = 0; i < 40; i++) {
      const k = r.int(10);
      if (k < 3) {
        const n = 1 + r.int(2);
        const args: string[] = ['CONFIG', 'SET'];
        for (let j = 0; j < n; j++) {
          const [p, vals] = r.pick(params);
          args.push(p, r.pick(vals));
        }
        if (r.int(8) === 0) args.pop();
        seq.push(args);
      } else if (k < 5) {
        const args = ['CONFIG', 'GET'];
        const n = 1 + r.int(3);
        for (let j = 0; j < n; j++) args.push(r.pick(patterns));
        seq.push(args);
      } else if (k === 5) seq.push(['SET', r.pick(keys), String(r.int(100))]);
      else if (k === 6) seq.push(['SWAPDB', r.pick(dbIdx), r.pick(dbIdx)]);
      else if (k === 7) seq.push(r.int(2) ? ['DBSIZE'] : ['INFO', 'keyspace']);
      else if (k === 8) seq.push(['SELECT', r.pick(['0', '1', '2'])]);
      else seq.push(r.pick([['FLUSHDB'], ['FLUSHALL'], ['FLUSHDB', 'ASYNC'], ['FLUSHALL', 'SYNC'], ['FLUSHDB', 'x']]));
    }
    seq.push(...RESTORE);
    seqs.push(seq);
  }
  const d = await DiffSession.start();
  try {
    for (const seq of seqs) await d.check(seq, { unordered: ['CONFIG'] });
  } finally {
    d.stop();
  }
});
