import { fold } from './sqli-fold'
import { equalsUpper, isKnownFingerprint } from './sqli-keywords'
import {
  FLAG_QUOTE_DOUBLE,
  FLAG_QUOTE_NONE,
  FLAG_QUOTE_SINGLE,
  FLAG_SQL_ANSI,
  FLAG_SQL_MYSQL,
  SqliState,
  T_BAREWORD,
  T_COMMENT,
  T_EVIL,
  T_KEYWORD,
  T_NONE,
  T_NUMBER,
  T_UNION,
} from './sqli-token'

/**
 * Our implementation of libinjection's SQLi detection (libinjection_sqli() of libinjection 3.9.2,
 * as embedded in ModSecurity 2.9.7): tokenize + fold the input into a fingerprint of at most 5
 * token types, look the fingerprint up in libinjection's fingerprint set, then apply its
 * false-positive filters. The input is tried as is (ANSI, then MySQL comment rules when the
 * input had "--x" or "#"), then as if it started inside a '-quoted and a "-quoted string.
 */

const state = new SqliState()

/** one-char strings of the token types, built once (fingerprint assembly without fromCharCode per token) */
const CHAR = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i))

function typeChar(type: number): string {
  return CHAR[type] ?? ''
}

/** Fingerprints one pass (libinjection_sqli_fingerprint); sets st.fingerprint. */
export function fingerprint(st: SqliState, s: string, flags: number): void {
  st.reset(s, flags)
  const n = fold(st)
  // PHP magic: an unclosed empty `...` bareword at the end is a comment
  if (n > 2) {
    const last = st.tok(n - 1)
    if (last.type === T_BAREWORD && last.strOpen === 0x60 && last.len === 0 && last.strClose === 0) {
      last.type = T_COMMENT
    }
  }
  let fp = ''
  let evil = false
  for (let i = 0; i < n; i++) {
    const type = st.tok(i).type
    if (type === T_EVIL) evil = true
    fp += typeChar(type)
  }
  if (evil) {
    // unparsable input: the whole fingerprint is "X"
    fp = 'X'
    const t0 = st.tok(0)
    t0.type = T_EVIL
    t0.val = 'X'
    st.tok(1).type = T_NONE
  }
  st.fingerprint = fp
}

/** Upper-cases the ASCII letters of a fingerprint (types like 'k', 's' become 'K', 'S'). */
function upperFingerprint(fp: string): string {
  let out = ''
  for (let i = 0; i < fp.length; i++) {
    const c = fp.charCodeAt(i)
    out += typeChar(c >= 0x61 && c <= 0x7a ? c - 0x20 : c)
  }
  return out
}

/** libinjection_sqli_blacklist: the fingerprint is in the set */
function blacklisted(st: SqliState): boolean {
  return st.fingerprint.length > 0 && isKnownFingerprint(upperFingerprint(st.fingerprint))
}

/** libinjection_sqli_not_whitelist: false-positive filters for short fingerprints */
function notWhitelisted(st: SqliState): boolean {
  const fp = st.fingerprint
  const n = fp.length
  const t0 = st.tok(0)
  const t1 = st.tok(1)
  if (n > 1 && fp.charCodeAt(n - 1) === T_COMMENT && st.s.includes('sp_password')) return true
  if (n === 2) {
    if (fp.charCodeAt(1) === T_UNION) return st.statsTokens !== 2 // a bare "1 union" is not SQLi
    const c1 = t1.val.charCodeAt(0)
    if (c1 === 0x23) return false // "#" comments: too many false positives
    if (t0.type === T_BAREWORD && t1.type === T_COMMENT && c1 !== 0x2f) return false // "foo --"
    if (t0.type === T_NUMBER && t1.type === T_COMMENT) {
      if (c1 === 0x2f) return true // 1/*
      if (st.statsTokens > 2) return true // folding happened
      // the byte after the number (by the number's length, as libinjection does); a signed
      // char, so bytes >= 0x80 count as <= 32
      const ch = st.at(t0.len)
      if (ch <= 32 || ch >= 0x80) return true
      if (ch === 0x2f && st.at(t0.len + 1) === 0x2a) return true
      if (ch === 0x2d && st.at(t0.len + 1) === 0x2d) return true
      return false
    }
    if (t1.len > 2 && c1 === 0x2d) return false // "-- foo"
    return true
  }
  if (n === 3) {
    if (fp === 'sos' || fp === 's&s') {
      // ...foo' + 'bar...: SQLi only when the strings are unopened/unclosed halves
      const t2 = st.tok(2)
      return t0.strOpen === 0 && t2.strClose === 0 && t0.strClose === t2.strOpen
    }
    if (fp === 's&n' || fp === 'n&1' || fp === '1&1' || fp === '1&v' || fp === '1&s') {
      return st.statsTokens !== 3 // 'sexy and 17' is not SQLi, 'sexy and 17<18' is
    }
    if (t1.type === T_KEYWORD) {
      // only INTO OUTFILE / INTO DUMPFILE
      return t1.len >= 5 && equalsUpper(t1.val.substring(0, 4), 'INTO')
    }
  }
  return true
}

function isSqliPass(st: SqliState, s: string, flags: number): boolean {
  fingerprint(st, s, flags)
  return blacklisted(st) && notWhitelisted(st)
}

function reparseAsMysql(st: SqliState): boolean {
  return st.statsCommentDdx !== 0 || st.statsCommentHash !== 0
}

/**
 * libinjection_sqli(): the fingerprint (e.g. "s&1c") when `s` (a binary string) is SQLi,
 * null otherwise.
 */
export function detectSqli(s: string): string | null {
  if (s.length === 0) return null
  const st = state
  if (isSqliPass(st, s, FLAG_QUOTE_NONE | FLAG_SQL_ANSI)) return st.fingerprint
  if (reparseAsMysql(st) && isSqliPass(st, s, FLAG_QUOTE_NONE | FLAG_SQL_MYSQL)) return st.fingerprint
  if (s.includes("'")) {
    if (isSqliPass(st, s, FLAG_QUOTE_SINGLE | FLAG_SQL_ANSI)) return st.fingerprint
    if (reparseAsMysql(st) && isSqliPass(st, s, FLAG_QUOTE_SINGLE | FLAG_SQL_MYSQL)) return st.fingerprint
  }
  if (s.includes('"') && isSqliPass(st, s, FLAG_QUOTE_DOUBLE | FLAG_SQL_MYSQL)) return st.fingerprint
  return null
}

/** The fingerprint of one pass (for tests and debugging): flags as in libinjection. */
export function sqliFingerprint(s: string, flags: number): string {
  fingerprint(state, s, flags)
  return state.fingerprint
}
