import type { BinaryString } from '../bytes'
import { verifyOperator } from './verify-scan'

const REJECTED = new Set([
  '00000000000',
  '01234567890',
  '11111111111',
  '22222222222',
  '33333333333',
  '44444444444',
  '55555555555',
  '66666666666',
  '77777777777',
  '88888888888',
  '99999999999',
])

/**
 * ModSecurity 2.9's Brazilian CPF check on a candidate: the first 11 digits (reading stops at a
 * NUL byte; other bytes ignored; fewer than 11 = invalid), not one of v2's rejected sequences,
 * and both mod-11 check digits right.
 */
export function cpfValid(candidate: BinaryString): boolean {
  let s = ''
  for (let i = 0; i < candidate.length && s.length < 11; i++) {
    const c = candidate.charCodeAt(i)
    if (c === 0) break
    if (c >= 0x30 && c <= 0x39) s += candidate[i]
  }
  if (s.length !== 11 || REJECTED.has(s)) return false
  const d = (i: number): number => s.charCodeAt(i) - 0x30
  let sum = 0
  for (let i = 0; i < 9; i++) sum += d(i) * (10 - i)
  const first = sum % 11 < 2 ? 0 : 11 - (sum % 11)
  sum = 0
  for (let i = 0; i < 9; i++) sum += d(i) * (11 - i)
  sum += first * 2
  const second = sum % 11 < 2 ? 0 : 11 - (sum % 11)
  return d(9) === first && d(10) === second
}

export const verifyCPF = verifyOperator(
  'verifyCPF',
  'CPF#',
  cpfValid,
  'Finds Brazilian CPF numbers: candidates found by the regex argument must pass the CPF check digits.',
)
