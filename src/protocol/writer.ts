/**
 * The reply sink every command writes to, like Valkey's addReply* family.
 *
 * Two implementations: `RespWriter` (protocol/resp-writer.ts) encodes RESP2 or RESP3 bytes
 * straight into an output buffer for a connection, and `ValueWriter`
 * (protocol/value-writer.ts) builds the typed JS reply `engine.call` returns. Commands never
 * build reply objects themselves; they call these methods in order, aggregates first
 * announcing their length. Byte strings are one-byte ("latin1") JS strings or Buffers.
 *
 * The writer applies the protocol's conversions (RESP2 fallbacks for maps, sets, doubles,
 * booleans, big numbers, verbatim strings and nulls) so a command writes one way for both.
 */
export interface ReplyWriter {
  /** The protocol this writer produces (2 or 3). */
  readonly proto: 2 | 3;
  /** Error replies written so far and the last one's text (for INFO errorstats). */
  readonly errorCount: number;
  readonly lastError: string;
  /** `+text` — text must not contain CR or LF. */
  simple(text: string): void;
  /** `-message` — the message includes its code (`ERR ...`); CR/LF become spaces. */
  error(message: string): void;
  /** `:n` */
  integer(n: number | bigint): void;
  /** `$len bytes` — a byte string (latin1 JS string or Buffer). */
  bulk(bytes: string | Buffer): void;
  /** RESP3 `_`; RESP2 `$-1`. */
  null(): void;
  /** RESP3 `_`; RESP2 `*-1`. */
  nullArray(): void;
  /** `*n` — n replies follow. */
  array(n: number): void;
  /** RESP3 `%n` (n pairs follow); RESP2 `*2n`. */
  map(n: number): void;
  /** RESP3 `~n`; RESP2 `*n`. */
  set(n: number): void;
  /** RESP3 `|n` (n pairs, then the annotated reply); RESP2 callers must not use it. */
  attribute(n: number): void;
  /** RESP3 `>n`; RESP2 `*n`. */
  push(n: number): void;
  /** RESP3 `,d`; RESP2 bulk string of the same text (inf, -inf, nan spelled so). */
  double(d: number): void;
  /** A double already rendered as text (ValkeyModule_ReplyWithLongDouble's human-friendly
   *  form, e.g. `0.00000000000000001`): RESP3 `,text`; RESP2 bulk string of the text. */
  doubleText(text: string): void;
  /** RESP3 `#t`/`#f`; RESP2 `:1`/`:0`. */
  bool(b: boolean): void;
  /** RESP3 `(digits`; RESP2 bulk string. */
  bigNumber(digits: string): void;
  /** RESP3 `=len fmt:text`; RESP2 bulk string of text. fmt is 3 characters. */
  verbatim(format: string, text: string | Buffer): void;
  /** Raw protocol bytes already encoded for this writer's protocol. */
  raw(bytes: Buffer): void;
}
