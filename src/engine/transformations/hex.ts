import { scratch, scratchString } from './scratch'
import { at, hexByte, isHex } from './chars'

const HEX_DIGITS = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102])

/** t:hexEncode: every byte -> two lowercase hex digits. */
export function hexEncode(input: string): string {
  const n = input.length
  const out = scratch(n * 2)
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i)
    out[2 * i] = HEX_DIGITS[(c >> 4) & 15] ?? 0
    out[2 * i + 1] = HEX_DIGITS[c & 15] ?? 0
  }
  return scratchString(n * 2)
}

/**
 * t:hexDecode: every pair of bytes -> one byte; a trailing odd byte is dropped. Like v2 the
 * pairs are not validated: a non-hex byte goes through the same digit arithmetic (x2c).
 */
export function hexDecode(input: string): string {
  const m = input.length >> 1
  const out = scratch(m)
  for (let k = 0; k < m; k++) out[k] = hexByte(input.charCodeAt(2 * k), input.charCodeAt(2 * k + 1))
  return scratchString(m)
}

/**
 * t:sqlHexDecode: SQL hex literals `0xHHHH...` (`x` or `X`) -> bytes, as v2: decoding takes
 * whole pairs of hex digits (a trailing odd digit stays), `0x` not followed by two hex digits is
 * kept, the byte right after a decoded literal is copied without being examined, processing
 * stops at the first NUL byte (C string) and the output is cut at its first NUL (strlen).
 */
export function sqlHexDecode(input: string): string {
  const n0 = input.indexOf('\0')
  const n = n0 < 0 ? input.length : n0
  let out = ''
  let start = 0
  let i = 0
  while (i < n) {
    if (
      input.charCodeAt(i) === 0x30 &&
      (at(input, i + 1) | 0x20) === 0x78 &&
      i + 3 < n &&
      isHex(input.charCodeAt(i + 2)) &&
      isHex(input.charCodeAt(i + 3))
    ) {
      out += input.slice(start, i)
      i += 2
      while (i + 1 < n && isHex(input.charCodeAt(i)) && isHex(input.charCodeAt(i + 1))) {
        out += String.fromCharCode(hexByte(input.charCodeAt(i), input.charCodeAt(i + 1)))
        i += 2
      }
      // the next byte is copied as is
      if (i < n) out += input.charAt(i)
      i++
      start = i
      continue
    }
    i++
  }
  if (start === 0 && n === input.length) return input
  if (start < n) out += input.slice(start, n)
  const cut = out.indexOf('\0')
  return cut < 0 ? out : out.slice(0, cut)
}
