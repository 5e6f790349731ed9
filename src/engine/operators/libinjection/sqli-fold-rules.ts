import { equalsUpperAt, lookupPairAt } from './sqli-keywords'
import {
  T_BACKSLASH,
  T_BAREWORD,
  T_COLLATE,
  T_COMMA,
  T_DOT,
  T_EVIL,
  T_EXPRESSION,
  T_FUNCTION,
  T_GROUP,
  T_KEYWORD,
  T_LEFTBRACE,
  T_LEFTPARENS,
  T_LOGIC_OPERATOR,
  T_NONE,
  T_NUMBER,
  T_OPERATOR,
  T_RIGHTBRACE,
  T_RIGHTPARENS,
  T_SEMICOLON,
  T_SQLTYPE,
  T_STRING,
  T_TSQL,
  T_UNION,
  T_VARIABLE,
  TOKEN_VAL_MAX,
  type SqliState,
  type Token,
} from './sqli-token'

/**
 * libinjection's folding rules (libinjection 3.9.2, as embedded in ModSecurity 2.9.7): the
 * two-token rules, the three-token rules and the five-token special case, in libinjection's
 * order. The loop that applies them is sqli-fold.ts.
 */

/** + - ! ~ !! NOT */
export function isUnaryOp(t: Token): boolean {
  if (t.type !== T_OPERATOR) return false
  const c = t.code(0)
  if (t.len === 1) return c === 0x2b || c === 0x2d || c === 0x21 || c === 0x7e
  if (t.len === 2) return c === 0x21 && t.code(1) === 0x21
  return t.len === 3 && equalsUpperAt(t.src, t.off, 3, 'NOT')
}

function isArithmeticOp(t: Token): boolean {
  if (t.type !== T_OPERATOR || t.len !== 1) return false
  const c = t.code(0)
  return c === 0x2a || c === 0x2f || c === 0x2d || c === 0x2b || c === 0x25
}

/** the token's value equals the upper-case ASCII `upper`, ignoring ASCII case */
function valIs(t: Token, upper: string): boolean {
  return t.len === upper.length && equalsUpperAt(t.src, t.off, t.len, upper)
}

// TSQL/MySQL names that are functions when followed by '('
const FUNCTION_LIKE = [
  'USER_ID',
  'USER_NAME',
  'DATABASE',
  'PASSWORD',
  'USER',
  'CURRENT_USER',
  'CURRENT_DATE',
  'CURRENT_TIME',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
]

function isFunctionLike(t: Token): boolean {
  if (t.len < 4) return false
  for (let i = 0; i < FUNCTION_LIKE.length; i++) if (valIs(t, FUNCTION_LIKE[i] ?? '')) return true
  return false
}

/** token types that can be part of a multi-word keyword (as its first part; the second may also be a logic operator) */
const MERGEABLE = new Uint8Array(128)
for (const t of [T_KEYWORD, T_BAREWORD, T_OPERATOR, T_UNION, T_FUNCTION, T_EXPRESSION, T_TSQL, T_SQLTYPE]) {
  MERGEABLE[t] = 1
}

/** "a b" is a multi-word keyword ("UNION ALL", "NOT IN"...): a becomes it (syntax_merge_words) */
function mergeWords(a: Token, b: Token): boolean {
  if (MERGEABLE[a.type] !== 1) return false
  if (MERGEABLE[b.type] !== 1 && b.type !== T_LOGIC_OPERATOR) return false
  const len = a.len + b.len + 1
  if (len >= TOKEN_VAL_MAX + 1) return false
  const type = lookupPairAt(a.src, a.off, a.len, b.src, b.off, b.len)
  if (type === T_NONE) return false
  a.src = a.val + ' ' + b.val // the one string built by folding (a multi-word keyword)
  a.off = 0
  a.type = type
  a.len = len
  return true
}

/** Value contains '_' before any NUL (C strchr on the value). */
function hasUnderscore(t: Token): boolean {
  for (let i = 0; i < t.len; i++) {
    const c = t.code(i)
    if (c === 0) return false
    if (c === 0x5f) return true
  }
  return false
}

function isType(t: Token, a: number, b: number, c = -1, d = -1, e = -1): boolean {
  const x = t.type
  return x === a || x === b || x === c || x === d || x === e
}

