/**
 * The Worker in workerd (suite.ts): requests, request bodies and responses through the WAF,
 * what the client gets and what reaches the origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { uniqueIdOf, WafSuite } from './suite'

let waf: WafSuite

beforeAll(async () => {
  waf = await WafSuite.start(['on', 'partial', 'detect'])
}, 60_000)

afterAll(async () => {
  await waf?.dispose()
})

describe('requests', () => {
  it('passes a benign request to the origin and returns its answer', async () => {
    const s = await waf.send('on.test', '/hello?id=1')
    expect(s.status).toBe(200)
    expect(s.body).toBe('origin ok\n')
    const r = await waf.received(s.id)
    expect(r?.method).toBe('GET')
    expect(r?.url).toBe('http://origin.test/hello?id=1')
    // the client sent no Accept-Encoding: neither does the origin get one
    expect(new Map(r?.headers).has('accept-encoding')).toBe(false)
  })

  it('blocks an attack with 403 and the block page, logs the alert line, never calls the origin', async () => {
    const s = await waf.send('on.test', '/search?q=an%20attack')
    expect(s.status).toBe(403)
    expect(s.header('content-type')).toBe('text/html; charset=utf-8')
    expect(s.header('cache-control')).toBe('no-store')
    expect(s.body).toContain('403 Forbidden')
    const uid = uniqueIdOf(s.body)
    const line = await waf.alertFor(uid, 1001)
    expect(line).toMatch(/^\[client 127\.0\.0\.1\] ModSecurity: Access denied with code 403 \(phase 2\)\. /)
    expect(line).toContain('[msg "attack in ARGS:q"]')
    expect(line).toContain('[hostname "on.test"] [uri "/search"]')
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('answers HEAD with the status and no body', async () => {
    const s = await waf.send('on.test', '/?q=attack', { method: 'HEAD' })
    expect(s.status).toBe(403)
    expect(s.body).toBe('')
  })

  it("answers with the rule's status", async () => {
    const s = await waf.send('on.test', '/?teapot=1')
    expect(s.status).toBe(418)
    expect(s.body).toContain('418 I&#39;m a teapot')
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('redirects with 302 and Location', async () => {
    const s = await waf.send('on.test', '/page?go=away')
    expect(s.status).toBe(302)
    expect(s.header('location')).toBe('https://example.com/blocked?from=/page')
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('answers drop with an empty 403 (a Worker cannot reset the connection)', async () => {
    const s = await waf.send('on.test', '/dropped?drop=1')
    expect(s.status).toBe(403)
    expect(s.body).toBe('')
    await waf.waitForLog(
      (l) =>
        l.includes('[id "1004"]') &&
        l.includes('[uri "/dropped"]') &&
        l.includes('Access denied with connection close (phase 1).'),
    )
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('allow ends inspection: the phase 2 rule does not run', async () => {
    const s = await waf.send('on.test', '/?allow=1&q=attack')
    expect(s.status).toBe(200)
    expect(await waf.received(s.id)).toBeDefined()
  })

  it('DetectionOnly never blocks but logs the warning', async () => {
    const s = await waf.send('detect.test', '/detection-only?q=attack&teapot=1&go=away&drop=1')
    expect(s.status).toBe(200)
    expect(s.body).toBe('origin ok\n')
    expect(await waf.received(s.id)).toBeDefined()
    for (const id of [1001, 1002, 1003, 1004]) {
      await waf.waitForLog(
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
    const s = await waf.send('on.test', '/upload', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(413)
    expect(s.body).toContain('413')
    expect(await waf.received(s.id)).toBeUndefined()
    const uid = uniqueIdOf(s.body)
    await waf.waitForLog(
      (l) =>
        l.includes(`[unique_id "${uid}"]`) &&
        l.includes('Request body (Content-Length) is larger than the configured limit (1000).'),
    )
  })

  it('Reject: also for a chunked body without Content-Length', async () => {
    const s = await waf.send('on.test', '/upload', {
      method: 'POST',
      body: 'y'.repeat(1200),
      chunked: true,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(413)
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('a body within the limit is inspected', async () => {
    const s = await waf.send('on.test', '/upload', {
      method: 'POST',
      body: 'BODYATTACK',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(403)
    expect(await waf.received(s.id)).toBeUndefined()
  })

  it('ProcessPartial: inspects the first 1000 bytes and forwards the whole body', async () => {
    const late = 'z'.repeat(1200) + 'BODYATTACK'
    const s = await waf.send('partial.test', '/upload', {
      method: 'POST',
      body: late,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    const r = await waf.received(s.id)
    expect(r?.bodyLength).toBe(late.length)
    expect(r?.bodySha1).toBe(createHash('sha1').update(late).digest('hex'))
    const early = 'BODYATTACK' + 'z'.repeat(1200)
    const s2 = await waf.send('partial.test', '/upload', {
      method: 'POST',
      body: early,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s2.status).toBe(403)
    expect(await waf.received(s2.id)).toBeUndefined()
  })

  it('DetectionOnly: a body over the limit is inspected partially and forwarded', async () => {
    const s = await waf.send('detect.test', '/upload', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(s.status).toBe(200)
    expect((await waf.received(s.id))?.bodyLength).toBe(1500)
  })
})

describe('response', () => {
  it('Reject: a response over SecResponseBodyLimit gets 500', async () => {
    const s = await waf.send('on.test', '/body?size=1500&type=text/html')
    expect(s.status).toBe(500)
    expect(s.body).toContain('500 Internal Server Error')
    expect(await waf.received(s.id)).toBeDefined()
  })

  it('ProcessPartial: inspects the first 1000 bytes, sends the whole body', async () => {
    const s = await waf.send('partial.test', '/body?size=1500&type=text/html&tail=SECRET-LEAK')
    expect(s.status).toBe(200)
    expect(s.body).toBe('a'.repeat(1500) + 'SECRET-LEAK')
    const s2 = await waf.send('partial.test', '/body?size=1500&type=text/html&head=SECRET-LEAK')
    expect(s2.status).toBe(403)
  })

  it('inspects a response body within the limit (phase 4)', async () => {
    const s = await waf.send('on.test', '/body?size=10&type=text/plain&tail=SECRET-LEAK')
    expect(s.status).toBe(403)
    const ok = await waf.send('on.test', '/body?size=10&type=text/plain')
    expect(ok.status).toBe(200)
    expect(ok.body).toBe('a'.repeat(10))
  })

  it('streams responses whose type is not inspected, whatever their size', async () => {
    const s = await waf.send('on.test', '/body?size=200000&type=application/octet-stream&tail=SECRET-LEAK')
    expect(s.status).toBe(200)
    expect(s.body.length).toBe(200000 + 11)
  })

  it('phase 3 sees the response headers', async () => {
    const s = await waf.send('on.test', '/header?name=x-origin-flag&value=bad')
    expect(s.status).toBe(502)
  })
})
