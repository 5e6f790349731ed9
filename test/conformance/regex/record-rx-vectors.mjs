#!/usr/bin/env node
// Records test/vectors/operators/rx.json from real ModSecurity 2.9.7 (Apache + mod_security2) with
// test/tools/modsec/recorder.mjs on port 18150 (this area's ports: 18150-18159). For each case one
// rule `SecRule ARGS:x "@rx <pattern>" "id:N,phase:2,pass,log,capture,logdata:'%{tx.0}|%{tx.1}|...'"`
// and one GET request with x=<input> (percent-encoded). It records whether the rule matched, the
// match message ModSecurity wrote, and TX.0-3 as set by `capture` (read back through logdata; the
// inputs are plain ASCII so the logged data needs no unescaping beyond Apache's doubled backslashes).
// Run from the repo root: node test/conformance/regex/record-rx-vectors.mjs
import fs from 'node:fs'
import { startModsec } from '../../tools/modsec/recorder.mjs'

const long = '(?:' + Array.from({ length: 40 }, (_, k) => `word${k}x`).join('|') + ')'
const cases = [
  { pattern: 'a+b', input: 'xaab' },
  { pattern: 'a+b', input: 'xyz' },
  { pattern: '(?i)sel"ect\\s+\\x5c', input: 'SEL"ECT \\' },
  { pattern: 'caf\\xe9|\\x{e9}t', input: 'caf\xe9' },
  // escaped form longer than 252 chars: is the cut made after escaping? (a backslash sits at 250)
  { pattern: 'q'.repeat(249) + '\\x5c\\x5cq+', input: 'q'.repeat(249) + '\\\\qq' },
  { pattern: 'a\tb|tab', input: 'tab' },
  { pattern: long, input: 'word39x' },
  { pattern: '(a)(b)?(c)', input: 'zac' },
  { pattern: '(a)(b)?(c)', input: 'abc' },
  { pattern: '^(\\d+)-(\\d+)$', input: '10-20' },
  { pattern: '^\\d+$', input: '123\n' },
  { pattern: 'x(?:(y)|z)+', input: 'xyz' },
]

const ms = await startModsec({
  port: 18150,
  rules: cases
    .map((c, k) => {
      const p = c.pattern.replace(/"/g, '\\"')
      return `SecRule ARGS:x "@rx ${p}" "id:${1000 + k},phase:2,pass,log,capture,t:none,logdata:'%{tx.0}|%{tx.1}|%{tx.2}|%{tx.3}'"`
    })
    .join('\n'),
})
const vectors = []
try {
  for (const [k, c] of cases.entries()) {
    const enc = [...c.input].map((ch) => '%' + ch.charCodeAt(0).toString(16).padStart(2, '0')).join('')
    const r = await ms.send(`GET /?x=${enc} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    const a = r.alerts.find((x) => x.id === String(1000 + k))
    if (!a) {
      vectors.push({ pattern: c.pattern, input: c.input, varName: 'ARGS:x', match: false })
      continue
    }
    // Apache doubles backslashes in the error log: undo that once for the message and data
    const unApache = (s) => s.replace(/\\\\/g, '\\')
    const message = unApache(a.matchMsg).replace(/^Warning\. /, '')
    const caps = unApache(a.data ?? '').split('|')
    vectors.push({
      pattern: c.pattern,
      input: c.input,
      varName: 'ARGS:x',
      match: true,
      message,
      tx: caps,
      rawLine: a.raw,
    })
  }
} finally {
  await ms.stop()
}
fs.writeFileSync(
  new URL('../../vectors/operators/rx.json', import.meta.url),
  JSON.stringify(
    {
      recordedWith: 'ModSecurity 2.9.7 (Apache mod_security2), test/conformance/regex/record-rx-vectors.mjs',
      notes:
        'message = the match message of the alert line (Apache backslash doubling undone); tx = TX.0|TX.1|TX.2|TX.3 after capture, read from logdata',
      vectors,
    },
    null,
    1,
  ) + '\n',
)
console.log(
  JSON.stringify(
    vectors.map((v) => [v.match, v.message, v.tx]),
    null,
    0,
  ),
)
