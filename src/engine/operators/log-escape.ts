import type { BinaryString } from '../bytes'

/**
 * ModSecurity 2.9's escaping of values inside its log messages (msc_util.c `_log_escape`, as
 * used by log_escape / log_escape_ex / log_escape_nq): \b \n \r \t \v and the backslash get a
 * C-style escape, other bytes <= 0x1f or >= 0x7f become \xhh (lower-case hex), and with
 * `quotes` a double quote becomes \". Operator messages (ctx.message) contain this text, e.g.
 * `Matched phrase "caf\xc3\xa9" at ARGS:q.`. Returns the same string when nothing needs escaping.
 */
export function logEscape(s: BinaryString, quotes = true): string {
  let i = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c <= 0x1f || c >= 0x7f || c === 0x5c || (quotes && c === 0x22)) break
  }
  if (i === s.length) return s
  let out = s.slice(0, i)
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff
    switch (c) {
      case 0x22:
        out += quotes ? '\\"' : '"'
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
      case 0x5c:
        out += '\\\\'
        break
      default:
        if (c <= 0x1f || c >= 0x7f) out += '\\x' + HEX[c >> 4] + HEX[c & 0x0f]
        else out += String.fromCharCode(c)
    }
  }
  return out
}

const HEX = '0123456789abcdef'

/** v2 prints long escaped values as `%.252s ...` in several messages (pm, rx, negation). */
export function truncate252(escaped: string): string {
  return escaped.length > 252 ? escaped.slice(0, 252) + ' ...' : escaped
}
