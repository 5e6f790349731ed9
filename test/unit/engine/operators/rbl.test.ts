import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { OperatorRef } from '../../../../src/bundle/schema'
import { MAX_LOOKUPS_PER_TRANSACTION, TxDns, type DnsResolver } from '../../../../src/engine/dns'
import { OPERATORS } from '../../../../src/engine/operators'
import { HTTPBL_NO_KEY, RBL_LOOKUP_FAILED, lookupName, rbl } from '../../../../src/engine/operators/rbl'
import type { OperatorFn } from '../../../../src/engine/operators/types'
import { makeContext, VECTOR_DIR, type TestContext, type VectorCase } from './vector-support'

// @rbl against test/vectors/operators/rbl.json, recorded from ModSecurity 2.9.7 by
// test/tools/modsec/record-rbl.mjs: each group's `hosts` table is what v2's resolver answered
// (anything else: no such name), and here it is what the in-memory resolver answers. Each case
// runs as the engine runs it: a probe pass that only asks for names, the answers, then the
// real evaluation.

interface RblGroup {
  arg: string
  var: string
  capture?: true
  httpBlKey?: string | null
  hosts: Record<string, string[]>
  cases: (VectorCase & { name?: string })[]
}

const FILE = JSON.parse(readFileSync(join(VECTOR_DIR, 'rbl.json'), 'utf8')) as {
  operator: string
  recorded: string
  groups: RblGroup[]
}

/** A resolver over a fixed table that records what it was asked. */
class TableResolver implements DnsResolver {
  readonly asked: string[] = []
  constructor(
    private readonly table: Readonly<Record<string, readonly string[]>>,
    private readonly fail: ReadonlySet<string> = new Set(),
  ) {}
  resolveA(name: string): Promise<readonly string[] | undefined> {
    this.asked.push(name)
    if (this.fail.has(name)) return Promise.resolve(undefined)
    return Promise.resolve(this.table[name] ?? [])
  }
}

interface Outcome {
  matched: boolean
  probeMatched: boolean
  ctx: TestContext
  tx: Record<string, string>
  asked: string[]
}

async function run(
  fn: OperatorFn,
  input: string,
  opts: { varName: string; capture?: boolean; key?: string; resolver?: DnsResolver },
): Promise<Outcome> {
  const ctx = makeContext({ varName: opts.varName, capture: opts.capture })
  const tx: Record<string, string> = {}
  ctx.setTx = (k, v) => {
    tx[k] = v
  }
  if (opts.key !== undefined) ctx.httpBlKey = opts.key
  const waits: Promise<void>[] = []
  if (opts.resolver !== undefined) ctx.dns = new TxDns(opts.resolver, waits)
  ctx.probe = true
  const probeMatched = fn(input, ctx)
  expect(ctx.message).toBe('')
  expect(ctx.error).toBeUndefined()
  expect(tx).toEqual({})
  ctx.probe = false
  await Promise.all(waits)
  const matched = fn(input, ctx)
  const asked = opts.resolver instanceof TableResolver ? opts.resolver.asked : []
  return { matched, probeMatched, ctx, tx, asked }
}

function link(arg: string, negated = false): OperatorFn {
  const op: OperatorRef = { name: 'rbl', negated, arg }
  return rbl.link(op)
}

/**
 * Where the engine deliberately differs from the recording (operators/rbl.ts, README "@rbl"),
 * by zone and input: what it does instead, and why.
 */
const DEVIATIONS: Record<
  string,
  { why: string; match: boolean; message?: string; asked: string[]; failed?: true }
