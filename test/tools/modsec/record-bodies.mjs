#!/usr/bin/env node
// Records what ModSecurity 2.9.7 (Apache + mod_security2, see recorder.mjs) reports for request
// bodies, as test vectors for the body processors (src/engine/body).
//
//   node test/tools/modsec/record-bodies.mjs [urlencoded|multipart|json|xml ...]
//
// Input:  test/vectors/body/cases/<proc>.mjs, default export [{ name, contentType, body, config? }]
//         (body is a binary string: one char per byte; `uri` optional), or [{ name, uri, config? }]
//         for query strings (sent as GET with no body; `query` records ARGS_GET this way).
// Output: test/vectors/body/<proc>.json, the same cases plus `expected`, read by
//         test/unit/engine/body/vectors.test.ts.
//
// Method. Each case is sent as `POST / HTTP/1.1` (no query string, so ARGS = body arguments)
// to a private Apache on 127.0.0.1:18130 with SecRuleEngine On, SecRequestBodyAccess On, the
// XML/JSON processor rules 200000/200001 of modsecurity.conf-recommended, and one phase-2 rule
// per variable of the form
//   SecRule VAR "@unconditionalMatch" "id:N,phase:2,pass,log,t:none,t:hexEncode,logdata:'v=%{MATCHED_VAR}'"
// v2 logs one alert per matched variable member, in collection order, and MATCHED_VAR is the
// transformed value, so t:hexEncode round-trips every byte through the error log (no escaping).
// ModSecurity truncates [data] to 512 chars ("..." at the end): values longer than ~250 bytes
// are recorded as a prefix plus their length (a second rule with t:length). MATCHED_VAR_NAME
// cannot be hex-encoded; it is only used for MULTIPART_PART_HEADERS keys and recorded as null
// when it contains escapes. Cases with a `config` run on an instance with the matching
// directives (SecUploadFileLimit, SecUploadKeepFiles, SecRequestBodyJsonDepthLimit,
// SecArgumentsLimit, SecArgumentSeparator).
import { startModsec, buildRequest } from './recorder.mjs'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PORT = 18130
const VECTORS = fileURLToPath(new URL('../../vectors/body/', import.meta.url))

/** [rule id, variable, kind]; kind: hex (t:hexEncode), plain, len (t:length), name (MATCHED_VAR_NAME) */
const FLAGS = [
  'MULTIPART_STRICT_ERROR',
  'MULTIPART_UNMATCHED_BOUNDARY',
  'MULTIPART_BOUNDARY_QUOTED',
  'MULTIPART_BOUNDARY_WHITESPACE',
  'MULTIPART_DATA_BEFORE',
  'MULTIPART_DATA_AFTER',
  'MULTIPART_HEADER_FOLDING',
  'MULTIPART_LF_LINE',
  'MULTIPART_CRLF_LF_LINES',
  'MULTIPART_MISSING_SEMICOLON',
  'MULTIPART_INVALID_QUOTING',
  'MULTIPART_INVALID_PART',
  'MULTIPART_INVALID_HEADER_FOLDING',
  'MULTIPART_FILE_LIMIT_EXCEEDED',
]
const VARS = [
  [101, 'REQBODY_PROCESSOR', 'plain'],
  [102, 'REQBODY_ERROR', 'plain'],
  [103, 'REQBODY_ERROR_MSG', 'hex'],
  [104, 'REQBODY_PROCESSOR_ERROR', 'plain'],
  [105, 'REQBODY_PROCESSOR_ERROR_MSG', 'hex'],
  [106, 'URLENCODED_ERROR', 'plain'],
  [110, 'ARGS_NAMES', 'hex'],
  [111, 'ARGS', 'hex'],
  [112, 'ARGS', 'len'],
  [113, 'ARGS_POST_NAMES', 'hex'],
  [120, 'FILES_NAMES', 'hex'],
  [121, 'FILES', 'hex'],
  [122, 'FILES_SIZES', 'plain'],
  [123, 'FILES_COMBINED_SIZE', 'plain'],
  [124, 'FILES_TMPNAMES', 'plain'],
  [125, 'MULTIPART_NAME', 'hex'],
  [126, 'MULTIPART_FILENAME', 'hex'],
  [127, 'MULTIPART_PART_HEADERS', 'hex'],
  [128, 'MULTIPART_PART_HEADERS', 'name'],
  [140, 'XML:/*', 'hex'],
  [141, 'XML:/*', 'len'],
  [142, 'XML://@*', 'hex'],
  ...FLAGS.map((f, i) => [150 + i, f, 'plain']),
]

