/**
 * A "translator" for ../shared/tools/regex-equiv that puts each pattern's build-time prefilter
 * (src/compiler/regex/prefilter.ts) in front of its translation, as a lookahead: from a match's
 * start, the rest of the subject must contain one of the literals (ASCII case folded). If the
 * prefilter is sound (every match contains one of its literals), the first-match span is the
 * translation's, so the harness finds this equivalent to PCRE2 exactly when the plain translation
 * is; a pattern it reports here but not with build/regex-translate.mjs has an unsound prefilter.
 *
 *   npm run test:regex-equiv:prefilter
 */
import { compileRegex } from '../../../src/compiler/regex/index'

const HEX = '0123456789abcdef'

function byteSource(c: number): string {
  if (c >= 0x61 && c <= 0x7a) return '[' + String.fromCharCode(c) + String.fromCharCode(c - 0x20) + ']'
  return '\\x' + (HEX[c >> 4] ?? '0') + (HEX[c & 15] ?? '0')
}

interface Trie {
  end: boolean
  next: Map<number, Trie>
}

/**
 * The literals as one alternation factored by common prefixes (a trie): irregexp then branches
 * on the next byte instead of trying every literal in turn, which matters for the command lists
 * of 932235/932260 (~1,000 literals) run from every start position of every subject.
 */
function trieSource(lits: readonly string[]): string {
  const root: Trie = { end: false, next: new Map() }
  for (const lit of lits) {
    let t = root
    for (let i = 0; i < lit.length; i++) {
      const c = lit.charCodeAt(i)
      let n = t.next.get(c)
      if (n === undefined) {
        n = { end: false, next: new Map() }
        t.next.set(c, n)
      }
      t = n
    }
    t.end = true
  }
  const emit = (t: Trie): string => {
    // a literal ends here: the rest is not needed (any literal found is enough)
    if (t.end) return ''
    const alts = Array.from(t.next, ([c, n]) => byteSource(c) + emit(n))
    return alts.length === 1 ? (alts[0] as string) : '(?:' + alts.join('|') + ')'
  }
  return emit(root)
}

export function translate(
  pattern: string,
  options: { mode: 'v2' | 'v3' },
): { source: string; flags: string } {
  const { spec } = compileRegex(pattern, { mode: options.mode })
  if (spec.prefilter === undefined) return { source: spec.source, flags: spec.flags }
  const guard = '(?=[^]*?' + trieSource(spec.prefilter) + ')'
  return { source: guard + '(?:' + spec.source + ')', flags: spec.flags }
}
