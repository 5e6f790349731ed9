import type { BinaryString } from '../bytes'
import { cString, isCSpace, isHexDigit } from './c-string'

export type PmContent = { ok: true; value: BinaryString } | { ok: false; reason: string }

/**
 * The argument syntax ModSecurity 2.9 shares between @pm, @pmFromFile (per line) and @strmatch
 * (re_operators.c/msc_util.c parse_pm_content), reproduced byte for byte including its quirks:
 *  - leading whitespace is skipped; when the rest starts with `"` and the whole text ends with
 *    `"`, both quotes are removed;
 *  - `|...|` toggles hex mode: pairs of hex digits become one byte, other characters inside are
 *    ignored (`|41 42|` = "AB", `|4g1|` = "A");
 *  - `\` escapes only `:` `;` `\` `"`; any other escaped character fails the whole argument
 *    ("Unsupported escape sequence.");
 *  - the conversion is done in place and, when nothing was converted, v2 keeps the original
 *    length, so `a|4|b` (an unpaired hex digit) yields "ab4|b" (verified on 2.9.7);
 *  - an empty remainder fails with "Content length is 0.".
 * The input is a C string (cut at the first NUL); the output may contain NUL bytes from |00|,
 * which the callers then cut, as v2 does.
 */
export function parsePmContent(input: BinaryString): PmContent {
  const content = cString(input)
  let offset = 0
  while (offset < content.length && isCSpace(content.charCodeAt(offset))) offset++
  const quoted = content.charCodeAt(offset) === 0x22 && content.charCodeAt(content.length - 1) === 0x22
  const parm = quoted ? content.slice(offset + 1, content.length - 1) : content.slice(offset)
  if (parm.length === 0) return { ok: false, reason: 'Content length is 0.' }

  const buf: number[] = new Array<number>(parm.length)
  for (let i = 0; i < parm.length; i++) buf[i] = parm.charCodeAt(i)
  let bin = false
  let esc = false
  let converted = false
  let pending = -1 // first hex digit of a pair
  let x = 0
  for (let i = 0; i < parm.length; i++) {
    const c = parm.charCodeAt(i)
    if (c === 0x7c) {
      bin = !bin
    } else if (!esc && c === 0x5c) {
      esc = true
    } else if (bin) {
      if (isHexDigit(c)) {
        if (pending < 0) pending = c
        else {
          buf[x++] = (hexValue(pending) << 4) | hexValue(c)
          pending = -1
          converted = true
        }
      }
    } else if (esc) {
      if (c !== 0x3a && c !== 0x3b && c !== 0x5c && c !== 0x22) {
        return { ok: false, reason: 'Unsupported escape sequence.' }
      }
      buf[x++] = c
      esc = false
      converted = true
    } else {
      buf[x++] = c
    }
  }
  const length = converted ? x : parm.length
  let out = ''
  for (let i = 0; i < length; i++) out += String.fromCharCode(buf[i] ?? 0)
  return { ok: true, value: out }
}

function hexValue(c: number): number {
  if (c <= 0x39) return c - 0x30
  return (c | 0x20) - 0x61 + 10
}
