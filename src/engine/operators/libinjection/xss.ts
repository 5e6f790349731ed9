import { h5Init, h5Next } from './html5'
import {
  H5_ATTR_NAME,
  H5_ATTR_VALUE,
  H5_DOCTYPE,
  H5_START_DATA,
  H5_START_VALUE_BACK_QUOTE,
  H5_TAG_COMMENT,
  H5_TAG_NAME_OPEN,
  Html5State,
  scanUntil,
  scanWhile,
} from './html5-state'
import { BLACK_ATTRS, BLACK_TAGS } from './xss-data'

/**
 * Our implementation of libinjection's XSS detection (libinjection_xss() of libinjection 3.9.2,
 * as embedded in ModSecurity 2.9.7). The input is tokenized as HTML five times (starting as
 * text, then inside an unquoted, '-, "- and `-quoted attribute value); it is XSS when a token
 * is a DOCTYPE, a blacklisted tag, an on* / blacklisted attribute, a URL attribute whose value
 * is a javascript:/data:/vbscript:/view-source: URL, or a suspicious comment.
 */

// Attribute kinds (libinjection's attribute_t)
const ATTR_NONE = 0
const ATTR_BLACK = 1
const ATTR_URL = 2
const ATTR_STYLE = 3
const ATTR_INDIRECT = 4

const h5 = new Html5State()

/**
 * libinjection's cstrcasecmp_with_null: s[start, start+n), NUL bytes skipped and a-z
 * upper-cased, equals `upper`.
 */
function equalsIgnoringNul(upper: string, s: string, start: number, n: number): boolean {
  let i = 0
  for (let k = 0; k < n; k++) {
    let c = s.charCodeAt(start + k)
    if (c === 0) continue
    if (c >= 0x61 && c <= 0x7a) c -= 0x20
    if (i >= upper.length || upper.charCodeAt(i) !== c) return false
    i++
  }
  return i === upper.length
}

function lowerIs(c: number, lower: number): boolean {
  return c === lower || c === lower - 0x20
}

/**
 * The blacklists bucketed by their first letter: a name can only equal (NULs skipped, case
 * ignored) the entries that start with its first non-NUL byte, upper-cased. Entry i of a bucket
 * keeps the list's order; values are indexes into the list.
 */
function buckets(names: readonly string[]): (readonly number[])[] {
  const out: number[][] = Array.from({ length: 256 }, () => [])
  for (let i = 0; i < names.length; i++) out[(names[i] ?? '').charCodeAt(0)]?.push(i)
  return out
}
const TAG_BUCKETS = buckets(BLACK_TAGS)
const ATTR_BUCKETS = buckets(BLACK_ATTRS.map((e) => e[0]))
const NUL_SET = new Uint8Array(256)
NUL_SET[0] = 1

/** the entries of `bucketsOf` that s[start, start+len) may equal: by its first non-NUL byte, upper-cased */
function candidates(
  bucketsOf: (readonly number[])[],
  s: string,
  start: number,
  len: number,
): readonly number[] {
  const end = start + len
  const p = scanWhile(s, start, end, NUL_SET)
  if (p >= end) return NO_CANDIDATES
  let c = s.charCodeAt(p)
  if (c >= 0x61 && c <= 0x7a) c -= 0x20
  return bucketsOf[c] ?? NO_CANDIDATES
}
const NO_CANDIDATES: readonly number[] = []

function isBlackTag(s: string, start: number, len: number): boolean {
  if (len < 3) return false
  const list = candidates(TAG_BUCKETS, s, start, len)
  for (let i = 0; i < list.length; i++) {
    if (equalsIgnoringNul(BLACK_TAGS[list[i] ?? 0] ?? '', s, start, len)) return true
  }
  const c0 = s.charCodeAt(start)
  const c1 = s.charCodeAt(start + 1)
  const c2 = s.charCodeAt(start + 2)
  if (lowerIs(c0, 0x73) && lowerIs(c1, 0x76) && lowerIs(c2, 0x67)) return true // svg*
  return lowerIs(c0, 0x78) && lowerIs(c1, 0x73) && lowerIs(c2, 0x6c) // xsl*
}

