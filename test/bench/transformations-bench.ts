/**
 * Micro-benchmark of the transformations (src/engine/transformations) on the values CRS sees.
 * Not a test: run it by hand, on an otherwise quiet machine, and compare figures of one run.
 *
 *   npx tsx test/bench/transformations-bench.ts                       # every transformation
 *   npx tsx test/bench/transformations-bench.ts --only lowercase,cmdLine
 *   npx tsx test/bench/transformations-bench.ts --baseline DIR             # before/after (below)
 *
 * Corpora:
 * - "crs": for each transformation, the inputs it is called with when CRS (PL1, the `npm run
 *   bench` rule set) runs one transaction of each of the four bench requests: captured by
 *   linking the program with a recording registry (LoadOptions.transformations), after one
 *   warm-up transaction each; tcache hits never reach a transformation, so these are exactly the
 *   computed calls, chained inputs included. Compiling CRS takes a few seconds (--no-crs skips).
 * - "values": the values of the four bench requests (test/bench/requests, a copy of
 *   shared/bench): path, URI, query-string argument names and values, header names and values,
 *   cookie names and values, form argument names and values (url-decoded, as ARGS), JSON
 *   argument names (dotted paths) and leaf values (numbers and booleans as text); every
 *   transformation runs on all of them.
 * - long values: 4 KB and 64 KB of one repeated byte (`a`, space, `/`, `%`, `&`, `#`, `\`,
 *   `<`), to show that the cost stays linear.
 *
 * Figures: ns per call, the minimum over several batches (a batch runs every value of the group
 * enough times to take ~5 ms), averaged over the values of the group; "4K" is the mean over the
 * 8 4 KB values; "64K max" the slowest 64 KB value, in µs.
 *
 * --baseline DIR imports DIR/index.ts (an older copy of the transformations, with its own
 * ../bytes.ts) and measures both in the same run, batches interleaved, after checking that both
 * give the same output for every value (both corpora, the long values and 3,000 seeded random
 * strings; with and without the unicode map). DIR must be compiled as an ES module like the
 * repository (tsx compiles a .ts file outside any "type": "module" package as CommonJS, whose
 * import bindings made the same code up to 4x slower here), e.g. a copy under build/:
 *
 *   mkdir -p build/tx-base && git archive HEAD~1 src/engine/transformations src/engine/bytes.ts \
 *     | tar -x -C build/tx-base --strip-components=1
 *   npx tsx test/bench/transformations-bench.ts --baseline build/tx-base/engine/transformations
 *
 * Other options: --batches N (default 7).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadProgram } from '../../src/engine/index'
import { TRANSFORMATIONS, parseUnicodeMap } from '../../src/engine/transformations'
import type { TransformationDef, TransformEnv } from '../../src/engine/transformations/types'
import { CASES, compileBench, loadRequests, runTransaction } from './setup'

const ROOT = resolve(import.meta.dirname, '../..')
const REQUESTS = join(ROOT, 'test/bench/requests')

interface BenchRequest {
  method: string
  path: string
  headers: [string, string][]
  body_file?: string
}

// ---------------------------------------------------------------- options

function option(name: string): string | undefined {
  const k = process.argv.indexOf(name)
  return k >= 0 ? process.argv[k + 1] : undefined
}
const ONLY = option('--only')?.split(',')
const CRS = !process.argv.includes('--no-crs')
const BASELINE = option('--baseline')
const BATCHES = Number(option('--batches') ?? 7)
const BATCH_NS = 5e6

// ---------------------------------------------------------------- corpus

const urlDecode = (s: string): string => TRANSFORMATIONS.urlDecode?.fn(s, {}) ?? s

/** UTF-8 text (a JS string from JSON.parse or a file) -> binary string (one char per byte). */
function toBinary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1')
}

function addPairs(out: string[], text: string, sep: string): void {
  for (const part of text.split(sep)) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const name = eq < 0 ? part : part.slice(0, eq)
    out.push(urlDecode(name.trim()))
    if (eq >= 0) out.push(urlDecode(part.slice(eq + 1)))
  }
}

function addJson(out: string[], v: unknown, path: string): void {
  if (Array.isArray(v)) v.forEach((x, k) => addJson(out, x, `${path}.array_${k}`))
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) addJson(out, x, `${path}.${k}`)
  } else {
    out.push(toBinary(path))
    out.push(toBinary(String(v)))
  }
}

