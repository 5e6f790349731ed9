import {
  fiveTokenSpecialCase,
  foldThree,
  isUnaryOp,
  R_DROP,
  R_EVIL,
  R_JOIN,
  R_MERGE,
  R_ODBC,
  R_RESET,
  R_THREE,
  R_THREE_RESET,
  twoTokenRule,
} from './sqli-fold-rules'
import { tokenize } from './sqli-tokenizer'
import { MAX_TOKENS, T_COMMENT, T_LEFTPARENS, T_NONE, T_SQLTYPE, type SqliState } from './sqli-token'

/**
 * libinjection's folding: reads tokens and collapses them ("1+1" -> "1", "UNION" "ALL" ->
 * "UNION ALL", unary operators dropped...) until at most 5 remain; returns how many. The rules
 * and their order are libinjection 3.9.2's (ModSecurity 2.9.7).
 */

/** Reads one token into slot `pos`; a comment is set aside (lastComment). Returns the next slot. */
function readToken(st: SqliState, pos: number): number {
  const t = st.tok(pos)
  st.current = t
  st.more = tokenize(st)
  if (st.more) {
    if (t.type !== T_COMMENT) {
      st.lastComment.type = T_NONE
      return pos + 1
    }
    st.lastComment.copyFrom(t)
  }
  return pos
}

/** Reads tokens until `pos - left` reaches `want` (or the input ends); comments are set aside. */
function fill(st: SqliState, pos: number, left: number, want: number): number {
  while (st.more && pos <= MAX_TOKENS && pos - left < want) pos = readToken(st, pos)
  return pos
}

/*
 * The loops below return from inside the loop and have no code after it. V8 compiles a long
 * running loop on the stack (OSR) in the middle of the first long input; when such code bails
 * out after the loop, V8 (Node 20) keeps it and re-enters it on every later call, running the
 * rest of each call unoptimised (measured: a 64 KB run of '#' took 2.5x longer per call). A
 * bail-out inside the loop discards the OSR code instead.
 */

/** Skips leading comments, '(', SQL types and unary operators; st.more false: nothing else. */
function skipLeading(st: SqliState): void {
  for (;;) {
    st.more = tokenize(st)
    if (!st.more) return
    const t = st.current
    if (!(t.type === T_COMMENT || t.type === T_LEFTPARENS || t.type === T_SQLTYPE || isUnaryOp(t))) return
  }
}

export function fold(st: SqliState): number {
  st.lastComment.clear()
  st.more = true
  st.current = st.tok(0)
  skipLeading(st)
  if (!st.more) return 0
  foldLoop(st)
  if (st.foldEvil) return st.foldLeft + 2
  let left = st.foldLeft
  // add back a trailing comment when there is room
  if (left < MAX_TOKENS && st.lastComment.type === T_COMMENT) {
    st.tok(left).copyFrom(st.lastComment)
    left += 1
  }
  return left > MAX_TOKENS ? MAX_TOKENS : left
}

/**
 * libinjection's folding loop over pos (where the next token goes) and left (tokens already
 * final); leaves the number of tokens in st.foldLeft (st.foldEvil: the "{ ``" case, whose
 * result is foldLeft + 2).
 */
function foldLoop(st: SqliState): void {
  let pos = 1
  let left = 0
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
      st.foldLeft = pos
      return
    }

    pos = fill(st, pos, left, 2)
    if (pos - left < 2) {
      left = pos
      continue
    }
    const r = twoTokenRule(st.tok(left), st.tok(left + 1))
    if (r === R_THREE_RESET) left = 0
    else if (r !== R_THREE) {
      if (r === R_JOIN) pos -= 1
      else if (r === R_DROP) {
        pos -= 1
        left = 0
      } else if (r === R_MERGE) {
        pos -= 1
        if (left > 0) left -= 1
      } else if (r === R_RESET) left = 0
      else if (r === R_ODBC) {
        left = 0 // ODBC "{foo expr}": drop "{ foo"
        pos -= 2
      } else if (r === R_EVIL) {
        st.foldLeft = left
        st.foldEvil = true
        return
      }
      // R_AGAIN: a token's type changed, fold again
      continue
    }

    // no two-token rule folded: the three-token rules
    pos = fill(st, pos, left, 3)
    if (pos - left < 3) {
      left = pos
      continue
    }
    const drop = foldThree(st, left)
    if (drop > 0) {
      pos -= drop
      left = 0
    } else left += 1
  }
}
