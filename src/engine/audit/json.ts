import type { BinaryString } from '../bytes'
import { auditTimestamp } from './native'
import type { AuditRecord, RuleText } from './types'
import { utf8Decode } from './utf8'

/**
 * SecAuditLogFormat JSON: ModSecurity 2.9's JSON layout (msc_logging.c with yajl, recorded on
 * 2.9.7; the schema is test/schemas/audit-record.schema.json), one document per transaction:
 *
 *   transaction   (A) time, transaction_id, remote_address/port, local_address/port
 *   request       (B) request_line, headers; (C) body: [text]; (I) fake_body (multipart fields)
 *   response      (F) protocol, status, headers; (E) body
 *   audit_data    (H) messages, action {intercepted, phase, message}, stopwatch, producer,
 *                 server, sanitized {args, request_headers, response_headers}, engine_mode
 *   uploads       (J) info: [{file_size, file_name, content_type}], total
 *   matched_rules (K) [{chain, rules: [{actionset, operator, config, unparsed, is_matched}],
 *                 full_chain_match}]
 *
 * Differences from 2.9.7, on purpose:
 * - strings are the bytes read as UTF-8 (invalid sequences become U+FFFD): v2 writes raw bytes,
 *   which is not valid JSON for non-UTF-8 data (the native format keeps the exact bytes);
 * - headers are objects as in v2; a repeated response header (Set-Cookie) is joined with ", "
 *   (v2 repeats the key, which JSON parsers reduce to the last value);
 * - a masked header value has one '*' per byte (2.9.7's JSON writer masks one byte more than
 *   its native writer: "topsecret" becomes 10 stars);
 * - audit_data.stopwatch is {start, duration} in microseconds (the native Stopwatch line); v2's
 *   per-phase p1..p5/sr/sw/l/gc timings are not measured (Workers clocks do not advance during
 *   computation); audit_data.error_messages (Apache's error log lines) and
 *   response_body_dechunked are not written;
 * - additions: audit_data.webapp_info {id, session, user}, sensor_id, truncated
 *   {request_body, response_body} (original sizes), uploads.info[].stored (bucket key) and
 *   not_stored (reason). As in v2, actionset carries no msg (the messages are in audit_data).
 */
export function formatJson(r: AuditRecord): string {
  return JSON.stringify(jsonRecord(r)) + '\n'
}

function headersObject(headers: readonly (readonly [BinaryString, BinaryString])[]): Record<string, string> {
  const o: Record<string, string> = {}
  for (const [n, v] of headers) {
    const name = utf8Decode(n)
    const value = utf8Decode(v)
    o[name] = Object.prototype.hasOwnProperty.call(o, name) ? o[name] + ', ' + value : value
  }
  return o
}

function ruleJson(t: RuleText): Record<string, unknown> {
  const actionset: Record<string, unknown> = {}
  if (t.id !== undefined) actionset.id = String(t.id)
  if (t.rev !== undefined) actionset.rev = t.rev
  if (t.ver !== undefined) actionset.version = t.ver
  if (t.severity !== undefined) actionset.severity = t.severity
  if (t.accuracy !== undefined) actionset.accuracy = t.accuracy
  if (t.maturity !== undefined) actionset.maturity = t.maturity
  actionset.phase = t.phase
  actionset.is_chained = t.isChained
  if (t.chainStarter) actionset.chain_starter = true
  if (t.tags !== undefined) actionset.tags = t.tags.map(utf8Decode)
  return {
    actionset,
    operator: {
      operator: t.operator,
      operator_param: utf8Decode(t.operatorParam),
      target: utf8Decode(t.target),
      negated: t.negated,
    },
    config: { filename: t.file, line_num: t.line },
    unparsed: utf8Decode(t.unparsed),
    is_matched: true,
  }
}

/** The JSON document as a plain object (also what the schema tests validate). */
export function jsonRecord(r: AuditRecord): Record<string, unknown> {
  const has = (p: string): boolean => r.parts.indexOf(p) >= 0
  const doc: Record<string, unknown> = {
    transaction: {
      time: auditTimestamp(r.timeMs),
      transaction_id: r.uniqueId,
      remote_address: r.client.address,
      remote_port: r.client.port,
      local_address: r.server.address,
      local_port: r.server.port,
    },
  }
  const request: Record<string, unknown> = {}
  if (has('B')) {
    request.request_line = utf8Decode(r.request.line)
    request.headers = headersObject(r.request.headers)
  }
  if (r.request.body !== undefined) request.body = [utf8Decode(r.request.body)]
  if (r.request.multipartFields !== undefined) request.fake_body = r.request.multipartFields
  if (Object.keys(request).length > 0) doc.request = request

  const response: Record<string, unknown> = {}
  if (has('F')) {
    response.protocol = r.response.protocol
    response.status = r.response.status
    response.headers = headersObject(r.response.headers)
  }
  if (r.response.body !== undefined) response.body = utf8Decode(r.response.body)
  if (Object.keys(response).length > 0) doc.response = response

  if (has('H')) {
    const h: Record<string, unknown> = {}
    if (r.messages.length > 0) h.messages = r.messages.map(utf8Decode)
    if (r.action !== undefined)
      h.action = { intercepted: true, phase: r.action.phase, message: utf8Decode(r.action.message) }
    h.stopwatch = { start: r.timeMs * 1000, duration: r.durationUs }
    h.producer = r.producer
    h.server = r.serverSignature
    if (r.webAppInfo !== undefined)
      h.webapp_info = {
        id: utf8Decode(r.webAppInfo[0]),
        session: utf8Decode(r.webAppInfo[1]),
        user: utf8Decode(r.webAppInfo[2]),
      }
    if (r.sensorId !== undefined) h.sensor_id = r.sensorId
    const s = r.sanitised
    if (s.args.length > 0 || s.requestHeaders.length > 0 || s.responseHeaders.length > 0) {
      const o: Record<string, string[]> = {}
      if (s.args.length > 0) o.args = s.args.map(utf8Decode)
      if (s.requestHeaders.length > 0) o.request_headers = s.requestHeaders.map(utf8Decode)
      if (s.responseHeaders.length > 0) o.response_headers = s.responseHeaders.map(utf8Decode)
      h.sanitized = o
    }
    h.engine_mode = r.engineMode
    if (r.truncated.requestBody !== undefined || r.truncated.responseBody !== undefined) {
      const t: Record<string, number> = {}
      if (r.truncated.requestBody !== undefined) t.request_body = r.truncated.requestBody
      if (r.truncated.responseBody !== undefined) t.response_body = r.truncated.responseBody
      h.truncated = t
    }
    doc.audit_data = h
  }

  if (has('J') && r.uploads !== undefined) {
    doc.uploads = {
      info: r.uploads.files.map((f) => {
        const o: Record<string, unknown> = {
          file_size: f.size,
          file_name: utf8Decode(f.name),
          content_type: f.contentType === '' ? '<Unknown Content-Type>' : utf8Decode(f.contentType),
        }
        if (f.stored !== undefined) o.stored = f.stored
        if (f.notStored !== undefined) o.not_stored = f.notStored
        return o
      }),
      total: r.uploads.total,
    }
  }

  if (has('K')) {
    doc.matched_rules = r.matchedRules.map((m) => {
      const chain = m.links.length > 1
      const o: Record<string, unknown> = { chain, rules: m.links.map(ruleJson) }
      if (chain) o.full_chain_match = true
      return o
    })
  }
  return doc
}
