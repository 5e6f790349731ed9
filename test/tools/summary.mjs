// Prints the plain summary line `N passed, M failed, K skipped` from vitest's JSON report and
// exits non-zero when a test or a test file failed, when nothing ran, or when the report is
// missing (the run crashed).
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'build/test-results.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch {
  console.error(`no test report at ${file}: the test run did not complete`)
  process.exit(1)
}
const passed = report.numPassedTests ?? 0
const failed = report.numFailedTests ?? 0
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
const brokenFiles = report.numFailedTestSuites ?? 0
if (brokenFiles > 0) console.log(`${brokenFiles} test suite(s) failed`)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || brokenFiles > 0 || report.success === false || passed === 0 ? 1 : 0)
