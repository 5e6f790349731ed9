/**
 * The single definition of how request data is represented in the engine.
 *
 * ModSecurity works on bytes. JavaScript regexes and string functions work on UTF-16 code
 * units. We bridge the two with "binary strings": one JS char per byte, every char code in
 * 0..255. A `\xNN` class in a translated regex then means the byte NN, `t:lowercase` folds only
 * ASCII, and byte-level operators (@validateByteRange, @validateUtf8Encoding) see the bytes the
 * client sent. Everything that enters the engine (URI, headers, body, cookies) is converted to
 * a binary string once, at the edge of the engine, with the functions below.
 *
 * Never run TextDecoder on request data: in workerd `TextDecoder('latin1')` is windows-1252 and
 * UTF-8 decoding replaces invalid bytes with U+FFFD.
 */

/** A string whose every char code is 0..255, one per byte. */
export type BinaryString = string

const CHUNK = 0x2000

/** Bytes -> binary string (one char per byte). */
export function bytesToBinary(bytes: Uint8Array): BinaryString {
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[])
  let out = ''
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[])
  }
  return out
}

/** Binary string -> bytes. Chars above 0xFF are truncated to their low byte (never produced by the engine). */
export function binaryToBytes(s: BinaryString): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff
  return out
}

/**
 * A JS (UTF-16) string -> the binary string of its UTF-8 encoding. Used for values the runtime
 * has already decoded (header values in workerd arrive as UTF-8-decoded text). Lone surrogates
 * become EF BF BD, as TextEncoder does.
 */
export function utf8ToBinary(s: string): BinaryString {
  let ascii = true
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false
      break
    }
  }
  if (ascii) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      out += String.fromCharCode(c)
      continue
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
      } else c = 0xfffd
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd
    if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    else if (c < 0x10000)
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
    else
      out += String.fromCharCode(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 0x3f),
        0x80 | ((c >> 6) & 0x3f),
        0x80 | (c & 0x3f),
      )
  }
  return out
}

/** True when every char of s is a byte (0..255). */
export function isBinary(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false
  return true
}
