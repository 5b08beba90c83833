/**
 * The stream value type, laid out the way Valkey lays out a stream so that everything its
 * commands report (XINFO's radix-tree-keys and radix-tree-nodes, where `~` trimming stops,
 * when a new macro node starts) comes out the same.
 *
 * Entries live in *macro nodes* (Valkey: one listpack per radix-tree key). A node holds up
 * to 100 entries (deleted ones included) and closes when its listpack would reach 4096
 * bytes; its key is the ID of the first entry added to it, and its *master fields* are
 * that entry's field names (entries with the same field names store only their values).
 * Deleting an entry only flags it, as Valkey does; a node goes away when its last live
 * entry is deleted or when trimming drops it whole. The listpack byte size of each node is
 * tracked exactly (the same encoding rules as listpack.c), which is what decides node
 * boundaries.
 *
 * Stream IDs are two unsigned 64-bit numbers. They are kept as 16-character one-byte
 * strings holding the big-endian bytes of `ms` then `seq` (the radix-tree key form):
 * ordinary string comparison orders them, they work as Map keys, and no BigInt is needed
 * on the hot paths. `formatId`/`parseStreamId` convert to and from the `ms-seq` text.
 *
 * Seeking by ID is a binary search over the nodes, then within a node: O(log n).
 * Consumer groups keep their pending entries (PEL) in `IdMap`, a sorted chunked array
 * (O(log n) lookup, insert and delete; in-order iteration from any ID).
 */

// ---------------------------------------------------------------------------------------
// IDs
// ---------------------------------------------------------------------------------------

/** The smallest ID, 0-0, in key form. */
export const MIN_ID = '\0'.repeat(16);
/** The largest ID, 18446744073709551615-18446744073709551615, in key form. */
export const MAX_ID = '\xff'.repeat(16);

/** An unsigned 64-bit value: a number when it is at most 2^53-1, else a bigint. */
export type U64 = number | bigint;

const TWO32 = 4294967296;
const HI_SAFE = 0x200000; // hi word below this: hi * 2^32 + lo is an exact double

function halfChars(v: U64): [number, number] {
  if (typeof v === 'number') return [Math.floor(v / TWO32), v >>> 0];
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

/** Builds an ID key from its two parts (each 0 .. 2^64-1). */
export function makeId(ms: U64, seq: U64): string {
  const [a, b] = halfChars(ms);
  const [c, d] = halfChars(seq);
  return String.fromCharCode(
    a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255,
    b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255,
    c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255,
    d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255,
  );
}

function word(id: string, off: number): number {
  return (
    ((id.charCodeAt(off) << 24) | (id.charCodeAt(off + 1) << 16) | (id.charCodeAt(off + 2) << 8) | id.charCodeAt(off + 3)) >>>
    0
  );
}

function u64At(id: string, off: number): U64 {
  const hi = word(id, off);
  const lo = word(id, off + 4);
  if (hi < HI_SAFE) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The milliseconds part of an ID key. */
export function idMs(id: string): U64 {
  return u64At(id, 0);
}

/** The sequence part of an ID key. */
export function idSeq(id: string): U64 {
  return u64At(id, 8);
}

/** The `ms-seq` text of an ID key (as Valkey replies it). */
export function formatId(id: string): string {
  return `${u64At(id, 0)}-${u64At(id, 8)}`;
}

/** The next ID (seq+1, carrying into ms); undefined when `id` is the largest ID. */
export function incrId(id: string): string | undefined {
  let i = 15;
  while (i >= 0 && id.charCodeAt(i) === 255) i--;
  if (i < 0) return undefined;
  return id.slice(0, i) + String.fromCharCode(id.charCodeAt(i) + 1) + '\0'.repeat(15 - i);
}

/** The previous ID; undefined when `id` is 0-0. */
export function decrId(id: string): string | undefined {
  let i = 15;
  while (i >= 0 && id.charCodeAt(i) === 0) i--;
  if (i < 0) return undefined;
  return id.slice(0, i) + String.fromCharCode(id.charCodeAt(i) - 1) + '\xff'.repeat(15 - i);
}

const U64_MAX = 18446744073709551615n;
const INT64_MIN_TEXT = /^-[1-9][0-9]*$/;

/**
 * Parses an unsigned 64-bit number with Valkey's string2ull rules: the strict integer form
 * first (a negative value is rejected), then C's strtoull over the whole text (leading
 * spaces, a sign, leading zeros; a minus negates modulo 2^64). Undefined when invalid.
 */
export function parseU64(s: string): U64 | undefined {
  const n = s.length;
  if (n > 0 && n <= 15) {
    let fast = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) {
        fast = false;
        break;
      }
    }
    if (fast) return Number(s);
  }
  // A strictly formed negative int64 is "out of range" for string2ull.
  if (n <= 20 && INT64_MIN_TEXT.test(s) && BigInt(s) >= -9223372036854775808n) return undefined;
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (!m) return undefined;
  let v = BigInt(m[2]!);
  if (v > U64_MAX) return undefined;
  if (m[1] === '-' && v !== 0n) v = (U64_MAX + 1n - v) & U64_MAX;
  return v <= 9007199254740991n ? Number(v) : v;
}

