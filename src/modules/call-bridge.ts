/**
 * The call bridge: what native code asks of the engine for ValkeyModule_Call and the
 * replication API (native/api/call.cc, native/api/replication.cc). One crossing per API call:
 *
 * The command line comes last: its strings as arguments (up to 16 of them), or one array.
 *
 *   call(OP_CALL, flags, clientId, db, resp, ...argv)
 *       Runs a command as ValkeyModule_Call does: Valkey's checks in Valkey's order (command
 *       lookup, arity, script mode, OOM, no-writes, script-mode write checks, ACL with `C`,
 *       dry run), then `engine.execute` on a fake client that uses the caller's database, the
 *       requested protocol, no ACL user unless `C`, and DENY_BLOCKING unless `K`. Returns
 *         Buffer                      the reply, as RESP bytes (native parses it);
 *         [0, Buffer, errors]         the same, with the error replies it produced (Valkey
 *                                     defers their error statistics to ReplyWithCallReply);
 *         [code, errorProto | null]   refused before running: CALL_E* code (native sets errno)
 *                                     and, with `E`, the error reply as RESP bytes;
 *         null                        a dry run (`D`) that passed every check.
 *   call(OP_CALL_AS_USER, flags, clientId, db, resp, handle, ...argv)
 *       The same, for a context with a user (ValkeyModule_SetContextUser): `handle` (a module
 *       user handle of key-ops-acl.ts, as a decimal string) is the user `C` checks as,
 *       instead of the client's.
 *   call(OP_REPLICATE, flags, clientId, db, 0, ...argv)  ValkeyModule_Replicate: false when
 *                                                        argv[0] names no command.
 *   call(OP_VERBATIM, 0, clientId, db, 0, ...argv)       ValkeyModule_ReplicateVerbatim.
 *   call(OP_COUNT_ERRORS, 0, 0, 0, 0, ...errors)         statistics of a forwarded reply's errors.
 *   call(OP_PROMISE_BIND, 0, id, 0, 0, settle)           where promise `id` reports: settle(reply
 *                                                        Buffer, db) once, when its command completes.
 *   call(OP_PROMISE_ABORT, 0, id, 0, 0)                  ValkeyModule_CallReplyPromiseAbort: true
 *                                                        when the command was still blocked (it is
 *                                                        dropped; settle is never called then).
 *
 * A call with `K` whose command blocks returns a promise id (a number) instead of a reply:
 * the command stays blocked on its fake client, and when the blocking machinery finishes it
 * (served, timed out, unblocked by the module) its reply goes to the bound settle function.
 *
 * Flags are Valkey's VALKEYMODULE_ARGV_* bits (the format modifiers), plus CALL_THREAD_SAFE.
 */
import type { Engine } from '../engine/engine.js';
import type { CommandDef } from '../commands/table.js';
import { Errors } from '../commands/define.js';
import { Client } from '../server/client.js';
import { RespWriter } from '../protocol/resp-writer.js';
import { CTX_FLAGS_DENY_BLOCKING } from '../server/multi.js';
import { configOf } from '../engine/config.js';
import { LL_WARNING } from '../engine/log.js';
import { PROPAGATE_AOF, PROPAGATE_ALL, PROPAGATE_NONE, PROPAGATE_REPL } from '../engine/propagation.js';
import { aclOf, AclUser, ACL_OK, ACL_DENIED_CMD, ACL_LOG_CTX_MODULE } from '../server/acl.js';
import { moduleUserOf } from './key-ops-acl.js';

// Operations (mirrored in native/api/call.cc).
export const OP_CALL = 0;
export const OP_REPLICATE = 1;
export const OP_VERBATIM = 2;
export const OP_COUNT_ERRORS = 3;
export const OP_CALL_AS_USER = 4;
export const OP_PROMISE_BIND = 5;
export const OP_PROMISE_ABORT = 6;

