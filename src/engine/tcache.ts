import { WORK_UNITS } from './budget'
import type { BinaryString } from './bytes'
import type { LinkedChain } from './program'
import type { TransformFn } from './transformations/types'
import type { TxState } from './tx-state'

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

export function transform(tx: TxState, chain: LinkedChain, value: BinaryString): BinaryString {
  const fns = chain.fns
  const n = fns.length
  if (n === 0) return value
  const nodes = chain.nodes
  let m = tx.tcache.get(value)
  let v = value
  let k = 0
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
  } else if (tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
    m = new Map()
    tx.tcache.set(value, m)
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
 * the original input (the cache key). Cached like transform().
 */
export function transformStep(
  tx: TxState,
  chain: LinkedChain,
  original: BinaryString,
  k: number,
  prev: BinaryString,
): BinaryString {
  const node = chain.nodes[k] as number
  let m = tx.tcache.get(original)
  if (m !== undefined) {
    const hit = m.get(node)
    if (hit !== undefined) return hit
  } else if (tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
    m = new Map()
    tx.tcache.set(original, m)
  }
  tx.work += prev.length * WORK_UNITS.transformByte + WORK_UNITS.transformCall
  const v = (chain.fns[k] as TransformFn)(prev, tx.program.transformEnv)
  if (m !== undefined && tx.tcacheEntries < TCACHE_MAX_ENTRIES) {
    m.set(node, v)
    tx.tcacheEntries++
  }
  return v
}
