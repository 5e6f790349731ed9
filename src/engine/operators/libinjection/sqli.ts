import { fold } from './sqli-fold'
import { equalsUpperAt, fingerprintCode, isKnownFingerprintKey } from './sqli-keywords'
import { isPlainWordOrNumber } from './sqli-quick'
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
 *
 * Hot path: a pass builds no string. The fingerprint is looked up as a number (5 bits per token
 * type, sqli-keywords.ts); its string is built only for a fingerprint in the set (the filters and
 * the result need it) and for tests.
 */

const state = new SqliState()

/** one-char strings of the token types, built once (fingerprint assembly without fromCharCode per token) */
const CHAR = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i))

function typeChar(type: number): string {
  return CHAR[type] ?? ''
}

/**
 * Fingerprints one pass (libinjection_sqli_fingerprint): sets st.count (the number of tokens;
 * st.tok(i).type are the fingerprint's types) and returns the fingerprint's lookup key (0 when
 * it cannot be in the set). st.fingerprint is left empty: fingerprintString() builds it.
 */
function fingerprintPass(st: SqliState, s: string, flags: number): number {
  st.reset(s, flags)
  const n = fold(st)
  // PHP magic: an unclosed empty `...` bareword at the end is a comment
  if (n > 2) {
    const last = st.tok(n - 1)
    if (last.type === T_BAREWORD && last.strOpen === 0x60 && last.len === 0 && last.strClose === 0) {
      last.type = T_COMMENT
    }
  }
  let key = 0
  let known = true
  let evil = false
  for (let i = 0; i < n; i++) {
    const type = st.tok(i).type
    if (type === T_EVIL) evil = true
    const code = fingerprintCode(type)
    if (code === 0) known = false
    key = key * 32 + code
  }
  if (evil) {
    // unparsable input: the whole fingerprint is "X"
    const t0 = st.tok(0)
    t0.type = T_EVIL
    t0.src = 'X'
    t0.off = 0
    st.tok(1).type = T_NONE
    st.count = 1
    return fingerprintCode(T_EVIL)
  }
  st.count = n
  return known ? key : 0
}

/** The fingerprint of the last pass as a string (e.g. "s&1c"); cached in st.fingerprint. */
function fingerprintString(st: SqliState): string {
  if (st.fingerprint.length === st.count) return st.fingerprint
  let fp = ''
  for (let i = 0; i < st.count; i++) fp += typeChar(st.tok(i).type)
  st.fingerprint = fp
  return fp
}

/** Fingerprints one pass (libinjection_sqli_fingerprint); sets st.fingerprint. */
export function fingerprint(st: SqliState, s: string, flags: number): void {
  fingerprintPass(st, s, flags)
  fingerprintString(st)
}

/** libinjection_sqli_not_whitelist: false-positive filters for short fingerprints */
function notWhitelisted(st: SqliState): boolean {
  const n = st.count
  const t0 = st.tok(0)
  const t1 = st.tok(1)
  if (n > 1 && st.tok(n - 1).type === T_COMMENT && st.s.includes('sp_password')) return true
  if (n === 2) {
    if (t1.type === T_UNION) return st.statsTokens !== 2 // a bare "1 union" is not SQLi
    const c1 = t1.code(0)
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
    const fp = fingerprintString(st)
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
      return t1.len >= 5 && equalsUpperAt(t1.src, t1.off, 4, 'INTO')
    }
  }
  return true
}

/** one pass; true when its fingerprint is in the set and not filtered out */
function isSqliPass(st: SqliState, s: string, flags: number): boolean {
  const key = fingerprintPass(st, s, flags)
  return isKnownFingerprintKey(key) && notWhitelisted(st)
}

function reparseAsMysql(st: SqliState): boolean {
  return st.statsCommentDdx !== 0 || st.statsCommentHash !== 0
}

/**
 * libinjection_sqli(): the fingerprint (e.g. "s&1c") when `s` (a binary string) is SQLi,
 * null otherwise.
 */
export function detectSqli(s: string): string | null {
  if (s.length === 0 || isPlainWordOrNumber(s)) return null
  return detectSqliPasses(s)
}

/** libinjection_sqli()'s passes over a non-empty `s`, without the quick answer (tests compare the two). */
export function detectSqliPasses(s: string): string | null {
  const st = state
  if (isSqliPass(st, s, FLAG_QUOTE_NONE | FLAG_SQL_ANSI)) return fingerprintString(st)
  if (reparseAsMysql(st) && isSqliPass(st, s, FLAG_QUOTE_NONE | FLAG_SQL_MYSQL)) return fingerprintString(st)
  const quotes = quotesIn(s)
  if ((quotes & SINGLE) !== 0) {
    if (isSqliPass(st, s, FLAG_QUOTE_SINGLE | FLAG_SQL_ANSI)) return fingerprintString(st)
    if (reparseAsMysql(st) && isSqliPass(st, s, FLAG_QUOTE_SINGLE | FLAG_SQL_MYSQL))
      return fingerprintString(st)
  }
  if ((quotes & DOUBLE) !== 0 && isSqliPass(st, s, FLAG_QUOTE_DOUBLE | FLAG_SQL_MYSQL))
    return fingerprintString(st)
  return null
}

const SINGLE = 1
const DOUBLE = 2
const QUOTE_BIT = new Uint8Array(256)
QUOTE_BIT[0x27] = SINGLE
QUOTE_BIT[0x22] = DOUBLE

/** which of ' and " occur in s (a loop for short values: cheaper than two String.includes calls) */
function quotesIn(s: string): number {
  if (s.length > 64) return (s.includes("'") ? SINGLE : 0) | (s.includes('"') ? DOUBLE : 0)
  let bits = 0
  for (let i = 0; i < s.length; i++) bits |= QUOTE_BIT[s.charCodeAt(i)] ?? 0
  return bits
}

/** The fingerprint of one pass (for tests and debugging): flags as in libinjection. */
export function sqliFingerprint(s: string, flags: number): string {
  fingerprint(state, s, flags)
  return state.fingerprint
}
