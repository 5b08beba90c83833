/**
 * Transactions: MULTI queueing, EXEC, DISCARD and WATCH (optimistic locking), with Valkey's
 * rules.
 *
 * State lives in side tables (nothing on Client): per engine, the clients in MULTI and the
 * watched keys of every database; per client, its queue, its dirty flags and its watched
 * keys. The request path pays one number check per command while no client is in MULTI,
 * and a key modification costs nothing while nobody watches (the modification listener is
 * registered only while some key is watched).
 *
 * - A client in MULTI gets `+QUEUED` for every command except EXEC, DISCARD, MULTI, WATCH,
 *   QUIT and RESET, which run at once; other commands flagged no_multi (SAVE, SHUTDOWN...)
 *   are refused with `ERR Command not allowed inside a transaction`.
 * - A command refused before it could be queued (unknown command, wrong arity, a gate's
 *   error such as NOPERM) marks the transaction: EXEC then replies EXECABORT.
 * - A watched key that is modified (by anyone, by expiry or eviction, by FLUSH*), or that
 *   logically expired since WATCH, makes EXEC reply a null array. A key that was already
 *   expired when watched and is then deleted counts as unchanged, as Valkey.
 */
import type { Engine } from '../engine/engine.js';
import type { Client } from './client.js';
import type { CommandDef } from '../commands/table.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { Entry } from '../engine/db.js';

/** VALKEYMODULE_CTX_FLAGS_MULTI: the client runs inside MULTI/EXEC. */
export const CTX_FLAGS_MULTI = 1 << 1;
/** VALKEYMODULE_CTX_FLAGS_MULTI_DIRTY: the client's next EXEC will fail. */
export const CTX_FLAGS_MULTI_DIRTY = 1 << 19;
/** VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING: the client may not block (set while EXEC runs). */
export const CTX_FLAGS_DENY_BLOCKING = 1 << 21;

export const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
const NOT_ALLOWED = 'ERR Command not allowed inside a transaction';

/** One watched key of one client. */
interface WatchedKey {
  readonly tx: ClientTx;
  readonly db: number;
  readonly key: string;
  /** The key existed but was logically expired when WATCH ran. */
  expired: boolean;
}

/** A client's transaction state. */
class ClientTx {
  /** Queued commands while in MULTI; null outside MULTI. */
  queue: string[][] | null = null;
  /** A command was refused while queueing: EXEC aborts (CLIENT_DIRTY_EXEC). */
  dirtyExec = false;
  /** A watched key changed: EXEC replies a null array (CLIENT_DIRTY_CAS). */
  dirtyCas = false;
  /** EXEC is running the queue: commands run instead of being queued. */
  executing = false;
  readonly watched: WatchedKey[] = [];
  constructor(readonly client: Client) {}
}

/** An engine's transaction state. */
class EngineTx {
  /** Clients in MULTI (the gate's fast path when 0). */
  inMulti = 0;
  /** Watched keys of all clients (the modification listener is on while > 0). */
  watchCount = 0;
  /** Per database index: key -> its watchers. */
  readonly byDb: Map<string, WatchedKey[]>[] = [];
  readonly clients = new WeakMap<Client, ClientTx>();
  unsubscribe: (() => void) | undefined;
  installed = false;
  /** FLUSHDB, FLUSHALL and SWAPDB report through signalFlushedDb/signalSwappedDbs (not key by key). */
  flushSignals = false;
  constructor(readonly engine: Engine) {}
}

const engines = new WeakMap<Engine, EngineTx>();

function engineTx(engine: Engine): EngineTx {
  let t = engines.get(engine);
  if (t === undefined) {
    t = new EngineTx(engine);
    engines.set(engine, t);
  }
  return t;
}

function clientTx(t: EngineTx, client: Client): ClientTx {
  let c = t.clients.get(client);
  if (c === undefined) {
    c = new ClientTx(client);
    t.clients.set(client, c);
  }
  return c;
}

