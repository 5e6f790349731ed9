import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RegexTranslateError, translate } from '../../../../src/compiler/regex'

/**
 * Replays pcre-vectors.json (first-match spans recorded from PCRE2 10.42 with ModSecurity's v2 and
 * v3 options, see test/conformance/regex/record-pcre-vectors.mjs) through translate() and V8.
 */
interface Vector {
  construct: string
  mode: 'v2' | 'v3'
  pattern: string
  pcreError?: string
  subjects?: { s: string; m: [number, number] | null }[]
}
const file = JSON.parse(readFileSync(new URL('./pcre-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[]
}

/** Valid PCRE that we reject on purpose (no exact JS equivalent); construct names as thrown. */
const UNSUPPORTED: Record<string, string> = {
  '\\Gab': '\\G',
  'a\\Kb': '\\K',
  '(a)?(?(1)b|c)': 'conditional group',
  'a(?R)?b': 'recursion',
  '\\p{L}': '\\p',
  '(\\2)?(a)': 'backreference',
  // caseless backreferences outside the proven rule (README.md, "Caseless backreferences")
  '(?i)(.)\\1': 'caseless backreference',
  '(?i)(\\W)\\1': 'caseless backreference',
  '(?i)(a)\\1\\xe9': 'caseless backreference',
  '(?i)(a)\\1(?-i)b': 'caseless backreference',
  '(a)(?i)\\1': 'caseless backreference',
  '(?i)(a)(?-i:\\1)\\1': 'caseless backreference',
  // JS matches lookbehinds right to left: only groups set before the lookbehind may be referenced in it
  '(?<=(a)(?=\\1))b': 'backreference',
}

describe('translate() against recorded PCRE2 spans', () => {
  for (const v of file.vectors) {
    it(`${v.mode} ${v.construct}: ${JSON.stringify(v.pattern)}`, () => {
      if (v.pcreError !== undefined) {
        expect(() => translate(v.pattern, { mode: v.mode })).toThrow(RegexTranslateError)
        return
      }
      const rejected = UNSUPPORTED[v.pattern]
      if (rejected !== undefined) {
        let err: unknown
        try {
          translate(v.pattern, { mode: v.mode })
        } catch (e) {
          err = e
        }
        expect(err).toBeInstanceOf(RegexTranslateError)
        expect((err as RegexTranslateError).construct).toBe(rejected)
        return
      }
      const t = translate(v.pattern, { mode: v.mode })
      // the only flag a translation may carry is `i`, for a caseless backreference (README.md)
      expect(['', 'i']).toContain(t.flags)
      if (t.flags === 'i') expect(v.construct).toMatch(/backreference|942130/)
      const re = new RegExp(t.source, t.flags)
      for (const { s, m } of v.subjects ?? []) {
        const r = re.exec(s)
        const got = r === null ? null : [r.index, r.index + r[0].length]
        expect(got, `subject ${JSON.stringify(s)} source /${t.source}/`).toEqual(m)
      }
    })
  }
})
