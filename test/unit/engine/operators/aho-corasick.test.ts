import { describe, expect, it } from 'vitest'
import { PhraseMatcher } from '../../../../src/engine/operators/aho-corasick'

/**
 * A deliberately naive model of ModSecurity 2.9's acmp (strings instead of a trie, no tables),
 * written from the behaviour documented in aho-corasick.ts and recorded in pm.json. The real
 * matcher must agree with it on random phrase sets and inputs.
 */
function naiveAcmp(phrases: string[], input: string): string | undefined {
  const fold = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  const text = new Map<string, string>() // folded prefix -> text (first phrase that created it)
  const full = new Set<string>()
  for (const p of phrases) {
    for (let i = 1; i <= p.length; i++)
      if (!text.has(fold(p.slice(0, i)))) text.set(fold(p.slice(0, i)), p.slice(0, i))
    if (p.length > 0) full.add(fold(p))
  }
  const failMemo = new Map<string, string>()
  const fail = (node: string): string => {
    if (node.length <= 1) return ''
    const known = failMemo.get(node)
    if (known !== undefined) return known
    const viaParent = fail(node.slice(0, -1)) + node.slice(-1)
    const result = viaParent.length < node.length && text.has(viaParent) ? viaParent : ''
    failMemo.set(node, result)
    return result
  }
  const reports = (node: string): boolean => {
    if (full.has(node)) return true
    for (let f = fail(node); f !== ''; f = fail(f)) if (full.has(f)) return true
    return false
  }
  let node = ''
  for (const ch of fold(input)) {
    let next = node + ch
    while (!text.has(next) && node !== '') {
      node = fail(node)
      next = node + ch
    }
    if (text.has(next)) {
      node = next
      if (reports(node)) return text.get(node)
    }
  }
  return undefined
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomString(next: () => number, alphabet: string, min: number, max: number): string {
  const len = min + Math.floor(next() * (max - min + 1))
  let s = ''
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)]
  return s
}

describe('PhraseMatcher (v2 acmp semantics)', () => {
  it('finds phrases case-insensitively (ASCII) and reports the phrase as written', () => {
    const m = new PhraseMatcher(['select', 'UNION', 'drop'])
    expect(m.find('xxUNIONselect')).toBe('UNION') // first phrase to end wins
    expect(m.find('SeLeCt')).toBe('select')
    expect(m.find('union all')).toBe('UNION')
    expect(m.find('dro')).toBeUndefined()
    expect(m.find('')).toBeUndefined()
    expect(m.size).toBe(3)
  })

  it('compares bytes >= 0x80 exactly (no Latin-1 folding) and handles NUL', () => {
    const m = new PhraseMatcher(['\xe9t\xe9', 'cd'])
    expect(m.find('\xe9T\xe9')).toBe('\xe9t\xe9')
    expect(m.find('\xc9t\xc9')).toBeUndefined()
    expect(m.find('ab\x00cd')).toBe('cd')
  })

  it('keeps the text of the phrase that created a node (first one wins)', () => {
    expect(new PhraseMatcher(['ABC', 'abc']).find('abc')).toBe('ABC')
    expect(new PhraseMatcher(['abc', 'ABC']).find('ABC')).toBe('abc')
    expect(new PhraseMatcher(['ABC', 'abc']).size).toBe(1)
  })

  it('reports the node text when a shorter phrase ends on the failure chain (v2 quirk)', () => {
    expect(new PhraseMatcher(['abc', 'b']).find('xaby')).toBe('ab')
  })

  it('misses matches that need a failure link deeper than one step (v2 quirk)', () => {
    const m = new PhraseMatcher(['abcd', 'bx', 'c'])
    expect(m.find('abcz')).toBeUndefined() // a textbook automaton finds "c"
    expect(m.find('zcz')).toBe('c')
  })

  it('handles nodes with many children (binary search path)', () => {
    const phrases = Array.from({ length: 40 }, (_, i) => 'q' + String.fromCharCode(0x30 + i))
    const m = new PhraseMatcher(phrases)
    for (const p of phrases) expect(m.find('zz' + p.toUpperCase() + 'zz')).toBe(p)
    expect(m.find('q' + String.fromCharCode(0x30 + 40))).toBeUndefined()
  })

  it('ignores empty phrases', () => {
    const m = new PhraseMatcher(['', 'a'])
    expect(m.size).toBe(1)
    expect(m.find('b')).toBeUndefined()
  })

  it('agrees with a naive model of acmp on random phrase sets', () => {
    const next = rng(12345)
    for (let round = 0; round < 400; round++) {
      const alphabet = round % 4 === 0 ? 'abcdefghijklmnopqrstuvwxyzAB' : 'abAB'
      const phrases = Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
        randomString(next, alphabet, 1, 5),
      )
      const m = new PhraseMatcher(phrases)
      for (let k = 0; k < 20; k++) {
        const input = randomString(next, alphabet + 'x', 0, 14)
        expect(m.find(input), JSON.stringify({ phrases, input })).toBe(naiveAcmp(phrases, input))
      }
    }
  })

  it('builds large phrase sets quickly', () => {
    const next = rng(7)
    const phrases = Array.from({ length: 20000 }, () =>
      randomString(next, 'abcdefghijklmnopqrstuvwxyz0123456789', 3, 12),
    )
    const t0 = Date.now()
    const m = new PhraseMatcher(phrases)
    const hay = randomString(next, 'abcdefghijklmnopqrstuvwxyz ', 100000, 100000)
    m.find(hay)
    expect(m.find('--' + (phrases[123] ?? '') + '--')).toBeDefined()
    expect(Date.now() - t0).toBeLessThan(3000)
  })
})
