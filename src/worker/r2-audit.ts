import {
  auditDecision,
  auditFileKey,
  auditKey,
  buildAuditRecord,
  formatJson,
  formatNative,
  hourPrefix,
  keepUploads,
  keyForId,
  timedUniqueId,
  type AuditRecord,
  type FinalResponse,
} from '../engine/audit/index'
import { binaryToBytes, utf8ToBinary, type Transaction } from '../engine/index'
import { logEscape } from '../engine/log-escape'

/**
 * The audit log sink: one R2 object per audited transaction (SecAuditEngine), written after the
 * answer in ctx.waitUntil, never on the request's path.
 *
 *   YYYYMMDD/HH/<unique_id>            the record, Native (text/plain) or JSON (application/json)
 *   YYYYMMDD/HH/<unique_id>/file-<n>   uploaded files kept with it (SecUploadKeepFiles)
 *
 * The unique id on the block page finds the record: the Worker's ids carry their time like
 * mod_unique_id's (engine/audit/keys.ts), so the key follows from the id. customMetadata makes
 * a listing useful without reading bodies: kind, id, time, status, rules, client, method, host,
 * uri, intercepted, engine, format.
 *
 * Nothing is lost silently: a put that fails is retried with exponential backoff (3 retries:
 * 100, 200, 400 ms); when it still fails the failure is logged with the unique id, next to the
 * transaction's alert lines that carry the same id. The response is never affected: this runs
 * after the answer and never throws.
 *
 * Only the R2 methods used here are required (AuditBucket), so tests can pass doubles; this file
 * uses no Workers-only types.
 */

export interface AuditPutOptions {
  httpMetadata?: { contentType?: string }
  customMetadata?: Record<string, string>
}

export interface AuditObject {
  key: string
  size: number
  uploaded: Date
  customMetadata?: Record<string, string>
}

export interface AuditBucket {
  put(key: string, value: ArrayBuffer | ArrayBufferView | string, options?: AuditPutOptions): Promise<unknown>
  get(
    key: string,
  ): Promise<
    (AuditObject & { arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } }) | null
  >
  list(options?: {
    prefix?: string
    cursor?: string
    limit?: number
    include?: ('httpMetadata' | 'customMetadata')[]
  }): Promise<{ objects: AuditObject[]; truncated: boolean; cursor?: string }>
}

