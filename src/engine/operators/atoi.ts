import { isCSpace } from './c-string'

/**
 * C `atoi` as ModSecurity 2.9 gets it from glibc: `(int) strtol(s, NULL, 10)`. Leading C
 * whitespace is skipped, one optional sign, then decimal digits; anything else ends the number
 * and a string without digits gives 0 ("abc" -> 0, "5abc" -> 5, "0x10" -> 0, "1.9" -> 1).
 * strtol saturates at the 64-bit long range and the cast to int keeps the low 32 bits, so
 * "4294967295" -> -1, "99999999999999999999" -> -1 (LONG_MAX), "-99999999999999999999" -> 0
 * (LONG_MIN). All verified against 2.9.7 (test/vectors/operators/eq.json).
 */
export function atoi(s: string): number {
  const n = s.length
  let i = 0
  while (i < n && isCSpace(s.charCodeAt(i))) i++
  let negative = false
  const sign = s.charCodeAt(i)
  if (sign === 0x2d || sign === 0x2b) {
    negative = sign === 0x2d
    i++
  }
  while (i < n && s.charCodeAt(i) === 0x30) i++ // leading zeros do not count towards the size
  const start = i
  let value = 0
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) break
    if (i - start < 15) value = value * 10 + (c - 0x30)
    i++
  }
  if (i - start <= 15) return (negative ? -value : value) | 0
  return slowAtoi(s.slice(start, i), negative)
}

const LONG_MAX = (1n << 63n) - 1n
const LONG_MIN = -(1n << 63n)

/** More than 15 digits: exact 64-bit saturation, then the low 32 bits as a signed int. */
function slowAtoi(digits: string, negative: boolean): number {
  let v = BigInt(digits)
  if (negative) v = -v
  if (v > LONG_MAX) v = LONG_MAX
  else if (v < LONG_MIN) v = LONG_MIN
  return Number(BigInt.asIntN(32, v))
}
