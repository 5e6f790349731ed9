/**
 * The CRS regression suite over real HTTP: the Worker (the CRS test setup compiled into it) runs
 * in workerd (Miniflare), an albedo-compatible origin (echo-origin.ts) sits behind it, and every
 * go-ftw stage is written to workerd's socket as raw bytes. What is ours here is only the
 * transport: the YAML loading, the bytes of a request, the overrides and the verdict are the
 * engine-level runner's (src/cli/ftw), so both runners judge tests identically.
 *
 * Per stage, as go-ftw does in its default log mode: a marker request (X-CRS-Test: <uuid>), the
 * stage's request, a second marker; the stage's log lines are the Worker's console lines
 * between the two marker lines (the marker rule 999999 of crs-http-setup.conf logs the uuid and
 * removes every other rule for the marker request).
 *
 * Each test runs once and is judged twice: against its own expected output ("without
 * overrides") and with platform-overrides.yaml applied ("with overrides").
 */
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { checkStage, type StageVerdict } from '../../../src/cli/ftw/check'
import { loadTests } from '../../../src/cli/ftw/load-tests'
import { applyOverrides, overridesFor, unusedOverrides } from '../../../src/cli/ftw/overrides'
import { isSelected } from '../../../src/cli/ftw/runner'
import type { StageOutcome } from '../../../src/cli/ftw/stage'
import type { FtwInput, FtwOverride, FtwOverrides, FtwTest } from '../../../src/cli/ftw/types'
import { buildWireRequest } from '../../../src/cli/ftw/wire-request'
import { FtwFormatError } from '../../../src/cli/ftw/yaml-values'
import { buildWafScript, ROOT, startWorkers, type Running } from '../../workers/harness'
import { rawExchange } from '../../workers/raw-http'
import { startEchoOrigin, type EchoOrigin } from './echo-origin'

export const HTTP_SETUP = join(ROOT, 'test/conformance/http/crs-http-setup.conf')
export const PLATFORM_OVERRIDES = join(ROOT, 'test/conformance/http/platform-overrides.yaml')

export interface HttpSuiteOptions {
  crsDir: string
  testsDir: string
  overrides?: FtwOverrides
  include?: RegExp
  exclude?: RegExp
  /** how long to wait for a response (go-ftw's read timeout); default 3000 ms */
  timeoutMs?: number
  /** progress output */
  progress?: (done: number, total: number) => void
}

export type Status = 'passed' | 'failed' | 'skipped'

export interface HttpTestResult {
  id: string
  file: string
  /** judged against the test's own output */
  plain: Status
  /** judged with the platform overrides applied */
  overridden: Status
  /** problems per failing stage (plain verdict, then overridden when it differs) */
  problems: string[]
  overrideReasons: string[]
  /** the log lines of the stages that failed (plain verdict) */
  lines?: string[]
}

export interface Tally {
  passed: number
  failed: number
  skipped: number
}

export interface HttpSuiteReport {
  results: HttpTestResult[]
  plain: Tally
  withOverrides: Tally
  loadErrors: { file: string; message: string }[]
  unusedOverrides: FtwOverride[]
  ms: number
}

/** The Worker's console lines, with waits for a marker. */
class LogWindow {
  readonly lines: string[] = []
  private waiters: { key: string; resolve: (index: number) => void }[] = []

  push(line: string): void {
    this.lines.push(line)
    if (this.waiters.length === 0) return
    const index = this.lines.length - 1
    this.waiters = this.waiters.filter((w) => {
      if (!line.includes(w.key)) return true
      w.resolve(index)
      return false
    })
  }

