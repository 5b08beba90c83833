/**
 * The bitmap commands: GETBIT, SETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
 *
 * A bitmap is a string value; bit 0 is the most significant bit of the first byte. Values
 * are one-byte ("latin1") JS strings, read with charCodeAt and rebuilt (or converted to a
 * Buffer and back for multi-byte writes), so every operation is byte exact. Replies, error
 * texts, argument checking order and notifications follow Valkey 8 (bitops.c).
 */
import { cmd, Errors } from './define.js';
import type { CommandContext, CommandDef } from './table.js';
import { WRONGTYPE } from '../engine/types/index.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../engine/notify.js';
import { llToIndex, parseLongLong } from './parse.js';
import { maxValueLength, protoMaxBulkLen, zeros } from './strings.js';

const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
const ERR_BITFIELD_TYPE =
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** Bits set in each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/**
 * getBitOffsetFromArgument: a bit offset within proto-max-bulk-len bytes (0 .. 2^32-1 by
 * default), or -1 after replying the error. With `hash` and bits > 0, "#n" means n * bits
 * (multiplied in 64-bit arithmetic that wraps like the server's).
 */
function bitOffsetOrReply(ctx: CommandContext, arg: string, hash: boolean, bits: number): number {
  const usehash = hash && bits > 0 && arg.charCodeAt(0) === 35; // '#'
  let v: number | bigint | undefined = parseLongLong(usehash ? arg.slice(1) : arg);
  if (v !== undefined && usehash) v = BigInt.asIntN(64, BigInt(v) * BigInt(bits));
  if (v === undefined || v < 0 || Math.floor(Number(v) / 8) >= protoMaxBulkLen(ctx.engine)) {
    ctx.w.error(ERR_BIT_OFFSET);
    return -1;
  }
  return Number(v);
}

/** Set by lookupStringForBit: whether the value was just created or grown. */
let grownDirty = false;

/**
 * lookupStringForBitCommand: the string at key made long enough to address bit `maxbit`
 * (created or zero-padded), or undefined after replying WRONGTYPE. Sets `grownDirty`.
 */
function lookupStringForBit(ctx: CommandContext, maxbit: number): string | undefined {
  const key = ctx.args[1]!;
  const db = ctx.engine.db(ctx.client);
  const o = db.getForWrite(key);
  if (o !== undefined && typeof o !== 'string') {
    ctx.w.error(WRONGTYPE);
    return undefined;
  }
  const need = Math.floor(maxbit / 8) + 1;
  if (need > maxValueLength(ctx.engine)) {
    // Beyond the longest JS string (a few bytes short of 512 MiB): this host cannot hold it.
    ctx.w.error(ERR_BIT_OFFSET);
    return undefined;
  }
  grownDirty = false;
  if (o === undefined) {
    const s = zeros(need);
    db.add(key, s);
    grownDirty = true;
    return s;
  }
  if (o.length < need) {
    const s = o + zeros(need - o.length);
    db.replace(key, s);
    grownDirty = true;
    return s;
  }
  return o;
}

/** Replaces one byte of a string. */
function withByte(s: string, i: number, byte: number): string {
  return s.slice(0, i) + String.fromCharCode(byte) + s.slice(i + 1);
}

function setbitCommand(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const off = bitOffsetOrReply(ctx, args[2]!, false, 0);
  if (off < 0) return;
  const on = parseLongLong(args[3]!);
  if (on === undefined || (on !== 0 && on !== 1)) return w.error(ERR_BIT_VALUE);
  const onBit = on === 1 ? 1 : 0;
  const s = lookupStringForBit(ctx, off);
  if (s === undefined) return;
  const byte = Math.floor(off / 8);
  const shift = 7 - (off & 7);
  const old = s.charCodeAt(byte);
  const bitval = (old >> shift) & 1;
  if (grownDirty || bitval !== onBit) {
    const key = args[1]!;
    const db = engine.db(ctx.client);
    db.replace(key, withByte(s, byte, (old & ~(1 << shift)) | (onBit << shift)));
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_STRING, 'setbit', key, db.id);
    engine.dirty++;
  }
  w.integer(bitval);
}

