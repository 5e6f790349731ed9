import type { TxState } from './tx-state'

/**
 * The inspection budget: a guard on the work one transaction may cost, so that no request can
 * hold an isolate for long (a Worker on the Free plan has 10 ms of CPU per request; CRS at PL1 on
 * 64 KB of adversarial argument text would need 30+ ms, ModSecurity itself far more).
 *
 * Work is counted in units that follow CPU and do not depend on a clock (Workers do not advance
 * time during CPU work): per rule evaluated, per operator call and byte given to an operator, per
 * transformation computed and byte it reads, per byte scanned for the prefilter literals, per
 * match (WORK_UNITS). The count is deterministic for a given rule set and request.
 *
 * The count is checked before each phase 1-4 rule and before each operator call (one rule over
 * thousands of items cannot overshoot by much). Once it is over the budget the engine stops
 * evaluating rules (a deliberate difference from ModSecurity, which would inspect on and, at its
 * PCRE match limit, count the regex as "no match"):
 * - TX:MSC_INSPECTION_BUDGET_EXCEEDED is set to 1 (the usual `TX:/^MSC_/` check sees it; phase 5
 *   rules and the audit log too) and the engine message "Inspection budget exceeded (N units)."
 *   goes to the alert log and audit part H;
 * - SecRuleEngine On: the transaction is interrupted, fail-closed, with 413 in phases 1-2 (as a
 *   body over a limit) or 500 in phases 3-4 (as SecResponseBodyLimit with Reject), rule id 0;
 * - DetectionOnly: the message only; the remaining phase 1-4 rules do not run.
 * Phase 5 always runs. LoadOptions.inspectionBudget sets the budget (Infinity: no guard).
 *
 * The default is about 10 ms of CPU on the bench machine (the Workers Free plan's limit per
 * request); the bench requests use 2-30% of it (`npm run bench`, README "Performance").
 */
export const DEFAULT_INSPECTION_BUDGET = 2_000_000

/**
 * Units per event; a unit is meant as at most 4-5 ns of CPU on the bench machine, so the default
 * budget is 8-10 ms. `test/bench/calibrate-budget.ts` counts each event kind per request and times
 * each request in steady state (the fastest of several runs after two warm ones; process CPU or
 * wall time, whichever is smaller, so V8's background compilation and GC threads do not count).
 * Its last fit (PL1, the bench requests, the synthetic worst cases and a sixth of the ReDoS
 * corpus; scaled so that no request of 2 ms or more costs over 4 ns per unit) gave rule 65,
 * operatorCall 263, operatorByte 2.3, linearByte 2, scanByte 3.7, match 49, transformByte 0.1;
 * per item examined and per request byte parsed, 0 (both were tried as kinds and dropped). The
 * weights below predate that fit and were kept (lower per rule and operator call, higher per
 * transformed or scanned byte and per match): with them the slowest ratio was 3.9 ns per unit
 * (the JSON bench request), and every request over 8 ms went over the budget (the 1,000-argument
 * cases: 4-6 M units). linearByte is the fit's.
 * Mutable only so that the calibration can count each event kind on its own.
 */
export const WORK_UNITS = {
  /** a rule or chain link evaluated */
  rule: 40,
  /** a byte a regex runs on the linear-time engine (re2js), besides operatorByte */
  linearByte: 2,
  /** an operator call, besides the bytes it is given */
  operatorCall: 120,
  /** a byte given to an operator */
  operatorByte: 2,
  /** a transformation computed (cache misses only), besides its bytes */
  transformCall: 40,
  /** a byte a transformation reads */
  transformByte: 2,
  /** a byte scanned for the prefilter literals */
  scanByte: 8,
  /** a match (actions, MATCHED_VARS, the alert with its macro expansions) */
  match: 400,
  /**
   * a byte given to the linear-time engine's capturing search (re2js's NFA, after its DFA found a
   * match; rules with `capture`), besides linearByte: measured at PL4, 400-700 ns per byte
   * (942421 over an 8 KB cookie: 5.8 ms; 942522 over an 8.7 KB name: 3.3 ms). Checked before the
   * search runs (OperatorContext.unitsLeft): a search the rest of the budget cannot pay for is
   * not started, so no single capture can overshoot the budget.
   */
  captureByte: 50,
  /**
   * a byte of a setvar key built by macro expansion (escaped, then escaped and folded again into
   * the collection's item, and hashed): CRS names its per-match TX variables after
   * %{MATCHED_VAR_NAME}, so a 17 KB argument name makes 17 KB keys, one per matching rule (PL4,
   * 932320's form name: about 1.5 ms of such keys, uncounted before)
   */
  setvarKeyByte: 8,
}

/** The budget is spent and phase 1-4 inspection must stop (phase 5 always runs). */
export function overBudget(tx: TxState): boolean {
  return tx.work > tx.program.inspectionBudget && tx.phase < 5
}

/**
 * Thrown by the transformation cache (tcache.ts) when the budget is spent before a step: a
 * transformation of a long value costs as much as many rules, so the engine stops between steps,
 * not only between rules and operator calls. Nothing partial is cached; the rule evaluator turns
 * it into budgetExceeded().
 */
export class BudgetSpent extends Error {}

/**
 * The one BudgetSpent thrown: an Error built per throw captures a stack trace (microseconds), and
 * a request over its budget with 1,000 arguments threw one per argument and rule (half of its
 * CPU, measured at PL4).
 */
export const BUDGET_SPENT = new BudgetSpent('inspection budget spent')

/** Stop the transaction's rule evaluation: the budget is spent (see above). */
export function budgetExceeded(tx: TxState, phase: number): void {
  if (tx.budgetExceeded) return
  tx.budgetExceeded = true
  tx.tx.set('MSC_INSPECTION_BUDGET_EXCEEDED', '1')
  tx.engineMessages.push('Inspection budget exceeded (' + tx.program.inspectionBudget + ' units).')
  if (tx.ruleEngine === 'On' && tx.interruption === undefined)
    tx.interruption = { status: phase <= 2 ? 413 : 500, kind: 'deny', ruleId: 0, phase }
}