  /** index of the first line (from `from`) that contains `key`; waits for it */
  waitFor(key: string, from: number, timeoutMs: number): Promise<number> {
    for (let i = from; i < this.lines.length; i++)
      if ((this.lines[i] as string).includes(key)) return Promise.resolve(i)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.key !== key)
        reject(new Error(`marker ${key} was not logged within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.push({
        key,
        resolve: (i) => {
          clearTimeout(timer)
          resolve(i)
        },
      })
    })
  }
}

export interface HttpTarget {
  running: Running
  origin: EchoOrigin
  log: LogWindow
  port: number
  close(): Promise<void>
}

/** Compile the setup into the Worker and start it in workerd in front of the echo origin. */
export async function startTarget(crsDir: string): Promise<HttpTarget> {
  const script = await buildWafScript(HTTP_SETUP, { CRS_DIR: crsDir })
  const origin = await startEchoOrigin()
  const log = new LogWindow()
  const running = await startWorkers(
    [{ name: 'waf', script }],
    { originUrl: origin.url },
    { onLine: (l) => log.push(l) },
  )
  return {
    running,
    origin,
    log,
    port: Number(running.url.port),
    async close() {
      await running.dispose()
      await origin.close()
    },
  }
}

async function marker(t: HttpTarget, timeoutMs: number): Promise<number> {
  const id = randomUUID()
  const from = t.log.lines.length
  const r = await rawExchange(
    t.port,
    `GET / HTTP/1.1\r\nHost: localhost\r\nX-CRS-Test: ${id}\r\nConnection: close\r\n\r\n`,
    {
      timeoutMs,
    },
  )
  if (r.response === undefined) throw new Error(`marker request failed: ${r.error}`)
  return t.log.waitFor(id, from, timeoutMs)
}

function methodOf(wire: string): string {
  const m = /^(?:\r?\n)*([^ \r\n]+)/.exec(wire)
  return m?.[1] ?? ''
}

/** One stage over HTTP: marker, request, marker; the outcome as the engine-level runner describes it. */
export async function runStageHttp(
  t: HttpTarget,
  input: FtwInput,
  where: string,
  timeoutMs: number,
): Promise<StageOutcome> {
  let wire: string
  try {
    wire = buildWireRequest(input, where)
  } catch (e) {
    if (e instanceof FtwFormatError) return { response: '', lines: [], inputError: e.message }
    throw e
  }
  const start = await marker(t, 5000)
  const r = await rawExchange(t.port, Buffer.from(wire, 'latin1'), {
    timeoutMs,
    headRequest: methodOf(wire) === 'HEAD',
  })
  const end = await marker(t, 5000)
  const lines = t.log.lines.slice(start + 1, end)
  const out: StageOutcome = { response: r.raw.toString('latin1'), lines }
  if (r.response !== undefined) out.status = r.response.status
  else out.clientError = r.error ?? 'no response'
  return out
}

function verdictText(prefix: string, v: StageVerdict): string {
  return `${prefix}${v.problems.join('; ')} (logged: ${v.triggered.join(', ') || 'none'})`
}

export async function runCrsOverHttp(t: HttpTarget, opts: HttpSuiteOptions): Promise<HttpSuiteReport> {
  const started = performance.now()
  const timeoutMs = opts.timeoutMs ?? 3000
  const { tests, errors } = loadTests(opts.testsDir)
  const selected = tests.filter((x) => isSelected(x.id, opts.include, opts.exclude))
  const report: HttpSuiteReport = {
    results: [],
    plain: { passed: 0, failed: 0, skipped: 0 },
    withOverrides: { passed: 0, failed: 0, skipped: 0 },
    loadErrors: errors,
    unusedOverrides: unusedOverrides(opts.overrides, tests),
    ms: 0,
  }
  let done = 0
  for (const test of selected) {
    const entries = overridesFor(opts.overrides, test)
    const applied: FtwTest | 'skip' = applyOverrides(test, entries)
    const res = await runOne(t, test, applied, timeoutMs)
    res.overrideReasons = entries.map((e) => e.reason)
    report.results.push(res)
    report.plain[res.plain]++
    report.withOverrides[res.overridden]++
    opts.progress?.(++done, selected.length)
  }
  // a file that does not load fails its tests as a whole: count it once in both figures
  report.plain.failed += errors.length
  report.withOverrides.failed += errors.length
  report.ms = Math.round(performance.now() - started)
  return report
}

async function runOne(
  t: HttpTarget,
  test: FtwTest,
  applied: FtwTest | 'skip',
  timeoutMs: number,
): Promise<HttpTestResult> {
  const res: HttpTestResult = {
    id: test.id,
    file: test.file,
    plain: 'passed',
    overridden: 'passed',
    problems: [],
    overrideReasons: [],
  }
  if (applied === 'skip') res.overridden = 'skipped'
  for (let i = 0; i < test.stages.length; i++) {
    const stage = test.stages[i]
    if (stage === undefined) continue
    const expectedWith = applied === 'skip' ? undefined : applied.stages[i]?.output
    const where = `${test.id} stage ${i + 1}`
    let outcome = await runStageHttp(t, stage.input, where, timeoutMs)
    let plain = checkStage(stage.output, outcome)
    let withO = expectedWith === undefined ? undefined : checkStage(expectedWith, outcome)
    if ((!plain.pass || (withO !== undefined && !withO.pass)) && stage.output.retryOnce === true) {
      outcome = await runStageHttp(t, stage.input, where, timeoutMs)
      plain = checkStage(stage.output, outcome)
      withO = expectedWith === undefined ? undefined : checkStage(expectedWith, outcome)
    }
    const prefix = test.stages.length > 1 ? `stage ${i + 1}: ` : ''
    if (!plain.pass) {
      res.plain = 'failed'
      res.lines = (res.lines ?? []).concat(outcome.lines)
      res.problems.push(
        verdictText(prefix, plain) + (outcome.status !== undefined ? ` status ${outcome.status}` : ''),
      )
    }
    if (withO !== undefined && !withO.pass) {
      res.overridden = 'failed'
      if (expectedWith !== stage.output) res.problems.push(verdictText(prefix + 'with overrides: ', withO))
    }
  }
  return res
}
