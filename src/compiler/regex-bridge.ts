/**
 * The one place where the compiler turns PCRE patterns into JavaScript RegexSpecs (operators,
 * key selectors, SecAuditLogRelevantStatus, *ByTag/*ByMsg directives), with ModSecurity 2.9
 * semantics (PCRE DOTALL | DOLLAR_ENDONLY over bytes) and the execution strategy that bounds
 * its CPU cost (src/compiler/regex/README.md, strategy.ts).
 */
import type { RegexSpec } from '../bundle/schema'
import { compileRegex, type RegexPlan } from './regex'

/**
 * Translate and plan. `caseless` adds PCRE_CASELESS (key selectors); mode 'v3' is
 * DOTALL | MULTILINE, which v2 itself uses for the verifyCC/SSN/CPF patterns. Throws
 * RegexTranslateError (with `offset` and `construct`) or Error with a reason.
 */
export function planRegexOrThrow(pattern: string, caseless = false, mode: 'v2' | 'v3' = 'v2'): RegexPlan {
  const plan = compileRegex(pattern, { mode, caseless })
  // make sure the engine will be able to build it
  new RegExp(plan.spec.source, plan.spec.flags)
  return plan
}

export function compileRegexOrThrow(pattern: string, caseless = false, mode: 'v2' | 'v3' = 'v2'): RegexSpec {
  return planRegexOrThrow(pattern, caseless, mode).spec
}

/** For build-time matching (SecRuleRemoveByTag etc.): the V8 translation, exact semantics. */
export function buildTimeRegExp(pattern: string): RegExp {
  const spec = compileRegexOrThrow(pattern)
  return new RegExp(spec.source, spec.flags)
}
