import type { OperatorDef } from './types'
import { logEscape } from './log-escape'
import { linkWithArgument } from './operator-argument'

export const streq: OperatorDef = {
  name: 'streq',
  doc: 'Case-sensitive byte equality with the (macro-expanded) argument.',
  link: (op) =>
    linkWithArgument(op, (input, arg, ctx) => {
      if (input !== arg) return false
      ctx.message = 'String match "' + logEscape(arg) + '" at ' + ctx.varName + '.'
      return true
    }),
}
