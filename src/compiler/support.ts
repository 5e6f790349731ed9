/**
 * What the engine can run: the compiler refuses, with the engine's reason, names that are valid
 * SecLang but that the engine does not implement at the edge.
 */
import { NOT_IMPLEMENTED, OPERATORS } from '../engine/operators'

/** Reasons for operators the engine will never run at the edge (merged with the engine's list). */
const OPERATOR_REFUSALS: Record<string, string> = {
  rxGlobal: 'libModSecurity v3 only; not part of ModSecurity 2.9',
  verifySVNR: 'libModSecurity v3 only; not part of ModSecurity 2.9',
}

/**
 * The reason an operator is refused, or undefined when the engine runs it. Every catalog name is
 * either in the engine's OPERATORS or refused here: test/unit/compiler/coverage.test.ts checks it.
 */
export function operatorRefusal(name: string): string | undefined {
  if (OPERATORS[name] !== undefined) return undefined
  return NOT_IMPLEMENTED[name] ?? OPERATOR_REFUSALS[name]
}
