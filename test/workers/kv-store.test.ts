import { describe, expect, it } from 'vitest'
import { MemoryStore, type RecordUpdate, type StoredRecord } from '../../src/engine/index'
import { mergeForStore } from '../../src/engine/collections/persistent'
import {
  encodeKeyPart,
  KV_MAX_KEY,
  kvKey,
  KvStore,
  parseRecord,
  type KvLike,
} from '../../src/worker/kv-store'

/**
 * The Worker's KV store (src/worker/kv-store.ts) in Node against a fake KV namespace with
 * KV's limits (one write per second per key, 429 otherwise; 60 s minimum TTL) and a fake
 * clock: key format, record format, TTL, write coalescing, retries, read-your-writes within
 * the isolate, timeouts and failures. The Worker with real local KV: kv-worker.test.ts.
 */

/** Fake time: sleep() advances it at once (after letting pending promise callbacks run). */
class Clock {
  t = 1_700_000_000_000
  now = (): number => this.t
  sleep = async (ms: number): Promise<void> => {
    await new Promise((r) => setTimeout(r, 0))
    this.t += ms
  }
}

interface Put {
  key: string
  value: string
  ttl: number | undefined
  at: number
}

/** KV with its write limit, recording operations; get/put can be made to fail. */
class FakeKv implements KvLike {
  readonly data = new Map<string, string>()
  readonly puts: Put[] = []
  gets = 0
  failGets = 0
  failPuts = 0
  hangGets = false
  private lastPut = new Map<string, number>()
  constructor(private readonly clock: Clock) {}

  get(key: string): Promise<string | null> {
    this.gets++
    if (this.hangGets) return new Promise(() => undefined)
    if (this.failGets > 0) {
      this.failGets--
      return Promise.reject(new Error('KV GET failed: 500 Internal Server Error'))
    }
    return Promise.resolve(this.data.get(key) ?? null)
  }

  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void> {
    const ttl = options?.expirationTtl
    if (ttl !== undefined && ttl < 60) return Promise.reject(new Error(`Invalid expiration_ttl of ${ttl}`))
    if (this.failPuts > 0) {
      this.failPuts--
      return Promise.reject(new Error('KV PUT failed: 500 Internal Server Error'))
    }
    const last = this.lastPut.get(key)
    if (last !== undefined && this.clock.t - last < 1000)
      return Promise.reject(new Error('KV PUT failed: 429 Too Many Requests'))
    this.lastPut.set(key, this.clock.t)
    this.data.set(key, value)
    this.puts.push({ key, value, ttl, at: this.clock.t })
    return Promise.resolve()
  }
}

/** An update like the engine's: hits += 1 as a delta, built-ins as v2 stores them. */
function increment(nowSec: number, loaded: StoredRecord | undefined, by = 1): RecordUpdate {
  const ours = new Map((loaded?.vars ?? []).map(([k, v]) => [k.toLowerCase(), v] as const))
  const hits = Number(ours.get('hits') ?? '0')
  const vars: [string, string][] = [
    ['__expire_KEY', String(nowSec + 3600)],
    ['KEY', 'k'],
    ['TIMEOUT', ours.get('timeout') ?? '3600'],
    ['CREATE_TIME', ours.get('create_time') ?? String(nowSec)],
    ['UPDATE_COUNTER', ours.get('update_counter') ?? '0'],
    ['hits', String(hits + by)],
  ]
  const base = new Map(vars.map(([k, v]) => [k.toLowerCase(), v] as const))
  base.set('hits', String(hits))
  const originals = new Map([
    ['hits', String(hits)],
    ['update_counter', vars[4]?.[1] ?? '0'],
  ])
  return (current) => mergeForStore(vars, base, originals, current, nowSec)
}

function value(kv: FakeKv, key: string, name: string): string | undefined {
  const raw = kv.data.get(key)
  if (raw === undefined) return undefined
  return parseRecord(raw)?.record.vars.find(([n]) => n === name)?.[1]
}

