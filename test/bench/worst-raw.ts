/**
 * The worst-case corpus (worst.ts) as ModSecurity sees it: the raw HTTP bytes of a request and a
 * stable key per request. Shared by the recording (record-modsec-worst.mjs) and the comparison
 * (worst-fired.test.ts), so both name and hash the same bytes.
 */
import { createHash } from 'node:crypto'
import type { BenchRequest } from './setup'

/** The request as sent to Apache: request line, the headers as listed, blank line, body (latin1 bytes). */
export function rawWorstRequest(r: BenchRequest): Buffer {
  const q = r.request
  let head = `${q.method} ${q.uri} ${q.protocol}\r\n`
  for (const [n, v] of q.headers) head += `${n}: ${v}\r\n`
  return Buffer.from(head + '\r\n' + (r.body ?? ''), 'latin1')
}

/** sha256 of the request bytes, then (for a case with its own response body) a NUL and that body. */
export function rawWorstSha256(r: BenchRequest): string {
  const h = createHash('sha256').update(rawWorstRequest(r))
  if (r.responseBody !== undefined) h.update('\0' + r.responseBody, 'latin1')
  return h.digest('hex')
}

/** One key per request: its name, and " #2", " #3"... for a name seen before. */
export function worstKeys(cases: readonly BenchRequest[]): string[] {
  const seen = new Map<string, number>()
  const out: string[] = []
  for (const c of cases) {
    const n = (seen.get(c.name) ?? 0) + 1
    seen.set(c.name, n)
    out.push(n === 1 ? c.name : `${c.name} #${n}`)
  }
  return out
}
