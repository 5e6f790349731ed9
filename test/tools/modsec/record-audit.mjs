#!/usr/bin/env node
// Records audit log samples (test/vectors/audit/) from the real ModSecurity 2.9.7 (Apache 2.4 +
// mod_security2, see recorder.mjs): the requests of test/vectors/audit/cases.json go through
// Apache with the cases' rules and audit configuration, once with SecAuditLogFormat Native and
// once with JSON (SecAuditLogType Serial, SecAuditLog in a temporary directory), and the two
// logs are written as they are:
//
//   node test/tools/modsec/record-audit.mjs
//     -> test/vectors/audit/modsec-2.9.7-native.log, modsec-2.9.7-json.log
//
// Each sent request is also written back into cases.json ("sent": the exact bytes, latin1) so
// the test replays the same bytes through our engine. Ports 18190-18199 (this tool's range).
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildRequest, startModsec } from './recorder.mjs'

const DIR = new URL('../../vectors/audit/', import.meta.url).pathname
const PORT = Number(process.env.RECORD_PORT ?? 18190)

const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8'))
const logDir = mkdtempSync(join(tmpdir(), 'modsec-audit-'))

for (const [format, port] of [
  ['Native', PORT],
  ['JSON', PORT + 1],
]) {
  const log = join(logDir, `audit-${format}.log`)
  const ms = await startModsec({
    rules: cases.rules,
    port,
    extraConfig: `${cases.config}\nSecAuditLogFormat ${format}\nSecAuditLogType Serial\nSecAuditLog ${log}\n`,
  })
  try {
    for (const c of cases.requests) {
      const raw = buildRequest(c.request)
      c.sent = raw
      const r = await ms.send(raw)
      c.status = r.status
      process.stdout.write(`${format} ${c.name}: ${r.status}\n`)
    }
  } finally {
    await ms.stop()
  }
  writeFileSync(join(DIR, `modsec-2.9.7-${format.toLowerCase()}.log`), readFileSync(log))
}
rmSync(logDir, { recursive: true, force: true })
cases.recorded = `ModSecurity 2.9.7 (Debian libapache2-mod-security2, Apache 2.4) by test/tools/modsec/record-audit.mjs on ${new Date().toISOString().slice(0, 10)}`
writeFileSync(join(DIR, 'cases.json'), JSON.stringify(cases, null, 2) + '\n')
