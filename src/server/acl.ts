/**
 * Access control as Valkey does it: users with passwords and flags, selectors (command
 * bitmaps, first-arg exceptions, key and channel patterns), AUTH, the permission check run
 * before every command, and the ACL log.
 *
 * One `AclState` per engine (kept in a WeakMap, created by `installAcl`). Its gate is the
 * first in `engine.gates`. While the default user is passwordless and unrestricted and no
 * client ever authenticated as someone else, the gate is one boolean test; otherwise it
 * looks up the client's user (a WeakMap keyed by the client) and checks command, keys and
 * channels the way Valkey's ACLCheckAllUserCommandPerm does.
 *
 * Commands get ACL ids on first sight, keyed by lower-case full name (a module command that
 * is unloaded and loaded again keeps its id). Selectors keep Valkey's 1024-bit command
 * bitmap, whose last bit stands for "commands that do not exist yet" (+@all). When the
 * command table changes (modules), every selector is rebuilt from its rule string, as
 * Valkey does after MODULE LOAD.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Engine } from '../engine/engine.js';
import type { CommandContext, CommandDef } from '../commands/table.js';
import type { ReplyWriter } from '../protocol/writer.js';
import type { RawKeySpec } from '../commands/spec.js';
import type { NativeCommand } from '../modules/native.js';
import type { Client } from './client.js';
import { configOf } from '../engine/config.js';
import { globMatch } from '../engine/glob.js';
import { keysFromSpecs } from '../commands/keyspecs.js';
import { LL_NOTICE, LL_WARNING } from '../engine/log.js';
import { inExec, inMulti } from './multi.js';

// ---------------------------------------------------------------------------------------------
// Constants (Valkey's values)
// ---------------------------------------------------------------------------------------------

/** Permission check results (ACL_OK, ACL_DENIED_*). */
export const ACL_OK = 0;
export const ACL_DENIED_CMD = 1;
export const ACL_DENIED_KEY = 2;
export const ACL_DENIED_AUTH = 3;
export const ACL_DENIED_CHANNEL = 4;

/** ACL log contexts (ACL_LOG_CTX_*). */
export const ACL_LOG_CTX_TOPLEVEL = 0;
export const ACL_LOG_CTX_LUA = 1;
export const ACL_LOG_CTX_MULTI = 2;
export const ACL_LOG_CTX_MODULE = 3;

/** The ACL categories every server has, in Valkey's order (ACL CAT lists them so). */
export const CORE_CATEGORIES: readonly string[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** Reply texts. */
export const NOAUTH_ERROR = 'NOAUTH Authentication required.';
export const WRONGPASS_ERROR = 'WRONGPASS invalid username-password pair or user is disabled.';

const USER_COMMAND_BITS = 1024;
/** The bit only +@all sets: the selector may run commands registered later. */
const FUTURE_BIT = USER_COMMAND_BITS - 1;

/** Key pattern permissions. */
const PERM_READ = 1;
const PERM_WRITE = 2;
const PERM_ALL = 3;

/** Key spec flag bits (CMD_KEY_*, the same as VALKEYMODULE_CMD_KEY_*). */
const KEY_RO = 1 << 0, KEY_RW = 1 << 1, KEY_OW = 1 << 2, KEY_ACCESS = 1 << 4, KEY_UPDATE = 1 << 5;
const KEY_INSERT = 1 << 6, KEY_DELETE = 1 << 7, KEY_NOT_KEY = 1 << 8, KEY_INCOMPLETE = 1 << 9;
const KEY_VARIABLE_FLAGS = 1 << 10;
const KEY_FLAG_BITS: Record<string, number> = {
  ro: KEY_RO, rw: KEY_RW, ow: KEY_OW, rm: 1 << 3, access: KEY_ACCESS, update: KEY_UPDATE, insert: KEY_INSERT,
  delete: KEY_DELETE, not_key: KEY_NOT_KEY, incomplete: KEY_INCOMPLETE, variable_flags: KEY_VARIABLE_FLAGS,
};

/** Channel flag bits (CMD_CHANNEL_*). */
const CH_PATTERN = 1 << 0, CH_PUBLISH = 1 << 1, CH_SUBSCRIBE = 1 << 2, CH_UNSUBSCRIBE = 1 << 3;

/** The channels of core commands: [flags, first position, count or -1 for the rest]. */
const CHANNEL_SPECS: Record<string, [number, number, number]> = {
  subscribe: [CH_SUBSCRIBE, 1, -1],
  ssubscribe: [CH_SUBSCRIBE, 1, -1],
  unsubscribe: [CH_UNSUBSCRIBE, 1, -1],
  sunsubscribe: [CH_UNSUBSCRIBE, 1, -1],
  psubscribe: [CH_PATTERN | CH_SUBSCRIBE, 1, -1],
  punsubscribe: [CH_PATTERN | CH_UNSUBSCRIBE, 1, -1],
  publish: [CH_PUBLISH, 1, 1],
  spublish: [CH_PUBLISH, 1, 1],
};

/** ACLSetUserStringError texts by the errno ACLSetUser reports. */
const SETUSER_ERRORS: Record<string, string> = {
  ENOENT: 'Unknown command or category name in ACL',
  EINVAL: 'Syntax error',
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: 'The password you are trying to remove from the user does not exist',
  EBADMSG: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  EALREADY: 'Duplicate user found. A user can only be defined once in config files',
  ECHILD: 'Allowing first-arg of a subcommand is not supported',
};

type Errno = keyof typeof SETUSER_ERRORS;

/** The text Valkey gives for an ACLSetUser errno. */
function setUserError(e: Errno): string {
  return SETUSER_ERRORS[e] ?? 'Wrong format';
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** C tolower over ASCII only (bytes above 127 stay as they are). */
function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/** strcasecmp(a, b) == 0 over ASCII. */
function asciiEqualNoCase(a: string, b: string): boolean {
  return a.length === b.length && asciiLower(a) === asciiLower(b);
}

/** ACLStringHasSpaces: C isspace or NUL anywhere. */
function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

/** SHA-256 of a byte string, as 64 lower-case hex digits (ACLHashPassword). */
function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

/** ACLCheckPasswordHash: exactly 64 lower-case hex digits. */
function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

/**
 * Splits a line as Valkey's sdssplitargs does: blanks separate arguments, "double quotes"
 * take \n \r \t \b \a \xHH and \<c> escapes, 'single quotes' take \'; a closing quote must
 * be followed by a blank or the end. Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const isSpace = (c: string | undefined) => c !== undefined && /[ \t\n\v\f\r]/.test(c);
  let p = 0;
  const n = line.length;
  for (;;) {
    while (p < n && isSpace(line[p])) p++;
    if (p >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (p >= n) return null;
        const c = line[p]!;
        if (c === '\\' && line[p + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(p + 2, p + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < n) {
          p++;
          const e = line[p]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          done = true;
        } else cur += c;
      } else if (inSq) {
        if (p >= n) return null;
        const c = line[p]!;
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          cur += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          done = true;
        } else cur += c;
      } else {
        if (p >= n) {
          done = true;
          break;
        }
        const c = line[p]!;
        if (isSpace(c)) done = true;
        else if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      if (p < n) p++;
    }
    out.push(cur);
  }
}

// ---------------------------------------------------------------------------------------------
// Users and selectors
// ---------------------------------------------------------------------------------------------

interface KeyPattern {
  pattern: string;
  /** PERM_READ, PERM_WRITE or both. */
  flags: number;
}

/** One set of permissions: the user's root selector, or one added with `(...)`. */
class Selector {
  allKeys = false;
  allChannels: boolean;
  allCommands = false;
  /** Command id bitmap; bit FUTURE_BIT stands for commands not registered yet. */
  bits = new Uint32Array(USER_COMMAND_BITS / 32);
  /** Allowed first arguments of otherwise denied commands (command id -> args). */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  channels: string[] = [];
  /** The ordered command rules after the leading +@all / -@all ("+get", "-@admin"...). */
  rules: string[] = [];

  constructor(
    readonly root: boolean,
    pubsubAllChannels: boolean,
  ) {
    this.allChannels = pubsubAllChannels;
  }

  clone(): Selector {
    const s = new Selector(this.root, this.allChannels);
    s.allKeys = this.allKeys;
    s.allCommands = this.allCommands;
    s.bits = this.bits.slice();
    if (this.firstArgs) {
      s.firstArgs = new Map();
      for (const [id, args] of this.firstArgs) s.firstArgs.set(id, args.slice());
    }
    s.patterns = this.patterns.map((p) => ({ pattern: p.pattern, flags: p.flags }));
    s.channels = this.channels.slice();
    s.rules = this.rules.slice();
    return s;
  }

  bit(id: number): boolean {
    return id < USER_COMMAND_BITS && (this.bits[id >>> 5]! & (1 << (id & 31))) !== 0;
  }

  setBit(id: number, on: boolean): void {
    if (id >= USER_COMMAND_BITS) return;
    if (on) this.bits[id >>> 5]! |= 1 << (id & 31);
    else {
      this.bits[id >>> 5]! &= ~(1 << (id & 31));
      this.allCommands = false;
    }
  }

  /** Whether it may run everything with any key and channel. */
  get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels;
  }
}

