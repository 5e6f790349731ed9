#!/usr/bin/env node
// Records engine configuration vectors (test/vectors/engine/*.json: SecRequestBodyNoFilesLimit,
// SecResponseBodyMimeType matching) from the real ModSecurity 2.9.7 (Apache 2.4 +
// mod_security2, see recorder.mjs).
//
//   node test/tools/modsec/record-limits.mjs test/vectors/engine/nofiles-limit.json [more.json ...]
//
// A vector file holds cases written by hand; this tool fills in `expect` (HTTP status and the
// ModSecurity error-log lines, normalised as record-engine.mjs does). Case fields:
//   name, rules (rules.conf), request (raw bytes, latin1)
//   config  ModSecurity directives added to httpd.conf after "SecRuleEngine On /
//           SecRequestBodyAccess On" (the engine tests compile them into the bundle config too)
//   httpd   Apache-only lines (LoadModule, ForceType...) the engine tests ignore
//   origin  { status, headers: [[name, value]], body }: a local HTTP server answers with exactly
//           this response, Apache proxies /proxied/ to it (mod_proxy_http hands the origin's
//           Content-Type to ModSecurity as sent); the engine tests give phase 3/4 the same response
// Apache listens on 18200 and the origin on 18201 (this tool's assigned range is 18200-18209);
// override with RECORD_PORT (origin = RECORD_PORT + 1).
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { startModsec } from './recorder.mjs'
import { normaliseAlert } from './record-engine.mjs'

const PORT = Number(process.env.RECORD_PORT ?? 18200)
const ORIGIN_PORT = PORT + 1
const MOD = '/usr/lib/apache2/modules'

/** An origin answering every request with `spec` (headers written byte for byte). */
async function startOrigin(spec) {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const body = Buffer.from(spec.body ?? '', 'latin1')
      const raw = [`HTTP/1.1 ${spec.status ?? 200} X`]
      for (const [n, v] of spec.headers ?? []) raw.push(`${n}: ${v}`)
      raw.push(`Content-Length: ${body.length}`, 'Connection: close', '', '')
      res.socket.end(Buffer.concat([Buffer.from(raw.join('\r\n'), 'latin1'), body]))
    })
  })
  await new Promise((ok) => server.listen(ORIGIN_PORT, '127.0.0.1', ok))
  return server
}

function proxyConfig() {
  return [
    `LoadModule proxy_module ${MOD}/mod_proxy.so`,
    `LoadModule proxy_http_module ${MOD}/mod_proxy_http.so`,
    `ProxyPass /proxied/ http://127.0.0.1:${ORIGIN_PORT}/`,
  ].join('\n')
}

/** the previous case's Apache may still hold the port for a moment after stop() */
async function startWithRetry(opts) {
  for (let i = 0; ; i++) {
    try {
      return await startModsec(opts)
    } catch (e) {
      if (i >= 20 || !String(e).includes('Address already in use')) throw e
      await new Promise((ok) => setTimeout(ok, 250))
    }
  }
}

async function recordCase(c) {
  const extra = [c.httpd ?? '', c.origin !== undefined ? proxyConfig() : '', c.config ?? ''].join('\n')
  const origin = c.origin !== undefined ? await startOrigin(c.origin) : undefined
  const ms = await startWithRetry({ rules: c.rules + '\n', port: PORT, extraConfig: extra })
  try {
    const r = await ms.send(c.request)
    const alerts = []
    for (const line of r.logLines) {
      const a = normaliseAlert(line, ms.root)
      if (a !== undefined) alerts.push(a)
    }
    return { status: r.status, alerts }
  } finally {
    await ms.stop()
    if (origin !== undefined) await new Promise((ok) => origin.close(ok))
  }
}

async function main() {
  const files = process.argv.slice(2)
  if (files.length === 0) {
    console.error('usage: record-limits.mjs <vector.json>...')
    process.exit(2)
  }
  for (const f of files) {
    const doc = JSON.parse(readFileSync(f, 'utf8'))
    for (const c of doc.cases) {
      c.expect = await recordCase(c)
      process.stdout.write(`${f}: ${c.name}: ${c.expect.status}, ${c.expect.alerts.length} line(s)\n`)
    }
    doc.recorded = `ModSecurity 2.9.7 (Apache 2.4, Debian libapache2-mod-security2) via test/tools/modsec/record-limits.mjs, ${new Date().toISOString().slice(0, 10)}`
    writeFileSync(f, JSON.stringify(doc, null, 2) + '\n')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
