/**
 * The AOF base in command form (aof-use-rdb-preamble no): the shortest command sequence that
 * rebuilds the dataset, in Valkey's rewriteAppendOnlyFileRio layout.
 *
 *   - per non-empty database `SELECT <db>`, then per key:
 *       string  SET key value
 *       list    RPUSH key item...            (at most 64 items a command)
 *       set     SADD key member...           (at most 64)
 *       zset    ZADD key score member...     (at most 64 pairs; scores as %.17g)
 *       hash    HMSET key field value...     (at most 64 pairs)
 *       stream  XADD per entry (or `XADD key MAXLEN 0 0-1 x y` for an empty stream), XSETID
 *               with ENTRIESADDED and MAXDELETEDID, XGROUP CREATE ... ENTRIESREAD per group,
 *               XCLAIM ... JUSTID FORCE per pending entry, XGROUP CREATECONSUMER for
 *               consumers without pending entries
 *       module  the commands the type's aof_rewrite emitted (EmitAOF)
 *     followed by `PEXPIREAT key ms` for a volatile key.
 *   - with aof-timestamp-enabled, a `#TS:<unix time>` annotation first.
 */
import type { Engine } from '../engine/engine.js';
import { HashValue, ListValue, ModuleValue, SetValue, StreamValue, ZSetValue, type Value } from '../engine/types/index.js';
import { formatId, MIN_ID } from '../engine/types/stream.js';

/** Valkey's AOF_REWRITE_ITEMS_PER_CMD. */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

/** Raised when a value cannot be rewritten (a module type without aof_rewrite). */
export class AofRewriteError extends Error {}

/** Appends RESP multibulk text for a command to an accumulating latin1 string builder. */
export class RespBuilder {
  private parts: string[] = [];
  private size = 0;
  private chunks: Buffer[] = [];

  /** Adds one command. */
  command(argv: readonly string[]): void {
    let s = `*${argv.length}\r\n`;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      s += `$${a.length}\r\n${a}\r\n`;
    }
    this.raw(s);
  }

  /** Adds raw text (one byte per character). */
  raw(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.spill();
  }

  private spill(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Buffer.from(this.parts.join(''), 'latin1'));
    this.parts = [];
    this.size = 0;
  }

  /** Everything added so far, as bytes. */
  toBuffer(): Buffer {
    this.spill();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}

/** One command as RESP multibulk text (each character one byte). */
export function respCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    s += `$${a.length}\r\n${a}\r\n`;
  }
  return s;
}

/**
 * A double as C's printf("%.17g") writes it (rioWriteBulkDouble): 17 significant digits,
 * trailing zeros dropped, exponent form below 1e-4 or from 1e17; inf and -inf spelled so.
 */
export function formatG17(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d !== d) return 'nan';
  if (d === 0) return 1 / d < 0 ? '-0' : '0';
  const exp = d.toExponential(16); // d.dddddddddddddddde±x: 17 significant digits
  const e = exp.indexOf('e');
  const x = Number(exp.slice(e + 1));
  if (x < -4 || x >= 17) {
    let mant = exp.slice(0, e);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = x < 0 ? '-' : '+';
    const ax = Math.abs(x);
    return `${mant}e${sign}${ax < 10 ? '0' : ''}${ax}`;
  }
  let fixed = d.toFixed(Math.max(0, 16 - x));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/** Emits `prefix... items` commands, at most AOF_REWRITE_ITEMS_PER_CMD items (of `width`
 *  arguments each) a command. */
function batched(out: RespBuilder, prefix: string[], items: string[], width: number): void {
  const per = AOF_REWRITE_ITEMS_PER_CMD * width;
  for (let i = 0; i < items.length; i += per) {
    out.command(prefix.concat(items.slice(i, i + per)));
  }
}

/** The commands that rebuild one key (without its expiry). */
export function rewriteValue(engine: Engine, out: RespBuilder, db: number, key: string, v: Value): void {
  if (typeof v === 'string') {
    out.command(['SET', key, v]);
  } else if (v instanceof ListValue) {
    batched(out, ['RPUSH', key], v.toArray(), 1);
  } else if (v instanceof SetValue) {
    batched(out, ['SADD', key], [...v.members()], 1);
  } else if (v instanceof ZSetValue) {
    const items: string[] = [];
    for (const [member, score] of v.entries()) items.push(formatG17(score), member);
    batched(out, ['ZADD', key], items, 2);
  } else if (v instanceof HashValue) {
    const items: string[] = [];
    for (const [f, val] of v.map) items.push(f, val);
    batched(out, ['HMSET', key], items, 2);
  } else if (v instanceof StreamValue) {
    rewriteStream(out, key, v);
  } else if (v instanceof ModuleValue) {
    let cmds: string[][];
    try {
      cmds = engine.moduleTypes.aofRewrite(v, { key, dbid: db });
    } catch (e) {
      throw new AofRewriteError((e as Error).message);
    }
    for (const c of cmds) out.command(c);
  }
}

/** rewriteStreamObject. */
function rewriteStream(out: RespBuilder, key: string, s: StreamValue): void {
  if (s.length > 0) {
    for (const node of s.nodes) {
      for (let i = 0; i < node.ids.length; i++) {
        if (node.isDeleted(i)) continue;
        out.command(['XADD', key, formatId(node.ids[i]!), ...node.fieldValues(i)]);
      }
    }
  } else {
    out.command(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  out.command([
    'XSETID',
    key,
    formatId(s.lastId),
    'ENTRIESADDED',
    String(s.entriesAdded),
    'MAXDELETEDID',
    formatId(s.maxDeletedId ?? MIN_ID),
  ]);
  for (const g of s.orderedGroups()) {
    out.command(['XGROUP', 'CREATE', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const c of g.orderedConsumers()) {
      if (c.pel.size === 0) {
        out.command(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
        continue;
      }
      for (const [id, nack] of c.pel.entries()) {
        out.command([
          'XCLAIM',
          key,
          g.name,
          c.name,
          '0',
          formatId(id),
          'TIME',
          String(nack.deliveryTime),
          'RETRYCOUNT',
          String(nack.deliveryCount),
          'JUSTID',
          'FORCE',
        ]);
      }
    }
  }
}

/**
 * The whole dataset as commands (rewriteAppendOnlyFileRio), as bytes. Throws
 * AofRewriteError when a module value cannot be rewritten.
 */
export function rewriteCommands(engine: Engine, opts: { timestamp?: boolean } = {}): Buffer {
  const out = new RespBuilder();
  if (opts.timestamp) out.raw(`#TS:${Math.floor(Date.now() / 1000)}\r\n`);
  for (const db of engine.dbs) {
    if (db.dict.size === 0) continue;
    out.command(['SELECT', String(db.id)]);
    for (const [key, e] of db.dict) {
      rewriteValue(engine, out, db.id, key, e.value);
      if (e.expire !== 0) out.command(['PEXPIREAT', key, String(e.expire)]);
    }
  }
  return out.toBuffer();
}
