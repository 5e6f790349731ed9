import type { AuditOptions } from '../../../../src/engine/audit/index'
import { parseRaw } from '../core/harness'
import { auditProgram, runTx, type Run, type Served } from './helpers'

/**
 * Transactions covering every part and line of the record, for the round-trip and schema
 * tests: blocks in each phase, DetectionOnly, redirects, engine limits, sanitising, multipart
 * uploads, binary bytes, ctl changes, the body limit of the record.
 */
const RULES = `
SecComponentSignature "OWASP_CRS/4.28.0"
SecComponentSignature "site/2"
SecWebAppId "shop"
SecSensorId "edge-1"
SecRule ARGS:san "@rx ." "id:1,phase:1,pass,nolog,sanitiseArg:pw,sanitiseRequestHeader:X-Secret,sanitiseResponseHeader:X-Token"
SecRule ARGS "@contains attack" "id:2,phase:2,deny,log,msg:'attack in %{MATCHED_VAR_NAME}',logdata:'%{MATCHED_VAR}',tag:'a',tag:'b',severity:2,ver:'v1',rev:'3',accuracy:7,maturity:8"
SecRule ARGS:go "@streq away" "id:3,phase:1,redirect:https://example.com/?x=%{REQUEST_FILENAME},log"
SecRule ARGS:ch "@rx c" "id:4,phase:2,chain,pass,log,msg:'chained'"
  SecRule ARGS:ch2 "@rx d" "t:lowercase,t:urlDecodeUni"
SecRule RESPONSE_HEADERS:X-Flag "@streq bad" "id:5,phase:3,deny,status:502,log,msg:'bad origin header'"
SecRule RESPONSE_BODY "@contains LEAK" "id:6,phase:4,deny,log,msg:'leak'"
SecRule ARGS:sess "@rx ^(.+)$" "id:7,phase:1,pass,nolog,capture,setsid:%{TX.1},setuid:bob"
SecRule ARGS:ctl "@streq parts" "id:8,phase:1,pass,nolog,ctl:auditLogParts=+K,ctl:auditLogParts=-E"
SecRule REQUEST_HEADERS:X-Match "@rx sec" "id:9,phase:1,pass,log,sanitiseMatched,msg:'header'"
SecRule ARGS:pna "@streq 1" "id:10,phase:2,pass,nolog,auditlog,msg:'pass nolog auditlog'"
SecRule &ARGS:/^x/ "@gt 1" "id:11,phase:2,pass,log,msg:'count'"
SecAction "id:12,phase:5,pass,nolog,setvar:tx.done=1"
`

const CONFIG = {
  auditEngine: 'On' as const,
  auditLogParts: 'ABCEFHIJKZ',
  responseBodyAccess: true,
  responseBodyMimeTypes: ['text/plain', 'text/html'],
  requestBodyLimit: 2000,
  uploadKeepFiles: 'On' as const,
}

export interface Scenario {
  name: string
  raw: string
  origin?: Served
  detectionOnly?: boolean
  audit?: AuditOptions
}

const html = (body: string, extra: [string, string][] = []): Served => ({
  status: 200,
  headers: [['Content-Type', 'text/html'], ...extra],
  body,
})

