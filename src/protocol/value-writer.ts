/**
 * ValueWriter: builds the typed JS reply (`Reply`) that `engine.call` returns, applying the
 * protocol's conversions exactly as the wire would (RESP2: maps flatten to arrays, sets and
 * pushes become arrays, doubles/big numbers/verbatim strings become bulk strings, booleans
 * become 1/0, a null array is NULL_ARRAY; RESP3: a null array is plain null).
 *
 * Aggregates are built with an explicit stack (no recursion, no per-element objects beyond
 * the reply values themselves).
 */
import {
  AttributeReply,
  BigNumberReply,
  DoubleReply,
  NULL_ARRAY,
  PushReply,
  ReplyError,
  ReplyMap,
  ReplySet,
  SimpleString,
  VerbatimString,
  type Reply,
} from './reply.js';
import { formatDouble, parseDoubleText } from './resp-writer.js';
import type { ReplyWriter } from './writer.js';

/** Node's Buffer has a fast latin1 slice missing from its type declarations. */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/** Frame kinds on the aggregate stack. */
const ARRAY = 0;
const MAP = 1; // also attribute pairs (ATTR)
const SET = 2;
const PUSH = 3;
const ATTR = 4; // collecting an attribute's pairs
const ATTR_VALUE = 5; // attribute complete: waiting for the reply it annotates

const MIN_SAFE_BIG = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** A byte string as text: ASCII as is, anything else decoded as UTF-8. */
function decodeBytes(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'latin1').toString('utf8');
  }
  return s;
}

export interface ValueWriterOptions {
  /** Bulk strings as Buffers (binary-safe) instead of UTF-8 decoded strings. */
  buffers?: boolean;
}

export class ValueWriter implements ReplyWriter {
  /** Error replies written so far, and the last one (the engine counts them in stats). */
  errorCount = 0;
  lastError = '';
  readonly proto: 2 | 3;
  private readonly buffers: boolean;
  // the aggregate stack, as parallel arrays
  private kinds: number[] = [];
  private left: number[] = [];
  private conts: (Reply[] | ReplyMap | ReplySet | null)[] = [];
  private keys: Reply[] = [];
  private depth = 0;
  private tops: Reply[] = [];

  constructor(proto: 2 | 3, opts?: ValueWriterOptions) {
    this.proto = proto;
    this.buffers = opts?.buffers === true;
  }

  /** The completed top-level reply (the first, if several were written); the writer starts
   *  over empty. Aggregates left incomplete are closed with the elements they got. */
  take(): Reply {
    this.finish();
    const r = this.tops.length ? this.tops[0] : null;
    this.tops = [];
    return r;
  }

  /** Every top-level reply written since the last take; the writer starts over empty. */
  takeAll(): Reply[] {
    this.finish();
    const all = this.tops;
    this.tops = [];
    return all;
  }

  /** Closes aggregates a truncated reply left open. */
  private finish(): void {
    while (this.depth > 0) {
      const i = this.depth - 1;
      const kind = this.kinds[i];
      const c = this.conts[i];
      this.conts[i] = null;
      this.depth = i;
      let v: Reply;
      if (kind === ATTR || kind === ATTR_VALUE) v = new AttributeReply(c as ReplyMap, null);
      else if (kind === PUSH) v = new PushReply(c as Reply[]);
      else v = c as Reply;
      this.emit(v);
    }
  }

  /** Delivers a complete reply to the innermost open aggregate (or to the top level),
   *  closing every aggregate it completes. */
  private emit(v: Reply): void {
    for (;;) {
      const d = this.depth;
      if (d === 0) {
        this.tops.push(v);
        return;
      }
      const i = d - 1;
      const kind = this.kinds[i];
      const c = this.conts[i];
      const left = this.left[i] - 1;
      switch (kind) {
        case ARRAY:
        case PUSH:
          (c as Reply[]).push(v);
          break;
        case MAP:
        case ATTR:
          // children alternate key, value: an even count left before this one means a key
          if ((left & 1) === 1) this.keys[i] = v;
          else {
            (c as ReplyMap).set(this.keys[i], v);
            this.keys[i] = null;
          }
          break;
        case SET:
          (c as ReplySet).add(v);
          break;
        // ATTR_VALUE: v is the annotated reply, handled below
      }
      if (left > 0) {
        this.left[i] = left;
        return;
      }
      switch (kind) {
        case ATTR:
          // the pairs are complete; the next complete reply is the annotated one
          this.kinds[i] = ATTR_VALUE;
          this.left[i] = 1;
          return;
        case ATTR_VALUE:
          v = new AttributeReply(c as ReplyMap, v);
          break;
        case PUSH:
          v = new PushReply(c as Reply[]);
          break;
        default:
          v = c as Reply;
      }
      this.conts[i] = null;
      this.depth = i;
    }
  }

  /** Opens an aggregate expecting `children` replies. */
  private open(kind: number, children: number, c: Reply[] | ReplyMap | ReplySet): void {
    if (children <= 0) {
      if (kind === ATTR) this.pushFrame(ATTR_VALUE, 1, c);
      else this.emit(kind === PUSH ? new PushReply(c as Reply[]) : (c as Reply));
      return;
    }
    this.pushFrame(kind, children, c);
  }

