import { isRuleRemoved } from './actions/ctl'
import { clearArray } from './array-clear'
import { budgetExceeded, WORK_UNITS } from './budget'
import type { PhaseNumber } from '../bundle/schema'
import type { EngineProfiler, LinkedRule } from './program'
import { evalRule, RuleResult } from './rule-eval'
import type { TxState } from './tx-state'

/**
 * The rule loop of one phase (v2 msre_ruleset_process_phase), over the compiler's per-phase
 * list: markers never match; a chain starter removed by ctl:ruleRemoveById/ByTag/ByMsg is
 * skipped with its links; with ctl:ruleEngine=Off no further rule runs; a chain matches when
 * every link matches in turn; on a match the rule's resolved skip/skipAfter (jumpTo) moves the
 * cursor; an interruption or allow ends the phase. MATCHED_VARS is emptied before each chain.
 *
 * Synchronous unless something must wait, and then the loop returns a Promise that resumes it:
 * an initcol waiting for the store stops the loop after that rule; an asynchronous operator
 * (@rbl) waiting for DNS answers stops it before its rule or link runs (resumeAfterLookups).
 */
export function runPhase(tx: TxState, phase: PhaseNumber, from = 0): void | Promise<void> {
  const rules = tx.program.phases[phase - 1]
  if (rules === undefined) return
  const prof = tx.program.profiler
  const n = rules.length
  let i = from
  while (i < n) {
    const r = rules[i] as LinkedRule
    if (r.marker !== undefined || tx.ruleEngine === 'Off') {
      i++
      continue
    }
    if (phase < 5) {
      tx.work += WORK_UNITS.rule
      if (tx.budgetExceeded || tx.work > tx.program.inspectionBudget) {
        budgetExceeded(tx, phase)
        return
      }
    }
    if (
      (tx.removedIds.length > 0 || tx.removedTags.length > 0 || tx.removedMsgs.length > 0) &&
      isRuleRemoved(tx, r)
    ) {
      i++
      continue
    }
    const mv = tx.matchedVars
    if (mv.length !== 0) clearArray(mv)
    const res = prof === undefined ? evalChain(tx, r) : profiledChain(tx, r, prof)
    if (res === SUSPENDED) return resumeAfterLookups(tx, phase, i)
    if (mv.length !== 0) clearArray(mv)
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

/**
 * evalChain: an asynchronous operator waits for DNS answers, or the next chain link for a
 * collection load (see resumeAfterLookups).
 */
const SUSPENDED = 4

/** A chain from `from` (its starter, or the link a suspended chain resumes at). */
function evalChain(tx: TxState, from: LinkedRule): RuleResult | typeof SUSPENDED {
  let r = from
  for (;;) {
    if (r.asyncOp && probeStartsLookups(tx, r)) {
      tx.suspendedLink = r
      return SUSPENDED
    }
    const res = evalRule(tx, r)
    if (res !== RuleResult.Match) return res
    const next = r.next
    if (next === undefined) return RuleResult.Match
    if (tx.ruleEngine === 'Off') return RuleResult.NoMatch
    if (tx.pendingLoads.length > 0) {
      // a link's initcol (setsid...) is loading: the next link reads the collection once loaded
      tx.suspendedLink = next
      return SUSPENDED
    }
    r = next
  }
}

/** evalChain timed for the profiler (Program.profiler; see EngineProfiler). */
function profiledChain(tx: TxState, r: LinkedRule, prof: EngineProfiler): RuleResult | typeof SUSPENDED {
  const t0 = prof.now()
  try {
    return evalChain(tx, r)
  } finally {
    prof.rule(r, prof.now() - t0)
  }
}

/**
 * The probe of a rule whose operator is asynchronous (@rbl, dns.ts): the rule is evaluated with
 * ctx.probe set, where such an operator only asks for the names it needs and never matches, so
 * nothing else happens (no action, capture or message). True when lookups were started: the
 * rule must wait for them. Only rules with LinkedRule.asyncOp get here.
 */
function probeStartsLookups(tx: TxState, r: LinkedRule): boolean {
  const ctx = tx.opCtx
  ctx.probe = true
  try {
    evalRule(tx, r)
  } finally {
    ctx.probe = false
  }
  return tx.pendingLookups.length > 0
}

/**
 * Rule i of the phase waits for DNS answers: once they are in, its chain continues at the link
 * that asked (tx.suspendedLink; links before it matched and ran their actions and are not
 * evaluated again, MATCHED_VARS is kept), then the rest of the loop body of runPhase for rule i
 * runs (keep the two in step) and the phase goes on from the next rule.
 */
function resumeAfterLookups(tx: TxState, phase: PhaseNumber, i: number): Promise<void> {
  const waits = tx.pendingLookups.splice(0)
  // a chain suspended between two links for a collection load (evalChain) waits for it here
  for (const p of tx.pendingLoads.splice(0)) waits.push(p)
  return Promise.all(waits).then(() => {
    const r = (tx.program.phases[phase - 1] as readonly LinkedRule[])[i] as LinkedRule
    const link = tx.suspendedLink ?? r
    tx.suspendedLink = undefined
    const res = evalChain(tx, link)
    if (res === SUSPENDED) return resumeAfterLookups(tx, phase, i)
    const mv = tx.matchedVars
    if (mv.length !== 0) clearArray(mv)
    const next = res === RuleResult.Match && r.jumpTo !== undefined && r.jumpTo > i ? r.jumpTo : i + 1
    if (tx.pendingLoads.length > 0) {
      const loads = tx.pendingLoads.splice(0)
      const stop = res === RuleResult.Intercepted
      return Promise.all(loads).then(() => (stop ? undefined : runPhase(tx, phase, next)))
    }
    if (res === RuleResult.Intercepted) return undefined
    return runPhase(tx, phase, next)
  })
}