// What a two-token rule did (twoTokenRule): go on to the three-token rules (after left = 0:
// R_THREE_RESET); drop the second token (R_JOIN), and go back to the start (R_DROP) or one
// token back (R_MERGE); fold again (R_AGAIN), from the start (R_RESET); drop both (R_ODBC);
// stop: unparsable (R_EVIL).
export const R_THREE = 0
export const R_THREE_RESET = 1
export const R_JOIN = 2
export const R_DROP = 3
export const R_MERGE = 4
export const R_AGAIN = 5
export const R_RESET = 6
export const R_ODBC = 7
export const R_EVIL = 8

/**
 * libinjection's two-token folding rules on a, b (tokens left, left + 1), in libinjection's
 * order, dispatched on the first token's type (each rule needs a given type of a, except the
 * last: b a '}'). Changes the tokens as the rule says; returns what to do with pos and left.
 */
export function twoTokenRule(a: Token, b: Token): number {
  const bt = b.type
  switch (a.type) {
    case T_STRING:
      if (bt === T_STRING) return R_JOIN // 'a' 'b' is one string
      break
    case T_SEMICOLON:
      if (bt === T_SEMICOLON) return R_JOIN
      if (bt === T_FUNCTION && (b.code(0) | 0x20) === 0x69 && (b.code(1) | 0x20) === 0x66) {
        b.type = T_TSQL // "; IF ..." (any function starting with "IF") is T-SQL flow control
        return R_AGAIN
      }
      break
    case T_OPERATOR:
      if (isUnaryOp(b) || bt === T_SQLTYPE) return R_DROP
      if (mergeWords(a, b)) return R_MERGE
      if (a.len >= 4 && (valIs(a, 'LIKE') || valIs(a, 'NOT LIKE'))) {
        if (bt === T_LEFTPARENS) a.type = T_FUNCTION // LIKE(...)
        return R_THREE
      }
      break
    case T_LOGIC_OPERATOR:
      if (isUnaryOp(b) || bt === T_SQLTYPE) return R_DROP
      break
    case T_LEFTPARENS:
      if (isUnaryOp(b)) return R_MERGE
      if (bt === T_LEFTPARENS) return R_DROP
      break
    case T_RIGHTPARENS:
      if (bt === T_RIGHTPARENS) return R_DROP
      break
    case T_KEYWORD:
      if (mergeWords(a, b)) return R_MERGE
      if (valIs(a, 'IN') || valIs(a, 'NOT IN')) {
        a.type = bt === T_LEFTPARENS ? T_OPERATOR : T_BAREWORD
        return R_AGAIN
      }
      break
    case T_BAREWORD:
      if (mergeWords(a, b)) return R_MERGE
      if (bt === T_LEFTPARENS && isFunctionLike(a)) {
        a.type = T_FUNCTION
        return R_AGAIN
      }
      break
    case T_VARIABLE:
      if (bt === T_LEFTPARENS && isFunctionLike(a)) {
        a.type = T_FUNCTION
        return R_AGAIN
      }
      break
    case T_SQLTYPE:
      if (mergeWords(a, b)) return R_MERGE
      if (castOperand(bt)) {
        a.copyFrom(b) // drop a cast type
        return R_DROP
      }
      break
    case T_UNION:
    case T_FUNCTION:
    case T_EXPRESSION:
    case T_TSQL:
      if (mergeWords(a, b)) return R_MERGE
      break
    case T_COLLATE:
      if (bt === T_BAREWORD) {
        if (!hasUnderscore(b)) return R_THREE
        b.type = T_SQLTYPE
        return R_THREE_RESET
      }
      break
    case T_BACKSLASH:
      if (isArithmeticOp(b)) {
        a.type = T_NUMBER // TSQL: \%1 is 0 % 1
        return R_RESET
      }
      a.copyFrom(b)
      return R_DROP
    case T_LEFTBRACE:
      if (bt === T_BAREWORD) {
        if (b.len !== 0) return R_ODBC
        b.type = T_EVIL // "{ ``": blacklisted
        return R_EVIL
      }
      break
  }
  return bt === T_RIGHTBRACE ? R_DROP : R_THREE
}

