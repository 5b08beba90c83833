/**
 * The Commands API (test-modules/commands.c and commands_other.c): CreateCommand flags and
 * names, containers and subcommands, SetCommandInfo (read with the module's strides),
 * ACL categories, getkeys-api / getchannels-api position requests, GetCommand and
 * GetCurrentCommandName, and what the engine does with all of it (arity, dispatch,
 * COMMAND INFO data, key extraction).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, ModuleError, ReplyError, type NativeCommand } from '../src/index.js';
import { testModule } from './helpers.js';

const so = testModule('commands');
const otherSo = testModule('commands_other');

/** Key flag bits (VALKEYMODULE_CMD_KEY_*). */
const RO = 1,
  RW = 2,
  OW = 4,
  ACCESS = 16,
  UPDATE = 32,
  INSERT = 64,
  DELETE = 128;
/** Channel flag bits (VALKEYMODULE_CMD_CHANNEL_*). */
const CH_PATTERN = 1,
  CH_PUBLISH = 2,
  CH_SUBSCRIBE = 4,
  CH_UNSUBSCRIBE = 8;

function loaded(args: string[] = []): Engine {
  const engine = new Engine();
  engine.loadModule(so, args);
  return engine;
}

function describe(engine: Engine, name: string): NativeCommand {
  const c = engine.moduleCommands('commands').find((x) => x.name === name);
  assert.ok(c, `no command ${name}`);
  return c;
}

async function errorOf(p: unknown): Promise<string> {
  const r = await p;
  assert.ok(r instanceof ReplyError, `expected an error reply, got ${String(r)}`);
  return r.message;
}

const FLAG_WORDS: [word: string, info: string[], created: string[]][] = [
  ['write', ['write', 'module'], ['write']],
  ['readonly', ['readonly', 'module'], ['readonly']],
  ['admin', ['module', 'admin'], ['admin']],
  ['deny-oom', ['denyoom', 'module'], ['deny-oom']],
  ['deny-script', ['module', 'noscript'], ['deny-script']],
  ['allow-loading', ['module', 'loading'], ['allow-loading']],
  ['pubsub', ['module', 'pubsub'], ['pubsub']],
  ['random', ['module'], []],
  ['allow-stale', ['module', 'stale'], ['allow-stale']],
  ['no-monitor', ['module', 'skip_monitor'], ['no-monitor']],
  ['no-slowlog', ['module', 'skip_slowlog'], ['no-slowlog']],
  ['no-commandlog', ['module', 'skip_slowlog'], ['no-slowlog']],
  ['fast', ['module', 'fast'], ['fast']],
  ['no-auth', ['module', 'no_auth'], ['no-auth']],
  ['may-replicate', ['module'], ['may-replicate']],
  ['getkeys-api', ['module', 'movablekeys'], ['getkeys-api']],
  ['no-cluster', ['module'], ['no-cluster']],
  ['no-mandatory-keys', ['module', 'no_mandatory_keys'], ['no-mandatory-keys']],
  ['allow-busy', ['module', 'allow_busy'], ['allow-busy']],
  ['getchannels-api', ['module'], ['getchannels-api']],
  ['blocking', ['module', 'blocking'], ['blocking']],
];

