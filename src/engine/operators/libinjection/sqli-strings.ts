import { ALPHA, find2, MONEY_NUM, skipNotIn, span, VAR_STOP, WORD_STOP } from './sqli-chars'
import { lookupWord } from './sqli-keywords'
import {
  T_BAREWORD,
  T_FUNCTION,
  T_NONE,
  T_NUMBER,
  T_STRING,
  T_VARIABLE,
  type SqliState,
  type Token,
} from './sqli-token'

/**
 * libinjection's SQL tokenizer: the parsers of quoted strings ('..', "..", E'..', N'..', U&'..',
 * q'[..]', b'01', x'ff', `..`, $$..$$, $tag$..$tag$), words, [bracketed names] and @variables.
 */

/** an odd number of backslashes ends at `end` (going back no further than `start`) */
export function backslashEscaped(s: string, end: number, start: number): boolean {
  return ((end - backslashesBefore(s, end, start)) & 1) === 1
}

/** last i <= end (and >= start - 1) with s[i] not a backslash, or start - 1 */
function backslashesBefore(s: string, end: number, start: number): number {
  while (end >= start && s.charCodeAt(end) === 0x5c) end--
  return end
}

/**
 * A quoted string starting at pos; `offset` bytes are skipped before the content (0 when the
 * input is assumed to start inside a string). Ends at an unescaped, undoubled delimiter.
 */
export function parseStringCore(st: SqliState, pos: number, t: Token, delim: string, offset: number): number {
  const s = st.s
  const slen = st.slen
  const start = pos + offset
  const d = delim.charCodeAt(0)
  let q = s.indexOf(delim, start)
  t.strOpen = offset > 0 ? d : 0
  for (;;) {
    if (q < 0) {
      t.assign(T_STRING, start, s, start, slen - start)
      t.strClose = 0
      return slen
    }
    if (backslashEscaped(s, q - 1, start)) {
      q = s.indexOf(delim, q + 1)
    } else if (q + 1 < slen && s.charCodeAt(q + 1) === d) {
      q = s.indexOf(delim, q + 2)
    } else {
      t.assign(T_STRING, start, s, start, q - start)
      t.strClose = d
      return q + 1
    }
  }
}

export function parseString(st: SqliState): number {
  return parseStringCore(st, st.pos, st.current, st.s.charAt(st.pos), 1)
}

/** E'...' (PostgreSQL escaped string), N'...' (national charset) */
export function parseEstring(st: SqliState): number {
  const p = st.pos
  if (p + 2 >= st.slen || st.s.charCodeAt(p + 1) !== 0x27) return parseWord(st)
  return parseStringCore(st, p, st.current, "'", 2)
}

/** U&'...' */
export function parseUstring(st: SqliState): number {
  const p = st.pos
  const s = st.s
  if (p + 2 < st.slen && s.charCodeAt(p + 1) === 0x26 && s.charCodeAt(p + 2) === 0x27) {
    st.pos += 2
    const end = parseString(st)
    st.current.strOpen = 0x75
    if (st.current.strClose === 0x27) st.current.strClose = 0x75
    return end
  }
  return parseWord(st)
}

/** Oracle q'<delim>...<delim>' strings, at st.pos + offset */
export function parseQstringCore(st: SqliState, offset: number): number {
  const s = st.s
  const slen = st.slen
  const p = st.pos + offset
  const c = s.charCodeAt(p)
  if (p >= slen || (c !== 0x71 && c !== 0x51) || p + 2 >= slen || s.charCodeAt(p + 1) !== 0x27)
    return parseWord(st)
  let ch = s.charCodeAt(p + 2)
  if (ch < 33 || ch >= 0x80) return parseWord(st) // signed char: high bytes are < 33 too
  if (ch === 0x28) ch = 0x29
  else if (ch === 0x5b) ch = 0x5d
  else if (ch === 0x7b) ch = 0x7d
  else if (ch === 0x3c) ch = 0x3e
  const end = find2(s, p + 3, slen, ch, 0x27)
  const t = st.current
  if (end < 0) {
    t.assign(T_STRING, p + 3, s, p + 3, slen - p - 3)
    t.strOpen = 0x71
    t.strClose = 0
    return slen
  }
  t.assign(T_STRING, p + 3, s, p + 3, end - p - 3)
  t.strOpen = 0x71
  t.strClose = 0x71
  return end + 2
}

export function parseNqstring(st: SqliState): number {
  if (st.pos + 2 < st.slen && st.s.charCodeAt(st.pos + 1) === 0x27) return parseEstring(st)
  return parseQstringCore(st, 1)
}

/** b'0101' and x'cafe' literals are numbers */
export function parseLiteralString(st: SqliState, digits: Uint8Array): number {
  const p = st.pos
  const s = st.s
  const slen = st.slen
  if (p + 2 >= slen || s.charCodeAt(p + 1) !== 0x27) return parseWord(st)
  const n = span(s, p + 2, slen, digits)
  if (p + 2 + n >= slen || s.charCodeAt(p + 2 + n) !== 0x27) return parseWord(st)
  st.current.assign(T_NUMBER, p, s, p, n + 3)
  return p + n + 3
}

/** [name] (SQL Server) */
export function parseBword(st: SqliState): number {
  const p = st.pos
  const end = st.s.indexOf(']', p)
  if (end < 0) {
    st.current.assign(T_BAREWORD, p, st.s, p, st.slen - p)
    return st.slen
  }
  st.current.assign(T_BAREWORD, p, st.s, p, end - p + 1)
  return end + 1
}

