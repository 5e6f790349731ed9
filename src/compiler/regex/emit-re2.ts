import type { Node, ParsedPattern } from './ast'
import type { ByteSet } from './byte-set'
import { SETS } from './byte-set'
import { quantifier } from './emit-js'

/**
 * AST -> RE2 syntax for the linear-time engine (re2js), or null when the pattern has a construct
 * RE2 cannot express exactly. Same byte-set resolution as the JS emitter, so RE2's own
 * differences never show: `\s` is written as the PCRE byte set (RE2's `\s` lacks VT), caseless
 * letters are explicit `[Aa]` (RE2's `(?i)` folds Unicode, e.g. é/É), every byte is `\x{HH}`.
 * Not expressible (null): lookarounds, backreferences, atomic groups / possessive quantifiers,
 * `\Z` / v3 `$`-before-final-LF, v3 multiline `^` (RE2's matches after a final LF), and counted
 * repetitions above RE2's limit of 1000. RE2's leftmost-first semantics give the same first match
 * as PCRE's backtracking for everything else, including lazy quantifiers and capture groups.
 */
const RE2_MAX_REPEAT = 1000

const hexByte = (b: number): string => '\\x{' + b.toString(16).padStart(2, '0') + '}'
const isAlnum = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
const classByte = (b: number): string => (isAlnum(b) || b === 0x5f ? String.fromCharCode(b) : hexByte(b))

function re2Set(set: ByteSet): string {
  if (set.isFull()) return '(?s:.)'
  const one = set.single()
  if (one >= 0) return isAlnum(one) || one === 0x5f ? String.fromCharCode(one) : hexByte(one)
  if (set.equals(SETS.digit())) return '\\d'
  if (set.equals(SETS.word())) return '\\w'
  if (set.isEmpty()) return '[^\\x{0}-\\x{10FFFF}]'
  const body = (s: ByteSet): string => {
    let out = ''
    for (const [lo, hi] of s.ranges()) out += lo === hi ? classByte(lo) : classByte(lo) + '-' + classByte(hi)
    return out
  }
  const neg = set.negate()
  // a negated class would also accept chars above 0xFF; subjects are binary strings, so either works
  const pos = body(set)
  const negBody = body(neg)
  return negBody.length < pos.length ? `[^${negBody}]` : `[${pos}]`
}

class Unsupported extends Error {}

function emit(n: Node): string {
  switch (n.type) {
    case 'empty':
      return '(?:)'
    case 'set':
      return re2Set(n.set)
    case 'seq':
      return n.items.map((it) => (it.type === 'alt' ? `(?:${emit(it)})` : emit(it))).join('')
    case 'alt':
      return n.alts.map(emit).join('|')
    case 'group':
      if (n.kind === 'capture') return `(${emit(n.body)})`
      if (n.kind === 'noncap') return `(?:${emit(n.body)})`
      throw new Unsupported('atomic')
    case 'look':
      throw new Unsupported('lookaround')
    case 'backref':
      throw new Unsupported('backreference')
    case 'repeat': {
      if ((n.max !== Infinity && n.max > RE2_MAX_REPEAT) || n.min > RE2_MAX_REPEAT)
        throw new Unsupported('repeat')
      return `(?:${emit(n.body)})` + quantifier(n.min, n.max) + (n.greedy ? '' : '?')
    }
    case 'assert':
      switch (n.kind) {
        case 'subjectStart':
          return '\\A'
        case 'subjectEnd':
          return '\\z'
        case 'lineEnd':
          return '(?m:$)'
        case 'wordBoundary':
          return '\\b'
        case 'notWordBoundary':
          return '\\B'
        default:
          throw new Unsupported(n.kind)
      }
  }
}

/** RE2 source for `parsed`, or null when RE2 cannot express it exactly. */
export function emitRe2(parsed: ParsedPattern): string | null {
  try {
    return emit(parsed.root)
  } catch (e) {
    if (e instanceof Unsupported) return null
    throw e
  }
}
