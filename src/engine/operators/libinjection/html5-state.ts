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

/** Byte sets for scanUntil(): where a tag name, an attribute name, an unquoted value ends. */
export const TAG_NAME_END = new Uint8Array(256) // whitespace (not NUL: allowed in tag names), / >
export const ATTR_NAME_END = new Uint8Array(256) // whitespace and NUL, / = >
export const VALUE_END = new Uint8Array(256) // whitespace and NUL, >
export const WHITE_OR_NUL = new Uint8Array(256)
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) {
  TAG_NAME_END[c] = ATTR_NAME_END[c] = VALUE_END[c] = WHITE_OR_NUL[c] = 1
}
ATTR_NAME_END[0] = VALUE_END[0] = WHITE_OR_NUL[0] = 1
TAG_NAME_END[0x2f] = TAG_NAME_END[0x3e] = 1
ATTR_NAME_END[0x2f] = ATTR_NAME_END[0x3d] = ATTR_NAME_END[0x3e] = 1
VALUE_END[0x3e] = 1

/*
 * Scans over the input are small functions that return an index: a long run is then scanned by
 * a loop with nothing after it but the return, which V8 can replace on the stack (OSR) without
 * leaving code that has never run after the loop (V8 keeps such OSR code when it bails out after
 * the loop, and re-enters and leaves it on every later call: measured on Node 20).
 */

/** first i in [from, to) with set[s[i]] = 1, or `to` */
export function scanUntil(s: string, from: number, to: number, set: Uint8Array): number {
  while (from < to && set[s.charCodeAt(from)] !== 1) from++
  return from
}

/** first i in [from, to) with set[s[i]] != 1, or `to` */
export function scanWhile(s: string, from: number, to: number, set: Uint8Array): number {
  while (from < to && set[s.charCodeAt(from)] === 1) from++
  return from
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
    const p = scanWhile(this.s, this.pos, this.len, WHITE_OR_NUL)
    this.pos = p
    if (p >= this.len) return -1
    const c = this.s.charCodeAt(p)
    return c >= 0x80 ? c - 0x100 : c
  }
}
