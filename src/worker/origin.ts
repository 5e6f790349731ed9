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

/**
 * The request the origin receives: the inspected method, target, header list and body bytes.
 * Redirects are the client's business (redirect: 'manual'), as with fetch(request). With
 * ORIGIN_URL the Host header is the origin's (the runtime sets it from the URL; Cloudflare does
 * not let a Worker send another zone a foreign Host), the one difference from the inspected
 * request; without ORIGIN_URL the URL, and so the Host, is the client's.
 */
export function originRequest(
  inbound: Inbound,
  body: Uint8Array | ReadableStream<Uint8Array> | null,
  env: Env,
): Request {
  let b = body
  if (b instanceof Uint8Array && b.length === 0 && inbound.headers.get('content-length') === null) b = null
  if ((inbound.method === 'GET' || inbound.method === 'HEAD') && b instanceof Uint8Array && b.length === 0)
    b = null
  return new Request(originUrl(inbound, env), {
    method: inbound.method,
    headers: inbound.headers,
    body: b,
    redirect: 'manual',
  })
}
