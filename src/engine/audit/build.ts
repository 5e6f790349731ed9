import type { MatchRecord } from '../alert'
import type { Transaction } from '../transaction'
import { auditMessages } from './messages'
import { reasonPhrase } from './reasons'
import { matchedRules } from './rule-text'
import { maskHeaders, maskRequestLine, maskSets, maskUrlencoded, multipartFields } from './sanitise'
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_MASKED_HEADERS,
  type AuditFile,
  type AuditOptions,
  type AuditRecord,
  type FinalResponse,
} from './types'

/**
 * Build the audit record of a finished transaction (after processLogging), ModSecurity 2.9's
 * content part by part (parts are SecAuditLogParts after ctl:auditLogParts):
 *
 *   A  header: time, unique id, client address and port, server address and port
 *   B  request line and headers (as the engine inspected them)
 *   C  request body, when the WAF read it (SecRequestBodyAccess); URLENCODED bodies sanitised
 *   D  (v2 defines it and never writes it: not written)
 *   E  response body, written when response body access is on: the inspected origin body
 *      (a MIME type listed in SecResponseBodyMimeType), or the block page when the WAF
 *      answered (v2's output filter sees Apache's error page the same way), else empty
 *   F  response status line and headers, as sent to the client
 *   G  (v2 defines it and never writes it: not written)
 *   H  trailer: messages, Action, Stopwatch, Producer, Server, WebApp-Info, Sensor-Id,
 *      Sanitised-*, Engine-Mode
 *   I  multipart bodies: the form fields without the files (urlencoded); other bodies: part C
 *      (2.9.7 writes them under the letter C when I is asked for without C)
 *   J  uploaded files: number, size, filename, content type (and where the file is kept)
 *   K  matched rules (rule-text.ts)
 *   Z  end
 *
 * Bodies are cut to `bodyLimit` bytes (default 64 KiB); the original size is kept in
 * `truncated`. Total: works on any transaction state, never throws on request data.
 */
export function buildAuditRecord(
  tx: Transaction,
  response: FinalResponse,
  options: AuditOptions = {},
): AuditRecord {
  const s = tx.state
  const a = tx.audit
  const program = s.program
  const config = program.config
  const parts = canonicalParts(a.parts)
  const has = (p: string): boolean => parts.indexOf(p) >= 0
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const now = options.now ?? s.clock()
  const sets = maskSets(a.sanitize, options.maskHeaders ?? DEFAULT_MASKED_HEADERS)
  const sanitised: AuditRecord['sanitised'] = {
    args: [],
    requestHeaders: sets.requestHeaderNames.slice(),
    responseHeaders: sets.responseHeaderNames.slice(),
  }
  const truncated: AuditRecord['truncated'] = {}
  const req = s.req
  const sep = config.argumentSeparator

  const record: AuditRecord = {
    uniqueId: s.uniqueId,
    boundary: boundaryOf(s.uniqueId),
    parts,
    timeMs: s.startMs,
    durationUs: Math.max(0, Math.round((now - s.startMs) * 1000)),
    client: { address: req.clientAddress, port: req.clientPort },
    server: { address: req.serverAddress, port: req.serverPort },
    request: {
      // masked whether or not B is written: the Worker's object metadata shows the target
      line: maskRequestLine(req.method, req.uri, req.protocol, sep, sets.args, sanitised.args),
      method: req.method,
      protocol: req.protocol,
      headers: has('B')
        ? maskHeaders(req.headers, sets.requestHeaders, sets.always, sanitised.requestHeaders)
        : [],
    },
    response: {
      protocol: s.responseProtocol ?? 'HTTP/1.1',
      status: response.status,
      reason: reasonPhrase(response.status),
      headers: has('F')
        ? maskHeaders(response.headers, sets.responseHeaders, sets.always, sanitised.responseHeaders)
        : [],
    },
    messages: has('H') ? auditMessages(s) : [],
    producer: [options.producer ?? 'edge-waf/' + program.bundle.compiler, ...program.bundle.components],
    serverSignature: options.server ?? 'Cloudflare Workers',
    sanitised,
    engineMode:
      s.ruleEngine === 'DetectionOnly' ? 'DETECTION_ONLY' : s.ruleEngine === 'Off' ? 'DISABLED' : 'ENABLED',
    truncated,
    matchedRules: has('K') ? matchedRules(program, s.records) : [],
  }

  // C / I: the request body
  const multipart = s.bodyResult?.multipart
  const raw = s.requestBody
  if (raw !== undefined && raw !== '' && (has('C') || (has('I') && multipart === undefined))) {
    let body = raw
    if (s.reqbodyProcessor === 'URLENCODED' && s.bodyResult !== undefined)
      body = maskUrlencoded(raw, sep, sets.args, sanitised.args)
    if (body.length > limit) {
      truncated.requestBody = body.length
      body = body.slice(0, limit)
    }
    record.request.body = body
  }
  if (has('I') && multipart !== undefined && s.bodyResult !== undefined) {
    let fields = multipartFields(s.bodyResult.args, sets.args, sanitised.args)
    if (fields.length > limit) fields = fields.slice(0, limit)
    record.request.multipartFields = fields
  }

  // E: the response body
  if (has('E') && (s.responseBodyAccess || s.responseBody !== undefined)) {
    // v2 writes E whenever response body access is on, empty when nothing was buffered (a
    // MIME type not in SecResponseBodyMimeType; recorded on 2.9.7)
    let body = s.responseBody ?? response.generatedBody ?? ''
    if (body.length > limit) {
      truncated.responseBody = body.length
      body = body.slice(0, limit)
    }
    record.response.body = body
  }

  // H: the interruption, web application info
  const itp = s.interruption
  if (itp !== undefined && itp.ruleId !== 0) {
    record.action = { phase: itp.phase, message: interruptingMessage(s.records, itp.ruleId) }
  }
  if (config.webAppId !== 'default' || s.sessionId !== undefined || s.userId !== undefined) {
    record.webAppInfo = [config.webAppId, s.sessionId ?? '-', s.userId ?? '-']
  }
  if (config.sensorId !== undefined) record.sensorId = config.sensorId

  // J: uploaded files
  if (multipart !== undefined && multipart.files.length > 0) {
    const files: AuditFile[] = []
    for (let i = 0; i < multipart.files.length; i++) {
      const f = multipart.files[i]
      if (f === undefined) continue
      const file: AuditFile = {
        index: i + 1,
        field: f.name,
        name: f.filename,
        size: f.size,
        contentType: f.contentType,
      }
      const kept = options.files?.get(i + 1)
      if (kept?.stored !== undefined) file.stored = kept.stored
      if (kept?.notStored !== undefined) file.notStored = kept.notStored
      files.push(file)
    }
    record.uploads = { files, total: multipart.filesCombinedSize }
  }
  return record
}

const ORDER = 'ABCDEFGHIJKZ'

/** The letters of SecAuditLogParts in canonical order, duplicates removed, A and Z always present. */
export function canonicalParts(letters: string): string {
  let out = ''
  for (let i = 0; i < ORDER.length; i++) {
    const c = ORDER.charAt(i)
    if (c === 'A' || c === 'Z' || letters.indexOf(c) >= 0) out += c
  }
  return out
}

/** The operator message of the rule that interrupted (v2's "action.message" in JSON). */
function interruptingMessage(records: readonly MatchRecord[], ruleId: number): string {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] as MatchRecord
    if (r.id === ruleId && r.disruptive) return r.opMessage
  }
  return ''
}

/** 8 hex digits derived from the unique id (FNV-1a): stable for a record, like v2's random boundary. */
export function boundaryOf(id: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i) & 0xff
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}
