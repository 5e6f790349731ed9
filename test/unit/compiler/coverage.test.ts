/**
 * The compiler and the engine agree on the language: every ModSecurity 2.9 operator the
 * compiler knows is either run by the engine or refused with a reason; the ctl options the
 * compiler accepts are the ones the engine executes.
 */
import { describe, expect, it } from 'vitest'
import { CTL_OPTIONS as COMPILER_CTL, OPERATOR_ALIASES, OPERATOR_NAMES } from '../../../src/compiler/catalog'
import { operatorRefusal } from '../../../src/compiler/support'
import { CTL_OPTIONS as ENGINE_CTL } from '../../../src/engine/actions'
import { OPERATORS } from '../../../src/engine/operators'

describe('compiler/engine coverage', () => {
  it('every v2 operator is implemented or refused with a reason', () => {
    for (const name of OPERATOR_NAMES) {
      const canonical = OPERATOR_ALIASES[name] ?? name
      const implemented = OPERATORS[canonical] !== undefined
      const reason = operatorRefusal(canonical)
      expect(implemented || (reason !== undefined && reason.length > 10), name).toBe(true)
      if (implemented) expect(reason, name).toBeUndefined()
    }
  })
  it('every operator the engine registers is known to the compiler', () => {
    for (const name of Object.keys(OPERATORS)) expect(OPERATOR_NAMES as readonly string[], name).toContain(name)
  })
  it('ctl options agree', () => {
    expect(Object.keys(COMPILER_CTL).sort()).toEqual(Object.keys(ENGINE_CTL).sort())
  })
})
