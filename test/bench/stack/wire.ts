/**
 * The bench requests (test/bench/requests/requests.json) as they go on the wire, and the wrk Lua
 * script that sends one of them and counts the answers' statuses (stack.ts checks them: a stack
 * that answers wrongly must not look fast).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CASES, REQUESTS_DIR, type CaseName } from '../setup'

export interface WireRequest {
  name: CaseName
  method: string
  path: string
  /** as in requests.json (Host: localhost included); wrk adds Content-Length for a body */
  headers: [string, string][]
  /** bytes as a binary string */
  body: string | undefined
  /** the status the WAF (CRS PL1) answers: the number that starts requests.json's `expect` */
  expectStatus: number
}

export function loadWireRequests(): Record<CaseName, WireRequest> {
  const spec = JSON.parse(readFileSync(join(REQUESTS_DIR, 'requests.json'), 'utf8')) as {
    requests: Record<
      string,
      { method: string; path: string; headers: [string, string][]; body_file?: string; expect: string }
    >
  }
  const out = {} as Record<CaseName, WireRequest>
  for (const name of CASES) {
    const r = spec.requests[name]
    if (r === undefined) throw new Error(`requests.json has no "${name}"`)
    const m = /^(\d{3})/.exec(r.expect)
    if (m === null) throw new Error(`requests.json "${name}": expect does not start with a status`)
    out[name] = {
      name,
      method: r.method,
      path: r.path,
      headers: r.headers,
      body: r.body_file === undefined ? undefined : readFileSync(join(REQUESTS_DIR, r.body_file), 'latin1'),
      expectStatus: Number(m[1]),
    }
  }
  return out
}

/** a Lua string literal of a binary string (decimal escapes for everything but printable ASCII) */
function lua(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += s[i]
    else out += '\\' + String(c).padStart(3, '0')
  }
  return out + '"'
}

/**
 * wrk script: the request, a status count per thread, and at the end one line
 * `STACK {"requests", "duration_s", "statuses", "errors", "latency_p50_ms", "latency_p99_ms"}`.
 */
export function luaScript(r: WireRequest): string {
  const lines = [`wrk.method = ${lua(r.method)}`, `wrk.path = ${lua(r.path)}`, 'wrk.headers = {}']
  for (const [k, v] of r.headers) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`)
  if (r.body !== undefined) lines.push(`wrk.body = ${lua(r.body)}`)
  lines.push(
    'local threads = {}',
    'function setup(thread) table.insert(threads, thread) end',
    'function init(args) statuses = {} end',
    'function response(status, headers, body)',
    '  statuses[status] = (statuses[status] or 0) + 1',
    'end',
    'function done(summary, latency, requests)',
    '  local all = {}',
    '  for _, t in ipairs(threads) do',
    '    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end',
    '  end',
    '  local parts = {}',
    '  for k, v in pairs(all) do table.insert(parts, string.format(\'"%d":%d\', k, v)) end',
    '  local e = summary.errors',
    '  io.write(string.format(\'STACK {"requests":%d,"duration_s":%.3f,"statuses":{%s},"errors":%d,' +
      '"latency_p50_ms":%.2f,"latency_p99_ms":%.2f}\\n\', summary.requests, summary.duration / 1e6,' +
      ' table.concat(parts, ","), e.connect + e.read + e.write + e.timeout,' +
      ' latency:percentile(50) / 1000, latency:percentile(99) / 1000))',
    'end',
  )
  return lines.join('\n') + '\n'
}
