// Records @rbl vectors from the reference implementation (ModSecurity 2.9.7, Apache +
// mod_security2, see recorder.mjs) into test/vectors/operators/rbl.json.
//
//   node test/tools/modsec/record-rbl.mjs        (needs root: see "Answers" below)
//
// Method. Each group is one rule
//   SecRule ARGS:cN "@rbl <zone>" "id:N,phase:2,pass,log,t:none[,capture],logdata:'%{tx.0}|...|%{tx.9}'"
// with TX.0..TX.9 preset to "stale" by a phase-1 SecAction, and each input is sent alone as a
// urlencoded POST body `cN=<every byte percent-encoded>` (the value reaches the operator byte for
// byte). The alert line gives `match` and `message`; logdata gives TX.0..TX.9 after the rule
// (`tx`, "" = unset). SecDebugLogLevel 5 gives the name v2 looked up when the lookup failed
// ("RBL lookup of <name> failed at <var>.", recorded as `name`); for a match the name is in the
// message. Operator errors (v2 returns -1: "Rule processing failed") are recorded as `error`.
//
// Answers. The machine has no DNS. v2 resolves with getaddrinfo(), which reads /etc/hosts first,
// so Apache runs in a private mount namespace (unshare -m) where a hosts file with the group's
// `hosts` table (name -> IPv4 answers, in order) is bind-mounted over /etc/hosts; nothing outside
// that namespace sees it. A name absent from the table does not resolve (NXDOMAIN for the engine).
// The vectors keep the table, so the engine's test plays the same answers through its resolver.
//
// Ports: 18160-18169 only (team rule). All strings are binary strings (one char per byte).
import { startModsec } from './recorder.mjs'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execSync } from 'node:child_process'

const HERE = dirname(fileURLToPath(import.meta.url))
const OUT = join(HERE, '..', '..', 'vectors', 'operators', 'rbl.json')
const PORT = 18160
const KEY = 'abcdefghijkl'

/** 127.0.0.n */
const lo = (n) => `127.0.0.${n}`

