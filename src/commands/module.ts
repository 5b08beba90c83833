/** MODULE LOAD | LOADEX | LIST | UNLOAD | HELP, with Valkey's replies and log lines. */
import { cmd, group } from './define.js';
import type { CommandContext, CommandDef } from './table.js';
import { LOAD_ERROR } from '../modules/registry.js';
import { LL_WARNING } from '../engine/log.js';

const HELP = [
  'MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
  'HELP',
  '    Print this help.',
];

const NOT_ALLOWED =
  'ERR MODULE command not allowed. If the enable-module-command option is set to "local", ' +
  'you can run it from a local connection, otherwise you need to set this option in the configuration file, ' +
  'and then restart the server.';

/** enable-module-command: refuses MODULE unless allowed for this client. */
function allowed({ engine, client, w }: CommandContext): boolean {
  const mode = engine.options.enableModuleCommand;
  if (mode === 'yes' || (mode === 'local' && client.local)) return true;
  w.error(NOT_ALLOWED);
  return false;
}

/** Splits LOADEX arguments into CONFIG pairs and module args; null on a syntax error. */
function parseLoadex(ctx: CommandContext, rest: string[]): { configs: [string, string][]; args: string[] } | null {
  const configs: [string, string][] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!.toLowerCase();
    if (word === 'config' && i + 2 < rest.length) {
      configs.push([rest[i + 1]!, rest[i + 2]!]);
      i += 2;
    } else if (word === 'args') {
      return { configs, args: rest.slice(i + 1) };
    } else {
      ctx.engine.logger.log(LL_WARNING, `Syntax Error from arguments to loadex around ${rest[i]}.`);
      return null;
    }
  }
  return { configs, args: [] };
}

export const moduleCommands: CommandDef[] = [
  group('module', [
    cmd('module|help', ({ w }) => {
      w.array(HELP.length);
      for (const line of HELP) w.simple(line);
    }),
    cmd('module|list', (ctx) => {
      if (!allowed(ctx)) return;
      const { engine, w } = ctx;
      const mods = engine.modules();
      w.array(mods.length);
      for (const m of mods) {
        w.map(4);
        w.bulk('name');
        w.bulk(m.name);
        w.bulk('ver');
        w.integer(m.ver);
        w.bulk('path');
        w.bulk(m.path);
        w.bulk('args');
        w.array(m.args.length);
        for (const a of m.args) w.bulk(a);
      }
    }),
    cmd('module|load', (ctx) => {
      if (!allowed(ctx)) return;
      const path = Buffer.from(ctx.args[2]!, 'latin1').toString('utf8');
      const ok = ctx.engine.loadModuleRaw(path, ctx.args.slice(3), []);
      if (ok) ctx.w.simple('OK');
      else ctx.w.error(LOAD_ERROR);
    }),
    cmd('module|loadex', (ctx) => {
      if (!allowed(ctx)) return;
      const parsed = parseLoadex(ctx, ctx.args.slice(3));
      const path = Buffer.from(ctx.args[2]!, 'latin1').toString('utf8');
      if (parsed && ctx.engine.loadModuleRaw(path, parsed.args, parsed.configs)) ctx.w.simple('OK');
      else ctx.w.error(LOAD_ERROR);
    }),
    cmd('module|unload', (ctx) => {
      if (!allowed(ctx)) return;
      const name = ctx.args[2]!;
      const reason = ctx.engine.unloadModuleRaw(name);
      if (reason === '') return ctx.w.simple('OK');
      ctx.engine.logger.log(LL_WARNING, `Error unloading module ${name}: ${reason}`);
      ctx.w.error(`ERR Error unloading module: ${reason}`);
    }),
  ]),
];