function blackAttr(s: string, start: number, len: number): number {
  if (len < 2) return ATTR_NONE
  if (len >= 5) {
    if (lowerIs(s.charCodeAt(start), 0x6f) && lowerIs(s.charCodeAt(start + 1), 0x6e)) return ATTR_BLACK // on*
    if (equalsIgnoringNul('XMLNS', s, start, 5) || equalsIgnoringNul('XLINK', s, start, 5)) return ATTR_BLACK
  }
  const list = candidates(ATTR_BUCKETS, s, start, len)
  for (let i = 0; i < list.length; i++) {
    const entry = BLACK_ATTRS[list[i] ?? 0]
    if (entry !== undefined && equalsIgnoringNul(entry[0], s, start, len)) return entry[1]
  }
  return ATTR_NONE
}

const HEX_VALUE = new Int16Array(256).fill(256)
for (let c = 0; c < 10; c++) HEX_VALUE[0x30 + c] = c
for (let c = 0; c < 6; c++) HEX_VALUE[0x41 + c] = HEX_VALUE[0x61 + c] = 10 + c

/** byte at i; 0 past the end (the C string's NUL terminator) */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0
}

/** bytes consumed by the last decodeCharAt() */
let consumed = 0

/**
 * libinjection's html_decode_char_at: the char at p, decoding &#dd; and &#xhh; references
 * (`n` bytes remain in the token; like the C code, the two bytes after "&#" are read even
 * past the token, and `consumed` may then exceed n).
 */
function decodeCharAt(s: string, p: number, n: number): number {
  consumed = 1
  const c = at(s, p)
  if (c !== 0x26 || n < 2) return c
  if (at(s, p + 1) !== 0x23) return 0x26
  let val: number
  let i: number
  const x = at(s, p + 2)
  const hex = x === 0x78 || x === 0x58
  if (hex) {
    val = HEX_VALUE[at(s, p + 3)] ?? 256
    if (val === 256) return 0x26
    i = 4
  } else {
    if (x < 0x30 || x > 0x39) return 0x26
    val = x - 0x30
    i = 3
  }
  for (; i < n; i++) {
    const ch = at(s, p + i)
    if (ch === 0x3b) {
      consumed = i + 1
      return val
    }
    const d = hex ? (HEX_VALUE[ch] ?? 256) : ch >= 0x30 && ch <= 0x39 ? ch - 0x30 : 256
    if (d === 256) {
      consumed = i
      return val
    }
    val = val * (hex ? 16 : 10) + d
    if (val > 0x1000ff) return 0x26
  }
  consumed = i
  return val
}

/**
 * libinjection's htmlencode_startswith: does the token (HTML-decoded, leading whitespace and
 * controls skipped, NUL and \n ignored, ASCII case-insensitive) start with `upper`?
 */
function htmlStartsWith(upper: string, s: string, p: number, n: number): boolean {
  let i = 0
  let first = true
  for (;;) {
    if (n <= 0) return i === upper.length
    if (i === upper.length) return true
    let c = decodeCharAt(s, p, n)
    p += consumed
    if (consumed > n) {
      // the C size_t underflows: it keeps reading the input after the token, up to its NUL
      n = s.length + 1 - p
      if (n <= 0) return i === upper.length
    } else n -= consumed
    if (first && c <= 32) continue
    first = false
    if (c === 0 || c === 10) continue
    if (c >= 0x61 && c <= 0x7a) c -= 0x20
    if (upper.charCodeAt(i) !== (c & 0xff)) return false // compared as a C char
    i++
  }
}

/** first i in [from, to) of a printable ASCII byte, or `to`: libinjection skips whitespace, controls and (signed char) high bytes before a URL */
function skipToPrintable(s: string, from: number, to: number): number {
  while (from < to) {
    const c = s.charCodeAt(from)
    if (c > 32 && c < 127) return from
    from++
  }
  return to
}

/**
 * The first byte htmlStartsWith() would compare (decoded, upper-cased, as a C char), -1 when it
 * would compare none: a URL can only start with the prefixes that start with that byte.
 */
