/**
 * The `waf` command line (Node only).
 *   waf compile <entry.conf> [-o out.json] [-D NAME=VALUE]... [--quiet]
 *   waf crs-fetch <version> [--sha256 HEX]
 *   waf ftw <tests-dir> [--overrides FILE] [--include REGEX] [--exclude REGEX] [--json OUT]
 *   waf dev [--rules entry.conf] [--origin URL] [--port N]
 *   waf deploy [--rules entry.conf]
 *   waf audit list|get ...   (audit.ts)
 */
import { runAudit } from './audit'
import { runCompile } from './compile-command'
import { runCrsFetch } from './crs-fetch'
import { runDeploy, runDev } from './dev'
import { runFtw } from './ftw/command'

const USAGE = `usage: waf <command> [options]

commands:
  compile <entry.conf> [-o out.json] [-D NAME[=VALUE]]...   compile SecLang rules into a bundle
  crs-fetch <version> [--sha256 HEX]                        download and verify an OWASP CRS release
  ftw <tests-dir> [--overrides FILE] [--include REGEX]       run CRS regression tests (go-ftw YAML) against the engine
  dev [--rules entry.conf] [--origin URL] [--port N]        compile, then run the Worker locally (wrangler dev) in front of an origin
  deploy [--rules entry.conf] [-- wrangler args]            compile, then wrangler deploy
  audit list [--since 2h] [--status 4xx] [--rule ID]        list audit records (local dev bucket, or --url)
  audit get <unique_id> [--local|--remote]                  print one audit record
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'compile':
      return runCompile(rest)
    case 'crs-fetch':
      return runCrsFetch(rest)
    case 'ftw':
      return runFtw(rest)
    case 'dev':
      return runDev(rest)
    case 'deploy':
      return runDeploy(rest)
    case 'audit':
      return runAudit(rest)
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE)
      return command === undefined ? 2 : 0
    default:
      process.stderr.write(`waf: unknown command "${command}"\n${USAGE}`)
      return 2
  }
}
