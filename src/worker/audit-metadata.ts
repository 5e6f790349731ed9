/**
 * The audit objects' customMetadata, so that a listing (`waf audit list`, the ops endpoint) is
 * useful without reading bodies.
 */
import type { AuditRecord } from '../engine/audit/index'
import type { Transaction } from '../engine/index'
import { logEscape } from '../engine/log-escape'

function cap(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s
}

/** The object's customMetadata: what `waf audit list` shows and filters on (R2 allows 2 KiB). */
export function recordMetadata(tx: Transaction, r: AuditRecord, format: string): Record<string, string> {
  const s = tx.state
  const ids: string[] = []
  for (const m of s.records) {
    const id = String(m.id)
    if (!ids.includes(id)) ids.push(id)
  }
  return {
    kind: 'record',
    id: r.uniqueId,
    time: new Date(r.timeMs).toISOString(),
    status: String(r.response.status),
    rules: cap(ids.join(','), 512),
    client: r.client.address,
    method: cap(logEscape(s.req.method), 16),
    host: cap(logEscape(s.serverName()), 128),
    // the request-target from the sanitised request line
    uri: cap(logEscape(targetOf(r.request.line)), 256),
    intercepted: r.action !== undefined || s.interruption !== undefined ? '1' : '0',
    engine: r.engineMode,
    format,
  }
}

function targetOf(line: string): string {
  const a = line.indexOf(' ')
  const b = line.lastIndexOf(' ')
  return a >= 0 && b > a ? line.slice(a + 1, b) : line
}

/** An uploaded file's customMetadata: what it is and which record (`key`) it belongs to. */
export function fileMetadata(
  id: string,
  key: string,
  f: { name: string; filename: string; contentType: string },
): Record<string, string> {
  return {
    kind: 'file',
    id,
    record: key,
    field: cap(logEscape(f.name), 256),
    filename: cap(logEscape(f.filename), 256),
    contentType: cap(logEscape(f.contentType), 128),
  }
}