function getbitCommand(ctx: CommandContext): void {
  const { args, w } = ctx;
  const off = bitOffsetOrReply(ctx, args[2]!, false, 0);
  if (off < 0) return;
  const v = ctx.engine.db(ctx.client).get(args[1]!);
  if (v === undefined) return w.integer(0);
  if (typeof v !== 'string') return w.error(WRONGTYPE);
  const byte = Math.floor(off / 8);
  w.integer(byte < v.length ? (v.charCodeAt(byte) >> (7 - (off & 7))) & 1 : 0);
}

// ---------------------------------------------------------------------------------------
// BITCOUNT / BITPOS
// ---------------------------------------------------------------------------------------

/** Bits set in s[start..end] (byte indexes, inclusive). */
function popcount(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i <= end; i++) n += POPCOUNT[s.charCodeAt(i)]!;
  return n;
}

function isBitUnit(ctx: CommandContext, arg: string): boolean | undefined {
  const l = arg.toLowerCase();
  if (l === 'bit') return true;
  if (l === 'byte') return false;
  ctx.w.error(Errors.syntax);
  return undefined;
}

function bitcountCommand(ctx: CommandContext): void {
  const { args, w } = ctx;
  const argc = args.length;
  if (argc > 5) return w.error(Errors.syntax);
  const db = ctx.engine.db(ctx.client);
  if (argc === 2) {
    const v = db.get(args[1]!);
    if (v === undefined) return w.integer(0);
    if (typeof v !== 'string') return w.error(WRONGTYPE);
    return w.integer(popcount(v, 0, v.length - 1));
  }
  const s0 = parseLongLong(args[2]!);
  if (s0 === undefined) return w.error(Errors.notInteger);
  let isbit = false;
  if (argc === 5) {
    const u = isBitUnit(ctx, args[4]!);
    if (u === undefined) return;
    isbit = u;
  }
  let e0: number | bigint = 0;
  if (argc >= 4) {
    const e = parseLongLong(args[3]!);
    if (e === undefined) return w.error(Errors.notInteger);
    e0 = e;
  }
  const v = db.get(args[1]!);
  if (v !== undefined && typeof v !== 'string') return w.error(WRONGTYPE);
  const strlen = v === undefined ? 0 : v.length;
  if (argc < 4) e0 = strlen - 1;
  if (s0 < 0 && e0 < 0 && s0 > e0) return w.integer(0);
  let start = llToIndex(s0);
  let end = llToIndex(e0);
  const totlen = isbit ? strlen * 8 : strlen;
  if (start < 0) start = totlen + start;
  if (end < 0) end = totlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= totlen) end = totlen - 1;
  if (v === undefined) return w.integer(0);
  if (start > end) return w.integer(0);
  if (!isbit) return w.integer(popcount(v, start, end));
  const sb = Math.floor(start / 8);
  const eb = Math.floor(end / 8);
  let count = popcount(v, sb, eb);
  // drop the bits of the first and last bytes that lie outside the range
  const firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
  const lastMask = (1 << (7 - (end & 7))) - 1;
  count -= POPCOUNT[v.charCodeAt(sb) & firstMask]! + POPCOUNT[v.charCodeAt(eb) & lastMask]!;
  w.integer(count);
}

/** First bit equal to `bit` in bits [from, to] of s (bit indexes, inclusive), or -1. */
function findBit(s: string, from: number, to: number, bit: number): number {
  let i = from;
  // leading partial byte
  while (i <= to && (i & 7) !== 0) {
    if (((s.charCodeAt(i >>> 3) >> (7 - (i & 7))) & 1) === bit) return i;
    i++;
  }
  const skip = bit ? 0 : 0xff;
  while (i + 7 <= to) {
    const byte = s.charCodeAt(i >>> 3);
    if (byte !== skip) {
      for (let k = 0; k < 8; k++) if (((byte >> (7 - k)) & 1) === bit) return i + k;
    }
    i += 8;
  }
  for (; i <= to; i++) {
    if (((s.charCodeAt(i >>> 3) >> (7 - (i & 7))) & 1) === bit) return i;
  }
  return -1;
}

