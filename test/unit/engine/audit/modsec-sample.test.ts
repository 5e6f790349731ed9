import { describe, expect, it } from 'vitest'
import {
  formatJson,
  formatNative,
  jsonRecord,
  parseNativeRecords,
  parsePartA,
  parsePartB,
  parsePartF,
  parsePartH,
  parsePartJ,
  parsePartK,
  section,
  type NativeRecord,
} from '../../../../src/engine/audit/index'
import { parseRaw } from '../core/harness'
import { auditProgram, loadCases, readVector, runTx, schemaErrors, type Run } from './helpers'

// Our records against what ModSecurity 2.9.7 wrote for the same requests and rules
// (test/vectors/audit: cases.json, recorded by test/tools/modsec/record-audit.mjs). Each request
// is replayed byte for byte through our engine with 2.9.7's unique id, ports and time; the origin
// is Apache's answer (a 200 without Content-Type for /index.html) and blocks answer with our
// block page. Compared: which transactions are recorded, the sections and their order, and the
// content section by section, except where the edge differs by design (Apache's own lines and
// headers, the block page, K's rebuilt rule text, J's content type: see the notes below).

const cases = loadCases()
const program = auditProgram(cases.rules + '\n' + cases.config)
const v2native = parseNativeRecords(readVector('modsec-2.9.7-native.log'))
const v2json = readVector('modsec-2.9.7-json.log')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(Buffer.from(l, 'latin1').toString('utf8')) as Record<string, unknown>)

/** v2's rule file path (/tmp/modsec-rec-XXXX/rules.conf) as ours */
function normalisePath(s: string): string {
  return s.replace(/\/tmp\/modsec-rec-[^/]+\/rules\.conf/g, 'rules.conf')
}

function replay(i: number, v2?: NativeRecord): Run {
  const c = cases.requests[i]
  if (c === undefined) throw new Error('no case ' + i)
  const a = v2 === undefined ? undefined : parsePartA(section(v2, 'A') ?? '')
  const over =
    a === undefined ? {} : { uniqueId: a.uniqueId, clientPort: a.clientPort, serverPort: a.serverPort }
  const time = a === undefined ? Date.now() : v2Time(a.timestamp)
  return runTx(
    program,
    parseRaw(c.sent, over),
    { status: 200, headers: [['Content-Length', '3']], body: 'ok\n' },
    { clock: () => time },
  )
}

/** "21/Nov/2026:21:31:19.821342 +0000" -> ms */
function v2Time(ts: string): number {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})\.(\d{6}) \+0000$/.exec(ts)
  if (m === null) throw new Error('bad timestamp ' + ts)
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(
    m[2] as string,
  )
  return Date.UTC(
    +(m[3] as string),
    month,
    +(m[1] as string),
    +(m[4] as string),
    +(m[5] as string),
    +(m[6] as string),
    Math.floor(+(m[7] as string) / 1000),
  )
}

/** pair each case with 2.9.7's record (in order, only for the transactions it recorded) */
function pairs(): { i: number; v2: NativeRecord | undefined; ours: Run }[] {
  const out: { i: number; v2: NativeRecord | undefined; ours: Run }[] = []
  let next = 0
  for (let i = 0; i < cases.requests.length; i++) {
    const probe = replay(i)
    const v2 = probe.decision.write ? v2native[next++] : undefined
    out.push({ i, v2, ours: v2 === undefined ? probe : replay(i, v2) })
  }
  return out
}

const all = pairs()

