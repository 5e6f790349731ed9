/**
 * Token and parser state of our implementation of libinjection's SQLi detector (the algorithm of
 * libinjection 3.9.2, the version ModSecurity 2.9.7 embeds).
 *
 * Input is a binary string (one char per byte). Token types are char codes: a fingerprint is the
 * string of the types of (at most 5) folded tokens, e.g. "s&1c".
 */

// Token types (libinjection's letters, as char codes)
export const T_NONE = 0
export const T_KEYWORD = 0x6b // k
export const T_UNION = 0x55 // U
export const T_GROUP = 0x42 // B
export const T_EXPRESSION = 0x45 // E
export const T_SQLTYPE = 0x74 // t
export const T_FUNCTION = 0x66 // f
export const T_BAREWORD = 0x6e // n
export const T_NUMBER = 0x31 // 1
export const T_VARIABLE = 0x76 // v
export const T_STRING = 0x73 // s
export const T_OPERATOR = 0x6f // o
export const T_LOGIC_OPERATOR = 0x26 // &
export const T_COMMENT = 0x63 // c
export const T_COLLATE = 0x41 // A
export const T_LEFTPARENS = 0x28 // (
export const T_RIGHTPARENS = 0x29 // )
export const T_LEFTBRACE = 0x7b // {
export const T_RIGHTBRACE = 0x7d // }
export const T_DOT = 0x2e // .
export const T_COMMA = 0x2c // ,
export const T_COLON = 0x3a // :
export const T_SEMICOLON = 0x3b // ;
export const T_TSQL = 0x54 // T
export const T_UNKNOWN = 0x3f // ?
export const T_EVIL = 0x58 // X
export const T_BACKSLASH = 0x5c // \

// Parse flags (which quote context the input is assumed to start in, and the SQL dialect)
export const FLAG_QUOTE_NONE = 1
export const FLAG_QUOTE_SINGLE = 2
export const FLAG_QUOTE_DOUBLE = 4
export const FLAG_SQL_ANSI = 8
export const FLAG_SQL_MYSQL = 16

/** libinjection keeps at most 31 bytes of a token's value (a 32-byte C buffer with its NUL). */
export const TOKEN_VAL_MAX = 31
/** A fingerprint has at most 5 tokens. */
export const MAX_TOKENS = 5

export class Token {
  type = T_NONE
  /** opening quote char code of a string token (0: none / simulated), or 'u', 'q', '$' */
  strOpen = 0
  /** closing quote char code (0: the string ran to the end of input) */
  strClose = 0
  /** offset of the token in the input */
  pos = 0
  /** length of `val` (the token's length, capped at TOKEN_VAL_MAX) */
  len = 0
  /** the token's text, at most TOKEN_VAL_MAX bytes */
  val = ''

  clear(): void {
    this.type = T_NONE
    this.strOpen = 0
    this.strClose = 0
    this.pos = 0
    this.len = 0
    this.val = ''
  }

  /** Sets type and value from `len` bytes of `s` at `start` (value capped at 31 bytes). */
  assign(type: number, pos: number, s: string, start: number, len: number): void {
    const n = len < TOKEN_VAL_MAX ? len : TOKEN_VAL_MAX
    this.type = type
    this.pos = pos
    this.len = n
    this.val = n === 0 ? '' : s.substring(start, start + n)
  }

  /** Sets a one-byte token. */
  assignChar(type: number, pos: number, ch: string): void {
    this.type = type
    this.pos = pos
    this.len = 1
    this.val = ch
  }

  copyFrom(o: Token): void {
    this.type = o.type
    this.strOpen = o.strOpen
    this.strClose = o.strClose
    this.pos = o.pos
    this.len = o.len
    this.val = o.val
  }
}

/** The whole parser state for one input; reused between inputs (no allocation per call). */
export class SqliState {
  s = ''
  slen = 0
  flags = FLAG_QUOTE_NONE | FLAG_SQL_ANSI
  /** read position of the tokenizer */
  pos = 0
  /** tokenvec: the folded tokens (6 used: the fold sometimes reads one past the 5th) */
  readonly tokens: readonly Token[] = [
    new Token(),
    new Token(),
    new Token(),
    new Token(),
    new Token(),
    new Token(),
    new Token(),
    new Token(),
  ]
  /** the token the tokenizer writes next */
  current: Token
  readonly lastComment = new Token()
  /** the tokenizer has not reached the end of input (fold) */
  more = false
  /** tokens produced by the tokenizer in this pass (comments included) */
  statsTokens = 0
  /** "--x" comments seen (ANSI mode), "#" seen: either makes the detector retry in MySQL mode */
  statsCommentDdx = 0
  statsCommentHash = 0
  /** the fingerprint of the last pass */
  fingerprint = ''

  constructor() {
    this.current = this.tok(0)
  }

  /** tokens[i]; i is always 0..7 by construction */
  tok(i: number): Token {
    const t = this.tokens[i]
    return t === undefined ? this.lastComment : t
  }

  /** Starts a new pass over `s` with `flags` (libinjection_sqli_reset). */
  reset(s: string, flags: number): void {
    this.s = s
    this.slen = s.length
    this.flags = flags
    this.pos = 0
    for (let i = 0; i < this.tokens.length; i++) this.tok(i).clear()
    this.lastComment.clear()
    this.current = this.tok(0)
    this.statsTokens = 0
    this.statsCommentDdx = 0
    this.statsCommentHash = 0
    this.fingerprint = ''
  }

  /** byte at i, 0 past the end (C reads the value's NUL terminator there) */
  at(i: number): number {
    return i < this.slen ? this.s.charCodeAt(i) : 0
  }
}
