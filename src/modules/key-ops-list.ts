/**
 * Key bridge operations of the list key API (native/api/keys_list.cc): ListPush, ListPop,
 * ListGet, ListSet, ListInsert and ListDelete, one call each.
 *
 * Failures come back as status numbers that the native side turns into errno values; the
 * checks run in the reference's order (wrong type before a missing READ/WRITE mode before
 * a bad index). Writes keep the list's encoding model right by using the same conversions
 * as the list commands (prepareGrow before adding, shrinkCheck after removing), create the
 * key through db.add and delete it when its last element goes. Like Valkey's low-level API
 * they fire no keyspace event of their own; CloseKey signals the modification.
 */
import type { Engine } from '../engine/engine.js';
import { ListValue } from '../engine/types/list.js';
import { collectionConfigOf } from '../engine/types/collections.js';

// Op numbers (native/api/keys_list.cc)
const LOP_PUSH = 100;    // a: element, b: where | MODE_OK<<1 -> status
const LOP_POP = 101;     // a: where, b: writable -> element or status
const LOP_GET = 102;     // a: index, b: readable -> element or status
const LOP_SET = 103;     // a: element, b: [index, writable] -> status
const LOP_INSERT = 104;  // a: element, b: [index, writable] -> status
const LOP_DELETE = 105;  // a: index, b: writable -> status

// Statuses (mapped to errno natively)
const OK = 0;
const E_NOTSUP = 1;
const E_BADF = 2;
const E_DOM = 3;

const HEAD = 0;

/** Pushes onto the list at `key`, creating it when the key is empty. */
function push(engine: Engine, dbIndex: number, key: string, value: string, head: boolean, writable: boolean): number {
  const db = engine.dbs[dbIndex]!;
  let list = db.entry(key)?.value;
  if (list !== undefined && !(list instanceof ListValue)) return E_NOTSUP;
  if (!writable) return E_BADF;
  if (list === undefined) {
    list = new ListValue();
    db.add(key, list);
  }
  list.prepareGrow(value.length, 1, collectionConfigOf(engine));
  if (head) list.pushHead(value);
  else list.pushTail(value);
  engine.dirty++;
  return OK;
}

/** After removing an element: deletes the key when the list is empty, else lets the
 *  encoding shrink back (moduleDelKeyIfEmpty / listTypeTryConversion). */
function removed(engine: Engine, dbIndex: number, key: string, list: ListValue): void {
  if (list.length === 0) engine.dbs[dbIndex]!.delete(key);
  else list.shrinkCheck(collectionConfigOf(engine));
  engine.dirty++;
}

/** Runs one list key operation (op numbers in native/api/keys_list.cc). */
export function listKeyOp(engine: Engine, op: number, dbIndex: number, key: string, a: unknown, b: unknown): unknown {
  const db = engine.dbs[dbIndex];
  if (!db) return E_NOTSUP;
  switch (op) {
    case LOP_PUSH: {
      const flags = b as number;
      return push(engine, dbIndex, key, a as string, (flags & 1) === HEAD, (flags & 2) !== 0);
    }
    case LOP_POP: {
      const list = db.entry(key)?.value;
      if (!(list instanceof ListValue)) return E_NOTSUP;
      if (!b) return E_BADF;
      const v = (a as number) === HEAD ? list.popHead()! : list.popTail()!;
      removed(engine, dbIndex, key, list);
      return v;
    }
    case LOP_GET: {
      const list = db.entry(key)?.value;
      if (!(list instanceof ListValue)) return E_NOTSUP;
      if (!b) return E_BADF;
      let index = a as number;
      const len = list.length;
      if (index < -len || index >= len) return E_DOM;
      if (index < 0) index += len;
      return list.at(index);
    }
    case LOP_SET: {
      const [index0, writable] = b as [number, boolean];
      const value = a as string;
      const list = db.entry(key)?.value;
      if (!(list instanceof ListValue)) return E_NOTSUP;
      // The conversion check runs before the mode and index checks, as in the reference.
      list.prepareGrow(value.length, 1, collectionConfigOf(engine));
      if (!writable) return E_BADF;
      const len = list.length;
      if (index0 < -len || index0 >= len) return E_DOM;
      list.setAt(index0 < 0 ? index0 + len : index0, value);
      engine.dirty++;
      return OK;
    }
    case LOP_INSERT: {
      const [index, writable] = b as [number, boolean];
      const value = a as string;
      const list = db.entry(key)?.value;
      // Inserting into an empty key, after the last or before the first element is a push.
      if (list === undefined && (index === 0 || index === -1)) return push(engine, dbIndex, key, value, false, writable);
      if (list instanceof ListValue) {
        const len = list.length;
        if (index === len || index === -1) return push(engine, dbIndex, key, value, false, writable);
        if (index === 0 || index === -len - 1) return push(engine, dbIndex, key, value, true, writable);
      }
      if (!(list instanceof ListValue)) return E_NOTSUP;
      list.prepareGrow(value.length, 1, collectionConfigOf(engine));
      if (!writable) return E_BADF;
      const len = list.length;
      if (index < -len || index >= len) return E_DOM;
      // A negative index names the new element's place from the tail: insert after the
      // element now there; a positive one: insert before it.
      if (index < 0) list.insertAt(index + len, value, true);
      else list.insertAt(index, value, false);
      engine.dirty++;
      return OK;
    }
    case LOP_DELETE: {
      const list = db.entry(key)?.value;
      if (!(list instanceof ListValue)) return E_NOTSUP;
      if (!b) return E_BADF;
      let index = a as number;
      const len = list.length;
      if (index < -len || index >= len) return E_DOM;
      if (index < 0) index += len;
      list.removeAt(index);
      removed(engine, dbIndex, key, list);
      return OK;
    }
    default:
      return undefined;
  }
}