/** The sink's settings (wrangler vars, see auditSettings). */
export interface AuditSettings {
  /** request/response bodies in the record: at most this many bytes (AUDIT_BODY_LIMIT, 65536) */
  bodyLimit: number
  /** header values always masked (AUDIT_MASK_HEADERS; "none" masks nothing beyond sanitise*) */
  maskHeaders: string[]
  /** an uploaded file larger than this is not kept (AUDIT_FILE_LIMIT, 1 MiB) */
  fileLimit: number
  /** at most this many bytes of files kept per transaction (AUDIT_FILES_LIMIT, 10 MiB) */
  filesLimit: number
  /** retries of a failed put (3) and the first delay (100 ms, doubling) */
  retries: number
  retryDelayMs: number
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = {
  bodyLimit: 65536,
  maskHeaders: ['Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie'],
  fileLimit: 1048576,
  filesLimit: 10485760,
  retries: 3,
  retryDelayMs: 100,
}

function intVar(v: string | undefined, fallback: number): number {
  if (v === undefined || v.trim() === '') return fallback
  const n = Number(v.trim())
  return Number.isInteger(n) && n >= 0 ? n : fallback
}

/** Settings from the Worker's vars; invalid numbers fall back to the defaults. */
export function auditSettings(vars: {
  AUDIT_BODY_LIMIT?: string
  AUDIT_MASK_HEADERS?: string
  AUDIT_FILE_LIMIT?: string
  AUDIT_FILES_LIMIT?: string
}): AuditSettings {
  const mask = vars.AUDIT_MASK_HEADERS
  return {
    ...DEFAULT_AUDIT_SETTINGS,
    bodyLimit: intVar(vars.AUDIT_BODY_LIMIT, DEFAULT_AUDIT_SETTINGS.bodyLimit),
    fileLimit: intVar(vars.AUDIT_FILE_LIMIT, DEFAULT_AUDIT_SETTINGS.fileLimit),
    filesLimit: intVar(vars.AUDIT_FILES_LIMIT, DEFAULT_AUDIT_SETTINGS.filesLimit),
    maskHeaders:
      mask === undefined
        ? DEFAULT_AUDIT_SETTINGS.maskHeaders
        : mask.trim().toLowerCase() === 'none'
          ? []
          : mask
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
  }
}

/** A unique id for a new transaction: its time and 16 random bytes (keys.ts). */
export function newAuditUniqueId(): string {
  return timedUniqueId(Date.now(), crypto.getRandomValues(new Uint8Array(16)))
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** put with retries; resolves with the last error when every attempt failed, undefined on success */
async function putWithRetry(
  bucket: AuditBucket,
  key: string,
  value: Uint8Array,
  options: AuditPutOptions,
  settings: AuditSettings,
): Promise<{ error: unknown; attempts: number } | undefined> {
  let error: unknown
  const attempts = settings.retries + 1
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(settings.retryDelayMs * 2 ** (i - 1))
    try {
      await bucket.put(key, value, options)
      return undefined
    } catch (e) {
      error = e
    }
  }
  return { error, attempts }
}

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

function errorText(e: unknown): string {
  return logEscape(e instanceof Error ? e.name + ': ' + e.message : String(e))
}

/**
 * After phase 5: write the transaction's record (and kept uploads) when the audit engine says
 * so. Resolves when done; never rejects.
 */
export async function writeAudit(
  tx: Transaction,
  final: FinalResponse,
  bucket: AuditBucket | undefined,
  settings: AuditSettings,
  log: (line: string) => void,
  client: string,
): Promise<void> {
  const s = tx.state
  const id = s.uniqueId
  const fail = (what: string): void =>
    log('[client ' + client + '] edge-waf: ' + what + ' [unique_id "' + logEscape(id) + '"]')
  try {
    const decision = auditDecision(tx, final.status)
    if (!decision.write) return
    if (bucket === undefined) {
      fail('audit record not written: no AUDIT (R2) binding')
      return
    }
    const key = auditKey(id, s.startMs)
    const config = s.program.config

    // uploaded files first, so the record can say where each one is
    const files = new Map<number, { stored?: string; notStored?: string }>()
    const mp = s.bodyResult?.multipart
    if (mp !== undefined && mp.files.length > 0 && keepUploads(tx, decision.relevant)) {
      let total = 0
      for (let i = 0; i < mp.files.length; i++) {
        const f = mp.files[i]
        if (f === undefined) continue
        const n = i + 1
        if (f.content === undefined) files.set(n, { notStored: 'contents not kept by the body processor' })
        else if (f.content.length > settings.fileLimit)
          files.set(n, { notStored: 'over AUDIT_FILE_LIMIT (' + settings.fileLimit + ' bytes)' })
        else if (total + f.content.length > settings.filesLimit)
          files.set(n, { notStored: 'over AUDIT_FILES_LIMIT (' + settings.filesLimit + ' bytes)' })
        else {
          total += f.content.length
          const fkey = auditFileKey(key, n)
          const failed = await putWithRetry(
            bucket,
            fkey,
            binaryToBytes(f.content),
            {
              httpMetadata: { contentType: 'application/octet-stream' },
              customMetadata: {
                kind: 'file',
                id,
                record: key,
                field: cap(logEscape(f.name), 256),
                filename: cap(logEscape(f.filename), 256),
                contentType: cap(logEscape(f.contentType), 128),
              },
            },
            settings,
          )
          if (failed === undefined) files.set(n, { stored: fkey })
          else {
            files.set(n, { notStored: 'write failed' })
            fail(
              'uploaded file not written to R2 after ' +
                failed.attempts +
                ' attempts (' +
                fkey +
                '): ' +
                errorText(failed.error),
            )
          }
        }
      }
    }

    const record = buildAuditRecord(tx, final, {
      bodyLimit: settings.bodyLimit,
      maskHeaders: settings.maskHeaders,
      files,
    })
    const json = config.auditLogFormat === 'JSON'
    const body = json ? new TextEncoder().encode(formatJson(record)) : binaryToBytes(formatNative(record))
    const failed = await putWithRetry(
      bucket,
      key,
      body,
      {
        httpMetadata: { contentType: json ? 'application/json' : 'text/plain; charset=iso-8859-1' },
        customMetadata: recordMetadata(tx, record, config.auditLogFormat),
      },
      settings,
    )
    if (failed !== undefined)
      fail(
        'audit record not written to R2 after ' +
          failed.attempts +
          ' attempts (' +
          key +
          '): ' +
          errorText(failed.error),
      )
  } catch (e) {
    fail('audit record failed: ' + errorText(e))
  }
}

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

/**
 * What the client got, for parts F and E: status and headers now, and for a response the WAF
 * made itself (block page, failure page) its body, read from a clone. Called before the
 * response is handed to the runtime; origin bodies are never cloned (they stream through).
 */
export function finalResponse(res: Response, generated: boolean): Promise<FinalResponse> {
  const headers: [string, string][] = []
  for (const [name, value] of res.headers) headers.push([utf8ToBinary(name), utf8ToBinary(value)])
  if (!generated || res.body === null) return Promise.resolve({ status: res.status, headers })
  return res
    .clone()
    .text()
    .then(
      (text) => ({ status: res.status, headers, generatedBody: utf8ToBinary(text) }),
      () => ({ status: res.status, headers }),
    )
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
