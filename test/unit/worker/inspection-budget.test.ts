import { describe, expect, it } from 'vitest'
import { DEFAULT_INSPECTION_BUDGET } from '../../../src/engine/budget'
import { inspectionBudgetOf } from '../../../src/worker/waf-program'

describe('WAF_INSPECTION_BUDGET (waf-program.ts inspectionBudgetOf)', () => {
  it.each([
    [undefined, DEFAULT_INSPECTION_BUDGET],
    ['', DEFAULT_INSPECTION_BUDGET],
    ['  ', DEFAULT_INSPECTION_BUDGET],
    ['5000000', 5_000_000],
    [' 1 ', 1],
    ['off', Infinity],
    ['OFF', Infinity],
  ])('%j -> %d units', (setting, units) => {
    expect(inspectionBudgetOf(setting)).toBe(units)
  })

  it.each(['0', '-5', '1e6', '2,000,000', '10ms', 'none', '99999999999999999999'])(
    'refuses %j instead of switching the guard off',
    (setting) => {
      expect(() => inspectionBudgetOf(setting)).toThrow(/WAF_INSPECTION_BUDGET/)
    },
  )
})
