/** Every core command family, registered into the engine's command table at startup. */
import type { CommandDef } from './table.js';
import { connectionCommands } from './connection.js';
import { moduleCommands } from './module.js';
import { stringCommands } from './strings.js';
import { bitmapCommands } from './bitmap.js';
import { listCommands } from './lists.js';
import { hashCommands } from './hashes.js';
import { setCommands } from './sets.js';
import { zsetCommands } from './zsets.js';
import { streamCommands } from './streams.js';
import { hllCommands } from './hyperloglog.js';
import { genericCommands } from './generic.js';
import { serverCommands } from './server.js';
import { pubsubCommands } from './pubsub.js';
import { dumpCommands } from './dump.js';
import { transactionCommands } from './transactions.js';
import { shutdownCommands } from './shutdown.js';
import { aclCommands } from './acl.js';
import { clientCommands } from './clients.js';
import { aofCommands } from './aof.js';
import { persistenceCommands } from './persistence.js';

export function coreCommands(): CommandDef[] {
  return [
    ...connectionCommands,
    ...moduleCommands,
    ...stringCommands,
    ...bitmapCommands,
    ...listCommands,
    ...hashCommands,
    ...setCommands,
    ...zsetCommands,
    ...streamCommands,
    ...hllCommands,
    ...genericCommands,
    ...serverCommands,
    ...pubsubCommands,
    ...dumpCommands,
    ...transactionCommands,
    ...shutdownCommands,
    ...aclCommands,
    ...clientCommands,
    ...aofCommands,
    ...persistenceCommands,
  ];
}
