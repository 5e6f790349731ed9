import type { TransformEnv } from './types'
import { hexByte, isHex } from './chars'

/**
 * t:urlDecode. `%HH` with two hex digits -> the byte, `+` -> space; any other `%` (not
 * followed by two hex digits, or too close to the end) is kept as is (v2 "nonstrict" decoding).
 */
export function urlDecode(input: string): string {
  const n = input.length
  let out = ''
  let start = 0
  for (let i = 0; i < n;) {
    const c = input.charCodeAt(i)
    if (c === 0x25) {
      if (i + 2 < n) {
        const c1 = input.charCodeAt(i + 1)
        const c2 = input.charCodeAt(i + 2)
        if (isHex(c1) && isHex(c2)) {
          out += input.slice(start, i) + String.fromCharCode(hexByte(c1, c2))
          i += 3
          start = i
          continue
        }
      }
      i++
    } else if (c === 0x2b) {
      out += input.slice(start, i) + ' '
      i++
      start = i
    } else i++
  }
  if (start === 0) return input
  return out + input.slice(start)
}

/**
 * t:urlDecodeUni. As urlDecode, plus the IIS `%uHHHH` form (`u` or `U`, exactly four hex
 * digits). The code point becomes one byte: with a SecUnicodeMapFile table
 * (env.unicodeMap: code point -> byte) a mapped code point takes its table byte; otherwise
 * the low byte is used, and for FF01-FF5E (full-width ASCII, hex digits `ff`/`FF` in the
 * input) 0x20 is added. An invalid `%u` sequence keeps both `%` and `u` and resumes after them.
 */
export function urlDecodeUni(input: string, env: TransformEnv): string {
  const n = input.length
  const map = env.unicodeMap
  let out = ''
  let start = 0
  for (let i = 0; i < n;) {
    const c = input.charCodeAt(i)
    if (c === 0x25) {
      const c1 = i + 1 < n ? input.charCodeAt(i + 1) : 0
      if (c1 === 0x75 || c1 === 0x55) {
        if (i + 5 < n) {
          const h1 = input.charCodeAt(i + 2)
          const h2 = input.charCodeAt(i + 3)
          const h3 = input.charCodeAt(i + 4)
          const h4 = input.charCodeAt(i + 5)
          if (isHex(h1) && isHex(h2) && isHex(h3) && isHex(h4)) {
            let b = -1
            if (map !== undefined) {
              const mapped = map.get((hexByte(h1, h2) << 8) | hexByte(h3, h4))
              if (mapped !== undefined) b = mapped & 0xff
            }
            if (b < 0) {
              b = hexByte(h3, h4)
              if (b > 0 && b < 0x5f && (h1 | 0x20) === 0x66 && (h2 | 0x20) === 0x66) b += 0x20
            }
            out += input.slice(start, i) + String.fromCharCode(b)
            i += 6
            start = i
            continue
          }
        }
        i += 2 // keep "%u" and go on after it
        continue
      }
      if (i + 2 < n) {
        const c2 = input.charCodeAt(i + 2)
        if (isHex(c1) && isHex(c2)) {
          out += input.slice(start, i) + String.fromCharCode(hexByte(c1, c2))
          i += 3
          start = i
          continue
        }
      }
      i++
    } else if (c === 0x2b) {
      out += input.slice(start, i) + ' '
      i++
      start = i
    } else i++
  }
  if (start === 0) return input
  return out + input.slice(start)
}

/** Bytes urlEncode leaves alone: `*`, digits, ASCII letters. */
function urlSafe(c: number): boolean {
  return c === 0x2a || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

const HEX = '0123456789abcdef'

/** t:urlEncode. Space -> `+`; everything but `*`, digits and letters -> `%hh` (lowercase hex). */
export function urlEncode(input: string): string {
  const n = input.length
  let out = ''
  let start = 0
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i)
    if (urlSafe(c)) continue
    out += input.slice(start, i)
    out += c === 0x20 ? '+' : '%' + HEX.charAt(c >> 4) + HEX.charAt(c & 15)
    start = i + 1
  }
  if (start === 0) return input
  return out + input.slice(start)
}
