import type { BinaryString } from './bytes'
import { MemoryStore } from './collections/store'
import type { DnsResolver } from './dns'
import { detectSqli } from './operators/libinjection/sqli'
import { detectXss } from './operators/libinjection/xss'
import type { Program } from './program'
import type { EngineRequest } from './request'
import { Transaction } from './transaction'
import { TRANSFORMATIONS } from './transformations'
import type { TransformEnv, TransformFn } from './transformations/types'

/**
 * JIT training at isolate start (warmProgram's `train`).
 *
 * V8 optimises a function with the types and branches it has seen run. An engine that has only
 * seen ordinary traffic has optimised code for it; the first request that takes a new branch
 * (a `%3C` whose hex digit is a letter, libinjection's HTML tag states, a run of quotes) throws
 * that code away ("insufficient type feedback") and runs interpreted until V8 has recompiled it
 * on a background thread. On a long value that is most of the request: measured in Node, the
 * first run of an 8 KB query of `<` cost 30-50 ms against 3 ms once optimised, and a dozen of the
 * worst-case corpus's requests spent over 10 ms that way (README "Worst case").
 *
 * So the isolate runs a few synthetic transactions through the program before its first request:
 * values that contain every byte class CRS's patterns care about, every escape syntax the
 * transformations decode (percent with upper- and lower-case hex, %u, HTML entities, JS and CSS
 * escapes, comments), SQL, HTML and shell tokens, and runs of repeated bytes, in the places the
 * rules read (path, query, headers, cookies, form and JSON bodies, response body). Every
 * transformation, parser, literal scan, libinjection pass and operator loop then has complete
 * type feedback and has been optimised before real traffic arrives.
 *
 * The transactions are invisible: detection only (nothing is blocked or stops a phase early), an
 * empty in-memory store for persistent collections (the real store is never read or written),
 * DNS lookups fail at once (no query leaves the isolate), and their alerts are dropped.
 * Deterministic: the same program runs the same transactions. Costs about 50-80 ms of CPU per
 * round with CRS (README "Cold start").
 */

/** Bytes the rules and transformations branch on (redos-scan's pump classes). */
const BYTES = 'aA0 \t\'"`<>()[]{};|&=:,./\\%$#*!?-+~@^\r\n\x0b\x00\xff\x80\xc3\xa9'

/** Escapes, tokens and runs the transformations, parsers and libinjection take branches on. */
const TOKENS = [
  '%3c%3C%2F%u003c%U003C%zz%4%%20+',
  '&lt;&LT;&#60;&#x3c;&#X3C;&amp&quot;&nbsp;&#0;&#xffff;&',
  '\\x3c\\X3C\\u003c\\074\\n\\t\\\\\\"\\3c \\00003c',
  "/*c*/--c\n#c\n/*!50000select*/ SELECT union all select 1,2 from t where a='b' or 1=1-- ",
  '<script>alert(1)</script><img src=x onerror=alert`1`><a href="javascript:x">',
  '<!--x--><![CDATA[y]]><svg/onload=1><?php echo 1;?>',
  ';cat /etc/passwd|$(id)`id`&&ping -c1 x||sleep 1',
  '../../etc/passwd..\\..\\windows\\win.ini',
  '${jndi:ldap://x}{{7*7}}#{1}@{x}',
  'a'.repeat(64),
  '<'.repeat(64),
  ' '.repeat(64),
  "'".repeat(32),
  '&'.repeat(32),
  '%'.repeat(16),
  '-'.repeat(32),
].join('')

const UNIT = BYTES + TOKENS

/** Bytes of the longest training values (long enough that every loop is hot). */
const LONG = 2048

function repeatTo(s: string, n: number): string {
  return s.repeat(Math.ceil(n / s.length)).slice(0, n)
}

/** Percent-encodes every byte but letters and digits. */
function pct(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) out += s.charAt(i)
    else out += '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase()
  }
  return out
}

/** A header value: no CR, LF or NUL (HTTP and the Workers runtime refuse them). */
function headerSafe(s: string): string {
  return s.replace(/[\r\n\x00]/g, ' ')
}

interface TrainingRequest {
  request: EngineRequest
  body: BinaryString | undefined
  responseType: string
  responseBody: BinaryString
}

function request(
  method: string,
  uri: string,
  headers: [string, string][],
  body: BinaryString | undefined,
  responseType: string,
  responseBody: BinaryString,
): TrainingRequest {
  const h: [string, string][] = [['Host', 'localhost'], ...headers]
  if (body !== undefined) h.push(['Content-Length', String(body.length)])
  return {
    request: {
      method,
      uri,
      protocol: 'HTTP/1.1',
      headers: h,
      clientAddress: '192.0.2.1',
      clientPort: 40000,
      serverAddress: '192.0.2.2',
      serverPort: 80,
      uniqueId: 'waf-training',
    },
    body,
    responseType,
    responseBody,
  }
}

/** values of the many-arguments training requests */
const MANY = 400

/** The training transactions (built once, at the first call). */
let requests: TrainingRequest[] | undefined

