/**
 * Reading the audit log back: a record by unique id, record listings from the objects' metadata
 * (`waf audit`), and the ops endpoints that serve them.
 */
import { hourPrefix, keyForId } from '../engine/audit/index'
import type { AuditBucket } from './audit-bucket'

/** A record by unique id (the ops endpoint): the object, or undefined when there is none. */
export async function readAudit(
  bucket: AuditBucket,
  uniqueId: string,
): Promise<{ key: string; body: ArrayBuffer; contentType: string } | undefined> {
  const key = keyForId(uniqueId)
  if (key === undefined) return undefined
  const o = await bucket.get(key)
  if (o === null) return undefined
  return { key, body: await o.arrayBuffer(), contentType: o.httpMetadata?.contentType ?? 'text/plain' }
}

export interface ListFilter {
  /** only records at or after this time (ms) */
  since?: number
  /** status: exact ("403") or a class ("4xx") */
  status?: string
  /** only records where this rule id matched */
  rule?: string
  limit?: number
}

export function statusMatches(status: string | undefined, want: string): boolean {
  if (status === undefined) return false
  const w = want.trim().toLowerCase()
  if (/^[1-5]xx$/.test(w)) return status.charAt(0) === w.charAt(0)
  return status === w
}

/** Record entries matching a filter, oldest first, from the objects' metadata only (no bodies read). */
export async function listAudit(
  bucket: AuditBucket,
  filter: ListFilter,
  now = Date.now(),
): Promise<{ key: string; size: number; metadata: Record<string, string> }[]> {
  const limit = filter.limit ?? 100
  const since = filter.since ?? now - 24 * 3600 * 1000
  const out: { key: string; size: number; metadata: Record<string, string> }[] = []
  const hour = 3600 * 1000
  // keys are YYYYMMDD/HH/...: one listing per hour for windows up to a week, else one of everything
  const prefixes: string[] = []
  if (now - since <= 7 * 24 * hour)
    for (let t = Math.floor(since / hour) * hour; t <= now; t += hour) prefixes.push(hourPrefix(t))
  else prefixes.push('')
  for (const prefix of prefixes) {
    let cursor: string | undefined
    do {
      const page = await bucket.list({
        prefix,
        include: ['customMetadata'],
        ...(cursor !== undefined ? { cursor } : {}),
      })
      for (const o of page.objects) {
        const m = o.customMetadata ?? {}
        if (m.kind !== 'record') continue
        if (m.time !== undefined && Date.parse(m.time) < since) continue
        if (filter.status !== undefined && !statusMatches(m.status, filter.status)) continue
        if (filter.rule !== undefined && !(m.rules ?? '').split(',').includes(filter.rule)) continue
        out.push({ key: o.key, size: o.size, metadata: m })
        if (out.length >= limit) return out
      }
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor !== undefined)
  }
  return out
}

function jsonResponse(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value, null, 2) + '\n', {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  })
}

/** GET <prefix>audit/<unique_id>: the stored record as it is (Native or JSON). */
export async function auditGetResponse(bucket: AuditBucket | undefined, uniqueId: string): Promise<Response> {
  if (bucket === undefined) return jsonResponse({ error: 'no AUDIT (R2) binding' }, 501)
  if (keyForId(uniqueId) === undefined) return jsonResponse({ error: 'not a unique id of this WAF' }, 400)
  const r = await readAudit(bucket, uniqueId)
  if (r === undefined)
    return jsonResponse({ error: 'no audit record for this id', key: keyForId(uniqueId) }, 404)
  return new Response(r.body, {
    headers: { 'content-type': r.contentType, 'cache-control': 'no-store', 'x-audit-key': r.key },
  })
}

/**
 * GET <prefix>audit?since=<ISO time or 1h/30m/2d>&status=403|4xx&rule=<id>&limit=<n>: the
 * records' metadata (key, time, status, rules, client, method, host, uri...), oldest first.
 */
export async function auditListResponse(
  bucket: AuditBucket | undefined,
  query: Record<string, string | string[] | undefined>,
  now = Date.now(),
): Promise<Response> {
  if (bucket === undefined) return jsonResponse({ error: 'no AUDIT (R2) binding' }, 501)
  const one = (k: string): string | undefined => {
    const v = query[k]
    return Array.isArray(v) ? v[0] : v
  }
  const filter: ListFilter = {}
  const since = one('since')
  if (since !== undefined) {
    const t = parseSince(since, now)
    if (t === undefined)
      return jsonResponse({ error: 'since: an ISO time or a duration like 30m, 2h, 7d' }, 400)
    filter.since = t
  }
  const status = one('status')
  if (status !== undefined) filter.status = status
  const rule = one('rule')
  if (rule !== undefined) filter.rule = rule
  const limit = one('limit')
  if (limit !== undefined) filter.limit = Math.max(1, Math.min(1000, Number(limit) || 100))
  const records = await listAudit(bucket, filter, now)
  return jsonResponse({ records })
}

/** "30m", "2h", "7d" (before now) or an ISO date/time; undefined when neither. */
export function parseSince(v: string, now: number): number | undefined {
  const m = /^(\d+)\s*([smhd])$/.exec(v.trim())
  if (m !== null) {
    const unit = { s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2] as 's' | 'm' | 'h' | 'd']
    return now - Number(m[1]) * unit
  }
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : t
}
