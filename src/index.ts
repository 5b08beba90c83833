/** valkey-module-host: run compiled Valkey modules in a TypeScript Valkey engine. */
export { Engine, ModuleError, apiCoverage, type EngineOptions, type ApiCoverage } from './engine/engine.js';
export { Client, type Arg, type ClientOptions } from './server/client.js';
export { compileModule, includeDir, type CompileOptions } from './compile.js';
export type { ModuleInfo } from './modules/registry.js';
export type { NativeCommand } from './modules/native.js';
export * from './protocol/reply.js';
export { encodeReply, RespWriter } from './protocol/resp-writer.js';
export { ValueWriter } from './protocol/value-writer.js';
export type { ReplyWriter } from './protocol/writer.js';
export { formatReply } from './protocol/format.js';
export { serializeRdb, loadRdbBuffer } from './persistence/rdb-file.js';