/** Set by parseStreamId: false when the ID had the `ms-*` form. */
export let parsedSeqGiven = true;

/**
 * Parses a stream ID argument as Valkey does (streamGenericParseIDOrReply): `ms-seq`, or
 * `ms` alone (seq = `missingSeqMax ? 2^64-1 : 0`); `-` and `+` (0-0 and the largest ID)
 * unless `strict`; `ms-*` when `allowSeqStar` (then `parsedSeqGiven` is false and seq is
 * 0). The text stops at a NUL byte, as a C string would. Undefined when invalid.
 */
export function parseStreamId(arg: string, missingSeqMax: boolean, strict: boolean, allowSeqStar = false): string | undefined {
  parsedSeqGiven = true;
  if (arg.length > 127) return undefined;
  const z = arg.indexOf('\0');
  const s = z < 0 ? arg : arg.slice(0, z);
  if (s === '-' || s === '+') {
    if (strict) return undefined;
    return s === '-' ? MIN_ID : MAX_ID;
  }
  const dash = s.indexOf('-');
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === undefined) return undefined;
  let seq: U64;
  if (dash < 0) seq = missingSeqMax ? U64_MAX : 0;
  else {
    const rest = s.slice(dash + 1);
    if (allowSeqStar && rest === '*') {
      parsedSeqGiven = false;
      seq = 0;
    } else {
      const v = parseU64(rest);
      if (v === undefined) return undefined;
      seq = v;
    }
  }
  return makeId(ms, seq);
}

// ---------------------------------------------------------------------------------------
// Counters (entries-added, entries-read): int64 values, exact past 2^53
// ---------------------------------------------------------------------------------------

/** A 64-bit counter: a number while exact, a bigint beyond. */
export type Counter = number | bigint;

function norm(b: bigint): Counter {
  return b <= 9007199254740991n && b >= -9007199254740991n ? Number(b) : b;
}

/** c + 1. */
export function counterIncr(c: Counter): Counter {
  if (typeof c === 'number' && c < 9007199254740991) return c + 1;
  return norm(BigInt(c) + 1n);
}

/** a - b. */
export function counterSub(a: Counter, b: Counter): Counter {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(BigInt(a) - BigInt(b));
}

/** Compares two counters (-1, 0, 1). */
export function counterCmp(a: Counter, b: Counter): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A group's entries-read when it is not known (Valkey's SCG_INVALID_ENTRIES_READ). */
export const ENTRIES_READ_INVALID = -1;

// ---------------------------------------------------------------------------------------
// Listpack sizes (listpack.c encoding rules), to decide macro node boundaries
// ---------------------------------------------------------------------------------------

/** Bytes of an integer element holding v (an int64 value exact as a double, or beyond
 *  int32 in magnitude). */
function lpIntValueSize(v: number): number {
  if (v >= 0) return v <= 127 ? 2 : v <= 4095 ? 3 : v <= 32767 ? 4 : v <= 8388607 ? 5 : v <= 2147483647 ? 6 : 10;
  return v >= -4096 ? 3 : v >= -32768 ? 4 : v >= -8388608 ? 5 : v >= -2147483648 ? 6 : 10;
}

/** Bytes of an integer element with value hi:lo (two's complement 64-bit as uint32 words). */
function lpIntSize(hi: number, lo: number): number {
  if (hi === 0) return lpIntValueSize(lo);
  if (hi === 0xffffffff && lo >= 0x80000000) return lpIntValueSize(lo - TWO32);
  return 10;
}

/** Bytes of a small non-negative integer element. */
function lpSmallIntSize(v: number): number {
  return lpIntValueSize(v);
}

function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