/** Whether an entry is logically expired now (keyIsExpired: never while loading). */
function isExpired(engine: Engine, e: Entry): boolean {
  return e.expire !== 0 && e.expire <= engine.now() && engine.expireEnabled();
}

// ---------------------------------------------------------------------------------------------
// Installation
// ---------------------------------------------------------------------------------------------

type Gate = (client: Client, def: CommandDef, args: string[], w: ReplyWriter) => boolean;

/**
 * Installs transactions on an engine (call once from the Engine constructor; a second call
 * does nothing):
 * - pushes the queueing gate onto `engine.gates`. It must come after the gates that refuse
 *   commands (auth, ACL, pub/sub context, pause), so a refused command is never queued;
 *   such a gate replies the error text commandRejected returns (it flags the transaction,
 *   and turns a refused EXEC into EXECABORT);
 * - registers commandRejected on `engine.rejectListeners`, so a command refused before the
 *   gates (unknown command, arity, unknown subcommand) flags the transaction.
 */
export function installTransactions(engine: Engine): void {
  const t = engineTx(engine);
  if (t.installed) return;
  t.installed = true;
  engine.gates.push(makeGate(t));
  engine.rejectListeners.push((client, args, message) => commandRejected(engine, client, args, message));
}

/**
 * Reject listener: a command was refused before it ran (Valkey's rejectCommand). Flags the
 * client's transaction when it is in MULTI. A refused EXEC also discards the transaction
 * (MULTI state and watches, in MULTI or not) and its error text becomes `EXECABORT
 * Transaction discarded because of: <error>`, which is returned (other errors are returned
 * unchanged).
 */
export function commandRejected(engine: Engine, client: Client, args: string[], message: string): string {
  const t = engines.get(engine);
  const c = t?.clients.get(client);
  if (c !== undefined && c.queue !== null && !c.executing) setDirtyExec(c);
  const name = args[0] ?? '';
  if (name.length !== 4 || name.toLowerCase() !== 'exec' || engine.commands.get('exec')?.module !== undefined) {
    return message;
  }
  if (t !== undefined && c !== undefined && !c.executing) discardTransaction(t, c);
  return `EXECABORT Transaction discarded because of: ${message.startsWith('ERR ') ? message.slice(4) : message}`;
}

