/**
 * Differential: the same module source built for Redis runs in Debian's redis-server, and
 * our engine's replies, encoded with encodeReply, must be byte-identical in RESP2 and RESP3.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, encodeReply } from '../src/index.js';
import { haveRedisServer, RedisOracle, type RawClient } from './oracle.js';
import { testModule } from './helpers.js';

const skip = haveRedisServer() ? false : 'redis-server is not installed';

const cases: string[][] = [
  ['HELLOWORLD.ECHO', 'hello'],
  ['HELLOWORLD.ECHO', ''],
  ['HELLOWORLD.ECHO'],
  ['HELLOWORLD.SUM', '1', '2', '-40'],
  ['HELLOWORLD.SUM', '9223372036854775807'],
  ['HELLOWORLD.SUM', 'x'],
  ['HELLOWORLD.SUM', '01'],
  ['HELLOWORLD.REVERSE', 'a', 'b', 'c'],
  ['HELLOWORLD.REVERSE'],
  ['HELLOWORLD.INFO'],
  ['PING'],
  ['PING', 'x'],
  ['ECHO', 'y'],
  ['NOSUCHCMD', 'a', 'b'],
];

test('helloworld replies match redis-server byte for byte', { skip }, async () => {
  const oracle = await RedisOracle.start([testModule('helloworld', 'redis')]);
  after(() => oracle.stop());
  const engine = new Engine();
  engine.loadModule(testModule('helloworld'));
  const mine3 = engine.client();
  await mine3.call('HELLO', '3');
  const r2: RawClient = await oracle.client();
  const r3: RawClient = await oracle.client();
  await r3.send('HELLO', '3');
  try {
    for (const c of cases) {
      const theirs2 = (await r2.send(...c)).toString('latin1');
      const ours2 = encodeReply(await engine.call(...c), 2).toString('latin1');
      assert.equal(ours2, theirs2, `RESP2 ${c.join(' ')}`);
      const theirs3 = (await r3.send(...c)).toString('latin1');
      const ours3 = encodeReply(await mine3.call(...c), 3).toString('latin1');
      assert.equal(ours3, theirs3, `RESP3 ${c.join(' ')}`);
    }
  } finally {
    r2.close();
    r3.close();
  }
});
