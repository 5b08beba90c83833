/**
 * Stream commands: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XREAD XREADGROUP XGROUP XACK
 * XPENDING XCLAIM XAUTOCLAIM XINFO XSETID, with Valkey's argument order, errors, reply
 * shapes, keyspace events and dirty counting.
 *
 * XREAD/XREADGROUP BLOCK wait through src/engine/blocking.ts: XADD signals the stream
 * ready; XREADGROUP also wakes when the stream or its group goes away (and then replies the
 * error the command gives). Inside MULTI a BLOCK that cannot be served replies the null
 * array, as a timeout.
 */
import type { CommandDef, CommandContext } from './table.js';
import { cmd, group, Errors, parseInteger } from './define.js';
import { WRONGTYPE, type Value } from '../engine/types/index.js';
import { blockCore, readTimeout } from '../engine/blocking.js';
import {
  StreamValue,
  StreamNode,
  ConsumerGroup,
  Consumer,
  PendingEntry,
  MIN_ID,
  MAX_ID,
  ENTRIES_READ_INVALID,
  formatId,
  incrId,
  decrId,
  parseStreamId,
  parsedSeqGiven,
  counterCmp,
  type Counter,
} from '../engine/types/stream.js';
import { NOTIFY_STREAM } from '../engine/notify.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { Db } from '../engine/db.js';

const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const NO_SUCH_KEY = 'ERR no such key';
const STREAM_MAX_ELEMENTS_BYTES = 1 << 30;

/** An option name as C's strcasecmp sees it: up to a NUL byte, lower-cased ASCII. */
function opt(s: string): string {
  const z = s.indexOf('\0');
  return (z < 0 ? s : s.slice(0, z)).toLowerCase();
}

/** A C string (up to the first NUL byte), as %s formatting prints it. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** Valkey's addReplySubcommandSyntaxError. */
function subcommandSyntaxError(ctx: CommandContext): void {
  const sub = cstr(ctx.args[1]!);
  ctx.w.error(
    `ERR unknown subcommand or wrong number of arguments for '${sub.length > 128 ? sub.slice(0, 128) : sub}'. Try ${ctx.args[0]!.toUpperCase()} HELP.`,
  );
}

