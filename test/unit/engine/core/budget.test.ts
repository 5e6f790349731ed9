import { describe, expect, it } from 'vitest'
import { DEFAULT_INSPECTION_BUDGET, WORK_UNITS } from '../../../../src/engine/budget'
import { Transaction } from '../../../../src/engine/index'
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

  describe('long values: the budget stops between transformation steps', () => {
    // one 60 KB argument; rule 1's chain costs three steps over it, and rule 9 (phase 5, where
    // the budget does not apply) needs the same chain's full result
    const CHAIN = 't:lowercase,t:urlDecode,t:urlDecode,t:compressWhitespace'
    const LONG = `
SecRule ARGS "@streq never" "id:1,phase:2,deny,${CHAIN}"
SecRule ARGS "@streq abc def" "id:9,phase:5,pass,log,${CHAIN}"
`
    const body = 'q=ABC' + '%2520'.repeat(12000) + 'DEF'
    const req = () =>
      parseRaw(
        `POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      )
    const config = { ruleEngine: 'DetectionOnly' as const, requestBodyAccess: true }
    const full = runAll(program(LONG, config, { inspectionBudget: Infinity }), req())
    // the most one step can add: its input's bytes and the call
    const step = body.length * WORK_UNITS.transformByte + WORK_UNITS.transformCall
    it('without a budget the full chain runs and rule 9 sees its result', () => {
      expect(full.tx.state.budgetExceeded).toBe(false)
      expect(full.alerts.some((a) => a.includes('[id "9"]'))).toBe(true)
    })

    it.each([0.2, 0.4, 0.6, 0.8, 0.95])(
      'a budget at %s of the full cost stops within one step of it; phase 5 still sees full results',
      (share) => {
        const budget = Math.floor(full.tx.state.work * share)
        const p = program(LONG, config, { inspectionBudget: budget })
        const tx = new Transaction(p, req())
        tx.processRequestHeaders()
        tx.processRequestBody()
        expect(tx.state.budgetExceeded).toBe(true)
        expect(tx.state.work).toBeLessThanOrEqual(budget + step)
        const r = runAll(p, req())
        // nothing partial was cached: rule 9 transformed the value to the end and matched
        expect(r.alerts.some((a) => a.includes('[id "9"]'))).toBe(true)
      },
    )
  })

  describe('a capturing search on the linear-time engine is paid for before it runs', () => {
    // quadratic for V8, so over its 512-byte cap the linear-time engine answers, and with
    // `capture` its NFA finds the groups (WORK_UNITS.captureByte per byte)
    const CAP = `
SecRule ARGS "@rx <[^>]*=x" "id:5,phase:2,deny,status:403,capture,log,logdata:'%{TX.0}'"
SecRule TX:MSC_INSPECTION_BUDGET_EXCEEDED "@eq 1" "id:9,phase:5,pass,log,msg:'budget flagged'"
`
    const value = '<'.repeat(5000) + '=x'
    const req = () => parseRaw(`GET /?q=${'%3C'.repeat(5000)}%3Dx HTTP/1.1\r\nHost: h\r\n\r\n`)
    const search = value.length * WORK_UNITS.captureByte
    const full = runAll(program(CAP, undefined, { inspectionBudget: Infinity }), req())

    it('with the budget to pay for it: the match, its groups and the charge', () => {
      expect(full.interruption).toMatchObject({ status: 403, ruleId: 5 })
      expect(full.tx.txValue('0')).toBe(value)
      expect(full.tx.state.work).toBeGreaterThan(search)
    })

    it('without it: not started; 413 and the flag, never a silent pass', () => {
      // enough for everything but half of the search
      const budget = full.tx.state.work - Math.floor(search / 2)
      const r = runAll(program(CAP, undefined, { inspectionBudget: budget }), req())
      expect(r.interruption).toMatchObject({ status: 413, ruleId: 0, phase: 2 })
      expect(r.tx.txValue('0')).toBeUndefined()
      expect(r.tx.state.work).toBeLessThan(budget)
      expect(r.alerts.some((a) => a.includes('[id "9"]'))).toBe(true)
    })
  })

  it('a setvar key built from request data is counted per byte', () => {
    // CRS names per-match TX variables after %{MATCHED_VAR_NAME}: as long as the argument name
    const rule = (key: string) => `SecRule ARGS_NAMES "@rx ^a" "id:1,phase:2,pass,nolog,setvar:'tx.${key}=1'"`
    const name = 'a'.repeat(10000)
    const req = () => parseRaw(`GET /?${name}=1 HTTP/1.1\r\nHost: h\r\n\r\n`)
    const fromName = runAll(program(rule('m-%{MATCHED_VAR_NAME}')), req())
    const fixed = runAll(program(rule('m-fixed')), req())
    expect(fromName.tx.txValue(`m-ARGS_NAMES:${name}`)).toBe('1')
    expect(fromName.tx.state.work - fixed.tx.state.work).toBeGreaterThanOrEqual(
      name.length * WORK_UNITS.setvarKeyByte,
    )
  })
})
