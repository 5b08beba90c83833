#!/usr/bin/env node
/**
 * vmhost — command line.
 *
 *   vmhost [/path/to/valkey.conf] [options] [-]   run a server, as valkey-server does
 *   vmhost -v | --version                 version line, as valkey-server prints it
 *   vmhost -h | --help                    usage
 *   vmhost apis                          API coverage by area, from the native table
 *   vmhost run <module.c|.so> CMD [ARG...]   build (if .c) and load a module, run one command,
 *                                        print the reply as valkey-cli would
 */
import path from 'node:path';
import { Engine, apiCoverage } from './engine/engine.js';
import { compileModule } from './compile.js';
import { formatReply } from './protocol/format.js';
import { startServer, versionLine } from './server/main.js';

const USAGE =
  'Usage: vmhost [/path/to/valkey.conf] [options] [-]\n' +
  '       vmhost - (read config from stdin)\n' +
  '       vmhost -v or --version\n' +
  '       vmhost -h or --help\n' +
  '       vmhost apis (module API coverage by area)\n' +
  '       vmhost run <module.c|module.so> [--arg <module-arg>]... <command> [args...]\n' +
  '\n' +
  'Examples:\n' +
  '       vmhost (run the server with default conf)\n' +
  "       echo 'maxmemory 128mb' | vmhost -\n" +
  '       vmhost /etc/valkey/6379.conf\n' +
  '       vmhost --port 7777\n' +
  '       vmhost --port 7777 --loadmodule ./mymodule.so arg1 arg2\n' +
  '       vmhost /etc/myvalkey.conf --loglevel verbose -\n' +
  '       vmhost /etc/myvalkey.conf --loglevel verbose\n' +
  '       vmhost run test-modules/helloworld.c HELLOWORLD.RAND\n';

/** Prints the usage on stderr and exits with 1 (valkey-server's --help). */
function usage(code = 1): never {
  process.stderr.write(USAGE);
  process.exit(code);
}

async function run(argv: string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (!file) usage(2);
  const moduleArgs: string[] = [];
  while (rest[0] === '--arg' && rest.length > 1) {
    rest.shift();
    moduleArgs.push(rest.shift()!);
  }
  if (rest.length === 0) usage(2);
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
  const argv = process.argv.slice(2);
  const [cmd, ...rest] = argv;
  if (cmd === 'apis') {
    process.exitCode = apis();
  } else if (cmd === 'run') {
    process.exitCode = await run(rest);
  } else if (cmd === '-v' || cmd === '--version') {
    process.stdout.write(versionLine() + '\n');
  } else if (cmd === '-h' || cmd === '--help') {
    usage();
  } else {
    // Server mode: the process runs until SHUTDOWN or a signal ends it.
    await startServer(argv);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`vmhost: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
