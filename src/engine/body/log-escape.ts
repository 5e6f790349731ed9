import type { BinaryString } from '../bytes'

/**
 * ModSecurity v2 `log_escape_nq`, used inside some REQBODY_ERROR_MSG texts (e.g. "Multipart:
 * Invalid boundary: --XB \r\n"): backslash is doubled, \b \t \n \v \r get their C escapes,
 * other bytes below 0x20 and from 0x7f up become \xHH (lower-case hex), quotes are kept.
 * Verified on 2.9.7 (test/vectors/body/multipart.json, "escapes in an error message").
 */
export function logEscapeNq(s: BinaryString): string {
  let plain = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c >= 0x7f || c === 0x5c) {
      plain = false
      break
    }
  }
  if (plain) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x5c) out += '\\\\'
    else if (c === 0x08) out += '\\b'
    else if (c === 0x09) out += '\\t'
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x0b) out += '\\v'
    else if (c === 0x0d) out += '\\r'
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + (c < 0x10 ? '0' : '') + c.toString(16)
    else out += s[i]
  }
  return out
}
