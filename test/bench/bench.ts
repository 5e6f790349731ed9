/**
 * `npm run bench [-- options]`: CRS through the whole engine (phases 1-5) on the four requests
 * ModSecurity was measured with (test/bench/requests, from shared/bench). See test/bench/README.md.
 *
 *   --json              one JSON object on stdout (no table)
 *   --pl 1,2,3,4        paranoia levels (default all; PL1 is the targeted one)
 *   --n 2000            timed transactions per request (after --warmup 300)
 *   --profile           the costliest rules, operators and transformations per request (PL1)
 *   --worst             the worst-case corpus at PL1 and PL4 (worst.ts) instead of the bench
 *   --runs 5            runs per worst-case request (its figure is their median)
 *   --no-cold           skip the cold-start measurement
 *   --write-baseline    also write test/bench/baseline.json
 */
import { cpus, loadavg, totalmem } from 'node:os'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadProgram, type Program } from '../../src/engine/index'
import { measureColdStart, type ColdReport } from './cold'
import { measureCpu, measureHeap, type CpuStats } from './measure'
import { formatProfile, profileRequests } from './profile'
import {
  CASES,
  compileBench,
  crsDir,
  loadRequests,
  outcomeOf,
  ROOT,
  runTransaction,
  type CaseName,
} from './setup'
import { redosCases, runWorst, syntheticCases, type WorstRow } from './worst'

