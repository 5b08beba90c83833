/**
 * Module authentication, TypeScript side (native/api/auth.cc): key bridge operations
 * 1050-1059 (routed by key-ops-blocking.ts) and the auth chain AUTH / HELLO AUTH run through
 * src/server/acl.ts (aclAuthenticateWithModules).
 *
 * The first RegisterAuthCallback of an engine installs the chain. Each attempt is one
 * crossing that runs the callbacks (most recent first) until one handles it. A callback that
 * called BlockClientOnAuth blocks the client here (engine.blocking: INFO blocked_clients,
 * CLIENT KILL); when the module releases the handle (UnblockClient from any thread, or
 * AbortBlock), the native drain hands it back, its auth reply callback decides, and a
 * NOT_HANDLED answer goes on with the callbacks registered before the blocking one, then the
 * password.
 */
import type { Engine } from '../engine/engine.js';
import type { BlockedHandle } from '../engine/blocking.js';
import type { CommandContext } from '../commands/table.js';
import type { ReplyWriter } from '../protocol/writer.js';
import { aclModuleAuthCount, setModuleAuthHook, WRONGPASS_ERROR, type ModuleAuthOutcome } from '../server/acl.js';
import { decodeTape } from './tape.js';

/** RegisterAuthCallback registered the host's first callback: () -> true. */
const KOP_AUTH_REGISTERED = 1050;

// Operations of the addon's blocked(op, ...) method (native/api/auth.cc, host/blocked.h).
const OP_GONE = 5;
const OP_AUTH_RUN = 20;
const OP_AUTH_REPLY = 21;
const OP_AUTH_HOOK = 22;

// First element of what OP_AUTH_RUN / OP_AUTH_REPLY return.
const HANDLED = 0;
const NOT_HANDLED = 1;
const BLOCKED = 3;

/** [HANDLED, the module's error text, its context's replies] | [NOT_HANDLED] |
 *  [BLOCKED, handle id, the blocking callback's registration number]. */
type NativeAuthResult = [number, (string | number | null)?, (Buffer | number | null)?];

const installed = new WeakSet<Engine>();

/** Serves a module authentication key bridge operation. */
export function authKeyOp(engine: Engine, op: number, _db: number, _key: string, _a: unknown, _b: unknown): unknown {
  if (op === KOP_AUTH_REGISTERED) {
    installModuleAuth(engine);
    return true;
  }
  return undefined;
}

/** A module's error text as Valkey's addReplyError sends it (`-ERR ` unless it has its own code). */
function moduleError(err: string, w: ReplyWriter): void {
  w.error(err.startsWith('-') ? err.slice(1) : `ERR ${err}`);
}

/**
 * What a handled (or not handled) callback result means for the attempt. `before`: the
 * client's module-authentication count before the callback ran; a change means the callback
 * authenticated the client.
 */
function outcomeOf(ctx: CommandContext, r: NativeAuthResult, before: number): ModuleAuthOutcome {
  if (r[0] !== HANDLED) return { kind: 'not_handled' };
  if (aclModuleAuthCount(ctx.client) !== before) return { kind: 'ok' };
  const err = r[1] as string | null;
  const tape = r[2] as Buffer | null;
  return {
    kind: 'denied',
    write(w) {
      // A refused block (BlockClient during auth, BlockClientOnAuth inside MULTI) replied its
      // error through the callback's context: that is the command's reply.
      if (tape !== null && tape.length > 0) decodeTape(tape, 0, tape.length, w);
      else if (err !== null) moduleError(err, w);
      else w.error(WRONGPASS_ERROR);
    },
  };
}

/** Installs an engine's module auth chain (idempotent). */
function installModuleAuth(engine: Engine): void {
  if (installed.has(engine)) return;
  installed.add(engine);
  const native = engine.registry.native;
  /** Auth handles whose client is blocked, by handle id: what to do once the module released it. */
  const waiting = new Map<number, () => void>();
  native.blocked(OP_AUTH_HOOK, (id: number): boolean => {
    const next = waiting.get(id);
    if (next === undefined) return false;
    waiting.delete(id);
    next();
    return true;
  });

  setModuleAuthHook(engine, (ctx, username, password) => {
    const client = ctx.client;
    const run = (resume: number): ModuleAuthOutcome | Promise<ModuleAuthOutcome> => {
      const before = aclModuleAuthCount(client);
      const r = native.blocked(
        OP_AUTH_RUN, client.id, client.proto, client.db, client.ctxFlags, username, password, resume,
      ) as NativeAuthResult;
      if (r[0] !== BLOCKED) return outcomeOf(ctx, r, before);
      const id = r[1] as number;
      const seq = r[2] as number;
      return new Promise<ModuleAuthOutcome>((resolve) => {
        let handle: BlockedHandle | undefined;
        waiting.set(id, () => {
          // The auth reply callback runs first (it frees the handle), whatever happens next.
          const before2 = aclModuleAuthCount(client);
          const rr = native.blocked(
            OP_AUTH_REPLY, id, client.id, client.proto, client.db, client.ctxFlags, username, password,
          ) as NativeAuthResult;
          handle?.unblock(() => {});
          // NOT_HANDLED: the callbacks registered before the blocking one, then the password.
          const next = rr[0] === NOT_HANDLED ? run(seq) : outcomeOf(ctx, rr, before2);
          if (next instanceof Promise) next.then(resolve, () => resolve({ kind: 'gone' }));
          else resolve(next);
        });
        try {
          handle = engine.blocking.block(ctx, {
            keys: [],
            deadline: 0,
            // No timeout callback: CLIENT UNBLOCK answers 0 for it (Valkey).
            mayTimeout: false,
            onTimeout: () => {},
            onDisconnect: () => {
              waiting.delete(id);
              native.blocked(OP_GONE, id, true);
              resolve({ kind: 'gone' });
            },
          }).handle;
        } catch (err) {
          // The client cannot block (already blocked): the handle loses its client.
          waiting.delete(id);
          native.blocked(OP_GONE, id, false);
          const message = (err as Error).message;
          resolve({ kind: 'denied', write: (w) => w.error(`ERR ${message}`) });
        }
      });
    };
    return run(0);
  });
}
