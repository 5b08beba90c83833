/**
 * Connection-management commands: CLIENT (ID, SETNAME, GETNAME, LIST, INFO, KILL, PAUSE,
 * UNPAUSE, REPLY, NO-EVICT, NO-TOUCH, SETINFO, CAPA, GETREDIR, HELP), QUIT, RESET and
 * MONITOR, with Valkey 8's replies and error texts.
 *
 * They work for embedded clients too (CLIENT ID/SETNAME/GETNAME/INFO); what only makes sense
 * on a socket (KILL, REPLY, QUIT, MONITOR) acts on network connections. CLIENT PAUSE is an
 * engine gate; MONITOR an engine command observer. `attachClientCommands(engine)` installs
 * both (the network server calls it; CLIENT PAUSE and MONITOR call it too).
 */
import { cmd, group, Errors, parseInteger } from './define.js';
import type { CommandContext, CommandDef } from './table.js';
import type { Engine } from '../engine/engine.js';
import type { Client } from '../server/client.js';
import { inExec, transactionInfo } from '../server/multi.js';
import { onCommandFinished } from '../engine/slowlog.js';
import {
  Connection,
  clientInfoString,
  clientState,
  clientType,
  connectionsOf,
  onConnectionClose,
  reprBytes,
  userExists,
  userNameOf,
} from '../server/connection.js';

// ---------------------------------------------------------------------------------------------
// CLIENT PAUSE state and gate
// ---------------------------------------------------------------------------------------------

/** The client pause of an engine (CLIENT PAUSE / UNPAUSE). */
export interface PauseState {
  actions: 'none' | 'write' | 'all';
  /** End time (ms since the epoch). */
  end: number;
  timer?: NodeJS.Timeout;
  /** Settled when the pause ends; postponed commands wait on it. */
  done?: Promise<void>;
  release?: () => void;
}

const pauses = new WeakMap<Engine, PauseState>();

/** The pause state of an engine. */
export function pauseState(engine: Engine): PauseState {
  let p = pauses.get(engine);
  if (!p) pauses.set(engine, (p = { actions: 'none', end: 0 }));
  return p;
}

/** Ends a client pause and lets the postponed commands run again. */
export function unpauseClients(engine: Engine): void {
  const p = pauseState(engine);
  p.actions = 'none';
  p.end = 0;
  if (p.timer) clearTimeout(p.timer);
  p.timer = undefined;
  const release = p.release;
  p.done = undefined;
  p.release = undefined;
  release?.();
}

/** Pauses clients until `end` (ms): WRITE pauses commands that may write, ALL every command.
 *  A pause already in force keeps the later end and the stricter mode. */
export function pauseClients(engine: Engine, end: number, all: boolean): void {
  const p = pauseState(engine);
  const now = Date.now();
  if (p.actions !== 'none' && p.end <= now) unpauseClients(engine);
  if (end <= now && p.actions === 'none') return;
  p.actions = all || p.actions === 'all' ? 'all' : 'write';
  if (end > p.end) {
    p.end = end;
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      if (Date.now() >= p.end) unpauseClients(engine);
    }, Math.max(0, end - now));
    p.timer.unref();
  }
}

/** Whether a command counts as a write for CLIENT PAUSE WRITE. EXEC counts when it has
 *  commands queued (Valkey looks at their flags; the queue is not visible from here). */
function mayReplicate(client: Client, def: CommandDef): boolean {
  const f = def.flags;
  if (f.includes('write') || f.includes('may_replicate')) return true;
  return def.fullname === 'exec' && transactionInfo(client).multi > 0;
}

/** Gate: a network client's command waits while clients are paused (Valkey postpones it). */
function pauseGate(engine: Engine) {
  return (client: Client, def: CommandDef): boolean => {
    const p = pauses.get(engine);
    if (p === undefined || p.actions === 'none' || !(client instanceof Connection) || inExec(client)) return false;
    if (p.end <= Date.now()) {
      unpauseClients(engine);
      return false;
    }
    if (p.actions === 'write' && !mayReplicate(client, def)) return false;
    if (!p.done) p.done = new Promise<void>((resolve) => (p.release = resolve));
    client.postponed = p.done;
    return true;
  };
}

