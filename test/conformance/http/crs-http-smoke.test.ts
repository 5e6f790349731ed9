/**
 * A slice of the CRS regression suite over real HTTP (the full run is `npm run test:crs:http`,
 * ~40 s): the Worker with the CRS test setup in workerd, the echo origin, marker requests and
 * the platform overrides, on the rules whose tests exercise the platform most (method and
 * request-line enforcement, headers, SQLi). Keeps the HTTP runner itself working in CI.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOverrides } from '../../../src/cli/ftw/overrides'
import { ROOT } from '../../workers/harness'
import { PLATFORM_OVERRIDES, runCrsOverHttp, startTarget, type HttpTarget } from './run-crs-http'

const CRS_DIR = resolve(process.env.CRS_DIR ?? resolve(ROOT, '../shared/crs'))
const TESTS_DIR = resolve(CRS_DIR, 'tests/regression/tests')
const HAVE_CRS = existsSync(TESTS_DIR)

// Without the CRS checkout (../shared/crs or CRS_DIR) there is nothing to run; CI always has it.
describe.skipIf(!HAVE_CRS)('CRS regression tests over HTTP (slice)', () => {
  let target: HttpTarget | undefined
  beforeAll(async () => {
    target = await startTarget(CRS_DIR)
  }, 120_000)
  afterAll(async () => {
    await target?.close()
  })

  it('passes with the platform overrides; the overrides are needed', async () => {
    if (target === undefined) throw new Error('no target')
    const report = await runCrsOverHttp(target, {
      crsDir: CRS_DIR,
      testsDir: TESTS_DIR,
      overrides: loadOverrides(PLATFORM_OVERRIDES),
      include: /^(911100|920100|920160|920310|920430|932207|942100)-/,
    })
    const failed = report.results
      .filter((r) => r.overridden === 'failed')
      .map((r) => `${r.id}: ${r.problems.join('; ')}`)
    expect(failed).toEqual([])
    expect(report.results.length).toBeGreaterThan(60)
    // without the overrides, exactly the overridden tests fail
    const plainFailed = report.results.filter((r) => r.plain === 'failed')
    expect(plainFailed.length).toBeGreaterThan(0)
    for (const r of plainFailed) expect(r.overrideReasons.length, r.id).toBeGreaterThan(0)
  })
})
