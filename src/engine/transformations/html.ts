import { isAlnum, isDigit, isHex } from './chars'

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

/**
 * t:htmlEntityDecode as ModSecurity 2.9: `&#DDD;`, `&#xHH;` (`x` or `X`) become one byte (the
 * low byte of the number; the `;` is optional), and only the named entities quot, amp, lt, gt
 * and nbsp (case-insensitive, `;` optional) are known: nbsp becomes 0xA0. Anything else is
 * copied unchanged.
 */
export function htmlEntityDecode(input: string): string {
  const n = input.length
  let i = input.indexOf('&')
  if (i < 0) return input
  let out = input.slice(0, i)
  let changed = false
  while (i < n) {
    const c = input.charCodeAt(i)
    let copy = 1
    if (c === 0x26 && i + 1 < n) {
      let j = i + 1
      if (input.charCodeAt(j) === 0x23) {
        // numeric entity
        copy = 2
        if (j + 1 < n) {
          j++
          const x = input.charCodeAt(j)
          if (x === 0x78 || x === 0x58) {
            copy = 3
            if (j + 1 < n) {
              j++
              const k = j
              while (j < n && isHex(input.charCodeAt(j))) j++
              if (j > k) {
                out += String.fromCharCode(strtolLowByte(input, k, j, 16))
                changed = true
                i = j < n && input.charCodeAt(j) === 0x3b ? j + 1 : j
                continue
              }
            }
          } else {
            const k = j
            while (j < n && isDigit(input.charCodeAt(j))) j++
            if (j > k) {
              out += String.fromCharCode(strtolLowByte(input, k, j, 10))
              changed = true
              i = j < n && input.charCodeAt(j) === 0x3b ? j + 1 : j
              continue
            }
          }
        }
      } else {
        const k = j
        while (j < n && isAlnum(input.charCodeAt(j))) j++
        if (j > k) {
          let b = -1
          if (nameIs(input, k, j, 'quot')) b = 0x22
          else if (nameIs(input, k, j, 'amp')) b = 0x26
          else if (nameIs(input, k, j, 'lt')) b = 0x3c
          else if (nameIs(input, k, j, 'gt')) b = 0x3e
          else if (nameIs(input, k, j, 'nbsp')) b = 0xa0
          if (b >= 0) {
            out += String.fromCharCode(b)
            changed = true
            i = j < n && input.charCodeAt(j) === 0x3b ? j + 1 : j
            continue
          }
          copy = j - k + 1 // unknown entity: copy "&name" as is
        }
      }
    }
    // copy `copy` bytes, then look for the next `&`
    const end = Math.min(i + copy, n)
    const next = input.indexOf('&', end)
    const stop = next < 0 ? n : next
    out += input.slice(i, stop)
    i = stop
  }
  return changed ? out : input
}
