import { scratch, scratchString } from './scratch'

/** Parity of all 8 bits of a byte: 1 when the number of set bits is odd. */
function parity8(c: number): number {
  let x = c ^ (c >> 4)
  x &= 0xf
  return (0x6996 >> x) & 1
}

/**
 * v2 computes the parity over all 8 bits of the input byte (not only the low 7), which matters
 * for bytes >= 0x80; reproduced as is. Tables: byte -> output byte.
 */
const EVEN = new Uint8Array(256)
const ODD = new Uint8Array(256)
const ZERO = new Uint8Array(256)
for (let c = 0; c < 256; c++) {
  EVEN[c] = parity8(c) ? c | 0x80 : c & 0x7f
  ODD[c] = parity8(c) ? c & 0x7f : c | 0x80
  ZERO[c] = c & 0x7f
}

/** Maps every byte through a table; the input itself when no byte changes. */
function mapBytes(input: string, table: Uint8Array): string {
  const n = input.length
  let i = 0
  for (; i < n; i++) {
    const c = input.charCodeAt(i) & 0xff
    if (table[c] !== c) break
  }
  if (i === n) return input
  const out = scratch(n)
  for (let k = 0; k < n; k++) out[k] = table[input.charCodeAt(k) & 0xff] ?? 0
  return scratchString(n)
}

/** t:parityEven7bit: sets bit 7 so that the byte has even parity (v2: parity over 8 bits). */
export function parityEven7bit(input: string): string {
  return mapBytes(input, EVEN)
}

/** t:parityOdd7bit: sets bit 7 so that the byte has odd parity (v2: parity over 8 bits). */
export function parityOdd7bit(input: string): string {
  return mapBytes(input, ODD)
}

/** t:parityZero7bit: clears bit 7 of every byte. */
export function parityZero7bit(input: string): string {
  return mapBytes(input, ZERO)
}
