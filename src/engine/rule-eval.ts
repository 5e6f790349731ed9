import { runActions } from './actions/run'
import { isTargetRemoved, removalsFor } from './actions/ctl'
import type { BinaryString } from './bytes'
import { disrupt } from './disrupt'
import { clearArray } from './array-clear'
import { BudgetSpent, budgetExceeded, overBudget, WORK_UNITS } from './budget'
import { logEscape } from './log-escape'
import type { OperatorFn } from './operators/types'
import type { LinkedRule, LinkedTarget } from './program'
import type { LiteralIndex } from './regex/literal-index'
import { transformItem, transformStep } from './tcache'
import { HOLD_NO, HOLD_YES, hasBit, mayHold, slotLiterals } from './literal-scan'
import type { TargetRemoval, TxState } from './tx-state'
import type { Item } from './variables/item'

/**
 * One rule (one link of a chain) against the transaction, as v2's msre_rule_process_normal and
 * execute_operator do it:
 * - targets expand in rule order; `&VAR` becomes one item holding the count; `!VAR...` removes
 *   the items it names (case-insensitively) from those collected so far;
 * - each item is transformed (cached, tcache.ts) and given to the operator; multiMatch runs the
 *   operator on the raw value and after every transformation that changed it (and, as in v2,
 *   never when the rule has no transformations);
 * - every matching item sets MATCHED_VAR/MATCHED_VAR_NAME (transformed value), is appended to
 *   MATCHED_VARS, runs the rule's non-disruptive actions, and on the last link of a chain (or a
 *   plain rule) produces an alert or the interruption (disrupt.ts); an interruption stops the
 *   remaining items.
 */
export const RuleResult = { NoMatch: 0, Match: 1, Intercepted: 2, Failed: 3 } as const
export type RuleResult = 0 | 1 | 2 | 3

/** scratch lists for target expansion (one synchronous rule at a time; never held across calls) */
const ITEMS: Item[] = []
const OWNERS: LinkedTarget[] = []
const EXCLUDED: Item[] = []
const ONE_ITEM: Item[] = [{ key: '', fkey: '', name: '', value: '', vtx: 0, cell: -1 }]
const ONE_OWNER: LinkedTarget[] = []

function collectTargets(tx: TxState, r: LinkedRule): void {
  clearArray(ITEMS)
  clearArray(OWNERS)
  const targets = r.targets
  for (let t = 0; t < targets.length; t++) {
    const tg = targets[t] as LinkedTarget
    if (tg.txKey) {
      const it = tx.tx.getFolded(tg.fkey as string)
      if (it !== undefined) {
        ITEMS.push(it)
        OWNERS.push(tg)
      }
      continue
    }
    if (tg.exclude) {
      tg.impl.collect(tx, tg, EXCLUDED, r)
      if (EXCLUDED.length > 0) {
        removeNamed(EXCLUDED)
        clearArray(EXCLUDED)
      }
      continue
    }
    const start = ITEMS.length
    tg.impl.collect(tx, tg, ITEMS, r)
    if (tg.count) {
      const n = ITEMS.length - start
      while (ITEMS.length > start) ITEMS.pop()
      ITEMS.push({ key: '', fkey: '', name: tg.name, value: String(n), full: tg.fullName, vtx: 0, cell: -1 })
    }
    for (let i = start; i < ITEMS.length; i++) OWNERS.push(tg)
  }
}

/** `!VAR...`: drop the items named (ASCII case-insensitively) like an excluded one. */
function removeNamed(excluded: Item[]): void {
  let w = 0
  for (let i = 0; i < ITEMS.length; i++) {
    const it = ITEMS[i] as Item
    if (namedLikeOneOf(it, excluded)) continue
    ITEMS[w] = it
    OWNERS[w] = OWNERS[i] as LinkedTarget
    w++
  }
  while (ITEMS.length > w) ITEMS.pop()
  while (OWNERS.length > w) OWNERS.pop()
}

