import type { BinaryString } from '../bytes'
import { asciiLower } from '../log-escape'

/**
 * Masking for the audit record (ModSecurity 2.9 sec_audit_logger, recorded on 2.9.7):
 * - a masked value has every byte replaced by '*' (the raw, still %-encoded bytes in the
 *   request line and in a urlencoded body: "q1=a%20b" becomes "q1=*****");
 * - arguments (sanitiseArg, sanitiseMatched on ARGS / ARGS_GET / ARGS_POST) are masked in the
 *   query string of the request line (part B), in a URLENCODED request body (part C) and in
 *   the multipart form fields (part I); as in v2 other bodies (JSON, XML, raw) are written
 *   as received and multipart part C is not masked;
 * - request headers (sanitiseRequestHeader, sanitiseMatched on REQUEST_HEADERS) in part B,
 *   response headers (sanitiseResponseHeader, sanitiseMatched on RESPONSE_HEADERS) in part F,
 *   the whole value;
 * - names compare case-insensitively (v2 uses strcasecmp / APR tables).
 * Difference from v2: v2 masks the arguments that exist when the action runs (a phase 1
 * sanitiseArg does not reach body arguments; sanitiseMatched masks the one matched instance);
 * we mask, when the record is written, every argument of that name. That masks at least what v2
 * masks, never less. sanitiseMatchedBytes masks the whole value, as 2.9.7 does for @rx matches
 * (recorded: "bytes=a2222b" with sanitiseMatchedBytes and with sanitiseMatchedBytes:1/2 both
 * become "bytes=******").
 */
export interface MaskSets {
  /** argument names, ASCII lower case */
  args: Set<string>
  requestHeaders: Set<string>
  responseHeaders: Set<string>
  /**
   * The header names listed in part H (Sanitised-Request-Headers / -Response-Headers): v2 lists
   * the names the sanitise actions gave, present in the message or not (recorded: a phase 1
   * sanitiseResponseHeader:Content-Type is listed for a response without Content-Type).
   */
  requestHeaderNames: string[]
  responseHeaderNames: string[]
  /** the always-masked names (listed in part H only when such a header was there) */
  always: Set<string>
}

/** Collect the names from the transaction's sanitise* requests and the always-masked headers. */
export function maskSets(
  sanitize: {
    args: readonly string[]
    matched: readonly string[]
    requestHeaders: readonly string[]
    responseHeaders: readonly string[]
  },
  alwaysHeaders: readonly string[],
): MaskSets {
  const sets: MaskSets = {
    args: new Set(),
    requestHeaders: new Set(),
    responseHeaders: new Set(),
    requestHeaderNames: [],
    responseHeaderNames: [],
    always: new Set(),
  }
  for (const n of sanitize.args) sets.args.add(asciiLower(n))
  for (const n of sanitize.requestHeaders) {
    sets.requestHeaders.add(asciiLower(n))
    sets.requestHeaderNames.push(n)
  }
  for (const n of sanitize.responseHeaders) {
    sets.responseHeaders.add(asciiLower(n))
    sets.responseHeaderNames.push(n)
  }
  // sanitiseMatched: the variable decides what is masked (v2 handles ARGS*, REQUEST_HEADERS and
  // RESPONSE_HEADERS; anything else is not masked)
  for (const full of sanitize.matched) {
    const colon = full.indexOf(':')
    if (colon < 0) continue
    const v = full.slice(0, colon)
    const name = full.slice(colon + 1)
    const key = asciiLower(name)
    if (v === 'ARGS' || v === 'ARGS_GET' || v === 'ARGS_POST') sets.args.add(key)
    else if (v === 'REQUEST_HEADERS') {
      sets.requestHeaders.add(key)
      sets.requestHeaderNames.push(name)
    } else if (v === 'RESPONSE_HEADERS') {
      sets.responseHeaders.add(key)
      sets.responseHeaderNames.push(name)
    }
  }
  for (const n of alwaysHeaders) {
    const l = asciiLower(n.trim())
    if (l !== '') sets.always.add(l)
  }
  return sets
}

export function stars(n: number): string {
  return '*'.repeat(n)
}

/**
 * Mask the values of headers named in `names` or `always`. `listed` is the part H list: the
 * sanitise names (given), plus each always-masked header that was present and not named
 * already.
 */
