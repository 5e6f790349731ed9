import { describe, expect, it } from 'vitest'
import { binaryToBytes, bytesToBinary, utf8ToBinary } from '../../../src/engine/bytes'

describe('bytes', () => {
  it('round-trips every byte value', () => {
    const all = new Uint8Array(256).map((_, i) => i)
    const s = bytesToBinary(all)
    expect(s.length).toBe(256)
    expect(s.charCodeAt(0xa0)).toBe(0xa0)
    expect(Array.from(binaryToBytes(s))).toEqual(Array.from(all))
  })
  it('handles inputs larger than one chunk', () => {
    const big = new Uint8Array(70000).map((_, i) => i & 0xff)
    expect(bytesToBinary(big).length).toBe(70000)
    expect(bytesToBinary(big).charCodeAt(69999)).toBe(69999 & 0xff)
  })
  it('encodes decoded text back to its UTF-8 bytes', () => {
    expect(utf8ToBinary('abc')).toBe('abc')
    expect(utf8ToBinary('é')).toBe('\xc3\xa9')
    expect(utf8ToBinary('€')).toBe('\xe2\x82\xac')
    expect(utf8ToBinary('\u{1f600}')).toBe('\xf0\x9f\x98\x80')
    expect(utf8ToBinary('\ud800')).toBe('\xef\xbf\xbd')
  })
})
