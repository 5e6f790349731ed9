import { describe, expect, it } from 'vitest'
import {
  ByteSet,
  JS_CASELESS_PAIRS,
  jsCasedBytes,
  latin1CasedBytes,
} from '../../../../src/compiler/regex/byte-set'
import { emitSet } from '../../../../src/compiler/regex/emit-js'

/**
 * The premise of the caseless-backreference rule (README.md, "Caseless backreferences"): on
 * binary strings, the JS `i` flag without `u`/`v` equates exactly the byte pairs of
 * JS_CASELESS_PAIRS, in literals, classes (positive and negated), class escapes and
 * backreferences, and leaves \b/\B alone. Checked here against the running V8, byte by byte.
 */
const canon = new Map<number, number>()
for (const [u, l] of JS_CASELESS_PAIRS) canon.set(l, u)
const cls = (b: number): number => canon.get(b) ?? b
const hx = (b: number): string => '\\x' + b.toString(16).padStart(2, '0')
const ch = (b: number): string => String.fromCharCode(b)

describe('V8 non-Unicode i flag on bytes', () => {
  it('literals, classes and negated classes equate exactly JS_CASELESS_PAIRS', () => {
    let mismatches = 0
    for (let x = 0; x < 256; x++) {
      const lit = new RegExp(`^${hx(x)}$`, 'i')
      const pos = new RegExp(`^[${hx(x)}]$`, 'i')
      const neg = new RegExp(`^[^${hx(x)}]$`, 'i')
      for (let y = 0; y < 256; y++) {
        const same = cls(x) === cls(y)
        const s = ch(y)
        if (lit.test(s) !== same || pos.test(s) !== same || neg.test(s) === same) mismatches++
      }
    }
    expect(mismatches).toBe(0)
  })

  it('backreferences compare with the same equivalence', () => {
    const one = /^([^])\1$/i
    const two = /^([^]{2})\1$/i
    let mismatches = 0
    for (let x = 0; x < 256; x++) {
      for (let y = 0; y < 256; y++) {
        const same = cls(x) === cls(y)
        if (one.test(ch(x) + ch(y)) !== same) mismatches++
        if (two.test(ch(x) + 'A' + ch(y) + 'a') !== same) mismatches++
      }
    }
    expect(mismatches).toBe(0)
  })

  it('\\b and \\B do not depend on i', () => {
    const at = (re: RegExp, s: string): string => [...s.matchAll(re)].map((m) => m.index).join(',')
    let mismatches = 0
    for (let x = 0; x < 256; x++) {
      for (let y = 0; y < 256; y += 3) {
        const s = ch(x) + ch(y)
        if (at(/\b/gi, s) !== at(/\b/g, s) || at(/\B/gi, s) !== at(/\B/g, s)) mismatches++
      }
    }
    expect(mismatches).toBe(0)
  })

  it('an emitted closed set means the same with and without i (random sets, both class forms)', () => {
    let seed = 7
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed >>> 8
    }
    const sets = [ByteSet.all(), new ByteSet(), ByteSet.range(0x30, 0x39), ByteSet.range(0x30, 0x39).negate()]
    for (let k = 0; k < 150; k++) {
      const set = new ByteSet()
      const density = 1 + (rnd() % 8)
      for (let b = 0; b < 256; b++) if (rnd() % 8 < density) set.add(b)
      for (const [u, l] of JS_CASELESS_PAIRS) if (set.has(u) || set.has(l)) set.add(u).add(l)
      sets.push(set)
    }
    let mismatches = 0
    let negatedForms = 0
    for (const set of sets) {
      if (!set.isJsCaselessClosed()) mismatches++
      const src = emitSet(set)
      if (src.startsWith('[^')) negatedForms++
      const plain = new RegExp(`^${src}$`)
      const folded = new RegExp(`^${src}$`, 'i')
      for (let b = 0; b < 256; b++) {
        if (folded.test(ch(b)) !== set.has(b) || plain.test(ch(b)) !== set.has(b)) mismatches++
      }
    }
    expect(mismatches).toBe(0)
    expect(negatedForms).toBeGreaterThan(10)
    expect(sets.length - negatedForms).toBeGreaterThan(10)
  })

  it('the helper sets', () => {
    expect(jsCasedBytes().size()).toBe(52 + 60)
    expect(latin1CasedBytes().size()).toBe(60)
    expect(latin1CasedBytes().has(0xd7) || latin1CasedBytes().has(0xf7) || latin1CasedBytes().has(0xdf)).toBe(
      false,
    )
    expect(ByteSet.of(0x41).isJsCaselessClosed()).toBe(false)
    expect(ByteSet.of(0x41, 0x61).isJsCaselessClosed()).toBe(true)
    expect(ByteSet.of(0xe9).isJsCaselessClosed()).toBe(false)
    expect(ByteSet.of(0xb5, 0xd7, 0xdf, 0xf7, 0xff).isJsCaselessClosed()).toBe(true)
  })
})
