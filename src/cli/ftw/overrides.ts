/**
 * Platform overrides in the format of the CRS's *-overrides.yaml (ftw-tests-schema
 * FTWOverrides): `test_overrides` entries with rule_id, test_ids (absent: every test of the
 * rule), stage_ids (0-based; absent: every stage), reason, and output, which REPLACES the
 * stage's output (go-ftw semantics). Our extension: `skip: true` does not run the test and
 * counts it as skipped. Every entry must carry a non-empty reason, and output or skip.
 */
import { readFileSync } from 'node:fs'
import { normaliseOutput, parseYaml } from './load-tests'
import type { FtwOverride, FtwOverrides, FtwTest } from './types'
import { asBool, asInt, asIntList, asMap, asString, FtwFormatError } from './yaml-values'

export function parseOverrides(text: string, file: string): FtwOverrides {
  const doc = asMap(parseYaml(text, file), file)
  const meta = asMap(doc.meta, `${file}: meta`)
  const list = doc.test_overrides
  const entries: FtwOverride[] = []
  if (list !== undefined && list !== null && list !== '') {
    if (!Array.isArray(list)) throw new FtwFormatError(`${file}: test_overrides must be a list`)
    for (let i = 0; i < list.length; i++) {
      const where = `${file}: test_overrides[${i}]`
      const e = asMap(list[i], where)
      const ruleId = asInt(e.rule_id, `${where}.rule_id`)
      if (ruleId === undefined) throw new FtwFormatError(`${where}: rule_id is required`)
      const reason = (asString(e.reason, `${where}.reason`) ?? '').trim()
      if (reason === '')
        throw new FtwFormatError(`${where} (rule ${ruleId}): every override needs a written reason`)
      const entry: FtwOverride = { ruleId, reason }
      const testIds = asIntList(e.test_ids, `${where}.test_ids`)
      if (testIds !== undefined) entry.testIds = testIds
      const stageIds = asIntList(e.stage_ids, `${where}.stage_ids`)
      if (stageIds !== undefined) entry.stageIds = stageIds
      if (e.output !== undefined && e.output !== null)
        entry.output = normaliseOutput(e.output, `${where}.output`)
      const skip = asBool(e.skip, `${where}.skip`)
      if (skip === true) entry.skip = true
      if (entry.output === undefined && entry.skip !== true) {
        throw new FtwFormatError(`${where} (rule ${ruleId}): give an output to expect or skip: true`)
      }
      entries.push(entry)
    }
  }
  const out: FtwOverrides = { entries }
  const engine = asString(meta.engine, `${file}: meta.engine`)
  if (engine !== undefined) out.engine = engine
  const platform = asString(meta.platform, `${file}: meta.platform`)
  if (platform !== undefined) out.platform = platform
  return out
}

export function loadOverrides(file: string): FtwOverrides {
  return parseOverrides(readFileSync(file, 'utf8'), file)
}

/** the entries that apply to a test */
export function overridesFor(overrides: FtwOverrides | undefined, test: FtwTest): FtwOverride[] {
  if (overrides === undefined) return []
  return overrides.entries.filter(
    (o) => o.ruleId === test.ruleId && (o.testIds === undefined || o.testIds.includes(test.testId)),
  )
}

/**
 * Apply the entries to a test: returns the test with replaced stage outputs, or 'skip'.
 * Entries are applied in file order (a later one wins for the same stage, as in go-ftw).
 */
export function applyOverrides(test: FtwTest, entries: readonly FtwOverride[]): FtwTest | 'skip' {
  if (entries.length === 0) return test
  if (entries.some((e) => e.skip === true)) return 'skip'
  const stages = test.stages.map((s) => ({ input: s.input, output: s.output }))
  for (const e of entries) {
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i]
      if (
        stage !== undefined &&
        e.output !== undefined &&
        (e.stageIds === undefined || e.stageIds.includes(i))
      )
        stage.output = e.output
    }
  }
  return { ...test, stages }
}

/** entries that matched no loaded test (stale overrides are reported) */
export function unusedOverrides(
  overrides: FtwOverrides | undefined,
  tests: readonly FtwTest[],
): FtwOverride[] {
  if (overrides === undefined) return []
  return overrides.entries.filter(
    (o) =>
      !tests.some((t) => t.ruleId === o.ruleId && (o.testIds === undefined || o.testIds.includes(t.testId))),
  )
}
