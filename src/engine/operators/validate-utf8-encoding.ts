import type { BinaryString } from '../bytes'
import type { OperatorDef } from './types'

const MISSING = 'not enough bytes in character'
const INVALID = 'invalid byte value in character'
const OVERLONG = 'overlong character detected'
const RESTRICTED = 'use of restricted character'

/**
 * The first UTF-8 error in the input as ModSecurity 2.9 classifies it, or undefined when the
 * input is valid. v2's rules: a lead byte 0xF5-0xF7 is "restricted" before anything else; a
 * sequence cut off by the end of the input is "missing" even when its bytes so far are wrong
 * ("x\xe2\x28" at the end); surrogates D800-DFFF are "restricted" (also as 4-byte overlong forms such as
 * F0 8D A0 80, checked before "overlong"); overlong forms are reported; 4-byte
 * sequences above U+10FFFF with lead byte F4 are accepted (v2 does not check that range).
 */
export function utf8Error(input: BinaryString): { offset: number; reason: string } | undefined {
  const n = input.length
  let i = 0
  while (i < n) {
    const c = input.charCodeAt(i) & 0xff
    if (c < 0x80) {
      i++
      continue
    }
    let len: number
    if ((c & 0xe0) === 0xc0) len = 2
    else if ((c & 0xf0) === 0xe0) len = 3
    else if ((c & 0xf8) === 0xf0) {
      if (c >= 0xf5) return { offset: i, reason: RESTRICTED }
      len = 4
    } else return { offset: i, reason: INVALID }
    if (n - i < len) return { offset: i, reason: MISSING }
    let cp = c & (0xff >> (len + 1))
    for (let k = 1; k < len; k++) {
      const b = input.charCodeAt(i + k) & 0xff
      if ((b & 0xc0) !== 0x80) return { offset: i, reason: INVALID }
      cp = (cp << 6) | (b & 0x3f)
    }
    if (cp >= 0xd800 && cp <= 0xdfff) return { offset: i, reason: RESTRICTED }
    if ((len === 2 && cp < 0x80) || (len === 3 && cp < 0x800) || (len === 4 && cp < 0x10000)) {
      return { offset: i, reason: OVERLONG }
    }
    i += len
  }
  return undefined
}

export const validateUtf8Encoding: OperatorDef = {
  name: 'validateUtf8Encoding',
  doc: 'Matches when the input is not valid UTF-8 (truncated, invalid byte, overlong or restricted character); the message gives the offset.',
  link: () => (input, ctx) => {
    const err = utf8Error(input)
    if (err === undefined) return false
    ctx.message =
      'Invalid UTF-8 encoding: ' + err.reason + ' at ' + ctx.varName + '. [offset "' + err.offset + '"]'
    return true
  },
}
