/**
 * `waf compile <entry.conf> [-o out.json] [-D NAME[=VALUE]]...`
 *
 * Defines: every `-D NAME=VALUE`, plus CRS_DIR and CRS_SETUP from the environment when set
 * (they drive `<IfDefine CRS_DIR>` and `Include ${CRS_DIR}/...` in rules/main.conf).
 * Prints diagnostics as `file:line:col: severity: message`, then a summary; exits 1 on any error.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { compileFile } from '../compiler/compile'
import { formatDiagnostic } from '../compiler/diagnostics'
import { serializeBundle } from '../compiler/serialize'

const ENV_DEFINES = ['CRS_DIR', 'CRS_SETUP']

export function parseCompileArgs(args: string[]): { entry?: string; out?: string; defines: Record<string, string>; quiet: boolean; error?: string } {
  const defines: Record<string, string> = {}
  for (const name of ENV_DEFINES) {
    const v = process.env[name]
    // paths given in the environment are relative to the current directory
    if (v !== undefined && v !== '') defines[name] = resolve(v)
  }
  let entry: string | undefined
  let out: string | undefined
  let quiet = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-o' || a === '--out') {
      out = args[++i]
      if (out === undefined) return { defines, quiet, error: `${a} needs a file name` }
    } else if (a === '-D') {
      const d = args[++i]
      if (d === undefined) return { defines, quiet, error: '-D needs NAME or NAME=VALUE' }
      const eq = d.indexOf('=')
      if (eq < 0) defines[d] = '1'
      else defines[d.slice(0, eq)] = d.slice(eq + 1)
    } else if (a === '-q' || a === '--quiet') {
      quiet = true
    } else if (a.startsWith('-')) {
      return { defines, quiet, error: `unknown option ${a}` }
    } else if (entry === undefined) {
      entry = a
    } else {
      return { defines, quiet, error: `unexpected argument ${a}` }
    }
  }
  return { entry, out, defines, quiet }
}

export function runCompile(args: string[]): number {
  const opts = parseCompileArgs(args)
  if (opts.error !== undefined || opts.entry === undefined) {
    process.stderr.write(`waf compile: ${opts.error ?? 'missing entry file'}\nusage: waf compile <entry.conf> [-o out.json] [-D NAME[=VALUE]]...\n`)
    return 2
  }
  const started = performance.now()
  const result = compileFile(opts.entry, { defines: opts.defines })
  for (const d of result.diagnostics) {
    if (d.severity === 'error' || !opts.quiet) process.stderr.write(formatDiagnostic(d) + '\n')
  }
  const ms = Math.round(performance.now() - started)
  if (result.bundle === undefined || result.errors > 0) {
    process.stderr.write(`waf compile: ${result.errors} error(s), ${result.warnings} warning(s); no bundle written\n`)
    return 1
  }
  const text = serializeBundle(result.bundle)
  if (opts.out !== undefined) {
    mkdirSync(dirname(opts.out), { recursive: true })
    writeFileSync(opts.out, text)
  }
  const per = result.stats?.rulesPerPhase ?? []
  const lines = [
    `compiled ${opts.entry}: ${result.stats?.ruleIds ?? 0} rules (phase 1: ${per[0]}, 2: ${per[1]}, 3: ${per[2]}, 4: ${per[3]}, 5: ${per[4]})`,
    `  sources: ${result.bundle.sources.length} files; components: ${result.bundle.components.join(', ') || 'none'}`,
    `  ${result.warnings} warning(s), 0 errors; ${ms} ms${opts.out !== undefined ? `; wrote ${opts.out} (${text.length} bytes)` : ''}`,
  ]
  process.stdout.write(lines.join('\n') + '\n')
  return 0
}
