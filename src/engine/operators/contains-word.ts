import type { BinaryString } from '../bytes'
import type { OperatorDef } from './types'
import { isCAlnum } from './c-string'
import { logEscape } from './log-escape'
import { linkWithArgument } from './operator-argument'

/** v2 word characters: ASCII letters, digits and '_' (bytes >= 0x80 are boundaries). */
function isWord(c: number): boolean {
  return isCAlnum(c) || c === 0x5f
}

/** The argument occurs with a non-word character (or the edge of the input) on both sides. */
function hasWord(input: BinaryString, word: BinaryString): boolean {
  if (word.length === 0) return true
  const last = input.length - word.length
  for (let at = input.indexOf(word); at >= 0 && at <= last; at = input.indexOf(word, at + 1)) {
    if (at > 0 && isWord(input.charCodeAt(at - 1))) continue
    if (at === last || !isWord(input.charCodeAt(at + word.length))) return true
  }
  return false
}

export const containsWord: OperatorDef = {
  name: 'containsWord',
  doc: 'The (macro-expanded) argument occurs as a whole word (bounded by non-[A-Za-z0-9_] bytes or the edges); an empty argument always matches.',
  link: (op) =>
    linkWithArgument(op, (input, arg, ctx) => {
      if (!hasWord(input, arg)) return false
      ctx.message = 'String match "' + logEscape(arg) + '" at ' + ctx.varName + '.'
      return true
    }),
}
