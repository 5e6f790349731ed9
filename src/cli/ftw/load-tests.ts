/**
 * Loading go-ftw test files: every *.yaml and *.yml under a directory, in sorted path order,
 * normalised into FtwTest (see types.ts). Follows go-ftw's post-load rules: a missing rule_id is
 * taken from the first number in the file name, a missing test_id is the 1-based position, and
 * the deprecated fields map onto their replacements.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parse } from 'yaml'
import type { FtwInput, FtwLogExpect, FtwOutput, FtwStage, FtwTest } from './types'
import {
  asBool,
  asInt,
  asIntList,
  asMap,
  asString,
  FtwFormatError,
  isMap,
  type YamlValue,
} from './yaml-values'

/** Parse YAML text the way go-ftw's typed decoding sees it (failsafe: scalars stay text). */
export function parseYaml(text: string, file: string): YamlValue {
  try {
    return parse(text, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false }) as YamlValue
  } catch (e) {
    throw new FtwFormatError(`${file}: ${(e as Error).message.split('\n')[0] ?? 'YAML error'}`)
  }
}

export function normaliseInput(v: YamlValue, where: string): FtwInput {
  const m = asMap(v, where)
  const headers: [string, string][] | undefined =
    m.headers === undefined || m.headers === null ? undefined : []
  if (headers !== undefined) {
    const h = asMap(m.headers, `${where}.headers`)
    for (const name of Object.keys(h))
      headers.push([name, asString(h[name], `${where}.headers.${name}`) ?? ''])
  }
  // go-ftw postProcessAutocompleteHeaders: autocomplete_headers wins; else !stop_magic; else true
  const auto = asBool(m.autocomplete_headers, `${where}.autocomplete_headers`)
  const stop = asBool(m.stop_magic, `${where}.stop_magic`)
  const input: FtwInput = {
    autocompleteHeaders: auto !== undefined ? auto : stop !== undefined ? !stop : true,
  }
  const destAddr = asString(m.dest_addr, `${where}.dest_addr`)
  if (destAddr !== undefined) input.destAddr = destAddr
  const port = asInt(m.port, `${where}.port`)
  if (port !== undefined) input.port = port
  const protocol = asString(m.protocol, `${where}.protocol`)
  if (protocol !== undefined) input.protocol = protocol
  const method = asString(m.method, `${where}.method`)
  if (method !== undefined) input.method = method
  const uri = asString(m.uri, `${where}.uri`)
  if (uri !== undefined) input.uri = uri
  const version = asString(m.version, `${where}.version`)
  if (version !== undefined) input.version = version
  if (headers !== undefined) input.headers = headers
  const data = asString(m.data, `${where}.data`)
  if (data !== undefined) input.data = data
  const encodedData = asString(m.encoded_data, `${where}.encoded_data`)
  if (encodedData !== undefined) input.encodedData = encodedData
  const encoded = asString(m.encoded_request, `${where}.encoded_request`)
  if (encoded !== undefined && encoded !== '') input.encodedRequest = encoded
  const raw = asString(m.raw_request, `${where}.raw_request`)
  if (raw !== undefined && raw !== '') input.rawRequest = raw
  const saveCookie = asBool(m.save_cookie, `${where}.save_cookie`)
  if (saveCookie !== undefined) input.saveCookie = saveCookie
  if (input.data !== undefined && input.data !== '' && input.encodedRequest !== undefined) {
    // go-ftw checkTestSanity
    throw new FtwFormatError(`${where}: 'data' and 'encoded_request' must not be set simultaneously`)
  }
  return input
}

