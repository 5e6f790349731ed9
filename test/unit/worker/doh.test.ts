import { describe, expect, it } from 'vitest'
import { loadProgram } from '../../../src/engine/link'
import { Transaction } from '../../../src/engine/transaction'
import {
  DEFAULT_DOH_URL,
  DEFAULT_NEGATIVE_TTL,
  DohResolver,
  FAILURE_TTL,
  MAX_TTL,
  parseDnsJson,
  type FetchLike,
} from '../../../src/worker/doh'
import { compileRules, parseRaw } from '../engine/core/harness'

// The Worker's DNS-over-HTTPS client for @rbl (src/worker/doh.ts) with an injected fetch and
// clock: query format, answers, TTL cache, failures and timeout.

interface Call {
  url: string
  headers: Record<string, string>
}

/** A fetch answering from a function of the queried name; records the calls. */
function fakeFetch(answer: (name: string) => unknown, status = 200): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = []
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, headers: init.headers })
    const name = new URL(url).searchParams.get('name') ?? ''
    return Promise.resolve({ ok: status >= 200 && status < 300, json: () => Promise.resolve(answer(name)) })
  }
  return { fetch, calls }
}

const A = (data: string, TTL = 300) => ({ name: 'x', type: 1, TTL, data })
const listed = (...rrs: unknown[]) => ({ Status: 0, Answer: rrs })
const NXDOMAIN = {
  Status: 3,
  Authority: [{ name: 'zone', type: 6, TTL: 120, data: 'ns. admin. 1 2 3 4 900' }],
}

function clock(start = 1_700_000_000_000): { now: () => number; advance: (s: number) => void } {
  let t = start
  return { now: () => t, advance: (s) => (t += s * 1000) }
}

