import type { EngineConfig } from '../../bundle/schema'
import { CompiledRegex, MATCH } from '../regex/compiled-regex'
import type { Transaction } from '../transaction'

/**
 * Whether a transaction is written to the audit log (ModSecurity 2.9
 * modsecurity_process_phase_logging), decided after phase 5:
 * - SecAuditEngine (after ctl:auditEngine) Off: never; On: always;
 * - RelevantOnly: when the transaction is relevant, i.e. a rule whose match counts for the
 *   audit log matched (auditlog, which `log` implies unless noauditlog / nolog say otherwise:
 *   recorded on 2.9.7, a `log,noauditlog` match alone writes nothing, `nolog,auditlog` does),
 *   or a response status matches SecAuditLogRelevantStatus. v2 tests the final status and,
 *   when it differs, the status before an internal redirect; we test the status the client got
 *   and the origin's status when it differs (e.g. a phase 4 block of a 200).
 * The relevance also decides SecUploadKeepFiles RelevantOnly.
 */
export interface AuditDecision {
  write: boolean
  relevant: boolean
}

const statusRegexes = new WeakMap<EngineConfig, CompiledRegex | null>()

function statusRegex(config: EngineConfig): CompiledRegex | null {
  let rx = statusRegexes.get(config)
  if (rx === undefined) {
    rx = config.auditLogRelevantStatus === undefined ? null : new CompiledRegex(config.auditLogRelevantStatus)
    statusRegexes.set(config, rx)
  }
  return rx
}

/** SecAuditLogRelevantStatus against a status (v2 formats it with "%d"). */
export function isRelevantStatus(config: EngineConfig, status: number): boolean {
  const rx = statusRegex(config)
  return rx !== null && rx.test(String(status)) === MATCH
}

export function auditDecision(tx: Transaction, finalStatus: number): AuditDecision {
  const a = tx.audit
  const config = tx.state.program.config
  let relevant = a.relevant || isRelevantStatus(config, finalStatus)
  const origin = tx.state.responseStatus
  if (!relevant && origin !== undefined && origin !== finalStatus) relevant = isRelevantStatus(config, origin)
  const write = a.engine === 'On' || (a.engine === 'RelevantOnly' && relevant)
  return { write, relevant }
}

/** SecUploadKeepFiles: On keeps every upload, RelevantOnly those of relevant transactions. */
export function keepUploads(tx: Transaction, relevant: boolean): boolean {
  const k = tx.state.program.config.uploadKeepFiles
  return k === 'On' || (k === 'RelevantOnly' && relevant)
}
