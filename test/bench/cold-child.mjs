// Cold start, measured in a fresh Node process (spawned by test/bench/cold.ts): what an isolate
// pays before and on its first requests. argv: <engine.mjs> <bundle.json> <requests.json> <warm|nowarm>
// - import: load the esbuild bundle of src/engine (parse + compile of the module) and JSON.parse
//   the rule bundle (a Worker imports it as a module); link: loadProgram; warm: warmProgram;
// - then the first transaction of each bench request, in order, and a second GET.
// Prints one JSON object. CPU time from process.cpuUsage (user + system), in milliseconds.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const [enginePath, bundlePath, requestsPath, mode] = process.argv.slice(2)
const cpu = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
const bundleText = readFileSync(bundlePath, 'utf8')
const requests = JSON.parse(readFileSync(requestsPath, 'utf8'))

const out = { mode }
let t = cpu()
const engine = await import(pathToFileURL(enginePath).href)
const bundle = JSON.parse(bundleText)
out.import_ms = cpu() - t
t = cpu()
const program = engine.loadProgram(bundle)
out.link_ms = cpu() - t
if (mode === 'warm') {
  t = cpu()
  out.warm = engine.warmProgram(program)
  out.warm_ms = cpu() - t
}

function run(r) {
  const tx = new engine.Transaction(program, r.request)
  tx.processRequestHeaders()
  tx.processRequestBody(r.body ?? undefined)
  if (tx.interruption === undefined) {
    tx.processResponseHeaders(200, 'HTTP/1.1', r.responseHeaders)
    tx.processResponseBody(r.responseBody)
  }
  tx.processLogging()
  return tx
}
out.first_ms = {}
for (const r of requests) {
  t = cpu()
  run(r)
  out.first_ms[r.name] = cpu() - t
}
t = cpu()
run(requests[0])
out.second_get_ms = cpu() - t
process.stdout.write(JSON.stringify(out) + '\n')
