/**
 * The engine-level CRS regression runner: compiles the test setup ONCE, links it into the engine
 * ONCE, then runs every selected go-ftw test through the engine (stage.ts) and checks it
 * (check.ts), with platform overrides applied (overrides.ts).
 *
 * Selection follows go-ftw (runner/run.go needToSkipTest) on the test's "<rule>-<test>" id: an
 * --include match always runs; otherwise an --exclude match, or no --include match when
 * --include is given, leaves the test out (not counted).
 */
import { compileFile } from '../../compiler/compile'
import { formatDiagnostic } from '../../compiler/diagnostics'
import { BundleError, loadProgram, MemoryStore, type LoadOptions, type Program } from '../../engine/index'
import { checkStage, type StageVerdict } from './check'
import { loadTests } from './load-tests'
import { applyOverrides, overridesFor, unusedOverrides } from './overrides'
import { runStage } from './stage'
import type { FtwOverride, FtwOverrides, FtwTest } from './types'

export interface SuiteOptions {
  testsDir: string
  overrides?: FtwOverrides
  include?: RegExp
  exclude?: RegExp
}

export type TestStatus = 'passed' | 'failed' | 'skipped'

export interface StageReport extends StageVerdict {
  /** the alert lines, kept for failures only */
  lines?: string[]
  status?: number
}

export interface TestReport {
  id: string
  ruleId: number
  testId: number
  file: string
  status: TestStatus
  /** reasons of the overrides that applied */
  overrides: string[]
  stages: StageReport[]
  /** the engine threw (a bug: the engine must be total) */
  crash?: string
}

export interface SuiteReport {
  passed: number
  failed: number
  skipped: number
  /** tests whose output an override replaced */
  overridden: number
  tests: TestReport[]
  loadErrors: { file: string; message: string }[]
  unusedOverrides: FtwOverride[]
  ms: number
}

export function isSelected(id: string, include: RegExp | undefined, exclude: RegExp | undefined): boolean {
  if (include !== undefined && include.test(id)) return true
  if (exclude !== undefined && exclude.test(id)) return false
  if (include !== undefined) return false
  return true
}

export class SetupError extends Error {
  override name = 'SetupError'
}

/** Compile the setup conf (with CRS_DIR defined) and link it: once per run. */
export function buildProgram(setupConf: string, crsDir: string, load: LoadOptions = {}): Program {
  const result = compileFile(setupConf, { defines: { CRS_DIR: crsDir } })
  if (result.bundle === undefined || result.errors > 0) {
    const errs = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)
    throw new SetupError(`compiling ${setupConf} failed:\n${errs.join('\n')}`)
  }
  try {
    return loadProgram(result.bundle, { store: new MemoryStore(), ...load })
  } catch (e) {
    if (e instanceof BundleError)
      throw new SetupError(`linking ${setupConf} into the engine failed: ${e.message}`)
    throw e
  }
}

export async function runTest(program: Program, test: FtwTest): Promise<Omit<TestReport, 'overrides'>> {
  const store = new MemoryStore()
  const stages: StageReport[] = []
  let ok = true
  for (let i = 0; i < test.stages.length; i++) {
    const stage = test.stages[i]
    if (stage === undefined) continue
    const where = `${test.id} stage ${i + 1}`
    let outcome = await runStage({ program, store }, stage.input, where)
    let verdict = checkStage(stage.output, outcome)
    if (!verdict.pass && stage.output.retryOnce === true) {
      outcome = await runStage({ program, store }, stage.input, where)
      verdict = checkStage(stage.output, outcome)
    }
    const report: StageReport = { ...verdict }
    if (outcome.status !== undefined) report.status = outcome.status
    if (!verdict.pass) {
      report.lines = outcome.lines
      ok = false
    }
    stages.push(report)
  }
  return {
    id: test.id,
    ruleId: test.ruleId,
    testId: test.testId,
    file: test.file,
    status: ok ? 'passed' : 'failed',
    stages,
  }
}

export async function runSuite(program: Program, opts: SuiteOptions): Promise<SuiteReport> {
  const started = performance.now()
  const { tests, errors } = loadTests(opts.testsDir)
  const selected = tests.filter((t) => isSelected(t.id, opts.include, opts.exclude))
  const report: SuiteReport = {
    passed: 0,
    failed: 0,
    skipped: 0,
    overridden: 0,
    tests: [],
    loadErrors: errors,
    unusedOverrides: unusedOverrides(opts.overrides, tests),
    ms: 0,
  }
  for (const test of selected) {
    const entries = overridesFor(opts.overrides, test)
    const reasons = entries.map((e) => e.reason)
    const applied = applyOverrides(test, entries)
    if (applied === 'skip') {
      report.skipped++
      report.tests.push({
        id: test.id,
        ruleId: test.ruleId,
        testId: test.testId,
        file: test.file,
        status: 'skipped',
        overrides: reasons,
        stages: [],
      })
      continue
    }
    if (entries.length > 0) report.overridden++
    let r: TestReport
    try {
      r = { ...(await runTest(program, applied)), overrides: reasons }
    } catch (e) {
      const msg =
        e instanceof Error
          ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}`
          : String(e)
      r = {
        id: test.id,
        ruleId: test.ruleId,
        testId: test.testId,
        file: test.file,
        status: 'failed',
        overrides: reasons,
        stages: [],
        crash: msg,
      }
    }
    if (r.status === 'passed') report.passed++
    else report.failed++
    report.tests.push(r)
  }
  // a file that does not load fails its tests as a whole: count it once
  report.failed += errors.length
  report.ms = Math.round(performance.now() - started)
  return report
}
