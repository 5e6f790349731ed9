import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { OperatorRef, RegexSpec } from '../../../../src/bundle/schema'
import { compileRegex } from '../../../../src/compiler/regex'
import type { OperatorContext } from '../../../../src/engine/operators/types'
import { PCRE_LIMITS_MESSAGE, rx } from '../../../../src/engine/operators/rx'

interface RxVector {
  pattern: string
  input: string
  varName: string
  match: boolean
  message?: string
  tx?: string[]
}
const file = JSON.parse(
  readFileSync(new URL('../../../vectors/operators/rx.json', import.meta.url), 'utf8'),
) as {
  vectors: RxVector[]
}

function ctx(varName: string, capture: boolean): OperatorContext & { tx: Record<string, string> } {
  const tx: Record<string, string> = {}
  return {
    varName,
    capture,
    captures: [],
    message: '',
    linearBytes: 0,
    unitsLeft: Infinity,
    captureBytes: 0,
    budgetSpent: false,
    expand: (t) => (typeof t === 'string' ? t : ''),
    setTx(name, value) {
      tx[name] = value
    },
    tx,
  }
}

const opRef = (pattern: string, regex?: RegexSpec): OperatorRef => ({
  name: 'rx',
  negated: false,
  arg: pattern,
  params: { kind: 'rx', regex: regex ?? compileRegex(pattern, { mode: 'v2' }).spec },
})

/** logdata escaping of the recorded TX values (log_escape_hex): \xHH -> byte */
const unhex = (s: string): string =>
  s.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))

describe('@rx against ModSecurity 2.9.7 recordings (test/vectors/operators/rx.json)', () => {
  for (const v of file.vectors) {
    it(`${JSON.stringify(v.pattern).slice(0, 60)} on ${JSON.stringify(v.input).slice(0, 40)}`, () => {
      const fn = rx.link(opRef(v.pattern))
      const c = ctx(v.varName, true)
      expect(fn(v.input, c)).toBe(v.match)
      if (!v.match) return
      expect(c.message).toBe(v.message)
      // TX.0..3 as logged; v2 logs unset groups as empty
      const got = [0, 1, 2, 3].map((k) => c.captures[k] ?? '')
      expect(got).toEqual((v.tx ?? []).map(unhex))
      expect(c.tx['MSC_PCRE_LIMITS_EXCEEDED']).toBeUndefined()
    })
  }
})