test('every registration call made during OnLoad returns what Valkey returns', async () => {
  const engine = loaded();
  const results = (await engine.call('CMDS.RESULTS')) as [string, number, string][];
  const ok = (label: string): [string, number, string] => [label, 0, ''];
  const err = (label: string, errno = ''): [string, number, string] => [label, 1, errno];
  const bool = (label: string, v: boolean): [string, number, string] => [label, v ? 1 : 0, ''];
  assert.deepEqual(results, [
    bool('name in onload is null', true),
    ...FLAG_WORDS.map(([w]) => ok(`cmds.f.${w}`)),
    ok('allflags'),
    ok('noflags'),
    err('unknown flag'),
    err('double space'),
    err('trailing space'),
    err('name space'),
    err('name bar'),
    err('name at'),
    err('name equals'),
    err('name comma'),
    err('name newline'),
    err('name cr'),
    ok('cmds.name'),
    err('duplicate'),
    err('core name'),
    ok('mixed case'),
    ok('results'),
    ok('getcmd'),
    ok('late'),
    ok('legacy'),
    ok('legacy2'),
    ok('getkeys'),
    ok('getkeys2'),
    ok('channels'),
    ok('container'),
    bool('getcommand own', true),
    bool('getcommand other case', true),
    bool('getcommand unknown', false),
    bool('getcommand core', false),
    ok('sub1'),
    ok('sub2'),
    bool('getcommand sub', true),
    bool('getcommand sub deeper', false),
    err('sub duplicate'),
    err('sub nested'),
    err('sub of non-container'),
    err('sub bad name'),
    err('sub bad flag'),
    ok('sub acl'),
    ok('sub2 arity'),
    ok('info create'),
    ok('info set'),
    err('info again', 'EEXIST'),
    ok('stride create'),
    ok('stride set'),
    ok('mixed arity'),
    ok('badinfo create'),
    err('bad no version', 'EINVAL'),
    err('bad history', 'EINVAL'),
    err('bad two access flags', 'EINVAL'),
    err('bad no access flag', 'EINVAL'),
    err('bad two write flags', 'EINVAL'),
    err('bad no keyword', 'EINVAL'),
    err('bad bs type', 'EINVAL'),
    err('bad fk type', 'EINVAL'),
    err('bad arg type', 'EINVAL'),
    err('bad pure token', 'EINVAL'),
    err('bad key index', 'EINVAL'),
    err('bad key index on string', 'EINVAL'),
    err('bad arg flags', 'EINVAL'),
    err('bad oneof without subargs', 'EINVAL'),
    err('bad subargs on string', 'EINVAL'),
    err('bad subarg', 'EINVAL'),
    ok('badinfo arity'),
    ok('badinfo summary'),
    err('badinfo again', 'EEXIST'),
    ok('acl create'),
    ok('acl set'),
    ok('addcat'),
    err('addcat duplicate', 'EBUSY'),
    err('addcat core', 'EBUSY'),
    err('addcat space', 'EINVAL'),
    err('addcat bang', 'EINVAL'),
    err('addcat empty', 'EINVAL'),
    ok('acl2 create'),
    ok('acl2 set'),
    ok('acl3 create'),
    err('acl3 unknown', 'ENOENT'),
  ]);
});

test('invalid command info is refused with a logged warning per problem', () => {
  const engine = new Engine({ loglevel: 'warning' });
  engine.loadModule(so);
  const warnings = engine.logger.lines().filter((l) => l.startsWith('Invalid command info: '));
  assert.equal(warnings.length, 16);
  assert.equal(warnings[0], 'Invalid command info: version missing');
  assert.match(warnings[1]!, /history\[0\]\.changes/);
  assert.match(warnings[2]!, /key_specs\[0\]\.flags/);
  assert.match(warnings[8]!, /Argument "a": undefined type 42/);
  assert.match(warnings[15]!, /Argument "y"/);
  assert.ok(engine.logger.lines().includes('Unrecognized categories flag nosuch on module load'));
});

test('each CreateCommand flag word maps to its COMMAND INFO flags', () => {
  const engine = loaded();
  for (const [word, info, created] of FLAG_WORDS) {
    const c = describe(engine, `cmds.f.${word}`);
    assert.deepEqual(c.flags, info, word);
    assert.deepEqual((c as NativeCommand & { createFlags: string[] }).createFlags, created, word);
    assert.equal(c.arity, -1);
  }
  assert.deepEqual(describe(engine, 'cmds.allflags').flags, [
    'write',
    'readonly',
    'denyoom',
    'module',
    'admin',
    'pubsub',
    'noscript',
    'blocking',
    'loading',
    'stale',
    'skip_monitor',
    'skip_slowlog',
    'fast',
    'no_auth',
    'no_mandatory_keys',
    'movablekeys',
    'allow_busy',
  ]);
  assert.deepEqual(describe(engine, 'cmds.noflags').flags, ['module']);
});

