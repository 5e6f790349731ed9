// Records what real ModSecurity 2.9.7 (Apache 2.4 + Debian's libapache2-mod-security2) does with
// every request of the worst-case corpus (test/bench/worst.ts: syntheticCases() + redosCases()) at
// PL1 and PL4, with the bench's configuration, and writes test/bench/modsec-worst-fired.json.
// Not part of CI (it needs Apache); the JSON is committed and compared by worst-fired.test.ts.
//
//   node --import tsx test/bench/record-modsec-worst.mjs [--crs ../shared/crs] [--port 18300]
//        [--pl 1,4] [--timeout-ms 20000] [--out FILE]
//        and, to look at a part: [--from I] [--to J] [--limit N] [--grep TEXT]
//
// Configuration: exactly record-modsec.mjs's (the bench's, test/bench/setup.ts): rules/engine.conf
//   (so SecPcreMatchLimit 100000, SecPcreMatchLimitRecursion left at ModSecurity's default), then
//   SecAuditEngine Off, rules/crs-setup.conf, the PL SecAction 900000 (plSetupAction), CRS
//   rules/*.conf. Apache's own limits are its defaults (LimitRequestLine 8190,
//   LimitRequestFieldSize 8190, AllowEncodedSlashes Off).
// Requests: the bytes worst.ts gives the engine: request line, the headers as listed (a body has
//   Content-Length, as in toBenchRequest), no Connection header (Apache closes after the client's
//   end of stream), the body.
// Origin: a CGI script answering every path and method with 200 text/html: the bench's page
//   (RESPONSE_BODY), or the request's responseBody for the "as the response body" cases (the
//   page file is rewritten before each request; requests are sent one at a time).
//
// Per request and PL the JSON holds:
//   fired       ids of the alert lines of this transaction (error-log lines "ModSecurity: ..."
//               with [id], not counting the "Execution error - PCRE limits exceeded" lines), in
//               log order; null for an alert line Apache cut (its error-log lines end at 8 KB)
//               before [id] (a long ARGS_NAMES name in the message), then truncatedLog: true;
//   status      what Apache answered;
//   pcreLimit   true when ModSecurity logged "Execution error - PCRE limits exceeded" (it then sets
//               TX:MSC_PCRE_LIMITS_EXCEEDED and counts the evaluation as "no match") or
//               "Regex execution failed" in this transaction; pcreRules: the rule ids it named;
//   apacheRejected  true when the status is not 200 and no ModSecurity line says
//               "Access denied with code <status>": Apache refused the request itself (414 for a
//               request line over LimitRequestLine, 400 for a header over LimitRequestFieldSize,
//               404 for %2F / %00 in the path, ...), before or between ModSecurity's phases;
//               (ModSecurity's own 413 for a body over SecRequestBodyNoFilesLimit, logged without an
//               id, is not a rejection by Apache);
//   apacheLog   the other error-log lines of the request (Apache's AHnnnnn, ModSecurity lines
//               without an id), when any;
//   timeout     ModSecurity did not answer within --timeout-ms (default 20 s): status 0, fired = the
//               lines logged until then; excluded from the comparison like pcreLimit;
//   wallMs      ModSecurity's wall time when over 2 s;
//   sha256      of the request bytes and the origin's body (worst-fired.test.ts checks it: a changed corpus needs a
//               new recording).
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import net from 'node:net'
import { join, relative, resolve } from 'node:path'
import { startModsec } from '../tools/modsec/recorder.mjs'
import { benchModsecRules, cgiOrigin, crsDirOption, opt } from './modsec-bench.ts'
import { RESPONSE_BODY, ROOT as root } from './setup.ts'
import { redosCases, syntheticCases } from './worst.ts'
import { rawWorstRequest, rawWorstSha256, worstKeys } from './worst-raw.ts'

const crsDir = crsDirOption()
const port = Number(opt('--port', '18300'))
if (port < 18300 || port > 18310) throw new Error('use a port in 18300-18310')
const pls = opt('--pl', '1,4').split(',').map(Number)
const limit = Number(opt('--limit', 'Infinity'))
const grep = opt('--grep', '')
const from = Number(opt('--from', '0'))
const to = Number(opt('--to', 'Infinity'))
const outFile = resolve(root, opt('--out', 'test/bench/modsec-worst-fired.json'))

