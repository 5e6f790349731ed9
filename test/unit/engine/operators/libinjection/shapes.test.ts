import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { detectSqli, sqliFingerprint } from '../../../../../src/engine/operators/libinjection/sqli'
import { detectXss, isXssFrom } from '../../../../../src/engine/operators/libinjection/xss'

/**
 * Shapes the recorded corpus and token vectors do not reach (rarely taken folding rules, string
 * and HTML edge cases, 4 KB and 64 KB adversarial values), recorded from libinjection 3.9.2 in
 * ModSecurity 2.9.7's module by test/vectors/libinjection/record-shapes.mjs: every verdict, the
 * fingerprint of each parse mode and the XSS verdict of each HTML start context.
 */
interface ShapeVector {
  input?: string
  unit?: string
  length?: number
  sqli: string | null
  xss: boolean
  fingerprints: Record<'9' | '17' | '10' | '20', string>
  xssContexts: string
}
const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../../vectors/libinjection/shapes.json', import.meta.url), 'utf8'),
  ) as {
    vectors: ShapeVector[]
  }
).vectors

function inputOf(v: ShapeVector): string {
  if (v.input !== undefined) return v.input
  const unit = v.unit ?? ''
  const length = v.length ?? 0
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
}

const name = (v: ShapeVector): string =>
  v.input !== undefined ? JSON.stringify(v.input) : `${JSON.stringify(v.unit)} x ${v.length} bytes`

describe('libinjection shapes (recorded from ModSecurity 2.9.7)', () => {
  it('has the recorded vectors, SQLi and XSS among them', () => {
    expect(vectors.length).toBeGreaterThan(150)
    expect(vectors.filter((v) => v.sqli !== null).length).toBeGreaterThan(20)
    expect(vectors.filter((v) => v.xss).length).toBeGreaterThan(20)
    expect(vectors.filter((v) => (v.length ?? 0) >= 65536).length).toBeGreaterThan(3)
  })

  it.each(vectors.map((v) => [name(v), v] as const))('%s', (_, v) => {
    const s = inputOf(v)
    expect(detectSqli(s)).toBe(v.sqli)
    for (const flags of ['9', '17', '10', '20'] as const) {
      expect([flags, sqliFingerprint(s, Number(flags))]).toEqual([flags, v.fingerprints[flags]])
    }
    expect(detectXss(s)).toBe(v.xss)
    let contexts = ''
    for (let c = 0; c < 5; c++) contexts += isXssFrom(s, c) ? '1' : '0'
    expect(contexts).toBe(v.xssContexts)
  })
})
