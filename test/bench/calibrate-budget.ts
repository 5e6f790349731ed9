/**
 * Calibration of the inspection budget's work units (src/engine/budget.ts WORK_UNITS):
 * counts each event kind per request (one kind weighted 1, the others 0), measures the CPU of
 * each request (median of runs, no budget), fits CPU ~ sum(weight * count) by non-negative least
 * squares, and prints the weights scaled to a 5 ns unit with, per request, the CPU per unit
 * under the current and the fitted weights. Not part of CI (it times things).
 *
 *   node --import tsx test/bench/calibrate-budget.ts [--runs 5] [--filter text] [--pl 1] [--out rows.json]
 */
import { writeFileSync } from 'node:fs'
import { compileBench, loadRequests, runTransaction, type BenchRequest } from './setup'
import { redosCases, syntheticCases } from './worst'
import { loadProgram, warmProgram, type Program } from '../../src/engine/index'
import { WORK_UNITS } from '../../src/engine/budget'

type Kind = keyof typeof WORK_UNITS
const KINDS = Object.keys(WORK_UNITS) as Kind[]
const CURRENT = { ...WORK_UNITS }
const arg = (name: string, d: string): string => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? (process.argv[i + 1] ?? d) : d
}
const runs = Number(arg('--runs', '5'))
const filter = arg('--filter', '')

function workOf(program: Program, r: BenchRequest): number {
  return runTransaction(program, r).state.work
}

interface Row {
  name: string
  counts: number[]
  ms: number
}

const rows: Row[] = []
const bench = loadRequests()
const cases: BenchRequest[] = [
  ...Object.values(bench),
  ...syntheticCases(),
  ...redosCases().filter((_, i) => i % 6 === 0),
].filter((c) => filter === '' || c.name.includes(filter))
const pls = arg('--pl', '1,4').split(',').map(Number)
for (const pl of pls) {
  const program = loadProgram(compileBench(pl), { inspectionBudget: Infinity })
  warmProgram(program)
  for (const c of cases) {
    const counts: number[] = []
    for (const k of KINDS) {
      for (const j of KINDS) WORK_UNITS[j] = j === k ? 1 : 0
      counts.push(workOf(program, c))
    }
    Object.assign(WORK_UNITS, CURRENT)
    // steady state, as in a warm isolate: two runs first (V8 tiers regexes and code up on use),
    // then the fastest of `runs`. A run's time is the smaller of process CPU and wall time: the
    // process's CPU also counts V8's background threads (concurrent compilation, GC marking and
    // sweeping), which are not the request's thread (see worst.ts runWorst)
    runTransaction(program, c)
    runTransaction(program, c)
    let best = Infinity
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage()
      const w0 = performance.now()
      runTransaction(program, c)
      const w = performance.now() - w0
      const d = process.cpuUsage(c0)
      best = Math.min(best, (d.user + d.system) / 1000, w)
    }
    const t = [best]
    rows.push({ name: `PL${pl} ${c.name}`, counts, ms: t[0] as number })
  }
}

/** non-negative least squares by projected coordinate descent (few variables) */
function nnls(A: number[][], b: number[]): number[] {
  const k = A[0]?.length ?? 0
  const x = new Array<number>(k).fill(0)
  // relative error: weight each row by 1/b so small requests count as much as big ones
  const W = b.map((v) => 1 / Math.max(v, 0.05))
  for (let it = 0; it < 20000; it++) {
    for (let j = 0; j < k; j++) {
      let num = 0
      let den = 0
      for (let i = 0; i < A.length; i++) {
        const row = A[i] as number[]
        const w = (W[i] as number) ** 2
        let pred = 0
        for (let q = 0; q < k; q++) if (q !== j) pred += (row[q] as number) * (x[q] as number)
        num += w * (row[j] as number) * ((b[i] as number) - pred)
        den += w * (row[j] as number) ** 2
      }
      x[j] = den > 0 ? Math.max(0, num / den) : 0
    }
  }
  return x
}

const out = arg('--out', '')
if (out !== '') writeFileSync(out, JSON.stringify({ kinds: KINDS, rows }))
const x = nnls(
  rows.map((r) => r.counts),
  rows.map((r) => r.ms),
)
const unitMs = 5e-6
const fitted = Object.fromEntries(KINDS.map((k, j) => [k, Math.round((x[j] as number) / unitMs)]))
console.log('fitted weights (5 ns units):', JSON.stringify(fitted))
const ratio = (r: Row, w: Record<string, number>): number =>
  r.ms / (r.counts.reduce((a, c, j) => a + c * (w[KINDS[j] as string] as number), 0) * unitMs)
const report = rows
  .map((r) => ({ r, cur: ratio(r, CURRENT), fit: ratio(r, fitted) }))
  .sort((a, b) => b.fit - a.fit)
for (const { r, cur, fit } of report.slice(0, 25))
  console.log(
    `${r.ms.toFixed(2).padStart(8)} ms  cpu/predicted: current ${cur.toFixed(2)}, fitted ${fit.toFixed(2)}  ${r.name}`,
  )
console.log(
  `max cpu/predicted: current ${Math.max(...report.map((x) => x.cur)).toFixed(2)}, fitted ${Math.max(...report.map((x) => x.fit)).toFixed(2)}`,
)
