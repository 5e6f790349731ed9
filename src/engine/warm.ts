import { regexOfOperator } from './operators/rx'
import type { LinkedRule, Program } from './program'
import { linkOperator } from './rule-eval'

export interface WarmReport {
  /** operators linked (every rule and chain link) */
  operators: number
  /** @rx regexes compiled and run (their engines, prefilter and, for V8, native code) */
  regexes: number
  /** key-selector regexes (ARGS:/.../) run once each */
  selectors: number
}

/**
 * Isolate start-up (module scope of the Worker, where the start-up CPU limit is generous): link
 * every operator now and compile every regex, so that the first request pays none of it. Without
 * this, operators link on first use and V8 compiles each RegExp on its first two execs (bytecode,
 * then native code): 60-130 ms of compiles landed on an isolate's first requests (bench: cold
 * start). Optional: nothing depends on it, it only moves work earlier. Never throws.
 */
export function warmProgram(program: Program): WarmReport {
  const report: WarmReport = { operators: 0, regexes: 0, selectors: 0 }
  for (let p = 0; p < program.phases.length; p++) {
    const rules = program.phases[p] ?? []
    for (let i = 0; i < rules.length; i++) {
      for (let r: LinkedRule | undefined = rules[i]; r !== undefined; r = r.next) warmRule(r, report)
    }
  }
  return report
}

function warmRule(r: LinkedRule, report: WarmReport): void {
  if (r.marker !== undefined) return
  const fn = linkOperator(r)
  report.operators++
  const re = regexOfOperator(fn)
  if (re !== undefined) {
    re.warm()
    report.regexes++
  }
  for (let t = 0; t < r.targets.length; t++) {
    const rx = r.targets[t]?.rx
    if (rx === undefined) continue
    try {
      rx.lastIndex = 0
      rx.test('x')
      rx.test('x')
      report.selectors++
    } catch {
      // total: the selector runs (and fails) the same way on a request
    }
  }
}
