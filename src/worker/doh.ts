import type { DnsResolver } from '../engine/index'

/**
 * The engine's DnsResolver (@rbl) for the Worker: DNS-over-HTTPS with the JSON API
 * (`GET <url>?name=<name>&type=A`, `accept: application/dns-json`; Cloudflare's and Google's
 * resolvers speak it), a timeout, and a cache per isolate that keeps each answer for its TTL.
 *
 * - NOERROR: the A records of the Answer section, in order ([] when there is none); kept for the
 *   smallest TTL among them. NXDOMAIN: [] (not listed), kept for the negative TTL (the SOA
 *   record's TTL in the Authority section, else DEFAULT_NEGATIVE_TTL). TTLs are capped at
 *   MAX_TTL so a delisting shows within that time.
 * - Anything else (HTTP error, SERVFAIL/REFUSED, malformed JSON, timeout, network error) is a
 *   failed lookup (undefined: the engine sets TX:RBL_LOOKUP_FAILED), kept for FAILURE_TTL so an
 *   unreachable resolver costs one timeout per name every few seconds, not one per request.
 * - A miss is one query per Worker request (one transaction asks once per name; in-flight
 *   queries are not shared between requests). Never rejects.
 *
 * Latency: a cached name costs nothing; a miss costs one HTTPS round trip from the edge to the
 * resolver (typically a few ms to Cloudflare's 1.1.1.1 from a Cloudflare location), at most the
 * timeout, during which the request's phase waits.
 */

export const DEFAULT_DOH_URL = 'https://cloudflare-dns.com/dns-query'
export const DEFAULT_TIMEOUT_MS = 1000
/** seconds an NXDOMAIN/NODATA answer is kept when the resolver gives no SOA TTL */
export const DEFAULT_NEGATIVE_TTL = 60
/** seconds: no answer is kept longer */
export const MAX_TTL = 3600
/** seconds a failed lookup is kept */
export const FAILURE_TTL = 5
/** names kept per isolate; the oldest entries go first */
export const MAX_ENTRIES = 10000

/** The part of `fetch` the client uses (injected in tests). */
export type FetchLike = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ ok: boolean; json(): Promise<unknown> }>

export interface DohOptions {
  /** DoH endpoint (JSON API); default DEFAULT_DOH_URL */
  url?: string
  /** per query, including reading the answer; default DEFAULT_TIMEOUT_MS */
  timeoutMs?: number
  fetch?: FetchLike
  /** milliseconds since the epoch; default Date.now */
  now?: () => number
  maxEntries?: number
}

type Answer = readonly string[] | undefined

interface Entry {
  answer: Answer
  /** ms since the epoch */
  expires: number
}

export class DohResolver implements DnsResolver {
  url: string
  timeoutMs: number
  private readonly fetch: FetchLike
  private readonly now: () => number
  private readonly maxEntries: number
  private readonly cache = new Map<string, Entry>()
  /** queries sent (tests, ops) */
  queries = 0

  constructor(options: DohOptions = {}) {
    this.url = options.url ?? DEFAULT_DOH_URL
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init))
    this.now = options.now ?? Date.now
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES
  }

  /**
   * Apply the Worker's variables (DOH_URL, DOH_TIMEOUT_MS; unset or invalid: the defaults). Called
   * per request (env is only known there); cheap, and the cache is kept unless the URL changes.
   */
  configure(env: DohEnv): void {
    const url = env.DOH_URL !== undefined && env.DOH_URL.trim() !== '' ? env.DOH_URL.trim() : DEFAULT_DOH_URL
    const t = env.DOH_TIMEOUT_MS === undefined ? NaN : Number(env.DOH_TIMEOUT_MS)
    this.timeoutMs = Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS
    if (url !== this.url) {
      this.url = url
      this.cache.clear()
    }
  }

  resolveA(name: string): Promise<Answer> {
    const key = name.toLowerCase()
    const hit = this.cache.get(key)
    if (hit !== undefined) {
      if (hit.expires > this.now()) return Promise.resolve(hit.answer)
      this.cache.delete(key)
    }
    // no sharing of in-flight queries: workerd ties I/O and its promises to the request that
    // started it, so a query another request is waiting for could be cancelled under it
    return this.query(key).then((r) => {
      this.remember(key, r.answer, r.ttl)
      return r.answer
    })
  }

  private remember(key: string, answer: Answer, ttl: number): void {
    if (!(ttl > 0)) return
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next()
      if (oldest.done !== true) this.cache.delete(oldest.value)
    }
    this.cache.set(key, { answer, expires: this.now() + Math.min(ttl, MAX_TTL) * 1000 })
  }

  private async query(name: string): Promise<{ answer: Answer; ttl: number }> {
    this.queries++
    const ctrl = new AbortController()
    const timer = setTimeout(() => ctrl.abort(), this.timeoutMs)
    try {
      const sep = this.url.includes('?') ? '&' : '?'
      const res = await this.fetch(`${this.url}${sep}name=${encodeURIComponent(name)}&type=A`, {
        method: 'GET',
        headers: { accept: 'application/dns-json' },
        signal: ctrl.signal,
      })
      if (!res.ok) return FAILED
      return parseDnsJson(await res.json())
    } catch {
      return FAILED
    } finally {
      clearTimeout(timer)
    }
  }
}

const FAILED = { answer: undefined, ttl: FAILURE_TTL }

/** A DoH JSON answer (RFC 8427-like, as Cloudflare and Google send it) -> answer and TTL. */
export function parseDnsJson(body: unknown): { answer: Answer; ttl: number } {
  if (body === null || typeof body !== 'object') return FAILED
  const b = body as { Status?: unknown; Answer?: unknown; Authority?: unknown }
  if (b.Status === 3) return { answer: [], ttl: negativeTtl(b.Authority) }
  if (b.Status !== 0) return FAILED
  const out: string[] = []
  let ttl = Infinity
  if (Array.isArray(b.Answer)) {
    for (const rr of b.Answer as unknown[]) {
      if (rr === null || typeof rr !== 'object') continue
      const r = rr as { type?: unknown; data?: unknown; TTL?: unknown }
      if (r.type !== 1 || typeof r.data !== 'string' || !DOTTED_QUAD.test(r.data)) continue
      out.push(r.data)
      if (typeof r.TTL === 'number' && r.TTL < ttl) ttl = r.TTL
    }
  }
  if (out.length === 0) return { answer: out, ttl: negativeTtl(b.Authority) }
  return { answer: out, ttl: ttl === Infinity ? DEFAULT_NEGATIVE_TTL : ttl }
}

const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/

/** RFC 2308: the SOA record's TTL in the Authority section (type 6), else the default. */
function negativeTtl(authority: unknown): number {
  if (Array.isArray(authority)) {
    for (const rr of authority as unknown[]) {
      if (rr === null || typeof rr !== 'object') continue
      const r = rr as { type?: unknown; TTL?: unknown }
      if (r.type === 6 && typeof r.TTL === 'number') return r.TTL
    }
  }
  return DEFAULT_NEGATIVE_TTL
}

/** The Worker variables of the DoH client (see README, Configuration). */
export interface DohEnv {
  /** DoH endpoint (JSON API), default https://cloudflare-dns.com/dns-query */
  DOH_URL?: string
  /** query timeout in milliseconds, default 1000 */
  DOH_TIMEOUT_MS?: string
}
