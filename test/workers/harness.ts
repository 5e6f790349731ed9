/**
 * Runs the real Worker in workerd (Miniflare 4) for tests: the rule set is compiled with our
 * compiler, src/worker/index.ts is bundled with esbuild exactly as wrangler bundles it (the
 * "waf-bundle" alias pointing at the compiled rules), and Miniflare starts it next to an origin.
 * Nothing of our code is mocked: requests travel over HTTP into workerd, through the Worker,
 * and out through the runtime's fetch to the origin.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { build } from 'esbuild'
import { Miniflare, type WorkerOptions } from 'miniflare'
import { compileFile } from '../../src/compiler/compile'
import { formatDiagnostic } from '../../src/compiler/diagnostics'
import { serializeBundle } from '../../src/compiler/serialize'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const COMPATIBILITY_DATE = '2026-04-01'

let tmp: string | undefined
function tmpDir(): string {
  if (tmp === undefined) tmp = mkdtempSync(join(tmpdir(), 'waf-worker-test-'))
  return tmp
}

async function bundleScript(entry: string, alias: Record<string, string>): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    // the runtime's own modules (index.ts reads the vars at module scope from cloudflare:workers)
    external: ['cloudflare:*'],
    target: 'es2022',
    write: false,
    alias,
    logLevel: 'silent',
  })
  const file = out.outputFiles[0]
  if (file === undefined) throw new Error(`esbuild produced nothing for ${entry}`)
  return file.text
}

/** Compile a rule set (entry .conf) and bundle the Worker with it; returns the Worker's script. */
export async function buildWafScript(
  rulesEntry: string,
  defines: Record<string, string> = {},
): Promise<string> {
  const r = compileFile(rulesEntry, { defines })
  if (r.bundle === undefined || r.errors > 0) {
    throw new Error(`compiling ${rulesEntry} failed:\n` + r.diagnostics.map(formatDiagnostic).join('\n'))
  }
  const json = join(tmpDir(), `bundle-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(json, serializeBundle(r.bundle))
  return bundleScript(join(ROOT, 'src/worker/index.ts'), { 'waf-bundle': json })
}

export function buildOriginScript(): Promise<string> {
  return bundleScript(join(ROOT, 'test/workers/fixtures/origin-worker.ts'), {})
}

export interface WafWorker {
  name: string
  script: string
  /** requests to http://<host>/... go to this Worker; undefined: every request (one Worker only) */
  host?: string
  bindings?: Record<string, string>
}

export interface Running {
  mf: Miniflare
  /** http://127.0.0.1:port/ of workerd's listening socket */
  url: URL
  /** every line the Workers printed (console.log), in order */
  logs: string[]
  /** wait until a printed line satisfies `pred` (the alert log is written after the answer, in waitUntil) */
  waitForLog(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>
  dispose(): Promise<void>
}

function collect(stream: Readable, into: string[], onLine: ((line: string) => void) | undefined): void {
  createInterface({ input: stream }).on('line', (line) => {
    into.push(line)
    onLine?.(line)
  })
}

/**
 * Start the WAF Workers plus an origin. Either `originScript` (a Worker named "origin" on
 * host origin.test; the WAF Workers' outbound fetches are routed to it) or `originUrl` (a real
 * HTTP server; the WAF Workers fetch it over the network).
 */
export async function startWorkers(
  wafs: WafWorker[],
  origin: { originScript: string } | { originUrl: string },
  opts: { port?: number; onLine?: (line: string) => void } = {},
): Promise<Running> {
  const logs: string[] = []
  const workers: WorkerOptions[] = []
  const inWorkerd = 'originScript' in origin
  for (const w of wafs) {
    workers.push({
      name: w.name,
      modules: true,
      script: w.script,
      compatibilityDate: COMPATIBILITY_DATE,
      ...(w.host !== undefined ? { routes: [`${w.host}/*`] } : {}),
      bindings: { ORIGIN_URL: inWorkerd ? 'http://origin.test' : origin.originUrl, ...w.bindings },
      kvNamespaces: ['COLLECTIONS'],
      r2Buckets: ['AUDIT'],
      ...(inWorkerd ? { outboundService: 'origin' } : {}),
    })
  }
  if (inWorkerd) {
    workers.push({
      name: 'origin',
      modules: true,
      script: origin.originScript,
      compatibilityDate: COMPATIBILITY_DATE,
      routes: ['origin.test/*'],
    })
  }
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: opts.port ?? 0,
    cf: false,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      collect(stdout, logs, opts.onLine)
      collect(stderr, logs, opts.onLine)
    },
    workers,
  })
  const url = await mf.ready
  return {
    mf,
    url,
    logs,
    async waitForLog(pred, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const hit = logs.find(pred)
        if (hit !== undefined) return hit
        if (Date.now() > until) throw new Error('no matching log line; got:\n' + logs.join('\n'))
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    dispose: () => mf.dispose(),
  }
}