const INT_TEXT = /^(0|-?[1-9][0-9]*)$/;

/** Bytes of a string element (stored as an integer when it is one, as listpack does). */
function lpStrSize(s: string): number {
  const n = s.length;
  const c0 = s.charCodeAt(0);
  if (n > 0 && n <= 20 && (c0 === 45 || (c0 >= 48 && c0 <= 57)) && INT_TEXT.test(s)) {
    if (n < 19) return lpIntValueSize(Number(s));
    const b = BigInt(s);
    if (b <= 9223372036854775807n && b >= -9223372036854775808n) return 10;
  }
  const enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return enc + backlenSize(enc);
}

/** Bytes of the integer element holding (a - b) mod 2^64 for two 64-bit ID halves. */
function lpDeltaSize(a: string, b: string, off: number): number {
  const ahi = word(a, off);
  const alo = word(a, off + 4);
  const bhi = word(b, off);
  const blo = word(b, off + 4);
  let lo = alo - blo;
  let borrow = 0;
  if (lo < 0) {
    lo += TWO32;
    borrow = 1;
  }
  const hi = (ahi - bhi - borrow + TWO32 * 2) % TWO32;
  return lpIntSize(hi, lo);
}

/** Listpack header (6 bytes) and end byte. */
const LP_EMPTY = 7;
/** stream-node-max-bytes and stream-node-max-entries defaults. */
export const STREAM_NODE_MAX_BYTES = 4096;
export const STREAM_NODE_MAX_ENTRIES = 100;

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

// ---------------------------------------------------------------------------------------
// Macro nodes
// ---------------------------------------------------------------------------------------

/** One macro node (a radix-tree key and its listpack in Valkey). */
export class StreamNode {
  /** IDs of every entry in the node, deleted ones included, ascending. */
  readonly ids: string[] = [];
  /** Per entry: bit 0 deleted, bit 1 same fields as the master entry. */
  readonly flags: number[] = [];
  /** Per entry, start of its data in `data`; `pos[ids.length]` is the end. */
  readonly pos: number[] = [0];
  /** Values only (same-fields entries) or field, value pairs. */
  readonly data: string[] = [];
  /** Live (not deleted) entries. */
  live = 0;
  /** Entries flagged deleted. */
  deleted = 0;
  /** Listpack size in bytes. */
  bytes: number;

  constructor(
    /** The node key: the ID of the first entry added to it. */
    readonly master: string,
    /** The master entry's field names. */
    readonly masterFields: string[],
  ) {
    let b = LP_EMPTY + 2 + 2 + lpSmallIntSize(masterFields.length) + 2;
    for (const f of masterFields) b += lpStrSize(f);
    this.bytes = b;
  }

  /** Number of fields of entry i. */
  numFields(i: number): number {
    const n = this.pos[i + 1]! - this.pos[i]!;
    return this.flags[i]! & FLAG_SAMEFIELDS ? n : n / 2;
  }

  /** Field j of entry i. */
  field(i: number, j: number): string {
    return this.flags[i]! & FLAG_SAMEFIELDS ? this.masterFields[j]! : this.data[this.pos[i]! + 2 * j]!;
  }

  /** Value j of entry i. */
  value(i: number, j: number): string {
    return this.flags[i]! & FLAG_SAMEFIELDS ? this.data[this.pos[i]! + j]! : this.data[this.pos[i]! + 2 * j + 1]!;
  }

  /** Entry i as a flat [field, value, ...] array. */
  fieldValues(i: number): string[] {
    const n = this.numFields(i);
    const out = new Array<string>(n * 2);
    for (let j = 0; j < n; j++) {
      out[2 * j] = this.field(i, j);
      out[2 * j + 1] = this.value(i, j);
    }
    return out;
  }

  /** Whether entry i is flagged deleted. */
  isDeleted(i: number): boolean {
    return (this.flags[i]! & FLAG_DELETED) !== 0;
  }

