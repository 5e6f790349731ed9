import { formatAlertMessage, formatMetadata, type MatchRecord } from '../alert'
import type { TxState } from '../tx-state'

/**
 * Part H "Message:" lines, as ModSecurity 2.9 collects them (msr->alerts), recorded on 2.9.7:
 * - every alert that goes to the error log (`log`) is there with its full text, also when the
 *   rule says noauditlog (noauditlog only keeps the match from making the transaction relevant);
 * - a `nolog,auditlog` match is there without going to the error log, in a shorter form: the
 *   operator message and the metadata when the rule did not interrupt ("String match "1" at
 *   ARGS:x. [file ...] ..."), the action and the metadata when it did ("Access denied with code
 *   403 (phase 2). [file ...] ...");
 * - engine messages (body limits, failed rules) are there too, without metadata ("Request body
 *   (Content-Length) is larger than the configured limit (20)."). We put them first: the engine
 *   does not record their position among the alerts.
 * The console alert lines (src/worker/alert-log.ts) are the `log` alerts and the engine
 * messages: each is the same text with the error log's [hostname] [uri] [unique_id] added.
 */
export function auditMessages(s: TxState): string[] {
  const out: string[] = []
  for (let i = 0; i < s.engineMessages.length; i++) out.push(s.engineMessages[i] as string)
  const records = s.records
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as MatchRecord
    const m = auditMessage(r)
    if (m !== undefined) out.push(m)
  }
  return out
}

function intercepts(r: MatchRecord): boolean {
  return (
    r.disruptive &&
    (r.action === 'deny' || r.action === 'drop' || r.action === 'redirect' || r.action === 'proxy')
  )
}

/** The H text of one alert, or undefined when v2 leaves it out of the audit log. */
export function auditMessage(r: MatchRecord): string | undefined {
  if (r.log) return formatAlertMessage(r)
  if (!r.auditlog) return undefined
  const s = intercepts(r) ? r.prefix + formatMetadata(r) : r.opMessage + formatMetadata(r)
  return s.length > 1023 ? s.slice(0, 1023) : s
}
