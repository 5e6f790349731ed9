/**
 * Compiler fuzzing: 10,000 mutated rule files (byte flips, insertions of syntax characters,
 * deletions, truncations and splices of CRS rule files) must give only compile results or
 * compile errors: no exception escapes, no case hangs. Seeded, so a failure reproduces
 * (the failing seed and input are printed).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileText } from '../../src/compiler/compile'

const CRS_DIR = resolve(process.env.CRS_DIR ?? resolve(__dirname, '../../../shared/crs'))
const RULES = join(CRS_DIR, 'rules')
const CASES = Number(process.env.FUZZ_CASES ?? 10000)
const SEED = Number(process.env.FUZZ_SEED ?? 20261121)

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

const SYNTAX = ['"', "'", '\\', '|', '@', '%{', '}', '\n', ',', ':', '!', '&', '/', '(', ')', '[', ']', '\\\n', '#', ' ', '\x00', '\xff']

describe('compiler fuzz', () => {
  const files = readdirSync(RULES)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => readFileSync(join(RULES, f), 'latin1').split('\n'))

  it(`survives ${CASES} mutated rule files`, () => {
    const rnd = mulberry32(SEED)
    const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)] as T
    const window = (): string => {
      const lines = pick(files)
      const start = Math.floor(rnd() * lines.length)
      return lines.slice(start, start + 1 + Math.floor(rnd() * 60)).join('\n')
    }
    let errors = 0
    let bundles = 0
    let slowest = 0
    const started = performance.now()
    for (let i = 0; i < CASES; i++) {
      let text = window()
      const mutations = 1 + Math.floor(rnd() * 4)
      for (let m = 0; m < mutations; m++) {
        const at = Math.floor(rnd() * (text.length + 1))
        switch (Math.floor(rnd() * 5)) {
          case 0: // byte flip
            text = text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + text.slice(at + 1)
            break
          case 1: // insert a syntax character
            text = text.slice(0, at) + pick(SYNTAX) + text.slice(at)
            break
          case 2: // delete a range
            text = text.slice(0, at) + text.slice(at + Math.floor(rnd() * 40))
            break
          case 3: // truncate
            text = text.slice(0, at)
            break
          default: // splice another file's lines in
            text = text.slice(0, at) + window() + text.slice(at)
        }
      }
      const t0 = performance.now()
      let out
      try {
        out = compileText(text, { fileName: join(RULES, 'fuzz.conf') })
      } catch (e) {
        throw new Error(`case ${i} (seed ${SEED}) threw ${(e as Error).stack}\ninput: ${JSON.stringify(text)}`)
      }
      const dt = performance.now() - t0
      if (dt > slowest) slowest = dt
      expect(dt, `case ${i} took ${dt} ms: ${JSON.stringify(text)}`).toBeLessThan(2000)
      if (out.errors > 0) {
        errors++
        expect(out.bundle).toBeUndefined()
        for (const d of out.diagnostics) {
          expect(d.line).toBeGreaterThan(0)
          expect(d.col).toBeGreaterThan(0)
          expect(d.message.length).toBeGreaterThan(0)
        }
      } else {
        bundles++
        expect(out.bundle).toBeDefined()
      }
    }
    const total = performance.now() - started
    console.log(`compiler fuzz: ${CASES} cases, ${errors} rejected, ${bundles} compiled, slowest ${slowest.toFixed(1)} ms, total ${(total / 1000).toFixed(1)} s`)
    expect(errors + bundles).toBe(CASES)
    expect(errors).toBeGreaterThan(CASES / 10)
    expect(total).toBeLessThan(60_000)
  })
})
