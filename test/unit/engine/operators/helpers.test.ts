import { describe, expect, it } from 'vitest'
import { atoi } from '../../../../src/engine/operators/atoi'
import { logEscape, logEscapeNq, truncate252 } from '../../../../src/engine/operators/log-escape'
import { parsePmContent } from '../../../../src/engine/operators/pm-content'
import { parsePmPhrases } from '../../../../src/engine/operators/pm'
import { parseByteRanges } from '../../../../src/engine/operators/validate-byte-range'
import { geoRecordFromEdge, parsePmFile, OPERATORS } from '../../../../src/engine/operators'

describe('atoi (glibc strtol cast to int)', () => {
  /** Reference with BigInt on the whole digit run. */
  function reference(s: string): number {
    const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)
    const digits = m?.[2] ?? ''
    if (digits.length === 0) return 0
    let v = BigInt(digits)
    if (m?.[1] === '-') v = -v
    const max = (1n << 63n) - 1n
    const min = -(1n << 63n)
    if (v > max) v = max
    if (v < min) v = min
    return Number(BigInt.asIntN(32, v))
  }

  it('matches the reference on edge cases and random strings', () => {
    const fixed = [
      '',
      ' ',
      '-',
      '+',
      '0',
      '-0',
      '007',
      '2147483647',
      '2147483648',
      '-2147483649',
      '4294967296',
      '99999999999999999999',
      '-99999999999999999999',
      '000000000000000000000012',
      '123456789012345',
      '1234567890123456',
      ' \t+42abc',
      '\v-7',
      '--5',
      '5.9',
      '0x10',
    ]
    for (const s of fixed) expect(atoi(s), JSON.stringify(s)).toBe(reference(s))
    let seed = 1
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
    for (let i = 0; i < 2000; i++) {
      let s = next() < 0.3 ? ' ' : ''
      if (next() < 0.3) s += next() < 0.5 ? '-' : '+'
      const len = Math.floor(next() * 25)
      for (let k = 0; k < len; k++) s += '0123456789x'[Math.floor(next() * 11)]
      expect(atoi(s), s).toBe(reference(s))
    }
  })
})

describe('logEscape (v2 _log_escape)', () => {
  it('escapes like ModSecurity', () => {
    expect(logEscape('plain')).toBe('plain')
    expect(logEscape('a"b\\c')).toBe('a\\"b\\\\c')
    expect(logEscapeNq('a"b\\c\n')).toBe('a"b\\\\c\\n')
    expect(logEscape('\b\n\r\t\v\x00\x1f\x7f\xff')).toBe('\\b\\n\\r\\t\\v\\x00\\x1f\\x7f\\xff')
    expect(truncate252('a'.repeat(253))).toBe('a'.repeat(252) + ' ...')
    expect(truncate252('a'.repeat(252))).toBe('a'.repeat(252))
  })
})

describe('pm content syntax', () => {
  it('decodes hex, escapes and quotes; reports errors', () => {
    expect(parsePmContent('|41 42|c')).toEqual({ ok: true, value: 'ABc' })
    expect(parsePmContent('  "q"')).toEqual({ ok: true, value: 'q' })
    expect(parsePmContent('a\\:b\\;c\\\\d\\"e')).toEqual({ ok: true, value: 'a:b;c\\d"e' })
    expect(parsePmContent('a|4|b')).toEqual({ ok: true, value: 'ab4|b' })
    expect(parsePmContent('a\\x')).toEqual({ ok: false, reason: 'Unsupported escape sequence.' })
    expect(parsePmContent('   ')).toEqual({ ok: false, reason: 'Content length is 0.' })
  })

  it('splits @pm arguments after decoding', () => {
    expect(parsePmPhrases('a|20|b  c\td')).toEqual(['a', 'b', 'c', 'd'])
    expect(parsePmPhrases('abc|00|def xyz')).toEqual(['abc'])
    expect(parsePmPhrases('a\\x b')).toEqual(['a\\x', 'b'])
    expect(() => parsePmPhrases('')).toThrow(/Missing parameter/)
  })

  it('reads @pmFromFile data like v2', () => {
    expect(parsePmFile('# c\nfoo\n\n  bar baz  \nx\nAB|43|\n|23|hash\n"q"\n"last"')).toEqual([
      'foo',
      'bar baz',
      'ABC',
      '"q"',
      'last',
    ])
    expect(parsePmFile('x'.repeat(8191) + 'abc\n')).toEqual(['x'.repeat(8191), 'abc'])
    expect(parsePmFile('')).toEqual([])
  })
})

describe('validateByteRange arguments', () => {
  it('parses like v2', () => {
    expect(parseByteRanges('0-31, 127,,')).toEqual([
      [0, 31],
      [127, 127],
    ])
    expect(parseByteRanges('1-2-3')).toEqual([[1, 2]])
    expect(parseByteRanges('abc')).toEqual([[0, 0]])
    expect(() => parseByteRanges('256')).toThrow('Invalid range value: 256')
    expect(() => parseByteRanges('5-')).toThrow('Invalid range: 5-0')
  })
})

describe('compare operators prepare', () => {
  it('keeps macro arguments for per-evaluation expansion', () => {
    expect(OPERATORS.lt?.prepare?.('%{tx.paranoia_level}')).toBeUndefined()
    expect(OPERATORS.lt?.prepare?.(' 5x')).toEqual({ kind: 'number', value: 5 })
  })
})

describe('geoRecordFromEdge', () => {
  it('formats edge metadata as v2 GEO values', () => {
    expect(
      geoRecordFromEdge({
        country: 'US',
        continent: 'NA',
        regionCode: 'TX',
        region: 'Texas',
        city: 'Austin',
        postalCode: '78701',
        latitude: '30.27130',
        longitude: -97.7426,
        metroCode: '635',
      }),
    ).toEqual({
      COUNTRY_CODE: 'US',
      COUNTRY_CODE3: '',
      COUNTRY_NAME: '',
      COUNTRY_CONTINENT: 'NA',
      REGION: 'TX',
      CITY: 'Austin',
      POSTAL_CODE: '78701',
      LATITUDE: '30.271300',
      LONGITUDE: '-97.742600',
      DMA_CODE: '635',
      AREA_CODE: '0',
    })
    const bare = geoRecordFromEdge({ city: 'Z\u00fcrich' })
    expect(bare.CITY).toBe('Z\xc3\xbcrich')
    expect(bare.LATITUDE).toBe('0.000000')
    expect(bare.DMA_CODE).toBe('0')
  })
})
