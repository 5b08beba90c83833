/**
 * The sorted set value type: members ordered by (score, member bytes), as Valkey orders
 * them (scores compared as doubles, equal scores broken by a byte-wise comparison of the
 * members, a shorter prefix first). Members are one-byte ("latin1") JS strings, so JS string
 * comparison is exactly that byte order.
 *
 * Storage is a skiplist whose forward links carry span counts (how many ranks a link
 * skips), which gives O(log n) insert, delete, rank, rank lookup and score/lex range
 * search in both directions, plus a Map member -> node for O(1) score lookups.
 *
 * Valkey keeps small sets in a listpack and converts them, one way, to a skiplist when
 * they grow past zset-max-listpack-entries members or gain a member longer than
 * zset-max-listpack-value bytes. Only the reported encoding and one visible side effect of
 * the listpack are modelled: a listpack stores integral scores as integers, so a score of
 * -0 reads back as 0 while the set is a listpack.
 */

/** Highest skiplist level (as Valkey). */
const MAX_LEVEL = 32;

/** Spans of a level-1 node: level 0 spans are implicit (1), so it needs none. */
const NO_SPANS: number[] = [];

/** One element of a sorted set. `next[i]` is its level-i forward link and `span[i]` (i >= 1)
 *  the number of ranks that link skips (level-0 links always skip one); `prev` is the
 *  level-0 back link (null for the first node). */
export class ZNode {
  readonly next: (ZNode | null)[];
  readonly span: number[];
  prev: ZNode | null = null;

  constructor(
    readonly member: string,
    public score: number,
    level: number,
  ) {
    const next: (ZNode | null)[] = [];
    for (let i = 0; i < level; i++) next.push(null);
    this.next = next;
    if (level > 1) {
      const span: number[] = [];
      for (let i = 0; i < level; i++) span.push(0);
      this.span = span;
    } else this.span = NO_SPANS;
  }
}

/** A score interval: min/max with exclusive flags (the `(` prefix). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A member interval for BYLEX: each bound is a byte string, or -inf (kind -1, `-`) or
 *  +inf (kind 1, `+`); kind 0 means the string bound. */
export interface LexRange {
  min: string;
  max: string;
  minKind: -1 | 0 | 1;
  maxKind: -1 | 0 | 1;
  minex: boolean;
  maxex: boolean;
}

/** Whether a score is at or above the range's lower bound. */
export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

/** Whether a score is at or below the range's upper bound. */
export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** Compares a member with a lex bound (negative: member sorts first). */
function cmpBound(v: string, bound: string, kind: number): number {
  if (kind !== 0) return -kind;
  return v < bound ? -1 : v > bound ? 1 : 0;
}

/** Whether a member is at or above the lex range's lower bound. */
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = cmpBound(v, r.min, r.minKind);
  return r.minex ? c > 0 : c >= 0;
}

/** Whether a member is at or below the lex range's upper bound. */
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = cmpBound(v, r.max, r.maxKind);
  return r.maxex ? c < 0 : c <= 0;
}

/** Whether a score range can hold nothing whatever the set (min > max, or a point with an
 *  exclusive end). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Whether a lex range can hold nothing whatever the set. */
export function lexRangeEmpty(r: LexRange): boolean {
  let c: number;
  if (r.minKind !== 0 || r.maxKind !== 0) {
    if (r.minKind === r.maxKind) c = 0;
    else if (r.minKind === -1 || r.maxKind === 1) c = -1;
    else c = 1;
  } else c = r.min < r.max ? -1 : r.min > r.max ? 1 : 0;
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < 0.25) level++;
  return level;
}

/** Scratch arrays for search paths (single-threaded engine: shared safely). */
const UPDATE: ZNode[] = [];
const RANK: number[] = [];
for (let i = 0; i < MAX_LEVEL; i++) RANK.push(0);
{
  const dummy = new ZNode('', 0, 1);
  for (let i = 0; i < MAX_LEVEL; i++) UPDATE.push(dummy);
}

/** How many stale ZSCAN cursors one value keeps. */
const MAX_SCAN_CURSORS = 16;

