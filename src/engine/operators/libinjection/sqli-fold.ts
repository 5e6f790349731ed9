import { equalsUpper, lookupPair } from './sqli-keywords'
import { tokenize } from './sqli-tokenizer'
import {
  MAX_TOKENS,
  T_BACKSLASH,
  T_BAREWORD,
  T_COLLATE,
  T_COMMA,
  T_COMMENT,
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
 * libinjection's folding: reads tokens and collapses them ("1+1" -> "1", "UNION" "ALL" ->
 * "UNION ALL", unary operators dropped...) until at most 5 remain; returns how many. The rules
 * and their order are libinjection 3.9.2's (ModSecurity 2.9.7).
 */

/** + - ! ~ !! NOT */
export function isUnaryOp(t: Token): boolean {
  if (t.type !== T_OPERATOR) return false
  const v = t.val
  if (t.len === 1) return v === '+' || v === '-' || v === '!' || v === '~'
  if (t.len === 2) return v === '!!'
  return t.len === 3 && equalsUpper(v, 'NOT')
}

function isArithmeticOp(t: Token): boolean {
  const v = t.val
  return (
    t.type === T_OPERATOR && t.len === 1 && (v === '*' || v === '/' || v === '-' || v === '+' || v === '%')
  )
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

function isFunctionLike(v: string): boolean {
  for (let i = 0; i < FUNCTION_LIKE.length; i++) if (equalsUpper(v, FUNCTION_LIKE[i] ?? '')) return true
  return false
}

function mergeableFirst(type: number): boolean {
  return (
    type === T_KEYWORD ||
    type === T_BAREWORD ||
    type === T_OPERATOR ||
    type === T_UNION ||
    type === T_FUNCTION ||
    type === T_EXPRESSION ||
    type === T_TSQL ||
    type === T_SQLTYPE
  )
}

/** "a b" is a multi-word keyword ("UNION ALL", "NOT IN"...): a becomes it (syntax_merge_words) */
function mergeWords(a: Token, b: Token): boolean {
  if (!mergeableFirst(a.type)) return false
  if (!mergeableFirst(b.type) && b.type !== T_LOGIC_OPERATOR) return false
  const len = a.len + b.len + 1
  if (len >= TOKEN_VAL_MAX + 1) return false
  const type = lookupPair(a.val, b.val)
  if (type === T_NONE) return false
  a.type = type
  a.len = len
  a.val = a.val + ' ' + b.val
  return true
}

/** Value contains '_' before any NUL (C strchr on the value). */
function hasUnderscore(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c === 0) return false
    if (c === 0x5f) return true
  }
  return false
}

function isType(t: Token, a: number, b: number, c = -1, d = -1, e = -1): boolean {
  const x = t.type
  return x === a || x === b || x === c || x === d || x === e
}

/** Reads tokens until `pos - left` reaches `want` (or the input ends); comments are set aside. */
function fill(st: SqliState, pos: number, left: number, want: number): number {
  while (st.more && pos <= MAX_TOKENS && pos - left < want) {
    st.current = st.tok(pos)
    st.more = tokenize(st)
    if (st.more) {
      if (st.current.type === T_COMMENT) st.lastComment.copyFrom(st.current)
      else {
        st.lastComment.type = T_NONE
        pos += 1
      }
    }
  }
  return pos
}

