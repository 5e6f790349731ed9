/**
 * The engine's public surface. Runtime-agnostic: Node (tests) and Cloudflare Workers.
 *
 *   const program = loadProgram(bundle)                  // once per isolate
 *   warmProgram(program, options?)                       // optional, at isolate start: compile regexes now
 *   const tx = new Transaction(program, request)         // per request (EngineRequest);
 *                                                        //   options: { ruleEngine, store, ... }
 *   await tx.processRequestHeaders()                     // Interruption | undefined (a Promise only
 *   await tx.processRequestBody(body)                    //   while an initcol waits for the store
 *                                                        //   or an @rbl rule for DNS answers)
 *   await tx.processResponseHeaders(status, 'HTTP/1.1', headers)
 *   if (!inspectsResponseBody(tx, contentType)) body = undefined  // stream it through unread
 *   await tx.processResponseBody(body)
 *   await tx.processLogging()                            // phase 5 always runs
 *   ctx.waitUntil(tx.persist())                          // changed persistent collections
 *   for (const r of tx.records) if (r.log) console.log(formatAlertLine(r))
 *
 * Semantics: ModSecurity 2.9 (recorded from 2.9.7 where subtle: test/vectors/actions,
 * test/vectors/variables). Deliberate differences, each documented where it is implemented:
 * - URIs Apache refuses before ModSecurity runs (400/404: '#', %2F, %00, ".." above the root)
 *   still get values (variables/uri.ts); TIME* are UTC; FULL_REQUEST is request line, headers
 *   and body joined by LF (2.9.7's own value is garbled);
 * - GEO is filled by @geoLookup from the request's edge geolocation, not a GeoIP database;
 * - @rbl resolves through a DnsResolver given to loadProgram/Transaction (DNS-over-HTTPS in the
 *   Worker); a failed lookup or no resolver sets TX:RBL_LOOKUP_FAILED (operators/rbl.ts);
 * - `proxy` returns an interruption of kind 'proxy' for the Worker to forward; exec, append,
 *   prepend and pause are refused (actions/index.ts ACTIONS_NOT_IMPLEMENTED);
 * - persistent collections live in a PersistentStore (KV in the Worker) instead of SDBM files,
 *   saved by read-modify-write: counters changed with =+/=- merged as deltas as v2 does, and
 *   variables other transactions wrote meanwhile kept (v2 overwrites them); a failed load gives
 *   an empty collection and TX:COLLECTION_LOAD_FAILED (actions/persistence.ts); a KV store is
 *   eventually consistent across locations.
 */
export { loadProgram, BundleError, type LoadOptions } from './link'
export { warmProgram, configuredParanoiaLevel, type WarmOptions, type WarmReport } from './warm'
export { Transaction, newUniqueId, type TransactionOptions, type PhaseResult } from './transaction'
export type { EngineRequest, EngineResponseHeaders, Interruption } from './request'
export type { Program, EngineProfiler } from './program'
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
export {
  MemoryStore,
  type PersistentStore,
  type StoredRecord,
  type RecordUpdate,
  type MaybePromise,
} from './collections/store'
export { COLLECTION_LOAD_FAILED } from './actions/persistence'
export { MAX_LOOKUPS_PER_TRANSACTION, type DnsResolver, type DnsLookups } from './dns'
export { OPERATORS, RBL_LOOKUP_FAILED } from './operators'
export { TRANSFORMATIONS } from './transformations'
export { bytesToBinary, binaryToBytes, utf8ToBinary, type BinaryString } from './bytes'
// what the Worker needs besides the transaction: v2's log escaping for its log lines, the ASCII
// case fold, the edge geolocation as a GEO record, the response-body decision (bodies.ts)
export { logEscape, logEscapeNq, logEscapeHex, asciiLower } from './log-escape'
export { geoRecordFromEdge, type EdgeGeo } from './operators/geo-lookup'
export type { GeoRecord } from './operators/types'
export { inspectsResponseBody, responseMimeListed } from './bodies'
