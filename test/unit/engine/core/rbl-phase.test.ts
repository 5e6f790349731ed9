import { describe, expect, it } from 'vitest'
import type { DnsResolver } from '../../../../src/engine/dns'
import { loadProgram } from '../../../../src/engine/link'
import { Transaction } from '../../../../src/engine/transaction'
import { compileRules, parseRaw } from './harness'

// @rbl through the Transaction API: a rule with an asynchronous operator suspends its phase
// (the process method returns a Promise) until the DNS answers are in, then runs once, for real.

const GET = 'GET /?ip=198.51.100.9&x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n'
const CLIENT = '192.0.2.7'

/** A resolver over a table that answers after a macrotask (like a fetch), counting queries. */
class SlowResolver implements DnsResolver {
  readonly asked: string[] = []
  constructor(private readonly table: Record<string, string[] | undefined>) {}
  resolveA(name: string): Promise<readonly string[] | undefined> {
    this.asked.push(name)
    const a = name in this.table ? this.table[name] : []
    return new Promise((res) => setTimeout(() => res(a), 1))
  }
}

const LISTED = { '7.2.0.192.rbl.test': ['127.0.0.2'] }

function tx(rules: string, resolver?: DnsResolver): Transaction {
  const p = loadProgram(compileRules(rules), resolver === undefined ? {} : { resolver })
  return new Transaction(p, parseRaw(GET, { clientAddress: CLIENT }))
}

function logged(t: Transaction): string[] {
  return t.records.filter((r) => r.log).map((r) => `${r.id}:${r.opMessage}`)
}

