/**
 * The one place where the compiler turns PCRE patterns into JavaScript RegexSpecs (operators,
 * key selectors, SecAuditLogRelevantStatus, *ByTag/*ByMsg directives).
 */
import type { RegexSpec } from '../bundle/schema'

// PROVISIONAL: replaced by src/compiler/regex (the PCRE->JS translator) as soon as it lands.
function provisionalTranslate(pattern: string): RegexSpec {
  let source = pattern
  let flags = 's'
  const m = /^\(\?([is]+)\)/.exec(source)
  if (m) {
    source = source.slice(m[0].length)
    if (m[1]?.includes('i')) flags += 'i'
  }
  new RegExp(source, flags)
  return { source, flags }
}

/** Translate with v2 semantics; `caseless` adds PCRE_CASELESS (key selectors). Throws Error with a reason. */
export function compileRegexOrThrow(pattern: string, caseless = false): RegexSpec {
  return provisionalTranslate(caseless ? `(?i)${pattern}` : pattern)
}

/** For build-time matching (SecRuleRemoveByTag etc.). */
export function buildTimeRegExp(pattern: string): RegExp {
  const spec = compileRegexOrThrow(pattern)
  return new RegExp(spec.source, spec.flags)
}