const GROUPS = [
  {
    zone: 'rbl.test',
    capture: true,
    hosts: {
      '4.3.2.1.rbl.test': [lo(2)],
      '256.3.2.1.rbl.test': [lo(2)],
      'example.com.rbl.test': [lo(3)],
      'EXAMPLE.com.rbl.test': [lo(3)],
      'a.rbl.test': [lo(4)],
      'x"y.rbl.test': [lo(5)],
    },
    inputs: [
      '1.2.3.4',
      '5.6.7.8',
      '01.002.3.4',
      ' 1.2.3.4',
      '\t1.2.3.4',
      '1.2.3.4.5',
      '1.2.3.4x',
      '1. 2.3.4',
      '1 .2.3.4',
      '+1.2.3.4',
      '-1.2.3.4',
      '1.2.3.256',
      '4294967297.2.3.4',
      '99999999999999999999.2.3.4',
      '1.2.3',
      'example.com',
      'EXAMPLE.com',
      '2001:db8::1',
      '::ffff:1.2.3.4',
      '',
      '1.2.3.4\x00junk',
      'a\x00b',
      'a',
      'x"y',
      'a b',
    ],
  },
  { zone: 'rbl.test', hosts: { '4.3.2.1.rbl.test': [lo(2)] }, inputs: ['1.2.3.4', '5.6.7.8'] },
  {
    zone: 'zen.spamhaus.org',
    capture: true,
    hosts: {
      '1.0.0.10.zen.spamhaus.org': [lo(2)],
      '2.0.0.10.zen.spamhaus.org': [lo(3)],
      '3.0.0.10.zen.spamhaus.org': [lo(4)],
      '4.0.0.10.zen.spamhaus.org': [lo(7)],
      '5.0.0.10.zen.spamhaus.org': [lo(9)],
      '6.0.0.10.zen.spamhaus.org': [lo(10)],
      '7.0.0.10.zen.spamhaus.org': [lo(11)],
      '8.0.0.10.zen.spamhaus.org': ['127.4.0.2'],
      '9.0.0.10.zen.spamhaus.org': [lo(1)],
      '10.0.0.10.zen.spamhaus.org': ['127.255.255.254'],
      '11.0.0.10.zen.spamhaus.org': [lo(4), lo(2)],
      'example.com.zen.spamhaus.org': [lo(2)],
    },
    inputs: [
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
      '10.0.0.4',
      '10.0.0.5',
      '10.0.0.6',
      '10.0.0.7',
      '10.0.0.8',
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.11',
      '10.0.0.12',
      'example.com',
    ],
  },
  {
    zone: 'multi.uribl.com',
    capture: true,
    hosts: {
      '1.0.0.10.multi.uribl.com': [lo(2)],
      '2.0.0.10.multi.uribl.com': [lo(4)],
      '3.0.0.10.multi.uribl.com': [lo(8)],
      '4.0.0.10.multi.uribl.com': [lo(14)],
      '5.0.0.10.multi.uribl.com': [lo(255)],
      '6.0.0.10.multi.uribl.com': [lo(1)],
      '7.0.0.10.multi.uribl.com': [lo(3)],
      'example.com.multi.uribl.com': [lo(2)],
    },
    inputs: [
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
      '10.0.0.4',
      '10.0.0.5',
      '10.0.0.6',
      '10.0.0.7',
      '10.0.0.8',
      'example.com',
    ],
  },
  {
    zone: 'dnsbl.httpbl.org',
    capture: true,
    httpBlKey: null,
    hosts: {
      'example.com.dnsbl.httpbl.org': ['127.3.40.1'],
      [`${KEY}.4.3.2.1.dnsbl.httpbl.org`]: ['127.3.40.1'],
    },
    inputs: ['1.2.3.4', 'example.com', '2001:db8::1'],
  },
  {
    zone: 'dnsbl.httpbl.org',
    capture: true,
    httpBlKey: KEY,
    hosts: {
      [`${KEY}.1.0.0.10.dnsbl.httpbl.org`]: ['127.5.20.0'],
      [`${KEY}.2.0.0.10.dnsbl.httpbl.org`]: ['127.1.2.1'],
      [`${KEY}.3.0.0.10.dnsbl.httpbl.org`]: ['127.30.255.2'],
      [`${KEY}.4.0.0.10.dnsbl.httpbl.org`]: ['127.0.7.3'],
      [`${KEY}.5.0.0.10.dnsbl.httpbl.org`]: ['127.10.50.4'],
      [`${KEY}.6.0.0.10.dnsbl.httpbl.org`]: ['127.2.3.5'],
      [`${KEY}.7.0.0.10.dnsbl.httpbl.org`]: ['127.2.3.6'],
      [`${KEY}.8.0.0.10.dnsbl.httpbl.org`]: ['127.2.3.7'],
      [`${KEY}.9.0.0.10.dnsbl.httpbl.org`]: ['127.2.3.8'],
      [`${KEY}.10.0.0.10.dnsbl.httpbl.org`]: ['10.1.2.3'],
      [`${KEY}.11.0.0.10.dnsbl.httpbl.org`]: ['127.255.255.254'],
      'example.com.dnsbl.httpbl.org': ['127.3.40.1'],
    },
    inputs: [
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
      '10.0.0.4',
      '10.0.0.5',
      '10.0.0.6',
      '10.0.0.7',
      '10.0.0.8',
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.11',
      '10.0.0.12',
      'example.com',
    ],
  },
]

// ---------------------------------------------------------------------------------------------

function pct(bin) {
  let out = ''
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i)
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) out += bin[i]
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

const HEX = /^[0-9a-fA-F]{2}$/

/** Remove Apache's error-log escaping (\\ -> \, \xHH -> byte). */
function unApache(s) {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '\\') {
      out += '\\'
      i++
    } else if (s[i] === '\\' && s[i + 1] === 'x' && HEX.test(s.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16))
      i += 3
    } else out += s[i]
  }
  return out
}

/** Remove ModSecurity's log_escape_hex (\xHH -> byte). */
function unHex(s) {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
}

const TX_LOGDATA = Array.from({ length: 10 }, (_, i) => `%{tx.${i}}`).join('|')
const STALE = Array.from({ length: 10 }, (_, i) => `setvar:tx.${i}=stale`).join(',')

