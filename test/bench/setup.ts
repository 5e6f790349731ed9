/**
 * The benchmark's rule set and requests, shared by `npm run bench` (bench.ts), the fired-ids test
 * (fired.test.ts) and the ModSecurity recording (record-modsec.mjs reads the same files).
 *
 * Rule set: rules/main.conf (rules/engine.conf: SecRuleEngine On, request and response body
 * access, JSON body processor for application/json through rule 200001) + rules/crs-setup.conf +
 * CRS from CRS_DIR (default ../shared/crs), with one setup SecAction (id 900000, as in
 * crs-setup.conf.example) that sets tx.blocking_paranoia_level (and detection PL) to 1..4.
 *
 * Requests: test/bench/requests (a copy of shared/bench: the requests ModSecurity 2.9.7 and
 * libmodsecurity 3 were measured with). A POST carries Content-Length as wrk sends it.
 * The origin's answer (phases 3-4) is a small 200 text/html page, the page the ModSecurity
 * recording serves (record-modsec.mjs).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { compileFile } from '../../src/compiler/compile'
import { formatDiagnostic } from '../../src/compiler/diagnostics'
import type { Bundle } from '../../src/bundle/schema'
import { loadProgram, type EngineRequest, type Program } from '../../src/engine/index'
import { Transaction } from '../../src/engine/transaction'

/** The repository root (found upwards, so that this also works from an esbuild bundle in build/). */
function findRoot(): string {
  let dir = import.meta.dirname
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules/main.conf'))) return dir
    dir = resolve(dir, '..')
  }
  return resolve(import.meta.dirname, '../..')
}
export const ROOT = findRoot()
export const REQUESTS_DIR = resolve(ROOT, 'test/bench/requests')

export function crsDir(): string {
  const env = process.env.CRS_DIR
  return resolve(ROOT, env !== undefined && env !== '' ? env : '../shared/crs')
}

/** The setup SecAction of the benchmark (also used verbatim for the ModSecurity recording). */
export function plSetupAction(pl: number): string {
  return (
    `SecAction "id:900000,phase:1,pass,t:none,nolog,tag:'OWASP_CRS',ver:'OWASP_CRS/4.28.0',` +
    `setvar:tx.blocking_paranoia_level=${pl},setvar:tx.detection_paranoia_level=${pl}"\n`
  )
}

/** rules/crs-setup.conf followed by the PL SecAction: the CRS_SETUP of the bench. */
export function writeSetupConf(pl: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'waf-bench-'))
  const path = join(dir, `crs-setup-pl${pl}.conf`)
  writeFileSync(path, `Include ${resolve(ROOT, 'rules/crs-setup.conf')}\n` + plSetupAction(pl))
  return path
}

export function compileBench(pl: number): Bundle {
  const out = compileFile(resolve(ROOT, 'rules/main.conf'), {
    defines: { CRS_DIR: crsDir(), CRS_SETUP: writeSetupConf(pl) },
  })
  if (out.bundle === undefined || out.errors > 0) {
    const errs = out.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)
    throw new Error(`compiling the bench rule set failed:\n${errs.join('\n')}`)
  }
  return out.bundle
}

export function buildBench(pl: number): Program {
  return loadProgram(compileBench(pl))
}

export const CASES = ['get', 'form', 'json', 'sqli'] as const
export type CaseName = (typeof CASES)[number]

interface RequestSpec {
  method: string
  path: string
  headers: [string, string][]
  body_file?: string
  expect: string
}

export interface BenchRequest {
  name: string
  request: EngineRequest
  body: string | undefined
  expect: string
  /** the origin's body for this request (default RESPONSE_BODY) */
  responseBody?: string
}

export function loadRequests(): Record<CaseName, BenchRequest> {
  const spec = JSON.parse(readFileSync(join(REQUESTS_DIR, 'requests.json'), 'utf8')) as {
    requests: Record<string, RequestSpec>
  }
  const out = {} as Record<CaseName, BenchRequest>
  for (const name of CASES) {
    const r = spec.requests[name]
    if (r === undefined) throw new Error(`requests.json has no "${name}"`)
    out[name] = toBenchRequest(
      name,
      r.method,
      r.path,
      r.headers,
      r.body_file === undefined ? undefined : readFileSync(join(REQUESTS_DIR, r.body_file), 'latin1'),
      r.expect,
    )
  }
  return out
}

/** An engine request as httpd hands it over (a body gets Content-Length, as wrk sends it). */
/**
 * A flat copy of a binary string. The corpus builds its values by concatenation, which V8 keeps
 * as ropes (a 64 KB percent-encoded value: 65,536 pieces, ~3 MB; the whole corpus ~300 MB of
 * them), unlike a Worker's request strings, which are decoded from bytes; the engine's first
 * touch would flatten them inside the timed run, and the ropes would weigh on every GC.
 */
function flat(s: string): string {
  return /[^\x00-\xff]/.test(s) ? s : Buffer.from(s, 'latin1').toString('latin1')
}

export function toBenchRequest(
  name: string,
  method: string,
  path: string,
  headers: readonly (readonly [string, string])[],
  body: string | undefined,
  expect = '',
): BenchRequest {
  const h: [string, string][] = headers.map((e) => [e[0], flat(e[1])])
  if (body !== undefined) h.push(['Content-Length', String(body.length)])
  return {
    name,
    request: {
      method,
      uri: flat(path),
      protocol: 'HTTP/1.1',
      headers: h,
      clientAddress: '127.0.0.1',
      clientPort: 40000,
      serverAddress: '127.0.0.1',
      serverPort: 80,
    },
    body: body === undefined ? undefined : flat(body),
    expect,
  }
}

/** The origin's answer: the page record-modsec.mjs serves from Apache (index.html). */
export const RESPONSE_BODY =
  '<!doctype html>\n<html><head><title>Shop</title></head><body><p>Thank you.</p></body></html>\n'
export const RESPONSE_HEADERS: [string, string][] = [
  ['Content-Type', 'text/html'],
  ['Content-Length', String(RESPONSE_BODY.length)],
]

export interface TxOutcome {
  status: number
  /** ids of the rules that logged an alert, in order (what ModSecurity's error log shows) */
  fired: number[]
}

/** One transaction through phases 1-5. Synchronous: the bench rule set has no persistent collections. */
export function runTransaction(program: Program, r: BenchRequest): Transaction {
  const tx = new Transaction(program, r.request)
  tx.processRequestHeaders()
  tx.processRequestBody(r.body)
  if (tx.interruption === undefined) {
    if (r.responseBody === undefined) {
      tx.processResponseHeaders(200, 'HTTP/1.1', RESPONSE_HEADERS)
      tx.processResponseBody(RESPONSE_BODY)
    } else {
      tx.processResponseHeaders(200, 'HTTP/1.1', [
        ['Content-Type', 'text/html'],
        ['Content-Length', String(r.responseBody.length)],
      ])
      tx.processResponseBody(r.responseBody)
    }
  }
  tx.processLogging()
  return tx
}

export function outcomeOf(tx: Transaction): TxOutcome {
  const fired: number[] = []
  for (const r of tx.records) if (r.log) fired.push(r.id)
  return { status: tx.interruption?.status ?? 200, fired }
}
