import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { compileRegex } from '../../../../src/compiler/regex'
import { dfaOf, dfaTest } from '../../../../src/engine/regex/re2-dfa'

/**
 * The direct walk over re2js's DFA (src/engine/regex/re2-dfa.ts) must give re2js's own test()
 * answer: checked on the RE2 form of every CRS @rx pattern that has one, on the CRS regression
 * test values (raw, %-decoded, lowercased; sampled), edge strings, the ReDoS shapes, and strings
 * generated from each pattern (regex-equiv's generator). Needs ../shared (CRS and the tools).
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../../..')
const lib = path.resolve(root, '../shared/tools/regex-equiv/lib')
const crsRules = path.resolve(root, '../shared/crs/rules')
const crsTests = path.resolve(root, '../shared/crs/tests/regression/tests')

describe.skipIf(!existsSync(lib))('re2js DFA walked directly = re2js test() (needs ../shared)', async () => {
  const crs = (await import(pathToFileURL(path.join(lib, 'crs.mjs')).href)) as {
    extractRx(dir: string): { patterns: { pattern: string; ids: string[] }[] }
  }
  const subjectsLib = (await import(pathToFileURL(path.join(lib, 'subjects.mjs')).href)) as {
    crsTestSubjects(dir: string, o: { maxLength: number }): { subjects: string[] }
    EDGE_SUBJECTS: string[]
  }
  const sample = (await import(pathToFileURL(path.join(lib, 'sample.mjs')).href)) as {
    patternSubjects(p: string, o: { seed: number; count: number }): { subjects: string[] }
  }
  const all = subjectsLib.crsTestSubjects(crsTests, { maxLength: 4096 }).subjects
  // every 7th CRS test value keeps the run short; with the edge strings and the generated ones
  const shared = [
    ...all.filter((_, i) => i % 7 === 0),
    ...subjectsLib.EDGE_SUBJECTS,
    '',
    'x',
    '\n',
    'a\nb',
    ' '.repeat(300) + '!',
    '<'.repeat(200),
  ]
  const linear: { ids: string[]; source: string; pattern: string }[] = []
  for (const p of crs.extractRx(crsRules).patterns) {
    const spec = compileRegex(p.pattern, { mode: 'v2' }).spec
    if (spec.linear !== undefined) linear.push({ ids: p.ids, source: spec.linear, pattern: p.pattern })
  }

  it('finds the linear-time patterns and their DFAs', () => {
    expect(linear.length).toBeGreaterThan(100)
    for (const l of linear.slice(0, 5)) expect(dfaOf(RE2JS.compile(l.source))).not.toBeNull()
  })

  for (const l of linear) {
    it(`${l.ids.join(',')}`, () => {
      const re = RE2JS.compile(l.source)
      const dfa = dfaOf(re)
      expect(dfa).not.toBeNull()
      if (dfa === null) return
      const own = sample.patternSubjects(l.pattern, { seed: 42, count: 30 }).subjects
      let answered = 0
      for (const s of [...shared, ...own]) {
        const got = dfaTest(dfa, s)
        if (got === null) continue
        answered++
        if (got !== re.test(s)) expect({ subject: s, dfa: got }).toEqual({ subject: s, dfa: !got })
      }
      expect(answered).toBeGreaterThan(0)
    })
  }
})
