/** Connection commands: PING, ECHO, HELLO, SELECT. */
import { cmd, Errors, parseInteger } from './define.js';
import type { CommandDef } from './table.js';
import { SERVER_NAME, SERVER_VERSION } from '../engine/version.js';
import { aclAuthenticateWithModules, aclIsAuthenticated } from '../server/acl.js';
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';
import type { ReplyWriter } from '../protocol/writer.js';

const HELLO_NOAUTH =
  'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> ' +
  'option can be used to authenticate the client and select the RESP protocol version at the same time';

export const connectionCommands: CommandDef[] = [
  cmd('ping', ({ client, args, w }) => {
    if (args.length > 2) return w.error(Errors.wrongArity('ping'));
    const subscribed = client.channels.size + client.patterns.size + client.shardChannels.size > 0;
    if (subscribed && client.proto === 2) {
      // A RESP2 subscriber can only read arrays: ["pong", message or ""].
      w.array(2);
      w.bulk('pong');
      w.bulk(args.length === 2 ? args[1]! : '');
    } else if (args.length === 2) w.bulk(args[1]!);
    else w.simple('PONG');
  }),

  cmd('echo', ({ args, w }) => w.bulk(args[1]!)),

  cmd('select', ({ engine, client, args, w }) => {
    const idx = parseInteger(args[1]!);
    if (idx === undefined) return w.error(Errors.notInteger);
    if (idx < 0 || idx >= engine.options.databases) return w.error(Errors.dbIndexRange);
    client.db = idx;
    w.simple('OK');
  }),

  cmd('hello', (ctx) => {
    const { engine, client, args, w } = ctx;
    let proto = client.proto;
    let i = 1;
    if (args.length >= 2) {
      const v = parseInteger(args[1]!);
      if (v === undefined) return w.error('ERR Protocol version is not an integer or out of range');
      if (v < 2 || v > 3) return w.error('NOPROTO unsupported protocol version');
      proto = v as 2 | 3;
      i = 2;
    }
    let setName: string | undefined;
    let auth: [user: string, pass: string] | undefined;
    for (; i < args.length; i++) {
      const opt = args[i]!.toLowerCase();
      const more = args.length - i - 1;
      if (opt === 'auth' && more >= 2) {
        auth = [args[i + 1]!, args[i + 2]!];
        i += 2;
      } else if (opt === 'setname' && more >= 1) {
        setName = args[++i]!;
        if (/[^\x21-\x7e]/.test(setName)) return w.error('ERR Client names cannot contain spaces, newlines or special characters.');
      } else {
        return w.error(`ERR Syntax error in HELLO option '${args[i]}'`);
      }
    }
    // AUTH first (module auth callbacks, then the password; a module may block the client on
    // it), then the rest of HELLO.
    if (auth) return aclAuthenticateWithModules(ctx, auth[0], auth[1], () => helloReply(engine, client, w, proto, setName));
    helloReply(engine, client, w, proto, setName);
  }),
];

/** HELLO once authentication passed: the NOAUTH check, SETNAME, the protocol switch, the reply. */
function helloReply(engine: Engine, client: Client, w: ReplyWriter, proto: 2 | 3, setName: string | undefined): void {
  if (!aclIsAuthenticated(client)) return w.error(HELLO_NOAUTH);
  if (setName !== undefined) client.name = setName;
  client.setProtocol(proto);
  // The reply to HELLO itself already uses the new protocol.
  (w as { proto: 2 | 3 }).proto = proto;
  const mods = engine.modules();
  const out = w;
  out.map(7);
  out.bulk('server');
  out.bulk(SERVER_NAME);
  out.bulk('version');
  out.bulk(SERVER_VERSION);
  out.bulk('proto');
  out.integer(proto);
  out.bulk('id');
  out.integer(client.id);
  out.bulk('mode');
  out.bulk('standalone');
  out.bulk('role');
  out.bulk('master');
  out.bulk('modules');
  out.array(mods.length);
  for (const m of mods) {
    out.map(4);
    out.bulk('name');
    out.bulk(m.name);
    out.bulk('ver');
    out.integer(m.ver);
    out.bulk('path');
    out.bulk(m.path);
    out.bulk('args');
    out.array(m.args.length);
    for (const a of m.args) out.bulk(a);
  }
}
