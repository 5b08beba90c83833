/**
 * BGREWRITEAOF, and the hook that makes CONFIG SET appendonly switch the AOF on and off.
 */
import type { CommandDef } from './table.js';
import { cmd } from './define.js';
import { inExec } from '../server/multi.js';
import { aofHooks, aofOf } from '../persistence/aof.js';
import { configApplyHooks } from '../engine/config.js';

/** Valkey's error when CONFIG SET appendonly yes cannot start the AOF. */
const AOF_START_FAILED = "CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.";

// appendonly yes/no at run time: startAppendOnly / stopAppendOnly (not while a server boots:
// the startup code opens the AOF after loading the dataset).
configApplyHooks.appendonly = (engine, on) => {
  const aof = aofOf(engine);
  if (aof.booting) return;
  if (on && aof.state === 'off') {
    if (!aof.start()) throw new Error(AOF_START_FAILED);
  } else if (!on && aof.state !== 'off') {
    aof.stop();
  }
};

export const aofCommands: CommandDef[] = [
  cmd('bgrewriteaof', ({ engine, client, w }) => {
    const aof = aofOf(engine);
    if (aof.rewriting) return w.error('ERR Background append only file rewriting already in progress');
    if (inExec(client) || aofHooks.otherChildActive?.(engine)) {
      aof.scheduleRewrite();
      return w.simple('Background append only file rewriting scheduled');
    }
    if (aof.rewriteBackground() === 'started') return w.simple('Background append only file rewriting started');
    return w.error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
  }),
];
