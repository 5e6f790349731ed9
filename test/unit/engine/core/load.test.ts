import { describe, expect, it } from 'vitest'
import { BUNDLE_FORMAT_VERSION } from '../../../../src/bundle/schema'
import { BundleError, loadProgram } from '../../../../src/engine/link'
import { OPERATORS } from '../../../../src/engine/operators'
import type { OperatorDef } from '../../../../src/engine/operators/types'
import { TRANSFORMATIONS } from '../../../../src/engine/transformations'
import type { TransformationDef } from '../../../../src/engine/transformations/types'
import { Transaction } from '../../../../src/engine/transaction'
import { compileRules, parseRaw, runAll } from './harness'

const GET = 'GET /?a=xyz HTTP/1.1\r\nHost: localhost\r\n\r\n'

function without<T>(reg: Readonly<Record<string, T>>, name: string): Record<string, T> {
  const out: Record<string, T> = {}
  for (const k of Object.keys(reg)) if (k !== name) out[k] = reg[k] as T
  return out
}

describe('loadProgram', () => {
  it('refuses another format or formatVersion with a clear error', () => {
    const b = compileRules('SecAction "id:1,phase:1,pass,nolog"')
    expect(() => loadProgram({ ...b, format: 'other' as 'waf-bundle' })).toThrow(
      /format is "other", expected "waf-bundle"/,
    )
    expect(() => loadProgram({ ...b, formatVersion: BUNDLE_FORMAT_VERSION + 1 })).toThrow(
      new RegExp(
        `formatVersion ${BUNDLE_FORMAT_VERSION + 1} does not match the engine's ${BUNDLE_FORMAT_VERSION}`,
      ),
    )
    expect(() => loadProgram({ ...b, phases: [] })).toThrow(BundleError)
  })

  it('fails at load on names the registries do not know', () => {
    const b = compileRules('SecRule ARGS "@rx a" "id:1,phase:2,pass,nolog,t:lowercase"')
    expect(() => loadProgram(b, { operators: without(OPERATORS, 'rx') })).toThrow(/unknown operator @rx/)
    expect(() => loadProgram(b, { transformations: without(TRANSFORMATIONS, 'lowercase') })).toThrow(
      /unknown transformation\(s\): lowercase/,
    )
    const bad = structuredClone(b)
    const rule = bad.phases[1]?.[0]
    if (rule === undefined) throw new Error('no rule')
    rule.vars = [{ name: 'NO_SUCH_VAR' }]
    expect(() => loadProgram(bad)).toThrow(/unknown variable NO_SUCH_VAR/)
  })

  it('builds each operator once, on first use, and shares it between transactions', () => {
    let links = 0
    const counting: OperatorDef = {
      name: 'streq',
      doc: 'test double',
      link: (op) => {
        links++
        return (input) => input === op.arg
      },
    }
    const p = loadProgram(compileRules('SecRule ARGS "@streq xyz" "id:1,phase:2,pass,log"'), {
      operators: { ...OPERATORS, streq: counting },
    })
    expect(links).toBe(0)
    runAll(p, parseRaw(GET))
    runAll(p, parseRaw(GET))
    expect(links).toBe(1)
  })
})

describe('transformation cache', () => {
  it('never runs a value through the same chain prefix twice in a transaction', () => {
    const calls: Record<string, number> = { a: 0, b: 0 }
    const tf = (name: 'a' | 'b'): TransformationDef => ({
      name,
      doc: 'test double',
      fn: (s) => {
        calls[name] = (calls[name] ?? 0) + 1
        return s + name
      },
    })
    const reg = { ...TRANSFORMATIONS, lowercase: tf('a'), uppercase: tf('b') }
    const rules = [
      'SecRule ARGS "@rx nomatch" "id:1,phase:2,pass,nolog,t:lowercase"',
      'SecRule ARGS "@rx nomatch" "id:2,phase:2,pass,nolog,t:lowercase"',
      'SecRule ARGS "@rx nomatch" "id:3,phase:2,pass,nolog,t:lowercase,t:uppercase"',
      'SecRule ARGS "@rx nomatch" "id:4,phase:2,pass,nolog,t:lowercase,t:uppercase"',
      'SecRule ARGS|ARGS_GET "@rx xyzab" "id:5,phase:2,pass,log,t:lowercase,t:uppercase"',
    ].join('\n')
    const p = loadProgram(compileRules(rules), { transformations: reg })
    const r = runAll(p, parseRaw('GET /?a=xyz&b=xyz&c=other HTTP/1.1\r\nHost: localhost\r\n\r\n'))
    // distinct values: "xyz" and "other"; each goes through lowercase once and lowercase+uppercase once
    expect(calls).toEqual({ a: 2, b: 2 })
    expect(r.tx.records.map((x) => x.matchedVarName)).toEqual([
      'ARGS:a',
      'ARGS:b',
      'ARGS_GET:a',
      'ARGS_GET:b',
    ])
  })
})

