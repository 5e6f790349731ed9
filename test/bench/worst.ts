/**
 * Worst-case corpus (`npm run bench -- --worst`): adversarial requests through the whole engine
 * (phases 1-5), after warmProgram() as a Worker isolate would. Each request runs `runs` times; its
 * figure is the median CPU of those runs (a single slow spell of the machine is not the request's).
 *
 * - 64 KB arguments of one repeated byte (every byte class CRS patterns pump: letters, digits,
 *   space, quotes, brackets, separators, CR/LF, %, \, NUL, 0xff), as a form value and a form name;
 *   a 64 KB form body of `&`; an 8 KB query string and path of repeated bytes;
 * - deep JSON: nested arrays / objects at 500 levels (under SecRequestBodyJsonDepthLimit 512) and
 *   at 10,000 (over it: the body processor fails, REQBODY_ERROR);
 * - many small arguments: 1,000 (SecArgumentsLimit) and 5,000 (over it) in the query and the body,
 *   and 1,000 JSON members;
 * - the ReDoS corpus of test/corpus/redos (every input of crs-flagged.json and 920600-accept.json)
 *   placed where the flagged rules look: a form value, a form name, the request headers CRS
 *   inspects (User-Agent, Referer, Accept, Range, X-Filename, Content-Type of a part is not
 *   reachable here), a cookie, the path, and the response body.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { warmProgram, type Program } from '../../src/engine/index'
import { ROOT, runTransaction, toBenchRequest, type BenchRequest } from './setup'

const BASE_HEADERS: [string, string][] = [
  ['Host', 'localhost'],
  [
    'User-Agent',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  ],
  ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
  ['Accept-Language', 'en-US,en;q=0.9'],
]
const FORM: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded']
const JSON_CT: [string, string] = ['Content-Type', 'application/json']

/** Percent-encode every byte except unreserved ones (a binary string in, ASCII out). */
export function pct(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff
    if (
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x7e
    )
      out += s.charAt(i)
    else out += '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase()
  }
  return out
}

const post = (name: string, body: string, ct: [string, string] = FORM): BenchRequest =>
  toBenchRequest(name, 'POST', '/submit', [...BASE_HEADERS, ct], body)
const get = (name: string, path: string, extra: [string, string][] = []): BenchRequest =>
  toBenchRequest(name, 'GET', path, [...BASE_HEADERS, ...extra], undefined)

/** Bytes CRS patterns pump (redos-scan's shapes), one per 64 KB argument. */
const PUMP = 'aA0 \t\'"`<>()[]{};|&=:,./\\%$#*!?-+~@^\r\n\x0b\x00\xff'

export function syntheticCases(): BenchRequest[] {
  const out: BenchRequest[] = []
  const K64 = 65536
  for (const ch of PUMP) {
    const label = JSON.stringify(ch)
    const v = ch.repeat(K64)
    out.push(post(`64 KB value of ${label}`, 'q=' + pct(v)))
    out.push(post(`64 KB name of ${label}`, pct(v) + '=1'))
    out.push(get(`8 KB query value of ${label}`, '/search?q=' + pct(ch.repeat(8192))))
    out.push(get(`8 KB path of ${label}`, '/' + pct(ch.repeat(8192))))
  }
  out.push(post('64 KB body of "&"', '&'.repeat(K64)))
  out.push(post('64 KB body of "="', '='.repeat(K64)))
  out.push(post('JSON 500 nested arrays', '['.repeat(500) + ']'.repeat(500), JSON_CT))
  out.push(post('JSON 500 nested objects', '{"a":'.repeat(500) + '1' + '}'.repeat(500), JSON_CT))
  out.push(
    post('JSON 10000 nested arrays (over the depth limit)', '['.repeat(10000) + ']'.repeat(10000), JSON_CT),
  )
  out.push(
    post(
      'JSON 1000 members',
      '{' + Array.from({ length: 1000 }, (_, i) => `"k${i}":"v${i}"`).join(',') + '}',
      JSON_CT,
    ),
  )
  const many = (n: number) => Array.from({ length: n }, (_, i) => `a${i}=${i}`).join('&')
  out.push(get('1000 query arguments', '/search?' + many(1000)))
  out.push(get('5000 query arguments (over SecArgumentsLimit)', '/search?' + many(5000)))
  out.push(post('1000 body arguments', many(1000)))
  out.push(post('5000 body arguments (over SecArgumentsLimit)', many(5000)))
  out.push(
    post(
      '1000 arguments of "<script>"',
      Array.from({ length: 1000 }, (_, i) => `a${i}=${pct('<script>')}`).join('&'),
    ),
  )
  return out
}