/** An ACL user. */
export class AclUser {
  enabled = false;
  nopass = false;
  skipSanitize = false;
  /** SHA-256 hex digests. */
  passwords: string[] = [];
  /** The root selector first, then the `(...)` ones in order. */
  selectors: Selector[];
  /** Set when ACL DELUSER (or ACL LOAD) removed it. */
  deleted = false;
  /** Clients authenticated as this user (pruned as they go away). */
  readonly clients = new Set<WeakRef<Client>>();
  /** Whether some selector allows everything (computed after every change). */
  unrestricted = false;

  constructor(
    readonly name: string,
    pubsubAllChannels: boolean,
  ) {
    this.selectors = [new Selector(true, pubsubAllChannels)];
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  /** A copy to stage changes on (ACLCopyUser into an unlinked user). */
  clone(name = this.name): AclUser {
    const u = new AclUser(name, false);
    u.copyFrom(this);
    return u;
  }

  copyFrom(src: AclUser): void {
    this.enabled = src.enabled;
    this.nopass = src.nopass;
    this.skipSanitize = src.skipSanitize;
    this.passwords = src.passwords.slice();
    this.selectors = src.selectors.map((s) => s.clone());
    this.refresh();
  }

  refresh(): void {
    this.unrestricted = this.selectors.some((s) => s.unrestricted);
  }

  /** The flag words in Valkey's order (ACL GETUSER flags, ACL LIST). */
  flagWords(): string[] {
    const f: string[] = [this.enabled ? 'on' : 'off'];
    if (this.nopass) f.push('nopass');
    f.push(this.skipSanitize ? 'skip-sanitize-payload' : 'sanitize-payload');
    return f;
  }
}

/** What the ACL keeps per client. */
interface ClientAcl {
  user: AclUser;
  authenticated: boolean;
  /** The client, weakly (kept in its user's `clients`). */
  readonly ref: WeakRef<Client>;
}

/** One ACL LOG entry. */
interface LogEntry {
  count: number;
  reason: number;
  context: number;
  object: string;
  username: string;
  /** Last update (ms). */
  ctime: number;
  cinfo: string;
  entryId: number;
  created: number;
}

/** What the ACL knows of a command (cached per CommandDef). */
interface DefInfo {
  id: number;
  noAuth: boolean;
  /** Lower-case category names. */
  cats: string[];
  /** 0: no keys, 1: core key specs / procedures, 2: module positions. */
  keys: 0 | 1 | 2;
  /** 0: no checked channels, 1: core channel table, 2: module getchannels-api. */
  channels: 0 | 1 | 2;
  /** Core commands with keys: how to find them. */
  plan: CoreKeyPlan | undefined;
}

/** Hooks the server side provides. */
export interface AclHooks {
  /**
   * Closes a client whose user was deleted or whose channel permissions were revoked while
   * subscribed (it may be the client running the current command: close it after its reply
   * is written). Without a hook the client loses its subscriptions and its authentication.
   */
  kill?: (client: Client) => void;
  /** The CLIENT LIST line of a client (ACL LOG client-info), given the command it ran. */
  clientInfo?: (client: Client, command: string) => string;
  /** Every client of the engine (to find subscribers of a user whose channels changed). */
  clients?: () => Iterable<Client>;
}

// ---------------------------------------------------------------------------------------------
// Key extraction (Valkey's getKeysFromCommandWithSpecs for core commands)
// ---------------------------------------------------------------------------------------------

function keySpecFlags(k: RawKeySpec): number {
  let bits = 0;
  for (const f of k.flags) bits |= KEY_FLAG_BITS[f.toLowerCase()] ?? 0;
  return bits;
}


/** The key procedures of core commands whose specs cannot be used as they are. */
const KEY_PROCS: Record<string, (argv: string[], out: number[]) => void> = {
  set(a, out) {
    for (let i = 3; i < a.length; i++) {
      if (asciiEqualNoCase(a[i]!, 'get')) {
        out.push(1, KEY_RW | KEY_ACCESS | KEY_UPDATE);
        return;
      }
    }
    out.push(1, KEY_OW | KEY_UPDATE);
  },
  bitfield(a, out) {
    let readonly = true;
    for (let i = 2; i < a.length; i++) {
      const rem = a.length - i - 1;
      const arg = asciiLower(a[i]!);
      if (arg === 'get' && rem >= 2) i += 2;
      else if ((arg === 'set' || arg === 'incrby') && rem >= 3) {
        readonly = false;
        break;
      } else if (arg === 'overflow' && rem >= 1) i += 1;
      else {
        readonly = false;
        break;
      }
    }
    out.push(1, readonly ? KEY_RO | KEY_ACCESS : KEY_RW | KEY_ACCESS | KEY_UPDATE);
  },
  sort(a, out) {
    out.push(1, KEY_RO | KEY_ACCESS);
    let store = -1;
    for (let i = 2; i < a.length; i++) {
      const arg = asciiLower(a[i]!);
      if (arg === 'limit') i += 2;
      else if (arg === 'get' || arg === 'by') i += 1;
      else if (arg === 'store' && i + 1 < a.length) store = i + 1;
    }
    if (store >= 0) out.push(store, KEY_OW | KEY_UPDATE);
  },
  sort_ro(_a, out) {
    out.push(1, KEY_RO | KEY_ACCESS);
  },
  migrate(a, out) {
    let first = 3;
    let num = 1;
    if (a.length > 6) {
      for (let i = 6; i < a.length; i++) {
        const arg = asciiLower(a[i]!);
        if (arg === 'keys') {
          if (a[3]!.length > 0) num = 0;
          else {
            first = i + 1;
            num = a.length - first;
          }
          break;
        }
        if (arg === 'auth') i += 1;
        else if (arg === 'auth2') i += 2;
      }
    }
    for (let i = 0; i < num; i++) out.push(first + i, KEY_RW | KEY_ACCESS | KEY_DELETE);
  },
};

/** How the keys of a core command are found (computed once per command). */
interface CoreKeyPlan {
  specs: RawKeySpec[];
  /** Each spec's flag bits. */
  flags: number[];
  /** Whether the specs are used (some real key spec, no variable flags). */
  useSpecs: boolean;
  proc: ((argv: string[], out: number[]) => void) | undefined;
}

function coreKeyPlan(def: CommandDef): CoreKeyPlan {
  const specs = def.spec?.key_specs ?? [];
  const flags = specs.map(keySpecFlags);
  const real = flags.some((f) => !(f & KEY_NOT_KEY));
  const variable = flags.some((f) => (f & KEY_VARIABLE_FLAGS) !== 0);
  return { specs, flags, useSpecs: real && !variable, proc: KEY_PROCS[def.fullname] };
}

/** The keys of a core command as (position, flags) pairs (getKeysFromCommandWithSpecs). */
function coreKeys(plan: CoreKeyPlan, argv: string[]): number[] {
  const out: number[] = [];
  if (plan.useSpecs) {
    if (keysFromSpecs(plan.specs, plan.flags, argv, out)) return out;
    out.length = 0;
  }
  if (plan.proc) plan.proc(argv, out);
  return out;
}

/** ACL categories of a command, lower case (core commands carry Valkey's implicit ones
 *  too, see specCategories). */
function categoriesOf(def: CommandDef): string[] {
  return (def.categories ?? []).map((c) => asciiLower(c.replace(/^@/, '')));
}

// ---------------------------------------------------------------------------------------------
// The per-engine ACL state
// ---------------------------------------------------------------------------------------------

const states = new WeakMap<Engine, AclState>();

/** The ACL of one engine. */
export class AclState {
  readonly users = new Map<string, AclUser>();
  defaultUser: AclUser;
  /** True while every command may run without looking at the client (the gate's fast path). */
  fastOpen = false;
  /** Index of the argument the last failed check was about (key or channel). */
  errorIndex = 0;
  hooks: AclHooks = {};
  private readonly log: LogEntry[] = [];
  private logEntryCount = 0;
  private readonly clientState = new WeakMap<Client, ClientAcl>();
  private readonly defInfo = new WeakMap<CommandDef, DefInfo>();
  private readonly nameIds = new Map<string, number>();
  private nextId = 0;
  /** Ids given out and command table size at the last rebuild of the selectors. */
  private builtIds = -1;
  private builtTableSize = -1;
  private synced = false;
  /** The requirepass value last applied to the default user. */
  private requirepass = '';
  /** Whether any client authenticated as a user other than default. */
  private othersUsed = false;
  /** When the default user started/stopped needing a password: [first client id, open]. */
  private readonly authEpochs: [number, boolean][] = [[0, true]];
  private maxSeenId = 0;