function rulesText() {
  const lines = [
    `SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"`,
    `SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"`,
  ]
  for (const [id, v, kind] of VARS) {
    const t = kind === 'hex' ? 't:none,t:hexEncode' : kind === 'len' ? 't:none,t:length' : 't:none'
    const data = kind === 'name' ? '%{MATCHED_VAR_NAME}' : 'v=%{MATCHED_VAR}'
    lines.push(`SecRule ${v} "@unconditionalMatch" "id:${id},phase:2,pass,log,${t},logdata:'${data}'"`)
  }
  return lines.join('\n') + '\n'
}

function configText(config, uploadDir) {
  const c = config ?? {}
  const out = []
  if (c.uploadFileLimit !== undefined) out.push(`SecUploadFileLimit ${c.uploadFileLimit}`)
  if (c.uploadKeepFiles) out.push(`SecUploadKeepFiles ${c.uploadKeepFiles}`, `SecUploadDir ${uploadDir}`)
  if (c.requestBodyJsonDepthLimit !== undefined)
    out.push(`SecRequestBodyJsonDepthLimit ${c.requestBodyJsonDepthLimit}`)
  if (c.argumentsLimit !== undefined) out.push(`SecArgumentsLimit ${c.argumentsLimit}`)
  if (c.argumentSeparator !== undefined) out.push(`SecArgumentSeparator ${c.argumentSeparator}`)
  return out.join('\n')
}

/** undo Apache's error-log escaping (ap_escape_logitem): \\ \" \n \r \t \b \v \xHH */
function apacheUnescape(t) {
  const map = { n: '\n', r: '\r', t: '\t', b: '\b', v: '\v' }
  return t.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e) =>
    e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (map[e] ?? e),
  )
}

function unhex(h) {
  let s = ''
  for (let i = 0; i + 1 < h.length; i += 2) s += String.fromCharCode(parseInt(h.slice(i, i + 2), 16))
  return s
}

/** [data "v=..."] -> { value, truncated } */
function dataValue(data, kind) {
  let d = data.startsWith('v=') ? data.slice(2) : data
  let truncated = false
  if (data.length >= 500 && d.endsWith('...')) {
    truncated = true
    d = d.slice(0, -3)
  }
  if (kind === 'hex') {
    if (truncated && d.length % 2) d = d.slice(0, -1)
    return { value: unhex(d), truncated }
  }
  return { value: d, truncated }
}

/** One value that may have been truncated: a string, or { prefix, length }. */
function full(v, len) {
  return v.truncated ? { prefix: v.value, length: Number(len) } : v.value
}

