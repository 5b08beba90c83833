/**
 * Pub/sub: channel, pattern and shard-channel subscriptions, and message delivery to
 * subscribed clients in their own protocol (RESP2 arrays, RESP3 push messages).
 */
import { globMatch } from '../engine/glob.js';

/** What pub/sub needs from a client. */
export interface Subscriber {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly shardChannels: Set<string>;
  /** Delivers an out-of-band message (["message", ch, msg], ["pmessage", pat, ch, msg]...). */
  deliver(parts: string[]): void;
}

export class PubSub {
  private channels = new Map<string, Set<Subscriber>>();
  private patterns = new Map<string, Set<Subscriber>>();
  private shard = new Map<string, Set<Subscriber>>();

  private static add(map: Map<string, Set<Subscriber>>, key: string, s: Subscriber): void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(s);
  }

  private static remove(map: Map<string, Set<Subscriber>>, key: string, s: Subscriber): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) map.delete(key);
  }

  /** Subscribes; returns whether it was new for this client. */
  subscribe(s: Subscriber, channel: string): boolean {
    if (s.channels.has(channel)) return false;
    s.channels.add(channel);
    PubSub.add(this.channels, channel, s);
    return true;
  }

  unsubscribe(s: Subscriber, channel: string): boolean {
    if (!s.channels.delete(channel)) return false;
    PubSub.remove(this.channels, channel, s);
    return true;
  }

  psubscribe(s: Subscriber, pattern: string): boolean {
    if (s.patterns.has(pattern)) return false;
    s.patterns.add(pattern);
    PubSub.add(this.patterns, pattern, s);
    return true;
  }

  punsubscribe(s: Subscriber, pattern: string): boolean {
    if (!s.patterns.delete(pattern)) return false;
    PubSub.remove(this.patterns, pattern, s);
    return true;
  }

  ssubscribe(s: Subscriber, channel: string): boolean {
    if (s.shardChannels.has(channel)) return false;
    s.shardChannels.add(channel);
    PubSub.add(this.shard, channel, s);
    return true;
  }

  sunsubscribe(s: Subscriber, channel: string): boolean {
    if (!s.shardChannels.delete(channel)) return false;
    PubSub.remove(this.shard, channel, s);
    return true;
  }

  /** Removes every subscription of a client (disconnect, RESET). */
  dropAll(s: Subscriber): void {
    for (const c of [...s.channels]) this.unsubscribe(s, c);
    for (const p of [...s.patterns]) this.punsubscribe(s, p);
    for (const c of [...s.shardChannels]) this.sunsubscribe(s, c);
  }

  /** PUBLISH: delivers to channel and pattern subscribers; returns the receiver count. */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const s of subs) {
        s.deliver(['message', channel, message]);
        n++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, set] of this.patterns) {
        if (!globMatch(pattern, channel, false)) continue;
        for (const s of set) {
          s.deliver(['pmessage', pattern, channel, message]);
          n++;
        }
      }
    }
    return n;
  }

  /** SPUBLISH: delivers to shard-channel subscribers. */
  spublish(channel: string, message: string): number {
    const subs = this.shard.get(channel);
    if (!subs) return 0;
    for (const s of subs) s.deliver(['smessage', channel, message]);
    return subs.size;
  }

  /** Active channels (optionally matching a pattern), for PUBSUB CHANNELS. */
  activeChannels(pattern?: string): string[] {
    const out: string[] = [];
    for (const c of this.channels.keys()) if (pattern === undefined || globMatch(pattern, c, false)) out.push(c);
    return out;
  }

  activeShardChannels(pattern?: string): string[] {
    const out: string[] = [];
    for (const c of this.shard.keys()) if (pattern === undefined || globMatch(pattern, c, false)) out.push(c);
    return out;
  }

  numSub(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  shardNumSub(channel: string): number {
    return this.shard.get(channel)?.size ?? 0;
  }

  /** PUBSUB NUMPAT: distinct patterns subscribed by anyone. */
  numPat(): number {
    return this.patterns.size;
  }
}
