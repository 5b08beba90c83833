/**
 * A client of the engine: the state Valkey keeps per connection (id, protocol, selected
 * database, name). Embedded clients (`engine.client()`) and network connections share it.
 */
import type { Engine } from '../engine/engine.js';
import type { Reply } from '../protocol/reply.js';
import { ValueWriter } from '../protocol/value-writer.js';
import type { Subscriber } from './pubsub.js';

/** An argument as callers give it: text (sent as UTF-8), bytes, or a number. */
export type Arg = string | Buffer | number | bigint;

const NON_ASCII = /[^\x00-\x7f]/;

/** Converts a caller's argument to the engine's one-byte string form. */
export function toByteString(a: Arg): string {
  if (typeof a === 'string') return NON_ASCII.test(a) ? Buffer.from(a, 'utf8').toString('latin1') : a;
  if (typeof a === 'number' || typeof a === 'bigint') return String(a);
  if (Buffer.isBuffer(a)) return a.toString('latin1');
  throw new TypeError(`invalid command argument: ${typeof a}`);
}

export interface ClientOptions {
  /** Return bulk strings as Buffers instead of UTF-8 decoded strings. */
  buffers?: boolean;
  /** A local client may run MODULE when enable-module-command is "local". */
  local?: boolean;
}

export class Client implements Subscriber {
  readonly id: number;
  proto: 2 | 3 = 2;
  db = 0;
  name = '';
  readonly local: boolean;
  readonly buffers: boolean;
  /** VALKEYMODULE_CTX_FLAGS_* specific to this client (MULTI, DENY_BLOCKING...). */
  ctxFlags = 0;
  /** CLIENT NO-TOUCH ON: its commands (but TOUCH) leave keys' LRU/LFU as they are. */
  noTouch = false;
  private readonly writer: ValueWriter;
  /** Pub/sub subscriptions. */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** Out-of-band messages (pub/sub) not yet taken, oldest first (when no listener is set). */
  readonly pushes: Reply[] = [];
  private pushListener: ((msg: Reply) => void) | undefined;
  private pushWriter: ValueWriter | undefined;
  private static readonly MAX_QUEUED_PUSHES = 10_000;

  constructor(readonly engine: Engine, id: number, opts: ClientOptions = {}) {
    this.id = id;
    this.local = opts.local ?? true;
    this.buffers = opts.buffers ?? false;
    this.writer = new ValueWriter(2, { buffers: this.buffers });
    engine.registerClient(this);
  }

  /** Switches the protocol (HELLO); replies written from now on use it. */
  setProtocol(proto: 2 | 3): void {
    this.proto = proto;
    (this.writer as { proto: 2 | 3 }).proto = proto;
  }

  /** Receives pub/sub messages as they arrive (RESP3: PushReply; RESP2: an array). Queued
   *  messages are handed over first. Pass undefined to queue again. */
  onPush(listener: ((msg: Reply) => void) | undefined): void {
    this.pushListener = listener;
    if (listener) while (this.pushes.length) listener(this.pushes.shift()!);
  }

  /** Delivers a pub/sub message to this client in its protocol. */
  deliver(parts: string[]): void {
    const w = (this.pushWriter ??= new ValueWriter(this.proto, { buffers: this.buffers }));
    (w as { proto: 2 | 3 }).proto = this.proto;
    w.push(parts.length);
    for (const p of parts) w.bulk(p);
    const msg = w.take();
    if (this.pushListener) this.pushListener(msg);
    else {
      this.pushes.push(msg);
      if (this.pushes.length > Client.MAX_QUEUED_PUSHES) this.pushes.shift();
    }
  }

  /**
   * Runs a command as this client and returns its reply. Error replies are values
   * (ReplyError), not exceptions. The result may be a Promise (a blocking command): await it.
   */
  call(...args: Arg[]): Reply | Promise<Reply> {
    if (args.length === 0) throw new TypeError('call() needs a command name');
    if (this.pending) {
      throw new Error(`client ${this.id} is blocked: await the reply of its blocking command before sending another`);
    }
    const argv = new Array<string>(args.length);
    for (let i = 0; i < args.length; i++) argv[i] = toByteString(args[i]!);
    const w = this.writer;
    const done = this.engine.execute(this, argv, w);
    if (done) {
      // Blocked (BLPOP, WAIT, a module's BlockClient): the reply comes when it is unblocked.
      this.pending = true;
      return done.then(
        () => {
          this.pending = false;
          this.engine.beforeReplies?.();
          return Client.result(w);
        },
        (err: unknown) => {
          this.pending = false;
          throw err;
        },
      );
    }
    // The reply leaves now: what it acknowledges is written to the AOF first.
    this.engine.beforeReplies?.();
    return Client.result(w);
  }

  /** A blocking command's reply is awaited: no other command may run meanwhile. */
  private pending = false;

  /** The command's reply; a command that replies several times (SUBSCRIBE a b) gives an
   *  array of its replies. */
  private static result(w: ValueWriter): Reply {
    const all = w.takeAll();
    return all.length === 1 ? all[0]! : all.length === 0 ? null : all;
  }
}
