import type { OperatorDef } from './types'
import { logEscape } from './log-escape'
import { linkWithArgument } from './operator-argument'

export const within: OperatorDef = {
  name: 'within',
  doc: 'The input is a substring of the (macro-expanded) argument (not a token match: "ET P" is within "GET POST"); an empty input always matches.',
  link: (op) =>
    linkWithArgument(op, (input, arg, ctx) => {
      if (input.length === 0) {
        // v2 reports the empty input, not the argument
        ctx.message = 'String match within "" at ' + ctx.varName + '.'
        return true
      }
      if (arg.indexOf(input) < 0) return false
      ctx.message = 'String match within "' + logEscape(arg) + '" at ' + ctx.varName + '.'
      return true
    }),
}
