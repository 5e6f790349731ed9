/**
 * Byte classes for libinjection's SQL tokenizer: which parser handles a first byte, and the
 * character sets the parsers scan. C's strchr() also finds a set's terminating NUL, so a NUL
 * byte is in every set (and stops every "not in set" scan), as in libinjection.
 */

// Parser classes of the first byte
export const P_WHITE = 0
export const P_OP1 = 1
export const P_OP2 = 2
export const P_CHAR = 3
export const P_OTHER = 4
export const P_STRING = 5
export const P_HASH = 6
export const P_MONEY = 7
export const P_DASH = 8
export const P_NUMBER = 9
export const P_SLASH = 10
export const P_VAR = 11
export const P_WORD = 12
export const P_BSTRING = 13
export const P_ESTRING = 14
export const P_NQSTRING = 15
export const P_QSTRING = 16
export const P_USTRING = 17
export const P_XSTRING = 18
export const P_BWORD = 19
export const P_BACKSLASH = 20
export const P_TICK = 21

export const PARSER = new Uint8Array(256).fill(P_WORD) // letters, '_', bytes >= 0x80
export const WORD_STOP = new Uint8Array(256)
export const VAR_STOP = new Uint8Array(256)
export const HEX = new Uint8Array(256)
export const MONEY_NUM = new Uint8Array(256)
export const ALPHA = new Uint8Array(256)
export const WHITE = new Uint8Array(256)
{
  const set = (t: Uint8Array, chars: string, v: number): void => {
    for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = v
  }
  for (let c = 0; c <= 32; c++) PARSER[c] = P_WHITE
  PARSER[127] = P_WHITE
  PARSER[160] = P_WHITE
  set(PARSER, '!&*:<=>|', P_OP2)
  set(PARSER, '%+^~', P_OP1)
  set(PARSER, '(),;{}', P_CHAR)
  set(PARSER, '?]', P_OTHER)
  set(PARSER, '"\'', P_STRING)
  set(PARSER, '#', P_HASH)
  set(PARSER, '$', P_MONEY)
  set(PARSER, '-', P_DASH)
  set(PARSER, '.0123456789', P_NUMBER)
  set(PARSER, '/', P_SLASH)
  set(PARSER, '@', P_VAR)
  set(PARSER, 'Bb', P_BSTRING)
  set(PARSER, 'Ee', P_ESTRING)
  set(PARSER, 'Nn', P_NQSTRING)
  set(PARSER, 'Qq', P_QSTRING)
  set(PARSER, 'Uu', P_USTRING)
  set(PARSER, 'Xx', P_XSTRING)
  set(PARSER, '[', P_BWORD)
  set(PARSER, '\\', P_BACKSLASH)
  set(PARSER, '`', P_TICK)
  // strchr() on a C string also finds the terminating NUL: NUL is in every set below
  set(WORD_STOP, ' []{}<>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r"\xa0\0', 1)
  set(VAR_STOP, " <>:\\?=@!#~+-*/&|^%(),';\t\n\v\f\r'`\"\0", 1)
  set(HEX, '0123456789ABCDEFabcdef\0', 1)
  set(MONEY_NUM, '0123456789.,\0', 1)
  set(ALPHA, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\0', 1)
  set(WHITE, ' \t\n\v\f\r\xa0\0', 1)
}
export const BIN_DIGITS = new Uint8Array(256)
BIN_DIGITS[0x30] = BIN_DIGITS[0x31] = BIN_DIGITS[0] = 1
/** 0-9 only (no NUL: a C isdigit() test, not a strchr() set) */
export const DIGITS = new Uint8Array(256)
for (let c = 0x30; c <= 0x39; c++) DIGITS[c] = 1
export function isWhite(c: number): boolean {
  return WHITE[c] === 1
}

/*
 * Scans are small functions that return an index: a long run is then scanned by a loop with
 * nothing after it but the return. V8 replaces a long-running loop on the stack (OSR); when code
 * after such a loop has never run, the OSR code bails out there, and V8 (Node 20) keeps it and
 * re-enters it on every later call, running the rest of each call unoptimised (measured: up to
 * 2.5x slower per call on a 64 KB run).
 */

/** first i in [from, to) with s[i] not in `set`, or `to` */
export function skipIn(s: string, from: number, to: number, set: Uint8Array): number {
  while (from < to && set[s.charCodeAt(from)] === 1) from++
  return from
}

/** first i in [from, to) with s[i] in `set`, or `to` */
export function skipNotIn(s: string, from: number, to: number, set: Uint8Array): number {
  while (from < to && set[s.charCodeAt(from)] !== 1) from++
  return from
}

/** length of the run of bytes of `set` in s[from, to) */
export function span(s: string, from: number, to: number, set: Uint8Array): number {
  return skipIn(s, from, to, set) - from
}

/** First i in [from, to - 1) with s[i] == c0 and s[i+1] == c1, or -1 (libinjection's memchr2). */
export function find2(s: string, from: number, to: number, c0: number, c1: number): number {
  for (let i = from; i < to - 1; i++) if (s.charCodeAt(i) === c0 && s.charCodeAt(i + 1) === c1) return i
  return -1
}