function bitposCommand(ctx: CommandContext): void {
  const { args, w } = ctx;
  const argc = args.length;
  const b = parseLongLong(args[2]!);
  if (b === undefined) return w.error(Errors.notInteger);
  if (b !== 0 && b !== 1) return w.error('ERR The bit argument must be 1 or 0.');
  const bit = b === 1 ? 1 : 0;
  if (argc > 6) return w.error(Errors.syntax);
  const db = ctx.engine.db(ctx.client);
  let s0: number | bigint = 0;
  let e0: number | bigint = 0;
  let isbit = false;
  let endGiven = false;
  if (argc >= 4) {
    const s = parseLongLong(args[3]!);
    if (s === undefined) return w.error(Errors.notInteger);
    s0 = s;
    if (argc === 6) {
      const u = isBitUnit(ctx, args[5]!);
      if (u === undefined) return;
      isbit = u;
    }
    if (argc >= 5) {
      const e = parseLongLong(args[4]!);
      if (e === undefined) return w.error(Errors.notInteger);
      e0 = e;
      endGiven = true;
    }
  }
  const v = db.get(args[1]!);
  if (v !== undefined && typeof v !== 'string') return w.error(WRONGTYPE);
  if (v === undefined) return w.integer(bit ? -1 : 0);
  const strlen = v.length;
  let start: number;
  let end: number;
  if (argc === 3) {
    start = 0;
    end = strlen - 1;
  } else {
    if (argc < 5) e0 = strlen - 1;
    const totlen = isbit ? strlen * 8 : strlen;
    start = llToIndex(s0);
    end = llToIndex(e0);
    if (start < 0) start = totlen + start;
    if (end < 0) end = totlen + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= totlen) end = totlen - 1;
  }
  if (start > end) return w.integer(-1);
  const from = isbit ? start : start * 8;
  const to = isbit ? end : end * 8 + 7;
  const pos = findBit(v, from, to, bit);
  if (pos >= 0) return w.integer(pos);
  if (bit === 1 || endGiven) return w.integer(-1);
  // Looking for a clear bit with no explicit end: the string is zero padded on the right.
  w.integer(to + 1);
}

// ---------------------------------------------------------------------------------------
// BITOP
// ---------------------------------------------------------------------------------------

function bitopCommand(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const opname = args[1]!.toLowerCase();
  let op: number;
  if (opname === 'and') op = 0;
  else if (opname === 'or') op = 1;
  else if (opname === 'xor') op = 2;
  else if (opname === 'not') op = 3;
  else return w.error(Errors.syntax);
  if (op === 3 && args.length !== 4) return w.error('ERR BITOP NOT must be called with a single source key.');
  const db = engine.db(ctx.client);
  const n = args.length - 3;
  const srcs: (Buffer | undefined)[] = new Array(n);
  let maxlen = 0;
  for (let j = 0; j < n; j++) {
    const v = db.get(args[j + 3]!);
    if (v === undefined) {
      srcs[j] = undefined;
      continue;
    }
    if (typeof v !== 'string') return w.error(WRONGTYPE);
    srcs[j] = Buffer.from(v, 'latin1');
    if (v.length > maxlen) maxlen = v.length;
  }
  const target = args[2]!;
  if (maxlen > 0) {
    const res = Buffer.alloc(maxlen);
    const first = srcs[0];
    if (first) first.copy(res);
    if (op === 3) {
      for (let i = 0; i < maxlen; i++) res[i] = ~res[i]! & 0xff;
    } else {
      for (let j = 1; j < n; j++) {
        const src = srcs[j];
        const len = src ? src.length : 0;
        if (op === 0) {
          for (let i = 0; i < len; i++) res[i]! &= src![i]!;
          res.fill(0, len);
        } else if (op === 1) {
          for (let i = 0; i < len; i++) res[i]! |= src![i]!;
        } else {
          for (let i = 0; i < len; i++) res[i]! ^= src![i]!;
        }
      }
    }
    db.set(target, res.toString('latin1'));
    engine.notify(NOTIFY_STRING, 'set', target, db.id);
    engine.dirty++;
  } else if (db.delete(target)) {
    engine.notify(NOTIFY_GENERIC, 'del', target, db.id);
    engine.dirty++;
  }
  w.integer(maxlen);
}

// ---------------------------------------------------------------------------------------
// BITFIELD
// ---------------------------------------------------------------------------------------

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;
const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

const INT64_MAX = 9223372036854775807n;

