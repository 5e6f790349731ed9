import type { BinaryString } from '../bytes'

/**
 * The pattern as ModSecurity 2.9.7 shows it in the @rx match message
 * (`Pattern match "<pattern>" at <var>.`), recorded in test/vectors/operators/rx.json:
 * log_escape() of the pattern (`"` -> `\"`, `\` -> `\\`, \b \n \r \t \v as two-char escapes, any
 * other byte <= 0x1f or >= 0x7f as \xHH), then, when that is longer than 252 chars, its first 252
 * chars followed by " ..." (the cut is made after escaping).
 */
const HEX = '0123456789abcdef'
export const MESSAGE_PATTERN_MAX = 252

export function logEscape(s: BinaryString): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      out += s.charAt(i)
      continue
    }
    switch (c) {
      case 0x22:
        out += '\\"'
        break
      case 0x5c:
        out += '\\\\'
        break
      case 0x08:
        out += '\\b'
        break
      case 0x0a:
        out += '\\n'
        break
      case 0x0d:
        out += '\\r'
        break
      case 0x09:
        out += '\\t'
        break
      case 0x0b:
        out += '\\v'
        break
      default:
        out += '\\x' + HEX.charAt((c >> 4) & 0xf) + HEX.charAt(c & 0xf)
    }
  }
  return out
}

/** `Pattern match "<escaped, truncated pattern>" at ` (the caller appends the variable name and "."). */
export function patternMatchPrefix(pattern: BinaryString): string {
  const esc = logEscape(pattern)
  const shown = esc.length > MESSAGE_PATTERN_MAX ? esc.slice(0, MESSAGE_PATTERN_MAX) + ' ...' : esc
  return `Pattern match "${shown}" at `
}
