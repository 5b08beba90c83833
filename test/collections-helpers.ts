/**
 * Helpers for the list, hash and set suites: exact RESP replies from an engine, captured
 * keyspace events, and a comparison of keyspace events against redis-server.
 */
import net from 'node:net';
import assert from 'node:assert/strict';
import { Engine, RespWriter, type Client } from '../src/index.js';
import { NOTIFY_KEY_MISS, NOTIFY_NEW } from '../src/engine/notify.js';
import { RedisOracle, replyLength } from './oracle.js';

/** A fresh engine with a RESP2 and a RESP3 client whose replies come back as RESP text. */
export class RespRig {
  readonly engine = new Engine();
  private readonly c2: Client;
  private readonly c3: Client;
  /** Keyspace events fired so far, as "event key" strings (keymiss and new left out). */
  readonly events: string[] = [];

  constructor() {
    this.c2 = this.engine.client();
    this.c3 = this.engine.client();
    this.c3.setProtocol(3);
    this.engine.onKeyspaceEvent((e) => {
      if (e.type === NOTIFY_KEY_MISS || e.type === NOTIFY_NEW) return;
      this.events.push(`${e.event} ${e.key}`);
    });
  }

  /** Runs a command (RESP2 unless proto 3) and returns the reply's RESP text. */
  run(args: (string | number)[], proto: 2 | 3 = 2): string {
    const w = new RespWriter(proto);
    const done = this.engine.execute(proto === 2 ? this.c2 : this.c3, args.map(String), w);
    if (done) throw new Error('command blocked');
    return w.take().toString('latin1');
  }

  /** Runs a command in RESP2 and RESP3 and returns both replies. */
  both(...args: (string | number)[]): [string, string] {
    return [this.run(args, 2), this.run(args, 3)];
  }

  /** Runs and returns RESP2. */
  r(...args: (string | number)[]): string {
    return this.run(args, 2);
  }

  /** Runs and returns RESP3. */
  r3(...args: (string | number)[]): string {
    return this.run(args, 3);
  }

  /** Events fired since the last call. */
  takeEvents(): string[] {
    return this.events.splice(0);
  }

  close(): void {
    this.engine.close();
  }
}

/** RESP text of an error reply. */
export const err = (msg: string): string => `-${msg}\r\n`;
/** RESP text of an integer reply. */
export const int = (n: number): string => `:${n}\r\n`;
/** RESP text of a bulk string. */
export const bulk = (s: string): string => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
/** RESP text of an array of bulk strings. */
export const arr = (...items: string[]): string => `*${items.length}\r\n${items.map(bulk).join('')}`;
/** Common replies as RESP text. */
export const OK = '+OK\r\n';
export const NULL2 = '$-1\r\n';
export const NULL3 = '_\r\n';
export const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');

/** Parses a sequence of RESP2 push messages ("message"/"pmessage" arrays) out of raw bytes. */
function parseMessages(buf: Buffer): { items: string[][]; used: number } {
  const items: string[][] = [];
  let p = 0;
  for (;;) {
    const n = replyLength(buf, p);
    if (n < 0) break;
    const text = buf.toString('latin1', p, p + n);
    p += n;
    const parts: string[] = [];
    const re = /\$(\d+)\r\n/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const len = Number(m[1]);
      parts.push(text.slice(re.lastIndex, re.lastIndex + len));
      re.lastIndex += len + 2;
    }
    items.push(parts);
  }
  return { items, used: p };
}

/**
 * Runs `seq` on redis-server with keyspace events on and on a fresh engine, and asserts the
 * same keyevents (event and key, in order) were fired for every command.
 */
export async function checkEvents(oracle: RedisOracle, seq: string[][]): Promise<void> {
  const main = await oracle.client();
  await main.send('FLUSHALL');
  await main.send('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const sub = net.connect(oracle.port, '127.0.0.1');
  let buf = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  sub.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    waiter?.();
  });
  await new Promise<void>((r) => sub.once('connect', () => r()));
  const sendSub = (...a: string[]) => sub.write(`*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`);
  const until = async (pred: (items: string[][]) => boolean): Promise<string[][]> => {
    for (;;) {
      const { items } = parseMessages(buf);
      if (pred(items)) return items;
      await new Promise<void>((r) => {
        waiter = r;
      });
    }
  };
  sendSub('PSUBSCRIBE', '__keyevent@0__:*');
  sendSub('SUBSCRIBE', 'diff-sentinel');
  await until((it) => it.length >= 2);
  buf = Buffer.alloc(0);
  const rig = new RespRig();
  try {
    let mark = 0;
    for (const cmd of seq) {
      await main.send(...cmd);
      await main.send('PUBLISH', 'diff-sentinel', String(mark));
      const want = String(mark++);
      const items = await until((it) => it.some((x) => x[0] === 'message' && x[2] === want));
      buf = Buffer.alloc(0);
      const theirs = items
        .filter((x) => x[0] === 'pmessage')
        .map((x) => `${x[2]!.slice('__keyevent@0__:'.length)} ${x[3]}`);
      rig.run(cmd);
      assert.deepEqual(rig.takeEvents(), theirs, `events of ${JSON.stringify(cmd)} in ${JSON.stringify(seq)}`);
    }
  } finally {
    sub.destroy();
    main.close();
    rig.close();
  }
}