export function fiveTokenSpecialCase(st: SqliState): boolean {
  const t0 = st.tok(0).type
  const t1 = st.tok(1).type
  const t2 = st.tok(2).type
  const t3 = st.tok(3).type
  const t4 = st.tok(4).type
  return (
    (t0 === T_NUMBER &&
      (t1 === T_OPERATOR || t1 === T_COMMA) &&
      t2 === T_LEFTPARENS &&
      t3 === T_NUMBER &&
      t4 === T_RIGHTPARENS) ||
    (t0 === T_BAREWORD &&
      t1 === T_OPERATOR &&
      t2 === T_LEFTPARENS &&
      (t3 === T_BAREWORD || t3 === T_NUMBER) &&
      t4 === T_RIGHTPARENS) ||
    (t0 === T_NUMBER && t1 === T_RIGHTPARENS && t2 === T_COMMA && t3 === T_LEFTPARENS && t4 === T_NUMBER) ||
    (t0 === T_BAREWORD &&
      t1 === T_RIGHTPARENS &&
      t2 === T_OPERATOR &&
      t3 === T_LEFTPARENS &&
      t4 === T_BAREWORD)
  )
}

/** a type name before one of these is a cast: dropped */
function castOperand(t: number): boolean {
  return (
    t === T_BAREWORD ||
    t === T_NUMBER ||
    t === T_SQLTYPE ||
    t === T_LEFTPARENS ||
    t === T_FUNCTION ||
    t === T_VARIABLE ||
    t === T_STRING
  )
}

/**
 * The three-token rules on tokens left..left+2. Returns by how much `pos` goes back (tokens
 * dropped; 3 also backs up one more to fold again), 0 when no rule applied.
 */
export function foldThree(st: SqliState, left: number): number {
  const a = st.tok(left)
  const b = st.tok(left + 1)
  const c = st.tok(left + 2)
  const at = a.type
  const bt = b.type
  const ct = c.type
  if (at === T_NUMBER && bt === T_OPERATOR && ct === T_NUMBER) return 2 // 1+1
  if (at === T_OPERATOR && bt !== T_LEFTPARENS && ct === T_OPERATOR) return 2
  if (at === T_LOGIC_OPERATOR && ct === T_LOGIC_OPERATOR) return 2
  if (at === T_VARIABLE && bt === T_OPERATOR && isType(c, T_VARIABLE, T_NUMBER, T_BAREWORD)) return 2
  if ((at === T_BAREWORD || at === T_NUMBER) && bt === T_OPERATOR && (ct === T_NUMBER || ct === T_BAREWORD)) {
    return 2
  }
  if (
    isType(a, T_BAREWORD, T_NUMBER, T_VARIABLE, T_STRING) &&
    bt === T_OPERATOR &&
    b.len === 2 &&
    b.code(0) === 0x3a &&
    b.code(1) === 0x3a &&
    ct === T_SQLTYPE
  ) {
    return 2 // x::type
  }
  if (
    isType(a, T_BAREWORD, T_NUMBER, T_STRING, T_VARIABLE) &&
    bt === T_COMMA &&
    isType(c, T_NUMBER, T_BAREWORD, T_STRING, T_VARIABLE)
  ) {
    return 2 // a,b
  }
  const bUnary = isUnaryOp(b)
  if (isType(a, T_EXPRESSION, T_GROUP, T_COMMA) && bUnary && ct === T_LEFTPARENS) {
    b.copyFrom(c) // SELECT + (
    return 1
  }
  if (
    isType(a, T_KEYWORD, T_EXPRESSION, T_GROUP) &&
    bUnary &&
    isType(c, T_NUMBER, T_BAREWORD, T_VARIABLE, T_STRING, T_FUNCTION)
  ) {
    b.copyFrom(c) // SELECT - 1
    return 1
  }
  if (at === T_COMMA && bUnary && isType(c, T_NUMBER, T_BAREWORD, T_VARIABLE, T_STRING)) {
    b.copyFrom(c) // ", -1" -> ",1", then back up one more token to fold "1,1"
    return 3
  }
  if (at === T_COMMA && bUnary && ct === T_FUNCTION) {
    b.copyFrom(c) // ", -sin(" -> ", sin("
    return 1
  }
  if (at === T_BAREWORD && bt === T_DOT && ct === T_BAREWORD) return 2 // db.table
  if (at === T_EXPRESSION && bt === T_DOT && ct === T_BAREWORD) {
    b.copyFrom(c) // SELECT . `foo`
    return 1
  }
  if (at === T_FUNCTION && bt === T_LEFTPARENS && ct !== T_RIGHTPARENS && valIs(a, 'USER')) {
    a.type = T_BAREWORD // USER(x): not the 0-argument function
  }
  return 0
}
