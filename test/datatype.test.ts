/** Module data types (test-modules/datatype.c): CreateDataType rules, values in the keyspace
 *  (TYPE, SCAN TYPE, COPY, MEMORY USAGE, frees), the RDB IO API, DUMP/RESTORE, the
 *  per-engine codec (save/load, aux records, digest, AOF rewrite) and unload refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, ModuleError, ReplyError, SimpleString } from '../src/index.js';
import { ModuleValue } from '../src/engine/types/index.js';
import { RdbReader, RdbWriter, RDB_VERSION } from '../src/persistence/rdb-value.js';
import { Crc64 } from '../src/persistence/crc64.js';
import { serializeRdb, loadRdbBuffer } from '../src/persistence/rdb-file.js';
import { testModule } from './helpers.js';
import { haveRedisServer, RawClient, RedisOracle } from './oracle.js';
import { freePort } from './net-helpers.js';
import { spawn } from 'node:child_process';

function setup(args: string[] = []): Engine {
  const engine = new Engine({ activeExpire: false });
  engine.loadModule(testModule('datatype'), args);
  return engine;
}

function norm(r: unknown): unknown {
  if (r instanceof SimpleString) return r.value;
  if (r instanceof ReplyError) return `-${r.message}`;
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

async function call(engine: Engine, ...args: (string | Buffer)[]): Promise<unknown> {
  return norm(await engine.call(...args));
}

/** A bulk reply's bytes (run by a client getting bulk replies as Buffers, in db 0). */
async function bytes(engine: Engine, ...args: string[]): Promise<Buffer> {
  const r = await engine.client({ buffers: true }).call(...args);
  assert.ok(typeof r === 'string' || Buffer.isBuffer(r), `expected a bulk reply, got ${String(r)}`);
  return Buffer.isBuffer(r) ? r : Buffer.from(r, 'latin1');
}

/** [frees, unlinks, copies, aux_before, aux_after, aux_loads] */
async function stats(engine: Engine): Promise<number[]> {
  return (await call(engine, 'DT.STATS')) as number[];
}

/** The type id of vmtest-dt with an encver. */
function typeId(encver: number): bigint {
  const cs = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = 0n;
  for (const c of 'vmtest-dt') id = (id << 6n) | BigInt(cs.indexOf(c));
  return (id << 10n) | BigInt(encver);
}

/** A DUMP payload around an RDB object body. */
function dumpPayload(body: Buffer): Buffer {
  const b = Buffer.concat([body, Buffer.from([RDB_VERSION & 0xff, RDB_VERSION >> 8])]);
  const crc = Buffer.alloc(8);
  new Crc64().update(b).writeLE(crc, 0);
  return Buffer.concat([b, crc]);
}

/** The old (encver 0) layout of a value: UINT num, STRING str. */
function encver0Body(num: number, str: string): Buffer {
  const w = new RdbWriter(64, false);
  w.len(2);
  w.len(BigInt.asUintN(64, BigInt(num)));
  w.len(5);
  w.string(str);
  return w.finish();
}

function moduleValue(engine: Engine, key: string): ModuleValue {
  const v = engine.dbs[0]!.dict.get(key)?.value;
  assert.ok(v instanceof ModuleValue);
  return v;
}

test('CreateDataType: name, encver, version and OnLoad-only rules give NULL', async () => {
  const engine = setup();
  // short name, bad character, encver 1024, AAAAAAAAA/0, methods version 0, outside OnLoad
  assert.deepEqual(await call(engine, 'DT.CREATECHECKS'), [1, 1, 1, 1, 1, 1]);
  // another module registering the same name gets NULL (its OnLoad then fails here)
  assert.throws(() => engine.loadModule(testModule('datatype'), ['second']), ModuleError);
  assert.deepEqual(engine.modules().map((m) => m.name), ['datatype']);
});

