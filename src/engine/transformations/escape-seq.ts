import { at, hexByte, isHex, isOctal } from './chars'

/** The byte an ANSI C escape letter stands for, or -1. */
function ansiEscape(c: number): number {
  switch (c) {
    case 0x61:
      return 0x07 // \a
    case 0x62:
      return 0x08 // \b
    case 0x66:
      return 0x0c // \f
    case 0x6e:
      return 0x0a // \n
    case 0x72:
      return 0x0d // \r
    case 0x74:
      return 0x09 // \t
    case 0x76:
      return 0x0b // \v
    case 0x5c: // \\
    case 0x3f: // \?
    case 0x27: // \'
    case 0x22: // \"
      return c
    default:
      return -1
  }
}

/**
 * t:escapeSeqDecode: ANSI C escapes. `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH` (`x` or `X`,
 * exactly two hex digits) and `\O`..`\OOO` (octal, the low byte of the value) are decoded; for
 * any other `\C` the backslash is dropped and C kept; a trailing `\` stays.
 */
export function escapeSeqDecode(input: string): string {
  const n = input.length
  let i = input.indexOf('\\')
  if (i < 0 || i === n - 1) return input
  let out = input.slice(0, i)
  let start = i
  while (i < n) {
    if (input.charCodeAt(i) !== 0x5c || i + 1 >= n) {
      i++
      continue
    }
    out += input.slice(start, i)
    const c1 = input.charCodeAt(i + 1)
    let c = ansiEscape(c1)
    if (c >= 0) i += 2
    else if (c1 === 0x78 || c1 === 0x58) {
      if (i + 3 < n && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
        c = hexByte(input.charCodeAt(i + 2), input.charCodeAt(i + 3))
        i += 4
      }
    } else if (isOctal(c1)) {
      let j = 0
      while (i + 1 + j < n && j < 3) {
        j++
        if (!isOctal(at(input, i + 1 + j))) break
      }
      let v = 0
      for (let k = 0; k < j; k++) v = v * 8 + (input.charCodeAt(i + 1 + k) - 0x30)
      c = v & 0xff
      i += 1 + j
    }
    if (c < 0) {
      out += input.charAt(i + 1) // unknown escape: drop the backslash
      i += 2
    } else out += String.fromCharCode(c)
    start = i
  }
  return out + input.slice(start)
}
