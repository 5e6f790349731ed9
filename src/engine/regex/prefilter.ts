import type { BinaryString } from '../bytes'
import { LiteralIndex } from './literal-index'

/**
 * The runtime side of RegexSpec.prefilter (src/compiler/regex/prefilter.ts): literals, one of
 * which every match of the pattern contains (ASCII case folded). Checked with one V8 regex, the
 * alternation of the literals with the `i` flag: irregexp dispatches on the first byte and
 * rejects a short subject in ~25 ns (a hand-written scan measured ~60 ns). `i` also folds the
 * Latin-1 letters, which PCRE does not: the check may then pass where the pattern cannot match
 * (the pattern runs and answers), never the reverse, so it stays exact. A literal alternation has
 * no nested quantifier: its cost is linear in the subject times the longest literal.
 *
 * Above REGEX_PREFILTER_MAX literals (CRS's command lists give ~1,000), an alternation would be
 * slow to compile and to run (irregexp tries the alternatives in turn); those use an
 * Aho-Corasick automaton (literal-index.ts) with one bit instead, exact and linear.
 */
export interface PrefilterTest {
  test(s: BinaryString): boolean
}

export const REGEX_PREFILTER_MAX = 64

class AnyLiteral implements PrefilterTest {
  private readonly index: LiteralIndex
  private readonly bits = new Int32Array(1)
  constructor(literals: readonly string[]) {
    this.index = new LiteralIndex(
      literals.map((l) => [l, 0] as const),
      1,
    )
  }
  test(s: BinaryString): boolean {
    this.bits[0] = 0
    this.index.scan(s, this.bits, 0)
    return this.bits[0] !== 0
  }
}

export function buildPrefilter(literals: readonly string[]): PrefilterTest | null {
  for (let i = 0; i < literals.length; i++) if ((literals[i] as string).length === 0) return null
  if (literals.length > REGEX_PREFILTER_MAX) return new AnyLiteral(literals)
  const alts: string[] = []
  for (let i = 0; i < literals.length; i++) {
    const lit = literals[i] as string
    if (lit.length === 0) return null
    alts.push(escapeLiteral(lit))
  }
  if (alts.length === 0) return null
  return new RegExp(alts.join('|'), 'i')
}

const HEX = '0123456789abcdef'

/** A binary-string literal as regex source: every byte outside [A-Za-z0-9_] as \xHH. */
export function escapeLiteral(s: BinaryString): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f)
      out += s.charAt(i)
    else out += '\\x' + (HEX[c >> 4] as string) + (HEX[c & 15] as string)
  }
  return out
}
