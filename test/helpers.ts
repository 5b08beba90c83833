/** Shared test helpers: where the repository is and how to build a test module. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { compileModule } from '../src/index.js';

/** The repository root (tests run from dist/test). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles test-modules/<name>.c (cached by content) and returns the .so path. */
export function testModule(name: string, target: 'valkey' | 'redis' = 'valkey'): string {
  return compileModule(path.join(repoRoot, 'test-modules', `${name}.c`), { target });
}