test('TYPE, OBJECT ENCODING, KeyType, SCAN TYPE (case-insensitive) and WRONGTYPE', async () => {
  const engine = setup();
  assert.equal(await call(engine, 'DT.SET', 'k', '5', 'abc'), 'OK');
  await call(engine, 'SET', 's', 'x');
  assert.equal(await call(engine, 'TYPE', 'k'), 'vmtest-dt');
  assert.equal(await call(engine, 'OBJECT', 'ENCODING', 'k'), 'raw');
  assert.equal(await call(engine, 'DT.TYPEOK', 'k'), 1);
  assert.equal(await call(engine, 'DT.TYPEOK', 's'), 0);
  assert.deepEqual(await call(engine, 'DT.GET', 'k'), [5, 'abc']);
  assert.equal(await call(engine, 'DT.GET', 's'), '-WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.equal(await call(engine, 'GET', 'k'), '-WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.deepEqual(await call(engine, 'SCAN', '0', 'TYPE', 'VMTEST-DT'), ['0', ['k']]);
  assert.deepEqual(await call(engine, 'SCAN', '0', 'TYPE', 'vmtest-dt'), ['0', ['k']]);
  assert.equal(await call(engine, 'SCAN', '0', 'TYPE', 'nosuchtyp'), "-ERR unknown type name 'nosuchtyp'");
});

test('values are freed on DEL, UNLINK, overwrite, RESTORE REPLACE, expiry and flushes; not on RENAME/MOVE/SWAPDB', async () => {
  const engine = setup();
  const s = async () => (await stats(engine)).slice(0, 2); // [frees, unlinks]
  await call(engine, 'DT.SET', 'a', '1', 'x');
  await call(engine, 'DEL', 'a');
  assert.deepEqual(await s(), [1, 1]);
  await call(engine, 'DT.SET', 'a', '1', 'x');
  await call(engine, 'UNLINK', 'a');
  assert.deepEqual(await s(), [2, 2]);
  await call(engine, 'DT.SET', 'a', '1', 'x');
  await call(engine, 'SET', 'a', 'str'); // overwritten by another type
  assert.deepEqual(await s(), [3, 3]);
  await call(engine, 'DEL', 'a');
  await call(engine, 'DT.SET', 'a', '1', 'x');
  await call(engine, 'DT.SET', 'a', '2', 'y'); // ModuleTypeSetValue over the old value
  assert.deepEqual(await s(), [4, 4]);
  // moves keep the value alive (the unlink callback still runs, as Valkey's dbDelete does)
  await call(engine, 'RENAME', 'a', 'b');
  await call(engine, 'MOVE', 'b', '1');
  await call(engine, 'SWAPDB', '0', '1');
  await call(engine, 'RENAMENX', 'b', 'c');
  assert.equal((await s())[0], 4);
  assert.deepEqual(await call(engine, 'DT.GET', 'c'), [2, 'y']);
  // RESTORE REPLACE over it frees the old one (and the DUMP-loaded one lives on)
  const payload = await bytes(engine, 'DUMP', 'c');
  await call(engine, 'RESTORE', 'c', '0', payload, 'REPLACE');
  assert.equal((await s())[0], 5);
  assert.deepEqual(await call(engine, 'DT.GET', 'c'), [2, 'y']);
  // expiry
  await call(engine, 'PEXPIRE', 'c', '1');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await call(engine, 'EXISTS', 'c'), 0);
  // unlinks: 4 so far, RENAME, MOVE, RENAMENX, RESTORE REPLACE, the expiry
  assert.deepEqual(await s(), [6, 9]);
  // flushes free but do not unlink
  await call(engine, 'DT.SET', 'd', '1', 'x');
  await call(engine, 'DT.SET', 'e', '1', 'x');
  await call(engine, 'SELECT', '0');
  await call(engine, 'FLUSHDB');
  assert.deepEqual(await s(), [8, 9]);
  await call(engine, 'DT.SET', 'd', '1', 'x');
  await call(engine, 'FLUSHALL');
  assert.deepEqual(await s(), [9, 9]);
});

