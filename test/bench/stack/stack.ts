/**
 * Whole-stack bench (`npm run bench:stack`, not run in CI): the Worker in workerd in front of a
 * local origin, loaded by wrk with the four bench requests, with the WAF on (rules/main.conf +
 * CRS at paranoia level 1, as `npm run bench`) and off (WAF_ENGINE=Off: the same Worker forwards
 * without inspecting), so the WAF's share of the stack shows. Then the cold start in workerd:
 * the CPU of workerd up to its first request, and of each first request, with the default warm-up
 * and with WAF_WARMUP=off. See README.md beside this file.
 *
 *   npm run bench:stack                               # load (10 s per case) + cold start (3 runs)
 *   npm run bench:stack -- --seconds 5 --cold-runs 5  # shorter load, more cold runs
 *   npm run bench:stack -- --only load|cold --json    # one part; one JSON object on stdout
 *   npm run bench:stack -- --only cold --warmup all   # cold start with WAF_WARMUP=all (or bytes)
 *   npm run bench:stack -- --no-audit                 # without the AUDIT (R2) binding
 *   npm run bench:stack -- --only load --cases get,sqli
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildWafScript } from '../../workers/harness'
import { CASES, crsDir, ROOT, writeSetupConf, type CaseName } from '../setup'
import { cpuSchedUs, cpuTicksUs, startOrigin, startWorkerd, type Stack } from './workerd'
import { loadWireRequests, luaScript, type WireRequest } from './wire'

interface Args {
  seconds: number
  warmupSeconds: number
  threads: number
  connections: number
  coldRuns: number
  pl: number
  only: 'load' | 'cold' | undefined
  json: boolean
  port: number
  /** WAF_WARMUP of the warm-up row of the cold start (default: unset, the Worker's default) */
  warmup: string | undefined
  /** bind the AUDIT bucket (blocked requests write their audit record into local R2) */
  audit: boolean
  /** the load cases to run (default all four) */
  cases: CaseName[]
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    seconds: 10,
    warmupSeconds: 2,
    threads: 2,
    connections: 32,
    coldRuns: 3,
    pl: 1,
    only: undefined,
    json: false,
    port: 18400,
    warmup: undefined,
    audit: true,
    cases: [...CASES],
  }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = (): number => {
      const n = Number(argv[++i])
      if (!Number.isFinite(n) || n < 0) throw new Error(`${k} needs a number`)
      return n
    }
    if (k === '--seconds') a.seconds = v()
    else if (k === '--warmup-seconds') a.warmupSeconds = v()
    else if (k === '--threads') a.threads = v()
    else if (k === '--connections') a.connections = v()
    else if (k === '--cold-runs') a.coldRuns = v()
    else if (k === '--pl') a.pl = v()
    else if (k === '--port') a.port = v()
    else if (k === '--json') a.json = true
    else if (k === '--warmup') a.warmup = argv[++i]
    else if (k === '--no-audit') a.audit = false
    else if (k === '--cases') {
      const list = (argv[++i] ?? '').split(',')
      a.cases = CASES.filter((c) => list.includes(c))
      if (a.cases.length !== list.length) throw new Error(`--cases: a list of ${CASES.join(',')}`)
    } else if (k === '--only') {
      const o = argv[++i]
      if (o !== 'load' && o !== 'cold') throw new Error('--only load|cold')
      a.only = o
    } else throw new Error(`unknown option ${k}`)
  }
  return a
}

const log = (s: string): void => {
  process.stderr.write(s + '\n')
}

// ---------------------------------------------------------------------------------------------
// load

interface WrkResult {
  requests: number
  duration_s: number
  statuses: Record<string, number>
  errors: number
  latency_p50_ms: number
  latency_p99_ms: number
}

function runWrk(url: URL, lua: string, seconds: number, a: Args): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'waf-stack-'))
  const script = join(dir, 'case.lua')
  writeFileSync(script, lua, 'latin1')
  const args = [
    '-t',
    String(a.threads),
    '-c',
    String(a.connections),
    '-d',
    `${seconds}s`,
    '-s',
    script,
    url.href,
  ]
  return new Promise((ok, fail) => {
    const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    p.stdout.on('data', (d: Buffer) => (out += d.toString()))
    p.stderr.on('data', (d: Buffer) => (err += d.toString()))
    p.on('error', (e) =>
      fail(new Error(`cannot run wrk (${e.message}): install it (Debian: apt-get install wrk)`)),
    )
    p.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('STACK '))
      if (code !== 0 || line === undefined) return fail(new Error(`wrk failed (${code}): ${err}\n${out}`))
      ok(JSON.parse(line.slice(6)) as WrkResult)
    })
  })
}

interface LoadRow {
  case: CaseName
  waf: 'On' | 'Off'
  rps: number
  /** workerd CPU per request, µs */
  cpu_us: number
  latency_p50_ms: number
  latency_p99_ms: number
  requests: number
  statuses: Record<string, number>
}