function namedLikeOneOf(it: Item, excluded: readonly Item[]): boolean {
  const a = it.name
  for (let k = 0; k < excluded.length; k++) {
    const ex = excluded[k] as Item
    if (ex === it) return true
    const b = ex.name
    if (a.length !== b.length) continue
    let same = true
    for (let c = 0; c < a.length && same; c++) {
      let x = a.charCodeAt(c)
      let y = b.charCodeAt(c)
      if (x >= 0x41 && x <= 0x5a) x |= 0x20
      if (y >= 0x41 && y <= 0x5a) y |= 0x20
      same = x === y
    }
    if (same) return true
  }
  return false
}

export function linkOperator(r: LinkedRule): OperatorFn {
  let fn = r.opFn
  if (fn === undefined) {
    const def = r.opDef
    if (def === null) fn = neverMatches
    else {
      try {
        fn = def.link(r.op)
      } catch {
        fn = neverMatches
      }
    }
    r.opFn = fn
  }
  return fn
}

function neverMatches(): boolean {
  return false
}

export function evalRule(tx: TxState, r: LinkedRule): RuleResult {
  let items: readonly Item[]
  let owners: readonly (LinkedTarget | undefined)[]
  let base = 0
  let n: number
  const set = r.targetSet
  const txKey = r.soleTxKey
  const sc = tx.scratch
  if (set >= 0) {
    // a stable list: expanded once per epoch into the scratch's arenas
    base = sc.setBase(set)
    if (base < 0) {
      collectTargets(tx, r)
      base = sc.storeSet(set, ITEMS, OWNERS)
    }
    items = sc.items
    owners = sc.owners
    n = sc.setSize(set)
  } else if (txKey !== undefined) {
    // one TX:key target (CRS's paranoia-level gates and score checks): no list to build
    const it = tx.tx.getFolded(txKey)
    if (it === undefined) return RuleResult.NoMatch
    ONE_ITEM[0] = it
    ONE_OWNER[0] = r.targets[0] as LinkedTarget
    items = ONE_ITEM
    owners = ONE_OWNER
    n = 1
  } else {
    // ITEMS/OWNERS stay valid while we iterate: operators, actions and alerts never expand
    // rule targets (macro expansion has its own scratch), so no copy is needed
    collectTargets(tx, r)
    items = ITEMS
    owners = OWNERS
    n = ITEMS.length
  }
  if (n === 0) return RuleResult.NoMatch
  const removals = tx.removedTargets.length > 0 && !r.isLink ? removalsFor(tx, r) : undefined
  const checkRemoved = removals !== undefined && removals.length > 0
  if (r.multiMatch) return evalMultiMatch(tx, r, items, owners, base, n, checkRemoved ? removals : undefined)
  // transformed values of a stable target list under this rule's chain, shared by every rule
  // with the same (list, chain) and filled as items are reached (never more than v2 transforms)
  const slot = r.transformedSlot
  const vbase = slot >= 0 && set >= 0 ? sc.slotVals(slot, n) : -1
  const vals = sc.vals
  // the prefilter literals (Program.literals): which of them each value of the slot contains
  const word = vbase >= 0 ? r.litWord : -1
  const bits = r.litBits
  let lbase = -1
  let words = 0
  if (word >= 0) {
    const lits = tx.program.literals as LiteralIndex
    words = lits.words
    lbase = sc.slotLits(slot)
    if (lbase < 0) lbase = slotLiterals(tx, r, lits, items, base, n, vbase)
    // none of the rule's literals in any value of the list: every item's prefilter says NO_MATCH
    if (!hasBit(sc.lits, lbase, word, bits)) return RuleResult.NoMatch
  }
  let matches = 0
  for (let i = 0; i < n; i++) {
    const it = items[base + i] as Item
    if (checkRemoved && isTargetRemoved(removals, it.name)) continue
    // the value holds one of the rule's literals: its operator's own prefilter would say so too
    let known = false
    if (lbase >= 0) {
      const off = sc.lits[lbase + words + i] as number
      if (off >= 0) {
        if (!hasBit(sc.pool, off, word, bits)) continue
        known = true
      }
    }
    let value = vbase >= 0 ? vals[vbase + i] : undefined
    if (value === undefined) {
      try {
        value = transformItem(tx, r.chain, it)
      } catch (e) {
        return transformFailed(tx, e)
      }
      if (vbase >= 0) vals[vbase + i] = value
    }
    const res = execOperator(tx, r, it, owners[base + i] as LinkedTarget, value, known)
    if (res === RuleResult.Intercepted) return res
    if (res === RuleResult.Failed) return RuleResult.NoMatch
    if (res === RuleResult.Match) matches++
  }
  return matches > 0 ? RuleResult.Match : RuleResult.NoMatch
}

