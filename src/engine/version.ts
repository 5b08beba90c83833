/** What this server says it is: Valkey 8.1.0 (GetServerVersion answers 0x00080100). */
export const SERVER_NAME = 'valkey';
export const SERVER_VERSION = '8.1.0';
/** INFO's redis_version field (Valkey keeps reporting Redis 7.2.4 compatibility). */
export const REDIS_COMPAT_VERSION = '7.2.4';
