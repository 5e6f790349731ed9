/**
 * Variable (target) checking: names against the v2 catalog, key selectors only on collections,
 * `/regex/` keys translated (v2 matches key regexes case-insensitively), XML XPath limited to
 * what the engine evaluates.
 */
import type { VariableRef } from '../bundle/schema'
import { VARIABLES, VARIABLES_NOT_AVAILABLE } from '../engine/variables/table'
import { foldTable } from './catalog'
import { compileRegexOrThrow } from './regex-bridge'
import type { RawVariable } from './rule-syntax'
import type { CompileState } from './state'

const VARIABLE_LOOKUP = foldTable([...Object.keys(VARIABLES), ...Object.keys(VARIABLES_NOT_AVAILABLE)])

/** XPath expressions the XML body processor answers (v2 semantics for these two). */
const SUPPORTED_XPATH = new Set(['/*', '//@*'])

export class VariableProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

export function canonicalVariable(name: string): string | undefined {
  return VARIABLE_LOOKUP.get(name.toLowerCase())
}

export function buildVariables(state: CompileState, raw: RawVariable[]): VariableRef[] {
  const out: VariableRef[] = []
  for (const v of raw) out.push(buildVariable(state, v))
  return out
}

export function buildVariable(_state: CompileState, v: RawVariable): VariableRef {
  const name = canonicalVariable(v.name)
  if (name === undefined) throw new VariableProblem(`unknown variable "${v.name}"`, v.offset)
  const refusal = VARIABLES_NOT_AVAILABLE[name]
  if (refusal !== undefined) throw new VariableProblem(`variable ${name} is not available: ${refusal}`, v.offset)
  const info = VARIABLES[name]
  const kind = info?.kind
  if (info?.keyRequired && v.key === undefined) {
    // v2: "Missing mandatory parameter for variable TX" (TX:/regex/ is fine)
    throw new VariableProblem(`variable ${name} needs a key (e.g. ${name}:name or ${name}:/regex/)`, v.offset)
  }
  const ref: VariableRef = { name }
  if (v.count) ref.count = true
  if (v.exclude) ref.exclude = true
  if (v.key !== undefined) {
    if (kind !== 'collection') {
      throw new VariableProblem(`variable ${name} is not a collection and takes no ":key" selector`, v.offset)
    }
    if (name === 'XML') {
      if (!SUPPORTED_XPATH.has(v.key)) {
        throw new VariableProblem(
          `XPath "${v.key}" is not supported: the XML body processor answers XML:/* (all text) and XML://@* (all attribute values)`,
          v.offset,
        )
      }
      ref.key = v.key
    } else if (v.keyIsRegex) {
      try {
        ref.keyRx = compileRegexOrThrow(v.key, true)
      } catch (e) {
        throw new VariableProblem(`invalid key regex /${v.key}/: ${(e as Error).message}`, v.offset)
      }
    } else {
      ref.key = v.key
    }
  } else if (v.exclude) {
    throw new VariableProblem(`"!${name}" needs a key: exclusions remove single entries (e.g. !${name}:name)`, v.offset)
  }
  return ref
}
