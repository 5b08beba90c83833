/**
 * One database of the keyspace: keys to values with expiry, lazy and active expiration,
 * random keys in O(1), and SCAN cursors that survive concurrent writes.
 *
 * Keys are one-byte ("latin1") JS strings. A key's entry holds its value, its absolute
 * expiry in ms (0: none) and its LRU/LFU word: under an LRU (or no LFU) maxmemory-policy the
 * LRU clock in seconds (OBJECT IDLETIME); under an LFU policy, as Valkey, the last decrement
 * time in minutes (16 bits) shifted left by 8 over an 8-bit logarithmic access counter.
 */
import { ModuleValue, type Value } from './types/index.js';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notify.js';

/** What a Db needs from its engine: time, statistics and event delivery. */
export interface DbHost {
  /** Current time in ms (cached per command by the engine). */
  now(): number;
  stats: KeyspaceStats;
  /** Fires a keyspace notification for a key of database `db`. */
  notify(type: number, event: string, key: string, db: number): void;
  /** Signals that a key changed (WATCH, client tracking). */
  keyModified(db: number, key: string): void;
  /** Whether lazy expiry deletes keys (false while loading, as Valkey). */
  expireEnabled(): boolean;
  /** A key's value left the keyspace where Valkey calls moduleNotifyKeyUnlink (delete,
   *  expiry, overwrite; not flushes): subevent 0 DELETED, 1 EXPIRED, 2 EVICTED, 3 OVERWRITTEN. */
  keyUnlinked?(db: number, key: string, value: Value, subevent: number): void;
  /** A module value is no longer held by any key (its last reference went): free it. */
  releaseModuleValue?(v: ModuleValue): void;
  /** dbAdd: a new key may serve blocked clients (signalKeyAsReady). */
  keyAdded?(db: number, key: string, value: Value): void;
  /** A key was deleted or overwritten (signalDeletedKeyAsReady). */
  keyRemoved?(db: number, key: string): void;
  /** True while a CLIENT NO-TOUCH client runs a command other than TOUCH: lookups leave the
   *  LRU/LFU word alone. */
  readonly touchDisabled?: boolean;
  /** The LFU settings (maxmemory-policy *-lfu, lfu-log-factor, lfu-decay-time), kept current
   *  by the config; without it keys keep LRU clocks only. */
  lfu?: LfuSettings;
}

/** What the LFU access counter depends on, updated in place when the config changes. */
export interface LfuSettings {
  /** Whether maxmemory-policy is volatile-lfu or allkeys-lfu. */
  policy: boolean;
  /** lfu-log-factor: how slowly the counter grows. */
  logFactor: number;
  /** lfu-decay-time: minutes per counter decrement (0: no decay). */
  decayTime: number;
}

/** The counter of a new key (LFU_INIT_VAL). */
export const LFU_INIT_VAL = 5;

/** Valkey's LFU clock: minutes, in 16 bits (LFUGetTimeInMinutes). */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 65535;
}

/** The LRU/LFU word of a key whose counter is `counter`, stamped now. */
export function lfuWord(nowMs: number, counter: number): number {
  return (lfuMinutes(nowMs) << 8) | counter;
}

/** The counter of an LFU word after decay by the minutes elapsed since its stamp
 *  (LFUDecrAndReturn): one less per lfu-decay-time minutes, not below 0. */
export function lfuDecayed(word: number, nowMs: number, decayTime: number): number {
  const counter = word & 255;
  if (decayTime === 0) return counter;
  const ldt = (word >>> 8) & 65535;
  const now = lfuMinutes(nowMs);
  const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  const periods = Math.floor(elapsed / decayTime);
  return periods >= counter ? 0 : counter - periods;
}

/** One access (updateLFU): decays the counter, then increments it with probability
 *  1/((counter-LFU_INIT_VAL)*lfu-log-factor+1), and restamps it; returns the new word. */
export function lfuTouched(word: number, nowMs: number, lfu: LfuSettings): number {
  let counter = lfuDecayed(word, nowMs, lfu.decayTime);
  if (counter < 255) {
    const base = counter > LFU_INIT_VAL ? counter - LFU_INIT_VAL : 0;
    if (Math.random() < 1 / (base * lfu.logFactor + 1)) counter++;
  }
  return lfuWord(nowMs, counter);
}

/** Keys' LRU/LFU settings when the host has none: LRU only. */
const NO_LFU: LfuSettings = { policy: false, logFactor: 10, decayTime: 1 };

