import { describe, expect, it } from 'vitest'
import { DEFAULT_INSPECTION_BUDGET, WORK_UNITS } from '../../../../src/engine/budget'
import { parseRaw, program, runAll } from './harness'

// Four rules over ARGS; the last one logs in phase 5, so we see that logging still runs.
const RULES = `
SecRule ARGS "@streq nomatch1" "id:1,phase:2,deny,t:lowercase"
SecRule ARGS "@streq nomatch2" "id:2,phase:2,deny,t:urlDecode"
SecRule ARGS "@rx attack" "id:3,phase:2,deny,status:403,log"
SecRule TX:MSC_INSPECTION_BUDGET_EXCEEDED "@eq 1" "id:9,phase:5,pass,log,msg:'budget flagged'"
`
const request = (n: number) =>
  parseRaw(
    `GET /?${Array.from({ length: n }, (_, i) => `a${i}=x`).join('&')}&z=attack HTTP/1.1\r\nHost: h\r\n\r\n`,
  )

describe('inspection budget (budget.ts)', () => {
  it('is off the path of a normal request: the rules decide', () => {
    const r = runAll(program(RULES), request(10))
    expect(r.interruption?.status).toBe(403)
    expect(r.interruption?.ruleId).toBe(3)
    expect(r.tx.state.budgetExceeded).toBe(false)
    expect(r.tx.state.work).toBeLessThan(DEFAULT_INSPECTION_BUDGET / 100)
  })

  it('counts deterministically', () => {
    const p = program(RULES)
    expect(runAll(p, request(50)).tx.state.work).toBe(runAll(p, request(50)).tx.state.work)
  })

  it('On: a spent budget stops inspection fail-closed with 413, flags TX and logs it; phase 5 runs', () => {
    // enough for rule 1 over the 301 items, not for rules 2 and 3 as well
    const budget = 301 * (WORK_UNITS.operatorCall + 1) + 400
    const r = runAll(program(RULES, undefined, { inspectionBudget: budget }), request(300))
    expect(r.interruption).toMatchObject({ status: 413, ruleId: 0, phase: 2 })
    expect(r.tx.state.budgetExceeded).toBe(true)
    expect(r.tx.state.engineMessages.join('\n')).toContain(`Inspection budget exceeded (${budget} units).`)
    // the attack in the last argument was never seen by rule 3: no silent pass, a 413
    expect(r.alerts.some((a) => a.includes('[id "3"]'))).toBe(false)
    expect(r.alerts.some((a) => a.includes('[id "9"]') && a.includes('budget flagged'))).toBe(true)
    // stopped within rule 2 (checked per operator call), not after the rule loop
    expect(r.tx.state.work).toBeLessThan(budget + 1000)
  })

  it('DetectionOnly: the message and the flag, no interruption', () => {
    const budget = 1000
    const r = runAll(
      program(RULES, { ruleEngine: 'DetectionOnly', requestBodyAccess: true }, { inspectionBudget: budget }),
      request(300),
    )
    expect(r.interruption).toBeUndefined()
    expect(r.tx.state.budgetExceeded).toBe(true)
    expect(r.tx.state.engineMessages.join('\n')).toContain('Inspection budget exceeded')
    expect(r.alerts.some((a) => a.includes('[id "9"]'))).toBe(true)
  })

  it('Infinity: no guard', () => {
    const r = runAll(program(RULES, undefined, { inspectionBudget: Infinity }), request(900))
    expect(r.tx.state.budgetExceeded).toBe(false)
    expect(r.interruption?.ruleId).toBe(3)
  })
})
