/**
 * Incremental RESP request parser: turns the bytes a client sends into commands (arrays of
 * one-byte "latin1" strings), with Valkey's rules and error texts.
 *
 * Two request forms, chosen by the first byte of each request as Valkey does:
 *   - multibulk `*<n>\r\n$<len>\r\n<bytes>\r\n...` (what every client library sends);
 *   - inline: one line of space-separated words with Valkey's quoting ("..." with escapes,
 *     '...'), what telnet users and redis-cli's pipe mode send.
 *
 * The parser keeps its position and the state of a half-received command between reads, so
 * a pipeline of thousands of commands in one read is walked once, and a large argument that
 * arrives over many reads is copied once into a buffer sized for it. Commands come out one at
 * a time from `next()`, so the caller can stop (a blocked command) and resume later.
 *
 * On a protocol violation `next()` returns null and `error` holds Valkey's reply text
 * (`ERR Protocol error: ...`); the connection must reply it and close.
 */

/** Node's Buffer has a fast latin1 slice the typings do not declare. */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/** Longest inline request, or multibulk/bulk header line, Valkey waits for (64 KiB). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Arguments at least this large get a buffer of their own (Valkey's PROTO_MBULK_BIG_ARG). */
const BIG_ARG = 32 * 1024;
/** Largest multibulk count (INT_MAX). */
const MAX_MULTIBULK = 2147483647;
/** Limits for clients that still have to authenticate. */
export const UNAUTH_MAX_MULTIBULK = 10;
export const UNAUTH_MAX_BULK = 16384;
const MIN_OWN_BUFFER = 16 * 1024;

const CR = 13;
const LF = 10;

/** Valkey's string2ll over buf[start, stop): undefined when not a canonical integer. */
export function parseLongLong(buf: Uint8Array, start: number, stop: number): number | undefined {
  const len = stop - start;
  if (len <= 0 || len >= 21) return undefined;
  let p = start;
  if (len === 1 && buf[p] === 48) return 0;
  let negative = false;
  if (buf[p] === 45 /* - */) {
    negative = true;
    p++;
    if (p === stop) return undefined;
  }
  let c = buf[p]!;
  if (c < 49 || c > 57) return undefined; // first digit 1-9
  let v = c - 48;
  p++;
  const digitsStart = p - 1;
  for (; p < stop; p++) {
    c = buf[p]!;
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  const digits = stop - digitsStart;
  if (digits > 19) return undefined;
  if (digits === 19) {
    // compare exactly with 9223372036854775807 (or ...808 for a negative value)
    const limit = negative ? '9223372036854775808' : '9223372036854775807';
    for (let i = 0; i < 19; i++) {
      const d = buf[digitsStart + i]!;
      const l = limit.charCodeAt(i);
      if (d < l) break;
      if (d > l) return undefined;
    }
  }
  return negative ? -v : v;
}

/** C's isspace in the C locale. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits one inline request line (bytes buf[start, stop)) into arguments with Valkey's
 * sdssplitargs rules: words separated by whitespace; "..." understands \n \r \t \b \a \xHH
 * and \<any>; '...' understands \'; a closing quote must be followed by a space or the end;
 * a NUL byte ends the line. Returns null on unbalanced quotes.
 */
export function splitInlineArgs(buf: Uint8Array, start: number, stop: number): string[] | null {
  const out: string[] = [];
  let p = start;
  for (;;) {
    while (p < stop && buf[p] !== 0 && isSpace(buf[p]!)) p++;
    if (p >= stop || buf[p] === 0) return out;
    let cur = '';
    let inq = false; // inside "..."
    let insq = false; // inside '...'
    let done = false;
    let runStart = -1; // start of a run of plain bytes not yet appended to cur
    const flush = (end: number) => {
      if (runStart >= 0) {
        cur += (buf as FastBuffer).latin1Slice(runStart, end);
        runStart = -1;
      }
    };
    while (!done) {
      const c = p < stop ? buf[p]! : 0;
      if (inq) {
        if (c === 92 /* \ */ && p + 3 < stop && buf[p + 1] === 120 /* x */ && hexValue(buf[p + 2]!) >= 0 && hexValue(buf[p + 3]!) >= 0) {
          cur += String.fromCharCode(hexValue(buf[p + 2]!) * 16 + hexValue(buf[p + 3]!));
          p += 3;
        } else if (c === 92 && p + 1 < stop && buf[p + 1] !== 0) {
          p++;
          const e = buf[p]!;
          cur += String.fromCharCode(e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e);
        } else if (c === 34 /* " */) {
          // the closing quote must be followed by a space or nothing at all
          if (p + 1 < stop && buf[p + 1] !== 0 && !isSpace(buf[p + 1]!)) return null;
          done = true;
        } else if (c === 0) {
          return null; // unterminated quotes
        } else {
          cur += String.fromCharCode(c);
        }
      } else if (insq) {
        if (c === 92 && p + 1 < stop && buf[p + 1] === 39 /* ' */) {
          p++;
          cur += "'";
        } else if (c === 39) {
          if (p + 1 < stop && buf[p + 1] !== 0 && !isSpace(buf[p + 1]!)) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          cur += String.fromCharCode(c);
        }
      } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
        flush(p);
        done = true;
      } else if (c === 34) {
        flush(p);
        inq = true;
      } else if (c === 39) {
        flush(p);
        insq = true;
      } else if (runStart < 0) {
        runStart = p;
      }
      if (p < stop) p++;
    }
    out.push(cur);
  }
}

