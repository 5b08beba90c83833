/**
 * The API table as modules see it: a probe module compiled from every pointer our header
 * declares reports which ones GetApi filled (RMAPI_FUNC_SUPPORTED), under Valkey and under
 * Redis names; `vmhost apis` prints the same table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, apiCoverage, compileModule } from '../src/index.js';
import { addon } from '../src/modules/native.js';
import { repoRoot } from './helpers.js';

const header = fs.readFileSync(path.join(repoRoot, 'include', 'valkeymodule.h'), 'utf8');
// GetApi is not looked up: Init reads it from the context's first word.
const declared = [...new Set([...header.matchAll(/\(\*ValkeyModule_(\w+)\)\s*\(/g)].map((m) => m[1]!))].filter(
  (n) => n !== 'GetApi',
);

/** Writes a module that reports, for every declared API, whether its pointer is set. */
function probeSource(): string {
  const rows = declared.map((n) => `    {"${n}", (const void *)&ValkeyModule_${n}},`).join('\n');
  return `#include "valkeymodule.h"
#include <string.h>
struct row { const char *name; const void *slot; };
static const struct row rows[] = {
${rows}
};
static int unknown_left_null = 0;
static int list_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv; (void)argc;
    size_t n = sizeof(rows) / sizeof(rows[0]);
    ValkeyModule_ReplyWithArray(ctx, VALKEYMODULE_POSTPONED_LEN);
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        if (*(void *const *)rows[i].slot != NULL) { ValkeyModule_ReplyWithCString(ctx, rows[i].name); count++; }
    }
    ValkeyModule_ReplySetArrayLength(ctx, count);
    return VALKEYMODULE_OK;
}
static int unknown_command(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv; (void)argc;
    return ValkeyModule_ReplyWithLongLong(ctx, unknown_left_null);
}
int ValkeyModule_OnLoad(ValkeyModuleCtx *ctx, ValkeyModuleString **argv, int argc) {
    (void)argv; (void)argc;
    if (ValkeyModule_Init(ctx, "probe", 1, VALKEYMODULE_APIVER_1) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    int (*getapi)(const char *, void *) = (int (*)(const char *, void *))((void **)ctx)[0];
    void *slot = (void *)&unknown_left_null;
    int rc = getapi("ValkeyModule_NoSuchApi", &slot);
    unknown_left_null = (rc == VALKEYMODULE_ERR && slot == (void *)&unknown_left_null) ? 1 : 0;
    if (RMAPI_FUNC_SUPPORTED(ValkeyModule_ReplySetPushLength)) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "probe.list", list_command, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    if (ValkeyModule_CreateCommand(ctx, "probe.unknown", unknown_command, "", 0, 0, 0) == VALKEYMODULE_ERR) return VALKEYMODULE_ERR;
    return VALKEYMODULE_OK;
}
`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-probe-'));
const src = path.join(dir, 'probe.c');
fs.writeFileSync(src, probeSource());
const implemented = addon.apiTable().filter((r) => r[2]).map((r) => r[1]).sort();

test('every API in the table is declared by our header', () => {
  const missing = addon.apiTable().map((r) => r[1]).filter((n) => !declared.includes(n));
  assert.deepEqual(missing, []);
});

for (const target of ['valkey', 'redis'] as const) {
  test(`RMAPI_FUNC_SUPPORTED sees exactly the table (${target} names)`, async () => {
    const engine = new Engine();
    engine.loadModule(compileModule(src, { target }));
    const seen = (await engine.call('PROBE.LIST')) as string[];
    // Valkey's gotcha, reproduced: its alias is RedisModule_DefragValkeyModuleString, while a
    // module built with Redis's names asks for RedisModule_DefragRedisModuleString and gets NULL.
    const expected = target === 'redis' ? implemented.filter((n) => n !== 'DefragValkeyModuleString') : implemented;
    assert.deepEqual([...seen].sort(), expected);
    assert.equal(await engine.call('PROBE.UNKNOWN'), 1);
  });
}

test('vmhost apis prints one line per area and the total', () => {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'src', 'cli.js'), 'apis'], { encoding: 'utf8' });
  const cov = apiCoverage();
  const expected = cov.areas.map((a) => `${a.area} ${a.implemented}/${a.total}`).join('\n') +
    `\ntotal ${cov.implemented}/${cov.total}\n`;
  assert.equal(out, expected);
  assert.match(out, /^memory \d+\/\d+$/m);
});
