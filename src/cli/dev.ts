/**
 * `waf dev` and `waf deploy` (npm run dev / npm run deploy).
 *
 *   waf dev [--rules rules/main.conf] [--origin URL] [--port 8787] [--ip 127.0.0.1] [-- wrangler args]
 *     compiles the rules into rules/build/bundle.json (CRS when CRS_DIR is set), starts the demo
 *     origin unless --origin is given, then `wrangler dev` (local workerd, local KV and R2) with
 *     ORIGIN_URL pointing at the origin. Alert lines appear in this terminal. Ctrl-C stops all.
 *
 *   waf deploy [--rules rules/main.conf] [-- wrangler args]
 *     the same compile step, then `wrangler deploy`.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { runCompile } from './compile-command'
import { startDemoOrigin, type DemoOrigin } from './demo-origin'

export const BUNDLE_OUT = 'rules/build/bundle.json'
const DEFAULT_RULES = 'rules/main.conf'

export interface DevArgs {
  rules: string
  origin?: string
  port: number
  ip: string
  passThrough: string[]
  error?: string
}

export function parseDevArgs(args: string[], allowServe: boolean): DevArgs {
  const out: DevArgs = { rules: DEFAULT_RULES, port: 8787, ip: '127.0.0.1', passThrough: [] }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    const value = (): string | undefined => {
      const v = args[++i]
      if (v === undefined) out.error = `${a} needs a value`
      return v
    }
    if (a === '--') {
      out.passThrough = args.slice(i + 1)
      break
    } else if (a === '--rules') out.rules = value() ?? out.rules
    else if (allowServe && a === '--origin') {
      const v = value()
      if (v !== undefined) {
        try {
          const u = new URL(v)
          if (u.protocol !== 'http:' && u.protocol !== 'https:')
            out.error = `--origin must be an http(s) URL: ${v}`
          out.origin = v
        } catch {
          out.error = `--origin is not a URL: ${v}`
        }
      }
    } else if (allowServe && a === '--port') {
      const v = value()
      if (v !== undefined) {
        const n = Number(v)
        if (!Number.isInteger(n) || n < 1 || n > 65535) out.error = `--port must be 1..65535: ${v}`
        else out.port = n
      }
    } else if (allowServe && a === '--ip') out.ip = value() ?? out.ip
    else out.error = `unknown option ${a}`
    if (out.error !== undefined) return out
  }
  return out
}

function wranglerBin(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js')
}

function compileRules(entry: string): boolean {
  return runCompile([entry, '-o', BUNDLE_OUT]) === 0
}

/** run wrangler with our environment; resolves with its exit code */
function runWrangler(args: string[], onSpawn?: (kill: () => void) => void): Promise<number> {
  const child = spawn(process.execPath, [wranglerBin(), ...args], {
    stdio: 'inherit',
    env: {
      ...process.env,
      // no telemetry, and request.cf from wrangler's built-in sample instead of a download
      WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
    },
  })
  onSpawn?.(() => child.kill('SIGINT'))
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 130 : 1)))
    child.on('error', (e) => {
      process.stderr.write(`waf: cannot run wrangler: ${e.message}\n`)
      resolve(1)
    })
  })
}

export async function runDev(argv: string[]): Promise<number> {
  const args = parseDevArgs(argv, true)
  if (args.error !== undefined) {
    process.stderr.write(
      `waf dev: ${args.error}\nusage: waf dev [--rules entry.conf] [--origin URL] [--port N] [--ip ADDR] [-- wrangler args]\n`,
    )
    return 2
  }
  if (!compileRules(args.rules)) return 1
  let demo: DemoOrigin | undefined
  let origin = args.origin
  if (origin === undefined) {
    demo = await startDemoOrigin('127.0.0.1', 0)
    origin = demo.url
    process.stdout.write(`demo origin listening on ${origin}\n`)
  }
  process.stdout.write(`WAF on http://${args.ip}:${args.port} -> ${origin}\n`)
  let stop: (() => void) | undefined
  const onSignal = (): void => stop?.()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await runWrangler(
      [
        'dev',
        '--ip',
        args.ip,
        '--port',
        String(args.port),
        '--var',
        `ORIGIN_URL:${origin}`,
        '--show-interactive-dev-session=false',
        ...args.passThrough,
      ],
      (kill) => {
        stop = kill
      },
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await demo?.close()
  }
}

export async function runDeploy(argv: string[]): Promise<number> {
  const args = parseDevArgs(argv, false)
  if (args.error !== undefined) {
    process.stderr.write(
      `waf deploy: ${args.error}\nusage: waf deploy [--rules entry.conf] [-- wrangler args]\n`,
    )
    return 2
  }
  if (!compileRules(args.rules)) return 1
  return runWrangler(['deploy', ...args.passThrough])
}