const cases = [...syntheticCases(), ...redosCases()]
const keys = worstKeys(cases)
const selected = []
for (let i = from; i < Math.min(cases.length, to) && selected.length < limit; i++) {
  if (grep === '' || keys[i].includes(grep)) selected.push(i)
}

// The origin: a CGI script printing head.txt then page.html (set per request).
const { dir: cgiDir, extraConfig } = cgiOrigin(
  'worst-origin-',
  (dir) => `cat > /dev/null\ncat ${join(dir, 'head.txt')}\ncat ${join(dir, 'page.html')}\n`,
)
const headFile = join(cgiDir, 'head.txt')
const pageFile = join(cgiDir, 'page.html')
function setPage(body) {
  const bytes = Buffer.from(body, 'latin1')
  writeFileSync(headFile, `Content-Type: text/html\r\nContent-Length: ${bytes.length}\r\n\r\n`)
  writeFileSync(pageFile, bytes)
}

const BODY_LIMIT = /ModSecurity: Request body .*larger than the configured limit/
const ALERT = /ModSecurity: (Warning\.|Access denied)/
const PCRE_LIMIT = /Execution error - PCRE limits exceeded|Regex execution failed/

// The recorder's send() gives up after 10 s and takes every new log line. Here: only the log lines
// of this connection ([client 127.0.0.1:<our source port>]), and a request ModSecurity has not
// answered after TIMEOUT_MS is recorded as a timeout (some inputs keep PCRE2's JIT busy for
// minutes despite SecPcreMatchLimit); the Apache instance is then replaced, so that the busy
// worker thread neither eats a core nor delays the next requests.
const TIMEOUT_MS = Number(opt('--timeout-ms', '20000'))
async function exchange(ms, payload) {
  ms.newLogLines()
  const t0 = Date.now()
  const { response, localPort, timedOut } = await new Promise((res, rej) => {
    const chunks = []
    const s = net.connect(port, '127.0.0.1', () => s.end(payload))
    let localPort = 0
    s.on('connect', () => (localPort = s.localPort))
    s.setTimeout(TIMEOUT_MS, () => {
      s.destroy()
      res({ response: Buffer.concat(chunks), localPort, timedOut: true })
    })
    s.on('data', (c) => chunks.push(c))
    s.on('end', () => res({ response: Buffer.concat(chunks), localPort }))
    s.on('error', (e) => (chunks.length ? res({ response: Buffer.concat(chunks), localPort }) : rej(e)))
  })
  await new Promise((r) => setTimeout(r, 15))
  const mark = `[client 127.0.0.1:${localPort}]`
  const logLines = ms.newLogLines().filter((l) => l.includes(mark))
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(response.toString('latin1'))
  return { status: m ? Number(m[1]) : 0, logLines, timedOut: timedOut === true, ms: Date.now() - t0 }
}

async function restart(ms) {
  await ms.stop()
  // wait until the stopped instance's processes are gone (the parent kills a busy child late)
  for (let k = 0; k < 300; k++) {
    const r = spawnSync('pgrep', ['-f', ms.root])
    if (r.status !== 0) return
    await new Promise((res) => setTimeout(res, 200))
  }
  throw new Error(`the Apache instance in ${ms.root} did not stop`)
}