/** Valkey's addReplyHelp. */
function replyHelp(ctx: CommandContext, lines: string[]): void {
  const w = ctx.w;
  w.array(lines.length + 3);
  w.simple(`${ctx.args[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) w.simple(l);
  w.simple('HELP');
  w.simple('    Print this help.');
}

/** Looks a key up for reading; undefined when missing, null after replying WRONGTYPE. */
function readStream(ctx: CommandContext, db: Db, key: string): StreamValue | undefined | null {
  const v = db.get(key);
  if (v === undefined) return undefined;
  if (!(v instanceof StreamValue)) {
    ctx.w.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** Looks a key up for writing; undefined when missing, null after replying WRONGTYPE. */
function writeStream(ctx: CommandContext, db: Db, key: string): StreamValue | undefined | null {
  const v = db.getForWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof StreamValue)) {
    ctx.w.error(WRONGTYPE);
    return null;
  }
  return v;
}

/** Writes one entry: [id, [field, value, ...]]. */
function writeEntry(w: ReplyWriter, n: StreamNode, i: number): void {
  w.array(2);
  w.bulk(formatId(n.ids[i]!));
  const nf = n.numFields(i);
  w.array(nf * 2);
  for (let j = 0; j < nf; j++) {
    w.bulk(n.field(i, j));
    w.bulk(n.value(i, j));
  }
}

function writeEntries(w: ReplyWriter, nodes: StreamNode[], idx: number[]): void {
  w.array(nodes.length);
  for (let k = 0; k < nodes.length; k++) writeEntry(w, nodes[k]!, idx[k]!);
}

function writeCounter(w: ReplyWriter, c: Counter | null): void {
  if (c === null) w.null();
  else w.integer(c);
}

/** Parses an interval bound: `(id` is exclusive (strict ID after the paren). Returns the
 *  inclusive bound, or undefined after replying an error. */
function parseBound(ctx: CommandContext, arg: string, isStart: boolean): string | undefined {
  const exclusive = arg.length > 1 && arg.charCodeAt(0) === 40; /* ( */
  const id = exclusive ? parseStreamId(arg.slice(1), !isStart, true) : parseStreamId(arg, !isStart, false);
  if (id === undefined) {
    ctx.w.error(INVALID_ID);
    return undefined;
  }
  if (!exclusive) return id;
  const moved = isStart ? incrId(id) : decrId(id);
  if (moved === undefined) {
    ctx.w.error(isStart ? 'ERR invalid start ID for the interval' : 'ERR invalid end ID for the interval');
    return undefined;
  }
  return moved;
}

function noGroup(key: string, grp: string): string {
  return `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(grp)}'`;
}

function noGroupForKey(grp: string, key: string): string {
  return `NOGROUP No such consumer group '${cstr(grp)}' for key name '${cstr(key)}'`;
}

/** Finds or creates a consumer (creation: xgroup-createconsumer event and a dirty change). */
function lookupOrCreateConsumer(ctx: CommandContext, db: Db, g: ConsumerGroup, name: string, key: string, now: number): Consumer {
  let c = g.consumers.get(name);
  if (c === undefined) {
    c = g.createConsumer(name, now)!;
    ctx.engine.dirty++;
    ctx.engine.notify(NOTIFY_STREAM, 'xgroup-createconsumer', key, db.id);
  }
  return c;
}

// ---------------------------------------------------------------------------------------
// XADD / XTRIM
// ---------------------------------------------------------------------------------------

interface AddTrimArgs {
  idGiven: boolean;
  seqGiven: boolean;
  id: string;
  noMkStream: boolean;
  /** 0 none, 1 MAXLEN, 2 MINID */
  strategy: 0 | 1 | 2;
  approx: boolean;
  limit: number;
  maxlen: number;
  minid: string;
  /** Position of the ID argument (XADD). */
  idPos: number;
}

/** streamParseAddOrTrimArgsOrReply: undefined after replying an error. */
function parseAddTrim(ctx: CommandContext, xadd: boolean): AddTrimArgs | undefined {
  const { args, w } = ctx;
  const argc = args.length;
  const a: AddTrimArgs = {
    idGiven: false,
    seqGiven: true,
    id: MIN_ID,
    noMkStream: false,
    strategy: 0,
    approx: false,
    limit: 0,
    maxlen: 0,
    minid: MIN_ID,
    idPos: 0,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argc; i++) {
    const moreargs = argc - 1 - i;
    const o = opt(args[i]!);
    if (xadd && o === '*') break;
    if ((o === 'maxlen' || o === 'minid') && moreargs) {
      if (a.strategy !== 0) {
        w.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
        return undefined;
      }
      a.approx = false;
      const next = cstr(args[i + 1]!);
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') i++;
      if (o === 'maxlen') {
        const n = parseInteger(args[i + 1]!);
        if (n === undefined) {
          w.error(Errors.notInteger);
          return undefined;
        }
        if (n < 0) {
          w.error('ERR The MAXLEN argument must be >= 0.');
          return undefined;
        }
        a.maxlen = n;
        a.strategy = 1;
      } else {
        const id = parseStreamId(args[i + 1]!, false, true);
        if (id === undefined) {
          w.error(INVALID_ID);
          return undefined;
        }
        a.minid = id;
        a.strategy = 2;
      }
      i++;
    } else if (o === 'limit' && moreargs) {
      const n = parseInteger(args[i + 1]!);
      if (n === undefined) {
        w.error(Errors.notInteger);
        return undefined;
      }
      if (n < 0) {
        w.error('ERR The LIMIT argument must be >= 0.');
        return undefined;
      }
      a.limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && o === 'nomkstream') {
      a.noMkStream = true;
    } else if (xadd) {
      const id = parseStreamId(args[i]!, false, true, true);
      if (id === undefined) {
        w.error(INVALID_ID);
        return undefined;
      }
      a.id = id;
      a.seqGiven = parsedSeqGiven;
      a.idGiven = true;
      break;
    } else {
      w.error(Errors.syntax);
      return undefined;
    }
  }
  a.idPos = i;
  if (a.limit && a.strategy === 0) {
    w.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return undefined;
  }
  if (!xadd && a.strategy === 0) {
    w.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return undefined;
  }
  if (limitGiven) {
    if (!a.approx) {
      w.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return undefined;
    }
  } else a.limit = a.approx ? 100 * 100 : 0;
  return a;
}

function applyTrim(s: StreamValue, a: AddTrimArgs): number {
  if (a.strategy === 0) return 0;
  return s.trim(a.strategy === 1, a.maxlen, a.minid, a.approx, a.limit);
}

/** The ID an XADD would use (undefined: not greater than the top item), as streamAppendItem. */
function nextAddId(s: StreamValue, a: AddTrimArgs, now: () => number): string | undefined {
  let id: string | undefined;
  const last = s.lastId;
  if (a.idGiven) {
    if (a.seqGiven) id = a.id;
    else {
      if (a.id.slice(0, 8) === last.slice(0, 8)) {
        if (last.slice(8) === MAX_ID.slice(8)) return undefined;
        id = incrId(last)!;
      } else id = a.id;
    }
  } else id = s.nextAutoId(now()) ?? MIN_ID;
  return id > last ? id : undefined;
}

function xadd(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const a = parseAddTrim(ctx, true);
  if (a === undefined) return;
  const fieldPos = a.idPos + 1;
  const nargs = args.length - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) return w.error(Errors.wrongArity('xadd'));
  if (a.idGiven && a.seqGiven && a.id === MIN_ID) return w.error('ERR The ID specified in XADD must be greater than 0-0');
  const db = engine.db(ctx.client);
  const key = args[1]!;
  let s = writeStream(ctx, db, key);
  if (s === null) return;
  if (s === undefined) {
    if (a.noMkStream) return w.null();
    s = new StreamValue();
    db.add(key, s); // Valkey adds the key before appending (a failed append leaves it)
  }
  if (s.lastId === MAX_ID) return w.error('ERR The stream has exhausted the last possible ID, unable to add more items');
  const id = nextAddId(s, a, () => engine.now());
  if (id === undefined) return w.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  const fv = args.slice(fieldPos);
  let tot = 0;
  for (const x of fv) tot += x.length;
  if (tot > STREAM_MAX_ELEMENTS_BYTES) return w.error('ERR Elements are too large to be stored');
  s.append(id, fv);
  w.bulk(formatId(id));
  engine.notify(NOTIFY_STREAM, 'xadd', key, db.id);
  engine.dirty++;
  if (a.strategy !== 0 && applyTrim(s, a)) engine.notify(NOTIFY_STREAM, 'xtrim', key, db.id);
  engine.keyModified(db.id, key);
  // Clients blocked in XREAD/XREADGROUP on this stream may be served now.
  engine.blocking.signalKeyAsReady(db.id, key);
}

