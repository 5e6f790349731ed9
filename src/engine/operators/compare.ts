import type { OperatorDef } from './types'
import { atoi } from './atoi'
import { messageFor } from './match-message'
import { linkWithArgument } from './operator-argument'

/**
 * @eq @ge @gt @le @lt. ModSecurity 2.9 converts both the input and the (macro-expanded)
 * argument with C atoi (see atoi.ts: junk -> 0, 32-bit wrap-around) and compares integers; the
 * message shows the argument's value: `Operator GE matched 5 at TX:score.`
 */
function compareOperator(
  name: string,
  label: string,
  test: (left: number, right: number) => boolean,
): OperatorDef {
  return {
    name,
    doc: `Integer ${label} comparison (both sides converted with C atoi semantics; argument macro-expanded).`,
    prepare(arg) {
      // with macros the compiler passes argTemplate and the value is known per evaluation only
      if (arg.includes('%{')) return undefined
      return { kind: 'number', value: atoi(arg) }
    },
    link(op) {
      const fixed = op.params?.kind === 'number' ? op.params.value : undefined
      const prefix = `Operator ${label} matched `
      if (fixed !== undefined && (op.argTemplate === undefined || typeof op.argTemplate === 'string')) {
        const head = prefix + fixed + ' at '
        // the message of the last variable name, kept: a rule meets the same name in every
        // transaction (CRS's paranoia-level gates), so the message is built once, not per match
        const last = { name: '', message: '' }
        return (input, ctx) => {
          if (!test(atoi(input), fixed)) return false
          ctx.message = messageFor(last, head, ctx.varName)
          return true
        }
      }
      return linkWithArgument(op, (input, arg, ctx) => {
        const right = atoi(arg)
        if (!test(atoi(input), right)) return false
        ctx.message = prefix + right + ' at ' + ctx.varName + '.'
        return true
      })
    },
  }
}

export const eq = compareOperator('eq', 'EQ', (l, r) => l === r)
export const ge = compareOperator('ge', 'GE', (l, r) => l >= r)
export const gt = compareOperator('gt', 'GT', (l, r) => l > r)
export const le = compareOperator('le', 'LE', (l, r) => l <= r)
export const lt = compareOperator('lt', 'LT', (l, r) => l < r)
