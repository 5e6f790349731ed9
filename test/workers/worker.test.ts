/**
 * The Worker in workerd (Miniflare): real HTTP into the WAF Worker, real fetch from it to an
 * origin Worker that records what it received. Rule sets: test/workers/rules/*.conf.
 *
 * Hosts (one WAF Worker each):
 *   on.test          SecRuleEngine On, body limits 1000 bytes, Reject
 *   partial.test     SecRuleEngine On, body limits 1000 bytes, ProcessPartial
 *   detect.test      SecRuleEngine DetectionOnly
 *   on-detect.test   on-reject rules with WAF_ENGINE=DetectionOnly
 *   on-off.test      on-reject rules with WAF_ENGINE=Off
 *   detect-on.test   detection-only rules with WAF_ENGINE=On
 *   ops.test         on-reject rules with ADMIN_TOKEN (ops endpoints enabled)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { buildOriginScript, buildWafScript, ROOT, startWorkers, type Running } from './harness'
import { buildRequest, header, rawExchange } from './raw-http'

const RULES = join(ROOT, 'test/workers/rules')
const TOKEN = 'test-token-0123456789'

let w: Running
let nextId = 0

beforeAll(async () => {
  const [onReject, onPartial, detection, origin] = await Promise.all([
    buildWafScript(join(RULES, 'on-reject.conf')),
    buildWafScript(join(RULES, 'on-partial.conf')),
    buildWafScript(join(RULES, 'detection-only.conf')),
    buildOriginScript(),
  ])
  w = await startWorkers(
    [
      { name: 'on', script: onReject, host: 'on.test' },
      { name: 'partial', script: onPartial, host: 'partial.test' },
      { name: 'detect', script: detection, host: 'detect.test' },
      {
        name: 'on-detect',
        script: onReject,
        host: 'on-detect.test',
        bindings: { WAF_ENGINE: 'DetectionOnly' },
      },
      { name: 'on-off', script: onReject, host: 'on-off.test', bindings: { WAF_ENGINE: 'Off' } },
      { name: 'detect-on', script: detection, host: 'detect-on.test', bindings: { WAF_ENGINE: 'On' } },
      { name: 'ops', script: onReject, host: 'ops.test', bindings: { ADMIN_TOKEN: TOKEN } },
    ],
    { originScript: origin },
  )
}, 60_000)

afterAll(async () => {
  await w?.dispose()
})

interface SendInit {
  method?: string
  headers?: Record<string, string>
  body?: Buffer | string
  /** send the body with Transfer-Encoding: chunked (two chunks) instead of Content-Length */
  chunked?: boolean
}

interface Sent {
  id: string
  status: number
  header(name: string): string | undefined
  body: string
}

/**
 * Send a request through the WAF at `host` over a raw socket (the bytes on the wire are exactly
 * these: Host, the given headers, x-test-id, Connection: close, Content-Length or chunked).
 * Every request carries a fresh x-test-id, which the origin records.
 */
async function send(host: string, path: string, init: SendInit = {}): Promise<Sent> {
  const id = `t${++nextId}-${Date.now()}`
  const method = init.method ?? 'GET'
  const headers: [string, string][] = [['Host', host]]
  for (const [k, v] of Object.entries(init.headers ?? {})) headers.push([k, v])
  headers.push(['x-test-id', id], ['Connection', 'close'])
  let body: Buffer | undefined
  if (init.body !== undefined) {
    const b = typeof init.body === 'string' ? Buffer.from(init.body, 'latin1') : init.body
    if (init.chunked === true) {
      headers.push(['Transfer-Encoding', 'chunked'])
      const half = b.subarray(0, b.length >> 1)
      const rest = b.subarray(b.length >> 1)
      const chunk = (c: Buffer): Buffer =>
        Buffer.concat([Buffer.from(c.length.toString(16) + '\r\n'), c, Buffer.from('\r\n')])
      body = Buffer.concat([chunk(half), chunk(rest), Buffer.from('0\r\n\r\n')])
    } else {
      headers.push(['Content-Length', String(b.length)])
      body = b
    }
  }
  const r = await rawExchange(
    w.url.port === '' ? 80 : Number(w.url.port),
    buildRequest(method, path, headers, body),
    {
      headRequest: method === 'HEAD',
    },
  )
  if (r.response === undefined) throw new Error(`no response: ${r.error}\n${r.raw.toString('latin1')}`)
  const res = r.response
  return { id, status: res.status, header: (n) => header(res, n), body: res.body.toString('utf8') }
}

