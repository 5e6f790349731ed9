import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Bundle, EngineConfig } from '../../../../src/bundle/schema'
import { DEFAULT_ENGINE_CONFIG } from '../../../../src/bundle/schema'
import { compileText } from '../../../../src/compiler/compile'
import { formatAlertLine } from '../../../../src/engine/alert'
import { loadProgram, type LoadOptions } from '../../../../src/engine/link'
import type { Program } from '../../../../src/engine/program'
import type { GeoRecord } from '../../../../src/engine/operators/types'
import type { EngineRequest, Interruption } from '../../../../src/engine/request'
import { Transaction, type TransactionOptions } from '../../../../src/engine/transaction'

/**
 * Test harness for the rule engine: compile SecLang with the project compiler, parse a raw
 * HTTP request into an EngineRequest, run all phases, and render the alerts the way the
 * recorded vectors store them (formatAlertLine without the "ModSecurity: " prefix).
 */

export const VECTORS = join(__dirname, '../../../vectors')

/** The recorder's Apache configuration (test/tools/modsec/recorder.mjs) as bundle config. */
export const RECORDER_CONFIG: Partial<EngineConfig> = { ruleEngine: 'On', requestBodyAccess: true }

export function compileRules(rules: string, config: Partial<EngineConfig> = RECORDER_CONFIG): Bundle {
  const out = compileText(rules + '\n', { fileName: 'rules.conf' })
  if (out.bundle === undefined) {
    const msgs = out.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n')
    throw new Error('compile failed:\n' + msgs)
  }
  const b = out.bundle
  // directives in the rules text win over the recorder defaults, as in the recorder's httpd.conf
  const fromRules: Partial<EngineConfig> = {}
  for (const k of Object.keys(b.config) as (keyof EngineConfig)[]) {
    if (JSON.stringify(b.config[k]) !== JSON.stringify(DEFAULT_ENGINE_CONFIG[k]))
      (fromRules as Record<string, unknown>)[k] = b.config[k]
  }
  b.config = { ...b.config, ...config, ...fromRules }
  return b
}

export function program(rules: string, config?: Partial<EngineConfig>, opts?: LoadOptions): Program {
  return loadProgram(compileRules(rules, config), opts)
}

/** Parse a raw HTTP/1.x request (latin1 string). */
export function parseRaw(raw: string, over: Partial<EngineRequest> = {}): EngineRequest {
  const headEnd = raw.indexOf('\r\n\r\n')
  const head = headEnd < 0 ? raw : raw.slice(0, headEnd)
  const body = headEnd < 0 ? '' : raw.slice(headEnd + 4)
  const lines = head.split('\r\n')
  const first = lines.shift() ?? ''
  const sp1 = first.indexOf(' ')
  const sp2 = first.lastIndexOf(' ')
  const headers: [string, string][] = []
  for (const l of lines) {
    const c = l.indexOf(':')
    if (c > 0) headers.push([l.slice(0, c), l.slice(c + 1).trim()])
  }
  const req: EngineRequest = {
    method: first.slice(0, sp1),
    uri: first.slice(sp1 + 1, sp2),
    protocol: first.slice(sp2 + 1),
    headers,
    clientAddress: '127.0.0.1',
    clientPort: 40000,
    serverAddress: '127.0.0.1',
    serverPort: 18140,
    uniqueId: '-',
    ...over,
  }
  if (body !== '' || headers.some(([n]) => n.toLowerCase() === 'content-length')) req.body = body
  return req
}

export interface RunResult {
  tx: Transaction
  alerts: string[]
  /** every record, including nolog ones */
  all: string[]
  interruption: Interruption | undefined
}

/** Run every phase synchronously (fails if a phase goes async). */
export function runAll(
  p: Program,
  req: EngineRequest,
  opts: TransactionOptions = {},
  response: ResponseSpec = { status: 200, headers: [['Content-Type', 'text/html']] },
): RunResult {
  const tx = new Transaction(p, req, opts)
  const sync = <T>(v: T | Promise<T>): T => {
    if (v instanceof Promise) throw new Error('phase went async')
    return v
  }
  sync(tx.processRequestHeaders())
  sync(tx.processRequestBody())
  sync(tx.processResponseHeaders(response.status, 'HTTP/1.1', response.headers))
  sync(tx.processResponseBody(response.body))
  sync(tx.processLogging())
  const line = (r: (typeof tx.records)[number]): string => formatAlertLine(r).slice('ModSecurity: '.length)
  return {
    tx,
    alerts: tx.records.filter((r) => r.log).map(line),
    all: tx.records.map(line),
    interruption: tx.interruption,
  }
}

export interface ResponseSpec {
  status: number
  headers: [string, string][]
  body?: string
}

export interface VectorCase {
  name: string
  rules: string
  config?: string
  request: string
  /** recorded from 2.9.7 (absent for hand-written cases) */
  expect?: { status: number; alerts: string[] }
  /** hand-written case: why it cannot be recorded; the expected alerts are in `engine` */
  hand?: string
  /** engine-side inputs the recorder cannot provide */
  options?: {
    clock?: number
    geo?: GeoRecord
    response?: ResponseSpec
    bundleConfig?: Partial<EngineConfig>
    keepFileContents?: boolean
  }
  /** a known gap outside the engine (e.g. in the compiler), with the reason */
  pending?: string
  /** why the engine deliberately differs from the recording (the test then checks `engine`) */
  deviation?: string
  engine?: {
    alerts: string[]
    interruption?: { status: number; kind: string }
    /** expected sanitise* requests (audit log masking) */
    sanitize?: Record<string, string[]>
  }
}

export interface VectorFile {
  description: string
  recorded: string
  cases: VectorCase[]
}

export function loadVectors(dir: string): [string, VectorFile][] {
  const d = join(VECTORS, dir)
  return readdirSync(d)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(d, f), 'utf8')) as VectorFile])
}

/** Directives of a case's `config` (extra httpd.conf lines) as bundle config. */
export function caseConfig(c: VectorCase): Partial<EngineConfig> {
  if (c.config === undefined || c.config.trim() === '') return RECORDER_CONFIG
  const b = compileRules('SecRuleEngine On\nSecRequestBodyAccess On\n' + c.config, {})
  return { ...b.config }
}
