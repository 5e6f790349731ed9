import { detectSqli } from './libinjection/sqli'
import type { OperatorDef } from './types'

/**
 * @detectSQLi (ModSecurity 2.9.7 msre_op_detectSQLi_execute): libinjection's SQLi detection on
 * the value. On a match, with `capture`, TX.0 is the fingerprint (e.g. "s&1c"), and the alert
 * message is `detected SQLi using libinjection with fingerprint 's&1c'` (both recorded from
 * 2.9.7, see test/vectors/libinjection/README.md). Only TX.0 is written: 2.9.7 leaves TX.1..TX.9
 * as they were, and leaves TX.0 alone when there is no match (checked on 2.9.7). The argument is
 * ignored, as in v2.
 */
export const detectSQLi: OperatorDef = {
  name: 'detectSQLi',
  doc: 'Detects SQL injection with libinjection (tokenizing, folding, fingerprint lookup); captures the fingerprint in TX.0.',
  link() {
    return (input, ctx) => {
      const fingerprint = detectSqli(input)
      if (fingerprint === null) return false
      if (ctx.capture) ctx.captures[0] = fingerprint
      ctx.message = `detected SQLi using libinjection with fingerprint '${fingerprint}'`
      return true
    }
  },
}
