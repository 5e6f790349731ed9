import type { TxState } from './tx-state'

/**
 * The inspection budget: a guard on the work one transaction may cost, so that no request can
 * hold an isolate for long (a Worker on the Free plan has 10 ms of CPU per request; CRS at PL1 on
 * 64 KB of adversarial argument text would need 30+ ms, ModSecurity itself far more).
 *
 * Work is counted in units that follow CPU closely and do not depend on a clock (Workers do not
 * advance time during CPU work): every byte a transformation reads (TRANSFORM_BYTE_UNITS), every byte an
 * operator is given and every value scanned for a slot's literals (one unit per byte plus
 * OPERATOR_CALL_UNITS per call), and MATCH_UNITS per match. The count is deterministic for a
 * given rule set and request.
 *
 * When a phase 1-4 rule is about to run with the count over the budget, the engine stops
 * evaluating rules (a deliberate difference from ModSecurity, which would inspect on):
 * - SecRuleEngine On: the transaction is interrupted, fail-closed, with 413 in phases 1-2 (as a
 *   body over a limit) or 500 in phases 3-4 (as SecResponseBodyLimit with Reject), rule id 0,
 *   and the engine message "Inspection budget exceeded (N units)." (audit log part H);
 * - DetectionOnly: the message only; the remaining phase 1-4 rules do not run.
 * Phase 5 always runs. LoadOptions.inspectionBudget sets the budget (Infinity: no guard).
 *
 * DEFAULT_INSPECTION_BUDGET was calibrated with `npm run bench -- --worst` (test/bench/worst.ts,
 * README "Performance"): the bench requests use 1-7% of it; the slowest adversarial request
 * under it stays below 10 ms of CPU at PL1 on the bench machine.
 */
export const DEFAULT_INSPECTION_BUDGET = 2_000_000

/** Units charged for one operator call besides the bytes of its input. */
export const OPERATOR_CALL_UNITS = 16

/** Units charged per byte a transformation reads (they cost several times an operator's scan). */
export const TRANSFORM_BYTE_UNITS = 4

/** Units charged for a match (actions, MATCHED_VARS, the alert with its macro expansions). */
export const MATCH_UNITS = 400

/** Stop the transaction's rule evaluation: the budget is spent (see above). */
export function budgetExceeded(tx: TxState, phase: number): void {
  tx.budgetExceeded = true
  tx.engineMessages.push('Inspection budget exceeded (' + tx.program.inspectionBudget + ' units).')
  if (tx.ruleEngine === 'On' && tx.interruption === undefined)
    tx.interruption = { status: phase <= 2 ? 413 : 500, kind: 'deny', ruleId: 0, phase }
}