function modsecVersion() {
  try {
    return execSync("dpkg-query -W -f='${Version}' libapache2-mod-security2", { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

/** A PATH entry whose `apache2` runs the real one in a mount namespace with $RBL_HOSTS as /etc/hosts. */
function namespacedApache(dir) {
  const real = execSync('command -v apache2', { encoding: 'utf8', shell: '/bin/sh' }).trim()
  const script = join(dir, 'apache2')
  writeFileSync(
    script,
    `#!/bin/sh\nexec unshare -m sh -c 'mount --bind "$RBL_HOSTS" /etc/hosts && exec ${real} "$@"' sh "$@"\n`,
  )
  chmodSync(script, 0o755)
  return dir
}

async function recordGroup(g, id, dir) {
  const hostsFile = join(dir, `hosts-${id}`)
  const lines = ['127.0.0.1 localhost']
  for (const [name, addrs] of Object.entries(g.hosts)) for (const a of addrs) lines.push(`${a} ${name}`)
  writeFileSync(hostsFile, Buffer.from(lines.join('\n') + '\n', 'latin1'))
  process.env.RBL_HOSTS = hostsFile
  const debugLog = join(dir, `debug-${id}.log`)
  const actions = [`id:${id}`, 'phase:2', 'pass', 'log', 't:none']
  if (g.capture) actions.push('capture')
  actions.push(`logdata:'${TX_LOGDATA}'`)
  const rules =
    `SecAction "id:999,phase:1,pass,nolog,${STALE}"\n` +
    `SecRule ARGS:c${id} "@rbl ${g.zone}" "${actions.join(',')}"\n`
  const extraConfig =
    `SecDebugLog ${debugLog}\nSecDebugLogLevel 5\n` + (g.httpBlKey ? `SecHttpBlKey ${g.httpBlKey}\n` : '')
  const ms = await startModsec({ rules: Buffer.from(rules, 'latin1'), port: PORT, extraConfig })
  const cases = []
  try {
    for (const input of g.inputs) {
      const before = existsSync(debugLog) ? readFileSync(debugLog).length : 0
      const body = `c${id}=${pct(input)}`
      const req =
        `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
      const r = await ms.send(req)
      const debug = existsSync(debugLog) ? readFileSync(debugLog).subarray(before).toString('latin1') : ''
      const mine = r.alerts.filter((a) => a.id === String(id))
      if (mine.length > 1) throw new Error(`${g.zone}: ${mine.length} alerts for one input`)
      const c = { input, match: mine.length === 1 }
      if (mine.length === 1) {
        const m = unApache(mine[0].matchMsg)
        if (!m.startsWith('Warning. ')) throw new Error(`unexpected alert text: ${mine[0].raw}`)
        c.message = m.slice('Warning. '.length)
        c.tx = unHex(unApache(mine[0].data ?? '')).split('|')
      }
      const failed = /RBL lookup of (.*) failed at ARGS:c\d+\.\n/.exec(debug)
      if (failed) c.name = failed[1]
      const opError = /Operator error: (.*)\n/.exec(debug)
      if (opError || r.alerts.some((a) => a.matchMsg.startsWith(`Rule processing failed (id=${id},`))) {
        c.error = opError ? opError[1] : 'operator error'
      }
      cases.push(c)
    }
  } finally {
    await ms.stop()
  }
  return {
    arg: g.zone,
    var: `ARGS:c${id}`,
    ...(g.capture ? { capture: true } : {}),
    ...(g.httpBlKey !== undefined ? { httpBlKey: g.httpBlKey } : {}),
    hosts: g.hosts,
    cases,
  }
}

const dir = mkdtempSync(join(tmpdir(), 'rec-rbl-'))
process.env.PATH = namespacedApache(dir) + ':' + process.env.PATH
const groups = []
let id = 1000
for (const g of GROUPS) groups.push(await recordGroup(g, ++id, dir))
const out = {
  operator: 'rbl',
  recorded:
    `ModSecurity ${modsecVersion()} (Debian libapache2-mod-security2, Apache 2.4) by test/tools/modsec/record-rbl.mjs: ` +
    `one rule per group "SecRule ARGS:cN \\"@rbl <zone>\\" \\"id:N,phase:2,pass,log,t:none[,capture]\\"", TX.0..TX.9 ` +
    `preset to "stale"; each input sent percent-encoded in a urlencoded POST body; answers from the group's hosts ` +
    `table (getaddrinfo reads it as /etc/hosts in a private mount namespace; other names do not resolve). ` +
    `match/message from the alert line (Apache log escaping removed), tx = TX.0..TX.9 after the match ("" = unset), ` +
    `name = the name v2 looked up when it failed (debug log level 5), error = v2 operator error (rule aborted). ` +
    `httpBlKey: SecHttpBlKey (null = not set).`,
  groups,
}
writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n')
execSync(`npx prettier --write ${OUT}`, { stdio: 'ignore' })
console.log(
  `rbl: ${groups.reduce((n, g) => n + g.cases.length, 0)} cases in ${groups.length} groups -> ${OUT}`,
)
