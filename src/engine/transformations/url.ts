import { bytesToBinary } from '../bytes'
import type { TransformEnv } from './types'
import { hexByte, isHex } from './chars'
import { scratch, scratchString } from './scratch'

/** Index of the first `%` or `+` (input.length: nothing to decode). */
function firstEscape(input: string): number {
  let i = 0
  while (i < input.length) {
    const c = input.charCodeAt(i)
    if (c === 0x25 || c === 0x2b) break
    i++
  }
  return i
}

/**
 * The reused scratch buffer, sized for the input, holding its first `upto` bytes: decoded bytes
 * go there (a long value with many escapes would otherwise build a string of thousands of
 * concatenations).
 */
function bufferWithPrefix(input: string, upto: number): Uint8Array {
  const out = scratch(input.length)
  for (let k = 0; k < upto; k++) out[k] = input.charCodeAt(k)
  return out
}

/**
 * t:urlDecode. `%HH` with two hex digits -> the byte, `+` -> space; any other `%` (not
 * followed by two hex digits, or too close to the end) is kept as is (v2 "nonstrict" decoding).
 */
export function urlDecode(input: string): string {
  const n = input.length
  let i = firstEscape(input)
  if (i === n) return input
  const out = bufferWithPrefix(input, i)
  let j = i
  let changed = false
  while (i < n) {
    const c = input.charCodeAt(i)
    if (c === 0x25 && i + 2 < n) {
      const c1 = input.charCodeAt(i + 1)
      const c2 = input.charCodeAt(i + 2)
      if (isHex(c1) && isHex(c2)) {
        out[j++] = hexByte(c1, c2)
        i += 3
        changed = true
        continue
      }
    } else if (c === 0x2b) {
      out[j++] = 0x20
      i++
      changed = true
      continue
    }
    out[j++] = c
    i++
  }
  return changed ? scratchString(j) : input
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
  let i = firstEscape(input)
  if (i === n) return input
  const map = env.unicodeMap
  const out = bufferWithPrefix(input, i)
  let j = i
  let changed = false
  while (i < n) {
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
            out[j++] = b
            i += 6
            changed = true
            continue
          }
        }
        // keep "%u" and go on after it
        out[j++] = c
        out[j++] = c1
        i += 2
        continue
      }
      if (i + 2 < n) {
        const c2 = input.charCodeAt(i + 2)
        if (isHex(c1) && isHex(c2)) {
          out[j++] = hexByte(c1, c2)
          i += 3
          changed = true
          continue
        }
      }
    } else if (c === 0x2b) {
      out[j++] = 0x20
      i++
      changed = true
      continue
    }
    out[j++] = c
    i++
  }
  return changed ? scratchString(j) : input
}

/** Bytes urlEncode leaves alone: `*`, digits, ASCII letters. */
function urlSafe(c: number): boolean {
  return c === 0x2a || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

const HEX_DIGITS = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102])

/** t:urlEncode. Space -> `+`; everything but `*`, digits and letters -> `%hh` (lowercase hex). */
export function urlEncode(input: string): string {
  const n = input.length
  let i = 0
  while (i < n && urlSafe(input.charCodeAt(i))) i++
  if (i === n) return input
  const out = new Uint8Array(n * 3)
  let j = 0
  for (let k = 0; k < n; k++) {
    const c = input.charCodeAt(k) & 0xff
    if (urlSafe(c)) out[j++] = c
    else if (c === 0x20) out[j++] = 0x2b
    else {
      out[j++] = 0x25
      out[j++] = HEX_DIGITS[c >> 4] ?? 0
      out[j++] = HEX_DIGITS[c & 15] ?? 0
    }
  }
  return bytesToBinary(out.subarray(0, j))
}