/**
 * Parses requests from the bytes fed to it. Set `maxBulkLen` (proto-max-bulk-len) and
 * `authRequired` (called only when an unauthenticated limit could apply) before use.
 */
export class RequestParser {
  /** proto-max-bulk-len. */
  maxBulkLen = 512 * 1024 * 1024;
  /** Whether the client still has to authenticate (its requests are then limited). */
  authRequired: () => boolean = () => false;
  /** Valkey's error reply after a protocol violation (`ERR Protocol error: ...`). */
  error: string | null = null;
  /** Short reason for the log line Valkey writes on that error. */
  errorReason = '';

  private buf: FastBuffer = EMPTY;
  private pos = 0;
  private end = 0;
  /** Whether `buf` is ours (bytes may be appended after `end`). */
  private owned = false;
  /** Arguments of the multibulk command being received; null between commands. */
  private args: string[] | null = null;
  private remaining = 0;
  private bulkLen = -1;
  /** Bytes of arguments already taken for the command being received (argv-mem). */
  private argBytes = 0;
  /** Where the scan for a header's CR resumes (no rescanning of a long partial line). */
  private scanFrom = 0;

  /** Bytes received and not yet consumed (Valkey's qbuf). */
  get pending(): number {
    return this.end - this.pos;
  }

  /** Free room in the parser's own buffer (qbuf-free). */
  get free(): number {
    return this.owned ? this.buf.length - this.end : 0;
  }

  /** Capacity of the buffer held (for memory figures). */
  get capacity(): number {
    return this.owned ? this.buf.length : this.end - this.pos;
  }

  /** Bytes of the arguments of the command partly received (argv-mem). */
  get argvBytes(): number {
    return this.argBytes;
  }

  /** The first `n` unconsumed bytes (for log lines). */
  peek(n: number): Buffer {
    return this.buf.subarray(this.pos, Math.min(this.end, this.pos + n));
  }