function trainingRequests(): TrainingRequest[] {
  if (requests !== undefined) return requests
  const long = repeatTo(UNIT, LONG)
  const short = UNIT.slice(0, 300)
  const header = headerSafe(long)
  // a valid JSON document (the processor decodes UTF-8): ASCII values, control bytes escaped
  const ascii = long.replace(/[\x80-\xff]/g, '')
  const json = JSON.stringify({
    a: ascii,
    b: [ascii.slice(0, 300), { c: ascii, n: 1.5e3, t: true, z: null }],
  })
  const page = `<!doctype html><html><head><title>t</title></head><body>${long}</body></html>`
  const pieces: string[] = []
  for (let i = 0; i < MANY; i++) pieces.push('k' + i + '=' + pct(UNIT.slice(i % 64, (i % 64) + 24)))
  const many = pieces.join('&')
  const members: Record<string, string> = {}
  for (let i = 0; i < MANY; i++) members['m' + i] = ascii.slice(i % 64, (i % 64) + 24)
  const manyJson = JSON.stringify(members)
  requests = [
    request(
      'GET',
      '/' +
        pct(short) +
        '/x.php?q=' +
        pct(long) +
        '&' +
        pct(short) +
        '=1&a=' +
        long.slice(0, 200).replace(/[&#\s]/g, ''),
      [
        ['User-Agent', header],
        ['Accept', header],
        ['Referer', header],
        ['Cookie', 'c=' + headerSafe(short) + '; d=' + pct(short)],
        ['X-Filename', header],
      ],
      undefined,
      'text/html',
      page,
    ),
    request(
      'POST',
      '/submit',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      'q=' + pct(long) + '&' + pct(long) + '=1&r=' + long.slice(0, 500).replace(/[&=]/g, ''),
      'text/html',
      page,
    ),
    request('POST', '/api', [['Content-Type', 'application/json']], json, 'application/json', json),
    // hundreds of small values: the cache table and arenas grow (a request of 1,000 arguments
    // ran its first transactions 2-20x slower while those paths were not optimised yet)
    request(
      'POST',
      '/many',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      many,
      'text/html',
      page,
    ),
    request(
      'POST',
      '/many.json',
      [['Content-Type', 'application/json']],
      manyJson,
      'application/json',
      manyJson,
    ),
  ]
  return requests
}

/** DNS (@rbl) fails at once: no query leaves the isolate. */
const NO_DNS: DnsResolver = { resolveA: () => Promise.resolve(undefined) }

export interface TrainReport {
  /** training transactions run */
  transactions: number
}

/**
 * The byte-level kernels run on their own as well, on runs of each byte class: a transaction's
 * values pass through libinjection only up to its fifth token and through each transformation
 * once, too little for V8 to optimise them, while the worst-case corpus's values (64 KB of one
 * byte) keep them busy for the whole value.
 */
let kernelValues: string[] | undefined

function kernelInputs(): string[] {
  if (kernelValues !== undefined) return kernelValues
  const out: string[] = [repeatTo(UNIT, LONG)]
  for (let i = 0; i < BYTES.length; i++) {
    const run = BYTES.charAt(i).repeat(256)
    out.push(run + TOKENS, pct(run) + pct(TOKENS.slice(0, 256)))
  }
  kernelValues = out
  return out
}

const TRANSFORM_FNS: TransformFn[] = Object.values(TRANSFORMATIONS).map((d) => d.fn)
const NO_ENV: TransformEnv = {}

function trainKernels(program: Program): void {
  const values = kernelInputs()
  const literals = program.literals
  const bits = new Int32Array(literals === undefined ? 0 : literals.words)
  for (let v = 0; v < values.length; v++) {
    const s = values[v] as string
    for (let t = 0; t < TRANSFORM_FNS.length; t++) (TRANSFORM_FNS[t] as TransformFn)(s, NO_ENV)
    detectSqli(s)
    detectXss(s)
    literals?.scan(s, bits, 0)
  }
}

/**
 * Runs the training transactions `rounds` times (see above). Never throws: a failing
 * transaction only leaves its share of the optimisation to real requests.
 */
export function trainProgram(program: Program, rounds: number): TrainReport {
  const reqs = trainingRequests()
  let n = 0
  for (let k = 0; k < rounds; k++) {
    try {
      trainKernels(program)
    } catch {
      // a kernel that throws here throws on a request too, where the engine handles it
    }
    for (let i = 0; i < reqs.length; i++) {
      const r = reqs[i]
      if (r === undefined) continue
      n++
      try {
        runOne(program, r)
      } catch {
        // nothing to undo: the transaction's state is dropped with it
      }
    }
  }
  return { transactions: n }
}

/** One transaction, phases 1-5, as far as it runs synchronously. */
function runOne(program: Program, r: TrainingRequest): void {
  const tx = new Transaction(program, r.request, {
    store: new MemoryStore(),
    resolver: NO_DNS,
    ruleEngine: 'DetectionOnly',
  })
  // a phase that waits (a @rbl lookup) returns a promise: training stops there
  if (tx.processRequestHeaders() instanceof Promise) return
  if (tx.processRequestBody(r.body) instanceof Promise) return
  const rh: [string, string][] = [
    ['Content-Type', r.responseType],
    ['Content-Length', String(r.responseBody.length)],
  ]
  if (tx.processResponseHeaders(200, 'HTTP/1.1', rh) instanceof Promise) return
  if (tx.processResponseBody(r.responseBody) instanceof Promise) return
  void tx.processLogging()
}
