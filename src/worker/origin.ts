import type { Env } from './env'
import type { Inbound } from './inbound'

/**
 * Where the inspected request goes:
 * - ORIGIN_URL set: that base URL + the request's path and query ("https://o.example/base" and
 *   "/a?b" give "https://o.example/base/a?b");
 * - otherwise the request's own URL: on a Cloudflare route a subrequest to the zone's own
 *   hostname goes to the zone's origin (fetch(request) semantics).
 */
export function originUrl(inbound: Inbound, env: Env): string {
  const base = env.ORIGIN_URL
  if (base === undefined || base.trim() === '') return inbound.url.origin + inbound.target
  const b = new URL(base.trim())
  const path = b.pathname.endsWith('/') ? b.pathname.slice(0, -1) : b.pathname
  return b.origin + path + inbound.target
}

export type OutboundBody = Uint8Array | ReadableStream<Uint8Array> | null

/** the inspected header list as the origin gets it: without Host when ORIGIN_URL names the origin */
export function forwardHeaders(inbound: Inbound, env: Env): Headers {
  if (env.ORIGIN_URL === undefined || env.ORIGIN_URL.trim() === '') return inbound.headers
  const h = new Headers(inbound.headers)
  h.delete('host')
  return h
}

/**
 * A request to `url` with the inspected method, headers and body. Redirects are the client's
 * business (redirect: 'manual'), as with fetch(request).
 *
 * GET and HEAD may carry a body on the wire, and the rules inspect it, but the Request
 * constructor refuses such a body given as bytes or a stream; it keeps the body of a Request it
 * copies. So for GET/HEAD with a body, `source` is the client's request (or a clone of it taken
 * before the WAF read the body) and the outbound request is copied from it with our headers:
 * the same bytes the WAF inspected.
 */
export function outboundRequest(
  url: string,
  method: string,
  headers: Headers,
  body: OutboundBody,
  source: Request | undefined,
): Request {
  if (source !== undefined && (method === 'GET' || method === 'HEAD')) {
    return new Request(new Request(url, source), { headers, redirect: 'manual' })
  }
  let b = body
  if (
    b instanceof Uint8Array &&
    b.length === 0 &&
    (headers.get('content-length') === null || method === 'GET' || method === 'HEAD')
  )
    b = null
  return new Request(url, { method, headers, body: b, redirect: 'manual' })
}

/**
 * The request the origin receives: the inspected method, target, header list and body bytes.
 * With ORIGIN_URL the Host header is the origin's (the runtime sets it from the URL; Cloudflare
 * does not let a Worker send another zone a foreign Host), the one difference from the
 * inspected request; without ORIGIN_URL the URL, and so the Host, is the client's.
 */
export function originRequest(inbound: Inbound, body: OutboundBody, env: Env, source?: Request): Request {
  return outboundRequest(originUrl(inbound, env), inbound.method, forwardHeaders(inbound, env), body, source)
}
