import { RE2JS } from 're2js'
import type { RegexSpec } from '../../bundle/schema'
import type { BinaryString } from '../bytes'
import { buildPrefilter, type PrefilterTest } from './prefilter'
import { dfaOf, dfaTest } from './re2-dfa'
import { WORK_UNITS } from '../budget'

/**
 * Runs one bundle regex with the execution strategy the compiler chose (RegexSpec.engine /
 * lengthCap / linear, see src/compiler/regex/strategy.ts):
 * - V8 (`new RegExp(source, flags)`) for patterns that are linear-time in a backtracking engine,
 *   and for subjects up to `lengthCap` bytes for quadratic ones;
 * - re2js (linear time, pure JS, no eval) for ReDoS-prone patterns and for subjects over the cap;
 * - when neither may run (over the cap, no RE2 form), the evaluation stops with LIMIT, which the
 *   caller must report (TX:MSC_PCRE_LIMITS_EXCEEDED), never as a silent "no match".
 * Before either, the prefilter (RegexSpec.prefilter, prefilter.ts) rejects subjects that contain
 * none of the pattern's required literals: the answer is then an exact NO_MATCH, also for a subject
 * over the cap (PCRE's own start-up check of a required byte answers such subjects without
 * reaching its match limit too).
 * Both engines are built lazily on first use, once per isolate. Total: never throws on input.
 */
export const NO_MATCH = 0
export const MATCH = 1
/** A guard stopped the evaluation (the moral equivalent of PCRE's match limit). */
export const LIMIT = 2
/**
 * capture() did not start the linear-time engine's capturing search: it would cost more work
 * units than the caller has left (`unitsLeft`, the rest of the inspection budget). Not a guard
 * stop of the regex: the engine stops the transaction on its budget (budget.ts).
 */
export const SPENT = 3
export type RegexOutcome = typeof NO_MATCH | typeof MATCH | typeof LIMIT | typeof SPENT

/** How many capture slots ModSecurity v2 fills (TX.0 .. TX.9). */
export const CAPTURE_SLOTS = 10

type Re2 = ReturnType<typeof RE2JS.compile>

export class CompiledRegex {
  private v8: RegExp | null = null
  private re2: Re2 | null = null
  /** re2js's lazy DFA, walked directly (re2-dfa.ts); null when unavailable */
  private dfa: ReturnType<typeof dfaOf> = null
  private re2Failed = false
  private readonly alwaysLinear: boolean
  private readonly cap: number
  /** the prefilter regex; null when there is none (built on first use: undefined until then) */
  private pre: PrefilterTest | null | undefined
  /**
   * Bytes the last test()/capture() handed to the linear-time engine (0: V8 or the prefilter
   * answered). The rx operator reports them to the inspection budget: re2js's DFA costs several
   * times V8's per byte.
   */
  linearBytes = 0
  /**
   * Bytes the last capture() gave to the linear-time engine's capturing search (re2js's NFA, run
   * after its DFA found a match): budget.ts WORK_UNITS.captureByte each.
   */
  captureBytes = 0

  constructor(readonly spec: RegexSpec) {
    this.alwaysLinear = spec.engine === 'linear' && spec.linear !== undefined
    this.cap = spec.lengthCap ?? Infinity
    this.pre = spec.prefilter === undefined ? null : undefined
  }

  /** False when the subject lacks every required literal: the pattern cannot match it. */
  private mayMatch(input: BinaryString): boolean {
    let pre = this.pre
    if (pre === null) return true
    if (pre === undefined) {
      try {
        pre = buildPrefilter(this.spec.prefilter ?? [])
      } catch {
        pre = null
      }
      this.pre = pre
      if (pre === null) return true
    }
    return pre.test(input)
  }

  private js(): RegExp {
    if (this.v8 === null) this.v8 = new RegExp(this.spec.source, this.spec.flags)
    return this.v8
  }

  private linear(): Re2 | null {
    if (this.re2 === null && !this.re2Failed && this.spec.linear !== undefined) {
      try {
        this.re2 = RE2JS.compile(this.spec.linear)
        this.dfa = dfaOf(this.re2)
      } catch {
        this.re2Failed = true
      }
    }
    return this.re2
  }

  /**
   * Build the engines this regex can use and run each, so that neither compilation (re2js: up to
   * ~60 ms for the largest CRS pattern) nor V8's compilation lands on a request. V8 compiles a
   * RegExp to bytecode on its first exec and to native code on the second (regexp tier-up): the
   * V8 regexes run twice. Meant for isolate start-up (global scope). Optional: everything is also
   * built lazily. `fallback` false: leave out the linear-time engine of a V8 pattern (only subjects
   * over its length cap use it), which is most of the cost for the largest such patterns.
   */
  warm(fallback = true): void {
    try {
      this.mayMatch('x')
      this.mayMatch('x')
      if (!this.alwaysLinear) {
        this.js().test('x')
        this.js().test('x')
      }
      if (this.alwaysLinear || (fallback && this.spec.linear !== undefined)) this.linear()?.test('x')
    } catch {
      // total: a failure here shows up as LIMIT on use
    }
  }

