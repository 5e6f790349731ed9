import type { OperatorDef } from './types'
import { cString } from './c-string'
import { logEscape } from './log-escape'
import { parsePmContent } from './pm-content'

export const strmatch: OperatorDef = {
  name: 'strmatch',
  doc: 'Case-sensitive substring search (v2: Boyer-Moore-Horspool) for the argument in pm content syntax (|hex|, \\: escapes); no macro expansion.',
  prepare(arg) {
    const parsed = parsePmContent(arg)
    if (!parsed.ok) throw new Error(parsed.reason)
    // v2 compiles the pattern as a C string: |00| ends it
    return { kind: 'strings', values: [cString(parsed.value)] }
  },
  link(op) {
    let needle: string
    if (op.params?.kind === 'strings' && op.params.values.length === 1) needle = op.params.values[0] ?? ''
    else {
      const parsed = parsePmContent(op.arg)
      if (!parsed.ok) throw new Error(`@strmatch ${op.arg}: ${parsed.reason}`)
      needle = cString(parsed.value)
    }
    // v2 logs the argument as written, not the decoded pattern
    const shown = logEscape(cString(op.arg))
    return (input, ctx) => {
      if (input.indexOf(needle) < 0) return false
      ctx.message = 'Pattern match "' + shown + '" at ' + ctx.varName + '.'
      return true
    }
  },
}