export function parseWord(st: SqliState): number {
  const p = st.pos
  const s = st.s
  const end = scanWord(s, p, st.slen)
  const wlen = end - p
  const t = st.current
  t.assign(T_BAREWORD, p, s, p, wlen)
  // "SELECT.1", "SELECT`x`": a keyword before '.' or '`' is a token of its own
  const stop = p + t.len
  for (let d = wordDot; d >= 0 && d < stop; d = skipNotIn(s, d + 1, stop, DOT_TICK)) {
    const type = lookupWord(s, p, d - p)
    if (type !== T_NONE && type !== T_BAREWORD) {
      t.assign(type, p, s, p, d - p)
      return d
    }
  }
  if (wlen < 32) {
    const type = lookupWord(s, p, wlen)
    t.type = type === T_NONE ? T_BAREWORD : type
  }
  return end
}

/** `name` (MySQL): a bareword, or a function when the name is one */
export function parseTick(st: SqliState): number {
  const end = parseStringCore(st, st.pos, st.current, '`', 1)
  const t = st.current
  t.type = lookupWord(t.src, t.off, t.len) === T_FUNCTION ? T_FUNCTION : T_BAREWORD
  return end
}

/** @var, @@var, @`var`, @'var' */
export function parseVar(st: SqliState): number {
  const s = st.s
  const slen = st.slen
  let p = st.pos + 1
  if (p < slen && s.charCodeAt(p) === 0x40) p += 1
  if (p < slen) {
    const c = s.charCodeAt(p)
    if (c === 0x60 || c === 0x27 || c === 0x22) {
      st.pos = p
      const end = c === 0x60 ? parseTick(st) : parseString(st)
      st.current.type = T_VARIABLE
      return end
    }
  }
  const end = skipNotIn(s, p, slen, VAR_STOP)
  st.current.assign(T_VARIABLE, p, s, p, end - p)
  return end
}

/** $1,000.00 (money), $$..$$ and $tag$..$tag$ (PostgreSQL strings), else a lone '$' */
export function parseMoney(st: SqliState): number {
  const p = st.pos
  const s = st.s
  const slen = st.slen
  const t = st.current
  if (p + 1 === slen) {
    t.assignChar(T_BAREWORD, p, s)
    return slen
  }
  let n = span(s, p + 1, slen, MONEY_NUM)
  if (n === 1 && s.charCodeAt(p + 1) === 0x2e) return parseWord(st)
  if (n > 0) {
    t.assign(T_NUMBER, p, s, p, n + 1)
    return p + n + 1
  }
  if (s.charCodeAt(p + 1) === 0x24) {
    const end = find2(s, p + 2, slen, 0x24, 0x24)
    const stop = end < 0 ? slen : end
    t.assign(T_STRING, p + 2, s, p + 2, stop - p - 2)
    t.strOpen = 0x24
    t.strClose = end < 0 ? 0 : 0x24
    return end < 0 ? slen : end + 2
  }
  n = span(s, p + 1, slen, ALPHA)
  if (n === 0 || p + n + 1 === slen || s.charCodeAt(p + n + 1) !== 0x24) {
    t.assignChar(T_BAREWORD, p, s)
    return p + 1
  }
  // $tag$: find the closing $tag$. libinjection searches from offset n+2 of the whole input (not
  // of the rest) and treats a hit before the content as not found; kept as is.
  const tagLen = n + 2
  const content = p + tagLen
  const found = findTag(s, p, tagLen, slen - content)
  if (found < content) {
    t.assign(T_STRING, content, s, content, slen - content)
    t.strOpen = 0x24
    t.strClose = 0
    return slen
  }
  t.assign(T_STRING, content, s, content, found - content)
  t.strOpen = 0x24
  t.strClose = 0x24
  return found + tagLen
}

/** first i in [tagLen, last] where the tag s[p, p+tagLen) occurs, or -1 */
function findTag(s: string, p: number, tagLen: number, last: number): number {
  for (let i = tagLen; i <= last; i++) if (sameBytes(s, i, p, tagLen) === tagLen) return i
  return -1
}

/** how many of the n bytes at a and at b are equal, from the first */
function sameBytes(s: string, a: number, b: number, n: number): number {
  let k = 0
  while (k < n && s.charCodeAt(a + k) === s.charCodeAt(b + k)) k++
  return k
}

const DOT_TICK = new Uint8Array(256)
DOT_TICK[0x2e] = DOT_TICK[0x60] = 1

/** bytes of a word: 1 ends it (WORD_STOP), 2 is '.' or '`' (a keyword may end there), 0 other */
const WORD_CLASS = new Uint8Array(256)
for (let c = 0; c < 256; c++) WORD_CLASS[c] = WORD_STOP[c] === 1 ? 1 : DOT_TICK[c] === 1 ? 2 : 0

/** the first '.' or '`' seen by the last scanWord(), -1 if none */
let wordDot = -1

/** end of the word at `from` (first WORD_STOP byte, or `to`); sets wordDot */
function scanWord(s: string, from: number, to: number): number {
  let dot = -1
  while (from < to) {
    const k = WORD_CLASS[s.charCodeAt(from)]
    if (k === 1) break
    if (k === 2 && dot < 0) dot = from
    from++
  }
  wordDot = dot
  return from
}
