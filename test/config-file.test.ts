/**
 * valkey.conf reading and writing: sdssplitargs quoting, the valkey-server command line,
 * include, module directives, Valkey's exact fatal error reports with line numbers, and
 * CONFIG REWRITE's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/engine.js';
import { configOf } from '../src/engine/config.js';
import {
  ConfigError,
  ConfigOpenError,
  applyServerConfig,
  configFileState,
  configRewrite,
  engineSettings,
  formatMemory,
  parseCommandLine,
  parseConfigText,
  parseServerConfig,
  quoteArg,
  rewriteConfigContent,
  rewriteConfigFile,
  splitArgs,
} from '../src/server/config-file.js';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vmhost-conf-'));
}

/** The report a configuration text fails with (the test fails if it does not). */
function failure(text: string, cwd?: string): string {
  try {
    parseConfigText(text, { cwd });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).stack}`);
    return e.report();
  }
  assert.fail('configuration was accepted');
}

function report(line: number, text: string, reason: string): string {
  return `\n*** FATAL CONFIG FILE ERROR (Version 8.1.0) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${reason}\n`;
}

test('splitArgs: blanks, double quotes with escapes, single quotes', () => {
  assert.deepEqual(splitArgs('  a   b\tc  '), ['a', 'b', 'c']);
  assert.deepEqual(splitArgs('"a b" \'c d\''), ['a b', 'c d']);
  assert.deepEqual(splitArgs('"\\n\\r\\t\\b\\a\\\\\\"\\q"'), ['\n\r\t\b\x07\\"q']);
  assert.deepEqual(splitArgs('"\\x41\\x7a\\xff"'), ['Az\xff']);
  // \x without two hex digits is an ordinary escape of "x".
  assert.deepEqual(splitArgs('"\\x4"'), ['x4']);
  // Single quotes only understand \' ; a backslash otherwise stays.
  assert.deepEqual(splitArgs("'it\\'s \\n'"), ["it's \\n"]);
  // A quote inside a token starts quoting there.
  assert.deepEqual(splitArgs('ab"c d"'), ['abc d']);
  assert.deepEqual(splitArgs('""'), ['']);
  assert.deepEqual(splitArgs(''), []);
  assert.deepEqual(splitArgs('   '), []);
  // Closing quote followed by a non-blank, or no closing quote: unbalanced.
  assert.equal(splitArgs('"a"b'), null);
  assert.equal(splitArgs("'a'b"), null);
  assert.equal(splitArgs('"abc'), null);
  assert.equal(splitArgs("'abc"), null);
  assert.equal(splitArgs('"abc\\"'), null);
  // Vertical tab and form feed separate tokens only after a closing quote.
  assert.deepEqual(splitArgs('"a"\vb'), ['a', 'b']);
});

test('quoteArg is sdscatrepr and round-trips through splitArgs', () => {
  assert.equal(quoteArg('abc'), '"abc"');
  assert.equal(quoteArg('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(quoteArg('\n\r\t\x07\b\x00\x7f\xe9'), '"\\n\\r\\t\\a\\b\\x00\\x7f\\xe9"');
  for (const s of ['', 'a b', '"\'', '\x00\x01\xff', 'tab\there']) assert.deepEqual(splitArgs(quoteArg(s)), [s]);
});

test('command line: file, stdin, --name values as valkey-server builds them', () => {
  assert.deepEqual(parseCommandLine([]), { configFile: undefined, fromStdin: false, options: '', noArguments: true });
  const a = parseCommandLine(['valkey.conf', '--port', '6380', '--loadmodule', '/m.so', 'a b', '-']);
  assert.equal(a.configFile, path.resolve('valkey.conf'));
  assert.equal(a.fromStdin, true);
  assert.equal(a.options, 'port "6380" \nloadmodule "/m.so" "a b" ');
  // "--save" with no value means save "".
  assert.equal(parseCommandLine(['--save', '--port', '1']).options, 'save ""\nport "1" ');
  assert.equal(parseCommandLine(['--port', '1', '--save']).options, 'port "1" \nsave ""');
  // Name and value in one argument.
  assert.equal(parseCommandLine(['--port 7000']).options, 'port 7000 ');
  // After a bare name, the next "--x" is its value.
  assert.equal(parseCommandLine(['--requirepass', '--secret']).options, 'requirepass "--secret" ');
  // Non-ASCII arguments become \x escapes (bytes).
  assert.equal(parseCommandLine(['--dbfilename', 'é.rdb']).options, 'dbfilename "\\xc3\\xa9.rdb" ');
  // "-" in the middle is an ordinary value.
  assert.equal(parseCommandLine(['--bind', '-', 'x']).options, 'bind "-" "x" ');
});

test('command-line options are appended after the file: line numbers continue', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'v.conf');
  fs.writeFileSync(file, '# comment\nport 7000\n');
  const cl = parseCommandLine([file, '--port', 'abc']);
  try {
    parseServerConfig(cl.configFile, undefined, cl.options);
    assert.fail('accepted');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    // "# comment", "port 7000", "" (after the last newline), "" (the joining newline), options.
    assert.equal(e.report(), report(4, 'port "abc"', "argument couldn't be parsed into an integer"));
  }
  // Without a file the options are on line 2, as `valkey-server --port abc` reports.
  const opts = parseCommandLine(['--port', 'abc']).options;
  assert.throws(() => parseServerConfig(undefined, undefined, opts), (e: ConfigError) => {
    assert.equal(e.report(), report(2, 'port "abc"', "argument couldn't be parsed into an integer"));
    return true;
  });
  fs.rmSync(dir, { recursive: true });
});

test('fatal errors: Valkey wording with the line and its trimmed text', () => {
  assert.equal(failure('port 6379\n  nosuchdirective 1  \n'), report(2, 'nosuchdirective 1', 'Bad directive or wrong number of arguments'));
  assert.equal(failure('\n\nport "6379\n'), report(3, 'port "6379', 'Unbalanced quotes in configuration line'));
  assert.equal(failure('protected-mode maybe'), report(1, 'protected-mode maybe', "argument must be 'yes' or 'no'"));
  assert.equal(failure('port 1 2'), report(1, 'port 1 2', 'wrong number of arguments'));
  assert.equal(failure('port'), report(1, 'port', 'wrong number of arguments'));
  assert.equal(failure('port 70000'), report(1, 'port 70000', 'argument must be between 0 and 65535 inclusive'));
  assert.equal(failure('maxmemory 10xb'), report(1, 'maxmemory 10xb', 'argument must be a memory value'));
  assert.equal(
    failure('maxmemory-policy lru'),
    report(
      1,
      'maxmemory-policy lru',
      'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction',
    ),
  );
  assert.equal(failure('save 0 1'), report(1, 'save 0 1', 'Invalid save parameters'));
  assert.equal(failure('notify-keyspace-events Q'), report(1, 'notify-keyspace-events Q', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
  assert.equal(failure('dir /no/such/dir'), report(1, 'dir /no/such/dir', 'No such file or directory'));
  assert.equal(failure('loadmodule'), report(1, 'loadmodule', 'Bad directive or wrong number of arguments'));
  assert.equal(failure('include'), report(1, 'include', 'Bad directive or wrong number of arguments'));
  assert.equal(failure('mymod.param'), report(1, 'mymod.param', 'Module config specified without value'));
  assert.equal(failure('sentinel monitor x'), report(1, 'sentinel monitor x', 'sentinel directive while not in sentinel mode'));
  assert.equal(failure('rename-command nosuch x'), report(1, 'rename-command nosuch x', 'No such command in rename-command'));
  assert.equal(failure('rename-command get set'), report(1, 'rename-command get set', 'Target command name already exists'));
  // Renames are simulated in order: after renaming get away, "get" is free.
  assert.equal(failure('rename-command get mget2\nrename-command get x'), report(2, 'rename-command get x', 'No such command in rename-command'));
  // Directive names are case-insensitive; the report shows the line as written.
  assert.equal(failure('PORT x'), report(1, 'PORT x', "argument couldn't be parsed into an integer"));
  // The log file is checked after the last line: no line in the report.
  assert.equal(
    failure('logfile /no/such/dir/x.log'),
    "\n*** FATAL CONFIG FILE ERROR (Version 8.1.0) ***\nCan't open the log file: No such file or directory\n",
  );
});

test('comments, blank lines, deprecated directives and module directives', () => {
  const p = parseConfigText(
    [
      '# a comment',
      '   # indented comment',
      '',
      'Port 7001',
      'list-max-ziplist-entries 512',
      'loadmodule /a/one.so x "y z"',
      'loadmodule /a/two.so',
      'MyMod.Param  v1 v2',
      'mymod.param v3',
      'user alice on >pw ~* +@all',
      'rename-command flushall ""',
      'databases 4',
      'enable-module-command local',
    ].join('\r\n'),
  );
  assert.deepEqual(
    p.settings.map((s) => [s.param.name, s.args]),
    [
      ['port', ['7001']],
      ['databases', ['4']],
      ['enable-module-command', ['local']],
    ],
  );
  assert.deepEqual(p.modules, [
    { path: '/a/one.so', args: ['x', 'y z'] },
    { path: '/a/two.so', args: [] },
  ]);
  // Names are lower-cased; a later value replaces an earlier one.
  assert.deepEqual([...p.moduleConfigs], [['mymod.param', 'v3']]);
  assert.deepEqual(p.users, [['alice', 'on', '>pw', '~*', '+@all']]);
  assert.deepEqual(p.renames, [['flushall', '']]);
  assert.deepEqual(engineSettings(p), { databases: 4, enableModuleCommand: 'local' });
  assert.deepEqual(engineSettings(parseConfigText('')), { databases: 16, enableModuleCommand: 'no' });
});

test('include: nested, relative to the current directory (which dir changes), globs', () => {
  const dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'main.conf'), 'port 7002\ninclude sub.conf\nmaxmemory 1mb\n');
  fs.writeFileSync(path.join(dir, 'sub.conf'), 'hz 20\ninclude conf.d/*.conf\n');
  fs.writeFileSync(path.join(dir, 'conf.d', 'b.conf'), 'timeout 7\n');
  fs.writeFileSync(path.join(dir, 'conf.d', 'a.conf'), 'timeout 5\n');
  fs.writeFileSync(path.join(dir, 'conf.d', '.hidden.conf'), 'nonsense\n');
  const p = parseServerConfig(path.join(dir, 'main.conf'), undefined, undefined, { cwd: dir });
  assert.deepEqual(
    p.settings.map((s) => `${s.param.name} ${s.args.join(' ')}`),
    ['port 7002', 'hz 20', 'timeout 5', 'timeout 7', 'maxmemory 1mb'],
  );
  // A glob matching nothing is fine.
  parseConfigText('include /no/such/dir/*.conf');
  // `dir` moves where relative includes are read from, as Valkey's chdir does.
  const p2 = parseConfigText(`dir ${dir}\ninclude sub.conf`, { cwd: '/' });
  assert.equal(p2.dir, dir);
  assert.deepEqual(p2.settings.map((s) => s.param.name), ['dir', 'hz', 'timeout', 'timeout']);
  // An error inside an included file reports that file's line.
  fs.writeFileSync(path.join(dir, 'bad.conf'), '# one\nhz 1\nhz nope\n');
  assert.equal(failure('port 1\ninclude bad.conf\n', dir), report(3, 'hz nope', "argument couldn't be parsed into an integer"));
  // A missing include (or config file) is a fatal open error.
  assert.throws(
    () => parseConfigText('include missing.conf', { cwd: dir }),
    (e: ConfigOpenError) => e instanceof ConfigOpenError && e.message === "Fatal error, can't open config file 'missing.conf': No such file or directory",
  );
  assert.throws(
    () => parseServerConfig(path.join(dir, 'nope.conf'), undefined, undefined),
    (e: Error) => e.message === `Fatal error, can't open config file '${path.join(dir, 'nope.conf')}': No such file or directory`,
  );
  fs.rmSync(dir, { recursive: true });
});