/** Subevents of a key leaving the keyspace (VALKEYMODULE_SUBEVENT_KEY_*). */
export const UNLINK_DELETED = 0;
export const UNLINK_EXPIRED = 1;
export const UNLINK_EVICTED = 2;
export const UNLINK_OVERWRITTEN = 3;

export interface KeyspaceStats {
  keyspace_hits: number;
  keyspace_misses: number;
  expired_keys: number;
  expired_stale_perc: number;
  expired_time_cap_reached_count: number;
}

export class Entry {
  /** Index in Db.slots (for O(1) random keys). */
  slot = 0;
  constructor(
    public value: Value,
    /** Absolute expiry in ms since the epoch; 0 when the key does not expire. */
    public expire = 0,
    /** LRU clock in seconds when last accessed; under an LFU policy the LFU word
     *  (minutes << 8 | counter, see lfuWord). */
    public lru = 0,
  ) {}
}

/** The LRU clock: seconds, as Valkey's (OBJECT IDLETIME has one-second resolution). */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

const MAX_SCAN_CURSORS = 1024;

export class Db {
  readonly dict = new Map<string, Entry>();
  /** Keys with a TTL (active expiry samples from here). */
  readonly expires = new Set<string>();
  /** Every key, in no particular order: RANDOMKEY picks from here in O(1). */
  private slots: string[] = [];
  private cursors = new Map<number, Iterator<string>>();
  private nextCursor = 1;
  private expireIter: Iterator<string> | undefined;
  /** The host's LFU settings (shared, updated in place). */
  private readonly lfu: LfuSettings;

  constructor(
    readonly id: number,
    private readonly host: DbHost,
  ) {
    this.lfu = host.lfu ?? NO_LFU;
  }

  /** The LRU/LFU word of a key created now (createObject): the LRU clock, or under an LFU
   *  policy the initial counter stamped now. */
  private freshClock(): number {
    const now = this.host.now();
    return this.lfu.policy ? lfuWord(now, LFU_INIT_VAL) : lruClock(now);
  }

  /** Records an access to an entry (lookupKey's touch): the LRU clock, or an LFU update;
   *  nothing while a CLIENT NO-TOUCH client's command runs. */
  touch(e: Entry): void {
    if (this.host.touchDisabled) return;
    if (this.lfu.policy) e.lru = lfuTouched(e.lru, this.host.now(), this.lfu);
    else e.lru = lruClock(this.host.now());
  }

  /** The access counter of an entry decayed to now (OBJECT FREQ, GetLFU, RDB FREQ). */
  lfuCounter(e: Entry): number {
    return lfuDecayed(e.lru, this.host.now(), this.lfu.decayTime);
  }

  get size(): number {
    return this.dict.size;
  }

  /** Deletes the key when its TTL passed; returns true when it did. */
  private expireIfNeeded(key: string, e: Entry, now: number): boolean {
    if (e.expire === 0 || e.expire > now || !this.host.expireEnabled()) return false;
    this.removeEntry(key, e, UNLINK_EXPIRED);
    this.host.stats.expired_keys++;
    this.host.notify(NOTIFY_EXPIRED, 'expired', key, this.id);
    this.host.keyModified(this.id, key);
    return true;
  }

  /** The live entry of a key (expiring it when due), without touching stats or LRU. */
  entry(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (e.expire !== 0 && this.expireIfNeeded(key, e, this.host.now())) return undefined;
    return e;
  }

  /** Lookup for reading (lookupKeyRead): counts a hit or miss, updates LRU, fires keymiss. */
  get(key: string): Value | undefined {
    const e = this.entry(key);
    if (e === undefined) {
      this.host.stats.keyspace_misses++;
      this.host.notify(NOTIFY_KEY_MISS, 'keymiss', key, this.id);
      return undefined;
    }
    this.host.stats.keyspace_hits++;
    this.touch(e);
    return e.value;
  }