test('refused commands are not registered', async () => {
  const engine = loaded();
  for (const name of ['cmds.badflag', 'cmds.badflag2', 'cmds.badflag3', 'cmds.late2']) {
    assert.match(await errorOf(engine.call(name)), new RegExp(`^ERR unknown command '${name}'`));
  }
  const names = engine.moduleCommands('commands').map((c) => c.name);
  assert.equal(names.length, new Set(names.map((n) => n.toLowerCase())).size);
  assert.ok(!names.some((n) => /bad/.test(n) && n !== 'cmds.badinfo'));
});

test('GetCurrentCommandName gives the registered full name', async () => {
  const engine = loaded();
  assert.equal(await engine.call('CMDS.NAME'), 'cmds.name');
  assert.deepEqual(await engine.call('cmds.mixedcase', 'x'), ['Cmds.MixedCase', 2]);
  assert.deepEqual(await engine.call('CMDS.CONTAINER', 'SUB1', 'x'), ['cmds.container|sub1', 3]);
  assert.deepEqual(await engine.call('cmds.container', 'sub1'), ['cmds.container|sub1', 2]);
  assert.deepEqual(await engine.call('cmds.container', 'sub2', 'k'), ['cmds.container|SUB2', 3]);
});

test('arity: defaults, SetCommandInfo overrides, errors use the registered full name', async () => {
  const engine = loaded();
  assert.equal(describe(engine, 'cmds.name').arity, -1);
  assert.equal(describe(engine, 'cmds.container').arity, -2);
  assert.equal(describe(engine, 'Cmds.MixedCase').arity, 2);
  assert.equal(describe(engine, 'cmds.info').arity, -2);
  assert.equal(describe(engine, 'cmds.badinfo').arity, 3);
  assert.equal(
    await errorOf(engine.call('CMDS.MIXEDCASE')),
    "ERR wrong number of arguments for 'Cmds.MixedCase' command",
  );
  assert.equal(
    await errorOf(engine.call('cmds.mixedcase', 'a', 'b')),
    "ERR wrong number of arguments for 'Cmds.MixedCase' command",
  );
  assert.equal(await errorOf(engine.call('cmds.info')), "ERR wrong number of arguments for 'cmds.info' command");
  assert.equal(
    await errorOf(engine.call('cmds.container', 'sub2')),
    "ERR wrong number of arguments for 'cmds.container|SUB2' command",
  );
  assert.equal(
    await errorOf(engine.call('cmds.container', 'SUB2', 'a', 'b')),
    "ERR wrong number of arguments for 'cmds.container|SUB2' command",
  );
  assert.equal(
    await errorOf(engine.call('cmds.container')),
    "ERR wrong number of arguments for 'cmds.container' command",
  );
  assert.equal(
    await errorOf(engine.call('cmds.container', 'foo')),
    "ERR unknown subcommand 'foo'. Try CMDS.CONTAINER HELP.",
  );
});

