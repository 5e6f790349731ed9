/**
 * The CRS regression suite (go-ftw YAML, 5003 tests for CRS 4.28) run at the engine level with
 * the README's test setup (crs-test-setup.conf: PL4, DetectionOnly) and our platform overrides
 * (overrides.yaml). The setup is compiled and linked once. The failing tests must be exactly
 * the ones listed in known-failures.json (bugs with an owner), so a regression fails CI and a
 * fix has to update the list. Same run as `npm run test:crs`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { summaryLine, DEFAULT_SETUP } from '../../../src/cli/ftw/command'
import { loadOverrides } from '../../../src/cli/ftw/overrides'
import { buildProgram, runSuite } from '../../../src/cli/ftw/runner'

const ROOT = resolve(import.meta.dirname, '../../..')
const CRS_DIR = resolve(process.env.CRS_DIR ?? resolve(ROOT, '../shared/crs'))
const TESTS_DIR = resolve(CRS_DIR, 'tests/regression/tests')
const HAVE_CRS = existsSync(TESTS_DIR)

interface KnownFailure {
  id: string
  area: string
  cause: string
}
const known = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, 'known-failures.json'), 'utf8')) as {
    failures: KnownFailure[]
  }
).failures

// Without the CRS checkout (../shared/crs or CRS_DIR) there is nothing to run; CI always has it.
describe.skipIf(!HAVE_CRS)('CRS regression suite at the engine level', () => {
  it('fails exactly the known failures', async () => {
    const program = buildProgram(DEFAULT_SETUP, CRS_DIR)
    const overrides = loadOverrides(resolve(import.meta.dirname, 'overrides.yaml'))
    const report = await runSuite(program, { testsDir: TESTS_DIR, overrides })
    console.log(`CRS regression (engine level, overrides applied): ${summaryLine(report)} in ${report.ms} ms`)
    expect(report.loadErrors).toEqual([])
    expect(report.unusedOverrides).toEqual([])
    expect(report.tests.length).toBeGreaterThan(4000)
    const failed = report.tests.filter((t) => t.status === 'failed').map((t) => t.id)
    expect(failed.sort()).toEqual(known.map((k) => k.id).sort())
  })
})