/** Commands a RESP2 client may run while subscribed. */
const PUBSUB_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** Gate: a RESP2 connection with subscriptions may only run the pub/sub commands. */
function pubsubContextGate(engine: Engine) {
  return (client: Client, def: CommandDef, _args: string[], w: import('../protocol/writer.js').ReplyWriter): boolean => {
    if (client.proto !== 2 || !(client instanceof Connection)) return false;
    if (client.channels.size + client.patterns.size + client.shardChannels.size === 0) return false;
    if (inExec(client)) return false; // EXEC runs its queue without these checks
    if (PUBSUB_CONTEXT.has(def.fullname)) return false;
    const msg = `ERR Can't execute '${def.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
    for (const l of engine.rejectListeners) l(client, _args, msg);
    engine.commandStats.rejected(def);
    engine.commandStats.errorReply(msg);
    w.error(msg);
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// MONITOR
// ---------------------------------------------------------------------------------------------

const monitorSets = new WeakMap<Engine, Set<Connection>>();

/** The MONITOR connections of an engine. */
export function monitorsOf(engine: Engine): Set<Connection> {
  let s = monitorSets.get(engine);
  if (!s) monitorSets.set(engine, (s = new Set()));
  return s;
}

/** Arguments as MONITOR shows them: AUTH and HELLO's AUTH secrets redacted, and the
 *  positions a module redacted (RedactClientCommandArgument). */
function monitorArgs(def: CommandDef, args: string[], moduleRedacted?: ReadonlySet<number>): string[] {
  if (moduleRedacted) return args.map((a, i) => (moduleRedacted.has(i) ? '(redacted)' : a));
  if (def.fullname === 'auth') return args.map((a, i) => (i === 0 ? a : '(redacted)'));
  if (def.fullname === 'hello') {
    const out = args.slice();
    for (let j = 2; j < out.length; j++) {
      if (out[j]!.toLowerCase() === 'auth' && out.length - 1 - j >= 2) {
        out[j + 1] = '(redacted)';
        out[j + 2] = '(redacted)';
        j += 2;
      } else if (out[j]!.toLowerCase() === 'setname') j++;
    }
    return out;
  }
  return args;
}

/** Valkey's MONITOR line: `<sec>.<usec> [<db> <addr>] "arg" ...`. */
export function monitorLine(client: Client, def: CommandDef, args: string[], nowMs: number,
  moduleRedacted?: ReadonlySet<number>): string {
  const sec = Math.floor(nowMs / 1000);
  const usec = Math.min(999999, Math.floor((nowMs - sec * 1000) * 1000));
  let who: string;
  if (client instanceof Connection) who = client.unix ? `unix:${client.host.unixsocket}` : client.addr;
  else who = '?:0';
  // Valkey feeds MONITOR after the command ran: show the database SELECT / RESET switch to
  let db = client.db;
  if (def.fullname === 'select') {
    const n = parseInteger(args[1] ?? '');
    if (n !== undefined && n >= 0 && n < client.engine.options.databases) db = n;
  } else if (def.fullname === 'reset') db = 0;
  let line = `${sec}.${String(usec).padStart(6, '0')} [${db} ${who}]`;
  const shown = monitorArgs(def, args, moduleRedacted);
  for (let i = 0; i < shown.length; i++) line += ' ' + reprBytes(shown[i]!);
  return line;
}

function commandObserver(engine: Engine) {
  const monitors = monitorsOf(engine);
  // Module commands wait until they ran (their redactions are known only then): per client,
  // the command lines still to show, innermost last.
  const pending = new WeakMap<Client, { def: CommandDef; args: string[] }[]>();
  onCommandFinished(engine, (client, args, moduleRedacted) => {
    const stack = pending.get(client);
    const top = stack?.[stack.length - 1];
    if (!stack || !top || top.args !== args) return;
    stack.pop();
    if (stack.length === 0) pending.delete(client);
    const line = monitorLine(client, top.def, args, performance.timeOrigin + performance.now(), moduleRedacted);
    for (const m of monitors) m.sendMonitorLine(line, m === client);
  });
  return (client: Client, def: CommandDef, args: string[]): void => {
    if (client instanceof Connection) client.lastCommand = def.fullname;
    if (monitors.size === 0) return;
    const f = def.flags;
    if (f.includes('admin') || f.includes('skip_monitor') || def.fullname === 'quit') return;
    if (def.meta) {
      let stack = pending.get(client);
      if (!stack) pending.set(client, (stack = []));
      stack.push({ def, args });
      return;
    }
    const line = monitorLine(client, def, args, performance.timeOrigin + performance.now());
    for (const m of monitors) m.sendMonitorLine(line, m === client);
  };
}

const attached = new WeakSet<Engine>();

/**
 * Installs what CLIENT and MONITOR need on an engine (once): the CLIENT PAUSE gate and the
 * RESP2 pub/sub context gate (both first, as Valkey checks them before queueing in MULTI),
 * and the observer that records each connection's last command and feeds MONITOR.
 */
export function attachClientCommands(engine: Engine): void {
  if (attached.has(engine)) return;
  attached.add(engine);
  engine.gates.unshift(pauseGate(engine), pubsubContextGate(engine));
  engine.commandObservers.push(commandObserver(engine));
  const monitors = monitorsOf(engine);
  onConnectionClose(engine, (c) => monitors.delete(c as Connection));
}

// ---------------------------------------------------------------------------------------------
// Reset hooks
// ---------------------------------------------------------------------------------------------

const resetHooks = new WeakMap<Engine, ((client: Client) => void)[]>();

/** Calls `fn` when a client runs RESET (MULTI/WATCH/ACL state to clear). */
export function onClientReset(engine: Engine, fn: (client: Client) => void): () => void {
  let l = resetHooks.get(engine);
  if (!l) resetHooks.set(engine, (l = []));
  l.push(fn);
  return () => {
    const i = l!.indexOf(fn);
    if (i >= 0) l!.splice(i, 1);
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** CLIENT LIST / SETINFO attribute rule: printable ASCII without spaces. */
function validAttr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** Valkey's getClientTypeByName. */
function typeByName(name: string): 'normal' | 'replica' | 'pubsub' | 'primary' | undefined {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
    case 'primary':
      return 'primary';
    default:
      return undefined;
  }
}

/** The type of a client for TYPE filters (no replicas or primaries here). */
function typeOf(c: Client): 'normal' | 'pubsub' {
  return clientState(c).monitor ? 'normal' : clientType(c);
}

const HELP_LINES = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'CAPA <option> [options...]',
  '    The client claims its some capability options. Options are:',
  '    * REDIRECT',
  '      The client can handle redirection during primary and replica failover in standalone mode.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id>',
  '      Kill connections by client id.',
  '    * MAXAGE <maxage>',
  '      Kill connections older than the specified age.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
];

/** The verbatim text reply of CLIENT LIST / CLIENT INFO. */
function textReply(ctx: CommandContext, text: string): void {
  ctx.w.verbatim('txt', text);
}

/** ON|OFF argument; replies a syntax error and returns undefined otherwise. */
function onOff(ctx: CommandContext): boolean | undefined {
  const v = ctx.args[2]!.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  ctx.w.error(Errors.syntax);
  return undefined;
}

/** Makes a client as new: Valkey's clearClientConnectionState (the name is cleared; the
 *  library name and version are kept). */
function resetClient(engine: Engine, client: Client): void {
  const st = clientState(client);
  if (st.monitor) {
    st.monitor = false;
    if (client instanceof Connection) monitorsOf(engine).delete(client);
  }
  client.db = 0;
  client.setProtocol(2);
  engine.pubsub.dropAll(client);
  client.name = '';
  st.replyOff = false;
  st.replySkipNext = false;
  st.noTouch = false;
  st.noEvict = false;
  const hooks = resetHooks.get(engine);
  if (hooks) for (const h of hooks.slice()) h(client);
}

// ---------------------------------------------------------------------------------------------
// CLIENT KILL
// ---------------------------------------------------------------------------------------------

function clientKill(ctx: CommandContext): void {
  const { engine, client, args, w } = ctx;
  let addr: string | undefined;
  let laddr: string | undefined;
  let user: string | undefined;
  let type: ReturnType<typeof typeByName>;
  let id = 0;
  let maxAge = 0;
  let skipme = true;
  if (args.length === 3) {
    addr = args[2]!;
    skipme = false;
  } else if (args.length > 3) {
    for (let i = 2; i < args.length; i += 2) {
      const opt = args[i]!.toLowerCase();
      const more = i + 1 < args.length;
      const val = args[i + 1]!;
      if (opt === 'id' && more) {
        const n = parseInteger(val);
        if (n === undefined || n < 1) return w.error('ERR client-id should be greater than 0');
        id = n;
      } else if (opt === 'maxage' && more) {
        const n = parseInteger(val);
        if (n === undefined) return w.error('ERR maxage is not an integer or out of range');
        if (n <= 0) return w.error('ERR maxage should be greater than 0');
        maxAge = n;
      } else if (opt === 'type' && more) {
        type = typeByName(val);
        if (type === undefined) return w.error(`ERR Unknown client type '${val}'`);
      } else if (opt === 'addr' && more) {
        addr = val;
      } else if (opt === 'laddr' && more) {
        laddr = val;
      } else if (opt === 'user' && more) {
        if (!userExists(engine, val)) return w.error(`ERR No such user '${val}'`);
        user = val;
      } else if (opt === 'skipme' && more) {
        const v = val.toLowerCase();
        if (v === 'yes') skipme = true;
        else if (v === 'no') skipme = false;
        else return w.error(Errors.syntax);
      } else {
        return w.error(Errors.syntax);
      }
    }
  } else {
    return w.error(Errors.syntax);
  }

  const now = Date.now();
  let killed = 0;
  let self = false;
  for (const c of [...connectionsOf(engine)]) {
    if (c.closing) continue;
    if (addr !== undefined && c.addr !== addr) continue;
    if (laddr !== undefined && c.laddr !== laddr) continue;
    if (type !== undefined && typeOf(c) !== type) continue;
    if (id !== 0 && c.id !== id) continue;
    if (user !== undefined && userNameOf(engine, c) !== user) continue;
    if (c === client && skipme) continue;
    if (maxAge !== 0 && Math.floor((now - c.ctime) / 1000) < maxAge) continue;
    if (c === client) self = true;
    else c.kill();
    killed++;
  }
  if (args.length === 3) {
    if (killed === 0) w.error('ERR No such client');
    else w.simple('OK');
  } else {
    w.integer(killed);
  }
  if (self && client instanceof Connection) client.closeAfterReply = true;
}

// ---------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------

export const clientCommands: CommandDef[] = [
  group('client', [
    cmd('client|id', ({ client, w }) => w.integer(client.id)),

    cmd('client|setname', ({ client, args, w }) => {
      const name = args[2]!;
      if (!validAttr(name)) return w.error('ERR Client names cannot contain spaces, newlines or special characters.');
      client.name = name;
      w.simple('OK');
    }),

    cmd('client|getname', ({ client, w }) => {
      if (client.name === '') w.null();
      else w.bulk(client.name);
    }),

    cmd('client|info', (ctx) => {
      textReply(ctx, clientInfoString(ctx.engine, ctx.client, 'client|info') + '\n');
    }),

    cmd('client|list', (ctx) => {
      const { engine, args, w } = ctx;
      let text = '';
      if (args.length === 4 && args[2]!.toLowerCase() === 'type') {
        const type = typeByName(args[3]!);
        if (type === undefined) return w.error(`ERR Unknown client type '${args[3]}'`);
        for (const c of connectionsOf(engine)) if (!c.closing && typeOf(c) === type) text += clientInfoString(engine, c) + '\n';
      } else if (args.length > 3 && args[2]!.toLowerCase() === 'id') {
        const byId = new Map<number, Connection>();
        for (const c of connectionsOf(engine)) if (!c.closing) byId.set(c.id, c);
        for (let j = 3; j < args.length; j++) {
          const n = parseInteger(args[j]!);
          if (n === undefined) return w.error('ERR Invalid client ID');
          const c = byId.get(n);
          if (c) text += clientInfoString(engine, c) + '\n';
        }
      } else if (args.length !== 2) {
        return w.error(Errors.syntax);
      } else {
        for (const c of connectionsOf(engine)) if (!c.closing) text += clientInfoString(engine, c) + '\n';
      }
      textReply(ctx, text);
    }),

    cmd('client|kill', clientKill),

    cmd('client|pause', ({ engine, args, w }) => {
      let all = true;
      if (args.length === 4) {
        const m = args[3]!.toLowerCase();
        if (m === 'write') all = false;
        else if (m !== 'all') return w.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
      } else if (args.length > 4) {
        return w.error(`ERR unknown subcommand or wrong number of arguments for '${args[1]}'. Try ${args[0]!.toUpperCase()} HELP.`);
      }
      const t = parseInteger(args[2]!);
      if (t === undefined) return w.error('ERR timeout is not an integer or out of range');
      if (t < 0) return w.error('ERR timeout is negative');
      const now = Date.now();
      if (t > 0 && t > Number.MAX_SAFE_INTEGER - now) return w.error('ERR timeout is out of range');
      attachClientCommands(engine);
      if (t > 0) pauseClients(engine, now + t, all);
      w.simple('OK');
    }),

    cmd('client|unpause', ({ engine, w }) => {
      unpauseClients(engine);
      w.simple('OK');
    }),

    // CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when the client was blocked (and now replied the
    // timeout or the UNBLOCKED error), 0 otherwise (also for a client paused, not blocked).
    cmd('client|unblock', ({ engine, args, w }) => {
      let error = false;
      if (args.length === 4) {
        const r = args[3]!.toLowerCase();
        if (r === 'error') error = true;
        else if (r !== 'timeout') return w.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      } else if (args.length !== 3) {
        return w.error(`ERR unknown subcommand or wrong number of arguments for '${args[1]}'. Try ${args[0]!.toUpperCase()} HELP.`);
      }
      const id = parseInteger(args[2]!);
      if (id === undefined) return w.error(Errors.notInteger);
      const target = engine.clientById(id);
      w.integer(target !== undefined && engine.blocking.unblockClient(target, error) ? 1 : 0);
    }),

    cmd('client|reply', ({ client, args, w }) => {
      const st = clientState(client);
      const v = args[2]!.toLowerCase();
      if (v === 'on') {
        st.replySkip = false;
        st.replyOff = false;
        w.simple('OK');
      } else if (v === 'off') {
        st.replyOff = true;
      } else if (v === 'skip') {
        if (!st.replyOff) st.replySkipNext = true;
      } else {
        w.error(Errors.syntax);
      }
    }),

    cmd('client|no-evict', (ctx) => {
      const v = onOff(ctx);
      if (v === undefined) return;
      clientState(ctx.client).noEvict = v;
      ctx.w.simple('OK');
    }),

    cmd('client|no-touch', (ctx) => {
      const v = onOff(ctx);
      if (v === undefined) return;
      clientState(ctx.client).noTouch = v;
      ctx.client.noTouch = v;
      ctx.w.simple('OK');
    }),

    cmd('client|setinfo', ({ client, args, w }) => {
      const attr = args[2]!;
      const val = args[3]!;
      const a = attr.toLowerCase();
      if (a !== 'lib-name' && a !== 'lib-ver') return w.error(`ERR Unrecognized option '${attr}'`);
      if (!validAttr(val)) return w.error(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
      const st = clientState(client);
      if (a === 'lib-name') st.libName = val;
      else st.libVer = val;
      w.simple('OK');
    }),

    cmd('client|capa', ({ client, args, w }) => {
      for (let i = 2; i < args.length; i++) if (args[i]!.toLowerCase() === 'redirect') clientState(client).capaRedirect = true;
      w.simple('OK');
    }),

    cmd('client|getredir', ({ w }) => w.integer(-1)),

    cmd('client|help', ({ args, w }) => {
      w.array(HELP_LINES.length + 3);
      w.simple(`${args[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
      for (const l of HELP_LINES) w.simple(l);
      w.simple('HELP');
      w.simple('    Print this help.');
    }),
  ]),

  cmd('quit', ({ client, w }) => {
    w.simple('OK');
    if (client instanceof Connection) client.closeAfterReply = true;
  }),

  cmd('reset', ({ engine, client, w }) => {
    resetClient(engine, client);
    w.simple('RESET');
  }),

  cmd('monitor', ({ engine, client, w }) => {
    if (client.ctxFlags & (1 << 21) /* DENY_BLOCKING: inside MULTI */) {
      return w.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    }
    if (!(client instanceof Connection)) return w.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    if (client.monitor) return; // already monitoring: no reply
    attachClientCommands(engine);
    client.monitor = true;
    monitorsOf(engine).add(client);
    w.simple('OK');
  }),
];
