/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: Valkey's SHA1-based fingerprint of the dataset.
 *
 * Two primitives build every digest (20-byte buffers):
 *   - xor:  digest ^= SHA1(data)            order does not matter (sets, hashes, keys)
 *   - mix:  digest = SHA1(digest ^ SHA1(data))   order matters (lists, streams, a key's parts)
 * A key's digest mixes its name, then its value's type (big-endian uint32), then the value:
 * strings mixed whole, list elements mixed in order, set members xored, each zset member
 * and each hash field/value pair digested apart (mixing member then score, or field then
 * value, into a zero digest) and xored in, stream entries mixed in ID order ("ms.seq", then
 * each field and value; consumer groups are not part of it). A TTL xors in the 10 bytes
 * `!!expire!!`. The dataset digest mixes each non-empty database's index (big-endian
 * uint32) and xors every key's digest; an empty dataset digests to twenty zero bytes.
 *
 * Zset scores are written the way Valkey's fpconv_dtoa (Grisu2) writes a double: shortest
 * digits, plain notation for moderate exponents, otherwise `d.ddde+N` (see formatScore).
 */
import { createHash } from 'node:crypto';
import type { Engine } from './engine.js';
import type { Db } from './db.js';
import { ListValue, HashValue, SetValue, ZSetValue, StreamValue, type Value, type ModuleValue } from './types/index.js';
import { formatId } from './types/stream.js';

/** Valkey's object type codes (OBJ_STRING ... OBJ_STREAM), hashed into each key's digest. */
const OBJ_STRING = 0;
const OBJ_LIST = 1;
const OBJ_SET = 2;
const OBJ_ZSET = 3;
const OBJ_HASH = 4;
const OBJ_MODULE = 5;
const OBJ_STREAM = 6;

const EXPIRE_MARK = Buffer.from('!!expire!!', 'latin1');

function sha1(data: Buffer | string): Buffer {
  const h = createHash('sha1');
  if (typeof data === 'string') h.update(data, 'latin1');
  else h.update(data);
  return h.digest();
}

/** digest ^= SHA1(data). */
export function xorDigest(digest: Buffer, data: Buffer | string): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) digest[i]! ^= h[i]!;
}

/** digest = SHA1(digest ^ SHA1(data)), in place. */
export function mixDigest(digest: Buffer, data: Buffer | string): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** What the digest needs from a module data type (engine.moduleTypes, interface I1). */
interface ModuleDigester {
  digest(v: ModuleValue, io: { key: string | null; dbid: number }): Buffer;
}

function moduleDigester(engine: Engine): ModuleDigester | undefined {
  return (engine as unknown as { moduleTypes?: ModuleDigester }).moduleTypes;
}

/**
 * Adds one value's digest (its type, its contents, and the TTL mark when `hasExpire`) to
 * `digest`, as Valkey's xorObjectDigest does. `key` and `dbid` reach a module type's digest
 * callback (GetKeyNameFromDigest / GetDbIdFromDigest).
 */
export function xorObjectDigest(engine: Engine, dbid: number, key: string, digest: Buffer, v: Value, hasExpire: boolean): void {
  if (typeof v === 'string') {
    mixDigest(digest, u32be(OBJ_STRING));
    mixDigest(digest, v);
  } else if (v instanceof ListValue) {
    mixDigest(digest, u32be(OBJ_LIST));
    for (const el of v.values()) mixDigest(digest, el);
  } else if (v instanceof SetValue) {
    mixDigest(digest, u32be(OBJ_SET));
    for (const m of v.members()) xorDigest(digest, m);
  } else if (v instanceof ZSetValue) {
    mixDigest(digest, u32be(OBJ_ZSET));
    const ele = Buffer.alloc(20);
    for (let n = v.first(); n !== null; n = n.next[0]!) {
      ele.fill(0);
      mixDigest(ele, n.member);
      mixDigest(ele, formatScore(n.score));
      xorDigest(digest, ele);
    }
  } else if (v instanceof HashValue) {
    mixDigest(digest, u32be(OBJ_HASH));
    const ele = Buffer.alloc(20);
    for (const [f, val] of v.map) {
      ele.fill(0);
      mixDigest(ele, f);
      mixDigest(ele, val);
      xorDigest(digest, ele);
    }
  } else if (v instanceof StreamValue) {
    mixDigest(digest, u32be(OBJ_STREAM));
    for (const node of v.nodes) {
      for (let i = 0; i < node.ids.length; i++) {
        if (node.isDeleted(i)) continue;
        mixDigest(digest, formatId(node.ids[i]!).replace('-', '.'));
        const n = node.numFields(i);
        for (let j = 0; j < n; j++) {
          mixDigest(digest, node.field(i, j));
          mixDigest(digest, node.value(i, j));
        }
      }
    }
  } else {
    mixDigest(digest, u32be(OBJ_MODULE));
    const codec = moduleDigester(engine);
    // A type without a digest callback contributes nothing (the codec returns zeros then,
    // and xoring SHA1 of zeros would differ: Valkey skips the xor entirely in that case).
    if (codec) {
      const x = codec.digest(v, { key, dbid });
      if (x.some((b) => b !== 0)) xorDigest(digest, x);
    }
  }
  if (hasExpire) xorDigest(digest, EXPIRE_MARK);
}