async function loadMode(
  script: string,
  originUrl: string,
  waf: 'On' | 'Off',
  requests: Record<CaseName, WireRequest>,
  a: Args,
): Promise<LoadRow[]> {
  const stack = await startWorkerd(script, a.port, { ORIGIN_URL: originUrl, WAF_ENGINE: waf }, a.audit)
  const rows: LoadRow[] = []
  try {
    for (const c of a.cases) {
      const r = requests[c]
      const expect = waf === 'On' ? r.expectStatus : 200
      const first = await sendOnce(stack, r)
      if (first !== expect) throw new Error(`${c} (WAF ${waf}) answered ${first}, expected ${expect}`)
      const lua = luaScript(r)
      if (a.warmupSeconds > 0) await runWrk(stack.url, lua, a.warmupSeconds, a)
      const before = cpuTicksUs(stack.pid)
      const res = await runWrk(stack.url, lua, a.seconds, a)
      const cpu = cpuTicksUs(stack.pid) - before
      const wrong = Object.keys(res.statuses).filter((s) => Number(s) !== expect)
      if (wrong.length > 0 || res.errors > 0)
        throw new Error(
          `${c} (WAF ${waf}): statuses ${JSON.stringify(res.statuses)}, ${res.errors} errors; expected only ${expect}`,
        )
      const row: LoadRow = {
        case: c,
        waf,
        rps: Math.round(res.requests / res.duration_s),
        cpu_us: Math.round(cpu / res.requests),
        latency_p50_ms: res.latency_p50_ms,
        latency_p99_ms: res.latency_p99_ms,
        requests: res.requests,
        statuses: res.statuses,
      }
      log(`  ${c} WAF ${waf}: ${row.rps} req/s, ${row.cpu_us} µs CPU/req, ${JSON.stringify(res.statuses)}`)
      rows.push(row)
    }
  } finally {
    await stack.dispose()
  }
  return rows
}

/** one request over a fresh connection; resolves with the status once the body is read */
function sendOnce(stack: Stack, r: WireRequest): Promise<number> {
  return new Promise((ok, fail) => {
    const headers: Record<string, string> = {}
    for (const [k, v] of r.headers) headers[k] = v
    if (r.body !== undefined) headers['Content-Length'] = String(r.body.length)
    headers['Connection'] = 'close'
    const req = httpRequest(
      { host: '127.0.0.1', port: Number(stack.url.port), method: r.method, path: r.path, headers },
      (res) => {
        res.resume()
        res.on('end', () => ok(res.statusCode ?? 0))
      },
    )
    req.on('error', fail)
    req.end(r.body === undefined ? undefined : Buffer.from(r.body, 'latin1'))
  })
}

// ---------------------------------------------------------------------------------------------
// cold start

interface ColdRun {
  /** CPU of workerd from its start to ready (loads the Worker: module parse + global scope) */
  startup_ms: number
  /** CPU of workerd for the first request of each case, in order, then a second GET */
  first_ms: Record<CaseName, number>
  second_get_ms: number
}

interface ColdReport {
  runs: number
  /** a Worker that answers "ok": workerd's own start-up, for reference */
  empty_startup_ms: number
  /** WAF_WARMUP of the warm-up row (null: unset, the Worker's default) */
  warmup_setting: string | null
  warmup_default: ColdRun & { warmup: unknown }
  warmup_off: ColdRun
}

const EMPTY_WORKER = `export default { fetch() { return new Response('ok') } }`