/** Reads `bits` bits at bit `offset` of bytes (missing bytes read as zero), unsigned. */
function getUnsigned(bytes: Uint8Array | string, offset: number, bits: number): bigint {
  const isStr = typeof bytes === 'string';
  const len = bytes.length;
  if (bits <= 48) {
    let v = 0;
    for (let j = 0; j < bits; j++, offset++) {
      const i = Math.floor(offset / 8);
      const byte = i < len ? (isStr ? (bytes as string).charCodeAt(i) : (bytes as Uint8Array)[i]!) : 0;
      v = v * 2 + ((byte >> (7 - (offset & 7))) & 1);
    }
    return BigInt(v);
  }
  let v = 0n;
  for (let j = 0; j < bits; j++, offset++) {
    const i = Math.floor(offset / 8);
    const byte = i < len ? (isStr ? (bytes as string).charCodeAt(i) : (bytes as Uint8Array)[i]!) : 0;
    v = (v << 1n) | BigInt((byte >> (7 - (offset & 7))) & 1);
  }
  return v;
}

/** Writes the low `bits` bits of value at bit `offset` of buf. */
function setBits(buf: Uint8Array, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  const lo = Number(u & 0xffffffffn);
  const hi = Number(u >> 32n);
  for (let j = 0; j < bits; j++, offset++) {
    const bitpos = bits - 1 - j; // bit of value to store
    const bitval = bitpos >= 32 ? (hi >>> (bitpos - 32)) & 1 : (lo >>> bitpos) & 1;
    const i = Math.floor(offset / 8);
    const sh = 7 - (offset & 7);
    buf[i] = (buf[i]! & ~(1 << sh)) | (bitval << sh);
  }
}

/** Overflow check for unsigned fields (checkUnsignedBitfieldOverflow): 0, 1 (over) or -1
 *  (under); `bfLimit` gets the wrapped or saturated value. */
let bfLimit = 0n;
function checkUnsignedOverflow(value: bigint, incr: bigint, bits: number, ow: number): number {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  if (value > max || (incr > 0n && incr > maxincr)) {
    if (ow === OW_WRAP) bfLimit = BigInt.asUintN(bits, value + incr);
    else if (ow === OW_SAT) bfLimit = max;
    return 1;
  }
  if (incr < 0n && incr < minincr) {
    if (ow === OW_WRAP) bfLimit = BigInt.asUintN(bits, value + incr);
    else if (ow === OW_SAT) bfLimit = 0n;
    return -1;
  }
  return 0;
}

/** Overflow check for signed fields (checkSignedBitfieldOverflow), with the server's 64-bit
 *  wrapping in the intermediate differences. */
function checkSignedOverflow(value: bigint, incr: bigint, bits: number, ow: number): number {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    if (ow === OW_WRAP) bfLimit = BigInt.asIntN(bits, value + incr);
    else if (ow === OW_SAT) bfLimit = max;
    return 1;
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    if (ow === OW_WRAP) bfLimit = BigInt.asIntN(bits, value + incr);
    else if (ow === OW_SAT) bfLimit = min;
    return -1;
  }
  return 0;
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the text up to a NUL byte); returns
 *  bits (negative for signed), or 0 after replying the error. */
function bitfieldTypeOrReply(ctx: CommandContext, arg: string): number {
  const c = arg.charCodeAt(0);
  const signed = c === 105; // 'i'
  if (!signed && c !== 117) {
    ctx.w.error(ERR_BITFIELD_TYPE);
    return 0;
  }
  let rest = arg.slice(1);
  const nul = rest.indexOf('\0');
  if (nul >= 0) rest = rest.slice(0, nul);
  const v = parseLongLong(rest);
  if (v === undefined || v < 1 || (signed && v > 64) || (!signed && v > 63)) {
    ctx.w.error(ERR_BITFIELD_TYPE);
    return 0;
  }
  return signed ? -Number(v) : Number(v);
}

