import { RE2JS } from 're2js'
import type { RegexSpec } from '../../bundle/schema'
import type { ParsedPattern } from './ast'
import { emitJs } from './emit-js'
import { emitRe2 } from './emit-re2'
import { analyzeHazards, type Hazard, type HazardReport } from './hazard'
import { extractPrefilter } from './prefilter'

/**
 * The execution strategy of one pattern, decided at build time (documented in README.md):
 *
 * | hazard (hazard.ts)                      | engine   | lengthCap | subjects over the cap   |
 * |-----------------------------------------|----------|-----------|-------------------------|
 * | degree 1, not exponential (linear)      | v8       | none      | -                       |
 * | degree 2 (quadratic)                    | v8       | 512       | linear engine (re2js)   |
 * | degree >= 3 or exponential              | linear   | -         | -                       |
 *
 * The linear engine is re2js (RE2 semantics, linear time), fed the RE2 form of the same AST
 * (emit-re2.ts). When RE2 cannot express a hazardous pattern exactly (lookaround, backreference,
 * atomic group...), it stays on V8 with a small cap (exponential 64, degree >= 3: 256, quadratic:
 * 512) and the engine stops the evaluation of longer subjects with MSC_PCRE_LIMITS_EXCEEDED,
 * as ModSecurity does when PCRE hits its match limit.
 */
export const QUADRATIC_CAP = 512
const GUARD_CAP_EXPONENTIAL = 64
const GUARD_CAP_CUBIC = 256

export interface RegexPlan {
  spec: RegexSpec
  report: HazardReport
  /** why this engine (one line, for `waf compile --explain`-style output) */
  reason: string
}

/** The RE2 source if re2js accepts it (it also enforces its own program-size limits). */
function linearSource(parsed: ParsedPattern): string | null {
  const src = emitRe2(parsed)
  if (src === null) return null
  try {
    RE2JS.compile(src)
    return src
  } catch {
    return null
  }
}

export function planRegex(parsed: ParsedPattern): RegexPlan {
  const js = emitJs(parsed)
  const report = analyzeHazards(parsed)
  const spec: RegexSpec = { source: js.source, flags: js.flags }
  if (js.groups) spec.groups = js.groups
  const hazardous = report.exponential || report.degree >= 2
  const linear = hazardous || report.captureInRepeat ? linearSource(parsed) : null
  if (linear !== null) spec.linear = linear
  if (report.captureInRepeat && linear !== null) spec.repeatCaptures = true
  const prefilter = extractPrefilter(parsed)
  if (prefilter !== undefined) spec.prefilter = prefilter
  let reason: string
  if (!hazardous) {
    reason = 'linear-time in V8 (no overlapping unbounded quantifiers)'
  } else if (report.exponential || report.degree >= 3) {
    const what = report.exponential ? 'exponential' : `polynomial degree ${report.degree}`
    if (linear !== null) {
      spec.engine = 'linear'
      reason = `${what} backtracking hazard: always the linear-time engine`
    } else {
      spec.lengthCap = report.exponential ? GUARD_CAP_EXPONENTIAL : GUARD_CAP_CUBIC
      reason = `${what} backtracking hazard and no RE2 form: V8 up to ${spec.lengthCap} bytes, longer subjects stop with MSC_PCRE_LIMITS_EXCEEDED`
    }
  } else {
    spec.lengthCap = QUADRATIC_CAP
    reason =
      linear !== null
        ? `quadratic backtracking hazard: V8 up to ${QUADRATIC_CAP} bytes, the linear-time engine above`
        : `quadratic backtracking hazard and no RE2 form: V8 up to ${QUADRATIC_CAP} bytes, longer subjects stop with MSC_PCRE_LIMITS_EXCEEDED`
  }
  return { spec, report, reason }
}

export type { Hazard, HazardReport }
