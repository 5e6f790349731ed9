// Records which rule ids real ModSecurity 2.9.7 (Apache 2.4 + Debian's libapache2-mod-security2)
// logs for the four bench requests, with the bench's configuration, and writes
// test/bench/modsec-fired.json. Not part of CI (it needs Apache); the JSON is committed.
//
//   node --import tsx test/bench/record-modsec.mjs [--crs ../shared/crs] [--port 18170] [--pl 1,2,3,4]
//
// Configuration, the same as the bench (test/bench/setup.ts):
//   rules/engine.conf (SecRuleEngine On, request/response body access, JSON body processor for
//   application/json via rule 200001, ...), then SecAuditEngine Off (the recorder has no audit
//   log), rules/crs-setup.conf, the setup SecAction 900000 with tx.blocking_paranoia_level and
//   tx.detection_paranoia_level = PL, then CRS rules/*.conf.
// Requests: test/bench/requests (the headers as listed, Content-Length added to a body, as wrk
//   sends them; no Connection header: Apache closes after the client's end of stream).
// Origin: Apache answers every request with 200 and the bench's page (test/bench/setup.ts
//   RESPONSE_BODY) as text/html, so phases 3-4 see what the bench gives the engine.
// "Fired" = the ids of the error-log lines of this transaction (rules that log), in log order.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startModsec } from '../tools/modsec/recorder.mjs'
import { benchModsecRules, cgiOrigin, crsDirOption, opt } from './modsec-bench.ts'
import { RESPONSE_BODY, ROOT as root } from './setup.ts'

const here = dirname(fileURLToPath(import.meta.url))
const crsDir = crsDirOption()
const port = Number(opt('--port', '18170'))
const pls = opt('--pl', '1,2,3,4').split(',').map(Number)

const spec = JSON.parse(readFileSync(join(here, 'requests/requests.json'), 'utf8'))
const cases = ['get', 'form', 'json', 'sqli']

function rawRequest(r) {
  const body =
    r.body_file === undefined ? undefined : readFileSync(join(here, 'requests', r.body_file), 'latin1')
  const lines = [`${r.method} ${r.path} HTTP/1.1`]
  for (const [n, v] of r.headers) lines.push(`${n}: ${v}`)
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body, 'latin1')}`)
  return lines.join('\r\n') + '\r\n\r\n' + (body ?? '')
}

// The origin: every path and method answered with 200 and the bench's page.
const { dir: cgiDir, extraConfig } = cgiOrigin(
  'bench-origin-',
  (dir) =>
    'cat > /dev/null\n' +
    `printf 'Content-Type: text/html\\r\\nContent-Length: ${RESPONSE_BODY.length}\\r\\n\\r\\n'\n` +
    `cat ${join(dir, 'page.html')}\n`,
)
writeFileSync(join(cgiDir, 'page.html'), RESPONSE_BODY)

async function recordPl(pl) {
  const ms = await startModsec({ rules: benchModsecRules(crsDir, pl), port, extraConfig })
  const out = {}
  const statuses = {}
  try {
    for (const c of cases) {
      const res = await ms.send(rawRequest(spec.requests[c]))
      out[c] = res.alerts.map((a) => Number(a.id)).filter((id) => Number.isFinite(id))
      statuses[c] = res.status
      const other = res.logLines.filter((l) => !l.includes('ModSecurity: ') || !/\[id "/.test(l))
      if (other.length > 0) process.stderr.write(`PL${pl} ${c}: other log lines:\n  ${other.join('\n  ')}\n`)
    }
  } finally {
    await ms.stop()
  }
  return { fired: out, status: statuses }
}

const result = {
  recordedWith:
    'ModSecurity 2.9.7 (Debian libapache2-mod-security2) in Apache 2.4 via test/tools/modsec/recorder.mjs; ' +
    'test/bench/record-modsec.mjs (configuration and requests as in test/bench/setup.ts)',
  crs: 'OWASP CRS 4.28.0 from ' + relative(root, crsDir),
  note: 'ids of the rules ModSecurity logged (error log), in log order, per request; status = what Apache answered',
}
for (const pl of pls) {
  const r = await recordPl(pl)
  result['pl' + pl] = r.fired
  result['pl' + pl + 'Status'] = r.status
  process.stdout.write(`PL${pl}: ${JSON.stringify(r.fired)} ${JSON.stringify(r.status)}\n`)
}
writeFileSync(join(here, 'modsec-fired.json'), JSON.stringify(result, null, 1) + '\n')
