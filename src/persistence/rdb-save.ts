/**
 * Saving the dataset to `dir`/`dbfilename` and loading it back: SAVE, BGSAVE (with SCHEDULE
 * and CANCEL), `save` points checked in the engine cron, the final save at shutdown, FLUSHALL's
 * save, DEBUG RELOAD, the load at startup and the INFO persistence fields about RDB.
 *
 * Files are written as Valkey writes them: into `temp-<pid>.rdb` in the same directory,
 * fsynced, then renamed over the target (and the directory fsynced), so a crash never
 * leaves a half-written dump.rdb.
 *
 * BGSAVE: Valkey forks and the child writes a copy-on-write snapshot. A Node process cannot
 * fork with its V8 heap, so a background save here serializes the whole dataset
 * synchronously into a Buffer (that is the point-in-time snapshot, taken in one go on the
 * JS thread, so its cost is paid before BGSAVE answers), then writes, fsyncs and renames
 * the file asynchronously while the event loop keeps serving clients. The save counts as
 * "in progress" (rdb_bgsave_in_progress:1, a second BGSAVE refused) until the file is
 * renamed into place.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { LL_NOTICE, LL_WARNING } from '../engine/log.js';
import { statsOf } from '../engine/stats.js';
import { setShutdownSaver } from '../commands/shutdown.js';
import { emptyData } from '../commands/server.js';
import { RdbError } from './rdb-value.js';
import { fsyncDir, writeAllSync, writeFileDurableAsync } from './durable.js';
import {
  fireServerEvent,
  EVENT_LOADING,
  EVENT_PERSISTENCE,
  SUB_LOADING_ENDED,
  SUB_LOADING_FAILED,
  SUB_LOADING_RDB_START,
  SUB_PERSISTENCE_ENDED,
  SUB_PERSISTENCE_FAILED,
  SUB_PERSISTENCE_RDB_START,
  SUB_PERSISTENCE_SYNC_RDB_START,
} from '../modules/server-events.js';
import { loadRdbBuffer, serializeRdb, type SerializeOptions } from './rdb-file.js';

/** Seconds between retries of a failed automatic BGSAVE (CONFIG_BGSAVE_RETRY_DELAY). */
const BGSAVE_RETRY_DELAY = 5;

/** A background save being written. */
interface BgSave {
  temp: string;
  target: string;
  startMs: number;
  dirtyAtStart: number;
  cancelled: boolean;
  done: Promise<void>;
}

/** RDB persistence state of one engine. */
export interface PersistenceState {
  bgsave: BgSave | null;
  /** BGSAVE SCHEDULE: start one as soon as nothing else runs. */
  scheduled: boolean;
  lastBgsaveOk: boolean;
  /** When the last background save was tried (ms), for the retry delay of save points. */
  lastBgsaveTry: number;
  lastBgsaveTimeSec: number;
  saves: number;
  lastLoadKeysLoaded: number;
  lastLoadKeysExpired: number;
  /** Whether save points and the shutdown/FLUSHALL saves are active (server mode). */
  installed: boolean;
  /**
   * Another "child" (an AOF rewrite, helper C) is running: BGSAVE then answers Valkey's
   * "Another child process is active" error, or is scheduled with SCHEDULE.
   */
  otherChildActive?: () => boolean;
}

const states = new WeakMap<Engine, PersistenceState>();

/** The engine's RDB persistence state (created on first use). */
export function persistenceOf(engine: Engine): PersistenceState {
  let s = states.get(engine);
  if (!s) {
    s = {
      bgsave: null,
      scheduled: false,
      lastBgsaveOk: true,
      lastBgsaveTry: 0,
      lastBgsaveTimeSec: -1,
      saves: 0,
      lastLoadKeysLoaded: 0,
      lastLoadKeysExpired: 0,
      installed: false,
    };
    states.set(engine, s);
    engine.cronHooks.push(() => rdbCron(engine));
  }
  return s;
}

