// The origin of the whole-stack bench (stack.ts): a plain Node HTTP server, in its own process,
// that reads the request body and answers every request with the bench page (200 text/html,
// the page of test/bench/setup.ts RESPONSE_BODY and of the ModSecurity recording).
// argv: <port> <page>. Prints "listening" once it accepts connections.
import { createServer } from 'node:http'

const [port, page] = process.argv.slice(2)
const body = Buffer.from(page ?? '', 'latin1')
const server = createServer((req, res) => {
  req.on('data', () => undefined)
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length })
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
