import { describe, expect, it } from 'vitest'
import { compileRegex, lintPattern, parsePattern } from '../../../../src/compiler/regex'
import { analyzeHazards } from '../../../../src/compiler/regex/hazard'

const report = (p: string) => analyzeHazards(parsePattern(p, { mode: 'v2' }))

describe('hazard analysis', () => {
  it.each([
    ['abc|def', 1, false],
    ['^a.*b', 1, false],
    ['x{2,5}y', 1, false],
    ['a[^b]*c', 2, false],
    ['<[^>]*>', 2, false],
    ['foo\\s*=\\s*bar', 2, false],
    ['[\\n\\r]+\\s*:', 3, false],
    ['^a.*b.*c', 2, false],
    ['(a+)+b', 2, true],
    ['(?:a|ab)*c', 2, true],
    ['(?:ab|cd)*e', 2, false],
    ['^(?:\\s*;\\s*[a-z]+)*$', 1, true],
  ] as const)('%s: degree %d, exponential %s', (p, degree, exp) => {
    const r = report(p)
    expect(r.degree).toBe(degree)
    expect(r.exponential).toBe(exp)
  })

  it('marks capturing groups inside repetitions', () => {
    expect(report('x(?:(y)|z)+').captureInRepeat).toBe(true)
    expect(report('x(y)z+').captureInRepeat).toBe(false)
  })
})

describe('lintPattern', () => {
  it('reports nested quantifiers with their offset', () => {
    const w = lintPattern('ab(c+)+d')
    expect(w.map((h) => [h.kind, h.offset])).toContainEqual(['nested-quantifier', 3])
  })

  it('reports overlapping alternation under a star', () => {
    expect(lintPattern('(?:a|ab)*c').map((h) => h.kind)).toContain('overlapping-alternation')
  })

  it('reports chains of overlapping quantifiers and unanchored scans', () => {
    const kinds = lintPattern('x.*y.*z').map((h) => h.kind)
    expect(kinds).toContain('leading-scan')
    expect(kinds).toContain('overlapping-quantifiers')
  })

  it('is quiet on safe patterns and on patterns that do not parse', () => {
    expect(lintPattern('^(?:GET|POST)$')).toEqual([])
    expect(lintPattern('\\bunion\\b')).toEqual([])
    expect(lintPattern('(')).toEqual([])
  })
})

describe('compileRegex strategy', () => {
  it('linear-time patterns: V8 only, no RE2 form stored', () => {
    const p = compileRegex('^(?:GET|HEAD)$', { mode: 'v2' })
    expect(p.spec).toEqual({ source: '^(?:GET|HEAD)$', flags: '', prefilter: ['get', 'head'] })
  })

  it('quadratic: V8 with a length cap and the RE2 form', () => {
    const p = compileRegex('<[^>]*=', { mode: 'v2' })
    expect(p.spec.lengthCap).toBe(512)
    expect(p.spec.engine).toBeUndefined()
    expect(p.spec.linear).toBe('\\x{3c}(?:[^\\x{3e}])*\\x{3d}')
  })

  it('exponential or degree >= 3: always linear', () => {
    expect(compileRegex('(a+)+b', { mode: 'v2' }).spec.engine).toBe('linear')
    expect(compileRegex('[\\n\\r]+\\s*:', { mode: 'v2' }).spec.engine).toBe('linear')
  })

  it('no RE2 form (lookaround, backreference, atomic): V8 with a guard cap', () => {
    const p = compileRegex('(a+)+(?=b)', { mode: 'v2' })
    expect(p.spec.linear).toBeUndefined()
    expect(p.spec.engine).toBeUndefined()
    expect(p.spec.lengthCap).toBe(64)
  })

  it('RE2 form keeps PCRE semantics: \\s byte set, ASCII-only case folding, subject anchors', () => {
    const p = compileRegex('(?i)\\ba\\s*\\xe9+$', { mode: 'v2' })
    expect(p.spec.linear).toBe('\\b[Aa](?:[\\x{09}-\\x{0d}\\x{20}])*(?:\\x{e9})+\\z')
  })
})
