/** Pub/sub for embedded clients and keyspace notifications delivered to subscribers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, PushReply, ReplyError, ReplyMap, encodeReply } from '../src/index.js';
import { NOTIFY_ALL, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, NOTIFY_STRING } from '../src/engine/notify.js';

test('SUBSCRIBE confirms each channel; PUBLISH delivers and counts receivers (RESP2)', async () => {
  const engine = new Engine();
  const sub = engine.client();
  assert.deepEqual(await sub.call('SUBSCRIBE', 'a', 'b'), [['subscribe', 'a', 1], ['subscribe', 'b', 2]]);
  assert.equal(await engine.call('PUBLISH', 'a', 'hello'), 1);
  assert.equal(await engine.call('PUBLISH', 'nobody', 'x'), 0);
  assert.deepEqual(sub.pushes.splice(0), [['message', 'a', 'hello']]);
  assert.deepEqual(await sub.call('UNSUBSCRIBE', 'a'), ['unsubscribe', 'a', 1]);
  assert.deepEqual(await sub.call('UNSUBSCRIBE'), ['unsubscribe', 'b', 0]);
  assert.deepEqual(await sub.call('UNSUBSCRIBE'), ['unsubscribe', null, 0]);
  assert.equal(await engine.call('PUBLISH', 'a', 'gone'), 0);
});

test('RESP3 subscribers get push messages; patterns match with glob rules', async () => {
  const engine = new Engine();
  const sub = engine.client();
  await sub.call('HELLO', '3');
  const conf = await sub.call('PSUBSCRIBE', 'news.*');
  assert.ok(conf instanceof PushReply);
  assert.deepEqual(conf.items, ['psubscribe', 'news.*', 1]);
  const got: unknown[] = [];
  sub.onPush((m) => got.push(m));
  assert.equal(await engine.call('PUBLISH', 'news.tech', 'x'), 1);
  assert.equal(await engine.call('PUBLISH', 'sport', 'y'), 0);
  assert.equal(got.length, 1);
  assert.deepEqual((got[0] as PushReply).items, ['pmessage', 'news.*', 'news.tech', 'x']);
  assert.equal(encodeReply(got[0] as PushReply, 3).toString(), '>4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$1\r\nx\r\n');
  assert.equal(await engine.call('PUBSUB', 'NUMPAT'), 1);
});

test('PUBSUB CHANNELS, NUMSUB, SHARDCHANNELS and SPUBLISH', async () => {
  const engine = new Engine();
  const a = engine.client();
  const b = engine.client();
  await a.call('SUBSCRIBE', 'c1', 'c2');
  await b.call('SUBSCRIBE', 'c1');
  await b.call('SSUBSCRIBE', 's1');
  assert.deepEqual(((await engine.call('PUBSUB', 'CHANNELS')) as string[]).sort(), ['c1', 'c2']);
  assert.deepEqual(await engine.call('PUBSUB', 'CHANNELS', 'c1*'), ['c1']);
  assert.deepEqual(await engine.call('PUBSUB', 'NUMSUB', 'c1', 'c2', 'zz'), ['c1', 2, 'c2', 1, 'zz', 0]);
  const c3 = engine.client();
  await c3.call('HELLO', '3');
  assert.deepEqual(await c3.call('PUBSUB', 'NUMSUB', 'c1'), new ReplyMap([['c1', 2]]));
  assert.deepEqual(await engine.call('PUBSUB', 'SHARDCHANNELS'), ['s1']);
  assert.equal(await engine.call('SPUBLISH', 's1', 'm'), 1);
  assert.deepEqual(b.pushes.at(-1), ['smessage', 's1', 'm']);
  const bad = await engine.call('PUBSUB', 'NOPE');
  assert.ok(bad instanceof ReplyError);
  assert.equal(bad.message, "ERR unknown subcommand 'NOPE'. Try PUBSUB HELP.");
});

test('keyspace notifications reach subscribers per notify-keyspace-events', async () => {
  const engine = new Engine();
  const sub = engine.client();
  await sub.call('PSUBSCRIBE', '__key*__:*');
  engine.notify(NOTIFY_STRING, 'set', 'k', 0);
  assert.deepEqual(sub.pushes.splice(0), []);
  engine.notifyFlags = NOTIFY_KEYSPACE | NOTIFY_KEYEVENT | NOTIFY_ALL;
  engine.notify(NOTIFY_STRING, 'set', 'k', 3);
  assert.deepEqual(sub.pushes.splice(0), [
    ['pmessage', '__key*__:*', '__keyspace@3__:k', 'set'],
    ['pmessage', '__key*__:*', '__keyevent@3__:set', 'k'],
  ]);
  engine.notifyFlags = NOTIFY_KEYEVENT | NOTIFY_STRING;
  engine.notify(NOTIFY_STRING, 'append', 'k', 0);
  assert.deepEqual(sub.pushes.splice(0), [['pmessage', '__key*__:*', '__keyevent@0__:append', 'k']]);
  const hooked: string[] = [];
  engine.onKeyspaceEvent((e) => hooked.push(`${e.db}:${e.event}:${e.key}`));
  engine.notifyFlags = 0;
  engine.notify(NOTIFY_STRING, 'set', 'x', 1);
  assert.deepEqual(hooked, ['1:set:x']);
});