describe('DohResolver', () => {
  it('asks the JSON API for the A record and returns the addresses in order', async () => {
    const f = fakeFetch(() =>
      listed({ name: 'x', type: 5, TTL: 300, data: 'alias.' }, A('127.0.0.2'), A('127.0.0.4')),
    )
    const r = new DohResolver({ fetch: f.fetch })
    expect(await r.resolveA('2.0.0.127.zen.spamhaus.org')).toEqual(['127.0.0.2', '127.0.0.4'])
    expect(f.calls).toEqual([
      {
        url: `${DEFAULT_DOH_URL}?name=2.0.0.127.zen.spamhaus.org&type=A`,
        headers: { accept: 'application/dns-json' },
      },
    ])
  })

  it('keeps an answer for its smallest TTL (capped), per name, case-insensitively', async () => {
    const c = clock()
    const f = fakeFetch((n) =>
      n.startsWith('long') ? listed(A('127.0.0.2', 86400)) : listed(A('127.0.0.2', 60), A('127.0.0.3', 30)),
    )
    const r = new DohResolver({ fetch: f.fetch, now: c.now })
    await r.resolveA('short.rbl.test')
    await r.resolveA('SHORT.rbl.test')
    expect(f.calls).toHaveLength(1)
    c.advance(29)
    await r.resolveA('short.rbl.test')
    expect(f.calls).toHaveLength(1)
    c.advance(2)
    await r.resolveA('short.rbl.test')
    expect(f.calls).toHaveLength(2)
    await r.resolveA('long.rbl.test')
    c.advance(MAX_TTL - 1)
    await r.resolveA('long.rbl.test')
    expect(f.calls).toHaveLength(3)
    c.advance(2)
    await r.resolveA('long.rbl.test')
    expect(f.calls).toHaveLength(4)
  })

  it('NXDOMAIN and NODATA: [] (not listed), kept for the SOA TTL or the default', async () => {
    const c = clock()
    const f = fakeFetch((n) => (n.startsWith('nx') ? NXDOMAIN : { Status: 0 }))
    const r = new DohResolver({ fetch: f.fetch, now: c.now })
    expect(await r.resolveA('nx.rbl.test')).toEqual([])
    expect(await r.resolveA('nodata.rbl.test')).toEqual([])
    c.advance(DEFAULT_NEGATIVE_TTL - 1)
    await r.resolveA('nodata.rbl.test')
    expect(f.calls).toHaveLength(2)
    c.advance(2)
    await r.resolveA('nodata.rbl.test')
    expect(f.calls).toHaveLength(3)
    c.advance(119 - DEFAULT_NEGATIVE_TTL - 1)
    await r.resolveA('nx.rbl.test') // SOA TTL 120
    expect(f.calls).toHaveLength(3)
    c.advance(2)
    await r.resolveA('nx.rbl.test')
    expect(f.calls).toHaveLength(4)
  })

  it('TTL 0 is not cached', async () => {
    const f = fakeFetch(() => listed(A('127.0.0.2', 0)))
    const r = new DohResolver({ fetch: f.fetch })
    await r.resolveA('a.rbl.test')
    await r.resolveA('a.rbl.test')
    expect(f.calls).toHaveLength(2)
  })

  it('failures are undefined (never a rejection) and kept for FAILURE_TTL', async () => {
    const c = clock()
    const cases: [string, FetchLike][] = [
      ['SERVFAIL', fakeFetch(() => ({ Status: 2 })).fetch],
      ['HTTP 500', fakeFetch(() => listed(A('127.0.0.2')), 500).fetch],
      ['not JSON', () => Promise.resolve({ ok: true, json: () => Promise.reject(new SyntaxError('x')) })],
      ['JSON null', fakeFetch(() => null).fetch],
      ['network', () => Promise.reject(new TypeError('fetch failed'))],
    ]
    for (const [what, fetch] of cases) {
      let n = 0
      const counting: FetchLike = (u, i) => {
        n++
        return fetch(u, i)
      }
      const r = new DohResolver({ fetch: counting, now: c.now })
      expect(await r.resolveA('a.rbl.test'), what).toBeUndefined()
      await r.resolveA('a.rbl.test')
      expect(n, what).toBe(1)
      c.advance(FAILURE_TTL + 1)
      await r.resolveA('a.rbl.test')
      expect(n, what).toBe(2)
    }
  })

  it('times out: the query is aborted and the lookup fails', async () => {
    let aborted = false
    const hanging: FetchLike = (_u, init) =>
      new Promise((_res, rej) => {
        init.signal.addEventListener('abort', () => {
          aborted = true
          rej(new Error('aborted'))
        })
      })
    const r = new DohResolver({ fetch: hanging, timeoutMs: 20 })
    const t0 = Date.now()
    expect(await r.resolveA('slow.rbl.test')).toBeUndefined()
    expect(aborted).toBe(true)
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('evicts the oldest names beyond maxEntries', async () => {
    const f = fakeFetch(() => listed(A('127.0.0.2')))
    const r = new DohResolver({ fetch: f.fetch, maxEntries: 2 })
    for (const n of ['a', 'b', 'c', 'b', 'a']) await r.resolveA(`${n}.rbl.test`)
    // a, b, c (evicts a), b (cached), a (miss, evicts b)
    expect(f.calls.map((c) => new URL(c.url).searchParams.get('name'))).toEqual([
      'a.rbl.test',
      'b.rbl.test',
      'c.rbl.test',
      'a.rbl.test',
    ])
  })

  it('configure(env): DOH_URL and DOH_TIMEOUT_MS, defaults when unset or invalid; a new URL empties the cache', async () => {
    const f = fakeFetch(() => listed(A('127.0.0.2')))
    const r = new DohResolver({ fetch: f.fetch })
    r.configure({ DOH_URL: ' https://dns.google/resolve?ct=application/dns-json ', DOH_TIMEOUT_MS: '250' })
    expect([r.url, r.timeoutMs]).toEqual(['https://dns.google/resolve?ct=application/dns-json', 250])
    await r.resolveA('a.rbl.test')
    expect(f.calls[0]?.url).toBe('https://dns.google/resolve?ct=application/dns-json&name=a.rbl.test&type=A')
    r.configure({ DOH_URL: 'https://dns.google/resolve?ct=application/dns-json', DOH_TIMEOUT_MS: 'soon' })
    expect(r.timeoutMs).toBe(1000)
    await r.resolveA('a.rbl.test')
    expect(f.calls).toHaveLength(1)
    r.configure({})
    expect(r.url).toBe(DEFAULT_DOH_URL)
    await r.resolveA('a.rbl.test')
    expect(f.calls).toHaveLength(2)
  })

  it('parseDnsJson keeps only well-formed A records', () => {
    expect(
      parseDnsJson(listed(A('127.0.0.2'), A('1.2.3'), A('300.1.1.1'), { type: 1, data: 7 }, null)),
    ).toEqual({
      answer: ['127.0.0.2'],
      ttl: 300,
    })
    expect(parseDnsJson({ Status: 5 }).answer).toBeUndefined()
  })

  it('drives @rbl in a transaction (the Worker wiring: loadProgram(bundle, { resolver }))', async () => {
    const f = fakeFetch((n) => (n === '7.2.0.192.sbl-xbl.spamhaus.org' ? listed(A('127.0.0.4')) : NXDOMAIN))
    const resolver = new DohResolver({ fetch: f.fetch })
    const program = loadProgram(
      compileRules('SecRule REMOTE_ADDR "@rbl sbl-xbl.spamhaus.org" "id:1,phase:1,deny,status:403,log"'),
      { resolver },
    )
    const run = async (client: string) => {
      const tx = new Transaction(
        program,
        parseRaw('GET / HTTP/1.1\r\nHost: a\r\n\r\n', { clientAddress: client }),
      )
      return { itp: await tx.processRequestHeaders(), tx }
    }
    const hit = await run('192.0.2.7')
    expect(hit.itp?.status).toBe(403)
    expect(hit.tx.records[0]?.opMessage).toBe(
      'RBL lookup of 7.2.0.192.sbl-xbl.spamhaus.org succeeded at REMOTE_ADDR (Illegal 3rd party exploits).',
    )
    expect((await run('198.51.100.1')).itp).toBeUndefined()
    await run('192.0.2.7') // cached in the isolate: no new query
    expect(f.calls).toHaveLength(2)
  })
})
