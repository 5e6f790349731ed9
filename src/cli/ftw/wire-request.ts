/**
 * The bytes go-ftw writes to the socket for a test input (runner/run.go getRequestFromTest and
 * ftwhttp/request.go BuildRequest), as a binary string:
 *
 *  - encoded_request: the base64-decoded bytes, verbatim (nothing added); else the deprecated
 *    raw_request: its text, verbatim (test/types.go GetRawRequest);
 *  - otherwise `METHOD SP URI SP VERSION CRLF` (defaults GET, /, HTTP/1.1), the headers - a YAML
 *    header map is sent sorted by name (NewHeaderFromMap) - CRLF, then the body:
 *    - `data` goes through Go's text/template first (go-template.ts), `encoded_data` is base64;
 *    - with autocomplete_headers (default true) and a non-empty body: Content-Type
 *      application/x-www-form-urlencoded is added when absent, and a urlencoded body that is not
 *      encoded yet is encoded key by key (go-url.ts);
 *    - when a Content-Type contains "multipart/form-data;", every LF of the body becomes CRLF
 *      (also with autocomplete_headers false; an existing CRLF becomes CR CR LF, as in go-ftw);
 *    - with autocomplete_headers: `Connection: close` when there is no Connection header, and
 *      `Content-Length: <len>` when there is none and the body is not empty or the method
 *      matches go-ftw's /^POST|PUT|PATCH|DELETE$/ (sic: the anchors bind to POST and DELETE only).
 *
 * YAML text is Unicode; Go strings are its UTF-8 bytes, so every field is sent UTF-8 encoded.
 */
import { Buffer } from 'node:buffer'
import { GoHeaderList } from './go-header'
import { goFtwEncodeFormData } from './go-url'
import { expandGoTemplate } from './go-template'
import type { FtwInput } from './types'
import { FtwFormatError } from './yaml-values'

/** UTF-8 bytes of a JS string, as a binary string */
export function utf8Bytes(s: string): string {
  // fast path: ASCII text is its own UTF-8
  if (/^[\x00-\x7f]*$/.test(s)) return s
  return Buffer.from(s, 'utf8').toString('latin1')
}

/** Go's base64.StdEncoding.DecodeString (CR and LF are ignored; anything else invalid is an error) */
export function decodeBase64Strict(s: string, where: string): string {
  const clean = s.replace(/[\r\n]/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new FtwFormatError(`${where}: invalid base64`)
  }
  return Buffer.from(clean, 'base64').toString('latin1')
}

const METHODS_WITH_BODY = /^POST|PUT|PATCH|DELETE$/

/** Go's sort.Strings order: byte-wise on the UTF-8 encoding */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function buildWireRequest(input: FtwInput, where: string): string {
  if (input.encodedRequest !== undefined) {
    return decodeBase64Strict(input.encodedRequest, `${where} encoded_request`)
  }
  if (input.rawRequest !== undefined) return utf8Bytes(input.rawRequest)

  const method = utf8Bytes(input.method ?? 'GET')
  const uri = utf8Bytes(input.uri ?? '/')
  const version = utf8Bytes(input.version ?? 'HTTP/1.1')

  const headers = new GoHeaderList()
  const given = (input.headers ?? []).map(([n, v]) => [utf8Bytes(n), utf8Bytes(v)] as [string, string])
  given.sort((a, b) => compareBytes(a[0], b[0]))
  for (const [n, v] of given) headers.add(n, v)

  let data = ''
  if (input.data !== undefined) data = utf8Bytes(expandGoTemplate(input.data, `${where} data`))
  else if (input.encodedData !== undefined)
    data = decodeBase64Strict(input.encodedData, `${where} encoded_data`)

  if (data.length > 0 && input.autocompleteHeaders) {
    if (!headers.hasAny('Content-Type')) headers.add('Content-Type', 'application/x-www-form-urlencoded')
    if (headers.hasAnyValue('Content-Type', 'application/x-www-form-urlencoded'))
      data = goFtwEncodeFormData(data)
  }
  if (headers.hasAnyValueContaining('Content-Type', 'multipart/form-data;'))
    data = data.replace(/\n/g, '\r\n')
  if (input.autocompleteHeaders) {
    if (!headers.hasAny('Connection')) headers.add('Connection', 'close')
    if (!headers.hasAny('Content-Length') && (data.length > 0 || METHODS_WITH_BODY.test(method))) {
      headers.add('Content-Length', String(data.length))
    }
  }

  let wire = method + ' ' + uri + ' ' + version + '\r\n'
  for (const [n, v] of headers.entries) wire += n + ': ' + v + '\r\n'
  return wire + '\r\n' + data
}
