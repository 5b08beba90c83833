/**
 * The engine's log, in Valkey's format: `pid:M dd Mon yyyy hh:mm:ss.mmm <c> message`
 * where <c> is `.` debug, `-` verbose, `*` notice, `#` warning.
 */
import fs from 'node:fs';

export const LL_DEBUG = 0;
export const LL_VERBOSE = 1;
export const LL_NOTICE = 2;
export const LL_WARNING = 3;

const LEVEL_NAMES = ['debug', 'verbose', 'notice', 'warning'] as const;
export type LogLevelName = (typeof LEVEL_NAMES)[number];
const LEVEL_CHARS = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Where log lines go: stdout, a file path, nothing, or a function. */
export type LogTarget = 'stdout' | 'silent' | { file: string } | ((line: string, level: number) => void);

/** Parses a loglevel name; returns undefined for an unknown one. */
export function parseLogLevel(name: string): number | undefined {
  const i = (LEVEL_NAMES as readonly string[]).indexOf(name.toLowerCase());
  return i < 0 ? undefined : i;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Formats one line exactly as Valkey does (role M: primary). */
export function formatLogLine(level: number, message: string, now = new Date()): string {
  const ts =
    `${pad(now.getDate())} ${MONTHS[now.getMonth()]} ${now.getFullYear()} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
  return `${process.pid}:M ${ts} ${LEVEL_CHARS[level] ?? '*'} ${message}`;
}

/** A Valkey-style logger that also remembers its recent lines (for tests and errors). */
export class Logger {
  level: number;
  private target: LogTarget;
  private recent: string[] = [];
  private static readonly KEEP = 200;

  constructor(target: LogTarget = 'silent', level: number = LL_NOTICE) {
    this.target = target;
    this.level = level;
  }

  /** Logs `message` at `level` (dropped below the configured level). */
  log(level: number, message: string): void {
    if (level < this.level) return;
    this.recent.push(message);
    if (this.recent.length > Logger.KEEP) this.recent.splice(0, this.recent.length - Logger.KEEP);
    const t = this.target;
    if (t === 'silent') return;
    if (typeof t === 'function') {
      t(formatLogLine(level, message), level);
      return;
    }
    const line = formatLogLine(level, message) + '\n';
    if (t === 'stdout') fs.writeSync(1, line);
    else fs.appendFileSync(t.file, line);
  }

  /** The messages (without the prefix) logged recently, oldest first. */
  lines(): string[] {
    return this.recent.slice();
  }
}