  constructor(readonly engine: Engine) {
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
  }

  private pubsubDefaultAll(): boolean {
    return configOf(this.engine).number('acl-pubsub-default') !== 0;
  }

  private newUser(name: string): AclUser {
    const u = new AclUser(name, this.pubsubDefaultAll());
    u.refresh();
    return u;
  }

  private createDefaultUser(): AclUser {
    const u = new AclUser('default', false);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) this.applyUserOp(u, op);
    u.refresh();
    return u;
  }

  // -------------------------------------------------------------------------------------
  // Startup / configuration
  // -------------------------------------------------------------------------------------

  /** Hooks up requirepass (CONFIG SET, and its value at the first command). Idempotent. */
  ensureSynced(): void {
    if (this.synced) return;
    this.synced = true;
    const cfg = configOf(this.engine);
    this.requirepass = cfg.get('requirepass') ?? '';
    cfg.onChange((names) => {
      if (names.includes('requirepass') && (cfg.get('requirepass') ?? '') !== this.requirepass) this.applyRequirepass();
    });
    if (this.requirepass !== '') {
      // Set before anything ran (config file, command line): no client predates it.
      this.applyRequirepass();
      this.authEpochs.length = 0;
      this.authEpochs.push([0, this.noAuthNeeded]);
    }
    this.defaultChanged();
  }

  /** Makes the default user's password follow requirepass (empty: nopass). */
  applyRequirepass(): void {
    const pass = configOf(this.engine).get('requirepass') ?? '';
    this.requirepass = pass;
    const u = this.defaultUser;
    this.applyUserOp(u, 'resetpass');
    this.applyUserOp(u, pass === '' ? 'nopass' : `>${pass}`);
    u.refresh();
    this.defaultChanged();
  }

  /** Recomputes what depends on the default user (fast path, auth epochs). */
  private defaultChanged(): void {
    const d = this.defaultUser;
    const open = d.nopass && d.enabled;
    if (this.authEpochs[this.authEpochs.length - 1]![1] !== open) this.authEpochs.push([this.watermark() + 1, open]);
    this.fastOpen = this.synced && open && d.unrestricted && !this.othersUsed;
  }

  /** The highest client id given out so far. */
  private watermark(): number {
    return this.engine.lastClientId();
  }

  /** Whether the default user needed no password when client `id` was created. */
  private openAt(id: number): boolean {
    for (let i = this.authEpochs.length - 1; i >= 0; i--) {
      const [from, open] = this.authEpochs[i]!;
      if (id >= from) return open;
    }
    return true;
  }

  /** Whether no password is needed (the default user is nopass and on). */
  get noAuthNeeded(): boolean {
    return this.defaultUser.nopass && this.defaultUser.enabled;
  }

  // -------------------------------------------------------------------------------------
  // Clients
  // -------------------------------------------------------------------------------------

  /** The ACL state of a client, created on first sight (Valkey's clientSetDefaultAuth as of
   *  when the client was created). */
  clientAcl(client: Client): ClientAcl {
    let ca = this.clientState.get(client);
    if (ca === undefined) {
      if (client.id > this.maxSeenId) this.maxSeenId = client.id;
      ca = { user: this.defaultUser, authenticated: this.openAt(client.id), ref: new WeakRef(client) };
      this.clientState.set(client, ca);
      this.track(ca);
    }
    if (ca.user.deleted) this.deauthenticate(ca);
    return ca;
  }

  /** Adds a client to its user's set (pruning the set of clients gone now and then). */
  private track(ca: ClientAcl): void {
    const set = ca.user.clients;
    if (set.size >= 64 && (set.size & (set.size - 1)) === 0) {
      for (const r of set) if (r.deref() === undefined) set.delete(r);
    }
    set.add(ca.ref);
  }

  /** Switches a client to another user. */
  private setUserOf(ca: ClientAcl, u: AclUser, authenticated: boolean): void {
    const client = ca.ref.deref();
    if (client) aclNotifyUserChanged(client);
    ca.user.clients.delete(ca.ref);
    ca.user = u;
    ca.authenticated = authenticated;
    this.track(ca);
  }

  /** Live clients authenticated as `u` (tracked ones, and the hook's client list). */
  private clientsOf(u: AclUser): Client[] {
    const out = new Set<Client>();
    for (const r of u.clients) {
      const c = r.deref();
      if (c === undefined) u.clients.delete(r);
      else if (this.clientState.get(c)?.user === u) out.add(c);
    }
    const all = this.hooks.clients?.();
    if (all) {
      for (const c of all) {
        const ca = this.clientState.get(c);
        if ((ca ? ca.user : this.defaultUser) === u) out.add(c);
      }
    }
    return [...out];
  }

  /** Back to the default user, not authenticated (clientSetDefaultAuth after a delete). */
  private deauthenticate(ca: ClientAcl): void {
    this.setUserOf(ca, this.defaultUser, false);
  }

  /** Closes a client (or, without a kill hook, drops its subscriptions). */
  private kill(client: Client): void {
    if (this.hooks.kill) this.hooks.kill(client);
    else this.engine.pubsub.dropAll(client);
  }

  /** RESET: back to the default user, authenticated when it needs no password. */
  resetClient(client: Client): void {
    this.setUserOf(this.clientAcl(client), this.defaultUser, this.noAuthNeeded);
  }

  /** Whether the client may run commands other than the no-auth ones. */
  isAuthenticated(client: Client): boolean {
    this.ensureSynced();
    return this.clientAcl(client).authenticated || this.noAuthNeeded;
  }

  /**
   * AUTH / HELLO AUTH: checks the pair and on success makes `username` the client's user.
   * A failure adds an `auth` ACL LOG entry whose object is `commandName` (as sent).
   */
  authenticate(client: Client, username: string, password: string, commandName: string): boolean {
    this.ensureSynced();
    const u = this.users.get(username);
    let ok = false;
    if (u && u.enabled) {
      if (u.nopass) ok = true;
      else {
        const h = hashPassword(password);
        ok = u.passwords.includes(h);
      }
    }
    if (!ok) {
      this.addLogEntry(client, ACL_DENIED_AUTH, this.context(client), commandName, username, asciiLower(commandName));
      return false;
    }
    this.setUserOf(this.clientAcl(client), u!, true);
    if (u !== this.defaultUser && !this.othersUsed) {
      this.othersUsed = true;
      this.defaultChanged();
    }
    return true;
  }

  /** The name of the client's user. */
  userOf(client: Client): string {
    const ca = this.clientState.get(client);
    return ca === undefined || ca.user.deleted ? 'default' : ca.user.name;
  }

  // -------------------------------------------------------------------------------------
  // Commands: ids, categories, lookup
  // -------------------------------------------------------------------------------------