test('applying: values reach the parameter table, save points accumulate, renames', () => {
  const p = parseConfigText(
    'maxmemory 2mb\nsave 900 1\nsave 300 10\nnotify-keyspace-events KEA\nbind 127.0.0.1 "-::1"\n' +
      'hz 1000\nloglevel warning\nrename-command flushall ""\nrename-command dbsize mysize\nrequirepass "s3 cret"',
  );
  const engine = new Engine({ databases: engineSettings(p).databases });
  try {
    applyServerConfig(engine, p);
    const cfg = configOf(engine);
    assert.equal(cfg.get('maxmemory'), '2097152');
    assert.equal(cfg.get('save'), '900 1 300 10');
    assert.equal(cfg.get('notify-keyspace-events'), 'AKE');
    assert.equal(cfg.get('bind'), '127.0.0.1 -::1');
    assert.equal(cfg.get('hz'), '500');
    assert.equal(cfg.get('loglevel'), 'warning');
    assert.equal(cfg.get('requirepass'), 's3 cret');
    assert.equal(engine.commands.get('flushall'), undefined);
    assert.equal(engine.commands.get('dbsize'), undefined);
    assert.equal(engine.commands.get('MYSIZE')?.fullname, 'dbsize');
  } finally {
    engine.close();
  }
  // save "" clears, later lines add again.
  const q = parseConfigText('save 60 1\nsave ""\nsave 10 2');
  const e2 = new Engine();
  try {
    applyServerConfig(e2, q);
    assert.equal(configOf(e2).get('save'), '10 2');
    applyServerConfig(e2, parseConfigText('save ""'));
    assert.equal(configOf(e2).get('save'), '');
  } finally {
    e2.close();
  }
});

