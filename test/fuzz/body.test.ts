import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../../src/bundle/schema'
import { processBody, type BodyProcessorName, type BodyResult } from '../../src/engine/body/index'

/**
 * No body of any shape makes a processor throw or return malformed data. For each processor,
 * FUZZ_BODY_ITERATIONS (default 100,000) bodies from a seeded PRNG: recorded corpus bodies
 * mutated (bit flips, byte inserts/deletes, slice duplication, splices, processor tokens) and
 * purely random ones. Every result is checked for shape: binary strings only, flags 0/1,
 * error <-> message. A failure prints the seed and iteration to reproduce it.
 */

const ITERATIONS = Number(process.env.FUZZ_BODY_ITERATIONS ?? 100_000)
const SEED = Number(process.env.FUZZ_BODY_SEED ?? 0x5eed)

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TOKENS: Record<BodyProcessorName, string[]> = {
  URLENCODED: ['&', '=', '%', '%4', '%zz', '%41', '+', ';', '%u00', '\x00', '\xff'],
  MULTIPART: [
    '--XB',
    '--XB--',
    '\r\n',
    '\n',
    '\r',
    'Content-Disposition: form-data; name="a"',
    '; filename="f"',
    "name='x'",
    '\r\n\r\n',
    ' ',
    '\t',
    '"',
    '\\',
    ':',
    '\x00',
    '--',
  ],
  JSON: [
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '\\u',
    '\\ud800',
    '\\',
    'true',
    'nul',
    '-',
    '1e',
    '0.',
    '\xc3',
    '\xff',
    '/*',
  ],
  XML: [
    '<',
    '>',
    '</a>',
    '<a>',
    '&',
    '&e;',
    '&#',
    ';',
    '"',
    '<![CDATA[',
    ']]>',
    '<!--',
    '-->',
    '<?x ',
    '?>',
    '<!DOCTYPE a [<!ENTITY e "<b>&e;</b>">]>',
    '\xff',
    '\x00',
  ],
}

const CONTENT_TYPES: Record<BodyProcessorName, string[]> = {
  URLENCODED: ['application/x-www-form-urlencoded'],
  MULTIPART: [
    'multipart/form-data; boundary=XB',
    'multipart/form-data; boundary="XB"',
    'multipart/form-data boundary = XB',
  ],
  JSON: ['application/json'],
  XML: ['application/xml'],
}

function corpus(file: string): string[] {
  const url = new URL(`../vectors/body/${file}.json`, import.meta.url)
  const cases = (JSON.parse(readFileSync(url, 'utf8')) as { cases: { body?: string }[] }).cases
  return cases.map((c) => c.body ?? '').filter((b) => b.length <= 4096)
}

function mutate(rnd: () => number, seeds: string[], tokens: string[]): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  if (rnd() < 0.1) {
    // purely random bytes or tokens
    let s = ''
    const n = Math.floor(rnd() * 200)
    for (let i = 0; i < n; i++) s += rnd() < 0.5 ? String.fromCharCode(Math.floor(rnd() * 256)) : pick(tokens)
    return s
  }
  let s = pick(seeds)
  const rounds = 1 + Math.floor(rnd() * 6)
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(rnd() * (s.length + 1))
    switch (Math.floor(rnd() * 7)) {
      case 0:
        if (s.length > 0) {
          const i = Math.min(at, s.length - 1)
          s =
            s.slice(0, i) +
            String.fromCharCode(s.charCodeAt(i) ^ (1 << Math.floor(rnd() * 8))) +
            s.slice(i + 1)
        }
        break
      case 1:
        s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + s.slice(at)
        break
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 8))
        break
      case 3: {
        const len = Math.floor(rnd() * 32)
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at)
        break
      }
      case 4: {
        const other = pick(seeds)
        const from = Math.floor(rnd() * (other.length + 1))
        s = s.slice(0, at) + other.slice(from, from + Math.floor(rnd() * 64)) + s.slice(at)
        break
      }
      case 5:
        s = s.slice(0, at)
        break
      default:
        s = s.slice(0, at) + pick(tokens) + s.slice(at)
    }
  }
  return s
}

