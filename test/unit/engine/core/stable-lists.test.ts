import { describe, expect, it } from 'vitest'
import { Transaction } from '../../../../src/engine/transaction'
import { VARIABLE_IMPLS } from '../../../../src/engine/variables/registry'
import type { Item } from '../../../../src/engine/variables/item'
import { parseRaw, program } from './harness'

/**
 * Lists built from request data that cannot change during a transaction are built once: the
 * phase-2 re-evaluation after the body (TxState.invalidate) hands out the same items, so their
 * transformation memos survive. ARGS and ARGS_NAMES are rebuilt with the body's arguments
 * added after the same query-string items. The values seen by
 * rules in both phases are recorded in test/vectors/variables/request-lists-phases.json.
 */
const ALL = { key: undefined, fkey: undefined, rx: undefined }

function collect(tx: Transaction, name: string): Item[] {
  const impl = VARIABLE_IMPLS[name]
  if (impl === undefined) throw new Error('no variable ' + name)
  const out: Item[] = []
  impl.collect(tx.state, ALL, out, null)
  return out
}

describe('request lists across the body', () => {
  const p = program('SecAction "id:1,phase:2,pass,nolog"')
  const raw =
    'POST /p?q=1 HTTP/1.1\r\nHost: localhost\r\nCookie: c=1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
    'Content-Length: 3\r\n\r\nb=2'
  const cases: [string, boolean][] = [
    ['REQUEST_HEADERS', true],
    ['REQUEST_HEADERS_NAMES', true],
    ['REQUEST_COOKIES', true],
    ['REQUEST_COOKIES_NAMES', true],
    ['ARGS_GET', true],
    ['ARGS_GET_NAMES', true],
    ['ARGS', false],
    ['ARGS_NAMES', false],
  ]
  for (const [name, stable] of cases)
    it(`${name}: ${stable ? 'the same items' : 'the same query items, then the body'} after the body`, () => {
      const tx = new Transaction(p, parseRaw(raw))
      tx.processRequestHeaders()
      const before = collect(tx, name)
      tx.processRequestBody()
      const after = collect(tx, name)
      expect(before.length).toBeGreaterThan(0)
      if (stable) {
        expect(after.length).toBe(before.length)
        for (let i = 0; i < after.length; i++) expect(after[i]).toBe(before[i])
      } else {
        expect(after.length).toBe(before.length + 1)
        for (let i = 0; i < before.length; i++) expect(after[i]).toBe(before[i])
        expect(after[before.length]?.name).toBe(name === 'ARGS' ? 'ARGS:b' : 'ARGS_NAMES:b')
      }
    })
})