function xtrim(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const a = parseAddTrim(ctx, false);
  if (a === undefined) return;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const s = writeStream(ctx, db, key);
  if (s === null) return;
  if (s === undefined) return w.integer(0);
  const deleted = applyTrim(s, a);
  if (deleted) {
    engine.notify(NOTIFY_STREAM, 'xtrim', key, db.id);
    engine.keyModified(db.id, key);
    engine.dirty += deleted;
  }
  w.integer(deleted);
}

// ---------------------------------------------------------------------------------------
// XRANGE / XREVRANGE / XLEN / XDEL
// ---------------------------------------------------------------------------------------

function xrangeGeneric(ctx: CommandContext, rev: boolean): void {
  const { engine, args, w } = ctx;
  const start = parseBound(ctx, rev ? args[3]! : args[2]!, true);
  if (start === undefined) return;
  const end = parseBound(ctx, rev ? args[2]! : args[3]!, false);
  if (end === undefined) return;
  let count = -1;
  for (let j = 4; j < args.length; j++) {
    if (opt(args[j]!) === 'count' && args.length - j - 1 >= 1) {
      const n = parseInteger(args[j + 1]!);
      if (n === undefined) return w.error(Errors.notInteger);
      count = n < 0 ? 0 : n;
      j++;
    } else return w.error(Errors.syntax);
  }
  const db = engine.db(ctx.client);
  const s = readStream(ctx, db, args[1]!);
  if (s === null) return;
  if (s === undefined) return w.array(0);
  if (count === 0) return w.nullArray();
  const nodes: StreamNode[] = [];
  const idx: number[] = [];
  s.range(start, end, rev, count === -1 ? 0 : count, nodes, idx);
  writeEntries(w, nodes, idx);
}

function xlen(ctx: CommandContext): void {
  const db = ctx.engine.db(ctx.client);
  const s = readStream(ctx, db, ctx.args[1]!);
  if (s === null) return;
  ctx.w.integer(s === undefined ? 0 : s.length);
}

function xdel(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const s = writeStream(ctx, db, key);
  if (s === null) return;
  if (s === undefined) return w.integer(0);
  const ids: string[] = [];
  for (let j = 2; j < args.length; j++) {
    const id = parseStreamId(args[j]!, false, true);
    if (id === undefined) return w.error(INVALID_ID);
    ids.push(id);
  }
  let deleted = 0;
  let firstDeleted = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (id === s.firstId) firstDeleted = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = MIN_ID;
    else if (firstDeleted) s.firstId = s.edgeId(true)!;
    engine.keyModified(db.id, key);
    engine.notify(NOTIFY_STREAM, 'xdel', key, db.id);
    engine.dirty += deleted;
  }
  w.integer(deleted);
}

// ---------------------------------------------------------------------------------------
// XREAD / XREADGROUP
// ---------------------------------------------------------------------------------------

/** What one stream contributes to an XREAD reply. */
interface Served {
  key: string;
  /** Per entry: the node (null: a pending entry whose data is gone) and index. */
  nodes: (StreamNode | null)[];
  idx: number[];
  /** IDs, for history replies (needed for gone entries). */
  ids: string[] | null;
}