/** A sorted set: the skiplist, the member index, and the encoding Valkey would report. */
export class ZSetValue {
  /** zset-max-listpack-entries (CONFIG may change it). */
  static maxListpackEntries = 128;
  /** zset-max-listpack-value (CONFIG may change it). */
  static maxListpackValue = 64;

  /** member -> its node (score lookups in O(1)). */
  readonly dict = new Map<string, ZNode>();
  private readonly head: ZNode;
  private tail: ZNode | null = null;
  private level = 1;
  /** Nodes linked in the skiplist (the dict may briefly hold one more during an update). */
  private length = 0;
  private listpack: boolean;
  /** 1-based rank of the node the last first/last-in-range search returned. */
  lastRank = 0;
  private cursors: Map<number, Iterator<ZNode>> | undefined;
  private nextCursor = 1;

  /** An empty set; `listpack` false starts it in the skiplist encoding. */
  constructor(listpack = true) {
    this.head = new ZNode('', 0, MAX_LEVEL);
    this.listpack = listpack;
  }

  /** A new set sized for `sizeHint` members of up to `maxLenHint` bytes (zsetTypeCreate). */
  static create(sizeHint: number, maxLenHint: number): ZSetValue {
    return new ZSetValue(sizeHint <= ZSetValue.maxListpackEntries && maxLenHint <= ZSetValue.maxListpackValue);
  }

  /**
   * Builds a set from members already sorted by (score, member) with no duplicates, in
   * O(n). The encoding is listpack when it fits (`allowListpack`), as Valkey's store
   * commands leave their results.
   */
  static fromSorted(members: string[], scores: number[], allowListpack = true): ZSetValue {
    const n = members.length;
    let lp = allowListpack && n <= ZSetValue.maxListpackEntries;
    if (lp) {
      for (let i = 0; i < n; i++) {
        if (members[i]!.length > ZSetValue.maxListpackValue) {
          lp = false;
          break;
        }
      }
    }
    const z = new ZSetValue(lp);
    const edge: ZNode[] = [];
    const edgeRank: number[] = [];
    for (let i = 0; i < MAX_LEVEL; i++) {
      edge.push(z.head);
      edgeRank.push(0);
    }
    let last: ZNode | null = null;
    for (let i = 0; i < n; i++) {
      const lvl = randomLevel();
      if (lvl > z.level) z.level = lvl;
      let s = scores[i]!;
      if (lp && s === 0) s = 0;
      const node = new ZNode(members[i]!, s, lvl);
      const r = i + 1;
      for (let l = 0; l < lvl; l++) {
        const e = edge[l]!;
        e.next[l] = node;
        if (l > 0) e.span[l] = r - edgeRank[l]!;
        edge[l] = node;
        edgeRank[l] = r;
      }
      node.prev = last;
      last = node;
      z.dict.set(node.member, node);
    }
    for (let l = 1; l < z.level; l++) edge[l]!.span[l] = n - edgeRank[l]!;
    z.tail = last;
    z.length = n;
    return z;
  }

  /** Number of members. */
  get size(): number {
    return this.dict.size;
  }