> = {
  'rbl.test 2001:db8::1': {
    why: 'IPv6 is looked up in the RFC 5782 nibble form (v2 asks for "2001:db8::1.rbl.test", found nowhere)',
    match: false,
    asked: ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.rbl.test'],
  },
  'rbl.test ::ffff:1.2.3.4': {
    why: 'an IPv4-mapped IPv6 address is looked up as its IPv4 address',
    match: true,
    message: 'RBL lookup of 4.3.2.1.rbl.test succeeded at ARGS:c1001.',
    asked: ['4.3.2.1.rbl.test'],
  },
  'rbl.test x"y': {
    why: 'a name that is not a DNS host name is not sent to the resolver (v2 found it in /etc/hosts)',
    match: false,
    asked: [],
  },
  'zen.spamhaus.org 10.0.0.10': {
    why: '127.255.255.0/24 is a DNSBL error code (Spamhaus: query through a public resolver), a failed lookup',
    match: false,
    asked: ['10.0.0.10.zen.spamhaus.org'],
    failed: true,
  },
  'zen.spamhaus.org 10.0.0.11': {
    why: "two answers: getaddrinfo sorted them (RFC 6724 rule 9 puts 127.0.0.2 first); the engine takes the resolver's first (127.0.0.4)",
    match: true,
    message: 'RBL lookup of 11.0.0.10.zen.spamhaus.org succeeded at ARGS:c1003 (Illegal 3rd party exploits).',
    asked: ['11.0.0.10.zen.spamhaus.org'],
  },
  'dnsbl.httpbl.org 10.0.0.11': {
    why: '127.255.255.0/24 is a DNSBL error code, a failed lookup',
    match: false,
    asked: ['abcdefghijkl.11.0.0.10.dnsbl.httpbl.org'],
    failed: true,
  },
  'dnsbl.httpbl.org 2001:db8::1': {
    why: 'httpBL lists IPv4 addresses only: an IPv6 input is not looked up',
    match: false,
    asked: [],
  },
}

describe('@rbl vectors (ModSecurity 2.9.7)', () => {
  it('file names its operator and its recording', () => {
    expect(FILE.operator).toBe('rbl')
    expect(FILE.recorded).toMatch(/ModSecurity 2\.9\.7/)
    expect(OPERATORS.rbl).toBe(rbl)
  })

  const used = new Set<string>()
  for (const g of FILE.groups) {
    const fn = link(g.arg)
    const key = typeof g.httpBlKey === 'string' ? g.httpBlKey : undefined
    it.each(g.cases.map((c) => [JSON.stringify(c.input), c] as const))(
      `@rbl ${g.arg}${key !== undefined ? ' (SecHttpBlKey)' : ''}${g.capture ? ' capture' : ''} on %s`,
      async (_label, c) => {
        const resolver = new TableResolver(g.hosts)
        const out = await run(fn, c.input, { varName: g.var, capture: g.capture === true, key, resolver })
        expect(out.probeMatched).toBe(false)
        const dev = DEVIATIONS[`${g.arg} ${c.input}`]
        if (dev !== undefined) {
          used.add(`${g.arg} ${c.input}`)
          expect(dev.why.length).toBeGreaterThan(10)
          expect(out.matched).toBe(dev.match)
          expect(out.asked).toEqual(dev.asked)
          if (dev.message !== undefined) expect(out.ctx.message).toBe(dev.message)
          expect(out.tx).toEqual(dev.failed ? { [RBL_LOOKUP_FAILED]: '1' } : {})
          return
        }
        expect(out.matched).toBe(c.match)
        expect(out.tx).toEqual({}) // every recorded answer is definitive
        if (c.error !== undefined) {
          expect(out.ctx.error).toBe(c.error)
          expect(out.asked).toEqual([])
          return
        }
        expect(out.ctx.error).toBeUndefined()
        if (c.match) {
          expect(out.ctx.message).toBe(c.message)
          // the name asked for is the one in v2's message
          expect(out.asked).toHaveLength(1)
          expect(c.message).toContain(`RBL lookup of ${out.asked[0]} `)
          // capture: TX.0 = the message, TX.1-9 left alone ("stale" in the recording)
          expect(c.tx?.slice(1)).toEqual(Array(9).fill('stale'))
          if (g.capture) {
            expect(c.tx?.[0]).toBe(c.message)
            expect(out.ctx.captures).toEqual([c.message])
          } else {
            expect(c.tx?.[0]).toBe('stale')
            expect(out.ctx.captures).toEqual([])
          }
        } else {
          // v2's failed lookup names the name it asked for; the engine asks for the same one,
          // or for none when it is not a DNS host name ("a b.rbl.test", ".rbl.test")
          expect(c.name).toBeDefined()
          const name = c.name as string
          const hostName = /^([A-Za-z0-9_-]{1,63}\.)+[A-Za-z0-9_-]{1,63}$/.test(name)
          expect(out.asked).toEqual(hostName ? [name] : [])
        }
      },
    )
  }

  it('every listed deviation is a recorded case', () => {
    expect([...used].sort()).toEqual(Object.keys(DEVIATIONS).sort())
  })
})