  /**
   * Lookup with Valkey's lookup flags (the module key API's open modes): `write` skips the
   * hit/miss stats, `noTouch` the LRU update, `noNotify` the keymiss event, `noStats` the
   * counters, and `noExpire` leaves a logically expired key in place (it still reads as missing).
   */
  lookup(key: string, write: boolean, noTouch: boolean, noNotify: boolean, noStats: boolean, noExpire: boolean): Value | undefined {
    let e = this.dict.get(key);
    if (e !== undefined && e.expire !== 0 && e.expire <= this.host.now()) {
      if (noExpire) e = undefined; // logically expired, left in place
      else if (this.expireIfNeeded(key, e, this.host.now())) e = undefined;
      // otherwise expiry is off (loading): the key stays visible
    }
    if (e === undefined) {
      if (!write && !noStats) this.host.stats.keyspace_misses++;
      if (!write && !noNotify) this.host.notify(NOTIFY_KEY_MISS, 'keymiss', key, this.id);
      return undefined;
    }
    if (!write && !noStats) this.host.stats.keyspace_hits++;
    if (!noTouch) this.touch(e);
    return e.value;
  }

  /** Lookup for writing (lookupKeyWrite): expires, updates LRU, no stats. */
  getForWrite(key: string): Value | undefined {
    const e = this.entry(key);
    if (e === undefined) return undefined;
    this.touch(e);
    return e.value;
  }

  /** Whether the key exists (expiring it when due); no stats, no LRU update. */
  has(key: string): boolean {
    return this.entry(key) !== undefined;
  }

  /** Adds a key that must not exist; fires the 'new' event (dbAdd). */
  add(key: string, value: Value): void {
    if (value instanceof ModuleValue) value.refs++;
    const e = new Entry(value, 0, this.freshClock());
    e.slot = this.slots.length;
    this.slots.push(key);
    this.dict.set(key, e);
    this.host.notify(NOTIFY_NEW, 'new', key, this.id);
    this.host.keyAdded?.(this.id, key, value);
  }

  /** Adds a key that must not exist while loading a dataset (Valkey's dbAddRDBLoad): no
   *  'new' event and no blocked client is signalled. */
  addLoaded(key: string, value: Value): void {
    if (value instanceof ModuleValue) value.refs++;
    const e = new Entry(value, 0, this.freshClock());
    e.slot = this.slots.length;
    this.slots.push(key);
    this.dict.set(key, e);
  }

  /**
   * setKey: creates or overwrites the key. An overwrite drops the TTL unless keepTtl.
   * Signals the modification (the caller fires the command's own notification).
   */
  set(key: string, value: Value, keepTtl = false): void {
    const e = this.entry(key);
    if (e === undefined) this.add(key, value);
    else {
      if (e.value !== value) this.swapValue(key, e, value, true);
      // The new value gets a fresh LRU clock; under LFU it inherits the old counter (dbSetValue).
      if (!this.lfu.policy) e.lru = lruClock(this.host.now());
      if (!keepTtl && e.expire !== 0) {
        e.expire = 0;
        this.expires.delete(key);
      }
    }
    this.host.keyModified(this.id, key);
  }

  /** Replaces the value of an existing key in place (keeps TTL); false when missing. */
  replace(key: string, value: Value): boolean {
    const e = this.dict.get(key);
    if (e === undefined) return false;
    if (e.value !== value) this.swapValue(key, e, value, false);
    return true;
  }

  /** Puts a new value in an entry; the old one is unlinked (OVERWRITTEN) when `notify`, and
   *  released when it was a module value no other key holds. */
  private swapValue(key: string, e: Entry, value: Value, notify: boolean): void {
    const old = e.value;
    if (notify) {
      this.host.keyUnlinked?.(this.id, key, old, UNLINK_OVERWRITTEN);
      this.host.keyRemoved?.(this.id, key);
      this.host.keyAdded?.(this.id, key, value);
    }
    if (value instanceof ModuleValue) value.refs++;
    e.value = value;
    this.dropRef(old);
  }

  /** Drops the keyspace's reference to a value: a module value nobody holds is released. */
  private dropRef(v: Value): void {
    if (v instanceof ModuleValue && --v.refs === 0) this.host.releaseModuleValue?.(v);
  }

  private removeEntry(key: string, e: Entry, subevent: number): void {
    this.host.keyUnlinked?.(this.id, key, e.value, subevent);
    this.dict.delete(key);
    if (e.expire !== 0) this.expires.delete(key);
    const last = this.slots.pop()!;
    if (last !== key) {
      this.slots[e.slot] = last;
      this.dict.get(last)!.slot = e.slot;
    }
    this.dropRef(e.value);
    this.host.keyRemoved?.(this.id, key);
  }