interface Received {
  method: string
  url: string
  headers: [string, string][]
  bodyHex: string
  bodyLength: number
  bodySha1: string
}

/** what the origin received for a test id, or undefined when the request never reached it */
async function received(id: string): Promise<Received | undefined> {
  const r = await w.mf.dispatchFetch(`http://origin.test/__received?id=${encodeURIComponent(id)}`)
  if (r.status === 404) {
    await r.text()
    return undefined
  }
  return (await r.json()) as Received
}

function uniqueIdOf(page: string): string {
  const m = /<code>([^<]+)<\/code>/.exec(page)
  if (m === null) throw new Error('no unique id in the block page:\n' + page)
  return m[1] as string
}

function alertFor(uniqueId: string, ruleId: number): Promise<string> {
  return w.waitForLog((l) => l.includes(`[unique_id "${uniqueId}"]`) && l.includes(`[id "${ruleId}"]`))
}

describe('requests', () => {
  it('passes a benign request to the origin and returns its answer', async () => {
    const s = await send('on.test', '/hello?id=1')
    expect(s.status).toBe(200)
    expect(s.body).toBe('origin ok\n')
    const r = await received(s.id)
    expect(r?.method).toBe('GET')
    expect(r?.url).toBe('http://origin.test/hello?id=1')
    // the client sent no Accept-Encoding: neither does the origin get one
    expect(new Map(r?.headers).has('accept-encoding')).toBe(false)
  })

  it('blocks an attack with 403 and the block page, logs the alert line, never calls the origin', async () => {
    const s = await send('on.test', '/search?q=an%20attack')
    expect(s.status).toBe(403)
    expect(s.header('content-type')).toBe('text/html; charset=utf-8')
    expect(s.header('cache-control')).toBe('no-store')
    expect(s.body).toContain('403 Forbidden')
    const uid = uniqueIdOf(s.body)
    const line = await alertFor(uid, 1001)
    expect(line).toMatch(/^\[client 127\.0\.0\.1\] ModSecurity: Access denied with code 403 \(phase 2\)\. /)
    expect(line).toContain('[msg "attack in ARGS:q"]')
    expect(line).toContain('[hostname "on.test"] [uri "/search"]')
    expect(await received(s.id)).toBeUndefined()
  })

  it('answers HEAD with the status and no body', async () => {
    const s = await send('on.test', '/?q=attack', { method: 'HEAD' })
    expect(s.status).toBe(403)
    expect(s.body).toBe('')
  })

  it("answers with the rule's status", async () => {
    const s = await send('on.test', '/?teapot=1')
    expect(s.status).toBe(418)
    expect(s.body).toContain('418 I&#39;m a teapot')
    expect(await received(s.id)).toBeUndefined()
  })

  it('redirects with 302 and Location', async () => {
    const s = await send('on.test', '/page?go=away')
    expect(s.status).toBe(302)
    expect(s.header('location')).toBe('https://example.com/blocked?from=/page')
    expect(await received(s.id)).toBeUndefined()
  })

  it('answers drop with an empty 403 (a Worker cannot reset the connection)', async () => {
    const s = await send('on.test', '/dropped?drop=1')
    expect(s.status).toBe(403)
    expect(s.body).toBe('')
    await w.waitForLog(
      (l) =>
        l.includes('[id "1004"]') &&
        l.includes('[uri "/dropped"]') &&
        l.includes('Access denied with connection close (phase 1).'),
    )
    expect(await received(s.id)).toBeUndefined()
  })

  it('allow ends inspection: the phase 2 rule does not run', async () => {
    const s = await send('on.test', '/?allow=1&q=attack')
    expect(s.status).toBe(200)
    expect(await received(s.id)).toBeDefined()
  })

  it('DetectionOnly never blocks but logs the warning', async () => {
    const s = await send('detect.test', '/detection-only?q=attack&teapot=1&go=away&drop=1')
    expect(s.status).toBe(200)
    expect(s.body).toBe('origin ok\n')
    expect(await received(s.id)).toBeDefined()
    for (const id of [1001, 1002, 1003, 1004]) {
      await w.waitForLog(
        (l) =>
          l.includes(`[id "${id}"]`) &&
          l.includes('ModSecurity: Warning.') &&
          l.includes('[uri "/detection-only"]'),
      )
    }
  })
})

