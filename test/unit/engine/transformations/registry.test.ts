// Registry-level checks: coverage by recorded vectors, names/aliases as ModSecurity 2.9.7 accepts
// them, the SecUnicodeMapFile parser, and totality (every byte string in, byte string out).
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  NOT_IMPLEMENTED,
  TRANSFORMATIONS,
  TRANSFORMATION_ALIASES,
  parseUnicodeMap,
  resolveTransformation,
} from '../../../../src/engine/transformations'

const DIR = join(__dirname, '../../../vectors/transformations')
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.startsWith('_'))
const covered = new Set(
  files.map(
    (f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { transformation: string }).transformation,
  ),
)

describe('transformation registry', () => {
  it('has the 36 transformations (v2 35 + uppercase from v3), keyed by their canonical name', () => {
    expect(Object.keys(TRANSFORMATIONS).length).toBe(36)
    for (const [key, def] of Object.entries(TRANSFORMATIONS)) expect(def.name).toBe(key)
  })

  it('every transformation has a vector file or a documented NOT_IMPLEMENTED reason', () => {
    const missing = Object.keys(TRANSFORMATIONS).filter((t) => !covered.has(t) && !(t in NOT_IMPLEMENTED))
    expect(missing).toEqual([])
    for (const [t, reason] of Object.entries(NOT_IMPLEMENTED)) {
      expect(TRANSFORMATIONS[t], t).toBeDefined()
      expect(reason.length).toBeGreaterThan(10)
    }
    for (const t of covered) expect(TRANSFORMATIONS[t], `vector file for unknown ${t}`).toBeDefined()
  })

  it('resolves exactly the names ModSecurity 2.9.7 accepts, case-insensitively (recorded)', () => {
    const names = JSON.parse(readFileSync(join(DIR, '_names.json'), 'utf8')) as {
      accepted: string[]
      rejected: string[]
    }
    expect(names.accepted.length).toBeGreaterThan(100)
    for (const n of names.accepted) expect(resolveTransformation(n), n).toBeDefined()
    // uppercase is rejected by v2 but supported here (libModSecurity v3 addition)
    for (const n of names.rejected.filter((x) => x !== 'uppercase'))
      expect(resolveTransformation(n), n).toBeUndefined()
    expect(resolveTransformation('uppercase')?.name).toBe('uppercase')
  })

  it('maps aliases to canonical names', () => {
    expect(TRANSFORMATION_ALIASES['normalizepath']).toBe('normalisePath')
    expect(TRANSFORMATION_ALIASES['normalizepathwin']).toBe('normalisePathWin')
    expect(TRANSFORMATION_ALIASES['cmdline']).toBe('cmdLine')
    expect(TRANSFORMATION_ALIASES['utf8tounicode']).toBe('utf8toUnicode')
    expect(resolveTransformation('URLDecodeUNI')?.name).toBe('urlDecodeUni')
    for (const [alias, canonical] of Object.entries(TRANSFORMATION_ALIASES)) {
      expect(alias).toBe(alias.toLowerCase())
      expect(TRANSFORMATIONS[canonical], alias).toBeDefined()
    }
  })

  it('is total: random byte strings give byte strings, never an exception', () => {
    let seed = 12345
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed >>> 8
    }
    const alphabet = '%uU0123456789abcdefABCDEFxX&#;\\/.*-<!>+ \t\n\x00\xa0\xc3\xe2\xf0\xf5\xff=\'"^,('
    const inputs: string[] = []
    for (let k = 0; k < 300; k++) {
      let s = ''
      const n = rnd() % 40
      for (let i = 0; i < n; i++) {
        s += k % 2 ? String.fromCharCode(rnd() & 0xff) : alphabet.charAt(rnd() % alphabet.length)
      }
      inputs.push(s)
    }
    const map = new Map([[0x41, 0x41]])
    for (const def of Object.values(TRANSFORMATIONS)) {
      for (const s of inputs) {
        for (const env of [{}, { unicodeMap: map }]) {
          const out = def.fn(s, env)
          expect(typeof out).toBe('string')
          for (let i = 0; i < out.length; i++)
            if (out.charCodeAt(i) > 0xff) throw new Error(`${def.name}: non-byte`)
        }
      }
    }
  })

  it('md5/sha1 agree with node:crypto on every length across block boundaries', () => {
    let s = ''
    for (let n = 0; n < 300; n++) {
      const bytes = Buffer.from(s, 'latin1')
      expect(TRANSFORMATIONS.md5?.fn(s, {})).toBe(createHash('md5').update(bytes).digest().toString('latin1'))
      expect(TRANSFORMATIONS.sha1?.fn(s, {})).toBe(
        createHash('sha1').update(bytes).digest().toString('latin1'),
      )
      s += String.fromCharCode((n * 37 + 11) & 0xff)
    }
  })
})

describe('parseUnicodeMap (SecUnicodeMapFile)', () => {
  it('reads only the section of the code page, plus the IDNA full stops', () => {
    const text =
      '(MAC - Roman)\r\n\r\n1250  (ANSI - Central Europe)\r\n00a1:21 00a2:63\r\n\r\n20127 (US-ASCII)\r\n00a0:20 ff01:21 3002:2c\r\n\r\n20261 (T.61)\r\n00a0:41\r\n'
    const m = parseUnicodeMap(text, 20127)
    expect(m.get(0x00a0)).toBe(0x20)
    expect(m.get(0xff01)).toBe(0x21)
    expect(m.get(0x3002)).toBe(0x2c) // the file overrides the built-in full stop
    expect(m.get(0xff61)).toBe(0x2e)
    expect(m.get(0xff0e)).toBe(0x2e)
    expect(m.get(0x002e)).toBe(0x2e)
    expect(m.get(0x00a1)).toBeUndefined() // code page 1250
    expect(m.size).toBe(6)
    expect(parseUnicodeMap(text, 1250).get(0x00a1)).toBe(0x21)
    expect(parseUnicodeMap(text, 1250).get(0x00a0)).toBeUndefined()
    expect(parseUnicodeMap(text, 99).size).toBe(4)
  })

  it('parses the committed unicode.mapping for code page 20127', () => {
    const m = parseUnicodeMap(readFileSync(join(DIR, 'unicode.mapping'), 'latin1'), 20127)
    expect(m.get(0x00c0)).toBe(0x41)
    expect(m.get(0xff41)).toBe(0x61)
    expect(m.size).toBeGreaterThan(300)
  })
})
