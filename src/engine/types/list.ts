/**
 * The list value type: a ring buffer of byte strings (O(1) amortised push/pop at both ends,
 * O(1) access by index) that also tracks how Valkey would encode the list.
 *
 * Valkey keeps a small list as one listpack and a big one as a quicklist (a chain of
 * listpack nodes of at most `list-max-listpack-size` each). OBJECT ENCODING shows which, and
 * the conversions go both ways: growing past one node's limit makes a quicklist; shrinking to
 * a single node at most half full makes a listpack again. To answer exactly, this class keeps
 * the listpack byte size while small and, once a quicklist, a model of its nodes (entry count,
 * bytes, plain or packed) updated as Valkey's quicklist would be.
 */
import { LP_EMPTY_BYTES, lpEntryBytes, type CollectionConfig, DEFAULT_COLLECTION_CONFIG } from './collections.js';

/** One quicklist node of the encoding model. */
interface QlNode {
  count: number;
  /** Listpack bytes (packed) or the element's length (plain). */
  sz: number;
  plain: boolean;
}

const NODE_SIZES = [4096, 8192, 16384, 32768, 65536];
/** Largest listpack allowed when the fill is an entry count. */
const SIZE_SAFETY_LIMIT = 8192;
/** Quicklist's overestimate of one entry's overhead when deciding whether it fits. */
const SIZE_ESTIMATE_OVERHEAD = 8;

function clampFill(fill: number): number {
  if (fill > 32767) return 32767;
  if (fill < -5) return -5;
  return fill;
}

/** Byte limit of one node for a negative fill, Infinity for a count fill. */
function sizeLimit(fill: number): number {
  return fill < 0 ? NODE_SIZES[Math.min(-fill - 1, NODE_SIZES.length - 1)]! : Infinity;
}

/** Entry-count limit of one node for a positive fill, Infinity for a size fill. */
function countLimit(fill: number): number {
  return fill >= 0 ? (fill === 0 ? 1 : fill) : Infinity;
}

/** quicklistNodeExceedsLimit */
function exceeds(fill: number, sz: number, count: number): boolean {
  if (fill < 0) return sz > sizeLimit(fill);
  if (sz > SIZE_SAFETY_LIMIT) return true;
  return count > countLimit(fill);
}

/** Elements this long get a plain node of their own. */
function isLarge(len: number, fill: number): boolean {
  return fill >= 0 ? len > SIZE_SAFETY_LIMIT : len > sizeLimit(fill);
}

function allowInsert(node: QlNode | undefined, fill: number, len: number): boolean {
  if (node === undefined || node.plain || isLarge(len, fill)) return false;
  return !exceeds(fill, node.sz + len + SIZE_ESTIMATE_OVERHEAD, node.count + 1);
}

function allowMerge(a: QlNode | undefined, b: QlNode | undefined, fill: number): boolean {
  if (a === undefined || b === undefined || a.plain || b.plain) return false;
  return !exceeds(fill, a.sz + b.sz - LP_EMPTY_BYTES, a.count + b.count);
}

function packedNode(count: number, sz: number): QlNode {
  return { count, sz, plain: false };
}

const MIN_CAPACITY = 8;

export class ListValue {
  // ---- storage: a power-of-two ring buffer ----
  private a: (string | undefined)[];
  private h = 0;
  private n = 0;
  private mask: number;

  // ---- encoding model ----
  /** True once Valkey would hold this list as a quicklist. */
  private quick = false;
  /** Listpack bytes while a listpack. */
  private lpBytes = LP_EMPTY_BYTES;
  /** Quicklist nodes head to tail while a quicklist. */
  private nodes: QlNode[] = [];
  /** The quicklist's fill (fixed when it was created, as in Valkey). */
  private fill = -2;