function isBinary(s: unknown): boolean {
  if (typeof s !== 'string') return false
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false
  return true
}

/** returns a description of what is wrong with r, or '' */
function shapeError(r: BodyResult): string {
  if (!Array.isArray(r.args)) return 'args not an array'
  for (const a of r.args) if (a.length !== 2 || !isBinary(a[0]) || !isBinary(a[1])) return 'bad arg'
  if (r.error !== (r.errorMsg !== '')) return 'error and errorMsg disagree'
  if (!isBinary(r.errorMsg)) return 'errorMsg not binary'
  const m = r.multipart
  if (m) {
    for (const v of Object.values(m.flags)) if (v !== 0 && v !== 1) return 'flag not 0/1'
    let sum = 0
    for (const f of m.files) {
      if (!isBinary(f.name) || !isBinary(f.filename) || !(f.size >= 0)) return 'bad file'
      sum += f.size
    }
    if (sum !== m.filesCombinedSize) return 'FILES_COMBINED_SIZE'
    for (const h of m.partHeaders) if (!isBinary(h[0]) || !isBinary(h[1])) return 'bad part header'
    if (r.error && m.flags.MULTIPART_STRICT_ERROR !== 1 && r.errorMsg !== 'SecArgumentsLimit exceeded')
      return 'strict'
  }
  if (r.xml && (!isBinary(r.xml.text) || !r.xml.attributes.every(isBinary))) return 'bad xml'
  return ''
}

const PROCESSORS: [BodyProcessorName, string][] = [
  ['URLENCODED', 'urlencoded'],
  ['MULTIPART', 'multipart'],
  ['JSON', 'json'],
  ['XML', 'xml'],
]

describe('body processors never throw (fuzz)', () => {
  const configs: EngineConfig[] = [
    DEFAULT_ENGINE_CONFIG,
    {
      ...DEFAULT_ENGINE_CONFIG,
      argumentsLimit: 3,
      requestBodyJsonDepthLimit: 3,
      uploadFileLimit: 1,
      uploadKeepFiles: 'On',
    },
  ]
  for (const [name, file] of PROCESSORS) {
    it(`${name}: ${ITERATIONS} mutated and random bodies`, () => {
      const seeds = corpus(file)
      const rnd = mulberry32(SEED ^ name.length)
      const tokens = TOKENS[name]
      const cts = CONTENT_TYPES[name]
      let bad = ''
      for (let i = 0; i < ITERATIONS && bad === ''; i++) {
        const body = mutate(rnd, seeds, tokens)
        const config = configs[i & 1] ?? DEFAULT_ENGINE_CONFIG
        const contentType = cts[i % cts.length] ?? ''
        try {
          const r = processBody(name, body, {
            contentType,
            config,
            options: { keepFileContents: (i & 2) !== 0 },
          })
          const e = shapeError(r)
          if (e) bad = `iteration ${i} (seed ${SEED}): ${e}: ${JSON.stringify(body)}`
        } catch (err) {
          bad = `iteration ${i} (seed ${SEED}) threw ${String(err)}: ${JSON.stringify(body)}`
        }
      }
      expect(bad).toBe('')
    })
  }

  it('survives huge and deeply nested bodies', () => {
    const big: [BodyProcessorName, string][] = [
      ['JSON', '['.repeat(200_000)],
      ['JSON', '{"a":'.repeat(50_000)],
      ['XML', '<a>'.repeat(50_000)],
      ['XML', '<!DOCTYPE a [' + '<!ENTITY e "&e;">' + ']><a>&e;</a>'],
      ['MULTIPART', '--XB\r\n' + 'x'.repeat(100_000)],
      [
        'MULTIPART',
        '--XB\r\nContent-Disposition: form-data; name="a"\r\n\r\n' + '\r\n'.repeat(50_000) + '--XB--',
      ],
      ['URLENCODED', '&'.repeat(100_000)],
    ]
    for (const [name, body] of big) {
      const r = processBody(name, body, {
        contentType: 'multipart/form-data; boundary=XB',
        config: DEFAULT_ENGINE_CONFIG,
      })
      expect(shapeError(r)).toBe('')
    }
  })
})