  /** OBJECT ENCODING's answer: "listpack" or "skiplist". */
  encoding(): 'listpack' | 'skiplist' {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  /** Converts to the skiplist encoding when a write of `sizeHint` members of up to
   *  `maxLenHint` bytes would not fit a listpack (zsetTypeMaybeConvert); never back. */
  maybeConvert(sizeHint: number, maxLenHint: number): void {
    if (this.listpack && (sizeHint > ZSetValue.maxListpackEntries || maxLenHint > ZSetValue.maxListpackValue)) {
      this.listpack = false;
    }
  }

  /** A member's score, or undefined. */
  score(member: string): number | undefined {
    return this.dict.get(member)?.score;
  }

  /** Whether a member is present. */
  has(member: string): boolean {
    return this.dict.has(member);
  }

  /** The lowest node, or null when empty. */
  first(): ZNode | null {
    return this.head.next[0]!;
  }

  /** The highest node, or null when empty. */
  last(): ZNode | null {
    return this.tail;
  }

  /** Adds a member that is not present (the caller checks). */
  add(member: string, score: number): void {
    if (this.listpack) {
      if (this.dict.size + 1 > ZSetValue.maxListpackEntries || member.length > ZSetValue.maxListpackValue) {
        this.listpack = false;
      } else if (score === 0) score = 0; // a listpack stores -0 as the integer 0
    }
    this.dict.set(member, this.insert(member, score));
  }

  /** Sets a present member's score (no-op when equal). */
  update(member: string, score: number): void {
    const node = this.dict.get(member)!;
    if (this.listpack && score === 0) score = 0;
    if (score === node.score) return;
    const next = node.next[0]!;
    if ((node.prev === null || node.prev.score < score) && (next === null || next.score > score)) {
      node.score = score;
      return;
    }
    this.unlink(node);
    this.dict.set(member, this.insert(member, score));
  }

  /** Removes a member; returns whether it was present. */
  remove(member: string): boolean {
    const node = this.dict.get(member);
    if (node === undefined) return false;
    this.dict.delete(member);
    this.unlink(node);
    return true;
  }

  /** Removes and returns the lowest (max false) or highest node; null when empty. */
  pop(max: boolean): ZNode | null {
    const node = max ? this.tail : this.head.next[0]!;
    if (node === null) return null;
    this.dict.delete(node.member);
    this.unlink(node);
    return node;
  }

  private insert(member: string, score: number): ZNode {
    let x = this.head;
    const top = this.level - 1;
    for (let i = top; i >= 0; i--) {
      RANK[i] = i === top ? 0 : RANK[i + 1]!;
      let f = x.next[i]!;
      while (f !== null && (f.score < score || (f.score === score && f.member < member))) {
        RANK[i] += i === 0 ? 1 : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
      UPDATE[i] = x;
    }
    const lvl = randomLevel();
    const len = this.length;
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        RANK[i] = 0;
        UPDATE[i] = this.head;
        this.head.span[i] = len;
      }
      this.level = lvl;
    }
    const node = new ZNode(member, score, lvl);
    const r0 = RANK[0]!;
    for (let i = 0; i < lvl; i++) {
      const u = UPDATE[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      if (i > 0) {
        node.span[i] = u.span[i]! - (r0 - RANK[i]!);
        u.span[i] = r0 - RANK[i]! + 1;
      }
    }
    for (let i = lvl; i < this.level; i++) UPDATE[i]!.span[i]!++;
    const u0 = UPDATE[0]!;
    node.prev = u0 === this.head ? null : u0;
    const n0 = node.next[0]!;
    if (n0 !== null) n0.prev = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Fills UPDATE with the last node before `node` at each level. */
  private pathTo(score: number, member: string): void {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && (f.score < score || (f.score === score && f.member < member))) {
        x = f;
        f = x.next[i]!;
      }
      UPDATE[i] = x;
    }
  }

  private unlink(node: ZNode): void {
    this.pathTo(node.score, node.member);
    this.unlinkWithPath(node);
  }

  /** Unlinks `node` given UPDATE filled with its predecessors. */
  private unlinkWithPath(x: ZNode): void {
    const u0 = UPDATE[0]!;
    u0.next[0] = x.next[0]!;
    for (let i = 1; i < this.level; i++) {
      const u = UPDATE[i]!;
      if (u.next[i] === x) {
        u.span[i] += x.span[i]! - 1;
        u.next[i] = x.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const n0 = x.next[0]!;
    if (n0 !== null) n0.prev = x.prev;
    else this.tail = x.prev;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** A member's 0-based rank from the lowest (reverse: from the highest); -1 if absent. */
  rank(member: string, reverse = false): number {
    const node = this.dict.get(member);
    if (node === undefined) return -1;
    const r = this.rankOf(node);
    return reverse ? this.dict.size - r : r - 1;
  }

  /** 1-based rank of a node in the set. */
  rankOf(node: ZNode): number {
    const score = node.score;
    const member = node.member;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && (f.score < score || (f.score === score && f.member <= member))) {
        rank += i === 0 ? 1 : x.span[i]!;
        x = f;
        if (x === node) return rank;
        f = x.next[i]!;
      }
    }
    return rank;
  }

  /** The node at a 1-based rank, or null when out of range. */
  byRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.length) return null;
    let x = this.head;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      const sp = i === 0 ? 1 : -1;
      while (f !== null && traversed + (sp > 0 ? sp : x.span[i]!) <= rank) {
        traversed += sp > 0 ? sp : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** The lowest node inside a score range (its rank in `lastRank`), or null. */
  firstInRange(r: ScoreRange): ZNode | null {
    if (scoreRangeEmpty(r) || this.tail === null || !scoreGteMin(this.tail.score, r)) return null;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && !scoreGteMin(f.score, r)) {
        rank += i === 0 ? 1 : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
    }
    const n = x.next[0]!;
    if (n === null || !scoreLteMax(n.score, r)) return null;
    this.lastRank = rank + 1;
    return n;
  }

