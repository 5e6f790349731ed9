/**
 * How the bench measures (Node, same V8 family as workerd):
 * - CPU: process.cpuUsage() (user + system, microsecond resolution) read before and after each
 *   transaction, on an otherwise idle event loop (synchronous loop, no I/O). It counts only the
 *   time this process ran, so other load on a shared machine does not inflate it the way a wall
 *   clock would (performance.now() is recorded too, as `wall`). It includes V8's helper threads
 *   (concurrent GC marking, compilers), which is CPU the request caused.
 * - Cases are interleaved in rounds (get, form, json, sqli, get, ...) so slow spells of the
 *   machine spread over all of them; median and p99 over all rounds.
 * - Heap: bytes allocated per transaction, not retained: gc(), heapUsed, HEAP_WINDOW
 *   transactions in a row, heapUsed again, divided by their number (V8 frees nothing in between
 *   unless a GC runs; windows during which a GC ran are dropped, detected with a
 *   PerformanceObserver on 'gc' entries); the median window. A window of several transactions
 *   spreads what the JIT allocates after the forced GC (one transaction alone read 60 or 130 KB
 *   from run to run) and, like a Worker's steady state, reuses what the previous transaction
 *   handed back (tx-scratch.ts). Needs --expose-gc.
 */
import { PerformanceObserver } from 'node:perf_hooks'
import type { Program } from '../../src/engine/index'
import { runTransaction, type BenchRequest } from './setup'

export interface CpuStats {
  median_us: number
  p99_us: number
  mean_us: number
  max_us: number
  wall_median_us: number
  n: number
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  return sorted[i] as number
}

export function stats(cpu: number[], wall: number[]): CpuStats {
  const c = [...cpu].sort((a, b) => a - b)
  const w = [...wall].sort((a, b) => a - b)
  let sum = 0
  for (const x of c) sum += x
  return {
    median_us: percentile(c, 0.5),
    p99_us: percentile(c, 0.99),
    mean_us: Math.round((sum / c.length) * 10) / 10,
    max_us: c[c.length - 1] ?? NaN,
    wall_median_us: Math.round(percentile(w, 0.5) * 10) / 10,
    n: c.length,
  }
}

/** CPU and wall time of one transaction, microseconds. */
export function timeOne(program: Program, r: BenchRequest): [number, number] {
  const w0 = performance.now()
  const c0 = process.cpuUsage()
  runTransaction(program, r)
  const c = process.cpuUsage(c0)
  const w = performance.now() - w0
  return [c.user + c.system, w * 1000]
}

/**
 * `n` timed transactions per request after `warmup` untimed ones, interleaved in rounds of
 * `round` transactions per request.
 */
export function measureCpu(
  program: Program,
  requests: readonly BenchRequest[],
  opts: { n: number; warmup: number; round?: number },
): CpuStats[] {
  for (let i = 0; i < opts.warmup; i++) for (const r of requests) runTransaction(program, r)
  const cpu: number[][] = requests.map(() => [])
  const wall: number[][] = requests.map(() => [])
  const round = opts.round ?? 100
  for (let done = 0; done < opts.n; done += round) {
    const k = Math.min(round, opts.n - done)
    for (let q = 0; q < requests.length; q++) {
      const r = requests[q] as BenchRequest
      const c = cpu[q] as number[]
      const w = wall[q] as number[]
      for (let i = 0; i < k; i++) {
        const [cu, wu] = timeOne(program, r)
        c.push(cu)
        w.push(wu)
      }
    }
  }
  return requests.map((_, q) => stats(cpu[q] as number[], wall[q] as number[]))
}

declare const gc: (() => void) | undefined

/** transactions per heap window (see above) */
export const HEAP_WINDOW = 8

/** Median bytes allocated per transaction (null without --expose-gc). */
export async function measureHeap(program: Program, r: BenchRequest, samples = 25): Promise<number | null> {
  if (typeof gc !== 'function') return null
  const gcs: number[] = []
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push(e.startTime)
  })
  obs.observe({ entryTypes: ['gc'] })
  const windows: [number, number, number][] = []
  for (let s = 0; s < samples; s++) {
    gc()
    const t0 = performance.now()
    const h0 = process.memoryUsage().heapUsed
    for (let k = 0; k < HEAP_WINDOW; k++) runTransaction(program, r)
    const h1 = process.memoryUsage().heapUsed
    windows.push([t0, performance.now(), h1 - h0])
  }
  // the observer is called asynchronously: let it catch up
  await new Promise((res) => setTimeout(res, 50))
  obs.disconnect()
  // the cost of reading heapUsed itself (an object per call)
  gc()
  const b0 = process.memoryUsage().heapUsed
  const b1 = process.memoryUsage().heapUsed
  const base = b1 - b0
  const kept = windows
    .filter(([a, b]) => !gcs.some((t) => t > a && t < b))
    .map(([, , d]) => (d - base) / HEAP_WINDOW)
    .sort((x, y) => x - y)
  if (kept.length === 0) return null
  return percentile(kept, 0.5)
}
