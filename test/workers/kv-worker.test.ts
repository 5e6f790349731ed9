/**
 * Persistent collections in the real Worker (workerd through Miniflare) with local Workers KV:
 * the example rules of rules/examples/ (brute force on POST /login, per-client rate limit)
 * across requests and across a restart of workerd (Miniflare's KV persistence directory), and a
 * COLLECTIONS binding that throws on every get and put (a wrapped-binding test double).
 *
 * The clock: workerd's Date.now() is the real time, so "10 minutes later" is made by ageing the
 * stored record: every timestamp in it (CREATE_TIME, LAST_UPDATE_TIME, __expire_*) moved back
 * N seconds is exactly what the engine sees N seconds later (expirevar, deprecatevar and the
 * collection timeout all compare those stored times with the clock).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { Miniflare, type WorkerOptions } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOriginScript, buildWafScript, COMPATIBILITY_DATE, ROOT } from './harness'

const RULES = `
SecRuleEngine On
SecRequestBodyAccess On
SecAction "id:1,phase:1,pass,nolog,setvar:tx.rate_limit_requests=20"
Include ${ROOT}/rules/examples/brute-force.conf
Include ${ROOT}/rules/examples/rate-limit.conf
# an attack the rules block through TX (anomaly-score style), whatever the store does
SecRule ARGS "@contains attack" "id:2,phase:2,pass,nolog,setvar:tx.score=+5"
SecRule TX:SCORE "@ge 5" "id:3,phase:2,deny,status:403,log,msg:'blocked by score'"
`

/** The test double: a COLLECTIONS binding whose get throws and whose put rejects. */
const FAULTY_KV = `
export default function () {
  return {
    get() { throw new Error('KV GET failed: 503 Service Unavailable (test double)') },
    put() { return Promise.reject(new Error('KV PUT failed: 503 Service Unavailable (test double)')) },
  }
}
`

let wafScript: string
let originScript: string
let persistDir: string
const logs: string[] = []

function collect(stream: Readable): void {
  createInterface({ input: stream }).on('line', (l) => logs.push(l))
}

/** The WAF on kv.test (local KV, persisted in persistDir) and on fault.test (throwing KV). */
async function start(): Promise<Miniflare> {
  const waf = (name: string, host: string, kv: Partial<WorkerOptions>): WorkerOptions =>
    ({
      name,
      modules: true,
      script: wafScript,
      compatibilityDate: COMPATIBILITY_DATE,
      routes: [`${host}/*`],
      bindings: { ORIGIN_URL: 'http://origin.test' },
      r2Buckets: ['AUDIT'],
      outboundService: 'origin',
      ...kv,
    }) as WorkerOptions
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    cf: false,
    kvPersist: persistDir,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      collect(stdout)
      collect(stderr)
    },
    workers: [
      waf('waf', 'kv.test', { kvNamespaces: ['COLLECTIONS'] }),
      waf('waf-fault', 'fault.test', { wrappedBindings: { COLLECTIONS: 'faulty-kv' } }),
      { name: 'faulty-kv', modules: true, script: FAULTY_KV },
      {
        name: 'origin',
        modules: true,
        script: originScript,
        compatibilityDate: COMPATIBILITY_DATE,
        routes: ['origin.test/*'],
      },
    ],
  })
  await mf.ready
  return mf
}

let mf: Miniflare

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-kv-'))
  writeFileSync(join(dir, 'kv.conf'), RULES)
  persistDir = join(dir, 'kv-state')
  ;[wafScript, originScript] = await Promise.all([buildWafScript(join(dir, 'kv.conf')), buildOriginScript()])
  mf = await start()
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  if (persistDir !== undefined) rmSync(join(persistDir, '..'), { recursive: true, force: true })
})

async function send(host: string, client: string, method: string, path: string): Promise<number> {
  const init: RequestInit = { method, headers: { 'cf-connecting-ip': client } }
  if (method === 'POST') {
    init.body = 'user=alice&password=guess'
    ;(init.headers as Record<string, string>)['content-type'] = 'application/x-www-form-urlencoded'
  }
  const res = await mf.dispatchFetch(`http://${host}${path}`, init as never)
  await res.arrayBuffer()
  return res.status
}

const login = (client: string): Promise<number> => send('kv.test', client, 'POST', '/login')

async function collections(): Promise<Awaited<ReturnType<Miniflare['getKVNamespace']>>> {
  return mf.getKVNamespace('COLLECTIONS', 'waf')
}

interface StoredJson {
  w: string
  vars: [string, string][]
}

async function record(client: string): Promise<Record<string, string> | undefined> {
  const raw = await (await collections()).get(`ip/${client}`)
  if (raw === null) return undefined
  return Object.fromEntries((JSON.parse(raw) as StoredJson).vars)
}

/** Wait until the client's stored record satisfies pred (writes happen after the answer). */
async function stored(
  client: string,
  pred: (r: Record<string, string>) => boolean,
): Promise<Record<string, string>> {
  const until = Date.now() + 10_000
  for (;;) {
    const r = await record(client)
    if (r !== undefined && pred(r)) return r
    if (Date.now() > until) throw new Error(`record of ${client} never matched: ${JSON.stringify(r)}`)
    await new Promise((res) => setTimeout(res, 25))
  }
}

