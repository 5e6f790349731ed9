#!/usr/bin/env node
// ReDoS harness for OUR execution strategy (not just `new RegExp`): every CRS @rx pattern is planned
// with compileRegex() (build/regex-translate.mjs) and run through the engine's CompiledRegex
// (build/regex-runtime.mjs: V8 / re2js / guard, as in production) on the adversarial input shapes of
// ../shared/tools/redos-scan (lib/attack.mjs: pumps, repeats, alternations), at 64, 128, ... bytes up to
// --max-len. A pattern is over budget when one evaluation takes longer than --budget-ms twice in a row,
// or when its worker has to be killed (--hard-ms). Same idea as redos-scan's search, with our matcher.
//
//   npm run build:regex-translator && npm run build:regex-runtime
//   node test/conformance/regex/redos-harness.mjs --budget-ms 10 --max-len 65536 [--shapes 60] [--only 920600] [--json out.json]
//
// Exit 0 when nothing is over budget. The last line is `over budget: N of M patterns`.
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const tools = path.resolve(root, '../shared/tools')

if (isMainThread) {
  const { values: a } = parseArgs({
    options: {
      'budget-ms': { type: 'string', default: '10' },
      'max-len': { type: 'string', default: '65536' },
      'hard-ms': { type: 'string', default: '3000' },
      shapes: { type: 'string', default: '60' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      patterns: { type: 'string' },
      jobs: { type: 'string', default: String(Math.max(1, os.availableParallelism?.() ?? os.cpus().length)) },
      json: { type: 'string' },
      mode: { type: 'string', default: 'v2' },
    },
  })
  const o = {
    budget: Number(a['budget-ms']),
    maxLen: Number(a['max-len']),
    hardMs: Number(a['hard-ms']),
    shapes: Number(a.shapes),
    seed: Number(a.seed),
    jobs: Number(a.jobs),
    mode: a.mode,
  }
  const { loadPatterns, label } = await import(
    pathToFileURL(path.join(tools, 'regex-equiv/lib/patterns.mjs')).href
  )
  const { compileRegex } = await import(pathToFileURL(path.join(root, 'build/regex-translate.mjs')).href)
  const { patterns } = loadPatterns({
    patternsFile: a.patterns,
    rulesDir: path.join(tools, '../crs/rules'),
    only: a.only,
  })
  const entries = patterns.map((p) => {
    const plan = compileRegex(p.pattern, { mode: o.mode })
    return {
      p,
      spec: plan.spec,
      route:
        plan.spec.engine === 'linear' ? 'linear' : plan.spec.lengthCap ? `v8<=${plan.spec.lengthCap}` : 'v8',
    }
  })
  const t0 = Date.now()
  let next = 0
  const results = []
  const runOne = (e) =>
    new Promise((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), {
        workerData: { pattern: e.p.pattern, spec: e.spec, o },
      })
      let timer = null
      let last = null
      const arm = () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          w.terminate()
          resolve({ ...e, status: 'over', killed: true, len: last?.len, label: last?.label, ms: Infinity })
        }, o.hardMs)
      }
      arm()
      w.on('message', (m) => {
        if (m.type === 'exec') {
          last = m
          arm()
          return
        }
        clearTimeout(timer)
        w.terminate()
        resolve({ ...e, ...m })
      })
      w.on('error', (err) => {
        clearTimeout(timer)
        resolve({ ...e, status: 'error', error: String(err) })
      })
    })
  await Promise.all(
    Array.from({ length: o.jobs }, async () => {
      while (next < entries.length) {
        const e = entries[next++]
        const r = await runOne(e)
        results.push(r)
        if (r.status !== 'ok')
          process.stderr.write(
            `[harness] ${label(r.p)} ${r.route}: ${r.status} ${r.len ?? ''} ${r.label ?? r.error ?? ''}\n`,
          )
      }
    }),
  )
  const over = results.filter((r) => r.status !== 'ok')
  const byRoute = {}
  for (const r of results) {
    const k = r.route
    byRoute[k] ??= { patterns: 0, worstMs: 0 }
    byRoute[k].patterns++
    byRoute[k].worstMs = Math.max(byRoute[k].worstMs, r.worstMs ?? 0)
  }
  const worst = [...results].sort((x, y) => (y.worstMs ?? 0) - (x.worstMs ?? 0)).slice(0, 10)
  const lines = []
  lines.push(
    `redos-harness (our strategy, mode ${o.mode}): ${entries.length} patterns, budget ${o.budget} ms per evaluation, inputs up to ${o.maxLen} bytes, ${o.shapes} shapes each, Node ${process.version}`,
  )
  lines.push(
    `routes: ${Object.entries(byRoute)
      .map(([k, v]) => `${k} ${v.patterns} (worst ${v.worstMs.toFixed(1)} ms)`)
      .join(', ')}`,
  )
  lines.push('slowest patterns (worst single evaluation):')
  for (const r of worst)
    lines.push(
      `  ${label(r.p)} ${r.route}: ${(r.worstMs ?? 0).toFixed(2)} ms at ${r.worstLen} bytes, ${r.worstLabel}`,
    )
  if (over.length) {
    lines.push(`over budget (${over.length}):`)
    for (const r of over)
      lines.push(
        `  ${label(r.p)} ${r.route}: ${r.killed ? 'killed' : (r.ms ?? 0).toFixed(1) + ' ms'} at ${r.len} bytes, ${r.label ?? r.error}`,
      )
  }
  lines.push(`time: ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  lines.push(`over budget: ${over.length} of ${entries.length} patterns`)
  console.log(lines.join('\n'))
  if (a.json) {
    fs.writeFileSync(
      a.json,
      JSON.stringify(
        results.map((r) => ({
          ids: r.p.ids,
          route: r.route,
          status: r.status,
          worstMs: r.worstMs,
          worstLen: r.worstLen,
          worstLabel: r.worstLabel,
          over: r.status === 'ok' ? undefined : { len: r.len, label: r.label, ms: r.ms },
        })),
        null,
        1,
      ) + '\n',
    )
  }
  process.exit(over.length ? 1 : 0)
} else {
  const { pattern, spec, o } = workerData
  const { CompiledRegex } = await import(pathToFileURL(path.join(root, 'build/regex-runtime.mjs')).href)
  const { attackShapes } = await import(pathToFileURL(path.join(tools, 'redos-scan/lib/attack.mjs')).href)
  const re = new CompiledRegex(spec)
  for (const s of ['x', 'xy', 'xyz', 'x'.repeat(5000), 'x'.repeat(70000)]) re.test(s) // warm up both paths
  const shapes = attackShapes(pattern, { seed: o.seed, max: o.shapes })
  const sizes = []
  for (let len = 64; len < o.maxLen; len *= 2) sizes.push(len)
  sizes.push(o.maxLen)
  const time = (s) => {
    const t = performance.now()
    re.test(s)
    return performance.now() - t
  }
  let worst = { ms: 0, len: 0, label: '' }
  let result = null
  outer: for (const shape of shapes) {
    for (const len of sizes) {
      const s = shape.make(len)
      parentPort.postMessage({ type: 'exec', len, label: shape.label })
      let ms = time(s)
      if (ms > o.budget) ms = Math.min(ms, time(s), time(s)) // rule out a GC pause or a JIT tier-up
      if (ms > worst.ms) worst = { ms, len, label: shape.label }
      if (ms > o.budget) {
        result = { status: 'over', len, label: shape.label, ms }
        break outer
      }
    }
  }
  parentPort.postMessage({
    ...(result ?? { status: 'ok' }),
    worstMs: worst.ms,
    worstLen: worst.len,
    worstLabel: worst.label,
  })
}