describe('recorded sample: ModSecurity 2.9.7 native format', () => {
  it('the same transactions are recorded (SecAuditEngine RelevantOnly, relevant status, ctl:auditEngine)', () => {
    const recorded = all.filter((p) => p.ours.decision.write).length
    expect(recorded).toBe(v2native.length)
    expect(v2native.length).toBe(7)
    // the status the client got is the recorded one
    for (const p of all) expect(p.ours.status, cases.requests[p.i]?.name).toBe(cases.requests[p.i]?.status)
    // and each recorded transaction is the request 2.9.7 recorded at that place
    for (const p of all) {
      if (p.v2 === undefined) continue
      expect(p.ours.record.request.line).toBe(parsePartB(section(p.v2, 'B') ?? '').requestLine)
    }
  })

  for (const p of all) {
    const c = cases.requests[p.i]
    if (p.v2 === undefined || c === undefined) continue
    const v2 = p.v2
    describe(c.name, () => {
      const mine = parseNativeRecords(formatNative(p.ours.record))[0] as NativeRecord

      it('has the same sections in the same order', () => {
        expect(mine.sections.map((s) => s.letter).join('')).toBe(v2.sections.map((s) => s.letter).join(''))
      })

      it('A: time, unique id, client and server address and port', () => {
        const a = parsePartA(section(v2, 'A') ?? '')
        const b = parsePartA(section(mine, 'A') ?? '')
        expect(b?.uniqueId).toBe(a?.uniqueId)
        expect(b?.clientPort).toBe(a?.clientPort)
        expect(b?.serverPort).toBe(a?.serverPort)
        expect(b?.clientAddress).toBe(a?.clientAddress)
        // our clock has milliseconds: the microseconds' last three digits are 000
        expect(b?.timestamp.slice(0, 24)).toBe(a?.timestamp.slice(0, 24))
      })

      it('B: request line and headers, byte for byte (sanitised arguments and headers masked)', () => {
        expect(section(mine, 'B')).toBe(section(v2, 'B'))
      })

      it('C and I: request body and multipart form fields, byte for byte', () => {
        expect(section(mine, 'C')).toBe(section(v2, 'C'))
        expect(section(mine, 'I')).toBe(section(v2, 'I'))
      })

      it("F: the status line (headers are Apache's there, ours here)", () => {
        const a = parsePartF(section(v2, 'F') ?? '')
        const b = parsePartF(section(mine, 'F') ?? '')
        expect([b.protocol, b.status, b.reason]).toEqual([a.protocol, a.status, a.reason])
      })

      it('E: present when v2 writes it; empty when the response body was not buffered', () => {
        const a = section(v2, 'E')
        const b = section(mine, 'E')
        expect(b === undefined).toBe(a === undefined)
        if (a !== undefined && b !== undefined) expect(b === '').toBe(a === '')
      })

      it("H: the same Message and Action lines; the same trailer lines but Apache's own", () => {
        const a = parsePartH(section(v2, 'H') ?? '')
        const b = parsePartH(section(mine, 'H') ?? '')
        const pick = (h: [string, string][], n: string): string[] =>
          h.filter((x) => x[0] === n).map((x) => normalisePath(x[1]))
        expect(pick(b, 'Message')).toEqual(pick(a, 'Message'))
        expect(pick(b, 'Action')).toEqual(pick(a, 'Action'))
        expect(pick(b, 'Engine-Mode')).toEqual(pick(a, 'Engine-Mode'))
        expect(pick(b, 'Sanitised-Request-Headers')).toEqual(pick(a, 'Sanitised-Request-Headers'))
        expect(pick(b, 'Sanitised-Response-Headers')).toEqual(pick(a, 'Sanitised-Response-Headers'))
        // v2 lists masked arguments in the order the actions ran, we in request order
        const args = (h: [string, string][]): string[] =>
          pick(h, 'Sanitised-Args')
            .flatMap((v) => v.replace(/\.$/, '').split(', '))
            .sort()
        expect(args(b)).toEqual(args(a))
        // Apache-Error, Stopwatch2 and Response-Body-Transformed have no counterpart at the edge
        const apacheOnly = new Set(['Apache-Error', 'Stopwatch2', 'Response-Body-Transformed'])
        const names = (h: [string, string][]): string[] => [...new Set(h.map((x) => x[0]))]
        expect(names(b)).toEqual(names(a).filter((n) => !apacheOnly.has(n)))
        // Stopwatch: start (us) and duration (us); Producer: ours first, then SecComponentSignature
        expect(pick(b, 'Stopwatch')[0]).toMatch(/^\d{16} \d+ \(- - -\)$/)
        expect(pick(a, 'Stopwatch')[0]).toMatch(/^\d{16} \d+ \(- - -\)$/)
        const comps = (h: [string, string][]): string[] =>
          (pick(h, 'Producer')[0] ?? '').replace(/\.$/, '').split('; ').slice(1)
        expect(comps(b)).toEqual(comps(a))
        expect(comps(b)).toEqual(['edge-waf-test/1'])
      })

      it('J: the same files and total (the content type is the part\'s; 2.9.7 writes "<Unknown ContentType>")', () => {
        const a = section(v2, 'J')
        const b = section(mine, 'J')
        expect(b === undefined).toBe(a === undefined)
        if (a === undefined || b === undefined) return
        const ja = parsePartJ(a)
        const jb = parsePartJ(b)
        expect(jb.total).toBe(ja.total)
        expect(jb.files.map((f) => [f.index, f.size, f.name])).toEqual(
          ja.files.map((f) => [f.index, f.size, f.name]),
        )
        expect(ja.files.map((f) => f.contentType)).toEqual(['<Unknown ContentType>'])
        expect(jb.files.map((f) => f.contentType)).toEqual(['text/plain'])
      })

      it('K: the same matched rules, each link with the same targets and operator', () => {
        const a = parsePartK(section(v2, 'K') ?? '')
        const b = parsePartK(section(mine, 'K') ?? '')
        // "SecRule "ARGS:ch" "@rx c"" / "SecAction": the action lists are rebuilt from the bundle
        const head = (l: string): string => /^(SecRule "[^"]*" "[^"]*"|SecAction)/.exec(l)?.[1] ?? l
        expect(b.map((r) => r.map(head))).toEqual(a.map((r) => r.map(head)))
        // ids and phases agree
        const ids = (r: string[][]): string[] => r.map((x) => /\bid:(\d+)/.exec(x[0] ?? '')?.[1] ?? '')
        expect(ids(b)).toEqual(ids(a))
      })

      it('Z ends the record', () => {
        expect(mine.sections.at(-1)?.letter).toBe('Z')
      })
    })
  }
})

