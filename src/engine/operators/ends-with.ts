import type { OperatorDef } from './types'
import { logEscape } from './log-escape'
import { linkWithArgument } from './operator-argument'

export const endsWith: OperatorDef = {
  name: 'endsWith',
  doc: 'The input ends with the (macro-expanded) argument (case-sensitive); an empty argument always matches.',
  link: (op) =>
    linkWithArgument(op, (input, arg, ctx) => {
      if (!input.endsWith(arg)) return false
      ctx.message = 'String match "' + logEscape(arg) + '" at ' + ctx.varName + '.'
      return true
    }),
}
