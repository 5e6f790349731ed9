/**
 * The HTTP/1.x front end of the runner: turns the bytes go-ftw would send into the engine's
 * neutral request, the way httpd 2.4 hands a request to ModSecurity 2.9 in the CRS test setup.
 *
 * It rejects (answers without running the engine) only what RFC 9112 tells every HTTP/1.1
 * server to reject, which httpd does and so does any front end a Worker sits behind:
 *  - a request line that is not `token SP target SP HTTP/D.D` (RFC 9112 3; 400);
 *  - a bare CR (RFC 9112 2.2; 400), a header line without a colon (400);
 *  - body framing it cannot determine (RFC 9112 6.3): an invalid Content-Length (400), a
 *    chunked body that does not parse (400), a transfer coding other than chunked (501).
 * httpd's own further checks (HTTP/0.x spelled out, Host values, ':' or '#' in the target...)
 * are not reproduced: those tests are listed in the overrides file with their reason.
 *
 * What it reproduces from httpd because the rules see it:
 *  - blank lines before the request line are skipped; lines end at LF, a CR before it is dropped;
 *  - a request line without a protocol is HTTP/0.9: no header block is read and the answer has
 *    no status line (go-ftw reports an error for it);
 *  - header values lose the white space around them; obs-fold continuation lines are joined
 *    with a space;
 *  - repeated headers are merged into the first one, values joined with ", "
 *    (apr_table_compress with APR_OVERLAP_TABLES_MERGE; the CRS test 920620-1 relies on it);
 *  - Transfer-Encoding: chunked is decoded and Content-Length is removed from the headers;
 *  - without Content-Length and Transfer-Encoding there is no body (the bytes are left unread);
 *    a Content-Length larger than what was sent yields the bytes that were sent.
 */
import type { EngineRequest } from '../../engine/request'
import { asciiLower } from './go-header'

export type FrontResult =
  | { kind: 'request'; request: EngineRequest; http09: boolean }
  | { kind: 'reject'; status: number; reason: string }

export interface Endpoint {
  clientAddress: string
  clientPort: number
  serverAddress: string
  serverPort: number
}

function reject(status: number, reason: string): FrontResult {
  return { kind: 'reject', status, reason }
}

/** next line from `pos`: [line without CR LF, position after the LF] (the rest when there is no LF) */
function readLine(wire: string, pos: number): [string, number] {
  const lf = wire.indexOf('\n', pos)
  const end = lf < 0 ? wire.length : lf
  let line = wire.slice(pos, end)
  if (line.endsWith('\r')) line = line.slice(0, -1)
  return [line, lf < 0 ? wire.length : lf + 1]
}

/** ASCII white space only (see the request line) */
function trimOws(s: string): string {
  return s.replace(/^[ \t\v\f]+/, '').replace(/[ \t\v\f\r\n]+$/, '')
}

/** RFC 9112 7.1 chunked body; undefined when it does not parse */
export function decodeChunked(body: string): string | undefined {
  let out = ''
  let pos = 0
  for (;;) {
    const [sizeLine, next] = readLine(body, pos)
    if (next > body.length || (next === body.length && !body.endsWith('\n'))) return undefined
    const m = /^([0-9a-fA-F]+)[ \t]*(;.*)?$/.exec(sizeLine)
    if (m === null) return undefined
    const size = parseInt(m[1] as string, 16)
    pos = next
    if (size === 0) return out // trailers, if any, are not part of the body
    if (pos + size > body.length) return undefined
    out += body.slice(pos, pos + size)
    pos += size
    const [rest, after] = readLine(body, pos)
    if (rest !== '') return undefined
    pos = after
  }
}

