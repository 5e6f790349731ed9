/** Parity of all 8 bits of a byte: 1 when the number of set bits is odd. */
function parity8(c: number): number {
  let x = c ^ (c >> 4)
  x &= 0xf
  return (0x6996 >> x) & 1
}

/**
 * Applies a byte map to every byte. v2 computes the parity over all 8 bits of the input byte
 * (not only the low 7), which matters for bytes >= 0x80; reproduced as is.
 */
function mapBytes(input: string, f: (c: number) => number): string {
  const n = input.length
  let i = 0
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (f(c) !== c) break
  }
  if (i === n) return input
  let out = input.slice(0, i)
  for (; i < n; i++) out += String.fromCharCode(f(input.charCodeAt(i)))
  return out
}

const even = (c: number): number => (parity8(c) ? c | 0x80 : c & 0x7f)
const odd = (c: number): number => (parity8(c) ? c & 0x7f : c | 0x80)
const zero = (c: number): number => c & 0x7f

/** t:parityEven7bit: sets bit 7 so that the byte has even parity (v2: parity over 8 bits). */
export function parityEven7bit(input: string): string {
  return mapBytes(input, even)
}

/** t:parityOdd7bit: sets bit 7 so that the byte has odd parity (v2: parity over 8 bits). */
export function parityOdd7bit(input: string): string {
  return mapBytes(input, odd)
}

/** t:parityZero7bit: clears bit 7 of every byte. */
export function parityZero7bit(input: string): string {
  return mapBytes(input, zero)
}
