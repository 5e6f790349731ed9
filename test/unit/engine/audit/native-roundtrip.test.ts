import { describe, expect, it } from 'vitest'
import {
  auditTimestamp,
  formatNative,
  parseNativeRecords,
  parsePartA,
  parsePartB,
  parsePartF,
  parsePartH,
  parsePartJ,
  parsePartK,
  section,
  type AuditRecord,
} from '../../../../src/engine/audit/index'
import { logEscape } from '../../../../src/engine/log-escape'
import { SCENARIOS, runScenario } from './scenarios'

// Round trip: every scenario's native record, read back by the parser into sections and fields,
// gives back what the record holds (section by section, line by line).

/** the sections a record must have, in v2's order A B C I F E H J K Z */
function expectedLetters(r: AuditRecord): string {
  let s = 'A'
  if (r.parts.includes('B')) s += 'B'
  if (r.request.body !== undefined) s += 'C'
  if (r.request.multipartFields !== undefined) s += 'I'
  if (r.parts.includes('F')) s += 'F'
  if (r.response.body !== undefined) s += 'E'
  if (r.parts.includes('H')) s += 'H'
  if (r.parts.includes('J') && r.uploads !== undefined) s += 'J'
  if (r.parts.includes('K')) s += 'K'
  return s + 'Z'
}

describe('native format round trip', () => {
  it('a serial log of all scenarios splits back into one record per transaction', () => {
    const text = SCENARIOS.map((s) => formatNative(runScenario(s).record)).join('')
    expect(parseNativeRecords(text).length).toBe(SCENARIOS.length)
  })

  for (const sc of SCENARIOS) {
    it(sc.name, () => {
      const { record: r } = runScenario(sc)
      const text = formatNative(r)
      const parsed = parseNativeRecords(text)
      expect(parsed.length).toBe(1)
      const p = parsed[0]
      if (p === undefined) return
      expect(p.boundary).toBe(r.boundary)
      expect(p.boundary).toMatch(/^[0-9a-f]{8}$/)
      expect(p.sections.map((s) => s.letter).join('')).toBe(expectedLetters(r))

      expect(parsePartA(section(p, 'A') ?? '')).toEqual({
        timestamp: auditTimestamp(r.timeMs),
        uniqueId: r.uniqueId,
        clientAddress: r.client.address,
        clientPort: r.client.port,
        serverAddress: r.server.address,
        serverPort: r.server.port,
      })
      if (r.parts.includes('B')) {
        const b = parsePartB(section(p, 'B') ?? '')
        expect(b.requestLine).toBe(r.request.line)
        expect(b.headers).toEqual(r.request.headers)
      }
      expect(section(p, 'C')).toBe(r.request.body)
      expect(section(p, 'I')).toBe(r.request.multipartFields)
      if (r.parts.includes('F')) {
        const f = parsePartF(section(p, 'F') ?? '')
        expect(f).toEqual({
          protocol: r.response.protocol,
          status: r.response.status,
          reason: r.response.reason,
          headers: r.response.headers,
        })
      }
      expect(section(p, 'E')).toBe(r.response.body)

      const h = parsePartH(section(p, 'H') ?? '')
      const values = (n: string): string[] => h.filter((x) => x[0] === n).map((x) => x[1])
      expect(values('Message')).toEqual(r.messages)
      expect(values('Action')).toEqual(
        r.action === undefined ? [] : [`Intercepted (phase ${r.action.phase})`],
      )
      expect(values('Stopwatch')).toEqual([`${r.timeMs * 1000} ${r.durationUs} (- - -)`])
      expect(values('Producer')).toEqual([r.producer.join('; ') + '.'])
      expect(values('Server')).toEqual([r.serverSignature])
      expect(values('WebApp-Info')).toEqual(
        r.webAppInfo === undefined ? [] : [r.webAppInfo.map((v) => `"${logEscape(v)}"`).join(' ')],
      )
      expect(values('Sensor-Id')).toEqual(r.sensorId === undefined ? [] : [`"${r.sensorId}"`])
      const list = (n: string): string[] =>
        values(n).flatMap((v) =>
          v
            .replace(/\.$/, '')
            .split(', ')
            .map((x) => x.slice(1, -1)),
        )
      expect(list('Sanitised-Args')).toEqual(r.sanitised.args.map(logEscape))
      expect(list('Sanitised-Request-Headers')).toEqual(r.sanitised.requestHeaders.map(logEscape))
      expect(list('Sanitised-Response-Headers')).toEqual(r.sanitised.responseHeaders.map(logEscape))
      expect(values('Engine-Mode')).toEqual([`"${r.engineMode}"`])
      expect(values('Request-Body-Truncated')).toEqual(
        r.truncated.requestBody === undefined
          ? []
          : [`kept ${r.request.body?.length ?? 0} of ${r.truncated.requestBody} bytes`],
      )
      expect(values('Response-Body-Truncated')).toEqual(
        r.truncated.responseBody === undefined
          ? []
          : [`kept ${r.response.body?.length ?? 0} of ${r.truncated.responseBody} bytes`],
      )

      const j = section(p, 'J')
      if (r.uploads !== undefined && r.parts.includes('J')) {
        const pj = parsePartJ(j ?? '')
        expect(pj.total).toBe(r.uploads.total)
        expect(pj.files).toEqual(
          r.uploads.files.map((f) => {
            const o: Record<string, unknown> = {
              index: f.index,
              size: f.size,
              name: logEscape(f.name),
              contentType: f.contentType === '' ? '<Unknown ContentType>' : logEscape(f.contentType),
            }
            if (f.stored !== undefined) o.stored = f.stored
            return o
          }),
        )
      } else expect(j).toBeUndefined()

      if (r.parts.includes('K')) {
        expect(parsePartK(section(p, 'K') ?? '')).toEqual(
          r.matchedRules.map((m) => m.links.map((l) => l.unparsed)),
        )
      }
      // the text ends with Z's separator and an empty line
      expect(text.endsWith(`--${r.boundary}-Z--\n\n`)).toBe(true)
    })
  }
})