/** One key's digest in `db` (all zeros when the key does not exist; a logically expired
 *  key still counts, as DEBUG DIGEST-VALUE reads the keyspace without expiring). */
export function keyValueDigest(engine: Engine, db: Db, key: string): Buffer {
  const digest = Buffer.alloc(20);
  const e = db.dict.get(key);
  if (e !== undefined) xorObjectDigest(engine, db.id, key, digest, e.value, e.expire !== 0);
  return digest;
}

/** The whole dataset's digest (DEBUG DIGEST): twenty zero bytes when every database is empty. */
export function datasetDigest(engine: Engine): Buffer {
  const final = Buffer.alloc(20);
  const digest = Buffer.alloc(20);
  for (const db of engine.dbs) {
    if (db.dict.size === 0) continue;
    mixDigest(final, u32be(db.id));
    for (const [key, e] of db.dict) {
      digest.fill(0);
      mixDigest(digest, key);
      xorObjectDigest(engine, db.id, key, digest, e.value, e.expire !== 0);
      xorDigest(final, digest);
    }
  }
  return final;
}

// ---------------------------------------------------------------------------------------
// Doubles as Valkey's fpconv_dtoa writes them (Grisu2 over a 64-bit diy-fp)
// ---------------------------------------------------------------------------------------

const M64 = (1n << 64n) - 1n;
const HIDDEN = 1n << 52n;
const FRAC_MASK = HIDDEN - 1n;
/** The cached powers of ten are 10^(FIRST_POWER + STEP * i), i < NPOWERS. */
const FIRST_POWER = -348;
const STEP = 8;
const NPOWERS = 87;

interface DiyFp {
  f: bigint;
  e: number;
}

/** 10^k as a normalized 64-bit significand and binary exponent, rounded to nearest. */
function cachedPower(k: number): DiyFp {
  // choose e so that 2^63 <= 10^k / 2^e < 2^64
  if (k >= 0) {
    const p = 10n ** BigInt(k);
    const e = p.toString(2).length - 64;
    if (e <= 0) return { f: p << BigInt(-e), e };
    const f = (p + (1n << BigInt(e - 1))) >> BigInt(e);
    return f >> 64n ? { f: f >> 1n, e: e + 1 } : { f, e };
  }
  const q = 10n ** BigInt(-k);
  // 2^s / q with 64 significant bits: s = bits(q) + 63
  const s = q.toString(2).length + 63;
  let f = ((1n << BigInt(s)) + q / 2n) / q;
  let e = -s;
  while (f >> 64n) {
    f >>= 1n;
    e++;
  }
  while (!(f >> 63n)) {
    f = ((1n << BigInt(-e + 1)) + q / 2n) / q;
    e--;
  }
  return { f, e };
}

let powers: DiyFp[] | undefined;
function powerTable(): DiyFp[] {
  if (!powers) {
    powers = [];
    for (let i = 0; i < NPOWERS; i++) powers.push(cachedPower(FIRST_POWER + STEP * i));
  }
  return powers;
}

/** 64x64 -> upper 64 bits, rounding the way fpconv's multiply does (from 32-bit halves). */
function mul(a: DiyFp, b: DiyFp): DiyFp {
  const LO = 0xffffffffn;
  const ah = a.f >> 32n;
  const al = a.f & LO;
  const bh = b.f >> 32n;
  const bl = b.f & LO;
  const ahbl = ah * bl;
  const albh = al * bh;
  const albl = al * bl;
  const ahbh = ah * bh;
  const mid = (ahbl & LO) + (albh & LO) + (albl >> 32n) + (1n << 31n);
  return { f: (ahbh + (ahbl >> 32n) + (albh >> 32n) + (mid >> 32n)) & M64, e: a.e + b.e + 64 };
}

/** Steps the last digit down while that brings the result closer to the true value. */
function weed(digits: number[], delta: bigint, rest: bigint, ten: bigint, wp: bigint): void {
  while (
    rest < wp &&
    ((delta - rest) & M64) >= ten &&
    (((rest + ten) & M64) < wp || ((wp - rest) & M64) > ((rest + ten - wp) & M64))
  ) {
    digits[digits.length - 1]!--;
    rest = (rest + ten) & M64;
  }
}