function setup(opts: { attempts?: number; readTimeoutMs?: number } = {}): {
  clock: Clock
  kv: FakeKv
  store: KvStore
} {
  const clock = new Clock()
  const kv = new FakeKv(clock)
  const store = new KvStore(kv, { now: clock.now, sleep: clock.sleep, ...opts })
  return { clock, kv, store }
}

describe('keys and records', () => {
  it('is <collection>/<key>, readable, with unsafe bytes as %HH', async () => {
    expect(await kvKey('ip', '203.0.113.7')).toBe('ip/203.0.113.7')
    expect(await kvKey('ip', '2001:db8::1')).toBe('ip/2001:db8::1')
    expect(await kvKey('shop_SESSION', 'a b/c%d\u0000\u00e9')).toBe('shop_SESSION/a%20b%2Fc%25d%00%E9')
    expect(await kvKey('global', 'global')).toBe('global/global')
    expect(encodeKeyPart('a/b')).toBe('a%2Fb')
  })

  it('keeps long keys under 512 bytes and distinct', async () => {
    const a = await kvKey('ip', 'x'.repeat(1000) + 'a')
    const b = await kvKey('ip', 'x'.repeat(1000) + 'b')
    expect(a.length).toBeLessThanOrEqual(KV_MAX_KEY)
    expect(a).not.toBe(b)
    expect(a.startsWith('ip/xxxx')).toBe(true)
    expect(a).toMatch(/#[0-9a-f]{64}$/)
  })

  it('round-trips binary values and treats anything else as absent', async () => {
    const { kv, store } = setup()
    const bin = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')
    await store.save('ip', 'k', () => ({ vars: [['v', bin]] }), 3600)
    expect((await store.load('ip', 'k'))?.vars).toEqual([['v', bin]])
    kv.data.set('ip/bad', '{not json')
    expect(await store.load('ip', 'bad')).toBeUndefined()
    kv.data.set('ip/bad', '{"vars":[["a",1]]}')
    expect(await store.load('ip', 'bad')).toBeUndefined()
    expect(await store.load('ip', 'none')).toBeUndefined()
  })

  it.each([
    [3600, 3600],
    [60, 60],
    [20, 60],
    [0, 60],
    [-5, 60],
  ])('TIMEOUT %i gives expirationTtl %i (KV minimum 60)', async (timeout, ttl) => {
    const { kv, store } = setup()
    await store.save('ip', 'k', () => ({ vars: [['TIMEOUT', String(timeout)]] }), timeout)
    expect(kv.puts.map((p) => p.ttl)).toEqual([ttl])
  })
})

describe('writes', () => {
  it('coalesces a burst into one write per second and loses no increment', async () => {
    const { kv, store, clock } = setup()
    const t0 = clock.t / 1000
    // 10 transactions that all loaded the empty collection
    const saves = Array.from({ length: 10 }, () => store.save('ip', 'k', increment(t0, undefined), 3600))
    await Promise.all(saves)
    // the first save is written at once, the 9 that came while it was written together
    expect(kv.puts).toHaveLength(2)
    expect(value(kv, 'ip/k', 'hits')).toBe('10')
    expect(value(kv, 'ip/k', 'UPDATE_COUNTER')).toBe('10')
    // 5 more right after: they wait for the interval, then one more write
    const more = Array.from({ length: 5 }, () => store.save('ip', 'k', increment(t0, undefined), 3600))
    await Promise.all(more)
    expect(kv.puts).toHaveLength(3)
    for (let i = 1; i < kv.puts.length; i++)
      expect((kv.puts[i] as Put).at - (kv.puts[i - 1] as Put).at).toBeGreaterThanOrEqual(1000)
    expect(value(kv, 'ip/k', 'hits')).toBe('15')
    expect(store.pendingWrites).toBe(0)
  })

  it('retries after a 429 from another writer, merging into what that writer stored', async () => {
    const { kv, store, clock } = setup()
    const t0 = clock.t / 1000
    // another isolate wrote hits=5 just now (so our first put gets a 429)
    const other = new KvStore(kv, { now: clock.now, sleep: clock.sleep })
    await other.save('ip', 'k', increment(t0, undefined, 5), 3600)
    await store.save('ip', 'k', increment(t0, undefined), 3600)
    expect(value(kv, 'ip/k', 'hits')).toBe('6')
    expect(kv.puts).toHaveLength(2)
  })

  it('rejects with the error and the KV key after the last attempt; a later save works', async () => {
    const { kv, store, clock } = setup({ attempts: 3 })
    kv.failPuts = 3
    await expect(store.save('ip', '1.2.3.4', increment(clock.t / 1000, undefined), 3600)).rejects.toThrow(
      'KV PUT failed: 500 Internal Server Error (KV key "ip/1.2.3.4", attempt 3 of 3)',
    )
    kv.failGets = 1
    await store.save('ip', '1.2.3.4', increment(clock.t / 1000, undefined), 3600)
    expect(value(kv, 'ip/1.2.3.4', 'hits')).toBe('1')
  })

  it('a failed read before the write is retried too', async () => {
    const { kv, store, clock } = setup()
    kv.failGets = 2
    await store.save('ip', 'k', increment(clock.t / 1000, undefined), 3600)
    expect(value(kv, 'ip/k', 'hits')).toBe('1')
  })
})

describe('loads', () => {
  it("see this isolate's queued and in-flight writes, once", async () => {
    const { kv, store, clock } = setup()
    const t0 = clock.t / 1000
    await store.save('ip', 'k', increment(t0, undefined), 3600) // written: hits=1
    const loaded = await store.load('ip', 'k')
    const queued = store.save('ip', 'k', increment(t0, loaded), 3600) // waits for the interval
    const seen = await store.load('ip', 'k')
    expect(seen?.vars.find(([n]) => n === 'hits')?.[1]).toBe('2')
    expect(value(kv, 'ip/k', 'hits')).toBe('1')
    await queued
    const after = await store.load('ip', 'k')
    expect(after?.vars.find(([n]) => n === 'hits')?.[1]).toBe('2')
  })

  it('a failing or slow read rejects (the engine then sets TX:COLLECTION_LOAD_FAILED)', async () => {
    const { kv, store } = setup({ readTimeoutMs: 20 })
    kv.failGets = 1
    await expect(store.load('ip', 'k')).rejects.toThrow('KV GET failed: 500')
    kv.hangGets = true
    await expect(store.load('ip', 'k')).rejects.toThrow('KV GET timed out after 20 ms')
  })

  it('without a COLLECTIONS binding every load and save fails, saying so', async () => {
    const store = new KvStore()
    store.configure(undefined)
    await expect(store.load('ip', 'k')).rejects.toThrow('no KV namespace bound as COLLECTIONS')
    await expect(store.save('ip', 'k', () => ({ vars: [] }), 60)).rejects.toThrow(
      'no KV namespace bound as COLLECTIONS (KV key "ip/k")',
    )
  })

  it('COLLECTIONS_TIMEOUT_MS configures the read timeout (invalid values: the default)', async () => {
    const clock = new Clock()
    const kv = new FakeKv(clock)
    kv.hangGets = true
    const store = new KvStore(kv)
    store.configure(kv, '15')
    await expect(store.load('ip', 'k')).rejects.toThrow('after 15 ms')
    store.configure(kv, 'abc')
    kv.hangGets = false
    expect(await store.load('ip', 'k')).toBeUndefined()
  })
})

it('MemoryStore and KvStore agree on the same sequence of saves', async () => {
  const { store } = setup()
  const mem = new MemoryStore()
  const t0 = 1_700_000_000
  for (let i = 0; i < 4; i++) {
    const u = increment(t0 + i, mem.load('ip', 'k'))
    mem.save('ip', 'k', u)
    await store.save('ip', 'k', u, 3600)
  }
  expect((await store.load('ip', 'k'))?.vars).toEqual(mem.load('ip', 'k')?.vars)
})
