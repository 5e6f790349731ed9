#!/usr/bin/env node
// Records persistent-collection timelines (test/vectors/collections/*.json) from the real
// ModSecurity 2.9.7 (Apache 2.4 + mod_security2, see recorder.mjs) with a controlled clock.
//
//   apt-get install -y faketime        # libfaketime, once
//   node test/tools/modsec/record-collections.mjs test/vectors/collections/timeline.json
//
// A case is a rule set and a list of steps; each step is one request at a given second:
//   { "name": "...", "config": "SecCollectionTimeout 100",   // optional extra httpd.conf lines
//     "rules": "SecAction ...",
//     "steps": [ { "t": 0, "query": "hit=1" }, { "t": 10, "request": "GET /..." } ] }
// or tables: { "tables": { "<name>": { "rules", "config"?, "rows": [ { "name", "steps": [...] } ] } } }
// where each row is independent (its own collection key) and row i runs at start + i * 10000 + t.
// All steps of a case run against one Apache with one SecDataDir (the recorder's), in order.
// Apache runs under libfaketime with its clock frozen at start + t (FAKETIME_TIMESTAMP_FILE,
// re-read on every call), so time() and apr_time_now() return exactly that second for the
// whole request: CREATE_TIME, LAST_UPDATE_TIME, UPDATE_RATE, expirevar and deprecatevar are
// deterministic. A step without "request" gets "GET /?<query> HTTP/1.1" (Host: localhost,
// Connection: close, Cookie when "cookie" is given, a urlencoded "body" with "method": "POST"),
// written back into the file. A case may take its rules from a file of the repository
// ("rulesFile", e.g. rules/examples/brute-force.conf) with optional "prepend" rules before it.
// What is recorded per step: the HTTP status (0 = connection dropped) and the alert lines,
// normalised like record-engine.mjs (file "rules.conf", unique_id "-").
// Runs Apache on port 18180 (this tool's assigned range is 18180-18189).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startModsec } from './recorder.mjs'
import { normaliseAlert } from './record-engine.mjs'

const PORT = Number(process.env.RECORD_PORT ?? 18180)
const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1'

function stamp(sec) {
  // libfaketime's absolute format: the clock stands still at this UTC time
  return new Date(sec * 1000).toISOString().replace('T', ' ').slice(0, 19) + '\n'
}

export function stepRequest(s) {
  if (s.request !== undefined) return s.request
  const lines = [
    `${s.method ?? 'GET'} /${s.path ?? ''}${s.query !== undefined ? '?' + s.query : ''} HTTP/1.1`,
    'Host: localhost',
  ]
  if (s.cookie !== undefined) lines.push(`Cookie: ${s.cookie}`)
  if (s.body !== undefined) {
    lines.push('Content-Type: application/x-www-form-urlencoded')
    lines.push(`Content-Length: ${Buffer.byteLength(s.body, 'latin1')}`)
  }
  lines.push('Connection: close')
  return lines.join('\r\n') + '\r\n\r\n' + (s.body ?? '')
}

/** A case's rules: "rules", or "prepend" + the file "rulesFile" (path from the repository root). */
export function caseRules(c, root) {
  if (c.rulesFile === undefined) return c.rules
  return (c.prepend ?? '') + readFileSync(join(root, c.rulesFile), 'latin1')
}

async function recordCase(c, start) {
  const clockFile = join(tmpdir(), `modsec-faketime-${PORT}.txt`)
  writeFileSync(clockFile, stamp(start))
  const saved = { ...process.env }
  Object.assign(process.env, {
    LD_PRELOAD: FAKETIME,
    FAKETIME_TIMESTAMP_FILE: clockFile,
    FAKETIME_NO_CACHE: '1',
    TZ: 'UTC',
  })
  let ms
  try {
    ms = await startModsec({ rules: caseRules(c, ROOT) + '\n', port: PORT, extraConfig: c.config ?? '' })
  } finally {
    for (const k of ['LD_PRELOAD', 'FAKETIME_TIMESTAMP_FILE', 'FAKETIME_NO_CACHE', 'TZ']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  }
  try {
    for (const s of c.steps) {
      s.request = stepRequest(s)
      writeFileSync(clockFile, stamp(start + s.t))
      const r = await ms.send(s.request)
      const alerts = []
      for (const line of r.logLines) {
        if (!line.includes('ModSecurity: ')) continue
        const a = normaliseAlert(line, ms.root)
        if (a !== undefined) alerts.push(a)
      }
      s.expect = { status: r.status, alerts }
      process.stdout.write(`  t=${s.t}: ${r.status}, ${alerts.length} alert(s)\n`)
    }
  } finally {
    await ms.stop()
  }
}

/**
 * A table: one rule set, rows of independent steps (each row uses its own collection key, e.g.
 * initcol:ip=%{ARGS.row}); row i runs at start + i * 10000 + t. Rows may go back in time.
 */
async function recordTable(name, table, start) {
  const c = { rules: table.rules, config: table.config, steps: [] }
  const owner = []
  table.rows.forEach((row, i) => {
    for (const s of row.steps) {
      c.steps.push({ ...s, t: i * 10000 + s.t })
      owner.push([row, s])
    }
  })
  process.stdout.write(`table ${name}: ${table.rows.length} rows\n`)
  await recordCase(c, start)
  c.steps.forEach((s, k) => {
    const [, step] = owner[k]
    step.request = s.request
    step.expect = s.expect
  })
}

async function main() {
  const files = process.argv.slice(2)
  if (files.length === 0) {
    console.error('usage: record-collections.mjs <timeline.json>...')
    process.exit(2)
  }
  if (!existsSync(FAKETIME)) throw new Error(`${FAKETIME} missing: apt-get install -y faketime`)
  for (const f of files) {
    const doc = JSON.parse(readFileSync(f, 'utf8'))
    for (const c of doc.cases ?? []) {
      process.stdout.write(`${f}: ${c.name}\n`)
      await recordCase(c, doc.start)
    }
    for (const [name, table] of Object.entries(doc.tables ?? {})) await recordTable(name, table, doc.start)
    doc.recorded = `ModSecurity 2.9.7 (Apache 2.4, Debian libapache2-mod-security2) under libfaketime (clock frozen at start + t for each step) via test/tools/modsec/record-collections.mjs, ${new Date().toISOString().slice(0, 10)}`
    writeFileSync(f, JSON.stringify(doc, null, 2) + '\n')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