async function recordPl(pl) {
  const rules = benchModsecRules(crsDir, pl)
  let ms = await startModsec({ rules, port, extraConfig })
  const out = {}
  try {
    let n = 0
    for (const i of selected) {
      const c = cases[i]
      setPage(c.responseBody ?? RESPONSE_BODY)
      const bytes = rawWorstRequest(c)
      const res = await exchange(ms, bytes)
      const fired = []
      const pcreRules = []
      const other = []
      let denied = false
      let truncated = false
      for (const line of res.logLines) {
        if (!line.includes('ModSecurity: ')) {
          other.push(line.replace(/^\[[^\]]*\] /, '').slice(0, 300))
          continue
        }
        const idm = /\[id "(\d+)"\]/.exec(line)
        if (PCRE_LIMIT.test(line)) {
          if (idm) pcreRules.push(Number(idm[1]))
          else pcreRules.push(0)
          continue
        }
        if (line.includes(`Access denied with code ${res.status}`)) denied = true
        // SecRequestBodyLimitAction Reject: ModSecurity's 413, before the phase 2 rules
        if (res.status === 413 && BODY_LIMIT.test(line)) denied = true
        if (idm) fired.push(Number(idm[1]))
        else if (ALERT.test(line)) {
          // Apache cut the line (8 KB) before [id]: a long ARGS_NAMES name in the message
          fired.push(null)
          truncated = true
        } else other.push(line.replace(/^\[[^\]]*\] /, '').slice(0, 300))
      }
      const rec = { fired, status: res.status }
      if (truncated) rec.truncatedLog = true
      if (res.timedOut) {
        rec.timeout = true
        rec.note = `ModSecurity did not answer within ${TIMEOUT_MS} ms (a worker thread was still busy)`
      } else if (res.ms > 2000) rec.wallMs = res.ms
      if (pcreRules.length > 0) {
        rec.pcreLimit = true
        rec.pcreRules = [...new Set(pcreRules)]
      }
      if (res.status !== 200 && !denied && !res.timedOut) rec.apacheRejected = true
      if (other.length > 0) rec.apacheLog = other.slice(0, 4)
      rec.sha256 = rawWorstSha256(c)
      out[keys[i]] = rec
      n++
      if (res.timedOut) {
        process.stderr.write(`PL${pl} ${keys[i]}: timeout, restarting Apache\n`)
        await restart(ms)
        ms = await startModsec({ rules, port, extraConfig })
      }
      if (n % 50 === 0 || selected.length < 50)
        process.stderr.write(`PL${pl} ${n}/${selected.length} ${keys[i]}: ${JSON.stringify(rec)}\n`)
    }
  } finally {
    await restart(ms)
  }
  return out
}

const result = {
  recordedWith:
    'ModSecurity 2.9.7 (Debian libapache2-mod-security2 2.9.7-1+deb12u2, PCRE2) in Apache 2.4 via ' +
    'test/tools/modsec/recorder.mjs; test/bench/record-modsec-worst.mjs (configuration as in ' +
    'test/bench/setup.ts and record-modsec.mjs, requests of test/bench/worst.ts)',
  crs: 'OWASP CRS 4.28.0 from ' + relative(root, crsDir),
  config:
    'rules/engine.conf (SecRuleEngine On, SecPcreMatchLimit 100000, SecPcreMatchLimitRecursion default), ' +
    'SecAuditEngine Off, rules/crs-setup.conf, SecAction 900000 (blocking and detection PL), CRS rules/*.conf; ' +
    'Apache defaults: LimitRequestLine 8190, LimitRequestFieldSize 8190, AllowEncodedSlashes Off',
  pcreMatchLimit: 100000,
  note:
    'per request key (worst.ts name, " #n" for a repeated name): fired = ids of the alert lines in log order ' +
    '(null: a line Apache cut at 8 KB before its [id], truncatedLog) ' +
    '(PCRE-limit lines excluded); status = what Apache answered; pcreLimit = ModSecurity logged ' +
    '"Execution error - PCRE limits exceeded" (pcreRules: ids); apacheRejected = non-200 status that ' +
    'ModSecurity did not give (Apache refused the request itself); timeout = no answer within the time limit; sha256 of the request bytes (and origin body)',
}
for (const pl of pls) {
  const t0 = Date.now()
  result['pl' + pl] = await recordPl(pl)
  const recs = Object.values(result['pl' + pl])
  process.stderr.write(
    `PL${pl}: ${recs.length} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s; ` +
      `pcreLimit ${recs.filter((r) => r.pcreLimit).length}, timeout ${recs.filter((r) => r.timeout).length}, apacheRejected ${recs.filter((r) => r.apacheRejected).length}\n`,
  )
}
writeFileSync(outFile, JSON.stringify(result, null, 1) + '\n')
spawnSync('npx', ['prettier', '--write', outFile], { cwd: root, stdio: 'ignore' }) // the repo's style
process.stderr.write(`wrote ${relative(root, outFile)}\n`)