/** bitfieldGeneric: BITFIELD (readonlyCmd false) and BITFIELD_RO. */
function bitfieldGeneric(ctx: CommandContext, readonlyCmd: boolean): void {
  const { engine, args, w } = ctx;
  const argc = args.length;
  // ops as flat tuples: opcode, offset, bits, signed, overflow, value
  const ops: number[] = [];
  const vals: bigint[] = [];
  let ow = OW_WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argc; j++) {
    const rem = argc - j - 1;
    const sub = args[j]!.toLowerCase();
    let opcode: number;
    if (sub === 'get' && rem >= 2) opcode = OP_GET;
    else if (sub === 'set' && rem >= 3) opcode = OP_SET;
    else if (sub === 'incrby' && rem >= 3) opcode = OP_INCRBY;
    else if (sub === 'overflow' && rem >= 1) {
      const t = args[++j]!.toLowerCase();
      if (t === 'wrap') ow = OW_WRAP;
      else if (t === 'sat') ow = OW_SAT;
      else if (t === 'fail') ow = OW_FAIL;
      else return w.error('ERR Invalid OVERFLOW type specified');
      continue;
    } else return w.error(Errors.syntax);
    const t = bitfieldTypeOrReply(ctx, args[j + 1]!);
    if (t === 0) return;
    const bits = t < 0 ? -t : t;
    const off = bitOffsetOrReply(ctx, args[j + 2]!, true, bits);
    if (off < 0) return;
    let value = 0n;
    if (opcode !== OP_GET) {
      readonly = false;
      if (highest < off + bits - 1) highest = off + bits - 1;
      const v = parseLongLong(args[j + 3]!);
      if (v === undefined) return w.error(Errors.notInteger);
      value = BigInt(v);
    }
    ops.push(opcode, off, bits, t < 0 ? 1 : 0, ow);
    vals.push(value);
    j += opcode === OP_GET ? 2 : 3;
  }
  const key = args[1]!;
  const db = engine.db(ctx.client);
  const nops = vals.length;
  if (readonly) {
    const o = db.get(key);
    if (o !== undefined && typeof o !== 'string') return w.error(WRONGTYPE);
    w.array(nops);
    const src = o ?? '';
    for (let k = 0; k < nops; k++) {
      const p = k * 5;
      const bits = ops[p + 2]!;
      const u = getUnsigned(src, ops[p + 1]!, bits);
      w.integer(ops[p + 3] ? BigInt.asIntN(bits, u) : u);
    }
    return;
  }
  if (readonlyCmd) return w.error('ERR BITFIELD_RO only supports the GET subcommand');
  const s = lookupStringForBit(ctx, highest);
  if (s === undefined) return;
  const dirty = grownDirty;
  const buf = Buffer.from(s, 'latin1');
  let changes = 0;
  w.array(nops);
  for (let k = 0; k < nops; k++) {
    const p = k * 5;
    const opcode = ops[p]!;
    const offset = ops[p + 1]!;
    const bits = ops[p + 2]!;
    const signed = ops[p + 3] === 1;
    const owtype = ops[p + 4]!;
    const arg = vals[k]!;
    if (opcode === OP_GET) {
      const u = getUnsigned(buf, offset, bits);
      w.integer(signed ? BigInt.asIntN(bits, u) : u);
      continue;
    }
    let oldval: bigint;
    let newval: bigint;
    let retval: bigint;
    let overflow: number;
    if (signed) {
      oldval = BigInt.asIntN(bits, getUnsigned(buf, offset, bits));
      if (opcode === OP_INCRBY) {
        overflow = checkSignedOverflow(oldval, arg, bits, owtype);
        newval = overflow ? bfLimit : oldval + arg;
        retval = newval;
      } else {
        newval = arg;
        overflow = checkSignedOverflow(newval, 0n, bits, owtype);
        if (overflow) newval = bfLimit;
        retval = oldval;
      }
    } else {
      oldval = getUnsigned(buf, offset, bits);
      if (opcode === OP_INCRBY) {
        overflow = checkUnsignedOverflow(oldval, arg, bits, owtype);
        newval = overflow ? bfLimit : oldval + arg;
        retval = newval;
      } else {
        newval = BigInt.asUintN(64, arg);
        overflow = checkUnsignedOverflow(newval, 0n, bits, owtype);
        if (overflow) newval = bfLimit;
        retval = oldval;
      }
    }
    if (overflow && owtype === OW_FAIL) {
      w.null();
      continue;
    }
    w.integer(retval);
    setBits(buf, offset, bits, newval);
    if (dirty || oldval !== newval) changes++;
  }
  if (changes) {
    db.replace(key, buf.toString('latin1'));
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_STRING, 'setbit', key, db.id);
    engine.dirty += changes;
  }
}

/** The bitmap family's command definitions (registered by commands/index.ts). */
export const bitmapCommands: CommandDef[] = [
  cmd('getbit', getbitCommand),
  cmd('setbit', setbitCommand),
  cmd('bitcount', bitcountCommand),
  cmd('bitpos', bitposCommand),
  cmd('bitop', bitopCommand),
  cmd('bitfield', (ctx) => bitfieldGeneric(ctx, false)),
  cmd('bitfield_ro', (ctx) => bitfieldGeneric(ctx, true)),
];
