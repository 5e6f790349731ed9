/**
 * State of libinjection's HTML5 tokenizer (libinjection_html5.c of libinjection 3.9.2, as
 * embedded in ModSecurity 2.9.7), our implementation: token types, start contexts, states.
 *
 * The C code calls the next state's function directly; here a state function sets `state` and
 * returns CONTINUE, and next() (html5.ts) loops, so long inputs cannot exhaust the stack.
 */

// Token types
export const H5_DATA_TEXT = 0
export const H5_TAG_NAME_OPEN = 1
export const H5_TAG_NAME_CLOSE = 2
export const H5_TAG_NAME_SELFCLOSE = 3
export const H5_TAG_DATA = 4
export const H5_TAG_CLOSE = 5
export const H5_ATTR_NAME = 6
export const H5_ATTR_VALUE = 7
export const H5_TAG_COMMENT = 8
export const H5_DOCTYPE = 9

// Start contexts (libinjection's html5_flags)
export const H5_START_DATA = 0
export const H5_START_VALUE_NO_QUOTE = 1
export const H5_START_VALUE_SINGLE_QUOTE = 2
export const H5_START_VALUE_DOUBLE_QUOTE = 3
export const H5_START_VALUE_BACK_QUOTE = 4

// States
export const S_EOF = 0
export const S_DATA = 1
export const S_TAG_OPEN = 2
export const S_END_TAG_OPEN = 3
export const S_TAG_NAME = 4
export const S_TAG_NAME_CLOSE = 5
export const S_BEFORE_ATTR_NAME = 6
export const S_ATTR_NAME = 7
export const S_AFTER_ATTR_NAME = 8
export const S_BEFORE_ATTR_VALUE = 9
export const S_VALUE_DOUBLE_QUOTE = 10
export const S_VALUE_SINGLE_QUOTE = 11
export const S_VALUE_BACK_QUOTE = 12
export const S_VALUE_NO_QUOTE = 13
export const S_AFTER_VALUE_QUOTED = 14
export const S_SELF_CLOSING = 15
export const S_BOGUS_COMMENT = 16
export const S_BOGUS_COMMENT2 = 17
export const S_MARKUP_DECLARATION_OPEN = 18
export const S_COMMENT = 19
export const S_CDATA = 20
export const S_DOCTYPE = 21

/** a state function's result: no more tokens, a token, or "run `state` now" */
export const STOP = 0
export const TOKEN = 1
export const CONTINUE = 2

/** HTML whitespace for libinjection: \t \n \v \f \r space, and NUL (C strchr finds the terminator) */
export function isWhite(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0
}

export function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)
}

export class Html5State {
  s = ''
  len = 0
  pos = 0
  isClose = false
  state = S_EOF
  tokenStart = 0
  tokenLen = 0
  tokenType = H5_DATA_TEXT

  /** Sets the current token; returns TOKEN. */
  token(type: number, start: number, len: number): number {
    this.tokenType = type
    this.tokenStart = start
    this.tokenLen = len
    return TOKEN
  }

  /** Switches to `state` without producing a token; returns CONTINUE. */
  go(state: number): number {
    this.state = state
    return CONTINUE
  }

  /**
   * Skips whitespace (and NUL); returns the next byte as a C signed char (so 0xFF reads as -1,
   * the EOF marker, as in libinjection), or -1 at the end.
   */
  skipWhite(): number {
    while (this.pos < this.len) {
      const c = this.s.charCodeAt(this.pos)
      if (c === 0 || c === 0x20 || (c >= 0x09 && c <= 0x0d)) this.pos += 1
      else return c >= 0x80 ? c - 0x100 : c
    }
    return -1
  }
}
