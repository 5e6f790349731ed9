/**
 * The origin behind the Worker in the CRS run over HTTP: a real HTTP server answering as albedo
 * (the backend of CRS's go-ftw setup) does. The answer itself comes from the engine-level
 * runner's albedo simulation (src/cli/ftw/albedo.ts): any path -> 200 with an empty body;
 * `POST /reflect` -> the status, headers and body its JSON body asks for.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { albedoRespond } from '../../../src/cli/ftw/albedo'
import type { EngineRequest } from '../../../src/engine/index'

export interface EchoOrigin {
  url: string
  close(): Promise<void>
}

export function startEchoOrigin(): Promise<EchoOrigin> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      // Node keeps header bytes as latin1 text: one char per byte, the engine's representation
      const headers: [string, string][] = []
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string])
      }
      const request: EngineRequest = {
        method: req.method ?? 'GET',
        uri: req.url ?? '/',
        protocol: 'HTTP/' + req.httpVersion,
        headers,
        body: Buffer.concat(chunks).toString('latin1'),
        clientAddress: req.socket.remoteAddress ?? '127.0.0.1',
        clientPort: req.socket.remotePort ?? 0,
        serverAddress: '127.0.0.1',
        serverPort: (req.socket.address() as AddressInfo).port,
      }
      const answer = albedoRespond(request)
      const flat: string[] = []
      for (const [k, v] of answer.headers) flat.push(k, v)
      try {
        res.writeHead(answer.status, flat)
        res.end(Buffer.from(answer.body, 'latin1'))
      } catch (e) {
        res.destroy(e instanceof Error ? e : undefined)
      }
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${a.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      })
    })
  })
}
