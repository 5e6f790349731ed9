/**
 * Text -> address bytes with the acceptance rules of glibc inet_pton, which ModSecurity 2.9 uses
 * for both @ipMatch arguments and target values (facts, verified on 2.9.7): IPv4 is exactly four
 * decimal parts 0-255 without leading zeros ("01.2.3.4", "1.2.3", "0x1.2.3.4" are invalid);
 * IPv6 is up to eight groups of 1-4 hex digits (any case), at most one "::", optionally ending in
 * a dotted IPv4 part; no zone ("%eth0"), brackets or spaces. Return undefined when invalid.
 */

export function parseIPv4(s: string, out = new Uint8Array(4), at = 0): Uint8Array | undefined {
  let part = 0
  let value = 0
  let digits = 0
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1
    if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return undefined // leading zero
      value = value * 10 + (c - 0x30)
      if (value > 255) return undefined
      digits++
      continue
    }
    if (digits === 0 || part > 3) return undefined
    if (c === 0x2e) {
      if (part === 3) return undefined
    } else if (c !== -1) return undefined
    out[at + part] = value
    part++
    value = 0
    digits = 0
  }
  return part === 4 ? out : undefined
}

export function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16)
  const n = s.length
  let i = 0
  if (n === 0) return undefined
  if (s.charCodeAt(0) === 0x3a) {
    if (n < 2 || s.charCodeAt(1) !== 0x3a) return undefined
    i = 1 // the second ':' starts the "::" below
  }
  let filled = 0 // bytes written
  let gap = -1 // byte position of "::"
  let groupStart = i
  let value = 0
  let digits = 0
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    const h = hexValue(c)
    if (h >= 0) {
      if (digits === 4) return undefined
      value = (value << 4) | h
      digits++
      continue
    }
    if (c === 0x3a) {
      if (digits === 0) {
        if (gap >= 0) return undefined
        gap = filled
        groupStart = i + 1
        continue
      }
      if (i + 1 === n) return undefined // trailing single ':'
      if (filled + 2 > 16) return undefined
      out[filled++] = value >> 8
      out[filled++] = value & 0xff
      value = 0
      digits = 0
      groupStart = i + 1
      continue
    }
    if (c === 0x2e && filled + 4 <= 16 && parseIPv4(s.slice(groupStart), out, filled) !== undefined) {
      filled += 4
      digits = 0
      i = n
      break
    }
    return undefined
  }
  if (digits > 0) {
    if (filled + 2 > 16) return undefined
    out[filled++] = value >> 8
    out[filled++] = value & 0xff
  }
  if (gap >= 0) {
    if (filled === 16) return undefined // "::" must stand for at least one group
    const tail = filled - gap
    out.copyWithin(16 - tail, gap, filled)
    out.fill(0, gap, 16 - tail)
    filled = 16
  }
  return filled === 16 ? out : undefined
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10
  return -1
}