describe('@rbl suspends the phase', () => {
  it('listed: the phase waits for the answer, then the rule denies', async () => {
    const resolver = new SlowResolver(LISTED)
    const t = tx(
      [
        'SecRule REMOTE_ADDR "@rbl rbl.test" "id:1,phase:1,deny,status:403,log"',
        'SecAction "id:2,phase:1,pass,log"',
      ].join('\n'),
      resolver,
    )
    const r = t.processRequestHeaders()
    expect(r).toBeInstanceOf(Promise)
    expect(t.records).toEqual([]) // nothing ran for rule 1 before the answer
    const itp = await r
    expect(itp?.status).toBe(403)
    expect(logged(t)).toEqual(['1:RBL lookup of 7.2.0.192.rbl.test succeeded at REMOTE_ADDR.'])
    expect(resolver.asked).toEqual(['7.2.0.192.rbl.test'])
    await t.processLogging()
  })

  it('not listed: the phase resumes at the same rule and goes on', async () => {
    const resolver = new SlowResolver({})
    const t = tx(
      [
        'SecRule REMOTE_ADDR "@rbl rbl.test" "id:1,phase:1,deny,status:403,log"',
        'SecAction "id:2,phase:1,pass,log,setvar:tx.after=+1"',
      ].join('\n'),
      resolver,
    )
    expect(await t.processRequestHeaders()).toBeUndefined()
    expect(logged(t)).toEqual(['2:Unconditional match in SecAction.'])
    expect(t.txValue('after')).toBe('1')
    expect(t.txValue('rbl_lookup_failed')).toBeUndefined()
  })

  it('a chain link waits without running the starter again; capture puts the message in TX.0', async () => {
    const t = tx(
      [
        'SecRule REQUEST_METHOD "@streq GET" "id:3,phase:1,pass,log,chain,setvar:tx.starter=+1"',
        '  SecRule REMOTE_ADDR "@rbl rbl.test" "capture,setvar:tx.msg=%{tx.0},setvar:tx.link=+1"',
        'SecRule MATCHED_VARS_NAMES "@streq REMOTE_ADDR" "id:4,phase:1,pass,log"',
      ].join('\n'),
      new SlowResolver(LISTED),
    )
    await t.processRequestHeaders()
    expect(t.txValue('starter')).toBe('1')
    expect(t.txValue('link')).toBe('1')
    expect(t.txValue('msg')).toBe('RBL lookup of 7.2.0.192.rbl.test succeeded at REMOTE_ADDR.')
    expect(logged(t)).toEqual(['3:RBL lookup of 7.2.0.192.rbl.test succeeded at REMOTE_ADDR.'])
  })

  it('every target of the rule is asked for in one wait; actions run once per match', async () => {
    const resolver = new SlowResolver({ ...LISTED, '9.100.51.198.rbl.test': ['127.0.0.4'] })
    const t = tx('SecRule REMOTE_ADDR|ARGS "@rbl rbl.test" "id:5,phase:2,pass,log,setvar:tx.n=+1"', resolver)
    expect(await t.processRequestHeaders()).toBeUndefined()
    const r = t.processRequestBody()
    expect(r).toBeInstanceOf(Promise)
    await r
    expect(resolver.asked).toEqual(['7.2.0.192.rbl.test', '9.100.51.198.rbl.test', '1.rbl.test'])
    expect(t.txValue('n')).toBe('2')
    expect(logged(t)).toEqual([
      '5:RBL lookup of 7.2.0.192.rbl.test succeeded at REMOTE_ADDR.',
      '5:RBL lookup of 9.100.51.198.rbl.test succeeded at ARGS:ip.',
    ])
  })

  it('a call made while the phase waits waits for it (phases stay in order)', async () => {
    const t = tx(
      [
        'SecRule REMOTE_ADDR "@rbl rbl.test" "id:1,phase:1,pass,log,setvar:tx.p1=1"',
        'SecRule TX:p1 "@eq 1" "id:2,phase:2,pass,log"',
      ].join('\n'),
      new SlowResolver(LISTED),
    )
    const h = t.processRequestHeaders()
    const b = t.processRequestBody()
    expect(b).toBeInstanceOf(Promise)
    await Promise.all([h, b])
    expect(logged(t).map((l) => l.split(':')[0])).toEqual(['1', '2'])
  })

  it('a failed lookup: no match, TX:RBL_LOOKUP_FAILED=1 for the rules that test it', async () => {
    const t = tx(
      [
        'SecRule REMOTE_ADDR "@rbl rbl.test" "id:1,phase:1,deny,status:403,log"',
        'SecRule TX:RBL_LOOKUP_FAILED "@eq 1" "id:2,phase:1,deny,status:503,log"',
      ].join('\n'),
      new SlowResolver({ '7.2.0.192.rbl.test': undefined }),
    )
    expect((await t.processRequestHeaders())?.status).toBe(503)
    expect(logged(t).map((l) => l.split(':')[0])).toEqual(['2'])
  })

  it('without a resolver the phase stays synchronous and the rule says so in TX', () => {
    const t = tx(
      [
        'SecRule REMOTE_ADDR "@rbl rbl.test" "id:1,phase:1,deny,status:403,log"',
        'SecRule TX:RBL_LOOKUP_FAILED "@eq 1" "id:2,phase:1,pass,log"',
      ].join('\n'),
    )
    const r = t.processRequestHeaders()
    expect(r).toBeUndefined()
    expect(logged(t).map((l) => l.split(':')[0])).toEqual(['2'])
  })

  it('a rule set without @rbl never returns a Promise, resolver or not', () => {
    const t = tx(
      'SecRule REMOTE_ADDR "@ipMatch 192.0.2.0/24" "id:1,phase:1,deny,status:403"',
      new SlowResolver({}),
    )
    expect(t.processRequestHeaders()).toEqual(expect.objectContaining({ status: 403 }))
  })

  it('SecHttpBlKey reaches the operator through the bundle', async () => {
    const resolver = new SlowResolver({ 'abcdefghijkl.7.2.0.192.dnsbl.httpbl.org': ['127.1.30.4'] })
    const t = tx(
      [
        'SecHttpBlKey abcdefghijkl',
        'SecRule REMOTE_ADDR "@rbl dnsbl.httpbl.org" "id:1,phase:1,pass,log,capture,setvar:tx.m=%{tx.0}"',
      ].join('\n'),
      resolver,
    )
    await t.processRequestHeaders()
    expect(t.txValue('m')).toBe(
      'RBL lookup of abcdefghijkl.7.2.0.192.dnsbl.httpbl.org succeeded at REMOTE_ADDR. Comment spammer IP: 1 days since last activity, threat score 30',
    )
  })

  it('an httpBL zone without SecHttpBlKey fails the rule as v2 does', () => {
    const t = tx('SecRule REMOTE_ADDR "@rbl dnsbl.httpbl.org" "id:1,phase:1,deny,status:403,msg:\'m\'"')
    expect(t.processRequestHeaders()).toBeUndefined()
    expect(t.state.engineMessages).toEqual(['Rule processing failed (id=1, msg=m).'])
  })
})
