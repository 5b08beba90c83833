/**
 * ABI tests for include/valkeymodule.h: struct layouts and constant values
 * (test/abi/abi_check.c, compiled as C for the module view and as C++ in
 * VALKEYMODULE_CORE mode for the host view), warning-free compilation in every
 * mode, and coverage of the API table by the header's function pointers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: this file runs as dist/test/abi.test.js. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const header = path.join(repoRoot, 'include', 'valkeymodule.h');
const abiCheck = path.join(repoRoot, 'test', 'abi', 'abi_check.c');
const tableCc = path.join(repoRoot, 'native', 'api', 'table_list.h'); // the rows of table.cc

const C_FLAGS = ['-Wall', '-Wextra', '-Werror', '-std=c11'];
const CXX_FLAGS = ['-std=c++17', '-Wall', '-Wextra', '-Werror'];

/** Runs a compiler; fails the test with its diagnostics on a non-zero exit. */
function compile(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.error, undefined, `${cmd} could not run: ${String(r.error)}`);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

/** Runs a built checker and asserts it reports no failures. */
function runChecker(exe: string): void {
  const r = spawnSync(exe, [], { encoding: 'utf8' });
  assert.equal(r.status, 0, `ABI check failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /^\d+ passed, 0 failed$/m);
}

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'vmhost-abi-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names X of every `(*ValkeyModule_X)(` pointer declaration in the header. */
function declaredApis(): Set<string> {
  const text = readFileSync(header, 'utf8');
  return new Set([...text.matchAll(/\(\*ValkeyModule_(\w+)\)\(/g)].map((m) => m[1]!));
}

test('abi_check.c: layouts and constants, module view (C11)', () => {
  withTempDir((dir) => {
    const exe = path.join(dir, 'abi_check');
    compile('cc', [...C_FLAGS, abiCheck, '-o', exe]);
    runChecker(exe);
  });
});

test('abi_check.c: layouts and constants, host view (C++17, VALKEYMODULE_CORE)', () => {
  withTempDir((dir) => {
    const exe = path.join(dir, 'abi_check_core');
    compile('g++', [...CXX_FLAGS, '-DVALKEYMODULE_CORE', '-x', 'c++', abiCheck, '-o', exe]);
    runChecker(exe);
  });
});

test('header compiles warning-free in every mode', () => {
  compile('cc', [...C_FLAGS, '-fsyntax-only', '-x', 'c', header]);
  compile('cc', ['-Wall', '-Wextra', '-Werror', '-std=c99', '-fsyntax-only', '-x', 'c', header]);
  compile('cc', [...C_FLAGS, '-DVMHOST_TARGET_REDIS', '-fsyntax-only', '-x', 'c', header]);
  compile('g++', [...CXX_FLAGS, '-fsyntax-only', '-x', 'c++', header]);
  compile('g++', [...CXX_FLAGS, '-DVALKEYMODULE_CORE', '-fsyntax-only', '-x', 'c++', header]);
});

test('core mode declares no API pointers and no Init', () => {
  withTempDir((dir) => {
    // In core mode these names must be free for the host to use.
    const src = path.join(dir, 'core.cc');
    writeFileSync(
      src,
      '#define VALKEYMODULE_CORE\n' +
        `#include "${header}"\n` +
        'struct ValkeyModuleCtx { void *getapi; };\n' +
        'struct ValkeyModuleString { int refcount; };\n' +
        'static int ValkeyModule_Init(int x) { return x; }\n' +
        'int (*ValkeyModule_CreateCommand)(void) = nullptr;\n' +
        'int main() { ValkeyModuleCtx c{nullptr}; return ValkeyModule_Init(0) + (c.getapi != nullptr); }\n',
    );
    compile('g++', [...CXX_FLAGS, '-fsyntax-only', src]);
  });
});

test('a tiny module builds into a shared object (Valkey and Redis targets)', () => {
  withTempDir((dir) => {
    const src = path.join(dir, 'tiny.c');
    writeFileSync(
      src,
      '#include "valkeymodule.h"\n' +
        'static int Answer(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {\n' +
        '    VALKEYMODULE_NOT_USED(argv);\n' +
        '    VALKEYMODULE_NOT_USED(argc);\n' +
        '    return ValkeyModule_ReplyWithLongLong(ctx, 42);\n' +
        '}\n' +
        'int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {\n' +
        '    VALKEYMODULE_NOT_USED(argv);\n' +
        '    VALKEYMODULE_NOT_USED(argc);\n' +
        '    if (ValkeyModule_Init(ctx, "tiny", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR)\n' +
        '        return VALKEYMODULE_ERR;\n' +
        '    return ValkeyModule_CreateCommand(ctx, "tiny.answer", Answer, "readonly fast", 0, 0, 0);\n' +
        '}\n',
    );
    const include = `-I${path.join(repoRoot, 'include')}`;
    for (const [target, extra, entry] of [
      ['valkey', [] as string[], 'ValkeyModule_OnLoad'],
      ['redis', ['-DVMHOST_TARGET_REDIS'], 'RedisModule_OnLoad'],
    ] as const) {
      const so = path.join(dir, `tiny-${target}.so`);
      compile('cc', [...C_FLAGS, ...extra, include, '-shared', '-fPIC', src, '-o', so]);
      assert.ok(existsSync(so));
      const nm = spawnSync('nm', ['-D', '--defined-only', so], { encoding: 'utf8' });
      if (nm.status === 0) {
        assert.match(nm.stdout, new RegExp(`\\b${entry}\\b`), `${target} build must export ${entry}`);
      }
    }
  });
});

test('Init requests every declared API (and only those)', () => {
  const text = readFileSync(header, 'utf8');
  const requested = new Set([...text.matchAll(/VALKEYMODULE_GET_API\((\w+)\);/g)].map((m) => m[1]!));
  const declared = declaredApis();
  declared.delete('GetApi'); // taken from the context, not looked up
  assert.deepEqual([...requested].sort(), [...declared].sort());
  for (const name of ['SetModuleAttribs', 'IsModuleNameBusy', 'ReplySetPushLength', '_Assert']) {
    assert.ok(declared.has(name), `${name} must be declared`);
  }
});

test('every API in native/api/table_list.h is declared in the header', (t) => {
  if (!existsSync(tableCc)) {
    t.skip('native/api/table_list.h not present');
    return;
  }
  const table = readFileSync(tableCc, 'utf8');
  const rows = [...table.matchAll(/\b(?:API|ANY|NONE)\(\s*"[^"]*"\s*,\s*(\w+)\s*[,)]/g)].map((m) => m[1]!);
  assert.ok(rows.length > 0, 'no API rows found in table_list.h');
  assert.equal(new Set(rows).size, rows.length, 'an API name with more than one row');
  const declared = declaredApis();
  const missing = rows.filter((name) => !declared.has(name));
  assert.deepEqual(missing, [], `declared in table_list.h but not in the header: ${missing.join(', ')}`);
});
