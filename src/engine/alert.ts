import type { BinaryString } from './bytes'
import { logEscape, logEscapeHex } from './log-escape'
import type { DisruptiveKind } from './program'

/**
 * One alert: what ModSecurity 2.9 writes to the error log (and the audit log's H part) when a
 * rule (chain) matches a target. Everything the alert line and the audit log need is here;
 * strings are binary strings as the engine saw them (escaping happens when formatting).
 */
export interface MatchRecord {
  /** rule id (the chain starter's) */
  id: number
  phase: number
  file: string
  line: number
  rev?: string
  ver?: string
  /**
   * msg, macro-expanded at the match. A match that can never be written (the rule is nolog and
   * noauditlog and its action was not carried out) has no msg, data or tags: nothing v2 outputs
   * shows them, and most CRS matches are such silent pass rules (disrupt.ts).
   */
  msg?: BinaryString
  /** logdata, macro-expanded (see msg) */
  data?: BinaryString
  severity?: number
  accuracy?: number
  maturity?: number
  /** tags, macro-expanded (see msg; shared between records when the rule's tags have no macros: do not mutate) */
  tags: readonly BinaryString[]
  matchedVarName: string
  matchedVar: BinaryString
  /** the operator's match description: `Pattern match "a" at ARGS:x.` */
  opMessage: string
  /** v2's engine message: "Warning." or "Access denied with code 403 (phase 2)." ... */
  prefix: string
  /** the rule's disruptive action (after `block` resolution) */
  action: DisruptiveKind
  /** true when the action was carried out (interruption or allow); false for warnings and DetectionOnly */
  disruptive: boolean
  status?: number
  location?: string
  /** written to the error log (log action) */
  log: boolean
  /** written to the audit log's H part (auditlog action) */
  auditlog: boolean
  hostname: string
  /** the request path as Apache reports it (REQUEST_FILENAME) */
  uri: BinaryString
  uniqueId: string
}

export const SEVERITY_NAMES = [
  'EMERGENCY',
  'ALERT',
  'CRITICAL',
  'ERROR',
  'WARNING',
  'NOTICE',
  'INFO',
  'DEBUG',
]

/** v2 truncates [data "..."] to 512 bytes of escaped data (re.c msre_format_metadata) */
function dataField(data: BinaryString): string {
  const f = ' [data "' + logEscapeHex(data) + '"]'
  return f.length > 521 ? f.slice(0, 517) + '..."]' : f
}

/** The rule metadata part, in v2 order: file line id rev msg data severity ver maturity accuracy tag... */
export function formatMetadata(r: MatchRecord): string {
  let s = ' [file "' + r.file + '"] [line "' + r.line + '"] [id "' + logEscape(String(r.id)) + '"]'
  if (r.rev !== undefined) s += ' [rev "' + logEscape(r.rev) + '"]'
  if (r.msg !== undefined) s += ' [msg "' + logEscape(r.msg) + '"]'
  if (r.data !== undefined) s += dataField(r.data)
  if (r.severity !== undefined && r.severity >= 0 && r.severity <= 7)
    s += ' [severity "' + SEVERITY_NAMES[r.severity] + '"]'
  if (r.ver !== undefined) s += ' [ver "' + logEscape(r.ver) + '"]'
  if (r.maturity !== undefined && r.maturity >= 0) s += ' [maturity "' + r.maturity + '"]'
  if (r.accuracy !== undefined && r.accuracy >= 0) s += ' [accuracy "' + r.accuracy + '"]'
  for (let i = 0; i < r.tags.length; i++) s += ' [tag "' + logEscape(r.tags[i] as string) + '"]'
  return s
}

/**
 * The alert message as ModSecurity builds it (msc_alert_message), limited to 1023 bytes as
 * mod_security2's logger formats it into a 1024-byte buffer (recorded on 2.9.7). This is also
 * the text of an audit log "Message:" line.
 */
export function formatAlertMessage(r: MatchRecord): string {
  const s = r.prefix + ' ' + r.opMessage + formatMetadata(r)
  return s.length > 1023 ? s.slice(0, 1023) : s
}

/**
 * The error-log line ModSecurity 2.9 writes through Apache, without Apache's own prefix
 * ("[date] [security2:error] [pid] [client ip:port]") and without Apache's second escaping of
 * backslashes: `ModSecurity: <message> [hostname "..."] [uri "..."] [unique_id "..."]`.
 */
export function formatAlertLine(r: MatchRecord): string {
  return (
    'ModSecurity: ' +
    formatAlertMessage(r) +
    ' [hostname "' +
    logEscape(r.hostname) +
    '"] [uri "' +
    logEscape(r.uri) +
    '"] [unique_id "' +
    logEscape(r.uniqueId) +
    '"]'
  )
}
