/**
 * The go-ftw test format (ftw-tests-schema v2, as read by go-ftw 1.x), normalised: defaults are
 * NOT applied here (go-ftw applies them when the request is built, see wire-request.ts), but the
 * deprecated spellings are folded into the current ones (stop_magic -> autocomplete_headers,
 * log_contains -> log.match_regex, expect_id -> expect_ids...).
 */

export interface FtwInput {
  destAddr?: string
  port?: number
  protocol?: string
  method?: string
  uri?: string
  version?: string
  /**
   * headers as [name, value]. The YAML map is kept in file order here; go-ftw sorts a header
   * map by name before sending (NewHeaderFromMap), which wire-request.ts reproduces.
   */
  headers?: [string, string][]
  data?: string
  /** base64 body (encoded_data) */
  encodedData?: string
  /** base64 of the whole request as sent on the wire (encoded_request) */
  encodedRequest?: string
  /** the whole request as text (deprecated raw_request; go-ftw sends its UTF-8 bytes as is) */
  rawRequest?: string
  /** default true; stop_magic: true means false */
  autocompleteHeaders: boolean
  saveCookie?: boolean
}

export interface FtwLogExpect {
  expectIds?: number[]
  noExpectIds?: number[]
  matchRegex?: string
  noMatchRegex?: string
}

export interface FtwOutput {
  /** expected status; older test files give a list (any of them passes) */
  status?: number[]
  responseContains?: string
  log: FtwLogExpect
  expectError?: boolean
  retryOnce?: boolean
  isolated?: boolean
}

export interface FtwStage {
  input: FtwInput
  output: FtwOutput
}

export interface FtwTest {
  ruleId: number
  testId: number
  /** "<rule_id>-<test_id>", what go-ftw's --include/--exclude match (Test.IdString) */
  id: string
  desc?: string
  stages: FtwStage[]
  /** the YAML file it came from */
  file: string
}

/** One test_overrides entry (the shipped *-overrides.yaml format plus `skip`). */
export interface FtwOverride {
  ruleId: number
  /** undefined: every test of the rule */
  testIds?: number[]
  /** 0-based stage indexes; undefined: every stage */
  stageIds?: number[]
  reason: string
  /** replaces the stage output (go-ftw semantics) */
  output?: FtwOutput
  /**
   * our extension: do not run the test, count it as skipped (go-ftw expresses this with an
   * empty output, which makes the test pass without checking anything)
   */
  skip?: boolean
}

export interface FtwOverrides {
  engine?: string
  platform?: string
  entries: FtwOverride[]
}
