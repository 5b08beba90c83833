/**
 * The append-only file, Valkey 7+'s multi-part layout.
 *
 * Files live in `<dir>/<appenddirname>` and are tracked by `<appendfilename>.manifest`, one
 * line per file (`file appendonly.aof.1.base.rdb seq 1 type b`): at most one base (an RDB
 * image when aof-use-rdb-preamble is yes, `.base.rdb`, else commands, `.base.aof`), history
 * files waiting to be deleted (`type h`) and the incremental files (`.incr.aof`, `type i`)
 * replayed after the base, the last of which receives new writes.
 *
 * Writing: the engine's propagation stream (what replicas would get: SELECT when the
 * database changes, MULTI/EXEC around multi-command units) is appended in RESP to a buffer,
 * as Valkey's aof_buf. The buffer is written with one write() right before replies leave
 * (engine.beforeReplies: a connection's socket write after a batch of pipelined commands, an
 * embedded call's return) and otherwise on the next turn of the event loop (setImmediate),
 * as Valkey writes it in beforeSleep. With appendfsync always the write is fsynced before
 * any reply acknowledging it is sent; everysec fsyncs once a second; no never.
 *
 * Rewriting (BGREWRITEAOF, CONFIG SET appendonly yes, auto-aof-rewrite-*): there is no
 * fork, so the new base is built synchronously from the dataset as it is at that moment,
 * and the writes from then on go to a new incremental file at once; the base is written to
 * `temp-rewriteaof-bg-<pid>.aof` asynchronously, then renamed to the next base name, the
 * manifest is replaced atomically (temp file, fsync, rename, directory fsync) and the files
 * made history are deleted, as Valkey's backgroundRewriteDoneHandler does.
 *
 * Loading at startup is in aof-load.ts; `startAof` (server start) ties both together.
 */
import {
  fireServerEvent,
  EVENT_PERSISTENCE,
  SUB_PERSISTENCE_AOF_START,
  SUB_PERSISTENCE_ENDED,
  SUB_PERSISTENCE_FAILED,
} from '../modules/server-events.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { LL_NOTICE, LL_VERBOSE, LL_WARNING } from '../engine/log.js';
import type { PropagatedCommand } from '../engine/propagation.js';
import { serializeRdb } from './rdb-file.js';
import { bgsaveInProgress, persistenceOf } from './rdb-save.js';
import { respCommand, rewriteCommands } from './aof-rewrite.js';
import { quoteArg, splitArgs } from '../server/config-file.js';
import { fsyncDir, writeFileDurable, writeFileDurableAsync } from './durable.js';

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

export const BASE_FILE_SUFFIX = '.base';
export const INCR_FILE_SUFFIX = '.incr';
export const RDB_FORMAT_SUFFIX = '.rdb';
export const AOF_FORMAT_SUFFIX = '.aof';
export const MANIFEST_NAME_SUFFIX = '.manifest';
export const TEMP_FILE_NAME_PREFIX = 'temp-';

/** appendfsync values (the config's enum numbers). */
export const AOF_FSYNC_NO = 0;
export const AOF_FSYNC_ALWAYS = 1;
export const AOF_FSYNC_EVERYSEC = 2;

/** A config string (one byte per character) as a file system path. */
function fsPath(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

/** strerror-like text of a Node error. */
export function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EEXIST: 'File exists',
    ENOSPC: 'No space left on device',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
    EROFS: 'Read-only file system',
    EIO: 'Input/output error',
    EBADF: 'Bad file descriptor',
  };
  return (err?.code && known[err.code]) || err?.message || String(e);
}

// ---------------------------------------------------------------------------------------
// The manifest
// ---------------------------------------------------------------------------------------

export type AofFileType = 'b' | 'h' | 'i';

/** One file of the manifest. */
export interface AofFileInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

/** Raised when a manifest cannot be parsed; the message is Valkey's. */
export class AofManifestError extends Error {}

/** Whether a file name must be quoted in the manifest (sdsneedsrepr). */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x07 || c === 0x08) return true;
    if (c <= 0x20 || c >= 0x7f) return true;
  }
  return false;
}

