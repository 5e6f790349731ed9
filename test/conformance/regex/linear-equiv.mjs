#!/usr/bin/env node
// Equivalence of the LINEAR engine path with PCRE2: for every CRS @rx pattern that compileRegex()
// gives an RE2 form (RegexSpec.linear), run that form on re2js exactly as the engine does
// (RE2JS.compile(spec.linear), matcher.find(), as src/engine/regex/compiled-regex.ts) and compare the first-match span
// with PCRE2 (ModSecurity's options for --mode) on the subjects of ../shared/tools/regex-equiv: the CRS
// regression payloads + edge strings, and strings generated from each pattern with mutations aimed at
// PCRE/RE2/JS differences (\s, VT, NBSP, NEL, CR/LF, case, latin1).
//
//   npm run build:regex-translator && npm run build:regex-runtime
//   node test/conformance/regex/linear-equiv.mjs [--mode v2] [--gen 200] [--shared 0 (= all)] [--only ids]
//     [--rules DIR (relative to the repo root; default ../shared/crs/rules; Debian's CRS 3.3.4:
//     /usr/share/modsecurity-crs/rules)]
//
// Last line: `linear equivalent: N of M patterns`. Exit 0 when all are equivalent.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const lib = path.resolve(root, '../shared/tools/regex-equiv/lib')
const imp = (f) => import(pathToFileURL(f).href)
const { values: a } = parseArgs({
  options: {
    mode: { type: 'string', default: 'v2' },
    gen: { type: 'string', default: '200' },
    shared: { type: 'string', default: '0' },
    seed: { type: 'string', default: '42' },
    only: { type: 'string' },
    rules: { type: 'string' },
  },
})
const { ensureMatcher, runReference } = await imp(path.join(lib, 'pcre.mjs'))
const { loadPatterns, label } = await imp(path.join(lib, 'patterns.mjs'))
const { crsTestSubjects, EDGE_SUBJECTS } = await imp(path.join(lib, 'subjects.mjs'))
const { patternSubjects, prng } = await imp(path.join(lib, 'sample.mjs'))
const { compileRegex } = await imp(path.join(root, 'build/regex-translate.mjs'))
const { RE2JS } = await import('re2js')

const t0 = Date.now()
const { patterns } = loadPatterns({
  rulesDir: path.resolve(root, a.rules ?? '../shared/crs/rules'),
  only: a.only,
})
let shared = crsTestSubjects(path.resolve(root, '../shared/crs/tests/regression/tests')).subjects
const cap = Number(a.shared)
if (cap > 0 && shared.length > cap) {
  const rand = prng(Number(a.seed))
  shared = shared
    .map((s) => [rand(), s])
    .sort((x, y) => x[0] - y[0])
    .slice(0, cap)
    .map((x) => x[1])
}
shared = [...new Set([...shared, ...EDGE_SUBJECTS])]
const work = []
for (const p of patterns) {
  const spec = compileRegex(p.pattern, { mode: a.mode }).spec
  if (spec.linear === undefined) continue
  work.push({
    p,
    spec,
    own: patternSubjects(p.pattern, { seed: Number(a.seed), count: Number(a.gen) }).subjects,
  })
}
const ref = runReference(
  ensureMatcher(),
  a.mode,
  shared,
  work.map((w) => ({ pattern: w.p.pattern, subjects: w.own })),
)
let equivalent = 0
let pairs = 0
const bad = []
work.forEach((w, k) => {
  const re = RE2JS.compile(w.spec.linear)
  const expect = ref[k].expect
  const all = shared.length + w.own.length
  let diffs = 0
  let example = null
  for (let i = 0; i < all; i++) {
    if (expect[2 * i] === -2) continue // PCRE2 match limit: skipped, as regex-equiv does
    const s = i < shared.length ? shared[i] : w.own[i - shared.length]
    pairs++
    const m = re.matcher(s)
    const got = m.find() ? [m.start(), m.end()] : [-1, -1]
    if (re.test(s) !== got[0] >= 0) got.push('test() disagrees with find()')
    if (got[0] !== expect[2 * i] || got[1] !== expect[2 * i + 1] || got.length > 2) {
      diffs++
      example ??= { s: s.slice(0, 80), pcre: [expect[2 * i], expect[2 * i + 1]], linear: got }
    }
  }
  if (diffs === 0) equivalent++
  else bad.push(`  ${label(w.p)}: ${diffs} differing subjects, e.g. ${JSON.stringify(example)}`)
})
if (bad.length) console.log(`different from PCRE2 (${bad.length}):\n${bad.join('\n')}`)
console.log(
  `mode ${a.mode}; ${pairs.toLocaleString('en')} (pattern, subject) pairs; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
)
console.log(`linear equivalent: ${equivalent} of ${work.length} patterns`)
process.exit(bad.length ? 1 : 0)
