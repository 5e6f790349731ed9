/**
 * @rbl in the real Worker (workerd through Miniflare): the WAF Worker resolves through its
 * DNS-over-HTTPS client (src/worker/doh.ts) against a local DoH JSON server given by DOH_URL;
 * the same local server plays the origin. Checks the wiring (index.ts -> linkWaf({ resolver })
 * -> configure(env)), the phase suspension in the runtime, the isolate cache, and a failed
 * lookup (DoH server answers SERVFAIL) reaching TX:RBL_LOOKUP_FAILED.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWafScript, startWorkers, type Running } from './harness'

const RULES = `
SecRuleEngine On
SecRule REMOTE_ADDR "@rbl rbl.test" "id:1,phase:1,deny,status:403,log,msg:'listed'"
SecRule TX:RBL_LOOKUP_FAILED "@eq 1" "id:2,phase:1,deny,status:503,log,msg:'rbl lookup failed'"
`

/** name -> DoH JSON answer; anything else NXDOMAIN */
const ZONE: Record<string, unknown> = {
  '7.2.0.192.rbl.test': {
    Status: 0,
    Answer: [{ name: '7.2.0.192.rbl.test', type: 1, TTL: 300, data: '127.0.0.2' }],
  },
  '9.2.0.192.rbl.test': { Status: 2 },
}

let server: Server
let queries: string[] = []
let w: Running

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/dns-query') {
      const name = url.searchParams.get('name') ?? ''
      queries.push(`${name} ${url.searchParams.get('type')} ${req.headers.accept}`)
      res.writeHead(200, { 'content-type': 'application/dns-json' })
      res.end(JSON.stringify(ZONE[name] ?? { Status: 3 }))
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('origin ok\n')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  const dir = mkdtempSync(join(tmpdir(), 'waf-rbl-'))
  writeFileSync(join(dir, 'rbl.conf'), RULES)
  w = await startWorkers(
    [
      {
        name: 'waf',
        script: await buildWafScript(join(dir, 'rbl.conf')),
        bindings: { DOH_URL: `http://127.0.0.1:${port}/dns-query`, DOH_TIMEOUT_MS: '2000' },
      },
    ],
    { originUrl: `http://127.0.0.1:${port}` },
  )
}, 60_000)

afterAll(async () => {
  await w?.dispose()
  await new Promise((r) => server?.close(r))
})

async function get(client: string): Promise<number> {
  const res = await fetch(new URL('/page', w.url), { headers: { 'cf-connecting-ip': client } })
  await res.arrayBuffer()
  return res.status
}

describe('@rbl in the Worker (DNS-over-HTTPS)', () => {
  it('a listed client is denied; the answer is cached in the isolate', async () => {
    queries = []
    expect(await get('192.0.2.7')).toBe(403)
    expect(queries).toEqual(['7.2.0.192.rbl.test A application/dns-json'])
    expect(await get('192.0.2.7')).toBe(403)
    expect(queries).toHaveLength(1)
    await w.waitForLog((l) => l.includes('RBL lookup of 7.2.0.192.rbl.test succeeded at REMOTE_ADDR.'))
  })

  it('a client that is not listed reaches the origin', async () => {
    expect(await get('192.0.2.8')).toBe(200)
  })

  it('a failed lookup sets TX:RBL_LOOKUP_FAILED, which a rule can act on', async () => {
    expect(await get('192.0.2.9')).toBe(503)
  })
})