/** The manifest: base, history and incremental files with their sequence numbers. */
export class AofManifest {
  base: AofFileInfo | null = null;
  incrs: AofFileInfo[] = [];
  history: AofFileInfo[] = [];
  /** Sequence of the newest base / incremental file ever named. */
  baseSeq = 0;
  incrSeq = 0;

  /** A deep copy (aofManifestDup). */
  clone(): AofManifest {
    const m = new AofManifest();
    m.base = this.base ? { ...this.base } : null;
    m.incrs = this.incrs.map((f) => ({ ...f }));
    m.history = this.history.map((f) => ({ ...f }));
    m.baseSeq = this.baseSeq;
    m.incrSeq = this.incrSeq;
    return m;
  }

  /** The manifest text (getAofManifestAsString): base first, then history, then incrs. */
  format(): string {
    let s = '';
    const line = (f: AofFileInfo) => {
      s += `file ${needsRepr(f.name) ? quoteArg(f.name) : f.name} seq ${f.seq} type ${f.type}\n`;
    };
    if (this.base) line(this.base);
    for (const f of this.history) line(f);
    for (const f of this.incrs) line(f);
    return s;
  }

  /** Parses manifest text (aofLoadManifestFromFile); throws AofManifestError. */
  static parse(text: string): AofManifest {
    const m = new AofManifest();
    if (text.length === 0) throw new AofManifestError('Found an empty AOF manifest');
    let maxSeq = 0;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const raw = nl < 0 ? text.slice(pos) : text.slice(pos, nl + 1);
      pos = nl < 0 ? text.length : nl + 1;
      if (raw[0] === '#') continue;
      if (nl < 0) throw new AofManifestError('The AOF manifest file is invalid format');
      const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line.length === 0) throw new AofManifestError('Invalid AOF manifest file format');
      const argv = splitArgs(line);
      if (argv === null || argv.length < 6 || argv.length % 2 !== 0) throw new AofManifestError('Invalid AOF manifest file format');
      let name: string | undefined;
      let seq = 0;
      let type = '';
      for (let i = 0; i < argv.length; i += 2) {
        const k = argv[i]!.toLowerCase();
        const v = argv[i + 1]!;
        if (k === 'file') {
          name = v;
          if (name.includes('/')) throw new AofManifestError("File can't be a path, just a filename");
        } else if (k === 'seq') {
          seq = parseInt(v, 10) || 0;
        } else if (k === 'type') {
          type = v[0] ?? '';
        }
      }
      if (!name || !seq || !type) throw new AofManifestError('Invalid AOF manifest file format');
      if (type === 'b') {
        if (m.base) throw new AofManifestError('Found duplicate base file information');
        m.base = { name, seq, type: 'b' };
        m.baseSeq = seq;
      } else if (type === 'h') {
        m.history.push({ name, seq, type: 'h' });
      } else if (type === 'i') {
        if (seq <= maxSeq) throw new AofManifestError('Found a non-monotonic sequence number');
        m.incrs.push({ name, seq, type: 'i' });
        m.incrSeq = seq;
        maxSeq = seq;
      } else {
        throw new AofManifestError('Unknown AOF file type');
      }
    }
    return m;
  }
}

// ---------------------------------------------------------------------------------------
// The AOF state of an engine
// ---------------------------------------------------------------------------------------

export type AofState = 'off' | 'on' | 'wait_rewrite';

/** A rewrite whose base is being written. */
interface Rewrite {
  start: number;
  cancelled: boolean;
  /** Settles when the rewrite finished (either way). */
  done: Promise<void>;
}

/** What BGREWRITEAOF (and the other triggers) got. */
export type RewriteStart = 'started' | 'in_progress' | 'scheduled' | 'error';

const states = new WeakMap<Engine, Aof>();

/** The AOF state of an engine (created on first use, off). */
export function aofOf(engine: Engine): Aof {
  let a = states.get(engine);
  if (!a) {
    const aof = new Aof(engine);
    a = aof;
    states.set(engine, aof);
    // BGSAVE and an AOF rewrite never run together (one child at a time).
    persistenceOf(engine).otherChildActive = () => aof.rewriting;
  }
  return a;
}

