/**
 * One value in Valkey's RDB object format: the codec behind DUMP/RESTORE and, later, whole
 * RDB files.
 *
 * An object is a type byte followed by the value. Lengths use RDB's 1/2/5/9-byte length
 * encoding; strings are a length and bytes, or an integer in 1, 2 or 4 bytes, or an
 * LZF-compressed blob. Small aggregates are written as one blob in the compact layout Valkey
 * keeps them in memory (listpack, intset), big ones element by element; lists are always a
 * "quicklist" of listpack nodes, streams a sequence of listpack nodes followed by the
 * stream's metadata and consumer groups.
 *
 * Loading accepts every object type Valkey 8 loads (RDB versions up to 11), including the
 * older ziplist, zipmap and plain encodings Redis wrote before 7.0, and validates each blob
 * fully (as Valkey does with sanitize-dump-payload yes): corrupt input raises RdbError,
 * never a half-built value. Saving picks, for each value, the encoding Valkey 8 would write
 * for it, so a DUMP here is byte for byte Valkey's wherever our value keeps the same layout.
 *
 * A DUMP payload is the object, the RDB version (2 bytes LE) and the CRC-64 of all that
 * (8 bytes LE).
 */
import { Crc64 } from './crc64.js';
import { lzfCompress, lzfDecompress } from './lzf.js';
import { ListpackWriter, LP_HDR_SIZE, entrySize, lpDecode, lpString, stringToInt64, type LpValue } from './listpack.js';
import { intsetDecode, intsetEncode } from './intset.js';
import { formatDouble } from '../protocol/resp-writer.js';
import { ListValue, HashValue, SetValue, ZSetValue, StreamValue, type ModuleValue, type Value } from '../engine/types/index.js';
import { DEFAULT_COLLECTION_CONFIG, type CollectionConfig } from '../engine/types/collections.js';
import {
  StreamNode,
  PendingEntry,
  makeId,
  idMs,
  idSeq,
  MIN_ID,
  MAX_ID,
  type U64,
  type Counter,
} from '../engine/types/stream.js';
import { ziplistDecode, zipmapDecode } from './ziplist.js';

/** The RDB version Valkey 8 writes (and the newest it loads). */
export const RDB_VERSION = 11;

// Object types (the byte before each value).
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE_PRE_GA = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
export const RDB_TYPE_SET_LISTPACK = 20;
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;

/** Whether a type byte is an object type Valkey 8 knows (rdbIsObjectType). */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 21);
}

/** Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

// Length / string encodings.
const RDB_6BITLEN = 0;
const RDB_14BITLEN = 1;
const RDB_32BITLEN = 0x80;
const RDB_64BITLEN = 0x81;
const RDB_ENCVAL = 3;
const RDB_ENC_INT8 = 0;
const RDB_ENC_INT16 = 1;
const RDB_ENC_INT32 = 2;
const RDB_ENC_LZF = 3;

/** Corrupt or unsupported RDB data; RESTORE answers "ERR Bad data format". */
export class RdbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdbError';
  }
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/** A cursor over RDB bytes; every read checks bounds and throws RdbError past the end. */
export class RdbReader {
  /** Set by len() when the length byte was an encoded-value marker (strings only). */
  encoded = false;

  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RdbError('unexpected end of RDB data');
  }

  /** One byte. */
  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  /** n raw bytes (a view into the buffer). */
  raw(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /**
   * A length as a bigint (rdbLoadLen): the full unsigned 64-bit range. An encoded-value
   * marker byte sets `encoded` and yields its 6-bit code, as Valkey does.
   */
  lenBig(): bigint {
    const b = this.byte();
    this.encoded = false;
    const type = b >> 6;
    if (type === RDB_ENCVAL) {
      this.encoded = true;
      return BigInt(b & 0x3f);
    }
    if (type === RDB_6BITLEN) return BigInt(b & 0x3f);
    if (type === RDB_14BITLEN) return BigInt(((b & 0x3f) << 8) | this.byte());
    if (b === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return BigInt(v);
    }
    if (b === RDB_64BITLEN) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    throw new RdbError(`Unknown length encoding ${b} in rdbLoadLen()`);
  }

  /** A length as a number; lengths beyond 2^53 cannot be real and are rejected. */
  len(): number {
    const b = this.byte();
    this.encoded = false;
    const type = b >> 6;
    if (type === RDB_ENCVAL) {
      this.encoded = true;
      return b & 0x3f;
    }
    if (type === RDB_6BITLEN) return b & 0x3f;
    if (type === RDB_14BITLEN) return ((b & 0x3f) << 8) | this.byte();
    if (b === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (b === RDB_64BITLEN) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError('length out of range');
      return Number(v);
    }
    throw new RdbError(`Unknown length encoding ${b} in rdbLoadLen()`);
  }

  /** A count of things that follow; each takes at least one byte, so bigger is corrupt. */
  count(): number {
    const n = this.len();
    if (n > this.end - this.pos) throw new RdbError('count larger than the data');
    return n;
  }

  /**
   * A string's bytes (rdbGenericLoadStringObject): plain, integer-encoded (as decimal text)
   * or LZF-compressed. Plain strings are a view into the input.
   */
  stringBytes(): Buffer {
    const n = this.len();
    if (this.encoded) {
      switch (n) {
        case RDB_ENC_INT8:
          return Buffer.from(String(this.raw(1).readInt8(0)), 'latin1');
        case RDB_ENC_INT16:
          return Buffer.from(String(this.raw(2).readInt16LE(0)), 'latin1');
        case RDB_ENC_INT32:
          return Buffer.from(String(this.raw(4).readInt32LE(0)), 'latin1');
        case RDB_ENC_LZF:
          return this.lzf();
        default:
          throw new RdbError('Unknown RDB string encoding type');
      }
    }
    return this.raw(n);
  }

  /** A string as a one-byte JS string. */
  string(): string {
    const n = this.len();
    if (this.encoded) {
      switch (n) {
        case RDB_ENC_INT8:
          this.need(1);
          return String(this.buf.readInt8(this.pos++));
        case RDB_ENC_INT16: {
          this.need(2);
          const v = this.buf.readInt16LE(this.pos);
          this.pos += 2;
          return String(v);
        }
        case RDB_ENC_INT32: {
          this.need(4);
          const v = this.buf.readInt32LE(this.pos);
          this.pos += 4;
          return String(v);
        }
        case RDB_ENC_LZF:
          return this.lzf().toString('latin1');
        default:
          throw new RdbError('Unknown RDB string encoding type');
      }
    }
    this.need(n);
    const s = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  private lzf(): Buffer {
    const clen = this.len();
    const len = this.len();
    this.need(clen);
    // a back-reference of 3 bytes yields at most 264: anything claiming more is corrupt
    if (len > clen * 88 + 32) throw new RdbError('Invalid LZF compressed string');
    const out = lzfDecompress(this.buf, this.pos, this.pos + clen, len);
    if (out === null) throw new RdbError('Invalid LZF compressed string');
    this.pos += clen;
    return out;
  }

  /** An 8-byte little-endian IEEE double (rdbLoadBinaryDoubleValue). */
  binaryDouble(): number {
    this.need(8);
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }

  /** A double in the old text form (rdbLoadDoubleValue): length byte, 253 nan, 254 inf,
   *  255 -inf, else that many ASCII bytes. */
  textDouble(): number {
    const n = this.byte();
    if (n === 255) return -Infinity;
    if (n === 254) return Infinity;
    if (n === 253) return NaN;
    this.need(n);
    const s = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    const d = parseCDouble(s);
    if (d === undefined) throw new RdbError('bad double value');
    return d;
  }

  /** An 8-byte little-endian signed millisecond time (rdbLoadMillisecondTime). */
  millis(): number {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }
}

/** Reads a leading double like C's strtod would for RDB text doubles; undefined if none. */
function parseCDouble(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(t);
  if (!m) return undefined;
  return Number(m[0]);
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/** Scratch for strings that need their bytes (compression). */
let scratch = Buffer.allocUnsafe(4096);

/** Appends RDB encodings into a growing buffer. */
export class RdbWriter {
  private buf: Buffer;
  pos = 0;

  constructor(
    initial = 256,
    /** rdbcompression: try LZF on strings longer than 20 bytes (Valkey's default: yes). */
    readonly compress = true,
  ) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One byte. */
  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  /** Raw bytes. */
  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A length (rdbSaveLen): 1, 2, 5 or 9 bytes. Accepts a number or an unsigned bigint. */
  len(n: number | bigint): void {
    this.reserve(9);
    const b = this.buf;
    if (typeof n === 'bigint') {
      if (n <= 0xffffffffn) n = Number(n);
      else {
        b[this.pos++] = RDB_64BITLEN;
        b.writeBigUInt64BE(n, this.pos);
        this.pos += 8;
        return;
      }
    }
    if (n < 1 << 6) {
      b[this.pos++] = n;
    } else if (n < 1 << 14) {
      b[this.pos++] = (n >>> 8) | (RDB_14BITLEN << 6);
      b[this.pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.pos++] = RDB_32BITLEN;
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      b[this.pos++] = RDB_64BITLEN;
      b.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** The integer encoding of v when it fits 32 bits (rdbEncodeInteger); false otherwise. */
  private encodedInt(v: number): boolean {
    if (v >= -128 && v <= 127) {
      this.reserve(2);
      this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      this.buf.writeInt8(v, this.pos++);
    } else if (v >= -32768 && v <= 32767) {
      this.reserve(3);
      this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      this.buf.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      this.reserve(5);
      this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      this.buf.writeInt32LE(v, this.pos);
      this.pos += 4;
    } else return false;
    return true;
  }

  /**
   * A string (rdbSaveRawString): up to 11 bytes that are a canonical integer fitting 32
   * bits go as an integer; longer than 20 bytes are LZF-compressed when that saves at
   * least 4 bytes (and compression is on); otherwise length and bytes.
   */
  string(s: string): void {
    const n = s.length;
    if (n <= 11) {
      const v = stringToInt64(s);
      if (typeof v === 'number' && this.encodedInt(v)) return;
    }
    if (this.compress && n > 20) {
      if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
      scratch.write(s, 0, n, 'latin1');
      if (this.lzf(scratch, n)) return;
    }
    this.len(n);
    this.reserve(n);
    this.buf.write(s, this.pos, n, 'latin1');
    this.pos += n;
  }

  /** A blob (listpack, intset, stream ID...) saved as a string, with rdbSaveRawString's rules. */
  blob(b: Buffer): void {
    const n = b.length;
    if (n <= 11) {
      const v = stringToInt64(b.toString('latin1'));
      if (typeof v === 'number' && this.encodedInt(v)) return;
    }
    if (this.compress && n > 20 && this.lzf(b, n)) return;
    this.len(n);
    this.raw(b);
  }

  /** Writes data[0..n) LZF-compressed (rdbSaveLzfStringObject) when it shrinks by 4+ bytes. */
  private lzf(data: Buffer, n: number): boolean {
    const c = lzfCompress(data, n - 4, 0, n);
    if (c === null) return false;
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.len(c.length);
    this.len(n);
    this.raw(c);
    return true;
  }

  /** An 8-byte little-endian IEEE double (rdbSaveBinaryDoubleValue). */
  binaryDouble(d: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** An 8-byte little-endian millisecond time (rdbSaveMillisecondTime). */
  millis(ms: number | bigint): void {
    this.reserve(8);
    this.buf.writeBigInt64LE(BigInt(ms), this.pos);
    this.pos += 8;
  }

  /** Raw bytes given as a one-byte string. */
  latin1(s: string): void {
    this.reserve(s.length);
    this.buf.write(s, this.pos, s.length, 'latin1');
    this.pos += s.length;
  }

  /** The bytes written so far (a view; copy before writing more). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written, as a new Buffer. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

// ---------------------------------------------------------------------------------------
// Loading objects
// ---------------------------------------------------------------------------------------

/** A value decoded from RDB, before it becomes an engine value. */
export type RdbObject =
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'set'; members: string[]; listpack?: boolean }
  | { kind: 'zset'; members: string[]; scores: number[] }
  | { kind: 'hash'; fields: string[]; values: string[] }
  | { kind: 'stream'; stream: StreamValue }
  | { kind: 'module'; value: ModuleValue };

function corrupt(what: string): never {
  throw new RdbError(what);
}

/** Decodes a listpack blob into strings (integers in decimal); throws when corrupt. */
function listpackStrings(b: Buffer, what: string): string[] {
  const v = lpDecode(b);
  if (v === null) corrupt(`${what} integrity check failed.`);
  const out: string[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = lpString(v[i]!);
  return out;
}

/** Splits a flat pair list into fields and values, rejecting odd counts and duplicates. */
function splitPairs(flat: string[], what: string): { fields: string[]; values: string[] } {
  if (flat.length & 1) corrupt(`${what} with an odd number of entries`);
  const n = flat.length >> 1;
  const fields: string[] = new Array(n);
  const values: string[] = new Array(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const f = flat[2 * i]!;
    if (seen.has(f)) corrupt(`Duplicate ${what} fields detected`);
    seen.add(f);
    fields[i] = f;
    values[i] = flat[2 * i + 1]!;
  }
  return { fields, values };
}

function noDuplicates(members: string[], what: string): void {
  if (new Set(members).size !== members.length) corrupt(`Duplicate ${what} members detected`);
}

/** A zset score stored as listpack/ziplist text (strtod); NaN and junk are corrupt. */
function scoreOf(s: string): number {
  const d = /^\s*[+-]?(inf|infinity)$/i.test(s) ? (s.includes('-') ? -Infinity : Infinity) : Number(s);
  if (s.length === 0 || Number.isNaN(d) || /^\s|\s$/.test(s)) corrupt('Zset with invalid score detected');
  return d;
}

function zsetFromFlat(flat: string[]): RdbObject {
  const { fields, values } = splitPairs(flat, 'zset');
  if (fields.length === 0) corrupt('empty keys');
  const scores = values.map(scoreOf);
  return { kind: 'zset', members: fields, scores };
}

/**
 * Reads the value of an object of type `type` (rdbLoadObject) into its decoded form.
 * Throws RdbError when the data is corrupt, empty where Valkey refuses empty values, or of
 * a type this engine cannot load.
 */
export function loadObject(
  type: number,
  r: RdbReader,
  codec: ModuleTypeCodec = NO_MODULE_TYPES,
  io: ModuleIoKey = NO_IO_KEY,
): RdbObject {
  switch (type) {
    case RDB_TYPE_STRING:
      return { kind: 'string', value: r.string() };
    case RDB_TYPE_LIST: {
      const n = r.count();
      if (n === 0) corrupt('empty keys');
      const items: string[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = r.string();
      return { kind: 'list', items };
    }
    case RDB_TYPE_SET: {
      const n = r.count();
      if (n === 0) corrupt('empty keys');
      const members: string[] = new Array(n);
      for (let i = 0; i < n; i++) members[i] = r.string();
      noDuplicates(members, 'set');
      return { kind: 'set', members };
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = r.count();
      if (n === 0) corrupt('empty keys');
      const members: string[] = new Array(n);
      const scores: number[] = new Array(n);
      for (let i = 0; i < n; i++) {
        members[i] = r.string();
        const d = type === RDB_TYPE_ZSET_2 ? r.binaryDouble() : r.textDouble();
        if (Number.isNaN(d)) corrupt('Zset with NAN score detected');
        scores[i] = d;
      }
      if (new Set(members).size !== n) corrupt('Duplicate zset fields detected');
      return { kind: 'zset', members, scores };
    }
    case RDB_TYPE_HASH: {
      const n = r.count();
      if (n === 0) corrupt('empty keys');
      const fields: string[] = new Array(n);
      const values: string[] = new Array(n);
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const f = r.string();
        if (seen.has(f)) corrupt('Duplicate hash fields detected');
        seen.add(f);
        fields[i] = f;
        values[i] = r.string();
      }
      return { kind: 'hash', fields, values };
    }
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = r.count();
      if (nodes === 0) corrupt('empty keys');
      const items: string[] = [];
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          container = r.len();
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            corrupt('Quicklist integrity check failed.');
          }
        }
        const blob = r.stringBytes();
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          items.push(blob.toString('latin1'));
          continue;
        }
        const part = type === RDB_TYPE_LIST_QUICKLIST_2 ? listpackStrings(blob, 'Listpack') : ziplistDecode(blob);
        if (part === null) corrupt('Ziplist integrity check failed.');
        for (const s of part) items.push(s); // empty nodes are skipped, as Valkey does
      }
      if (items.length === 0) corrupt('empty keys');
      return { kind: 'list', items };
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const items = ziplistDecode(r.stringBytes());
      if (items === null) corrupt('List ziplist integrity check failed.');
      if (items.length === 0) corrupt('empty keys');
      return { kind: 'list', items };
    }
    case RDB_TYPE_SET_INTSET: {
      const members = intsetDecode(r.stringBytes());
      if (members === null) corrupt('Intset integrity check failed.');
      return { kind: 'set', members };
    }
    case RDB_TYPE_SET_LISTPACK: {
      const members = listpackStrings(r.stringBytes(), 'Set listpack');
      if (members.length === 0) corrupt('empty keys');
      noDuplicates(members, 'set');
      return { kind: 'set', members, listpack: true };
    }
    case RDB_TYPE_ZSET_ZIPLIST: {
      const flat = ziplistDecode(r.stringBytes());
      if (flat === null) corrupt('Zset ziplist integrity check failed.');
      return zsetFromFlat(flat);
    }
    case RDB_TYPE_ZSET_LISTPACK:
      return zsetFromFlat(listpackStrings(r.stringBytes(), 'Zset listpack'));
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: {
      const blob = r.stringBytes();
      const flat =
        type === RDB_TYPE_HASH_LISTPACK
          ? listpackStrings(blob, 'Hash listpack')
          : type === RDB_TYPE_HASH_ZIPLIST
            ? ziplistDecode(blob)
            : zipmapDecode(blob);
      if (flat === null) corrupt('Hash integrity check failed.');
      const { fields, values } = splitPairs(flat, 'hash');
      if (fields.length === 0) corrupt('empty keys');
      return { kind: 'hash', fields, values };
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3:
      return { kind: 'stream', stream: loadStream(type, r) };
    case RDB_TYPE_MODULE_PRE_GA:
      return corrupt('Pre-release module format not supported');
    case RDB_TYPE_MODULE_2: {
      const moduleId = r.lenBig();
      return { kind: 'module', value: codec.load(r, type, moduleId, io) };
    }
    default:
      corrupt(`Unknown RDB encoding type ${type}`);
  }
}

// ---------------------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------------------

const STREAM_ITEM_FLAG_DELETED = 1;
const STREAM_ITEM_FLAG_SAMEFIELDS = 2;
const TWO64 = 0x10000000000000000n;
const TWO63 = 0x8000000000000000n;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

function toU64(b: bigint): U64 {
  return b <= MAX_SAFE_BIG ? Number(b) : b;
}

/** An unsigned 64-bit value read as rdbLoadLen gives it, reinterpreted as int64 (counters). */
function toI64Counter(b: bigint): Counter {
  const v = b >= TWO63 ? b - TWO64 : b;
  return v <= MAX_SAFE_BIG && v >= -MAX_SAFE_BIG ? Number(v) : v;
}

/** A counter as the unsigned 64-bit value rdbSaveLen writes (negative values wrap). */
function counterU64(c: Counter): number | bigint {
  if (typeof c === 'number') return c >= 0 ? c : BigInt(c) + TWO64;
  return c >= 0n ? c : c + TWO64;
}

/** (a + d) mod 2^64 for an unsigned a and a signed 64-bit delta d. */
function addU64(a: U64, d: number | bigint): U64 {
  if (typeof a === 'number' && typeof d === 'number') {
    const r = a + d;
    if (r >= 0 && r <= Number.MAX_SAFE_INTEGER) return r;
  }
  let r = (BigInt(a) + BigInt(d)) % TWO64;
  if (r < 0n) r += TWO64;
  return toU64(r);
}

/** (a - b) as the signed 64-bit integer Valkey stores for an ID delta. */
function deltaI64(a: U64, b: U64): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  let r = (BigInt(a) - BigInt(b)) % TWO64;
  if (r < 0n) r += TWO64;
  return r >= TWO63 ? r - TWO64 : r;
}

/** An integer listpack entry (a string that reads as one counts, as Valkey's reader allows). */
function lpInt(v: LpValue | undefined): number | bigint {
  if (v === undefined) corrupt('Stream listpack integrity check failed.');
  if (typeof v !== 'string') return v;
  const n = stringToInt64(v);
  if (n === undefined) corrupt('Stream listpack integrity check failed.');
  return n;
}

/** A non-negative count entry no larger than `max`. */
function lpCount(v: LpValue | undefined, max: number): number {
  const n = lpInt(v);
  if (typeof n !== 'number' || n < 0 || n > max) corrupt('Stream listpack integrity check failed.');
  return n;
}

/** Decodes one stream node (its master ID key and listpack) into a StreamNode. */
function loadStreamNode(master: string, lp: Buffer): StreamNode {
  const bad = 'Stream listpack integrity check failed.';
  const v = lpDecode(lp);
  if (v === null) corrupt(bad);
  if (v.length === 0) corrupt('Empty listpack inside stream');
  const count = lpCount(v[0], v.length);
  const deleted = lpCount(v[1], v.length);
  const nf = lpCount(v[2], v.length);
  if (4 + nf > v.length) corrupt(bad);
  const masterFields: string[] = new Array(nf);
  for (let j = 0; j < nf; j++) masterFields[j] = lpString(v[3 + j]!);
  if (lpInt(v[3 + nf]) !== 0) corrupt(bad);
  const node = new StreamNode(master, masterFields);
  const mMs = idMs(master);
  const mSeq = idSeq(master);
  let i = 4 + nf;
  let prev = '';
  for (let e = 0; e < count + deleted; e++) {
    const flags = lpInt(v[i++]);
    if (typeof flags !== 'number' || flags < 0 || flags > 3) corrupt(bad);
    const id = makeId(addU64(mMs, lpInt(v[i++])), addU64(mSeq, lpInt(v[i++])));
    if (id < master || (e > 0 && id <= prev)) corrupt('Stream entries out of order');
    prev = id;
    let n: number;
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      n = nf;
      if (i + n > v.length) corrupt(bad);
      for (let j = 0; j < n; j++) node.data.push(lpString(v[i++]!));
      if (lpInt(v[i++]) !== n + 3) corrupt(bad);
    } else {
      n = lpCount(v[i++], v.length);
      if (i + 2 * n > v.length) corrupt(bad);
      for (let j = 0; j < 2 * n; j++) node.data.push(lpString(v[i++]!));
      if (lpInt(v[i++]) !== 2 * n + 4) corrupt(bad);
    }
    node.ids.push(id);
    node.flags.push(flags);
    node.pos.push(node.data.length);
    if (flags & STREAM_ITEM_FLAG_DELETED) node.deleted++;
    else node.live++;
  }
  if (i !== v.length || node.live !== count || node.deleted !== deleted) corrupt(bad);
  node.bytes = lp.length;
  return node;
}

