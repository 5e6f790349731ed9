#!/usr/bin/env node
// Produces test/corpus/redos/*.json, the adversarial corpus (see test/corpus/redos/README.md).
//   node ../shared/tools/redos-scan/scan.mjs --translator ./build/regex-translate.mjs --mode v2 \
//        --budget-ms 10 --max-len 65536 --json /tmp/scan-v8.json
//   node test/conformance/regex/make-redos-corpus.mjs /tmp/scan-v8.json
// Inputs are binary strings (one char per byte). Only rule ids and inputs are stored, never CRS text.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const out = path.join(root, 'test/corpus/redos')
const { attackShapes } = await import(
  pathToFileURL(path.resolve(root, '../shared/tools/redos-scan/lib/attack.mjs')).href
)
const scan = JSON.parse(fs.readFileSync(process.argv[2] ?? '/tmp/scan-v8.json', 'utf8'))

// 1. 920600 (PL1, !@rx on REQUEST_HEADERS:Accept; same pattern in 922110): the two exponential shapes of
//    regex-notes.md section 5, from 50 bytes to 8 KB.
const sizes = [50, 56, 64, 72, 96, 104, 124, 134, 256, 512, 1024, 2048, 4096, 8192]
const fill = (unit, n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n)
const accept = []
for (const [label, unit] of [
  ['research: */* + " ;  chvF =h*" x n + !', ' ;  chvF =h*'],
  ['redos-scan: */* + ", D/*" x n + !', ', D/*'],
]) {
  for (const n of sizes)
    accept.push({ label, length: n, input: ('*/*' + fill(unit, n)).slice(0, n - 1) + '!' })
}
fs.writeFileSync(
  path.join(out, '920600-accept.json'),
  JSON.stringify({ rules: ['920600', '922110'], target: 'REQUEST_HEADERS:Accept', inputs: accept }, null, 1) +
    '\n',
)

// 2. Every pattern the scan found over budget in plain V8: its trigger input, and the same shape at
//    8 KB for the rules named in the issue, 2 KB for the others.
const named = new Set(['941160', '921160', '932125', '932370', '942360'])
const flagged = []
for (const r of scan.results.filter((x) => x.status === 'over')) {
  const shape = attackShapes(r.pattern, { seed: scan.seed, max: 500 }).find((s) => s.label === r.input)
  const trigger = Buffer.from(r.sampleHex, 'hex').toString('latin1')
  const inputs = [{ label: r.input, length: trigger.length, v8Ms: `>${scan.budgetMs}`, input: trigger }]
  const big = r.ids.some((id) => named.has(id)) ? 8192 : 2048
  if (shape && big > trigger.length) inputs.push({ label: r.input, length: big, input: shape.make(big) })
  flagged.push({ rules: r.ids, pl: r.pl, variables: r.variables, v8ThresholdBytes: r.thresholdBytes, inputs })
}
fs.writeFileSync(
  path.join(out, 'crs-flagged.json'),
  JSON.stringify(
    {
      producedBy: `redos-scan on ${scan.translator.split('/').slice(-2).join('/')}, mode ${scan.mode}, budget ${scan.budgetMs} ms, seed ${scan.seed}`,
      patterns: flagged,
    },
    null,
    1,
  ) + '\n',
)
console.log(`920600-accept.json: ${accept.length} inputs; crs-flagged.json: ${flagged.length} patterns`)
