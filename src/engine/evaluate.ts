import { isRuleRemoved } from './actions/ctl'
import type { PhaseNumber } from '../bundle/schema'
import type { LinkedRule } from './program'
import { evalRule, RuleResult } from './rule-eval'
import type { TxState } from './tx-state'

/**
 * The rule loop of one phase (v2 msre_ruleset_process_phase), over the compiler's per-phase
 * list: markers never match; a chain starter removed by ctl:ruleRemoveById/ByTag/ByMsg is
 * skipped with its links; with ctl:ruleEngine=Off no further rule runs; a chain matches when
 * every link matches in turn; on a match the rule's resolved skip/skipAfter (jumpTo) moves the
 * cursor; an interruption or allow ends the phase. MATCHED_VARS is emptied before each chain.
 *
 * Synchronous unless an initcol had to wait for the store: then the loop stops after that rule
 * and returns a Promise that resumes it once the load settled (the only async seam).
 */
export function runPhase(tx: TxState, phase: PhaseNumber, from = 0): void | Promise<void> {
  const rules = tx.program.phases[phase - 1]
  if (rules === undefined) return
  const n = rules.length
  let i = from
  while (i < n) {
    const r = rules[i] as LinkedRule
    if (r.marker !== undefined || tx.ruleEngine === 'Off') {
      i++
      continue
    }
    if (
      (tx.removedIds.length > 0 || tx.removedTags.length > 0 || tx.removedMsgs.length > 0) &&
      isRuleRemoved(tx, r)
    ) {
      i++
      continue
    }
    const mv = tx.matchedVars
    if (mv.length !== 0) mv.length = 0
    const res = evalChain(tx, r)
    if (mv.length !== 0) mv.length = 0
    const next = res === RuleResult.Match && r.jumpTo !== undefined && r.jumpTo > i ? r.jumpTo : i + 1
    if (tx.pendingLoads.length > 0) {
      const loads = tx.pendingLoads.splice(0)
      const stop = res === RuleResult.Intercepted
      return Promise.all(loads).then(() => (stop ? undefined : runPhase(tx, phase, next)))
    }
    if (res === RuleResult.Intercepted) return
    i = next
  }
}

function evalChain(tx: TxState, starter: LinkedRule): RuleResult {
  let r = starter
  for (;;) {
    const res = evalRule(tx, r)
    if (res !== RuleResult.Match) return res
    const next = r.next
    if (next === undefined) return RuleResult.Match
    if (tx.ruleEngine === 'Off') return RuleResult.NoMatch
    r = next
  }
}
