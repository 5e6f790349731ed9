import { WORK_UNITS } from './budget'
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
  let memo = tx.tcache.get(it.value)
  if (memo === undefined) {
    if (tx.tcacheEntries >= TCACHE_MAX_ENTRIES) return undefined
    memo = new ValueMemo(tx.serial)
    tx.tcache.set(it.value, memo)
  }
  it.memo = memo
  return memo
}

/** The item's value after the chain (cached by value and chain prefix). */
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
  const fns = chain.fns
  const n = fns.length
  const nodes = chain.nodes
  let v = value
  let k = 0
  const m = memo
  if (m !== undefined) {
    const hit = m.get(nodes[n - 1] as number)
    if (hit !== undefined) return hit
    for (let j = n - 2; j >= 0; j--) {
      const h = m.get(nodes[j] as number)
      if (h !== undefined) {
        v = h
        k = j + 1
        break
      }
    }
  }
  const env = tx.program.transformEnv
  for (; k < n; k++) {
    tx.work += v.length * WORK_UNITS.transformByte + WORK_UNITS.transformCall
    v = (fns[k] as TransformFn)(v, env)
    if (m !== undefined && tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
      m.set(nodes[k] as number, v)
      tx.tcacheEntries++
    }
  }
  return v
}

/**
 * One step for multiMatch: the value after step k, given the value after step k-1 (`prev`) and
 * the item (whose value is the cache key). Cached like transform().
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
  tx.work += prev.length * WORK_UNITS.transformByte + WORK_UNITS.transformCall
  const v = (chain.fns[k] as TransformFn)(prev, tx.program.transformEnv)
  if (m !== undefined && tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
    m.set(node, v)
    tx.tcacheEntries++
  }
  return v
}
