import type { BinaryString } from '../bytes'
import { logEscape } from '../log-escape'
import type { AuditRecord } from './types'

/**
 * ModSecurity 2.9's native audit log format (modsecurity-docs/alert-and-audit-log-formats.txt,
 * checked byte for byte against 2.9.7's serial log: test/vectors/audit):
 *
 *   --<boundary>-A--
 *   [21/Nov/2026:21:24:58.866232 +0000] <unique_id> <client ip> <client port> <server ip> <server port>
 *   --<boundary>-B--
 *   GET /a?b=c HTTP/1.1
 *   Host: ...                                   (request headers, then an empty line)
 *   --<boundary>-C--  body + "\n"               (I: the same for multipart form fields)
 *   --<boundary>-F--  status line, headers, empty line
 *   --<boundary>-E--  body + "\n"
 *   --<boundary>-H--  "Name: value" lines, empty line
 *   --<boundary>-J--  "n,size,"name","type"" lines, "Total,n", empty line
 *   --<boundary>-K--  one rule per line (chain links on following lines), an empty line after
 *                     each rule, one more at the end
 *   --<boundary>-Z--  and an empty line
 *
 * Sections come in v2's order A B C I F E H J K Z whatever the order of SecAuditLogParts.
 * Bytes are written as they are (a binary string: one char per byte); header and body bytes
 * are not escaped, as in v2. Lines we add to H that v2 does not write:
 *   Request-Body-Truncated / Response-Body-Truncated: kept N of M bytes (the record's body limit)
 *   Upload-Not-Kept: <n> "<filename>" <reason>  (SecUploadKeepFiles, a file we could not keep)
 * and a 5th field in J lines, the bucket key of the kept file ("YYYYMMDD/HH/<id>/file-<n>").
 * Lines v2 writes that have no counterpart at the edge: Apache-Error (Apache's error log, our
 * console lines carry the same alerts), Apache-Handler, Stopwatch2 (per-phase timings; Workers
 * clocks do not advance during computation), Response-Body-Transformed.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0')
}

/** Part A's timestamp, UTC: "21/Nov/2026:21:24:58.866000 +0000" (ms precision, shown as us) */
export function auditTimestamp(ms: number): string {
  const d = new Date(ms)
  return (
    pad(d.getUTCDate(), 2) +
    '/' +
    (MONTHS[d.getUTCMonth()] ?? 'Jan') +
    '/' +
    d.getUTCFullYear() +
    ':' +
    pad(d.getUTCHours(), 2) +
    ':' +
    pad(d.getUTCMinutes(), 2) +
    ':' +
    pad(d.getUTCSeconds(), 2) +
    '.' +
    pad(d.getUTCMilliseconds() * 1000, 6) +
    ' +0000'
  )
}

function headerLines(headers: readonly (readonly [BinaryString, BinaryString])[]): string {
  let out = ''
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i] as readonly [BinaryString, BinaryString]
    out += h[0] + ': ' + h[1] + '\n'
  }
  return out
}

function quotedList(names: readonly string[]): string {
  let out = ''
  for (let i = 0; i < names.length; i++)
    out += (i > 0 ? ', ' : '') + '"' + logEscape(names[i] as string) + '"'
  return out + '.'
}

/** The H section's lines (without the Message lines' order changed): "Name: value". */
export function trailerLines(r: AuditRecord): string[] {
  const out: string[] = []
  for (let i = 0; i < r.messages.length; i++) out.push('Message: ' + r.messages[i])
  if (r.action !== undefined) out.push('Action: Intercepted (phase ' + r.action.phase + ')')
  out.push('Stopwatch: ' + r.timeMs * 1000 + ' ' + r.durationUs + ' (- - -)')
  out.push('Producer: ' + r.producer.join('; ') + '.')
  out.push('Server: ' + r.serverSignature)
  if (r.webAppInfo !== undefined)
    out.push('WebApp-Info: ' + r.webAppInfo.map((v) => '"' + logEscape(v) + '"').join(' '))
  if (r.sensorId !== undefined) out.push('Sensor-Id: "' + logEscape(r.sensorId) + '"')
  if (r.sanitised.args.length > 0) out.push('Sanitised-Args: ' + quotedList(r.sanitised.args))
  if (r.sanitised.requestHeaders.length > 0)
    out.push('Sanitised-Request-Headers: ' + quotedList(r.sanitised.requestHeaders))
  if (r.sanitised.responseHeaders.length > 0)
    out.push('Sanitised-Response-Headers: ' + quotedList(r.sanitised.responseHeaders))
  out.push('Engine-Mode: "' + r.engineMode + '"')
  const limit = r.request.body?.length
  if (r.truncated.requestBody !== undefined)
    out.push('Request-Body-Truncated: kept ' + (limit ?? 0) + ' of ' + r.truncated.requestBody + ' bytes')
  if (r.truncated.responseBody !== undefined)
    out.push(
      'Response-Body-Truncated: kept ' +
        (r.response.body?.length ?? 0) +
        ' of ' +
        r.truncated.responseBody +
        ' bytes',
    )
  for (const f of r.uploads?.files ?? [])
    if (f.notStored !== undefined)
      out.push('Upload-Not-Kept: ' + f.index + ' "' + logEscape(f.name) + '" ' + f.notStored)
  return out
}

/** The native record: a binary string (bytes as chars), ready to be stored. */
export function formatNative(r: AuditRecord): BinaryString {
  const sep = (letter: string): string => '--' + r.boundary + '-' + letter + '--\n'
  const has = (p: string): boolean => r.parts.indexOf(p) >= 0
  let out = sep('A')
  out +=
    '[' +
    auditTimestamp(r.timeMs) +
    '] ' +
    r.uniqueId +
    ' ' +
    r.client.address +
    ' ' +
    r.client.port +
    ' ' +
    r.server.address +
    ' ' +
    r.server.port +
    '\n'
  if (has('B')) out += sep('B') + r.request.line + '\n' + headerLines(r.request.headers) + '\n'
  if (r.request.body !== undefined) out += sep('C') + r.request.body + '\n'
  if (r.request.multipartFields !== undefined) out += sep('I') + r.request.multipartFields + '\n'
  if (has('F')) {
    const res = r.response
    out +=
      sep('F') +
      res.protocol +
      ' ' +
      res.status +
      (res.reason !== '' ? ' ' + res.reason : '') +
      '\n' +
      headerLines(res.headers) +
      '\n'
  }
  if (r.response.body !== undefined) out += sep('E') + r.response.body + '\n'
  if (has('H')) out += sep('H') + trailerLines(r).join('\n') + '\n\n'
  if (has('J') && r.uploads !== undefined) {
    out += sep('J')
    for (const f of r.uploads.files) {
      out +=
        f.index +
        ',' +
        f.size +
        ',"' +
        logEscape(f.name) +
        '","' +
        (f.contentType === '' ? '<Unknown ContentType>' : logEscape(f.contentType)) +
        '"' +
        (f.stored !== undefined ? ',"' + f.stored + '"' : '') +
        '\n'
    }
    out += 'Total,' + r.uploads.total + '\n\n'
  }
  if (has('K')) {
    out += sep('K')
    for (const m of r.matchedRules) {
      for (const l of m.links) out += l.unparsed + '\n'
      out += '\n'
    }
    out += '\n'
  }
  out += sep('Z') + '\n'
  return out
}