export function fold(st: SqliState): number {
  let pos = 0 // where the next token goes
  let left = 0 // tokens already final
  st.lastComment.clear()
  st.more = true

  // skip leading comments, '(', SQL types and unary operators
  st.current = st.tok(0)
  while (st.more) {
    st.more = tokenize(st)
    const t = st.current
    if (!(t.type === T_COMMENT || t.type === T_LEFTPARENS || t.type === T_SQLTYPE || isUnaryOp(t))) break
  }
  if (!st.more) return 0
  pos = 1

  for (;;) {
    if (pos >= MAX_TOKENS && fiveTokenSpecialCase(st)) {
      // keep the first token and restart folding after it
      if (pos > MAX_TOKENS) {
        st.tok(1).copyFrom(st.tok(MAX_TOKENS))
        pos = 2
      } else pos = 1
      left = 0
    }
    if (!st.more || left >= MAX_TOKENS) {
      left = pos
      break
    }

    pos = fill(st, pos, left, 2)
    if (pos - left < 2) {
      left = pos
      continue
    }
    const a = st.tok(left)
    const b = st.tok(left + 1)

    if (a.type === T_STRING && b.type === T_STRING) {
      pos -= 1 // 'a' 'b' is one string
      continue
    } else if (a.type === T_SEMICOLON && b.type === T_SEMICOLON) {
      pos -= 1
      continue
    } else if (
      (a.type === T_OPERATOR || a.type === T_LOGIC_OPERATOR) &&
      (isUnaryOp(b) || b.type === T_SQLTYPE)
    ) {
      pos -= 1
      left = 0
      continue
    } else if (a.type === T_LEFTPARENS && isUnaryOp(b)) {
      pos -= 1
      if (left > 0) left -= 1
      continue
    } else if (mergeWords(a, b)) {
      pos -= 1
      if (left > 0) left -= 1
      continue
    } else if (
      a.type === T_SEMICOLON &&
      b.type === T_FUNCTION &&
      (b.val.charCodeAt(0) | 0x20) === 0x69 &&
      (b.val.charCodeAt(1) | 0x20) === 0x66
    ) {
      b.type = T_TSQL // "; IF ..." (any function starting with "IF") is T-SQL flow control
      continue
    } else if (
      (a.type === T_BAREWORD || a.type === T_VARIABLE) &&
      b.type === T_LEFTPARENS &&
      isFunctionLike(a.val)
    ) {
      a.type = T_FUNCTION
      continue
    } else if (a.type === T_KEYWORD && (equalsUpper(a.val, 'IN') || equalsUpper(a.val, 'NOT IN'))) {
      a.type = b.type === T_LEFTPARENS ? T_OPERATOR : T_BAREWORD
      continue
    } else if (a.type === T_OPERATOR && (equalsUpper(a.val, 'LIKE') || equalsUpper(a.val, 'NOT LIKE'))) {
      if (b.type === T_LEFTPARENS) a.type = T_FUNCTION // LIKE(...)
    } else if (a.type === T_SQLTYPE && castOperand(b.type)) {
      a.copyFrom(b) // drop a cast type
      pos -= 1
      left = 0
      continue
    } else if (a.type === T_COLLATE && b.type === T_BAREWORD) {
      if (hasUnderscore(b.val)) {
        b.type = T_SQLTYPE
        left = 0
      }
    } else if (a.type === T_BACKSLASH) {
      if (isArithmeticOp(b))
        a.type = T_NUMBER // TSQL: \%1 is 0 % 1
      else {
        a.copyFrom(b)
        pos -= 1
      }
      left = 0
      continue
    } else if (a.type === T_LEFTPARENS && b.type === T_LEFTPARENS) {
      pos -= 1
      left = 0
      continue
    } else if (a.type === T_RIGHTPARENS && b.type === T_RIGHTPARENS) {
      pos -= 1
      left = 0
      continue
    } else if (a.type === T_LEFTBRACE && b.type === T_BAREWORD) {
      if (b.len === 0) {
        b.type = T_EVIL // "{ ``": blacklisted
        return left + 2
      }
      left = 0 // ODBC "{foo expr}": drop "{ foo"
      pos -= 2
      continue
    } else if (b.type === T_RIGHTBRACE) {
      pos -= 1
      left = 0
      continue
    }

    pos = fill(st, pos, left, 3)
    if (pos - left < 3) {
      left = pos
      continue
    }
    const drop = foldThree(st, left)
    if (drop > 0) {
      pos -= drop
      left = 0
      continue
    }
    left += 1
  }

  // add back a trailing comment when there is room
  if (left < MAX_TOKENS && st.lastComment.type === T_COMMENT) {
    st.tok(left).copyFrom(st.lastComment)
    left += 1
  }
  return left > MAX_TOKENS ? MAX_TOKENS : left
}

function fiveTokenSpecialCase(st: SqliState): boolean {
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
function foldThree(st: SqliState, left: number): number {
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
    b.val === '::' &&
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
  if (at === T_FUNCTION && bt === T_LEFTPARENS && ct !== T_RIGHTPARENS && equalsUpper(a.val, 'USER')) {
    a.type = T_BAREWORD // USER(x): not the 0-argument function
  }
  return 0
}