const TENS: bigint[] = [];
for (let i = 19; i >= 0; i--) TENS.push(10n ** BigInt(i));

/** Grisu2: the digits of a positive finite double and the decimal exponent K (value = digits * 10^K). */
function grisu(d: number): { digits: number[]; K: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  let f = bits & FRAC_MASK;
  const be = Number((bits >> 52n) & 0x7ffn);
  let e: number;
  if (be) {
    f += HIDDEN;
    e = be - 1075;
  } else e = -1074;
  // boundaries m+ and m-, sharing m+'s exponent
  let uf = (f << 1n) + 1n;
  let ue = e - 1;
  while (!(uf & (HIDDEN << 1n))) {
    uf <<= 1n;
    ue--;
  }
  uf = (uf << 10n) & M64;
  ue -= 10;
  const lshift = f === HIDDEN ? 2 : 1;
  let lf = (f << BigInt(lshift)) - 1n;
  const le = e - lshift;
  lf = (lf << BigInt(le - ue)) & M64;
  // normalize w
  let wf = f;
  let we = e;
  while (!(wf & HIDDEN)) {
    wf <<= 1n;
    we--;
  }
  wf = (wf << 11n) & M64;
  we -= 11;
  // cached power bringing m+'s exponent into [-60, -32]
  const table = powerTable();
  const approx = Math.trunc(-(ue + NPOWERS) * 0.30102999566398114);
  let idx = Math.trunc((approx - FIRST_POWER) / STEP);
  for (;;) {
    const cur = ue + table[idx]!.e + 64;
    if (cur < -60) idx++;
    else if (cur > -32) idx--;
    else break;
  }
  const cp = table[idx]!;
  const k = FIRST_POWER + idx * STEP;
  const w = mul({ f: wf, e: we }, cp);
  const up = mul({ f: uf, e: ue }, cp);
  const lo = mul({ f: lf, e: ue }, cp);
  lo.f = (lo.f + 1n) & M64;
  up.f = (up.f - 1n) & M64;
  let K = -k;
  // digit generation
  const wp = (up.f - w.f) & M64;
  let delta = (up.f - lo.f) & M64;
  const shift = BigInt(-up.e);
  const one = 1n << shift;
  let p1 = up.f >> shift;
  let p2 = up.f & (one - 1n);
  const digits: number[] = [];
  let kappa = 10;
  for (let t = 10; kappa > 0; t++) {
    const div = TENS[t]!;
    const dg = p1 / div;
    if (dg || digits.length) digits.push(Number(dg));
    p1 -= dg * div;
    kappa--;
    const rest = ((p1 << shift) + p2) & M64;
    if (rest <= delta) {
      K += kappa;
      weed(digits, delta, rest, (div << shift) & M64, wp);
      return { digits, K };
    }
  }
  let unit = 18;
  for (;;) {
    p2 = (p2 * 10n) & M64;
    delta = (delta * 10n) & M64;
    kappa--;
    const dg = p2 >> shift;
    if (dg || digits.length) digits.push(Number(dg));
    p2 &= one - 1n;
    if (p2 < delta) {
      K += kappa;
      weed(digits, delta, p2, one, (wp * TENS[unit]!) & M64);
      return { digits, K };
    }
    unit--;
  }
}

/**
 * A double as Valkey's fpconv_dtoa writes it: "0", "inf", "nan" (with a '-' when the
 * sign bit is set, so -0 is "-0"), plain digits when the exponent is moderate ("100",
 * "0.001", "1.5"), otherwise scientific with the shortest exponent ("1e+8", "1.5e-7").
 */
export function formatScore(d: number): string {
  const neg = d < 0 || Object.is(d, -0);
  const sign = neg ? '-' : '';
  if (d === 0) return sign + '0';
  if (Number.isNaN(d)) return sign + 'nan';
  if (!Number.isFinite(d)) return sign + 'inf';
  const { digits, K } = grisu(Math.abs(d));
  let nd = digits.length;
  const ds = digits.join('');
  const exp = Math.abs(K + nd - 1);
  if (K >= 0 && exp < nd + 7) return sign + ds + '0'.repeat(K);
  if (K < 0 && (K > -7 || exp < 4)) {
    const offset = nd + K;
    if (offset <= 0) return sign + '0.' + '0'.repeat(-offset) + ds;
    return sign + ds.slice(0, offset) + '.' + ds.slice(offset);
  }
  nd = Math.min(nd, 18 - (neg ? 1 : 0));
  let s = ds[0]!;
  if (nd > 1) s += '.' + ds.slice(1, nd);
  s += K + nd - 1 < 0 ? 'e-' : 'e+';
  return sign + s + String(exp);
}

/** Lower-case hex of a digest, as DEBUG DIGEST replies. */
export function digestHex(d: Buffer): string {
  return d.toString('hex');
}