describe('phase sequencing', () => {
  const rules = [1, 2, 3, 4, 5].map((n) => `SecAction "id:${n},phase:${n},pass,log"`).join('\n')

  it('a later process call runs the phases not run yet, each once', () => {
    const tx = new Transaction(loadProgram(compileRules(rules)), parseRaw(GET))
    tx.processResponseHeaders(200, 'HTTP/1.1', [])
    expect(tx.records.map((r) => r.id)).toEqual([1, 2, 3])
    tx.processRequestBody()
    tx.processLogging()
    tx.processLogging()
    expect(tx.records.map((r) => r.id)).toEqual([1, 2, 3, 5])
  })

  it('SecRuleEngine Off runs nothing', () => {
    const r = runAll(loadProgram(compileRules(rules, { ruleEngine: 'Off' })), parseRaw(GET))
    expect(r.all).toEqual([])
  })

  it('an interruption skips phases 2-4 and keeps phase 5', () => {
    const p = loadProgram(compileRules(rules + '\nSecAction "id:9,phase:1,deny,nolog"'))
    const tx = new Transaction(p, parseRaw(GET))
    expect(tx.processRequestHeaders()).toEqual({ status: 403, kind: 'deny', ruleId: 9, phase: 1 })
    expect(tx.processRequestBody()).toEqual({ status: 403, kind: 'deny', ruleId: 9, phase: 1 })
    tx.processResponseHeaders(200, 'HTTP/1.1', [])
    tx.processLogging()
    expect(tx.records.map((r) => r.id)).toEqual([1, 9, 5])
  })
})

describe('request body limits', () => {
  const rules = 'SecRule ARGS_POST|INBOUND_DATA_ERROR "@unconditionalMatch" "id:1,phase:2,pass,log"'
  const post =
    'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\na=1&b=2'

  it('Reject answers 413 before phase 2', () => {
    const r = runAll(
      loadProgram(compileRules(rules, { ruleEngine: 'On', requestBodyAccess: true, requestBodyLimit: 3 })),
      parseRaw(post),
    )
    expect(r.interruption).toEqual({ status: 413, kind: 'deny', ruleId: 0, phase: 2 })
    expect(r.all).toEqual([])
    expect(r.tx.state.engineMessages).toEqual([
      'Request body (Content-Length) is larger than the configured limit (3).',
    ])
  })

  it('ProcessPartial inspects the first bytes and sets INBOUND_DATA_ERROR', () => {
    const cfg = {
      ruleEngine: 'On' as const,
      requestBodyAccess: true,
      requestBodyLimit: 3,
      requestBodyLimitAction: 'ProcessPartial' as const,
    }
    const r = runAll(loadProgram(compileRules(rules, cfg)), parseRaw(post))
    expect(r.interruption).toBeUndefined()
    expect(r.tx.records.map((x) => `${x.matchedVarName}=${x.matchedVar}`)).toEqual([
      'ARGS_POST:a=1',
      'INBOUND_DATA_ERROR=1',
    ])
  })
})

describe('transaction API', () => {
  it('takes the request body in processRequestBody and reports audit settings', () => {
    const rules = [
      'SecRule ARGS_POST:a "@rx 1" "id:1,phase:2,pass,log,auditlog,ctl:auditLogParts=+E,ctl:auditEngine=RelevantOnly"',
      'SecRule ARGS:b "@rx 2" "id:2,phase:2,pass,nolog,sanitiseArg:b"',
    ].join('\n')
    const p = loadProgram(compileRules(rules))
    const req = parseRaw(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n',
    )
    delete req.body
    const tx = new Transaction(p, req)
    tx.processRequestHeaders()
    tx.processRequestBody('a=1&b=2')
    expect(tx.records.map((r) => r.id)).toEqual([1, 2])
    expect(tx.audit).toEqual({
      engine: 'RelevantOnly',
      parts: 'ABCFHZE',
      relevant: true,
      sanitize: { args: ['b'], matched: [], requestHeaders: [], responseHeaders: [] },
    })
  })
})

describe('robustness', () => {
  it('a faulty operator or transformation fails its rule, never the transaction', () => {
    const boom = (): never => {
      throw new Error('boom')
    }
    const reg = { ...TRANSFORMATIONS, lowercase: { name: 'lowercase', doc: 'faulty double', fn: boom } }
    const ops = { ...OPERATORS, streq: { name: 'streq', doc: 'faulty double', link: () => boom } }
    const rules = [
      'SecRule ARGS "@rx x" "id:1,phase:2,pass,log,t:lowercase"',
      'SecRule ARGS "@streq xyz" "id:2,phase:2,pass,log"',
      'SecRule ARGS "@rx x" "id:3,phase:2,pass,log"',
    ].join('\n')
    const r = runAll(
      loadProgram(compileRules(rules), { transformations: reg, operators: ops }),
      parseRaw(GET),
    )
    expect(r.tx.records.map((x) => x.id)).toEqual([3])
  })
})
