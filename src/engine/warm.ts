import type { Template } from '../bundle/schema'
import { regexOfOperator } from './operators/rx'
import type { LinkedRule, Program } from './program'
import { linkOperator } from './rule-eval'
import { trainProgram } from './train'

export interface WarmReport {
  /** operators linked (every rule and chain link that was considered) */
  operators: number
  /** @rx regexes compiled and run (their engines, prefilter and, for V8, native code) */
  regexes: number
  /** key-selector regexes (ARGS:/.../) run once each */
  selectors: number
  /** @pm / @pmFromFile automata built */
  phrases: number
  /** bytes of patterns and phrase lists warmed (see WarmOptions.budget) */
  bytes: number
  /** costly operators (@rx, @pm...) left to their first use: above the paranoia level or over the budget */
  skipped: number
  /** the paranoia level warmed up to (rules tagged paranoia-level/N above it were left); null: all */
  paranoiaLevel: number | null
  /** JIT training transactions run after the compiles (WarmOptions.train, train.ts) */
  trained: number
}

/**
 * What warmProgram does. Without options it warms everything (every operator, every regex with
 * every engine it may use), which for CRS costs about a second of CPU: fine in Node, too much for
 * a Worker's global scope (Workers' startup limit is 1 s, README "Cold start"). The Worker passes
 * a paranoia level and a budget instead.
 */
export interface WarmOptions {
  /**
   * Leave the rules tagged `paranoia-level/N` (CRS's tag) with N above this: CRS skips them at
   * lower levels, so their compilation would never be used. 'auto': the level the rule set
   * configures (configuredParanoiaLevel). Default: no level, every rule.
   */
  paranoiaLevel?: number | 'auto'
  /**
   * Most bytes to warm, costliest operators first (an operator that does not fit is left and
   * smaller ones still fill the budget). An operator's cost is the size of what it compiles: the
   * pattern (V8 source, or the RE2 form for the linear-time engine; both with `fallbacks`) and its
   * prefilter literals, or the phrase list of a @pm / @pmFromFile. Measured in Node, all three cost about the same per byte
   * (1.1-1.5 µs; CRS PL1: 381 KB). A count of bytes, not a clock: Date.now() does not advance
   * during CPU work in workerd, and the plan must not depend on the machine. Default: no limit.
   */
  budget?: number
  /**
   * Also build the linear-time engine of V8 patterns, which only subjects over the pattern's
   * length cap use. Default true with no budget, false with one.
   */
  fallbacks?: boolean
  /**
   * Text of typical requests (binary string: header values, query, bodies, a page). Within the
   * budget, operators that such requests reach come first: phrase lists, regexes without a
   * prefilter, and regexes one of whose prefilter literals occurs in the sample (their engine
   * would compile on such a request); the rest follow, each group costliest first.
   */
  sample?: string
  /**
   * Rounds of JIT training after the compiles (train.ts): synthetic transactions whose values
   * hold every byte class and escape syntax, so that the engine's own loops are optimised with
   * complete type feedback before the first request. Its transactions reach every operator of
   * the rules they run (compiling what a budget or a paranoia level left out), so it belongs with
   * a full warm-up: default 2 without budget and paranoia level, else 0. About 0.2-0.5 s of CPU
   * with CRS in Node, too much beside `all` for Workers' startup limit (README "Cold start").
   */
  train?: number
}

/** the tag CRS puts on each rule of a paranoia level */
const PL_TAG = /^paranoia-level\/(\d+)$/
const DIGITS = /^\d+$/
/** the TX variables that decide which CRS levels run (v4: blocking/detection; v3: paranoia_level/executing) */
const PL_VARS = new Set([
  'blocking_paranoia_level',
  'detection_paranoia_level',
  'paranoia_level',
  'executing_paranoia_level',
])

/**
 * Isolate start-up (module scope of the Worker): link operators and compile regexes now, so that
 * the first requests pay none of it. Without this, operators link on first use (a @pmFromFile
 * automaton: up to ~100 ms for CRS's largest list) and V8 compiles each RegExp on its first two
 * execs (bytecode, then native code), re2js on its first use (up to ~40 ms for the largest
 * pattern): hundreds of ms landed on an isolate's first requests (bench: cold start). Optional:
 * nothing depends on it, it only moves work earlier. Deterministic: the same program and options
 * warm the same operators on every machine. Never throws.
 */