/** Move every stored timestamp of the client's record `seconds` into the past. */
async function age(client: string, seconds: number): Promise<void> {
  const ns = await collections()
  const key = `ip/${client}`
  const raw = await ns.get(key)
  if (raw === null) throw new Error('nothing stored for ' + client)
  const env = JSON.parse(raw) as StoredJson
  for (const v of env.vars) {
    if (v[0] === 'CREATE_TIME' || v[0] === 'LAST_UPDATE_TIME' || v[0].startsWith('__expire_'))
      v[1] = String(Number(v[1]) - seconds)
  }
  await ns.put(key, JSON.stringify(env), { expirationTtl: 3600 })
}

describe('brute-force example (rules/examples/brute-force.conf) with Workers KV', () => {
  it('lets 5 POSTs to /login through, refuses the 6th and blocks the client; 10 minutes later it passes again', async () => {
    const ip = '198.51.100.1'
    for (let i = 1; i <= 5; i++) expect(await login(ip), `attempt ${i}`).toBe(200)
    expect(await login(ip)).toBe(429)
    expect(await login(ip)).toBe(429)
    expect(await send('kv.test', ip, 'GET', '/login')).toBe(429)
    // another client and another path are not affected
    expect(await login('198.51.100.2')).toBe(200)
    expect(await send('kv.test', ip, 'GET', '/home')).toBe(200)
    const r = await stored(ip, (x) => x.brute_force_blocked === '1')
    expect(r).toMatchObject({ KEY: ip, __name: 'ip', login_attempts: '0', TIMEOUT: '3600' })
    const blockedUntil = Number(r.__expire_brute_force_blocked)
    expect(blockedUntil - Number(r.LAST_UPDATE_TIME)).toBeLessThanOrEqual(600)
    // (real seconds pass during the test: a margin of 10 s)
    await age(ip, 590)
    expect(await login(ip)).toBe(429)
    await age(ip, 10)
    expect(await login(ip)).toBe(200)
    // that attempt counted (+1) and ten quiet minutes forgave it (deprecatevar 1/60): 0, as 2.9.7
    // does (vectors/collections/examples.json, t=605)
    await stored(ip, (x) => x.brute_force_blocked === undefined)
    expect((await record(ip))?.login_attempts).toBe('0')
  })

  it('forgets one attempt per minute of silence (deprecatevar)', async () => {
    const ip = '198.51.100.3'
    for (let i = 1; i <= 3; i++) expect(await login(ip)).toBe(200)
    await stored(ip, (x) => x.login_attempts === '3')
    await age(ip, 180)
    // 3 + 1, minus 3 for three quiet minutes: 1; so 4 more pass and the 6th after that fails
    for (let i = 1; i <= 5; i++) expect(await login(ip), `attempt ${i} after the pause`).toBe(200)
    expect(await login(ip)).toBe(429)
  })

  it('keeps counting across a restart of workerd (persisted local KV)', async () => {
    const ip = '198.51.100.4'
    for (let i = 1; i <= 3; i++) expect(await login(ip)).toBe(200)
    await stored(ip, (x) => x.login_attempts === '3')
    await mf.dispose()
    mf = await start()
    expect((await record(ip))?.login_attempts).toBe('3')
    expect(await login(ip)).toBe(200)
    expect(await login(ip)).toBe(200)
    expect(await login(ip)).toBe(429)
  })
})

describe('rate-limit example (rules/examples/rate-limit.conf) with Workers KV', () => {
  it('answers 429 over 20 requests in the window and lets the client in when the window ends', async () => {
    const ip = '198.51.100.5'
    for (let i = 1; i <= 20; i++) expect(await send('kv.test', ip, 'GET', '/page'), `request ${i}`).toBe(200)
    expect(await send('kv.test', ip, 'GET', '/page')).toBe(429)
    const r = await stored(ip, (x) => x.requests === '21')
    expect(Number(r.__expire_requests) - Number(r.CREATE_TIME)).toBe(60)
    expect(Number(r.UPDATE_COUNTER)).toBe(21)
    await age(ip, 60)
    expect(await send('kv.test', ip, 'GET', '/page')).toBe(200)
  })
})

describe('a COLLECTIONS binding that throws on get and put', () => {
  it('never answers 500, still blocks what the rules block through TX, logs both failures', async () => {
    const ip = '203.0.113.9'
    for (let i = 0; i < 8; i++) expect(await send('fault.test', ip, 'POST', '/login')).toBe(200)
    expect(await send('fault.test', ip, 'GET', '/search?q=an%20attack')).toBe(403)
    expect(await send('fault.test', ip, 'GET', '/search?q=fine')).toBe(200)
    const until = Date.now() + 10_000
    const has = (s: string): boolean => logs.some((l) => l.includes(s))
    // the error line escapes quotes as v2's log escaping does
    const notSaved = 'not saved: collection \\"ip\\" key \\"203.0.113.9\\"'
    while (!(has(notSaved) && has('blocked by score'))) {
      if (Date.now() > until) throw new Error('missing log lines:\n' + logs.join('\n'))
      await new Promise((res) => setTimeout(res, 25))
    }
    const load = logs.find((l) => l.includes('Failed to load collection'))
    expect(load).toContain(
      '[client 203.0.113.9] ModSecurity: Failed to load collection (name "ip", key "203.0.113.9"): KV GET failed: 503 Service Unavailable (test double). Using an empty collection; TX:COLLECTION_LOAD_FAILED set.',
    )
    const save = logs.find((l) => l.includes(notSaved))
    expect(save).toMatch(/^\[client 203\.0\.113\.9\] edge-waf: persisting collections failed: /)
    // the write starts with a fresh read (read-modify-write): that read fails first
    expect(save).toContain(
      'KV GET failed: 503 Service Unavailable (test double) (KV key \\"ip/203.0.113.9\\", attempt 3 of 3)',
    )
  })
})
