/**
 * Cold start: bundle src/engine with esbuild (as the Worker is bundled), write the PL1 rule bundle,
 * and run test/bench/cold-child.mjs in fresh Node processes, with and without warmProgram() at
 * start-up. Reports the median of `runs` processes per mode.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import type { Bundle } from '../../src/bundle/schema'
import { CASES, RESPONSE_BODY, RESPONSE_HEADERS, ROOT, type BenchRequest } from './setup'

export interface ColdStart {
  /** import the engine module + parse the rule bundle JSON, ms CPU */
  import_ms: number
  /** loadProgram, ms CPU */
  link_ms: number
  /** warmProgram, ms CPU (warm mode only) */
  warm_ms?: number
  /** CPU of the first transaction of each request, in order get, form, json, sqli */
  first_ms: Record<string, number>
  /** a second GET, for comparison */
  second_get_ms: number
}

export interface ColdReport {
  runs: number
  without_warmup: ColdStart
  with_warmup: ColdStart
  engine_bundle_bytes: number
  rule_bundle_bytes: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return Math.round((s[s.length >> 1] ?? NaN) * 100) / 100
}

function medianOf(list: ColdStart[]): ColdStart {
  const first: Record<string, number> = {}
  for (const k of Object.keys(list[0]?.first_ms ?? {}))
    first[k] = median(list.map((x) => x.first_ms[k] ?? NaN))
  const out: ColdStart = {
    import_ms: median(list.map((x) => x.import_ms)),
    link_ms: median(list.map((x) => x.link_ms)),
    first_ms: first,
    second_get_ms: median(list.map((x) => x.second_get_ms)),
  }
  if (list[0]?.warm_ms !== undefined) out.warm_ms = median(list.map((x) => x.warm_ms ?? NaN))
  return out
}

export async function measureColdStart(
  bundle: Bundle,
  requests: Record<(typeof CASES)[number], BenchRequest>,
  runs: number,
): Promise<ColdReport> {
  const dir = resolve(ROOT, 'build/bench')
  mkdirSync(dir, { recursive: true })
  const enginePath = join(dir, 'engine.mjs')
  const res = await build({
    entryPoints: [resolve(ROOT, 'src/engine/index.ts')],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    outfile: enginePath,
    logLevel: 'warning',
    metafile: true,
  })
  const bundlePath = join(dir, 'rules-pl1.json')
  const bundleText = JSON.stringify(bundle)
  writeFileSync(bundlePath, bundleText)
  const reqPath = join(dir, 'cold-requests.json')
  writeFileSync(
    reqPath,
    JSON.stringify(
      CASES.map((c) => ({
        name: c,
        request: requests[c].request,
        body: requests[c].body ?? null,
        responseHeaders: RESPONSE_HEADERS,
        responseBody: RESPONSE_BODY,
      })),
    ),
  )
  const child = resolve(ROOT, 'test/bench/cold-child.mjs')
  const once = (mode: string): ColdStart => {
    const r = spawnSync(process.execPath, [child, enginePath, bundlePath, reqPath, mode], {
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`cold start child failed: ${r.stderr}`)
    return JSON.parse(r.stdout) as ColdStart
  }
  const cold: ColdStart[] = []
  const warm: ColdStart[] = []
  for (let i = 0; i < runs; i++) {
    cold.push(once('nowarm'))
    warm.push(once('warm'))
  }
  const out = res.metafile?.outputs ?? {}
  let engineBytes = 0
  for (const k of Object.keys(out)) engineBytes += out[k]?.bytes ?? 0
  return {
    runs,
    without_warmup: medianOf(cold),
    with_warmup: medianOf(warm),
    engine_bundle_bytes: engineBytes,
    rule_bundle_bytes: bundleText.length,
  }
}