describe('@rx execution strategy', () => {
  it('without capture it only tests, and captures stay untouched', () => {
    const fn = rx.link(opRef('(a)b'))
    const c = ctx('ARGS:x', false)
    expect(fn('xab', c)).toBe(true)
    expect(c.captures).toEqual([])
    expect(c.message).toBe('Pattern match "(a)b" at ARGS:x.')
  })

  it('capture clears stale slots and leaves unset groups undefined', () => {
    const fn = rx.link(opRef('(a)(b)?(c)'))
    const c = ctx('ARGS:x', true)
    c.captures.push('old', 'old', 'old', 'old', 'old')
    expect(fn('ac', c)).toBe(true)
    expect(c.captures.slice(0, 5)).toEqual(['ac', 'a', undefined, 'c', undefined])
  })

  it('maps capture numbers through the atomic-group map', () => {
    const fn = rx.link(opRef('(?>(a+))(b)'))
    const c = ctx('ARGS:x', true)
    expect(fn('aab', c)).toBe(true)
    expect(c.captures.slice(0, 3)).toEqual(['aab', 'aa', 'b'])
  })

  it('a ReDoS-prone pattern runs on the linear engine: 920600-style input is immediate', () => {
    const plan = compileRegex('^(?:a|b(?:\\s*;\\s*[a-z]+=[a-z]+;?)*)*$', { mode: 'v2' })
    expect(plan.spec.engine).toBe('linear')
    const fn = rx.link(opRef('^(?:a|b(?:\\s*;\\s*[a-z]+=[a-z]+;?)*)*$', plan.spec))
    const input = 'b' + ' ;  chvf =h'.repeat(2000) + '!'
    const t = performance.now()
    expect(fn(input, ctx('REQUEST_HEADERS:Accept', false))).toBe(false)
    expect(performance.now() - t).toBeLessThan(500)
  })

  it('the linear engine sees \\s as the PCRE byte set (VT yes, NBSP no) and bytes >= 0x80 as bytes', () => {
    const linear = compileRegex('a\\s+b+x|\\xe9\\x{ff}+x', { mode: 'v2' }).spec
    expect(linear.linear).toBeDefined()
    const fn = rx.link(opRef('p', { ...linear, engine: 'linear' })) // force the linear form
    expect(fn('a\x0bbbx', ctx('ARGS:x', false))).toBe(true)
    expect(fn('a\xa0bx', ctx('ARGS:x', false))).toBe(false)
    expect(fn('\xe9\xff\xffx', ctx('ARGS:x', false))).toBe(true)
    expect(fn('\xc9\xffx', ctx('ARGS:x', false))).toBe(false)
  })

  it('the linear engine fills the groups in one search, as V8 does (set, unset and beyond)', () => {
    const pattern = '(a)(b+)?(?:(x)|(y))(z)?'
    const linear = compileRegex(pattern, { mode: 'v2' }).spec
    expect(linear.linear).toBeDefined()
    const lin = rx.link(opRef(pattern, { ...linear, engine: 'linear' })) // force the linear form
    const js = rx.link(opRef(pattern))
    for (const input of ['--abbx--', 'ay', 'aby z', 'q'.repeat(600) + 'abbbyz']) {
      const a = ctx('ARGS:x', true)
      const b = ctx('ARGS:x', true)
      expect(lin(input, a)).toBe(js(input, b))
      expect(a.captures.slice(0, 10)).toEqual(b.captures.slice(0, 10))
    }
  })

  it('quadratic patterns: V8 up to the cap, the linear engine above it, same answers', () => {
    const plan = compileRegex('<[^>]*=x', { mode: 'v2' })
    expect(plan.spec.engine).toBeUndefined()
    expect(plan.spec.lengthCap).toBe(512)
    const fn = rx.link(opRef('<[^>]*=x', plan.spec))
    for (const n of [10, 2000]) {
      const c = ctx('ARGS:x', true)
      expect(fn('<'.repeat(n) + '=x', c)).toBe(true)
      expect(c.captures[0]).toBe('<'.repeat(n) + '=x')
      expect(fn('<'.repeat(n), ctx('ARGS:x', false))).toBe(false)
    }
  })

  it('a stopped evaluation is never a silent no-match: MSC_PCRE_LIMITS_EXCEEDED and a message', () => {
    const spec: RegexSpec = { source: '(?=(a+))\\1b', flags: '', lengthCap: 8 }
    const fn = rx.link(opRef('(?>a+)b', spec))
    const c = ctx('ARGS:x', false)
    expect(fn('aaaaaaaaaaaab', c)).toBe(false)
    expect(c.tx['MSC_PCRE_LIMITS_EXCEEDED']).toBe('1')
    expect(c.message).toBe(PCRE_LIMITS_MESSAGE)
    const short = ctx('ARGS:x', false)
    expect(fn('aab', short)).toBe(true)
    expect(short.tx['MSC_PCRE_LIMITS_EXCEEDED']).toBeUndefined()
  })

  it('capture values inside repeats follow PCRE (earlier iterations kept) via the linear engine', () => {
    const plan = compileRegex('x(?:(y)|z)+', { mode: 'v2' })
    expect(plan.spec.repeatCaptures).toBe(true)
    const c = ctx('ARGS:x', true)
    expect(rx.link(opRef('x(?:(y)|z)+', plan.spec))('xyz', c)).toBe(true)
    expect(c.captures.slice(0, 2)).toEqual(['xyz', 'y'])
  })

  it('link refuses an operator reference without a translated regex', () => {
    expect(() => rx.link({ name: 'rx', negated: false, arg: 'a' })).toThrow()
  })
})