test('keyUnlinkListeners see deletes, overwrites and expiry (not flushes), before the free', async () => {
  const engine = setup();
  const seen: [number, string, string, number][] = [];
  engine.keyUnlinkListeners.push((db, key, value, sub) => {
    seen.push([db, key, value instanceof ModuleValue ? (value.freed ? 'freed' : value.name) : String(value), sub]);
  });
  await call(engine, 'DT.SET', 'k', '1', 'x');
  await call(engine, 'DEL', 'k');
  await call(engine, 'SET', 's', 'v1');
  await call(engine, 'SET', 's', 'v2');
  await call(engine, 'PEXPIRE', 's', '1');
  await new Promise((r) => setTimeout(r, 5));
  await call(engine, 'GET', 's');
  await call(engine, 'SET', 'f', 'x');
  await call(engine, 'FLUSHALL');
  assert.deepEqual(seen, [
    [0, 'k', 'vmtest-dt', 0],
    [0, 's', 'v1', 3],
    [0, 's', 'v2', 1],
  ]);
});

test('COPY uses copy2 (with the key option context); NULL gives "module key failed to copy"', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '5', 'abc');
  assert.equal(await call(engine, 'COPY', 'k', 'k2', 'DB', '3'), 1);
  assert.equal((await stats(engine))[2], 1);
  const io = (await call(engine, 'DT.LASTIO')) as unknown[];
  assert.deepEqual(io.slice(6), ['k', 'k2', 0, 3]);
  await call(engine, 'SELECT', '3');
  assert.deepEqual(await call(engine, 'DT.GET', 'k2'), [5, 'abc']);
  // the copy is a value of its own: deleting it frees only it
  await call(engine, 'DEL', 'k2');
  await call(engine, 'SELECT', '0');
  assert.deepEqual(await call(engine, 'DT.GET', 'k'), [5, 'abc']);
  assert.equal((await stats(engine))[0], 1);
  await call(engine, 'DT.SET', 'neg', '-1', 'z');
  assert.equal(await call(engine, 'COPY', 'neg', 'n2'), '-ERR module key failed to copy');
  assert.equal(await call(engine, 'EXISTS', 'n2'), 0);
});

test('MEMORY USAGE uses mem_usage2', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '5', 'abcd');
  // mem_usage2 answers 1000 + len; plus the key's sds (8) and its dict entry (24)
  assert.equal(await call(engine, 'MEMORY', 'USAGE', 'k'), 1000 + 4 + 8 + 24);
});

test('a module with data types cannot be unloaded', async () => {
  const engine = setup();
  assert.throws(
    () => engine.unloadModule('datatype'),
    (e: unknown) =>
      e instanceof ModuleError &&
      e.message === "ERR Error unloading module: the module exports one or more module-side data types, can't unload",
  );
  assert.equal(
    await call(engine, 'MODULE', 'UNLOAD', 'datatype'),
    "-ERR Error unloading module: the module exports one or more module-side data types, can't unload",
  );
});

test('ModuleTypeReplaceValue swaps without freeing; SetValue on a read-only key is refused', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '5', 'abc');
  assert.equal(await call(engine, 'DT.REPLACE', 'k', '9', 'new'), 5);
  assert.deepEqual(await call(engine, 'DT.GET', 'k'), [9, 'new']);
  assert.equal((await stats(engine))[0], 1); // only the module's own free of the old value
  await call(engine, 'SET', 's', 'x');
  assert.equal(await call(engine, 'DT.REPLACE', 's', '1', 'a'), '-ERR replace failed');
  assert.equal(await call(engine, 'DT.REPLACE', 'missing', '1', 'a'), '-ERR replace failed');
  assert.equal(await call(engine, 'DT.RO', 'k'), 1);
  assert.deepEqual(await call(engine, 'DT.GET', 'k'), [9, 'new']);
});

