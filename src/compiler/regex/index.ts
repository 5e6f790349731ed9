/**
 * PCRE -> JavaScript regex translation for ModSecurity `@rx` patterns (build time; pure TS, no
 * Node APIs). See README.md in this folder for the semantics and the decisions.
 *
 *   translate(pattern, { mode }) -> { source, flags, groups? }
 *
 * `pattern` is the @rx argument as a binary string (one char per byte; backslashes verbatim).
 * `mode`: 'v2' = mod_security2 (PCRE DOTALL|DOLLAR_ENDONLY), 'v3' = libmodsecurity 3 / Coraza
 * (DOTALL|MULTILINE). The result is for `new RegExp(source, flags)` run on binary strings.
 * Throws RegexTranslateError (offset + construct) for anything it cannot translate exactly.
 */
import type { ParsedPattern } from './ast'
import { checkBackrefs } from './checks'
import { emitJs, type JsRegex } from './emit-js'
import { Parser, type Mode } from './parser'

export { RegexTranslateError } from './errors'
export type { Mode } from './parser'
export type { JsRegex } from './emit-js'

export interface TranslateOptions {
  mode: Mode
  /**
   * Compile as with PCRE_CASELESS (same as a leading `(?i)`): ModSecurity v2 compiles regex key
   * selectors such as `TX:/^foo/` this way (re_variables.c). Default false (@rx).
   */
  caseless?: boolean
}

export function parsePattern(pattern: string, options: TranslateOptions): ParsedPattern {
  const parsed = new Parser(pattern, options.mode, options.caseless === true).parse()
  checkBackrefs(parsed)
  return parsed
}

export function translate(pattern: string, options: TranslateOptions): JsRegex {
  return emitJs(parsePattern(pattern, options))
}