export function normaliseOutput(v: YamlValue, where: string): FtwOutput {
  const m = asMap(v, where)
  const lm = asMap(m.log, `${where}.log`)
  const log: FtwLogExpect = {}
  const expectIds =
    asIntList(lm.expect_ids, `${where}.log.expect_ids`) ?? asIntList(lm.expect_id, `${where}.log.expect_id`)
  if (expectIds !== undefined) log.expectIds = expectIds
  const noExpectIds =
    asIntList(lm.no_expect_ids, `${where}.log.no_expect_ids`) ??
    asIntList(lm.no_expect_id, `${where}.log.no_expect_id`)
  if (noExpectIds !== undefined) log.noExpectIds = noExpectIds
  const matchRegex = asString(lm.match_regex, `${where}.log.match_regex`)
  if (matchRegex !== undefined && matchRegex !== '') log.matchRegex = matchRegex
  const noMatchRegex = asString(lm.no_match_regex, `${where}.log.no_match_regex`)
  if (noMatchRegex !== undefined && noMatchRegex !== '') log.noMatchRegex = noMatchRegex
  // go-ftw postProcessLogContains: the deprecated log_contains / no_log_contains become regexes
  const logContains = asString(m.log_contains, `${where}.log_contains`)
  if (
    logContains !== undefined &&
    logContains !== '' &&
    log.expectIds === undefined &&
    log.matchRegex === undefined
  ) {
    log.matchRegex = logContains
  }
  const noLogContains = asString(m.no_log_contains, `${where}.no_log_contains`)
  if (
    noLogContains !== undefined &&
    noLogContains !== '' &&
    log.noExpectIds === undefined &&
    log.noMatchRegex === undefined
  ) {
    log.noMatchRegex = noLogContains
  }
  const out: FtwOutput = { log }
  const status = asIntList(m.status, `${where}.status`)
  if (status !== undefined && status.length > 0 && !(status.length === 1 && status[0] === 0))
    out.status = status
  const responseContains = asString(m.response_contains, `${where}.response_contains`)
  if (responseContains !== undefined && responseContains !== '') out.responseContains = responseContains
  const expectError = asBool(m.expect_error, `${where}.expect_error`)
  if (expectError !== undefined) out.expectError = expectError
  const retryOnce = asBool(m.retry_once, `${where}.retry_once`)
  if (retryOnce !== undefined) out.retryOnce = retryOnce
  const isolated = asBool(m.isolated, `${where}.isolated`)
  if (isolated !== undefined) out.isolated = isolated
  return out
}

/** The tests of one file. An empty document (a file of comments only) has none. */
export function testsFromYaml(text: string, file: string): FtwTest[] {
  const doc = parseYaml(text, file)
  if (doc === null || doc === undefined || doc === '') return []
  if (!isMap(doc)) throw new FtwFormatError(`${file}: the document is not a mapping`)
  let ruleId = asInt(doc.rule_id, `${file}: rule_id`)
  if (ruleId === undefined || ruleId === 0) {
    const digits = /\d+/.exec(basename(file))
    if (digits === null) throw new FtwFormatError(`${file}: no rule_id and no number in the file name`)
    ruleId = Number(digits[0])
  }
  const list = doc.tests
  if (list === undefined || list === null || list === '') return []
  if (!Array.isArray(list)) throw new FtwFormatError(`${file}: tests must be a list`)
  const tests: FtwTest[] = []
  for (let i = 0; i < list.length; i++) {
    const t = asMap(list[i], `${file}: tests[${i}]`)
    const testId = asInt(t.test_id, `${file}: tests[${i}].test_id`) || i + 1
    const where = `${file}: ${ruleId}-${testId}`
    const rawStages = t.stages
    if (!Array.isArray(rawStages)) throw new FtwFormatError(`${where}: stages must be a list`)
    const stages: FtwStage[] = []
    for (let j = 0; j < rawStages.length; j++) {
      let s = asMap(rawStages[j], `${where} stage ${j}`)
      // ftw-tests-schema v1 wrapped each stage in `stage:`
      if (isMap(s.stage ?? null) && s.input === undefined) s = asMap(s.stage, `${where} stage ${j}`)
      stages.push({
        input: normaliseInput(s.input, `${where} stage ${j} input`),
        output: normaliseOutput(s.output, `${where} stage ${j} output`),
      })
    }
    const test: FtwTest = { ruleId, testId, id: `${ruleId}-${testId}`, stages, file }
    const desc = asString(t.desc, `${where}.desc`)
    if (desc !== undefined) test.desc = desc
    tests.push(test)
  }
  return tests
}

/** Every *.yaml / *.yml below `dir` (or `dir` itself when it is a file), sorted by path. */
export function findTestFiles(dir: string): string[] {
  if (statSync(dir).isFile()) return [dir]
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const st = statSync(p)
      if (st.isDirectory()) walk(p)
      else if (st.isFile() && /\.ya?ml$/.test(name)) out.push(p)
    }
  }
  walk(dir)
  return out
}

export interface LoadedTests {
  tests: FtwTest[]
  /** files that could not be read, with the reason (reported as errors, never dropped silently) */
  errors: { file: string; message: string }[]
}

export function loadTests(dir: string): LoadedTests {
  const tests: FtwTest[] = []
  const errors: { file: string; message: string }[] = []
  for (const file of findTestFiles(dir)) {
    try {
      tests.push(...testsFromYaml(readFileSync(file, 'utf8'), file))
    } catch (e) {
      if (!(e instanceof FtwFormatError)) throw e
      errors.push({ file, message: e.message })
    }
  }
  return { tests, errors }
}
