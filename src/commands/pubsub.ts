/** Pub/sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB. */
import { cmd, group } from './define.js';
import type { CommandContext, CommandDef } from './table.js';

/** Subscription count a confirmation reports: channels + patterns (shard ones apart). */
function count(ctx: CommandContext, shard = false): number {
  const c = ctx.client;
  return shard ? c.shardChannels.size : c.channels.size + c.patterns.size;
}

/** Writes one confirmation: ["subscribe", channel, count] (a push message in RESP3). */
function confirm(ctx: CommandContext, kind: string, name: string | null, n: number): void {
  const { w } = ctx;
  if (w.proto === 3) w.push(3);
  else w.array(3);
  w.bulk(kind);
  if (name === null) w.null();
  else w.bulk(name);
  w.integer(n);
}

function unsubscribeAll(ctx: CommandContext, kind: 'unsubscribe' | 'punsubscribe' | 'sunsubscribe'): void {
  const { engine, client, args } = ctx;
  const ps = engine.pubsub;
  const shard = kind === 'sunsubscribe';
  const set = kind === 'unsubscribe' ? client.channels : kind === 'punsubscribe' ? client.patterns : client.shardChannels;
  const names = args.length > 1 ? args.slice(1) : [...set];
  if (names.length === 0) {
    confirm(ctx, kind, null, count(ctx, shard));
    return;
  }
  for (const n of names) {
    if (kind === 'unsubscribe') ps.unsubscribe(client, n);
    else if (kind === 'punsubscribe') ps.punsubscribe(client, n);
    else ps.sunsubscribe(client, n);
    confirm(ctx, kind, n, count(ctx, shard));
  }
}

export const pubsubCommands: CommandDef[] = [
  cmd('subscribe', (ctx) => {
    for (const ch of ctx.args.slice(1)) {
      ctx.engine.pubsub.subscribe(ctx.client, ch);
      confirm(ctx, 'subscribe', ch, count(ctx));
    }
  }),
  cmd('psubscribe', (ctx) => {
    for (const p of ctx.args.slice(1)) {
      ctx.engine.pubsub.psubscribe(ctx.client, p);
      confirm(ctx, 'psubscribe', p, count(ctx));
    }
  }),
  cmd('ssubscribe', (ctx) => {
    for (const ch of ctx.args.slice(1)) {
      ctx.engine.pubsub.ssubscribe(ctx.client, ch);
      confirm(ctx, 'ssubscribe', ch, count(ctx, true));
    }
  }),
  cmd('unsubscribe', (ctx) => unsubscribeAll(ctx, 'unsubscribe')),
  cmd('punsubscribe', (ctx) => unsubscribeAll(ctx, 'punsubscribe')),
  cmd('sunsubscribe', (ctx) => unsubscribeAll(ctx, 'sunsubscribe')),
  cmd('publish', ({ engine, args, w }) => w.integer(engine.publish(args[1]!, args[2]!))),
  cmd('spublish', ({ engine, args, w }) => w.integer(engine.pubsub.spublish(args[1]!, args[2]!))),
  group('pubsub', [
    cmd('pubsub|channels', ({ engine, args, w }) => {
      const list = engine.pubsub.activeChannels(args[2]);
      w.array(list.length);
      for (const c of list) w.bulk(c);
    }),
    cmd('pubsub|shardchannels', ({ engine, args, w }) => {
      const list = engine.pubsub.activeShardChannels(args[2]);
      w.array(list.length);
      for (const c of list) w.bulk(c);
    }),
    cmd('pubsub|numsub', ({ engine, args, w }) => {
      const chans = args.slice(2);
      w.map(chans.length);
      for (const c of chans) {
        w.bulk(c);
        w.integer(engine.pubsub.numSub(c));
      }
    }),
    cmd('pubsub|shardnumsub', ({ engine, args, w }) => {
      const chans = args.slice(2);
      w.map(chans.length);
      for (const c of chans) {
        w.bulk(c);
        w.integer(engine.pubsub.shardNumSub(c));
      }
    }),
    cmd('pubsub|numpat', ({ engine, w }) => w.integer(engine.pubsub.numPat())),
    cmd('pubsub|help', ({ w }) => {
      const lines = [
        'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
        'CHANNELS [<pattern>]',
        "    Return the currently active channels matching a <pattern> (default: '*').",
        'NUMPAT',
        '    Return number of subscriptions to patterns.',
        'NUMSUB [<channel> ...]',
        '    Return the number of subscribers for the specified channels, excluding',
        '    pattern subscriptions(default: no channels).',
        'SHARDCHANNELS [<pattern>]',
        '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
        'SHARDNUMSUB [<shardchannel> ...]',
        '    Return the number of subscribers for the specified shard level channel(s)',
        'HELP',
        '    Print this help.',
      ];
      w.array(lines.length);
      for (const l of lines) w.simple(l);
    }),
  ]),
];
