// Table-driven check of every transformation against the vectors recorded from ModSecurity 2.9.7
// (test/vectors/transformations/*.json, written by test/tools/modsec/record-transformations.mjs).
// Byte-for-byte: inputs and outputs are hex in the files, binary strings in the engine.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TRANSFORMATIONS, parseUnicodeMap } from '../../../../src/engine/transformations'
import type { TransformEnv } from '../../../../src/engine/transformations/types'

const DIR = join(__dirname, '../../../vectors/transformations')

interface Vector {
  in?: string
  uRange?: [number, number]
  out: string
}
interface VectorFile {
  transformation: string
  recordedFrom: string
  unicodeMap?: { file: string; codePage: number } | null
  vectors: Vector[]
}

const hexToBinary = (h: string): string => {
  let s = ''
  for (let i = 0; i < h.length; i += 2) s += String.fromCharCode(parseInt(h.slice(i, i + 2), 16))
  return s
}
const show = (s: string): string => {
  let out = ''
  for (let i = 0; i < s.length && i < 200; i++) {
    const c = s.charCodeAt(i)
    out += c >= 0x20 && c < 0x7f && c !== 0x5c ? s.charAt(i) : '\\x' + c.toString(16).padStart(2, '0')
  }
  return s.length > 200 ? out + `...(${s.length} bytes)` : out
}
const uRangeInput = (from: number, to: number): string => {
  let s = ''
  for (let cp = from; cp <= to; cp++) s += '%u' + cp.toString(16).padStart(4, '0')
  return s
}

const vectorFiles = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .sort()

describe('transformation vectors (recorded from ModSecurity 2.9.7)', () => {
  it('finds the vector files', () => {
    expect(vectorFiles.length).toBeGreaterThanOrEqual(36)
  })
  for (const file of vectorFiles) {
    const doc = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as VectorFile
    it(`${file}: t:${doc.transformation} (${doc.vectors.length} vectors)`, () => {
      const def = TRANSFORMATIONS[doc.transformation]
      expect(def, `unknown transformation ${doc.transformation}`).toBeDefined()
      if (def === undefined) return
      const env: TransformEnv = {}
      if (doc.unicodeMap) {
        env.unicodeMap = parseUnicodeMap(
          readFileSync(join(DIR, doc.unicodeMap.file), 'latin1'),
          doc.unicodeMap.codePage,
        )
      }
      expect(doc.vectors.length).toBeGreaterThan(0)
      const failures: string[] = []
      for (const v of doc.vectors) {
        const input = v.uRange ? uRangeInput(v.uRange[0], v.uRange[1]) : hexToBinary(v.in ?? '')
        const expected = hexToBinary(v.out)
        const got = def.fn(input, env)
        if (got !== expected) {
          failures.push(`in  "${show(input)}"\n  want "${show(expected)}"\n  got  "${show(got)}"`)
        }
      }
      expect(
        failures.slice(0, 10).join('\n'),
        `${failures.length} of ${doc.vectors.length} vectors differ`,
      ).toBe('')
    })
  }
})