test('formatMemory writes gb/mb/kb only for exact multiples', () => {
  assert.equal(formatMemory(0n), '0');
  assert.equal(formatMemory(1024n), '1kb');
  assert.equal(formatMemory(1025n), '1025');
  assert.equal(formatMemory(3n * 1024n * 1024n), '3mb');
  assert.equal(formatMemory(1024n * 1024n * 1024n), '1gb');
  assert.equal(formatMemory(1536n * 1024n), '1536kb');
});

test('CONFIG REWRITE keeps comments and unknown lines, updates, blanks orphans, appends', () => {
  const engine = new Engine({ enableModuleCommand: 'no' });
  try {
    const cfg = configOf(engine);
    assert.equal(applyServerConfig(engine, parseConfigText('port 7000\nsave 900 1\nsave 300 10\ndbfilename "my dump.rdb"')), undefined);
    assert.equal(
      cfg.set([
        ['maxmemory', '100mb'],
        ['maxmemory-clients', '5%'],
        ['notify-keyspace-events', 'KEA'],
      ]),
      undefined,
    );
    const old =
      '# my config\n' +
      'port 7000\n' +
      '\n' +
      'save 900 1\n' +
      'save 300 10\n' +
      'slaveof 1.2.3.4 5\n' +
      'MAXMEMORY 1mb\n' +
      'foo bar\n' +
      'include /x.conf\n' +
      '\n' +
      '\n' +
      '# end\n';
    const dir = cfg.get('dir')!;
    assert.equal(
      rewriteConfigContent(engine, old),
      '# my config\n' +
        'port 7000\n' +
        '\n' +
        'save 900 1 300 10\n' +
        '\n' +
        'maxmemory 100mb\n' +
        '# ??? foo bar\n' +
        'include /x.conf\n' +
        '\n' +
        '# end\n' +
        '\n' +
        '# Generated by CONFIG REWRITE\n' +
        'dbfilename "my dump.rdb"\n' +
        'maxmemory-clients 5%\n' +
        `dir ${quoteArg(dir)}\n` +
        'notify-keyspace-events "AKE"\n' +
        'latency-tracking-info-percentiles 50 99 99.9\n',
    );
    // Rewriting the result again only adds the empty line Valkey keeps after the last
    // newline; from then on the content is stable.
    const once = rewriteConfigContent(engine, old);
    const twice = rewriteConfigContent(engine, once);
    assert.equal(twice, once + '\n');
    assert.equal(rewriteConfigContent(engine, twice), twice);
  } finally {
    engine.close();
  }
});

