import type { EngineRequest } from '../engine/index'
import { geoRecordFromEdge, utf8ToBinary } from '../engine/index'

/**
 * The request as the WAF inspects it and as the origin will receive it. It is built once from
 * the runtime's Request; the engine request and the forwarded request both derive from these
 * fields, so the WAF and the origin never see different requests.
 *
 * What workerd hands over (measured, see the README "The Worker"):
 * - request.url is already normalised (dot segments removed, `\` -> `/`, non-ASCII
 *   percent-encoded) and there is no raw request line: the request-target is rebuilt from it;
 * - header names are lower case, repeated headers arrive joined with ", ", iteration order is
 *   sorted by name; values are UTF-8-decoded text, re-encoded here to their bytes;
 * - Cloudflare replaces the client's Accept-Encoding (it negotiates compression itself) and
 *   keeps the client's value in request.cf.clientAcceptEncoding: we restore the client's value
 *   (or remove the header when the client sent none), in the inspected AND the forwarded request;
 * - workerd passes both Content-Length and Transfer-Encoding on when a client sends both (and
 *   reads the body as chunked): we drop Content-Length, as RFC 9112 6.3 requires of an
 *   intermediary and as httpd does before ModSecurity sees the request (a request-smuggling
 *   pattern must not reach the origin).
 */
export interface Inbound {
  method: string
  /** absolute URL as the runtime gives it */
  url: URL
  /** origin-form request-target: path + "?" + query (no fragment) */
  target: string
  headers: Headers
  /** the engine's request; body is filled in later, only when the rules read it */
  engine: EngineRequest
}

/** Request.cf fields we read (all optional: absent in tests and local runs without metadata) */
interface CfMeta {
  httpProtocol?: unknown
  clientAcceptEncoding?: unknown
  country?: unknown
  continent?: unknown
  region?: unknown
  regionCode?: unknown
  city?: unknown
  postalCode?: unknown
  latitude?: unknown
  longitude?: unknown
  metroCode?: unknown
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function strOrNum(v: unknown): string | number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined
}

/**
 * REQUEST_PROTOCOL. Cloudflare reports "HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"; Apache
 * (mod_http2) names HTTP/2 "HTTP/2.0", which is what rules written for v2 expect.
 */
export function protocolOf(cf: CfMeta | undefined): string {
  const p = cf === undefined ? undefined : str(cf.httpProtocol)
  if (p === undefined || p === '') return 'HTTP/1.1'
  if (/^HTTP\/[0-9]$/.test(p)) return p + '.0'
  return p
}

/** path + query of an absolute URL as serialised (keeps a bare "?"; drops the fragment) */
export function requestTarget(url: URL): string {
  let href = url.href
  const hash = href.indexOf('#')
  if (hash >= 0) href = href.slice(0, hash)
  const origin = url.protocol + '//' + url.host
  return href.startsWith(origin) ? href.slice(origin.length) || '/' : url.pathname + url.search
}

export function buildInbound(request: Request): Inbound {
  const url = new URL(request.url)
  const cf = (request as { cf?: CfMeta }).cf
  const headers = new Headers(request.headers)
  if (cf !== undefined && typeof cf.clientAcceptEncoding === 'string') {
    if (cf.clientAcceptEncoding === '') headers.delete('accept-encoding')
    else headers.set('accept-encoding', cf.clientAcceptEncoding)
  }
  if (headers.has('transfer-encoding')) headers.delete('content-length')
  const pairs: [string, string][] = []
  for (const [name, value] of headers) pairs.push([utf8ToBinary(name), utf8ToBinary(value)])
  const target = requestTarget(url)
  const client = headers.get('cf-connecting-ip')
  const engine: EngineRequest = {
    method: utf8ToBinary(request.method),
    uri: utf8ToBinary(target),
    protocol: protocolOf(cf),
    headers: pairs,
    clientAddress: client !== null && client !== '' ? client : '127.0.0.1',
    // a Worker does not learn the client's port nor the address the client connected to
    clientPort: 0,
    serverAddress: '0.0.0.0',
    serverPort: url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  }
  if (cf !== undefined && (cf.country !== undefined || cf.city !== undefined)) {
    engine.geo = geoRecordFromEdge({
      country: str(cf.country),
      continent: str(cf.continent),
      region: str(cf.region),
      regionCode: str(cf.regionCode),
      city: str(cf.city),
      postalCode: str(cf.postalCode),
      latitude: strOrNum(cf.latitude),
      longitude: strOrNum(cf.longitude),
      metroCode: strOrNum(cf.metroCode),
    })
  }
  return { method: request.method, url, target, headers, engine }
}