function xreadGeneric(ctx: CommandContext, isGroup: boolean): void | Promise<void> {
  const { engine, args, w } = ctx;
  const argc = args.length;
  const fullname = isGroup ? 'xreadgroup' : 'xread';
  let blockGiven = false;
  let deadline = 0;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | undefined;
  let consumerName = '';
  for (let i = 1; i < argc; i++) {
    const moreargs = argc - i - 1;
    const o = opt(args[i]!);
    if (o === 'block' && moreargs) {
      i++;
      const d = readTimeout(ctx, args[i]!, false);
      if (d === undefined) return;
      deadline = d;
      blockGiven = true;
    } else if (o === 'count' && moreargs) {
      i++;
      const n = parseInteger(args[i]!);
      if (n === undefined) return w.error(Errors.notInteger);
      count = n < 0 ? 0 : n;
    } else if (o === 'streams' && moreargs) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) {
        return w.error(
          `ERR Unbalanced '${fullname}' list of streams: for each stream key an ID or '${isGroup ? '>' : '$'}' must be specified.`,
        );
      }
      streamsCount /= 2;
      break;
    } else if (o === 'group' && moreargs >= 2) {
      if (!isGroup) return w.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupName = args[i + 1]!;
      consumerName = args[i + 2]!;
      i += 2;
    } else if (o === 'noack') {
      if (!isGroup) return w.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else return w.error(Errors.syntax);
  }
  if (streamsArg === 0) return w.error(Errors.syntax);
  if (isGroup && groupName === undefined) return w.error('ERR Missing GROUP option for XREADGROUP');

  // `$` and `+` are resolved once, when the command first runs: a client blocked with `$`
  // is served entries added after that moment.
  const fixed: (string | undefined)[] = new Array(streamsCount);
  const run = (again: boolean): boolean => {
  const db = engine.db(ctx.client);
  const ids: string[] = new Array(streamsCount);
  const groups: ConsumerGroup[] = [];
  for (let i = streamsArg + streamsCount; i < argc; i++) {
    const k = i - streamsArg - streamsCount;
    const key = args[i - streamsCount]!;
    const s = readStream(ctx, db, key);
    if (s === null) return true;
    if (groupName !== undefined) {
      const g = s?.groups.get(groupName);
      if (g === undefined) {
        w.error(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupName)}' in XREADGROUP with GROUP option`);
        return true;
      }
      groups[k] = g;
    }
    const a = cstr(args[i]!);
    const f = fixed[k];
    if (again && f !== undefined) {
      ids[k] = f;
      continue;
    }
    if (a === '$') {
      if (isGroup) {
        w.error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
        return true;
      }
      ids[k] = fixed[k] = s ? s.lastId : MIN_ID;
      continue;
    }
    if (a === '+') {
      if (isGroup) {
        w.error(
          'ERR The + ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The + ID would just return an empty result set.',
        );
        return true;
      }
      if (s) {
        const d = decrId(s.lastId);
        if (d === undefined) {
          w.error('ERR the stream last element ID is 0-0');
          return true;
        }
        ids[k] = fixed[k] = d;
      } else ids[k] = fixed[k] = MIN_ID;
      continue;
    }
    if (a === '>') {
      if (!isGroup) {
        w.error(
          'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
        );
        return true;
      }
      ids[k] = MAX_ID;
      continue;
    }
    const id = parseStreamId(args[i]!, false, true);
    if (id === undefined) {
      w.error(INVALID_ID);
      return true;
    }
    ids[k] = id;
  }

  const now = engine.now();
  const served: Served[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = args[streamsArg + i]!;
    const v = db.get(key);
    if (v === undefined) continue;
    const s = v as StreamValue;
    let gt = ids[i]!;
    let serve = false;
    let history = false;
    let consumer: Consumer | undefined;
    const g = groups[i];
    if (g !== undefined) {
      if (gt !== MAX_ID) {
        serve = true;
        history = true;
      } else if (s.length) {
        if (s.lastValidId() > g.lastId) {
          serve = true;
          gt = g.lastId;
        }
      }
      const created = !g.consumers.has(consumerName);
      consumer = lookupOrCreateConsumer(ctx, db, g, consumerName, key, now);
      consumer.seenTime = now;
      // With NOACK no XCLAIM creates the consumer on replicas: it is propagated itself.
      if (created && noack) engine.propagation.add(db.id, ['XGROUP', 'CREATECONSUMER', key, groupName!, consumer.name]);
    } else if (s.length && s.lastValidId() > gt) serve = true;
    if (!serve) continue;
    const start = incrId(gt) ?? MIN_ID;
    const out: Served = { key, nodes: [], idx: [], ids: null };
    if (g !== undefined && history) {
      out.ids = [];
      consumer!.pel.forEachFrom(start, (pid, p) => {
        if (count && out.idx.length >= count) return false;
        out.ids!.push(pid);
        if (s.find(pid)) {
          out.nodes.push(s.foundNode!);
          out.idx.push(s.foundIndex);
          p.deliveryTime = now;
          p.deliveryCount++;
          propagateXclaim(ctx, db, key, g, groupName!, pid, p);
        } else {
          out.nodes.push(null);
          out.idx.push(0);
        }
      });
    } else {
      s.range(start, MAX_ID, false, count, out.nodes as StreamNode[], out.idx);
      if (g !== undefined) {
        let lastIdMoved = false;
        for (let k = 0; k < out.nodes.length; k++) {
          const eid = out.nodes[k]!.ids[out.idx[k]!]!;
          if (eid > g.lastId) lastIdMoved = true;
          s.deliverTo(g, eid);
          if (!noack) {
            let p = g.pel.get(eid);
            if (p === undefined) {
              p = new PendingEntry(consumer!, now, 1);
              g.pel.set(eid, p);
              consumer!.pel.set(eid, p);
            } else {
              p.consumer?.pel.delete(eid);
              p.consumer = consumer!;
              p.deliveryTime = now;
              p.deliveryCount = 1;
              consumer!.pel.set(eid, p);
            }
            consumer!.activeTime = now;
            propagateXclaim(ctx, db, key, g, groupName!, eid, p);
          }
        }
        // The group's last ID and entries_read reach replicas as XGROUP SETID (Valkey's
        // streamPropagateGroupID), whether or not the entries were acknowledged.
        if (lastIdMoved) {
          engine.propagation.add(db.id, ['XGROUP', 'SETID', key, groupName!, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
        }
      }
    }
    if (g !== undefined) engine.dirty++;
    served.push(out);
  }

  if (served.length === 0) return false;
  if (w.proto === 2) w.array(served.length);
  else w.map(served.length);
  for (const sv of served) {
    if (w.proto === 2) w.array(2);
    w.bulk(sv.key);
    w.array(sv.nodes.length);
    for (let k = 0; k < sv.nodes.length; k++) {
      const n = sv.nodes[k];
      if (n === null) {
        w.array(2);
        w.bulk(formatId(sv.ids![k]!));
        w.nullArray();
      } else writeEntry(w, n!, sv.idx[k]!);
    }
  }
  return true;
  };
  // XREADGROUP propagates what it did as XCLAIM / XGROUP SETID / XGROUP CREATECONSUMER (added
  // as it runs, at once or when served after blocking), never as itself.
  if (isGroup) engine.propagation.prevent();
  if (run(false)) return;
  // Nothing to serve: without BLOCK (or when the client may not block) the null array;
  // with BLOCK the client waits for XADD on one of the streams (XREADGROUP also for the
  // stream or its group going away, which then replies the error).
  if (!blockGiven) return w.nullArray();
  const keys = args.slice(streamsArg, streamsArg + streamsCount);
  return blockCore(ctx, keys, deadline, isStream, run, (tw) => tw.nullArray(), isGroup);
}

/**
 * Valkey's streamPropagateXCLAIM: an entry XREADGROUP delivered reaches replicas and the AOF as
 * XCLAIM <key> <group> <consumer> 0 <id> TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <last-id>.
 */
function propagateXclaim(ctx: CommandContext, db: Db, key: string, g: ConsumerGroup, groupName: string, id: string, p: PendingEntry): void {
  ctx.engine.propagation.add(db.id, [
    'XCLAIM', key, groupName, p.consumer!.name, '0', formatId(id),
    'TIME', String(p.deliveryTime), 'RETRYCOUNT', String(p.deliveryCount),
    'FORCE', 'JUSTID', 'LASTID', formatId(g.lastId),
  ]);
}

