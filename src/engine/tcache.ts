import { BUDGET_SPENT, overBudget, WORK_UNITS } from './budget'
import type { BinaryString } from './bytes'
import type { LinkedChain } from './program'
import type { TransformFn } from './transformations/types'
import type { TxState } from './tx-state'
import type { Item } from './variables/item'

/**
 * The per-transaction transformation cache. Every prefix of every interned t: chain has a node
 * id (link.ts); the cache maps (input value, node id) -> output, so a value never goes through
 * the same chain prefix twice in a transaction: CRS runs t:urlDecodeUni,t:htmlEntityDecode,...
 * over the same ARGS in hundreds of rules, and chains sharing a prefix reuse its result.
 * Values are strings, so the key is the value itself (V8 caches string hashes; rules pass the
 * same string objects). Transformations are pure, so sharing results is always correct.
 * v2 has a similar cache (SecCacheTransformations, keyed by value pointer, cleared per phase).
 */

/** Cap on cached results per transaction (bounds memory on pathological requests). */
export const TCACHE_MAX_ENTRIES = 50000

/**
 * What the transaction knows about one value string: its results by chain node, and (for the
 * literal index, literal-scan.ts) the literal-pool offsets of itself and of those results. An item
 * keeps a reference to its value's memo (Item.memo, checked against the transaction), so the
 * hundreds of rules that visit the same item look the value string up once, not once each.
 */
export class ValueMemo {
  /**
   * Results by chain node, as parallel arrays searched linearly: a value meets a few dozen chain
   * prefixes at most, and small arrays allocate a fraction of what a Map does as it grows (the
   * transformation cache was the largest allocation of a benign GET).
   */
  private readonly nodes: number[] = []
  private readonly results: BinaryString[] = []
  /** literal-pool offset of the value itself (-1: not scanned yet) */
  self = -1
  /** literal-pool offsets of results, by chain node (parallel arrays, as above) */
  private offsetNodes: number[] | undefined = undefined
  private offsets: number[] | undefined = undefined
  /** TxState.serial of the transaction it belongs to (a number, so a memo kept by a shared item retains no transaction) */
  constructor(readonly serial: number) {}

  get(node: number): BinaryString | undefined {
    const nodes = this.nodes
    for (let i = 0; i < nodes.length; i++) if (nodes[i] === node) return this.results[i]
    return undefined
  }

  /**
   * The deepest prefix of a chain (its node ids, `chain`) that this memo holds, in one pass over
   * the entries (a value visited by many chains holds many; probing prefix by prefix cost a pass
   * each): the entry's index, or -1. `depth` is Program.chainNodeDepth.
   */
  deepest(chain: readonly number[], depth: Int32Array): number {
    const nodes = this.nodes
    const n = chain.length
    // the whole chain cached (the usual case: hundreds of rules share a few chains)
    const last = chain[n - 1]
    for (let i = 0; i < nodes.length; i++) if (nodes[i] === last) return i
    let best = -1
    let at = -1
    for (let i = 0; i < nodes.length; i++) {
      const x = nodes[i] as number
      const d = (depth[x] as number) - 1
      if (d > best && d < n && chain[d] === x) {
        best = d
        at = i
      }
    }
    return at
  }

  /** entry i (from deepest()): its chain node and result */
  nodeAt(i: number): number {
    return this.nodes[i] as number
  }

  resultAt(i: number): BinaryString {
    return this.results[i] as BinaryString
  }

  set(node: number, v: BinaryString): void {
    this.nodes.push(node)
    this.results.push(v)
  }

  /** the literal-pool offset of the result after `node`, or -1 */
  offsetOf(node: number): number {
    const nodes = this.offsetNodes
    if (nodes !== undefined)
      for (let i = 0; i < nodes.length; i++)
        if (nodes[i] === node) return (this.offsets as number[])[i] as number
    return -1
  }

