import { describe, expect, it } from 'vitest'
import {
  MemoryStore,
  type PersistentStore,
  type RecordUpdate,
  type StoredRecord,
} from '../../../../src/engine/collections/store'
import { Transaction } from '../../../../src/engine/transaction'
import { parseRaw, program } from '../core/harness'

/**
 * The engine with a store that answers later (like Workers KV) or fails: where the phase
 * waits, what rules see, TX:COLLECTION_LOAD_FAILED, and write failures. The Worker's KV store
 * itself is tested in test/workers/kv-store.test.ts.
 */
const T0 = 1_700_000_000_000
const GET = 'GET /login?user=a HTTP/1.1\r\nHost: localhost\r\n\r\n'

type Mode = 'ok' | 'reject' | 'throw' | 'hang'

/** A MemoryStore behind a macrotask; loads and saves can be made to fail. */
class TestStore implements PersistentStore {
  readonly inner = new MemoryStore()
  loadMode: Mode = 'ok'
  saveMode: Mode = 'ok'
  loads: string[] = []
  load(c: string, k: string): Promise<StoredRecord | undefined> {
    this.loads.push(c + '/' + k)
    if (this.loadMode === 'throw') throw new Error('KV GET failed: 503')
    return new Promise((res, rej) =>
      setTimeout(
        () =>
          this.loadMode === 'reject' ? rej(new Error('KV GET failed: 500')) : res(this.inner.load(c, k)),
        1,
      ),
    )
  }
  save(c: string, k: string, u: RecordUpdate): Promise<void> {
    if (this.saveMode === 'throw') throw new Error('KV PUT failed: 429 Too Many Requests')
    if (this.saveMode === 'reject') return Promise.reject(new Error('KV PUT failed: 500'))
    this.inner.save(c, k, u)
    return Promise.resolve()
  }
  delete(c: string, k: string): void {
    this.inner.delete(c, k)
  }
}

function msgs(tx: Transaction): (string | undefined)[] {
  return tx.records.filter((r) => r.log).map((r) => r.msg)
}

async function run(rules: string, store: PersistentStore, at = T0, raw = GET): Promise<Transaction> {
  const tx = new Transaction(program(rules), parseRaw(raw), { store, clock: () => at })
  await tx.processRequestHeaders()
  await tx.processRequestBody()
  await tx.processLogging()
  return tx
}

describe('asynchronous loads', () => {
  it('the next chain link sees the collection its starter opened', async () => {
    const store = new TestStore()
    store.inner.save('ip', '127.0.0.1', () => ({
      vars: [
        ['KEY', '127.0.0.1'],
        ['TIMEOUT', '3600'],
        ['__expire_KEY', String(T0 / 1000 + 3600)],
        ['CREATE_TIME', String(T0 / 1000)],
        ['UPDATE_COUNTER', '1'],
        ['hits', '7'],
      ],
    }))
    const rules = [
      'SecRule REQUEST_FILENAME "@streq /login" "id:1,phase:1,chain,deny,status:429,log,msg:\'hits %{ip.hits}\',initcol:ip=%{REMOTE_ADDR}"',
      '  SecRule IP:hits "@ge 5" "setvar:ip.hits=+1"',
    ].join('\n')
    const tx = await run(rules, store)
    expect(tx.interruption?.status).toBe(429)
    expect(msgs(tx)).toEqual(['hits 8'])
  })

  it("the rule's own setvar/expirevar/deprecatevar wait for the load (queued)", async () => {
    const store = new TestStore()
    const rules = [
      'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.n=+1,setvar:ip.n=+1,expirevar:ip.n=60"',
      'SecAction "id:2,phase:1,pass,log,msg:\'n=%{ip.n} exp=%{ip.__expire_n}\'"',
    ].join('\n')
    const tx = await run(rules, store)
    await tx.persist()
    expect(msgs(tx)).toEqual([`n=2 exp=${T0 / 1000 + 60}`])
    const second = await run(rules, store, T0 + 5000)
    expect(msgs(second)).toEqual([`n=4 exp=${T0 / 1000 + 65}`])
  })

  it('macros of the rule that opens the collection see it before the load (documented difference)', async () => {
    const store = new TestStore()
    store.inner.save('ip', '127.0.0.1', () => ({
      vars: [
        ['KEY', '127.0.0.1'],
        ['__expire_KEY', String(T0 / 1000 + 3600)],
        ['n', '5'],
      ],
    }))
    const tx = await run(
      'SecAction "id:1,phase:1,pass,log,msg:\'same rule n=%{ip.n}\',initcol:ip=%{REMOTE_ADDR},setvar:ip.n=+1"\n' +
        'SecAction "id:2,phase:1,pass,log,msg:\'next rule n=%{ip.n}\'"',
      store,
    )
    expect(msgs(tx)).toEqual(['same rule n=', 'next rule n=6'])
  })

  it('a phase without initcol stays synchronous', () => {
    const tx = new Transaction(program('SecAction "id:1,phase:1,pass,nolog,setvar:tx.a=1"'), parseRaw(GET), {
      store: new TestStore(),
    })
    expect(tx.processRequestHeaders()).toBeUndefined()
  })
})

