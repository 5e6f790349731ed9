#!/usr/bin/env node
// Records test/unit/compiler/regex/pcre-vectors.json: for each (pattern, mode) in the case list
// below, the first-match span that PCRE2 10.42 (8-bit, non-UTF, ModSecurity's options: v2 =
// DOTALL|DOLLAR_ENDONLY, v3 = DOTALL|MULTILINE) gives on each subject, or its compile error. It uses
// the reference matcher of ../shared/tools/regex-equiv (gcc + libpcre2-dev). Run from the repo root:
//   node test/conformance/regex/record-pcre-vectors.mjs
// The unit test translate-pcre.test.ts replays the vectors through translate() + V8.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const tools = path.resolve(here, '../../../../shared/tools/regex-equiv/lib')
const { ensureMatcher, runReference } = await import(path.join(tools, 'pcre.mjs'))
const cases = JSON.parse(fs.readFileSync(path.join(here, 'pcre-cases.json'), 'latin1'))
const bin = ensureMatcher()
const out = []
for (const mode of ['v2', 'v3']) {
  const per = cases.map((c) => ({ pattern: c.pattern, subjects: c.subjects }))
  // one shared subject (the empty string): the reference reads at least one shared line
  const res = runReference(bin, mode, [''], per)
  cases.forEach((c, k) => {
    const r = res[k]
    if (r.error) {
      out.push({ construct: c.construct, mode, pattern: c.pattern, pcreError: r.error })
      return
    }
    out.push({
      construct: c.construct,
      mode,
      pattern: c.pattern,
      subjects: c.subjects.map((s, j) => {
        const a = r.expect[2 * (j + 1)]
        const b = r.expect[2 * (j + 1) + 1]
        if (a === -2) throw new Error(`PCRE2 match error ${b} on ${JSON.stringify(s)}`)
        return { s, m: a === -1 ? null : [a, b] }
      }),
    })
  })
}
const dest = path.resolve(here, '../../unit/compiler/regex/pcre-vectors.json')
fs.writeFileSync(
  dest,
  JSON.stringify(
    {
      recordedWith:
        'PCRE2 10.42 via shared/tools/regex-equiv/ref/pcrematch.c; test/conformance/regex/record-pcre-vectors.mjs',
      vectors: out,
    },
    null,
    1,
  ) + '\n',
)
console.log(`wrote ${out.length} vectors to ${path.relative(process.cwd(), dest)}`)