export function parseWireRequest(wire: string, ep: Endpoint): FrontResult {
  let pos = 0
  let requestLine = ''
  while (pos < wire.length) {
    ;[requestLine, pos] = readLine(wire, pos)
    if (requestLine !== '') break
  }
  if (requestLine === '') return reject(400, 'empty request')

  // RFC 9112 3: method SP request-target SP HTTP-version, single spaces, the method a token,
  // the version HTTP/DIGIT.DIGIT; anything else is answered 400 (httpd does; so does any
  // front end a Worker sits behind). A line ending after the target (no version) is HTTP/0.9.
  // Character classes are ASCII: a binary string holds bytes, and JavaScript's \s would match 0xA0.
  if (requestLine.includes('\r')) return reject(400, 'bare CR in the request line')
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([^ \t\v\f]+)(?: (.*))?$/.exec(requestLine)
  if (m === null)
    return reject(400, `request line is not "method SP target SP version": ${JSON.stringify(requestLine)}`)
  const method = m[1] as string
  const uri = m[2] as string
  const protocol = m[3] ?? ''
  if (protocol !== '' && !/^HTTP\/[0-9]\.[0-9]$/.test(protocol)) {
    return reject(400, `invalid HTTP-version ${JSON.stringify(protocol)}`)
  }
  const http09 = protocol === ''
  const base = {
    method,
    uri,
    clientAddress: ep.clientAddress,
    clientPort: ep.clientPort,
    serverAddress: ep.serverAddress,
    serverPort: ep.serverPort,
  }
  if (http09) {
    return { kind: 'request', http09: true, request: { ...base, protocol: 'HTTP/0.9', headers: [] } }
  }

  const headers: [string, string][] = []
  let endOfHeaders = false
  while (pos < wire.length) {
    const [line, next] = readLine(wire, pos)
    pos = next
    if (line === '') {
      endOfHeaders = true
      break
    }
    // RFC 9112 2.2: a bare CR must be rejected or replaced; httpd rejects
    if (line.includes('\r')) return reject(400, `bare CR in header line ${JSON.stringify(line)}`)
    const last = headers[headers.length - 1]
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last[1] = trimOws(last[1] + ' ' + trimOws(line))
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) return reject(400, `header line without a name and colon: ${JSON.stringify(line)}`)
    headers.push([line.slice(0, colon).replace(/[ \t]+$/, ''), trimOws(line.slice(colon + 1))])
  }

  // merge repeated headers into the first occurrence (httpd's apr_table_compress)
  const merged: [string, string][] = []
  const byName = new Map<string, [string, string]>()
  for (const h of headers) {
    const k = asciiLower(h[0])
    const first = byName.get(k)
    if (first !== undefined) first[1] = first[1] + ', ' + h[1]
    else {
      const e: [string, string] = [h[0], h[1]]
      byName.set(k, e)
      merged.push(e)
    }
  }

  const rest = endOfHeaders ? wire.slice(pos) : ''
  let body: string | undefined
  const te = byName.get('transfer-encoding')
  const cl = byName.get('content-length')
  let finalHeaders = merged
  if (te !== undefined) {
    const codings = asciiLower(te[1])
      .split(',')
      .map((s) => trimOws(s))
    if (
      codings[codings.length - 1] !== 'chunked' ||
      codings.some((c) => c !== 'chunked' && c !== 'identity')
    ) {
      return reject(501, `unsupported transfer coding ${JSON.stringify(te[1])}`)
    }
    const decoded = decodeChunked(rest)
    if (decoded === undefined) return reject(400, 'chunked body does not parse')
    body = decoded
    // httpd drops Content-Length when the body is chunked (RFC 9112 6.3)
    if (cl !== undefined) finalHeaders = merged.filter((h) => h !== cl)
  } else if (cl !== undefined) {
    if (!/^\d+$/.test(cl[1])) return reject(400, `invalid Content-Length ${JSON.stringify(cl[1])}`)
    const n = Number(cl[1])
    body = rest.slice(0, n)
  }

  const request: EngineRequest = { ...base, protocol, headers: finalHeaders }
  if (body !== undefined && body.length > 0) request.body = body
  return { kind: 'request', http09: false, request }
}