function firstCompared(s: string, p: number, n: number): number {
  let first = true
  for (;;) {
    if (n <= 0) return -1
    const c = decodeCharAt(s, p, n)
    p += consumed
    if (consumed > n) {
      n = s.length + 1 - p
      if (n <= 0) return -1
    } else n -= consumed
    if (first && c <= 32) continue
    first = false
    if (c === 0 || c === 10) continue
    return (c >= 0x61 && c <= 0x7a ? c - 0x20 : c) & 0xff
  }
}

function isBlackUrl(s: string, start: number, len: number): boolean {
  const p = skipToPrintable(s, start, start + len)
  const n = len - (p - start)
  const c = firstCompared(s, p, n)
  if (c === 0x44) return htmlStartsWith('DATA', s, p, n)
  if (c === 0x56) return htmlStartsWith('VIEW-SOURCE', s, p, n) || htmlStartsWith('VBSCRIPT', s, p, n)
  return c === 0x4a && htmlStartsWith('JAVA', s, p, n)
}

const TICK = new Uint8Array(256)
TICK[0x60] = 1

function isXssComment(s: string, start: number, len: number): boolean {
  if (scanUntil(s, start, start + len, TICK) < start + len) return true // IE: ` ends a tag
  if (len > 3) {
    const c0 = s.charCodeAt(start)
    const c1 = s.charCodeAt(start + 1)
    const c2 = s.charCodeAt(start + 2)
    if (c0 === 0x5b && lowerIs(c1, 0x69) && lowerIs(c2, 0x66)) return true // [if: IE conditional comment
    if (lowerIs(c0, 0x78) && lowerIs(c1, 0x6d) && lowerIs(c2, 0x6c)) return true // xml
  }
  if (len > 5) {
    if (equalsIgnoringNul('IMPORT', s, start, 6)) return true // <?import
    if (equalsIgnoringNul('ENTITY', s, start, 6)) return true // <!ENTITY
  }
  return false
}

/** the kind of the last attribute name, for the value that follows it (one pass) */
let attr = ATTR_NONE

/** One token of a pass (h5): true when it makes the input XSS. */
function isXssToken(s: string): boolean {
  const type = h5.tokenType
  const start = h5.tokenStart
  const len = h5.tokenLen
  if (type === H5_ATTR_VALUE) {
    const kind = attr
    attr = ATTR_NONE
    if (kind === ATTR_NONE) return false
    if (kind === ATTR_BLACK || kind === ATTR_STYLE) return true
    if (kind === ATTR_URL) return isBlackUrl(s, start, len)
    return kind === ATTR_INDIRECT && blackAttr(s, start, len) !== ATTR_NONE
  }
  attr = ATTR_NONE
  if (type === H5_ATTR_NAME) {
    attr = blackAttr(s, start, len)
    return false
  }
  if (type === H5_TAG_NAME_OPEN) return isBlackTag(s, start, len)
  if (type === H5_TAG_COMMENT) return isXssComment(s, start, len)
  return type === H5_DOCTYPE
}

/** the token loop of a pass (a loop function with nothing after it: see html5-state.ts) */
function anyXssToken(s: string): boolean {
  while (h5Next(h5)) if (isXssToken(s)) return true
  return false
}

/** libinjection_is_xss: one pass, tokenizing from the given start context */
export function isXssFrom(s: string, context: number): boolean {
  h5Init(h5, s, context)
  attr = ATTR_NONE
  return anyXssToken(s)
}

/**
 * libinjection_xss(): true when the binary string `s` is XSS.
 *
 * Quick answer first: without '<' and '=' no context can flag the input. A tag, comment or
 * doctype token needs '<'; an attribute value after an attribute name needs '=' (attrName and
 * afterAttrName are the only ways into S_BEFORE_ATTR_VALUE), and the value a VALUE_* context
 * starts in has no attribute name before it, so it never flags. Checked by fuzzing in
 * test/unit/engine/operators/libinjection/xss-quick.test.ts.
 */
export function detectXss(s: string): boolean {
  if (s.indexOf('<') < 0 && s.indexOf('=') < 0) return false
  for (let context = H5_START_DATA; context <= H5_START_VALUE_BACK_QUOTE; context++) {
    if (isXssFrom(s, context)) return true
  }
  return false
}