/** A stream ID written as two lengths (ms, seq). */
function readLenId(r: RdbReader): string {
  const ms = r.lenBig();
  const seq = r.lenBig();
  return makeId(toU64(ms), toU64(seq));
}

/** Reads RDB_TYPE_STREAM_LISTPACKS, _2 or _3 into a stream. */
function loadStream(type: number, r: RdbReader): StreamValue {
  const s = new StreamValue();
  const nnodes = r.count();
  for (let i = 0; i < nnodes; i++) {
    const key = r.stringBytes();
    if (key.length !== 16) corrupt('Stream node key entry is not the size of a stream ID');
    const master = key.toString('latin1');
    s.nodes.push(loadStreamNode(master, r.stringBytes()));
  }
  // the radix tree orders nodes by key whatever the order they were written in
  s.nodes.sort((a, b) => (a.master < b.master ? -1 : a.master > b.master ? 1 : 0));
  let live = 0;
  for (let i = 0; i < s.nodes.length; i++) {
    const n = s.nodes[i]!;
    live += n.live;
    if (i > 0) {
      const p = s.nodes[i - 1]!;
      if (p.master === n.master) corrupt('Listpack re-added with existing key');
      if (p.ids.length > 0 && p.ids[p.ids.length - 1]! >= n.master) corrupt('Stream entries out of order');
    }
  }
  const length = r.len();
  s.length = length;
  s.lastId = readLenId(r);
  if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
    s.firstId = readLenId(r);
    s.maxDeletedId = readLenId(r);
    s.entriesAdded = toI64Counter(r.lenBig());
  } else {
    s.maxDeletedId = MIN_ID;
    s.entriesAdded = length;
    s.firstId = s.edgeId(true) ?? MAX_ID;
  }
  if (length !== 0 && s.nodes.length === 0) corrupt('Stream length inconsistent with rax entries');
  if (length !== live) corrupt('Stream length inconsistent with its entries');
  if (live > 0 && s.lastValidId() > s.lastId) corrupt('Stream last ID below its last entry');
  const ngroups = r.count();
  for (let g = 0; g < ngroups; g++) {
    const name = r.string();
    const lastId = readLenId(r);
    const entriesRead = type >= RDB_TYPE_STREAM_LISTPACKS_2 ? toI64Counter(r.lenBig()) : s.estimateDistance(lastId);
    const group = s.createGroup(name, lastId, entriesRead);
    if (group === undefined) corrupt(`Duplicated consumer group name ${name}`);
    const npel = r.count();
    for (let i = 0; i < npel; i++) {
      const id = r.raw(16).toString('latin1');
      const deliveryTime = r.millis();
      const deliveryCount = Number(r.lenBig());
      if (!group.pel.set(id, new PendingEntry(null, deliveryTime, deliveryCount))) {
        corrupt('Duplicated global PEL entry loading stream consumer group');
      }
    }
    const nconsumers = r.count();
    let owned = 0;
    for (let c = 0; c < nconsumers; c++) {
      const cname = r.string();
      const seenTime = r.millis();
      const consumer = group.createConsumer(cname, seenTime);
      if (consumer === undefined) corrupt('Duplicate stream consumer detected.');
      consumer.activeTime = type >= RDB_TYPE_STREAM_LISTPACKS_3 ? r.millis() : seenTime;
      const n = r.count();
      for (let i = 0; i < n; i++) {
        const id = r.raw(16).toString('latin1');
        const nack = group.pel.get(id);
        if (nack === undefined) corrupt('Consumer entry not found in group global PEL');
        if (nack.consumer !== null) corrupt('Duplicated consumer PEL entry loading a stream consumer group');
        nack.consumer = consumer;
        consumer.pel.set(id, nack);
        owned++;
      }
    }
    if (owned !== group.pel.size) corrupt('Stream CG PEL entry without consumer');
  }
  return s;
}

