import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SQL_TABLE_SIZE } from '../../../../../src/engine/operators/libinjection/sqli-data'
import {
  lookupPair,
  lookupWord,
  TABLE_COUNTS,
} from '../../../../../src/engine/operators/libinjection/sqli-keywords'
import { fingerprint, sqliFingerprint } from '../../../../../src/engine/operators/libinjection/sqli'
import { SqliState, type Token } from '../../../../../src/engine/operators/libinjection/sqli-token'
import { tokenize } from '../../../../../src/engine/operators/libinjection/sqli-tokenizer'

/**
 * Token-level vectors recorded from libinjection 3.9.2 inside ModSecurity 2.9.7's module
 * (test/tools/modsec/record-libinjection.mjs tokens; see test/vectors/libinjection/README.md).
 */
type RecordedToken = [type: string, pos: number, len: number, val: string, open: string, close: string]
interface SqliVector {
  input: string
  flags: number
  tokens: RecordedToken[]
  fingerprint: string
  folded: RecordedToken[]
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../../vectors/libinjection/tokens.json', import.meta.url), 'utf8'),
).sqli as SqliVector[]

const ch = (c: number): string => (c === 0 ? '' : String.fromCharCode(c))
const view = (t: Token): RecordedToken => [ch(t.type), t.pos, t.len, t.val, ch(t.strOpen), ch(t.strClose)]

function tokens(input: string, flags: number): RecordedToken[] {
  const st = new SqliState()
  st.reset(input, flags)
  const out: RecordedToken[] = []
  while (out.length < 64 && tokenize(st)) out.push(view(st.current))
  return out
}

describe('libinjection SQLi tokenizer (recorded from ModSecurity 2.9.7)', () => {
  it('has enough recorded vectors', () => {
    expect(vectors.length).toBeGreaterThan(600)
  })
  it.each(vectors.map((v) => [JSON.stringify(v.input), v.flags, v] as const))(
    'tokenizes %s (flags %i)',
    (_, flags, v) => {
      expect(tokens(v.input, flags)).toEqual(v.tokens)
    },
  )
})

describe('libinjection SQLi folding and fingerprint (recorded from ModSecurity 2.9.7)', () => {
  it.each(vectors.map((v) => [JSON.stringify(v.input), v.flags, v] as const))(
    'folds %s (flags %i)',
    (_, flags, v) => {
      expect(sqliFingerprint(v.input, flags)).toBe(v.fingerprint)
      const st = new SqliState()
      fingerprint(st, v.input, flags)
      // the X (unparsable) case: libinjection clears token 0's value, we keep 'X' (same fingerprint)
      const folded = v.folded.map((_, i) => view(st.tok(i)))
      expect(folded.map((t) => (t[0] === 'X' ? t[0] : t))).toEqual(
        v.folded.map((t) => (t[0] === 'X' ? t[0] : t)),
      )
    },
  )
})

describe('libinjection keyword table', () => {
  it('holds the 9352 entries of libinjection 3.9.2 (985 words, 8367 fingerprints)', () => {
    expect(SQL_TABLE_SIZE).toBe(9352)
    expect(TABLE_COUNTS).toEqual({ words: 985, fingerprints: 8367 })
  })
  it.each([
    ['select', 'E'],
    ['SeLeCt', 'E'],
    ['union', 'U'],
    ['or', '&'],
    ['||', '&'],
    ['!=', 'o'],
    ['sleep', 'f'],
    ['varchar', 't'],
    ['null', 'v'],
    ['collate', 'A'],
    ['group by', 'B'],
    ['declare', 'T'],
    ['user', 'n'],
    ['in', 'k'],
    ['selects', ''],
    ['sel\0ect', ''],
    ['', ''],
    ['0S&1C', ''], // fingerprints are not words
  ])('lookupWord(%j) = %j', (word, type) => {
    const t = lookupWord(word, 0, word.length)
    expect(t === 0 ? '' : String.fromCharCode(t)).toBe(type)
  })
  it('looks up words inside a string without copying', () => {
    expect(String.fromCharCode(lookupWord('xxUNIONxx', 2, 5))).toBe('U')
  })
  it('merges two words into a multi-word keyword', () => {
    expect(String.fromCharCode(lookupPair('union', 'ALL'))).toBe('U')
    expect(String.fromCharCode(lookupPair('NOT', 'in'))).toBe('k')
    expect(lookupPair('union', 'foo')).toBe(0)
  })
})

describe('libinjection SQLi tokenizer quirks kept from the C code', () => {
  it('keeps at most 31 bytes of a token value', () => {
    const t = tokens('a'.repeat(40), 9)
    expect(t).toEqual([['n', 0, 31, 'a'.repeat(31), '', '']])
  })
  it('treats NUL as a member of every strlenspn() set (hex literal runs over it)', () => {
    expect(tokens("x'ab\0'", 9)[0]).toEqual(['1', 0, 6, "x'ab\0'", '', ''])
  })
  it('splits a keyword before "." or "`"', () => {
    expect(tokens('select.1', 9).map((t) => t[0])).toEqual(['E', '1'])
  })
  it('starts inside a string in quote mode', () => {
    expect(tokens("1' or '1'='1", 10).slice(0, 2)).toEqual([
      ['s', 0, 1, '1', '', "'"],
      ['&', 3, 2, 'or', '', ''],
    ])
  })
})