  constructor(items?: Iterable<string>) {
    this.a = new Array(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    if (items) {
      for (const s of items) this.pushTail(s);
      this.normalize();
    }
  }

  /** Number of elements. */
  get length(): number {
    return this.n;
  }

  /** Element at index i (0 <= i < length). */
  at(i: number): string {
    return this.a[(this.h + i) & this.mask]!;
  }

  /** Every element, head to tail. */
  *values(): IterableIterator<string> {
    for (let i = 0; i < this.n; i++) yield this.a[(this.h + i) & this.mask]!;
  }

  /** The elements as an array, head to tail. */
  toArray(): string[] {
    const out = new Array<string>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.a[(this.h + i) & this.mask]!;
    return out;
  }

  /** Index of the first element equal to v at or after `from`, or -1. */
  indexOf(v: string, from = 0): number {
    for (let i = from; i < this.n; i++) if (this.a[(this.h + i) & this.mask] === v) return i;
    return -1;
  }

  /** OBJECT ENCODING's answer: "listpack" or "quicklist". */
  encoding(_config: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): 'listpack' | 'quicklist' {
    return this.quick ? 'quicklist' : 'listpack';
  }

  /** Number of quicklist nodes Valkey would have (1 while a listpack). */
  nodeCount(): number {
    return this.quick ? this.nodes.length : 1;
  }

  /**
   * The encoding model, for DEBUG-style introspection and tests: each quicklist node's
   * entry count, bytes (listpack bytes, or the element length of a plain node) and kind; a
   * listpack list reports itself as one packed node.
   */
  layout(): { count: number; sz: number; plain: boolean }[] {
    if (!this.quick) return [{ count: this.n, sz: this.lpBytes, plain: false }];
    return this.nodes.map((n) => ({ ...n }));
  }

  // ---- conversions ----

  /**
   * Before adding elements whose byte lengths sum to `addBytes` (count `addCount`): becomes
   * a quicklist when the listpack would outgrow one node (listTypeTryConversionAppend).
   */
  prepareGrow(addBytes: number, addCount: number, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    if (this.quick) return;
    const fill = clampFill(cfg.listMaxListpackSize);
    if (!exceeds(fill, this.lpBytes + addBytes, this.n + addCount)) return;
    this.quick = true;
    this.fill = fill;
    this.nodes = this.n > 0 ? [packedNode(this.n, this.lpBytes)] : [];
  }

  /** After removing elements: back to a listpack when one node at most half full remains. */
  shrinkCheck(cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    if (!this.quick || this.nodes.length !== 1) return;
    const node = this.nodes[0]!;
    if (node.plain) return;
    const fill = clampFill(cfg.listMaxListpackSize);
    const sz = fill < 0 ? sizeLimit(fill) / 2 : Infinity;
    const cnt = fill >= 0 ? Math.floor(countLimit(fill) / 2) : Infinity;
    if (node.sz > sz || this.n > cnt) return;
    this.quick = false;
    this.lpBytes = node.sz;
    this.nodes = [];
  }

  /** Recomputes the encoding from the contents, as when a list is loaded. */
  normalize(cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): void {
    let bytes = LP_EMPTY_BYTES;
    for (let i = 0; i < this.n; i++) bytes += lpEntryBytes(this.at(i));
    const items = this.toArray();
    this.quick = false;
    this.lpBytes = bytes;
    this.nodes = [];
    const fill = clampFill(cfg.listMaxListpackSize);
    if (!exceeds(fill, bytes, this.n)) return;
    // rebuild as a quicklist filled from the tail, as the loader does
    this.quick = true;
    this.fill = fill;
    this.h = 0;
    this.n = 0;
    for (const s of items) this.pushTail(s);
  }

  // ---- storage helpers ----

  private grow(): void {
    const cap = this.mask + 1;
    if (this.n < cap) return;
    const next = new Array<string | undefined>(cap * 2);
    for (let i = 0; i < this.n; i++) next[i] = this.a[(this.h + i) & this.mask];
    this.a = next;
    this.h = 0;
    this.mask = cap * 2 - 1;
  }

  private maybeShrinkStorage(): void {
    const cap = this.mask + 1;
    if (cap <= 64 || this.n * 4 > cap) return;
    const size = cap / 2;
    const next = new Array<string | undefined>(size);
    for (let i = 0; i < this.n; i++) next[i] = this.a[(this.h + i) & this.mask];
    this.a = next;
    this.h = 0;
    this.mask = size - 1;
  }

  private rebuild(items: string[]): void {
    let cap = MIN_CAPACITY;
    while (cap < items.length) cap *= 2;
    const next = new Array<string | undefined>(cap);
    for (let i = 0; i < items.length; i++) next[i] = items[i];
    this.a = next;
    this.h = 0;
    this.n = items.length;
    this.mask = cap - 1;
  }

  /** Sum of listpack entry bytes of elements [from, to). */
  private bytesOf(from: number, to: number): number {
    let b = 0;
    for (let i = from; i < to; i++) b += lpEntryBytes(this.at(i));
    return b;
  }

  /** The node holding element i: its index, its first element's index and i's offset. */
  private findNode(i: number): { k: number; base: number } {
    const nodes = this.nodes;
    if (i < this.n / 2) {
      let base = 0;
      for (let k = 0; k < nodes.length; k++) {
        const c = nodes[k]!.count;
        if (i < base + c) return { k, base };
        base += c;
      }
    } else {
      let end = this.n;
      for (let k = nodes.length - 1; k >= 0; k--) {
        const c = nodes[k]!.count;
        if (i >= end - c) return { k, base: end - c };
        end -= c;
      }
    }
    throw new Error('list model out of sync');
  }

  // ---- ends ----

  /** Adds an element at the head (LPUSH). */
  pushHead(v: string): void {
    this.grow();
    this.h = (this.h - 1) & this.mask;
    this.a[this.h] = v;
    this.n++;
    if (!this.quick) {
      this.lpBytes += lpEntryBytes(v);
      return;
    }
    const nodes = this.nodes;
    if (isLarge(v.length, this.fill)) nodes.unshift({ count: 1, sz: v.length, plain: true });
    else if (allowInsert(nodes[0], this.fill, v.length)) {
      const node = nodes[0]!;
      node.count++;
      node.sz += lpEntryBytes(v);
    } else nodes.unshift(packedNode(1, LP_EMPTY_BYTES + lpEntryBytes(v)));
  }

  /** Adds an element at the tail (RPUSH). */
  pushTail(v: string): void {
    this.grow();
    this.a[(this.h + this.n) & this.mask] = v;
    this.n++;
    if (!this.quick) {
      this.lpBytes += lpEntryBytes(v);
      return;
    }
    const nodes = this.nodes;
    if (isLarge(v.length, this.fill)) nodes.push({ count: 1, sz: v.length, plain: true });
    else if (allowInsert(nodes[nodes.length - 1], this.fill, v.length)) {
      const node = nodes[nodes.length - 1]!;
      node.count++;
      node.sz += lpEntryBytes(v);
    } else nodes.push(packedNode(1, LP_EMPTY_BYTES + lpEntryBytes(v)));
  }

  /** Removes and returns the head element (undefined when empty). */
  popHead(): string | undefined {
    if (this.n === 0) return undefined;
    const v = this.a[this.h]!;
    this.a[this.h] = undefined;
    this.h = (this.h + 1) & this.mask;
    this.n--;
    this.forgetEnd(0, v);
    this.maybeShrinkStorage();
    return v;
  }

  /** Removes and returns the tail element (undefined when empty). */
  popTail(): string | undefined {
    if (this.n === 0) return undefined;
    const i = (this.h + this.n - 1) & this.mask;
    const v = this.a[i]!;
    this.a[i] = undefined;
    this.n--;
    this.forgetEnd(this.nodes.length - 1, v);
    this.maybeShrinkStorage();
    return v;
  }

  /** Model update for one element v removed from node k (an end node). */
  private forgetEnd(k: number, v: string): void {
    if (!this.quick) {
      this.lpBytes -= lpEntryBytes(v);
      return;
    }
    const node = this.nodes[k]!;
    if (node.plain || node.count === 1) this.nodes.splice(k, 1);
    else {
      node.count--;
      node.sz -= lpEntryBytes(v);
    }
  }

  /** Removes `count` elements from the head (LTRIM, LPOP with a count). */
  deleteHead(count: number): void {
    count = Math.min(count, this.n);
    if (count <= 0) return;
    if (!this.quick) this.lpBytes -= this.bytesOf(0, count);
    else {
      let left = count;
      let pos = 0;
      let drop = 0;
      const nodes = this.nodes;
      while (left > 0) {
        const node = nodes[drop]!;
        if (left >= node.count || node.plain) {
          left -= node.count;
          pos += node.count;
          drop++;
        } else {
          node.sz -= this.bytesOf(pos, pos + left);
          node.count -= left;
          left = 0;
        }
      }
      if (drop) nodes.splice(0, drop);
    }
    for (let i = 0; i < count; i++) this.a[(this.h + i) & this.mask] = undefined;
    this.h = (this.h + count) & this.mask;
    this.n -= count;
    this.maybeShrinkStorage();
  }

  /** Removes `count` elements from the tail. */
  deleteTail(count: number): void {
    count = Math.min(count, this.n);
    if (count <= 0) return;
    if (!this.quick) this.lpBytes -= this.bytesOf(this.n - count, this.n);
    else {
      let left = count;
      let end = this.n;
      const nodes = this.nodes;
      let keep = nodes.length;
      while (left > 0) {
        const node = nodes[keep - 1]!;
        if (left >= node.count || node.plain) {
          left -= node.count;
          end -= node.count;
          keep--;
        } else {
          node.sz -= this.bytesOf(end - left, end);
          node.count -= left;
          left = 0;
        }
      }
      nodes.length = keep;
    }
    for (let i = this.n - count; i < this.n; i++) this.a[(this.h + i) & this.mask] = undefined;
    this.n -= count;
    this.maybeShrinkStorage();
  }

  // ---- middle ----

  /** Inserts v before (after=false) or after (after=true) the element at index i (LINSERT). */
  insertAt(i: number, v: string, after: boolean): void {
    if (this.quick) this.modelInsert(i, v, after);
    else this.lpBytes += lpEntryBytes(v);
    const at = after ? i + 1 : i;
    this.grow();
    if (at < this.n - at) {
      this.h = (this.h - 1) & this.mask;
      for (let k = 0; k < at; k++) this.a[(this.h + k) & this.mask] = this.a[(this.h + k + 1) & this.mask];
    } else {
      for (let k = this.n; k > at; k--) this.a[(this.h + k) & this.mask] = this.a[(this.h + k - 1) & this.mask];
    }
    this.a[(this.h + at) & this.mask] = v;
    this.n++;
  }

  /** Replaces the element at index i (LSET). */
  setAt(i: number, v: string): void {
    const slot = (this.h + i) & this.mask;
    const old = this.a[slot]!;
    if (this.quick) this.modelReplace(i, old, v);
    else this.lpBytes += lpEntryBytes(v) - lpEntryBytes(old);
    this.a[slot] = v;
  }

  /**
   * Removes the element at index i (0 <= i < length), as the module API's ListDelete:
   * its quicklist node loses one entry (or goes when it was its last or a plain node),
   * without merging neighbours (quicklistDelIndex). Returns the removed element.
   */
  removeAt(i: number): string {
    const v = this.at(i);
    if (!this.quick) this.lpBytes -= lpEntryBytes(v);
    else {
      const { k } = this.findNode(i);
      const node = this.nodes[k]!;
      if (node.plain || node.count === 1) this.nodes.splice(k, 1);
      else {
        node.count--;
        node.sz -= lpEntryBytes(v);
      }
    }
    if (i < this.n - 1 - i) {
      for (let k = i; k > 0; k--) this.a[(this.h + k) & this.mask] = this.a[(this.h + k - 1) & this.mask];
      this.a[this.h] = undefined;
      this.h = (this.h + 1) & this.mask;
    } else {
      for (let k = i; k < this.n - 1; k++) this.a[(this.h + k) & this.mask] = this.a[(this.h + k + 1) & this.mask];
      this.a[(this.h + this.n - 1) & this.mask] = undefined;
    }
    this.n--;
    this.maybeShrinkStorage();
    return v;
  }

  /**
   * Removes elements equal to v: up to `limit` (0 = all), scanning from the head or from
   * the tail (LREM). Returns how many were removed.
   */
  removeEqual(v: string, limit: number, fromTail: boolean): number {
    const n = this.n;
    const remove = new Uint8Array(n);
    let removed = 0;
    if (fromTail) {
      for (let i = n - 1; i >= 0; i--) {
        if (this.at(i) === v) {
          remove[i] = 1;
          if (++removed === limit) break;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (this.at(i) === v) {
          remove[i] = 1;
          if (++removed === limit) break;
        }
      }
    }
    if (removed === 0) return 0;
    const entry = lpEntryBytes(v);
    if (!this.quick) this.lpBytes -= entry * removed;
    else {
      let base = 0;
      for (const node of this.nodes) {
        for (let i = base; i < base + node.count; i++) {
          if (!remove[i]) continue;
          if (node.plain) node.sz = 0;
          else node.sz -= entry;
        }
        let gone = 0;
        for (let i = base; i < base + node.count; i++) gone += remove[i]!;
        base += node.count;
        node.count -= gone;
      }
      this.nodes = this.nodes.filter((nd) => nd.count > 0);
    }
    const kept: string[] = [];
    for (let i = 0; i < n; i++) if (!remove[i]) kept.push(this.at(i));
    this.rebuild(kept);
    return removed;
  }

  // ---- quicklist model for middle operations ----

  private insertNode(at: number, node: QlNode): void {
    this.nodes.splice(at, 0, node);
  }

  /** Merges nodes k and k+1 into node k. */
  private mergeAt(k: number): void {
    const a = this.nodes[k]!;
    const b = this.nodes[k + 1]!;
    this.nodes[k] = packedNode(a.count + b.count, a.sz + b.sz - LP_EMPTY_BYTES);
    this.nodes.splice(k + 1, 1);
  }

  /** _quicklistMergeNodes around node c; returns the index of the resulting center. */
  private mergeAround(c: number): number {
    const fill = this.fill;
    const nodes = this.nodes;
    if (c >= 2 && allowMerge(nodes[c - 1], nodes[c - 2], fill)) {
      this.mergeAt(c - 2);
      c--;
    }
    if (allowMerge(nodes[c + 1], nodes[c + 2], fill)) this.mergeAt(c + 1);
    let target = c;
    if (c >= 1 && allowMerge(nodes[c], nodes[c - 1], fill)) {
      this.mergeAt(c - 1);
      target = c - 1;
    }
    if (allowMerge(nodes[target], nodes[target + 1], fill)) this.mergeAt(target);
    return target;
  }

  /**
   * Splits node k at offset o: after=true keeps [0..o] in k and returns a node with the rest;
   * after=false keeps [o..] in k and returns a node with [0..o-1].
   */
  private splitNode(k: number, base: number, o: number, after: boolean): QlNode {
    const node = this.nodes[k]!;
    let from: number;
    let to: number;
    if (after) {
      from = base + o + 1;
      to = base + node.count;
    } else {
      from = base;
      to = base + o;
    }
    const moved = this.bytesOf(from, to);
    node.sz -= moved;
    node.count -= to - from;
    return packedNode(to - from, LP_EMPTY_BYTES + moved);
  }

  private modelInsert(i: number, v: string, after: boolean): void {
    const fill = this.fill;
    const len = v.length;
    const es = lpEntryBytes(v);
    const nodes = this.nodes;
    const { k, base } = this.findNode(i);
    const node = nodes[k]!;
    const o = i - base;
    const full = !allowInsert(node, fill, len);
    const atTail = after && o === node.count - 1;
    const atHead = !after && o === 0;
    const availNext = atTail && allowInsert(nodes[k + 1], fill, len);
    const availPrev = atHead && allowInsert(nodes[k - 1], fill, len);
    if (isLarge(len, fill)) {
      const plain: QlNode = { count: 1, sz: len, plain: true };
      if (node.plain || atTail || atHead) this.insertNode(after ? k + 1 : k, plain);
      else {
        const split = this.splitNode(k, base, o, after);
        if (after) {
          this.insertNode(k + 1, plain);
          this.insertNode(k + 2, split);
        } else {
          this.insertNode(k, plain);
          this.insertNode(k, split);
        }
      }
      return;
    }
    if (!full) {
      node.count++;
      node.sz += es;
    } else if (atTail && availNext) {
      const next = nodes[k + 1]!;
      next.count++;
      next.sz += es;
    } else if (atHead && availPrev) {
      const prev = nodes[k - 1]!;
      prev.count++;
      prev.sz += es;
    } else if (atTail || atHead) {
      this.insertNode(after ? k + 1 : k, packedNode(1, LP_EMPTY_BYTES + es));
    } else {
      const split = this.splitNode(k, base, o, after);
      split.count++;
      split.sz += es;
      let center = k;
      if (after) this.insertNode(k + 1, split);
      else {
        this.insertNode(k, split);
        center = k + 1;
      }
      this.mergeAround(center);
    }
  }

  private modelReplace(i: number, old: string, v: string): void {
    const fill = this.fill;
    const { k, base } = this.findNode(i);
    const node = this.nodes[k]!;
    const large = isLarge(v.length, fill);
    if (!node.plain && !large) {
      node.sz += lpEntryBytes(v) - lpEntryBytes(old);
      return;
    }
    if (node.plain) {
      if (large) {
        node.sz = v.length;
        return;
      }
      // insert after the plain node (its next node if it has room), then drop the plain node
      const next = this.nodes[k + 1];
      if (allowInsert(next, fill, v.length)) {
        next!.count++;
        next!.sz += lpEntryBytes(v);
      } else this.insertNode(k + 1, packedNode(1, LP_EMPTY_BYTES + lpEntryBytes(v)));
      this.nodes.splice(k, 1);
      return;
    }
    // a large element replacing a packed entry: split after it, plain node in between
    const o = i - base;
    let split: QlNode | undefined;
    if (o !== node.count - 1) split = this.splitNode(k, base, o, true);
    this.insertNode(k + 1, { count: 1, sz: v.length, plain: true });
    if (split) this.insertNode(k + 2, split);
    if (node.count === 1) this.nodes.splice(k, 1);
    else {
      node.count--;
      node.sz -= lpEntryBytes(old);
      this.mergeAround(k + 1);
    }
  }
}
