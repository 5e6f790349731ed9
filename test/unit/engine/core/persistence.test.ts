import { describe, expect, it } from 'vitest'
import {
  MemoryStore,
  type PersistentStore,
  type RecordUpdate,
  type StoredRecord,
} from '../../../../src/engine/collections/store'
import { loadProgram } from '../../../../src/engine/link'
import { Transaction } from '../../../../src/engine/transaction'
import { compileRules, parseRaw } from './harness'

const GET = 'GET /?a=1 HTTP/1.1\r\nHost: localhost\r\n\r\n'

function logged(tx: Transaction): (string | undefined)[] {
  return tx.records.filter((r) => r.log).map((r) => r.msg)
}
const T0 = 1_700_000_000_000

/** A store that answers after a macrotask, like KV. */
class SlowStore implements PersistentStore {
  readonly inner = new MemoryStore()
  loads = 0
  load(c: string, k: string): Promise<StoredRecord | undefined> {
    this.loads++
    return new Promise((res) => setTimeout(() => res(this.inner.load(c, k)), 1))
  }
  save(c: string, k: string, u: RecordUpdate): Promise<void> {
    this.inner.save(c, k, u)
    return Promise.resolve()
  }
  delete(c: string, k: string): Promise<void> {
    this.inner.delete(c, k)
    return Promise.resolve()
  }
}

const RULES = [
  'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.hits=+1"',
  'SecAction "id:2,phase:1,pass,log,msg:\'hits=%{ip.hits} new=%{ip.is_new} counter=%{ip.update_counter}\'"',
  'SecRule IP:hits "@ge 3" "id:3,phase:2,deny,status:429,log"',
].join('\n')

async function request(store: PersistentStore, now: number): Promise<Transaction> {
  const p = loadProgram(compileRules(RULES), { store })
  const tx = new Transaction(p, parseRaw(GET), { clock: () => now })
  await tx.processRequestHeaders()
  await tx.processRequestBody()
  await tx.processLogging()
  await tx.persist()
  return tx
}

describe('persistent collections', () => {
  it('pauses the phase for an asynchronous load and resumes after the rule', async () => {
    const store = new SlowStore()
    const p = loadProgram(compileRules(RULES), { store })
    const tx = new Transaction(p, parseRaw(GET), { clock: () => T0 })
    const r = tx.processRequestHeaders()
    expect(r).toBeInstanceOf(Promise)
    // a call made while the load is pending waits for it
    const body = tx.processRequestBody()
    expect(await r).toBeUndefined()
    expect(await body).toBeUndefined()
    expect(logged(tx)).toEqual(['hits=1 new=1 counter=0'])
    expect(store.loads).toBe(1)
  })

  it('stores changed collections with v2 built-ins and counts across transactions', async () => {
    const store = new SlowStore()
    await request(store, T0)
    const second = await request(store, T0 + 2000)
    expect(logged(second)).toEqual(['hits=2 new= counter=1'])
    const third = await request(store, T0 + 4000)
    expect(third.interruption).toEqual({ status: 429, kind: 'deny', ruleId: 3, phase: 2 })
    const rec = store.inner.load('ip', '127.0.0.1')
    const vars = Object.fromEntries(rec?.vars ?? [])
    expect(vars).toMatchObject({
      KEY: '127.0.0.1',
      TIMEOUT: '3600',
      __key: '127.0.0.1',
      __name: 'ip',
      CREATE_TIME: String(T0 / 1000),
      UPDATE_COUNTER: '3',
      LAST_UPDATE_TIME: String((T0 + 4000) / 1000),
      __expire_KEY: String((T0 + 4000) / 1000 + 3600),
      hits: '3',
    })
    expect(vars.IS_NEW).toBeUndefined()
    expect(vars.UPDATE_RATE).toBeUndefined()
  })

  it('merges counter deltas with what another transaction stored meanwhile', async () => {
    const store = new MemoryStore()
    const p = loadProgram(compileRules(RULES), { store })
    const a = new Transaction(p, parseRaw(GET), { clock: () => T0 })
    const b = new Transaction(p, parseRaw(GET), { clock: () => T0 })
    a.processRequestHeaders()
    b.processRequestHeaders()
    await a.persist()
    await b.persist()
    expect(Object.fromEntries(store.load('ip', '127.0.0.1')?.vars ?? []).hits).toBe('2')
  })

  it('drops expired variables and expired collections on load', async () => {
    const store = new MemoryStore()
    const rules = [
      'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.short=1,expirevar:ip.short=10,setvar:ip.long=1"',
      'SecAction "id:2,phase:1,pass,log,msg:\'short=%{ip.short} long=%{ip.long} new=%{ip.is_new}\'"',
    ].join('\n')
    const p = loadProgram(compileRules(rules), { store })
    const run = async (now: number): Promise<string | undefined> => {
      const tx = new Transaction(p, parseRaw(GET), { clock: () => now })
      tx.processRequestHeaders()
      await tx.persist()
      return logged(tx)[0]
    }
    expect(await run(T0)).toBe('short=1 long=1 new=1')
    // the second transaction sets short again after reading it: still present at +5s
    expect(await run(T0 + 5000)).toBe('short=1 long=1 new=')
    // 20s later the short variable expired before rule 1 ran: rule 2 sees the fresh one
    const store2 = new MemoryStore()
    const p2 = loadProgram(
      compileRules(
        'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.short=1,expirevar:ip.short=10"\n' +
          'SecAction "id:2,phase:5,pass,log,msg:\'x\'"',
      ),
      { store: store2 },
    )
    const t1 = new Transaction(p2, parseRaw(GET), { clock: () => T0 })
    t1.processRequestHeaders()
    await t1.persist()
    const p3 = loadProgram(
      compileRules(
        'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecAction "id:2,phase:1,pass,log,msg:\'short=%{ip.short}\'"',
      ),
      { store: store2 },
    )
    const t2 = new Transaction(p3, parseRaw(GET), { clock: () => T0 + 20_000 })
    t2.processRequestHeaders()
    expect(logged(t2)[0]).toBe('short=')
    // after the collection's own timeout it starts over
    const t3 = new Transaction(p3, parseRaw(GET), { clock: () => T0 + 4_000_000 })
    t3.processRequestHeaders()
    expect(t3.state.persistent.get('ip')?.col.get('IS_NEW')?.value).toBe('1')
  })

  it('deprecatevar decreases a stored counter by elapsed time', async () => {
    const store = new MemoryStore()
    const set = loadProgram(
      compileRules('SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.score=100"'),
      { store },
    )
    const t1 = new Transaction(set, parseRaw(GET), { clock: () => T0 })
    t1.processRequestHeaders()
    await t1.persist()
    const dep = loadProgram(
      compileRules(
        'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},deprecatevar:ip.score=10/60"\nSecAction "id:2,phase:1,pass,log,msg:\'score=%{ip.score}\'"',
      ),
      { store },
    )
    const t2 = new Transaction(dep, parseRaw(GET), { clock: () => T0 + 150_000 })
    t2.processRequestHeaders()
    // 150 s since LAST_UPDATE_TIME = 2 whole periods of 60 s: 100 - 2 * 10
    expect(logged(t2)[0]).toBe('score=80')
  })
})
