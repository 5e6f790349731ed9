import { at } from './chars'

const HEX = '0123456789abcdef'
const NUL_OR_NON_ASCII = /[^\x01-\x7f]/

/** `%u` + code point in lowercase hex, zero-padded to at least 4 digits (longer ones unpadded). */
function percentU(cp: number): string {
  let h = ''
  do {
    h = HEX.charAt(cp & 15) + h
    cp >>>= 4
  } while (cp > 0)
  while (h.length < 4) h = '0' + h
  return '%u' + h
}

/**
 * t:utf8toUnicode, byte-exact with ModSecurity 2.9.7 (recorded), including its quirks:
 * - ASCII bytes are copied, except NUL which is dropped;
 * - a well-formed 2/3/4-byte sequence (lead 110xxxxx/1110xxxx/11110xxx + continuation bytes)
 *   becomes `%uHHHH` (at least 4 lowercase hex digits, more if needed: `%u1f600`);
 *   overlong forms and UTF-16 surrogates (D800-DFFF) are converted too, and then the lead byte
 *   is appended once more; leads F5-F7 are emitted before their (out-of-range) `%u` form;
 * - a lead byte whose continuation bytes are missing or invalid is dropped and decoding resumes
 *   at the next byte (which is then copied or decoded on its own);
 * - continuation bytes 80-BF on their own and F8-FF are copied unchanged.
 * Bytes past the end read as NUL (v2 works on NUL-terminated copies), which ends a sequence.
 */
export function utf8toUnicode(input: string): string {
  // fast path: nothing to do for pure ASCII without NUL
  const first = input.search(NUL_OR_NON_ASCII)
  if (first < 0) return input
  const n = input.length
  let i = first
  let out = input.slice(0, i)
  while (i < n) {
    const c = input.charCodeAt(i)
    if (c < 0x80) {
      if (c !== 0) out += input.charAt(i)
      i++
      continue
    }
    let len = 0
    let cp = 0
    if ((c & 0xe0) === 0xc0) {
      const c1 = at(input, i + 1)
      if (n >= 2 && (c1 & 0xc0) === 0x80) {
        len = 2
        cp = ((c & 0x1f) << 6) | (c1 & 0x3f)
      }
    } else if ((c & 0xf0) === 0xe0) {
      const c1 = at(input, i + 1)
      const c2 = at(input, i + 2)
      if (n >= 3 && (c1 & 0xc0) === 0x80 && (c2 & 0xc0) === 0x80) {
        len = 3
        cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f)
      }
    } else if ((c & 0xf8) === 0xf0) {
      if (c >= 0xf5) out += input.charAt(i)
      const c1 = at(input, i + 1)
      const c2 = at(input, i + 2)
      const c3 = at(input, i + 3)
      if (n >= 4 && (c1 & 0xc0) === 0x80 && (c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80) {
        len = 4
        cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f)
      }
    } else {
      // continuation byte on its own, or F8-FF
      out += input.charAt(i)
      i++
      continue
    }
    if (len === 0) {
      i++ // invalid or truncated sequence: the lead byte is dropped
      continue
    }
    out += percentU(cp)
    if (cp >= 0xd800 && cp <= 0xdfff) out += input.charAt(i)
    if ((len === 4 && cp < 0x10000) || (len === 3 && cp < 0x800) || (len === 2 && cp < 0x80))
      out += input.charAt(i)
    i += len
  }
  return out
}
