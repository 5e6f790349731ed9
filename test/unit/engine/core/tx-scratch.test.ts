import { describe, expect, it } from 'vitest'
import type { LinkedTarget, Program } from '../../../../src/engine/program'
import { MAX_CELLS, releaseScratch, TCACHE_MAX_ENTRIES, TxScratch } from '../../../../src/engine/tx-scratch'
import { scalarItem } from '../../../../src/engine/variables/item'
import { Transaction } from '../../../../src/engine/transaction'
import { parseRaw, program, runAll } from './harness'

const TARGET = { name: 'ARGS' } as LinkedTarget

describe('TxScratch (tx-scratch.ts): the evaluator memory a program reuses', () => {
  it('interns item values by string and gives results cells of their own', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    const a = sc.intern('abc')
    expect(sc.intern('ab' + 'c')).toBe(a)
    const r = sc.newCell('abc')
    expect(r).not.toBe(a)
    expect(sc.str(r)).toBe('abc')
    expect(sc.litOf(a)).toBe(-1)
    sc.setLit(a, 12)
    expect(sc.litOf(a)).toBe(12)
    expect(sc.litOf(r)).toBe(-1)
  })

  it('a case-only result shares its input literal offset', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    const a = sc.intern('ABC')
    const l = sc.newCell('abc', a)
    const other = sc.newCell('abc')
    sc.setLit(l, 30)
    expect(sc.litOf(a)).toBe(30)
    expect(sc.litOf(other)).toBe(-1)
    // through a chain of case changes too
    const u = sc.newCell('ABC', l)
    expect(sc.litOf(u)).toBe(30)
  })

  it('keeps (cell, node) entries apart, through growth of the table', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    for (let c = 0; c < 300; c++) sc.newCell('v' + c)
    for (let c = 0; c < 300; c++)
      for (let node = 0; node < 10; node++) sc.insert(c, node, (c * 7 + node) % 300)
    for (let c = 0; c < 300; c++)
      for (let node = 0; node < 10; node++) expect(sc.find(c, node)).toBe((c * 7 + node) % 300)
    expect(sc.find(0, 10)).toBe(-1)
    expect(sc.find(300, 0)).toBe(-1)
    // an entry written again is replaced, not duplicated
    sc.insert(5, 3, 42)
    expect(sc.find(5, 3)).toBe(42)
  })

  it('forgets the previous transaction at begin(): entries, cells, sets and slots', () => {
    const sc = new TxScratch(2, 2)
    sc.begin()
    const c = sc.intern('x')
    sc.insert(c, 1, c)
    sc.storeSet(0, [scalarItem('A', 'x')], [TARGET])
    sc.slotVals(1, 1)
    sc.newSlotLits(1, 3)
    sc.begin()
    expect(sc.find(c, 1)).toBe(-1)
    expect(sc.setBase(0)).toBe(-1)
    expect(sc.slotLits(1)).toBe(-1)
    // the value is interned again from scratch (cell numbers restart)
    expect(sc.intern('y')).toBe(0)
  })

  it('a new epoch drops sets and slots but keeps cells and entries', () => {
    const sc = new TxScratch(2, 2)
    sc.begin()
    const c = sc.intern('x')
    sc.insert(c, 4, c)
    const base = sc.storeSet(1, [scalarItem('A', 'x'), scalarItem('B', 'y')], [TARGET, TARGET])
    expect(sc.setBase(1)).toBe(base)
    expect(sc.setSize(1)).toBe(2)
    expect(sc.items[base + 1]?.name).toBe('B')
    const v = sc.slotVals(0, 2)
    sc.vals[v] = 'done'
    expect(sc.slotVals(0, 2)).toBe(v)
    sc.newEpoch()
    expect(sc.setBase(1)).toBe(-1)
    const v2 = sc.slotVals(0, 2)
    // a slot made again starts unfilled
    expect(sc.vals[v2]).toBeUndefined()
    expect(sc.find(c, 4)).toBe(c)
    expect(sc.intern('x')).toBe(c)
  })

  it('end() drops every reference to the transaction strings and items', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    sc.intern('secret')
    sc.storeSet(0, [scalarItem('A', 'secret')], [TARGET])
    sc.vals[sc.slotVals(0, 1)] = 'secret2'
    sc.end()
    expect(sc.cellStr.includes('secret')).toBe(false)
    expect(sc.items.some((it) => it.value === 'secret')).toBe(false)
    expect(sc.owners.includes(TARGET)).toBe(false)
    expect(sc.vals.includes('secret2')).toBe(false)
  })

  it('stops giving cells at the cap', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    for (let i = 0; i < MAX_CELLS; i++) expect(sc.newCell('')).toBe(i)
    expect(sc.newCell('')).toBe(-1)
    expect(sc.intern('new')).toBe(-1)
  })

  it('records no more entries at the cache cap, and keeps those it has', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    for (let i = 0; i < TCACHE_MAX_ENTRIES; i++) sc.insert(i, 1, i)
    expect(sc.full()).toBe(true)
    sc.insert(TCACHE_MAX_ENTRIES, 1, 7)
    expect(sc.find(TCACHE_MAX_ENTRIES, 1)).toBe(-1)
    expect(sc.find(0, 1)).toBe(0)
    expect(sc.find(TCACHE_MAX_ENTRIES - 1, 1)).toBe(TCACHE_MAX_ENTRIES - 1)
    sc.begin()
    expect(sc.full()).toBe(false)
  })

  it('a program keeps up to 8 scratches, of them one large', () => {
    const program = { scratch: [] as TxScratch[] } as unknown as Program
    const large = (): TxScratch => {
      const sc = new TxScratch(1, 1)
      sc.begin()
      sc.reserveWords((1 << 18) + 1)
      expect(sc.large()).toBe(true)
      return sc
    }
    releaseScratch(program, large())
    releaseScratch(program, large())
    expect(program.scratch.length).toBe(1)
    for (let i = 0; i < 10; i++) releaseScratch(program, new TxScratch(1, 1))
    expect(program.scratch.length).toBe(8)
    expect(program.scratch.filter((sc) => sc.large()).length).toBe(1)
  })

  it('reserved literal words are zero even where an earlier transaction wrote', () => {
    const sc = new TxScratch(1, 1)
    sc.begin()
    const at = sc.reserveWords(4)
    sc.pool.fill(-1, at, at + 4)
    sc.begin()
    const again = sc.reserveWords(4)
    expect(Array.from(sc.pool.subarray(again, again + 4))).toEqual([0, 0, 0, 0])
  })
})

