/**
 * The Worker in workerd (suite.ts): the WAF_ENGINE override, the forwarded request being the
 * inspected one, and the ops endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN, WafSuite } from './suite'

let waf: WafSuite

beforeAll(async () => {
  waf = await WafSuite.start(['on', 'partial', 'on-detect', 'on-off', 'detect-on', 'ops'])
}, 60_000)

afterAll(async () => {
  await waf?.dispose()
})

describe('WAF_ENGINE override', () => {
  it('DetectionOnly over an On rule set passes attacks', async () => {
    const s = await waf.send('on-detect.test', '/override-detection?q=attack')
    expect(s.status).toBe(200)
    await waf.waitForLog(
      (l) =>
        l.includes('[uri "/override-detection"]') &&
        l.includes('ModSecurity: Warning.') &&
        l.includes('[id "1001"]'),
    )
  })

  it('On over a DetectionOnly rule set blocks', async () => {
    const s = await waf.send('detect-on.test', '/?q=attack')
    expect(s.status).toBe(403)
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('Off forwards without inspection and logs nothing', async () => {
    const s = await waf.send('on-off.test', '/override-off?q=attack')
    expect(s.status).toBe(200)
    expect(await waf.received(s.id)).toBeDefined()
    const big = await waf.send('on-off.test', '/override-off', { method: 'POST', body: 'x'.repeat(5000) })
    expect(big.status).toBe(200)
    expect((await waf.received(big.id))?.bodyLength).toBe(5000)
    const getBody = await waf.send('on-off.test', '/override-off', { body: 'abc' })
    expect(getBody.status).toBe(200)
    expect((await waf.received(getBody.id))?.bodyLength).toBe(3)
    // the alert lines of the other tests are written by now; none is about these requests
    await new Promise((r) => setTimeout(r, 100))
    expect(waf.logs.some((l) => l.includes('[uri "/override-off"]'))).toBe(false)
  })
})

describe('forwarding', () => {
  it('the origin receives exactly the request the WAF inspected', async () => {
    const body = Buffer.alloc(256)
    for (let i = 0; i < 256; i++) body[i] = i
    const probe = 'caf\u00e9 \u2713 "quoted", a=b; c'
    const s = await waf.send('on.test', '/p/a%20th;x?b=1&a=%C3%A9&c', {
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
    const r = await waf.received(s.id)
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
    const uidLine = await waf.waitForLog((l) => l.includes('[id "1022"]') && l.includes('/p/a%20th;x'))
    const uid = /\[unique_id "([^"]+)"\]/.exec(uidLine)?.[1] ?? ''
    expect(uidLine).toContain('[data "PUT /p/a%20th;x?b=1&a=%C3%A9&c HTTP/1.1"]')
    const header = await waf.alertFor(uid, 1020)
    expect(header).toContain(`[data "${Buffer.from(probe, 'utf8').toString('hex')}"]`)
    expect(await waf.alertFor(uid, 1023)).toContain('[data "identity;q=1, foo"]')
    const digest = await waf.alertFor(uid, 1021)
    expect(digest).toContain(`[data "${r.bodySha1}"]`)
  })

  it('a GET with a body is inspected and forwarded with it', async () => {
    const s = await waf.send('on.test', '/get-body', {
      body: 'abc',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    expect((await waf.received(s.id))?.bodyHex).toBe(Buffer.from('abc').toString('hex'))
    const blocked = await waf.send('on.test', '/get-body', {
      body: 'BODYATTACK',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(blocked.status).toBe(403)
  })

  it('drops Content-Length when Transfer-Encoding is present (RFC 9112 6.3)', async () => {
    const s = await waf.send('on.test', '/smuggle', {
      method: 'POST',
      body: 'foo=bar',
      chunked: true,
      headers: { 'content-type': 'application/octet-stream', 'Content-Length': '3' },
    })
    expect(s.status).toBe(200)
    const r = await waf.received(s.id)
    expect(r?.bodyHex).toBe(Buffer.from('foo=bar').toString('hex'))
    const names = new Map(r?.headers)
    expect(names.get('content-length') === '3').toBe(false)
    expect(names.has('content-length') && names.has('transfer-encoding')).toBe(false)
  })

  it('a forwarded ProcessPartial body keeps its Content-Length', async () => {
    const late = 'q'.repeat(3000)
    const s = await waf.send('partial.test', '/upload', {
      method: 'POST',
      body: late,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    const r = await waf.received(s.id)
    expect(new Map(r?.headers).get('content-length')).toBe('3000')
    expect(r?.bodyLength).toBe(3000)
  })
})

describe('ops endpoints', () => {
  it('are ordinary traffic without ADMIN_TOKEN', async () => {
    const s = await waf.send('on.test', '/.waf/status')
    expect(s.status).toBe(200)
    expect(s.body).toBe('origin ok\n')
    expect(await waf.received(s.id)).toBeDefined()
  })

  it('refuse a missing or wrong token', async () => {
    const none = await waf.send('ops.test', '/.waf/status')
    expect(none.status).toBe(401)
    expect(none.header('www-authenticate')).toContain('Bearer')
    const wrong = await waf.send('ops.test', '/.waf/status', {
      headers: { authorization: 'Bearer ' + TOKEN + 'x' },
    })
    expect(wrong.status).toBe(401)
    const short = await waf.send('ops.test', '/.waf/status', { headers: { authorization: 'Bearer t' } })
    expect(short.status).toBe(401)
    expect(await waf.received(none.id)).toBeUndefined()
  })

  it('status reports the bundle, rule counts, engine mode and components', async () => {
    const s = await waf.send('ops.test', '/.waf/status', { headers: { authorization: 'Bearer ' + TOKEN } })
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
    const unknown = await waf.send('ops.test', '/.waf/nothing', {
      headers: { authorization: 'Bearer ' + TOKEN },
    })
    expect(unknown.status).toBe(404)
  })
})
