import { scratch, scratchString } from './scratch'

const UPPER = /[A-Z]/
const LOWER = /[a-z]/
/** Any char outside ASCII (binary strings: a byte >= 0x80). */
const NON_ASCII = /[^\x00-\x7f]/

/** Copies input into bytes, adding delta to every byte in [lo, hi]. */
function shiftRange(input: string, lo: number, hi: number, delta: number): string {
  const n = input.length
  const out = scratch(n)
  for (let k = 0; k < n; k++) {
    const c = input.charCodeAt(k)
    out[k] = c >= lo && c <= hi ? c + delta : c
  }
  return scratchString(n)
}

/**
 * t:lowercase: ASCII A-Z -> a-z only (C tolower() in the C locale; bytes >= 0x80 unchanged).
 * String.prototype.toLowerCase() also folds Latin-1 letters (C0-DE -> E0-FE), so it is used
 * only on values that are pure ASCII, where it is exactly the ASCII fold; the rest take the
 * byte loop.
 */
export function lowercase(input: string): string {
  if (!UPPER.test(input)) return input
  if (!NON_ASCII.test(input)) return input.toLowerCase()
  return shiftRange(input, 0x41, 0x5a, 0x20)
}

/**
 * t:uppercase: ASCII a-z -> A-Z only. Not a ModSecurity 2.9 transformation (libModSecurity v3
 * added it; v2 rejects the rule); semantics of v3 (byte toupper() in the C locale).
 * toUpperCase() only on pure ASCII (it maps µ, ß, à-þ and ÿ, some outside Latin-1).
 */
export function uppercase(input: string): string {
  if (!LOWER.test(input)) return input
  if (!NON_ASCII.test(input)) return input.toUpperCase()
  return shiftRange(input, 0x61, 0x7a, -0x20)
}
