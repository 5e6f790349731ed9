/**
 * JIT training at warm-up (train.ts): synthetic transactions through the program that reach the
 * rules of every phase, and leave nothing behind: the program's store and DNS resolver are never
 * used, nothing blocks, nothing is logged.
 */
import { describe, expect, it } from 'vitest'
import type { LinkedRule } from '../../../../src/engine/program'
import { MemoryStore, type RecordUpdate, type StoredRecord } from '../../../../src/engine/collections/store'
import type { DnsResolver } from '../../../../src/engine/dns'
import { loadProgram } from '../../../../src/engine/link'
import { trainProgram } from '../../../../src/engine/train'
import { warmProgram } from '../../../../src/engine/warm'
import { compileRules } from './harness'

const RULES = `
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.hits=+1"
SecRule REQUEST_HEADERS:User-Agent "@rx <script" "id:2,phase:1,deny,status:403,log"
SecRule ARGS "@detectSQLi" "id:3,phase:2,deny,status:403,log,t:urlDecodeUni,t:htmlEntityDecode"
SecRule ARGS_NAMES|ARGS "@rx (?i)union\\s+select" "id:4,phase:2,block,log,t:lowercase"
SecRule RESPONSE_HEADERS:Content-Type "@rx html" "id:5,phase:3,pass,log"
SecRule RESPONSE_BODY "@rx <html" "id:6,phase:4,deny,status:500,log"
SecRule REQUEST_URI "@rbl bl.example" "id:7,phase:5,pass,log"
`

class CountingStore extends MemoryStore {
  calls = 0
  override load(collection: string, key: string): StoredRecord | undefined {
    this.calls++
    return super.load(collection, key)
  }
  override save(collection: string, key: string, update: RecordUpdate): void {
    this.calls++
    super.save(collection, key, update)
  }
}

/** rule ids the profiler saw evaluated */
function profiled(): {
  ids: Set<number>
  profiler: { now(): number; rule(r: LinkedRule): void; operator(): void; transformation(): void }
} {
  const ids = new Set<number>()
  return {
    ids,
    profiler: {
      now: () => 0,
      rule: (r: LinkedRule) => void ids.add(r.head.id),
      operator: () => undefined,
      transformation: () => undefined,
    },
  }
}

describe('trainProgram', () => {
  it('runs the rules of every phase, through blocking rules (detection only)', () => {
    const { ids, profiler } = profiled()
    const p = loadProgram(compileRules(RULES), { profiler })
    expect(trainProgram(p, 1).transactions).toBe(5)
    // 2 and 3 match the training values and would deny: the later phases still run
    for (const id of [1, 2, 3, 4, 5, 6]) expect(ids.has(id)).toBe(true)
  })

  it('never touches the program store or its DNS resolver', () => {
    const store = new CountingStore()
    let lookups = 0
    const resolver: DnsResolver = {
      resolveA: () => {
        lookups++
        return Promise.resolve([])
      },
    }
    const p = loadProgram(compileRules(RULES), { store, resolver })
    trainProgram(p, 2)
    expect(store.calls).toBe(0)
    expect(store.size).toBe(0)
    expect(lookups).toBe(0)
  })

  it('is part of a full warm-up, left out of a budgeted or levelled one unless asked', () => {
    const p = loadProgram(compileRules(RULES))
    expect(warmProgram(p).trained).toBe(10)
    expect(warmProgram(p, { budget: 1000 }).trained).toBe(0)
    expect(warmProgram(p, { paranoiaLevel: 1 }).trained).toBe(0)
    expect(warmProgram(p, { budget: 1000, train: 1 }).trained).toBe(5)
    expect(warmProgram(p, { train: 0 }).trained).toBe(0)
  })
})
