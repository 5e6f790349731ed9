import type { BinaryString } from '../bytes'

/**
 * A binary string (one char per byte) read as UTF-8 into a JavaScript string, for JSON
 * output. Invalid sequences (overlong forms, surrogates, truncated sequences, stray
 * continuation bytes) become U+FFFD, one per maximal invalid subpart as the WHATWG decoder
 * does. Pure ASCII is returned as is. (The engine may not use TextDecoder.)
 */
export function utf8Decode(s: BinaryString): string {
  let i = 0
  const n = s.length
  while (i < n && s.charCodeAt(i) < 0x80) i++
  if (i === n) return s
  let out = s.slice(0, i)
  while (i < n) {
    const b0 = s.charCodeAt(i) & 0xff
    if (b0 < 0x80) {
      out += String.fromCharCode(b0)
      i++
      continue
    }
    let need: number
    let cp: number
    let lower = 0x80
    let upper = 0xbf
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1
      cp = b0 & 0x1f
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2
      cp = b0 & 0x0f
      if (b0 === 0xe0) lower = 0xa0
      if (b0 === 0xed) upper = 0x9f
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3
      cp = b0 & 0x07
      if (b0 === 0xf0) lower = 0x90
      if (b0 === 0xf4) upper = 0x8f
    } else {
      out += '\ufffd'
      i++
      continue
    }
    let j = i + 1
    let ok = true
    for (let k = 0; k < need; k++, j++) {
      const b = j < n ? s.charCodeAt(j) & 0xff : -1
      if (b < lower || b > upper) {
        ok = false
        break
      }
      lower = 0x80
      upper = 0xbf
      cp = (cp << 6) | (b & 0x3f)
    }
    if (!ok) {
      out += '\ufffd'
      i = j
      continue
    }
    out += String.fromCodePoint(cp)
    i = j
  }
  return out
}