  /** First index whose ID is >= id (ids.length when none). */
  lowerBound(id: string): number {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Appends an entry (fv = field, value, ...); accounts its listpack bytes. */
  append(id: string, fv: string[], same: boolean): void {
    const n = fv.length / 2;
    let b = 2 + lpDeltaSize(id, this.master, 0) + lpDeltaSize(id, this.master, 8);
    if (same) {
      for (let j = 1; j < fv.length; j += 2) {
        this.data.push(fv[j]!);
        b += lpStrSize(fv[j]!);
      }
      b += lpSmallIntSize(n + 3);
    } else {
      b += lpSmallIntSize(n);
      for (let j = 0; j < fv.length; j++) {
        this.data.push(fv[j]!);
        b += lpStrSize(fv[j]!);
      }
      b += lpSmallIntSize(2 * n + 4);
    }
    this.ids.push(id);
    this.flags.push(same ? FLAG_SAMEFIELDS : 0);
    this.pos.push(this.data.length);
    this.live++;
    this.bytes += b;
  }

  /** Flags entry i deleted. Its data and bytes stay, as in Valkey's listpack (an RDB
   *  save writes them too). */
  markDeleted(i: number): void {
    this.flags[i]! |= FLAG_DELETED;
    this.live--;
    this.deleted++;
  }

  /** Whether the fields of fv equal the master fields. */
  sameFields(fv: string[]): boolean {
    const mf = this.masterFields;
    if (fv.length !== mf.length * 2) return false;
    for (let j = 0; j < mf.length; j++) if (fv[2 * j] !== mf[j]) return false;
    return true;
  }
}

// ---------------------------------------------------------------------------------------
// IdMap: a sorted map keyed by ID (pending entries lists)
// ---------------------------------------------------------------------------------------

const CHUNK = 128;

/**
 * A map from ID keys to values kept in ID order: sorted chunks of at most 2*CHUNK keys.
 * get/set/delete are O(log n) (plus a chunk-sized splice); appending past the largest key
 * is O(1).
 */
export class IdMap<V> {
  private ks: string[][] = [];
  private vs: V[][] = [];
  /** Number of keys. */
  size = 0;

