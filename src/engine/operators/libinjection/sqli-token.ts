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
  /** length of the value (the token's length, capped at TOKEN_VAL_MAX) */
  len = 0
  /**
   * The value is `len` bytes of `src` from `off`: a view into the input, so that no string is
   * built per token. Only a merged multi-word keyword ("UNION ALL") and the X of an unparsable
   * input have a string of their own.
   */
  src = ''
  off = 0

  /** the token's text, at most TOKEN_VAL_MAX bytes (builds a string: tests and debugging) */
  get val(): string {
    return this.src.substring(this.off, this.off + this.len)
  }

  /** byte i of the value; -1 past its end */
  code(i: number): number {
    if (i >= this.len) return -1
    const c = this.src.charCodeAt(this.off + i)
    return c === c ? c : -1 // NaN past the end of a short src (the X value)
  }

  clear(): void {
    this.type = T_NONE
    this.strOpen = 0
    this.strClose = 0
    this.pos = 0
    this.len = 0
    this.src = ''
    this.off = 0
  }

  /** Before the tokenizer writes the token: every parser sets type, pos, len and value. */
  clearForTokenizer(): void {
    this.type = T_NONE
    this.strOpen = 0
    this.strClose = 0
  }

  /** Sets type and value from `len` bytes of `s` at `start` (value capped at 31 bytes). */
  assign(type: number, pos: number, s: string, start: number, len: number): void {
    this.type = type
    this.pos = pos
    this.len = len < TOKEN_VAL_MAX ? len : TOKEN_VAL_MAX
    this.src = s
    this.off = start
  }

  /** Sets a one-byte token: the byte of `s` at `pos`. */
  assignChar(type: number, pos: number, s: string): void {
    this.type = type
    this.pos = pos
    this.len = 1
    this.src = s
    this.off = pos
  }

  copyFrom(o: Token): void {
    this.type = o.type
    this.strOpen = o.strOpen
    this.strClose = o.strClose
    this.pos = o.pos
    this.len = o.len
    this.src = o.src
    this.off = o.off
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
  /** result of the folding loop (sqli-fold.ts): the number of tokens, the "{ ``" case */
  foldLeft = 0
  foldEvil = false
  /** number of folded tokens of the last pass (the fingerprint's length) */
  count = 0
  /** the fingerprint of the last pass, as a string: built on demand by fingerprintString() (sqli.ts) */
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
    // the tokens need no clearing: a pass reads no token it has not written (the tokenizer
    // clears each token it writes, fold() clears lastComment)
    this.current = this.tok(0)
    this.statsTokens = 0
    this.statsCommentDdx = 0
    this.statsCommentHash = 0
    this.foldLeft = 0
    this.foldEvil = false
    this.count = 0
    this.fingerprint = ''
  }

  /** byte at i, 0 past the end (C reads the value's NUL terminator there) */
  at(i: number): number {
    return i < this.slen ? this.s.charCodeAt(i) : 0
  }
}
