/**
 * Bridge operations of the module ACL API area (native/api/acl.cc): module users, permission
 * checks and ACL LOG entries. Users are referred to by handles; a module user lives only
 * here (ACL LIST/USERS never show it), a handle on an existing ACL user points at that user.
 */
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';
import type { AclUser } from '../server/acl.js';
import { killClient, onConnectionClose } from '../server/connection.js';
import {
  aclOf,
  aclNewModuleUser,
  aclSetModuleUser,
  aclFreeModuleUser,
  aclUserKeyAllowed,
  aclUserChannelAllowed,
  splitArgs,
  aclAuthenticateModuleUser,
  aclDeauthenticateClient,
  aclNotifyUserChanged,
  ACL_OK,
  ACL_LOG_CTX_MODULE,
} from '../server/acl.js';

// Op numbers (mirrored in native/api/acl.cc).
const OP_CREATE = 900;        // (a: name) -> handle
const OP_FREE = 901;          // (a: handle) -> freed?
const OP_SET_ONE = 902;       // (a: handle, b: rule) -> null, or the error text
const OP_SET_STRING = 903;    // (a: handle, b: rules) -> null, or the error text
const OP_GET_STRING = 904;    // (a: handle) -> the rules as ACL LIST shows them
const OP_FROM_NAME = 905;     // (a: user name) -> handle, or 0 when there is no such user
const OP_CHECK_CMD = 906;     // (a: handle, b: argv) -> 0 ok, 1 no such command, 2 denied
const OP_CHECK_KEY = 907;     // (key, a: handle, b: key-spec flags) -> allowed?
const OP_CHECK_CHANNEL = 908; // (key: channel, a: handle, b: is pattern) -> allowed?
const OP_LOG = 909;           // (key: object, a: client id, b: [reason, handle or user name]) -> ok
const OP_AUTH = 910;          // (a: client id, b: [handle or user name, callback or null]) -> ok?
const OP_DEAUTH_CLOSE = 911;  // (a: client id) -> ok? (false: no such client)

interface Handle {
  user: AclUser;
  /** Created by the module (CreateModuleUser): freeing it deletes the user. */
  own: boolean;
}

const handles = new WeakMap<Engine, Map<number, Handle>>();
/** Engines whose closing connections fire user-changed callbacks. */
const closeHooked = new WeakSet<Engine>();
let nextHandle = 1;

function table(engine: Engine): Map<number, Handle> {
  let t = handles.get(engine);
  if (!t) {
    t = new Map();
    handles.set(engine, t);
  }
  return t;
}

/** The ACL user behind a handle (undefined when unknown). */
export function moduleUserOf(engine: Engine, handle: number): AclUser | undefined {
  return handles.get(engine)?.get(handle)?.user;
}

/** Runs one acl bridge operation; `key` may be null. */
export function aclKeyOp(engine: Engine, op: number, db: number, key: string, a: unknown, b: unknown): unknown {
  void db;
  const t = table(engine);
  switch (op) {
    case OP_CREATE: {
      const id = nextHandle++;
      t.set(id, { user: aclNewModuleUser(engine, String(a)), own: true });
      return id;
    }
    case OP_FROM_NAME: {
      const u = aclOf(engine).users.get(String(a));
      if (!u) return 0;
      const id = nextHandle++;
      t.set(id, { user: u, own: false });
      return id;
    }
    case OP_FREE: {
      const h = t.get(Number(a));
      if (!h) return false;
      t.delete(Number(a));
      if (h.own) aclFreeModuleUser(engine, h.user);
      return true;
    }
    case OP_SET_ONE:
    case OP_SET_STRING: {
      const h = t.get(Number(a));
      if (!h) return 'no such user';
      let rules: string[];
      if (op === OP_SET_ONE) rules = [String(b)];
      else {
        const parsed = splitArgs(String(b));
        // sdssplitargs failing leaves no rules: nothing changes (as Valkey)
        rules = parsed ?? [];
      }
      return aclSetModuleUser(engine, h.user, rules) ?? null;
    }
    case OP_GET_STRING: {
      const h = t.get(Number(a));
      return h ? aclOf(engine).describe(h.user) : null;
    }
    case OP_CHECK_CMD: {
      const h = t.get(Number(a));
      const argv = (b as string[]) ?? [];
      if (!h || argv.length === 0) return 1;
      const st = aclOf(engine);
      const base = st.lookup(argv[0]!.toLowerCase());
      if (!base || argv[0]!.includes('|')) return 1;
      let def = base;
      if (argv.length > 1 && base.subcommands) {
        const sub = base.subcommands.get(argv[1]!.toLowerCase());
        if (!sub) return 1;
        def = sub;
      }
      return st.check(h.user, def, argv) === ACL_OK ? 0 : 2;
    }
    case OP_CHECK_KEY: {
      const h = t.get(Number(a));
      return h ? aclUserKeyAllowed(h.user, key, Number(b)) : false;
    }
    case OP_CHECK_CHANNEL: {
      const h = t.get(Number(a));
      return h ? aclUserChannelAllowed(h.user, key, Boolean(b)) : false;
    }
    case OP_LOG: {
      const [reason, who] = b as [number, number | string];
      let name: string;
      if (typeof who === 'number') {
        const h = t.get(who);
        if (!h) return false;
        name = h.user.name;
      } else name = who;
      const client =
        engine.clientById(Number(a)) ?? (engine as unknown as { defaultClient: Client }).defaultClient;
      // no command name: the client info shows the client's own current/last command
      aclOf(engine).addLogEntry(client, reason, ACL_LOG_CTX_MODULE, key, name, undefined as unknown as string);
      return true;
    }
    case OP_AUTH: {
      const client = engine.clientById(Number(a));
      if (!client) return false;
      const [who, cb] = b as [number | string, ((id: number) => void) | null];
      const u = typeof who === 'number' ? t.get(who)?.user : aclOf(engine).users.get(who);
      if (!u) return false;
      if (!closeHooked.has(engine)) {
        closeHooked.add(engine);
        onConnectionClose(engine, (c) => aclNotifyUserChanged(c));
      }
      const id = client.id;
      return aclAuthenticateModuleUser(client, u, cb ? () => cb(id) : undefined);
    }
    case OP_DEAUTH_CLOSE: {
      const client = engine.clientById(Number(a));
      if (!client) return false;
      aclDeauthenticateClient(client);
      killClient(client); // a connection closes later; an embedded client stays
      return true;
    }
  }
  return undefined;
}
