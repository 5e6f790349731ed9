import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileRegex, parsePattern, RegexTranslateError } from '../../../../src/compiler/regex'
import { extractPrefilter } from '../../../../src/compiler/regex/prefilter'
import { buildPrefilter } from '../../../../src/engine/regex/prefilter'
import { CompiledRegex, LIMIT, MATCH, NO_MATCH } from '../../../../src/engine/regex/compiled-regex'

const pre = (p: string) => extractPrefilter(parsePattern(p, { mode: 'v2' }))

describe('required-literal prefilter: extraction', () => {
  it.each([
    // literals, folded to ASCII lower case; an alternation gives one literal per branch
    ['abc', ['abc']],
    ['(?i)SELECT|union', ['union', 'select']],
    ['(?i)union\\s+select', ['select']],
    ['Select', ['select']],
    // a sequence keeps its most selective part; optional parts give nothing
    ['a+b*union', ['union']],
    ['x?y*', undefined],
    ['(?:foo|bar)baz', ['barbaz', 'foobaz']],
    ['(?:foo|bar)\\d+baz', ['baz']],
    ['(?:foo|bar)[0-9]+', ['bar', 'foo']],
    // small byte sets concatenate; rare single bytes are worth checking, common letters are not
    ['<[sS]cript', ['<script']],
    ['[<>]', ['<', '>']],
    ['e', undefined],
    ['[a-z]+', undefined],
    // lookarounds, anchors and backreferences contribute nothing (empty-width / unknown)
    ['^(?=abc)', undefined],
    ['(?=abc)x', ['x']],
    ['(?<=foo)bar', ['bar']],
    ['(a)\\1zz', ['zz']],
    ['(ab)\\1', ['ab']],
    // a repetition with min >= 1 keeps its body's literals; min 0 drops them
    ['(?:abc)+', ['abc']],
    ['(?:abc)*e', undefined],
    ['(?:ab){2}', ['abab']],
    // bytes >= 0x80 and controls are kept as they are
    ['\\xe9t\\xe9', ['\xe9t\xe9']],
    ['\\r\\n', ['\r\n']],
  ] as const)('%s -> %j', (pattern, lits) => {
    const got = pre(pattern)
    if (lits === undefined) expect(got).toBeUndefined()
    else expect([...(got ?? [])].sort()).toEqual([...lits].sort())
  })

  it('passes over evasion bytes between letters: the words, or one of the bytes (932230 style)', () => {
    const j = '["\'\\\\]*'
    const words = ['cat', 'dog', 'emu', 'fox'].map((w) => w.split('').join(j))
    expect(pre('(?i)(?:' + words.join('|') + ')')?.sort()).toEqual(
      ['"', "'", 'cat', 'dog', 'emu', 'fox', '\\'].sort(),
    )
  })

  it("a prefix followed by a repeated group: the prefix and the group's first bytes", () => {
    expect(pre('x(?:ab|cd)+')?.sort()).toEqual(['xab', 'xcd'])
    // and the same within an alternation of many such words (the command lists of 932235)
    expect(pre('(?:ab(?:cd|ef)+|gh(?:ij|kl)+)q')?.sort()).toEqual(['abcd', 'abef', 'ghij', 'ghkl'])
  })

  it('drops literals that contain another literal', () => {
    expect(pre('(?:ab|xabd|abc)q')?.sort()).toEqual(['abq', 'abcq', 'xabdq'].sort())
    expect(pre('zz(?:ab|xabd|abc)')?.sort()).toEqual(['zzab', 'zzxabd'])
    expect(pre('ab|abc')).toEqual(['ab'])
  })

  it('is stored in the bundle regex spec (absent when there is none)', () => {
    expect(compileRegex('(?i)union\\s+select', { mode: 'v2' }).spec.prefilter).toEqual(['select'])
    expect(compileRegex('.*', { mode: 'v2' }).spec.prefilter).toBeUndefined()
  })
})

