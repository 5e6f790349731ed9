import type { BinaryString } from './bytes'
import { overBudget, WORK_UNITS } from './budget'
import type { LinkedRule } from './program'
import type { LiteralIndex } from './regex/literal-index'
import { RESULT, resultCell, transformItem } from './tcache'
import type { TxState } from './tx-state'
import type { Item } from './variables/item'

/**
 * The rule evaluator's side of the literal index (regex/literal-index.ts, link-literals.ts):
 * presence bits of the values a rule would give its operator, kept per transaction in the
 * scratch's literal pool (tx-scratch.ts), and the tests rule-eval.ts makes before calling an operator.
 */

/** The rule's bit (LinkedRule.litWord/litBits) is set in arr[base + word]. */
export function hasBit(arr: Int32Array, base: number, word: number, bits: number): boolean {
  return ((arr[base + word] as number) & bits) !== 0
}

/**
 * A slot's literal record, in tx.scratch.lits at the returned offset: every item transformed
 * (into the slot's values, as the rules would do) and scanned once per distinct value; the
 * union of their bits (`words` words), then each item's offset in the literal pool. An item
 * whose transformation fails gets offset -1 and all union bits (so the rules reach it and fail
 * as without the index).
 */
export function slotLiterals(
  tx: TxState,
  r: LinkedRule,
  lits: LiteralIndex,
  items: readonly Item[],
  base: number,
  n: number,
  vbase: number,
): number {
  const words = lits.words
  const sc = tx.scratch
  const at = sc.newSlotLits(r.transformedSlot, words + n)
  // nothing below adds a literal record, so the array stays this one
  const out = sc.lits
  const vals = sc.vals
  const used = tx.program.slotWords[r.transformedSlot] as Int32Array
  const nodes = r.chain.nodes
  const last = nodes.length > 0 ? (nodes[nodes.length - 1] as number) : -1
  for (let i = 0; i < n; i++) {
    const it = items[base + i] as Item
    let value = vals[vbase + i]
    let cell = -1
    if (value === undefined) {
      try {
        value = transformItem(tx, r.chain, it)
        cell = RESULT.cell
      } catch {
        // the budget is spent (tcache.ts): neither this item nor the rest are scanned, and
        // the rules reach them and stop there
        for (let k = i; k < n; k++) out[at + words + k] = -1
        for (let w = 0; w < words; w++) out[at + w] = -1
        break
      }
      vals[vbase + i] = value
    }
    const off = cell >= 0 ? cellOffset(tx, lits, cell) : itemOffset(tx, lits, it, value, last)
    if (off < 0) {
      // not scanned (the budget is spent): the rules reach the item and stop there
      out[at + words + i] = -1
      for (let w = 0; w < words; w++) out[at + w] = -1
      continue
    }
    out[at + words + i] = off
    const pool = sc.pool
    for (let k = 0; k < used.length; k++) {
      const w = at + (used[k] as number)
      out[w] = (out[w] as number) | (pool[off + (used[k] as number)] as number)
    }
  }
  return at
}

/**
 * The literal-pool offset of `value`, the item's value after chain node `node` (-1: no
 * transformation): kept with the value's cell, so a value is scanned once per transaction, not
 * once per slot and rule that visits it. -1 when the value is not scanned because the
 * inspection budget is spent (nothing is recorded then).
 */
function itemOffset(tx: TxState, lits: LiteralIndex, it: Item, value: BinaryString, node: number): number {
  let c = resultCell(tx, it, value, node)
  // not in the cache (it is full): the value's own cell, by string, so it is scanned once
  if (c < 0) c = tx.scratch.intern(value)
  if (c < 0) return scan(tx, lits, value)
  return cellOffset(tx, lits, c)
}

/** The literal-pool offset of a cell's string, scanned on first use (-1: the budget is spent). */
function cellOffset(tx: TxState, lits: LiteralIndex, c: number): number {
  const sc = tx.scratch
  let off = sc.litOf(c)
  if (off < 0) {
    off = scan(tx, lits, sc.str(c))
    if (off >= 0) sc.setLit(c, off)
  }
  return off
}

/** Scan a value into new words of the literal pool: their offset (-1: the budget is spent). */
function scan(tx: TxState, lits: LiteralIndex, value: BinaryString): number {
  if (overBudget(tx)) return -1
  const sc = tx.scratch
  const at = sc.reserveWords(lits.words)
  if (value.length > 0) {
    tx.work += value.length * WORK_UNITS.scanByte
    lits.scan(value, sc.pool, at)
  }
  return at
}

/**
 * multiMatch: does the value (the item's value after chain node `node`, -1: raw) hold the
 * rule's bit? HOLD_UNKNOWN when it is not scanned because the budget is spent.
 */
export function mayHold(
  tx: TxState,
  lits: LiteralIndex,
  r: LinkedRule,
  it: Item,
  v: BinaryString,
  node: number,
): number {
  const off = itemOffset(tx, lits, it, v, node)
  // not scanned (the budget is spent): the operator call that follows stops the evaluation
  if (off < 0) return HOLD_UNKNOWN
  return hasBit(tx.scratch.pool, off, r.litWord, r.litBits) ? HOLD_YES : HOLD_NO
}

/** mayHold(): the value lacks the rule's bit / has it / was not scanned (the budget is spent) */
export const HOLD_NO = 0
export const HOLD_YES = 1
export const HOLD_UNKNOWN = 2