test('a container describes its subcommands', () => {
  const engine = loaded();
  const common = {
    tips: [],
    history: [],
    hasHistory: false,
    args: [],
    hasArgs: false,
    module: 'commands',
    subcommands: [],
  };
  const c = describe(engine, 'cmds.container');
  assert.deepEqual(
    { ...c, id: 0, subcommands: c.subcommands.map((s) => ({ ...s, id: 0 })) },
    {
      ...common,
      id: 0,
      name: 'cmds.container',
      fullname: 'cmds.container',
      arity: -2,
      flags: ['module'],
      createFlags: [],
      firstkey: 0,
      lastkey: 0,
      keystep: 0,
      aclCategories: [],
      keySpecs: [],
      container: true,
      subcommands: [
        {
          ...common,
          id: 0,
          name: 'sub1',
          fullname: 'cmds.container|sub1',
          arity: -2,
          flags: ['readonly', 'module', 'fast'],
          createFlags: ['readonly', 'fast'],
          firstkey: 0,
          lastkey: 0,
          keystep: 0,
          aclCategories: [],
          keySpecs: [],
          container: false,
        },
        {
          ...common,
          id: 0,
          name: 'SUB2',
          fullname: 'cmds.container|SUB2',
          arity: 3,
          flags: ['write', 'module'],
          createFlags: ['write'],
          firstkey: 2,
          lastkey: 2,
          keystep: 1,
          aclCategories: ['@write'],
          keySpecs: [
            {
              flags: ['RW', 'access', 'update'],
              begin_search: { type: 'index', spec: { index: 2 } },
              find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
            },
          ],
          container: false,
        },
      ],
    },
  );
  const ids = new Set([c.id, ...c.subcommands.map((s) => s.id)]);
  assert.equal(ids.size, 3);
});

test('SetCommandInfo: summary, history, tips, key specs and args as COMMAND INFO/DOCS show them', () => {
  const engine = loaded();
  const c = describe(engine, 'cmds.info');
  assert.equal(c.summary, 'Copies things around');
  assert.equal(c.complexity, 'O(N)');
  assert.equal(c.since, '1.0.0');
  assert.deepEqual(c.history, [
    ['1.1.0', 'Added the STORE option.'],
    ['1.2.0', 'Added the KEYS option.'],
  ]);
  assert.deepEqual(c.tips, ['nondeterministic_output', 'request_policy:all_shards']);
  assert.equal(c.arity, -2);
  // One index+range spec and two keyword specs: the legacy triple covers the first only.
  assert.deepEqual([c.firstkey, c.lastkey, c.keystep], [1, 1, 1]);
  assert.deepEqual(c.flags, ['readonly', 'module', 'movablekeys']);
  assert.deepEqual(c.keySpecs, [
    {
      notes: 'the source key',
      flags: ['RO', 'access'],
      begin_search: { type: 'index', spec: { index: 1 } },
      find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
    },
    {
      flags: ['OW', 'update'],
      begin_search: { type: 'keyword', spec: { keyword: 'STORE', startfrom: 2 } },
      find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
    },
    {
      flags: ['RW', 'insert'],
      begin_search: { type: 'keyword', spec: { keyword: 'KEYS', startfrom: -1 } },
      find_keys: { type: 'keynum', spec: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    },
  ]);
  assert.deepEqual(c.args, [
    { name: 'src', type: 'key', key_spec_index: 0, summary: 'where to read', display_text: 'src' },
    {
      name: 'mode',
      type: 'oneof',
      flags: ['optional'],
      arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX', display_text: 'nx' },
        { name: 'xx', type: 'pure-token', token: 'XX', since: '1.1.0', display_text: 'xx' },
      ],
    },
    { name: 'dst', type: 'key', key_spec_index: 1, token: 'STORE', flags: ['optional'], display_text: 'destination' },
    {
      name: 'keys',
      type: 'block',
      token: 'KEYS',
      since: '1.2.0',
      flags: ['optional'],
      arguments: [
        { name: 'numkeys', type: 'integer', display_text: 'numkeys' },
        { name: 'key', type: 'key', key_spec_index: 2, flags: ['multiple'], display_text: 'key' },
      ],
    },
    {
      name: 'pattern',
      type: 'pattern',
      token: 'MATCH',
      deprecated_since: '1.3.0',
      flags: ['optional', 'multiple_token'],
      display_text: 'pattern',
    },
    { name: 'when', type: 'unix-time', token: 'AT', flags: ['optional'], display_text: 'when' },
    { name: 'ratio', type: 'double', token: 'RATIO', flags: ['optional'], display_text: 'ratio' },
    { name: 'label', type: 'string', flags: ['optional', 'multiple'], display_text: 'label' },
  ]);
  // Key order follows Valkey's COMMAND DOCS map order.
  assert.deepEqual(Object.keys((c.args as object[])[3]!), ['name', 'type', 'token', 'since', 'flags', 'arguments']);
});

