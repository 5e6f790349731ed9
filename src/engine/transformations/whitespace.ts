import { isCSpace } from './chars'

// ModSecurity's whitespace for removeWhitespace/compressWhitespace: C isspace() (HT LF VT FF CR
// SP) or NBSP (0xA0). Precompiled; String.prototype.replace with a global regex builds its result
// natively (no per-byte JS work), and on a binary string \xa0 is the byte 0xA0.
const SPACE = /[\t-\r \xa0]/
const SPACE_RUNS = /[\t-\r \xa0]+/g
/** whitespace other than SP: compressWhitespace turns it into SP */
const OTHER_SPACE = /[\t-\r\xa0]/

/**
 * t:compressWhitespace: every run of whitespace (C isspace(): HT LF VT FF CR SP, plus NBSP 0xA0)
 * becomes one space, at the ends too.
 */
export function compressWhitespace(input: string): string {
  // unchanged unless some whitespace is not SP or two whitespace bytes are adjacent
  if (!OTHER_SPACE.test(input) && input.indexOf('  ') < 0) return input
  return input.replace(SPACE_RUNS, ' ')
}

/** t:removeWhitespace: removes every HT LF VT FF CR SP and NBSP (0xA0) byte. */
export function removeWhitespace(input: string): string {
  return SPACE.test(input) ? input.replace(SPACE_RUNS, '') : input
}

/** t:trimLeft: removes leading C isspace() bytes (HT LF VT FF CR SP; not NBSP). */
export function trimLeft(input: string): string {
  let i = 0
  while (i < input.length && isCSpace(input.charCodeAt(i))) i++
  return i === 0 ? input : input.slice(i)
}

/** t:trimRight: removes trailing C isspace() bytes (HT LF VT FF CR SP; not NBSP). */
export function trimRight(input: string): string {
  let i = input.length
  while (i > 0 && isCSpace(input.charCodeAt(i - 1))) i--
  return i === input.length ? input : input.slice(0, i)
}

/** t:trim: trimLeft + trimRight. */
export function trim(input: string): string {
  return trimRight(trimLeft(input))
}
