import { BUDGET_SPENT, overBudget, WORK_UNITS } from './budget'
import type { BinaryString } from './bytes'
import type { LinkedChain } from './program'
import { lowercase, uppercase } from './transformations/case'
import type { TransformFn } from './transformations/types'
import type { TxState } from './tx-state'
import type { TxScratch } from './tx-scratch'
import type { Item } from './variables/item'

export { TCACHE_MAX_ENTRIES } from './tx-scratch'

/**
 * The per-transaction transformation cache. Every prefix of every interned t: chain has a node
 * id (link.ts), and every string the evaluator meets has a cell in the transaction's scratch
 * (tx-scratch.ts): item values by string, results as they are computed. The cache maps
 * (cell, node) -> result cell, so
 * - a value never goes through the same chain prefix twice in a transaction (CRS runs
 *   t:urlDecodeUni,t:htmlEntityDecode,... over the same ARGS in hundreds of rules, and chains
 *   sharing a prefix reuse its result);
 * - each step's result is also recorded under the one-step chain of its transformation
 *   (LinkedChain.singles) on its input's cell, so chains that reach the same input by different
 *   prefixes share it: about 70 % of CRS's transformation calls repeat an input another chain
 *   prefix produced (t:none,t:urlDecodeUni and t:utf8toUnicode,t:urlDecodeUni on ASCII text);
 * - a result identical to its input (a transformation that changes nothing) is its input's cell.
 * Transformations are pure, so sharing results is always correct. v2 has a similar cache
 * (SecCacheTransformations, keyed by value pointer, cleared per phase).
 */

/** The cell of an item's value in this transaction (-1 once the cache is full). */
export function cellOf(tx: TxState, it: Item): number {
  if (it.vtx === tx.serial) return it.cell
  const c = tx.scratch.intern(it.value)
  if (c >= 0) {
    it.vtx = tx.serial
    it.cell = c
  }
  return c
}

/**
 * The item's value after the chain (cached by value and chain prefix). Throws BudgetSpent when
 * the inspection budget is spent before a step that is not cached yet.
 */
export function transformItem(tx: TxState, chain: LinkedChain, it: Item): BinaryString {
  const n = chain.fns.length
  RESULT.cell = -1
  if (n === 0) return it.value
  const cell = cellOf(tx, it)
  if (cell < 0) return uncached(tx, chain, 0, it.value)
  const sc = tx.scratch
  const nodes = chain.nodes
  if (sc.full()) {
    // nothing more is recorded: the whole chain, or computed without looking up its prefixes
    const whole = sc.find(cell, nodes[n - 1] as number)
    if (whole >= 0) {
      RESULT.cell = whole
      return sc.str(whole)
    }
    return uncached(tx, chain, 0, it.value)
  }
  // the deepest cached prefix (the usual case: the whole chain, hundreds of rules share a few)
  let k = n
  let at = -1
  while (k > 0) {
    at = sc.find(cell, nodes[k - 1] as number)
    if (at >= 0) break
    k--
  }
  if (k === n) {
    RESULT.cell = at
    return sc.str(at)
  }
  let c = k > 0 ? at : cell
  for (; k < n; k++) {
    c = step(tx, sc, chain, k, c)
    if (c < 0) return uncached(tx, chain, k + 1, STEP_OUT.v)
    sc.insert(cell, nodes[k] as number, c)
  }
  RESULT.cell = c
  return sc.str(c)
}

/**
 * The cell of the value the last transformItem() returned, -1 when it has none or did not look
 * it up (no transformation, the cache is full): read right after the call.
 */
export const RESULT = { cell: -1 }

/** the value step() computed when it could not give it a cell (the cache is full) */
const STEP_OUT = { v: '' }

/**
 * Step k of the chain on cell `c`: the result cell (the transformation's result for this input
 * when some chain already computed it, else computed and recorded under the one-step node).
 * -1 when the cache is full: the value is then in STEP_OUT. Throws BudgetSpent when it would
 * compute with the budget spent.
 */
function step(tx: TxState, sc: TxScratch, chain: LinkedChain, k: number, c: number): number {
  // none of the bytes that transformation acts on: its result is the input (identity.ts)
  const skip = chain.skips[k] as number
  if (skip !== 0 && (sc.classes(c) & skip) === 0) return c
  const single = chain.singles[k] as number
  const hit = sc.find(c, single)
  if (hit >= 0) return hit
  const v = sc.str(c)
  const out = compute(tx, chain, k, v)
  if (out === v) {
    sc.insert(c, single, c)
    return c
  }
  // the literal index folds ASCII case: a case-only change keeps the input's literal bits
  const fn = chain.fns[k]
  const rc = sc.newCell(out, fn === lowercase || fn === uppercase ? c : -1)
  if (rc < 0) {
    STEP_OUT.v = out
    return -1
  }
  sc.insert(c, single, rc)
  return rc
}

function compute(tx: TxState, chain: LinkedChain, k: number, v: BinaryString): BinaryString {
  if (overBudget(tx)) throw BUDGET_SPENT
  tx.work += v.length * WORK_UNITS.transformByte + WORK_UNITS.transformCall
  return (chain.fns[k] as TransformFn)(v, tx.program.transformEnv)
}

/** steps from..n-1 on v without the cache (it is full) */
function uncached(tx: TxState, chain: LinkedChain, from: number, v: BinaryString): BinaryString {
  const n = chain.fns.length
  for (let k = from; k < n; k++) v = compute(tx, chain, k, v)
  return v
}

/**
 * One step for multiMatch: the value after step k, given the value after step k-1 (`prev`) and
 * the item (whose value is the cache key). Cached like transformItem().
 */
export function transformStep(
  tx: TxState,
  chain: LinkedChain,
  it: Item,
  k: number,
  prev: BinaryString,
): BinaryString {
  const cell = cellOf(tx, it)
  if (cell < 0) return compute(tx, chain, k, prev)
  const sc = tx.scratch
  const node = chain.nodes[k] as number
  const hit = sc.find(cell, node)
  if (hit >= 0) return sc.str(hit)
  // the cell of prev: the item's value, or the cached result of the previous step
  const pc = k === 0 ? cell : sc.find(cell, chain.nodes[k - 1] as number)
  if (pc < 0 || sc.str(pc) !== prev) return compute(tx, chain, k, prev)
  const c = step(tx, sc, chain, k, pc)
  if (c < 0) return STEP_OUT.v
  sc.insert(cell, node, c)
  return sc.str(c)
}

/**
 * The cell of `value`, the item's value after chain node `node` (-1: no transformation), as
 * transformItem/transformStep recorded it; -1 when it has none (the cache is full).
 */
export function resultCell(tx: TxState, it: Item, value: BinaryString, node: number): number {
  const cell = cellOf(tx, it)
  if (cell < 0) return -1
  const sc = tx.scratch
  const c = node < 0 ? cell : sc.find(cell, node)
  return c >= 0 && sc.str(c) === value ? c : -1
}