interface CorpusInput {
  label: string
  input: string
}

export function redosCases(): BenchRequest[] {
  const dir = resolve(ROOT, 'test/corpus/redos')
  const flagged = JSON.parse(readFileSync(resolve(dir, 'crs-flagged.json'), 'utf8')) as {
    patterns: { rules: string[]; inputs: CorpusInput[] }[]
  }
  const accept = JSON.parse(readFileSync(resolve(dir, '920600-accept.json'), 'utf8')) as {
    inputs: CorpusInput[]
  }
  const inputs: { id: string; input: string }[] = []
  for (const p of flagged.patterns)
    for (const i of p.inputs) inputs.push({ id: p.rules.join(','), input: i.input })
  for (const i of accept.inputs) inputs.push({ id: '920600', input: i.input })
  const out: BenchRequest[] = []
  for (const { id, input } of inputs) {
    const tag = `redos ${id} (${input.length} B)`
    out.push(post(`${tag} as a form value`, 'q=' + pct(input)))
    out.push(post(`${tag} as a form name`, pct(input) + '=1'))
    out.push(get(`${tag} in the path`, '/' + pct(input)))
    // headers cannot carry CR, LF or NUL (HTTP and the Workers runtime refuse them)
    if (!/[\r\n\0]/.test(input)) {
      out.push(
        get(`${tag} as request headers`, '/', [
          ['Referer', input],
          ['Range', input],
          ['X-Filename', input],
          ['Cookie', 'c=' + input],
        ]),
      )
      const h = toBenchRequest(
        `${tag} as User-Agent and Accept`,
        'GET',
        '/',
        [
          ['Host', 'localhost'],
          ['User-Agent', input],
          ['Accept', input],
        ],
        undefined,
      )
      out.push(h)
    }
    const resp = get(`${tag} as the response body`, '/page')
    resp.responseBody = input
    out.push(resp)
  }
  return out
}

export interface WorstRow {
  name: string
  /** median of the runs */
  cpu_us: number
  /** every run in order (the first pays V8's tier-up of the code paths this shape takes) */
  runs_us: number[]
  status: number
}

declare const gc: (() => void) | undefined

/**
 * Median CPU (us) of `runs` transactions per request, slowest first. A transaction's CPU is the
 * time of the thread that runs it, bounded from above by the smaller of the process's CPU time
 * (which also counts V8's background threads: concurrent optimising compilation and GC marking,
 * which do not run on the request's thread and are not the request's CPU time in a Worker) and
 * the wall time (which also counts waiting for the CPU on a busy machine).
 */
export function runWorst(program: Program, cases: readonly BenchRequest[], runs = 5): WorstRow[] {
  warmProgram(program)
  const rows: WorstRow[] = []
  for (const r of cases) {
    const t: number[] = []
    let status = 200
    for (let k = 0; k < runs; k++) {
      const c0 = process.cpuUsage()
      const w0 = performance.now()
      const tx = runTransaction(program, r)
      const w = (performance.now() - w0) * 1000
      const c = process.cpuUsage(c0)
      t.push(Math.round(Math.min(c.user + c.system, w)))
      status = tx.interruption?.status ?? 200
    }
    const sorted = [...t].sort((a, b) => a - b)
    rows.push({ name: r.name, cpu_us: sorted[sorted.length >> 1] as number, runs_us: t, status })
    // keep a big corpus from piling up garbage collection on a later request
    if (typeof gc === 'function') gc()
  }
  return rows.sort((a, b) => b.cpu_us - a.cpu_us)
}
