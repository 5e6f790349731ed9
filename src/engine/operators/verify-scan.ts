import type { BinaryString } from '../bytes'
import type { OperatorRef } from '../../bundle/schema'
import type { OperatorDef, OperatorFn } from './types'

/**
 * Shared by @verifyCC, @verifySSN and @verifyCPF. Their argument is a PCRE regex that finds
 * candidates; ModSecurity 2.9 compiles it with PCRE_DOTALL | PCRE_MULTILINE, so the compiler
 * translates it like @rx but with the JS flags `s` and `m`, and passes
 * `params: { kind: 'rx', regex }`. v2's search: try at offset 0; when the candidate fails the
 * check, search again from the candidate's start + 1 (overlapping candidates are tried), until a
 * candidate passes or no match is left. Message: `CC# match "<pattern as written>" at VAR.
 * [offset "N"]`. With `capture`, v2 puts the whole candidate in TX.0 .. TX.(n-1) where n - 1 is
 * the highest group that took part (not the group texts) and unsets the rest.
 * Deviation: v2 runs PCRE with PCRE_NOTEMPTY; JS has no such flag, so an empty candidate is
 * skipped (searching on from the next offset) instead of PCRE looking for a non-empty one there.
 */
export function verifyOperator(
  name: string,
  label: string,
  check: (candidate: BinaryString) => boolean,
  doc: string,
): OperatorDef {
  return {
    name,
    doc,
    link(op: OperatorRef): OperatorFn {
      // Until the compiler translates these arguments (params.kind 'rx'), the argument is used as a
      // JS regex with v2's flags: right for the usual digit-class patterns, and new RegExp refuses
      // (at link time) what JS cannot parse.
      const spec = op.params?.kind === 'rx' ? op.params.regex : { source: op.arg, flags: 'ms' }
      const flags = spec.flags.replace(/[gy]/g, '') + 'g'
      const re = new RegExp(spec.source, flags)
      // group renumbering added by the regex translator (RegexSpec.groups), when present
      const groupMap = (spec as { groups?: number[] }).groups
      const prefix = label + ' match "' + op.arg + '" at '
      return (input, ctx) => {
        for (let offset = 0; offset < input.length; offset++) {
          re.lastIndex = offset
          const m = re.exec(input)
          if (m === null) break
          offset = m.index
          const candidate = m[0]
          if (candidate.length === 0 || !check(candidate)) continue
          ctx.message = prefix + ctx.varName + '. [offset "' + offset + '"]'
          if (ctx.capture) {
            const highest = highestGroup(m, groupMap)
            for (let i = 0; i <= highest && i <= 9; i++) ctx.captures[i] = candidate
          }
          return true
        }
        return false
      }
    },
  }
}

/** The highest PCRE group that took part in the match (0 = none); `map` = PCRE group -> JS group. */
function highestGroup(m: RegExpExecArray, map: readonly number[] | undefined): number {
  if (map === undefined) {
    let n = m.length - 1
    while (n > 0 && m[n] === undefined) n--
    return n
  }
  for (let n = map.length - 1; n > 0; n--) if (m[map[n] ?? 0] !== undefined) return n
  return 0
}