// Format modifiers (Valkey's VALKEYMODULE_ARGV_* values).
export const ARGV_REPLICATE = 1 << 0; // !
export const ARGV_NO_AOF = 1 << 1; // A
export const ARGV_NO_REPLICAS = 1 << 2; // R
export const ARGV_RESP_3 = 1 << 3; // 3
export const ARGV_RESP_AUTO = 1 << 4; // 0
export const ARGV_RUN_AS_USER = 1 << 5; // C
export const ARGV_SCRIPT_MODE = 1 << 6; // S
export const ARGV_NO_WRITES = 1 << 7; // W
export const ARGV_CALL_REPLIES_AS_ERRORS = 1 << 8; // E
export const ARGV_RESPECT_DENY_OOM = 1 << 9; // M
export const ARGV_DRY_RUN = 1 << 10; // D
export const ARGV_ALLOW_BLOCK = 1 << 11; // K
export const ARGV_REPLY_EXACT = 1 << 12; // X
/** Not a modifier: the calling context is a thread-safe one. */
export const CALL_THREAD_SAFE = 1 << 16;

// Failure codes (native maps them to errno values).
export const CALL_ENOENT = 1;
export const CALL_EINVAL = 2;
export const CALL_ENOTSUP = 3;
export const CALL_ESPIPE = 4;
export const CALL_ENOSPC = 5;
export const CALL_EACCES = 6;

// Command flag bits looked at here (cached per command).
const F_WRITE = 1;
const F_DENYOOM = 2;
const F_NOSCRIPT = 4;
const F_KNOWN = 1 << 30;

const OOM_ERROR = "-OOM command not allowed when used memory > 'maxmemory'.";
const NOREPLICAS_ERROR = '-NOREPLICAS Not enough good replicas to write.';
const NO_USER_ERROR = "ERR cannot run as user, no user directly attached to context or context's client";

/** Commands after which a fake client carries state worth not reusing. */
const STATEFUL = new Set(['multi', 'watch', 'subscribe', 'psubscribe', 'ssubscribe', 'auth', 'hello', 'client', 'reset']);

/** Per engine: the fake clients ValkeyModule_Call is running commands on right now
 *  (innermost last), with the ACL user `C` attached to each (null: none, the unrestricted
 *  user). */
interface Running {
  clients: Client[];
  users: (AclUser | null)[];
}
const running = new WeakMap<Engine, Running>();

/** Whether a client is one of ValkeyModule_Call's fake clients (it runs as the unrestricted
 *  user unless the call used `C`; Valkey's call() does no ACL check of its own for it). */
export function isModuleCallClient(client: Client): boolean {
  return running.get(client.engine)?.clients.includes(client) ?? false;
}

/** The ACL user a fake client runs as (`C`), or null for the unrestricted user. */
export function moduleCallUser(client: Client): AclUser | null {
  const r = running.get(client.engine);
  const i = r ? r.clients.lastIndexOf(client) : -1;
  return i >= 0 ? r!.users[i]! : null;
}

/** RespWriter's fields, read to hand its bytes over without the copy take() makes. */
interface WriterInternals {
  buf?: Buffer;
  len?: number;
}

/**
 * The bytes a writer holds, as a view of its own buffer, and the writer emptied: native code
 * copies them before JS runs again. Falls back to take() (a copy) should RespWriter's fields
 * change. (A `view()` method on RespWriter would make this official.)
 */
