import type { BinaryString } from './bytes'
import { overBudget, WORK_UNITS } from './budget'
import type { LinkedRule } from './program'
import type { LiteralIndex } from './regex/literal-index'
import { memoOf, transformItem } from './tcache'
import type { TxState } from './tx-state'
import type { Item } from './variables/item'

/**
 * The rule evaluator's side of the literal index (regex/literal-index.ts, link-literals.ts):
 * presence bits of the values a rule would give its operator, kept per transaction in
 * tx.literalPool, and the tests rule-eval.ts makes before calling an operator.
 */

/** Some (word, bits) pair of the sparse mask has a bit set in arr[base + word]. */
export function intersects(arr: readonly number[], base: number, mask: Int32Array): boolean {
  for (let k = 0; k < mask.length; k += 2)
    if (((arr[base + (mask[k] as number)] as number) & (mask[k + 1] as number)) !== 0) return true
  return false
}

/**
 * A slot's literal record: every item transformed (into `vals`, as the rules would do) and
 * scanned once per distinct value; the union of their bits, then each item's offset in
 * tx.literalPool. An item whose transformation fails gets offset -1 and all union bits (so the
 * rules reach it and fail as without the index).
 */
export function slotLiterals(
  tx: TxState,
  r: LinkedRule,
  lits: LiteralIndex,
  items: readonly Item[],
  vals: (BinaryString | undefined)[],
): number[] {
  const words = lits.words
  const n = items.length
  const out = new Array<number>(words + n).fill(0)
  const pool = tx.literalPool
  const used = tx.program.slotWords[r.transformedSlot] as Int32Array
  const nodes = r.chain.nodes
  const last = nodes.length > 0 ? (nodes[nodes.length - 1] as number) : -1
  for (let i = 0; i < n; i++) {
    const it = items[i] as Item
    let value = vals[i]
    if (value === undefined) {
      try {
        value = transformItem(tx, r.chain, it)
      } catch {
        // the budget is spent (tcache.ts): neither this item nor the rest are scanned, and
        // the rules reach them and stop there
        for (let k = i; k < n; k++) out[words + k] = -1
        for (let w = 0; w < words; w++) out[w] = -1
        break
      }
      vals[i] = value
    }
    const off = itemOffset(tx, lits, it, value, last)
    if (off < 0) {
      // not scanned (the budget is spent): the rules reach the item and stop there
      out[words + i] = -1
      for (let w = 0; w < words; w++) out[w] = -1
      continue
    }
    out[words + i] = off
    for (let k = 0; k < used.length; k++) {
      const w = used[k] as number
      out[w] = (out[w] as number) | (pool[off + w] as number)
    }
  }
  return out
}

/**
 * The literal-pool offset of `value`, the item's value after chain node `node` (-1: no
 * transformation): kept in the item's memo, so a value is looked up by string once per
 * transaction, not once per slot and rule that visits it. -1 when the value is not scanned
 * because the inspection budget is spent (nothing is recorded then).
 */
function itemOffset(tx: TxState, lits: LiteralIndex, it: Item, value: BinaryString, node: number): number {
  const memo = memoOf(tx, it)
  if (memo === undefined) return literalOffset(tx, lits, value)
  if (value === it.value) {
    if (memo.self < 0) memo.self = literalOffset(tx, lits, value)
    return memo.self
  }
  let off = memo.offsetOf(node)
  if (off < 0) {
    off = literalOffset(tx, lits, value)
    if (off >= 0) memo.setOffset(node, off)
  }
  return off
}

/**
 * The offset in tx.literalPool of the value's presence bits: each distinct value is scanned once
 * (-1: not scanned, the inspection budget is spent).
 */
function literalOffset(tx: TxState, lits: LiteralIndex, value: BinaryString): number {
  let offsets = tx.literalOffsets
  if (offsets === undefined) {
    offsets = new Map()
    tx.literalOffsets = offsets
  }
  let known = offsets.get(value)
  if (known === undefined) {
    if (overBudget(tx)) return -1
    const pool = tx.literalPool
    const words = lits.words
    known = pool.length
    for (let w = 0; w < words; w++) pool.push(0)
    if (value.length > 0) {
      tx.work += value.length * WORK_UNITS.scanByte
      lits.scan(value, pool, known)
    }
    offsets.set(value, known)
  }
  return known
}

/**
 * multiMatch: may the value (the item's value after chain node `node`, -1: raw) hold the rule's
 * bit? (True when it is not scanned because the budget is spent.)
 */
export function mayHold(
  tx: TxState,
  lits: LiteralIndex,
  mask: Int32Array,
  it: Item,
  v: BinaryString,
  node: number,
): boolean {
  const off = itemOffset(tx, lits, it, v, node)
  // not scanned (the budget is spent): the operator call that follows stops the evaluation
  return off < 0 || intersects(tx.literalPool, off, mask)
}