function toExpected(alerts) {
  const by = new Map()
  for (const a of alerts) {
    const id = Number(a.id)
    const def = VARS.find((x) => x[0] === id)
    if (!def || a.data === undefined) continue
    if (!by.has(id)) by.set(id, [])
    by.get(id).push(def[2] === 'name' ? { value: a.data, truncated: false } : dataValue(a.data, def[2]))
  }
  const one = (id) => by.get(id)?.[0]?.value
  const all = (id) => by.get(id) ?? []
  const e = {
    processor: one(101) ?? '',
    reqbodyError: Number(one(102) ?? 0),
    reqbodyErrorMsg: one(103) ?? '',
    processorError: Number(one(104) ?? 0),
    processorErrorMsg: one(105) ?? '',
    urlencodedError: Number(one(106) ?? 0),
  }
  const names = all(110)
  const values = all(111)
  const lens = all(112)
  e.args = names.map((n, i) => [
    n.truncated ? { prefix: n.value } : n.value,
    values[i] ? full(values[i], lens[i]?.value) : null,
  ])
  e.argsPostCount = all(113).length
  if (e.processor === 'MULTIPART') {
    e.flags = {}
    FLAGS.forEach((f, i) => (e.flags[f] = Number(one(150 + i) ?? 0)))
    const fn = all(120)
    const ff = all(121)
    const fs = all(122)
    e.files = fn.map((n, i) => ({ name: n.value, filename: ff[i]?.value, size: Number(fs[i]?.value) }))
    e.filesCombinedSize = Number(one(123) ?? 0)
    e.filesTmpnamesCount = all(124).length
    if (by.has(125)) e.multipartName = one(125)
    if (by.has(126)) e.multipartFilename = one(126)
    const hv = all(127)
    const hn = all(128)
    e.partHeaders = hv.map((v, i) => {
      const raw = hn[i]?.value ?? ''
      const key = raw.startsWith('MULTIPART_PART_HEADERS:') && !raw.includes('\\') ? raw.slice(23) : null
      return [key, v.truncated ? { prefix: v.value } : v.value]
    })
  }
  if (e.processor === 'XML' && e.reqbodyError === 0) {
    const t = by.get(140)?.[0]
    e.xmlText = t ? full(t, one(141)) : null
    e.xmlAttrs = all(142).map((v) => (v.truncated ? { prefix: v.value } : v.value))
  }
  return e
}

async function recordProcessor(proc) {
  const cases = (await import(join(VECTORS, 'cases', `${proc}.mjs`))).default
  const groups = new Map()
  for (const c of cases) {
    const k = JSON.stringify(c.config ?? {})
    if (!groups.has(k)) groups.set(k, [])
    groups.get(k).push(c)
  }
  const out = []
  const uploadDir = mkdtempSync(join(tmpdir(), 'modsec-upl-'))
  for (const [k, group] of groups) {
    const ms = await startModsec({
      rules: rulesText(),
      port: PORT,
      extraConfig: configText(JSON.parse(k), uploadDir),
    })
    try {
      for (const c of group) {
        const req =
          c.body === undefined
            ? buildRequest({ method: 'GET', uri: c.uri, headers: [] })
            : buildRequest({
                method: 'POST',
                uri: c.uri ?? '/',
                headers: [['Content-Type', c.contentType]],
                body: c.body,
              })
        const r = await ms.send(req)
        const expected = toExpected(r.alerts)
        // v2 on Apache aborts some requests before phase 2 (e.g. multipart "Final boundary
        // missing": HTTP 500, no phase-2 rule runs): keep the status and the logged message
        if (!r.alerts.some((a) => a.id === '101')) {
          const msgs = r.alerts
            .filter((a) => a.id === undefined)
            .map((a) => apacheUnescape(a.matchMsg.replace(/ \[hostname .*$/, '')))
          expected.aborted = { status: r.status, messages: msgs }
        }
        out.push({ ...c, expected })
      }
    } finally {
      await ms.stop()
    }
  }
  const order = new Map(cases.map((c, i) => [c.name, i]))
  out.sort((a, b) => order.get(a.name) - order.get(b.name))
  const doc = {
    recordedWith:
      'ModSecurity 2.9.7 (Debian libapache2-mod-security2 2.9.7-1+deb12u2, Apache 2.4) via test/tools/modsec/record-bodies.mjs',
    method: 'see the header of test/tools/modsec/record-bodies.mjs',
    cases: out,
  }
  // one case per line: diffs of re-recordings stay readable
  const text =
    '{\n' +
    ` "recordedWith": ${JSON.stringify(doc.recordedWith)},\n` +
    ` "method": ${JSON.stringify(doc.method)},\n` +
    ' "cases": [\n' +
    out.map((c) => '  ' + JSON.stringify(c)).join(',\n') +
    '\n ]\n}\n'
  writeFileSync(join(VECTORS, `${proc}.json`), text)
  console.log(`${proc}: ${out.length} cases recorded`)
}

const procs = process.argv.slice(2)
for (const p of procs.length ? procs : ['urlencoded', 'query', 'multipart', 'json', 'xml'])
  await recordProcessor(p)
