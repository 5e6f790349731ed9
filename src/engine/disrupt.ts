import type { Template } from '../bundle/schema'
import type { MatchRecord } from './alert'
import type { BinaryString } from './bytes'
import { logEscapeNq } from './log-escape'
import { expand } from './macro'
import type { DisruptiveKind, LinkedRule } from './program'
import type { Interruption } from './request'
import type { TxState } from './tx-state'

/**
 * What happens when the last link of a rule (chain) matches a target (v2
 * msre_perform_disruptive_actions + mod_security2 perform_interception). The acting rule is the
 * chain starter (its disruptive action, status, metadata, file and line).
 * - pass, phase 5, SecRuleEngine DetectionOnly: a "Warning." alert, processing continues;
 * - otherwise the action is carried out: deny / drop / redirect / proxy set the interruption,
 *   allow / allow:phase / allow:request set the allow scope; all of them stop the phase and
 *   produce one alert whose prefix says what was done ("Access denied with code 403 (phase 2).").
 * Returns true when the phase must stop.
 */
export function disrupt(tx: TxState, r: LinkedRule, message: string): boolean {
  const head = r.head
  const kind = head.disruptive.kind
  if (head.auditlog) tx.auditRelevant++
  const enforce = kind !== 'pass' && kind !== 'pause' && tx.phase !== 5 && tx.ruleEngine === 'On'
  if (!enforce) {
    record(tx, r, 'Warning.', message, kind, false, undefined, undefined)
    return false
  }
  const ph = ' (phase ' + tx.phase + ')'
  let prefix: string
  let itp: Interruption | undefined
  switch (kind) {
    case 'deny': {
      const status = head.status > 0 ? head.status : 403
      prefix = 'Access denied with code ' + status + ph + '.'
      itp = { status, kind: 'deny', ruleId: head.id, phase: tx.phase }
      break
    }
    case 'drop':
      prefix = 'Access denied with connection close' + ph + '.'
      itp = { status: 403, kind: 'drop', ruleId: head.id, phase: tx.phase }
      break
    case 'redirect': {
      const location = expand(tx, head.disruptive.target ?? '', r)
      const s = head.status
      const status = s === 301 || s === 302 || s === 303 || s === 307 ? s : 302
      prefix =
        'Access denied with redirection to ' + logEscapeNq(location) + ' using status ' + status + ph + '.'
      itp = { status, kind: 'redirect', ruleId: head.id, phase: tx.phase, location }
      break
    }
    case 'proxy': {
      const location = expand(tx, head.disruptive.target ?? '', r)
      prefix = 'Access denied using proxy to' + ph + ' ' + logEscapeNq(location) + '.'
      itp = { status: 0, kind: 'proxy', ruleId: head.id, phase: tx.phase, location }
      break
    }
    case 'allow':
      tx.allowScope = 'all'
      prefix = 'Access allowed' + ph + '.'
      break
    case 'allowPhase':
      tx.allowScope = 'phase'
      prefix = 'Access to phase allowed' + ph + '.'
      break
    default:
      tx.allowScope = 'request'
      prefix = 'Access to request allowed' + ph + '.'
      break
  }
  if (itp !== undefined) tx.interruption = itp
  record(tx, r, prefix, message, kind, true, itp?.status, itp?.location)
  return true
}

function record(
  tx: TxState,
  r: LinkedRule,
  prefix: string,
  message: string,
  kind: DisruptiveKind,
  disruptive: boolean,
  status: number | undefined,
  location: BinaryString | undefined,
): void {
  const head = r.head
  const src = head.rule
  const mv = tx.matchedVar
  const rec: MatchRecord = {
    id: head.id,
    phase: tx.phase,
    file: head.file,
    line: head.line,
    tags: head.tagsStatic ? head.tagsRaw : expandTags(tx, src.tags),
    matchedVarName: mv === undefined ? '' : mv.name,
    matchedVar: mv === undefined ? '' : mv.value,
    opMessage: message,
    prefix,
    action: kind,
    disruptive,
    log: head.log,
    auditlog: head.auditlog,
    hostname: tx.serverName(),
    uri: tx.path(),
    uniqueId: tx.uniqueId,
  }
  if (status !== undefined) rec.status = status
  if (location !== undefined) rec.location = location
  if (src.rev !== undefined) rec.rev = src.rev
  if (src.ver !== undefined) rec.ver = src.ver
  if (src.msg !== undefined) rec.msg = expand(tx, src.msg, null)
  if (src.logdata !== undefined) rec.data = expand(tx, src.logdata, null)
  if (head.severity >= 0) rec.severity = head.severity
  if (src.accuracy !== undefined) rec.accuracy = src.accuracy
  if (src.maturity !== undefined) rec.maturity = src.maturity
  tx.records.push(rec)
}

function expandTags(tx: TxState, tags: readonly Template[] | undefined): BinaryString[] {
  const out: BinaryString[] = []
  if (tags !== undefined)
    for (let i = 0; i < tags.length; i++) out.push(expand(tx, tags[i] as Template, null))
  return out
}
