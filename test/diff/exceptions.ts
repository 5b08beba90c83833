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
  {
    reason: 'DUMP: Valkey 8 writes RDB version 11 (Redis 7.0: 10), so the footer and CRC always differ, and small sets/streams use 7.2+ encodings',
    match: (cmd, r) => upper(cmd) === 'DUMP' && r.startsWith('$') && !r.startsWith('$-1'),
    skip: true,
  },
  {
    reason: 'RESTORE of an RDB version 11 payload: Valkey 8 accepts it (Redis 7.0: version too new)',
    match: (cmd, r) =>
      upper(cmd) === 'RESTORE' &&
      r.startsWith('-ERR DUMP payload version') &&
      /\x0b\x00[\s\S]{1,8}$/.test(cmd[3] ?? ''), // version 11 (LE) before the CRC
    skip: true,
  },
  // ACL: Valkey 8.1 against Redis 7.0.
  {
    reason: 'ACL HELP: Valkey words SETUSER as "<rule> [<rule> ...]" / "rules" (Redis 7.0: attribute), footer "Print this help."',
    match: (cmd) => upper(cmd) === 'ACL' && (cmd[1] ?? '').toUpperCase() === 'HELP',
    valkey: (_cmd, r) =>
      r
        .replace('<attribute> [<attribute> ...]', '<rule> [<rule> ...]')
        .replace('with the specified attributes.', 'with the specified rules.')
        .replace(/\+    Prints this help\.\r\n$/, '+    Print this help.\r\n'),
  },
  {
    reason: 'ACL LIST/GETUSER: in Valkey (7.2+) users are created sanitize-payload (Redis 7.0: only after reset)',
    match: (cmd) => upper(cmd) === 'ACL' && /^(LIST|GETUSER)$/i.test(cmd[1] ?? ''),
    valkey: (_cmd, r) => aclWithSanitizeFlag(r),
  },
  {
    reason: "ACL DRYRUN: Valkey says \"User <name> has no permissions ...\" (Redis 7.0: \"This user has no permissions ...\")",
    match: (cmd, r) => upper(cmd) === 'ACL' && (cmd[1] ?? '').toUpperCase() === 'DRYRUN' && r.includes('\r\nThis user has'),
    valkey: (cmd, r) => {
      const text = `User ${cmd[2]}${r.slice(r.indexOf('\r\n') + 2 + 'This user'.length, -2)}`;
      return `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;
    },
  },
  {
    reason: 'ACL LOAD/SAVE without aclfile: Valkey does not name "Redis" in the error',
    match: (_cmd, r) => r.startsWith('-ERR This Redis instance is not configured to use an ACL file.'),
    valkey: () =>
      '-ERR This instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a configuration file set) in order to store users in the configuration.\r\n',
  },
  {
    reason: 'NOPERM key/channel denials: Valkey says "No permissions to access a key/channel" (Redis 7.0: "this user has no permissions to access one of the ...")',
    match: (_cmd, r) => /^-NOPERM this user has no permissions to access one of the (keys|channels) used as arguments\r\n$/.test(r),
    valkey: (_cmd, r) => `-NOPERM No permissions to access a ${r.includes('keys') ? 'key' : 'channel'}\r\n`,
  },
  {
    reason: "NOPERM command denials: Valkey names the user (\"User <name> has no permissions to run ...\"); Redis 7.0 says \"this user\"",
    match: (_cmd, r) => r.startsWith('-NOPERM this user has no permissions to run the '),
    skip: true,
  },
  {
    reason: 'HELP replies: the footer reads "Print this help." (Redis 7.0: "Prints this help.")',
    match: (_cmd, r) => r.endsWith('+HELP\r\n+    Prints this help.\r\n'),
    valkey: (_cmd, r) => r.replace(/\+    Prints this help\.\r\n$/, '+    Print this help.\r\n'),
  },
  {
    reason: "XREAD/XREADGROUP unbalanced STREAMS: Valkey names the command as 'xread' (Redis 7.0: XREAD)",
    match: (cmd, r) => /^XREAD(GROUP)?$/.test(upper(cmd)) && r.startsWith('-ERR Unbalanced '),
    valkey: (cmd) =>
      `-ERR Unbalanced '${upper(cmd).toLowerCase()}' list of streams: for each stream key an ID or '${upper(cmd) === 'XREAD' ? '$' : '>'}' must be specified.\r\n`,
  },
  {
    reason: 'XREAD: Valkey 8 accepts + (the last entry) as an ID (Redis 7.0: invalid ID)',
    match: (cmd) => upper(cmd) === 'XREAD' && cmd.includes('+'),
    skip: true,
  },
  {
    reason: 'XSETID below max_deleted_entry_id: Valkey refuses it (Redis 7.0 has no such check and, below the top item too, reports that)',
    match: (cmd, r) => upper(cmd) === 'XSETID' && r.includes('smaller than the target stream top item'),
    skip: true,
  },
  {
    reason: 'XINFO CONSUMERS: Valkey (7.2+) adds inactive and idle means the last attempt; both are times',
    match: (cmd) => upper(cmd) === 'XINFO' && (cmd[1] ?? '').toUpperCase() === 'CONSUMERS',
    skip: true,
  },
  {
    reason: 'XINFO STREAM FULL with consumers: Valkey (7.2+) adds active-time per consumer; seen-time is a time',
    match: (cmd, r) => upper(cmd) === 'XINFO' && r.includes('seen-time'),
    skip: true,
  },
  {
    reason: 'BITCOUNT key start: Valkey 8.0 made end optional (it defaults to the last byte); Redis 7.0 replies a syntax error',
    match: (cmd) => upper(cmd) === 'BITCOUNT' && cmd.length === 3,
    skip: true,
  },
  {
    reason: 'BITCOUNT/BITPOS: Valkey checks every argument (start, unit, end) before the key lookup; Redis 7.0 looks the key up first (0, -1 or WRONGTYPE) and checks end before unit',
    match: (cmd) => /^BIT(COUNT|POS)$/.test(upper(cmd)) && bitRangeArgsError(cmd) !== undefined,
    valkey: (cmd) => `-${bitRangeArgsError(cmd)}\r\n`,
  },
  {
    reason: 'ZRANK/ZREVRANK WITHSCORE: added in 7.2 (Redis 7.0 has arity 3: wrong number of arguments)',
    match: (cmd) => /^Z(REV)?RANK$/.test(upper(cmd)) && cmd.length === 4,
    skip: true,
  },
  {
    reason: 'SCAN/SSCAN/HSCAN/ZSCAN cursor: Valkey parses it with string2ull (" 5" valid; "-1" and "" invalid); Redis 7.0 uses strtoul (the reverse)',
    match: (cmd) => {
      const c = /^(SSCAN|HSCAN|ZSCAN)$/.test(upper(cmd)) ? cmd[2] : upper(cmd) === 'SCAN' ? cmd[1] : undefined;
      return c !== undefined && !/^[0-9]+$/.test(c);
    },
    skip: true,
  },
  {
    reason: 'ZSCAN NOSCORES (and its NOVALUES error): added in Valkey 8.0 (Redis 7.0: syntax error)',
    match: (cmd) => upper(cmd) === 'ZSCAN' && cmd.slice(3).some((a) => /^NO(SCORES|VALUES)$/i.test(a)),
    skip: true,
  },
  {
    reason: "SCAN TYPE: Valkey refuses an unknown type name (ERR unknown type name '...'); Redis 7.0 silently matches nothing",
    match: (cmd, r) => upper(cmd) === 'SCAN' && !r.startsWith('-') && scanUnknownType(cmd) !== undefined,
    valkey: (cmd) => `-ERR unknown type name '${scanUnknownType(cmd)}'\r\n`,
  },
  {
    reason: 'LPOS RANK and LREM count: Valkey (7.2+) refuses LONG_MIN (range -LONG_MAX..LONG_MAX); Redis 7.0 negates it (undefined behaviour)',
    match: (cmd) =>
      (upper(cmd) === 'LREM' && cmd[2] === '-9223372036854775808') ||
      (upper(cmd) === 'LPOS' && cmd.some((a, i) => i > 2 && a === '-9223372036854775808' && /^rank$/i.test(cmd[i - 1] ?? ''))),
    valkey: () => '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n',
  },
  {
    reason: 'LSET: Valkey (7.2+) passes the index on as a C int, so indexes beyond 32 bits wrap; Redis 7.0 keeps a long (index out of range)',
    match: (cmd) => upper(cmd) === 'LSET' && /^-?[0-9]{10,19}$/.test(cmd[2] ?? '') && (BigInt(cmd[2]!) > 2147483647n || BigInt(cmd[2]!) < -2147483648n),
    skip: true,
  },
  {
    reason: 'HSCAN NOVALUES (and the NOVALUES/NOSCORES errors of HSCAN/SSCAN): added in Valkey 8.0 (Redis 7.0: syntax error)',
    match: (cmd) => /^(HSCAN|SSCAN)$/.test(upper(cmd)) && cmd.slice(3).some((a) => /^NO(SCORES|VALUES)$/i.test(a)),
    skip: true,
  },
  {
    reason: 'COMMAND GETKEYS/GETKEYSANDFLAGS with only a command name: Valkey 8 declares arity -3 and looks it up (Redis 7.0: arity -4, wrong number of arguments)',
    match: (cmd) => upper(cmd) === 'COMMAND' && /^GETKEYS(ANDFLAGS)?$/i.test(cmd[1] ?? '') && cmd.length === 3,
    skip: true,
  },
];

/** The first SCAN TYPE argument that names no core type, if any. */
function scanUnknownType(cmd: string[]): string | undefined {
  for (let i = 2; i + 1 < cmd.length; i += 2) {
    if (cmd[i]!.toLowerCase() !== 'type') continue;
    const t = cmd[i + 1]!;
    return ['string', 'list', 'set', 'zset', 'hash', 'stream'].includes(t.toLowerCase()) ? undefined : t;
  }
  return undefined;
}

/** Valkey's error for BITCOUNT/BITPOS arguments (bit, start, end, unit), or undefined. */
function bitRangeArgsError(cmd: string[]): string | undefined {
  const isInt = (s: string | undefined) =>
    s !== undefined && /^(0|-?[1-9][0-9]{0,18})$/.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;
  const notInt = 'ERR value is not an integer or out of range';
  let i = 2;
  if (upper(cmd) === 'BITPOS') {
    if (!isInt(cmd[2])) return notInt;
    if (cmd[2] !== '0' && cmd[2] !== '1') return 'ERR The bit argument must be 1 or 0.';
    i = 3;
  }
  const n = cmd.length - i;
  if (n > 3) return 'ERR syntax error';
  if (n >= 1 && !isInt(cmd[i])) return notInt;
  if (n === 3 && !/^(bit|byte)$/i.test(cmd[i + 2]!)) return 'ERR syntax error';
  if (n >= 2 && !isInt(cmd[i + 1])) return notInt;
  return undefined;
}

/** The exception covering this case, if any (with `valkey` resolved to bytes). */
export function exceptionFor(cmd: string[], redisReply: string): { skip?: boolean; valkey?: string } | undefined {
  for (const e of EXCEPTIONS) {
    if (!e.match(cmd, redisReply)) continue;
    if (e.skip) return { skip: true };
    if (e.valkey) return { valkey: e.valkey(cmd, redisReply) };
  }
  return undefined;
}

/** Redis 7.0's ACL LIST / ACL GETUSER reply with the sanitize-payload flag Valkey shows for
 *  every user that does not have skip-sanitize-payload. */
function aclWithSanitizeFlag(r: string): string {
  const flagsAt = r.indexOf('$5\r\nflags\r\n');
  if (flagsAt >= 0) {
    // GETUSER: the flags set/array gets one more element.
    const head = flagsAt + '$5\r\nflags\r\n'.length;
    const eol = r.indexOf('\r\n', head);
    const n = Number(r.slice(head + 1, eol));
    let p = eol + 2;
    for (let i = 0; i < n; i++) {
      const e = r.indexOf('\r\n', p);
      p = e + 2 + Number(r.slice(p + 1, e)) + 2;
    }
    if (r.slice(eol + 2, p).includes('sanitize-payload')) return r;
    return `${r.slice(0, head + 1)}${n + 1}${r.slice(eol, p)}$16\r\nsanitize-payload\r\n${r.slice(p)}`;
  }
  // LIST: every "user <name> <flags> ..." line.
  return r.replace(/\$\d+\r\n(user [^\r]*)\r\n/g, (_m, line: string) => {
    const words = line.split(' ');
    if (!words.includes('skip-sanitize-payload') && !words.includes('sanitize-payload')) {
      let i = 2;
      while (i < words.length && /^(on|off|nopass)$/.test(words[i]!)) i++;
      words.splice(i, 0, 'sanitize-payload');
    }
    const text = words.join(' ');
    return `$${text.length}\r\n${text}\r\n`;
  });
}