  /** Deletes a key; returns whether it existed (an expired key counts as missing). */
  delete(key: string): boolean {
    const e = this.entry(key);
    if (e === undefined) return false;
    this.removeEntry(key, e, UNLINK_DELETED);
    this.host.keyModified(this.id, key);
    return true;
  }

  /** Sets an absolute expiry in ms on an existing key. */
  setExpire(key: string, whenMs: number): void {
    const e = this.dict.get(key);
    if (e === undefined) return;
    e.expire = whenMs;
    this.expires.add(key);
  }

  /** Absolute expiry in ms, or -1 when the key has none (or does not exist). */
  getExpire(key: string): number {
    const e = this.entry(key);
    return e === undefined || e.expire === 0 ? -1 : e.expire;
  }

  /** Removes a TTL; returns whether there was one. */
  persist(key: string): boolean {
    const e = this.entry(key);
    if (e === undefined || e.expire === 0) return false;
    e.expire = 0;
    this.expires.delete(key);
    return true;
  }

  /** A random live key, or undefined when empty (expired picks are expired and retried). */
  randomKey(): string | undefined {
    for (let tries = 0; this.slots.length > 0; tries++) {
      const key = this.slots[Math.floor(Math.random() * this.slots.length)]!;
      const e = this.dict.get(key)!;
      if (e.expire === 0 || e.expire > this.host.now()) return key;
      if (tries > 100 && this.expires.size === this.dict.size) return key; // all volatile: Valkey gives up too
      this.expireIfNeeded(key, e, this.host.now());
    }
    return undefined;
  }

  /** Removes every key; returns how many there were. */
  clear(): number {
    const n = this.dict.size;
    if (ModuleValue.live !== 0) for (const e of this.dict.values()) this.dropRef(e.value);
    this.dict.clear();
    this.expires.clear();
    this.slots = [];
    this.cursors.clear();
    this.expireIter = undefined;
    return n;
  }

  /** Moves all state from `other` into this database (SWAPDB swaps contents). */
  swapWith(other: Db): void {
    const fields = ['dict', 'expires', 'slots', 'cursors', 'expireIter'] as const;
    for (const f of fields) {
      const mine = (this as any)[f];
      (this as any)[f] = (other as any)[f];
      (other as any)[f] = mine;
    }
  }

  /**
   * One SCAN step: up to `count` keys from the cursor on. Cursor 0 (or one this database
   * does not know) starts over. A key present for the whole iteration is returned at least
   * once; keys added or removed meanwhile may or may not be. Returns the next cursor (0 at
   * the end) and the keys (expired ones skipped).
   */
  scan(cursor: number, count: number): { cursor: number; keys: string[] } {
    let it = cursor === 0 ? undefined : this.cursors.get(cursor);
    if (it !== undefined) this.cursors.delete(cursor);
    else it = this.dict.keys();
    const keys: string[] = [];
    const now = this.host.now();
    while (keys.length < count) {
      const r = it.next();
      if (r.done) return { cursor: 0, keys };
      const e = this.dict.get(r.value);
      if (e === undefined || (e.expire !== 0 && e.expire <= now)) continue;
      keys.push(r.value);
    }
    const next = this.nextCursor++;
    if (this.nextCursor > Number.MAX_SAFE_INTEGER) this.nextCursor = 1;
    this.cursors.set(next, it);
    if (this.cursors.size > MAX_SCAN_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    return { cursor: next, keys };
  }

  /**
   * One active-expiry step: looks at up to `budget` volatile keys and deletes the expired
   * ones. Returns how many keys were examined and how many expired.
   */
  activeExpire(budget: number): { examined: number; expired: number } {
    let examined = 0;
    let expired = 0;
    if (this.expires.size === 0) return { examined, expired };
    const now = this.host.now();
    for (let restarts = 0; examined < budget && restarts < 2; ) {
      if (this.expireIter === undefined) this.expireIter = this.expires.values();
      const r = this.expireIter.next();
      if (r.done) {
        this.expireIter = undefined;
        restarts++;
        continue;
      }
      examined++;
      const e = this.dict.get(r.value);
      if (e !== undefined && e.expire !== 0 && this.expireIfNeeded(r.value, e, now)) expired++;
    }
    return { examined, expired };
  }

  /** Every live key (for KEYS); expired ones are skipped, not deleted. */
  *keys(): IterableIterator<string> {
    const now = this.host.now();
    for (const [k, e] of this.dict) if (e.expire === 0 || e.expire > now) yield k;
  }
}
