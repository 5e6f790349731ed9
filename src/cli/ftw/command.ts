/**
 * `waf ftw <tests-dir> [--overrides FILE] [--include REGEX] [--exclude REGEX] [--json OUT]
 *          [--setup CONF] [--crs-dir DIR] [--verbose]`
 *
 * Runs the CRS regression tests (go-ftw YAML) against the engine, without HTTP, with the test
 * setup of CRS tests/regression/README.md (test/conformance/crs/crs-test-setup.conf by
 * default: PL4, DetectionOnly). CRS_DIR comes from --crs-dir or the environment (default: the
 * CRS the tests dir belongs to when it is <crs>/tests/regression/tests). Prints one block per
 * failure, then the last line `N passed, M failed, K skipped`; exits 1 when any test failed.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { loadOverrides } from './overrides'
import { buildProgram, runSuite, SetupError, type SuiteReport, type TestReport } from './runner'
import type { FtwOverrides } from './types'
import { FtwFormatError } from './yaml-values'

const ROOT = resolve(import.meta.dirname, '../../..')
export const DEFAULT_SETUP = resolve(ROOT, 'test/conformance/crs/crs-test-setup.conf')

const USAGE = `usage: waf ftw <tests-dir> [--overrides FILE] [--include REGEX] [--exclude REGEX] [--json OUT]
               [--setup CONF] [--crs-dir DIR] [--verbose]\n`

export interface FtwArgs {
  testsDir?: string
  overrides?: string
  include?: RegExp
  exclude?: RegExp
  json?: string
  setup: string
  crsDir?: string
  verbose: boolean
  error?: string
}

export function parseFtwArgs(args: string[]): FtwArgs {
  const out: FtwArgs = { setup: DEFAULT_SETUP, verbose: false }
  const env = process.env.CRS_DIR
  if (env !== undefined && env !== '') out.crsDir = resolve(env)
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    const value = (): string | undefined => {
      const v = args[++i]
      if (v === undefined) out.error = `${a} needs a value`
      return v
    }
    switch (a) {
      case '--overrides': {
        const v = value()
        if (v !== undefined) out.overrides = v
        break
      }
      case '--include':
      case '--exclude': {
        const v = value()
        if (v === undefined) break
        try {
          out[a === '--include' ? 'include' : 'exclude'] = new RegExp(v)
        } catch (e) {
          out.error = `${a}: ${(e as Error).message}`
        }
        break
      }
      case '--json': {
        const v = value()
        if (v !== undefined) out.json = v
        break
      }
      case '--setup': {
        const v = value()
        if (v !== undefined) out.setup = resolve(v)
        break
      }
      case '--crs-dir': {
        const v = value()
        if (v !== undefined) out.crsDir = resolve(v)
        break
      }
      case '-v':
      case '--verbose':
        out.verbose = true
        break
      default:
        if (a.startsWith('-')) out.error = `unknown option ${a}`
        else if (out.testsDir === undefined) out.testsDir = a
        else out.error = `unexpected argument ${a}`
    }
    if (out.error !== undefined) return out
  }
  if (out.crsDir === undefined && out.testsDir !== undefined) {
    // <crs>/tests/regression/tests -> <crs>
    const guess = resolve(out.testsDir, '../../..')
    if (existsSync(resolve(guess, 'rules'))) out.crsDir = guess
  }
  return out
}

function describeFailure(t: TestReport): string {
  const lines = [`FAIL ${t.id}  ${t.file}`]
  if (t.crash !== undefined) lines.push(`  engine error: ${t.crash}`)
  for (let i = 0; i < t.stages.length; i++) {
    const s = t.stages[i]
    if (s === undefined || s.pass) continue
    const prefix = t.stages.length > 1 ? `  stage ${i + 1}: ` : '  '
    for (const p of s.problems) lines.push(prefix + p)
    lines.push(
      `${prefix}logged ids: [${s.triggered.join(', ')}]${s.status !== undefined ? `, status ${s.status}` : ''}`,
    )
  }
  if (t.overrides.length > 0)
    lines.push(`  (output overridden: ${t.overrides.join(' | ').replace(/\s+/g, ' ').slice(0, 200)})`)
  return lines.join('\n')
}

export function summaryLine(r: SuiteReport): string {
  return `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`
}

export async function runFtw(args: string[]): Promise<number> {
  const opts = parseFtwArgs(args)
  if (opts.error !== undefined || opts.testsDir === undefined) {
    process.stderr.write(`waf ftw: ${opts.error ?? 'missing tests directory'}\n${USAGE}`)
    return 2
  }
  if (opts.crsDir === undefined) {
    process.stderr.write('waf ftw: set CRS_DIR (or --crs-dir) to the CRS whose rules are tested\n')
    return 2
  }
  let overrides: FtwOverrides | undefined
  try {
    if (opts.overrides !== undefined) overrides = loadOverrides(opts.overrides)
  } catch (e) {
    if (!(e instanceof FtwFormatError)) throw e
    process.stderr.write(`waf ftw: ${e.message}\n`)
    return 2
  }
  const t0 = performance.now()
  let program
  try {
    program = buildProgram(opts.setup, opts.crsDir)
  } catch (e) {
    if (!(e instanceof SetupError)) throw e
    process.stderr.write(`waf ftw: ${e.message}\n`)
    return 2
  }
  const compileMs = Math.round(performance.now() - t0)
  const report = await runSuite(program, {
    testsDir: opts.testsDir,
    overrides,
    include: opts.include,
    exclude: opts.exclude,
  })

  const out: string[] = []
  for (const e of report.loadErrors) out.push(`LOAD ERROR ${e.file}: ${e.message}`)
  for (const t of report.tests) {
    if (t.status === 'failed') out.push(describeFailure(t))
    else if (opts.verbose)
      out.push(
        `${t.status === 'passed' ? 'ok  ' : 'skip'} ${t.id}${t.status === 'skipped' ? `  (${t.overrides.join(' | ').replace(/\s+/g, ' ').slice(0, 160)})` : ''}`,
      )
  }
  for (const o of report.unusedOverrides) {
    out.push(
      `note: override for ${o.ruleId}${o.testIds !== undefined ? ` tests ${o.testIds.join(',')}` : ''} matches no test`,
    )
  }
  if (opts.json !== undefined) {
    mkdirSync(dirname(resolve(opts.json)), { recursive: true })
    writeFileSync(opts.json, JSON.stringify({ ...report, compileMs }, null, 1))
  }
  out.push(
    `setup compiled in ${compileMs} ms; ${report.tests.length} tests in ${report.ms} ms; ${report.overridden} with overridden output${overrides !== undefined ? ` (${opts.overrides})` : ''}`,
  )
  out.push(summaryLine(report))
  process.stdout.write(out.join('\n') + '\n')
  return report.failed > 0 ? 1 : 0
}