test('CONFIG REWRITE on disk: in place, Valkey replies and log lines', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'valkey.conf');
  const engine = new Engine({ enableModuleCommand: 'no' });
  try {
    assert.equal(configRewrite(engine), 'ERR The server is running without a config file');
    fs.writeFileSync(file, '# hello\nport 6379\nhz 10\n');
    configFileState(engine).file = file;
    configOf(engine).set([['hz', '42']]);
    assert.equal(configRewrite(engine), undefined);
    const text = fs.readFileSync(file, 'latin1');
    assert.ok(text.startsWith('# hello\nport 6379\nhz 42\n\n# Generated by CONFIG REWRITE\n'), text);
    assert.equal((fs.statSync(file).mode & 0o777) === (0o644 & ~process.umask()), true);
    assert.deepEqual(fs.readdirSync(dir), ['valkey.conf']);
    assert.equal(engine.logger.lines().at(-1), 'CONFIG REWRITE executed with success.');
    // A missing file is created.
    fs.rmSync(file);
    rewriteConfigFile(engine, file);
    assert.ok(fs.readFileSync(file, 'latin1').startsWith('# Generated by CONFIG REWRITE\nhz 42\n'));
    // An unwritable place fails with Valkey's reply and log line.
    configFileState(engine).file = path.join(dir, 'no', 'such.conf');
    assert.equal(configRewrite(engine), 'ERR Rewriting config file: No such file or directory');
    assert.equal(engine.logger.lines().at(-1), 'CONFIG-REWRITE failed: No such file or directory');
  } finally {
    engine.close();
    fs.rmSync(dir, { recursive: true });
  }
});
