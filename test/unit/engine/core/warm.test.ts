/**
 * warmProgram with options (warm.ts): only the rules of the configured paranoia level, costliest
 * first within a byte budget, deterministic; without options, everything as before.
 */
import { describe, expect, it } from 'vitest'
import { loadProgram } from '../../../../src/engine/link'
import type { LinkedRule, Program } from '../../../../src/engine/program'
import { configuredParanoiaLevel, warmProgram } from '../../../../src/engine/warm'
import { compileRules } from './harness'

const A = 'a'.repeat(40)
const B = 'b'.repeat(20)
const RULES = `
SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=2"
SecRule &TX:blocking_paranoia_level "@eq 0" "id:901100,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"
SecRule &TX:detection_paranoia_level "@eq 0" "id:901110,phase:1,pass,nolog,setvar:'tx.detection_paranoia_level=%{TX.blocking_paranoia_level}'"
SecRule ARGS "@rx ${A}" "id:1,phase:2,pass,nolog,tag:'paranoia-level/1'"
SecRule ARGS "@rx ${B}" "id:2,phase:2,pass,nolog,tag:'paranoia-level/2'"
SecRule ARGS "@rx c{2,}" "id:3,phase:2,pass,nolog,tag:'paranoia-level/3'"
SecRule ARGS "@pm alpha beta gamma" "id:4,phase:2,pass,nolog"
SecRule ARGS:/^k/ "@rx d" "id:5,phase:2,pass,nolog,chain"
  SecRule ARGS "@rx ${'e'.repeat(30)}" "t:none"
`

function program(): Program {
  return loadProgram(compileRules(RULES))
}

/** ids of the rules (and chain links, as id+'.link') whose operator is linked */
function linked(p: Program): string[] {
  const out: string[] = []
  for (const phase of p.phases)
    for (const head of phase)
      for (let r: LinkedRule | undefined = head; r !== undefined; r = r.next)
        if (r.opFn !== undefined) out.push(r.isLink ? `${r.id}.link` : String(r.id))
  return out.sort()
}

describe('warmProgram', () => {
  it('reads the paranoia level the rule set sets (largest literal setvar, macros ignored)', () => {
    expect(configuredParanoiaLevel(program())).toBe(2)
    expect(
      configuredParanoiaLevel(loadProgram(compileRules('SecRule ARGS "@rx x" "id:1,phase:2,pass"'))),
    ).toBe(undefined)
  })

  it('without options warms every rule, as before', () => {
    const p = program()
    const r = warmProgram(p)
    expect(r.regexes).toBe(5)
    expect(r.phrases).toBe(1)
    expect(r.selectors).toBe(1)
    expect(r.skipped).toBe(0)
    expect(r.paranoiaLevel).toBeNull()
  })

  it('builds the literal index, whatever the byte budget', () => {
    const p = program()
    expect(p.literals?.nodeCount).toBe(0)
    warmProgram(p, { budget: 0 })
    expect(p.literals?.nodeCount).toBeGreaterThan(0)
  })

  it('leaves the rules tagged above the configured level', () => {
    const p = program()
    const r = warmProgram(p, { paranoiaLevel: 'auto' })
    expect(r.paranoiaLevel).toBe(2)
    expect(r.regexes).toBe(4)
    expect(r.skipped).toBe(1)
    expect(linked(p)).not.toContain('3')
    expect(linked(p)).toContain('2')
  })

  it('spends the byte budget on the largest operators first, then fills it with smaller ones', () => {
    const p = program()
    // bytes (pattern + prefilter literals; phrases): 1 = 40 + 24, 5.link = 30 + 24, 4 = 14, 5 = 1 + 1
    // (2 and 3 are above level 1); budget 80: 64, then 54 does not fit, 14 and 2 do
    const r = warmProgram(p, { paranoiaLevel: 1, budget: 80 })
    expect(r.bytes).toBe(80)
    expect(linked(p)).toEqual(['1', '4', '5', '900000', '901100', '901110'])
    expect(r.regexes).toBe(2)
    expect(r.phrases).toBe(1)
    // left: 5.link (over the budget), 2 and 3 (above the level)
    expect(r.skipped).toBe(3)
  })

  it('with a sample, operators its text reaches come first (phrase lists, matching literals)', () => {
    const p = program()
    // the sample holds rule 5.link's literal (e x 24) but not rule 1's: 5.link (54) fits 80, then
    // the phrase list of 4 (always reached, 14) and rule 5 ("d" is in the sample: 2); rule 1 (64) not
    const r = warmProgram(p, { paranoiaLevel: 1, budget: 80, sample: `name=${'E'.repeat(30)}&id=d` })
    expect(linked(p)).toEqual(['4', '5', '5.link', '900000', '901100', '901110'])
    expect(r.bytes).toBe(70)
  })

  it('is deterministic: the same program and options warm the same operators', () => {
    const a = program()
    const b = program()
    expect(warmProgram(a, { paranoiaLevel: 'auto', budget: 50 })).toEqual(
      warmProgram(b, { paranoiaLevel: 'auto', budget: 50 }),
    )
    expect(linked(a)).toEqual(linked(b))
  })

  it('a budget of 0 compiles nothing and still links the cheap operators', () => {
    const p = program()
    const r = warmProgram(p, { paranoiaLevel: 'auto', budget: 0 })
    expect(r.regexes).toBe(0)
    expect(r.phrases).toBe(0)
    expect(r.bytes).toBe(0)
    expect(linked(p)).toEqual(['900000', '901100', '901110'])
  })
})