function takeBytes(w: RespWriter): Buffer {
  const wi = w as unknown as WriterInternals;
  const buf = wi.buf;
  const len = wi.len;
  if (buf !== undefined && Buffer.isBuffer(buf) && len === w.length) {
    wi.len = 0;
    return buf.subarray(0, len);
  }
  return w.take();
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

/** An error reply as RESP bytes (latin1): "-" and the message (which carries its code, as
 *  "ERR ..."; one already starting with '-' is kept as is), CR/LF made spaces. */
function errorProto(message: string): string {
  const m = message.replace(/[\r\n]/g, ' ');
  return m.charCodeAt(0) === 45 /* - */ ? `${m}\r\n` : `-${m}\r\n`;
}

export type CallBridge = (op: number, flags: number, clientId: number, db: number, resp: number, ...argv: (string | string[])[]) => unknown;

/** A command a `K` call left blocked (a PROMISE reply on the native side). */
interface PendingPromise {
  client: Client;
  w: RespWriter;
  def: CommandDef;
  settle?: (reply: Buffer, db: number) => void;
}

/** Builds the bridge for an engine (the addon calls it; see NativeHostHooks.call). */
export function createCallBridge(engine: Engine): CallBridge {
  const flagCache = new WeakMap<CommandDef, number>();
  const pool: Client[] = [];
  const writers: RespWriter[] = [];
  let depth = 0;

  function commandFlags(def: CommandDef): number {
    let f = flagCache.get(def);
    if (f === undefined) {
      f = F_KNOWN;
      for (const w of def.flags) {
        if (w === 'write') f |= F_WRITE;
        else if (w === 'denyoom') f |= F_DENYOOM;
        else if (w === 'noscript') f |= F_NOSCRIPT;
      }
      flagCache.set(def, f);
    }
    return f;
  }

  function writerFor(level: number, resp: number): RespWriter {
    const i = level * 2 + (resp === 3 ? 1 : 0);
    let w = writers[i];
    if (w === undefined) {
      w = new RespWriter(resp === 3 ? 3 : 2, 1024);
      writers[i] = w;
    }
    return w;
  }

  /** The user fake clients run as in the engine's ACL gate: unrestricted, as Valkey's call()
   *  does no ACL check (a `C` call is checked here, before it runs). */
  let unrestricted: AclUser | undefined;

  function acquire(): Client {
    const c = pool.pop();
    if (c !== undefined) return c;
    // A client id of its own; not registered: like Valkey's temporary module clients it
    // cannot be found by id.
    const fresh = engine.client();
    engine.unregisterClient(fresh);
    if (unrestricted === undefined) {
      unrestricted = new AclUser('default', false);
      unrestricted.enabled = true;
      unrestricted.unrestricted = true;
    }
    const ca = aclOf(engine).clientAcl(fresh);
    ca.user = unrestricted;
    ca.authenticated = true;
    return fresh;
  }

  function release(c: Client, def: CommandDef): void {
    if (c.channels.size || c.patterns.size || c.shardChannels.size) {
      engine.pubsub.dropAll(c);
      return;
    }
    if (def.module === undefined && STATEFUL.has((def.parent ?? def).name)) return;
    c.name = '';
    pool.push(c);
  }

  // Error replies of a called command are not error statistics yet: Valkey counts them when
  // (if) the module forwards the reply (ValkeyModule_ReplyWithCallReply). While calls run,
  // the engine's errorReply collects into the innermost call's list instead.
  const errorLists: string[][] = [];
  let realErrorReply: ((message: string) => void) | undefined;
  function collectError(message: string): void {
    errorLists[depth - 1]!.push(message);
  }

  /** A refusal: the code, and with `E` the error reply. */
  function refuse(code: number, flags: number, message: string): [number, string | null] {
    return [code, flags & ARGV_CALL_REPLIES_AS_ERRORS ? errorProto(message) : null];
  }

  /** Used memory as INFO reports it (heap + external). */
  function overMaxmemory(): boolean {
    const max = Number(configOf(engine).maxmemory);
    if (!max) return false;
    const m = process.memoryUsage();
    return m.heapUsed + m.external > max;
  }

  const active: Running = { clients: [], users: [] };
  running.set(engine, active);

  /** Commands `K` calls left blocked, by promise id. */
  const promises = new Map<number, PendingPromise>();
  let nextPromiseId = 1;

  /** A promise's command finished (its reply is in its writer): the fake client goes back to
   *  the pool and the reply to the native side. */
  function settlePromise(id: number): void {
    const p = promises.get(id);
    if (p === undefined) return;
    promises.delete(id);
    const bytes = p.w.take();
    const db = p.client.db;
    release(p.client, p.def);
    p.settle?.(bytes, db);
  }

  /** A running fake client by id. */
  function activeIndex(clientId: number): number {
    for (let i = active.clients.length - 1; i >= 0; i--) if (active.clients[i]!.id === clientId) return i;
    return -1;
  }

  /** The ACL user a context runs `C` calls as: its client's user, or none. */
  function contextUser(clientId: number): AclUser | null {
    if (clientId === 0) return null;
    const real = engine.clientById(clientId);
    if (real !== undefined) return aclOf(engine).clientAcl(real).user;
    // A fake client: the user its own call ran as (none unless that call used `C`).
    const i = activeIndex(clientId);
    return i >= 0 ? active.users[i]! : null;
  }

  /** `ctxUser`: the context's own user (SetContextUser), null when it has none (or its
   *  handle is gone), undefined to use the client's user. */
  function call(
    argv: string[],
    flags: number,
    clientId: number,
    db: number,
    resp: number,
    ctxUser?: AclUser | null,
  ): unknown {
    // `C` without a user to run as.
    let user: AclUser | null = null;
    if (flags & ARGV_RUN_AS_USER) {
      const u = ctxUser !== undefined ? ctxUser : contextUser(clientId);
      if (!u) return refuse(CALL_ENOTSUP, flags, NO_USER_ERROR);
      user = u;
    }

    // Lookup and arity, as Valkey's lookupCommand / commandCheckExistence / commandCheckArity.
    const name = argv[0]!;
    let def = engine.commands.get(name);
    if (def === undefined) {
      let rest = '';
      for (let i = 1; i < argv.length && rest.length < 128; i++) rest += `'${clip(argv[i]!, 128 - rest.length)}' `;
      return refuse(CALL_ENOENT, flags, `ERR unknown command '${clip(name, 128)}', with args beginning with: ${rest}`);
    }
    if (def.subcommands && argv.length > 1) {
      const sub = def.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        return refuse(CALL_ENOENT, flags, `ERR unknown subcommand '${clip(argv[1]!, 128)}'. Try ${name.toUpperCase()} HELP.`);
      }
      def = sub;
    }
    const arity = def.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      return refuse(CALL_EINVAL, flags, Errors.wrongArity(def.fullname));
    }

    const cf = commandFlags(def);
    if (flags & ARGV_SCRIPT_MODE && cf & F_NOSCRIPT) {
      return refuse(CALL_ESPIPE, flags, `ERR command '${def.fullname}' is not allowed on script mode`);
    }
    if (flags & ARGV_RESPECT_DENY_OOM && cf & F_DENYOOM && overMaxmemory()) {
      return refuse(CALL_ENOSPC, flags, OOM_ERROR);
    }
    if (flags & ARGV_NO_WRITES && cf & F_WRITE) {
      return refuse(CALL_ENOSPC, flags, `ERR Write command '${def.fullname}' was called while write is not allowed.`);
    }
    if (flags & ARGV_SCRIPT_MODE && cf & F_WRITE) {
      // No replica ever counts as good here: with min-replicas-to-write (and a max lag) set,
      // script-mode writes are refused. There is no persistence error state to check.
      const cfg = configOf(engine);
      if (cfg.number('min-replicas-to-write') > 0 && cfg.number('min-replicas-max-lag') > 0) {
        return refuse(CALL_ESPIPE, flags, NOREPLICAS_ERROR);
      }
    }
    if (user !== null) {
      const acl = aclOf(engine);
      const r = acl.check(user, def, argv);
      if (r !== ACL_OK) {
        const idx = acl.errorIndex;
        const object = r === ACL_DENIED_CMD ? def.fullname : argv[idx]!;
        const caller = engine.clientById(clientId) ?? active.clients[activeIndex(clientId)];
        if (caller) acl.addLogEntry(caller, r, ACL_LOG_CTX_MODULE, object, user.name, def.fullname);
        return refuse(CALL_EACCES, flags, `-NOPERM ${acl.denialMessage(r, user, def, argv[idx] ?? '', false)}`);
      }
    }
    if (flags & ARGV_DRY_RUN) return null;

    // Run it on a fake client.
    const c = acquire();
    c.db = db;
    if (c.proto !== resp) c.setProtocol(resp === 3 ? 3 : 2);
    c.ctxFlags = flags & ARGV_ALLOW_BLOCK ? 0 : CTX_FLAGS_DENY_BLOCKING;
    active.clients.push(c);
    active.users.push(user);

    const replicate = (flags & ARGV_REPLICATE) !== 0;
    const prop = engine.propagation;
    let callFlags = PROPAGATE_NONE;
    if (replicate) {
      if (!(flags & ARGV_NO_AOF)) callFlags |= PROPAGATE_AOF;
      if (!(flags & ARGV_NO_REPLICAS)) callFlags |= PROPAGATE_REPL;
    }
    prop.pushCall(c, callFlags);
    const prevAllowed = prop.allowed;
    prop.allowed = replicate && prevAllowed;

    const stats = engine.commandStats;
    if (depth === 0) {
      realErrorReply = stats.errorReply;
      stats.errorReply = collectError;
    }
    const errors = (errorLists[depth] ??= []);
    errors.length = 0;

    // A call that may block gets a writer of its own: the reply may come after later calls.
    const w = flags & ARGV_ALLOW_BLOCK ? new RespWriter(resp === 3 ? 3 : 2, 256) : writerFor(depth, resp);
    depth++;
    let done: void | Promise<void>;
    try {
      done = engine.execute(c, argv, w);
    } finally {
      depth--;
      if (depth === 0) stats.errorReply = realErrorReply!;
      prop.allowed = prevAllowed;
      prop.popCall();
      active.clients.pop();
      active.users.pop();
    }
    if (done) {
      done.catch(() => undefined);
      errors.length = 0;
      if (!engine.blocking.isBlocked(c)) {
        // Blocked outside the blocking machinery (nothing can finish it): no promise to give.
        engine.logger.log(LL_WARNING, `ValkeyModule_Call: '${def.fullname}' blocked and cannot be resumed`);
        w.take();
        return [CALL_ENOTSUP, null];
      }
      // The command stays blocked on its fake client: the caller gets a PROMISE.
      const id = nextPromiseId++;
      promises.set(id, { client: c, w, def });
      engine.blocking.onFinish(c, () => settlePromise(id));
      return id;
    }
    release(c, def);
    const bytes = takeBytes(w);
    return errors.length ? [0, bytes, errors.splice(0)] : bytes;
  }

  return (op, flags, clientId, db, resp, ...rest) => {
    if (op === OP_PROMISE_BIND) {
      const p = promises.get(clientId);
      if (p === undefined || typeof rest[0] !== 'function') return false;
      p.settle = rest[0] as unknown as PendingPromise['settle'];
      return true;
    }
    if (op === OP_PROMISE_ABORT) {
      const p = promises.get(clientId);
      if (p === undefined || !engine.blocking.isBlocked(p.client)) return false;
      // Unblocked without a reply; the fake client is not reused.
      promises.delete(clientId);
      engine.blocking.clientGone(p.client);
      return true;
    }
    // Short command lines come as arguments, long ones as one array.
    const argv = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as string[]) : (rest as string[]);
    try {
      switch (op) {
        case OP_CALL:
          return call(argv, flags, clientId, db, resp);
        case OP_CALL_AS_USER:
          return call(argv.slice(1), flags, clientId, db, resp, moduleUserOf(engine, Number(argv[0])) ?? null);
        case OP_REPLICATE: {
          // lookupCommandByCString: "name" or "container|sub".
          if (!engine.commands.has(argv[0]!)) return false;
          let target = PROPAGATE_NONE;
          if (!(flags & ARGV_NO_AOF)) target |= PROPAGATE_AOF;
          if (!(flags & ARGV_NO_REPLICAS)) target |= PROPAGATE_REPL;
          engine.propagation.add(db, argv, target);
          engine.dirty++;
          return true;
        }
        case OP_VERBATIM:
          if (argv.length > 0) engine.propagation.add(db, argv, PROPAGATE_ALL);
          engine.dirty++;
          return true;
        case OP_COUNT_ERRORS:
          for (const e of argv) engine.commandStats.errorReply(e);
          return true;
        default:
          return undefined;
      }
    } catch (err) {
      engine.logger.log(LL_WARNING, `call bridge failed: ${(err as Error).stack ?? err}`);
      return undefined;
    }
  };
}
