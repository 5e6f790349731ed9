import type { BinaryString } from '../bytes'
import { verifyOperator } from './verify-scan'

/**
 * ModSecurity 2.9's US social security number check on a candidate: exactly 9 digits (other
 * bytes ignored); not all ascending by one (123456789) nor all equal; area (3 digits), group (2)
 * and serial (4) non-zero; area below 740 and not 666.
 */
export function ssnValid(candidate: BinaryString): boolean {
  const num: number[] = []
  let digits = 0
  for (let i = 0; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i)
    if (c < 0x30 || c > 0x39) continue
    if (digits < 9) num.push(c - 0x30)
    digits++
  }
  if (digits !== 9) return false
  let ascending = 0
  let repeated = 0
  for (let i = 0; i < 8; i++) {
    const a = num[i] ?? 0
    const b = num[i + 1] ?? 0
    if (a === b - 1) ascending++
    if (a === b) repeated++
  }
  if (ascending === 8 || repeated === 8) return false
  const area = (num[0] ?? 0) * 100 + (num[1] ?? 0) * 10 + (num[2] ?? 0)
  const group = (num[3] ?? 0) * 10 + (num[4] ?? 0)
  const serial = (num[5] ?? 0) * 1000 + (num[6] ?? 0) * 100 + (num[7] ?? 0) * 10 + (num[8] ?? 0)
  if (area === 0 || group === 0 || serial === 0) return false
  return area < 740 && area !== 666
}

export const verifySSN = verifyOperator(
  'verifySSN',
  'SSN#',
  ssnValid,
  'Finds US social security numbers: candidates found by the regex argument must pass the SSN checks.',
)