export function warmProgram(program: Program, options: WarmOptions = {}): WarmReport {
  const level = options.paranoiaLevel === 'auto' ? configuredParanoiaLevel(program) : options.paranoiaLevel
  const budget = options.budget ?? Infinity
  const fallbacks = options.fallbacks ?? budget === Infinity
  const report: WarmReport = {
    operators: 0,
    regexes: 0,
    selectors: 0,
    phrases: 0,
    bytes: 0,
    skipped: 0,
    paranoiaLevel: level ?? null,
    trained: 0,
  }
  // the literal index (regex/literal-index.ts) serves every request's first rules: always built,
  // outside the byte budget (~60-120 ms with CRS's phrase and command lists)
  program.literals?.prepare()
  const sample = options.sample === undefined ? undefined : asciiLower(options.sample)
  // costly operators in rule order, then sorted (stable: ties keep rule order)
  const costly: { r: LinkedRule; cost: number; likely: boolean }[] = []
  for (let p = 0; p < program.phases.length; p++) {
    const rules = program.phases[p] ?? []
    for (let i = 0; i < rules.length; i++) {
      const head = rules[i]
      if (head === undefined || head.marker !== undefined) continue
      const above = level !== undefined && ruleLevel(head) > level
      for (let r: LinkedRule | undefined = head; r !== undefined; r = r.next) {
        const cost = warmCost(r, fallbacks)
        if (above) {
          if (cost > 0) report.skipped++
          continue
        }
        if (cost > 0) costly.push({ r, cost, likely: sample === undefined || reached(r, sample) })
        else linkCheap(r, report)
        warmSelectors(r, report)
      }
    }
  }
  costly.sort((a, b) => (a.likely === b.likely ? b.cost - a.cost : a.likely ? -1 : 1))
  for (let i = 0; i < costly.length; i++) {
    const c = costly[i]
    if (c === undefined) continue
    if (report.bytes + c.cost > budget) {
      report.skipped++
      continue
    }
    report.bytes += c.cost
    warmOperator(c.r, fallbacks, report)
  }
  const rounds = options.train ?? (budget === Infinity && level === undefined ? 2 : 0)
  if (rounds > 0) report.trained = trainProgram(program, rounds).transactions
  return report
}

/** The paranoia level of a rule: its `paranoia-level/N` tag; 0 (always) without one. */
export function ruleLevel(r: LinkedRule): number {
  const tags = r.head.tagsRaw
  for (let i = 0; i < tags.length; i++) {
    const m = PL_TAG.exec(tags[i] ?? '')
    if (m !== null) return Number(m[1])
  }
  return 0
}

/**
 * The highest paranoia level the rule set can set: the largest literal value of a
 * `setvar:tx.<blocking|detection>_paranoia_level=N` (CRS v4; v3's paranoia_level and
 * executing_paranoia_level too) in any rule. CRS's own default (901) sets 1, a crs-setup
 * SecAction the chosen level; a level taken from a macro does not count (CRS copies the blocking
 * level into the detection level that way). Undefined when no rule sets one (no CRS: every rule
 * is warmed). A read of the rules, not of a transaction: a level set only by some requests
 * (a chained or per-path setvar) counts too, so the guess errs on warming more.
 */
export function configuredParanoiaLevel(program: Program): number | undefined {
  let level: number | undefined
  for (let p = 0; p < program.phases.length; p++) {
    const rules = program.phases[p] ?? []
    for (let i = 0; i < rules.length; i++) {
      for (let r: LinkedRule | undefined = rules[i]; r !== undefined; r = r.next) {
        const acts = r.actions
        for (let a = 0; a < acts.length; a++) {
          const act = acts[a]
          if (act === undefined || act.k !== 'setvar' || act.collection !== 'tx' || act.op !== '=') continue
          const key = literal(act.key)
          const value = literal(act.value)
          if (key === undefined || value === undefined || !PL_VARS.has(asciiLower(key))) continue
          if (!DIGITS.test(value)) continue
          const n = Number(value)
          if (level === undefined || n > level) level = n
        }
      }
    }
  }
  return level
}

function literal(t: Template): string | undefined {
  if (typeof t === 'string') return t
  let s = ''
  for (let i = 0; i < t.length; i++) {
    const part = t[i]
    if (typeof part !== 'string') return undefined
    s += part
  }
  return s
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))
}

/** What an operator compiles, in bytes: > 0 for those worth ordering (regexes, phrase lists). */
function warmCost(r: LinkedRule, fallbacks: boolean): number {
  if (r.marker !== undefined) return 0
  const params = r.op.params
  if (params === undefined) return 0
  if (params.kind === 'rx') {
    const spec = params.regex
    let cost = 0
    const pre = spec.prefilter
    if (pre !== undefined) for (let i = 0; i < pre.length; i++) cost += (pre[i] ?? '').length
    const lin = spec.linear === undefined ? 0 : spec.linear.length
    if (spec.engine === 'linear' && spec.linear !== undefined) return cost + lin
    cost += spec.source.length
    return fallbacks ? cost + lin : cost
  }
  if (params.kind === 'phrases') {
    let bytes = 0
    for (let i = 0; i < params.phrases.length; i++) bytes += (params.phrases[i] ?? '').length
    return Math.max(1, bytes)
  }
  return 0
}

/** Whether a request like the sample makes the operator compile (see WarmOptions.sample). */
function reached(r: LinkedRule, sample: string): boolean {
  const params = r.op.params
  if (params?.kind !== 'rx') return true
  const pre = params.regex.prefilter
  if (pre === undefined) return true
  // the literals are ASCII lower case and match with ASCII case folded (RegexSpec.prefilter)
  for (let i = 0; i < pre.length; i++) if (sample.includes(pre[i] ?? '')) return true
  return false
}

function linkCheap(r: LinkedRule, report: WarmReport): void {
  if (r.marker !== undefined) return
  linkOperator(r)
  report.operators++
}

function warmOperator(r: LinkedRule, fallbacks: boolean, report: WarmReport): void {
  const fn = linkOperator(r)
  report.operators++
  const re = regexOfOperator(fn)
  if (re !== undefined) {
    re.warm(fallbacks)
    report.regexes++
  } else if (r.op.params?.kind === 'phrases') report.phrases++
}

function warmSelectors(r: LinkedRule, report: WarmReport): void {
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