describe('@rbl at the edge', () => {
  const plain = link('rbl.test')

  it('without a resolver: no match, TX:RBL_LOOKUP_FAILED=1 (never a silent pass)', async () => {
    const out = await run(plain, '1.2.3.4', { varName: 'REMOTE_ADDR' })
    expect(out.matched).toBe(false)
    expect(out.tx).toEqual({ RBL_LOOKUP_FAILED: '1' })
  })

  it('a failed, rejected or throwing lookup: no match and the flag', async () => {
    const failing = new TableResolver({ '4.3.2.1.rbl.test': ['127.0.0.2'] }, new Set(['4.3.2.1.rbl.test']))
    expect((await run(plain, '1.2.3.4', { varName: 'REMOTE_ADDR', resolver: failing })).tx).toEqual({
      RBL_LOOKUP_FAILED: '1',
    })
    const rejecting: DnsResolver = { resolveA: () => Promise.reject(new Error('network')) }
    const r2 = await run(plain, '1.2.3.4', { varName: 'REMOTE_ADDR', resolver: rejecting })
    expect([r2.matched, r2.tx]).toEqual([false, { RBL_LOOKUP_FAILED: '1' }])
    const throwing: DnsResolver = {
      resolveA: () => {
        throw new Error('bug')
      },
    }
    const r3 = await run(plain, '1.2.3.4', { varName: 'REMOTE_ADDR', resolver: throwing })
    expect([r3.matched, r3.tx]).toEqual([false, { RBL_LOOKUP_FAILED: '1' }])
  })

  it('an answer that is not a dotted quad is a failed lookup', async () => {
    const odd = new TableResolver({ '4.3.2.1.rbl.test': ['::1'] })
    const out = await run(plain, '1.2.3.4', { varName: 'REMOTE_ADDR', resolver: odd })
    expect([out.matched, out.tx]).toEqual([false, { RBL_LOOKUP_FAILED: '1' }])
  })

  it('not listed ([]): no match, no flag', async () => {
    const out = await run(plain, '1.2.3.4', { varName: 'REMOTE_ADDR', resolver: new TableResolver({}) })
    expect([out.matched, out.tx, out.asked]).toEqual([false, {}, ['4.3.2.1.rbl.test']])
  })

  it('the probe of a negated rule answers "no match" too (it returns the negation)', async () => {
    const neg = link('rbl.test', true)
    const resolver = new TableResolver({ '4.3.2.1.rbl.test': ['127.0.0.2'] })
    const out = await run(neg, '1.2.3.4', { varName: 'REMOTE_ADDR', resolver })
    expect(out.probeMatched).toBe(true)
    expect(out.matched).toBe(true) // the operator's own result; the engine applies the negation
  })

  it('without SecHttpBlKey an httpBL zone fails the rule, also without a resolver', async () => {
    const out = await run(link('dnsbl.httpbl.org'), '1.2.3.4', { varName: 'TX:real_ip' })
    expect(out.ctx.error).toBe(HTTPBL_NO_KEY)
    expect(out.tx).toEqual({})
  })

  it('CRS 910140: TX.0 carries the httpBL message that the chained @rx parses', async () => {
    const resolver = new TableResolver({ 'abcdefghijkl.4.3.2.1.dnsbl.httpbl.org': ['127.3.40.4'] })
    const out = await run(link('dnsbl.httpbl.org'), '1.2.3.4', {
      varName: 'TX:real_ip',
      capture: true,
      key: 'abcdefghijkl',
      resolver,
    })
    expect(out.ctx.captures[0]).toBe(
      'RBL lookup of abcdefghijkl.4.3.2.1.dnsbl.httpbl.org succeeded at TX:real_ip. Comment spammer IP: 3 days since last activity, threat score 40',
    )
    expect(
      /RBL lookup of .*?.dnsbl.httpbl.org succeeded at TX:real_ip. (.*?): .*/.exec(
        out.ctx.captures[0] ?? '',
      )?.[1],
    ).toBe('Comment spammer IP')
  })

  it(`asks for at most ${MAX_LOOKUPS_PER_TRANSACTION} names per transaction; more count as failed`, async () => {
    const resolver = new TableResolver({})
    const ctx = makeContext({ varName: 'ARGS:x' })
    const tx: Record<string, string> = {}
    ctx.setTx = (k, v) => {
      tx[k] = v
    }
    const waits: Promise<void>[] = []
    ctx.dns = new TxDns(resolver, waits)
    const inputs = Array.from({ length: MAX_LOOKUPS_PER_TRANSACTION + 2 }, (_, i) => `10.0.0.${i}`)
    ctx.probe = true
    for (const v of inputs) plain(v, ctx)
    plain(inputs[0] as string, ctx) // asked once
    ctx.probe = false
    expect(resolver.asked).toHaveLength(MAX_LOOKUPS_PER_TRANSACTION)
    await Promise.all(waits)
    for (const v of inputs.slice(0, MAX_LOOKUPS_PER_TRANSACTION)) expect(plain(v, ctx)).toBe(false)
    expect(tx).toEqual({})
    expect(plain(inputs[MAX_LOOKUPS_PER_TRANSACTION] as string, ctx)).toBe(false)
    expect(tx).toEqual({ RBL_LOOKUP_FAILED: '1' })
  })

  it('a value the probe did not ask for (not answered yet) counts as failed', async () => {
    const ctx = makeContext({ varName: 'ARGS:x' })
    const tx: Record<string, string> = {}
    ctx.setTx = (k, v) => {
      tx[k] = v
    }
    ctx.dns = new TxDns(new TableResolver({}), [])
    expect(plain('1.2.3.4', ctx)).toBe(false)
    expect(tx).toEqual({ RBL_LOOKUP_FAILED: '1' })
  })
})