describe('scratch reuse across transactions (Transaction.processLogging)', () => {
  it('a program keeps the scratch of a finished transaction and gives it to the next', () => {
    const p = program('SecRule ARGS "@rx ^a" "id:1,phase:2,deny,status:403,t:lowercase"')
    const get = (q: string) => parseRaw(`GET /?q=${q} HTTP/1.1\r\nHost: h\r\n\r\n`)
    expect(runAll(p, get('Abc')).interruption?.ruleId).toBe(1)
    expect(p.scratch.length).toBe(1)
    const kept = p.scratch[0]
    // the same scratch, with nothing of the first request: the second decides on its own data
    expect(runAll(p, get('bAc')).interruption).toBeUndefined()
    expect(p.scratch).toEqual([kept])
    expect(runAll(p, get('ABC')).interruption?.ruleId).toBe(1)
  })
  it('transactions in flight at once have their own scratch; a released one is not touched again', () => {
    const p = program('SecRule ARGS "@rx ^a" "id:1,phase:2,deny,status:403,t:lowercase"')
    const a = new Transaction(p, parseRaw('GET /?q=Abc HTTP/1.1\r\nHost: h\r\n\r\n'))
    const b = new Transaction(p, parseRaw('GET /?q=bcd HTTP/1.1\r\nHost: h\r\n\r\n'))
    expect(a.state.scratch).not.toBe(b.state.scratch)
    a.processRequestHeaders()
    b.processRequestHeaders()
    expect(a.processRequestBody()).toMatchObject({ ruleId: 1 })
    a.processLogging()
    expect(p.scratch).toEqual([a.state.scratch])
    // the next transaction takes a's scratch; calls on the finished a leave it alone
    const c = new Transaction(p, parseRaw('GET /?q=Axy HTTP/1.1\r\nHost: h\r\n\r\n'))
    expect(c.state.scratch).toBe(a.state.scratch)
    c.processRequestHeaders()
    a.processResponseHeaders(200, 'HTTP/1.1', [])
    expect(b.processRequestBody()).toBeUndefined()
    expect(c.processRequestBody()).toMatchObject({ ruleId: 1 })
  })
})
