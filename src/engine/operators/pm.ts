import type { BinaryString } from '../bytes'
import type { OperatorRef } from '../../bundle/schema'
import type { OperatorContext, OperatorDef, OperatorFn } from './types'
import { PhraseMatcher } from './aho-corasick'
import { cString, isCSpace } from './c-string'
import { logEscape, truncate252 } from './log-escape'
import { parsePmContent } from './pm-content'

/**
 * @pm phrase list, as ModSecurity 2.9 reads it: the whole argument goes through the pm content
 * syntax first (`|hex|`, `\:` escapes, surrounding quotes; on a syntax error v2 silently keeps
 * the raw argument), is cut at the first NUL byte (so `|00|` ends the list), then split on
 * whitespace. `a|20|b` is therefore two phrases, "a" and "b" (verified on 2.9.7).
 */
export function parsePmPhrases(arg: string): BinaryString[] {
  if (arg.length === 0) throw new Error("Missing parameter for operator 'pm'.")
  const parsed = parsePmContent(arg)
  const text = cString(parsed.ok ? parsed.value : arg)
  const phrases: BinaryString[] = []
  let i = 0
  for (;;) {
    while (i < text.length && isCSpace(text.charCodeAt(i))) i++
    if (i >= text.length) break
    const start = i
    while (i < text.length && !isCSpace(text.charCodeAt(i))) i++
    phrases.push(text.slice(start, i))
  }
  return phrases
}

/** Evaluator shared by @pm, @pmFromFile and @pmf. */
export function linkPhrases(phrases: readonly BinaryString[]): OperatorFn {
  const matcher = new PhraseMatcher(phrases)
  return (input: BinaryString, ctx: OperatorContext): boolean => {
    if (input.length === 0) return false // v2: "Nothing to read"
    const hit = matcher.find(input)
    if (hit === undefined) return false
    ctx.message = 'Matched phrase "' + truncate252(logEscape(hit)) + '" at ' + ctx.varName + '.'
    // v2: TX.0 = the reported text; TX.1..TX.9 are unset (captures[1..] stay undefined)
    if (ctx.capture) ctx.captures[0] = hit
    return true
  }
}

export const pm: OperatorDef = {
  name: 'pm',
  doc: 'Case-insensitive (ASCII) match of any of the whitespace-separated phrases (Aho-Corasick, v2 acmp semantics); capture sets TX.0.',
  prepare(arg) {
    return { kind: 'phrases', phrases: parsePmPhrases(arg) }
  },
  link(op: OperatorRef) {
    return linkPhrases(op.params?.kind === 'phrases' ? op.params.phrases : parsePmPhrases(op.arg))
  },
}
