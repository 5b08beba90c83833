/**
 * compileModule: builds a module's C source into a .so with cc, against our
 * include/valkeymodule.h. Results are cached by content (source, header, flags).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from './modules/native.js';

export interface CompileOptions {
  /** "valkey" (default) or "redis": the same source built to load into a Redis 7 server
   *  (our header then asks for RedisModule_ names and exports RedisModule_OnLoad). */
  target?: 'valkey' | 'redis';
  /** Where the .so goes (default: a cache folder under the system temp dir). */
  outDir?: string;
  /** Extra compiler flags, e.g. ["-DDEBUG", "-O0"]. */
  cflags?: string[];
  /** Extra source files compiled into the same module. */
  extraSources?: string[];
  /** The C compiler (default: $CC or "cc"). */
  cc?: string;
}

/** The folder holding our valkeymodule.h (add it with -I when building by hand). */
export const includeDir = path.join(packageRoot, 'include');

/**
 * Compiles `source` (a .c file path) into a shared object and returns its path.
 * Throws an Error with the compiler's output when compilation fails.
 */
export function compileModule(source: string, options: CompileOptions = {}): string {
  const target = options.target ?? 'valkey';
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const sources = [source, ...(options.extraSources ?? [])].map((s) => path.resolve(s));
  const flags = [
    '-shared',
    '-fPIC',
    '-O2',
    '-g',
    '-std=gnu11',
    '-Wall',
    `-I${includeDir}`,
    ...(target === 'redis' ? ['-DVMHOST_TARGET_REDIS'] : []),
    ...(options.cflags ?? []),
  ];
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ cc, flags, target }));
  for (const s of sources) hash.update(fs.readFileSync(s));
  hash.update(fs.readFileSync(path.join(includeDir, 'valkeymodule.h')));
  const digest = hash.digest('hex').slice(0, 16);
  const outDir = options.outDir ?? path.join(os.tmpdir(), `vmhost-modules-${process.getuid?.() ?? 0}`);
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.basename(source).replace(/\.c$/, '');
  const out = path.join(outDir, `${base}-${target}-${digest}.so`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(cc, [...flags, '-o', tmp, ...sources, '-lm', '-lpthread'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`compiling ${source} failed:\n${e.stderr?.toString() ?? e.message}`);
  }
  fs.renameSync(tmp, out);
  return out;
}
