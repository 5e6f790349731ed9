import { describe, expect, it } from 'vitest'
import type { EngineProfiler } from '../../../../src/engine/program'
import { SHARE_MIN_LENGTH } from '../../../../src/engine/tcache'
import { parseRaw, program, runAll } from './harness'

/**
 * The transformation cache (tcache.ts): a chain prefix is computed once per value, and for long
 * values each transformation's result on a given input string is shared across chains (the
 * input reached through t:utf8toUnicode on ASCII text is the input of t:urlDecodeUni alone).
 */
function counting(): { prof: EngineProfiler; calls: Map<string, number> } {
  const calls = new Map<string, number>()
  const prof: EngineProfiler = {
    now: () => 0,
    rule: () => undefined,
    operator: () => undefined,
    transformation: (name) => void calls.set(name, (calls.get(name) ?? 0) + 1),
  }
  return { prof, calls }
}

const RULES = `
SecRule ARGS "@rx ^never$" "id:1,phase:2,pass,t:utf8toUnicode,t:urlDecodeUni,t:lowercase"
SecRule ARGS "@rx ^never$" "id:2,phase:2,pass,t:urlDecodeUni,t:lowercase"
SecRule ARGS "@rx ^never$" "id:3,phase:2,pass,t:lowercase,t:urlDecodeUni"
SecRule ARGS "@rx ^<a+b>$" "id:4,phase:2,deny,status:403,t:compressWhitespace,t:urlDecodeUni,t:lowercase"
`
const get = (v: string) => parseRaw(`GET /?q=${v} HTTP/1.1\r\nHost: h\r\n\r\n`)

describe('transformation cache across chains (tcache.ts)', () => {
  it('long value: urlDecodeUni and lowercase run once per distinct input, and the results are right', () => {
    // ARGS:q is "%3CA...AB%3E" (the query parser decodes %25 once)
    const v = '%253C' + 'A'.repeat(SHARE_MIN_LENGTH * 2) + 'B%253E'
    const { prof, calls } = counting()
    const r = runAll(program(RULES, undefined, { profiler: prof }), get(v))
    expect(r.interruption?.ruleId).toBe(4)
    // inputs of urlDecodeUni: the value (rules 1, 2, 4: utf8toUnicode and compressWhitespace leave
    // it as it is) and its lowercase (rule 3)
    expect(calls.get('urlDecodeUni')).toBe(2)
    // inputs of lowercase: the decoded value (rules 1, 2, 4) and the raw value (rule 3)
    expect(calls.get('lowercase')).toBe(2)
  })

  it('short value: results are shared by chain prefix only (no per-input lookups)', () => {
    const { prof, calls } = counting()
    const r = runAll(program(RULES, undefined, { profiler: prof }), get('%253CAAB%253E'))
    expect(r.interruption?.ruleId).toBe(4)
    // rule 1 and rule 2 have different first steps: urlDecodeUni runs for each chain prefix
    expect(calls.get('urlDecodeUni')).toBe(4)
  })
})