async function coldOnce(
  script: string,
  originUrl: string,
  requests: Record<CaseName, WireRequest>,
  vars: Record<string, string>,
  a: Args,
): Promise<ColdRun & { warmup?: unknown }> {
  const stack = await startWorkerd(script, a.port, { ORIGIN_URL: originUrl, ...vars }, a.audit)
  try {
    const startup = cpuSchedUs(stack.pid)
    const first = {} as Record<CaseName, number>
    const one = async (r: WireRequest): Promise<number> => {
      const t = cpuSchedUs(stack.pid)
      const status = await sendOnce(stack, r)
      if (status !== r.expectStatus) throw new Error(`cold ${r.name}: ${status}, expected ${r.expectStatus}`)
      // the alert log and the audit record are written after the answer (waitUntil)
      await new Promise((s) => setTimeout(s, 100))
      return (cpuSchedUs(stack.pid) - t) / 1000
    }
    for (const c of CASES) first[c] = round(await one(requests[c]))
    const second = round(await one(requests.get))
    let warmup: unknown
    if (vars.ADMIN_TOKEN !== undefined) {
      const res = await stack.mf.dispatchFetch(`${stack.url.origin}/.waf/status`, {
        headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}` },
      })
      warmup = ((await res.json()) as { warmup: unknown }).warmup
    }
    return { startup_ms: round(startup / 1000), first_ms: first, second_get_ms: second, warmup }
  } finally {
    await stack.dispose()
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return round(s[s.length >> 1] ?? NaN)
}

function round(x: number): number {
  return Math.round(x * 10) / 10
}

function medianRun(list: ColdRun[]): ColdRun {
  const first = {} as Record<CaseName, number>
  for (const c of CASES) first[c] = median(list.map((x) => x.first_ms[c]))
  return {
    startup_ms: median(list.map((x) => x.startup_ms)),
    first_ms: first,
    second_get_ms: median(list.map((x) => x.second_get_ms)),
  }
}

async function cold(
  script: string,
  originUrl: string,
  requests: Record<CaseName, WireRequest>,
  a: Args,
): Promise<ColdReport> {
  const token = 'bench-stack'
  const on: (ColdRun & { warmup?: unknown })[] = []
  const off: ColdRun[] = []
  const empty: number[] = []
  for (let i = 0; i < a.coldRuns; i++) {
    const e = await startWorkerd(EMPTY_WORKER, a.port, {})
    empty.push(cpuSchedUs(e.pid) / 1000)
    await e.dispose()
    const vars: Record<string, string> = { ADMIN_TOKEN: token }
    if (a.warmup !== undefined) vars.WAF_WARMUP = a.warmup
    on.push(await coldOnce(script, originUrl, requests, vars, a))
    off.push(await coldOnce(script, originUrl, requests, { WAF_WARMUP: 'off' }, a))
    log(`  cold run ${i + 1}: startup ${on[i]?.startup_ms} ms (warm-up) / ${off[i]?.startup_ms} ms (off)`)
  }
  return {
    runs: a.coldRuns,
    empty_startup_ms: median(empty),
    warmup_setting: a.warmup ?? null,
    warmup_default: { ...medianRun(on), warmup: on[0]?.warmup },
    warmup_off: medianRun(off),
  }
}

// ---------------------------------------------------------------------------------------------

function machine(): string {
  const c = cpus()
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, Node ${process.version}`
}

function printLoad(rows: LoadRow[]): void {
  const by = (c: CaseName, w: 'On' | 'Off'): LoadRow | undefined =>
    rows.find((r) => r.case === c && r.waf === w)
  console.log('\nrequest | req/s WAF On | req/s WAF Off | CPU µs/req On | CPU µs/req Off | WAF share µs/req')
  for (const c of CASES) {
    const on = by(c, 'On')
    const off = by(c, 'Off')
    if (on === undefined || off === undefined) continue
    console.log(
      `${c.padEnd(7)} | ${String(on.rps).padStart(12)} | ${String(off.rps).padStart(13)} | ` +
        `${String(on.cpu_us).padStart(13)} | ${String(off.cpu_us).padStart(14)} | ${String(on.cpu_us - off.cpu_us).padStart(16)}`,
    )
  }
}

function printCold(r: ColdReport): void {
  const row = (name: string, x: ColdRun): string =>
    `${name.padEnd(16)} | ${String(x.startup_ms).padStart(10)} | ` +
    CASES.map((c) => String(x.first_ms[c]).padStart(6)).join(' | ') +
    ` | ${String(x.second_get_ms).padStart(6)}`
  console.log(`\ncold start in workerd (CPU ms of the workerd process, median of ${r.runs} runs)`)
  console.log(`workerd with an empty Worker: ${r.empty_startup_ms} ms to ready`)
  console.log(`warm-up          | start-up   | ${CASES.map((c) => c.padStart(6)).join(' | ')} | get #2`)
  console.log(row(r.warmup_setting === null ? 'default' : `WAF_WARMUP=${r.warmup_setting}`, r.warmup_default))
  console.log(row('WAF_WARMUP=off', r.warmup_off))
  console.log(`warm-up report: ${JSON.stringify(r.warmup_default.warmup)}`)
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2))
  log(`compiling rules/main.conf with CRS (${crsDir()}) at PL${a.pl} and bundling the Worker...`)
  const script = await buildWafScript(resolve(ROOT, 'rules/main.conf'), {
    CRS_DIR: crsDir(),
    CRS_SETUP: writeSetupConf(a.pl),
  })
  const requests = loadWireRequests()
  const origin = await startOrigin(a.port + 1)
  const out: { machine: string; pl: number; audit: boolean; load?: LoadRow[]; cold?: ColdReport } = {
    machine: machine(),
    pl: a.pl,
    audit: a.audit,
  }
  try {
    if (a.only !== 'cold') {
      log(
        `load: wrk -t${a.threads} -c${a.connections}, ${a.warmupSeconds} s warm-up + ${a.seconds} s per case`,
      )
      out.load = [
        ...(await loadMode(script, origin.url, 'On', requests, a)),
        ...(await loadMode(script, origin.url, 'Off', requests, a)),
      ]
    }
    if (a.only !== 'load') {
      log(`cold start: ${a.coldRuns} runs`)
      out.cold = await cold(script, origin.url, requests, a)
    }
  } finally {
    await origin.close()
  }
  if (a.json) {
    process.stdout.write(JSON.stringify(out) + '\n')
    return
  }
  console.log(`machine: ${out.machine}; CRS PL${out.pl}`)
  if (out.load !== undefined) printLoad(out.load)
  if (out.cold !== undefined) printCold(out.cold)
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:stack: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exitCode = 1
})
