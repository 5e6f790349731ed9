import type { BinaryString } from '../bytes'

/**
 * Byte-level helpers for the XML processor: encodings, character checks, references.
 * The document is a binary string of UTF-8 bytes (after an optional Latin-1 conversion).
 */

/** Latin-1 bytes -> UTF-8 bytes (libxml2 converts a document declared ISO-8859-1 this way) */
export function latin1ToUtf8(s: BinaryString): BinaryString {
  let out = ''
  let run = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    out += s.slice(run, i) + String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    run = i + 1
  }
  return run === 0 ? s : out + s.slice(run)
}

/** code point -> UTF-8 bytes */
export function utf8Of(cp: number): BinaryString {
  if (cp < 0x80) return String.fromCharCode(cp)
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
  if (cp < 0x10000)
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
  return String.fromCharCode(
    0xf0 | (cp >> 18),
    0x80 | ((cp >> 12) & 0x3f),
    0x80 | ((cp >> 6) & 0x3f),
    0x80 | (cp & 0x3f),
  )
}

/** XML 1.0 Char production */
export function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d
  if (cp <= 0xd7ff) return true
  if (cp < 0xe000) return false
  if (cp <= 0xfffd) return true
  return cp >= 0x10000 && cp <= 0x10ffff
}

/**
 * Strict UTF-8 decoding check over the whole document, and every character must be an XML
 * Char (libxml2 rejects invalid UTF-8, NUL and other control characters).
 */
export function validUtf8XmlChars(s: BinaryString): boolean {
  const n = s.length
  let i = 0
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false
      i++
      continue
    }
    let need: number
    let cp: number
    let min: number
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1
      cp = c & 0x1f
      min = 0x80
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2
      cp = c & 0x0f
      min = 0x800
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      cp = c & 0x07
      min = 0x10000
    } else return false
    if (i + need >= n) return false
    for (let k = 1; k <= need; k++) {
      const d = s.charCodeAt(i + k)
      if (d >> 6 !== 0x02) return false
      cp = (cp << 6) | (d & 0x3f)
    }
    if (cp < min || !isXmlChar(cp)) return false
    i += need + 1
  }
  return true
}

const CR_RUN = /\r\n?/g

/** \r\n and lone \r -> \n (XML end-of-line handling) */
export function normalizeNewlines(s: BinaryString): BinaryString {
  if (s.indexOf('\r') < 0) return s
  return s.replace(CR_RUN, '\n')
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e
}

/** end of the Name starting at p, or p when there is none (non-ASCII bytes are accepted as name characters) */
export function nameEnd(s: BinaryString, p: number): number {
  if (p >= s.length || !isNameStart(s.charCodeAt(p))) return p
  let q = p + 1
  while (q < s.length && isNameChar(s.charCodeAt(q))) q++
  return q
}

export function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}

export function skipSpace(s: BinaryString, p: number): number {
  while (p < s.length && isXmlSpace(s.charCodeAt(p))) p++
  return p
}

export const PREDEFINED: Record<string, BinaryString> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' }

/** A character reference body ("#65", "#x41") -> UTF-8 bytes, or undefined when invalid. */
const HEX_REF = /^#x[0-9a-fA-F]{1,8}$/
const DEC_REF = /^#[0-9]{1,10}$/

export function charRef(ref: string): BinaryString | undefined {
  let cp: number
  if (HEX_REF.test(ref)) cp = parseInt(ref.slice(2), 16)
  else if (DEC_REF.test(ref)) cp = parseInt(ref.slice(1), 10)
  else return undefined
  return isXmlChar(cp) ? utf8Of(cp) : undefined
}