/** Whether an engine has AOF state (without creating it). */
export function hasAof(engine: Engine): boolean {
  return states.has(engine);
}

/** Whether another background job (BGSAVE) runs: an AOF rewrite then waits for it. */
export const aofHooks: { otherChildActive?: (engine: Engine) => boolean } = {
  otherChildActive: (engine) => bgsaveInProgress(engine),
};

export class Aof {
  state: AofState = 'off';
  manifest = new AofManifest();
  /** The incremental file being appended to (-1: none). */
  private fd = -1;
  private fdName = '';
  /** Unwritten RESP of the running execution unit. */
  private pending = '';
  private inMulti = false;
  private lastTs = 0;
  private needFsync = false;
  private timer: NodeJS.Timeout | undefined;
  private detach: (() => void) | undefined;
  private rewrite: Rewrite | undefined;
  /** Set while booting a server: CONFIG changes to appendonly only record the value. */
  booting = false;

  // INFO persistence
  rewriteScheduled = false;
  lastRewriteTimeSec = -1;
  lastBgrewriteOk = true;
  rewrites = 0;
  consecutiveFailures = 0;
  lastWriteOk = true;
  currentSize = 0;
  baseSize = 0;
  private incrSize = 0;
  delayedFsync = 0;

  constructor(readonly engine: Engine) {}

  // ---- paths ----

  /** The AOF directory (absolute). */
  dirPath(): string {
    const cfg = configOf(this.engine);
    return path.resolve(fsPath(cfg.get('dir') ?? '.'), fsPath(cfg.get('appenddirname') ?? 'appendonlydir'));
  }

  /** appendfilename. */
  fileName(): string {
    return configOf(this.engine).get('appendfilename') ?? 'appendonly.aof';
  }

  /** The manifest's file name. */
  manifestName(): string {
    return this.fileName() + MANIFEST_NAME_SUFFIX;
  }

  /** A file of the AOF directory. */
  filePath(name: string): string {
    return path.join(this.dirPath(), fsPath(name));
  }

  private tempIncrName(): string {
    return TEMP_FILE_NAME_PREFIX + this.fileName() + INCR_FILE_SUFFIX;
  }

  /** Whether a rewrite is running (INFO aof_rewrite_in_progress). */
  get rewriting(): boolean {
    return this.rewrite !== undefined;
  }

  /** Seconds the running rewrite took so far, -1 without one. */
  currentRewriteTimeSec(): number {
    return this.rewrite ? Math.floor((Date.now() - this.rewrite.start) / 1000) : -1;
  }