/**
 * multiMatch: the operator runs on the raw value and after every transformation that changed it
 * (as in v2, never when the rule has no transformations).
 */
function evalMultiMatch(
  tx: TxState,
  r: LinkedRule,
  items: readonly Item[],
  owners: readonly (LinkedTarget | undefined)[],
  base: number,
  n: number,
  removals: readonly TargetRemoval[] | undefined,
): RuleResult {
  const chain = r.chain
  const steps = chain.fns.length
  // the rule's literal bit (link-literals.ts indexLiterals): a value without it cannot match
  const lits = r.litWord >= 0 ? tx.program.literals : undefined
  const nodes = chain.nodes
  let matches = 0
  for (let i = 0; i < n; i++) {
    const it = items[base + i] as Item
    if (removals !== undefined && isTargetRemoved(removals, it.name)) continue
    const owner = owners[base + i] as LinkedTarget
    let v = it.value
    let changed = false
    for (let k = 0; k < steps; k++) {
      const hold =
        k !== 0 && !changed
          ? HOLD_NO
          : lits === undefined
            ? UNCHECKED
            : mayHold(tx, lits, r, it, v, k === 0 ? -1 : (nodes[k - 1] as number))
      if (hold !== HOLD_NO) {
        const res = execOperator(tx, r, it, owner, v, hold === HOLD_YES)
        if (res === RuleResult.Intercepted) return res
        if (res === RuleResult.Failed) return RuleResult.NoMatch
        if (res === RuleResult.Match) matches++
      }
      let next: BinaryString
      try {
        next = transformStep(tx, chain, it, k, v)
      } catch (e) {
        return transformFailed(tx, e)
      }
      changed = next !== v
      v = next
    }
    const hold = !changed
      ? HOLD_NO
      : lits === undefined
        ? UNCHECKED
        : mayHold(tx, lits, r, it, v, nodes[steps - 1] as number)
    if (hold !== HOLD_NO) {
      const res = execOperator(tx, r, it, owner, v, hold === HOLD_YES)
      if (res === RuleResult.Intercepted) return res
      if (res === RuleResult.Failed) return RuleResult.NoMatch
      if (res === RuleResult.Match) matches++
    }
  }
  return matches > 0 ? RuleResult.Match : RuleResult.NoMatch
}

/**
 * A transformation threw: the inspection budget is spent (tcache.ts stops between steps), or a
 * fault, which fails the rule like v2's tfn error (-1) (transformations are total).
 */
function transformFailed(tx: TxState, e: unknown): RuleResult {
  if (!(e instanceof BudgetSpent)) return RuleResult.NoMatch
  budgetExceeded(tx, tx.phase)
  return tx.interruption !== undefined ? RuleResult.Intercepted : RuleResult.NoMatch
}

/** The budget is spent inside an operator call: Intercepted (On) or Failed (the rule stops). */
function stopOnBudget(tx: TxState): RuleResult {
  budgetExceeded(tx, tx.phase)
  return tx.interruption !== undefined ? RuleResult.Intercepted : RuleResult.Failed
}

/** multiMatch without the literal index: the operator decides alone */
const UNCHECKED = 3

