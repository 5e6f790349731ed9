import type { BinaryString } from './bytes'

/**
 * ModSecurity 2.9's escaping for log output and variable names (msc_util.c log_escape family),
 * plus the ASCII-only case fold used for case-insensitive keys. Facts, not code, carried over:
 * - log_escape / log_escape_ex escape `"` as `\"`; the `_nq` variants leave quotes alone;
 *   both write \b \n \r \t \v \\ as two-char escapes and any other byte <= 0x1f or >= 0x7f as
 *   \xHH (lower-case hex);
 * - log_escape_hex (used for [data "..."]) writes `"`, `\`, bytes <= 0x1f and >= 0x7f as \xHH.
 * The engine's only implementation: alert lines, operator messages (operators/log-escape.ts
 * re-exports it), body processor error messages (e.g. "Multipart: Invalid boundary: --XB \r\n",
 * recorded in test/vectors/body/multipart.json) and the Worker's log lines use it.
 */

const HEX = '0123456789abcdef'

function needsEscape(c: number, quotes: boolean): boolean {
  return c <= 0x1f || c >= 0x7f || c === 0x5c || (quotes && c === 0x22)
}

function escapeChar(c: number, quotes: boolean): string {
  switch (c) {
    case 0x22:
      return quotes ? '\\"' : '"'
    case 0x08:
      return '\\b'
    case 0x0a:
      return '\\n'
    case 0x0d:
      return '\\r'
    case 0x09:
      return '\\t'
    case 0x0b:
      return '\\v'
    case 0x5c:
      return '\\\\'
    default:
      return '\\x' + HEX.charAt((c >> 4) & 0xf) + HEX.charAt(c & 0xf)
  }
}

function escapeWith(s: BinaryString, quotes: boolean): string {
  let i = 0
  const n = s.length
  while (i < n && !needsEscape(s.charCodeAt(i), quotes)) i++
  if (i === n) return s
  let out = s.slice(0, i)
  let run = i
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (needsEscape(c, quotes)) {
      out += s.slice(run, i) + escapeChar(c & 0xff, quotes)
      run = i + 1
    }
  }
  return out + s.slice(run)
}

/** log_escape / log_escape_ex: quotes escaped. */
export function logEscape(s: BinaryString): string {
  return escapeWith(s, true)
}

/** log_escape_nq / log_escape_nq_ex: quotes kept (variable names, setvar names). */
export function logEscapeNq(s: BinaryString): string {
  return escapeWith(s, false)
}

function isPlain(c: number): boolean {
  return c > 0x1f && c < 0x7f && c !== 0x22 && c !== 0x5c
}

/** log_escape_hex: the [data "..."] field. */
export function logEscapeHex(s: BinaryString): string {
  let i = 0
  const n = s.length
  while (i < n && isPlain(s.charCodeAt(i))) i++
  if (i === n) return s
  let out = s.slice(0, i)
  let run = i
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (!isPlain(c)) {
      out += s.slice(run, i) + '\\x' + HEX.charAt((c >> 4) & 0xf) + HEX.charAt(c & 0xf)
      run = i + 1
    }
  }
  return out + s.slice(run)
}

/** ASCII-only lower case (never folds Latin-1); returns the input when nothing changes. */
export function asciiLower(s: string): string {
  let i = 0
  const n = s.length
  let high = false
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x41 && c <= 0x5a) break
    if (c > 0x7f) high = true
  }
  if (i === n) return s
  if (!high) {
    let j = i + 1
    while (j < n && s.charCodeAt(j) < 0x80) j++
    // ASCII only: toLowerCase folds exactly A-Z here, in one allocation (the loop below builds
    // a string per character)
    if (j === n) return s.toLowerCase()
  }
  let out = s.slice(0, i)
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c | 0x20) : s.charAt(i)
  }
  return out
}

/** C atoi: optional leading whitespace, optional sign, decimal digits; anything else stops. 32-bit wrap. */
export function atoi(s: string): number {
  let i = 0
  const n = s.length
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) i++
    else break
  }
  let neg = false
  if (i < n) {
    const c = s.charCodeAt(i)
    if (c === 0x2d || c === 0x2b) {
      neg = c === 0x2d
      i++
    }
  }
  let v = 0
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) break
    v = v * 10 + (c - 0x30)
    if (v > 0xffffffffff) v = v % 0x100000000
  }
  return (neg ? -v : v) | 0
}
