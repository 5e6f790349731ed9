import type { OperatorDef } from './types'
import { logEscape } from './log-escape'
import { linkWithArgument } from './operator-argument'

export const beginsWith: OperatorDef = {
  name: 'beginsWith',
  doc: 'The input starts with the (macro-expanded) argument (case-sensitive); an empty argument always matches.',
  link: (op) =>
    linkWithArgument(op, (input, arg, ctx) => {
      if (!input.startsWith(arg)) return false
      ctx.message = 'String match "' + logEscape(arg) + '" at ' + ctx.varName + '.'
      return true
    }),
}