describe('required-literal prefilter: runtime check', () => {
  it('finds any literal with ASCII case folded, bytes as they are', () => {
    const re = buildPrefilter(['select', '<', '\xe9t'])
    expect(re).not.toBeNull()
    const t = (s: string) => (re as RegExp).test(s)
    expect(t('1 SeLeCt 2')).toBe(true)
    expect(t('a<b')).toBe(true)
    expect(t('caf\xe9t')).toBe(true)
    expect(t('sel ect')).toBe(false)
    expect(t('')).toBe(false)
    // escaping: regex syntax characters are literal
    const dot = buildPrefilter(['a.b', '(?'])
    expect((dot as RegExp).test('axb')).toBe(false)
    expect((dot as RegExp).test('a.b')).toBe(true)
    expect((dot as RegExp).test('x(?y')).toBe(true)
  })

  it('above REGEX_PREFILTER_MAX literals, an automaton answers the same question', () => {
    const lits = Array.from({ length: 100 }, (_, i) => 'w' + i + 'z')
    lits.push('\xe9t')
    const t = buildPrefilter(lits)
    expect(t).not.toBeNull()
    expect(t instanceof RegExp).toBe(false)
    expect(t?.test('xx W57Z yy')).toBe(true)
    expect(t?.test('caf\xe9t')).toBe(true)
    expect(t?.test('caf\xc9t')).toBe(false)
    expect(t?.test('w5 7z')).toBe(false)
    expect(t?.test('')).toBe(false)
  })

  it('CompiledRegex answers NO_MATCH without running the pattern when no literal occurs', () => {
    const spec = compileRegex('(?i)union[\\s\\x0b]+select', { mode: 'v2' }).spec
    const re = new CompiledRegex(spec)
    const out: (string | undefined)[] = []
    expect(re.test('UNION  SELECT')).toBe(MATCH)
    expect(re.test('union all')).toBe(NO_MATCH)
    expect(re.capture('x union\tselect', out)).toBe(MATCH)
    expect(out[0]).toBe('union\tselect')
    // a subject over a guard's cap without any literal is answered exactly (no LIMIT)
    const guarded = new CompiledRegex({ source: 'select', flags: '', lengthCap: 4, prefilter: ['select'] })
    expect(guarded.test('x'.repeat(100))).toBe(NO_MATCH)
    // the caller vouches for a literal (the engine's literal index): the prefilter is not run
    // again and the subject goes to the engine (here over the cap: LIMIT)
    expect(guarded.test('x'.repeat(100), true)).toBe(LIMIT)
    expect(guarded.capture('x'.repeat(100), out, Infinity, true)).toBe(LIMIT)
    expect(re.test('union all', true)).toBe(NO_MATCH)
    expect(re.test('UNION  SELECT', true)).toBe(MATCH)
  })
})

/**
 * Soundness on recorded PCRE2 results (pcre-vectors.json, see translate-pcre.test.ts): whenever
 * PCRE2 matched, the prefilter must let the subject through (and the matched span itself contains
 * one of the literals). The CRS patterns are checked the same way against PCRE2 by
 * `npm run test:regex-equiv:prefilter` (4.7 M pairs).
 */
describe('required-literal prefilter: sound on recorded PCRE2 matches', () => {
  const file = JSON.parse(readFileSync(new URL('./pcre-vectors.json', import.meta.url), 'utf8')) as {
    vectors: { mode: 'v2' | 'v3'; pattern: string; subjects?: { s: string; m: [number, number] | null }[] }[]
  }
  let checked = 0
  let withPrefilter = 0
  for (const v of file.vectors) {
    let lits: string[] | undefined
    try {
      lits = compileRegex(v.pattern, { mode: v.mode }).spec.prefilter
    } catch (e) {
      if (e instanceof RegexTranslateError) continue
      throw e
    }
    if (lits === undefined) continue
    withPrefilter++
    const re = buildPrefilter(lits) as RegExp
    for (const { s, m } of v.subjects ?? []) {
      if (m === null) continue
      checked++
      it(`${v.mode} ${JSON.stringify(v.pattern)} on ${JSON.stringify(s)}`, () => {
        expect(re.test(s)).toBe(true)
        expect(re.test(s.slice(m[0], m[1]))).toBe(true)
      })
    }
  }
  it('covers a meaningful part of the vectors', () => {
    expect(withPrefilter).toBeGreaterThan(20)
    expect(checked).toBeGreaterThan(40)
  })
})