test('SetCommandInfo walks the arrays with the strides the module was built with', () => {
  const engine = loaded();
  const c = describe(engine, 'cmds.stride');
  assert.equal(c.summary, undefined);
  assert.ok(!('summary' in c));
  assert.deepEqual(c.history, [
    ['2.0.0', 'first change'],
    ['2.1.0', 'second change'],
  ]);
  assert.deepEqual(c.keySpecs, [
    {
      flags: ['RW', 'delete'],
      begin_search: { type: 'index', spec: { index: 1 } },
      find_keys: { type: 'range', spec: { lastkey: -1, keystep: 2, limit: 0 } },
    },
    {
      notes: 'unknowable',
      flags: ['RM', 'not_key'],
      begin_search: { type: 'unknown', spec: {} },
      find_keys: { type: 'unknown', spec: {} },
    },
  ]);
  assert.deepEqual(c.args, [
    {
      name: 'pair',
      type: 'block',
      flags: ['multiple'],
      arguments: [
        { name: 'key', type: 'key', key_spec_index: 0, display_text: 'key' },
        { name: 'value', type: 'string', display_text: 'value' },
      ],
    },
    { name: 'force', type: 'pure-token', token: 'FORCE', flags: ['optional'], display_text: 'force' },
  ]);
  // A range of step 2 next to an unknown spec: no legacy triple, movablekeys.
  assert.deepEqual([c.firstkey, c.lastkey, c.keystep], [0, 0, 0]);
  assert.deepEqual(c.flags, ['write', 'module', 'movablekeys']);
});

test('failed SetCommandInfo calls store nothing; a later valid one does', () => {
  const engine = loaded();
  const c = describe(engine, 'cmds.badinfo');
  assert.equal(c.summary, 'finally');
  assert.equal(c.arity, 3);
  assert.deepEqual(c.history, []);
  assert.deepEqual(c.args, []);
  // The legacy key spec from CreateCommand (1,1,1) is kept: info gave no key specs.
  assert.deepEqual(c.keySpecs, [
    {
      flags: ['RW', 'access', 'update'],
      begin_search: { type: 'index', spec: { index: 1 } },
      find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
    },
  ]);
});

test('the legacy key triple becomes a key spec and COMMAND INFO triple', () => {
  const engine = loaded();
  const legacy = describe(engine, 'cmds.legacy');
  assert.deepEqual([legacy.firstkey, legacy.lastkey, legacy.keystep], [1, -1, 2]);
  assert.deepEqual(legacy.keySpecs, [
    {
      flags: ['RW', 'access', 'update'],
      begin_search: { type: 'index', spec: { index: 1 } },
      find_keys: { type: 'range', spec: { lastkey: -1, keystep: 2, limit: 0 } },
    },
  ]);
  const legacy2 = describe(engine, 'cmds.legacy2');
  assert.deepEqual([legacy2.firstkey, legacy2.lastkey, legacy2.keystep], [2, 3, 1]);
  assert.deepEqual(legacy2.keySpecs, [
    {
      flags: ['RW', 'access', 'update'],
      begin_search: { type: 'index', spec: { index: 2 } },
      find_keys: { type: 'range', spec: { lastkey: 1, keystep: 1, limit: 0 } },
    },
  ]);
  // With getkeys-api the legacy spec's flags are marked variable.
  const gk2 = describe(engine, 'cmds.getkeys2');
  assert.deepEqual(gk2.keySpecs, [
    {
      flags: ['RW', 'access', 'update', 'variable_flags'],
      begin_search: { type: 'index', spec: { index: 1 } },
      find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
    },
  ]);
  assert.deepEqual(gk2.flags, ['module', 'movablekeys']);
  assert.deepEqual([gk2.firstkey, gk2.lastkey, gk2.keystep], [1, 1, 1]);
  assert.deepEqual(describe(engine, 'cmds.name').keySpecs, []);
});