  /** What the ACL knows about a command (its id is given on first sight). */
  info(def: CommandDef): DefInfo {
    let i = this.defInfo.get(def);
    if (i !== undefined) return i;
    const lname = asciiLower(def.fullname);
    let id = this.nameIds.get(lname);
    if (id === undefined) {
      id = this.nextId++;
      if (this.nextId === FUTURE_BIT) this.nextId++;
      this.nameIds.set(lname, id);
    }
    const meta = def.meta as (NativeCommand & { createFlags?: string[] }) | undefined;
    let keys: 0 | 1 | 2 = 0;
    let channels: 0 | 1 | 2 = 0;
    let plan: CoreKeyPlan | undefined;
    if (def.module !== undefined) {
      keys = 2;
      if (meta?.createFlags?.includes('getchannels-api')) channels = 2;
    } else {
      const spec = def.spec;
      if (spec?.get_keys_function || (spec?.key_specs ?? []).some((k) => !(keySpecFlags(k) & KEY_NOT_KEY))) {
        keys = 1;
        plan = coreKeyPlan(def);
      }
      const ch = CHANNEL_SPECS[def.fullname];
      if (ch && ch[0] & (CH_PUBLISH | CH_SUBSCRIBE)) channels = 1;
    }
    i = { id, noAuth: def.flags.includes('no_auth'), cats: categoriesOf(def), keys, channels, plan };
    this.defInfo.set(def, i);
    return i;
  }

  /** Every command and subcommand in table order. */
  private *allDefs(): IterableIterator<CommandDef> {
    for (const d of this.engine.commands.all()) {
      yield d;
      if (d.subcommands) yield* d.subcommands.values();
    }
  }

  /** Category names: the core ones, then those modules added (seen on their commands). */
  categories(): string[] {
    const out = CORE_CATEGORIES.slice();
    const seen = new Set(out);
    for (const d of this.allDefs()) {
      if (!d.module) continue;
      for (const c of d.categories ?? []) {
        const name = c.replace(/^@/, '');
        const l = asciiLower(name);
        if (!seen.has(l)) {
          seen.add(l);
          out.push(name);
        }
      }
    }
    return out;
  }

  /** A category's canonical name, or undefined when there is no such category. */
  findCategory(name: string): string | undefined {
    const l = asciiLower(name);
    return this.categories().find((c) => asciiLower(c) === l);
  }

  /** Full names of the commands (and subcommands) in a category, in table order. */
  commandsInCategory(category: string): string[] {
    const l = asciiLower(category);
    const out: string[] = [];
    for (const d of this.allDefs()) if (this.info(d).cats.includes(l)) out.push(d.fullname);
    return out;
  }

  /** lookupCommandBySdsLogic: "name" or "container|sub", any case. */
  lookup(name: string): CommandDef | undefined {
    if (name === '') return undefined;
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const base = this.engine.commands.get(parts[0]!);
    if (!base || parts.length === 1) return base;
    if (!base.subcommands) return undefined;
    return base.subcommands.get(parts[1]!.toLowerCase());
  }

  /** Gives ids to every command now in the table and, when the table changed since the last
   *  time, rebuilds every selector's bitmap from its rules (ACLRecomputeCommandBits...). */
  private refreshCommands(): void {
    const size = this.engine.commands.size;
    if (size === this.builtTableSize && this.nextId === this.builtIds) return;
    for (const d of this.allDefs()) this.info(d);
    if (this.builtTableSize >= 0) {
      for (const u of this.users.values()) {
        for (const s of u.selectors) this.rebuild(s);
        u.refresh();
      }
      this.defaultChanged();
    }
    this.builtTableSize = size;
    this.builtIds = this.nextId;
  }

  private rebuild(s: Selector): void {
    const rules = s.rules;
    this.selectorOp(s, s.bit(FUTURE_BIT) ? '+@all' : '-@all');
    for (const r of rules) this.selectorOp(s, r);
  }

  // -------------------------------------------------------------------------------------
  // Rules
  // -------------------------------------------------------------------------------------

  /** Allows or denies a command and, for a container, its subcommands. */
  private changePerm(s: Selector, def: CommandDef, allow: boolean): void {
    const id = this.info(def).id;
    s.setBit(id, allow);
    s.firstArgs?.delete(id);
    if (def.subcommands) for (const sub of def.subcommands.values()) s.setBit(this.info(sub).id, allow);
  }

  private setCategory(s: Selector, category: string, allow: boolean): void {
    const l = asciiLower(category);
    for (const d of this.engine.commands.all()) {
      if (this.info(d).cats.includes(l)) this.changePerm(s, d, allow);
      if (d.subcommands) {
        for (const sub of d.subcommands.values()) if (this.info(sub).cats.includes(l)) this.changePerm(s, sub, allow);
      }
    }
  }

  /** Keeps the ordered rule list: drops earlier rules about the same command (or its
   *  subcommands) and appends this one. */
  private updateRules(s: Selector, rule: string, allow: boolean): void {
    const r = asciiLower(rule);
    s.rules = s.rules.filter((t) => {
      const body = t.slice(1);
      return !(body === r || body.startsWith(`${r}|`));
    });
    s.rules.push((allow ? '+' : '-') + r);
  }

  /** ACLSetSelector: applies one selector rule; returns the errno of a failure. */
  private selectorOp(s: Selector, op: string): Errno | undefined {
    const lop = asciiLower(op);
    const c0 = op[0];
    if (lop === 'allkeys' || op === '~*') {
      s.allKeys = true;
      s.patterns = [];
    } else if (lop === 'resetkeys') {
      s.allKeys = false;
      s.patterns = [];
    } else if (lop === 'allchannels' || op === '&*') {
      s.allChannels = true;
      s.channels = [];
    } else if (lop === 'resetchannels') {
      s.allChannels = false;
      s.channels = [];
    } else if (lop === 'allcommands' || lop === '+@all') {
      s.bits.fill(0xffffffff);
      s.allCommands = true;
      s.rules = [];
      s.firstArgs = null;
    } else if (lop === 'nocommands' || lop === '-@all') {
      s.bits.fill(0);
      s.allCommands = false;
      s.rules = [];
      s.firstArgs = null;
    } else if (c0 === '~' || c0 === '%') {
      if (s.allKeys) return 'EEXIST';
      let flags = 0;
      let offset = 1;
      if (c0 === '%') {
        let ok = true;
        for (; offset < op.length; offset++) {
          const ch = op[offset];
          if ((ch === 'R' || ch === 'r') && !(flags & PERM_READ)) flags |= PERM_READ;
          else if ((ch === 'W' || ch === 'w') && !(flags & PERM_WRITE)) flags |= PERM_WRITE;
          else if (ch === '~') {
            offset++;
            break;
          } else {
            ok = false;
            break;
          }
        }
        if (!flags || !ok) return 'EINVAL';
      } else flags = PERM_ALL;
      const pattern = op.slice(offset);
      if (hasSpaces(pattern)) return 'EINVAL';
      const existing = s.patterns.find((p) => p.pattern === pattern);
      if (existing) existing.flags |= flags;
      else s.patterns.push({ pattern, flags });
      s.allKeys = false;
    } else if (c0 === '&') {
      if (s.allChannels) return 'EISDIR';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'EINVAL';
      if (!s.channels.includes(pattern)) s.channels.push(pattern);
      s.allChannels = false;
    } else if (c0 === '+' && op[1] !== '@') {
      const body = op.slice(1);
      const bar = body.lastIndexOf('|');
      if (bar < 0) {
        const def = this.lookup(body);
        if (!def) return 'ENOENT';
        this.changePerm(s, def, true);
        this.updateRules(s, def.fullname, true);
      } else {
        const def = this.lookup(body.slice(0, bar));
        if (!def) return 'ENOENT';
        if (def.parent) return 'ECHILD';
        const sub = body.slice(bar + 1);
        if (sub === '') return 'EINVAL';
        if (def.subcommands) {
          const sd = this.lookup(body);
          if (!sd) return 'ENOENT';
          this.changePerm(s, sd, true);
        } else {
          this.engine.logger.log(
            LL_WARNING,
            `Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: +${body})`,
          );
          const id = this.info(def).id;
          const list = (s.firstArgs ??= new Map<number, string[]>()).get(id);
          if (!list) s.firstArgs.set(id, [sub]);
          else if (!list.some((a) => asciiEqualNoCase(a, sub))) list.push(sub);
        }
        this.updateRules(s, body, true);
      }
    } else if (c0 === '-' && op[1] !== '@') {
      const def = this.lookup(op.slice(1));
      if (!def) return 'ENOENT';
      this.changePerm(s, def, false);
      this.updateRules(s, def.fullname, false);
    } else if ((c0 === '+' || c0 === '-') && op[1] === '@') {
      const cat = this.findCategory(op.slice(2));
      if (cat === undefined) return 'ENOENT';
      this.updateRules(s, op.slice(1), c0 === '+');
      this.setCategory(s, cat, c0 === '+');
    } else return 'EINVAL';
    return undefined;
  }