  private pushFrame(kind: number, children: number, c: Reply[] | ReplyMap | ReplySet): void {
    const i = this.depth++;
    this.kinds[i] = kind;
    this.left[i] = children;
    this.conts[i] = c;
    this.keys[i] = null;
  }

  private text(s: string): string {
    return decodeBytes(s);
  }

  simple(text: string): void {
    this.emit(new SimpleString(this.text(text)));
  }

  error(message: string): void {
    if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) message = message.replace(/[\r\n]/g, ' ');
    this.errorCount++;
    this.lastError = message;
    this.emit(new ReplyError(this.text(message)));
  }

  integer(n: number | bigint): void {
    if (typeof n === 'bigint' && n >= MIN_SAFE_BIG && n <= MAX_SAFE_BIG) this.emit(Number(n));
    else this.emit(n);
  }

  bulk(bytes: string | Buffer): void {
    if (this.buffers) this.emit(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    else this.emit(typeof bytes === 'string' ? decodeBytes(bytes) : bytes.toString('utf8'));
  }

  null(): void {
    this.emit(null);
  }

  nullArray(): void {
    this.emit(this.proto === 2 ? NULL_ARRAY : null);
  }

  array(n: number): void {
    this.open(ARRAY, n, []);
  }

  map(n: number): void {
    if (this.proto === 3) this.open(MAP, 2 * n, new ReplyMap());
    else this.open(ARRAY, 2 * n, []);
  }

  set(n: number): void {
    if (this.proto === 3) this.open(SET, n, new ReplySet());
    else this.open(ARRAY, n, []);
  }

  attribute(n: number): void {
    this.open(ATTR, 2 * n, new ReplyMap());
  }

  push(n: number): void {
    if (this.proto === 3) this.open(PUSH, n, []);
    else this.open(ARRAY, n, []);
  }

  double(d: number): void {
    if (this.proto === 3) this.emit(new DoubleReply(d));
    else this.bulk(formatDouble(d));
  }

  doubleText(text: string): void {
    if (this.proto === 3) this.emit(new DoubleReply(parseDoubleText(text), text));
    else this.bulk(text);
  }

  bool(b: boolean): void {
    this.emit(this.proto === 3 ? b : b ? 1 : 0);
  }

  bigNumber(digits: string): void {
    if (this.proto === 3) this.emit(BigNumberReply.fromText(digits));
    else this.bulk(digits);
  }

  verbatim(format: string, text: string | Buffer): void {
    if (this.proto === 3) {
      this.emit(new VerbatimString(format, typeof text === 'string' ? decodeBytes(text) : text.toString('utf8')));
    } else {
      this.bulk(text);
    }
  }

  raw(bytes: Buffer): void {
    replayResp(bytes, this);
  }
}

// ---------------------------------------------------------------------------------------
// replayResp: feeds already-encoded RESP (ReplyWithCallReply's raw protocol) to a writer.
// ---------------------------------------------------------------------------------------

function lineEnd(buf: Buffer, p: number): number {
  const e = buf.indexOf(13, p);
  if (e < 0 || e + 1 >= buf.length || buf[e + 1] !== 10) throw new Error('replayResp: truncated RESP line');
  return e;
}

/** Calls `w` for every reply encoded in `buf` (RESP2 or RESP3). */
export function replayResp(bytes: Buffer, w: ReplyWriter): void {
  const buf = bytes as FastBuffer;
  let p = 0;
  const end = buf.length;
  while (p < end) {
    const t = buf[p];
    const e = lineEnd(buf, p + 1);
    const line = buf.latin1Slice(p + 1, e);
    p = e + 2;
    switch (t) {
      case 43: // +
        w.simple(line);
        break;
      case 45: // -
        w.error(line);
        break;
      case 58: {
        // :
        const n = Number(line);
        w.integer(Number.isSafeInteger(n) ? n : BigInt(line));
        break;
      }
      case 36: {
        // $
        const n = Number(line);
        if (n < 0) {
          w.null();
          break;
        }
        w.bulk(buf.latin1Slice(p, p + n));
        p += n + 2;
        break;
      }
      case 61: {
        // = fmt:text
        const n = Number(line);
        w.verbatim(buf.latin1Slice(p, p + 3), buf.latin1Slice(p + 4, p + n));
        p += n + 2;
        break;
      }
      case 42: {
        // *
        const n = Number(line);
        if (n < 0) w.nullArray();
        else w.array(n);
        break;
      }
      case 37: // %
        w.map(Number(line));
        break;
      case 126: // ~
        w.set(Number(line));
        break;
      case 124: // |
        w.attribute(Number(line));
        break;
      case 62: // >
        w.push(Number(line));
        break;
      case 95: // _
        w.null();
        break;
      case 44: // ,
        w.doubleText(line);
        break;
      case 35: // #
        w.bool(line === 't');
        break;
      case 40: // (
        w.bigNumber(line);
        break;
      default:
        throw new Error(`replayResp: unknown RESP type byte ${t}`);
    }
  }
}
