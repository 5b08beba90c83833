/**
 * Loading the append-only file at startup (Valkey's loadAppendOnlyFiles and
 * loadSingleAppendOnlyFile): the manifest's base, then its incremental files in order, each
 * replayed through the engine by a fake client whose id is UINT64_MAX (what
 * ValkeyModule_IsAOFClient tests; passed as -1, which the addon turns into UINT64_MAX).
 *
 * A file starting with "REDIS" is an RDB image (an RDB base, or an old-style preamble)
 * loaded with rdb-file.ts; what follows it is read as commands. Commands are RESP multibulk;
 * `#` lines are annotations (`#TS:` timestamps) and are skipped.
 *
 * A file that ends inside a command, or with a MULTI that never got its EXEC, is truncated:
 * with aof-load-truncated yes (the default) the data up to the last complete command is
 * kept, the file is cut there and loading goes on (only the last file may be truncated);
 * with no the load fails. Anything else malformed is a format error.
 */
import {
  fireServerEvent,
  EVENT_LOADING,
  SUB_LOADING_AOF_START,
  SUB_LOADING_ENDED,
  SUB_LOADING_FAILED,
} from '../modules/server-events.js';
import fs from 'node:fs';
import type { Engine } from '../engine/engine.js';
import { configOf } from '../engine/config.js';
import { LL_NOTICE, LL_WARNING } from '../engine/log.js';
import { Client } from '../server/client.js';
import { RespWriter } from '../protocol/resp-writer.js';
import { loadRdbBuffer } from './rdb-file.js';
import { aofOf, errText, type Aof } from './aof.js';

export type AofLoadStatus = 'ok' | 'not_exist' | 'empty' | 'open_err' | 'failed' | 'truncated';

/** VALKEYMODULE_CTX_FLAGS_PRIMARY and _LOADING (this engine is always a primary). */
const CTX_FLAGS_PRIMARY = 1 << 2;
const CTX_FLAGS_LOADING = 1 << 13;

/** The client id AOF commands run with: UINT64_MAX on the module side. */
export const AOF_CLIENT_ID = -1;

/** Whether a client is the AOF loading client (ValkeyModule_IsAOFClient). */
export function isAofClient(c: Client): boolean {
  return c.id === AOF_CLIENT_ID;
}

function asciiLower(s: string): string {
  return s.toLowerCase();
}

