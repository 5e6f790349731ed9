import type { BinaryString } from '../bytes'
import { verifyOperator } from './verify-scan'

/** Luhn (mod 10) over the digits of the candidate, other bytes ignored; no digits = invalid. */
export function luhnValid(candidate: BinaryString): boolean {
  let sum = 0
  let digits = 0
  for (let i = candidate.length - 1; i >= 0; i--) {
    const c = candidate.charCodeAt(i)
    if (c < 0x30 || c > 0x39) continue
    let d = c - 0x30
    if ((digits & 1) === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    digits++
  }
  return digits > 0 && sum % 10 === 0
}

export const verifyCC = verifyOperator(
  'verifyCC',
  'CC#',
  luhnValid,
  'Finds credit card numbers: candidates found by the regex argument must pass the Luhn check.',
)