/** A config path value (latin1 bytes) as a file system path. */
function fsPath(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** The configured directory (absolute). */
export function dataDir(engine: Engine): string {
  return path.resolve(fsPath(configOf(engine).get('dir') ?? '.'));
}

/** The absolute path of `dir`/`dbfilename`. */
export function rdbFilePath(engine: Engine): string {
  return path.resolve(dataDir(engine), fsPath(configOf(engine).get('dbfilename') ?? 'dump.rdb'));
}

/** strerror-like text of a Node file system error. */
function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'ENOSPC': return 'No space left on device';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'EROFS': return 'Read-only file system';
    default: return code ?? String((e as Error).message ?? e);
  }
}


/**
 * Writes an RDB image to `file` through `temp-<pid>.rdb` in the same directory (fsync,
 * rename, directory fsync). Logs Valkey's error lines and throws the file system error.
 */
export function writeRdbFileSync(engine: Engine, file: string, data: Buffer): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `temp-${process.pid}.rdb`);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'w');
  } catch (e) {
    engine.logger.log(
      LL_WARNING,
      `Failed opening the temp RDB file ${path.basename(temp)} (in server root dir ${dir}) for saving: ${errText(e)}`,
    );
    throw e;
  }
  try {
    writeAllSync(fd, data);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    engine.logger.log(LL_WARNING, `Write error saving DB on disk: ${errText(e)}`);
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    engine.logger.log(
      LL_WARNING,
      `Error moving temp DB file ${path.basename(temp)} on the final destination ${path.basename(file)} (in server root dir ${dir}): ${errText(e)}`,
    );
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/**
 * A synchronous save of the whole dataset to `file` (default `dir`/`dbfilename`), as SAVE:
 * on success dirty is reset and LASTSAVE updated. Returns false (having logged why) on
 * failure.
 */
export function rdbSave(engine: Engine, file = rdbFilePath(engine), opts: SerializeOptions = {}): boolean {
  const st = persistenceOf(engine);
  let data: Buffer;
  fireServerEvent(engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_SYNC_RDB_START);
  try {
    data = serializeRdb(engine, opts);
    writeRdbFileSync(engine, file, data);
  } catch (e) {
    fireServerEvent(engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_FAILED);
    if (!(e instanceof RdbError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
    if (e instanceof RdbError) engine.logger.log(LL_WARNING, `Error saving DB on disk: ${e.message}`);
    st.lastBgsaveOk = false;
    return false;
  }
  fireServerEvent(engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_ENDED);
  engine.logger.log(LL_NOTICE, 'DB saved on disk');
  engine.dirty = 0;
  statsOf(engine).lastSave = Date.now();
  st.lastBgsaveOk = true;
  st.saves++;
  return true;
}

/** Whether a background save is being written. */
export function bgsaveInProgress(engine: Engine): boolean {
  return persistenceOf(engine).bgsave !== null;
}

/**
 * Starts a background save (rdbSaveBackground): the snapshot is serialized now, the file
 * written asynchronously. Returns undefined when started, or the reason it could not start.
 */
export function rdbSaveBackground(engine: Engine, file = rdbFilePath(engine)): string | undefined {
  const st = persistenceOf(engine);
  if (st.bgsave) return 'ERR Background save already in progress';
  st.lastBgsaveTry = Date.now();
  let data: Buffer;
  // Valkey's child fires RDB_START/ENDED around its save; here the snapshot is the child's work.
  fireServerEvent(engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_RDB_START);
  try {
    data = serializeRdb(engine);
    fireServerEvent(engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_ENDED);
  } catch (e) {
    fireServerEvent(engine, EVENT_PERSISTENCE, SUB_PERSISTENCE_FAILED);
    if (!(e instanceof RdbError)) throw e;
    engine.logger.log(LL_WARNING, `Can't save in background: ${e.message}`);
    st.lastBgsaveOk = false;
    return 'ERR';
  }
  const dir = path.dirname(file);
  const temp = path.join(dir, `temp-${process.pid}.rdb`);
  const job: BgSave = {
    temp,
    target: file,
    startMs: Date.now(),
    dirtyAtStart: engine.dirty,
    cancelled: false,
    done: Promise.resolve(),
  };
  st.bgsave = job;
  engine.logger.log(LL_NOTICE, `Background saving started by pid ${process.pid}`);
  job.done = writeAsync(engine, job, data);
  return undefined;
}

/** The asynchronous half of a background save; settles the state when done. */
async function writeAsync(engine: Engine, job: BgSave, data: Buffer): Promise<void> {
  const st = persistenceOf(engine);
  let ok = true;
  try {
    await writeFileDurableAsync(job.temp, data, 0o666);
    if (!job.cancelled) {
      await fs.promises.rename(job.temp, job.target);
      fsyncDir(path.dirname(job.target));
    }
  } catch (e) {
    ok = false;
    if (!job.cancelled) engine.logger.log(LL_WARNING, `Write error saving DB on disk: ${errText(e)}`);
  }
  if (job.cancelled || !ok) await fs.promises.rm(job.temp, { force: true }).catch(() => {});
  if (st.bgsave === job) st.bgsave = null;
  st.lastBgsaveTimeSec = Math.round((Date.now() - job.startMs) / 1000);
  if (job.cancelled) {
    engine.logger.log(LL_WARNING, 'Background saving terminated by signal 10');
    return;
  }
  if (ok) {
    engine.logger.log(LL_NOTICE, 'DB saved on disk');
    engine.logger.log(LL_NOTICE, 'Background saving terminated with success');
    engine.dirty = Math.max(0, engine.dirty - job.dirtyAtStart);
    statsOf(engine).lastSave = Date.now();
    st.lastBgsaveOk = true;
    st.saves++;
  } else {
    engine.logger.log(LL_WARNING, 'Background saving error');
    st.lastBgsaveOk = false;
  }
}

/** Stops a background save in progress (killRDBChild): its file is discarded. */
export function killBgsave(engine: Engine): boolean {
  const st = persistenceOf(engine);
  if (!st.bgsave) return false;
  st.bgsave.cancelled = true;
  st.bgsave = null;
  return true;
}

/** Resolves when the background save in progress (if any) has finished. */
export function waitBgsave(engine: Engine): Promise<void> {
  return persistenceOf(engine).bgsave?.done ?? Promise.resolve();
}

/** The save points of the `save` config: [seconds, changes] pairs. */
function savePoints(engine: Engine): [number, number][] {
  const parts = (configOf(engine).get('save') ?? '').split(' ').filter((s) => s !== '').map(Number);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) out.push([parts[i]!, parts[i + 1]!]);
  return out;
}

/**
 * One cron check (serverCron's part about RDB): a scheduled BGSAVE starts when nothing else
 * runs; otherwise the first save point reached (enough changes, enough seconds since the
 * last save, and not right after a failed attempt) starts a background save.
 */
export function rdbCron(engine: Engine): void {
  const st = persistenceOf(engine);
  if (st.bgsave || engine.loading || st.otherChildActive?.()) return;
  if (st.scheduled) {
    st.scheduled = false;
    rdbSaveBackground(engine);
    return;
  }
  if (!st.installed) return;
  const now = Date.now();
  const sinceSave = (now - statsOf(engine).lastSave) / 1000;
  const retryOk = st.lastBgsaveOk || (now - st.lastBgsaveTry) / 1000 > BGSAVE_RETRY_DELAY;
  for (const [seconds, changes] of savePoints(engine)) {
    if (engine.dirty >= changes && sinceSave > seconds && retryOk) {
      engine.logger.log(LL_NOTICE, `${changes} changes in ${seconds} seconds. Saving...`);
      rdbSaveBackground(engine);
      return;
    }
  }
}

/**
 * Server mode: save points in the cron, the final save at shutdown, the save after
 * FLUSHALL. (An embedded Engine only saves when told to, so it never writes dump.rdb into
 * the working directory on its own.)
 */
export function installPersistence(engine: Engine): void {
  const st = persistenceOf(engine);
  st.installed = true;
  setShutdownSaver(engine, () => {
    killBgsave(engine);
    return rdbSave(engine);
  });
}

/** FLUSHALL's part (flushAllDataAndResetRDB): a running BGSAVE is dropped and, in server
 *  mode with save points, the now empty dataset saved. */
export function afterFlushAll(engine: Engine): void {
  killBgsave(engine);
  if (persistenceOf(engine).installed && savePoints(engine).length > 0) rdbSave(engine);
}

/**
 * Loads an RDB file into the engine (rdbLoad): returns 'ok', 'missing' when there is no such
 * file, or 'error' when it could not be read or is corrupt (logged; the dataset is flushed).
 */
export function rdbLoadFile(
  engine: Engine,
  file: string,
  opts: { flush?: boolean; allowDuplicates?: boolean } = {},
): 'ok' | 'missing' | 'error' {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    engine.logger.log(LL_WARNING, `Fatal error: can't open the RDB file ${path.basename(file)} for reading: ${errText(e)}`);
    return 'error';
  }
  const st = persistenceOf(engine);
  fireServerEvent(engine, EVENT_LOADING, SUB_LOADING_RDB_START);
  try {
    const r = loadRdbBuffer(engine, data, opts);
    st.lastLoadKeysLoaded = r.keys;
    st.lastLoadKeysExpired = r.expired;
  } catch (e) {
    fireServerEvent(engine, EVENT_LOADING, SUB_LOADING_FAILED);
    if (!(e instanceof RdbError)) throw e;
    engine.logger.log(LL_WARNING, e.message);
    return 'error';
  }
  fireServerEvent(engine, EVENT_LOADING, SUB_LOADING_ENDED);
  return 'ok';
}

/**
 * The load at server startup (loadDataFromDisk), RDB part: loads `dir`/`dbfilename` when it
 * exists, logging as Valkey. Returns false when the file exists but cannot be loaded (the
 * server must then refuse to start). The AOF layer runs before this and skips it when AOF
 * is enabled.
 */
export function loadDataAtStartup(engine: Engine): boolean {
  const start = performance.now();
  const r = rdbLoadFile(engine, rdbFilePath(engine), { flush: false });
  if (r === 'error') {
    engine.logger.log(LL_WARNING, 'Fatal error loading the DB, check server logs. Exiting.');
    return false;
  }
  if (r === 'ok') {
    engine.logger.log(LL_NOTICE, `DB loaded from disk: ${((performance.now() - start) / 1000).toFixed(3)} seconds`);
    // The loaded dataset is what is on disk.
    engine.dirty = 0;
    statsOf(engine).lastSave = Date.now();
  }
  return true;
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves (unless NOSAVE), empties the dataset
 * (unless NOFLUSH), loads the file back (MERGE lets loaded keys replace existing ones).
 * Returns undefined for OK or the error reply.
 */
export function debugReload(engine: Engine, options: string[]): string | undefined {
  let flush = true;
  let save = true;
  let merge = false;
  for (const o of options) {
    const l = o.toLowerCase();
    if (l === 'merge') merge = true;
    else if (l === 'noflush') flush = false;
    else if (l === 'nosave') save = false;
    else return 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.';
  }
  const file = rdbFilePath(engine);
  if (save && !rdbSave(engine, file)) return 'ERR';
  if (flush) emptyData(engine);
  const r = rdbLoadFile(engine, file, { allowDuplicates: merge });
  if (r !== 'ok') return 'ERR Error trying to load the RDB dump, check server logs.';
  engine.logger.log(LL_NOTICE, 'DB reloaded by DEBUG RELOAD');
  return undefined;
}

/** INFO persistence fields about RDB, in Valkey's order (rdb_changes_since_last_save ...
 *  rdb_last_load_keys_loaded). */
export function rdbInfoFields(engine: Engine): [string, string | number][] {
  const st = persistenceOf(engine);
  const now = Date.now();
  return [
    ['rdb_changes_since_last_save', engine.dirty],
    ['rdb_bgsave_in_progress', st.bgsave ? 1 : 0],
    ['rdb_last_save_time', Math.floor(statsOf(engine).lastSave / 1000)],
    ['rdb_last_bgsave_status', st.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', st.lastBgsaveTimeSec],
    ['rdb_current_bgsave_time_sec', st.bgsave ? Math.floor((now - st.bgsave.startMs) / 1000) : -1],
    ['rdb_saves', st.saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', st.lastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', st.lastLoadKeysLoaded],
  ];
}
