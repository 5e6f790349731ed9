/**
 * The audit log (SecAuditEngine, SecAuditLogParts, SecAuditLogFormat), runtime-agnostic: the
 * record of a finished transaction and its two serialisations. The Worker stores the result
 * (src/worker/r2-audit.ts); nothing here does I/O.
 *
 *   const d = auditDecision(tx, response.status)          // after tx.processLogging()
 *   if (d.write) {
 *     const record = buildAuditRecord(tx, response, options)
 *     const text = tx.program.config.auditLogFormat === 'JSON' ? formatJson(record) : formatNative(record)
 *   }
 */
export { auditDecision, isRelevantStatus, keepUploads, type AuditDecision } from './decide'
export { buildAuditRecord, canonicalParts, boundaryOf } from './build'
export { formatNative, auditTimestamp, trailerLines } from './native'
export { formatJson, jsonRecord } from './json'
export {
  parseNativeRecords,
  section,
  parsePartA,
  parsePartB,
  parsePartF,
  parsePartH,
  parsePartJ,
  parsePartK,
  type NativeRecord,
  type NativeSection,
} from './native-parse'
export {
  auditKey,
  auditFileKey,
  hourPrefix,
  keyForId,
  timedUniqueId,
  uniqueIdTime,
  UNIQUE_ID_LENGTH,
} from './keys'
export { utf8Decode } from './utf8'
export {
  DEFAULT_BODY_LIMIT,
  DEFAULT_MASKED_HEADERS,
  type AuditFile,
  type AuditOptions,
  type AuditRecord,
  type FinalResponse,
  type MatchedRule,
  type RuleText,
} from './types'
