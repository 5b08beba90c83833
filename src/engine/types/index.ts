/**
 * The value types a key can hold. Strings are plain one-byte JS strings (each char one
 * byte); every other type is a class from this folder.
 */
import { ListValue } from './list.js';
import { HashValue } from './hash.js';
import { SetValue } from './set.js';
import { ZSetValue } from './zset.js';
import { StreamValue } from './stream.js';
import { ModuleValue } from './module.js';

export { ListValue, HashValue, SetValue, ZSetValue, StreamValue, ModuleValue };

export type Value = string | ListValue | HashValue | SetValue | ZSetValue | StreamValue | ModuleValue;

/** TYPE's answer for a value. */
export function typeName(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (v instanceof ListValue) return 'list';
  if (v instanceof HashValue) return 'hash';
  if (v instanceof SetValue) return 'set';
  if (v instanceof ZSetValue) return 'zset';
  if (v instanceof StreamValue) return 'stream';
  return v.typeName();
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
