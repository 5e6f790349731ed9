import type { BinaryString } from '../bytes'

/**
 * The URI variables as ModSecurity 2.9 under Apache 2.4 sees them. Recorded on 2.9.7
 * (test/vectors/variables/request-line.json). In phase 1 REQUEST_FILENAME, REQUEST_URI,
 * REQUEST_BASENAME and the alert's [uri] use the raw path (rawPath below); from phase 2 on
 * (httpd has processed the request) they use the normalised one (filename below):
 * - REQUEST_URI_RAW is the request-target as sent (absolute form included);
 * - QUERY_STRING is the raw text after the first '?' (present but empty for "/?");
 * - REQUEST_FILENAME is the path as Apache hands it over: the absolute form's scheme and
 *   authority dropped, dot segments resolved, repeated slashes merged, then %HH decoded
 *   ("/a%20b/./c//d" -> "/a b/c/d"); '+' stays '+';
 * - REQUEST_URI is REQUEST_FILENAME + "?" + the raw query string when there is a '?';
 * - REQUEST_BASENAME is what follows the last '/' or '\' of REQUEST_FILENAME.
 * Apache refuses some targets before ModSecurity runs (400 for '#', ".." above the root,
 * invalid %-sequences; 404 for %2F and %00). At the edge we still compute values for them:
 * invalid %-sequences are kept, %2F decodes to '/', ".." never climbs above '/'. That is a
 * documented deviation (v2 would not have run its rules at all).
 */
export interface UriParts {
  /** path as sent (no query, no fragment, no scheme/authority) */
  rawPath: BinaryString
  /** undefined when the target has no '?' */
  query: BinaryString | undefined
  /** REQUEST_FILENAME */
  filename: BinaryString
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const l = c | 0x20
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10
  return -1
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e
  )
}

/** %HH decoding; with onlyUnreserved, only bytes that are RFC 3986 unreserved are decoded. */
export function percentDecode(s: BinaryString, onlyUnreserved: boolean): BinaryString {
  let i = s.indexOf('%')
  if (i < 0) return s
  let out = s.slice(0, i)
  let run = i
  const n = s.length
  while (i < n) {
    if (s.charCodeAt(i) === 0x25 && i + 2 < n) {
      const hi = hexVal(s.charCodeAt(i + 1))
      const lo = hi >= 0 ? hexVal(s.charCodeAt(i + 2)) : -1
      if (lo >= 0) {
        const b = (hi << 4) | lo
        if (!onlyUnreserved || isUnreserved(b)) {
          out += s.slice(run, i) + String.fromCharCode(b)
          i += 3
          run = i
          continue
        }
      }
    }
    i++
  }
  return out + s.slice(run)
}

/** Merge repeated '/' and resolve "." and ".." segments (never above the root). */
export function normalizePath(p: BinaryString): BinaryString {
  if (p.indexOf('//') < 0 && p.indexOf('/.') < 0) return p
  const segs = p.split('/')
  const out: string[] = []
  const last = segs.length - 1
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as string
    if (i === 0) {
      out.push(s)
      continue
    }
    if (s === '' && i !== last) continue
    if (s === '.') {
      if (i === last) out.push('')
      continue
    }
    if (s === '..') {
      if (out.length > 1) out.pop()
      if (i === last) out.push('')
      continue
    }
    out.push(s)
  }
  const r = out.join('/')
  return r === '' ? '/' : r
}

export function parseRequestTarget(target: BinaryString): UriParts {
  let t = target
  const hash = t.indexOf('#')
  if (hash >= 0) t = t.slice(0, hash)
  // absolute form: scheme "://" authority path
  const colon = t.indexOf('://')
  if (colon > 0 && t.charCodeAt(0) !== 0x2f) {
    let schemeOk = true
    for (let i = 0; i < colon; i++) {
      const c = t.charCodeAt(i) | 0x20
      if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) {
        schemeOk = false
        break
      }
    }
    if (schemeOk) {
      const rest = t.slice(colon + 3)
      let end = rest.length
      for (let i = 0; i < rest.length; i++) {
        const c = rest.charCodeAt(i)
        if (c === 0x2f || c === 0x3f) {
          end = i
          break
        }
      }
      t = rest.slice(end)
      if (t === '' || t.charCodeAt(0) === 0x3f) t = '/' + t
    }
  }
  const q = t.indexOf('?')
  const rawPath = q >= 0 ? t.slice(0, q) : t
  const query = q >= 0 ? t.slice(q + 1) : undefined
  const filename = percentDecode(normalizePath(percentDecode(rawPath, true)), false)
  return { rawPath, query, filename }
}

/** file_basename: what follows the last '/' or '\'. */
export function basename(path: BinaryString): BinaryString {
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path.charCodeAt(i)
    if (c === 0x2f || c === 0x5c) return path.slice(i + 1)
  }
  return path
}
