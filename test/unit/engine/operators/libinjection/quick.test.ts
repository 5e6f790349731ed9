import { describe, expect, it } from 'vitest'
import { SQL_WORDS } from '../../../../../src/engine/operators/libinjection/sqli-data'
import { detectSqli, detectSqliPasses } from '../../../../../src/engine/operators/libinjection/sqli'
import { isPlainWordOrNumber } from '../../../../../src/engine/operators/libinjection/sqli-quick'

/**
 * detectSqli answers "not SQLi" without tokenizing for one word or one run of digits
 * (sqli-quick.ts explains why). The full detector must agree on every input the quick answer
 * takes, and the quick answer must leave alone what it cannot decide.
 */
const KEYWORDS = SQL_WORDS.flatMap((g) => g.slice(1).split(',')).filter((w) => !w.includes(' '))
const BYTES =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$\x01\x1f\x7f\x80\xa0\xff.`-\'" #'

describe('detectSqli quick answer', () => {
  it('agrees with the full detector (keywords, generated words and digit runs)', () => {
    let seed = 7
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n
    const inputs: string[] = [...KEYWORDS, ...KEYWORDS.map((w) => w.toLowerCase() + '1'), 'a'.repeat(40)]
    for (let i = 0; i < 30_000; i++) {
      let s = ''
      const n = 1 + rnd(rnd(4) === 0 ? 40 : 8)
      for (let j = 0; j < n; j++) s += BYTES[rnd(rnd(3) === 0 ? BYTES.length : 63)]
      if (rnd(5) === 0) s = KEYWORDS[rnd(KEYWORDS.length)] + s
      inputs.push(s)
    }
    let quick = 0
    for (const s of inputs) {
      if (s.length === 0 || !isPlainWordOrNumber(s)) continue
      quick++
      if (detectSqliPasses(s) !== null) expect({ input: s }).toEqual('not SQLi')
    }
    expect(quick).toBeGreaterThan(5000) // the quick answer was taken, not only skipped
    for (const s of inputs) if (s.length > 0) expect(detectSqli(s)).toBe(detectSqliPasses(s))
  })

  it('takes words and digit runs, leaves everything else to the detector', () => {
    for (const s of [
      'first_name',
      'Jane',
      'true',
      'UNION',
      'select',
      'x\x01y',
      'n\xe9',
      '42',
      '0',
      '007',
      'q',
      'u8',
    ])
      expect([s, isPlainWordOrNumber(s)]).toEqual([s, true])
    for (const s of [
      '1abc',
      '0x1f',
      '1.5',
      '.5',
      'a.b',
      'a`b',
      "n'x'",
      'a b',
      '-1',
      'a-b',
      '#',
      '\xa0a',
      '\x01a',
      '$1',
      '@a',
    ])
      expect([s, isPlainWordOrNumber(s)]).toEqual([s, false])
  })
})
