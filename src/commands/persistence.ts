/**
 * SAVE and BGSAVE [SCHEDULE|CANCEL] (LASTSAVE lives with the server commands). The saving
 * itself is src/persistence/rdb-save.ts.
 */
import type { CommandDef, CommandContext } from './table.js';
import { cmd, Errors } from './define.js';
import { inExec } from '../server/multi.js';
import { killBgsave, persistenceOf, rdbSave, rdbSaveBackground } from '../persistence/rdb-save.js';

/** SAVE: a synchronous save; `OK`, or `ERR` when it failed (the log says why). */
function save(ctx: CommandContext): void {
  const { engine, w } = ctx;
  const st = persistenceOf(engine);
  if (st.bgsave) return w.error('ERR Background save already in progress');
  if (rdbSave(engine)) w.simple('OK');
  else w.error('ERR');
}

/** BGSAVE [SCHEDULE|CANCEL] (bgsaveCommand). */
function bgsave(ctx: CommandContext): void {
  const { engine, client, args, w } = ctx;
  const st = persistenceOf(engine);
  let schedule = false;
  if (args.length > 1) {
    const opt = args.length === 2 ? args[1]!.toLowerCase() : '';
    if (opt === 'schedule') schedule = true;
    else if (opt === 'cancel') {
      if (st.bgsave) {
        killBgsave(engine);
        return w.simple('Background saving cancelled');
      }
      if (st.scheduled) {
        st.scheduled = false;
        return w.simple('Scheduled background saving cancelled');
      }
      return w.error('ERR Background saving is currently not in progress or scheduled');
    } else return w.error(Errors.syntax);
  }
  if (st.bgsave) return w.error('ERR Background save already in progress');
  const executing = inExec(client);
  if (st.otherChildActive?.() || executing) {
    if (schedule || executing) {
      st.scheduled = true;
      return w.simple('Background saving scheduled');
    }
    return w.error(
      "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    );
  }
  const err = rdbSaveBackground(engine);
  if (err !== undefined) return w.error(err);
  w.simple('Background saving started');
}

export const persistenceCommands: CommandDef[] = [cmd('save', save), cmd('bgsave', bgsave)];
