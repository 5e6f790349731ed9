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
  if (i === n) return input
  let out = input.slice(0, i)
  let start = i
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c >= 0x41 && c <= 0x5a) {
      out += input.slice(start, i) + String.fromCharCode(c + 0x20)
      start = i + 1
    }
  }
  return out + input.slice(start)
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
  if (i === n) return input
  let out = input.slice(0, i)
  let start = i
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c >= 0x61 && c <= 0x7a) {
      out += input.slice(start, i) + String.fromCharCode(c - 0x20)
      start = i + 1
    }
  }
  return out + input.slice(start)
}