/** The listpack of one stream node, laid out as Valkey lays it out. */
function streamNodeListpack(n: StreamNode): Buffer {
  const lp = new ListpackWriter(n.bytes + 16);
  const nf = n.masterFields.length;
  lp.appendInt(n.live).appendInt(n.deleted).appendInt(nf);
  for (let j = 0; j < nf; j++) lp.append(n.masterFields[j]!);
  lp.appendInt(0);
  const mMs = idMs(n.master);
  const mSeq = idSeq(n.master);
  const data = n.data;
  for (let i = 0; i < n.ids.length; i++) {
    const id = n.ids[i]!;
    const flags = n.flags[i]!;
    lp.appendInt(flags).appendInt(deltaI64(idMs(id), mMs)).appendInt(deltaI64(idSeq(id), mSeq));
    const start = n.pos[i]!;
    const end = n.pos[i + 1]!;
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      for (let p = start; p < end; p++) lp.append(data[p]!);
      lp.appendInt(end - start + 3);
    } else {
      const fields = (end - start) / 2;
      lp.appendInt(fields);
      for (let p = start; p < end; p++) lp.append(data[p]!);
      lp.appendInt(2 * fields + 4);
    }
  }
  return lp.finish();
}

/** Writes a stream as RDB_TYPE_STREAM_LISTPACKS_3 (without the type byte). */
function saveStream(w: RdbWriter, s: StreamValue): void {
  w.len(s.nodes.length);
  for (const n of s.nodes) {
    w.blob(Buffer.from(n.master, 'latin1'));
    w.blob(streamNodeListpack(n));
  }
  w.len(s.length);
  w.len(idMs(s.lastId));
  w.len(idSeq(s.lastId));
  w.len(idMs(s.firstId));
  w.len(idSeq(s.firstId));
  w.len(idMs(s.maxDeletedId));
  w.len(idSeq(s.maxDeletedId));
  w.len(counterU64(s.entriesAdded));
  w.len(s.groups.size);
  for (const g of s.orderedGroups()) {
    w.string(g.name);
    w.len(idMs(g.lastId));
    w.len(idSeq(g.lastId));
    w.len(counterU64(g.entriesRead));
    w.len(g.pel.size);
    for (const [id, p] of g.pel.entries()) {
      w.latin1(id);
      w.millis(p.deliveryTime);
      w.len(p.deliveryCount);
    }
    w.len(g.consumers.size);
    for (const c of g.orderedConsumers()) {
      w.string(c.name);
      w.millis(c.seenTime);
      w.millis(c.activeTime);
      w.len(c.pel.size);
      for (const [id] of c.pel.entries()) w.latin1(id);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Module values (filled in with module data types: the module's own rdb_save/rdb_load)
// ---------------------------------------------------------------------------------------

/** The key a module value is saved or loaded for (GetKeyNameFromIO / GetDbIdFromIO):
 *  `key` null and `dbid` -1 when unknown. */
export interface ModuleIoKey {
  key: string | null;
  dbid: number;
}

/** The IO key used when the caller does not know the key (DUMP/RESTORE payload checks). */
export const NO_IO_KEY: ModuleIoKey = { key: null, dbid: -1 };

/**
 * How one engine writes and reads module type values (its loaded modules' data types):
 * `engine.moduleTypes`, implemented by src/modules/module-types.ts.
 */
export interface ModuleTypeCodec {
  /** After the RDB type byte: len-encoded 64-bit type id, the module's rdb_save opcodes, EOF opcode. */
  save(w: RdbWriter, v: ModuleValue, io: ModuleIoKey): void;
  /** After the type byte (RDB_TYPE_MODULE_2; the id is read by the caller and passed): runs rdb_load
   *  with the id's encver; throws RdbError with Valkey's text on unknown type / IO error / missing EOF. */
  load(r: RdbReader, type: number, moduleId: bigint, io: ModuleIoKey): ModuleValue;
  /** Writes complete module aux records (byte 247, len id, len when, opcodes, EOF) for every type whose
   *  aux_save_triggers include `when` (1 = before the keyspace, 2 = after). aux_save2 writing nothing
   *  writes no record. */
  auxSave(w: RdbWriter, when: 1 | 2): void;
  /** Reads one aux record after its 247 opcode and hands it to the type's aux_load; throws RdbError. */
  auxLoad(r: RdbReader): void;
  /** DEBUG DIGEST of one module value: the 20-byte `x` digest after the type's digest callback
   *  (all zero when the type has no digest callback). */
  digest(v: ModuleValue, io: ModuleIoKey): Buffer;
  /** AOF rewrite of one module value: the commands its aof_rewrite emitted through EmitAOF, each an
   *  array of byte strings; throws when the type has no aof_rewrite (caller logs Valkey's warning). */
  aofRewrite(v: ModuleValue, io: ModuleIoKey): string[][];
}

const TYPE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 9-character type name a 64-bit module type id encodes (moduleTypeNameByID): 6 bits a
 *  character from the top, the low 10 bits being the encoding version. */
export function moduleTypeNameById(id: bigint): string {
  let name = '';
  let rest = BigInt.asUintN(64, id) >> 10n;
  for (let i = 0; i < 9; i++) {
    name = TYPE_NAME_CHARSET[Number(rest & 63n)]! + name;
    rest >>= 6n;
  }
  return name;
}

/** Valkey's error for module data whose type no loaded module provides. */
export function noMatchingModuleType(id: bigint): RdbError {
  return new RdbError(`The RDB file contains module data I can't load: no matching module type '${moduleTypeNameById(id)}'`);
}

/** Valkey's error for a module aux record whose type no loaded module provides. */
export function noMatchingAuxModule(id: bigint): RdbError {
  return new RdbError(`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeNameById(id)}'`);
}

/** The codec of an engine without module data types: every module value is refused. */
export const NO_MODULE_TYPES: ModuleTypeCodec = {
  save(_w, v) {
    throw new RdbError(`cannot serialize a value of module type '${v.name}'`);
  },
  load(_r, _type, moduleId) {
    throw noMatchingModuleType(moduleId);
  },
  auxSave() {},
  auxLoad(r) {
    throw noMatchingAuxModule(r.lenBig());
  },
  digest() {
    return Buffer.alloc(20);
  },
  aofRewrite(v) {
    throw new RdbError(`no aof_rewrite for module type '${v.name}'`);
  },
};

// ---------------------------------------------------------------------------------------
// Building engine values from decoded objects
// ---------------------------------------------------------------------------------------

function* pairs(fields: string[], values: string[]): IterableIterator<[string, string]> {
  for (let i = 0; i < fields.length; i++) yield [fields[i]!, values[i]!];
}

/** Orders zset members by (score, member) unless they already are. */
function sortZset(members: string[], scores: number[]): { members: string[]; scores: number[] } {
  const n = members.length;
  let sorted = true;
  let desc = true;
  for (let i = 1; i < n && (sorted || desc); i++) {
    const sa = scores[i - 1]!;
    const sb = scores[i]!;
    const c = sa !== sb ? (sa < sb ? -1 : 1) : members[i - 1]! < members[i]! ? -1 : 1;
    if (c > 0) sorted = false;
    else desc = false;
  }
  if (sorted) return { members, scores };
  if (desc) return { members: members.slice().reverse(), scores: scores.slice().reverse() };
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ma = members[a]!;
    const mb = members[b]!;
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  return { members: idx.map((i) => members[i]!), scores: idx.map((i) => scores[i]!) };
}

/**
 * Turns a decoded object into an engine value, with the encoding Valkey settles on after
 * loading (listpack/intset when small enough under `cfg`, else the big encodings).
 */
export function buildValue(o: RdbObject, cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG): Value {
  switch (o.kind) {
    case 'string':
      return o.value;
    case 'list': {
      const l = new ListValue(o.items);
      if (cfg !== DEFAULT_COLLECTION_CONFIG) l.normalize(cfg);
      return l;
    }
    case 'set': {
      if (o.listpack) {
        // a listpack stays one (even of integers) unless it outgrows the limits
        const s = SetValue.empty('listpack');
        for (const m of o.members) s.add(m, cfg);
        return s;
      }
      const s = new SetValue(o.members);
      if (cfg !== DEFAULT_COLLECTION_CONFIG) s.normalize(cfg);
      return s;
    }
    case 'hash': {
      const h = new HashValue(pairs(o.fields, o.values));
      if (cfg !== DEFAULT_COLLECTION_CONFIG) h.normalize(cfg);
      return h;
    }
    case 'zset': {
      const { members, scores } = sortZset(o.members, o.scores);
      return ZSetValue.fromSorted(members, scores, true);
    }
    case 'stream':
      return o.stream;
    case 'module':
      return o.value;
  }
}

// ---------------------------------------------------------------------------------------
// Saving engine values
// ---------------------------------------------------------------------------------------

/** Listpack of strings, in order. */
function listpackOf(items: Iterable<string>, sizeHint = 256): Buffer {
  const lp = new ListpackWriter(sizeHint);
  for (const s of items) lp.append(s);
  return lp.finish();
}

/** Byte limit of a list node for a negative fill (list-max-listpack-size). */
const LIST_NODE_SIZES = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * Writes a quicklist-encoded list node by node: the node boundaries the list's encoding
 * model tracks (as Valkey's quicklist would have them), packed listpack nodes and plain
 * nodes for single big elements. Without a consistent model, nodes are filled as pushing
 * the elements to the tail one by one would fill them.
 */
function saveQuicklist(w: RdbWriter, l: ListValue, cfg: Readonly<CollectionConfig>): void {
  const layout = l.layout();
  let total = 0;
  for (const n of layout) total += n.count;
  const counts: number[] = [];
  const plain: boolean[] = [];
  if (total === l.length) {
    for (const n of layout) {
      counts.push(n.count);
      plain.push(n.plain && n.count === 1);
    }
  } else simulateNodes(l, cfg, counts, plain);
  w.len(counts.length);
  const it = l.values();
  for (let k = 0; k < counts.length; k++) {
    if (plain[k]) {
      w.len(QUICKLIST_NODE_CONTAINER_PLAIN);
      w.string(it.next().value!);
      continue;
    }
    const lp = new ListpackWriter(1024);
    for (let i = counts[k]!; i > 0; i--) lp.append(it.next().value!);
    w.len(QUICKLIST_NODE_CONTAINER_PACKED);
    w.blob(lp.finish());
  }
}

/** Node sizes of a list pushed to the tail element by element (quicklistPushTail). */
function simulateNodes(l: ListValue, cfg: Readonly<CollectionConfig>, counts: number[], plain: boolean[]): void {
  let fill = cfg.listMaxListpackSize;
  if (fill > 32767) fill = 32767;
  if (fill < -5) fill = -5;
  const sizeLimit = fill < 0 ? LIST_NODE_SIZES[-fill - 1]! : Infinity;
  const countLimit = fill >= 0 ? Math.max(fill, 1) : Infinity;
  const largeLimit = fill < 0 ? sizeLimit : SIZE_SAFETY_LIMIT;
  let bytes = -1; // current packed node's listpack size; -1: no open node
  for (const s of l.values()) {
    if (s.length > largeLimit) {
      counts.push(1);
      plain.push(true);
      bytes = -1;
      continue;
    }
    const k = counts.length - 1;
    const add = entrySize(s);
    const next = bytes + s.length + SIZE_ESTIMATE_OVERHEAD;
    const full = fill < 0 ? next > sizeLimit : next > SIZE_SAFETY_LIMIT || counts[k]! + 1 > countLimit;
    if (bytes < 0 || full) {
      counts.push(1);
      plain.push(false);
      bytes = LP_HDR_SIZE + 1 + add;
    } else {
      counts[k]!++;
      bytes += add;
    }
  }
}

/** A zset listpack: member, score pairs in order, scores as zzlInsertAt stores them. */
function zsetListpack(z: ZSetValue): Buffer {
  const lp = new ListpackWriter(z.size * 16 + 16);
  for (let n = z.first(); n !== null; n = n.next[0]!) {
    lp.append(n.member);
    const d = n.score;
    if (d === 0) lp.appendInt(0);
    else lp.append(formatDouble(d));
  }
  return lp.finish();
}

/**
 * Writes a value as an RDB object: its type byte and its data (rdbSaveObjectType +
 * rdbSaveObject), in the encoding Valkey 8 writes for the value's current encoding.
 * `cfg` gives list-max-listpack-size for splitting big lists into nodes.
 */
export function writeObject(
  w: RdbWriter,
  v: Value,
  cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG,
  codec: ModuleTypeCodec = NO_MODULE_TYPES,
  io: ModuleIoKey = NO_IO_KEY,
): void {
  if (typeof v === 'string') {
    w.byte(RDB_TYPE_STRING);
    w.string(v);
  } else if (v instanceof ListValue) {
    w.byte(RDB_TYPE_LIST_QUICKLIST_2);
    if (v.encoding() === 'listpack') {
      w.len(1);
      w.len(QUICKLIST_NODE_CONTAINER_PACKED);
      w.blob(listpackOf(v.values(), 64 + v.length * 8));
    } else saveQuicklist(w, v, cfg);
  } else if (v instanceof SetValue) {
    const enc = v.encoding();
    const members = v.members();
    if (enc === 'intset') {
      w.byte(RDB_TYPE_SET_INTSET);
      w.blob(intsetEncode(members.map((m) => stringToInt64(m)!)));
    } else if (enc === 'listpack') {
      w.byte(RDB_TYPE_SET_LISTPACK);
      w.blob(listpackOf(members, 64 + members.length * 8));
    } else {
      w.byte(RDB_TYPE_SET);
      w.len(members.length);
      for (const m of members) w.string(m);
    }
  } else if (v instanceof ZSetValue) {
    if (v.encoding() === 'listpack') {
      w.byte(RDB_TYPE_ZSET_LISTPACK);
      w.blob(zsetListpack(v));
    } else {
      w.byte(RDB_TYPE_ZSET_2);
      w.len(v.size);
      // greatest first, so loading appends at the skiplist's head end cheaply
      for (let n = v.last(); n !== null; n = n.prev) {
        w.string(n.member);
        w.binaryDouble(n.score);
      }
    }
  } else if (v instanceof HashValue) {
    if (v.encoding() === 'listpack') {
      w.byte(RDB_TYPE_HASH_LISTPACK);
      const lp = new ListpackWriter(64 + v.size * 16);
      for (const [f, val] of v.map) lp.append(f).append(val);
      w.blob(lp.finish());
    } else {
      w.byte(RDB_TYPE_HASH);
      w.len(v.size);
      for (const [f, val] of v.map) {
        w.string(f);
        w.string(val);
      }
    }
  } else if (v instanceof StreamValue) {
    w.byte(RDB_TYPE_STREAM_LISTPACKS_3);
    saveStream(w, v);
  } else {
    w.byte(RDB_TYPE_MODULE_2);
    codec.save(w, v, io);
  }
}

/**
 * Reads one RDB object (type byte and value: rdbLoadObjectType + rdbLoadObject) and
 * builds the engine value. Throws RdbError on anything corrupt or unknown.
 */
export function readObject(
  r: RdbReader,
  cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG,
  codec: ModuleTypeCodec = NO_MODULE_TYPES,
  io: ModuleIoKey = NO_IO_KEY,
): Value {
  const type = r.byte();
  if (!isObjectType(type)) throw new RdbError(`Unknown RDB object type ${type}`);
  return buildValue(loadObject(type, r, codec, io), cfg);
}

// ---------------------------------------------------------------------------------------
// DUMP payloads
// ---------------------------------------------------------------------------------------

/**
 * DUMP's serialization of a value (createDumpPayload): the RDB object, the RDB version
 * (2 bytes LE) and the CRC-64 of everything before it (8 bytes LE). `compress` is
 * rdbcompression; `codec` writes module values (the engine's `moduleTypes`), `io` names their key.
 */
export function createDumpPayload(
  v: Value,
  cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG,
  compress = true,
  codec: ModuleTypeCodec = NO_MODULE_TYPES,
  io: ModuleIoKey = NO_IO_KEY,
): Buffer {
  const w = new RdbWriter(typeof v === 'string' ? v.length + 32 : 256, compress);
  writeObject(w, v, cfg, codec, io);
  w.byte(RDB_VERSION & 0xff);
  w.byte(RDB_VERSION >> 8);
  const crc = new Crc64().update(w.view());
  const out = Buffer.allocUnsafe(w.pos + 8);
  w.view().copy(out, 0);
  crc.writeLE(out, w.pos);
  return out;
}

/**
 * Whether a DUMP payload's footer is acceptable (verifyDumpPayload): at least 10 bytes, an
 * RDB version no newer than ours, and a CRC-64 matching the data.
 */
export function verifyDumpPayload(p: Buffer): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = p[footer]! | (p[footer + 1]! << 8);
  if (version > RDB_VERSION) return false;
  return new Crc64().update(p, 0, p.length - 8).matchesLE(p, p.length - 8);
}

/**
 * The value in a verified DUMP payload. As in Valkey the object is read from the start of
 * the payload (the footer is not excluded from the reader). Throws RdbError when corrupt.
 * `codec` reads module values (the engine's `moduleTypes`), `io` names their key.
 */
export function loadDumpPayload(
  p: Buffer,
  cfg: Readonly<CollectionConfig> = DEFAULT_COLLECTION_CONFIG,
  codec: ModuleTypeCodec = NO_MODULE_TYPES,
  io: ModuleIoKey = NO_IO_KEY,
): Value {
  return readObject(new RdbReader(p, 0, p.length), cfg, codec, io);
}
