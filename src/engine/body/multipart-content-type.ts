import type { BinaryString } from '../bytes'

/**
 * The boundary of a multipart/form-data Content-Type, checked as ModSecurity 2.9.7 checks it
 * (messages and flags recorded in test/vectors/body/multipart.json):
 * - longer than 1024 bytes: "(length)"; not multipart/form-data (any case): "Invalid MIME type.";
 * - the word "boundary" (any case) followed somewhere by '=' more than once: "Multiple boundary
 *   parameters in C-T." (so "boundary=xboundary=y" is rejected);
 * - the parameter itself must be lower case "boundary": "(case sensitivity)" otherwise;
 * - between the media type and "boundary" only whitespace and one ';' (MULTIPART_MISSING_SEMICOLON
 *   when there is none; anything else, e.g. "charset=x; boundary=", is "(malformed)");
 * - whitespace between "boundary" and '=' or right after '=' sets MULTIPART_BOUNDARY_WHITESPACE
 *   (whitespace after '=' stays part of the boundary); other bytes there: "(parameter name)";
 * - the value runs to the end of the header; "..." quoting sets MULTIPART_BOUNDARY_QUOTED, a
 *   lone quote at either end is "(quote)"; it may not contain "boundary=" again ("(content)"),
 *   must use RFC 2046 characters only (letters, digits, space and '()+_,-./:=?) ("(characters)")
 *   and may not be empty ("(empty)").
 */

export interface ContentTypeBoundary {
  /** the boundary, '' when error is set */
  boundary: BinaryString
  /** REQBODY_ERROR_MSG text when the header is rejected ('' when accepted) */
  error: string
  quoted: boolean
  whitespace: boolean
  missingSemicolon: boolean
}

const MIME = 'multipart/form-data'

/** C isspace(): space, \t \n \v \f \r */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d)
}

function asciiLower(s: BinaryString): BinaryString {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c | 0x20) : s[i]
  }
  return out
}

/** How many times "boundary" (any case) occurs with an '=' somewhere after it. */
function countBoundaryParams(s: BinaryString): number {
  const lower = asciiLower(s)
  let count = 0
  let from = 0
  for (;;) {
    const at = lower.indexOf('boundary', from)
    if (at < 0) return count
    from = at + 8
    if (lower.indexOf('=', from) >= 0) count++
  }
}

function isBoundaryChar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true
  // space ' ( ) + , - . / : = ? _
  return (
    c === 0x20 ||
    c === 0x27 ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x2b ||
    c === 0x2c ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x2f ||
    c === 0x3a ||
    c === 0x3d ||
    c === 0x3f ||
    c === 0x5f
  )
}

export function parseBoundary(ct: BinaryString): ContentTypeBoundary {
  const r: ContentTypeBoundary = {
    boundary: '',
    error: '',
    quoted: false,
    whitespace: false,
    missingSemicolon: false,
  }
  const fail = (what: string): ContentTypeBoundary => {
    r.error = `Multipart: ${what}`
    r.boundary = ''
    return r
  }
  if (ct.length > 1024) return fail('Invalid boundary in C-T (length).')
  if (asciiLower(ct.slice(0, MIME.length)) !== MIME) return fail('Invalid MIME type.')
  if (countBoundaryParams(ct) > 1) return fail('Multiple boundary parameters in C-T.')
  const at = ct.indexOf('boundary')
  if (at < 0) {
    if (countBoundaryParams(ct) > 0) return fail('Invalid boundary in C-T (case sensitivity).')
    return fail('Boundary not found in C-T.')
  }
  let semicolon = false
  for (let i = MIME.length; i < at; i++) {
    const c = ct.charCodeAt(i)
    if (isCSpace(c)) continue
    if (!semicolon && c === 0x3b) semicolon = true
    else return fail('Invalid boundary in C-T (malformed).')
  }
  if (!semicolon) r.missingSemicolon = true
  const eq = ct.indexOf('=', at + 8)
  if (eq < 0) return fail('Invalid boundary in C-T (malformed).')
  for (let i = at + 8; i < eq; i++) {
    if (isCSpace(ct.charCodeAt(i))) r.whitespace = true
    else return fail('Invalid boundary in C-T (parameter name).')
  }
  let b = ct.slice(eq + 1)
  if (b.length > 0 && isCSpace(b.charCodeAt(0))) r.whitespace = true
  const len = b.length
  if (len >= 2 && b.charCodeAt(0) === 0x22 && b.charCodeAt(len - 1) === 0x22) {
    b = b.slice(1, len - 1)
    r.quoted = true
  } else if ((len >= 1 && b.charCodeAt(0) === 0x22) || (len >= 2 && b.charCodeAt(len - 1) === 0x22)) {
    return fail('Invalid boundary in C-T (quote).')
  }
  if (countBoundaryParams(b) !== 0) return fail('Invalid boundary in C-T (content).')
  for (let i = 0; i < b.length; i++) {
    if (!isBoundaryChar(b.charCodeAt(i))) return fail('Invalid boundary in C-T (characters).')
  }
  if (b.length === 0) return fail('Invalid boundary in C-T (empty).')
  r.boundary = b
  return r
}