function realCorpus(): string[] {
  const doc = JSON.parse(readFileSync(join(REQUESTS, 'requests.json'), 'utf8')) as {
    requests: Record<string, BenchRequest>
  }
  const out: string[] = []
  for (const req of Object.values(doc.requests)) {
    const q = req.path.indexOf('?')
    out.push(toBinary(req.path))
    out.push(toBinary(q < 0 ? req.path : req.path.slice(0, q)))
    if (q >= 0) addPairs(out, toBinary(req.path.slice(q + 1)), '&')
    let type = ''
    for (const [name, value] of req.headers) {
      out.push(toBinary(name), toBinary(value))
      if (name.toLowerCase() === 'cookie') addPairs(out, toBinary(value), ';')
      if (name.toLowerCase() === 'content-type') type = value
    }
    if (req.body_file === undefined) continue
    const body = readFileSync(join(REQUESTS, req.body_file), 'utf8')
    if (type.includes('json')) addJson(out, JSON.parse(body), 'json')
    else addPairs(out, toBinary(body), '&')
  }
  return out
}

const LONG_BYTES = ['a', ' ', '/', '%', '&', '#', '\\', '<']
const long4k = LONG_BYTES.map((c) => c.repeat(4096))
const long64k = LONG_BYTES.map((c) => c.repeat(65536))
const real = realCorpus()

/** The inputs of each transformation in one PL1 transaction of each bench request (see above). */
function crsCorpus(): Record<string, string[]> {
  const calls: Record<string, string[]> = {}
  let recording = false
  const registry: Record<string, TransformationDef> = {}
  for (const [name, def] of Object.entries(TRANSFORMATIONS)) {
    const list: string[] = (calls[name] = [])
    registry[name] = {
      ...def,
      fn: (input, env) => {
        if (recording) list.push(input)
        return def.fn(input, env)
      },
    }
  }
  const program = loadProgram(compileBench(1), { transformations: registry })
  const requests = loadRequests()
  for (const c of CASES) runTransaction(program, requests[c])
  recording = true
  for (const c of CASES) runTransaction(program, requests[c])
  return calls
}

function randomStrings(count: number): string[] {
  let seed = 987654321
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed >>> 8
  }
  const alphabet =
    '%uU0123456789abcdefABCDEFxXzZ&#;\\/.*-<!>+ \t\n\r\v\f\x00\xa0\xc0\xc3\xde\xdf\xe2\xf0\xf5\xff=\'"^,(' +
    'amp;quot;lt;gt;nbsp;'
  const out: string[] = []
  for (let k = 0; k < count; k++) {
    let s = ''
    const n = rnd() % (k % 10 === 0 ? 300 : 40)
    for (let i = 0; i < n; i++) {
      s += k % 3 === 0 ? String.fromCharCode(rnd() & 0xff) : alphabet.charAt(rnd() % alphabet.length)
    }
    out.push(s)
  }
  return out
}

// ---------------------------------------------------------------- measurement

let sink = 0

/** ns per call of fn over values, one batch of `reps` passes. */
function batch(def: TransformationDef, values: readonly string[], env: TransformEnv, reps: number): number {
  const fn = def.fn
  const t0 = process.hrtime.bigint()
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < values.length; k++) {
      const v = values[k] ?? ''
      const out = fn(v, env)
      // touch the output so that a lazily built (cons) string is paid for, as a regex would
      sink += out.length === 0 ? 0 : out.charCodeAt(out.length - 1)
    }
  }
  return Number(process.hrtime.bigint() - t0) / (reps * values.length)
}

/** Min over batches of ns per call, for each implementation (interleaved). */
function measure(defs: TransformationDef[], values: readonly string[], env: TransformEnv): number[] {
  // calibrate with the first implementation (also a warm-up for all)
  let reps = 1
  for (const d of defs) batch(d, values, env, 1)
  for (;;) {
    const t = batch(defs[0] as TransformationDef, values, env, reps) * reps * values.length
    if (t > BATCH_NS / 4 || reps > 1e6) {
      reps = Math.max(1, Math.round((reps * BATCH_NS) / Math.max(t, 1)))
      break
    }
    reps *= 4
  }
  const best = defs.map(() => Infinity)
  for (let b = 0; b < BATCHES; b++) {
    for (let k = 0; k < defs.length; k++) {
      const ns = batch(defs[k] as TransformationDef, values, env, reps)
      if (ns < (best[k] ?? Infinity)) best[k] = ns
    }
  }
  return best
}

// ---------------------------------------------------------------- checks against the baseline

function show(s: string): string {
  let out = ''
  for (let i = 0; i < s.length && i < 80; i++) {
    const c = s.charCodeAt(i)
    out += c >= 0x20 && c < 0x7f && c !== 0x5c ? s.charAt(i) : '\\x' + c.toString(16).padStart(2, '0')
  }
  return s.length > 80 ? `${out}...(${s.length})` : out
}

