/**
 * The `waf` command line (Node only).
 *   waf compile <entry.conf> [-o out.json] [-D NAME=VALUE]... [--quiet]
 */
import { runCompile } from './compile-command'

const USAGE = `usage: waf <command> [options]

commands:
  compile <entry.conf> [-o out.json] [-D NAME[=VALUE]]...   compile SecLang rules into a bundle
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'compile':
      return runCompile(rest)
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