test('SaveDataTypeToString / LoadDataTypeFromStringEncver round trip, encver 0 layout, IO errors', async () => {
  const engine = setup();
  const long = 'x'.repeat(100);
  await call(engine, 'DT.SET', 'k', '123', long);
  const saved = await bytes(engine, 'DT.DUMP', 'k');
  // SaveSigned(123): the UINT opcode, then 123 as a 14-bit length (0x40 0x7b)
  assert.deepEqual([...saved.subarray(0, 3)], [2, 0x40, 123]);
  assert.equal(await call(engine, 'DT.RESTORE', 'k2', saved, '1'), 'OK');
  assert.deepEqual(await call(engine, 'DT.GET', 'k2'), [123, long]);
  assert.equal(await call(engine, 'DT.LONGDOUBLE', 'k2'), '123.25');
  // key name unknown to SaveDataTypeToString / LoadDataTypeFromString
  assert.deepEqual(((await call(engine, 'DT.LASTIO')) as unknown[]).slice(0, 2), [null, -1]);
  // the encver 0 layout
  assert.equal(await call(engine, 'DT.RESTORE', 'old', encver0Body(-7, 'legacy'), '0'), 'OK');
  assert.deepEqual(await call(engine, 'DT.GET', 'old'), [-7, 'legacy']);
  // truncated: the module sees IsIOError (HANDLE_IO_ERRORS) and refuses
  for (const cut of [1, 5, saved.length - 1]) {
    assert.equal(await call(engine, 'DT.RESTORE', 'bad', saved.subarray(0, cut), '1'), '-ERR Invalid payload');
  }
  // a wrong opcode is an IO error too (a STRING where a UINT is expected)
  assert.equal(await call(engine, 'DT.RESTORE', 'bad', Buffer.from([5, 1, 0x41]), '1'), '-ERR Invalid payload');
  assert.equal(await call(engine, 'EXISTS', 'bad'), 0);
});

test('without HANDLE_IO_ERRORS a short read is logged as Valkey does and fails cleanly (no exit)', async () => {
  const engine = setup(['noio']);
  await call(engine, 'DT.SET', 'k', '1', 'abc');
  const saved = await bytes(engine, 'DT.DUMP', 'k');
  assert.equal(await call(engine, 'DT.RESTORE', 'bad', saved.subarray(0, 4), '1'), '-ERR Invalid payload');
  const lines = engine.logger.lines().join('\n');
  assert.match(lines, /Error loading data from RDB \(short read or EOF\)\. Read performed by module 'datatype' about type 'vmtest-dt' after reading '\d+' bytes of a value for key named: '\(null\)'\./);
});

test('DUMP/RESTORE of module values: type 7, the id, opcodes, EOF; encver 0 payloads; corrupt ones refused', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '5', 'abc');
  const payload = await bytes(engine, 'DUMP', 'k');
  assert.equal(payload[0], 7);
  const r = new RdbReader(payload, 1);
  assert.equal(r.lenBig(), typeId(1));
  assert.deepEqual(((await call(engine, 'DT.LASTIO')) as unknown[]).slice(0, 2), ['k', 0]);
  await call(engine, 'SELECT', '2');
  assert.equal(await call(engine, 'RESTORE', 'r', '0', payload), 'OK');
  assert.deepEqual(((await call(engine, 'DT.LASTIO')) as unknown[]).slice(0, 2), ['r', 2]);
  assert.deepEqual(await call(engine, 'DT.GET', 'r'), [5, 'abc']);
  assert.equal(await call(engine, 'DT.LONGDOUBLE', 'r'), '5.25');
  // an encver 0 value: rdb_load gets encver 0 and reads the old layout
  const w = new RdbWriter(64, false);
  w.byte(7);
  w.len(typeId(0));
  w.raw(encver0Body(42, 'old'));
  w.len(0);
  assert.equal(await call(engine, 'RESTORE', 'o', '0', dumpPayload(w.finish())), 'OK');
  assert.deepEqual(await call(engine, 'DT.GET', 'o'), [42, 'old']);
  // no EOF marker / unknown type / truncated module data: Bad data format, nothing created
  const body = payload.subarray(0, payload.length - 10);
  const noEof = Buffer.concat([body.subarray(0, body.length - 1), Buffer.from([2, 1])]);
  assert.equal(await call(engine, 'RESTORE', 'x', '0', dumpPayload(noEof)), '-ERR Bad data format');
  const other = new RdbWriter(16, false);
  other.byte(7);
  other.len(typeId(1) ^ (1n << 40n));
  other.raw(body.subarray(1 + 9));
  assert.equal(await call(engine, 'RESTORE', 'x', '0', dumpPayload(other.finish())), '-ERR Bad data format');
  assert.equal(await call(engine, 'RESTORE', 'x', '0', dumpPayload(body.subarray(0, 14))), '-ERR Bad data format');
  // the pre-GA module type (6) is refused as Valkey does
  const preGa = Buffer.from(body);
  preGa[0] = 6;
  assert.equal(await call(engine, 'RESTORE', 'x', '0', dumpPayload(preGa)), '-ERR Bad data format');
  assert.equal(await call(engine, 'EXISTS', 'x'), 0);
  // an engine without the module refuses the payload
  const plain = new Engine({ activeExpire: false });
  assert.equal(norm(await plain.call('RESTORE', 'k', '0', payload)), '-ERR Bad data format');
});

