import type { ByteSet } from './byte-set'

/**
 * The translator's AST. Flags (i, s, m, x...) and the ModSecurity mode are resolved while
 * parsing: a caseless letter is already a two-byte set, `.` is already the DOTALL (or not) set,
 * `^`/`$` are already one of the exact anchor kinds below. Emitters therefore need no flags.
 * `pos` is the 0-based offset in the pattern where the node starts (for errors and lint).
 */
export type Node = Empty | SetNode | Seq | Alt | Group | Look | Repeat | Assert | Backref

export interface Empty {
  type: 'empty'
  pos: number
}

/** One byte out of `set` (a literal char is a set with one member, or two when caseless). */
export interface SetNode {
  type: 'set'
  set: ByteSet
  pos: number
}

export interface Seq {
  type: 'seq'
  items: Node[]
  pos: number
}

export interface Alt {
  type: 'alt'
  alts: Node[]
  pos: number
}

/** capture: PCRE group number `index` (1-based); atomic: `(?>...)` or a possessive quantifier. */
export interface Group {
  type: 'group'
  kind: 'capture' | 'noncap' | 'atomic'
  index?: number
  name?: string
  body: Node
  pos: number
}

export interface Look {
  type: 'look'
  behind: boolean
  negate: boolean
  body: Node
  pos: number
}

export interface Repeat {
  type: 'repeat'
  min: number
  /** Infinity for unbounded */
  max: number
  greedy: boolean
  body: Node
  pos: number
}

/**
 * Zero-width assertions, already resolved for the mode:
 * - subjectStart: `\A`, or `^` without multiline
 * - subjectEnd: `\z`, or `$` with DOLLAR_ENDONLY (v2) and without multiline
 * - endOrFinalNewline: `\Z`, or `$` without multiline and without DOLLAR_ENDONLY (v3 after (?-m))
 * - lineStart: multiline `^`: start, or after an LF that is not the subject's last byte
 * - lineEnd: multiline `$`: before any LF, or at the end
 * - wordBoundary / notWordBoundary: `\b` / `\B` (ASCII word chars)
 */
export interface Assert {
  type: 'assert'
  kind:
    | 'subjectStart'
    | 'subjectEnd'
    | 'endOrFinalNewline'
    | 'lineStart'
    | 'lineEnd'
    | 'wordBoundary'
    | 'notWordBoundary'
  pos: number
}

/**
 * A backreference to PCRE group `group`. `caseless`: written under (?i) (PCRE compares it with
 * ASCII folding); accepted only where checks.ts proves that the JS `i` flag gives the same result.
 */
export interface Backref {
  type: 'backref'
  group: number
  caseless: boolean
  pos: number
}

export interface ParsedPattern {
  root: Node
  /** number of PCRE capture groups */
  groupCount: number
  /** group names (PCRE group number by name) */
  names: Map<string, number>
}