interface Options {
  json: boolean
  pls: number[]
  n: number
  warmup: number
  profile: boolean
  worst: boolean
  /** runs per worst-case request (its figure is their median) */
  worstRuns: number
  cold: boolean
  writeBaseline: boolean
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    json: false,
    pls: [1, 2, 3, 4],
    n: 2000,
    warmup: 300,
    profile: false,
    worst: false,
    worstRuns: 5,
    cold: true,
    writeBaseline: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${a} needs a value`)
      return v
    }
    if (a === '--json') o.json = true
    else if (a === '--pl') o.pls = next().split(',').map(Number)
    else if (a === '--n') o.n = Number(next())
    else if (a === '--warmup') o.warmup = Number(next())
    else if (a === '--profile') o.profile = true
    else if (a === '--worst') o.worst = true
    else if (a === '--runs') o.worstRuns = Number(next())
    else if (a === '--no-cold') o.cold = false
    else if (a === '--write-baseline') o.writeBaseline = true
    else throw new Error(`unknown option ${a}`)
  }
  return o
}

export interface CaseResult {
  median_us: number
  p99_us: number
  mean_us: number
  wall_median_us: number
  heap_bytes: number | null
  status: number
  fired: number[]
}

/** Targets of the performance issue (PL1) and ModSecurity's own figures on this machine type. */
const TARGET_US: Record<CaseName, number> = { get: 250, form: 600, json: 2000, sqli: 250 }
const HEAP_TARGET_GET = 64 * 1024
const MODSEC_MS: Record<CaseName, [number, number]> = {
  get: [3.39, 2.95],
  form: [8.47, 5.68],
  json: [44.3, 21.7],
  sqli: [2.44, 2.68],
}

function machine(): Record<string, unknown> {
  const c = cpus()
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    load_average_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
  }
}

function log(o: Options, s: string): void {
  if (!o.json) process.stdout.write(s + '\n')
  else process.stderr.write(s + '\n')
}

/** test/bench/modsec-fired.json: what ModSecurity 2.9.7 logged, by paranoia level and request. */
function modsecFired(pl: number): Record<string, number[]> | undefined {
  const p = resolve(ROOT, 'test/bench/modsec-fired.json')
  if (!existsSync(p)) return undefined
  return (JSON.parse(readFileSync(p, 'utf8')) as Record<string, Record<string, number[]> | undefined>)[
    'pl' + pl
  ]
}

/** the same ids in the same order, repeats included */
const sameIds = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

async function benchPl(
  o: Options,
  pl: number,
): Promise<{ program: Program; results: Record<CaseName, CaseResult> }> {
  const t0 = performance.now()
  const bundle = compileBench(pl)
  const t1 = performance.now()
  const program = loadProgram(bundle)
  log(o, `PL${pl}: compiled in ${Math.round(t1 - t0)} ms, linked in ${Math.round(performance.now() - t1)} ms`)
  const reqs = loadRequests()
  const list = CASES.map((c) => reqs[c])
  const cpu: CpuStats[] = measureCpu(program, list, { n: o.n, warmup: o.warmup })
  const results = {} as Record<CaseName, CaseResult>
  for (let i = 0; i < CASES.length; i++) {
    const c = CASES[i] as CaseName
    const s = cpu[i] as CpuStats
    const outcome = outcomeOf(runTransaction(program, reqs[c]))
    results[c] = {
      median_us: s.median_us,
      p99_us: s.p99_us,
      mean_us: s.mean_us,
      wall_median_us: s.wall_median_us,
      heap_bytes: await measureHeap(program, reqs[c]),
      status: outcome.status,
      fired: outcome.fired,
    }
  }
  return { program, results }
}

function table(pl: number, r: Record<CaseName, CaseResult>): string {
  const modsec = modsecFired(pl)
  const lines = [
    `PL${pl}   median us   p99 us   heap KB   status  fired (logged rule ids)${pl === 1 ? '                 target   ModSecurity 2.9.7 / v3' : ''}`,
  ]
  for (const c of CASES) {
    const x = r[c]
    let fired = x.fired.join(' ') || '-'
    if (modsec?.[c] !== undefined)
      fired += sameIds(x.fired, modsec[c])
        ? ' (= ModSecurity)'
        : ` (ModSecurity: ${modsec[c].join(' ') || '-'})`
    let line = `${c.padEnd(5)} ${String(x.median_us).padStart(10)} ${String(x.p99_us).padStart(8)} ${(x.heap_bytes === null ? '-' : (x.heap_bytes / 1024).toFixed(1)).padStart(9)} ${String(x.status).padStart(8)}  ${fired.padEnd(40)}`
    if (pl === 1) {
      const ok = x.median_us <= TARGET_US[c] ? 'ok' : 'OVER'
      const [v2, v3] = MODSEC_MS[c]
      line +=
        ` <=${TARGET_US[c]} ${ok}`.padEnd(13) + `${(v2 * 1000).toFixed(0)} / ${(v3 * 1000).toFixed(0)} us`
    }
    lines.push(line)
  }
  if (pl === 1) {
    const h = r.get.heap_bytes
    lines.push(
      `heap per benign GET: ${h === null ? 'n/a (run with --expose-gc)' : (h / 1024).toFixed(1) + ' KB'} (target <= ${HEAP_TARGET_GET / 1024} KB)`,
    )
  }
  return lines.join('\n')
}

function coldTable(c: ColdReport): string {
  const f = (s: ColdReport['with_warmup']): string =>
    `import ${s.import_ms} ms, link ${s.link_ms} ms${s.warm_ms !== undefined ? `, warmProgram ${s.warm_ms} ms` : ''}; first requests: ` +
    Object.entries(s.first_ms)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ') +
    `; second GET ${s.second_get_ms} ms`
  return [
    `cold start (PL1, median of ${c.runs} fresh processes; engine bundle ${Math.round(c.engine_bundle_bytes / 1024)} KB, rules ${Math.round(c.rule_bundle_bytes / 1024)} KB):`,
    `  without warm-up: ${f(c.without_warmup)}`,
    `  with warm-up:    ${f(c.with_warmup)}`,
  ].join('\n')
}

async function worst(
  o: Options,
): Promise<Record<string, { max_us: number; over_10ms: number; slowest: WorstRow[] }>> {
  const cases = [...syntheticCases(), ...redosCases()]
  const out: Record<string, { max_us: number; over_10ms: number; slowest: WorstRow[] }> = {}
  for (const pl of o.pls.includes(1) && o.pls.length === 4 ? [1, 4] : o.pls) {
    const program = loadProgram(compileBench(pl))
    const t0 = performance.now()
    const rows = runWorst(program, cases, o.worstRuns)
    const over = rows.filter((r) => r.cpu_us > 10000).length
    out['pl' + pl] = { max_us: rows[0]?.cpu_us ?? 0, over_10ms: over, slowest: rows.slice(0, 15) }
    log(
      o,
      `worst case PL${pl}: ${cases.length} requests in ${Math.round(performance.now() - t0)} ms; max ${rows[0]?.cpu_us} us (${rows[0]?.name}); over 10 ms: ${over}`,
    )
    const first = rows.map((r) => r.runs_us[0] ?? 0).sort((a, b) => b - a)
    log(
      o,
      `  first runs: max ${first[0]} us, over 10 ms: ${first.filter((x) => x > 10000).length} (V8 tier-up, see README "Worst case")`,
    )
    for (const r of rows.slice(0, 15))
      log(o, `  ${String(r.cpu_us).padStart(8)} us  ${r.status}  ${r.name}  [${r.runs_us.join(' ')}]`)
  }
  return out
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2))
  log(o, `CRS: ${crsDir()}`)
  if (o.worst) {
    const w = await worst(o)
    if (o.json) process.stdout.write(JSON.stringify(w) + '\n')
    return Object.values(w).some((x) => x.over_10ms > 0) && w.pl1 !== undefined && w.pl1.over_10ms > 0 ? 1 : 0
  }
  if (o.profile) {
    const pl = o.pls[0] ?? 1
    const reqs = loadRequests()
    const prof = profileRequests(
      compileBench(pl),
      CASES.map((c) => reqs[c]),
      { n: Math.min(o.n, 500), warmup: 100, top: 15 },
    )
    if (o.json)
      process.stdout.write(JSON.stringify(Object.fromEntries(CASES.map((c, i) => [c, prof[i]]))) + '\n')
    else
      CASES.forEach((c, i) =>
        log(o, formatProfile(`PL${pl} ${c}`, prof[i] as NonNullable<(typeof prof)[number]>)),
      )
    return 0
  }
  const out: Record<string, unknown> = {
    machine: machine(),
    method:
      'process.cpuUsage (user+system) around each transaction, phases 1-5, interleaved rounds; heap: heapUsed delta over 8 transactions in a row after gc(), per transaction, GC-free windows',
  }
  let firedOk = true
  for (const pl of o.pls) {
    const { results } = await benchPl(o, pl)
    out['pl' + pl] = results
    log(o, table(pl, results))
    const modsec = modsecFired(pl)
    if (modsec !== undefined)
      for (const c of CASES) if (!sameIds(results[c].fired, modsec[c] ?? [])) firedOk = false
  }
  out.fired_matches_modsecurity = firedOk
  if (o.cold) {
    const reqs = loadRequests()
    const c = await measureColdStart(compileBench(1), reqs, 5)
    out.cold = c
    log(o, coldTable(c))
  }
  if (o.json) process.stdout.write(JSON.stringify(out) + '\n')
  if (o.writeBaseline) {
    writeFileSync(resolve(ROOT, 'test/bench/baseline.json'), JSON.stringify(out, null, 1) + '\n')
    log(o, 'wrote test/bench/baseline.json')
  }
  return firedOk ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = 2
  },
)