  /** Index of the first chunk whose last key is >= id (chunks.length when none). */
  private chunkFor(id: string): number {
    const ks = this.ks;
    let lo = 0;
    let hi = ks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = ks[mid]!;
      if (c[c.length - 1]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static lower(keys: string[], id: string): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The value at id, or undefined. */
  get(id: string): V | undefined {
    const c = this.chunkFor(id);
    if (c === this.ks.length) return undefined;
    const keys = this.ks[c]!;
    const i = IdMap.lower(keys, id);
    return keys[i] === id ? this.vs[c]![i] : undefined;
  }

  /** Whether id is present. */
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Inserts or replaces; returns true when the key is new. */
  set(id: string, v: V): boolean {
    const ks = this.ks;
    if (ks.length === 0) {
      ks.push([id]);
      this.vs.push([v]);
      this.size++;
      return true;
    }
    let c = this.chunkFor(id);
    if (c === ks.length) c--; // past the end: append to the last chunk
    const keys = ks[c]!;
    const vals = this.vs[c]!;
    const i = IdMap.lower(keys, id);
    if (keys[i] === id) {
      vals[i] = v;
      return false;
    }
    if (i === keys.length) {
      keys.push(id);
      vals.push(v);
    } else {
      keys.splice(i, 0, id);
      vals.splice(i, 0, v);
    }
    this.size++;
    if (keys.length > 2 * CHUNK) {
      ks.splice(c + 1, 0, keys.splice(CHUNK));
      this.vs.splice(c + 1, 0, vals.splice(CHUNK));
    }
    return true;
  }

  /** Removes id; returns its value or undefined. */
  delete(id: string): V | undefined {
    const c = this.chunkFor(id);
    if (c === this.ks.length) return undefined;
    const keys = this.ks[c]!;
    const i = IdMap.lower(keys, id);
    if (keys[i] !== id) return undefined;
    const vals = this.vs[c]!;
    const v = vals[i]!;
    keys.splice(i, 1);
    vals.splice(i, 1);
    this.size--;
    if (keys.length === 0) {
      this.ks.splice(c, 1);
      this.vs.splice(c, 1);
    }
    return v;
  }

  /** The smallest key, or undefined. */
  firstKey(): string | undefined {
    return this.ks.length ? this.ks[0]![0] : undefined;
  }

  /** The largest key, or undefined. */
  lastKey(): string | undefined {
    if (!this.ks.length) return undefined;
    const c = this.ks[this.ks.length - 1]!;
    return c[c.length - 1];
  }

  /** The smallest key >= id (or > id when `exclusive`), or undefined. */
  ceilKey(id: string, exclusive = false): string | undefined {
    const c = this.chunkFor(id);
    if (c === this.ks.length) return undefined;
    const keys = this.ks[c]!;
    let i = IdMap.lower(keys, id);
    if (exclusive && keys[i] === id) i++;
    if (i < keys.length) return keys[i];
    return c + 1 < this.ks.length ? this.ks[c + 1]![0] : undefined;
  }

  /** Calls fn for each key >= start in order until it returns false. The map must not
   *  change during the walk. */
  forEachFrom(start: string, fn: (id: string, v: V) => boolean | void): void {
    let c = this.chunkFor(start);
    if (c === this.ks.length) return;
    let i = IdMap.lower(this.ks[c]!, start);
    for (; c < this.ks.length; c++, i = 0) {
      const keys = this.ks[c]!;
      const vals = this.vs[c]!;
      for (; i < keys.length; i++) if (fn(keys[i]!, vals[i]!) === false) return;
    }
  }

  /** Every key and value in order. */
  *entries(): IterableIterator<[string, V]> {
    for (let c = 0; c < this.ks.length; c++) {
      const keys = this.ks[c]!;
      const vals = this.vs[c]!;
      for (let i = 0; i < keys.length; i++) yield [keys[i]!, vals[i]!];
    }
  }
}

// ---------------------------------------------------------------------------------------
// Consumer groups
// ---------------------------------------------------------------------------------------

/** A pending entry (Valkey's NACK): delivered to `consumer`, not acknowledged yet. */
export class PendingEntry {
  constructor(
    /** Owner; null only transiently (XCLAIM FORCE before assignment). */
    public consumer: Consumer | null,
    /** Last delivery, ms since the epoch. */
    public deliveryTime: number,
    /** Number of deliveries. */
    public deliveryCount: number,
  ) {}
}

/** A consumer of a group. */
export class Consumer {
  /** Its pending entries (shared objects with the group PEL). */
  readonly pel = new IdMap<PendingEntry>();
  /** Last successful interaction (ms); -1 when none yet. */
  activeTime = -1;
  constructor(
    readonly name: string,
    /** Last attempted interaction (ms). */
    public seenTime: number,
  ) {}
}

/** Keeps `names` sorted (byte order, as Valkey's radix tree iterates). */
function sortedInsert(names: string[], name: string): void {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  names.splice(lo, 0, name);
}

function sortedRemove(names: string[], name: string): void {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  if (names[lo] === name) names.splice(lo, 1);
}

/** A consumer group: last delivered ID, logical read counter, PEL and consumers. */
export class ConsumerGroup {
  /** The group PEL: every pending entry of every consumer. */
  readonly pel = new IdMap<PendingEntry>();
  readonly consumers = new Map<string, Consumer>();
  /** Consumer names in byte order. */
  readonly consumerNames: string[] = [];

  constructor(
    readonly name: string,
    /** Last delivered ID. */
    public lastId: string,
    /** Logical read counter (ENTRIES_READ_INVALID when unknown). */
    public entriesRead: Counter,
  ) {}

  /** Adds a consumer; undefined when the name exists. */
  createConsumer(name: string, now: number): Consumer | undefined {
    if (this.consumers.has(name)) return undefined;
    const c = new Consumer(name, now);
    this.consumers.set(name, c);
    sortedInsert(this.consumerNames, name);
    return c;
  }

  /** Deletes a consumer and its pending entries; returns how many it had. */
  deleteConsumer(c: Consumer): number {
    const n = c.pel.size;
    for (const [id] of c.pel.entries()) this.pel.delete(id);
    this.consumers.delete(c.name);
    sortedRemove(this.consumerNames, c.name);
    return n;
  }

  /** Removes a pending entry from the group and its consumer; returns it. */
  ack(id: string): PendingEntry | undefined {
    const p = this.pel.delete(id);
    if (p !== undefined) p.consumer?.pel.delete(id);
    return p;
  }

  /** Consumers in byte order of their names. */
  *orderedConsumers(): IterableIterator<Consumer> {
    for (const n of this.consumerNames) yield this.consumers.get(n)!;
  }
}

// ---------------------------------------------------------------------------------------
// The stream
// ---------------------------------------------------------------------------------------

/** A stream: entries in macro nodes, counters, and consumer groups. */
export class StreamValue {
  /** Macro nodes in ID order (Valkey's radix tree of listpacks). */
  nodes: StreamNode[] = [];
  /** Live entries. */
  length = 0;
  /** Last generated ID (last-generated-id). */
  lastId = MIN_ID;
  /** ID of the first live entry, 0-0 when empty (recorded-first-entry-id). */
  firstId = MIN_ID;
  /** Largest ID ever deleted with XDEL (max-deleted-entry-id). */
  maxDeletedId = MIN_ID;
  /** Entries ever added (entries-added). */
  entriesAdded: Counter = 0;
  /** Consumer groups by name. */
  readonly groups = new Map<string, ConsumerGroup>();
  /** Group names in byte order. */
  readonly groupNames: string[] = [];
  private raxNodesCache = -1;

  /** Must be called after changing `nodes` directly (the radix-tree node count is cached). */
  nodesChanged(): void {
    this.raxNodesCache = -1;
  }

  // ---- entries ----

  /**
   * Appends an entry with an ID that must be greater than lastId (callers check), placing
   * it as Valkey does: in the tail node unless that node has 100 entries or its listpack
   * plus the new fields and values would reach 4096 bytes.
   */
  append(id: string, fv: string[]): void {
    let node = this.nodes.length ? this.nodes[this.nodes.length - 1]! : undefined;
    if (node !== undefined) {
      let tot = 0;
      for (let j = 0; j < fv.length; j++) tot += fv[j]!.length;
      if (node.bytes + tot >= STREAM_NODE_MAX_BYTES || node.live + node.deleted >= STREAM_NODE_MAX_ENTRIES) node = undefined;
    }
    let same: boolean;
    if (node === undefined) {
      const mf = new Array<string>(fv.length / 2);
      for (let j = 0; j < mf.length; j++) mf[j] = fv[2 * j]!;
      node = new StreamNode(id, mf);
      this.nodes.push(node);
      this.raxNodesCache = -1;
      same = true;
    } else same = node.sameFields(fv);
    node.append(id, fv, same);
    this.length++;
    this.entriesAdded = counterIncr(this.entriesAdded);
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /**
   * The ID `*` gets at time `nowMs` (streamNextID): `nowMs-0` when that is past the last
   * ID's milliseconds, else the last ID plus one; undefined when the last ID is the largest.
   */
  nextAutoId(nowMs: number): string | undefined {
    if (idMs(this.lastId) < nowMs) return makeId(nowMs, 0);
    return incrId(this.lastId);
  }

  /** Index of the node that may hold id: the last node whose key is <= id, else 0. */
  nodeFor(id: string): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodes[mid]!.master <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? lo - 1 : 0;
  }

  /** Locates a live entry: sets `foundNode`/`foundIndex` and returns true when present. */
  find(id: string): boolean {
    if (this.nodes.length === 0) return false;
    const n = this.nodes[this.nodeFor(id)]!;
    const i = n.lowerBound(id);
    if (i < n.ids.length && n.ids[i] === id && !n.isDeleted(i)) {
      this.foundNode = n;
      this.foundIndex = i;
      return true;
    }
    return false;
  }

  /** Result of the last successful find(). */
  foundNode: StreamNode | undefined;
  foundIndex = 0;

  /** Whether a live entry with this ID exists. */
  has(id: string): boolean {
    return this.find(id);
  }

  /**
   * Collects live entries with start <= ID <= end, ascending (or descending when `rev`),
   * at most `count` of them (0: no limit), appending node and index pairs to the output
   * arrays. Returns how many were added.
   */
  range(start: string, end: string, rev: boolean, count: number, outNodes: StreamNode[], outIdx: number[]): number {
    const nodes = this.nodes;
    if (nodes.length === 0 || start > end) return 0;
    let added = 0;
    if (!rev) {
      let ni = this.nodeFor(start);
      let i = nodes[ni]!.lowerBound(start);
      for (; ni < nodes.length; ni++, i = 0) {
        const n = nodes[ni]!;
        for (; i < n.ids.length; i++) {
          if (n.flags[i]! & FLAG_DELETED) continue;
          if (n.ids[i]! > end) return added;
          outNodes.push(n);
          outIdx.push(i);
          if (++added === count) return added;
        }
      }
    } else {
      let ni = this.nodeFor(end);
      let n = nodes[ni]!;
      let i = n.lowerBound(end);
      if (i === n.ids.length || n.ids[i]! > end) i--;
      for (;;) {
        for (; i >= 0; i--) {
          if (n.flags[i]! & FLAG_DELETED) continue;
          if (n.ids[i]! < start) return added;
          outNodes.push(n);
          outIdx.push(i);
          if (++added === count) return added;
        }
        if (--ni < 0) break;
        n = nodes[ni]!;
        i = n.ids.length - 1;
      }
    }
    return added;
  }

  /** The ID of the first (or last) live entry, or undefined when empty. */
  edgeId(first: boolean): string | undefined {
    const nodes = this.nodes;
    if (first) {
      for (const n of nodes) for (let i = 0; i < n.ids.length; i++) if (!(n.flags[i]! & FLAG_DELETED)) return n.ids[i];
    } else {
      for (let ni = nodes.length - 1; ni >= 0; ni--) {
        const n = nodes[ni]!;
        for (let i = n.ids.length - 1; i >= 0; i--) if (!(n.flags[i]! & FLAG_DELETED)) return n.ids[i];
      }
    }
    return undefined;
  }

  /** The ID of the last live entry (streamLastValidID); 0-0 when empty. */
  lastValidId(): string {
    return this.edgeId(false) ?? MIN_ID;
  }

  /**
   * Deletes one live entry (XDEL's per-ID step): flags it, drops its node when it was the
   * node's last live entry. Does not touch firstId or maxDeletedId. Returns whether it
   * existed.
   */
  deleteEntry(id: string): boolean {
    if (this.nodes.length === 0) return false;
    const ni = this.nodeFor(id);
    const n = this.nodes[ni]!;
    const i = n.lowerBound(id);
    if (i === n.ids.length || n.ids[i] !== id || n.isDeleted(i)) return false;
    if (n.live === 1) {
      this.nodes.splice(ni, 1);
      this.raxNodesCache = -1;
    } else n.markDeleted(i);
    this.length--;
    return true;
  }

  /**
   * Trims from the head as Valkey's streamTrim: by length (`maxlen`) or by ID (`minid`:
   * entries below it go), whole nodes first; with `approx` only whole nodes; `limit`
   * bounds the entries removed (0: none). Updates firstId. Returns entries removed.
   */
  trim(byMaxlen: boolean, maxlen: number, minid: string, approx: boolean, limit: number): number {
    const nodes = this.nodes;
    let deleted = 0;
    let dropped = 0;
    while (dropped < nodes.length) {
      if (byMaxlen && this.length <= maxlen) break;
      const n = nodes[dropped]!;
      const entries = n.live;
      if (limit && deleted + entries > limit) break;
      let removeNode: boolean;
      if (byMaxlen) removeNode = this.length - entries >= maxlen;
      else removeNode = n.ids[n.ids.length - 1]! < minid;
      if (removeNode) {
        dropped++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      let fromNode = 0;
      for (let i = 0; i < n.ids.length; i++) {
        if (byMaxlen ? this.length <= maxlen : n.ids[i]! >= minid) break;
        if (!(n.flags[i]! & FLAG_DELETED)) {
          n.markDeleted(i);
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      break;
    }
    if (dropped > 0) {
      nodes.splice(0, dropped);
      this.raxNodesCache = -1;
    }
    if (this.length === 0) this.firstId = MIN_ID;
    else if (deleted) this.firstId = this.edgeId(true)!;
    return deleted;
  }

  // ---- consumer groups ----

  /** Creates a group; undefined when the name exists. */
  createGroup(name: string, lastId: string, entriesRead: Counter): ConsumerGroup | undefined {
    if (this.groups.has(name)) return undefined;
    const g = new ConsumerGroup(name, lastId, entriesRead);
    this.groups.set(name, g);
    sortedInsert(this.groupNames, name);
    return g;
  }

  /** Destroys a group; returns whether it existed. */
  destroyGroup(name: string): boolean {
    if (!this.groups.delete(name)) return false;
    sortedRemove(this.groupNames, name);
    return true;
  }

  /** Groups in byte order of their names. */
  *orderedGroups(): IterableIterator<ConsumerGroup> {
    for (const n of this.groupNames) yield this.groups.get(n)!;
  }

  // ---- lag (consumer group progress), as Valkey computes it ----

  /** Whether a tombstone (deleted entry) may lie at or after `start` (streamRangeHasTombstones). */
  hasTombstonesFrom(start: string): boolean {
    if (this.length === 0 || this.maxDeletedId === MIN_ID) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId;
  }

  /** The logical read counter of `id` when it can be known, else ENTRIES_READ_INVALID
   *  (streamEstimateDistanceFromFirstEverEntry). */
  estimateDistance(id: string): Counter {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return ENTRIES_READ_INVALID;
    if (this.maxDeletedId === MIN_ID || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return counterSub(this.entriesAdded, this.length);
      if (id === this.firstId) return counterIncr(counterSub(this.entriesAdded, this.length));
    }
    return ENTRIES_READ_INVALID;
  }

  /** A group's lag, or null when it cannot be known (streamReplyWithCGLag). */
  lag(g: ConsumerGroup): Counter | null {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== ENTRIES_READ_INVALID && !this.hasTombstonesFrom(g.lastId)) {
      return counterSub(this.entriesAdded, g.entriesRead);
    }
    const read = this.estimateDistance(g.lastId);
    return read === ENTRIES_READ_INVALID ? null : counterSub(this.entriesAdded, read);
  }

  /** Advances a group past `id` when it is beyond its last delivered ID, keeping the
   *  logical read counter as Valkey does. */
  deliverTo(g: ConsumerGroup, id: string): void {
    if (id <= g.lastId) return;
    if (g.entriesRead !== ENTRIES_READ_INVALID && !this.hasTombstonesFrom(id)) g.entriesRead = counterIncr(g.entriesRead);
    else if (this.entriesAdded !== 0) g.entriesRead = this.estimateDistance(id);
    g.lastId = id;
  }

  // ---- introspection ----

  /** XINFO's radix-tree-keys: the number of macro nodes. */
  get radixTreeKeys(): number {
    return this.nodes.length;
  }

  /**
   * XINFO's radix-tree-nodes: the node count of Valkey's radix tree over the 16-byte node
   * keys. The tree is kept fully compressed by its insert and delete operations, so the
   * count follows from the key set: root, branching points, their children, and leaves.
   */
  get radixTreeNodes(): number {
    if (this.raxNodesCache < 0) this.raxNodesCache = raxNodeCount(this.nodes);
    return this.raxNodesCache;
  }

  /** A deep copy (COPY). */
  clone(): StreamValue {
    const s = new StreamValue();
    for (const n of this.nodes) {
      const c = new StreamNode(n.master, n.masterFields);
      c.ids.push(...n.ids);
      c.flags.push(...n.flags);
      c.pos.length = 0;
      c.pos.push(...n.pos);
      c.data.push(...n.data);
      c.live = n.live;
      c.deleted = n.deleted;
      c.bytes = n.bytes;
      s.nodes.push(c);
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    for (const g of this.orderedGroups()) {
      const ng = s.createGroup(g.name, g.lastId, g.entriesRead)!;
      for (const c of g.orderedConsumers()) {
        const nc = ng.createConsumer(c.name, c.seenTime)!;
        nc.activeTime = c.activeTime;
      }
      for (const [id, p] of g.pel.entries()) {
        const np = new PendingEntry(p.consumer ? ng.consumers.get(p.consumer.name)! : null, p.deliveryTime, p.deliveryCount);
        ng.pel.set(id, np);
        np.consumer?.pel.set(id, np);
      }
    }
    return s;
  }
}

/** Node count of a fully compressed radix tree over the nodes' 16-byte keys. */
function raxNodeCount(nodes: StreamNode[]): number {
  const n = nodes.length;
  if (n === 0) return 1;
  if (n === 1) return 2;
  const lcp = new Array<number>(n - 1);
  let top = 16;
  for (let i = 0; i < n - 1; i++) {
    const a = nodes[i]!.master;
    const b = nodes[i + 1]!.master;
    let l = 0;
    while (l < 16 && a.charCodeAt(l) === b.charCodeAt(l)) l++;
    lcp[i] = l;
    if (l < top) top = l;
  }
  // Walk the compacted trie (leaves at depth 16, branching nodes at the LCP depths): each
  // edge longer than one byte adds a node for the child position right below the branch.
  let internal = 1;
  let extra = 0;
  const stack: number[] = [top];
  const attach = (childDepth: number, parentDepth: number) => {
    if (childDepth - parentDepth > 1) extra++;
  };
  for (let i = 0; i < n - 1; i++) {
    const l = lcp[i]!;
    let child = 16;
    while (stack[stack.length - 1]! > l) {
      const d = stack.pop()!;
      attach(child, d);
      child = d;
    }
    attach(child, l);
    if (stack[stack.length - 1]! < l) {
      stack.push(l);
      internal++;
    }
  }
  let child = 16;
  while (stack.length) {
    const d = stack.pop()!;
    attach(child, d);
    child = d;
  }
  return internal + n + extra + (top > 0 ? 1 : 0);
}