/** `prefiltered`: the value holds one of the rule's index literals (OperatorContext.prefiltered) */
function execOperator(
  tx: TxState,
  r: LinkedRule,
  it: Item,
  owner: LinkedTarget,
  value: BinaryString,
  prefiltered: boolean,
): RuleResult {
  const fn = r.opFn ?? linkOperator(r)
  tx.work += value.length * WORK_UNITS.operatorByte + WORK_UNITS.operatorCall
  if (overBudget(tx)) {
    // the inspection budget is spent within a rule (one rule over thousands of items): stop
    // here, not only between rules (budget.ts)
    return stopOnBudget(tx)
  }
  const ctx = tx.opCtx
  ctx.varName = it.name
  ctx.capture = r.capture
  ctx.prefiltered = prefiltered
  if (ctx.captures.length !== 0) clearArray(ctx.captures)
  ctx.message = ''
  ctx.error = undefined
  // phase 5 always runs, unbudgeted (budget.ts)
  ctx.unitsLeft = tx.phase < 5 ? tx.program.inspectionBudget - tx.work : Infinity
  let m: boolean
  try {
    m = fn(value, ctx)
  } catch {
    m = false
  }
  if (ctx.linearBytes !== 0) {
    tx.work += ctx.linearBytes * WORK_UNITS.linearByte
    ctx.linearBytes = 0
  }
  if (ctx.captureBytes !== 0) {
    tx.work += ctx.captureBytes * WORK_UNITS.captureByte
    ctx.captureBytes = 0
  }
  if (ctx.budgetSpent) {
    ctx.budgetSpent = false
    return stopOnBudget(tx)
  }
  if (ctx.error !== undefined) {
    // v2: the operator returned -1: "Rule processing failed", no negation, remaining targets skipped
    tx.engineMessages.push(
      'Rule processing failed (id=' + r.head.id + ', msg=' + (r.head.msgRaw ?? '') + ').',
    )
    return RuleResult.Failed
  }
  if (m && r.capture && ctx.captures.length > 0) applyCaptures(tx, r, ctx.captures)
  if (m === r.op.negated) return RuleResult.NoMatch
  const message = m ? ctx.message : negatedMessage(r, it, owner)
  const mv: Item =
    value === it.value ? it : { key: it.key, fkey: it.fkey, name: it.name, value, vtx: 0, cell: -1 }
  tx.matchedVar = mv
  tx.matchedVars.push(mv)
  tx.work += WORK_UNITS.match
  const head = r.head
  if (r.next === undefined && head.severity > 0 && head.severity < tx.highestSeverity)
    tx.highestSeverity = head.severity
  runActions(tx, r)
  if (r.next !== undefined) return RuleResult.Match
  return disrupt(tx, r, message) ? RuleResult.Intercepted : RuleResult.Match
}

/** v2: @rx with capture unsets TX:0-9 and sets the groups it has; other operators set what they report. */
function applyCaptures(tx: TxState, r: LinkedRule, caps: (BinaryString | undefined)[]): void {
  if (r.op.name === 'rx') for (let i = 0; i < 10; i++) tx.tx.delete(DIGITS[i] as string)
  const n = caps.length < 10 ? caps.length : 10
  for (let i = 0; i < n; i++) {
    const c = caps[i]
    if (c !== undefined) tx.tx.set(DIGITS[i] as string, c)
  }
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']

/** v2 execute_operator: the message of a negated operator that did not match. */
function negatedMessage(r: LinkedRule, it: Item, owner: LinkedTarget): string {
  let param = logEscape(r.op.arg)
  if (param.length > 252) param = param.slice(0, 252) + ' ...'
  let full = it.full
  if (full === undefined)
    full = it.name.indexOf(':') < 0 && owner.key !== undefined ? it.name + ':' + owner.key : it.name
  if (full === it.name && owner.rx !== undefined && it.name.indexOf(':') < 0) full = owner.fullName
  return 'Match of "' + logEscape(r.op.name) + ' ' + param + '" against "' + logEscape(full) + '" required.'
}
