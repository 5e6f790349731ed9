import { describe, expect, it } from 'vitest'
import { ValueMemo } from '../../../../src/engine/tcache'

describe('ValueMemo (tcache.ts): results and literal offsets by chain node', () => {
  it('returns what was stored for a node, undefined / -1 for the others', () => {
    const m = new ValueMemo(7)
    expect(m.serial).toBe(7)
    expect(m.get(3)).toBeUndefined()
    m.set(3, 'abc')
    m.set(12, '')
    expect(m.get(3)).toBe('abc')
    // an empty result is a result (a transformation may empty a value)
    expect(m.get(12)).toBe('')
    expect(m.get(4)).toBeUndefined()
    expect(m.offsetOf(3)).toBe(-1)
    m.setOffset(3, 40)
    m.setOffset(12, 0)
    expect(m.offsetOf(3)).toBe(40)
    expect(m.offsetOf(12)).toBe(0)
    expect(m.offsetOf(5)).toBe(-1)
    expect(m.self).toBe(-1)
  })

  it('keeps many nodes apart', () => {
    const m = new ValueMemo(1)
    for (let n = 1; n <= 200; n++) m.set(n * 3, 'v' + n)
    for (let n = 1; n <= 200; n++) expect(m.get(n * 3)).toBe('v' + n)
    expect(m.get(301)).toBeUndefined()
  })
})
