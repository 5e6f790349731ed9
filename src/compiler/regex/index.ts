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
import { analyzeHazards, type Hazard } from './hazard'
import { Parser, type Mode } from './parser'
import { planRegex, type RegexPlan } from './strategy'

export { RegexTranslateError } from './errors'
export type { Mode } from './parser'
export type { JsRegex } from './emit-js'
export type { Hazard, HazardReport } from './hazard'
export type { RegexPlan } from './strategy'

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

/**
 * What the compiler stores in the bundle for a regex: the JS translation plus the execution
 * strategy (engine, length cap, RE2 form) decided from the hazard analysis. Throws
 * RegexTranslateError like translate().
 */
export function compileRegex(pattern: string, options: TranslateOptions): RegexPlan {
  return planRegex(parsePattern(pattern, options))
}

/**
 * Backtracking hazards of a pattern, for compiler warnings on users' own rules
 * (`file:line: rule id: <message> at offset N`). Heuristic and cheap (see hazard.ts). Patterns
 * that do not parse return no warnings (translate() reports those).
 */
export function lintPattern(pattern: string, options: TranslateOptions = { mode: 'v2' }): Hazard[] {
  let parsed: ParsedPattern
  try {
    parsed = parsePattern(pattern, options)
  } catch {
    return []
  }
  return analyzeHazards(parsed).hazards
}
