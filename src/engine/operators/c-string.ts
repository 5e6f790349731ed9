import type { BinaryString } from '../bytes'

/**
 * Helpers for the places where ModSecurity 2.9 treats a value as a NUL-terminated C string
 * (strlen, atoi, strdup, inet_pton): everything from the first NUL byte on is ignored there.
 */

/** The value up to (not including) its first NUL byte; the same string when there is none. */
export function cString(s: BinaryString): BinaryString {
  const nul = s.indexOf('\0')
  return nul < 0 ? s : s.slice(0, nul)
}

/** C isspace() in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d)
}

/** C isalnum() in the "C" locale (ASCII only; bytes >= 0x80 are not letters). */
export function isCAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/** C isxdigit(). */
export function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}
