import { isIPv4, isIPv6 } from 'node:net'
import { describe, expect, it } from 'vitest'
import { parseIPv4, parseIPv6 } from '../../../../src/engine/operators/ip-address'
import { IpSet, parseNetwork } from '../../../../src/engine/operators/ip-set'
import { parseIpFile } from '../../../../src/engine/operators'
import { parseIpList } from '../../../../src/engine/operators/ip-match'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Canonical IPv6 text of 16 bytes via the WHATWG URL parser (independent of our parser). */
function canonical6(bytes: Uint8Array): string {
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  return new URL(`http://[${groups.join(':')}]/`).hostname
}

describe('address parsing (inet_pton rules)', () => {
  it('parses IPv4 strictly', () => {
    expect([...(parseIPv4('192.168.0.255') ?? [])]).toEqual([192, 168, 0, 255])
    for (const bad of [
      '01.2.3.4',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '',
      '1..2.3',
      '0x1.2.3.4',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '1.2.3.04',
    ]) {
      expect(parseIPv4(bad), bad).toBeUndefined()
    }
  })

  it('agrees with Node (libuv inet_pton) on random IPv4-like strings', () => {
    const next = rng(99)
    for (let i = 0; i < 3000; i++) {
      let s = ''
      const len = 1 + Math.floor(next() * 15)
      for (let k = 0; k < len; k++) s += '0123456789..2'[Math.floor(next() * 13)]
      expect(parseIPv4(s) !== undefined, s).toBe(isIPv4(s))
    }
  })

  it('parses IPv6 forms', () => {
    const cases: [string, string][] = [
      ['::', '[::]'],
      ['::1', '[::1]'],
      ['2001:DB8::1', '[2001:db8::1]'],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '[2001:db8::1]'],
      ['::ffff:1.2.3.4', '[::ffff:102:304]'],
      ['1:2:3:4:5:6:7:8', '[1:2:3:4:5:6:7:8]'],
      ['1::', '[1::]'],
      ['1:2:3:4:5:6:1.2.3.4', '[1:2:3:4:5:6:102:304]'],
    ]
    for (const [text, url] of cases) {
      const bytes = parseIPv6(text)
      expect(bytes, text).toBeDefined()
      if (bytes) expect(canonical6(bytes)).toBe(url)
    }
    for (const bad of [
      ':::1',
      '::1%lo',
      '[::1]',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
      '12345::',
      '1:',
      ':1',
      '::g',
      '::1.2.3',
      'a.2.3.4',
    ]) {
      expect(parseIPv6(bad), bad).toBeUndefined()
    }
  })

  it('agrees with Node (libuv inet_pton) on random IPv6-like strings', () => {
    const next = rng(4242)
    const alphabet = '0123456789abcdefABCDEF::::...'
    for (let i = 0; i < 5000; i++) {
      let s = ''
      const len = 1 + Math.floor(next() * 24)
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)]
      const ours = parseIPv6(s)
      expect(ours !== undefined, s).toBe(isIPv6(s))
      if (ours !== undefined) expect(canonical6(ours), s).toBe(new URL(`http://[${s}]/`).hostname)
    }
  })
})

describe('network entries (v2 TreeAddIP rules)', () => {
  it('accepts and refuses like 2.9.7', () => {
    expect(parseNetwork('10.0.0.0/8')).toEqual({ bytes: new Uint8Array([10, 0, 0, 0]), bits: 8 })
    expect(parseNetwork('1.2.3.4/8x')?.bits).toBe(8)
    expect(parseNetwork('1.2.3.4/1 ')?.bits).toBe(1)
    expect(parseNetwork('::1/6.4')?.bits).toBe(6)
    for (const bad of [
      '1.2.3.4/0',
      '1.2.3.4/32',
      '1.2.3.4/33',
      '::1/128',
      '::/0',
      '1.2.3.4/24.0',
      '::1/6:4',
      '1.2.3.4/',
      ' 1.2.3.4',
    ]) {
      expect(parseNetwork(bad), bad).toBeUndefined()
    }
  })

  it('splits lists on commas only', () => {
    expect(parseIpList('127.0.0.1,::1')).toEqual(['127.0.0.1', '::1'])
    expect(parseIpList(',1.2.3.4,,5.6.7.8')).toEqual(['1.2.3.4', '5.6.7.8'])
    expect(() => parseIpList('1.2.3.4, 5.6.7.8')).toThrow(/" 5\.6\.7\.8"/)
  })

  it('reads data files line by line', () => {
    expect(parseIpFile('# c\n 1.2.3.4 # x\n\n5.6.7.0/24\r\n2001:db8::/32')).toEqual([
      '1.2.3.4',
      '5.6.7.0/24',
      '2001:db8::/32',
    ])
    expect(() => parseIpFile('1.1.1.1\nabc\n')).toThrow(/line 2/)
  })
})

describe('IpSet', () => {
  it('matches like a brute-force prefix comparison', () => {
    const next = rng(2024)
    for (let round = 0; round < 50; round++) {
      const v6 = round % 2 === 1
      const size = v6 ? 16 : 4
      const nets: { bytes: Uint8Array; bits: number }[] = []
      const set = new IpSet()
      for (let k = 0; k < 1 + Math.floor(next() * 8); k++) {
        const bytes = new Uint8Array(size).map(() => (next() < 0.5 ? 0 : Math.floor(next() * 256)))
        const bits = 1 + Math.floor(next() * (size * 8 - 1))
        const text = v6
          ? Array.from({ length: 8 }, (_, g) =>
              (((bytes[2 * g] ?? 0) << 8) | (bytes[2 * g + 1] ?? 0)).toString(16),
            ).join(':')
          : bytes.join('.')
        expect(set.add(`${text}/${bits}`)).toBe(true)
        nets.push({ bytes, bits })
      }
      for (let k = 0; k < 200; k++) {
        const base = nets[Math.floor(next() * nets.length)]?.bytes ?? new Uint8Array(size)
        const addr = base.map((b) => (next() < 0.8 ? b : Math.floor(next() * 256)))
        const expected = nets.some(({ bytes, bits }) => {
          for (let b = 0; b < bits; b++) {
            const mask = 0x80 >> (b & 7)
            if (((bytes[b >> 3] ?? 0) & mask) !== ((addr[b >> 3] ?? 0) & mask)) return false
          }
          return true
        })
        expect(set.contains(addr)).toBe(expected)
      }
    }
  })
})
