import type { BinaryString } from '../bytes'
import { asciiLower } from '../log-escape'

/**
 * Request headers as ModSecurity 2.9 receives them from Apache 2.4: repeated header names are
 * merged into the first occurrence (its spelling and position kept), values joined with ", "
 * (recorded on 2.9.7: "X-A: 1" + "x-a: 2" is REQUEST_HEADERS:X-A = "1, 2" and
 * &REQUEST_HEADERS:X-A = 1). Cookie headers merge the same way before cookie parsing.
 */
export function mergeHeaders(
  headers: ReadonlyArray<readonly [BinaryString, BinaryString]>,
): [BinaryString, BinaryString][] {
  const out: [BinaryString, BinaryString][] = []
  const n = headers.length
  // few headers (the usual case): pairwise comparison, nothing folded; many: a folded index
  let index: Map<string, number> | undefined
  if (n > 16) index = new Map()
  for (let i = 0; i < n; i++) {
    const h = headers[i]
    if (h === undefined) continue
    let at: number | undefined
    if (index !== undefined) {
      const f = asciiLower(h[0])
      at = index.get(f)
      if (at === undefined) index.set(f, out.length)
    } else {
      for (let k = 0; k < out.length && at === undefined; k++)
        if (equalsIgnoringCase((out[k] as [string, string])[0], h[0])) at = k
    }
    if (at === undefined) out.push([h[0], h[1]])
    else {
      const e = out[at]
      if (e !== undefined) e[1] = e[1] + ', ' + h[1]
    }
  }
  return out
}

/** ASCII case-insensitive equality (never folds Latin-1), without building folded copies. */
export function equalsIgnoringCase(a: string, b: string): boolean {
  const n = a.length
  if (n !== b.length) return false
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0x41 && x <= 0x5a) x |= 0x20
    if (y >= 0x41 && y <= 0x5a) y |= 0x20
    if (x !== y) return false
  }
  return true
}

/** First header value by case-insensitive name (on the merged list); `fname` is lower case. */
export function headerValue(
  headers: ReadonlyArray<readonly [string, string]>,
  fname: string,
): string | undefined {
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]
    if (h !== undefined && equalsIgnoringCase(h[0], fname)) return h[1]
  }
  return undefined
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d)
}

/**
 * Version 0 cookies (SecCookieFormat 0, the default). Recorded on 2.9.7 (vectors
 * REQUEST_COOKIES.json): the header is split on ';' (on ',' instead when it has no ';' and its
 * first ',' is followed by a space); empty pieces are skipped; leading whitespace of each piece
 * is dropped; the name runs to the first '='; nothing else is trimmed ("b = 2 " is name "b "
 * with value " 2 "); a piece without '=' is a cookie with an empty value; an empty name is
 * ignored; quotes are kept.
 */
export function parseCookiesV0(header: BinaryString, out: [BinaryString, BinaryString][]): void {
  let sep = 0x3b
  if (header.indexOf(';') < 0) {
    const comma = header.indexOf(',')
    if (comma >= 0 && header.charCodeAt(comma + 1) === 0x20) sep = 0x2c
  }
  const n = header.length
  let start = 0
  for (let i = 0; i <= n; i++) {
    if (i < n && header.charCodeAt(i) !== sep) continue
    if (i > start) {
      let a = start
      while (a < i && isSpace(header.charCodeAt(a))) a++
      const piece = header.slice(a, i)
      const eq = piece.indexOf('=')
      const name = eq >= 0 ? piece.slice(0, eq) : piece
      if (name.length > 0) out.push([name, eq >= 0 ? piece.slice(eq + 1) : ''])
    }
    start = i + 1
  }
}

/**
 * Version 1 cookies (SecCookieFormat 1): name=value pairs separated by ';' or ',', whitespace
 * trimmed around names and unquoted values, "quoted" values unquoted, and $Path-style
 * attributes renamed $<cookie>_<attr> after the cookie they follow (v2 msc_parsers.c).
 */
export function parseCookiesV1(header: BinaryString, out: [BinaryString, BinaryString][]): void {
  const n = header.length
  let p = 0
  let prev: string | undefined
  while (p < n) {
    while (p < n && isSpace(header.charCodeAt(p))) p++
    const ns = p
    while (p < n) {
      const c = header.charCodeAt(p)
      if (c === 0x3d || c === 0x3b || c === 0x2c) break
      p++
    }
    let name = header.slice(ns, p)
    let value: string | undefined
    if (p < n && header.charCodeAt(p) === 0x3d) {
      p++
      while (p < n && isSpace(header.charCodeAt(p))) p++
      if (p < n) {
        if (header.charCodeAt(p) === 0x22) {
          p++
          const vs = p
          while (p < n && header.charCodeAt(p) !== 0x22) p++
          if (p > vs || p < n) value = header.slice(vs, p)
          if (p < n) p++
        } else {
          const vs = p
          while (p < n && header.charCodeAt(p) !== 0x2c && header.charCodeAt(p) !== 0x3b) p++
          let ve = p
          while (ve > vs && isSpace(header.charCodeAt(ve - 1))) ve--
          value = header.slice(vs, ve)
          if (p < n) p++
        }
      }
    } else if (p < n) p++
    let ne = name.length
    while (ne > 0 && isSpace(name.charCodeAt(ne - 1))) ne--
    name = name.slice(0, ne)
    if (name.length > 0) {
      if (name.charCodeAt(0) === 0x24 && prev !== undefined) name = '$' + prev + '_' + name.slice(1)
      out.push([name, value ?? ''])
      if (name.charCodeAt(0) !== 0x24) prev = name
    }
    while (p < n) {
      const c = header.charCodeAt(p)
      if (c === 0x2c || c === 0x3b || isSpace(c)) p++
      else break
    }
  }
}

/** SERVER_NAME: the Host header without its port, ASCII lower case (Apache, UseCanonicalName Off). */
export function hostWithoutPort(host: string): string {
  let h = host.trim()
  if (h.startsWith('[')) {
    const end = h.indexOf(']')
    if (end > 0) h = h.slice(0, end + 1)
  } else {
    const colon = h.lastIndexOf(':')
    if (colon >= 0 && h.indexOf(':') === colon) h = h.slice(0, colon)
  }
  return asciiLower(h)
}