export function maskHeaders(
  headers: ReadonlyArray<readonly [BinaryString, BinaryString]>,
  names: Set<string>,
  always: Set<string>,
  listed: string[],
): [BinaryString, BinaryString][] {
  const out: [BinaryString, BinaryString][] = []
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i] as readonly [BinaryString, BinaryString]
    const l = names.size > 0 || always.size > 0 ? asciiLower(h[0]) : ''
    if (names.has(l)) out.push([h[0], stars(h[1].length)])
    else if (always.has(l)) {
      out.push([h[0], stars(h[1].length)])
      listed.push(h[0])
    } else out.push([h[0], h[1]])
  }
  return out
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const l = c | 0x20
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10
  return -1
}

/** urlencoded name decoding ('+' and %HH; invalid sequences kept), as the argument parser does */
function decodeName(s: BinaryString, start: number, end: number): BinaryString {
  let out = ''
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x2b) out += ' '
    else if (c === 0x25 && i + 2 < end) {
      const hi = hexVal(s.charCodeAt(i + 1))
      const lo = hexVal(s.charCodeAt(i + 2))
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode((hi << 4) | lo)
        i += 2
      } else out += '%'
    } else out += s.charAt(i)
  }
  return out
}

/**
 * Mask the values of the named arguments in urlencoded text (a query string or a URLENCODED
 * body), keeping every other byte. The decoded names of masked arguments go to `masked`.
 */
export function maskUrlencoded(
  text: BinaryString,
  separator: string,
  names: Set<string>,
  masked: string[],
): BinaryString {
  if (names.size === 0 || text === '') return text
  const sep = separator.length > 0 ? separator.charCodeAt(0) : 0x26
  let out = ''
  let start = 0
  const n = text.length
  for (let i = 0; i <= n; i++) {
    if (i < n && text.charCodeAt(i) !== sep) continue
    let eq = -1
    for (let j = start; j < i; j++) {
      if (text.charCodeAt(j) === 0x3d) {
        eq = j
        break
      }
    }
    const nameEnd = eq < 0 ? i : eq
    const name = decodeName(text, start, nameEnd)
    if (eq >= 0 && names.has(asciiLower(name))) {
      out += text.slice(start, eq + 1) + stars(i - eq - 1)
      masked.push(name)
    } else out += text.slice(start, i)
    if (i < n) out += text.charAt(i)
    start = i + 1
  }
  return out
}

/** The request line with the query string's sanitised arguments masked. */
export function maskRequestLine(
  method: BinaryString,
  uri: BinaryString,
  protocol: string,
  separator: string,
  names: Set<string>,
  masked: string[],
): BinaryString {
  let target = uri
  const q = uri.indexOf('?')
  if (q >= 0 && names.size > 0) {
    const hash = uri.indexOf('#', q)
    const end = hash < 0 ? uri.length : hash
    target =
      uri.slice(0, q + 1) + maskUrlencoded(uri.slice(q + 1, end), separator, names, masked) + uri.slice(end)
  }
  return method + ' ' + target + ' ' + protocol
}

function keep(c: number): boolean {
  // ModSecurity's strnurlencat keeps '*', digits and letters; a space becomes '+'
  return c === 0x2a || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

const HEX = '0123456789abcdef'

/** strnurlencat: what part I uses to rebuild multipart fields as urlencoded text (lower-case hex). */
export function urlencodeForAudit(s: BinaryString): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff
    if (c === 0x20) out += '+'
    else if (keep(c)) out += s.charAt(i)
    else out += '%' + HEX.charAt(c >> 4) + HEX.charAt(c & 15)
  }
  return out
}

/**
 * Part I for a multipart body: the form fields (not the files) as "name=value&..." with
 * strnurlencat encoding; values of sanitised names become '*' per byte (recorded on 2.9.7:
 * `g=a+b%2fc%3a%e9*%7e%2d%2e%5f%21&s+s=secret&s=*******`).
 */
export function multipartFields(
  fields: ReadonlyArray<readonly [BinaryString, BinaryString]>,
  names: Set<string>,
  masked: string[],
): string {
  let out = ''
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as readonly [BinaryString, BinaryString]
    if (i > 0) out += '&'
    let v = f[1]
    if (names.size > 0 && names.has(asciiLower(f[0]))) {
      v = stars(v.length)
      masked.push(f[0])
    }
    out += urlencodeForAudit(f[0]) + '=' + urlencodeForAudit(v)
  }
  return out
}