describe('lookupName', () => {
  it('IPv6: RFC 5782 section 2.4 example', () => {
    expect(lookupName('2001:db8:1:2:3:4:567:89ab', 'ugly.example.com', false, undefined)).toBe(
      'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com',
    )
  })

  it('IPv4 (sscanf %d.%d.%d.%d) and host names', () => {
    expect(lookupName('192.0.2.99', 'bad.example.com', false, undefined)).toBe('99.2.0.192.bad.example.com')
    expect(lookupName('9223372036854775808.2.3.4', 'z', false, undefined)).toBe('4.3.2.-1.z')
    expect(lookupName('-9223372036854775809.2.3.4', 'z', false, undefined)).toBe('4.3.2.0.z')
    expect(lookupName('1.2.3.4', 'z', true, 'key')).toBe('key.4.3.2.1.z')
    expect(lookupName('::ffff:1.2.3.4', 'z', true, 'key')).toBe('key.4.3.2.1.z')
    expect(lookupName('www.example.com', 'multi.uribl.com', false, undefined)).toBe(
      'www.example.com.multi.uribl.com',
    )
    expect(lookupName('www.example.com', 'zone.', false, undefined)).toBe('www.example.com.zone.')
  })

  it('names that are not DNS host names give no lookup', () => {
    for (const bad of ['a..b', 'caf\xe9', 'a/b', 'x'.repeat(64), ('a'.repeat(60) + '.').repeat(5)])
      expect(lookupName(bad, 'z', false, undefined), bad).toBe(0)
  })
})
