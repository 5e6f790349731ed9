/**
 * A minimal HTTP/1.1 client over a raw TCP socket: the request bytes are written exactly as
 * given (no header normalisation, no added headers), and the response is parsed just enough to
 * know where it ends (Content-Length, chunked, or connection close). Used by the Worker tests
 * and the CRS runner over HTTP, where what goes on the wire must be under the test's control.
 */
import { connect } from 'node:net'

export interface RawResponse {
  status: number
  reason: string
  /** header names as received */
  headers: [string, string][]
  /** the body, de-chunked */
  body: Buffer
}

export interface RawResult {
  response?: RawResponse
  /** set when no complete response arrived (connection closed early, timeout, unparsable) */
  error?: string
  /** every byte received */
  raw: Buffer
}

export function header(r: RawResponse, name: string): string | undefined {
  const n = name.toLowerCase()
  return r.headers.find((h) => h[0].toLowerCase() === n)?.[1]
}

/** the response at the start of `buf`, or undefined when more bytes are needed */
function parse(buf: Buffer, closed: boolean, headRequest: boolean): RawResponse | undefined | string {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return closed ? 'connection closed before the end of the response headers' : undefined
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const m = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/.exec(lines[0] ?? '')
  if (m === null) return `bad status line: ${JSON.stringify(lines[0])}`
  const status = Number(m[1])
  const headers: [string, string][] = []
  for (const line of lines.slice(1)) {
    const c = line.indexOf(':')
    if (c > 0) headers.push([line.slice(0, c), line.slice(c + 1).trim()])
  }
  const res: RawResponse = { status, reason: m[2] ?? '', headers, body: Buffer.alloc(0) }
  const rest = buf.subarray(end + 4)
  if (headRequest || status === 204 || status === 304 || (status >= 100 && status < 200)) return res
  const te = header(res, 'transfer-encoding')
  if (te !== undefined && /chunked/i.test(te)) {
    const parts: Buffer[] = []
    let pos = 0
    for (;;) {
      const lf = rest.indexOf('\r\n', pos)
      if (lf < 0) return closed ? 'connection closed inside a chunked body' : undefined
      const size = parseInt(rest.subarray(pos, lf).toString('latin1').split(';')[0] ?? '', 16)
      if (!Number.isFinite(size)) return 'bad chunk size'
      if (size === 0) {
        // trailers end with an empty line
        const endTrailers = rest.indexOf('\r\n\r\n', lf)
        if (endTrailers < 0) return closed ? res : undefined
        res.body = Buffer.concat(parts)
        return res
      }
      if (rest.length < lf + 2 + size + 2) return closed ? 'connection closed inside a chunk' : undefined
      parts.push(rest.subarray(lf + 2, lf + 2 + size))
      pos = lf + 2 + size + 2
    }
  }
  const cl = header(res, 'content-length')
  if (cl !== undefined) {
    const n = Number(cl)
    if (rest.length < n) return closed ? 'connection closed inside the body' : undefined
    res.body = rest.subarray(0, n)
    return res
  }
  if (!closed) return undefined
  res.body = rest
  return res
}

/** Write `request` to 127.0.0.1:port and read one response. */
export function rawExchange(
  port: number,
  request: Buffer | string,
  opts: { timeoutMs?: number; headRequest?: boolean; host?: string } = {},
): Promise<RawResult> {
  const bytes = typeof request === 'string' ? Buffer.from(request, 'latin1') : request
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let done = false
    const socket = connect(port, opts.host ?? '127.0.0.1')
    const finish = (r: RawResult): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(r)
    }
    const check = (closed: boolean): void => {
      const raw = Buffer.concat(chunks)
      const p = parse(raw, closed, opts.headRequest === true)
      if (p === undefined) return
      if (typeof p === 'string') finish({ error: p, raw })
      else finish({ response: p, raw })
    }
    const timer = setTimeout(
      () => finish({ error: 'timeout', raw: Buffer.concat(chunks) }),
      opts.timeoutMs ?? 10_000,
    )
    socket.on('connect', () => socket.write(bytes))
    socket.on('data', (d: Buffer) => {
      chunks.push(d)
      check(false)
    })
    socket.on('end', () => check(true))
    socket.on('close', () => check(true))
    socket.on('error', (e) => finish({ error: e.message, raw: Buffer.concat(chunks) }))
  })
}

/** An HTTP/1.1 request as bytes: the headers exactly as listed, then the body. */
export function buildRequest(
  method: string,
  target: string,
  headers: [string, string][],
  body?: Buffer,
): Buffer {
  let head = `${method} ${target} HTTP/1.1\r\n`
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`
  head += '\r\n'
  return body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body])
}
