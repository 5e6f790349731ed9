/**
 * `npm run test:crs:http [-- --include REGEX] [--exclude REGEX] [--json OUT] [--verbose]`
 *
 * The CRS regression suite over real HTTP against the Worker in workerd (run-crs-http.ts).
 * Prints the failures, then both figures:
 *   without overrides: N passed, M failed (P%)
 *   with overrides: N passed, M failed, K skipped (P%)
 * Exit status 1 when a figure is under its target (97% without, 99.5% with overrides).
 * CRS comes from CRS_DIR (default ../shared/crs).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { loadOverrides } from '../../../src/cli/ftw/overrides'
import { ROOT } from '../../workers/harness'
import { PLATFORM_OVERRIDES, runCrsOverHttp, startTarget, type Tally } from './run-crs-http'

const TARGET_PLAIN = 97
const TARGET_WITH = 99.5

function pct(t: Tally): number {
  const total = t.passed + t.failed + t.skipped
  return total === 0 ? 0 : (100 * t.passed) / total
}

async function main(argv: string[]): Promise<number> {
  let include: RegExp | undefined
  let exclude: RegExp | undefined
  let json: string | undefined
  let verbose = false
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--include') include = new RegExp(argv[++i] ?? '')
    else if (a === '--exclude') exclude = new RegExp(argv[++i] ?? '')
    else if (a === '--json') json = argv[++i]
    else if (a === '--verbose' || a === '-v') verbose = true
    else {
      process.stderr.write(
        `unknown option ${a}\nusage: test:crs:http [--include RE] [--exclude RE] [--json OUT] [--verbose]\n`,
      )
      return 2
    }
  }
  const crsDir = resolve(process.env.CRS_DIR ?? resolve(ROOT, '../shared/crs'))
  const testsDir = resolve(crsDir, 'tests/regression/tests')
  if (!existsSync(testsDir)) {
    process.stderr.write(`no CRS regression tests in ${testsDir}: set CRS_DIR\n`)
    return 2
  }
  const t0 = performance.now()
  const target = await startTarget(crsDir)
  const startMs = Math.round(performance.now() - t0)
  let report
  try {
    report = await runCrsOverHttp(target, {
      crsDir,
      testsDir,
      overrides: loadOverrides(PLATFORM_OVERRIDES),
      include,
      exclude,
      progress: (done, total) => {
        if (process.stderr.isTTY && done % 100 === 0) process.stderr.write(`\r${done}/${total}`)
      },
    })
  } finally {
    await target.close()
  }
  if (process.stderr.isTTY) process.stderr.write('\r')
  const out: string[] = []
  for (const e of report.loadErrors) out.push(`LOAD ERROR ${e.file}: ${e.message}`)
  for (const r of report.results) {
    if (r.overridden === 'failed') out.push(`FAIL ${r.id}  ${r.file}\n  ${r.problems.join('\n  ')}`)
    else if (r.plain === 'failed' && verbose) out.push(`overridden ${r.id}: ${r.problems.join(' | ')}`)
  }
  for (const o of report.unusedOverrides)
    out.push(`note: platform override for ${o.ruleId} ${o.testIds?.join(',') ?? ''} matches no test`)
  if (json !== undefined) {
    mkdirSync(dirname(resolve(json)), { recursive: true })
    writeFileSync(json, JSON.stringify(report, null, 1))
  }
  const p = report.plain
  const w = report.withOverrides
  out.push(
    `Worker in workerd started in ${startMs} ms; ${report.results.length} tests over HTTP in ${Math.round(report.ms / 1000)} s`,
  )
  out.push(
    `without overrides: ${p.passed} passed, ${p.failed} failed (${pct(p).toFixed(2)}%, target ${TARGET_PLAIN}%)`,
  )
  out.push(
    `with overrides: ${w.passed} passed, ${w.failed} failed, ${w.skipped} skipped (${pct(w).toFixed(2)}%, target ${TARGET_WITH}%)`,
  )
  process.stdout.write(out.join('\n') + '\n')
  const full = include === undefined && exclude === undefined
  return full && (pct(p) < TARGET_PLAIN || pct(w) < TARGET_WITH) ? 1 : 0
}

process.exitCode = await main(process.argv.slice(2))