/** Number of values on which cur and old give different outputs (the first few are printed). */
function compare(
  name: string,
  cur: TransformationDef,
  old: TransformationDef,
  values: readonly string[],
  envs: TransformEnv[],
): number {
  let differ = 0
  for (const env of envs) {
    for (const v of values) {
      const a = cur.fn(v, env)
      const b = old.fn(v, env)
      if (a !== b) {
        if (differ < 3)
          console.error(`DIFF t:${name} in "${show(v)}"\n  old "${show(b)}"\n  new "${show(a)}"`)
        differ++
      }
    }
  }
  return differ
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const map = parseUnicodeMap(
    readFileSync(join(ROOT, 'test/vectors/transformations/unicode.mapping'), 'latin1'),
    20127,
  )
  // the bench rule set configures SecUnicodeMapFile unicode.mapping 20127 (rules/engine.conf)
  const env: TransformEnv = { unicodeMap: map }
  let old: Record<string, TransformationDef> | undefined
  if (BASELINE !== undefined) {
    const mod = (await import(resolve(BASELINE, 'index.ts'))) as {
      TRANSFORMATIONS: Record<string, TransformationDef>
    }
    old = mod.TRANSFORMATIONS
  }
  const names = Object.keys(TRANSFORMATIONS).filter((n) => ONLY === undefined || ONLY.includes(n))
  const realBytes = real.reduce((a, v) => a + v.length, 0)
  const crs = CRS ? crsCorpus() : {}
  console.error(
    `values: ${real.length} (mean ${(realBytes / real.length).toFixed(0)} bytes); ` +
      `long: ${LONG_BYTES.length} x 4 KB and 64 KB; ${BATCHES} batches of ~${BATCH_NS / 1e6} ms`,
  )

  if (old !== undefined) {
    const fuzz = randomStrings(3000)
    const all = [...real, ...long4k, ...long64k, ...fuzz, ...Object.values(crs).flat()]
    let bad = 0
    for (const n of names) {
      const cur = TRANSFORMATIONS[n]
      const prev = old[n]
      if (cur === undefined || prev === undefined) continue
      const differ = compare(n, cur, prev, all, [{}, env])
      bad += differ
      if (differ > 0) console.error(`t:${n}: ${differ} outputs differ`)
    }
    console.error(
      bad === 0 ? `same output as the baseline on ${all.length} values x 2 envs` : `${bad} DIFFERENCES`,
    )
  }

  const rows: string[] = []
  const two = old !== undefined
  const cols = two
    ? [
        't:',
        'crs calls/tx',
        'crs ns before',
        'crs ns after',
        'x',
        'values ns before',
        'values ns after',
        'x',
        '4K ns before',
        '4K ns after',
        '64K max µs before',
        '64K max µs after',
      ]
    : ['t:', 'crs calls/tx', 'crs ns', 'values ns', '4K ns', '64K max µs']
  rows.push(`| ${cols.join(' | ')} |`, `|${cols.map(() => '---|').join('')}`)
  const f0 = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(0))
  const f1 = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(1))
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined ? '-' : (a / b).toFixed(1)
  // ns per transaction spent in the crs calls (calls/tx x ns/call), per implementation
  const perTxTotal = [0, 0]
  for (const n of names) {
    const cur = TRANSFORMATIONS[n]
    if (cur === undefined) continue
    const prev = old?.[n]
    const defs = prev !== undefined ? [prev, cur] : [cur]
    const inputs = crs[n] ?? []
    const c = inputs.length > 0 ? measure(defs, inputs, env) : []
    const r = measure(defs, real, env)
    const k4 = defs.map(() => 0)
    const k64 = defs.map(() => 0)
    for (const v of long4k) measure(defs, [v], env).forEach((ns, k) => (k4[k] = (k4[k] ?? 0) + ns / 8))
    for (const v of long64k)
      measure(defs, [v], env).forEach((ns, k) => (k64[k] = Math.max(k64[k] ?? 0, ns / 1000)))
    const perTx = inputs.length > 0 ? (inputs.length / CASES.length).toFixed(0) : '-'
    c.forEach((ns, k) => (perTxTotal[k] = (perTxTotal[k] ?? 0) + (ns * inputs.length) / CASES.length))
    const cells =
      defs.length === 2
        ? [
            n,
            perTx,
            f0(c[0]),
            f0(c[1]),
            ratio(c[0], c[1]),
            f0(r[0]),
            f0(r[1]),
            ratio(r[0], r[1]),
            f0(k4[0]),
            f0(k4[1]),
            f1(k64[0]),
            f1(k64[1]),
          ]
        : [n, perTx, f0(c[0]), f0(r[0]), f0(k4[0]), f1(k64[0])]
    const row = `| ${cells.join(' | ')} |`
    rows.push(row)
    console.error(row)
  }
  if (ONLY === undefined && CRS) {
    const us = perTxTotal.map((ns) => (ns / 1000).toFixed(1))
    rows.push(
      two
        ? `| all (crs µs/tx) | | ${us[0]} | ${us[1]} | ${ratio(perTxTotal[0], perTxTotal[1])} | | | | | | | |`
        : `| all (crs µs/tx) | | ${us[0]} | | | |`,
    )
  }
  console.log(rows.join('\n'))
  if (sink === 42) console.error('')
}

await main()
