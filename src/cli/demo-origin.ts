/**
 * The origin `waf dev` puts behind the Worker when no --origin is given: a small HTTP server
 * that needs no setup. Every request gets 200 and a plain-text page naming the request it got
 * (method, target, body length), so a curl through the WAF shows that the request passed.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface DemoOrigin {
  url: string
  close(): Promise<void>
}

export function demoAnswer(method: string, target: string, bodyBytes: number): string {
  return (
    'Hello from the edge-waf demo origin.\n' +
    `You reached it through the WAF: ${method} ${target}` +
    (bodyBytes > 0 ? ` (${bodyBytes} body bytes)` : '') +
    '\n'
  )
}

export function startDemoOrigin(host = '127.0.0.1', port = 0): Promise<DemoOrigin> {
  const server: Server = createServer((req, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    req.on('end', () => {
      const body = demoAnswer(req.method ?? 'GET', req.url ?? '/', bytes)
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo
      resolve({
        url: `http://${host}:${a.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      })
    })
  })
}