export const SCENARIOS: Scenario[] = [
  { name: 'benign GET', raw: 'GET /?a=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n' },
  { name: 'blocked GET', raw: 'GET /p?x=attack HTTP/1.1\r\nHost: example.com\r\n\r\n' },
  {
    name: 'urlencoded POST, sanitised arguments and headers',
    raw: 'POST /login?san=1&pw=q%20w HTTP/1.1\r\nHost: example.com\r\nX-Secret: s3cr3t\r\nAuthorization: Basic Zm9vOmJhcg==\r\nCookie: sid=1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 22\r\n\r\nuser=bob&pw=hunter2&pw',
    origin: html('welcome\n', [
      ['X-Token', 'tok'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]),
  },
  {
    name: 'multipart upload with files and fields',
    raw:
      'POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 0\r\n\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a \\"q\\".txt"\r\nContent-Type: text/plain\r\n\r\nfile\x00content\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello w\xe9rld\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="g"; filename="b.bin"\r\n\r\n\xff\xfe\r\n--XyZ--\r\n',
    audit: {
      files: new Map([
        [1, { stored: '20261121/21/awINp_c3ON1K4SBcfseUAQAAAAI/file-1' }],
        [2, { notStored: 'over AUDIT_FILE_LIMIT (1 bytes)' }],
      ]),
    },
  },
  { name: 'redirect in phase 1', raw: 'GET /r?go=away HTTP/1.1\r\nHost: example.com\r\n\r\n' },
  { name: 'chain match, warning only', raw: 'GET /?ch=c&ch2=D HTTP/1.1\r\nHost: example.com\r\n\r\n' },
  {
    name: 'phase 3 block on a response header',
    raw: 'GET /h HTTP/1.1\r\nHost: example.com\r\n\r\n',
    origin: html('x', [['X-Flag', 'bad']]),
  },
  {
    name: 'phase 4 block on the response body',
    raw: 'GET /b HTTP/1.1\r\nHost: example.com\r\n\r\n',
    origin: html('a LEAK here\n'),
  },
  {
    name: 'DetectionOnly: attack passes with a warning',
    raw: 'GET /?x=attack HTTP/1.1\r\nHost: e\r\n\r\n',
    detectionOnly: true,
  },
  {
    name: 'request body over the limit: 413 by the engine, no Action line',
    raw:
      'POST / HTTP/1.1\r\nHost: e\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n' +
      'a='.padEnd(2500, 'x'),
  },
  { name: 'session and user ids: WebApp-Info', raw: 'GET /?sess=abc HTTP/1.1\r\nHost: e\r\n\r\n' },
  { name: 'ctl:auditLogParts +K -E', raw: 'GET /?ctl=parts HTTP/1.1\r\nHost: e\r\n\r\n' },
  {
    name: 'sanitiseMatched on a request header',
    raw: 'GET / HTTP/1.1\r\nHost: e\r\nX-Match: a secret\r\n\r\n',
  },
  { name: 'nolog,auditlog pass', raw: 'GET /?pna=1 HTTP/1.1\r\nHost: e\r\n\r\n' },
  {
    name: 'binary bytes in the request line, headers and body',
    raw: 'POST /\xe9?q=%00\xff HTTP/1.1\r\nHost: e\r\nX-B: \xe9\x01\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n\x00\x01\xfe\xff',
  },
  {
    name: 'record body limit: request and response bodies cut',
    raw:
      'POST / HTTP/1.1\r\nHost: e\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n' +
      'a='.padEnd(300, 'y'),
    origin: html('z'.repeat(500)),
    audit: { bodyLimit: 100 },
  },
  { name: 'regex key count target in K', raw: 'GET /?x1=1&x2=2 HTTP/1.1\r\nHost: e\r\n\r\n' },
  {
    name: 'no masked headers configured (v2 behaviour)',
    raw: 'GET / HTTP/1.1\r\nHost: e\r\nAuthorization: Bearer abc\r\nCookie: a=b\r\n\r\n',
    audit: { maskHeaders: [] },
  },
]

const programs = {
  On: auditProgram(RULES, CONFIG, { bodyOptions: { keepFileContents: true } }),
  DetectionOnly: auditProgram(
    RULES,
    { ...CONFIG, ruleEngine: 'DetectionOnly' },
    { bodyOptions: { keepFileContents: true } },
  ),
}

export const FIXED_ID = 'awINp_c3ON1K4SBcfseUAQAAAAI'

export function runScenario(s: Scenario): Run {
  const p = s.detectionOnly === true ? programs.DetectionOnly : programs.On
  let t = Date.UTC(2026, 10, 21, 21, 31, 19, 821)
  const clock = (): number => (t += 3)
  return runTx(p, parseRaw(s.raw, { uniqueId: FIXED_ID }), s.origin, { clock, audit: s.audit ?? {} })
}