test('codec: save then load gives an equal value, with the reader left after EOF', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '77', 'y'.repeat(50));
  const v = moduleValue(engine, 'k');
  const w = new RdbWriter(64, true);
  engine.moduleTypes.save(w, v, { key: 'k', dbid: 0 });
  const buf = w.finish();
  // the 50-byte string is LZF-compressed as Valkey would (rdbcompression yes)
  assert.ok(buf.includes(Buffer.from([0xc3])));
  const r = new RdbReader(buf);
  const id = r.lenBig();
  assert.equal(id, typeId(1));
  const loaded = engine.moduleTypes.load(r, 7, id, { key: 'k9', dbid: 0 });
  assert.equal(r.pos, buf.length);
  engine.dbs[0]!.add('k9', loaded);
  assert.deepEqual(await call(engine, 'DT.GET', 'k9'), [77, 'y'.repeat(50)]);
  assert.throws(() => engine.moduleTypes.load(new RdbReader(buf, 0, 4), 7, id, { key: null, dbid: -1 }), /not able to load/);
});

/** debug.c's mixDigest/xorDigest over node:crypto's SHA1. */
function expectedDigest(num: number, str: string): Buffer {
  const sha1 = (b: Buffer) => crypto.createHash('sha1').update(b).digest();
  let o = Buffer.alloc(20);
  const mix = (data: Buffer) => {
    const h = sha1(data);
    for (let i = 0; i < 20; i++) o[i]! ^= h[i]!;
    o = sha1(o);
  };
  mix(Buffer.from(String(num)));
  mix(Buffer.from(str, 'latin1'));
  const x = Buffer.alloc(20);
  const h = sha1(o);
  for (let i = 0; i < 20; i++) x[i] = h[i]!;
  return x;
}

test('digest: Valkey mixing, deterministic, different data differs; key and db reach the callback', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'a', '5', 'abc');
  await call(engine, 'DT.SET', 'b', '5', 'abc');
  await call(engine, 'DT.SET', 'c', '6', 'abc');
  const da = engine.moduleTypes.digest(moduleValue(engine, 'a'), { key: 'a', dbid: 0 });
  const db = engine.moduleTypes.digest(moduleValue(engine, 'b'), { key: 'b', dbid: 4 });
  const dc = engine.moduleTypes.digest(moduleValue(engine, 'c'), { key: 'c', dbid: 0 });
  assert.equal(da.length, 20);
  assert.deepEqual(da, expectedDigest(5, 'abc'));
  assert.deepEqual(da, db);
  assert.notDeepEqual(da, dc);
  assert.deepEqual(((await call(engine, 'DT.LASTIO')) as unknown[]).slice(2, 4), ['c', 0]);
  engine.moduleTypes.digest(moduleValue(engine, 'b'), { key: 'b', dbid: 4 });
  assert.deepEqual(((await call(engine, 'DT.LASTIO')) as unknown[]).slice(2, 4), ['b', 4]);
});

test('aofRewrite returns what aof_rewrite emitted through EmitAOF', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '-12', 'a b');
  assert.deepEqual(engine.moduleTypes.aofRewrite(moduleValue(engine, 'k'), { key: 'k', dbid: 0 }), [['DT.SET', 'k', '-12', 'a b']]);
  // an unknown command fails the value's rewrite, as Valkey logs it
  await call(engine, 'DT.SET', 'u', '4343', 'x');
  assert.throws(() => engine.moduleTypes.aofRewrite(moduleValue(engine, 'u'), { key: 'u', dbid: 0 }), /Error rewriting AOF/);
  assert.match(engine.logger.lines().join('\n'), /Fatal: AOF method for module data type 'vmtest-dt' tried to emit unknown command 'NO.SUCH.CMD'/);
  // EmitAOF outside aof_rewrite (here in rdb_save) is ignored with a warning
  await call(engine, 'DT.SET', 'e', '4242', 'x');
  await bytes(engine, 'DUMP', 'e');
  assert.match(engine.logger.lines().join('\n'), /EmitAOF called for module data type 'vmtest-dt' outside of an AOF rewrite: ignored/);
});