  /** ACLSetUser: applies one user rule; returns the errno of a failure. */
  private applyUserOp(u: AclUser, op: string): Errno | undefined {
    if (op.length === 0) return undefined;
    const lop = asciiLower(op);
    const c0 = op[0];
    if (lop === 'on') u.enabled = true;
    else if (lop === 'off') u.enabled = false;
    else if (lop === 'skip-sanitize-payload') u.skipSanitize = true;
    else if (lop === 'sanitize-payload') u.skipSanitize = false;
    else if (lop === 'nopass') {
      u.nopass = true;
      u.passwords = [];
    } else if (lop === 'resetpass') {
      u.nopass = false;
      u.passwords = [];
    } else if (c0 === '>' || c0 === '#') {
      let h: string;
      if (c0 === '>') h = hashPassword(op.slice(1));
      else {
        h = op.slice(1);
        if (!validHash(h)) return 'EBADMSG';
      }
      if (!u.passwords.includes(h)) u.passwords.push(h);
      u.nopass = false;
    } else if (c0 === '<' || c0 === '!') {
      let h: string;
      if (c0 === '<') h = hashPassword(op.slice(1));
      else {
        h = op.slice(1);
        if (!validHash(h)) return 'EBADMSG';
      }
      const i = u.passwords.indexOf(h);
      if (i < 0) return 'ENODEV';
      u.passwords.splice(i, 1);
    } else if (c0 === '(' && op[op.length - 1] === ')') {
      const s = new Selector(false, this.pubsubDefaultAll());
      for (const inner of splitArgs(op.slice(1, -1)) ?? []) {
        const e = this.selectorOp(s, inner);
        if (e) return e;
      }
      u.selectors.push(s);
    } else if (lop === 'clearselectors') {
      u.selectors.length = 1;
    } else if (lop === 'reset') {
      for (const r of ['resetpass', 'resetkeys', 'resetchannels']) this.applyUserOp(u, r);
      if (this.pubsubDefaultAll()) this.applyUserOp(u, 'allchannels');
      for (const r of ['off', 'sanitize-payload', 'clearselectors', '-@all']) this.applyUserOp(u, r);
    } else return this.selectorOp(u.root, op);
    return undefined;
  }

  /**
   * ACL SETUSER (and `user` lines): applies `rules` to user `name` (created when missing)
   * all or nothing. Returns undefined on success or Valkey's error text (without "ERR ").
   */
  setUser(name: string, rules: string[]): string | undefined {
    this.ensureSynced();
    this.refreshCommands();
    const merged = mergeSelectorArgs(rules);
    if (typeof merged === 'number') return `Unmatched parenthesis in acl selector starting at '${rules[merged]}'.`;
    const existing = this.users.get(name);
    const temp = existing ? existing.clone() : this.newUser(name);
    for (const op of merged) {
      const e = this.applyUserOp(temp, op);
      if (e) return `Error in ACL SETUSER modifier '${op}': ${setUserError(e)}`;
    }
    temp.refresh();
    if (existing) {
      this.killRevokedSubscribers(temp, existing);
      existing.copyFrom(temp);
      if (existing === this.defaultUser) this.defaultChanged();
    } else {
      this.users.set(name, temp);
    }
    return undefined;
  }

