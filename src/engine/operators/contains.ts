import type { OperatorDef } from './types'
import { logEscape } from './log-escape'
import { linkWithArgument } from './operator-argument'

export const contains: OperatorDef = {
  name: 'contains',
  doc: 'Case-sensitive substring search for the (macro-expanded) argument; an empty argument always matches.',
  link: (op) =>
    linkWithArgument(op, (input, arg, ctx) => {
      if (input.indexOf(arg) < 0) return false
      ctx.message = 'String match "' + logEscape(arg) + '" at ' + ctx.varName + '.'
      return true
    }),
}
