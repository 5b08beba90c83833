/** Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH (state in server/multi.ts). */
import { cmd } from './define.js';
import type { CommandDef } from './table.js';
import { discard, exec, multi, unwatch, watch } from '../server/multi.js';

export const transactionCommands: CommandDef[] = [
  cmd('multi', ({ engine, client, w }) => multi(engine, client, w)),
  cmd('exec', ({ engine, client, w }) => exec(engine, client, w)),
  cmd('discard', ({ engine, client, w }) => discard(engine, client, w)),
  cmd('watch', ({ engine, client, args, w }) => watch(engine, client, args, w)),
  cmd('unwatch', ({ engine, client, w }) => unwatch(engine, client, w)),
];
