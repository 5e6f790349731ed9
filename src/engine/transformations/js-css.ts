import { at, hexByte, hexNibble, isCSpace, isHex, isOctal } from './chars'

function isF(c: number): boolean {
  return c === 0x66 || c === 0x46
}

/** Value of a C escape letter (\a \b \f \n \r \t \v); any other byte stands for itself. */
function cEscape(c: number): number {
  switch (c) {
    case 0x61:
      return 0x07
    case 0x62:
      return 0x08
    case 0x66:
      return 0x0c
    case 0x6e:
      return 0x0a
    case 0x72:
      return 0x0d
    case 0x74:
      return 0x09
    case 0x76:
      return 0x0b
    default:
      return c
  }
}

/**
 * t:jsDecode (v2 "nonstrict"): `\uHHHH` -> low byte (+0x20 for full-width FF01-FF5E),
 * `\xHH` -> byte, `\OOO` (1-3 octal digits, at most \377: a 3-digit form starting above 3 uses
 * only 2 digits) -> byte, `\a \b \f \n \r \t \v` -> control byte, `\C` -> C; a lone trailing
 * backslash is kept. Only lowercase `u` and `x` introduce escapes.
 */
export function jsDecode(input: string): string {
  const n = input.length
  let i = input.indexOf('\\')
  if (i < 0) return input
  let out = input.slice(0, i)
  let start = i
  while (i < n) {
    if (input.charCodeAt(i) !== 0x5c) {
      i++
      continue
    }
    out += input.slice(start, i)
    const c1 = at(input, i + 1)
    if (
      i + 5 < n &&
      c1 === 0x75 &&
      isHex(input.charCodeAt(i + 2)) &&
      isHex(input.charCodeAt(i + 3)) &&
      isHex(input.charCodeAt(i + 4)) &&
      isHex(input.charCodeAt(i + 5))
    ) {
      let b = hexByte(input.charCodeAt(i + 4), input.charCodeAt(i + 5))
      if (b > 0 && b < 0x5f && isF(input.charCodeAt(i + 2)) && isF(input.charCodeAt(i + 3))) b += 0x20
      out += String.fromCharCode(b)
      i += 6
    } else if (i + 3 < n && c1 === 0x78 && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
      out += String.fromCharCode(hexByte(input.charCodeAt(i + 2), input.charCodeAt(i + 3)))
      i += 4
    } else if (i + 1 < n && isOctal(c1)) {
      let j = 0
      while (i + 1 + j < n && j < 3) {
        j++
        if (!isOctal(at(input, i + 1 + j))) break
      }
      if (j === 3 && c1 > 0x33) j = 2
      let v = 0
      for (let k = 0; k < j; k++) v = v * 8 + (input.charCodeAt(i + 1 + k) - 0x30)
      out += String.fromCharCode(v & 0xff)
      i += 1 + j
    } else if (i + 1 < n) {
      out += String.fromCharCode(cEscape(c1))
      i += 2
    } else {
      out += '\\' // not enough bytes: keep the backslash
      i++
    }
    start = i
  }
  return out + input.slice(start)
}

/**
 * t:cssDecode (CSS 2 escapes): `\` + 1-6 hex digits -> one byte made of the last two digits
 * (one digit: its value); with 4 digits, or 5/6 digits whose extra leading digits are 0, the
 * full-width rule applies (FFxx with 0 < xx < 0x5F gets 0x20 added); one whitespace byte after a
 * hex escape is swallowed; `\` + newline is removed; `\` + other byte -> that byte; a trailing
 * `\` is removed.
 */
export function cssDecode(input: string): string {
  const n = input.length
  let i = input.indexOf('\\')
  if (i < 0) return input
  let out = input.slice(0, i)
  let start = i
  while (i < n) {
    if (input.charCodeAt(i) !== 0x5c) {
      i++
      continue
    }
    out += input.slice(start, i)
    if (i + 1 >= n) {
      i++ // trailing backslash: dropped
      start = i
      continue
    }
    i++
    let j = 0
    while (j < 6 && i + j < n && isHex(input.charCodeAt(i + j))) j++
    if (j > 0) {
      let b: number
      let fullcheck = false
      if (j === 1) b = hexNibble(input.charCodeAt(i)) & 0xff
      else {
        b = hexByte(input.charCodeAt(i + j - 2), input.charCodeAt(i + j - 1))
        if (j === 4) fullcheck = true
        else if (j === 5) fullcheck = input.charCodeAt(i) === 0x30
        else if (j === 6) fullcheck = input.charCodeAt(i) === 0x30 && input.charCodeAt(i + 1) === 0x30
      }
      if (
        fullcheck &&
        b > 0 &&
        b < 0x5f &&
        isF(input.charCodeAt(i + j - 3)) &&
        isF(input.charCodeAt(i + j - 4))
      ) {
        b += 0x20
      }
      out += String.fromCharCode(b)
      if (i + j < n && isCSpace(input.charCodeAt(i + j))) j++
      i += j
    } else if (input.charCodeAt(i) === 0x0a) {
      i++ // escaped newline: removed
    } else {
      out += input.charAt(i)
      i++
    }
    start = i
  }
  return out + input.slice(start)
}