  setOffset(node: number, off: number): void {
    if (this.offsetNodes === undefined) {
      this.offsetNodes = []
      this.offsets = []
    }
    this.offsetNodes.push(node)
    ;(this.offsets as number[]).push(off)
  }
}

/** The memo of an item's value in this transaction (undefined once the cache is full). */
export function memoOf(tx: TxState, it: Item): ValueMemo | undefined {
  const known = it.memo
  if (known !== undefined && known.serial === tx.serial) return known
  const memo = valueMemo(tx, it.value)
  if (memo !== undefined) it.memo = memo
  return memo
}

function valueMemo(tx: TxState, value: BinaryString): ValueMemo | undefined {
  let memo = tx.tcache.get(value)
  if (memo === undefined) {
    if (tx.tcacheEntries >= TCACHE_MAX_ENTRIES) return undefined
    memo = new ValueMemo(tx.serial)
    tx.tcache.set(value, memo)
  }
  return memo
}

/**
 * Intermediate values at least this long also share each transformation's result across chains
 * (keyed by the input string and the transformation): about 70 % of CRS's transformation calls
 * repeat an input another chain prefix produced (t:none,t:urlDecodeUni and
 * t:utf8toUnicode,t:urlDecodeUni on ASCII text), which costs for long values; for short ones the
 * lookup would cost about what the transformation does.
 */
export const SHARE_MIN_LENGTH = 256

/**
 * The item's value after the chain (cached by value and chain prefix). Throws BudgetSpent when
 * the inspection budget is spent before a step that is not cached yet.
 */
export function transformItem(tx: TxState, chain: LinkedChain, it: Item): BinaryString {
  if (chain.fns.length === 0) return it.value
  return run(tx, chain, it.value, memoOf(tx, it))
}

function run(
  tx: TxState,
  chain: LinkedChain,
  value: BinaryString,
  memo: ValueMemo | undefined,
): BinaryString {
  const n = chain.fns.length
  const nodes = chain.nodes
  let v = value
  let k = 0
  const m = memo
  const depth = tx.program.chainNodeDepth
  if (m !== undefined) {
    const at = m.deepest(nodes, depth)
    if (at >= 0) {
      v = m.resultAt(at)
      k = depth[m.nodeAt(at)] as number
      if (k === n) return v
    }
  }
  for (; k < n; k++) {
    v = step(tx, chain, k, v, v === value ? m : undefined)
    if (m !== undefined && tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
      m.set(nodes[k] as number, v)
      tx.tcacheEntries++
    }
  }
  return v
}

/**
 * Step k of the chain on `v`: the transformation's result for this input string when a chain
 * already computed it (the input's memo `own`, or for long inputs their own memo), else computed
 * and recorded there. Throws BudgetSpent when it would compute with the budget spent.
 */
function step(
  tx: TxState,
  chain: LinkedChain,
  k: number,
  v: BinaryString,
  own: ValueMemo | undefined,
): BinaryString {
  const single = chain.singles[k] as number
  // short inputs: the lookup would cost about what the transformation does, and the extra
  // entries would grow every memo
  const vm =
    v.length < SHARE_MIN_LENGTH ? undefined : own !== undefined ? (k > 0 ? own : undefined) : valueMemo(tx, v)
  if (vm !== undefined) {
    const hit = vm.get(single)
    if (hit !== undefined) return hit
  }
  if (overBudget(tx)) throw BUDGET_SPENT
  tx.work += v.length * WORK_UNITS.transformByte + WORK_UNITS.transformCall
  const out = (chain.fns[k] as TransformFn)(v, tx.program.transformEnv)
  if (vm !== undefined && tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
    vm.set(single, out)
    tx.tcacheEntries++
  }
  return out
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
  const node = chain.nodes[k] as number
  const m = memoOf(tx, it)
  if (m !== undefined) {
    const hit = m.get(node)
    if (hit !== undefined) return hit
  }
  const v = step(tx, chain, k, prev, prev === it.value ? m : undefined)
  if (m !== undefined && tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
    m.set(node, v)
    tx.tcacheEntries++
  }
  return v
}
