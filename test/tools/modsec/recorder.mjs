// Runs a private Apache 2.4 + mod_security2 (ModSecurity 2.9.7, Debian's
// libapache2-mod-security2) on 127.0.0.1 and records what ModSecurity reports for raw HTTP
// requests. Used to record test vectors from the reference implementation; never used by the
// product itself.
//
//   import { startModsec } from './recorder.mjs'
//   const ms = await startModsec({ rules: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,log"', port: 18080 })
//   const r = await ms.send('GET /?x=a HTTP/1.1\r\nHost: localhost\r\n\r\n')  // string (latin1) or Buffer
//   r.status        // HTTP status from Apache
//   r.alerts        // [{ id, msg, data, matchMsg, raw, ... }] parsed from the error log
//   await ms.stop()
//
// Each instance has its own ServerRoot under $TMPDIR; give each concurrent user its own port.
// Requires: apt-get install -y apache2 libapache2-mod-security2
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import net from 'node:net'

const MOD = '/usr/lib/apache2/modules'

/** Parse one ModSecurity error-log line into its bracketed fields. */
export function parseAlertLine(line) {
  const fields = {}
  const tags = []
  // [name "value"] with \" escapes inside the value
  const re = /\[(\w+) "((?:[^"\\]|\\.)*)"\]/g
  let m
  while ((m = re.exec(line)) !== null) {
    const name = m[1]
    const value = m[2]
    if (name === 'tag') tags.push(value)
    else if (!(name in fields)) fields[name] = value
  }
  const msgStart = line.indexOf('ModSecurity: ')
  let matchMsg = ''
  if (msgStart >= 0) {
    const rest = line.slice(msgStart + 'ModSecurity: '.length)
    const cut = rest.indexOf(' [file "')
    matchMsg = cut >= 0 ? rest.slice(0, cut) : rest
  }
  return { ...fields, tags, matchMsg, raw: line }
}

export async function startModsec({ rules, port, extraConfig = '', bodyAccess = true }) {
  if (!existsSync(join(MOD, 'mod_security2.so'))) {
    throw new Error('mod_security2 is not installed: apt-get install -y apache2 libapache2-mod-security2')
  }
  const root = mkdtempSync(join(tmpdir(), 'modsec-rec-'))
  mkdirSync(join(root, 'htdocs'))
  mkdirSync(join(root, 'data'))
  writeFileSync(join(root, 'htdocs', 'index.html'), 'ok\n')
  writeFileSync(join(root, 'rules.conf'), rules)
  const conf = `
ServerRoot ${root}
ServerName localhost
Listen 127.0.0.1:${port}
PidFile ${root}/httpd.pid
ErrorLog ${root}/error.log
LogLevel warn
LoadModule mpm_event_module ${MOD}/mod_mpm_event.so
LoadModule authz_core_module ${MOD}/mod_authz_core.so
LoadModule unique_id_module ${MOD}/mod_unique_id.so
LoadModule security2_module ${MOD}/mod_security2.so
StartServers 1
ServerLimit 1
ThreadsPerChild 4
MaxRequestWorkers 4
DocumentRoot ${root}/htdocs
<Directory ${root}/htdocs>
  Require all granted
</Directory>
SecRuleEngine On
SecRequestBodyAccess ${bodyAccess ? 'On' : 'Off'}
SecDataDir ${root}/data
SecTmpDir ${root}/data
SecAuditEngine Off
SecDebugLogLevel 0
${extraConfig}
Include ${root}/rules.conf
`
  writeFileSync(join(root, 'httpd.conf'), conf)
  const r = spawnSync('apache2', ['-d', root, '-f', join(root, 'httpd.conf'), '-k', 'start'], {
    encoding: 'utf8',
    env: { ...process.env, APACHE_RUN_USER: 'root', APACHE_RUN_GROUP: 'root' },
  })
  if (r.status !== 0) {
    throw new Error(`apache2 failed to start: ${r.stderr || r.stdout}\n${safeRead(join(root, 'error.log'))}`)
  }
  await waitForPort(port)
  const logPath = join(root, 'error.log')
  let logOffset = 0

  function readNewLog() {
    if (!existsSync(logPath)) return []
    const size = statSync(logPath).size
    if (size <= logOffset) return []
    const buf = readFileSync(logPath)
    const text = buf.subarray(logOffset).toString('latin1')
    logOffset = buf.length
    return text.split('\n').filter((l) => l.length > 0)
  }
  readNewLog() // skip start-up lines

  async function send(request) {
    const payload = typeof request === 'string' ? Buffer.from(request, 'latin1') : request
    const response = await rawExchange(port, payload)
    // the error log is written before the response completes, but give the fs a moment
    await new Promise((res) => setTimeout(res, 15))
    const lines = readNewLog()
    const alerts = lines.filter((l) => l.includes('ModSecurity: ')).map(parseAlertLine)
    const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(response.toString('latin1'))
    return { status: statusMatch ? Number(statusMatch[1]) : 0, alerts, logLines: lines, response }
  }

  async function stop() {
    spawnSync('apache2', ['-d', root, '-f', join(root, 'httpd.conf'), '-k', 'stop'], {
      env: { ...process.env, APACHE_RUN_USER: 'root', APACHE_RUN_GROUP: 'root' },
    })
    for (let i = 0; i < 50 && existsSync(join(root, 'httpd.pid')); i++) {
      await new Promise((res) => setTimeout(res, 50))
    }
  }

  // newLogLines: the error-log lines written since the last send() or newLogLines() (for callers
  // that talk to the port themselves, e.g. test/bench/record-modsec-worst.mjs)
  return { send, stop, root, logPath, newLogLines: readNewLog }
}

function safeRead(p) {
  try {
    return readFileSync(p, 'utf8')
  } catch {
    return ''
  }
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((res) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy()
        res(true)
      })
      s.on('error', () => res(false))
    })
    if (ok) return
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`apache2 did not listen on ${port}`)
}

/** Send raw bytes, read until the server closes (we send Connection: close when absent). */
function rawExchange(port, payload) {
  return new Promise((resolve, reject) => {
    const chunks = []
    const s = net.connect(port, '127.0.0.1', () => s.end(payload))
    s.setTimeout(10000, () => {
      s.destroy()
      resolve(Buffer.concat(chunks))
    })
    s.on('data', (c) => chunks.push(c))
    s.on('end', () => resolve(Buffer.concat(chunks)))
    s.on('error', (e) => (chunks.length ? resolve(Buffer.concat(chunks)) : reject(e)))
  })
}

/** Build a raw HTTP/1.1 request (latin1 string) that closes the connection. */
export function buildRequest({ method = 'GET', uri = '/', headers = [], body }) {
  const lines = [`${method} ${uri} HTTP/1.1`]
  const names = headers.map(([n]) => n.toLowerCase())
  if (!names.includes('host')) lines.push('Host: localhost')
  for (const [n, v] of headers) lines.push(`${n}: ${v}`)
  if (body !== undefined && !names.includes('content-length'))
    lines.push(`Content-Length: ${Buffer.byteLength(body, 'latin1')}`)
  lines.push('Connection: close')
  return lines.join('\r\n') + '\r\n\r\n' + (body ?? '')
}
