/**
 * Bridge operations of the whole-dataset RDB API (native/api/rdbstream.cc): RdbSave and
 * RdbLoad of a file named by an RDB stream. Each answers 0 or an errno value, which the
 * native side puts in errno.
 */
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { LL_WARNING } from '../engine/log.js';
import { emptyData } from '../commands/server.js';
import { RdbError } from '../persistence/rdb-value.js';
import { serializeRdb } from '../persistence/rdb-file.js';
import { dataDir, killBgsave, rdbLoadFile, writeRdbFileSync } from '../persistence/rdb-save.js';

// Op numbers (mirrored in native/api/rdbstream.cc).
const OP_RDB_SAVE_FILE = 1100; // (a: filename) -> 0 or errno
const OP_RDB_LOAD_FILE = 1101; // (a: filename) -> 0 or errno

const EINVAL = 22;
const ENOENT = 2;
const EIO = 5;

/** errno number of a Node file system error (EIO when unknown). */
function errnoOf(e: unknown): number {
  const n = (e as NodeJS.ErrnoException).errno;
  return typeof n === 'number' ? Math.abs(n) : EIO;
}

/** A module-given file name (bytes as latin1), relative to `dir` as Valkey's cwd is. */
function filePath(engine: Engine, name: string): string {
  return path.resolve(dataDir(engine), Buffer.from(name, 'latin1').toString('utf8'));
}

/** Serves ops 1100-1199. */
export function persistenceKeyOp(engine: Engine, op: number, _db: number, _key: string, a: unknown): unknown {
  if (typeof a !== 'string' || a === '') return EINVAL;
  const file = filePath(engine, a);
  switch (op) {
    case OP_RDB_SAVE_FILE:
      try {
        writeRdbFileSync(engine, file, serializeRdb(engine));
        return 0;
      } catch (e) {
        if (e instanceof RdbError) {
          engine.logger.log(LL_WARNING, `Error saving DB on disk: ${e.message}`);
          return EIO;
        }
        return errnoOf(e);
      }
    case OP_RDB_LOAD_FILE: {
      // RM_RdbLoad: a running background save is outdated; the dataset is emptied first.
      killBgsave(engine);
      emptyData(engine);
      const r = rdbLoadFile(engine, file);
      return r === 'ok' ? 0 : r === 'missing' ? ENOENT : EIO;
    }
    default:
      return undefined;
  }
}
