import type { OperatorRef } from '../../bundle/schema'
import { CompiledRegex, LIMIT, MATCH, SPENT } from '../regex/compiled-regex'
import { patternMatchPrefix } from '../regex/pattern-message'
import { messageFor } from './match-message'
import type { OperatorDef, OperatorFn } from './types'

/**
 * @rx: PCRE match with ModSecurity v2 semantics. The compiler translated the pattern
 * (src/compiler/regex) and chose its execution strategy; OperatorRef.arg keeps the PCRE text
 * for the message. Link builds the matcher once (engines compile lazily on first use).
 *
 * - match: ctx.message = `Pattern match "<pattern>" at <varName>.` (pattern log-escaped, cut at
 *   252 chars + " ...", as mod_security2 2.9.7 writes it); with `capture`, ctx.captures[0..9] =
 *   whole match and groups 1..9 (undefined when unset).
 * - a guard stopped the evaluation (subject over the length cap of a pattern with no linear-time
 *   form): TX:MSC_PCRE_LIMITS_EXCEEDED = 1 and ctx.message says so, then "no match", which is
 *   what ModSecurity does when PCRE hits its match limit; rules that check TX:/^MSC_/ see it.
 */
export const PCRE_LIMITS_MESSAGE = 'Execution error - PCRE limits exceeded (-8): (null).'

export const rx: OperatorDef = {
  name: 'rx',
  doc: 'Regular expression match (PCRE semantics of ModSecurity v2) of the target against the argument.',
  link(op: OperatorRef): OperatorFn {
    if (op.params?.kind !== 'rx')
      throw new Error(`@rx ${JSON.stringify(op.arg)}: the bundle has no translated regex`)
    const re = new CompiledRegex(op.params.regex)
    const prefix = patternMatchPrefix(op.arg)
    const last = { name: '', message: '' }
    const fn: OperatorFn = (input, ctx) => {
      const known = ctx.prefiltered === true
      const r = ctx.capture ? re.capture(input, ctx.captures, ctx.unitsLeft, known) : re.test(input, known)
      if (re.linearBytes !== 0) ctx.linearBytes += re.linearBytes
      if (re.captureBytes !== 0) ctx.captureBytes += re.captureBytes
      if (r === SPENT) {
        ctx.budgetSpent = true
        return false
      }
      if (r === MATCH) {
        ctx.message = messageFor(last, prefix, ctx.varName)
        return true
      }
      if (r === LIMIT) {
        ctx.setTx('MSC_PCRE_LIMITS_EXCEEDED', '1')
        ctx.message = PCRE_LIMITS_MESSAGE
      }
      return false
    }
    REGEX_OF.set(fn, re)
    return fn
  },
}

/** The regex behind each linked @rx evaluator (warm.ts builds and runs them at isolate start). */
const REGEX_OF = new WeakMap<OperatorFn, CompiledRegex>()

export function regexOfOperator(fn: OperatorFn): CompiledRegex | undefined {
  return REGEX_OF.get(fn)
}
