import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../../../../src/bundle/schema'
import {
  defaultBodyProcessor,
  parseQueryString,
  processBody,
  type BodyProcessorName,
  type BodyResult,
} from '../../../../src/engine/body/index'

/**
 * Compares the body processors with what ModSecurity 2.9.7 reported for the same bodies
 * (test/vectors/body/*.json, recorded by test/tools/modsec/record-bodies.mjs).
 * A case with `deviation` documents a deliberate difference; `ours` overrides the recorded
 * expectation for it. Cases that v2 aborted before phase 2 (`expected.aborted`, HTTP 500)
 * must give REQBODY_ERROR with the message v2 logged.
 */

type Value = string | { prefix: string; length?: number }
interface Expected {
  processor: string
  reqbodyError: number
  reqbodyErrorMsg: string
  urlencodedError: number
  args: [Value, Value | null][]
  argsPostCount: number
  flags?: Record<string, number>
  files?: { name: string; filename: string; size: number }[]
  filesCombinedSize?: number
  filesTmpnamesCount?: number
  multipartName?: string
  multipartFilename?: string
  partHeaders?: [string | null, Value][]
  xmlText?: Value | null
  xmlAttrs?: Value[]
  aborted?: { status: number; messages: string[] }
}
interface Case {
  name: string
  contentType?: string
  body?: string
  uri?: string
  config?: Partial<EngineConfig>
  deviation?: string
  ours?: Partial<Expected>
  expected: Expected
}

function load(file: string): Case[] {
  const url = new URL(`../../../vectors/body/${file}.json`, import.meta.url)
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: Case[] }).cases
}

function expectValue(actual: string | undefined, expected: Value | null | undefined, what: string): void {
  if (expected === null || expected === undefined) return
  if (typeof expected === 'string') expect(actual, what).toBe(expected)
  else {
    expect(actual?.startsWith(expected.prefix), `${what} starts with the recorded prefix`).toBe(true)
    if (expected.length !== undefined) expect(actual?.length, `${what} length`).toBe(expected.length)
  }
}

function withOurs(c: Case): Expected {
  const e = { ...c.expected, ...c.ours }
  if (c.ours?.flags) e.flags = { ...c.expected.flags, ...c.ours.flags }
  return e
}

function run(
  c: Case,
  name: BodyProcessorName,
): { r: BodyResult; getCount: number; getArgs: [string, string][] } {
  const config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...c.config }
  const q = c.uri?.includes('?') ? parseQueryString(c.uri.slice(c.uri.indexOf('?') + 1), config) : undefined
  const getArgs = q?.args ?? []
  const r = processBody(name, c.body ?? '', {
    contentType: c.contentType ?? '',
    config,
    argsCount: getArgs.length,
  })
  return { r, getCount: getArgs.length, getArgs }
}

function check(c: Case, name: BodyProcessorName): void {
  const e = withOurs(c)
  const { r, getArgs } = run(c, name)
  if (e.aborted) {
    expect(r.error, 'v2 aborted this request: we report an error').toBe(true)
    expect(e.aborted.messages).toContain(r.errorMsg)
    return
  }
  expect(e.processor).toBe(name)
  expect(r.error ? 1 : 0, 'REQBODY_ERROR').toBe(e.reqbodyError)
  expect(r.errorMsg, 'REQBODY_ERROR_MSG').toBe(e.reqbodyErrorMsg)
  if (name === 'URLENCODED') expect(r.urlencodedError ? 1 : 0, 'URLENCODED_ERROR').toBe(e.urlencodedError)
  const args = [...getArgs, ...r.args]
  expect(args.length, 'ARGS count').toBe(e.args.length)
  e.args.forEach(([n, v], i) => {
    expectValue(args[i]?.[0], n, `ARGS name ${i}`)
    expectValue(args[i]?.[1], v, `ARGS value ${i}`)
  })
  expect(r.argsOrigin === 'BODY' ? r.args.length : 0, 'ARGS_POST count').toBe(e.argsPostCount)
  if (name === 'MULTIPART') {
    const m = r.multipart
    expect(m).toBeDefined()
    if (!m) return
    for (const [flag, v] of Object.entries(e.flags ?? {}))
      expect(m.flags[flag as keyof typeof m.flags], flag).toBe(v)
    expect(m.files.map((f) => ({ name: f.name, filename: f.filename, size: f.size }))).toEqual(e.files)
    expect(m.filesCombinedSize, 'FILES_COMBINED_SIZE').toBe(e.filesCombinedSize)
    expect(m.files.filter((f) => f.tmpName !== '').length, 'FILES_TMPNAMES count').toBe(e.filesTmpnamesCount)
    expect(m.name, 'MULTIPART_NAME').toBe(e.multipartName)
    expect(m.filename, 'MULTIPART_FILENAME').toBe(e.multipartFilename)
    expect(m.partHeaders.length, 'MULTIPART_PART_HEADERS count').toBe(e.partHeaders?.length)
    e.partHeaders?.forEach(([k, v], i) => {
      if (k !== null) expect(m.partHeaders[i]?.[0], `part header key ${i}`).toBe(k)
      expectValue(m.partHeaders[i]?.[1], v, `part header ${i}`)
    })
  }
  if (name === 'XML') {
    if (e.xmlText === null || e.xmlText === undefined) expect(r.xml).toBeUndefined()
    else {
      expectValue(r.xml?.text, e.xmlText, 'XML:/*')
      expect(r.xml?.attributes.length, 'XML://@* count').toBe(e.xmlAttrs?.length)
      e.xmlAttrs?.forEach((v, i) => expectValue(r.xml?.attributes[i], v, `XML://@* ${i}`))
    }
  }
}

describe('body processors agree with ModSecurity 2.9.7', () => {
  describe('URLENCODED', () => {
    for (const c of load('urlencoded')) it(c.name, () => check(c, 'URLENCODED'))
  })
  describe('query string (ARGS_GET)', () => {
    for (const c of load('query')) {
      it(c.name, () => {
        const config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...c.config }
        const q = parseQueryString((c.uri ?? '').slice((c.uri ?? '').indexOf('?') + 1), config)
        expect(q.args).toEqual(c.expected.args)
        expect(q.invalid ? 1 : 0).toBe(c.expected.urlencodedError)
        expect(q.limitExceeded ? 1 : 0).toBe(c.expected.reqbodyError)
      })
    }
  })
  describe('MULTIPART', () => {
    for (const c of load('multipart')) {
      it(c.name, () => {
        const sel = defaultBodyProcessor(c.contentType)
        if (c.expected.aborted === undefined && c.expected.processor !== 'MULTIPART') {
          expect(sel, 'v2 picked no multipart processor').not.toBe('MULTIPART')
          return
        }
        expect(sel).toBe('MULTIPART')
        check(c, 'MULTIPART')
      })
    }
  })
  describe('JSON', () => {
    for (const c of load('json')) it(c.name, () => check(c, 'JSON'))
  })
  describe('XML', () => {
    for (const c of load('xml')) it(c.name, () => check(c, 'XML'))
  })
})
