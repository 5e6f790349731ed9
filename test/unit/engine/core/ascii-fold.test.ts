import { describe, expect, it } from 'vitest'
import { asciiLower } from '../../../../src/engine/log-escape'
import { equalsIgnoringCase, headerValue, mergeHeaders } from '../../../../src/engine/variables/headers'

/** ASCII-only case folding on binary strings: Latin-1 letters (0xC0-0xDE) are never folded. */
describe('asciiLower', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['abc', 'abc'],
    ['User-Agent', 'user-agent'],
    ['X-FORWARDED-FOR', 'x-forwarded-for'],
    ['\xc0\xc9Z', '\xc0\xc9z'],
    ['A\xdeB\xff', 'a\xdeb\xff'],
    ['a\x80B', 'a\x80b'],
    ['ÀBC', 'Àbc'],
    ['@[`{', '@[`{'],
  ]
  for (const [input, want] of cases)
    it(JSON.stringify(input), () => {
      expect(asciiLower(input)).toBe(want)
    })

  it('returns the same string when nothing changes', () => {
    const s = 'already-lower\xc0'
    expect(asciiLower(s)).toBe(s)
  })
})

describe('equalsIgnoringCase', () => {
  const cases: [string, string, boolean][] = [
    ['Cookie', 'cookie', true],
    ['COOKIE', 'cOoKiE', true],
    ['Cookie', 'cookies', false],
    ['\xc0', '\xe0', false],
    ['@', '`', false],
    ['[', '{', false],
    ['', '', true],
  ]
  for (const [a, b, want] of cases)
    it(`${JSON.stringify(a)} ~ ${JSON.stringify(b)}`, () => {
      expect(equalsIgnoringCase(a, b)).toBe(want)
      expect(equalsIgnoringCase(b, a)).toBe(want)
    })
})

describe('mergeHeaders', () => {
  // the same merge with few headers (pairwise comparison) and many (folded index)
  for (const extra of [0, 20]) {
    it(`merges repeated names into the first spelling (${extra} other headers)`, () => {
      const others: [string, string][] = Array.from({ length: extra }, (_, i) => [`X-O${i}`, String(i)])
      const merged = mergeHeaders([['X-A', '1'], ...others, ['x-a', '2'], ['Host', 'h'], ['X-a', '3']])
      expect(merged[0]).toEqual(['X-A', '1, 2, 3'])
      expect(merged.length).toBe(extra + 2)
      expect(headerValue(merged, 'x-a')).toBe('1, 2, 3')
      expect(headerValue(merged, 'host')).toBe('h')
      expect(headerValue(merged, 'cookie')).toBeUndefined()
    })
  }

  it('keeps Latin-1 spellings apart', () => {
    expect(
      mergeHeaders([
        ['X-\xc0', '1'],
        ['x-\xe0', '2'],
      ]),
    ).toEqual([
      ['X-\xc0', '1'],
      ['x-\xe0', '2'],
    ])
  })
})
