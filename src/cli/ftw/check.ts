/**
 * go-ftw's verdict for one stage (runner/run.go checkResult and runner/check_*.go):
 *  1. expect_error: true -> passes exactly when go-ftw got an error (nothing else is checked);
 *     an unexpected error fails the stage;
 *  2. status: the received status must equal the expected one (older files: be one of a list);
 *  3. response_contains: substring of the full response;
 *  4. log: match_regex must match a line and every expect_ids id must be logged; `isolated`
 *     needs exactly one logged id; no_match_regex must match no line and no no_expect_ids id
 *     may be logged.
 * Logged ids are read from the lines with go-ftw's own pattern (waflog/read.go TriggeredRules).
 */
import type { StageOutcome } from './stage'
import type { FtwOutput } from './types'

const ID_PATTERN = /\[id \\?"(\d+)\\?"\]|"id":\s*"?(\d+)"?/g

/** ids of the rules in the log lines (go-ftw TriggeredRules), in first-seen order */
export function triggeredRules(lines: readonly string[]): number[] {
  const seen = new Set<number>()
  for (const line of lines) {
    for (const m of line.matchAll(ID_PATTERN)) {
      const id = m[1] ?? m[2]
      if (id !== undefined) seen.add(Number(id))
    }
  }
  return Array.from(seen)
}

export interface StageVerdict {
  pass: boolean
  /** what did not hold, for the report */
  problems: string[]
  /** logged rule ids */
  triggered: number[]
}

function compileGoRegex(pattern: string): RegExp {
  // Go RE2 syntax as used in the CRS tests is valid JavaScript; (?i) / (?s) prefixes become flags
  let flags = ''
  let src = pattern
  const m = /^\(\?([is]+)\)/.exec(src)
  if (m !== null) {
    flags = Array.from(new Set(m[1])).join('')
    src = src.slice(m[0].length)
  }
  return new RegExp(src, flags)
}

export function checkStage(expected: FtwOutput, got: StageOutcome): StageVerdict {
  const triggered = triggeredRules(got.lines)
  const problems: string[] = []
  const verdict = (): StageVerdict => ({ pass: problems.length === 0, problems, triggered })

  if (got.inputError !== undefined) {
    problems.push(`input error: ${got.inputError}`)
    return verdict()
  }
  if (expected.expectError === true) {
    if (got.clientError === undefined) problems.push(`expected an error, got status ${got.status ?? '-'}`)
    return verdict()
  }
  if (got.clientError !== undefined) {
    problems.push(`unexpected error: ${got.clientError}`)
    return verdict()
  }
  if (expected.status !== undefined && (got.status === undefined || !expected.status.includes(got.status))) {
    problems.push(
      `status ${got.status ?? '-'}, expected ${expected.status.join(' or ')}${got.frontReject !== undefined ? ` (front end: ${got.frontReject})` : ''}`,
    )
  }
  if (expected.responseContains !== undefined && !got.response.includes(expected.responseContains)) {
    problems.push(`response does not contain ${JSON.stringify(expected.responseContains)}`)
  }
  const log = expected.log
  if (log.matchRegex !== undefined) {
    const rx = compileGoRegex(log.matchRegex)
    if (!got.lines.some((l) => rx.test(l)))
      problems.push(`no log line matches ${JSON.stringify(log.matchRegex)}`)
  }
  if (log.expectIds !== undefined) {
    const missing = log.expectIds.filter((id) => !triggered.includes(id))
    if (missing.length > 0) problems.push(`expected ids not logged: ${missing.join(', ')}`)
  }
  if (expected.isolated === true && triggered.length !== 1) {
    problems.push(`isolated: ${triggered.length} rules logged`)
  }
  if (log.noMatchRegex !== undefined) {
    const rx = compileGoRegex(log.noMatchRegex)
    const hit = got.lines.find((l) => rx.test(l))
    if (hit !== undefined)
      problems.push(`a log line matches ${JSON.stringify(log.noMatchRegex)}: ${hit.slice(0, 300)}`)
  }
  if (log.noExpectIds !== undefined) {
    const found = log.noExpectIds.filter((id) => triggered.includes(id))
    if (found.length > 0) problems.push(`unexpected ids logged: ${found.join(', ')}`)
  }
  return verdict()
}
