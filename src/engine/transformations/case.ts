import { scratch, scratchString } from './scratch'

/** Copies input into bytes, adding delta to every byte in [lo, hi]. */
function shiftRange(input: string, from: number, lo: number, hi: number, delta: number): string {
  const n = input.length
  const out = scratch(n)
  for (let k = 0; k < n; k++) {
    const c = input.charCodeAt(k)
    out[k] = k >= from && c >= lo && c <= hi ? c + delta : c
  }
  return scratchString(n)
}

/**
 * t:lowercase: ASCII A-Z -> a-z only (C tolower() in the C locale; bytes >= 0x80 unchanged).
 * Never String.prototype.toLowerCase(): it would fold Latin-1 letters.
 */
export function lowercase(input: string): string {
  const n = input.length
  let i = 0
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c >= 0x41 && c <= 0x5a) break
  }
  return i === n ? input : shiftRange(input, i, 0x41, 0x5a, 0x20)
}

/**
 * t:uppercase: ASCII a-z -> A-Z only. Not a ModSecurity 2.9 transformation (libModSecurity v3
 * added it; v2 rejects the rule); semantics of v3 (byte toupper() in the C locale).
 */
export function uppercase(input: string): string {
  const n = input.length
  let i = 0
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c >= 0x61 && c <= 0x7a) break
  }
  return i === n ? input : shiftRange(input, i, 0x61, 0x7a, -0x20)
}
