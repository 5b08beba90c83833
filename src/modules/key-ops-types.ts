/**
 * Key bridge operations 1200-1299: module data type values in the keyspace
 * (native/api/datatypes.cc, ops in native/host/modtype.h).
 */
import type { Engine } from '../engine/engine.js';
import { ModuleValue } from '../engine/types/index.js';

const KOP_MT_SET = 1200;
const KOP_MT_GET = 1201;

/**
 * 1200 ModuleTypeSetValue (db, key, a: handle, b: type index): deletes whatever the key held
 * (its module value is unlinked and freed after the command), then stores the new value
 * (no TTL). 1201 ModuleTypeGetType/GetValue (db, key): [type index, handle], or null when
 * the key is missing or does not hold a module value.
 */
export function typesKeyOp(engine: Engine, op: number, dbIndex: number, key: string, a: unknown, b: unknown): unknown {
  const db = engine.dbs[dbIndex];
  if (db === undefined) return undefined;
  switch (op) {
    case KOP_MT_SET: {
      const v = engine.moduleTypes.wrap(b as number, a as number);
      if (db.delete(key)) engine.dirty++;
      db.add(key, v); // no extra signal: CloseKey signals the write (unless NO_IMPLICIT_SIGNAL_MODIFIED)
      engine.dirty++;
      return true;
    }
    case KOP_MT_GET: {
      const v = db.entry(key)?.value;
      return v instanceof ModuleValue && !v.freed ? [v.typeId, v.handle] : null;
    }
    default:
      return undefined;
  }
}
