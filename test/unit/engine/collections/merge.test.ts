import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mergeForStore } from '../../../../src/engine/collections/persistent'
import type { StoredRecord } from '../../../../src/engine/collections/store'
import { VECTORS } from '../core/harness'

/** The read-modify-write merge, table-driven (test/vectors/collections/merge.json). */
interface MergeCase {
  name: string
  why: string
  ours: [string, string][]
  base: Record<string, string>
  originals: Record<string, string>
  current: StoredRecord | null
  expect: [string, string][]
}
const doc = JSON.parse(readFileSync(join(VECTORS, 'collections/merge.json'), 'utf8')) as {
  now: number
  cases: MergeCase[]
}

describe('mergeForStore', () => {
  for (const c of doc.cases) {
    it(c.name, () => {
      const out = mergeForStore(
        c.ours,
        new Map(Object.entries(c.base)),
        new Map(Object.entries(c.originals)),
        c.current ?? undefined,
        doc.now,
      )
      expect(out.vars).toEqual(c.expect)
    })
  }

  it('does not change its inputs (a store may call it again)', () => {
    const c = doc.cases[2] as MergeCase
    const before = JSON.stringify(c)
    const cur = c.current ?? undefined
    const a = mergeForStore(
      c.ours,
      new Map(Object.entries(c.base)),
      new Map(Object.entries(c.originals)),
      cur,
      doc.now,
    )
    const b = mergeForStore(
      c.ours,
      new Map(Object.entries(c.base)),
      new Map(Object.entries(c.originals)),
      cur,
      doc.now,
    )
    expect(a).toEqual(b)
    expect(JSON.stringify(c)).toBe(before)
  })
})
