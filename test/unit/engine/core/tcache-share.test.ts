import { describe, expect, it } from 'vitest'
import type { EngineProfiler } from '../../../../src/engine/program'
import { parseRaw, program, runAll } from './harness'

/**
 * The transformation cache (tcache.ts): a chain prefix is computed once per value, and each
 * transformation's result on a given input is shared across chains (the input reached through
 * t:utf8toUnicode on ASCII text is the input of t:urlDecodeUni alone).
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
  // ARGS:q is "%3CA...AB%3E" (the query parser decodes %25 once); short and long values are
  // cached alike
  for (const [label, v] of [
    ['short value', '%253CAAB%253E'],
    ['long value', '%253C' + 'A'.repeat(600) + 'B%253E'],
  ] as const) {
    it(`${label}: urlDecodeUni and lowercase run once per distinct input, and the results are right`, () => {
      const { prof, calls } = counting()
      const r = runAll(program(RULES, undefined, { profiler: prof }), get(v))
      expect(r.interruption?.ruleId).toBe(4)
      // inputs of urlDecodeUni: the value (rules 1, 2, 4: utf8toUnicode and compressWhitespace
      // leave it as it is) and its lowercase (rule 3)
      expect(calls.get('urlDecodeUni')).toBe(2)
      // inputs of lowercase: the decoded value (rules 1, 2, 4) and the raw value (rule 3)
      expect(calls.get('lowercase')).toBe(2)
      // utf8toUnicode and compressWhitespace never run: the value has no byte they act on
      // (transformations/identity.ts)
      expect(calls.get('utf8toUnicode')).toBeUndefined()
      expect(calls.get('compressWhitespace')).toBeUndefined()
    })
  }

  it('a changed value in a later transaction is transformed again (entries are per transaction)', () => {
    const { prof, calls } = counting()
    const p = program(RULES, undefined, { profiler: prof })
    runAll(p, get('%253CAAB%253E'))
    runAll(p, get('%253CAAB%253E'))
    expect(calls.get('urlDecodeUni')).toBe(4)
    const r = runAll(p, get('%253Cxb%253E'))
    expect(r.interruption).toBeUndefined()
    expect(calls.get('urlDecodeUni')).toBe(6)
  })
})
