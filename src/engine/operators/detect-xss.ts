import { detectXss } from './libinjection/xss'
import type { OperatorDef } from './types'

/**
 * @detectXSS (ModSecurity 2.9.7 msre_op_detectXSS_execute): libinjection's XSS detection on the
 * value. On a match the alert message is `detected XSS using libinjection.` and, with `capture`,
 * TX.0 is the whole value (both recorded from 2.9.7, see test/vectors/libinjection/README.md).
 * Only TX.0 is written (TX.1..TX.9 untouched, nothing on no match; checked on 2.9.7). The
 * argument is ignored, as in v2.
 */
export const detectXSS: OperatorDef = {
  name: 'detectXSS',
  doc: 'Detects cross-site scripting with libinjection (HTML5 tokenizing, tag/attribute/URL blacklists); captures the value in TX.0.',
  link() {
    return (input, ctx) => {
      if (!detectXss(input)) return false
      if (ctx.capture) ctx.captures[0] = input
      ctx.message = 'detected XSS using libinjection.'
      return true
    }
  },
}
