import { scratch, scratchString } from './scratch'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** base64 digit value of a byte, or -1. */
const B64 = new Int8Array(256).fill(-1)
for (let k = 0; k < 64; k++) B64[ALPHABET.charCodeAt(k)] = k

function b64(c: number): number {
  return B64[c & 0xff] ?? -1
}

/**
 * Decodes the base64 digits of s[from, to) (all valid), as a contiguous stream: complete groups
 * give 3 bytes, a final 2 or 3 digits give 1 or 2 bytes, a final single digit gives nothing.
 */
function decodeDigits(s: string, from: number, to: number): string {
  let out = ''
  let i = from
  for (; i + 4 <= to; i += 4) {
    const a = b64(s.charCodeAt(i))
    const b = b64(s.charCodeAt(i + 1))
    const c = b64(s.charCodeAt(i + 2))
    const d = b64(s.charCodeAt(i + 3))
    out += String.fromCharCode(
      ((a << 2) | (b >> 4)) & 0xff,
      ((b << 4) | (c >> 2)) & 0xff,
      ((c << 6) | d) & 0xff,
    )
  }
  const rest = to - i
  if (rest >= 2) {
    const a = b64(s.charCodeAt(i))
    const b = b64(s.charCodeAt(i + 1))
    out += String.fromCharCode(((a << 2) | (b >> 4)) & 0xff)
    if (rest === 3) {
      const c = b64(s.charCodeAt(i + 2))
      out += String.fromCharCode(((b << 4) | (c >> 2)) & 0xff)
    }
  }
  return out
}

/**
 * t:base64Decode (APR's apr_base64_decode): decodes the longest prefix made of base64 digits
 * (A-Z a-z 0-9 + /); decoding stops at the first other byte (`=` padding, whitespace, NUL,
 * anything), a dangling single digit is ignored.
 */
export function base64Decode(input: string): string {
  let p = 0
  while (p < input.length && b64(input.charCodeAt(p)) >= 0) p++
  return decodeDigits(input, 0, p)
}

/**
 * t:base64DecodeExt (v2 decode_base64_ext): forgiving decoder. Stops at a NUL byte, skips every
 * byte that is not a base64 digit, and skips `=`, except that a `=` not followed by another `=`
 * after a number of digits that is 1 mod 4 makes the whole result empty (v2 returns length 0).
 */
export function base64DecodeExt(input: string): string {
  const n = input.length
  let digits = ''
  let count = 0
  let run = -1
  let i = 0
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c === 0) break
    if (b64(c) >= 0) {
      if (run < 0) run = i
      count++
      continue
    }
    if (run >= 0) {
      digits += input.slice(run, i)
      run = -1
    }
    if (c === 0x3d && (i + 1 < n ? input.charCodeAt(i + 1) : 0) !== 0x3d && count % 4 === 1) return ''
  }
  if (run >= 0) digits += run === 0 && i === n ? input : input.slice(run, i)
  return decodeDigits(digits, 0, digits.length)
}

const ALPHABET_CODES = new Uint8Array(64)
for (let k = 0; k < 64; k++) ALPHABET_CODES[k] = ALPHABET.charCodeAt(k)

/** t:base64Encode: standard base64 with `=` padding. */
export function base64Encode(input: string): string {
  const n = input.length
  const len = Math.ceil(n / 3) * 4
  const out = scratch(len)
  const A = ALPHABET_CODES
  let j = 0
  let i = 0
  for (; i + 3 <= n; i += 3) {
    const a = input.charCodeAt(i) & 0xff
    const b = input.charCodeAt(i + 1) & 0xff
    const c = input.charCodeAt(i + 2) & 0xff
    out[j++] = A[a >> 2] ?? 0
    out[j++] = A[((a & 3) << 4) | (b >> 4)] ?? 0
    out[j++] = A[((b & 15) << 2) | (c >> 6)] ?? 0
    out[j++] = A[c & 63] ?? 0
  }
  if (n - i >= 1) {
    const a = input.charCodeAt(i) & 0xff
    const b = n - i === 2 ? input.charCodeAt(i + 1) & 0xff : 0
    out[j++] = A[a >> 2] ?? 0
    out[j++] = A[((a & 3) << 4) | (b >> 4)] ?? 0
    out[j++] = n - i === 2 ? (A[(b & 15) << 2] ?? 0) : 0x3d
    out[j++] = 0x3d
  }
  return scratchString(len)
}
