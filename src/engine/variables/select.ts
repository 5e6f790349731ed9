import type { LinkedRule } from '../program'
import type { TxState } from '../tx-state'
import type { Item } from './item'

/** A key selector: literal (compared on fkey) or regex (tested on the key as sent). */
export interface Selector {
  readonly key: string | undefined
  readonly fkey: string | undefined
  readonly rx: RegExp | undefined
}

/**
 * A variable resolver: pushes the items the selector picks, in v2 order. Total: never throws.
 * `rule` is the rule being evaluated (RULE needs it; null while formatting log metadata, as v2
 * expands msg/logdata without a rule so %{RULE.id} is empty there).
 */
export interface VariableImpl {
  collect(tx: TxState, sel: Selector, out: Item[], rule: LinkedRule | null): void
}

/** Collection helper: select from a list of items. */
export function selectFrom(list: readonly Item[], sel: Selector, out: Item[]): void {
  const n = list.length
  if (sel.fkey !== undefined) {
    const f = sel.fkey
    for (let i = 0; i < n; i++) {
      const it = list[i] as Item
      if (it.fkey === f) out.push(it)
    }
  } else if (sel.rx !== undefined) {
    const rx = sel.rx
    for (let i = 0; i < n; i++) {
      const it = list[i] as Item
      rx.lastIndex = 0
      if (rx.test(it.key)) out.push(it)
    }
  } else {
    for (let i = 0; i < n; i++) out.push(list[i] as Item)
  }
}

/** Scalar helper: push the item when it exists. */
export function pushScalar(it: Item | undefined, out: Item[]): void {
  if (it !== undefined) out.push(it)
}
