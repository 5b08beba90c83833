/** ACL and AUTH: users, their rules, the ACL log, and authentication (src/server/acl.ts). */
import { cmd, group, Errors, parseInteger } from './define.js';
import type { CommandContext, CommandDef } from './table.js';
import { aclOf, aclAuthenticateWithModules, ACL_OK } from '../server/acl.js';

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <rule> [<rule> ...]',
  '    Create or modify a user with the specified rules.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const NO_ACL_FILE =
  'ERR This instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER ' +
  'command and then issue a CONFIG REWRITE (assuming you have a configuration file set) in order to store users ' +
  'in the configuration.';

const GENPASS_MAX_BITS = 4096;

/** Valkey's reply to a known subcommand given the wrong number of arguments. */
function syntaxError(ctx: CommandContext): void {
  const sub = ctx.args[1]!;
  ctx.w.error(
    `ERR unknown subcommand or wrong number of arguments for '${sub.length > 128 ? sub.slice(0, 128) : sub}'. Try ${ctx.args[0]!.toUpperCase()} HELP.`,
  );
}

/** lookupCommand over an argument vector (not strict): a container with an argument after
 *  it resolves to that subcommand. */
function lookupArgv(ctx: CommandContext, argv: string[]): CommandDef | undefined {
  const base = ctx.engine.commands.get(argv[0]!);
  if (!base || argv.length === 1 || !base.subcommands) return base;
  return base.subcommands.get(argv[1]!.toLowerCase());
}

export const aclCommands: CommandDef[] = [
  group('acl', [
    cmd('acl|cat', (ctx) => {
      const { engine, args, w } = ctx;
      const acl = aclOf(engine);
      if (args.length === 2) {
        const cats = acl.categories();
        w.array(cats.length);
        for (const c of cats) w.bulk(c);
        return;
      }
      if (args.length !== 3) return syntaxError(ctx);
      const cat = acl.findCategory(args[2]!);
      if (cat === undefined) return w.error(`ERR Unknown category '${args[2]!.slice(0, 128)}'`);
      const names = acl.commandsInCategory(cat);
      w.array(names.length);
      for (const n of names) w.bulk(n);
    }),

    cmd('acl|deluser', ({ engine, args, w }) => {
      const n = aclOf(engine).deleteUsers(args.slice(2));
      if (n < 0) return w.error("ERR The 'default' user cannot be removed");
      w.integer(n);
    }),

    cmd('acl|dryrun', (ctx) => {
      const { engine, args, w } = ctx;
      const acl = aclOf(engine);
      acl.ensureSynced();
      const u = acl.users.get(args[2]!);
      if (!u) return w.error(`ERR User '${args[2]}' not found`);
      const argv = args.slice(3);
      const def = lookupArgv(ctx, argv);
      if (!def) return w.error(`ERR Command '${args[3]}' not found`);
      if ((def.arity > 0 && def.arity !== argv.length) || argv.length < -def.arity) {
        return w.error(`ERR wrong number of arguments for '${def.fullname}' command`);
      }
      const r = acl.check(u, def, argv);
      if (r === ACL_OK) return w.simple('OK');
      const idx = acl.errorIndex;
      w.bulk(acl.denialMessage(r, u, def, argv[idx]!, true));
    }),

    cmd('acl|genpass', (ctx) => {
      const { engine, args, w } = ctx;
      if (args.length > 3) return syntaxError(ctx);
      let bits = 256;
      if (args.length === 3) {
        const v = parseInteger(args[2]!);
        if (v === undefined) return w.error(Errors.notInteger);
        bits = v;
      }
      if (bits <= 0 || bits > GENPASS_MAX_BITS) {
        return w.error(
          `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`,
        );
      }
      w.bulk(aclOf(engine).genpass(bits));
    }),

    cmd('acl|getuser', ({ engine, args, w }) => {
      const acl = aclOf(engine);
      acl.ensureSynced();
      const u = acl.users.get(args[2]!);
      if (!u) return w.null();
      acl.writeUser(w, u);
    }),

    cmd('acl|list', ({ engine, w }) => {
      const acl = aclOf(engine);
      acl.ensureSynced();
      const users = acl.sortedUsers();
      w.array(users.length);
      for (const u of users) w.bulk(`user ${u.name} ${acl.describe(u)}`);
    }),

    cmd('acl|users', ({ engine, w }) => {
      const users = aclOf(engine).sortedUsers();
      w.array(users.length);
      for (const u of users) w.bulk(u.name);
    }),

    cmd('acl|whoami', ({ engine, client, w }) => {
      w.bulk(aclOf(engine).userOf(client));
    }),

    cmd('acl|load', ({ engine, w }) => {
      const acl = aclOf(engine);
      if (acl.aclFile() === '') return w.error(NO_ACL_FILE);
      const errors = acl.loadFile();
      if (errors !== undefined) return w.error(`ERR ${errors}`);
      w.simple('OK');
    }),

    cmd('acl|save', ({ engine, w }) => {
      const acl = aclOf(engine);
      if (acl.aclFile() === '') return w.error(NO_ACL_FILE);
      if (!acl.saveFile()) {
        return w.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
      }
      w.simple('OK');
    }),

    cmd('acl|log', (ctx) => {
      const { engine, args, w } = ctx;
      if (args.length > 3) return syntaxError(ctx);
      const acl = aclOf(engine);
      let count = 10;
      if (args.length === 3) {
        if (args[2]!.toLowerCase() === 'reset') {
          acl.resetLog();
          return w.simple('OK');
        }
        const v = parseInteger(args[2]!);
        if (v === undefined) return w.error(Errors.notInteger);
        count = Math.max(0, v);
      }
      acl.writeLog(w, count);
    }),

    cmd('acl|setuser', ({ engine, args, w }) => {
      const name = args[2]!;
      if (/[ \t\n\v\f\r\0]/.test(name)) return w.error("ERR Usernames can't contain spaces or null characters");
      const err = aclOf(engine).setUser(name, args.slice(3));
      if (err !== undefined) return w.error(`ERR ${err}`);
      w.simple('OK');
    }),

    cmd('acl|help', ({ args, w }) => {
      w.array(ACL_HELP.length + 3);
      w.simple(`${args[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
      for (const l of ACL_HELP) w.simple(l);
      w.simple('HELP');
      w.simple('    Print this help.');
    }),
  ]),

  cmd('auth', (ctx) => {
    const { engine, args, w } = ctx;
    if (args.length > 3) return w.error(Errors.syntax);
    const acl = aclOf(engine);
    acl.ensureSynced();
    let username: string;
    let password: string;
    if (args.length === 2) {
      if (acl.defaultUser.nopass) {
        return w.error(
          'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
        );
      }
      username = 'default';
      password = args[1]!;
    } else {
      username = args[1]!;
      password = args[2]!;
    }
    // Module auth callbacks first (RegisterAuthCallback), then the password.
    return aclAuthenticateWithModules(ctx, username, password, () => w.simple('OK'));
  }),
];
