/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] | SHUTDOWN ABORT.
 *
 * The command parses and checks its flags as Valkey does, then hands over to the shutdown
 * handler the server's startup installed (src/server/main.ts); an embedded engine has
 * none and refuses. When the handler proceeds the process exits and the client gets no
 * reply, as with Valkey.
 */
import type { Engine } from '../engine/engine.js';
import { LL_WARNING } from '../engine/log.js';
import type { CommandDef } from './table.js';
import { cmd, Errors } from './define.js';

/** Shutdown flags (Valkey's SHUTDOWN_* values, also used by shutdown-on-sigterm/sigint). */
export const SHUTDOWN_NOFLAGS = 0;
export const SHUTDOWN_SAVE = 1;
export const SHUTDOWN_NOSAVE = 2;
export const SHUTDOWN_NOW = 4;
export const SHUTDOWN_FORCE = 8;

/** Valkey's reply when the shutdown could not proceed (the log says why). */
export const SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';

/** VALKEYMODULE_CTX_FLAGS_DENY_BLOCKING: the client may not block (MULTI, scripts, modules). */
const CTX_FLAGS_DENY_BLOCKING = 1 << 21;

/** What the server does on SHUTDOWN. */
export interface ShutdownHandler {
  /**
   * Shuts the server down with the given flags. Returns undefined when the server is
   * exiting (no reply is sent), or the error reply when it keeps running.
   */
  shutdown(flags: number): string | undefined;
  /** Cancels a shutdown in progress; false when none is (default: none ever is). */
  abort?(): boolean;
}

const handlers = new WeakMap<Engine, ShutdownHandler>();
const savers = new WeakMap<Engine, () => boolean>();

/** Installs (or, with undefined, removes) the engine's shutdown handler. */
export function setShutdownHandler(engine: Engine, handler: ShutdownHandler | undefined): void {
  if (handler) handlers.set(engine, handler);
  else handlers.delete(engine);
}

/**
 * Installs the final save a shutdown performs when save points are configured or SAVE is
 * given (the persistence layer sets it); it returns false when saving failed.
 */
export function setShutdownSaver(engine: Engine, save: (() => boolean) | undefined): void {
  if (save) savers.set(engine, save);
  else savers.delete(engine);
}

/** The engine's final-save function, if the persistence layer installed one. */
export function shutdownSaver(engine: Engine): (() => boolean) | undefined {
  return savers.get(engine);
}

export const shutdownCommands: CommandDef[] = [
  cmd('shutdown', ({ engine, client, args, w }) => {
    let flags = SHUTDOWN_NOFLAGS;
    let abort = false;
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!.toLowerCase();
      if (a === 'nosave') flags |= SHUTDOWN_NOSAVE;
      else if (a === 'save') flags |= SHUTDOWN_SAVE;
      else if (a === 'now') flags |= SHUTDOWN_NOW;
      else if (a === 'force') flags |= SHUTDOWN_FORCE;
      else if (a === 'abort') abort = true;
      else return w.error(Errors.syntax);
    }
    if ((abort && flags !== SHUTDOWN_NOFLAGS) || (flags & SHUTDOWN_NOSAVE && flags & SHUTDOWN_SAVE)) {
      return w.error(Errors.syntax);
    }
    const handler = handlers.get(engine);
    if (abort) {
      if (handler?.abort?.()) return w.simple('OK');
      return w.error('ERR No shutdown in progress.');
    }
    if (!(flags & SHUTDOWN_NOW) && client.ctxFlags & CTX_FLAGS_DENY_BLOCKING) {
      return w.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    }
    if (!handler) {
      engine.logger.log(LL_WARNING, 'SHUTDOWN refused: this engine is embedded, there is no server process to stop.');
      return w.error(SHUTDOWN_FAILED);
    }
    const err = handler.shutdown(flags);
    if (err !== undefined) w.error(err);
  }),
];
