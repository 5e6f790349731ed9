/**
 * The workerd behaviours behind platform-overrides.yaml, shown in workerd itself: raw requests
 * go to a plain Worker that only reflects what it was handed (method, URL, headers,
 * request.cf.httpProtocol, body). No WAF code runs here, so each case shows what the runtime
 * does before any Worker code, and that a Worker cannot undo it.
 *
 * Every override entry must name one of these behaviours (`behaviour:`).
 */
import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseOverrides } from '../../../src/cli/ftw/overrides'
import { parseYaml } from '../../../src/cli/ftw/load-tests'
import { COMPATIBILITY_DATE } from '../../workers/harness'
import { rawExchange } from '../../workers/raw-http'
import { PLATFORM_OVERRIDES } from './run-crs-http'

const REFLECT = `export default {
  async fetch(request) {
    const headers = []
    for (const [k, v] of request.headers) headers.push([k, v])
    const body = request.body === null ? null : await request.text()
    return Response.json({ method: request.method, url: request.url, headers, protocol: request.cf?.httpProtocol, body })
  },
}`

interface Reflected {
  method: string
  url: string
  headers: [string, string][]
  protocol: string | undefined
  body: string | null
}

let mf: Miniflare
let port = 0

beforeAll(async () => {
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    cf: false,
    modules: true,
    script: REFLECT,
    compatibilityDate: COMPATIBILITY_DATE,
    // workerd reports each request it refuses on stderr: expected here, so not printed
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume()
      stderr.resume()
    },
  })
  port = Number((await mf.ready).port)
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
})

async function send(wire: string): Promise<{ status: number; reflected?: Reflected }> {
  const r = await rawExchange(port, wire, { timeoutMs: 5000 })
  if (r.response === undefined) throw new Error(`no response: ${r.error}`)
  const res = r.response
  const ct = res.headers.find((h) => h[0].toLowerCase() === 'content-type')?.[1] ?? ''
  return ct.startsWith('application/json')
    ? { status: res.status, reflected: JSON.parse(res.body.toString('utf8')) as Reflected }
    : { status: res.status }
}

const H = 'Host: localhost\r\nConnection: close\r\n'

function headerOf(r: Reflected | undefined, name: string): string | undefined {
  return r?.headers.find((h) => h[0] === name)?.[1]
}

