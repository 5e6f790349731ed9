import { describe, expect, it } from 'vitest'
import { TRANSFORMATIONS } from '../../../../src/engine/transformations'
import {
  BYTE_CLASSES,
  classesOf,
  CLS,
  IDENTITY_UNLESS,
} from '../../../../src/engine/transformations/identity'

/**
 * IDENTITY_UNLESS (identity.ts) lets the evaluator skip a transformation on a value without its
 * trigger classes. Each entry must hold for the implementation: a value whose bytes avoid the
 * trigger classes comes back unchanged. Random values over the bytes allowed (all other bytes,
 * with the structure-bearing ones weighted up so that sequences like `..`, `//`, `--`, `&#`
 * appear whenever they are allowed), plus every allowed byte alone and in pairs.
 */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x100000000
  }
}

const WEIGHTED = './\\-#*%+&;^,"\' \t\r\n\0<>!x1Aa\u00a0\u00e9\u00ff'

describe('IDENTITY_UNLESS: a transformation returns values without its trigger classes unchanged', () => {
  for (const [name, mask] of Object.entries(IDENTITY_UNLESS)) {
    it(name, () => {
      const def = TRANSFORMATIONS[name]
      expect(def, name).toBeDefined()
      const fn = def?.fn ?? ((s: string) => s)
      const allowed: string[] = []
      for (let c = 0; c < 256; c++)
        if (((BYTE_CLASSES[c] as number) & mask) === 0) allowed.push(String.fromCharCode(c))
      const favoured = [...WEIGHTED].filter((ch) => allowed.includes(ch))
      const inputs: string[] = ['']
      for (const a of allowed) {
        inputs.push(a)
        for (const b of favoured) inputs.push(a + b, b + a)
      }
      const rnd = rng(name.length * 7919 + mask)
      for (let k = 0; k < 3000; k++) {
        const len = 1 + Math.floor(rnd() * 24)
        let s = ''
        for (let i = 0; i < len; i++) {
          const pool = rnd() < 0.6 ? favoured : allowed
          s += pool[Math.floor(rnd() * pool.length)] as string
        }
        inputs.push(s)
      }
      for (const s of inputs) expect(fn(s, {}), JSON.stringify(s)).toBe(s)
    })
  }

  it('a trigger class present: the transformation may change the value (the entries are not vacuous)', () => {
    const changes: Record<string, string> = {
      urlDecode: 'a%41',
      urlDecodeUni: 'a+b',
      lowercase: 'A',
      htmlEntityDecode: '&lt;',
      jsDecode: '\\x41',
      cssDecode: '\\41',
      removeNulls: 'a\0',
      replaceNulls: 'a\0',
      utf8toUnicode: '\u00c3\u00a9',
      removeWhitespace: 'a b',
      compressWhitespace: 'a\tb',
      trim: ' a',
      trimLeft: ' a',
      trimRight: 'a ',
      replaceComments: 'a/*b*/',
      removeCommentsChar: 'a--b',
      normalisePath: 'a/./b',
      normalisePathWin: 'a\\b',
      cmdLine: 'A',
    }
    for (const name of Object.keys(IDENTITY_UNLESS)) {
      const v = changes[name]
      expect(v, name).toBeDefined()
      expect(TRANSFORMATIONS[name]?.fn(v as string, {}), name).not.toBe(v)
      expect(classesOf(v as string) & (IDENTITY_UNLESS[name] as number), name).not.toBe(0)
    }
  })

  it('classesOf is the union of the byte classes', () => {
    expect(classesOf('')).toBe(0)
    expect(classesOf('abc123')).toBe(0)
    expect(classesOf('A%')).toBe(CLS.UPPER | CLS.PCT)
    expect(classesOf('x\t\u00a0/')).toBe(CLS.WSX | CLS.HIGH | CLS.SLASH)
  })
})
