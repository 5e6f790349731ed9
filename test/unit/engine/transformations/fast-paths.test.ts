// Both sides of the transformations' fast paths (the checks that return the input itself, the
// native String/RegExp shortcuts, the switch from string pieces to the byte buffer), table-driven
// from test/vectors/transformations/_fast-paths.json, recorded from ModSecurity 2.9.7 by
// test/vectors/transformations/record-fast-paths.mjs. Cases run in file order: some follow a
// long value on purpose (the scratch buffer is reused and must not leak old bytes).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TRANSFORMATIONS, parseUnicodeMap } from '../../../../src/engine/transformations'
import type { TransformEnv } from '../../../../src/engine/transformations/types'

const DIR = join(__dirname, '../../../vectors/transformations')

interface Case {
  t: string
  path: 'fast' | 'slow'
  note: string
  in: string
  out: string
  unicodeMap?: boolean
}

const doc = JSON.parse(readFileSync(join(DIR, '_fast-paths.json'), 'utf8')) as { cases: Case[] }
const mapped: TransformEnv = {
  unicodeMap: parseUnicodeMap(readFileSync(join(DIR, 'unicode.mapping'), 'latin1'), 20127),
}
const fromHex = (h: string): string => {
  let s = ''
  for (let i = 0; i < h.length; i += 2) s += String.fromCharCode(parseInt(h.slice(i, i + 2), 16))
  return s
}
const show = (s: string): string =>
  JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}...(${s.length} bytes)` : s)

describe('transformation fast paths (recorded from ModSecurity 2.9.7)', () => {
  const names = [...new Set(doc.cases.map((c) => c.t))]

  it('has fast and slow cases for the transformations with a fast path', () => {
    for (const t of ['lowercase', 'removeWhitespace', 'compressWhitespace', 'cmdLine', 'normalisePath']) {
      expect(
        doc.cases.some((c) => c.t === t && c.path === 'fast'),
        `${t} fast`,
      ).toBe(true)
      expect(
        doc.cases.some((c) => c.t === t && c.path === 'slow'),
        `${t} slow`,
      ).toBe(true)
    }
    for (const t of [
      'normalisePathWin',
      'urlDecode',
      'urlDecodeUni',
      'htmlEntityDecode',
      'removeCommentsChar',
    ])
      expect(
        doc.cases.some((c) => c.t === t && c.path === 'fast'),
        `${t} fast`,
      ).toBe(true)
  })

  for (const t of names) {
    const cases = doc.cases.filter((c) => c.t === t)
    it(`t:${t} (${cases.length} cases)`, () => {
      const def = TRANSFORMATIONS[t]
      expect(def, t).toBeDefined()
      if (def === undefined) return
      for (const c of cases) {
        const input = fromHex(c.in)
        const want = fromHex(c.out)
        // a "fast" case is one the check alone answers: ModSecurity must leave it unchanged
        if (c.path === 'fast') expect(want, `${c.note}: recorded output`).toBe(input)
        const got = def.fn(input, c.unicodeMap === true ? mapped : {})
        expect(got, `${c.note}: ${show(input)}${c.unicodeMap === true ? ' (unicode map)' : ''}`).toBe(want)
      }
    })
  }
})

// t:uppercase is not in ModSecurity 2.9 (rejected at load), so not recordable: v3's ASCII
// toupper(). The native String.prototype.toUpperCase() shortcut is only for pure ASCII; these
// cases hold the bytes it would map (µ, ß, à-þ, ÿ).
describe('t:uppercase fast paths (derived: ASCII a-z only)', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['ABC-@[`{', 'ABC-@[`{'],
    ['ABC\xb5\xdf\xe0\xfe\xff', 'ABC\xb5\xdf\xe0\xfe\xff'],
    ['abc XYz', 'ABC XYZ'],
    ['abc\xb5\xdf\xe0\xf7\xfe\xff', 'ABC\xb5\xdf\xe0\xf7\xfe\xff'],
    ['\xffz', '\xffZ'],
  ]
  it.each(cases)('%j', (input, want) => {
    expect(TRANSFORMATIONS.uppercase?.fn(input, {})).toBe(want)
  })
})

// String.prototype.toLowerCase() / toUpperCase() stand in for the ASCII fold only on pure ASCII;
// this pins down why: on the 256 single bytes they differ from the C-locale fold exactly on
// Latin-1 letters, and the transformations do not.
describe('native case mapping vs the C-locale fold', () => {
  it('differs only on bytes >= 0x80, where the transformations keep the byte', () => {
    for (let c = 0; c < 256; c++) {
      const s = String.fromCharCode(c)
      const lower = c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s
      const upper = c >= 0x61 && c <= 0x7a ? String.fromCharCode(c - 0x20) : s
      if (c < 0x80) {
        expect(s.toLowerCase()).toBe(lower)
        expect(s.toUpperCase()).toBe(upper)
      }
      expect(TRANSFORMATIONS.lowercase?.fn('A' + s, {})).toBe('a' + lower)
      expect(TRANSFORMATIONS.uppercase?.fn('a' + s, {})).toBe('A' + upper)
    }
    expect('\xc0'.toLowerCase()).not.toBe('\xc0') // the reason for the ASCII check
  })
})
