import type { BinaryString } from '../bytes'

/**
 * Content-Disposition of one multipart part, parsed as ModSecurity 2.9.7 does. The result code
 * is v2's: 1 = accepted, negative = rejected; v2 writes it into REQBODY_ERROR_MSG as
 * "Invalid Content-Disposition header (<code>): <value>." Codes:
 *   -1 value does not start with "form-data" (case-sensitive)
 *   -2 something other than ';' after "form-data"
 *   -3 whitespace after ';' then end           -4 parameter name runs to the end
 *   -5 whitespace after the name then end      -13 no '=' after the name
 *   -6 nothing after '='                       -7 opening quote at the end
 *   -8 backslash at the end of a quoted value  -10 unterminated quoted value
 *   -11 a parameter other than name/filename (filename*= included)
 *   -14 second name=                            -15 second filename=
 *   -12 something other than ';' after a value
 * Quoted values use " or ' (a ' sets MULTIPART_INVALID_QUOTING); inside, a backslash escapes
 * the quote or a backslash, any other backslash is kept. Unquoted values are RFC 2616 tokens.
 * `lastName` / `lastFilename` (MULTIPART_NAME / MULTIPART_FILENAME) are updated for every
 * name= / filename= seen, even when the header is rejected afterwards (as v2 does).
 */

export interface DispositionState {
  name: BinaryString | undefined
  filename: BinaryString | undefined
  invalidQuoting: boolean
  lastName: BinaryString | undefined
  lastFilename: BinaryString | undefined
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09
}

/** RFC 2616 token characters */
function isTokenChar(c: number): boolean {
  if (c < 0x21 || c > 0x7e) return false
  switch (c) {
    case 0x28: // ( ) < > @ , ; : \ " / [ ] ? = { }
    case 0x29:
    case 0x3c:
    case 0x3e:
    case 0x40:
    case 0x2c:
    case 0x3b:
    case 0x3a:
    case 0x5c:
    case 0x22:
    case 0x2f:
    case 0x5b:
    case 0x5d:
    case 0x3f:
    case 0x3d:
    case 0x7b:
    case 0x7d:
      return false
    default:
      return true
  }
}

export function parseDisposition(v: BinaryString, st: DispositionState): number {
  if (!v.startsWith('form-data')) return -1
  const n = v.length
  let p = 9
  while (p < n && isWs(v.charCodeAt(p))) p++
  if (p === n) return 1
  if (v.charCodeAt(p) !== 0x3b) return -2
  p++
  while (p < n) {
    while (p < n && isWs(v.charCodeAt(p))) p++
    if (p === n) return -3
    const nameStart = p
    while (p < n) {
      const c = v.charCodeAt(p)
      if (c === 0x3d || isWs(c)) break
      p++
    }
    if (p === n) return -4
    const pname = v.slice(nameStart, p)
    while (p < n && isWs(v.charCodeAt(p))) p++
    if (p === n) return -5
    if (v.charCodeAt(p) !== 0x3d) return -13
    p++
    while (p < n && isWs(v.charCodeAt(p))) p++
    if (p === n) return -6
    let value = ''
    const q = v.charCodeAt(p)
    if (q === 0x22 || q === 0x27) {
      if (q === 0x27) st.invalidQuoting = true
      p++
      if (p === n) return -7
      let closed = false
      let run = p
      while (p < n) {
        const c = v.charCodeAt(p)
        if (c === 0x5c) {
          if (p + 1 === n) return -8
          const d = v.charCodeAt(p + 1)
          if (d === q || d === 0x5c) {
            value += v.slice(run, p)
            p++
            run = p
          }
          p++
        } else if (c === q) {
          closed = true
          break
        } else p++
      }
      if (!closed) return -10
      value += v.slice(run, p)
      p++
    } else {
      const start = p
      while (p < n && isTokenChar(v.charCodeAt(p))) p++
      value = v.slice(start, p)
    }
    if (pname === 'name') {
      st.lastName = value
      if (st.name !== undefined) return -14
      st.name = value
    } else if (pname === 'filename') {
      st.lastFilename = value
      if (st.filename !== undefined) return -15
      st.filename = value
    } else return -11
    if (p < n) {
      while (p < n && isWs(v.charCodeAt(p))) p++
      if (p === n) return 1
      if (v.charCodeAt(p) !== 0x3b) return -12
      p++
    }
  }
  return 1
}
