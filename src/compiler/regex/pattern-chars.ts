/** Byte classes of pattern characters (non-UTF, "C" tables), shared by the parser's pieces. */
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
export const isOctal = (c: number): boolean => c >= 0x30 && c <= 0x37
export const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
export const isAlnum = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
export const isNameChar = (c: number): boolean => isAlnum(c) || c === 0x5f
/** Pattern white space in extended mode (non-UTF): HT LF VT FF CR space. */
export const isPatternSpace = (c: number): boolean => (c >= 0x09 && c <= 0x0d) || c === 0x20
