import { describe, expect, it } from 'vitest'
import { compileRegex, RegexTranslateError, translate } from '../../../../src/compiler/regex'

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
    ['(a)(?<=\\1)', 3, 'lookbehind'],
    ['ab(?|c)', 2, '(?|'],
    ['[[:foo:]]', 1, 'POSIX class'],
    ['x[[::]]', 2, 'POSIX class'],
    ['[:alpha:]', 0, 'POSIX class'],
    ['ab[[=a=]]', 3, 'POSIX collating element'],
    ['[x[.ch.]]', 2, 'POSIX collating element'],
    ['[=a=]', 0, 'POSIX collating element'],
    ['[a-[=x=]]', 1, '['],
    ['a\\p{L}', 1, '\\p'],
    ['(a)|\\1', 4, 'backreference'],
    ['(?i)(.)\\1', 7, 'caseless backreference'],
    ['(?i)(a)\\1\\xe9', 7, 'caseless backreference'],
    ['(a)(?i)\\1', 7, 'caseless backreference'],
    ['(?i)(?<=(a)(?=\\1))b', 14, 'backreference'],
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

describe('POSIX syntax in classes: exactly where PCRE2 check_posix_syntax finds it', () => {
  it.each([
    // [ then = : . with no matching =] :] .] before a ] is an ordinary [
    ['[\\\'\\" ?[=<>]+', '?[=', '?[='],
    ['[[=<>]', 'x=y', '='],
    ['[[.a]', 'z.a', '.'],
    ['[x[=]', '[', '['],
    ['[[=x]=]]', 'x=]]', 'x=]]'],
    ['[[:a]', ':', ':'],
    ['[:a[:digit:]b:]', '7', '7'],
    ['[\\Q[:\\E]', ':', ':'],
  ] as const)('%s is a plain class', (pattern, subject, match) => {
    expect(run(pattern, subject)?.[0]).toBe(match)
  })

  it('CRS 3.3.4 942380 translates and matches', () => {
    const p = String.raw`(?:\b(?:having\b ?(?:[\'\"][^=]{1,10}[\'\" ?[=<>]+|\d{1,10} ?[=<>]+)|(?i:having)\b\s+(?:'[^=]{1,10}'|\d{1,10})\s*?[=<>])|exists\s(?:s(?:elect\S(?:if(?:null)?\s\(|concat|top)|ystem\s\()|\b(?i:having)\b\s+\d{1,10}|'[^=]{1,10}'|\sselect)|(?i:\bexecute(?:\s{1,5}[\w\.$]{1,5}\s{0,3})?\()|(?i:\bcreate\s+?table.{0,20}?\()|(?i:\blike\W*?char\W*?\()|(?i:select.*?case)|(?i:from.*?limit)|(?i:order\sby))`
    expect(run(p, "having 'a'[=1")?.[0]).toBe("having 'a'[=")
    expect(run(p, "having 'a' ?[x")?.[0]).toBe("having 'a' ?[")
    expect(run(p, 'having x')).toBeNull()
  })

  it('[[:<:]] and [[:>:]] are word boundaries (\\b(?=\\w), \\b(?<=\\w))', () => {
    expect(translate('[[:<:]]a', { mode: 'v2' }).source).toBe('\\b(?=\\w)a')
    expect(run('[[:<:]]a', 'ba')).toBeNull()
    expect(run('[[:<:]]a', 'b a')?.index).toBe(2)
    expect(run('a[[:>:]]', 'ab')).toBeNull()
    expect(run('a[[:>:]]', 'ba b')?.index).toBe(1)
  })
})

