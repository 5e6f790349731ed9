/**
 * The one place where the compiler turns PCRE patterns into JavaScript RegexSpecs (operators,
 * key selectors, SecAuditLogRelevantStatus, *ByTag/*ByMsg directives), with ModSecurity 2.9
 * semantics (PCRE DOTALL | DOLLAR_ENDONLY over bytes). See src/compiler/regex/README.md.
 */
import type { RegexSpec } from '../bundle/schema'
import { translate } from './regex'

/**
 * Translate with v2 semantics; `caseless` adds PCRE_CASELESS (key selectors). Throws
 * RegexTranslateError (with `offset` and `construct`) or Error with a reason.
 */
export function compileRegexOrThrow(pattern: string, caseless = false, mode: 'v2' | 'v3' = 'v2'): RegexSpec {
  // 'v3' = DOTALL | MULTILINE: what v2 itself uses for the verifyCC/SSN/CPF patterns
  const js = translate(pattern, { mode, caseless })
  // make sure the engine will be able to build it
  new RegExp(js.source, js.flags)
  const spec: RegexSpec = { source: js.source, flags: js.flags }
  return spec
}

/** For build-time matching (SecRuleRemoveByTag etc.). */
export function buildTimeRegExp(pattern: string): RegExp {
  const spec = compileRegexOrThrow(pattern)
  return new RegExp(spec.source, spec.flags)
}