  /** Match anywhere, on the linear-time engine: its DFA walked directly, else re2js's test(). */
  private linearTest(re2: Re2, input: BinaryString): boolean {
    const dfa = this.dfa
    if (dfa !== null) {
      const r = dfaTest(dfa, input)
      if (r !== null) return r
    }
    return re2.test(input)
  }

  /** Which engine a subject of this length goes to: 0 V8, 1 linear, 2 none (guard). */
  private route(length: number): 0 | 1 | 2 {
    if (this.alwaysLinear) return 1
    if (length <= this.cap) return 0
    return this.spec.linear !== undefined ? 1 : 2
  }

  /**
   * Match or not (no captures). `prefiltered`: the caller knows the subject holds one of the
   * prefilter's literals (the engine's literal index), so the prefilter is not run again.
   */
  test(input: BinaryString, prefiltered = false): RegexOutcome {
    this.linearBytes = 0
    this.captureBytes = 0
    // a subject without any of the required literals cannot match (no engine needed, no guard)
    if (!prefiltered && this.pre !== null && !this.mayMatch(input)) return NO_MATCH
    const r = this.route(input.length)
    if (r === 0) return this.js().test(input) ? MATCH : NO_MATCH
    if (r === 2) return LIMIT
    const re2 = this.linear()
    if (re2 === null) return LIMIT
    this.linearBytes = input.length
    try {
      return this.linearTest(re2, input) ? MATCH : NO_MATCH
    } catch {
      return LIMIT
    }
  }

  /**
   * Match and, on MATCH, fill out[0..9]: whole match and PCRE groups 1..9 (undefined when unset or
   * beyond the pattern's groups; every slot is written). On NO_MATCH / LIMIT / SPENT `out` is
   * untouched. `unitsLeft`: what the capturing search of the linear-time engine may cost;
   * `prefiltered` as for test().
   */
  capture(
    input: BinaryString,
    out: (BinaryString | undefined)[],
    unitsLeft = Infinity,
    prefiltered = false,
  ): RegexOutcome {
    this.linearBytes = 0
    this.captureBytes = 0
    if (!prefiltered && this.pre !== null && !this.mayMatch(input)) return NO_MATCH
    let r = this.route(input.length)
    if (r === 0 && this.spec.repeatCaptures === true && this.spec.linear !== undefined) r = 1
    if (r === 2) return LIMIT
    if (r === 0) {
      const m = this.js().exec(input)
      if (m === null) return NO_MATCH
      const map = this.spec.groups
      for (let k = 0; k < CAPTURE_SLOTS; k++) {
        const idx = map === undefined ? k : map[k]
        out[k] = idx !== undefined && idx < m.length ? m[idx] : undefined
      }
      return MATCH
    }
    const re2 = this.linear()
    if (re2 === null) return LIMIT
    this.linearBytes = input.length
    try {
      // re2js answers a boolean question with its lazy DFA; a capturing search runs the NFA or
      // the backtracker, 10-100x slower. Most evaluations do not match: ask the DFA first.
      if (!this.linearTest(re2, input)) return NO_MATCH
      // the costliest step there is (~400-700 ns per byte): not started when the rest of the
      // budget cannot pay for it (a 64 KB subject would cost 25-45 ms)
      if (input.length * WORK_UNITS.captureByte > unitsLeft) return SPENT
      this.captureBytes = input.length
      const groups = submatches(re2, input) ?? matcherGroups(re2, input)
      if (groups === null) return NO_MATCH
      for (let k = 0; k < CAPTURE_SLOTS; k++) {
        const g = k < groups.length ? groups[k] : null
        out[k] = g === null || g === undefined ? undefined : g
      }
      return MATCH
    } catch {
      return LIMIT
    }
  }
}

/** The same through re2js's public Matcher (two searches): the match and groups 1..9, or null. */
function matcherGroups(re2: Re2, input: BinaryString): (string | null)[] | null {
  const m = re2.matcher(input)
  if (!m.find()) return null
  const n = Math.min(re2.groupCount(), CAPTURE_SLOTS - 1)
  const groups: (string | null)[] = []
  for (let k = 0; k <= n; k++) groups.push(m.group(k))
  return groups
}

/** re2js's internal RE2 (RE2JS.re2Input), as far as submatches() uses it */
interface Re2Internal {
  findSubmatch?: (s: string) => (string | null)[] | null
  prog?: { numLb?: number }
}

/**
 * The leftmost match and its groups in one search: re2js's RE2.findSubmatch (the Go API re2js
 * ports), reached through RE2JS.re2Input like the DFA (re2-dfa.ts; re2js pinned at 2.10.0).
 * Matcher.find() followed by group(k) searches twice: once for the match's bounds, then again
 * from its start with every group, each a pass of the NFA over the match (~400 ns per byte;
 * 942421's search over an 8 KB cookie took 3 + 5 ms). undefined when the internals are not as
 * expected, or the pattern has a lookbehind: the caller then uses the Matcher (same answer).
 */
function submatches(re2: Re2, input: BinaryString): (string | null)[] | null | undefined {
  const inner = (re2 as unknown as { re2Input?: Re2Internal }).re2Input
  const find = inner?.findSubmatch
  // a lookbehind needs the Matcher's lookbehind state
  if (typeof find !== 'function' || inner?.prog?.numLb !== 0) return undefined
  return find.call(inner, input)
}
