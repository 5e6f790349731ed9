/**
 * The audit log in workerd (Miniflare, local R2): one object per audited transaction, keyed by
 * date, hour and unique id, written after the answer; RelevantOnly / On / JSON; the H part holds
 * the console's alert lines; uploads kept beside the record; the ops endpoint; and an R2 binding
 * that fails (a test double) leaves the responses unchanged and logs the unique id.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileFile } from '../../src/compiler/compile'
import { serializeBundle } from '../../src/compiler/serialize'
import {
  keyForId,
  parseNativeRecords,
  parsePartB,
  parsePartH,
  parsePartJ,
  section,
} from '../../src/engine/audit/index'
import { validate, type Schema } from '../unit/engine/audit/json-schema-lite'
import { SCHEMA } from '../unit/engine/audit/helpers'
import { buildOriginScript, buildWafScript, ROOT, startWorkers, type Running } from './harness'
import { buildRequest, rawExchange, header } from './raw-http'
import { uniqueIdOf } from './suite'

const TOKEN = 'audit-token-0123456789'

const COMMON = `
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecAuditLogParts ABCEFHIJKZ
SecUploadKeepFiles RelevantOnly
SecComponentSignature "audit-test/1"
SecRule ARGS "@contains attack" "id:1001,phase:2,deny,log,msg:'attack in %{MATCHED_VAR_NAME}',logdata:'%{MATCHED_VAR}'"
SecRule ARGS:warn "@streq 1" "id:1002,phase:2,pass,log,msg:'warning only'"
SecRule ARGS:pw "@rx ." "id:1003,phase:1,pass,nolog,sanitiseArg:pw"
`

const tmp = mkdtempSync(join(tmpdir(), 'waf-audit-test-'))
function rulesFile(name: string, text: string): string {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

/** The Worker with its AUDIT binding replaced by a bucket whose every put fails. */
async function failingAuditScript(rules: string): Promise<string> {
  const r = compileFile(rules)
  if (r.bundle === undefined) throw new Error('compile failed')
  const json = join(tmp, 'failing-bundle.json')
  writeFileSync(json, serializeBundle(r.bundle))
  const out = await build({
    stdin: {
      contents: `
import bundle from 'waf-bundle'
import { handleRequest } from './src/worker/handler'
import { linkWaf } from './src/worker/waf-program'
const waf = linkWaf(bundle)
let puts = 0
const failing = {
  put: async () => { puts++; throw new Error('R2 unavailable (test double)') },
  get: async () => null,
  list: async () => ({ objects: [], truncated: false }),
}
export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/__puts') return new Response(String(puts))
    return handleRequest(request, { ...env, AUDIT: failing }, ctx, waf, { audit: { retryDelayMs: 5 } })
  },
}`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    alias: { 'waf-bundle': json },
    logLevel: 'silent',
  })
  const f = out.outputFiles[0]
  if (f === undefined) throw new Error('esbuild produced nothing')
  return f.text
}

let w: Running

beforeAll(async () => {
  const relevant = rulesFile('relevant.conf', 'SecAuditEngine RelevantOnly\n' + COMMON)
  const on = rulesFile('on.conf', 'SecAuditEngine On\n' + COMMON)
  const json = rulesFile('json.conf', 'SecAuditEngine RelevantOnly\nSecAuditLogFormat JSON\n' + COMMON)
  const [rel, all, js, fail, origin] = await Promise.all([
    buildWafScript(relevant),
    buildWafScript(on),
    buildWafScript(json),
    failingAuditScript(relevant),
    buildOriginScript(),
  ])
  w = await startWorkers(
    [
      { name: 'relevant', script: rel, host: 'relevant.test', bindings: { ADMIN_TOKEN: TOKEN } },
      { name: 'all', script: all, host: 'all.test' },
      { name: 'json', script: js, host: 'json.test' },
      { name: 'failing', script: fail, host: 'failing.test' },
    ],
    { originScript: origin },
  )
}, 60_000)

afterAll(async () => {
  await w?.dispose()
})

interface Reply {
  status: number
  body: string
  headers: [string, string][]
}

async function send(
  host: string,
  path: string,
  init: { method?: string; headers?: [string, string][]; body?: string } = {},
): Promise<Reply> {
  const headers: [string, string][] = [['Host', host], ...(init.headers ?? []), ['Connection', 'close']]
  let body: Buffer | undefined
  if (init.body !== undefined) {
    body = Buffer.from(init.body, 'latin1')
    headers.push(['Content-Length', String(body.length)])
  }
  const r = await rawExchange(Number(w.url.port), buildRequest(init.method ?? 'GET', path, headers, body))
  if (r.response === undefined) throw new Error('no response: ' + r.error)
  return { status: r.response.status, body: r.response.body.toString('utf8'), headers: r.response.headers }
}

async function bucket(): Promise<Awaited<ReturnType<Running['mf']['getR2Bucket']>>> {
  return w.mf.getR2Bucket('AUDIT', 'relevant')
}

async function allObjects(): Promise<{ key: string; customMetadata?: Record<string, string> }[]> {
  const b = await bucket()
  const out: { key: string; customMetadata?: Record<string, string> }[] = []
  let cursor: string | undefined
  do {
    const page = await b.list({ include: ['customMetadata'], ...(cursor !== undefined ? { cursor } : {}) })
    out.push(...page.objects.map((o) => ({ key: o.key, customMetadata: o.customMetadata })))
    cursor = page.truncated ? page.cursor : undefined
  } while (cursor !== undefined)
  return out
}

/** the record of a unique id, waiting for the waitUntil write */
async function record(id: string): Promise<{ text: string; meta: Record<string, string>; key: string }> {
  const key = keyForId(id)
  if (key === undefined) throw new Error('not one of our ids: ' + id)
  const b = await bucket()
  for (let i = 0; i < 250; i++) {
    const o = await b.get(key)
    if (o !== null)
      return {
        text: Buffer.from(await o.arrayBuffer()).toString('latin1'),
        meta: o.customMetadata ?? {},
        key,
      }
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('no audit record at ' + key)
}

/** wait until every waitUntil of the requests sent so far is done (a blocked marker's record exists) */
async function settle(host: string): Promise<void> {
  const r = await send(host, '/settle?x=attack')
  await record(uniqueIdOf(r.body))
}

describe('SecAuditEngine RelevantOnly', () => {
  it('a blocked request: one object, native parts A B F H Z in order, key YYYYMMDD/HH/<id>', async () => {
    const r = await send('relevant.test', '/login?x=attack&pw=hunter2', {
      headers: [
        ['Authorization', 'Basic Zm9vOmJhcg=='],
        ['User-Agent', 'audit-test'],
      ],
    })
    expect(r.status).toBe(403)
    const id = uniqueIdOf(r.body)
    const { text, meta, key } = await record(id)
    expect(key).toMatch(new RegExp(`^\\d{8}/\\d{2}/${id}$`))
    const objects = (await allObjects()).filter((o) => o.customMetadata?.id === id)
    expect(objects.map((o) => o.key)).toEqual([key])

    const recs = parseNativeRecords(text)
    expect(recs.length).toBe(1)
    const rec = recs[0]
    if (rec === undefined) return
    const letters = rec.sections.map((s) => s.letter).join('')
    expect(letters).toMatch(/^AB.*F.*H.*Z$/)
    expect(letters).toBe('ABFEHKZ')
    const b = parsePartB(section(rec, 'B') ?? '')
    expect(b.requestLine).toBe('GET /login?x=attack&pw=******* HTTP/1.1')
    expect(b.headers).toContainEqual(['authorization', '*'.repeat('Basic Zm9vOmJhcg=='.length)])
    expect(b.headers).toContainEqual(['user-agent', 'audit-test'])
    expect(section(rec, 'F')?.split('\n')[0]).toBe('HTTP/1.1 403 Forbidden')
    // E: the block page the client got
    expect(section(rec, 'E')).toContain(id)

    // H holds the same alert lines as the console
    const console = await w.waitForLog((l) => l.includes(`[unique_id "${id}"]`) && l.includes('[id "1001"]'))
    const alert = /ModSecurity: (.*) \[hostname "/.exec(console)?.[1]
    const h = parsePartH(section(rec, 'H') ?? '')
    const messages = h.filter((x) => x[0] === 'Message').map((x) => x[1])
    const consoleAlerts = w.logs
      .filter((l) => l.includes(`[unique_id "${id}"]`) && l.includes('ModSecurity: '))
      .map((l) => /ModSecurity: (.*) \[hostname "/.exec(l)?.[1])
    expect(messages).toEqual(consoleAlerts)
    expect(messages).toEqual([alert])
    expect(h).toContainEqual(['Action', 'Intercepted (phase 2)'])
    expect(h.find((x) => x[0] === 'Producer')?.[1]).toMatch(/^edge-waf\/[\d.]+; audit-test\/1\.$/)

    expect(meta).toMatchObject({
      kind: 'record',
      id,
      status: '403',
      rules: '1003,1001',
      method: 'GET',
      intercepted: '1',
    })
    // the metadata is sanitised like the record
    expect(meta.uri).toBe('/login?x=attack&pw=*******')
  })

  it('a benign 200 produces none; a logged warning (log implies auditlog) produces one', async () => {
    const benign = await send('relevant.test', '/benign-relevant?a=1')
    expect(benign.status).toBe(200)
    const warned = await send('relevant.test', '/warned-relevant?warn=1')
    expect(warned.status).toBe(200)
    await settle('relevant.test')
    const objs = await allObjects()
    expect(objs.filter((o) => o.customMetadata?.uri?.startsWith('/benign-relevant')).length).toBe(0)
    // a `log` rule is also `auditlog` (v2): its match makes the transaction relevant
    expect(objs.filter((o) => o.customMetadata?.uri?.startsWith('/warned-relevant')).length).toBe(1)
  })

  it('SecUploadKeepFiles: the file is stored beside the record and linked from part J', async () => {
    const body =
      '--XyZ\r\nContent-Disposition: form-data; name="up"; filename="evil.php"\r\nContent-Type: application/x-php\r\n\r\n<?php attack(); ?>\r\n--XyZ\r\nContent-Disposition: form-data; name="g"\r\n\r\nan attack\r\n--XyZ--\r\n'
    const r = await send('relevant.test', '/upload', {
      method: 'POST',
      headers: [['Content-Type', 'multipart/form-data; boundary=XyZ']],
      body,
    })
    expect(r.status).toBe(403)
    const id = uniqueIdOf(r.body)
    const { text, key } = await record(id)
    const rec = parseNativeRecords(text)[0]
    if (rec === undefined) throw new Error('no record')
    expect(section(rec, 'I')).toBe('g=an+attack')
    const j = parsePartJ(section(rec, 'J') ?? '')
    expect(j.files).toEqual([
      { index: 1, size: 18, name: 'evil.php', contentType: 'application/x-php', stored: key + '/file-1' },
    ])
    const file = await (await bucket()).get(key + '/file-1')
    expect(await file?.text()).toBe('<?php attack(); ?>')
    expect(file?.customMetadata).toMatchObject({ kind: 'file', id, filename: 'evil.php', record: key })
  })
})

describe('SecAuditEngine On', () => {
  it('every request produces one record, benign ones too', async () => {
    const paths = ['/on-a?q=1', '/on-b', '/on-c?x=attack']
    const statuses: number[] = []
    for (const p of paths) statuses.push((await send('all.test', p)).status)
    expect(statuses).toEqual([200, 200, 403])
    await settle('all.test')
    const objs = await allObjects()
    for (const p of paths) expect(objs.filter((o) => o.customMetadata?.uri === p).length, p).toBe(1)
    const benign = objs.find((o) => o.customMetadata?.uri === '/on-b')
    expect(benign?.customMetadata).toMatchObject({ status: '200', rules: '', intercepted: '0' })
  })
})

describe('SecAuditLogFormat JSON', () => {
  it('the record is JSON and validates against the committed schema', async () => {
    const r = await send('json.test', '/j?x=attack')
    const id = uniqueIdOf(r.body)
    const { text, meta } = await record(id)
    expect(meta.format).toBe('JSON')
    const doc = JSON.parse(text) as {
      transaction: { transaction_id: string }
      audit_data: { messages: string[] }
    }
    expect(validate(SCHEMA as Schema, doc)).toEqual([])
    expect(doc.transaction.transaction_id).toBe(id)
    expect(doc.audit_data.messages[0]).toMatch(
      /^Access denied with code 403 \(phase 2\)\. String match "attack" at ARGS:x\./,
    )
  })
})

describe('ops endpoint', () => {
  it('GET /.waf/audit/<id> returns the record (token required); the listing filters by status and rule', async () => {
    const r = await send('relevant.test', '/ops-probe?x=attack')
    const id = uniqueIdOf(r.body)
    const { text } = await record(id)
    const unauth = await send('relevant.test', `/.waf/audit/${id}`)
    expect(unauth.status).toBe(401)
    const auth: [string, string][] = [['Authorization', `Bearer ${TOKEN}`]]
    const got = await send('relevant.test', `/.waf/audit/${id}`, { headers: auth })
    expect(got.status).toBe(200)
    expect(got.body).toBe(text)
    expect(got.headers.find((h) => h[0].toLowerCase() === 'x-audit-key')?.[1]).toBe(keyForId(id))
    const missing = await send('relevant.test', `/.waf/audit/${id.slice(0, 6)}AAAAAAAAAAAAAAAAAAAAA`, {
      headers: auth,
    })
    expect(missing.status).toBe(404)
    const list = await send('relevant.test', '/.waf/audit?since=1h&status=4xx&rule=1001&limit=1000', {
      headers: auth,
    })
    expect(list.status).toBe(200)
    const ids = (JSON.parse(list.body) as { records: { metadata: Record<string, string> }[] }).records.map(
      (x) => x.metadata.id,
    )
    expect(ids).toContain(id)
    const none = await send('relevant.test', '/.waf/audit?since=1h&rule=999999', { headers: auth })
    expect((JSON.parse(none.body) as { records: unknown[] }).records).toEqual([])
  })
})

describe('an R2 binding that fails (test double)', () => {
  it('leaves the response unchanged, retries, and logs the failure with the unique id', async () => {
    const ok = await send('relevant.test', '/same?x=attack')
    const failed = await send('failing.test', '/same?x=attack')
    expect(failed.status).toBe(ok.status)
    const id = uniqueIdOf(failed.body)
    expect(failed.body).toBe(ok.body.replace(uniqueIdOf(ok.body), id))
    expect(
      header({ status: 0, reason: '', headers: failed.headers, body: Buffer.alloc(0) }, 'content-type'),
    ).toBe('text/html; charset=utf-8')
    const line = await w.waitForLog(
      (l) => l.includes('audit record not written to R2') && l.includes(`[unique_id "${id}"]`),
    )
    expect(line).toContain('after 4 attempts')
    expect(line).toContain('R2 unavailable (test double)')
    // the alert line of the same transaction carries the id too
    await w.waitForLog((l) => l.includes('ModSecurity: Access denied') && l.includes(`[unique_id "${id}"]`))
    const puts = await send('failing.test', '/__puts')
    expect(Number(puts.body)).toBe(4)
    // benign traffic through the failing binding is unaffected (and writes nothing)
    const benign = await send('failing.test', '/fine?a=1')
    expect(benign.status).toBe(200)
    expect(benign.body).toBe('origin ok\n')
  })
})
