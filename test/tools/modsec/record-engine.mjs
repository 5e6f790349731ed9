#!/usr/bin/env node
// Records rule-engine vectors (test/vectors/actions/*.json, test/vectors/variables/*.json) from
// the real ModSecurity 2.9.7 (Apache 2.4 + mod_security2, see recorder.mjs).
//
//   node test/tools/modsec/record-engine.mjs test/vectors/actions/setvar.json [more.json ...]
//
// A vector file holds cases written by hand; this tool fills in what 2.9.7 does:
//   { "name": "...",
//     "rules": "SecRule ...",            // SecLang, as rules.conf (line 1 = first line)
//     "probe": ["ARGS", "&ARGS:x"],       // optional shorthand: one probe rule per target,
//     "probePhase": 2,                    //   expanded into "rules" (see probeRules below)
//     "request": "GET /?a=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",   // raw bytes (latin1)
//     "expect": { "status": 200, "alerts": ["Warning. ... [hostname \"localhost\"] ..."] } }
// Alerts are the ModSecurity part of each error-log line ("Warning. ..." / "Access denied ..."),
// normalised: Apache's second escaping of '\' undone, the rules file path written "rules.conf",
// unique_id written "-". The engine tests compile "rules" with the project compiler, run the
// request and compare formatAlertLine() output with these lines.
// Cases with a "hand" field (the reason) are written by hand and skipped: their expected alerts
// are in "engine" (clock, geolocation or response data the recorder cannot reproduce).
// Runs Apache on port 18140 (this tool's assigned range is 18140-18149).
import { readFileSync, writeFileSync } from 'node:fs'
import { startModsec } from './recorder.mjs'

const PORT = Number(process.env.RECORD_PORT ?? 18140)

/** A probe rule per target: msg = MATCHED_VAR_NAME, logdata = MATCHED_VAR (hex-escaped by v2). */
export function probeRules(targets, phase = 2, firstId = 1) {
  return targets
    .map(
      (t, i) =>
        `SecRule ${t} "@unconditionalMatch" "id:${firstId + i},phase:${phase},pass,log,msg:'%{MATCHED_VAR_NAME}',logdata:'%{MATCHED_VAR}'"`,
    )
    .join('\n')
}

/** Undo Apache's escaping of the error-log message: it doubles backslashes (and writes \xHH for control bytes). */
export function apacheUnescape(s) {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1]
      if (n === '\\') {
        out += '\\'
        i++
        continue
      }
      if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16))
        i += 3
        continue
      }
    }
    out += c
  }
  return out
}

export function normaliseAlert(rawLine, root) {
  const at = rawLine.indexOf('ModSecurity: ')
  if (at < 0) return undefined
  let msg = apacheUnescape(rawLine.slice(at + 'ModSecurity: '.length))
  msg = msg.split(`${root}/rules.conf`).join('rules.conf')
  msg = msg.replace(/ \[unique_id "[^"]*"\]$/, ' [unique_id "-"]')
  return msg
}

async function recordCase(c) {
  const rules = c.probe ? probeRules(c.probe, c.probePhase ?? 2) : c.rules
  const ms = await startModsec({ rules: rules + '\n', port: PORT, extraConfig: c.config ?? '' })
  try {
    const r = await ms.send(c.request)
    const alerts = []
    for (const line of r.logLines) {
      if (!line.includes('ModSecurity: ')) continue
      const a = normaliseAlert(line, ms.root)
      if (a !== undefined) alerts.push(a)
    }
    return { rules, expect: { status: r.status, alerts } }
  } finally {
    await ms.stop()
  }
}

async function main() {
  const files = process.argv.slice(2)
  if (files.length === 0) {
    console.error('usage: record-engine.mjs <vector.json>...')
    process.exit(2)
  }
  for (const f of files) {
    const doc = JSON.parse(readFileSync(f, 'utf8'))
    for (const c of doc.cases) {
      if (c.hand !== undefined) continue // written by hand: 2.9.7 cannot show it (reason in the case)
      const { rules, expect } = await recordCase(c)
      c.rules = rules
      c.expect = expect
      process.stdout.write(`${f}: ${c.name}: ${expect.status}, ${expect.alerts.length} alert(s)\n`)
    }
    doc.recorded = `ModSecurity 2.9.7 (Apache 2.4, Debian libapache2-mod-security2) via test/tools/modsec/record-engine.mjs, ${new Date().toISOString().slice(0, 10)}`
    writeFileSync(f, JSON.stringify(doc, null, 2) + '\n')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
