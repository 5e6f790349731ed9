/**
 * `npm run bench -- --profile`: which rules, operators and transformations cost most for each
 * request. The program is linked a second time with LoadOptions.profiler (src/engine/program.ts
 * EngineProfiler): every transformation and operator is wrapped in a timer and the rule loop
 * times each rule. The timers themselves cost ~0.05 us per call, so the shares are what matters,
 * not the absolute numbers (those come from the unprofiled run).
 */
import type { EngineProfiler, Program } from '../../src/engine/index'
import { loadProgram } from '../../src/engine/index'
import type { Bundle } from '../../src/bundle/schema'
import { runTransaction, type BenchRequest } from './setup'

interface Acc {
  n: number
  t: number
}

type LinkedRuleLike = Parameters<EngineProfiler['rule']>[0]

export class BenchProfiler implements EngineProfiler {
  readonly rules = new Map<LinkedRuleLike, Acc>()
  readonly operators = new Map<LinkedRuleLike, Acc>()
  readonly transformations = new Map<string, Acc>()

  now(): number {
    return performance.now()
  }
  rule(rule: LinkedRuleLike, time: number): void {
    add(this.rules, rule, time)
  }
  operator(rule: LinkedRuleLike, time: number): void {
    add(this.operators, rule, time)
  }
  transformation(name: string, time: number): void {
    add(this.transformations, name, time)
  }
  reset(): void {
    this.rules.clear()
    this.operators.clear()
    this.transformations.clear()
  }
}

function add<K>(m: Map<K, Acc>, k: K, t: number): void {
  const a = m.get(k)
  if (a === undefined) m.set(k, { n: 1, t })
  else {
    a.n++
    a.t += t
  }
}

export interface ProfileRow {
  what: string
  /** microseconds per transaction */
  us: number
  /** calls per transaction */
  calls: number
  share: number
}

export interface RequestProfile {
  total_us: number
  rules: ProfileRow[]
  operators: ProfileRow[]
  transformations: ProfileRow[]
}

function rows<K>(
  m: Map<K, Acc>,
  name: (k: K) => string,
  txs: number,
  total: number,
  top: number,
): ProfileRow[] {
  return [...m]
    .sort((a, b) => b[1].t - a[1].t)
    .slice(0, top)
    .map(([k, a]) => ({
      what: name(k),
      us: Math.round(((a.t * 1000) / txs) * 10) / 10,
      calls: Math.round((a.n / txs) * 10) / 10,
      share: Math.round(((a.t * 1000) / txs / total) * 1000) / 10,
    }))
}

function ruleName(r: LinkedRuleLike): string {
  const rx = r.op.params?.kind === 'rx' ? r.op.params.regex : undefined
  const how =
    rx === undefined
      ? ''
      : ` [${rx.engine === 'linear' ? 're2js' : rx.lengthCap !== undefined ? `v8<=${rx.lengthCap}` : 'v8'}${rx.prefilter !== undefined ? '+prefilter' : ''}]`
  return `${r.head.id}${r.isLink ? ' (chain link)' : ''} @${r.op.name}${how}`
}

export function profileRequests(
  bundle: Bundle,
  requests: readonly BenchRequest[],
  opts: { n: number; warmup: number; top: number },
): RequestProfile[] {
  const prof = new BenchProfiler()
  const program: Program = loadProgram(bundle, { profiler: prof })
  const out: RequestProfile[] = []
  for (const r of requests) {
    for (let i = 0; i < opts.warmup; i++) runTransaction(program, r)
    prof.reset()
    const t0 = performance.now()
    for (let i = 0; i < opts.n; i++) runTransaction(program, r)
    const total = ((performance.now() - t0) * 1000) / opts.n
    out.push({
      total_us: Math.round(total),
      rules: rows(prof.rules, ruleName, opts.n, total, opts.top),
      operators: rows(prof.operators, ruleName, opts.n, total, opts.top),
      transformations: rows(prof.transformations, (k) => 't:' + k, opts.n, total, opts.top),
    })
  }
  return out
}

export function formatProfile(name: string, p: RequestProfile): string {
  const lines = [`== ${name}: ${p.total_us} us per transaction with timers (shares of that)`]
  const section = (title: string, list: ProfileRow[]): void => {
    lines.push(`  ${title}`)
    for (const r of list)
      lines.push(
        `    ${r.us.toFixed(1).padStart(8)} us ${String(r.share).padStart(5)}%  ${String(r.calls).padStart(7)} calls  ${r.what}`,
      )
  }
  section('rules (inclusive: targets, transformations, operator, actions)', p.rules)
  section('operators', p.operators)
  section('transformations (computed; cache hits are free)', p.transformations)
  return lines.join('\n')
}
