import type { RE2JS } from 're2js'
import type { BinaryString } from '../bytes'

/**
 * A tight loop over re2js's own lazy DFA for the boolean question "does the pattern match
 * anywhere in this binary string?". re2js's test() answers it with the same DFA, but through
 * per-call machinery (an input object, a closure, a search record, a method call per character,
 * its own literal prefilter): ~150-400 ns before the first byte on a short value. This walks the
 * same cached DFA states directly: ~3 ns per byte and a few ns per call.
 *
 * It relies on re2js 2.10.0 internals (pinned exactly in package.json): RE2JS.re2Input.dfa,
 * DFA.start / stepOrReset / latin1Class / numClasses, DFAState.next / isMatch, and the constants
 * below (RE2Flags.UNANCHORED, Utils.EMPTY_BEGIN_TEXT / EMPTY_BEGIN_LINE, END_TEXT = -1). The
 * loop is re2js's DFA.run for an unanchored search from position 0, step for step. Whenever the
 * DFA cannot answer (lookbehind program, state budget exhausted) or the shape is not the expected
 * one, it returns null and the caller asks re2js's test() (same answer, slower).
 * test/unit/engine/regex/re2-dfa.test.ts checks it against test() on every CRS linear pattern.
 */

interface DfaState {
  next: (DfaState | null)[] | null
  isMatch: boolean
}

interface SearchRecord {
  resetPos: number
}

interface Dfa {
  failed: boolean
  numClasses: number
  latin1Class: Int32Array
  start(input: StartInput, pos: number): DfaState | null
  stepOrReset(
    state: DfaState,
    cls: number,
    rune: number,
    anchor: number,
    pos: number,
    search: SearchRecord,
  ): DfaState | null
}

interface StartInput {
  context(pos: number): number
  step(pos: number): number
}

type Re2 = ReturnType<typeof RE2JS.compile>

const UNANCHORED = 0
const END_TEXT = -1
/** the empty-width context at position 0 of a subject: beginning of text and of line */
const AT_START: StartInput = {
  context: () => 4 | 1,
  step: () => -1,
}
const SEARCH: SearchRecord = { resetPos: -1 }

/** The DFA behind a compiled re2js pattern, or null when the internals are not as expected. */
export function dfaOf(re: Re2): Dfa | null {
  try {
    const inner = (re as unknown as { re2Input?: { dfa?: unknown } }).re2Input
    const dfa = inner?.dfa as Partial<Dfa> | undefined
    if (
      dfa === undefined ||
      dfa === null ||
      typeof dfa.start !== 'function' ||
      typeof dfa.stepOrReset !== 'function' ||
      !(dfa.latin1Class instanceof Int32Array) ||
      dfa.latin1Class.length < 256 ||
      typeof dfa.numClasses !== 'number' ||
      dfa.failed === true
    )
      return null
    return dfa as Dfa
  } catch {
    return null
  }
}

/** Match anywhere in `s` (binary string): true / false, or null when the DFA cannot answer. */
export function dfaTest(dfa: Dfa, s: BinaryString): boolean | null {
  const start = dfa.start(AT_START, 0)
  if (start === null) return null
  let state: DfaState = start
  const classes = dfa.latin1Class
  SEARCH.resetPos = -1
  const n = s.length
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c > 0xff) return null
    const cls = classes[c] as number
    const table: (DfaState | null)[] | null = state.next
    let next: DfaState | null = table !== null ? (table[cls] ?? null) : null
    if (next === null) {
      next = dfa.stepOrReset(state, cls, c, UNANCHORED, i, SEARCH)
      if (next === null) return null
    }
    state = next
    if (state.isMatch) return true
  }
  const end = dfa.stepOrReset(state, dfa.numClasses, END_TEXT, UNANCHORED, n, SEARCH)
  if (end === null) return null
  return end.isMatch
}
