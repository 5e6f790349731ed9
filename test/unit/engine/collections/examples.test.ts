import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../../../src/engine/collections/store'
import { parseRaw, program, runAll, VECTORS } from '../core/harness'
import { logLines } from './log-lines'

/**
 * The example rule files (rules/examples/*.conf) over several requests, as ModSecurity 2.9.7
 * ran them under a controlled clock (test/vectors/collections/examples.json, recorded by
 * test/tools/modsec/record-collections.mjs from the files themselves: re-record after changing
 * an example). The same files in the Worker with Workers KV: test/workers/kv-worker.test.ts.
 */
const ROOT = join(__dirname, '../../../..')

interface Step {
  t: number
  request: string
  expect: { status: number; alerts: string[] }
}
interface ExampleCase {
  name: string
  rulesFile: string
  prepend?: string
  steps: Step[]
}
const doc = JSON.parse(readFileSync(join(VECTORS, 'collections/examples.json'), 'utf8')) as {
  start: number
  recorded: string
  cases: ExampleCase[]
}

/**
 * ModSecurity 2.9.7 reports the LAST physical line of a directive continued with `\` as its
 * [line] (Apache's line counter after reading the continuations); the per-case tests compare
 * the lines apart from [line] and one test below compares them whole.
 */
function withoutLine(lines: string[]): string[] {
  return lines.map((l) => l.replace(/ \[line "\d+"\]/, ' [line "-"]'))
}

async function replay(
  c: ExampleCase,
  check: (got: string[], want: string[], where: string) => void,
): Promise<void> {
  const rules = (c.prepend ?? '') + readFileSync(join(ROOT, c.rulesFile), 'latin1')
  const p = program(rules)
  const store = new MemoryStore()
  for (const s of c.steps) {
    const now = (doc.start + s.t) * 1000 + 500
    const res = runAll(p, parseRaw(s.request), { store, clock: () => now })
    const where = `t=${s.t} ${s.request.split('\r\n')[0]}`
    check(logLines(res), s.expect.alerts, where)
    if (s.expect.status === 404) expect(res.interruption, where).toBeUndefined()
    else expect(res.interruption?.status, where).toBe(s.expect.status)
    await res.tx.persist()
  }
}

describe('rules/examples (recorded from 2.9.7)', () => {
  it('is a recording', () => expect(doc.recorded).toMatch(/^ModSecurity 2\.9\.7 .*libfaketime/))
  for (const c of doc.cases) {
    it(c.name, () =>
      replay(c, (got, want, where) => expect(withoutLine(got), where).toEqual(withoutLine(want))),
    )
  }
  it('[line] of a continued directive is its last physical line', () =>
    replay(doc.cases[0] as ExampleCase, (got, want, where) => expect(got, where).toEqual(want)),
  )
})
