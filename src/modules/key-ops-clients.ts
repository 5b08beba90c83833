/**
 * Bridge operations of the clients API area (native/api/clients.cc): client names, users,
 * CLIENT LIST-style information and argument redaction for module code.
 */
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';
import { currentUser } from '../server/acl.js';
import { clientInfoString } from '../server/connection.js';
import { commandKeyPositions } from '../commands/server.js';

// Op numbers (mirrored in native/api/clients.cc).
const OP_GET_NAME = 700;     // (a: id) -> name, or null (unknown client or no name)
const OP_SET_NAME = 701;     // (a: id, b: name) -> 0 ok, 1 unknown client, 2 invalid name
const OP_GET_USER = 702;     // (a: id) -> user name, or null (unknown client)
const OP_CLIENT_INFO = 703;  // (a: id) -> [flags, addr, port, db], or null (unknown client)
const OP_REDACT = 704;       // (a: id, b: argv position) -> recorded?
// Op numbers of native/api/commandkeys.cc.
const OP_COMMAND_KEYS = 750; // (a: argv strings) -> [pos, flags, ...], or -1 unknown, -2 arity, -3 no keys

// VALKEYMODULE_CLIENTINFO_FLAG_* (valkeymodule.h)
const FLAG_PUBSUB = 1 << 1;
const FLAG_BLOCKED = 1 << 2;
const FLAG_UNIXSOCKET = 1 << 4;
const FLAG_MULTI = 1 << 5;

/** Argument positions modules redacted (RedactClientCommandArgument), per client, for the
 *  command the client runs now. */
const redacted = new WeakMap<Client, Set<number>>();

/** The argv positions a module redacted in the command `client` runs now (undefined: none). */
export function moduleRedactedArgs(client: Client): ReadonlySet<number> | undefined {
  return redacted.get(client);
}

/** Forgets the redactions of a client's previous command. */
export function clearModuleRedactions(client: Client): void {
  redacted.delete(client);
}

/** CLIENT SETNAME's rule: printable ASCII without spaces (the empty name clears it). */
function validName(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** The fields of ValkeyModuleClientInfoV1, from the client's CLIENT LIST line. */
export function clientInfo(engine: Engine, c: Client): [number, string, number, number] {
  const line = clientInfoString(engine, c);
  const field = (name: string): string => {
    const m = new RegExp(`(?:^| )${name}=(\\S*)`).exec(line);
    return m ? m[1]! : '';
  };
  const letters = field('flags');
  let flags = 0;
  if (letters.includes('P')) flags |= FLAG_PUBSUB;
  if (letters.includes('b')) flags |= FLAG_BLOCKED;
  if (letters.includes('U')) flags |= FLAG_UNIXSOCKET;
  if (letters.includes('x')) flags |= FLAG_MULTI;
  let addr = '';
  let port = 0;
  if (flags & FLAG_UNIXSOCKET) {
    addr = '/unixsocket'; // what Valkey's anetFdToString reports for AF_UNIX peers
  } else {
    const a = field('addr');
    const colon = a.lastIndexOf(':');
    if (a !== '?:0' && colon > 0) {
      addr = a.slice(0, colon);
      if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
      port = Number(a.slice(colon + 1)) || 0;
    }
  }
  return [flags, addr, port, c.db];
}

/** Runs one clients bridge operation (op numbers in native/api/clients.cc); `key` may be null. */
export function clientsKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void db; void key;
  if (op === OP_COMMAND_KEYS) {
    const r = commandKeyPositions(engine, (a as unknown[]).map(String));
    if (!Array.isArray(r)) return r.error === 'unknown' ? -1 : r.error === 'arity' ? -2 : -3;
    return r.flat();
  }
  const c = engine.clientById(Number(a));
  switch (op) {
    case OP_GET_NAME:
      return c && c.name !== '' ? c.name : null;
    case OP_SET_NAME: {
      if (!c) return 1;
      const name = String(b);
      if (!validName(name)) return 2;
      c.name = name;
      return 0;
    }
    case OP_GET_USER:
      return c ? currentUser(c) : null;
    case OP_CLIENT_INFO:
      return c ? clientInfo(engine, c) : null;
    case OP_REDACT: {
      if (!c) return false;
      let s = redacted.get(c);
      if (!s) redacted.set(c, (s = new Set()));
      s.add(Number(b));
      return true;
    }
    default:
      return undefined;
  }
}
