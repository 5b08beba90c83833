/** GetCommandKeys / GetCommandKeysWithFlags (test-modules/cmdkeys.c) and argument redaction
 *  by modules in SLOWLOG and MONITOR (RedactClientCommandArgument, test-modules/clientinfo.c). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ReplyError } from '../src/index.js';
import { attachClientCommands, monitorsOf } from '../src/commands/clients.js';
import type { Connection } from '../src/server/connection.js';
import { testModule } from './helpers.js';

const engine = new Engine();
await engine.loadModule(testModule('cmdkeys'));
await engine.loadModule(testModule('clientinfo'));

// VALKEYMODULE_CMD_KEY_* bits
const RO = 1 << 0;
const RW = 1 << 1;
const OW = 1 << 2;
const RM = 1 << 3;
const ACCESS = 1 << 4;
const UPDATE = 1 << 5;
const INSERT = 1 << 6;
const DELETE = 1 << 7;

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

const keys = (...argv: string[]) => engine.call('CK.KEYS', ...argv);
const pos = (...argv: string[]) => engine.call('CK.POS', ...argv);

test('GetCommandKeysWithFlags: core commands with key specs and getkeys procedures', async () => {
  assert.deepEqual(await keys('GET', 'k'), [[1, RO | ACCESS]]);
  assert.deepEqual(await keys('get', 'k'), [[1, RO | ACCESS]]);
  assert.deepEqual(await keys('MSET', 'a', '1', 'b', '2'), [[1, OW | UPDATE], [3, OW | UPDATE]]);
  assert.deepEqual(await keys('DEL', 'a', 'b'), [[1, RM | DELETE], [2, RM | DELETE]]);
  // SET has variable flags: its getkeys procedure decides (GET makes it a read too)
  assert.deepEqual(await keys('SET', 'k', 'v'), [[1, OW | UPDATE]]);
  assert.deepEqual(await keys('SET', 'k', 'v', 'GET'), [[1, RW | ACCESS | UPDATE]]);
  // numkeys-driven key specs
  assert.deepEqual(await keys('ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'),
    [[1, OW | UPDATE], [3, RO | ACCESS], [4, RO | ACCESS]]);
  assert.deepEqual(await keys('LMPOP', '2', 'a', 'b', 'LEFT'), [[2, RW | ACCESS | DELETE], [3, RW | ACCESS | DELETE]]);
  // subcommands
  assert.deepEqual(await keys('OBJECT', 'ENCODING', 'k'), [[2, RO]]);
  assert.deepEqual(await pos('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'), [1, 2]);
});

test('GetCommandKeys: module commands (legacy key range and key specs)', async () => {
  assert.deepEqual(await pos('CK.GET', 'k'), [1]);
  assert.deepEqual(await keys('CK.TWO', 'a', 'x', 'b'), [[1, RO | ACCESS], [3, RW | INSERT]]);
  assert.deepEqual(await pos('CK.TWO', 'a', 'x', 'b'), [1, 3]);
});

test('GetCommandKeys: errors and commands without keys', async () => {
  await rejects(keys('NOSUCHCMD', 'k'), 'ERR ENOENT');
  await rejects(pos('CONFIG', 'NOSUCHSUB'), 'ERR ENOENT');
  await rejects(keys('GET'), 'ERR EINVAL');
  await rejects(pos('GET', 'a', 'b'), 'ERR EINVAL');
  await rejects(pos('CK.TWO', 'a'), 'ERR EINVAL');
  assert.equal(String(await keys('PING')), 'NOKEYS');
  assert.equal(String(await pos('CK.KEYS', 'x')), 'NOKEYS');
  // a numkeys of 0: no keys found
  assert.equal(String(await keys('LMPOP', '0', 'a', 'LEFT')), 'NOKEYS');
});

test('RedactClientCommandArgument: SLOWLOG shows (redacted) for that command only', async () => {
  const e = new Engine();
  await e.loadModule(testModule('clientinfo'));
  const c = e.client();
  assert.equal(String(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0')), 'OK');
  assert.equal(String(await c.call('SLOWLOG', 'RESET')), 'OK');
  assert.deepEqual(await c.call('CI.REDACT', '2', '3', '9'), [1, 1, 0]);
  assert.deepEqual(await c.call('CI.REDACT', '0'), [0]);
  // the next command is not redacted
  await rejects(c.call('CI.REDACT'), "ERR wrong number of arguments for 'ci.redact' command");
  const entries = (await c.call('SLOWLOG', 'GET', '3')) as unknown[][];
  assert.deepEqual(entries.map((x) => (x[3] as unknown[]).map(String)), [
    ['CI.REDACT'],
    ['CI.REDACT', '0'],
    ['CI.REDACT', '2', '(redacted)', '(redacted)'],
  ]);
});

test('RedactClientCommandArgument: MONITOR shows (redacted) for that command only', async () => {
  const e = new Engine();
  await e.loadModule(testModule('clientinfo'));
  attachClientCommands(e);
  const lines: string[] = [];
  const fake = { sendMonitorLine: (line: string) => void lines.push(line) };
  monitorsOf(e).add(fake as unknown as Connection);
  const c = e.client();
  assert.deepEqual(await c.call('CI.REDACT', '1', '3'), [1, 0]);
  assert.deepEqual(await c.call('CI.REDACT', '5'), [0]);
  assert.equal(String(await c.call('SET', 'k', 'v')), 'OK');
  assert.deepEqual(lines.map((l) => l.replace(/^\d+\.\d{6} /, '')), [
    '[0 ?:0] "CI.REDACT" "(redacted)" "3"',
    '[0 ?:0] "CI.REDACT" "5"',
    '[0 ?:0] "SET" "k" "v"',
  ]);
});
