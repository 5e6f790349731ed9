import { describe, expect, it } from 'vitest'
import { LiteralIndex } from '../../../../src/engine/regex/literal-index'

/** A slot's presence bits must be exactly "the folded value contains literal k" (ASCII folding). */
const fold = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

function present(lits: LiteralIndex, words: number, s: string, k: number): boolean {
  const out = new Int32Array(words)
  lits.scan(s, out, 0)
  return ((out[k >> 5] as number) & (1 << (k & 31))) !== 0
}

describe('LiteralIndex', () => {
  // more than 32 literals: several presence words
  const literals = ['select', 'sel', 'union', 'on', '<', '<script', '\r\n', '\xe9t', 'a.b', 'ion', 'n', '::']
  for (let i = 0; i < 30; i++) literals.push('w' + i + 'x')
  const slot = LiteralIndex.perLiteral(literals)

  it('uses one presence word per 32 literals', () => {
    expect(slot.words).toBe(2)
  })

  it('finds literals with ASCII case folded and bytes >= 0x80 exactly', () => {
    const s = 'xx UNION SeLeCt <SCRIPT> caf\xe9t a.b :: W29X'
    for (const lit of [
      'select',
      'sel',
      'union',
      'on',
      '<',
      '<script',
      '\xe9t',
      'a.b',
      'ion',
      'n',
      '::',
      'w29x',
    ])
      expect(present(slot, slot.words, s, literals.indexOf(lit)), lit).toBe(true)
    expect(present(slot, slot.words, s, literals.indexOf('\r\n'))).toBe(false)
    expect(present(slot, slot.words, 'caf\xc9t', literals.indexOf('\xe9t'))).toBe(false)
  })

  it('agrees with indexOf on random subjects', () => {
    let seed = 3
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    const alphabet = 'selectSELECTunionUNION<>scriptSCRIPT\r\n\xe9\xc9t.ab: xyzW0123'
    for (let k = 0; k < 3000; k++) {
      let s = ''
      const len = Math.floor(rnd() * 40)
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)]
      const out = new Int32Array(slot.words)
      slot.scan(s, out, 0)
      for (let i = 0; i < literals.length; i++) {
        const got = ((out[i >> 5] as number) & (1 << (i & 31))) !== 0
        expect(got, JSON.stringify([s, literals[i]])).toBe(fold(s).includes(literals[i] as string))
      }
    }
  })

  it('sets a rule bit for any of its literals, and several bits for a shared literal', () => {
    const idx = new LiteralIndex(
      [
        ['cat', 0],
        ['dog', 0],
        ['dog', 40],
        ['EMU', 40],
      ],
      41,
    )
    expect(idx.words).toBe(2)
    const bits = (s: string): number[] => {
      const out = new Int32Array(2)
      idx.scan(s, out, 0)
      return Array.from(out)
    }
    expect(bits('a cat')).toEqual([1, 0])
    expect(bits('hotdog')).toEqual([1, 1 << 8])
    expect(bits('an emu')).toEqual([0, 1 << 8])
    expect(bits('ca t')).toEqual([0, 0])
  })

  it('rejects an empty literal', () => {
    expect(() => new LiteralIndex([['', 0]], 1)).toThrow(/empty/)
  })

  it('agrees with indexOf with long phrase tails (sparse nodes) on random subjects', () => {
    let seed = 11
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const alphabet = 'abcdeABCDE/.\xe9 '
    const word = (len: number): string => {
      let w = ''
      for (let i = 0; i < len; i++) w += alphabet[rnd(alphabet.length)]
      return w
    }
    const lits: string[] = []
    for (let i = 0; i < 300; i++) lits.push(word(1 + rnd(14)))
    const idx = LiteralIndex.perLiteral(lits)
    // a few subjects are built from the literals themselves so that long tails are reached
    for (let k = 0; k < 2000; k++) {
      let s = word(rnd(30))
      if (k % 2 === 0) s += lits[rnd(lits.length)] + word(rnd(5)) + lits[rnd(lits.length)]
      const out = new Int32Array(idx.words)
      idx.scan(s, out, 0)
      for (let i = 0; i < lits.length; i++) {
        const got = ((out[i >> 5] as number) & (1 << (i & 31))) !== 0
        expect(got, JSON.stringify([s, lits[i]])).toBe(fold(s).includes(fold(lits[i] as string)))
      }
    }
    expect(idx.denseCount).toBeLessThan(idx.nodeCount)
  })
})