  /** ACLKillPubsubClientsIfNeeded: closes subscribers of `original` whose subscriptions the
   *  new rules no longer allow. */
  private killRevokedSubscribers(next: AclUser, original: AclUser): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming: string[] = [];
    for (const s of next.selectors) upcoming.push(...s.channels);
    let superset = true;
    for (const s of original.selectors) {
      if (s.allChannels || !s.channels.every((c) => upcoming.includes(c))) {
        superset = false;
        break;
      }
    }
    if (superset) return;
    for (const c of this.clientsOf(original)) {
      if (c.channels.size + c.patterns.size + c.shardChannels.size === 0) continue;
      let kill = false;
      for (const p of c.patterns) if (!channelAllowed(upcoming, p, true)) kill = true;
      if (!kill) for (const ch of c.channels) if (!channelAllowed(upcoming, ch, false)) kill = true;
      if (!kill) for (const ch of c.shardChannels) if (!channelAllowed(upcoming, ch, false)) kill = true;
      if (kill) this.kill(c);
    }
  }

  /** ACL DELUSER: removes users (never "default"); their clients are disconnected. Returns
   *  the number removed, or -1 when "default" is among the names. */
  deleteUsers(names: string[]): number {
    if (names.includes('default')) return -1;
    let n = 0;
    for (const name of names) {
      const u = this.users.get(name);
      if (!u) continue;
      this.users.delete(name);
      this.dropUser(u);
      n++;
    }
    return n;
  }

  private dropUser(u: AclUser): void {
    u.deleted = true;
    for (const c of this.clientsOf(u)) {
      const ca = this.clientState.get(c);
      if (ca) this.deauthenticate(ca);
      this.kill(c);
    }
  }

  // -------------------------------------------------------------------------------------
  // Describing users
  // -------------------------------------------------------------------------------------

  /** "+@all"/"-@all" followed by the selector's command rules. */
  commandRules(s: Selector): string {
    const head = s.bit(FUTURE_BIT) ? '+@all' : '-@all';
    return s.rules.length ? `${head} ${s.rules.join(' ')}` : head;
  }

  /** The key patterns as GETUSER shows them ("~*", or "~a %R~b ..."). */
  keysText(s: Selector): string {
    if (s.allKeys) return '~*';
    return s.patterns.map(patternText).join(' ');
  }

  /** The channel patterns as GETUSER shows them ("&*", or "&a &b", or ""). */
  channelsText(s: Selector): string {
    if (s.allChannels) return '&*';
    return s.channels.map((c) => `&${c}`).join(' ');
  }

  private describeSelector(s: Selector): string {
    let res = '';
    if (s.allKeys) res += '~* ';
    else for (const p of s.patterns) res += `${patternText(p)} `;
    if (s.allChannels) res += '&* ';
    else {
      res += 'resetchannels ';
      for (const c of s.channels) res += `&${c} `;
    }
    return res + this.commandRules(s);
  }

  /** ACLDescribeUser: the user's rules as ACL LIST shows them (without "user <name> "). */
  describe(u: AclUser): string {
    let res = '';
    for (const f of u.flagWords()) res += `${f} `;
    for (const p of u.passwords) res += `#${p} `;
    for (const s of u.selectors) res += s.root ? this.describeSelector(s) : ` (${this.describeSelector(s)})`;
    return res;
  }

  /** Users sorted by name (byte order). */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** ACL GETUSER's reply for a user. */
  writeUser(w: ReplyWriter, u: AclUser): void {
    w.map(6);
    w.bulk('flags');
    const flags = u.flagWords();
    w.set(flags.length);
    for (const f of flags) w.bulk(f);
    w.bulk('passwords');
    w.array(u.passwords.length);
    for (const p of u.passwords) w.bulk(p);
    this.writeSelector(w, u.root);
    w.bulk('selectors');
    w.array(u.selectors.length - 1);
    for (let i = 1; i < u.selectors.length; i++) {
      w.map(3);
      this.writeSelector(w, u.selectors[i]!);
    }
  }

  private writeSelector(w: ReplyWriter, s: Selector): void {
    w.bulk('commands');
    w.bulk(this.commandRules(s));
    w.bulk('keys');
    w.bulk(this.keysText(s));
    w.bulk('channels');
    w.bulk(this.channelsText(s));
  }

  // -------------------------------------------------------------------------------------
  // Permission checks
  // -------------------------------------------------------------------------------------

  /** The key positions (and flags) a command touches, as pairs. */
  private keysOf(def: CommandDef, info: DefInfo, args: string[]): ArrayLike<number> {
    if (info.plan) return coreKeys(info.plan, args);
    return this.engine.registry.positions(def, args) ?? [];
  }

  /** The channel positions (and flags) a command names, as pairs. */
  private channelsOf(def: CommandDef, kind: 1 | 2, args: string[]): ArrayLike<number> {
    if (kind === 2) return this.engine.registry.positions(def, args, true) ?? [];
    const [flags, start, count] = CHANNEL_SPECS[def.fullname]!;
    const stop = count === -1 ? args.length : Math.min(args.length, start + count);
    const out: number[] = [];
    for (let i = start; i < stop; i++) out.push(i, flags);
    return out;
  }

  /**
   * ACLCheckAllUserCommandPerm: whether user `u` may run `def` with `args` (args[0] is the
   * command name). Returns ACL_OK or the most relevant denial; `errorIndex` then holds the
   * argument the denial is about (0 for a command denial).
   */
  check(u: AclUser, def: CommandDef, args: string[]): number {
    if (u.unrestricted) return ACL_OK;
    const info = this.info(def);
    this.refreshCommands();
    let relevant = ACL_DENIED_CMD;
    let lastIdx = 0;
    let keys: ArrayLike<number> | undefined;
    for (const s of u.selectors) {
      let r = ACL_OK;
      let idx = 0;
      if (!s.allCommands && !info.noAuth && !s.bit(info.id)) {
        const allowed = s.firstArgs?.get(info.id);
        if (args.length < 2 || !allowed) r = ACL_DENIED_CMD;
        else {
          const a = args[def.parent ? 2 : 1] ?? '';
          if (!allowed.some((x) => asciiEqualNoCase(x, a))) r = ACL_DENIED_CMD;
        }
      }
      if (r === ACL_OK && !s.allKeys && info.keys !== 0) {
        keys ??= this.keysOf(def, info, args);
        for (let j = 0; j + 1 < keys.length; j += 2) {
          const pos = keys[j]!;
          if (!keyAllowed(s, args[pos]!, keys[j + 1]!)) {
            r = ACL_DENIED_KEY;
            idx = pos;
            break;
          }
        }
      }
      if (r === ACL_OK && !s.allChannels && info.channels !== 0) {
        const ch = this.channelsOf(def, info.channels, args);
        for (let j = 0; j + 1 < ch.length; j += 2) {
          const flags = ch[j + 1]!;
          if (!(flags & (CH_PUBLISH | CH_SUBSCRIBE))) continue;
          const pos = ch[j]!;
          if (!channelAllowed(s.channels, args[pos]!, (flags & CH_PATTERN) !== 0)) {
            r = ACL_DENIED_CHANNEL;
            idx = pos;
            break;
          }
        }
      }
      if (r === ACL_OK) return ACL_OK;
      if (r > relevant || (r === relevant && idx > lastIdx)) {
        relevant = r;
        lastIdx = idx;
      }
    }
    this.errorIndex = lastIdx;
    return relevant;
  }

  /** getAclErrorMessage: the text of a denial (verbose: ACL DRYRUN's wording). */
  denialMessage(result: number, u: AclUser, def: CommandDef, value: string, verbose: boolean): string {
    switch (result) {
      case ACL_DENIED_CMD:
        return `User ${u.name} has no permissions to run the '${def.fullname}' command`;
      case ACL_DENIED_KEY:
        return verbose ? `User ${u.name} has no permissions to access the '${value}' key` : 'No permissions to access a key';
      default:
        return verbose
          ? `User ${u.name} has no permissions to access the '${value}' channel`
          : 'No permissions to access a channel';
    }
  }

  /** The log context of a client's command: multi inside MULTI/EXEC, else toplevel. */
  context(client: Client): number {
    return inMulti(client) ? ACL_LOG_CTX_MULTI : ACL_LOG_CTX_TOPLEVEL;
  }

  /**
   * The full check Valkey runs before a command: NOAUTH for a client that must authenticate
   * first, then the user's permissions. Returns undefined when the command may run, or the
   * error reply (a NOPERM failure is also logged in the ACL LOG). A command EXEC runs from
   * its queue is checked again (permissions only) and refused with EXEC's wording.
   */
  commandError(client: Client, def: CommandDef, args: string[]): string | undefined {
    this.ensureSynced();
    if (this.fastOpen) return undefined;
    const ca = this.clientAcl(client);
    if (!ca.authenticated && !this.noAuthNeeded && !this.info(def).noAuth && !inExec(client)) return NOAUTH_ERROR;
    const u = ca.user;
    if (u.unrestricted) return undefined;
    const r = this.check(u, def, args);
    if (r === ACL_OK) return undefined;
    const exec = inExec(client);
    const idx = this.errorIndex;
    const object = r === ACL_DENIED_CMD ? def.fullname : args[idx]!;
    this.addLogEntry(client, r, this.context(client), object, u.name, def.fullname);
    if (exec) {
      const reason =
        r === ACL_DENIED_CMD
          ? 'no permission to execute the command or subcommand'
          : r === ACL_DENIED_KEY
            ? 'no permission to touch the specified keys'
            : 'no permission to access one of the channels used as arguments';
      return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
    }
    return `NOPERM ${this.denialMessage(r, u, def, args[idx]!, false)}`;
  }

  /** The gate: refuses the command when the client may not run it, as Valkey's rejectCommand
   *  (counted as rejected, the reject listeners told: MULTI flags its transaction, and a
   *  refused EXEC becomes EXECABORT). Inside EXEC the error is just the command's reply. */
  gate(client: Client, def: CommandDef, args: string[], w: ReplyWriter): boolean {
    const err = this.commandError(client, def, args);
    if (err === undefined) return false;
    const engine = this.engine;
    let msg = err;
    if (!inExec(client)) {
      for (const l of engine.rejectListeners) {
        const m = l(client, args, msg) as unknown;
        if (typeof m === 'string') msg = m;
      }
      engine.commandStats.rejected(def);
    }
    engine.commandStats.errorReply(msg);
    w.error(msg);
    return true;
  }

  // -------------------------------------------------------------------------------------
  // ACL LOG
  // -------------------------------------------------------------------------------------

  /** addACLLogEntry: counts the denial (INFO acl_access_denied_*) and logs it, merging it
   *  into a recent identical entry when there is one. */
  addLogEntry(client: Client, reason: number, context: number, object: string, username: string, command: string): void {
    const stat =
      reason === ACL_DENIED_AUTH
        ? 'acl_access_denied_auth'
        : reason === ACL_DENIED_CMD
          ? 'acl_access_denied_cmd'
          : reason === ACL_DENIED_KEY
            ? 'acl_access_denied_key'
            : 'acl_access_denied_channel';
    const stats = this.engine.stats as Record<string, number>;
    stats[stat] = (stats[stat] ?? 0) + 1;
    const max = configOf(this.engine).number('acllog-max-len');
    const log = this.log;
    if (max === 0) {
      log.length = 0;
      return;
    }
    const now = this.engine.now();
    const cinfo = this.clientInfo(client, command);
    for (let i = 0; i < Math.min(10, log.length); i++) {
      const e = log[i]!;
      if (
        e.reason === reason &&
        e.context === context &&
        Math.abs(e.ctime - now) <= 60000 &&
        e.object === object &&
        e.username === username
      ) {
        log.splice(i, 1);
        log.unshift(e);
        e.cinfo = cinfo;
        e.ctime = now;
        e.count++;
        return;
      }
    }
    log.unshift({ count: 1, reason, context, object, username, ctime: now, cinfo, entryId: this.logEntryCount++, created: now });
    if (log.length > max) log.length = max;
  }

  /** The client-info text of a log entry. */
  private clientInfo(client: Client, command: string): string {
    if (this.hooks.clientInfo) return this.hooks.clientInfo(client, command);
    return (
      `id=${client.id} addr= laddr= fd=-1 name=${client.name} age=0 idle=0 flags=N capa= db=${client.db} ` +
      `sub=${client.channels.size} psub=${client.patterns.size} ssub=${client.shardChannels.size} multi=-1 watch=0 ` +
      `qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r ` +
      `cmd=${command} user=${this.userOf(client)} redir=-1 resp=${client.proto} lib-name= lib-ver=`
    );
  }

  /** ACL LOG [count]: the newest `count` entries. */
  writeLog(w: ReplyWriter, count: number): void {
    const n = Math.min(count, this.log.length);
    const now = this.engine.now();
    w.array(n);
    for (let i = 0; i < n; i++) {
      const e = this.log[i]!;
      w.map(10);
      w.bulk('count');
      w.integer(e.count);
      w.bulk('reason');
      w.bulk(['unknown', 'command', 'key', 'auth', 'channel'][e.reason] ?? 'unknown');
      w.bulk('context');
      w.bulk(['toplevel', 'lua', 'multi', 'module'][e.context] ?? 'unknown');
      w.bulk('object');
      w.bulk(e.object);
      w.bulk('username');
      w.bulk(e.username);
      w.bulk('age-seconds');
      w.double((now - e.ctime) / 1000);
      w.bulk('client-info');
      w.bulk(e.cinfo);
      w.bulk('entry-id');
      w.integer(e.entryId);
      w.bulk('timestamp-created');
      w.integer(e.created);
      w.bulk('timestamp-last-updated');
      w.integer(e.ctime);
    }
  }

  /** ACL LOG RESET. */
  resetLog(): void {
    this.log.length = 0;
  }

  // -------------------------------------------------------------------------------------
  // ACL file
  // -------------------------------------------------------------------------------------

  /** The aclfile setting ("" when there is none). */
  aclFile(): string {
    return configOf(this.engine).get('aclfile') ?? '';
  }

  /**
   * ACLLoadFromFile: replaces every user with the file's, all or nothing. Returns undefined,
   * or the error text (one line describing every problem found).
   */
  loadFile(filename = this.aclFile()): string | undefined {
    this.ensureSynced();
    this.refreshCommands();
    let text: string;
    try {
      text = fs.readFileSync(filename, 'latin1');
    } catch (e) {
      return `Error loading ACLs, opening file '${filename}': ${strerror(e as NodeJS.ErrnoException)}`;
    }
    let errors = '';
    const fresh = new Map<string, AclUser>();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') continue;
      const argv = line.split(' ');
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${filename}:${linenum}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (fresh.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        continue;
      }
      const u = this.newUser(name);
      fresh.set(name, u);
      const merged = mergeSelectorArgs(argv.slice(2));
      if (typeof merged === 'number') {
        errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const raw of merged) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        const e = this.applyUserOp(u, op);
        if (!e) continue;
        if (e === 'ENOENT') errors += `${filename}:${linenum}: Error in applying operation '${op}': ${setUserError(e)}. `;
        else if (!syntaxError) {
          errors += `${filename}:${linenum}: ${setUserError(e)}. `;
          syntaxError = true;
        }
      }
      u.refresh();
    }
    if (errors !== '') return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
    const newDefault = fresh.get('default') ?? this.createDefaultUser();
    const old = [...this.users.values()];
    this.defaultUser.copyFrom(newDefault);
    fresh.set('default', this.defaultUser);
    this.users.clear();
    for (const [n, u] of fresh) this.users.set(n, u);
    for (const u of old) if (u !== this.defaultUser) this.dropUser(u);
    this.defaultChanged();
    return undefined;
  }

  /** ACLSaveToFile: writes every user to the ACL file; false (and a log line) on failure. */
  saveFile(filename = this.aclFile()): boolean {
    let text = '';
    for (const u of this.sortedUsers()) text += `user ${u.name} ${this.describe(u)}\n`;
    const tmp = `${filename}.tmp-${process.pid}-${this.engine.now()}`;
    let stage = 'Opening temp ACL file for ACL SAVE';
    try {
      const fd = fs.openSync(tmp, 'w', 0o644);
      try {
        stage = 'Writing ACL file for ACL SAVE';
        fs.writeSync(fd, Buffer.from(text, 'latin1'));
        stage = 'Syncing ACL file for ACL SAVE';
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      stage = 'Renaming ACL file for ACL SAVE';
      fs.renameSync(tmp, filename);
      return true;
    } catch (e) {
      this.engine.logger.log(LL_WARNING, `${stage}: ${strerror(e as NodeJS.ErrnoException)}`);
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
      return false;
    }
  }

  /** GENPASS: `bits` random bits as (bits+3)/4 hex digits. */
  genpass(bits: number): string {
    const chars = Math.floor((bits + 3) / 4);
    return randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars);
  }

  /** Logs a notice when a configured user is left disabled (as Valkey does at startup). */
  warnDisabled(name: string): void {
    const u = this.users.get(name);
    if (u && !u.enabled) {
      this.engine.logger.log(
        LL_NOTICE,
        `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
      );
    }
  }
}

function patternText(p: KeyPattern): string {
  return (p.flags === PERM_ALL ? '~' : p.flags === PERM_READ ? '%R~' : '%W~') + p.pattern;
}

/** ACLSelectorCheckKey: whether a selector's patterns allow the access a key spec needs. */
function keyAllowed(s: Selector, key: string, specFlags: number): boolean {
  if (s.allKeys) return true;
  let need = 0;
  if (specFlags & KEY_ACCESS) need |= PERM_READ;
  if (specFlags & (KEY_INSERT | KEY_DELETE | KEY_UPDATE)) need |= PERM_WRITE;
  for (const p of s.patterns) {
    if ((p.flags & need) !== need) continue;
    if (globMatch(p.pattern, key)) return true;
  }
  return false;
}

/** ACLCheckChannelAgainstList: a channel matches a pattern; a pattern (PSUBSCRIBE) only
 *  matches the same pattern literally. */
function channelAllowed(list: string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? p === channel : globMatch(p, channel)) return true;
  }
  return false;
}

/** ACLMergeSelectorArguments: joins a selector spread over several arguments ("(+get",
 *  "~k)") into one; the index of the opening argument when a parenthesis is unmatched. */
function mergeSelectorArgs(args: string[]): string[] | number {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (open === -1 && op[0] === '(' && op[op.length - 1] !== ')') {
      sel = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      sel += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(sel);
      }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? open : out;
}

/** strerror for the file errors ACL LOAD/SAVE may meet. */
function strerror(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EROFS':
      return 'Read-only file system';
    default:
      return e.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

/**
 * Installs the ACL on an engine: its state and its gate (placed first, so it runs before
 * MULTI queueing and client pause, as in Valkey). Idempotent; returns the state.
 */
export function installAcl(engine: Engine): AclState {
  let st = states.get(engine);
  if (st) return st;
  st = new AclState(engine);
  states.set(engine, st);
  const s = st;
  engine.gates.unshift((client, def, args, w) => (s.fastOpen ? false : s.gate(client, def, args, w)));
  return st;
}

/** The ACL state of an engine (installing it if the engine has none yet). */
export function aclOf(engine: Engine): AclState {
  return states.get(engine) ?? installAcl(engine);
}

/** The name of the user a client is authenticated as ("default" until AUTH). For CLIENT
 *  LIST's `user=` and for modules. */
export function currentUser(client: Client): string {
  return states.get(client.engine)?.userOf(client) ?? 'default';
}

/** AUTH/HELLO AUTH: true and the client switched to the user, or false with an `auth` ACL
 *  LOG entry (object: the command name as sent). */
export function aclAuthenticate(client: Client, username: string, password: string, commandName: string): boolean {
  return aclOf(client.engine).authenticate(client, username, password, commandName);
}

/**
 * How the modules' auth callbacks (RegisterAuthCallback, src/modules/key-ops-auth.ts) decided
 * an AUTH: `ok` (a callback authenticated the client), `denied` (`write` replies the error),
 * `not_handled` (password authentication decides) or `gone` (the client left while blocked).
 */
export type ModuleAuthOutcome =
  | { kind: 'ok' }
  | { kind: 'denied'; write(w: ReplyWriter): void }
  | { kind: 'not_handled' }
  | { kind: 'gone' };
/** Runs the module auth chain for a command's client (a Promise when a callback blocked it). */
export type ModuleAuthHook = (
  ctx: CommandContext,
  username: string,
  password: string,
) => ModuleAuthOutcome | Promise<ModuleAuthOutcome>;

const moduleAuthHooks = new WeakMap<Engine, ModuleAuthHook>();

/** Installs the module auth chain of an engine (once a module registered an auth callback). */
export function setModuleAuthHook(engine: Engine, hook: ModuleAuthHook): void {
  moduleAuthHooks.set(engine, hook);
}

/**
 * AUTH / HELLO AUTH as Valkey's ACLAuthenticateUser: the modules' auth callbacks first, then,
 * when none handled it, the password. On success calls `onSuccess` (which writes the
 * command's reply); on failure writes the error (`-WRONGPASS ...`, or the module's). Returns
 * a Promise when a module blocked the client on auth: the command must return it.
 */
export function aclAuthenticateWithModules(
  ctx: CommandContext,
  username: string,
  password: string,
  onSuccess: () => void,
): void | Promise<void> {
  const { client, w, args } = ctx;
  const finish = (o: ModuleAuthOutcome): void => {
    if (o.kind === 'gone') return;
    if (o.kind === 'ok') return onSuccess();
    if (o.kind === 'denied') return o.write(w);
    if (!aclAuthenticate(client, username, password, args[0]!)) return w.error(WRONGPASS_ERROR);
    onSuccess();
  };
  const hook = moduleAuthHooks.get(client.engine);
  if (hook === undefined) return finish({ kind: 'not_handled' });
  const r = hook(ctx, username, password);
  if (r instanceof Promise) return r.then(finish);
  finish(r);
}

/** Successful module authentications of each client (AuthenticateClientWith*), so the auth
 *  chain can tell whether the callback that handled an attempt authenticated the client. */
const moduleAuthCounts = new WeakMap<Client, number>();

/** How many times modules authenticated `client` so far. */
export function aclModuleAuthCount(client: Client): number {
  return moduleAuthCounts.get(client) ?? 0;
}

/** Whether a client may run commands that need authentication (HELLO's NOAUTH check). */
export function aclIsAuthenticated(client: Client): boolean {
  return aclOf(client.engine).isAuthenticated(client);
}

/** RESET: the client goes back to the default user (authenticated if it has no password). */
export function aclResetClient(client: Client): void {
  aclOf(client.engine).resetClient(client);
}

/**
 * The permission check of a command about to run: undefined when allowed; otherwise the
 * error reply text (`NOAUTH ...` or `NOPERM ...`), the denial already logged.
 */
export function aclCommandError(client: Client, def: CommandDef, args: string[]): string | undefined {
  return aclOf(client.engine).commandError(client, def, args);
}

/** The answers the network layer asks of the ACL (src/server/connection.ts AuthHooks):
 *  `setAuthHooks(engine, aclAuthHooks(engine))`. */
export function aclAuthHooks(engine: Engine): {
  authRequired(client: Client): boolean;
  defaultUserNoPass(): boolean;
  userName(client: Client): string;
  userExists(name: string): boolean;
} {
  const st = aclOf(engine);
  return {
    authRequired: (client) => !st.isAuthenticated(client),
    defaultUserNoPass: () => {
      st.ensureSynced();
      return st.defaultUser.nopass;
    },
    userName: (client) => st.userOf(client),
    userExists: (name) => st.users.has(name),
  };
}

/** Sets the hooks the network side provides (kill, client-info, client list). */
export function setAclHooks(engine: Engine, hooks: AclHooks): void {
  aclOf(engine).hooks = hooks;
}

/** Creates or changes a user from rules (config file `user` lines; a user left "off" gets
 *  Valkey's notice in the log); undefined or the error text ACL SETUSER would give, without
 *  "ERR ". */
export function aclSetUser(engine: Engine, name: string, rules: string[]): string | undefined {
  if (hasSpaces(name)) return "Usernames can't contain spaces or null characters";
  const st = aclOf(engine);
  const err = st.setUser(name, rules);
  if (err === undefined) st.warnDisabled(name);
  return err;
}

/** Loads the configured aclfile at startup; undefined, or the errors (Valkey aborts startup
 *  with "Aborting Valkey startup because of ACL errors: <errors>"). No-op without aclfile. */
export function aclLoadAtStartup(engine: Engine): string | undefined {
  const st = aclOf(engine);
  return st.aclFile() === '' ? undefined : st.loadFile();
}

// ---------------------------------------------------------------------------------------
// Module users (ValkeyModule_CreateModuleUser and friends): users outside the users table
// ---------------------------------------------------------------------------------------

/** A new user that ACL LIST/USERS do not show (ACLCreateUnlinkedUser's defaults: off, no
 *  commands, keys or channels beyond acl-pubsub-default). */
export function aclNewModuleUser(engine: Engine, name: string): AclUser {
  const st = aclOf(engine);
  st.ensureSynced();
  return st['newUser'](name);
}

/**
 * Applies rules to a user outside (or inside) the users table, all or nothing (ACLSetUser of
 * each rule on a copy). Returns undefined or the error text ACL SETUSER would give,
 * without "ERR ".
 */
export function aclSetModuleUser(engine: Engine, u: AclUser, rules: string[]): string | undefined {
  const st = aclOf(engine);
  st.ensureSynced();
  st['refreshCommands']();
  const merged = mergeSelectorArgs(rules);
  if (typeof merged === 'number') return `Unmatched parenthesis in acl selector starting at '${rules[merged]}'.`;
  const temp = u.clone();
  for (const op of merged) {
    const e = st['applyUserOp'](temp, op);
    if (e) return `Error in ACL SETUSER modifier '${op}': ${setUserError(e)}`;
  }
  temp.refresh();
  st['killRevokedSubscribers'](temp, u);
  u.copyFrom(temp);
  if (u === st.defaultUser) st['defaultChanged']();
  return undefined;
}

/** Frees a module user: clients authenticated as it are deauthenticated and closed. */
export function aclFreeModuleUser(engine: Engine, u: AclUser): void {
  aclOf(engine)['dropUser'](u);
}

/** ACLUserCheckKeyPerm: whether some selector of `u` allows `key` for key-spec flags. */
export function aclUserKeyAllowed(u: AclUser, key: string, specFlags: number): boolean {
  return u.selectors.some((s) => keyAllowed(s, key, specFlags));
}

/** ACLUserCheckChannelPerm: whether some selector of `u` allows the channel (or the pattern,
 *  literally). */
export function aclUserChannelAllowed(u: AclUser, channel: string, isPattern: boolean): boolean {
  return u.selectors.some((s) => s.allChannels || channelAllowed(s.channels, channel, isPattern));
}

/** Module callbacks fired once when a client's user changes (AuthenticateClientWithUser). */
const userChangedCallbacks = new WeakMap<Client, () => void>();

/** moduleNotifyUserChanged: fires and forgets the client's user-changed callback, if any
 *  (on AUTH, RESET, a module authentication, deauthentication, and the client closing). */
export function aclNotifyUserChanged(client: Client): void {
  const fn = userChangedCallbacks.get(client);
  if (fn === undefined) return;
  userChangedCallbacks.delete(client);
  fn();
}

/**
 * A module authenticates a client as `u` (AuthenticateClientWithUser): false when the user
 * is disabled; otherwise the previous callback fires, the client switches to `u`
 * (authenticated) and `onChange` (if given) waits for its next user change.
 */
export function aclAuthenticateModuleUser(client: Client, u: AclUser, onChange?: () => void): boolean {
  const st = aclOf(client.engine);
  st.ensureSynced();
  if (!u.enabled) return false;
  st['setUserOf'](st.clientAcl(client), u, true);
  if (u !== st.defaultUser && !st['othersUsed']) {
    st['othersUsed'] = true;
    st['defaultChanged']();
  }
  if (onChange) userChangedCallbacks.set(client, onChange);
  moduleAuthCounts.set(client, (moduleAuthCounts.get(client) ?? 0) + 1);
  return true;
}

/** Back to the default user, not authenticated (DeauthenticateAndCloseClient). */
export function aclDeauthenticateClient(client: Client): void {
  const st = aclOf(client.engine);
  st['deauthenticate'](st.clientAcl(client));
}
