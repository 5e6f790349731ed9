/**
 * Go's net/url QueryEscape / QueryUnescape on binary strings (one char per byte), which go-ftw
 * uses to decide whether and how to encode `data` for application/x-www-form-urlencoded.
 */

const HEX = '0123456789ABCDEF'

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

function hexVal(c: number): number {
  if (c <= 0x39) return c - 0x30
  if (c <= 0x46) return c - 0x41 + 10
  return c - 0x61 + 10
}

/** url.QueryUnescape: '+' is a space, %XX a byte; undefined when a '%' is not followed by two hex digits. */
export function goQueryUnescape(s: string): string | undefined {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x25) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return undefined
      out += String.fromCharCode(hexVal(s.charCodeAt(i + 1)) * 16 + hexVal(s.charCodeAt(i + 2)))
      i += 2
    } else if (c === 0x2b) {
      out += ' '
    } else {
      out += s[i]
    }
  }
  return out
}

/** url.QueryEscape: unreserved bytes (ALPHA DIGIT - _ . ~) stay, a space becomes '+', the rest %XX. */
export function goQueryEscape(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const unreserved =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x5f ||
      c === 0x2e ||
      c === 0x7e
    if (unreserved) out += s[i]
    else if (c === 0x20) out += '+'
    else out += '%' + HEX[(c >> 4) & 15] + HEX[c & 15]
  }
  return out
}

/**
 * go-ftw encodeDataParameters for a urlencoded body: when unescaping changes nothing (the data
 * is not encoded yet), every key and value between '&' is QueryEscape'd; otherwise the data is
 * sent as written.
 */
export function goFtwEncodeFormData(data: string): string {
  if (data.length === 0) return data
  if (goQueryUnescape(data) !== data) return data
  // go-ftw walks `remaining` while it is not empty: a trailing '&' therefore ends the loop
  // without an empty token (the output has no trailing '&')
  const parts: string[] = []
  let remaining = data
  while (remaining.length > 0) {
    const amp = remaining.indexOf('&')
    const token = amp < 0 ? remaining : remaining.slice(0, amp)
    remaining = amp < 0 ? '' : remaining.slice(amp + 1)
    const eq = token.indexOf('=')
    if (eq < 0) parts.push(goQueryEscape(token))
    else parts.push(goQueryEscape(token.slice(0, eq)) + '=' + goQueryEscape(token.slice(eq + 1)))
  }
  return parts.join('&')
}