describe('recorded sample: ModSecurity 2.9.7 JSON format', () => {
  const ours = all.filter((p) => p.ours.decision.write).map((p) => jsonRecord(p.ours.record))

  it('2.9.7 recorded the same transactions in JSON', () => {
    expect(v2json.length).toBe(ours.length)
  })

  it('2.9.7 records and ours validate against the committed schema', () => {
    for (const d of v2json) expect(schemaErrors(d)).toEqual([])
    for (const d of ours) expect(schemaErrors(d)).toEqual([])
  })

  it("the same layout: the same keys, except 2.9.7's Apache-only data", () => {
    const keys = (o: unknown): string[] => Object.keys(o as object).sort()
    const apacheOnly = new Set(['error_messages', 'response_body_dechunked'])
    for (let i = 0; i < ours.length; i++) {
      const a = v2json[i] as Record<string, unknown>
      const b = ours[i] as Record<string, unknown>
      expect(keys(b)).toEqual(keys(a))
      for (const k of ['transaction', 'request', 'response'])
        if (a[k] !== undefined) expect(keys(b[k])).toEqual(keys(a[k]))
      expect(keys(b.audit_data)).toEqual(keys(a.audit_data).filter((k) => !apacheOnly.has(k)))
      const ad = a.audit_data as Record<string, unknown>
      const bd = b.audit_data as Record<string, unknown>
      expect(((bd.messages as string[] | undefined) ?? []).map(normalisePath)).toEqual(
        ((ad.messages as string[] | undefined) ?? []).map(normalisePath),
      )
      expect(bd.action).toEqual(ad.action)
      const req = (o: Record<string, unknown>): unknown =>
        (o.request as Record<string, unknown> | undefined)?.request_line
      expect(req(b)).toBe(req(a))
      const rules = (o: Record<string, unknown>): unknown =>
        (
          (o.matched_rules as
            { chain: boolean; rules: { actionset: unknown; operator: unknown }[] }[] | undefined) ?? []
        ).map((m) => [m.chain, m.rules.map((r) => [r.actionset, r.operator])])
      expect(rules(b)).toEqual(rules(a))
    }
  })

  it('formatJson writes one line per record', () => {
    for (const p of all.filter((x) => x.ours.decision.write)) {
      const text = formatJson(p.ours.record)
      expect(text.endsWith('\n')).toBe(true)
      expect(text.slice(0, -1).includes('\n')).toBe(false)
    }
  })
})
