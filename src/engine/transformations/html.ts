import { BYTE_CHAR, isAlnum, isDigit, isHex } from './chars'

/**
 * strtol(digits, NULL, base) cast to unsigned char: the value saturates at LONG_MAX
 * (0x7fffffffffffffff on 64-bit Linux) on overflow, whose low byte is 0xFF.
 */
function strtolLowByte(s: string, from: number, to: number, base: number): number {
  let v = 0
  let big = false
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    const d = c >= 0x61 ? c - 0x57 : c >= 0x41 ? c - 0x37 : c - 0x30
    v = v * base + d
    if (v > 0x7fffffff) {
      big = true
      break
    }
  }
  if (!big) return v & 0xff
  // Past 2^31 only exact arithmetic tells whether LONG_MAX is exceeded.
  let b = 0n
  const bb = BigInt(base)
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    const d = c >= 0x61 ? c - 0x57 : c >= 0x41 ? c - 0x37 : c - 0x30
    b = b * bb + BigInt(d)
    if (b > 0x7fffffffffffffffn) return 0xff
  }
  return Number(b & 0xffn)
}

/** Case-insensitive compare of s[from, to) with a lowercase ASCII name. */
function nameIs(s: string, from: number, to: number, name: string): boolean {
  if (to - from !== name.length) return false
  for (let i = 0; i < name.length; i++) {
    if ((s.charCodeAt(from + i) | 0x20) !== name.charCodeAt(i)) return false
  }
  return true
}

/** The byte of the named entity s[from, to), or -1 (v2 knows only these five). */
function namedEntity(s: string, from: number, to: number): number {
  if (nameIs(s, from, to, 'quot')) return 0x22
  if (nameIs(s, from, to, 'amp')) return 0x26
  if (nameIs(s, from, to, 'lt')) return 0x3c
  if (nameIs(s, from, to, 'gt')) return 0x3e
  if (nameIs(s, from, to, 'nbsp')) return 0xa0
  return -1
}

/**
 * t:htmlEntityDecode as ModSecurity 2.9: `&#DDD;`, `&#xHH;` (`x` or `X`) become one byte (the
 * low byte of the number; the `;` is optional), and only the named entities quot, amp, lt, gt
 * and nbsp (case-insensitive, `;` optional) are known: nbsp becomes 0xA0. Anything else is
 * copied unchanged: v2 copies `&`, `&#`, `&#x` or `&name` as they are and goes on after them.
 * Jumps from `&` to `&` with indexOf; the output is the slices between decoded entities.
 */
export function htmlEntityDecode(input: string): string {
  const n = input.length
  let i = input.indexOf('&')
  if (i < 0) return input
  let out = ''
  let start = 0
  while (i >= 0) {
    let b = -1
    let j = i + 1 // the end of what was read
    let skip = 1 // bytes copied unexamined when nothing is decoded
    if (j < n) {
      if (input.charCodeAt(j) === 0x23) {
        // numeric entity
        skip = 2
        if (j + 1 < n) {
          j++
          const x = input.charCodeAt(j)
          if (x === 0x78 || x === 0x58) {
            skip = 3
            if (j + 1 < n) {
              j++
              const k = j
              while (j < n && isHex(input.charCodeAt(j))) j++
              if (j > k) b = strtolLowByte(input, k, j, 16)
            }
          } else {
            const k = j
            while (j < n && isDigit(input.charCodeAt(j))) j++
            if (j > k) b = strtolLowByte(input, k, j, 10)
          }
        }
      } else {
        const k = j
        while (j < n && isAlnum(input.charCodeAt(j))) j++
        if (j > k) {
          b = namedEntity(input, k, j)
          skip = j - k + 1 // unknown entity: "&name" is copied as is
        }
      }
    }
    if (b < 0) {
      i = input.indexOf('&', i + skip)
      continue
    }
    out += input.slice(start, i)
    out += BYTE_CHAR[b] ?? ''
    start = j < n && input.charCodeAt(j) === 0x3b ? j + 1 : j
    i = input.indexOf('&', start)
  }
  if (start === 0) return input
  return out + input.slice(start)
}
