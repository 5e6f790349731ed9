import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../../../src/engine/collections/store'
import { caseConfig, parseRaw, program, runAll, VECTORS, type VectorCase } from '../core/harness'
import { logLines } from './log-lines'

/**
 * Persistent collections over several requests, recorded from ModSecurity 2.9.7 with a frozen,
 * controlled clock (test/vectors/collections/README.md): each case's steps run in order against
 * one MemoryStore with the clock at start + t seconds; every step's alert lines and outcome must
 * be what 2.9.7 logged.
 */
interface Step {
  t: number
  request: string
  expect: { status: number; alerts: string[] }
}
interface TimelineCase {
  name: string
  config?: string
  rules: string
  steps: Step[]
}
interface TimelineFile {
  start: number
  recorded: string
  cases: TimelineCase[]
}

const doc = JSON.parse(readFileSync(join(VECTORS, 'collections/timeline.json'), 'utf8')) as TimelineFile

describe('vectors/collections/timeline.json (2.9.7, controlled clock)', () => {
  it('is a recording', () => {
    expect(doc.recorded).toMatch(/^ModSecurity 2\.9\.7 .*libfaketime/)
  })
  for (const c of doc.cases) {
    it(c.name, async () => {
      const p = program(c.rules, caseConfig({ config: c.config } as VectorCase))
      const store = new MemoryStore()
      for (const s of c.steps) {
        const now = (doc.start + s.t) * 1000
        // a few milliseconds into the second, as a real request would be
        const res = runAll(p, parseRaw(s.request), { store, clock: () => now + 7 })
        const where = `t=${s.t} ${s.request.split('\r\n')[0]}`
        expect(logLines(res), where).toEqual(s.expect.alerts)
        const st = s.expect.status
        if (st === 404) expect(res.interruption, where).toBeUndefined()
        else if (st === 0) expect(res.interruption?.kind, where).toBe('drop')
        else expect(res.interruption?.status, where).toBe(st)
        await res.tx.persist()
      }
    })
  }
})
