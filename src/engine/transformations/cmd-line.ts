import { lowercase } from './case'

/**
 * Whether cmdLine can change the input other than by lowercasing: a NUL, a deleted byte
 * (`" ' \ ^`), a spacing byte other than SP (`,` `;` HT LF CR), or a SP followed by a spacing
 * byte, `/` or `(` (a run to collapse, or a space to drop). A lone SP between other bytes, or at
 * either end, is written back as it was.
 */
const STRUCTURAL = /[\0"'\\^,;\t\n\r]| [ ,;\t\n\r/(]/
const DELETED = /["'\\^]+/g
/** the spacing runs that are not already one SP (linear: a lone SP fails at once) */
const SPACING_RUN = /(?: [ ,;\t\n\r]|[,;\t\n\r])[ ,;\t\n\r]*/g
/**
 * SP right before `/` or `(`, once runs are collapsed: v2 takes the pending space back. (Not
 * `[ ,;...]+(?=[/(])` on the raw value: that backtracks through every suffix of a long run.)
 */
const SPACE_BEFORE_SLASH = / (?=[/(])/g

/**
 * t:cmdLine (v2 registers it as `cmdline`; names are case-insensitive), as ModSecurity 2.9:
 * processing stops at the first NUL byte (v2 loops over a C string), `\ " ' ^` are deleted,
 * runs of space , ; HT CR LF become one space, a space before `/` or `(` is dropped, every
 * other byte is lowercased (ASCII only).
 *
 * v2 does it in one pass that emits a pending space lazily; the same result comes from native
 * passes in this order: cut at NUL; delete `\ " ' ^` (they never touch the pending space, so
 * removing them first changes nothing); collapse spacing runs to one SP; drop a SP followed by
 * `/` or `(`; ASCII-lowercase (no deleted or spacing byte is a letter).
 */
export function cmdLine(input: string): string {
  if (!STRUCTURAL.test(input)) return lowercase(input)
  const nul = input.indexOf('\0')
  const s = (nul < 0 ? input : input.slice(0, nul))
    .replace(DELETED, '')
    .replace(SPACING_RUN, ' ')
    .replace(SPACE_BEFORE_SLASH, '')
  const out = lowercase(s)
  return out === input ? input : out
}
