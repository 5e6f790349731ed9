import type { OperatorDef } from './types'

/**
 * The operator registry, keyed by canonical SecLang name (without '@'). The compiler validates
 * names against it and the linker builds evaluators from it.
 */
export const OPERATORS: Record<string, OperatorDef> = {}
