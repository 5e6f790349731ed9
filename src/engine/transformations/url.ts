import type { TransformEnv } from './types'
import { BYTE_CHAR, hexByte, isHex } from './chars'
import { scratch, scratchString } from './scratch'

const PLUS = /\+/g

/**
 * Decoded escapes appended as string pieces before the rest of the value is decoded in the
 * scratch buffer instead: pieces cost per escape, the buffer per byte (and a fixed cost to
 * turn it into a string), so a few escapes in a long value stay pieces and an escape-dense
 * value goes through the buffer.
 */
const MAX_PIECES = 16

/**
 * The byte of `%uHHHH` (h1..h4 hex digits) as v2 decodes it: the SecUnicodeMapFile byte when
 * the code point is in the table, else the low byte, plus 0x20 for FF01-FF5E (full-width ASCII).
 */
function uniByte(
  h1: number,
  h2: number,
  h3: number,
  h4: number,
  map: ReadonlyMap<number, number> | undefined,
): number {
  if (map !== undefined) {
    const mapped = map.get((hexByte(h1, h2) << 8) | hexByte(h3, h4))
    if (mapped !== undefined) return mapped & 0xff
  }
  const b = hexByte(h3, h4)
  return b > 0 && b < 0x5f && (h1 | 0x20) === 0x66 && (h2 | 0x20) === 0x66 ? b + 0x20 : b
}

/**
 * Decodes the escapes of s from index `from` on into the scratch buffer (`+` -> SP too) and
 * returns the decoded rest. uni: also `%uHHHH`; an invalid `%u` keeps `%` and `u`.
 */
function decodeRest(
  s: string,
  from: number,
  uni: boolean,
  map: ReadonlyMap<number, number> | undefined,
): string {
  const n = s.length
  const out = scratch(n - from)
  let j = 0
  let i = from
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === 0x25) {
      const c1 = i + 1 < n ? s.charCodeAt(i + 1) : 0
      if (uni && (c1 === 0x75 || c1 === 0x55)) {
        if (i + 5 < n) {
          const h1 = s.charCodeAt(i + 2)
          const h2 = s.charCodeAt(i + 3)
          const h3 = s.charCodeAt(i + 4)
          const h4 = s.charCodeAt(i + 5)
          if (isHex(h1) && isHex(h2) && isHex(h3) && isHex(h4)) {
            out[j++] = uniByte(h1, h2, h3, h4, map)
            i += 6
            continue
          }
        }
        out[j++] = c
        out[j++] = c1
        i += 2
        continue
      }
      if (i + 2 < n) {
        const c2 = s.charCodeAt(i + 2)
        if (isHex(c1) && isHex(c2)) {
          out[j++] = hexByte(c1, c2)
          i += 3
          continue
        }
      }
    } else if (c === 0x2b) {
      out[j++] = 0x20
      i++
      continue
    }
    out[j++] = c
    i++
  }
  return scratchString(j)
}

/** A valid escape: `%HH`, and for urlDecodeUni `%uHHHH` too (`u` or `U`; never a `%HH`). */
const ESCAPE = /%[0-9A-Fa-f]{2}/g
const ESCAPE_UNI = /%(?:[uU][0-9A-Fa-f]{4}|[0-9A-Fa-f]{2})/g

/**
 * The %-escapes of s decoded (`+` already replaced), starting at its first `%`; s itself when
 * no escape is valid. The regex skips invalid `%` at scan speed (an invalid `%u` keeps `%` and
 * `u`: `u` cannot start an escape, so resuming one byte later is the same); the bytes between
 * escapes are copied as slices. After MAX_PIECES escapes the rest goes through the byte buffer.
 */
function decodePercent(
  s: string,
  first: number,
  uni: boolean,
  map: ReadonlyMap<number, number> | undefined,
): string {
  const re = uni ? ESCAPE_UNI : ESCAPE
  re.lastIndex = first
  let out = ''
  let start = 0
  let pieces = 0
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const i = m.index
    const long = m[0].length === 6
    const b = long
      ? uniByte(s.charCodeAt(i + 2), s.charCodeAt(i + 3), s.charCodeAt(i + 4), s.charCodeAt(i + 5), map)
      : hexByte(s.charCodeAt(i + 1), s.charCodeAt(i + 2))
    out += s.slice(start, i)
    out += BYTE_CHAR[b] ?? ''
    start = i + (long ? 6 : 3)
    if (++pieces === MAX_PIECES) {
      re.lastIndex = 0
      return out + decodeRest(s, start, uni, map)
    }
  }
  if (start === 0) return s
  return out + s.slice(start)
}

/**
 * t:urlDecode. `%HH` with two hex digits -> the byte, `+` -> space; any other `%` (not
 * followed by two hex digits, or too close to the end) is kept as is (v2 "nonstrict" decoding).
 * `+` -> SP is done first (one native pass): a `+` is never part of a valid escape and its SP
 * is not a hex digit either, so escapes decode the same.
 */
export function urlDecode(input: string): string {
  const pct = input.indexOf('%')
  const s = input.indexOf('+') < 0 ? input : input.replace(PLUS, ' ')
  return pct < 0 ? s : decodePercent(s, pct, false, undefined)
}

/**
 * t:urlDecodeUni. As urlDecode, plus the IIS `%uHHHH` form (`u` or `U`, exactly four hex
 * digits). The code point becomes one byte: with a SecUnicodeMapFile table
 * (env.unicodeMap: code point -> byte) a mapped code point takes its table byte; otherwise
 * the low byte is used, and for FF01-FF5E (full-width ASCII, hex digits `ff`/`FF` in the
 * input) 0x20 is added. An invalid `%u` sequence keeps both `%` and `u` and resumes after them.
 */
export function urlDecodeUni(input: string, env: TransformEnv): string {
  const pct = input.indexOf('%')
  const s = input.indexOf('+') < 0 ? input : input.replace(PLUS, ' ')
  return pct < 0 ? s : decodePercent(s, pct, true, env.unicodeMap)
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
  const out = scratch(n * 3)
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
  return scratchString(j)
}
