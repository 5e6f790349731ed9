import { describe, expect, it } from 'vitest'
import type { EngineProfiler, LinkedRule } from '../../../../src/engine/program'
import { parseRaw, program, runAll } from './harness'

/**
 * The global literal index (link.ts indexLiterals, regex/literal-index.ts): slotted @rx rules with
 * a prefilter, slotted @pm-family rules and multiMatch rules are not called on a value that lacks
 * all their literals. The outcome must be the rule's own (same alerts); only the calls go.
 */
class CallCounter implements EngineProfiler {
  readonly calls = new Map<string, number>()
  now(): number {
    return 0
  }
  rule(): void {}
  operator(r: LinkedRule): void {
    const k = String(r.head.id) + (r.isLink ? 'L' : '')
    this.calls.set(k, (this.calls.get(k) ?? 0) + 1)
  }
  transformation(): void {}
}

const RULES = `
SecRule ARGS "@pm evil Bad|20|Thing" "id:1,phase:2,pass,log,t:none,t:lowercase"
SecRule ARGS "!@pm evil" "id:2,phase:2,pass,log,t:none"
SecRule ARGS "@rx <scr(?:ipt)" "id:3,phase:2,pass,log,t:none,t:urlDecodeUni,multiMatch"
SecRule ARGS "@pm needle HAYSTACK" "id:4,phase:2,pass,log,t:none"
SecRule ARGS "@rx (?i)union\\s+select" "id:5,phase:2,pass,log,t:none,t:urlDecodeUni"
`

function run(query: string): { ids: number[]; calls: Map<string, number> } {
  const counter = new CallCounter()
  const p = program(RULES, undefined, { profiler: counter })
  const r = runAll(p, parseRaw(`GET /?${query} HTTP/1.1\r\nHost: h\r\n\r\n`))
  const ids = r.alerts.map((a) => Number(/\[id "(\d+)"\]/.exec(a)?.[1])).sort((a, b) => a - b)
  return { ids, calls: counter.calls }
}

describe('literal index: operators are skipped only where they cannot match', () => {
  it('calls nothing on values without any literal; the negated rule still runs', () => {
    const { ids, calls } = run('a=hello&b=world')
    expect(ids).toEqual([2, 2])
    expect(calls.get('1')).toBeUndefined()
    expect(calls.get('3')).toBeUndefined()
    expect(calls.get('4')).toBeUndefined()
    expect(calls.get('5')).toBeUndefined()
    expect(calls.get('2')).toBe(2)
  })

  it('calls the operator on the values that hold a literal, case folded, and the rules match as before', () => {
    const { ids, calls } = run('a=hello&b=EVIL&c=BAD&d=a+HayStack+b&e=UNION+x+SELECT')
    // 1: "evil" (lowercased) and "bad" (of "Bad|20|Thing"); 2: the four without "evil";
    // 4: "haystack" case-insensitively; 5: has "union" and "select", does not match
    expect(ids).toEqual([1, 1, 2, 2, 2, 2, 4])
    expect(calls.get('1')).toBe(2)
    expect(calls.get('4')).toBe(1)
    expect(calls.get('5')).toBe(1)
  })

  it('multiMatch: a literal that only decoding reveals is still found', () => {
    const { ids, calls } = run('a=%3Cscript&b=plain')
    expect(ids).toContain(3)
    // the raw value lacks "<scr", the decoded one has it: one call, on the decoded value
    expect(calls.get('3')).toBe(1)
  })
})
