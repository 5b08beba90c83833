#!/usr/bin/env node
/**
 * vmhost — command line.
 *
 *   vmhost apis                          API coverage by area, from the native table
 *   vmhost run <module.c|.so> CMD [ARG...]   build (if .c) and load a module, run one command,
 *                                        print the reply as valkey-cli would
 */
import path from 'node:path';
import { Engine, apiCoverage } from './engine/engine.js';
import { compileModule } from './compile.js';
import { formatReply } from './protocol/format.js';

function usage(): never {
  process.stderr.write(
    'Usage: vmhost apis\n' +
      '       vmhost run <module.c|module.so> [--arg <module-arg>]... <command> [args...]\n',
  );
  process.exit(2);
}

async function run(argv: string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (!file) usage();
  const moduleArgs: string[] = [];
  while (rest[0] === '--arg' && rest.length > 1) {
    rest.shift();
    moduleArgs.push(rest.shift()!);
  }
  if (rest.length === 0) usage();
  const so = file.endsWith('.c') ? compileModule(file) : path.resolve(file);
  const engine = new Engine({ log: 'silent' });
  try {
    engine.loadModule(so, moduleArgs);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const reply = await engine.call(...rest);
  process.stdout.write(formatReply(reply) + '\n');
  return 0;
}

function apis(): number {
  const cov = apiCoverage();
  for (const a of cov.areas) process.stdout.write(`${a.area} ${a.implemented}/${a.total}\n`);
  process.stdout.write(`total ${cov.implemented}/${cov.total}\n`);
  return 0;
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  let code: number;
  if (cmd === 'apis') code = apis();
  else if (cmd === 'run') code = await run(rest);
  else usage();
  process.exitCode = code;
}

main().catch((err: unknown) => {
  process.stderr.write(`vmhost: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
