/**
 * The origin of the CRS test setup, simulated in process: albedo (the backend CRS's go-ftw
 * setup proxies to), as its server/server.go behaves behind Go's net/http:
 *
 *  - `POST /reflect` (or /reflect/): the request body is a JSON reflection spec
 *    {"status": int, "headers": {name: value}, "body": "text", "encodedBody": "base64",
 *    "logMessage": "..."}; unknown fields are ignored. The response has that status (0 or
 *    absent: 200; 1-99 or >= 600: 400 "Invalid status code: N"), those headers (names
 *    canonicalised by Go) and that body (`body` wins over `encodedBody`). Invalid JSON: 400
 *    "Invalid JSON in request body".
 *  - anything else: 200 with an empty body.
 *
 * Headers net/http adds: Content-Type when the handler set none and the body is not empty
 * (content-sniff.ts), Content-Length, and Date; they are listed in Go's (sorted) order.
 */
import { Buffer } from 'node:buffer'
import type { EngineRequest } from '../../engine/request'
import { canonicalHeaderKey } from './go-header'
import { detectContentType } from './content-sniff'

export interface OriginResponse {
  status: number
  /** binary strings */
  headers: [string, string][]
  /** binary string */
  body: string
}

const FIXED_DATE = 'Mon, 01 Jan 2024 00:00:00 GMT'

function pathOf(uri: string): string {
  let p = uri
  const q = p.indexOf('?')
  if (q >= 0) p = p.slice(0, q)
  // absolute form: http://host/path
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*(\/.*)?$/.exec(p)
  if (abs !== null) p = abs[1] ?? '/'
  return p
}

function respond(status: number, handlerHeaders: [string, string][], body: string): OriginResponse {
  const headers = handlerHeaders.slice()
  const has = (name: string): boolean => headers.some((h) => h[0] === name)
  if (!has('Content-Type') && body.length > 0) headers.push(['Content-Type', detectContentType(body)])
  if (!has('Content-Length')) headers.push(['Content-Length', String(body.length)])
  if (!has('Date')) headers.push(['Date', FIXED_DATE])
  headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return { status, headers, body }
}

function utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1')
}

interface ReflectionSpec {
  status: number
  headers: [string, string][]
  body: string
  encodedBody: string
}

/** Go's json.Unmarshal into albedo's reflectionSpec; undefined when Go would fail */
function parseSpec(bodyBytes: string): ReflectionSpec | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(Buffer.from(bodyBytes, 'latin1').toString('utf8'))
  } catch {
    return undefined
  }
  const spec: ReflectionSpec = { status: 0, headers: [], body: '', encodedBody: '' }
  if (doc === null) return spec
  if (typeof doc !== 'object' || Array.isArray(doc)) return undefined
  const d = doc as Record<string, unknown>
  // Go matches JSON keys to struct tags case-insensitively; null leaves a field unset
  for (const key of Object.keys(d)) {
    const v = d[key]
    const k = key.toLowerCase()
    if (v === null) continue
    if (k === 'status') {
      if (typeof v !== 'number' || !Number.isInteger(v)) return undefined
      spec.status = v
    } else if (k === 'headers') {
      if (typeof v !== 'object' || Array.isArray(v)) return undefined
      for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
        if (typeof value !== 'string') return undefined
        spec.headers.push([utf8(canonicalHeaderKey(name)), utf8(value)])
      }
    } else if (k === 'body' || k === 'encodedbody' || k === 'logmessage') {
      if (typeof v !== 'string') return undefined
      if (k === 'body') spec.body = utf8(v)
      else if (k === 'encodedbody') spec.encodedBody = v
    }
  }
  return spec
}

export function albedoRespond(request: EngineRequest): OriginResponse {
  const path = pathOf(request.uri)
  if (request.method === 'POST' && (path === '/reflect' || path === '/reflect/')) {
    const spec = parseSpec(request.body ?? '')
    if (spec === undefined) return respond(400, [], 'Invalid JSON in request body')
    if ((spec.status > 0 && spec.status < 100) || spec.status >= 600) {
      return respond(400, spec.headers, `Invalid status code: ${spec.status}`)
    }
    const status = spec.status === 0 ? 200 : spec.status
    let body = spec.body
    if (body === '' && spec.encodedBody !== '') {
      const clean = spec.encodedBody.replace(/[\r\n]/g, '')
      // the status line is already written when albedo finds the encoding invalid
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
        return respond(status, spec.headers, 'invalid base64 encoding of response body')
      }
      body = Buffer.from(clean, 'base64').toString('latin1')
    }
    return respond(status, spec.headers, body)
  }
  return respond(200, [], '')
}