test('keys from key specs', () => {
  const engine = loaded();
  const FULL = RW | ACCESS | UPDATE;
  assert.deepEqual(engine.getKeys('cmds.legacy', 'a', '1', 'b', '2'), { keys: ['a', 'b'], flags: [FULL, FULL] });
  assert.deepEqual(engine.getKeys('cmds.legacy2', 'x', 'a', 'b', 'c'), { keys: ['a', 'b'], flags: [FULL, FULL] });
  assert.deepEqual(engine.getKeys('cmds.info', 'k1', 'STORE', 'k2', 'KEYS', '2', 'k3', 'k4'), {
    keys: ['k1', 'k2', 'k3', 'k4'],
    flags: [RO | ACCESS, OW | UPDATE, RW | INSERT, RW | INSERT],
  });
  // Keywords match in any case; an absent keyword just gives no keys for its spec.
  assert.deepEqual(engine.getKeys('cmds.info', 'k1', 'store', 'k2'), {
    keys: ['k1', 'k2'],
    flags: [RO | ACCESS, OW | UPDATE],
  });
  assert.deepEqual(engine.getKeys('cmds.info', 'k1'), { keys: ['k1'], flags: [RO | ACCESS] });
  // A bad key count makes the specs unusable: no keys (no getkeys-api to fall back to).
  assert.deepEqual(engine.getKeys('cmds.info', 'k1', 'KEYS', 'x'), { keys: [], flags: [] });
  assert.deepEqual(engine.getKeys('cmds.info', 'k1', 'KEYS', '5', 'a'), { keys: [], flags: [] });
  // Subcommand positions count from the container's name; NOT_KEY specs are skipped.
  assert.deepEqual(engine.getKeys('cmds.container', 'sub2', 'key'), { keys: ['key'], flags: [FULL] });
  assert.deepEqual(engine.getKeys('cmds.stride', 'a', '1', 'b', '2'), {
    keys: ['a', 'b'],
    flags: [RW | DELETE, RW | DELETE],
  });
  // No key spec and no getkeys-api: the command has no key arguments.
  assert.equal(engine.getKeys('cmds.name'), null);
});

test('getkeys-api: the command reports its keys; KeyAtPos means RW access update', async () => {
  const engine = loaded();
  assert.deepEqual(engine.getKeys('cmds.getkeys', 'k1', 'x', 'RO', 'y', 'kz'), {
    keys: ['k1', 'y', 'kz'],
    flags: [RW | ACCESS | UPDATE, RO | ACCESS, RW | ACCESS | UPDATE],
  });
  assert.deepEqual(engine.getKeys('cmds.getkeys', 'x'), { keys: [], flags: [] });
  // Variable flags on the legacy spec: the command is asked, not the spec.
  assert.deepEqual(engine.getKeys('cmds.getkeys2', 'k1', 'RO', 'z'), {
    keys: ['k1', 'z'],
    flags: [RW | ACCESS | UPDATE, RO | ACCESS],
  });
  // Run normally, it is not a position request and KeyAtPos/ChannelAtPos do nothing.
  assert.deepEqual(await engine.call('cmds.getkeys', 'k1'), [0, 0]);
});

test('getchannels-api: the command reports its channels', () => {
  const engine = loaded();
  const def = engine.commands.get('cmds.channels');
  assert.ok(def);
  const args = ['cmds.channels', 'sub', 'a', 'psub', 'p*', 'pub', 'b', 'unsub', 'c'];
  assert.deepEqual(
    Array.from(engine.registry.positions(def, args, true) ?? []),
    [2, CH_SUBSCRIBE, 4, CH_SUBSCRIBE | CH_PATTERN, 6, CH_PUBLISH, 8, CH_UNSUBSCRIBE],
  );
  // Not a keys command; and a command without getchannels-api has no channels.
  assert.equal(engine.registry.positions(def, args, false), null);
  const plain = engine.commands.get('cmds.name');
  assert.ok(plain);
  assert.equal(engine.registry.positions(plain, ['cmds.name'], true), null);
});

