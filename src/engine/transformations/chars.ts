/**
 * Byte classification shared by the transformations. Everything here follows the C library in
 * the "C" locale, which is what ModSecurity 2.9 runs under (Apache never calls setlocale):
 * isspace() = HT LF VT FF CR SP only, tolower()/toupper() fold ASCII letters only.
 */

/** C isspace() in the C locale: 0x09-0x0D and 0x20. */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d)
}

/** [0-9A-Fa-f] (ModSecurity's VALID_HEX, also C isxdigit()). */
export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

/** [0-9] */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** [0-7] */
export function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37
}

/** C isalnum() in the C locale. */
export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/** Value of one hex digit; for other bytes the same arithmetic v2's x2c() does on them. */
export function hexNibble(c: number): number {
  return c >= 0x41 ? (c & 0xdf) - 0x41 + 10 : c - 0x30
}

/** Two hex digits -> byte, as v2's x2c(): no validation, unsigned-char wrap-around. */
export function hexByte(hi: number, lo: number): number {
  return (hexNibble(hi) * 16 + hexNibble(lo)) & 0xff
}

/** Byte at i, or 0 past the end: v2 works on NUL-terminated copies and some loops read one past. */
export function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0
}

/** Byte -> its one-char binary string (0..255), for decoders that append single bytes. */
export const BYTE_CHAR: readonly string[] = (() => {
  const t: string[] = []
  for (let c = 0; c < 256; c++) t.push(String.fromCharCode(c))
  return t
})()
