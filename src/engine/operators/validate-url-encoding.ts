import type { OperatorDef } from './types'
import { isHexDigit } from './c-string'

export const validateUrlEncoding: OperatorDef = {
  name: 'validateUrlEncoding',
  doc: 'Matches when a % is not followed by two hexadecimal digits (non-hex digits, or too few bytes left).',
  link: () => (input, ctx) => {
    const n = input.length
    for (let i = 0; i < n; i++) {
      if (input.charCodeAt(i) !== 0x25) continue
      if (i + 2 >= n) {
        ctx.message =
          'Invalid URL Encoding: Not enough characters at the end of input at ' + ctx.varName + '.'
        return true
      }
      if (!isHexDigit(input.charCodeAt(i + 1)) || !isHexDigit(input.charCodeAt(i + 2))) {
        ctx.message = 'Invalid URL Encoding: Non-hexadecimal digits used at ' + ctx.varName + '.'
        return true
      }
      i += 2
    }
    return false
  },
}