/** loadSingleAppendOnlyFile: replays one file of the AOF directory. */
export function loadSingleAppendOnlyFile(engine: Engine, aof: Aof, name: string): AofLoadStatus {
  const file = aof.filePath(name);
  const log = engine.logger;
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      log.log(LL_WARNING, `The append log file ${name} doesn't exist: ${errText(e)}`);
      return 'not_exist';
    }
    log.log(LL_WARNING, `Fatal error: can't open the append log file ${name} for reading: ${errText(e)}`);
    return 'open_err';
  }
  if (buf.length === 0) return 'empty';

  const cfg = configOf(engine);
  const loadTruncated = cfg.get('aof-load-truncated') !== 'no';
  const len = buf.length;
  let pos = 0;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let inMulti = false;

  if (len >= 5 && buf.toString('latin1', 0, 5) === 'REDIS') {
    const oldStyle = name === aof.fileName();
    log.log(LL_NOTICE, oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    try {
      const r = loadRdbBuffer(engine, buf, { aofPreamble: true });
      pos = r.end;
      validUpTo = pos;
    } catch (e) {
      log.log(LL_WARNING, (e as Error).message);
      log.log(
        LL_WARNING,
        oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
          : `Error reading the RDB base file ${name}, AOF loading aborted`,
      );
      return 'failed';
    }
    if (oldStyle) log.log(LL_NOTICE, 'Reading the remaining AOF tail...');
  }

  const client = new Client(engine, AOF_CLIENT_ID);
  const w = new RespWriter(2);
  const wasLoading = engine.loading;
  engine.loading = true;
  type End = 'ok' | 'uxeof' | 'fmterr' | 'failed';
  let end: End = 'ok';
  try {
    outer: for (;;) {
      if (pos >= len) break;
      const c0 = buf[pos]!;
      if (c0 === 0x23 /* # */) {
        const nl = buf.indexOf(10, pos);
        pos = nl < 0 ? len : nl + 1;
        continue;
      }
      if (c0 !== 0x2a /* * */) {
        end = 'fmterr';
        break;
      }
      let nl = buf.indexOf(10, pos);
      if (nl < 0 || nl === pos + 1) {
        // "*" alone or a header cut short
        if (nl < 0) {
          end = 'uxeof';
          break;
        }
      }
      const argc = parseInt(buf.toString('latin1', pos + 1, nl), 10);
      if (!(argc >= 1)) {
        end = 'fmterr';
        break;
      }
      pos = nl + 1;
      const argv = new Array<string>(argc);
      for (let j = 0; j < argc; j++) {
        if (pos >= len) {
          end = 'uxeof';
          break outer;
        }
        if (buf[pos] !== 0x24 /* $ */) {
          end = 'fmterr';
          break outer;
        }
        nl = buf.indexOf(10, pos);
        if (nl < 0) {
          end = 'uxeof';
          break outer;
        }
        const n = parseInt(buf.toString('latin1', pos + 1, nl), 10);
        if (!(n >= 0)) {
          end = 'fmterr';
          break outer;
        }
        pos = nl + 1;
        if (pos + n + 2 > len) {
          end = 'uxeof';
          break outer;
        }
        argv[j] = buf.toString('latin1', pos, pos + n);
        pos += n + 2;
      }
      const name0 = argv[0]!;
      if (!engine.commands.get(name0)) {
        log.log(LL_WARNING, `Unknown command '${name0}' reading the append only file ${name}`);
        end = 'failed';
        break;
      }
      const lower = asciiLower(name0);
      if (lower === 'multi') {
        validBeforeMulti = validUpTo;
        inMulti = true;
      } else if (lower === 'exec' || lower === 'discard') {
        inMulti = false;
      }
      const done = engine.execute(client, argv, w);
      if (done !== undefined) {
        // AOF commands never block; a command that does is left to finish on its own.
        done.catch(() => {});
      }
      if (w.length > 65536) w.take();
      if (loadTruncated) validUpTo = pos;
    }
    if (end === 'ok' && inMulti) {
      log.log(LL_WARNING, `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
      validUpTo = validBeforeMulti;
      end = 'uxeof';
    }
  } finally {
    if (inMulti) engine.execute(client, ['DISCARD'], w);
    w.take();
    engine.unregisterClient(client);
    engine.loading = wasLoading;
  }

  if (end === 'ok') return 'ok';
  if (end === 'failed') return 'failed';
  if (end === 'fmterr') {
    log.log(
      LL_WARNING,
      `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>`,
    );
    return 'failed';
  }
  // Unexpected end of file.
  if (loadTruncated) {
    log.log(LL_WARNING, `!!! Warning: short read while loading the AOF file ${name}!!!`);
    log.log(LL_WARNING, `!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      fs.truncateSync(file, validUpTo);
      log.log(LL_WARNING, `AOF ${name} loaded anyway because aof-load-truncated is enabled`);
      return 'truncated';
    } catch (e) {
      log.log(LL_WARNING, `Error truncating the AOF file ${name}: ${errText(e)}`);
    }
  }
  log.log(
    LL_WARNING,
    `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./valkey-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
  );
  return 'failed';
}

/**
 * loadAppendOnlyFiles: base then incremental files of the manifest. 'not_exist' when the
 * manifest lists nothing, 'empty' when every file is empty; 'failed'/'open_err' stop the
 * server. Sets engine.loading throughout.
 */
export function loadAppendOnlyFiles(engine: Engine, aof: Aof = aofOf(engine)): AofLoadStatus {
  const m = aof.manifest;
  const log = engine.logger;
  if (!m.base && m.incrs.length === 0) return 'not_exist';
  const files = [...(m.base ? [m.base] : []), ...m.incrs];
  let total = 0;
  for (const f of files) {
    try {
      total += fs.statSync(aof.filePath(f.name)).size;
    } catch (e) {
      log.log(LL_WARNING, `Unable to obtain the AOF file ${f.name} length. stat: ${errText(e)}`);
      return 'failed';
    }
  }
  if (total === 0) return 'empty';
  fireServerEvent(engine, EVENT_LOADING, SUB_LOADING_AOF_START);
  const wasLoading = engine.loading;
  engine.loading = true;
  // Module contexts (the replayed commands', rdb_load of the base) answer LOADING meanwhile.
  if (!wasLoading) engine.registry.native.setServerFlags(CTX_FLAGS_PRIMARY | CTX_FLAGS_LOADING);
  let ret: AofLoadStatus = 'ok';
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const last = i === files.length - 1;
      const t0 = performance.now();
      ret = loadSingleAppendOnlyFile(engine, aof, f.name);
      if (ret === 'ok' || (ret === 'truncated' && last)) {
        log.log(LL_NOTICE, `DB loaded from ${f.type === 'b' ? 'base' : 'incr'} file ${f.name}: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
      }
      if (ret === 'empty' && f.type === 'i') ret = 'ok';
      if (ret === 'truncated' && !last) {
        ret = 'failed';
        log.log(LL_WARNING, 'Fatal error: the truncated file is not the last file');
      }
      if (ret === 'not_exist') ret = 'failed';
      if (ret === 'open_err' || ret === 'failed') return ret;
    }
    aof.currentSize = total;
    aof.baseSize = m.base ? aof.fileSize(m.base.name) : 0;
    engine.dirty = 0;
    return ret === 'empty' ? 'ok' : ret;
  } finally {
    engine.loading = wasLoading;
    if (!wasLoading) engine.registry.native.setServerFlags(CTX_FLAGS_PRIMARY);
    fireServerEvent(engine, EVENT_LOADING, ret === 'ok' || ret === 'truncated' || ret === 'empty' ? SUB_LOADING_ENDED : SUB_LOADING_FAILED);
  }
}