  /** The highest node inside a score range (its rank in `lastRank`), or null. */
  lastInRange(r: ScoreRange): ZNode | null {
    const first = this.head.next[0]!;
    if (scoreRangeEmpty(r) || first === null || !scoreLteMax(first.score, r)) return null;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && scoreLteMax(f.score, r)) {
        rank += i === 0 ? 1 : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
    }
    if (x === this.head || !scoreGteMin(x.score, r)) return null;
    this.lastRank = rank;
    return x;
  }

  /** Whether the lex range may hold members: the highest member is at or above min and the
   *  lowest at or below max (both checks matter when scores differ). */
  private maybeInLex(r: LexRange): boolean {
    const first = this.head.next[0]!;
    return !lexRangeEmpty(r) && first !== null && lexGteMin(this.tail!.member, r) && lexLteMax(first.member, r);
  }

  /**
   * The lowest node inside a lex range (its rank in `lastRank`), or null. Lex ranges are
   * meant for sets whose members share one score; when scores differ the answer follows
   * Valkey's walk for the encoding (a linear scan for a listpack, a skiplist descent).
   */
  firstInLex(r: LexRange): ZNode | null {
    if (!this.maybeInLex(r)) return null;
    if (this.listpack) {
      let rank = 1;
      for (let n = this.head.next[0]!; n !== null; n = n.next[0]!, rank++) {
        if (lexGteMin(n.member, r)) {
          if (!lexLteMax(n.member, r)) return null;
          this.lastRank = rank;
          return n;
        }
      }
      return null;
    }
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && !lexGteMin(f.member, r)) {
        rank += i === 0 ? 1 : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
    }
    const n = x.next[0]!;
    if (n === null || !lexLteMax(n.member, r)) return null;
    this.lastRank = rank + 1;
    return n;
  }

  /** The highest node inside a lex range (its rank in `lastRank`), or null. */
  lastInLex(r: LexRange): ZNode | null {
    if (!this.maybeInLex(r)) return null;
    if (this.listpack) {
      let rank = this.length;
      for (let n = this.tail; n !== null; n = n.prev, rank--) {
        if (lexLteMax(n.member, r)) {
          if (!lexGteMin(n.member, r)) return null;
          this.lastRank = rank;
          return n;
        }
      }
      return null;
    }
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && lexLteMax(f.member, r)) {
        rank += i === 0 ? 1 : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
    }
    if (x === this.head || !lexGteMin(x.member, r)) return null;
    this.lastRank = rank;
    return x;
  }

  /** How many members have a score inside the range (O(log n)). */
  countInRange(r: ScoreRange): number {
    if (this.firstInRange(r) === null) return 0;
    const a = this.lastRank;
    this.lastInRange(r);
    return this.lastRank - a + 1;
  }

  /** How many members fall inside the lex range (O(log n); a listpack counts forward). */
  countInLex(r: LexRange): number {
    let n = this.firstInLex(r);
    if (n === null) return 0;
    if (this.listpack) {
      let count = 0;
      for (; n !== null && lexLteMax(n.member, r); n = n.next[0]!) count++;
      return count;
    }
    const a = this.lastRank;
    this.lastInLex(r);
    return this.lastRank - a + 1;
  }

  /** Removes the members with 1-based ranks start..end (inclusive, valid); returns how many. */
  removeRangeByRank(start: number, end: number): number {
    let x = this.head;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      const sp = i === 0 ? 1 : -1;
      while (f !== null && traversed + (sp > 0 ? sp : x.span[i]!) < start) {
        traversed += sp > 0 ? sp : x.span[i]!;
        x = f;
        f = x.next[i]!;
      }
      UPDATE[i] = x;
    }
    traversed++;
    let n = x.next[0]!;
    let removed = 0;
    while (n !== null && traversed <= end) {
      const after = n.next[0]!;
      this.unlinkWithPath(n);
      this.dict.delete(n.member);
      removed++;
      traversed++;
      n = after;
    }
    return removed;
  }

  /** Removes the members whose score is inside the range; returns how many. */
  removeRangeByScore(r: ScoreRange): number {
    if (scoreRangeEmpty(r)) return 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && !scoreGteMin(f.score, r)) {
        x = f;
        f = x.next[i]!;
      }
      UPDATE[i] = x;
    }
    let n = x.next[0]!;
    let removed = 0;
    while (n !== null && scoreLteMax(n.score, r)) {
      const after = n.next[0]!;
      this.unlinkWithPath(n);
      this.dict.delete(n.member);
      removed++;
      n = after;
    }
    return removed;
  }

  /** Removes the members inside the lex range; returns how many. */
  removeRangeByLex(r: LexRange): number {
    if (lexRangeEmpty(r)) return 0;
    if (this.listpack) {
      let n = this.firstInLex(r);
      let removed = 0;
      while (n !== null && lexLteMax(n.member, r)) {
        const after = n.next[0]!;
        this.remove(n.member);
        removed++;
        n = after;
      }
      return removed;
    }
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i]!;
      while (f !== null && !lexGteMin(f.member, r)) {
        x = f;
        f = x.next[i]!;
      }
      UPDATE[i] = x;
    }
    let n = x.next[0]!;
    let removed = 0;
    while (n !== null && lexLteMax(n.member, r)) {
      const after = n.next[0]!;
      this.unlinkWithPath(n);
      this.dict.delete(n.member);
      removed++;
      n = after;
    }
    return removed;
  }

  /** A uniformly random node (the set must not be empty). */
  randomNode(): ZNode {
    return this.byRank(1 + Math.floor(Math.random() * this.dict.size))!;
  }

  /** Members and scores from the lowest to the highest. */
  *entries(): IterableIterator<[member: string, score: number]> {
    for (let n = this.head.next[0]!; n !== null; n = n.next[0]!) yield [n.member, n.score];
  }

  /** A copy with the same members, scores and encoding (COPY, RESTORE of a dump). */
  copy(): ZSetValue {
    const members: string[] = [];
    const scores: number[] = [];
    for (let n = this.head.next[0]!; n !== null; n = n.next[0]!) {
      members.push(n.member);
      scores.push(n.score);
    }
    const z = ZSetValue.fromSorted(members, scores, this.listpack);
    z.listpack = this.listpack;
    return z;
  }

  /**
   * One ZSCAN step over a skiplist-encoded set: up to `count` members looked at from the
   * cursor on (cursor 0, or one this value does not know, starts over), in no particular
   * order. Members present for the whole iteration are returned at least once. Returns the
   * next cursor (0 at the end) and the visited nodes.
   */
  scan(cursor: string, count: number): { cursor: number; nodes: ZNode[] } {
    const id = Number(cursor);
    let it = id === 0 || this.cursors === undefined ? undefined : this.cursors.get(id);
    if (it !== undefined) this.cursors!.delete(id);
    else it = this.dict.values();
    const nodes: ZNode[] = [];
    while (nodes.length < count) {
      const r = it.next();
      if (r.done) return { cursor: 0, nodes };
      if (this.dict.get(r.value.member) === r.value) nodes.push(r.value);
    }
    const cursors = (this.cursors ??= new Map());
    const next = this.nextCursor++;
    cursors.set(next, it);
    if (cursors.size > MAX_SCAN_CURSORS) cursors.delete(cursors.keys().next().value!);
    return { cursor: next, nodes };
  }
}
