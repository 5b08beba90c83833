/**
 * The typed reply model: what `engine.call` returns and what `encodeReply` turns back into
 * the exact bytes Valkey would send.
 *
 * Plain JS values carry the common RESP types:
 *   bulk string  -> string (UTF-8 decoded) or Buffer (buffer mode)
 *   integer      -> number when it is a safe integer, else bigint
 *   null         -> null (RESP2 `$-1`, RESP3 `_`)
 *   boolean      -> boolean (RESP3 `#t`/`#f`)
 *   array        -> Reply[]
 * and small classes carry the rest, so no two wire types map to the same value.
 */

export type Reply =
  | string
  | Buffer
  | number
  | bigint
  | null
  | boolean
  | Reply[]
  | SimpleString
  | ReplyError
  | DoubleReply
  | BigNumberReply
  | VerbatimString
  | ReplyMap
  | ReplySet
  | AttributeReply
  | PushReply
  | NullArray;

/** A simple string (`+OK`). */
export class SimpleString {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
  valueOf(): string {
    return this.value;
  }
}

/** An error reply (`-ERR ...`). `message` is the full text after '-', `code` its first
 *  word (`ERR`, `WRONGTYPE`, ...). A reply, not a thrown exception. */
export class ReplyError extends Error {
  readonly code: string;
  constructor(message: string) {
    // A reply is data, not a failure of the caller: capturing a stack (the decoder's)
    // would only cost time.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    const sp = message.indexOf(' ');
    this.code = sp < 0 ? message : message.slice(0, sp);
  }
}
Object.defineProperty(ReplyError.prototype, 'name', { value: 'ReplyError', configurable: true, writable: true });

/** A RESP3 double (`,1.5`). `value` may be Infinity, -Infinity or NaN. `text`, when
 *  present, is the exact text the server sent (ValkeyModule_ReplyWithLongDouble renders
 *  its own), and `encodeReply` reproduces it instead of formatting `value`. */
export class DoubleReply {
  constructor(
    readonly value: number,
    readonly text?: string,
  ) {}
  valueOf(): number {
    return this.value;
  }
}

/** A RESP3 big number (`(3492890328409238509324850943850943825024385`). `text` is the
 *  exact digits sent; `value` is 0n if they are not a valid integer (the module API does
 *  not validate them). */
export class BigNumberReply {
  readonly text: string;
  constructor(
    readonly value: bigint,
    text?: string,
  ) {
    this.text = text ?? value.toString();
  }
  /** From the digits the server sent (never throws). */
  static fromText(text: string): BigNumberReply {
    let v = 0n;
    try {
      v = BigInt(text);
    } catch {
      // not a valid integer: keep the text, value 0n
    }
    return new BigNumberReply(v, text);
  }
}

/** A RESP3 verbatim string (`=8\r\ntxt:abcd`); `format` is the 3-character type. */
export class VerbatimString {
  constructor(
    readonly format: string,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

/** A RESP3 map (`%n`), insertion-ordered as sent. */
export class ReplyMap extends Map<Reply, Reply> {}

/** A RESP3 set (`~n`). */
export class ReplySet extends Set<Reply> {}

/** A RESP3 attribute (`|n` pairs) and the reply it annotates. */
export class AttributeReply {
  constructor(
    readonly attributes: ReplyMap,
    readonly value: Reply,
  ) {}
}

/** A RESP3 push (`>n`), e.g. a pub/sub message or an invalidation. */
export class PushReply {
  constructor(readonly items: Reply[]) {}
}

/** The RESP2 null array (`*-1`). In RESP3 a null array is plain `null`. */
export class NullArray {}

/** The one NullArray instance every decoder returns. */
export const NULL_ARRAY: NullArray = new NullArray();
