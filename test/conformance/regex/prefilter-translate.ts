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

function literalSource(lit: string): string {
  let out = ''
  for (let i = 0; i < lit.length; i++) {
    const c = lit.charCodeAt(i)
    if (c >= 0x61 && c <= 0x7a) out += '[' + lit.charAt(i) + String.fromCharCode(c - 0x20) + ']'
    else out += '\\x' + (HEX[c >> 4] ?? '0') + (HEX[c & 15] ?? '0')
  }
  return out
}

export function translate(
  pattern: string,
  options: { mode: 'v2' | 'v3' },
): { source: string; flags: string } {
  const { spec } = compileRegex(pattern, { mode: options.mode })
  if (spec.prefilter === undefined) return { source: spec.source, flags: spec.flags }
  const guard = '(?=[^]*?(?:' + spec.prefilter.map(literalSource).join('|') + '))'
  return { source: guard + '(?:' + spec.source + ')', flags: spec.flags }
}
