/**
 * The Worker in workerd (Miniflare) with the engine decisions it no longer makes itself:
 * SecRequestBodyNoFilesLimit (engine, 413 in every mode as ModSecurity 2.9.7), the WAF_ENGINE
 * override as the transaction's SecRuleEngine (TransactionOptions.ruleEngine), and whether the
 * response body is read (inspectsResponseBody: v2's SecResponseBodyMimeType matching, ctl).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOriginScript, buildWafScript, startWorkers, type Running } from './harness'
import { buildRequest, rawExchange } from './raw-http'

const RULES = `
SecRuleEngine On
SecRequestBodyAccess On
SecRequestBodyLimit 10000
SecRequestBodyLimitAction ProcessPartial
SecRequestBodyNoFilesLimit 100
SecResponseBodyAccess On
SecResponseBodyMimeType text/html
SecRule ARGS "@contains attack" "id:1,phase:2,deny,log,msg:'attack'"
SecRule RESPONSE_BODY "@contains SECRET-LEAK" "id:2,phase:4,deny,log,msg:'leak'"
SecRule ARGS:noresp "@streq 1" "id:3,phase:1,pass,nolog,ctl:responseBodyAccess=Off"
`
const NOFILES = 'Request body no files data length is larger than the configured limit (100).'

let w: Running
let n = 0

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-options-'))
  writeFileSync(join(dir, 'options.conf'), RULES)
  const [script, origin] = await Promise.all([buildWafScript(join(dir, 'options.conf')), buildOriginScript()])
  w = await startWorkers(
    [
      { name: 'nf', script, host: 'nf.test' },
      { name: 'nf-detect', script, host: 'nf-detect.test', bindings: { WAF_ENGINE: 'DetectionOnly' } },
    ],
    { originScript: origin },
  )
}, 60_000)

afterAll(async () => {
  await w?.dispose()
})

async function send(
  host: string,
  path: string,
  init: { method?: string; contentType?: string; body?: string } = {},
): Promise<{ id: string; status: number; body: string }> {
  const id = `o${++n}-${Date.now()}`
  const headers: [string, string][] = [['Host', host]]
  if (init.contentType !== undefined) headers.push(['Content-Type', init.contentType])
  headers.push(['x-test-id', id], ['Connection', 'close'])
  let body: Buffer | undefined
  if (init.body !== undefined) {
    body = Buffer.from(init.body, 'latin1')
    headers.push(['Content-Length', String(body.length)])
  }
  const r = await rawExchange(Number(w.url.port), buildRequest(init.method ?? 'GET', path, headers, body))
  if (r.response === undefined) throw new Error(`no response: ${r.error}`)
  return { id, status: r.response.status, body: r.response.body.toString('latin1') }
}

async function reachedOrigin(id: string): Promise<{ bodyLength: number } | undefined> {
  const r = await w.mf.dispatchFetch(`http://origin.test/__received?id=${id}`)
  if (r.status === 404) {
    await r.text()
    return undefined
  }
  return (await r.json()) as { bodyLength: number }
}

const UE = 'application/x-www-form-urlencoded'
const MP = 'multipart/form-data; boundary=XB'
const filePart = (size: number): string =>
  '--XB\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n' +
  'F'.repeat(size) +
  '\r\n'
const field = (name: string, value: string): string =>
  `--XB\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`

describe('SecRequestBodyNoFilesLimit', () => {
  it('a urlencoded body of 200 bytes over 100 gets 413 (also with ProcessPartial) and the v2 log line', async () => {
    const s = await send('nf.test', '/form', {
      method: 'POST',
      contentType: UE,
      body: 'a=' + 'x'.repeat(198),
    })
    expect(s.status).toBe(413)
    expect(await reachedOrigin(s.id)).toBeUndefined()
    await w.waitForLog((l) => l.includes(`ModSecurity: ${NOFILES} [hostname "nf.test"] [uri "/form"]`))
  })

  it('file contents do not count: a 2 KB upload passes, one more field does not', async () => {
    const upload = filePart(2048) + '--XB--\r\n'
    const s = await send('nf.test', '/upload', { method: 'POST', contentType: MP, body: upload })
    expect(s.status).toBe(200)
    expect((await reachedOrigin(s.id))?.bodyLength).toBe(upload.length)
    // the file part's headers count 88 bytes, the field's 45 more
    const more = field('a', '1') + filePart(2048) + '--XB--\r\n'
    const s2 = await send('nf.test', '/upload', { method: 'POST', contentType: MP, body: more })
    expect(s2.status).toBe(413)
    expect(await reachedOrigin(s2.id)).toBeUndefined()
  })

  it('WAF_ENGINE=DetectionOnly: still 413, as 2.9.7 refuses in DetectionOnly too', async () => {
    const s = await send('nf-detect.test', '/form', {
      method: 'POST',
      contentType: UE,
      body: 'a=' + 'x'.repeat(198),
    })
    expect(s.status).toBe(413)
  })
})

describe('WAF_ENGINE as the transaction mode', () => {
  it('DetectionOnly logs an attack and forwards it; the same script blocks without the override', async () => {
    const s = await send('nf-detect.test', '/detect?q=attack')
    expect(s.status).toBe(200)
    expect(await reachedOrigin(s.id)).toBeDefined()
    await w.waitForLog((l) => l.includes('ModSecurity: Warning.') && l.includes('[uri "/detect"]'))
    const blocked = await send('nf.test', '/detect?q=attack')
    expect(blocked.status).toBe(403)
  })
})

describe('response body: the engine decides what is read', () => {
  const leak = (type: string, extra = ''): string =>
    `/body?size=10&tail=SECRET-LEAK&type=${encodeURIComponent(type)}${extra}`

  it('the media type before ";" is matched without ASCII case', async () => {
    expect((await send('nf.test', leak('TEXT/HTML; charset=UTF-8'))).status).toBe(403)
    expect((await send('nf.test', leak('text/html;charset=utf-8'))).status).toBe(403)
  })

  it('is not trimmed ("text/html ;" is another type) and unlisted types stream through', async () => {
    const spaced = await send('nf.test', leak('text/html ; charset=utf-8'))
    expect(spaced.status).toBe(200)
    expect(spaced.body).toBe('a'.repeat(10) + 'SECRET-LEAK')
    expect((await send('nf.test', leak('application/json'))).status).toBe(200)
  })

  it('follows ctl:responseBodyAccess=Off', async () => {
    const s = await send('nf.test', leak('text/html', '&noresp=1'))
    expect(s.status).toBe(200)
    expect(s.body).toBe('a'.repeat(10) + 'SECRET-LEAK')
  })
})