describe('caseless backreferences: the JS i flag, only where it provably changes nothing else', () => {
  it('emits i and compares ASCII letters caselessly', () => {
    const t = translate('(?i)(\\w+)=\\1', { mode: 'v2' })
    expect(t.flags).toBe('i')
    expect(run('(?i)(\\w+)=\\1', 'x FOO=foo')?.[0]).toBe('FOO=foo')
    expect(run('(?i)([a-z]+)=\\1', 'ab=ac')).toBeNull()
  })

  it('non-caseless patterns keep no flags', () => {
    expect(translate('(a)\\1', { mode: 'v2' }).flags).toBe('')
    expect(translate('(?i)(a)(?-i:\\1)', { mode: 'v2' }).flags).toBe('')
  })

  it('bytes JS folds but PCRE does not are never folded', () => {
    // closed sets only: [^\xe9\xc9] and [\xc0-\xfe] mean the same with and without i
    expect(run('(?i)(a)\\1[^\\xe9\\xc9]', 'aA\xe9')).toBeNull()
    expect(run('(?i)(a)\\1[^\\xe9\\xc9]', 'aAb')?.[0]).toBe('aAb')
    // a group of non-letter high bytes: JS equates each only with itself, as PCRE does
    expect(run('(?i)([\\x80-\\xbf\\xb5\\xff])\\1', '\xb5\xb5')?.[0]).toBe('\xb5\xb5')
    expect(run('(?i)([\\x80-\\xbf\\xb5\\xff])\\1', '\xff\xb5')).toBeNull()
  })

  it('case-sensitive parts are allowed when i cannot change them', () => {
    expect(run('([Aa])(?i)\\1', 'aA')?.[0]).toBe('aA')
    expect(run('(?i)(\\d)(?-i:\\1)\\1', '111')?.[0]).toBe('111')
  })

  it('CRS 3.3.4 942130 translates with i and matches like PCRE', () => {
    const p =
      '(?i:[\\s\'"`()]*?\\b([\\d\\w]+)\\b[\\s\'"`()]*?(?:<(?:=(?:[\\s\'"`()]*?(?!\\b\\1\\b)[\\d\\w]+|>[\\s\'"`()]*?(?:\\b\\1\\b))|>?[\\s\'"`()]*?(?!\\b\\1\\b)[\\d\\w]+)|(?:not\\s+(?:regexp|like)|is\\s+not|>=?|!=|\\^)[\\s\'"`()]*?(?!\\b\\1\\b)[\\d\\w]+|(?:(?:sounds\\s+)?like|r(?:egexp|like)|=)[\\s\'"`()]*?(?:\\b\\1\\b)))'
    expect(translate(p, { mode: 'v2' }).flags).toBe('i')
    expect(run(p, 'foo LIKE Foo')?.[0]).toBe('foo LIKE Foo')
    expect(run(p, "'a'='A'")?.[0]).toBe("'a'='A")
    expect(run(p, 'id=5')).toBeNull()
    expect(run(p, '\xe9=\xc9')).toBeNull()
  })

  it.each([
    ['(?i)(.)\\1', 'group 1 (referenced at offset 7) can capture a Latin-1 letter'],
    ['(?i)(\\W)\\1', 'can capture a Latin-1 letter'],
    ['(?i)(a)\\1\\xe9', 'the i flag would change the atom at offset 9'],
    ['(?i)(a)\\1(?-i)b', 'the i flag would change the atom at offset 14'],
    ['(?i)(a)\\1[^\\xe9]', 'the i flag would change the atom at offset 9'],
    ['(?i)(a)\\1(?<=\\xe9)', 'the i flag would change the atom at offset 13'],
    ['(a)(?i)\\1', 'the i flag would change the atom at offset 1'],
    ['(?i)(a)(?-i:\\1)\\1', 'the case-sensitive backreference at offset 12'],
    ['(?i)(?<n>a)(?-i)\\k<n>(?i)\\k<n>', 'the case-sensitive backreference'],
  ] as const)('rejects %s', (pattern, reason) => {
    let err: unknown
    try {
      translate(pattern, { mode: 'v2' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RegexTranslateError)
    expect((err as RegexTranslateError).construct).toBe('caseless backreference')
    expect((err as RegexTranslateError).message).toContain(reason)
  })

  it('the linear plan keeps such patterns on V8 (RE2 has no backreferences), guarded when hazardous', () => {
    const safe = compileRegex('(?i)^(\\w{1,8})=\\1$', { mode: 'v2' }).spec
    expect(safe).toEqual({ source: safe.source, flags: 'i', prefilter: ['='] })
    const hazardous = compileRegex('(?i)(\\w+)\\s*\\s*\\s*=\\1', { mode: 'v2' }).spec
    expect(hazardous.flags).toBe('i')
    expect(hazardous.linear).toBeUndefined()
    expect(hazardous.engine).toBeUndefined()
    expect(hazardous.lengthCap).toBeGreaterThan(0)
  })
})

describe('atomic groups inside lookbehinds (JS matches lookbehinds right to left)', () => {
  it.each([
    ['(?<=(?>ab))c', 'abc', 'c'],
    ['(?<=a{2}+)b', 'aab', 'b'],
    ['(a)(?<=(?>a)(?=\\1))a', 'baa', 'aa'],
  ] as const)('%s on %s', (pattern, subject, match) => {
    expect(run(pattern, subject)?.[0]).toBe(match)
  })

  it('stays exact in lookaheads nested in a lookbehind', () => {
    expect(translate('(?<=(?=(?>a))a)b', { mode: 'v2' }).source).toBe('(?<=(?=(?:(?=(a))\\1))a)b')
    expect(run('(?<!(?>ab))c', 'abc')).toBeNull()
  })
})
