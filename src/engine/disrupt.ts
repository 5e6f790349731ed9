import type { Template } from '../bundle/schema'
import { AlertRecord, type WrittenParts } from './alert-record'
import type { BinaryString } from './bytes'
import { logEscapeNq } from './log-escape'
import { expand } from './macro'
import type { LinkedRule } from './program'
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
    record(tx, r, 'Warning.', message, false, undefined, undefined)
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
  record(tx, r, prefix, message, true, itp?.status, itp?.location)
  return true
}

function record(
  tx: TxState,
  r: LinkedRule,
  prefix: string,
  message: string,
  disruptive: boolean,
  status: number | undefined,
  location: BinaryString | undefined,
): void {
  const head = r.head
  // A match that nothing can ever write (nolog and noauditlog, not carried out) keeps no
  // msg/logdata/tags: v2 formats them only to write them (error log, part H), and the flags
  // are the rule's, so no later ctl can make this match written. RULE.msg and
  // ctl:ruleRemoveByMsg/Tag read the rule's raw text, not the record.
  let written: WrittenParts | undefined
  if (disruptive || head.log || head.auditlog) {
    const src = head.rule
    written = {
      prefix,
      disruptive,
      status,
      location,
      msg: src.msg === undefined ? undefined : expand(tx, src.msg, null),
      data: src.logdata === undefined ? undefined : expand(tx, src.logdata, null),
      tags: head.tagsStatic ? head.tagsRaw : expandTags(tx, src.tags),
    }
  }
  tx.records.push(new AlertRecord(tx, head, tx.matchedVar, message, written))
}

function expandTags(tx: TxState, tags: readonly Template[] | undefined): BinaryString[] {
  const out: BinaryString[] = []
  if (tags !== undefined)
    for (let i = 0; i < tags.length; i++) out.push(expand(tx, tags[i] as Template, null))
  return out
}