test('registration APIs fail outside OnLoad', async () => {
  const engine = loaded();
  // CreateCommand, CreateSubcommand, SetCommandACLCategories: ERR; AddACLCategory: ERR EINVAL.
  assert.deepEqual(await engine.call('cmds.late'), [1, '', 1, '', 1, '', 1, 'EINVAL']);
  assert.match(await errorOf(engine.call('cmds.late2')), /^ERR unknown command 'cmds\.late2'/);
  assert.deepEqual(describe(engine, 'cmds.name').aclCategories, []);
});

test('GetCommand finds only the calling module\'s commands', async () => {
  const engine = loaded();
  assert.equal(await engine.call('cmds.getcmd', 'cmds.name'), 1);
  assert.equal(await engine.call('cmds.getcmd', 'CMDS.NAME'), 1);
  assert.equal(await engine.call('cmds.getcmd', 'cmds.container|sub2'), 1);
  assert.equal(await engine.call('cmds.getcmd', 'cmds.container|nosuch'), 0);
  assert.equal(await engine.call('cmds.getcmd', 'cmds.nosuch'), 0);
  assert.equal(await engine.call('cmds.getcmd', 'ping'), 0);
  engine.loadModule(otherSo, ['noclash']);
  assert.equal(await engine.call('other.getcmd', 'cmds.name'), 0);
  assert.equal(await engine.call('other.getcmd', 'other.getcmd'), 1);
  assert.equal(await engine.call('cmds.getcmd', 'other.getcmd'), 0);
});

test('ACL categories: core and module-added ones, in category-table order', async () => {
  const engine = loaded();
  assert.deepEqual(describe(engine, 'cmds.acl').aclCategories, ['@write', '@slow']);
  assert.deepEqual(describe(engine, 'cmds.acl2').aclCategories, ['@read', '@cmds-cat_1']);
  assert.deepEqual(describe(engine, 'cmds.acl3').aclCategories, []);
  // Another module may use a category the first one added.
  engine.loadModule(otherSo, ['noclash']);
  assert.deepEqual(await engine.call('other.results'), [0, 0]);
  const other = engine.moduleCommands('commands_other').find((c) => c.name === 'other.results');
  assert.deepEqual(other?.aclCategories, ['@cmds-cat_1']);
});

test('a category added on another engine is unknown here', async () => {
  const engine = new Engine();
  engine.loadModule(otherSo, ['noclash']);
  // ENOENT = 2: "cmds-cat_1" was never added on this engine.
  assert.deepEqual(await engine.call('other.results'), [1, 2]);
});

test('AddACLCategory stops at 64 categories with ENOMEM', async () => {
  const engine = loaded(['fillcats']);
  const results = (await engine.call('CMDS.RESULTS')) as [string, number, string][];
  // 21 core categories + cmds-cat_1 + 42 more = 64.
  assert.deepEqual(results.slice(-2), [
    ['fillcats added', 42, ''],
    ['fillcats last', 1, 'ENOMEM'],
  ]);
});

test('a module whose command name is taken fails to load and leaves nothing behind', async () => {
  const engine = loaded();
  const before = engine.modules().length;
  assert.throws(
    () => engine.loadModule(otherSo),
    (e: unknown) =>
      e instanceof ModuleError && e.message.startsWith('ERR Error loading the extension. Please check the server logs.'),
  );
  assert.equal(engine.modules().length, before);
  assert.match(await errorOf(engine.call('other.getcmd', 'x')), /^ERR unknown command 'other\.getcmd'/);
  assert.equal(await engine.call('cmds.name'), 'cmds.name');
  // Alone, the same module loads: the clash was the only problem.
  const fresh = new Engine();
  fresh.loadModule(otherSo);
  assert.equal(await fresh.call('other.getcmd', 'CMDS.Name'), 1);
});
