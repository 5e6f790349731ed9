import { RE2JS } from 're2js'
import type { RegexSpec } from '../../bundle/schema'
import type { BinaryString } from '../bytes'

/**
 * Runs one bundle regex with the execution strategy the compiler chose (RegexSpec.engine /
 * lengthCap / linear, see src/compiler/regex/strategy.ts):
 * - V8 (`new RegExp(source, flags)`) for patterns that are linear-time in a backtracking engine,
 *   and for subjects up to `lengthCap` bytes for quadratic ones;
 * - re2js (linear time, pure JS, no eval) for ReDoS-prone patterns and for subjects over the cap;
 * - when neither may run (over the cap, no RE2 form), the evaluation stops with LIMIT, which the
 *   caller must report (TX:MSC_PCRE_LIMITS_EXCEEDED), never as a silent "no match".
 * Both engines are built lazily on first use, once per isolate. Total: never throws on input.
 */
export const NO_MATCH = 0
export const MATCH = 1
/** A guard stopped the evaluation (the moral equivalent of PCRE's match limit). */
export const LIMIT = 2
export type RegexOutcome = typeof NO_MATCH | typeof MATCH | typeof LIMIT

/** How many capture slots ModSecurity v2 fills (TX.0 .. TX.9). */
export const CAPTURE_SLOTS = 10

type Re2 = ReturnType<typeof RE2JS.compile>

export class CompiledRegex {
  private v8: RegExp | null = null
  private re2: Re2 | null = null
  private re2Failed = false
  private readonly alwaysLinear: boolean
  private readonly cap: number

  constructor(readonly spec: RegexSpec) {
    this.alwaysLinear = spec.engine === 'linear' && spec.linear !== undefined
    this.cap = spec.lengthCap ?? Infinity
  }

  private js(): RegExp {
    if (this.v8 === null) this.v8 = new RegExp(this.spec.source, this.spec.flags)
    return this.v8
  }

  private linear(): Re2 | null {
    if (this.re2 === null && !this.re2Failed && this.spec.linear !== undefined) {
      try {
        this.re2 = RE2JS.compile(this.spec.linear)
      } catch {
        this.re2Failed = true
      }
    }
    return this.re2
  }

  /**
   * Build the engines this regex can use and run each once, so that neither compilation (re2js:
   * up to ~60 ms for the largest CRS pattern) nor V8's first interpreted exec lands on a request.
   * Meant for isolate start-up (global scope). Optional: everything is also built lazily.
   */
  warm(): void {
    try {
      if (!this.alwaysLinear) this.js().test('x')
      if (this.alwaysLinear || this.spec.linear !== undefined) this.linear()?.test('x')
    } catch {
      // total: a failure here shows up as LIMIT on use
    }
  }

  /** Which engine a subject of this length goes to: 0 V8, 1 linear, 2 none (guard). */
  private route(length: number): 0 | 1 | 2 {
    if (this.alwaysLinear) return 1
    if (length <= this.cap) return 0
    return this.spec.linear !== undefined ? 1 : 2
  }

  /** Match or not (no captures). */
  test(input: BinaryString): RegexOutcome {
    const r = this.route(input.length)
    if (r === 0) return this.js().test(input) ? MATCH : NO_MATCH
    if (r === 2) return LIMIT
    const re2 = this.linear()
    if (re2 === null) return LIMIT
    try {
      return re2.test(input) ? MATCH : NO_MATCH
    } catch {
      return LIMIT
    }
  }

  /**
   * Match and fill out[0..9]: whole match and PCRE groups 1..9 (undefined when unset or beyond the
   * pattern's groups). `out` is cleared first.
   */
  capture(input: BinaryString, out: (BinaryString | undefined)[]): RegexOutcome {
    for (let k = 0; k < CAPTURE_SLOTS; k++) out[k] = undefined
    let r = this.route(input.length)
    if (r === 0 && this.spec.repeatCaptures === true && this.spec.linear !== undefined) r = 1
    if (r === 2) return LIMIT
    if (r === 0) {
      const m = this.js().exec(input)
      if (m === null) return NO_MATCH
      const map = this.spec.groups
      for (let k = 0; k < CAPTURE_SLOTS; k++) {
        const idx = map === undefined ? k : map[k]
        if (idx !== undefined && idx < m.length) out[k] = m[idx]
      }
      return MATCH
    }
    const re2 = this.linear()
    if (re2 === null) return LIMIT
    try {
      const m = re2.matcher(input)
      if (!m.find()) return NO_MATCH
      const n = Math.min(re2.groupCount(), CAPTURE_SLOTS - 1)
      for (let k = 0; k <= n; k++) {
        const g = m.group(k)
        out[k] = g === null ? undefined : g
      }
      return MATCH
    } catch {
      return LIMIT
    }
  }
}
