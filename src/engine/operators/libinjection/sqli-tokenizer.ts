import {
  BIN_DIGITS,
  DIGITS,
  find2,
  HEX,
  isWhite,
  P_BACKSLASH,
  P_BSTRING,
  P_BWORD,
  P_CHAR,
  P_DASH,
  P_ESTRING,
  P_HASH,
  P_MONEY,
  P_NQSTRING,
  P_NUMBER,
  P_OP1,
  P_OP2,
  P_OTHER,
  P_QSTRING,
  P_SLASH,
  P_STRING,
  P_TICK,
  P_USTRING,
  P_VAR,
  P_WHITE,
  P_WORD,
  P_XSTRING,
  PARSER,
  skipIn,
  span,
} from './sqli-chars'
import { lookupWord } from './sqli-keywords'
import {
  parseBword,
  parseEstring,
  parseLiteralString,
  parseMoney,
  parseNqstring,
  parseQstringCore,
  parseString,
  parseStringCore,
  parseTick,
  parseUstring,
  parseVar,
  parseWord,
} from './sqli-strings'
import {
  FLAG_QUOTE_DOUBLE,
  FLAG_QUOTE_SINGLE,
  FLAG_SQL_ANSI,
  FLAG_SQL_MYSQL,
  T_BACKSLASH,
  T_BAREWORD,
  T_COLON,
  T_COMMENT,
  T_DOT,
  T_EVIL,
  T_NONE,
  T_NUMBER,
  T_OPERATOR,
  T_UNKNOWN,
  type SqliState,
} from './sqli-token'

/**
 * libinjection's SQL tokenizer: one parser per kind of first byte. Each parser reads from
 * st.pos, fills st.current and returns the position after the token. The quirks of the C code
 * that change results are kept on purpose and noted: NUL bytes (C strchr() finds the terminator,
 * so a NUL is "in" every character set), signed chars (bytes >= 0x80 compare below 33), reads one
 * past the end (the value's NUL terminator).
 */

function parseOperator1(st: SqliState): number {
  const p = st.pos
  st.current.assignChar(T_OPERATOR, p, st.s)
  return p + 1
}

function parseOther(st: SqliState): number {
  const p = st.pos
  st.current.assignChar(T_UNKNOWN, p, st.s)
  return p + 1
}

/** ( ) , ; { } are their own token type */
function parseChar(st: SqliState): number {
  const p = st.pos
  st.current.assignChar(st.s.charCodeAt(p), p, st.s)
  return p + 1
}

function parseEolComment(st: SqliState): number {
  const p = st.pos
  const nl = st.s.indexOf('\n', p)
  if (nl < 0) {
    st.current.assign(T_COMMENT, p, st.s, p, st.slen - p)
    return st.slen
  }
  st.current.assign(T_COMMENT, p, st.s, p, nl - p)
  return nl + 1
}

/** '#': an operator in ANSI mode, a comment in MySQL mode; seeing one triggers the MySQL retry */
function parseHash(st: SqliState): number {
  st.statsCommentHash += 1
  if ((st.flags & FLAG_SQL_MYSQL) !== 0) {
    st.statsCommentHash += 1
    return parseEolComment(st)
  }
  st.current.assignChar(T_OPERATOR, st.pos, st.s)
  return st.pos + 1
}

function parseDash(st: SqliState): number {
  const p = st.pos
  const s = st.s
  const slen = st.slen
  const dash2 = p + 1 < slen && s.charCodeAt(p + 1) === 0x2d
  if (dash2 && p + 2 < slen && isWhite(s.charCodeAt(p + 2))) return parseEolComment(st) // "-- "
  if (dash2 && p + 2 === slen) return parseEolComment(st) // "--" at the end
  if (dash2 && (st.flags & FLAG_SQL_ANSI) !== 0) {
    st.statsCommentDdx += 1 // "--x": a comment in ANSI, two minus signs in MySQL
    return parseEolComment(st)
  }
  st.current.assignChar(T_OPERATOR, p, s)
  return p + 1
}

function parseSlash(st: SqliState): number {
  const p = st.pos
  const s = st.s
  const slen = st.slen
  if (p + 1 === slen || s.charCodeAt(p + 1) !== 0x2a) return parseOperator1(st)
  const close = find2(s, p + 2, slen, 0x2a, 0x2f) // "*/"
  const clen = close < 0 ? slen - p : close + 2 - p
  let type = T_COMMENT
  // a "/*" inside a closed comment (nesting, PostgreSQL) or a MySQL "/*!" comment: unparsable
  if (close >= 0 && find2(s, p + 2, close + 1, 0x2f, 0x2a) >= 0) type = T_EVIL
  else if (p + 2 < slen && s.charCodeAt(p + 2) === 0x21) type = T_EVIL
  st.current.assign(type, p, s, p, clen)
  return p + clen
}

function parseBackslash(st: SqliState): number {
  const p = st.pos
  if (p + 1 < st.slen && st.s.charCodeAt(p + 1) === 0x4e) {
    st.current.assign(T_NUMBER, p, st.s, p, 2) // MySQL's \N (NULL)
    return p + 2
  }
  st.current.assignChar(T_BACKSLASH, p, st.s)
  return p + 1
}

