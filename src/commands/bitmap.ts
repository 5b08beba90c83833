/** bitmap commands (being written). */
import type { CommandDef } from './table.js';

export const bitmapCommands: CommandDef[] = [];