describe('load failures', () => {
  const RULES = [
    'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"',
    'SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"',
    'SecRule TX:COLLECTION_LOAD_FAILED "@eq 1" "id:3,phase:1,pass,log,msg:\'load failed: %{tx.collection_load_failed_ip} n=%{ip.n} new=%{ip.is_new}\'"',
    // an attack the rules block through TX, whatever the store does
    'SecRule ARGS "@contains attack" "id:4,phase:2,pass,nolog,setvar:tx.score=+5"',
    'SecRule TX:SCORE "@ge 5" "id:5,phase:2,deny,status:403,log,msg:\'blocked by score\'"',
  ].join('\n')

  for (const mode of ['reject', 'throw'] as const) {
    it(`a load that ${mode}s gives an empty collection and TX:COLLECTION_LOAD_FAILED`, async () => {
      const store = new TestStore()
      store.loadMode = mode
      const tx = await run(RULES, store)
      expect(tx.interruption).toBeUndefined()
      expect(msgs(tx)).toEqual(['load failed: 1 n=1 new=1'])
      expect(tx.state.engineMessages).toEqual([
        `Failed to load collection (name "ip", key "127.0.0.1"): KV GET failed: ${mode === 'throw' ? 503 : 500}. Using an empty collection; TX:COLLECTION_LOAD_FAILED set.`,
      ])
      const attack = await run(RULES, store, T0, 'GET /?q=attack HTTP/1.1\r\nHost: localhost\r\n\r\n')
      expect(attack.interruption?.status).toBe(403)
    })
  }

  it('loses nothing: what the transaction counted is merged into the stored record at save', async () => {
    const store = new TestStore()
    const count = [
      'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.n=+1"',
      'SecAction "id:2,phase:1,pass,log,msg:\'n=%{ip.n}\'"',
    ].join('\n')
    for (let i = 0; i < 3; i++) await (await run(count, store, T0 + i * 1000)).persist()
    store.loadMode = 'reject'
    const failed = await run(count, store, T0 + 10_000)
    expect(msgs(failed)).toEqual(['n=1'])
    await failed.persist()
    const rec = Object.fromEntries(store.inner.load('ip', '127.0.0.1')?.vars ?? [])
    expect(rec).toMatchObject({
      n: '4',
      CREATE_TIME: String(T0 / 1000),
      UPDATE_COUNTER: '4',
      LAST_UPDATE_TIME: String(T0 / 1000 + 10),
    })
    expect(rec.IS_NEW).toBeUndefined()
  })
})

describe('write failures', () => {
  it('persist() rejects naming every collection and key not saved, after attempting all', async () => {
    const store = new TestStore()
    const rules =
      'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},initcol:global=global,setvar:ip.n=+1,setvar:global.n=+1"'
    const tx = await run(rules, store)
    store.saveMode = 'reject'
    await expect(tx.persist()).rejects.toThrow(
      'not saved: collection "ip" key "127.0.0.1": KV PUT failed: 500; collection "global" key "global": KV PUT failed: 500',
    )
    const tx2 = await run(rules, store)
    store.saveMode = 'throw'
    await expect(tx2.persist()).rejects.toThrow(
      'collection "ip" key "127.0.0.1": KV PUT failed: 429 Too Many Requests',
    )
  })

  it('writes a collection once, only when changed', async () => {
    const store = new TestStore()
    let saves = 0
    const save = store.save.bind(store)
    store.save = (c: string, k: string, u: RecordUpdate): Promise<void> => {
      saves++
      return save(c, k, u)
    }
    const read = await run('SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"', store)
    await read.persist()
    expect(saves).toBe(0)
    const write = await run(
      'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.a=1"\nSecAction "id:2,phase:2,pass,nolog,setvar:ip.b=+1"',
      store,
    )
    await write.persist()
    await write.persist()
    expect(saves).toBe(1)
  })
})
