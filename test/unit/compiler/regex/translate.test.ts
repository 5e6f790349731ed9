import { describe, expect, it } from 'vitest'
import { RegexTranslateError, translate } from '../../../../src/compiler/regex'

const run = (pattern: string, subject: string, mode: 'v2' | 'v3' = 'v2'): RegExpExecArray | null => {
  const t = translate(pattern, { mode })
  return new RegExp(t.source, t.flags).exec(subject)
}

describe('translate(): output form', () => {
  it.each([
    ['(?i)select', 'v2'],
    ['(?is)a.b', 'v3'],
    ['(?i:x)y', 'v2'],
    ['\\s+\\S', 'v2'],
    ['^a$', 'v3'],
  ] as const)('%s (%s): no flags at all, no modifiers, no \\s', (p, mode) => {
    const t = translate(p, { mode })
    expect(t.flags).toBe('')
    expect(t.source).not.toMatch(/\(\?[imsx-]+:/)
    expect(t.source).not.toContain('\\s')
    expect(t.source).not.toContain('\\S')
    expect(() => new RegExp(t.source, t.flags)).not.toThrow()
  })

  it('writes \\s as the PCRE byte set 09-0D,20 (not 0xA0)', () => {
    expect(translate('\\s', { mode: 'v2' }).source).toBe('[\\x09-\\x0d\\x20]')
    expect(run('\\s', '\xa0')).toBeNull()
    expect(run('\\S', '\xa0')?.[0]).toBe('\xa0')
  })

  it('writes bytes >= 0x80 as \\xHH and folds only ASCII under (?i)', () => {
    const t = translate('(?i)\\xe9a', { mode: 'v2' })
    expect(t.source).toBe('\\xe9[Aa]')
    expect(run('(?i)\\xe9a', '\xc9a')).toBeNull()
    expect(run('(?i)[\\xc0-\\xc9]', '\xe0')).toBeNull()
  })

  it('v2 anchors are subject anchors; v3 anchors are PCRE multiline anchors', () => {
    expect(translate('^a$', { mode: 'v2' }).source).toBe('^a$')
    expect(run('^\\d+$', '123\n', 'v2')).toBeNull()
    expect(run('^\\d+$', '123\n', 'v3')?.[0]).toBe('123')
    expect(run('^$', 'test\r\n', 'v3')).toBeNull()
    expect(run('^[a-f]*([0-9])', '\n123', 'v3')?.[0]).toBe('1')
  })

  it('v2 key selectors: caseless option equals a leading (?i)', () => {
    expect(translate('^_pk_ref', { mode: 'v2', caseless: true }).source).toBe(
      translate('(?i)^_pk_ref', { mode: 'v2' }).source,
    )
  })
})

describe('translate(): capture numbering', () => {
  it('keeps PCRE numbering; named groups are numbered groups', () => {
    const t = translate('(a)(?:b)(?<n>c)(d)', { mode: 'v2' })
    expect(t.groups).toBeUndefined()
    const m = new RegExp(t.source).exec('abcd')
    expect([m?.[1], m?.[2], m?.[3]]).toEqual(['a', 'c', 'd'])
  })

  it('atomic groups and possessive quantifiers add helper groups and return the map', () => {
    const t = translate('(a)(?>(b)x|b)(c)d*+', { mode: 'v2' })
    expect(t.groups).toBeDefined()
    const g = t.groups ?? []
    const m = new RegExp(t.source).exec('abcddd')
    expect(m?.[0]).toBe('abcddd')
    expect(m?.[g[1] ?? -1]).toBe('a')
    expect(m?.[g[2] ?? -1]).toBeUndefined()
    expect(m?.[g[3] ?? -1]).toBe('c')
    expect(g.length).toBe(4)
  })

  it('backreferences follow the map', () => {
    const t = translate('(?>(a))(b)\\2\\1', { mode: 'v2' })
    expect(new RegExp(t.source).exec('abba')?.[0]).toBe('abba')
    expect(new RegExp(t.source).exec('abab')).toBeNull()
  })
})

describe('translate(): errors carry offset and construct', () => {
  it.each([
    ['ab\\G', 2, '\\G'],
    ['x(?J)(?<a>1)', 3, '(?J)'],
    ['xy\\x{100}', 2, '\\x{'],
    ['a(?(1)b)', 1, 'conditional group'],
    ['(?<=a*)b', 0, 'lookbehind'],
    ['ab(?|c)', 2, '(?|'],
    ['[[:foo:]]', 1, 'POSIX class'],
    ['a\\p{L}', 1, '\\p'],
    ['(a)|\\1', 4, 'backreference'],
    ['(?i)(a)\\1', 7, 'caseless backreference'],
    ['a**', 2, 'quantifier'],
    ['(?z)', 2, 'inline option'],
    ['(*UTF)a', 0, '(*VERB)'],
    ['abc(', 3, '('],
    ['[a', 0, '['],
    ['\\777', 0, 'octal escape'],
  ] as const)('%s -> offset %d, %s', (pattern, offset, construct) => {
    let err: unknown
    try {
      translate(pattern, { mode: 'v2' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RegexTranslateError)
    const e = err as RegexTranslateError
    expect(e.offset).toBe(offset)
    expect(e.construct).toBe(construct)
    expect(e.message).toContain(`offset ${offset}`)
  })

  it('rejects chars above 0xFF (the pattern is a binary string)', () => {
    expect(() => translate('\u0100', { mode: 'v2' })).toThrow(RegexTranslateError)
  })
})
