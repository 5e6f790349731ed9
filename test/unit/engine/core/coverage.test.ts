import { describe, expect, it } from 'vitest'
import { ACTIONS, ACTIONS_NOT_IMPLEMENTED, CTL_OPTIONS } from '../../../../src/engine/actions/index'
import { VARIABLE_IMPLS } from '../../../../src/engine/variables/registry'
import { VARIABLES, VARIABLES_NOT_AVAILABLE } from '../../../../src/engine/variables/table'
import { loadVectors } from './harness'

/**
 * Coverage meta-tests: every variable, action and ctl option the engine offers has vectors;
 * what it does not offer is listed with a reason; the declarative table and the resolvers agree.
 */

function allRules(dir: string): string {
  let text = ''
  for (const [, doc] of loadVectors(dir)) for (const c of doc.cases) text += '\n' + c.rules
  return text
}

describe('variable coverage', () => {
  const rules = allRules('variables') + allRules('actions')
  it('every VARIABLES entry has a resolver and every resolver an entry', () => {
    expect(Object.keys(VARIABLE_IMPLS).sort()).toEqual(Object.keys(VARIABLES).sort())
  })
  it('offered and refused variables are disjoint', () => {
    for (const n of Object.keys(VARIABLES_NOT_AVAILABLE)) expect(VARIABLES[n], n).toBeUndefined()
  })
  for (const name of Object.keys(VARIABLES)) {
    it(`${name} appears as a target in the vectors`, () => {
      // a target: start of the list or after | & ! and followed by : | space or quote
      const re = new RegExp(`(?:^|[\\s|&!])${name}(?=[:|\\s"])`, 'm')
      expect(re.test(rules), `${name} has no vector`).toBe(true)
    })
  }
})

describe('action coverage', () => {
  const rules = allRules('actions') + allRules('variables')
  for (const name of Object.keys(ACTIONS)) {
    if (ACTIONS_NOT_IMPLEMENTED[name] !== undefined) continue
    it(`${name} is used in the vectors`, () => {
      const re = new RegExp(`[",]${name}(?=[:,"])`)
      expect(re.test(rules), `${name} has no vector`).toBe(true)
    })
  }
  it('every refused action is a known action with a reason', () => {
    for (const [n, why] of Object.entries(ACTIONS_NOT_IMPLEMENTED)) {
      expect(ACTIONS[n], n).toBeDefined()
      expect(why.length).toBeGreaterThan(10)
    }
  })
  for (const option of Object.keys(CTL_OPTIONS)) {
    if (option === 'hashEngine' || option === 'hashEnforcement') continue
    it(`ctl:${option} is used in the vectors`, () => {
      expect(rules.includes(`ctl:${option}=`), `ctl:${option} has no vector`).toBe(true)
    })
  }
})