test('aux records: aux_save2 writing nothing writes no record; BEFORE/AFTER records load into aux_load', async () => {
  const engine = setup();
  const save = (when: 1 | 2) => {
    const w = new RdbWriter(64, true);
    engine.moduleTypes.auxSave(w, when);
    return w.finish();
  };
  assert.equal(save(1).length, 0);
  await call(engine, 'DT.SETAUX', '7');
  const before = save(1);
  const w = new RdbWriter(32, false);
  w.byte(247);
  w.len(typeId(1));
  w.len(2);
  w.len(1);
  w.len(2);
  w.len(71);
  w.len(0);
  assert.deepEqual(before, w.finish());
  const after = save(2);
  const r1 = new RdbReader(before, 1);
  engine.moduleTypes.auxLoad(r1);
  assert.equal(r1.pos, before.length);
  const r2 = new RdbReader(after, 1);
  engine.moduleTypes.auxLoad(r2);
  const s = await stats(engine);
  assert.deepEqual(s.slice(3), [71, 72, 2]);
  // a bad "when" opcode and a missing EOF are refused
  const bad = Buffer.from(before);
  bad[bad.length - 1] = 3;
  assert.throws(() => engine.moduleTypes.auxLoad(new RdbReader(bad, 1)), /not terminated by the proper module value EOF marker/);
  // an engine without the type refuses the record
  const plain = new Engine({ activeExpire: false });
  assert.throws(() => plain.moduleTypes.auxLoad(new RdbReader(before, 1)), /^RdbError: The RDB file contains AUX module data I can't load: no matching module 'vmtest-dt'$/);
});

test('whole-dataset RDB: module values and aux data survive serializeRdb + loadRdbBuffer', async () => {
  const engine = setup();
  await call(engine, 'DT.SET', 'k', '5', 'abc');
  await call(engine, 'SET', 's', 'plain');
  await call(engine, 'DT.SETAUX', '3');
  const rdb = serializeRdb(engine);
  await call(engine, 'DT.RESET');
  loadRdbBuffer(engine, rdb, { flush: true });
  await call(engine, 'PING'); // settles the frees of the flushed values
  assert.deepEqual(await call(engine, 'DT.GET', 'k'), [5, 'abc']);
  assert.equal(await call(engine, 'GET', 's'), 'plain');
  const s = await stats(engine);
  assert.equal(s[0], 1); // the flushed old value
  assert.deepEqual(s.slice(3), [31, 32, 2]);
});

test('lazyfree: a value whose free_effort2 exceeds 64 is freed in a later turn of the event loop', async () => {
  const engine = setup();
  await call(engine, 'DT.RESET');
  await call(engine, 'DT.SET', 'big', '1', 'z'.repeat(100)); // free_effort2 answers the length
  await call(engine, 'DT.SET', 'small', '1', 'z'.repeat(10));
  await call(engine, 'DEL', 'big', 'small');
  assert.equal((await stats(engine))[0], 1); // the small one, right after DEL
  await new Promise((r) => setImmediate(r));
  assert.equal((await stats(engine))[0], 2);
});

test('the types of a module whose OnLoad failed are forgotten (the name is free again)', async () => {
  const engine = new Engine({ activeExpire: false });
  assert.throws(() => engine.loadModule(testModule('datatype'), ['fail']), ModuleError);
  engine.loadModule(testModule('datatype'));
  assert.equal(await call(engine, 'DT.SET', 'k', '1', 'x'), 'OK');
  assert.equal(await call(engine, 'TYPE', 'k'), 'vmtest-dt');
  assert.deepEqual(await call(engine, 'SCAN', '0', 'TYPE', 'vmtest-dt'), ['0', ['k']]);
});

/** A bulk reply's payload from raw RESP bytes. */
function bulkOf(raw: Buffer): Buffer {
  const nl = raw.indexOf('\r\n');
  assert.equal(raw[0], 0x24, `expected a bulk reply, got ${raw.toString('latin1')}`);
  const n = Number(raw.subarray(1, nl).toString());
  return raw.subarray(nl + 2, nl + 2 + n);
}

/** A DUMP payload with another RDB version (footer and CRC rewritten). */
function withVersion(p: Buffer, version: number): Buffer {
  const b = Buffer.concat([p.subarray(0, p.length - 10), Buffer.from([version & 0xff, version >> 8])]);
  const crc = Buffer.alloc(8);
  new Crc64().update(b).writeLE(crc, 0);
  return Buffer.concat([b, crc]);
}

test('interop: module value payloads are byte for byte those of redis-server running the same module', { skip: !haveRedisServer() }, async () => {
  const oracle = await RedisOracle.start([testModule('datatype', 'redis')]);
  try {
    const c = await oracle.client();
    const engine = setup();
    const cases: [string, string][] = [['5', 'abc'], ['123', 'x'.repeat(100)], ['-70000', '4294967296'], ['1', 'q'.repeat(30) + 'r'.repeat(30)]];
    for (const [num, str] of cases) {
      assert.equal((await c.send('DT.SET', 'k', num, str)).toString(), '+OK\r\n');
      await call(engine, 'DT.SET', 'k', num, str);
      const theirs = bulkOf(await c.send('DUMP', 'k'));
      const ours = await bytes(engine, 'DUMP', 'k');
      // the object (type 7, id, opcodes, EOF) is identical; only the RDB version differs (10 vs 11)
      assert.deepEqual(ours.subarray(0, ours.length - 10), theirs.subarray(0, theirs.length - 10));
      // SaveDataTypeToString too
      assert.deepEqual(await bytes(engine, 'DT.DUMP', 'k'), bulkOf(await c.send('DT.DUMP', 'k')));
      // each side restores the other's payload
      assert.equal(await call(engine, 'RESTORE', 'from-redis', '0', theirs, 'REPLACE'), 'OK');
      assert.deepEqual(await call(engine, 'DT.GET', 'from-redis'), [Number(num), str]);
      assert.equal((await c.send('RESTORE', 'from-us', '0', withVersion(ours, 10), 'REPLACE')).toString(), '+OK\r\n');
      const got = (await c.send('DT.GET', 'from-us')).toString('latin1');
      assert.ok(got.includes(`:${num}\r\n`) && got.endsWith(`${str}\r\n`), got);
    }
    c.close();
  } finally {
    oracle.stop();
  }
});

test('interop: an RDB file saved by redis-server with module values and aux records loads here', { skip: !haveRedisServer() }, async () => {
  // a server of our own, whose --dir is a scratch directory (it loads and saves dump.rdb there)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-dt-'));
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--loadmodule', testModule('datatype', 'redis')], { stdio: 'ignore' });
  try {
    let c: RawClient | undefined;
    for (let i = 0; i < 100 && c === undefined; i++) {
      c = await RawClient.connect(port).catch(() => undefined);
      if (c === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(c, 'redis-server did not start');
    await c.send('DT.SET', 'k', '9', 'w'.repeat(40));
    await c.send('DT.SET', 'j', '-3', 'short');
    assert.equal((await c.send('SAVE')).toString(), '+OK\r\n');
    c.close();
    const rdb = fs.readFileSync(path.join(dir, 'dump.rdb'));
    const engine = setup();
    loadRdbBuffer(engine, rdb, { flush: true });
    assert.deepEqual(await call(engine, 'DT.GET', 'k'), [9, 'w'.repeat(40)]);
    assert.deepEqual(await call(engine, 'DT.GET', 'j'), [-3, 'short']);
    // Redis 7.0 only knows aux_save (type methods up to version 4): it saved -when before
    // and after the keyspace, and both records reached aux_load
    assert.deepEqual((await stats(engine)).slice(3), [-1, -2, 2]);
  } finally {
    proc.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
