/**
 * Bridge operations of the command filter API area (native/api/filters.cc).
 *
 *   800 FOP_INSTALL (a: runner)  installs the engine hook (once per engine) that hands every
 *                                command line to the native filters in ONE call:
 *                                runner(clientId, fromModuleCall, argv) -> new argv | undefined
 *   801 FOP_UNINSTALL ()         removes the hook (the host has no filter left)
 */
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';
import { isModuleCallClient } from './call-bridge.js';

export const FOP_INSTALL = 800;
export const FOP_UNINSTALL = 801;

type Runner = (clientId: number, fromModuleCall: boolean, argv: string[]) => string[] | undefined;
type Hook = (client: Client, args: string[]) => string[];

const hooks = new WeakMap<Engine, Hook>();

/** Runs one filters bridge operation; `key` may be null. */
export function filtersKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void db; void key; void b;
  switch (op) {
    case FOP_INSTALL: {
      if (hooks.has(engine)) return true;
      const run = a as Runner;
      const hook: Hook = (client, args) => {
        const out = run(client.id, isModuleCallClient(client), args);
        if (out === undefined) return args;
        // Every argument deleted: an empty command name (an unknown command).
        return out.length === 0 ? [''] : out;
      };
      hooks.set(engine, hook);
      engine.commandFilters.push(hook);
      return true;
    }
    case FOP_UNINSTALL: {
      const hook = hooks.get(engine);
      if (!hook) return false;
      hooks.delete(engine);
      const i = engine.commandFilters.indexOf(hook);
      if (i >= 0) engine.commandFilters.splice(i, 1);
      return true;
    }
    default:
      return undefined;
  }
}