/**
 * Server start with appendonly yes (loadDataFromDisk's AOF branch, then
 * aofOpenIfNeededOnServerStart and aofDelHistoryFiles). Returns false when the server must
 * exit (reason logged). With appendonly no it only reads the manifest and returns true:
 * the caller loads the RDB file.
 */
export function startAofAtBoot(engine: Engine): boolean {
  const aof = aofOf(engine);
  aof.booting = false;
  try {
    aof.loadManifestFromDisk();
  } catch {
    return false;
  }
  if (configOf(engine).get('appendonly') !== 'yes') return true;
  const t0 = performance.now();
  const r = loadAppendOnlyFiles(engine, aof);
  if (r === 'failed' || r === 'open_err') return false;
  if (r !== 'not_exist') {
    engine.logger.log(LL_NOTICE, `DB loaded from append only file: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
  }
  if (!aof.openOnServerStart()) return false;
  aof.deleteHistoryFiles();
  return true;
}

/**
 * DEBUG LOADAOF: flushes the AOF, empties the dataset and loads it again from the AOF
 * files. False when there is no AOF or the load failed or was truncated (Valkey's
 * ret != AOF_OK && ret != AOF_EMPTY: the command then replies an error).
 */
export function debugLoadAof(engine: Engine, flushAll: () => void): boolean {
  const aof = aofOf(engine);
  if (aof.state !== 'off') aof.flush(true);
  flushAll();
  try {
    aof.loadManifestFromDisk();
  } catch {
    return false;
  }
  const r = loadAppendOnlyFiles(engine, aof);
  if (r !== 'ok' && r !== 'empty') return false;
  engine.dirty = 0;
  engine.logger.log(LL_NOTICE, 'Append Only File loaded by DEBUG LOADAOF');
  return true;
}