  /** Resolves once no rewrite runs (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.rewrite) await this.rewrite.done;
  }

  private log(level: number, msg: string): void {
    this.engine.logger.log(level, msg);
  }

  private fsyncPolicy(): number {
    return configOf(this.engine).number('appendfsync');
  }

  // ---- directory and manifest on disk ----

  /** Creates the AOF directory when missing; false (logged) when it cannot. */
  ensureDir(): boolean {
    const dir = this.dirPath();
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      return true;
    } catch (e) {
      this.log(LL_WARNING, `Can't open or create append-only dir ${path.basename(dir)}: ${errText(e)}`);
      return false;
    }
  }

  /**
   * Reads the manifest from disk (aofLoadManifestFromDisk): nothing when the directory or
   * the manifest does not exist. Throws AofManifestError (message logged) on a bad one.
   */
  loadManifestFromDisk(): void {
    this.manifest = new AofManifest();
    const dir = this.dirPath();
    if (!fs.existsSync(dir)) {
      this.log(LL_VERBOSE, `The AOF directory ${path.basename(dir)} doesn't exist`);
      return;
    }
    const p = this.filePath(this.manifestName());
    if (!fs.existsSync(p)) {
      this.log(LL_VERBOSE, `The AOF manifest file ${this.manifestName()} doesn't exist`);
      return;
    }
    let text: string;
    try {
      text = fs.readFileSync(p, 'latin1');
    } catch (e) {
      const msg = `Fail to open AOF manifest file ${this.manifestName()}: ${errText(e)}`;
      this.log(LL_WARNING, msg);
      throw new AofManifestError(msg);
    }
    try {
      this.manifest = AofManifest.parse(text);
    } catch (e) {
      this.log(LL_WARNING, (e as Error).message);
      throw e;
    }
  }

  /** Writes `m` as the manifest atomically (writeAofManifestFile); false (logged) on failure. */
  persistManifest(m: AofManifest = this.manifest): boolean {
    const name = this.manifestName();
    const tmpName = TEMP_FILE_NAME_PREFIX + name;
    const target = this.filePath(name);
    const tmp = this.filePath(tmpName);
    let fd = -1;
    try {
      fd = fs.openSync(tmp, 'w', 0o644);
    } catch (e) {
      this.log(LL_WARNING, `Can't open the AOF manifest file ${tmpName}: ${errText(e)}`);
      return false;
    }
    try {
      fs.writeSync(fd, Buffer.from(m.format(), 'latin1'));
    } catch (e) {
      this.log(LL_WARNING, `Error trying to write the temporary AOF manifest file ${tmpName}: ${errText(e)}`);
      fs.closeSync(fd);
      return false;
    }
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      this.log(LL_WARNING, `Fail to fsync the temp AOF file ${tmpName}: ${errText(e)}.`);
      fs.closeSync(fd);
      return false;
    }
    fs.closeSync(fd);
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      this.log(LL_WARNING, `Error trying to rename the temporary AOF manifest file ${tmpName} into ${name}: ${errText(e)}`);
      return false;
    }
    fsyncDir(this.dirPath());
    return true;
  }

  /** Deletes the history files and forgets them (aofDelHistoryFiles). */
  deleteHistoryFiles(): void {
    if (this.manifest.history.length === 0) return;
    if (configOf(this.engine).get('aof-disable-auto-gc') === 'yes') return;
    for (const f of this.manifest.history) {
      this.log(LL_NOTICE, `Removing the history file ${f.name} in the background`);
      try {
        fs.rmSync(this.filePath(f.name), { force: true });
      } catch {
        // a history file that cannot go is harmless
      }
    }
    this.manifest.history = [];
    this.persistManifest();
  }

  /** Size of a file of the AOF directory (0 when missing). */
  fileSize(name: string): number {
    try {
      return fs.statSync(this.filePath(name)).size;
    } catch {
      return 0;
    }
  }

  // ---- writing ----

  /** Attaches to the propagation stream and starts the once-a-second job. */
  private attach(): void {
    if (!this.detach) this.detach = this.engine.onPropagate(this.feed);
    this.engine.beforeReplies = this.flushPending;
    this.engine.propagation.resetSelectedDb();
    this.startTimer();
  }

  private startTimer(): void {
    if (!this.timer) {
      this.timer = setInterval(() => this.cron(), 1000);
      this.timer.unref();
    }
  }

  /** Schedules a rewrite for when no other background save runs (checked every second). */
  scheduleRewrite(): void {
    this.rewriteScheduled = true;
    this.consecutiveFailures = 0;
    this.startTimer();
  }

  private detachAll(): void {
    this.detach?.();
    this.detach = undefined;
    if (this.engine.beforeReplies === this.flushPending) this.engine.beforeReplies = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** feedAppendOnlyFile: one command of the propagation stream. */
  private readonly feed = (cmd: PropagatedCommand): void => {
    if (!cmd.targets.aof || this.fd < 0) return;
    const argv = cmd.argv;
    if (configOf(this.engine).get('aof-timestamp-enabled') === 'yes') {
      const now = Math.floor(Date.now() / 1000);
      if (now > this.lastTs) {
        this.pending += `#TS:${now}\r\n`;
        this.lastTs = now;
      }
    }
    this.pending += respCommand(argv);
    if (cmd.db >= 0 && argv.length === 2 && argv[0] === 'SELECT') return; // goes with what follows
    if (cmd.db === -1 && argv[0] === 'MULTI') {
      this.inMulti = true;
      return;
    }
    if (cmd.db === -1 && argv[0] === 'EXEC') this.inMulti = false;
    else if (this.inMulti) return;
    // A complete unit is buffered: written before the next replies leave, or soon.
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flushSoon);
    }
  };

  /** A write of the buffer is queued for the next turn of the event loop. */
  private flushQueued = false;
  private readonly flushSoon = (): void => {
    this.flushQueued = false;
    if (this.pending.length > 0 && !this.inMulti) this.flush();
  };

  /** engine.beforeReplies: writes the buffered units (fsynced with appendfsync always). */
  private readonly flushPending = (): void => {
    if (this.pending.length > 0 && !this.inMulti) this.flush();
  };

  /**
   * flushAppendOnlyFile: writes what the unit produced; fsyncs it now with appendfsync
   * always, else marks the file for the once-a-second fsync.
   */
  flush(forceFsync = false): void {
    if (this.fd < 0) {
      this.pending = '';
      return;
    }
    if (this.pending.length > 0) {
      const buf = Buffer.from(this.pending, 'latin1');
      this.pending = '';
      let off = 0;
      try {
        while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
        if (!this.lastWriteOk) this.log(LL_WARNING, 'AOF write error looks solved, the server can write again.');
        this.lastWriteOk = true;
      } catch (e) {
        this.log(LL_WARNING, `Error writing to the AOF file: ${errText(e)}`);
        if (off > 0) {
          // A partial command would corrupt the file: take it back (as Valkey's ftruncate).
          try {
            fs.ftruncateSync(this.fd, this.incrSize);
            off = 0;
          } catch (te) {
            this.log(
              LL_WARNING,
              `Could not remove short write from the append-only file.  Server may refuse to load the AOF the next time it starts.  ftruncate: ${errText(te)}`,
            );
          }
        }
        if (this.fsyncPolicy() === AOF_FSYNC_ALWAYS) {
          this.log(LL_WARNING, "Can't recover from AOF write error when the AOF fsync policy is 'always'.");
        }
        this.lastWriteOk = false;
      }
      this.incrSize += off;
      this.currentSize += off;
      this.needFsync = true;
    }
    if (this.needFsync && (forceFsync || this.fsyncPolicy() === AOF_FSYNC_ALWAYS)) this.fsyncNow();
  }

  private fsyncNow(): void {
    if (this.fd < 0) return;
    try {
      fs.fsyncSync(this.fd);
      this.needFsync = false;
    } catch (e) {
      this.log(LL_WARNING, `Can't persist append only file to disk: ${errText(e)}`);
      this.lastWriteOk = false;
    }
  }

  /** The once-a-second job: everysec fsync, scheduled and automatic rewrites. */
  cron(): void {
    if (this.needFsync && this.fsyncPolicy() === AOF_FSYNC_EVERYSEC) this.fsyncNow();
    if (this.rewrite) return;
    if (this.rewriteScheduled && !aofHooks.otherChildActive?.(this.engine)) {
      this.rewriteBackground();
      return;
    }
    if (this.state !== 'on') return;
    const cfg = configOf(this.engine);
    const perc = cfg.number('auto-aof-rewrite-percentage');
    const min = cfg.number('auto-aof-rewrite-min-size');
    if (perc > 0 && this.currentSize > min) {
      const base = this.baseSize > 0 ? this.baseSize : 1;
      const growth = Math.floor((this.currentSize * 100) / base) - 100;
      if (growth >= perc && !aofHooks.otherChildActive?.(this.engine)) {
        this.log(LL_NOTICE, `Starting automatic rewriting of AOF on ${growth}% growth`);
        this.rewriteBackground();
      }
    }
  }

  /** Opens an incremental file for appending ('w': a new one, truncated; 'a': the last one). */
  private openIncr(name: string, mode: 'w' | 'a'): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.filePath(name), mode, 0o644);
    } catch (e) {
      this.log(LL_WARNING, `Can't open the append-only file ${name}: ${errText(e)}`);
      return false;
    }
    this.closeFd();
    this.fd = fd;
    this.fdName = name;
    this.incrSize = fs.fstatSync(fd).size;
    this.inMulti = false;
    this.pending = '';
    this.engine.propagation.resetSelectedDb();
    return true;
  }

  /** Flushes, fsyncs and closes the incremental file. */
  private closeFd(): void {
    if (this.fd < 0) return;
    this.flush(true);
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = -1;
    this.fdName = '';
  }

  /** The name of the incremental file written now ("" when none). */
  currentIncr(): string {
    return this.fdName;
  }

  // ---- switching on and off ----

  /**
   * aofOpenIfNeededOnServerStart: with appendonly yes, after loading. Writes a base when the
   * manifest has no files, opens the last incremental file (creating one when there is
   * none) and persists the manifest. False (logged) on failure: the server must not start.
   */
  openOnServerStart(): boolean {
    if (!this.ensureDir()) return false;
    const m = this.manifest;
    if (!m.base && m.incrs.length === 0) {
      const name = this.newBaseName(m);
      let data: Buffer;
      try {
        data = this.buildBase();
        writeFileDurable(this.filePath(name), data);
      } catch (e) {
        this.log(LL_WARNING, `Error writing the AOF base file ${name}: ${errText(e)}`);
        return false;
      }
      this.log(LL_NOTICE, `Creating AOF base file ${name} on server start`);
    }
    const hadIncr = m.incrs.length > 0;
    const last = hadIncr ? m.incrs[m.incrs.length - 1]!.name : this.newIncrName(m);
    if (!this.openIncr(last, hadIncr ? 'a' : 'w')) return false;
    if (!this.persistManifest()) return false;
    this.log(LL_NOTICE, `${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${last} on server start`);
    this.state = 'on';
    this.currentSize = (m.base ? this.fileSize(m.base.name) : 0) + m.incrs.reduce((n, f) => n + this.fileSize(f.name), 0);
    if (this.baseSize === 0) this.baseSize = m.base ? this.fileSize(m.base.name) : 0;
    this.attach();
    return true;
  }

  /** startAppendOnly (CONFIG SET appendonly yes): a rewrite writes the base; the AOF is on
   *  once it finished. Returns false when the rewrite could not start. */
  start(): boolean {
    if (this.state !== 'off') return true;
    this.state = 'wait_rewrite';
    if (aofHooks.otherChildActive?.(this.engine)) {
      this.rewriteScheduled = true;
      this.log(
        LL_NOTICE,
        'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.',
      );
      this.attach();
      return true;
    }
    if (this.rewrite) {
      this.log(
        LL_NOTICE,
        'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.',
      );
      this.killRewrite();
    }
    // The manifest on disk may be newer than ours (an embedded engine never loaded it).
    try {
      this.loadManifestFromDisk();
    } catch {
      this.manifest = new AofManifest();
    }
    if (this.rewriteBackground() === 'error') {
      this.state = 'off';
      this.log(
        LL_WARNING,
        "The server needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
      );
      return false;
    }
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no): flush, fsync and close; a rewrite running is
   *  abandoned. */
  stop(): void {
    if (this.state === 'off') return;
    this.flush(true);
    const wasWaiting = this.state === 'wait_rewrite';
    const name = this.fdName;
    this.closeFd();
    this.state = 'off';
    this.rewriteScheduled = false;
    this.incrSize = 0;
    this.killRewrite();
    if (wasWaiting && name === this.tempIncrName()) fs.rmSync(this.filePath(name), { force: true });
    this.detachAll();
  }

  /** Flushes and fsyncs (shutdown: "Calling fsync() on the AOF file."). */
  shutdownFlush(): void {
    if (this.fd < 0) return;
    this.log(LL_NOTICE, 'Calling fsync() on the AOF file.');
    this.flush(true);
  }

  /** Stops everything without touching the files (the engine is going away). */
  close(): void {
    this.closeFd();
    this.detachAll();
    if (this.rewrite) this.rewrite.cancelled = true;
  }

  private killRewrite(): void {
    if (!this.rewrite) return;
    this.log(LL_NOTICE, `Killing running AOF rewrite child: ${process.pid}`);
    this.rewrite.cancelled = true;
  }

  // ---- rewriting ----

  /** getNewBaseFileNameAndMarkPreAsHistory on `m`. */
  private newBaseName(m: AofManifest): string {
    if (m.base) {
      m.history.unshift({ ...m.base, type: 'h' });
    }
    const preamble = configOf(this.engine).get('aof-use-rdb-preamble') !== 'no';
    const name = `${this.fileName()}.${++m.baseSeq}${BASE_FILE_SUFFIX}${preamble ? RDB_FORMAT_SUFFIX : AOF_FORMAT_SUFFIX}`;
    m.base = { name, seq: m.baseSeq, type: 'b' };
    return name;
  }

  /** getNewIncrAofName on `m`: a new incremental file at the end of the list. */
  private newIncrName(m: AofManifest): string {
    const name = `${this.fileName()}.${++m.incrSeq}${INCR_FILE_SUFFIX}${AOF_FORMAT_SUFFIX}`;
    m.incrs.push({ name, seq: m.incrSeq, type: 'i' });
    return name;
  }

  /** The dataset as a base file: an RDB image or commands. Throws on failure. */
  private buildBase(): Buffer {
    const cfg = configOf(this.engine);
    // Valkey's rewrite child fires AOF_START/ENDED around its work; here that work is this snapshot.
    fireServerEvent(this.engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_AOF_START);
    try {
      const base =
        cfg.get('aof-use-rdb-preamble') !== 'no'
          ? serializeRdb(this.engine, { aofBase: true })
          : rewriteCommands(this.engine, { timestamp: cfg.get('aof-timestamp-enabled') === 'yes' });
      fireServerEvent(this.engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_ENDED);
      return base;
    } catch (e) {
      fireServerEvent(this.engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_FAILED);
      throw e;
    }
  }

  /**
   * rewriteAppendOnlyFileBackground: switches writes to a new incremental file, snapshots
   * the dataset and writes it as the next base in the background.
   */
  rewriteBackground(): RewriteStart {
    if (this.rewrite) return 'in_progress';
    if (!this.ensureDir()) return this.rewriteFailed();
    this.rewriteScheduled = false;
    // openNewIncrAofForAppend
    if (this.state === 'on') {
      const m = this.manifest.clone();
      const name = this.newIncrName(m);
      const prevFd = this.fd;
      this.flush(true);
      let fd: number;
      try {
        fd = fs.openSync(this.filePath(name), 'w', 0o644);
      } catch (e) {
        this.log(LL_WARNING, `Can't open the append-only file ${name}: ${errText(e)}`);
        return this.rewriteFailed();
      }
      if (!this.persistManifest(m)) {
        fs.closeSync(fd);
        fs.rmSync(this.filePath(name), { force: true });
        return this.rewriteFailed();
      }
      this.manifest = m;
      this.fd = -1;
      if (prevFd >= 0) fs.closeSync(prevFd);
      this.fd = fd;
      this.fdName = name;
      this.incrSize = 0;
      this.inMulti = false;
      this.engine.propagation.resetSelectedDb();
    } else if (this.state === 'wait_rewrite') {
      if (!this.openIncr(this.tempIncrName(), 'w')) return this.rewriteFailed();
      this.attach();
    }
    let data: Buffer;
    try {
      data = this.buildBase();
    } catch (e) {
      this.log(LL_WARNING, `Error rewriting the append only file: ${(e as Error).message}`);
      return this.rewriteFailed();
    }
    const tmp = this.filePath(`temp-rewriteaof-bg-${process.pid}.aof`);
    let settle!: () => void;
    const rw: Rewrite = { start: Date.now(), cancelled: false, done: new Promise<void>((r) => (settle = r)) };
    this.rewrite = rw;
    this.log(LL_NOTICE, `Background append only file rewriting started by pid ${process.pid}`);
    writeFileDurableAsync(tmp, data).then(
      () => {
        this.rewrite = undefined;
        try {
          if (rw.cancelled) fs.rmSync(tmp, { force: true });
          else this.rewriteDone(tmp, rw);
        } finally {
          settle();
        }
      },
      (e: unknown) => {
        this.rewrite = undefined;
        try {
          fs.rmSync(tmp, { force: true });
          if (!rw.cancelled) {
            this.log(LL_WARNING, `Write error writing append only file on disk: ${errText(e)}`);
            this.log(LL_WARNING, 'Background AOF rewrite terminated with error');
            this.lastBgrewriteOk = false;
            this.consecutiveFailures++;
          }
        } finally {
          settle();
        }
      },
    );
    return 'started';
  }

  private rewriteFailed(): RewriteStart {
    this.lastBgrewriteOk = false;
    this.consecutiveFailures++;
    return 'error';
  }

  /** backgroundRewriteDoneHandler: the base is on disk as `tmp`. */
  private rewriteDone(tmp: string, rw: Rewrite): void {
    this.log(LL_NOTICE, 'Background AOF rewrite terminated with success');
    const m = this.manifest.clone();
    const baseName = this.newBaseName(m);
    const fail = (): void => {
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
    };
    try {
      fs.renameSync(tmp, this.filePath(baseName));
    } catch (e) {
      this.log(LL_WARNING, `Error trying to rename the temporary AOF base file ${path.basename(tmp)} into ${baseName}: ${errText(e)}`);
      fs.rmSync(tmp, { force: true });
      return fail();
    }
    if (this.state === 'wait_rewrite') {
      const incrName = this.newIncrName(m);
      const tempIncr = this.tempIncrName();
      try {
        fs.renameSync(this.filePath(tempIncr), this.filePath(incrName));
      } catch (e) {
        this.log(
          LL_WARNING,
          `Error trying to rename the temporary AOF incr file ${this.filePath(tempIncr)} into ${this.filePath(incrName)}: ${errText(e)}`,
        );
        fs.rmSync(this.filePath(baseName), { force: true });
        return fail();
      }
      // The open descriptor follows the rename.
      if (this.fdName === tempIncr) this.fdName = incrName;
    }
    // markRewrittenIncrAofAsHistory: every incr but the one written now (all when off).
    const keep = this.fd >= 0 ? 1 : 0;
    const moved = m.incrs.splice(0, m.incrs.length - keep);
    for (let i = moved.length - 1; i >= 0; i--) m.history.unshift({ ...moved[i]!, type: 'h' });
    if (!this.persistManifest(m)) {
      fs.rmSync(this.filePath(baseName), { force: true });
      return fail();
    }
    this.manifest = m;
    if (this.state !== 'off') {
      this.currentSize = this.fileSize(baseName) + this.incrSize;
      this.baseSize = this.currentSize;
    }
    this.deleteHistoryFiles();
    this.lastBgrewriteOk = true;
    this.consecutiveFailures = 0;
    this.rewrites++;
    this.lastRewriteTimeSec = Math.floor((Date.now() - rw.start) / 1000);
    this.log(LL_NOTICE, 'Background AOF rewrite finished successfully');
    if (this.state === 'wait_rewrite') this.state = 'on';
  }

  /** INFO persistence: the aof_* fields Valkey always shows. */
  infoFields(): [string, string | number][] {
    return [
      ['aof_enabled', this.state !== 'off' ? 1 : 0],
      ['aof_rewrite_in_progress', this.rewrite ? 1 : 0],
      ['aof_rewrite_scheduled', this.rewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteTimeSec],
      ['aof_current_rewrite_time_sec', this.currentRewriteTimeSec()],
      ['aof_last_bgrewrite_status', this.lastBgrewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', this.rewrites],
      ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
      ['aof_last_write_status', this.lastWriteOk ? 'ok' : 'err'],
      ['aof_last_cow_size', 0],
    ];
  }

  /** INFO persistence: the fields shown while appendonly is yes. */
  enabledInfoFields(): [string, string | number][] {
    return [
      ['aof_current_size', this.currentSize],
      ['aof_base_size', this.baseSize],
      ['aof_pending_rewrite', this.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', this.pending.length],
      ['aof_pending_bio_fsync', 0],
      ['aof_delayed_fsync', this.delayedFsync],
    ];
  }
}

/** The aof_* lines INFO persistence always shows (aof_enabled ... aof_last_cow_size). */
export function aofInfoFields(engine: Engine): [string, string | number][] {
  return aofOf(engine).infoFields();
}

/** The aof_* lines INFO persistence shows at its end while appendonly is yes. */
export function aofEnabledInfoFields(engine: Engine): [string, string | number][] {
  return configOf(engine).get('appendonly') === 'yes' ? aofOf(engine).enabledInfoFields() : [];
}
