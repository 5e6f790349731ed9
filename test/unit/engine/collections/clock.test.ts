import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../../../src/engine/collections/store'
import { caseConfig, parseRaw, program, runAll, VECTORS, type VectorCase } from '../core/harness'
import { logLines } from './log-lines'

/**
 * expirevar, deprecatevar and UPDATE_RATE, table-driven against a controllable clock. Every row
 * was recorded from ModSecurity 2.9.7 under libfaketime (test/vectors/collections/README.md):
 * row i ran at start + i * 10000 + t with its own collection key; here each row gets a fresh
 * MemoryStore and the Transaction clock at the same seconds. A row with `deviation` says where
 * the engine deliberately differs; the step's `engine` field then holds the expected outcome.
 */
interface Outcome {
  status: number
  alerts: string[]
}
interface Step {
  t: number
  request: string
  expect: Outcome
  engine?: Outcome
}
interface Row {
  name: string
  deviation?: string
  steps: Step[]
}
interface Table {
  description: string
  config?: string
  rules: string
  rows: Row[]
}
const doc = JSON.parse(readFileSync(join(VECTORS, 'collections/clock.json'), 'utf8')) as {
  start: number
  recorded: string
  tables: Record<string, Table>
}

it('clock.json is a recording', () => {
  expect(doc.recorded).toMatch(/^ModSecurity 2\.9\.7 .*libfaketime/)
})

for (const [name, table] of Object.entries(doc.tables)) {
  describe(name, () => {
    const p = program(table.rules, caseConfig({ config: table.config } as VectorCase))
    table.rows.forEach((row, i) => {
      it(row.name + (row.deviation !== undefined ? ' (deviation)' : ''), async () => {
        const store = new MemoryStore()
        for (const s of row.steps) {
          const now = (doc.start + i * 10000 + s.t) * 1000 + 250
          const res = runAll(p, parseRaw(s.request), { store, clock: () => now })
          const want = s.engine ?? s.expect
          expect(logLines(res), `t=${s.t}`).toEqual(want.alerts)
          if (want.status === 404) expect(res.interruption).toBeUndefined()
          else expect(res.interruption?.status).toBe(want.status)
          await res.tx.persist()
        }
      })
    })
  })
}