  /** Adds bytes read from the socket. The chunk is used in place when nothing is pending. */
  feed(chunk: Buffer): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.pos === this.end) {
      // Nothing pending: parse the chunk where it lies (no copy). Keep our own buffer when
      // a large argument is being received, so it keeps accumulating in one place.
      if (this.owned && this.buf.length >= n && this.bulkLen >= BIG_ARG) {
        chunk.copy(this.buf, 0);
        this.scanFrom = 0;
        this.pos = 0;
        this.end = n;
        return;
      }
      this.buf = chunk as FastBuffer;
      this.scanFrom = 0;
      this.pos = 0;
      this.end = n;
      this.owned = false;
      return;
    }
    const pending = this.end - this.pos;
    let need = pending + n;
    if (this.bulkLen >= 0) {
      // a bulk of known size is coming: make room for all of it at once
      const bulkNeed = this.bulkLen + 2;
      if (bulkNeed > need) need = bulkNeed;
    }
    if (this.owned && this.buf.length - this.end >= n) {
      chunk.copy(this.buf, this.end);
      this.end += n;
      return;
    }
    if (this.owned && this.buf.length >= need) {
      // room enough once the consumed head is dropped
      this.buf.copy(this.buf, 0, this.pos, this.end);
    } else {
      const cap = Math.max(MIN_OWN_BUFFER, need <= 1024 * 1024 ? need * 2 : need + (need >> 2));
      const nb = Buffer.allocUnsafe(cap) as FastBuffer;
      this.buf.copy(nb, 0, this.pos, this.end);
      this.buf = nb;
      this.owned = true;
    }
    this.scanFrom -= this.pos;
    this.end = pending;
    this.pos = 0;
    chunk.copy(this.buf, this.end);
    this.end += n;
  }

  /** Drops everything pending (after a protocol error). */
  reset(): void {
    this.buf = EMPTY;
    this.pos = this.end = this.scanFrom = 0;
    this.owned = false;
    this.args = null;
    this.remaining = 0;
    this.bulkLen = -1;
    this.argBytes = 0;
  }

  /** The next complete command, or null when more bytes are needed or on a protocol error
   *  (then `error` is set). Empty requests (blank lines, `*0`) are skipped. */
  next(): string[] | null {
    if (this.error !== null) return null;
    const buf = this.buf;
    const end = this.end;
    for (;;) {
      let args = this.args;
      if (args === null) {
        const pos = this.pos;
        if (pos >= end) return null;
        if (buf[pos] !== 42 /* * */) {
          const r = this.inline();
          if (r === undefined) return null;
          if (r.length === 0) continue;
          return r;
        }
        const cr = this.findCR(pos + 1);
        if (cr < 0) {
          if (end - pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string', 'too big mbulk count string');
          return null;
        }
        if (cr + 1 >= end) return null; // the \n has not arrived yet
        const n = parseLongLong(buf, pos + 1, cr);
        if (n === undefined || n > MAX_MULTIBULK) return this.fail('invalid multibulk length', 'invalid mbulk count');
        if (n > UNAUTH_MAX_MULTIBULK && this.authRequired()) {
          return this.fail('unauthenticated multibulk length', 'unauth mbulk count');
        }
        this.pos = cr + 2;
        this.scanFrom = this.pos;
        if (n <= 0) continue;
        this.remaining = n;
        this.argBytes = 0;
        args = this.args = [];
      }
      while (this.remaining > 0) {
        let pos = this.pos;
        let bulkLen = this.bulkLen;
        if (bulkLen < 0) {
          if (pos >= end) return null;
          const cr = this.findCR(pos);
          if (cr < 0) {
            if (end - pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string', 'too big bulk count string');
            return null;
          }
          if (cr + 1 >= end) return null;
          if (buf[pos] !== 36 /* $ */) {
            return this.fail(`expected '$', got '${String.fromCharCode(buf[pos]!)}'`, 'expected $ but got something else');
          }
          const n = parseLongLong(buf, pos + 1, cr);
          if (n === undefined || n < 0 || n > this.maxBulkLen) return this.fail('invalid bulk length', 'invalid bulk length');
          if (n > UNAUTH_MAX_BULK && this.authRequired()) return this.fail('unauthenticated bulk length', 'unauth bulk length');
          pos = this.pos = cr + 2;
          this.scanFrom = pos;
          bulkLen = this.bulkLen = n;
        }
        if (end - pos < bulkLen + 2) return null;
        args.push(bulkLen === 0 ? '' : buf.latin1Slice(pos, pos + bulkLen));
        this.argBytes += bulkLen;
        this.pos = pos + bulkLen + 2;
        this.scanFrom = this.pos;
        this.bulkLen = -1;
        this.remaining--;
      }
      this.args = null;
      this.argBytes = 0;
      if (this.pos === end && this.owned && this.buf.length > 1024 * 1024) {
        // drop a big buffer once it is drained
        this.buf = EMPTY;
        this.owned = false;
        this.pos = this.end = this.scanFrom = 0;
      }
      return args;
    }
  }

  /** Index of the next CR at or after `from` (resuming a previous scan), or -1. */
  private findCR(from: number): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.scanFrom > from ? this.scanFrom : from;
    for (; i < end; i++) if (buf[i] === CR) return i;
    this.scanFrom = end;
    return -1;
  }

  /** One inline request: its words ([] for a blank line), or undefined when incomplete or
   *  on an error. */
  private inline(): string[] | undefined {
    const buf = this.buf;
    const pos = this.pos;
    const end = this.end;
    let nl = -1;
    for (let i = this.scanFrom > pos ? this.scanFrom : pos; i < end; i++) {
      if (buf[i] === LF) {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      this.scanFrom = end;
      if (end - pos > PROTO_INLINE_MAX_SIZE) this.fail('too big inline request', 'too big inline request');
      return undefined;
    }
    const stop = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
    const words = splitInlineArgs(buf, pos, stop);
    if (words === null) {
      this.fail('unbalanced quotes in request', 'unbalanced quotes in inline request');
      return undefined;
    }
    this.pos = nl + 1;
    this.scanFrom = this.pos;
    return words;
  }

  private fail(what: string, reason: string): null {
    this.error = `ERR Protocol error: ${what}`;
    this.errorReason = reason;
    return null;
  }
}

const EMPTY = Buffer.alloc(0) as FastBuffer;
