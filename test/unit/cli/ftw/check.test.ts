import { describe, expect, it } from 'vitest'
import { checkStage, triggeredRules } from '../../../../src/cli/ftw/check'
import { normaliseOutput } from '../../../../src/cli/ftw/load-tests'
import type { StageOutcome } from '../../../../src/cli/ftw/stage'
import type { YamlValue } from '../../../../src/cli/ftw/yaml-values'

const line = (id: number, msg = 'm'): string =>
  `ModSecurity: Warning. Pattern match "x" at ARGS:a. [file "f.conf"] [line "1"] [id "${id}"] [msg "${msg}"] [hostname "localhost"] [uri "/"] [unique_id "u"]`

function outcome(
  lines: string[],
  status: number | undefined = 200,
  extra: Partial<StageOutcome> = {},
): StageOutcome {
  return { status, lines, response: `HTTP/1.1 ${status ?? 0} OK\r\nContent-Length: 5\r\n\r\nhello`, ...extra }
}

function verdict(output: YamlValue, got: StageOutcome): { pass: boolean; problems: string[] } {
  const v = checkStage(normaliseOutput(output, 'test'), got)
  return { pass: v.pass, problems: v.problems }
}

describe('logged rule ids (go-ftw TriggeredRules)', () => {
  it('reads [id "N"], Apache-escaped [id \\"N\\"] and JSON "id": N, once each', () => {
    expect(
      triggeredRules([line(920100), line(920100), '[id \\"942100\\"]', '{"id": "949110"}', '{"id":980170}']),
    ).toEqual([920100, 942100, 949110, 980170])
  })
  it('does not read ids from other text', () => {
    expect(
      triggeredRules(['ModSecurity: Request body no files data length is larger than the configured limit']),
    ).toEqual([])
  })
})

describe('stage verdict (go-ftw checkResult)', () => {
  it.each<[string, YamlValue, StageOutcome, boolean]>([
    ['expect_ids present', { log: { expect_ids: ['920100'] } }, outcome([line(920100), line(949110)]), true],
    ['expect_ids missing one', { log: { expect_ids: ['920100', '920101'] } }, outcome([line(920100)]), false],
    ['no_expect_ids absent', { log: { no_expect_ids: ['920100'] } }, outcome([line(949110)]), true],
    ['no_expect_ids logged', { log: { no_expect_ids: ['920100'] } }, outcome([line(920100)]), false],
    ['older single expect_id', { log: { expect_id: '920100' } }, outcome([line(920100)]), true],
    ['status equal', { status: '200' }, outcome([]), true],
    ['status differs', { status: '400' }, outcome([]), false],
    ['status from an older list', { status: ['403', '200'] }, outcome([]), true],
    [
      'match_regex on a line',
      { log: { match_regex: 'id "9\\d+"' } },
      outcome([line(920100), line(949110)]),
      true,
    ],
    ['match_regex missing', { log: { match_regex: 'Inbound Anomaly' } }, outcome([line(920100)]), false],
    ['no_match_regex with no line', { log: { no_match_regex: '\\[id "\\d+"\\]' } }, outcome([]), true],
    ['no_match_regex hit', { log: { no_match_regex: '\\[id "\\d+"\\]' } }, outcome([line(1)]), false],
    ['log_contains is match_regex', { log_contains: 'msg "hello"' }, outcome([line(1, 'hello')]), true],
    ['response_contains', { response_contains: 'hello' }, outcome([]), true],
    ['response_contains missing', { response_contains: 'bye' }, outcome([]), false],
    ['isolated with one id', { isolated: 'true', log: { expect_ids: ['1'] } }, outcome([line(1)]), true],
    [
      'isolated with two ids',
      { isolated: 'true', log: { expect_ids: ['1'] } },
      outcome([line(1), line(2)]),
      false,
    ],
    ['empty expectation', {}, outcome([line(1)], 500), true],
  ])('%s', (_n, output, got, pass) => {
    expect(verdict(output, got).pass).toBe(pass)
  })

  it('expect_error: passes on a client error whatever else happened, fails without one', () => {
    const err = outcome([], undefined, { clientError: 'HTTP/0.9 response without a status line' })
    expect(verdict({ expect_error: 'true', log: { expect_ids: ['1'] }, status: '200' }, err).pass).toBe(true)
    expect(verdict({ expect_error: 'true' }, outcome([line(1)])).pass).toBe(false)
  })

  it('an unexpected client error fails, even with nothing else expected', () => {
    expect(verdict({}, outcome([], undefined, { clientError: 'drop' })).problems[0]).toMatch(
      /unexpected error/,
    )
  })

  it('an input error fails and says why', () => {
    expect(verdict({}, outcome([], undefined, { inputError: 'bad base64' })).problems).toEqual([
      'input error: bad base64',
    ])
  })
})