/** Whether a key's value can serve a client blocked on streams. */
const isStream = (v: Value | undefined): boolean => v instanceof StreamValue;

// ---------------------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------------------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

function xgroup(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const argc = args.length;
  const sub = opt(args[1]!);
  const db = engine.db(ctx.client);
  let s: StreamValue | undefined;
  let g: ConsumerGroup | undefined;
  let mkstream = false;
  let entriesRead: Counter = ENTRIES_READ_INVALID;
  const key = args[2] ?? '';
  const grp = args[3] ?? '';
  if (argc >= 4) {
    const isCreate = sub === 'create';
    const isSetid = sub === 'setid';
    for (let i = 5; i < argc; ) {
      const o = opt(args[i]!);
      if (isCreate && o === 'mkstream') {
        mkstream = true;
        i++;
      } else if ((isCreate || isSetid) && o === 'entriesread' && i + 1 < argc) {
        const n = parseInteger(args[i + 1]!);
        if (n === undefined) return w.error(Errors.notInteger);
        if (n < 0 && n !== -1) return w.error('ERR value for ENTRIESREAD must be positive or -1');
        entriesRead = Number.isSafeInteger(n) ? n : BigInt(args[i + 1]!);
        i += 2;
      } else return subcommandSyntaxError(ctx);
    }
    const v = writeStream(ctx, db, key);
    if (v === null) return;
    s = v;
  }
  if (argc >= 4 && !mkstream) {
    if (s === undefined) {
      return w.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    g = s.groups.get(grp);
    if (g === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      return w.error(noGroupForKey(grp, key));
    }
  }
  if (argc === 2 && sub === 'help') return replyHelp(ctx, XGROUP_HELP);
  if (sub === 'create' && argc >= 5 && argc <= 8) {
    let id: string | undefined;
    if (cstr(args[4]!) === '$') id = s ? s.lastId : MIN_ID;
    else {
      id = parseStreamId(args[4]!, false, true);
      if (id === undefined) return w.error(INVALID_ID);
    }
    if (s === undefined) {
      s = new StreamValue();
      db.add(key, s);
      engine.keyModified(db.id, key);
    }
    if (s.createGroup(grp, id, entriesRead)) {
      w.simple('OK');
      engine.dirty++;
      engine.notify(NOTIFY_STREAM, 'xgroup-create', key, db.id);
    } else w.error('BUSYGROUP Consumer Group name already exists');
  } else if (sub === 'setid' && (argc === 5 || argc === 7)) {
    let id: string | undefined;
    if (cstr(args[4]!) === '$') id = s!.lastId;
    else {
      id = parseStreamId(args[4]!, false, false);
      if (id === undefined) return w.error(INVALID_ID);
    }
    g!.lastId = id;
    g!.entriesRead = entriesRead;
    w.simple('OK');
    engine.dirty++;
    engine.notify(NOTIFY_STREAM, 'xgroup-setid', key, db.id);
  } else if (sub === 'destroy' && argc === 4) {
    if (g !== undefined) {
      s!.destroyGroup(grp);
      w.integer(1);
      engine.dirty++;
      engine.notify(NOTIFY_STREAM, 'xgroup-destroy', key, db.id);
      // Consumers blocked in XREADGROUP on the group get -NOGROUP.
      engine.blocking.signalDeletedKeyAsReady(db.id, key);
    } else w.integer(0);
  } else if (sub === 'createconsumer' && argc === 5) {
    const c = g!.createConsumer(args[4]!, engine.now());
    if (c) {
      engine.dirty++;
      engine.notify(NOTIFY_STREAM, 'xgroup-createconsumer', key, db.id);
    }
    w.integer(c ? 1 : 0);
  } else if (sub === 'delconsumer' && argc === 5) {
    let pending = 0;
    const c = g!.consumers.get(args[4]!);
    if (c !== undefined) {
      pending = g!.deleteConsumer(c);
      engine.dirty++;
      engine.notify(NOTIFY_STREAM, 'xgroup-delconsumer', key, db.id);
    }
    w.integer(pending);
  } else subcommandSyntaxError(ctx);
}

// ---------------------------------------------------------------------------------------
// XSETID / XACK / XPENDING
// ---------------------------------------------------------------------------------------

function xsetid(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const id = parseStreamId(args[2]!, false, true);
  if (id === undefined) return w.error(INVALID_ID);
  let entriesAdded: Counter = -1;
  let maxDel = MIN_ID;
  const argc = args.length;
  for (let i = 3; i < argc; ) {
    const moreargs = argc - 1 - i;
    const o = opt(args[i]!);
    if (o === 'entriesadded' && moreargs) {
      const n = parseInteger(args[i + 1]!);
      if (n === undefined) return w.error(Errors.notInteger);
      if (n < 0) return w.error('ERR entries_added must be positive');
      entriesAdded = Number.isSafeInteger(n) ? n : BigInt(args[i + 1]!);
      i += 2;
    } else if (o === 'maxdeletedid' && moreargs) {
      const m = parseStreamId(args[i + 1]!, false, true);
      if (m === undefined) return w.error(INVALID_ID);
      if (id < m) return w.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxDel = m;
      i += 2;
    } else return w.error(Errors.syntax);
  }
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const s = writeStream(ctx, db, key);
  if (s === null) return;
  if (s === undefined) return w.error(NO_SUCH_KEY);
  if (id < s.maxDeletedId) return w.error('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id');
  if (s.length > 0) {
    if (id < s.lastValidId()) return w.error('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && counterCmp(s.length, entriesAdded) > 0) {
      return w.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDel !== MIN_ID) s.maxDeletedId = maxDel;
  w.simple('OK');
  engine.dirty++;
  engine.notify(NOTIFY_STREAM, 'xsetid', key, db.id);
}

function xack(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const db = engine.db(ctx.client);
  const s = readStream(ctx, db, args[1]!);
  if (s === null) return;
  const g = s?.groups.get(args[2]!);
  if (g === undefined) return w.integer(0);
  const ids: string[] = [];
  for (let j = 3; j < args.length; j++) {
    const id = parseStreamId(args[j]!, false, true);
    if (id === undefined) return w.error(INVALID_ID);
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    if (g.ack(id) !== undefined) {
      acked++;
      engine.dirty++;
    }
  }
  w.integer(acked);
}

function xpending(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const argc = args.length;
  const justInfo = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) return w.error(Errors.syntax);
  let start = MIN_ID;
  let end = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | undefined;
  if (argc >= 6) {
    let si = 3;
    if (opt(args[3]!) === 'idle') {
      const n = parseInteger(args[4]!);
      if (n === undefined) return w.error(Errors.notInteger);
      minIdle = n;
      if (argc < 8) return w.error(Errors.syntax);
      si += 2;
    }
    const c = parseInteger(args[si + 2]!);
    if (c === undefined) return w.error(Errors.notInteger);
    count = c < 0 ? 0 : c;
    const st = parseBound(ctx, args[si]!, true);
    if (st === undefined) return;
    const en = parseBound(ctx, args[si + 1]!, false);
    if (en === undefined) return;
    start = st;
    end = en;
    if (si + 3 < argc) consumerName = args[si + 3]!;
  }
  const db = engine.db(ctx.client);
  const s = readStream(ctx, db, args[1]!);
  if (s === null) return;
  const g = s?.groups.get(args[2]!);
  if (g === undefined) return w.error(noGroup(args[1]!, args[2]!));
  if (justInfo) {
    w.array(4);
    w.integer(g.pel.size);
    if (g.pel.size === 0) {
      w.null();
      w.null();
      w.nullArray();
      return;
    }
    w.bulk(formatId(g.pel.firstKey()!));
    w.bulk(formatId(g.pel.lastKey()!));
    let n = 0;
    for (const c of g.consumers.values()) if (c.pel.size) n++;
    w.array(n);
    for (const c of g.orderedConsumers()) {
      if (!c.pel.size) continue;
      w.array(2);
      w.bulk(c.name);
      w.bulk(String(c.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== undefined) {
    const c = g.consumers.get(consumerName);
    if (c === undefined) return w.array(0);
    pel = c.pel;
  }
  const now = engine.now();
  const ids: string[] = [];
  const ps: PendingEntry[] = [];
  if (count) {
    pel.forEachFrom(start, (id, p) => {
      if (id > end) return false;
      if (minIdle && now - p.deliveryTime < minIdle) return;
      ids.push(id);
      ps.push(p);
      if (--count === 0) return false;
    });
  }
  w.array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const p = ps[k]!;
    w.array(4);
    w.bulk(formatId(ids[k]!));
    w.bulk(p.consumer!.name);
    const elapsed = now - p.deliveryTime;
    w.integer(elapsed < 0 ? 0 : elapsed);
    w.integer(p.deliveryCount);
  }
}

// ---------------------------------------------------------------------------------------
// XCLAIM / XAUTOCLAIM
// ---------------------------------------------------------------------------------------

/** Moves a pending entry to `c` (removing it from its previous owner). */
function assignPending(p: PendingEntry, id: string, c: Consumer): void {
  if (p.consumer !== c) {
    p.consumer?.pel.delete(id);
    c.pel.set(id, p);
    p.consumer = c;
  }
}

function xclaim(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const argc = args.length;
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const s = readStream(ctx, db, key);
  if (s === null) return;
  const g = s?.groups.get(args[2]!);
  if (s === undefined || g === undefined) return w.error(noGroup(key, args[2]!));
  let minIdle = parseInteger(args[4]!);
  if (minIdle === undefined) return w.error('ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdle < 0) minIdle = 0;
  const ids: string[] = [];
  let j = 5;
  for (; j < argc; j++) {
    const id = parseStreamId(args[j]!, false, true);
    if (id === undefined) break;
    ids.push(id);
  }
  const now = engine.now();
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId = MIN_ID;
  for (; j < argc; j++) {
    const moreargs = argc - 1 - j;
    const o = opt(args[j]!);
    if (o === 'force') force = true;
    else if (o === 'justid') justId = true;
    else if (o === 'idle' && moreargs) {
      const n = parseInteger(args[++j]!);
      if (n === undefined) return w.error('ERR Invalid IDLE option argument for XCLAIM');
      deliveryTime = now - n;
    } else if (o === 'time' && moreargs) {
      const n = parseInteger(args[++j]!);
      if (n === undefined) return w.error('ERR Invalid TIME option argument for XCLAIM');
      deliveryTime = n;
    } else if (o === 'retrycount' && moreargs) {
      const n = parseInteger(args[++j]!);
      if (n === undefined) return w.error('ERR Invalid RETRYCOUNT option argument for XCLAIM');
      retryCount = n;
    } else if (o === 'lastid' && moreargs) {
      const id = parseStreamId(args[++j]!, false, true);
      if (id === undefined) return w.error(INVALID_ID);
      lastId = id;
    } else return w.error(`ERR Unrecognized XCLAIM option '${cstr(args[j]!)}'`);
  }
  let propagateLastId = false;
  if (lastId > g.lastId) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else deliveryTime = now;
  const consumer = lookupOrCreateConsumer(ctx, db, g, args[3]!, key, now);
  consumer.seenTime = now;
  const outIds: string[] = [];
  const outNodes: StreamNode[] = [];
  const outIdx: number[] = [];
  for (const id of ids) {
    let p = g.pel.get(id);
    if (!s.find(id)) {
      if (p !== undefined) {
        propagateLastId = false;
        engine.dirty++;
        g.ack(id);
      }
      continue;
    }
    if (force && p === undefined) {
      p = new PendingEntry(null, now, 1);
      g.pel.set(id, p);
    }
    if (p === undefined) continue;
    if (p.consumer && minIdle && now - p.deliveryTime < minIdle) continue;
    assignPending(p, id, consumer);
    p.deliveryTime = deliveryTime;
    if (retryCount >= 0) p.deliveryCount = retryCount;
    else if (!justId) p.deliveryCount++;
    outIds.push(id);
    if (!justId) {
      outNodes.push(s.foundNode!);
      outIdx.push(s.foundIndex);
    }
    consumer.activeTime = now;
    propagateLastId = false;
    engine.dirty++;
  }
  if (propagateLastId) engine.dirty++;
  if (justId) {
    w.array(outIds.length);
    for (const id of outIds) w.bulk(formatId(id));
  } else writeEntries(w, outNodes, outIdx);
}

function xautoclaim(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const argc = args.length;
  let minIdle = parseInteger(args[4]!);
  if (minIdle === undefined) return w.error('ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle < 0) minIdle = 0;
  const start = parseBound(ctx, args[5]!, true);
  if (start === undefined) return;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argc; j++) {
    const moreargs = argc - 1 - j;
    const o = opt(args[j]!);
    if (o === 'count' && moreargs) {
      const n = parseInteger(args[j + 1]!);
      // LONG_MAX / max(sizeof(streamID), attempts factor 10)
      if (n === undefined || n < 1 || BigInt(args[j + 1]!) > 576460752303423487n) return w.error('ERR COUNT must be > 0');
      count = n;
      j++;
    } else if (o === 'justid') justId = true;
    else return w.error(Errors.syntax);
  }
  const db = engine.db(ctx.client);
  const key = args[1]!;
  const s = readStream(ctx, db, key);
  if (s === null) return;
  const g = s?.groups.get(args[2]!);
  if (s === undefined || g === undefined) return w.error(noGroup(key, args[2]!));
  const now = engine.now();
  const consumer = lookupOrCreateConsumer(ctx, db, g, args[3]!, key, now);
  consumer.seenTime = now;
  let attempts = count * 10;
  const outIds: string[] = [];
  const outNodes: StreamNode[] = [];
  const outIdx: number[] = [];
  const deletedIds: string[] = [];
  let cur: string | undefined; // last examined PEL key
  let eof = false;
  for (;;) {
    if (attempts-- <= 0 || count <= 0) break;
    const id = cur === undefined ? g.pel.ceilKey(start) : g.pel.ceilKey(cur, true);
    if (id === undefined) {
      eof = true;
      break;
    }
    cur = id;
    const p = g.pel.get(id)!;
    if (!s.find(id)) {
      engine.dirty++;
      g.ack(id);
      deletedIds.push(id);
      count--;
      continue;
    }
    if (minIdle && now - p.deliveryTime < minIdle) continue;
    assignPending(p, id, consumer);
    p.deliveryTime = now;
    if (!justId) p.deliveryCount++;
    outIds.push(id);
    if (!justId) {
      outNodes.push(s.foundNode!);
      outIdx.push(s.foundIndex);
    }
    count--;
    consumer.activeTime = now;
    engine.dirty++;
  }
  let next: string | undefined;
  if (!eof) next = cur === undefined ? g.pel.ceilKey(start) : g.pel.ceilKey(cur, true);
  w.array(3);
  w.bulk(formatId(next ?? MIN_ID));
  if (justId) {
    w.array(outIds.length);
    for (const id of outIds) w.bulk(formatId(id));
  } else writeEntries(w, outNodes, outIdx);
  w.array(deletedIds.length);
  for (const id of deletedIds) w.bulk(formatId(id));
}

// ---------------------------------------------------------------------------------------
// XINFO
// ---------------------------------------------------------------------------------------

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

function xinfo(ctx: CommandContext): void {
  const { engine, args, w } = ctx;
  const sub = opt(args[1]!);
  if (sub === 'help') return replyHelp(ctx, XINFO_HELP);
  const db = engine.db(ctx.client);
  const key = args[2]!;
  const s = readStream(ctx, db, key);
  if (s === null) return;
  if (s === undefined) return w.error(NO_SUCH_KEY);
  const argc = args.length;
  if (sub === 'consumers' && argc === 4) {
    const g = s.groups.get(args[3]!);
    if (g === undefined) return w.error(noGroupForKey(args[3]!, key));
    const now = engine.now();
    w.array(g.consumers.size);
    for (const c of g.orderedConsumers()) {
      const inactive = c.activeTime !== -1 ? now - c.activeTime : -1;
      let idle = now - c.seenTime;
      if (idle < 0) idle = 0;
      w.map(4);
      w.bulk('name');
      w.bulk(c.name);
      w.bulk('pending');
      w.integer(c.pel.size);
      w.bulk('idle');
      w.integer(idle);
      w.bulk('inactive');
      w.integer(inactive);
    }
  } else if (sub === 'groups' && argc === 3) {
    w.array(s.groups.size);
    for (const g of s.orderedGroups()) {
      w.map(6);
      w.bulk('name');
      w.bulk(g.name);
      w.bulk('consumers');
      w.integer(g.consumers.size);
      w.bulk('pending');
      w.integer(g.pel.size);
      w.bulk('last-delivered-id');
      w.bulk(formatId(g.lastId));
      w.bulk('entries-read');
      writeCounter(w, g.entriesRead === ENTRIES_READ_INVALID ? null : g.entriesRead);
      w.bulk('lag');
      writeCounter(w, s.lag(g));
    }
  } else if (sub === 'stream') xinfoStream(ctx, s);
  else subcommandSyntaxError(ctx);
}

function xinfoStream(ctx: CommandContext, s: StreamValue): void {
  const { args, w } = ctx;
  const optc = args.length - 3;
  let full = true;
  let count = 10;
  if (optc === 0) full = false;
  else {
    if (optc !== 1 && optc !== 3) return subcommandSyntaxError(ctx);
    if (opt(args[3]!) !== 'full') return subcommandSyntaxError(ctx);
    if (optc === 3) {
      if (opt(args[4]!) !== 'count') return subcommandSyntaxError(ctx);
      const n = parseInteger(args[5]!);
      if (n === undefined) return w.error(Errors.notInteger);
      count = n < 0 ? 10 : n;
    }
  }
  w.map(full ? 9 : 10);
  w.bulk('length');
  w.integer(s.length);
  w.bulk('radix-tree-keys');
  w.integer(s.radixTreeKeys);
  w.bulk('radix-tree-nodes');
  w.integer(s.radixTreeNodes);
  w.bulk('last-generated-id');
  w.bulk(formatId(s.lastId));
  w.bulk('max-deleted-entry-id');
  w.bulk(formatId(s.maxDeletedId));
  w.bulk('entries-added');
  w.integer(s.entriesAdded);
  w.bulk('recorded-first-entry-id');
  w.bulk(formatId(s.firstId));
  const nodes: StreamNode[] = [];
  const idx: number[] = [];
  if (!full) {
    w.bulk('groups');
    w.integer(s.groups.size);
    w.bulk('first-entry');
    if (s.range(MIN_ID, MAX_ID, false, 1, nodes, idx)) writeEntry(w, nodes[0]!, idx[0]!);
    else w.null();
    w.bulk('last-entry');
    nodes.length = 0;
    idx.length = 0;
    if (s.range(MIN_ID, MAX_ID, true, 1, nodes, idx)) writeEntry(w, nodes[0]!, idx[0]!);
    else w.null();
    return;
  }
  w.bulk('entries');
  s.range(MIN_ID, MAX_ID, false, count, nodes, idx);
  writeEntries(w, nodes, idx);
  w.bulk('groups');
  w.array(s.groups.size);
  for (const g of s.orderedGroups()) {
    w.map(7);
    w.bulk('name');
    w.bulk(g.name);
    w.bulk('last-delivered-id');
    w.bulk(formatId(g.lastId));
    w.bulk('entries-read');
    writeCounter(w, g.entriesRead === ENTRIES_READ_INVALID ? null : g.entriesRead);
    w.bulk('lag');
    writeCounter(w, s.lag(g));
    w.bulk('pel-count');
    w.integer(g.pel.size);
    w.bulk('pending');
    const n = count && g.pel.size > count ? count : g.pel.size;
    w.array(n);
    let k = 0;
    if (n) {
      g.pel.forEachFrom(MIN_ID, (id, p) => {
        w.array(4);
        w.bulk(formatId(id));
        w.bulk(p.consumer!.name);
        w.integer(p.deliveryTime);
        w.integer(p.deliveryCount);
        return ++k < n;
      });
    }
    w.bulk('consumers');
    w.array(g.consumers.size);
    for (const c of g.orderedConsumers()) {
      w.map(5);
      w.bulk('name');
      w.bulk(c.name);
      w.bulk('seen-time');
      w.integer(c.seenTime);
      w.bulk('active-time');
      w.integer(c.activeTime);
      w.bulk('pel-count');
      w.integer(c.pel.size);
      w.bulk('pending');
      const m = count && c.pel.size > count ? count : c.pel.size;
      w.array(m);
      let q = 0;
      if (m) {
        c.pel.forEachFrom(MIN_ID, (id, p) => {
          w.array(3);
          w.bulk(formatId(id));
          w.integer(p.deliveryTime);
          w.integer(p.deliveryCount);
          return ++q < m;
        });
      }
    }
  }
}

export const streamCommands: CommandDef[] = [
  cmd('xadd', xadd),
  cmd('xtrim', xtrim),
  cmd('xrange', (ctx) => xrangeGeneric(ctx, false)),
  cmd('xrevrange', (ctx) => xrangeGeneric(ctx, true)),
  cmd('xlen', xlen),
  cmd('xdel', xdel),
  cmd('xread', (ctx) => xreadGeneric(ctx, false)),
  cmd('xreadgroup', (ctx) => xreadGeneric(ctx, true)),
  group('xgroup', [
    cmd('xgroup|create', xgroup),
    cmd('xgroup|setid', xgroup),
    cmd('xgroup|destroy', xgroup),
    cmd('xgroup|createconsumer', xgroup),
    cmd('xgroup|delconsumer', xgroup),
    cmd('xgroup|help', xgroup),
  ]),
  cmd('xsetid', xsetid),
  cmd('xack', xack),
  cmd('xpending', xpending),
  cmd('xclaim', xclaim),
  cmd('xautoclaim', xautoclaim),
  group('xinfo', [
    cmd('xinfo|consumers', xinfo),
    cmd('xinfo|groups', xinfo),
    cmd('xinfo|stream', xinfo),
    cmd('xinfo|help', xinfo),
  ]),
];
