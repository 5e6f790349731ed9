/**
 * The engine's public surface. Runtime-agnostic: Node (tests) and Cloudflare Workers.
 *
 *   const program = loadProgram(bundle)               // once per isolate
 *   const tx = new Transaction(program, request)       // per request
 *   tx.processRequestHeaders(); tx.processRequestBody()
 *   tx.processResponseHeaders(status, 'HTTP/1.1', headers); tx.processResponseBody(body)
 *   tx.processLogging(); ctx.waitUntil(tx.persist())
 *   for (const r of tx.records) if (r.log) console.log(formatAlertLine(r))
 */
export { loadProgram, BundleError, type LoadOptions } from './link'
export { Transaction, newUniqueId, type TransactionOptions, type PhaseResult } from './transaction'
export type { EngineRequest, EngineResponseHeaders, Interruption } from './request'
export type { Program } from './program'
export {
  formatAlertLine,
  formatAlertMessage,
  formatMetadata,
  SEVERITY_NAMES,
  type MatchRecord,
} from './alert'
export { VARIABLES, VARIABLES_NOT_AVAILABLE, type VariableInfo, type VariableKind } from './variables/table'
export {
  ACTIONS,
  ACTIONS_NOT_IMPLEMENTED,
  CTL_OPTIONS,
  type ActionDef,
  type ActionGroup,
} from './actions/index'
export { MemoryStore, type PersistentStore, type StoredRecord, type MaybePromise } from './collections/store'
export { OPERATORS } from './operators'
export { TRANSFORMATIONS } from './transformations'
export { bytesToBinary, binaryToBytes, utf8ToBinary, type BinaryString } from './bytes'
