#!/usr/bin/env node
// Character-class fuzzer: random class patterns built from the tokens where PCRE2's class syntax is
// subtle (`[:` `[.` `[=` and their terminators, `]` first, `\Q...\E`, `\E`, `^`, ranges, (?xx) blanks,
// `[[:<:]]`...), compared with PCRE2 10.42 (ModSecurity's options for --mode) through the reference
// matcher of ../shared/tools/regex-equiv (gcc + libpcre2-dev): both must reject the pattern, or both
// accept it and give the same first-match span on every subject.
//
//   npm run build:regex-translator
//   node test/conformance/regex/fuzz-classes.mjs [--count 4000] [--seed 1] [--mode v2] [--verbose]
//
// Last line: `class fuzz: N of M patterns agree`. Exit 0 when all agree. ~3 s for 4000 patterns.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const lib = path.resolve(root, '../shared/tools/regex-equiv/lib')
const { values: a } = parseArgs({
  options: {
    count: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
    mode: { type: 'string', default: 'v2' },
    verbose: { type: 'boolean', default: false },
  },
})
const { ensureMatcher, runReference } = await import(pathToFileURL(path.join(lib, 'pcre.mjs')).href)
const { translate } = await import(pathToFileURL(path.join(root, 'build/regex-translate.mjs')).href)

const TOKENS = [
  '[',
  ']',
  ']',
  '^',
  '-',
  '-',
  ':',
  '.',
  '=',
  'a',
  'z',
  'A',
  '\\',
  '\\]',
  '\\\\',
  '\\d',
  '\\Q',
  '\\E',
  'alpha',
  '[:alpha:]',
  '[:',
  ':]',
  '[=',
  '=]',
  '[.',
  '.]',
  ' ',
  '\\x41',
  '\\b',
  '0',
  '[:<:]]',
  '\\-',
  '\\[',
  'b',
]
const PREFIXES = ['', '', '', '(?xx)', '(?i)', '(?x)']
const SUBJECTS = [
  'a',
  'z',
  'A',
  'Z',
  'b',
  ']',
  '[',
  '^',
  '-',
  ':',
  '.',
  '=',
  ' ',
  '\\',
  '0',
  '5',
  '\x08',
  'l',
  'p',
  'h',
  'Q',
  'E',
  'ab',
  'a b',
  '[a]',
  'x',
  'ba',
  'a]',
]

let seed = Number(a.seed) >>> 0
const rnd = (n) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return (seed >>> 8) % n
}
const cases = []
for (let k = 0; k < Number(a.count); k++) {
  let p = PREFIXES[rnd(PREFIXES.length)] + '['
  const n = 1 + rnd(7)
  for (let j = 0; j < n; j++) p += TOKENS[rnd(TOKENS.length)]
  if (rnd(3) > 0) p += ']'
  if (rnd(4) === 0) p += 'b'
  cases.push({ pattern: p, subjects: SUBJECTS })
}

const res = runReference(ensureMatcher(), a.mode, [''], cases)
let agree = 0
cases.forEach((c, k) => {
  const ref = res[k]
  let t = null
  let terr = null
  try {
    t = translate(c.pattern, { mode: a.mode })
  } catch (e) {
    terr = e.message
  }
  const problems = []
  if ((ref.error !== undefined) !== (terr !== null))
    problems.push(`PCRE2: ${ref.error ?? 'compiles'}; translator: ${terr ?? 'translates'}`)
  if (ref.error === undefined && t !== null) {
    const re = new RegExp(t.source, t.flags)
    c.subjects.forEach((s, j) => {
      const x = ref.expect[2 * (j + 1)]
      const y = ref.expect[2 * (j + 1) + 1]
      const m = re.exec(s)
      const got = m === null ? 'none' : `${m.index}:${m.index + m[0].length}`
      const want = x === -1 ? 'none' : `${x}:${y}`
      if (got !== want)
        problems.push(`subject ${JSON.stringify(s)}: PCRE2 ${want}, JS ${got} (/${t.source}/${t.flags})`)
    })
  }
  if (problems.length === 0) agree++
  else if (a.verbose || cases.length - agree <= 20)
    console.log(JSON.stringify(c.pattern) + '\n  ' + problems.join('\n  '))
})
console.log(`class fuzz: ${agree} of ${cases.length} patterns agree (mode ${a.mode}, seed ${a.seed})`)
process.exit(agree === cases.length ? 0 : 1)
