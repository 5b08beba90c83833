/**
 * The one list of known differences between Valkey (what we implement) and Debian's Redis
 * 7.0 (the oracle), with the reason for each. The runner consults it for every reply: an
 * entry either skips the comparison or gives Valkey's expected reply bytes.
 */
export interface DiffException {
  /** Why Valkey's reply differs from Redis 7.0's. */
  reason: string;
  /** Matches a command (its arguments as strings) and Redis's reply. */
  match: (cmd: string[], redisReply: string) => boolean;
  /** Skip the comparison (e.g. the reply is Redis-version specific). */
  skip?: boolean;
  /** Valkey's exact reply bytes, when computable from the case. */
  valkey?: (cmd: string[], redisReply: string) => string;
}

const upper = (cmd: string[]) => (cmd[0] ?? '').toUpperCase();

export const EXCEPTIONS: DiffException[] = [
  {
    reason: 'OBJECT ENCODING: Valkey 8 encodes small lists and sets as listpack (Redis 7.0: quicklist, hashtable)',
    match: (cmd) => upper(cmd) === 'OBJECT' && (cmd[1] ?? '').toUpperCase() === 'ENCODING',
    skip: true,
  },
];

/** The exception covering this case, if any (with `valkey` resolved to bytes). */
export function exceptionFor(cmd: string[], redisReply: string): { skip?: boolean; valkey?: string } | undefined {
  for (const e of EXCEPTIONS) {
    if (!e.match(cmd, redisReply)) continue;
    if (e.skip) return { skip: true };
    if (e.valkey) return { valkey: e.valkey(cmd, redisReply) };
  }
  return undefined;
}