function makeGate(t: EngineTx): Gate {
  return (client, def, args, w) => {
    if (t.inMulti === 0) return false;
    const c = t.clients.get(client);
    if (c === undefined || c.queue === null || c.executing) return false;
    const top = def.parent ?? def;
    const n = top.name;
    if (
      top.module === undefined &&
      (n === 'exec' || n === 'discard' || n === 'multi' || n === 'watch' || n === 'quit' || n === 'reset')
    ) {
      return false;
    }
    if (def.flags.includes('no_multi') || (def !== top && top.flags.includes('no_multi'))) {
      // Refused like Valkey's rejectCommand: counted as rejected, and the transaction aborts.
      t.engine.commandStats.rejected(def);
      t.engine.commandStats.errorReply(NOT_ALLOWED);
      w.error(NOT_ALLOWED);
      setDirtyExec(c);
      return true;
    }
    // An already failed transaction keeps nothing (the reply is still QUEUED).
    if (!c.dirtyExec && !c.dirtyCas) c.queue.push(args.slice());
    w.simple('QUEUED');
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// Transaction state
// ---------------------------------------------------------------------------------------------

function setDirtyExec(c: ClientTx): void {
  c.dirtyExec = true;
  c.client.ctxFlags |= CTX_FLAGS_MULTI_DIRTY;
}

function setDirtyCas(t: EngineTx, c: ClientTx): void {
  c.dirtyCas = true;
  c.client.ctxFlags |= CTX_FLAGS_MULTI_DIRTY;
  // Nothing more to learn from the keys once dirty.
  unwatchAll(t, c);
}

/** Leaves MULTI (if in it), clears the dirty flags and every watch (discardTransaction). */
function discardTransaction(t: EngineTx, c: ClientTx): void {
  if (c.queue !== null) {
    c.queue = null;
    t.inMulti--;
  }
  c.dirtyExec = false;
  c.dirtyCas = false;
  c.executing = false;
  c.client.ctxFlags &= ~CTX_FLAGS_MULTI_DIRTY;
  unwatchAll(t, c);
}

/**
 * Marks the client's transaction as failed (EXEC will reply EXECABORT) when it is in MULTI.
 * For gates that refuse a command (auth, ACL, OOM, pub/sub context), as Valkey's
 * rejectCommand does; commandRejected does this and also handles a refused EXEC.
 */
export function flagTransaction(engine: Engine, client: Client): void {
  const t = engines.get(engine);
  if (t === undefined || t.inMulti === 0) return;
  const c = t.clients.get(client);
  if (c !== undefined && c.queue !== null && !c.executing) setDirtyExec(c);
}

/** Clears a client's MULTI state and watched keys (RESET, and when a connection closes). */
export function resetTransactionState(engine: Engine, client: Client): void {
  const t = engines.get(engine);
  const c = t?.clients.get(client);
  if (t === undefined || c === undefined) return;
  discardTransaction(t, c);
}

/** Whether installTransactions ran for this engine. */
export function transactionsInstalled(engine: Engine): boolean {
  return engines.get(engine)?.installed === true;
}

/** Whether the client is inside MULTI (queueing, or EXEC running its queue). */
export function inMulti(client: Client): boolean {
  const c = engines.get(client.engine)?.clients.get(client);
  return c !== undefined && c.queue !== null;
}

/** Whether EXEC is running this client's queue (pause and ACL gates let its commands pass). */
export function inExec(client: Client): boolean {
  const c = engines.get(client.engine)?.clients.get(client);
  return c !== undefined && c.executing;
}

/** What CLIENT LIST / CLIENT INFO show of a client's transaction state. */
export interface TransactionInfo {
  /** `multi=`: commands queued, or -1 outside MULTI. */
  multi: number;
  /** `watch=`: keys watched. */
  watch: number;
  /** Flag `x`: in MULTI. */
  inMulti: boolean;
  /** Flag `d`: a watched key was modified, EXEC will fail. */
  dirtyCas: boolean;
}

/** The client's transaction fields for CLIENT LIST/INFO (`multi=`, `watch=`, flags x and d). */
export function transactionInfo(client: Client): TransactionInfo {
  const c = engines.get(client.engine)?.clients.get(client);
  if (c === undefined) return { multi: -1, watch: 0, inMulti: false, dirtyCas: false };
  return {
    multi: c.queue === null ? -1 : c.queue.length,
    watch: c.watched.length,
    inMulti: c.queue !== null,
    dirtyCas: c.dirtyCas,
  };
}

// ---------------------------------------------------------------------------------------------
// WATCH
// ---------------------------------------------------------------------------------------------

function watchKey(t: EngineTx, c: ClientTx, db: number, key: string): void {
  let m = t.byDb[db];
  if (m === undefined) t.byDb[db] = m = new Map();
  let list = m.get(key);
  if (list === undefined) m.set(key, (list = []));
  else for (let i = 0; i < list.length; i++) if (list[i]!.tx === c) return;
  const e = t.engine.dbs[db]!.dict.get(key);
  const wk: WatchedKey = { tx: c, db, key, expired: e !== undefined && isExpired(t.engine, e) };
  list.push(wk);
  c.watched.push(wk);
  if (t.watchCount++ === 0) t.unsubscribe = t.engine.onKeyModified((d, k) => touched(t, d, k));
}

function unwatchAll(t: EngineTx, c: ClientTx): void {
  const n = c.watched.length;
  if (n === 0) return;
  for (let i = 0; i < n; i++) {
    const wk = c.watched[i]!;
    const m = t.byDb[wk.db]!;
    const list = m.get(wk.key)!;
    if (list.length === 1) m.delete(wk.key);
    else list.splice(list.indexOf(wk), 1);
  }
  c.watched.length = 0;
  t.watchCount -= n;
  if (t.watchCount === 0 && t.unsubscribe) {
    t.unsubscribe();
    t.unsubscribe = undefined;
  }
}

/** A key of database `db` changed (touchWatchedKey). */
function touched(t: EngineTx, db: number, key: string): void {
  const list = t.byDb[db]?.get(key);
  if (list === undefined) return;
  // Marking a client dirty unwatches all its keys, which edits `list`: walk a copy.
  const watchers = list.length === 1 ? [list[0]!] : list.slice();
  for (const wk of watchers) {
    if (wk.expired) {
      const e = t.engine.dbs[db]!.dict.get(key);
      // The already expired key is gone: logically nothing changed (it stays unflagged).
      if (e === undefined) {
        wk.expired = false;
        continue;
      }
      // Still there and still expired. Valkey counts a signal on such a key as a change;
      // but until FLUSH*/SWAPDB report through signalFlushedDb/signalSwappedDbs, they signal
      // each key before removing it, and a flush of a stale key is no change. (A real write
      // deletes the stale key first, which takes the branch above.)
      if (!t.flushSignals && isExpired(t.engine, e)) continue;
    }
    setDirtyCas(t, wk.tx);
  }
}

/**
 * FLUSHDB/FLUSHALL of database `db` (touchAllWatchedKeysInDb with nothing replacing it):
 * call before the keys are removed, instead of signalling each key (once called, key
 * signals get Valkey's exact rule for stale watched keys). A watched key that
 * exists there makes its watchers dirty, unless it was already expired when watched.
 */
export function signalFlushedDb(engine: Engine, db: number): void {
  touchAllInDb(engine, db, undefined);
}

/**
 * SWAPDB a b: call before swapping, instead of signalling each key. Watches stay with their
 * database index; a watched key whose logical value changes makes its watchers dirty (an
 * expired key replaced by nothing or by another expired key, or a missing key replaced by
 * an expired one, is no change).
 */
export function signalSwappedDbs(engine: Engine, a: number, b: number): void {
  if (a === b) return;
  touchAllInDb(engine, a, b);
  touchAllInDb(engine, b, a);
}

function touchAllInDb(engine: Engine, emptiedIdx: number, replacedIdx: number | undefined): void {
  const t = engineTx(engine);
  t.flushSignals = true;
  if (t.watchCount === 0) return;
  const m = t.byDb[emptiedIdx];
  if (m === undefined || m.size === 0) return;
  const emptied = engine.dbs[emptiedIdx]!;
  const replaced = replacedIdx === undefined ? undefined : engine.dbs[replacedIdx]!;
  for (const [key, list] of [...m]) {
    const inEmptied = emptied.dict.has(key);
    const repl = replaced?.dict.get(key);
    if (!inEmptied && repl === undefined) continue;
    for (const wk of list.slice()) {
      if (wk.expired) {
        if (repl === undefined) {
          wk.expired = false; // the expired key is gone: no logical change
          continue;
        }
        if (isExpired(engine, repl)) continue; // expired stays expired
      } else if (!inEmptied && isExpired(engine, repl!)) {
        wk.expired = true; // a missing key replaced by an expired one
        continue;
      }
      setDirtyCas(t, wk.tx);
    }
  }
}

/** Whether a watched key changed without a signal: it logically expired since WATCH, or
 *  (unsignalled replacement) a key that was expired when watched is now live. */
function watchedKeyExpired(t: EngineTx, c: ClientTx): boolean {
  const dbs = t.engine.dbs;
  for (const wk of c.watched) {
    const e = dbs[wk.db]!.dict.get(wk.key);
    if (e === undefined) continue;
    if (wk.expired ? !isExpired(t.engine, e) : isExpired(t.engine, e)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Commands (src/commands/transactions.ts declares them)
// ---------------------------------------------------------------------------------------------

/** MULTI: enters the transaction. */
export function multi(engine: Engine, client: Client, w: ReplyWriter): void {
  const t = engineTx(engine);
  const c = clientTx(t, client);
  if (c.queue !== null) return w.error('ERR MULTI calls can not be nested');
  c.queue = [];
  t.inMulti++;
  w.simple('OK');
}

/** DISCARD: drops the queue and the watches. */
export function discard(engine: Engine, client: Client, w: ReplyWriter): void {
  const t = engineTx(engine);
  const c = t.clients.get(client);
  if (c === undefined || c.queue === null) return w.error('ERR DISCARD without MULTI');
  discardTransaction(t, c);
  w.simple('OK');
}

/** WATCH key [key ...] in the client's current database. */
export function watch(engine: Engine, client: Client, args: string[], w: ReplyWriter): void {
  const t = engineTx(engine);
  const c = clientTx(t, client);
  if (c.queue !== null) return w.error('ERR WATCH inside MULTI is not allowed');
  // Already dirty: EXEC fails anyway, no point in watching more.
  if (!c.dirtyCas) for (let i = 1; i < args.length; i++) watchKey(t, c, client.db, args[i]!);
  w.simple('OK');
}

/** UNWATCH: forgets every watched key and the dirty state they caused. */
export function unwatch(engine: Engine, client: Client, w: ReplyWriter): void {
  const t = engineTx(engine);
  const c = t.clients.get(client);
  if (c !== undefined) {
    unwatchAll(t, c);
    c.dirtyCas = false;
    if (!c.dirtyExec) client.ctxFlags &= ~CTX_FLAGS_MULTI_DIRTY;
  }
  w.simple('OK');
}

/**
 * EXEC: runs the queue through engine.execute, replying an array of the replies; EXECABORT
 * when a command was refused while queueing; a null array when a watched key changed.
 * Returns a Promise only if a queued command blocked anyway.
 */
export function exec(engine: Engine, client: Client, w: ReplyWriter): void | Promise<void> {
  const t = engineTx(engine);
  const c = t.clients.get(client);
  if (c === undefined || c.queue === null) return w.error('ERR EXEC without MULTI');
  if (!c.dirtyCas && !c.dirtyExec && watchedKeyExpired(t, c)) setDirtyCas(t, c);
  if (c.dirtyExec || c.dirtyCas) {
    if (c.dirtyExec) w.error(EXECABORT);
    else w.nullArray();
    discardTransaction(t, c);
    return;
  }
  const queue = c.queue;
  unwatchAll(t, c);
  c.executing = true;
  const saved = client.ctxFlags & (CTX_FLAGS_MULTI | CTX_FLAGS_DENY_BLOCKING);
  client.ctxFlags |= CTX_FLAGS_MULTI | CTX_FLAGS_DENY_BLOCKING;
  // The queued commands count their own errors; EXEC itself succeeded (Valkey counts
  // neither a failed call nor the error again for EXEC).
  const errorsBefore = w.errorCount;
  const finish = () => {
    client.ctxFlags = (client.ctxFlags & ~(CTX_FLAGS_MULTI | CTX_FLAGS_DENY_BLOCKING)) | saved;
    if (c.queue === queue) discardTransaction(t, c);
    else c.executing = false;
    (w as { errorCount: number }).errorCount = errorsBefore;
  };
  w.array(queue.length);
  let i = 0;
  try {
    for (; i < queue.length; i++) {
      const done = engine.execute(client, queue[i]!, w);
      if (done) return runRest(engine, client, w, queue, i, done, finish);
    }
  } catch (err) {
    finish();
    throw err;
  }
  finish();
}

/** The rest of EXEC after a queued command returned a Promise (it blocked regardless). */
async function runRest(
  engine: Engine,
  client: Client,
  w: ReplyWriter,
  queue: string[][],
  at: number,
  pending: Promise<void>,
  finish: () => void,
): Promise<void> {
  try {
    await pending;
    for (let i = at + 1; i < queue.length; i++) {
      const done = engine.execute(client, queue[i]!, w);
      if (done) await done;
    }
  } finally {
    finish();
  }
}
