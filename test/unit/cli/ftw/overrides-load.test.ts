import { describe, expect, it } from 'vitest'
import { testsFromYaml } from '../../../../src/cli/ftw/load-tests'
import {
  applyOverrides,
  overridesFor,
  parseOverrides,
  unusedOverrides,
} from '../../../../src/cli/ftw/overrides'

const FILE = `---
meta:
  author: "t"
rule_id: 920100
tests:
  - test_id: 3
    stages:
      - input:
          version: 1.1
          port: 80
          stop_magic: true
          headers:
            Keep-Alive: 300
            X-Yes: yes
        output:
          no_log_contains: id "920100"
  - desc: positional id
    stages:
      - input: {}
        output:
          log:
            expect_ids: [920100]
      - input: {}
        output:
          status: 403
`

describe('loading test files', () => {
  const tests = testsFromYaml(FILE, 'x/920100.yaml')
  it('keeps scalars as written (go-ftw decodes into string fields)', () => {
    const input = tests[0]?.stages[0]?.input
    expect(input?.version).toBe('1.1')
    expect(input?.port).toBe(80)
    expect(input?.headers).toEqual([
      ['Keep-Alive', '300'],
      ['X-Yes', 'yes'],
    ])
    expect(input?.autocompleteHeaders).toBe(false)
  })
  it('applies go-ftw post-load rules', () => {
    expect(tests.map((t) => t.id)).toEqual(['920100-3', '920100-2'])
    expect(tests[0]?.stages[0]?.output.log.noMatchRegex).toBe('id "920100"')
    expect(tests[1]?.stages.length).toBe(2)
  })
  it('takes rule_id from the file name and reads a comment-only file as no tests', () => {
    expect(testsFromYaml('tests:\n  - stages: []\n', 'dir/932200.yaml')[0]?.id).toBe('932200-1')
    expect(testsFromYaml('# nothing\n', 'dir/920539.yaml')).toEqual([])
  })
  it('reports duplicate keys (yaml.v3 refuses them too)', () => {
    expect(() => testsFromYaml('rule_id: 1\nrule_id: 2\n', 'd.yaml')).toThrow()
  })
})

describe('overrides', () => {
  const tests = testsFromYaml(FILE, 'x/920100.yaml')
  it('needs a reason and an output or skip', () => {
    expect(() =>
      parseOverrides('test_overrides:\n  - rule_id: 1\n    output: {status: 200}\n', 'o.yaml'),
    ).toThrow(/reason/)
    expect(() => parseOverrides('test_overrides:\n  - rule_id: 1\n    reason: r\n', 'o.yaml')).toThrow(
      /output/,
    )
  })
  it('replaces the output of the listed tests and stages; skip skips', () => {
    const o = parseOverrides(
      `test_overrides:
  - rule_id: 920100
    test_ids: [2]
    stage_ids: [1]
    reason: platform
    output:
      status: 200
  - rule_id: 920100
    test_ids: [3]
    reason: not applicable
    skip: true
  - rule_id: 920100
    test_ids: [9]
    reason: stale
    skip: true
`,
      'o.yaml',
    )
    const t2 = tests[1]
    const t3 = tests[0]
    if (t2 === undefined || t3 === undefined) throw new Error('tests')
    const applied = applyOverrides(t2, overridesFor(o, t2))
    if (applied === 'skip') throw new Error('not a skip')
    expect(applied.stages[0]?.output.log.expectIds).toEqual([920100])
    expect(applied.stages[1]?.output).toEqual({ status: [200], log: {} })
    expect(applyOverrides(t3, overridesFor(o, t3))).toBe('skip')
    expect(unusedOverrides(o, tests).map((e) => e.testIds)).toEqual([[9]])
  })
  it('without test_ids an entry applies to every test of the rule', () => {
    const o = parseOverrides(
      'test_overrides:\n  - rule_id: 920100\n    reason: r\n    output: {status: 400}\n',
      'o.yaml',
    )
    expect(tests.every((t) => overridesFor(o, t).length === 1)).toBe(true)
  })
})
