import { describe, expect, it } from 'vitest'
import { formatJson, jsonRecord, utf8Decode } from '../../../../src/engine/audit/index'
import { checkKeywords, validate, type Schema } from './json-schema-lite'
import { SCHEMA, schemaErrors } from './helpers'
import { SCENARIOS, runScenario } from './scenarios'

// SecAuditLogFormat JSON: every scenario's record validates against the committed schema
// (test/schemas/audit-record.schema.json) and carries the record's content.

describe('JSON records', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.name}: valid against the schema, same content as the record`, () => {
      const { record: r } = runScenario(sc)
      const text = formatJson(r)
      const doc = JSON.parse(text) as Record<string, Record<string, unknown>>
      expect(schemaErrors(doc)).toEqual([])
      expect(doc).toEqual(JSON.parse(JSON.stringify(jsonRecord(r))))
      expect(doc.transaction?.transaction_id).toBe(r.uniqueId)
      expect(doc.request?.request_line).toBe(utf8Decode(r.request.line))
      expect(doc.request?.body).toEqual(
        r.request.body === undefined ? undefined : [utf8Decode(r.request.body)],
      )
      expect(doc.response?.status).toBe(r.response.status)
      expect(doc.audit_data?.messages).toEqual(r.messages.length === 0 ? undefined : r.messages)
      expect(doc.audit_data?.engine_mode).toBe(r.engineMode)
      const rules = doc.matched_rules as unknown as
        { rules: { unparsed: string; config: { line_num: number } }[] }[] | undefined
      if (r.parts.includes('K'))
        expect(rules?.map((m) => m.rules.map((x) => x.unparsed))).toEqual(
          r.matchedRules.map((m) => m.links.map((l) => l.unparsed)),
        )
    })
  }

  it('a repeated response header is joined (Set-Cookie), masked values keep one star per byte', () => {
    const sc = SCENARIOS.find((s) => s.name.startsWith('urlencoded POST'))
    if (sc === undefined) throw new Error('scenario missing')
    const doc = jsonRecord(runScenario(sc).record) as {
      response: { headers: Record<string, string> }
      request: { headers: Record<string, string> }
    }
    expect(doc.response.headers['Set-Cookie']).toBe('***, ***')
    expect(doc.request.headers['X-Secret']).toBe('******')
  })

  it('non-UTF-8 bytes become U+FFFD; the document stays valid JSON', () => {
    const sc = SCENARIOS.find((s) => s.name.startsWith('binary bytes'))
    if (sc === undefined) throw new Error('scenario missing')
    const doc = JSON.parse(formatJson(runScenario(sc).record)) as {
      request: { request_line: string; body: string[] }
    }
    expect(doc.request.request_line).toBe('POST /\ufffd?q=%00\ufffd HTTP/1.1')
    expect(doc.request.body).toEqual(['\u0000\u0001\ufffd\ufffd'])
  })
})

describe('utf8Decode', () => {
  const b = (...bytes: number[]): string => String.fromCharCode(...bytes)
  it.each([
    ['ascii', 'abc', 'abc'],
    ['2-byte', b(0xc3, 0xa9), '\u00e9'],
    ['3-byte', b(0xe2, 0x9c, 0x93), '\u2713'],
    ['4-byte', b(0xf0, 0x9f, 0x98, 0x80), '\u{1f600}'],
    ['lone continuation', b(0x80, 0x41), '\ufffdA'],
    ['overlong', b(0xc0, 0xaf), '\ufffd\ufffd'],
    ['surrogate', b(0xed, 0xa0, 0x80), '\ufffd\ufffd\ufffd'],
    ['truncated 3-byte then ASCII', b(0xe2, 0x9c, 0x41), '\ufffdA'],
    ['above U+10FFFF', b(0xf4, 0x90, 0x80, 0x80), '\ufffd\ufffd\ufffd\ufffd'],
    ['latin-1 byte', b(0xe9), '\ufffd'],
  ])('%s', (_n, input, out) => {
    expect(utf8Decode(input)).toBe(out)
  })
})

describe('the schema validator (json-schema-lite) catches what the schema forbids', () => {
  const blocked = SCENARIOS.find((s) => s.name === 'blocked GET')
  if (blocked === undefined) throw new Error('scenario missing')
  const good = (): Record<string, unknown> => jsonRecord(runScenario(blocked).record)
  it('accepts a record', () => {
    expect(schemaErrors(good())).toEqual([])
  })
  it.each([
    ['missing transaction', (d: Record<string, unknown>) => delete d.transaction, 'missing "transaction"'],
    ['unknown top-level key', (d: Record<string, unknown>) => (d.extra = 1), 'unexpected "extra"'],
    [
      'wrong type',
      (d: Record<string, unknown>) => ((d.transaction as Record<string, unknown>).remote_port = '1'),
      'expected integer',
    ],
    [
      'bad time format',
      (d: Record<string, unknown>) => ((d.transaction as Record<string, unknown>).time = '2026-11-21'),
      'does not match',
    ],
    [
      'engine mode not in the enum',
      (d: Record<string, unknown>) => ((d.audit_data as Record<string, unknown>).engine_mode = 'ON'),
      'is not one of',
    ],
    [
      'phase out of range',
      (d: Record<string, unknown>) =>
        ((d.audit_data as { action: Record<string, unknown> }).action.phase = 9),
      '9 > 5',
    ],
    [
      'rule without unparsed text',
      (d: Record<string, unknown>) =>
        delete (d.matched_rules as { rules: Record<string, unknown>[] }[])[0]?.rules[0]?.unparsed,
      'missing "unparsed"',
    ],
  ])('%s', (_n, mutate, message) => {
    const d = good()
    mutate(d)
    expect(schemaErrors(d).join('\n')).toContain(message)
  })
  it('refuses a schema keyword it does not implement', () => {
    const s: Schema = { type: 'object', oneOf: [] }
    expect(() => validate(s, {})).toThrow(/not supported/)
  })
  it('the committed schema uses only supported keywords', () => {
    expect(() => checkKeywords(SCHEMA)).not.toThrow()
    expect(() => checkKeywords({ properties: { a: { items: { if: true } } } })).toThrow(/"if"/)
  })
})