/** Each behaviour named in platform-overrides.yaml, with its demonstration. */
const BEHAVIOURS: Record<string, () => Promise<void>> = {
  'unknown-method-501': async () => {
    for (const line of [
      'TEST /test HTTP/1.1',
      'FOO /foo HTTP/1.1',
      'REALLYLONGUNREALMETHOD / HTTP/1.1',
      '     GET /get HTTP/1.1',
      '\tGET /get HTTP/1.1',
      '|GET /get HTTP/1.1',
    ]) {
      const r = await send(`${line}\r\n${H}\r\n`)
      expect(r.status, line).toBe(501)
      expect(r.reflected, line).toBeUndefined()
    }
    // a known method reaches the Worker
    expect((await send(`PATCH / HTTP/1.1\r\n${H}\r\n`)).reflected?.method).toBe('PATCH')
  },
  'connect-500': async () => {
    for (const line of ['CONNECT 1.2.3.4:80 HTTP/1.1', 'CONNECT www.coreruleset.org HTTP/1.1']) {
      const r = await send(`${line}\r\n${H}\r\n`)
      expect(r.status, line).toBe(500)
      expect(r.reflected).toBeUndefined()
    }
  },
  'non-origin-target-500': async () => {
    for (const line of ['GET \\ HTTP/1.1', 'GET \\index.html HTTP\\1.0', 'GET http://localhost HTTP/1.1']) {
      const r = await send(`${line}\r\n${H}\r\n`)
      expect(r.status, line).toBe(500)
      expect(r.reflected).toBeUndefined()
    }
  },
  'invalid-content-length-500': async () => {
    for (const cl of ['NotDigits', '123x', '3;']) {
      const r = await send(`POST / HTTP/1.1\r\n${H}Content-Length: ${cl}\r\n\r\nabc`)
      expect(r.status, cl).toBe(500)
      expect(r.reflected).toBeUndefined()
    }
  },
  'invalid-host-500': async () => {
    for (const host of ['localhost%00', 'localhost%1F']) {
      const r = await send(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
      expect(r.status, host).toBe(500)
      expect(r.reflected).toBeUndefined()
    }
  },
  'host-required-400': async () => {
    expect((await send('GET / HTTP/1.0\r\nConnection: close\r\n\r\n')).status).toBe(400)
    expect((await send('GET / HTTP/1.0\r\nHost:\r\n\r\n')).status).toBe(400)
  },
  'version-not-visible': async () => {
    for (const version of ['HTTP/0.9', '1.1', 'TEST', 'HTTP/4.0', 'HTTP/0.8', 'JUNK/1.0', 'HTTP/2.0', '']) {
      const r = await send(`GET / ${version}\r\n${H}\r\n`)
      expect(r.status, version).toBe(200)
      // what the Worker learns about the protocol does not come from the request line
      expect(r.reflected?.protocol, version).toBe('HTTP/1.1')
    }
  },
  'empty-header-dropped': async () => {
    const r = await send(
      `POST / HTTP/1.1\r\n${H}Accept: \r\nUser-Agent: \r\nContent-Type: \r\nContent-Length: 2\r\n\r\nab`,
    )
    expect(r.status).toBe(200)
    for (const name of ['accept', 'user-agent', 'content-type'])
      expect(headerOf(r.reflected, name), name).toBeUndefined()
    expect(r.reflected?.body).toBe('ab')
  },
  'fragment-dropped': async () => {
    expect((await send(`GET /#fragment HTTP/1.1\r\n${H}\r\n`)).reflected?.url).toBe('http://localhost/')
    expect(
      (await send(`GET /get/index.html:80?I=Like&Apples=Today#tag HTTP/1.1\r\n${H}\r\n`)).reflected?.url,
    ).toBe('http://localhost/get/index.html:80?I=Like&Apples=Today')
  },
  'bare-cr-splits-headers': async () => {
    const r = await send(
      `GET / HTTP/1.1\r\n${H}SomeHeader: Headerdata\rInjectedHeader: response_splitting_code\r\n\r\n`,
    )
    expect(r.status).toBe(200)
    expect(headerOf(r.reflected, 'someheader')).toBe('Headerdata')
    expect(headerOf(r.reflected, 'injectedheader')).toBe('response_splitting_code')
  },
  'header-names-lowercase': async () => {
    const r = await send(`GET / HTTP/1.1\r\n${H}Referer: https://example.com/\r\nX-MiXeD-CaSe: 1\r\n\r\n`)
    const names = (r.reflected?.headers ?? []).map((h) => h[0])
    expect(names).toContain('referer')
    expect(names).toContain('x-mixed-case')
    expect(names.every((n) => n === n.toLowerCase())).toBe(true)
  },
  'target-cut-at-space': async () => {
    const r = await send(`GET /get?input=<script a="b">x(1)</script>&// HTTP/1.1\r\n${H}\r\n`)
    expect(r.status).toBe(200)
    expect(r.reflected?.url).toBe('http://localhost/get?input=%3Cscript')
  },
}

/** Further runtime facts the Worker works with (README "What a Worker sees of a request"). */
const FACTS: Record<string, () => Promise<void>> = {
  'dot segments are removed and \\ becomes /': async () => {
    const r = await send(`GET /a/./b/../c\\d?x=/../y HTTP/1.1\r\n${H}\r\n`)
    expect(r.reflected?.url).toBe('http://localhost/a/c/d?x=/../y')
  },
  'repeated headers arrive joined with ", "': async () => {
    const r = await send(`GET / HTTP/1.1\r\n${H}X-Dup: one\r\nX-Dup: two\r\n\r\n`)
    expect(headerOf(r.reflected, 'x-dup')).toBe('one, two')
  },
  'header values arrive UTF-8-decoded, invalid bytes as U+FFFD': async () => {
    const r = await send(`GET / HTTP/1.1\r\n${H}X-Text: caf\xc3\xa9 \xff\r\n\r\n`)
    expect(headerOf(r.reflected, 'x-text')).toBe('caf\u00e9 \ufffd')
  },
}

describe('runtime facts the Worker relies on', () => {
  for (const [name, demo] of Object.entries(FACTS)) it(name, demo)
})

describe('workerd behaviours behind the platform overrides', () => {
  for (const [name, demo] of Object.entries(BEHAVIOURS)) it(name, demo)

  it('every override names a demonstrated behaviour, and every behaviour is used', () => {
    const text = readFileSync(PLATFORM_OVERRIDES, 'utf8')
    parseOverrides(text, PLATFORM_OVERRIDES) // the runner must accept the file
    const doc = parseYaml(text, PLATFORM_OVERRIDES) as unknown as {
      test_overrides: { rule_id: number; behaviour?: string }[]
    }
    const used = new Set<string>()
    for (const e of doc.test_overrides) {
      expect(e.behaviour, `override for ${e.rule_id}`).toBeDefined()
      expect(Object.keys(BEHAVIOURS), `override for ${e.rule_id}`).toContain(e.behaviour)
      used.add(e.behaviour as string)
    }
    expect(Array.from(used).sort()).toEqual(Object.keys(BEHAVIOURS).sort())
  })
})
