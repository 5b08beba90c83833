/**
 * Module blocked clients, TypeScript side: turns a native "this command blocked its client"
 * (BlockClient / BlockClientOnKeys, native/host/blocked.h) into engine.blocking.block(), and
 * routes the engine's events for that client (key ready, timeout, CLIENT UNBLOCK, disconnect)
 * to the handle's native callbacks. When the module releases the handle (UnblockClient from
 * any thread), the native drain calls back here with the reply tape and the client unblocks.
 */
import type { Engine } from '../engine/engine.js';
import type { CommandContext } from '../commands/table.js';
import type { BlockedHandle } from '../engine/blocking.js';
import { UNBLOCKED_ERROR } from '../engine/blocking.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { NativeHost } from './native.js';
import { decodeTape } from './tape.js';

// Operations of the addon's blocked(op, ...) method (native/host/blocked.h).
const OP_STATE = 0;
const OP_SET_HOOK = 1;
const OP_INFO = 2;
const OP_TIMEOUT = 3;
const OP_SERVE_KEY = 4;
const OP_GONE = 5;
const OP_MODULE_COUNT = 6;
const OP_BACKGROUND_US = 7;

// Flags of OP_INFO.
const ON_KEYS = 1;
const UNBLOCK_DELETED = 2;
const HAS_TIMEOUT_CALLBACK = 4;

type BlockedInfo = [deadline: number, keys: string[], flags: number];

function writeTape(tape: Buffer | null, w: ReplyWriter): void {
  if (tape !== null && tape.length > 0) decodeTape(tape, 0, tape.length, w);
}

export class BlockedBridge {
  /** Handles whose client TypeScript blocked, by native handle id. */
  private readonly handles = new Map<number, BlockedHandle>();
  /** [0]: id of the handle the top-level command that just ran blocked its client on. */
  private readonly state: Int32Array;

  constructor(
    private readonly engine: Engine,
    private readonly native: NativeHost,
  ) {
    this.state = native.blocked(OP_STATE) as Int32Array;
    native.blocked(OP_SET_HOOK, (id: number, tape: Buffer, us: number) => this.released(id, tape, us));
  }

  /** Whether the module command that just ran (top level) blocked its client. */
  get pending(): boolean {
    return this.state[0] !== 0;
  }

  /** Live blocked-client handles of a module (released or not by the module yet). */
  moduleHandles(name: string): number {
    return this.native.blocked(OP_MODULE_COUNT, name) as number;
  }

  /**
   * Blocks ctx.client on the handle the command just created; returns the Promise the
   * command handler must return (the reply is written when the client is unblocked).
   */
  block(ctx: CommandContext): Promise<void> | void {
    const id = this.state[0]!;
    this.state[0] = 0;
    const native = this.native;
    const info = native.blocked(OP_INFO, id) as BlockedInfo | null;
    if (info === null) return;
    const [deadline, keys, flags] = info;
    const handles = this.handles;
    let blocked: { handle: BlockedHandle; done: Promise<void> };
    try {
      blocked = this.engine.blocking.block(ctx, {
        keys: (flags & ON_KEYS) !== 0 ? keys : [],
        deadline,
        wakeOnDelete: (flags & UNBLOCK_DELETED) !== 0,
        // CLIENT UNBLOCK answers 0 for a module client without a timeout callback (Valkey).
        mayTimeout: (flags & HAS_TIMEOUT_CALLBACK) !== 0,
        onReady:
          (flags & ON_KEYS) !== 0
            ? (key, w) => {
                // Background time measured so far counts (the reply callback's own time is
                // counted by the engine); the handle is freed once it serves.
                const bg = native.blocked(OP_BACKGROUND_US, id) as number | null;
                const tape = native.blocked(OP_SERVE_KEY, id, key) as Buffer | null;
                if (tape === null) return false;
                handles.delete(id);
                if (bg !== null) blocked.handle.addDuration(bg);
                writeTape(tape, w);
                return true;
              }
            : undefined,
        onTimeout: (w) => {
          handles.delete(id);
          writeTape(native.blocked(OP_TIMEOUT, id) as Buffer | null, w);
          // What the module measured, including a MeasureTimeEnd in its timeout callback.
          const bg = native.blocked(OP_BACKGROUND_US, id) as number | null;
          if (bg !== null) blocked.handle.addDuration(bg);
        },
        onUnblockError: (w) => {
          handles.delete(id);
          w.error(UNBLOCKED_ERROR);
          native.blocked(OP_GONE, id, true);
        },
        onDisconnect: () => {
          handles.delete(id);
          native.blocked(OP_GONE, id, true);
        },
      });
    } catch (err) {
      // The client cannot block (already blocked: a second call on a busy embedded client).
      native.blocked(OP_GONE, id, false);
      ctx.w.error(`ERR ${(err as Error).message}`);
      return;
    }
    handles.set(id, blocked.handle);
    return blocked.done;
  }

  /** The native drain released a handle whose client is blocked: unblock it with the reply. */
  private released(id: number, tape: Buffer, us: number): void {
    const h = this.handles.get(id);
    if (h === undefined) return;
    this.handles.delete(id);
    h.addDuration(us);
    h.unblock((w) => writeTape(tape, w));
  }
}