function parseOperator2(st: SqliState): number {
  const p = st.pos
  const s = st.s
  if (p + 1 >= st.slen) return parseOperator1(st)
  if (
    p + 2 < st.slen &&
    s.charCodeAt(p) === 0x3c &&
    s.charCodeAt(p + 1) === 0x3d &&
    s.charCodeAt(p + 2) === 0x3e
  ) {
    st.current.assign(T_OPERATOR, p, s, p, 3) // <=>
    return p + 3
  }
  const type = lookupWord(s, p, 2)
  if (type !== T_NONE) {
    st.current.assign(type, p, s, p, 2)
    return p + 2
  }
  if (s.charCodeAt(p) === 0x3a) {
    st.current.assign(T_COLON, p, s, p, 1)
    return p + 1
  }
  return parseOperator1(st)
}

function parseNumber(st: SqliState): number {
  const s = st.s
  const slen = st.slen
  const t = st.current
  let p = st.pos
  if (s.charCodeAt(p) === 0x30 && p + 1 < slen) {
    const c1 = s.charCodeAt(p + 1)
    const digits = c1 === 0x58 || c1 === 0x78 ? HEX : c1 === 0x42 || c1 === 0x62 ? BIN_DIGITS : null
    if (digits !== null) {
      const n = span(s, p + 2, slen, digits)
      t.assign(n === 0 ? T_BAREWORD : T_NUMBER, p, s, p, n + 2)
      return p + n + 2
    }
  }
  const start = p
  p = skipIn(s, p, slen, DIGITS)
  if (p < slen && s.charCodeAt(p) === 0x2e) {
    p = skipIn(s, p + 1, slen, DIGITS)
    if (p - start === 1) {
      t.assignChar(T_DOT, start, s)
      return p
    }
  }
  let haveE = false
  let haveExp = false
  if (p < slen && (s.charCodeAt(p) | 0x20) === 0x65) {
    haveE = true
    p++
    if (p < slen && (s.charCodeAt(p) === 0x2b || s.charCodeAt(p) === 0x2d)) p++
    const q = skipIn(s, p, slen, DIGITS)
    haveExp = q > p
    p = q
  }
  // Oracle float/double suffix: 1.5f, 2d (only before the end, whitespace, ';' or 'u'/'U')
  if (p < slen) {
    const c = s.charCodeAt(p) | 0x20
    if (c === 0x64 || c === 0x66) {
      const next = st.at(p + 1)
      if (p + 1 === slen || isWhite(next) || next === 0x3b || (next | 0x20) === 0x75) p++
    }
  }
  t.assign(haveE && !haveExp ? T_BAREWORD : T_NUMBER, start, s, start, p - start)
  return p
}

/** Reads the next token into st.current; false at the end of input (libinjection_sqli_tokenize). */
export function tokenize(st: SqliState): boolean {
  const slen = st.slen
  if (slen === 0) return false
  const t = st.current
  t.clearForTokenizer()
  if (st.pos === 0 && (st.flags & (FLAG_QUOTE_SINGLE | FLAG_QUOTE_DOUBLE)) !== 0) {
    // the input is assumed to start inside a quoted string
    const delim = (st.flags & FLAG_QUOTE_SINGLE) !== 0 ? "'" : '"'
    st.pos = parseStringCore(st, 0, t, delim, 0)
    st.statsTokens += 1
    return true
  }
  const s = st.s
  for (;;) {
    // whitespace produces no token (libinjection's parse_white)
    let p = st.pos
    if (p >= slen) return false
    let kind = PARSER[s.charCodeAt(p)] ?? P_WORD
    if (kind === P_WHITE) {
      p = skipWhite(s, p + 1, slen)
      st.pos = p
      if (p >= slen) return false
      kind = PARSER[s.charCodeAt(p)] ?? P_WORD
    }
    st.pos = dispatch(kind, st)
    if (t.type !== T_NONE) {
      st.statsTokens += 1
      return true
    }
  }
}

/** first index >= from (and < to) of a byte that is not whitespace for the tokenizer, or `to` */
function skipWhite(s: string, from: number, to: number): number {
  while (from < to && PARSER[s.charCodeAt(from)] === P_WHITE) from++
  return from
}

function dispatch(kind: number, st: SqliState): number {
  switch (kind) {
    case P_OP1:
      return parseOperator1(st)
    case P_OP2:
      return parseOperator2(st)
    case P_CHAR:
      return parseChar(st)
    case P_OTHER:
      return parseOther(st)
    case P_STRING:
      return parseString(st)
    case P_HASH:
      return parseHash(st)
    case P_MONEY:
      return parseMoney(st)
    case P_DASH:
      return parseDash(st)
    case P_NUMBER:
      return parseNumber(st)
    case P_SLASH:
      return parseSlash(st)
    case P_VAR:
      return parseVar(st)
    case P_BSTRING:
      return parseLiteralString(st, BIN_DIGITS)
    case P_ESTRING:
      return parseEstring(st)
    case P_NQSTRING:
      return parseNqstring(st)
    case P_QSTRING:
      return parseQstringCore(st, 0)
    case P_USTRING:
      return parseUstring(st)
    case P_XSTRING:
      return parseLiteralString(st, HEX)
    case P_BWORD:
      return parseBword(st)
    case P_BACKSLASH:
      return parseBackslash(st)
    case P_TICK:
      return parseTick(st)
    default:
      return parseWord(st)
  }
}
