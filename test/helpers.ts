/** Shared test helpers: where the repository is, how to build a test module, reply shapes
 *  for assertions, and polling for asynchronous effects. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { compileModule, ReplyError, SimpleString, type Reply } from '../src/index.js';

/** The repository root (tests run from dist/test). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles test-modules/<name>.c (cached by content) and returns the .so path. */
export function testModule(name: string, target: 'valkey' | 'redis' = 'valkey'): string {
  return compileModule(path.join(repoRoot, 'test-modules', `${name}.c`), { target });
}

/** A reply as plain data for deepEqual: simple strings as their text, errors as `-message`. */
export function plain(r: Reply): unknown {
  if (r instanceof SimpleString) return r.value;
  if (r instanceof ReplyError) return `-${r.message}`;
  if (Array.isArray(r)) return r.map(plain);
  return r;
}

/** Whether a reply is RESP2's null array (*-1). */
export function isNullArray(r: unknown): boolean {
  return r !== null && typeof r === 'object' && (r as object).constructor.name === 'NullArray';
}

/** Polls every 5 ms (a ref'd timer keeps Node alive meanwhile) until `cond` holds; fails
 *  after 5 s naming `what`. A wait for an effect, never a timing assertion. */
export async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