describe('request body', () => {
  const big = 'x'.repeat(1500)

  it('Reject: a body over SecRequestBodyLimit gets 413 and never reaches the origin', async () => {
    const s = await send('on.test', '/upload', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(413)
    expect(s.body).toContain('413')
    expect(await received(s.id)).toBeUndefined()
    const uid = uniqueIdOf(s.body)
    await w.waitForLog(
      (l) =>
        l.includes(`[unique_id "${uid}"]`) &&
        l.includes('Request body (Content-Length) is larger than the configured limit (1000).'),
    )
  })

  it('Reject: also for a chunked body without Content-Length', async () => {
    const s = await send('on.test', '/upload', {
      method: 'POST',
      body: 'y'.repeat(1200),
      chunked: true,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(413)
    expect(await received(s.id)).toBeUndefined()
  })

  it('a body within the limit is inspected', async () => {
    const s = await send('on.test', '/upload', {
      method: 'POST',
      body: 'BODYATTACK',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(403)
    expect(await received(s.id)).toBeUndefined()
  })

  it('ProcessPartial: inspects the first 1000 bytes and forwards the whole body', async () => {
    const late = 'z'.repeat(1200) + 'BODYATTACK'
    const s = await send('partial.test', '/upload', {
      method: 'POST',
      body: late,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    const r = await received(s.id)
    expect(r?.bodyLength).toBe(late.length)
    expect(r?.bodySha1).toBe(createHash('sha1').update(late).digest('hex'))
    const early = 'BODYATTACK' + 'z'.repeat(1200)
    const s2 = await send('partial.test', '/upload', {
      method: 'POST',
      body: early,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s2.status).toBe(403)
    expect(await received(s2.id)).toBeUndefined()
  })

  it('DetectionOnly: a body over the limit is inspected partially and forwarded', async () => {
    const s = await send('detect.test', '/upload', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    expect((await received(s.id))?.bodyLength).toBe(1500)
  })
})

describe('response', () => {
  it('Reject: a response over SecResponseBodyLimit gets 500', async () => {
    const s = await send('on.test', '/body?size=1500&type=text/html')
    expect(s.status).toBe(500)
    expect(s.body).toContain('500 Internal Server Error')
    expect(await received(s.id)).toBeDefined()
  })

  it('ProcessPartial: inspects the first 1000 bytes, sends the whole body', async () => {
    const s = await send('partial.test', '/body?size=1500&type=text/html&tail=SECRET-LEAK')
    expect(s.status).toBe(200)
    expect(s.body).toBe('a'.repeat(1500) + 'SECRET-LEAK')
    const s2 = await send('partial.test', '/body?size=1500&type=text/html&head=SECRET-LEAK')
    expect(s2.status).toBe(403)
  })

  it('inspects a response body within the limit (phase 4)', async () => {
    const s = await send('on.test', '/body?size=10&type=text/plain&tail=SECRET-LEAK')
    expect(s.status).toBe(403)
    const ok = await send('on.test', '/body?size=10&type=text/plain')
    expect(ok.status).toBe(200)
    expect(ok.body).toBe('a'.repeat(10))
  })

  it('streams responses whose type is not inspected, whatever their size', async () => {
    const s = await send('on.test', '/body?size=200000&type=application/octet-stream&tail=SECRET-LEAK')
    expect(s.status).toBe(200)
    expect(s.body.length).toBe(200000 + 11)
  })

  it('phase 3 sees the response headers', async () => {
    const s = await send('on.test', '/header?name=x-origin-flag&value=bad')
    expect(s.status).toBe(502)
  })
})

describe('WAF_ENGINE override', () => {
  it('DetectionOnly over an On rule set passes attacks', async () => {
    const s = await send('on-detect.test', '/override-detection?q=attack')
    expect(s.status).toBe(200)
    await w.waitForLog(
      (l) =>
        l.includes('[uri "/override-detection"]') &&
        l.includes('ModSecurity: Warning.') &&
        l.includes('[id "1001"]'),
    )
  })

  it('On over a DetectionOnly rule set blocks', async () => {
    const s = await send('detect-on.test', '/?q=attack')
    expect(s.status).toBe(403)
    expect(await received(s.id)).toBeUndefined()
  })

  it('Off forwards without inspection and logs nothing', async () => {
    const s = await send('on-off.test', '/override-off?q=attack')
    expect(s.status).toBe(200)
    expect(await received(s.id)).toBeDefined()
    const big = await send('on-off.test', '/override-off', { method: 'POST', body: 'x'.repeat(5000) })
    expect(big.status).toBe(200)
    expect((await received(big.id))?.bodyLength).toBe(5000)
    const getBody = await send('on-off.test', '/override-off', { body: 'abc' })
    expect(getBody.status).toBe(200)
    expect((await received(getBody.id))?.bodyLength).toBe(3)
    // the alert lines of the other tests are written by now; none is about these requests
    await new Promise((r) => setTimeout(r, 100))
    expect(w.logs.some((l) => l.includes('[uri "/override-off"]'))).toBe(false)
  })
})

describe('forwarding', () => {
  it('the origin receives exactly the request the WAF inspected', async () => {
    const body = Buffer.alloc(256)
    for (let i = 0; i < 256; i++) body[i] = i
    const probe = 'caf\u00e9 \u2713 "quoted", a=b; c'
    const s = await send('on.test', '/p/a%20th;x?b=1&a=%C3%A9&c', {
      method: 'PUT',
      body,
      // header values travel as bytes: the UTF-8 encoding of the probe, sent byte for byte
      headers: {
        'content-type': 'application/octet-stream',
        'x-probe': Buffer.from(probe, 'utf8').toString('latin1'),
        'user-agent': 'probe/1.0',
        'accept-encoding': 'identity;q=1, foo',
      },
    })
    expect(s.status).toBe(200)
    const r = await received(s.id)
    if (r === undefined) throw new Error('not forwarded')
    // what the origin got
    expect(r.method).toBe('PUT')
    expect(r.url).toBe('http://origin.test/p/a%20th;x?b=1&a=%C3%A9&c')
    expect(r.bodyHex).toBe(body.toString('hex'))
    const got = new Map(r.headers)
    expect(got.get('x-probe')).toBe(probe)
    expect(got.get('user-agent')).toBe('probe/1.0')
    expect(got.get('content-type')).toBe('application/octet-stream')
    expect(got.get('content-length')).toBe('256')
    expect(got.get('accept-encoding')).toBe('identity;q=1, foo')
    // ORIGIN_URL names the origin: the Host is the origin's, not the client's
    expect(got.get('host')).not.toBe('on.test')
    // what the WAF inspected, from its alert lines (rules 1020-1022 log it)
    const uidLine = await w.waitForLog((l) => l.includes('[id "1022"]') && l.includes('/p/a%20th;x'))
    const uid = /\[unique_id "([^"]+)"\]/.exec(uidLine)?.[1] ?? ''
    expect(uidLine).toContain('[data "PUT /p/a%20th;x?b=1&a=%C3%A9&c HTTP/1.1"]')
    const header = await alertFor(uid, 1020)
    expect(header).toContain(`[data "${Buffer.from(probe, 'utf8').toString('hex')}"]`)
    expect(await alertFor(uid, 1023)).toContain('[data "identity;q=1, foo"]')
    const digest = await alertFor(uid, 1021)
    expect(digest).toContain(`[data "${r.bodySha1}"]`)
  })

  it('a GET with a body is inspected and forwarded with it', async () => {
    const s = await send('on.test', '/get-body', {
      body: 'abc',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    expect((await received(s.id))?.bodyHex).toBe(Buffer.from('abc').toString('hex'))
    const blocked = await send('on.test', '/get-body', {
      body: 'BODYATTACK',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(blocked.status).toBe(403)
  })

  it('drops Content-Length when Transfer-Encoding is present (RFC 9112 6.3)', async () => {
    const s = await send('on.test', '/smuggle', {
      method: 'POST',
      body: 'foo=bar',
      chunked: true,
      headers: { 'content-type': 'application/octet-stream', 'Content-Length': '3' },
    })
    expect(s.status).toBe(200)
    const r = await received(s.id)
    expect(r?.bodyHex).toBe(Buffer.from('foo=bar').toString('hex'))
    const names = new Map(r?.headers)
    expect(names.get('content-length') === '3').toBe(false)
    expect(names.has('content-length') && names.has('transfer-encoding')).toBe(false)
  })

  it('a forwarded ProcessPartial body keeps its Content-Length', async () => {
    const late = 'q'.repeat(3000)
    const s = await send('partial.test', '/upload', {
      method: 'POST',
      body: late,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    const r = await received(s.id)
    expect(new Map(r?.headers).get('content-length')).toBe('3000')
    expect(r?.bodyLength).toBe(3000)
  })
})

describe('ops endpoints', () => {
  it('are ordinary traffic without ADMIN_TOKEN', async () => {
    const s = await send('on.test', '/.waf/status')
    expect(s.status).toBe(200)
    expect(s.body).toBe('origin ok\n')
    expect(await received(s.id)).toBeDefined()
  })

  it('refuse a missing or wrong token', async () => {
    const none = await send('ops.test', '/.waf/status')
    expect(none.status).toBe(401)
    expect(none.header('www-authenticate')).toContain('Bearer')
    const wrong = await send('ops.test', '/.waf/status', {
      headers: { authorization: 'Bearer ' + TOKEN + 'x' },
    })
    expect(wrong.status).toBe(401)
    const short = await send('ops.test', '/.waf/status', { headers: { authorization: 'Bearer t' } })
    expect(short.status).toBe(401)
    expect(await received(none.id)).toBeUndefined()
  })

  it('status reports the bundle, rule counts, engine mode and components', async () => {
    const s = await send('ops.test', '/.waf/status', { headers: { authorization: 'Bearer ' + TOKEN } })
    expect(s.status).toBe(200)
    const st = JSON.parse(s.body) as {
      bundle: { format: string; formatVersion: number; sources: { path: string; kind: string }[] }
      components: string[]
      rules: { perPhase: Record<string, number>; total: number }
      engine: { bundle: string; override: string | null; effective: string }
    }
    expect(st.bundle.format).toBe('waf-bundle')
    expect(st.bundle.sources.map((x) => x.path)).toEqual(['on-reject.conf', 'common.conf'])
    expect(st.components).toEqual(['edge-waf-test/1'])
    expect(st.rules.perPhase).toEqual({ '1': 5, '2': 7, '3': 1, '4': 1, '5': 0 })
    expect(st.engine).toEqual({ bundle: 'On', override: null, effective: 'On', failMode: 'closed' })
    const unknown = await send('ops.test', '/.waf/nothing', { headers: { authorization: 'Bearer ' + TOKEN } })
    expect(unknown.status).toBe(404)
  })
})
